"""Per-post comment numbers: 1, 2, 3… in posting order, unique, never reused."""

import pytest
from django.db import IntegrityError, transaction

from comments.models import Comment
from comments.posting import comment_create, comment_delete_own
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_comments_are_numbered_from_one_in_posting_order(post):
    comments = [CommentFactory(post=post) for _ in range(5)]
    assert [comment.number for comment in comments] == [1, 2, 3, 4, 5]


def test_replies_take_the_next_number_of_the_post(post):
    first = CommentFactory(post=post)
    CommentFactory(post=post)
    reply = CommentFactory(parent=first)
    assert reply.number == 3


def test_post_remembers_the_last_number_given_out(post):
    CommentFactory.create_batch(3, post=post)
    post.refresh_from_db()
    assert post.last_comment_number == 3


def test_each_post_numbers_its_comments_separately(post, other_post):
    CommentFactory.create_batch(3, post=post)
    assert CommentFactory(post=other_post).number == 1


def test_a_forced_duplicate_number_on_the_same_post_is_refused_by_the_database(post):
    existing = CommentFactory(post=post)
    duplicate = Comment(post=post, number=existing.number, root_number=existing.number, body="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save(force_insert=True)


def test_a_number_deleted_by_its_author_is_never_given_out_again(post, reader):
    comment_create(post=post, author=reader, body="first")
    last = comment_create(post=post, author=reader, body="second")
    comment_delete_own(comment=last, user=reader)
    assert comment_create(post=post, author=reader, body="third").number == 3


def test_a_hard_deleted_number_is_never_given_out_again(post):
    CommentFactory(post=post)
    CommentFactory(post=post).delete()
    assert CommentFactory(post=post).number == 3


def test_deleting_a_comment_does_not_renumber_the_others(post, reader):
    first, second, third = (comment_create(post=post, author=reader, body=b) for b in "abc")
    comment_delete_own(comment=second, user=reader)
    assert list(Comment.objects.filter(post=post).values_list("number", flat=True)) == [1, 2, 3]


def test_a_repeated_submission_token_returns_the_first_comment(post, reader):
    import uuid

    token = uuid.uuid4()
    first = comment_create(post=post, author=reader, body="once", submission_token=token)
    second = comment_create(post=post, author=reader, body="once", submission_token=token)
    assert second.pk == first.pk
    assert Comment.objects.filter(post=post).count() == 1
