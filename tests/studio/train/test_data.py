"""The Train tab's data checks, on real files: zip validation (every bad case), folder and text inspection,
staging, and the small pure pieces of the job flow (progress, Runs table, names, failure messages)."""

from __future__ import annotations

import json
import stat
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from contract.runs import STRATEGY_NAMES as STRATEGIES
from studio.train.jobs import failure_message, job_folder, shown_command
from studio.train.jobstore import Job
from studio.train.preview import inspect_image_folder, inspect_text_file, stage_image_data, stage_text_data
from studio.train.progress import progress_of, scrub
from studio.train.runs import leaderboard, majority_accuracy
from studio.train.zip_intake import DataError, ZipLimits, extract_zip, plan_zip
from tests.support.hostile_files import png_claiming_size
from tests.support.tiny import make_image_folder
from tests.support.train_helpers import zip_folder

LIMITS = ZipLimits(max_unzipped_bytes=10 << 20, max_files=100, max_ratio=100)
FREE = 1 << 40


def png_bytes(tmp_path: Path) -> bytes:
    folder = make_image_folder(tmp_path / "one", classes=("a",), per_split={"train": 1}, size=8)
    return next(folder.rglob("*.png")).read_bytes()


def make_zip(path: Path, members: dict[str, bytes], symlinks: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return path


def refused(key: str, path: Path, limits: ZipLimits = LIMITS, free: int = FREE) -> None:
    with pytest.raises(DataError) as caught:
        plan_zip(path, limits, free)
    assert caught.value.key == key, caught.value


# ---------------------------------------------------------------- zip validation


@pytest.mark.parametrize("name", ["../evil.png", "a/../../evil.png", "/etc/evil.png", "C:\\evil.png", "a\\..\\..\\x.png"])
def test_paths_leaving_the_folder_are_refused_before_extracting(tmp_path, name):
    path = make_zip(tmp_path / "bad.zip", {"a/ok.png": png_bytes(tmp_path), name: b"x"})
    refused("train.zip.unsafe_path", path)


def test_a_symlink_member_is_refused(tmp_path):
    refused("train.zip.symlink", make_zip(tmp_path / "link.zip", {"a/ok.png": png_bytes(tmp_path)},
                                          {"a/passwd.png": "/etc/passwd"}))


def test_a_zip_bomb_is_refused_by_its_ratio_and_its_total_size(tmp_path):
    bomb = make_zip(tmp_path / "bomb.zip", {"a/zeros.png": b"\0" * (5 << 20)})
    refused("train.zip.bomb", bomb)
    refused("train.zip.too_big", bomb, ZipLimits(1 << 20, 100, 1e9))


def test_too_many_files_not_a_zip_no_images_and_a_full_disk(tmp_path):
    image = png_bytes(tmp_path)
    refused("train.zip.too_many_files", make_zip(tmp_path / "many.zip", {f"a/{n}.png": image for n in range(5)}),
            ZipLimits(10 << 20, 4, 100))
    (tmp_path / "fake.zip").write_text("hello")
    refused("train.zip.not_zip", tmp_path / "fake.zip")
    refused("train.zip.no_images", make_zip(tmp_path / "docs.zip", {"a/readme.txt": b"hi", "b/x.csv": b"1,2"}))
    refused("train.data.disk_full", make_zip(tmp_path / "ok.zip", {"a/1.png": image}), free=10)


def test_non_images_are_left_out_and_listed_clutter_silently(tmp_path):
    image = png_bytes(tmp_path)
    path = make_zip(tmp_path / "mixed.zip", {"a/1.png": image, "b/2.PNG": image, "a/notes.txt": b"hi",
                                             "__MACOSX/a/._1.png": b"x", "a/.DS_Store": b"x"})
    plan = plan_zip(path, LIMITS, FREE)
    assert [info.filename for info in plan.members] == ["a/1.png", "b/2.PNG"]
    assert plan.left_out == ["a/notes.txt"]
    target = extract_zip(path, plan, tmp_path / "job" / "upload")
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == ["a/1.png", "b/2.PNG"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job", "mixed.zip", "one"]  # nothing else written


# ---------------------------------------------------------------- image folders


def test_split_folders_are_read_as_they_are(tmp_path):
    folder = make_image_folder(tmp_path / "data", per_split={"train": 3, "validation": 2, "test": 1})
    report = inspect_image_folder(folder, 1_000_000)
    assert report.ok and not report.carved and report.problems == []
    assert report.sizes() == {"test": 3, "train": 9, "validation": 6}
    assert report.label_names == ["angular_leaf_spot", "bean_rust", "healthy"]
    assert ("train", "healthy", 3) in report.counts() and len(report.samples(2)) == 6


def test_class_folders_in_a_wrapper_folder_get_a_carved_validation(tmp_path):
    folder = make_image_folder(tmp_path / "src", per_split={"train": 10})
    (tmp_path / "zip" / "wrapper").mkdir(parents=True)
    (folder / "train").rename(tmp_path / "zip" / "wrapper" / "leaves")
    report = inspect_image_folder(tmp_path / "zip", 1_000_000)
    assert report.ok and report.carved
    assert report.sizes() == {"train": 24, "validation": 6}
    assert [p.key for p in report.problems] == ["train.data.carved"]
    staged = stage_image_data(report, tmp_path / "job" / "leaves")
    assert len(list((staged / "validation" / "healthy").iterdir())) == 2
    assert all(p.is_symlink() for p in (staged / "train" / "healthy").iterdir())


def test_every_problem_of_an_image_folder_is_named(tmp_path):
    folder = make_image_folder(tmp_path / "data", per_split={"train": 3, "validation": 1})
    (folder / "train" / "empty_class").mkdir()
    (folder / "train" / "healthy" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    png_claiming_size(folder / "train" / "healthy" / "huge.png", 30_000, 30_000)
    (folder / "train" / "healthy" / "notes.txt").write_text("hi")
    for image in (folder / "validation" / "bean_rust").iterdir():
        image.unlink()
    report = inspect_image_folder(folder, 1_000_000)
    keys = [p.key for p in report.problems]
    assert {"train.data.empty_class", "train.data.skipped_corrupt", "train.data.skipped_too_large",
            "train.data.skipped_not_image", "train.data.class_missing"} <= set(keys), keys
    assert not report.ok  # validation has no bean_rust: training would stop, so the tab says it first
    assert len(report.splits["train"]["healthy"]) == 3


def test_one_class_and_no_data_block_training(tmp_path):
    one = make_image_folder(tmp_path / "one", classes=("healthy",), per_split={"train": 4})
    assert [p.key for p in inspect_image_folder(one, 1_000_000).problems if p.blocking] == ["train.data.one_class"]
    (tmp_path / "none" / "train").mkdir(parents=True)
    assert [p.key for p in inspect_image_folder(tmp_path / "none", 1_000_000).problems if p.blocking] == [
        "train.data.empty"]
    few = make_image_folder(tmp_path / "few", classes=("a", "b"), per_split={"train": 1})
    assert "train.data.too_few" in [p.key for p in inspect_image_folder(few / "train", 1_000_000).problems]


# ---------------------------------------------------------------- text files


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_csv_with_guessed_columns_is_carved_and_staged_as_json_lines(tmp_path):
    rows = "".join(f"{'great film' if n % 2 else 'awful film'} {n},{n % 2},x\n" for n in range(20))
    path = write(tmp_path / "reviews.csv", "sentence,label,other\n" + rows + ",1,x\n")
    report = inspect_text_file(path)
    assert (report.text_column, report.label_column) == ("sentence", "label")
    assert report.columns == ["sentence", "label", "other"] and report.ok and report.carved
    assert report.sizes() == {"train": 16, "validation": 4}
    assert [p.key for p in report.problems] == ["train.text.skipped_rows", "train.data.carved"]
    staged = stage_text_data(report, tmp_path / "job" / "reviews")
    lines = (staged / "validation.jsonl").read_text().splitlines()
    assert len(lines) == 4 and set(json.loads(lines[0])) == {"sentence", "label"}


def test_text_files_without_the_columns_with_one_class_or_not_utf8_are_named(tmp_path):
    path = write(tmp_path / "t.tsv", "text\tstars\nhello\t5\nbye\t1\n")
    report = inspect_text_file(path, "text", "label")
    assert [p.key for p in report.problems] == ["train.text.no_column"] and not report.ok
    one = write(tmp_path / "one.jsonl", "".join(json.dumps({"text": f"t{n}", "label": "pos"}) + "\n" for n in range(5)))
    assert "train.data.one_class" in [p.key for p in inspect_text_file(one).problems]
    (tmp_path / "latin.csv").write_bytes("text,label\nacción,1\n".encode("latin-1"))  # Excel's "CSV": read, and said
    assert "train.text.windows_1252" in [p.key for p in inspect_text_file(tmp_path / "latin.csv").problems]
    (tmp_path / "binary.csv").write_bytes(b"text,label\n\x81\x8d\x90,1\n")  # neither UTF-8 nor Windows-1252
    with pytest.raises(DataError, match="not UTF-8"):
        inspect_text_file(tmp_path / "binary.csv")
    with pytest.raises(DataError, match="Unsupported text format"):
        inspect_text_file(write(tmp_path / "x.xlsx", "no"))


# ---------------------------------------------------------------- job pieces


def test_progress_curves_and_eta_from_the_progress_file_events():
    events = [
        {"event": "begin", "time": 100.0, "step": 0, "max_steps": 10, "epoch": 0, "num_train_epochs": 2},
        {"event": "step", "time": 102.0, "step": 4, "max_steps": 10, "epoch": 0.8},
        {"event": "log", "time": 102.5, "step": 5, "max_steps": 10, "epoch": 1.0, "loss": 1.2},
        {"event": "log", "time": 103.0, "step": 5, "max_steps": 10, "epoch": 1.0, "eval_accuracy": 0.5,
         "eval_loss": 1.0},
    ]
    progress = progress_of(events, now=105.0)
    assert progress.fraction == 0.5 and progress.eta_s == pytest.approx(5.0) and progress.epochs == 2
    assert progress.loss == [(1.0, 1.2)] and progress.accuracy == [(1.0, 0.5)]
    resumed = progress_of(events + [{"event": "begin", "time": 200.0, "step": 5, "max_steps": 10, "epoch": 1.0}], 202)
    assert resumed.start_step == 5 and resumed.eta_s is None and resumed.loss == []


def test_the_runs_table_ranks_checkpoints_and_adds_a_labelled_baseline(tmp_path):
    for name, accuracy in (("low", 0.5), ("high", 0.9)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "config.json").write_text("{}")
        (folder / "model.safetensors").write_bytes(b"")
        (folder / "metrics.json").write_text(json.dumps({
            "task": "image-classification", "name": name, "label_names": ["a", "b"], "strategy": "head",
            "base_model": "/srv/secret/models/mobilenet", "dataset": "/srv/secret/.jobs/1/beans",
            "train": {"runtime_s": 12.345},
            "splits": {"validation": {"accuracy": accuracy, "confusion_matrix": [[6, 0], [2, 2]]}}}))
    table = leaderboard(tmp_path, "image-classification", "Baseline")
    assert [row[0] for row in table] == ["high", "low", "Baseline"]
    assert table[0] == ["high", "mobilenet", "head", "beans", 12.3, "90.0%", ""]
    assert table[2][5] == "60.0%" and majority_accuracy({}) is None
    assert "/srv" not in json.dumps(table)


def test_job_ids_commands_and_failures_never_reveal_or_reach_server_paths(tmp_path):
    with pytest.raises(KeyError):
        job_folder(tmp_path, "../../etc")
    job = Job(id="1", kind="text", data_dir="/srv/x/.jobs/1/reviews", source="reviews", base_model="/srv/m/minilm",
              base_label="minilm", strategy="full", name="r", epochs=1, learning_rate=3e-5, text_column="my text",
              label_column="label")
    command = shown_command(job)
    assert "/srv" not in command and '--text-column "my text"' in command and "--learning-rate 3e-05" in command
    assert failure_message("...\nerror: a classifier needs at least 2 classes\n")[0] == "train.job.cli_error"
    assert failure_message("OSError: [Errno 28] No space left on device\n")[0] == "train.data.disk_full"
    assert failure_message("Killed\n") == ["train.job.crashed", {"error": "Killed"}]
    assert scrub("wrote /srv/x/models/a and /srv/x", ["/srv/x", "/srv/x/models"]) == "wrote models/a and x"


def test_a_zip_made_by_a_user_round_trips(tmp_path):
    folder = make_image_folder(tmp_path / "src", per_split={"train": 2, "val": 1})
    path = zip_folder(folder, tmp_path / "u.zip", "top/")
    target = extract_zip(path, plan_zip(path, LIMITS, FREE), tmp_path / "out")
    report = inspect_image_folder(target, 1_000_000)
    assert report.ok and report.sizes() == {"train": 6, "validation": 3}


def test_training_requests_are_checked_before_anything_is_queued(tmp_path, monkeypatch):
    from studio.errors import StudioError
    from studio.train.start import check_knobs, check_name, resolve_base_model

    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("STUDIO_TRAIN_MAX_EPOCHS", "5")
    monkeypatch.delenv("STUDIO_BASE_MODELS", raising=False)
    assert check_knobs("head", 0, 0) == (None, None)  # an empty field: the strategy's default
    for knobs, key in (((6, None), "train.error.epochs"), ((1, 2.0), "train.error.learning_rate")):
        with pytest.raises(StudioError) as caught:
            check_knobs("head", *knobs)
        assert caught.value.key == key
    with pytest.raises(StudioError, match="Unknown strategy"):
        check_knobs("last-layers", None, None)
    for strategy in STRATEGIES:
        assert check_knobs(strategy, 2, None) == (2, None)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "config.json").write_text("{}")
    (tmp_path / "taken" / "model.safetensors").write_bytes(b"")
    with pytest.raises(StudioError) as caught:
        check_name(tmp_path, "taken", overwrite=False)
    assert caught.value.key == "train.error.name_taken" and caught.value.fields["suggestion"] == "taken-2"
    assert check_name(tmp_path, "taken", overwrite=True) == "taken"
    with pytest.raises(StudioError, match="not a usable name"):
        check_name(tmp_path, "../up", overwrite=True)
    with pytest.raises(StudioError) as caught:  # a Hub id goes through the guard: offline, refused
        resolve_base_model("image", "google/vit-base-patch16-224-in21k")
    assert caught.value.key.startswith("model.")
    with pytest.raises(StudioError, match="Pick a base model"):
        resolve_base_model("image", "")


def test_old_unused_drafts_go_and_the_data_of_a_job_stays(tmp_path):
    from studio.train.jobs import list_jobs, remove_old_drafts, write_job
    from studio.train.jobstore import Job

    write_job(tmp_path, Job(id="old-unused", status="draft", created=0))
    write_job(tmp_path, Job(id="old-used", status="draft", created=0, used=True))
    write_job(tmp_path, Job(id="new-unused", status="draft", created=10**10))
    remove_old_drafts(tmp_path, now=10**10)
    assert [job.id for job in list_jobs(tmp_path)] == ["old-used", "new-unused"]


def test_the_tab_offers_every_strategy_of_the_cli_and_names_each():
    from studio.i18n import STRINGS
    from training.flow.strategies import STRATEGIES as CLI_STRATEGIES

    assert set(STRATEGIES) == set(CLI_STRATEGIES)
    for lang in ("es", "en"):
        for strategy in STRATEGIES:
            assert STRINGS[lang][f"train.strategy.{strategy}"].startswith(f"{strategy}: ")


def test_a_job_json_of_older_or_newer_code_still_reads_and_a_typo_in_an_update_raises(tmp_path):
    from studio.train.jobstore import JOB_FILE, read_job, update_job

    folder = job_folder(tmp_path, "20240101-000000-abcdef")
    folder.mkdir(parents=True)
    old = {"id": "20240101-000000-abcdef", "status": "done", "kind": "image", "name": "leaves", "created": 5,
           "epochs": 2, "message": ["train.job.done", {}], "a_newer_servers_key": {"x": 1}, "pid": None}
    (folder / JOB_FILE).write_text(json.dumps(old))  # no owner (before owners existed), no extra_args
    job = read_job(tmp_path, old["id"])
    assert (job.status, job.name, job.epochs, job.message) == ("done", "leaves", 2, ["train.job.done", {}])
    assert job.owner == "operator" and job.extra_args == [] and job.pid is None
    assert not hasattr(job, "a_newer_servers_key")
    update_job(tmp_path, job.id, used=True)
    written = json.loads((folder / JOB_FILE).read_text())
    assert {key: written[key] for key in ("id", "status", "kind", "name", "created", "epochs", "used")} == {
        "id": old["id"], "status": "done", "kind": "image", "name": "leaves", "created": 5, "epochs": 2, "used": True}
    assert Job.from_json(written) == replace(job, used=True)
    with pytest.raises(TypeError):
        update_job(tmp_path, job.id, stauts="failed")
    assert read_job(tmp_path, job.id).status == "done"
