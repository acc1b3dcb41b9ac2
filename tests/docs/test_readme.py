"""The README's taste of the API runs as written (on a smaller sandbox)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_taste_of_the_api_runs() -> None:
    blocks = python_blocks(README.read_text("utf-8"))
    assert blocks, "README.md has no python example"
    code = blocks[0].replace("scale=10_000", "scale=300")
    namespace: dict[str, object] = {}
    try:
        exec(compile(code, str(README), "exec"), namespace)
        domain = namespace["big"].domain  # type: ignore[attr-defined]
        assert repr(domain) == "['&', ('state', '=', 'sale'), ('amount_total', '>', 1000)]"
    finally:
        box = namespace.get("box")
        if box is not None:
            box.stop()  # type: ignore[attr-defined]
