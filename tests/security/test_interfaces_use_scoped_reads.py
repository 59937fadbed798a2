"""Views and APIs never query models directly: they call selectors and services, which
reach personal data only through the organisation in scope (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

ENGAGE = Path(__file__).resolve().parents[2] / "engage"
# At any depth, so a sub-area's pages (conversations/imports/views.py) are checked too;
# a prefixed sibling (import_views.py) is refused by engage/core/tests/test_app_shape.py.
INTERFACE_FILES = sorted({*ENGAGE.rglob("views.py"), *ENGAGE.rglob("apis.py")})


def test_there_are_interfaces_to_check() -> None:
    assert len(INTERFACE_FILES) >= 4


def test_no_view_or_api_touches_a_model_manager() -> None:
    offenders = []
    for path in INTERFACE_FILES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}:
                offenders.append(f"{path.relative_to(ENGAGE.parent)}:{node.lineno}")
    assert not offenders, "Use a selector or service instead of Model.objects: " + ", ".join(offenders)
