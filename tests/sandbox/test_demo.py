"""The demo data generator: deterministic, in Odoo 18's read format, and consistent.

``generate(scale, seed=..., today=...)`` returns ``(dataset, server)`` shaped like the
recorded reference database, so the sandbox loads both through one code path.
"""

from __future__ import annotations

import datetime
import json
import re
import time
from collections import Counter, defaultdict
from importlib import resources
from typing import Any

import pytest

from odoo_frames.sandbox import demo

TODAY = datetime.date(2026, 11, 27)
SCALE = 3000

SCHEMA: dict[str, Any] = json.loads(
    resources.files("odoo_frames.sandbox").joinpath("data", "schema.json").read_text("utf-8")
)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\Z")


@pytest.fixture(scope="module")
def generated() -> tuple[dict[str, Any], dict[str, Any]]:
    return demo.generate(SCALE, seed=7, today=TODAY)


@pytest.fixture(scope="module")
def dataset(generated: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    return generated[0]


@pytest.fixture(scope="module")
def records(dataset: dict[str, Any]) -> dict[str, dict[int, dict[str, Any]]]:
    """Records by model and id."""
    return {model: {r["id"]: r for r in table["records"]} for model, table in dataset.items()}


# -- determinism ------------------------------------------------------------------------------


def test_same_seed_and_day_give_the_same_data() -> None:
    first = demo.generate(300, seed=3, today=TODAY)
    second = demo.generate(300, seed=3, today=TODAY)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_another_seed_gives_other_data() -> None:
    first, first_server = demo.generate(300, seed=3, today=TODAY)
    second, second_server = demo.generate(300, seed=4, today=TODAY)
    assert first["res.partner"]["records"] != second["res.partner"]["records"]
    assert first_server["users"][0]["api_key"] != second_server["users"][0]["api_key"]


def test_scale_below_the_minimum_is_refused() -> None:
    with pytest.raises(ValueError, match="scale must be at least"):
        demo.generate(demo.MIN_SCALE - 1, today=TODAY)


# -- format ---------------------------------------------------------------------------------------


def test_every_model_of_the_schema_is_present(dataset: dict[str, Any]) -> None:
    assert list(dataset) == list(SCHEMA)


def test_tables_carry_next_id_sequence_and_count(dataset: dict[str, Any]) -> None:
    for model, table in dataset.items():
        ids = [r["id"] for r in table["records"]]
        assert ids == sorted(set(ids)), model
        assert table["count"] == len(ids), model
        assert table["next_id"] == ids[-1] + 1, model
        assert table["sequence"] == {
            "name": f"{model.replace('.', '_')}_id_seq",
            "last_value": ids[-1],
            "is_called": True,
        }


def test_records_carry_every_schema_field_in_order(dataset: dict[str, Any]) -> None:
    for model, table in dataset.items():
        fields = list(SCHEMA[model]["fields"])
        for record in table["records"]:
            assert list(record) == fields, (model, record["id"])


def _format_error(descriptor: dict[str, Any], value: Any) -> str | None:
    """Why ``value`` is not what Odoo's read returns for this field, or None."""
    ftype = descriptor["type"]
    if ftype == "integer":
        ok = type(value) is int
    elif ftype in ("float", "monetary"):
        ok = type(value) is float
    elif ftype == "boolean":
        ok = type(value) is bool
    elif ftype in ("char", "text", "html"):
        ok = value is False or type(value) is str
    elif ftype == "selection":
        ok = value is False or value in {key for key, _label in descriptor["selection"]}
    elif ftype == "date":
        ok = value is False or (type(value) is str and bool(DATE.match(value)))
    elif ftype == "datetime":
        ok = value is False or (type(value) is str and bool(DATETIME.match(value)))
    elif ftype == "many2one":
        ok = value is False or (
            type(value) is list
            and len(value) == 2
            and type(value[0]) is int
            and type(value[1]) is str
        )
    elif ftype in ("one2many", "many2many"):
        ok = type(value) is list and all(type(v) is int for v in value)
    elif ftype == "json":
        ok = value is False or type(value) is dict
    else:
        return f"unexpected field type {ftype}"
    return None if ok else f"{ftype} field holds {value!r}"


def test_values_have_odoo_read_types(dataset: dict[str, Any]) -> None:
    errors = Counter()
    for model, table in dataset.items():
        fields = SCHEMA[model]["fields"]
        for record in table["records"]:
            for name, value in record.items():
                error = _format_error(fields[name], value)
                if error:
                    errors[f"{model}.{name}: {error}"] += 1
    assert not errors, errors.most_common(10)


#: Dates that are plans, not facts: they may lie after today.
FUTURE_DATES = {
    ("sale.order", "validity_date"),
    ("sale.order", "commitment_date"),
    ("account.move", "invoice_date_due"),
    ("account.move.line", "date_maturity"),
    ("crm.lead", "date_deadline"),
    ("stock.quant", "inventory_date"),
}


def test_dates_parse_and_lie_before_today(dataset: dict[str, Any]) -> None:
    two_years_ago = TODAY - datetime.timedelta(days=731)
    for model, table in dataset.items():
        dated = [
            name
            for name, d in SCHEMA[model]["fields"].items()
            if d["type"] in ("date", "datetime") and (model, name) not in FUTURE_DATES
        ]
        for record in table["records"]:
            for name in dated:
                if record[name]:
                    day = datetime.datetime.fromisoformat(record[name]).date()
                    assert day < TODAY, (model, name, record["id"])
            assert record["write_date"] >= record["create_date"], (model, record["id"])
    for order in dataset["sale.order"]["records"]:
        day = datetime.date.fromisoformat(order["date_order"][:10])
        assert two_years_ago <= day < TODAY
        datetime.date.fromisoformat(order["validity_date"])


def test_required_fields_are_set(dataset: dict[str, Any]) -> None:
    missing = Counter()
    for model, table in dataset.items():
        required = [
            name
            for name, d in SCHEMA[model]["fields"].items()
            if d.get("required") and d["type"] not in ("boolean", "integer", "float", "monetary")
        ]
        for record in table["records"]:
            for name in required:
                if record[name] is False:
                    missing[f"{model}.{name}"] += 1
    assert not missing, missing


# -- relations -------------------------------------------------------------------------------


def test_many2one_values_point_to_records_with_that_display_name(
    records: dict[str, dict[int, dict[str, Any]]],
) -> None:
    for model, by_id in records.items():
        for name, descriptor in SCHEMA[model]["fields"].items():
            target = descriptor.get("relation")
            if descriptor["type"] != "many2one" or target not in records:
                continue
            for record in by_id.values():
                value = record[name]
                if value is False:
                    continue
                assert value[0] in records[target], (model, name, value)
                assert value[1] == records[target][value[0]]["display_name"], (model, name)


def test_x2many_values_point_to_existing_records(
    records: dict[str, dict[int, dict[str, Any]]],
) -> None:
    for model, by_id in records.items():
        for name, descriptor in SCHEMA[model]["fields"].items():
            target = descriptor.get("relation")
            if descriptor["type"] not in ("one2many", "many2many") or target not in records:
                continue
            targets = records[target]
            for record in by_id.values():
                missing = [i for i in record[name] if i not in targets]
                assert not missing, (model, name, record["id"], missing)


def test_one2many_lists_are_the_inverse_of_their_many2one(
    records: dict[str, dict[int, dict[str, Any]]],
) -> None:
    for model, by_id in records.items():
        for name, descriptor in SCHEMA[model]["fields"].items():
            if descriptor["type"] != "one2many" or descriptor["relation"] not in records:
                continue
            inverse = descriptor["relation_field"]
            expected: dict[int, set[int]] = defaultdict(set)
            for other in records[descriptor["relation"]].values():
                if other[inverse]:
                    expected[other[inverse][0]].add(other["id"])
            for record in by_id.values():
                if name == "invoice_line_ids":  # the product lines only: a subset
                    assert set(record[name]) <= expected[record["id"]]
                else:
                    assert set(record[name]) == expected[record["id"]], (model, name, record["id"])


@pytest.mark.parametrize(
    ("model", "field", "other_model", "other_field"),
    [
        ("res.partner", "category_id", "res.partner.category", "partner_ids"),
        ("res.users", "company_ids", "res.company", "user_ids"),
        ("sale.order.line", "invoice_lines", "account.move.line", "sale_line_ids"),
    ],
)
def test_many2many_pairs_agree(
    records: dict[str, dict[int, dict[str, Any]]],
    model: str,
    field: str,
    other_model: str,
    other_field: str,
) -> None:
    links = {(r["id"], o) for r in records[model].values() for o in r[field]}
    other_links = {(o, r["id"]) for r in records[other_model].values() for o in r[other_field]}
    assert links == other_links


def test_x2many_lists_follow_the_comodel_order(
    records: dict[str, dict[int, dict[str, Any]]],
) -> None:
    orders = records["sale.order"]
    for partner in records["res.partner"].values():
        keys = [(orders[o]["date_order"], o) for o in partner["sale_order_ids"]]
        assert keys == sorted(keys, reverse=True)
    for order in orders.values():
        assert order["order_line"] == sorted(order["order_line"])


# -- consistency ------------------------------------------------------------------------------


def test_counts_follow_the_scale(dataset: dict[str, Any]) -> None:
    assert dataset["res.partner"]["count"] == SCALE
    assert dataset["sale.order"]["count"] == round(SCALE * demo.ORDERS_PER_PARTNER)
    lines_per_order = dataset["sale.order.line"]["count"] / dataset["sale.order"]["count"]
    assert 9 <= lines_per_order <= 11.5
    assert dataset["crm.lead"]["count"] == round(SCALE * demo.LEADS_PER_PARTNER)
    assert dataset["stock.quant"]["count"] >= dataset["product.product"]["count"] // 2


def test_partners_mix_companies_contacts_countries_and_ranks(
    records: dict[str, dict[int, dict[str, Any]]],
) -> None:
    partners = list(records["res.partner"].values())
    assert sum(p["is_company"] for p in partners) > SCALE // 5
    assert sum(not p["active"] for p in partners) > 0
    assert len({p["country_id"][0] for p in partners if p["country_id"]}) >= 10
    assert any(p["state_id"] for p in partners if p["country_id"] and p["country_id"][0] != 233)
    assert any(p["customer_rank"] for p in partners)
    assert any(p["supplier_rank"] for p in partners)
    for partner in partners:
        parent = partner["parent_id"]
        if parent:
            assert partner["complete_name"] == f"{parent[1]}, {partner['name']}"
            assert partner["commercial_partner_id"] == parent
        elif partner["id"] > 12:
            assert partner["commercial_partner_id"] == [partner["id"], partner["name"]]
        assert partner["display_name"] == partner["complete_name"]


def test_sale_lines_repeat_their_order_values(
    records: dict[str, dict[int, dict[str, Any]]],
) -> None:
    orders = records["sale.order"]
    for line in records["sale.order.line"].values():
        order = orders[line["order_id"][0]]
        assert line["order_partner_id"] == order["partner_id"]
        assert line["currency_id"] == order["currency_id"]
        assert line["company_id"] == order["company_id"]
        assert line["salesman_id"] == order["user_id"]
        assert line["state"] == order["state"]


def test_order_amounts_are_the_sums_of_their_lines(
    records: dict[str, dict[int, dict[str, Any]]],
) -> None:
    taxes = records["account.tax"]
    lines = records["sale.order.line"]
    states = Counter()
    for order in records["sale.order"].values():
        states[order["state"]] += 1
        untaxed = tax = 0.0
        for line in (lines[i] for i in order["order_line"]):
            subtotal = line["product_uom_qty"] * line["price_unit"] * (1 - line["discount"] / 100)
            assert line["price_subtotal"] == pytest.approx(subtotal, abs=0.006)
            rate = sum(taxes[t]["amount"] for t in line["tax_id"]) / 100
            assert line["price_tax"] == pytest.approx(line["price_subtotal"] * rate, abs=0.006)
            assert line["price_total"] == pytest.approx(line["price_subtotal"] + line["price_tax"])
            untaxed += line["price_subtotal"]
            tax += line["price_tax"]
        assert order["amount_untaxed"] == pytest.approx(untaxed, abs=0.001)
        assert order["amount_tax"] == pytest.approx(tax, abs=0.001)
        assert order["amount_total"] == pytest.approx(untaxed + tax, abs=0.001)
    assert set(states) == {"draft", "sent", "sale", "cancel"}


def test_journal_entries_are_balanced(records: dict[str, dict[int, dict[str, Any]]]) -> None:
    items = records["account.move.line"]
    for move in records["account.move"].values():
        lines = [items[i] for i in move["line_ids"]]
        debit = sum(line["debit"] for line in lines)
        credit = sum(line["credit"] for line in lines)
        assert debit == pytest.approx(credit, abs=0.001), move["name"]
        assert debit == pytest.approx(move["amount_total"], abs=0.001), move["name"]
        for line in lines:
            assert line["balance"] == pytest.approx(line["debit"] - line["credit"])
            assert line["move_name"] == move["name"]
            assert line["parent_state"] == move["state"]
            assert line["journal_id"] == move["journal_id"]


def test_invoices_match_their_lines_and_payments(
    records: dict[str, dict[int, dict[str, Any]]],
) -> None:
    items = records["account.move.line"]
    kinds = Counter()
    for move in records["account.move"].values():
        kinds[move["move_type"]] += 1
        if move["move_type"] == "entry":
            continue
        products = [items[i] for i in move["invoice_line_ids"]]
        assert move["amount_untaxed"] == pytest.approx(
            sum(line["price_subtotal"] for line in products), abs=0.001
        )
        term = [items[i] for i in move["line_ids"] if items[i]["display_type"] == "payment_term"]
        assert len(term) == 1
        assert abs(term[0]["balance"]) == pytest.approx(move["amount_total"], abs=0.001)
        assert abs(term[0]["amount_residual"]) == pytest.approx(move["amount_residual"])
        if move["payment_state"] in ("paid", "reversed"):
            assert move["amount_residual"] == 0.0
            assert term[0]["reconciled"] and term[0]["matching_number"]
    assert {"out_invoice", "out_refund", "in_invoice", "entry"} <= set(kinds)


def test_invoiced_quantities_come_from_the_invoices(
    records: dict[str, dict[int, dict[str, Any]]],
) -> None:
    items = records["account.move.line"]
    moves = records["account.move"]
    for line in records["sale.order.line"].values():
        invoiced = 0.0
        for item in (items[i] for i in line["invoice_lines"]):
            move_type = moves[item["move_id"][0]]["move_type"]
            invoiced += item["quantity"] if move_type == "out_invoice" else -item["quantity"]
        assert line["qty_invoiced"] == pytest.approx(invoiced)


def test_product_variants_repeat_their_template(
    records: dict[str, dict[int, dict[str, Any]]],
) -> None:
    templates = records["product.template"]
    for product in records["product.product"].values():
        template = templates[product["product_tmpl_id"][0]]
        for name in (
            "name",
            "categ_id",
            "type",
            "is_storable",
            "list_price",
            "uom_id",
            "sale_ok",
            "purchase_ok",
            "taxes_id",
        ):
            assert product[name] == template[name], name


def test_users_are_their_partners(records: dict[str, dict[int, dict[str, Any]]]) -> None:
    partners = records["res.partner"]
    for user in records["res.users"].values():
        partner = partners[user["partner_id"][0]]
        assert (user["name"], user["email"]) == (partner["name"], partner["email"])


# -- server ---------------------------------------------------------------------------------


def test_server_describes_the_demo_database(
    generated: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    dataset, server = generated
    assert server["database"] == "demo"
    assert server["server_version"] == "18.0"
    admin, user = server["users"]
    assert (admin["login"], admin["password"], admin["uid"]) == ("admin", "admin", 2)
    assert re.fullmatch(r"[0-9a-f]{40}", admin["api_key"])
    assert (user["login"], user["password"], user["uid"]) == ("demo", "demo", 6)
    users = {u["id"]: u for u in dataset["res.users"]["records"]}
    assert users[2]["login"] == "admin" and users[6]["login"] == "demo"
    assert users[6]["share"] is False  # an internal (sales) user
    companies = {c["id"]: c["name"] for c in dataset["res.company"]["records"]}
    assert {c["id"]: c["name"] for c in server["companies"]} == companies
    assert demo.generate(100, seed=7, today=TODAY)[1]["users"][0]["api_key"] == admin["api_key"]


# -- speed ------------------------------------------------------------------------------------


def test_generation_time_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    start = time.perf_counter()
    dataset, _server = demo.generate(10_000, seed=1, today=TODAY)
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(
            f"\ndemo.generate(10_000): {elapsed:.2f} s for "
            f"{sum(t['count'] for t in dataset.values())} records"
        )
