"""Model and field metadata of the sandbox: models are data, not code.

Each model is described by its fields_get descriptors (as real Odoo 18.0 returned
them, packaged in ``data/schema.json``) plus ``_order``, ``_rec_name`` and
``_rec_names_search``. This module adds what a descriptor does not say but the
storage and the ORM need: the SQL column of a stored field, the relation table of
a many2many, the delegation path of an inherited field (``product.product.name``
is ``product_tmpl_id.name``), and the model's description used in Odoo's messages.

Storage layout (the contract every sandbox module relies on):

* one SQLite table per model, named ``model.replace(".", "_")``, ``id INTEGER PRIMARY KEY``;
* one column per stored scalar or many2one field, named like the field
  (``FieldSpec.column``); NULL is Odoo's NULL (also for numbers, which *read* as 0);
* one2many fields have no column: they are the comodel's ``relation_field`` column;
* many2many fields live in a relation table (``FieldSpec.m2m``) shared by both sides
  of an inverse pair;
* non-stored fields that are neither related (``FieldSpec.related``) nor derivable keep
  their values in a *shadow column* (``FieldSpec.shadow``, ``column`` stays None):
  ``display_name`` (maintained by the ORM like a stored computed field) and a few
  others (``account.account.code``, ``product.product.lst_price``...).

Every model also gets the ``create_uid``/``write_uid`` log fields (:data:`MAGIC_FIELDS`),
and the models whose full field list the recordings show get their non-curated fields
from ``data/extra_fields.json`` (``FieldSpec.extra`` when the sandbox cannot store or
derive them: they read as empty values). One2many field domains are :data:`O2M_DOMAINS`.

Example::

    >>> reg = Registry.load()
    >>> reg["res.partner"].table, reg["res.partner"].fields["category_id"].m2m
    ('res_partner', M2MTable(table='res_partner_res_partner_category_rel', column='partner_id', other_column='category_id'))
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

#: Field types stored as a column of the model's own table.
COLUMN_TYPES = frozenset(
    {
        "char",
        "text",
        "html",
        "selection",
        "integer",
        "float",
        "monetary",
        "boolean",
        "date",
        "datetime",
        "many2one",
        "json",
        "binary",
        "many2one_reference",
        "reference",
    }
)

#: ``_description`` of each model, as Odoo shows it in access errors ("'User' (res.users)").
MODEL_DESCRIPTIONS: dict[str, str] = {
    "res.partner": "Contact",
    "res.partner.category": "Partner Tags",
    "res.country": "Country",
    "res.country.state": "Country state",
    "res.currency": "Currency",
    "res.company": "Companies",
    "res.users": "User",
    "product.product": "Product Variant",
    "product.template": "Product",
    "product.category": "Product Category",
    "uom.uom": "Product Unit of Measure",
    "sale.order": "Sales Order",
    "sale.order.line": "Sales Order Line",
    "account.move": "Journal Entry",
    "account.move.line": "Journal Item",
    "account.account": "Account",
    "account.journal": "Journal",
    "account.tax": "Tax",
    "stock.quant": "Quants",
    "stock.location": "Inventory Locations",
    "stock.warehouse": "Warehouse",
    "crm.lead": "Lead/Opportunity",
    "crm.stage": "CRM Stages",
    "crm.tag": "CRM Tag",
}

#: Relation tables of many2many fields: (model, field) -> (table, column, other_column).
#: Names follow Odoo's (explicit ``relation=`` where the source sets one, else the
#: default ``<model1>_<model2>_rel`` with the table names sorted).
M2M_TABLES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("res.partner", "category_id"): (
        "res_partner_res_partner_category_rel",
        "partner_id",
        "category_id",
    ),
    ("res.partner.category", "partner_ids"): (
        "res_partner_res_partner_category_rel",
        "category_id",
        "partner_id",
    ),
    ("res.company", "user_ids"): ("res_company_users_rel", "cid", "user_id"),
    ("res.users", "company_ids"): ("res_company_users_rel", "user_id", "cid"),
    ("product.template", "taxes_id"): ("product_taxes_rel", "prod_id", "tax_id"),
    ("product.template", "supplier_taxes_id"): ("product_supplier_taxes_rel", "prod_id", "tax_id"),
    ("sale.order", "tag_ids"): ("sale_order_tag_rel", "order_id", "tag_id"),
    ("sale.order.line", "tax_id"): (
        "account_tax_sale_order_line_rel",
        "sale_order_line_id",
        "account_tax_id",
    ),
    ("sale.order.line", "invoice_lines"): (
        "sale_order_line_invoice_rel",
        "order_line_id",
        "invoice_line_id",
    ),
    ("account.move.line", "sale_line_ids"): (
        "sale_order_line_invoice_rel",
        "invoice_line_id",
        "order_line_id",
    ),
    ("account.move.line", "tax_ids"): (
        "account_move_line_account_tax_rel",
        "account_move_line_id",
        "account_tax_id",
    ),
    ("account.account", "company_ids"): (
        "account_account_res_company_rel",
        "account_account_id",
        "res_company_id",
    ),
    ("account.account", "tax_ids"): ("account_account_tax_default_rel", "account_id", "tax_id"),
    ("account.tax", "children_tax_ids"): ("account_tax_filiation_rel", "parent_tax", "child_tax"),
    ("stock.warehouse", "resupply_wh_ids"): (
        "stock_wh_resupply_table",
        "supplied_wh_id",
        "supplier_wh_id",
    ),
    ("crm.lead", "tag_ids"): ("crm_tag_rel", "lead_id", "tag_id"),
}

#: Non-stored fields that are another model's field reached through a many2one
#: (``_inherits`` delegation or ``related=``): (model, field) -> path.
RELATED_PATHS: dict[tuple[str, str], tuple[str, ...]] = {
    ("res.users", "name"): ("partner_id", "name"),
    ("res.users", "email"): ("partner_id", "email"),
    ("product.product", "name"): ("product_tmpl_id", "name"),
    ("product.product", "categ_id"): ("product_tmpl_id", "categ_id"),
    ("product.product", "type"): ("product_tmpl_id", "type"),
    ("product.product", "is_storable"): ("product_tmpl_id", "is_storable"),
    ("product.product", "list_price"): ("product_tmpl_id", "list_price"),
    ("product.product", "uom_id"): ("product_tmpl_id", "uom_id"),
    ("product.product", "sale_ok"): ("product_tmpl_id", "sale_ok"),
    ("product.product", "purchase_ok"): ("product_tmpl_id", "purchase_ok"),
    ("product.product", "taxes_id"): ("product_tmpl_id", "taxes_id"),
    # non-curated fields (data/extra_fields.json)
    ("res.partner", "parent_name"): ("parent_id", "name"),
    ("res.partner", "country_code"): ("country_id", "code"),
    ("account.tax", "country_code"): ("country_id", "code"),
    ("sale.order", "country_code"): ("company_id", "account_fiscal_country_id", "code"),
}


#: Domains of one2many fields (``fields.One2many(..., domain=...)``): reading and x2many
#: commands only see the lines that match.
O2M_DOMAINS: dict[tuple[str, str], tuple[tuple[str, str, Any], ...]] = {
    ("account.move", "invoice_line_ids"): (
        ("display_type", "in", ("product", "line_section", "line_note")),
    ),
}


#: ``ondelete`` of many2one fields whose policy is not the default (``restrict`` when the
#: field is required, else ``set null``), as declared in Odoo 18.
ONDELETE: dict[tuple[str, str], str] = {
    ("sale.order.line", "order_id"): "cascade",
    ("account.move.line", "move_id"): "cascade",
    ("product.product", "product_tmpl_id"): "cascade",
    ("res.partner.category", "parent_id"): "cascade",
    ("product.category", "parent_id"): "cascade",
    ("stock.location", "location_id"): "cascade",
    ("crm.lead", "stage_id"): "restrict",
    ("res.partner", "commercial_partner_id"): "set null",
}


@dataclass(frozen=True)
class M2MTable:
    """Where a many2many lives: ``table`` rows link ``column`` (this side) to ``other_column``."""

    table: str
    column: str
    other_column: str


@dataclass(frozen=True)
class FieldSpec:
    """One field of one model: its 18.0 descriptor plus storage facts."""

    name: str
    model: str
    descriptor: Mapping[str, Any]
    column: str | None = None
    m2m: M2MTable | None = None
    related: tuple[str, ...] | None = None
    #: A non-stored, non-related field whose values the sandbox cannot derive keeps them in a
    #: *shadow column* named like the field (``account.account.code``): loaded from the
    #: dataset, read back as is. ``column`` stays None (it is not a stored field for Odoo).
    shadow: bool = False
    #: Known to exist in real Odoo but not curated: described by fields_get, read as empty.
    extra: bool = False

    @property
    def type(self) -> str:
        return str(self.descriptor["type"])

    @property
    def string(self) -> str:
        return str(self.descriptor.get("string", self.name))

    @property
    def store(self) -> bool:
        return bool(self.descriptor.get("store", True))

    @property
    def relation(self) -> str | None:
        return self.descriptor.get("relation")

    @property
    def relation_field(self) -> str | None:
        return self.descriptor.get("relation_field")

    @property
    def required(self) -> bool:
        return bool(self.descriptor.get("required", False))

    @property
    def readonly(self) -> bool:
        return bool(self.descriptor.get("readonly", False))

    @property
    def searchable(self) -> bool:
        return bool(self.descriptor.get("searchable", self.store))

    @property
    def sortable(self) -> bool:
        return bool(self.descriptor.get("sortable", self.store))

    @property
    def groupable(self) -> bool:
        return bool(self.descriptor.get("groupable", self.store))

    @property
    def aggregator(self) -> str | None:
        return self.descriptor.get("aggregator")

    @property
    def selection(self) -> list[tuple[Any, str]]:
        return [(k, v) for k, v in self.descriptor.get("selection") or []]

    @property
    def company_dependent(self) -> bool:
        return bool(self.descriptor.get("company_dependent", False))

    @property
    def is_relational(self) -> bool:
        return self.type in ("many2one", "one2many", "many2many")

    @property
    def ondelete(self) -> str:
        """What deleting the target does to a many2one: cascade, restrict or set null."""
        default = "restrict" if self.required else "set null"
        return ONDELETE.get((self.model, self.name), default)

    @property
    def domain(self) -> list[tuple[str, str, Any]]:
        """The field's own domain (one2many lines it shows), as a list of leaves."""
        return [
            (name, op, list(value) if isinstance(value, tuple) else value)
            for name, op, value in O2M_DOMAINS.get((self.model, self.name), ())
        ]

    @property
    def is_x2many(self) -> bool:
        return self.type in ("one2many", "many2many")


@dataclass
class ModelSpec:
    """One model: fields, default order, record name, description, storage table."""

    name: str
    description: str
    order: str
    rec_name: str
    rec_names_search: tuple[str, ...] | None
    fields: dict[str, FieldSpec] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.name.replace(".", "_")

    @property
    def active_field(self) -> str | None:
        """The field ``active_test`` filters on (``_active_name``), if the model has one."""
        return "active" if "active" in self.fields else None

    @property
    def parent_field(self) -> str | None:
        """``_parent_name`` for child_of / parent_of (a many2one to the same model)."""
        for name in ("parent_id", "location_id"):
            spec = self.fields.get(name)
            if spec is not None and spec.type == "many2one" and spec.relation == self.name:
                return name
        return None

    def column_fields(self) -> list[FieldSpec]:
        """Stored fields that have a column on :attr:`table` (``id`` excluded)."""
        return [f for f in self.fields.values() if f.column is not None]


class Registry(Mapping[str, ModelSpec]):
    """All models of a sandbox database, keyed by model name."""

    def __init__(self, models: dict[str, ModelSpec]) -> None:
        self._models = models

    def __getitem__(self, model: str) -> ModelSpec:
        return self._models[model]

    def __iter__(self) -> Iterator[str]:
        return iter(self._models)

    def __len__(self) -> int:
        return len(self._models)

    @classmethod
    def load(cls) -> Registry:
        """The registry of the packaged schema (the 24 models of the reference database)."""
        return cls.from_schema(_packaged_schema())

    @classmethod
    def from_schema(cls, schema: Mapping[str, Any]) -> Registry:
        models: dict[str, ModelSpec] = {}
        for model_name, info in schema.items():
            spec = ModelSpec(
                name=model_name,
                description=MODEL_DESCRIPTIONS.get(model_name, model_name),
                order=info.get("order") or "id",
                rec_name=info.get("rec_name") or "name",
                rec_names_search=tuple(info["rec_names_search"])
                if info.get("rec_names_search")
                else None,
            )
            for fname, desc in info["fields"].items():
                spec.fields[fname] = _field_spec(model_name, fname, desc)
            for fname, desc in MAGIC_FIELDS.items():
                if fname not in spec.fields:
                    spec.fields[fname] = _field_spec(model_name, fname, desc)
            models[model_name] = spec
        for model_name, spec in models.items():
            for fname, desc in _packaged_extra_fields().get(model_name, {}).items():
                if fname not in spec.fields:
                    real = _extra_is_modelled(models, model_name, fname, desc)
                    spec.fields[fname] = _field_spec(model_name, fname, desc, extra=not real)
        return cls(models)


def _extra_is_modelled(
    models: Mapping[str, ModelSpec], model: str, name: str, descriptor: Mapping[str, Any]
) -> bool:
    """Can the sandbox store or derive a non-curated field (else it reads as empty)?"""
    ftype = descriptor["type"]
    if (model, name) in RELATED_PATHS:
        return True
    stored = bool(descriptor.get("store", True))
    if stored and ftype in COLUMN_TYPES:
        return True
    comodel = models.get(str(descriptor.get("relation")))
    if ftype == "one2many" and comodel is not None:
        return str(descriptor.get("relation_field")) in comodel.fields
    return False


def _field_spec(
    model: str, name: str, descriptor: Mapping[str, Any], *, extra: bool = False
) -> FieldSpec:
    ftype = descriptor["type"]
    stored = bool(descriptor.get("store", True))
    column = None
    m2m = None
    related = RELATED_PATHS.get((model, name))
    if extra:
        return FieldSpec(name=name, model=model, descriptor=dict(descriptor), extra=True)
    if name != "id" and stored and ftype in COLUMN_TYPES:
        column = name
    if ftype == "many2many" and stored:
        table, col, other = M2M_TABLES.get(
            (model, name), _default_m2m(model, str(descriptor.get("relation")), name)
        )
        m2m = M2MTable(table, col, other)
    # display_name is kept in a shadow column too: the ORM maintains it like a stored
    # computed field (dataset values, recomputed when its dependencies change).
    shadow = not stored and related is None and name != "id" and ftype in COLUMN_TYPES
    return FieldSpec(
        name=name,
        model=model,
        descriptor=dict(descriptor),
        column=column,
        m2m=m2m,
        related=related,
        shadow=shadow,
    )


def _default_m2m(model: str, comodel: str, fname: str) -> tuple[str, str, str]:
    """Odoo's default relation table for a many2many without ``relation=``."""
    t1, t2 = sorted([model.replace(".", "_"), comodel.replace(".", "_")])
    return f"{t1}_{t2}_rel", f"{model.replace('.', '_')}_id", f"{comodel.replace('.', '_')}_id"


#: Log-access fields every model has (``_log_access``); added where the curated schema omits them.
MAGIC_FIELDS: dict[str, dict[str, Any]] = {
    name: {
        "company_dependent": False,
        "default_export_compatible": False,
        "groupable": True,
        "readonly": True,
        "relation": "res.users",
        "required": False,
        "searchable": True,
        "sortable": True,
        "store": True,
        "string": string,
        "type": "many2one",
    }
    for name, string in (("create_uid", "Created by"), ("write_uid", "Last Updated by"))
}


@cache
def _packaged_extra_fields() -> dict[str, dict[str, Any]]:
    """``data/extra_fields.json``: non-curated fields of real Odoo (see that file's note)."""
    path = resources.files("odoo_frames.sandbox").joinpath("data/extra_fields.json")
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


@cache
def _packaged_schema() -> dict[str, Any]:
    text = resources.files("odoo_frames.sandbox").joinpath("data/schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
