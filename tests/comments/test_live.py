"""Live updates (issue 11): `comments:since` counts comments published after a number.

The post page's poller (static/js/live.js) asks it every ~30 s; it answers small
JSON with an ETag (a repeat is a 304), costs one small query, and none at all
where the version counters are shared and the answer is kept under the post's version.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import Post
from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, create_comment_tree

pytestmark = pytest.mark.django_db


def _since(post_id: int, number: int) -> str:
    return reverse("comments:since", kwargs={"post_id": post_id, "number": number})


def _new(client, post, number: int) -> dict:
    response = client.get(_since(post.pk, number))
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def post():
    return PostFactory()


def test_counts_comments_published_after_the_number(client, post):
    first = CommentFactory(post=post, guest=True)
    CommentFactory(post=post, guest=True)
    CommentFactory(post=post, guest=True)

    data = _new(client, post, first.number)

    assert data["new"] == 2
    assert data["first"] == 2
    assert data["last"] == 3


def test_links_the_first_new_comment_permalink(client, post):
    CommentFactory(post=post, guest=True)
    second = CommentFactory(post=post, guest=True)

    data = _new(client, post, 1)

    assert data["first_url"] == second.get_absolute_url()


def test_nothing_new_is_zero(client, post):
    CommentFactory(post=post, guest=True)

    data = _new(client, post, 1)

    assert data == {"after": 1, "new": 0, "first": None, "first_url": None, "last": 1}


@pytest.mark.parametrize(
    "status",
    [
        Comment.Status.PENDING,
        Comment.Status.REMOVED,
        Comment.Status.SPAM,
        Comment.Status.SHADOWED,
        Comment.Status.DELETED,
    ],
)
def test_hidden_comments_are_never_counted(client, post, status):
    CommentFactory(post=post, guest=True)
    hidden = CommentFactory(post=post, guest=True)
    Comment.objects.filter(pk=hidden.pk).update(status=status)

    data = _new(client, post, 0)

    assert (data["new"], data["first"], data["last"]) == (1, 1, 1)


def test_answer_is_json_that_proxies_must_revalidate(client, post):
    response = client.get(_since(post.pk, 0))

    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-cache"
    assert response["ETag"]


def test_repeated_poll_is_a_304(client, post):
    CommentFactory(post=post, guest=True)
    etag = client.get(_since(post.pk, 0))["ETag"]

    response = client.get(_since(post.pk, 0), headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""


def test_a_new_comment_changes_the_etag(client, post):
    CommentFactory(post=post, guest=True)
    etag = client.get(_since(post.pk, 0))["ETag"]
    CommentFactory(post=post, guest=True)

    response = client.get(_since(post.pk, 0), headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert json.loads(response.content)["new"] == 2


def test_needs_no_session_and_sets_no_cookie(client, post):
    response = client.get(_since(post.pk, 0))

    assert not response.cookies


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_unpublished_post_is_a_404(client, trait):
    post = PostFactory(**{trait: True})

    assert client.get(_since(post.pk, 0)).status_code == 404


def test_unknown_post_is_a_404(client):
    assert client.get(_since(987654, 0)).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/comments/1/since/-1/", "/comments/1/since/abc/", "/comments/99999999999999999999/since/0/"],
)
def test_malformed_addresses_are_404s(client, path):
    assert client.get(path).status_code == 404


def test_number_past_the_integer_range_is_a_400_with_a_message(client, post):
    response = client.get(_since(post.pk, 2**31))

    assert response.status_code == 400
    assert b"Comment numbers" in response.content


def test_only_get(client, post):
    assert client.post(_since(post.pk, 0)).status_code == 405


def test_unpublishing_the_post_makes_a_kept_answer_a_404(client, post, settings):
    settings.RIPOSTE_PAGE_CACHE_SECONDS = 60
    assert client.get(_since(post.pk, 0)).status_code == 200
    post.status = Post.Status.DRAFT
    post.save()

    assert client.get(_since(post.pk, 0)).status_code == 404


def test_a_kept_answer_is_renewed_by_a_new_comment(client, post, settings):
    settings.RIPOSTE_PAGE_CACHE_SECONDS = 60
    assert _new(client, post, 0)["new"] == 0
    CommentFactory(post=post, guest=True)

    assert _new(client, post, 0)["new"] == 1


# ─── Cost ────────────────────────────────────────────────────────────────────


@pytest.fixture(params=[10, 500], ids=lambda n: f"{n}-comments")
def busy_post(request, post, reader, other_reader):
    create_comment_tree(
        post=post, count=request.param, authors=[reader, other_reader, None], seed=1
    )
    post.refresh_from_db()
    return post


def test_a_poll_costs_at_most_one_query(client, busy_post, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(_since(busy_post.pk, busy_post.last_comment_number - 5))

    assert json.loads(response.content)["new"] == 5


def test_a_poll_answered_from_the_cache_costs_no_query(client, busy_post, settings):
    settings.RIPOSTE_PAGE_CACHE_SECONDS = 60
    url = _since(busy_post.pk, 3)
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert len(queries) == 0
