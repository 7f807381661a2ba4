"""Comment pages: whole threads per page; permalinks land on the right page and anchor."""

import re
import uuid

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.section import VIEW_COOKIE, page_window
from tests.comments.pages import shown_numbers
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

# Top-level comments 1–6 first, then replies, so numbers interleave across threads.
# Thread sizes: 1→3, 2→2, 3→1, 4→6, 5→1, 6→3. With 5 per page: [1, 2] [3] [4] [5, 6].
REPLIES = [1, 1, 2, 4, 4, 4, 4, 4, 6, 6]
PAGE_OF_ROOT = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4, 6: 4}


@pytest.fixture
def paged(post, settings):
    settings.COMMENTS_PER_PAGE = 5
    roots = [CommentFactory(post=post) for _ in range(6)]
    for root in REPLIES:
        CommentFactory(parent=roots[root - 1])
    return post


def _page(client, post, page, **params):
    return client.get(post.get_absolute_url(), {"cpage": page, **params})


def _root_of(post):
    return dict(Comment.objects.filter(post=post).values_list("number", "root_number"))


def _permalink(post, number):
    return Comment.objects.get(post=post, number=number).get_absolute_url()


def test_threaded_pages_show_every_comment_once(client, paged):
    shown = [n for page in (1, 2, 3, 4) for n in shown_numbers(_page(client, paged, page))]
    assert sorted(shown) == list(range(1, 17))


def test_threads_are_never_split_across_pages(client, paged):
    root_of = _root_of(paged)
    pages_of_root: dict[int, set[int]] = {}
    for page in (1, 2, 3, 4):
        for number in shown_numbers(_page(client, paged, page)):
            pages_of_root.setdefault(root_of[number], set()).add(page)
    assert {root: pages.pop() for root, pages in pages_of_root.items()} == PAGE_OF_ROOT


def test_a_thread_larger_than_a_page_gets_a_page_of_its_own(client, paged):
    root_of = _root_of(paged)
    assert {root_of[n] for n in shown_numbers(_page(client, paged, 3))} == {4}


def test_page_links_are_shown_when_there_are_several_pages(client, paged):
    content = _page(client, paged, 1).content.decode()
    assert "Comments page 4" in content


def test_chronological_pages_follow_numbers(client, paged):
    assert shown_numbers(_page(client, paged, 2, view="chronological")) == [6, 7, 8, 9, 10]


@pytest.mark.parametrize("cpage", ["99", "5"])
def test_a_page_past_the_end_shows_the_last_page(client, paged, cpage):
    assert shown_numbers(_page(client, paged, cpage)) == shown_numbers(_page(client, paged, 4))


@pytest.mark.parametrize("cpage", ["0", "-2", "abc", "", "1e3"])
def test_a_page_before_the_start_or_not_a_number_shows_the_first_page(client, paged, cpage):
    response = _page(client, paged, cpage)
    assert response.status_code == 200
    assert shown_numbers(response) == shown_numbers(_page(client, paged, 1))


@pytest.mark.parametrize("number", range(1, 17))
def test_threaded_permalink_redirects_to_the_page_and_anchor_of_the_comment(client, paged, number):
    page = PAGE_OF_ROOT[_root_of(paged)[number]]
    query = f"?cpage={page}" if page > 1 else ""
    response = client.get(_permalink(paged, number))
    assert response["Location"] == f"{paged.get_absolute_url()}{query}#c{number}"


@pytest.mark.parametrize("number", [1, 5, 6, 12, 16])
def test_chronological_permalink_redirects_to_the_page_by_number(client, paged, number):
    client.cookies[VIEW_COOKIE] = "chronological"
    page = (number - 1) // 5 + 1
    query = f"?cpage={page}" if page > 1 else ""
    response = client.get(_permalink(paged, number))
    assert response["Location"] == f"{paged.get_absolute_url()}{query}#c{number}"


def test_permalink_lands_on_a_page_that_shows_the_comment(client, paged):
    target = client.get(_permalink(paged, 11), follow=True)
    assert 11 in shown_numbers(target)


def test_chronological_permalink_lands_on_a_page_that_shows_the_comment(client, paged):
    client.cookies[VIEW_COOKIE] = "chronological"
    assert 11 in shown_numbers(client.get(_permalink(paged, 11), follow=True))


def test_posting_a_reply_lands_on_the_page_of_its_thread(client, paged, reader):
    client.force_login(reader)
    url = reverse("comments:reply", kwargs={"post_id": paged.pk, "number": 4})
    response = client.post(
        url,
        {"body": "Deep in the long thread.", "submission_token": str(uuid.uuid4())},
        follow=True,
    )
    # On a post split into pages, posting goes through the permalink, which finds the page.
    assert response.redirect_chain[-1][0] == f"{paged.get_absolute_url()}?cpage=3#c17"


def test_all_on_one_page_by_default(client, post):
    for _ in range(12):
        CommentFactory(post=post)
    response = client.get(post.get_absolute_url())
    assert shown_numbers(response) == list(range(1, 13))
    assert "Comments page" not in response.content.decode()


@pytest.mark.parametrize(
    ("current", "total", "window"),
    [
        (1, 1, [1]),
        (1, 4, [1, 2, 3, 4]),
        (1, 20, [1, 2, None, 20]),
        (10, 20, [1, None, 9, 10, 11, None, 20]),
        (3, 20, [1, 2, 3, 4, None, 20]),
        (20, 20, [1, None, 19, 20]),
    ],
)
def test_page_window_keeps_the_ends_and_the_neighbours_of_the_current_page(current, total, window):
    assert page_window(current, total) == window


@pytest.fixture
def many_pages(post, settings):
    settings.COMMENTS_PER_PAGE = 1
    for _ in range(20):
        CommentFactory(post=post)
    return post


def _pager_links(content: str) -> list[str]:
    pager = content.split('<nav class="comment-pages"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'class="page-link"[^>]*>([^<]*)<', pager)


def test_a_long_pager_shows_the_ends_the_neighbours_and_ellipses(client, many_pages):
    """Issue 11: the pager is compact on a phone, however many pages there are."""
    content = _page(client, many_pages, 10).content.decode()
    assert _pager_links(content) == ["←", "1", "…", "9", "10", "11", "…", "20", "→"]
    assert 'aria-label="Comments page 10" aria-current="page"' in content
    assert "Comments page 5" not in content


def test_the_first_page_has_no_previous_link_and_the_last_no_next(client, many_pages):
    first = _page(client, many_pages, 1).content.decode()
    last = _page(client, many_pages, 20).content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and 'rel="prev"' in last
