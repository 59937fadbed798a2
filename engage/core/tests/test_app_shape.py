"""Each app has the shape docs/architecture.md describes, so a guard that applies by a
file's name applies to every app."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

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


# The standard names of an app's, or a sub-area's, modules (ARCHITECTURE.md).
STANDARD = (
    "models",
    "services",
    "selectors",
    "views",
    "forms",
    "apis",
    "tasks",
    "urls",
    "runner",
    "pipeline",
)
INTERFACES = {"api", "site", "staff", "cli", "demo"}


def _pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def _contract(name_starts: str) -> dict[str, Any]:
    contracts = _pyproject()["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"].startswith(name_starts))


def _areas() -> list[Path]:
    """Every app, and every package inside one that holds a module of a standard name."""
    found = []
    for init in sorted((ROOT / "engage").rglob("__init__.py")):
        package = init.parent
        if "tests" in package.parts or "migrations" in package.parts or "management" in package.parts:
            continue
        if package.parent == ROOT / "engage" or any((package / f"{n}.py").is_file() for n in STANDARD):
            found.append(package)
    return found


def _dotted(package: Path) -> str:
    return ".".join(package.relative_to(ROOT).parts)


def test_no_sub_area_is_a_prefixed_sibling() -> None:
    """A sub-area is a sub-package with the standard names (`decisions/feedback/services.py`),
    never `feedback_services.py` beside the app's own, which no guard would find by name."""
    prefixed = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "engage").rglob("*_*.py")
        if "migrations" not in path.parts
        and "tests" not in path.parts
        and any(path.stem.endswith(f"_{name}") for name in STANDARD)
    ]
    assert not prefixed, f"Make these modules of a sub-package: {prefixed}"


def test_every_app_is_placed_in_the_order_of_apps() -> None:
    """The app-order contract names every app, so a new one cannot slip in unordered."""
    layers = _contract("apps import only the apps below them")["layers"]
    named = {module.strip() for layer in layers for module in layer.split(":")}
    apps = {
        _dotted(package) for package in (ROOT / "engage").iterdir() if (package / "__init__.py").is_file()
    }
    assert apps - named == set(), f"Place these apps in the app-order contract: {apps - named}"
    assert {f"engage.{name}" for name in INTERFACES} <= {m.strip() for m in layers[0].split(":")}


def test_every_app_and_sub_area_keeps_its_layers() -> None:
    """Inside each app and sub-area, interfaces sit above services and selectors: every
    one is a container of that contract."""
    containers = set(_contract("interfaces sit above services")["containers"])
    areas = {_dotted(package) for package in _areas()}
    layered_elsewhere = {"engage.core", "engage.api", "engage.cli", "engage.demo"}
    missing = areas - containers - layered_elsewhere
    assert not missing, f"Add these to the layers contract's containers: {sorted(missing)}"


def test_strict_typing_reaches_every_sub_area() -> None:
    """mypy's strict modules are given by pattern; a star matches any depth, so a
    sub-area's services, selectors, runner and tasks are held to the same standard."""
    strict = next(o for o in _pyproject()["tool"]["mypy"]["overrides"] if o.get("strict"))
    patterns = [re.compile("^" + re.escape(p).replace(r"\*", ".*") + "$") for p in strict["module"]]
    for package in _areas():
        for name in ("services", "selectors", "runner", "pipeline", "tasks"):
            if (package / f"{name}.py").is_file():
                module = f"{_dotted(package)}.{name}"
                assert any(p.match(module) for p in patterns), f"{module} is not type-checked strictly"
