
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
    // each pixel premultiplied and packed as the image's 32-bit words hold it (little-
    // endian RGBA), with what is kept of the pixel below it (255 - alpha)
    var count = dx.length, src = new Int32Array(count), keep = new Int32Array(count);
    for (var j = 0; j < count; j++) {
      var a = rgba[4 * j + 3];
      src[j] = (Math.round(rgba[4 * j] * a / 255) | (Math.round(rgba[4 * j + 1] * a / 255) << 8)
        | (Math.round(rgba[4 * j + 2] * a / 255) << 16) | (a << 24));
      keep[j] = 255 - a;
    }
    return {dx: Int16Array.from(dx), dy: Int16Array.from(dy), src: src, keep: keep,
            half: half, reach: (r * 1.2 + w / 2) + SLOP};
  }

  // Premultiplied 32-bit pixels back to the straight RGBA that ImageData holds.
  var UNMUL = new Float64Array(256);
  for (var a8 = 1; a8 < 256; a8++) { UNMUL[a8] = 255 / a8; }
  function unpremultiply(buf, bw, m, out, W, H) {
    for (var y = 0; y < H; y++) {
      var from = (y + m) * bw + m, to = y * W;
      for (var x = 0; x < W; x++) {
        var v = buf[from + x], a = v >>> 24;
        if (a === 255 || a === 0) { out[to + x] = v; continue; }
        var u = UNMUL[a];
        out[to + x] = ((v & 255) * u + 0.5) | (((v >>> 8 & 255) * u + 0.5) << 8)
          | (((v >>> 16 & 255) * u + 0.5) << 16) | (a << 24);
      }
    }
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
      var W = Math.round(full.x * dpr), H = Math.round(full.y * dpr);
      if (c.width !== W || c.height !== H) { c.width = W; c.height = H; }  // else kept
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
    // Every point blended (source-over, in the layer's order) into one buffer of
    // premultiplied 32-bit pixels with a margin of twice the largest marker around the
    // image (so that no marker pixel needs a bounds test), then put on the canvas. The
    // buffers are kept from one draw to the next while the canvas keeps its size.
    _draw: function (dpr) {
      var c = this._canvas, W = c.width, H = c.height, stamps = this._stamps(dpr), m = 0;
      stamps.forEach(function (st) { m = Math.max(m, 2 * st.half); });
      var bw = W + 2 * m, bh = H + 2 * m, b = this._buf;
      if (!b || b.w !== bw || b.h !== bh || b.stamps !== stamps) {
        var image = c.getContext("2d").createImageData(W, H);
        b = this._buf = {w: bw, h: bh, stamps: stamps, px: new Int32Array(bw * bh), image: image,
                         out: new Int32Array(image.data.buffer),
                         offsets: stamps.map(function (st) {  // each pixel's place from the centre
                           var out = new Int32Array(st.dx.length);
                           for (var k = 0; k < out.length; k++) { out[k] = st.dy[k] * bw + st.dx[k]; }
                           return out;
                         })};
      } else {
        b.px.fill(0);
      }
      var buf = b.px, o = this._offset(), f = o.f * dpr;
      var ox = (o.x - this._pad.x) * dpr, oy = (o.y - this._pad.y) * dpr;
      var mx = this._mx, my = this._my, codes = this._s, drawn = 0, n = this.n;
      for (var i = 0; i < n; i++) {
        var s = codes ? codes[i] : 0, st = stamps[s];
        if (!st) { continue; }
        var px = Math.round(mx[i] * f - ox), py = Math.round(my[i] * f - oy), h = st.half;
        if (px < -h || py < -h || px >= W + h || py >= H + h) { continue; }
        drawn++;
        var base = (py + m) * bw + px + m, off = b.offsets[s], src = st.src, keep = st.keep;
        for (var k = 0, count = off.length; k < count; k++) {
          // under * (255 - alpha) / 255, two channels at a time, rounded (32-bit integer
          // arithmetic, modulo 2^32), + the marker's pixel; no channel carries over
          var at = base + off[k], v = buf[at], q = keep[k];
          var rb = (Math.imul(v & 0xff00ff, q) + 0x800080) | 0;
          var ga = (Math.imul(v >>> 8 & 0xff00ff, q) + 0x800080) | 0;
          rb = ((rb + (rb >>> 8 & 0xff00ff)) >>> 8) & 0xff00ff;
          ga = (ga + (ga >>> 8 & 0xff00ff)) & 0xff00ff00;
          buf[at] = (src[k] + (rb | ga)) | 0;
        }
      }
      unpremultiply(buf, bw, m, b.out, W, H);
      c.getContext("2d").putImageData(b.image, 0, 0);
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
