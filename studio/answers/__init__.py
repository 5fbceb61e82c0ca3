"""What an answer says beside its label, the same for every tab: the "about this model" card and the
classes in the user's language (about.py), caveats on confidence and small inputs (confidence.py), the
language of a text and those a model reads (language.py), and why the model answered so: a heatmap over
a photo or a score per word (explain.py). Pure functions of a ModelChoice, a loaded model and the UI
strings (strings.py); no Gradio.
"""
