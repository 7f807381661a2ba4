"""`@N` and `#N` in a comment's body: which numbers it cites, and their permalinks; quotes of
removed or deleted comments, which keep their link but no longer show the text."""

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
    """Body HTML and cited numbers; @N/#N link only to comments the post really has, and
    quotes of removed or deleted ones show a note instead of their text."""
    candidates = cited_numbers(body)
    statuses = (
        dict(
            Comment.objects.filter(post=post, number__in=candidates).values_list("number", "status")
        )
        if candidates
        else {}
    )
    return _render(post, body, statuses)


def _render(post: Post, body: str, statuses: dict[int, str]) -> tuple[str, list[int]]:
    withheld = {n for n, status in statuses.items() if status in Comment.UNQUOTABLE_STATUSES}
    return render_comment_markdown(
        body, reference_url=reference_url_for(post, set(statuses)), withheld_quotes=withheld
    )


def quotes_refresh(*, post: Post, number: int, deleted_for_good: bool = False) -> int:
    """Render again the comments citing comment `number`, once its status changed, so their
    quotes of it show its text or "[quoted comment removed]"; returns how many changed.

    A comment deleted for good keeps its link in them (its permalink then answers "No such
    comment"). Imported comments keep the HTML they came with: their body is a plain-text copy.
    """
    citing = list(
        Comment.objects.filter(post=post, referenced_numbers__contains=[number], imported=None)
        .exclude(number=number)
        .order_by()
        .only("pk", "body", "body_html", "referenced_numbers")
    )
    if not citing:
        return 0
    cited = {n for comment in citing for n in cited_numbers(comment.body)}
    statuses = dict(
        Comment.objects.filter(post=post, number__in=cited)
        .order_by()
        .values_list("number", "status")
    )
    if deleted_for_good:
        statuses[number] = Comment.Status.DELETED
    changed = []
    for comment in citing:
        body_html, comment.referenced_numbers = _render(post, comment.body, statuses)
        if body_html != comment.body_html:
            comment.body_html = body_html
            changed.append(comment)
    Comment.objects.bulk_update(changed, ["body_html", "referenced_numbers"])
    return len(changed)
