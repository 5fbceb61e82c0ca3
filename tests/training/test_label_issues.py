"""Suspect labels, top losses and the confusion drill-down from class probabilities (training/outputs/label_issues.py)."""

from __future__ import annotations

import numpy as np
import pytest

from training.outputs.label_issues import (
    confusion_cell,
    confusion_counts,
    label_issues,
    summary,
    table,
    text_item,
    top_losses,
)

NAMES = ["angular_leaf_spot", "bean_rust", "healthy"]


def noisy_probabilities(seed: int = 0, count: int = 300, planted: int = 12):
    """Out-of-fold-like probabilities of a ~90 % accurate model, and labels with `planted` flipped on
    purpose: the model keeps predicting the true class of a flipped example."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 3, count)
    logits = rng.normal(0, 1, (count, 3))
    logits[np.arange(count), truth] += 4.5
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = truth.copy()
    flipped = rng.choice(count, planted, replace=False)
    labels[flipped] = (truth[flipped] + rng.integers(1, 3, planted)) % 3
    items = [{"path": f"train/{NAMES[labels[i]]}/{i}.jpg"} for i in range(count)]
    return probabilities, labels, truth, items, set(flipped.tolist())


def test_planted_wrong_labels_rank_first():
    probabilities, labels, truth, items, flipped = noisy_probabilities()
    issues = label_issues(probabilities, labels, items, NAMES)
    first = [issue["path"] for issue in issues[:len(flipped)]]
    assert {int(path.split("/")[-1][:-4]) for path in first} == flipped
    by_path = {issue["path"]: issue for issue in issues}
    for index in flipped:
        issue = by_path[items[index]["path"]]
        assert issue["given"] == NAMES[labels[index]]
        assert issue["suggested"] == NAMES[truth[index]]
    scores = [issue["score"] for issue in issues]
    assert scores == sorted(scores), "most suspect (lowest label quality) first"
    assert all(0 <= s <= 1 for s in scores)


def test_recall_at_one_and_a_half_times_the_flipped_count_across_seeds():
    for seed in range(5):
        probabilities, labels, _truth, items, flipped = noisy_probabilities(seed, count=600, planted=30)
        issues = label_issues(probabilities, labels, items, NAMES)
        window = [int(i["path"].split("/")[-1][:-4]) for i in issues[:int(1.5 * len(flipped))]]
        assert len(flipped & set(window)) / len(flipped) >= 0.9


def test_clean_confident_labels_have_no_issues():
    labels = np.array([0, 1, 2] * 20)
    probabilities = np.full((60, 3), 0.02)
    probabilities[np.arange(60), labels] = 0.96
    assert label_issues(probabilities, labels, [{"path": str(i)} for i in range(60)], NAMES) == []


def test_tiny_data_falls_back_to_wrong_answers_by_confidence():
    """Three examples, one class with a single example: confident learning cannot run; the examples the
    model contradicts still come out, the most contradicted first."""
    probabilities = np.array([[0.9, 0.1], [0.3, 0.7], [0.05, 0.95]])
    labels = [0, 0, 0]
    items = [text_item(i, text) for i, text in enumerate(["good", "fine", "awful"])]
    issues = label_issues(probabilities, labels, items, ["negative", "positive"])
    assert [issue["row"] for issue in issues] == [2, 1]
    assert issues[0] == {"row": 2, "text": "awful", "given": "negative", "suggested": "positive", "score": 0.05,
                         "suggested_probability": 0.95}


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="same examples"):
        label_issues(np.ones((3, 2)) / 2, [0, 1], [{"row": 0}] * 3, ["a", "b"])
    with pytest.raises(ValueError, match="outside"):
        label_issues(np.ones((2, 2)) / 2, [0, 2], [{"row": 0}] * 2, ["a", "b"])


def test_text_items_are_cut_and_pairs_joined():
    assert text_item(3, ("a", "b"), "train") == {"split": "train", "row": 3, "text": "a || b"}
    long = text_item(0, "x" * 10_000)["text"]
    assert len(long) == 300 and long.endswith("…")


def test_top_losses_order_and_fields():
    probabilities = np.array([[0.8, 0.2], [0.1, 0.9], [0.6, 0.4], [0.3, 0.7]])
    labels = [0, 0, 1, 1]
    items = [{"path": f"{i}.jpg"} for i in range(4)]
    found = top_losses(probabilities, labels, items, ["cat", "dog"])
    assert [e["path"] for e in found] == ["1.jpg", "2.jpg", "3.jpg", "0.jpg"]
    assert found[0] == {"path": "1.jpg", "given": "cat", "predicted": "dog", "probability": 0.9,
                        "given_probability": 0.1, "loss": round(-np.log(0.1), 4)}
    assert len(top_losses(probabilities, labels, items, ["cat", "dog"], limit=2)) == 2


def test_confusion_drill_down_matches_the_matrix():
    probabilities, labels, _truth, items, _flipped = noisy_probabilities(1)
    examples = top_losses(probabilities, labels, items, NAMES)
    predicted = probabilities.argmax(axis=1)
    matrix = confusion_counts(examples, NAMES)
    for t, true in enumerate(NAMES):
        for p, guess in enumerate(NAMES):
            cell = confusion_cell(examples, true, guess)
            assert len(cell) == matrix[t][p] == int(((labels == t) & (predicted == p)).sum())
            assert all(e["given"] == true and e["predicted"] == guess for e in cell)
            assert [e["probability"] for e in cell] == sorted((e["probability"] for e in cell), reverse=True)


def test_summary_and_table():
    probabilities, labels, _truth, items, flipped = noisy_probabilities()
    issues = label_issues(probabilities, labels, items, NAMES)
    found = summary(issues, len(labels))
    assert found["count"] == len(issues) >= len(flipped) and len(found["top"]) == 5
    assert found["top"][0] == issues[0]
    rendered = table(issues, ["given", "suggested", "score"], 3).splitlines()
    assert len(rendered) == 5 and issues[0]["path"] in rendered[2] and issues[0]["suggested"] in rendered[2]
