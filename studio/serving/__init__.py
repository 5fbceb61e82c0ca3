"""A tab's model from request to forward pass. service.py is what a request passes through: the tab's
ModelService (which model, remembered while models/ is unchanged), the LRU cache of loaded models
(shared with the playground's pipelines) and the MicroBatcher whose worker thread runs the forward
passes. Beside it, what is decided once per model: the reference rules and the operator's model
(models.py: an override, the best local checkpoint, a Hub default), whether a Hub model may be loaded at
all (hub_guard.py), and an image checkpoint's graph on ONNX Runtime, checked at load (onnx.py,
onnx_int8.py). No Gradio.
"""
