"""An import killed with SIGKILL leaves no half post, and running it again completes it (issue 9).

The import runs in a child process (a real `kill -9`, no cleanup code runs) on
the test database; the posts it committed must be whole, and a second run must
add exactly what is missing.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from blog.models import Post
from comments.models import Comment
from imports import formats
from imports.models import ImportedPost, ImportRun

from .conftest import comment, source_post

ROOT = Path(__file__).resolve().parents[2]
POSTS, COMMENTS = 40, 30

CHILD = """
import os, sys, time
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from django.db import connection
connection.settings_dict["NAME"] = {database!r}
from imports import formats
from tests.imports.test_interrupted import records

def slowly(path, **kwargs):
    for record in records():
        yield record
        time.sleep(0.05)

formats.read_source = slowly
formats.sniff_format = lambda path: "mt"
from django.core.management import call_command
call_command("import_blog", {path!r}, "--no-infer")
"""


def records():
    """The export both runs read: POSTS posts of COMMENTS comments each."""
    for index in range(POSTS):
        yield source_post(
            f"Post {index}",
            basename=f"post_{index}",
            old_url=f"http://old.example.com/{index}.html",
            comments=[comment(f"R{n}", n, f"Comment {n} on post {index}") for n in range(COMMENTS)],
        )


# Transactional: the killed child process must see (and commit to) the same database.
# The roles its flush removes are put back by the shared fixtures (tests/roles.py).
@pytest.mark.django_db(transaction=True)
def test_a_killed_import_leaves_whole_posts_and_a_rerun_completes_it(tmp_path, monkeypatch):
    export = tmp_path / "export.txt"
    export.write_text("stand-in export\n")
    script = tmp_path / "child.py"
    script.write_text(
        textwrap.dedent(
            CHILD.format(
                root=str(ROOT), database=connection.settings_dict["NAME"], path=str(export)
            )
        )
    )
    child = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while Post.objects.count() < 5:
            assert child.poll() is None, child.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the child import never got going"
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    written = Post.objects.count()
    assert 5 <= written < POSTS
    # Whole posts only: every committed post has all its comments and its import record.
    assert Comment.objects.count() == written * COMMENTS
    assert ImportedPost.objects.count() == written
    assert ImportRun.objects.get().status == ImportRun.Status.RUNNING

    monkeypatch.setattr(formats, "read_source", lambda path, **kwargs: records())
    monkeypatch.setattr(formats, "sniff_format", lambda path: "mt")
    call_command("import_blog", str(export), "--no-infer", stdout=None)
    assert Post.objects.count() == POSTS
    assert Comment.objects.count() == POSTS * COMMENTS
    assert ImportRun.objects.filter(status=ImportRun.Status.FINISHED).count() == 1
