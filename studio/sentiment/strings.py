"""The sentiment tab's strings.

Spanish (the course's language, the default) and English; studio.i18n.t reads them. Both
languages have the same keys (tests/studio/test_app.py checks it).
"""

STRINGS: dict[str, dict[str, str]] = {
    "es": {
        "sentiment.api.status": "Qué modelo analiza el sentimiento ahora y qué modelos se pueden elegir.",
        "sentiment.api.model": "Qué se sabe del modelo elegido.",
        "sentiment.api.one": "Sentimiento de un texto: cada etiqueta con su probabilidad.",
        "sentiment.api.lines": "Sentimiento de varios textos (uno por línea): una tabla y un CSV.",
        "sentiment.api.csv": "Sentimiento de cada fila de un CSV: una tabla y un CSV.",
        "sentiment.batch.note": "Resumen",
        "sentiment.tab": "Sentimiento",
        "sentiment.intro": (
            "Escribe un texto y el modelo dirá si su sentimiento es positivo o negativo, con su confianza. "
            "Es un modelo de lenguaje preentrenado al que se le ajustó (fine-tuning) una cabeza de "
            "clasificación. Solo lee bien los idiomas de sus datos de entrenamiento (se indican debajo del "
            "resultado): uno entrenado con SST-2 solo lee inglés, y te avisará si le escribes en otro "
            "idioma."
        ),
        "sentiment.language.no_words": (
            "⚠️ El texto no tiene palabras: el modelo no tiene nada que leer y su respuesta no significa "
            "nada."
        ),
        "sentiment.language.foreign": (
            "⚠️ Este texto no parece estar en {languages}, el idioma en que se entrenó el modelo: la "
            "respuesta no es fiable."
        ),
        "sentiment.language.reads": "El modelo lee: {languages}.",
        "sentiment.explain": "¿Por qué? Ver qué palabras pesaron",
        "sentiment.explain.words": (
            "Palabras que empujan hacia la respuesta (positivo) o en contra (negativo)"
        ),
        "sentiment.explain.note": "Explicación",
        "sentiment.explain.result": (
            "Cuánto empujó cada palabra hacia **{label}** (gradientes integrados, {seconds} s)."
        ),
        "sentiment.info": "Sobre el modelo",
        "sentiment.api.explain": "Cada palabra del texto con cuánto pesó en la respuesta.",
        "sentiment.col.label": "sentimiento",
        "sentiment.col.confidence": "confianza",
        "sentiment.col.text": "texto",
        "sentiment.col.truncated": "recortado",
        "sentiment.col.yes": "sí",
        "sentiment.col.no": "no",
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
        "sentiment.csv.input": (
            "O sube un CSV (columna «text», «sentence», «texto» o «review», o una sola columna)"
        ),
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
            "Todavía no hay ningún modelo de sentimiento: entrena uno en la pestaña **Entrenar** o en la línea de "
            "comandos, que lo guarda en {models_dir}: {command}"
        ),
        "sentiment.error.empty": "Escribe algún texto: la entrada está vacía.",
        "sentiment.csv.col.text": "texto",
        "sentiment.csv.col.label": "sentimiento",
        "sentiment.csv.col.confidence": "confianza",
        "sentiment.csv.col.truncated": "recortado",
        "sentiment.csv.windows_1252": "El CSV no estaba en UTF-8: se ha leído como Windows-1252 (el «CSV» de Excel).",
        "sentiment.error.no_csv": "Sube primero un archivo CSV.",
        "sentiment.error.csv_encoding": "El CSV no está en UTF-8: guárdalo como UTF-8 y vuelve a subirlo.",
        "sentiment.error.csv_read": "No se pudo leer el CSV: {reason}",
        "sentiment.error.csv_empty": "El CSV no tiene filas con texto (¿falta la fila de encabezado?).",
        "sentiment.error.csv_field_too_long": (
            "Un campo del CSV (línea {line}) tiene más de {max_chars} caracteres: acórtalo."
        ),
        "sentiment.error.csv_parse": "No se pudo leer el CSV: la línea {line} no es una fila CSV válida.",
        "sentiment.error.csv_binary": "El archivo no es un CSV de texto (contiene datos binarios).",
        "sentiment.error.csv_no_text_column": (
            "El CSV no tiene una columna de texto reconocible (columnas: {columns}). Llama a la columna de "
            "los textos {accepted}."
        ),
    },
    "en": {
        "sentiment.api.status": "Which model analyses sentiment now, and which models can be picked.",
        "sentiment.api.model": "What is known about the picked model.",
        "sentiment.api.one": "Sentiment of one text: each label with its probability.",
        "sentiment.api.lines": "Sentiment of several texts (one per line): a table and a CSV.",
        "sentiment.api.csv": "Sentiment of every row of a CSV: a table and a CSV.",
        "sentiment.batch.note": "Summary",
        "sentiment.tab": "Sentiment",
        "sentiment.intro": (
            "Type a text and the model says whether its sentiment is positive or negative, with its "
            "confidence. It is a pretrained language model with a fine-tuned classification head. It only "
            "reads the languages of its training data well (shown under the result): one trained on SST-2 "
            "reads English only, and warns you when you write in another language."
        ),
        "sentiment.language.no_words": (
            "⚠️ The text has no words: the model has nothing to read and its answer means nothing."
        ),
        "sentiment.language.foreign": (
            "⚠️ This text does not look like {languages}, the language the model was trained on: the answer "
            "is not reliable."
        ),
        "sentiment.language.reads": "The model reads: {languages}.",
        "sentiment.explain": "Why? See which words weighed",
        "sentiment.explain.words": "Words pushing towards the answer (positive) or against it (negative)",
        "sentiment.explain.note": "Explanation",
        "sentiment.explain.result": (
            "How much each word pushed towards **{label}** (integrated gradients, {seconds} s)."
        ),
        "sentiment.info": "About the model",
        "sentiment.api.explain": "Each word of the text with how much it weighed in the answer.",
        "sentiment.col.label": "sentiment",
        "sentiment.col.confidence": "confidence",
        "sentiment.col.text": "text",
        "sentiment.col.truncated": "truncated",
        "sentiment.col.yes": "yes",
        "sentiment.col.no": "no",
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
        "sentiment.csv.input": (
            "Or upload a CSV (column 'text', 'sentence', 'texto' or 'review', or a single column)"
        ),
        "sentiment.csv.button": "Analyse CSV",
        "sentiment.batch.table": "Predictions",
        "sentiment.batch.download": "Download predictions (CSV)",
        "sentiment.batch.summary": "{count} texts analysed.",
        "sentiment.batch.truncated": "{count} texts were longer than {limit} tokens and were truncated.",
        "sentiment.batch.capped": (
            "Only the first {count} texts were analysed (at most {max} texts and {max_chars} characters per "
            "batch); {dropped} were left out."
        ),
        "sentiment.no_model": (
            "No sentiment model yet: train one in the **Train** tab or on the command line, which saves it in "
            "{models_dir}: {command}"
        ),
        "sentiment.error.empty": "Type some text: the input is empty.",
        "sentiment.csv.col.text": "text",
        "sentiment.csv.col.label": "label",
        "sentiment.csv.col.confidence": "confidence",
        "sentiment.csv.col.truncated": "truncated",
        "sentiment.csv.windows_1252": "The CSV was not UTF-8: it was read as Windows-1252 (Excel's \"CSV\").",
        "sentiment.error.no_csv": "Upload a CSV file first.",
        "sentiment.error.csv_encoding": "The CSV is not UTF-8: save it as UTF-8 and upload it again.",
        "sentiment.error.csv_read": "Could not read the CSV: {reason}",
        "sentiment.error.csv_empty": "The CSV has no rows with text (is the header row missing?).",
        "sentiment.error.csv_field_too_long": (
            "A field of the CSV (line {line}) is longer than {max_chars} characters: shorten it."
        ),
        "sentiment.error.csv_parse": "Could not read the CSV: line {line} is not a valid CSV row.",
        "sentiment.error.csv_binary": "The file is not a text CSV (it contains binary data).",
        "sentiment.error.csv_no_text_column": (
            "The CSV has no text column I recognise (columns: {columns}). Name the column of the texts "
            "{accepted}."
        ),
    },
}
