"""Fill the canonical name keys of existing accounts before they become unique.

Accounts whose public names readers could not tell apart keep the oldest
account's name; later ones get a number appended (" 2", " 3"…). Later accounts
sharing an email address (compared case-insensitively) lose it: sign-in by
email needs one account per address. Both are printed so staff can follow up.
"""

from django.db import migrations

from accounts.names import canonical_name


def fill_name_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken_names, taken_emails = set(), set()
    for user in User.objects.order_by("date_joined", "pk").iterator():
        shown = user.display_name or user.username
        key, counter = canonical_name(shown), 1
        while key in taken_names:
            counter += 1
            user.display_name = f"{shown} {counter}"
            key = canonical_name(user.display_name)
        if counter > 1:
            print(f"\n  account {user.pk} ({user.username}) renamed to {user.display_name!r}")
        taken_names.add(key)
        email = user.email.strip().lower()
        if email and email in taken_emails:
            print(f"\n  account {user.pk} ({user.username}) shares {email}; address cleared")
            user.email = ""
        taken_emails.add(email)
        user.name_key = key
        user.username_key = canonical_name(user.username)
        user.save(update_fields=["display_name", "email", "name_key", "username_key"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_add_name_keys_and_email_confirmation")]

    operations = [migrations.RunPython(fill_name_keys, migrations.RunPython.noop)]
