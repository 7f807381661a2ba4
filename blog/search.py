"""Full-text search over published posts: query validation and highlighted snippets."""

import unicodedata

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db.models import F
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from blog.models import SEARCH_CONFIG

MAX_QUERY_LENGTH = 200
# Sentinels PostgreSQL wraps around matches; chosen so they cannot occur in text
# that went through html_to_text, then swapped for <mark> after escaping.
_START, _STOP = "\u27e6", "\u27e7"


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
            F("body_text"),
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
    for chunk in (headline or "").split(_START):
        if _STOP in chunk:
            match, rest = chunk.split(_STOP, 1)
            pieces.append((format_html("<mark>{}</mark>", match), rest))
        else:
            pieces.append(("", chunk))
    return format_html_join("", "{}{}", pieces)
