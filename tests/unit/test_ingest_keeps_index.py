"""The command-line ingest leaves the app's event index beside the GeoPackage it wrote, valid for
the next opener, so a first server on an ingested archive does not scan every event."""

from pathlib import Path

import numpy as np

from geo import ingest
from geo.store import open_store
from geo.store import index_file, summary

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def test_the_ingest_keeps_an_index_the_next_opener_uses(tmp_path):
    db = tmp_path / "archive.gpkg"
    assert ingest.main([str(SAMPLES), "--db", str(db), "--no-progress"]) == 0
    assert db.with_name(db.name + ".index.npz").exists()
    store = open_store(db)
    try:
        kept = index_file.load(store, summary._made_by(), summary._INDEX_ARRAYS)
        assert kept is not None                      # stamped with the state this opener sees
        fresh = summary._sql_index(store)
        assert np.array_equal(kept["fid"], fresh.fid) and len(fresh) > 100
    finally:
        store.close()


def test_a_second_ingest_replaces_the_kept_index(tmp_path):
    db = tmp_path / "archive.gpkg"
    one = sorted(SAMPLES.glob("*.json"))
    assert ingest.main([str(one[0]), "--db", str(db), "--no-progress"]) == 0
    assert ingest.main([str(one[1]), "--db", str(db), "--no-progress"]) == 0
    store = open_store(db)
    try:
        kept = index_file.load(store, summary._made_by(), summary._INDEX_ARRAYS)
        assert kept is not None and len(kept["fid"]) == len(summary._sql_index(store))
    finally:
        store.close()
