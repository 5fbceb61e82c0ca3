"""How an image checkpoint turns a decoded picture into its input, as data: one definition for the server
and the offline page.

`preprocessing_from` reads a checkpoint's preprocessor_config.json and config.json (as dicts) and returns a
`Preprocessing`; the bean tab takes its decoding side and test-time views from it (studio/beans/predict.py),
and `export-web` writes it as JSON into the page (contract/offline_page.py), whose script ports the same
steps (Pillow's resampling included) to the browser. Steps the page cannot repeat (padding, another
rescale, a resample filter it has no port of) are listed in `unported`: export-web refuses them rather
than approximate them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from contract.checkpoint import TTA_CONFIG_KEY
from contract.images import VIEWS

# PIL.Image.Resampling values the page's port of Pillow's resampling implements (resample.js).
RESAMPLE_NAMES = {0: "nearest", 1: "lanczos", 2: "bilinear", 3: "bicubic", 4: "box", 5: "hamming"}
PORTED_RESAMPLES = ("bilinear", "bicubic", "box")
RESCALE = 1 / 255
DEFAULT_SIDE = 224


@dataclass(frozen=True)
class Preprocessing:
    """What happens to a decoded RGB picture before the model sees it, in order."""
    min_side: int           # decoding shrinks by whole factors while the short side stays >= this (open_rgb)
    views: tuple[str, ...]  # contract.images.VIEWS averaged with the picture itself (test-time augmentation)
    resize: dict            # {"height", "width"} (the whole picture) or {"shortest_edge"} (aspect kept)
    crop: dict | None       # {"height", "width"} centre crop after the resize, or None
    resample: str           # Pillow's filter, by name
    mean: tuple[float, ...]
    std: tuple[float, ...]
    unported: tuple[str, ...] = ()  # steps the page has no port of: the server runs them, export-web refuses

    def to_json(self) -> dict:
        return asdict(self)


def sides(value: object) -> dict:
    """A size entry as {"height", "width"} or {"shortest_edge"} (the forms a processor writes), else {}."""
    if isinstance(value, int):
        return {"shortest_edge": value}
    try:
        value = dict(value or {})
    except (TypeError, ValueError):
        return {}
    if value.get("height") and value.get("width"):
        return {"height": int(value["height"]), "width": int(value["width"])}
    return {"shortest_edge": int(value["shortest_edge"])} if value.get("shortest_edge") else {}


def preprocessing_from(processor: dict, model_config: dict) -> Preprocessing:
    """The Preprocessing of a processor's and a model's config (their JSON files, or `to_dict()`s)."""
    unported = [step for step in ("do_pad", "do_reduce_labels", "do_convert_grayscale") if processor.get(step)]
    rescale = float(processor.get("rescale_factor") or RESCALE) if processor.get("do_rescale", True) else 1.0
    if abs(rescale - RESCALE) > 1e-9:
        unported.append(f"rescale_factor {rescale}")
    resample = RESAMPLE_NAMES.get(int(processor.get("resample", 2)), str(processor.get("resample")))
    if resample not in PORTED_RESAMPLES:
        unported.append(f"resample {resample}")
    resize = sides(processor.get("size")) or {"height": DEFAULT_SIDE, "width": DEFAULT_SIDE}
    crop = sides(processor.get("crop_size")) if processor.get("do_center_crop", True) else {}
    if "shortest_edge" in crop:
        crop = {"height": crop["shortest_edge"], "width": crop["shortest_edge"]}
    normalize = processor.get("do_normalize", True)
    mean = tuple(float(v) for v in processor.get("image_mean") or (0.5,) * 3) if normalize else (0.0,) * 3
    std = tuple(float(v) for v in processor.get("image_std") or (0.5,) * 3) if normalize else (1.0,) * 3
    views = tuple(name for name in model_config.get(TTA_CONFIG_KEY) or () if name in VIEWS)
    min_side = min([*resize.values(), *crop.values()])
    return Preprocessing(min_side, views, resize, crop or None, resample, mean, std, tuple(unported))
