"""Odoo domains compiled to SQLite, with Odoo 18.0's semantics and error messages.

A domain is a list in Polish notation: leaves ``(field_path, operator, value)`` and the
operators ``'&'``, ``'|'`` (two operands) and ``'!'`` (one); consecutive items are
AND-ed. This module reproduces what Odoo 18's ``_search`` does with one, step by step:

1. :func:`normalize` checks the arity (``AssertionError`` for a non-list,
   ``ValueError("Domain [...] is syntactically not correct.")``) and a domain that is
   obviously false (``('id', 'in', [])``) short-circuits to an empty result;
2. :func:`apply_active_test` prepends ``('active', '=', 1)`` unless the context says
   ``active_test=False`` or *any* item of the domain starts with the active field;
3. dotted paths become ``any`` sub-domains (``partner_id.country_id.code`` is
   ``partner_id any [country_id any [code ...]]``), unknown fields raise
   ``ValueError("Invalid field res.partner.x in leaf ('x', '=', 1)")``, ``!`` is pushed
   down to the leaves (``!(x < 5)`` is ``x >= 5``, which excludes NULLs);
4. each leaf becomes SQL like Odoo's ``_condition_to_sql``: ``!=``, ``not in``,
   ``not like`` and ``not ilike`` also match NULL, ``= False`` matches NULL (and 0 on
   numbers, ``''`` on strings), ``like`` wraps the value in ``%...%`` without
   escaping, ``=like`` takes a raw pattern (PostgreSQL ``LIKE`` semantics:
   case-sensitive, backslash escapes; ``ilike`` folds case), a many2one compared with
   a string is resolved by name on the comodel (archived records included), x2many
   leaves become ``EXISTS``/``IN`` subqueries, ``child_of``/``parent_of`` recursive CTEs,
   date-only strings against datetimes mean midnight UTC (``23:59:59`` for ``>`` and
   ``<=``), non-stored fields without a search method are ignored (the leaf is TRUE),
   fields inherited through delegation (``product.product.name``) are searched on the
   parent record, ``display_name`` searches the model's ``_rec_names_search`` fields;
5. record rules, when the environment provides them (``env.rule_domain(model)``
   returning a domain, skipped when ``env.su``), restrict the searched model and every
   comodel searched on the way, as Odoo's ``_apply_ir_rules`` does.

Everything compiles to one SQL statement (sub-searches are subqueries), with plain
column comparisons SQLite can serve from indexes. The connection must have the
functions of :func:`register_sql_functions` (``of_like``, ``of_date_part``).
A ``limit``/``offset`` PostgreSQL would reject raises its error
(``psycopg2.errors.InvalidTextRepresentation``...), quoting the end of the query as
libpq does. Version differences follow ``env.profile``: 19.0 words the unknown-field
error ``... in condition (...)`` and accepts ``not =like`` / ``not =ilike``.

Example::

    >>> sql, params = search_query(env, "res.partner", [("country_id.code", "=", "BE")], limit=5)
    >>> env.cr.execute(sql, params).fetchall()
    [(13,)]
    >>> normalize([("a", "=", 1), "|", ("b", "=", 2), ("c", "=", 3)])
    ['&', ('a', '=', 1), '|', ('b', '=', 2), ('c', '=', 3)]
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo, available_timezones

from .exceptions import OdooException
from .ordering import compile_order, quote
from .registry import FieldSpec, ModelSpec, Registry

__all__ = [
    "FALSE_LEAF",
    "NEGATIVE_TERM_OPERATORS",
    "TERM_OPERATORS",
    "TRUE_LEAF",
    "InvalidTextRepresentation",
    "PostgresError",
    "apply_active_test",
    "count_query",
    "display_name_domain",
    "is_false",
    "name_search_domain",
    "normalize",
    "register_sql_functions",
    "search_query",
    "search_where",
    "where_sql",
]

NOT_OPERATOR, OR_OPERATOR, AND_OPERATOR = "!", "|", "&"
DOMAIN_OPERATORS = (NOT_OPERATOR, OR_OPERATOR, AND_OPERATOR)

TERM_OPERATORS = (
    "=", "!=", "<=", "<", ">", ">=", "=?", "=like", "=ilike", "like", "not like",
    "ilike", "not ilike", "in", "not in", "child_of", "parent_of", "any", "not any",
)  # fmt: skip
NEGATIVE_TERM_OPERATORS = ("!=", "not like", "not ilike", "not in")
TERM_OPERATORS_NEGATION = {
    "<": ">=", ">": "<=", "<=": ">", ">=": "<", "=": "!=", "!=": "=",
    "in": "not in", "like": "not like", "ilike": "not ilike",
    "not in": "in", "not like": "like", "not ilike": "ilike",
    "any": "not any", "not any": "any",
}  # fmt: skip
WILDCARD_OPERATORS = ("like", "ilike", "not like", "not ilike")
#: Operators 19.0 adds (``odoo/orm/domains.py``).
NEGATED_PATTERN_OPERATORS = ("not =like", "not =ilike")
HIERARCHY_OPERATORS = ("child_of", "parent_of")
ANY_IN = {"any": "in", "not any": "not in"}
SQL_OPERATORS = {"=": "=", "!=": "!=", "<=": "<=", "<": "<", ">": ">", ">=": ">="}

TRUE_LEAF = (1, "=", 1)
FALSE_LEAF = (0, "=", 1)

#: ``domain=`` of one2many/many2many fields (not part of fields_get): it restricts
#: what ``any`` and by-name leaves on the field see.
FIELD_DOMAINS: dict[tuple[str, str], list[Any]] = {
    ("res.partner", "child_ids"): [("active", "=", True)],
    ("account.move", "invoice_line_ids"): [
        ("display_type", "in", ("product", "line_section", "line_note"))
    ],
}

#: Models with ``_parent_store``: ``child_of``/``parent_of`` always follow ``_parent_name``.
PARENT_STORE_MODELS = frozenset(
    {"res.partner.category", "product.category", "stock.location", "res.company"}
)

#: ``_search_display_name`` overrides: fields matched besides the ``_rec_names_search``.
DISPLAY_NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "product.product": ("name", "default_code"),
}
#: Models whose display name is a path (``Vendor / Desk``): a name matches the records
#: named so and all their children (``[('id', 'child_of', <name matches>)]``).
CHILD_OF_DISPLAY_NAME_MODELS = frozenset({"res.partner.category"})

#: Granularities accepted in a ``date_field.<granularity>`` leaf (``READ_GROUP_NUMBER_GRANULARITY``).
DATE_GRANULARITIES = {
    "year_number": "year",
    "quarter_number": "quarter",
    "month_number": "month",
    "iso_week_number": "week",
    "day_of_year": "doy",
    "day_of_month": "day",
    "day_of_week": "dow",
    "hour_number": "hour",
    "minute_number": "minute",
    "second_number": "second",
}


class DomainEnv(Protocol):
    """What the compiler needs from ``orm.Env``: the registry and the call's context.

    Optional: ``su`` (superuser mode: no record rules) and ``rule_domain(model)``
    (the record-rule domain of ``model`` for the current user, or None).
    """

    @property
    def registry(self) -> Registry: ...

    @property
    def context(self) -> Mapping[str, Any]: ...


# --------------------------------------------------------------------------------------
# Domain values: normalisation, trees, active_test
# --------------------------------------------------------------------------------------


def normalize(domain: Any) -> list[Any]:
    """Odoo's ``normalize_domain``: explicit ``'&'`` operators, arity checked.

    ``any``/``not any`` sub-domains are normalised too; leaves become tuples.
    """
    if not isinstance(domain, (list, tuple)):
        raise AssertionError(
            "Domains to normalize must have a 'domain' form: a list or tuple of domain components"
        )
    if not domain:
        return [TRUE_LEAF]
    result: list[Any] = []
    expected = 1
    arity = {NOT_OPERATOR: 1, AND_OPERATOR: 2, OR_OPERATOR: 2}
    for token in domain:
        if expected == 0:
            result.insert(0, AND_OPERATOR)
            expected = 1
        if isinstance(token, (list, tuple)):
            expected -= 1
            if len(token) == 3 and token[1] in ("any", "not any"):
                token = (token[0], token[1], normalize(token[2]))
            else:
                token = tuple(token)
        else:
            expected += arity.get(token, 0) - 1
        result.append(token)
    if expected:
        raise ValueError(f"Domain {_py_repr(domain)} is syntactically not correct.")
    return result


def is_false(domain: Sequence[Any]) -> bool:
    """Whether a normalised domain is obviously false (three-valued, like Odoo's)."""
    stack: list[int] = []
    for token in reversed(domain):
        if token == AND_OPERATOR:
            stack.append(min(stack.pop(), stack.pop()))
        elif token == OR_OPERATOR:
            stack.append(max(stack.pop(), stack.pop()))
        elif token == NOT_OPERATOR:
            stack.append(-stack.pop())
        elif token == TRUE_LEAF:
            stack.append(+1)
        elif token == FALSE_LEAF or (
            token[1] == "in" and not (isinstance(token[2], _Sql) or token[2])
        ):
            stack.append(-1)
        elif token[1] == "not in" and not (isinstance(token[2], _Sql) or token[2]):
            stack.append(+1)
        else:
            stack.append(0)
    return stack.pop() == -1


def apply_active_test(env: DomainEnv, model: str, domain: Sequence[Any]) -> list[Any]:
    """The domain ``search`` really runs: ``[('active', '=', 1)] + domain`` when Odoo adds it.

    Added for models with an active field, unless ``context['active_test']`` is false
    or any item of the domain (even inside an OR, but not a dotted path) starts with
    the active field's name.
    """
    return _with_active_test(env.registry[model], list(domain), _active_test(env.context))


def _with_active_test(spec: ModelSpec, domain: list[Any], active_test: bool) -> list[Any]:
    active = spec.active_field
    if active and active_test and not any(_first(item) == active for item in domain):
        return [(active, "=", 1), *domain]
    return domain


def _first(item: Any) -> Any:
    # Odoo's "item[0] trick": works for leaves and for '&', '|', '!' alike.
    return item[0] if isinstance(item, (str, list, tuple)) and item else None


def _active_test(context: Mapping[str, Any] | None) -> bool:
    return bool((context or {}).get("active_test", True))


def _tree_from_domain(domain: Sequence[Any]) -> tuple[Any, ...]:
    """A domain as a tree: ``('?', bool)``, ``('!', t)``, ``('&', t...)``, ``('|', t...)``
    or a condition ``(operator, left, right)``; ``any`` right sides are trees too."""
    stack: list[tuple[Any, ...]] = []
    for item in reversed(domain):
        if item == NOT_OPERATOR:
            stack.append(_tree_not(stack.pop()))
        elif item == AND_OPERATOR:
            stack.append(_tree_and((stack.pop(), stack.pop())))
        elif item == OR_OPERATOR:
            stack.append(_tree_or((stack.pop(), stack.pop())))
        elif item == TRUE_LEAF:
            stack.append(("?", True))
        elif item == FALSE_LEAF:
            stack.append(("?", False))
        else:
            left, operator, right = item
            if operator in ("any", "not any"):
                right = _tree_from_domain(right)
            stack.append((operator, left, right))
    return _tree_and(reversed(stack))


def _tree_not(tree: tuple[Any, ...]) -> tuple[Any, ...]:
    if tree[0] == "=?":
        # '=?' is resolved here so that '!' distributes correctly
        if tree[2]:
            tree = ("=", tree[1], tree[2])
        else:
            return ("?", False)
    if tree[0] == "?":
        return ("?", not tree[1])
    if tree[0] == NOT_OPERATOR:
        return tuple(tree[1])
    if tree[0] == AND_OPERATOR:
        return (OR_OPERATOR, *(_tree_not(item) for item in tree[1:]))
    if tree[0] == OR_OPERATOR:
        return (AND_OPERATOR, *(_tree_not(item) for item in tree[1:]))
    if isinstance(tree[0], str) and tree[0] in TERM_OPERATORS_NEGATION:
        return (TERM_OPERATORS_NEGATION[tree[0]], tree[1], tree[2])
    return (NOT_OPERATOR, tree)


def _tree_and(trees: Iterable[tuple[Any, ...]]) -> tuple[Any, ...]:
    children: list[tuple[Any, ...]] = []
    for tree in trees:
        if tree == ("?", True):
            continue
        if tree == ("?", False):
            return tree
        if tree[0] == AND_OPERATOR:
            children.extend(tree[1:])
        else:
            children.append(tree)
    if not children:
        return ("?", True)
    if len(children) == 1:
        return children[0]
    return (AND_OPERATOR, *children)


def _tree_or(trees: Iterable[tuple[Any, ...]]) -> tuple[Any, ...]:
    children: list[tuple[Any, ...]] = []
    for tree in trees:
        if tree == ("?", True):
            return tree
        if tree == ("?", False):
            continue
        if tree[0] == OR_OPERATOR:
            children.extend(tree[1:])
        else:
            children.append(tree)
    if not children:
        return ("?", False)
    if len(children) == 1:
        return children[0]
    return (OR_OPERATOR, *children)


def _tree_as_domain(tree: tuple[Any, ...]) -> list[Any]:
    result: list[Any] = []

    def flatten(node: tuple[Any, ...]) -> None:
        if node[0] == "?":
            result.append(TRUE_LEAF if node[1] else FALSE_LEAF)
        elif node[0] == NOT_OPERATOR:
            result.append(NOT_OPERATOR)
            flatten(node[1])
        elif node[0] in (AND_OPERATOR, OR_OPERATOR):
            result.extend(node[0] * (len(node) - 2))
            for child in node[1:]:
                flatten(child)
        elif node[0] in ("any", "not any"):
            result.append((node[1], node[0], _tree_as_domain(node[2])))
        else:
            result.append((node[1], node[0], node[2]))

    flatten(tree)
    return result


def _and(domains: Iterable[Sequence[Any]]) -> list[Any]:
    return _combine(AND_OPERATOR, [TRUE_LEAF], [FALSE_LEAF], domains)


def _or(domains: Iterable[Sequence[Any]]) -> list[Any]:
    return _combine(OR_OPERATOR, [FALSE_LEAF], [TRUE_LEAF], domains)


def _combine(
    operator: str, unit: list[Any], zero: list[Any], domains: Iterable[Sequence[Any]]
) -> list[Any]:
    result: list[Any] = []
    count = 0
    for domain in domains:
        normalized = normalize(list(domain))
        if normalized == unit:
            continue
        if normalized == zero:
            return zero
        result += normalized
        count += 1
    return [operator] * (count - 1) + result or unit


def _normalize_leaf(leaf: tuple[Any, ...]) -> tuple[Any, ...]:
    if not _is_leaf(leaf):
        return leaf
    left, operator, right = leaf
    operator = operator.lower()
    if operator == "<>":
        operator = "!="
    if isinstance(right, bool) and operator in ("in", "not in"):
        operator = "=" if operator == "in" else "!="
    if isinstance(right, (list, tuple)) and operator in ("=", "!="):
        operator = "in" if operator == "=" else "not in"
    return left, operator, right


def _is_leaf(element: Any) -> bool:
    return (
        isinstance(element, (tuple, list))
        and len(element) == 3
        and isinstance(element[1], str)
        and element[1] in (*TERM_OPERATORS, "<>")
        and (
            (isinstance(element[0], str) and bool(element[0]))
            or tuple(element) in (TRUE_LEAF, FALSE_LEAF)
        )
    )


def _check_leaf(leaf: tuple[Any, ...]) -> None:
    if not _is_leaf(leaf):
        raise ValueError(f"Invalid leaf {_py_repr(leaf)}")


def _check_leaves(tree: tuple[Any, ...]) -> None:
    """Odoo checks every leaf of a domain when it pushes them, before processing any."""
    if tree[0] == "?":
        return
    if tree[0] == NOT_OPERATOR:
        _check_leaves(tree[1])
    elif tree[0] in (AND_OPERATOR, OR_OPERATOR):
        for child in tree[1:]:
            _check_leaves(child)
    else:
        operator, left, right = tree
        if operator in ("any", "not any") and isinstance(right, tuple):
            return  # the sub-domain is checked when its own search runs
        _check_leaf(_normalize_leaf((left, operator, right)))


def _py_repr(value: Any) -> str:
    """``str()`` of a value as Odoo's messages show it (Python reprs)."""
    if isinstance(value, _Sql):
        return "<query>"
    return str(value)


# --------------------------------------------------------------------------------------
# SQL fragments
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sql:
    """A fragment of SQL with its ``?`` parameters (also used as a subquery value)."""

    text: str
    params: tuple[Any, ...] = ()

    def __str__(self) -> str:
        return self.text


_TRUE = _Sql("TRUE")
_FALSE = _Sql("FALSE")
#: What ``_search`` gives for an obviously false domain (a distinct object: no query at all).
_EMPTY = _Sql("FALSE")


def _join(separator: str, parts: Sequence[_Sql]) -> _Sql:
    return _Sql(separator.join(p.text for p in parts), tuple(x for p in parts for x in p.params))


def _in_list(values: Sequence[Any]) -> _Sql:
    """``(v1, v2, ...)``: plain ints are inlined (no parameter limit), the rest bound."""
    texts: list[str] = []
    params: list[Any] = []
    for value in values:
        if type(value) is int:
            texts.append(str(value))
        else:
            texts.append("?")
            params.append(value)
    return _Sql("(" + ", ".join(texts) + ")", tuple(params))


@dataclass(frozen=True)
class _Ctx:
    """The environment a (sub-)domain is compiled in: ``active_test`` and superuser mode."""

    active_test: bool
    sudo: bool

    def with_active_test(self, active_test: bool) -> _Ctx:
        return _Ctx(active_test, self.sudo)

    def as_sudo(self) -> _Ctx:
        return _Ctx(self.active_test, True)


# --------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------


def where_sql(
    env: DomainEnv, model: str, domain: Sequence[Any], alias: str | None = None
) -> tuple[str, list[Any]]:
    """A boolean SQL expression for ``domain`` on ``alias`` (default: the model's table).

    active_test and the searched model's record rules are NOT applied (callers decide);
    comodels searched on the way follow Odoo (their own active_test and rules).
    """
    spec = env.registry[model]
    compiler = _Compiler(env)
    normalize(domain)
    sql = compiler.where(spec, alias or spec.table, list(domain), compiler.root_ctx)
    return sql.text, list(sql.params)


def search_where(
    env: DomainEnv, model: str, domain: Sequence[Any], alias: str | None = None
) -> tuple[str, list[Any]]:
    """The WHERE expression of Odoo's ``_search(domain)``: active_test and record rules applied."""
    spec = env.registry[model]
    compiler = _Compiler(env)
    sql = compiler.search_condition(spec, alias or spec.table, domain, compiler.root_ctx)
    return sql.text, list(sql.params)


def search_query(
    env: DomainEnv,
    model: str,
    domain: Sequence[Any],
    offset: int = 0,
    limit: int | None = None,
    order: str | None = None,
) -> tuple[str, list[Any]]:
    """``SELECT "<table>"."id" FROM ... WHERE ... ORDER BY ... LIMIT ... OFFSET ...``.

    ``order`` falsy means the model's ``_order``; ``limit`` 0/None means no limit.
    A domain that is obviously false returns a query without rows (and, like Odoo,
    without looking at ``order``).
    """
    spec = env.registry[model]
    table = quote(spec.table)
    compiler = _Compiler(env)
    where = compiler.search_condition(spec, spec.table, domain, compiler.root_ctx)
    if where is _EMPTY:
        return f'SELECT {table}."id" FROM {table} WHERE FALSE', []
    compiled = compile_order(env.registry, model, order, spec.table)
    sql = f'SELECT {table}."id" FROM {table}'
    for join in compiled.joins:
        sql += " " + join
    sql += f" WHERE {where.text}"
    pg_text = f'SELECT {table}."id" FROM {table}'  # what PostgreSQL would quote in errors
    if compiled.terms:
        sql += f" ORDER BY {compiled.sql}"
        pg_text += f" ORDER BY {compiled.pg_sql}"
    params = list(where.params)
    return sql + _limit_offset(limit, offset, params, pg_text), params


def count_query(
    env: DomainEnv, model: str, domain: Sequence[Any], limit: int | None = None
) -> tuple[str, list[Any]]:
    """``SELECT COUNT(*) ...`` for ``search_count(domain, limit)``."""
    spec = env.registry[model]
    table = quote(spec.table)
    compiler = _Compiler(env)
    where = compiler.search_condition(spec, spec.table, domain, compiler.root_ctx)
    if where is _EMPTY:
        return "SELECT 0", []
    params = list(where.params)
    if limit:
        pg_text = f"SELECT COUNT(*) FROM (SELECT  FROM {table}"
        inner = f"SELECT 1 FROM {table} WHERE {where.text}" + _limit_offset(
            limit, 0, params, pg_text
        )
        return f"SELECT COUNT(*) FROM ({inner})", params
    return f"SELECT COUNT(*) FROM {table} WHERE {where.text}", params


def display_name_domain(env: DomainEnv, model: str, operator: str, value: Any) -> list[Any]:
    """Odoo's ``_search_display_name(operator, value)``: the domain a ``display_name`` leaf means.

    The ``_rec_names_search`` fields (else ``_rec_name``) OR-ed (AND-ed for negative
    operators); ``like ''`` matches everything; ``product.product`` also matches
    ``default_code`` and barcodes. Fields the sandbox does not have are left out (they
    would be empty: neutral in both combinations). ``res.partner.category`` (tags and
    their sub-tags) needs a subquery: its domain is returned as the ``display_name``
    leaf itself, which :func:`where_sql` and :func:`search_query` understand.
    """
    spec = env.registry[model]
    if spec.name in CHILD_OF_DISPLAY_NAME_MODELS:
        return [("display_name", operator, value)]
    return _display_name_domain(spec, operator, value)


def name_search_domain(env: DomainEnv, model: str, name: str, operator: str = "ilike") -> list[Any]:
    """The domain ``name_search(name, domain, operator)`` ANDs (first) with the caller's domain.

    Odoo 17+ searches ``[('display_name', operator, name)]``: :func:`display_name_domain`
    says what that means for each model (``like ''`` matches everything).
    """
    return [("display_name", operator, name)]


def _display_name_domain(spec: ModelSpec, operator: str, value: Any) -> list[Any]:
    fnames = DISPLAY_NAME_FIELDS.get(spec.name) or spec.rec_names_search or (spec.rec_name,)
    fnames = tuple(f for f in fnames if f.split(".", 1)[0] in spec.fields)
    if not fnames:
        return [TRUE_LEAF]
    negative = operator in NEGATIVE_TERM_OPERATORS
    if operator.endswith("like") and not value and "=" not in operator:
        # optimized out: ``like ''`` matches everything
        return [FALSE_LEAF] if negative else [TRUE_LEAF]
    domains = [[(fname, operator, value)] for fname in fnames]
    if spec.name == "product.product" and "barcode" in spec.fields:
        domains += _product_code_domains(operator, value, negative)
    return _and(domains) if negative else _or(domains)


def _product_code_domains(operator: str, value: Any, negative: bool) -> list[list[Any]]:
    """``product.product``: barcodes, and the ``[CODE]`` of a display name given in a list."""
    if operator == "in" and isinstance(value, (list, tuple)):
        domains: list[list[Any]] = [[("barcode", "in", list(value))]]
        for item in value:
            match = re.search(r"(\[(.*?)\])", item) if isinstance(item, str) else None
            if match:
                domains.append([("default_code", "=", match.group(2))])
        return domains
    if operator.endswith("like") and not negative:
        return [[("barcode", "in", [value])]]
    return []


def _limit_offset(limit: Any, offset: Any, params: list[Any], pg_text: str) -> str:
    """`` LIMIT ? OFFSET ?`` (falsy means none), values checked as PostgreSQL checks them.

    ``pg_text`` is the start of the query as Odoo would send it to PostgreSQL: its
    errors quote the end of the query (``LINE 1: ...DESC  LIMIT 'x'``).
    """
    if limit:
        pg_text += f" LIMIT {_pg_literal(limit)}"
    if offset:
        full = pg_text + f" OFFSET {_pg_literal(offset)}"
        offset = _pg_bigint(offset, "OFFSET", full, len(pg_text) + len(" OFFSET "))
    if limit:
        limit = _pg_bigint(limit, "LIMIT", pg_text, pg_text.rindex(" LIMIT ") + len(" LIMIT "))
    sql = ""
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    if offset:
        if not limit:
            sql += " LIMIT -1"
        sql += " OFFSET ?"
        params.append(offset)
    return sql


class PostgresError(OdooException):
    """An error PostgreSQL would raise (psycopg2 reports it as ``psycopg2.errors.<Class>``)."""

    odoo_module = "psycopg2.errors"


class InvalidTextRepresentation(PostgresError):
    pass


class DatatypeMismatch(PostgresError):
    pass


class InvalidRowCountInLimitClause(PostgresError):
    pass


class InvalidRowCountInResultOffsetClause(PostgresError):
    pass


_BIGINT_TEXT = re.compile(r"\s*[+-]?\d+\s*")


def _pg_bigint(value: Any, keyword: str, query: str, position: int) -> int:
    """A LIMIT/OFFSET value as PostgreSQL coerces it to ``bigint``, or its error."""
    if isinstance(value, bool):
        raise DatatypeMismatch(
            f"argument of {keyword} must be type bigint, not type boolean\n"
            + _pg_error_context(query, position)
        )
    if isinstance(value, str):
        if not _BIGINT_TEXT.fullmatch(value):
            raise InvalidTextRepresentation(
                f'invalid input syntax for type bigint: "{value}"\n'
                + _pg_error_context(query, position)
            )
        number = int(value)
    elif isinstance(value, float):  # numeric -> bigint rounds half away from zero
        number = int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    else:
        number = int(value)
    if number < 0:
        error = (
            InvalidRowCountInLimitClause
            if keyword == "LIMIT"
            else InvalidRowCountInResultOffsetClause
        )
        raise error(f"{keyword} must not be negative\n")
    return number


def _pg_literal(value: Any) -> str:
    """How psycopg2 renders a parameter in the query text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value) if isinstance(value, float) else str(value)


def _pg_error_context(query: str, position: int) -> str:
    """libpq's ``LINE 1: ...`` excerpt (60 columns around the error) and its caret line."""
    display, right_margin = 60, 10
    begin, end = 0, len(query)
    begin_cut = end_cut = False
    if end - begin > display:
        if begin + display >= position + right_margin:
            end = begin + display
            end_cut = True
        else:
            if position + right_margin < end:
                end = position + right_margin
                end_cut = True
            if end - begin > display:
                begin = end - display
                begin_cut = True
    prefix = "LINE 1: " + ("..." if begin_cut else "")
    line = prefix + query[begin:end] + ("..." if end_cut else "")
    return f"{line}\n{' ' * (len(prefix) + position - begin)}^\n"


# --------------------------------------------------------------------------------------
# The compiler
# --------------------------------------------------------------------------------------


@dataclass
class _Compiler:
    env: DomainEnv
    registry: Registry = field(init=False)
    root_ctx: _Ctx = field(init=False)
    _aliases: int = 0

    def __post_init__(self) -> None:
        self.registry = self.env.registry
        self.root_ctx = _Ctx(_active_test(self.env.context), bool(getattr(self.env, "su", False)))
        #: Odoo major version of ``env.profile`` (18 when the environment has none)
        self.major = int(getattr(getattr(self.env, "profile", None), "major", 18))

    # -- searches -----------------------------------------------------------------------

    def search_condition(
        self, spec: ModelSpec, alias: str, domain: Any, ctx: _Ctx, *, rules: bool = True
    ) -> _Sql:
        """``_search(domain)`` as a condition on ``alias``: is_false, active_test, rules."""
        if is_false(normalize(domain)):
            return _EMPTY
        full = _with_active_test(spec, list(domain), ctx.active_test)
        sql = self.where(spec, alias, full, ctx)
        if rules:
            rule = self.rule_condition(spec, alias, ctx)
            if rule is not None:
                sql = _Sql(f"({sql.text} AND {rule.text})", sql.params + rule.params)
        return sql

    def search_sql(
        self, spec: ModelSpec, domain: Any, ctx: _Ctx, column: str = "id", *, rules: bool = True
    ) -> _Sql:
        """``comodel._search(domain)`` as a subquery selecting ``column``."""
        alias = self.new_alias(spec.table)
        cond = self.search_condition(spec, alias, domain, ctx, rules=rules)
        return _Sql(
            f"SELECT {quote(alias)}.{quote(column)} FROM {quote(spec.table)} AS {quote(alias)} "
            f"WHERE {cond.text}",
            cond.params,
        )

    def rule_condition(self, spec: ModelSpec, alias: str, ctx: _Ctx) -> _Sql | None:
        if ctx.sudo:
            return None
        rule_domain = getattr(self.env, "rule_domain", None)
        if not callable(rule_domain):
            return None
        domain = rule_domain(spec.name)
        if not domain:
            return None
        return self.where(spec, alias, list(domain), ctx.as_sudo())

    def new_alias(self, table: str) -> str:
        self._aliases += 1
        return f"{table}__{self._aliases}"

    # -- domains --------------------------------------------------------------------------

    def where(self, spec: ModelSpec, alias: str, domain: list[Any], ctx: _Ctx) -> _Sql:
        """The condition of ``domain`` (already normalisable) on ``alias``."""
        tree = _tree_from_domain(self.anyfy(spec, domain))
        _check_leaves(tree)
        return self.tree(spec, alias, tree, ctx)

    def anyfy(self, spec: ModelSpec, domain: Sequence[Any]) -> list[Any]:
        """Validate field names; dotted paths on relational fields become ``any``."""
        result: list[Any] = []
        for item in domain:
            if isinstance(item, str) and item in DOMAIN_OPERATORS:
                result.append(item)
                continue
            item = tuple(item)
            if len(item) != 3:
                raise ValueError(_unpack_message(len(item)))
            left, operator, right = item
            if item in (TRUE_LEAF, FALSE_LEAF):
                result.append(item)
                continue
            if not isinstance(left, str):
                raise AttributeError(f"'{type(left).__name__}' object has no attribute 'split'")
            path = left.split(".", 1)
            fspec = spec.fields.get(path[0])
            if fspec is None:
                where = "condition" if self.major >= 19 else "leaf"
                raise ValueError(f"Invalid field {spec.name}.{path[0]} in {where} {_py_repr(item)}")
            if len(path) > 1 and fspec.is_relational:
                comodel = self.comodel(fspec)
                if comodel is None:
                    result.append(item)
                else:
                    sub = self.anyfy(comodel, [(path[1], operator, right)])
                    result.append((path[0], "any", sub))
            elif operator in ("any", "not any"):
                if not fspec.is_relational:
                    raise AttributeError("comodel_name")
                comodel = self.comodel(fspec)
                result.append(
                    (left, operator, right if comodel is None else self.anyfy(comodel, right))
                )
            else:
                result.append(item)
        return result

    def tree(self, spec: ModelSpec, alias: str, node: tuple[Any, ...], ctx: _Ctx) -> _Sql:
        kind = node[0]
        if kind == "?":
            return _TRUE if node[1] else _FALSE
        if kind == NOT_OPERATOR:
            inner = self.tree(spec, alias, node[1], ctx)
            return _Sql(f"(NOT ({inner.text}))", inner.params)
        if kind in (AND_OPERATOR, OR_OPERATOR):
            # Odoo pops its leaves from a stack: the last one is processed (and fails) first
            parts = [self.tree(spec, alias, child, ctx) for child in reversed(node[1:])][::-1]
            joined = _join(" AND " if kind == AND_OPERATOR else " OR ", parts)
            return _Sql(f"({joined.text})", joined.params)
        operator, left, right = node
        if operator in ("any", "not any") and isinstance(right, tuple):
            right = _tree_as_domain(right)
        return self.leaf(spec, alias, (left, operator, right), ctx)

    def comodel(self, fspec: FieldSpec) -> ModelSpec | None:
        return self.registry.get(fspec.relation or "")

    # -- leaves ---------------------------------------------------------------------------

    def leaf(self, spec: ModelSpec, alias: str, leaf: tuple[Any, ...], ctx: _Ctx) -> _Sql:
        """One condition, following the branches of Odoo's ``expression.parse``."""
        if self.major >= 19 and len(leaf) == 3 and leaf[1] in NEGATED_PATTERN_OPERATORS:
            # 19.0's "not =like" / "not =ilike": the negation of the raw pattern match
            left, operator, right = leaf
            inner = self.leaf(spec, alias, (left, operator[4:], right), ctx)
            fspec = spec.fields.get(left)
            if fspec is None or fspec.is_relational or not fspec.store:
                return _Sql(f"(NOT {inner.text})", inner.params)
            column = self.column(spec, alias, fspec)
            return _Sql(f"((NOT {inner.text}) OR {column} IS NULL)", inner.params)
        leaf = _normalize_leaf(leaf)
        _check_leaf(leaf)
        if leaf == TRUE_LEAF:
            return _TRUE
        if leaf == FALSE_LEAF:
            return _FALSE
        left, operator, right = leaf
        path = left.split(".", 1)
        fspec = spec.fields[path[0]]

        if fspec.related is not None and not fspec.store:
            return self.inherited_leaf(spec, alias, fspec, leaf, ctx)
        if left == "id" and operator in HIERARCHY_OPERATORS:
            ids = self.to_ids(right, spec, ctx)
            return self.hierarchy_condition(alias, "id", operator, ids, spec, None)
        if fspec.type in ("date", "datetime") and len(path) == 2:
            return self.date_part_condition(spec, alias, fspec, path[1], operator, right)
        if len(path) > 1:
            if fspec.is_relational:  # a path through a comodel the sandbox lacks: empty
                return _FALSE
            raise AssertionError(
                f"Invalid field {left!r} in domain term {_py_repr((left, operator, right))}"
            )
        if fspec.extra:
            return self.extra_leaf(spec, alias, fspec, operator, right)

        comodel = self.comodel(fspec) if fspec.is_relational else None
        if fspec.is_relational and comodel is None:
            return self.extra_leaf(spec, alias, fspec, operator, right)

        if operator in ("any", "not any") and comodel is not None:
            if fspec.type == "many2one":
                ids = self.search_sql(comodel, right, ctx.with_active_test(False))
                if operator == "any":
                    return self.leaf(spec, alias, (left, "in", ids), ctx)
                return self.tree_of(
                    spec, alias, ["|", (left, "not in", ids), (left, "=", False)], ctx
                )
            sub_domain = _and([FIELD_DOMAINS.get((spec.name, fspec.name), []), right])
            ids = self.search_sql(comodel, sub_domain, ctx)
            return self.leaf(spec, alias, (left, ANY_IN[operator], ids), ctx)

        if not fspec.store:
            return self.non_stored_leaf(spec, alias, fspec, operator, right, ctx)

        if fspec.type == "one2many" and comodel is not None:
            return self.one2many_leaf(spec, alias, fspec, comodel, operator, right, ctx)
        if fspec.type == "many2many" and comodel is not None:
            return self.many2many_leaf(spec, alias, fspec, comodel, operator, right, ctx)
        if fspec.type == "many2one" and comodel is not None:
            return self.many2one_leaf(spec, alias, fspec, comodel, operator, right, ctx)

        if fspec.type == "datetime" and right:
            if isinstance(right, str) and len(right) == 10:
                right += " 23:59:59" if operator in (">", "<=") else " 00:00:00"
                return self.leaf(spec, alias, (left, operator, right), ctx)
            if isinstance(right, date) and not isinstance(right, datetime):
                high = operator in (">", "<=")
                right = datetime.combine(
                    right, datetime.max.time() if high else datetime.min.time()
                )
                return self.leaf(spec, alias, (left, operator, right), ctx)
        return self.condition(spec, alias, fspec, operator, right)

    def tree_of(self, spec: ModelSpec, alias: str, domain: list[Any], ctx: _Ctx) -> _Sql:
        """Compile an internally built domain (already valid) in place."""
        return self.tree(spec, alias, _tree_from_domain(domain), ctx)

    def inherited_leaf(
        self, spec: ModelSpec, alias: str, fspec: FieldSpec, leaf: tuple[Any, ...], ctx: _Ctx
    ) -> _Sql:
        """A field delegated to a parent record (``_inherits``): the leaf runs on the parent."""
        assert fspec.related is not None
        parent_fk = fspec.related[0]
        parent = self.registry[str(spec.fields[parent_fk].relation)]
        parent_alias = self.new_alias(parent.table)
        cond = self.leaf(parent, parent_alias, leaf, ctx)
        return _Sql(
            f'({quote(alias)}.{quote(parent_fk)} IN (SELECT {quote(parent_alias)}."id" '
            f"FROM {quote(parent.table)} AS {quote(parent_alias)} WHERE {cond.text}))",
            cond.params,
        )

    def non_stored_leaf(
        self,
        spec: ModelSpec,
        alias: str,
        fspec: FieldSpec,
        operator: str,
        right: Any,
        ctx: _Ctx,
    ) -> _Sql:
        if fspec.name == "display_name":
            if spec.name in CHILD_OF_DISPLAY_NAME_MODELS:
                named = self.search_sql(spec, [("name", operator, right)], ctx)
                return self.hierarchy_condition(alias, "id", "child_of", named, spec, None)
            domain = _display_name_domain(spec, operator, right)
            return self.where(spec, alias, domain, ctx)
        if fspec.shadow and fspec.searchable:
            # a computed field with a search method (account.account.code): the sandbox
            # keeps its value in a column, searching the column is what the method does
            return self.condition(spec, alias, fspec, operator, right)
        # a non-stored field without search method: Odoo logs an error and ignores the leaf
        return _TRUE

    def extra_leaf(
        self, spec: ModelSpec, alias: str, fspec: FieldSpec, operator: str, right: Any
    ) -> _Sql:
        """A field the sandbox does not store (or whose comodel it lacks): always empty."""
        if fspec.is_x2many or operator in ("any", "not any"):
            empty_matches = (
                operator in NEGATIVE_TERM_OPERATORS
                or operator == "not any"
                or (operator in ("=", "in") and right is False)
            )
            if operator == "!=" and right is False:
                empty_matches = False
            return _TRUE if empty_matches else _FALSE
        if operator in HIERARCHY_OPERATORS:
            return _FALSE
        if fspec.type == "many2one" and isinstance(right, str):
            return _TRUE if operator in NEGATIVE_TERM_OPERATORS else _FALSE
        return self.condition(spec, alias, fspec, operator, right)

    # -- relational leaves ----------------------------------------------------------------

    def many2one_leaf(
        self,
        spec: ModelSpec,
        alias: str,
        fspec: FieldSpec,
        comodel: ModelSpec,
        operator: str,
        right: Any,
        ctx: _Ctx,
    ) -> _Sql:
        left = fspec.name
        co_ctx = ctx.with_active_test(False)
        if operator in HIERARCHY_OPERATORS:
            ids = self.to_ids(right, comodel, co_ctx)
            return self.relational_hierarchy_leaf(spec, alias, left, operator, ids, comodel, ctx)
        if isinstance(right, str) or (
            isinstance(right, (tuple, list)) and right and all(isinstance(v, str) for v in right)
        ):
            # resolve names into ids on the comodel (archived records included)
            if operator in ("<", ">", "<=", ">="):
                operator = "in"
            if isinstance(right, tuple):
                right = list(right)
            if not isinstance(right, list) and operator in ("in", "not in"):
                operator = "=" if operator == "in" else "!="
            elif isinstance(right, list) and operator in ("=", "!="):
                operator = "in" if operator == "=" else "not in"
            if operator in NEGATIVE_TERM_OPERATORS:
                positive = TERM_OPERATORS_NEGATION[operator]
                ids = self.search_sql(comodel, [("display_name", positive, right)], co_ctx)
                return self.tree_of(
                    spec, alias, ["|", (left, "not in", ids), (left, "=", False)], ctx
                )
            ids = self.search_sql(comodel, [("display_name", operator, right)], co_ctx)
            return self.leaf(spec, alias, (left, "in", ids), ctx)
        return self.condition(spec, alias, fspec, operator, right)

    def one2many_leaf(
        self,
        spec: ModelSpec,
        alias: str,
        fspec: FieldSpec,
        comodel: ModelSpec,
        operator: str,
        right: Any,
        ctx: _Ctx,
    ) -> _Sql:
        left = fspec.name
        inverse = str(fspec.relation_field)
        field_domain = FIELD_DOMAINS.get((spec.name, left), [])
        if operator in HIERARCHY_OPERATORS:
            seeds = self.to_ids(right, comodel, ctx)
            return self.relational_hierarchy_leaf(spec, alias, left, operator, seeds, comodel, ctx)
        negative = operator in NEGATIVE_TERM_OPERATORS
        co_alias = self.new_alias(comodel.table)
        inverse_sql = f"{quote(co_alias)}.{quote(inverse)}"
        if right is not False:
            ids: Any
            if isinstance(right, str):
                op2 = TERM_OPERATORS_NEGATION[operator] if negative else operator
                sub_domain = _and([field_domain, [("display_name", op2, right)]])
                ids = self.search_sql(comodel, sub_domain, ctx)
            elif isinstance(right, _Sql):
                ids = right
            elif isinstance(right, Iterable):
                ids = list(right)
            else:
                ids = [right]
            id_filter = ids if isinstance(ids, _Sql) else _in_list(ids)
            sub = _Sql(
                f"SELECT {inverse_sql} FROM {quote(comodel.table)} AS {quote(co_alias)} "
                f'WHERE {quote(co_alias)}."id" IN {_paren(id_filter.text)} '
                f"AND {inverse_sql} IS NOT NULL",
                id_filter.params,
            )
            keyword = "NOT IN" if negative else "IN"
            return _Sql(f'({quote(alias)}."id" {keyword} ({sub.text}))', sub.params)
        # ('line_ids', '=', False): records without (active) lines
        keyword = "IN" if negative else "NOT IN"
        lines = self.search_condition(comodel, co_alias, [(inverse, "!=", False)], ctx, rules=False)
        return _Sql(
            f'({quote(alias)}."id" {keyword} (SELECT {inverse_sql} FROM {quote(comodel.table)} '
            f"AS {quote(co_alias)} WHERE {lines.text}))",
            lines.params,
        )

    def many2many_leaf(
        self,
        spec: ModelSpec,
        alias: str,
        fspec: FieldSpec,
        comodel: ModelSpec,
        operator: str,
        right: Any,
        ctx: _Ctx,
    ) -> _Sql:
        assert fspec.m2m is not None
        rel = fspec.m2m
        rel_alias = self.new_alias(rel.table)
        link = (
            f"SELECT 1 FROM {quote(rel.table)} AS {quote(rel_alias)} "
            f'WHERE {quote(rel_alias)}.{quote(rel.column)} = {quote(alias)}."id"'
        )
        other = f"{quote(rel_alias)}.{quote(rel.other_column)}"
        if operator in HIERARCHY_OPERATORS:
            ids = self.to_ids(right, comodel, ctx)
            sub = self.hierarchy_ids(operator, ids, comodel, None)
            if sub is None:
                return _Sql(f"EXISTS ({link} AND {other} IN (NULL))")
            found = self.search_sql(comodel, [("id", "in", sub)], ctx.as_sudo())
            return _Sql(f"EXISTS ({link} AND {other} IN ({found.text}))", found.params)
        negative = operator in NEGATIVE_TERM_OPERATORS
        if right is not False:
            if isinstance(right, str):
                op2 = TERM_OPERATORS_NEGATION[operator] if negative else operator
                field_domain = FIELD_DOMAINS.get((spec.name, fspec.name), [])
                sub_domain = _and([field_domain, [("display_name", op2, right)]])
                ids_sql = self.search_sql(comodel, sub_domain, ctx)
                ids_sql = _Sql(f"({ids_sql.text})", ids_sql.params)
            elif isinstance(right, _Sql):
                ids_sql = _Sql(f"({right.text})", right.params)
            else:
                values = list(right) if isinstance(right, Iterable) else [right]
                ids_sql = _in_list([v for v in values if v] or [None])
            keyword = "NOT EXISTS" if negative else "EXISTS"
            return _Sql(f"{keyword} ({link} AND {other} IN {ids_sql.text})", ids_sql.params)
        keyword = "EXISTS" if negative else "NOT EXISTS"
        return _Sql(f"{keyword} ({link})")

    # -- hierarchies ----------------------------------------------------------------------

    def to_ids(self, value: Any, spec: ModelSpec, ctx: _Ctx) -> list[Any] | _Sql:
        """Ids, or a subquery of the records whose display name matches the given name(s)."""
        names: list[str] = []
        if isinstance(value, str):
            names = [value]
        elif value and isinstance(value, (tuple, list)) and all(isinstance(v, str) for v in value):
            names = list(value)
        elif isinstance(value, int):
            return [value] if value else []
        if names:
            domain = _or([[("display_name", "ilike", name)] for name in names])
            return self.search_sql(spec, domain, ctx)
        return list(value)

    def hierarchy_ids(
        self, operator: str, ids: list[Any] | _Sql, spec: ModelSpec, parent: str | None
    ) -> _Sql | None:
        """A subquery of the ids ``child_of``/``parent_of`` reaches (None: no record at all).

        Like Odoo it runs as superuser and ignores ``active``.
        """
        if isinstance(ids, list):
            if operator == "parent_of":
                ids = [i for i in ids if i]
            if not ids:
                return None
            seed = _in_list(ids)
        else:
            seed = _Sql(f"({ids.text})", ids.params)
        parent_name = spec.parent_field if spec.name in PARENT_STORE_MODELS else None
        parent_name = parent_name or parent or spec.parent_field or "parent_id"
        pfield = spec.fields.get(parent_name)
        if pfield is None:
            raise KeyError(parent_name)
        if operator == "child_of" and pfield.relation != spec.name:
            raise ValueError(f"Invalid parent field: {spec.name}.{parent_name}")
        table = quote(spec.table)
        cte = quote(self.new_alias("hierarchy"))
        row = quote(self.new_alias(spec.table))
        if pfield.type == "one2many":
            inverse = quote(str(pfield.relation_field))
            if operator == "child_of":  # records whose children include the current ones
                step = f'SELECT {row}.{inverse} FROM {table} AS {row} JOIN {cte} ON {row}."id" = {cte}."id" WHERE {row}.{inverse} IS NOT NULL'
            else:  # the children of the current records
                step = f'SELECT {row}."id" FROM {table} AS {row} JOIN {cte} ON {row}.{inverse} = {cte}."id"'
        else:
            pcol = quote(parent_name)
            if operator == "child_of":
                step = f'SELECT {row}."id" FROM {table} AS {row} JOIN {cte} ON {row}.{pcol} = {cte}."id"'
            else:
                step = f'SELECT {row}.{pcol} FROM {table} AS {row} JOIN {cte} ON {row}."id" = {cte}."id" WHERE {row}.{pcol} IS NOT NULL'
        return _Sql(
            f'WITH RECURSIVE {cte}("id") AS (SELECT "id" FROM {table} WHERE "id" IN {seed.text} '
            f'UNION {step}) SELECT "id" FROM {cte}',
            seed.params,
        )

    def relational_hierarchy_leaf(
        self,
        spec: ModelSpec,
        alias: str,
        left: str,
        operator: str,
        ids: list[Any] | _Sql,
        comodel: ModelSpec,
        ctx: _Ctx,
    ) -> _Sql:
        """``(left, 'child_of'|'parent_of', ids)`` on a many2one or one2many field ``left``.

        On another model the hierarchy is the comodel's own (``left in <reached ids>``);
        on the same model ``left`` itself is the parent field the hierarchy follows.
        """
        if comodel.name != spec.name:
            sub = self.hierarchy_ids(operator, ids, comodel, None)
            if sub is None:
                return _FALSE
            return self.leaf(spec, alias, (left, "in", sub), ctx)
        return self.hierarchy_condition(alias, "id", operator, ids, comodel, left)

    def hierarchy_condition(
        self,
        alias: str,
        column: str,
        operator: str,
        ids: list[Any] | _Sql,
        spec: ModelSpec,
        parent: str | None,
    ) -> _Sql:
        sub = self.hierarchy_ids(operator, ids, spec, parent)
        if sub is None:
            return _FALSE
        return _Sql(f"({quote(alias)}.{quote(column)} IN ({sub.text}))", sub.params)

    # -- date parts -----------------------------------------------------------------------

    def date_part_condition(
        self, spec: ModelSpec, alias: str, fspec: FieldSpec, part: str, operator: str, right: Any
    ) -> _Sql:
        if part not in DATE_GRANULARITIES:
            raise ValueError(
                f"Error when processing the field {spec.name}.{fspec.name}, the granularity "
                f"{part} is not supported. Only {', '.join(DATE_GRANULARITIES)} are supported"
            )
        tz = self.env.context.get("tz") if fspec.type == "datetime" else None
        tz = tz if isinstance(tz, str) and tz in known_timezones() else None
        column = self.column(spec, alias, fspec)
        expr = f"of_date_part(?, {column}, ?)"
        head = (DATE_GRANULARITIES[part], tz)
        if operator in ("in", "not in"):
            # Odoo's generic rules on the date-part expression: False in the list means
            # NULL, and "not in" also matches NULL unless False is listed.
            values = list(right) if isinstance(right, list | tuple) else [right]
            has_null = any(v is False or v is None for v in values)
            values = [v for v in values if v is not False and v is not None]
            marks = ", ".join("?" for _ in values)
            if operator == "in":
                parts = [f"({expr} IN ({marks}))"] if values else []
                if has_null:
                    parts.append(f"({expr} IS NULL)")
                if not parts:
                    return _Sql("(0 = 1)", ())
                params = (*head, *values) if values else ()
                if has_null:
                    params = (*params, *head)
                return _Sql("(" + " OR ".join(parts) + ")", params)
            if not values:
                if has_null:
                    return _Sql(f"({expr} IS NOT NULL)", head)
                return _Sql("(1 = 1)", ())
            if has_null:
                return _Sql(
                    f"({expr} NOT IN ({marks}) AND {expr} IS NOT NULL)", (*head, *values, *head)
                )
            return _Sql(f"({expr} NOT IN ({marks}) OR {expr} IS NULL)", (*head, *values, *head))
        if operator not in SQL_OPERATORS:
            raise KeyError(operator)
        if operator == "!=" and right is not False and right is not None:
            return _Sql(f"({expr} != ? OR {expr} IS NULL)", (*head, right, *head))
        return _Sql(f"({expr} {SQL_OPERATORS[operator]} ?)", (*head, right))

    # -- scalar conditions (Odoo's _condition_to_sql) -------------------------------------

    def column(self, spec: ModelSpec, alias: str, fspec: FieldSpec) -> str:
        if fspec.name == "id":
            return f'{quote(alias)}."id"'
        if fspec.extra or (fspec.column is None and not fspec.shadow):
            return "NULL"
        return f"{quote(alias)}.{quote(fspec.name)}"

    def condition(
        self, spec: ModelSpec, alias: str, fspec: FieldSpec, operator: str, value: Any
    ) -> _Sql:
        if operator == "=?":
            if value is False or value is None:
                return _TRUE
            operator = "="
        if operator not in TERM_OPERATORS:
            raise AssertionError(
                f"Invalid operator {operator!r} in domain term "
                f"{_py_repr((fspec.name, operator, value))}"
            )
        if operator in ("any", "not any", *HIERARCHY_OPERATORS):
            raise KeyError(operator)
        col = self.column(spec, alias, fspec)
        ftype = fspec.type
        is_number = ftype in ("integer", "float", "monetary") and fspec.name != "id"
        is_char = ftype in ("char", "text", "html")

        if operator in ("in", "not in"):
            return self.in_condition(fspec, col, operator, value, is_number, is_char)

        if ftype == "boolean" and operator in ("=", "!=") and isinstance(value, bool):
            truth = (not value) if operator in NEGATIVE_TERM_OPERATORS else value
            return _Sql(f"({col} = TRUE)") if truth else _Sql(f"({col} IS NULL OR {col} = FALSE)")

        if (fspec.is_relational or fspec.name == "id") and operator in ("=", "!=") and not value:
            value = False
        if operator in ("=", "!=") and (value is False or value is None):
            if is_number:
                value = 0
            elif is_char:
                value = ""
            elif operator == "=":
                return _Sql(f"{col} IS NULL")
            else:
                return _Sql(f"{col} IS NOT NULL")

        need_wildcard = operator in WILDCARD_OPERATORS
        if isinstance(value, _Sql):
            sql_value = _Sql(f"({value.text})", value.params)
        elif need_wildcard:
            sql_value = _Sql("?", (f"%{_py_format(value)}%",))
        else:
            sql_value = _Sql("?", (to_column(fspec, value),))

        if need_wildcard and not value:
            return _FALSE if operator in NEGATIVE_TERM_OPERATORS else _TRUE

        if operator.endswith("like"):
            left = col if ftype in ("char", "text", "html") else f"CAST({col} AS TEXT)"
            insensitive = 1 if operator.endswith("ilike") else 0
            test = f"of_like({left}, {sql_value.text}, {insensitive})"
            text = f"(NOT {test})" if operator.startswith("not") else f"({test})"
            sql = _Sql(text, sql_value.params)
        else:
            sql = _Sql(f"({col} {SQL_OPERATORS[operator]} {sql_value.text})", sql_value.params)

        if bool(value) == (operator in NEGATIVE_TERM_OPERATORS) and operator[:1] not in "<>":
            sql = _Sql(f"({sql.text} OR {col} IS NULL)", sql.params)

        if not need_wildcard and is_number:
            cmp_value = to_column(fspec, value)
            if (
                (operator == ">=" and cmp_value <= 0)
                or (operator == "<=" and cmp_value >= 0)
                or (operator == "<" and cmp_value > 0)
                or (operator == ">" and cmp_value < 0)
            ):
                sql = _Sql(f"({sql.text} OR {col} IS NULL)", sql.params)
        return sql

    def in_condition(
        self, fspec: FieldSpec, col: str, operator: str, value: Any, is_number: bool, is_char: bool
    ) -> _Sql:
        keyword = "IN" if operator == "in" else "NOT IN"
        if isinstance(value, bool):
            if (operator == "in" and value) or (operator == "not in" and not value):
                return _Sql(f"({col} IS NOT NULL)")
            return _Sql(f"({col} IS NULL)")
        if isinstance(value, _Sql):
            return _Sql(f"({col} {keyword} ({value.text}))", value.params)
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"Invalid domain term {_py_repr((fspec.name, operator, value))}")
        params: list[Any] = [v for v in value if v is not False and v is not None]
        check_null = len(params) < len(value)
        if fspec.type == "boolean":
            params = [True] if any(params) else []
            if check_null:
                params.append(False)
        elif is_number:
            if check_null and 0 not in params:
                params.append(0)
            check_null = check_null or (0 in params)
        elif is_char:
            if check_null and "" not in params:
                params.append("")
            check_null = check_null or ("" in params)
        if params:
            if fspec.name != "id":
                params = [to_column(fspec, p) for p in params]
            values = _in_list(params)
            sql = _Sql(f"({col} {keyword} {values.text})", values.params)
        else:
            sql = _FALSE if operator == "in" else _TRUE
        if (operator == "in" and check_null) or (operator == "not in" and not check_null):
            sql = _Sql(f"({sql.text} OR {col} IS NULL)", sql.params)
        elif operator == "not in" and check_null:
            sql = _Sql(f"({sql.text} AND {col} IS NOT NULL)", sql.params)
        return sql


def _paren(text: str) -> str:
    return text if text.startswith("(") and text.endswith(")") else f"({text})"


def _unpack_message(length: int) -> str:
    if length < 3:
        return f"not enough values to unpack (expected 3, got {length})"
    return "too many values to unpack (expected 3)"


def _py_format(value: Any) -> str:
    """``f"{value}"`` as Odoo formats a like pattern (bytes decoded like a char field)."""
    if isinstance(value, bytes):
        return value.decode()
    return f"{value}"


# --------------------------------------------------------------------------------------
# Values: Odoo's convert_to_column, as SQLite values
# --------------------------------------------------------------------------------------


def to_column(fspec: FieldSpec, value: Any) -> Any:
    """A domain value converted like Odoo's ``Field.convert_to_column`` (then for SQLite)."""
    ftype = fspec.type
    if fspec.name == "id":
        return value
    if ftype in ("integer", "many2one_reference"):
        return int(value or 0)
    if ftype == "float":
        number = float(value or 0.0)
        digits = fspec.descriptor.get("digits")
        if isinstance(digits, (list, tuple)) and len(digits) >= 2:
            number = _float_round(number, int(digits[1]))
        return number
    if ftype == "monetary":
        return float(value or 0.0)
    if ftype == "boolean":
        return 1 if value else 0
    if ftype == "many2one":
        return value or None
    if ftype == "date":
        day = _to_date(value)
        return day.isoformat() if day is not None else None
    if ftype == "datetime":
        moment = _to_datetime(value)
        return moment.isoformat(sep=" ") if moment is not None else None
    if value is None or value is False:
        return None
    if isinstance(value, bytes):
        return value.decode()
    if hasattr(value, "data") and isinstance(value.data, bytes):  # xmlrpc.client.Binary
        return value.data.decode()
    return value if isinstance(value, str) else str(value)


def _to_date(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.strptime(value[:10], "%Y-%m-%d").date()


def _to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        if value.tzinfo:
            raise ValueError(f"Datetime field expects a naive datetime: {value}")
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S"[: len(value) - 2])


def _float_round(value: float, digits: int) -> float:
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    """The IANA zone names a ``context['tz']`` may use (others are ignored, as by Odoo)."""
    return frozenset(available_timezones())


# --------------------------------------------------------------------------------------
# SQL functions the compiled SQL calls
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _like_regex(pattern: str, insensitive: bool) -> re.Pattern[str]:
    """PostgreSQL LIKE pattern -> regex: ``%`` any run, ``_`` one char, ``\\`` escapes."""
    out: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            out.append(re.escape(next(chars, "\\")))
        elif char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        else:
            out.append(re.escape(char))
    flags = re.DOTALL | (re.IGNORECASE if insensitive else 0)
    return re.compile("".join(out), flags)


def of_like(value: Any, pattern: Any, insensitive: int) -> int | None:
    """SQL ``of_like(value, pattern, insensitive)``: PostgreSQL ``LIKE`` / ``ILIKE``."""
    if value is None or pattern is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    return 1 if _like_regex(str(pattern), bool(insensitive)).fullmatch(value) else 0


def of_date_part(unit: str, value: Any, tz: str | None) -> int | None:
    """SQL ``of_date_part(unit, value, tz)``: PostgreSQL ``date_part`` of a date/datetime text."""
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    if tz:
        moment = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(tz))
    parts: dict[str, Callable[[datetime], int]] = {
        "year": lambda m: m.year,
        "quarter": lambda m: (m.month - 1) // 3 + 1,
        "month": lambda m: m.month,
        "week": lambda m: m.isocalendar()[1],
        "doy": lambda m: m.timetuple().tm_yday,
        "day": lambda m: m.day,
        "dow": lambda m: (m.weekday() + 1) % 7,
        "hour": lambda m: m.hour,
        "minute": lambda m: m.minute,
        "second": lambda m: m.second,
    }
    return parts[unit](moment)


def register_sql_functions(conn: sqlite3.Connection) -> None:
    """Register the SQL functions compiled domains use on a sqlite3 connection."""
    conn.create_function("of_like", 3, of_like, deterministic=True)
    conn.create_function("of_date_part", 3, of_date_part, deterministic=True)
