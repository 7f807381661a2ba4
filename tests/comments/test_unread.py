"""New since the last visit: recorded on the server for signed-in readers."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ThreadVisit
from comments.posting import comment_create
from tests.comments.pages import plain, posted_status, text
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def _last_seen(response):
    found = re.search(r'data-last-seen="(\d+)"', response.content.decode())
    return int(found.group(1)) if found else None


@pytest.fixture
def signed_in(client, reader):
    client.force_login(reader)
    return client


def test_opening_a_post_records_how_far_the_reader_has_seen(signed_in, post, reader):
    CommentFactory.create_batch(3, post=post)
    signed_in.get(post.get_absolute_url())
    assert ThreadVisit.objects.get(user=reader, post=post).last_seen_number == 3


def test_first_visit_marks_nothing_as_new(signed_in, post):
    CommentFactory.create_batch(3, post=post)
    response = signed_in.get(post.get_absolute_url())
    assert _last_seen(response) is None
    assert "New since your last visit" not in text(response)


def test_next_visit_carries_the_previous_mark(signed_in, post):
    CommentFactory.create_batch(3, post=post)
    signed_in.get(post.get_absolute_url())
    CommentFactory.create_batch(2, post=post)
    assert _last_seen(signed_in.get(post.get_absolute_url())) == 3


def test_next_visit_moves_the_mark_forward(signed_in, post, reader):
    CommentFactory.create_batch(3, post=post)
    signed_in.get(post.get_absolute_url())
    CommentFactory.create_batch(2, post=post)
    signed_in.get(post.get_absolute_url())
    assert ThreadVisit.objects.get(user=reader, post=post).last_seen_number == 5


def test_new_comments_are_announced_with_a_jump_link(signed_in, post):
    CommentFactory.create_batch(3, post=post)
    signed_in.get(post.get_absolute_url())
    CommentFactory.create_batch(2, post=post)
    content = text(signed_in.get(post.get_absolute_url()))
    assert "2 new comments since your last visit." in " ".join(content.split())
    assert (
        f'class="comments__jump-new" href="{post.comments.get(number=4).get_absolute_url()}"'
        in content
    )


def test_a_visit_with_nothing_new_announces_nothing(signed_in, post):
    CommentFactory.create_batch(3, post=post)
    signed_in.get(post.get_absolute_url())
    response = signed_in.get(post.get_absolute_url())
    assert _last_seen(response) == 3
    assert "New since your last visit" not in text(response)


def test_the_mark_follows_the_reader_across_devices(client, post, reader):
    CommentFactory.create_batch(3, post=post)
    client.force_login(reader)
    client.get(post.get_absolute_url())
    CommentFactory(post=post)
    phone = Client()
    phone.force_login(reader)
    assert _last_seen(phone.get(post.get_absolute_url())) == 3


def test_anonymous_visits_record_nothing(client, post):
    CommentFactory(post=post)
    response = client.get(post.get_absolute_url())
    assert not ThreadVisit.objects.exists()
    assert _last_seen(response) is None


def test_home_page_shows_how_many_comments_are_new_for_the_reader(signed_in, post):
    CommentFactory.create_batch(2, post=post)
    signed_in.get(post.get_absolute_url())
    CommentFactory.create_batch(3, post=post)
    assert "3 new since your last visit" in plain(signed_in.get(reverse("blog:post-list")))


def test_home_page_new_count_leaves_out_unpublished_comments(signed_in, post):
    CommentFactory(post=post)
    signed_in.get(post.get_absolute_url())
    CommentFactory(post=post)
    CommentFactory(post=post, pending=True)
    CommentFactory(post=post, removed=True)
    assert "1 new since your last visit" in plain(signed_in.get(reverse("blog:post-list")))


def test_home_page_shows_no_new_count_after_reading(signed_in, post):
    CommentFactory.create_batch(2, post=post)
    signed_in.get(post.get_absolute_url())
    assert "new since your last visit" not in plain(signed_in.get(reverse("blog:post-list")))


def test_home_page_shows_no_new_count_for_posts_never_opened(signed_in, post):
    CommentFactory.create_batch(2, post=post)
    assert "new since your last visit" not in plain(signed_in.get(reverse("blog:post-list")))


def test_home_page_shows_no_new_counts_to_anonymous_readers(client, post, reader):
    CommentFactory(post=post)
    ThreadVisit.objects.create(user=reader, post=post, last_seen_number=0)
    assert "new since your last visit" not in plain(client.get(reverse("blog:post-list")))


def test_new_counts_are_per_reader(client, post, reader, other_reader):
    CommentFactory(post=post)
    client.force_login(reader)
    client.get(post.get_absolute_url())
    CommentFactory(post=post)
    client.force_login(other_reader)
    client.get(post.get_absolute_url())
    assert "new since your last visit" not in plain(client.get(reverse("blog:post-list")))


# ─── The reader's own comments are not news to them (issue 11) ───────────────


def _banner(response) -> str | None:
    found = re.search(r'<p class="comments__new" role="status">(.*?)</p>', text(response), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def test_after_posting_the_banner_does_not_count_the_readers_own_comment(signed_in, post, reader):
    """Issue 11: the reader's visit mark is before their comment; it is still not new."""
    CommentFactory.create_batch(3, post=post)
    signed_in.get(post.get_absolute_url())
    response = signed_in.post(
        reverse("comments:post", kwargs={"post_id": post.pk}), {"body": "My own point."}
    )
    # Published, not held: a held comment would not count as new anyway.
    assert posted_status(response, post) == Comment.Status.PUBLISHED
    assert _banner(signed_in.get(response["Location"])) is None


def test_the_banner_counts_others_comments_posted_around_the_readers_own(signed_in, post, reader):
    CommentFactory.create_batch(3, post=post)
    signed_in.get(post.get_absolute_url())
    CommentFactory(post=post)
    CommentFactory(post=post, author=reader)
    CommentFactory(post=post, guest=True)
    banner = _banner(signed_in.get(post.get_absolute_url()))
    assert banner.startswith("2 new comments since your last visit.")


def test_the_jump_link_skips_the_readers_own_and_hidden_comments(signed_in, post, reader):
    CommentFactory.create_batch(2, post=post)
    signed_in.get(post.get_absolute_url())
    CommentFactory(post=post, author=reader)
    CommentFactory(post=post, pending=True)
    first_new = CommentFactory(post=post)
    content = text(signed_in.get(post.get_absolute_url()))
    assert f'class="comments__jump-new" href="{first_new.get_absolute_url()}"' in content
    assert _banner_count(content) == 1


def _banner_count(content: str) -> int:
    return int(re.search(r"(\d+) new comments? since your last visit", content).group(1))


def test_held_comments_of_others_are_not_announced(signed_in, post):
    CommentFactory(post=post)
    signed_in.get(post.get_absolute_url())
    CommentFactory(post=post, pending=True)
    assert _banner(signed_in.get(post.get_absolute_url())) is None


def test_the_page_names_the_signed_in_reader_for_the_new_marks_script(signed_in, post, reader):
    """comments.js leaves the reader's own comments unmarked (data-author = data-reader)."""
    assert f'data-reader="{reader.pk}"' in text(signed_in.get(post.get_absolute_url()))


def test_the_shared_anonymous_page_names_no_reader(client, post):
    CommentFactory(post=post)
    assert "data-reader" not in text(client.get(post.get_absolute_url()))


def test_home_page_new_count_leaves_out_the_readers_own_comments(signed_in, post, reader):
    CommentFactory(post=post)
    signed_in.get(post.get_absolute_url())
    comment_create(post=post, body="Mine, written elsewhere.", author=reader)
    CommentFactory(post=post)
    assert "1 new since your last visit" in plain(signed_in.get(reverse("blog:post-list")))
    assert Comment.objects.filter(post=post, author=reader).exists()
