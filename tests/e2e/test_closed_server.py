"""The server as .streamlit/config.toml sets it up: loopback only, no outside request, no tracebacks.

The app runs with none of the command-line flags the other browser tests pass (address,
usage statistics), so the project's config file alone decides. An audit hook, installed in
the server's interpreter through a ``sitecustomize`` module, writes down every address the
process resolves, connects to, sends to or binds while it starts and serves a page.
"""

from __future__ import annotations

import fcntl
import ipaddress
import json
import os
import socket
import struct
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app_driver import _count, _map, _open

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]

# Installed into the server's interpreter. Each line: event, address family, host, port.
SITECUSTOMIZE = textwrap.dedent('''
    import json, os, sys

    _LOG = os.environ["MARSAD_NET_LOG"]
    _ON_SOCKET = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"}
    _NAMES = {"socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"}

    def _record(event, args):
        if event in _ON_SOCKET:
            sock, address = args[0], args[1]
            family = int(getattr(sock, "family", -1))
        elif event == "socket.getaddrinfo":
            family, address = int(args[2]), (args[0], args[1])
        elif event in _NAMES:
            family, address = -1, (args[0], None)
        else:
            return
        if isinstance(address, tuple):
            host, port = address[0], address[1] if len(address) > 1 else None
        else:                                   # a unix socket's path (or None for sendmsg)
            host, port = address, None
        if isinstance(host, bytes):
            host = host.decode("utf-8", "replace")
        try:
            with open(_LOG, "a", encoding="utf-8") as out:
                out.write(json.dumps([event, family, host, port if isinstance(port, int) else str(port)]) + "\\n")
        except Exception:
            pass

    sys.addaudithook(_record)
''')


def _loopback(family: int, host) -> bool:
    """A loopback address, ``localhost``, or a unix socket (which never leaves the machine)."""
    if family == socket.AF_UNIX:
        return True
    if not isinstance(host, str):
        return False
    if host.lower() in {"localhost", "localhost.localdomain", "ip6-localhost"}:
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def _listening(port: int) -> list[str]:
    """The local addresses of the sockets listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for name in ("tcp", "tcp6"):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            hex_host, hex_port = local.split(":")
            if state != "0A" or int(hex_port, 16) != port:
                continue
            raw = bytes.fromhex(hex_host)
            # /proc prints each 32-bit word in the host's byte order.
            words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4)) \
                if sys.byteorder == "little" else raw
            found.append(str(ipaddress.ip_address(words)))
    return found


def _interface_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (SIOCGIFADDR on each interface)."""
    out = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            try:
                reply = fcntl.ioctl(probe.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))
            except OSError:
                continue
            address = socket.inet_ntoa(reply[20:24])
            if not ipaddress.ip_address(address).is_loopback:
                out.append(address)
    return out


@pytest.fixture(scope="module")
def watched_app(serve, sample_store, tmp_path_factory):
    """(URL, audit records file, server log): the app as its config file sets it up, watched."""
    folder = tmp_path_factory.mktemp("closed-server")
    hooks = folder / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    records = folder / "net.jsonl"
    log = folder / "streamlit.log"
    python_path = os.pathsep.join(p for p in (str(hooks), os.environ.get("PYTHONPATH")) if p)
    env = {"PYTHONPATH": python_path, "MARSAD_NET_LOG": str(records)}
    for url in serve(sample_store, log, env=env,
                      flags={"server.address": None, "browser.gatherUsageStats": None}):
        yield url, records, log


def _records(path: Path) -> list[list]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_config_binds_loopback_and_sends_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False


def test_no_connection_leaves_the_machine_at_start_up_or_page_load(watched_app, page, requests_log):
    url, records, log = watched_app
    _open(page, url)
    _map(page)
    assert _count(page) > 0
    seen = _records(records)
    port = int(url.rsplit(":", 1)[1])
    # The hook is live: it saw the server bind its port.
    assert any(event == "socket.bind" and p == port for event, _, _, p in seen), seen[:20]
    outside = [r for r in seen if not _loopback(r[1], r[2])]
    assert not outside, f"the server reached beyond this machine: {outside}"
    assert "external IP" not in log.read_text()
    # Nor did the browser: every request went to the app (or stayed inside the page).
    assert requests_log
    assert all(r.startswith((url, "data:", "blob:", "about:")) for r in requests_log), \
        [r for r in requests_log if not r.startswith((url, "data:", "blob:", "about:"))]


def test_the_server_listens_on_loopback_only(watched_app):
    url, _, _ = watched_app
    port = int(url.rsplit(":", 1)[1])
    listening = _listening(port)
    assert listening and all(ipaddress.ip_address(a).is_loopback for a in listening), listening
    others = _interface_addresses()
    if not others:
        pytest.skip("this machine has no address but loopback to try")
    for address in others:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(ConnectionRefusedError):
            s.settimeout(3)
            s.connect((address, port))


def test_an_unhandled_error_shows_a_short_message_and_logs_the_traceback(serve, sample_store, tmp_path, browser):
    """A page that raises: the browser gets Streamlit's generic line, the log the traceback."""
    script = tmp_path / "boom.py"
    script.write_text("import streamlit as st\nst.write('before')\n"
                      "raise RuntimeError('secret detail at /srv/marsad/var/store.gpkg')\n", encoding="utf-8")
    log = tmp_path / "streamlit.log"
    for url in serve(sample_store, log, script=str(script),
                      flags={"server.address": None, "browser.gatherUsageStats": None}):
        context = browser.new_context()
        try:
            page = context.new_page()
            _open(page, url)
            error = page.get_by_test_id("stException")
            expect(error).to_have_count(1)
            shown = page.locator("body").inner_text()
            assert "encountered an error" in error.inner_text()
            assert "secret detail" not in shown and "RuntimeError" not in shown and "boom.py" not in shown
        finally:
            context.close()
    text = log.read_text()
    assert "Traceback" in text and "RuntimeError: secret detail at /srv/marsad/var/store.gpkg" in text
    assert "boom.py" in text
