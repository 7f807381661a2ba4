"""Sign-up, the emailed confirmation link, email change and password reset (issue 4)."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from accounts.models import User
from accounts.registration import CONFIRM_SALT, confirmation_token
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "violet tram harbour 1987"


def _signup(client, **overrides):
    data = {
        "display_name": "Jen Smith",
        "email": "jen@example.org",
        "password1": STRONG,
        "password2": STRONG,
        "website": "",
        **overrides,
    }
    return client.post(reverse("accounts:signup"), data)


def _link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# ─── Sign-up ─────────────────────────────────────────────────────────────────


def test_signup_page_renders_the_form(client):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    for field in ("display_name", "email", "password1", "password2"):
        assert f'name="{field}"' in response.content.decode()


def test_signup_creates_an_unconfirmed_account_that_may_not_comment(client):
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup-done")
    user = User.objects.get(email="jen@example.org")
    assert user.display_name == "Jen Smith"
    assert user.username == "jen-smith"
    assert user.email_verified_at is None
    assert not user.can_comment


def test_signup_sends_one_confirmation_link(client):
    _signup(client)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jen@example.org"]
    assert "/accounts/confirm/" in _link_in(mail.outbox[0])


def test_following_the_link_confirms_the_address_and_allows_commenting(client):
    _signup(client)
    response = client.get(_path(_link_in(mail.outbox[0])))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user = User.objects.get(email="jen@example.org")
    assert user.email_verified_at is not None
    assert user.can_comment


def test_following_the_link_twice_changes_nothing_more(client):
    _signup(client)
    link = _path(_link_in(mail.outbox[0]))
    client.get(link)
    confirmed_at = User.objects.get(email="jen@example.org").email_verified_at
    assert client.get(link).status_code == 302
    assert User.objects.get(email="jen@example.org").email_verified_at == confirmed_at


def test_signup_with_a_registered_address_looks_the_same_and_mails_its_owner(client):
    owner = UserFactory(username="owner", display_name="Owner", email="jen@example.org")
    response = _signup(client, display_name="Someone New")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup-done")
    assert User.objects.filter(email__iexact="jen@example.org").get() == owner
    assert len(mail.outbox) == 1
    assert "already has one" in mail.outbox[0].body


def test_accounts_created_by_staff_count_as_confirmed():
    assert UserFactory().can_comment


def test_inactive_accounts_may_not_comment():
    assert not UserFactory(is_active=False).can_comment


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"display_name": "Rita Reader"}, "already used by another reader"),
        ({"display_name": "R.ita Rеader"}, "already used by another reader"),  # Cyrillic е
        ({"display_name": "rita"}, "already used by another reader"),
        ({"display_name": "..."}, "at least one letter or digit"),
        ({"display_name": "Jen\u202e"}, "override"),
        ({"display_name": "Je\u200bn"}, "zero-width"),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
        ({"password1": "password", "password2": "password"}, "too common"),
        ({"password1": "12345678901", "password2": "12345678901"}, "entirely numeric"),
        ({"password1": "short1", "password2": "short1"}, "too short"),
        ({"password2": "something else entirely"}, "The two passwords differ"),
        ({"website": "https://spam.example"}, "must stay empty"),
    ],
)
def test_bad_signups_are_refused_with_a_message_and_a_400(client, overrides, message):
    UserFactory(username="rita", display_name="Rita Reader")
    response = _signup(client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email="jen@example.org").exists()
    assert not mail.outbox


def test_password_similar_to_the_email_is_refused(client):
    response = _signup(
        client, email="violettram@example.org", password1="violettram", password2="violettram"
    )
    assert response.status_code == 400
    assert "too similar" in response.content.decode()


def test_signup_when_closed_is_not_found(client, settings):
    settings.ACCOUNTS_ALLOW_SIGNUP = False
    assert client.get(reverse("accounts:signup")).status_code == 404


def test_signed_in_readers_are_sent_on_from_signup(client, reader):
    client.force_login(reader)
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile-edit")


# ─── Confirmation links ──────────────────────────────────────────────────────


def test_a_tampered_link_is_refused_with_a_400(client):
    _signup(client)
    link = _path(_link_in(mail.outbox[0]))
    response = client.get(link[:-3] + "xyz/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert User.objects.get(email="jen@example.org").email_verified_at is None


def test_an_expired_link_is_refused_with_a_400(client, settings):
    _signup(client)
    link = _path(_link_in(mail.outbox[0]))
    settings.ACCOUNTS_EMAIL_LINK_DAYS = -1
    response = client.get(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_a_link_for_another_address_than_the_accounts_is_refused(client):
    user = UserFactory(email="old@example.org", email_verified_at=None)
    token = signing.dumps(
        {"u": user.pk, "e": "x@example.org", "from": "y@example.org"}, salt=CONFIRM_SALT
    )
    response = client.get(reverse("accounts:email-confirm", kwargs={"token": token}))
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email == "old@example.org"


def test_unconfirmed_readers_can_ask_for_the_link_again(client):
    user = UserFactory(email_verified_at=None)
    client.force_login(user)
    response = client.post(reverse("accounts:confirmation-resend"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_asking_for_the_link_again_needs_a_signed_in_reader(client):
    response = client.post(reverse("accounts:confirmation-resend"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not mail.outbox


# ─── Email change ────────────────────────────────────────────────────────────


def _change_email(client, email="new@example.org", password=PASSWORD):
    return client.post(reverse("accounts:email-change"), {"email": email, "password": password})


def test_email_change_keeps_the_old_address_until_the_new_one_is_confirmed(client, reader):
    client.force_login(reader)
    old = reader.email
    response = _change_email(client)
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.email == old
    assert mail.outbox[0].to == ["new@example.org"]


def test_following_the_change_link_switches_the_address_and_tells_the_old_one(client, reader):
    client.force_login(reader)
    old = reader.email
    _change_email(client)
    assert client.get(_path(_link_in(mail.outbox[0]))).status_code == 302
    reader.refresh_from_db()
    assert reader.email == "new@example.org"
    assert reader.has_confirmed_email
    assert mail.outbox[-1].to == [old]
    assert "new@example.org" in mail.outbox[-1].body


def test_an_older_change_link_stops_working_once_the_address_changed(client, reader):
    client.force_login(reader)
    _change_email(client, email="first@example.org")
    _change_email(client, email="second@example.org")
    first_link, second_link = (_path(_link_in(message)) for message in mail.outbox[:2])
    client.get(second_link)
    assert client.get(first_link).status_code == 400
    reader.refresh_from_db()
    assert reader.email == "second@example.org"


def test_email_change_needs_the_password(client, reader):
    client.force_login(reader)
    response = _change_email(client, password="wrong")
    assert response.status_code == 400
    assert "not your password" in response.content.decode()
    assert not mail.outbox


def test_email_change_to_an_address_another_account_uses_is_refused(client, reader):
    UserFactory(username="other", email="taken@example.org")
    client.force_login(reader)
    response = _change_email(client, email="TAKEN@example.org")
    assert response.status_code == 400
    assert "Another account uses this address" in response.content.decode()
    assert not mail.outbox


def test_email_change_to_an_invalid_address_is_refused(client, reader):
    client.force_login(reader)
    assert _change_email(client, email="nope").status_code == 400


def test_a_change_link_is_refused_when_another_account_took_the_address_meanwhile(client, reader):
    token = confirmation_token(reader, "late@example.org")
    UserFactory(username="quick", email="late@example.org")
    response = client.get(reverse("accounts:email-confirm", kwargs={"token": token}))
    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.email != "late@example.org"


def test_email_change_page_needs_a_signed_in_reader(client):
    response = client.get(reverse("accounts:email-change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# ─── Password reset and change ───────────────────────────────────────────────


@pytest.mark.parametrize("email", ["rita@example.org", "nobody@example.org"])
def test_password_reset_answers_the_same_whether_or_not_the_address_has_an_account(
    client, reader, email
):
    response = client.post(reverse("accounts:password-reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    page = client.get(response["Location"]).content.decode()
    assert "If an account uses that address" in page


def test_password_reset_mails_only_existing_accounts(client, reader):
    client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert not mail.outbox
    client.post(reverse("accounts:password-reset"), {"email": reader.email.upper()})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [reader.email]


def test_password_reset_link_sets_a_new_password_and_confirms_the_address(client):
    user = UserFactory(email="jen@example.org", email_verified_at=None)
    client.post(reverse("accounts:password-reset"), {"email": "jen@example.org"})
    response = client.get(_path(_link_in(mail.outbox[0])), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert user.has_confirmed_email


def test_password_reset_refuses_a_weak_password(client, reader):
    client.post(reverse("accounts:password-reset"), {"email": reader.email})
    response = client.get(_path(_link_in(mail.outbox[0])), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert response.status_code == 400
    assert "too common" in response.content.decode()


def test_password_change_needs_the_old_password(client, reader):
    client.force_login(reader)
    url = reverse("accounts:password-change")
    response = client.post(
        url, {"old_password": "wrong", "new_password1": STRONG, "new_password2": STRONG}
    )
    assert response.status_code == 400
    assert "Your old password was entered incorrectly" in response.content.decode()
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG}
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password(STRONG)
