"""Bad input on the command line: one line on stderr, exit code 2, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from odoo_frames.cli import main

REPO = Path(__file__).resolve().parents[2]


def run_main(args: list[str], capsys: Any) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.err


def assert_one_line_error(err: str, *words: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("odoo-frames: error: "), err
    for word in words:
        assert word in lines[0], err


BAD_EXPORTS = {
    "unknown model": (["res.partnr"], ["no model 'res.partnr'", "did you mean 'res.partner'"]),
    "query syntax": (["res.partner", "--where", "is_company =="], ["cannot use query"]),
    "unknown field in query": (
        ["res.partner", "--where", "is_compny == True"],
        ["no field 'is_compny'", "'is_company'"],
    ),
    "wrong value type": (["res.partner", "--where", "is_company == 'maybe'"], ["is_company"]),
    "unknown selection value": (["sale.order", "--where", "state == 'won'"], ["'won'"]),
    "unknown column": (["res.partner", "--fields", "name,emial"], ["no field 'emial'", "'email'"]),
    "empty field list": (["res.partner", "--fields", " , "], ["--fields"]),
    "negative limit": (["res.partner", "--limit", "-1"], ["--limit"]),
}


@pytest.mark.parametrize("case", list(BAD_EXPORTS))
def test_bad_export_writes_nothing(
    case: str, sandbox_env: dict[str, str], tmp_path: Path, capsys: Any
) -> None:
    args, words = BAD_EXPORTS[case]
    out = tmp_path / "out.csv"
    code, err = run_main(["export", *args, "--to", str(out)], capsys)
    assert code == 2
    assert_one_line_error(err, *words)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("missing-dir/out.csv", ["does not exist"]),
        ("out.xlsx", ["must end with .csv, .parquet"]),
        ("a-directory.csv", ["is a directory"]),
    ],
)
def test_unusable_output_path(
    target: str, words: list[str], sandbox_env: dict[str, str], tmp_path: Path, capsys: Any
) -> None:
    (tmp_path / "a-directory.csv").mkdir()
    code, err = run_main(["export", "res.partner", "--to", str(tmp_path / target)], capsys)
    assert code == 2
    assert_one_line_error(err, *words)
    assert [p.name for p in tmp_path.iterdir()] == ["a-directory.csv"]
    assert list((tmp_path / "a-directory.csv").iterdir()) == []


def test_read_only_directory(sandbox_env: dict[str, str], tmp_path: Path, capsys: Any) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK) and Path("/proc/self").is_dir():
            locked = Path("/proc")  # root writes anywhere on disk, but not into /proc
        code, err = run_main(["export", "res.partner", "--to", str(locked / "out.csv")], capsys)
    finally:
        (tmp_path / "locked").chmod(0o700)
    assert code == 2
    assert_one_line_error(err, "is not writable")
    assert list((tmp_path / "locked").iterdir()) == []


def test_a_failed_export_keeps_the_previous_file(
    sandbox_env: dict[str, str], tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "out.csv"
    out.write_text("previous export\n")
    code, _ = run_main(["export", "res.partner", "--where", "nme == 'x'", "--to", str(out)], capsys)
    assert code == 2
    assert out.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no partial file left


def test_a_server_failure_mid_export_leaves_no_partial_file(
    sandbox_env: dict[str, str], tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    def broken_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq, "write_table", broken_disk)
    out = tmp_path / "out.parquet"
    code, err = run_main(["export", "res.partner", "--to", str(out)], capsys)
    assert code == 2
    assert_one_line_error(err, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_unknown_model_for_fields(sandbox_env: dict[str, str], capsys: Any) -> None:
    code, err = run_main(["fields", "sale.ordr"], capsys)
    assert code == 2
    assert_one_line_error(err, "no model 'sale.ordr'", "'sale.order'")


def test_no_connection_settings(tmp_path: Path, capsys: Any) -> None:
    code, err = run_main(["export", "res.partner", "--to", str(tmp_path / "x.csv")], capsys)
    assert code == 2
    assert_one_line_error(err, "no Odoo URL")
    assert list(tmp_path.iterdir()) == []


def test_wrong_password_is_one_line_and_no_secret(
    sandbox_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Path
) -> None:
    monkeypatch.setenv("ODOO_PASSWORD", "not-the-password-123")
    code, err = run_main(["fields", "res.partner"], capsys)
    assert code == 1  # the server refused: not a mistake in the command itself
    assert_one_line_error(err, "refused")
    assert "not-the-password-123" not in err


def test_usage_errors_exit_2_from_a_shell(tmp_path: Path) -> None:
    """argparse's own errors (a missing --to) also exit 2, through the real entry point."""
    result = subprocess.run(
        [sys.executable, "-m", "odoo_frames.cli", "export", "res.partner"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert result.returncode == 2
    assert "--to" in result.stderr
    assert list(tmp_path.iterdir()) == []
