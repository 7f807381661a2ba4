"""The roles made by data migrations survive flushes and --reuse-db (issue 8)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group

from tests.roles import ROLE_MIGRATIONS, ROLES, ensure_roles

PROJECT_APPS = [
    config
    for config in apps.get_app_configs()
    if config.path.startswith(str(settings.BASE_DIR)) and "site-packages" not in config.path
]

_GROUP_MODEL_RE = re.compile(r"""get_model\(\s*["']auth["'],\s*["']Group["']\s*\)""")


def _role_permissions() -> dict[str, set[str]]:
    return {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.filter(name__in=ROLES).prefetch_related(
            "permissions__content_type"
        )
    }


def test_every_role_migration_is_replayed():
    """A data migration that touches groups must be in ROLE_MIGRATIONS, or a flush loses it."""
    touching_groups = {
        (config.label, path.stem)
        for config in PROJECT_APPS
        for path in Path(config.path, "migrations").glob("0*.py")
        if _GROUP_MODEL_RE.search(path.read_text())
    }
    assert touching_groups == {(app, migration) for app, migration, _ in ROLE_MIGRATIONS}


@pytest.mark.django_db
def test_roles_come_back_as_the_migrations_made_them():
    made_by_migrations = _role_permissions()
    Group.objects.filter(name__in=ROLES).delete()
    ensure_roles()
    assert _role_permissions() == made_by_migrations
    assert set(made_by_migrations) == set(ROLES)


def _role_names() -> set[str]:
    return set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_finds_the_roles():
    """Issue 8: the flush after an earlier transactional test emptied auth_group."""
    assert _role_names() == set(ROLES)


@pytest.mark.django_db(transaction=True)
def test_the_next_transactional_test_finds_them_after_the_flush():
    """Runs after the test above, whose end flushed every table: this module alone shows
    that the fixtures put the roles back (run by itself, the one above passes regardless)."""
    assert _role_names() == set(ROLES)
