"""The kept first frame (app/ui/window/first_frame.py): shown at the next start before
the heavy imports, and only while the project file is exactly the one it shows."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app.core.project.store import open_project, save_project
from app.ui import i18n
from app.ui.gui import FirstFrameKeeper, open_main_window
from app.ui.window import first_frame
from app.ui.window.first_frame_state import likely_shown

ROOT = Path(__file__).resolve().parents[3]
SIZE = (900, 600)


@pytest.fixture
def project(tmp_path, default_project_path):
    path = tmp_path / "project.gpkg"
    shutil.copy(default_project_path, path)
    return path


def keep_first_frame(qtbot, project: Path) -> QImage:
    """Open ``project`` in a window as the app does and keep its first frame."""
    window = open_main_window(project, SIZE, clamp_to_screen=False)
    qtbot.addWidget(window)
    keeper = FirstFrameKeeper(window, project, first_frame.project_key(project, i18n.language()))
    window.show()
    qtbot.waitUntil(lambda: keeper.written, timeout=60_000)
    window.close()
    return keeper.image.toImage()


def shown(project: Path, size=SIZE, language=None):
    key = first_frame.project_key(project, language or i18n.language())
    frame = first_frame.show_cached(project, key, size)
    if frame is not None:
        frame.close()
    return frame


def same_pixels(a: QImage, b: QImage) -> float:
    a = a.convertToFormat(QImage.Format.Format_RGB32)
    b = b.convertToFormat(QImage.Format.Format_RGB32)
    assert a.size() == b.size()
    points = [(x, y) for x in range(0, a.width(), 5) for y in range(0, a.height(), 5)]
    return sum(a.pixel(x, y) == b.pixel(x, y) for x, y in points) / len(points)


def test_unchanged_project_shows_its_first_frame(qtbot, project):
    assert shown(project) is None  # nothing kept before the first start
    kept = keep_first_frame(qtbot, project)
    frame = shown(project)
    assert frame is not None
    assert (frame.width(), frame.height()) == SIZE
    assert frame.windowTitle().startswith("project")
    assert same_pixels(frame.grab().toImage(), kept) > 0.99
    # another window size or language would not look like this picture: not shown
    assert shown(project, size=(1000, 700)) is None
    other = "ko" if i18n.language() != "ko" else "en"
    assert shown(project, language=other) is None


def test_saved_change_is_never_shown_from_the_old_picture(qtbot, project):
    keep_first_frame(qtbot, project)
    assert shown(project) is not None
    opened = open_project(project)
    districts = opened.stack.get("districts")
    districts.set_data(districts.data.iloc[1:])  # one innovation district less
    save_project(project, opened.stack, opened.settings)
    assert shown(project) is None
    keep_first_frame(qtbot, project)  # the next complete start keeps the new picture
    assert shown(project) is not None


def test_touched_or_rewritten_file_is_not_shown(qtbot, project):
    assert not likely_shown(project)
    keep_first_frame(qtbot, project)
    assert likely_shown(project)  # what innoatlas asks before it imports Qt
    stat = project.stat()
    os.utime(project, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert shown(project) is None and not likely_shown(project)
    os.utime(project, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert shown(project) is not None and likely_shown(project)
    # another program rewrote a table and put the file's time back: its last_change says so
    with sqlite3.connect(project) as db:
        db.execute(
            "UPDATE gpkg_contents SET last_change = '2031-01-01T00:00:00.000Z' "
            "WHERE table_name = 'districts'"
        )
    os.utime(project, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert project.stat().st_size == stat.st_size
    assert shown(project) is None and not likely_shown(project)


def test_unreadable_file_has_no_key(tmp_path):
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"not a database at all")
    assert first_frame.project_key(broken, "en") is None
    assert first_frame.project_key(tmp_path / "missing.gpkg", "en") is None


def test_second_start_draws_its_first_frame_before_the_heavy_imports(tmp_path, project):
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        INNOATLAS_TIMING="1",
        PYTHONPATH=str(ROOT),
        INNOATLAS_DATA_DIR=str(tmp_path / "userdata"),
    )
    shot = tmp_path / "shot.png"
    first = subprocess.run(
        [sys.executable, "-m", "app", "--project", str(project), "--screenshot", str(shot)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr
    assert "timing: first" not in first.stderr  # nothing kept yet
    assert likely_shown(project)  # so the next start imports no heavy module before it
    # the next start, up to its first frame, in a fresh interpreter
    out = tmp_path / "first.png"
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from app.ui.window.first_frame import begin\n"
        f"start = begin(Path({str(project)!r}), (1280, 800))\n"
        "assert start.frame is not None and start.frame.painted\n"
        f"assert start.frame.grab().save({str(out)!r})\n"
        "print('MODULES', json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    second = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert second.returncode == 0, second.stderr
    assert "timing: first" in second.stderr
    line = next(x for x in second.stdout.splitlines() if x.startswith("MODULES "))
    loaded = set(json.loads(line.removeprefix("MODULES ")))
    heavy = {"numpy", "pandas", "geopandas", "shapely", "pyogrio", "pyproj", "pyarrow", "scipy"}
    assert "PySide6" in loaded and not loaded & heavy, sorted(loaded & heavy)
    # what it drew is the window the first start drew (the default project has no layer
    # read in the background: its first frame is the whole map)
    assert same_pixels(QImage(str(out)), QImage(str(shot))) > 0.99
    # the whole second start: the picture first, then the working window, same screenshot
    shot2 = tmp_path / "shot2.png"
    third = subprocess.run(
        [sys.executable, "-m", "app", "--project", str(project), "--screenshot", str(shot2)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert third.returncode == 0, third.stderr
    names = [line.split()[1] for line in third.stderr.splitlines() if line.startswith("timing:")]
    assert names[:2] == ["first", "drawn"]
    assert same_pixels(QImage(str(shot2)), QImage(str(shot))) > 0.99


DESKTOP_SCRIPT = r"""
import json, shutil, sys, time
from pathlib import Path
from app.ui import i18n
from app.ui.application import application
from app.ui.gui import FirstFrameKeeper, open_main_window
from app.ui.window import first_frame
from app.ui.window.first_frame_state import likely_shown

app = application(["innoatlas"])
project = Path(sys.argv[1])


def start(width=None):
    window = open_main_window(project, (1100, 700), remember=True)  # as a desktop start
    key = first_frame.project_key(project, i18n.language())
    frame = first_frame.show_cached(project, key, None)
    keeper = FirstFrameKeeper(window, project, key)
    window.show()
    deadline = time.monotonic() + 60
    while not keeper.written and time.monotonic() < deadline:
        app.processEvents()
    size = [window.width(), window.height()]
    if width is not None:
        window.resize(width, window.height())
    window.close()  # saves its geometry, as the app does
    shown = None if frame is None else [frame.width(), frame.height()]
    if frame is not None:
        frame.close()
    return {"shown": shown, "window": size}


out = [start(), start(), start(width=1000), start()]
print(json.dumps(out))
"""


def test_desktop_start_shows_it_at_the_size_the_window_had(tmp_path, project):
    """Without --screenshot the picture is shown only at the size the window was closed
    at last (which the next window restores); closed at another size, not at all."""
    config = tmp_path / "screen.json"
    screen = {"name": "big", "x": 0, "y": 0, "width": 1600, "height": 1000}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        INNOATLAS_DATA_DIR=str(tmp_path / "userdata"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-c", DESKTOP_SCRIPT, str(project)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    first, second, resized, after_resize = json.loads(result.stdout.strip().splitlines()[-1])
    assert first["shown"] is None  # a first start: nothing kept
    assert second["shown"] == second["window"] == first["window"]
    assert resized["shown"] == resized["window"]
    assert after_resize["shown"] is None  # closed 100 px narrower than its picture


def test_a_cache_folder_blocked_by_a_file_keeps_no_picture_and_raises_nothing(
    monkeypatch, tmp_path, project
):
    """The cache folder's path holds a file (``cache``): nothing is kept, and the start
    goes on (the clean-up of the unwritten picture raised NotADirectoryError, an error
    dialog at the first drawn frame)."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "cache").write_text("not a folder")
    monkeypatch.setenv("INNOATLAS_DATA_DIR", str(tmp_path / "data"))
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(0xFF336699)
    key = first_frame.project_key(project, "en")
    assert first_frame.remember(project, key, image, "project — InnoAtlas", 1.0) is False
    assert first_frame.cached(project, key) is None


def test_closing_the_picture_ends_the_start(qtbot, project):
    """The user closes the kept picture while the app starts (the window manager's close,
    a close event): no window opens after it, and the start ends (exit code 0). A
    picture replaced by the window it shows does not end anything."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.gui import run_gui
    from app.ui.window.main_window import MainWindow

    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(0xFF336699)
    frame = first_frame.FirstFrame(image, "project — InnoAtlas", 1.0)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    frame.close()  # as the window manager's close button does
    before = {id(w) for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)}
    guard = QTimer()  # never waits forever if the window opens and runs
    guard.setSingleShot(True)
    guard.timeout.connect(QApplication.quit)
    guard.start(15_000)
    key = first_frame.project_key(project, i18n.language())
    assert run_gui(project, None, SIZE, first_frame.Start(key, frame)) == 0
    assert guard.isActive()  # returned at once: the app's event loop never ran
    guard.stop()
    opened = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, MainWindow) and id(w) not in before and w.isVisible()
    ]
    for window in opened:
        window.project._set_clean()
        window.close()
    assert not opened
    frame.import_in_steps(("json",))  # nothing more is imported for a closed start


def test_the_window_opens_where_the_picture_was_put(qtbot, monkeypatch, tmp_path, project):
    """Moved, resized or maximised while the app starts, the picture's place is where the
    window opens (it opened at its last place, the picture jumping back)."""
    from PySide6.QtWidgets import QWidget

    monkeypatch.setenv("INNOATLAS_DATA_DIR", str(tmp_path / "data"))
    image = QImage(*SIZE, QImage.Format.Format_RGB32)
    image.fill(0xFF336699)
    key = first_frame.project_key(project, "en")
    assert first_frame.remember(project, key, image, "project — InnoAtlas", 1.0)
    frame = first_frame.show_cached(project, key, SIZE)
    assert frame is not None
    qtbot.addWidget(frame)
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.move(frame.x() + 7, frame.y() + 5)
    start = window.geometry()
    first_frame.follow(frame, window)  # not moved: the window keeps its own place
    assert window.geometry() == start
    frame.setGeometry(frame.x() + 40, frame.y() + 30, SIZE[0] - 100, SIZE[1] - 50)
    qtbot.waitUntil(lambda: frame.width() == SIZE[0] - 100)
    first_frame.follow(frame, window)
    assert window.geometry() == frame.geometry() != start
    frame.showMaximized()
    qtbot.waitUntil(frame.isMaximized)
    first_frame.follow(frame, window)
    assert window.windowState() & Qt.WindowState.WindowMaximized
    frame.close()


def test_a_window_closed_maximised_gets_its_picture_maximised(
    qtbot, monkeypatch, tmp_path, project
):
    """The window was maximised when closed: its picture (of the maximised window) is
    shown maximised at the next start (it never was: the size check read the restored
    window's normal size before it was shown)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    monkeypatch.setenv("INNOATLAS_DATA_DIR", str(tmp_path / "data"))
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.showMaximized()
    qtbot.waitUntil(lambda: window.isMaximized() and window.width() > SIZE[0] - 1)
    qtbot.wait(50)
    maximised = (window.width(), window.height())
    settings = QSettings()
    saved = settings.value(first_frame.GEOMETRY_KEY, None)
    settings.setValue(first_frame.GEOMETRY_KEY, window.saveGeometry())
    window.close()
    try:
        image = QImage(*maximised, QImage.Format.Format_RGB32)
        image.fill(0xFF336699)
        key = first_frame.project_key(project, "en")
        # a picture of the window before it was maximised: not shown (no wrong-size flash)
        assert first_frame.remember(project, key, image, "project — InnoAtlas", 1.0)
        assert first_frame.show_cached(project, key, None) is None
        assert first_frame.remember(project, key, image, "project — InnoAtlas", 1.0, True)
        frame = first_frame.show_cached(project, key, None)
        assert frame is not None
        qtbot.addWidget(frame)
        assert frame.isMaximized() and (frame.width(), frame.height()) == maximised
        frame.close()
    finally:
        if saved is None:
            settings.remove(first_frame.GEOMETRY_KEY)
        else:
            settings.setValue(first_frame.GEOMETRY_KEY, saved)
