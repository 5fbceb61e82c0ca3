"""The sentiment tab: one text, many lines or a CSV in; the label, its confidence, the words that
weighed, and a results table and CSV out. predict.py holds the logic without Gradio (cleaning and
capping texts, reading a CSV, classifying in batches, writing the download); tab.py lays out the
components and holds the handlers; strings.py its strings.
"""
