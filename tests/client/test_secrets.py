"""Passwords and API keys never appear in reprs, logs, exception texts or tracebacks.

A sandbox with a distinctive admin password (and the demo API key) is driven through
successes and failures on every protocol; everything the library shows is scanned.
"""

from __future__ import annotations

import copy
import logging
import pickle
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import odoo_frames as of
from odoo_frames import errors
from odoo_frames._secrets import MASK, MaskedText, Secret, redact

from .conftest import FAST_RETRY
from .servers import FaultProxy, Stall

PASSWORD = "Pw-7f3c9e1a-Unique"
WRONG_PASSWORD = "Wrong-2b8d41c7-Guess"
WRONG_KEY = "f" * 40
PACKAGE = str(Path(of.__file__).parent)
SANDBOX = str(Path(of.__file__).parent / "sandbox")


def test_secret_value_is_masked() -> None:
    secret = Secret("abc-secret")
    assert repr(secret) == "Secret('********')" and str(secret) == MASK and f"{secret}" == MASK
    assert secret.reveal() == "abc-secret"
    assert repr({"Cookie": MaskedText("session_id=abc-secret")}) == "{'Cookie': '********'}"
    assert redact("the key abc-secret leaked", [secret]) == "the key ******** leaked"
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(secret)


def _sandbox_with_password(version: str) -> Any:
    """A sandbox whose admin password is PASSWORD (the demo data says "admin")."""
    from odoo_frames.sandbox import Sandbox, demo
    from odoo_frames.sandbox.core import SandboxCore

    dataset, server = demo.generate(50, seed=0)
    server = copy.deepcopy(server)
    for user in server["users"]:
        if user["login"] == "admin":
            user["password"] = PASSWORD
    return Sandbox(SandboxCore.from_dataset(dataset, server, version), server)


@pytest.fixture(scope="module")
def boxes() -> Iterator[dict[str, Any]]:
    started = {version: _sandbox_with_password(version) for version in ("18.0", "19.0")}
    yield started
    for box in started.values():
        box.stop()


def _frames_locals(exc: BaseException) -> list[str]:
    """Reprs of the locals of odoo_frames' own frames in the traceback (chained ones too).

    What ``traceback.TracebackException(capture_locals=True)``, rich or pytest
    ``--showlocals`` would print for those frames.
    """
    texts: list[str] = []
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            filename = frame.f_code.co_filename
            if filename.startswith(PACKAGE) and not filename.startswith(SANDBOX):
                texts.extend(f"{name}={value!r}" for name, value in frame.f_locals.items())
            tb = tb.tb_next
        todo.extend([current.__cause__, current.__context__])
    return texts


def _texts_of(exc: BaseException, *, with_locals: bool = True) -> list[str]:
    texts = [
        str(exc),
        repr(exc),
        "".join(traceback.format_exception(exc)),
        *[str(v) for v in vars(exc).values()],
    ]
    return texts + _frames_locals(exc) if with_locals else texts


def test_no_secret_anywhere(boxes: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    shown: list[str] = []
    box18, box19 = boxes["18.0"], boxes["19.0"]
    secrets = [PASSWORD, WRONG_PASSWORD, WRONG_KEY, box18.api_key, box19.api_key]

    def expect_failure(action: Any, *args: Any, with_locals: bool = True, **kwargs: Any) -> None:
        try:
            action(*args, **kwargs)
        except errors.OdooError as exc:
            shown.extend(_texts_of(exc, with_locals=with_locals))
        else:  # pragma: no cover
            raise AssertionError("the action should have failed")

    clients = []
    for protocol in ("web", "jsonrpc", "xmlrpc"):
        odoo = of.connect(
            url=box18.url,
            db=box18.db,
            user="admin",
            password=PASSWORD,
            protocol=protocol,
            retry=FAST_RETRY,
        )
        clients.append(odoo)
        clients.append(
            of.connect(
                url=box18.url, db=box18.db, user="admin", api_key=box18.api_key, protocol="jsonrpc"
            )
        )
        expect_failure(
            of.connect,
            url=box18.url,
            db=box18.db,
            user="admin",
            password=WRONG_PASSWORD,
            protocol=protocol,
        )
        expect_failure(
            of.connect, url=box18.url, db="nope", user="admin", password=PASSWORD, protocol=protocol
        )
        expect_failure(odoo.call, "res.partner", "write", [999999], {"name": "x"})
        # The server echoes the arguments in its message and traceback: masked there too.
        # (The caller's own arguments are in the caller's frames: locals not checked.)
        expect_failure(
            odoo.call,
            "res.partner",
            "search",
            [("no_such_field", "=", PASSWORD)],
            with_locals=False,
        )
        expect_failure(odoo.call, "no.such.model", "search", [])
        expect_failure(odoo.__getitem__, "res.partnr")
    json2 = of.connect(url=box19.url, db=box19.db, api_key=box19.api_key, user="admin")
    clients.append(json2)
    expect_failure(of.connect, url=box19.url, db=box19.db, api_key=WRONG_KEY, protocol="json2")
    expect_failure(json2.call, "res.partner", "write", [999999], {"name": "x"})
    expect_failure(
        json2.call,
        "res.partner",
        "search",
        [("no_such_field", "=", box19.api_key)],
        with_locals=False,
    )
    expect_failure(of.connect, url="ftp://x", user="admin", password=PASSWORD)
    with FaultProxy(box18.url) as proxy:
        for protocol in ("web", "jsonrpc", "xmlrpc"):
            odoo = of.connect(
                url=proxy.url,
                db=box18.db,
                user="admin",
                password=PASSWORD,
                protocol=protocol,
                timeout=(5, 0.3),
                retry=FAST_RETRY,
            )
            proxy.inject("drop")
            expect_failure(odoo.call, "res.partner", "create", {"name": "x"})
            proxy.inject(Stall(0.6))
            expect_failure(odoo.call, "res.partner", "search_count", [])
            proxy.inject(503, 503, 503, 503)
            expect_failure(odoo.call, "res.partner", "search_count", [])
    for client in clients:
        shown += [
            repr(client),
            str(client),
            repr(client.settings),
            repr(client.transport),
            repr(client.transport.http),
        ]
    logs = [
        record.getMessage() + repr(record.args)
        for record in caplog.records
        if not record.name.startswith("odoo_frames.sandbox")
        and not record.name.startswith("werkzeug")
    ]
    assert any("odoo_frames" in record.name for record in caplog.records)
    assert len(shown) > 100
    # The frames that hold credentials were inspected, and showed them masked.
    assert any("Secret('********')" in text for text in shown)
    assert any("<request body, " in text for text in shown)
    assert any(
        "'Authorization': '********'" in text or "'Cookie': '********'" in text for text in shown
    )
    for secret in secrets:
        for text in [*shown, *logs]:
            assert secret not in text, f"secret found in: {text[:300]}"
