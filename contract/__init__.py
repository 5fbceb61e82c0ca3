"""What `studio` (the app) and `training` (the CLI) agree on, importing neither.

    checkpoint   the checkpoint folder: file names, metrics.json schema, listing, atomic write
    hub_ids      what a Hugging Face Hub repo id looks like
    images       decoding an image file into the RGB picture a classifier sees (app and training alike)
    errors       errors that carry a UI string key; one-line summaries of exceptions
    paths        the folders both sides read from the environment (models, shared assets)
    tables       plain-text results tables (CLI, evaluate, benchmarks)

Only the standard library, numpy and Pillow: importing it never pulls torch, transformers or gradio.
"""
