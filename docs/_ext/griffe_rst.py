"""Griffe extension: odoo_frames' reST-flavoured docstrings rendered as Markdown.

The package's docstrings are written for people reading the source: ``:class:`X```
roles, ``Example::`` literal blocks, ``>>>`` doctests and simple reST tables. The API
reference renders docstrings as Markdown (``docstring_style: null``), so this extension
rewrites those few constructs when griffe loads each object:

* ``:class:`~odoo_frames.frame.OdooFrame``` -> ```OdooFrame``` (``~`` keeps the last part);
* ``Example::`` plus an indented block -> ``Example:`` plus a fenced Python block;
* a run of ``>>>`` lines and their output -> a fenced ``pycon`` block;
* a reST simple table (``====  ====`` borders) -> a Markdown table;
* ``<`` in prose is escaped, so ``list<int64>`` is not taken for an HTML tag.

Used from mkdocs.yml: ``extensions: [docs/_ext/griffe_rst.py:RstToMarkdown]``.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|mod|attr|data|exc|obj|ref):`(~?)([^`]+)`")
_BORDER = re.compile(r"^\s*=+(\s+=+)+\s*$")


def _role(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    target = target.strip()
    if tilde:
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _literal_blocks(lines: list[str]) -> list[str]:
    """``Title::`` followed by an indented block becomes ``Title:`` and a fenced block."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith("::") and not line.strip().startswith(">>>"):
            base = _indent(line)
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            block_start = j
            while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > base):
                j += 1
            block = lines[block_start:j]
            while block and not block[-1].strip():
                block.pop()
            if block:
                title = line.rstrip()[:-1]
                if title.strip() == ":":
                    title = ""  # a bare "::" paragraph
                if title.strip():
                    out.extend([title, ""])
                body = textwrap.dedent("\n".join(block)).splitlines()
                language = "pycon" if body and body[0].startswith(">>>") else "python"
                if any(b.lstrip().startswith(("[", "default =")) for b in body[:1]):
                    language = "toml"
                pad = " " * base
                out.append(f"{pad}```{language}")
                out.extend(pad + b if b.strip() else "" for b in body)
                out.extend([f"{pad}```", ""])
                i = j
                continue
        out.append(line)
        i += 1
    return out


def _doctests(lines: list[str]) -> list[str]:
    """Bare ``>>>`` runs (outside fences) become fenced ``pycon`` blocks."""
    out: list[str] = []
    fenced = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.lstrip().startswith(">>>"):
            pad = " " * _indent(line)
            block: list[str] = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(pad) :] if lines[i].startswith(pad) else lines[i])
                i += 1
            out.extend([f"{pad}```pycon", *(pad + b for b in block), f"{pad}```"])
            continue
        out.append(line)
        i += 1
    return out


def _tables(lines: list[str]) -> list[str]:
    """reST simple tables (border, header, border, rows, border) -> Markdown tables."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if _BORDER.match(lines[i]):
            border = lines[i]
            spans = [m.span() for m in re.finditer(r"=+", border)]
            end = i + 1
            borders = [i]
            while end < len(lines) and len(borders) < 3:
                if _BORDER.match(lines[end]):
                    borders.append(end)
                elif not lines[end].strip():
                    break
                end += 1
            if len(borders) == 3:
                starts = [start for start, _ in spans]

                def cells(row: str, starts: list[int] = starts) -> list[str]:
                    # Columns run from one border start to the next: text may overflow
                    # its "=" run a little, as it does in the package's tables.
                    ends = [*starts[1:], None]
                    return [row[a:b].strip() for a, b in zip(starts, ends, strict=True)]

                header = cells(lines[borders[0] + 1])
                rows = [cells(r) for r in lines[borders[1] + 1 : borders[2]] if r.strip()]
                out.append("| " + " | ".join(header) + " |")
                out.append("|" + "|".join(" --- " for _ in header) + "|")
                out.extend("| " + " | ".join(r) + " |" for r in rows)
                i = borders[2] + 1
                continue
        out.append(lines[i])
        i += 1
    return out


_CODE_SPAN = re.compile(r"(``.*?``|`[^`]*`)")


def _escape_html(lines: list[str]) -> list[str]:
    """``<`` in prose is literal text (``list<int64>``, ``<id>``), never an HTML tag."""
    out: list[str] = []
    fenced = False
    for line in lines:
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and "<" in line:
            parts = _CODE_SPAN.split(line)
            line = "".join(p if k % 2 else p.replace("<", "&lt;") for k, p in enumerate(parts))
        out.append(line)
    return out


def to_markdown(text: str) -> str:
    """The docstring ``text`` with the reST constructs above rewritten as Markdown."""
    text = _ROLE.sub(_role, text)
    lines = text.splitlines()
    lines = _tables(lines)
    lines = _literal_blocks(lines)
    lines = _doctests(lines)
    lines = _escape_html(lines)
    return "\n".join(lines)


class RstToMarkdown(griffe.Extension):
    """Rewrite each loaded docstring once, before mkdocstrings parses and renders it."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value)
