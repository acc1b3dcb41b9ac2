"""crm.lead on the reference database: stages, won and lost, probabilities, dates."""

from __future__ import annotations

from typing import Any

import pytest

from odoo_frames.sandbox.core import SandboxCore
from odoo_frames.sandbox.exceptions import ValidationError

from .core_support import call

pytestmark = pytest.mark.usefixtures("reset_core")

LEAD_FIELDS = [
    "stage_id",
    "probability",
    "automated_probability",
    "active",
    "date_closed",
    "date_last_stage_update",
    "prorated_revenue",
    "expected_revenue",
]


def lead(core: SandboxCore, rid: int, fields: list[str] = LEAD_FIELDS) -> dict[str, Any]:
    return call(core, "crm.lead", "read", [rid], fields, context={"active_test": False})[0]


def test_moving_to_the_won_stage_closes_the_lead(core: SandboxCore) -> None:
    call(core, "crm.lead", "write", [13], {"stage_id": 4})
    values = lead(core, 13)
    assert values["stage_id"] == [4, "Won"]
    assert (values["probability"], values["automated_probability"]) == (100.0, 100.0)
    assert values["date_closed"] == values["date_last_stage_update"] == "2026-11-27 13:55:00"
    assert values["prorated_revenue"] == values["expected_revenue"] == 40000.0


def test_lost_then_restored(core: SandboxCore) -> None:
    assert call(core, "crm.lead", "action_set_lost", [14]) is None
    lost = lead(core, 14)
    assert (lost["active"], lost["probability"], lost["automated_probability"]) == (False, 0.0, 0.0)
    assert lost["date_closed"] == "2026-11-27 13:55:00"
    assert lost["date_last_stage_update"] == "2026-11-27 13:20:40"  # no stage change
    assert call(core, "crm.lead", "toggle_active", [14]) is None
    restored = lead(core, 14)
    assert restored["active"] is True
    assert restored["probability"] == restored["automated_probability"] > 0
    assert restored["date_closed"] is False


def test_set_won_moves_to_the_won_stage(core: SandboxCore) -> None:
    assert call(core, "crm.lead", "action_set_won", [15]) is True
    values = lead(core, 15)
    assert (values["stage_id"], values["probability"]) == ([4, "Won"], 100.0)
    assert values["date_closed"] == "2026-11-27 13:55:00"


def test_new_leads_start_in_the_first_stage_with_context_defaults(core: SandboxCore) -> None:
    rid = call(
        core,
        "crm.lead",
        "create",
        {"name": "Context lead"},
        context={
            "default_type": "lead",
            "default_tag_ids": [(6, 0, [1, 2])],
            "default_priority": "2",
        },
    )
    values = lead(
        core,
        rid,
        [
            "type",
            "stage_id",
            "tag_ids",
            "priority",
            "user_id",
            "date_open",
            "probability",
            "automated_probability",
            "active",
        ],
    )
    assert values["type"] == "lead"
    assert values["stage_id"] == [1, "New"]
    assert values["tag_ids"] == [1, 2]
    assert values["priority"] == "2"
    assert values["user_id"] == [2, "Mitchell Admin"]
    assert values["date_open"] == "2026-11-27 13:55:00"
    assert values["probability"] == values["automated_probability"]
    plain = lead(core, call(core, "crm.lead", "create", {"name": "Plain"}), ["type", "priority"])
    assert (plain["type"], plain["priority"]) == ("opportunity", "0")


def test_a_manual_probability_is_kept_on_stage_change(core: SandboxCore) -> None:
    call(core, "crm.lead", "write", [15], {"probability": 42})
    call(core, "crm.lead", "write", [15], {"stage_id": 3})
    values = lead(core, 15)
    assert values["probability"] == 42.0
    assert values["date_closed"] is False


def test_unarchive_of_an_archived_lead(core: SandboxCore) -> None:
    assert call(core, "crm.lead", "action_unarchive", [7]) is None
    assert call(core, "crm.lead", "search", [["id", "=", 7]]) == [7]
    assert call(core, "crm.lead", "action_archive", [7]) is None
    assert lead(core, 7, ["active", "probability"]) == {
        "id": 7,
        "active": False,
        "probability": 0.0,
    }


def test_sql_constraints_of_leads_and_tags(core: SandboxCore) -> None:
    with pytest.raises(ValidationError) as info:
        call(core, "crm.lead", "write", [1], {"probability": 150})
    assert str(info.value) == (
        "The operation cannot be completed: The probability of closing the deal should be between 0% and 100%!"
    )
    call(core, "crm.tag", "create", {"name": "Unique tag"})
    with pytest.raises(ValidationError, match="Tag name already exists!"):
        call(core, "crm.tag", "create", {"name": "Unique tag"})


# -- predictive lead scoring (Odoo 18's frequency table and naive Bayes) -------------------


def frequency_counts(core: SandboxCore) -> dict[tuple[int, str, str], tuple[float, float]]:
    from odoo_frames.sandbox.business import lead_scoring

    with core.database("ref").transaction():
        rows = lead_scoring.frequencies(core.env("ref", 2))
    return {(f.team_id, f.variable, f.value): (f.won, f.lost) for f in rows}


def test_the_frequency_table_counts_the_closed_leads_per_team(core: SandboxCore) -> None:
    counts = frequency_counts(core)
    # Sales (1): lost leads 7, 11, 12 in "New", won lead 20 (all stages); + 0.1 each side
    assert counts[(1, "stage_id", "1")] == (1.1, 3.1)
    assert counts[(1, "stage_id", "2")] == (1.1, 0.1)
    assert counts[(1, "email_state", "False")] == (0.1, 1.1)  # lead 7 has no email
    assert counts[(1, "email_state", "correct")] == (1.1, 2.1)
    assert counts[(1, "phone_state", "False")] == (1.1, 3.1)
    # Pre-Sales (5): lost leads 9 and 28, won leads 23 and 27
    assert counts[(5, "stage_id", "1")] == (2.1, 2.1)


def test_scores_are_odoo_s_naive_bayes_per_team(core: SandboxCore) -> None:
    new = call(core, "crm.lead", "create", {"name": "Scored"})  # admin's team: Sales
    assert lead(core, new)["automated_probability"] == 7.92
    call(core, "crm.lead", "write", [15], {"email_from": "sales@agrolait.com"})
    assert lead(core, 15)["automated_probability"] == 93.89
    call(core, "crm.lead", "write", [30], {"phone": "+32 2 000 00 00"})  # no team: all teams
    assert lead(core, 30)["automated_probability"] == 42.96


def test_losing_then_restoring_a_lead_leaves_the_table_as_it_was(core: SandboxCore) -> None:
    before = frequency_counts(core)
    call(core, "crm.lead", "action_set_lost", [14])
    assert frequency_counts(core)[(5, "stage_id", "1")] == (2.1, 3.1)
    call(core, "crm.lead", "toggle_active", [14])
    assert frequency_counts(core) == before
    assert lead(core, 14)["probability"] == 50.0
