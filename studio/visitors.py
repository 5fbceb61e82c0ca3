"""Who is asking: the owner id of a request, kept across page reloads (see contract/visitors.py for what
an owner has and where it lives).

First that applies: the app's own login (`launch(auth=...)`: request.username), a Hugging Face login on
a Space (OAuth), the browser's owner key, the request's session. The owner key is a random secret that
the browser keeps in its localStorage (gr.BrowserState); on each page load the `studio_visitor` event
tells the server "this session is the visitor with that key", and every handler then asks
`owner_of(request)`. An API client is a visitor of its own session, or calls `/studio_visitor` with a
key it kept (what a reload does). Only hashes of keys and names reach the disk.

A key is made by the server and signed with its secret (`new_key`): a key the server did not make ('-'*20,
a guess, a name) is replaced by a fresh one, so two strangers never share an owner by picking the same
string. The Hugging Face login counts only on a real Space with its OAuth app (`space_login`): elsewhere
Gradio's LoginButton "logs in" every visitor as the server token's user.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.context import Context
from gradio.utils import get_space

from contract.visitors import OPERATOR, VISITORS_FOLDER, owner_id
from studio import config

STORAGE_KEY = "studio-visitor"
# The server's own secret: it signs visitors' keys and is never sent to a browser (a new file: the older
# .browser-state-secret was the BrowserState secret, which Gradio sends to every page).
SECRET_FILE = ".server-secret"
KEY_HALF = 32  # a key: 32 random hex digits, then the first 32 of their HMAC under the server's secret
OAUTH_VARIABLES = ("OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET", "OAUTH_SCOPES", "OPENID_PROVIDER_URL")
MAX_SESSIONS = 50_000  # sessions remembered (least recent forgotten: that page's next load tells us again)
SESSIONS: OrderedDict[str, str] = OrderedDict()
SESSIONS_LOCK = threading.Lock()


def key_signature(nonce: str) -> str:
    return hmac.new(server_secret(), f"visitor-key:{nonce}".encode(), hashlib.sha256).hexdigest()[:KEY_HALF]


def new_key() -> str:
    """A visitor's key, made by this server: 128 random bits and their signature."""
    nonce = secrets.token_hex(KEY_HALF // 2)
    return nonce + key_signature(nonce)


def valid_key(key: object) -> bool:
    """A key this server made (any other string, however long, is no key)."""
    if not isinstance(key, str) or len(key) != 2 * KEY_HALF or not all(c in "0123456789abcdef" for c in key):
        return False
    return hmac.compare_digest(key[KEY_HALF:], key_signature(key[:KEY_HALF]))


def remember(key: object, request: gr.Request) -> str:
    """Page load: the browser's owner key (made now on a first visit, or when it is not one of ours) names
    this session's visitor."""
    if not valid_key(key):
        key = new_key()
    session = getattr(request, "session_hash", None)
    if session:
        with SESSIONS_LOCK:
            SESSIONS[session] = owner_id("v", key)
            SESSIONS.move_to_end(session)
            while len(SESSIONS) > MAX_SESSIONS:
                SESSIONS.popitem(last=False)
    return key


def space_login() -> bool:
    """Visitors can sign in with Hugging Face: on a Space (as Gradio tells one: SYSTEM=spaces and SPACE_ID)
    with its OAuth app. Anywhere else Gradio mocks the login with the server's own token, making every
    visitor the operator, so there is no sign-in at all (SPACE_ID alone is not a Space)."""
    return get_space() is not None and all(os.environ.get(name) for name in OAUTH_VARIABLES)


def hub_login(request: gr.Request) -> str | None:
    """The Hugging Face user name of a visitor signed in on a Space (gr.LoginButton), else None."""
    if not space_login():
        return None
    try:
        info = request.request.session.get("oauth_info") or {}
    except (AttributeError, AssertionError):  # no session middleware: not a Space with OAuth
        return None
    name = (info.get("userinfo") or {}).get("preferred_username")
    return name if isinstance(name, str) and name else None


def signed_in(request: gr.Request) -> str | None:
    """The owner id of a login: the app's own (`launch(auth=...)`), else Hugging Face's on a Space; None."""
    if getattr(request, "username", None):
        return owner_id("u", request.username)
    login = hub_login(request)
    return owner_id("hf", login) if login else None


def owner_of(request: gr.Request | None) -> str:
    """The owner id of the visitor making `request`; None (a direct call: the CLI, a test) is the operator."""
    if request is None:
        return OPERATOR
    login = signed_in(request)
    if login:
        return login
    session = getattr(request, "session_hash", None) or secrets.token_hex(16)
    with SESSIONS_LOCK:
        known = SESSIONS.get(session)
    return known or owner_id("s", session)


def source_address(peer: str | None, forwarded_for: str | None, hops: int) -> str:
    """The client's network: `hops` entries from the right of X-Forwarded-For (each trusted proxy appends
    the address it saw; entries to their left are whatever the client wrote, so never those), else the
    connection's own address. An IPv6 client is its /64 (one home or phone gets a whole /64)."""
    entries = [entry.strip() for entry in (forwarded_for or "").split(",") if entry.strip()]
    address = entries[-hops] if hops and len(entries) >= hops else (peer or "")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if parsed.version == 6 and parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def source_of(request: gr.Request | None) -> str:
    """Who is behind a request, for the per-source cap of the training queue: a login (the app's own, a
    Hugging Face account: one person, and accounts take effort to make), else the client's network address
    (as STUDIO_TRUSTED_PROXIES says to read it). Sessions and browser keys cost nothing to make, so they
    are never a source. Hashed like owners: no address reaches the disk."""
    if request is None:
        return OPERATOR
    login = signed_in(request)
    if login:
        return login
    headers = getattr(request, "headers", None) or {}
    peer = getattr(getattr(request, "client", None), "host", None)
    address = source_address(peer, headers.get("x-forwarded-for"), config.trusted_proxies())
    return "ip-" + hashlib.sha256(f"ip:{address}".encode()).hexdigest()[:20]  # a source, never an owner


def server_secret() -> bytes:
    """STUDIO_SECRET, else a random secret kept beside the visitors' folders: the same across restarts (else
    every visitor would become a stranger to their own runs after one). Never sent to a browser."""
    if os.environ.get("STUDIO_SECRET"):
        return os.environ["STUDIO_SECRET"].encode()
    path = Path(config.models_dir()) / VISITORS_FOLDER / SECRET_FILE
    for _attempt in range(3):
        try:
            secret = path.read_text().strip()
            if secret:
                return secret.encode()
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first: read theirs
                continue
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip().encode()


def browser_secret() -> str:
    """The key that encrypts the owner key in localStorage. Gradio sends it to the page, so it is derived
    from the server's secret, never the secret itself."""
    return hmac.new(server_secret(), b"browser-state", hashlib.sha256).hexdigest()


def install(demo: gr.Blocks) -> None:
    """The owner key in the browser and its page-load event; call once, before the tabs are built."""
    key = gr.BrowserState(None, storage_key=STORAGE_KEY, secret=browser_secret())
    demo.studio_visit = demo.load(remember, key, key, api_name="studio_visitor", show_progress="hidden",
                                  api_description="Remember this browser's visitor key (made on the first visit).")


def after_visit(fn: Callable, inputs: Any, outputs: Any, **kwargs: Any):
    """A page-load handler that needs `owner_of(request)`: chained after the visitor event (page-load events
    run in parallel, so a plain demo.load could ask before the server knows whose page it is)."""
    visit = getattr(Context.root_block, "studio_visit", None)
    if visit is None:
        return Context.root_block.load(fn, inputs, outputs, **kwargs)
    return visit.then(fn, inputs, outputs, **kwargs)


# Messages of a shared studio: visitors' limits and what is refused to protect the others.
STRINGS: dict[str, dict[str, str]] = {
    "es": {
        "share.too_many_jobs": (
            "Ya tienes {max} entrenamientos en marcha o en cola: espera a que termine uno (o cancélalo) "
            "antes de lanzar otro."
        ),
        "share.queue_full": (
            "La cola de entrenamiento está llena ({max} en espera, de todos los visitantes): vuelve a "
            "intentarlo en unos minutos."
        ),
        "share.source_full": (
            "Desde tu conexión ya hay {max} entrenamientos en marcha o en cola (todas tus pestañas y sesiones "
            "juntas): espera a que termine uno. En una clase tras una misma red, inicia sesión o pide al "
            "operador que suba STUDIO_TRAIN_MAX_PER_SOURCE."
        ),
        "share.memory": (
            "el entrenamiento necesitó más memoria de la permitida ({mb} MB): prueba con menos imágenes o "
            "más pequeñas, o pide al operador que suba STUDIO_TRAIN_MEMORY_MB."
        ),
        "share.disk_quota": (
            "Tus datos y modelos ocupan {used_mb} MB y esto añadiría {adds_mb} MB (tu máximo es {max_mb} MB): "
            "borra algún borrador o espera a que caduquen."
        ),
        "share.disk_total": (
            "El espacio para los visitantes está lleno: vuelve a intentarlo más tarde (el operador puede "
            "subir STUDIO_VISITORS_DISK_MB)."
        ),
        "share.zip_too_deep": (
            "El zip tiene carpetas anidadas {depth} niveles («{name}»; máximo {max}): usa una carpeta por clase."
        ),
        "share.zip_too_many_folders": (
            "El zip tiene {count} carpetas (máximo {max}): usa una carpeta por clase (y por partición)."
        ),
        "share.too_many_classes": (
            "Los datos tienen {count} clases (máximo {max} en esta pestaña): junta o quita clases, o entrena "
            "con la línea de comandos."
        ),
        "share.zip_encrypted": "«{name}» está cifrado con contraseña en el zip: crea el zip sin contraseña.",
        "share.zip_method": (
            "«{name}» usa una compresión que no se puede leer aquí ({method}): crea el zip con la compresión "
            "normal (Deflate)."
        ),
        "share.no_job": "No hay ningún entrenamiento tuyo con ese identificador.",
        "share.killed": (
            "el proceso de entrenamiento fue detenido desde fuera ({signal}: por el sistema, p. ej. por falta de "
            "memoria, o por el operador). Lo que guardó se conserva."
        ),
        "model.picker.yours": "{name} (tuyo){accuracy}",
        "app.image.scans": (
            "Esta imagen JPEG está dividida en {scans} pasadas (máximo {max}): decodificarla costaría "
            "demasiado. Guárdala de nuevo como JPEG normal o PNG."
        ),
    },
    "en": {
        "share.too_many_jobs": (
            "You already have {max} training runs running or queued: wait for one to finish (or cancel it) "
            "before starting another."
        ),
        "share.queue_full": (
            "The training queue is full ({max} waiting, all visitors together): try again in a few minutes."
        ),
        "share.source_full": (
            "Your connection already has {max} training runs running or queued (all your tabs and sessions "
            "together): wait for one to finish. A class behind one network: sign in, or ask the operator to "
            "raise STUDIO_TRAIN_MAX_PER_SOURCE."
        ),
        "share.memory": (
            "training needed more memory than allowed ({mb} MB): try fewer or smaller images, or ask the "
            "operator to raise STUDIO_TRAIN_MEMORY_MB."
        ),
        "share.disk_quota": (
            "Your data and models use {used_mb} MB and this would add {adds_mb} MB (your limit is {max_mb} MB): "
            "delete a draft or wait for them to expire."
        ),
        "share.disk_total": (
            "The space for visitors is full: try again later (the operator can raise STUDIO_VISITORS_DISK_MB)."
        ),
        "share.zip_too_deep": (
            "The zip nests folders {depth} levels deep (“{name}”; at most {max}): use one folder per class."
        ),
        "share.zip_too_many_folders": (
            "The zip has {count} folders (at most {max}): use one folder per class (and per split)."
        ),
        "share.too_many_classes": (
            "The data has {count} classes (at most {max} in this tab): merge or drop classes, or train with "
            "the command line."
        ),
        "share.zip_encrypted": "“{name}” is password-protected in the zip: make the zip without a password.",
        "share.zip_method": (
            "“{name}” uses a compression that cannot be read here ({method}): make the zip with the usual "
            "compression (Deflate)."
        ),
        "share.no_job": "There is no training run of yours with that id.",
        "share.killed": (
            "the training process was stopped from outside ({signal}: by the system, e.g. out of memory, or by "
            "the operator). What it saved is kept."
        ),
        "model.picker.yours": "{name} (yours){accuracy}",
        "app.image.scans": (
            "This JPEG is split into {scans} scans (at most {max}): decoding it would cost too much. Save it "
            "again as a normal JPEG or a PNG."
        ),
    },
}
