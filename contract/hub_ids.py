"""What a Hugging Face Hub repo id looks like (`name` or `owner/name`, never a path or a URL), and which
model references may be looked up at all (on disk or on the Hub)."""

from __future__ import annotations

import re

# Letters, digits, - _ . ; starts with a letter or digit; at most one "/". The Hub also refuses ".." and "--".
HUB_ID = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")
# A model reference (Hub id or local folder) longer than this is refused before any lookup; a Hub id is
# at most 193 characters, a folder's path may be longer.
MAX_REF_CHARS = 1000
MAX_PART_CHARS = 255  # a longer file or folder name makes the file system raise (ENAMETOOLONG) on lookup


def is_lookup_safe(ref: str) -> bool:
    """Whether a (stripped) model reference may be looked up on disk or on the Hub at all: printable, at
    most MAX_REF_CHARS, no part longer than MAX_PART_CHARS. A NUL or 5,000 characters: no lookup."""
    return (isinstance(ref, str) and len(ref) <= MAX_REF_CHARS and ref.isprintable()
            and all(len(part) <= MAX_PART_CHARS for part in ref.replace("\\", "/").split("/")))


def is_hub_id(ref: str | None, need_owner: bool = False) -> bool:
    """True for `owner/name` (and bare `name` unless `need_owner`) as the Hub spells repo ids."""
    if not isinstance(ref, str) or not HUB_ID.match(ref) or ".." in ref or "--" in ref or ref.endswith(".git"):
        return False
    return "/" in ref or not need_owner


def shown_ref(ref: str, limit: int = 80) -> str:
    """How a reference someone typed is echoed in a message: one line, printable, shortened."""
    ref = " ".join(str(ref).encode("unicode_escape").decode("ascii").split())
    return ref if len(ref) <= limit else ref[: limit - 1] + "…"


def public_ref(ref: str | None) -> str:
    """How a model or dataset reference is shown to others: a Hub id as is, a local path by its folder
    name only (a web page or a model card never reveals the server's disk layout)."""
    if not ref:
        return ""
    ref = str(ref).rstrip("/\\")
    return ref if is_hub_id(ref) and "/" in ref else folder_name(ref)


def folder_name(path: str) -> str:
    """A local path by its last part only ('../shared/data/beans/' -> 'beans'), '/' or '\\' separated."""
    return str(path).rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1]
