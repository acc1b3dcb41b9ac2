"""Document numbers: journal entry names (Odoo's sequence mixin) and ``ir.sequence`` codes.

Journal entries are numbered from the names already used in their journal, as Odoo's
``sequence.mixin`` does: the last entry of the same journal (refunds apart when the
journal has ``refund_sequence``) gives the format (``INV/2026/00004`` is yearly with five
digits, ``BILL/2026/11/0001`` monthly with four); the next number continues the one of
the same period, or restarts at 1 in a new period. A journal without any numbered entry
starts with ``CODE/YYYY/00000`` (sale, bank, cash journals) or ``CODE/YYYY/MM/0000``
(others), prefixed by ``R`` for refunds.

``ir.sequence`` codes (``sale.order`` -> ``S00025``) are plain counters with a prefix
and a padding, see :data:`IR_SEQUENCES`.

Example::

    >>> names = [PreviousName("INV/2026/00004", is_refund=False)]
    >>> next_move_name("INV", "sale", True, "out_invoice", date(2026, 11, 27), names)
    MoveName(name='INV/2026/00005', prefix='INV/2026/', number=5)
    >>> next_move_name("INV", "sale", True, "out_refund", date(2026, 11, 27), names)
    MoveName(name='RINV/2026/00001', prefix='RINV/2026/', number=1)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

#: ``prefix1 YEAR prefix2 [MONTH prefix3] NUMBER suffix``: the shapes Odoo's sequence mixin
#: recognises for yearly and monthly sequences.
_NAME_RE = re.compile(
    r"^(?P<prefix1>.*?)(?P<year>(?:19|20|21)\d{2})(?P<prefix2>\D+?)"
    r"(?:(?P<month>0[1-9]|1[0-2])(?P<prefix3>\D+?))?(?P<seq>\d+)(?P<suffix>\D*)$"
)

#: Move types numbered with the refund sequence when the journal has ``refund_sequence``.
REFUND_TYPES = frozenset({"out_refund", "in_refund"})

#: Journal types whose first entries get a yearly sequence.
YEARLY_JOURNAL_TYPES = frozenset({"sale", "bank", "cash", "credit"})


@dataclass(frozen=True)
class PreviousName:
    """A name already used in the journal, and whether it belongs to the refund sequence."""

    name: str
    is_refund: bool


@dataclass(frozen=True)
class MoveName:
    """A journal entry's ``name`` with its ``sequence_prefix`` and ``sequence_number``."""

    name: str
    prefix: str
    number: int


@dataclass(frozen=True)
class _Format:
    prefix1: str
    prefix2: str
    prefix3: str | None  # None: yearly sequence
    digits: int
    suffix: str

    def prefix_for(self, day: date) -> str:
        if self.prefix3 is None:
            return f"{self.prefix1}{day.year:04d}{self.prefix2}"
        return f"{self.prefix1}{day.year:04d}{self.prefix2}{day.month:02d}{self.prefix3}"


def _parse(name: str) -> tuple[_Format, str, int] | None:
    """Format, prefix and number of ``name``; None when it is not a dated sequence."""
    match = _NAME_RE.match(name)
    if match is None:
        return None
    seq = match["seq"]
    fmt = _Format(
        match["prefix1"],
        match["prefix2"],
        match["prefix3"] if match["month"] else None,
        len(seq),
        match["suffix"],
    )
    return fmt, name[: match.start("seq")], int(seq)


def split_move_name(name: str) -> tuple[str, int]:
    """``sequence_prefix`` and ``sequence_number`` of an entry name (``("/", 0)`` style for drafts)."""
    parsed = _parse(name)
    if parsed is None:
        digits = re.search(r"(\d+)(\D*)$", name)
        if digits is None:
            return name, 0
        return name[: digits.start(1)], int(digits.group(1))
    return parsed[1], parsed[2]


def starting_format(code: str, journal_type: str, is_refund: bool) -> _Format:
    prefix1 = ("R" if is_refund else "") + f"{code}/"
    if journal_type in YEARLY_JOURNAL_TYPES:
        return _Format(prefix1, "/", None, 5, "")
    return _Format(prefix1, "/", "/", 4, "")


def next_move_name(
    journal_code: str,
    journal_type: str,
    refund_sequence: bool,
    move_type: str,
    day: date,
    previous: Iterable[PreviousName],
) -> MoveName:
    """The name an entry of ``move_type`` dated ``day`` gets when posted in this journal."""
    is_refund = refund_sequence and move_type in REFUND_TYPES
    same_sequence = [p for p in previous if p.is_refund == is_refund and p.name not in ("", "/")]
    parsed = [(p, _parse(p.name)) for p in same_sequence]
    known = [(p, f) for p, f in parsed if f is not None]
    fmt: _Format
    if known:
        # The most recent format wins (highest year/month, then highest number).
        fmt = max(known, key=lambda item: (_period_key(item[0].name), item[1][2]))[1][0]
    else:
        fmt = starting_format(journal_code, journal_type, is_refund)
    prefix = fmt.prefix_for(day)
    used = [number for _, (f, pfx, number) in known if pfx == prefix]
    number = max(used, default=0) + 1
    return MoveName(f"{prefix}{number:0{fmt.digits}d}{fmt.suffix}", prefix, number)


def _period_key(name: str) -> tuple[int, int]:
    match = _NAME_RE.match(name)
    if match is None:
        return (0, 0)
    return (int(match["year"]), int(match["month"] or 0))


@dataclass(frozen=True)
class IrSequence:
    """An ``ir.sequence`` with a fixed prefix: ``prefix`` + number padded to ``padding``."""

    code: str
    prefix: str
    padding: int

    def format(self, number: int) -> str:
        return f"{self.prefix}{number:0{self.padding}d}"

    def number_of(self, name: str) -> int | None:
        """The number of a name this sequence produced, None for other names."""
        match = re.fullmatch(re.escape(self.prefix) + r"(\d+)", name or "")
        return int(match.group(1)) if match else None


#: The ``ir.sequence`` records the sandbox uses, by code.
IR_SEQUENCES: dict[str, IrSequence] = {
    "sale.order": IrSequence("sale.order", "S", 5),
}
