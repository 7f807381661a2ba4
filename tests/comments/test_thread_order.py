"""One ORDER BY returns a post in threaded order; ordering by number gives the timeline."""

import random

import pytest

from comments.models import Comment
from comments.posting import comment_create
from tests.factories import CommentFactory, create_comment_tree

pytestmark = pytest.mark.django_db


def _dfs_by_number(pairs) -> list[int]:
    """Depth-first order from (number, parent number) pairs, children by number."""
    children: dict[int | None, list[int]] = {}
    for number, parent in sorted(pairs):
        children.setdefault(parent, []).append(number)
    order, stack = [], list(reversed(children.get(None, [])))
    while stack:
        number = stack.pop()
        order.append(number)
        stack.extend(reversed(children.get(number, [])))
    return order


def _random_tree(post, author, *, size, seed) -> None:
    """Each new comment replies to a random earlier one with probability 0.6."""
    rng = random.Random(seed)
    for number in range(1, size + 1):
        parent = rng.randint(1, number - 1) if number > 1 and rng.random() < 0.6 else None
        comment_create(post=post, author=author, body=f"comment {number}", parent_number=parent)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_thread_order_is_depth_first_with_replies_in_posting_order(post, reader, seed):
    _random_tree(post, reader, size=80, seed=seed)
    pairs = Comment.objects.filter(post=post).values_list("number", "parent_number")
    ordered = Comment.objects.filter(post=post).in_thread_order().values_list("number", flat=True)
    assert list(ordered) == _dfs_by_number(pairs)


def test_depth_is_one_more_than_the_parents(post, reader):
    _random_tree(post, reader, size=60, seed=4)
    depth_of = dict(Comment.objects.filter(post=post).values_list("number", "depth"))
    for number, parent in Comment.objects.filter(post=post).values_list("number", "parent_number"):
        assert depth_of[number] == (0 if parent is None else depth_of[parent] + 1)


def test_every_comment_carries_the_number_of_its_threads_top_level_comment(post, reader):
    _random_tree(post, reader, size=60, seed=5)
    rows = dict(Comment.objects.filter(post=post).values_list("number", "parent_number"))
    roots = dict(Comment.objects.filter(post=post).values_list("number", "root_number"))
    for number in rows:
        top = number
        while rows[top] is not None:
            top = rows[top]
        assert roots[number] == top


def test_number_order_is_posting_order(post, reader):
    _random_tree(post, reader, size=30, seed=6)
    numbers = Comment.objects.filter(post=post).in_number_order().values_list("number", flat=True)
    assert list(numbers) == list(range(1, 31))


def test_a_reply_to_an_early_comment_sorts_before_later_threads(post):
    first = CommentFactory(post=post)
    CommentFactory(post=post)
    late_reply = CommentFactory(parent=first)
    ordered = Comment.objects.filter(post=post).in_thread_order().values_list("number", flat=True)
    assert list(ordered) == [1, late_reply.number, 2]


def test_a_reply_stored_on_the_parents_post(post):
    parent = CommentFactory(post=post)
    reply = CommentFactory(parent=parent)
    assert (reply.post_id, reply.parent_id, reply.root_number) == (post.pk, parent.pk, 1)


def test_the_bulk_test_builder_stores_what_the_write_path_stores(post, other_post, reader):
    """tests.factories.create_comment_tree is only trusted because it matches comment_create."""
    built = create_comment_tree(post=post, count=60, authors=[reader, None], seed=7)
    for comment in built:
        comment_create(
            post=other_post,
            body=comment.body,
            author=comment.author,
            guest_name=comment.guest_name,
            guest_email=comment.guest_email,
            parent_number=comment.parent_number,
        )
    fields = (
        "number",
        "parent_number",
        "depth",
        "root_number",
        "thread_position",
        "referenced_numbers",
    )

    def stored(on):
        return list(Comment.objects.filter(post=on).order_by("number").values_list(*fields))

    assert stored(post) == stored(other_post)


def test_the_bulk_test_builder_renders_bodies_as_the_write_path_does(post, other_post, reader):
    built = create_comment_tree(post=post, count=30, authors=[reader], seed=8)
    for comment in built:
        comment_create(
            post=other_post, body=comment.body, author=reader, parent_number=comment.parent_number
        )
    post.refresh_from_db()
    other_post.refresh_from_db()
    here = Comment.objects.filter(post=post).order_by("number").values_list("body_html", flat=True)
    there = (
        Comment.objects.filter(post=other_post)
        .order_by("number")
        .values_list("body_html", flat=True)
    )
    prefix, other_prefix = (p.get_absolute_url() for p in (post, other_post))
    assert [html.replace(prefix, "") for html in here] == [
        html.replace(other_prefix, "") for html in there
    ]
