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
    submenu: str = ""  # a submenu of ``menu`` (e.g. Settings › Language)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "actionNew",
        "&New project",
        "&File",
        "Ctrl+N",
        "Start a new project from the embedded default data",
    ),
    ActionSpec("actionOpen", "&Open project…", "&File", "Ctrl+O", "Open a project GeoPackage"),
    ActionSpec(
        "actionSave", "&Save project", "&File", "Ctrl+S", "Save the project (one GeoPackage file)"
    ),
    ActionSpec(
        "actionSaveAs",
        "Save project &as…",
        "&File",
        "Ctrl+Shift+S",
        "Save the project to another file",
    ),
    ActionSpec(
        "actionAddLayer",
        "&Add layer…",
        "&File",
        "Ctrl+Shift+V",
        "Add a GeoPackage, Shapefile, GeoJSON or CSV layer (any CRS; Korean "
        "encodings detected); you can also drop files on the map",
        separator_before=True,
    ),
    ActionSpec(
        "actionExportGpkg",
        "&Export GeoPackage for QGIS/ArcGIS…",
        "&File",
        "Ctrl+E",
        "Every layer, the sites with their indicators, QGIS styles (layer_styles) and "
        "provenance in one GeoPackage",
        separator_before=True,
    ),
    ActionSpec(
        "actionExportShp",
        "Export &Shapefiles, GeoJSON or FlatGeobuf…",
        "&File",
        "",
        "One file per layer and geometry type into a folder, with QGIS/SLD styles, "
        "fields.csv (Shapefile) and README.txt with the provenance",
    ),
    ActionSpec(
        "actionExportMap",
        "Export &map (PNG/PDF)…",
        "&File",
        "Ctrl+P",
        "The current view with title, legend, scale bar, north arrow and "
        "attribution, as PNG or vector PDF",
    ),
    ActionSpec(
        "actionExportHtml",
        "Export &web map (HTML)…",
        "&File",
        "Ctrl+Shift+E",
        "An interactive map in one HTML file that opens in any browser without "
        "internet: layers, legend, site popups with indicators, scene buttons",
    ),
    ActionSpec(
        "actionExportDossiers",
        "Export site &dossiers (PDF)…",
        "&File",
        "",
        "One A4 page per site: map inset, indicators, score breakdown and its robustness, "
        "zoning, nearest stations and universities, data notes",
    ),
    ActionSpec("actionQuit", "&Quit", "&File", "Ctrl+Q", "Close InnoAtlas", separator_before=True),
    ActionSpec("actionUndo", "&Undo", "&Edit", "Ctrl+Z", "Undo the last edit"),
    ActionSpec("actionRedo", "&Redo", "&Edit", "Ctrl+Shift+Z", "Redo the last undone edit"),
    ActionSpec(
        "actionPan",
        "&Pan",
        "&View",
        "Ctrl+Shift+P",
        "Drag the map to pan (wheel zooms, arrow keys pan)",
        toolbar=True,
        checkable=True,
        icon="pan",
    ),
    ActionSpec(
        "actionIdentify",
        "&Identify features",
        "&View",
        "Ctrl+Shift+I",
        "Click a feature to see its attributes",
        toolbar=True,
        checkable=True,
        icon="identify",
    ),
    ActionSpec(
        "actionMeasure",
        "&Measure distance and area",
        "&View",
        "Ctrl+Shift+M",
        "Click points to measure a distance; switch to Area in the measure panel. "
        "Backspace removes the last point, Esc starts again",
        toolbar=True,
        checkable=True,
        icon="measure",
    ),
    ActionSpec(
        "actionSelectFeatures",
        "&Select features",
        "&View",
        "Ctrl+Shift+K",
        "Click or drag a box on the map to select features of the selected layer "
        "(Shift adds, Ctrl removes); the attribute table shows them",
        toolbar=True,
        checkable=True,
        icon="select",
    ),
    ActionSpec(
        "actionFindPlace",
        "&Find a place…",
        "&View",
        "Ctrl+F",
        "Search districts, gu, dongs, stations, universities, sites and imported layers by "
        "name (Korean, English or initial consonants such as ㅁㄱ), or type coordinates",
    ),
    ActionSpec(
        "actionZoomIn",
        "Zoom &in",
        "&View",
        "Ctrl++",
        "Zoom in (also + on the map)",
        toolbar=True,
        separator_before=True,
        icon="zoom_in",
    ),
    ActionSpec(
        "actionZoomOut",
        "Zoom &out",
        "&View",
        "Ctrl+-",
        "Zoom out (also - on the map)",
        toolbar=True,
        icon="zoom_out",
    ),
    ActionSpec(
        "actionZoomFull",
        "Zoom to &full extent",
        "&View",
        "Ctrl+Shift+F",
        "Show every layer",
        toolbar=True,
        icon="zoom_full",
    ),
    ActionSpec(
        "actionZoomGvalley",
        "Zoom to &G-Valley",
        "&View",
        "Ctrl+1",
        "Zoom to G-Valley (서울디지털산업단지)",
        toolbar=True,
        separator_before=True,
        icon="district",
    ),
    ActionSpec(
        "actionZoomMagok",
        "Zoom to &Magok",
        "&View",
        "Ctrl+2",
        "Zoom to Magok (마곡)",
        toolbar=True,
        icon="district",
    ),
    ActionSpec(
        "actionZoomYangjae",
        "Zoom to &Yangjae/Gaepo",
        "&View",
        "Ctrl+3",
        "Zoom to Yangjae/Gaepo (양재·개포)",
        toolbar=True,
        icon="district",
    ),
    ActionSpec(
        "actionPresent",
        "&Present",
        "&View",
        "F5",
        "Full screen for a projector: big title and legend, large labels; Page "
        "Down/Up step through the scenes, Esc leaves",
        checkable=True,
        separator_before=True,
    ),
    ActionSpec(
        "actionNextScene",
        "&Next scene",
        "&View",
        "PgDown",
        "Go to the next scene with a short pan and zoom (also → while presenting)",
    ),
    ActionSpec(
        "actionPreviousScene",
        "Pre&vious scene",
        "&View",
        "PgUp",
        "Go to the previous scene (also ← while presenting)",
    ),
    ActionSpec(
        "actionAddScene",
        "&Add current view as scene",
        "&View",
        "Ctrl+Shift+A",
        "Save the current view and visible layers as a scene (Scenes panel)",
    ),
    ActionSpec(
        "actionBasemap",
        "&Basemap…",
        "&View",
        "",
        "Put a street map or aerial photos under the layers (OpenStreetMap, VWorld, any XYZ URL)",
        separator_before=True,
    ),
    ActionSpec(
        "actionCatchmentsAuto",
        "&Automatic",
        "&View",
        "",
        "Fill the sites' catchment circles faintly, outlines only where they overlap",
        checkable=True,
        submenu="&Catchments",
    ),
    ActionSpec(
        "actionCatchmentsOutline",
        "&Outlines only",
        "&View",
        "",
        "Draw the sites' catchment circles as dashed outlines",
        checkable=True,
        submenu="&Catchments",
    ),
    ActionSpec(
        "actionCatchmentsFill",
        "&Filled",
        "&View",
        "",
        "Fill the sites' catchment circles faintly, also where they overlap",
        checkable=True,
        submenu="&Catchments",
    ),
    ActionSpec(
        "actionCatchmentsOff",
        "&Hidden",
        "&View",
        "",
        "Hide the sites' catchment circles (the indicators still use them)",
        checkable=True,
        submenu="&Catchments",
    ),
    ActionSpec(
        "actionPresentationCard",
        "Indicator &card while presenting",
        "&View",
        "I",
        "Show the selected site's indicators as a large card over the map in presentation mode",
        checkable=True,
    ),
    ActionSpec(
        "actionPointSite",
        "Add &point site",
        "&Sites",
        "P",
        "Click to place a site with a catchment circle",
        checkable=True,
        icon="point_site",
    ),
    ActionSpec(
        "actionPolygonSite",
        "Add p&olygon site",
        "&Sites",
        "G",
        "Click corners; Enter or double-click finishes, Backspace removes a corner, Esc pauses",
        checkable=True,
        icon="polygon_site",
    ),
    ActionSpec(
        "actionRectangleSite",
        "Add &rectangle site",
        "&Sites",
        "R",
        "Drag a rectangle",
        checkable=True,
        icon="rectangle_site",
    ),
    ActionSpec(
        "actionCircleSite",
        "Add &circle site",
        "&Sites",
        "C",
        "Drag from the centre to set the radius",
        checkable=True,
        icon="circle_site",
    ),
    ActionSpec(
        "actionEditSites",
        "&Edit sites",
        "&Sites",
        "E",
        "Select, move and reshape sites; double-click an edge adds a corner, Delete "
        "removes the corner under the cursor or the site",
        checkable=True,
        icon="edit_sites",
    ),
    ActionSpec(
        "actionSnapping",
        "&Snapping",
        "&Sites",
        "S",
        "Snap to vertices and edges of visible layers",
        checkable=True,
        icon="snap",
        separator_before=True,
    ),
    ActionSpec(
        "actionDeleteSite",
        "&Delete selected site",
        "&Sites",
        "",
        "Delete the selected site (undoable)",
    ),
    ActionSpec(
        "actionLayerProperties",
        "Layer &properties…",
        "&Layer",
        "Ctrl+Shift+L",
        "Source, licence and status of the selected layer",
    ),
    ActionSpec(
        "actionAttributeTable",
        "Open &attribute table",
        "&Layer",
        "F6",
        "The selected layer's features as a table: sort, filter by expression, select, "
        "edit values (undoable), copy and export",
    ),
    ActionSpec(
        "actionZoomToLayer",
        "&Zoom to layer",
        "&Layer",
        "",
        "Show all the features of the selected layer",
    ),
    ActionSpec(
        "actionRemoveLayer",
        "&Remove layer",
        "&Layer",
        "Ctrl+D",
        "Remove the selected imported or analysis layer from the project (undoable)",
    ),
    ActionSpec(
        "actionLayerUp",
        "Move layer &up",
        "&Layer",
        "Ctrl+Up",
        "Draw the selected layer above the one over it",
    ),
    ActionSpec(
        "actionLayerDown",
        "Move layer &down",
        "&Layer",
        "Ctrl+Down",
        "Draw the selected layer below the one under it",
    ),
    ActionSpec(
        "actionStartParticipation",
        "Start &participation…",
        "&Workshop",
        "Ctrl+Shift+W",
        "Let the people in the room vote, comment and pin from their phones: a server on "
        "this laptop, a QR code to scan (also while presenting)",
    ),
    ActionSpec(
        "actionStopParticipation",
        "&Stop participation",
        "&Workshop",
        "",
        "End the participation server; what participants sent stays in the project",
    ),
    ActionSpec(
        "actionLanguageEn",
        "English",
        "Se&ttings",
        "",
        "Show the user interface in English",
        checkable=True,
        submenu="&Language",
    ),
    ActionSpec(
        "actionLanguageKo",
        "한국어",
        "Se&ttings",
        "",
        "Show the user interface in Korean (한국어)",
        checkable=True,
        submenu="&Language",
    ),
    ActionSpec(
        "actionGuide",
        "&User guide",
        "&Help",
        "F1",
        "The user guide (offline): open a project, layers, sketch sites, indicators, "
        "suggest, export, present",
    ),
    ActionSpec(
        "actionDataSources",
        "&Data sources",
        "&Help",
        "",
        "The official datasets Add layer recognises: where each is published, its "
        "licence, what to download for the three districts",
    ),
    ActionSpec(
        "actionShortcuts",
        "&Keyboard shortcuts",
        "&Help",
        "Ctrl+F1",
        "Every keyboard shortcut of the menus and of the map tools",
    ),
    ActionSpec(
        "actionAbout",
        "&About InnoAtlas and its data",
        "&Help",
        "",
        "Version, data sources, licences and caveats",
        separator_before=True,
    ),
)

#: Keys the map and its tools read themselves (no menu action): (keys, what they do).
#: Help → Keyboard shortcuts lists them after the actions' shortcuts.
MAP_KEYS: tuple[tuple[str, str], ...] = (
    ("←  →  ↑  ↓", "Pan the map (while presenting: previous/next scene)"),
    ("+  −", "Zoom in / out"),
    ("Enter", "Polygon: finish the site (or resume a paused sketch)"),
    ("Backspace", "Polygon: remove the last corner"),
    (
        "Esc",
        "Pause a sketch, then discard it; cancel a drag; while presenting: close the "
        "card, then leave",
    ),
    ("Delete", "Edit tool: remove the corner under the cursor, else the selected site"),
    ("F2", "Scenes panel: rename the selected scene"),
    ("Backspace  Esc", "Measure: remove the last point; start again"),
    ("Enter", "Measure: finish the line or area (a click starts a new one)"),
)

#: Map tools: action object name -> tool attribute of the main window
TOOL_ACTIONS = {
    "actionPan": "pan_tool",
    "actionIdentify": "identify_tool",
    "actionPointSite": "point_tool",
    "actionPolygonSite": "polygon_tool",
    "actionRectangleSite": "rectangle_tool",
    "actionCircleSite": "circle_tool",
    "actionEditSites": "edit_tool",
    "actionMeasure": "measure_tool",
    "actionSelectFeatures": "select_tool",
}

#: action object name -> UI language code for Settings › Language
LANGUAGE_ACTIONS = {"actionLanguageEn": "en", "actionLanguageKo": "ko"}

#: action object name -> catchment mode for View › Catchments (app/ui/window/catchments.py)
CATCHMENT_ACTIONS = {
    "actionCatchmentsAuto": "auto",
    "actionCatchmentsOutline": "outline",
    "actionCatchmentsFill": "fill",
    "actionCatchmentsOff": "off",
}

#: action object name -> district_id for the zoom-to-district actions
DISTRICT_ACTIONS = {
    "actionZoomGvalley": "gvalley",
    "actionZoomMagok": "magok",
    "actionZoomYangjae": "yangjae",
}
