"""`manage.py export_blog --format mt|json [--output FILE] [--timezone ZONE]`: the blog out."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from imports.exporting import export_json, export_mt


class Command(BaseCommand):
    help = (
        "Write every post and comment as a Movable Type export (with X-RIPOSTE-NUMBER, "
        "-PARENT and -STATUS keys so threads survive a re-import) or as one JSON document."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", dest="export_format", choices=("mt", "json"), default="mt")
        parser.add_argument(
            "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )
        parser.add_argument(
            "--timezone",
            metavar="ZONE",
            default=settings.TIME_ZONE,
            help="Zone of the MT export's dates, which carry none (default: the blog's "
            "TIME_ZONE). Import the file with the same --timezone.",
        )

    def handle(self, *args, export_format, output, timezone, **options):
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise CommandError(f"Unknown time zone “{timezone}”.") from error
        if not output:
            self.stdout.ending = ""
            self._export(export_format, self.stdout, zone)
            return
        with open(output, "w", encoding="utf-8", newline="\n") as out:
            count = self._export(export_format, out, zone)
        self.stderr.write(f"Exported {count} post{'s' if count != 1 else ''} to {output}.")

    def _export(self, export_format: str, out, zone: ZoneInfo) -> int:
        if export_format == "json":
            return export_json(out=out)
        return export_mt(out=out, tz=zone)
