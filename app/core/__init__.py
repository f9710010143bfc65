"""Qt-free engine of InnoAtlas (never imports PySide6)."""
