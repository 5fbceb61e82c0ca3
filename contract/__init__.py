"""What `studio` (the app) and `training` (the CLI) agree on, importing neither.

    checkpoint   the checkpoint folder: file names, metrics.json keys, split names, listing, atomic write
    hub_ids      what a Hugging Face Hub repo id looks like; which model references may be looked up
    images       decoding an image file into the RGB picture a classifier sees (app and training alike)
    image_folders  an image data set on disk: split folders, hidden and clutter names, image suffixes
    onnx_graph   an image checkpoint's model.onnx: open, run, check against torch
    errors       errors that carry a UI string key; one-line summaries of exceptions; token redaction
    escaping     visitors' words made inert wherever they are written for another program
    languages    the languages the app and training tell apart
    recipes      named training recipes (rows of flags) for the CLI, the Train tab, the benchmarks, and
                 what an unset flag is (--help and the Train tab's hints say it from the table)
    visitors     who owns what on a shared studio: operator's models, each visitor's runs and data
    paths        the folders both sides read from the environment (models, shared assets), REPO_ROOT
    plots        the confusion-matrix picture (matplotlib, imported only when one is drawn)
    progress     the progress file a run appends (`--progress-file`) and the Train tab reads
    runs         a training run: its name pattern, strategy names and own epochs/learning rates, kind -> task,
                 resumable checkpoints
    tables       results tables written as text, and CSV/TSV/JSON data files read (`read_table`)
    tokens       how many tokens a text model reads (`token_limit`)

Only the standard library, numpy and Pillow: importing it never pulls torch, transformers or gradio.
"""
