"""Run ``python -m app SUBCOMMAND ...`` in a child process and check one-line error exits."""

import subprocess
import sys


def run_innoatlas(*args, timeout=120) -> subprocess.CompletedProcess:
    """``python -m app *args`` with text output captured."""
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, text: str = "") -> None:
    """Exit code 2, one ``innoatlas: error:`` line containing ``text``, no traceback, no
    output on stdout."""
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("innoatlas: error:"), result.stderr
    assert text in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""
