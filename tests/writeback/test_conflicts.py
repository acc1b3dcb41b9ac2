"""Records changed on the server between the read and the apply are conflicts.

A second client writes some of the records after ``before`` was read. To make the
``write_date`` move deterministically (it has one-second precision), the sandbox clock
is put two seconds ahead for the second client's writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import odoo_frames as of
from odoo_frames.errors import ApplyError, ConflictError

from .conftest import ServerLog, partner_ids, partners, read, server_values
from .test_apply import with_values


@pytest.fixture
def later(box: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Calls made after this fixture's ``move()`` are stamped 2 seconds later."""
    core = box._service
    original = core.clock

    class Clock:
        def move(self) -> None:
            monkeypatch.setattr(core, "clock", lambda: original() + dt.timedelta(seconds=2))

    return Clock()


def test_changes_made_by_another_client_are_conflicts_and_keep_its_values(
    box: Any, odoo: of.Client, backend: str, server_log: ServerLog, later: Any
) -> None:
    doomed = odoo.call("res.partner", "create", {"name": "To be deleted", "email": "d@x.org"})
    ids = [*partner_ids(odoo, 300), doomed]
    before = read(partners(odoo, ids, ["name", "email", "function"]), backend)
    after = with_values(before, "email", lambda rid: f"contact{rid}@example.com")
    plan = odoo.diff(before, after)

    other = box.connect()  # a second user session
    later.move()
    same_field, other_field = ids[:10], ids[10:20]
    other.call("res.partner", "write", same_field, {"email": "theirs@example.com"})
    other.call("res.partner", "write", other_field, {"function": "Buyer"})
    other.call("res.partner", "unlink", [doomed])
    server_log.clear()

    result = plan.apply(progress=False)

    conflicts = {row.id: row.message for row in result.conflicts}
    assert set(conflicts) == {*same_field, *other_field, doomed}
    assert result.counts == {"written": 280, "conflict": 21}
    assert all("email is now 'theirs@example.com'" in conflicts[i] for i in same_field)
    assert all("write_date" in conflicts[i] for i in other_field)
    assert "no longer exists" in conflicts[doomed]
    assert server_log.written_ids("res.partner") == set(ids[20:300])
    values = server_values(odoo, "res.partner", ids[:20], ["email", "function"])
    assert {values[i]["email"] for i in same_field} == {"theirs@example.com"}
    assert {values[i]["function"] for i in other_field} == {"Buyer"}
    assert all(values[i]["email"] != f"contact{i}@example.com" for i in other_field)
    assert not result.ok


def test_a_same_second_change_to_the_planned_fields_is_still_caught(
    box: Any, odoo: of.Client, server_log: ServerLog
) -> None:
    ids = partner_ids(odoo, 5)
    before = partners(odoo, ids, ["name", "email"]).to_pandas()
    plan = odoo.diff(before, before.assign(email="mine@example.com"))
    box.connect().call("res.partner", "write", ids[:1], {"email": "theirs@example.com"})

    result = plan.apply(progress=False)

    assert result.ids("conflict") == ids[:1]
    assert "email is now 'theirs@example.com'" in result.conflicts[0].message


def test_known_limit_a_same_second_change_to_other_fields_is_not_seen(
    box: Any, odoo: of.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_date has one-second precision: documented in odoo_frames.apply."""
    frozen = dt.datetime(2030, 1, 1, 12, 0, 0)
    monkeypatch.setattr(box._service, "clock", lambda: frozen)
    ids = partner_ids(odoo, 3)
    odoo.call("res.partner", "write", ids, {"comment": "stamp"})  # write_date = frozen
    before = partners(odoo, ids, ["name", "email"]).to_pandas()
    plan = odoo.diff(before, before.assign(email="mine@example.com"))
    box.connect().call("res.partner", "write", ids[:1], {"function": "Buyer"})  # same second

    assert plan.apply(progress=False).counts == {"written": 3}


def test_on_conflict_raise_writes_nothing(
    box: Any, odoo: of.Client, server_log: ServerLog, later: Any
) -> None:
    ids = partner_ids(odoo, 50)
    before = partners(odoo, ids, ["name", "phone"]).to_pandas()
    plan = odoo.diff(before, before.assign(phone="+1 111"))
    later.move()
    box.connect().call("res.partner", "write", ids[:2], {"function": "Buyer"})
    server_log.clear()

    with pytest.raises(ConflictError, match=r"2 res\.partner records changed") as caught:
        plan.apply(on_conflict="raise", progress=False)

    assert server_log.calls == []
    assert caught.value.result.ids("conflict") == ids[:2]
    assert isinstance(caught.value, ApplyError) and isinstance(caught.value, RuntimeError)


def test_on_conflict_overwrite_writes_the_planned_values(
    box: Any, odoo: of.Client, later: Any
) -> None:
    ids = partner_ids(odoo, 20)
    before = partners(odoo, ids, ["name", "phone", "category_id"]).to_pandas()
    after = before.assign(phone="+1 222", category_id=[[2]] * len(before))
    plan = odoo.diff(before, after)
    later.move()
    box.connect().call(
        "res.partner", "write", ids[:3], {"phone": "theirs", "category_id": [(4, 5)]}
    )

    result = plan.apply(on_conflict="overwrite", progress=False)

    assert result.counts == {"written": 20}
    values = server_values(odoo, "res.partner", ids, ["phone", "category_id"])
    assert all(v["phone"] == "+1 222" and v["category_id"] == [2] for v in values.values())
