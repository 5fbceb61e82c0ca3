"""Which of the app's events are MCP tools, and under which names.

Gradio 6 makes every public API endpoint an MCP tool named after its Python function, and has no per-event
switch: `api_visibility="undocumented"` would take an event off the API page too (the README and its
clients use them). So the app keeps the MCP server's tool table to MCP_TOOLS when the server starts (a
lifespan hook, before any request): the tools are listed and callable, every other event is neither,
however it is added later. A tool's description is its event's api_description, its typed arguments are
its event's components (an image: a file upload or a URL, as Gradio's MCP server takes them).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

# MCP tool name -> api_name of the event it runs
MCP_TOOLS = {
    "classify_bean_leaf": "classify_leaf",
    "classify_sentiment": "predict_sentiment",
    "classify_sentiment_batch": "predict_sentiment_batch",
    "run_pipeline": "playground_run",
}
MCP_PATH = "/gradio_api/mcp/"


def keep_studio_tools(server: Any) -> dict[str, str]:
    """Set the MCP server's tool table (tool name -> endpoint) to MCP_TOOLS' events that exist in this app."""
    named = server.api_info.get("named_endpoints", {})
    server.tool_to_endpoint = {server.tool_prefix + tool: f"/{api_name}" for tool, api_name in MCP_TOOLS.items()
                               if f"/{api_name}" in named}
    return server.tool_to_endpoint


@contextlib.asynccontextmanager
async def studio_tools_only(app: Any) -> AsyncIterator[None]:
    """Lifespan hook: runs once the MCP server exists, before the server answers anything."""
    server = getattr(app.get_blocks(), "mcp_server_obj", None)
    if server is not None:
        keep_studio_tools(server)
    yield


def mcp_launch_kwargs(middleware: list | None = None) -> dict[str, Any]:
    """launch() arguments that serve the MCP endpoint with the studio's tools only (and the web app's
    `middleware`, which shares the same app arguments)."""
    return {"mcp_server": True, "app_kwargs": {"lifespan": studio_tools_only, "middleware": middleware or []}}
