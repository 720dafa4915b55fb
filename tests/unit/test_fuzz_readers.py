"""Fuzzing the readers and both JSON-lines command lines (hypothesis): whatever a line holds,
no exception escapes, every good record is stored (or answered), every other line is named."""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import ingest
from geo.store import GeoPackageStore
from geo.text.normalize import normalize
from geo.text.safe import safe_text

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةى"
# what reports hold, what JSON escapes can smuggle in, and what breaks stores
HOSTILE = ["\ud800", "\udfff", "\x00", "\x07", "\x0c", "\u202e", "\ufeff", "\u0640", " ", "\n", "«", "»"]
text = st.text(st.one_of(st.sampled_from(ARABIC), st.sampled_from(HOSTILE), st.characters()), max_size=60)
good = st.fixed_dictionaries({"text": text}, optional={
    "title": text, "outlet": text, "url": text, "published": st.sampled_from(["2024-03-01", ""])})
junk_value = st.recursive(st.none() | st.booleans() | st.integers() | text,
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                          max_leaves=10)
junk_line = st.one_of(
    st.binary(min_size=1, max_size=40).filter(lambda b: b"\n" not in b),
    junk_value.map(lambda v: json.dumps(v).encode()),
    st.integers(1, 5_000).map(lambda n: b"[" * n + b"]" * n),
    st.builds(lambda t: json.dumps({"text": t, "title": 5}).encode(), text),
)
line = st.one_of(good.map(lambda r: ("good", json.dumps(r).encode())), junk_line.map(lambda b: ("junk", b)))
FUZZ = settings(max_examples=int(os.environ.get("MARSAD_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _is_good(record: dict) -> bool:
    return bool(normalize(safe_text(record["text"])).strip())


def _jsonl(lines: list[tuple[str, bytes]]) -> bytes:
    return b"\n".join(raw for _, raw in lines) + b"\n"


@FUZZ
@given(st.lists(line, max_size=8))
def test_ingest_stores_every_good_record_and_names_every_other_line(lines):
    goods = [json.loads(raw) for kind, raw in lines if kind == "good"]
    wanted = {ingest.article_id(safe_text(r["text"])) for r in goods if _is_good(r)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.jsonl"
        path.write_bytes(_jsonl(lines))
        with GeoPackageStore(Path(tmp) / "fuzz.gpkg") as store:
            summary = ingest.ingest_paths([path], store=store, progress=False)
            stored = set(store.articles()["id"])
    assert wanted <= stored
    nonblank = sum(1 for _, raw in lines if raw.strip())
    assert summary.articles_read + len(summary.skipped) == nonblank
    assert all(s.source.startswith(f"{path}:") for s in summary.skipped)


def _cli_run(run, data: bytes) -> tuple[int, list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    saved = sys.stdin
    sys.stdin = stdin
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = run()
    finally:
        sys.stdin = saved
    return code, [json.loads(x) for x in out.getvalue().splitlines()], err.getvalue()


@FUZZ
@given(st.lists(line, max_size=6))
def test_the_events_command_line_answers_every_good_line(lines):
    from geo.events.__main__ import _run_jsonl

    code, outputs, err = _cli_run(lambda: _run_jsonl(sys.stdin, sys.stdout, sys.stderr), _jsonl(lines))
    goods = sum(1 for kind, _ in lines if kind == "good")
    assert len(outputs) >= goods and all("events" in o for o in outputs)
    assert code == (1 if err else 0)


@FUZZ
@given(st.lists(line, max_size=6))
def test_the_places_command_line_answers_every_good_line(lines):
    from geo.places.__main__ import _run_jsonl
    from geo.places.geoparse import get_parser

    parser = get_parser()
    code, outputs, err = _cli_run(lambda: _run_jsonl(parser), _jsonl(lines))
    answered = [o for o in outputs if "mentions" in o]
    assert len(answered) >= sum(1 for kind, _ in lines if kind == "good")
    assert len(outputs) == sum(1 for _, raw in lines if raw.strip())
    assert code == (1 if err else 0)
