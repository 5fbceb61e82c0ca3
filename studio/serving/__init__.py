"""A tab's model from request to forward pass: which model (models.py: an operator's override, the best
local checkpoint, a Hub default; references validated), whether a Hub model may be loaded at all
(hub_guard.py), loaded once and kept (cache.py: model + processor for the tabs, pipelines for the
playground), the tab's ModelService tying these together for a handler (service.py), requests sharing
a forward pass (batching.py) and an image checkpoint's graph on ONNX Runtime (onnx.py). No Gradio.
"""
