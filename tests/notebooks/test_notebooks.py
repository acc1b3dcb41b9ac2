"""The notebooks in ``notebooks/`` run top to bottom, and are kept without outputs.

Each notebook starts its own sandbox, so executing it needs nothing but this checkout:
the kernel is the ``python3`` kernel of the running interpreter (ipykernel), started in
``notebooks/`` with this checkout first on ``PYTHONPATH``. A failing cell fails the
test with the cell's source and the traceback.

Run them alone with::

    python -m pytest tests/notebooks -v
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip(
    "nbformat", reason="notebook execution needs the test extra: pip install -e '.[test]'"
)
nbclient = pytest.importorskip(
    "nbclient", reason="notebook execution needs the test extra: pip install -e '.[test]'"
)
pytest.importorskip(
    "ipykernel", reason="notebook execution needs the test extra: pip install -e '.[test]'"
)

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

#: Seconds one cell may run; the notebooks use small sandbox scales and take seconds.
CELL_TIMEOUT = 120

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _read(path: Path) -> Any:
    return nbformat.read(path, as_version=4)


def test_every_notebook_is_found() -> None:
    names = [path.stem for path in NOTEBOOKS]
    assert names == ["01-quickstart", "02-reporting", "03-cleanup", "04-integration-patterns"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    """Outputs are stripped in git: diffs stay readable and no data is committed."""
    notebook = _read(path)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"{path.name}: cell {index} has outputs; strip them"
        assert cell.execution_count is None, f"{path.name}: cell {index} has an execution count"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path) -> None:
    notebook = _read(path)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["IPYTHONDIR"] = str(tmp_path / "ipython")  # no history or profile outside the test
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    started = time.perf_counter()
    failure = ""
    try:
        client.execute(env=env)
    except nbclient.exceptions.CellExecutionError as error:
        failure = _ANSI.sub("", str(error))  # IPython colours its tracebacks
    if failure:
        pytest.fail(f"{path.name} failed:\n{failure}", pytrace=False)
    print(f"{path.name}: {time.perf_counter() - started:.1f} s")
