"""matplotlib helpers: ``f(data, *, x, y, ax=None, **kw) -> Axes``.

pyplot is imported only when something is drawn, so ``import odoo_frames`` stays fast
and works without matplotlib installed. Time buckets (the period starts a groupby
returns) are sorted and labelled by period (``2026-11``, ``2026-Q4``...), several
``y`` columns are drawn side by side, and a many2one key is labelled by its
display name.

Example::

    ax = monthly.plot.bar(x="date_order:month", y="total")
    ax.figure.savefig("monthly.png")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def _prepare(
    data: pd.DataFrame, x: str, y: str | Sequence[str]
) -> tuple[pd.DataFrame, list[str], list[str]]:
    import pandas as pd

    ys = [y] if isinstance(y, str) else list(y)
    missing = [c for c in [x, *ys] if c not in data.columns]
    if missing:
        raise KeyError(
            f"plot: no column {missing[0]!r}; columns are {', '.join(map(str, data.columns))}"
        )
    frame = data.copy()
    xcol = frame[x]
    label_column = f"{x}.display_name"
    if pd.api.types.is_datetime64_any_dtype(xcol) or _holds_dates(xcol):
        frame = frame.sort_values(x, na_position="last")
        labels = [_period_label(v, x) for v in frame[x]]
    elif label_column in frame.columns:
        labels = [str(v) if isinstance(v, str) else "(none)" for v in frame[label_column]]
    else:
        labels = ["(none)" if _isna(v) else str(v) for v in frame[x]]
    return frame, labels, ys


def _holds_dates(series: Any) -> bool:
    import datetime as dt

    sample = series.dropna()
    return bool(len(sample)) and isinstance(sample.iloc[0], dt.date)


def _isna(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _period_label(value: Any, column: str) -> str:
    import pandas as pd

    if _isna(value):
        return "(none)"
    stamp = pd.Timestamp(value)
    granularity = column.rpartition(":")[2] if ":" in column else "day"
    if granularity == "year":
        return f"{stamp.year}"
    if granularity == "quarter":
        return f"{stamp.year}-Q{stamp.quarter}"
    if granularity == "month":
        return stamp.strftime("%Y-%m")
    if granularity == "week":
        iso = stamp.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    if granularity == "hour":
        return stamp.strftime("%Y-%m-%d %H:00")
    return stamp.strftime("%Y-%m-%d")


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=(9, 4.5))
    return new_ax


def bar(
    data: pd.DataFrame,
    *,
    x: str,
    y: str | Sequence[str],
    ax: Any = None,
    horizontal: bool = False,
    **kw: Any,
) -> Any:
    """Bars of ``y`` per ``x``; several ``y`` columns are grouped side by side."""
    import numpy as np

    frame, labels, ys = _prepare(data, x, y)
    axes = _axes(ax)
    positions = np.arange(len(frame))
    width = 0.8 / len(ys)
    for i, column in enumerate(ys):
        offset = (i - (len(ys) - 1) / 2) * width
        values = frame[column].astype(float).fillna(0).to_numpy()
        if horizontal:
            axes.barh(positions + offset, values, height=width, label=column, **kw)
        else:
            axes.bar(positions + offset, values, width=width, label=column, **kw)
    if horizontal:
        axes.set_yticks(positions, labels)
        axes.set_xlabel(", ".join(ys))
    else:
        axes.set_xticks(
            positions,
            labels,
            rotation=45 if len(labels) > 6 else 0,
            ha="right" if len(labels) > 6 else "center",
        )
        axes.set_ylabel(", ".join(ys))
    if len(ys) > 1:
        axes.legend()
    axes.set_title(f"{', '.join(ys)} by {x}")
    axes.figure.tight_layout()
    return axes


def barh(data: pd.DataFrame, *, x: str, y: str | Sequence[str], ax: Any = None, **kw: Any) -> Any:
    return bar(data, x=x, y=y, ax=ax, horizontal=True, **kw)


def line(data: pd.DataFrame, *, x: str, y: str | Sequence[str], ax: Any = None, **kw: Any) -> Any:
    """A line per ``y`` column over ``x`` (time buckets in order)."""
    frame, labels, ys = _prepare(data, x, y)
    axes = _axes(ax)
    positions = list(range(len(frame)))
    for column in ys:
        axes.plot(positions, frame[column].astype(float).to_numpy(), marker="o", label=column, **kw)
    axes.set_xticks(
        positions,
        labels,
        rotation=45 if len(labels) > 6 else 0,
        ha="right" if len(labels) > 6 else "center",
    )
    axes.set_ylabel(", ".join(ys))
    if len(ys) > 1:
        axes.legend()
    axes.set_title(f"{', '.join(ys)} by {x}")
    axes.figure.tight_layout()
    return axes


class PlotAccessor:
    """``result.plot.bar(x=..., y=...)``: the result is fetched once, then drawn."""

    def __init__(self, load: Callable[[], pd.DataFrame]) -> None:
        self._load = load

    def bar(self, *, x: str, y: str | Sequence[str], ax: Any = None, **kw: Any) -> Any:
        return bar(self._load(), x=x, y=y, ax=ax, **kw)

    def barh(self, *, x: str, y: str | Sequence[str], ax: Any = None, **kw: Any) -> Any:
        return barh(self._load(), x=x, y=y, ax=ax, **kw)

    def line(self, *, x: str, y: str | Sequence[str], ax: Any = None, **kw: Any) -> Any:
        return line(self._load(), x=x, y=y, ax=ax, **kw)
