"""When an answer deserves a caveat: low confidence, an input too small to judge, the wrong language.

Pure functions returning translated notes; the tabs show them under the answer. The low-confidence
threshold comes from the checkpoint (metrics.json "calibration", measured on its validation split by
training) when it has one, else DEFAULT_LOW_CONFIDENCE.
"""

from __future__ import annotations

from typing import Any

from studio.i18n import percent, t

DEFAULT_LOW_CONFIDENCE = 0.6   # below this top probability, say the model is unsure
NEAR_CERTAIN = 0.995           # above this, remind that a probability is not a certainty
MIN_IMAGE_SIDE = 32            # smaller images are refused: there is nothing to recognise
SMALL_IMAGE_SIDE = 96          # smaller images are answered with a caveat


def low_confidence_threshold(metrics: dict[str, Any]) -> float:
    calibrated = metrics.get("calibration", {}).get("low_confidence_below")
    return float(calibrated) if isinstance(calibrated, (int, float)) else DEFAULT_LOW_CONFIDENCE


def score_notes(scores: dict[str, float], metrics: dict[str, Any]) -> list[str]:
    """Caveats about the probabilities themselves (scores: label -> probability, best first)."""
    if not scores:
        return []
    top = max(scores.values())
    threshold = low_confidence_threshold(metrics)
    if top < threshold:
        accuracy = metrics.get("calibration", {}).get("accuracy_below")
        if accuracy is not None:
            return [t("confidence.low.calibrated", top=percent(top), threshold=percent(threshold),
                      accuracy=percent(accuracy))]
        return [t("confidence.low", top=percent(top))]
    if top >= NEAR_CERTAIN:
        return [t("confidence.certain")]
    return []


def image_notes(size: tuple[int, int]) -> list[str]:
    width, height = size
    return [t("confidence.small_image", size=f"{width}×{height}")] if min(size) < SMALL_IMAGE_SIDE else []
