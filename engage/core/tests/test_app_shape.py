"""Each app has the shape docs/architecture.md describes, so a guard that applies by a
file's name applies to every app."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_app_with_models_has_its_factories() -> None:
    """Each app's tests make its records through its own factories (factory_boy), so a
    new required field is given once, not in every test that makes one."""
    missing = [
        app.name
        for app in (ROOT / "engage").iterdir()
        if (app / "models.py").is_file() and not (app / "tests" / "factories.py").is_file()
    ]
    assert not missing, f"Add tests/factories.py to: {missing}"
