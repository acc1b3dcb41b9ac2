"""Domain: an Odoo search domain as an immutable value.

Odoo domains are lists in Polish (prefix) notation: ``'&'`` and ``'|'`` take two
operands, ``'!'`` takes one, leaves are ``(field_path, operator, value)`` and
consecutive items are implicitly AND-ed. :class:`Domain` keeps one normalised
form of that list (every implicit ``'&'`` made explicit, leaves as tuples), so two
domains that mean the same thing by construction compare equal, print the same,
and compose with ``&``, ``|`` and ``~``.

Negation follows Odoo's own ``distribute_not``: ``~`` of a leaf whose operator
has an exact opposite flips the operator (``=`` <-> ``!=``, ``in`` <-> ``not in``,
``<`` <-> ``>=``...), which is what the server would do with ``'!'`` anyway, so
the domain stays readable and means the same.

Example::

    >>> d = Domain.leaf("state", "=", "sale") & Domain.leaf("amount_total", ">", 1000)
    >>> d
    ['&', ('state', '=', 'sale'), ('amount_total', '>', 1000)]
    >>> ~Domain.leaf("state", "=", "sale")
    [('state', '!=', 'sale')]
    >>> Domain([("a", "=", 1), ("b", "=", 2)]) == Domain(["&", ("a", "=", 1), ("b", "=", 2)])
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeAlias

from .errors import DomainError

Leaf: TypeAlias = tuple[Any, str, Any]
Item: TypeAlias = "str | Leaf"

AND, OR, NOT = "&", "|", "!"
TRUE_LEAF: Leaf = (1, "=", 1)
FALSE_LEAF: Leaf = (0, "=", 1)

#: Every operator Odoo 17+ accepts in a leaf (``<>`` is normalised to ``!=``).
OPERATORS = frozenset(
    {
        "=",
        "!=",
        "<=",
        "<",
        ">",
        ">=",
        "=?",
        "=like",
        "=ilike",
        "like",
        "not like",
        "ilike",
        "not ilike",
        "in",
        "not in",
        "child_of",
        "parent_of",
        "any",
        "not any",
    }
)

#: Operators whose negation is another operator with exactly the complementary
#: meaning on the server (Odoo's TERM_OPERATORS_NEGATION).
NEGATED_OPERATORS: dict[str, str] = {
    "<": ">=",
    ">": "<=",
    "<=": ">",
    ">=": "<",
    "=": "!=",
    "!=": "=",
    "in": "not in",
    "like": "not like",
    "ilike": "not ilike",
    "not in": "in",
    "not like": "like",
    "not ilike": "ilike",
    "any": "not any",
    "not any": "any",
}


class Domain:
    """An immutable, normalised Odoo domain. See the module docstring."""

    __slots__ = ("_items",)
    _items: tuple[Item, ...]

    def __init__(self, items: Iterable[Any] | Domain = ()) -> None:
        if isinstance(items, Domain):
            self._items = items._items
            return
        self._items = tuple(_normalise(list(items)))

    # construction ---------------------------------------------------------------

    @classmethod
    def leaf(cls, field: str, operator: str, value: Any) -> Domain:
        """One condition, e.g. ``Domain.leaf("state", "in", ["sale", "done"])``."""
        return cls._raw((_make_leaf((field, operator, value)),))

    @classmethod
    def true(cls) -> Domain:
        """The empty domain: matches every record."""
        return cls._raw(())

    @classmethod
    def false(cls) -> Domain:
        """A domain matching no record (Odoo's FALSE_LEAF)."""
        return cls._raw((FALSE_LEAF,))

    @classmethod
    def _raw(cls, items: tuple[Item, ...]) -> Domain:
        obj = cls.__new__(cls)
        obj._items = items
        return obj

    # composition ----------------------------------------------------------------

    def __and__(self, other: object) -> Domain:
        other_domain = _coerce(other)
        if other_domain is None:
            return NotImplemented
        if self.is_true():
            return other_domain
        if other_domain.is_true():
            return self
        if self.is_false() or other_domain.is_false():
            return Domain.false()
        return Domain._raw((AND, *self._items, *other_domain._items))

    def __rand__(self, other: object) -> Domain:
        other_domain = _coerce(other)
        if other_domain is None:
            return NotImplemented
        return other_domain & self

    def __or__(self, other: object) -> Domain:
        other_domain = _coerce(other)
        if other_domain is None:
            return NotImplemented
        if self.is_true() or other_domain.is_true():
            return Domain.true()
        if self.is_false():
            return other_domain
        if other_domain.is_false():
            return self
        return Domain._raw((OR, *self._items, *other_domain._items))

    def __ror__(self, other: object) -> Domain:
        other_domain = _coerce(other)
        if other_domain is None:
            return NotImplemented
        return other_domain | self

    def __invert__(self) -> Domain:
        if self.is_true():
            return Domain.false()
        if self.is_false():
            return Domain.true()
        if len(self._items) == 1:
            leaf = self._items[0]
            assert isinstance(leaf, tuple)
            negated = NEGATED_OPERATORS.get(leaf[1])
            if negated is not None:
                return Domain._raw(((leaf[0], negated, leaf[2]),))
        if self._items[0] == NOT:
            # ~~d is d: drop the double negation.
            return Domain._raw(self._items[1:])
        return Domain._raw((NOT, *self._items))

    # inspection -----------------------------------------------------------------

    def is_true(self) -> bool:
        """True for the empty domain (everything matches)."""
        return not self._items or self._items == (TRUE_LEAF,)

    def is_false(self) -> bool:
        return self._items == (FALSE_LEAF,)

    def leaves(self) -> Iterator[Leaf]:
        """Every leaf, in order (not descending into ``any`` sub-domains)."""
        for item in self._items:
            if isinstance(item, tuple):
                yield item

    def fields(self) -> set[str]:
        """The field paths the domain filters on (``partner_id.country_id.code``...)."""
        return {leaf[0] for leaf in self.leaves() if isinstance(leaf[0], str)}

    def to_list(self) -> list[Any]:
        """The domain as Odoo takes it: a list of ``'&'``/``'|'``/``'!'`` and leaf lists.

        ``any``/``not any`` sub-domains are converted too; values are left as they are
        (the frame converts dates and numpy scalars before sending).
        """
        out: list[Any] = []
        for item in self._items:
            if isinstance(item, tuple):
                value = item[2]
                if isinstance(value, Domain):
                    value = value.to_list()
                out.append([item[0], item[1], value])
            else:
                out.append(item)
        return out

    def __iter__(self) -> Iterator[Item]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        # A domain is a value; its truthiness is "has conditions", like a list.
        return bool(self._items)

    def __eq__(self, other: object) -> bool:
        other_domain = _coerce(other)
        if other_domain is None:
            return NotImplemented
        return self._items == other_domain._items

    def __hash__(self) -> int:
        return hash(tuple(_hashable(item) for item in self._items))

    def __repr__(self) -> str:
        return "[" + ", ".join(_repr_item(item) for item in self._items) + "]"

    def pretty(self, indent: str = "    ") -> str:
        """A multi-line, indented view of the tree, for long domains.

        >>> print((Domain.leaf("a", "=", 1) | Domain.leaf("b", "=", 2)).pretty())
        '|'
            ('a', '=', 1)
            ('b', '=', 2)
        """
        lines: list[str] = []
        pos = 0

        def walk(depth: int) -> None:
            nonlocal pos
            item = self._items[pos]
            pos += 1
            lines.append(indent * depth + _repr_item(item))
            if item in (AND, OR):
                walk(depth + 1)
                walk(depth + 1)
            elif item == NOT:
                walk(depth + 1)

        while pos < len(self._items):
            walk(0)
        return "\n".join(lines)


def _coerce(value: object) -> Domain | None:
    if isinstance(value, Domain):
        return value
    if isinstance(value, list | tuple):
        return Domain(value)
    return None


def _make_leaf(item: Sequence[Any]) -> Leaf:
    if len(item) != 3:
        raise DomainError(
            f"invalid domain leaf {tuple(item)!r}: a leaf has exactly three items "
            "(field, operator, value)"
        )
    field, operator, value = item
    if not isinstance(operator, str):
        raise DomainError(f"invalid operator {operator!r} in leaf {tuple(item)!r}")
    op = operator.lower() if operator.lower() in OPERATORS else operator
    if op == "<>":
        op = "!="
    if (field, op, value) in (TRUE_LEAF, FALSE_LEAF):
        return (field, op, value)
    if not isinstance(field, str) or not field:
        raise DomainError(f"invalid field {field!r} in leaf {tuple(item)!r}")
    if op not in OPERATORS:
        known = ", ".join(sorted(OPERATORS))
        raise DomainError(
            f"invalid operator {operator!r} in leaf {tuple(item)!r}; use one of: {known}"
        )
    if op in ("any", "not any") and isinstance(value, list | tuple):
        value = Domain(value)
    if isinstance(value, list):
        value = tuple(value) if op not in ("in", "not in") else list(value)
    return (field, op, value)


def _normalise(items: list[Any]) -> list[Item]:
    """Odoo's ``normalize_domain``: make implicit ANDs explicit and check arity."""
    if not items:
        return []
    result: list[Item] = []
    expected = 1  # number of terms still needed to complete the expression
    for item in items:
        if expected == 0:
            # A complete expression is followed by another one: implicit AND.
            result.insert(0, AND)
            expected = 1
        if isinstance(item, str):
            if item not in (AND, OR, NOT):
                raise DomainError(
                    f"invalid item {item!r} in domain: expected '&', '|', '!' or a "
                    "(field, operator, value) leaf"
                )
            result.append(item)
            expected += 0 if item == NOT else 1
        elif isinstance(item, list | tuple):
            result.append(_make_leaf(item))
            expected -= 1
        elif isinstance(item, Domain):
            raise DomainError("a Domain cannot be nested as an item: combine with & or |")
        else:
            raise DomainError(f"invalid item {item!r} in domain")
    if expected != 0:
        raise DomainError(
            f"malformed domain {items!r}: an operator is missing "
            f"{expected} operand{'s' if expected > 1 else ''}"
        )
    return result


def _hashable(item: Any) -> Any:
    if isinstance(item, tuple):
        return tuple(_hashable(x) for x in item)
    if isinstance(item, list):
        return ("__list__", *(_hashable(x) for x in item))
    if isinstance(item, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in item.items()))
    return item


def _repr_item(item: Item) -> str:
    if isinstance(item, tuple):
        return f"({item[0]!r}, {item[1]!r}, {item[2]!r})"
    return repr(item)
