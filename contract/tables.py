"""Tables as text: written (the CLI's results, the benchmarks' rows) and read (CSV/TSV/JSON data files:
the CLI's --data-dir, the Train tab's upload, the Sentiment tab's batch file all read through `read_table`)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from contract.errors import KeyedError, first_line


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Left-aligned columns separated by two spaces, with a header row; missing cells are blank."""
    cells = [list(columns)] + [["" if row.get(c) is None else str(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
                     for line in cells)


def splits_table(splits: dict[str, dict[str, Any]]) -> str:
    """One row per split of metrics.json's `splits`: examples, accuracy, macro-F1, loss."""
    rows = [{"split": name, "examples": found["num_examples"], "accuracy": f"{found['accuracy']:.4f}",
             "f1_macro": f"{found['f1_macro']:.4f}",
             "loss": "-" if found.get("loss") is None else f"{found['loss']:.4f}"}
            for name, found in splits.items()]
    return format_table(rows, ["split", "examples", "accuracy", "f1_macro", "loss"])


def kfold_line(kfold: dict[str, Any]) -> str:
    """metrics.json's `kfold` in one line: k, mean +- std of accuracy and macro-F1."""
    return (f"{kfold['folds']}-fold over {'+'.join(kfold['splits'])} ({kfold['num_examples']} examples): "
            f"accuracy {kfold['accuracy_mean']:.4f} ± {kfold['accuracy_std']:.4f}, "
            f"f1_macro {kfold['f1_macro_mean']:.4f} ± {kfold['f1_macro_std']:.4f}")


# ---------------------------------------------------------------- reading text tables


# Suffix -> CSV delimiter; None: JSON (an array of objects) or JSON lines (one object per line).
# Column names that hold a row's text, in English and in Spanish (a Spanish spreadsheet says texto), most
# common first: the sentiment tab reads a CSV's texts from the first one present, the Train tab guesses with them.
TEXT_COLUMN_NAMES = ("text", "sentence", "texto", "review", "frase", "oración", "content", "comment", "reseña",
                     "comentario", "opinión")
TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": "\t", ".json": None, ".jsonl": None}
SNIFFED_DELIMITERS = ",\t;|"
# What errors="surrogateescape" leaves for undecodable bytes, and lone surrogates a JSON "\ud800" escape
# makes: neither can be tokenized or shown.
NOT_UTF8 = re.compile("[\ud800-\udfff]")


class TableError(KeyedError):
    """A text table that cannot be read. Keys (each with `file`, the file's name): table.format (suffix),
    table.binary, table.encoding, table.header, table.empty, table.json (error),
    table.field_too_long (line, max_chars, error), table.parse (line, error)."""


class Table(NamedTuple):
    rows: list[dict[str, Any]]  # one dict per readable row, keyed by column
    columns: list[str]          # the header row (CSV) or every key seen (JSON), in order
    unreadable: int             # rows skipped: undecodable bytes, broken JSON lines, JSON values not objects
    encoding: str = "utf-8"     # "cp1252": not UTF-8 but Windows' Western encoding (say so); "utf-16"..: read so
    delimiter: str | None = None  # the CSV delimiter used (sniffed or the suffix's); None for JSON


def not_utf8(value: Any) -> bool:
    return isinstance(value, str) and NOT_UTF8.search(value) is not None


def read_table(path: str | Path, strict: bool = False, sniff: bool = False, windows_1252: bool = False) -> Table:
    """Rows of a CSV/TSV (header row) or JSON / JSON-lines file, by suffix (TABLE_SUFFIXES).

    strict: refuse the whole file at an undecodable byte or a broken JSON line (the app's uploads);
    otherwise such rows are skipped and counted (the CLI). sniff: guess a CSV's delimiter among
    SNIFFED_DELIMITERS instead of taking the suffix's. windows_1252: a file that is not UTF-8 is read as
    Windows-1252 when it decodes so (Table.encoding says it; Excel's "CSV" in Spanish). Raises TableError;
    OSError when unreadable.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise TableError("table.format", file=path.name, suffix=suffix or "?")
    raw = path.read_bytes()
    if b"\x00" in raw and not utf16_encoding(raw):  # zero bytes: UTF-16's every other byte, or no text at all
        raise TableError("table.binary", file=path.name)
    text, encoding = decoded(raw, path.name, strict, windows_1252)
    if "\x00" in text:
        raise TableError("table.binary", file=path.name)
    delimiter = None
    if TABLE_SUFFIXES[suffix] is None:
        rows = json_rows(text, path.name, strict)
        columns = list(dict.fromkeys(key for row in rows if isinstance(row, dict) for key in row))
    else:
        delimiter = sniffed_delimiter(text, TABLE_SUFFIXES[suffix]) if sniff else TABLE_SUFFIXES[suffix]
        rows, columns = csv_rows(text, delimiter, path.name)
    good = [row for row in rows if isinstance(row, dict) and not any(map(not_utf8, row.values()))]
    return Table(good, columns, len(rows) - len(good), encoding, delimiter)


def utf16_encoding(raw: bytes) -> str | None:
    """"utf-16" / "utf-32" (their BOM), "utf-16-le" / "-be" (no BOM, but zero bytes in most odd, or even,
    places of the first 1,000 pairs and hardly any in the others: Latin text, as Excel's "Unicode text" and
    PowerShell write it), else None."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = raw[:2000]
    if len(head) < 4 or len(head) % 2:
        return None
    pairs = len(head) // 2
    for zeros_at, encoding in ((1, "utf-16-le"), (0, "utf-16-be")):
        if head[zeros_at::2].count(0) >= 0.8 * pairs and head[1 - zeros_at::2].count(0) <= 0.05 * pairs:
            return encoding
    return None


def decoded(raw: bytes, name: str, strict: bool, windows_1252: bool) -> tuple[str, str]:
    """(text, encoding): UTF-16/32 when it says so or looks so (utf16_encoding), else UTF-8 (a BOM dropped),
    else (windows_1252) Windows-1252, which Excel in Spanish, French... saves as "CSV"; else refused (strict)
    or read with its bad bytes marked (not_utf8)."""
    wide = utf16_encoding(raw)
    if wide:
        try:
            return raw.decode(wide).removeprefix("\ufeff"), wide
        except UnicodeDecodeError:
            raise TableError("table.encoding", file=name) from None
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if windows_1252:
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    if strict:
        raise TableError("table.encoding", file=name)
    return raw.decode("utf-8-sig", errors="surrogateescape"), "utf-8"


def sniffed_delimiter(text: str, fallback: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=SNIFFED_DELIMITERS).delimiter
    except csv.Error:
        return fallback


def csv_rows(text: str, delimiter: str, name: str) -> tuple[list[dict[str, Any]], list[str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = list(reader.fieldnames or [])
        if not any(column.strip() for column in columns):
            raise TableError("table.empty", file=name)
        if not all(column.isprintable() and not not_utf8(column) for column in columns):
            raise TableError("table.header", file=name)
        return list(reader), columns
    except csv.Error as error:  # a field over csv's size limit, a broken quote
        line = reader.line_num
        if "field limit" in str(error):
            raise TableError("table.field_too_long", file=name, line=line, max_chars=f"{csv.field_size_limit():,}",
                             error=str(error)) from None
        raise TableError("table.parse", file=name, line=line, error=str(error)) from None


TOO_DEEP = "nested too deeply"


def json_rows(text: str, name: str, strict: bool) -> list[Any]:
    """The values of a JSON array, or of each non-blank JSON line (None for a broken line unless strict)."""
    if text.lstrip().startswith("["):
        try:
            rows = json.loads(text)
        except RecursionError:  # `[[[[…` 200,000 deep: json's recursion, not a traceback for the user
            raise TableError("table.json", file=name, error=TOO_DEEP) from None
        except ValueError as error:
            raise TableError("table.json", file=name, error=first_line(error)) from None
        return rows if isinstance(rows, list) else [rows]
    rows = []
    for line in text.splitlines():
        if line.strip():
            try:
                rows.append(json.loads(line))
            except (ValueError, RecursionError) as error:
                if strict:
                    raise TableError("table.json", file=name, error=TOO_DEEP if isinstance(error, RecursionError)
                                     else first_line(error)) from None
                rows.append(None)  # counted as unreadable
    return rows
