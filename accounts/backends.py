"""Sign-in: by email address or username, with failed attempts limited by django-axes."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from accounts.models import User


def find_account(identifier: str) -> User | None:
    """The account an email address or username (any case) names, or None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    field = "email__iexact" if "@" in identifier else "username__iexact"
    matches = list(User.objects.filter(Q(**{field: identifier}))[:2])
    # Usernames differing only by case predate sign-up; an exact match decides then.
    if len(matches) > 1:
        matches = [user for user in matches if user.username == identifier]
    return matches[0] if len(matches) == 1 else None


def login_identifier(request, credentials: dict | None) -> str:
    """What failed sign-ins are counted under: the account's username, else the text typed.

    Signing in by email and by username count against the same account.
    """
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    account = find_account(typed)
    return account.username if account is not None else typed.strip().lower()


class LoginLimitBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped where there is no request to count.

    Every sign-in form (the site's and the admin's) passes the request; only code
    such as the test client's `login()` authenticates without one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class EmailOrUsernameBackend(ModelBackend):
    """Django's model backend, finding the account by email address or username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_account(username)
        if user is None:
            # Hash anyway, so a missing account takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
