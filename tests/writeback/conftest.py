"""Fixtures of the write-back tests: one 18.0 sandbox, reset before every test.

* ``box`` has 10,090 active partners (scale 10,500), so that 10,000 rows can be edited;
  it is reset before each test (``box.reset()`` takes a few milliseconds).
* ``spy`` records every RPC the client sends (``client.call``): "no RPC sent".
* ``server_log`` records, inside the sandbox, every ``write`` / ``create`` / ``unlink``
  that the server *executed* (also when the answer never reached the client): "no row
  written twice". It wraps the sandbox core's call dispatch on the instance (test-only,
  nothing in the sandbox changes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pytest

import odoo_frames as of
from tests._sandbox_fixtures import CallSpy, install_spy, running_sandbox

SCALE = 10_500
DATA_METHODS = ("write", "create", "unlink")


@pytest.fixture(scope="session")
def box() -> Iterator[Any]:
    yield from running_sandbox(version="18.0", scale=SCALE)


@pytest.fixture(scope="session")
def session_odoo(box: Any) -> of.Client:
    return box.connect()


@pytest.fixture
def odoo(box: Any, session_odoo: of.Client) -> of.Client:
    """The admin client, on data as generated (the sandbox is reset before each test)."""
    box.reset()
    return session_odoo


@pytest.fixture(params=["pandas", "polars"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def read(frame: Any, backend: str) -> Any:
    """The frame as a DataFrame of the backend under test."""
    return frame.to_polars() if backend == "polars" else frame.to_pandas()


def as_pandas(df: Any) -> pd.DataFrame:
    return df if isinstance(df, pd.DataFrame) else df.to_pandas()


@pytest.fixture
def spy(odoo: of.Client, monkeypatch: pytest.MonkeyPatch) -> CallSpy:
    """Every RPC of ``odoo`` during the test."""
    return install_spy(odoo, monkeypatch)


@dataclass
class ServerLog:
    """Data-changing calls the sandbox executed successfully."""

    calls: list[tuple[str, str, int]] = field(default_factory=list)  # model, method, size
    written: Counter[tuple[str, int]] = field(default_factory=Counter)  # (model, id) -> writes
    created: list[tuple[str, int]] = field(default_factory=list)
    deleted: Counter[tuple[str, int]] = field(default_factory=Counter)

    def count(self, model: str, method: str) -> int:
        return sum(1 for m, name, _ in self.calls if m == model and name == method)

    def written_ids(self, model: str) -> set[int]:
        return {rid for (m, rid) in self.written if m == model}

    def max_writes(self, model: str) -> int:
        return max((n for (m, _), n in self.written.items() if m == model), default=0)

    def clear(self) -> None:
        self.calls.clear()
        self.written.clear()
        self.created.clear()
        self.deleted.clear()


@pytest.fixture
def server_log(box: Any, monkeypatch: pytest.MonkeyPatch) -> ServerLog:
    """Install a recorder around the sandbox core's method dispatch (``_call_kw``)."""
    core = box._service
    original = core._call_kw
    log = ServerLog()

    def recording(env: Any, model: str, name: str, args: Any, kwargs: Any) -> Any:
        result = original(env, model, name, args, kwargs)
        if name in DATA_METHODS:  # only reached when the call succeeded
            if name == "create":
                new_ids = result if isinstance(result, list) else [result]
                log.calls.append((model, name, len(new_ids)))
                log.created.extend((model, int(i)) for i in new_ids)
            else:
                ids = list(args[0]) if isinstance(args[0], list | tuple) else [args[0]]
                log.calls.append((model, name, len(ids)))
                target = log.written if name == "write" else log.deleted
                for rid in ids:
                    target[(model, int(rid))] += 1
        return result

    monkeypatch.setattr(core, "_call_kw", recording)
    return log


def partner_ids(odoo: of.Client, n: int) -> list[int]:
    """The first ``n`` active partners by id."""
    return list(odoo.call("res.partner", "search", [], order="id", limit=n))


def partners(odoo: of.Client, ids: list[int], columns: list[str]) -> Any:
    frame = odoo["res.partner"]
    return frame[frame.id.isin(ids)][columns]


def server_values(
    odoo: of.Client, model: str, ids: list[int], fields: list[str]
) -> dict[int, dict[str, Any]]:
    rows = odoo.call(
        model, "search_read", [("id", "in", ids)], fields=fields, context={"active_test": False}
    )
    return {r["id"]: r for r in rows}
