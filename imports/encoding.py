"""Turning an export's bytes into clean text lines, and undoing double encoding.

Exports come as UTF-8 (with or without a byte-order mark), as cp1252/latin-1 from
old installs, or as UTF-8 with a few cp1252 lines pasted in over the years.
`open_lines` reads any of them line by line (bounded memory, CRLF and CR
normalised to LF) and `repair_text` undoes mojibake (`â€œ`, `Ã©`, the Mac-Roman
`‚Äú` Typepad shows for curly quotes) with ftfy, leaving correct text untouched.
"""

from __future__ import annotations

import codecs
import functools
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import charset_normalizer
import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")
from charset_normalizer.md import mess_ratio
from ftfy import TextFixerConfig, fix_text

from imports.records import SourcePost

# cp1252 with its five undefined bytes mapped through, so an old export never fails.
LEGACY_FALLBACK = "sloppy-windows-1252"
UTF8 = "utf-8-sig"  # decodes plain UTF-8 too, and drops a leading byte-order mark

_SCAN_CHUNK = 256 * 1024
_SAMPLE_LIMIT = 256 * 1024
_LINE_LIMIT = 1 << 20
_SURROGATE = re.compile("[\udc80-\udcff]")
_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Conservative ftfy: only undo encoding mix-ups. Quotes stay curly, HTML entities stay
# escaped (bodies are HTML), no Unicode normalisation, line breaks and controls untouched.
_FIX_CONFIG = TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# Typepad's Mac-Roman mojibake of “ ” ‘ ’ – — … is "‚Ä" plus one letter; exports often
# lost the leading "‚" (or turned it into a comma), which leaves ftfy nothing to decode.
_MAC_ROMAN_CURLY = re.compile("[,\u201a]?\u00c4(?=[\u00fa\u00f9\u00f2\u00f4\u00ec\u00ee\u00b6])")


def repair_text(text: str) -> str:
    """`text` with double encoding undone; correct text (curly quotes, accents, emoji) unchanged."""
    if text.isascii():
        return text
    fixed = fix_text(text, _FIX_CONFIG)
    if _MAC_ROMAN_CURLY.search(fixed):
        restored = fix_text(_MAC_ROMAN_CURLY.sub("\u201a\u00c4", fixed), _FIX_CONFIG)
        if not _MAC_ROMAN_CURLY.search(restored):
            fixed = restored
    return fixed


def repair_post(post: SourcePost) -> None:
    """Undo mojibake in every text of the post and its comments, counting the texts changed."""
    changed = 0

    def fixed(text: str) -> str:
        nonlocal changed
        result = repair_text(text)
        changed += result != text
        return result

    post.title = fixed(post.title)
    post.body_html = fixed(post.body_html)
    post.excerpt = fixed(post.excerpt)
    post.author_name = fixed(post.author_name)
    post.primary_category = repair_text(post.primary_category)  # counted among categories
    post.categories = [fixed(name) for name in post.categories]
    post.tags = [fixed(name) for name in post.tags]
    for comment in post.comments:
        comment.author_name = fixed(comment.author_name)
        comment.body_html = fixed(comment.body_html)
    if changed:
        post.repairs["mojibake"] = post.repairs.get("mojibake", 0) + changed


class TextLines:
    """The lines of a decoded file (without their line ends), with what decoding had to do.

    `encoding` names what was used: "utf-8", a legacy codec, or "utf-8+<legacy>" for a
    UTF-8 file with some legacy lines. `recoded_lines` counts those legacy lines in a mixed
    file; `replaced_lines` counts lines whose undecodable bytes became U+FFFD.
    """

    def __init__(self, handle: io.TextIOBase, *, encoding: str, legacy: str | None):
        self._handle = handle
        self.encoding = encoding
        self._legacy = legacy
        self.recoded_lines = 0
        self.replaced_lines = 0

    def __iter__(self) -> Iterator[str]:
        first = True
        for line in self._handle:
            if line.endswith("\n"):
                line = line[:-1]
            if first:
                line = line.removeprefix("\ufeff")
                first = False
            if not line.isascii() and _SURROGATE.search(line):
                line = self._undecodable(line)
            yield line

    def _undecodable(self, line: str) -> str:
        raw = line.encode("utf-8", "surrogateescape")
        if self._legacy:
            self.recoded_lines += 1
            return raw.decode(self._legacy, "replace")
        self.replaced_lines += 1
        return _SURROGATE.sub("\ufffd", line)


@contextmanager
def open_lines(path: Path, encoding: str = "auto") -> Iterator[TextLines]:
    """The file's lines decoded as `encoding` ("auto": UTF-8 if it decodes, else detected)."""
    if encoding == "auto":
        codec, legacy, name = _detect(path)
    else:
        codec = UTF8 if codecs.lookup(encoding).name == "utf-8" else encoding
        if codecs.lookup(codec).name in ("cp1252", "windows-1252"):
            codec = LEGACY_FALLBACK
        legacy, name = None, codecs.lookup(encoding).name
    with open(path, "rb") as raw:
        # newline=None turns CRLF and CR into LF as it streams.
        text = io.TextIOWrapper(raw, encoding=codec, errors="surrogateescape", newline=None)
        yield TextLines(text, encoding=name, legacy=legacy)


def detect_encoding(path: Path) -> str:
    """What `open_lines(path)` will decode the file as, for the import report."""
    return _detect(path)[2]


def _detect(path: Path) -> tuple[str, str | None, str]:
    """(codec to stream with, legacy codec for undecodable lines, name for the report).

    Detection reads the whole file; the import asks twice (its report names the encoding
    before the reader opens the file), so the answer is kept for the file as it is now.
    """
    stat = Path(path).stat()
    return _detect_file(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _detect_file(path: str, size: int, mtime_ns: int) -> tuple[str, str | None, str]:
    """_detect for the file at `path` while it has this size and change time."""
    with open(path, "rb") as raw:
        head = raw.read(4)
        for bom, codec in _UTF16_32_BOMS:
            if head.startswith(bom):
                return codec, None, codec
        raw.seek(0)
        if _decodes_as_utf8(raw):
            return UTF8, None, "utf-8"
        raw.seek(0)
        sample, has_utf8 = _legacy_sample(raw)
    legacy = _guess_legacy(sample)
    if has_utf8:
        return UTF8, legacy, f"utf-8+{_report_name(legacy)}"
    return legacy, None, _report_name(legacy)


def _decodes_as_utf8(raw: io.BufferedReader) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := raw.read(_SCAN_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _legacy_sample(raw: io.BufferedReader) -> tuple[bytes, bool]:
    """Up to 256 KiB of the lines that are not UTF-8, and whether other lines are UTF-8."""
    sample = bytearray()
    has_utf8 = False
    while line := raw.readline(_LINE_LIMIT):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            has_utf8 = True
        except UnicodeDecodeError:
            if len(sample) < _SAMPLE_LIMIT:
                sample += line
    return bytes(sample), has_utf8


def _guess_legacy(sample: bytes) -> str:
    """The sample's single-byte codec; cp1252 whenever it reads as well as the best guess."""
    matches = charset_normalizer.from_bytes(sample)
    best = matches.best()
    if best is None or best.encoding.startswith("utf"):
        return LEGACY_FALLBACK
    # Short Western samples often look like Big5 or cp1250 to the detector; cp1252 wins
    # whenever its reading is as clean as the detector's favourite.
    if mess_ratio(sample.decode(LEGACY_FALLBACK)) <= best.chaos + 0.01:
        return LEGACY_FALLBACK
    # Among equally clean readings, a Windows code page is what web-era exports used.
    tied = [match.encoding for match in matches if match.chaos <= best.chaos + 0.01]
    return next((name for name in tied if name.startswith("cp125")), best.encoding)


def _report_name(codec: str) -> str:
    return "cp1252" if codec == LEGACY_FALLBACK else codec
