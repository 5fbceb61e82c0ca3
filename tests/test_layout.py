"""Project-wide architecture checks, read from the source with `ast` (nothing is imported)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO_ROOT

PROJECT_PACKAGES = ("studio", "training", "contract", "bench")
# training/'s stages, top first: a module imports its own stage or a stage below it, never one above
TRAINING_STAGES = ("commands", "modalities", "flow", "outputs")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    """{dotted name: file} of app.py and every module of the project's packages."""
    paths = [REPO_ROOT / "app.py", *(p for package in PROJECT_PACKAGES for p in sorted((REPO_ROOT / package).rglob("*.py")))]
    return {module_name(path): path for path in paths}


def imported_names(tree: ast.AST, importer: str) -> set[str]:
    """Every module name an import statement anywhere in `tree` (functions included) names: `from a.b import c`
    gives a.b and a.b.c (c may be a module or a name in a.b)."""
    names: set[str] = set()
    package = importer.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the importer's package
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".strip(".")
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """{module: the project modules it imports}, top-level and function-level imports alike."""
    modules = project_modules()
    graph = {}
    for name, path in modules.items():
        found = imported_names(ast.parse(path.read_text(encoding="utf-8")), name)
        graph[name] = {target for target in found if target in modules and target != name}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules (Tarjan), each as a path back to its start."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [cycle_in(graph, group) for group in groups]


def cycle_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A path start -> ... -> start inside one strongly connected group (a shortest one, by breadth)."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    return sorted(group)


def test_no_import_circle_anywhere_in_the_project():
    """No module reaches itself through imports, function-level imports included (issue 26)."""
    cycles = import_cycles(import_graph())
    assert not cycles, "import circles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_the_cycle_finder_finds_a_circle_through_a_function_level_import():
    tree = ast.parse("def late():\n    from training.flow import run\n")
    assert "training.flow.run" in imported_names(tree, "training.outputs.save")
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c", "a"]]


def test_training_stages_import_only_their_own_stage_or_the_stages_below():
    """commands -> modalities -> flow -> outputs: a newcomer reads training/ top down (issue 26)."""
    def stage(module: str) -> int | None:
        parts = module.split(".")
        return TRAINING_STAGES.index(parts[1]) if len(parts) > 2 and parts[1] in TRAINING_STAGES else None

    upward = [f"{module} -> {target}" for module, targets in import_graph().items() if stage(module) is not None
              for target in targets if stage(target) is not None and stage(target) < stage(module)]
    assert not upward, "upward imports in training/:\n" + "\n".join(sorted(upward))
