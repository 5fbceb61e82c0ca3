"""What `python -m training image` is asked about the data and the model (frozen: read, never changed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from contract.checkpoint import TTA_VIEWS
from training.errors import UserError

AUGMENTATIONS = ("crop", "hflip", "vflip", "rot90", "rotate", "color")


@dataclass(frozen=True)
class ImageDataArgs:
    dataset: str = field(
        default="beans", metadata={"help": "Hub dataset id (used when --data-dir is not given)."}
    )
    data_dir: str | None = field(
        default=None,
        metadata={"help": "Local image folder: <data-dir>/<split>/<class>/<image> (train, validation, test...)."},
    )
    image_size: int | None = field(
        default=None, metadata={"help": "Side of the square model input in pixels; unset = the base model's own."}
    )
    resize_mode: str = field(
        default="crop",
        metadata={"help": "crop = the processor's resize + centre crop (cuts the border off); whole = resize the "
                  "whole image to a square.", "choices": ["crop", "whole"]},
    )
    augment: str = field(
        default="crop,hflip",
        metadata={"help": f"Training-image augmentations, comma-separated, of {', '.join(AUGMENTATIONS)}; "
                  "'none' for none. head and last-n cache what the frozen layers compute: they train on the "
                  "flips and the quarter turn (rot90) listed here as extra views of each training image and "
                  "ignore the random ones."},
    )
    crop_min_scale: float = field(default=0.5, metadata={"help": "augment crop: smallest share of the area kept."})
    rotate_degrees: float = field(default=15.0, metadata={"help": "augment rotate: largest angle either way."})
    color_jitter: float = field(
        default=0.2, metadata={"help": "augment color: brightness, contrast and saturation vary by up to this share."}
    )
    tta: str = field(
        default="none",
        metadata={"help": "Test-time augmentation: average the probabilities of the image and its mirror "
                  "(hflip) or its two mirrors (flips); recorded in config.json for the app.",
                  "choices": list(TTA_VIEWS)},
    )

    def __post_init__(self):
        unknown = set(augmentations(self.augment)) - set(AUGMENTATIONS)
        if unknown:
            raise UserError(f"--augment: unknown {sorted(unknown)}; choose among {', '.join(AUGMENTATIONS)} or none")
        if self.image_size is not None and self.image_size < 16:
            raise UserError(f"--image-size must be at least 16, got {self.image_size}")
        if not 0 < self.crop_min_scale <= 1 or not 0 <= self.color_jitter < 1 or not 0 <= self.rotate_degrees <= 45:
            raise UserError("--crop-min-scale must be in (0, 1], --color-jitter in [0, 1), --rotate-degrees in [0, 45]")


def augmentations(value: str) -> list[str]:
    return [] if value.strip().lower() == "none" else [name.strip().lower() for name in value.split(",") if name.strip()]


@dataclass(frozen=True)
class ImageModelArgs:
    base_model: str = field(
        default="google/vit-base-patch16-224-in21k",
        metadata={"help": "Pretrained model: Hub id or local folder (any AutoModelForImageClassification)."},
    )

