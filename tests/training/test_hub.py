"""`python -m training push` / `deploy-space` against a local HTTP Hub (tests/support/fake_hub.py), asserted server-side."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from huggingface_hub import ModelCard

from tests.conftest import REPO_ROOT
from tests.support.checkpoints import IMAGE_METRICS
from tests.support.fake_hub import TOKEN, FakeHub
from tests.support.tiny import make_tiny_vit
from training.__main__ import main
from training.outputs.web import runtime_operations

METRICS = IMAGE_METRICS  # what training writes to metrics.json (a local dataset path, two splits)
UPLOADED = {"config.json", "model.safetensors", "preprocessor_config.json", "metrics.json",
            "confusion_matrix.png", "README.md"}
TRAINED_UPLOADED = UPLOADED | {"model.onnx"}  # training also writes the checked ONNX graph


def checkpoint_files_in(repo) -> set[str]:
    """The repo's files but the offline page (offline/: tests/training/test_hub_offline_page.py)."""
    return {name for name in repo.files if not name.startswith("offline/")}


def run_cli(argv, capsys, caplog) -> tuple[int, str]:
    """Run `python -m training ...` in-process; return its exit code and everything it printed or logged."""
    caplog.set_level(logging.DEBUG)
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err + caplog.text


def test_push_uploads_the_checkpoint_in_one_commit(hub, checkpoint, capsys, caplog):
    code, output = run_cli(["push", str(checkpoint), "--repo-id", "student/beans-vit"], capsys, caplog)

    assert code == 0, output
    assert TOKEN not in output
    assert "student/beans-vit" in output
    repo = hub.repo("model", "student/beans-vit")
    assert not repo.private
    assert len(repo.commits) == 1
    assert repo.commits[0]["summary"] == "Upload beans-mobilenet-head from Transfer Learning Studio"
    assert set(repo.files) == UPLOADED
    for name in UPLOADED - {"README.md"}:
        assert repo.files[name] == (checkpoint / name).read_bytes(), name
    assert all(r.authorization == f"Bearer {TOKEN}" for r in hub.requests)


def test_pushed_card_has_the_results_as_model_index(hub, checkpoint):
    from training.outputs.hub import push_checkpoint

    push_checkpoint(checkpoint, "student/card-check", commit_message="first version")

    repo = hub.repo("model", "student/card-check")
    assert repo.commits[0]["summary"] == "first version"
    text = repo.files["README.md"].decode()
    card = ModelCard(text)
    assert card.data.base_model == METRICS["base_model"]
    assert card.data.datasets == ["AI-Lab-Makerere/beans"]
    assert card.data.pipeline_tag == "image-classification"
    got = {(r.dataset_split, r.metric_type): r.metric_value for r in card.data.eval_results}
    for split, values in METRICS["splits"].items():
        assert got[split, "accuracy"] == pytest.approx(values["accuracy"], rel=1e-3)
        assert got[split, "f1"] == values["f1_macro"]
    assert yaml.safe_load(text.split("---")[1])["model-index"][0]["name"] == "beans-mobilenet-head"
    assert 'pipeline("image-classification", model="student/card-check")' in text
    assert "![Confusion matrix" in text and "(confusion_matrix.png)" in text
    assert [v["content"] for v in hub.validated] == [text]  # the Hub checked the metadata before the upload


def test_push_again_updates_the_same_repo(hub, checkpoint, capsys, caplog):
    argv = ["push", str(checkpoint), "--repo-id", "student/twice", "--private", "--license", "apache-2.0"]
    assert run_cli(argv, capsys, caplog)[0] == 0
    assert run_cli(argv, capsys, caplog)[0] == 0

    repo = hub.repo("model", "student/twice")
    assert repo.private
    assert len(repo.commits) == 2
    assert ModelCard(repo.files["README.md"].decode()).data.license == "apache-2.0"


@pytest.mark.parametrize("hub", [("*.safetensors",)], indirect=True)
def test_large_files_go_through_lfs_when_the_hub_asks(hub, checkpoint):
    from training.outputs.hub import push_checkpoint

    push_checkpoint(checkpoint, "student/lfs")

    weights = (checkpoint / "model.safetensors").read_bytes()
    assert hub.repo("model", "student/lfs").files["model.safetensors"] == weights
    assert weights in hub.lfs_objects.values()
    assert any(r.method == "PUT" for r in hub.requests)


def _folder_without(checkpoint: Path, tmp_path: Path, *names: str) -> Path:
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in checkpoint.iterdir():
        if path.is_file() and path.name not in names:
            (copy / path.name).write_bytes(path.read_bytes())
    return copy


REFUSALS = {
    "missing folder": (lambda ckpt, tmp: tmp / "nope", "student/x", "not found"),
    "not a checkpoint": (lambda ckpt, tmp: _folder_without(ckpt, tmp, "config.json"), "student/x", "no config.json"),
    "no safetensors": (lambda ckpt, tmp: _folder_without(ckpt, tmp, "model.safetensors"), "student/x",
                       "no model.safetensors"),
    "no metrics": (lambda ckpt, tmp: _folder_without(ckpt, tmp, "metrics.json"), "student/x", "no metrics.json"),
    "no owner": (lambda ckpt, tmp: ckpt, "beans", "owner/name"),
    "three parts": (lambda ckpt, tmp: ckpt, "a/b/c", "owner/name"),
    "url": (lambda ckpt, tmp: ckpt, "https://huggingface.co/a/b", "owner/name"),
    "dots": (lambda ckpt, tmp: ckpt, "student/..", "owner/name"),
    "double dash": (lambda ckpt, tmp: ckpt, "student/a--b", "owner/name"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_push_refuses_bad_input_and_sends_nothing(case, hub, checkpoint, tmp_path, capsys, caplog):
    make_folder, repo_id, expected = REFUSALS[case]
    code, output = run_cli(["push", str(make_folder(checkpoint, tmp_path)), "--repo-id", repo_id], capsys, caplog)

    assert code == 2
    assert expected in output
    assert "Traceback" not in output
    assert hub.requests == []


def test_push_uses_the_saved_login_when_hf_token_is_unset(hub, checkpoint, monkeypatch, tmp_path, capsys, caplog):
    from huggingface_hub import constants

    monkeypatch.delenv("HF_TOKEN")
    saved = tmp_path / "token"
    saved.write_text(TOKEN)  # what `hf auth login` writes
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(saved))
    code, output = run_cli(["push", str(checkpoint), "--repo-id", "student/saved"], capsys, caplog)

    assert code == 0, output
    assert TOKEN not in output
    assert hub.repo("model", "student/saved").commits


def test_push_without_token_sends_nothing(hub, checkpoint, monkeypatch, capsys, caplog):
    monkeypatch.delenv("HF_TOKEN")
    code, output = run_cli(["push", str(checkpoint), "--repo-id", "student/x"], capsys, caplog)

    assert code == 2
    assert "no Hugging Face token" in output
    assert hub.requests == []


def test_push_refuses_a_file_that_contains_the_token(hub, checkpoint, tmp_path, capsys, caplog):
    leaky = _folder_without(checkpoint, tmp_path)
    metrics = json.loads((leaky / "metrics.json").read_text())
    (leaky / "metrics.json").write_text(json.dumps({**metrics, "args": {"hub_token": TOKEN}}))

    code, output = run_cli(["push", str(leaky), "--repo-id", "student/x"], capsys, caplog)

    assert code == 2
    assert "metrics.json contains your Hub token" in output
    assert TOKEN not in output
    assert hub.requests == []


def test_a_rejected_token_is_one_line_without_the_token(hub, checkpoint, monkeypatch, capsys, caplog):
    wrong = "hf_WrongTokenAbcdefghijkl"
    monkeypatch.setenv("HF_TOKEN", wrong)
    code, output = run_cli(["push", str(checkpoint), "--repo-id", "student/x"], capsys, caplog)

    assert code == 2
    assert "401" in output and "check HF_TOKEN" in output
    assert wrong not in output
    assert hub.repos == {}


def test_offline_mode_is_refused_before_any_request(hub, checkpoint, monkeypatch, capsys, caplog):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    code, output = run_cli(["push", str(checkpoint), "--repo-id", "student/x"], capsys, caplog)

    assert code == 2 and "HF_HUB_OFFLINE" in output
    assert hub.requests == []


def test_deploy_space_uploads_the_app_code_only(hub, capsys, caplog):
    argv = ["deploy-space", "--repo-id", "student/studio", "--beans-model", "student/beans-vit",
            "--sentiment-model", "student/sst2-minilm", "--lang", "en"]
    code, output = run_cli(argv, capsys, caplog)

    assert code == 0, output
    assert TOKEN not in output
    space = hub.repo("space", "student/studio")
    assert space.sdk == "gradio"
    assert len(space.commits) == 1
    expected = {"app.py", "requirements.txt", "README.md"} | {
        p.relative_to(REPO_ROOT).as_posix() for package in ("studio", "contract")
        for p in (REPO_ROOT / package).rglob("*") if p.is_file() and "__pycache__" not in p.parts
    } | {operation.path_in_repo for operation in runtime_operations(REPO_ROOT)}  # the offline page's runtime
    assert {"studio/config.py", "contract/checkpoint.py"} <= expected  # the app imports both
    assert set(space.files) == expected
    assert not any(name.startswith(("models/", "tests/", "bench/", "training/")) for name in space.files)
    assert space.files["app.py"] == (REPO_ROOT / "app.py").read_bytes()
    assert space.files["requirements.txt"] == (REPO_ROOT / "requirements.txt").read_bytes()
    front_matter = yaml.safe_load(space.files["README.md"].decode().split("---")[1])
    assert front_matter["sdk"] == "gradio" and front_matter["app_file"] == "app.py"
    assert front_matter["models"] == ["student/beans-vit", "student/sst2-minilm"]
    assert [v["repoType"] for v in hub.validated] == ["space"]
    assert {key: v["value"] for key, v in space.variables.items()} == {
        "STUDIO_BEANS_MODEL": "student/beans-vit", "STUDIO_SENTIMENT_MODEL": "student/sst2-minilm",
        "STUDIO_LANG": "en",
    }


def test_deploy_space_refuses_a_local_model_folder(hub, checkpoint, capsys, caplog):
    argv = ["deploy-space", "--repo-id", "student/studio", "--beans-model", str(checkpoint)]
    code, output = run_cli(argv, capsys, caplog)

    assert code == 2 and "Hub model id" in output
    assert hub.requests == []


@pytest.mark.serves
def test_cli_refusal_is_one_line_and_exit_2():
    """The real entry point, as a user runs it: no traceback, one line on stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "training", "push", "models/does-not-exist", "--repo-id", "student/x"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("error: ") and "not found" in result.stderr


@pytest.mark.trains
def test_a_real_training_run_pushes_what_it_wrote(hub, tmp_path, capsys, caplog):
    """`python -m training image` on a tiny folder, then `push`: the Hub gets exactly that checkpoint."""
    models = tmp_path / "models"
    assert _train_tiny(tmp_path) == 0
    code, output = run_cli(["push", str(models / "tiny-leaves"), "--repo-id", "student/tiny-leaves"], capsys, caplog)

    assert code == 0, output
    repo = hub.repo("model", "student/tiny-leaves")
    assert checkpoint_files_in(repo) == TRAINED_UPLOADED
    for name in ("model.safetensors", "model.onnx"):
        assert repo.files[name] == (models / "tiny-leaves" / name).read_bytes()
    metrics = json.loads(repo.files["metrics.json"])
    card = ModelCard(repo.files["README.md"].decode())
    (result,) = [r for r in card.data.eval_results if r.metric_type == "accuracy"]
    assert result.metric_value == pytest.approx(metrics["splits"]["validation"]["accuracy"], rel=1e-3)
    assert str(tmp_path) not in repo.files["README.md"].decode()


@pytest.mark.serves
def test_the_deployed_files_alone_build_the_app(hub, tmp_path, capsys, caplog):
    """What the Space receives is enough to run the app: no import of training/, tests/ or a local model."""
    assert run_cli(["deploy-space", "--repo-id", "student/studio"], capsys, caplog)[0] == 0
    space_dir = tmp_path / "space"
    for name, content in hub.repo("space", "student/studio").files.items():
        (space_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (space_dir / name).write_bytes(content)

    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "HF_ENDPOINT", "HF_TOKEN")}
    env.update(HF_HUB_OFFLINE="1", STUDIO_MODELS_DIR=str(tmp_path / "no-models"), STUDIO_ASSETS=str(tmp_path))
    code = "import app, studio; app.build_demo(); print(app.__file__, studio.__file__)"
    result = subprocess.run([sys.executable, "-c", code],
                            cwd=space_dir, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    app_file, studio_file = result.stdout.split()[-2:]
    assert Path(app_file).parent == space_dir and Path(studio_file).parent.parent == space_dir


def _train_tiny(tmp_path: Path, *extra: str) -> int:
    from tests.support.tiny import make_image_folder

    make_image_folder(tmp_path / "leaves", per_split={"train": 4, "validation": 2})
    make_tiny_vit(tmp_path / "base")
    return main(["image", "--name", "tiny-leaves", "--data-dir", str(tmp_path / "leaves"), "--base-model",
                 str(tmp_path / "base"), "--epochs", "1", "--models_dir", str(tmp_path / "models"), *extra])


@pytest.mark.trains
def test_training_with_push_to_hub_uploads_the_new_checkpoint(hub, tmp_path):
    assert _train_tiny(tmp_path, "--push-to-hub", "--hub-repo-id", "student/auto", "--hub-private") == 0

    repo = hub.repo("model", "student/auto")
    assert repo.private and checkpoint_files_in(repo) == TRAINED_UPLOADED
    assert repo.files["model.safetensors"] == (tmp_path / "models" / "tiny-leaves" / "model.safetensors").read_bytes()


def test_push_to_hub_without_token_fails_before_training(hub, tmp_path, monkeypatch):
    monkeypatch.delenv("HF_TOKEN")
    assert _train_tiny(tmp_path, "--push-to-hub", "--hub-repo-id", "student/auto") == 2

    assert not (tmp_path / "models" / "tiny-leaves").exists()
    assert hub.requests == []


def test_broken_metrics_json_is_refused(hub, checkpoint, tmp_path, capsys, caplog):
    broken = _folder_without(checkpoint, tmp_path)
    (broken / "metrics.json").write_text("{not json")
    code, output = run_cli(["push", str(broken), "--repo-id", "student/x"], capsys, caplog)

    assert code == 2 and "metrics.json is not valid JSON" in output
    assert hub.requests == []


@pytest.mark.serves
def test_the_space_files_alone_build_the_app(tmp_path):
    """What deploy-space uploads is enough to start the app: no import reaches a package left behind."""
    from training.outputs.hub import space_operations

    for operation in space_operations(REPO_ROOT, {}):
        path = tmp_path / operation.path_in_repo
        path.parent.mkdir(parents=True, exist_ok=True)
        data = operation.path_or_fileobj
        path.write_bytes(data if isinstance(data, bytes) else Path(data).read_bytes())
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "STUDIO_MODELS_DIR": str(tmp_path / "models"), "PYTHONPATH": ""}
    result = subprocess.run([sys.executable, "-c", "import app; app.build_demo(); print('BUILT')"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=180)
    assert "BUILT" in result.stdout, result.stderr[-2000:]


@pytest.mark.parametrize("command", [["push", "CHECKPOINT", "--repo-id", "student/x"],
                                     ["deploy-space", "--repo-id", "student/space"]])
def test_a_server_echoing_the_token_never_gets_it_printed(command, checkpoint, monkeypatch, capsys, caplog):
    """Issue 9: an endpoint that echoes the Authorization header printed `Bearer hf_…` verbatim."""
    from huggingface_hub import constants

    with FakeHub(token=TOKEN, echo_auth=True) as echoing:
        monkeypatch.setenv("HF_ENDPOINT", echoing.url)
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        monkeypatch.setenv("HF_HUB_OFFLINE", "0")
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
        argv = [str(checkpoint) if arg == "CHECKPOINT" else arg for arg in command]
        code, output = run_cli(argv, capsys, caplog)
    assert code == 2 and "400" in output and "Authorization" in output
    assert TOKEN not in output and "Bearer" not in output and "hf_" not in output


def test_redact_tokens_hides_every_token_shape():
    from contract.errors import redact_tokens

    text = "echo: Bearer abc.def hf_AbCdEf123456 and mysecret-value"
    redacted = redact_tokens(text, "mysecret-value")
    assert "abc.def" not in redacted and "hf_AbCd" not in redacted and "mysecret" not in redacted
    assert redacted.startswith("echo: ")
