"""A killed upload leaves no partial file.

Gradio 6.31's upload route streams each file of a multipart body into a temporary file in its upload folder
and removes them when the body is malformed or too large, but not when the client goes away mid-body (a
closed tab, a killed script, a dropped connection: starlette raises ClientDisconnect), so every cut upload
left its bytes on disk until the hourly cache clean-up. `install()` wraps the parser so that any ending
other than a parsed body removes the files it started.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from gradio import route_utils


def install() -> None:
    """Wrap gradio's multipart parser once (idempotent)."""
    parser = route_utils.GradioMultiPartParser
    if getattr(parser.parse, "removes_partial_files", False):
        return
    parse = parser.parse

    @functools.wraps(parse)
    async def parse_or_remove(self: Any) -> Any:
        try:
            return await parse(self)
        except BaseException:
            for file in getattr(self, "_files_to_close_on_error", []):
                file.close()
                Path(file.name).unlink(missing_ok=True)
            raise

    parse_or_remove.removes_partial_files = True
    parser.parse = parse_or_remove
