"""The languages the app and training tell apart when they detect a text's language (lingua, ISO 639-1).

A small set keeps detection fast and short texts less ambiguous; a model trained on texts in these
languages records them in metrics.json `languages`.
"""

from __future__ import annotations

DETECTED_LANGUAGES = ("en", "es", "pt", "fr", "de", "it", "nl")
