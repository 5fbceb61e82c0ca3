"""The page's own strings (title, introduction) and those of an uploaded image, which every tab shares.

Spanish (the course's language, the default) and English; studio.i18n.t reads them. Both
languages have the same keys (tests/studio/test_app.py checks it).
"""

STRINGS: dict[str, dict[str, str]] = {
    "es": {
        "app.title": "Transfer Learning Studio",
        "app.intro": (
            "**Transfer learning** es reutilizar lo que un modelo ya aprendió con millones de ejemplos para "
            "una tarea nueva con pocos datos: en vez de entrenar desde cero, se ajusta un modelo "
            "preentrenado. Con las mismas 1.034 fotos de hojas de frijol, un MobileNetV2 preentrenado en "
            "ImageNet acierta en torno al 95 % de hojas que no vio; la misma red con pesos aleatorios, en "
            "torno al 34 % (el azar, con 3 clases, da 33 %). Empieza por **Hojas de frijol**: sube una foto "
            "o pulsa un ejemplo. Luego prueba el sentimiento de un texto o cualquier modelo sin código."
        ),
        "app.image.too_small": (
            "La imagen es demasiado pequeña ({size} px) para reconocer nada: usa una foto de al menos {min} "
            "px de lado."
        ),
        "app.image.empty": "Primero sube una imagen (o usa la webcam, el portapapeles o un ejemplo).",
        "app.upload.too_large": (
            "El archivo pesa {size} y este servidor acepta como mucho {limit}. Quien administra el servidor "
            "puede subir ese límite ({variable})."
        ),
        "app.image.not_image": "El archivo no es una imagen que se pueda abrir (usa JPEG, PNG, WebP...).",
        "app.image.corrupt": "La imagen está dañada o incompleta y no se puede leer ({error}).",
        "app.image.too_large": "La imagen es demasiado grande: {size} píxeles (máximo {max_pixels}).",
        "app.image.mode": "No se puede convertir una imagen en modo {mode} a RGB.",
        "app.image.aspect": (
            "La imagen es demasiado alargada ({size}): un lado puede medir como mucho {max_ratio} veces el "
            "otro."
        ),
    },
    "en": {
        "app.title": "Transfer Learning Studio",
        "app.intro": (
            "**Transfer learning** reuses what a model learned from millions of examples for a new task "
            "with little data: instead of training from scratch, a pretrained model is adjusted. With the "
            "same 1,034 bean-leaf photos, a MobileNetV2 pretrained on ImageNet gets about 95% of unseen "
            "leaves right; the same network with random weights about 34% (chance, with 3 classes, is 33%). "
            "Start with **Bean leaves**: upload a photo or click an example. Then try the sentiment of a "
            "text, or any model with no code."
        ),
        "app.image.too_small": (
            "The image is too small ({size} px) to recognise anything: use a photo at least {min} px wide "
            "and high."
        ),
        "app.upload.too_large": (
            "The file is {size} and this server accepts at most {limit}. Whoever runs the server can raise "
            "that limit ({variable})."
        ),
        "app.image.empty": "Upload an image first (or use the webcam, the clipboard or an example).",
        "app.image.not_image": "The file is not an image that can be opened (use JPEG, PNG, WebP...).",
        "app.image.corrupt": "The image is damaged or incomplete and cannot be read ({error}).",
        "app.image.too_large": "The image is too large: {size} pixels (at most {max_pixels}).",
        "app.image.mode": "An image in mode {mode} cannot be converted to RGB.",
        "app.image.aspect": (
            "The image is too elongated ({size}): one side may be at most {max_ratio} times the other."
        ),
    },
}
