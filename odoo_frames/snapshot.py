"""What a frame remembers about the rows it read: model, ids, ``write_date`` of each.

Write-back needs to know, for an edited DataFrame, which model it came from and how
each record looked on the server when it was read, to report records changed since
as conflicts instead of overwriting them. A :class:`Snapshot` carries that:

* pandas: in ``df.attrs["odoo"]`` (pandas copies ``attrs`` along most operations;
  the snapshot is immutable, so copying it is free);
* polars: frames have no attrs; :func:`snapshot_of` finds the snapshot of a frame
  returned by ``to_polars()`` through a weak registry (derived frames lose it: pass
  ``model=`` to ``diff`` or keep the original frame as ``before``).

Example::

    before = odoo["res.partner"][["name", "email"]].to_pandas()
    snapshot_of(before).model          # 'res.partner'
    snapshot_of(before).write_dates[7] # '2026-11-27 13:20:05'
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

ATTRS_KEY = "odoo"


@dataclass(frozen=True)
class Snapshot:
    """The origin of a DataFrame read from Odoo."""

    model: str
    ids: tuple[int, ...]
    write_dates: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    columns: tuple[str, ...] = ()
    domain: tuple[Any, ...] = ()
    server: str = ""

    def __deepcopy__(self, memo: dict[int, Any]) -> Snapshot:
        return self  # immutable: pandas may deep-copy attrs on every operation

    def __copy__(self) -> Snapshot:
        return self

    def __repr__(self) -> str:
        return f"Snapshot(model={self.model!r}, rows={len(self.ids)}, server={self.server!r})"

    # dict-like access, so df.attrs["odoo"]["model"] reads naturally
    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


_POLARS: dict[int, tuple[weakref.ref[Any], Snapshot]] = {}


def attach(frame: Any, snapshot: Snapshot) -> None:
    """Remember ``snapshot`` for a pandas or polars DataFrame."""
    attrs = getattr(frame, "attrs", None)
    if isinstance(attrs, dict):
        attrs[ATTRS_KEY] = snapshot
        return
    key = id(frame)

    def forget(_: Any, key: int = key) -> None:
        _POLARS.pop(key, None)

    _POLARS[key] = (weakref.ref(frame, forget), snapshot)


def snapshot_of(frame: Any) -> Snapshot | None:
    """The snapshot of a frame read from Odoo, or None."""
    attrs = getattr(frame, "attrs", None)
    if isinstance(attrs, dict):
        found = attrs.get(ATTRS_KEY)
        return found if isinstance(found, Snapshot) else None
    entry = _POLARS.get(id(frame))
    if entry is not None and entry[0]() is frame:
        return entry[1]
    return None
