"""Files a hostile or careless visitor sends: fake headers, decompression bombs, text named .png, cut
JPEGs, 16-bit pictures; and the peak memory they cost the server (which runs in the test process)."""

from __future__ import annotations

import io
import struct
import threading
import zlib
from pathlib import Path

import numpy as np
import psutil
from PIL import Image


def uint16_image(value: int, side: int = 8) -> Image.Image:
    return Image.fromarray(np.full((side, side), value, dtype=np.uint16))  # mode 'I;16'


def png_claiming_size(path: Path, width: int, height: int) -> Path:
    """A real 1×1 PNG whose header says width×height: what a decompression bomb looks like to a reader."""
    Image.new("L", (1, 1)).save(path)
    data = bytearray(path.read_bytes())
    data[16:24] = struct.pack(">II", width, height)  # IHDR payload starts after signature + length + type
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))
    return path


def bad_text(tmp_path: Path) -> Path:
    path = tmp_path / "notes.png"
    path.write_text("this is not a picture")
    return path


def bad_truncated(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    Image.effect_noise((256, 256), 50).convert("RGB").save(buffer, format="JPEG")
    path = tmp_path / "truncated.jpg"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    return path


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def blank_png(path: Path, width: int, height: int) -> Path:
    """A real, fully decodable black grayscale PNG of any size, written row by row (a 12000×12000 one is
    about 150 KB on disk and 144 MB once decoded): a decompression bomb that is not a fake header."""
    compressor, row = zlib.compressobj(9), b"\x00" * (width + 1)  # filter byte 0 + black pixels
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data)
                     + png_chunk(b"IEND", b""))
    return path


class PeakRSS:
    """Peak resident memory of this process (the server runs in it) above where it started, in MiB."""

    def __init__(self):
        self.process = psutil.Process()
        self.peak = self.start = self.process.memory_info().rss
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self) -> None:
        while not self.stop.wait(0.005):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakRSS:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.start) / 2**20
