"""WXR and Disqus exports through import_blog: threads, statuses and re-runs (needs the writer)."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from blog.models import Post
from comments.models import Comment

pytestmark = pytest.mark.django_db
pytest.importorskip("imports.writing", reason="needs the import writer")

FIXTURES = Path(__file__).parent / "fixtures"
BUDGET_LINK = "https://townhall.example.org/2024/02/budget-vote/"


def import_blog(path: Path, tmp_path: Path, *options: str) -> None:
    call_command(
        "import_blog",
        str(path),
        *options,
        "--report",
        str(tmp_path / "report"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def comments_of(post: Post) -> list[tuple]:
    return list(
        Comment.objects.filter(post=post)
        .in_number_order()
        .values_list("number", "parent_number", "depth", "status", "guest_name")
    )


@pytest.fixture
def wordpress_blog(tmp_path) -> Post:
    import_blog(FIXTURES / "wxr_blog.xml", tmp_path, "--timezone", "America/New_York")
    return Post.objects.get(slug="budget-vote")


@pytest.fixture
def disqus_export(tmp_path) -> Path:
    """The Disqus fixture with its first thread pointing at the WordPress post."""
    path = tmp_path / "disqus.xml"
    path.write_text(
        (FIXTURES / "disqus_blog.xml")
        .read_text()
        .replace("https://townhall.example.org/2017/10/budget-vote.html", BUDGET_LINK)
    )
    return path


def test_wxr_posts_arrive_and_pages_do_not(wordpress_blog):
    assert sorted(Post.objects.values_list("title", flat=True)) == [
        "Budget vote & the missing line",
        "Next week's hearing",
        "Notes for a later post",
        "Private thoughts",
    ]


def test_wxr_threads_and_statuses_arrive(wordpress_blog):
    comments = comments_of(wordpress_blog)
    assert comments[:3] == [
        (1, None, 0, "published", "Dana"),
        (2, 1, 1, "published", "Lee"),
        (3, 2, 2, "published", "Steve"),
    ]
    statuses = {name: status for _, _, _, status, name in comments}
    assert statuses["Held Harry"] == "pending"
    assert statuses["Cheap Pills"] == "spam"
    assert statuses["Trashed Tom"] == statuses["Post Trashed Pat"] == "removed"


def test_wxr_re_run_changes_nothing(wordpress_blog, tmp_path):
    before = comments_of(wordpress_blog)
    import_blog(FIXTURES / "wxr_blog.xml", tmp_path, "--timezone", "America/New_York")
    assert comments_of(wordpress_blog) == before
    assert Post.objects.count() == 4


def test_disqus_thread_attaches_to_the_post_with_its_link(wordpress_blog, disqus_export, tmp_path):
    before = len(comments_of(wordpress_blog))
    import_blog(disqus_export, tmp_path)
    added = comments_of(wordpress_blog)[before:]
    first = added[0][0]
    assert [(parent, depth, status, name) for _, parent, depth, status, name in added] == [
        (None, 0, "published", "Dana"),
        (first, 1, "removed", "Lee"),  # deleted in Disqus: a placeholder keeps the reply
        (first + 1, 2, "published", "Steve"),
        (None, 0, "published", "Concerned Neighbour"),
        # Readers never saw the spam: it is numbered after every comment they did see.
        (None, 0, "spam", "Pills"),
    ]


def test_a_deleted_disqus_comment_leaves_a_placeholder_above_its_reply(
    client, wordpress_blog, disqus_export, tmp_path
):
    """Issue 9: a comment deleted in Disqus keeps its place for the reply under it."""
    import_blog(disqus_export, tmp_path)
    lee = wordpress_blog.comments.get(guest_name="Lee", status="removed")
    steve = wordpress_blog.comments.get(parent=lee)
    page = client.get(wordpress_blog.get_absolute_url()).content.decode()
    placeholder = page[page.index(f'id="c{lee.number}"') : page.index(f'id="c{steve.number}"')]
    assert "comment__placeholder" in placeholder
    assert "Removed on the old blog, before the import." in placeholder
    assert lee.body not in page
    assert steve.body.split()[0] in page


def test_disqus_re_run_changes_nothing(wordpress_blog, disqus_export, tmp_path):
    import_blog(disqus_export, tmp_path)
    before = comments_of(wordpress_blog)
    import_blog(disqus_export, tmp_path)
    assert comments_of(wordpress_blog) == before


def test_a_closed_disqus_thread_closes_the_post_it_joins(wordpress_blog, disqus_export, tmp_path):
    """Issue 9: Disqus `isClosed` closes the post for comments; open threads leave theirs open."""
    hearing = Post.objects.get(slug="hearing")
    assert hearing.allow_comments
    mapping = tmp_path / "map.csv"
    mapping.write_text("url,post\nhttps://townhall.example.org/2017/10/zoning.html,hearing\n")
    import_blog(disqus_export, tmp_path, "--map", str(mapping))
    hearing.refresh_from_db()
    wordpress_blog.refresh_from_db()
    assert hearing.comments.exists()
    assert not hearing.allow_comments
    assert wordpress_blog.allow_comments


def test_a_disqus_re_run_leaves_a_post_a_moderator_reopened_open(
    wordpress_blog, disqus_export, tmp_path
):
    """Issue 9: closing comes from what the export newly says, so a re-run never undoes a reopen."""
    mapping = tmp_path / "map.csv"
    mapping.write_text("url,post\nhttps://townhall.example.org/2017/10/zoning.html,hearing\n")
    import_blog(disqus_export, tmp_path, "--map", str(mapping))
    Post.objects.filter(slug="hearing").update(allow_comments=True)
    import_blog(disqus_export, tmp_path, "--map", str(mapping))
    assert Post.objects.get(slug="hearing").allow_comments
