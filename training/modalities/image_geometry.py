"""The input geometry (`--image-size`, `--resize-mode`) written into the base model's image processor, so
the saved processor (what the app loads) preprocesses exactly as training did."""

from __future__ import annotations

from typing import Any

from contract.images import processor_side, size_fields


def set_geometry(processor: Any, image_size: int | None, resize_mode: str) -> dict[str, Any]:
    """Write the input geometry into the processor (saved with the checkpoint, loaded by the app's pipeline)
    and return it for metrics.json. whole: resize the whole image to a square, no crop. crop: the
    processor's own resize + centre crop, scaled to `image_size` when given."""
    side = image_size or processor_side(processor)
    crops = bool(getattr(processor, "do_center_crop", False))
    if resize_mode == "whole" or (image_size and not crops):
        processor.size = {"height": side, "width": side}
        if crops:
            processor.do_center_crop = False
    elif image_size:
        resize = size_fields(processor.size).get("shortest_edge") or side
        ratio = resize / processor_side(processor)
        processor.size = {"shortest_edge": round(side * ratio)}
        processor.crop_size = {"height": side, "width": side}
    return {"image_size": side, "resize_mode": resize_mode if crops else "whole"}

