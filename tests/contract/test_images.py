"""contract.images without any UI: every kind of upload becomes RGB or one clear error key."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from contract.images import ImageInputError, open_rgb, to_rgb
from tests.support.hostile_files import bad_text, bad_truncated, png_claiming_size, uint16_image

CAP = 10_000_000


def saved(tmp_path: Path, image: Image.Image, name: str, **save_kwargs) -> Path:
    path = tmp_path / name
    image.save(path, **save_kwargs)
    return path



# (file name, image builder, pixel expected at (0, 0) once converted to RGB)
MODES = [
    ("rgb.png", lambda: Image.new("RGB", (8, 8), (10, 20, 30)), (10, 20, 30)),
    ("transparent.png", lambda: Image.new("RGBA", (8, 8), (0, 0, 0, 0)), (255, 255, 255)),
    ("half_alpha.png", lambda: Image.new("RGBA", (8, 8), (0, 0, 0, 128)), (127, 127, 127)),
    ("gray_alpha.png", lambda: Image.new("LA", (8, 8), (0, 0)), (255, 255, 255)),
    ("gray.png", lambda: Image.new("L", (8, 8), 77), (77, 77, 77)),
    ("bilevel.png", lambda: Image.new("1", (8, 8), 1), (255, 255, 255)),
    ("cmyk.jpg", lambda: Image.new("CMYK", (8, 8), (0, 255, 255, 0)), (255, 0, 0)),
    ("cmyk.tif", lambda: Image.new("CMYK", (8, 8), (0, 0, 0, 255)), (0, 0, 0)),
    ("deep_mid.png", lambda: uint16_image(32768), (128, 128, 128)),  # clipping would give 255
    ("deep_max.png", lambda: uint16_image(65535), (255, 255, 255)),
    ("deep_low.tif", lambda: uint16_image(257), (1, 1, 1)),
    ("int32.tif", lambda: Image.fromarray(np.full((8, 8), 65535 // 2, dtype=np.int32)), (128, 128, 128)),
    ("float.tif", lambda: Image.fromarray(np.full((8, 8), 0.5, dtype=np.float32)), (128, 128, 128)),
    ("ycbcr.jpg", lambda: Image.new("RGB", (8, 8), (200, 30, 30)).convert("YCbCr"), None),
]


@pytest.mark.parametrize("name,build,expected", MODES, ids=[row[0] for row in MODES])
def test_every_mode_becomes_rgb(tmp_path, name, build, expected):
    image = open_rgb(saved(tmp_path, build(), name), CAP)
    assert image.mode == "RGB" and image.size == (8, 8)
    if expected is not None:
        assert np.allclose(image.getpixel((0, 0)), expected, atol=3), image.getpixel((0, 0))


def test_palette_with_transparency_is_composited_on_white():
    palette = Image.new("P", (4, 4), 0)
    palette.putpalette([0, 0, 0] * 256)
    palette.info["transparency"] = 0
    assert to_rgb(palette).getpixel((0, 0)) == (255, 255, 255)


def test_big_endian_16_bit_is_scaled():
    image = Image.new("I;16B", (2, 2))
    image.putpixel((0, 0), 65535)
    assert to_rgb(image).getpixel((0, 0)) == (255, 255, 255)
    assert to_rgb(image).getpixel((1, 1)) == (0, 0, 0)


def test_exif_orientation_is_applied(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    path = saved(tmp_path, Image.new("RGB", (40, 20), (1, 2, 3)), "rotated.jpg", exif=exif)
    assert open_rgb(path, CAP).size == (20, 40)


def test_big_image_is_shrunk_but_never_below_min_side(tmp_path):
    path = saved(tmp_path, Image.new("RGB", (2400, 1800), (40, 180, 40)), "photo.jpg")
    assert open_rgb(path, CAP, min_side=512).size == (1200, 900)  # 1/2 scale: 1/4 would go below 512
    assert open_rgb(path, CAP).size == (2400, 1800)
    png = saved(tmp_path, Image.new("RGB", (1200, 900)), "lossless.png")
    assert open_rgb(png, CAP, min_side=100).size == (134, 100)  # other formats: reduced after decoding


def test_animated_gif_uses_first_frame(tmp_path):
    frames = [Image.new("RGB", (8, 8), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert open_rgb(path, CAP).getpixel((0, 0)) == (255, 0, 0)



def bad_png_data(tmp_path: Path) -> Path:
    png = saved(tmp_path, Image.effect_noise((64, 64), 50), "good.png").read_bytes()
    path = tmp_path / "damaged.png"
    path.write_bytes(png[:60] + b"\xff" * (len(png) - 60))  # header intact, pixel data overwritten
    return path


# (builder of a bad file, pixel cap, error key expected)
BAD_FILES = [
    (bad_text, CAP, "app.image.not_image"),
    (lambda tmp: tmp / "empty.jpg", CAP, "app.image.empty"),  # vanished upload
    (bad_truncated, CAP, "app.image.corrupt"),
    (bad_png_data, CAP, "app.image.corrupt"),
    # claims 100k×100k: PIL's own decompression-bomb guard fires at open
    (lambda tmp: png_claiming_size(tmp / "bomb.png", 100_000, 100_000), CAP, "app.image.too_large"),
    # claims 5k×5k: below PIL's guard, above ours; refused from the header, before decoding
    (lambda tmp: png_claiming_size(tmp / "big.png", 5_000, 5_000), CAP, "app.image.too_large"),
    (lambda tmp: saved(tmp, Image.new("RGB", (200, 200)), "ok_but_capped.png"), 10_000, "app.image.too_large"),
]


@pytest.mark.parametrize("build,cap,key", BAD_FILES, ids=[row[2] + str(i) for i, row in enumerate(BAD_FILES)])
def test_bad_files_raise_one_error_key(tmp_path, build, cap, key):
    with pytest.raises(ImageInputError) as caught:
        open_rgb(build(tmp_path), cap)
    assert caught.value.key == key


@pytest.mark.parametrize("path", [None, ""])
def test_nothing_uploaded(path):
    with pytest.raises(ImageInputError) as caught:
        open_rgb(path, CAP)
    assert caught.value.key == "app.image.empty"


def test_too_large_message_fields_fill_the_string(tmp_path):
    from studio.i18n import t

    with pytest.raises(ImageInputError) as caught:
        open_rgb(png_claiming_size(tmp_path / "big.png", 5_000, 5_000), CAP)
    message = t(caught.value.key, lang="en", **caught.value.fields)
    assert "5000×5000" in message and "10,000,000" in message


# Issue 9: a 40000×1 strip passes the pixel cap; a processor resizing its short side to 256 would then
# build a 10-megapixel-wide image (20 GB). Refused from the header, whatever the pixel count.
@pytest.mark.parametrize("size", [(40_000, 1), (1, 40_000), (800, 1), (4200, 200)])
def test_elongated_strip_is_refused_before_decoding(tmp_path, size):
    path = png_claiming_size(tmp_path / "strip.png", *size)  # header only: refused before decoding
    with pytest.raises(ImageInputError) as caught:
        open_rgb(path, CAP, min_side=256)
    assert caught.value.key == "app.image.aspect"


def test_aspect_limit_keeps_every_decoded_picture_small(tmp_path):
    from contract.images import MAX_ASPECT_RATIO

    side = 224
    path = saved(tmp_path, Image.new("RGB", (MAX_ASPECT_RATIO * 600, 600), (9, 9, 9)), "panorama.png")
    image = open_rgb(path, CAP, min_side=side)
    assert min(image.size) < 2 * side and max(image.size) <= MAX_ASPECT_RATIO * min(image.size)


def test_big_rgba_is_shrunk_and_composited_on_white(tmp_path):
    path = saved(tmp_path, Image.new("RGBA", (2000, 1600), (0, 0, 0, 0)), "clear.png")
    image = open_rgb(path, CAP, min_side=224)  # reduced (by 7) before the alpha is composited
    assert image.size == (286, 229) and image.getpixel((0, 0)) == (255, 255, 255)


def test_aspect_message_fills_both_languages(tmp_path):
    from studio.i18n import t

    with pytest.raises(ImageInputError) as caught:
        open_rgb(png_claiming_size(tmp_path / "strip.png", 40_000, 1), CAP)
    for lang in ("es", "en"):
        message = t(caught.value.key, lang=lang, **caught.value.fields)
        assert "40000×1" in message and "20" in message and "{" not in message
