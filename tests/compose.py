"""The commands docker-compose.yml runs, so the tests run exactly those."""

import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())


def service_command(service: str) -> list[str]:
    """The service's command, with its program taken from this virtualenv."""
    program, *args = compose()["services"][service]["command"]
    if program == "python":
        return [sys.executable, *args]
    return [str(Path(sys.executable).with_name(program)), *args]
