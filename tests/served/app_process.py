"""`python app.py` in its own process, for tests that measure the server alone (its RSS) or give it an
environment the test process must not have (an HTTP proxy)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

from tests.conftest import REPO_ROOT, free_port


class AppProcess:
    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log
        full_env = {**os.environ, **{k: str(v) for k, v in env.items()}, "GRADIO_SERVER_PORT": str(self.port),
                    "GRADIO_SERVER_NAME": "127.0.0.1", "STUDIO_BOOTSTRAP": "off", "OMP_NUM_THREADS": "1"}
        with open(log, "w") as handle:
            self.process = subprocess.Popen([sys.executable, "app.py"], cwd=REPO_ROOT, env=full_env,
                                            stdout=handle, stderr=subprocess.STDOUT)
        self.wait_until_up()

    def wait_until_up(self, limit_s: float = 300) -> None:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"app.py exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url, timeout=5):
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise AssertionError(f"app.py did not start:\n{self.log.read_text()[-3000:]}")

    def rss_mib(self) -> float:
        return psutil.Process(self.process.pid).memory_info().rss / 2**20

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
