"""Who may post under which name.

One function decides it, for the comment form and the importers alike. For now
names compare case-insensitively with spacing folded; the accounts issue makes
the comparison confusable-proof here, in this one place.
"""

import unicodedata

from django.db.models import Q


def canonical_name(name: str) -> str:
    """The form two names share when readers could not tell them apart."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(folded.split())


def name_is_reserved(name: str, *, for_user=None) -> bool:
    """True when `name` belongs to a registered account other than `for_user`."""
    from accounts.models import User

    wanted = canonical_name(name)
    if not wanted:
        return False
    candidates = User.objects.filter(
        Q(username__iexact=name.strip()) | Q(display_name__iexact=name.strip())
    )
    if for_user is not None and for_user.pk is not None:
        candidates = candidates.exclude(pk=for_user.pk)
    return any(
        wanted in (canonical_name(user.username), canonical_name(user.display_name))
        for user in candidates.only("username", "display_name")
    )
