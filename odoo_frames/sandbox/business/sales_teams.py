"""The sales teams (``crm.team``) the sandbox's databases stand for, and who belongs where.

The sandbox has no ``crm.team`` model; its databases are Odoo databases with demo data,
whose teams come from ``sales_team``'s data and demo files: "Sales" (sequence 0, the
administrator is a member), the archived "Website", "Point of Sale" and "eBay" teams,
and "Pre-Sales" (the demo user Marc Demo is its member). Two things depend on them:

* ``crm.stage.team_count`` is ``crm.team.search_count([])``: the active teams (2);
* a lead's ``team_id`` (``crm.lead._compute_team_id``): the first team, in team order,
  its salesperson is a member of, else the first team of the company (``Sales``); a
  lead without salesperson has no team. Predictive lead scoring keeps its frequencies
  per team.

Example::

    >>> active_team_count(), lead_team_id(6), lead_team_id(2), lead_team_id(None)
    (2, 5, 1, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SalesTeam:
    id: int
    name: str
    active: bool
    sequence: int
    members: tuple[int, ...] = ()


#: ``crm.team`` records of a database installed with ``sales_team`` demo data
#: (``crm_team_data.xml``, then ``crm_team_demo.xml``), in creation (id) order.
SALES_TEAMS: tuple[SalesTeam, ...] = (
    SalesTeam(1, "Sales", True, 0, members=(2,)),
    SalesTeam(2, "Website", False, 10),
    SalesTeam(3, "Point of Sale", False, 10),
    SalesTeam(4, "eBay", False, 10),
    SalesTeam(5, "Pre-Sales", True, 10, members=(6,)),
)


def _ordered_active() -> list[SalesTeam]:
    """Active teams in ``crm.team._order`` (``sequence ASC, id ASC``)."""
    return sorted((t for t in SALES_TEAMS if t.active), key=lambda t: (t.sequence, t.id))


def active_team_count() -> int:
    """``crm.team.search_count([])``."""
    return len(_ordered_active())


def lead_team_id(user_id: Any) -> int:
    """The team ``crm.lead._compute_team_id`` gives a lead of salesperson ``user_id`` (0: none)."""
    if not user_id:
        return 0
    teams = _ordered_active()
    for team in teams:
        if int(user_id) in team.members:
            return team.id
    return teams[0].id if teams else 0
