"""Whose a name is: the queries behind the rules of accounts.names.

The pure part (canonical keys, look-alikes, site labels) stays in accounts.names,
which the models use to derive their keys on save; these functions compare those
keys in the database.
"""

from django.utils.text import slugify

from accounts.models import FormerName, GuestName, User
from accounts.names import canonical_name, without_marks


def name_is_reserved(name: str, *, for_user=None, for_email: str | None = None) -> bool:
    """True when `name` (or a look-alike) belongs to someone other than this user or email.

    Reserved: every account's current display name and username, names an
    account gave up less than `ACCOUNTS_NAME_HOLD_DAYS` ago, guest names
    confirmed with an email address (reserved for that address), and staff
    names compared without accents. Two queries.
    """
    key = canonical_name(name)
    if not key:
        return False
    user_pk = getattr(for_user, "pk", None)
    accounts = User.objects.filter(name_key=key) | User.objects.filter(username_key=key)
    former = FormerName.objects.held().filter(name_key=key)
    guests = GuestName.objects.confirmed().filter(name_key=key)
    if user_pk is not None:
        accounts = accounts.exclude(pk=user_pk)
        former = former.exclude(user_id=user_pk)
    if for_email:
        guests = guests.exclude(email__iexact=for_email.strip())
    if (
        accounts.values("pk")
        .union(former.values("user_id"), guests.values("pk"), all=True)
        .exists()
    ):
        return True
    # Few accounts are staff: their keys are compared here, without marks.
    unmarked = without_marks(key)
    staff = User.objects.filter(is_staff=True).exclude(pk=user_pk)
    return any(
        unmarked in (without_marks(name_key), without_marks(username_key))
        for name_key, username_key in staff.values_list("name_key", "username_key")
    )


def username_for(display_name: str) -> str:
    """A free username (the profile address) derived from a display name."""
    base = slugify(display_name, allow_unicode=True)[:30].strip("-_") or "reader"
    candidate, counter = base, 1
    while User.objects.filter(username__iexact=candidate).exists() or name_is_reserved(candidate):
        counter += 1
        candidate = f"{base}-{counter}"
    return candidate
