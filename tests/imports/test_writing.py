"""The writer: posts, comments and threads stored from source records (issue 9)."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from blog.models import Post
from comments.models import Comment
from comments.posting import comment_create
from imports.models import ImpersonationSuspect, ImportedComment, ImportedPost, OldUrl
from imports.records import (
    CommentKind,
    CommentsMode,
    CommentStatus,
    InferredLink,
    PostStatus,
    ThreadInference,
)
from imports.reviewing import link_change_parent, link_make_top_level
from imports.writing import AuthorMap
from imports.writing import comments as comment_writing
from tests.factories import PostFactory, UserFactory

from .conftest import BASE, at, comment, flat_thread, source_post

pytestmark = pytest.mark.django_db


def check_deferred_constraints() -> None:
    """Thread positions are unique per post, checked at commit: check them now."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def numbers_and_parents(post) -> list[tuple[int, int | None]]:
    return list(post.comments.order_by("number").values_list("number", "parent_number"))


# ─── Posts ───────────────────────────────────────────────────────────────────


def test_imported_post_keeps_title_date_category_tags_and_html_body(write):
    source = source_post(
        primary_category="Local politics",
        categories=["Budget", "Local politics"],
        tags=["housing", '"city hall"'],
    )
    outcome = write(source)
    post = Post.objects.get(pk=outcome.post_id)
    assert outcome.action == "created"
    assert (post.title, post.slug) == ("Budget vote delayed again", "budget_vote_delayed")
    assert post.published_at == source.published_at
    assert post.status == Post.Status.PUBLISHED and post.is_live
    assert post.category.name == "Local politics"
    # Issue 9: a post has one category; the other categories it was filed under are tags.
    assert sorted(post.tags.values_list("name", flat=True)) == ["Budget", "city hall", "housing"]
    assert post.body_format == Post.BodyFormat.HTML
    assert post.body_html == "<p>The committee met.</p>\n\n<p>It voted <b>7 to 2</b>.</p>"


def test_post_author_becomes_a_staff_author_without_a_password(write):
    post = Post.objects.get(pk=write(source_post()).post_id)
    author = post.author
    assert (author.display_name, author.email, author.is_staff) == (
        "Ada Byline",
        "ada@example.org",
        True,
    )
    assert author.groups.filter(name="Authors").exists()
    assert not author.has_usable_password()


def test_post_author_with_a_known_email_is_that_user(write):
    existing = UserFactory(username="ada", email="ADA@example.org", is_staff=True)
    assert Post.objects.get(pk=write(source_post()).post_id).author == existing
    assert User.objects.count() == 1


def test_a_reader_with_the_authors_name_is_not_made_the_author(write):
    reader = UserFactory(username="ada-byline", display_name="Ada Byline")
    author = Post.objects.get(pk=write(source_post()).post_id).author
    assert author != reader and author.is_staff
    assert author.username == "ada-byline-2"
    assert author.public_name == "ada-byline-2"


def test_authors_map_sends_a_source_author_to_a_username(write):
    editor = UserFactory(username="editor", is_staff=True)
    outcome = write(source_post(), authors=AuthorMap({"Ada Byline": "editor"}))
    assert Post.objects.get(pk=outcome.post_id).author == editor


@pytest.mark.parametrize(
    ("status", "expected", "in_future"),
    [
        (PostStatus.DRAFT, Post.Status.DRAFT, False),
        (PostStatus.PUBLISHED, Post.Status.PUBLISHED, False),
        (PostStatus.SCHEDULED, Post.Status.PUBLISHED, True),
    ],
)
def test_post_status_is_mapped(write, status, expected, in_future):
    when = timezone.now() + timedelta(days=3) if in_future else BASE
    post = Post.objects.get(pk=write(source_post(status=status, published_at=when)).post_id)
    assert post.status == expected
    assert post.is_scheduled is in_future


@pytest.mark.parametrize(
    ("mode", "allowed"),
    [(CommentsMode.OPEN, True), (CommentsMode.CLOSED, False), (CommentsMode.OFF, False)],
)
def test_comment_mode_sets_allow_comments(write, mode, allowed):
    assert Post.objects.get(pk=write(source_post(comments_mode=mode)).post_id).allow_comments is (
        allowed
    )


def test_comments_turned_off_on_the_old_blog_are_kept_but_hidden(client, write):
    """Issue 9: MT ALLOW COMMENTS 0 (off) shows no comment and takes none; they are kept."""
    outcome = write(source_post(comments_mode=CommentsMode.OFF, comments=flat_thread()))
    post = Post.objects.get(pk=outcome.post_id)
    assert not post.allow_comments
    assert set(post.comments.values_list("status", "moderation_reason")) == {
        (Comment.Status.REMOVED, comment_writing.HIDDEN_REASON)
    }
    assert outcome.statuses == {"hidden": 4}
    page = client.get(post.get_absolute_url()).content.decode()
    assert "read the minutes" not in page
    assert "Comments are closed" in page


def test_comments_of_a_closed_post_stay_visible(client, write):
    """Issue 9: MT ALLOW COMMENTS 2 closes the post but keeps its comments on show."""
    outcome = write(source_post(comments_mode=CommentsMode.CLOSED, comments=flat_thread()))
    post = Post.objects.get(pk=outcome.post_id)
    assert not post.allow_comments
    assert set(post.comments.values_list("status", flat=True)) == {Comment.Status.PUBLISHED}
    page = client.get(post.get_absolute_url()).content.decode()
    assert "read the minutes" in page
    assert "Comments are closed" in page


def test_hidden_comments_stay_hidden_when_a_newer_export_turns_them_on_and_it_says_so(write):
    """Issue 9: imported comments are never touched again; the report names the ones hidden."""
    write(source_post(comments_mode=CommentsMode.OFF, comments=flat_thread()))
    outcome = write(source_post(comments_mode=CommentsMode.OPEN, comments=flat_thread()))
    post = Post.objects.get(pk=outcome.post_id)
    assert outcome.action == "updated"
    assert post.allow_comments
    assert not post.comments.published().exists()
    assert "the 4 comments an earlier import hid stay hidden" in outcome.problems[0][1]


def test_a_closed_disqus_thread_closes_its_post_without_counting_as_a_local_edit(write):
    """Issue 9: a later re-import of the post's own export still updates it."""
    imported = write(source_post())
    post = Post.objects.get(pk=imported.post_id)
    thread = source_post(
        published_at=None,
        old_url=f"https://blog.example.com{post.get_absolute_url()}",
        is_comments_only=True,
        source_id="disqus:thread-1",
        comments_mode=CommentsMode.CLOSED,
        comments=[comment("Nia", 1, "Via Disqus", source_id="d1")],
    )
    assert write(thread).action == "attached"
    post.refresh_from_db()
    assert not post.allow_comments
    assert write(source_post(title="Budget vote delayed, again")).action == "updated"


def test_two_entries_with_the_same_basename_get_distinct_slugs(write):
    first = write(source_post(old_url="http://old.example.com/a.html"))
    second = write(source_post(old_url="http://old.example.com/b.html"))
    slugs = {Post.objects.get(pk=o.post_id).slug for o in (first, second)}
    assert slugs == {"budget_vote_delayed", "budget_vote_delayed-2"}


@pytest.mark.parametrize(
    ("text_filter", "body", "expected"),
    [
        ("0", "<p>As is</p>\nline", "<p>As is</p>\nline"),
        ("wysiwyg", "<p>As is</p>", "<p>As is</p>"),
        ("__default__", "one\ntwo\n\nthree", "<p>one<br>\ntwo</p>\n\n<p>three</p>"),
        ("markdown", "Some *words*", "<p>Some <em>words</em></p>\n"),
    ],
)
def test_convert_breaks_is_applied_to_the_body(write, text_filter, body, expected):
    outcome = write(source_post(convert_breaks=text_filter, body_html=body))
    assert Post.objects.get(pk=outcome.post_id).body_html == expected


def test_scripts_in_an_export_are_inert(write):
    source = source_post(
        body_html='<p onclick="steal()">Hi</p><script>alert(1)</script>'
        '<a href="javascript:x">l</a>',
        convert_breaks="0",
        comments=[comment("Eve", 1, '<script>alert("c")</script><img src=x onerror=alert(1)>ok')],
    )
    post = Post.objects.get(pk=write(source).post_id)
    imported = post.comments.get()
    for html in (post.body_html, imported.body_html):
        assert "<script" not in html and "onclick" not in html and "onerror" not in html
        assert "javascript:" not in html
    assert "alert" not in imported.body_html.replace("&quot;", "")


# ─── Comments ────────────────────────────────────────────────────────────────


def test_comments_keep_names_emails_dates_and_ips_as_guests(write):
    source = source_post(
        comments=[
            comment("Steve", 1, "Hello", ip_address="203.0.113.9", author_url="http://s.example")
        ]
    )
    stored = Post.objects.get(pk=write(source).post_id).comments.get()
    assert (stored.number, stored.guest_name, stored.guest_email) == (
        1,
        "Steve",
        "steve@example.net",
    )
    assert stored.author is None and stored.created_at == at(1)
    assert stored.ip_address == "203.0.113.9"
    assert stored.imported.author_url == "http://s.example"


def test_a_bad_ip_is_dropped_not_fatal(write):
    source = source_post(comments=[comment("Steve", 1, "Hi", ip_address="not-an-ip")])
    assert Post.objects.get(pk=write(source).post_id).comments.get().ip_address is None


def test_a_commenter_with_a_confirmed_account_email_is_linked_to_it(write):
    rita = UserFactory(username="rita", email="Steve@Example.net")
    source = source_post(comments=[comment("Steve", 1, "Hi")])
    outcome = write(source)
    assert Comment.objects.get().author == rita
    assert outcome.linked_users == 1


def test_an_unconfirmed_account_email_stays_a_guest(write):
    UserFactory(username="steve", email="steve@example.net", email_verified_at=None)
    write(source_post(comments=[comment("Steve", 1, "Hi")]))
    assert Comment.objects.get().author is None


def test_a_reserved_name_is_kept_for_history_and_no_account_is_created(write):
    UserFactory(username="marta", display_name="Marta", email="marta@site.example")
    users = User.objects.count()
    write(source_post(comments=[comment("Marta", 1, "An old comment")]))
    stored = Comment.objects.get()
    assert (stored.guest_name, stored.author) == ("Marta", None)
    # The post's author is the only account the import created.
    assert User.objects.count() == users + 1


def test_comment_html_is_sanitised_and_cites_earlier_comments(write):
    source = source_post(
        comments=[
            comment("Steve", 1, "First"),
            comment("Marta", 2, "@1 and #3 and <i>@ 1</i>"),
            comment("Lee", 3, "Me"),
        ]
    )
    write(source)
    second = Comment.objects.get(number=2)
    assert second.referenced_numbers == [1]
    assert second.body_html.count('class="comment-ref"') == 2
    assert "#3" in second.body_html and 'data-ref="3"' not in second.body_html
    assert 'rel="nofollow ugc noopener"' in second.body_html
    assert second.body == "@1 and #3 and @ 1"


def test_plain_text_comments_get_paragraphs_and_line_breaks(write):
    write(source_post(comments=[comment("Steve", 1, "one\ntwo\n\nthree")]))
    stored = Comment.objects.get()
    assert stored.body_html == "<p>one<br>\ntwo</p>\n\n<p>three</p>"
    assert stored.body == "one\ntwo\n\nthree"


def test_numbers_are_chronological_positions_without_source_numbers(write):
    comments = [comment("B", 5, "later"), comment("A", 1, "earlier")]
    post = Post.objects.get(pk=write(source_post(comments=comments)).post_id)
    assert list(post.comments.order_by("number").values_list("guest_name", flat=True)) == [
        "A",
        "B",
    ]
    assert post.last_comment_number == 2


def test_comments_readers_never_saw_are_numbered_after_the_others(write):
    comments = [
        comment("Spammer", 1, "buy", status=CommentStatus.SPAM),
        comment("A", 2, "first seen"),
        comment("Held", 3, "held", status=CommentStatus.PENDING),
        comment("Gone", 4, "removed, but its place was shown", status=CommentStatus.REMOVED),
        comment("B", 5, "@2 answers Gone, the second comment readers saw"),
    ]
    post = Post.objects.get(pk=write(source_post(comments=comments)).post_id)
    numbers = dict(post.comments.values_list("guest_name", "number"))
    assert numbers == {"A": 1, "Gone": 2, "B": 3, "Spammer": 4, "Held": 5}


def test_source_numbers_are_kept(write):
    comments = [comment("A", 1, "x", number=3), comment("B", 2, "y", number=7)]
    post = Post.objects.get(pk=write(source_post(comments=comments)).post_id)
    assert list(post.comments.values_list("number", flat=True).order_by("number")) == [3, 7]
    assert post.last_comment_number == 7


@pytest.mark.parametrize(
    ("status", "visible"),
    [
        (CommentStatus.PUBLISHED, True),
        (CommentStatus.PENDING, False),
        (CommentStatus.REMOVED, False),
        (CommentStatus.SPAM, False),
    ],
)
def test_comment_statuses_are_kept_and_only_published_is_visible(write, status, visible):
    outcome = write(source_post(comments=[comment("A", 1, "x", status=status)]))
    stored = Comment.objects.get()
    assert stored.status == status
    assert Comment.objects.published().exists() is visible
    assert outcome.statuses == {status: 1}


def test_pingbacks_and_trackbacks_are_skipped_and_counted(write):
    comments = [
        comment("A", 1, "x"),
        comment("Other blog", 2, "linked", kind=CommentKind.TRACKBACK),
        comment("Another", 3, "linked", kind=CommentKind.PINGBACK),
    ]
    outcome = write(source_post(comments=comments))
    assert Comment.objects.count() == 1
    assert outcome.pings_skipped == 2


def test_identical_double_posts_are_both_kept(write):
    twice = [comment("A", 1, "Same words"), comment("A", 1, "Same words")]
    write(source_post(comments=twice))
    assert Comment.objects.count() == 2
    assert write(source_post(comments=twice)).comments_added == 0


# ─── Threads ─────────────────────────────────────────────────────────────────


def test_explicit_parents_from_the_export_build_the_thread(write):
    comments = [
        comment("A", 1, "root", source_id="11"),
        comment("B", 2, "reply", source_id="12", parent_source_id="11"),
        comment("C", 3, "reply to reply", source_id="13", parent_source_id="12"),
        comment("D", 4, "second reply to root", source_id="14", parent_source_id="11"),
    ]
    post = Post.objects.get(pk=write(source_post(comments=comments)).post_id)
    assert numbers_and_parents(post) == [(1, None), (2, 1), (3, 2), (4, 1)]
    assert list(post.comments.in_thread_order().values_list("number", "depth")) == [
        (1, 0),
        (2, 1),
        (3, 2),
        (4, 1),
    ]
    assert not ImportedComment.objects.inferred().exists()


def test_inferred_links_become_parents_with_their_rule(write):
    inference = ThreadInference(
        links=[
            InferredLink(child=1, parent=0, rule="number", confidence=0.95, evidence="@1"),
            InferredLink(child=3, parent=0, rule="at_name", confidence=0.6, evidence="Steve,"),
        ]
    )
    outcome = write(source_post(comments=flat_thread()), inference)
    post = Post.objects.get(pk=outcome.post_id)
    assert numbers_and_parents(post) == [(1, None), (2, 1), (3, None), (4, 1)]
    link = ImportedComment.objects.get(comment__number=4)
    assert (link.rule, link.confidence, link.evidence, link.inferred_parent_number) == (
        "at_name",
        0.6,
        "Steve,",
        1,
    )
    assert outcome.links_by_rule == {"number": 1, "at_name": 1}


def test_a_link_to_a_newer_comment_is_refused_and_reported(write):
    inference = ThreadInference(
        links=[InferredLink(child=0, parent=2, rule="number", confidence=0.9, evidence="#3")],
        unresolved=[(1, "@Lee: two commenters named Lee")],
    )
    outcome = write(source_post(comments=flat_thread()), inference)
    assert numbers_and_parents(Post.objects.get(pk=outcome.post_id))[0] == (1, None)
    assert (1, "parent #3 is not an older comment") in outcome.unresolved
    assert (2, "@Lee: two commenters named Lee") in outcome.unresolved


def test_the_post_page_shows_the_rebuilt_threads_at_once(client, write):
    inference = ThreadInference(
        links=[
            InferredLink(child=1, parent=0, rule="number", confidence=0.9, evidence="@1"),
            InferredLink(child=3, parent=0, rule="at_name", confidence=0.7, evidence="Steve"),
        ]
    )
    post = Post.objects.get(pk=write(source_post(comments=flat_thread()), inference).post_id)
    html = client.get(post.get_absolute_url()).content.decode()
    assert [int(n) for n in re.findall(r'id="c(\d+)" data-n=', html)] == [1, 2, 4, 3]
    first = html[html.index('id="c1"') : html.index('id="c3"')]
    # Replies 2 and 4 are rendered inside comment 1's reply list.
    assert 'class="comment-list"' in first and 'id="c4"' in first


def test_impersonation_suspects_are_recorded_once(write):
    inference = ThreadInference(suspects=[(3, 1, "Marta with two emails")])
    assert write(source_post(comments=flat_thread()), inference).suspects == 1
    # Issue 9: the re-run's report counts no suspect it already listed.
    assert write(source_post(comments=flat_thread()), inference).suspects == 0
    suspect = ImpersonationSuspect.objects.get()
    assert (suspect.comment.number, suspect.other_comment.number) == (4, 2)


# ─── Re-runs ─────────────────────────────────────────────────────────────────


def test_a_rerun_changes_nothing_and_duplicates_nothing(write):
    inference = ThreadInference(
        links=[InferredLink(child=1, parent=0, rule="number", confidence=0.9, evidence="@1")]
    )
    first = write(source_post(comments=flat_thread()), inference)
    post = Post.objects.get(pk=first.post_id)
    before = (post.updated_at, post.comments_version, Comment.objects.count())
    again = write(source_post(comments=flat_thread()), inference)
    post.refresh_from_db()
    assert (again.action, again.comments_added, again.comments_unchanged) == ("unchanged", 0, 4)
    assert (post.updated_at, post.comments_version, Comment.objects.count()) == before
    assert ImportedPost.objects.count() == 1 and OldUrl.objects.count() == 1


def test_a_newer_export_adds_only_new_comments_after_the_last_number(write, reader):
    write(source_post(comments=flat_thread()))
    post = Post.objects.get()
    comment_create(post=post, author=reader, body="Posted on the new site")
    newer = [*flat_thread(), comment("Zed", 9, "@2 late reply")]
    inference = ThreadInference(
        links=[InferredLink(child=4, parent=1, rule="number", confidence=0.9, evidence="@2")]
    )
    outcome = write(source_post(comments=newer), inference)
    assert (outcome.comments_added, outcome.comments_unchanged) == (1, 4)
    check_deferred_constraints()
    latest = post.comments.get(guest_name="Zed")
    assert (latest.number, latest.parent_number) == (6, 2)
    post.refresh_from_db()
    assert post.last_comment_number == 6
    assert list(post.comments.in_thread_order().values_list("number", flat=True)) == [
        1,
        2,
        6,
        3,
        4,
        5,
    ]


def test_a_moderators_review_survives_a_reimport(write, moderator):
    inference = ThreadInference(
        links=[InferredLink(child=1, parent=0, rule="number", confidence=0.9, evidence="@1")]
    )
    write(source_post(comments=flat_thread()), inference)
    imported = ImportedComment.objects.get(comment__number=2)
    link_change_parent(imported=imported, moderator=moderator, parent_number=1)
    link_change_parent(imported=imported, moderator=moderator, parent_number=1)
    link_make_top_level(imported=imported, moderator=moderator)
    check_deferred_constraints()
    write(source_post(comments=[*flat_thread(), comment("Zed", 9, "new")]), inference)
    assert Comment.objects.get(number=2).parent_number is None
    imported.refresh_from_db()
    assert imported.review_state == ImportedComment.ReviewState.TOP_LEVEL


def test_a_changed_source_updates_a_post_nobody_edited(write):
    write(source_post())
    outcome = write(source_post(title="Budget vote delayed, again"))
    assert outcome.action == "updated"
    assert Post.objects.get().title == "Budget vote delayed, again"


def test_edits_made_on_the_site_win_over_a_changed_source(write):
    write(source_post())
    post = Post.objects.get()
    post.title = "Fixed on the site"
    post.save()
    outcome = write(source_post(title="Budget vote delayed, again"))
    assert outcome.action == "kept_local_edits"
    assert Post.objects.get().title == "Fixed on the site"


def test_a_failing_post_leaves_nothing_and_a_rerun_imports_it(write, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(comment_writing, "comments_import", broken)
    outcome = write(source_post(comments=flat_thread()))
    assert outcome.action == "failed"
    assert "disk full" in outcome.problems[0][1]
    assert not Post.objects.exists() and not ImportedPost.objects.exists()
    assert not OldUrl.objects.exists() and not User.objects.filter(is_staff=True).exists()
    monkeypatch.undo()
    again = write(source_post(comments=flat_thread()))
    assert (again.action, again.comments_added) == ("created", 4)


def test_a_failing_post_does_not_stop_the_next(write, monkeypatch):
    real = comment_writing.comments_import

    def fail_once(**kwargs):
        if kwargs["post"].title == "Broken":
            raise ValueError("bad record")
        return real(**kwargs)

    monkeypatch.setattr(comment_writing, "comments_import", fail_once)
    authors = AuthorMap()
    bad = write(source_post("Broken", comments=flat_thread()), authors=authors)
    good = write(
        source_post("Fine", old_url="http://old.example.com/fine.html", comments=flat_thread()),
        authors=authors,
    )
    assert (bad.action, good.action) == ("failed", "created")
    assert list(Post.objects.values_list("title", flat=True)) == ["Fine"]
    assert Comment.objects.count() == 4


# ─── Comments-only records ───────────────────────────────────────────────────


def test_no_entry_comments_join_the_post_with_the_same_date(write):
    write(source_post(comments=flat_thread()[:2]))
    extra = source_post(
        title="",
        old_url="",
        basename="",
        is_comments_only=True,
        comments=[comment("Nia", 30, "Joined later")],
    )
    outcome = write(extra)
    post = Post.objects.get()
    assert (outcome.action, outcome.post_id) == ("attached", post.pk)
    assert post.comments.get(guest_name="Nia").number == 3


def test_no_entry_without_a_matching_post_is_reported_and_skipped(write):
    extra = source_post(old_url="", is_comments_only=True, comments=[comment("Nia", 1, "x")])
    outcome = write(extra)
    assert outcome.action == "skipped"
    assert "NO ENTRY" in outcome.problems[0][1]
    assert not Comment.objects.exists()


def test_disqus_thread_joins_the_post_at_its_url_path(write):
    post = PostFactory()
    thread = source_post(
        published_at=None,
        old_url=f"https://blog.example.com{post.get_absolute_url()}",
        is_comments_only=True,
        source_id="disqus:thread-1",
        comments=[comment("Nia", 1, "Via Disqus", source_id="d1")],
    )
    assert write(thread).post_id == post.pk
    assert post.comments.get().guest_name == "Nia"


def test_disqus_thread_joins_the_post_of_an_old_url_or_of_the_map(write):
    imported = Post.objects.get(pk=write(source_post()).post_id)
    by_old_url = source_post(
        published_at=None,
        old_url="http://old.example.com/blog/2017/10/budget_vote_delayed.html",
        is_comments_only=True,
        source_id="disqus:1",
        comments=[comment("Nia", 1, "x")],
    )
    assert write(by_old_url).post_id == imported.pk
    other = PostFactory(slug="elsewhere")
    by_map = source_post(
        published_at=None,
        old_url="http://gone.example.com/p/42",
        is_comments_only=True,
        source_id="disqus:2",
        comments=[comment("Ola", 1, "y")],
    )
    assert write(by_map, post_map={"/p/42": "elsewhere"}).post_id == other.pk


def test_an_inferred_link_to_a_comment_stored_before_the_export_is_kept(write, reader):
    write(source_post(comments=flat_thread()))
    post = Post.objects.get()
    site_comment = comment_create(post=post, author=reader, body="Posted on the new site")
    # Inference names a parent outside the export by its number (parent None).
    link = SimpleNamespace(
        child=4, parent=None, parent_number=site_comment.number, rule="number",
        confidence=0.9, evidence="@5",
    )  # fmt: skip
    newer = [*flat_thread(), comment("Zed", 9, "@5 good point")]
    write(source_post(comments=newer), ThreadInference(links=[link]))
    assert post.comments.get(guest_name="Zed").parent_number == site_comment.number


def test_our_exports_parent_numbers_follow_a_renumbered_continuation(write, reader):
    write(source_post(comments=[comment("A", 1, "x")]))
    post = Post.objects.get()
    comment_create(post=post, author=reader, body="Posted on the new site")
    # A later export of the old blog numbered its comments 1 and 2; ours are 1 and 3.
    newer = [comment("A", 1, "x", number=1), comment("B", 2, "reply", number=2, parent_number=1)]
    write(source_post(comments=newer))
    reply = post.comments.get(guest_name="B")
    assert (reply.number, reply.parent_number) == (3, 1)


def test_nul_characters_of_a_damaged_export_are_dropped(write):
    source = source_post(
        "Title\x00",
        body_html="Body\x00 text",
        tags=["t\x00ag"],
        comments=[comment("Ste\x00ve", 1, "Hi\x00 there", author_url="http://x\x00")],
    )
    outcome = write(source)
    assert outcome.action == "created"
    post = Post.objects.get()
    assert "\x00" not in post.title + post.body
    assert post.comments.get().guest_name == "Steve"


@pytest.mark.parametrize("size", [10, 500])
def test_a_post_takes_the_same_few_queries_whatever_its_comments(
    write, size, django_assert_max_num_queries
):
    authors = AuthorMap()
    write(source_post("Warm-up", old_url="http://o.example/w", tags=["a"]), authors=authors)
    comments = [comment(f"R{n % 7}", n, f"@{max(n - 1, 1)} comment {n}") for n in range(size)]
    links = [
        InferredLink(child=n, parent=n - 1, rule="number", confidence=0.9, evidence="@")
        for n in range(1, size)
    ]
    source = source_post(tags=["a"], comments=comments)
    with django_assert_max_num_queries(15):
        outcome = write(source, ThreadInference(links=links), authors=authors)
    assert outcome.comments_added == size
