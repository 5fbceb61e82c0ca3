"""Fine-tune and evaluate classifiers; write the checkpoints the app loads (`python -m training ...`)."""
