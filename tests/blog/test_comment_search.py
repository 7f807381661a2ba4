"""Search covers comments (issue 11): published comments on live posts, ranked, with escaped
highlighted snippets linking to their permalinks, paginated, at a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory, create_comment_tree

pytestmark = pytest.mark.django_db

Status = Comment.Status


def _search(client, query, scope="comments", **params):
    return client.get(reverse("blog:search"), {"q": query, "scope": scope, **params})


def _found(client, query) -> list[Comment]:
    response = _search(client, query)
    assert response.status_code == 200
    return list(response.context["comments"])


# ─── What is found ───────────────────────────────────────────────────────────


def test_a_published_comment_is_found_by_its_words(client):
    comment = CommentFactory(body="A kestrel hovered over the depot.")
    assert _found(client, "kestrel") == [comment]


def test_comment_search_matches_other_word_forms(client):
    comment = CommentFactory(body="The council was voting late into the night.")
    assert _found(client, "vote") == [comment]


def test_a_comment_with_more_matches_ranks_first(client):
    once = CommentFactory(body="One kestrel, and then many other birds of every kind.")
    often = CommentFactory(body="Kestrel after kestrel: the kestrel count is up.")
    assert _found(client, "kestrel") == [often, once]


def test_words_inside_a_link_are_found_but_its_address_is_not_shown(client):
    CommentFactory(body="See [the kestrel survey](https://example.org/birds).")
    snippet = _search(client, "kestrel").context["comments"][0].snippet
    assert "<mark>kestrel</mark>" in snippet
    assert "example.org" not in snippet


def test_a_comment_result_links_to_its_permalink(client):
    comment = CommentFactory(body="A kestrel hovered.")
    page = _search(client, "kestrel").content.decode()
    assert f'href="{comment.get_absolute_url()}"' in page
    assert f'href="{comment.post.get_absolute_url()}"' in page


def _card_names(page: str) -> list[str]:
    """The number and name line of each comment card on the page, tags dropped."""
    lines = re.findall(r'<h3 class="comment__name"[^>]*>(.*?)</h3>', page, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in lines]


def test_a_comment_result_is_the_comment_card_naming_its_author(client):
    CommentFactory(body="A kestrel hovered.", author=UserFactory(display_name="Ruth Finch"))
    page = _search(client, "kestrel").content.decode()
    assert _card_names(page)[0].startswith("#1 Ruth Finch on ")
    assert '<p class="comment__snippet"><mark>kestrel</mark> hovered' in page


def test_a_guest_comment_result_names_the_guest(client):
    CommentFactory(body="A kestrel hovered.", guest=True, guest_name="Steve")
    assert _card_names(_search(client, "kestrel").content.decode())[0].startswith("#1 Steve")


# ─── Hidden comments ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "status", [Status.PENDING, Status.REMOVED, Status.SPAM, Status.SHADOWED, Status.DELETED]
)
def test_a_hidden_comment_never_appears_in_search(client, status):
    comment = CommentFactory(body="A secret kestrel sighting.")
    Comment.objects.filter(pk=comment.pk).update(status=status)
    response = _search(client, "kestrel")
    assert list(response.context["comments"]) == []
    assert "secret" not in response.content.decode()


@pytest.mark.parametrize(
    "status", [Status.PENDING, Status.REMOVED, Status.SPAM, Status.SHADOWED, Status.DELETED]
)
def test_a_hidden_comment_is_not_counted_on_the_posts_tab(client, status):
    comment = CommentFactory(body="A secret kestrel sighting.")
    Comment.objects.filter(pk=comment.pk).update(status=status)
    response = _search(client, "kestrel", scope="posts")
    assert response.context["scope_counts"]["comments"] == 0


def test_a_comment_on_a_draft_never_appears_in_search(client):
    comment = CommentFactory(body="A kestrel under a draft.")
    Post.objects.filter(pk=comment.post_id).update(status=Post.Status.DRAFT)
    assert _found(client, "kestrel") == []


def test_a_comment_on_a_scheduled_post_never_appears_in_search(client):
    comment = CommentFactory(body="A kestrel from the future.")
    later = timezone.now() + timedelta(days=2)
    Post.objects.filter(pk=comment.post_id).update(published_at=later)
    assert _found(client, "kestrel") == []


def test_an_edit_is_searchable_at_once(client):
    comment = CommentFactory(body="A sparrow.")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>A kestrel.</p>")
    assert _found(client, "kestrel") == [comment]


# ─── Snippets ────────────────────────────────────────────────────────────────


def test_the_snippet_marks_the_matched_word(client):
    CommentFactory(body="A kestrel hovered over the stadium during the rally.")
    response = _search(client, "kestrel")
    assert "<mark>kestrel</mark>" in response.context["comments"][0].snippet
    assert "<mark>kestrel</mark>" in response.content.decode()


def test_the_snippet_carries_no_html_from_the_comment(client):
    CommentFactory(body="Wrap the kestrel in `<b>` tags, or <b>not</b>, or **bold**.")
    snippet = _search(client, "kestrel").context["comments"][0].snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_the_snippet_shows_html_written_in_the_comment_as_text_escaped_once(client):
    CommentFactory(body='Wrap the kestrel in `<b>` tags & quotes "like this".')
    snippet = _search(client, "kestrel").context["comments"][0].snippet
    assert "&lt;b&gt;" in snippet
    assert "tags &amp; quotes" in snippet
    assert "&amp;amp;" not in snippet and "&amp;lt;" not in snippet


def test_the_snippet_marks_only_real_matches(client):
    """Sentinel characters typed by a commenter must not turn into <mark> tags."""
    CommentFactory(body="Brackets \ue001like these\ue002 appear near the kestrel.")
    snippet = _search(client, "kestrel").context["comments"][0].snippet
    assert snippet.count("<mark>") == 1


# ─── The page ────────────────────────────────────────────────────────────────


def test_the_posts_tab_counts_the_matching_comments(client):
    PostFactory(body="A kestrel in a post.")
    CommentFactory.create_batch(2, body="A kestrel in a comment.")
    response = _search(client, "kestrel", scope="posts")
    assert response.context["scope_counts"] == {"posts": 1, "comments": 2}
    assert "?q=kestrel&amp;scope=comments" in response.content.decode()


def test_the_comments_tab_is_marked_current(client):
    CommentFactory(body="A kestrel in a comment.")
    page = _search(client, "kestrel").content.decode()
    assert '&amp;scope=comments" aria-current="page">Comments' in page


def test_searching_again_from_the_comments_tab_stays_on_comments(client):
    page = _search(client, "kestrel").content.decode()
    assert '<input type="hidden" name="scope" value="comments">' in page


def test_comment_results_are_paginated_and_pages_keep_the_scope(client, settings):
    settings.POSTS_PER_PAGE = 5
    CommentFactory.create_batch(7, body="Another kestrel sighting downtown.")
    first = _search(client, "kestrel")
    second = _search(client, "kestrel", page=2)
    assert (len(first.context["comments"]), len(second.context["comments"])) == (5, 2)
    assert not set(first.context["comments"]) & set(second.context["comments"])
    assert "?q=kestrel&amp;scope=comments&amp;page=2" in first.content.decode()


def test_no_matching_comment_says_so(client):
    CommentFactory(body="Nothing relevant.")
    assert "No comments match" in _search(client, "xylophone").content.decode()


def test_an_unknown_scope_answers_400_with_a_message(client):
    response = _search(client, "kestrel", scope="users")
    assert response.status_code == 400
    assert "Search in posts or in comments." in response.content.decode()


@pytest.mark.parametrize("count", [10, 500])
def test_comment_search_runs_a_fixed_number_of_queries(
    client, settings, count, django_assert_max_num_queries
):
    post = PostFactory()
    create_comment_tree(post=post, count=count, authors=[UserFactory(), None])
    Comment.objects.update(body_html=Concat("body_html", Value("<p>A kestrel.</p>")))
    # Sidebar (4), the page's comments, their count, the posts' count, two savepoints.
    with django_assert_max_num_queries(9):
        response = _search(client, "kestrel")
    assert response.context["paginator"].count == count
