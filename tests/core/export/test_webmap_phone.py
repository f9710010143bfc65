# ruff: noqa: F811 (the fixtures of test_webmap.py are imported, then requested by name)
"""The web map on a phone (390×844, headless Chromium): legend and layer list start
collapsed, the scene buttons sit clear of the controls, a site's popup opens above every
panel, the page opens on the districts fitted to the screen; site labels carry the
canvas's badge (rank, score, red where not permitted)."""

import html
import json
import re
import subprocess

import pytest

from app.core.export.webmap.page import build_html, export_html
from tests.core.export.test_webmap import (  # noqa: F401 (the module's fixtures)
    CHROMIUM,
    _site_labels,
    _with_script,
    indicators,
    page,
    project,
)

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
PHONE = (390, 844)


def browse(page, tmp_path, *, size=PHONE, fragment="", screenshot=None):
    """Load ``page`` offline in a ``size`` viewport; the DOM after scripts (or a PNG).

    Headless Chromium's window is at least 500 px wide, so the page is shown in an
    iframe of exactly ``size`` (its media queries and ``innerWidth`` are the phone's); a
    probe inside it posts what it measured to the outer page.
    """
    outer = tmp_path / f"phone-{page.stem}.html"
    outer.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe src="{page.name}{fragment}" style="border:0;display:block" '
        f'width="{size[0]}" height="{size[1]}"></iframe><script>'
        'window.addEventListener("message", function (e) {'
        'document.body.setAttribute("data-probe", e.data); });</script></body></html>',
        encoding="utf-8",
    )
    if outer.parent != page.parent:
        raise ValueError("the page and its frame must share a folder")
    args = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--allow-file-access-from-files",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--virtual-time-budget=6000",
        f"--window-size={max(size[0], 500)},{size[1] + 200}",
        f"--screenshot={screenshot}" if screenshot else "--dump-dom",
        outer.as_uri(),
    ]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


#: Writes what a user sees into ``body[data-probe]``: the panels' boxes, the districts'
#: box on the screen and, with a popup open, what is on top at the popup's points where
#: it overlaps a panel or control after the map moved it under them.
_PROBE = """
setTimeout(function () { try {
  function box(el) {
    if (!el) { return null; }
    var r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  }
  var map = innoatlas.map, g = innoatlas.groups.districts.getLayers()[0], b = g.getBounds();
  var sw = map.latLngToContainerPoint(b.getSouthWest());
  var ne = map.latLngToContainerPoint(b.getNorthEast());
  var out = {
    w: window.innerWidth, h: window.innerHeight,
    legend: box(document.getElementById("inno-legend")),
    top: box(document.getElementById("inno-top")),
    layers: box(document.querySelector(".leaflet-control-layers")),
    layersOpen: !!document.querySelector(".leaflet-control-layers-expanded"),
    zoom: box(document.querySelector(".leaflet-control-zoom")),
    districts: [sw.x, ne.y, ne.x, sw.y]
  };
  var popup = document.querySelector(".leaflet-popup");
  if (popup) {
    // move the map so that the popup is under the top bar and the layer control
    var p = box(popup), t = out.top;
    map.panBy([0, p[1] - t[1] - 5], {animate: false});
    p = box(popup);
    out.popup = p;
    out.hits = [];
    [t, out.zoom, out.layers].forEach(function (c) {
      var x0 = Math.max(p[0], c[0]), x1 = Math.min(p[2], c[2]);
      var y0 = Math.max(p[1], c[1]), y1 = Math.min(p[3], c[3]);
      if (x0 < x1 && y0 < y1) {
        var hit = document.elementFromPoint((x0 + x1) / 2, (y0 + y1) / 2);
        out.hits.push(!!(hit && hit.closest(".leaflet-popup")));
      }
    });
  }
  parent.postMessage(JSON.stringify(out), "*");
} catch (err) {
  parent.postMessage(JSON.stringify({error: String(err)}), "*");
} }, 300);
"""


def _probe(dom):
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, "the page's script did not run"
    probed = json.loads(html.unescape(found.group(1)))
    assert "error" not in probed, probed
    return probed


def _area(box):
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@needs_chromium
def test_phone_panels_are_collapsed_and_clear_of_each_other(page, tmp_path):
    probed = _probe(browse(_with_script(page, _PROBE, tmp_path), tmp_path))
    w, h = probed["w"], probed["h"]
    assert (w, h) == PHONE
    assert _area(probed["legend"]) < 0.25 * w * h, probed
    assert not probed["layersOpen"], probed
    assert _area(probed["layers"]) < 0.05 * w * h, probed
    # the scene buttons are not on top of the controls or the legend
    for other in ("legend", "layers", "zoom"):
        assert not _overlap(probed["top"], probed[other]), (other, probed)
    # the districts, fitted to the screen, below the top bar
    left, top, right, bottom = probed["districts"]
    assert left >= 0 and right <= w and top >= probed["top"][3] and bottom <= h, probed
    assert right - left > 0.9 * w or bottom - top > 0.6 * h, probed  # fitted, not tiny


@needs_chromium
def test_a_site_popup_opens_above_the_panels_on_a_phone(page, tmp_path):
    probed = _probe(browse(_with_script(page, _PROBE, tmp_path), tmp_path, fragment="#site=a1"))
    assert probed["popup"] and probed["hits"], probed  # the popup is under some panel
    assert all(probed["hits"]), probed


@needs_chromium
def test_the_desktop_keeps_the_legend_and_layer_list_open(page, tmp_path):
    probed = _probe(browse(_with_script(page, _PROBE, tmp_path), tmp_path, size=(1280, 800)))
    assert probed["layersOpen"]
    assert _area(probed["legend"]) > 0.1 * 1280 * 800


_BADGES = """
setTimeout(function () {
  parent.postMessage(JSON.stringify(Array.from(
    document.querySelectorAll(".inno-label-sites span"), function (span) {
      var badge = span.querySelector(".inno-badge");
      return [span.textContent, badge ? getComputedStyle(badge).backgroundColor : null,
              badge ? getComputedStyle(badge).color : null];
    })), "*");
}, 300);
"""


@needs_chromium
def test_site_labels_show_score_and_the_red_not_permitted_state(project, tmp_path):
    import pandas as pd

    results = pd.DataFrame(
        {"rank": [1, 2], "score": [71.4, 38.6], "use_permitted": [True, False]},
        index=pd.Index(["a1", "c3"], name="site_id"),
    )
    path = export_html(
        tmp_path / "badges.html",
        project.stack,
        indicators=results,
        language="ko",
        start_scene="gvalley",
        embed_font=False,
    )
    found = re.search(
        r'data-probe="([^"]*)"',
        browse(_with_script(path, _BADGES, tmp_path), tmp_path, size=(1280, 800)),
    )
    labels = {text: (fill, ink) for text, fill, ink in json.loads(html.unescape(found.group(1)))}
    # as the canvas draws it: "#rank score" on dark, red where the zoning forbids the centre
    assert labels["#1 71 가산 A"] == ("rgb(27, 27, 27)", "rgb(255, 255, 255)"), labels
    assert labels["#2 39 양재 C"] == ("rgb(176, 0, 32)", "rgb(255, 255, 255)"), labels


def test_app_made_site_names_follow_the_page_language(project):
    sites = project.stack.get("sites")
    before = sites.data.copy()
    try:
        renamed = before.copy()
        renamed["name"] = ["Site 1", "Suggested magok 2"]
        sites.set_data(renamed)
        text = build_html(project.stack, language="ko", scenes=[], embed_font=False)
    finally:
        sites.set_data(before)
    assert '"n":"후보지 1"' in text and '"n":"제안 마곡 2"' in text
    assert re.search(r'"후보지 1","#\d', text)  # the label, with its badge
