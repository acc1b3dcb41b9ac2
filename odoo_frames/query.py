"""``frame.query("...")``: pandas.query syntax parsed with :mod:`ast` into filters.

Accepted: comparisons (chained too: ``100 < amount_total <= 500``), ``in`` /
``not in`` with a list or an ``@variable``, ``and`` / ``or`` / ``not`` and their
``&`` / ``|`` / ``~`` spellings, dotted field paths (``partner_id.country_id.code``),
back-quoted names, literals (strings, numbers, True/False/None, lists, tuples) and
``@name`` references to the caller's variables. Method calls of the pandas query
dialect are accepted for ``.str.contains / startswith / endswith``, ``.isin``,
``.isna`` / ``.notna`` and ``.between``. Anything else is rejected with the column
of the offending part and the reason.

Example::

    >>> parse_query("state == 'sale' and amount_total > 1000", {})
    <filter ['&', ('state', '=', 'sale'), ('amount_total', '>', 1000)]>
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Mapping
from typing import Any

from .errors import QuerySyntaxError
from .expr import Col, Expr

_AT_PREFIX = "__odoo_frames_at_"
_BOOLEAN_WORDS = {"&": " and ", "|": " or ", "~": " not "}


def parse_query(query: str, variables: Mapping[str, Any]) -> Expr:
    """Parse a pandas.query string into a filter; ``@name`` looks up ``variables``."""
    if not isinstance(query, str) or not query.strip():
        raise QuerySyntaxError(str(query), None, "the query is empty")
    source, offsets = _preprocess(query)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        col = (exc.offset or 1) - 1
        raise QuerySyntaxError(query, offsets(col), f"invalid syntax ({exc.msg})") from None
    return _Translator(query, variables, offsets).filter(tree.body)


def _preprocess(query: str) -> tuple[str, Any]:
    """Replace ``@name`` by a plain identifier and `` `a b` `` names; map columns back."""
    out: list[str] = []
    mapping: list[int] = []  # for each output char, the input offset
    i = 0
    while i < len(query):
        char = query[i]
        if char == "@":
            match = re.match(r"@([A-Za-z_]\w*)", query[i:])
            if match:
                text = _AT_PREFIX + match.group(1)
                out.append(text)
                mapping.extend([i] * len(text))
                i += len(match.group(0))
                continue
        if char == "`":
            end = query.find("`", i + 1)
            if end > i:
                name = query[i + 1 : end]
                text = "__odoo_frames_bq_" + name.encode().hex()
                out.append(text)
                mapping.extend([i] * len(text))
                i = end + 1
                continue
        if char in "'\"":
            # copy string literals verbatim (an @ inside a string is text)
            end = _string_end(query, i)
            out.append(query[i:end])
            mapping.extend(range(i, end))
            i = end
            continue
        if char in _BOOLEAN_WORDS:
            # pandas.query gives & | ~ the precedence of and / or / not.
            text = _BOOLEAN_WORDS[char]
            out.append(text)
            mapping.extend([i] * len(text))
            i += 1
            continue
        out.append(char)
        mapping.append(i)
        i += 1

    def offsets(col: int) -> int:
        if not mapping:
            return 0
        return mapping[min(max(col, 0), len(mapping) - 1)]

    return "".join(out), offsets


def _string_end(text: str, start: int) -> int:
    try:
        tokens = tokenize.generate_tokens(io.StringIO(text[start:]).readline)
        tok = next(tokens)
        if tok.type == tokenize.STRING:
            return start + tok.end[1]
    except (tokenize.TokenError, SyntaxError, StopIteration):
        pass
    return len(text)


_CMP = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}


class _Translator:
    def __init__(self, query: str, variables: Mapping[str, Any], offsets: Any) -> None:
        self.query = query
        self.variables = variables
        self.offsets = offsets

    def fail(self, node: ast.AST, reason: str) -> QuerySyntaxError:
        col = getattr(node, "col_offset", None)
        return QuerySyntaxError(self.query, self.offsets(col) if col is not None else None, reason)

    # filters --------------------------------------------------------------------

    def filter(self, node: ast.expr) -> Expr:
        if isinstance(node, ast.BoolOp):
            parts = [self.filter(v) for v in node.values]
            result = parts[0]
            for part in parts[1:]:
                result = (result & part) if isinstance(node.op, ast.And) else (result | part)
            return result
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr):
            left, right = self.filter(node.left), self.filter(node.right)
            return (left & right) if isinstance(node.op, ast.BitAnd) else (left | right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.Invert):
            return ~self.filter(node.operand)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            result = self.call(node)
            if isinstance(result, Expr):
                return result
        if isinstance(node, ast.Name | ast.Attribute):
            raise self.fail(
                node,
                f"{ast.unparse(node)!r} is a column, not a condition: compare it "
                "(e.g. == True) or use .notna()",
            )
        raise self.fail(node, f"{ast.unparse(node)!r} is not a condition Odoo can evaluate")

    def compare(self, node: ast.Compare) -> Expr:
        result: Expr | None = None
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            part = self.one_comparison(node, left, op, right)
            result = part if result is None else (result & part)
            left = right
        assert result is not None
        return result

    def one_comparison(self, node: ast.AST, left: ast.expr, op: ast.cmpop, right: ast.expr) -> Expr:
        if isinstance(op, ast.In | ast.NotIn):
            column = self.column(left)
            values = self.value(right)
            if not isinstance(values, list | tuple | set | frozenset) and not hasattr(
                values, "__iter__"
            ):
                raise self.fail(right, "'in' needs a list of values")
            if isinstance(values, str):
                raise self.fail(right, "'in' needs a list of values, not a string")
            expr = column.isin(list(values))
            return ~expr if isinstance(op, ast.NotIn) else expr
        symbol = _CMP.get(type(op))
        if symbol is None:
            raise self.fail(node, f"operator {type(op).__name__} is not supported")
        left_is_col = self.is_column(left)
        right_is_col = self.is_column(right)
        if left_is_col and right_is_col:
            raise self.fail(
                right,
                "comparing two columns: Odoo domains compare a field with a value; "
                "fetch both columns and compare in pandas",
            )
        if left_is_col:
            return _apply(self.column(left), symbol, self.value(right))
        if right_is_col:
            flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(symbol, symbol)
            return _apply(self.column(right), flipped, self.value(left))
        for side in (left, right):
            if not isinstance(side, ast.Constant | ast.List | ast.Tuple | ast.Set):
                self.value(side)  # raises the precise reason for this operand
        raise self.fail(node, "a comparison needs a column on one side")

    def call(self, node: ast.Call) -> Expr | Any:
        func = node.func
        if not isinstance(func, ast.Attribute):
            raise self.fail(node, f"function call {ast.unparse(func)!r} is not supported")
        method = func.attr
        args = [self.value(a) for a in node.args]
        kwargs = {kw.arg: self.value(kw.value) for kw in node.keywords if kw.arg}
        target = func.value
        if isinstance(target, ast.Attribute) and target.attr == "str":
            column = self.column(target.value)
            if method not in ("contains", "startswith", "endswith"):
                raise self.fail(
                    node, f".str.{method}() is not supported (contains, startswith, endswith are)"
                )
            result: Expr = getattr(column.str, method)(*args, **kwargs)
            return result
        column = self.column(target)
        if method in ("isin", "isna", "isnull", "notna", "notnull", "between", "contains"):
            result = getattr(column, method)(*args, **kwargs)
            return result
        raise self.fail(node, f"method .{method}() is not supported in a query")

    # operands -------------------------------------------------------------------

    def is_column(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return not node.id.startswith(_AT_PREFIX) and node.id not in ("True", "False", "None")
        if isinstance(node, ast.Attribute):
            return self.is_column(node.value)
        return False

    def column(self, node: ast.expr) -> Col:
        if isinstance(node, ast.Name) and self.is_column(node):
            return Col(_unquote(node.id))
        if isinstance(node, ast.Attribute) and self.is_column(node.value):
            return Col(f"{self.column(node.value).path}.{_unquote(node.attr)}")
        raise self.fail(node, f"{ast.unparse(node)!r} is not a column name")

    def value(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name) and node.id.startswith(_AT_PREFIX):
            name = node.id[len(_AT_PREFIX) :]
            if name not in self.variables:
                raise self.fail(node, f"@{name} is not a defined variable")
            return self.variables[name]
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return [self.value(e) for e in node.elts]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.value(node.operand)
            if isinstance(operand, int | float):
                return -operand if isinstance(node.op, ast.USub) else operand
        if self.is_column(node):
            raise self.fail(node, f"{ast.unparse(node)!r} is a column where a value was expected")
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute):
                raise self.fail(node, f"method .{node.func.attr}() is not supported here")
            raise self.fail(node, f"function call {ast.unparse(node.func)!r} is not supported")
        raise self.fail(node, f"{ast.unparse(node)!r} is not a literal value or an @variable")


def _unquote(name: str) -> str:
    if name.startswith("__odoo_frames_bq_"):
        return bytes.fromhex(name[len("__odoo_frames_bq_") :]).decode()
    return name


def _apply(column: Col, symbol: str, value: Any) -> Expr:
    ops = {
        "==": column.__eq__,
        "!=": column.__ne__,
        "<": column.__lt__,
        "<=": column.__le__,
        ">": column.__gt__,
        ">=": column.__ge__,
    }
    result: Expr = ops[symbol](value)
    return result
