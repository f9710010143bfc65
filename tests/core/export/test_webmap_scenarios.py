"""The web map's scenario switcher (issue 20): one sites layer per scenario, a select
shows one at a time; scenario names are text, never HTML."""

import json
import re

import pytest
import shapely

from app.core.export.webmap.page import build_html
from app.core.project.scenario_model import Scenario
from app.core.project.scenario_store import scenarios_of
from app.core.project.store import open_project
from app.core.sites import edits as site_ops
from tests.core.export.test_webmap import CHROMIUM

HOSTILE = '<img src=x onerror="window.__owned=1">'


@pytest.fixture(scope="module")
def page(tmp_path_factory, default_project_path):
    project = open_project(default_project_path)
    sites = project.stack.get("sites")
    site_ops.insert_site(sites, site_ops.make_site(shapely.Point(190300.0, 543300.0), "A"))
    scenarios = scenarios_of(sites)
    scenarios.insert(1, Scenario(HOSTILE, 1000.0))
    scenarios.insert(2, Scenario("Empty"))
    scenarios.switch(sites, 1)
    site_ops.insert_site(sites, site_ops.make_site(shapely.Point(190900.0, 543900.0), "B"))
    site_ops.insert_site(sites, site_ops.make_site(shapely.Point(191200.0, 543500.0), "C"))
    scenarios.switch(sites, 0)
    text = build_html(project.stack, title="t", embed_font=False, extra=project.settings.extra)
    path = tmp_path_factory.mktemp("web") / "map.html"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_page_data_lists_every_scenario(page):
    _path, text = page
    assert HOSTILE not in text  # only JSON-escaped
    data = re.search(r'"scenarios":(\{"label".*?\]\})', text).group(1)
    switch = json.loads(data)
    assert [s["name"] for s in switch["scenarios"]] == ["Scenario 1", HOSTILE, "Empty"]
    assert [s["layer"] for s in switch["scenarios"]] == ["sites", "sites_scenario_2", None]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_select_shows_one_scenario_at_a_time(page):
    playwright = pytest.importorskip("playwright.sync_api")
    path, _text = page
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            tab = browser.new_page()
            tab.route("http*://**", lambda route: route.abort())  # offline
            tab.goto(path.as_uri())
            tab.wait_for_function("window.innoatlas !== undefined")
            shown = "(n) => window.innoatlas.map.hasLayer(window.innoatlas.groups[n])"
            assert tab.evaluate(shown, "sites")
            assert not tab.evaluate(shown, "sites_scenario_2")
            options = tab.locator("#inno-scenario option")
            assert options.all_text_contents() == ["Scenario 1", HOSTILE, "Empty"]
            assert options.nth(2).is_disabled()
            tab.select_option("#inno-scenario", "1")
            assert tab.evaluate(shown, "sites_scenario_2")
            assert not tab.evaluate(shown, "sites")
            assert tab.evaluate("window.__owned === undefined")
        finally:
            browser.close()
