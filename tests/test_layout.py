"""Project-wide architecture checks, read from the source with `ast` (nothing is imported)."""

from __future__ import annotations

import ast
import re

from contract.paths import REPO_ROOT


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
