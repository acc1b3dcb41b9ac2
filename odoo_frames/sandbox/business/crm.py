"""crm.lead: stages, won/lost, probabilities and dates (Odoo 18 ``crm``).

* A new lead starts in the first unfolded stage, is assigned now (``date_open``) and gets
  its ``automated_probability`` from predictive lead scoring (:mod:`.lead_scoring`);
  ``probability`` follows it while the two are equal.
* Moving to a won stage sets ``probability`` = ``automated_probability`` = 100 and
  ``date_closed``; any stage change stamps ``date_last_stage_update``.
* ``action_set_lost`` archives the lead (probability 0, ``date_closed`` now) and returns
  None; ``action_set_won`` restores it and moves it to the won stage (returns True);
  ``toggle_active`` / ``action_archive`` / ``action_unarchive`` go through the same rules
  (restoring recomputes the probability and clears ``date_closed``).
* Winning, losing, restoring a lead (or leaving a won stage) updates the scoring
  frequencies first, as Odoo's ``_handle_won_lost`` does.
* ``prorated_revenue`` = expected revenue x probability; ``crm.stage.team_count`` is the
  number of active sales teams (:mod:`.sales_teams`).

Example::

    >>> lead = env["crm.lead"].browse([14])
    >>> lead.action_set_lost(); lead.raw(["active", "probability"])
    {14: {'active': False, 'probability': 0.0}}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..exceptions import ValidationError
from ..orm import (
    BaseModel,
    Env,
    before_create,
    before_unlink,
    before_write,
    compute,
    constraint,
    method,
    on_create,
)
from . import lead_scoring
from .generic import invert_active, split_by_active
from .sales_teams import active_team_count

LEAD = "crm.lead"
STAGE = "crm.stage"


@dataclass(frozen=True)
class Stage:
    id: int
    sequence: int
    is_won: bool


def _stages(env: Env) -> list[Stage]:
    rows = env[STAGE].sudo().search([]).raw(["sequence", "is_won"])
    return [Stage(rid, int(r["sequence"] or 0), bool(r["is_won"])) for rid, r in rows.items()]


def _won_stage_ids(env: Env) -> set[int]:
    return {s.id for s in _stages(env) if s.is_won}


# -------------------------------------------------------------------------- creation


@before_create(LEAD)
def prepare_leads(model: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    env = model.env
    lead_scoring.ensure_table(env)  # rebuilt from the leads as they are before this create
    first_stage: int | None = None
    for vals in vals_list:
        if not vals.get("stage_id"):
            if first_stage is None:
                unfolded = (
                    env[STAGE].sudo().search([("fold", "=", False)], order="sequence", limit=1)
                )
                first_stage = unfolded.ids[0] if unfolded else 0
            if first_stage:
                vals["stage_id"] = first_stage
        if not vals.get("name") and vals.get("partner_id"):
            partner = env["res.partner"].sudo().browse([int(vals["partner_id"])])
            name = partner.raw(["name"]).get(int(vals["partner_id"]), {}).get("name")
            if name:
                vals["name"] = f"{name}'s opportunity"
        if not vals.get("company_id") and vals.get("user_id"):
            vals["company_id"] = env.company_id


# -------------------------------------------------------------------------- computes


@compute(LEAD, ["date_open"], depends=["user_id"])
def compute_date_open(leads: BaseModel) -> dict[int, dict[str, Any]]:
    now = leads.env.now_string
    return {
        rid: {"date_open": now if row["user_id"] else False}
        for rid, row in leads.raw(["user_id"]).items()
    }


@compute(LEAD, ["date_last_stage_update"], depends=["stage_id"])
def compute_date_last_stage_update(leads: BaseModel) -> dict[int, dict[str, Any]]:
    now = leads.env.now_string
    return {rid: {"date_last_stage_update": now} for rid in leads.ids}


@compute(
    LEAD,
    ["automated_probability", "probability"],
    # stage_id, team_id (from user_id) and the pls fields: email_state, phone_state
    depends=["stage_id", "user_id", "email_from", "phone", "country_id"],
)
def compute_probabilities(leads: BaseModel) -> dict[int, dict[str, Any]]:
    """``crm.lead._compute_probabilities``: only the leads the naive Bayes could score."""
    scores = lead_scoring.naive_bayes_probabilities(leads)
    current = leads.raw(["probability", "automated_probability", "active"])
    result: dict[int, dict[str, Any]] = {}
    for rid, value in scores.items():
        row = current.get(rid)
        if row is None:
            continue
        was_automated = (
            row["active"]
            and round(
                float(row["probability"] or 0.0) - float(row["automated_probability"] or 0.0), 2
            )
            == 0
        )
        values: dict[str, Any] = {"automated_probability": value}
        if was_automated:
            values["probability"] = value
        result[rid] = values
    return result


@compute(STAGE, ["team_count"])
def compute_team_count(stages: BaseModel) -> dict[int, dict[str, Any]]:
    """``crm.stage._compute_team_count``: ``crm.team.search_count([])`` (active teams)."""
    count = active_team_count()
    return {rid: {"team_count": count} for rid in stages.ids}


@compute(LEAD, ["prorated_revenue"], depends=["expected_revenue", "probability"])
def compute_prorated_revenue(leads: BaseModel) -> dict[int, dict[str, Any]]:
    return {
        rid: {
            "prorated_revenue": round(
                float(row["expected_revenue"] or 0.0) * float(row["probability"] or 0.0) / 100.0, 2
            )
        }
        for rid, row in leads.raw(["expected_revenue", "probability"]).items()
    }


# ---------------------------------------------------------------------------- writes


@before_write(LEAD)
def stage_and_closing(leads: BaseModel, vals: dict[str, Any]) -> None:
    """``crm.lead.write``: a new won stage means probability 100; closing stamps
    ``date_closed``; winning, losing and restoring update the scoring frequencies."""
    env = leads.env
    lead_scoring.ensure_table(env)  # rebuilt from the leads as they are before this write
    won_stage_ids = _won_stage_ids(env)
    stage_updated = stage_is_won = False
    if "stage_id" in vals:
        current = leads.sudo().with_context(active_test=False).raw(["stage_id"])
        stage_updated = any(row["stage_id"] != vals["stage_id"] for row in current.values())
        if stage_updated and vals["stage_id"] and int(vals["stage_id"]) in won_stage_ids:
            vals.update({"probability": 100, "automated_probability": 100})
            stage_is_won = True
    probability = vals.get("probability", 0) or 0
    if probability >= 100 or not vals.get("active", True):
        vals["date_closed"] = env.now_string
    elif probability > 0 or (stage_updated and not stage_is_won and "probability" not in vals):
        vals["date_closed"] = False
    lead_scoring.handle_won_lost(leads, vals, won_stage_ids)


@on_create(LEAD)
def count_created_won_lost(leads: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    """``crm.lead.create``: a lead created in a won stage counts as won."""
    won_stage_ids = _won_stage_ids(leads.env)
    for rid, vals in zip(leads.ids, vals_list):
        changes: dict[str, Any] = {k: vals[k] for k in ("stage_id", "active") if k in vals}
        lead_scoring.handle_won_lost(leads.browse([rid]), changes, won_stage_ids)


@before_unlink(LEAD)
def keep_frequencies(leads: BaseModel) -> None:
    """Deleting a closed lead does not uncount it: build the table while it still counts."""
    lead_scoring.ensure_table(leads.env)


def _recompute_probabilities(leads: BaseModel) -> None:
    values = compute_probabilities(leads.sudo())
    for rid, vals in values.items():
        leads.browse([rid]).write(dict(vals))


def _toggle(leads: BaseModel) -> None:
    """``toggle_active`` with crm's rules for archived and restored leads."""
    archived, restored = invert_active(leads)
    if restored:
        _recompute_probabilities(leads.browse(restored))
    if archived:
        leads.browse(archived).write({"probability": 0, "automated_probability": 0})


@method(LEAD, "toggle_active")
def toggle_active(self: BaseModel) -> None:
    _toggle(self)


@method(LEAD, "action_archive")
def action_archive(self: BaseModel) -> None:
    active, _ = split_by_active(self)
    _toggle(self.browse(active))


@method(LEAD, "action_unarchive")
def action_unarchive(self: BaseModel) -> None:
    _, archived = split_by_active(self)
    _toggle(self.browse(archived))


@method(LEAD, "action_set_lost")
def action_set_lost(self: BaseModel, **additional_values: Any) -> None:
    action_archive(self)
    if additional_values:
        self.write(dict(additional_values))


@method(LEAD, "action_set_won")
def action_set_won(self: BaseModel) -> bool:
    action_unarchive(self)
    env = self.env
    stages = sorted(_stages(env), key=lambda s: (s.sequence, s.id))
    won = [s for s in stages if s.is_won]
    if not won:
        return True
    rows = self.raw(["stage_id"])
    sequence_of = {s.id: s.sequence for s in stages}
    by_stage: dict[int, list[int]] = {}
    for rid in self.ids:
        if rid not in rows:
            continue
        current = sequence_of.get(rows[rid]["stage_id"], 0)
        target = next((s for s in won if s.sequence > current), None)
        if target is None:
            target = next((s for s in reversed(won) if s.sequence <= current), won[0])
        by_stage.setdefault(target.id, []).append(rid)
    for stage_id, ids in by_stage.items():
        self.browse(ids).write({"stage_id": stage_id, "probability": 100})
    return True


@method(LEAD, "action_set_automated_probability")
def action_set_automated_probability(self: BaseModel) -> None:
    for rid, row in self.raw(["automated_probability"]).items():
        self.browse([rid]).write({"probability": row["automated_probability"]})


@constraint(LEAD, ["probability"])
def check_probability(leads: BaseModel) -> None:
    """SQL constraint ``check_probability``: between 0 and 100."""
    for row in leads.raw(["probability"]).values():
        if not 0 <= float(row["probability"] or 0.0) <= 100:
            raise ValidationError(
                "The operation cannot be completed: The probability of closing the deal should be "
                "between 0% and 100%!"
            )


@constraint("crm.tag", ["name"])
def check_tag_name_unique(tags: BaseModel) -> None:
    """SQL constraint ``name_uniq`` of crm.tag."""
    for rid, row in tags.raw(["name"]).items():
        if row["name"] is False:
            continue
        same = tags.sudo().search([("name", "=", row["name"]), ("id", "!=", rid)], limit=1)
        if same:
            raise ValidationError("The operation cannot be completed: Tag name already exists!")
