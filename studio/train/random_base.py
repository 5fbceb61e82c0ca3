"""`python -m studio.train.random_base image|text SOURCE TARGET`: the same architecture as SOURCE, random weights.

The Train tab's baseline run trains this copy exactly as it trains the pretrained model, so the Runs
table shows what the pretrained weights bought. It runs in the job's own process (never in the web
worker) and writes TARGET only, inside the job's folder.
"""

from __future__ import annotations

import sys


def write_random_copy(kind: str, source: str, target: str, seed: int = 0) -> None:
    import torch
    from transformers import (
        AutoConfig,
        AutoImageProcessor,
        AutoModelForImageClassification,
        AutoModelForSequenceClassification,
        AutoTokenizer,
    )

    torch.manual_seed(seed)
    config = AutoConfig.from_pretrained(source, trust_remote_code=False)
    model_class = AutoModelForImageClassification if kind == "image" else AutoModelForSequenceClassification
    model_class.from_config(config).save_pretrained(target, safe_serialization=True)
    processor_class = AutoImageProcessor if kind == "image" else AutoTokenizer
    processor_class.from_pretrained(source, trust_remote_code=False).save_pretrained(target)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("image", "text"):
        print("usage: python -m studio.train.random_base image|text SOURCE TARGET", file=sys.stderr)
        return 2
    write_random_copy(*argv)
    print(f"random weights, same architecture: {argv[2].rstrip('/').rsplit('/', 1)[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
