"""The shared PNG renderer: one Chromium for many requests, a bounded queue, a browser that
died replaced on the next job."""

from __future__ import annotations

import os
import signal
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from geo.errors import BusyError, GeoError, InputError
from geo.export import png

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# The smallest page the renderer accepts: it says it is ready at once.
READY_PAGE = ("<!doctype html><html><body style='background:#c33'><p>خريطة</p>"
              "<script>window.marsadExportReady = true;</script></body></html>")

needs_chromium = pytest.mark.skipif(not Path(png.CHROMIUM).is_file(),
                                    reason=f"needs Chromium at {png.CHROMIUM}")


@pytest.fixture
def page(tmp_path) -> Path:
    path = tmp_path / "page.html"
    path.write_text(READY_PAGE, encoding="utf-8")
    return path


@pytest.fixture
def launches(monkeypatch) -> list[str]:
    """Counts real Chromium launches; each browser gets a marker, so a test can find its process."""
    seen: list[str] = []
    real = png._launch

    def counted(pw):
        marker = f"--marsad-test-{uuid.uuid4().hex}"
        seen.append(marker)
        monkeypatch.setattr(png, "CHROMIUM_ARGS", (*_ARGS, marker))
        return real(pw)

    _ARGS = png.CHROMIUM_ARGS
    monkeypatch.setattr(png, "_launch", counted)
    return seen


@pytest.fixture
def renderer():
    made: list[png.PngRenderer] = []

    def make(**options) -> png.PngRenderer:
        made.append(png.PngRenderer(**options))
        return made[-1]

    yield make
    for r in made:
        r.close()


def _browser_pid(marker: str) -> int:
    """The main Chromium process launched with ``marker`` (its helpers carry --type=)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker.encode() in args and not any(a.startswith(b"--type=") for a in args):
            return int(entry.name)
    raise AssertionError(f"no Chromium process carries {marker}")


@needs_chromium
def test_concurrent_requests_share_one_chromium(renderer, launches, page, tmp_path):
    shared = renderer(max_waiting=8)
    outs = [tmp_path / f"out{i}.png" for i in range(6)]
    with ThreadPoolExecutor(max_workers=len(outs)) as pool:
        reports = list(pool.map(lambda out: shared.render(page, out, width=320, height=240), outs))
    assert len(launches) == 1
    assert all(out.read_bytes()[:8] == PNG_MAGIC for out in outs)
    assert all(r["blocked"] == [] and r["dialogs"] == [] for r in reports)


@needs_chromium
def test_a_killed_chromium_is_replaced_on_the_next_job(renderer, launches, page, tmp_path):
    shared = renderer(max_waiting=2)
    shared.render(page, tmp_path / "first.png", width=320, height=240)
    pid = _browser_pid(launches[0])
    os.kill(pid, signal.SIGKILL)
    shared.render(page, tmp_path / "second.png", width=320, height=240)
    assert (tmp_path / "second.png").read_bytes()[:8] == PNG_MAGIC
    assert len(launches) == 2


class _FakeBrowser:
    def __init__(self):
        self.connected = True

    def is_connected(self) -> bool:
        return self.connected

    def close(self) -> None:
        self.connected = False


def _fake_chromium(monkeypatch, shoot) -> list[_FakeBrowser]:
    """Replace the browser and the shot, so queue behaviour is tested without Chromium."""
    browsers: list[_FakeBrowser] = []

    def launch(pw):
        browsers.append(_FakeBrowser())
        return browsers[-1]

    monkeypatch.setattr(png, "_check_chromium", lambda: None)
    monkeypatch.setattr(png, "_launch", launch)
    monkeypatch.setattr(png, "_shoot", shoot)
    return browsers


def test_a_full_queue_is_refused_at_once_with_a_busy_message(monkeypatch, renderer, tmp_path):
    drawing, release = threading.Event(), threading.Event()

    def shoot(browser, html_path, png_path, **_):
        drawing.set()
        assert release.wait(30), "the test never released the first job"
        return {"blocked": [], "dialogs": [], "seconds": 0.0}

    browsers = _fake_chromium(monkeypatch, shoot)
    shared = renderer(max_waiting=2)
    with ThreadPoolExecutor(max_workers=3) as pool:
        first = pool.submit(shared.render, "a.html", tmp_path / "a.png", width=300, height=300)
        assert drawing.wait(30)                     # the worker holds the first job
        waiting = [pool.submit(shared.render, f"{n}.html", tmp_path / f"{n}.png", width=300, height=300)
                   for n in "bc"]
        # the queue holds two; the third caller is told at once, and nothing new is launched
        while shared._jobs.qsize() < 2:
            drawing.wait(0.01)
        with pytest.raises(BusyError, match="busy.*try again in a moment"):
            shared.render("d.html", tmp_path / "d.png", width=300, height=300)
        release.set()
        assert [f.result(timeout=30)["seconds"] for f in [first, *waiting]] == [0.0, 0.0, 0.0]
    assert len(browsers) == 1
    # with room again, the next request is taken
    assert shared.render("e.html", tmp_path / "e.png", width=300, height=300)["seconds"] == 0.0


def test_a_browser_closed_while_idle_is_launched_again(monkeypatch, renderer, tmp_path):
    done = threading.Event()

    def shoot(browser, html_path, png_path, **_):
        assert browser.is_connected()
        return {"blocked": [], "dialogs": [], "seconds": 0.0}

    browsers = _fake_chromium(monkeypatch, shoot)
    shared = renderer(max_waiting=1, idle_s=0.05)
    shared.render("a.html", tmp_path / "a.png", width=300, height=300)
    while browsers[0].is_connected():                 # the idle timer closes it
        done.wait(0.01)
    shared.render("b.html", tmp_path / "b.png", width=300, height=300)
    assert len(browsers) == 2 and browsers[1].is_connected()


def test_a_failed_shot_reaches_its_caller_and_the_worker_goes_on(monkeypatch, renderer, tmp_path):
    def shoot(browser, html_path, png_path, **_):
        if html_path == "bad.html":
            raise GeoError("the page never became ready")
        return {"blocked": [], "dialogs": [], "seconds": 0.0}

    browsers = _fake_chromium(monkeypatch, shoot)
    shared = renderer(max_waiting=1)
    with pytest.raises(GeoError, match="never became ready"):
        shared.render("bad.html", tmp_path / "a.png", width=300, height=300)
    assert shared.render("good.html", tmp_path / "b.png", width=300, height=300)["seconds"] == 0.0
    assert len(browsers) == 1


@pytest.mark.parametrize("value", [0, -1, 1.5, True, "4"], ids=["zero", "negative", "float", "bool", "str"])
def test_the_queue_size_is_checked(value):
    with pytest.raises(InputError, match=repr(value).replace("(", r"\(")):
        png.PngRenderer(max_waiting=value)
