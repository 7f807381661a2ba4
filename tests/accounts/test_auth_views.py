"""Sign-in and sign-out pages: by email or username, failure limits, safe redirects."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.templatetags.accounts_tags import duration
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_renders_the_form(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_login_with_right_password_signs_in_and_goes_home(client, reader):
    response = client.post(
        reverse("accounts:login"), {"username": reader.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("blog:post-list")
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_login_with_wrong_password_shows_an_error(client, reader):
    response = client.post(
        reverse("accounts:login"), {"username": reader.username, "password": "wrong"}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_login_page_sends_signed_in_users_home(client, reader):
    client.force_login(reader)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("blog:post-list")


def test_logout_refuses_get(client, reader):
    client.force_login(reader)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_logout_by_post_signs_out_and_goes_home(client, reader):
    client.force_login(reader)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("blog:post-list")
    assert "_auth_user_id" not in client.session


def test_signed_in_pages_offer_a_sign_out_form(client, reader):
    client.force_login(reader)
    content = client.get(reverse("blog:post-list")).content.decode()
    assert f'method="post" action="{reverse("accounts:logout")}"' in content


def _login(client, username, password=PASSWORD, url=None, **extra):
    return client.post(
        url or reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


@pytest.mark.parametrize("typed", ["rita@example.org", "RITA@example.org", "rita", "Rita"])
def test_login_by_email_or_username_in_any_case(client, reader, typed):
    assert _login(client, typed).status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_unconfirmed_accounts_may_sign_in_to_ask_for_a_new_link(client):
    user = UserFactory(email_verified_at=None)
    assert _login(client, user.email).status_code == 302


def test_inactive_accounts_may_not_sign_in(client):
    user = UserFactory(is_active=False)
    assert _login(client, user.username).status_code == 400


# ─── Failed sign-ins are limited ─────────────────────────────────────────────


def test_an_account_is_paused_after_too_many_wrong_passwords(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, reader.username, "wrong").status_code == 400
    assert _login(client, reader.username, "wrong").status_code == 429
    # Even the right password is refused during the pause.
    response = _login(client, reader.username)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_pause_is_told_in_words(client, reader, settings):
    """Issue 8: the page said "the pause lasts 0:15:00, hours:minutes:seconds"."""
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, reader.username, "wrong")
    text = response.content.decode()
    assert "the pause lasts 15 minutes" in text
    assert "0:15:00" not in text


@pytest.mark.parametrize(
    ("length", "words"),
    [
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=1, minutes=30, seconds=9), "1 hour and 30 minutes"),
        (timedelta(days=2, minutes=5), "2 days and 5 minutes"),
        (timedelta(seconds=1), "1 second"),
        (timedelta(0), "a moment"),
    ],
)
def test_durations_read_as_words(length, words):
    assert duration(length) == words


def test_the_limit_counts_email_and_username_together(client, reader, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        typed = reader.email if attempt % 2 else reader.username.upper()
        _login(client, typed, "wrong", REMOTE_ADDR=f"10.0.0.{attempt + 1}")
    assert _login(client, reader.email, REMOTE_ADDR="10.0.1.1").status_code == 429


def test_an_address_is_paused_after_too_many_failures_across_accounts(client, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"nobody{attempt}@example.org", "wrong", REMOTE_ADDR="192.0.2.7")
    user = UserFactory()
    assert _login(client, user.username, REMOTE_ADDR="192.0.2.7").status_code == 429
    assert _login(client, user.username, REMOTE_ADDR="192.0.2.8").status_code == 302


def test_behind_a_proxy_failures_pause_only_the_reader_who_failed(client, settings):
    """Issue 8: behind a proxy every request comes from it; the pause is per reader."""
    settings.RIPOSTE_TRUSTED_PROXIES = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(
            client,
            f"nobody{attempt}@example.org",
            "wrong",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.7",
        )
    user = UserFactory()
    other_reader = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.8"}
    assert _login(client, user.username, **other_reader).status_code == 302


def test_behind_a_proxy_a_spoofed_forwarded_for_hop_does_not_lift_the_pause(client, settings):
    """Issue 8: a hop the client writes itself is not its address."""
    settings.RIPOSTE_TRUSTED_PROXIES = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(
            client,
            f"nobody{attempt}@example.org",
            "wrong",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{attempt}, 192.0.2.7",
        )
    user = UserFactory()
    same_reader = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.9.9.99, 192.0.2.7"}
    assert _login(client, user.username, **same_reader).status_code == 429


def test_a_successful_sign_in_resets_the_count(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, reader.username, "wrong")
    assert _login(client, reader.username).status_code == 302
    client.post(reverse("accounts:logout"))
    assert _login(client, reader.username, "wrong").status_code == 400


def test_admin_sign_in_is_limited_too(client, superuser, settings):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, superuser.username, "wrong", url=url)
    response = _login(client, superuser.username, url=url)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# ─── ?next= stays on this site ───────────────────────────────────────────────

FOREIGN = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
]


@pytest.mark.parametrize("target", FOREIGN)
def test_login_refuses_to_send_readers_off_site(client, reader, target):
    response = client.post(
        reverse("accounts:login"),
        {"username": reader.username, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("blog:post-list")


def test_login_follows_next_within_the_site(client, reader):
    response = client.post(
        reverse("accounts:login"),
        {"username": reader.username, "password": PASSWORD, "next": "/search/?q=x"},
    )
    assert response["Location"] == "/search/?q=x"


@pytest.mark.parametrize("target", FOREIGN)
def test_logout_refuses_to_send_readers_off_site(client, reader, target):
    client.force_login(reader)
    response = client.post(reverse("accounts:logout"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("blog:post-list")


@pytest.mark.parametrize("target", FOREIGN)
def test_signup_refuses_to_send_signed_in_readers_off_site(client, reader, target):
    client.force_login(reader)
    response = client.get(reverse("accounts:signup"), {"next": target})
    assert response["Location"] == reverse("accounts:profile-edit")
