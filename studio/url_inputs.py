"""Files given as URLs (an MCP client's image, any FileData URL) fetched with a size cap enforced while
the body streams and one deadline for the whole download (issue 28, item 4).

Gradio 6.31 fetches them in `processing_utils.async_ssrf_protected_download`: safehttpx's `get` reads the
whole body into memory (a 500 MB URL: +1 GB RSS) and only then writes it to the cache, before any of our
size checks; a URL that sends a byte a second holds its event's slot for as long as it likes. `install`
puts `bounded_download` in its place: the same SSRF checks (public addresses only, each redirect checked
again), but the body goes to a temporary file chunk by chunk, stops at the cap or the deadline, and only
a whole body is renamed into the cache (a failed one leaves nothing behind, not even for the same URL).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from urllib.parse import urljoin, urlparse

import gradio as gr
import httpx
import safehttpx
from gradio import processing_utils
from gradio_client import utils as client_utils

from studio import config
from studio.i18n import t

MAX_REDIRECTS = 5


def _refused(key: str, **fields) -> gr.Error:
    return gr.Error(t(key, **fields), print_exception=False)


async def _transport(url: str) -> httpx.AsyncBaseTransport | None:
    """What safehttpx.get would use: none for the Hub's own hosts, else a transport pinned to the checked
    public address of the URL's host (a private, loopback or link-local address is refused)."""
    host = httpx.URL(url).host
    if not host:
        raise _refused("budget.url.failed", status="—")
    if safehttpx.matches_domain_whitelist(host, processing_utils.PUBLIC_HOSTNAME_WHITELIST):
        return None
    try:
        return safehttpx.AsyncSecureTransport(await safehttpx.async_validate_url(host))
    except ValueError:
        raise _refused("budget.url.failed", status="—") from None


async def _stream_to(url: str, target: Path, cap: int) -> None:
    for _ in range(MAX_REDIRECTS + 1):
        async with (httpx.AsyncClient(transport=await _transport(url)) as client,
                    client.stream("GET", url, follow_redirects=False) as response):
            if response.has_redirect_location:
                url = urljoin(str(response.url), response.headers["Location"])
                continue
            if response.status_code != 200:
                raise _refused("budget.url.failed", status=response.status_code)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise _refused("budget.url.too_large", limit=config.max_file_size())
            written = 0
            with target.open("wb") as file:
                async for chunk in response.aiter_raw():
                    written += len(chunk)
                    if written > cap:
                        raise _refused("budget.url.too_large", limit=config.max_file_size())
                    file.write(chunk)
            return
    raise _refused("budget.url.failed", status="redirects")


async def bounded_download(url: str, cache_dir: str) -> str:
    """Gradio's download of a URL input into its cache, bounded in size and in time (same signature)."""
    folder = Path(cache_dir) / processing_utils.hash_url(url)
    folder.mkdir(parents=True, exist_ok=True)
    name = client_utils.strip_invalid_filename_characters(Path(urlparse(url).path.rstrip("/")).name) or "file"
    final = Path(os.path.abspath(folder / name))
    if final.exists():
        return str(final)
    partial = final.with_name(f".{final.name}.{os.getpid()}-{id(asyncio.current_task())}.part")
    deadline = config.url_deadline_s()
    try:
        async with asyncio.timeout(deadline):
            await _stream_to(url, partial, config.size_bytes(config.max_file_size()))
        partial.replace(final)
    except TimeoutError:
        raise _refused("budget.url.slow", seconds=f"{deadline:g}") from None
    except httpx.HTTPError:
        raise _refused("budget.url.failed", status="—") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return str(final)


def install() -> None:
    """Every URL input of this process (Blocks.async_move_resource_to_block_cache) goes through bounded_download."""
    processing_utils.async_ssrf_protected_download = bounded_download
