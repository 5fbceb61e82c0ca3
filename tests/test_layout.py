"""Project-wide architecture checks, read from the source with `ast` (nothing is imported)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from contract.paths import REPO_ROOT

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


def test_studio_imports_only_its_own_package_and_the_layers_below():
    """Every import in studio/ (inside functions too) against the layer table of studio/__init__.py's
    docstring: from its own package or a lower layer only, never from a package beside or above it."""
    studio = REPO_ROOT / "studio"
    row = re.compile(r"^ {4}(\d+)\. (\w+) +([\w*/]+(?:, [\w*/]+)*)(?: {2,}.*)?$")
    table = [row.match(line) for line in (ast.get_docstring(ast.parse((studio / "__init__.py").read_text())) or "")
             .splitlines()]
    layers = [(int(m[1]), m[2], m[3].split(", ")) for m in table if m]
    assert [number for number, _name, _units in layers] == list(range(1, len(layers) + 1)), layers

    def module_of(path) -> str:
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    def package_of(module: str, path=None) -> str:
        is_package = path.name == "__init__.py" if path else (studio.parent / module.replace(".", "/")).is_dir()
        return module if is_package else module.rpartition(".")[0]

    def layer_of(module: str) -> tuple[int, str] | None:
        """(number, name) of the row naming the module: a package's strings.py is in the strings row; studio's
        own __init__.py (a docstring) is below them all."""
        rest = module.split(".")[1:]
        if not rest:
            return 0, "studio/__init__.py"
        for number, name, units in layers:
            for unit in units:
                if unit == "*/strings" and len(rest) == 2 and rest[1] == "strings" or rest[:1] == [unit]:
                    return number, name
        return None

    def studio_module(name: str) -> str:
        """'studio.train' + 'data' -> 'studio.train.data' when that is a module, else the package itself."""
        path = studio.parent / name.replace(".", "/")
        return name if path.is_dir() or path.with_suffix(".py").is_file() else name.rpartition(".")[0]

    broken = []
    for path in sorted(studio.rglob("*.py")):
        here = module_of(path)
        mine = layer_of(here)
        if mine is None:
            broken.append(f"{path.relative_to(REPO_ROOT)}: in no layer of studio/__init__.py's table")
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = (here if path.name == "__init__.py" else package_of(here)).split(".")
                module = ".".join(base[: len(base) - node.level + 1] + [node.module or ""]).strip(".") \
                    if node.level else node.module or ""
                targets = [f"{module}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in dict.fromkeys(studio_module(name) if name.startswith("studio.") else name for name in targets):
                where = f"{path.relative_to(REPO_ROOT)}:{node.lineno} imports {target}"
                if target.split(".")[0] in ("app", "training", "bench", "tests"):
                    broken.append(f"{where}: studio is below app.py and never imports training, bench or tests")
                if not target.startswith("studio."):
                    continue
                theirs = layer_of(target)
                if theirs is None or theirs[0] > mine[0]:
                    broken.append(f"{where}: upward, {mine[1]} (layer {mine[0]}) is below "
                                  f"{theirs[1] if theirs else 'no layer'} ({theirs[0] if theirs else '-'})")
                elif theirs[0] == mine[0] and package_of(target) != package_of(here, path):
                    broken.append(f"{where}: sideways, {package_of(here, path)} and {package_of(target)} are "
                                  f"side by side in layer {mine[0]} ({mine[1]}): what both need goes a layer down")
    assert not broken, "\n".join(broken)
