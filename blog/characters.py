"""Characters no text on the site may hold: those XML 1.0 forbids.

Comment bodies, names, titles and bios reach RSS/Atom feeds and emails; one
U+FFFF or control character makes a whole feed unreadable (issue 8). Forms and
write functions refuse such text with `refuse_xml_forbidden`; feeds drop any
that older rows still hold with `xml_safe`.
"""

import re

from django.core.exceptions import ValidationError

# XML 1.0's Char production: tab, newline, carriage return, U+0020–U+D7FF,
# U+E000–U+FFFD, U+10000–U+10FFFF. Everything else: C0 controls, lone
# surrogates, and the noncharacters U+FFFE and U+FFFF.
XML_FORBIDDEN_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 forbids."""
    return XML_FORBIDDEN_RE.sub("", text)


def refuse_xml_forbidden(text: str) -> None:
    """Refuses text holding a character XML 1.0 forbids, naming the first one."""
    found = XML_FORBIDDEN_RE.search(text or "")
    if found is None:
        return
    code = f"U+{ord(found.group()):04X}"
    if 0xD800 <= ord(found.group()) <= 0xDFFF:
        kind = "a broken character (a lone surrogate)"
    elif ord(found.group()) < 0x20:
        kind = "an invisible control character"
    else:
        kind = "a Unicode noncharacter"
    raise ValidationError(
        f"The text contains {kind} ({code}) that web feeds and emails cannot carry; "
        "remove it and try again.",
        code="xml_forbidden",
    )


def refuse_xml_forbidden_in(instance, field_names: tuple[str, ...]) -> None:
    """For Model.clean(): refuses each named text field holding a character XML 1.0 forbids."""
    errors = {}
    for name in field_names:
        try:
            refuse_xml_forbidden(getattr(instance, name) or "")
        except ValidationError as error:
            errors[name] = error
    if errors:
        raise ValidationError(errors)
