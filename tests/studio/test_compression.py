"""Which responses app.py compresses (studio/compression.py): the page and its assets, nothing that streams,
uploads or serves the MCP endpoint."""

from __future__ import annotations

import pytest

from studio.compression import is_page_request


@pytest.mark.parametrize("method,path,compressed", [
    ("GET", "/", True), ("GET", "/assets/index-x.js", True), ("GET", "/config", True),
    ("GET", "/gradio_api/mcp/", False), ("POST", "/gradio_api/upload", False),
    ("GET", "/gradio_api/queue/data", False), ("GET", "/gradio_api/file=/tmp/x.png", False), ("POST", "/", False),
])
def test_only_the_page_and_its_assets_are_compressed(method, path, compressed):
    assert is_page_request({"type": "http", "method": method, "path": path}) is compressed
    assert not is_page_request({"type": "websocket", "path": path})
