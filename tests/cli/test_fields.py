"""``odoo-frames fields MODEL``: the schema as a text table, and the table formatter."""

from __future__ import annotations

from typing import Any

from odoo_frames.cli import format_table, main


def test_fields_lists_stored_fields_with_types(sandbox_env: dict[str, str], capsys: Any) -> None:
    assert main(["fields", "sale.order"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("sale.order: ") and "--all shows them" in lines[0]
    assert lines[1].split() == ["field", "type", "relation", "/", "values", "label", "flags"]
    rows = {line.split()[0]: line for line in lines[3:]}
    assert rows["amount_total"].split()[1] == "monetary"
    assert "res.partner" in rows["partner_id"] and "required" in rows["partner_id"]
    assert "draft, sent, sale, cancel" in rows["state"]
    assert "display_name" not in rows  # not stored: only with --all


def test_fields_all_shows_computed_fields(sandbox_env: dict[str, str], capsys: Any) -> None:
    assert main(["fields", "res.partner", "--all"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines()[3:]}
    assert "computed" in rows["display_name"]
    assert "--all" not in out.splitlines()[0]


def test_format_table_aligns_numbers_and_text() -> None:
    text = format_table(
        ["name", "orders", "revenue", "note"],
        [["Acme", 3, 1234.5, None], ["Beta\nLtd", 12, 7.0, "x" * 80]],
        max_width=10,
    )
    assert text.splitlines() == [
        "name      orders   revenue  note",
        "--------  ------  --------  ----------",
        "Acme           3  1,234.50",
        "Beta Ltd      12      7.00  xxxxxxxxx…",
    ]
