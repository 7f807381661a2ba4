"""The two generated demo threads: what each is made of and how long it runs."""

from datetime import timedelta

from blog.demo.comment_plan.records import Recipe
from blog.demo.comment_texts import arguments, fragments, kesh_ridge, other_posts

# The shape of a generated thread: how often each kind of comment is written.
LONG_THREAD_MIX = {
    "opener": 15,
    "addressed": 14,
    "reply": 25,
    "comeback": 8,
    "jab": 11,
    "nod": 6,
    "quote": 9,
    "rebuttal": 6,
}
OPEN_THREAD_MIX = {"opener": 40, "addressed": 6, "reply": 34, "jab": 5, "nod": 10, "quote": 5}

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
    claims=fragments.CLAIMS,
    links=fragments.LINKS,
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
