"""`@N` and `#N` in a comment's body: which numbers it cites, and their permalinks."""

from blog.markup import REFERENCE_RE, render_comment_markdown
from blog.models import Post
from comments.models import Comment


def cited_numbers(body: str) -> set[int]:
    """Numbers written as @N or #N in a body (whether or not such comments exist)."""
    return {int(match.group(1)) for match in REFERENCE_RE.finditer(body)}


def reference_url_for(post: Post, numbers: set[int]):
    """A function mapping a cited number to its permalink when the post has that comment."""

    def url(number: int) -> str | None:
        if number not in numbers:
            return None
        return Comment(post=post, number=number).get_absolute_url()

    return url


def render_comment_body(post: Post, body: str) -> tuple[str, list[int]]:
    """Body HTML and cited numbers; @N/#N link only to comments the post really has."""
    candidates = cited_numbers(body)
    existing = (
        set(
            Comment.objects.filter(post=post, number__in=candidates).values_list(
                "number", flat=True
            )
        )
        if candidates
        else set()
    )
    return render_comment_markdown(body, reference_url=reference_url_for(post, existing))
