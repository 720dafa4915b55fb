"""A store on read-only media opens read-only: browsing and exports work, writing says why not;
unwritable ``--db`` and ``--out`` give one clear line.

The store's folder is made read-only for the process under test: by a read-only bind mount of
its own (EROFS, as on a write-protected disk) where the machine allows one, else by running as
an unprivileged user (root writes through permission bits)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534
TEXT = "قال مصدر محلي إن رتلاً مسلحاً تحرك من سبها نحو أوباري فجر اليوم."


def _can_mount_read_only() -> bool:
    """Whether we may give a folder a read-only mount in a mount namespace of our own."""
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind -o ro /tmp /tmp && ! touch /tmp/.marsad-ro"],
                           capture_output=True)
    return probe.returncode == 0


READ_ONLY_MOUNT = _can_mount_read_only()
pytestmark = pytest.mark.skipif(
    not READ_ONLY_MOUNT and not (shutil.which("setpriv") and os.geteuid() == 0),
    reason="needs a read-only bind mount (unshare, as root) or setpriv to run as an unprivileged user")


def _read_only_run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """Run python with ``folder`` read-only for it."""
    env = {**os.environ, "HOME": "/tmp", "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    if READ_ONLY_MOUNT:
        command = ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', str(folder),
                   sys.executable, *args]
    else:
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable, *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


@pytest.fixture
def read_only_store(tmp_path):
    folder = tmp_path / "media"
    folder.mkdir()
    report = tmp_path / "a.txt"
    report.write_text(TEXT, encoding="utf-8")
    db = folder / "store.gpkg"
    run = subprocess.run([sys.executable, "-m", "geo.ingest", str(report), "--db", str(db), "--no-progress"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    tmp_path.chmod(0o755)
    for parent in tmp_path.parents:   # pytest's temporary folders are private to their owner
        if str(parent).startswith(("/tmp/pytest-of", str(Path(os.environ.get("TMPDIR", "/tmp")) / "pytest-of"))):
            parent.chmod(0o755)
    yield db
    folder.chmod(0o755)


def test_a_read_only_store_is_browsed_and_exported_and_refuses_writes_with_a_reason(read_only_store, tmp_path):
    out = tmp_path / "out"
    out.mkdir(mode=0o777)
    out.chmod(0o777)
    script = (
        "from geo.store import open_store\n"
        "from geo.errors import StorageError\n"
        f"s = open_store({str(read_only_store)!r})\n"
        "print('read_only', s.read_only, 'events', len(s.read()), 'articles', s.stats().articles)\n"
        "try:\n"
        "    s.edit_event(s.read()['id'].iloc[0], {'review': 'rejected'}, who='Amal')\n"
        "except StorageError as exc:\n"
        "    print('refused:', exc)\n")
    run = _read_only_run(read_only_store.parent, "-c", script)
    assert run.returncode == 0, run.stderr
    assert "read_only True" in run.stdout and "articles 1" in run.stdout
    assert "is read-only" in run.stdout and "exports work" in run.stdout
    export = _read_only_run(read_only_store.parent, "-m", "geo.export", "--db", str(read_only_store),
                            "--format", "geojson", "--out", str(out / "e.geojson"))
    assert export.returncode == 0, export.stderr
    assert (out / "e.geojson").stat().st_size > 0


def test_unwritable_db_and_out_give_one_clear_line(read_only_store, tmp_path):
    report = tmp_path / "b.txt"
    report.write_text(TEXT.replace("سبها", "غات"), encoding="utf-8")
    report.chmod(0o644)
    ingest = _read_only_run(read_only_store.parent, "-m", "geo.ingest", str(report),
                            "--db", str(read_only_store.parent / "new.gpkg"), "--no-progress")
    assert ingest.returncode == 1
    assert ingest.stderr.strip().splitlines() == [
        f"error: cannot create the GeoPackage {str(read_only_store.parent / 'new.gpkg')!r}: its folder is not writable"]
    into_read_only = _read_only_run(read_only_store.parent, "-m", "geo.ingest", str(report),
                                    "--db", str(read_only_store), "--no-progress")
    assert into_read_only.returncode == 1 and "Traceback" not in into_read_only.stderr
    assert "is read-only" in into_read_only.stderr
    export = _read_only_run(read_only_store.parent, "-m", "geo.export", "--db", str(read_only_store),
                            "--format", "csv", "--out", str(read_only_store.parent / "e.csv"))
    assert export.returncode == 1
    assert export.stderr.strip().splitlines() == [
        f"error: cannot write {str(read_only_store.parent / 'e.csv')!r}: the folder "
        f"{str(read_only_store.parent)!r} is not writable"]


def test_the_app_on_a_read_only_store_browses_and_refuses_the_writing_pages(read_only_store, tmp_path):
    script = (
        "import os\n"
        f"os.environ['MARSAD_DB'] = {str(read_only_store)!r}\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=120).run()\n"
        "assert not at.exception, at.exception\n"
        "print('count', at.sidebar.metric[0].value)\n"
        "print('captions', [c.value for c in at.sidebar.caption])\n"
        "at.switch_page('pages/review.py').run()\n"
        "print('review', [e.value for e in at.error])\n")
    run = _read_only_run(read_only_store.parent, "-c", script)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "count 1" in run.stdout or "count 2" in run.stdout, run.stdout
    assert "Read-only store" in run.stdout
    assert "The store is read-only" in run.stdout.split("review", 1)[1]
