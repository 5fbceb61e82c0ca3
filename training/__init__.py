"""Fine-tune and evaluate classifiers; write the checkpoints the app loads (`python -m training ...`).

`__main__` dispatches each command to its module's `main` (image, text, evaluate, push/deploy-space in
hub, export-onnx in export); `args` holds the flags every run shares and `recipes` the named rows of flags.
An adapter per modality (`image`, `text` with `text_data`) turns data and a base model into a
`data.TrainingTask`, and `run.run_training` takes it from there: `data` (splits, holdout, the dataset
Trainer reads), `pretrained` (checked loading, where the classifier and blocks are), `strategies`
(head, last-n, probe-then-full, full), `features` (frozen-layer outputs computed once and cached),
`trainer` (Trainer and its arguments, --resume), `scoring` (metrics over test-time views), `kfold`
(--eval-protocol kfold), `save` (the checkpoint folder, contract/checkpoint.py) with `card`, `metrics`
and `progress` beside them. `export`/`quantize` write model.onnx and model.int8.onnx; `label_issues`
and `inspect` find suspect labels; `languages` detects a text set's languages. Nothing here imports
the app (`studio`); what both sides agree on lives in `contract`.
"""
