"""config/settings.py: production-safe defaults, checked in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PROJECT_DIR = Path(settings.BASE_DIR)
PRODUCTION_SECRET = "p7Qv!x2Lr@9kW#zT4m$Nb6Yc&8Hd^Fs3Jg*Ke5Aq(Uw1)Vn0_Zo-Rt=Xi+Ly%Mp"


def _manage(*args, **env_vars):
    """Run manage.py in a clean environment holding only PATH, DATABASE_URL and env_vars."""
    env = {"PATH": os.environ["PATH"], **env_vars}
    if "DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_production_environment():
    assert len(PRODUCTION_SECRET) >= 50
    result = _manage("check", "--deploy", DJANGO_SECRET_KEY=PRODUCTION_SECRET)
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_startup_without_secret_key_and_debug_off_fails_with_clear_message():
    result = _manage("check", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_debug_mode_starts_without_a_secret_key():
    result = _manage("check", DJANGO_DEBUG="true", DJANGO_SECRET_KEY="")
    assert result.returncode == 0, result.stderr
