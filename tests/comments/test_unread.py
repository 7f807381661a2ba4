"""New since the last visit: recorded on the server for signed-in readers."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import ThreadVisit
from tests.comments.pages import plain, text
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
    assert "New since your last visit: comments after #3." in content
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
