"""Odoo ``order`` specifications compiled to SQLite ``ORDER BY`` terms.

An order is a comma-separated list of ``field [asc|desc] [nulls first|nulls last]``
(Odoo also accepts ``field.id`` on a many2one and an ignored ``:func`` suffix).
The compiled order behaves like Odoo 18 on PostgreSQL:

* a many2one orders by its comodel's ``_order``, recursively (``res.partner``:
  ``complete_name ASC, id DESC``), through a ``LEFT JOIN``; ``desc`` reverses every
  term of the comodel order; a many2one already seen on the way is skipped;
* fields inherited through delegation (``product.product.name``) order by the
  parent's column through a ``LEFT JOIN``; booleans order as ``COALESCE(x, FALSE)``;
* NULLs sort as PostgreSQL sorts them: last for ``asc``, first for ``desc``, unless
  ``nulls first|last`` says otherwise (SQLite's default is the opposite, so every
  term carries an explicit ``NULLS`` clause);
* strings compare by code point: Odoo creates its databases with ``LC_COLLATE 'C'``,
  which is SQLite's ``BINARY`` collation, so no custom collation is needed (the
  recordings agree: ``res.country`` by name starts Afghanistan, Albania, Algeria,
  where an ``en_US`` collation would put Åland Islands second).

Errors are Odoo's: ``UserError('Invalid "order" specified (...)...')`` for a
malformed string, ``ValueError("Invalid field 'NAME' on model 'res.partner'")`` for
an unknown field (the syntax check ignores case, the field lookup does not).

Example::

    >>> terms, joins = order_by_sql(env, "sale.order", "partner_id desc, id", "sale_order")
    >>> terms
    '"sale_order__partner_id"."complete_name" DESC NULLS FIRST, "sale_order__partner_id"."id" ASC NULLS LAST, "sale_order"."id" ASC NULLS LAST'
    >>> joins
    ['LEFT JOIN "res_partner" AS "sale_order__partner_id" ON "sale_order"."partner_id" = "sale_order__partner_id"."id"']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from .exceptions import UserError
from .registry import FieldSpec, ModelSpec, Registry

__all__ = [
    "ORDER_RE",
    "OrderTerms",
    "check_order",
    "compile_order",
    "field_column_sql",
    "order_by_sql",
    "quote",
]

#: One or more order terms (Odoo's ``regex_order``: case-insensitive, comma separated).
ORDER_RE = re.compile(
    r"""
    ^
    (\s*
        (?P<term>((?P<field>[a-z0-9_]+|"[a-z0-9_]+")(\.(?P<property>[a-z0-9_]+))?(:(?P<func>[a-z_]+))?))
        (\s+(?P<direction>desc|asc))?
        (\s+(?P<nulls>nulls\ first|nulls\ last))?
        \s*
        (,|$)
    )+
    (?<!,)
    $
    """,
    re.IGNORECASE | re.VERBOSE,
)


class _EnvLike(Protocol):
    @property
    def registry(self) -> Registry: ...


def quote(identifier: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + identifier.replace('"', '""') + '"'


def check_order(order: str) -> None:
    """Raise Odoo's UserError when ``order`` is not a valid order specification."""
    if not ORDER_RE.match(order):
        raise UserError(
            f'Invalid "order" specified ({order}). A valid "order" specification is a '
            "comma-separated list of valid field names (optionally followed by asc/desc "
            "for the direction)"
        )


def order_by_sql(
    env: _EnvLike, model: str, order: str | None, alias: str | None = None
) -> tuple[str, list[str]]:
    """``(terms, joins)``: the ORDER BY terms (without the keyword) and the LEFT JOINs they need.

    ``order`` empty or None means the model's default order. ``alias`` is the alias (or
    table name) of the model's table in the query, by default its table name.
    """
    compiled = compile_order(env.registry, model, order, alias)
    return compiled.sql, compiled.joins


@dataclass
class OrderTerms:
    """A compiled order: SQLite terms, their LEFT JOINs, and the text Odoo sends PostgreSQL."""

    terms: list[str] = field(default_factory=list)
    #: ``"ORDER BY"`` as Odoo 18 renders it for PostgreSQL (``"t"."name" ASC , "t"."id" DESC ``):
    #: error messages quote it.
    pg_terms: list[str] = field(default_factory=list)
    joins: list[str] = field(default_factory=list)

    @property
    def sql(self) -> str:
        return ", ".join(self.terms)

    @property
    def pg_sql(self) -> str:
        return ", ".join(self.pg_terms)


def compile_order(
    registry: Registry, model: str, order: str | None, alias: str | None = None
) -> OrderTerms:
    """Compile ``order`` for ``model`` (see :func:`order_by_sql`)."""
    spec = registry[model]
    compiler = _OrderCompiler(registry)
    result = OrderTerms()
    for term in compiler.order(spec, order, alias or spec.table):
        result.terms.append(term.sqlite)
        result.pg_terms.append(term.pg)
    result.joins = list(compiler.joins.values())
    return result


def field_column_sql(
    registry: Registry, spec: ModelSpec, alias: str, field_name: str, joins: dict[str, str]
) -> str:
    """The SQL expression of a field's value in ``alias`` (joins added to ``joins``).

    Delegated fields (``product.product.name``) go through a LEFT JOIN on the parent.
    Raises Odoo's ValueError for unknown or non-stored fields.
    """
    return _OrderCompiler(registry, joins).column(spec, alias, field_name)[0]


@dataclass(frozen=True)
class _Term:
    sqlite: str
    pg: str


class _OrderCompiler:
    def __init__(self, registry: Registry, joins: dict[str, str] | None = None) -> None:
        self.registry = registry
        #: alias -> "LEFT JOIN ..." clause, in the order they were needed.
        self.joins: dict[str, str] = {} if joins is None else joins

    def order(
        self,
        spec: ModelSpec,
        order: str | None,
        alias: str,
        reverse: bool = False,
        seen: frozenset[tuple[str, str]] = frozenset(),
        lenient: bool = False,
    ) -> list[_Term]:
        # A model's own ``_order`` may name fields the sandbox does not have
        # (``product.product.is_favorite``): those are skipped, not errors.
        lenient = lenient or not order
        order = order or spec.order
        if not order:
            return []
        check_order(order)
        terms: list[_Term] = []
        for part in order.split(","):
            match = ORDER_RE.match(part)
            assert match is not None  # the whole string matched above
            field_name = match["field"]
            if match["property"]:
                field_name = f"{field_name}.{match['property']}"
            direction = (match["direction"] or "").upper()
            nulls = (match["nulls"] or "").upper()
            if reverse:
                direction = "ASC" if direction == "DESC" else "DESC"
                if nulls:
                    nulls = "NULLS LAST" if nulls == "NULLS FIRST" else "NULLS FIRST"
            terms += self.field_terms(spec, alias, field_name, direction, nulls, seen, lenient)
        return terms

    def field_terms(
        self,
        spec: ModelSpec,
        alias: str,
        field_name: str,
        direction: str,
        nulls: str,
        seen: frozenset[tuple[str, str]],
        lenient: bool,
    ) -> list[_Term]:
        fname = field_name.split(".", 1)[0]
        field = spec.fields.get(fname)
        if field is None:
            if lenient:
                return []
            raise ValueError(f"Invalid field {fname!r} on model {spec.name!r}")
        if field.type == "many2one":
            key = (spec.name, fname)
            if key in seen:
                return []
            seen = seen | {key}
            comodel = self.registry.get(field.relation or "")
            if field_name.endswith(".id"):
                coorder = "id"
                sql_field, pg_field = self.column(spec, alias, fname)
            else:
                coorder = comodel.order if comodel is not None else "id"
                sql_field, pg_field = self.column(spec, alias, field_name)
            if coorder == "id" or comodel is None:
                return [_term(sql_field, pg_field, direction, nulls)]
            terms: list[_Term] = []
            if nulls == "NULLS FIRST":
                terms.append(_Term(f"{sql_field} IS NOT NULL", f"{pg_field} IS NOT NULL"))
            elif nulls == "NULLS LAST":
                terms.append(_Term(f"{sql_field} IS NULL", f"{pg_field} IS NULL"))
            coalias = self.join(alias, field_name, comodel, sql_field)
            terms += self.order(comodel, coorder, coalias, direction == "DESC", seen, lenient=True)
            return terms
        sql_field, pg_field = self.column(spec, alias, field_name)
        if field.type == "boolean":
            sql_field = f"COALESCE({sql_field}, 0)"
            pg_field = f"COALESCE({pg_field}, FALSE)"
        return [_term(sql_field, pg_field, direction, nulls)]

    def column(self, spec: ModelSpec, alias: str, field_name: str) -> tuple[str, str]:
        """Odoo's ``_field_to_sql`` for ordering: ``(SQLite expression, PostgreSQL text)``."""
        fname, _, property_name = field_name.partition(".")
        field = spec.fields.get(fname)
        if field is None:
            raise ValueError(f"Invalid field {fname!r} on model {spec.name!r}")
        if fname == "id":
            if property_name:
                raise ValueError(f"Invalid field {field_name!r} on model {spec.name!r}")
            sql = f"{quote(alias)}.{quote('id')}"
            return sql, sql
        if field.related is not None and not field.store:
            parent_fk, parent_fname = field.related[0], field.related[-1]
            fk_field = spec.fields[parent_fk]
            parent = self.registry[str(fk_field.relation)]
            fk_sql = self.column(spec, alias, parent_fk)[0]
            parent_alias = self.join(alias, parent_fk, parent, fk_sql)
            return self.column(parent, parent_alias, parent_fname)
        if field.extra:
            return "NULL", "NULL"
        if not _has_sql_value(field):
            raise ValueError(f"Cannot convert {spec.name}.{fname} to SQL because it is not stored")
        if property_name:
            raise ValueError(f"Invalid field {field_name!r} on model {spec.name!r}")
        sql = f"{quote(alias)}.{quote(field.name)}"
        # translated fields are jsonb in PostgreSQL (one language installed: en_US)
        pg = f"{sql}->>'en_US'" if field.descriptor.get("translate") else sql
        return sql, pg

    def join(self, alias: str, field_name: str, comodel: ModelSpec, sql_field: str) -> str:
        coalias = f"{alias}__{field_name.replace('.', '__')}"
        if coalias not in self.joins:
            self.joins[coalias] = (
                f"LEFT JOIN {quote(comodel.table)} AS {quote(coalias)} "
                f"ON {sql_field} = {quote(coalias)}.{quote('id')}"
            )
        return coalias


def _has_sql_value(field: FieldSpec) -> bool:
    """Stored columns, and shadow columns of non-stored fields Odoo can sort on."""
    return field.column is not None or (field.shadow and field.sortable)


def _term(sql_field: str, pg_field: str, direction: str, nulls: str) -> _Term:
    """One ORDER BY term; SQLite gets PostgreSQL's NULL placement made explicit."""
    pg = f"{pg_field} {direction} {nulls}"  # Odoo's SQL("%s %s %s"): blanks kept
    sqlite_direction = direction or "ASC"
    if not nulls:
        nulls = "NULLS FIRST" if sqlite_direction == "DESC" else "NULLS LAST"
    return _Term(f"{sql_field} {sqlite_direction} {nulls}", pg)
