"""The Train tab: look at a data set, train on it in a separate `python -m training` process with live
curves, compare runs, share a checkpoint on the Hub. tab.py lays out the components and holds the
handlers (JobPanel answers by component); the logic, without Gradio: data.py explores a source into a
draft job (zip_intake.py checks and extracts zips, preview.py inspects and stages the data), start.py
checks a training request, jobstore.py is a job's record (job.json) and its folder, jobs.py runs the
jobs, progress.py and view.py read what a job shows, runs.py is the Runs table, review.py and
review_tab.py review a run's labels and retrain with the decisions, own_data.py offers the visitor's
correction sets (studio/feedback/) as data, push.py and signin.py share a checkpoint, random_base.py
writes the random-weights baseline, bootstrap.py trains a first model for a tab that has none (app.py
starts it and tells serving how far it is); strings.py its strings.
"""
