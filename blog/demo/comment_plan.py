"""Demo comment threads as plain data: who writes what, in reply to which comment, and when.

Pure: nothing here touches the database. A plan is a list of `PlannedComment`
numbered 1, 2, 3… in posting order, the order `blog.demo.comments` writes them
in, so a text can cite an earlier comment by the number it will have. The long
thread and the open thread are generated from hand-written texts with a fixed
random seed; the other posts carry short scripted threads.
"""

import math
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from blog.demo.comment_texts import arguments, fragments, kesh_ridge, other_posts, people

# The shape of a generated thread: how often each kind of comment is written.
LONG_THREAD_MIX = {
    "opener": 15,
    "addressed": 14,
    "reply": 25,
    "comeback": 8,
    "jab": 16,
    "quote": 9,
    "rebuttal": 6,
}
OPEN_THREAD_MIX = {"opener": 40, "addressed": 8, "reply": 37, "jab": 10, "quote": 5}

# Which kinds a commenter's style leans towards.
STYLE_AFFINITY = {
    "terse": {"jab": 3.0, "rebuttal": 0.2, "quote": 0.7},
    "wordy": {"jab": 0.4, "rebuttal": 3.0, "quote": 1.5},
    "plain": {},
}
IMPOSTOR_KEY = "impostor"
# The set piece in which someone posts under another commenter's name.
IMPERSONATION_LABEL = "impostor"
# Kinds of comment that make a claim worth quoting or rebutting at length.
ARGUED_KINDS = ("opener", "addressed", "reply", "rebuttal", "chain", "set_piece", "scripted")
_LEADING_CITATION = re.compile(r"^(?:@ ?\d+|#\d+:?|@[^:\n]{1,40}:)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Person:
    """Someone who comments in the demo: a registered account or a guest."""

    key: str
    name: str
    email: str
    is_guest: bool
    weight: int
    style: str
    cites: str
    ip: str
    guest_email: str = ""  # for a reader who comments as a guest until registering


@dataclass(frozen=True)
class PlannedComment:
    """One comment to post: by `author` (a Person key), as a guest or as the account."""

    number: int
    author: str
    as_guest: bool
    name: str
    email: str
    parent: int | None
    depth: int
    body: str
    created_at: datetime
    ip: str
    kind: str


@dataclass(frozen=True)
class Recipe:
    """What a generated thread is made of and how long it runs."""

    total: int
    span: timedelta
    mix: dict
    openers: tuple
    replies: tuple
    rebuttals: tuple = ()
    comebacks: tuple = ()
    chains: tuple = ()
    set_pieces: tuple = ()


LONG_THREAD = Recipe(
    total=300,
    span=timedelta(hours=24),
    mix=LONG_THREAD_MIX,
    openers=kesh_ridge.OPENERS,
    replies=kesh_ridge.REPLIES,
    rebuttals=kesh_ridge.REBUTTALS,
    comebacks=kesh_ridge.COMEBACKS,
    chains=arguments.CHAINS,
    set_pieces=arguments.SET_PIECES,
)
OPEN_THREAD = Recipe(
    total=40,
    span=timedelta(days=3),
    mix=OPEN_THREAD_MIX,
    openers=other_posts.OPEN_OPENERS,
    replies=other_posts.OPEN_REPLIES,
    chains=other_posts.OPEN_CHAINS,
    set_pieces=other_posts.OPEN_SET_PIECES,
)


def demo_people(staff: dict[str, str]) -> dict[str, Person]:
    """Every demo commenter by key: readers by username, guests by name, staff by username."""
    found = {}
    for index, (username, name, weight, style, cites) in enumerate(people.READERS, start=1):
        found[username] = Person(
            key=username,
            name=name,
            email=f"{username}@example.org",
            is_guest=False,
            weight=weight,
            style=style,
            cites=cites,
            ip=f"198.51.100.{index}",
            guest_email=people.GUEST_UNTIL_REGISTERED.get(username, ""),
        )
    for index, (name, email, weight, style, cites) in enumerate(people.GUESTS, start=1):
        found[name] = Person(name, name, email, True, weight, style, cites, f"203.0.113.{index}")
    for index, (username, name) in enumerate(sorted(staff.items()), start=1):
        found[username] = Person(username, name, "", False, 0, "plain", "at", f"192.0.2.{index}")
    impostor_name, impostor_email = people.IMPOSTOR
    found[IMPOSTOR_KEY] = Person(
        IMPOSTOR_KEY, impostor_name, impostor_email, True, 0, "terse", "at", "203.0.113.250"
    )
    return found


def plan_generated_thread(
    recipe: Recipe,
    *,
    seed: int,
    start: datetime,
    people_by_key: dict[str, Person],
    allow_guests: bool = True,
) -> list[PlannedComment]:
    """A thread of about `recipe.total` comments, the same for the same seed and start."""
    return _Generator(recipe, random.Random(seed), start, people_by_key, allow_guests).run()


def plan_scripted_thread(
    script: tuple,
    *,
    start: datetime,
    people_by_key: dict[str, Person],
    allow_guests: bool = True,
) -> list[PlannedComment]:
    """The scripted lines in order, leaving out guests' lines (and answers to them) if need be."""
    planned: list[PlannedComment] = []
    numbers: dict[int, int] = {}
    for index, (author, reply_to, hours, text) in enumerate(script):
        person = people_by_key[author]
        if (person.is_guest and not allow_guests) or (
            reply_to is not None and reply_to not in numbers
        ):
            continue
        cited = {f"c{i}": n for i, n in numbers.items()}
        parent = planned[numbers[reply_to] - 1] if reply_to is not None else None
        number = len(planned) + 1
        numbers[index] = number
        planned.append(
            _planned(
                number=number,
                person=person,
                as_guest=person.is_guest or bool(person.guest_email and allow_guests),
                parent=parent,
                body=_fill(text, name=parent.name if parent else "", **cited),
                created_at=start + timedelta(hours=hours),
                kind="scripted",
            )
        )
    return planned


def _planned(*, number, person, as_guest, parent, body, created_at, kind) -> PlannedComment:
    return PlannedComment(
        number=number,
        author=person.key,
        as_guest=as_guest,
        name=person.name,
        email=(person.guest_email or person.email) if as_guest else "",
        parent=parent.number if parent else None,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        created_at=created_at,
        ip=person.ip,
        kind=kind,
    )


@dataclass
class _Chain:
    spec: dict
    step: int = 0
    due: int = 0
    last: PlannedComment | None = None


@dataclass
class _Bank:
    """Texts drawn in a shuffled order without repeats until used up."""

    texts: tuple
    rng: random.Random
    order: list = field(default_factory=list)

    def __post_init__(self):
        self.order = list(self.texts)
        self.rng.shuffle(self.order)

    def draw(self) -> str | None:
        return self.order.pop() if self.order else None


class _Generator:
    """Builds one generated thread, comment by comment, in posting order."""

    def __init__(self, recipe, rng, start, people_by_key, allow_guests):
        self.recipe, self.rng, self.people = recipe, rng, people_by_key
        self.allow_guests = allow_guests
        self.comments: list[PlannedComment] = []
        self.reply_counts: dict[int, int] = {}
        self.labels: dict[str, PlannedComment] = {}
        self.registered: set[str] = set()
        # Set pieces about the thread itself (complaints, notes) get answers only by script.
        self.untouchable: set[int] = set()
        self.times = _timeline(rng, recipe.total, start, recipe.span)
        self.openers = _Bank(recipe.openers, rng)
        self.replies = _Bank(recipe.replies, rng)
        self.rebuttals = _Bank(recipe.rebuttals, rng)
        self.comebacks = _Bank(recipe.comebacks, rng)
        self.jabs = _Bank(fragments.JABS, rng)
        self.claims = _Bank(fragments.CLAIMS, rng)
        self.set_pieces = [piece for piece in recipe.set_pieces if self._can_write(piece["author"])]
        self.chains = [_Chain(spec, due=_at(spec, recipe.total)) for spec in recipe.chains]

    # ─── Order ───────────────────────────────────────────────────────────────

    def run(self) -> list[PlannedComment]:
        while len(self.comments) < self.recipe.total or self.set_pieces or self.chains:
            number = len(self.comments) + 1
            if not (self._next_set_piece(number) or self._next_chain_line(number)):
                self._random_comment(number)
        return self.comments

    def _next_set_piece(self, number: int) -> bool:
        for piece in self.set_pieces:
            needed = [piece.get("reply_to"), *piece.get("cites", ())]
            if any(label and self._missing_forever(label) for label in needed):
                self.set_pieces.remove(piece)
                return self._next_set_piece(number)
            if _at(piece, self.recipe.total) > number or not all(
                self._resolve(label, number) for label in needed if label
            ):
                continue
            self.set_pieces.remove(piece)
            self._set_piece(number, piece)
            return True
        return False

    def _next_chain_line(self, number: int) -> bool:
        for chain in self.chains:
            if chain.due > number:
                continue
            speaker, text = chain.spec["lines"][chain.step]
            person = self.people[speaker]
            parent = chain.last
            comment = self._add(
                number,
                person,
                parent,
                _fill(text, name=parent.name if parent else "", parent=_num(parent)),
                "chain",
            )
            self.labels[f"{chain.spec['label']}:{chain.step}"] = comment
            chain.step, chain.last = chain.step + 1, comment
            chain.due = number + self.rng.randint(1, 7)
            if chain.step == len(chain.spec["lines"]):
                self.chains.remove(chain)
            return True
        return False

    def _set_piece(self, number: int, piece: dict) -> None:
        person = self.people[piece["author"]]
        if piece.get("registers"):
            self.registered.add(person.key)
        parent = self._resolve(piece["reply_to"], number) if piece.get("reply_to") else None
        cited = {}
        for index, label in enumerate(piece.get("cites", ())):
            target = self._resolve(label, number, avoid=cited.values())
            cited[f"c{index}"] = target
        values = {key: target.number for key, target in cited.items()}
        values |= {f"{key}_name": target.name for key, target in cited.items()}
        body = _fill(piece["text"], name=parent.name if parent else "", **values)
        comment = self._add(number, person, parent, body, "set_piece")
        if not piece.get("is_discussable"):
            self.untouchable.add(comment.number)
        if piece.get("label"):
            self.labels[piece["label"]] = comment

    def _resolve(self, label: str, number: int, avoid=()) -> PlannedComment | None:
        """The comment a label names: a set piece, a chain line or a random one of a kind."""
        if not label.startswith("kind:"):
            return self.labels.get(label)
        kind = label.removeprefix("kind:")
        taken = {c.number for c in avoid}
        candidates = [c for c in self.comments if c.kind == kind and c.number not in taken]
        return self.rng.choice(candidates) if candidates else None

    def _missing_forever(self, label: str) -> bool:
        """True when a label names a set piece that was dropped (its author can't write)."""
        if label.startswith("kind:") or ":" in label or label in self.labels:
            return False
        return not any(piece.get("label") == label for piece in self.set_pieces)

    # ─── Random comments ─────────────────────────────────────────────────────

    def _random_comment(self, number: int) -> None:
        kinds, weights = zip(*self.recipe.mix.items(), strict=True)
        kind = self.rng.choices(kinds, weights)[0]
        if not self.comments:
            kind = "opener"
        if kind == "rebuttal" and not self.rebuttals.order:
            kind = "reply"
        if kind == "comeback" and self._comeback(number):
            return
        if kind == "opener":
            person = self._pick_author(kind, exclude=())
            body = self._with_link(self.openers.draw() or self._composed())
            self._add(number, person, None, body, kind)
            return
        target = None
        topic, rebuttal = None, None
        if kind == "rebuttal":
            topic, rebuttal = self.rebuttals.draw()
        if kind in ("quote", "rebuttal"):
            target = self._pick_target(number, min_length=90, kinds=ARGUED_KINDS, topic=topic)
        target = target or self._pick_target(number)
        person = self._pick_author(kind, exclude=(target.author,))
        name = target.name
        if kind == "quote":
            self._quote(number, person, target)
        elif kind == "rebuttal":
            body = _fill(rebuttal, name=name)
            self._add(number, person, target, body, kind)
        elif kind == "jab":
            body = self.jabs.draw() or self._refill_jabs()
            if self.rng.random() < 0.25:
                self._add(number, person, None, self._address(person, target, body), kind)
            else:
                self._add(number, person, target, body, kind)
        else:
            text = self.replies.draw()
            body = _fill(text, name=name) if text else self._composed()
            if self.rng.random() < 0.12:
                body = f"{body} {self._crossref(person, number, target)}"
            if kind == "addressed":
                self._add(number, person, None, self._address(person, target, body), kind)
            elif self.rng.random() < 0.15:
                # Old habits: citing the comment one is already replying to.
                self._add(number, person, target, self._address(person, target, body), kind)
            else:
                self._add(number, person, target, body, kind)

    def _comeback(self, number: int) -> bool:
        """Someone answers back to a reply to their own comment; False when nobody can."""
        by_number = {c.number: c for c in self.comments}
        candidates, weights = [], []
        for comment in self.comments:
            answered = by_number.get(comment.parent)
            if (
                answered is None
                or comment.number in self.untouchable
                or answered.number in self.untouchable
                or answered.author == comment.author
                or self.people[answered.author].weight == 0
                or not self._may_pick(self.people[answered.author])
            ):
                continue
            candidates.append((comment, answered))
            weights.append(math.exp(-(number - comment.number) / 30) + 0.01)
        text = self.comebacks.draw()
        if not candidates or text is None:
            return False
        target, answered = self.rng.choices(candidates, weights)[0]
        person = self.people[answered.author]
        body = _fill(text, name=target.name)
        if self.rng.random() < 0.3:
            body = self._address(person, target, body)
        self._add(number, person, target, body, "comeback")
        return True

    def _quote(self, number: int, person: Person, target: PlannedComment) -> None:
        sentences = _quotable_sentences(target.body)
        reply_text = self.replies.draw()
        if (
            reply_text
            and len(target.body) <= 400
            and not re.search(r"^>| \| ", target.body, re.MULTILINE)
            and not _LEADING_CITATION.match(target.body)
            and self.rng.random() < 0.5
        ):
            # As the site's "Quote" link writes it: the whole comment, then its source.
            quoted = "\n".join(f"> {line}" if line else ">" for line in target.body.splitlines())
            body = f"{quoted}\n>\n> — #{target.number}, {target.name}\n\n"
            body += _fill(reply_text, name=target.name)
            self._add(number, person, target, body, "quote")
            return
        if reply_text:
            self.replies.order.append(reply_text)
        count = min(len(sentences), self.rng.choice((1, 2)))
        picked = [sentences[i] for i in sorted(self.rng.sample(range(len(sentences)), count))]
        retorts = self.rng.sample(fragments.QUOTE_RETORTS, len(picked))
        body = "\n\n".join(
            f"> {sentence}\n\n{retort}" for sentence, retort in zip(picked, retorts, strict=True)
        )
        if not picked:
            body = self.jabs.draw() or self._refill_jabs()
        if self.rng.random() < 0.4:
            self._add(number, person, None, self._address(person, target, body), "quote")
        else:
            self._add(number, person, target, body, "quote")

    def _composed(self) -> str:
        """A comment put together from a lead, a claim and a tail."""
        claim = self.claims.draw()
        if claim is None:
            self.claims = _Bank(fragments.CLAIMS, self.rng)
            claim = self.claims.draw()
        lead = self.rng.choice(fragments.LEADS) if self.rng.random() < 0.7 else ""
        if not lead or lead.endswith((".", "?", "!")):
            claim = claim[0].upper() + claim[1:]
        tail = self.rng.choice(fragments.TAILS) if self.rng.random() < 0.5 else ""
        return " ".join(part for part in (lead, claim, tail) if part)

    def _refill_jabs(self) -> str:
        self.jabs = _Bank(fragments.JABS, self.rng)
        return self.jabs.draw()

    def _with_link(self, body: str) -> str:
        if "https://" in body or self.rng.random() > 0.15:
            return body
        label, url = self.rng.choice(fragments.LINKS)
        intro = self.rng.choice(fragments.LINK_INTROS)
        link = f"[{label}]({url})" if self.rng.random() < 0.7 else f"<{url}>"
        return f"{body}\n\n{intro} {link}"

    def _crossref(self, person: Person, number: int, target: PlannedComment) -> str:
        other = self._pick_target(number, avoid=target.number)
        if other is None:
            return ""
        ref = f"#{other.number}" if person.cites in ("hash", "footer") else f"@{other.number}"
        return self.rng.choice(fragments.CROSSREFS).format(ref=ref)

    def _address(self, person: Person, target: PlannedComment, body: str) -> str:
        """The body prefixed the way this person points at a comment without the reply link."""
        n = target.number
        # A quote must start its own line to stay a quote, so the citation goes above it.
        gap = "\n\n" if body.startswith(">") else " "
        if person.cites == "at":
            return f"@{n}{gap}{body}"
        if person.cites == "at_space":
            return f"@ {n}{gap}{body}"
        if person.cites == "hash":
            return f"#{n}:{gap}{body}"
        if person.cites == "footer":
            return f"{target.name} | {_footer_time(target.created_at)} | {n}\n\n{body}"
        if self.rng.random() < 0.5:
            return f"@{target.name}:{gap}{body}"
        return f"{target.name} @{n}:{gap}{body}"

    # ─── Choosing who and what ───────────────────────────────────────────────

    def _pick_target(
        self,
        number: int,
        *,
        min_length: int = 0,
        avoid: int | None = None,
        kinds: tuple = (),
        topic: str | None = None,
    ) -> PlannedComment | None:
        """An earlier comment to answer: recent, talked-about and shallow ones are likelier."""
        candidates, weights = [], []
        for comment in self.comments:
            if (
                comment.number in self.untouchable
                or len(comment.body) < min_length
                or comment.number == avoid
                or (kinds and comment.kind not in kinds)
                or (topic and not re.search(topic, comment.body, re.IGNORECASE))
            ):
                continue
            recency = math.exp(-(number - comment.number) / 45) + 0.03
            talked_about = 1 + 0.5 * self.reply_counts.get(comment.number, 0)
            shallow = 1 / (1 + 0.25 * comment.depth)
            short = 0.4 if comment.kind == "jab" else 1.0
            candidates.append(comment)
            weights.append(recency * talked_about * shallow * short)
        if not candidates:
            return None
        return self.rng.choices(candidates, weights)[0]

    def _pick_author(self, kind: str, *, exclude: tuple) -> Person:
        previous = self.comments[-1].author if self.comments else None
        candidates, weights = [], []
        for person in self.people.values():
            if person.weight == 0 or person.key in exclude or not self._may_pick(person):
                continue
            weight = person.weight * STYLE_AFFINITY[person.style].get(kind, 1.0)
            if person.key == previous:
                weight *= 0.1
            candidates.append(person)
            weights.append(weight)
        return self.rng.choices(candidates, weights)[0]

    def _may_pick(self, person: Person) -> bool:
        """Whether a person may write a comment nobody scripted, at this point of the thread."""
        # Between someone posting under her name and her answer, she stays quiet.
        impersonated = person.guest_email and IMPERSONATION_LABEL in self.labels
        return self._can_write(person.key) and not (
            impersonated and person.key not in self.registered
        )

    def _can_write(self, key: str) -> bool:
        return self.allow_guests or not self.people[key].is_guest

    def _add(self, number, person, parent, body, kind) -> PlannedComment:
        as_guest = person.is_guest or (
            bool(person.guest_email) and self.allow_guests and person.key not in self.registered
        )
        comment = _planned(
            number=number,
            person=person,
            as_guest=as_guest,
            parent=parent,
            body=body,
            created_at=self._time(number),
            kind=kind,
        )
        self.comments.append(comment)
        if parent is not None:
            self.reply_counts[parent.number] = self.reply_counts.get(parent.number, 0) + 1
        return comment

    def _time(self, number: int) -> datetime:
        if number <= len(self.times):
            return self.times[number - 1]
        return self.times[-1] + timedelta(minutes=3 * (number - len(self.times)))


def _at(spec: dict, total: int) -> int:
    """The comment number at which a scripted piece becomes due."""
    return max(1, round(spec["at"] * total))


def _num(comment: PlannedComment | None) -> int | str:
    return comment.number if comment else ""


def _timeline(rng: random.Random, count: int, start: datetime, span: timedelta) -> list:
    """Posting times for `count` comments over `span`: busiest early, always increasing."""
    seconds = sorted(span.total_seconds() * rng.random() ** 1.3 for _ in range(count))
    times, previous = [], 240.0
    for offset in seconds:
        previous = max(offset, previous + 20)
        times.append(start + timedelta(seconds=round(previous)))
    return times


def _fill(template: str, *, name: str, **values) -> str:
    """The text with its placeholders filled, without a doubled full stop after "Tomasz K."."""
    if name.endswith("."):
        template = template.replace("{name}.", "{name}")
    return template.format(name=name, **values)


def _quotable_sentences(body: str) -> list[str]:
    """Sentences of a comment worth quoting: its own words, not quotes, links or citations."""
    lines = [
        line
        for line in body.splitlines()
        if line.strip() and not line.startswith((">", "-")) and " | " not in line
    ]
    text = _LEADING_CITATION.sub("", " ".join(lines))
    return [
        sentence
        for sentence in _SENTENCE_END.split(text)
        if 25 <= len(sentence) <= 220 and "](" not in sentence and "<http" not in sentence
    ]


def _footer_time(moment: datetime) -> str:
    """A comment's time as the old platform's footers printed it: Oct 5, 2025 7:44:59 AM."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    return f"{local:%b} {local.day}, {local.year} {hour}:{local:%M:%S %p}"
