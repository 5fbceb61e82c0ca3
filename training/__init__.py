"""Fine-tune and evaluate classifiers; write the checkpoints the app loads (`python -m training ...`).

Four stages, read top down; a module imports its own stage or the ones below, never one above
(tests/test_layout.py), and nothing here imports the app (`studio`): what both agree on is in `contract`.

    commands/    parse the arguments, build the task, call the flow: the only place that does
                 (image, text, evaluate, export_onnx, inspect, hub, visitors; parser, recipes)
    modalities/  adapters: a base model and a data set made into a TrainingTask (image*.py, text*.py,
                 languages); no command here
    flow/        the run: args (TrainArgs), data (TrainingTask), run (holdout -> k-fold -> strategy ->
                 checkpoint), strategies, features and frozen_graph (cached frozen layers), trainer,
                 scoring, kfold, pretrained, progress
    outputs/     what a run writes: save (the checkpoint folder), onnx, quantize, card, metrics,
                 label_issues, hub

`__main__` maps each command to its function (COMMANDS). The task and every argument class are frozen
dataclasses: built once by a command, read by the flow; what changes during a run (the frozen layers'
outputs) is a FeatureCache passed down, and what is written comes back as a value (save_checkpoint
returns the metrics written).
"""
