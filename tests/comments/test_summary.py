"""The summary at the head of the comment section (issue 11, "Long threads"): "from 87
people · latest 2 hours ago (#312) · 4 pages", out of what every reader may see, the
same for all of them, and one query on a cache miss (comments.section.comment_summary).
"""

import datetime
import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from blog import cache_keys
from comments import rendering
from comments.models import Comment
from comments.moderation import actions
from comments.section import comment_summary
from tests.comments.pages import plain
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(r'<p class="comments__summary">(.*?)</p>', re.S)


def _summary_html(response) -> str | None:
    found = SUMMARY.search(response.content.decode())
    return found.group(1) if found else None


def _summary_text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", _summary_html(response))).split())


def _guest(post, name: str, email: str, **extra) -> Comment:
    return CommentFactory(post=post, author=None, guest_name=name, guest_email=email, **extra)


def _refreshed(post):
    post.refresh_from_db(fields=["last_comment_number", "comments_version"])
    return post


# ─── What it counts ──────────────────────────────────────────────────────────


def test_people_are_counted_by_account_and_guests_by_name(post, reader, other_reader):
    CommentFactory(post=post, author=reader)
    CommentFactory(post=post, author=reader)
    CommentFactory(post=post, author=other_reader)
    _guest(post, "Sam Visitor", "sam@example.net")
    _guest(post, "sam visitor", "another-sam@example.net")  # one name, case aside: one person
    _guest(post, "Pat", "pat@example.net")
    summary = comment_summary(_refreshed(post))
    assert summary.people == 4
    assert summary.latest_number == 6


def test_held_shadowed_removed_and_withdrawn_comments_count_for_nothing(post, reader):
    published = CommentFactory(post=post, author=reader)
    hidden = {
        "pending": UserFactory(username="held"),
        "shadowed": UserFactory(username="shadowed"),
        "removed": UserFactory(username="removed"),
        "spam": UserFactory(username="spammer"),
        "deleted": UserFactory(username="withdrawn"),
    }
    for status, writer in hidden.items():
        CommentFactory(post=post, author=writer, status=status)
    _guest(post, "Held Guest", "held@example.net", pending=True)
    summary = comment_summary(_refreshed(post))
    assert (summary.people, summary.latest_number) == (1, published.number)
    assert summary.latest_iso == published.created_at.astimezone(datetime.UTC).isoformat(
        timespec="seconds"
    )


def test_comments_of_deleted_accounts_count_no_one(post, reader, other_reader):
    CommentFactory(post=post, author=reader)
    orphan = CommentFactory(post=post, author=other_reader)
    Comment.objects.filter(pk=orphan.pk).update(author=None)  # as on_delete=SET_NULL leaves it
    assert comment_summary(post).people == 1


def test_a_post_without_published_comments_has_no_summary(client, post):
    CommentFactory(post=post, pending=True)
    assert comment_summary(_refreshed(post)) == (0, 0, None, "", "")
    assert _summary_html(client.get(post.get_absolute_url())) is None


# ─── The line ────────────────────────────────────────────────────────────────


def test_the_line_reads_as_a_sentence_after_the_count(client, post, reader, other_reader):
    CommentFactory(post=post, author=reader)
    latest = CommentFactory(post=post, author=other_reader)
    CommentFactory(post=post, pending=True)
    page = client.get(post.get_absolute_url())
    assert "2 comments from 2 people · latest " in plain(page)
    assert _summary_text(page).endswith(f"(#{latest.number})")  # one page: no page count


def test_one_person_is_one_person(client, post, reader):
    CommentFactory(post=post, author=reader)
    assert _summary_text(client.get(post.get_absolute_url())).startswith("from 1 person · ")


def test_latest_links_to_the_newest_published_comments_permalink(client, post, reader):
    CommentFactory(post=post, author=reader)
    latest = CommentFactory(post=post, author=reader, parent=CommentFactory(post=post))
    CommentFactory(post=post, removed=True)
    line = _summary_html(client.get(post.get_absolute_url()))
    href = html.unescape(re.search(r'href="([^"]+)"', line).group(1))
    assert href == latest.get_absolute_url()
    assert f"(#{latest.number})" in line
    when = latest.created_at.astimezone(datetime.UTC).isoformat(timespec="seconds")
    assert f'<time datetime="{when}">' in line  # comments.js makes it "2 hours ago"
    landing = client.get(href)
    assert landing.status_code == 302
    assert landing["Location"].endswith(f"#c{latest.number}")


def test_the_line_counts_the_pages_when_there_are_several(client, post, reader, settings):
    settings.COMMENTS_PER_PAGE = 2
    for _ in range(5):
        CommentFactory(post=post, author=reader)
    page = client.get(post.get_absolute_url(), {"view": "chronological"})
    assert _summary_text(page).endswith("(#5) · 3 pages")


def test_moderators_and_shadow_banned_readers_get_the_readers_line(
    client, post, reader, other_reader, moderator
):
    CommentFactory(post=post, author=reader)
    CommentFactory(post=post, author=other_reader, status=Comment.Status.SHADOWED)
    CommentFactory(post=post, pending=True)
    anonymous = Client().get(post.get_absolute_url())
    assert _summary_text(anonymous).startswith("from 1 person · ")
    for who in (moderator, other_reader, reader):
        client.force_login(who)
        assert _summary_html(client.get(post.get_absolute_url())) == _summary_html(anonymous)


# ─── Cost and freshness ──────────────────────────────────────────────────────


def test_the_summary_costs_one_query_on_a_miss_and_none_on_a_hit(
    post, reader, django_assert_num_queries
):
    CommentFactory(post=post, author=reader)
    _refreshed(post)
    with django_assert_num_queries(1):
        comment_summary(post)
    with django_assert_num_queries(0):
        comment_summary(post)


def test_a_post_of_one_page_gets_its_summary_from_the_thread_without_a_query(
    post, reader, other_reader, moderator, django_assert_num_queries
):
    """The page holds every comment: the thread counts the line as it renders, and the
    line is the one the query gives, for readers, shadow-banned writers and moderators."""
    CommentFactory(post=post, author=reader)
    CommentFactory(post=post, author=other_reader, status=Comment.Status.SHADOWED)
    _guest(post, "Sam Visitor", "sam@example.net")
    _guest(post, "SAM VISITOR", "other-sam@example.net")
    _guest(post, "Held Guest", "held@example.net", pending=True)
    orphan = CommentFactory(post=post, author=UserFactory(username="gone"))
    Comment.objects.filter(pk=orphan.pk).update(author=None, guest_name="")
    latest = CommentFactory(post=post, author=reader, parent=CommentFactory(post=post))
    CommentFactory(post=post, removed=True)
    _refreshed(post)
    queried = comment_summary(post)
    assert (queried.people, queried.latest_number) == (3, latest.number)
    for view in rendering.VIEWS:
        for variant in ({}, {"shadow_author": other_reader.pk}):
            thread = rendering.build_thread(post, view=view, page=1, **variant)
            with django_assert_num_queries(0):
                assert comment_summary(post, thread) == queried
        moderated = rendering.build_thread(post, view=view, page=1, moderator=True)
        assert comment_summary(post, moderated) == queried


def test_a_post_of_several_pages_pays_for_the_summary_only_on_a_miss(
    client, post, reader, other_reader, settings, django_assert_num_queries
):
    """Thread and sidebar warm, a reader's page costs exactly one query more without the
    summary in the cache. (An anonymous reader's hit is the whole cached page: no query.)"""
    settings.COMMENTS_PER_PAGE = 2
    CommentFactory(post=post, author=reader)
    CommentFactory(post=post, author=other_reader)
    _guest(post, "Sam", "sam@example.net")
    _refreshed(post)
    client.force_login(reader)
    client.get(post.get_absolute_url())
    with CaptureQueriesContext(connection) as warm:
        client.get(post.get_absolute_url())
    cache.delete(cache_keys.comment_summary(post))
    with django_assert_num_queries(len(warm) + 1):
        client.get(post.get_absolute_url())
    with django_assert_num_queries(len(warm)):
        client.get(post.get_absolute_url())


def test_a_new_comment_shows_in_the_summary_at_once(client, post, reader, other_reader):
    CommentFactory(post=post, author=reader)
    client.get(post.get_absolute_url())
    latest = CommentFactory(post=post, author=other_reader)
    line = _summary_text(client.get(post.get_absolute_url()))
    assert line.startswith("from 2 people")
    assert f"(#{latest.number})" in line


def test_a_removal_by_a_moderator_shows_in_the_summary_at_once(
    client, post, reader, other_reader, moderator
):
    first = CommentFactory(post=post, author=reader)
    latest = CommentFactory(post=post, author=other_reader)
    assert f"(#{latest.number})" in _summary_text(client.get(post.get_absolute_url()))
    actions.comment_remove(comment=latest, moderator=moderator, reason="Off topic")
    line = _summary_text(client.get(post.get_absolute_url()))
    assert line.startswith("from 1 person")
    assert f"(#{first.number})" in line


@pytest.mark.parametrize("per_page", [50, 2], ids=["one-page", "several-pages"])
def test_the_byline_and_heading_count_published_comments_for_everyone(
    client, post, reader, other_reader, moderator, settings, per_page
):
    """The count comes with the summary (from the thread's rows or the summary's query):
    held, shadowed and removed comments count for no one, moderators included."""
    settings.COMMENTS_PER_PAGE = per_page
    for _ in range(3):
        CommentFactory(post=post, author=reader)
    CommentFactory(post=post, author=other_reader, status=Comment.Status.SHADOWED)
    CommentFactory(post=post, pending=True)
    CommentFactory(post=post, removed=True)
    for who in (None, other_reader, moderator):
        if who is not None:
            client.force_login(who)
        text = plain(client.get(post.get_absolute_url()))
        assert "· 3 comments" in text, who
        assert "3 comments from 1 person" in text, who
