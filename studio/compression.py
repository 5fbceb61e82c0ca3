"""The page and its assets gzipped (ASGI middleware, app.py): Gradio sends the page's whole config and API
description inside the HTML, 0.4 MB of JSON that compresses tenfold (bench/page_weight.py).

Only GET requests for the page, its config and its static files: event streams, uploads, file downloads and
the MCP endpoint (whose requests back to the app failed on compressed answers) pass untouched.
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

COMPRESSED_PATHS = ("/assets/", "/static/", "/config", "/gradio_api/info", "/theme.css")
MIN_BYTES = 1024


class PageCompression:
    def __init__(self, app: ASGIApp):
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=MIN_BYTES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_page_request(scope):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def is_page_request(scope: Scope) -> bool:
    """The page itself (`/`, `/?...`) or one of COMPRESSED_PATHS, asked with GET."""
    if scope["type"] != "http" or scope.get("method") != "GET":
        return False
    path = scope.get("path", "")
    return path in ("", "/") or path.startswith(COMPRESSED_PATHS)
