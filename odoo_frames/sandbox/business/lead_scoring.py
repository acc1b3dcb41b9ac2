"""Predictive lead scoring (Odoo 18 ``crm``): the naive Bayes behind ``automated_probability``.

Odoo keeps a frequency table, ``crm.lead.scoring.frequency``: for each sales team and each
(variable, value) couple, how many closed leads were won and lost. It is updated *live*
when a lead is won, lost, restored or leaves a won stage (``_handle_won_lost``), only for
leads created on or after ``crm.pls_start_date``. An open lead is then scored with the
frequencies of its team (of every team together when its team has none).

The sandbox keeps the table in SQLite (``crm_lead_scoring_frequency``, rolled back with
the call that changed it). The table of a loaded database is rebuilt from its closed
leads on first use, before any lead changes (Odoo's one-shot rebuild: for the reference
database it is exactly the table the demo installation built live). The rules:

* variables: ``stage_id`` (when set), then the ``crm.pls_fields`` parameter, by default
  ``phone_state,email_state``; the team is the lead's (:mod:`.sales_teams`);
* ``email_state`` is "correct" when one of the addresses of ``email_from`` is valid,
  "incorrect" otherwise, unset without email. ``phone_state`` stays unset, as in an
  Odoo without the ``phonenumbers`` library (it only sets it after validating the
  number): the reference probabilities (dataset: 8.33, 2.4, 4.09; recorded: 7.92, 50.0)
  all follow from that;
* unset values count as the value ``"False"``; a won lead counts for every stage, a lost
  lead for its stage and the stages before it (by sequence);
* a couple is created with its count + 0.1 on both sides (never 0: no zero frequency),
  even when the count is a decrement; an update that would reach 0 stores 0.1; counts
  have one decimal (``digits=(16, 1)``);
* the score multiplies the team's prior (won or lost leads of the first stage over all)
  by, for each variable value present in the table, its won (lost) count over the
  variable's total (for ``stage_id``: over the team's won (lost) count); the result is
  ``round(100 * won / (won + lost), 2)``. A lead without stage scores 0, a lead in a
  won stage 100; a team with no won or no lost lead cannot score (nothing is assigned).
  Like Odoo 18, the loop only looks up the prior when the team changes from one lead
  to the next, so after a team that could not score, its next leads keep the prior
  computed before (1/1 at first).

``crm.pls_start_date`` is the day the ``crm`` module was installed (the creation day of
the ``crm.stage`` records) minus 8 days, unless ``server.json`` says ``pls_start_date``.

Example::

    >>> naive_bayes_probabilities(env["crm.lead"].browse([14]))   # reference database
    {14: 50.0}
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..orm import BaseModel, Env
from .sales_teams import lead_team_id

#: ``crm.pls_fields`` of a fresh Odoo 18 database (``crm_lead_prediction_data.xml``).
DEFAULT_PLS_FIELDS = ("phone_state", "email_state")
#: Below this many closed leads a tag does not weigh in the score (Odoo's rule).
TAG_MIN_CLOSED = 50

TABLE = "crm_lead_scoring_frequency"
LEAD = "crm.lead"
STAGE = "crm.stage"

#: One address of ``email_from`` (``mail_validation.mail_validate`` without flanker).
_EMAIL = re.compile(r"^[^\s@,;<>()\[\]\"]+@[^\s@,;<>()\[\]\"]+\.[^\s@,;<>()\[\]\"]+$")


# ----------------------------------------------------------------------------- values


def email_state(email_from: Any) -> str | bool:
    """``crm.lead._compute_email_state``."""
    if not email_from:
        return False
    for address in re.split(r"[,;]", str(email_from)):
        address = address.strip()
        match = re.search(r"<([^>]*)>", address)
        if match:
            address = match.group(1).strip()
        if address and _EMAIL.match(address):
            return "correct"
    return "incorrect"


def phone_state(phone: Any) -> str | bool:
    """``crm.lead._compute_phone_state`` without a phone-number library: unset."""
    return False


def pls_fields(env: Env) -> tuple[str, ...]:
    """``crm.pls_fields`` (``server.json`` may set ``pls_fields``, a list or "a,b")."""
    configured = env.db.server.get("pls_fields")
    if configured is None:
        return DEFAULT_PLS_FIELDS
    names = configured.split(",") if isinstance(configured, str) else list(configured)
    return tuple(n for n in (str(n).strip() for n in names) if n in _FIELD_VALUES)


def pls_start_date(env: Env) -> str | None:
    """``crm.pls_start_date``: installation day of ``crm`` minus 8 days (or ``server.json``)."""
    configured = env.db.server.get("pls_start_date")
    if configured:
        return str(configured)[:10]
    row = env.cr.execute('SELECT MIN(create_date) FROM "crm_stage"').fetchone()
    if not row or not row[0]:
        return None
    installed = dt.date.fromisoformat(str(row[0])[:10])
    return (installed - dt.timedelta(days=8)).isoformat()


_FIELD_VALUES = {
    "email_state": lambda row: email_state(row["email_from"]),
    "phone_state": lambda row: phone_state(row["phone"]),
    "tag_ids": None,  # handled apart (one value per tag)
}

_READ = ["stage_id", "user_id", "email_from", "phone", "probability", "tag_ids", "create_date"]


@dataclass(frozen=True)
class LeadValues:
    """``_pls_get_lead_pls_values`` of one lead: its team and its (variable, value) couples."""

    team_id: int
    values: tuple[tuple[str, Any], ...]
    probability: float


def lead_values(env: Env, ids: Iterable[int]) -> dict[int, LeadValues]:
    """The scoring values of the leads ``ids`` (in that order, archived ones included)."""
    ids = list(dict.fromkeys(int(i) for i in ids))
    rows = env[LEAD].sudo().browse(ids).raw(_READ)
    fields = pls_fields(env)
    result: dict[int, LeadValues] = {}
    for rid in ids:
        row = rows.get(rid)
        if row is None:
            continue
        values: list[tuple[str, Any]] = []
        if row["stage_id"]:
            values.append(("stage_id", row["stage_id"]))
        for name in fields:
            compute = _FIELD_VALUES.get(name)
            if compute is not None:
                values.append((name, compute(row)))
        if "tag_ids" in fields:
            values += [("tag_id", tag) for tag in row["tag_ids"]]
        result[rid] = LeadValues(
            team_id=lead_team_id(row["user_id"]),
            values=tuple(values),
            probability=float(row["probability"] or 0.0),
        )
    return result


def _created_since(env: Env, ids: Sequence[int], start: str) -> list[int]:
    rows = env[LEAD].sudo().browse(list(ids)).raw(["create_date"])
    return [
        rid
        for rid in ids
        if rid in rows and rows[rid]["create_date"] and str(rows[rid]["create_date"])[:10] >= start
    ]


# ------------------------------------------------------------------ frequency table


@dataclass
class Frequency:
    id: int
    team_id: int  # 0: no team
    variable: str
    value: str
    won: float
    lost: float


def _table_exists(env: Env) -> bool:
    row = env.cr.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).fetchone()
    return row is not None


def ensure_table(env: Env) -> None:
    """Create and fill the frequency table if this database has none yet.

    Call it before any lead changes: the rebuild reads the closed leads as they are.
    """
    if _table_exists(env):
        return
    env.cr.execute(
        f'CREATE TABLE "{TABLE}" (id INTEGER PRIMARY KEY, team_id INTEGER, '
        "variable TEXT, value TEXT, won_count REAL, lost_count REAL)"
    )
    _rebuild(env)


def frequencies(env: Env, variables: Iterable[str] | None = None) -> list[Frequency]:
    """The table's rows (of ``variables``), in Odoo's search order ``team_id asc`` then id."""
    ensure_table(env)
    rows = env.cr.execute(
        f'SELECT id, team_id, variable, value, won_count, lost_count FROM "{TABLE}" '
        "ORDER BY team_id IS NULL, team_id, id"
    ).fetchall()
    wanted = None if variables is None else set(variables)
    return [
        Frequency(int(r[0]), int(r[1] or 0), str(r[2]), str(r[3]), float(r[4]), float(r[5]))
        for r in rows
        if wanted is None or r[2] in wanted
    ]


def _stages(env: Env) -> list[tuple[int, int]]:
    """``(id, sequence)`` of every stage, in ``sequence`` order."""
    rows = env[STAGE].sudo().search([], order="sequence").raw(["sequence"])
    return sorted(((sid, int(r["sequence"] or 0)) for sid, r in rows.items()), key=lambda s: s[1])


def _prepare(
    env: Env, leads: Sequence[LeadValues], fields: Iterable[str], target: str | None
) -> dict[str, dict[str, list[float]]]:
    """``_pls_prepare_frequencies``: ``{variable: {value: [won, lost]}}`` of ``leads``."""
    table: dict[str, dict[str, list[float]]] = {name: {} for name in fields}
    stages = _stages(env)
    sequence_of = dict(stages)

    def bump(variable: str, value: Any, won: int, lost: int) -> None:
        counts = table.setdefault(variable, {}).setdefault(str(value), [0.0, 0.0])
        counts[0] += won
        counts[1] += lost

    for lead in leads:
        if target:
            won, lost = int(target == "won"), int(target == "lost")
        else:
            won, lost = int(lead.probability == 100), int(lead.probability == 0)
        for variable, value in lead.values:
            if variable == "tag_id":
                bump(variable, value, won, lost)
            elif variable == "stage_id":
                if won:
                    reached = [sid for sid, _ in stages]
                else:
                    current = sequence_of.get(int(value), 0)
                    reached = [sid for sid, seq in stages if seq <= current]
                for stage_id in reached:
                    bump(variable, stage_id, won, lost)
            elif value or variable in ("email_state", "phone_state"):
                bump(variable, value, won, lost)
    return table


def _by_team(leads: Mapping[int, LeadValues]) -> dict[int, list[LeadValues]]:
    teams: dict[int, list[LeadValues]] = {}
    for lead in leads.values():
        teams.setdefault(lead.team_id, []).append(lead)
    return teams


def _variables(leads: Mapping[int, LeadValues]) -> list[str]:
    return sorted({variable for lead in leads.values() for variable, _ in lead.values})


def _count(value: float) -> float:
    return round(value, 1)


def _update(
    env: Env,
    new_by_team: Mapping[int, Mapping[str, Mapping[str, list[float]]]],
    step: int,
    existing: Sequence[Frequency],
) -> None:
    """``_pls_update_frequency_table``: update the existing couples, create the others."""
    known = {(f.team_id, f.variable, f.value): f for f in existing}
    for team_id, table in new_by_team.items():
        for variable, values in table.items():
            for value, (won, lost) in values.items():
                current = known.get((team_id, variable, value))
                if current is not None:
                    new_won = current.won + won * step
                    new_lost = current.lost + lost * step
                    env.cr.execute(
                        f'UPDATE "{TABLE}" SET won_count = ?, lost_count = ? WHERE id = ?',
                        (
                            _count(new_won if new_won > 0 else 0.1),
                            _count(new_lost if new_lost > 0 else 0.1),
                            current.id,
                        ),
                    )
                    continue
                # a new couple starts at its count + 0.1, whatever the direction
                env.cr.execute(
                    f'INSERT INTO "{TABLE}" (team_id, variable, value, won_count, lost_count) '
                    "VALUES (?, ?, ?, ?, ?)",
                    (team_id or None, variable, value, _count(won + 0.1), _count(lost + 0.1)),
                )


def _rebuild(env: Env) -> None:
    """``_rebuild_pls_frequency_table``: every closed lead created since the start date."""
    start = pls_start_date(env)
    if not start:
        return
    closed = (
        env[LEAD]
        .sudo()
        .with_context(active_test=False)
        .search(
            [
                "&",
                ("create_date", ">=", start),
                "|",
                ("probability", "=", 100),
                "&",
                ("probability", "=", 0),
                ("active", "=", False),
            ],
            order="id",
        )
    )
    leads = lead_values(env, closed.ids)
    variables = _variables(leads)
    by_team = _by_team(leads)
    new_by_team = {
        team_id: _prepare(env, by_team.get(team_id, []), variables, None)
        for team_id in sorted(by_team)
    }
    _update(env, new_by_team, 1, [])


def increment(
    records: BaseModel, *, from_state: str | None = None, to_state: str | None = None
) -> None:
    """``_pls_increment_frequencies``: count (or uncount) the leads as won or lost."""
    env = records.env
    if not records.ids:
        return
    ensure_table(env)
    start = pls_start_date(env)
    if not start:
        return
    ids = _created_since(env, records.ids, start)
    if not ids:
        return
    leads = lead_values(env, ids)
    variables = _variables(leads)
    by_team = _by_team(leads)
    teams = set(by_team) | {0}
    new_by_team = {
        team_id: _prepare(env, by_team.get(team_id, []), variables, from_state or to_state)
        for team_id in teams
    }
    existing = [f for f in frequencies(env, variables) if f.team_id in teams]
    _update(env, new_by_team, 1 if to_state else -1, existing)


def handle_won_lost(records: BaseModel, vals: Mapping[str, Any], won_stage_ids: set[int]) -> None:
    """``crm.lead._handle_won_lost``: before ``vals`` are written (or after a create)."""
    if "stage_id" not in vals and "active" not in vals:
        return
    rows = records.sudo().with_context(active_test=False).raw(["stage_id", "active", "probability"])
    reach_won: list[int] = []
    leave_won: list[int] = []
    reach_lost: list[int] = []
    leave_lost: list[int] = []
    for rid in records.ids:
        row = rows.get(rid)
        if row is None:
            continue
        if "stage_id" in vals:
            if vals["stage_id"] in won_stage_ids:
                if float(row["probability"] or 0.0) == 0:
                    leave_lost.append(rid)
                reach_won.append(rid)
            elif row["stage_id"] in won_stage_ids and row["active"]:
                leave_won.append(rid)
        if "active" in vals:
            if not vals["active"] and row["active"]:
                if row["stage_id"] in won_stage_ids and rid not in leave_won:
                    leave_won.append(rid)
                reach_lost.append(rid)
            elif vals["active"] and not row["active"]:
                leave_lost.append(rid)
    increment(records.browse(reach_won), to_state="won")
    increment(records.browse(leave_won), from_state="won")
    increment(records.browse(reach_lost), to_state="lost")
    increment(records.browse(leave_lost), from_state="lost")


# ------------------------------------------------------------------------ probability


@dataclass
class VariableCounts:
    """The counts of one variable's values (``[won, lost]``) and their totals."""

    won_total: float = 0.0
    lost_total: float = 0.0
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, value: str, won: float, lost: float, replace: bool = False) -> None:
        counts = self.values.setdefault(value, [0.0, 0.0])
        if replace:
            counts[:] = [won, lost]
        else:
            counts[0] += won
            counts[1] += lost
        self.won_total += won
        self.lost_total += lost


def _first_stage_id(env: Env) -> int | None:
    stages = _stages(env)
    return stages[0][0] if stages else None


def naive_bayes_probabilities(records: BaseModel) -> dict[int, float]:
    """``_pls_get_naive_bayes_probabilities``: ``{lead id: probability}`` of the scorable leads."""
    env = records.env
    leads = lead_values(env, records.ids)
    if not leads:
        return {}
    won_stage_ids = set(env[STAGE].sudo().search([("is_won", "=", True)]).ids)
    variables = _variables(leads)
    rows = frequencies(env, variables)
    team_ids = list(dict.fromkeys(f.team_id for f in rows if f.team_id))
    # per team (-1: every team together), per variable: its values' counts and totals
    result: dict[int, dict[str, VariableCounts]] = {
        team: {v: VariableCounts() for v in variables} for team in [*team_ids, -1]
    }
    for f in rows:
        if f.variable == "tag_id" and f.won + f.lost < TAG_MIN_CLOSED:
            continue
        if f.team_id:
            result[f.team_id][f.variable].add(f.value, f.won, f.lost, replace=True)
        result[-1][f.variable].add(f.value, f.won, f.lost)

    first_stage = str(_first_stage_id(env))
    priors: dict[int, tuple[float, float, float]] = {}
    for team, team_result in result.items():
        stage_counts = team_result.get("stage_id")
        first = stage_counts.values.get(first_stage) if stage_counts else None
        priors[team] = (first[0], first[1], first[0] + first[1]) if first else (0.0, 0.0, 0.0)

    probabilities: dict[int, float] = {}
    saved_team: int | None = None
    team_won = team_lost = 0.0
    p_won, p_lost = 1.0, 1.0
    for rid, lead in leads.items():
        names = [variable for variable, _ in lead.values]
        if "stage_id" not in names:
            probabilities[rid] = 0.0
            continue
        stage_id = dict(lead.values)["stage_id"]
        if stage_id in won_stage_ids:
            probabilities[rid] = 100.0
            continue
        team = lead.team_id if lead.team_id in result else -1
        if team != saved_team:
            saved_team = team
            team_won, team_lost, team_total = priors[team]
            if not team_won or not team_lost:
                continue
            p_won = team_won / team_total
            p_lost = team_lost / team_total
        score_won, score_lost = p_won, p_lost
        for variable, value in lead.values:
            counted = result.get(saved_team, {}).get(variable)
            counts = counted.values.get(str(value)) if counted else None
            if counted is None or not counts:
                continue
            total_won = team_won if variable == "stage_id" else counted.won_total
            total_lost = team_lost if variable == "stage_id" else counted.lost_total
            if not total_won or not total_lost:
                continue
            score_won *= counts[0] / total_won
            score_lost *= counts[1] / total_lost
        probabilities[rid] = round(100 * score_won / (score_won + score_lost), 2)
    return probabilities
