"""How long an analyst waits in the app: paste a report until it is on the map, upload 100 reports.

    .venv/bin/python bench/loop.py            # needs Debian's chromium (scripts/setup.sh --browser)

Runs the real app (``streamlit run app.py``) on a GeoPackage holding the sample reports, drives
it in headless chromium, and times from the click to the app's answer on screen (the success
line after a paste; the per-file table after an upload). Beside each, in the same run, the
baseline: the same work through ``geo.ingest`` without the app (the command line's path), so a
slow machine shows as slow in both. The 100 uploaded reports are the corpus texts
(data/corpus/items, our own paraphrases), one .txt file each.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "e2e")]

from app_driver import _wait_idle  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, _serve  # noqa: E402

from geo.ingest import ingest_paths  # noqa: E402
from geo.places.gazetteer import load_gazetteer  # noqa: E402
from geo.store import open_store  # noqa: E402

PASTE = ("قال مصدر أمني في مدينة سبها إن رتلا مسلحا تحرك مساء الأحد من أوباري نحو سبها عبر "
         "الطريق الصحراوي، وإن قوة أخرى تمركزت قرب مطار تمنهنت.")


def _samples_store(folder: Path) -> Path:
    path = folder / "bench.gpkg"
    store = open_store(path)
    ingest_paths(sorted((ROOT / "data" / "samples").glob("*.json")), store=store, progress=False,
                 gazetteer=load_gazetteer())
    store.close()
    return path


def _reports(folder: Path, n: int = 100) -> list[Path]:
    out = []
    for item in sorted((ROOT / "data" / "corpus" / "items").glob("*.json"))[:n]:
        path = folder / f"{item.stem}.txt"
        path.write_text(json.loads(item.read_text(encoding="utf-8"))["text"], encoding="utf-8")
        out.append(path)
    return out


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="marsad-bench-loop-") as tmp:
        tmp = Path(tmp)
        store_path = _samples_store(tmp)
        (tmp / "reports").mkdir()
        files = _reports(tmp / "reports")
        paste_file = tmp / "paste.txt"
        paste_file.write_text(PASTE, encoding="utf-8")
        # baseline: the same 100 reports through geo.ingest into a copy of the store
        shutil.copyfile(store_path, tmp / "baseline.gpkg")
        baseline = open_store(tmp / "baseline.gpkg")
        gazetteer = load_gazetteer()
        t0 = time.perf_counter()
        ingest_paths([paste_file], store=baseline, progress=False, gazetteer=gazetteer)
        paste_base = time.perf_counter() - t0
        t0 = time.perf_counter()
        summary = ingest_paths(files, store=baseline, progress=False, gazetteer=gazetteer)
        upload_base = time.perf_counter() - t0
        baseline.close()

        server = _serve(store_path, tmp / "streamlit.log")
        url = next(server)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.set_default_timeout(300_000)
                page.goto(f"{url}/add")
                _wait_idle(page)
                page.get_by_label("Report text (Arabic)").fill(PASTE)
                t0 = time.perf_counter()
                page.get_by_role("button", name="Add the report").click()
                page.get_by_text("Added:").wait_for()
                paste_app = time.perf_counter() - t0
                page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files([str(f) for f in files])
                t0 = time.perf_counter()
                page.get_by_role("button", name=f"Add {len(files)} files").click()
                page.get_by_text(" reports added").wait_for()
                upload_app = time.perf_counter() - t0
                browser.close()
        finally:
            server.close()
    print(f"paste one report -> on the map: app {paste_app:.2f} s (baseline geo.ingest {paste_base:.2f} s)")
    print(f"upload {len(files)} reports -> per-file table: app {upload_app:.2f} s "
          f"(baseline geo.ingest {upload_base:.2f} s, {summary.articles_new} new)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
