"""The model card (README.md) of every checkpoint, built from its metrics.json.

The metadata (base_model, datasets, model-index with one result per split, widget examples) goes
through huggingface_hub's ModelCardData/EvalResult, so the Hub shows the results; the text is a
Jinja template rendered by ModelCard.from_template.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from huggingface_hub import EvalResult, ModelCard, ModelCardData

from contract.checkpoint import CARD_FILE, CONFUSION_MATRIX_FILE
from contract.escaping import markdown_text
from contract.hub_ids import folder_name, is_hub_id

# Never written into a card, even if a training argument carries it.
SECRET_ARG = re.compile(r"token|secret|password|api_key", re.IGNORECASE)

# Local copies of the course's data sets, known by their folder name -> their Hub dataset id.
KNOWN_DATASETS = {"beans": "AI-Lab-Makerere/beans", "sst2": "stanfordnlp/sst2", "sst-2": "stanfordnlp/sst2"}
# What the card says about a known dataset: its language (metadata) and a limitation it brings.
DATASET_NOTES = {
    "AI-Lab-Makerere/beans": (None, " The leaves were photographed in Ugandan fields with phones: other crops "
                              "or diseases are not recognised."),
    "stanfordnlp/sst2": ("en", " SST-2 is English movie reviews: other languages and topics do worse."),
}
LEAF_EXAMPLES = [
    {"src": f"https://huggingface.co/nateraw/vit-base-beans/resolve/main/{name}.jpeg", "example_title": title}
    for name, title in (("healthy", "Healthy leaf"), ("angular_leaf_spot", "Angular leaf spot"),
                        ("bean_rust", "Bean rust"))
]
GENERIC_IMAGE_EXAMPLES = [
    {"src": "https://huggingface.co/datasets/mishig/sample_images/resolve/main/tiger.jpg", "example_title": "Tiger"},
]
TEXT_EXAMPLES = [
    {"text": "I loved this movie, the acting was wonderful!", "example_title": "Positive"},
    {"text": "A boring, predictable and far too long film.", "example_title": "Negative"},
    {"text": "Me encantó la película, es maravillosa.", "example_title": "Spanish (out of domain)"},
]
TASK_WORDS = {
    "image-classification": ("image", "images", "an image"),
    "text-classification": ("text", "sentences", "a sentence"),
}
STRATEGY_TEXT = {
    "head": "feature extraction: freezing the pretrained backbone and training only a new classification head",
    "full": "full fine-tuning: updating every weight of the pretrained model, starting from its pretrained values",
    "last-n": "fine-tuning only the last blocks of the pretrained backbone and a new classification head",
    "probe-then-full": "training a new classification head on the frozen backbone first, then fine-tuning every "
                       "weight from there",
}

TEMPLATE = """---
{{ card_data }}
---

# {{ name }}

This model classifies {{ words[1] }} into {{ label_names | length }} classes
({{ label_names | join(', ') }}). It was made with **transfer learning** by {{ strategy_text }}.
It was trained with Transfer Learning Studio for a course on transfer learning, so it is
a teaching model: good for learning and demos, not a product.

- **Base model:** {{ base_model_link }}
- **Dataset:** {{ dataset_link }}
- **Task:** `{{ task }}`
- **Strategy:** `{{ strategy }}`

## Results

{% if results %}| split | accuracy | F1 (macro) | loss | examples |
| --- | --- | --- | --- | --- |
{% for row in results %}| {{ row.split }} | {{ row.accuracy }} | {{ row.f1_macro }} | {{ row.loss }} | {{ row.num_examples }} |
{% endfor %}{% else %}No evaluation results were recorded.
{% endif %}
{% if kfold %}
**Cross-validated:** {{ kfold.folds }}-fold over {{ kfold.splits | join('+') }} ({{ kfold.num_examples }} examples, a
fresh model trained on each fold): accuracy **{{ kfold.accuracy_mean }} ± {{ kfold.accuracy_std }}**, F1 (macro)
{{ kfold.f1_macro_mean }} ± {{ kfold.f1_macro_std }}. The validation split above is small and was used to pick the
epoch, so this is the better estimate of accuracy on new {{ words[1] }}.
{% endif %}{% if label_issues %}
**Suspect labels:** {{ label_issues.count }} of the {{ label_issues.examples }} cross-validated examples have a label
the fold models contradict (out-of-fold probabilities ranked with cleanlab; all in `label_issues.json`). The most
suspect:

| example | given | suggested | probability of the given label |
| --- | --- | --- | --- |
{% for row in label_issues.top %}| {{ row.example }} | {{ row.given }} | {{ row.suggested }} | {{ row.score }} |
{% endfor %}{% endif %}
{% for row in results if row.matrix %}
### Confusion matrix ({{ row.split }})

Rows are the true class, columns the predicted class.

| true ↓ · predicted → | {{ label_names | join(' | ') }} |
| --- |{% for _ in label_names %} --- |{% endfor %}
{% for line in row.matrix %}| **{{ label_names[loop.index0] if loop.index0 < label_names | length else loop.index0 }}** | {{ line | join(' | ') }} |
{% endfor %}{% endfor %}
{% if confusion_matrix_png %}![Confusion matrix on the evaluation split]({{ confusion_matrix_png }})
{% endif %}
## How to use

```python
from transformers import pipeline

classifier = pipeline("{{ task }}", model="{{ model_ref }}")
print(classifier({{ usage_input }}))
```
{% if offline_page %}
**Offline, in a browser:** the [`{{ offline_page }}/`]({{ offline_page_url }}) folder runs this model on a phone or
a computer with no server and no network: download it and open `index.html` (from a static host it installs
as an app). It carries the int8 graph, the labels and the same preprocessing as the Python code above.
{% endif %}
## Intended use and limitations

Intended for students and teachers who want to see what transfer learning does: try it on
{{ words[1] }} like the ones in the dataset above and compare it with its base model.

- It only knows the classes above: any input gets one of them, even when none applies.
- The scores hold for data like the evaluation split; other sources (cameras, lighting, writing
  style, language) may do much worse.{{ extra_limitation }}
- Small course datasets carry their biases into the model. Do not use it for decisions about
  people, health, or crops without checking it on your own data first.

## Training procedure

{% if train %}Trained for {{ train.epochs | default('?') }} epochs on {{ train.num_examples | default('?') }} examples
in {{ train.runtime_s | default('?') }} s{% if train.samples_per_second %} ({{ train.samples_per_second }} samples/s){% endif %}.
{% endif %}
{% if hyperparameters %}| hyperparameter | value |
| --- | --- |
{% for key, value in hyperparameters %}| {{ key }} | `{{ value }}` |
{% endfor %}{% endif %}
{% if versions %}
### Framework versions

{% for key, value in versions %}- {{ key }} {{ value }}
{% endfor %}{% endif %}{% if created %}
Created {{ created }}.
{% endif %}"""


def hub_ref(ref: str | None) -> str | None:
    """A Hub id if `ref` looks like one and is not a folder on this machine, else None."""
    if not is_hub_id(ref) or Path(ref).expanduser().exists():
        return None
    return ref


def dataset_id(dataset: str | None) -> str | None:
    """The Hub dataset id of `dataset`: itself if it is one, or a known course data set's local copy."""
    if not dataset:
        return None
    known = KNOWN_DATASETS.get(Path(dataset.rstrip("/")).name.lower())
    if hub_ref(dataset) and ("/" in dataset or known is None):
        return dataset
    return known


def public_name(ref: str | None) -> str:
    """How a model/dataset reference is shown: a Hub id as is, a local path by its folder name only (a card
    never reveals the trainer's disk layout)."""
    if not ref:
        return "unknown"
    return hub_ref(ref) or f"a local folder `{folder_name(ref)}`"


def _link(ref: str | None, hub_id: str | None, kind: str) -> str:
    if hub_id:
        prefix = "datasets/" if kind == "dataset" else ""
        return f"[{hub_id}](https://huggingface.co/{prefix}{hub_id})"
    return public_name(ref)


def _round(value: Any) -> Any:
    """4 significant digits: 0.954887 -> 0.9549, and a learning rate of 5e-05 stays 5e-05."""
    return float(f"{value:.4g}") if isinstance(value, float) else value


def eval_results(metrics: dict[str, Any]) -> list[EvalResult]:
    """One EvalResult per split and metric (accuracy, macro F1, loss): the model-index the Hub shows."""
    task = metrics.get("task", "image-classification")
    data = dataset_id(metrics.get("dataset"))
    dataset_type = data or ("imagefolder" if task == "image-classification" else "csv")
    dataset_name = data or folder_name(metrics.get("dataset") or "unknown")
    results = []
    for split, values in metrics.get("splits", {}).items():
        for key, metric_type, metric_name, config in (
            ("accuracy", "accuracy", "Accuracy", None),
            ("f1_macro", "f1", "F1 (macro)", "macro"),
            ("loss", "loss", "Loss", None),
        ):
            if isinstance(values.get(key), int | float):
                results.append(EvalResult(
                    task_type=task, dataset_type=dataset_type, dataset_name=dataset_name,
                    dataset_split=split, metric_type=metric_type, metric_name=metric_name,
                    metric_config=config, metric_value=_round(float(values[key])),
                ))
    return results


def hyperparameters(args: dict[str, Any]) -> list[tuple[str, Any]]:
    """Training arguments worth showing: scalars only, secrets dropped, local paths cut to their name."""
    shown = []
    for key, value in sorted(args.items()):
        if SECRET_ARG.search(key) or value is None or isinstance(value, dict | list):
            continue
        if isinstance(value, str) and ("/" in value or "\\" in value) and not hub_ref(value):
            value = folder_name(value)
        shown.append((key, _round(value)))
    return shown


def widget_examples(task: str, label_names: list[str]) -> list[dict[str, str]]:
    if task == "text-classification":
        return TEXT_EXAMPLES
    return LEAF_EXAMPLES if set(label_names) == {"angular_leaf_spot", "bean_rust", "healthy"} else GENERIC_IMAGE_EXAMPLES


def label_issue_rows(found: dict[str, Any] | None) -> dict[str, Any] | None:
    """metrics.json's `label_issues` summary with every visitor-given word escaped for Markdown."""
    if not found:
        return None
    rows = [{"example": markdown_text(Path(row["path"]).name if "path" in row else row.get("text", ""), 80),
             "given": markdown_text(row["given"]), "suggested": markdown_text(row["suggested"]),
             "score": row["score"]} for row in found.get("top", [])]
    return {"count": found.get("count", 0), "examples": found.get("examples", "?"), "top": rows}


def build_model_card(metrics: dict[str, Any], repo_id: str | None = None, has_confusion_png: bool = False,
                     license: str | None = None, offline_page: str | None = None) -> ModelCard:
    """The card as a ModelCard object (metadata + text); `repo_id` is used in the usage snippet."""
    task = metrics.get("task", "image-classification")
    label_names = list(metrics.get("label_names") or [])
    base = hub_ref(metrics.get("base_model"))
    data = dataset_id(metrics.get("dataset"))
    name = metrics.get("name") or (repo_id or "model").split("/")[-1]
    card_data = ModelCardData(
        base_model=base, datasets=[data] if data else None, library_name="transformers",
        pipeline_tag=task, license=license, metrics=["accuracy", "f1"], language=metrics.get("languages") or DATASET_NOTES.get(data, (None,))[0],
        tags=["transfer-learning", "transfer-learning-studio", f"strategy-{metrics.get('strategy', 'unknown')}"],
        model_name=name, eval_results=eval_results(metrics) or None,
        widget=widget_examples(task, label_names),
    )
    results = [
        {"split": split, **{k: _round(values.get(k, "")) for k in ("accuracy", "f1_macro", "loss", "num_examples")},
         "matrix": values.get("confusion_matrix")}
        for split, values in metrics.get("splits", {}).items()
    ]
    words = TASK_WORDS.get(task, ("input", "inputs", "an input"))
    example = widget_examples(task, label_names)[0]
    usage_input = f'"{example["text"]}"' if "text" in example else f'"{example["src"]}"'
    return ModelCard.from_template(
        card_data, template_str=TEMPLATE,
        name=name, task=task, words=words, strategy=metrics.get("strategy", "unknown"),
        label_names=[markdown_text(label) for label in label_names],  # a visitor's `|` or `# ` is text
        strategy_text=STRATEGY_TEXT.get(metrics.get("strategy"), "adapting a pretrained model to new classes"),
        base_model_link=_link(metrics.get("base_model"), base, "model"),
        dataset_link=_link(metrics.get("dataset"), data, "dataset"),
        results=results, kfold=metrics.get("kfold"), label_issues=label_issue_rows(metrics.get("label_issues")), confusion_matrix_png=CONFUSION_MATRIX_FILE if has_confusion_png else None,
        model_ref=repo_id or f"path/to/{name}", usage_input=usage_input, offline_page=offline_page,
        offline_page_url=f"https://huggingface.co/{repo_id}/tree/main/{offline_page}" if repo_id else offline_page,
        extra_limitation=DATASET_NOTES.get(data, (None, ""))[1],
        train={k: _round(v) for k, v in (metrics.get("train") or {}).items()},
        hyperparameters=hyperparameters(metrics.get("args") or {}),
        versions=sorted((metrics.get("versions") or {}).items()), created=metrics.get("created"),
    )


def write_model_card(checkpoint_dir: Path, metrics: dict[str, Any], repo_id: str | None = None,
                     license: str | None = None) -> Path:
    """Write `checkpoint_dir/README.md` from the metrics.json dict and return its path."""
    checkpoint_dir = Path(checkpoint_dir)
    card = build_model_card(metrics, repo_id=repo_id, license=license,
                            has_confusion_png=(checkpoint_dir / CONFUSION_MATRIX_FILE).is_file())
    path = checkpoint_dir / CARD_FILE
    card.save(path)
    return path
