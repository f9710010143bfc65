"""The web map embeds the bundled Korean font, subset to the page's characters, so Hangul
shows as glyphs (not boxes) in a browser on a machine without Korean fonts."""

import base64
import io
import os
import re
import subprocess
import sys

import pytest

from app.core.export.webmap.font import FAMILY, font_face_css, unavailable_reason
from app.core.export.webmap.page import build_html, export_html
from app.core.paths import DEFAULT_PROJECT
from app.core.project.store import open_project
from tests.core.export.test_webmap import chromium, needs_chromium

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
FACE = re.compile(
    r'@font-face \{ font-family: "([^"]+)";[^}]*font-weight: (\d+);[^}]*'
    r'src: url\("data:font/woff;base64,([A-Za-z0-9+/=]+)"\)'
)


@pytest.fixture(scope="module")
def project():
    return open_project(DEFAULT_PROJECT)


@pytest.fixture(scope="module")
def korean_page(project, tmp_path_factory):
    path = tmp_path_factory.mktemp("font") / "ko.html"
    export_html(path, project.stack, title="혁신지구 지도", language="ko")
    return path


def _faces(text):
    from fontTools.ttLib import TTFont

    return {
        int(weight): (family, TTFont(io.BytesIO(base64.b64decode(data))))
        for family, weight, data in FACE.findall(text)
    }


def _visible_text(text):
    """The page without its font rules: labels, legend, popups, buttons, attribution."""
    return FACE.sub("", text)


def test_the_subset_covers_every_hangul_character_of_the_page(korean_page):
    text = korean_page.read_text(encoding="utf-8")
    faces = _faces(text)
    assert sorted(faces) == [400, 700]
    hangul = set(HANGUL.findall(_visible_text(text)))
    assert {"마", "곡", "범", "례", "순", "위"} <= hangul and len(hangul) > 300  # dong names
    for weight, (family, font) in faces.items():
        assert family == FAMILY
        cmap = font.getBestCmap()
        missing = sorted(c for c in hangul if ord(c) not in cmap)
        assert not missing, f"{weight}: {''.join(missing)}"
        assert all(ord(c) in cmap for c in "0123456789 ABCxyz(),.–·²")
        assert len(cmap) < 2000  # a subset, not the 17 666 characters of the whole font
        # OFL: a Modified Version must not carry the Reserved Font Names
        names = {r.nameID: r.toUnicode() for r in font["name"].names}
        assert names[1] == FAMILY
        assert not any("nanum" in names.get(i, "").lower() for i in (1, 3, 4, 6, 16, 17))
        assert "NHN Corporation" in names[0] and "Open Font License" in names[13]
    assert "SIL Open Font License 1.1" in text and "NAVER Corporation" in text
    # two subsets of a few hundred kB, not the 13 MB of the whole fonts as base64
    assert sum(len(m.group(0)) for m in FACE.finditer(text)) < 600_000


def test_without_fonttools_or_font_files_the_page_uses_system_fonts(project, tmp_path, monkeypatch):
    assert unavailable_reason(tmp_path) == f"{tmp_path / 'NanumGothic.ttf'} is missing"
    assert font_face_css("마곡", tmp_path) == ""
    monkeypatch.setitem(sys.modules, "fontTools", None)
    monkeypatch.setitem(sys.modules, "fontTools.subset", None)
    assert unavailable_reason() == "fontTools is not installed"
    text = build_html(project.stack, language="ko", scenes=[])
    assert "@font-face" not in text and "마곡" in text
    assert f'font-family: "{FAMILY}", "Malgun Gothic"' in text  # the stack stays harmless


def test_cli_notes_a_missing_fonttools_in_one_line(tmp_path):
    out = tmp_path / "web.html"
    code = (
        "import sys; sys.modules['fontTools'] = None; from app.cli.main import main; "
        f"sys.exit(main(['export-html', {str(out)!r}, '--language', 'ko']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines() == [
        "innoatlas: note: fontTools is not installed: the web map uses the system's fonts "
        "(Hangul may show as boxes where no Korean font is installed)"
    ]
    assert "@font-face" not in out.read_text(encoding="utf-8")


_PROBE = """<script>
document.fonts.ready.then(function () {
  var out = document.createElement("div");
  out.id = "font-probe";
  var faces = [];
  document.fonts.forEach(function (f) { faces.push(f.family + "/" + f.weight + "/" + f.status); });
  var label = document.querySelector(".inno-label-districts span");
  out.setAttribute("data-check", String(document.fonts.check('16px "FAMILY"', "마곡")));
  out.setAttribute("data-faces", faces.join("|"));
  out.setAttribute("data-legend", getComputedStyle(document.getElementById("inno-legend")).fontFamily);
  out.setAttribute("data-label", label ? getComputedStyle(label).fontFamily : "");
  out.setAttribute("data-button", getComputedStyle(document.querySelector(".inno-scene")).fontFamily);
  document.body.appendChild(out);
});
</script></body>""".replace("FAMILY", FAMILY)


def _probe(page, tmp_path):
    probed = page.with_name(page.stem + "-probed.html")
    probed.write_text(
        page.read_text(encoding="utf-8").replace("</body>", _PROBE, 1), encoding="utf-8"
    )
    dom = chromium(probed, tmp_path)
    match = re.search(r'<div id="font-probe"([^>]*)>', dom)
    assert match, "the probe script did not run"
    return {
        k: v.replace("&quot;", '"') for k, v in re.findall(r'data-(\w+)="([^"]*)"', match.group(1))
    }


@needs_chromium
def test_offline_chromium_loads_the_font_and_the_page_uses_it(korean_page, project, tmp_path):
    probe = _probe(korean_page, tmp_path)
    assert probe["check"] == "true"
    assert f"{FAMILY}/400/loaded" in probe["faces"] and f"{FAMILY}/700/loaded" in probe["faces"]
    for part in ("legend", "label", "button"):
        assert probe[part].startswith(f'"{FAMILY}"'), (part, probe[part])
    # without the embedded font the browser has no such face to load
    plain = tmp_path / "plain.html"
    export_html(plain, project.stack, language="ko", embed_font=False)
    assert FAMILY not in _probe(plain, tmp_path)["faces"]


@needs_chromium
def test_hangul_renders_as_glyphs_not_boxes(tmp_path):
    from PySide6.QtGui import QImage

    css = font_face_css("마곡")
    page = tmp_path / "glyphs.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{css}'
        "body { margin: 0; background: #fff; } div { position: absolute; left: 10px; "
        "font-size: 48px; line-height: 60px; color: #000; }</style></head><body>"
        f"<div style=\"top: 0; font-family: '{FAMILY}', sans-serif\">마곡</div>"
        "<div style=\"top: 80px; font-family: 'No Such Font', sans-serif\">마곡</div>"
        "</body></html>",
        encoding="utf-8",
    )
    png = tmp_path / "glyphs.png"
    # Chromium sees the system's fonts except those that cover Korean, so the verdict does
    # not depend on the machine: with a Korean system font installed (Debian fonts-nanum)
    # the fallback line would otherwise draw real glyphs too.
    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        '<selectfont><rejectfont><pattern><patelt name="lang"><string>ko</string>'
        "</patelt></pattern></rejectfont></selectfont></fontconfig>",
        encoding="utf-8",
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(fonts_conf))
    chromium(page, tmp_path, screenshot=png, env=env)
    image = QImage(str(png))

    def ink(top):
        crop = image.copy(0, top, 200, 60)
        return [
            (x, y)
            for x in range(crop.width())
            for y in range(crop.height())
            if (crop.pixel(x, y) & 0xFF) < 128
        ]

    embedded, fallback = ink(0), ink(80)
    assert len(embedded) > 300  # two 48 px glyphs leave plenty of ink
    assert embedded != fallback  # on this machine the fallback draws two boxes
    # the two syllables are different shapes (two boxes would be alike)
    left = {(x, y) for x, y in embedded if x < 58}
    right = {(x - 48, y) for x, y in embedded if x >= 58}
    assert len(left ^ right) > 100
