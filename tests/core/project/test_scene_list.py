"""SceneList: the Qt-free evented list of scenes (insert, remove, replace, move, reset)."""

import pytest

from app.core.project.scenes import Scene, SceneList

EXTENT = (0.0, 0.0, 100.0, 100.0)


def _scene(scene_id, title=None):
    return Scene(scene_id, title or scene_id.upper(), EXTENT)


def _recording(scenes):
    """Every signal of ``scenes`` as ``(name, *args)`` in the order emitted."""
    events = []
    for name in (
        "inserting",
        "inserted",
        "removing",
        "removed",
        "moving",
        "moved",
        "replaced",
        "resetting",
        "reset",
        "changed",
    ):
        getattr(scenes, name).connect(lambda *args, name=name: events.append((name, *args)))
    return events


def test_edits_change_the_list_and_emit_before_and_after():
    a, b, c = _scene("a"), _scene("b"), _scene("c")
    scenes = SceneList([a, b])
    events = _recording(scenes)
    assert scenes.insert(99, c) == 2  # clamped to the end
    assert events == [("inserting", 2), ("inserted", 2, c), ("changed",)]
    events.clear()
    scenes.move(2, 0)
    assert [s.scene_id for s in scenes] == ["c", "a", "b"]
    assert events == [("moving", 2, 0), ("moved", 2, 0), ("changed",)]
    events.clear()
    renamed = Scene("a", "Renamed", EXTENT)
    assert scenes.replace(1, renamed) is a
    assert events == [("replaced", 1, a, renamed), ("changed",)]
    events.clear()
    assert scenes.remove(0) is c
    assert events == [("removing", 0), ("removed", 0, c), ("changed",)]
    assert scenes.scenes == [renamed, b] and len(scenes) == 2 and scenes[1] is b
    assert scenes.index_of("b") == 1 and scenes.index_of("c") == -1


def test_the_list_is_unchanged_before_the_ing_signals():
    scenes = SceneList([_scene("a"), _scene("b")])
    seen = []
    scenes.removing.connect(lambda index: seen.append(len(scenes)))
    scenes.moving.connect(lambda index, to: seen.append(scenes[index].scene_id))
    scenes.move(0, 1)
    scenes.remove(0)
    assert seen == ["a", 2]


def test_bad_positions_raise_and_emit_nothing():
    scenes = SceneList([_scene("a")])
    events = _recording(scenes)
    for edit in (
        lambda: scenes.remove(1),
        lambda: scenes.replace(-1, _scene("x")),
        lambda: scenes.move(0, 1),
    ):
        with pytest.raises(IndexError):
            edit()
    scenes.move(0, 0)  # nowhere to go
    assert events == [] and [s.scene_id for s in scenes] == ["a"]


def test_set_scenes_resets_and_localize_retitles_only_default_titles():
    scenes = SceneList()
    events = _recording(scenes)
    gvalley, magok = Scene("gvalley", "G-Valley", EXTENT), Scene("magok", "Airport", EXTENT)
    scenes.set_scenes([gvalley, magok])
    assert events == [("resetting",), ("reset",), ("changed",)]
    events.clear()
    assert scenes.localize("ko")
    korean = scenes[0]
    assert korean.title == "G밸리 (서울디지털산업단지)" and scenes[1] is magok  # renamed: kept
    assert events == [("replaced", 0, gvalley, korean), ("changed",)]
    events.clear()
    assert not scenes.localize("ko") and events == []
