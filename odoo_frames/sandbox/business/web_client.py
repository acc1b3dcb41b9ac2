"""The web client's model methods: ``web_read``, ``web_search_read``, ``web_save`` (17+).

A *specification* says which fields to read and, for relational fields, how:

* ``{"name": {}}``: the value as ``read(load=None)`` gives it (many2one: the bare id);
* ``{"partner_id": {"fields": {"display_name": {}}}}``: a many2one as a dict
  ``{"id": 10, "display_name": "Deco Addict"}`` (``False`` when unset);
* ``{"category_id": {"fields": {...}, "order": "name", "limit": 40, "context": {}}}``:
  an x2many as a list of dicts (ids beyond ``limit`` stay ``{"id": n}``), ``{}`` keeps
  the list of ids.

``web_search_read`` returns ``{"length", "records"}`` where ``length`` is counted
(``search_count(domain, limit=count_limit)``) only when the page is full;
``web_save`` writes (or creates when called without ids) then answers ``web_read``.

Example::

    >>> env["sale.order"].web_search_read([("state", "=", "draft")],
    ...     {"name": {}, "partner_id": {"fields": {"display_name": {}}}}, limit=1, order="id")
    {'length': 4, 'records': [{'id': 1, 'name': 'S00001', 'partner_id': {'id': 10, 'display_name': 'Deco Addict'}}]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..orm import BaseModel, method

Specification = Mapping[str, Mapping[str, Any]]


def web_read_records(records: BaseModel, specification: Specification) -> list[dict[str, Any]]:
    """``BaseModel.web_read``: ``read(load=None)`` plus the nested reads of the specification."""
    fields_to_read = list(specification) or ["id"]
    if fields_to_read == ["id"]:
        values_list: list[dict[str, Any]] = [{"id": rid} for rid in records.ids]
    else:
        values_list = records.read(fields_to_read, load=None)
    if not values_list:
        return values_list
    spec = records.spec
    for name, field_spec in specification.items():
        f = spec.fields.get(name)
        if f is None or not f.relation or f.relation not in records.env.registry:
            continue
        comodel = records.env[f.relation]
        if field_spec.get("context"):
            comodel = comodel.with_context(**dict(field_spec["context"]))
        if f.type == "many2one":
            if "fields" not in field_spec:
                continue
            _nest_many2one(values_list, name, comodel, dict(field_spec["fields"]))
        elif f.type in ("one2many", "many2many"):
            _nest_x2many(values_list, name, comodel, field_spec)
    return values_list


def _nest_many2one(
    values_list: list[dict[str, Any]], name: str, comodel: BaseModel, fields: dict[str, Any]
) -> None:
    ids = sorted({v[name] for v in values_list if v[name]})
    co_records = comodel.browse(ids)
    extra = {k: v for k, v in fields.items() if k != "display_name"}
    data = {vals["id"]: vals for vals in web_read_records(co_records, extra)}
    if "display_name" in fields:
        for rid, display_name in co_records.sudo().display_names().items():
            data.setdefault(rid, {"id": rid})["display_name"] = display_name
    for values in values_list:
        if values[name] is False:
            continue
        nested = data.get(values[name], {"id": values[name]})
        values[name] = nested["id"] if fields == {"id": {}} else nested


def _nest_x2many(
    values_list: list[dict[str, Any]], name: str, comodel: BaseModel, field_spec: Mapping[str, Any]
) -> None:
    if not field_spec:
        return
    if field_spec.get("order"):
        all_ids = sorted({i for v in values_list for i in v[name]})
        ordered = comodel.search([("id", "in", all_ids)], order=field_spec["order"]).ids
        position = {rid: index for index, rid in enumerate(ordered)}
        for values in values_list:
            values[name] = sorted(
                (i for i in values[name] if i in position), key=position.__getitem__
            )
    if "fields" not in field_spec:
        return
    limit = field_spec.get("limit")
    wanted: dict[int, None] = {}
    for values in values_list:
        for rid in values[name] if limit is None else values[name][:limit]:
            wanted[rid] = None
    data = {
        vals["id"]: vals
        for vals in web_read_records(comodel.browse(list(wanted)), dict(field_spec["fields"]))
    }
    for values in values_list:
        values[name] = [data.get(rid) or {"id": rid} for rid in values[name]]


@method("*", "web_read")
def web_read(self: BaseModel, specification: Specification) -> list[dict[str, Any]]:
    return web_read_records(self, specification)


@method("*", "web_search_read", api="model")
def web_search_read(
    self: BaseModel,
    domain: Sequence[Any],
    specification: Specification,
    offset: int = 0,
    limit: int | None = None,
    order: str | None = None,
    count_limit: int | None = None,
) -> dict[str, Any]:
    records = self.search(domain, offset=offset, limit=limit, order=order)
    values = web_read_records(records, specification)
    if not values:
        return {"length": 0, "records": []}
    current_length = len(values) + (offset or 0)
    limit_reached = len(values) == limit
    count_limit_reached = bool(count_limit) and (count_limit or 0) <= current_length
    force = self.env.context.get("force_search_count")
    if limit and ((limit_reached and not count_limit_reached) or force):
        length = self.search_count(domain, limit=count_limit)
    else:
        length = current_length
    return {"length": length, "records": values}


@method("*", "web_save")
def web_save(
    self: BaseModel,
    vals: Mapping[str, Any],
    specification: Specification,
    next_id: int | None = None,
) -> list[dict[str, Any]]:
    if self:
        self.write(dict(vals))
        records = self
    else:
        records = self.create(dict(vals))
    if next_id:
        records = self.browse([next_id])
    return web_read_records(records.with_context(bin_size=True), specification)
