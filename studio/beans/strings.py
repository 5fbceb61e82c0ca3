"""The bean-leaf tab's strings.

Spanish (the course's language, the default) and English; studio.i18n.t reads them. Both
languages have the same keys (tests/studio/test_app.py checks it).
"""

STRINGS: dict[str, dict[str, str]] = {
    "es": {
        "beans.truth": "Etiqueta real del ejemplo: **{label}** {mark}",
        "beans.truth.label": "Etiqueta real del ejemplo",
        "beans.explain": "¿Por qué? Ver qué miró el modelo",
        "beans.explain.image": "Lo que más pesó en la respuesta",
        "beans.explain.opacity": "Opacidad del mapa de calor",
        "beans.explain.note": "Explicación",
        "beans.explain.result": (
            "Zonas que más pesaron para **{label}** (gradientes integrados, {seconds} s)."
        ),
        "beans.api.example": "Clasifica una hoja de ejemplo y compara con su etiqueta real.",
        "beans.api.explain": "Mapa de calor sobre la foto: qué zonas pesaron más en la clase más probable.",
        "beans.api.opacity": "Vuelve a dibujar el mapa de calor con otra opacidad.",
        "beans.api.status": (
            "Qué modelo clasifica las hojas ahora, qué se sabe de él y qué modelos se pueden elegir."
        ),
        "beans.api.classify": "Clasifica la foto de una hoja de frijol: las 3 enfermedades más probables.",
        "beans.api.model": "Qué se sabe del modelo elegido.",
        "beans.tab": "Hojas de frijol",
        "beans.intro": (
            "Sube la foto de una hoja de frijol: un modelo preentrenado y ajustado (*fine-tuned*) con "
            "transfer learning dice si está **sana**, tiene **roya** o **mancha angular**."
        ),
        "beans.image": "Hoja de frijol",
        "beans.classify": "Clasificar",
        "beans.result": "Las 3 clases más probables",
        "beans.examples": "Ejemplos (conjunto de validación)",
        "beans.info": "Sobre el modelo",
        "beans.no_model": (
            "Todavía no hay ningún modelo de hojas de frijol: entrena uno en la pestaña **Entrenar** (un par de "
            "minutos en CPU) o en la línea de comandos, que lo guarda en {models_dir}: {command}"
        ),
    },
    "en": {
        "beans.truth": "True label of the example: **{label}** {mark}",
        "beans.truth.label": "True label of the example",
        "beans.explain": "Why? See what the model looked at",
        "beans.explain.image": "What weighed most in the answer",
        "beans.explain.opacity": "Heatmap opacity",
        "beans.explain.note": "Explanation",
        "beans.explain.result": (
            "Areas that weighed most for **{label}** (integrated gradients, {seconds} s)."
        ),
        "beans.api.example": "Classify an example leaf and compare with its true label.",
        "beans.api.explain": "A heatmap over the photo: which areas weighed most for the top class.",
        "beans.api.opacity": "Redraw the heatmap with another opacity.",
        "beans.api.status": (
            "Which model classifies leaves now, what is known about it, and which models can be picked."
        ),
        "beans.api.classify": "Classify a photo of a bean leaf: the 3 most likely diseases.",
        "beans.api.model": "What is known about the picked model.",
        "beans.tab": "Bean leaves",
        "beans.intro": (
            "Upload a photo of a bean leaf: a pretrained model fine-tuned with transfer learning says "
            "whether it is **healthy**, has **bean rust** or **angular leaf spot**."
        ),
        "beans.image": "Bean leaf",
        "beans.classify": "Classify",
        "beans.result": "Top 3 classes",
        "beans.examples": "Examples (validation set)",
        "beans.info": "About the model",
        "beans.no_model": (
            "No model for bean leaves yet: train one in the **Train** tab (a couple of minutes on a CPU) or on "
            "the command line, which saves it in {models_dir}: {command}"
        ),
    },
}
