"""Every retention test keeps the software's own folder (VAR_DIR, where subject access
ZIPs are written) in a folder of its own: a run sweeps that folder for files left
behind, and must never reach a developer's real one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _var_in_tmp(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR
