"""Visitors' words (labels, column names, file names) made inert wherever we write them for another program.

A label is chosen by whoever uploaded the data, and then read by a spreadsheet (a formula), a Markdown
renderer (a heading, a link, a remote image, a broken table), matplotlib (mathtext: `$\\macro$` raised
after all the training work) or a shell (a pasted command). Each writer passes them through here.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What makes Markdown of plain text: code, emphasis, links and images (no `[`, no link), HTML (< & >), table
# cells (|), headings (#), strikethrough (~), math ($). `_` inside a word and "(bean_rust)" stay as they are.
MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]#|<>~&$]|(?<!\w)_|_(?!\w))")


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: a string that would start a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def markdown_text(text: object, max_chars: int = 200) -> str:
    """Plain text inside Markdown (a table cell too): every special character escaped, one line."""
    line = " ".join(str(text).split())[:max_chars]
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", line)
    if escaped[:1] in ("-", "+"):  # a list item at the start of a line
        return "\\" + escaped
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)


def plot_text(text: object, max_chars: int = 60) -> str:
    """A label for matplotlib: `$` escaped, so no mathtext is parsed (`$\\macro$` cannot raise)."""
    return " ".join(str(text).split())[:max_chars].replace("$", r"\$")


def shell_word(arg: object) -> str:
    """One argument as a shell reads it back unchanged: bare when plain, in double quotes when only spaces
    need it (what a person would type), else in single quotes (`$(…)`, backticks, `\\`, `"`, `!` stay text)."""
    text = str(arg)
    if re.fullmatch(r"[\w@%+=:,./-]+", text):
        return text
    if not re.search(r'[$`\\"!\n]', text):
        return f'"{text}"'
    return shlex.quote(text)


def shell_line(argv: Sequence[str]) -> str:
    """A command to paste into a shell, each argument quoted: a value is never run as code."""
    return " ".join(shell_word(arg) for arg in argv)


# An absolute path in a log line or an error (a traceback's site-packages, the models folder, /tmp…).
ABSOLUTE_PATH = re.compile(r"(?<![\w.:/~-])(?:/[\w.@+~-]+)+/?")


def paths_hidden(text: str) -> str:
    """Every absolute path in `text` shortened to its last part (`…/name`): no server layout shown."""
    return ABSOLUTE_PATH.sub(lambda match: "…/" + match.group(0).rstrip("/").rsplit("/", 1)[-1], text)
