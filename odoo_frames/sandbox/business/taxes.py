"""Money rounding and tax computation of a document line, as Odoo 18 does them.

Odoo rounds half away from zero at the currency precision (``float_round`` with the
``HALF-UP`` method, after nudging the value by one ulp so that ``2.675`` rounds to
``2.68`` although it is stored as ``2.67499...``). A line's amounts follow the
company's ``round_per_line`` method (the only one the reference database uses): the
subtotal and each tax amount are rounded on the line, the document totals are sums.

Taxes are applied in ``sequence`` order. A ``percent`` tax adds ``amount`` % of the
base, a ``fixed`` tax adds ``amount`` per unit, a ``division`` tax adds what makes the
price ``amount`` % of the total. A price-included tax (``price_include_override =
'tax_included'``) is taken out of the price first. ``include_base_amount`` makes the
following taxes apply on the base plus this tax.

Example::

    >>> line_amounts(price_unit=40.0, quantity=4, discount=0.0, taxes=[])
    LineAmounts(subtotal=160.0, tax=0.0, total=160.0, per_tax=())
    >>> line_amounts(100.0, 3, 10.0, [Tax(id=1, amount=15.0)])
    LineAmounts(subtotal=270.0, tax=40.5, total=310.5, per_tax=((1, 40.5),))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def float_round(value: float, precision_rounding: float = 0.01) -> float:
    """Odoo's ``float_round(value, precision_rounding=...)`` with the HALF-UP method."""
    if not value or not precision_rounding:
        return 0.0
    normalized = value / precision_rounding
    sign = math.copysign(1.0, normalized)
    # Odoo nudges the value by one ulp before rounding: binary floats such as 2.675
    # (really 2.67499999...) must round the way a human reads them.
    epsilon = 2 ** (math.log(abs(normalized), 2) - 52)
    normalized += sign * epsilon
    rounded = math.floor(abs(normalized) + 0.5) * sign
    digits = max(0, -math.floor(math.log10(precision_rounding)))
    return round(rounded * precision_rounding, digits) + 0.0  # + 0.0 turns -0.0 into 0.0


@dataclass(frozen=True)
class Tax:
    """The parts of an ``account.tax`` record a line computation needs."""

    id: int
    amount: float
    amount_type: str = "percent"
    price_include: bool = False
    include_base_amount: bool = False
    sequence: int = 1


@dataclass(frozen=True)
class LineAmounts:
    """A line's ``price_subtotal`` (untaxed), ``price_tax`` and ``price_total``.

    ``per_tax`` holds each tax's rounded amount (``(tax id, amount)``, in application
    order): journal entries book one tax line per tax.
    """

    subtotal: float
    tax: float
    total: float
    per_tax: tuple[tuple[int, float], ...] = ()


def line_amounts(
    price_unit: float,
    quantity: float,
    discount: float,
    taxes: Sequence[Tax],
    rounding: float = 0.01,
) -> LineAmounts:
    """Amounts of one line: unit price less the discount, times the quantity, plus taxes."""
    unit = price_unit * (1.0 - (discount or 0.0) / 100.0)
    gross = unit * quantity
    ordered = sorted(taxes, key=lambda t: (t.sequence, t.id))
    base = _excluded_base(gross, quantity, ordered)
    per_tax: list[tuple[int, float]] = []
    running_base = base
    for tax in ordered:
        amount = _tax_amount(tax, running_base, quantity)
        per_tax.append((tax.id, float_round(amount, rounding)))
        if tax.include_base_amount:
            running_base += amount
    subtotal = float_round(base, rounding)
    tax_total = float_round(sum(amount for _, amount in per_tax), rounding)
    return LineAmounts(
        subtotal, tax_total, float_round(subtotal + tax_total, rounding), tuple(per_tax)
    )


def _tax_amount(tax: Tax, base: float, quantity: float) -> float:
    if tax.amount_type == "fixed":
        return tax.amount * quantity
    if tax.amount_type == "division":
        rate = tax.amount / 100.0
        return base / (1.0 - rate) - base if rate != 1.0 else 0.0
    return base * tax.amount / 100.0


def _excluded_base(gross: float, quantity: float, taxes: Sequence[Tax]) -> float:
    """The untaxed amount when some taxes are included in the price."""
    included = [t for t in taxes if t.price_include]
    if not included:
        return gross
    fixed = sum(t.amount * quantity for t in included if t.amount_type == "fixed")
    percent = sum(t.amount for t in included if t.amount_type == "percent")
    division = sum(t.amount for t in included if t.amount_type == "division")
    base = gross - fixed
    if division:
        base = base * (1.0 - division / 100.0)
    return base / (1.0 + percent / 100.0)
