"""All UI strings, Spanish and English, in one table.

`t("key", **fields)` returns the string in the language chosen by STUDIO_LANG (default Spanish,
the course's language). Each tab owns a section of keys prefixed with its name. Both languages
must have the same keys (a test checks it).
"""

from __future__ import annotations

from studio import config

STRINGS: dict[str, dict[str, str]] = {
    "es": {
        # app
        "app.title": "Transfer Learning Studio",
        "app.intro": (
            "Aprende transfer learning con Hugging Face: prueba cualquier modelo sin código, "
            "clasifica hojas de frijol y predice el sentimiento de un texto."
        ),
        "model.error.config": "El modelo configurado en {variable} no es válido: {error}",
        "model.error.load": "No se pudo cargar el modelo {name}: {error}",
        "model.error.predict": "El modelo {name} no pudo responder a esta entrada: {error}",
        "model.answered_label": "Qué modelo responde",
        "beans.api.status": "Qué modelo clasifica las hojas ahora y qué se sabe de él.",
        "beans.api.classify": "Clasifica la foto de una hoja de frijol: las 3 enfermedades más probables.",
        "sentiment.api.status": "Qué modelo analiza el sentimiento ahora.",
        "sentiment.api.one": "Sentimiento de un texto: cada etiqueta con su probabilidad.",
        "sentiment.api.lines": "Sentimiento de varios textos (uno por línea): una tabla y un CSV.",
        "sentiment.api.csv": "Sentimiento de cada fila de un CSV: una tabla y un CSV.",
        "sentiment.batch.note": "Resumen",
        "model.none": "No hay ningún modelo disponible.",
        "model.answered": "Respondió **{name}** ({source})",
        "model.source.env": "elegido por variable de entorno",
        "model.source.local": "checkpoint local",
        "model.source.hub": "modelo público del Hub",
        "model.accuracy": "exactitud en {split}: {accuracy}",
        "model.split.validation": "validación",
        "model.split.test": "test",
        "app.image.empty": "Primero sube una imagen (o usa la webcam, el portapapeles o un ejemplo).",
        "app.image.not_image": "El archivo no es una imagen que se pueda abrir (usa JPEG, PNG, WebP...).",
        "app.image.corrupt": "La imagen está dañada o incompleta y no se puede leer ({error}).",
        "app.image.too_large": "La imagen es demasiado grande: {size} píxeles (máximo {max_pixels}).",
        "app.image.mode": "No se puede convertir una imagen en modo {mode} a RGB.",
        "app.image.aspect": "La imagen es demasiado alargada ({size}): un lado puede medir como mucho {max_ratio} veces el otro.",
        # beans tab
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
        "beans.info.labels": "**Clases**: {labels}",
        "beans.info.base_model": "**Modelo base**: {base_model}",
        "beans.info.strategy": "**Estrategia**: {strategy}",
        "beans.info.dataset": "**Datos**: {dataset} ({examples} imágenes de entrenamiento)",
        "beans.info.created": "**Entrenado**: {created}",
        "beans.info.pending": "El modelo se carga con la primera predicción.",
        "beans.strategy.head": "solo la cabeza (backbone congelado)",
        "beans.strategy.full": "ajuste completo (todas las capas)",
        "beans.no_model": (
            "Todavía no hay ningún modelo de hojas de frijol (sin conexión al Hub y nada en {models_dir}). "
            "Entrena uno en unos minutos en CPU con: {command}"
        ),
        "beans.label.angular_leaf_spot": "Mancha angular",
        "beans.label.bean_rust": "Roya del frijol",
        "beans.label.healthy": "Sana",
        # sentiment tab
        "sentiment.tab": "Sentimiento",
        "sentiment.intro": (
            "Escribe un texto (en inglés o en español) y el modelo dirá si su sentimiento es positivo o "
            "negativo, con su confianza. Es un modelo de lenguaje preentrenado al que se le ajustó "
            "(fine-tuning) una cabeza de clasificación con SST-2."
        ),
        "sentiment.input": "Texto",
        "sentiment.placeholder": "Escribe una frase, por ejemplo: ¡Qué película tan buena!",
        "sentiment.button": "Analizar sentimiento",
        "sentiment.result": "Sentimiento",
        "sentiment.examples": "Ejemplos",
        "sentiment.truncated": (
            "El texto superaba el límite del modelo ({limit} tokens): solo se analizó el principio."
        ),
        "sentiment.batch.title": "Varios textos a la vez",
        "sentiment.batch.input": "Un texto por línea",
        "sentiment.batch.button": "Analizar líneas",
        "sentiment.csv.input": "O sube un CSV (columna «text», «sentence», «texto» o «review», o una sola columna)",
        "sentiment.csv.button": "Analizar CSV",
        "sentiment.batch.table": "Predicciones",
        "sentiment.batch.download": "Descargar predicciones (CSV)",
        "sentiment.batch.summary": "{count} textos analizados.",
        "sentiment.batch.truncated": "{count} textos superaban el límite de {limit} tokens y se truncaron.",
        "sentiment.batch.capped": (
            "Solo se analizaron los primeros {count} textos (como mucho {max} textos y {max_chars} "
            "caracteres por lote); se omitieron {dropped}."
        ),
        "sentiment.no_model": (
            "No hay ningún modelo de sentimiento disponible (sin conexión al Hub y nada en {models_dir}). "
            "Entrena uno con: {command}"
        ),
        "sentiment.error.empty": "Escribe algún texto: la entrada está vacía.",
        "sentiment.error.no_csv": "Sube primero un archivo CSV.",
        "sentiment.error.csv_encoding": "El CSV no está en UTF-8: guárdalo como UTF-8 y vuelve a subirlo.",
        "sentiment.error.csv_read": "No se pudo leer el CSV: {reason}",
        "sentiment.error.csv_empty": "El CSV no tiene filas con texto (¿falta la fila de encabezado?).",
        "sentiment.error.csv_field_too_long": "Un campo del CSV (línea {line}) tiene más de {max_chars} caracteres: acórtalo.",
        "sentiment.error.csv_parse": "No se pudo leer el CSV: la línea {line} no es una fila CSV válida.",
        "sentiment.error.csv_binary": "El archivo no es un CSV de texto (contiene datos binarios).",
        "sentiment.error.csv_no_text_column": "El CSV no tiene una columna de texto reconocible (columnas: {columns}). Llama a la columna de los textos {accepted}.",
        # playground tab
        "playground.tab": "Playground de pipelines",
        "playground.intro": (
            "Prueba cualquier tarea de Transformers sin escribir código: elige la tarea, deja el modelo "
            "vacío (modelo por defecto), escribe un id del Hub (`owner/name`) o elige un checkpoint local, "
            "y pulsa Ejecutar. Abajo verás el código Python que hace lo mismo con `pipeline`."
        ),
        "playground.task": "Tarea",
        "playground.model": "Modelo (vacío = por defecto, id del Hub o checkpoint de models/)",
        "playground.model_default": "Modelo por defecto para esta tarea: `{model}`",
        "playground.run": "Ejecutar",
        "playground.in.text": "Texto",
        "playground.in.question": "Pregunta",
        "playground.in.context": "Contexto",
        "playground.in.masked": "Texto con [MASK] (o <mask>) donde falta una palabra",
        "playground.in.target": "Idioma de destino",
        "playground.in.prompt": "Instrucción / comienzo del texto",
        "playground.in.labels": "Etiquetas candidatas (separadas por comas)",
        "playground.in.sentence": "Frase de referencia",
        "playground.in.sentences": "Frases a comparar (una por línea)",
        "playground.in.image": "Imagen",
        "playground.in.audio": "Audio (sube un archivo o graba con el micrófono)",
        "playground.out.result": "Resultado",
        "playground.answer": "respuesta",
        "playground.raw": "Salida cruda del pipeline",
        "playground.code": "Úsalo en Python",
        "playground.answered": (
            "Respondió **{model}** · carga: {load} · inferencia: {infer:.2f} s"
        ),
        "playground.load.cached": "0 s (ya estaba en memoria)",
        "playground.load.seconds": "{seconds:.2f} s",
        "playground.loading": "Cargando {model}…",
        "playground.error.empty_text": "Escribe un texto primero.",
        "playground.error.no_labels": "Escribe al menos una etiqueta candidata (separadas por comas).",
        "playground.error.no_image": "Sube una imagen primero.",
        "playground.error.bad_image": "No se pudo leer la imagen: sube un archivo PNG, JPEG o WebP válido.",
        "playground.error.no_audio": "Sube o graba un audio primero.",
        "playground.error.bad_audio": "No se pudo leer el audio: sube un archivo WAV, FLAC, OGG o MP3 válido.",
        "playground.error.no_mask": "El texto debe contener la palabra oculta {mask} (o [MASK]).",
        "playground.error.no_context": "Escribe el contexto donde buscar la respuesta.",
        "playground.error.no_target": "Escribe el idioma de destino (por ejemplo: English).",
        "playground.error.no_sentences": "Escribe al menos una frase para comparar (una por línea).",
        "playground.error.unknown_task": "Tarea desconocida: {task}.",
        "playground.error.load": "No se pudo cargar {model} para esta tarea: {reason}",
        "playground.error.run": "El modelo falló con esta entrada: {reason}",
        "model.ref.empty": "Indica un modelo: un id del Hub (`usuario/modelo`) o un checkpoint de models/.",
        "model.ref.bad": "«{ref}» no es un id del Hub (`usuario/modelo`) ni un checkpoint de models/.",
        "model.ref.url": "«{ref}» es una URL: indica el id del Hub (`usuario/modelo`), no la dirección.",
        "model.ref.outside": "«{ref}» está fuera de la carpeta models/: solo se cargan checkpoints de ahí.",
        "model.ref.not_checkpoint": "«{ref}» no es un checkpoint (le falta config.json o model.safetensors).",
        "model.refuse.offline": (
            "Sin conexión al Hub (HF_HUB_OFFLINE): no se puede descargar {model}. "
            "Los checkpoints locales de models/ siguen funcionando."
        ),
        "model.refuse.unreachable": (
            "No se pudo contactar con el Hub para consultar {model} ({reason}). "
            "Los checkpoints locales de models/ siguen funcionando."
        ),
        "model.refuse.not_found": "{model} no existe en el Hub o es privado (hace falta un token).",
        "model.refuse.private": "{model} es privado: hace falta un token de Hugging Face (HF_TOKEN).",
        "model.refuse.gated": (
            "{model} tiene acceso restringido: acepta sus condiciones en el Hub y configura HF_TOKEN."
        ),
        "model.refuse.disabled": "{model} está deshabilitado en el Hub.",
        "model.refuse.task": "{model} es un modelo de «{tag}», no sirve para esta tarea ({task}).",
        "model.refuse.no_safetensors": (
            "{model} no tiene pesos en formato safetensors: por seguridad no se carga."
        ),
        "model.refuse.too_big": (
            "{model} pesa {size} MB, más que el límite de esta máquina ({limit} MB, STUDIO_MAX_MODEL_MB)."
        ),
        "model.refuse.too_many_params": (
            "{model} tiene {params} M de parámetros, más que el límite ({limit} M, STUDIO_MAX_MODEL_PARAMS_M)."
        ),
    },
    "en": {
        # app
        "app.title": "Transfer Learning Studio",
        "app.intro": (
            "Learn transfer learning with Hugging Face: try any model with no code, "
            "classify bean leaves and predict the sentiment of a text."
        ),
        "model.error.config": "The model configured in {variable} is not valid: {error}",
        "model.error.load": "Could not load the model {name}: {error}",
        "model.error.predict": "The model {name} could not answer this input: {error}",
        "model.answered_label": "Which model answers",
        "beans.api.status": "Which model classifies leaves now, and what is known about it.",
        "beans.api.classify": "Classify a photo of a bean leaf: the 3 most likely diseases.",
        "sentiment.api.status": "Which model analyses sentiment now.",
        "sentiment.api.one": "Sentiment of one text: each label with its probability.",
        "sentiment.api.lines": "Sentiment of several texts (one per line): a table and a CSV.",
        "sentiment.api.csv": "Sentiment of every row of a CSV: a table and a CSV.",
        "sentiment.batch.note": "Summary",
        "model.none": "No model is available.",
        "model.answered": "Answered by **{name}** ({source})",
        "model.source.env": "chosen by environment variable",
        "model.source.local": "local checkpoint",
        "model.source.hub": "public Hub model",
        "model.accuracy": "{split} accuracy: {accuracy}",
        "model.split.validation": "validation",
        "model.split.test": "test",
        "app.image.empty": "Upload an image first (or use the webcam, the clipboard or an example).",
        "app.image.not_image": "The file is not an image that can be opened (use JPEG, PNG, WebP...).",
        "app.image.corrupt": "The image is damaged or incomplete and cannot be read ({error}).",
        "app.image.too_large": "The image is too large: {size} pixels (at most {max_pixels}).",
        "app.image.mode": "An image in mode {mode} cannot be converted to RGB.",
        "app.image.aspect": "The image is too elongated ({size}): one side may be at most {max_ratio} times the other.",
        # beans tab
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
        "beans.info.labels": "**Classes**: {labels}",
        "beans.info.base_model": "**Base model**: {base_model}",
        "beans.info.strategy": "**Strategy**: {strategy}",
        "beans.info.dataset": "**Data**: {dataset} ({examples} training images)",
        "beans.info.created": "**Trained**: {created}",
        "beans.info.pending": "The model is loaded on the first prediction.",
        "beans.strategy.head": "head only (frozen backbone)",
        "beans.strategy.full": "full fine-tuning (every layer)",
        "beans.no_model": (
            "There is no bean-leaf model yet (the Hub is offline and {models_dir} has none). "
            "Train one in a few minutes on CPU with: {command}"
        ),
        "beans.label.angular_leaf_spot": "Angular leaf spot",
        "beans.label.bean_rust": "Bean rust",
        "beans.label.healthy": "Healthy",
        # sentiment tab
        "sentiment.tab": "Sentiment",
        "sentiment.intro": (
            "Type a text (in English or Spanish) and the model says whether its sentiment is positive or "
            "negative, with its confidence. It is a pretrained language model with a classification head "
            "fine-tuned on SST-2."
        ),
        "sentiment.input": "Text",
        "sentiment.placeholder": "Type a sentence, for example: What a great movie!",
        "sentiment.button": "Analyse sentiment",
        "sentiment.result": "Sentiment",
        "sentiment.examples": "Examples",
        "sentiment.truncated": (
            "The text was longer than the model's limit ({limit} tokens): only its beginning was analysed."
        ),
        "sentiment.batch.title": "Several texts at once",
        "sentiment.batch.input": "One text per line",
        "sentiment.batch.button": "Analyse lines",
        "sentiment.csv.input": "Or upload a CSV (column 'text', 'sentence', 'texto' or 'review', or a single column)",
        "sentiment.csv.button": "Analyse CSV",
        "sentiment.batch.table": "Predictions",
        "sentiment.batch.download": "Download predictions (CSV)",
        "sentiment.batch.summary": "{count} texts analysed.",
        "sentiment.batch.truncated": "{count} texts were longer than {limit} tokens and were truncated.",
        "sentiment.batch.capped": (
            "Only the first {count} texts were analysed (at most {max} texts and {max_chars} characters "
            "per batch); {dropped} were left out."
        ),
        "sentiment.no_model": (
            "No sentiment model is available (no connection to the Hub and nothing in {models_dir}). "
            "Train one with: {command}"
        ),
        "sentiment.error.empty": "Type some text: the input is empty.",
        "sentiment.error.no_csv": "Upload a CSV file first.",
        "sentiment.error.csv_encoding": "The CSV is not UTF-8: save it as UTF-8 and upload it again.",
        "sentiment.error.csv_read": "Could not read the CSV: {reason}",
        "sentiment.error.csv_empty": "The CSV has no rows with text (is the header row missing?).",
        "sentiment.error.csv_field_too_long": "A field of the CSV (line {line}) is longer than {max_chars} characters: shorten it.",
        "sentiment.error.csv_parse": "Could not read the CSV: line {line} is not a valid CSV row.",
        "sentiment.error.csv_binary": "The file is not a text CSV (it contains binary data).",
        "sentiment.error.csv_no_text_column": "The CSV has no text column I recognise (columns: {columns}). Name the column of the texts {accepted}.",
        # playground tab
        "playground.tab": "Pipeline playground",
        "playground.intro": (
            "Try any Transformers task without writing code: pick the task, leave the model empty (the "
            "default model), type a Hub id (`owner/name`) or pick a local checkpoint, and press Run. Below "
            "you get the Python code that does the same with `pipeline`."
        ),
        "playground.task": "Task",
        "playground.model": "Model (empty = default, a Hub id or a checkpoint in models/)",
        "playground.model_default": "Default model for this task: `{model}`",
        "playground.run": "Run",
        "playground.in.text": "Text",
        "playground.in.question": "Question",
        "playground.in.context": "Context",
        "playground.in.masked": "Text with [MASK] (or <mask>) where a word is missing",
        "playground.in.target": "Target language",
        "playground.in.prompt": "Instruction / start of the text",
        "playground.in.labels": "Candidate labels (comma separated)",
        "playground.in.sentence": "Reference sentence",
        "playground.in.sentences": "Sentences to compare (one per line)",
        "playground.in.image": "Image",
        "playground.in.audio": "Audio (upload a file or record with the microphone)",
        "playground.out.result": "Result",
        "playground.answer": "answer",
        "playground.raw": "Raw pipeline output",
        "playground.code": "Use it in Python",
        "playground.answered": (
            "Answered by **{model}** · load: {load} · inference: {infer:.2f} s"
        ),
        "playground.load.cached": "0 s (already in memory)",
        "playground.load.seconds": "{seconds:.2f} s",
        "playground.loading": "Loading {model}…",
        "playground.error.empty_text": "Type a text first.",
        "playground.error.no_labels": "Type at least one candidate label (comma separated).",
        "playground.error.no_image": "Upload an image first.",
        "playground.error.bad_image": "Could not read the image: upload a valid PNG, JPEG or WebP file.",
        "playground.error.no_audio": "Upload or record an audio clip first.",
        "playground.error.bad_audio": "Could not read the audio: upload a valid WAV, FLAC, OGG or MP3 file.",
        "playground.error.no_mask": "The text must contain the hidden word {mask} (or [MASK]).",
        "playground.error.no_context": "Type the context to find the answer in.",
        "playground.error.no_target": "Type the target language (for example: Spanish).",
        "playground.error.no_sentences": "Type at least one sentence to compare (one per line).",
        "playground.error.unknown_task": "Unknown task: {task}.",
        "playground.error.load": "Could not load {model} for this task: {reason}",
        "playground.error.run": "The model failed on this input: {reason}",
        "model.ref.empty": "Name a model: a Hub id (`owner/name`) or a checkpoint in models/.",
        "model.ref.bad": "“{ref}” is neither a Hub id (`owner/name`) nor a checkpoint in models/.",
        "model.ref.url": "“{ref}” is a URL: give the Hub id (`owner/name`), not the address.",
        "model.ref.outside": "“{ref}” is outside the models/ folder: only checkpoints there are loaded.",
        "model.ref.not_checkpoint": "“{ref}” is not a checkpoint (config.json or model.safetensors is missing).",
        "model.refuse.offline": (
            "No connection to the Hub (HF_HUB_OFFLINE): {model} cannot be downloaded. "
            "Local checkpoints in models/ still work."
        ),
        "model.refuse.unreachable": (
            "Could not reach the Hub to look {model} up ({reason}). Local checkpoints in models/ still work."
        ),
        "model.refuse.not_found": "{model} does not exist on the Hub or is private (a token is needed).",
        "model.refuse.private": "{model} is private: a Hugging Face token (HF_TOKEN) is needed.",
        "model.refuse.gated": "{model} is gated: accept its conditions on the Hub and set HF_TOKEN.",
        "model.refuse.disabled": "{model} is disabled on the Hub.",
        "model.refuse.task": "{model} is a “{tag}” model, it does not fit this task ({task}).",
        "model.refuse.no_safetensors": "{model} has no safetensors weights: it is not loaded, for safety.",
        "model.refuse.too_big": (
            "{model} weighs {size} MB, more than this machine's limit ({limit} MB, STUDIO_MAX_MODEL_MB)."
        ),
        "model.refuse.too_many_params": (
            "{model} has {params} M parameters, more than the limit ({limit} M, STUDIO_MAX_MODEL_PARAMS_M)."
        ),
    },
}


def t(key: str, lang: str | None = None, **fields: object) -> str:
    table = STRINGS[lang or config.language()]
    text = table.get(key) or STRINGS["en"].get(key) or key
    return text.format(**fields) if fields else text
