"""Look a Hub model up before downloading it, and refuse what no tab should load.

The decision (`refusal`) is a pure function of the Hub's `ModelInfo`, testable offline with ModelInfo
objects built by hand; the lookup (`fetch_model_info`) is the only network call: short timeout, and an
immediate refusal when HF_HUB_OFFLINE is set. Local checkpoints in models/ never touch the Hub.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio import config
from studio.errors import RequestError
from studio.serving.models import ModelRefError, is_local_ref, validate_model_ref


class ModelRefusal(RequestError):
    """A Hub model no tab will load (bad reference, offline, gated, too big, wrong task...)."""


@dataclass(frozen=True)
class Limits:
    max_mb: float
    max_params_m: float

    @classmethod
    def from_env(cls) -> Limits:
        return cls(config.max_model_mb(), config.max_model_params())


def _file_size(sibling) -> int | None:
    return sibling.size if sibling.size is not None else (sibling.lfs.size if sibling.lfs else None)


def safetensors_files(info) -> list:
    return [s for s in info.siblings or [] if s.rfilename.endswith(".safetensors")]


def weights_mb(info) -> float | None:
    """Size of the safetensors weights in MB, from the files metadata; None when the Hub did not say."""
    sizes = [_file_size(s) for s in safetensors_files(info)]
    if not sizes or None in sizes:
        return None
    return sum(sizes) / 1e6


def params_millions(info) -> float | None:
    return info.safetensors.total / 1e6 if info.safetensors else None


def refusal(info, pipeline_tags: tuple[str, ...], limits: Limits, has_token: bool) -> ModelRefusal | None:
    """Why this Hub model must not be loaded for a task whose pipeline tags are `pipeline_tags` (or None)."""
    model = info.id
    if info.disabled:
        return ModelRefusal("model.refuse.disabled", model=model)
    if info.private and not has_token:
        return ModelRefusal("model.refuse.private", model=model)
    if info.gated and not has_token:
        return ModelRefusal("model.refuse.gated", model=model)
    if info.pipeline_tag not in pipeline_tags:
        return ModelRefusal("model.refuse.task", model=model, tag=info.pipeline_tag or "—",
                       task=", ".join(pipeline_tags))
    if info.siblings is not None and not safetensors_files(info):
        return ModelRefusal("model.refuse.no_safetensors", model=model)
    size = weights_mb(info)
    if size is not None and size > limits.max_mb:
        return ModelRefusal("model.refuse.too_big", model=model, size=f"{size:,.0f}", limit=f"{limits.max_mb:,.0f}")
    params = params_millions(info)
    if params is not None and params > limits.max_params_m:
        return ModelRefusal("model.refuse.too_many_params", model=model, params=f"{params:,.0f}",
                       limit=f"{limits.max_params_m:,.0f}")
    return None


def fetch_model_info(repo_id: str, token: str | None, timeout: float):
    """The Hub's ModelInfo with files metadata, or a ModelRefusal saying why it could not be had."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError, RevisionNotFoundError

    if config.hub_offline():
        raise ModelRefusal("model.refuse.offline", model=repo_id)
    try:
        return HfApi().model_info(repo_id, files_metadata=True, timeout=timeout, token=token)
    except GatedRepoError:
        raise ModelRefusal("model.refuse.gated", model=repo_id) from None
    except (RepositoryNotFoundError, RevisionNotFoundError):
        raise ModelRefusal("model.refuse.not_found", model=repo_id) from None
    except Exception as error:  # DNS, timeout, proxy, 5xx: all mean "the Hub cannot be asked now"
        raise ModelRefusal("model.refuse.unreachable", model=repo_id, reason=type(error).__name__) from None


def in_local_hub_cache(repo_id: str) -> bool:
    """Downloaded (and so checked) before: usable offline from the Hugging Face cache."""
    from huggingface_hub import try_to_load_from_cache

    return isinstance(try_to_load_from_cache(repo_id, "config.json"), str)


def check_model(ref: str, pipeline_tags: tuple[str, ...]) -> str:
    """The reference to load (a checkpoint folder in models/ or a Hub id), or a ModelRefusal.

    Local checkpoints are trusted without a lookup; Hub ids are looked up and judged before download.
    """
    from huggingface_hub import get_token

    try:
        ref = validate_model_ref(ref)
    except ModelRefError as error:
        raise ModelRefusal(error.key, **error.fields) from None
    if is_local_ref(ref) or (ref, pipeline_tags) in _approved:
        return ref
    if config.hub_offline() and in_local_hub_cache(ref):
        return ref
    token = get_token()
    info = fetch_model_info(ref, token, config.hub_timeout())
    reason = refusal(info, pipeline_tags, Limits.from_env(), has_token=bool(token))
    if reason is not None:
        raise reason
    _approved.add((ref, pipeline_tags))
    return ref


# Hub models judged fit once in this process: later runs skip the lookup (and work if the Hub goes away).
_approved: set[tuple[str, tuple[str, ...]]] = set()
