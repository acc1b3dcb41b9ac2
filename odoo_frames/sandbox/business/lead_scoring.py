"""Predictive lead scoring: the naive Bayes behind ``crm.lead.automated_probability``.

Odoo learns, per field value, how many closed leads were won or lost (the
``crm.lead.scoring.frequency`` table), then scores an open lead with a naive Bayes
classifier. The sandbox has no frequency table: it rebuilds one from the closed leads
of its own database each time (Odoo's "rebuild" mode), with Odoo's rules:

* won leads (probability 100) count for every stage, lost leads (archived, probability
  0) for their stage and the stages before it;
* every count starts at 0.1 so that no value has a zero frequency;
* variables: ``stage_id``, ``email_state`` and ``phone_state`` (Odoo's default
  ``crm.pls_fields``), tags only once a tag has 50 closed leads;
* a lead without stage scores 0, a lead in a won stage 100; the result is rounded to
  two decimals.

The real server also keeps frequencies per sales team and updates them live, so the
sandbox's numbers are Odoo's algorithm on the sandbox's data, not the reference
server's numbers.

Example::

    >>> stages = [Stage(1, 1, False), Stage(2, 2, False), Stage(4, 70, True)]
    >>> closed = [LeadFacts(4, 100.0, True, (), True, True), LeadFacts(1, 0.0, False, (), True, False)]
    >>> automated_probability(LeadFacts(1, 10.0, True, (), True, False), closed, stages)
    8.33
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Below this many closed leads a tag does not weigh in the score (Odoo's rule).
TAG_MIN_CLOSED = 50


@dataclass(frozen=True)
class Stage:
    id: int
    sequence: int
    is_won: bool


@dataclass(frozen=True)
class LeadFacts:
    """What the scoring looks at in a lead."""

    stage_id: int | None
    probability: float
    active: bool
    tag_ids: tuple[int, ...]
    has_email: bool
    has_phone: bool

    @property
    def is_won(self) -> bool:
        return self.probability == 100

    @property
    def is_lost(self) -> bool:
        return self.probability == 0 and not self.active


def _values(lead: LeadFacts) -> list[tuple[str, str]]:
    # email_state / phone_state: 'correct' when set (the sandbox does not validate), else False.
    values = [
        ("email_state", "correct" if lead.has_email else "False"),
        ("phone_state", "correct" if lead.has_phone else "False"),
    ]
    values += [("tag_id", str(tag)) for tag in lead.tag_ids]
    return values


def frequencies(
    closed: Sequence[LeadFacts], stages: Sequence[Stage]
) -> dict[str, dict[str, list[float]]]:
    """``{variable: {value: [won_count, lost_count]}}`` rebuilt from closed leads."""
    ordered = sorted(stages, key=lambda s: (s.sequence, s.id))
    sequence_of = {s.id: s.sequence for s in ordered}
    table: dict[str, dict[str, list[float]]] = {}

    def bump(variable: str, value: str, won: int, lost: int) -> None:
        counts = table.setdefault(variable, {}).setdefault(value, [0.1, 0.1])
        counts[0] += won
        counts[1] += lost

    for lead in closed:
        won, lost = int(lead.is_won), int(lead.is_lost)
        if not (won or lost):
            continue
        if lead.stage_id is not None:
            if won:
                reached = [s.id for s in ordered]
            else:
                current = sequence_of.get(lead.stage_id, 0)
                reached = [s.id for s in ordered if s.sequence <= current]
            for stage_id in reached:
                bump("stage_id", str(stage_id), won, lost)
        for variable, value in _values(lead):
            bump(variable, value, won, lost)
    return table


def automated_probability(
    lead: LeadFacts, closed: Sequence[LeadFacts], stages: Sequence[Stage]
) -> float:
    """The lead's ``automated_probability`` given the closed leads of the database."""
    if lead.stage_id is None:
        return 0.0
    if any(s.id == lead.stage_id and s.is_won for s in stages):
        return 100.0
    table = frequencies(closed, stages)
    first = min(stages, key=lambda s: (s.sequence, s.id), default=None)
    stage_counts = table.get("stage_id", {})
    if first is None or str(first.id) not in stage_counts:
        return 0.0
    team_won, team_lost = stage_counts[str(first.id)]
    if not team_won or not team_lost:
        return 0.0
    total = team_won + team_lost
    score_won, score_lost = team_won / total, team_lost / total
    for variable, value in [("stage_id", str(lead.stage_id)), *_values(lead)]:
        counts = table.get(variable, {})
        if value not in counts:
            continue
        won, lost = counts[value]
        if variable == "tag_id" and won + lost < TAG_MIN_CLOSED:
            continue
        if variable == "stage_id":
            total_won, total_lost = team_won, team_lost
        else:
            total_won = sum(c[0] for c in counts.values())
            total_lost = sum(c[1] for c in counts.values())
        if not total_won or not total_lost:
            continue
        score_won *= won / total_won
        score_lost *= lost / total_lost
    return round(100 * score_won / (score_won + score_lost), 2)
