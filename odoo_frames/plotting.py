"""matplotlib helpers: ``f(data, *, x, y, ax=None, **kw) -> Axes``.

pyplot is imported only when something is drawn (and only when no ``ax`` is given),
so ``import odoo_frames`` stays fast and works without matplotlib. What the helpers
add to a plain ``DataFrame.plot``:

* time buckets (the period starts a groupby returns, column ``date_order:month``) are
  sorted and labelled by period: ``2026``, ``2026-Q4``, ``2026-11``, ``wk 2026-11-22``,
  ``2026-11-27``, ``2026-11-27 14:00`` (in the bucket's time zone); nulls last, "(none)";
* a many2one key is labelled by its ``.display_name`` column;
* several ``y`` columns are drawn side by side (bars) or as several lines;
* when ``x`` repeats (grouped by month *and* partner, plotted by month), additive
  columns (sums and counts) are added up per ``x``; others raise, as a mean of means
  would be wrong.

Example::

    monthly = so.groupby(["partner_id", so.date_order.dt.month]).agg(total=("amount_total", "sum"))
    ax = monthly.plot.bar(x="date_order:month", y="total")   # totals per month
    ax.figure.savefig("monthly.png")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PlotAccessor", "bar", "barh", "line"]


def _prepare(
    data: pd.DataFrame, x: str, y: str | Sequence[str], additive: Collection[str]
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The rows to draw (one per ``x``, in order), their labels, and the ``y`` columns."""
    import pandas as pd

    ys = [y] if isinstance(y, str) else list(y)
    if not ys:
        raise ValueError("plot: give at least one y column")
    missing = [c for c in [x, *ys] if c not in data.columns]
    if missing:
        raise KeyError(
            f"plot: no column {missing[0]!r}; the columns are {', '.join(map(str, data.columns))}"
        )
    label_column = f"{x}.display_name" if f"{x}.display_name" in data.columns else None
    frame = data
    if frame[x].duplicated().any():
        mixed = [c for c in ys if c not in additive]
        if mixed:
            others = [c for c in data.columns if c not in (x, label_column, *ys)]
            raise ValueError(
                f"plot: several rows share each {x!r} (the result has other keys: "
                f"{', '.join(others)}) and {mixed[0]!r} cannot be added up; group by {x!r} "
                "alone, or filter the other keys first"
            )
        by = [x] if label_column is None else [x, label_column]
        frame = frame.groupby(by, dropna=False, sort=False, as_index=False, observed=True)[ys].sum()
    values = frame[x]
    if pd.api.types.is_datetime64_any_dtype(values) or _holds_dates(values):
        frame = frame.sort_values(x, na_position="last", kind="stable")
        granularity = x.rpartition(":")[2] if ":" in x else "day"
        labels = [_period_label(v, granularity) for v in frame[x]]
    elif ":" in x and pd.api.types.is_numeric_dtype(values):  # a date part: 1..12, 0..6
        frame = frame.sort_values(x, na_position="last", kind="stable")
        labels = ["(none)" if _isna(v) else str(v) for v in frame[x]]
    elif label_column is not None:
        labels = [v if isinstance(v, str) else "(none)" for v in frame[label_column]]
    else:
        labels = ["(none)" if _isna(v) else str(v) for v in frame[x]]
    return frame, labels, ys


def _holds_dates(series: Any) -> bool:
    sample = series.dropna()
    return bool(len(sample)) and isinstance(sample.iloc[0], dt.date)


def _isna(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _period_label(value: Any, granularity: str) -> str:
    """``2026-11`` for a month start, ``2026-Q4`` for a quarter... (local to the value's tz)."""
    import pandas as pd

    if _isna(value):
        return "(none)"
    stamp = pd.Timestamp(value)
    if granularity == "year":
        return f"{stamp.year}"
    if granularity == "quarter":
        return f"{stamp.year}-Q{stamp.quarter}"
    if granularity == "month":
        return stamp.strftime("%Y-%m")
    if granularity == "week":  # week numbers depend on the language: show the first day
        return stamp.strftime("wk %Y-%m-%d")
    if granularity == "hour":
        return stamp.strftime("%Y-%m-%d %H:00")
    return stamp.strftime("%Y-%m-%d")


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=(9, 4.5))
    return new_ax


def _set_category_ticks(axes: Any, positions: Any, labels: list[str], horizontal: bool) -> None:
    if horizontal:
        axes.set_yticks(positions, labels)
        return
    crowded = len(labels) > 6
    axes.set_xticks(
        positions, labels, rotation=45 if crowded else 0, ha="right" if crowded else "center"
    )


def _finish(axes: Any, x: str, ys: list[str], horizontal: bool) -> Any:
    """Axis labels, a legend for several ``y`` columns, the title; returns ``axes``."""
    if horizontal:
        axes.set_xlabel(", ".join(ys))
        axes.set_ylabel(x)
        axes.invert_yaxis()  # first row on top, as in the table
    else:
        axes.set_xlabel(x)
        axes.set_ylabel(", ".join(ys))
    if len(ys) > 1:
        axes.legend()
    axes.set_title(f"{', '.join(ys)} by {x}")
    axes.figure.tight_layout()
    return axes


def bar(
    data: pd.DataFrame,
    *,
    x: str,
    y: str | Sequence[str],
    ax: Any = None,
    horizontal: bool = False,
    additive: Collection[str] = (),
    **kw: Any,
) -> Any:
    """Bars of ``y`` per ``x``; several ``y`` columns side by side. Returns the Axes.

    ``additive``: the ``y`` columns that may be added up when ``x`` repeats.
    """
    import numpy as np

    frame, labels, ys = _prepare(data, x, y, additive)
    axes = _axes(ax)
    positions = np.arange(len(frame))
    width = 0.8 / len(ys)
    for i, column in enumerate(ys):
        offset = (i - (len(ys) - 1) / 2) * width
        heights = frame[column].astype(float).fillna(0).to_numpy()
        if horizontal:
            axes.barh(positions + offset, heights, height=width, label=column, **kw)
        else:
            axes.bar(positions + offset, heights, width=width, label=column, **kw)
    _set_category_ticks(axes, positions, labels, horizontal)
    return _finish(axes, x, ys, horizontal)


def barh(
    data: pd.DataFrame,
    *,
    x: str,
    y: str | Sequence[str],
    ax: Any = None,
    additive: Collection[str] = (),
    **kw: Any,
) -> Any:
    """Horizontal bars of ``y`` per ``x`` (``x`` labels on the vertical axis)."""
    return bar(data, x=x, y=y, ax=ax, horizontal=True, additive=additive, **kw)


def line(
    data: pd.DataFrame,
    *,
    x: str,
    y: str | Sequence[str],
    ax: Any = None,
    additive: Collection[str] = (),
    **kw: Any,
) -> Any:
    """A line per ``y`` column over ``x`` (time buckets in order). Returns the Axes."""
    frame, labels, ys = _prepare(data, x, y, additive)
    axes = _axes(ax)
    positions = list(range(len(frame)))
    for column in ys:
        axes.plot(positions, frame[column].astype(float).to_numpy(), marker="o", label=column, **kw)
    _set_category_ticks(axes, positions, labels, horizontal=False)
    return _finish(axes, x, ys, horizontal=False)


class PlotAccessor:
    """``result.plot.bar(x=..., y=...)``, ``.barh``, ``.line``: fetched once, then drawn.

    ``x`` defaults to the first key, ``y`` to every aggregate column.
    """

    def __init__(
        self,
        load: Callable[[], pd.DataFrame],
        *,
        additive: Collection[str] = (),
        x: str | None = None,
        y: Sequence[str] = (),
    ) -> None:
        self._load = load
        self._additive = frozenset(additive)
        self._x = x
        self._y = list(y)

    def _axis_names(self, x: str | None, y: str | Sequence[str] | None) -> tuple[str, Any]:
        chosen_x = x or self._x
        chosen_y = y if y is not None else self._y
        if chosen_x is None or not chosen_y:
            raise ValueError("plot: name the x and y columns")
        return chosen_x, chosen_y

    def bar(
        self, x: str | None = None, y: str | Sequence[str] | None = None, ax: Any = None, **kw: Any
    ) -> Any:
        cx, cy = self._axis_names(x, y)
        return bar(self._load(), x=cx, y=cy, ax=ax, additive=self._additive, **kw)

    def barh(
        self, x: str | None = None, y: str | Sequence[str] | None = None, ax: Any = None, **kw: Any
    ) -> Any:
        cx, cy = self._axis_names(x, y)
        return barh(self._load(), x=cx, y=cy, ax=ax, additive=self._additive, **kw)

    def line(
        self, x: str | None = None, y: str | Sequence[str] | None = None, ax: Any = None, **kw: Any
    ) -> Any:
        cx, cy = self._axis_names(x, y)
        return line(self._load(), x=cx, y=cy, ax=ax, additive=self._additive, **kw)
