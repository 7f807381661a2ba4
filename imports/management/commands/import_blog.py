"""`manage.py import_blog FILE`: bring a whole blog in from its export.

Reads the file one post at a time (imports/formats), infers the threads of flat
comment sections (imports/inference.py), writes each post in its own
transaction (imports/writing.py) and ends with a summary table and a JSON +
HTML report. See README ("Importing a blog").
"""

import codecs
import csv
import dataclasses
import sys
import time
import zoneinfo
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from imports import formats
from imports.encoding import detect_encoding
from imports.inference import infer_threads
from imports.media import MediaResolver
from imports.models import ImportRun, normalise_path
from imports.records import SourceProblem
from imports.report import ImportReport, default_report_base, write_report
from imports.writing import AuthorMap, AuthorMapError, import_post, stored_thread

# Formats read as text lines, whose encoding --encoding auto detects (XML declares its own).
TEXT_FORMATS = ("mt", "typepad-page")


@dataclasses.dataclass(frozen=True)
class RunSetup:
    """The options of a run, checked and turned into the objects the import uses."""

    encoding: str
    zone: zoneinfo.ZoneInfo
    authors: AuthorMap
    post_map: dict[str, str]
    media: MediaResolver


class Command(BaseCommand):
    help = (
        "Import posts and comments from a Movable Type/Typepad export, a saved Typepad page, "
        "a WordPress WXR file or a Disqus XML export. Re-running changes nothing; a newer "
        "export adds only what is new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export file.")
        parser.add_argument(
            "--format",
            default="auto",
            choices=["auto", *formats.FORMATS],
            help="The file's format; auto (default) sniffs it.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do everything, then roll it back: shows exactly what would happen.",
        )
        parser.add_argument(
            "--timezone",
            default=None,
            help="Zone of dates given without one (MT exports), e.g. America/New_York. "
            "Default: TIME_ZONE.",
        )
        parser.add_argument(
            "--encoding", default="auto", help="auto (default), utf-8, cp1252, latin-1…"
        )
        parser.add_argument(
            "--authors",
            default="create",
            help="create (default): post authors become staff users in the Authors group; "
            "or a CSV with columns name,email,username mapping them to existing users.",
        )
        parser.add_argument(
            "--media-dir",
            help="Folder of saved images (a browser's saved-page folder, a wget mirror…), "
            "matched to Typepad image references by asset id or file name.",
        )
        parser.add_argument(
            "--old-host",
            action="append",
            default=[],
            metavar="HOST",
            help="A former domain of the blog (repeatable): its images are resolved like "
            "Typepad's. The hosts of the posts' old addresses count without saying.",
        )
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help="Download images the media folder lacks (public addresses only, 10 s "
            "timeout, size-limited, must decode as an image). Never without this flag.",
        )
        parser.add_argument(
            "--report",
            help="Where to write the report: PATH.json and PATH.html "
            "(default: MEDIA_ROOT/imports/import-<run>-<time>).",
        )
        parser.add_argument(
            "--no-infer", action="store_true", help="Keep flat comment sections flat."
        )
        parser.add_argument(
            "--map",
            help="CSV mapping Disqus thread URLs to posts: columns url,post "
            "(post = its address, slug or id).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        zone = self._zone(options["timezone"])
        setup = RunSetup(
            encoding=self._encoding(options["encoding"]),
            zone=zone,
            authors=self._authors(options["authors"]),
            post_map=self._post_map(options["map"]),
            media=self._media(options),
        )
        format_name = options["format"]
        if format_name == "auto":
            try:
                format_name = formats.sniff_format(path)
            except (formats.UnknownFormat, ImportError) as error:
                raise CommandError(str(error)) from error
        recorded = {
            key: options[key]
            for key in (
                "dry_run",
                "encoding",
                "authors",
                "media_dir",
                "old_host",
                "fetch_media",
                "report",
                "no_infer",
                "map",
            )
        }
        recorded["timezone"] = str(zone)
        if format_name in TEXT_FORMATS and setup.encoding == "auto":
            # What auto-detection chose, so an owner sees a wrong guess before anything else.
            recorded["encoding"] = f"{detect_encoding(path)} (detected)"
        report = ImportReport(
            file_name=str(path),
            format_name=format_name,
            options=recorded,
            dry_run=options["dry_run"],
        )
        run_fields = {"file_name": str(path)[:500], "format": format_name, "options": recorded}
        started_at = timezone.now()
        if options["dry_run"]:
            with transaction.atomic():
                run = ImportRun.objects.create(is_dry_run=True, **run_fields)
                self._import(path, format_name, setup, options, run, report)
                transaction.set_rollback(True)
            # Everything above is gone; only the record of the dry run itself is kept.
            run = ImportRun(is_dry_run=True, started_at=started_at, **run_fields)
        else:
            run = ImportRun.objects.create(started_at=started_at, **run_fields)
            try:
                self._import(path, format_name, setup, options, run, report)
            except BaseException:
                self._finish(run, report, options, status=ImportRun.Status.FAILED)
                raise
        status = ImportRun.Status.FAILED if report.reader_stopped else ImportRun.Status.FINISHED
        json_path, html_path = self._finish(run, report, options, status=status)
        self._summary(report, json_path, html_path)

    # ─── Options ─────────────────────────────────────────────────────────────

    def _media(self, options) -> MediaResolver:
        """Finds Typepad-hosted images (gone with Typepad) and stores the saved copies."""
        folder = Path(options["media_dir"]) if options["media_dir"] else None
        try:
            return MediaResolver(
                folder,
                fetch=options["fetch_media"],
                dry_run=options["dry_run"],
                old_hosts=options["old_host"],
            )
        except ValueError as error:
            raise CommandError(f"--media-dir: {error}") from error

    def _zone(self, name: str | None):
        name = name or settings.TIME_ZONE
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise CommandError(
                f"Unknown time zone {name!r}; give an IANA name such as Europe/London."
            ) from error

    def _encoding(self, name: str) -> str:
        if name == "auto":
            return name
        try:
            return codecs.lookup(name).name
        except LookupError as error:
            raise CommandError(
                f"Unknown encoding {name!r}; use auto, utf-8, cp1252, latin-1…"
            ) from error

    def _authors(self, value: str) -> AuthorMap:
        if value == "create":
            return AuthorMap()
        if not Path(value).is_file():
            raise CommandError(f"--authors is `create` or a CSV file; {value} is neither.")
        try:
            return AuthorMap.from_csv(Path(value))
        except AuthorMapError as error:
            raise CommandError(str(error)) from error

    def _post_map(self, value: str | None) -> dict[str, str]:
        if not value:
            return {}
        try:
            with open(value, newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"Can't read the map {value}: {error}") from error
        if not rows or not {"url", "post"} <= set(rows[0]):
            raise CommandError(f"The map {value} needs a header `url,post` and at least one row.")
        mapping = {}
        for line, row in enumerate(rows, start=2):
            url, post = (row.get("url") or "").strip(), (row.get("post") or "").strip()
            if not url or not post:
                raise CommandError(f"{value}, line {line}: give both a url and a post.")
            mapping[normalise_path(url)] = post
        return mapping

    # ─── The run ─────────────────────────────────────────────────────────────

    def _import(self, path, format_name, setup: RunSetup, options, run, report):
        encoding, zone, authors = setup.encoding, setup.zone, setup.authors
        post_map, media = setup.post_map, setup.media
        with connection.cursor() as cursor:
            # Each post's commit need not wait for the disk: a server crash can lose the
            # last few posts whole (never half of one), and running the import again
            # brings them back. Only this connection is affected.
            cursor.execute("SET synchronous_commit TO OFF")
        progress = tqdm(
            desc="Importing",
            unit=" posts",
            file=getattr(self.stderr, "_out", sys.stderr),
            disable=None,  # only on a terminal
            dynamic_ncols=True,
        )
        started, comments = time.perf_counter(), 0
        try:
            records = formats.read_source(path, format_name=format_name, encoding=encoding, tz=zone)
            for record in records:
                if isinstance(record, SourceProblem):
                    report.add_problem(record)
                    continue
                inference = self._infer(record, options, report, zone, post_map)
                # Files and the network are read here, outside the post's transaction.
                report.add_media_problems(media.localise_post(record))
                outcome = import_post(
                    source=record,
                    inference=inference,
                    run=run,
                    authors=authors,
                    dry_run=options["dry_run"],
                    post_map=post_map,
                )
                report.add_outcome(outcome)
                comments += len(record.comments)
                progress.update(1)
                rate = comments / max(time.perf_counter() - started, 1e-6)
                progress.set_postfix(comments=comments, per_s=f"{rate:,.0f}", refresh=False)
        except Exception as error:
            # The reader could not go on (a broken file); what was read is kept.
            report.reader_stopped = f"{type(error).__name__}: {error}"
        finally:
            progress.close()
            report.authors_created = list(authors.created)
            report.media_stats = dataclasses.asdict(media.stats)

    def _infer(self, record, options, report, zone, post_map):
        if options["no_infer"] or not record.comments:
            return None
        try:
            known, first_number = stored_thread(record, post_map)
            return infer_threads(
                record,
                post_author_names=(record.author_name,),
                tz=zone,
                known=known,
                first_number=first_number,
            )
        except Exception as error:  # inference is a bonus: the comments still come in, flat
            report.add_problem(
                SourceProblem(
                    line=record.line,
                    message=f"Threads of {record.title!r} not inferred ({error})",
                    what="note",
                )
            )
            return None

    def _finish(self, run: ImportRun, report: ImportReport, options, *, status: str):
        run.finished_at = timezone.now()
        run.status = status
        run.counts = report.counts
        data = report.as_dict(run_id=run.pk, started_at=run.started_at, finished_at=run.finished_at)
        base = options["report"] or default_report_base(settings.MEDIA_ROOT, run.pk)
        try:
            json_path, html_path = write_report(data, Path(base))
        except OSError as error:
            self.stderr.write(f"Could not write the report to {base}: {error}")
            json_path = html_path = None
        run.report = data
        run.report_path = str(html_path or "")
        run.save()
        return json_path, html_path

    def _summary(self, report: ImportReport, json_path, html_path) -> None:
        counts = report.counts
        write = self.stdout.write
        if report.dry_run:
            write(self.style.WARNING("Dry run: nothing was written. This is what would happen:"))
        posts, comments = counts["posts"], counts["comments"]
        rows = [
            (
                "Read as",
                f"{report.format_name}, encoding {report.options['encoding']}, "
                f"dates without a zone in {report.options['timezone']}",
            ),
            ("Posts", ", ".join(f"{key.replace('_', ' ')} {n}" for key, n in posts.items())),
            (
                "Comments",
                f"added {comments['added']}, unchanged {comments['unchanged']}, "
                f"skipped {comments['skipped']}, linked to accounts "
                f"{comments['linked_to_accounts']}",
            ),
            ("New comments by status", _pairs(counts["comment_statuses"])),
            ("Pings/trackbacks skipped", str(comments["pings_skipped"])),
            ("Inferred links by rule", _pairs(counts["inferred_links"])),
            ("…by confidence", _pairs(counts["inferred_links_by_confidence"])),
            ("Unresolved references", str(counts["unresolved"])),
            ("Impersonation suspects", str(counts["suspects"])),
            ("Skipped records, notes", str(counts["skipped_records"])),
            ("Repairs", _pairs(counts["repairs"])),
            ("Authors created", ", ".join(report.authors_created) or "none"),
            ("Images", _pairs(counts["media"])),
        ]
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            write(f"{label:<{width}}  {value}")
        for row in report.skipped[:20]:
            write(f"  line {row['line']}: {row['why']}")
        if len(report.skipped) > 20:
            write(f"  … and {counts['skipped_records'] - 20} more in the report")
        if report.reader_stopped:
            write(self.style.ERROR(f"Reading stopped early: {report.reader_stopped}"))
        if html_path:
            write(f"Report: {html_path} (JSON: {json_path})")


def _pairs(counter: dict) -> str:
    return ", ".join(f"{key} {n}" for key, n in counter.items()) or "none"
