"""The bean-leaf tab: a photo in, the three likeliest diseases out, which model answered, and why.
predict.py holds the logic without Gradio (the tab's ModelService, the photo decoded as training decoded
it, the batched forward pass on ONNX Runtime or torch, the command that trains a model); tab.py lays out
the components and holds the handlers; examples.py finds example photos; strings.py its strings.
"""
