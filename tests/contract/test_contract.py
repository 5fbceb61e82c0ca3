"""The contract between the app and the CLI: import direction, checkpoint layout, leftovers, Hub ids."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from contract.checkpoint import (
    checkpoint_task,
    clean_leftovers,
    is_checkpoint,
    list_checkpoints,
    read_metrics,
    write_atomically,
    write_metrics,
)
from contract.hub_ids import is_hub_id, public_ref
from tests.conftest import REPO_ROOT
from tests.support.checkpoints import dead_pid

HEAVY = {"torch", "transformers", "gradio", "datasets", "huggingface_hub"}


def imported_packages(package: str) -> dict[str, set[str]]:
    """{file: top-level packages it imports} for every .py file of `package`."""
    found = {}
    for path in sorted((REPO_ROOT / package).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(REPO_ROOT))] = names
    return found


@pytest.mark.parametrize(("package", "forbidden"), [
    ("training", {"studio", "app"}),
    ("studio", {"training", "bench"}),
    ("contract", {"studio", "training", "bench", "app"} | HEAVY),
])
def test_imports_point_one_way(package, forbidden):
    """studio and training meet only in contract, which imports neither (nor any heavy library)."""
    wrong = {path: sorted(names & forbidden) for path, names in imported_packages(package).items() if names & forbidden}
    assert wrong == {}


@pytest.mark.serves
def test_importing_the_contract_loads_no_heavy_library():
    code = ("import sys, contract.checkpoint, contract.images, contract.hub_ids, contract.tables, contract.paths, "
            "contract.runs, contract.tokens, "
            "contract.onnx_graph; "
            f"print(sorted(set(sys.modules) & set({sorted(HEAVY)!r})))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def make_checkpoint(folder: Path, metrics: dict | None = None, architectures: list[str] | None = None) -> Path:
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({"architectures": architectures or []}))
    (folder / "model.safetensors").write_bytes(b"weights")
    if metrics is not None:
        (folder / "metrics.json").write_text(json.dumps(metrics))
    return folder



def test_hidden_folders_are_never_checkpoints(tmp_path):
    metrics = {"task": "image-classification", "name": "beans"}
    make_checkpoint(tmp_path / "beans", metrics)
    for hidden in (f".beans.tmp-{dead_pid()}", ".beans.old-12", ".runs"):
        make_checkpoint(tmp_path / hidden, metrics)
    (tmp_path / "notes").mkdir()
    assert [p.name for p in list_checkpoints(tmp_path)] == ["beans"]
    assert not is_checkpoint(tmp_path / ".runs") and list_checkpoints(tmp_path / "missing") == []


def test_leftovers_of_dead_writers_are_cleaned_and_live_ones_kept(tmp_path, monkeypatch):
    import os

    dead = dead_pid()
    half_written = make_checkpoint(tmp_path / f".a.tmp-{dead}")
    live = make_checkpoint(tmp_path / f".b.tmp-{os.getpid()}")
    retired_orphan = make_checkpoint(tmp_path / f".c.old-{dead}", {"task": "x", "name": "c"})  # c itself is gone
    make_checkpoint(tmp_path / "d")
    retired_replaced = make_checkpoint(tmp_path / f".d.old-{dead}")
    unrelated = make_checkpoint(tmp_path / ".my-notes")

    handled = clean_leftovers(tmp_path)
    assert sorted(p.name for p in handled) == sorted([half_written.name, retired_orphan.name, retired_replaced.name])
    assert not half_written.exists() and not retired_replaced.exists()
    assert live.exists() and unrelated.exists()
    assert read_metrics(tmp_path / "c")["name"] == "c"  # restored: the kill fell between the two renames


def test_write_atomically_replaces_only_a_complete_folder(tmp_path):
    target = make_checkpoint(tmp_path / "model", {"task": "t", "name": "old"})

    def fails(folder: Path) -> None:
        (folder / "half").write_text("x")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomically(target, fails)
    assert read_metrics(target)["name"] == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_metrics_round_trip_and_schema(tmp_path):
    with pytest.raises(ValueError, match="label_names, splits"):
        write_metrics(tmp_path, {"task": "image-classification", "name": "x"})
    metrics = {"task": "image-classification", "name": "x", "label_names": ["a", "b"],
               "splits": {"validation": {"accuracy": 0.5}}}
    write_metrics(tmp_path, metrics)
    assert read_metrics(tmp_path) == metrics
    (tmp_path / "metrics.json").write_text("{not json")
    assert read_metrics(tmp_path) == {}


@pytest.mark.parametrize(("metrics", "architectures", "task"), [
    ({"task": "text-classification"}, ["ViTForImageClassification"], "text-classification"),
    (None, ["ViTForImageClassification"], "image-classification"),
    (None, ["BertForSequenceClassification"], "text-classification"),
    (None, ["SomethingElse"], None),
])
def test_checkpoint_task(tmp_path, metrics, architectures, task):
    assert checkpoint_task(make_checkpoint(tmp_path / "m", metrics, architectures)) == task


@pytest.mark.parametrize(("ref", "hub", "with_owner"), [
    ("google/vit-base-patch16-224-in21k", True, True), ("beans", True, False), ("a.b_c-d/e", True, True),
    ("../x", False, False), ("/abs/path", False, False), ("~/x", False, False), ("a/b/c", False, False),
    ("https://huggingface.co/x", False, False), ("a..b/c", False, False), ("a--b/c", False, False),
    ("", False, False), (None, False, False), ("x" * 97, False, False), ("a b", False, False),
    ("owner/name\x00", False, False),
])
def test_is_hub_id(ref, hub, with_owner):
    assert is_hub_id(ref) is hub
    assert is_hub_id(ref, need_owner=True) is with_owner


@pytest.mark.parametrize(("ref", "shown"), [
    ("google/vit-base", "google/vit-base"), ("/srv/app/shared/models/mobilenet_v2/", "mobilenet_v2"),
    ("../shared/data/beans", "beans"), ("beans", "beans"), (None, ""),
])
def test_public_ref_never_shows_a_server_path(ref, shown):
    assert public_ref(ref) == shown


SOURCE_PACKAGES = ("studio", "training", "bench", "contract")


def source_trees() -> dict[str, ast.AST]:
    """{path: parsed module} for every .py file of the app, the CLI, the benchmarks and the contract."""
    paths = [REPO_ROOT / "app.py", *(p for package in SOURCE_PACKAGES for p in sorted((REPO_ROOT / package).rglob("*.py")))]
    return {str(path.relative_to(REPO_ROOT)): ast.parse(path.read_text(encoding="utf-8")) for path in paths}


def test_one_definition_of_the_run_name_pattern():
    """A run's name is checked by the Train tab and by the CLI against one pattern (contract/runs.py)."""
    from contract.runs import NAME_PATTERN

    found = []
    for path, tree in source_trees().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(target, ast.Name) and target.id == "NAME_PATTERN" for target in targets):
                    found.append(path)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    node.value.strip("^$") == NAME_PATTERN.pattern:
                found.append(path)
    assert found == ["contract/runs.py", "contract/runs.py"]  # the name and its pattern string, once


def test_one_list_of_strategy_names_and_the_cli_implements_each():
    """Strategy names are listed once (contract/runs.py); no other tuple, list or set spells them out."""
    from contract.runs import STRATEGY_NAMES
    from training.flow.strategies import STRATEGIES

    lists = []
    for path, tree in source_trees().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                names = {item.value for item in node.elts if isinstance(item, ast.Constant)}
                if len(names & set(STRATEGY_NAMES)) >= 2:
                    lists.append(path)
    assert lists == ["contract/runs.py"]
    assert list(STRATEGIES) == list(STRATEGY_NAMES)


def test_resumable_checkpoints_skip_half_written_ones(tmp_path):
    from contract.runs import resumable_checkpoints, run_folder

    folder = run_folder(tmp_path, "run")
    for step, complete in ((3, True), (12, True), (20, False), (7, True)):
        (folder / f"checkpoint-{step}").mkdir(parents=True)
        if complete:
            (folder / f"checkpoint-{step}" / "trainer_state.json").write_text("{}")
    (folder / "checkpoint-x").mkdir()
    assert [p.name for p in resumable_checkpoints(folder)] == ["checkpoint-3", "checkpoint-7", "checkpoint-12"]
    assert resumable_checkpoints(tmp_path / "missing") == []


@pytest.mark.parametrize(("ref", "safe"), [
    ("owner/name", True), ("/" + "/".join(["d" * 200] * 4), True), ("a" * 1001, False),
    ("owner/" + "y" * 300, False), ("ab\x00cd", False), ("two\nlines", False),
])
def test_model_references_are_bounded_before_any_lookup(ref, safe):
    from contract.hub_ids import is_lookup_safe

    assert is_lookup_safe(ref) is safe


def test_token_limit_is_the_least_sensible_limit():
    from types import SimpleNamespace

    from contract.tokens import DEFAULT_TOKEN_LIMIT, token_limit

    unlimited = SimpleNamespace(model_max_length=int(1e30))
    assert token_limit(unlimited) == DEFAULT_TOKEN_LIMIT
    assert token_limit(unlimited, SimpleNamespace(max_position_embeddings=130)) == 130
    assert token_limit(SimpleNamespace(model_max_length=512), SimpleNamespace(max_position_embeddings=130), 64) == 64
    assert token_limit(SimpleNamespace(model_max_length=100), None, 128) == 100


def test_split_aliases():
    from contract.checkpoint import DATA_SPLITS, canonical_split

    assert [canonical_split(name) for name in ("Dev", "VAL", "eval", "Test", "holdout")] == [
        "validation", "validation", "validation", "test", "holdout"]
    assert canonical_split("holdout") not in DATA_SPLITS
