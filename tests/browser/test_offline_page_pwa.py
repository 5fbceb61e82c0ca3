"""The offline page served over http (a static host): its service worker caches every file, so with the
network then cut the page reloads and still classifies (the PWA path; file:// is
tests/browser/test_offline_page.py)."""

from __future__ import annotations

import functools
import http.server
import json
import threading

import pytest

from contract.offline_page import build_offline_page
from tests.conftest import ARTIFACTS
from tests.support.tiny_offline import tiny_onnx_checkpoint
from tests.support.tiny_trained import patch_image

pytestmark = [pytest.mark.browser, pytest.mark.serves]


@pytest.fixture
def static_host(tmp_path, web_runtime):
    page = build_offline_page(tiny_onnx_checkpoint(tmp_path / "leaves"), tmp_path / "site")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(page))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def test_served_over_http_the_page_installs_and_works_with_the_network_cut(static_host, chromium_browser, tmp_path):
    patch_image(size=(64, 48)).save(tmp_path / "leaf.png")
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(static_host)
    page.wait_for_selector("body[data-ready=true]")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    manifest = page.evaluate("fetch('manifest.webmanifest').then(r => r.json())")
    assert manifest["display"] == "standalone" and manifest["start_url"] == "index.html"

    context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.set_input_files("#pick", str(tmp_path / "leaf.png"))
    page.wait_for_function("document.getElementById('answer').dataset.probabilities")
    probabilities = json.loads(page.eval_on_selector("#answer", "list => list.dataset.probabilities"))
    page.screenshot(path=str(ARTIFACTS / "offline_page_pwa.png"))
    assert sum(probabilities) == pytest.approx(1, abs=1e-4) and len(probabilities) == 3
    assert page.text_content("#title") == "Offline classifier"  # the browser's language: English
    context.close()
