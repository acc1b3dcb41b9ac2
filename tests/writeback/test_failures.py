"""A batch Odoo refuses is split until the refused rows are found; the rest is written.

The refusals are the sandbox's real business rules: Odoo's protection of posted journal
entries (a UserError) and crm.lead's probability constraint (a ValidationError).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import polars as pl
import pytest

import odoo_frames as of
from odoo_frames.errors import ApplyError

from .conftest import ServerLog, as_pandas, read, server_values
from .test_apply import with_values

POSTED = "You cannot modify the following readonly fields on a posted move: partner_id"
PROBABILITY = "The probability of closing the deal should be between 0% and 100%!"


@pytest.fixture
def moves(odoo: of.Client) -> tuple[list[int], list[int]]:
    """200 journal entries: 198 reset to draft, 2 (1%) still posted."""
    ids = odoo.call("account.move", "search", [("state", "=", "posted")], order="id", limit=200)
    assert len(ids) == 200
    posted = ids[::100]
    drafts = [i for i in ids if i not in set(posted)]
    odoo.call("account.move", "button_draft", drafts)
    return drafts, posted


def test_refused_rows_are_isolated_and_the_retry_plan_writes_only_them(
    odoo: of.Client, backend: str, server_log: ServerLog, moves: tuple[list[int], list[int]]
) -> None:
    drafts, posted = moves
    customers = odoo.call("res.partner", "search", [("is_company", "=", True)], limit=3)
    ids = sorted(drafts + posted)
    rank = {rid: i for i, rid in enumerate(ids)}
    entries = odoo["account.move"]
    before = read(entries[entries.id.isin(ids)][["name", "partner_id", "state"]], backend)
    after = with_values(before, "partner_id", lambda rid: customers[rank[rid] % 3])
    server_log.clear()

    result = odoo.diff(before, after, batch_size=100).apply(progress=False)

    assert result.counts == {"written": 198, "failed": 2}
    assert sorted(row.id for row in result.failed) == posted
    assert {(row.message, row.error_type) for row in result.failed} == {(POSTED, "UserError")}
    assert server_log.written_ids("account.move") == set(drafts)
    assert server_log.max_writes("account.move") == 1
    values = server_values(odoo, "account.move", ids, ["partner_id"])
    assert all(values[i]["partner_id"][0] == customers[rank[i] % 3] for i in drafts)
    assert "failed:" in repr(result) and POSTED in repr(result)

    # fix the cause on the server (reset the posted entries), then retry only those rows
    odoo.call("account.move", "button_draft", posted)
    retry = result.retry_plan()
    assert sorted(u.id for u in retry.updates) == posted
    server_log.clear()

    again = retry.apply(progress=False)

    assert again.counts == {"written": 2}
    assert server_log.written_ids("account.move") == set(posted)
    values = server_values(odoo, "account.move", posted, ["partner_id"])
    assert all(values[i]["partner_id"][0] == customers[rank[i] % 3] for i in posted)


def test_the_retry_plan_takes_fixed_values(
    odoo: of.Client, backend: str, server_log: ServerLog
) -> None:
    leads = odoo["crm.lead"]
    before = read(leads[["name", "probability"]], backend)
    ids = sorted(int(i) for i in as_pandas(before)["id"])
    bad = set(ids[::100])  # 1% of the rows ask for an impossible probability

    def wanted(rid: int) -> float:
        return 150.0 if rid in bad else (10.0, 50.0, 90.0)[rid % 3]

    after = with_values(before, "probability", wanted)
    result = odoo.diff(before, after, batch_size=50).apply(progress=False)

    assert result.counts == {"written": len(ids) - len(bad), "failed": len(bad)}
    assert {row.id for row in result.failed} == bad
    assert {row.message for row in result.failed} == {
        f"The operation cannot be completed: {PROBABILITY}"
    }
    assert {row.error_type for row in result.failed} == {"ValidationError"}

    fixed: Any = pd.DataFrame({"id": sorted(bad), "probability": [99.0] * len(bad)})
    if backend == "polars":
        fixed = pl.from_pandas(fixed)
    server_log.clear()

    again = result.retry_plan(after=fixed).apply(progress=False)

    assert again.counts == {"written": len(bad)}
    assert server_log.written_ids("crm.lead") == bad
    values = server_values(odoo, "crm.lead", sorted(bad), ["probability"])
    assert {v["probability"] for v in values.values()} == {99.0}


def test_on_error_raise_stops_at_the_first_refused_batch(
    odoo: of.Client, server_log: ServerLog, moves: tuple[list[int], list[int]]
) -> None:
    drafts, posted = moves
    posted = posted[:1]
    ids = sorted(drafts[:99] + posted)
    customer = odoo.call("res.partner", "search", [("is_company", "=", True)], limit=1)[0]
    entries = odoo["account.move"]
    before = entries[entries.id.isin(ids)][["partner_id"]].to_pandas()
    plan = odoo.diff(before, before.assign(partner_id=customer), batch_size=25)
    server_log.clear()

    with pytest.raises(ApplyError, match="refused") as caught:
        plan.apply(on_error="raise", progress=False)

    result = caught.value.result
    order = [u.id for u in plan.updates]  # the frame's order: one value set, batches of 25
    refused_batch = order.index(posted[0]) // 25
    assert result.counts["failed"] == 25  # the refused batch, not split
    assert result.counts.get("pending", 0) == len(order) - 25 * (refused_batch + 1)
    assert isinstance(caught.value.__cause__, of.UserError)
    written = server_log.written_ids("account.move")
    assert written == set(order[: 25 * refused_batch])

    # fix, then apply again: the written rows are skipped, the others written once
    odoo.call("account.move", "button_draft", posted)
    server_log.clear()
    again = plan.apply(progress=False)
    assert again.counts["unchanged"] == len(written)
    assert again.counts["conflict"] == len(posted)  # button_draft moved their write_date
    assert server_log.max_writes("account.move") == 1
    retry = again.retry_plan(include_conflicts=True)
    assert retry.apply(on_conflict="overwrite", progress=False).counts == {"written": len(posted)}
