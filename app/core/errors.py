"""Errors whose message is written for the user (one line, no traceback)."""


class InnoAtlasError(Exception):
    """A problem the user can act on; ``str(err)`` is the one-line message shown."""


class ProjectLoadError(InnoAtlasError):
    """A project or layer could not be read."""


def first_line(err: BaseException) -> str:
    """The first line of an error's message, or its class name when it has none.

    Parameters
    ----------
    err : BaseException
        Any exception, ours or a library's.

    Returns
    -------
    str
        One line for a status bar, a dialog title or ``innoatlas: error: ...``.
    """
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
