"""Notebook widgets (ipywidgets 8): a model browser, a filter builder, a live preview.

``pip install ipywidgets`` (or ``odoo-frames[widgets]``). Importing this package does
not import ipywidgets: that happens when a widget is made.

Example::

    from odoo_frames.widgets import explore

    ex = explore(odoo)               # pick a model, add conditions, see count and rows
    ex.frame                         # the filter built, as an ordinary OdooFrame
    ex.frame.to_pandas()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .explorer import Explorer
    from .filters import FilterBuilder, FilterRow

__all__ = ["Explorer", "FilterBuilder", "FilterRow", "explore"]

_WHERE = {"Explorer": "explorer", "FilterBuilder": "filters", "FilterRow": "filters"}


def explore(odoo: Any, model: str | None = None, *, rows: int = 10) -> Explorer:
    """A model browser with a filter builder, a preview and a groupby chart.

    See :mod:`odoo_frames.widgets.explorer`; ``rows`` is the preview's length.
    """
    _require_ipywidgets()
    from .explorer import Explorer

    return Explorer(odoo, model, rows=rows)


def _require_ipywidgets() -> None:
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        raise ImportError(
            "odoo_frames.widgets needs ipywidgets 8: pip install ipywidgets "
            "(or pip install 'odoo-frames[widgets]')"
        ) from None


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module = importlib.import_module(f"{__name__}.{_WHERE[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
