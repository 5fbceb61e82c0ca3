"""Strings about which model answers: the picker, its sources and splits, load and refusal errors.

Spanish (the course's language, the default) and English; studio.i18n.t reads them. Both
languages have the same keys (tests/studio/test_app.py checks it).
"""

STRINGS: dict[str, dict[str, str]] = {
    "es": {
        "budget.busy": "Hay muchas peticiones de este tipo ahora mismo: vuelve a intentarlo en unos {seconds} s.",
        "budget.body": "La petición pesa {size} y este servidor acepta como mucho {limit} en esta ruta.",
        "budget.upload_quota": (
            "Has subido {used} en la última hora y el límite por cliente es {limit}: espera un poco para subir más."
        ),
        "budget.uploads_busy": "Ya se están subiendo varios archivos: vuelve a intentarlo en unos segundos.",
        "budget.url.too_large": "El archivo de esa dirección pesa más de {limit}, el máximo que acepta este servidor.",
        "budget.url.slow": "El archivo de esa dirección no terminó de llegar en {seconds} s: súbelo directamente.",
        "budget.url.failed": "No se pudo descargar el archivo de esa dirección ({status}).",
        "model.error.config": "El modelo configurado en {variable} no es válido: {error}",
        "model.error.load": "No se pudo cargar el modelo {name}: {error}",
        "model.error.predict": "El modelo {name} no pudo responder a esta entrada: {error}",
        "model.answered_label": "Qué modelo responde",
        "model.picker": "Modelo",
        "model.took": "{ms} ms",
        "model.picker.auto": "Automático (el mejor disponible)",
        "model.picker.info": "Los checkpoints de models/ para esta tarea, el mejor primero.",
        "model.source.picked": "elegido por ti",
        "model.error.unknown_pick": (
            "No hay ningún modelo «{name}» para esta pestaña: elige uno de la lista."
        ),
        "model.none": "No hay ningún modelo disponible.",
        "model.answered": "Respondió **{name}** ({source})",
        "model.source.env": "elegido por variable de entorno",
        "model.source.local": "checkpoint local",
        "model.source.hub": "modelo público del Hub",
        "model.accuracy": "exactitud en {split}: {accuracy}",
        "model.split.validation": "validación",
        "model.split.test": "test",
        "model.ref.empty": "Indica un modelo: un id del Hub (`usuario/modelo`) o un checkpoint de models/.",
        "model.ref.bad": "«{ref}» no es un id del Hub (`usuario/modelo`) ni un checkpoint de models/.",
        "model.ref.url": "«{ref}» es una URL: indica el id del Hub (`usuario/modelo`), no la dirección.",
        "model.ref.outside": "«{ref}» está fuera de la carpeta models/: solo se cargan checkpoints de ahí.",
        "model.ref.not_checkpoint": (
            "«{ref}» no es un checkpoint (le falta config.json o model.safetensors)."
        ),
        "model.refuse.offline": (
            "Sin conexión al Hub (HF_HUB_OFFLINE): no se puede descargar {model}. Los checkpoints locales "
            "de models/ siguen funcionando."
        ),
        "model.refuse.unreachable": (
            "No se pudo contactar con el Hub para consultar {model} ({reason}). Los checkpoints locales de "
            "models/ siguen funcionando."
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
            "{model} tiene {params} M de parámetros, más que el límite ({limit} M, "
            "STUDIO_MAX_MODEL_PARAMS_M)."
        ),
    },
    "en": {
        "budget.busy": "Many requests of this kind right now: try again in about {seconds} s.",
        "budget.body": "The request is {size} and this server accepts at most {limit} on this route.",
        "budget.upload_quota": (
            "You uploaded {used} in the last hour and the limit per client is {limit}: wait a while to upload more."
        ),
        "budget.uploads_busy": "Several files are being uploaded already: try again in a few seconds.",
        "budget.url.too_large": "The file at that address is larger than {limit}, the most this server accepts.",
        "budget.url.slow": "The file at that address did not arrive within {seconds} s: upload it directly.",
        "budget.url.failed": "The file at that address could not be downloaded ({status}).",
        "model.error.config": "The model configured in {variable} is not valid: {error}",
        "model.error.load": "Could not load the model {name}: {error}",
        "model.error.predict": "The model {name} could not answer this input: {error}",
        "model.answered_label": "Which model answers",
        "model.picker": "Model",
        "model.took": "{ms} ms",
        "model.picker.auto": "Automatic (the best available)",
        "model.picker.info": "The checkpoints in models/ for this task, best first.",
        "model.source.picked": "chosen by you",
        "model.error.unknown_pick": "There is no model “{name}” for this tab: pick one from the list.",
        "model.none": "No model is available.",
        "model.answered": "Answered by **{name}** ({source})",
        "model.source.env": "chosen by environment variable",
        "model.source.local": "local checkpoint",
        "model.source.hub": "public Hub model",
        "model.accuracy": "{split} accuracy: {accuracy}",
        "model.split.validation": "validation",
        "model.split.test": "test",
        "model.ref.empty": "Name a model: a Hub id (`owner/name`) or a checkpoint in models/.",
        "model.ref.bad": "“{ref}” is neither a Hub id (`owner/name`) nor a checkpoint in models/.",
        "model.ref.url": "“{ref}” is a URL: give the Hub id (`owner/name`), not the address.",
        "model.ref.outside": "“{ref}” is outside the models/ folder: only checkpoints there are loaded.",
        "model.ref.not_checkpoint": (
            "“{ref}” is not a checkpoint (config.json or model.safetensors is missing)."
        ),
        "model.refuse.offline": (
            "No connection to the Hub (HF_HUB_OFFLINE): {model} cannot be downloaded. Local checkpoints in "
            "models/ still work."
        ),
        "model.refuse.unreachable": (
            "Could not reach the Hub to look {model} up ({reason}). Local checkpoints in models/ still "
            "work."
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
