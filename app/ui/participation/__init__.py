"""Workshop participation in the GUI: controller, panel, map overlay (app/core/participation)."""
