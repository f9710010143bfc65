
// Large point layers (app/core/export/webmap/points.py): quantised coordinates, class
// indices and compressed names arrive as typed arrays and are drawn on one canvas per
// layer by this script, not as one SVG element per point. A click finds the point under
// it; its popup is built with textContent (the names are data, never HTML).
var InnoPoints = (function () {
  var D2R = Math.PI / 180, MAXLAT = 85.0511287798, PAD = 0.1, SLOP = 3;
  function bytes(b64) {
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }
  // One quantised axis back in degrees: o + q * d (little-endian integers).
  function axis(a) {
    var raw = bytes(a.q);
    var q = a.b === 32 ? new Uint32Array(raw.buffer) : new Uint16Array(raw.buffer);
    var out = new Float64Array(q.length);
    for (var i = 0; i < q.length; i++) { out[i] = a.o + q[i] * a.d; }
    return out;
  }
  // The names (gzip, base64) inflated by the browser itself; null without any.
  function inflate(b64) {
    if (!b64 || typeof DecompressionStream === "undefined") { return Promise.resolve(null); }
    var stream = new Blob([bytes(b64)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(function (t) { return t.split("\n"); },
                                            function () { return null; });
  }
  function hex(c) { return /^#[0-9a-fA-F]{6}$/.test(c) ? c : null; }
  // A class's marker as pixels, drawn once on a small canvas as Leaflet would draw it:
  // offsets from the centre and RGBA, for the point loop to blend.
  function stamp(st, dpr) {
    var r = st.radius, w = st.stroke ? st.weight : 0, half = Math.ceil((r * 1.2 + w) * dpr) + 1;
    var size = 2 * half + 1, c = document.createElement("canvas");
    c.width = c.height = size;
    var ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, (half + 0.5), (half + 0.5));
    ctx.beginPath();
    if (st.marker === "square") {
      ctx.rect(-r, -r, 2 * r, 2 * r);
    } else if (st.marker === "triangle") {
      ctx.moveTo(0, -r * 1.15); ctx.lineTo(r, r * 0.85); ctx.lineTo(-r, r * 0.85);
      ctx.closePath();
    } else if (st.marker === "diamond") {
      ctx.moveTo(0, -r); ctx.lineTo(r, 0); ctx.lineTo(0, r); ctx.lineTo(-r, 0); ctx.closePath();
    } else {
      ctx.arc(0, 0, r, 0, 2 * Math.PI);
    }
    if (st.fill) {
      ctx.globalAlpha = st.fillOpacity;
      ctx.fillStyle = hex(st.fillColor) || hex(st.color) || "#000000";
      ctx.fill();
    }
    if (st.stroke && w > 0) {
      ctx.globalAlpha = st.opacity;
      ctx.strokeStyle = hex(st.color) || "#000000";
      ctx.lineWidth = w;
      ctx.stroke();
    }
    var px = ctx.getImageData(0, 0, size, size).data, dx = [], dy = [], rgba = [];
    for (var y = 0; y < size; y++) {
      for (var x = 0; x < size; x++) {
        var k = 4 * (y * size + x);
        if (px[k + 3] === 0) { continue; }
        dx.push(x - half); dy.push(y - half);
        rgba.push(px[k], px[k + 1], px[k + 2], px[k + 3]);
      }
    }
    return {dx: Int16Array.from(dx), dy: Int16Array.from(dy), rgba: Uint8Array.from(rgba),
            half: half, reach: (r * 1.2 + w / 2) + SLOP};
  }

  // One marker pixel (RGBA at rgba[k4]) over the image's pixel at d[at] (source-over,
  // straight alpha as ImageData holds it).
  function blend(d, at, rgba, k4) {
    var a = rgba[k4 + 3];
    if (a === 255 || d[at + 3] === 0) {
      d[at] = rgba[k4]; d[at + 1] = rgba[k4 + 1]; d[at + 2] = rgba[k4 + 2]; d[at + 3] = a;
      return;
    }
    var sa = a / 255, keep = (d[at + 3] / 255) * (1 - sa), oa = sa + keep;
    d[at] = (rgba[k4] * sa + d[at] * keep) / oa;
    d[at + 1] = (rgba[k4 + 1] * sa + d[at + 1] * keep) / oa;
    d[at + 2] = (rgba[k4 + 2] * sa + d[at + 2] * keep) / oa;
    d[at + 3] = oa * 255;
  }

  var Layer = L.Layer.extend({
    initialize: function (lay, pane) {
      L.setOptions(this, {pane: pane});
      var P = lay.points, n = P.n;
      this._lay = lay;
      this.n = n;
      this._lon = axis(P.lon);
      this._lat = axis(P.lat);
      this._mx = new Float64Array(n);
      this._my = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        var lat = Math.max(Math.min(this._lat[i], MAXLAT), -MAXLAT), s = Math.sin(lat * D2R);
        this._mx[i] = 256 * (this._lon[i] / 360 + 0.5);
        this._my[i] = 256 * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI));
      }
      var codes = P.s ? bytes(P.s) : null;
      this._s = codes && P.sb === 16 ? new Uint16Array(codes.buffer) : codes;
      this._names = null;
      var self = this;
      this.ready = inflate(P.names).then(function (names) { self._names = names; });
      this._bounds = L.latLngBounds([P.lat.o, P.lon.o], [
        P.lat.o + P.lat.d * (P.lat.b === 32 ? 4294967295 : 65535),
        P.lon.o + P.lon.d * (P.lon.b === 32 ? 4294967295 : 65535)]);
    },
    getBounds: function () { return this._bounds; },
    getEvents: function () {
      var events = {viewreset: this._reset, moveend: this._reset, resize: this._reset};
      if (this._zoomAnimated) { events.zoomanim = this._animateZoom; }
      return events;
    },
    onAdd: function () {
      var c = this._canvas = L.DomUtil.create("canvas", "inno-points leaflet-zoom-animated");
      c.style.pointerEvents = "none";
      c.setAttribute("data-inno-points", String(this.n));
      c.setAttribute("data-layer", this._lay.name);
      this.getPane().appendChild(c);
      this._reset();
    },
    onRemove: function () {
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
    },
    _animateZoom: function (e) {
      if (!this._view) { return; }
      var scale = this._map.getZoomScale(e.zoom);
      var offset = this._map._latLngBoundsToNewLayerBounds(this._view, e.zoom, e.center).min;
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },
    // The canvas covers the view and a margin (so that a pan shows points at once). It
    // is placed and drawn in one animation frame, however many view events come
    // (fitBounds sends several), so that it never shows old points at a new place.
    _reset: function () {
      if (this._frame) { return; }
      var self = this;
      this._frame = L.Util.requestAnimFrame(function () {
        self._frame = null;
        if (self._canvas && self._map) { self._place(); }
      });
    },
    _place: function () {
      var map = this._map, size = map.getSize(), pad = size.multiplyBy(PAD).round();
      var topLeft = map.containerPointToLayerPoint([-pad.x, -pad.y]);
      var full = size.add(pad.multiplyBy(2)), dpr = window.devicePixelRatio || 1, c = this._canvas;
      L.DomUtil.setPosition(c, topLeft);
      this._view = L.latLngBounds(map.layerPointToLatLng(topLeft),
                                  map.layerPointToLatLng(topLeft.add(full)));
      c.width = Math.round(full.x * dpr);
      c.height = Math.round(full.y * dpr);
      c.style.width = full.x + "px";
      c.style.height = full.y + "px";
      this._pad = pad;
      this._draw(dpr);
    },
    // Screen position of point i: its zoom-0 pixel times 2^zoom minus this offset.
    _offset: function () {
      var map = this._map, origin = map.getPixelOrigin();
      var pane = map.layerPointToContainerPoint([0, 0]);
      return {f: Math.pow(2, map.getZoom()), x: origin.x - pane.x, y: origin.y - pane.y};
    },
    _stamps: function (dpr) {
      if (!this._stampCache || this._stampDpr !== dpr) {
        this._stampCache = this._lay.styles.map(function (st) { return stamp(st, dpr); });
        this._stampDpr = dpr;
      }
      return this._stampCache;
    },
    // Every point blended into one ImageData (source-over), in the layer's order.
    _draw: function (dpr) {
      var c = this._canvas, W = c.width, H = c.height, ctx = c.getContext("2d");
      var image = ctx.createImageData(W, H), d = image.data, stamps = this._stamps(dpr);
      var o = this._offset(), f = o.f * dpr;
      var ox = (o.x - this._pad.x) * dpr, oy = (o.y - this._pad.y) * dpr;
      var mx = this._mx, my = this._my, codes = this._s, drawn = 0;
      // each marker's pixels as offsets into the image (for points away from its edges)
      var offsets = stamps.map(function (st) {
        var out = new Int32Array(st.dx.length);
        for (var k = 0; k < out.length; k++) { out[k] = 4 * (st.dy[k] * W + st.dx[k]); }
        return out;
      });
      for (var i = 0; i < this.n; i++) {
        var s = codes ? codes[i] : 0, st = stamps[s];
        if (!st) { continue; }
        var px = Math.round(mx[i] * f - ox), py = Math.round(my[i] * f - oy), h = st.half;
        if (px < -h || py < -h || px >= W + h || py >= H + h) { continue; }
        drawn++;
        var rgba = st.rgba, count = st.dx.length, k;
        if (px >= h && py >= h && px < W - h && py < H - h) {
          var base = 4 * (py * W + px), off = offsets[s];
          for (k = 0; k < count; k++) { blend(d, base + off[k], rgba, 4 * k); }
          continue;
        }
        for (k = 0; k < count; k++) {  // near an edge: the pixels inside only
          var x = px + st.dx[k], y = py + st.dy[k];
          if (x >= 0 && y >= 0 && x < W && y < H) { blend(d, 4 * (y * W + x), rgba, 4 * k); }
        }
      }
      ctx.putImageData(image, 0, 0);
      c.setAttribute("data-inno-drawn", String(drawn));
    },
    // The index of the topmost point under a container point, or -1.
    hit: function (point) {
      var o = this._offset(), f = o.f, stamps = this._stamps(window.devicePixelRatio || 1);
      var mx = this._mx, my = this._my, codes = this._s, lim = 0;
      stamps.forEach(function (st) { lim = Math.max(lim, st.reach); });
      for (var i = this.n - 1; i >= 0; i--) {
        var dx = mx[i] * f - o.x - point.x;
        if (dx > lim || dx < -lim) { continue; }
        var dy = my[i] * f - o.y - point.y, st = stamps[codes ? codes[i] : 0];
        if (st && dx * dx + dy * dy <= st.reach * st.reach) { return i; }
      }
      return -1;
    },
    latLngOf: function (i) { return L.latLng(this._lat[i], this._lon[i]); },
    // The popup of point i: the layer's title, the point's name and its class, as text.
    popupNode: function (i) {
      var lay = this._lay, st = lay.styles[this._s ? this._s[i] : 0] || {};
      var box = document.createElement("div"), head = document.createElement("div");
      box.className = "inno-popup";
      head.className = "inno-popup-layer";
      head.textContent = lay.title;
      box.appendChild(head);
      var name = this._names && this._names[i];
      if (name) {
        var b = document.createElement("b");
        b.textContent = name;
        box.appendChild(b);
      }
      if (st.label && lay.styles.length > 1) {
        var row = document.createElement("div");
        row.textContent = st.label;
        box.appendChild(row);
      }
      return box;
    }
  });
  return {Layer: Layer};
})();
