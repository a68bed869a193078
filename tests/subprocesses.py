"""Helpers for the tests that run the real ``asn-career`` command and other Python processes.

Every child gets the environment of the test run minus any ``ASN_CAREER_*`` variable, so what
a developer has exported (a database, a JWT secret) never leaks into what is tested; each
test passes the settings it means explicitly.
"""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SETTINGS_PREFIX = "ASN_CAREER_"


def cli_path() -> str:
    """The installed ``asn-career`` console script (next to this interpreter, else on PATH)."""
    beside = Path(sys.executable).parent / "asn-career"
    if beside.is_file():
        return str(beside)
    found = shutil.which("asn-career")
    assert found, "the asn-career console script is not installed (pip install -e .)"
    return found


def child_env(**settings: str) -> dict[str, str]:
    """This process's environment without ``ASN_CAREER_*``, plus ``settings``.

    ``child_env(database_url=url)`` sets ``ASN_CAREER_DATABASE_URL``.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_PREFIX)}
    env.update({f"{SETTINGS_PREFIX}{name.upper()}": value for name, value in settings.items()})
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_cli(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``asn-career ARGS…``, its output captured; never raises on a non-zero exit."""
    return subprocess.run(  # noqa: S603 - our own console script
        [cli_path(), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def describe(result: subprocess.CompletedProcess[str]) -> str:
    """What a failed assertion should show about a finished command."""
    return (
        f"{result.args!r} exited {result.returncode}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
