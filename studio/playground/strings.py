"""The pipeline playground's strings.

Spanish (the course's language, the default) and English; studio.i18n.t reads them. Both
languages have the same keys (tests/studio/test_app.py checks it).
"""

STRINGS: dict[str, dict[str, str]] = {
    "es": {
        "playground.tab": "Playground de pipelines",
        "playground.api.explain": (
            "Clasificación de imágenes: mapa de calor de lo que más pesó en la clase más probable."
        ),
        "playground.error.explain_task": (
            "La explicación con mapa de calor es para la tarea image-classification."
        ),
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
        "playground.in.text2": "Segundo texto (contexto, etiquetas, idioma…)",
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
        "playground.answer": "respuesta",
        "playground.raw": "Salida cruda del pipeline",
        "playground.code": "Úsalo en Python",
        "playground.answered": "Respondió **{model}** · carga: {load} · inferencia: {infer:.2f} s",
        "playground.load.cached": "0 s (ya estaba en memoria)",
        "playground.load.seconds": "{seconds:.2f} s",
        "playground.loading": "Cargando {model}…",
        "playground.error.empty_text": "Escribe un texto primero.",
        "playground.error.no_labels": "Escribe al menos una etiqueta candidata (separadas por comas).",
        "playground.error.too_long": "Cada texto puede tener como mucho {max} caracteres: acórtalo.",
        "playground.error.too_many": "Has escrito {count} elementos y se aceptan como mucho {max}: quita algunos.",
        "playground.error.no_image": "Sube una imagen primero.",
        "playground.error.no_audio": "Sube o graba un audio primero.",
        "playground.error.bad_audio": (
            "No se pudo leer el audio: sube un archivo WAV, FLAC, OGG o MP3 válido."
        ),
        "playground.error.audio_too_long": (
            "El audio dura {seconds} s: como mucho se analizan {max} s. Recórtalo y vuelve a subirlo."
        ),
        "playground.error.no_mask": "El texto debe contener la palabra oculta {mask} (o [MASK]).",
        "playground.error.no_context": "Escribe el contexto donde buscar la respuesta.",
        "playground.error.no_target": "Escribe el idioma de destino (por ejemplo: English).",
        "playground.error.no_sentences": "Escribe al menos una frase para comparar (una por línea).",
        "playground.error.unknown_task": "Tarea desconocida: {task}.",
        "playground.error.load": (
            "No se pudo cargar {model} para esta tarea ({kind}): puede que sea un modelo de otra tarea o "
            "que le falten archivos."
        ),
        "playground.error.run": (
            "El modelo falló con esta entrada ({kind}). Prueba con otra entrada u otro modelo."
        ),
        "playground.about": "Qué hace esta tarea",
        "playground.default_label": "Modelo por defecto",
        "playground.answered_label": "Quién respondió (o por qué no)",
        "playground.model.default_choice": "por defecto ({model})",
        "playground.out.label": "Resultado: etiquetas y puntuaciones",
        "playground.out.highlight": "Resultado: texto marcado",
        "playground.out.text": "Resultado: texto",
        "playground.out.annotated": "Resultado: imagen anotada",
        "playground.out.image": "Resultado: imagen",
        "playground.api.task": (
            "Muestra las entradas, el ejemplo, la descripción y los modelos locales de una tarea."
        ),
        "playground.api.models": "Lista los checkpoints locales que sirven para la tarea.",
        "playground.api.run": (
            "Ejecuta la tarea con el modelo elegido: devuelve el resultado, quién respondió (o por qué no), "
            "el código Python equivalente y la salida cruda del pipeline."
        ),
        "playground.error.bad_model": (
            "«{model}» no es un modelo que se pueda cargar aquí: escribe un id del Hub (`owner/name`) o "
            "elige un checkpoint local de la lista (`models/<nombre>`)."
        ),
        "playground.error.no_checkpoint": "No hay ningún checkpoint {model}: elige uno de la lista.",
        "playground.error.offline_pick_local": (
            "Sin conexión al Hub: no se puede descargar {model}. Elige uno de los checkpoints locales: "
            "{choices}."
        ),
        "playground.task.text-classification": (
            "Asigna a un texto una etiqueta (por ejemplo, positivo o negativo) con su puntuación."
        ),
        "playground.task.token-classification": (
            "Marca en el texto las entidades con nombre: personas, lugares, organizaciones…"
        ),
        "playground.task.question-answering": (
            "Responde a una pregunta con un fragmento del contexto que le das (modelo de instrucciones)."
        ),
        "playground.task.fill-mask": "Adivina la palabra oculta en [MASK] y propone las más probables.",
        "playground.task.summarization": "Resume un texto en una o dos frases (modelo de instrucciones).",
        "playground.task.translation": "Traduce un texto al idioma que indiques (modelo de instrucciones).",
        "playground.task.text-generation": "Continúa el texto que empiezas.",
        "playground.task.zero-shot-classification": (
            "Clasifica un texto en etiquetas que eliges tú, sin entrenar (modelo NLI)."
        ),
        "playground.task.feature-extraction": (
            "Convierte frases en vectores y mide cuánto se parece cada una a la frase de referencia."
        ),
        "playground.task.image-classification": (
            "Dice qué hay en una imagen, con las etiquetas más probables."
        ),
        "playground.task.object-detection": (
            "Encuentra objetos en una imagen y los enmarca con su etiqueta."
        ),
        "playground.task.image-segmentation": "Colorea las regiones de una imagen según lo que contienen.",
        "playground.task.zero-shot-image-classification": (
            "Elige, entre etiquetas que escribes tú, la que mejor describe una imagen."
        ),
        "playground.task.image-to-text": "Describe una imagen con palabras, siguiendo tu instrucción.",
        "playground.task.depth-estimation": (
            "Estima la profundidad de cada punto de una imagen y la muestra como un mapa en grises."
        ),
        "playground.task.automatic-speech-recognition": "Transcribe a texto lo que se dice en un audio.",
        "playground.task.audio-classification": "Dice qué se oye en un audio (voz, música, ruido…).",
    },
    "en": {
        "playground.tab": "Pipeline playground",
        "playground.api.explain": "Image classification: a heatmap of what weighed most for the top class.",
        "playground.error.explain_task": "The heatmap explanation is for the image-classification task.",
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
        "playground.in.text2": "Second text (context, labels, language…)",
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
        "playground.answer": "answer",
        "playground.raw": "Raw pipeline output",
        "playground.code": "Use it in Python",
        "playground.answered": "Answered by **{model}** · load: {load} · inference: {infer:.2f} s",
        "playground.load.cached": "0 s (already in memory)",
        "playground.load.seconds": "{seconds:.2f} s",
        "playground.loading": "Loading {model}…",
        "playground.error.empty_text": "Type a text first.",
        "playground.error.no_labels": "Type at least one candidate label (comma separated).",
        "playground.error.too_long": "Each text may have at most {max} characters: shorten it.",
        "playground.error.too_many": "You wrote {count} items and at most {max} are accepted: remove some.",
        "playground.error.no_image": "Upload an image first.",
        "playground.error.no_audio": "Upload or record an audio clip first.",
        "playground.error.bad_audio": (
            "Could not read the audio: upload a valid WAV, FLAC, OGG or MP3 file."
        ),
        "playground.error.audio_too_long": (
            "The audio lasts {seconds} s: at most {max} s can be analysed. Trim it and upload it again."
        ),
        "playground.error.no_mask": "The text must contain the hidden word {mask} (or [MASK]).",
        "playground.error.no_context": "Type the context to find the answer in.",
        "playground.error.no_target": "Type the target language (for example: Spanish).",
        "playground.error.no_sentences": "Type at least one sentence to compare (one per line).",
        "playground.error.unknown_task": "Unknown task: {task}.",
        "playground.error.load": (
            "Could not load {model} for this task ({kind}): it may be a model for another task, or files "
            "may be missing."
        ),
        "playground.error.run": (
            "The model failed on this input ({kind}). Try another input or another model."
        ),
        "playground.about": "What this task does",
        "playground.default_label": "Default model",
        "playground.answered_label": "Who answered (or why not)",
        "playground.model.default_choice": "default ({model})",
        "playground.out.label": "Result: labels and scores",
        "playground.out.highlight": "Result: marked text",
        "playground.out.text": "Result: text",
        "playground.out.annotated": "Result: annotated image",
        "playground.out.image": "Result: image",
        "playground.api.task": "Shows a task's inputs, example, description and local models.",
        "playground.api.models": "Lists the local checkpoints that fit the task.",
        "playground.api.run": (
            "Runs the task with the chosen model: returns the result, who answered (or why not), the "
            "equivalent Python code and the pipeline's raw output."
        ),
        "playground.error.bad_model": (
            "“{model}” is not a model that can be loaded here: type a Hub id (`owner/name`) or pick a local "
            "checkpoint from the list (`models/<name>`)."
        ),
        "playground.error.no_checkpoint": "There is no checkpoint {model}: pick one from the list.",
        "playground.error.offline_pick_local": (
            "Offline (no connection to the Hub): {model} cannot be downloaded. Pick one of the local "
            "checkpoints: {choices}."
        ),
        "playground.task.text-classification": (
            "Gives a text a label (for example positive or negative) with its score."
        ),
        "playground.task.token-classification": (
            "Marks the named entities in a text: people, places, organisations…"
        ),
        "playground.task.question-answering": (
            "Answers a question with a span of the context you give (an instruction model)."
        ),
        "playground.task.fill-mask": "Guesses the hidden word at [MASK] and proposes the most likely ones.",
        "playground.task.summarization": (
            "Summarises a text in one or two sentences (an instruction model)."
        ),
        "playground.task.translation": (
            "Translates a text into the language you name (an instruction model)."
        ),
        "playground.task.text-generation": "Continues the text you start.",
        "playground.task.zero-shot-classification": (
            "Classifies a text into labels you choose, without training (an NLI model)."
        ),
        "playground.task.feature-extraction": (
            "Turns sentences into vectors and measures how close each is to the reference sentence."
        ),
        "playground.task.image-classification": "Says what an image shows, with the most likely labels.",
        "playground.task.object-detection": "Finds objects in an image and boxes them with their label.",
        "playground.task.image-segmentation": "Colours the regions of an image by what they contain.",
        "playground.task.zero-shot-image-classification": (
            "Picks which of the labels you write best describes an image."
        ),
        "playground.task.image-to-text": "Describes an image in words, following your instruction.",
        "playground.task.depth-estimation": (
            "Estimates the depth of every point of an image and shows it as a grey-scale map."
        ),
        "playground.task.automatic-speech-recognition": "Transcribes what is said in an audio clip.",
        "playground.task.audio-classification": (
            "Says what an audio clip sounds like (speech, music, noise…)."
        ),
    },
}
