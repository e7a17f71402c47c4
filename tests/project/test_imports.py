"""jamdash's import graph: no cycles, early stages never import late ones, promql_parser only in jamdash.promql."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "jamdash"
MAX_TOP_LEVEL = 8


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(tree: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Every module an import statement names, at module level, in functions and under TYPE_CHECKING."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, *([base] if base else [])])
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def graph() -> dict[str, set[str]]:
    """jamdash module -> the jamdash modules it imports (a `from package import name` names the submodule
    when `name` is one, else the package)."""
    paths = {_module(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    edges: dict[str, set[str]] = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = {t for t in _imported(tree, name, path.name == "__init__.py") if t in paths}
        # `from jamdash.lint import alerts` names both jamdash.lint and jamdash.lint.alerts: keep the submodule.
        edges[name] = {t for t in targets if not any(o.startswith(t + ".") for o in targets)} - {name}
    return edges


def third_party(module_path: Path) -> set[str]:
    tree = ast.parse(module_path.read_text(encoding="utf-8"))
    return {t.split(".")[0] for t in _imported(tree, _module(module_path), module_path.name == "__init__.py")}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_jamdash_modules_import_each_other_without_cycles() -> None:
    edges = graph()
    assert "jamdash.pipeline" in edges and "jamdash.lint" in edges["jamdash.pipeline"]
    assert cycles(edges) == []


def test_the_stages_before_generate_never_import_the_stages_after_it() -> None:
    early = ("load", "spec", "lint", "resolve", "model", "promql")
    late = ("generate", "check", "diff", "commands")
    wrong = sorted((module, target) for module, targets in graph().items()
                   if module.split(".")[1:2] and module.split(".")[1] in early
                   for target in targets if target.split(".")[1:2] and target.split(".")[1] in late)
    assert wrong == []


def test_only_the_promql_package_imports_promql_parser() -> None:
    users = sorted(_module(p) for p in PACKAGE.rglob("*.py") if "promql_parser" in third_party(p))
    assert users, "promql_parser is used somewhere"
    assert [u for u in users if not u.startswith("jamdash.promql")] == []


def test_at_most_eight_modules_at_the_top_of_the_package() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert len(top) <= MAX_TOP_LEVEL, top


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    source = "def late():\n    from jamdash.pipeline import build\n"
    assert "jamdash.pipeline" in set(_imported(ast.parse(source), "jamdash.x", False))
