"""Hostile text for the web map: strings a file or a user can bring into a page.

Every payload that manages to run assigns ``__xss`` (``__xss=1`` ...); :data:`PROBE`,
put first in the page's ``<head>``, turns such an assignment into the ``data-xss``
attribute of ``<html>`` and records uncaught errors in ``data-errors``; once the page
has loaded it writes what the page shows, region by region, into ``data-probe`` (opening
every popup in turn). :func:`probed` reads both back from Chromium's ``--dump-dom``.
The last payload is for the exporter itself: it runs Python if the page's text
is ever evaluated as a jinja template. The corpus grows with each new case.
"""

from __future__ import annotations

import html
import json
import re

#: Strings that must show as they are and never run.
PAYLOADS: tuple[str, ...] = (
    "<img src=x onerror=__xss=1>",
    "<script>__xss=2</script>",
    '"><svg onload=__xss=3>',
    "'><img src=x onerror=__xss=4>",
    "javascript:__xss=5",
    '<a href="javascript:__xss=6">click me</a>',
    "</script><script>__xss=7</script>",
    "<!--<script>",
    "{{ 7*7 }} {% if 1 %}jinja{% endif %} ${__xss=9}",
    "line\u2028separator\u2029paragraph",
    '<iframe srcdoc="<script>parent.__xss=11</script>"></iframe>',
    "<style>*{display:none}</style>",
    "&lt;b&gt; &amp; &#60;",
    "__DATA__ __MAP__ /*__INNO_FONT_FACE__*/",
    "`${__xss=15}`",
    "가산 <b onmouseover=__xss=16>굵게</b>",
    "{{ lipsum.__globals__.__builtins__.__import__('os').environ"
    ".setdefault('INNOATLAS_TEMPLATE_RAN', '1') }}",
)
#: The payload that would run Python if a page were built by evaluating its text as a
#: jinja template (it sets this environment variable).
PYTHON_RAN = "INNOATLAS_TEMPLATE_RAN"

#: Colours no reader lets through, for a style made some other way: they must not
#: reach the page's SVG or CSS.
HOSTILE_COLOURS: tuple[str, ...] = (
    '#fff" onload="__xss=20',
    'red"><img src=x onerror=__xss=21>',
    "red;background:url(javascript:__xss=22)",
)

#: Names that are also names of every JavaScript object's properties.
PROTO_NAMES: tuple[str, ...] = ("__proto__", "constructor", "toString", "hasOwnProperty")

#: Location hashes that must not break the page (scene and site links).
HOSTILE_HASHES: tuple[str, ...] = (
    "#scene=__proto__",
    "#scene=constructor",
    "#scene=toString",
    "#site=toString",
    "#site=__proto__",
    "#scene=%",
    "#scene=%E0%A4%A",
    "#site=%zz",
    "#scene=__proto__&site=constructor",
)

#: Put first in ``<head>``: records payloads that run, errors, and then the page's text.
PROBE = """<script>
(function () {
  var root = document.documentElement, hits = [], errors = [];
  Object.defineProperty(window, "__xss", {configurable: true,
    get: function () { return hits.length ? hits[hits.length - 1] : undefined; },
    set: function (v) { hits.push(String(v)); root.setAttribute("data-xss", hits.join(",")); }
  });
  window.addEventListener("error", function (e) {
    errors.push(String(e.message)); root.setAttribute("data-errors", JSON.stringify(errors));
  });
  function text(selector) {
    return Array.from(document.querySelectorAll(selector), function (e) {
      return e.textContent;
    });
  }
  window.addEventListener("load", function () {
    var popups = [];
    if (window.innoatlas) {
      Object.keys(innoatlas.groups).forEach(function (name) {
        (function walk(layer) {
          if (layer.eachLayer) { layer.eachLayer(walk); return; }
          if (!layer.getPopup || !layer.getPopup()) { return; }
          layer.openPopup();
          popups.push(layer.getPopup().getElement()
            .querySelector(".leaflet-popup-content").textContent);
          layer.closePopup();
        })(innoatlas.groups[name]);
      });
    }
    var handlers = 0;
    Array.from(document.querySelectorAll("*")).forEach(function (e) {
      Array.from(e.attributes).forEach(function (a) {
        if (/^on/i.test(a.name)) { handlers += 1; }
      });
    });
    root.setAttribute("data-probe", JSON.stringify({
      title: document.title,
      top: text("#inno-top"),
      legend: text("#inno-legend"),
      control: text(".leaflet-control-layers"),
      attribution: text(".leaflet-control-attribution"),
      labels: text(".inno-label span"),
      popups: popups,
      handlers: handlers,
      javascript_links: document.querySelectorAll('[href^="javascript:" i]').length,
      embedded: document.querySelectorAll("img, iframe, object, embed, style:not(head style)")
        .length,
      scripts: document.scripts.length,
      map: window.innoatlas ? true : false,
      view: (document.querySelector("[data-inno-view]") || root).getAttribute("data-inno-view"),
      paths: document.querySelectorAll(".inno-feature").length,
      drawn: Array.from(document.querySelectorAll("[data-inno-shown]")).reduce(
        function (sum, pane) { return sum + Number(pane.getAttribute("data-inno-shown")); }, 0)
    }));
  });
})();
</script>"""


def with_probe(page: str) -> str:
    """``page`` (the HTML text) with :data:`PROBE` first in its ``<head>``."""
    assert page.count("<head>") == 1
    return page.replace("<head>", "<head>" + PROBE, 1)


def probed(dom: str) -> dict:
    """What :data:`PROBE` recorded in a page Chromium dumped: the ``data-probe`` record
    (None if the page never loaded) plus ``xss`` (payloads that ran) and ``errors``."""

    def attribute(name: str) -> str | None:
        found = re.search(rf'<html[^>]*\s{name}="([^"]*)"', dom)
        return None if found is None else html.unescape(found.group(1))

    record = json.loads(attribute("data-probe") or "null") or {}
    record["xss"] = attribute("data-xss")
    record["errors"] = json.loads(attribute("data-errors") or "[]")
    return record


__all__ = [
    "HOSTILE_COLOURS",
    "HOSTILE_HASHES",
    "PAYLOADS",
    "PROBE",
    "PROTO_NAMES",
    "PYTHON_RAN",
    "probed",
    "with_probe",
]
