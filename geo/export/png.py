"""The PNG snapshot: the standalone page photographed by Debian's chromium through Playwright.

``render_png`` launches a browser for one shot (the export CLI). A server uses one
``PngRenderer``: a single Chromium, owned by one worker thread (Playwright's sync API is bound
to the thread that started it), fed from a bounded queue, so many users' exports never start
many browsers; when the queue is full a request is refused with ``BusyError`` at once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import logging
import queue
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.errors import BusyError, GeoError, InputError
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
    A browser is launched for this one shot; ``PngRenderer`` keeps one for many.

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

    _check_chromium()
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        # Playwright's sync API refuses to run on a thread with a running event loop.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(render_png, html_path, png_path, width=width, height=height,
                               timeout_s=timeout_s).result()
    try:
        with sync_playwright() as pw:
            browser = _launch(pw)
            try:
                return _shoot(browser, html_path, png_path, width=width, height=height,
                              timeout_s=timeout_s)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise GeoError(f"Chromium could not render {str(html_path)!r}: {exc}") from exc


def _check_chromium() -> None:
    if not Path(CHROMIUM).is_file():
        raise GeoError(f"PNG export needs Chromium at {CHROMIUM!r} (apt-get install chromium)")


def _launch(pw):
    """Start Debian's Chromium (every launch goes through here, so tests can count them)."""
    return pw.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))


def _shoot(browser, html_path: str | Path, png_path: str | Path, *, width: int, height: int,
           timeout_s: float) -> dict[str, Any]:
    """One screenshot in a fresh context of ``browser`` (closed afterwards, the browser kept)."""
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

    context = browser.new_context(viewport={"width": width, "height": height},
                                  device_scale_factor=1, java_script_enabled=True)
    try:
        page = context.new_page()
        page.route("**/*", route)
        page.on("dialog", dialog)
        page.goto(Path(html_path).resolve().as_uri(), wait_until="load", timeout=timeout_s * 1000)
        page.wait_for_function("window.marsadExportReady === true", timeout=timeout_s * 1000)
        page.add_style_tag(content=_SNAPSHOT_CSS)
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(png_path), type="png", full_page=False)
    finally:
        if browser.is_connected():
            context.close()
    if blocked:
        logger.warning("the export page asked for %d outside URLs (refused): %s",
                       len(blocked), blocked[:3])
    return {"blocked": blocked, "dialogs": dialogs, "seconds": time.perf_counter() - started}


BUSY_MESSAGE = "The PNG renderer is busy with other exports: try again in a moment."


class PngRenderer:
    """One Chromium for many PNG exports: a worker thread owns it and takes jobs from a queue.

    Parameters
    ----------
    max_waiting : int
        Jobs (at least 1) that may wait behind the one being drawn; one more is refused
        with ``BusyError``.
    idle_s : float
        The browser is closed after this long without a job, and launched again for the next.

    Examples
    --------
    >>> renderer = PngRenderer(max_waiting=4)  # doctest: +SKIP
    >>> renderer.render("خريطة.html", "خريطة.png", width=1600, height=1000)  # doctest: +SKIP
    """

    def __init__(self, *, max_waiting: int = 4, idle_s: float = 300.0):
        if not isinstance(max_waiting, int) or isinstance(max_waiting, bool) or max_waiting < 1:
            raise InputError(f"max_waiting must be a whole number >= 1, got {max_waiting!r}")
        # the job being drawn has left the queue: max_waiting wait behind it, no more
        self._jobs: queue.Queue = queue.Queue(maxsize=max_waiting)
        self._idle_s = idle_s
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._browser = None   # touched only by the worker thread

    def render(self, html_path: str | Path, png_path: str | Path, *, width: int, height: int,
               timeout_s: float = PNG_TIMEOUT_S) -> dict[str, Any]:
        """``render_png`` through the shared browser; blocks until this job is drawn.

        Raises
        ------
        BusyError
            At once, when ``max_waiting`` jobs are already waiting.
        GeoError
            When Chromium is missing or cannot render the page.
        """
        _check_chromium()
        job: concurrent.futures.Future = concurrent.futures.Future()
        try:
            self._jobs.put_nowait((job, html_path, png_path, width, height, timeout_s))
        except queue.Full:
            raise BusyError(BUSY_MESSAGE) from None
        self._start()
        return job.result()

    def close(self) -> None:
        """Close the browser and stop the worker (waiting jobs are drawn first)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join()

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="marsad-png", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        """The worker: the only thread that touches Playwright and the browser."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        pw = None
        try:
            while True:
                try:
                    item = self._jobs.get(timeout=self._idle_s)
                except queue.Empty:   # idle: give the memory back, launch again when asked
                    self._browser = _close(self._browser)
                    continue
                if item is None:
                    return
                job, html_path, png_path, width, height, timeout_s = item
                if not job.set_running_or_notify_cancel():
                    continue
                try:
                    if pw is None:
                        pw = sync_playwright().start()
                    report = self._draw(pw, html_path, png_path, width, height, timeout_s)
                except PlaywrightError as exc:
                    job.set_exception(GeoError(f"Chromium could not render {str(html_path)!r}: {exc}"))
                except BaseException as exc:  # noqa: BLE001 - handed to the caller, who raises it
                    job.set_exception(exc)
                else:
                    job.set_result(report)
        finally:
            self._browser = _close(self._browser)
            if pw is not None:
                pw.stop()

    def _draw(self, pw, html_path, png_path, width, height, timeout_s) -> dict[str, Any]:
        """The shot in the running browser, launched first if it died or was closed."""
        from playwright.sync_api import Error as PlaywrightError

        if self._browser is None or not self._browser.is_connected():
            self._browser = _launch(pw)
        try:
            return _shoot(self._browser, html_path, png_path, width=width, height=height,
                          timeout_s=timeout_s)
        except PlaywrightError:
            if self._browser.is_connected():
                raise
        # It went away between jobs (a crash, or killed for memory): once more in a new one.
        logger.warning("the PNG renderer's Chromium had gone; launching another")
        self._browser = _launch(pw)
        return _shoot(self._browser, html_path, png_path, width=width, height=height,
                      timeout_s=timeout_s)


def _close(browser) -> None:
    """Close a browser if it is still there; returns None (the browser it leaves)."""
    if browser is not None and browser.is_connected():
        try:
            browser.close()
        except Exception:  # noqa: BLE001 - closing a dying browser may fail; it is gone either way
            logger.warning("closing the PNG renderer's Chromium failed", exc_info=True)
    return None


def to_png(frame: gpd.GeoDataFrame, path: str | Path, *, width: int = 1600, height: int = 1000,
           title: str = DEFAULT_TITLE, filters: Any = None, place: Any = None,
           exported_at: dt.datetime | None = None, renderer: PngRenderer | None = None) -> Path:
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
    renderer : PngRenderer, optional
        The shared browser to draw with; by default one is launched for this image.

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
    BusyError
        When ``renderer`` has no room for another job now.

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
            draw = render_png if renderer is None else renderer.render
            report = draw(page, tmp, width=width, height=height)
    if report["dialogs"]:
        logger.warning("the export page opened %d dialogs (dismissed)", len(report["dialogs"]))
    logger.info("PNG %dx%d of %d events in %.1f s", width, height, len(frame), report["seconds"])
    return Path(path)
