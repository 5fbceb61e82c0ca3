"""`python -m training.worker`: the warm training worker (the Train tab's default executor).

A long-lived process that has imported torch, transformers and the training commands once, and loaded each
base model it was asked for (its architecture's modules imported, its weights read); each job is a fork
of it that runs `training.__main__.main(argv)`, the very function `python -m training` runs, with the same
argv. So a job starts in milliseconds instead of a new Python's import and load (most of a small head
job's time), and it still has a process of its own: its own session (SIGINT to its group ends it like
Ctrl-C; the worker lives on), the worker's memory cap (RLIMIT_AS is per process and inherited), its log
file as stdout and stderr, and SIGKILL when the worker dies (PR_SET_PDEATHSIG), so a killed worker leaves
no orphan.

Protocol, one JSON object per line. In (stdin): {"job": id, "argv": [...], "log": path, "threads": n}, or
{"job": id, "prefill": [argv, ...], "log": path}: the frozen features of several waiting jobs on one backbone
into the shared cache in one process (training/commands/prefill.py: batch across jobs).
Out (stdout): {"ready": true} once warm, {"job": id, "pid": pid} when forked, {"job": id, "returncode": rc}
when it ended (a negative rc: the signal that ended it, as subprocess reports). The end of stdin (the
server is gone) stops the running jobs (SIGINT, then SIGKILL) and the worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import signal
import sys
import time

PR_SET_PDEATHSIG = 1
STOP_GRACE_S = 15
TICK_S = 0.2
WARM_MODULES = ("training.commands.image", "training.commands.text", "training.flow.run", "training.flow.features",
                "transformers")
WARM_BASES_MAX = 8  # base models kept warm (least recently asked for forgotten)


def warm_imports() -> None:
    import importlib

    for module in WARM_MODULES:
        importlib.import_module(module)
    import transformers  # noqa: F401  (its lazy classes resolved once, here, not in each job)
    from transformers import AutoImageProcessor, AutoModelForImageClassification, AutoTokenizer  # noqa: F401


def base_model_of(argv: list[str]) -> str | None:
    return argv[argv.index("--base-model") + 1] if "--base-model" in argv[:-1] else None


def warm_base(ref: str | None, warm: dict) -> None:
    """Load a local base model once (its architecture's modules imported, its files in memory); a job's
    own load of it is then a read of warm pages. A Hub id or a model that will not load is the job's to
    report, so it is left alone here."""
    if not ref or ref in warm or not os.path.isdir(ref):
        warm[ref] = warm.pop(ref, None)
        return
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    verbosity = transformers_logging.get_verbosity()
    transformers_logging.set_verbosity_error()  # its load report is no job's business
    try:
        warm[ref] = AutoModel.from_pretrained(ref, trust_remote_code=False, use_safetensors=True)
    except Exception:  # the job itself says what is wrong with it, in its own log
        warm[ref] = None
    finally:
        transformers_logging.set_verbosity(verbosity)
    while len(warm) > WARM_BASES_MAX:
        warm.pop(next(iter(warm)))


def run_job(argv: list[str], log_path: str, threads: int | None, prefill: list | None = None) -> int:
    """In the forked child: become a process of its own, then run the command exactly as the CLI does."""
    os.setsid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    for stream in (1, 2):
        os.dup2(log, stream)
    os.close(log)
    if threads:
        import torch

        torch.set_num_threads(threads)
    try:
        from training.__main__ import main
        from training.commands.prefill import prefill as prefill_features

        if prefill is not None:
            print(f"prefill: features of {prefill_features(prefill)} of {len(prefill)} jobs in the shared cache")
            return 0
        return main(list(argv))
    except SystemExit as exit_:  # argparse's --help or usage error
        return exit_.code if isinstance(exit_.code, int) else 2
    except KeyboardInterrupt:
        return 130
    except BaseException:
        import traceback

        traceback.print_exc()
        return 1


def say(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def start(order: dict, warm: dict) -> int:
    warm_base(base_model_of(order.get("argv") or (order.get("prefill") or [[]])[0]), warm)
    sys.stdout.flush()
    sys.stderr.flush()  # else the child would write the worker's pending output into the job's log
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = run_job(order.get("argv", []), order["log"], order.get("threads"), order.get("prefill"))
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code if isinstance(code, int) and 0 <= code < 256 else 1)
    return pid


def reap(children: dict[int, str]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        job = children.pop(pid, None)
        if job is not None:
            say({"job": job, "returncode": -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)})


def stop_all(children: dict[int, str]) -> None:
    """The server is gone: its jobs end as a cancel would, then are killed past the grace."""
    for sig, wait in ((signal.SIGINT, STOP_GRACE_S), (signal.SIGKILL, 5)):
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, sig)
        deadline = time.time() + wait
        while children and time.time() < deadline:
            reap(children)
            time.sleep(0.1)


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # SIGINT is for a job's own group, never the worker
    warm_imports()
    warm: dict = {}
    children: dict[int, str] = {}
    say({"ready": True})
    pending = b""
    while True:
        readable, _, _ = select.select([sys.stdin.fileno()], [], [], TICK_S)
        if readable:
            chunk = os.read(sys.stdin.fileno(), 65536)
            if not chunk:
                stop_all(children)
                return 0
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                try:
                    order = json.loads(line)
                    pid = start(order, warm)
                except (ValueError, KeyError, TypeError) as error:
                    say({"error": str(error)[:200]})
                    continue
                children[pid] = order["job"]
                say({"job": order["job"], "pid": pid})
        reap(children)


if __name__ == "__main__":
    sys.exit(main())
