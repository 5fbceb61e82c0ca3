"""Transfer Learning Studio, the app's side: one package per feature, each holding its logic and its tab
(`tab.py`, with `build(demo)`), plus what they share.

Features: beans/ (bean-leaf photos), sentiment/ (texts), playground/ (any pipeline, no code), train/
(the Train tab: data, jobs, runs, sharing). Shared: serving/ (which model a tab uses, loaded once,
guarded, its forward passes batched), answers/ (what an answer says beside its label: the model card,
confidence caveats, languages, explanations). Modules: config (every setting), errors (the one kind
of error a user sees), i18n (`t`, `percent`), strings (the page's own strings), ui (what every tab does
the same way in Gradio). app.py builds the page from the tabs; studio never imports `training`, both
meet in `contract`.
"""
