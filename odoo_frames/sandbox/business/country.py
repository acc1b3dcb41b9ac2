"""``res.country.name_search``: a two-letter name matches country codes first.

Odoo 18 (``res.country.name_search``): when the name has two characters and the operator
is not negative, the countries whose ``code`` matches (``code <operator> name``) come
first, in the model's order; the usual search (``name`` or ``code``, the model's
``_rec_names_search``) then adds the others, without repeating them, within what is left
of ``limit``. Odoo 17 (``_name_search``) always compares the code with ``ilike`` and gives
each of the two searches the whole ``limit``.

Example::

    >>> env["res.country"].name_search("be")
    [[20, 'Belgium'], [36, 'Belarus'], [37, 'Belize'], [25, 'Benin'], ...]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..domain import NEGATIVE_TERM_OPERATORS, normalize
from ..orm import BaseModel, method


def _and(domain: Sequence[Any] | None, leaf: tuple[str, str, Any]) -> list[Any]:
    if not domain:
        return [leaf]
    return ["&", *normalize(list(domain)), leaf]


def country_name_search(
    self: BaseModel, name: Any, domain: Sequence[Any] | None, operator: str, limit: Any
) -> list[list[Any]]:
    result: list[list[Any]] = []
    if isinstance(name, str) and len(name) == 2 and operator not in NEGATIVE_TERM_OPERATORS:
        old = self.env.profile.major < 18
        code_operator = "ilike" if old else operator
        countries = self.search(_and(domain, ("code", code_operator, name)), limit=limit)
        names = countries.display_names()
        result += [[cid, names.get(cid, False)] for cid in countries.ids]
        domain = _and(domain, ("id", "not in", countries.ids))
        if not old and limit is not None:
            limit -= len(countries)
            if limit <= 0:
                return result
    return result + self._name_search(name, domain, operator, limit)


@method("res.country", "name_search", api="model", until=18)
def name_search(
    self: BaseModel,
    name: str = "",
    args: Sequence[Any] | None = None,
    operator: str = "ilike",
    limit: int = 100,
) -> list[list[Any]]:
    return country_name_search(self, name, args, operator, limit)


@method("res.country", "name_search", api="model", since=19)
def name_search_19(
    self: BaseModel,
    name: str = "",
    domain: Sequence[Any] | None = None,
    operator: str = "ilike",
    limit: int = 100,
) -> list[list[Any]]:
    return country_name_search(self, name, domain, operator, limit)
