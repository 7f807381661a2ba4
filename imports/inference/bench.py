"""Timing of thread inference on generated posts: `python -m imports.inference.bench`.

Called by the import benchmark in `bench/`; never part of the test run."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from imports.inference import infer_threads
from imports.records import SourceComment, SourcePost

_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "they",
    "you",
    "were",
    "her",
    "she",
    "there",
    "been",
    "one",
    "all",
    "we",
    "their",
    "has",
    "would",
    "when",
    "if",
    "so",
    "no",
    "will",
    "can",
    "more",
    "other",
    "could",
    "what",
    "about",
    "then",
    "them",
    "these",
    "may",
    "first",
    "any",
    "my",
    "now",
    "such",
    "like",
    "our",
    "over",
    "man",
    "me",
    "even",
    "most",
    "made",
    "after",
    "also",
    "did",
    "many",
    "before",
    "must",
    "through",
    "back",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "us",
    "great",
    "old",
    "year",
    "off",
    "come",
    "since",
    "against",
    "go",
    "came",
    "right",
    "used",
    "take",
    "three",
    "russia",
    "army",
    "general",
    "border",
    "river",
    "bridge",
    "oil",
    "field",
    "city",
    "war",
]


def generated_post(comments: int, *, seed: int = 1) -> SourcePost:
    """A post whose comments reply the ways readers do: numbers, names, footers, quotes."""
    rng = random.Random(seed)
    names = [
        f"{rng.choice(_WORDS).title()} {rng.choice(_WORDS)}{n}" for n in range(comments // 4 + 2)
    ]
    start = datetime(2021, 6, 2, 18, 0, tzinfo=UTC)
    post = SourcePost(
        title="Generated", published_at=start, author_name="b", body_html=_prose(rng, 600)
    )
    for i in range(comments):
        created_at = start + timedelta(seconds=37 * i + rng.randrange(30))
        text = _prose(rng, rng.randrange(20, 160))
        if i:
            earlier = rng.randrange(max(0, i - 50), i)
            other = post.comments[earlier]
            style = rng.randrange(8)
            if style == 0:
                text = f"@{earlier + 1} {text}"
            elif style == 1:
                text = f"{text} as #{earlier + 1} said"
            elif style == 2:
                text = f"@{other.author_name}: {text}"
            elif style == 3:
                when = other.created_at.strftime("%b %-d, %Y %-I:%M:%S %p")
                text = f"&gt;&gt;&gt;&gt; {other.author_name} | {when} | {earlier + 1}<br>{text}"
            elif style == 4:
                quoted = " ".join(other.body_html.split()[:12])
                text = f"<blockquote>{quoted}</blockquote>{text}"
        post.comments.append(
            SourceComment(
                author_name=rng.choice(names),
                created_at=created_at,
                body_html=f"<p>{text}</p>",
                author_email=f"{i % 97}@example.org",
            )
        )
    return post


def _prose(rng: random.Random, words: int) -> str:
    """A sentence of random common words."""
    return " ".join(rng.choice(_WORDS) for _ in range(words)) + "."


def bench_inference(*, posts: int = 50, comments_per_post: int = 200, big_post: int = 5000) -> dict:
    """Print and return comments per second on `posts` posts and on one `big_post` post."""
    batch = [generated_post(comments_per_post, seed=n) for n in range(posts)]
    started, cpu = time.perf_counter(), time.process_time()
    links = sum(len(infer_threads(post).links) for post in batch)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    rate = posts * comments_per_post / elapsed
    big = generated_post(big_post, seed=posts + 1)
    started = time.perf_counter()
    big_links = len(infer_threads(big).links)
    big_elapsed = time.perf_counter() - started
    print(
        f"inference: {posts} posts x {comments_per_post} comments: {rate:,.0f} comments/s "
        f"({posts * comments_per_post / cpu:,.0f} per CPU second, {links} links); "
        f"one post of {big_post}: {big_elapsed:.2f} s "
        f"({big_post / big_elapsed:,.0f} comments/s, {big_links} links)"
    )
    return {
        "rate": rate,
        "cpu_rate": posts * comments_per_post / cpu,
        "big_post_seconds": big_elapsed,
    }


if __name__ == "__main__":
    bench_inference()
