"""What happened to one source post: the writer fills it, the report adds them up."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class PostOutcome:
    """What happened to one source post, for the summary and the report."""

    source_id: str
    title: str
    line: int
    action: str = "unchanged"  # created, updated, unchanged, kept_local_edits, attached, failed
    post_id: int | None = None
    url: str = ""
    comments_added: int = 0
    comments_unchanged: int = 0
    pings_skipped: int = 0
    links_by_rule: Counter = field(default_factory=Counter)
    links_by_confidence: Counter = field(default_factory=Counter)  # "high", "medium", "low"
    # Each inferred link: (line, comment number, parent number, rule, confidence, evidence).
    links: list[tuple[int, int, int, str, float, str]] = field(default_factory=list)
    unresolved: list[tuple[int, str]] = field(default_factory=list)  # (comment number, why)
    suspects: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    repairs: dict[str, int] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    linked_users: int = 0


def confidence_band(confidence: float | None) -> str:
    """The band the review list filters on: high (0.8 and up), medium (0.5 to 0.8), low."""
    if confidence is not None and confidence >= 0.8:
        return "high"
    if confidence is not None and confidence >= 0.5:
        return "medium"
    return "low"
