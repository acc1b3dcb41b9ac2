"""The filter builder: rows of field / operator / value that make an OdooFrame filter.

Each row is a :class:`FilterRow` (three ipywidgets and a remove button); the builder
combines the complete rows with "all" (``&``) or "any" (``|``) and applies them to a
base frame. Incomplete rows (no value yet, a value of the wrong kind) are left out
and say why. The result, :attr:`FilterBuilder.frame`, is an ordinary OdooFrame: the
same domain as the hand-written filter.

Example (in a notebook)::

    builder = FilterBuilder(odoo["res.partner"])
    builder.add("is_company", "=", True)
    builder.add("country_id", "contains", "belg")
    builder                      # the widget
    builder.frame.domain         # ['&', ('is_company', '=', True), ('country_id', 'ilike', 'belg')]
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..expr import Expr, FilterError
from .conditions import (
    NO_VALUE_OPERATORS,
    IncompleteCondition,
    condition,
    filterable,
    operators_for,
)

if TYPE_CHECKING:
    from ..frame import OdooFrame
    from ..schema import FieldSpec, ModelSchema

__all__ = ["FilterBuilder", "FilterRow"]


def _field_options(schema: ModelSchema) -> list[tuple[str, str]]:
    names = sorted(name for name, spec in schema.fields.items() if filterable(spec))
    return [(f"{name} ({schema.fields[name].type})", name) for name in names]


class FilterRow:
    """One condition: ``field`` / ``operator`` / ``value`` widgets and a remove button.

    ``value`` is a Dropdown for booleans and for ``=`` / ``!=`` on selections, a Text
    otherwise (``in`` takes values separated by commas).
    """

    def __init__(
        self,
        schema: ModelSchema,
        on_change: Callable[[], None],
        on_remove: Callable[[FilterRow], None],
        field: str | None = None,
    ) -> None:
        import ipywidgets as w

        self._schema = schema
        self._on_change = on_change
        self._building = True
        options = _field_options(schema)
        if not options:
            raise FilterError(f"{schema.model} has no field the filter builder can search")
        names = [name for _, name in options]
        start = field if field is not None else ("name" if "name" in names else names[0])
        if start not in names:
            schema[start]  # FieldNotFound with suggestions for an unknown name
            raise FilterError(f"{schema.model}.{start} cannot be searched")
        self.field = w.Dropdown(options=options, value=start, layout=w.Layout(width="260px"))
        self.operator = w.Dropdown(layout=w.Layout(width="150px"))
        self.value: Any = w.Text()
        self._value_key: tuple[str, str] = ("", "")
        self.remove_button = w.Button(
            icon="trash", tooltip="remove this condition", layout=w.Layout(width="40px")
        )
        self.message = w.HTML()
        self.widget = w.HBox(
            [self.field, self.operator, self.value, self.remove_button, self.message]
        )
        self._set_operators()
        self._set_value_widget()
        self.field.observe(self._field_changed, names="value")
        self.operator.observe(self._operator_changed, names="value")
        self.remove_button.on_click(lambda _: on_remove(self))
        self._building = False

    @property
    def spec(self) -> FieldSpec:
        return self._schema[self.field.value]

    # -- widgets following each other --------------------------------------------------

    def _set_operators(self) -> None:
        operators = operators_for(self.spec)
        current = self.operator.value
        self.operator.options = operators
        self.operator.value = current if current in operators else operators[0]

    def _value_kind(self) -> str:
        spec, operator = self.spec, self.operator.value
        if operator in NO_VALUE_OPERATORS:
            return "none"
        if spec.type == "boolean":
            return "boolean"
        if spec.type == "selection" and operator in ("=", "!="):
            return "selection"
        return "text"

    def _set_value_widget(self) -> None:
        import ipywidgets as w

        kind = self._value_kind()
        key = (kind, self.field.value if kind == "selection" else "")
        if key == self._value_key:
            if kind == "text":
                self.value.placeholder = self._placeholder()
            return
        self._value_key = key
        if kind == "boolean":
            widget: Any = w.Dropdown(options=[("True", True), ("False", False)], value=True)
        elif kind == "selection":
            choices = [(label, key) for key, label in self.spec.selection]
            widget = w.Dropdown(options=choices, value=choices[0][1] if choices else None)
        elif kind == "none":
            widget = w.Text(disabled=True, placeholder="(no value)")
        else:
            widget = w.Text(placeholder=self._placeholder(), continuous_update=False)
        widget.layout = w.Layout(width="220px")
        widget.observe(lambda _: self._changed(), names="value")
        self.value = widget
        children = list(self.widget.children)
        children[2] = widget
        self.widget.children = tuple(children)

    def _placeholder(self) -> str:
        spec, operator = self.spec, self.operator.value
        if operator == "in":
            return "values, separated by commas"
        if spec.type in ("date", "datetime"):
            return "YYYY-MM-DD"
        if spec.type == "many2one" and operator in ("=", "!="):
            return f"{spec.relation} id"
        if spec.type in ("one2many", "many2many"):
            return f"{spec.relation} id"
        if spec.type in ("integer", "float", "monetary"):
            return "a number"
        return "text"

    def _field_changed(self, _: Any) -> None:
        self._set_operators()
        self._set_value_widget()
        self._changed()

    def _operator_changed(self, _: Any) -> None:
        self._set_value_widget()
        self._changed()

    def _changed(self) -> None:
        if not self._building:
            self._on_change()

    # -- the filter ----------------------------------------------------------------------

    def expression(self) -> Expr | None:
        """This row's filter, or None while it is incomplete (the message says why)."""
        try:
            expr = condition(self.spec, self.operator.value, self.value.value)
        except IncompleteCondition as reason:
            self.message.value = f"<i>{html.escape(str(reason))}</i>"
            return None
        except FilterError as error:
            self.message.value = f"<span style='color:#b00'>{html.escape(str(error))}</span>"
            return None
        self.message.value = ""
        return expr

    def set(self, field: str, operator: str | None = None, value: Any = None) -> FilterRow:
        """Choose field, operator and value in one go (one change notification)."""
        self._building = True
        try:
            self.field.value = field
            if operator is not None:
                if operator not in self.operator.options:
                    raise FilterError(
                        f"{field} is a {self.spec.type} field: operator {operator!r} does not "
                        f"apply (use {', '.join(self.operator.options)})"
                    )
                self.operator.value = operator
            if value is not None:
                self.value.value = value
        finally:
            self._building = False
        self._on_change()
        return self


class FilterBuilder:
    """Rows of conditions over one model; :attr:`frame` is the filtered OdooFrame."""

    def __init__(
        self, base: OdooFrame, on_change: Callable[[FilterBuilder], None] | None = None
    ) -> None:
        import ipywidgets as w

        self._base = base
        self._on_change = on_change
        self._quiet = 0
        self.rows: list[FilterRow] = []
        self.match = w.ToggleButtons(
            options=[("match all", "all"), ("match any", "any")],
            value="all",
            tooltip="combine the conditions with AND (all) or OR (any)",
        )
        self.add_button = w.Button(description="add condition", icon="plus")
        self._rows_box = w.VBox([])
        self.widget = w.VBox([w.HBox([self.add_button, self.match]), self._rows_box])
        self.add_button.on_click(lambda _: self.add())
        self.match.observe(lambda _: self._changed(), names="value")

    @property
    def base(self) -> OdooFrame:
        return self._base

    def reset(self, base: OdooFrame) -> None:
        """Start over on another frame (a new model): no rows."""
        self._base = base
        with self._quietly():
            self.rows = []
            self._rows_box.children = ()
        self._changed()

    def add(
        self, field: str | None = None, operator: str | None = None, value: Any = None
    ) -> FilterRow:
        """A new row, preset when ``field`` (and ``operator``, ``value``) are given."""
        with self._quietly():
            row = FilterRow(self._base.schema, self._changed, self.remove, field)
            if field is not None:
                row.set(field, operator, value)
            self.rows.append(row)
            self._rows_box.children = (*self._rows_box.children, row.widget)
        self._changed()
        return row

    def remove(self, row: FilterRow) -> None:
        self.rows = [r for r in self.rows if r is not row]
        self._rows_box.children = tuple(r.widget for r in self.rows)
        self._changed()

    def expression(self) -> Expr | None:
        """The complete rows combined (None when there is none)."""
        combined: Expr | None = None
        for row in self.rows:
            expr = row.expression()
            if expr is None:
                continue
            if combined is None:
                combined = expr
            elif self.match.value == "all":
                combined = combined & expr
            else:
                combined = combined | expr
        return combined

    @property
    def frame(self) -> OdooFrame:
        """The base frame filtered by the complete rows: an ordinary OdooFrame."""
        expr = self.expression()
        return self._base if expr is None else self._base.filter(expr)

    def _changed(self) -> None:
        if self._quiet == 0 and self._on_change is not None:
            self._on_change(self)

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
