"""The demo report behind ``odoo-frames demo``: odoo_frames end to end, in under a minute.

It starts a sandbox with demo data (20,000 partners by default), connects, and runs:

1. **Top customers**: confirmed sales by customer, one server-side ``read_group``.
2. **Monthly revenue by country**: ``groupby`` by month per country (one
   ``formatted_read_group`` on Odoo 19, one ``read_group`` per country before), printed
   as a table and saved as a PNG chart under ``demo-output/``.
3. **Cleanup**: partner emails normalised (trimmed, lower case) with write-back: the
   plan is shown, a second client changes one of the records meanwhile, the apply
   reports that conflict instead of overwriting it, and the rest is written.
4. **Lead import**: incoming leads upserted into ``crm.lead`` keyed by email, so
   that leads already in Odoo are updated and duplicates are not created.

The sandbox stops at the end, on errors and on Ctrl-C. The data generator of the
sandbox is :mod:`odoo_frames.sandbox.demo`, a different module.

Example::

    from pathlib import Path
    from odoo_frames.demo import run

    run(scale=2_000, output_dir=Path("demo-output"))   # prints the report, returns 0
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .cli import format_table

if TYPE_CHECKING:
    import pandas as pd

    from .client import Client
    from .sandbox import Sandbox

__all__ = ["CHART_NAME", "run"]

#: File name of the chart, under the output directory.
CHART_NAME = "monthly_revenue_by_country.png"

#: Countries shown as columns of the monthly table (the chart draws them too).
TABLE_COUNTRIES = 4
#: Months shown in the table (the chart draws them all).
TABLE_MONTHS = 6


class Report:
    """Where the demo writes: section headers, tables, notes, timings."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.sections = 0

    def line(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    @contextmanager
    def section(self, title: str) -> Iterator[None]:
        self.sections += 1
        self.line()
        self.line(f"{self.sections}. {title}")
        started = time.monotonic()
        yield
        self.line(f"   ({time.monotonic() - started:.1f} s)")

    def note(self, text: str) -> None:
        self.line(f"   {text}")

    def table(self, headers: list[str], rows: list[list[Any]], max_width: int = 32) -> None:
        self.line(format_table(headers, rows, indent="   ", max_width=max_width))


def run(
    *,
    scale: int = 20_000,
    version: str = "18.0",
    output_dir: Path = Path("demo-output"),
    out: TextIO | None = None,
) -> int:
    """Start a sandbox, run the report, stop the sandbox; returns the exit code (0)."""
    from .sandbox import start

    report = Report(out or sys.stdout)
    began = time.monotonic()
    report.line(f"odoo_frames demo: an Odoo {version} sandbox with {scale:,} demo partners")
    box: Sandbox | None = None
    try:
        box = start(version=version, scale=scale)
        odoo = box.connect()
        report.note(
            f"sandbox started in {time.monotonic() - began:.1f} s at {box.url} "
            f"(database {box.db!r}); connected as {odoo.user!r} over {odoo.protocol!r}"
        )
        top_customers(odoo, report)
        revenue_by_country(odoo, report, output_dir)
        email_cleanup(box, odoo, report)
        lead_import(odoo, report)
        odoo.close()
    finally:
        if box is not None:
            box.stop()
    report.line()
    report.line(f"done in {time.monotonic() - began:.1f} s; the sandbox is stopped")
    return 0


# --------------------------------------------------------------------------------------
# 1. Top customers


def top_customers(odoo: Client, report: Report, n: int = 10) -> pd.DataFrame:
    so = odoo["sale.order"]
    top = (
        so[so.state == "sale"]
        .groupby("partner_id")
        .agg(revenue=("amount_total", "sum"), orders=("id", "count"))
        .sort_values("revenue", ascending=False)
        .head(n)
    )
    with report.section("Top customers: confirmed sales by customer, aggregated by the server"):
        report.note(top.explain())
        report.line()
        data = top.to_pandas()
        rows = [
            [rank, _text(r["partner_id.display_name"]), int(r["orders"]), float(r["revenue"])]
            for rank, (_, r) in enumerate(data.iterrows(), start=1)
        ]
        report.table(["#", "customer", "orders", "revenue"], rows)
    return data


# --------------------------------------------------------------------------------------
# 2. Monthly revenue by country


def monthly_revenue_by_country(odoo: Client) -> tuple[pd.DataFrame, list[str]]:
    """Revenue of confirmed orders: one row per month, one column per country name.

    Odoo 19 groups by a related field (``partner_id.country_id``) in one call; before
    19, one ``read_group`` by month per country, each filtered on the country through
    the dotted path (the filter runs on the server).
    """
    import pandas as pd

    so = odoo["sale.order"]
    confirmed = so[so.state == "sale"]
    month = "date_order:month"
    calls: list[str] = []
    if odoo.capabilities.formatted_read_group:
        grouped = confirmed.groupby(["partner_id.country_id", so.date_order.dt.month]).agg(
            revenue=("amount_total", "sum")
        )
        calls.append(grouped.explain())
        long = grouped.to_pandas().rename(columns={"partner_id.country_id.display_name": "country"})
        long["country"] = long["country"].fillna("(no country)")
    else:
        countries = odoo["res.country"][["name"]].to_pandas()
        parts = []
        for country_id, name in zip(countries["id"], countries["name"], strict=True):
            per_month = (
                confirmed[confirmed.partner_id.country_id == int(country_id)]
                .groupby(so.date_order.dt.month)
                .agg(revenue=("amount_total", "sum"))
            )
            if not calls:
                calls.append(per_month.explain())
            part = per_month.to_pandas()
            part["country"] = name
            parts.append(part)
        calls.append(f"... one such call per country ({len(parts)} calls)")
        long = pd.concat(parts, ignore_index=True)
    wide = long.pivot_table(index=month, columns="country", values="revenue", aggfunc="sum")
    order = wide.sum().sort_values(ascending=False).index
    wide = wide[order].fillna(0.0).sort_index().reset_index()
    wide.columns.name = None
    return wide, calls


def revenue_by_country(odoo: Client, report: Report, output_dir: Path) -> Path:
    with report.section("Monthly revenue by country: groupby month on the server, chart as PNG"):
        wide, calls = monthly_revenue_by_country(odoo)
        for call in calls:
            report.note(call)
        report.line()
        month = "date_order:month"
        countries = [c for c in wide.columns if c != month]
        shown = countries[:TABLE_COUNTRIES]
        recent = wide.tail(TABLE_MONTHS)
        rows = []
        for _, row in recent.iterrows():
            rows.append(
                [
                    _month(row[month]),
                    *(float(row[c]) for c in shown),
                    float(sum(row[c] for c in countries)),
                ]
            )
        report.table(["month", *shown, "all countries"], rows)
        path = save_chart(wide, countries[:6], output_dir / CHART_NAME)
        report.note(
            f"chart: {path} ({len(wide)} months, top {min(6, len(countries))} of "
            f"{len(countries)} countries)"
        )
    return path


def save_chart(wide: pd.DataFrame, countries: list[str], path: Path) -> Path:
    """A line per country over the months, saved as PNG (no window, no pyplot state)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import StrMethodFormatter

    from .plotting import line

    figure = Figure(figsize=(10, 5), dpi=100)
    axes = figure.subplots()
    line(wide, x="date_order:month", y=countries, ax=axes)
    axes.set_title("Monthly revenue of confirmed sales orders, by customer country")
    axes.set_xlabel("month of the order")
    axes.set_ylabel("revenue")
    axes.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    return path


# --------------------------------------------------------------------------------------
# 3. Cleanup: write-back with plan, conflict, apply


def email_cleanup(box: Sandbox, odoo: Client, report: Report) -> None:
    """Normalise partner emails: plan, a conflicting change by another client, apply."""
    with report.section("Cleanup: normalise partner emails (plan, a conflict, apply)"):
        p = odoo["res.partner"]
        before = p[p.email.notna()][["name", "email"]].to_pandas()
        after = before.assign(email=before["email"].str.strip().str.lower())
        plan = odoo.diff(before, after)
        report.note(
            f"before = partners[partners.email.notna()][['name', 'email']]: {len(before):,} rows"
        )
        report.note("after = before.assign(email=before.email.str.strip().str.lower())")
        report.note(f"plan = odoo.diff(before, after) -> {plan.summary()}")
        report.line()
        names = dict(zip(before["id"], before["name"], strict=True))
        changes = plan.to_pandas().head(5)
        report.table(
            ["id", "partner", "email before", "email after"],
            [[str(r.id), names.get(r.id), r.before, r.after] for r in changes.itertuples()],
            max_width=40,
        )
        if not plan.updates:
            report.note("nothing to clean up")
            return

        # Meanwhile a colleague fixes one of these partners by hand, in another session.
        target = plan.updates[0].id
        colleague = box.connect()
        colleague.call("res.partner", "write", [target], {"email": "fixed.by.hand@example.com"})
        colleague.close()
        report.line()
        report.note(f"meanwhile a second client writes partner {target}'s email by hand")

        result = plan.apply(progress=False)
        report.note(f"result = plan.apply() -> {result.summary()}")
        for row in result.conflicts[:3]:
            report.note(f"  conflict, id {row.id}: {_first_line(row.message)}")
        kept = odoo.call("res.partner", "read", [target], ["email"])[0]["email"]
        report.note(f"partner {target} keeps the colleague's value: {kept!r} (not overwritten)")
        again = plan.apply(progress=False)
        report.note(f"applying the plan again writes nothing twice -> {again.summary()}")


# --------------------------------------------------------------------------------------
# 4. Lead import: upsert by email


def incoming_leads(existing: pd.DataFrame, new: int = 90, known: int = 40) -> pd.DataFrame:
    """A web-form export as it arrives: new prospects, known leads, repeats, messy case.

    ``existing`` holds the leads of the database (``email_from`` and ``phone``); the known
    ones come back with a new phone number, their email typed in capitals.
    """
    import pandas as pd

    with_email = existing[existing["email_from"].notna()]
    single = with_email[~with_email["email_from"].duplicated(keep=False)]
    known_leads = single[single["email_from"] == single["email_from"].str.lower()].head(known)
    rows = [
        {
            "name": str(lead.name),
            "email_from": f"  {str(lead.email_from).upper()} ",
            "phone": f"+32 470 {index:02d} {index:02d} {index:02d}",
        }
        for index, lead in enumerate(known_leads.itertuples())
    ]
    for index in range(new):
        rows.append(
            {
                "name": f"Web form: prospect {index + 1}",
                "email_from": f"Buyer{index + 1}@Prospect{index + 1}.example.com",
                "phone": f"+1 555 01{index:02d}",
            }
        )
    repeats = [dict(r, email_from=r["email_from"].lower()) for r in rows[-10:]]
    return pd.DataFrame(rows + repeats)


def lead_import(odoo: Client, report: Report) -> None:
    """Import web-form leads: dedup the file in pandas, then upsert by email."""
    with report.section("Lead import: upsert incoming leads by email (no duplicates)"):
        leads = odoo["crm.lead"]
        existing = leads[["email_from", "name", "phone"]].to_pandas()
        incoming = incoming_leads(existing)
        clean = incoming.assign(email_from=incoming["email_from"].str.strip().str.lower())
        clean = clean.drop_duplicates("email_from", keep="last")
        report.note(
            f"incoming: {len(incoming)} rows; emails trimmed and lower-cased, "
            f"{len(incoming) - len(clean)} repeats dropped -> {len(clean)} leads"
        )
        result = leads.upsert(clean, key="email_from", progress=False)
        report.note(
            f'result = odoo["crm.lead"].upsert(leads, key="email_from") -> {result.summary()}'
        )
        report.line()
        report.table(["status", "leads"], [[k, v] for k, v in result.counts.items()])
        report.line()
        emails = clean["email_from"].tolist()
        in_odoo = len(leads[leads.email_from.isin(emails)])
        report.note(f"check: {len(emails)} distinct emails -> {in_odoo} leads in Odoo")
        again = leads.upsert(clean, key="email_from", progress=False)
        report.note(f"importing the same file again -> {again.summary()}")


# --------------------------------------------------------------------------------------
# formatting helpers


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "(none)"


def _month(value: Any) -> str:
    import pandas as pd

    return "(none)" if value is None or value is pd.NaT else pd.Timestamp(value).strftime("%Y-%m")
