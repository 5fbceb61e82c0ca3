"""The MCP endpoint's landing page (what a browser opening /gradio_api/mcp/ gets) names this server, never a
host a request claims.

Gradio builds that page's "paste this URL into your MCP client" from X-Forwarded-Host and X-Forwarded-Proto,
so a request carrying `X-Forwarded-Host: evil.example` got a page (and any cache in front of it) telling
people to connect their agents to evil.example. For requests under the MCP path those headers are dropped;
on a Space the host is the Space's own (SPACE_HOST, set by Spaces) over https. (Uvicorn itself turns
X-Forwarded-Proto from a loopback peer into the request's scheme before any middleware: http or https only.)
"""

from __future__ import annotations

import os
from typing import Any

MCP_PREFIX = "/gradio_api/mcp"
CLAIMED = (b"x-forwarded-host", b"x-forwarded-proto")


def own_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The request's headers without the claimed host and scheme; on a Space, its own host over https."""
    kept = [(name, value) for name, value in headers if name.lower() not in CLAIMED]
    space_host = os.environ.get("SPACE_HOST", "").split(",")[0].strip()
    if space_host:
        kept = [(name, value) for name, value in kept if name.lower() != b"host"]
        kept += [(b"host", space_host.encode("latin-1")), (b"x-forwarded-proto", b"https")]
    return kept


class OwnHostOnly:
    """ASGI middleware: requests under the MCP path reach Gradio with `own_headers`."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and scope.get("path", "").startswith(MCP_PREFIX):
            scope = {**scope, "headers": own_headers(list(scope.get("headers") or []))}
        await self.app(scope, receive, send)
