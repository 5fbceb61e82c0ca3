"""Fixing the data, not only the model: a run's suspect labels reviewed in the Train tab (keep, relabel,
exclude, retrain: review.py, review_tab.py) and wrong answers of the bean and sentiment tabs saved with
their right label into the visitor's own data set (store.py, wrong_answer.py). Strings in strings.py."""
