"""The server's long-lived objects stay out of the full collection Streamlit runs after every run."""

import gc
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def test_runs_freeze_what_they_imported_and_then_nothing_more(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_DB", str(tmp_path / "marsad.gpkg"))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=180).run()
    assert not at.exception
    assert gc.get_freeze_count() > 0
    at.run()   # freezes what the first run imported after its own freeze (the map's libraries)
    import ui
    assert not ui.freeze_long_lived()   # a run that imports nothing new freezes nothing
