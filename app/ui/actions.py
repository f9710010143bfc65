"""Every user-facing action, declared once; menus and toolbars are built from this list."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ActionSpec:
    """One QAction: stable ``object_name``, text, shortcut, tooltip and where it appears."""

    object_name: str
    text: str
    menu: str
    shortcut: str = ""
    tip: str = ""
    toolbar: bool = False
    checkable: bool = False
    icon: str = ""  # a QStyle standard pixmap name or a theme icon
    separator_before: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("actionQuit", "&Quit", "&File", "Ctrl+Q", "Close InnoAtlas"),
    ActionSpec("actionPan", "&Pan", "&View", "Ctrl+Shift+P",
               "Drag the map to pan (wheel zooms, arrow keys pan)", toolbar=True,
               checkable=True, icon="pan"),
    ActionSpec("actionIdentify", "&Identify features", "&View", "Ctrl+Shift+I",
               "Click a feature to see its attributes", toolbar=True, checkable=True, icon="identify"),
    ActionSpec("actionZoomIn", "Zoom &in", "&View", "Ctrl++", "Zoom in (also + on the map)",
               toolbar=True, separator_before=True, icon="zoom_in"),
    ActionSpec("actionZoomOut", "Zoom &out", "&View", "Ctrl+-", "Zoom out (also - on the map)",
               toolbar=True, icon="zoom_out"),
    ActionSpec("actionZoomFull", "Zoom to &full extent", "&View", "Ctrl+Shift+F",
               "Show every layer", toolbar=True, icon="zoom_full"),
    ActionSpec("actionZoomGvalley", "Zoom to &G-Valley", "&View", "Ctrl+1",
               "Zoom to G-Valley (서울디지털산업단지)", toolbar=True, separator_before=True, icon="district"),
    ActionSpec("actionZoomMagok", "Zoom to &Magok", "&View", "Ctrl+2", "Zoom to Magok (마곡)",
               toolbar=True, icon="district"),
    ActionSpec("actionZoomYangjae", "Zoom to &Yangjae/Gaepo", "&View", "Ctrl+3",
               "Zoom to Yangjae/Gaepo (양재·개포)", toolbar=True, icon="district"),
    ActionSpec("actionLayerProperties", "Layer &properties…", "&Layer", "Ctrl+Shift+L",
               "Source, licence and status of the selected layer"),
    ActionSpec("actionLayerUp", "Move layer &up", "&Layer", "Ctrl+Up",
               "Draw the selected layer above the one over it"),
    ActionSpec("actionLayerDown", "Move layer &down", "&Layer", "Ctrl+Down",
               "Draw the selected layer below the one under it"),
    ActionSpec("actionAbout", "&About InnoAtlas and its data", "&Help", "F1",
               "Version, data sources, licences and caveats"),
)

#: action object name -> district_id for the zoom-to-district actions
DISTRICT_ACTIONS = {"actionZoomGvalley": "gvalley", "actionZoomMagok": "magok",
                    "actionZoomYangjae": "yangjae"}
