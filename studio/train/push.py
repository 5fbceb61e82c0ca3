"""Share a checkpoint on the Hub from the Train tab: `python -m training push` in a subprocess.

The visitor's token (typed, or their Hugging Face login on a Space: studio/train/signin.py) travels in
the child's environment only: never on its command line, never in a file, never in what is shown (the
output is scrubbed). The server's own token never does: the child gets no HF_TOKEN but the visitor's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from contract.checkpoint import is_checkpoint
from contract.errors import KeyedError, redact_tokens
from contract.paths import REPO_ROOT
from studio.train.progress import scrub

PUSH_TIMEOUT_S = 600
# The server's Hub credentials in its environment: never passed on to a visitor's push
SERVER_TOKEN_VARIABLES = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")


def push_command(checkpoint: Path, repo_id: str, private: bool) -> list[str]:
    return [sys.executable, "-m", "training", "push", str(checkpoint), "--repo-id", repo_id] + (
        ["--private"] if private else [])


def push_checkpoint(models_dir: Path, name: str, repo_id: str, token: str | None, private: bool) -> str:
    """The CLI's last line (the repo URL) on success; a KeyedError with its error line otherwise."""
    checkpoint = Path(models_dir) / (name or "")
    if not name or "/" in name or not is_checkpoint(checkpoint):
        raise KeyedError("train.share.no_checkpoint")
    if not token:  # never the server's HF_TOKEN or saved login instead (issue 18, item 3)
        raise KeyedError("train.share.no_token")
    env = {name: value for name, value in os.environ.items() if name not in SERVER_TOKEN_VARIABLES}
    env.update({"PYTHONPATH": str(REPO_ROOT), "OMP_NUM_THREADS": "1", "HF_TOKEN": token})
    try:
        done = subprocess.run(push_command(checkpoint, (repo_id or "").strip(), private), cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, timeout=PUSH_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise KeyedError("train.share.failed", error=f"timeout ({PUSH_TIMEOUT_S} s)") from None
    output = redact_tokens(scrub(done.stdout + done.stderr, [str(models_dir)]), token, env.get("HF_TOKEN"))
    lines = [line for line in output.splitlines() if line.strip()]
    if done.returncode != 0:
        raise KeyedError("train.share.failed", error=(lines[-1] if lines else "?")[:300])
    return lines[-1] if lines else ""
