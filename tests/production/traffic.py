"""Mixed traffic for fault runs: readers and writers posting through the real form.

Each thread loops: with probability `write_share` it posts a reply as one of the
seeded writer accounts (signed in through the sign-in form, the reply page's
form read for its CSRF and submission tokens, the comment carrying a unique
`soak-…` token); otherwise it reads a post page as an anonymous reader. A write
is *acknowledged* when the answer is the 302 to `…#c<number>` (or to the comment's
permalink on a long post); until then the
writer sends the same form again (same submission token, as a browser's
"resend" does) for up to `write_patience` seconds. Every answer is counted by
status; the timeline of successes gives each fault's recovery time.
"""

import contextlib
import http.client
import itertools
import random
import re
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from tests.production.stack import WRITER_PASSWORD

_HIDDEN_RE = re.compile(rb'<input[^>]*type="hidden"[^>]*>')
_NAME_RE = re.compile(rb'name="([^"]+)"')
_VALUE_RE = re.compile(rb'value="([^"]*)"')
# "Posted": the post page at `#c<number>`, or (on a post past COMMENTS_PER_PAGE
# comments) the comment's permalink `…/comments/<number>/`.
ACKNOWLEDGED_AT = re.compile(r"(?:#c|/comments/)(\d+)/?$")


class Browser:
    """One reader's cookies over http.client, one connection per request; no redirects."""

    def __init__(self, base_url: str, timeout: float = 30):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.timeout = timeout

    def request(
        self, method: str, path: str, form: dict | None = None, headers: dict | None = None
    ):
        """(status, headers, body); raises OSError or http.client errors."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, content

    def hidden_fields(self, html: bytes) -> dict[str, str]:
        fields = {}
        for tag in _HIDDEN_RE.findall(html):
            name, value = _NAME_RE.search(tag), _VALUE_RE.search(tag)
            if name:
                fields[name.group(1).decode()] = value.group(1).decode() if value else ""
        return fields

    def sign_in(self, username: str) -> bool:
        status, _, page = self.request("GET", "/accounts/login/")
        if status != 200:
            return False
        form = {**self.hidden_fields(page), "username": username, "password": WRITER_PASSWORD}
        status, _, _ = self.request("POST", "/accounts/login/", form)
        return status == 302 and "sessionid" in self.cookies


@dataclass
class Ledger:
    """What the clients saw: acknowledged comments, answers by status, the timeline."""

    acknowledged: dict[str, int] = field(default_factory=dict)  # token -> number
    attempted: set = field(default_factory=set)  # every token a writer sent
    statuses: Counter = field(default_factory=Counter)  # "read 200", "write 502"…
    gave_up: int = 0  # writes never acknowledged within the writer's patience
    refused: Counter = field(default_factory=Counter)  # writes answered with a 4xx
    timeline: list = field(default_factory=list)  # (started, finished, ok)
    latencies: list = field(default_factory=list)  # seconds of successful reads
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, status, started: float, ok: bool) -> None:
        finished = time.monotonic()
        with self.lock:
            self.statuses[f"{kind} {status}"] += 1
            self.timeline.append((started, finished, ok))
            if ok and kind == "read":
                self.latencies.append(finished - started)

    def errors(self) -> dict[str, int]:
        """Answers that were not what a working site gives (any 5xx, dropped connections)."""
        return {
            key: count
            for key, count in sorted(self.statuses.items())
            if not re.search(r" (200|302)$", key)
        }

    def recovery_after(self, moment: float) -> float | None:
        """Seconds from `moment` to the first success of a request started after it."""
        with self.lock:
            finished = [end for start, end, ok in self.timeline if ok and start >= moment]
        return round(min(finished) - moment, 2) if finished else None

    def summary(self) -> dict:
        return {
            "requests": sum(self.statuses.values()),
            "writes_acknowledged": len(self.acknowledged),
            "writes_gave_up": self.gave_up,
            "writes_refused": dict(self.refused),
            "errors_by_status": self.errors(),
            "count_500": sum(n for k, n in self.statuses.items() if k.endswith(" 500")),
        }


class Traffic:
    """`threads` clients, each reading or (with `write_share`) writing, until stop()."""

    def __init__(
        self,
        *,
        urls: list[str],
        data: dict,
        threads: int = 4,
        write_share: float = 0.05,
        write_patience: float = 120,
        pause: float = 0.0,
        seed: int = 12,
    ):
        self.urls, self.data = urls, data
        self.write_share, self.write_patience, self.pause = write_share, write_patience, pause
        self.ledger = Ledger()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(index, seed + index), daemon=True)
            for index in range(threads)
        ]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.write_patience + 30)

    def _run(self, index: int, seed: int) -> None:
        rng = random.Random(seed)
        # Each thread writes as its own share of the accounts, in turn, so no account
        # nears the per-account limit and sessions are not shared between threads.
        mine = self.data["writers"][index :: len(self._threads)] or self.data["writers"]
        sessions = {name: {"sessionid": self.data["sessions"][name]} for name in mine}
        turns = itertools.cycle(mine)
        while not self._stop.is_set():
            url = self.urls[rng.randrange(len(self.urls))]
            if rng.random() < self.write_share:
                username = next(turns)
                browser = Browser(url)
                browser.cookies = sessions[username]
                self._write(browser, username, rng)
            else:
                self._read(Browser(url))
            if self.pause:
                time.sleep(self.pause)

    def _read(self, browser: Browser) -> None:
        started = time.monotonic()
        try:
            status, _, _ = browser.request("GET", self.data["pages"]["soak"])
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
        self.ledger.note("read", status, started, status == 200)

    def _write(self, browser: Browser, username: str, rng: random.Random) -> None:
        """Post one reply, resending the same form until it is acknowledged or refused."""
        token = f"soak-{secrets.token_hex(8)}"
        parent = rng.choice(self.data["targets"])
        path = f"/comments/{self.data['post_id']}/{parent}/reply/"
        deadline = time.monotonic() + self.write_patience
        form = None
        with self.ledger.lock:
            self.ledger.attempted.add(token)
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                if "sessionid" not in browser.cookies and not browser.sign_in(username):
                    self.ledger.note("signin", "failed", started, False)
                    time.sleep(0.3)
                    continue
                if form is None:
                    status, _, page = browser.request("GET", path)
                    self.ledger.note("form", status, started, status == 200)
                    if status != 200:
                        time.sleep(0.3)
                        continue
                    form = {
                        **browser.hidden_fields(page),
                        "body": f"Answer {token}: the numbers in the report say otherwise.",
                        "website": "",
                    }
                    started = time.monotonic()
                status, headers, _ = browser.request("POST", path, form)
            except (OSError, http.client.HTTPException) as error:
                self.ledger.note("write", type(error).__name__, started, False)
                time.sleep(0.3)
                continue
            acked = ACKNOWLEDGED_AT.search(headers.get("Location", "")) if status == 302 else None
            self.ledger.note("write", status, started, bool(acked))
            if acked:
                with self.ledger.lock:
                    self.ledger.acknowledged[token] = int(acked.group(1))
                return
            # A 4xx (429 past the per-account limit included) is an answer, not an outage.
            if 400 <= status < 500 and status != 408:
                with self.ledger.lock:
                    self.ledger.refused[status] += 1
                return
            time.sleep(0.3)
        with self.ledger.lock:
            self.ledger.gave_up += 1


def wait_until(condition, seconds: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if condition():
                return True
        time.sleep(step)
    return False
