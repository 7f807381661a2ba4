"""Guests keep their name with an emailed link, no account needed (issue 4, names reserved)."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.guest_claims import (
    claim_token,
    claim_url,
    guest_claim_confirm,
)
from accounts.models import GuestName
from accounts.taken_names import name_is_reserved
from comments.models import Comment
from comments.posting import clean_guest_identity, comment_create
from jobs.models import JobFailure
from tests.factories import PostFactory, UserFactory
from tests.queue import make_due, queued, run_jobs

pytestmark = pytest.mark.django_db

SAM = {"guest_name": "Sam Visitor", "guest_email": "sam@example.net"}


@pytest.fixture
def post(db):
    return PostFactory(title="The budget vote, again", slug="budget-vote")


def _comment(post, body="A thought.", **guest):
    """Post as a guest, then let the job worker run what the comment queued."""
    comment = comment_create(post=post, body=body, **{**SAM, **guest})
    run_jobs()
    return comment


def _offers():
    return [m for m in mail.outbox if "Keep the name" in m.subject]


def _link_in(message) -> str:
    return re.search(r"follow this link:\s*(\S+)", message.body).group(1)


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def _keep(client, post, **guest):
    _comment(post, **guest)
    return client.get(_path(_link_in(_offers()[-1])))


# ─── The offer ───────────────────────────────────────────────────────────────


def test_the_offer_is_queued_with_the_comment_and_mailed_by_the_worker(post):
    """Issue 12: the offer is a job in the comment's transaction, not an after-commit call."""
    comment = comment_create(post=post, body="A thought.", **SAM)
    assert not mail.outbox, "nothing is sent in the request"
    assert [job["args"] for job in queued("accounts.guest_claim_offer")] == [
        {"comment_id": comment.pk}
    ]
    run_jobs()
    (offer,) = _offers()
    assert offer.to == ["sam@example.net"]
    assert "Keep the name “Sam Visitor”" in offer.subject
    assert comment.get_absolute_url() in offer.body
    assert "/accounts/keep-name/" in _link_in(offer)
    assert not GuestName.objects.confirmed().exists(), "only following the link keeps the name"


def test_the_offer_goes_out_once_per_name_and_address(post):
    _comment(post)
    _comment(
        post, body="Another thought.", guest_name="sam  visitor", guest_email="SAM@example.net"
    )
    assert len(_offers()) == 1
    _comment(post, body="Under a new name.", guest_name="Samuel V")
    assert len(_offers()) == 2


def test_registered_readers_get_no_offer(post):
    reader = UserFactory(username="rita", display_name="Rita Reader")
    comment_create(post=post, body="Signed in.", author=reader)
    run_jobs()
    assert not _offers()
    assert not GuestName.objects.exists()


def test_a_mail_failure_neither_blocks_the_comment_nor_sends_the_offer_twice(post):
    """Issue 12: the queue retries the offer once the mail server is back, and sends it once."""
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")):
        comment = _comment(post)
        _comment(post, body="Again, while the server is down.")
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert not _offers()
    assert "OSError: smtp down" in JobFailure.objects.values_list("error", flat=True)
    make_due()
    run_jobs()
    assert len(_offers()) == 1
    _comment(post, body="Server back.")
    assert len(_offers()) == 1


def test_an_offer_that_cannot_be_built_fails_its_job_not_the_comment(post):
    with mock.patch("accounts.guest_claims.render_to_string", side_effect=RuntimeError("boom")):
        comment = _comment(post)
    assert Comment.objects.filter(pk=comment.pk).exists()
    failure = JobFailure.objects.get()
    assert failure.task_name == "accounts.guest_claim_offer"
    assert failure.error == "RuntimeError: boom"
    assert "render_to_string" in failure.traceback


# ─── Following the link ──────────────────────────────────────────────────────


def test_following_the_link_keeps_the_name_for_that_address(client, post):
    response = _keep(client, post)
    assert response.status_code == 200
    assert "“Sam Visitor” is yours" in response.content.decode()
    claim = GuestName.objects.confirmed().get()
    assert (claim.name, claim.email) == ("Sam Visitor", "sam@example.net")
    assert name_is_reserved("Sam Visitor", for_email="other@example.org")
    assert name_is_reserved("sam.visitоr", for_email="other@example.org")  # Cyrillic о
    assert not name_is_reserved("Sam Visitor", for_email="SAM@example.net")


def test_following_the_link_twice_keeps_one_claim(client, post):
    _comment(post)
    path = _path(_link_in(_offers()[0]))
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    assert GuestName.objects.count() == 1
    assert GuestName.objects.confirmed().count() == 1


def test_once_kept_no_further_offer_is_sent(client, post):
    _keep(client, post)
    _comment(post, body="Later.")
    assert len(_offers()) == 1


def test_another_guest_is_refused_and_told_why(client, post):
    _keep(client, post)
    with pytest.raises(ValidationError) as refused:
        clean_guest_identity(name="Sam  Visitor", email="impostor@example.org")
    (message,) = refused.value.message_dict["guest_name"]
    assert "kept by a guest who confirmed their email" in message
    assert "sign in" in message
    with pytest.raises(ValidationError):
        comment_create(post=post, body="Me too.", guest_name="sam visitor", guest_email="x@y.org")


def test_the_same_address_keeps_commenting_under_the_name(client, post):
    _keep(client, post)
    comment = _comment(post, body="Still me.", guest_email="Sam@Example.net")
    assert comment.guest_name == "Sam Visitor"


def test_a_kept_guest_name_is_refused_to_new_sign_ups(client, post):
    _keep(client, post)
    assert name_is_reserved("Sam Visitor")
    response = client.post(
        "/accounts/signup/",
        {
            "display_name": "Sam Visitor",
            "email": "newcomer@example.org",
            "password1": "violet tram harbour 1987",
            "password2": "violet tram harbour 1987",
            "website": "",
        },
    )
    assert response.status_code == 400
    assert "already used by another reader" in response.content.decode()


def test_a_second_address_cannot_keep_a_name_already_kept(client, post):
    _keep(client, post)
    response = client.get(_path(claim_url("Sam Visitor", "late@example.org")))
    assert response.status_code == 400
    assert "already kept by another guest" in response.content.decode()
    assert GuestName.objects.confirmed().get().email == "sam@example.net"


def test_a_name_an_account_took_meanwhile_cannot_be_kept(client, post):
    _comment(post)
    UserFactory(username="samv", display_name="Sam Visitor")
    response = client.get(_path(_link_in(_offers()[0])))
    assert response.status_code == 400
    assert "registered reader" in response.content.decode()
    assert not GuestName.objects.confirmed().exists()


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        claim_token("Sam Visitor", "sam@example.net")[:-2] + "xx",
    ],
)
def test_a_forged_link_is_refused(client, token):
    response = client.get(f"/accounts/keep-name/{token}/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not GuestName.objects.exists()


def test_an_expired_link_is_refused(client, settings):
    settings.ACCOUNTS_GUEST_CLAIM_LINK_DAYS = 7
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 8 * 86400):
        token = claim_token("Sam Visitor", "sam@example.net")
    response = client.get(f"/accounts/keep-name/{token}/")
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    with pytest.raises(ValidationError):
        guest_claim_confirm(token=token)
    assert not GuestName.objects.exists()
