"""Field specs from fields_get, and the column types they become.

A :class:`FieldSpec` is what odoo_frames needs to know about one field of one
model: its Odoo type, label, relation, selection, and whether it can be searched,
sorted, grouped, aggregated and written. :class:`ModelSchema` holds the fields of a
model and answers "did you mean" when a name is wrong.

Odoo type -> column type (see design.md, "Columns"):

=================  ==========================  =================================
Odoo               pandas                      polars / arrow
=================  ==========================  =================================
char, text, html   str                         String / string
selection          category (keys)             Categorical / dictionary<string>
integer            int64                       Int64
float, monetary    float64                     Float64
boolean            bool                        Boolean
date               object (datetime.date)      Date / date32
datetime           datetime64[us, UTC]         Datetime(us, UTC) / timestamp
many2one           Int64 id + str display_name Int64 + String
one2many/many2many object (list of ids)        List(Int64) / list<int64>
=================  ==========================  =================================

Odoo sends ``0`` for an unset number, so numeric columns are never null.

Example::

    >>> spec = FieldSpec.from_descriptor("state", {"type": "selection", "string": "Status",
    ...     "selection": [["draft", "Quotation"], ["sale", "Sales Order"]]})
    >>> spec.selection_labels
    {'draft': 'Quotation', 'sale': 'Sales Order'}
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import FieldNotFound

NUMERIC_TYPES = frozenset({"integer", "float", "monetary"})
TEXT_TYPES = frozenset({"char", "text", "html"})
X2MANY_TYPES = frozenset({"one2many", "many2many"})
RELATIONAL_TYPES = frozenset({"many2one", "one2many", "many2many"})

_HEAVY_TYPES = frozenset(
    {"binary", "html", "properties", "properties_definition", "json", "one2many"}
)
_TECHNICAL_PREFIXES = (
    "message_",
    "activity_",
    "my_activity_",
    "website_message",
    "access_",
    "rating_",
    "__",
)

#: Aggregates Odoo's read_group accepts, per field type family.
NUMERIC_AGGREGATES = frozenset({"sum", "avg", "min", "max", "count", "count_distinct", "array_agg"})
GENERIC_AGGREGATES = frozenset({"count", "count_distinct", "min", "max", "array_agg"})
BOOLEAN_AGGREGATES = frozenset({"bool_and", "bool_or", "count", "count_distinct", "array_agg"})


@dataclass(frozen=True)
class FieldSpec:
    """One field as fields_get describes it (17.0's ``group_operator`` read as ``aggregator``)."""

    name: str
    type: str
    string: str = ""
    relation: str | None = None
    relation_field: str | None = None
    selection: tuple[tuple[Any, str], ...] = ()
    readonly: bool = False
    required: bool = False
    store: bool = True
    searchable: bool = True
    sortable: bool = True
    groupable: bool = True
    aggregator: str | None = None
    company_dependent: bool = False
    help: str | None = None

    @classmethod
    def from_descriptor(cls, name: str, desc: Mapping[str, Any]) -> FieldSpec:
        store = bool(desc.get("store", True))
        return cls(
            name=name,
            type=str(desc.get("type", "char")),
            string=str(desc.get("string") or name),
            relation=desc.get("relation") or None,
            relation_field=desc.get("relation_field") or None,
            selection=tuple((k, str(v)) for k, v in (desc.get("selection") or [])),
            readonly=bool(desc.get("readonly", False)),
            required=bool(desc.get("required", False)),
            store=store,
            searchable=bool(desc.get("searchable", store)),
            sortable=bool(desc.get("sortable", store)),
            # 17.0 has no "groupable": stored fields group.
            groupable=bool(desc.get("groupable", store)),
            aggregator=desc.get("aggregator") or desc.get("group_operator") or None,
            company_dependent=bool(desc.get("company_dependent", False)),
            help=desc.get("help") or None,
        )

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def is_relational(self) -> bool:
        return self.type in RELATIONAL_TYPES

    @property
    def is_x2many(self) -> bool:
        return self.type in X2MANY_TYPES

    @property
    def selection_labels(self) -> dict[Any, str]:
        return dict(self.selection)

    @property
    def writable(self) -> bool:
        """Can a client write it? Readonly and non-stored (computed, related) fields cannot."""
        return not self.readonly and self.name not in ("id", "display_name", "__last_update")

    def aggregates(self) -> frozenset[str]:
        """The read_group aggregate functions this field accepts."""
        if self.is_numeric:
            return NUMERIC_AGGREGATES
        if self.type == "boolean":
            return BOOLEAN_AGGREGATES
        return GENERIC_AGGREGATES


@dataclass(frozen=True)
class ModelSchema:
    """The fields of one model, with "did you mean" lookups."""

    model: str
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)

    @classmethod
    def from_fields_get(
        cls, model: str, fields_get: Mapping[str, Mapping[str, Any]]
    ) -> ModelSchema:
        specs = {name: FieldSpec.from_descriptor(name, desc) for name, desc in fields_get.items()}
        if "id" not in specs:
            specs["id"] = FieldSpec(
                name="id", type="integer", string="ID", readonly=True, groupable=False
            )
        return cls(model=model, fields=specs)

    def __getitem__(self, name: str) -> FieldSpec:
        try:
            return self.fields[name]
        except KeyError:
            raise FieldNotFound(self.model, name, self.suggest(name)) from None

    def __contains__(self, name: object) -> bool:
        return name in self.fields

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Close field names, best first, for error messages."""
        names = list(self.fields)
        close = difflib.get_close_matches(name, names, n=n, cutoff=0.6)
        if not close:
            lowered = name.lower()
            close = [f for f in names if lowered in f.lower()][:n]
        return close

    def default_columns(self) -> list[str]:
        """Columns a frame shows when none are selected.

        Stored business fields: not binary/html/json payloads, not one2many lists (often
        long; select them explicitly), not the mail/activity/portal plumbing every model
        inherits (``message_*``, ``activity_*``, ``access_token``...).
        """
        return [
            name
            for name, spec in self.fields.items()
            if spec.store
            and spec.type not in _HEAVY_TYPES
            and name != "display_name"
            and not name.startswith(_TECHNICAL_PREFIXES)
        ]


def column_names(spec: FieldSpec) -> list[str]:
    """The DataFrame columns a field becomes: many2one gives ``f`` and ``f.display_name``."""
    if spec.type == "many2one":
        return [spec.name, f"{spec.name}.display_name"]
    return [spec.name]


def arrow_type(spec: FieldSpec) -> Any:
    """The pyarrow type of a field's column (the id column for a many2one)."""
    import pyarrow as pa

    t = spec.type
    if t in TEXT_TYPES or t in ("reference", "binary"):
        return pa.string()
    if t == "selection":
        if spec.selection and all(isinstance(k, int) for k, _ in spec.selection):
            return pa.int64()
        return pa.dictionary(pa.int32(), pa.string())
    if t in ("integer", "many2one", "many2one_reference"):
        return pa.int64()
    if t in ("float", "monetary"):
        return pa.float64()
    if t == "boolean":
        return pa.bool_()
    if t == "date":
        return pa.date32()
    if t == "datetime":
        return pa.timestamp("us", tz="UTC")
    if t in X2MANY_TYPES:
        return pa.list_(pa.int64())
    return pa.string()  # json, properties...: serialised text
