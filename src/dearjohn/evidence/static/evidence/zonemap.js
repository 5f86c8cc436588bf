// Zone map: zones and cameras drawn as SVG over a plain coordinate grid (no
// map tiles: the program may run without internet). On the zone form it is
// an editor: click to add a corner, drag to move one, double-click to remove
// one; the GeoJSON textarea and the drawing stay in step both ways.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var W = 800, H = 500, PAD = 40;

  function svgEl(tag, attrs) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function rings(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return [geometry.coordinates[0]];
    if (geometry.type === "MultiPolygon") return geometry.coordinates.map(function (p) { return p[0]; });
    return [];
  }

  function parseEdited(textarea) {
    try {
      var g = JSON.parse(textarea.value);
      var ring = rings(g)[0] || [];
      ring = ring.slice(0, ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? -1 : undefined);
      return ring.map(function (p) { return [Number(p[0]), Number(p[1])]; });
    } catch (e) {
      return null;
    }
  }

  function niceStep(span) {
    var raw = span / 6, pow = Math.pow(10, Math.floor(Math.log10(raw)));
    var n = raw / pow;
    return (n < 2 ? 1 : n < 5 ? 2 : 5) * pow;
  }

  function setup(box) {
    var data = JSON.parse(document.getElementById(box.dataset.source).textContent);
    var textarea = box.dataset.edit ? document.getElementById(box.dataset.edit) : null;
    var vertices = textarea ? (parseEdited(textarea) || []) : null;

    var pts = [];
    data.zones.forEach(function (z) { rings(z.boundary).forEach(function (r) { pts = pts.concat(r); }); });
    data.cameras.forEach(function (c) { pts.push([c.lon, c.lat]); });
    if (vertices) pts = pts.concat(vertices);
    var minX = 180, maxX = -180, minY = 90, maxY = -90;
    pts.forEach(function (p) { minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]); minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]); });
    if (!pts.length) { minX = -0.01; maxX = 0.01; minY = -0.01; maxY = 0.01; }
    var span = Math.max(maxX - minX, maxY - minY, 0.002);
    var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    var kx = Math.cos(cy * Math.PI / 180);
    var scale = Math.min((W - 2 * PAD) / (Math.max(maxX - minX, span * 0.3) * kx), (H - 2 * PAD) / Math.max(maxY - minY, span * 0.3));

    function toXY(p) { return [W / 2 + (p[0] - cx) * kx * scale, H / 2 - (p[1] - cy) * scale]; }
    function toLonLat(x, y) { return [cx + (x - W / 2) / (kx * scale), cy - (y - H / 2) / scale]; }

    var svg = svgEl("svg", { viewBox: "0 0 " + W + " " + H });
    var grid = svgEl("g", { "class": "grid" });
    var tl = toLonLat(0, 0), br = toLonLat(W, H);
    var step = niceStep(Math.max(br[0] - tl[0], tl[1] - br[1]));
    var decimals = Math.max(0, -Math.floor(Math.log10(step)));
    for (var lon = Math.ceil(tl[0] / step) * step; lon < br[0]; lon += step) {
      var x = toXY([lon, cy])[0];
      grid.appendChild(svgEl("line", { x1: x, y1: 0, x2: x, y2: H }));
      var t = svgEl("text", { x: x + 2, y: H - 4 }); t.textContent = lon.toFixed(decimals); grid.appendChild(t);
    }
    for (var lat = Math.ceil(br[1] / step) * step; lat < tl[1]; lat += step) {
      var y = toXY([cx, lat])[1];
      grid.appendChild(svgEl("line", { x1: 0, y1: y, x2: W, y2: y }));
      var u = svgEl("text", { x: 2, y: y - 2 }); u.textContent = lat.toFixed(decimals); grid.appendChild(u);
    }
    svg.appendChild(grid);

    data.zones.forEach(function (z) {
      rings(z.boundary).forEach(function (r) {
        svg.appendChild(svgEl("polygon", { "class": "other", points: r.map(function (p) { return toXY(p).join(","); }).join(" ") }));
        var c = toXY(r[0]);
        var label = svgEl("text", { "class": "label", x: c[0] + 4, y: c[1] - 4 }); label.textContent = z.name; svg.appendChild(label);
      });
    });
    data.cameras.forEach(function (c) {
      var p = toXY([c.lon, c.lat]);
      var dot = svgEl("circle", { "class": "camera", cx: p[0], cy: p[1], r: 5 });
      var title = svgEl("title"); title.textContent = "Camera: " + c.name; dot.appendChild(title);
      svg.appendChild(dot);
    });
    box.appendChild(svg);
    if (!textarea) return;

    var shape = svgEl("polygon", { "class": "shape" });
    var handles = svgEl("g");
    svg.appendChild(shape);
    svg.appendChild(handles);
    var dragging = -1;

    function svgPoint(event) {
      var pt = svg.createSVGPoint();
      pt.x = event.clientX; pt.y = event.clientY;
      var m = pt.matrixTransform(svg.getScreenCTM().inverse());
      return [m.x, m.y];
    }

    function write() {
      if (vertices.length < 3) { textarea.value = ""; return; }
      var ring = vertices.map(function (v) { return [Number(v[0].toFixed(7)), Number(v[1].toFixed(7))]; });
      ring.push(ring[0]);
      textarea.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    }

    function draw() {
      shape.setAttribute("points", vertices.map(function (v) { return toXY(v).join(","); }).join(" "));
      while (handles.firstChild) handles.removeChild(handles.firstChild);
      vertices.forEach(function (v, i) {
        var p = toXY(v);
        var h = svgEl("circle", { "class": "vertex", cx: p[0], cy: p[1], r: 7, "data-index": i, tabindex: 0 });
        var title = svgEl("title"); title.textContent = "Corner " + (i + 1) + ": " + v[1].toFixed(6) + ", " + v[0].toFixed(6); h.appendChild(title);
        handles.appendChild(h);
      });
    }

    function insertAt(p) {
      if (vertices.length < 3) return vertices.length;
      var best = 0, bestD = Infinity;
      for (var i = 0; i < vertices.length; i++) {
        var a = toXY(vertices[i]), b = toXY(vertices[(i + 1) % vertices.length]);
        var dx = b[0] - a[0], dy = b[1] - a[1];
        var t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy || 1)));
        var d = Math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
        if (d < bestD) { bestD = d; best = i + 1; }
      }
      return best;
    }

    svg.addEventListener("pointerdown", function (e) {
      if (e.target.classList.contains("vertex")) {
        dragging = Number(e.target.getAttribute("data-index"));
        svg.setPointerCapture(e.pointerId);
        e.preventDefault();
      }
    });
    svg.addEventListener("pointermove", function (e) {
      if (dragging < 0) return;
      var p = svgPoint(e);
      vertices[dragging] = toLonLat(p[0], p[1]);
      draw();
    });
    svg.addEventListener("pointerup", function () {
      if (dragging >= 0) { dragging = -1; write(); }
    });
    svg.addEventListener("click", function (e) {
      if (e.target.classList.contains("vertex")) return;
      var p = svgPoint(e);
      vertices.splice(insertAt(p), 0, toLonLat(p[0], p[1]));
      draw(); write();
    });
    svg.addEventListener("dblclick", function (e) {
      if (!e.target.classList.contains("vertex")) return;
      vertices.splice(Number(e.target.getAttribute("data-index")), 1);
      draw(); write();
    });
    textarea.addEventListener("input", function () {
      var parsed = parseEdited(textarea);
      if (parsed) { vertices = parsed; draw(); }
    });
    var clear = document.querySelector("[data-clear]");
    if (clear) clear.addEventListener("click", function () { vertices = []; draw(); write(); });
    draw();
  }

  document.querySelectorAll("[data-zonemap]").forEach(setup);
})();
