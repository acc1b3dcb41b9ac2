"""Grouping: ``read_group`` (17.0/18.0, deprecated 19.0), ``formatted_read_group`` (19.0), ``web_read_group``.

The aggregation runs in SQLite (``GROUP BY``); this module adds what Odoo adds around its
PostgreSQL query, with Odoo's exact result shapes:

* group values: many2one / many2many / ``id`` as ``[id, display_name]`` (display name as
  superuser), dates and datetimes bucketed by granularity (``day``, ``week``, ``month``,
  ``quarter``, ``year``, ``hour`` and the integer parts ``month_number``, ``day_of_week``...)
  with en_US labels as babel formats them (``"January 2026"``, ``"W7 2026"``, ``"Q1 2026"``,
  ``"11 Feb 2026"``, ``"01:00 23 Oct"``), datetimes shifted to ``context['tz']`` first;
* aggregates with PostgreSQL's semantics: exact decimal sums and averages for ``numeric``
  columns (monetary fields and floats with digits), ``float8`` arithmetic otherwise, NULL
  results replaced by Odoo's empty values (``False``, ``0`` for counts, ``[]`` for arrays);
* group order: the groupby fields (a many2one by its comodel's ``_order``), aggregates or
  ``__count``, ascending NULLS LAST / descending NULLS FIRST as in PostgreSQL; ``limit`` and
  ``offset`` apply to groups;
* ``__domain`` / ``__range`` / ``__context`` / ``__fold`` (``read_group``) and
  ``__extra_domain`` (``formatted_read_group``) exactly as Odoo builds them.

Example::

    >>> read_group(env, "sale.order", [], ["amount_total:sum"], ["date_order:quarter"])
    [{'date_order:quarter': 'Q4 2026', 'date_order_count': 24, 'amount_total': 34870.5,
      '__domain': ['&', ('date_order', '>=', '2026-10-01 00:00:00'),
                        ('date_order', '<', '2027-01-01 00:00:00')],
      '__range': {'date_order:quarter': {'from': '2026-10-01 00:00:00',
                                         'to': '2027-01-01 00:00:00'}}}]
    >>> formatted_read_group(env, "sale.order", [], ["state"], ["amount_total:sum"])
    [{'state': 'draft', '__extra_domain': [('state', '=', 'draft')], 'amount_total:sum': 5470.0}, ...]

``env`` is the ORM environment (:class:`odoo_frames.sandbox.orm.Env`). The records grouped
are those of Odoo's ``_search``: the WHERE clause comes from :mod:`.domain` (``active_test``)
plus the user's record rules; the ACL is checked first; display names and the comodel order
of many2one groups come from the ORM (see "ORM bridge" at the bottom). Importing this module
registers ``read_group``, ``formatted_read_group`` (19.0) and ``web_read_group`` as public
methods of every model (``orm.method``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import math
import re
import sqlite3
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from .._gc import gc_paused
from .domain import DATE_GRANULARITIES, FALSE_LEAF, TRUE_LEAF, known_timezones
from .exceptions import OdooException
from .registry import FieldSpec, ModelSpec, Registry
from .versions import VersionProfile

_D = TypeVar("_D", dt.date, dt.datetime)

__all__ = [
    "formatted_read_group",
    "read_group",
    "web_read_group",
]

# --------------------------------------------------------------------------------------
# Odoo's vocabulary
# --------------------------------------------------------------------------------------

#: Time granularities: (months, days, hours) of one bucket.
TIME_GRANULARITY: dict[str, tuple[int, int, int]] = {
    "hour": (0, 0, 1),
    "day": (0, 1, 0),
    "week": (0, 7, 0),
    "month": (1, 0, 0),
    "quarter": (3, 0, 0),
    "year": (12, 0, 0),
}


def add_step(value: _D, granularity: str) -> _D:
    """``value`` + one bucket of ``granularity`` (Odoo's relativedelta arithmetic)."""
    months, days, hours = TIME_GRANULARITY[granularity]
    if months:
        total = value.year * 12 + value.month - 1 + months
        year, month = divmod(total, 12)
        day = min(value.day, calendar.monthrange(year, month + 1)[1])
        value = value.replace(year=year, month=month + 1, day=day)
    return value + dt.timedelta(days=days, hours=hours)


#: Integer date parts (17.3+) and the PostgreSQL ``date_part`` they stand for: the parts
#: a domain leaf ``date_field.<part>`` accepts too.
NUMBER_GRANULARITY = DATE_GRANULARITIES

#: Aggregation functions ``_read_group`` accepts (``recordset`` = ids, post-processed).
AGGREGATE_FUNCTIONS = frozenset(
    {
        "sum",
        "avg",
        "max",
        "min",
        "bool_and",
        "bool_or",
        "array_agg",
        "recordset",
        "count",
        "count_distinct",
    }
)

#: 19.0 adds ``array_agg_distinct``.
AGGREGATE_FUNCTIONS_19 = AGGREGATE_FUNCTIONS | {"array_agg_distinct"}

#: PostgreSQL type names of the columns, for "function sum(x) does not exist" errors.
PG_TYPES: dict[str, str] = {
    "char": "character varying",
    "selection": "character varying",
    "text": "text",
    "html": "text",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamp without time zone",
    "json": "jsonb",
    "integer": "integer",
    "many2one": "integer",
    "float": "double precision",
    "monetary": "numeric",
    "reference": "character varying",
    "many2one_reference": "integer",
    "binary": "bytea",
}

#: Fields with a ``group_expand``: (model, field) -> name of the expansion (see
#: :func:`_group_expand_values`). Only those of the sandbox's 24 models.
GROUP_EXPAND: dict[tuple[str, str], str] = {
    ("crm.lead", "stage_id"): "crm_stage",
}

#: ``_fold_name`` of comodels that have one.
FOLD_FIELD = "fold"

MONTHS = [calendar.month_name[i] for i in range(13)]
MONTHS_ABBR = [calendar.month_abbr[i] for i in range(13)]

#: en_US week rules (babel: first day Sunday, a week belongs to the year of its Saturday).
EN_US_FIRST_WEEK_DAY = 6  # Monday = 0 ... Sunday = 6

_FIELD_AGG = re.compile(r"(\w+)(?::(\w+)(?:\((\w+)\))?)?")
_SPEC = re.compile(r"(\w+)(\.(\w+))?(?::(\w+))?$")
_SPEC_19 = re.compile(r"(\w+)((?:\.\w+)*)(?::(\w+))?$")
_ORDER_PART = re.compile(
    r"""\s*(?P<term>(?P<field>[a-z0-9_]+|"[a-z0-9_]+")(\.(?P<property>[a-z0-9_.]+))?(:(?P<func>[a-z_]+))?)
        (\s+(?P<direction>desc|asc))?
        (\s+(?P<nulls>nulls\ first|nulls\ last))?\s*""",
    re.IGNORECASE | re.VERBOSE,
)

#: Scale of the exact (integer) sums of ``numeric`` columns: 6 decimals is more than any
#: currency or ``digits`` of the sandbox's fields stores.
NUMERIC_SCALE = 10**6


class UndefinedFunction(OdooException):
    """``psycopg2.errors.UndefinedFunction``: an aggregate PostgreSQL has not for this type."""

    odoo_module = "psycopg2.errors"


class Env(Protocol):
    """What this module needs of the ORM environment (``odoo_frames.sandbox.orm.Env``)."""

    registry: Registry
    context: Mapping[str, Any]
    uid: int
    profile: VersionProfile

    @property
    def cr(self) -> Any: ...


def parse_spec(spec: str, *, dotted: bool = False) -> tuple[str, str | None, str | None]:
    """``'date:month'`` -> ``('date', None, 'month')``; ``'partner_id.name'`` -> (.., 'name', None).

    With ``dotted`` (19.0) the middle part may be a longer path (``partner_id.country_id.code``).
    """
    match = (_SPEC_19 if dotted else _SPEC).match(spec)
    if not match:
        raise ValueError(
            f"Invalid aggregate/groupby specification {spec!r}.\n"
            '- Valid aggregate specification looks like "<field_name>:<agg>" example: "quantity:sum".\n'
            '- Valid groupby specification looks like "<no_datish_field_name>" or '
            '"<datish_field_name>:<granularity>" example: "date:month" or '
            '"<properties_field_name>.<property>:<granularity>".'
        )
    if dotted:
        path = match.group(2)
        return match.group(1), (path[1:] if path else None), match.group(3)
    return match.group(1), match.group(3), match.group(4)


# --------------------------------------------------------------------------------------
# Domains as Odoo combines them (osv.expression.AND)
# --------------------------------------------------------------------------------------


def normalize_domain(domain: Sequence[Any]) -> list[Any]:
    """Odoo's ``normalize_domain``: implicit ``&`` made explicit, leaves as tuples."""
    if not domain:
        return [TRUE_LEAF]
    result: list[Any] = []
    expected = 1
    arity = {"!": 1, "&": 2, "|": 2}
    for token in domain:
        if expected == 0:
            result[0:0] = ["&"]
            expected = 1
        if isinstance(token, (list, tuple)):
            expected -= 1
            if len(token) == 3 and token[1] in ("any", "not any") and token[2]:
                token = (token[0], token[1], normalize_domain(token[2]))
            else:
                token = tuple(token)  # ("f", "not any", []) stays as 19.0 writes it
        else:
            expected += arity.get(token, 0) - 1
        result.append(token)
    if expected:
        raise ValueError(f"Domain {domain} is syntactically not correct.")
    return result


def and_domains(domains: Iterable[Sequence[Any]]) -> list[Any]:
    """Odoo's ``expression.AND``: ``['&', ..., d1..., d2...]`` skipping empty/TRUE domains."""
    unit, zero = [TRUE_LEAF], [FALSE_LEAF]
    domains = [list(d) for d in domains]
    if domains == [unit]:
        return unit
    result: list[Any] = []
    count = 0
    for domain in domains:
        if domain == unit:
            continue
        if domain == zero:
            return zero
        if domain:
            result += normalize_domain(domain)
            count += 1
    return ["&"] * (count - 1) + result if result else unit


def is_false_domain(domain: Sequence[Any]) -> bool:
    """Odoo's ``expression.is_false``: the domain is trivially empty (``in []``, FALSE_LEAF)."""
    try:
        tokens = normalize_domain(domain)
    except (ValueError, TypeError):
        return False
    stack: list[int] = []
    for token in reversed(tokens):
        if token == "&":
            stack.append(min(stack.pop(), stack.pop()))
        elif token == "|":
            stack.append(max(stack.pop(), stack.pop()))
        elif token == "!":
            stack.append(-stack.pop())
        elif token == TRUE_LEAF:
            stack.append(1)
        elif token == FALSE_LEAF or (
            isinstance(token, tuple) and len(token) == 3 and token[1] == "in" and not token[2]
        ):
            stack.append(-1)
        elif isinstance(token, tuple) and len(token) == 3 and token[1] == "not in" and not token[2]:
            stack.append(1)
        else:
            stack.append(0)
    return bool(stack) and stack.pop() == -1


# --------------------------------------------------------------------------------------
# Time zones and date buckets
# --------------------------------------------------------------------------------------


def context_tz(context: Mapping[str, Any]) -> zoneinfo.ZoneInfo | None:
    """The zone of ``context['tz']`` when Odoo would use it (a known IANA name), else None."""
    name = context.get("tz")
    if not isinstance(name, str) or name not in known_timezones():
        return None
    return zoneinfo.ZoneInfo(name)


def localize(naive: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """pytz's ``tz.localize(naive)`` (``is_dst=False``): ambiguous/missing times use standard time."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    return first if not first.dst() else second


def utc_offsets_sql(column: str, tz: dt.tzinfo, start: str, end: str) -> str:
    """SQL shifting the UTC datetime text ``column`` to local time in ``tz``.

    SQLite has no time zones: the UTC offsets in force between ``start`` and ``end`` (the
    data's range) become a ``CASE`` on the text value, a handful of branches per year.
    """
    offsets, current = utc_offsets(tz, start, end)
    if not offsets:
        return _shift_sql(column, current)
    branches = " ".join(f"WHEN {column} < '{limit}' THEN {off}" for limit, off in offsets)
    return f"datetime({column}, (CASE {branches} ELSE {current} END) || ' seconds')"


def utc_offsets(tz: dt.tzinfo, start: str, end: str) -> tuple[list[tuple[str, int]], int]:
    """The UTC offsets of ``tz`` between ``start`` and ``end`` (UTC texts).

    ``([(limit, offset), ...], last)``: ``offset`` seconds apply before the UTC text
    ``limit`` (and after the previous limit), ``last`` after the last limit.
    """
    begin = dt.datetime.fromisoformat(start[:19]).replace(tzinfo=dt.UTC) - dt.timedelta(days=1)
    stop = dt.datetime.fromisoformat(end[:19]).replace(tzinfo=dt.UTC) + dt.timedelta(days=1)
    offsets: list[tuple[str, int]] = []  # (valid before this UTC text, offset seconds)

    def offset_at(instant: dt.datetime) -> int:
        delta = instant.astimezone(tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    current = offset_at(begin)
    day = begin
    while day < stop:
        following = day + dt.timedelta(days=1)
        if offset_at(following) != current:
            low, high = day, following  # binary search of the transition, to the second
            while (high - low) > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset_at(middle) == current:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            offsets.append((high.strftime("%Y-%m-%d %H:%M:%S"), current))
            current = offset_at(high)
        day = following
    return offsets, current


#: Above this many buckets in the data's range, :func:`bucket_case_sql` gives up.
MAX_CASE_BUCKETS = 1024


def bucket_case_sql(
    column: str,
    tz: dt.tzinfo,
    granularity: str,
    start: str,
    end: str,
    *,
    outside: str | None = None,
) -> str | None:
    """SQL for the local time bucket of the UTC datetime text ``column``, without shifting it.

    The same value as ``bucket_sql(utc_offsets_sql(column, ...), "datetime", granularity)``
    for every text between ``start`` and ``end``, but computed by comparing ``column`` with
    the UTC instants where the local bucket changes (a binary search written as nested
    ``CASE``): no per-row ``datetime()`` call, which is most of the cost of a groupby by
    month on a large table. None when the range holds more than ``MAX_CASE_BUCKETS``.

    ``outside``: SQL for the values outside ``start``..``end`` (:func:`local_bucket_sql`),
    so that the range may be a stale hint rather than the data's exact range.
    """
    fmt = "%Y-%m-%d %H:%M:%S"
    offsets, last = utc_offsets(tz, start, end)
    low = dt.datetime.fromisoformat(start[:19])
    high = dt.datetime.fromisoformat(end[:19])
    limits = [dt.datetime.fromisoformat(limit) for limit, _ in offsets]
    segments = list(zip([None, *limits], [*limits, None], [o for _, o in offsets] + [last]))
    thresholds: list[tuple[dt.datetime, str]] = []  # (from this UTC instant, bucket text)
    for seg_start, seg_end, offset in segments:
        first = low if seg_start is None or seg_start < low else seg_start
        stop = high if seg_end is None else min(seg_end - dt.timedelta(seconds=1), high)
        if first > stop:
            continue
        shift = dt.timedelta(seconds=offset)
        bucket = _local_bucket_start(first + shift, granularity)
        thresholds.append((first, bucket.strftime(fmt)))
        bucket = add_step(bucket, granularity)
        while bucket - shift <= stop:
            thresholds.append((bucket - shift, bucket.strftime(fmt)))
            bucket = add_step(bucket, granularity)
            if len(thresholds) > MAX_CASE_BUCKETS:
                return None
    if not thresholds:
        return None

    def search(lo: int, hi: int) -> str:
        if hi - lo == 1:
            return f"'{thresholds[lo][1]}'"
        middle = (lo + hi) // 2
        limit = thresholds[middle][0].strftime(fmt)
        return (
            f"CASE WHEN {column} < '{limit}' THEN {search(lo, middle)} "
            f"ELSE {search(middle, hi)} END"
        )

    guard = ""
    if outside is not None:
        low_text, high_text = low.strftime(fmt), high.strftime(fmt)
        guard = f"WHEN {column} < '{low_text}' OR {column} > '{high_text}' THEN {outside} "
    return f"(CASE WHEN {column} IS NULL THEN NULL {guard}ELSE {search(0, len(thresholds))} END)"


def local_bucket_sql(column: str, tz: zoneinfo.ZoneInfo, granularity: str) -> str:
    """SQL calling :func:`local_bucket` (a Python function: exact anywhere, but slow per row)."""
    return f"odoo_local_bucket({column}, '{tz.key}', '{granularity}')"


def local_bucket(value: str | None, tz_name: str, granularity: str) -> str | None:
    """The local bucket start of a UTC datetime text, as :func:`bucket_case_sql` gives it."""
    if value is None:
        return None
    utc = dt.datetime.fromisoformat(str(value)[:19]).replace(tzinfo=dt.UTC)
    local = utc.astimezone(zoneinfo.ZoneInfo(tz_name)).replace(tzinfo=None)
    return _local_bucket_start(local, granularity).strftime("%Y-%m-%d %H:%M:%S")


def _local_bucket_start(local: dt.datetime, granularity: str) -> dt.datetime:
    """The start of the bucket of a local datetime, as :func:`bucket_sql` computes it."""
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if granularity == "hour":
        return local.replace(minute=0, second=0, microsecond=0)
    if granularity == "day":
        return day
    if granularity == "week":  # the Sunday on or before (en_US)
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)
    if granularity == "month":
        return day.replace(day=1)
    if granularity == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def _shift_sql(column: str, seconds: int) -> str:
    if not seconds:
        return column
    return f"datetime({column}, '{seconds:+d} seconds')"


def bucket_sql(local: str, field_type: str, granularity: str, week_start: int) -> str:
    """SQL for the bucket of ``local`` (a date or local datetime text) at ``granularity``.

    Time granularities give the bucket start as text (``YYYY-MM-DD[ HH:MM:SS]``); number
    granularities an integer. NULL stays NULL (``||`` and ``substr`` propagate it).
    ``week_start``: SQLite weekday of the first day of the week (0 = Sunday).
    """
    time = " || ' 00:00:00'" if field_type == "datetime" else ""
    if granularity == "hour":
        if field_type == "date":
            return f"substr({local}, 1, 10)"
        return f"substr({local}, 1, 13) || ':00:00'"
    if granularity == "day":
        return f"substr({local}, 1, 10){time}"
    if granularity == "week":
        return f"date({local}, '-6 days', 'weekday {week_start}'){time}"
    if granularity == "month":
        return f"substr({local}, 1, 7) || '-01'{time}"
    if granularity == "quarter":
        quarter_month = f"((CAST(substr({local}, 6, 2) AS INTEGER) - 1) / 3 * 3 + 1)"
        return f"substr({local}, 1, 5) || substr('0' || {quarter_month}, -2) || '-01'{time}"
    if granularity == "year":
        return f"substr({local}, 1, 4) || '-01-01'{time}"
    part = NUMBER_GRANULARITY[granularity]
    if part == "year":
        return f"CAST(substr({local}, 1, 4) AS INTEGER)"
    if part == "quarter":
        return f"((CAST(substr({local}, 6, 2) AS INTEGER) + 2) / 3)"
    if part == "month":
        return f"CAST(substr({local}, 6, 2) AS INTEGER)"
    if part == "week":  # ISO week: the week of the Thursday of the date's Monday-week
        thursday = f"date({local}, '-3 days', 'weekday 4')"
        return f"((CAST(strftime('%j', {thursday}) AS INTEGER) - 1) / 7 + 1)"
    if part == "doy":
        return f"CAST(strftime('%j', {local}) AS INTEGER)"
    if part == "day":
        return f"CAST(substr({local}, 9, 2) AS INTEGER)"
    if part == "dow":
        return f"CAST(strftime('%w', {local}) AS INTEGER)"
    if field_type == "date":  # a date has no time part: 0 as PostgreSQL's date_part
        return f"(CASE WHEN {local} IS NULL THEN NULL ELSE 0 END)"
    position = {"hour": 12, "minute": 15, "second": 18}[part]
    return f"CAST(substr({local}, {position}, 2) AS INTEGER)"


def week_number(value: dt.date) -> tuple[int, int]:
    """(year, week) of ``value`` for en_US (Odoo's ``date_utils.weeknumber``): week 1 holds Jan 1."""
    first = EN_US_FIRST_WEEK_DAY

    def week_start(day: dt.date) -> dt.date:
        return day - dt.timedelta(days=(day.weekday() - first) % 7)

    day = value.date() if isinstance(value, dt.datetime) else value
    next_year_start = week_start(dt.date(day.year + 1, 1, 1))
    if day >= next_year_start:
        return day.year + 1, 1
    return day.year, (day - week_start(dt.date(day.year, 1, 1))).days // 7 + 1


def time_label(value: dt.date, granularity: str) -> str:
    """The en_US label babel gives a bucket start (Odoo's READ_GROUP_DISPLAY_FORMAT)."""
    if granularity == "hour":
        if not isinstance(value, dt.datetime):
            # babel formats 'hh' on a date object: Odoo fails the same way.
            raise AttributeError("'datetime.date' object has no attribute 'hour'")
        hour = value.hour % 12 or 12
        return f"{hour:02d}:00 {value.day:02d} {MONTHS_ABBR[value.month]}"
    if granularity == "day":
        return f"{value.day:02d} {MONTHS_ABBR[value.month]} {value.year:04d}"
    if granularity == "week":
        year, week = week_number(value)
        return f"W{week} {year:04}"
    if granularity == "month":
        return f"{MONTHS[value.month]} {value.year:04d}"
    if granularity == "quarter":
        return f"Q{(value.month - 1) // 3 + 1} {value.year:04d}"
    return f"{value.year:04d}"


@dataclass(frozen=True)
class TimeBucket:
    """One date/datetime group: its label, its UTC range and the domain that selects it."""

    start: str  # range start, as Odoo's server format (UTC for datetimes)
    end: str
    label: str

    def domain(self, field_name: str) -> list[Any]:
        return ["&", (field_name, ">=", self.start), (field_name, "<", self.end)]


@functools.lru_cache(maxsize=8192)
def time_bucket(raw: str, field_type: str, granularity: str, tz: dt.tzinfo | None) -> TimeBucket:
    """The bucket whose (local) start SQLite computed as ``raw`` (cached: groups share buckets).

    Datetime ranges are in UTC: the local bucket bounds localized like pytz does, each on
    its own (a DST change inside a bucket moves the end, not the start).
    """
    if field_type == "datetime":
        local = dt.datetime.fromisoformat(raw)
        start, end = local, add_step(local, granularity)
        if tz is not None:
            start = localize(local, tz).astimezone(dt.UTC).replace(tzinfo=None)
            end = localize(end, tz).astimezone(dt.UTC).replace(tzinfo=None)
        fmt = "%Y-%m-%d %H:%M:%S"
        return TimeBucket(start.strftime(fmt), end.strftime(fmt), time_label(local, granularity))
    day = dt.date.fromisoformat(raw[:10])
    label = time_label(day, granularity)
    end_day = add_step(day, granularity) if granularity != "hour" else day
    return TimeBucket(day.strftime("%Y-%m-%d"), end_day.strftime("%Y-%m-%d"), label)


# --------------------------------------------------------------------------------------
# Query building
# --------------------------------------------------------------------------------------


@dataclass
class GroupTerm:
    """One groupby spec: its SQL expression and how to turn raw values into Odoo's."""

    spec: str
    field: FieldSpec | None  # None for ``id``
    fname: str
    model: ModelSpec  # the model ``field`` belongs to (the comodel for dotted paths)
    sql: str
    granularity: str | None = None
    kind: str = "plain"  # relational | many2many | time | number | boolean | plain
    comodel: str | None = None
    path: tuple[str, ...] = ()  # 19.0 dotted many2one path: the many2one names walked
    order_by_comodel: bool = False

    @property
    def field_type(self) -> str:
        return self.field.type if self.field is not None else "integer"


@dataclass
class AggregateTerm:
    """One aggregate spec: its SQL column(s) and the conversion of the result.

    ``convert`` takes the values of the SQL columns as positional arguments (one per
    column: ``convert(total)``, ``convert(total, count)``), so that a whole result column
    converts with ``map(convert, *columns)``.
    """

    spec: str
    columns: list[str]
    convert: Callable[..., Any]


@dataclass
class GroupQuery:
    """A ``SELECT ... GROUP BY`` on one model under construction."""

    env: Env
    model: ModelSpec
    joins: list[str] = field(default_factory=list)
    join_params: list[Any] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)

    @property
    def registry(self) -> Registry:
        return self.env.registry

    @property
    def alias(self) -> str:
        return self.model.table

    def make_alias(self, base: str, name: str) -> str:
        alias = f"{base}__{name}"
        if len(alias) > 63:
            alias = f"{base[:40]}__{abs(hash(alias)) % 10**8}"
        return alias

    def add_join(self, alias: str, sql: str, params: Sequence[Any] = ()) -> None:
        if alias in self.aliases:
            return
        self.aliases.add(alias)
        self.joins.append(sql)
        self.join_params.extend(params)

    # ---------------------------------------------------------------- fields to SQL

    def _join_related_path(
        self, model: ModelSpec, alias: str, hops: Sequence[str]
    ) -> tuple[ModelSpec, str]:
        """LEFT JOIN the many2one ``hops`` of a related field: the last model and its alias."""
        for hop in hops:
            comodel = self.registry[str(model.fields[hop].relation)]
            hop_alias = self.make_alias(alias, hop)
            self.add_join(
                hop_alias,
                f'LEFT JOIN "{comodel.table}" AS "{hop_alias}" '
                f'ON "{alias}"."{hop}" = "{hop_alias}"."id"',
            )
            model, alias = comodel, hop_alias
        return model, alias

    def field_sql(self, model: ModelSpec, alias: str, fname: str) -> tuple[str, FieldSpec | None]:
        """SQL of a field's value from ``alias`` (joins for delegated/related fields)."""
        if fname == "id":
            return f'"{alias}"."id"', model.fields.get("id")
        spec = model.fields.get(fname)
        if spec is None:
            raise ValueError(f"Invalid field {fname!r} on model {model.name!r}")
        if spec.related and not spec.store:
            target_model, target_alias = self._join_related_path(model, alias, spec.related[:-1])
            return self.field_sql(target_model, target_alias, spec.related[-1])
        if spec.column is None:
            if spec.store and spec.type in _COLUMN_LESS_STORED:
                raise ValueError(
                    f"Cannot convert {model.name}.{fname} to SQL because it is not stored"
                )
            if spec.extra and spec.store:
                return "NULL", spec  # a real Odoo field the sandbox has no data for
            raise ValueError(f"Cannot convert {model.name}.{fname} to SQL because it is not stored")
        return f'"{alias}"."{spec.column}"', spec

    # ---------------------------------------------------------------- group by

    def groupby_term(self, spec: str, *, dotted: bool = False) -> GroupTerm:
        fname, sub, granularity = parse_spec(spec, dotted=dotted)
        return self._groupby(self.model, self.alias, spec, fname, sub, granularity, (), dotted)

    def _groupby(
        self,
        model: ModelSpec,
        alias: str,
        spec: str,
        fname: str,
        sub: str | None,
        granularity: str | None,
        path: tuple[str, ...],
        dotted: bool,
    ) -> GroupTerm:
        if fname not in model.fields and fname != "id":
            raise ValueError(f"Invalid field {fname!r} on model {model.name!r}")
        fspec = model.fields.get(fname)
        ftype = fspec.type if fspec is not None else "integer"
        if sub:
            if not dotted:
                raise ValueError(f"Property access on non-property field: {spec!r}")
            if ftype != "many2one":
                raise ValueError(f"Only many2one path is accepted for the {spec!r} groupby spec")
            assert fspec is not None
            comodel = self.registry[str(fspec.relation)]
            co_alias = self.make_alias(alias, fname)
            column, _ = self.field_sql(model, alias, fname)
            rule_sql, rule_params = comodel_rule_where(self.env, comodel.name, co_alias)
            on = f'{column} = "{co_alias}"."id"'
            if rule_sql:
                on += f" AND {rule_sql}"
            self.add_join(
                co_alias, f'LEFT JOIN "{comodel.table}" AS "{co_alias}" ON {on}', rule_params
            )
            head, _, rest = sub.partition(".")
            return self._groupby(
                comodel, co_alias, spec, head, rest or None, granularity, (*path, fname), dotted
            )
        if granularity and ftype not in ("date", "datetime"):
            raise ValueError(f"Granularity set on a no-datetime field or property: {spec!r}")
        term = GroupTerm(spec=spec, field=fspec, fname=fname, model=model, sql="", path=path)
        if ftype == "many2many":
            assert fspec is not None
            term.kind, term.comodel = "many2many", fspec.relation
            term.sql = self._many2many_join(model, alias, fspec, spec)
            return term
        sql, resolved = self.field_sql(model, alias, fname)
        if ftype in ("date", "datetime"):
            if not granularity:
                raise ValueError(f"Granularity not set on a date(time) field: {spec!r}")
            if granularity not in TIME_GRANULARITY and granularity not in NUMBER_GRANULARITY:
                raise ValueError(f"Granularity specification isn't correct: {granularity!r}")
            local = sql
            tz = context_tz(self.env.context)
            term.granularity = granularity
            term.kind = "time" if granularity in TIME_GRANULARITY else "number"
            if ftype == "datetime" and tz is not None:
                if granularity in TIME_GRANULARITY:
                    hint = self._data_range(sql, hint=True)
                    if hint is not None:
                        outside = local_bucket_sql(sql, tz, granularity)
                        bucketed = bucket_case_sql(sql, tz, granularity, *hint, outside=outside)
                        if bucketed is not None:
                            term.sql = bucketed
                            return term
                bounds = self._data_range(sql)
                if bounds is not None:
                    local = utc_offsets_sql(sql, tz, *bounds)
            term.sql = bucket_sql(local, ftype, granularity, week_start=0)
            return term
        if ftype == "boolean":
            term.kind, term.sql = "boolean", f"COALESCE({sql}, 0)"
            return term
        if ftype == "many2one" or fname == "id":
            term.kind = "relational"
            term.comodel = (
                fspec.relation if ftype == "many2one" and fspec is not None else model.name
            )
            term.sql = sql
            return term
        if resolved is not None and resolved.type in ("one2many",):
            raise ValueError(f"Cannot convert {model.name}.{fname} to SQL because it is not stored")
        term.sql = sql
        return term

    def _data_range(self, column: str, *, hint: bool = False) -> tuple[str, str] | None:
        """The lowest and highest value of ``column`` (UTC datetime text) in the table.

        With ``hint``, the range an earlier call found is reused while the database has not
        changed (same connection, no change by it nor by another connection to the file):
        the full scan costs as much as a tenth of a large groupby. A hint may be stale in
        ways these counters miss (a restored snapshot): callers must stay exact outside it.
        """
        sql = (
            f'SELECT MIN({column}), MAX({column}) FROM "{self.model.table}" {" ".join(self.joins)}'
        )
        cr = self.env.cr
        key: tuple[Any, ...] | None = None
        if hint and isinstance(cr, sqlite3.Connection):
            version = cr.execute("PRAGMA data_version").fetchone()[0]
            key = (id(cr), cr.total_changes, version, sql, tuple(self.join_params))
            if key in _RANGE_HINTS:
                return _RANGE_HINTS[key]
        low, high = cr.execute(sql, self.join_params).fetchone()
        bounds = None if low is None else (str(low), str(high))
        if key is not None:
            if len(_RANGE_HINTS) >= 256:
                _RANGE_HINTS.clear()
            _RANGE_HINTS[key] = bounds
        return bounds

    def _many2many_join(self, model: ModelSpec, alias: str, fspec: FieldSpec, spec: str) -> str:
        if fspec.related and not fspec.store:
            target_model, target_alias = self._join_related_path(model, alias, fspec.related[:-1])
            return self._many2many_join(
                target_model, target_alias, target_model.fields[fspec.related[-1]], spec
            )
        if fspec.m2m is None:
            raise ValueError(f"Group by non-stored many2many field: {spec!r}")
        rel = fspec.m2m
        rel_alias = self.make_alias(alias, fspec.name)
        on = f'"{alias}"."id" = "{rel_alias}"."{rel.column}"'
        comodel_name = str(fspec.relation)
        params: list[Any] = []
        if comodel_name in self.registry:
            co_sql, co_params = comodel_where(self.env, comodel_name, "co")
            if co_sql:
                co_table = self.registry[comodel_name].table
                on += (
                    f' AND "{rel_alias}"."{rel.other_column}" IN '
                    f'(SELECT "co"."id" FROM "{co_table}" AS "co" WHERE {co_sql})'
                )
                params = list(co_params)
        self.add_join(rel_alias, f'LEFT JOIN "{rel.table}" AS "{rel_alias}" ON {on}', params)
        return f'"{rel_alias}"."{rel.other_column}"'

    # ---------------------------------------------------------------- aggregates

    def aggregate_term(self, spec: str) -> AggregateTerm:
        if spec == "__count":
            return AggregateTerm(spec, ["COUNT(*)"], _count)
        fname, prop, func = parse_spec(spec)
        if prop:
            raise ValueError(f"Invalid {spec!r}, this dot notation is not supported")
        if fname not in self.model.fields and fname != "id":
            raise ValueError(f"Invalid field {fname!r} on model {self.model.name!r}")
        if not func:
            raise ValueError(f"Aggregate method is mandatory for {fname!r}")
        allowed = AGGREGATE_FUNCTIONS_19 if self.env.profile.major >= 19 else AGGREGATE_FUNCTIONS
        if func not in allowed:
            raise ValueError(f"Invalid aggregate method {func!r} for {spec!r}.")
        fspec = self.model.fields.get(fname)
        relational = fname == "id" or (fspec is not None and fspec.is_relational)
        if func == "recordset" and not relational:
            raise ValueError(
                f"Aggregate method {func!r} can be only used on relational field (or id) (for {spec!r})."
            )
        if fspec is not None and fspec.type in ("one2many", "many2many"):
            raise ValueError(
                f"Cannot convert {self.model.name}.{fname} to SQL because it is not stored"
            )
        sql, resolved = self.field_sql(self.model, self.alias, fname)
        ftype = resolved.type if resolved is not None else "integer"
        if fname == "id":
            ftype = "integer"
        _check_aggregate_type(func, ftype)
        return _aggregate(spec, func, sql, ftype, resolved, self.alias)


_COLUMN_LESS_STORED = frozenset({"one2many", "many2many"})

#: Data ranges of datetime columns found by earlier calls (see ``GroupQuery._data_range``).
_RANGE_HINTS: dict[tuple[Any, ...], tuple[str, str] | None] = {}


def _check_aggregate_type(func: str, ftype: str) -> None:
    """PostgreSQL refuses some aggregate/type pairs (``sum(boolean)``...): so does the sandbox."""
    numeric = ftype in ("integer", "float", "monetary", "many2one", "many2one_reference")
    bad = (
        (func in ("sum", "avg") and not numeric)
        or (func in ("bool_and", "bool_or") and ftype != "boolean")
        or (func in ("max", "min") and ftype in ("boolean", "json"))
    )
    if bad:
        pg_type = PG_TYPES.get(ftype, ftype)
        raise UndefinedFunction(
            f"function {func}({pg_type}) does not exist\n"
            "HINT:  No function matches the given name and argument types. "
            "You might need to add explicit type casts.\n"
        )


def _is_numeric_column(ftype: str, fspec: FieldSpec | None) -> bool:
    """PostgreSQL column type ``numeric``: monetary fields and floats with ``digits``."""
    if ftype == "monetary":
        return True
    return ftype == "float" and fspec is not None and fspec.descriptor.get("digits") is not None


def _unlimited_numeric(fspec: FieldSpec | None) -> bool:
    """``digits=0``: a numeric column without scale (exact decimal sums need Python)."""
    return fspec is not None and fspec.descriptor.get("digits") == 0


def _count(value: Any) -> Any:
    return value or 0


def _or_false(value: Any) -> Any:
    """SQL NULL -> ``False`` (Odoo's empty aggregate value)."""
    return value if value is not None else False


def _aggregate(
    spec: str, func: str, sql: str, ftype: str, fspec: FieldSpec | None, alias: str
) -> AggregateTerm:
    if func == "count":
        return AggregateTerm(spec, [f"COUNT({sql})"], _count)
    if func == "count_distinct":
        return AggregateTerm(spec, [f"COUNT(DISTINCT {sql})"], _count)
    if func in ("array_agg", "recordset", "array_agg_distinct"):
        # Ordered by id like Odoo's ARRAY_AGG(... ORDER BY id): the subquery feeding the
        # GROUP BY keeps that order only approximately, so the ids are sorted in Python.
        column = f'json_group_array(json_array({sql}, "{alias}"."id"))'

        def convert_array(value: Any) -> Any:
            pairs = sorted(json.loads(value) if value else [], key=lambda p: p[1])
            items = [_array_item(item, ftype) for item, _ in pairs]
            if func == "array_agg_distinct":
                items = sorted(set(items), key=lambda x: (x is None, x))
            if func == "recordset":
                seen: dict[Any, None] = {}
                for item in items:
                    if item:
                        seen[item] = None
                return list(seen)
            return items

        return AggregateTerm(spec, [column], convert_array)
    if func in ("bool_and", "bool_or"):
        agg = "MIN" if func == "bool_and" else "MAX"
        return AggregateTerm(spec, [f"{agg}({sql})"], lambda v: bool(v) if v is not None else False)
    if func in ("max", "min"):
        return AggregateTerm(spec, [f"{func.upper()}({sql})"], _typed(ftype))
    # sum / avg
    if ftype in ("integer", "many2one", "many2one_reference"):
        if func == "sum":
            return AggregateTerm(spec, [f"SUM({sql})"], _or_false)
        return AggregateTerm(spec, [f"SUM({sql})", f"COUNT({sql})"], _exact_average(1))
    if _is_numeric_column(ftype, fspec):
        if _unlimited_numeric(fspec):
            column = f"odoo_decimal_sum({sql})"
            scale = 1
        else:
            column = f"SUM(CAST(ROUND({sql} * {NUMERIC_SCALE}) AS INTEGER))"
            scale = NUMERIC_SCALE
        if func == "sum":
            return AggregateTerm(spec, [column], _exact_sum(scale))
        return AggregateTerm(spec, [column, f"COUNT({sql})"], _exact_average(scale))
    # double precision: PostgreSQL adds the values in heap order, which the sandbox cannot
    # know; the correctly rounded sum is what that order gives in the usual case (the
    # recorded averages match it, the row-order sums do not).
    if func == "sum":
        return AggregateTerm(spec, [f"odoo_fsum({sql})"], _typed("float"))
    return AggregateTerm(
        spec, [f"odoo_fsum({sql})", f"COUNT({sql})"], lambda t, n: t / n if n else False
    )


def _array_item(item: Any, ftype: str) -> Any:
    if item is None:
        return None
    if ftype == "boolean":
        return bool(item)
    if ftype in ("float", "monetary"):
        return float(item)
    return item


def _typed(ftype: str) -> Callable[[Any], Any]:
    """NULL -> ``False``; float and monetary values as floats."""
    if ftype not in ("float", "monetary"):
        return _or_false

    def convert(value: Any) -> Any:
        return float(value) if value is not None else False

    return convert


def _exact_sum(scale: int) -> Callable[[Any], Any]:
    """The float of an exact sum: ``total`` is an integer count of ``1 / scale`` units.

    With ``scale == 1`` the total is the decimal text of :class:`_DecimalSum`. Otherwise
    ``total / scale`` is Python's correctly rounded int division, the same float as
    ``float(Decimal(total) / scale)`` (the 64-bit total divided by a power of ten is exact
    in Decimal's 28 digits) without the Decimal detour on every group.
    """

    def convert(total: Any) -> Any:
        if total is None:
            return False
        if scale == 1:
            return float(Decimal(total) / scale)
        return total / scale

    return convert


def _exact_average(scale: int) -> Callable[[Any, Any], Any]:
    def convert(total: Any, count: Any) -> Any:
        if total is None or not count:
            return False
        return float(Decimal(total) / (Decimal(count) * scale))

    return convert


class _DecimalSum:
    """SQLite aggregate: exact decimal sum of ``numeric`` values without scale (as text)."""

    def __init__(self) -> None:
        self.total = Decimal(0)
        self.seen = False

    def step(self, value: Any) -> None:
        if value is not None:
            self.total += Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            self.seen = True

    def finalize(self) -> str | None:
        return str(self.total) if self.seen else None


class _FloatSum:
    """SQLite aggregate: the correctly rounded sum of floats (``math.fsum``)."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: Any) -> None:
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        return math.fsum(self.values) if self.values else None


_PREPARED: dict[int, sqlite3.Connection] = {}


def _prepare_connection(cr: Any) -> None:
    """Register the exact-sum aggregates on the connection behind ``cr`` (once)."""
    conn = cr if isinstance(cr, sqlite3.Connection) else getattr(cr, "connection", None)
    if conn is None or _PREPARED.get(id(conn)) is conn:
        return
    conn.create_aggregate("odoo_decimal_sum", 1, _DecimalSum)  # type: ignore[arg-type]
    conn.create_aggregate("odoo_fsum", 1, _FloatSum)  # type: ignore[arg-type]
    conn.create_function("odoo_local_bucket", 3, local_bucket, deterministic=True)
    _PREPARED[id(conn)] = conn


# --------------------------------------------------------------------------------------
# _read_group: rows of (group values..., aggregate values...)
# --------------------------------------------------------------------------------------


@dataclass
class OrderTerm:
    kind: str  # "group" | "aggregate"
    index: int  # index of the group term or of the aggregate term
    descending: bool
    nulls_first: bool


def _read_group(
    env: Env,
    model: str,
    domain: Sequence[Any],
    groupby: Sequence[str],
    aggregates: Sequence[str],
    *,
    having: Sequence[Any] = (),
    offset: int = 0,
    limit: int | None = None,
    order: str | None = None,
    dotted: bool = False,
) -> tuple[list[GroupTerm], list[tuple[Any, ...]]]:
    """Odoo's ``_read_group``: group values (raw: ids, bucket starts...) and aggregates.

    Group values come back as: ids (0 -> False) for relational groups, the bucket start text
    for time granularities, ints for number granularities, bools, raw values (None -> False).
    """
    spec = env.registry[model]
    check_read_access(env, model)
    if is_false_domain(domain):
        if not groupby:
            return [], [tuple(_empty_value(spec, a) for a in aggregates)]
        return [], []
    where_sql, where_params = search_where(env, model, domain, spec.table)
    query = GroupQuery(env, spec)
    terms = [query.groupby_term(g, dotted=dotted) for g in groupby]
    having_sql, having_params, having_terms = _having(query, having)
    order_terms, hidden = _order_terms(query, order, terms, list(aggregates))
    agg_terms = [query.aggregate_term(a) for a in aggregates]
    all_aggs = agg_terms + hidden + having_terms
    _prepare_connection(env.cr)

    select = [t.sql for t in terms] + [c for a in all_aggs for c in a.columns]
    sql = f'SELECT {", ".join(select)} FROM "{spec.table}" {" ".join(query.joins)}'
    if where_sql:
        sql += f" WHERE {where_sql}"
    if terms:
        sql += " GROUP BY " + ", ".join(str(i + 1) for i in range(len(terms)))
        if having_sql:
            sql += f" HAVING {having_sql}"
    raw_rows = env.cr.execute(sql, [*query.join_params, *where_params, *having_params]).fetchall()

    # Column-wise: one converter per result column (``map`` over whole columns) instead
    # of per-row dispatch; the rows are then sorted as indices and built once, in order.
    raw_columns: list[Sequence[Any]] = list(zip(*raw_rows)) if raw_rows else [()] * len(select)
    values = [_group_values(term, column) for term, column in zip(terms, raw_columns)]
    position = len(terms)
    agg_positions: list[tuple[int, int]] = []
    for agg in all_aggs:
        stop = position + len(agg.columns)
        values.append(list(map(agg.convert, *raw_columns[position:stop])))
        agg_positions.append((position, stop))
        position = stop

    indices = list(range(len(raw_rows)))
    if terms and order_terms:
        _sort_rows(env, indices, terms, order_terms, raw_columns, values, agg_positions)
    if offset:
        indices = indices[offset:]
    if limit:
        indices = indices[:limit]
    width = len(terms) + len(agg_terms)
    if not width:
        return terms, [() for _ in indices]
    picked = [[column[i] for i in indices] for column in values[:width]]
    return terms, list(zip(*picked))


def _group_values(term: GroupTerm, column: Sequence[Any]) -> list[Any]:
    """Raw SQL group values as ``_read_group`` gives them (NULL -> False, ids, booleans)."""
    if term.kind == "boolean":
        return [bool(raw) if raw is not None else False for raw in column]
    if term.kind in ("relational", "many2many"):
        return [int(raw) if raw else False for raw in column]
    return [raw if raw is not None else False for raw in column]


def _sort_column(
    term: OrderTerm,
    n_terms: int,
    raw_columns: list[Sequence[Any]],
    values: list[list[Any]],
    agg_positions: list[tuple[int, int]],
) -> list[Any]:
    """The values ORDER BY compares for one order term, None standing for SQL NULL.

    Groups compare by their raw SQL value; aggregates by Odoo's value (booleans as ints,
    arrays as tuples), NULL when every SQL column of the aggregate is NULL.
    """
    if term.kind == "group":
        return list(raw_columns[term.index])
    start, stop = agg_positions[term.index]
    converted = values[n_terms + term.index]
    nulls = [all(v is None for v in chunk) for chunk in zip(*raw_columns[start:stop])]
    return [None if null else _sortable(value) for value, null in zip(converted, nulls)]


def _sortable(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list):
        return tuple(value)
    return value


def _sort_rows(
    env: Env,
    indices: list[int],
    terms: list[GroupTerm],
    order: list[OrderTerm],
    raw_columns: list[Sequence[Any]],
    values: list[list[Any]],
    agg_positions: list[tuple[int, int]],
) -> None:
    """Sort the row ``indices`` in place like PostgreSQL's ORDER BY (a stable sort per term).

    NULL sorts after every value (so last ascending, first descending) unless the term says
    ``nulls first|last``; strings compare by code point (``LC_COLLATE 'C'``); a many2one
    whose comodel ``_order`` is not ``id`` compares by the rank of its record in that order.
    Each term's keys are computed once per row, then looked up by index.
    """
    for term in reversed(order):
        column = _sort_column(term, len(terms), raw_columns, values, agg_positions)
        if term.kind == "group" and terms[term.index].order_by_comodel:
            group = terms[term.index]
            ordered = ordered_ids(env, str(group.comodel), {v for v in column if v})
            rank = {rid: position for position, rid in enumerate(ordered)}
            column = [None if v is None else rank.get(v, len(rank)) for v in column]
        if None in column:
            null_key = (1, 0) if term.nulls_first == term.descending else (-1, 0)
            keys: list[Any] = [null_key if v is None else (0, v) for v in column]
        else:
            keys = column
        indices.sort(key=keys.__getitem__, reverse=term.descending)


def _empty_value(model: ModelSpec, spec: str) -> Any:
    """Odoo's ``_read_group_empty_value`` (recordsets are represented by ``False``)."""
    if spec == "__count":
        return 0
    _, _, func = parse_spec(spec)
    if func in ("count", "count_distinct"):
        return 0
    if func in ("array_agg", "array_agg_distinct"):
        return []
    if func == "recordset":
        return []
    return False


def _having(query: GroupQuery, having: Sequence[Any]) -> tuple[str, list[Any], list[AggregateTerm]]:
    """HAVING clause of a having-domain on aggregate specs (``[('__count', '>', 1)]``)."""
    if not having:
        return "", [], []
    supported = ("in", "not in", "<", ">", "<=", ">=", "=", "!=")
    stack: list[tuple[str, list[Any]]] = []
    for item in reversed(list(having)):
        if item == "!":
            sql, params = stack.pop()
            stack.append((f"(NOT {sql})", params))
        elif item in ("&", "|"):
            (a, pa), (b, pb) = stack.pop(), stack.pop()
            stack.append((f"({a} {'AND' if item == '&' else 'OR'} {b})", pa + pb))
        elif isinstance(item, (list, tuple)) and len(item) == 3:
            left, operator, right = item
            if operator not in supported:
                raise ValueError(
                    f"Invalid having clause {item!r}: supported comparators are {supported}"
                )
            term = query.aggregate_term(left)
            column = _having_column(term)
            if operator in ("in", "not in"):
                values = list(right) if isinstance(right, (list, tuple)) else [right]
                marks = ", ".join("?" for _ in values) or "NULL"
                op = "IN" if operator == "in" else "NOT IN"
                stack.append((f"{column} {op} ({marks})", values))
            else:
                op = "<>" if operator == "!=" else operator
                stack.append((f"{column} {op} ?", [right]))
        else:
            raise ValueError(f"Invalid having clause {item!r}: it should be a domain-like clause")
    while len(stack) > 1:
        (a, pa), (b, pb) = stack.pop(), stack.pop()
        stack.append((f"({a} AND {b})", pa + pb))
    sql, params = stack[0]
    return sql, params, []


def _having_column(term: AggregateTerm) -> str:
    """A single SQL value for an aggregate in HAVING (exact sums rescaled, averages divided)."""
    column = term.columns[0]
    if column.startswith("SUM(CAST(ROUND("):
        column = f"({column} * 1.0 / {NUMERIC_SCALE})"
    if len(term.columns) == 2:
        column = f"({column} * 1.0 / NULLIF({term.columns[1]}, 0))"
    return column


def _order_terms(
    query: GroupQuery, order: str | None, terms: list[GroupTerm], aggregates: list[str]
) -> tuple[list[OrderTerm], list[AggregateTerm]]:
    """Parse ``order`` (groupby specs, aggregate specs, ``__count``) like ``_read_group_orderby``."""
    if not terms:
        return [], []
    if not order:
        order = ",".join(t.spec for t in terms)
    by_spec = {t.spec: i for i, t in enumerate(terms)}
    result: list[OrderTerm] = []
    hidden: list[AggregateTerm] = []
    for part in order.split(","):
        match = _ORDER_PART.fullmatch(part)
        if not match:
            raise ValueError(f"Invalid order {order!r} for _read_group()")
        term = match["term"]
        descending = (match["direction"] or "asc").lower() == "desc"
        nulls = (match["nulls"] or "").lower()
        nulls_first = nulls == "nulls first" if nulls else descending
        if term in by_spec:
            index = by_spec[term]
            group = terms[index]
            if group.kind == "relational" and not group.path and group.field is not None:
                comodel = query.registry.get(str(group.comodel))
                group.order_by_comodel = comodel is not None and comodel.order.strip() != "id"
            result.append(OrderTerm("group", index, descending, nulls_first))
            continue
        try:
            agg = query.aggregate_term(term)
        except ValueError as exc:
            raise ValueError(
                f"Order term {part!r} is not a valid aggregate nor valid groupby"
            ) from exc
        result.append(
            OrderTerm("aggregate", len(aggregates) + len(hidden), descending, nulls_first)
        )
        hidden.append(agg)
    return result, hidden


# --------------------------------------------------------------------------------------
# read_group (17.0 / 18.0; deprecated in 19.0)
# --------------------------------------------------------------------------------------


def read_group(
    env: Env,
    model: str,
    domain: Sequence[Any],
    fields: Sequence[str],
    groupby: Sequence[str] | str,
    offset: int = 0,
    limit: int | None = None,
    orderby: str | bool = False,
    lazy: bool = True,
) -> list[dict[str, Any]]:
    """Odoo's ``read_group``: one dict per group, with ``__domain`` and friends."""
    spec = env.registry[model]
    groupby_list = [groupby] if isinstance(groupby, str) else list(groupby or [])
    lazy_groupby = groupby_list[:1] if lazy else groupby_list

    annotated_groupby: dict[str, str] = {}
    for group_spec in lazy_groupby:
        fname, prop, granularity = parse_spec(group_spec)
        if fname not in spec.fields and fname != "id":
            raise ValueError(f"Invalid field {fname!r} on model {model!r}")
        fspec = spec.fields.get(fname)
        if prop and (fspec is None or fspec.type != "properties"):
            raise ValueError(f"Property name {prop!r} has to be used on a property field.")
        if fspec is not None and fspec.type in ("date", "datetime"):
            annotated_groupby[group_spec] = f"{fname}:{granularity or 'month'}"
        else:
            annotated_groupby[group_spec] = group_spec

    count_key = (
        f"{lazy_groupby[0].split(':')[0]}_count" if lazy and len(lazy_groupby) == 1 else "__count"
    )
    annotated_aggregates: dict[str, str] = {count_key: "__count"}
    for field_spec in fields:
        if field_spec == "__count":
            continue
        match = _FIELD_AGG.match(field_spec)
        if not match:
            raise ValueError(f"Invalid field specification {field_spec!r}.")
        name, func, fname = match.groups()
        if fname:
            annotated_aggregates[name] = f"{fname}:{func}"
            continue
        if func:
            annotated_aggregates[name] = f"{name}:{func}"
            continue
        if name not in spec.fields and name != "id":
            raise ValueError(f"Invalid field {name!r} on model {model!r}")
        aggregator = _default_aggregator(env.registry, spec, name)
        if aggregator and field_spec not in annotated_groupby:
            annotated_aggregates[name] = f"{name}:{aggregator}"

    if orderby:
        new_terms = []
        for order_term in str(orderby).split(","):
            order_term = order_term.strip()
            for key_name, annotated in [
                *reversed(annotated_groupby.items()),
                *annotated_aggregates.items(),
            ]:
                key_name = key_name.split(":")[0]
                if order_term.startswith(f"{key_name} ") or key_name == order_term:
                    order_term = order_term.replace(key_name, annotated)
                    break
            new_terms.append(order_term)
        order = ",".join(new_terms)
    else:
        order = ",".join(annotated_groupby.values())

    terms, rows = _read_group(
        env,
        model,
        domain,
        list(annotated_groupby.values()),
        list(annotated_aggregates.values()),
        offset=offset or 0,
        limit=limit or None,
        order=order,
    )
    keys = [*annotated_groupby, *annotated_aggregates]
    rows_dict = [dict(zip(keys, row)) for row in rows]

    if lazy_groupby and lazy:
        rows_dict = _fill_results(
            env, spec, domain, lazy_groupby[0], annotated_aggregates, rows_dict, terms[:1]
        )

    for row in rows_dict:
        row["__domain"] = domain
        if len(lazy_groupby) < len(groupby_list):
            row["__context"] = {"group_by": groupby_list[len(lazy_groupby) :]}

    _format_result(env, spec, rows_dict, lazy_groupby, terms)
    return rows_dict


def _default_aggregator(registry: Registry, spec: ModelSpec, name: str) -> str | None:
    """The aggregator a plain field name in ``fields`` gets (stored base field only)."""
    fspec = spec.fields.get(name)
    if fspec is None:
        return None
    aggregator = fspec.aggregator
    if not aggregator:
        return None
    base_stored = fspec.store and fspec.type not in _COLUMN_LESS_STORED
    if not fspec.store and fspec.related:
        # delegated (inherited) fields count as their stored base field
        target = spec
        for hop in fspec.related[:-1]:
            target = registry[str(target.fields[hop].relation)]
        base = target.fields.get(fspec.related[-1])
        base_stored = base is not None and base.store and base.type not in _COLUMN_LESS_STORED
    return str(aggregator) if base_stored else None


def _fill_results(
    env: Env,
    spec: ModelSpec,
    domain: Sequence[Any],
    groupby: str,
    annotated_aggregates: dict[str, str],
    rows: list[dict[str, Any]],
    terms: list[GroupTerm],
) -> list[dict[str, Any]]:
    """``_read_group_fill_results``: empty groups of ``group_expand`` fields, ``__fold``."""
    fname = groupby.split(".")[0].split(":")[0]
    expand = GROUP_EXPAND.get((spec.name, fname))
    if expand is None:
        return rows
    fspec = spec.fields[fname]
    present = [row[groupby] for row in rows if row[groupby]]
    values = _group_expand_values(env, expand, str(fspec.relation), present)
    empty_item = {name: _empty_value(spec, agg) for name, agg in annotated_aggregates.items()}
    by_key = {row[groupby]: row for row in rows}
    result: dict[Any, dict[str, Any]] = {}
    for value in values:
        if value in by_key:
            result[value] = by_key.pop(value)
        else:
            result[value] = dict(empty_item, **{groupby: value})
    for key, row in by_key.items():
        result[key] = row
    comodel = env.registry[str(fspec.relation)]
    if FOLD_FIELD in comodel.fields:
        folds = fold_values(env, comodel.name, [k for k in result if k])
        for key, row in result.items():
            row["__fold"] = folds.get(key, False) if key else False
    return list(result.values())


def _format_result(
    env: Env,
    spec: ModelSpec,
    rows: list[dict[str, Any]],
    lazy_groupby: list[str],
    terms: list[GroupTerm],
) -> None:
    """``_read_group_format_result``: labels, ``__range``, ``[id, name]`` pairs, ``__domain``."""
    tz = context_tz(env.context)
    m2m_not_any = env.profile.major >= 19
    # every row's __domain is its base domain AND one condition per groupby: collect the
    # conditions, then combine once per row (and_domains on each step is quadratic-ish)
    extras: list[list[list[Any]]] = [[] for _ in rows]
    for position, group in enumerate(lazy_groupby):
        fname = group.split(":")[0].split(".")[0]
        fspec = spec.fields.get(fname)
        ftype = fspec.type if fspec is not None else "integer"
        granularity = group.split(":")[1] if ":" in group else "month"
        term = terms[position] if position < len(terms) else None
        if ftype in ("many2one", "many2many") or fname == "id":
            comodel = str(fspec.relation) if fspec is not None and fspec.relation else spec.name
            _format_relational(env, rows, extras, group, fname, ftype, comodel, m2m_not_any)
        elif ftype in ("date", "datetime"):
            bucketed = granularity in TIME_GRANULARITY and term is not None
            _format_dates(rows, extras, group, fname, ftype, granularity, bucketed, tz)
        else:
            for row, row_extras in zip(rows, extras):
                row_extras.append([(fname, "=", row[group])])
    if not lazy_groupby:
        return
    # and_domains([domain, *extras]) with the (shared) base domain normalised once
    raw = list(rows[0]["__domain"]) if rows else []
    base: list[Any] | None = None if raw == [FALSE_LEAF] else []
    if base is not None and raw and raw != [TRUE_LEAF]:
        base = normalize_domain(raw)
    for row, row_extras in zip(rows, extras):
        if base is None:
            row["__domain"] = [FALSE_LEAF]
            continue
        parts = [base, *row_extras] if base else row_extras
        row["__domain"] = ["&"] * (len(parts) - 1) + [token for part in parts for token in part]


def _format_relational(
    env: Env,
    rows: list[dict[str, Any]],
    extras: list[list[list[Any]]],
    group: str,
    fname: str,
    ftype: str,
    comodel: str,
    m2m_not_any: bool,
) -> None:
    """Relational groups of ``read_group``: ``[id, display_name]`` and ``(fname, '=', id)``."""
    present = [row[group] for row in rows if row[group]]
    names = display_names(env, comodel, present)
    for row, row_extras in zip(rows, extras):
        value = row[group]
        if value:
            row[group] = [value, names.get(value, "")]
            row_extras.append([(fname, "=", value)])
        elif ftype == "many2many":
            row[group] = False
            if m2m_not_any:
                row_extras.append([(fname, "not any", [])])
            else:
                row_extras.append([(fname, "not in", present)])
        else:
            row[group] = False
            row_extras.append([(fname, "=", value)])


def _format_dates(
    rows: list[dict[str, Any]],
    extras: list[list[list[Any]]],
    group: str,
    fname: str,
    ftype: str,
    granularity: str,
    bucketed: bool,
    tz: dt.tzinfo | None,
) -> None:
    """Date/datetime groups of ``read_group``: bucket labels, ``__range``, range domains.

    Many groups share a bucket (12,000 product x month groups, 24 months): the label, the
    range and the domain of each distinct bucket are computed once.
    """
    buckets: dict[str, tuple[str, str, str, list[Any]]] = {}
    for row, row_extras in zip(rows, extras):
        value = row[group]
        if value and bucketed:
            bucket = buckets.get(value)
            if bucket is None:
                found = time_bucket(str(value), ftype, granularity, tz)
                bucket = (found.label, found.start, found.end, found.domain(fname))
                buckets[value] = bucket
            label, start, end, domain = bucket
            row[group] = label
            row.setdefault("__range", {})[group] = {"from": start, "to": end}
            row_extras.append(domain)
        elif value is not None and granularity in NUMBER_GRANULARITY:
            row_extras.append([(f"{fname}.{granularity}", "=", value)])
        else:
            if not value:
                row.setdefault("__range", {})[group] = False
            row_extras.append([(fname, "=", value)])


# --------------------------------------------------------------------------------------
# formatted_read_group (19.0) and web_read_group
# --------------------------------------------------------------------------------------


def formatted_read_group(
    env: Env,
    model: str,
    domain: Sequence[Any],
    groupby: Sequence[str] = (),
    aggregates: Sequence[str] = (),
    having: Sequence[Any] = (),
    offset: int = 0,
    limit: int | None = None,
    order: str | None = None,
) -> list[dict[str, Any]]:
    """19.0's ``formatted_read_group``: ``[start, label]`` date groups, aggregate-spec keys."""
    spec = env.registry[model]
    groupby = tuple(groupby)
    aggregates = tuple(a.replace(":recordset", ":array_agg") for a in aggregates)
    if not order:
        order = ", ".join(groupby)
    terms, groups = _read_group(
        env,
        model,
        domain,
        groupby,
        aggregates,
        having=having,
        offset=offset or 0,
        limit=limit or None,
        order=order,
        dotted=True,
    )
    expand_field = _expand_field(env, spec, groupby)
    if expand_field is not None and not offset and (not limit or len(groups) < limit):
        expanded = _web_expand(env, spec, groups, expand_field, aggregates, order)
        if not limit or len(expanded) < limit:
            groups = expanded
    fill_temporal = env.context.get("fill_temporal")
    if groupby and (fill_temporal or isinstance(fill_temporal, dict)) and (limit or offset):
        raise ValueError("You cannot used fill_temporal with a limit or an offset")
    return _web_format(env, spec, groupby, aggregates, groups, terms, expand_field)


def _expand_field(env: Env, spec: ModelSpec, groupby: Sequence[str]) -> str | None:
    if (
        len(groupby) == 1
        and env.context.get("read_group_expand")
        and "." not in groupby[0]
        and (spec.name, groupby[0].split(":")[0]) in GROUP_EXPAND
    ):
        return groupby[0].split(":")[0]
    return None


def _web_expand(
    env: Env,
    spec: ModelSpec,
    groups: list[tuple[Any, ...]],
    fname: str,
    aggregates: Sequence[str],
    order: str,
) -> list[tuple[Any, ...]]:
    fspec = spec.fields[fname]
    present = [g[0] for g in groups if g[0]]
    values = _group_expand_values(
        env, GROUP_EXPAND[(spec.name, fname)], str(fspec.relation), present
    )
    if (fname + " desc") in order.lower():
        values = list(reversed(values))
    empty = tuple(_empty_value(spec, a) for a in aggregates)
    result: dict[Any, tuple[Any, ...]] = dict.fromkeys(values, empty)
    result.update({g[0]: tuple(g[1:]) for g in groups})
    return [(value, *aggs) for value, aggs in result.items()]


def _web_format(
    env: Env,
    spec: ModelSpec,
    groupby: Sequence[str],
    aggregates: Sequence[str],
    groups: list[tuple[Any, ...]],
    terms: list[GroupTerm],
    expand_field: str | None,
) -> list[dict[str, Any]]:
    """``_web_read_group_format``: group keys, ``__fold``, ``__extra_domain``, aggregates."""
    result: list[dict[str, Any]] = [{} for _ in groups]
    extra_domains: list[list[list[Any]]] = [[] for _ in groups]
    tz = context_tz(env.context)
    for position, group_spec in enumerate(groupby):
        term = terms[position]
        values = [g[position] for g in groups]
        formatter = _formatter(env, term, values, tz)
        for value, group, extras in zip(values, result, extra_domains):
            group[group_spec], domain = formatter(value)
            extras.append(domain)
        if expand_field is not None:
            comodel = env.registry[str(spec.fields[expand_field].relation)]
            if FOLD_FIELD in comodel.fields:
                folds = fold_values(env, comodel.name, [v for v in values if v])
                for value, group in zip(values, result):
                    group["__fold"] = folds.get(value, False) if value else False
    for group, extras in zip(result, extra_domains):
        # and_domains(extras) without its normalisation: the formatters' domains are
        # normalised already and never TRUE/FALSE_LEAF (leaves on field names)
        if not extras:
            group["__extra_domain"] = [TRUE_LEAF]
        else:
            group["__extra_domain"] = ["&"] * (len(extras) - 1) + [t for e in extras for t in e]
    for position, aggregate in enumerate(aggregates, start=len(groupby)):
        for row, group in zip(groups, result):
            group[aggregate] = row[position]
    return result


def _formatter(
    env: Env, term: GroupTerm, values: list[Any], tz: dt.tzinfo | None
) -> Callable[[Any], tuple[Any, list[Any]]]:
    """``_web_read_group_groupby_formatter`` for one groupby spec (dotted paths included)."""
    inner = _leaf_formatter(env, term, values, tz)
    for fname in reversed(term.path):

        def follow(value: Any, inner: Any = inner, fname: str = fname) -> tuple[Any, list[Any]]:
            shown, domain = inner(value)
            if not shown:
                return shown, ["|", (fname, "not any", []), (fname, "any", domain)]
            return shown, [(fname, "any", domain)]

        inner = follow
    return inner


def _leaf_formatter(
    env: Env, term: GroupTerm, values: list[Any], tz: dt.tzinfo | None
) -> Callable[[Any], tuple[Any, list[Any]]]:
    fname = term.fname
    if term.kind in ("relational", "many2many"):
        names = display_names(env, str(term.comodel), [v for v in values if v])

        def relational(value: Any) -> tuple[Any, list[Any]]:
            if not value:
                if term.kind == "many2many":
                    return False, [(fname, "not any", [])]
                return False, [(fname, "=", False)]
            return [value, names.get(value, "")], [(fname, "=", value)]

        return relational
    if term.kind == "time":
        granularity = str(term.granularity)
        ftype = term.field_type
        buckets: dict[str, tuple[str, str, list[Any]]] = {}  # groups share buckets

        def time(value: Any) -> tuple[Any, list[Any]]:
            if not value:
                return value, [(fname, "=", value)]
            bucket = buckets.get(value)
            if bucket is None:
                found = time_bucket(str(value), ftype, granularity, tz)
                bucket = buckets[value] = (found.start, found.label, found.domain(fname))
            start, label, domain = bucket
            return [start, label], list(domain)  # a copy: a dotted path nests it in "any"

        return time
    if term.kind == "number":
        granularity = str(term.granularity)
        return lambda value: (value, [(f"{fname}.{granularity}", "=", value)])
    if term.field_type in ("date", "datetime"):
        raise AssertionError("Granularity is missing")
    return lambda value: (value, [(fname, "=", value)])


def web_read_group(
    env: Env,
    model: str,
    domain: Sequence[Any],
    *args: Any,
    **kwargs: Any,
) -> dict[str, Any]:
    """``web_read_group``: ``{"groups": [...], "length": n}`` (the 17/18 or the 19 signature)."""
    if env.profile.major >= 19:
        return _web_read_group_19(env, model, domain, *args, **kwargs)
    return _web_read_group_18(env, model, domain, *args, **kwargs)


def _web_read_group_18(
    env: Env,
    model: str,
    domain: Sequence[Any],
    fields: Sequence[str],
    groupby: Sequence[str] | str,
    limit: int | None = None,
    offset: int = 0,
    orderby: str | bool = False,
    lazy: bool = True,
) -> dict[str, Any]:
    groups = read_group(env, model, domain, fields, groupby, offset, limit, orderby, lazy)
    if not groups:
        length = 0
    elif limit and len(groups) == limit:
        # Odoo counts the groups after the first ``limit`` ones (lazily, ignoring offset)
        groupby_list = [groupby] if isinstance(groupby, str) else list(groupby)
        length = limit + _count_groups_beyond(env, model, domain, groupby_list[0], limit)
    else:
        length = len(groups) + (offset or 0)
    return {"groups": groups, "length": length}


def _count_groups_beyond(
    env: Env, model: str, domain: Sequence[Any], first: str, limit: int
) -> int:
    """``len(read_group(domain, [], [first], offset=limit, lazy=True))``.

    Without formatting the groups (labels, names, domains) only to count them, unless
    the field has a ``group_expand``: read_group adds its empty groups at any offset.
    """
    spec = env.registry[model]
    fname, _, granularity = parse_spec(first)
    fspec = spec.fields.get(fname)
    if (model, fname) in GROUP_EXPAND or fspec is None:
        return len(read_group(env, model, domain, [], [first], offset=limit, lazy=True))
    if fspec.type in ("date", "datetime"):
        first = f"{fname}:{granularity or 'month'}"
    _, rows = _read_group(env, model, domain, [first], [], offset=limit)
    return len(rows)


def _web_read_group_19(
    env: Env,
    model: str,
    domain: Sequence[Any],
    groupby: Sequence[str],
    aggregates: Sequence[str] = (),
    limit: int | None = None,
    offset: int = 0,
    order: str | None = None,
    **options: Any,
) -> dict[str, Any]:
    if not isinstance(groupby, (list, tuple)) or not groupby:
        raise ValueError("groupby must be a non-empty list or tuple")
    aggregates = list(aggregates)
    if "__count" not in aggregates:
        aggregates.append("__count")
    first = [groupby[0]]
    read_order = _web_order(order, first, aggregates)
    groups = formatted_read_group(
        env, model, domain, first, aggregates, offset=offset, limit=limit, order=read_order
    )
    if not groups:
        length = 0
    elif limit and len(groups) == limit:
        _, rest = _read_group(env, model, domain, first, [], offset=limit, dotted=True)
        length = limit + len(rest)
    else:
        length = len(groups) + (offset or 0)
    for group in groups:
        group.pop("__fold", None)
    return {"groups": groups, "length": length}


def _web_order(order: str | None, groupby: list[str], aggregates: Sequence[str]) -> str:
    """19.0 ``_get_read_group_order``: a search-like order made valid for ``_read_group``."""
    if not order:
        return ", ".join(groupby)
    remaining = list(groupby)
    specs: list[str] = []
    for part in order.split(","):
        match = _ORDER_PART.fullmatch(part)
        if not match:
            raise ValueError(f"Invalid order {order!r} for web_read_group()")
        name = match["field"] + (f".{match['property']}" if match["property"] else "")
        direction = (match["direction"] or "ASC").upper()
        if match["nulls"]:
            direction += " " + match["nulls"].upper()
        if name == "__count":
            specs.append(f"{name} {direction}")
            continue
        for group in list(remaining):
            if group == name or group.startswith(f"{name}:"):
                remaining.remove(group)
                specs.append(f"{group} {direction}")
                break
        for agg in aggregates:
            if agg.startswith(f"{name}:"):
                specs.append(f"{agg} {direction}")
                break
    return ", ".join(specs + remaining)


# --------------------------------------------------------------------------------------
# ORM bridge: record selection, display names, comodel order, access
# --------------------------------------------------------------------------------------


def _group_expand_values(env: Env, expand: str, comodel: str, present: list[int]) -> list[int]:
    """Values a ``group_expand`` adds, in the comodel's order."""
    if expand == "crm_stage":
        # crm.lead._read_group_stage_ids: the groups' stages plus the stages of no team
        team_id = env.context.get("default_team_id")
        domain: list[Any] = ["|", ("id", "in", present)]
        if team_id:
            domain += ["|", ("team_id", "=", False), ("team_id", "=", team_id)]
        else:
            domain += [("team_id", "=", False)]
        if "team_id" not in env.registry[comodel].fields:
            domain = []
        return search_ids(env, comodel, domain)
    return present


def _records(env: Env, model: str) -> Any:
    from . import orm  # orm imports this module: import late

    return orm.BaseModel(env, model, ())  # type: ignore[arg-type]


def check_read_access(env: Env, model: str) -> None:
    """``check_access('read')`` on the model: the ACL (AccessError with Odoo's text)."""
    _records(env, model)._check_model_access("read")


def search_where(env: Env, model: str, domain: Sequence[Any], alias: str) -> tuple[str, list[Any]]:
    """WHERE (on ``alias``) of the records ``_search(domain)`` selects: domain, active_test, rules."""
    from . import domain as domainmod

    _ = getattr(env, "lang", None)  # validates context.lang like every search
    # domain.search_where adds the read rules itself (as Odoo's _apply_ir_rules): adding
    # them to the domain too would only evaluate them twice per row
    sql, params = domainmod.search_where(env, model, list(domain), alias)
    return sql, list(params)


def comodel_where(env: Env, model: str, alias: str) -> tuple[str, list[Any]]:
    """WHERE of the comodel records a many2many group may show (active ones, record rules)."""
    return search_where(env, model, [], alias)


def comodel_rule_where(env: Env, model: str, alias: str) -> tuple[str, list[Any]]:
    """Record rules of ``model`` (archived records included) for 19.0 dotted groupby joins."""
    records = _records(env, model)
    rule = records._rule_domain("read")
    if not rule:
        return "", []
    rule_env = env.with_context(active_test=False)  # type: ignore[attr-defined]
    sql, params = _records(rule_env, model)._search_sql(list(rule), order="id", apply_rules=False)
    return f'"{alias}"."id" IN ({sql})', list(params)


def display_names(env: Env, model: str, ids: Iterable[int]) -> dict[int, str]:
    """``display_name`` of records, computed as superuser."""
    wanted = sorted({int(i) for i in ids if i})
    if not wanted:
        return {}
    names: dict[int, Any] = _records(env, model).browse(wanted).display_names()
    return {rid: name for rid, name in names.items()}


def ordered_ids(env: Env, model: str, ids: Iterable[int]) -> list[int]:
    """``ids`` in ``model``'s default order (as superuser, archived records included)."""
    wanted = sorted({int(i) for i in ids if i})
    if not wanted:
        return []
    return search_ids(env, model, [("id", "in", wanted)])


def search_ids(env: Env, model: str, domain: Sequence[Any]) -> list[int]:
    """Ids matching ``domain`` in the model's default order, as superuser, archived included."""
    from . import domain as domainmod

    su_env = env.with_context(active_test=False).sudo()  # type: ignore[attr-defined]
    sql, params = domainmod.search_query(su_env, model, list(domain))
    return [int(row[0]) for row in env.cr.execute(sql, params)]


def fold_values(env: Env, model: str, ids: Iterable[int]) -> dict[int, bool]:
    """The ``fold`` flag of comodel records (kanban columns)."""
    wanted = sorted({int(i) for i in ids if i})
    if not wanted:
        return {}
    table = env.registry[model].table
    marks = ", ".join("?" for _ in wanted)
    rows = env.cr.execute(
        f'SELECT id, "{FOLD_FIELD}" FROM "{table}" WHERE id IN ({marks})', wanted
    ).fetchall()
    return {int(rid): bool(fold) for rid, fold in rows}


# --------------------------------------------------------------------------------------
# Public RPC methods (registered on every model through the ORM's method registry)
# --------------------------------------------------------------------------------------


def _register() -> None:
    from . import orm

    # Like a big read, a big groupby builds tens of thousands of acyclic rows: the cyclic
    # GC would rescan them again and again (up to a third of the call): paused meanwhile.

    def rpc_read_group(
        self: Any,
        domain: Sequence[Any],
        fields: Sequence[str],
        groupby: Sequence[str] | str,
        offset: int = 0,
        limit: int | None = None,
        orderby: str | bool = False,
        lazy: bool = True,
    ) -> list[dict[str, Any]]:
        with gc_paused():
            return read_group(
                self.env, self._name, domain, fields, groupby, offset, limit, orderby, lazy
            )

    def rpc_formatted_read_group(
        self: Any,
        domain: Sequence[Any],
        groupby: Sequence[str] = (),
        aggregates: Sequence[str] = (),
        having: Sequence[Any] = (),
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[dict[str, Any]]:
        with gc_paused():
            return formatted_read_group(
                self.env, self._name, domain, groupby, aggregates, having, offset, limit, order
            )

    def rpc_web_read_group(
        self: Any,
        domain: Sequence[Any],
        fields: Sequence[str],
        groupby: Sequence[str] | str,
        limit: int | None = None,
        offset: int = 0,
        orderby: str | bool = False,
        lazy: bool = True,
    ) -> dict[str, Any]:
        with gc_paused():
            return _web_read_group_18(
                self.env, self._name, domain, fields, groupby, limit, offset, orderby, lazy
            )

    def rpc_web_read_group_19(
        self: Any,
        domain: Sequence[Any],
        groupby: Sequence[str],
        aggregates: Sequence[str] = (),
        limit: int | None = None,
        offset: int = 0,
        order: str | None = None,
        *,
        auto_unfold: bool = False,
        opening_info: list[dict[str, Any]] | None = None,
        unfold_read_specification: dict[str, Any] | None = None,
        unfold_read_default_limit: int | None = 80,
        groupby_read_specification: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        with gc_paused():
            return _web_read_group_19(
                self.env, self._name, domain, groupby, aggregates, limit, offset, order
            )

    orm.method("*", "read_group", api="model")(rpc_read_group)
    orm.method("*", "formatted_read_group", api="model", since=19)(rpc_formatted_read_group)
    orm.method("*", "web_read_group", api="model", until=18)(rpc_web_read_group)
    orm.method("*", "web_read_group", api="model", since=19)(rpc_web_read_group_19)


_register()
