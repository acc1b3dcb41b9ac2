"""res.country.name_search: two letters match the country codes first (as Odoo 18)."""

from __future__ import annotations

from odoo_frames.sandbox.core import SandboxCore

from .core_support import call


def test_a_two_letter_name_finds_the_code_first(core: SandboxCore) -> None:
    found = call(core, "res.country", "name_search", name="be")
    assert found[:3] == [[20, "Belgium"], [36, "Belarus"], [37, "Belize"]]
    assert len(found) == len({rid for rid, _ in found})  # Belgium is not repeated


def test_the_limit_counts_the_code_match(core: SandboxCore) -> None:
    assert call(core, "res.country", "name_search", name="be", limit=2) == [
        [20, "Belgium"],
        [36, "Belarus"],
    ]
    assert call(core, "res.country", "name_search", name="be", limit=1) == [[20, "Belgium"]]


def test_longer_names_and_negative_operators_search_as_usual(core: SandboxCore) -> None:
    assert call(core, "res.country", "name_search", name="Belg") == [[20, "Belgium"]]
    excluded = call(core, "res.country", "name_search", name="be", operator="not ilike")
    assert [20, "Belgium"] not in excluded
