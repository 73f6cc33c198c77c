"""Imports run one way: `annotations` builds on `articles` and both on `claimdesk`, and no
two modules of an app import each other, directly or round about."""

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGES = ("claimdesk", "articles", "annotations")
LAYER = {name: number for number, name in enumerate(PACKAGES)}
# Apps beside the layers (annotations calls into them and they read annotations): no
# circles through them either.
BESIDE = ("search", "worklist", "suggestions")


def _modules(packages=PACKAGES) -> dict[str, Path]:
    modules = {}
    for package in packages:
        for path in (REPO / package).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            if "migrations" in parts:
                continue
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _imports(packages=PACKAGES) -> dict[str, set[str]]:
    """Module -> the project modules it imports, at the top or inside a function."""
    modules = _modules(packages)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {target for target in found if target in modules and target != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that reach each other (strongly connected, two or more)."""
    reach = {}
    for start in graph:
        seen, todo = set(), [start]
        while todo:
            for target in graph[todo.pop()]:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        reach[start] = seen
    circles = []
    for name in sorted(graph):
        group = {name} | {other for other in reach[name] if name in reach[other]}
        if len(group) > 1 and group not in circles:
            circles.append(group)
    return circles


def test_imports_run_from_annotations_to_articles_to_claimdesk_only():
    upward = sorted(
        (name, target)
        for name, targets in _imports().items()
        for target in targets
        if LAYER[target.split(".")[0]] > LAYER[name.split(".")[0]]
    )
    assert upward == []


def test_no_modules_import_each_other():
    assert _circles(_imports((*PACKAGES, *BESIDE))) == []


def test_the_circle_finder_finds_a_circle_through_three_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [{"a", "b", "c"}]
