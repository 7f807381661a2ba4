"""comments/rendering.render_rows on plain rows: URLs reversed, database never touched."""

import datetime
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from blog.models import Post
from comments.models import Comment
from comments.rendering import render_rows

WHEN = datetime.datetime(2024, 3, 1, 8, 30, tzinfo=datetime.UTC)
PUBLISHED = Comment.Status.PUBLISHED


@pytest.fixture
def unsaved_post():
    return Post(pk=7, slug="budget-vote", title="Budget vote", published_at=WHEN)


def _row(number, parent=None, depth=0, *, status=PUBLISHED, **fields):
    values = {
        "number": number,
        "parent_number": parent,
        "depth": depth,
        "root_number": number if parent is None else None,
        "status": status,
        "body_html": f"<p>Body of {number}</p>",
        "referenced_numbers": [],
        "created_iso": WHEN.isoformat(timespec="seconds"),
        "created_text": f"{WHEN:%-d %b %Y, %H:%M}",
        "is_edited": False,
        "author_id": 1,
        "author__username": "rita",
        "author__display_name": "Rita Reader",
        "guest_name": "",
        "guest_email": "",
        "author__is_superuser": False,
        "author_groups": None,
    }
    values.update(fields)
    return SimpleNamespace(**values)


def _chain(length):
    return [_row(n, n - 1 if n > 1 else None, n - 1) for n in range(1, length + 1)]


# 1 ─ 2 ─ 3     5
#     └ 4
MIXED = [_row(1), _row(2, 1, 1), _row(3, 2, 2), _row(4, 2, 2), _row(5)]


class _Nesting(HTMLParser):
    """Records, for each comment <li>, the comment <li> it sits in."""

    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.parent_of: dict[str, str | None] = {}
        self.void_errors = 0

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            own = dict(attrs).get("id")
            enclosing = next((i for i in reversed(self.stack) if i), None)
            self.parent_of[own] = enclosing
            self.stack.append(own)

    def handle_endtag(self, tag):
        if tag == "li":
            if not self.stack:
                self.void_errors += 1
            else:
                self.stack.pop()


def _nesting_of(html: str) -> _Nesting:
    parser = _Nesting()
    parser.feed(html)
    parser.close()
    return parser


def test_threaded_rows_render_balanced_html(unsaved_post):
    html, _, _ = render_rows(MIXED, post=unsaved_post, threaded=True, moderator=False)
    assert html.count("<li") == html.count("</li>") == 5
    assert html.count("<ol") == html.count("</ol>") == 2
    assert html.count("<details") == html.count("</details>") == 2


def test_each_reply_renders_inside_its_parents_item(unsaved_post):
    html, _, _ = render_rows(MIXED, post=unsaved_post, threaded=True, moderator=False)
    parsed = _nesting_of(html)
    assert parsed.parent_of == {"c1": None, "c2": "c1", "c3": "c2", "c4": "c2", "c5": None}
    assert parsed.stack == []


def test_a_10000_deep_chain_stays_within_the_visual_depth_cap(unsaved_post, settings):
    settings.COMMENTS_MAX_VISUAL_DEPTH = 6
    html, _, _ = render_rows(_chain(10_000), post=unsaved_post, threaded=True, moderator=False)
    assert html.count('<details class="comment__replies"') == 6


def test_a_10000_deep_chain_renders_balanced_html(unsaved_post):
    html, shown, _ = render_rows(_chain(10_000), post=unsaved_post, threaded=True, moderator=False)
    assert shown == 10_000
    # 10,000 comments, and the fold of the flattened list past its first replies.
    assert html.count("<li") == html.count("</li>") == 10_001
    assert html.count("<ol") == html.count("</ol>")
    assert html.count("<details") == html.count("</details>")


def test_a_deep_chain_stops_nesting_at_the_visual_depth_cap(unsaved_post, settings):
    settings.COMMENTS_MAX_VISUAL_DEPTH = 4
    html, _, _ = render_rows(_chain(300), post=unsaved_post, threaded=True, moderator=False)
    parsed = _nesting_of(html)
    assert html.count('<details class="comment__replies"') == 4
    assert parsed.parent_of["c5"] == "c4"
    assert parsed.parent_of["c6"] == "c4"
    assert parsed.parent_of["c300"] == "c4"
    assert parsed.stack == []


def test_chronological_rows_render_flat(unsaved_post):
    rows = sorted(MIXED, key=lambda row: row.number)
    html, _, _ = render_rows(rows, post=unsaved_post, threaded=False, moderator=False)
    assert "<ol" not in html
    assert set(_nesting_of(html).parent_of.values()) == {None}


def test_a_reply_names_the_comment_it_answers(unsaved_post):
    html, _, _ = render_rows(MIXED, post=unsaved_post, threaded=False, moderator=False)
    assert 'in reply to <a class="comment-ref" data-ref="2" href="#c2">#2</a>' in html


def test_a_reply_to_a_comment_on_another_page_links_to_its_permalink(unsaved_post):
    html, _, _ = render_rows([_row(9, 3, 1)], post=unsaved_post, threaded=False, moderator=False)
    assert 'href="/2024/03/01/budget-vote/comments/3/">#3</a>' in html


def test_hidden_comment_with_visible_reply_renders_as_placeholder(unsaved_post):
    rows = [_row(1, status=Comment.Status.REMOVED, body_html="<p>insult</p>"), _row(2, 1, 1)]
    html, _, _ = render_rows(rows, post=unsaved_post, threaded=True, moderator=False)
    assert "[removed by a moderator]" in html
    assert "insult" not in html
    assert 'id="c2"' in html


def test_hidden_leaf_is_not_rendered(unsaved_post):
    rows = [_row(1), _row(2, 1, 1, status=Comment.Status.PENDING, body_html="<p>held</p>")]
    html, shown, numbers = render_rows(rows, post=unsaved_post, threaded=True, moderator=False)
    assert 'id="c2"' not in html
    assert "held" not in html
    assert (shown, numbers) == (1, {1})


def test_moderators_see_hidden_comments_marked(unsaved_post):
    rows = [_row(1), _row(2, 1, 1, status=Comment.Status.PENDING, body_html="<p>held</p>")]
    html, _, _ = render_rows(rows, post=unsaved_post, threaded=True, moderator=True)
    assert "comment--pending" in html
    assert "<p>held</p>" in html
    assert "Pending review" in html


def test_guest_names_are_escaped(unsaved_post):
    row = _row(1, author_id=None, guest_name="<script>alert(1)</script>")
    html, _, _ = render_rows([row], post=unsaved_post, threaded=True, moderator=False)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_edited_comment_links_edited_to_its_history(unsaved_post):
    row = _row(3, is_edited=True)
    html, _, _ = render_rows([row], post=unsaved_post, threaded=True, moderator=False)
    assert '<a class="comment__edited" href="/comments/7/3/history/">edited</a>' in html


def test_backlinks_list_replies_and_references(unsaved_post):
    rows = [*MIXED, _row(6, referenced_numbers=[1])]
    html, _, _ = render_rows(rows, post=unsaved_post, threaded=True, moderator=False)
    assert (
        '<p class="comment__backlinks">Replies: '
        '<a class="comment-ref" data-ref="2" href="#c2">#2</a>, '
        '<a class="comment-ref" data-ref="6" href="#c6">#6</a></p>'
    ) in html


# ─── Folds of long reply lists (issue 11) ────────────────────────────────────

# 1 ─ 2, 3, 4, 5, 6 (five replies); 6 ─ 7, 8; then 9 at the top level
WIDE = [
    _row(1),
    *(_row(n, 1, 1) for n in (2, 3, 4, 5, 6)),
    _row(7, 6, 2),
    _row(8, 6, 2),
    _row(9),
]


def _fold_of(html: str) -> str:
    """The markup of the first fold, from its <details> to the end of its list."""
    start = html.index('<li class="comment-fold">')
    return html[start : html.index("</ol></details></li>", html.index('id="c8"')) + 20]


def test_a_long_reply_list_folds_its_later_replies_closed_in_the_markup(unsaved_post, settings):
    settings.COMMENTS_REPLIES_SHOWN = 3
    html, _, _ = render_rows(WIDE, post=unsaved_post, threaded=True, moderator=False)
    fold = _fold_of(html)
    assert fold.startswith(
        '<li class="comment-fold"><details class="comment__more">'
        "<summary>4 more replies in this thread</summary>"
    )
    assert [f'id="c{n}"' in fold for n in range(1, 10)] == [False] * 4 + [True] * 4 + [False]


def test_the_folded_replies_stay_in_their_thread(unsaved_post, settings):
    settings.COMMENTS_REPLIES_SHOWN = 3
    html, _, _ = render_rows(WIDE, post=unsaved_post, threaded=True, moderator=False)
    parsed = _nesting_of(html)
    assert parsed.parent_of.pop(None) == "c1"  # the fold's own <li>
    assert parsed.parent_of == {
        "c1": None,
        **{f"c{n}": "c1" for n in (2, 3, 4, 5, 6)},
        "c7": "c6",
        "c8": "c6",
        "c9": None,
    }
    assert parsed.stack == []
    assert html.count("<li") == html.count("</li>") == 10
    assert html.count("<details") == html.count("</details>") == 3


def test_the_fold_counts_the_placeholders_it_holds(unsaved_post, settings):
    settings.COMMENTS_REPLIES_SHOWN = 3
    rows = [*WIDE[:6], _row(6, 1, 1, status=Comment.Status.REMOVED), *WIDE[6:]]
    rows.pop(5)  # the published #6
    html, shown, _ = render_rows(rows, post=unsaved_post, threaded=True, moderator=False)
    assert shown == 9
    assert "<summary>4 more replies in this thread</summary>" in html


def test_no_fold_with_replies_shown_at_zero(unsaved_post, settings):
    settings.COMMENTS_REPLIES_SHOWN = 0
    html, _, _ = render_rows(WIDE, post=unsaved_post, threaded=True, moderator=False)
    assert "comment__more" not in html


def test_the_chronological_view_never_folds(unsaved_post, settings):
    settings.COMMENTS_REPLIES_SHOWN = 3
    rows = sorted(WIDE, key=lambda row: row.number)
    html, _, _ = render_rows(rows, post=unsaved_post, threaded=False, moderator=False)
    assert "comment__more" not in html
