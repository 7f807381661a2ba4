"""An old comment link (`…/old-post/#comment-45`) lands on the comment, in a real browser.

The server answers the old address with the post (imports/middleware.py) and never
sees the fragment; static/js/old-comment-links.js asks which comment it named.
"""

from datetime import UTC, datetime

import pytest

from blog.models import Post
from imports.models import ImportRun
from imports.records import SourceComment, SourcePost
from imports.writing import AuthorMap, import_post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WHEN = datetime(2017, 10, 5, 7, 0, tzinfo=UTC)


@pytest.fixture
def wordpress_post() -> Post:
    """A post imported from WordPress, once at /2017/10/05/old-slug/, with comments 44 and 45."""
    source = SourcePost(
        title="Budget vote",
        published_at=WHEN,
        body_html="<p>The post.</p>",
        author_name="Ada",
        old_url="https://wp.example/2017/10/05/old-slug/",
        source_id="wxr:7",
        comments=[
            SourceComment(author_name="Steve", created_at=WHEN, body_html="First", source_id="44"),
            SourceComment(author_name="Marta", created_at=WHEN, body_html="Second", source_id="45"),
        ],
    )
    run = ImportRun.objects.create(file_name="blog.xml", format="wxr")
    outcome = import_post(
        source=source, inference=None, run=run, authors=AuthorMap(), dry_run=False
    )
    return Post.objects.get(pk=outcome.post_id)


def test_an_old_comment_fragment_lands_on_that_comment(page, gunicorn_server, wordpress_post):
    """Issue 9: `#comment-45` after an old address ends on comment 2 (WordPress's 45)."""
    page.goto(f"{gunicorn_server}/2017/10/05/old-slug/#comment-45")
    page.wait_for_url(f"**{wordpress_post.get_absolute_url()}*#c2")
    assert page.locator("#c2").is_visible()


def test_an_unknown_old_comment_fragment_stays_on_the_post(page, gunicorn_server, wordpress_post):
    page.goto(f"{gunicorn_server}/2017/10/05/old-slug/#comment-999")
    page.wait_for_url(f"{gunicorn_server}{wordpress_post.get_absolute_url()}")
    assert page.locator("#c1").is_visible()
