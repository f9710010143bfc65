#!/usr/bin/env python3
"""Set up and run InnoAtlas from a fresh clone: the two README commands.

    python3 dev.py run  [innoatlas arguments]   start the app (default project)
    python3 dev.py test [pytest arguments]      the code checks, then the test suite
    python3 dev.py check                        the code checks only

The code checks (configured in pyproject.toml) are the architecture contracts
(import-linter), ruff's lint and format check, and mypy on the Qt-free packages.

Both create ``.venv/`` at the repository root when it is missing, install the
pinned dependencies from ``requirements.lock`` and the project itself (editable),
then run inside that environment. Works on Linux, macOS and Windows.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".innoatlas-installed"


def _venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _wanted_stamp() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_venv() -> Path:
    """Create .venv and install the pinned dependencies if not done yet."""
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs on any python3 to say so)
        sys.exit(f"InnoAtlas needs Python 3.11 or newer (this is {sys.version.split()[0]}).")
    python = _venv_python()
    if python.exists() and not _pip_works(python):
        print(f"{VENV} is incomplete (no pip); creating it again ...", flush=True)
        STAMP.unlink(missing_ok=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if not python.exists():
        print(f"Creating {VENV} ...", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except subprocess.CalledProcessError:
            sys.exit(
                "Could not create .venv with pip. On Debian/Ubuntu install it first: "
                "sudo apt-get install python3-venv"
            )
    wanted = _wanted_stamp()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return python
    print("Installing pinned dependencies (requirements.lock) ...", flush=True)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "install", "-q"]
    try:
        subprocess.check_call(pip + ["-r", str(LOCK)])
        # Editable install: gives the `innoatlas` command inside .venv.
        subprocess.check_call(pip + ["--no-deps", "-e", str(ROOT)])
    except subprocess.CalledProcessError as err:
        sys.exit(
            f"Installing the dependencies failed (pip exit code {err.returncode}); "
            "see the messages above. Nothing else was changed."
        )
    STAMP.write_text(wanted)
    return python


def _pip_works(python: Path) -> bool:
    return (
        subprocess.call(
            [str(python), "-m", "pip", "--version"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        == 0
    )


#: The code checks, in the order they run; each is run by the venv's Python.
CHECKS = (
    (
        "architecture contracts (import-linter)",
        [
            "-c",
            "import sys; from importlinter.cli import lint_imports_command as c; "
            "sys.exit(c(['--no-cache']))",
        ],
    ),
    ("ruff lint", ["-m", "ruff", "check", "--no-cache", "."]),
    ("ruff format", ["-m", "ruff", "format", "--check", "--no-cache", "."]),
    ("mypy (layers, app.core)", ["-m", "mypy"]),
)


def run_checks(python: Path) -> int:
    """Run every code check; return the exit code of the first that fails (0 if none)."""
    for name, args in CHECKS:
        print(f"check: {name}", flush=True)
        code = subprocess.call([str(python), *args], cwd=ROOT)
        if code != 0:
            print(f"check failed: {name} (exit code {code})", file=sys.stderr, flush=True)
            return code
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "check"}:
        print(__doc__)
        return 2
    python = ensure_venv()
    command, rest = argv[0], argv[1:]
    if command == "run":
        return subprocess.call([str(python), "-m", "app", *rest], cwd=ROOT)
    code = run_checks(python)
    if command == "check" or code != 0:
        return code
    return subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
