"""Concurrent posting against PostgreSQL: numbers and thread order stay consistent (issue 3).

Each worker thread has its own database connection, so these tests commit for real
(`transaction=True`) and run last.
"""

import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from blog.models import Post
from comments.models import Comment
from comments.moderation.screening import Screening
from comments.posting import comment_create
from tests.comments.races import (
    in_own_connection,
    run_all_at_once,
    wait_until_others_wait_for_a_lock,
)
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 16


def _post_concurrently(jobs, *, workers):
    """Run comment_create(**job) for every job at once (queued behind the post's lock)."""
    post_id = jobs[0]["post_id"]

    def post_one(job):
        return lambda: comment_create(post=Post.objects.get(pk=job.pop("post_id")), **job)

    return run_all_at_once(
        lambda: Post.objects.select_for_update().get(pk=post_id),
        [post_one(job) for job in jobs],
        workers=workers,
    )


def _dfs_by_number(comments) -> list[int]:
    """The threaded order implied by parent links alone: depth-first, children by number."""
    children: dict[int | None, list[int]] = {}
    for comment in sorted(comments, key=lambda c: c.number):
        children.setdefault(comment.parent_number, []).append(comment.number)
    order, stack = [], list(reversed(children.get(None, [])))
    while stack:
        number = stack.pop()
        order.append(number)
        stack.extend(reversed(children.get(number, [])))
    return order


def _descendants_follow_contiguously(ordered) -> bool:
    """Each comment's descendants fill the places right after it, and nothing else does."""
    parent_of = {c.number: c.parent_number for c in ordered}
    descendants: dict[int, set[int]] = {c.number: set() for c in ordered}
    for number in parent_of:
        ancestor = parent_of[number]
        while ancestor is not None:
            descendants[ancestor].add(number)
            ancestor = parent_of[ancestor]
    numbers = [c.number for c in ordered]
    return all(
        set(numbers[index + 1 : index + 1 + len(descendants[number])]) == descendants[number]
        for index, number in enumerate(numbers)
    )


@pytest.fixture
def live_post():
    return PostFactory(title="Concurrency", slug="concurrency")


@pytest.fixture
def writer():
    return UserFactory(username="parallel")


def test_fifty_parallel_comments_are_numbered_exactly_one_to_fifty(live_post, writer):
    jobs = [{"post_id": live_post.pk, "author": writer, "body": f"parallel {i}"} for i in range(50)]
    _post_concurrently(jobs, workers=20)
    numbers = sorted(Comment.objects.filter(post=live_post).values_list("number", flat=True))
    assert numbers == list(range(1, 51))


def test_fifty_parallel_comments_leave_the_post_counter_at_fifty(live_post, writer):
    jobs = [{"post_id": live_post.pk, "author": writer, "body": f"c {i}"} for i in range(50)]
    _post_concurrently(jobs, workers=20)
    live_post.refresh_from_db()
    assert live_post.last_comment_number == 50


def test_fifty_parallel_top_level_comments_each_start_their_own_thread(live_post, writer):
    jobs = [{"post_id": live_post.pk, "author": writer, "body": f"c {i}"} for i in range(50)]
    _post_concurrently(jobs, workers=20)
    rows = Comment.objects.filter(post=live_post).values_list(
        "number", "root_number", "thread_position"
    )
    assert all(root == number and position == 0 for number, root, position in rows)


@pytest.fixture
def seeded_thread(live_post, writer):
    """One thread of 8 comments at several depths, posted one by one."""
    parents = [None, 1, 1, 2, 3, 2, 1, 4]
    for parent in parents:
        comment_create(post=live_post, author=writer, body="seed", parent_number=parent)
    return live_post


def _parallel_replies(post, writer, count, seed):
    rng = random.Random(seed)
    jobs = [
        {
            "post_id": post.pk,
            "author": writer,
            "body": f"reply {i}",
            "parent_number": rng.randint(1, 8),
        }
        for i in range(count)
    ]
    return _post_concurrently(jobs, workers=WORKERS)


def test_parallel_replies_into_one_thread_get_distinct_numbers(seeded_thread, writer):
    _parallel_replies(seeded_thread, writer, 40, seed=1)
    numbers = sorted(Comment.objects.filter(post=seeded_thread).values_list("number", flat=True))
    assert numbers == list(range(1, 49))


def test_parallel_replies_keep_thread_positions_a_permutation(seeded_thread, writer):
    _parallel_replies(seeded_thread, writer, 40, seed=2)
    positions = sorted(
        Comment.objects.filter(post=seeded_thread, root_number=1).values_list(
            "thread_position", flat=True
        )
    )
    assert positions == list(range(48))


def test_parallel_replies_keep_each_subtree_contiguous_in_thread_order(seeded_thread, writer):
    _parallel_replies(seeded_thread, writer, 40, seed=3)
    ordered = list(Comment.objects.filter(post=seeded_thread).in_thread_order())
    assert _descendants_follow_contiguously(ordered)


def test_parallel_replies_sort_into_depth_first_order_by_number(seeded_thread, writer):
    _parallel_replies(seeded_thread, writer, 40, seed=4)
    comments = list(Comment.objects.filter(post=seeded_thread).in_thread_order())
    assert [c.number for c in comments] == _dfs_by_number(comments)


def test_parallel_replies_sit_one_level_below_their_parent(seeded_thread, writer):
    _parallel_replies(seeded_thread, writer, 40, seed=5)
    depth_of = dict(Comment.objects.filter(post=seeded_thread).values_list("number", "depth"))
    replies = Comment.objects.filter(post=seeded_thread, parent__isnull=False)
    assert all(depth_of[c.number] == depth_of[c.parent_number] + 1 for c in replies)


def test_a_double_submit_racing_the_first_creates_one_comment(live_post, writer):
    """Issue 3: pressing submit twice creates one comment, also when both requests overlap.

    The first submit holds the post's row lock while the second waits for it.
    """
    token = uuid.uuid4()
    second_may_start = threading.Event()
    results = {}

    @in_own_connection
    def first():
        with transaction.atomic():
            Post.objects.select_for_update().get(pk=live_post.pk)
            results["first"] = comment_create(
                post=live_post, author=writer, body="twice", submission_token=token
            )
            second_may_start.set()
            wait_until_others_wait_for_a_lock()

    @in_own_connection
    def second():
        assert second_may_start.wait(10), "the first request never took the lock"
        results["second"] = comment_create(
            post=live_post, author=writer, body="twice", submission_token=token
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(first), pool.submit(second)]
        errors = [future.exception() for future in futures]
    assert errors == [None, None]
    assert results["second"].pk == results["first"].pk


def test_a_reply_lands_below_its_parent_when_an_earlier_reply_shifts_the_parent_meanwhile(
    live_post, writer
):
    """Issue 3: thread order stays valid under concurrent posting.

    Thread 1 ← 2, 1 ← 3. While a reply to #2 (which moves #3 one place down) holds
    the lock, a reply to #3 waits for it; it must still land right below #3.
    """
    for parent in (None, 1, 1):
        comment_create(post=live_post, author=writer, body="seed", parent_number=parent)
    second_may_start = threading.Event()

    @in_own_connection
    def first():
        with transaction.atomic():
            Post.objects.select_for_update().get(pk=live_post.pk)
            comment_create(post=live_post, author=writer, body="to #2", parent_number=2)
            second_may_start.set()
            wait_until_others_wait_for_a_lock()

    @in_own_connection
    def second():
        assert second_may_start.wait(10), "the first request never took the lock"
        comment_create(post=live_post, author=writer, body="to #3", parent_number=3)

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(first), pool.submit(second)]
        for future in futures:
            future.result()
    order = Comment.objects.filter(post=live_post).in_thread_order()
    assert [c.number for c in order] == [1, 2, 4, 3, 5]


@pytest.fixture
def no_rate_limits(settings):
    for name in ("ACCOUNT_PER_MINUTE", "ACCOUNT_PER_HOUR", "IP_PER_MINUTE", "IP_PER_HOUR"):
        setattr(settings, f"COMMENTS_RATE_{name}", 0)


def _send_from_the_form(post_id, author, body):
    """comment_create as the site's form calls it; the refusal's code when refused."""
    try:
        return comment_create(
            post=Post.objects.get(pk=post_id),
            author=author,
            body=body,
            submission_token=uuid.uuid4(),
            screening=Screening(form_age=60),
        )
    except ValidationError as error:
        return error.code


def test_identical_comments_sent_at_once_store_one(live_post, writer, no_rate_limits):
    """Issue 8: five identical comments sent at once from one account stored three.

    All five wait for the post's lock together; the duplicate check must run
    once the lock is held, not on the snapshot taken before the wait.
    """
    send = partial(_send_from_the_form, live_post.pk, writer, "The same words, five times.")
    outcomes = run_all_at_once(
        lambda: Post.objects.select_for_update().get(pk=live_post.pk), [send] * 5, workers=5
    )
    assert Comment.objects.filter(post=live_post).count() == 1
    assert sorted(o for o in outcomes if isinstance(o, str)) == ["duplicate"] * 4


def test_identical_comments_sent_at_once_to_different_posts_store_one(writer, no_rate_limits):
    """Issue 8: the duplicate rule spans posts, so it must hold when sends to two posts race."""
    posts = [PostFactory(title=f"Race {i}", slug=f"race-{i}") for i in range(5)]
    first_stored = threading.Event()

    @in_own_connection
    def send_first():
        with transaction.atomic():
            outcome = _send_from_the_form(posts[0].pk, writer, "Same words everywhere.")
            first_stored.set()
            wait_until_others_wait_for_a_lock(count=4)
        return outcome

    @in_own_connection
    def send(post_id):
        assert first_stored.wait(10), "the first send never stored its comment"
        return _send_from_the_form(post_id, writer, "Same words everywhere.")

    with ThreadPoolExecutor(max_workers=5) as pool:
        first = pool.submit(send_first)
        others = [pool.submit(send, post.pk) for post in posts[1:]]
        assert isinstance(first.result(), Comment)
        outcomes = [future.result() for future in others]
    assert Comment.objects.filter(author=writer).count() == 1
    assert outcomes == ["duplicate"] * 4
