"""The hostile-input corpus on both stores and through the command lines: every bad record is
skipped with its file and line, every good one stored, and no run ends in a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from geo import ingest
from hostile_corpus import LINE, report, write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, write(folder)


def test_every_case_is_stored_or_skipped_as_expected_on_each_store(corpus, event_store):
    folder, cases = corpus
    summary = ingest.ingest_paths([folder], store=event_store, progress=False)
    assert summary.articles_new == sum(c.stored for c in cases)
    expected = sorted((str(folder / c.name) + where, reason) for c in cases for where, reason in c.skipped)
    got = sorted((s.source, s.reason) for s in summary.skipped)
    assert [source for source, _ in got] == [source for source, _ in expected]
    for (_, reason), (_, wanted) in zip(got, expected):
        assert wanted in reason
    assert sorted(summary.decoded) == sorted((str(folder / c.name), c.encoding) for c in cases if c.encoding)
    texts = event_store.articles(with_text=True)["text"].tolist()
    assert all("\x00" not in t and "\x07" not in t for t in texts)
    for t in texts:
        t.encode("utf-8")   # no lone surrogate reached the store
    assert any(report(24) + " و\nبعدها" == t for t in texts)          # controls out, the form feed a line break
    assert any(t.startswith("\ufffd" + LINE) for t in texts)            # the surrogate shown as such
    assert any(report(12) in t for t in texts)                          # 400 levels of HTML still read
    assert event_store.stats().events > 0


def test_the_cli_names_every_skipped_record_and_exits_3(corpus, tmp_path):
    folder, cases = corpus
    run = subprocess.run([sys.executable, "-m", "geo.ingest", str(folder), "--db", str(tmp_path / "h.gpkg"),
                          "--no-progress"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr
    for case in cases:
        for where, _ in case.skipped:
            assert f"  {folder / case.name}{where}: " in run.stdout
    assert f"read as Windows-1256: {folder / 'windows-1256.txt'}" in run.stdout


def test_a_surrogate_escaped_outlet_argument_is_stored_replaced(tmp_path):
    (tmp_path / "a.txt").write_text(report(30), encoding="utf-8")
    outlet = b"\xd8\xa7\xd9\x84\xff".decode("utf-8", "surrogateescape")   # «ال» and a stray byte
    env = {**os.environ, "PYTHONUTF8": "1"}
    run = subprocess.run([sys.executable, "-m", "geo.ingest", str(tmp_path / "a.txt"), "--db",
                          str(tmp_path / "o.gpkg"), "--no-progress", "--outlet", outlet],
                         capture_output=True, text=True, cwd=ROOT, env=env)
    assert run.returncode == 0, run.stderr
    from geo.store import open_store
    with open_store(str(tmp_path / "o.gpkg")) as store:
        assert store.articles()["outlet"].tolist() == ["ال\ufffd"]


def test_a_fifo_is_read_as_a_stream(tmp_path):
    fifo = tmp_path / "reports"   # no suffix: JSON lines told by the first byte
    os.mkfifo(fifo)
    lines = "".join(json.dumps({"text": report(n)}, ensure_ascii=False) + "\n" for n in (40, 41))

    def feed():
        with open(fifo, "w", encoding="utf-8") as f:
            f.write(lines)

    writer = threading.Thread(target=feed)
    writer.start()
    from geo.store import GeoPackageStore
    with GeoPackageStore(tmp_path / "f.gpkg") as store:
        summary = ingest.ingest_paths([fifo], store=store, progress=False)
    writer.join(timeout=10)
    assert (summary.articles_new, summary.skipped) == (2, ())


def test_the_progress_moves_within_one_file(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"text": report(n)}, ensure_ascii=False) + "\n" for n in range(50, 60)),
                    encoding="utf-8")
    seen: list[tuple[int, int]] = []
    from geo.store import GeoPackageStore
    with GeoPackageStore(tmp_path / "p.gpkg") as store:
        ingest.ingest_paths([path], store=store, progress=False, on_progress=lambda d, t: seen.append((d, t)))
    size = path.stat().st_size
    inside = sorted({d for d, t in seen if 0 < d < size})
    assert len(inside) >= 9 and all(t == size for _, t in seen) and seen[-1] == (size, size)


def _jsonl_cli(module: str, data: bytes) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, "--jsonl"], input=data, capture_output=True, cwd=ROOT)


@pytest.mark.parametrize("module", ["geo.events", "geo.geoparse"])
def test_the_jsonl_command_lines_report_bad_lines_and_go_on(corpus, module):
    folder, cases = corpus
    data = (folder / "lines.jsonl").read_bytes()
    run = _jsonl_cli(module, data)
    err = run.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err
    assert run.returncode == 1
    outputs = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    answered = [o for o in outputs if "error" not in o]
    assert len(answered) >= 3   # lines 1, 2 and 6 (line 5's title is no concern of these readers)
    for n in (3, 4):
        assert f"line {n}:" in err
    for output in answered:
        json.dumps(output).encode("utf-8")
