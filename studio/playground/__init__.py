"""The zero-code pipeline playground: one `Task` record per task (table.py), the user's inputs
(inputs.py) turned into a `transformers.pipeline` call (calls.py), its output into a component value
(render.py), the same call as runnable Python (snippet.py), local checkpoints that fit a task
(checkpoints.py), and the orchestration that loads and runs (run.py). tab.py lays out the components and
holds the handlers; strings.py its strings.
"""
