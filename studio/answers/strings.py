"""Strings of what an answer says beside its label: the model card, confidence caveats, languages, class names.

Spanish (the course's language, the default) and English; studio.i18n.t reads them. Both
languages have the same keys (tests/studio/test_app.py checks it).
"""

STRINGS: dict[str, dict[str, str]] = {
    "es": {
        "confidence.low": (
            "⚠️ Confianza baja ({top}): el modelo duda entre sus clases; no te fíes de esta respuesta."
        ),
        "confidence.low.calibrated": (
            "⚠️ Confianza baja ({top}, por debajo de {threshold}): en validación, las respuestas así de "
            "inseguras acertaron solo el {accuracy}."
        ),
        "confidence.certain": (
            "ℹ️ Un 100 % no es una certeza: el modelo reparte la probabilidad solo entre sus clases, aunque "
            "ninguna encaje con lo que le muestras."
        ),
        "confidence.small_image": "⚠️ La imagen es muy pequeña ({size} px): el modelo ve muy poco detalle.",
        "about.matrix": "Matriz de confusión (validación)",
        "about.matrix.true": "clase real",
        "about.matrix.predicted": "clase predicha",
        "about.labels": "**Clases**: {labels}",
        "about.base_model": "**Modelo base**: {base_model}",
        "about.dataset": "**Datos**: {dataset} ({examples} ejemplos de entrenamiento)",
        "about.strategy": "**Estrategia**: {strategy}",
        "about.strategy.head": "solo la cabeza (backbone congelado)",
        "about.strategy.full": "ajuste completo (todas las capas)",
        "about.time": "**Tiempo de entrenamiento**: {seconds} s",
        "about.accuracy": "**Exactitud en {split}**: {accuracy} ({examples} ejemplos)",
        "about.kfold": (
            "**Exactitud en validación cruzada** ({folds} particiones de {examples} ejemplos, un modelo "
            "nuevo por partición): {mean} ± {std}. Mide mejor que la validación sola lo que acertará con "
            "hojas nuevas."
        ),
        "about.per_class": "**Por clase** (validación):",
        "about.class": "clase",
        "about.precision": "precisión",
        "about.recall": "exhaustividad",
        "about.examples": "ejemplos",
        "about.created": "**Entrenado**: {created}",
        "about.hub": "Modelo público del Hub: {model}. Sus métricas y límites están en su ficha.",
        "about.no_metrics": (
            "Este checkpoint no tiene metrics.json: no se sabe con qué datos se entrenó ni cómo rinde."
        ),
        "about.limits": "**Límites**",
        "about.calibration": (
            "**Confianza**: por debajo de {threshold} el modelo avisa de que duda: así de inseguras fueron "
            "el 10 % de sus respuestas en validación, y acertaron el {accuracy} (el resto, el {above})."
        ),
        "about.limits.image-classification": (
            "Solo conoce las clases de arriba: a cualquier imagen le asigna una de ellas, aunque no sea una "
            "hoja. Las cifras valen para fotos como las de sus datos; otras cámaras, luz o cultivos pueden "
            "ir mucho peor."
        ),
        "about.limits.text-classification": (
            "Solo conoce las etiquetas de arriba y los idiomas de sus datos de entrenamiento: en otro "
            "idioma o en otro tema la respuesta puede ser errónea aunque parezca segura."
        ),
        "about.limits.generic": "Solo conoce las clases de sus datos de entrenamiento.",
        "label.angular_leaf_spot": "Mancha angular",
        "label.bean_rust": "Roya del frijol",
        "label.healthy": "Sana",
        "label.negative": "negativo",
        "label.positive": "positivo",
        "lang.en": "inglés",
        "lang.es": "español",
        "lang.pt": "portugués",
        "lang.fr": "francés",
        "lang.de": "alemán",
        "lang.it": "italiano",
        "lang.nl": "neerlandés",
        "label.1 star": "★☆☆☆☆ 1 estrella",
        "label.2 stars": "★★☆☆☆ 2 estrellas",
        "label.3 stars": "★★★☆☆ 3 estrellas",
        "label.4 stars": "★★★★☆ 4 estrellas",
        "label.5 stars": "★★★★★ 5 estrellas",
        "offline.button": "Descargar para usar sin conexión",
        "offline.file": "Página sin conexión (descomprime y abre index.html en el móvil o el ordenador)",
        "offline.api": "El modelo elegido como página web que funciona sin servidor ni red (un zip).",
        "offline.no_runtime": (
            "Este servidor no tiene el motor JavaScript de la página sin conexión (onnxruntime-web): quien lo "
            "administra lo instala con `npm ci --prefix web`."
        ),
        "offline.no_graph": (
            "Este modelo no tiene grafo ONNX: expórtalo con `python -m training export-onnx --checkpoint <carpeta> "
            "--quantize int8`."
        ),
        "offline.too_big": "El modelo ocupa {size_mb} MB: demasiado para una página que abra un móvil.",
        "offline.not_checkpoint": "Esa carpeta no es un modelo entrenado (falta metrics.json).",
        "offline.not_local": "Solo se puede descargar un modelo entrenado aquí, no uno del Hub.",
        "offline.not_image": "La página sin conexión funciona con clasificadores de imágenes; este modelo es de {task}.",
        "offline.no_processor": "Al modelo le falta preprocessor_config.json.",
        "offline.unsupported": "La página no sabe repetir el preprocesado de este modelo ({what}).",
    },
    "en": {
        "confidence.low": (
            "⚠️ Low confidence ({top}): the model hesitates between its classes; do not trust this answer."
        ),
        "confidence.low.calibrated": (
            "⚠️ Low confidence ({top}, below {threshold}): on validation, answers this unsure were right "
            "only {accuracy} of the time."
        ),
        "confidence.certain": (
            "ℹ️ 100% is not certainty: the model shares the probability among its own classes only, even "
            "when none of them fits what you show it."
        ),
        "confidence.small_image": (
            "⚠️ The image is very small ({size} px): the model sees very little detail."
        ),
        "about.matrix": "Confusion matrix (validation)",
        "about.matrix.true": "true class",
        "about.matrix.predicted": "predicted class",
        "about.labels": "**Classes**: {labels}",
        "about.base_model": "**Base model**: {base_model}",
        "about.dataset": "**Data**: {dataset} ({examples} training examples)",
        "about.strategy": "**Strategy**: {strategy}",
        "about.strategy.head": "head only (frozen backbone)",
        "about.strategy.full": "full fine-tuning (every layer)",
        "about.time": "**Training time**: {seconds} s",
        "about.accuracy": "**Accuracy on {split}**: {accuracy} ({examples} examples)",
        "about.kfold": (
            "**Cross-validated accuracy** ({folds} folds of {examples} examples, a fresh model per fold): "
            "{mean} ± {std}. A better guide than validation alone to how it does on new inputs."
        ),
        "about.per_class": "**Per class** (validation):",
        "about.class": "class",
        "about.precision": "precision",
        "about.recall": "recall",
        "about.examples": "examples",
        "about.created": "**Trained**: {created}",
        "about.hub": "A public Hub model: {model}. Its metrics and limits are on its model card.",
        "about.no_metrics": (
            "This checkpoint has no metrics.json: its training data and accuracy are unknown."
        ),
        "about.limits": "**Limits**",
        "about.calibration": (
            "**Confidence**: below {threshold} the model says it is unsure: that unsure were 10% of its "
            "validation answers, and they were right {accuracy} of the time (the rest, {above})."
        ),
        "about.limits.image-classification": (
            "It only knows the classes above: any image gets one of them, even if it is not a leaf. The "
            "figures hold for photos like its data; other cameras, light or crops may do much worse."
        ),
        "about.limits.text-classification": (
            "It only knows the labels above and the languages of its training data: in another language or "
            "topic the answer may be wrong even when it looks confident."
        ),
        "about.limits.generic": "It only knows the classes of its training data.",
        "label.angular_leaf_spot": "Angular leaf spot",
        "label.bean_rust": "Bean rust",
        "label.healthy": "Healthy",
        "label.negative": "negative",
        "label.positive": "positive",
        "lang.en": "English",
        "lang.es": "Spanish",
        "lang.pt": "Portuguese",
        "lang.fr": "French",
        "lang.de": "German",
        "lang.it": "Italian",
        "lang.nl": "Dutch",
        "label.1 star": "★☆☆☆☆ 1 star",
        "label.2 stars": "★★☆☆☆ 2 stars",
        "label.3 stars": "★★★☆☆ 3 stars",
        "label.4 stars": "★★★★☆ 4 stars",
        "label.5 stars": "★★★★★ 5 stars",
        "offline.button": "Download to use offline",
        "offline.file": "Offline page (unzip it and open index.html on a phone or a computer)",
        "offline.api": "The chosen model as a web page that runs with no server or network (a zip).",
        "offline.no_runtime": (
            "This server lacks the offline page's JavaScript runtime (onnxruntime-web): its operator installs "
            "it with `npm ci --prefix web`."
        ),
        "offline.no_graph": (
            "This model has no ONNX graph: export it with `python -m training export-onnx --checkpoint <folder> "
            "--quantize int8`."
        ),
        "offline.too_big": "The model takes {size_mb} MB: too much for a page a phone opens.",
        "offline.not_checkpoint": "That folder is not a trained model (no metrics.json).",
        "offline.not_local": "Only a model trained here can be downloaded, not one from the Hub.",
        "offline.not_image": "The offline page runs image classifiers; this model is {task}.",
        "offline.no_processor": "The model has no preprocessor_config.json.",
        "offline.unsupported": "The page cannot repeat this model's preprocessing ({what}).",
    },
}
