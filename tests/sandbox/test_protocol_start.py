"""``odoo_frames.sandbox.start()``, the ``Sandbox`` handle and the command line, with the real core."""

from __future__ import annotations

import signal
import subprocess
import sys
import xmlrpc.client
from typing import Any

import pytest
import requests

import odoo_frames
from odoo_frames.cli import main
from odoo_frames.sandbox import Sandbox, start
from tests.conformance.replay import reference_dir

REFERENCE = reference_dir()
REFERENCE_KEY = "5e3d5d4901f42bb465d4a618f2de967b6b0687a8"
needs_reference = pytest.mark.skipif(
    not (REFERENCE / "dataset.json").exists(), reason="reference recordings not available"
)


@pytest.fixture(scope="module")
def box() -> Any:
    with start(version="18.0", data=REFERENCE / "dataset.json") as box:
        yield box


@needs_reference
def test_start_with_the_reference_dataset(box: Sandbox) -> None:
    assert box.url.startswith("http://127.0.0.1:")
    assert (box.db, box.login, box.password, box.api_key) == (
        "ref",
        "admin",
        "admin",
        REFERENCE_KEY,
    )
    assert box.version == "18.0"
    common = xmlrpc.client.ServerProxy(f"{box.url}/xmlrpc/2/common")
    assert common.version()["server_version"] == "18.0"
    assert common.login("ref", "admin", REFERENCE_KEY) == 2


@needs_reference
def test_the_repr_shows_no_secret(box: Sandbox) -> None:
    text = repr(box)
    assert box.url in text and "'ref'" in text
    assert "password" not in text and "api_key" not in text
    assert REFERENCE_KEY not in text
    assert REFERENCE_KEY in box.banner()  # the command line prints it on purpose


@needs_reference
def test_reset_restores_the_data(box: Sandbox) -> None:
    models = xmlrpc.client.ServerProxy(f"{box.url}/xmlrpc/2/object")

    def phone() -> Any:
        return models.execute_kw("ref", 2, "admin", "res.partner", "read", [[15], ["phone"]])

    before = phone()
    models.execute_kw("ref", 2, "admin", "res.partner", "write", [[15], {"phone": "+1 555"}])
    assert phone()[0]["phone"] == "+1 555"
    box.reset()
    assert phone() == before


def test_demo_data_and_stop() -> None:
    with start(scale=50) as box:
        url = box.url
        assert (box.db, box.login, box.password) == ("demo", "admin", "admin")
        assert box.api_key
        answer = requests.post(f"{url}/jsonrpc", json={"jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"service": "common", "method": "login",
                       "args": ["demo", "admin", box.api_key]}}).json()  # fmt: skip
        assert answer["result"] == 2
    assert "stopped" in repr(box)
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)
    box.stop()  # stopping twice is fine


def test_odoo_19_serves_json_2() -> None:
    with start("19.0", scale=50) as box:
        assert requests.get(f"{box.url}/web/version").json()["version"] == "19.0"
        response = requests.post(
            f"{box.url}/json/2/res.partner/search_count",
            json={"domain": []},
            headers={"Authorization": f"bearer {box.api_key}", "X-Odoo-Database": box.db},
        )
        assert response.status_code == 200
        assert isinstance(response.json(), int)


def test_scale_and_data_are_exclusive() -> None:
    with pytest.raises(ValueError, match="not both"):
        start(scale=50, data="dataset.json")


def test_connect_logs_in_as_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(odoo_frames, "connect", lambda **kw: seen.update(kw) or "client")
    with start(scale=50) as box:
        assert box.connect(timeout=5) == "client"
    assert seen == {"url": box.url, "db": "demo", "user": "admin", "password": "admin",
                    "timeout": 5}  # fmt: skip


def test_the_command_line_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "odoo_frames.sandbox", "--port", "0", "--scale", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        banner = "".join(lines)
        url = next(line.split()[-1] for line in lines if "URL:" in line)
        assert "database:  demo" in banner and "admin / admin" in banner and "API key:" in banner
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        assert common.version()["server_serie"] == "18.0"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "sandbox stopped" in out


def test_the_command_without_sub_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "sandbox" in capsys.readouterr().err
