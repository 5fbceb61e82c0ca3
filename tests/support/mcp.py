"""An MCP client session on the served app (the real `mcp` SDK), for the tests that call its tools."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from studio.agents.tools import MCP_PATH


def mcp_session(url: str, work):
    """Run `work(session)` in an initialised MCP client session on the app's streamable-HTTP endpoint."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async def run():
        async with (streamablehttp_client(url + MCP_PATH, timeout=60, sse_read_timeout=120) as (read, write, _),
                    ClientSession(read, write) as session):
            await session.initialize()
            return await work(session)

    # In a thread of its own: the browser tests' Playwright (sync API) keeps an event loop running in the
    # main thread for the whole session, where asyncio.run() refuses to start another.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(run(), 180)).result()


def texts(result) -> str:
    assert not result.isError, result.content
    return "\n".join(part.text for part in result.content if getattr(part, "text", None))
