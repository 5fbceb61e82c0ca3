"""Transfer Learning Studio, the app's side: one package per feature, each holding its logic and its tab
(`tab.py`, with `build(demo)`), plus what they share.

Features: beans/ (bean-leaf photos), sentiment/ (texts), playground/ (any pipeline, no code), train/
(the Train tab: data, jobs, runs, review, sharing, first models). Shared: serving/ (which model a tab
uses, loaded once, guarded, its forward passes batched), answers/ (what an answer says beside its label:
which model answered, the model card, confidence caveats, languages, explanations), feedback/ (a wrong
answer saved with its right label into the visitor's data). Modules: config (every setting), visitors
(who asks), errors (the one kind of error a user sees), i18n (`t`, `percent`), strings (the page's own
strings), ui (what every tab does the same way in Gradio), http_limits and url_inputs (every request
body and URL input bounded, issue 28). app.py builds the page from the tabs and
wires what no layer may import (the first models); studio never imports `training`, both meet in
`contract`.

Layers, bottom to top. A module imports from its own package and from the layers below it, never from
a package beside it or above it, at the top of a file or inside a function (tests/test_layout.py reads
this table and checks every import of studio/ against it); contract/ and libraries are below them all,
app.py above them all:

    1. strings    strings, */strings                    the words: tables that import nothing of studio
    2. shared     config, visitors, i18n, errors, partial_uploads   settings, owners, t(), the user's error, cut uploads
    3. serving    serving                               a tab's model: resolved, guarded, loaded, batched
    4. answers    answers                               what an answer says: which model, card, caveats, why
    5. ui         ui, http_limits, url_inputs           Gradio shared by the tabs; bodies, URL inputs bounded
    6. feedback   feedback                              wrong answers saved into the visitor's data
    7. features   beans, sentiment, playground, train   the tabs, which never import each other
    8. agents     agents                                the tabs' events as MCP tools

"Its own package" is studio/ itself for the top-level modules of one row (i18n imports config); a
package's strings.py is in the first row, so i18n can merge every feature's words. There is no other
exception: what two features share goes down a layer (a tab asks serving how far its first model is,
studio/serving/first_model.py; app.py tells serving who knows, studio/train/bootstrap.py).
"""
