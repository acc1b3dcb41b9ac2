"""``explore(odoo)`` driven as objects: pick a model, add conditions, read what it shows."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import odoo_frames as of
from odoo_frames.frame import OdooFrame
from odoo_frames.groupby import GroupedFrame
from odoo_frames.widgets import explore

REPO = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def odoo() -> Iterator[of.Client]:
    with of.sandbox.start(version="18.0", scale=300) as box:
        yield box.connect()


@pytest.fixture
def partners(odoo: of.Client) -> Any:
    ex = explore(odoo)
    ex.model_picker.value = "res.partner"  # what typing the name and pressing Enter does
    return ex


def test_importing_the_package_does_not_import_ipywidgets() -> None:
    code = "import sys, odoo_frames.widgets; sys.exit('ipywidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, timeout=60)
    assert result.returncode == 0


def test_the_model_picker_offers_models_with_type_ahead(odoo: of.Client) -> None:
    ex = explore(odoo)
    assert type(ex.model_picker).__name__ == "Combobox"
    assert "res.partner" in ex.model_picker.options
    assert ex.model is None and ex.frame is None


def test_choosing_a_model_shows_fields_count_and_preview(partners: Any, odoo: of.Client) -> None:
    assert partners.model == "res.partner"
    assert "<code>email</code></td><td>char</td>" in partners.fields.value
    assert "<code>country_id</code></td><td>many2one</td><td>res.country</td>" in (
        partners.fields.value
    )
    total = len(odoo["res.partner"])
    assert partners.last_count == total
    assert f"<b>{total:,}</b> res.partner records" in partners.count.value
    assert partners.domain.value == "<b>domain</b> <code>[]</code>"
    assert len(partners.last_preview) == 10
    assert "<table" in partners.preview.value


def test_two_conditions_update_domain_count_and_preview(partners: Any, odoo: of.Client) -> None:
    first = partners.filters.add()
    first.field.value = "is_company"
    first.operator.value = "="
    first.value.value = True
    assert "is_company" in partners.domain.value
    companies = partners.last_count

    second = partners.filters.add()
    second.field.value = "country_id"
    second.operator.value = "contains"
    second.value.value = "belg"

    p = odoo["res.partner"]
    hand_written = p[(p.is_company == True) & p.country_id.str.contains("belg", case=False)]  # noqa: E712
    result = partners.frame
    assert isinstance(result, OdooFrame)
    assert result.domain == hand_written.domain
    assert "&#x27;country_id&#x27;, &#x27;ilike&#x27;, &#x27;belg&#x27;" in partners.domain.value
    assert 0 < partners.last_count < companies
    assert partners.last_count == len(hand_written)
    # the preview shows the filtered rows, with the columns filtered on first
    preview = partners.last_preview
    assert list(preview.columns[:3]) == ["id", "is_company", "country_id"]
    assert preview["is_company"].all()
    assert set(preview["country_id.display_name"]) == {"Belgium"}
    # the frame is an ordinary OdooFrame: same rows as the hand-written filter
    pd.testing.assert_frame_equal(result.to_pandas(), hand_written.to_pandas())


def test_match_any_combines_with_or(partners: Any, odoo: of.Client) -> None:
    partners.filters.add("is_company", "=", True)
    partners.filters.add("country_id", "=", "20")
    partners.filters.match.value = "any"
    p = odoo["res.partner"]
    assert partners.frame.domain == p[(p.is_company == True) | (p.country_id == 20)].domain  # noqa: E712
    assert partners.last_count == len(p[(p.is_company == True) | (p.country_id == 20)])  # noqa: E712


def test_incomplete_rows_are_left_out_and_say_why(partners: Any) -> None:
    row = partners.filters.add("credit_limit", ">=", "a lot")
    assert "is not a number" in row.message.value
    assert partners.frame.domain.is_true()
    row.value.value = "1000"
    assert row.message.value == ""
    assert "credit_limit" in partners.domain.value


def test_removing_a_row(partners: Any) -> None:
    row = partners.filters.add("is_company", "=", True)
    count = partners.last_count
    row.remove_button.click()
    assert partners.filters.rows == []
    assert partners.frame.domain.is_true()
    assert partners.last_count > count


def test_value_widgets_follow_the_field(partners: Any) -> None:
    row = partners.filters.add("type")
    assert type(row.value).__name__ == "Dropdown"
    assert ("Invoice Address", "invoice") in row.value.options
    row.operator.value = "in"
    assert type(row.value).__name__ == "Text"
    row.operator.value = "is set"
    assert row.value.disabled
    row.field.value = "is_company"
    assert row.value.options == (("True", True), ("False", False))
    assert row.operator.options == ("=", "!=")


def test_groupby_chart(partners: Any, odoo: of.Client) -> None:
    partners.filters.add("is_company", "=", True)
    partners.group_by.value = "country_id"
    grouped = partners.grouped
    assert isinstance(grouped, GroupedFrame)
    p = odoo["res.partner"]
    expected = (
        p[p.is_company == True]  # noqa: E712
        .groupby("country_id")
        .agg(value=("id", "count"))
        .sort_values("value", ascending=False)
        .head(24)
        .to_pandas()
    )
    pd.testing.assert_frame_equal(partners.last_groups, expected)
    assert bytes(partners.chart.value).startswith(PNG)
    # a measure, and the chart follows new conditions
    partners.measure.value = "sum of credit_limit"
    assert "sum(credit_limit)" in partners.grouped.explain()
    partners.filters.add("country_id", "contains", "belg")
    assert list(partners.last_groups["country_id.display_name"]) == ["Belgium"]


def test_date_fields_group_by_month(odoo: of.Client) -> None:
    ex = explore(odoo, "sale.order")
    ex.group_by.value = "date_order"
    data = ex.last_groups
    assert list(data.columns) == ["date_order:month", "value"]
    assert data["value"].sum() == len(odoo["sale.order"])
    assert bytes(ex.chart.value).startswith(PNG)


def test_switching_models_starts_over(partners: Any) -> None:
    partners.filters.add("is_company", "=", True)
    partners.group_by.value = "country_id"
    partners.model_picker.value = "sale.order"
    assert partners.model == "sale.order"
    assert partners.filters.rows == []
    assert partners.grouped is None and bytes(partners.chart.value) == b""
    assert "amount_total" in partners.fields.value


def test_an_unknown_model_shows_an_error_and_keeps_the_panel(partners: Any) -> None:
    partners.model_picker.value = "res.partnr"
    assert "no model &#x27;res.partnr&#x27;" in partners.message.value
    assert partners.model == "res.partner"  # still showing the previous model


def test_the_panel_displays_as_a_widget(partners: Any) -> None:
    bundle = partners._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == (
        partners.widget.model_id
    )
