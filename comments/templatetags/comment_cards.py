"""{% comment_card comment %}: the comment card (templates/comments/_comment.jinja) in a
Django template, for every page that shows a comment outside the post's thread."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from comments import cards

register = template.Library()


@register.simple_tag
def comment_card(comment, *, on_post: bool = False, body=None):
    """The card of one saved comment (its author and post fetched); `on_post` names the post;
    `body`, safe HTML, stands for its text (search results show the matching snippet)."""
    page = cards.CardPage(comment.post, in_thread=False)
    view = cards.card_view(cards.comment_row(comment), page)
    if body is not None:
        view = view._replace(body=format_html('<p class="comment__snippet">{}</p>', body))
    if on_post:
        post = comment.post
        view = view._replace(
            on_post=format_html(' on <a href="{}">{}</a>', post.get_absolute_url(), post.title)
        )
    return mark_safe(cards.render_flat([view], page))  # noqa: S308 - escaped by card_view
