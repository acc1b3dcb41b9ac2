"""The connection drops during apply: running the plan again ends in the intended state.

The client talks to the sandbox through :class:`tests.client.servers.FaultProxy`, which
drops chosen ``write`` / ``create`` requests either before forwarding them ("drop": the
server never saw the call) or after the server answered ("drop_after": the work was done
but the answer is lost). Writes are counted inside the sandbox (``server_log``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

import odoo_frames as of
from odoo_frames.errors import ApplyError
from tests.client.servers import FaultProxy, Stall

from .conftest import ServerLog, partner_ids, server_values
from .test_apply import PHONES

BATCH = 100


@pytest.fixture
def proxy(box: Any) -> Iterator[FaultProxy]:
    with FaultProxy(box.url) as running:
        yield running


@pytest.fixture
def proxied(box: Any, proxy: FaultProxy, odoo: of.Client) -> of.Client:
    """A client connected through the proxy (the sandbox is reset by ``odoo``)."""
    return of.connect(proxy.url, db=box.db, user=box.login, password=box.password)


def cleanup_plan(client: of.Client, n: int, creates: int = 0) -> Any:
    ids = partner_ids(client, n)
    rank = {rid: i for i, rid in enumerate(ids)}
    frame = client["res.partner"]
    before = frame[frame.id.isin(ids)][["name", "phone"]].to_pandas()
    after = before.assign(phone=before.id.map(lambda rid: PHONES[rank[rid] % 3]))
    if creates:
        new = pd.DataFrame({"name": [f"Imported {i}" for i in range(creates)], "phone": "+1"})
        after = pd.concat([after, new], ignore_index=True)
    return client.diff(before, after, batch_size=BATCH)


@pytest.mark.parametrize("fault", ["drop", "drop_after"])
def test_a_write_lost_on_the_wire_is_not_written_twice(
    proxied: of.Client, proxy: FaultProxy, server_log: ServerLog, fault: str
) -> None:
    plan = cleanup_plan(proxied, 1000)  # 3 value sets, 12 write calls of up to 100
    proxy.only = ("/res.partner/write",)
    proxy.inject(Stall(0), Stall(0), fault)  # the third write call fails

    with pytest.raises(ApplyError, match="connection lost during write") as caught:
        plan.apply(progress=False)

    first = caught.value.result
    assert first.counts == {"written": 200, "unknown": 100, "pending": 700}
    assert "apply the plan again" in first.rows_with("unknown")[0].message
    assert isinstance(caught.value.__cause__, of.TransportError)

    again = plan.apply(progress=False)

    assert again.ok
    done_before = 300 if fault == "drop_after" else 200  # the server did the lost call
    assert again.counts == {"written": 1000 - done_before, "unchanged": done_before}
    assert server_log.written_ids("res.partner") == {u.id for u in plan.updates}
    assert server_log.max_writes("res.partner") == 1  # no row written twice
    values = server_values(proxied, "res.partner", [u.id for u in plan.updates], ["phone"])
    assert all(values[u.id]["phone"] == u.after["phone"] for u in plan.updates)


@pytest.mark.parametrize("fault", ["drop", "drop_after"])
def test_a_create_lost_on_the_wire_is_not_created_twice(
    proxied: of.Client, proxy: FaultProxy, server_log: ServerLog, fault: str
) -> None:
    plan = cleanup_plan(proxied, 300, creates=250)  # creates in 3 calls: 100, 100, 50
    proxy.only = ("/res.partner/create",)
    proxy.inject(Stall(0), fault)  # the second create call fails

    with pytest.raises(ApplyError, match="connection lost during create") as caught:
        plan.apply(progress=False)
    assert caught.value.result.counts == {
        "written": 300,
        "created": 100,
        "unknown": 100,
        "pending": 50,
    }
    assert len(plan.journal.inflight) == 1  # the plan remembers the call without answer

    again = plan.apply(progress=False)

    assert again.ok and not plan.journal.inflight
    created_before = 200 if fault == "drop_after" else 100
    assert again.counts == {"unchanged": 300 + created_before, "created": 250 - created_before}
    names = [f"Imported {i}" for i in range(250)]
    found = proxied.call("res.partner", "search_read", [("name", "in", names)], fields=["name"])
    assert sorted(r["name"] for r in found) == sorted(names)  # each one exactly once
    assert sorted(plan.journal.created.values()) == sorted(r["id"] for r in found)
    assert len(server_log.created) == 250
    assert server_log.max_writes("res.partner") == 1


def test_a_plan_saved_after_an_interruption_finishes_in_a_new_session(
    box: Any, proxied: of.Client, proxy: FaultProxy, tmp_path: Any, server_log: ServerLog
) -> None:
    plan = cleanup_plan(proxied, 200, creates=150)
    proxy.only = ("/res.partner/create",)
    proxy.inject("drop_after")
    with pytest.raises(ApplyError):
        plan.apply(progress=False)
    plan.save(tmp_path / "half-done.json")

    from odoo_frames.writeback import Plan

    later = of.connect(proxy.url, db=box.db, user=box.login, password=box.password)
    resumed = Plan.load(tmp_path / "half-done.json", client=later)
    result = resumed.apply(progress=False)

    assert result.ok
    names = [f"Imported {i}" for i in range(150)]
    assert later.call("res.partner", "search_count", [("name", "in", names)]) == 150
    assert len(server_log.created) == 150
