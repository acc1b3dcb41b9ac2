"""``explore(odoo)``: browse models, build a filter, preview rows and chart a groupby.

One panel, four parts that follow each other:

* a model picker with type-ahead (``model_picker``, an ipywidgets Combobox);
* the model's fields with their types (``fields``);
* the filter builder (``filters``, see :mod:`odoo_frames.widgets.filters`) with the live
  domain (``domain``) and record count (``count``, one ``search_count``);
* a preview of the first rows (``preview``, one ``search_read`` with a limit) and a
  groupby chart (``group_by``, ``measure`` -> one read_group, drawn in ``chart``).

:attr:`Explorer.frame` is the filtered OdooFrame, ready for ``to_pandas()``;
:attr:`Explorer.grouped` the GroupedFrame behind the chart. Errors (a model that does
not exist, a server refusal) show in ``message`` instead of escaping from callbacks.

Example (in a notebook)::

    from odoo_frames.widgets import explore

    ex = explore(odoo, "res.partner")
    ex                                   # the panel
    ex.filters.add("is_company", "=", True)
    ex.frame.to_pandas()                 # what the panel shows, as a DataFrame
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any

from .filters import FilterBuilder

if TYPE_CHECKING:
    import pandas as pd

    from ..frame import OdooFrame
    from ..groupby import GroupedFrame
    from ..schema import FieldSpec, ModelSchema

__all__ = ["Explorer", "chart_png", "fields_html", "preview_html"]

#: Columns the preview shows besides the ones filtered on.
PREVIEW_COLUMNS = 8
#: Groups the chart draws at most (the largest ones; date buckets in time order).
CHART_GROUPS = 24

_GROUP_TYPES = ("many2one", "selection", "boolean", "char", "date", "datetime", "integer")
_NO_GROUP = "(none)"
_COUNT = "count"
_BOX = "max-height:{h}px;overflow:auto;border:1px solid #ddd;padding:2px"


class Explorer:
    """The panel of :func:`explore`; every part is an attribute, for code and tests."""

    def __init__(self, odoo: Any, model: str | None = None, *, rows: int = 10) -> None:
        import ipywidgets as w

        self.odoo = odoo
        self.rows = rows
        self._base: OdooFrame | None = None
        self._grouped: GroupedFrame | None = None
        self.last_count: int | None = None
        self.last_preview: pd.DataFrame | None = None
        self.last_groups: pd.DataFrame | None = None

        self.model_picker = w.Combobox(
            placeholder="type a model, e.g. res.partner",
            options=tuple(odoo.model_names()),
            ensure_option=False,
            description="Model",
            continuous_update=False,
        )
        self.count = w.HTML()
        self.message = w.HTML()
        self.fields = w.HTML()
        self.domain = w.HTML()
        self.preview = w.HTML()
        self.group_by = w.Dropdown(description="Group by", options=[_NO_GROUP])
        self.measure = w.Dropdown(description="Measure", options=[_COUNT])
        self.chart = w.Image(format="png")
        self.groups = w.HTML()
        self.filters: FilterBuilder | None = None
        self._filters_box = w.VBox([])
        self.tabs = w.Tab(
            children=[
                w.VBox([self._filters_box, self.domain, self.preview]),
                self.fields,
                w.VBox([w.HBox([self.group_by, self.measure]), self.chart, self.groups]),
            ]
        )
        for index, title in enumerate(("Filter and preview", "Fields", "Group by")):
            self.tabs.set_title(index, title)
        self.widget = w.VBox([w.HBox([self.model_picker, self.count]), self.message, self.tabs])

        self.model_picker.observe(lambda change: self.choose(change["new"]), names="value")
        self.group_by.observe(lambda _: self._refresh_chart(), names="value")
        self.measure.observe(lambda _: self._refresh_chart(), names="value")
        if model:
            self.model_picker.value = model  # observe() calls choose()

    # -- what it shows, as objects -------------------------------------------------------

    @property
    def model(self) -> str | None:
        return self._base.model if self._base is not None else None

    @property
    def frame(self) -> OdooFrame | None:
        """The base frame with the filter builder's conditions: an ordinary OdooFrame."""
        if self.filters is None:
            return self._base
        return self.filters.frame

    @property
    def grouped(self) -> GroupedFrame | None:
        """The GroupedFrame behind the chart (None while no group-by is chosen)."""
        return self._grouped

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # -- choosing a model ----------------------------------------------------------------

    def choose(self, model: str) -> None:
        """Show ``model`` (what typing it in the picker does)."""
        model = (model or "").strip()
        if not model or model == self.model:
            return
        if self.model_picker.value != model:
            self.model_picker.value = model  # comes back here through observe()
            return
        try:
            base = self.odoo[model]
            schema = base.schema
        except Exception as error:  # shown in the panel: callbacks must not raise
            self._error(error)
            return
        self._base = base
        self.message.value = ""
        self.fields.value = fields_html(schema)
        if self.filters is None:
            self.filters = FilterBuilder(base, on_change=lambda _: self._refresh())
            self._filters_box.children = (self.filters.widget,)
        self._set_chart_options(schema)
        self.filters.reset(base)  # refreshes the domain, count, preview and chart

    def _set_chart_options(self, schema: ModelSchema) -> None:
        keys = [
            name
            for name, spec in sorted(schema.fields.items())
            if spec.store and spec.groupable and spec.type in _GROUP_TYPES and name != "id"
        ]
        measures = [
            name
            for name, spec in sorted(schema.fields.items())
            if spec.store and spec.is_numeric and name != "id"
        ]
        self._grouped = None
        with self.group_by.hold_trait_notifications(), self.measure.hold_trait_notifications():
            self.group_by.options = [_NO_GROUP, *keys]
            self.group_by.value = _NO_GROUP
            self.measure.options = [_COUNT, *(f"sum of {m}" for m in measures)]
            self.measure.value = _COUNT

    # -- refreshing ----------------------------------------------------------------------

    def _refresh(self) -> None:
        frame = self.frame
        if frame is None:
            return
        self.domain.value = f"<b>domain</b> <code>{html.escape(repr(frame.domain))}</code>"
        try:
            self.last_count = len(frame)
            self.count.value = f"<b>{self.last_count:,}</b> {html.escape(frame.model)} records"
            columns = self._preview_columns(frame)
            self.last_preview = frame.select(columns).head(self.rows).to_pandas(progress=False)
            self.preview.value = preview_html(self.last_preview)
            self.message.value = ""
        except Exception as error:  # shown in the panel: callbacks must not raise
            self._error(error)
            return
        self._refresh_chart()

    def _preview_columns(self, frame: OdooFrame) -> list[str]:
        schema = frame.schema
        filtered = [row.field.value for row in (self.filters.rows if self.filters else [])]
        plain = [
            name
            for name in schema.default_columns()
            if name not in ("id", "create_date", "write_date", "create_uid", "write_uid")
            and not schema.fields[name].is_x2many
        ]
        picked = list(dict.fromkeys([*filtered, *plain]))
        return picked[: max(PREVIEW_COLUMNS, len(filtered))]

    def _refresh_chart(self) -> None:
        frame = self.frame
        key = self.group_by.value
        if frame is None or key in (None, _NO_GROUP):
            self._grouped = None
            self.chart.value = b""
            self.groups.value = ""
            return
        try:
            spec = frame.schema[key]
            grouped = self._grouping(frame, key, spec)
            data = grouped.to_pandas()
            self._grouped = grouped
            self.last_groups = data
            self.groups.value = preview_html(data)
            self.chart.value = chart_png(data, x=grouped.columns[0], y="value")
            self.message.value = ""
        except Exception as error:  # shown in the panel: callbacks must not raise
            self._error(error)

    def _grouping(self, frame: OdooFrame, key: str, spec: FieldSpec) -> GroupedFrame:
        measure = self.measure.value
        by = f"{key}:month" if spec.type in ("date", "datetime") else key
        gb = frame.groupby(by)
        if measure == _COUNT:
            grouped = gb.agg(value=("id", "count"))
        else:
            grouped = gb.agg(value=(measure.removeprefix("sum of "), "sum"))
        if spec.type in ("date", "datetime"):
            return grouped.sort_values(by, ascending=False).head(CHART_GROUPS)
        return grouped.sort_values("value", ascending=False).head(CHART_GROUPS)

    def _error(self, error: BaseException) -> None:
        text = getattr(error, "message", None) or str(error) or type(error).__name__
        first = " ".join(str(text).split())
        self.message.value = f"<span style='color:#b00'>{html.escape(first)}</span>"


# --------------------------------------------------------------------------------------
# HTML and PNG pieces (escaped, self-contained: no script, no remote resource)


def fields_html(schema: ModelSchema) -> str:
    """The fields of a model as an HTML table: name, type, relation or values, label."""
    esc = html.escape
    rows = []
    for name in sorted(schema.fields):
        spec = schema.fields[name]
        target = spec.relation or ", ".join(str(k) for k, _ in spec.selection)
        stored = "" if spec.store else " <i>(computed)</i>"
        rows.append(
            f"<tr><td><code>{esc(name)}</code></td><td>{esc(spec.type)}{stored}</td>"
            f"<td>{esc(target)}</td><td>{esc(spec.string)}</td></tr>"
        )
    head = "<tr><th>field</th><th>type</th><th>relation / values</th><th>label</th></tr>"
    return (
        f"<div style='{_BOX.format(h=360)}'><b>{esc(schema.model)}</b>: "
        f"{len(schema.fields)} fields<table>{head}{''.join(rows)}</table></div>"
    )


def preview_html(data: pd.DataFrame) -> str:
    """A DataFrame as an escaped HTML table in a scrolling box."""
    table = data.to_html(index=False, escape=True, na_rep="", max_rows=50, border=0)
    return f"<div style='{_BOX.format(h=320)}'>{table}</div>"


def chart_png(data: pd.DataFrame, *, x: str, y: str) -> bytes:
    """A bar chart of ``y`` per ``x`` as PNG bytes (empty without matplotlib or rows)."""
    if data.empty:
        return b""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return b""
    from ..plotting import bar

    figure = Figure(figsize=(8, 3.5), dpi=90)
    bar(data, x=x, y=y, ax=figure.subplots())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
