"""Full-text search over published posts and comments: query validation, highlighted snippets.

Both are matched in PostgreSQL against GIN-indexed generated tsvector columns
(Post.search_vector, Comment.search_vector); the search page shows one scope at a
time, with the number of matches in each.
"""

import html
import unicodedata

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Replace
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from blog.models import SEARCH_CONFIG, Post
from comments.models import Comment, comment_count

MAX_QUERY_LENGTH = 200
# PostgreSQL's ts_headline treats "<…>" in plain text as markup and drops it, so
# "<" travels as a private-use character; matches are wrapped in two more. These
# cannot occur in body_text (html_to_text strips private-use characters); after
# escaping they become "<" and <mark>…</mark>.
_LT, _START, _STOP = "\ue000", "\ue001", "\ue002"
SCOPES = (("posts", "Posts"), ("comments", "Comments"))


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search posts and comments",
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        error_messages={
            "max_length": f"Search for at most {MAX_QUERY_LENGTH} characters.",
            "required": "Type a word or phrase to search for.",
        },
    )

    scope = forms.ChoiceField(
        choices=SCOPES,
        required=False,
        error_messages={"invalid_choice": "Search in posts or in comments."},
    )

    def clean_scope(self) -> str:
        return self.cleaned_data["scope"] or "posts"

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r" for ch in query):
            raise forms.ValidationError("The search contains control characters; remove them.")
        if not any(ch.isalnum() for ch in query):
            raise forms.ValidationError("Type at least one letter or digit to search for.")
        return query


def search_in(scope: str, query: str):
    """What readers find: published posts, or published comments on live posts, best first."""
    if scope == "comments":
        return search_comments(Comment.objects.published().on_live_posts().for_listing(), query)
    posts = Post.objects.published().for_listing().annotate(comment_count=comment_count())
    return search_posts(posts, query)


def other_scope(scope: str) -> str:
    """The scope not shown ("comments" when showing posts), whose matches are only counted."""
    return "comments" if scope == "posts" else "posts"


def search_posts(queryset, query: str):
    """Published posts matching `query`, best first, each with a `headline` snippet."""
    text = Replace(F("body_text"), Value("<"), Value(_LT))
    return queryset.search(query).annotate(
        headline=_headline(text, query, max_words=40, min_words=20)
    )


def _headline(text, query: str, *, max_words: int, min_words: int) -> SearchHeadline:
    """Up to two fragments of `text` around the matches of `query`, marked for highlight()."""
    return SearchHeadline(
        text,
        SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG),
        config=SEARCH_CONFIG,
        start_sel=_START,
        stop_sel=_STOP,
        max_words=max_words,
        min_words=min_words,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def _regexp_replace(expression, pattern: str, replacement: str) -> Func:
    return Func(
        expression,
        Value(pattern),
        Value(replacement),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def search_comments(queryset, query: str):
    """Comments matching `query`, best first, each with a `headline` snippet.

    The snippet is cut from the rendered text with its tags dropped (sanitised HTML
    has no bare "<" left) and the sentinel characters removed; its character
    references are decoded by highlight(from_html=True).
    """
    text = _regexp_replace(_regexp_replace(F("body_html"), "<[^>]*>", " "), "[\ue000-\uf8ff]", "")
    return queryset.search(query).annotate(
        headline=_headline(text, query, max_words=35, min_words=15)
    )


def highlight(headline: str, *, from_html: bool = False) -> SafeString:
    """Escape a PostgreSQL headline and wrap its matches in <mark>.

    `from_html`: the headline was cut from HTML text, so its character references
    (&amp;, &lt;) are decoded first, then everything is escaped once.
    """
    decode = html.unescape if from_html else str
    pieces = []
    for chunk in (headline or "").replace(_LT, "<").split(_START):
        if _STOP in chunk:
            match, rest = chunk.split(_STOP, 1)
            pieces.append((format_html("<mark>{}</mark>", decode(match)), decode(rest)))
        else:
            pieces.append(("", decode(chunk)))
    return format_html_join("", "{}{}", pieces)
