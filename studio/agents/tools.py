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
# Gradio types a Dropdown filled on page load by its choices at start (none: `enum []`, which refuses every
# model) and makes every argument without a default required (an image and an audio for a text task). Per
# tool: the arguments that may be left out, and the value each takes then.
OPTIONAL_ARGUMENTS = {"run_pipeline": {"model": "", "text": "", "text2": "", "image": None, "audio": None}}


def keep_studio_tools(server: Any) -> dict[str, str]:
    """Set the MCP server's tool table (tool name -> endpoint) to MCP_TOOLS' events that exist in this app."""
    named = server.api_info.get("named_endpoints", {})
    server.tool_to_endpoint = {server.tool_prefix + tool: f"/{api_name}" for tool, api_name in MCP_TOOLS.items()
                               if f"/{api_name}" in named}
    for tool, optional in OPTIONAL_ARGUMENTS.items():
        loosen_arguments(named.get(f"/{MCP_TOOLS[tool]}", {}).get("parameters", []), optional)
    return server.tool_to_endpoint


def loosen_arguments(parameters: list[dict[str, Any]], optional: dict[str, Any]) -> None:
    """Edit the MCP server's own copy of an event's parameters (its tool schema and the defaults it fills
    in): no empty enum, and the `optional` ones not required."""
    for parameter in parameters:
        if parameter["type"].get("enum") == []:
            parameter["type"] = {key: value for key, value in parameter["type"].items() if key != "enum"}
        name = parameter["parameter_name"]
        if name in optional:
            parameter.update(parameter_has_default=True, parameter_default=optional[name])


@contextlib.asynccontextmanager
async def studio_tools_only(app: Any) -> AsyncIterator[None]:
    """Lifespan hook: runs once the MCP server exists, before the server answers anything."""
    server = getattr(app.get_blocks(), "mcp_server_obj", None)
    if server is not None:
        keep_studio_tools(server)
    yield


def mcp_launch_kwargs() -> dict[str, Any]:
    """launch() arguments that serve the MCP endpoint with the studio's tools only, its landing page naming
    this server (studio/agents/landing.py)."""
    from starlette.middleware import Middleware

    from studio.agents.landing import OwnHostOnly

    return {"mcp_server": True, "app_kwargs": {"lifespan": studio_tools_only, "middleware": [Middleware(OwnHostOnly)]}}
