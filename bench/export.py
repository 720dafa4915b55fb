"""Export timings: every format for growing event frames, the PNG through headless Chromium.

    .venv/bin/python bench/export.py [--sizes 100 1000 10000] [--formats png html csv ...]

The frames are the store contract corpus (tests/conftest.py: points, lines, an
area, an event without a geometry) repeated with jittered coordinates and fresh
ids, so sizes grow without new article text. Each (size, format) is written once
into a temporary folder; the table gives seconds and the file size. A PNG's time
includes starting Chromium (about a second on its own).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.export.cli import FORMATS, export
from geo.store.frames import events_to_frame  # noqa: E402
from tests.conftest import store_corpus_items  # noqa: E402


def frame_of(n: int, seed: int = 0):
    """``n`` events: the six corpus events repeated, each copy moved by up to a degree."""
    base = events_to_frame([e for _, _, events in store_corpus_items() for e in events])
    copies = pd.concat([base] * (n // len(base) + 1), ignore_index=True).iloc[:n].copy()
    rng = np.random.default_rng(seed)
    dx, dy = rng.uniform(-1, 1, n), rng.uniform(-1, 1, n)
    geoms = copies.geometry.to_numpy()
    moved = [None if g is None else shapely.affinity.translate(g, dx[i], dy[i])
             for i, g in enumerate(geoms)]
    copies["id"] = [f"b{i}" for i in range(n)]
    copies = copies.set_geometry(moved, crs="EPSG:4326")
    return copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    args = parser.parse_args()
    print(f"{'events':>7} {'format':>8} {'seconds':>8} {'size':>10}")
    with tempfile.TemporaryDirectory(prefix="marsad-bench-export-") as folder:
        for n in args.sizes:
            frame = frame_of(n)
            for fmt in args.formats:
                path = Path(folder) / f"e{n}.{fmt}"
                started = time.perf_counter()
                export(frame, path, fmt=fmt, title=f"bench {n}")
                seconds = time.perf_counter() - started
                print(f"{n:>7} {fmt:>8} {seconds:>8.2f} {path.stat().st_size / 1e6:>8.2f} MB",
                      flush=True)


if __name__ == "__main__":
    main()
