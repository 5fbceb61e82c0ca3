"""Train-time augmentation (`--augment`: random resized crop, flips, small rotations, colour jitter) in
plain PIL, before the processor."""

from __future__ import annotations

import math
import random

from PIL import Image, ImageEnhance

from contract.images import VIEWS
from training.modalities.image_args import ImageDataArgs, augmentations

CROP_RATIO = (3 / 4, 4 / 3)


def random_resized_crop(image: Image.Image, rng: random.Random, min_scale: float) -> Image.Image:
    """A crop of min_scale-100 % of the area with aspect 3:4..4:3, like torchvision's, in plain PIL."""
    width, height = image.size
    for _ in range(10):
        area = width * height * rng.uniform(min_scale, 1.0)
        ratio = math.exp(rng.uniform(math.log(CROP_RATIO[0]), math.log(CROP_RATIO[1])))
        crop_w, crop_h = round(math.sqrt(area * ratio)), round(math.sqrt(area / ratio))
        if 0 < crop_w <= width and 0 < crop_h <= height:
            left, top = rng.randint(0, width - crop_w), rng.randint(0, height - crop_h)
            return image.crop((left, top, left + crop_w, top + crop_h))
    return image


def random_rotation(image: Image.Image, rng: random.Random, degrees: float) -> Image.Image:
    """Rotated by up to `degrees` either way, then cropped to the largest upright centred box that has no
    empty corners (same aspect ratio)."""
    angle = rng.uniform(-degrees, degrees)
    width, height = image.size
    cos, sin = math.cos(math.radians(abs(angle))), math.sin(math.radians(abs(angle)))
    scale = min(width / (width * cos + height * sin), height / (width * sin + height * cos))
    rotated = image.rotate(angle, resample=Image.Resampling.BILINEAR)
    keep_w, keep_h = width * scale, height * scale
    left, top = (width - keep_w) / 2, (height - keep_h) / 2
    return rotated.crop((round(left), round(top), round(left + keep_w), round(top + keep_h)))


def colour_jitter(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    for enhancer in (ImageEnhance.Brightness, ImageEnhance.Contrast, ImageEnhance.Color):
        image = enhancer(image).enhance(rng.uniform(1 - strength, 1 + strength))
    return image


def augment(image: Image.Image, rng: random.Random, args: ImageDataArgs) -> Image.Image:
    """The --augment operations, in a fixed order: crop, flips and quarter turn, rotation, colour."""
    chosen = augmentations(args.augment)
    if "crop" in chosen:
        image = random_resized_crop(image, rng, args.crop_min_scale)
    for name in ("hflip", "vflip", "rot90"):
        if name in chosen and rng.random() < 0.5:
            image = VIEWS[name](image)
    if "rotate" in chosen and args.rotate_degrees:
        image = random_rotation(image, rng, args.rotate_degrees)
    if "color" in chosen and args.color_jitter:
        image = colour_jitter(image, rng, args.color_jitter)
    return image

