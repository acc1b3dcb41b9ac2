"""Pure helpers of the business modules: money rounding and taxes, document numbers, lead scoring."""

from __future__ import annotations

from datetime import date

import pytest

from odoo_frames.sandbox.business.lead_scoring import email_state, phone_state
from odoo_frames.sandbox.business.numbering import (
    IR_SEQUENCES,
    PreviousName,
    next_move_name,
    split_move_name,
)
from odoo_frames.sandbox.business.taxes import Tax, float_round, line_amounts

# -- rounding and taxes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounding", "expected"),
    [
        (2.675, 0.01, 2.68),
        (-2.675, 0.01, -2.68),
        (1.005, 0.01, 1.01),
        (0.0, 0.01, 0.0),
        (7.5, 1, 8.0),
    ],
)
def test_float_round_rounds_half_away_from_zero_like_odoo(
    value: float, rounding: float, expected: float
) -> None:
    assert float_round(value, rounding) == expected


def test_a_line_without_taxes_is_price_times_quantity() -> None:
    amounts = line_amounts(price_unit=40.0, quantity=4, discount=0.0, taxes=[])
    assert (amounts.subtotal, amounts.tax, amounts.total) == (160.0, 0.0, 160.0)


def test_discount_applies_before_percent_taxes() -> None:
    amounts = line_amounts(100.0, 3, 10.0, [Tax(id=1, amount=15.0)])
    assert (amounts.subtotal, amounts.tax, amounts.total) == (270.0, 40.5, 310.5)


def test_price_included_tax_is_taken_out_of_the_price() -> None:
    amounts = line_amounts(100.0, 1, 0.0, [Tax(id=1, amount=15.0, price_include=True)])
    assert (amounts.subtotal, amounts.tax, amounts.total) == (86.96, 13.04, 100.0)


def test_fixed_tax_is_per_unit() -> None:
    assert line_amounts(10.0, 3, 0.0, [Tax(id=2, amount=0.5, amount_type="fixed")]).tax == 1.5


# -- document numbers ------------------------------------------------------------------------


def test_an_invoice_continues_its_yearly_sequence() -> None:
    previous = [PreviousName("INV/2026/00001", False), PreviousName("INV/2026/00004", False)]
    name = next_move_name("INV", "sale", True, "out_invoice", date(2026, 11, 27), previous)
    assert (name.name, name.prefix, name.number) == ("INV/2026/00005", "INV/2026/", 5)


def test_refunds_have_their_own_sequence_when_the_journal_says_so() -> None:
    previous = [PreviousName("INV/2026/00004", False), PreviousName("RINV/2026/00005", True)]
    name = next_move_name("INV", "sale", True, "out_refund", date(2026, 11, 27), previous)
    assert name.name == "RINV/2026/00006"


def test_a_new_period_restarts_at_one_in_the_learnt_format() -> None:
    previous = [PreviousName("BILL/2026/11/0001", False), PreviousName("BILL/2025/08/0001", False)]
    assert (
        next_move_name("BILL", "purchase", True, "in_invoice", date(2026, 12, 1), previous).name
        == "BILL/2026/12/0001"
    )
    assert (
        next_move_name("BILL", "purchase", True, "in_invoice", date(2026, 11, 30), previous).name
        == "BILL/2026/11/0002"
    )


def test_an_empty_journal_starts_with_odoo_s_default_formats() -> None:
    assert (
        next_move_name("BNK9", "bank", False, "entry", date(2026, 3, 1), []).name
        == "BNK9/2026/00001"
    )
    assert (
        next_move_name("MISC", "general", False, "entry", date(2026, 3, 1), []).name
        == "MISC/2026/03/0001"
    )
    assert next_move_name("BILL", "purchase", True, "in_refund", date(2026, 3, 1), []).name == (
        "RBILL/2026/03/0001"
    )


def test_split_move_name() -> None:
    assert split_move_name("BILL/2026/11/0001") == ("BILL/2026/11/", 1)
    assert split_move_name("INV/2026/00012") == ("INV/2026/", 12)


def test_sale_order_sequence_format() -> None:
    sequence = IR_SEQUENCES["sale.order"]
    assert sequence.format(25) == "S00025"
    assert sequence.number_of("S00024") == 24
    assert sequence.number_of("Q00024") is None


# -- predictive lead scoring -----------------------------------------------------------------


def test_email_state_is_correct_when_one_address_is_valid() -> None:
    assert email_state("info@agrolait.com") == "correct"
    assert email_state('"Deco" <info@agrolait.com>, nope') == "correct"
    assert email_state("not an address") == "incorrect"
    assert email_state(False) is False


def test_phone_state_stays_unset_without_a_phone_number_library() -> None:
    assert phone_state("+32 10 588 558") is False
