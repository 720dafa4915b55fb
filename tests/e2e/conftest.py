"""End-to-end fixtures: the real app on a free port, driven by Debian's headless chromium.

The server runs ``streamlit run app.py`` against a GeoPackage built from
data/samples by the ingest code. Every request the browser makes is logged, so a
test can assert that nothing left 127.0.0.1. A failing test leaves a screenshot
in tests/e2e/artifacts/.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
STARTUP_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """A GeoPackage holding every sample report, written by the real ingest code."""
    from geo.ingest import ingest_paths
    from geo.places.gazetteer import load_gazetteer
    from geo.store import open_store

    path = tmp_path_factory.mktemp("e2e") / "samples.gpkg"
    store = open_store(path)
    ingest_paths(sorted((ROOT / "data" / "samples").glob("*.json")), store=store,
                 progress=False, gazetteer=load_gazetteer())
    assert store.stats().events > 0, "the sample reports gave no events"
    store.close()
    return path


def _serve(store: Path, log: Path, *, flags: dict | None = None, env: dict | None = None,
           script: str = "app.py"):
    """Run the app on ``store`` on a free port; yield its URL once /_stcore/health answers.

    ``flags`` adds or overrides ``streamlit run`` options (a None value leaves one out, so
    .streamlit/config.toml decides; a ``server.port`` chosen beforehand is kept); ``env`` adds
    environment variables.
    """
    env = {**os.environ, "MARSAD_DB": str(store), "PYTHONUNBUFFERED": "1", **(env or {})}
    options = {"server.headless": "true", "server.port": str(_free_port()), "server.address": "127.0.0.1",
               "server.fileWatcherType": "none", "browser.gatherUsageStats": "false", **(flags or {})}
    port = int(options["server.port"])
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script,
             *(f"--{name}={value}" for name, value in options.items() if value is not None)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(STARTUP_TIMEOUT_S * 4):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as reply:
                    if reply.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            try:
                # Waiting on the process doubles as the poll interval and notices a crash.
                proc.wait(timeout=0.25)
                pytest.fail(f"streamlit exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
            except subprocess.TimeoutExpired:
                pass
        else:
            pytest.fail(f"streamlit did not answer in {STARTUP_TIMEOUT_S} s:\n"
                        f"{log.read_text()[-3000:]}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def free_port():
    """``_free_port`` itself, for a server whose URL must be known before it starts."""
    return _free_port


@pytest.fixture(scope="session")
def serve():
    """``_serve`` itself, for a test that starts the app its own way (other flags, a hook)."""
    return _serve


@pytest.fixture(scope="session")
def app_url(sample_store, tmp_path_factory) -> str:
    """The app on the sample store (read-only tests share it)."""
    yield from _serve(sample_store, tmp_path_factory.mktemp("e2e-log") / "streamlit.log")


@pytest.fixture(scope="module")
def loop_app(sample_store, tmp_path_factory) -> tuple[str, Path]:
    """(URL, store path): the app on a copy of the sample store, for tests that write to it."""
    folder = tmp_path_factory.mktemp("e2e-loop")
    store = folder / "loop.gpkg"
    # SQLite's backup API: a consistent copy even while another server has the file open.
    with sqlite3.connect(sample_store) as source, sqlite3.connect(store) as target:
        source.backup(target)
    for url in _serve(store, folder / "streamlit.log"):
        yield url, store


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def requests_log() -> list[str]:
    return []


@pytest.fixture()
def page(browser, request, requests_log):
    """A fresh browser page (own context) that records every request URL."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
    context.on("request", lambda r: requests_log.append(r.url))
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)

