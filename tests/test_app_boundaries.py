"""App boundaries (issue 10): no import circles, and no function-local imports to hide them.

Read from the source with `ast`, without importing anything: a module of our apps
imports others of our modules at its top only, the modules import each other
without a circle, and blog's own modules know nothing of comments (the pages that
show both are composed in the modules listed in COMPOSITION).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "blog", "comments", "imports", "jobs")
# blog's modules that compose pages and content from blog and the other apps.
COMPOSITION = {
    "blog.views": "the post page (post, comment section, sidebar) and the post lists",
    "blog.urls": "routes to blog.views",
    "blog.search": "the search page finds posts and comments",
    "blog.demo": "the demo content posts comments through comments.posting",
    "blog.management.commands.load_demo": "loads blog.demo",
}
# App-level cycles not yet broken, each with what keeps it. Only ever shorten this.
KNOWN_APP_CYCLES: dict[frozenset, str] = {}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, ast.Module]:
    """Every module of our apps (migrations aside: Django writes them), parsed."""
    return {
        _module_name(path): ast.parse(path.read_text(), filename=str(path))
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    }


def _ours(name: str | None) -> bool:
    return bool(name) and name.split(".")[0] in APPS


def _imported(node: ast.AST, modules: dict) -> list[str]:
    """Our modules an import statement loads (a `from package import module` names it)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if _ours(alias.name)]
    if not isinstance(node, ast.ImportFrom) or node.level or not _ours(node.module):
        return []
    found = [node.module]
    for alias in node.names:
        if f"{node.module}.{alias.name}" in modules:
            found.append(f"{node.module}.{alias.name}")
    return found


def _top_level_imports(tree: ast.Module, modules: dict) -> set[str]:
    """Imports that run when the module loads (`if TYPE_CHECKING:` blocks never do)."""
    found: set[str] = set()
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If):
            if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
        else:
            found.update(_imported(node, modules))
    return {name for name in found if name in modules}


def _function_local_imports(tree: ast.Module, modules: dict) -> list[tuple[int, str]]:
    found = []
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                found += [(node.lineno, name) for name in _imported(node, modules)]
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One circle in a directed graph, as the nodes along it ([] when there is none)."""
    state: dict[str, str] = {}
    for start in sorted(graph):
        if start in state:
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = "open"
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = "done"
                stack.pop()
            elif state.get(following) == "open":
                return [*path[path.index(following) :], following]
            elif following not in state:
                state[following] = "open"
                path.append(following)
                stack.append(iter(sorted(graph.get(following, ()))))
    return []


def _app(module: str) -> str:
    for composing in COMPOSITION:
        if module == composing or module.startswith(composing + "."):
            return "composition"
    return module.split(".")[0]


def test_no_module_of_our_apps_imports_another_inside_a_function():
    sources = _sources()
    local = [
        f"{module}:{line} imports {name}"
        for module, tree in sources.items()
        for line, name in _function_local_imports(tree, sources)
    ]
    assert local == [], "import at the module's top, and move code to break a circle"


def test_our_modules_import_each_other_without_a_circle():
    sources = _sources()
    graph = {
        module: _top_level_imports(tree, sources) - {module} for module, tree in sources.items()
    }
    assert _cycle(graph) == []


def test_blog_imports_nothing_of_comments_outside_the_page_composition():
    sources = _sources()
    crossing = [
        f"{module} imports {name}"
        for module, tree in sources.items()
        if _app(module) == "blog"
        for name in _top_level_imports(tree, sources)
        if name.split(".")[0] == "comments"
    ]
    assert crossing == []


def test_the_apps_import_each_other_without_new_circles():
    """With blog's composing modules set apart, the only circles are the known ones."""
    sources = _sources()
    graph: dict[str, set[str]] = {}
    for module, tree in sources.items():
        graph.setdefault(_app(module), set()).update(
            _app(name) for name in _top_level_imports(tree, sources)
        )
    for app in graph:
        graph[app].discard(app)
    for pair in KNOWN_APP_CYCLES:
        first, second = sorted(pair)
        graph[first].discard(second)
    assert _cycle(graph) == []


def test_the_cycle_finder_finds_a_circle_and_only_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []
