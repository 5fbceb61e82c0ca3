"""Every request body bounded at the HTTP layer, before Gradio reads it (issue 28, items 5 and 6).

Gradio parses a JSON body whole before any handler runs (60 MB to /predict_sentiment_batch: +724 MB of
RSS), and its upload route takes any file up to launch's max_file_size from anyone, as often as they
like. This ASGI middleware (`launch(app_kwargs={"middleware": ...})`) caps each body by route, from its
Content-Length header and again while it streams: uploads at config.upload_cap() (the largest file any
tab accepts), an hourly quota per client and a bound on the bytes streaming at once; MCP calls at an image as a data: URL;
every other POST at config.max_body(). A refusal is one JSON line in the server's language.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict

from starlette.middleware import Middleware

from studio import config
from studio.i18n import t

QUOTA_WINDOW_S = 3600
MAX_CLIENTS = 10_000  # clients whose upload bytes are remembered (least recent forgotten)
BODY_METHODS = {"POST", "PUT", "PATCH"}


def megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


class UploadLedger:
    """Bytes each client uploaded in the last hour, and the declared bytes of the uploads streaming now."""

    def __init__(self):
        self.lock = threading.Lock()
        self.used: OrderedDict[str, list[tuple[float, int]]] = OrderedDict()
        self.streaming = 0  # bytes

    def recent(self, client: str, now: float) -> int:
        entries = [(when, size) for when, size in self.used.get(client, []) if now - when < QUOTA_WINDOW_S]
        self.used[client] = entries
        self.used.move_to_end(client)
        while len(self.used) > MAX_CLIENTS:
            self.used.popitem(last=False)
        return sum(size for _when, size in entries)

    def begin(self, client: str, declared: int) -> str | None:
        """None when this upload may start (then `end` must follow), else the refusal's message."""
        with self.lock:
            used = self.recent(client, time.time())
            if used + declared > config.upload_quota():
                return t("budget.upload_quota", used=megabytes(used), limit=megabytes(config.upload_quota()))
            if self.streaming and self.streaming + declared > config.uploads_in_flight():
                return t("budget.uploads_busy")
            self.streaming += declared
            return None

    def end(self, client: str, declared: int, received: int) -> None:
        with self.lock:
            self.streaming -= declared
            self.used.setdefault(client, []).append((time.time(), received))



def body_cap(path: str) -> int:
    if path.endswith("/gradio_api/upload"):
        return config.upload_cap()
    if "/gradio_api/mcp" in path:
        return config.mcp_max_body()
    return config.max_body()


async def refuse(send, status: int, message: str) -> None:
    body = json.dumps({"error": message}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """ASGI middleware: the caps above, on every POST/PUT/PATCH."""

    def __init__(self, app):
        self.app = app
        self.ledger = UploadLedger()  # one per server

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            return await self.app(scope, receive, send)
        cap, path = body_cap(scope["path"]), scope["path"]
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"")
        declared = int(declared) if declared.isdigit() else 0
        if declared > cap:
            return await refuse(send, 413, t("budget.body", size=megabytes(declared), limit=megabytes(cap)))
        if not path.endswith("/gradio_api/upload"):
            return await self.app(scope, capped(receive, cap, [0]), send)
        client = (scope.get("client") or ("?", 0))[0]
        declared = declared or cap  # a body without its length counts as the largest one
        refusal = self.ledger.begin(client, declared)
        if refusal:
            return await refuse(send, 429, refusal)
        received = [0]
        try:
            await self.app(scope, capped(receive, cap, received), send)
        finally:
            self.ledger.end(client, declared, received[0])


def capped(receive, cap: int, received: list[int]):
    """`receive` that ends the request (a disconnect, as if the client left) once the body passes `cap`."""

    async def bounded():
        message = await receive()
        if message["type"] == "http.request":
            received[0] += len(message.get("body", b""))
            if received[0] > cap:
                return {"type": "http.disconnect"}
        return message

    return bounded


def middleware() -> list[Middleware]:
    return [Middleware(RequestLimits)]
