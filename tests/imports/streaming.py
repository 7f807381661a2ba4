"""Measure a reader's peak memory on a file, in a fresh interpreter (for the streaming tests)."""

import json
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

MEASURE = """
import importlib, json, resource, sys, tracemalloc
from zoneinfo import ZoneInfo
reader = importlib.import_module(sys.argv[1])
if sys.argv[3] == "trace":
    tracemalloc.start()
posts = comments = 0
for record in reader.read(sys.argv[2], tz=ZoneInfo("UTC")):
    if hasattr(record, "comments"):
        posts += 1
        comments += len(record.comments)
print(json.dumps({
    "posts": posts, "comments": comments,
    "traced_peak": tracemalloc.get_traced_memory()[1],
    "max_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
"""


def measure(reader_module: str, path: Path, *, trace_python: bool = True) -> dict:
    """Posts and comments read, Python's peak (tracemalloc) and the process's (libxml2 too).

    tracemalloc makes reading several times slower; `trace_python=False` measures
    the process's peak only (its `traced_peak` is then 0).
    """
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, reader_module, str(path), "trace" if trace_python else ""],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(result.stdout)
