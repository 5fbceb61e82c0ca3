"""A CSV saved as UTF-16 (Excel's "Unicode text", PowerShell's default) or UTF-32 is read, not called binary;
one that is neither text nor decodable is refused with a key the tabs translate."""

from __future__ import annotations

import pytest

from contract.tables import TableError, read_table

ROWS = "text,label\n¡Qué película tan buena!,1\nun 10 € mal gastado,0\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_wide_unicode_csv_is_read_row_by_row(tmp_path, encoding):
    path = tmp_path / "reviews.csv"
    path.write_bytes(ROWS.encode(encoding))
    table = read_table(path, strict=True)
    assert table.columns == ["text", "label"]
    assert [row["text"] for row in table.rows] == ["¡Qué película tan buena!", "un 10 € mal gastado"]
    assert table.encoding.startswith(encoding[:6])


def test_zero_bytes_that_are_no_utf16_are_still_binary(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(TableError) as refused:
        read_table(path, strict=True)
    assert refused.value.key == "table.binary"


def test_a_utf16_bom_over_broken_bytes_is_an_encoding_refusal(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_bytes("text,label\n".encode("utf-16") + b"\x00")  # an odd byte: cut in the middle of a character
    with pytest.raises(TableError) as refused:
        read_table(path, strict=True)
    assert refused.value.key == "table.encoding"
