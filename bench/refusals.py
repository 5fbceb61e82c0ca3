"""`python -m bench.refusals`: how soon a refusal or a lone request comes back, the speed targets the tests
used to time (tests/studio/serving/, tests/served/test_playground.py and test_beans.py check what is said).

Targets (seconds, on 2 idle cores): a Hub id refused offline < 2, an unreachable Hub (STUDIO_HUB_TIMEOUT=1)
< 2, each playground refusal of a bad reference < 2, a lone request through the MicroBatcher < 0.5.
Results: bench/results/refusals.json. Run it on an otherwise idle machine: other load is in the numbers.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import time

from bench.common import machine, print_table, write_results

TARGETS_S = {"offline hub id": 2.0, "unreachable hub": 2.0, "playground refusal": 2.0, "lone batched request": 0.5}
PLAYGROUND_REFS = ["https://huggingface.co/gpt2", "../../../etc", "/", "models/nope", "owner/some-model"]


def seconds(call) -> float:
    """Wall time of call(), whatever it raises (a refusal is the answer being timed)."""
    started = time.perf_counter()
    with contextlib.suppress(Exception):  # the refusal is the answer being timed
        call()
    return time.perf_counter() - started


class Owner:
    """What the batcher holds weakly: a loaded model in the app."""


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def measure() -> list[dict]:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["STUDIO_MODELS_DIR"] = tempfile.mkdtemp(prefix="bench-refusals-")
    from huggingface_hub import constants as hub_constants

    from studio.playground.inputs import Inputs
    from studio.playground.run import make_request, run
    from studio.serving.hub_guard import check_model, fetch_model_info
    from studio.serving.service import MicroBatcher

    timed = {"offline hub id": [seconds(lambda: check_model("owner/model", ("text-classification",)))]}
    os.environ["HF_HUB_OFFLINE"], hub_constants.HF_HUB_OFFLINE, hub_constants.ENDPOINT = "0", False, closed_port()
    timed["unreachable hub"] = [seconds(lambda: fetch_model_info("owner/other", token=None, timeout=1))]
    os.environ["HF_HUB_OFFLINE"], hub_constants.HF_HUB_OFFLINE = "1", True
    timed["playground refusal"] = [
        seconds(lambda ref=ref: run(make_request("text-classification", ref, Inputs(text="some text"))))
        for ref in PLAYGROUND_REFS]
    owner = Owner()
    batcher = MicroBatcher(owner, lambda model, batch: [x * x for x in batch])
    timed["lone batched request"] = [seconds(lambda: batcher.submit(7)) for _ in range(20)]
    return [{"what": what, "worst_s": round(max(values), 4), "target_s": TARGETS_S[what],
             "met": max(values) < TARGETS_S[what]} for what, values in timed.items()]


def main() -> None:
    rows = measure()
    print_table(rows, ["what", "worst_s", "target_s", "met"])
    print(write_results("refusals", {"machine": machine(), "rows": rows}))


if __name__ == "__main__":
    main()
