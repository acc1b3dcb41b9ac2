"""TLS: verification on by default, a custom CA bundle, verify=False on request."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import odoo_frames as of
from odoo_frames import errors

from .servers import CannedServer

VERSION_19 = json.dumps({"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}).encode()
ROUTES = {
    "/web/version": (200, {"Content-Type": "application/json"}, VERSION_19),
    "/json/2/res.users/context_get": (200, {"Content-Type": "application/json"}, b'{"uid": 2}'),
}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


def test_unknown_certificate_is_refused_by_default(certificate: tuple[str, str]) -> None:
    with CannedServer(ROUTES, tls=certificate) as server:
        with pytest.raises(
            errors.ConnectError, match=r"TLS failure .* verify='/path/to/ca-bundle.pem'"
        ) as info:
            of.connect(url=server.url, db="x", api_key="k" * 40)
        assert not info.value.transient


def test_custom_ca_bundle(certificate: tuple[str, str]) -> None:
    with CannedServer(ROUTES, tls=certificate) as server:
        odoo = of.connect(url=server.url, db="x", api_key="k" * 40, verify=certificate[0])
        assert odoo.protocol == "json2" and odoo.url.startswith("https://")
        assert odoo.settings.verify == str(Path(certificate[0]))


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_verification_can_be_turned_off(certificate: tuple[str, str]) -> None:
    with CannedServer(ROUTES, tls=certificate) as server:
        assert of.connect(url=server.url, db="x", api_key="k" * 40, verify=False).uid == 2
