"""Decoding exports and repairing double-encoded text: pure tests, no database."""

from __future__ import annotations

import pytest

from imports.encoding import detect_encoding, open_lines, repair_text

TEXT = "“Curly” quotes, café, naïve, Zoë\nemoji 😀 and 日本語\n\n  indented — dash…\n"
LINES = ["“Curly” quotes, café, naïve, Zoë", "emoji 😀 and 日本語", "", "  indented — dash…"]


def lines_of(path, encoding="auto") -> list[str]:
    with open_lines(path, encoding) as lines:
        return list(lines)


@pytest.mark.parametrize(
    "text",
    [
        TEXT,
        "Ärger über Äpfel in Köln",
        "¿Qué? Âmbar é bonito, à la carte",
        "Straße — 5 € — “ok” ‘fine’ it’s",
        "Привет, мир",
        "<p>&amp; &eacute; &lt;b&gt;</p>",
        "ﬁne ligature and ｆｕｌｌ width stay",
        "e\u0301 stays decomposed",
        "plain ascii",
    ],
)
def test_correct_text_is_left_alone(text):
    assert repair_text(text) == text


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("â€œquotedâ€\x9d and itâ€™s", "“quoted” and it’s"),
        ("cafÃ© and Ã©tÃ©", "café and été"),
        ("‚ÄúTypepad‚Äù it‚Äôs", "“Typepad” it’s"),
        ("ÄúTypepadÄù itÄôs", "“Typepad” it’s"),
        ("It,Äôs a ,Äúquote,Äù", "It’s a “quote”"),
        ("dash ‚Äî and ‚Äì", "dash — and –"),
    ],
)
def test_mojibake_is_repaired(broken, fixed):
    assert repair_text(broken) == fixed


def test_utf8_is_read_as_is(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    assert lines_of(path) == LINES
    assert detect_encoding(path) == "utf-8"


def test_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert lines_of(path) == LINES
    assert lines_of(path, "utf-8") == LINES


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_crlf_and_cr_become_lf(tmp_path, ending):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.replace("\n", ending).encode("utf-8"))
    assert lines_of(path) == LINES


def test_cp1252_is_detected(tmp_path):
    path = tmp_path / "a.txt"
    text = "“Curly” quotes, café, naïve, Zoë\r\n€5 — Œuvre\r\n"
    path.write_bytes(text.encode("cp1252"))
    assert lines_of(path) == ["“Curly” quotes, café, naïve, Zoë", "€5 — Œuvre"]
    assert detect_encoding(path) == "cp1252"


def test_cp1252_bytes_it_leaves_undefined_still_decode(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"caf\xe9 \x81 \x8d\n")
    assert lines_of(path, "cp1252") == ["café \x81 \x8d"]


def test_other_legacy_codecs_are_detected(tmp_path):
    path = tmp_path / "a.txt"
    text = "Привет, как дела? Это обычный текст блога о политике и погоде.\n" * 20
    path.write_bytes(text.encode("cp1251"))
    assert lines_of(path)[0] == "Привет, как дела? Это обычный текст блога о политике и погоде."


def test_explicit_encoding_is_honoured(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\x93quoted\x94\n")
    assert lines_of(path, "cp1252") == ["“quoted”"]
    assert lines_of(path, "latin-1") == ["\x93quoted\x94"]


def test_undecodable_bytes_under_an_explicit_encoding_are_replaced_and_counted(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"good\nbad \xff line\nalso \xfe\xfe bad\n")
    with open_lines(path, "utf-8") as lines:
        assert list(lines) == ["good", "bad \ufffd line", "also \ufffd\ufffd bad"]
    assert lines.replaced_lines == 2


def test_mixed_utf8_and_cp1252_lines_each_decode_and_are_counted(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("café “utf-8”\n".encode() + "café “cp1252”\n".encode("cp1252"))
    with open_lines(path) as lines:
        assert list(lines) == ["café “utf-8”", "café “cp1252”"]
    assert lines.recoded_lines == 1
    assert detect_encoding(path) == "utf-8+cp1252"


def test_utf16_with_byte_order_mark(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("utf-16"))
    assert lines_of(path) == LINES
