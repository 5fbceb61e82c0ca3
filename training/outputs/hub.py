"""`python -m training push` (a checkpoint -> a model repo) and `deploy-space` (this app -> a Gradio Space).

Each is one commit made with huggingface_hub (create_repo + create_commit). Everything is checked
before anything is sent: the repo id's shape, the token, the folder, the weights (safetensors only).
The token comes from HF_TOKEN or the saved login (huggingface_hub.get_token) and is never printed:
messages show the Hub's error text with anything token-shaped redacted (a server may echo the request),
and files that contain it are refused.
"""

from __future__ import annotations

import fnmatch
import os
import tempfile
from pathlib import Path

from contract.checkpoint import (
    CARD_FILE,
    CONFIG_FILE,
    CONFUSION_MATRIX_FILE,
    METRICS_FILE,
    ONNX_FILE,
    is_checkpoint,
    load_metrics,
)
from contract.errors import redact_tokens
from contract.hub_ids import is_hub_id
from contract.onnx_graph import INT8_ONNX_FILE
from contract.paths import REPO_ROOT
from training.errors import UserError
from training.outputs.card import build_model_card, hub_ref
from training.outputs.web import OFFLINE_FOLDER, page_operations, runtime_operations

# What a checkpoint upload may contain: weights (safetensors only, and their checked ONNX graph), config,
# processor/tokenizer, results.
CHECKPOINT_PATTERNS = (
    "config.json", "generation_config.json", "model.safetensors", "model-*-of-*.safetensors", ONNX_FILE,
    INT8_ONNX_FILE,
    "model.safetensors.index.json", "preprocessor_config.json", "processor_config.json",
    "image_processor_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
    "added_tokens.json", "vocab.txt", "vocab.json", "merges.txt", "*.model", "chat_template.*",
    METRICS_FILE, CONFUSION_MATRIX_FILE,
)
# The app as a Space: code, requirements and the README whose front matter configures the Space.
SPACE_FILES = ("app.py", "requirements.txt", "README.md")
SPACE_PACKAGES = ("studio", "contract")
# A visitor signs in with Hugging Face to share a model they trained (gr.LoginButton): their token may create
# a repo in their namespace (manage-repos) and upload to it (write-repos), nothing else
SPACE_OAUTH_SCOPES = ("write-repos", "manage-repos")
SPACE_VARIABLES = {"beans_model": "STUDIO_BEANS_MODEL", "sentiment_model": "STUDIO_SENTIMENT_MODEL",
                   "lang": "STUDIO_LANG"}


def check_repo_id(repo_id: str | None, flag: str = "--repo-id") -> str:
    """`owner/name` as the Hub spells it; anything else is a UserError."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    repo_id = (repo_id or "").strip()
    try:
        validate_repo_id(repo_id)
    except HFValidationError:
        repo_id = ""
    if not is_hub_id(repo_id, need_owner=True):
        raise UserError(f"{flag} must look like 'owner/name' (letters, digits, - _ .), got {repo_id or 'nothing'!r}")
    return repo_id


def resolve_token(token: str | None = None) -> str:
    """The token to write with: the one given, else HF_TOKEN, else the saved `hf auth login`."""
    from huggingface_hub import constants, get_token

    if constants.is_offline_mode():
        raise UserError("HF_HUB_OFFLINE is set: unset it (HF_HUB_OFFLINE=0) to upload to the Hub")
    token = token or get_token()
    if not token:
        raise UserError("no Hugging Face token: set HF_TOKEN or run `hf auth login` (a token with write access)")
    return token


def require_push_ready(repo_id: str, token: str | None = None) -> str:
    """Check a `--push-to-hub` run before training, so a long run does not fail at the very end."""
    check_repo_id(repo_id, "--hub-repo-id")
    return resolve_token(token)


def checkpoint_files(checkpoint_dir: Path) -> list[Path]:
    """The files of `checkpoint_dir` that are uploaded, after checking it is a safetensors checkpoint."""
    folder = Path(checkpoint_dir)
    if not folder.is_dir():
        raise UserError(f"checkpoint folder not found: {folder}")
    if not (folder / CONFIG_FILE).is_file():
        raise UserError(f"{folder} is not a checkpoint: no {CONFIG_FILE} (train one with `python -m training`)")
    if not is_checkpoint(folder):
        raise UserError(f"{folder} has no model.safetensors: only safetensors weights are uploaded")
    if not (folder / METRICS_FILE).is_file():
        raise UserError(f"{folder} has no {METRICS_FILE}: the model card is built from it")
    return sorted(path for path in folder.iterdir()
                  if path.is_file() and any(fnmatch.fnmatch(path.name, p) for p in CHECKPOINT_PATTERNS))


def refuse_token_in_files(operations: list, token: str) -> None:
    """Never publish a file that contains the token (a config or metrics.json that captured it)."""
    needle = token.encode()
    for operation in operations:
        data = operation.path_or_fileobj
        content = data if isinstance(data, bytes) else Path(data).read_bytes()
        if needle in content:
            raise UserError(f"{operation.path_in_repo} contains your Hub token: remove it before uploading")


def hub_call(action: str, function, *args, **kwargs):
    """Run one huggingface_hub call; network/HTTP failures become one readable line (no token in it)."""
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError

    try:
        return function(*args, **kwargs)
    except HfHubHTTPError as error:
        status = error.response.status_code if error.response is not None else "?"
        hint = {401: "check HF_TOKEN or log in again", 403: "the token cannot write to this namespace",
                404: "repository not found"}.get(status, "")
        detail = redact_tokens((error.server_message or str(error)).strip().splitlines()[0])[:200]
        raise UserError(f"{action} failed: the Hub answered {status}: {detail}" + (f" ({hint})" if hint else "")) from None
    except httpx2.HTTPError as error:
        raise UserError(f"{action} failed: could not reach the Hub ({type(error).__name__})") from None
    except ValueError as error:  # the Hub refused the README's metadata (raised before any upload)
        raise UserError(f"{action} failed: {redact_tokens(' '.join(str(error).split()))[:300]}") from None


def hub_api(token: str):
    from huggingface_hub import HfApi

    # HF_ENDPOINT is read now (not at import) so a mirror or a test server can be chosen per call.
    return HfApi(endpoint=os.environ.get("HF_ENDPOINT") or None, token=token)


def push_checkpoint(checkpoint_dir: Path, repo_id: str, private: bool = False, token: str | None = None,
                    commit_message: str | None = None, license: str | None = None):
    """Upload a checkpoint (weights, config, processor/tokenizer, metrics, confusion matrix, card) in one commit.

    The card is rebuilt from metrics.json with `repo_id` in its usage snippet. Returns huggingface_hub's
    CommitInfo (`.commit_url`, `.oid`, `.repo_url`).
    """
    from huggingface_hub import CommitOperationAdd

    repo_id = check_repo_id(repo_id)
    checkpoint_dir = Path(checkpoint_dir)
    files = checkpoint_files(checkpoint_dir)
    try:
        metrics = load_metrics(checkpoint_dir)
    except ValueError:
        raise UserError(f"{checkpoint_dir / METRICS_FILE} is not valid JSON: re-run the training or fix it") from None
    token = resolve_token(token)
    with tempfile.TemporaryDirectory(prefix="push-page-") as scratch:
        page = page_operations(checkpoint_dir, Path(scratch))
        card = build_model_card(metrics, repo_id=repo_id, license=license,
                                has_confusion_png=(checkpoint_dir / CONFUSION_MATRIX_FILE).is_file(),
                                offline_page=OFFLINE_FOLDER if page else None)
        operations = [CommitOperationAdd(path_in_repo=path.name, path_or_fileobj=str(path)) for path in files]
        operations += [*page, CommitOperationAdd(path_in_repo=CARD_FILE, path_or_fileobj=str(card).encode("utf-8"))]
        refuse_token_in_files(operations, token)

        api = hub_api(token)
        hub_call("creating the repository", api.create_repo, repo_id, private=private or None, exist_ok=True)
        message = commit_message or f"Upload {metrics.get('name') or checkpoint_dir.name} from Transfer Learning Studio"
        return hub_call("uploading", api.create_commit, repo_id, operations=operations, commit_message=message)


def space_operations(root: Path, models: dict[str, str]) -> list:
    """The app's files for a Space; the README keeps the repo's Spaces front matter plus `models:`."""
    from huggingface_hub import CommitOperationAdd, SpaceCard

    paths = [root / name for name in SPACE_FILES if name != "README.md"]
    for package in SPACE_PACKAGES:
        paths += sorted(p for p in (root / package).rglob("*")
                        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    missing = [str(p.relative_to(root)) for p in paths if not p.is_file()]
    if missing or not (root / "README.md").is_file():
        raise UserError(f"not the app's folder ({root}): missing {', '.join(missing) or 'README.md'}")
    card = SpaceCard((root / "README.md").read_text(encoding="utf-8"))
    if card.data.get("sdk") != "gradio" or card.data.get("app_file", "app.py") != "app.py":
        raise UserError(f"{root}/README.md needs Spaces front matter with sdk: gradio and app_file: app.py")
    if models:
        card.data.models = sorted(set(models.values()))
    card.data.hf_oauth = True
    card.data.hf_oauth_scopes = list(SPACE_OAUTH_SCOPES)
    operations = [CommitOperationAdd(path_in_repo=p.relative_to(root).as_posix(), path_or_fileobj=str(p))
                  for p in paths]
    operations.append(CommitOperationAdd(path_in_repo="README.md", path_or_fileobj=str(card).encode("utf-8")))
    return operations


def deploy_space(repo_id: str, beans_model: str | None = None, sentiment_model: str | None = None,
                 private: bool = False, token: str | None = None, lang: str | None = None,
                 root: Path = REPO_ROOT, commit_message: str | None = None):
    """Create or update a Gradio Space with the app's code (one commit) and point its tabs at Hub models.

    The models are set as Space variables (STUDIO_BEANS_MODEL, STUDIO_SENTIMENT_MODEL: the env vars
    the app reads) and listed in the README's `models:` metadata. Returns the CommitInfo.
    """
    repo_id = check_repo_id(repo_id)
    chosen = {"beans_model": beans_model, "sentiment_model": sentiment_model}
    models = {key: check_model_id(value, f"--{key.replace('_', '-')}") for key, value in chosen.items() if value}
    if lang is not None and lang not in ("es", "en"):
        raise UserError(f"--lang must be es or en, got {lang!r}")
    operations = space_operations(Path(root), models) + runtime_operations(Path(root))
    token = resolve_token(token)
    refuse_token_in_files(operations, token)

    api = hub_api(token)
    hub_call("creating the Space", api.create_repo, repo_id, repo_type="space", space_sdk="gradio",
             private=private or None, exist_ok=True)
    info = hub_call("uploading the app", api.create_commit, repo_id, repo_type="space", operations=operations,
                    commit_message=commit_message or "Deploy Transfer Learning Studio")
    for key, value in {**models, **({"lang": lang} if lang else {})}.items():
        hub_call(f"setting {SPACE_VARIABLES[key]}", api.add_space_variable, repo_id, SPACE_VARIABLES[key], value,
                 description="Read by Transfer Learning Studio (studio/config.py)")
    return info


def check_model_id(ref: str, flag: str) -> str:
    """A Space cannot see this machine's folders: its tabs load models from the Hub by id."""
    if hub_ref(ref) is None or not is_hub_id(ref, need_owner=True):
        raise UserError(f"{flag} must be a Hub model id 'owner/name' (push a local checkpoint first "
                        f"with `python -m training push`), got {ref!r}")
    return ref
