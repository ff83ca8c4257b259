"""Altair, imported when a chart template is first made (`templates.make_template`).

A build takes the templates from the chart cache (`templates.template`), so most build
processes never need Altair; importing it cost about 0.3 s of every build's start. The chart
modules use `alt` only inside their functions.
"""

from __future__ import annotations

import importlib
from typing import Any


class Later:
    """A module imported on its first attribute asked for."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


alt: Any = Later("altair")
