"""Every form the site shows, sent back as a browser sends it, with CSRF checks on.

Django's test client skips CSRF checks unless asked, so a form rendered without its
token passed every test while readers got "403 CSRF token missing" (issue 8: the
follow button). Here each page is fetched by the person who uses it with
`Client(enforce_csrf_checks=True)`, every POST form on it is taken as rendered
(tests/html_forms.py) and submitted, and the answer must be the form's success.
Each submission runs in a savepoint that is rolled back, so every form of a page is
tried against the same state.
"""

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.notifications import subscription_toggle, unsubscribe_url
from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.html_forms import post_forms_on

POSTED = 302


def get(url, **kwargs):
    return lambda client: client.get(url, **kwargs)


def assert_every_form_works(*, user, fetch, expected, typed=None, buttons=None, optional=()):
    """Fetch the page as `user`, then send each POST form on it; `expected` maps the URL
    name each form posts to onto the status its success answers (None: any below 400).

    A form missing from the page, or one the test does not know, fails too: a new form
    must be added here. `optional` names forms another change may add or remove.
    """
    buttons = buttons or {}

    def open_page():
        cache.clear()
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        response = fetch(client)
        assert response.status_code == 200, response.status_code
        return client, post_forms_on(response)

    with transaction.atomic():
        _, forms = open_page()
        transaction.set_rollback(True)
    found = Counter(form.url_name for form in forms)
    assert set(found) - set(expected) == set(), "forms this test does not know"
    assert set(expected) - set(found) - set(optional) == set(), "forms missing from the page"

    for index in range(len(forms)):
        with transaction.atomic():
            client, forms_now = open_page()
            form = forms_now[index]
            if not form.target_is_csrf_exempt:
                form.fill_tokens(client)
                assert form.csrf_token, f"the {form.url_name} form has no CSRF token"
            answer = form.submit(client, typed=typed, button=buttons.get(form.url_name))
            refused_by_csrf = "403_csrf.html" in {t.name for t in answer.templates}
            assert not refused_by_csrf, f"the {form.url_name} form was refused by the CSRF check"
            wanted = expected[form.url_name]
            if wanted is None:
                assert answer.status_code < 400, (form.url_name, answer.status_code)
            else:
                assert answer.status_code == wanted, (
                    form.url_name,
                    answer.status_code,
                    answer.content[:2000].decode(errors="replace"),
                )
            transaction.set_rollback(True)


@pytest.fixture
def post(db):
    return PostFactory(title="The budget vote, again", slug="budget-vote")


@pytest.fixture
def other_reader(db):
    return UserFactory(username="otto", display_name="Otto Other")


@pytest.fixture
def readers_comment(post, reader):
    return CommentFactory(post=post, author=reader, body="The delay was procedural.")


@pytest.fixture
def others_comment(post, other_reader):
    return CommentFactory(post=post, author=other_reader, body="No, it was political.")


# ─── Comments ────────────────────────────────────────────────────────────────


def test_post_page_forms_work_for_a_reader(post, reader, readers_comment, others_comment):
    """Regression for issue 8: the follow button was rendered without its CSRF token."""
    assert_every_form_works(
        user=reader,
        fetch=get(post.get_absolute_url()),
        expected={
            "comments:post": POSTED,
            "accounts:post-subscribe": POSTED,
            "accounts:logout": POSTED,
        },
    )


def test_post_page_forms_work_for_a_reader_who_follows_it(post, reader):
    subscription_toggle(user=reader, post=post)
    assert_every_form_works(
        user=reader,
        fetch=get(post.get_absolute_url()),
        expected={
            "comments:post": POSTED,
            "accounts:post-subscribe": POSTED,
            "accounts:logout": POSTED,
        },
    )


def test_cached_post_page_form_works_for_a_guest(post, others_comment):
    """The anonymous page comes from the page cache and holds no token: the form's come
    from the form-tokens address, as comments.js fetches them (issue 10)."""

    def fetch_cached(client):
        Client().get(post.get_absolute_url())  # another reader fills the cache
        return client.get(post.get_absolute_url())

    assert_every_form_works(user=None, fetch=fetch_cached, expected={"comments:post": POSTED})


def test_post_page_forms_work_for_a_moderator(post, moderator, readers_comment, others_comment):
    """The quick moderation buttons under each comment, closing the thread, commenting."""
    assert_every_form_works(
        user=moderator,
        fetch=get(post.get_absolute_url()),
        expected={
            "comments:moderate": POSTED,
            "comments:post": POSTED,
            "comments:close": POSTED,
            "accounts:post-subscribe": POSTED,
            "accounts:logout": POSTED,
        },
        typed={"reason": "Off-topic for this post."},
    )


def test_closed_post_page_reopen_form_works_for_a_moderator(post, moderator):
    post.allow_comments = False
    post.save()
    assert_every_form_works(
        user=moderator,
        fetch=get(post.get_absolute_url()),
        expected={
            "comments:reopen": POSTED,
            "accounts:post-subscribe": POSTED,
            "accounts:logout": POSTED,
        },
    )


def test_reply_page_form_works(post, reader, others_comment):
    assert_every_form_works(
        user=reader,
        fetch=get(reverse("comments:reply", args=[post.pk, others_comment.number])),
        expected={"comments:reply": POSTED, "accounts:logout": POSTED},
    )


def test_write_page_form_works_for_a_guest(post):
    """Without JavaScript, "Write a comment" on the shared anonymous page leads here."""
    assert_every_form_works(
        user=None,
        fetch=get(reverse("comments:write", args=[post.pk])),
        expected={"comments:post": POSTED},
    )


def test_reply_page_form_works_for_a_guest(post, others_comment):
    assert_every_form_works(
        user=None,
        fetch=get(reverse("comments:reply", args=[post.pk, others_comment.number])),
        expected={"comments:reply": POSTED},
    )


def test_preview_page_form_works(post, reader):
    """The preview is itself reached through the form on the post page."""

    def fetch_preview(client):
        page = client.get(post.get_absolute_url())
        form = next(f for f in post_forms_on(page) if f.url_name == "comments:post")
        return form.submit(client, typed={"body": "A first draft."}, button=("preview", "1"))

    assert_every_form_works(
        user=reader,
        fetch=fetch_preview,
        expected={"comments:post": POSTED, "accounts:logout": POSTED},
    )


def test_edit_page_form_works(post, reader, readers_comment):
    assert_every_form_works(
        user=reader,
        fetch=get(reverse("comments:edit", args=[post.pk, readers_comment.number])),
        expected={"comments:edit": POSTED, "accounts:logout": POSTED},
        typed={"body": "The delay was procedural, as the minutes show."},
    )


def test_delete_page_form_works(post, reader, readers_comment):
    assert_every_form_works(
        user=reader,
        fetch=get(reverse("comments:delete", args=[post.pk, readers_comment.number])),
        expected={"comments:delete": POSTED, "accounts:logout": POSTED},
    )


def test_flag_page_form_works(post, reader, others_comment):
    assert_every_form_works(
        user=reader,
        fetch=get(reverse("comments:flag", args=[post.pk, others_comment.number])),
        expected={"comments:flag": POSTED, "accounts:logout": POSTED},
    )


def test_moderate_page_form_works(post, moderator, others_comment):
    assert_every_form_works(
        user=moderator,
        fetch=get(reverse("comments:moderate", args=[post.pk, others_comment.number])),
        expected={"comments:moderate": POSTED, "accounts:logout": POSTED},
        buttons={"comments:moderate": ("action", "remove")},
        typed={"reason": "Off-topic for this post."},
    )


@pytest.mark.parametrize("action", ["ban", "delete"])
def test_moderate_confirmation_form_works(post, superuser, others_comment, action):
    """Issue 11: a ban or a delete for good is confirmed on a page of its own."""
    url = reverse("comments:moderate", args=[post.pk, others_comment.number])

    def ask(client):
        token = post_forms_on(client.get(url))[0]
        token.fill_tokens(client)
        data = {"csrfmiddlewaretoken": token.csrf_token, "action": action, "ban_days": "7"}
        return client.post(url, data)

    assert_every_form_works(
        user=superuser,
        fetch=ask,
        expected={"comments:moderate": POSTED, "accounts:logout": POSTED},
        typed={"reason": "Threats against another reader."},
    )


# ─── Admin ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("decision", ["approve", "remove"])
def test_admin_queue_row_buttons_work_for_a_moderator(post, moderator, decision):
    """Issue 11: each row's Approve and Remove buttons send the list's own form."""
    held = CommentFactory(post=post, body="Held for a look.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    assert_every_form_works(
        user=moderator,
        fetch=get(reverse("admin:comments_comment_changelist")),
        expected={"admin:comments_comment_changelist": POSTED, "admin:logout": None},
        buttons={"admin:comments_comment_changelist": ("queue_decide", f"{decision}:{held.pk}")},
    )


# ─── Accounts ────────────────────────────────────────────────────────────────


def test_profile_edit_page_form_works(reader):
    assert_every_form_works(
        user=reader,
        fetch=get(reverse("accounts:profile-edit")),
        expected={"accounts:profile-edit": POSTED, "accounts:logout": POSTED},
    )


def test_profile_edit_page_forms_work_before_the_email_is_confirmed(db):
    newcomer = UserFactory(username="newcomer", email_verified_at=None)
    assert_every_form_works(
        user=newcomer,
        fetch=get(reverse("accounts:profile-edit")),
        expected={
            "accounts:confirmation-resend": POSTED,
            "accounts:profile-edit": POSTED,
            "accounts:logout": POSTED,
        },
    )


def test_email_change_page_form_works(reader):
    assert_every_form_works(
        user=reader,
        fetch=get(reverse("accounts:email-change")),
        expected={"accounts:email-change": POSTED, "accounts:logout": POSTED},
    )


def test_account_delete_page_form_works(reader):
    assert_every_form_works(
        user=reader,
        fetch=get(reverse("accounts:account-delete")),
        expected={"accounts:account-delete": POSTED, "accounts:logout": POSTED},
    )


def test_password_change_page_form_works(reader):
    assert_every_form_works(
        user=reader,
        fetch=get(reverse("accounts:password-change")),
        expected={"accounts:password-change": POSTED, "accounts:logout": POSTED},
    )


def test_notifications_page_forms_work(post, reader):
    subscription_toggle(user=reader, post=post)
    assert_every_form_works(
        user=reader,
        fetch=get(reverse("accounts:notifications")),
        expected={
            "accounts:notifications": POSTED,
            "accounts:post-subscribe": POSTED,
            "accounts:feed-token-renew": POSTED,
            "accounts:logout": POSTED,
        },
    )


def test_signup_page_form_works(db):
    assert_every_form_works(
        user=None, fetch=get(reverse("accounts:signup")), expected={"accounts:signup": POSTED}
    )


def test_signin_page_form_works(reader):
    assert_every_form_works(
        user=None,
        fetch=get(reverse("accounts:login")),
        expected={"accounts:login": POSTED},
        typed={"username": reader.email},
    )


def test_password_reset_page_form_works(reader):
    assert_every_form_works(
        user=None,
        fetch=get(reverse("accounts:password-reset")),
        expected={"accounts:password-reset": POSTED},
        typed={"email": reader.email},
    )


def test_password_reset_confirm_page_form_works(reader):
    link = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(reader.pk)),
            "token": default_token_generator.make_token(reader),
        },
    )
    assert_every_form_works(
        user=None,
        # The link stores the token in the session and redirects to the form.
        fetch=get(link, follow=True),
        expected={"accounts:password-reset-confirm": POSTED},
    )


def test_unsubscribe_page_forms_work_without_a_session(reader):
    """The link from an email; any form it shows must work for a reader not signed in."""
    link = urlsplit(unsubscribe_url(reader, "replies")).path
    assert_every_form_works(
        user=None,
        fetch=get(link),
        expected={"accounts:unsubscribe": 200},
    )


# ─── Every form is tried above ───────────────────────────────────────────────

# Where a POST form is written → the test above that sends it. A new form fails the test
# below until it is sent by a test here. (accounts/unsubscribed.html: issue 8 gives the
# unsubscribe link a page with a button.)
FORM_SOURCES = {
    "templates/base.html": test_post_page_forms_work_for_a_reader,
    "templates/accounts/_follow_button.html": test_post_page_forms_work_for_a_reader,
    "templates/comments/_form.html": test_post_page_forms_work_for_a_reader,
    "templates/comments/_section_tail.html": test_post_page_forms_work_for_a_moderator,
    "templates/comments/_comment.jinja": test_post_page_forms_work_for_a_moderator,
    "templates/comments/comment_edit.html": test_edit_page_form_works,
    "templates/comments/comment_confirm_delete.html": test_delete_page_form_works,
    "templates/comments/flag_form.html": test_flag_page_form_works,
    "templates/comments/moderate.html": test_moderate_page_form_works,
    "templates/comments/moderate_confirm.html": test_moderate_confirmation_form_works,
    "templates/accounts/profile_edit.html": (
        test_profile_edit_page_forms_work_before_the_email_is_confirmed
    ),
    "templates/accounts/email_change.html": test_email_change_page_form_works,
    "templates/accounts/account_delete.html": test_account_delete_page_form_works,
    "templates/accounts/notifications.html": test_notifications_page_forms_work,
    "templates/accounts/signup.html": test_signup_page_form_works,
    "templates/accounts/unsubscribe.html": test_unsubscribe_page_forms_work_without_a_session,
    "templates/registration/login.html": test_signin_page_form_works,
    "templates/registration/password_change_form.html": test_password_change_page_form_works,
    "templates/registration/password_reset_form.html": test_password_reset_page_form_works,
    "templates/registration/password_reset_confirm.html": (
        test_password_reset_confirm_page_form_works
    ),
}
POST_FORM_RE = re.compile(r"<form\b[^>]*\bmethod=[\"']?post", re.IGNORECASE)


def test_every_post_form_the_site_writes_is_sent_by_a_test_here():
    base = Path(settings.BASE_DIR)
    sources = [
        *base.joinpath("templates").rglob("*.html"),
        *base.joinpath("templates").rglob("*.jinja"),
    ]
    for app in ("accounts", "blog", "comments", "imports"):
        sources += [p for p in base.joinpath(app).rglob("*.py") if "migrations" not in p.parts]
    writing_forms = {
        str(path.relative_to(base)) for path in sources if POST_FORM_RE.search(path.read_text())
    }
    assert writing_forms - FORM_SOURCES.keys() == set()
