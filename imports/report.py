"""The report of one import run: counts for the summary table, details for the JSON/HTML files.

`ImportReport` takes each post's outcome and each problem the reader reported,
keeps totals and bounded lists (a huge export makes a big but finite report),
and gives the same data to the terminal summary, the files and the admin page.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone

from imports.media import MediaProblem
from imports.records import SourceProblem
from imports.writing import PostOutcome

LIST_LIMIT = 5000
POST_ACTIONS = ("created", "updated", "unchanged", "kept_local_edits", "attached", "skipped")


class ImportReport:
    """Totals and details of a run, built one post at a time."""

    def __init__(self, *, file_name: str, format_name: str, options: dict, dry_run: bool):
        self.file_name = file_name
        self.format_name = format_name
        self.options = options
        self.dry_run = dry_run
        self.posts: Counter = Counter()
        self.comments: Counter = Counter()
        self.statuses: Counter = Counter()
        self.links_by_rule: Counter = Counter()
        self.links_by_confidence: Counter = Counter()
        self.repairs: Counter = Counter()
        self.post_rows: list[dict] = []
        self.unresolved: list[dict] = []
        self.inferred: list[dict] = []
        self.skipped: list[dict] = []
        self.authors_created: list[str] = []
        self.suspects = 0
        self.left_out: Counter = Counter()
        self.reader_stopped = ""
        self.media_stats: dict[str, int] = {}
        self.media_problems: list[dict] = []

    def _append(self, name: str, items: list, row: dict) -> None:
        if len(items) < LIST_LIMIT:
            items.append(row)
        else:
            self.left_out[name] += 1

    def add_problem(self, problem: SourceProblem) -> None:
        """A record the reader could not use."""
        self.comments["skipped"] += problem.what == "comment"
        self.posts["skipped"] += problem.what == "post"
        self._append(
            "skipped",
            self.skipped,
            {"line": problem.line, "what": problem.what, "why": problem.message},
        )

    def add_media_problems(self, problems: list[MediaProblem]) -> None:
        """Image references left as they were (not in the media folder, refused, …)."""
        for problem in problems:
            self._append(
                "media",
                self.media_problems,
                {
                    "url": problem.url,
                    "where": problem.where,
                    "kind": problem.kind,
                    "why": problem.reason,
                },
            )

    def add_outcome(self, outcome: PostOutcome) -> None:
        """One source post, written (or not)."""
        self.posts[outcome.action] += 1
        self.comments["added"] += outcome.comments_added
        self.comments["unchanged"] += outcome.comments_unchanged
        self.comments["pings_skipped"] += outcome.pings_skipped
        self.comments["linked_to_accounts"] += outcome.linked_users
        self.statuses.update(outcome.statuses)
        self.links_by_rule.update(outcome.links_by_rule)
        self.links_by_confidence.update(outcome.links_by_confidence)
        self.repairs.update(outcome.repairs)
        self.suspects += outcome.suspects
        self._append(
            "posts",
            self.post_rows,
            {
                "line": outcome.line,
                "title": outcome.title,
                "action": outcome.action,
                "url": outcome.url,
                "comments_added": outcome.comments_added,
                "comments_unchanged": outcome.comments_unchanged,
                "pings_skipped": outcome.pings_skipped,
            },
        )
        for line, number, parent, rule, confidence, evidence in outcome.links:
            self._append(
                "inferred",
                self.inferred,
                {
                    "post": outcome.title,
                    "url": outcome.url,
                    "line": line,
                    "comment": number,
                    "parent": parent,
                    "rule": rule,
                    "confidence": confidence,
                    "evidence": evidence,
                },
            )
        for number, why in outcome.unresolved:
            self._append(
                "unresolved",
                self.unresolved,
                {"post": outcome.title, "url": outcome.url, "comment": number, "why": why},
            )
        for line, why in outcome.problems:
            what = "post" if outcome.action in ("failed", "skipped") else "note"
            self._append("skipped", self.skipped, {"line": line, "what": what, "why": why})

    @property
    def counts(self) -> dict:
        """The totals stored on the run and printed in the summary table."""
        return {
            "posts": {action: self.posts.get(action, 0) for action in (*POST_ACTIONS, "failed")},
            "comments": {
                key: self.comments.get(key, 0)
                for key in ("added", "unchanged", "skipped", "pings_skipped", "linked_to_accounts")
            },
            "comment_statuses": dict(sorted(self.statuses.items())),
            "inferred_links": dict(sorted(self.links_by_rule.items())),
            "inferred_links_by_confidence": {
                band: self.links_by_confidence.get(band, 0) for band in ("high", "medium", "low")
            },
            "unresolved": len(self.unresolved) + self.left_out["unresolved"],
            "suspects": self.suspects,
            "skipped_records": len(self.skipped) + self.left_out["skipped"],
            "repairs": dict(sorted(self.repairs.items())),
            "authors_created": len(self.authors_created),
            "media": dict(self.media_stats),
        }

    def as_dict(self, *, run_id: int | None, started_at, finished_at) -> dict:
        return {
            "run": run_id,
            "file": self.file_name,
            "format": self.format_name,
            "dry_run": self.dry_run,
            "options": self.options,
            "started_at": started_at.isoformat() if started_at else None,
            "finished_at": finished_at.isoformat() if finished_at else None,
            "reader_stopped": self.reader_stopped,
            "counts": self.counts,
            "posts": self.post_rows,
            "inferred": self.inferred,
            "unresolved": self.unresolved,
            "skipped": self.skipped,
            "authors_created": self.authors_created,
            "left_out": dict(self.left_out),
            "media_problems": self.media_problems,
        }


def default_report_base(media_root: Path, run_id: int | None) -> Path:
    """MEDIA_ROOT/imports/import-<run>-<time> (without suffix)."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(media_root) / "imports" / f"import-{run_id or 'dry-run'}-{stamp}"


def report_paths(base: Path) -> tuple[Path, Path]:
    """The JSON and HTML files for a --report PATH (its suffix, if any, is replaced)."""
    base = Path(base)
    if base.suffix.lower() in (".json", ".html", ".htm"):
        base = base.with_suffix("")
    return base.with_suffix(".json"), base.with_suffix(".html")


def render_report_html(report: dict) -> str:
    """The report as a standalone HTML page (also shown in admin)."""
    return render_to_string(
        "imports/report.html", {"report": report, "stylesheet": _stylesheet_url()}
    )


def _stylesheet_url() -> str:
    """The report's stylesheet; its plain address where static files are not collected
    (a command run with production settings before collectstatic must still report)."""
    try:
        return static("css/import-report.css")
    except ValueError:
        return f"{settings.STATIC_URL}css/import-report.css"


def write_report(report: dict, base: Path) -> tuple[Path, Path]:
    """Write the report as JSON and as HTML next to each other; returns both paths."""
    json_path, html_path = report_paths(base)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    html_path.write_text(render_report_html(report), encoding="utf-8")
    return json_path, html_path
