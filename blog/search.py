"""Full-text search over published posts: query validation and highlighted snippets."""

import unicodedata

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from blog.models import SEARCH_CONFIG

MAX_QUERY_LENGTH = 200
# PostgreSQL's ts_headline treats "<…>" in plain text as markup and drops it, so
# "<" travels as a private-use character; matches are wrapped in two more. These
# cannot occur in body_text (html_to_text strips private-use characters); after
# escaping they become "<" and <mark>…</mark>.
_LT, _START, _STOP = "\ue000", "\ue001", "\ue002"


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search posts",
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        error_messages={
            "max_length": f"Search for at most {MAX_QUERY_LENGTH} characters.",
            "required": "Type a word or phrase to search for.",
        },
    )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r" for ch in query):
            raise forms.ValidationError("The search contains control characters; remove them.")
        if not any(ch.isalnum() for ch in query):
            raise forms.ValidationError("Type at least one letter or digit to search for.")
        return query


def search_posts(queryset, query: str):
    """Published posts matching `query`, best first, each with a `headline` snippet."""
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    return queryset.search(query).annotate(
        headline=SearchHeadline(
            Replace(F("body_text"), Value("<"), Value(_LT)),
            search_query,
            config=SEARCH_CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=40,
            min_words=20,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )


def highlight(headline: str) -> SafeString:
    """Escape a PostgreSQL headline and wrap its matches in <mark>."""
    pieces = []
    for chunk in (headline or "").replace(_LT, "<").split(_START):
        if _STOP in chunk:
            match, rest = chunk.split(_STOP, 1)
            pieces.append((format_html("<mark>{}</mark>", match), rest))
        else:
            pieces.append(("", chunk))
    return format_html_join("", "{}{}", pieces)
