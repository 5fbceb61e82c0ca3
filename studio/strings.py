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
            "**Transfer learning** es reutilizar lo que un modelo ya aprendió con millones de ejemplos "
            "para una tarea nueva con pocos datos: en vez de entrenar desde cero, se ajusta un modelo "
            "preentrenado. Con las mismas 1.034 fotos de hojas de frijol, un MobileNetV2 preentrenado en "
            "ImageNet acierta en torno al 95 % de hojas que no vio; la misma red con pesos aleatorios, en "
            "torno al 34 % (el azar, con 3 clases, da 33 %). Empieza por **Hojas de frijol**: sube una foto "
            "o pulsa un ejemplo. Luego prueba el sentimiento de un texto o cualquier modelo sin código."
        ),
        "model.error.config": "El modelo configurado en {variable} no es válido: {error}",
        "model.error.load": "No se pudo cargar el modelo {name}: {error}",
        "model.error.predict": "El modelo {name} no pudo responder a esta entrada: {error}",
        "model.answered_label": "Qué modelo responde",
        "model.picker": "Modelo",
        "model.took": "{ms} ms",
        "app.image.too_small": "La imagen es demasiado pequeña ({size} px) para reconocer nada: usa una foto de al menos {min} px de lado.",
        "confidence.low": "⚠️ Confianza baja ({top}): el modelo duda entre sus clases; no te fíes de esta respuesta.",
        "confidence.low.calibrated": (
            "⚠️ Confianza baja ({top}, por debajo de {threshold}): en validación, las respuestas así de "
            "inseguras acertaron solo el {accuracy}."
        ),
        "confidence.certain": (
            "ℹ️ Un 100 % no es una certeza: el modelo reparte la probabilidad solo entre sus clases, "
            "aunque ninguna encaje con lo que le muestras."
        ),
        "confidence.small_image": "⚠️ La imagen es muy pequeña ({size} px): el modelo ve muy poco detalle.",
        "about.matrix": "Matriz de confusión (validación)",
        "beans.truth": "Etiqueta real del ejemplo: **{label}** {mark}",
        "beans.truth.label": "Etiqueta real del ejemplo",
        "beans.explain": "¿Por qué? Ver qué miró el modelo",
        "beans.explain.image": "Lo que más pesó en la respuesta",
        "beans.explain.opacity": "Opacidad del mapa de calor",
        "beans.explain.note": "Explicación",
        "beans.explain.result": "Zonas que más pesaron para **{label}** (gradientes integrados, {seconds} s).",
        "beans.api.example": "Clasifica una hoja de ejemplo y compara con su etiqueta real.",
        "beans.api.explain": "Mapa de calor sobre la foto: qué zonas pesaron más en la clase más probable.",
        "beans.api.opacity": "Vuelve a dibujar el mapa de calor con otra opacidad.",
        "model.picker.auto": "Automático (el mejor disponible)",
        "model.picker.info": "Los checkpoints de models/ para esta tarea, el mejor primero.",
        "model.source.picked": "elegido por ti",
        "model.error.unknown_pick": "No hay ningún modelo «{name}» para esta pestaña: elige uno de la lista.",
        "beans.api.status": "Qué modelo clasifica las hojas ahora, qué se sabe de él y qué modelos se pueden elegir.",
        "beans.api.classify": "Clasifica la foto de una hoja de frijol: las 3 enfermedades más probables.",
        "sentiment.api.status": "Qué modelo analiza el sentimiento ahora y qué modelos se pueden elegir.",
        "sentiment.api.model": "Qué se sabe del modelo elegido.",
        "beans.api.model": "Qué se sabe del modelo elegido.",
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
        "about.labels": "**Clases**: {labels}",
        "about.base_model": "**Modelo base**: {base_model}",
        "about.dataset": "**Datos**: {dataset} ({examples} ejemplos de entrenamiento)",
        "about.strategy": "**Estrategia**: {strategy}",
        "about.strategy.head": "solo la cabeza (backbone congelado)",
        "about.strategy.full": "ajuste completo (todas las capas)",
        "about.time": "**Tiempo de entrenamiento**: {seconds} s",
        "about.accuracy": "**Exactitud en {split}**: {accuracy} ({examples} ejemplos)",
        "about.kfold": (
            "**Exactitud en validación cruzada** ({folds} particiones de {examples} ejemplos, un modelo nuevo "
            "por partición): {mean} ± {std}. Mide mejor que la validación sola lo que acertará con hojas nuevas."
        ),
        "about.per_class": "**Por clase** (validación):",
        "about.class": "clase",
        "about.precision": "precisión",
        "about.recall": "exhaustividad",
        "about.examples": "ejemplos",
        "about.created": "**Entrenado**: {created}",
        "about.hub": "Modelo público del Hub: {model}. Sus métricas y límites están en su ficha.",
        "about.no_metrics": "Este checkpoint no tiene metrics.json: no se sabe con qué datos se entrenó ni cómo rinde.",
        "about.limits": "**Límites**",
        "about.calibration": (
            "**Confianza**: por debajo de {threshold} el modelo avisa de que duda: así de inseguras fueron "
            "el 10 % de sus respuestas en validación, y acertaron el {accuracy} (el resto, el {above})."
        ),
        "about.limits.image-classification": (
            "Solo conoce las clases de arriba: a cualquier imagen le asigna una de ellas, aunque no sea una hoja. "
            "Las cifras valen para fotos como las de sus datos; otras cámaras, luz o cultivos pueden ir mucho peor."
        ),
        "about.limits.text-classification": (
            "Solo conoce las etiquetas de arriba y los idiomas de sus datos de entrenamiento: en otro idioma "
            "o en otro tema la respuesta puede ser errónea aunque parezca segura."
        ),
        "about.limits.generic": "Solo conoce las clases de sus datos de entrenamiento.",
        "label.angular_leaf_spot": "Mancha angular",
        "label.bean_rust": "Roya del frijol",
        "label.healthy": "Sana",
        "label.negative": "negativo",
        "label.positive": "positivo",
        "beans.no_model": (
            "Todavía no hay ningún modelo de hojas de frijol (sin conexión al Hub y nada en {models_dir}). "
            "Entrena uno en unos minutos en CPU con: {command}"
        ),
        # sentiment tab
        "sentiment.tab": "Sentimiento",
        "sentiment.intro": (
            "Escribe un texto y el modelo dirá si su sentimiento es positivo o negativo, con su confianza. "
            "Es un modelo de lenguaje preentrenado al que se le ajustó (fine-tuning) una cabeza de "
            "clasificación. Solo lee bien los idiomas de sus datos de entrenamiento (se indican debajo del "
            "resultado): uno entrenado con SST-2 solo lee inglés, y te avisará si le escribes en otro idioma."
        ),
        "lang.en": "inglés", "lang.es": "español", "lang.pt": "portugués", "lang.fr": "francés",
        "lang.de": "alemán", "lang.it": "italiano", "lang.nl": "neerlandés",
        "label.1 star": "★☆☆☆☆ 1 estrella", "label.2 stars": "★★☆☆☆ 2 estrellas", "label.3 stars": "★★★☆☆ 3 estrellas",
        "label.4 stars": "★★★★☆ 4 estrellas", "label.5 stars": "★★★★★ 5 estrellas",
        "sentiment.language.no_words": (
            "⚠️ El texto no tiene palabras: el modelo no tiene nada que leer y su respuesta no significa nada."
        ),
        "sentiment.language.foreign": (
            "⚠️ Este texto no parece estar en {languages}, el idioma en que se entrenó el modelo: "
            "la respuesta no es fiable."
        ),
        "sentiment.language.reads": "El modelo lee: {languages}.",
        "sentiment.explain": "¿Por qué? Ver qué palabras pesaron",
        "sentiment.explain.words": "Palabras que empujan hacia la respuesta (positivo) o en contra (negativo)",
        "sentiment.explain.note": "Explicación",
        "sentiment.explain.result": "Cuánto empujó cada palabra hacia **{label}** (gradientes integrados, {seconds} s).",
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
        "playground.api.explain": "Clasificación de imágenes: mapa de calor de lo que más pesó en la clase más probable.",
        "playground.error.explain_task": "La explicación con mapa de calor es para la tarea image-classification.",
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
        "playground.answered": (
            "Respondió **{model}** · carga: {load} · inferencia: {infer:.2f} s"
        ),
        "playground.load.cached": "0 s (ya estaba en memoria)",
        "playground.load.seconds": "{seconds:.2f} s",
        "playground.loading": "Cargando {model}…",
        "playground.error.empty_text": "Escribe un texto primero.",
        "playground.error.no_labels": "Escribe al menos una etiqueta candidata (separadas por comas).",
        "playground.error.no_image": "Sube una imagen primero.",
        "playground.error.no_audio": "Sube o graba un audio primero.",
        "playground.error.bad_audio": "No se pudo leer el audio: sube un archivo WAV, FLAC, OGG o MP3 válido.",
        "playground.error.audio_too_long": "El audio dura {seconds} s: como mucho se analizan {max} s. Recórtalo y vuelve a subirlo.",
        "playground.error.no_mask": "El texto debe contener la palabra oculta {mask} (o [MASK]).",
        "playground.error.no_context": "Escribe el contexto donde buscar la respuesta.",
        "playground.error.no_target": "Escribe el idioma de destino (por ejemplo: English).",
        "playground.error.no_sentences": "Escribe al menos una frase para comparar (una por línea).",
        "playground.error.unknown_task": "Tarea desconocida: {task}.",
        "model.ref.empty": "Indica un modelo: un id del Hub (`usuario/modelo`) o un checkpoint de models/.",
        "model.ref.bad": "«{ref}» no es un id del Hub (`usuario/modelo`) ni un checkpoint de models/.",
        "model.ref.url": "«{ref}» es una URL: indica el id del Hub (`usuario/modelo`), no la dirección.",
        "model.ref.outside": "«{ref}» está fuera de la carpeta models/: solo se cargan checkpoints de ahí.",
        "model.ref.not_checkpoint": "«{ref}» no es un checkpoint (le falta config.json o model.safetensors).",
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
            "Ejecuta la tarea con el modelo elegido: devuelve el resultado, quién respondió (o por qué "
            "no), el código Python equivalente y la salida cruda del pipeline."
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
        "playground.task.object-detection": "Encuentra objetos en una imagen y los enmarca con su etiqueta.",
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
        "model.refuse.bad_ref": "Referencia de modelo rechazada: {reason}",
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
        # train tab
        "train.tab": "Entrenar",
        "train.intro": (
            "Entrena tu propio clasificador con transfer learning, sin salir del navegador: **explora** los "
            "datos, elige un modelo base y una estrategia, **entrena** viendo las curvas y usa el modelo al "
            "momento en las otras pestañas. Es el mismo `python -m training` de la línea de comandos, en un "
            "proceso aparte."
        ),
        "train.step.data": "1. Datos",
        "train.step.train": "2. Entrenar",
        "train.step.runs": "3. Comparar entrenamientos",
        "train.step.share": "4. Compartir en el Hub",
        "train.source": "Origen de los datos",
        "train.source.upload": "Subir un archivo",
        "train.source.folder": "Carpeta del servidor",
        "train.source.hub": "Dataset del Hub",
        "train.upload": "Un zip de imágenes (<split>/<clase>/<imagen> o <clase>/<imagen>) o un CSV/TSV/JSONL de textos",
        "train.folder": "Carpeta ofrecida por este servidor",
        "train.hub_id": "Id de un dataset de imágenes del Hub (owner/name)",
        "train.text_column": "Columna del texto",
        "train.label_column": "Columna de la etiqueta",
        "train.explore": "Explorar los datos",
        "train.summary": "Resumen de los datos",
        "train.bars": "Ejemplos por clase",
        "train.gallery": "Ejemplos de cada clase (entrenamiento)",
        "train.samples": "Filas de ejemplo por clase",
        "train.summary.title": "**Splits**: {splits} · **Clases** ({count}): {labels}",
        "train.summary.ready": "✅ Los datos están listos para entrenar.",
        "train.summary.blocked": "⛔ Corrige lo anterior antes de entrenar.",
        "train.base_model": "Modelo base",
        "train.base_model.info": "Los que ofrece este servidor y los checkpoints de models/; o escribe un id del Hub (con conexión).",
        "train.strategy": "Estrategia",
        "train.strategy.head": "head: congelar el backbone y entrenar solo la cabeza (rápido)",
        "train.strategy.full": "full: ajustar todas las capas (lento en CPU)",
        "train.strategy.last-n": "last-n: ajustar solo los últimos bloques del backbone y la cabeza",
        "train.strategy.probe-then-full": "probe-then-full: primero la cabeza, luego todas las capas (el más lento)",
        "train.epochs": "Épocas",
        "train.epochs.info": "Vacío o 0 = la de la estrategia (head 10, last-n 5, probe-then-full 3 tras 10 de head, full 3); máximo {max}.",
        "train.learning_rate": "Tasa de aprendizaje",
        "train.learning_rate.info": "Vacío o 0 = la de la estrategia (head 5e-3, full 5e-5).",
        "train.name": "Nombre del checkpoint",
        "train.name.info": "Vacío = <datos>-<estrategia>. Se guarda en models/<nombre>/.",
        "train.overwrite": "Sobrescribir si ya existe un checkpoint con ese nombre",
        "train.start": "Entrenar",
        "train.cancel": "Cancelar",
        "train.resume": "Reanudar",
        "train.status": "Estado del entrenamiento",
        "train.progress": "Progreso",
        "train.loss_plot": "Pérdida (loss) por época",
        "train.accuracy_plot": "Exactitud en validación por época",
        "train.log": "Últimas líneas del registro",
        "train.command": "El mismo entrenamiento en la línea de comandos",
        "train.result": "Resultado",
        "train.confusion": "Matriz de confusión (validación)",
        "train.runs": "Entrenamientos (el mejor primero)",
        "train.runs.task": "Tarea",
        "train.runs.image": "Imágenes",
        "train.runs.text": "Textos",
        "train.runs.baseline": "Línea base: siempre la clase más frecuente (sin aprender)",
        "train.runs.random": "línea base: mismo backbone con pesos aleatorios",
        "train.baseline": "Entrenar también la línea base: el mismo backbone con pesos aleatorios",
        "train.baseline.info": "Un segundo entrenamiento igual, sin los pesos preentrenados: muestra lo que aporta el transfer.",
        "train.runs.col.name": "checkpoint",
        "train.runs.col.base_model": "modelo base",
        "train.runs.col.strategy": "estrategia",
        "train.runs.col.data": "datos",
        "train.runs.col.train_s": "tiempo (s)",
        "train.runs.col.validation": "exactitud validación",
        "train.runs.col.test": "exactitud test",
        "train.share.checkpoint": "Checkpoint",
        "train.share.repo_id": "Repositorio del Hub (owner/name)",
        "train.share.token": "Token de Hugging Face (no se guarda; vacío = el del servidor)",
        "train.share.private": "Repositorio privado",
        "train.share.button": "Subir al Hub",
        "train.share.done": "✅ Subido: {url}",
        "train.share.failed": "No se pudo subir: {error}",
        "train.share.no_checkpoint": "Elige un checkpoint de la lista.",
        "train.api.source": "Qué campos pide cada origen de datos.",
        "train.api.explore": "Explora unos datos: splits, clases, ejemplos por clase, muestras y problemas.",
        "train.api.start": "Pone en cola un entrenamiento con los datos explorados; devuelve su id y su estado.",
        "train.api.progress": "Estado, progreso, curvas, registro y resultado de un entrenamiento.",
        "train.api.cancel": "Cancela un entrenamiento (en cola o en marcha).",
        "train.api.resume": "Reanuda un entrenamiento interrumpido desde su último checkpoint.",
        "train.api.status": "Lo que muestra la pestaña al cargar la página: el último entrenamiento y las listas.",
        "train.api.runs": "La tabla de entrenamientos de una tarea, con su línea base.",
        "train.api.push": "Sube un checkpoint con su model card al Hub.",
        "train.state.none": "Todavía no hay ningún entrenamiento. Explora unos datos y pulsa Entrenar.",
        "train.state.queued": "⏳ **{name}** espera en la cola: posición {position}.",
        "train.state.preparing": "⚙️ **{name}**: preparando los datos y el modelo (con head, calculando las características una vez)…",
        "train.state.running": "🏃 **{name}**: {percent} · quedan {eta}",
        "train.state.done": "✅ **{name}** entrenado en {time}. Ya aparece en el selector de modelo de las otras pestañas (recarga la página).",
        "train.state.finished": "**{name}**: {message}",
        "train.progress.text": "{percent} · época {epoch} de {epochs} · quedan {eta}",
        "train.result.table": "| split | exactitud | F1 macro | loss | ejemplos |\n| --- | --- | --- | --- | --- |",
        "train.result.time": "**Tiempo**: {train} entrenando (el trabajo entero: {total}).",
        "train.result.skipped": "Archivos o filas ilegibles omitidos: {skipped}.",
        "train.job.done": "terminado.",
        "train.job.cancelled": "cancelado. No se escribió ningún checkpoint nuevo; se conservan {kept} checkpoints intermedios para reanudar.",
        "train.job.timeout": "detenido al pasar el límite de {minutes} min (STUDIO_TRAIN_MAX_MINUTES); se conservan {kept} checkpoints intermedios para reanudar.",
        "train.job.cli_error": "el entrenamiento se detuvo: {error}",
        "train.job.crashed": "el proceso de entrenamiento terminó mal (¿sin memoria?): {error}",
        "train.job.interrupted": "interrumpido: el servidor se reinició durante el entrenamiento. Pulsa Reanudar para continuar desde el último checkpoint.",
        "train.zip.not_zip": "El archivo no es un zip válido ({error}).",
        "train.zip.too_many_files": "El zip tiene {count} archivos; el máximo es {max} (STUDIO_TRAIN_MAX_FILES).",
        "train.zip.unsafe_path": "El zip contiene una ruta peligrosa («{name}»: absoluta o con ../): no se extrae nada.",
        "train.zip.symlink": "El zip contiene un enlace simbólico («{name}»): no se extrae nada.",
        "train.zip.too_big": "El zip ocupa {size_mb} MB descomprimido; el máximo es {max_mb} MB (STUDIO_TRAIN_MAX_UNZIPPED_MB).",
        "train.zip.bomb": "El zip se descomprime {ratio} veces su tamaño (máximo {max}): parece una bomba zip y no se extrae.",
        "train.zip.no_images": "El zip no contiene ninguna imagen ({left_out} archivos de otro tipo).",
        "train.zip.left_out": "{count} archivos no son imágenes y se dejaron fuera: {names}",
        "train.data.disk_full": "No queda espacio en el disco del servidor: no se guardó nada.",
        "train.data.write_failed": "No se pudieron guardar los datos en el servidor ({error}).",
        "train.data.empty": "No hay ningún ejemplo de entrenamiento utilizable.",
        "train.data.one_class": "Solo hay una clase ({label}): un clasificador necesita al menos 2.",
        "train.data.class_missing": "El split {split} no tiene ejemplos de: {labels}.",
        "train.data.unknown_labels": "Hay clases que no están en entrenamiento: {labels}.",
        "train.data.too_few": "La clase {label} tiene {count} ejemplo: hacen falta al menos 2 para separar validación.",
        "train.data.carved": "No había split de validación: se apartó el {percent} % de cada clase de entrenamiento (semilla {seed}) para validar.",
        "train.data.empty_class": "La carpeta de la clase {label} ({split}) está vacía: se deja fuera.",
        "train.data.no_train": "No hay carpeta train/ (hay: {found}).",
        "train.data.skipped_not_image": "{count} archivos no son imágenes y se omiten: {names}",
        "train.data.skipped_too_large": "{count} imágenes superan el límite de píxeles (STUDIO_MAX_IMAGE_PIXELS) y se omiten: {names}",
        "train.data.skipped_corrupt": "{count} imágenes están dañadas y se omiten: {names}",
        "train.data.unknown_folder": "No hay ninguna carpeta «{name}» ofrecida por este servidor.",
        "train.data.no_upload": "Sube primero un archivo (zip de imágenes o CSV/TSV/JSONL de textos).",
        "train.text.format": "Formato de texto no admitido ({suffix}): usa .csv, .tsv o .jsonl.",
        "train.text.encoding": "El archivo no está en UTF-8: guárdalo como UTF-8 y vuelve a subirlo.",
        "train.text.unreadable": "No se pudo leer el archivo: {error}",
        "train.text.empty": "El archivo no tiene filas (¿falta la fila de encabezado?).",
        "train.text.no_column": "El archivo no tiene la columna {columns} (columnas: {found}). Elige otras.",
        "train.text.skipped_rows": "{count} filas sin texto o sin etiqueta se omiten.",
        "train.hub.bad_id": "«{ref}» no es un id de dataset del Hub (owner/name).",
        "train.hub.offline": "Sin conexión al Hub: usa un zip, un archivo de texto o una carpeta del servidor.",
        "train.hub.unreadable": "No se pudo leer el dataset {ref} del Hub: {error}",
        "train.error.no_data": "Primero explora unos datos (paso 1).",
        "train.error.data_problems": "Los datos explorados tienen problemas que impiden entrenar: corrígelos y vuelve a explorar.",
        "train.error.no_base_model": "Elige un modelo base.",
        "train.error.bad_name": "«{name}» no vale como nombre: usa letras, dígitos, _ . - (sin espacios).",
        "train.error.name_busy": "Ya hay un entrenamiento de «{name}» en marcha o en cola: elige otro nombre.",
        "train.error.name_taken": "Ya existe un checkpoint «{name}»: marca «Sobrescribir» o usa otro nombre, por ejemplo «{suggestion}».",
        "train.error.strategy": "Estrategia desconocida: {strategy}.",
        "train.error.epochs": "Épocas fuera de rango: {epochs} (entre 0 y {max}, STUDIO_TRAIN_MAX_EPOCHS).",
        "train.error.learning_rate": "La tasa de aprendizaje debe estar entre 0 y 1 (es {value}).",
        "train.error.not_resumable": "Este entrenamiento no se puede reanudar (no está interrumpido ni cancelado).",
    },
    "en": {
        # app
        "app.title": "Transfer Learning Studio",
        "app.intro": (
            "**Transfer learning** reuses what a model learned from millions of examples for a new task "
            "with little data: instead of training from scratch, a pretrained model is adjusted. With the "
            "same 1,034 bean-leaf photos, a MobileNetV2 pretrained on ImageNet gets about 95% of unseen "
            "leaves right; the same network with random weights about 34% (chance, with 3 classes, is 33%). "
            "Start with **Bean leaves**: upload a photo or click an example. Then try the sentiment of a "
            "text, or any model with no code."
        ),
        "model.error.config": "The model configured in {variable} is not valid: {error}",
        "model.error.load": "Could not load the model {name}: {error}",
        "model.error.predict": "The model {name} could not answer this input: {error}",
        "model.answered_label": "Which model answers",
        "model.picker": "Model",
        "model.took": "{ms} ms",
        "app.image.too_small": "The image is too small ({size} px) to recognise anything: use a photo at least {min} px wide and high.",
        "confidence.low": "⚠️ Low confidence ({top}): the model hesitates between its classes; do not trust this answer.",
        "confidence.low.calibrated": (
            "⚠️ Low confidence ({top}, below {threshold}): on validation, answers this unsure were right only "
            "{accuracy} of the time."
        ),
        "confidence.certain": (
            "ℹ️ 100% is not certainty: the model shares the probability among its own classes only, even when "
            "none of them fits what you show it."
        ),
        "confidence.small_image": "⚠️ The image is very small ({size} px): the model sees very little detail.",
        "about.matrix": "Confusion matrix (validation)",
        "beans.truth": "True label of the example: **{label}** {mark}",
        "beans.truth.label": "True label of the example",
        "beans.explain": "Why? See what the model looked at",
        "beans.explain.image": "What weighed most in the answer",
        "beans.explain.opacity": "Heatmap opacity",
        "beans.explain.note": "Explanation",
        "beans.explain.result": "Areas that weighed most for **{label}** (integrated gradients, {seconds} s).",
        "beans.api.example": "Classify an example leaf and compare with its true label.",
        "beans.api.explain": "A heatmap over the photo: which areas weighed most for the top class.",
        "beans.api.opacity": "Redraw the heatmap with another opacity.",
        "model.picker.auto": "Automatic (the best available)",
        "model.picker.info": "The checkpoints in models/ for this task, best first.",
        "model.source.picked": "chosen by you",
        "model.error.unknown_pick": "There is no model “{name}” for this tab: pick one from the list.",
        "beans.api.status": "Which model classifies leaves now, what is known about it, and which models can be picked.",
        "beans.api.classify": "Classify a photo of a bean leaf: the 3 most likely diseases.",
        "sentiment.api.status": "Which model analyses sentiment now, and which models can be picked.",
        "sentiment.api.model": "What is known about the picked model.",
        "beans.api.model": "What is known about the picked model.",
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
        "about.no_metrics": "This checkpoint has no metrics.json: its training data and accuracy are unknown.",
        "about.limits": "**Limits**",
        "about.calibration": (
            "**Confidence**: below {threshold} the model says it is unsure: that unsure were 10% of its "
            "validation answers, and they were right {accuracy} of the time (the rest, {above})."
        ),
        "about.limits.image-classification": (
            "It only knows the classes above: any image gets one of them, even if it is not a leaf. "
            "The figures hold for photos like its data; other cameras, light or crops may do much worse."
        ),
        "about.limits.text-classification": (
            "It only knows the labels above and the languages of its training data: in another language "
            "or topic the answer may be wrong even when it looks confident."
        ),
        "about.limits.generic": "It only knows the classes of its training data.",
        "label.angular_leaf_spot": "Angular leaf spot",
        "label.bean_rust": "Bean rust",
        "label.healthy": "Healthy",
        "label.negative": "negative",
        "label.positive": "positive",
        "beans.no_model": (
            "There is no bean-leaf model yet (the Hub is offline and {models_dir} has none). "
            "Train one in a few minutes on CPU with: {command}"
        ),
        # sentiment tab
        "sentiment.tab": "Sentiment",
        "sentiment.intro": (
            "Type a text and the model says whether its sentiment is positive or negative, with its "
            "confidence. It is a pretrained language model with a fine-tuned classification head. It only "
            "reads the languages of its training data well (shown under the result): one trained on SST-2 "
            "reads English only, and warns you when you write in another language."
        ),
        "lang.en": "English", "lang.es": "Spanish", "lang.pt": "Portuguese", "lang.fr": "French",
        "lang.de": "German", "lang.it": "Italian", "lang.nl": "Dutch",
        "label.1 star": "★☆☆☆☆ 1 star", "label.2 stars": "★★☆☆☆ 2 stars", "label.3 stars": "★★★☆☆ 3 stars",
        "label.4 stars": "★★★★☆ 4 stars", "label.5 stars": "★★★★★ 5 stars",
        "sentiment.language.no_words": (
            "⚠️ The text has no words: the model has nothing to read and its answer means nothing."
        ),
        "sentiment.language.foreign": (
            "⚠️ This text does not look like {languages}, the language the model was trained on: "
            "the answer is not reliable."
        ),
        "sentiment.language.reads": "The model reads: {languages}.",
        "sentiment.explain": "Why? See which words weighed",
        "sentiment.explain.words": "Words pushing towards the answer (positive) or against it (negative)",
        "sentiment.explain.note": "Explanation",
        "sentiment.explain.result": "How much each word pushed towards **{label}** (integrated gradients, {seconds} s).",
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
        "playground.answered": (
            "Answered by **{model}** · load: {load} · inference: {infer:.2f} s"
        ),
        "playground.load.cached": "0 s (already in memory)",
        "playground.load.seconds": "{seconds:.2f} s",
        "playground.loading": "Loading {model}…",
        "playground.error.empty_text": "Type a text first.",
        "playground.error.no_labels": "Type at least one candidate label (comma separated).",
        "playground.error.no_image": "Upload an image first.",
        "playground.error.no_audio": "Upload or record an audio clip first.",
        "playground.error.bad_audio": "Could not read the audio: upload a valid WAV, FLAC, OGG or MP3 file.",
        "playground.error.audio_too_long": "The audio lasts {seconds} s: at most {max} s can be analysed. Trim it and upload it again.",
        "playground.error.no_mask": "The text must contain the hidden word {mask} (or [MASK]).",
        "playground.error.no_context": "Type the context to find the answer in.",
        "playground.error.no_target": "Type the target language (for example: Spanish).",
        "playground.error.no_sentences": "Type at least one sentence to compare (one per line).",
        "playground.error.unknown_task": "Unknown task: {task}.",
        "model.ref.empty": "Name a model: a Hub id (`owner/name`) or a checkpoint in models/.",
        "model.ref.bad": "“{ref}” is neither a Hub id (`owner/name`) nor a checkpoint in models/.",
        "model.ref.url": "“{ref}” is a URL: give the Hub id (`owner/name`), not the address.",
        "model.ref.outside": "“{ref}” is outside the models/ folder: only checkpoints there are loaded.",
        "model.ref.not_checkpoint": "“{ref}” is not a checkpoint (config.json or model.safetensors is missing).",
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
            "“{model}” is not a model that can be loaded here: type a Hub id (`owner/name`) or pick a "
            "local checkpoint from the list (`models/<name>`)."
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
        "playground.task.summarization": "Summarises a text in one or two sentences (an instruction model).",
        "playground.task.translation": "Translates a text into the language you name (an instruction model).",
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
        "model.refuse.bad_ref": "Model reference refused: {reason}",
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
        # train tab
        "train.tab": "Train",
        "train.intro": (
            "Train your own classifier with transfer learning, in the browser: **explore** the data, pick a "
            "base model and a strategy, **train** while the curves update, and use the model at once in the "
            "other tabs. It is the command line's `python -m training`, in a separate process."
        ),
        "train.step.data": "1. Data",
        "train.step.train": "2. Train",
        "train.step.runs": "3. Compare runs",
        "train.step.share": "4. Share on the Hub",
        "train.source": "Data source",
        "train.source.upload": "Upload a file",
        "train.source.folder": "Server folder",
        "train.source.hub": "Hub dataset",
        "train.upload": "A zip of images (<split>/<class>/<image> or <class>/<image>) or a CSV/TSV/JSONL of texts",
        "train.folder": "Folder offered by this server",
        "train.hub_id": "Id of a Hub image dataset (owner/name)",
        "train.text_column": "Text column",
        "train.label_column": "Label column",
        "train.explore": "Explore the data",
        "train.summary": "Data summary",
        "train.bars": "Examples per class",
        "train.gallery": "Examples of each class (train)",
        "train.samples": "Sample rows per class",
        "train.summary.title": "**Splits**: {splits} · **Classes** ({count}): {labels}",
        "train.summary.ready": "✅ The data is ready to train on.",
        "train.summary.blocked": "⛔ Fix the above before training.",
        "train.base_model": "Base model",
        "train.base_model.info": "Those this server offers and the checkpoints in models/; or type a Hub id (online).",
        "train.strategy": "Strategy",
        "train.strategy.head": "head: freeze the backbone, train only the head (fast)",
        "train.strategy.full": "full: fine-tune every layer (slow on a CPU)",
        "train.strategy.last-n": "last-n: fine-tune only the backbone's last blocks and the head",
        "train.strategy.probe-then-full": "probe-then-full: the head first, then every layer (slowest)",
        "train.epochs": "Epochs",
        "train.epochs.info": "Empty or 0 = the strategy's (head 10, last-n 5, probe-then-full 3 after 10 of head, full 3); at most {max}.",
        "train.learning_rate": "Learning rate",
        "train.learning_rate.info": "Empty or 0 = the strategy's (head 5e-3, full 5e-5).",
        "train.name": "Checkpoint name",
        "train.name.info": "Empty = <data>-<strategy>. Saved to models/<name>/.",
        "train.overwrite": "Overwrite a checkpoint that has this name",
        "train.start": "Train",
        "train.cancel": "Cancel",
        "train.resume": "Resume",
        "train.status": "Training status",
        "train.progress": "Progress",
        "train.loss_plot": "Loss per epoch",
        "train.accuracy_plot": "Validation accuracy per epoch",
        "train.log": "Last log lines",
        "train.command": "The same training on the command line",
        "train.result": "Result",
        "train.confusion": "Confusion matrix (validation)",
        "train.runs": "Runs (best first)",
        "train.runs.task": "Task",
        "train.runs.image": "Images",
        "train.runs.text": "Texts",
        "train.runs.baseline": "Baseline: always the most frequent class (no learning)",
        "train.runs.random": "baseline: same backbone, random weights",
        "train.baseline": "Also train the baseline: the same backbone with random weights",
        "train.baseline.info": "A second, identical run without the pretrained weights: it shows what transfer buys.",
        "train.runs.col.name": "checkpoint",
        "train.runs.col.base_model": "base model",
        "train.runs.col.strategy": "strategy",
        "train.runs.col.data": "data",
        "train.runs.col.train_s": "time (s)",
        "train.runs.col.validation": "validation accuracy",
        "train.runs.col.test": "test accuracy",
        "train.share.checkpoint": "Checkpoint",
        "train.share.repo_id": "Hub repository (owner/name)",
        "train.share.token": "Hugging Face token (never stored; empty = the server's)",
        "train.share.private": "Private repository",
        "train.share.button": "Push to the Hub",
        "train.share.done": "✅ Pushed: {url}",
        "train.share.failed": "Could not push: {error}",
        "train.share.no_checkpoint": "Pick a checkpoint from the list.",
        "train.api.source": "Which fields each data source asks for.",
        "train.api.explore": "Explore data: splits, classes, examples per class, samples and problems.",
        "train.api.start": "Queue a training run on the explored data; returns its id and its state.",
        "train.api.progress": "State, progress, curves, log and result of a training run.",
        "train.api.cancel": "Cancel a training run (queued or running).",
        "train.api.resume": "Resume an interrupted training run from its last checkpoint.",
        "train.api.status": "What the tab shows on page load: the latest run and the lists.",
        "train.api.runs": "The runs table of a task, with its baseline.",
        "train.api.push": "Push a checkpoint with its model card to the Hub.",
        "train.state.none": "No training run yet. Explore some data and press Train.",
        "train.state.queued": "⏳ **{name}** is waiting in the queue: position {position}.",
        "train.state.preparing": "⚙️ **{name}**: preparing the data and the model (with head, computing the features once)…",
        "train.state.running": "🏃 **{name}**: {percent} · {eta} left",
        "train.state.done": "✅ **{name}** trained in {time}. It is in the other tabs' model picker now (reload the page).",
        "train.state.finished": "**{name}**: {message}",
        "train.progress.text": "{percent} · epoch {epoch} of {epochs} · {eta} left",
        "train.result.table": "| split | accuracy | macro F1 | loss | examples |\n| --- | --- | --- | --- | --- |",
        "train.result.time": "**Time**: {train} training (the whole job: {total}).",
        "train.result.skipped": "Unreadable files or rows skipped: {skipped}.",
        "train.job.done": "done.",
        "train.job.cancelled": "cancelled. No new checkpoint was written; {kept} intermediate checkpoints are kept for Resume.",
        "train.job.timeout": "stopped past the {minutes} min limit (STUDIO_TRAIN_MAX_MINUTES); {kept} intermediate checkpoints are kept for Resume.",
        "train.job.cli_error": "training stopped: {error}",
        "train.job.crashed": "the training process ended badly (out of memory?): {error}",
        "train.job.interrupted": "interrupted: the server restarted during training. Press Resume to continue from the last checkpoint.",
        "train.zip.not_zip": "The file is not a valid zip ({error}).",
        "train.zip.too_many_files": "The zip holds {count} files; at most {max} are allowed (STUDIO_TRAIN_MAX_FILES).",
        "train.zip.unsafe_path": "The zip holds a dangerous path (“{name}”: absolute or with ../): nothing is extracted.",
        "train.zip.symlink": "The zip holds a symbolic link (“{name}”): nothing is extracted.",
        "train.zip.too_big": "The zip is {size_mb} MB once extracted; at most {max_mb} MB are allowed (STUDIO_TRAIN_MAX_UNZIPPED_MB).",
        "train.zip.bomb": "The zip inflates to {ratio} times its size (at most {max}): it looks like a zip bomb and is not extracted.",
        "train.zip.no_images": "The zip holds no images ({left_out} files of other kinds).",
        "train.zip.left_out": "{count} files are not images and were left out: {names}",
        "train.data.disk_full": "The server's disk is full: nothing was saved.",
        "train.data.write_failed": "Could not save the data on the server ({error}).",
        "train.data.empty": "There are no usable training examples.",
        "train.data.one_class": "There is one class only ({label}): a classifier needs at least 2.",
        "train.data.class_missing": "The {split} split has no examples of: {labels}.",
        "train.data.unknown_labels": "Some classes are not in train: {labels}.",
        "train.data.too_few": "Class {label} has {count} example: at least 2 are needed to set some aside for validation.",
        "train.data.carved": "There was no validation split: {percent} % of each training class (seed {seed}) was set aside for validation.",
        "train.data.empty_class": "The folder of class {label} ({split}) is empty: left out.",
        "train.data.no_train": "There is no train/ folder (found: {found}).",
        "train.data.skipped_not_image": "{count} files are not images and are skipped: {names}",
        "train.data.skipped_too_large": "{count} images exceed the pixel limit (STUDIO_MAX_IMAGE_PIXELS) and are skipped: {names}",
        "train.data.skipped_corrupt": "{count} images are damaged and are skipped: {names}",
        "train.data.unknown_folder": "This server offers no folder “{name}”.",
        "train.data.no_upload": "Upload a file first (a zip of images or a CSV/TSV/JSONL of texts).",
        "train.text.format": "Unsupported text format ({suffix}): use .csv, .tsv or .jsonl.",
        "train.text.encoding": "The file is not UTF-8: save it as UTF-8 and upload it again.",
        "train.text.unreadable": "Could not read the file: {error}",
        "train.text.empty": "The file has no rows (is the header row missing?).",
        "train.text.no_column": "The file has no column {columns} (columns: {found}). Pick others.",
        "train.text.skipped_rows": "{count} rows without a text or a label are skipped.",
        "train.hub.bad_id": "“{ref}” is not a Hub dataset id (owner/name).",
        "train.hub.offline": "The Hub is not reachable: use a zip, a text file or a server folder.",
        "train.hub.unreadable": "Could not read the Hub dataset {ref}: {error}",
        "train.error.no_data": "Explore some data first (step 1).",
        "train.error.data_problems": "The explored data has problems that prevent training: fix them and explore again.",
        "train.error.no_base_model": "Pick a base model.",
        "train.error.bad_name": "“{name}” is not a usable name: use letters, digits, _ . - (no spaces).",
        "train.error.name_busy": "A run of “{name}” is already running or queued: pick another name.",
        "train.error.name_taken": "A checkpoint “{name}” exists: tick “Overwrite” or use another name, e.g. “{suggestion}”.",
        "train.error.strategy": "Unknown strategy: {strategy}.",
        "train.error.epochs": "Epochs out of range: {epochs} (between 0 and {max}, STUDIO_TRAIN_MAX_EPOCHS).",
        "train.error.learning_rate": "The learning rate must be between 0 and 1 (it is {value}).",
        "train.error.not_resumable": "This run cannot be resumed (it is not interrupted nor cancelled).",
    },
}


def percent(value: float, digits: int = 1) -> str:
    """0.8734 -> '87,3 %' (es) / '87.3%' (en): numbers as the UI's language writes them."""
    text = f"{value * 100:.{digits}f}"
    return f"{text.replace('.', ',')} %" if config.language() == "es" else f"{text}%"


def t(key: str, lang: str | None = None, **fields: object) -> str:
    table = STRINGS[lang or config.language()]
    text = table.get(key) or STRINGS["en"].get(key) or key
    return text.format(**fields) if fields else text
