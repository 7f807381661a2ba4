"""Create the "Authors" and "Moderators" groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUTHOR_PERMISSIONS = [
    ("blog", "add_post"),
    ("blog", "change_post"),
    ("blog", "delete_post"),
    ("blog", "view_post"),
    ("blog", "add_tag"),
    ("blog", "change_tag"),
    ("blog", "view_tag"),
    ("blog", "add_category"),
    ("blog", "view_category"),
]
# Moderators read posts in admin but never edit them; comment permissions are
# added by the comments app's own migrations.
MODERATOR_PERMISSIONS = [
    ("blog", "view_post"),
    ("blog", "view_tag"),
    ("blog", "view_category"),
]


def _ensure_permissions(apps):
    # Permissions are normally created after all migrations run; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in (("Authors", AUTHOR_PERMISSIONS), ("Moderators", MODERATOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Authors", "Moderators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial_blog"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
