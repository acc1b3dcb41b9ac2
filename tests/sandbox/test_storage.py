"""The SQLite storage: loading the reference format, sequences, transactions, snapshots."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from odoo_frames.sandbox import demo
from odoo_frames.sandbox.registry import Registry
from odoo_frames.sandbox.storage import Database

from .core_support import load_reference


@pytest.fixture(scope="module")
def reference() -> tuple[dict[str, Any], dict[str, Any]]:
    return load_reference()


@pytest.fixture
def db(reference: tuple[dict[str, Any], dict[str, Any]]) -> Database:
    dataset, server = reference
    return Database.from_dataset(dataset, server)


def test_every_record_of_the_dataset_is_loaded(db: Database, reference: Any) -> None:
    dataset, _ = reference
    for model, info in dataset.items():
        table = db.registry[model].table
        (count,) = db.conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
        assert count == info["count"], model


def test_values_are_stored_in_column_format(db: Database) -> None:
    row = db.conn.execute(
        "SELECT name, country_id, parent_id, active, customer_rank, ref FROM res_partner WHERE id = 10"
    ).fetchone()
    # many2one [233, "United States"] -> 233, False -> NULL, booleans 0/1, numbers as given
    assert row == ("Deco Addict", 233, None, 1, 8, None)


def test_many2many_lists_fill_one_shared_relation_table(db: Database) -> None:
    rows = db.conn.execute(
        "SELECT category_id FROM res_partner_res_partner_category_rel WHERE partner_id = 12 "
        "ORDER BY category_id"
    ).fetchall()
    assert rows == [(6,), (7,)]


def test_log_uids_default_to_odoobot_when_the_dataset_has_none(db: Database) -> None:
    row = db.conn.execute("SELECT create_uid, write_uid FROM res_partner WHERE id = 10").fetchone()
    assert row == (1, 1)


def test_zeros_known_to_be_null_in_the_reference_database(db: Database) -> None:
    (sequence,) = db.conn.execute("SELECT sequence FROM res_company WHERE id = 1").fetchone()
    (probability,) = db.conn.execute("SELECT probability FROM crm_lead WHERE id = 1").fetchone()
    assert sequence is None and probability is None


def test_sequences_follow_next_id_and_are_not_rolled_back(db: Database) -> None:
    assert db.peek_id("res.partner") == 44
    with pytest.raises(RuntimeError), db.transaction():
        assert db.next_id("res.partner") == 44
        raise RuntimeError("boom")
    assert db.next_id("res.partner") == 45


def test_a_failing_transaction_changes_nothing(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError), db.transaction() as cr:
        cr.execute("UPDATE res_partner SET name = 'changed' WHERE id = 10")
        cr.execute("INSERT INTO res_partner (id) VALUES (10)")
    (name,) = db.conn.execute("SELECT name FROM res_partner WHERE id = 10").fetchone()
    assert name == "Deco Addict"


def test_reset_restores_records_and_sequences(db: Database) -> None:
    with db.transaction() as cr:
        cr.execute("DELETE FROM res_partner WHERE id = 10")
    db.next_id("res.partner")
    db.reset()
    assert db.conn.execute("SELECT COUNT(*) FROM res_partner WHERE id = 10").fetchone() == (1,)
    assert db.peek_id("res.partner") == 44


def test_nested_transactions_join_the_outer_one(db: Database) -> None:
    with pytest.raises(ValueError), db.transaction() as cr:
        with db.transaction() as inner:
            inner.execute("UPDATE res_partner SET name = 'x' WHERE id = 10")
        cr.execute("SELECT 1")
        raise ValueError
    (name,) = db.conn.execute("SELECT name FROM res_partner WHERE id = 10").fetchone()
    assert name == "Deco Addict"


def test_demo_data_loads_with_the_same_loader() -> None:
    dataset, server = demo.generate(demo.MIN_SCALE if hasattr(demo, "MIN_SCALE") else 100, seed=3)
    db = Database.from_dataset(dataset, server, Registry.load())
    assert db.name == server["database"]
    for model in ("res.partner", "sale.order", "sale.order.line"):
        table = db.registry[model].table
        (count,) = db.conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
        assert count == dataset[model]["count"]
