"""Errors whose message is written for the user (one line, no traceback)."""


class InnoAtlasError(Exception):
    """A problem the user can act on; ``str(err)`` is the one-line message shown."""


class ProjectLoadError(InnoAtlasError):
    """A project or layer could not be read."""
