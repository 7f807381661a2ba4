"""Settings defaults are written once, in config/settings.py (issue 10).

The code reads `settings.X`; a `getattr(settings, "X", default)` would repeat (and
could contradict) the default settings.py already gives, so a source scan refuses it.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import global_settings, settings

import config.settings as project_settings

PROJECT_DIR = Path(settings.BASE_DIR)
# The installed apps that live in this project, and config/ (settings.py is the one place).
SCANNED_DIRS = sorted(
    {Path(app.path) for app in apps.get_app_configs() if Path(app.path).parent == PROJECT_DIR}
    | {PROJECT_DIR / "config"}
)


def _sources():
    """Every Python module of the scanned folders but settings.py, with its parsed tree."""
    for folder in SCANNED_DIRS:
        for path in sorted(folder.rglob("*.py")):
            if path == PROJECT_DIR / "config" / "settings.py":
                continue
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_settings(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "settings"


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PROJECT_DIR)}:{node.lineno}"


def _getattr_with_default(tree: ast.AST):
    """Calls `getattr(settings, name, default)`, the default given by position or keyword."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and node.args
            and _is_settings(node.args[0])
            and (len(node.args) > 2 or node.keywords)
        ):
            yield node


def _settings_read(tree: ast.AST):
    """Reads `settings.NAME` of an upper-case NAME."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _is_settings(node.value)
            and node.attr.isupper()
            and isinstance(node.ctx, ast.Load)
        ):
            yield node


def test_the_scan_covers_the_apps_and_config():
    names = {folder.name for folder in SCANNED_DIRS}
    assert {"accounts", "blog", "comments", "imports", "config"} <= names


def test_getattr_on_settings_with_a_default_is_caught_by_the_scan():
    tree = ast.parse('x = getattr(settings, "COMMENTS_MAX_LINKS", 2)\ny = settings.X')
    assert len(list(_getattr_with_default(tree))) == 1
    assert [node.attr for node in _settings_read(tree)] == ["X"]


def test_no_code_repeats_a_setting_default_with_getattr():
    offenders = [
        _where(path, node) for path, tree in _sources() for node in _getattr_with_default(tree)
    ]
    assert not offenders, (
        "Read settings.X directly; its default belongs in config/settings.py: "
        + ", ".join(offenders)
    )


def test_every_setting_the_code_reads_is_defined_in_settings_or_by_django():
    undefined = [
        f"{_where(path, node)} settings.{node.attr}"
        for path, tree in _sources()
        for node in _settings_read(tree)
        if not hasattr(project_settings, node.attr) and not hasattr(global_settings, node.attr)
    ]
    assert not undefined, "Define these in config/settings.py: " + ", ".join(undefined)
