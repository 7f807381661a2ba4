"""Generated demo threads: hand-written texts arranged by a seeded random walk.

Each new comment is, by the recipe's mix, a new thread, a reply, a jab, a
quote, a rebuttal or someone answering back; scripted chains and set pieces
come in at their place. Replies go to recent, talked-about, shallow comments
that mention the text's topic, so answers mostly fit what they answer.
"""

import math
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from blog.demo.comment_plan.records import (
    Person,
    PlannedComment,
    Recipe,
    fill_text,
    footer_time,
    planned_comment,
)
from blog.demo.comment_plan.texts import (
    LEADING_CITATION,
    Bank,
    Text,
    quotable_sentences,
    timeline,
)
from blog.demo.comment_texts import fragments

# Which kinds a commenter's style leans towards.
STYLE_AFFINITY = {
    "terse": {"jab": 3.0, "nod": 2.0, "rebuttal": 0.2, "quote": 0.7},
    "wordy": {"jab": 0.4, "nod": 0.5, "rebuttal": 3.0, "quote": 1.5},
    "plain": {},
}
# The set piece in which someone posts under another commenter's name.
IMPERSONATION_LABEL = "impostor"
# Kinds of comment that make a claim worth quoting or rebutting at length.
ARGUED_KINDS = ("opener", "addressed", "reply", "rebuttal", "chain", "set_piece", "scripted")


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


@dataclass
class _Chain:
    spec: dict
    step: int = 0
    due: int = 0
    last: PlannedComment | None = None


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
        self.times = timeline(rng, recipe.total, start, recipe.span)
        self.banks = {
            "opener": Bank(recipe.openers, rng),
            "reply": Bank(recipe.replies, rng),
            "rebuttal": Bank(recipe.rebuttals, rng),
            "comeback": Bank(recipe.comebacks, rng),
            "jab": Bank(fragments.JABS, rng, refill=True),
            "nod": Bank(fragments.NODS, rng, refill=True),
            "claim": Bank(recipe.claims, rng),
        }
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
                self._resolve(label) for label in needed if label
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
            parent = chain.last
            comment = self._add(
                number,
                self.people[speaker],
                parent,
                fill_text(text, name=parent.name if parent else "", parent=_num(parent)),
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
        parent = self._resolve(piece["reply_to"]) if piece.get("reply_to") else None
        cited = {}
        for index, label in enumerate(piece.get("cites", ())):
            cited[f"c{index}"] = self._resolve(label, avoid=cited.values())
        values = {key: target.number for key, target in cited.items()}
        values |= {f"{key}_name": target.name for key, target in cited.items()}
        body = fill_text(piece["text"], name=parent.name if parent else "", **values)
        comment = self._add(number, person, parent, body, "set_piece")
        if not piece.get("is_discussable"):
            self.untouchable.add(comment.number)
        if piece.get("label"):
            self.labels[piece["label"]] = comment

    def _resolve(self, label: str, avoid=()) -> PlannedComment | None:
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

    # ─── Comments nobody scripted ────────────────────────────────────────────

    def _random_comment(self, number: int) -> None:
        kinds, weights = zip(*self.recipe.mix.items(), strict=True)
        kind = self.rng.choices(kinds, weights)[0] if self.comments else "opener"
        if kind == "opener":
            entry = self.banks["opener"].draw()
            body = entry.text if entry else self._composed()
            if body is None:
                self._short(number, "nod")
                return
            person = self._author_for(entry, kind, exclude=())
            self._add(number, person, None, self._with_link(body), kind)
        elif kind == "comeback" and self._comeback(number):
            return
        elif kind in ("jab", "nod"):
            self._short(number, kind)
        else:
            self._answer(number, kind)

    def _short(self, number: int, kind: str) -> None:
        """A jab or a nod, under the comment or citing it."""
        target = self._pick_target(number, kinds=() if kind == "nod" else ARGUED_KINDS)
        target = target or self._pick_target(number)
        person = self._pick_author(kind, exclude=(target.author,))
        body = self.banks[kind].draw().text
        if self.rng.random() < 0.25:
            self._add(number, person, None, self._address(person, target, body), kind)
        else:
            self._add(number, person, target, body, kind)

    def _answer(self, number: int, kind: str) -> None:
        """A reply, a citing top-level comment, a quote or a rebuttal of an earlier comment."""
        bank = self.banks["rebuttal" if kind == "rebuttal" else "reply"]
        entry, target = self._entry_and_target(number, bank, long=kind in ("quote", "rebuttal"))
        composed = None if (entry or kind == "quote") else self._composed()
        if target is None or not (entry or composed or kind == "quote"):
            # Nothing left that fits: agree with someone instead.
            self._short(number, "nod")
            return
        person = self._author_for(entry, kind, exclude=(target.author,))
        if kind == "quote":
            self._quote(number, person, target, entry)
            return
        body = fill_text(entry.text, name=target.name) if entry else composed
        if kind != "rebuttal" and self.rng.random() < 0.12:
            body = f"{body} {self._crossref(person, number, target)}".rstrip()
        if kind == "addressed":
            self._add(number, person, None, self._address(person, target, body), kind)
        elif kind != "rebuttal" and self.rng.random() < 0.15:
            # Old habits: citing the comment one is already replying to.
            self._add(number, person, target, self._address(person, target, body), kind)
        else:
            self._add(number, person, target, body, kind)

    def _entry_and_target(self, number: int, bank: Bank, *, long: bool):
        """A text and a comment it fits: one that mentions the text's topic, if it has one."""
        for _ in range(6):
            entry = bank.draw()
            if entry is None:
                break
            target = self._pick_target(
                number,
                min_length=90 if long else 0,
                kinds=ARGUED_KINDS if (entry.topic or long) else (),
                topic=entry.topic,
                not_by=entry.author,
            )
            if target is not None:
                return entry, target
            bank.put_back(entry)
        if bank is self.banks["rebuttal"]:
            return None, None
        # The hand-written texts are used up or fit nothing here: a composed comment.
        return None, self._pick_target(number, kinds=ARGUED_KINDS) or self._pick_target(number)

    def _comeback(self, number: int) -> bool:
        """Someone answers back to a reply to their own comment; False when nobody can."""
        by_number = {c.number: c for c in self.comments}
        candidates, weights = [], []
        for comment in self.comments:
            answered = by_number.get(comment.parent)
            if (
                answered is None
                or comment.kind == "nod"
                or comment.number in self.untouchable
                or answered.number in self.untouchable
                or answered.author == comment.author
                or self.people[answered.author].weight == 0
                or not self._may_pick(self.people[answered.author])
            ):
                continue
            candidates.append((comment, answered))
            weights.append(math.exp(-(number - comment.number) / 30) + 0.01)
        entry = self.banks["comeback"].draw() if candidates else None
        if entry is None:
            return False
        target, answered = self.rng.choices(candidates, weights)[0]
        person = self.people[answered.author]
        body = fill_text(entry.text, name=target.name)
        if self.rng.random() < 0.3:
            body = self._address(person, target, body)
        self._add(number, person, target, body, "comeback")
        return True

    def _quote(self, number: int, person: Person, target: PlannedComment, entry) -> None:
        """Quote the whole comment as the site's Quote link does, or pick sentences from it."""
        if (
            entry
            and len(target.body) <= 400
            and not re.search(r"^>| \| ", target.body, re.MULTILINE)
            and not LEADING_CITATION.match(target.body)
            and self.rng.random() < 0.5
        ):
            quoted = "\n".join(f"> {line}" if line else ">" for line in target.body.splitlines())
            body = f"{quoted}\n>\n> — #{target.number}, {target.name}\n\n"
            self._add(
                number, person, target, body + fill_text(entry.text, name=target.name), "quote"
            )
            return
        if entry:
            self.banks["reply"].put_back(entry)
        sentences = quotable_sentences(target.body)
        count = min(len(sentences), self.rng.choice((1, 2)))
        picked = [sentences[i] for i in sorted(self.rng.sample(range(len(sentences)), count))]
        retorts = self.rng.sample(fragments.QUOTE_RETORTS, len(picked))
        body = "\n\n".join(
            f"> {sentence}\n\n{retort}" for sentence, retort in zip(picked, retorts, strict=True)
        )
        if not picked:
            body = self.banks["jab"].draw().text
        if self.rng.random() < 0.4:
            self._add(number, person, None, self._address(person, target, body), "quote")
        else:
            self._add(number, person, target, body, "quote")

    def _composed(self) -> str | None:
        """A comment put together from a lead, a claim and a tail; None when claims run out."""
        entry = self.banks["claim"].draw()
        if entry is None:
            return None
        claim = entry.text
        lead = self.rng.choice(fragments.LEADS) if self.rng.random() < 0.7 else ""
        if not lead or lead.endswith((".", "?", "!")):
            claim = claim[0].upper() + claim[1:]
        tail = self.rng.choice(fragments.TAILS) if self.rng.random() < 0.5 else ""
        return " ".join(part for part in (lead, claim, tail) if part)

    def _with_link(self, body: str) -> str:
        if not self.recipe.links or "https://" in body or self.rng.random() > 0.15:
            return body
        label, url = self.rng.choice(self.recipe.links)
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
            return f"{target.name} | {footer_time(target.created_at)} | {n}\n\n{body}"
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
        not_by: str | None = None,
    ) -> PlannedComment | None:
        """An earlier comment to answer: recent, talked-about and shallow ones are likelier."""
        candidates, weights = [], []
        for comment in self.comments:
            if (
                comment.number in self.untouchable
                or len(comment.body) < min_length
                or comment.number == avoid
                or comment.author == not_by
                or (kinds and comment.kind not in kinds)
                or (topic and not re.search(topic, comment.body, re.IGNORECASE))
            ):
                continue
            recency = math.exp(-(number - comment.number) / 45) + 0.03
            talked_about = 1 + 0.5 * self.reply_counts.get(comment.number, 0)
            shallow = 1 / (1 + 0.25 * comment.depth)
            short = 0.4 if comment.kind in ("jab", "nod") else 1.0
            candidates.append(comment)
            weights.append(recency * talked_about * shallow * short)
        if not candidates:
            return None
        return self.rng.choices(candidates, weights)[0]

    def _author_for(self, entry: Text | None, kind: str, *, exclude: tuple) -> Person:
        """The text's own author when it has one and may write now, else someone likely."""
        if entry and entry.author and entry.author not in exclude:
            person = self.people[entry.author]
            if self._may_pick(person):
                return person
        return self._pick_author(kind, exclude=exclude)

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
        comment = planned_comment(
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
