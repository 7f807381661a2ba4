"""Let "Moderators" read import runs and review inferred links and impersonation suspects."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    "view_importrun",
    "view_importedcomment",
    "change_importedcomment",
    "view_impersonationsuspect",
    "change_impersonationsuspect",
]
GRANTS = (("Moderators", MODERATOR_PERMISSIONS),)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="imports", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS:
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="imports", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial_imports"),
        ("blog", "0002_author_and_moderator_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
