"""Reply emails, followed posts, digests, unsubscribe links, replies page and feed (issue 4)."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from procrastinate.contrib.django import app

from accounts.models import Notification, PostSubscription
from accounts.notifications import UNSUBSCRIBE_LINK_AGE, unsubscribe_url
from comments.notifications import notify_reply
from comments.tasks import digests_send, notification_email
from jobs.models import EmailDelivery, JobFailure
from jobs.outbox import enqueue
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.queue import make_due, queued, run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    """A reader who asked for reply emails."""
    return UserFactory(username="alice", display_name="Alice", is_notified_of_replies=True)


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", display_name="Bob")


def _reply(to, by, **kwargs):
    return CommentFactory(parent=to, author=by, body="I disagree, and here is why.", **kwargs)


def _notify(comment):
    """Run the jobs posting `comment` queued, as the worker would after the commit."""
    run_jobs()
    return comment


def _unsubscribe_link(message) -> str:
    return re.search(r"Stop these emails.*?: (\S+)", message.body).group(1)


# ─── Who is told ─────────────────────────────────────────────────────────────


def test_a_reply_emails_the_parents_author_who_opted_in(alice, bob):
    reply = _reply(CommentFactory(author=alice), bob)
    _notify(reply)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    assert "Bob replied to you" in message.subject
    assert "I disagree, and here is why." in message.body
    assert reply.get_absolute_url() in message.body


def test_reply_emails_are_opt_in(bob):
    quiet = UserFactory(username="quiet")
    _notify(_reply(CommentFactory(author=quiet), bob))
    assert not mail.outbox
    assert not Notification.objects.exists()


def test_nobody_is_told_about_their_own_reply(alice):
    _notify(_reply(CommentFactory(author=alice), alice))
    assert not mail.outbox


@pytest.mark.parametrize("state", ["pending", "removed", "spam"])
def test_unpublished_comments_tell_nobody(alice, bob, state):
    _notify(_reply(CommentFactory(author=alice), bob, **{state: True}))
    assert not mail.outbox


def test_unconfirmed_or_inactive_accounts_get_no_email(bob):
    for change in ({"email_verified_at": None}, {"is_active": False}):
        user = UserFactory(is_notified_of_replies=True)
        parent = CommentFactory(author=user)
        # The account lost its standing after it commented.
        type(user).objects.filter(pk=user.pk).update(**change)
        _notify(_reply(parent, bob))
    assert not mail.outbox


def test_followers_of_a_post_hear_about_every_new_comment(alice, bob):
    follower = UserFactory(username="follower")
    post = PostFactory()
    PostSubscription.objects.create(user=follower, post=post)
    comment = CommentFactory(post=post, author=bob)
    _notify(comment)
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert "New comment on" in mail.outbox[0].subject


def test_a_follower_who_is_also_replied_to_gets_one_email(alice, bob):
    parent = CommentFactory(author=alice)
    PostSubscription.objects.create(user=alice, post=parent.post)
    _notify(_reply(parent, bob))
    assert len(mail.outbox) == 1
    assert Notification.objects.get().reason == Notification.Reason.REPLY


def test_notifying_twice_sends_nothing_more(alice, bob):
    reply = _notify(_reply(CommentFactory(author=alice), bob))
    notify_reply(reply)
    run_jobs()
    assert len(mail.outbox) == 1


# ─── Failures never lose or block the comment (issue 12) ─────────────────────


def test_the_notification_is_queued_in_the_comments_transaction(alice, bob):
    parent = _notify(CommentFactory(author=alice))
    reply = _reply(parent, bob)
    assert not mail.outbox, "nothing is sent in the request"
    assert [job["args"] for job in queued("accounts.comment_notify")] == [{"comment_id": reply.pk}]
    run_jobs()
    assert len(mail.outbox) == 1


def test_a_comment_rolled_back_leaves_no_notification_job(alice, bob):
    """Issue 12: the job and the comment commit together or not at all."""
    parent = _notify(CommentFactory(author=alice))
    with pytest.raises(RuntimeError), transaction.atomic():
        _reply(parent, bob)
        assert queued("accounts.comment_notify")
        raise RuntimeError("the request failed after posting")
    assert not queued("accounts.comment_notify")
    run_jobs()
    assert not mail.outbox


def test_a_mail_failure_is_retried_by_the_queue_and_sent_once(alice, bob):
    """Issue 12: an SMTP error fails the email's job, which is retried with its error kept."""
    reply = _reply(CommentFactory(author=alice), bob)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")):
        _notify(reply)
    assert not mail.outbox
    assert Notification.objects.unsent().count() == 1
    failure = JobFailure.objects.get()
    assert (failure.task_name, failure.error) == (
        "accounts.notification_email",
        "OSError: smtp down",
    )
    assert queued("accounts.notification_email"), "waiting for its retry"
    make_due()
    run_jobs()
    assert len(mail.outbox) == 1
    assert not Notification.objects.unsent().exists()
    assert EmailDelivery.objects.get().key == f"notification:{Notification.objects.get().pk}"


def test_a_retried_email_job_that_already_sent_sends_nothing_more(alice, bob):
    """Issue 12: a worker killed after the send committed retries the job; no second email."""
    _notify(_reply(CommentFactory(author=alice), bob))
    notification = Notification.objects.get()
    # As if the worker died before marking the job done: the same job runs again.
    Notification.objects.filter(pk=notification.pk).update(sent_at=None)
    enqueue(notification_email, notification_id=notification.pk)
    run_jobs()
    assert len(mail.outbox) == 1


def test_a_broken_notification_step_fails_its_job_not_the_comment(alice, bob):
    parent = _notify(CommentFactory(author=alice))
    with mock.patch("comments.notifications.recipients", side_effect=RuntimeError("boom")):
        reply = _notify(_reply(parent, bob))
    assert reply.pk
    assert JobFailure.objects.get().error == "RuntimeError: boom"


def test_send_notifications_queues_emails_still_waiting(alice, bob):
    """Notifications recorded before the queue existed go out through it."""
    reply = _reply(CommentFactory(author=alice), bob)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")
    Notification.objects.create(user=alice, comment=reply, reason=Notification.Reason.REPLY)
    call_command("send_notifications")
    run_jobs()
    assert len(mail.outbox) == 1


# ─── Daily digest ────────────────────────────────────────────────────────────


def test_digest_readers_get_one_email_a_day_with_every_reply(alice, bob):
    alice.email_frequency = alice.EmailFrequency.DAILY
    alice.save()
    parent = CommentFactory(author=alice)
    for _ in range(3):
        _notify(_reply(parent, bob))
    assert not mail.outbox
    call_command("send_notifications", "--digest")
    run_jobs()
    assert len(mail.outbox) == 1
    assert "3 new comments" in mail.outbox[0].subject
    assert mail.outbox[0].body.count("I disagree, and here is why.") == 3
    call_command("send_notifications", "--digest")
    run_jobs()
    assert len(mail.outbox) == 1


def test_the_worker_queues_the_digests_on_its_daily_schedule(alice, bob):
    alice.email_frequency = alice.EmailFrequency.DAILY
    alice.save()
    _notify(_reply(CommentFactory(author=alice), bob))
    scheduled = {
        task.periodic_id: task.cron for task in app.periodic_registry.periodic_tasks.values()
    }
    assert scheduled["accounts-digests"] == "0 7 * * *"
    digests_send(timestamp=0)
    run_jobs()
    assert len(mail.outbox) == 1


# ─── One-click unsubscribe ───────────────────────────────────────────────────


def test_every_email_has_one_click_unsubscribe_headers(alice, bob):
    _notify(_reply(CommentFactory(author=alice), bob))
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/accounts/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_opening_the_unsubscribe_link_only_shows_the_choice(client, alice, bob):
    """Issue 8: link-scanning mail gateways GET every link; a GET must not unsubscribe."""
    _notify(_reply(CommentFactory(author=alice), bob))
    response = client.get(_path(_unsubscribe_link(mail.outbox[0])))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Stop these emails?" in page
    assert '<form method="post"' in page
    alice.refresh_from_db()
    assert alice.is_notified_of_replies


def test_one_click_post_without_cookies_unsubscribes(alice, bob):
    """Issue 8: RFC 8058 one-click, as a mail client sends it: no cookies, no CSRF token."""
    _notify(_reply(CommentFactory(author=alice), bob))
    mail_client = Client(enforce_csrf_checks=True)
    url = _path(mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>"))
    response = mail_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "<title>Unsubscribed" in response.content.decode()
    alice.refresh_from_db()
    assert not alice.is_notified_of_replies
    assert mail_client.post(url).status_code == 200  # again: nothing more changes


def test_the_unsubscribe_button_unsubscribes(alice):
    browser = Client(enforce_csrf_checks=True)
    url = unsubscribe_url(alice, "replies")
    page = browser.get(url).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    assert browser.post(action, fields).status_code == 200
    alice.refresh_from_db()
    assert not alice.is_notified_of_replies


def test_unsubscribing_from_a_post_stops_only_that_post(client, bob):
    follower = UserFactory()
    kept, dropped = PostFactory(), PostFactory()
    for post in (kept, dropped):
        PostSubscription.objects.create(user=follower, post=post)
    assert client.post(unsubscribe_url(follower, f"post:{dropped.pk}")).status_code == 200
    assert list(follower.subscriptions.values_list("post_id", flat=True)) == [kept.pk]


def test_unsubscribe_all_stops_everything(client, alice):
    PostSubscription.objects.create(user=alice, post=PostFactory())
    client.post(unsubscribe_url(alice, "all"))
    alice.refresh_from_db()
    assert not alice.is_notified_of_replies
    assert not alice.subscriptions.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_unsubscribe_link_is_refused(client, alice, method):
    """Issue 8: the refusal page is not titled "Unsubscribed"."""
    url = unsubscribe_url(alice, "all")
    response = getattr(client, method)(url[:-4] + "abc/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Unsubscribe link not valid" in page
    assert "This unsubscribe link is not valid." in page
    alice.refresh_from_db()
    assert alice.is_notified_of_replies


def test_an_expired_unsubscribe_link_is_refused(client, alice):
    url = unsubscribe_url(alice, "all")
    a_year_on = time.time() + UNSUBSCRIBE_LINK_AGE + 60
    with mock.patch("django.core.signing.time.time", return_value=a_year_on):
        response = client.post(url)
    assert response.status_code == 400
    assert "has expired" in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_notified_of_replies


# ─── Following posts and settings ────────────────────────────────────────────


def test_following_a_post_toggles(client, reader):
    post = PostFactory()
    client.force_login(reader)
    url = reverse("accounts:post-subscribe", kwargs={"post_id": post.pk})
    assert client.post(url).status_code == 302
    assert PostSubscription.objects.filter(user=reader, post=post).exists()
    client.post(url)
    assert not PostSubscription.objects.filter(user=reader, post=post).exists()


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_unpublished_posts_cannot_be_followed(client, reader, state):
    post = PostFactory(**{state: True})
    client.force_login(reader)
    url = reverse("accounts:post-subscribe", kwargs={"post_id": post.pk})
    assert client.post(url).status_code == 404


def test_anonymous_readers_cannot_follow(client):
    url = reverse("accounts:post-subscribe", kwargs={"post_id": PostFactory().pk})
    assert client.post(url)["Location"].startswith(reverse("accounts:login"))
    assert not PostSubscription.objects.exists()


def test_following_redirects_only_within_the_site(client, reader):
    post = PostFactory()
    client.force_login(reader)
    url = reverse("accounts:post-subscribe", kwargs={"post_id": post.pk})
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == f"{post.get_absolute_url()}#comments"


def test_notification_settings_are_saved(client, reader):
    client.force_login(reader)
    response = client.post(
        reverse("accounts:notifications"),
        {"is_notified_of_replies": "on", "email_frequency": "daily", "is_staff": "on"},
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.is_notified_of_replies
    assert reader.email_frequency == "daily"
    assert not reader.is_staff


def test_bad_notification_settings_are_refused(client, reader):
    client.force_login(reader)
    response = client.post(reverse("accounts:notifications"), {"email_frequency": "hourly"})
    assert response.status_code == 400


# ─── Replies page and private feed ───────────────────────────────────────────


def test_replies_page_lists_only_visible_replies_to_me(client, alice, bob):
    mine = CommentFactory(author=alice)
    visible = _reply(mine, bob)
    hidden = _reply(mine, bob, pending=True)
    own = _reply(mine, alice)
    elsewhere = CommentFactory(author=bob)
    client.force_login(alice)
    page = client.get(reverse("accounts:replies")).content.decode()
    assert visible.get_absolute_url() in page
    for absent in (hidden, own, elsewhere):
        assert absent.get_absolute_url() not in page


def test_replies_page_needs_sign_in(client):
    assert client.get(reverse("accounts:replies")).status_code == 302


def test_replies_feed_needs_its_token_and_the_token_can_be_revoked(client, alice, bob):
    reply = _reply(CommentFactory(author=alice), bob)
    client.force_login(alice)
    client.post(reverse("accounts:feed-token-renew"))
    alice.refresh_from_db()
    url = reverse("accounts:replies-feed", kwargs={"token": alice.feed_token})
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert reply.get_absolute_url() in response.content.decode()
    client.force_login(alice)
    client.post(reverse("accounts:feed-token-renew"))
    client.logout()
    assert client.get(url).status_code == 404


def test_a_wrong_or_empty_feed_token_finds_nothing(client, bob):
    assert client.get(reverse("accounts:replies-feed", kwargs={"token": "nope"})).status_code == 404


@pytest.mark.parametrize("count", [2, 12])
def test_replies_page_makes_a_fixed_number_of_queries(
    client, alice, bob, count, django_assert_max_num_queries
):
    """Each reply links to the comment it answers: that must not cost a query per reply."""
    parent = CommentFactory(author=alice)
    for _ in range(count):
        _reply(parent, bob)
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("accounts:replies")).status_code == 200
