
// Every text of the page that comes from a file or the user (layer titles, labels,
// attribute values, scene titles, attribution) is data: it arrives JSON-encoded in D and
// reaches the DOM only through esc() (where Leaflet takes HTML: layer control, popups,
// labels, attribution). Lookups by name use maps without a prototype, so "__proto__" or
// "constructor" is just a name.
(function () {
  var map = __MAP__;
  var D = __DATA__;
  var ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
                 "`": "&#96;"};
  // The one escaping function: text -> HTML that shows exactly that text.
  function esc(s) {
    return String(s).replace(/[&<>"'`]/g, function (c) { return ESCAPES[c]; });
  }
  function dict() { return Object.create(null); }
  // The value of "key=" in a location hash ("#scene=magok&site=a1"), decoded; null when
  // the hash has none or its escapes are malformed ("%", "%E0%A4%A").
  function hashParam(hash, key) {
    var parts = String(hash || "").replace(/^#/, "").split("&");
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (eq < 0 || parts[i].slice(0, eq) !== key) { continue; }
      try {
        return decodeURIComponent(parts[i].slice(eq + 1));
      } catch (err) {
        return null;
      }
    }
    return null;
  }
  function slug(s) { return String(s).replace(/[^A-Za-z0-9_-]/g, "_"); }
  map.attributionControl.setPrefix("Leaflet");
  if (D.attribution) { map.attributionControl.addAttribution(esc(D.attribution)); }
  L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
  var labelPane = map.createPane("inno-labels");
  labelPane.style.zIndex = 640;
  labelPane.style.pointerEvents = "none";
  // The sites' labels (rank and name) are what the workshop is about: above the others.
  var siteLabelPane = map.createPane("inno-site-labels");
  siteLabelPane.style.zIndex = 650;
  siteLabelPane.style.pointerEvents = "none";
  // Popups go in a pane of the map's container (not of the moving map pane), kept at the
  // map pane's position, so that they open above the panels and controls.
  var popupPane = map.createPane("inno-popups", map.getContainer());
  popupPane.style.zIndex = 1300;
  function syncPopupPane() { L.DomUtil.setPosition(popupPane, map._getMapPanePos()); }
  map.on("move zoom viewreset zoomend moveend resize", syncPopupPane);
  // A phone-sized screen: legend and layer list start collapsed, the page opens on the
  // districts fitted below the top bar.
  var small = window.matchMedia("(max-width: 600px), (max-height: 500px)").matches;
  var overlays = [], labelSets = [], groups = dict(), featureLayers = dict(), packed = [];
  // The layers at the bottom of the stack that hold only areas and lines share one canvas
  // (in the lowest one's pane), drawn in the layers' order: a zoom redraws one canvas, not
  // hundreds of SVG paths. A canvas takes the clicks over all of it, so only layers with
  // nothing interactive below them may go there; the layers above keep their own panes.
  // A hatched fill is an SVG pattern: its layer, and those above it, stay SVG.
  var flatCanvas = null, flatRun = true, flatNames = [];
  function flat(lay) {
    return !lay.points && lay.features.length > 0 && lay.features.every(function (f) {
      return f.geometry && !/Point/.test(f.geometry.type);
    }) && lay.styles.every(function (st) { return !/^url\(/.test(String(st.fillColor)); });
  }
  function popupHtml(lay, f) {
    var p = f.properties, st = lay.styles[p._s];
    var out = '<div class="inno-popup"><div class="inno-popup-layer">' + esc(lay.title) + "</div>";
    if (p.n) { out += "<b>" + esc(p.n) + "</b>"; }
    if (st.label && lay.styles.length > 1) { out += "<div>" + esc(st.label) + "</div>"; }
    if (p._pop) {
      out += "<table>";
      p._pop.forEach(function (row) {
        out += '<tr class="inno-row"><td>' + esc(row[0]) + '</td><td class="' + esc(row[2])
          + '">' + esc(row[1]) + "</td></tr>";
      });
      out += "</table>";
    }
    return out + "</div>";
  }
  D.layers.forEach(function (lay, i) {
    var paneName = "inno-pane-" + slug(lay.name);
    map.createPane(paneName).style.zIndex = 400 + i;
    var group = L.featureGroup();
    var base = "inno-feature inno-layer-" + slug(lay.name);
    function cls(f) {
      return base + (f.properties._k !== undefined ? " inno-key-" + slug(f.properties._k) : "");
    }
    var options = {
      pane: paneName,
      style: function (f) { return lay.styles[f.properties._s]; },
      pointToLayer: function (f, latlng) {
        var st = lay.styles[f.properties._s];
        if (st.marker === "circle") { return L.circleMarker(latlng, {pane: paneName}); }
        return L.marker(latlng, {pane: paneName, keyboard: false, icon: L.divIcon({
          className: "inno-marker " + cls(f), html: st.svg, iconSize: [st.box, st.box],
          iconAnchor: [st.box / 2, st.box / 2], popupAnchor: [0, -st.box / 2]})});
      },
      onEachFeature: function (f, layer) {
        layer.options.className = cls(f);
        layer.bindPopup(function () { return popupHtml(lay, f); }, {maxWidth: small ? 280 : 360,
          pane: "inno-popups"});
      }
    };
    flatRun = flatRun && flat(lay);
    if (flatRun) {
      flatCanvas = flatCanvas || L.canvas({pane: paneName});
      options.renderer = flatCanvas;
      flatNames.push(lay.name);
    }
    var features;
    if (lay.points) {  // many points: typed arrays on a canvas (points.js)
      features = new InnoPoints.Layer(lay, paneName).addTo(group);
      packed.unshift(features);  // the top layer is hit first
    } else {
      features = L.geoJSON(lay.features, options).addTo(group);
    }
    if (lay.catchments && lay.catchments.length) {
      lay.catchments.forEach(function (c) {
        L.circle([c[0], c[1]], {radius: c[2], pane: paneName, color: "#c43e00", weight: 1.6,
          dashArray: "6 4", fillColor: "#c43e00",
          fillOpacity: lay.catchmentFill === false ? 0 : 0.06, interactive: false,
          className: "inno-catchment"}).addTo(group);
      });
    }
    if (lay.labels) {
      var labels = L.layerGroup();
      var beside = lay.labels.beside ? " inno-label-beside" : "";
      var labelPaneName = lay.labels.first ? "inno-site-labels" : "inno-labels";
      lay.labels.items.forEach(function (it) {
        L.marker([it[0], it[1]], {pane: labelPaneName, interactive: false, keyboard: false,
          icon: L.divIcon({className: "inno-label inno-label-" + slug(lay.name) + beside,
            iconSize: null, html: '<span style="' + esc(lay.labels.css) + '">'
            + (it.length > 3 ? '<b class="inno-badge inno-badge-' + slug(it[4] || "ok") + '">'
               + esc(it[3]) + "</b>" + (it[2] ? " " : "") : "") + esc(it[2])
            + "</span>"})}).addTo(labels);
      });
      labelSets.push({labels: labels, group: group, maxRes: lay.labels.max_res,
                      minRes: lay.labels.min_res === undefined ? null : lay.labels.min_res,
                      beside: lay.labels.beside, first: lay.labels.first});
    }
    if (lay.shown) { group.addTo(map); }
    groups[lay.name] = group;
    featureLayers[lay.name] = features;
    overlays.unshift([lay.title, group]);  // the control lists the top layer first
  });
  function resolution() {
    var lat = map.getCenter().lat * Math.PI / 180;
    return 40075016.686 * Math.cos(lat) / (256 * Math.pow(2, map.getZoom()));
  }
  function updateLabels() {
    var res = resolution();
    labelSets.forEach(function (s) {
      var show = (s.maxRes === null || res <= s.maxRes) && (s.minRes === null || res >= s.minRes);
      if (show && !s.group.hasLayer(s.labels)) { s.group.addLayer(s.labels); }
      if (!show && s.group.hasLayer(s.labels)) { s.group.removeLayer(s.labels); }
    });
    declutter();
  }
  // As on the canvas: a label that would overlap one already placed is left out; the
  // sites' labels go first (always shown, stacked where they overlap), then the top
  // layer's. The boxes come from the map's projection, not the DOM, so they are right
  // even while a zoom animation is pending. A label's size is read from the DOM once (all
  // new labels at once, after every label is reset and before any is moved or hidden) and
  // kept until a font arrives or the window changes size (a style may depend on it), so
  // that a zoom or a pan does not wait for a layout.
  var labelSizes = new WeakMap();
  window.addEventListener("resize", function () { labelSizes = new WeakMap(); });
  if (document.fonts && document.fonts.addEventListener) {
    document.fonts.addEventListener("loadingdone", function () {
      labelSizes = new WeakMap();
      declutter();
    });
  }
  function labelBox(set, marker, w, h) {
    var p = map.latLngToContainerPoint(marker.getLatLng());
    var left = set.beside ? p.x + 9 : p.x - w / 2;
    return {left: left, top: p.y - h / 2, right: left + w, bottom: p.y + h / 2};
  }
  function declutter() {
    var placed = [], size = map.getSize(), items = [];
    var order = labelSets.filter(function (s) { return s.first; })
      .concat(labelSets.filter(function (s) { return !s.first; }).reverse());
    order.forEach(function (set) {
      if (!map.hasLayer(set.labels)) { return; }
      set.labels.eachLayer(function (marker) {
        var span = marker.getElement() && marker.getElement().firstChild;
        if (!span) { return; }
        span.style.visibility = "visible";
        span.style.top = "";
        items.push({set: set, marker: marker, span: span});
      });
    });
    items.forEach(function (it) {
      var known = labelSizes.get(it.span);
      if (!known) {
        known = {w: it.span.offsetWidth, h: it.span.offsetHeight};
        if (known.w && known.h) { labelSizes.set(it.span, known); }
      }
      it.w = known.w;
      it.h = known.h;
    });
    items.forEach(function (it) {
      var set = it.set, span = it.span, r = labelBox(set, it.marker, it.w, it.h), top = r.top;
      if (r.right < 0 || r.bottom < 0 || r.left > size.x || r.top > size.y) { return; }
      function clash() {
        return placed.some(function (p) {
          return r.left < p.right && p.left < r.right && r.top < p.bottom && p.top < r.bottom;
        });
      }
      if (set.first) {  // a site's label is always shown: below another site's if need be
        for (var shift = 0; shift < 20 && clash(); shift++) {
          r = {left: r.left, right: r.right, top: r.bottom, bottom: 2 * r.bottom - r.top};
        }
        if (shift) { span.style.top = (r.top - top) + "px"; }
        placed.push(r);
      } else if (clash()) {
        span.style.visibility = "hidden";
      } else {
        placed.push(r);
      }
    });
  }
  // Leaflet's layer control shows each name as HTML: the names go in escaped, one by one
  // (not as keys of an object, where two equal titles would be one entry).
  var control = L.control.layers(null, null, {collapsed: small, position: "topright"});
  if (D.basemap) {
    control.addOverlay(L.tileLayer(D.basemap.url, {maxZoom: 19,
      attribution: esc(D.basemap.attribution)}).addTo(map), esc(D.text.basemap));
  }
  overlays.forEach(function (o) { control.addOverlay(o[1], esc(o[0])); });
  control.addTo(map);
  var scenes = dict();
  D.scenes.forEach(function (s) { scenes[s.id] = s; });
  function showScene(id, animate) {
    var s = scenes[id];
    document.querySelectorAll(".inno-scene").forEach(function (b) {
      b.classList.toggle("inno-active", b.getAttribute("data-scene") === id);
    });
    if (!s) { map.fitBounds(D.bounds, {animate: animate}); return; }
    if (s.layers) {
      D.layers.forEach(function (lay) {
        if (lay.name === "sites") { return; }
        var want = s.layers.indexOf(lay.name) >= 0, group = groups[lay.name];
        if (want && !map.hasLayer(group)) { map.addLayer(group); }
        if (!want && map.hasLayer(group)) { map.removeLayer(group); }
      });
    }
    if (animate) {
      map.flyToBounds(s.bounds, {duration: 0.8});
    } else {
      map.fitBounds(s.bounds, {animate: false});
    }
  }
  document.querySelectorAll(".inno-scene").forEach(function (b) {
    b.addEventListener("click", function () { showScene(b.getAttribute("data-scene"), true); });
  });
  map.on("zoomend", updateLabels);
  // A click on a packed layer's point opens its popup, unless a feature of a layer above
  // it is under the mouse (the canvases let every event through to the layers below).
  function paneZ(el) {
    var pane = el && el.closest ? el.closest(".leaflet-pane") : null;
    return pane ? parseInt(window.getComputedStyle(pane).zIndex, 10) || 0 : -1;
  }
  map.getContainer().addEventListener("click", function (ev) {
    var target = ev.target;
    if ((map.dragging && map.dragging.moved()) || !target || !target.closest
        || target.closest(".leaflet-control, .leaflet-popup")) {
      return;
    }
    var below = paneZ(target), point = map.mouseEventToContainerPoint(ev);
    for (var k = 0; k < packed.length; k++) {
      var pts = packed[k];
      if (!map.hasLayer(pts) || paneZ(pts.getPane()) <= below) { continue; }
      var i = pts.hit(point);
      if (i < 0) { continue; }
      ev.stopPropagation();
      pts.ready.then(function () {
        L.popup({maxWidth: small ? 280 : 360, pane: "inno-popups"}).setLatLng(pts.latLngOf(i))
          .setContent(pts.popupNode(i)).openOn(map);
      });
      return;
    }
  }, true);
  // The view on the page, for links and tests: "west,south,east,north".
  function noteView() {
    map.getContainer().setAttribute("data-inno-view", map.getBounds().toBBoxString());
  }
  map.on("moveend", function () { declutter(); noteView(); });
  // The legend shows the layers that are on the map.
  function syncLegend() {
    document.querySelectorAll(".inno-legend-layer").forEach(function (block) {
      var group = groups[block.getAttribute("data-layer")];
      block.style.display = group && map.hasLayer(group) ? "" : "none";
    });
  }
  var layerGroups = Object.keys(groups).map(function (name) { return groups[name]; });
  // A layer turned back on is drawn last on the shared canvas: the layers above it there
  // are brought to the front again, in their order.
  function restackFlat(name) {
    var from = flatNames.indexOf(name);
    if (from < 0) { return; }
    flatNames.slice(from + 1).forEach(function (above) {
      if (map.hasLayer(groups[above])) { featureLayers[above].bringToFront(); }
    });
  }
  // The number of features each layer has on the map, on its pane (for links and tests:
  // the canvas holds no element per feature).
  function noteShown() {
    D.layers.forEach(function (lay) {
      var group = groups[lay.name], pane = map.getPane("inno-pane-" + slug(lay.name));
      var n = lay.points ? lay.points.n : lay.features.length;
      pane.setAttribute("data-inno-shown", String(map.hasLayer(group) ? n : 0));
    });
  }
  map.on("layeradd layerremove", function (e) {
    if (layerGroups.indexOf(e.layer) < 0) { return; }
    if (e.type === "layeradd") {
      Object.keys(groups).forEach(function (name) {
        if (groups[name] === e.layer) { restackFlat(name); }
      });
    }
    noteShown();
    setTimeout(function () { syncLegend(); declutter(); }, 0);
  });
  // The panels' places: on a small screen the controls go below the top bar (not under
  // it) and the legend starts closed.
  var topBar = document.getElementById("inno-top");
  function topBarBottom() { return topBar ? topBar.getBoundingClientRect().bottom : 0; }
  function layoutPanels() {
    var narrow = window.matchMedia("(max-width: 600px), (max-height: 500px)").matches;
    var below = Math.ceil(topBarBottom()) - 4;
    document.querySelectorAll(".leaflet-top").forEach(function (corner) {
      corner.style.top = narrow && topBar ? below + "px" : "";
    });
  }
  var legendDetails = document.querySelector("#inno-legend details");
  if (small && legendDetails) { legendDetails.removeAttribute("open"); }
  layoutPanels();
  window.addEventListener("resize", layoutPanels);
  // A link can open a scene: web-map.html#scene=magok
  // Without one the page opens at the view it was exported with (the app's map view).
  var wanted = hashParam(window.location.hash, "scene");
  if (wanted !== null || D.start || !D.view) {
    showScene(wanted !== null ? wanted : (D.start || ""), false);
  } else if (small && D.districts) {  // the districts, fitted below the top bar
    map.options.zoomSnap = 0;
    map.fitBounds(D.districts, {animate: false, paddingTopLeft: [8, topBarBottom() + 8],
                                paddingBottomRight: [8, 40]});
    map.options.zoomSnap = 0.25;
  } else {
    map.options.zoomSnap = 0;  // fit the view exactly, then zoom in steps again
    map.fitBounds(D.view, {animate: false});
    map.options.zoomSnap = 0.25;
  }
  syncPopupPane();
  updateLabels();
  noteView();
  noteShown();
  // ... and a site's popup: web-map.html#site=SITE_ID
  var site = hashParam(window.location.hash, "site");
  if (site !== null && featureLayers.sites) {
    featureLayers.sites.eachLayer(function (l) {
      if (String(l.feature.properties._k) === site) { l.openPopup(); }
    });
  }
  window.innoatlas = {map: map, groups: groups, features: featureLayers, showScene: showScene,
                     hashParam: hashParam, packed: packed};
  // Scenarios (app/core/export/webmap/scenario_layers.py): one sites layer each, one shown
  // at a time by a select; the names are set as text.
  function showScenario(index) {
    (D.scenarios ? D.scenarios.scenarios : []).forEach(function (s, j) {
      var group = s.layer ? groups[s.layer] : null;
      if (!group) { return; }
      if (j === index) { group.addTo(map); } else { map.removeLayer(group); }
    });
  }
  if (D.scenarios && D.scenarios.scenarios.length > 1) {
    var ScenarioSwitch = L.Control.extend({options: {position: "topright"}, onAdd: function () {
      var box = L.DomUtil.create("div", "inno-scenarios leaflet-bar");
      var label = L.DomUtil.create("label", "", box);
      var select = L.DomUtil.create("select", "", box);
      select.id = "inno-scenario";
      label.textContent = D.scenarios.label + " ";
      label.htmlFor = "inno-scenario";
      D.scenarios.scenarios.forEach(function (s, i) {
        var option = document.createElement("option");
        option.value = String(i);
        option.textContent = s.name;
        option.disabled = !s.layer;
        select.appendChild(option);
        if (s.layer === "sites") { select.value = String(i); }
      });
      L.DomEvent.disableClickPropagation(box);
      select.addEventListener("change", function () { showScenario(Number(select.value)); });
      return box;
    }});
    new ScenarioSwitch().addTo(map);
  }
  window.innoatlas.showScenario = showScenario;
})();
