"""The documentation site builds with ``mkdocs build --strict``.

Strict mode turns every warning into a failure: a page missing from the nav, a broken
link between pages, an API reference entry (``::: odoo_frames.x``) naming something that
does not exist, a docstring griffe cannot read. The site is built into a temporary
directory; the checkout is left as it was.

Needs the docs extra (``pip install -e ".[docs]"``); skipped, saying so, without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip(
    "mkdocs", reason="mkdocs is not installed: pip install -e '.[docs]' to build the docs"
)
pytest.importorskip("material", reason="mkdocs-material is not installed: pip install -e '.[docs]'")
pytest.importorskip(
    "mkdocstrings_handlers.python",
    reason="mkdocstrings[python] is not installed: pip install -e '.[docs]'",
)


@pytest.mark.timeout(300)
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["NO_MKDOCS_2_WARNING"] = "1"  # mkdocs-material's banner about MkDocs 2.0
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-6000:]}"
    # The pages the issue asks for, and an API reference page rendered by mkdocstrings.
    for page in (
        "index.html",
        "getting-started/index.html",
        "concepts/lazy-frames/index.html",
        "concepts/filters/index.html",
        "concepts/groupby/index.html",
        "connecting/index.html",
        "sandbox/index.html",
        "recipes/index.html",
        "reference/frame/index.html",
    ):
        assert (site / page).is_file(), f"the site has no {page}"
    frame_page = (site / "reference/frame/index.html").read_text(encoding="utf-8")
    assert "to_pandas" in frame_page, "the OdooFrame reference lists no to_pandas"
    shutil.rmtree(site)


def test_every_page_is_in_the_nav() -> None:
    """mkdocs only reports pages missing from the nav at INFO level; catch them here."""
    import yaml  # mkdocs' own dependency

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    listed: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            listed.add(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(config["nav"])
    docs = ROOT / "docs"
    pages = {
        path.relative_to(docs).as_posix()
        for path in docs.rglob("*.md")
        if not path.relative_to(docs).parts[0].startswith("_")
    }
    assert sorted(pages - listed) == [], "pages missing from the nav of mkdocs.yml"
