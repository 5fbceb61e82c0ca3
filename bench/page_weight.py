"""`python -m bench.page_weight`: the first load of the app's page against a plain 4-tab Gradio app
(bench/plain_app.py), both served as subprocesses and opened in the same Chromium in the same run.

For each: requests, bytes over the wire (Chromium's encoded sizes: compression counts), the HTML's bytes,
and the seconds until the first button can be clicked; each page is loaded RUNS times with the cache off,
the median kept. The target (issue 29): the app's bytes at most 1.5x the plain app's. The app runs with tiny
models (what the page weighs does not depend on them) and the bean examples of the shared assets.
Results: bench/results/page_weight.json. Timings on a busy machine carry its load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import assets_dir, machine, print_table, write_results
from bench.serve import start, stop, tiny_checkpoints

CHROMIUM = "/usr/bin/chromium"
TARGET_RATIO = 1.5
RUNS = 3
QUIET_S = 4.0  # Gradio loads the other tabs' components after the first paint: a busy machine spreads them out
COLUMNS = ["app", "requests", "kib", "html_kib", "first_button_s"]


def first_load(browser, url: str, button: str) -> dict:
    """One cold load: every response's encoded size (CDP Network.loadingFinished), the HTML's, time to a
    clickable `button`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-ES")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    kinds: dict[str, str] = {}
    cdp.on("Network.responseReceived", lambda event: kinds.__setitem__(event["requestId"], event["type"]))
    cdp.on("Network.loadingFinished", lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
    started = time.perf_counter()
    page.goto(url)
    page.locator(button).first.wait_for(state="visible", timeout=120_000)
    page.wait_for_function(f"() => !document.querySelector({button!r}).disabled")
    clickable = time.perf_counter() - started
    # late requests (fonts, lazily loaded components) count too: until none finishes for QUIET_S (Gradio
    # keeps its event stream open, so the page never reaches "network idle")
    seen, quiet_since = -1, time.perf_counter()
    while time.perf_counter() - quiet_since < QUIET_S:
        page.wait_for_timeout(250)
        if len(sizes) != seen:
            seen, quiet_since = len(sizes), time.perf_counter()
    context.close()
    html = sum(size for request, size in sizes.items() if kinds.get(request) == "Document")
    return {"requests": len(sizes), "bytes": sum(sizes.values()), "html_bytes": html, "first_button_s": clickable}


def measured(browser, url: str, button: str, runs: int) -> dict:
    loads = [first_load(browser, url, button) for _ in range(runs)]
    return {key: statistics.median(load[key] for load in loads) for key in loads[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-page-") as folder:
        models = Path(folder) / "models"
        beans, sentiment = tiny_checkpoints(models)
        env = {"STUDIO_MODELS_DIR": str(models), "STUDIO_BOOTSTRAP": "off", "STUDIO_LANG": "es",
               "STUDIO_ASSETS": str(assets_dir()), "OMP_NUM_THREADS": "1"}
        servers = [start("app", ["app.py"], env, Path(folder)), start("plain", ["-m", "bench.plain_app"], {}, Path(folder))]
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                found = {"app": measured(browser, servers[0].url, "#beans-classify", args.runs),
                         "plain": measured(browser, servers[1].url, "button", args.runs)}
                browser.close()
        finally:
            for server in servers:
                stop(server)
    rows = [{"app": name, "requests": int(row["requests"]), "kib": round(row["bytes"] / 1024),
             "html_kib": round(row["html_bytes"] / 1024), "first_button_s": round(row["first_button_s"], 2)}
            for name, row in found.items()]
    print_table(rows, COLUMNS)
    ratio = found["app"]["bytes"] / found["plain"]["bytes"]
    print(f"bytes: {ratio:.2f}x the plain app (target <= {TARGET_RATIO}x)")
    write_results("page_weight", {"created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                  "machine": machine(), "runs": args.runs, "rows": rows, "bytes_ratio": round(ratio, 2),
                                  "target_ratio": TARGET_RATIO})
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
