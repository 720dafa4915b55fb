"""The PNG snapshot: the standalone page photographed by Debian's chromium through Playwright.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.errors import GeoError, InputError
from geo.export.html import _SNAPSHOT_CSS, page_html
from geo.export.rows import DEFAULT_TITLE, _atomic, _check_frame

logger = logging.getLogger(__name__)


PNG_TIMEOUT_S = 60.0


CHROMIUM = "/usr/bin/chromium"


CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
)


def _check_size(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 200 <= value <= 8000:
        raise InputError(f"{name} must be a whole number of pixels in [200, 8000], got {value!r}")
    return value


def render_png(html_path: str | Path, png_path: str | Path, *, width: int, height: int,
               timeout_s: float = PNG_TIMEOUT_S) -> dict[str, Any]:
    """Screenshot an HTML file in headless Chromium at exactly ``width`` x ``height``.

    The page may load nothing but ``file:`` and ``data:`` URLs, dialogs are
    dismissed (and counted), and the shot waits until the page says it is
    ready (``window.marsadExportReady``, set two frames after the last layer is added).

    Returns
    -------
    dict
        ``blocked`` (URLs refused), ``dialogs`` (messages dismissed), ``seconds``.

    Raises
    ------
    GeoError
        When Chromium is missing or the page does not become ready in time.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        raise GeoError(f"PNG export needs Chromium at {CHROMIUM!r} (apt-get install chromium)")
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        # Playwright's sync API refuses to run on a thread with a running event loop.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(render_png, html_path, png_path, width=width, height=height,
                               timeout_s=timeout_s).result()
    started = time.perf_counter()
    blocked: list[str] = []
    dialogs: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    def dialog(d) -> None:
        dialogs.append(d.message)
        d.dismiss()

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
            try:
                context = browser.new_context(viewport={"width": width, "height": height},
                                              device_scale_factor=1, java_script_enabled=True)
                page = context.new_page()
                page.route("**/*", route)
                page.on("dialog", dialog)
                page.goto(Path(html_path).resolve().as_uri(), wait_until="load",
                          timeout=timeout_s * 1000)
                page.wait_for_function("window.marsadExportReady === true",
                                       timeout=timeout_s * 1000)
                page.add_style_tag(content=_SNAPSHOT_CSS)
                page.evaluate("document.fonts.ready.then(() => true)")
                page.screenshot(path=str(png_path), type="png", full_page=False)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise GeoError(f"Chromium could not render {str(html_path)!r}: {exc}") from exc
    if blocked:
        logger.warning("the export page asked for %d outside URLs (refused): %s",
                       len(blocked), blocked[:3])
    return {"blocked": blocked, "dialogs": dialogs, "seconds": time.perf_counter() - started}


def to_png(frame: gpd.GeoDataFrame, path: str | Path, *, width: int = 1600, height: int = 1000,
           title: str = DEFAULT_TITLE, filters: Any = None, place: Any = None,
           exported_at: dt.datetime | None = None) -> Path:
    """Write a PNG snapshot of the export page, rendered by headless Chromium.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Events as ``EventStore.read()`` returns them.
    path : str or Path
        The PNG to write (replaced if it exists).
    width, height : int
        The image size in pixels (200-8000 each); the page is laid out at this size.
    title, filters, place, exported_at
        As for ``page_html``.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        For a size outside [200, 8000].
    GeoError
        When Chromium is missing or cannot render the page.

    Examples
    --------
    >>> to_png(store.read(near=(31.76, 13.99, 100)), "بني_وليد.png", width=1200, height=800)  # doctest: +SKIP
    """
    width, height = _check_size("width", width), _check_size("height", height)
    frame = _check_frame(frame)
    text = page_html(frame, title=title, filters=filters, place=place, exported_at=exported_at)
    with tempfile.TemporaryDirectory(prefix="marsad-png-") as folder:
        page = Path(folder) / "page.html"
        page.write_text(text, encoding="utf-8")
        with _atomic(path, suffix=".png") as tmp:
            report = render_png(page, tmp, width=width, height=height)
    if report["dialogs"]:
        logger.warning("the export page opened %d dialogs (dismissed)", len(report["dialogs"]))
    logger.info("PNG %dx%d of %d events in %.1f s", width, height, len(frame), report["seconds"])
    return Path(path)
