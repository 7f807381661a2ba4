"""Give the "Moderators" group its comment permissions (the group comes from blog)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = ["view_comment", "change_comment", "view_commentrevision"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial_comments"),
        ("blog", "0002_author_and_moderator_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
