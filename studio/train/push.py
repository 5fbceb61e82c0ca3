"""Share a checkpoint on the Hub from the Train tab: `python -m training push` in a subprocess.

The token (typed in a password field, else the server's HF_TOKEN) travels in the child's environment
only: never on its command line, never in a file, never in what is shown (the output is scrubbed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from contract.checkpoint import is_checkpoint
from contract.errors import KeyedError
from contract.paths import REPO_ROOT
from studio.train.progress import scrub

PUSH_TIMEOUT_S = 600


def push_command(checkpoint: Path, repo_id: str, private: bool) -> list[str]:
    return [sys.executable, "-m", "training", "push", str(checkpoint), "--repo-id", repo_id] + (
        ["--private"] if private else [])


def push_checkpoint(models_dir: Path, name: str, repo_id: str, token: str | None, private: bool) -> str:
    """The CLI's last line (the repo URL) on success; a KeyedError with its error line otherwise."""
    checkpoint = Path(models_dir) / (name or "")
    if not name or "/" in name or not is_checkpoint(checkpoint):
        raise KeyedError("train.share.no_checkpoint")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "OMP_NUM_THREADS": "1"}
    if token:
        env["HF_TOKEN"] = token
    try:
        done = subprocess.run(push_command(checkpoint, (repo_id or "").strip(), private), cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, timeout=PUSH_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise KeyedError("train.share.failed", error=f"timeout ({PUSH_TIMEOUT_S} s)") from None
    secret = [token or "", env.get("HF_TOKEN", "")]
    output = scrub(done.stdout + done.stderr, [str(models_dir)])
    for value in filter(None, secret):
        output = output.replace(value, "***")
    lines = [line for line in output.splitlines() if line.strip()]
    if done.returncode != 0:
        raise KeyedError("train.share.failed", error=(lines[-1] if lines else "?")[:300])
    return lines[-1] if lines else ""
