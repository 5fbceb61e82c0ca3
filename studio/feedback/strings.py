"""Strings of "this answer is wrong" (studio/feedback/), Spanish first; studio.i18n.t reads them."""

STRINGS: dict[str, dict[str, str]] = {
    "es": {
        "feedback.title": "¿Respuesta equivocada? Corrígela y guárdala en tus datos",
        "feedback.info": (
            "Elige la etiqueta correcta: la entrada se guarda con ella en **tu propio** conjunto de datos "
            "(`{name}`, solo tú lo ves), que la pestaña Entrenar ofrece como origen de datos."
        ),
        "feedback.label": "La etiqueta correcta es…",
        "feedback.save": "Guardar en mis datos",
        "feedback.source": "Mis correcciones: {name}",
        "feedback.saved": "✅ Guardado en `{name}` como «{label}» ({count} de {max} ejemplos).",
        "feedback.error.label": "Elige la etiqueta correcta entre las del modelo: {labels}.",
        "feedback.error.full": "Tu conjunto de correcciones está lleno ({max} ejemplos): entrénalo o bórralo antes.",
        "feedback.error.crowd_full": (
            "El espacio para correcciones de todos los visitantes está lleno: vuelve a intentarlo más tarde."
        ),
        "feedback.error.no_input": "No hay nada que guardar: primero sube una entrada y pide la respuesta.",
        "feedback.api.save": "Guarda la entrada con su etiqueta correcta en los datos propios del visitante.",
        "feedback.api.labels": "Etiquetas del modelo elegido, para la corrección.",
    },
    "en": {
        "feedback.title": "Wrong answer? Correct it and save it in your data",
        "feedback.info": (
            "Pick the right label: the input is saved with it in **your own** data set (`{name}`, only you "
            "see it), which the Train tab offers as a data source."
        ),
        "feedback.label": "The right label is…",
        "feedback.save": "Save in my data",
        "feedback.source": "My corrections: {name}",
        "feedback.saved": "✅ Saved in `{name}` as “{label}” ({count} of {max} examples).",
        "feedback.error.label": "Pick the right label among the model's: {labels}.",
        "feedback.error.full": "Your corrections data set is full ({max} examples): train on it or delete it first.",
        "feedback.error.crowd_full": "The space for all visitors' corrections is full: try again later.",
        "feedback.error.no_input": "Nothing to save: upload an input and ask for the answer first.",
        "feedback.api.save": "Saves the input with its right label into the visitor's own data.",
        "feedback.api.labels": "The picked model's labels, for the correction.",
    },
}
