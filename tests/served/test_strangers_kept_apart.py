"""A studio strangers can share (issue 18): each numbered attack of the issue replayed on the real server.

One server for the module (serve_app_for_module) with tiny operator models and small limits, visitors as
separate gradio_client clients (a visitor's reload: a new client that presents the same browser key to
/studio_visitor). Inputs are the smallest that cross each bound; bench/sharing.py replays the full-size
attacks and measures them.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from contract.visitors import owner_id, owner_models_dir
from tests.conftest import REPO_ROOT
from tests.support.hostile_files import PeakRSS, blank_png, png_chunk
from tests.support.tiny import (
    LEAF_CLASSES,
    make_image_folder,
    make_tab_checkpoints,
    make_tiny_bert_classifier,
    make_tiny_vit,
)
from tests.support.train_helpers import wait_for_job, zip_folder

pytestmark = pytest.mark.usefixtures("one_torch_thread")

SERVER_PATH = re.compile(r"/tmp/|/work/|/root/|\.venv|site-packages")
ODD_LABELS = ("calm", '=HYPERLINK("x")', "$^{$ | # x")  # a spreadsheet formula, broken mathtext, Markdown
LIMITS = {"STUDIO_TRAIN_MAX_FOLDERS": 40, "STUDIO_TRAIN_MAX_DEPTH": 8, "STUDIO_TRAIN_MAX_CLASSES": 20,
          "STUDIO_VISITOR_DISK_MB": 5, "STUDIO_VISITOR_MAX_JOBS": 2, "STUDIO_TRAIN_MAX_QUEUE": 3,
          "STUDIO_TRAIN_MEMORY_MB": 6000, "STUDIO_TRAIN_MAX_EPOCHS": 100_000,
          "STUDIO_TRAIN_WORKERS": 1, "STUDIO_TRAIN_MAX_PER_SOURCE": 50}  # every visitor here is 127.0.0.1
MAX_GROWTH_MIB = 150


# ---------------------------------------------------------------- the server and its visitors


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("sharing")


@pytest.fixture(scope="module")
def models(root) -> Path:
    """The operator's models folder: a bean and a sentiment checkpoint of theirs."""
    folder = root / "models"
    make_tab_checkpoints(folder, accuracy=0.5, names=("beans-operator", "sst2-operator"))
    return folder


@pytest.fixture(scope="module")
def base_models(root) -> dict[str, Path]:
    return {"vit": make_tiny_vit(root / "base" / "tiny-vit"), "bert": make_tiny_bert_classifier(root / "base" / "bert")}


@pytest.fixture(scope="module")
def url(serve_app_for_module, models, base_models, root) -> str:
    return serve_app_for_module({
        "STUDIO_MODELS_DIR": models, "STUDIO_EXAMPLES_DIR": root / "no-examples", "STUDIO_LANG": "en", "OMP_NUM_THREADS": "1",
        "STUDIO_BEANS_MODEL": "", "STUDIO_SENTIMENT_MODEL": "",
        "STUDIO_BASE_MODELS": f"tiny-vit={base_models['vit']},tiny-bert={base_models['bert']}", **LIMITS})


def visitor(url: str, key: str | None = None) -> tuple[Client, str]:
    """A visitor's page: a client that presents its browser key (a new visitor gets one made)."""
    client = Client(url, verbose=False)
    return client, client.predict(key, api_name="/studio_visitor")


def explore(client: Client, path: Path, previous: str = "") -> tuple:
    return client.predict("upload", handle_file(str(path)), None, "", None, None, previous, api_name="/train_explore")


def start(client: Client, data_id: str, name: str, epochs=1, overwrite=False, baseline=False, base="op:tiny-vit",
          strategy="head"):
    return client.predict(data_id, base, strategy, epochs, None, name, overwrite, baseline, "", False,
                          api_name="/train_start")


def refused(call, *args, **kwargs) -> str:
    """The one-line message of the AppError `call` raises: no traceback, no server path."""
    with pytest.raises(AppError) as error:
        call(*args, **kwargs)
    message = str(error.value)
    assert "Traceback" not in message and not SERVER_PATH.search(message), message
    return message


def leaf(root: Path) -> Path:
    path = root / "leaf.png"
    if not path.exists():
        Image.new("RGB", (64, 64), (60, 160, 60)).save(path)
    return path


def picker_values(status: tuple) -> list[str]:
    return [value for _label, value in status[0]["choices"]]


def cancel_all(client: Client, job_ids) -> None:
    for job_id in job_ids:
        client.predict(job_id, api_name="/train_cancel")


# ---------------------------------------------------------------- 1, 2: visitors kept apart


@pytest.fixture(scope="module")
def trained(url, models, root):
    """Visitor A trains a run on labels chosen to break things (formula, mathtext, Markdown) and waits for it."""
    client, key = visitor(url)
    data = make_image_folder(root / "odd", classes=ODD_LABELS, per_split={"train": 4, "validation": 2}, size=16)
    data_id, summary, *_ = explore(client, zip_folder(data, root / "odd.zip"))
    view = start(client, data_id, "leaves")
    job = wait_for_job(models, view[0])
    return {"client": client, "key": key, "job_id": view[0], "job": job, "summary": summary, "start_view": view}


@pytest.mark.trains
def test_a_visitors_odd_labels_train_and_stay_text(trained):
    """Smaller items: a `$\\macro$` label (any mathtext matplotlib cannot parse: `$^{$`) crashed training at
    the confusion plot after all its work; labels rendered as Markdown."""
    assert trained["job"].status == "done", trained["job"]
    assert '=HYPERLINK("x")' in trained["summary"] and "\\$^{\\$ \\| \\# x" in trained["summary"]
    client = trained["client"]
    final = client.predict(trained["job_id"], api_name="/train_progress")
    assert "leaves" in final[1] and not SERVER_PATH.search(final[5]), final[5]  # log tail: no server path
    card = (owner_models_dir(os.environ["STUDIO_MODELS_DIR"], owner_id("v", trained["key"])) / "leaves" /
            "README.md").read_text()
    assert "\\$^{\\$ \\| \\# x" in card and "| $^{$ | # x |" not in card


@pytest.mark.trains
def test_a_visitors_model_is_theirs_and_never_the_default(trained, url, root, models):
    """Items 1 and 2: another visitor does not see, use, cancel, resume, overwrite or push A's run."""
    a, key = trained["client"], trained["key"]
    b, _key_b = visitor(url)
    # 1: A's picker offers A's run, but "automatic" stays the operator's model until A picks theirs
    mine = a.predict("", api_name="/beans_status")
    assert "leaves" in picker_values(mine) and mine[0]["value"] == ""
    assert "beans-operator" in a.predict(handle_file(str(leaf(root))), "", api_name="/classify_leaf")[1]
    assert "leaves" in a.predict(handle_file(str(leaf(root))), "leaves", api_name="/classify_leaf")[1]
    theirs = b.predict("", api_name="/beans_status")
    assert "leaves" not in picker_values(theirs) and "beans-operator" in theirs[1]
    assert "beans-operator" in b.predict(handle_file(str(leaf(root))), "", api_name="/classify_leaf")[1]
    refused(b.predict, handle_file(str(leaf(root))), "leaves", api_name="/classify_leaf")  # not B's to pick
    by_path = f".visitors/{owner_id('v', key)}/models/leaves"  # nor to load by its path in the playground
    answer = b.predict("image-classification", by_path, "", "", handle_file(str(leaf(root))), None,
                       api_name="/playground_run")
    assert not answer[0] and answer[-3].startswith("⚠️"), answer
    assert not (models / "leaves").exists()
    # 2: B's page load shows no run of A's; A's job id tells B nothing and cannot be cancelled or resumed
    assert "leaves" not in json.dumps(b.predict("", api_name="/train_status"))
    assert "leaves" not in json.dumps(b.predict(trained["job_id"], api_name="/train_progress"))
    b.predict(trained["job_id"], api_name="/train_cancel")
    assert "no training run of yours" in refused(b.predict, trained["job_id"], api_name="/train_resume")
    assert wait_for_job(models, trained["job_id"]).status == "done"
    assert "leaves" not in json.dumps(b.predict("image", api_name="/train_runs"))
    # B's draft can't delete A's: A explores, B names A's draft as its "previous" one
    data_id = explore(a, zip_folder(make_image_folder(root / "again", per_split={"train": 2}, size=16),
                                    root / "again.zip"))[0]
    refused(b.predict, "upload", None, None, "", None, None, data_id, api_name="/train_explore")
    assert (models / ".jobs" / data_id / "job.json").is_file()
    # a reload (a new page with the same browser key) is A again
    reloaded, same = visitor(url, key)
    assert same == key and "leaves" in reloaded.predict("", api_name="/train_status")[1]
    # B's "leaves" is B's own: no "exists, tick Overwrite", and A's checkpoint is untouched
    run = owner_models_dir(models, owner_id("v", key)) / "leaves" / "config.json"
    written = run.stat().st_mtime_ns
    b_data = explore(b, zip_folder(make_image_folder(root / "b", per_split={"train": 2, "validation": 1}, size=16),
                                   root / "b.zip"))[0]
    b_job = start(b, b_data, "leaves", overwrite=True)[0]
    cancel_all(b, [b_job])
    assert run.stat().st_mtime_ns == written


@pytest.mark.trains
def test_the_operator_promotes_a_visitors_run(trained, url, models):
    """The operator decides the defaults: `python -m training promote` makes A's run theirs."""
    from training.__main__ import main as training_main

    owner = owner_id("v", trained["key"])
    assert training_main(["visitors", "--models-dir", str(models)]) == 0
    assert training_main(["promote", "--owner", owner, "--name", "leaves", "--as-name", "promoted-leaves",
                          "--models-dir", str(models)]) == 0
    b, _ = visitor(url)
    assert "promoted-leaves" in picker_values(b.predict("", api_name="/beans_status"))
    assert training_main(["promote", "--owner", owner, "--name", "nothing", "--models-dir", str(models)]) == 2


@pytest.mark.trains
def test_push_uses_only_the_visitors_own_runs(trained, url):
    """Item 2: pushing another visitor's checkpoint (by its name) finds no checkpoint."""
    b, _ = visitor(url)
    message = refused(b.predict, "leaves", "someone/leaves", "hf_not_a_token", False, api_name="/train_push")
    assert "checkpoint" in message.lower()


# ---------------------------------------------------------------- 4, 5: jobs bounded, two servers


@pytest.mark.trains
def test_jobs_per_visitor_and_the_queue_are_bounded(trained, url, root):
    """Item 4: 30 train_start calls in 4 s were all accepted; now 1 running + 1 queued per visitor, and a
    bounded queue for everyone."""
    zipped = zip_folder(make_image_folder(root / "spam", per_split={"train": 2, "validation": 1}, size=16),
                        root / "spam.zip")
    spammer, _ = visitor(url)
    data_id = explore(spammer, zipped)[0]
    accepted = [start(spammer, data_id, f"spam-{i}", epochs=20)[0] for i in range(2)]
    assert "You already have 2 training runs" in refused(start, spammer, data_id, "spam-2")
    others = []
    try:
        for _ in range(3):
            other, _ = visitor(url)
            others.append((other, start(other, explore(other, zipped)[0], "other", epochs=20)[0]))
    except AppError as error:
        assert "queue is full" in str(error)
    else:
        pytest.fail("the queue of 3 took a 4th job")
    finally:
        cancel_all(spammer, accepted)
        for other, job_id in others:
            cancel_all(other, [job_id])


@pytest.mark.trains
def test_a_second_server_leaves_the_first_ones_job_alone(trained, url, models, root):
    """Item 5: a second server on the same models folder marked the first one's running job interrupted
    and killed it. Item 9: the training child runs under the memory limit."""
    client, _ = visitor(url)
    zipped = zip_folder(make_image_folder(root / "long", per_split={"train": 4, "validation": 2}, size=16),
                        root / "long.zip")
    # far longer than building a second server on a busy machine (a warm worker starts it at once)
    job_id = start(client, explore(client, zipped)[0], "long", epochs=100_000, strategy="full")[0]
    try:
        deadline = time.time() + 60
        while (job := json.loads((models / ".jobs" / job_id / "job.json").read_text())).get("status") != "running":
            assert time.time() < deadline, job
            time.sleep(0.5)
        limits = Path(f"/proc/{job['pid']}/limits").read_text()
        assert re.search(rf"Max address space\s+{LIMITS['STUDIO_TRAIN_MEMORY_MB'] * 2**20}\s", limits), limits
        env = {**os.environ, "STUDIO_MODELS_DIR": str(models), "PYTHONPATH": str(REPO_ROOT)}
        second = subprocess.run([sys.executable, "-c", "import app; app.build_demo(); print('second server built')"],
                                env=env, capture_output=True, text=True, timeout=240)
        assert "second server built" in second.stdout, second.stderr[-2000:]
        after = json.loads((models / ".jobs" / job_id / "job.json").read_text())
        assert after["status"] == "running" and after["pid"] == job["pid"] and after.get("message") is None, after
        assert os.path.exists(f"/proc/{job['pid']}")
    finally:
        cancel_all(client, [job_id])


# ---------------------------------------------------------------- 6-9: uploads bounded


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def png_bytes(colour=(0, 0, 0), size=8) -> bytes:
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, "PNG")
    return buffer.getvalue()


def patched_zip(path: Path, flag: int | None = None, method: int | None = None) -> Path:
    """A zip whose every member claims encryption (flag bit 0) or another compression method (9: Deflate64),
    in both the local headers and the central directory, as such zips come from other tools."""
    data = bytearray(path.read_bytes())
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if flag is not None:
                struct.pack_into("<H", data, start + flag_at, struct.unpack_from("<H", data, start + flag_at)[0] | flag)
            if method is not None:
                struct.pack_into("<H", data, start + method_at, method)
            start += 4
    path.write_bytes(bytes(data))
    return path


def job_folders(models: Path) -> set[str]:
    return {p.name for p in (models / ".jobs").iterdir() if not p.name.startswith(".")}


def test_zips_of_odd_shapes_are_refused_before_extracting(url, models, root):
    """Item 6 (folders 1,500 deep broke rmtree and then every start-up; 20,000 folders in 2 s) and the
    encrypted / Deflate64 members (Python's raw error, an orphan folder)."""
    client, _ = visitor(url)
    tiny = png_bytes()
    deep = write_zip(root / "deep.zip", {"a/" * 9 + f"{c}/x.png": tiny for c in ("one", "two")})
    wide = write_zip(root / "wide.zip", {f"{c}/{i}/x.png": tiny for c in ("one", "two") for i in range(20)})
    locked = patched_zip(write_zip(root / "locked.zip", {f"{c}/x.png": tiny for c in ("one", "two")}), flag=0x1)
    deflate64 = patched_zip(write_zip(root / "d64.zip", {f"{c}/x.png": tiny for c in ("one", "two")}), method=9)
    before = job_folders(models)
    assert "nests folders 10 levels deep" in refused(explore, client, deep)
    assert "folders (at most 40)" in refused(explore, client, wide)
    assert "password-protected" in refused(explore, client, locked)
    assert "Deflate64" in refused(explore, client, deflate64)
    assert job_folders(models) == before  # nothing extracted, no orphan folder


def test_a_visitors_disk_is_bounded(url, models, root):
    """Item 7: 5.7 MB of zero-filled "photos" kept +495 MB per request; now a quota per visitor."""
    client, _ = visitor(url)
    rng = np.random.default_rng(0)
    filler = bytes(900_000) + rng.integers(0, 255, 20_000, dtype=np.uint8).tobytes()  # ratio ~40: not a bomb
    zipped = write_zip(root / "zeros.zip", {f"{c}/{i}.png": filler for c in ("one", "two") for i in range(3)})
    before = job_folders(models)
    message = refused(explore, client, zipped)
    assert "your limit is 5 MB" in message, message
    assert job_folders(models) == before


def test_old_drafts_and_visitor_runs_expire_while_the_server_runs(serve_app, tmp_path, base_models):
    """Item 7: drafts were only removed at start-up; now a sweep removes old drafts and visitors' runs."""
    models = tmp_path / "models"
    old_run = make_tiny_vit(owner_models_dir(models, owner_id("v", "k" * 40)) / "old-run")
    (old_run / "metrics.json").write_text(json.dumps({"task": "image-classification", "name": "old-run",
                                                      "label_names": list(LEAF_CLASSES), "splits": {}}))
    os.utime(old_run, (time.time() - 3 * 86400, time.time() - 3 * 86400))
    url = serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_EXAMPLES_DIR": tmp_path / "no-examples",
                     "STUDIO_LANG": "en", "STUDIO_DRAFT_HOURS": 0.001,
                     "STUDIO_VISITOR_RUN_DAYS": 1, "STUDIO_SWEEP_SECONDS": 1, "STUDIO_BEANS_MODEL": "",
                     "STUDIO_BASE_MODELS": f"tiny-vit={base_models['vit']}"})
    client, _ = visitor(url)
    folder = make_image_folder(tmp_path / "data", per_split={"train": 2}, size=16)
    data_id = explore(client, zip_folder(folder, tmp_path / "data.zip"))[0]
    deadline = time.time() + 30
    while (models / ".jobs" / data_id).exists() or old_run.exists():
        assert time.time() < deadline, "the draft or the old visitor run was not removed"
        time.sleep(0.5)


@pytest.mark.trains
def test_too_many_classes_are_refused_and_a_huge_saved_image_breaks_no_page(trained, url, models, root):
    """Item 8: 150 classes made a 13,800 px confusion matrix that then failed every page load
    (DecompressionBombError); now a class cap, a bounded plot, and saved pictures opened with the guard."""
    client, _ = visitor(url)
    many = write_zip(root / "classes.zip", {f"c{k}/{i}.png": png_bytes((k * 10, i, 0))
                                            for k in range(21) for i in range(2)})
    data_id, summary, *_ = explore(client, many)
    assert "21 classes (at most 20" in summary
    assert "problems that prevent training" in refused(start, client, data_id, "too-many")
    # a confusion matrix far over the pixel cap where A's run keeps its own: A's page still loads
    run = owner_models_dir(models, owner_id("v", trained["key"])) / "leaves"
    blank_png(run / "confusion_matrix.png", 13_800, 13_700)
    with PeakRSS() as rss:
        status = trained["client"].predict("", api_name="/train_status")
        beans = trained["client"].predict("leaves", api_name="/beans_status")
    assert "leaves" in status[1] and "leaves" in beans[1]
    shown = status[8]["value"]  # the matrix redrawn from metrics.json in the user's language, or none at all
    if shown is not None:
        with Image.open(shown if isinstance(shown, str) else shown["path"]) as picture:
            assert max(picture.size) <= 2100, picture.size  # never the 13,800 px file
    assert rss.growth_mib < MAX_GROWTH_MIB


def test_the_confusion_plot_is_bounded_whatever_the_class_count(tmp_path):
    from training.outputs.metrics import plot_confusion_matrix

    names = [f"$\\macro{i}$" for i in range(150)]
    path = plot_confusion_matrix([[1] * 150] * 150, names, tmp_path / "cm.png", "150 classes")
    with Image.open(path) as image:
        assert max(image.size) <= 2100


def test_long_strips_are_shrunk_when_loaded(tmp_path):
    """Item 9: 8940x447 pictures were kept decoded at full size (2.6 GB for 120); now a strip is scaled to
    what the model needs when it is loaded (training decodes through the same function)."""
    from contract.images import MAX_SHRUNK_AREA, open_rgb

    Image.new("RGB", (8940, 447), (10, 200, 10)).save(tmp_path / "strip.png")
    picture = open_rgb(tmp_path / "strip.png", 40_000_000, 224)
    assert picture.size[0] * picture.size[1] <= MAX_SHRUNK_AREA * 224 * 224
    assert picture.size[0] / picture.size[1] == pytest.approx(8940 / 447, rel=0.02)


# ---------------------------------------------------------------- 10-12: answers bounded


def eob_scans_jpeg(path: Path, side: int, scans: int) -> Path:
    """A real progressive JPEG followed by `scans` AC scans that skip every block with end-of-band runs: a
    few bytes each, each a full pass over the picture's blocks when decoded (20,000 cost a minute)."""
    import io

    buffer = io.BytesIO()
    Image.new("L", (side, side), 128).save(buffer, "JPEG", progressive=True, quality=50)
    table = bytes([0x11]) + bytes([0, 0, 0, 15] + [0] * 12) + bytes(n << 4 for n in range(15))  # EOB0..EOB14
    bits, blocks = "", ((side + 7) // 8) ** 2
    while blocks > 0:
        run = min(blocks, 32767)
        n = run.bit_length() - 1
        bits += format(n, "04b") + (format(run - (1 << n), f"0{n}b") if n else "")
        blocks -= run
    bits += "1" * (-len(bits) % 8)
    payload = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8)).replace(b"\xff", b"\xff\x00")
    header = bytes([1, 1, 0x01, 1, 63, 0])
    scan = b"\xff\xda" + struct.pack(">H", 2 + len(header)) + header + payload
    path.write_bytes(buffer.getvalue()[:-2] + b"\xff\xc4" + struct.pack(">H", 2 + len(table)) + table
                     + scan * scans + b"\xff\xd9")
    return path


def deep_png(path: Path, side: int) -> Path:
    """A 16-bit grayscale PNG of `side` x `side`, all zeros: ~70 KB on disk at 6000 px."""
    compressor, row = zlib.compressobj(9), b"\x00" * (2 * side + 1)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 16, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data)
                     + png_chunk(b"IEND", b""))
    return path


def test_deep_pictures_count_their_bit_depth(url, tmp_path):
    """Item 10: a 16-bit 6000x6000 PNG (70 KB) cost +863 MB per request (float64 copies)."""
    client, _ = visitor(url)
    png16 = deep_png(tmp_path / "deep.png", 6000)
    float_tiff = tmp_path / "float.tif"
    Image.new("F", (5000, 5000), 0.25).save(float_tiff, compression="tiff_deflate")
    with PeakRSS() as rss:
        assert "6000×6000 × 16 bits" in refused(client.predict, handle_file(str(png16)), "", api_name="/classify_leaf")
        assert "5000×5000 × 32 bits" in refused(client.predict, handle_file(str(float_tiff)), "",
                                                api_name="/classify_leaf")
    assert rss.growth_mib < MAX_GROWTH_MIB, rss.growth_mib
    fine = deep_png(tmp_path / "fine.png", 300)
    assert len(client.predict(handle_file(str(fine)), "", api_name="/classify_leaf")[0]["confidences"]) == 3


def test_a_jpeg_of_many_scans_is_refused_before_decoding(url, tmp_path):
    """Item 11: a progressive JPEG of 20,000 tiny scans (1.3 MB) cost 59 s of server CPU."""
    client, _ = visitor(url)
    message = refused(client.predict, handle_file(str(eob_scans_jpeg(tmp_path / "scans.jpg", 512, 150))), "",
                      api_name="/classify_leaf")
    assert "156 scans (at most 100)" in message, message


def test_a_long_text_is_cut_before_any_work(url):
    """Item 12: a 10 MB text cost 8.8 s to predict and 27 s + 1.37 GB to explain: it was cut only after
    cleaning, language detection and explanation."""
    client, _ = visitor(url)
    text = "a truly wonderful film. " * 20_000  # 480 KB: far past what the model reads
    with PeakRSS() as rss:
        label, answered = client.predict(text, "", api_name="/predict_sentiment")
        words, _note = client.predict(text, "", api_name="/explain_sentiment")
    assert len(label["confidences"]) == 2 and "sst2-operator" in answered
    assert sum(len(entry["token"]) for entry in words) <= 5_200
    assert rss.growth_mib < MAX_GROWTH_MIB, rss.growth_mib


# ---------------------------------------------------------------- smaller items


def test_csv_cells_are_spreadsheet_safe(url):
    client, _ = visitor(url)
    _table, download, _note = client.predict("=HYPERLINK(\"http://x\")\n@SUM(1)\nplain text", "",
                                             api_name="/predict_sentiment_batch")
    written = Path(download).read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in written and "'@SUM" in written
    assert not re.search(r"(^|[,;])[=@+-]", written, re.M)


@pytest.mark.trains
def test_the_same_command_is_shell_quoted_and_names_stay_distinct(url, root, models):
    """A column named `$(touch${IFS}x)` ran when the command was pasted; a 96-character name with the
    baseline box gave both runs the same name."""
    client, _ = visitor(url)
    table = root / "odd-columns.csv"
    table.write_text("$(touch${IFS}x),label\n" + "".join(f"text {i} good,pos\ntext {i} bad,neg\n" for i in range(6)))
    data_id = client.predict("upload", handle_file(str(table)), None, "", "$(touch${IFS}x)", "label", "",
                             api_name="/train_explore")[0]
    name = "n" * 96
    view = start(client, data_id, name, baseline=True, base="op:tiny-bert")
    try:
        command = view[6]
        assert "'$(touch${IFS}x)'" in command
        assert "$(touch${IFS}x)" in shlex.split(command.replace("\\\n", " "))
        names = {json.loads(p.read_text())["name"] for p in (models / ".jobs").glob("*/job.json")
                 if json.loads(p.read_text()).get("data_from") == data_id}
        assert len(names) == 2 and name in names and all(len(n) <= 96 for n in names), names
    finally:
        ids = [json.loads(p.read_text())["id"] for p in (models / ".jobs").glob("*/job.json")
               if json.loads(p.read_text()).get("data_from") == data_id]
        cancel_all(client, ids)


def test_text_data_faults_are_one_clear_line(url, tmp_path):
    """JSON nested 200,000 deep was a raw RecursionError; a 50 MB JSONL line came back whole."""
    client, _ = visitor(url)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    message = refused(client.predict, "upload", handle_file(str(deep)), None, "", None, None, "",
                      api_name="/train_explore")
    assert "recursion" not in message.lower() and "nested too deeply" in message, message
    long_line = tmp_path / "long.jsonl"
    rows = [{"text": "x" * 200_000, "label": "a"}] + [{"text": f"row {i}", "label": "ab"[i % 2]} for i in range(9)]
    long_line.write_text("\n".join(json.dumps(row) for row in rows))
    samples = client.predict("upload", handle_file(str(long_line)), None, "", None, None, "",
                             api_name="/train_explore")[4]
    rows = samples["value"]["data"]
    assert rows and max(len(str(row[1])) for row in rows) <= 500


@pytest.mark.trains
def test_the_visitor_key_is_never_written_to_disk(trained, models):
    key = trained["key"]
    found = subprocess.run(["grep", "-rl", key, str(models)], capture_output=True, text=True)
    assert found.stdout == "", found.stdout
    assert secrets.compare_digest(owner_id("v", key), owner_id("v", key))


def test_a_killed_trainer_and_an_orphan_folder_are_told_and_cleaned(tmp_path):
    """kill -9 mid-save said "out of memory?"; a server killed mid-extraction left a folder forever."""
    from studio.train.jobs import failure_message, jobs_root, sweep

    assert failure_message("saving…\n", -9) == ["share.killed", {"signal": "SIGKILL"}]
    assert failure_message("error: no data\n", 2)[0] == "train.job.cli_error"
    orphan = jobs_root(tmp_path) / "20260101-000000-abcdef" / "upload" / "one"
    orphan.mkdir(parents=True)
    fresh = jobs_root(tmp_path) / "20260101-000001-abcdef" / "upload"
    fresh.mkdir(parents=True)
    old = time.time() - 2 * 3600
    os.utime(orphan.parent.parent, (old, old))
    sweep(tmp_path)
    assert not orphan.parent.parent.exists() and fresh.exists()  # one being extracted right now stays
