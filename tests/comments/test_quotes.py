"""Issue 11: when a comment is removed or deleted, quotes of it in other comments keep their
link but no longer show its text, on every surface (thread, feeds, emails, search)."""

import pytest
from django.core import mail
from django.urls import reverse

from blog.markup import QUOTE_WITHHELD_NOTE, render_comment_markdown
from comments.models import Comment
from comments.moderation import actions
from comments.posting import comment_delete_own, comment_edit
from tests.comments.pages import plain
from tests.factories import CommentFactory
from tests.queue import run_jobs

pytestmark = pytest.mark.django_db

SECRET = "The ministers private number is 555-0199"


def _quote(number: int, name: str, text: str = SECRET) -> str:
    """A quote as the Quote button writes it (comments.views.quote_markdown)."""
    return f"> {text}\n>\n> — #{number}, {name}\n\nI disagree."


@pytest.fixture
def quoted(post, reader):
    return CommentFactory(post=post, author=reader, body=SECRET)


@pytest.fixture
def quoting(post, quoted, other_reader):
    return CommentFactory(post=post, author=other_reader, body=_quote(quoted.number, "Reader"))


def _permalink(comment) -> str:
    return f'href="{comment.get_absolute_url()}"'


# ─── The renderer (pure) ─────────────────────────────────────────────────────


def _render(body: str, withheld=()) -> str:
    return render_comment_markdown(
        body, reference_url=lambda n: f"/c/{n}/", withheld_quotes=withheld
    )[0]


def test_a_quote_of_a_withheld_comment_keeps_its_source_line_and_link():
    html = _render(_quote(5, "Ann"), withheld={5})
    assert SECRET not in html
    assert QUOTE_WITHHELD_NOTE in html
    assert '<a href="/c/5/" class="comment-ref" data-ref="5"' in html
    assert "I disagree." in html


def test_a_quote_of_a_comment_still_shown_is_unchanged():
    assert _render(_quote(5, "Ann"), withheld={6}) == _render(_quote(5, "Ann"))


def test_a_quote_whose_source_line_shares_its_paragraph_is_withheld_too():
    html = _render(f"> {SECRET}\n> — #5\n\nNo.", withheld={5})
    assert SECRET not in html
    assert QUOTE_WITHHELD_NOTE in html


def test_a_withheld_quote_nested_in_another_leaves_the_outer_text():
    body = f"> > {SECRET}\n> >\n> > — #5, Ann\n>\n> Bobs answer\n>\n> — #7, Bob\n"
    html = _render(body, withheld={5})
    assert SECRET not in html
    assert "Bobs answer" in html


def test_a_blockquote_without_a_source_line_is_not_a_quote_of_a_comment():
    html = _render(f"> {SECRET}\n\nAs #5 said.", withheld={5})
    assert SECRET in html


# ─── Moderation and withdrawal change the quotes ─────────────────────────────


def test_removing_a_comment_withholds_its_text_from_quotes_on_the_post_page(
    client, post, quoted, quoting, moderator
):
    assert SECRET in plain(client.get(post.get_absolute_url()))
    actions.comment_remove(comment=quoted, moderator=moderator, reason="Doxxing")
    page = client.get(post.get_absolute_url()).content.decode()
    assert SECRET not in page
    assert QUOTE_WITHHELD_NOTE in page
    assert _permalink(quoted) in page  # the quote keeps its link


def test_restoring_a_comment_shows_its_quotes_again(client, post, quoted, quoting, moderator):
    actions.comment_remove(comment=quoted, moderator=moderator, reason="Doxxing")
    actions.comment_restore(comment=quoted, moderator=moderator)
    quoting.refresh_from_db()
    assert SECRET in quoting.body_html
    assert QUOTE_WITHHELD_NOTE not in quoting.body_html


def test_marking_a_comment_as_spam_withholds_its_quotes(quoted, quoting, moderator):
    actions.comment_mark_spam(comment=quoted, moderator=moderator)
    quoting.refresh_from_db()
    assert SECRET not in quoting.body_html


def test_an_author_deleting_their_comment_withholds_its_quotes(quoted, quoting, reader):
    comment_delete_own(comment=quoted, user=reader)
    quoting.refresh_from_db()
    assert SECRET not in quoting.body_html
    assert QUOTE_WITHHELD_NOTE in quoting.body_html


def test_a_comment_deleted_for_good_leaves_its_quotes_linked_and_withheld(
    quoted, quoting, superuser
):
    link = _permalink(quoted)
    actions.comment_delete_hard(comment=quoted, moderator=superuser)
    quoting.refresh_from_db()
    assert SECRET not in quoting.body_html
    assert link in quoting.body_html


def test_holding_a_comment_for_review_leaves_its_quotes(quoted, quoting, moderator):
    """Only what readers saw and then lost is withheld; a hold is not a verdict."""
    actions.comment_hold(comment=quoted, moderator=moderator)
    quoting.refresh_from_db()
    assert SECRET in quoting.body_html


def test_a_new_quote_of_a_removed_comment_is_withheld(post, quoted, moderator, other_reader):
    actions.comment_remove(comment=quoted, moderator=moderator, reason="Doxxing")
    late = CommentFactory(post=post, author=other_reader, body=_quote(quoted.number, "Reader"))
    assert SECRET not in late.body_html
    assert _permalink(quoted) in late.body_html


def test_editing_a_comment_keeps_withholding_a_removed_quote(quoted, quoting, moderator):
    actions.comment_remove(comment=quoted, moderator=moderator, reason="Doxxing")
    quoting.refresh_from_db()
    comment_edit(
        comment=quoting, user=quoting.author, body=quoting.body.replace("disagree", "object")
    )
    assert SECRET not in quoting.body_html
    assert "I object." in quoting.body_html


def test_the_removal_reaches_a_cached_page_at_once(client, post, quoted, quoting, moderator):
    """The anonymous page is cached whole (blog/page_cache.py); the removal renews it."""
    client.get(post.get_absolute_url())
    assert SECRET in plain(client.get(post.get_absolute_url()))
    actions.comment_remove(comment=quoted, moderator=moderator, reason="Doxxing")
    assert SECRET not in plain(client.get(post.get_absolute_url()))


def test_a_removed_comments_quotes_leave_the_comment_feeds(
    client, post, quoted, quoting, moderator
):
    actions.comment_remove(comment=quoted, moderator=moderator, reason="Doxxing")
    for name, kwargs in (("comments:feed", {}), ("comments:post-feed", {"post_id": post.pk})):
        feed = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert "I disagree." in feed
        assert SECRET not in feed


def test_a_removed_comments_quotes_leave_reply_emails(post, quoted, reader, moderator):
    """The notification of a reply quoting a comment removed before the email went out."""
    reader.is_notified_of_replies = True
    reader.save(update_fields=["is_notified_of_replies"])
    reply = CommentFactory(
        parent=quoted, author=moderator, body=_quote(quoted.number, "Reader", SECRET)
    )
    actions.comment_remove(comment=quoted, moderator=moderator, reason="Doxxing")
    run_jobs()
    sent = [message.body for message in mail.outbox if reply.get_absolute_url() in message.body]
    assert sent
    assert all(SECRET not in body for body in sent)


def test_removed_text_quoted_elsewhere_is_not_found_by_search(
    client, post, quoted, quoting, moderator
):
    actions.comment_remove(comment=quoted, moderator=moderator, reason="Doxxing")
    assert (
        not Comment.objects.filter(post=post)
        .published()
        .search("ministers private number")
        .exists()
    )


def test_a_removal_rerenders_only_the_comments_that_cite_it(
    post, quoted, quoting, moderator, django_assert_num_queries
):
    """Refreshing the quotes costs a fixed number of queries: the citing comments, the
    statuses they cite, one bulk update."""
    CommentFactory.create_batch(3, post=post)
    with django_assert_num_queries(QUERIES_TO_REMOVE):
        actions.comment_remove(comment=quoted, moderator=moderator, reason="Doxxing")


# Two permission lookups, savepoint, lock, status; the quotes: citing comments, the
# statuses they cite, one bulk update; flags, log, comments_version, release.
QUERIES_TO_REMOVE = 12
