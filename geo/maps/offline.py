"""Leaflet, jQuery and MarkerCluster from local copies, so a map makes no outside request.

folium's defaults load about ten files from CDNs; on a closed network the page
stays blank. The ``xstatic-*`` packages ship the same files, so we copy the few
we need under ``static/vendor/`` (Streamlit serves ``static/`` at
``/app/static/``), point every element's ``default_js``/``default_css`` there,
and drop what we never use (Bootstrap, awesome-markers, Font Awesome: our
symbols are drawn on a canvas, not with icon fonts). ``standalone_html``
inlines the same files for a single HTML file that works with no server.
"""

from __future__ import annotations

import base64
import importlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import folium
from branca.element import Element

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Asset:
    """One vendored file: where it comes from and where it lives under vendor/."""

    package: str
    source: str
    target: str


# Keyed by the names folium and its plugins give their default_js/default_css entries.
_ASSETS: dict[str, _Asset] = {
    "leaflet": _Asset("xstatic.pkg.leaflet", "leaflet.js", "leaflet/leaflet.js"),
    "leaflet_css": _Asset("xstatic.pkg.leaflet", "leaflet.css", "leaflet/leaflet.css"),
    "jquery": _Asset("xstatic.pkg.jquery", "jquery.min.js", "jquery/jquery.min.js"),
    "markerclusterjs": _Asset("xstatic.pkg.leaflet_markercluster", "leaflet.markercluster.js",
                              "leaflet-markercluster/leaflet.markercluster.js"),
    "markerclustercss": _Asset("xstatic.pkg.leaflet_markercluster", "MarkerCluster.css",
                               "leaflet-markercluster/MarkerCluster.css"),
    "markerclusterdefaultcss": _Asset("xstatic.pkg.leaflet_markercluster",
                                      "MarkerCluster.Default.css",
                                      "leaflet-markercluster/MarkerCluster.Default.css"),
}
# leaflet.css refers to these as url(images/...): they travel with it.
_LEAFLET_IMAGES = ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png",
                   "marker-shadow.png")
# What folium asks for but a Marsad map never needs (icons are drawn, not fonts).
_DROPPED = frozenset({
    "bootstrap", "bootstrap_css", "glyphicons_css", "awesome_markers", "awesome_markers_css",
    "awesome_markers_font_css", "awesome_rotate_css",
})
_SENTINEL = "marsad-inline-asset:/"


def _package_dir(module: str) -> Path:
    """The data directory of an installed xstatic package."""
    try:
        return Path(importlib.import_module(module).BASE_DIR)
    except ImportError as exc:
        raise RuntimeError(
            f"{module!r} is not installed; run scripts/setup.sh (requirements.txt lists it)"
        ) from exc


def _all_files() -> Iterator[tuple[Path, str]]:
    """(source file, path under vendor/) for every vendored file."""
    for asset in _ASSETS.values():
        yield _package_dir(asset.package) / asset.source, asset.target
    leaflet = _package_dir("xstatic.pkg.leaflet")
    for name in _LEAFLET_IMAGES:
        yield leaflet / "images" / name, f"leaflet/images/{name}"


def install_assets(static_dir: Path) -> Path:
    """Copy the vendored JS/CSS/images under ``static_dir/vendor``; return that folder.

    Idempotent and cheap when the files are already there (a size check per
    file). Each file is written to a temporary name and renamed, so two app
    processes starting at once never serve a half-written file.

    Parameters
    ----------
    static_dir : Path
        The folder Streamlit serves at ``/app/static`` (``static/`` in the repository).

    Returns
    -------
    Path
        ``static_dir / "vendor"``.

    Raises
    ------
    RuntimeError
        When an ``xstatic-*`` package is not installed.

    Examples
    --------
    >>> install_assets(Path("static"))  # doctest: +SKIP
    PosixPath('static/vendor')
    """
    vendor = Path(static_dir) / "vendor"
    for source, target in _all_files():
        dest = vendor / target
        size = source.stat().st_size
        if dest.is_file() and dest.stat().st_size == size:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
        os.close(fd)
        shutil.copyfile(source, tmp)
        os.replace(tmp, dest)
    return vendor


def _walk(element: Element) -> Iterator[Element]:
    """The element and every descendant."""
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _localize(entries: list[tuple[str, str]], base_url: str) -> list[tuple[str, str]]:
    """default_js/default_css entries pointed at base_url; unneeded ones dropped."""
    kept = []
    for name, url in entries:
        if name in _DROPPED:
            continue
        asset = _ASSETS.get(name)
        if asset is None:
            # A plugin we do not vendor: keep its URL so a browser with internet still works.
            logger.warning("no local copy of %r (%s); it will be fetched from the network",
                           name, url)
            kept.append((name, url))
        else:
            kept.append((name, base_url + asset.target))
    return kept


def use_local_assets(m: folium.Map, base_url: str) -> folium.Map:
    """Point the map's and every plugin's JS/CSS at local copies under ``base_url``.

    Parameters
    ----------
    m : folium.Map
        The map; changed in place (instance attributes shadow the class defaults).
    base_url : str
        Where ``install_assets``'s folder is served, e.g. ``"/app/static/vendor"``.
        Inside streamlit-folium's iframe a relative URL resolves against the
        component's own path, so the app passes an absolute path.

    Returns
    -------
    folium.Map
        The same map, for chaining.

    Examples
    --------
    >>> m = use_local_assets(folium.Map(tiles=None), "/app/static/vendor/")  # doctest: +SKIP
    """
    base = base_url if base_url.endswith("/") else base_url + "/"
    for element in _walk(m):
        for attr in ("default_js", "default_css"):
            entries = getattr(element, attr, None)
            if entries:
                setattr(element, attr, _localize(list(entries), base))
    return m


def _css_with_data_urls(css: str, folder: Path) -> str:
    """Inline the images a stylesheet refers to by relative url(...)."""
    def inline(match: re.Match) -> str:
        target = folder / match.group(1)
        if not target.is_file():
            return match.group(0)
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"
    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


def _inline_text(target: str) -> str:
    """The content of a vendored file, safe to put inside <script> or <style>."""
    for source, path in _all_files():
        if path == target:
            text = source.read_text(encoding="utf-8")
            if target.endswith(".css"):
                return _css_with_data_urls(text, source.parent).replace("</style", "<\\/style")
            return text.replace("</script", "<\\/script")
    raise KeyError(target)


def standalone_html(m: folium.Map) -> str:
    """The map as one HTML file with every JS/CSS inlined: works offline, with no server.

    The map is rendered with its assets pointed at a placeholder, then each
    ``<script src>``/``<link>`` naming a vendored file is replaced by its content.
    The map's own asset URLs are restored afterwards.

    Parameters
    ----------
    m : folium.Map

    Returns
    -------
    str
        A complete HTML document.

    Examples
    --------
    >>> html = standalone_html(build_event_map(events))  # doctest: +SKIP
    """
    saved = [(e, attr, e.__dict__[attr]) for e in _walk(m)
             for attr in ("default_js", "default_css") if attr in e.__dict__]
    try:
        use_local_assets(m, _SENTINEL)
        html = m.get_root().render()
    finally:
        for element in _walk(m):
            element.__dict__.pop("default_js", None)
            element.__dict__.pop("default_css", None)
        for element, attr, value in saved:
            setattr(element, attr, value)
    prefix = re.escape(_SENTINEL)
    html = re.sub(rf'<script src="{prefix}([^"]+)"></script>',
                  lambda mt: f"<script>{_inline_text(mt.group(1))}</script>", html)
    html = re.sub(rf'<link rel="stylesheet" href="{prefix}([^"]+)"\s*/>',
                  lambda mt: f"<style>{_inline_text(mt.group(1))}</style>", html)
    return html
