"""The roles (groups and their permissions) that data migrations create, put back after a flush."""

import importlib

# The data migrations that create the roles: groups and their permissions. A
# transactional test ends with a flush that empties auth_group, and --reuse-db keeps
# that database for the next run; running these again puts the roles back exactly
# as the migrations made them. A new migration that grants a group permissions
# belongs here (tests/blog/test_roles.py checks).
ROLE_MIGRATIONS = [
    ("blog", "0002_author_and_moderator_groups", "create_groups"),
    ("comments", "0002_moderator_comment_permissions", "grant"),
    ("comments", "0004_moderator_moderation_permissions", "grant"),
    ("accounts", "0006_moderators_see_accounts", "grant"),
    ("imports", "0002_moderators_review_imports", "grant"),
]
ROLES = ("Authors", "Moderators")


def ensure_roles() -> None:
    """Recreate the groups the data migrations made, if a flush removed them."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    if Group.objects.filter(name__in=ROLES).count() == len(ROLES):
        return
    # Historical models, as a migration gets them: the functions toggle `models_module`
    # on the app configs they are given, which must not be the running project's.
    migration_apps = MigrationLoader(connection).project_state().apps
    for app_label, migration, function in ROLE_MIGRATIONS:
        module = importlib.import_module(f"{app_label}.migrations.{migration}")
        getattr(module, function)(migration_apps, None)
