"""The Train tab's strings (its data review's too: "review.*").

Spanish (the course's language, the default) and English; studio.i18n.t reads them. Both
languages have the same keys (tests/studio/test_app.py checks it). The recipes' numbers come from their table.
"""

from decimal import Decimal

from contract.recipes import unset_by_strategy, unset_value
from contract.runs import STRATEGY_NAMES

IMAGE_EPOCHS, TEXT_EPOCHS = unset_by_strategy("image", "epochs"), unset_by_strategy("text", "epochs")
IMAGE_RATES, TEXT_RATES = unset_by_strategy("image", "learning_rate"), unset_by_strategy("text", "learning_rate")
# The strategies in the Spanish info lines: words, not the command line's names (issue 29 item 8).
STRATEGY_WORDS = {"head": "capa final", "last-n": "últimos bloques", "probe-then-full": "capa final y después todas",
                  "full": "todas las capas"}


def unset_in_words(kind: str, flag: str) -> str:
    """unset_by_strategy in Spanish: "capa final 0,005, últimos bloques 0,001, …" (decimals with a comma)."""
    def shown(value: str | None) -> str:
        return "" if value is None else f"{Decimal(value).normalize():f}".replace(".", ",")

    return ", ".join(f"{STRATEGY_WORDS[name]} {shown(unset_value(kind, flag, name))}" for name in STRATEGY_NAMES)

STRINGS: dict[str, dict[str, str]] = {
    "es": {
        "train.tab": "Entrenar",
        "train.state.features": (
            "🏃 **{name}**: calculando lo que ve el modelo preentrenado de cada ejemplo, {percent} · quedan {eta}"
        ),
        "train.state.epoch": "época {epoch} de {epochs}",
        "train.state.loss": "pérdida de entrenamiento {loss}",
        "train.state.accuracy": "exactitud en validación {accuracy}",
        "train.log.raw": "Registro del proceso, tal cual (en inglés)",
        "train.split.train": "entrenamiento",
        "train.split.validation": "validación",
        "train.split.test": "prueba",
        "train.split.holdout": "reservado",
        "train.label_names": "Nombres de las etiquetas (opcional)",
        "train.label_names.info": "Si las etiquetas son números 0, 1, …: sus nombres en ese orden, separados por comas.",
        "train.label_names.placeholder": "negativo, positivo",
        "train.error.label_names_numeric": (
            "Solo se pueden dar nombres a etiquetas de texto numeradas 0, 1, 2…; estas ya tienen nombre."
        ),
        "train.error.label_names": (
            "Hacen falta {count} nombres distintos, uno por etiqueta (0, 1, …), separados por comas y de "
            "{max} caracteres como mucho."
        ),
        "train.plot.epoch": "época",
        "train.plot.loss": "pérdida",
        "train.plot.accuracy": "exactitud",
        "train.plot.curve": "curva",
        "train.plot.class": "clase",
        "train.plot.examples": "ejemplos",
        "train.plot.split": "parte",
        "train.curve.train": "entrenamiento",
        "train.curve.validation": "validación",
        "train.first_model.queued": (
            "Preparando el primer modelo de esta pestaña: espera en la cola a que termine el de la otra pestaña."
        ),
        "train.first_model.failed": (
            "El entrenamiento automático del primer modelo de esta pestaña falló ({reason}): entrena uno en la "
            "pestaña «Entrenar»."
        ),
        "train.first_model.starting": (
            "Preparando el primer modelo de esta pestaña: leyendo los datos y calculando lo que ve el modelo "
            "preentrenado…"
        ),
        "train.first_model.progress": (
            "Preparando el primer modelo: {percent}, unos {eta} más. La pestaña responde en cuanto esté listo."
        ),
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
        "train.source.hub": "Conjunto de datos del Hub",
        "train.upload": (
            "Un zip de fotos (<parte>/<clase>/<foto>, con parte train, validation o test, o <clase>/<foto>) o un "
            "CSV/TSV/JSONL de textos"
        ),
        "train.folder": "Carpeta ofrecida por este servidor",
        "train.hub_id": "Id de un conjunto de imágenes del Hub (usuario/nombre)",
        "train.text_column": "Columna del texto",
        "train.label_column": "Columna de la etiqueta",
        "train.explore": "Explorar los datos",
        "train.summary": "Resumen de los datos",
        "train.bars": "Ejemplos por clase",
        "train.gallery": "Ejemplos de cada clase (entrenamiento)",
        "train.samples": "Filas de ejemplo por clase",
        "train.summary.title": "**Partes**: {splits} · **Clases** ({count}): {labels}",
        "train.summary.ready": "✅ Los datos están listos para entrenar.",
        "train.summary.blocked": "⛔ Corrige lo anterior antes de entrenar.",
        "train.base_model": "Modelo base",
        "train.base_model.info": (
            "Se empieza por un modelo preentrenado (aprendió de millones de imágenes o textos): eso es el "
            "aprendizaje por transferencia. Un modelo ya entrenado de la lista sigue entrenándose desde donde "
            "quedó. Con conexión, también puedes escribir un id del Hub."
        ),
        "train.base.pretrained": "{name} · preentrenado (recomendado)",
        "train.base.trained": "{name} · ya entrenado: seguir entrenándolo",
        "train.strategy": "Estrategia",
        "train.strategy.head": "Solo la capa final: la red preentrenada queda congelada (rápido) · head",
        "train.strategy.full": "Todas las capas (lento en CPU) · full",
        "train.strategy.last-n": "Los últimos bloques de la red y la capa final · last-n",
        "train.strategy.probe-then-full": (
            "Primero la capa final, luego todas las capas (el más lento) · probe-then-full"
        ),
        "train.epochs": "Épocas",
        "train.epochs.info": (
            "Vacío o 0 = las que mejor funcionaron con cada estrategia: imágenes: "
            f"{unset_in_words('image', 'epochs')}; textos: {unset_in_words('text', 'epochs')}; máximo {{max}}."
        ),
        "train.learning_rate": "Tasa de aprendizaje",
        "train.learning_rate.info": (
            "Vacío o 0 = la que mejor funcionó con cada estrategia: imágenes: "
            f"{unset_in_words('image', 'learning_rate')}; textos: {unset_in_words('text', 'learning_rate')}."
        ),
        "train.name": "Nombre del modelo",
        "train.name.info": "Vacío = <datos>-<estrategia>. Se guarda en models/<nombre>/.",
        "train.overwrite": "Sustituir el modelo tuyo que ya tenga ese nombre",
        "train.start": "Entrenar",
        "train.cancel": "Cancelar",
        "train.resume": "Reanudar",
        "train.status": "Estado del entrenamiento",
        "train.progress": "Progreso",
        "train.loss_plot": "Pérdida por época (cuanto más baja, mejor)",
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
        "train.runs.random": "línea base: la misma red con pesos aleatorios",
        "train.baseline": "Entrenar también la línea base: la misma red con pesos aleatorios",
        "train.baseline.info": (
            "Un segundo entrenamiento igual, sin los pesos preentrenados: muestra lo que aporta la "
            "transferencia."
        ),
        "train.runs.col.name": "modelo",
        "train.runs.col.base_model": "modelo base",
        "train.runs.col.strategy": "estrategia",
        "train.runs.col.data": "datos",
        "train.runs.col.train_s": "tiempo (s)",
        "train.runs.col.validation": "exactitud en validación",
        "train.runs.col.test": "exactitud en prueba",
        "train.runs.col.honest": "exactitud honesta",
        "train.share.checkpoint": "Modelo",
        "train.share.repo_id": "Repositorio del Hub (owner/name)",
        "train.share.token": "Tu token de Hugging Face, con permiso de escritura (no se guarda)",
        "train.share.no_token": "Escribe tu token de Hugging Face (con permiso de escritura): lo tuyo se sube "
                                "con tu token, nunca con el del servidor.",
        "train.share.no_token_space": "Inicia sesión con Hugging Face (o escribe tu token): lo tuyo se sube "
                                      "con tu cuenta, nunca con la del servidor.",
        "train.share.login": "Iniciar sesión con Hugging Face",
        "train.share.logout": "Cerrar sesión ({})",
        "train.share.private": "Repositorio privado",
        "train.share.button": "Subir al Hub",
        "train.share.done": "✅ Subido: {url}",
        "train.share.failed": "No se pudo subir: {error}",
        "train.share.no_checkpoint": "Elige un modelo de la lista.",
        "train.api.source": "Qué campos pide cada origen de datos.",
        "train.api.explore": (
            "Explora unos datos: splits, clases, ejemplos por clase, muestras y problemas."
        ),
        "train.api.start": (
            "Pone en cola un entrenamiento con los datos explorados; devuelve su id y su estado."
        ),
        "train.api.progress": "Estado, progreso, curvas, registro y resultado de un entrenamiento.",
        "train.api.cancel": "Cancela un entrenamiento (en cola o en marcha).",
        "train.api.resume": "Reanuda un entrenamiento interrumpido desde su último checkpoint.",
        "train.api.status": (
            "Lo que muestra la pestaña al cargar la página: el último entrenamiento y las listas."
        ),
        "train.api.runs": "La tabla de entrenamientos de una tarea, con su línea base.",
        "train.api.push": "Sube un checkpoint con su model card al Hub.",
        "train.state.none": "Todavía no hay ningún entrenamiento. Explora unos datos y pulsa Entrenar.",
        "train.state.queued": "⏳ **{name}** espera en la cola: posición {position}.",
        "train.state.first_model": (
            "⚙️ El servidor {status} el primer modelo de la pestaña «{tab}»: un entrenamiento tuyo esperará a "
            "que termine."
        ),
        "train.state.running_short": "está entrenando",
        "train.state.queued_short": "va a entrenar",
        "train.state.queued_eta": (
            "⏳ **{name}** espera en la cola: posición {position} de {waiting}. Listo en unos {eta} (estimado con "
            "los últimos {runs} entrenamientos aquí, {workers} a la vez)."
        ),
        "train.state.preparing": (
            "⚙️ **{name}**: preparando los datos y el modelo (con head, calculando las características una "
            "vez)…"
        ),
        "train.state.running": "🏃 **{name}**: {percent} · quedan {eta}",
        "train.state.folds": (
            "🔁 **{name}**: validación cruzada, modelo {fold} de {folds} (cada uno se evalúa con datos que no "
            "vio) · quedan {eta}"
        ),
        "train.progress.folds": "{percent} · validación cruzada: modelo {fold} de {folds} · quedan {eta}",
        "train.result.honest": (
            "**Exactitud honesta**: {score}, con {examples} ejemplos que el modelo evaluado no vio al entrenar."
        ),
        "train.state.done": (
            "✅ **{name}** entrenado en {time}. Para probarlo, recarga la página y elígelo en el selector "
            "«Modelo» de las otras pestañas («Automático» sigue usando el modelo del servidor)."
        ),
        "train.state.finished": "**{name}**: {message}",
        "train.progress.text": "{percent} · época {epoch} de {epochs} · quedan {eta}",
        "train.result.table": (
            "| parte | exactitud | F1 (media por clase) | pérdida | ejemplos |\n| --- | --- | --- | --- | --- |"
        ),
        "train.result.time": "**Tiempo**: {train} entrenando (el trabajo entero: {total}).",
        "train.result.skipped": "Archivos o filas ilegibles omitidos: {skipped}.",
        "train.job.done": "terminado.",
        "train.job.cancelled": (
            "cancelado. No se escribió ningún modelo nuevo; se conservan {kept} copias intermedias "
            "para reanudar."
        ),
        "train.job.timeout": (
            "detenido al pasar el límite de {minutes} min (STUDIO_TRAIN_MAX_MINUTES); se conservan {kept} "
            "checkpoints intermedios para reanudar."
        ),
        "train.job.cli_error": "el entrenamiento se detuvo: {error}",
        "train.job.crashed": "el proceso de entrenamiento terminó mal (¿sin memoria?): {error}",
        "train.job.interrupted": (
            "interrumpido: el servidor se reinició durante el entrenamiento. Pulsa Reanudar para continuar "
            "desde el último checkpoint."
        ),
        "train.job.worker_lost": (
            "interrumpido: el proceso de entrenamiento se detuvo desde fuera (el sistema, p. ej. por falta de "
            "memoria, o el operador). Pulsa Reanudar para continuar desde el último checkpoint."
        ),
        "train.zip.not_zip": "El archivo no es un zip válido ({error}).",
        "train.zip.too_many_files": (
            "El zip tiene {count} archivos; el máximo es {max} (STUDIO_TRAIN_MAX_FILES)."
        ),
        "train.zip.unsafe_path": (
            "El zip contiene una ruta peligrosa («{name}»: absoluta o con ../): no se extrae nada."
        ),
        "train.zip.symlink": "El zip contiene un enlace simbólico («{name}»): no se extrae nada.",
        "train.zip.too_big": (
            "El zip ocupa {size_mb} MB descomprimido; el máximo es {max_mb} MB "
            "(STUDIO_TRAIN_MAX_UNZIPPED_MB)."
        ),
        "train.zip.bomb": (
            "El zip se descomprime {ratio} veces su tamaño (máximo {max}): parece una bomba zip y no se "
            "extrae."
        ),
        "train.zip.no_images": "El zip no contiene ninguna imagen ({left_out} archivos de otro tipo).",
        "train.zip.left_out": "{count} archivos no son imágenes y se dejaron fuera: {names}",
        "train.data.disk_full": "No queda espacio en el disco del servidor: no se guardó nada.",
        "train.data.write_failed": "No se pudieron guardar los datos en el servidor ({error}).",
        "train.data.empty": "No hay ningún ejemplo de entrenamiento utilizable.",
        "train.upload.format": (
            "«{name}» no es un zip de fotos ni una tabla de textos: sube un .zip, o un .csv, .tsv o .jsonl."
        ),
        "train.data.no_class_folders": (
            "Las fotos tienen que ir en una carpeta por clase (por ejemplo sana/ y roya/, al menos dos): "
            "ordénalas así, vuelve a comprimir la carpeta y súbela de nuevo."
        ),
        "train.data.one_class": (
            "Solo hay una clase ({label}) y un clasificador necesita al menos dos: añade otra carpeta de fotos o "
            "filas de otra etiqueta y vuelve a subir los datos."
        ),
        "train.data.class_missing": "La parte {split} no tiene ejemplos de: {labels}.",
        "train.data.unknown_labels": "Hay clases que no están en entrenamiento: {labels}.",
        "train.data.too_few": (
            "La clase {label} tiene {count} ejemplo: hacen falta al menos 2 para separar validación."
        ),
        "train.data.carved": (
            "No había parte de validación: se apartó el {percent} % de cada clase de entrenamiento (semilla "
            "{seed}) para validar."
        ),
        "train.data.empty_class": "La carpeta de la clase {label} ({split}) está vacía: se deja fuera.",
        "train.data.no_train": "No hay carpeta train/ (hay: {found}).",
        "train.data.skipped_not_image": "{count} archivos no son imágenes y se omiten: {names}",
        "train.data.skipped_too_large": (
            "{count} imágenes superan el límite de píxeles (STUDIO_MAX_IMAGE_PIXELS) y se omiten: {names}"
        ),
        "train.data.skipped_corrupt": "{count} imágenes están dañadas y se omiten: {names}",
        "train.data.unknown_folder": "No hay ninguna carpeta «{name}» ofrecida por este servidor.",
        "train.data.no_upload": "Sube primero un archivo (zip de imágenes o CSV/TSV/JSONL de textos).",
        "train.text.format": "Formato de texto no admitido ({suffix}): usa .csv, .tsv o .jsonl.",
        "train.text.encoding": "El archivo no está en UTF-8: guárdalo como UTF-8 y vuelve a subirlo.",
        "train.text.windows_1252": (
            "El archivo no estaba en UTF-8: se ha leído como Windows-1252 (el «CSV» de Excel). Comprueba que "
            "las tildes y eñes de las muestras se ven bien; si no, guárdalo como «CSV UTF-8»."
        ),
        "train.text.unreadable": "No se pudo leer el archivo: {error}",
        "train.text.empty": "El archivo no tiene filas (¿falta la fila de encabezado?).",
        "train.text.no_column": (
            "El archivo no tiene la columna {columns} (columnas: {found}). Elige otras."
        ),
        "train.text.skipped_rows": "{count} filas sin texto o sin etiqueta se omiten.",
        "train.text.no_label_column": (
            "El archivo necesita una columna con la etiqueta de cada texto además de la del texto (columnas: "
            "{found}): añádela, o elige otra en «Columna de la etiqueta», y vuelve a explorarlo."
        ),
        "train.hub.bad_id": "«{ref}» no es un id de conjunto de datos del Hub (usuario/nombre).",
        "train.hub.offline": (
            "Sin conexión al Hub: usa un zip, un archivo de texto o una carpeta del servidor."
        ),
        "train.hub.unreadable": "No se pudo leer el conjunto de datos {ref} del Hub: {error}",
        "train.error.no_data": "Primero explora unos datos (paso 1).",
        "train.error.data_problems": (
            "Los datos explorados tienen problemas que impiden entrenar: corrígelos y vuelve a explorar."
        ),
        "train.error.no_base_model": "Elige un modelo base.",
        "train.error.bad_name": "«{name}» no vale como nombre: usa letras, dígitos, _ . - (sin espacios).",
        "train.error.name_busy": (
            "Ya hay un entrenamiento de «{name}» en marcha o en cola: elige otro nombre."
        ),
        "train.error.name_taken": (
            "Ya tienes un modelo «{name}»: marca «Sustituir» o usa otro nombre, por ejemplo "
            "«{suggestion}»."
        ),
        "train.error.strategy": "Estrategia desconocida: {strategy}.",
        "train.error.epochs": "Épocas fuera de rango: {epochs} (entre 0 y {max}, STUDIO_TRAIN_MAX_EPOCHS).",
        "train.error.learning_rate": "La tasa de aprendizaje debe estar entre 0 y 1 (es {value}).",
        "train.error.not_resumable": (
            "Este entrenamiento no se puede reanudar (no está interrumpido ni cancelado)."
        ),
        "review.kfold": "Validación cruzada (k-fold)",
        "review.kfold.info": "5 modelos más, cada uno puntúa lo que no vio: exactitud honesta y etiquetas sospechosas.",
        "review.title": "5. Revisar los datos (etiquetas sospechosas, errores, matriz de confusión)",
        "review.intro": (
            "Con **validación cruzada** (k-fold) cada ejemplo lo puntúa un modelo que nunca lo vio; "
            "una comparación de esas respuestas con las etiquetas señala las que probablemente están mal. "
            "Revisa cada una: **mantener**, **corregir** o **excluir**, y vuelve a entrenar."
        ),
        "review.run": "Entrenamiento",
        "review.load": "Revisar",
        "review.none": "Este entrenamiento no tiene etiquetas sospechosas calculadas: entrena con «Validación cruzada».",
        "review.found": "**{count}** etiquetas sospechosas entre {examples} ejemplos (las más dudosas primero).",
        "review.gallery": "Etiquetas sospechosas",
        "review.caption": "{index}. dada: {given} → sugerida: {suggested} ({score})",
        "review.table": "Decisiones",
        "review.col.index": "n.º",
        "review.col.example": "ejemplo",
        "review.col.given": "etiqueta dada",
        "review.col.suggested": "sugerida",
        "review.col.score": "confianza en la dada",
        "review.col.decision": "decisión",
        "review.decision.keep": "mantener",
        "review.decision.relabel": "corregir",
        "review.decision.exclude": "excluir",
        "review.decide.items": "Ejemplos (n.º, separados por comas)",
        "review.decide.action": "Decisión",
        "review.decide.apply": "Aplicar",
        "review.retrain": "Reentrenar sin los excluidos / con los corregidos",
        "review.retrain.name": "Nombre del nuevo entrenamiento",
        "review.retrained": "Reentrenamiento en cola: «{name}» ({excluded} excluidos, {relabelled} corregidos).",
        "review.cell.true": "Etiqueta real",
        "review.cell.predicted": "Predicha",
        "review.cell.show": "Ver los ejemplos de esta celda",
        "review.cell.found": "{count} ejemplos de validación con etiqueta «{true}» predichos como «{predicted}».",
        "review.cell.gallery": "Ejemplos de la celda",
        "review.losses": "Mayores pérdidas en validación",
        "review.error.no_run": "Elige uno de tus entrenamientos.",
        "review.error.no_data": "Los datos de este entrenamiento ya no están en el servidor: no se puede reentrenar.",
        "review.error.nothing": "No hay decisiones que aplicar: excluye o corrige algún ejemplo.",
        "review.error.items": "Números de ejemplo no válidos: {items}.",
        "review.error.decision": "Elige qué hacer con esos ejemplos: mantener, corregir o excluir.",
        "review.api.load": "Etiquetas sospechosas y mayores pérdidas de un entrenamiento propio.",
        "review.api.decide": "Marca ejemplos como mantener, corregir o excluir.",
        "review.api.cell": "Ejemplos detrás de una celda de la matriz de confusión.",
        "review.api.retrain": "Reentrena sin los excluidos y con los corregidos, como un entrenamiento nuevo.",
    },
    "en": {
        "train.state.features": "🏃 **{name}**: computing what the pretrained model sees of each example, {percent} · {eta} left",
        "train.state.epoch": "epoch {epoch} of {epochs}",
        "train.state.loss": "training loss {loss}",
        "train.state.accuracy": "validation accuracy {accuracy}",
        "train.log.raw": "The process's log, as written",
        "train.split.train": "train",
        "train.split.validation": "validation",
        "train.split.test": "test",
        "train.split.holdout": "holdout",
        "train.label_names": "Label names (optional)",
        "train.label_names.info": "If the labels are numbers 0, 1, …: their names in that order, comma-separated.",
        "train.label_names.placeholder": "negative, positive",
        "train.error.label_names_numeric": "Only text labels numbered 0, 1, 2… can be given names; these have names.",
        "train.error.label_names": (
            "{count} different names are needed, one per label (0, 1, …), comma-separated, at most {max} "
            "characters each."
        ),
        "train.plot.epoch": "epoch",
        "train.plot.loss": "loss",
        "train.plot.accuracy": "accuracy",
        "train.plot.curve": "curve",
        "train.plot.class": "class",
        "train.plot.examples": "examples",
        "train.plot.split": "split",
        "train.curve.train": "train",
        "train.curve.validation": "validation",
        "train.first_model.queued": (
            "Preparing the first model of this tab: it waits in the queue for the other tab's to finish."
        ),
        "train.first_model.failed": (
            "The automatic training of this tab's first model failed ({reason}): train one in the “Train” tab."
        ),
        "train.first_model.starting": (
            "Preparing the first model of this tab: reading the data and computing what the pretrained model sees…"
        ),
        "train.first_model.progress": (
            "Preparing the first model: {percent}, about {eta} left. This tab answers as soon as it is ready."
        ),
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
        "train.upload": (
            "A zip of images (<split>/<class>/<image> or <class>/<image>) or a CSV/TSV/JSONL of texts"
        ),
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
        "train.base_model.info": (
            "Training starts from a pretrained model (it learnt from millions of images or texts): that is "
            "transfer learning. An already trained model from the list keeps training from where it stopped. "
            "Online, you may also type a Hub id."
        ),
        "train.base.pretrained": "{name} · pretrained (recommended)",
        "train.base.trained": "{name} · already trained: keep training it",
        "train.strategy": "Strategy",
        "train.strategy.head": "head: freeze the backbone, train only the head (fast)",
        "train.strategy.full": "full: fine-tune every layer (slow on a CPU)",
        "train.strategy.last-n": "last-n: fine-tune only the backbone's last blocks and the head",
        "train.strategy.probe-then-full": "probe-then-full: the head first, then every layer (slowest)",
        "train.epochs": "Epochs",
        "train.epochs.info": (
            f"Empty or 0 = the measured recipe of each strategy (contract/recipes.py), else its own: "
            f"images {IMAGE_EPOCHS}; texts {TEXT_EPOCHS}; at most {{max}}."
        ),
        "train.learning_rate": "Learning rate",
        "train.learning_rate.info": (
            f"Empty or 0 = the recipe of each strategy, else its own: images {IMAGE_RATES}; texts {TEXT_RATES}."
        ),
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
        "train.baseline.info": (
            "A second, identical run without the pretrained weights: it shows what transfer buys."
        ),
        "train.runs.col.name": "checkpoint",
        "train.runs.col.base_model": "base model",
        "train.runs.col.strategy": "strategy",
        "train.runs.col.data": "data",
        "train.runs.col.train_s": "time (s)",
        "train.runs.col.validation": "validation accuracy",
        "train.runs.col.test": "test accuracy",
        "train.runs.col.honest": "honest accuracy",
        "train.share.checkpoint": "Checkpoint",
        "train.share.repo_id": "Hub repository (owner/name)",
        "train.share.token": "Your Hugging Face token, with write access (never stored)",
        "train.share.no_token": "Type your Hugging Face token (with write access): your work is pushed with "
                                "your token, never the server's.",
        "train.share.no_token_space": "Sign in with Hugging Face (or type your token): your work is pushed "
                                      "with your account, never the server's.",
        "train.share.login": "Sign in with Hugging Face",
        "train.share.logout": "Sign out ({})",
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
        "train.state.first_model": (
            "⚙️ The server {status} the first model of the “{tab}” tab: a run of yours will wait for it to finish."
        ),
        "train.state.running_short": "is training",
        "train.state.queued_short": "is about to train",
        "train.state.queued_eta": (
            "⏳ **{name}** is waiting in the queue: position {position} of {waiting}. Done in about {eta} "
            "(estimated from the last {runs} runs here, {workers} at a time)."
        ),
        "train.state.preparing": (
            "⚙️ **{name}**: preparing the data and the model (with head, computing the features once)…"
        ),
        "train.state.running": "🏃 **{name}**: {percent} · {eta} left",
        "train.state.folds": (
            "🔁 **{name}**: cross-validation, model {fold} of {folds} (each scored on data it did not see) · "
            "{eta} left"
        ),
        "train.progress.folds": "{percent} · cross-validation: model {fold} of {folds} · {eta} left",
        "train.result.honest": "**Honest accuracy**: {score}, on {examples} examples the scored model did not train on.",
        "train.state.done": (
            "✅ **{name}** trained in {time}. To try it, reload the page and pick it in the other tabs' “Model” "
            "picker (“Automatic” keeps using the server's model)."
        ),
        "train.state.finished": "**{name}**: {message}",
        "train.progress.text": "{percent} · epoch {epoch} of {epochs} · {eta} left",
        "train.result.table": (
            "| split | accuracy | macro F1 | loss | examples |\n| --- | --- | --- | --- | --- |"
        ),
        "train.result.time": "**Time**: {train} training (the whole job: {total}).",
        "train.result.skipped": "Unreadable files or rows skipped: {skipped}.",
        "train.job.done": "done.",
        "train.job.cancelled": (
            "cancelled. No new checkpoint was written; {kept} intermediate checkpoints are kept for Resume."
        ),
        "train.job.timeout": (
            "stopped past the {minutes} min limit (STUDIO_TRAIN_MAX_MINUTES); {kept} intermediate "
            "checkpoints are kept for Resume."
        ),
        "train.job.cli_error": "training stopped: {error}",
        "train.job.crashed": "the training process ended badly (out of memory?): {error}",
        "train.job.interrupted": (
            "interrupted: the server restarted during training. Press Resume to continue from the last "
            "checkpoint."
        ),
        "train.job.worker_lost": (
            "interrupted: the training process was stopped from outside (by the system, e.g. out of memory, or "
            "by the operator). Press Resume to continue from the last checkpoint."
        ),
        "train.zip.not_zip": "The file is not a valid zip ({error}).",
        "train.zip.too_many_files": (
            "The zip holds {count} files; at most {max} are allowed (STUDIO_TRAIN_MAX_FILES)."
        ),
        "train.zip.unsafe_path": (
            "The zip holds a dangerous path (“{name}”: absolute or with ../): nothing is extracted."
        ),
        "train.zip.symlink": "The zip holds a symbolic link (“{name}”): nothing is extracted.",
        "train.zip.too_big": (
            "The zip is {size_mb} MB once extracted; at most {max_mb} MB are allowed "
            "(STUDIO_TRAIN_MAX_UNZIPPED_MB)."
        ),
        "train.zip.bomb": (
            "The zip inflates to {ratio} times its size (at most {max}): it looks like a zip bomb and is "
            "not extracted."
        ),
        "train.zip.no_images": "The zip holds no images ({left_out} files of other kinds).",
        "train.zip.left_out": "{count} files are not images and were left out: {names}",
        "train.data.disk_full": "The server's disk is full: nothing was saved.",
        "train.data.write_failed": "Could not save the data on the server ({error}).",
        "train.data.empty": "There are no usable training examples.",
        "train.upload.format": (
            "“{name}” is neither a zip of photos nor a table of texts: upload a .zip, or a .csv, .tsv or .jsonl."
        ),
        "train.data.no_class_folders": (
            "The photos must be in one folder per class (e.g. healthy/ and rust/, two at least): sort them so, "
            "zip the folder again and upload it."
        ),
        "train.data.one_class": (
            "There is one class only ({label}) and a classifier needs two at least: add another folder of photos "
            "or rows of another label and upload the data again."
        ),
        "train.data.class_missing": "The {split} split has no examples of: {labels}.",
        "train.data.unknown_labels": "Some classes are not in train: {labels}.",
        "train.data.too_few": (
            "Class {label} has {count} example: at least 2 are needed to set some aside for validation."
        ),
        "train.data.carved": (
            "There was no validation split: {percent} % of each training class (seed {seed}) was set aside "
            "for validation."
        ),
        "train.data.empty_class": "The folder of class {label} ({split}) is empty: left out.",
        "train.data.no_train": "There is no train/ folder (found: {found}).",
        "train.data.skipped_not_image": "{count} files are not images and are skipped: {names}",
        "train.data.skipped_too_large": (
            "{count} images exceed the pixel limit (STUDIO_MAX_IMAGE_PIXELS) and are skipped: {names}"
        ),
        "train.data.skipped_corrupt": "{count} images are damaged and are skipped: {names}",
        "train.data.unknown_folder": "This server offers no folder “{name}”.",
        "train.data.no_upload": "Upload a file first (a zip of images or a CSV/TSV/JSONL of texts).",
        "train.text.format": "Unsupported text format ({suffix}): use .csv, .tsv or .jsonl.",
        "train.text.encoding": "The file is not UTF-8: save it as UTF-8 and upload it again.",
        "train.text.windows_1252": (
            "The file was not UTF-8: it was read as Windows-1252 (Excel's \"CSV\"). Check that accented letters "
            "look right in the samples; if not, save it as \"CSV UTF-8\"."
        ),
        "train.text.unreadable": "Could not read the file: {error}",
        "train.text.empty": "The file has no rows (is the header row missing?).",
        "train.text.no_column": "The file has no column {columns} (columns: {found}). Pick others.",
        "train.text.skipped_rows": "{count} rows without a text or a label are skipped.",
        "train.text.no_label_column": (
            "The file needs a column with each text's label besides the text's (columns: {found}): add it, "
            "or pick another as the label column, and explore it again."
        ),
        "train.hub.bad_id": "“{ref}” is not a Hub dataset id (owner/name).",
        "train.hub.offline": "The Hub is not reachable: use a zip, a text file or a server folder.",
        "train.hub.unreadable": "Could not read the Hub dataset {ref}: {error}",
        "train.error.no_data": "Explore some data first (step 1).",
        "train.error.data_problems": (
            "The explored data has problems that prevent training: fix them and explore again."
        ),
        "train.error.no_base_model": "Pick a base model.",
        "train.error.bad_name": "“{name}” is not a usable name: use letters, digits, _ . - (no spaces).",
        "train.error.name_busy": "A run of “{name}” is already running or queued: pick another name.",
        "train.error.name_taken": (
            "A checkpoint “{name}” exists: tick “Overwrite” or use another name, e.g. “{suggestion}”."
        ),
        "train.error.strategy": "Unknown strategy: {strategy}.",
        "train.error.epochs": (
            "Epochs out of range: {epochs} (between 0 and {max}, STUDIO_TRAIN_MAX_EPOCHS)."
        ),
        "train.error.learning_rate": "The learning rate must be between 0 and 1 (it is {value}).",
        "train.error.not_resumable": "This run cannot be resumed (it is not interrupted nor cancelled).",
        "review.kfold": "Cross-validation (k-fold)",
        "review.kfold.info": "5 more models, each scoring what it did not see: an honest accuracy and suspect labels.",
        "review.title": "5. Review the data (suspect labels, mistakes, confusion matrix)",
        "review.intro": (
            "With **cross-validation** (k-fold) each example is scored by a model that never saw it; "
            "[cleanlab](https://github.com/cleanlab/cleanlab) flags the labels that are probably wrong. "
            "Review each: **keep**, **relabel** or **exclude**, and train again."
        ),
        "review.run": "Run",
        "review.load": "Review",
        "review.none": "This run has no suspect labels computed: train with “Cross-validation”.",
        "review.found": "**{count}** suspect labels among {examples} examples (most doubtful first).",
        "review.gallery": "Suspect labels",
        "review.caption": "{index}. given: {given} → suggested: {suggested} ({score})",
        "review.table": "Decisions",
        "review.col.index": "#",
        "review.col.example": "example",
        "review.col.given": "given label",
        "review.col.suggested": "suggested",
        "review.col.score": "confidence in given",
        "review.col.decision": "decision",
        "review.decision.keep": "keep",
        "review.decision.relabel": "relabel",
        "review.decision.exclude": "exclude",
        "review.decide.items": "Examples (#, comma separated)",
        "review.decide.action": "Decision",
        "review.decide.apply": "Apply",
        "review.retrain": "Retrain without the excluded / with the relabelled",
        "review.retrain.name": "Name of the new run",
        "review.retrained": "Retraining queued: “{name}” ({excluded} excluded, {relabelled} relabelled).",
        "review.cell.true": "True label",
        "review.cell.predicted": "Predicted",
        "review.cell.show": "Show the examples of this cell",
        "review.cell.found": "{count} validation examples labelled “{true}” predicted as “{predicted}”.",
        "review.cell.gallery": "Examples of the cell",
        "review.losses": "Top losses on validation",
        "review.error.no_run": "Pick one of your runs.",
        "review.error.no_data": "This run's data is no longer on the server: it cannot be retrained.",
        "review.error.nothing": "No decisions to apply: exclude or relabel some example.",
        "review.error.items": "Not valid example numbers: {items}.",
        "review.error.decision": "Pick what to do with those examples: keep, relabel or exclude.",
        "review.api.load": "Suspect labels and top losses of one of your runs.",
        "review.api.decide": "Marks examples as keep, relabel or exclude.",
        "review.api.cell": "The examples behind one cell of the confusion matrix.",
        "review.api.retrain": "Retrains without the excluded and with the relabelled, as a new run.",
    },
}
