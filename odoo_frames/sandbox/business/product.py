"""product.template / product.product: a template has variants, a variant has a template.

* ``product.template.create`` also creates its (single) variant; its category defaults to
  "All", its units to "Units".
* ``product.product.create`` without ``product_tmpl_id`` first creates the template from
  the template's fields it was given (``name``, ``list_price``, ``categ_id``...), as
  Odoo's ``_inherits`` delegation does.
* ``display_name`` is ``[default_code] name``; a template shows the code of its only
  variant; a variant's ``lst_price`` follows the template's ``list_price``.
* ``copy`` of a template names the copy ``"<name> (copy)"``.

Example::

    >>> env["product.product"].create({"name": "Gadget", "default_code": "GAD", "list_price": 12.5})
    >>> ...read(["display_name", "product_tmpl_id", "lst_price"])
    [{'id': 49, 'display_name': '[GAD] Gadget', 'product_tmpl_id': [38, '[GAD] Gadget'], 'lst_price': 12.5}]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..orm import BaseModel, Env, before_create, compute, defaults, method, on_create

TEMPLATE = "product.template"
PRODUCT = "product.product"

#: context key: the template is created for a variant being created (no extra variant).
CREATING_VARIANT = "create_product_product"


def _first(env: Env, model: str, domain: list[Any]) -> int | bool:
    found = env[model].sudo().with_context(active_test=False).search(domain, order="id", limit=1)
    return found.ids[0] if found else False


@defaults(TEMPLATE)
def template_defaults(model: BaseModel, names: set[str]) -> dict[str, Any]:
    env = model.env
    values: dict[str, Any] = {}
    if "categ_id" in names:
        values["categ_id"] = _first(env, "product.category", [("name", "=", "All")]) or _first(
            env, "product.category", []
        )
    if names & {"uom_id", "uom_po_id"}:
        unit = _first(env, "uom.uom", [("name", "=", "Units")]) or _first(env, "uom.uom", [])
        values["uom_id"] = unit
        values["uom_po_id"] = unit
    return values


def _delegated(env: Env) -> list[str]:
    """Template fields a variant shows through its template (``product.product.name``...)."""
    spec = env.registry[PRODUCT]
    return [
        name for name, f in spec.fields.items() if f.related and f.related[0] == "product_tmpl_id"
    ]


@before_create(PRODUCT)
def create_templates(model: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    env = model.env
    delegated = _delegated(env)
    Template = env[TEMPLATE].with_context(**{CREATING_VARIANT: True})
    for vals in vals_list:
        template_vals = {name: vals.pop(name) for name in delegated if name in vals}
        if vals.get("product_tmpl_id"):
            if template_vals:
                env[TEMPLATE].browse([int(vals["product_tmpl_id"])]).write(template_vals)
            continue
        if vals.get("default_code"):
            template_vals.setdefault("default_code", vals["default_code"])
        vals["product_tmpl_id"] = Template.create(template_vals).id


@on_create(TEMPLATE)
def create_variants(templates: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    if templates.env.context.get(CREATING_VARIANT):
        return
    Product = templates.env[PRODUCT].with_context(**{CREATING_VARIANT: True})
    for template, vals in zip(templates, vals_list):
        values: dict[str, Any] = {"product_tmpl_id": template.id}
        if vals.get("default_code"):
            values["default_code"] = vals["default_code"]
        Product.create(values)


def _coded_name(code: Any, name: Any) -> Any:
    if not name:
        return False
    return f"[{code}] {name}" if code else name


@compute(
    PRODUCT,
    ["display_name", "lst_price"],
    depends=[
        "default_code",
        "product_tmpl_id",
        "product_tmpl_id.name",
        "product_tmpl_id.list_price",
    ],
)
def compute_variant_names(products: BaseModel) -> dict[int, dict[str, Any]]:
    rows = products.raw(["default_code", "name", "list_price"])
    return {
        rid: {
            "display_name": _coded_name(row["default_code"], row["name"]),
            "lst_price": row["list_price"],
        }
        for rid, row in rows.items()
    }


@compute(
    TEMPLATE,
    ["default_code", "display_name"],
    depends=["name", "product_variant_ids", "product_variant_ids.default_code"],
)
def compute_template_names(templates: BaseModel) -> dict[int, dict[str, Any]]:
    env = templates.env
    rows = templates.raw(["name", "product_variant_ids", "default_code"])
    variant_ids = sorted({v for row in rows.values() for v in row["product_variant_ids"]})
    codes = env[PRODUCT].sudo().browse(variant_ids).raw(["default_code"])
    result: dict[int, dict[str, Any]] = {}
    for rid, row in rows.items():
        variants = row["product_variant_ids"]
        code = row["default_code"]
        if len(variants) == 1:
            code = codes.get(variants[0], {}).get("default_code") or code
        elif variants:
            code = False
        result[rid] = {
            "default_code": code or False,
            "display_name": _coded_name(code, row["name"]),
        }
    return result


@method(TEMPLATE, "copy")
def copy_template(self: BaseModel, default: Mapping[str, Any] | None = None) -> BaseModel:
    """``copy``: the copy is named ``"<name> (copy)"`` (and gets its own variant)."""
    copies: list[int] = []
    names = self.raw(["name"])
    for rid in self.ids:
        values = dict(default or {})
        values.setdefault("name", f"{names[rid]['name']} (copy)" if rid in names else False)
        copies.extend(BaseModel.copy(self.browse([rid]), values).ids)
    return self.browse(copies)
