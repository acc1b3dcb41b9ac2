"""frame.call(): workflow methods on a selection, in batches, with a per-record report."""

from __future__ import annotations

import pytest

import odoo_frames as of
from odoo_frames.errors import ApplyError
from tests.client.servers import FaultProxy, Stall

from .conftest import CallSpy

NOT_CONFIRMABLE = "Some orders are not in a state requiring confirmation."


def test_confirm_draft_orders_in_batches(odoo: of.Client, spy: CallSpy) -> None:
    so = odoo["sale.order"]
    drafts = so[so.state == "draft"]
    count = len(drafts)
    spy.calls.clear()

    report = drafts.call("action_confirm", batch_size=200)

    assert report.counts == {"called": count} and report.ok
    assert spy.data_calls() == [("sale.order", "search")] + [("sale.order", "action_confirm")] * (
        -(-count // 200)
    )
    assert len(so[so.state == "draft"]) == 0
    assert repr(report).startswith(f"CallResult sale.order.action_confirm: {count:,} called")


def test_records_odoo_refuses_are_isolated(odoo: of.Client) -> None:
    so = odoo["sale.order"]
    drafts = odoo.call("sale.order", "search", [("state", "=", "draft")], order="id", limit=197)
    confirmed = odoo.call("sale.order", "search", [("state", "=", "sale")], order="id", limit=3)

    report = so[so.id.isin(drafts + confirmed)].call("action_confirm", batch_size=50)

    assert report.counts == {"called": 197, "failed": 3}
    assert sorted(row.id for row in report.failed) == sorted(confirmed)
    assert {row.message for row in report.failed} == {NOT_CONFIRMABLE}
    assert {row.error_type for row in report.failed} == {"UserError"}
    states = odoo.call("sale.order", "read", drafts, ["state"])
    assert {s["state"] for s in states} == {"sale"}
    table = report.to_pandas()
    assert list(table.columns) == ["id", "status", "message", "error_type"]


def test_a_lost_connection_stops_and_reports(box: object, odoo: of.Client) -> None:
    with FaultProxy(box.url) as proxy:  # type: ignore[attr-defined]
        client = of.connect(proxy.url, db=box.db, user=box.login, password=box.password)  # type: ignore[attr-defined]
        so = client["sale.order"]
        drafts = so[so.state == "draft"]
        total = len(drafts)
        proxy.only = ("/sale.order/action_confirm",)
        proxy.inject(Stall(0), "drop_after")
        with pytest.raises(ApplyError, match="connection lost during action_confirm") as caught:
            drafts.call("action_confirm", batch_size=100)
        report = caught.value.result
        assert report.counts == {"called": 100, "unknown": 100, "pending": total - 200}
        # calling again on the drafts left reaches only those
        again = so[so.state == "draft"].call("action_confirm", batch_size=100)
        assert again.counts == {"called": total - 200}
