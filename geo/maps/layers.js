/* Marsad's event layers for Leaflet (loaded inline by geo/maps/layers.py; no other dependency
 * than Leaflet and, for clustered layers, Leaflet.markercluster).
 *
 * Why a small library instead of folium objects: one folium object per event is
 * far too slow at 100,000 events, and folium's popups and tooltips set innerHTML.
 * Here a layer's events arrive as compact data; every popup is built on click
 * with textContent, so nothing from an article is ever parsed as HTML.
 */
window.marsad = window.marsad || (function (L) {
  "use strict";

  var STYLE_ID = "marsad-style";
  var CSS = [
    ".leaflet-container.marsad-sea { background: #d4e4ee; }",
    ".marsad-popup { font: 13px/1.45 system-ui, sans-serif; max-width: 340px; }",
    ".marsad-popup .mp-type { font-weight: 600; }",
    ".marsad-popup .mp-denied { color: #b00020; font-weight: 600; }",
    ".marsad-popup .mp-row { margin: 2px 0; }",
    ".marsad-popup .mp-label { color: #555; }",
    ".marsad-popup bdi, .marsad-popup .mp-value { unicode-bidi: isolate; }",
    ".marsad-popup .mp-quote { direction: rtl; text-align: right; unicode-bidi: isolate;",
    "  margin: 6px 0 0; padding: 4px 8px; border-right: 3px solid #999;",
    "  font-size: 14px; line-height: 1.7; background: #fafafa; }",
    ".marsad-popup mark { background: #ffe08a; padding: 0 1px; }",
    ".marsad-legend { background: rgba(255,255,255,.92); padding: 6px 8px; border-radius: 4px;",
    "  font: 12px/1.5 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); }",
    ".marsad-legend svg, .marsad-key svg { vertical-align: middle; margin-right: 4px; }",
    ".marsad-label { pointer-events: none; }",
    ".marsad-label div { position: absolute; transform: translate(-50%, -2px); white-space: nowrap;",
    "  text-align: center; color: #333; text-shadow: 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }",
    ".marsad-label .ml-ar { display: block; direction: rtl; unicode-bidi: isolate;",
    "  font: 600 12px/1.2 system-ui, sans-serif; }",
    ".marsad-label .ml-en { display: block; font: 10px/1.2 system-ui, sans-serif; color: #555; }",
    ".marsad-label .ml-country .ml-ar { font-size: 14px; color: #666; letter-spacing: .02em; }",
    ".marsad-cluster div { border-radius: 50%; color: #fff; font: 600 12px/30px system-ui,",
    "  sans-serif; text-align: center; width: 30px; height: 30px; opacity: .85;",
    "  border: 2px solid rgba(255,255,255,.8); box-sizing: border-box; }"
  ].join("\n");

  function addStyle() {
    if (document.getElementById(STYLE_ID)) { return; }
    var style = document.createElement("style");
    style.id = STYLE_ID;
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  // --- symbols: squares, triangles and diamonds on the same canvas as circles -------------
  var SHAPES = {
    square: function (r) { return [[-r, -r], [r, -r], [r, r], [-r, r]]; },
    triangle: function (r) { return [[0, -1.2 * r], [1.1 * r, 0.8 * r], [-1.1 * r, 0.8 * r]]; },
    diamond: function (r) { return [[0, -1.3 * r], [1.3 * r, 0], [0, 1.3 * r], [-1.3 * r, 0]]; }
  };

  function pathOf(points, closed) {
    var d = "";
    for (var i = 0; i < points.length; i++) {
      d += (i ? "L" : "M") + points[i].x + " " + points[i].y;
    }
    return closed ? d + "z" : d;
  }

  var Symbol = L.CircleMarker.extend({
    _updatePath: function () {
      var shape = SHAPES[this.options.shape];
      if (!shape) { return L.CircleMarker.prototype._updatePath.call(this); }
      var r = this._renderer, p = this._point;
      var pts = shape(this._radius).map(function (d) { return L.point(p.x + d[0], p.y + d[1]); });
      if (r instanceof L.Canvas) {
        if (!r._drawing || this._empty()) { return; }
        var ctx = r._ctx;
        ctx.beginPath();
        for (var i = 0; i < pts.length; i++) {
          if (i) { ctx.lineTo(pts[i].x, pts[i].y); } else { ctx.moveTo(pts[i].x, pts[i].y); }
        }
        ctx.closePath();
        r._fillStroke(ctx, this);
      } else {
        r._setPath(this, pathOf(pts, true));
      }
    }
  });

  // A polyline that draws an arrowhead (two short strokes) at its last vertex, in pixels,
  // so it keeps its size at every zoom and needs no decorator plugin.
  var Arrow = L.Polyline.extend({
    _updatePath: function () {
      var parts = this._parts, rings = this._rings;
      var part = parts[parts.length - 1], ring = rings[rings.length - 1];
      if (part && ring && part.length > 1) {
        var b = part[part.length - 1], end = ring[ring.length - 1];
        var a = part[part.length - 2];
        var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy);
        // Only when the true end is on screen (not a point where the line was clipped).
        if (len > 0 && Math.abs(b.x - end.x) < 1 && Math.abs(b.y - end.y) < 1) {
          var s = 7 + 2 * (this.options.weight || 2), ux = dx / len, uy = dy / len;
          var left = L.point(b.x - s * ux + 0.6 * s * uy, b.y - s * uy - 0.6 * s * ux);
          var right = L.point(b.x - s * ux - 0.6 * s * uy, b.y - s * uy + 0.6 * s * ux);
          this._parts = parts.concat([[left, b, right]]);
          L.Polyline.prototype._updatePath.call(this);
          this._parts = parts;
          return;
        }
      }
      L.Polyline.prototype._updatePath.call(this);
    }
  });

  // --- popups: built on click from the layer's columns, with textContent only ----------
  // The same rules as geo/maps/style.py (_quote_segments, _popup_record): bidi controls
  // dropped from the quote, place names highlighted, long quotes cut.
  var UNSAFE = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
  var QUOTE_MAX = 600;

  // spans: [start, end] relative to the quote (the layer data already shifted them).
  function segments(quote, spans) {
    if (!quote) { return []; }
    var size = quote.length, clipped = [];
    spans.forEach(function (span) {
      if (span[0] < size && span[1] > 0) { clipped.push([Math.max(span[0], 0), Math.min(span[1], size)]); }
    });
    clipped.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var pieces = [], cursor = 0;
    clipped.forEach(function (span) {
      if (span[1] <= cursor) { return; }
      var s = Math.max(span[0], cursor);
      pieces.push(quote.slice(cursor, s), quote.slice(s, span[1]));
      cursor = span[1];
    });
    pieces.push(quote.slice(cursor));
    pieces = pieces.map(function (piece) { return piece.replace(UNSAFE, ""); });
    var total = pieces.reduce(function (n, piece) { return n + piece.length; }, 0);
    if (total > QUOTE_MAX) {
      var out = [], used = 0;
      for (var i = 0; i < pieces.length; i++) {
        if (used + pieces[i].length > QUOTE_MAX) {
          out.push(pieces[i].slice(0, QUOTE_MAX - used) + "\u2026");
          if (i % 2) { out.push(""); }
          break;
        }
        out.push(pieces[i]);
        used += pieces[i].length;
      }
      pieces = out;
    }
    return pieces.some(Boolean) ? pieces : [];
  }

  // [id, type label, actors, date, date precision, places [[name, role, precision]],
  //  speaker, speaker role, source type, cited outlet, publisher, url, quote pieces,
  //  modality label: denied, planned, attempted, alleged or "", counts («killed 18 · fighters ~700»)]
  // Strings come from the layer's table (spec.s), cleaned in Python once each.
  // The popups' columns sit in a JSON block of their own (popupId), parsed at the first popup.
  function columns(spec) {
    if (!spec.pop) {
      var block = spec.popupId && document.getElementById(spec.popupId);
      spec.pop = block ? JSON.parse(block.textContent) : spec;
    }
    return spec.pop;
  }

  function record(spec, i) {
    var P = columns(spec);
    var S = spec.s || [], flat = P.pl[i] || [], places = [], spans = [];
    for (var k = 0; k + 4 < flat.length; k += 5) {
      places.push([S[flat[k]] || "unnamed place", S[flat[k + 1]], flat[k + 2] ? String(flat[k + 2]) : "unknown"]);
      if (typeof flat[k + 3] === "number" && typeof flat[k + 4] === "number") {
        spans.push([flat[k + 3], flat[k + 4]]);
      }
    }
    return [
      spec.id[i], spec.label,
      (P.ac[i] || []).map(function (j) { return S[j]; }).filter(Boolean),
      S[P.d[i]], S[P.dp[i]], places,
      S[P.sp[i]], S[P.sr[i]], S[P.st[i]], S[P.co[i]], S[P.pu[i]], S[P.u[i]],
      segments(P.q[i], spans), P.de[i], P.n ? S[P.n[i]] : ""
    ];
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function row(parent, label, value) {
    var div = el("div", "mp-row");
    div.appendChild(el("span", "mp-label", label + ": "));
    if (typeof value === "string") {
      div.appendChild(el("bdi", "mp-value", value));
    } else {
      div.appendChild(value);
    }
    parent.appendChild(div);
    return div;
  }

  function isLink(url) { return /^https?:\/\/[^\s]+$/i.test(url); }

  function popup(rec) {
    var root = el("div", "marsad-popup");
    root.setAttribute("data-event-id", rec[0]);
    var head = el("div", "mp-row");
    head.appendChild(el("span", "mp-type", rec[1]));
    if (rec[13]) { head.appendChild(document.createTextNode(" · ")); head.appendChild(el("span", "mp-denied", String(rec[13]))); }
    root.appendChild(head);
    if (rec[2].length) {
      var actors = el("span");
      rec[2].forEach(function (a, i) {
        if (i) { actors.appendChild(document.createTextNode(", ")); }
        actors.appendChild(el("bdi", null, a));
      });
      row(root, "Actors", actors);
    }
    row(root, "Date", rec[3] + " (" + rec[4] + ")");
    if (rec[14]) { row(root, "Counts", rec[14]); }
    if (rec[5].length) {
      var places = el("span");
      rec[5].forEach(function (p, i) {
        if (i) { places.appendChild(document.createTextNode("; ")); }
        places.appendChild(el("bdi", null, p[0]));
        places.appendChild(document.createTextNode(" (" + p[1] + ", precision " + p[2] + ")"));
      });
      row(root, "Places", places);
    }
    var source = el("span");
    var who = [rec[6], rec[7]].filter(Boolean);
    if (who.length) { source.appendChild(el("bdi", null, who.join(", "))); } else { source.appendChild(el("span", null, rec[8])); }
    if (rec[9]) { source.appendChild(document.createTextNode(" to ")); source.appendChild(el("bdi", null, rec[9])); }
    if (rec[10]) { source.appendChild(document.createTextNode(", published by ")); source.appendChild(el("bdi", null, rec[10])); }
    row(root, "Source", source);
    if (rec[11]) {
      var link;
      if (isLink(rec[11])) {
        link = el("a", null, rec[11]);
        link.href = rec[11];
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      } else {
        link = el("bdi", null, rec[11]);
      }
      row(root, "Link", link);
    }
    if (rec[12].length) {
      var quote = el("blockquote", "mp-quote");
      quote.setAttribute("dir", "rtl");
      quote.setAttribute("lang", "ar");
      rec[12].forEach(function (text, i) {
        if (!text) { return; }
        quote.appendChild(i % 2 ? el("mark", null, text) : document.createTextNode(text));
      });
      root.appendChild(quote);
    }
    return root;
  }

  // --- layers -----------------------------------------------------------------------------
  // Reference layers get a canvas per pane. Every event layer shares ONE canvas: a canvas
  // takes every click over its whole extent, so with a canvas per event type the top one
  // (points) swallowed the clicks meant for lines and areas below it. On one canvas Leaflet
  // hit-tests all event features together and the topmost one drawn there wins: points
  // (added last) over lines over areas.
  var EVENTS_PANE = "marsad-events";
  var renderers = {};
  function pane(map, name, zIndex) {
    if (!map.getPane(name)) { map.createPane(name).style.zIndex = zIndex; }
    var key = L.stamp(map) + ":" + name;
    if (!renderers[key]) { renderers[key] = L.canvas({pane: name}); }
    return renderers[key];
  }

  function setup(map) {
    addStyle();
    L.DomUtil.addClass(map.getContainer(), "marsad-sea");
    pane(map, "marsad-basemap", 250);
    pane(map, "marsad-reference", 350);
    pane(map, EVENTS_PANE, 420);
    map._marsad = map._marsad || {records: {}, layers: {}};
    return map._marsad;
  }

  // On the shared canvas, what is drawn later is on top and takes the click. Layers come one
  // event type after another, so a later type's lines would cover an earlier type's points:
  // after each type is added, lines are raised above areas and points above both.
  function raise(map) {
    var records = map._marsad.records, lines = [], points = [];
    for (var id in records) {
      var layer = records[id].layer;
      if (!layer._map || !(layer instanceof L.Path)) { continue; }
      if (layer.getLatLng) { points.push(layer); } else if (!(layer instanceof L.Polygon)) { lines.push(layer); }
    }
    lines.forEach(function (layer) { layer.bringToFront(); });
    points.forEach(function (layer) { layer.bringToFront(); });
  }

  function clusterIcon(color) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var div = el("div", null, count > 9999 ? Math.round(count / 1000) + "k" : count);
      div.style.background = color;
      var wrap = el("div");
      wrap.appendChild(div);
      return L.divIcon({html: wrap.innerHTML, className: "marsad-cluster", iconSize: L.point(30, 30)});
    };
  }

  function strings(map, table) {
    setup(map).strings = table;
  }

  // Geometry columns (geo/maps/layers.py _geometry_columns): kind k (0 point, 1 line, 2 polygon,
  // 3 GeoJSON in x), coordinate count n, and c: every (x, y) in 1e-5 degrees as the step
  // from the one before.
  var SCALE = 1e5;

  function eventLayer(map, spec, popupId) {
    var state = setup(map);
    spec.s = state.strings || [];
    spec.popupId = popupId;
    var st = spec.style, count = spec.k.length, layers = new Array(count);
    var events = pane(map, EVENTS_PANE), c = spec.c, cursor = 0, x = 0, y = 0, extra = {};
    (spec.x || []).forEach(function (pair) { extra[pair[0]] = pair[1]; });
    var lineOpts = {renderer: events, pane: EVENTS_PANE, color: st.color, weight: st.weight,
                    opacity: 0.9, dashArray: st.dash || null};
    var Line = st.arrow ? Arrow : L.Polyline;
    function vertices(n) {
      var out = new Array(n);
      for (var v = 0; v < n; v++) {
        x += c[cursor++];
        y += c[cursor++];
        out[v] = L.latLng(y / SCALE, x / SCALE);
      }
      return out;
    }
    // A region (precision 3) is an outline, so the points and lines over it read; a claim not
    // held as fact (denied, planned, attempted, alleged) is dotted, and its symbol hollow.
    var heldLine = L.extend({}, lineOpts, {dashArray: "2 6", opacity: 0.75});
    function area(latlngs, opacity, precision, held) {
      var regional = precision === 3;
      return L.polygon(latlngs, {
        renderer: events, pane: EVENTS_PANE, color: st.color, weight: regional || held ? 1.6 : 1,
        opacity: 0.8, dashArray: held ? "2 4" : regional ? "6 4" : null,
        fillColor: st.color, fillOpacity: regional ? 0 : held ? opacity / 2 : opacity
      });
    }
    for (var i = 0; i < count; i++) {
      var kind = spec.k[i], precision = spec.p[i], layer, opacity = spec.opacity[precision] || spec.opacity[0];
      var held = spec.h ? spec.h[i] === 1 : false;
      if (kind === 0) {
        layer = new Symbol(vertices(1)[0], {
          renderer: events, pane: EVENTS_PANE, shape: st.shape, radius: st.radius,
          color: held ? st.color : st.stroke, weight: held ? 2 : 1.5, fillColor: st.color,
          fillOpacity: held ? 0.15 : 0.9
        });
      } else if (kind === 1) {
        layer = new Line(vertices(spec.n[i]), held ? heldLine : lineOpts);
      } else if (kind === 2) {
        layer = area(vertices(spec.n[i]), opacity, precision, held);
      } else {
        var g = extra[i];
        if (g.type === "MultiLineString") {
          layer = new Line(L.GeoJSON.coordsToLatLngs(g.coordinates, 1), held ? heldLine : lineOpts);
        } else if (g.type === "Polygon" || g.type === "MultiPolygon") {
          layer = area(L.GeoJSON.coordsToLatLngs(g.coordinates, g.type === "Polygon" ? 1 : 2), opacity,
                       precision, held);
        } else {
          layer = L.geoJSON(g, {style: {color: st.color}, pointToLayer: function (f, ll) {
            return L.circleMarker(ll, {renderer: events, pane: EVENTS_PANE, radius: st.radius, color: st.color});
          }});
        }
      }
      layer.feature = {type: "Feature", properties: {id: spec.id[i], type: spec.type, precision: precision}};
      layer._marsadIndex = i;
      layers[i] = layer;
      state.records[spec.id[i]] = {spec: spec, index: i, layer: layer};
    }
    var group;
    if (spec.cluster && L.markerClusterGroup) {
      group = L.markerClusterGroup({
        showCoverageOnHover: false, spiderfyOnMaxZoom: false, animate: false, disableClusteringAtZoom: 11,
        maxClusterRadius: 45, iconCreateFunction: clusterIcon(st.color)
      });
      // On the map first: MarkerCluster's addLayers without a map checks each new marker
      // against every queued one (quadratic); with a map it clusters in one pass.
      group.addTo(map);
      group.addLayers(layers, true);
      raise(map);
    } else {
      group = L.featureGroup(layers);
    }
    group.on("add", function () { raise(map); });
    group.on("click", function (e) {
      var layer = e.layer || e.sourceTarget;
      if (!layer || layer._marsadIndex === undefined) { return; }
      L.popup({maxWidth: 360}).setLatLng(e.latlng).setContent(popup(record(spec, layer._marsadIndex))).openOn(map);
    });
    state.layers[spec.type] = group;
    return group;
  }

  function referenceLayer(map, data, options) {
    setup(map);
    var renderer = pane(map, options.pane);
    return L.geoJSON(data, {
      interactive: false, pane: options.pane, renderer: renderer,
      style: function () { return options.style; }
    });
  }

  // Place names on the offline basemap, Arabic over Latin, each from the zoom its importance
  // earns (data: [lat, lon, arabic, latin, minZoom, maxZoom, isCountry]); text set with
  // textContent, never parsed as HTML.
  function labels(map, data) {
    setup(map);
    if (!map.getPane("marsad-labels")) {
      var p = map.createPane("marsad-labels");
      p.style.zIndex = 360;
      p.style.pointerEvents = "none";
    }
    var group = L.layerGroup(), entries = data.map(function (d) {
      var box = el("div", d[6] ? "ml-country" : null);
      if (d[2]) { box.appendChild(el("span", "ml-ar", d[2])); }
      if (d[3]) { box.appendChild(el("span", "ml-en", d[3])); }
      var wrap = el("div");
      wrap.appendChild(box);
      var icon = L.divIcon({className: "marsad-label", html: wrap.innerHTML, iconSize: null});
      return {min: d[4], max: d[5], marker: L.marker([d[0], d[1]], {
        icon: icon, pane: "marsad-labels", interactive: false, keyboard: false})};
    });
    function update() {
      if (!group._map) { return; }
      var z = map.getZoom();
      entries.forEach(function (e) {
        var on = z >= e.min && z <= e.max;
        if (on !== group.hasLayer(e.marker)) { if (on) { group.addLayer(e.marker); } else { group.removeLayer(e.marker); } }
      });
    }
    map.on("zoomend", update);
    group.on("add", update);
    return group;
  }

  function legend(map, html, position) {
    var control = L.control({position: position || "bottomleft"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "marsad-legend");
      div.innerHTML = html;  // built by geo.maps.legend_html from constants, never from articles
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return control.addTo(map);
  }

  // Opens an event's popup, as a click on it would (exports and tests; the app's selection
  // ring is drawn by the page, so selecting a row never rebuilds the map).
  function select(map, id) {
    var hit = setup(map).records[id];
    if (!hit) { return null; }
    var layer = hit.layer;
    var at = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
    return L.popup({maxWidth: 360, autoPan: false}).setLatLng(at)
      .setContent(popup(record(hit.spec, hit.index))).openOn(map);
  }

  function ready(map) {
    // Two frames: Leaflet's canvas renderers redraw on the next animation frame.
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { window.marsadDrawn = performance.now(); });
    });
  }

  return {eventLayer: eventLayer, referenceLayer: referenceLayer, labels: labels, legend: legend,
          select: select, popup: popup, record: record, ready: ready, setup: setup,
          strings: strings};
})(window.L);
