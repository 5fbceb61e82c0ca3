"""How many tokens a text model reads: what the CLI truncates training texts to and the app cuts answers at.

Duck-typed on the tokenizer and the model's config (attributes only), so importing it pulls no transformers.
"""

from __future__ import annotations

DEFAULT_TOKEN_LIMIT = 512  # neither the tokenizer nor the config says: BERT's size
# A tokenizer without a limit reports a huge sentinel (int(1e30)): values at or past this say nothing.
NO_LIMIT = 1_000_000


def token_limit(tokenizer: object, model_config: object = None, requested: int | None = None) -> int:
    """The least of the tokenizer's `model_max_length`, the config's `max_position_embeddings` and
    `requested` (each where it is a sensible positive int); DEFAULT_TOKEN_LIMIT when none is."""
    limits = [getattr(tokenizer, "model_max_length", None), getattr(model_config, "max_position_embeddings", None),
              requested]
    usable = [int(limit) for limit in limits
              if isinstance(limit, int) and not isinstance(limit, bool) and 0 < limit < NO_LIMIT]
    return min(usable) if usable else DEFAULT_TOKEN_LIMIT
