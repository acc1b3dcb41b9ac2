"""``result.plot.bar / barh / line``: matplotlib Axes, time buckets in order, lazy pyplot."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

import odoo_frames as of
from odoo_frames import plotting

matplotlib.use("Agg")

from matplotlib.figure import Figure


@pytest.fixture
def ax() -> object:
    return Figure().subplots()


def tick_labels(axes: object, axis: str = "x") -> list[str]:
    ticks = axes.get_xticklabels() if axis == "x" else axes.get_yticklabels()  # type: ignore[attr-defined]
    return [t.get_text() for t in ticks]


def test_month_buckets_are_sorted_and_labelled(odoo: of.Client, ax: object) -> None:
    so = odoo["sale.order"]
    res = so.groupby(so.date_order.dt.month).agg(total=("amount_total", "sum"))
    drawn = res.sort_values("total").plot.bar(x="date_order:month", y="total", ax=ax)
    assert drawn is ax
    labels = tick_labels(ax)
    frame = res.to_pandas()
    assert labels == sorted(labels) and len(labels) == len(frame)
    assert labels[0] == frame["date_order:month"].min().strftime("%Y-%m")
    heights = [bar.get_height() for bar in ax.patches]  # type: ignore[attr-defined]
    by_month = frame.sort_values("date_order:month")["total"].tolist()
    assert heights == pytest.approx(by_month)


def test_sums_add_up_over_the_other_keys(odoo: of.Client, ax: object) -> None:
    """Grouped by partner and month, plotted by month: one bar per month, the month's total."""
    so = odoo["sale.order"]
    monthly = so.groupby(["partner_id", so.date_order.dt.month]).agg(total=("amount_total", "sum"))
    monthly.plot.bar(x="date_order:month", y="total", ax=ax)
    per_month = so.groupby(so.date_order.dt.month).agg(total=("amount_total", "sum")).to_pandas()
    heights = [bar.get_height() for bar in ax.patches]  # type: ignore[attr-defined]
    assert heights == pytest.approx(per_month.sort_values("date_order:month")["total"].tolist())


def test_means_are_not_added_up(odoo: of.Client, ax: object) -> None:
    so = odoo["sale.order"]
    res = so.groupby(["state", "date_order:quarter"]).agg(avg=("amount_total", "mean"))
    with pytest.raises(ValueError, match="'avg' cannot be added up"):
        res.plot.line(x="date_order:quarter", y="avg", ax=ax)


def test_many2one_bars_are_labelled_by_name(odoo: of.Client, ax: object) -> None:
    res = (
        odoo["sale.order"].groupby("user_id").agg(total=("amount_total", "sum"), n=("id", "count"))
    )
    res.plot.barh(x="user_id", y=["total"], ax=ax)
    names = res.to_pandas()["user_id.display_name"].tolist()
    assert tick_labels(ax, "y") == names


def test_defaults_and_several_lines(odoo: of.Client, ax: object) -> None:
    res = (
        odoo["sale.order"]
        .groupby("date_order:quarter")
        .agg(total=("amount_total", "sum"), tax=("amount_tax", "sum"))
    )
    res.plot.line(ax=ax)  # x: the first key, y: every aggregate
    assert [line.get_label() for line in ax.get_lines()] == ["total", "tax"]  # type: ignore[attr-defined]
    assert all("-Q" in label for label in tick_labels(ax))


def test_plain_dataframes_and_unknown_columns(ax: object) -> None:
    df = pd.DataFrame({"state": ["sale", None], "n": [3, 1]})
    plotting.bar(df, x="state", y="n", ax=ax)
    assert tick_labels(ax) == ["sale", "(none)"]
    with pytest.raises(KeyError, match="no column 'total'"):
        plotting.line(df, x="state", y="total", ax=ax)


def test_pyplot_is_imported_only_to_draw() -> None:
    script = textwrap.dedent(
        """
        import sys
        import odoo_frames as of
        box = of.sandbox.start(version="18.0", scale=300)
        so = box.connect()["sale.order"]
        res = so.groupby(so.date_order.dt.month).agg(total=("amount_total", "sum"))
        repr(res); res.to_pandas()
        assert "matplotlib" not in sys.modules, "matplotlib imported before plotting"
        import matplotlib
        matplotlib.use("Agg")
        ax = res.plot.bar(x="date_order:month", y="total")
        assert "matplotlib.pyplot" in sys.modules and type(ax).__name__ == "Axes"
        box.stop()
        """
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
