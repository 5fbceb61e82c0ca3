"""contract/preprocessing.py: one definition of what happens to a picture before an image model sees it,
read from the processor the server loads; and the page's port of it (resample.js, run by node) against
Pillow and transformers' own processors, value for value."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from contract.images import processor_side
from contract.offline_page import PAGE_FILES
from contract.preprocessing import preprocessing_from
from tests.conftest import skip_or_fail


def mobilenet_processor(**overrides):
    from transformers import AutoImageProcessor, MobileNetV2ImageProcessor

    settings = {"size": {"shortest_edge": 40}, "crop_size": {"height": 32, "width": 32}, **overrides}
    processor = MobileNetV2ImageProcessor(**settings)
    return AutoImageProcessor.from_pretrained(save(processor))


def save(processor) -> str:
    import tempfile

    folder = tempfile.mkdtemp(prefix="processor-")
    processor.save_pretrained(folder)
    return folder


def test_a_cropping_processor_resizes_the_short_side_then_crops():
    steps = preprocessing_from(mobilenet_processor().to_dict(), {})
    assert steps.resize == {"shortest_edge": 40} and steps.crop == {"height": 32, "width": 32}
    assert steps.resample == "bilinear" and steps.views == () and steps.unported == ()


def test_a_whole_picture_processor_has_no_crop_and_the_checkpoints_views():
    processor = mobilenet_processor(size={"height": 36, "width": 36}, do_center_crop=False)
    steps = preprocessing_from(processor.to_dict(), {"test_time_augmentation": ["hflip", "vflip", "sharpen"]})
    assert steps.resize == {"height": 36, "width": 36} and steps.crop is None
    assert steps.views == ("hflip", "vflip")  # a view the app has no function for is not invented


@pytest.mark.parametrize("overrides", [{}, {"size": {"height": 36, "width": 30}, "do_center_crop": False},
                                       {"size": {"shortest_edge": 24}}])
def test_the_decoding_side_is_what_the_server_decoded_at_before(overrides):
    processor = mobilenet_processor(**overrides)
    assert preprocessing_from(processor.to_dict(), {}).min_side == processor_side(processor)


def test_steps_the_page_cannot_repeat_are_named():
    steps = preprocessing_from({"resample": 0, "do_pad": True, "rescale_factor": 0.5}, {})
    assert set(steps.unported) == {"do_pad", "rescale_factor 0.5", "resample nearest"}


def run_port(tmp_path: Path, picture: Image.Image, calls: dict) -> dict:
    """Each call of resample.js (name -> JavaScript expression of `picture` and `Resample`) run by node."""
    node = shutil.which("node")
    if node is None:
        skip_or_fail("node is not installed (the offline page's tests run its script with it)")
    data = np.asarray(picture.convert("RGB")).reshape(-1).tolist()
    script = (f"require({json.dumps(str(PAGE_FILES / 'resample.js'))});\n"
              f"const picture = {{width: {picture.width}, height: {picture.height}, "
              f"data: Uint8ClampedArray.from({json.dumps(data)})}};\n"
              "const out = {};\n" + "".join(f"out[{json.dumps(name)}] = Array.from({expression});\n"
                                            for name, expression in calls.items())
              + "process.stdout.write(JSON.stringify(out));\n")
    (tmp_path / "run.js").write_text(script)
    done = subprocess.run([node, str(tmp_path / "run.js")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return {name: np.array(values) for name, values in json.loads(done.stdout).items()}


def leaf_like(size=(61, 47)) -> Image.Image:
    rng = np.random.default_rng(0)
    smooth = np.cumsum(rng.integers(-9, 10, size=(size[1], size[0], 3)), axis=1) % 256
    return Image.fromarray(smooth.astype(np.uint8), "RGB")


@pytest.mark.serves
def test_the_page_resizes_reduces_and_turns_exactly_as_pillow(tmp_path):
    picture = leaf_like()
    expected = {
        "down": picture.resize((23, 19), Image.Resampling.BILINEAR),
        "up": picture.resize((90, 70), Image.Resampling.BILINEAR),
        "bicubic": picture.resize((30, 52), Image.Resampling.BICUBIC),
        "box": picture.resize((20, 20), Image.Resampling.BOX),
        "reduce": picture.reduce(4),
        "rot90": picture.transpose(Image.Transpose.ROTATE_90),
        "hflip": picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
    }
    found = run_port(tmp_path, picture, {
        "down": 'Resample.resize(picture, 23, 19, "bilinear").data',
        "up": 'Resample.resize(picture, 90, 70, "bilinear").data',
        "bicubic": 'Resample.resize(picture, 30, 52, "bicubic").data',
        "box": 'Resample.resize(picture, 20, 20, "box").data',
        "reduce": "Resample.reduce(picture, 4).data",
        "rot90": 'Resample.view(picture, "rot90").data',
        "hflip": 'Resample.view(picture, "hflip").data',
    })
    for name, image in expected.items():
        assert np.array_equal(found[name], np.asarray(image).reshape(-1)), name


@pytest.mark.serves
@pytest.mark.parametrize("overrides", [{}, {"size": {"height": 36, "width": 36}, "do_center_crop": False},
                                       {"resample": 3}])
def test_the_page_feeds_the_model_what_the_servers_processor_does(tmp_path, overrides):
    processor = mobilenet_processor(**overrides)
    steps = preprocessing_from(processor.to_dict(), {})
    picture = leaf_like()
    expected = processor(picture, return_tensors="np")["pixel_values"][0]
    found = run_port(tmp_path, picture, {"pixels": f"Resample.pixelValues(picture, {json.dumps(steps.to_json())}).tensor"})
    assert found["pixels"].shape == (expected.size,)
    assert np.abs(found["pixels"] - expected.reshape(-1)).max() < 1e-5
