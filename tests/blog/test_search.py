"""Search: ranking, escaped highlighted snippets, pagination, and bad input as 400s."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from blog.search import _START, _STOP, MAX_QUERY_LENGTH, highlight
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def _search(client, query, **params):
    return client.get(reverse("blog:search"), {"q": query, **params})


# ─── Results ─────────────────────────────────────────────────────────────────


def test_title_match_ranks_above_body_only_match(client):
    now = timezone.now()
    in_title = PostFactory(
        title="The kestrel count", body="Birds were counted.", published_at=now - timedelta(days=2)
    )
    in_body = PostFactory(
        title="Weekend notes",
        body="Someone saw a kestrel near the depot.",
        published_at=now - timedelta(days=1),
    )
    response = _search(client, "kestrel")
    assert response.status_code == 200
    assert list(response.context["posts"]) == [in_title, in_body]


def test_search_matches_other_word_forms(client):
    post = PostFactory(body="The council was voting late into the night.")
    assert list(_search(client, "vote").context["posts"]) == [post]


def test_search_snippet_marks_the_matched_word(client):
    PostFactory(body="A kestrel hovered over the stadium during the rally.")
    response = _search(client, "kestrel")
    assert "<mark>kestrel</mark>" in response.context["posts"][0].snippet
    assert "<mark>kestrel</mark>" in response.content.decode()


def test_search_snippet_carries_no_html_from_the_post(client):
    PostFactory(body="Wrap the kestrel in `<b>` tags, or <b>not</b>.")
    snippet = _search(client, "kestrel").context["posts"][0].snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_search_snippet_shows_html_written_in_the_post_as_escaped_text(client):
    PostFactory(body="Wrap the kestrel in `<b>` tags.")
    response = _search(client, "kestrel")
    assert "&lt;b&gt;" in response.context["posts"][0].snippet
    assert "&lt;b&gt;" in response.content.decode()


def test_search_snippet_marks_only_real_matches(client):
    """Sentinel characters typed by an author must not turn into <mark> tags."""
    PostFactory(body="Semantic brackets ⟦like these⟧ appear near the kestrel.")
    snippet = _search(client, "kestrel").context["posts"][0].snippet
    assert snippet.count("<mark>") == 1


def test_highlight_escapes_everything_except_its_own_marks():
    assert highlight(f"a <i>{_START}vote{_STOP}</i> & more") == (
        "a &lt;i&gt;<mark>vote</mark>&lt;/i&gt; &amp; more"
    )


def test_search_results_are_paginated(client, settings):
    settings.POSTS_PER_PAGE = 5
    PostFactory.create_batch(7, body="Another kestrel sighting downtown.")
    first = _search(client, "kestrel")
    second = _search(client, "kestrel", page=2)
    assert (len(first.context["posts"]), len(second.context["posts"])) == (5, 2)


def test_search_pages_do_not_repeat_results(client, settings):
    settings.POSTS_PER_PAGE = 5
    PostFactory.create_batch(7, body="Another kestrel sighting downtown.")
    first = set(_search(client, "kestrel").context["posts"])
    second = set(_search(client, "kestrel", page=2).context["posts"])
    assert not first & second


def test_search_page_links_keep_the_query(client, settings):
    settings.POSTS_PER_PAGE = 5
    PostFactory.create_batch(7, body="Another kestrel sighting downtown.")
    assert "?q=kestrel&amp;page=2" in _search(client, "kestrel").content.decode()


def test_search_page_beyond_the_last_is_not_found(client):
    PostFactory(body="One kestrel only.")
    assert _search(client, "kestrel", page=999).status_code == 404


def test_search_without_query_shows_the_empty_form(client):
    response = client.get(reverse("blog:search"))
    assert response.status_code == 200
    assert list(response.context["posts"]) == []


def test_search_for_stop_words_only_finds_nothing(client):
    PostFactory(body="The and the of the.")
    response = _search(client, "the")
    assert response.status_code == 200
    assert list(response.context["posts"]) == []


def test_search_with_no_match_says_so(client):
    PostFactory()
    assert "No posts match" in _search(client, "xylophone").content.decode()


# ─── Bad input ───────────────────────────────────────────────────────────────


def test_empty_search_answers_400_with_message(client):
    response = _search(client, "")
    assert response.status_code == 400
    assert "Type a word or phrase to search for." in response.content.decode()


def test_whitespace_only_search_answers_400_with_message(client):
    response = _search(client, "   ")
    assert response.status_code == 400
    assert "Type a word or phrase to search for." in response.content.decode()


def test_ten_thousand_character_search_answers_400_with_message(client):
    response = _search(client, "a" * 10_000)
    assert response.status_code == 400
    assert f"Search for at most {MAX_QUERY_LENGTH} characters." in response.content.decode()


def test_search_with_nul_byte_answers_400(client):
    response = client.get(f"{reverse('blog:search')}?q=kes%00trel")
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()


@pytest.mark.parametrize("control", ["\x07", "\x08", "\x1b", "\x7f", "\x9b"], ids=repr)
def test_search_with_control_characters_answers_400(client, control):
    response = _search(client, f"kes{control}trel")
    assert response.status_code == 400
    assert "The search contains control characters; remove them." in response.content.decode()


def test_search_of_punctuation_only_answers_400_with_message(client):
    response = _search(client, "!!! ???")
    assert response.status_code == 400
    assert "Type at least one letter or digit" in response.content.decode()


SQL_LOOKING = ["'; DROP TABLE blog_post; --", '" OR 1=1', "a & | ! (", "kestrel:* <-> !!x"]


@pytest.mark.parametrize("query", SQL_LOOKING)
def test_sql_looking_search_is_an_ordinary_search(client, query):
    """Each has a letter or digit to look for, so each is a search like any other."""
    PostFactory(body="A kestrel in the rafters.")
    assert _search(client, query).status_code == 200


@pytest.mark.parametrize("query", SQL_LOOKING)
def test_sql_looking_search_leaves_posts_table_intact(client, query):
    post = PostFactory()
    _search(client, query)
    assert "blog_post" in connection.introspection.table_names()
    assert Post.objects.filter(pk=post.pk).exists()
