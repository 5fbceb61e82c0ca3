"""The Train tab on the learner's path through the real server (issue 29, items 2 and 5): a run starts from a
pretrained backbone even when trained checkpoints exist, and a CSV without a label column is refused in one
sentence that says what to add, while the next, correct file is accepted."""

from __future__ import annotations

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from studio.i18n import t
from tests.support.checkpoints import scored_checkpoint as checkpoint
from tests.support.tiny import LEAF_CLASSES, make_tiny_vit
from tests.support.train_helpers import tiny_image_zip

pytestmark = [pytest.mark.serves, pytest.mark.usefixtures("one_torch_thread")]


@pytest.fixture
def client(serve_app, tmp_path):
    models = tmp_path / "models"
    checkpoint(models / "beans-trained", LEAF_CLASSES, validation=0.96)  # already a bean model: not a start
    backbone = make_tiny_vit(tmp_path / "base" / "tiny-vit")
    url = serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_EXAMPLES_DIR": tmp_path / "none", "STUDIO_LANG": "es",
                     "STUDIO_BEANS_MODEL": "", "STUDIO_BOOTSTRAP": "off", "STUDIO_BASE_MODELS": f"tiny-vit={backbone}",
                     "OMP_NUM_THREADS": "1"})
    return Client(url, verbose=False)


def explore(client: Client, path, text_column=None, label_column=None) -> tuple:
    return client.predict("upload", handle_file(str(path)), None, "", text_column, label_column, "",
                          api_name="/train_explore")


def test_a_run_starts_from_the_pretrained_backbone_not_the_last_checkpoint(client, tmp_path):
    *_, base = explore(client, tiny_image_zip(tmp_path))
    shown = dict((value, label) for label, value in base["choices"])
    assert base["value"] == "op:tiny-vit", base
    assert shown["op:tiny-vit"] == t("train.base.pretrained", lang="es", name="tiny-vit")
    assert shown["beans-trained"] == t("train.base.trained", lang="es", name="beans-trained")


def test_a_csv_without_a_label_column_is_refused_and_the_next_file_is_read_with_its_own_columns(client, tmp_path):
    sentences = tmp_path / "frases.csv"
    sentences.write_text("frase\nMe encantó\nQué lata\nMuy buena\nUn horror\n", encoding="utf-8")
    data_id, summary, *_ = explore(client, sentences)
    assert "añádela" in summary and "⛔" in summary, summary
    labelled = tmp_path / "opiniones.csv"
    labelled.write_text("texto,etiqueta\n" + "".join(f"frase {n},{'pos' if n % 2 else 'neg'}\n" for n in range(12)),
                        encoding="utf-8")
    data_id, summary, _bars, _gallery, _rows, text_column, label_column, _base = explore(client, labelled)
    assert t("train.summary.ready", lang="es") in summary, summary
    assert (text_column["value"], label_column["value"]) == ("texto", "etiqueta")


def test_a_pdf_is_refused_in_one_sentence_that_says_what_to_upload(client, tmp_path):
    """Issue 29, item 10: the Train tab refused a PDF without a word, and the previous summary stayed."""
    pdf = tmp_path / "apuntes.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    with pytest.raises(AppError) as refused:
        explore(client, pdf)
    message = str(refused.value)
    assert "«apuntes.pdf» no es un zip" in message and ".csv" in message and "Traceback" not in message
