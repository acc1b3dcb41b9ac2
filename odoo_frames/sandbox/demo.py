"""Deterministic demo data for the sandbox, in the format of the Odoo 18 reference dataset.

``generate()`` returns ``(dataset, server)`` exactly like ``dataset.json`` and ``server.json``
of the recorded reference database, so one loader (``Database.load_dataset``) serves both:

* ``dataset`` is ``{model: {"next_id", "sequence", "count", "records"}}`` for the 24 models of
  ``data/schema.json``; every record carries every curated field of its model in Odoo's read
  format (many2one ``[id, display_name]`` or ``False``, x2many id lists in the comodel's order,
  ``False`` for unset values, ``0`` / ``0.0`` for unset numbers, dates ``YYYY-MM-DD``,
  datetimes ``YYYY-MM-DD HH:MM:SS`` in UTC);
* ``server`` names the database ``demo``, the users ``admin``/``admin`` (uid 2, with an API
  key derived from the seed) and ``demo``/``demo`` (uid 6, a sales user) and the companies.

``scale`` is the number of ``res.partner`` records; the rest follows in fixed proportions
(0.4 sale orders per partner with about 10 lines each, invoices and their payments for most
confirmed orders, vendor bills, CRM leads, stock quants per product and location). All dates
lie in the two years before ``today``; the same ``seed`` and ``today`` give the same data.

The base data (countries, currencies, companies, users, units of measure, chart of accounts,
journals, taxes, locations, warehouses, CRM stages and tags) is a small curated set embedded
here, with the ids real Odoo 18 gives those records.

Records share their many2one pairs (``[id, display_name]`` lists) with each other: treat the
result as read-only, or deep-copy it before changing values in place.

Example::

    >>> import datetime
    >>> dataset, server = generate(2000, seed=1, today=datetime.date(2026, 11, 27))
    >>> dataset["res.partner"]["count"], dataset["sale.order"]["count"]
    (2000, 800)
    >>> server["users"][0]["login"], server["database"]
    ('admin', 'demo')
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import json
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import accumulate
from typing import Any

from .._gc import gc_paused

__all__ = [
    "BILLS_PER_PARTNER",
    "LEADS_PER_PARTNER",
    "MIN_SCALE",
    "ORDERS_PER_PARTNER",
    "generate",
]

#: Smallest accepted ``scale``: the base partners (companies, users) plus a few customers.
MIN_SCALE = 50

Record = dict[str, Any]
#: A many2one value as Odoo reads it: ``[id, display_name]``.
Pair = list[Any]

# Proportions (per res.partner record) and shapes of the generated documents.
ORDERS_PER_PARTNER = 0.4
LEADS_PER_PARTNER = 0.12
BILLS_PER_PARTNER = 0.02
MAX_LINES_PER_ORDER = 19  # lines per order are uniform in 1..19: about 10 on average

_DAY = 86_400
#: Day index of ``today`` in the generator's calendar (day 0 is 800 days before today).
_TODAY = 800
#: Base data and the first customers were "installed" 790 days before today.
_SETUP_DAY = _TODAY - 790
#: Documents (orders, invoices, leads) are spread over the two years before today.
_WINDOW_START_DAY = _TODAY - 730
#: Future dates (due dates, deadlines, validity) reach at most this far.
_FUTURE_DAYS = 400

# ---------------------------------------------------------------------------------------------
# Curated base data (ids as real Odoo 18 gives them)
# ---------------------------------------------------------------------------------------------
# Data tables are laid out by hand, several rows a line: keep the formatter away.
# fmt: off

# id, name, full name, symbol, active, decimals, rounding, position, unit label, subunit label, iso
_CURRENCIES: tuple[tuple[Any, ...], ...] = (
    (1, "USD", "United States dollar", "$", True, 2, 0.01, "before", "Dollars", "Cents", 840),
    (3, "CAD", "Canadian dollar", "$", False, 2, 0.01, "after", "Dollars", "Cents", 124),
    (4, "CHF", "Swiss franc", "CHF", False, 2, 0.01, "before", "Franc", "Centimes", 756),
    (5, "BRL", "Brazilian real", "R$", False, 2, 0.01, "before", "Real", "Centavos", 986),
    (20, "INR", "Indian rupee", "₹", False, 2, 0.01, "before", "Rupees", "Paise", 356),
    (21, "AUD", "Australian dollar", "$", False, 2, 0.01, "before", "Dollars", "Cents", 36),
    (25, "JPY", "Japanese yen", "¥", False, 0, 1.0, "before", "Yen", "Cen", 392),
    (33, "MXN", "Mexican peso", "$", False, 2, 0.01, "before", "Pesos", "Centavos", 484),
    (125, "EUR", "Euro", "€", True, 2, 0.01, "after", "Euros", "Cents", 978),
    (143, "GBP", "Pound sterling", "£", False, 2, 0.01, "before", "Sterling", "Penny", 826),
)

_ADDRESS_US = "%(street)s\n%(street2)s\n%(city)s %(state_code)s %(zip)s\n%(country_name)s"
_ADDRESS_EU = "%(street)s\n%(street2)s\n%(zip)s %(city)s\n%(country_name)s"

# id, code, name, currency id, phone code, state required, zip required, vat label,
# name position, address format
_COUNTRIES: tuple[tuple[Any, ...], ...] = (
    (13, "AU", "Australia", 21, 61, True, True, "ABN", "before", _ADDRESS_US),
    (20, "BE", "Belgium", 125, 32, False, True, "VAT", "before", _ADDRESS_EU),
    (31, "BR", "Brazil", 5, 55, False, True, False, "before",
     "%(street)s\n%(street2)s\n%(city)s %(state_code)s\n%(zip)s\n%(country_name)s"),
    (38, "CA", "Canada", 3, 1, True, True, "GST/HST number", "before", _ADDRESS_US),
    (43, "CH", "Switzerland", 4, 41, False, True, False, "before", _ADDRESS_EU),
    (57, "DE", "Germany", 125, 49, False, True, "VAT", "before", _ADDRESS_EU),
    (68, "ES", "Spain", 125, 34, False, True, "VAT", "before",
     "%(street)s\n%(street2)s\n%(zip)s %(city)s\n%(state_name)s\n%(country_name)s"),
    (75, "FR", "France", 125, 33, False, True, "VAT", "before", _ADDRESS_EU),
    (104, "IN", "India", 20, 91, True, True, "GSTIN", "before",
     "%(street)s\n%(street2)s\n%(city)s %(zip)s\n%(state_name)s %(state_code)s\n%(country_name)s"),
    (109, "IT", "Italy", 125, 39, True, True, "VAT", "before", _ADDRESS_US),
    (113, "JP", "Japan", 25, 81, True, True, False, "after",
     "%(zip)s\n%(state_name)s %(city)s\n%(street)s\n%(street2)s\n%(country_name)s"),
    (156, "MX", "Mexico", 33, 52, True, True, "RFC", "before",
     "%(street)s\n%(street2)s\n%(zip)s %(city)s, %(state_code)s\n%(country_name)s"),
    (165, "NL", "Netherlands", 125, 31, False, True, "VAT", "before", _ADDRESS_EU),
    (231, "GB", "United Kingdom", 143, 44, False, True, "VAT", "before",
     "%(street)s\n%(street2)s\n%(city)s\n%(state_name)s\n%(zip)s\n%(country_name)s"),
    (233, "US", "United States", 1, 1, True, True, "", "before", _ADDRESS_US),
)

# Country code -> states (id, code, name). Complete for US, CA, MX, BR, IN and AU; the main
# provinces only for IT and JP; none for the other countries (a curated subset).
_STATES: dict[str, tuple[tuple[int, str, str], ...]] = {
    "AU": (
        (1, "ACT", "Australian Capital Territory"), (2, "NSW", "New South Wales"),
        (3, "NT", "Northern Territory"), (4, "QLD", "Queensland"), (5, "SA", "South Australia"),
        (6, "TAS", "Tasmania"), (7, "VIC", "Victoria"), (8, "WA", "Western Australia"),
    ),
    "US": (
        (9, "AL", "Alabama"), (10, "AK", "Alaska"), (11, "AZ", "Arizona"), (12, "AR", "Arkansas"),
        (13, "CA", "California"), (14, "CO", "Colorado"), (15, "CT", "Connecticut"),
        (16, "DE", "Delaware"), (17, "DC", "District of Columbia"), (18, "FL", "Florida"),
        (19, "GA", "Georgia"), (20, "HI", "Hawaii"), (21, "ID", "Idaho"), (22, "IL", "Illinois"),
        (23, "IN", "Indiana"), (24, "IA", "Iowa"), (25, "KS", "Kansas"), (26, "KY", "Kentucky"),
        (27, "LA", "Louisiana"), (28, "ME", "Maine"), (29, "MT", "Montana"),
        (30, "NE", "Nebraska"), (31, "NV", "Nevada"), (32, "NH", "New Hampshire"),
        (33, "NJ", "New Jersey"), (34, "NM", "New Mexico"), (35, "NY", "New York"),
        (36, "NC", "North Carolina"), (37, "ND", "North Dakota"), (38, "OH", "Ohio"),
        (39, "OK", "Oklahoma"), (40, "OR", "Oregon"), (41, "MD", "Maryland"),
        (42, "MA", "Massachusetts"), (43, "MI", "Michigan"), (44, "MN", "Minnesota"),
        (45, "MS", "Mississippi"), (46, "MO", "Missouri"), (47, "PA", "Pennsylvania"),
        (48, "RI", "Rhode Island"), (49, "SC", "South Carolina"), (50, "SD", "South Dakota"),
        (51, "TN", "Tennessee"), (52, "TX", "Texas"), (53, "UT", "Utah"), (54, "VT", "Vermont"),
        (55, "VA", "Virginia"), (56, "WA", "Washington"), (57, "WV", "West Virginia"),
        (58, "WI", "Wisconsin"), (59, "WY", "Wyoming"), (60, "AS", "American Samoa"),
        (61, "FM", "Federated States of Micronesia"), (62, "GU", "Guam"),
        (63, "MH", "Marshall Islands"), (64, "MP", "Northern Mariana Islands"), (65, "PW", "Palau"),
        (66, "PR", "Puerto Rico"), (67, "VI", "Virgin Islands"),
        (68, "AA", "Armed Forces Americas"), (69, "AE", "Armed Forces Europe"),
        (70, "AP", "Armed Forces Pacific"),
    ),
    "BR": (
        (71, "AC", "Acre"), (72, "AL", "Alagoas"), (73, "AP", "Amapá"), (74, "AM", "Amazonas"),
        (75, "BA", "Bahia"), (76, "CE", "Ceará"), (77, "DF", "Distrito Federal"),
        (78, "ES", "Espírito Santo"), (79, "GO", "Goiás"), (80, "MA", "Maranhão"),
        (81, "MT", "Mato Grosso"), (82, "MS", "Mato Grosso do Sul"), (83, "MG", "Minas Gerais"),
        (84, "PA", "Pará"), (85, "PB", "Paraíba"), (86, "PR", "Paraná"), (87, "PE", "Pernambuco"),
        (88, "PI", "Piauí"), (89, "RJ", "Rio de Janeiro"), (90, "RN", "Rio Grande do Norte"),
        (91, "RS", "Rio Grande do Sul"), (92, "RO", "Rondônia"), (93, "RR", "Roraima"),
        (94, "SC", "Santa Catarina"), (95, "SP", "São Paulo"), (96, "SE", "Sergipe"),
        (97, "TO", "Tocantins"),
    ),
    "JP": (
        (201, "23", "Aichi"), (207, "40", "Fukuoka"), (212, "01", "Hokkaido"),
        (219, "14", "Kanagawa"), (222, "26", "Kyoto"), (233, "27", "Osaka"), (243, "13", "Tokyo"),
    ),
    "IT": (
        (320, "BO", "Bologna"), (340, "FI", "Firenze"), (363, "MI", "Milano"),
        (366, "NA", "Napoli"), (391, "RM", "Roma"), (403, "TO", "Torino"),
    ),
    "MX": (
        (485, "AGU", "Aguascalientes"), (486, "BCN", "Baja California"),
        (487, "BCS", "Baja California Sur"), (488, "CHH", "Chihuahua"), (489, "COL", "Colima"),
        (490, "CAM", "Campeche"), (491, "COA", "Coahuila"), (492, "CHP", "Chiapas"),
        (493, "CMX", "Ciudad de México"), (494, "DUR", "Durango"), (495, "GRO", "Guerrero"),
        (496, "GUA", "Guanajuato"), (497, "HID", "Hidalgo"), (498, "JAL", "Jalisco"),
        (499, "MIC", "Michoacán"), (500, "MOR", "Morelos"), (501, "MEX", "México"),
        (502, "NAY", "Nayarit"), (503, "NLE", "Nuevo León"), (504, "OAX", "Oaxaca"),
        (505, "PUE", "Puebla"), (506, "ROO", "Quintana Roo"), (507, "QUE", "Querétaro"),
        (508, "SIN", "Sinaloa"), (509, "SLP", "San Luis Potosí"), (510, "SON", "Sonora"),
        (511, "TAB", "Tabasco"), (512, "TLA", "Tlaxcala"), (513, "TAM", "Tamaulipas"),
        (514, "VER", "Veracruz"), (515, "YUC", "Yucatán"), (516, "ZAC", "Zacatecas"),
    ),
    "CA": (
        (533, "AB", "Alberta"), (534, "BC", "British Columbia"), (535, "MB", "Manitoba"),
        (536, "NB", "New Brunswick"), (537, "NL", "Newfoundland and Labrador"),
        (538, "NT", "Northwest Territories"), (539, "NS", "Nova Scotia"), (540, "NU", "Nunavut"),
        (541, "ON", "Ontario"), (542, "PE", "Prince Edward Island"), (543, "QC", "Quebec"),
        (544, "SK", "Saskatchewan"), (545, "YT", "Yukon"),
    ),
    "IN": (
        (577, "AN", "Andaman and Nicobar"), (578, "AP", "Andhra Pradesh"),
        (579, "AR", "Arunachal Pradesh"), (580, "AS", "Assam"), (581, "BR", "Bihar"),
        (582, "CH", "Chandigarh"), (583, "CG", "Chattisgarh"), (584, "DN", "Dadra and Nagar Haveli"),
        (585, "DD", "Daman and Diu"), (586, "DL", "Delhi"), (587, "GA", "Goa"),
        (588, "GJ", "Gujarat"), (589, "HR", "Haryana"), (590, "HP", "Himachal Pradesh"),
        (591, "JK", "Jammu and Kashmir"), (592, "JH", "Jharkhand"), (593, "KA", "Karnataka"),
        (594, "KL", "Kerala"), (595, "LD", "Lakshadweep"), (596, "MP", "Madhya Pradesh"),
        (597, "MH", "Maharashtra"), (598, "MN", "Manipur"), (599, "ML", "Meghalaya"),
        (600, "MZ", "Mizoram"), (601, "NL", "Nagaland"), (602, "OR", "Orissa"),
        (603, "PY", "Puducherry"), (604, "PB", "Punjab"), (605, "RJ", "Rajasthan"),
        (606, "SK", "Sikkim"), (607, "TN", "Tamil Nadu"), (608, "TS", "Telangana"),
        (609, "TR", "Tripura"), (610, "UP", "Uttar Pradesh"), (611, "UK", "Uttarakhand"),
        (612, "WB", "West Bengal"),
    ),
}

# id, name, factor, rounding, type (the 26 units of a fresh Odoo 18 database)
_UOMS: tuple[tuple[int, str, float, str], ...] = (
    (1, "Units", 1.0, "reference"), (2, "Dozens", 1 / 12, "bigger"),
    (3, "Days", 1.0, "reference"), (4, "Hours", 8.0, "smaller"),
    (5, "m", 1.0, "reference"), (6, "mm", 1000.0, "smaller"), (7, "km", 0.001, "bigger"),
    (8, "cm", 100.0, "smaller"), (9, "m²", 1.0, "reference"), (10, "L", 1.0, "reference"),
    (11, "m³", 0.001, "bigger"), (12, "kg", 1.0, "reference"), (13, "g", 1000.0, "smaller"),
    (14, "t", 0.001, "bigger"), (15, "lb", 2.20462, "smaller"), (16, "oz", 35.274, "smaller"),
    (17, "in", 39.3701, "smaller"), (18, "ft", 3.28084, "smaller"),
    (19, "yd", 1.09361, "smaller"), (20, "mi", 1 / 1609.34, "bigger"),
    (21, "ft²", 10.76391, "smaller"), (22, "fl oz (US)", 33.814, "smaller"),
    (23, "qt (US)", 1.05669, "smaller"), (24, "gal (US)", 1 / 3.78541, "bigger"),
    (25, "in³", 61.0237, "smaller"), (26, "ft³", 1 / 28.3168, "bigger"),
)

# id, code, name, type, reconcile (the US generic chart of company 1)
_ACCOUNTS: tuple[tuple[int, str, str, str, bool], ...] = (
    (1, "101000", "Current Assets", "asset_current", False),
    (2, "110100", "Stock Valuation", "asset_current", False),
    (3, "110200", "Stock Interim (Received)", "asset_current", True),
    (4, "110300", "Stock Interim (Delivered)", "asset_current", True),
    (5, "110400", "Cost of Production", "asset_current", True),
    (6, "110500", "Work in Progress", "asset_current", True),
    (7, "121000", "Account Receivable", "asset_receivable", True),
    (8, "121100", "Products to receive", "asset_current", True),
    (9, "128000", "Prepaid Expenses", "asset_current", False),
    (10, "131000", "Tax Paid", "asset_current", False),
    (11, "132000", "Tax Receivable", "asset_current", False),
    (12, "141000", "Prepayments", "asset_prepayments", False),
    (13, "151000", "Fixed Asset", "asset_fixed", False),
    (14, "191000", "Non-current assets", "asset_non_current", False),
    (15, "201000", "Current Liabilities", "liability_current", False),
    (16, "211000", "Account Payable", "liability_payable", True),
    (17, "211100", "Bills to receive", "liability_current", True),
    (18, "212000", "Deferred Revenue", "liability_current", False),
    (19, "230000", "Salary Payable", "liability_current", True),
    (20, "230100", "Employee Payroll Taxes", "liability_current", True),
    (21, "230200", "Employer Payroll Taxes", "liability_current", True),
    (22, "251000", "Tax Received", "liability_current", False),
    (23, "252000", "Tax Payable", "liability_current", False),
    (24, "291000", "Non-current Liabilities", "liability_non_current", False),
    (25, "301000", "Capital", "equity", False),
    (26, "302000", "Dividends", "equity", False),
    (27, "400000", "Product Sales", "income", False),
    (28, "441000", "Foreign Exchange Gain", "income", False),
    (29, "442000", "Cash Difference Gain", "income", False),
    (30, "443000", "Cash Discount Loss", "expense", False),
    (31, "450000", "Other Income", "income_other", False),
    (32, "500000", "Cost of Goods Sold", "expense_direct_cost", False),
    (33, "600000", "Expenses", "expense", False),
    (34, "611000", "Purchase of Equipments", "expense", False),
    (35, "612000", "Rent", "expense", False),
    (36, "620000", "Bank Fees", "expense", False),
    (37, "630000", "Salary Expenses", "expense", False),
    (38, "641000", "Foreign Exchange Loss", "expense", False),
    (39, "642000", "Cash Difference Loss", "expense", False),
    (40, "643000", "Cash Discount Gain", "income", False),
    (41, "961000", "RD Expenses", "expense", False),
    (42, "962000", "Sales Expenses", "expense", False),
    (43, "101300", "Account Receivable (PoS)", "asset_receivable", True),
    (44, "201100", "Credit Card", "liability_credit_card", False),
    (45, "101401", "Bank", "asset_cash", False),
    (46, "101501", "Cash", "asset_cash", False),
    (47, "101402", "Bank Suspense Account", "asset_current", False),
    (48, "101701", "Liquidity Transfer", "asset_current", True),
    (49, "101403", "Outstanding Receipts", "asset_current", True),
    (50, "101404", "Outstanding Payments", "asset_current", True),
    (51, "999999", "Undistributed Profits/Losses", "equity_unaffected", False),
)
#: Codes of company 1's accounts that company 2 gets its own copy of (ids 52...).
_COMPANY2_ACCOUNT_CODES = (
    "121000", "211000", "251000", "131000", "400000", "600000", "101401", "101402", "101501",
    "999999",
)

# id, name, complete-name parent, usage, company, warehouse, barcode, active, scrap,
# replenish, posz (the 33 locations of the two warehouses of the reference database)
_LOCATIONS: tuple[tuple[Any, ...], ...] = (
    (1, "Physical Locations", None, "view", None, None, False, True, False, False, 0),
    (2, "Partners", None, "view", None, None, False, True, False, False, 1),
    (3, "Virtual Locations", None, "view", None, None, False, True, False, False, 1),
    (4, "Vendors", 2, "supplier", None, None, False, True, False, False, 0),
    (5, "Customers", 2, "customer", None, None, False, True, False, False, 0),
    (6, "Inter-company transit", 3, "transit", None, None, False, True, False, False, 0),
    (7, "WH", 1, "view", 1, 1, False, True, False, False, 0),
    (8, "Stock", 7, "internal", 1, 1, "WHSTOCK", True, False, True, 0),
    (9, "Input", 7, "internal", 1, 1, "WHINPUT", False, False, False, 0),
    (10, "Quality Control", 7, "internal", 1, 1, "WHQUALITY", False, False, False, 0),
    (11, "Output", 7, "internal", 1, 1, "WHOUTPUT", False, False, False, 0),
    (12, "Packing Zone", 7, "internal", 1, 1, "WHPACKING", False, False, False, 0),
    (13, "Inter-warehouse transit", 1, "transit", 1, None, False, False, False, False, 0),
    (14, "Inventory adjustment", 3, "inventory", 1, None, False, True, False, False, 0),
    (15, "Production", 3, "production", 1, None, False, True, False, False, 0),
    (16, "Scrap", 3, "inventory", 1, None, False, True, True, False, 0),
    (17, "Shelf 2", 8, "internal", 1, 1, "SHELF2", True, False, False, 0),
    (18, "Shelf 1", 8, "internal", 1, 1, "SHELF1", True, False, False, 0),
    (19, "Order Processing", 9, "internal", 1, 1, False, True, False, False, 0),
    (20, "Dispatch Zone", 19, "internal", 1, 1, False, True, False, False, 0),
    (21, "Gate A", 20, "internal", 1, 1, False, True, False, False, 0),
    (22, "Gate B", 20, "internal", 1, 1, False, True, False, False, 0),
    (23, "Inter-warehouse transit", 1, "transit", 2, None, False, False, False, False, 0),
    (24, "Inventory adjustment", 3, "inventory", 2, None, False, True, False, False, 0),
    (25, "Production", 3, "production", 2, None, False, True, False, False, 0),
    (26, "Scrap", 3, "inventory", 2, None, False, True, True, False, 0),
    (27, "My Co", 1, "view", 2, 2, False, True, False, False, 0),
    (28, "Stock", 27, "internal", 2, 2, "MYCOSTOCK", True, False, True, 0),
    (29, "Input", 27, "internal", 2, 2, "MYCOINPUT", False, False, False, 0),
    (30, "Quality Control", 27, "internal", 2, 2, "MYCOQUALITY", False, False, False, 0),
    (31, "Output", 27, "internal", 2, 2, "MYCOOUTPUT", False, False, False, 0),
    (32, "Packing Zone", 27, "internal", 2, 2, "MYCOPACKING", False, False, False, 0),
    (33, "Small Refrigerator", 17, "internal", 1, 1, "REFRIG", True, False, False, 0),
)

#: The rate of the sale and purchase taxes of both companies.
_TAX_PERCENT = 15.0
_CRM_STAGES = ((1, "New", 1, False), (2, "Qualified", 2, False), (3, "Proposition", 3, False),
               (4, "Won", 70, True))
_CRM_TAGS = ("Product", "Software", "Services", "Information", "Design", "Training",
             "Consulting", "Other")
# id, name, color, parent id
_PARTNER_TAGS = (
    (1, "Vendor", 2, None), (2, "Prospects", 3, None), (3, "Employees", 4, None),
    (4, "Consulting Services", 5, None), (5, "Services", 7, None),
    (6, "Office Supplies", 8, 1), (7, "Desk Manufacturers", 10, 1), (8, "VIP", 1, None),
    (9, "Retail", 9, None), (10, "Wholesale", 11, None),
)

# id, name, type, company, code, default account code, sequence, color, dashboard, refund seq
_JOURNALS: tuple[tuple[Any, ...], ...] = (
    (1, "Customer Invoices", "sale", 1, "INV", "400000", 5, 11, True, True),
    (2, "Vendor Bills", "purchase", 1, "BILL", "600000", 6, 11, True, True),
    (3, "Miscellaneous Operations", "general", 1, "MISC", None, 9, 0, False, False),
    (4, "Exchange Difference", "general", 1, "EXCH", None, 10, 0, False, False),
    (5, "Cash Basis Taxes", "general", 1, "CABA", None, 10, 0, False, False),
    (6, "Bank", "bank", 1, "BNK1", "101401", 7, 0, True, False),
    (7, "Cash", "cash", 1, "CSH1", "101501", 10, 0, True, False),
    (8, "Inventory Valuation", "general", 1, "STJ", None, 10, 0, False, False),
    (9, "Customer Invoices", "sale", 2, "INV", "400000", 5, 11, True, True),
    (10, "Vendor Bills", "purchase", 2, "BILL", "600000", 6, 11, True, True),
    (11, "Miscellaneous Operations", "general", 2, "MISC", None, 9, 0, False, False),
    (12, "Bank", "bank", 2, "BNK1", "101401", 7, 0, True, False),
    (13, "Cash", "cash", 2, "CSH1", "101501", 10, 0, True, False),
)

_COMPANY_NAMES = {1: "My Company (San Francisco)", 2: "My Company (Chicago)"}
#: The partner of each company.
_COMPANY_PARTNERS = {1: 1, 2: 12}

# Users: id, login, name, partner id, active, share, company ids, email
_USERS: tuple[tuple[Any, ...], ...] = (
    (1, "__system__", "OdooBot", 2, False, False, (1, 2), "odoobot@example.com"),
    (2, "admin", "Mitchell Admin", 3, True, False, (1, 2), "admin@yourcompany.example.com"),
    (3, "default", "Default User Template", 5, False, False, (1,), False),
    (4, "public", "Public user", 4, False, True, (1,), False),
    (5, "portaltemplate", "Portal User Template", 6, False, True, (1,), False),
    (6, "demo", "Marc Demo", 7, True, False, (1, 2), "mark.brown23@example.com"),
    (7, "portal", "Joel Willis", 8, True, True, (1,), "joel.willis63@example.com"),
    (8, "sophie", "Sophie Lambert", 9, True, False, (1, 2), "sophie.lambert@yourcompany.example.com"),
    (9, "rahul", "Rahul Mehta", 10, True, False, (1,), "rahul.mehta@yourcompany.example.com"),
    (10, "emma", "Emma Fischer", 11, True, False, (1, 2), "emma.fischer@yourcompany.example.com"),
)
#: Salespeople (user ids) and how many of the documents each one owns.
_SALESPEOPLE = (2, 6, 8, 9, 10)
_SALESPEOPLE_WEIGHTS = (18, 26, 20, 20, 16)
#: Partners 1..12 are the base records; generated customers start at this id.
_FIRST_GENERATED_PARTNER = 13

_INSTALLED_MODULES = (
    "account", "account_edi_ubl_cii", "account_payment", "analytic", "auth_signup", "auth_totp",
    "auth_totp_mail", "auth_totp_portal", "barcodes", "barcodes_gs1_nomenclature", "base",
    "base_import", "base_import_module", "base_install_request", "base_setup", "bus", "calendar",
    "calendar_sms", "contacts", "crm", "crm_iap_enrich", "crm_iap_mine", "crm_sms", "digest",
    "google_gmail", "html_editor", "http_routing", "iap", "iap_crm", "iap_mail", "l10n_us",
    "l10n_us_account", "mail", "mail_bot", "onboarding", "partner_autocomplete", "payment",
    "phone_validation", "portal", "privacy_lookup", "product", "resource", "resource_mail",
    "sale", "sale_async_emails", "sale_crm", "sale_edi_ubl", "sale_management",
    "sale_pdf_quote_builder", "sale_sms", "sale_stock", "sales_team", "sms", "snailmail",
    "snailmail_account", "spreadsheet", "spreadsheet_account", "spreadsheet_dashboard",
    "spreadsheet_dashboard_account", "spreadsheet_dashboard_sale",
    "spreadsheet_dashboard_stock_account", "stock", "stock_account", "stock_sms", "uom", "utm",
    "web", "web_editor", "web_tour", "web_unsplash",
)

# ---------------------------------------------------------------------------------------------
# Pools for customers: names, streets, cities per country
# ---------------------------------------------------------------------------------------------

_FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
           "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
           "Thomas", "Sarah", "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony",
           "Betty", "Mark", "Sandra", "Steven", "Ashley", "Paul", "Emily", "Andrew", "Donna",
           "Joshua", "Michelle", "Kevin", "Amanda", "Brian", "Melissa", "Olivia", "Liam", "Emma",
           "Noah", "Ava", "Ethan", "Sophia", "Mason", "Chloe", "Lucas"),
    "fr": ("Jean", "Marie", "Pierre", "Sophie", "Nicolas", "Camille", "Julien", "Claire",
           "Antoine", "Julie", "Thomas", "Élodie", "Mathieu", "Céline", "François", "Isabelle",
           "Laurent", "Nathalie", "Olivier", "Chloé", "Hugo", "Léa", "Louis", "Manon", "Maxime",
           "Amélie", "Sébastien", "Aurélie", "Guillaume", "Émilie"),
    "de": ("Lukas", "Anna", "Maximilian", "Lena", "Felix", "Laura", "Jonas", "Julia", "Leon",
           "Sarah", "Paul", "Lea", "Tim", "Hannah", "Jan", "Katharina", "Niklas", "Johanna",
           "Tobias", "Sophie", "Stefan", "Sabine", "Andreas", "Petra", "Michael", "Claudia",
           "Jürgen", "Monika", "Matthias", "Ursula"),
    "nl": ("Daan", "Emma", "Sem", "Julia", "Lucas", "Sophie", "Levi", "Tess", "Finn", "Anna",
           "Bram", "Lotte", "Ruben", "Fleur", "Thijs", "Eva", "Jesse", "Sanne", "Lars", "Lieke",
           "Pieter", "Anouk", "Joost", "Marieke", "Wouter"),
    "es": ("Antonio", "María", "José", "Carmen", "Manuel", "Ana", "Francisco", "Laura", "David",
           "Isabel", "Javier", "Lucía", "Daniel", "Marta", "Carlos", "Elena", "Miguel", "Paula",
           "Alejandro", "Sara", "Pablo", "Cristina", "Sergio", "Raquel", "Jorge", "Alba",
           "Diego", "Sofía", "Luis", "Valentina"),
    "it": ("Marco", "Giulia", "Alessandro", "Francesca", "Luca", "Chiara", "Matteo", "Sara",
           "Andrea", "Valentina", "Lorenzo", "Martina", "Davide", "Elena", "Simone", "Alessia",
           "Federico", "Giorgia", "Riccardo", "Sofia", "Giovanni", "Anna", "Stefano", "Paola",
           "Roberto"),
    "pt": ("João", "Maria", "Pedro", "Ana", "Lucas", "Juliana", "Gabriel", "Fernanda", "Rafael",
           "Camila", "Mateus", "Beatriz", "Gustavo", "Larissa", "Felipe", "Mariana", "Bruno",
           "Letícia", "Thiago", "Amanda"),
    "hi": ("Aarav", "Ananya", "Vivaan", "Diya", "Aditya", "Isha", "Arjun", "Priya", "Rohan",
           "Kavya", "Rahul", "Sneha", "Vikram", "Pooja", "Karan", "Neha", "Amit", "Anjali",
           "Sanjay", "Deepika"),
    "ja": ("Haruto", "Yui", "Sota", "Aoi", "Yuto", "Hina", "Riku", "Sakura", "Kaito", "Yuna",
           "Takumi", "Mei", "Ren", "Rin", "Daiki", "Saki", "Kenji", "Yuki", "Hiroshi", "Akiko"),
}
_LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
           "Rodriguez", "Martinez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson",
           "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker",
           "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker",
           "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker",
           "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers"),
    "fr": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
           "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
           "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre",
           "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
           "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
           "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier"),
    "nl": ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
           "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
           "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "Peeters", "Maes", "Willems", "Claes",
           "Goossens", "Wouters", "De Smet", "Mertens"),
    "es": ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
           "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz",
           "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez",
           "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano", "Blanco", "Molina"),
    "it": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
           "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
           "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro",
           "Mariani", "Rinaldi"),
    "pt": ("Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
           "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes",
           "Soares", "Fernandes", "Vieira", "Barbosa"),
    "hi": ("Sharma", "Verma", "Gupta", "Patel", "Singh", "Kumar", "Reddy", "Iyer", "Nair",
           "Mehta", "Shah", "Joshi", "Rao", "Desai", "Kapoor", "Malhotra", "Chopra", "Banerjee",
           "Mukherjee", "Pillai"),
    "ja": ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
           "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue",
           "Kimura", "Hayashi", "Shimizu", "Mori"),
}
# Street names per language; True when the house number comes first ("12 Main Street").
_STREETS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "en": (True, ("Main Street", "Oak Avenue", "Maple Drive", "Cedar Lane", "Park Avenue",
                  "Elm Street", "Washington Blvd", "Lake Road", "Hill Street", "Sunset Blvd",
                  "Market Street", "Broadway", "Pine Street", "River Road", "Church Street",
                  "High Street", "King Street", "Queen Street", "Victoria Road", "Station Road")),
    "fr": (True, ("Rue de la Paix", "Avenue Victor Hugo", "Rue du Commerce", "Avenue Louise",
                  "Boulevard Saint-Michel", "Rue de la Loi", "Place du Marché", "Rue Nationale",
                  "Avenue de la République", "Rue des Écoles")),
    "de": (False, ("Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße",
                   "Goethestraße", "Lindenallee", "Marktplatz", "Berliner Straße",
                   "Industriestraße", "Mozartstraße")),
    "nl": (False, ("Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenstraat", "Schoolstraat",
                   "Nieuwstraat", "Kalverstraat", "Meir", "Grote Markt", "Bondgenotenlaan")),
    "es": (False, ("Calle Mayor", "Gran Vía", "Calle de Alcalá", "Avenida de la Constitución",
                   "Paseo de Gracia", "Calle Real", "Avenida Reforma", "Calle Hidalgo")),
    "it": (False, ("Via Roma", "Via Garibaldi", "Corso Italia", "Via Dante", "Via Mazzini",
                   "Piazza del Duomo", "Via Verdi", "Corso Vittorio Emanuele")),
    "pt": (False, ("Rua das Flores", "Avenida Paulista", "Rua Augusta", "Avenida Brasil",
                   "Rua XV de Novembro", "Avenida Atlântica")),
    "hi": (True, ("MG Road", "Linking Road", "Park Street", "Brigade Road", "Anna Salai",
                  "FC Road", "Residency Road")),
    "ja": (True, ("Chuo-dori", "Meiji-dori", "Omotesando", "Ginza", "Shinjuku-dori",
                  "Midosuji")),
}


@dataclass(frozen=True)
class _Locale:
    """How customers of one country look: names, cities, phone, VAT and company forms."""

    code: str
    weight: int
    languages: tuple[str, ...]
    #: (city, state code or None, zip pattern: '#' a digit, 'A' a capital letter)
    cities: tuple[tuple[str, str | None, str], ...]
    phone: str
    tld: str
    tz: str
    vat: str | None
    suffixes: tuple[str, ...]


_LOCALES: tuple[_Locale, ...] = (
    _Locale("US", 40, ("en",), (
        ("New York", "NY", "100##"), ("Los Angeles", "CA", "900##"), ("Chicago", "IL", "606##"),
        ("Houston", "TX", "770##"), ("Phoenix", "AZ", "850##"), ("Philadelphia", "PA", "191##"),
        ("San Diego", "CA", "921##"), ("Dallas", "TX", "752##"),
        ("San Francisco", "CA", "941##"), ("Seattle", "WA", "981##"), ("Denver", "CO", "802##"),
        ("Boston", "MA", "021##"), ("Atlanta", "GA", "303##"), ("Miami", "FL", "331##"),
        ("Portland", "OR", "972##"), ("Minneapolis", "MN", "554##"), ("Detroit", "MI", "482##"),
        ("Austin", "TX", "787##"), ("Nashville", "TN", "372##"), ("Columbus", "OH", "432##")),
        "+1 ###-###-####", ".com", "America/New_York", "US##-#######",
        ("Inc", "LLC", "Corp", "Co", "")),
    _Locale("GB", 7, ("en",), (
        ("London", None, "EC1A #AA"), ("Manchester", None, "M1 #AA"),
        ("Birmingham", None, "B1 #AA"), ("Leeds", None, "LS1 #AA"), ("Glasgow", None, "G1 #AA"),
        ("Bristol", None, "BS1 #AA"), ("Edinburgh", None, "EH1 #AA")),
        "+44 #### ######", ".co.uk", "Europe/London", "GB#########", ("Ltd", "PLC", "")),
    _Locale("BE", 8, ("fr", "nl"), (
        ("Brussels", None, "10##"), ("Antwerp", None, "20##"), ("Ghent", None, "90##"),
        ("Liège", None, "40##"), ("Namur", None, "50##"), ("Leuven", None, "30##"),
        ("Bruges", None, "80##"), ("Wavre", None, "1300")),
        "+32 ### ## ## ##", ".be", "Europe/Brussels", "BE0#########", ("SA", "SRL", "BV", "NV")),
    _Locale("FR", 8, ("fr",), (
        ("Paris", None, "750##"), ("Lyon", None, "6900#"), ("Marseille", None, "130##"),
        ("Toulouse", None, "310##"), ("Lille", None, "590##"), ("Bordeaux", None, "330##"),
        ("Nantes", None, "440##"), ("Strasbourg", None, "670##")),
        "+33 # ## ## ## ##", ".fr", "Europe/Paris", "FR###########", ("SARL", "SAS", "SA")),
    _Locale("DE", 8, ("de",), (
        ("Berlin", None, "10###"), ("Hamburg", None, "20###"), ("München", None, "80###"),
        ("Köln", None, "50###"), ("Frankfurt am Main", None, "60###"),
        ("Stuttgart", None, "70###"), ("Düsseldorf", None, "40###"), ("Leipzig", None, "04###")),
        "+49 ### #######", ".de", "Europe/Berlin", "DE#########", ("GmbH", "AG", "KG")),
    _Locale("NL", 4, ("nl",), (
        ("Amsterdam", None, "10## AA"), ("Rotterdam", None, "30## AA"),
        ("Utrecht", None, "35## AA"), ("Den Haag", None, "25## AA"),
        ("Eindhoven", None, "56## AA")),
        "+31 ## ### ####", ".nl", "Europe/Amsterdam", "NL#########B01", ("BV", "NV")),
    _Locale("ES", 3, ("es",), (
        ("Madrid", None, "280##"), ("Barcelona", None, "080##"), ("Valencia", None, "460##"),
        ("Sevilla", None, "410##"), ("Bilbao", None, "480##")),
        "+34 ### ### ###", ".es", "Europe/Madrid", "ESA########", ("SL", "SA")),
    _Locale("IT", 3, ("it",), (
        ("Milano", "MI", "201##"), ("Roma", "RM", "001##"), ("Torino", "TO", "101##"),
        ("Napoli", "NA", "801##"), ("Firenze", "FI", "501##"), ("Bologna", "BO", "401##")),
        "+39 ## #### ####", ".it", "Europe/Rome", "IT###########", ("Srl", "SpA")),
    _Locale("CH", 2, ("de", "fr"), (
        ("Zürich", None, "80##"), ("Genève", None, "12##"), ("Basel", None, "40##"),
        ("Bern", None, "30##"), ("Lausanne", None, "10##")),
        "+41 ## ### ## ##", ".ch", "Europe/Zurich", "CHE-###.###.### MWST", ("AG", "GmbH", "SA")),
    _Locale("CA", 5, ("en",), (
        ("Toronto", "ON", "M5V #A#"), ("Vancouver", "BC", "V6B #A#"),
        ("Montreal", "QC", "H3B #A#"), ("Calgary", "AB", "T2P #A#"), ("Ottawa", "ON", "K1P #A#"),
        ("Winnipeg", "MB", "R3C #A#")),
        "+1 ###-###-####", ".ca", "America/Toronto", "#########RT0001", ("Inc", "Ltd")),
    _Locale("MX", 2, ("es",), (
        ("Ciudad de México", "CMX", "06###"), ("Guadalajara", "JAL", "44###"),
        ("Monterrey", "NLE", "64###"), ("Puebla", "PUE", "72###"), ("Querétaro", "QUE", "76###")),
        "+52 ## #### ####", ".com.mx", "America/Mexico_City", "AAA######AA#", ("SA de CV",)),
    _Locale("BR", 2, ("pt",), (
        ("São Paulo", "SP", "01###-###"), ("Rio de Janeiro", "RJ", "20###-###"),
        ("Belo Horizonte", "MG", "30###-###"), ("Curitiba", "PR", "80###-###"),
        ("Porto Alegre", "RS", "90###-###")),
        "+55 ## #####-####", ".com.br", "America/Sao_Paulo", None, ("Ltda", "SA")),
    _Locale("IN", 4, ("hi",), (
        ("Mumbai", "MH", "4000##"), ("Bengaluru", "KA", "5600##"), ("New Delhi", "DL", "1100##"),
        ("Chennai", "TN", "6000##"), ("Pune", "MH", "4110##"), ("Hyderabad", "TS", "5000##")),
        "+91 ##### #####", ".in", "Asia/Kolkata", "##AAAAA####A#Z#", ("Pvt Ltd", "Ltd")),
    _Locale("AU", 3, ("en",), (
        ("Sydney", "NSW", "2###"), ("Melbourne", "VIC", "3###"), ("Brisbane", "QLD", "4###"),
        ("Perth", "WA", "6###"), ("Adelaide", "SA", "5###"), ("Canberra", "ACT", "2600")),
        "+61 # #### ####", ".com.au", "Australia/Sydney", "## ### ### ###", ("Pty Ltd",)),
    _Locale("JP", 1, ("ja",), (
        ("Tokyo", "13", "1##-####"), ("Osaka", "27", "5##-####"), ("Yokohama", "14", "2##-####"),
        ("Nagoya", "23", "4##-####"), ("Fukuoka", "40", "8##-####"), ("Kyoto", "26", "6##-####"),
        ("Sapporo", "01", "0##-####")),
        "+81 ##-####-####", ".co.jp", "Asia/Tokyo", None, ("KK", "Co., Ltd.")),
)

_COMPANY_WORDS = ("Blue", "Summit", "North", "Green", "Silver", "Bright", "Pioneer", "Atlas",
                  "Apex", "Urban", "Golden", "Red Oak", "Pacific", "Atlantic", "Alpine", "Crystal",
                  "Evergreen", "Horizon", "Nova", "Prime", "Royal", "Sterling", "Unity", "Vertex",
                  "Zenith", "Modern", "Classic", "Smart", "Global", "Metro", "Cedar", "Harbor",
                  "Lakeside", "Riverside", "Oakwood", "Sunrise", "Keystone", "Beacon", "Falcon",
                  "Orion")
_COMPANY_NOUNS = ("Interiors", "Furniture", "Office Supplies", "Design", "Workspace", "Living",
                  "Decor", "Solutions", "Systems", "Trading", "Logistics", "Consulting",
                  "Architects", "Hospitality", "Retail", "Industries", "Labs", "Studio",
                  "Partners", "Group", "Holdings", "Ventures", "Home", "Contract", "Facilities",
                  "Builders", "Properties", "Supply", "Outfitters", "Workplaces")
_JOB_TITLES = ("Purchasing Manager", "Office Manager", "Chief Executive Officer",
               "Chief Financial Officer", "Accountant", "Facility Manager", "Sales Manager",
               "Operations Manager", "Project Manager", "Interior Designer", "Buyer",
               "Executive Assistant", "IT Manager", "HR Manager", "Logistics Coordinator",
               "Architect", "Procurement Officer", "Director", "Store Manager", "Consultant")
_MAIL_PROVIDERS = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.com",
                   "proton.me")

# ---------------------------------------------------------------------------------------------
# Product catalogue
# ---------------------------------------------------------------------------------------------

# id, name, parent id, cost method
_CATEGORIES: tuple[tuple[int, str, int | None, str], ...] = (
    (1, "All", None, "standard"), (2, "Saleable", 1, "standard"), (3, "Expenses", 1, "standard"),
    (4, "Internal", 1, "standard"), (5, "Services", 2, "standard"), (6, "Software", 2, "standard"),
    (7, "Office Furniture", 2, "standard"), (8, "Outdoor furniture", 2, "standard"),
    (9, "Lighting", 2, "fifo"), (10, "Storage", 2, "average"),
    (11, "Office Supplies", 2, "average"), (12, "Consumable", 1, "standard"),
)


@dataclass(frozen=True)
class _ProductSpec:
    """One product template of the catalogue (variants multiply it)."""

    name: str
    code: str | None
    categ: int
    price: float
    cost: float
    type: str = "consu"
    storable: bool = True
    uom: int = 1
    policy: str = "delivery"
    weight: float = 0.01
    description: str | None = None
    #: variant attribute values and their price extra; one product per combination
    variants: tuple[tuple[tuple[str, float], ...], ...] = ()
    sale_ok: bool = True
    tracking: str = "none"


_CATALOGUE: tuple[_ProductSpec, ...] = (
    _ProductSpec("Restaurant Expenses", None, 3, 14.0, 8.0, "service", False, policy="order",
                 weight=0.0, sale_ok=False),
    _ProductSpec("Hotel Accommodation", None, 3, 400.0, 400.0, "service", False, uom=3,
                 weight=0.0, sale_ok=False),
    _ProductSpec("Virtual Interior Design", None, 5, 30.75, 20.5, "service", False, uom=4,
                 weight=0.0),
    _ProductSpec("Virtual Home Staging", None, 5, 38.25, 25.5, "service", False, uom=4,
                 weight=0.0),
    _ProductSpec("Office Chair", "FURN_7777", 7, 70.0, 55.0),
    _ProductSpec("Office Lamp", "FURN_8888", 9, 40.0, 35.0),
    _ProductSpec("Office Design Software", "FURN_9999", 6, 280.0, 235.0, policy="order"),
    _ProductSpec("Desk Combination", "FURN_7800", 7, 450.0, 300.0,
                 description="Desk combination, black-brown: chair + desk + drawer."),
    _ProductSpec("Customizable Desk", None, 7, 750.0, 500.0, weight=0.01,
                 description="160x80cm, with large legs.",
                 variants=((("Steel", 0.0), ("Aluminium", 50.0)),
                           (("White", 0.0), ("Black", 0.0)))),
    _ProductSpec("Corner Desk Right Sit", "E-COM06", 7, 147.0, 78.0),
    _ProductSpec("Large Cabinet", "E-COM07", 10, 320.0, 210.0, weight=0.33),
    _ProductSpec("Storage Box", "E-COM08", 10, 15.8, 9.5),
    _ProductSpec("Large Desk", "E-COM09", 7, 1799.0, 1299.0, weight=9.54),
    _ProductSpec("Pedal Bin", "E-COM10", 11, 47.0, 10.0),
    _ProductSpec("Cabinet with Doors", "E-COM11", 10, 140.0, 120.5),
    _ProductSpec("Conference Chair", None, 7, 33.0, 28.0,
                 variants=((("Steel", 0.0), ("Aluminium", 6.4)),)),
    _ProductSpec("Office Chair Black", "FURN_0269", 7, 120.5, 90.0),
    _ProductSpec("Corner Desk Left Sit", "FURN_1118", 7, 85.0, 78.0),
    _ProductSpec("Drawer Black", "FURN_8900", 10, 25.0, 20.0, policy="order"),
    _ProductSpec("Flipover", "FURN_9001", 11, 1950.0, 1700.0),
    _ProductSpec("Desk Stand with Screen", "FURN_7888", 7, 2100.0, 1800.0),
    _ProductSpec("Individual Workplace", "FURN_0789", 7, 885.0, 876.0, policy="order"),
    _ProductSpec("Acoustic Bloc Screens", None, 7, 295.0, 287.0,
                 variants=((("Wood", 0.0), ("White", 0.0)),)),
    _ProductSpec("Drawer", "FURN_8855", 10, 110.5, 100.0),
    _ProductSpec("Four Person Desk", "FURN_8220", 7, 2350.0, 2500.0,
                 description="Four person modern office workstation"),
    _ProductSpec("Large Meeting Table", "FURN_6741", 7, 4000.0, 4500.0,
                 description="Conference room table"),
    _ProductSpec("Three-Seat Sofa", "FURN_8999", 7, 1500.0, 1000.0, policy="order",
                 description="Three Seater Sofa with Lounger in Steel Grey Colour"),
    _ProductSpec("Local Delivery", "Delivery_010", 5, 10.0, 0.0, "service", False,
                 policy="order", weight=0.0),
    _ProductSpec("Furniture Assembly", None, 5, 65.0, 40.0, "service", False, uom=4,
                 policy="order", weight=0.0),
    _ProductSpec("Outdoor dining table", None, 8, 589.0, 310.0, storable=False, policy="order",
                 weight=0.0),
    _ProductSpec("Desk Organizer", "FURN_0001", 11, 5.1, 3.2, policy="order",
                 description="The desk organiser is perfect for storing all kinds of small "
                             "things and since the 5 boxes are loose, you can move and place "
                             "them in the way that suits you and your things best."),
    _ProductSpec("Desk Pad", "FURN_0002", 11, 1.98, 1.1, policy="order"),
    _ProductSpec("Monitor Stand", "FURN_0006", 11, 3.19, 2.2, policy="order"),
    _ProductSpec("Office Combo", None, 7, 160.0, 0.0, "combo", False, policy="order", weight=0.0),
    _ProductSpec("Cable Management Box", "FURN_5555", 11, 100.0, 70.0, policy="order",
                 weight=1.0, tracking="lot"),
    _ProductSpec("Deposit", None, 5, 150.0, 0.0, "service", False, policy="order", weight=0.0,
                 sale_ok=False),
    _ProductSpec("Chair floor protection", None, 11, 12.0, 6.0, storable=False, policy="order",
                 description="Office chairs can harm your floor: protect it."),
    _ProductSpec("Office Design Consultation", None, 5, 650.0, 400.0, "service", False, uom=3,
                 weight=0.0),
    _ProductSpec("Extended Warranty (1 year)", "WARR_0001", 5, 49.0, 12.0, "service", False,
                 policy="order", weight=0.0),
    _ProductSpec("LED Desk Lamp", "LIGHT_0101", 9, 59.0, 31.0),
    _ProductSpec("Arc Floor Lamp", "LIGHT_0102", 9, 189.0, 104.0, weight=6.5),
    _ProductSpec("Pendant Light Cluster", "LIGHT_0103", 9, 249.0, 150.0, weight=3.2),
    _ProductSpec("Filing Cabinet 3 Drawers", "STOR_0201", 10, 229.0, 140.0, weight=28.0),
    _ProductSpec("Mobile Pedestal", "STOR_0202", 10, 149.0, 85.0, weight=17.0),
    _ProductSpec("Bookcase 5 Shelves", "STOR_0203", 10, 179.0, 96.0, weight=31.0),
    _ProductSpec("Locker Unit", "STOR_0204", 10, 349.0, 220.0, weight=42.0),
    _ProductSpec("Whiteboard 120x90", "SUPP_0301", 11, 89.0, 47.0, weight=8.0),
    _ProductSpec("Ergonomic Footrest", "SUPP_0302", 11, 39.0, 18.0, policy="order", weight=2.0),
    _ProductSpec("Dual Monitor Arm", "SUPP_0303", 11, 129.0, 66.0, weight=4.5),
    _ProductSpec("Carpet Tiles", "SUPP_0304", 11, 24.5, 13.0, uom=9, weight=4.0),
    _ProductSpec("Cable Raceway", "SUPP_0305", 11, 6.9, 2.9, uom=5, policy="order", weight=0.4),
    _ProductSpec("Garden Lounge Chair", "OUT_0401", 8, 219.0, 120.0, weight=9.0),
    _ProductSpec("Patio Umbrella", "OUT_0402", 8, 149.0, 74.0, weight=7.5),
)

# Generated catalogue extension (bigger shops sell more products): material x item.
_MATERIALS = ("Oak", "Walnut", "Maple", "Birch", "Steel", "Aluminium", "Glass", "Bamboo", "Teak",
              "Ash", "Beech", "Cherry")
# item, category, base price, weight
_ITEMS: tuple[tuple[str, int, float, float], ...] = (
    ("Bookshelf", 10, 180.0, 25.0), ("Side Table", 7, 95.0, 8.0), ("Coffee Table", 7, 160.0, 14.0),
    ("Filing Cabinet", 10, 210.0, 30.0), ("Standing Desk", 7, 520.0, 38.0),
    ("Monitor Riser", 11, 35.0, 2.0), ("Bench", 7, 140.0, 12.0), ("Coat Rack", 11, 60.0, 5.0),
    ("Shelving Unit", 10, 240.0, 22.0), ("Stool", 7, 55.0, 4.0), ("Sideboard", 10, 420.0, 40.0),
    ("Desk Lamp", 9, 45.0, 1.5), ("Floor Lamp", 9, 120.0, 5.0), ("Room Divider", 7, 260.0, 16.0),
    ("Meeting Table", 7, 890.0, 55.0), ("Reception Desk", 7, 1350.0, 80.0),
    ("Magazine Rack", 11, 42.0, 2.5), ("Planter", 8, 75.0, 9.0), ("Wall Shelf", 10, 48.0, 3.0),
    ("Lounge Chair", 7, 380.0, 14.0),
)
_SERIES = ("", " Compact", " Pro", " XL")

_SECTION_TITLES = ("Furniture", "Installation", "Accessories", "Phase 1", "Meeting rooms",
                   "Open space")
_NOTES = ("Delivery on the 2nd floor, please call on arrival.",
          "Prices valid for the whole project.", "Assembly included.",
          "Colors to be confirmed by the customer.")
_LEAD_NEEDS = ("Office Renovation", "New Headquarters", "{n} Desks", "{n} Office Chairs",
               "Meeting Room Equipment", "Open Space Design", "Ergonomic Workstations",
               "Storage Solutions", "Lighting Upgrade", "Reception Area", "Outdoor Terrace",
               "Annual Supply Contract", "Furnish a {n}m² office", "Quote for {n} tables")
#: Display name of an entry that has no number yet (Odoo keeps the trailing space).
_DRAFT_NAMES = {
    "out_invoice": "Draft Invoice ",
    "out_refund": "Draft Credit Note ",
    "in_invoice": "Draft Bill ",
}
_DISCOUNTS = (2.5, 5.0, 5.0, 10.0, 10.0, 15.0, 20.0, 25.0)
#: Quantities of products sold by the unit, by price: cheap things sell by the dozen.
_UNIT_QUANTITIES: tuple[tuple[float, tuple[int, ...]], ...] = (
    (1000.0, (1, 1, 1, 1, 2, 2, 3, 4)),
    (200.0, (1, 1, 2, 2, 3, 4, 5, 6, 8, 10)),
    (50.0, (1, 2, 2, 4, 5, 6, 8, 10, 12, 15, 20)),
    (0.0, (2, 5, 10, 10, 12, 20, 24, 25, 50, 100)),
)
_QUANTITIES_BY_UOM: dict[int, tuple[int, ...]] = {
    3: (1, 1, 2, 2, 3, 5, 10),
    4: (2, 4, 4, 6, 8, 8, 10, 16, 20, 24, 40),
    5: (5, 10, 10, 20, 25, 50, 100),
    9: (10, 20, 25, 40, 60, 80, 120),
}

# fmt: on

# ---------------------------------------------------------------------------------------------
# Schema access and small helpers
# ---------------------------------------------------------------------------------------------


@cache
def _schema_fields() -> dict[str, dict[str, dict[str, Any]]]:
    """Field descriptors per model, from the packaged copy of the reference schema."""
    text = (
        resources.files("odoo_frames.sandbox")
        .joinpath("data", "schema.json")
        .read_text(encoding="utf-8")
    )
    return {model: spec["fields"] for model, spec in json.loads(text).items()}


def _unset(field_type: str) -> Any:
    """The value Odoo reads for an unset field of this type."""
    if field_type in ("one2many", "many2many"):
        return []
    if field_type == "integer":
        return 0
    if field_type in ("float", "monetary"):
        return 0.0
    return False


def _record(model: str, values: Record) -> Record:
    """A complete record of ``model`` in schema order: unset fields get their read value."""
    fields = _schema_fields()[model]
    unknown = values.keys() - fields.keys()
    if unknown:
        raise KeyError(f"{model} has no field {sorted(unknown)}")
    return {
        name: values[name] if name in values else _unset(spec["type"])
        for name, spec in fields.items()
    }


def _ascii(text: str) -> str:
    """Lower-case ASCII form of a name, for e-mail addresses and domains."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in ".-")).lower()


def _fill(pattern: str, rng: random.Random) -> str:
    """Replace '#' by random digits and 'A' by random capital letters."""
    out = []
    for c in pattern:
        if c == "#":
            out.append(str(int(rng.random() * 10)))
        elif c == "A":
            out.append(chr(65 + int(rng.random() * 26)))
        else:
            out.append(c)
    return "".join(out)


def _cents(amount: float) -> int:
    return round(amount * 100)


def _subtotal(qty: int, price: float, discount: float) -> int:
    """``qty * price * (1 - discount / 100)`` in cents, rounded half up like Odoo.

    Integer arithmetic keeps the sums exact; discounts have at most one decimal.
    """
    return (qty * _cents(price) * (1000 - round(discount * 10)) + 500) // 1000


def _tax(subtotal: int, percent: float) -> int:
    """A percent tax on an amount in cents, rounded half up (Odoo's round_per_line)."""
    return (subtotal * round(percent * 100) + 5000) // 10000


def _money(cents: int) -> float:
    return cents / 100


def _ean13(rng: random.Random) -> str:
    digits = [2, 0] + [int(rng.random() * 10) for _ in range(10)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits)) + str(check)


def _sort_key(name: str) -> str:
    """Rough equivalent of PostgreSQL's en_US collation for ordering names."""
    return name.casefold()


def _child_ids(rows: Sequence[tuple[Any, ...]], *, parent_column: int, parent: int) -> list[int]:
    """Ids of the ``(id, name, ...)`` rows whose ``parent_column`` is ``parent``, by name."""
    children = sorted(
        (r for r in rows if r[parent_column] == parent), key=lambda r: _sort_key(r[1])
    )
    return [r[0] for r in children]


class _Clock:
    """Dates of the generator: a moment is an int of seconds since midnight UTC of day 0."""

    def __init__(self, today: datetime.date) -> None:
        origin = today - datetime.timedelta(days=_TODAY)
        self.days = [
            (origin + datetime.timedelta(days=d)).isoformat()
            for d in range(_TODAY + _FUTURE_DAYS + 1)
        ]
        #: the last second of yesterday: nothing happens later than this
        self.now = _TODAY * _DAY - 1

    def date(self, moment: int) -> str:
        return self.days[moment // _DAY]

    def day(self, day: int) -> str:
        return self.days[day]

    def datetime(self, moment: int) -> str:
        day, second = divmod(moment, _DAY)
        hour, second = divmod(second, 3600)
        minute, second = divmod(second, 60)
        return f"{self.days[day]} {hour:02d}:{minute:02d}:{second:02d}"


@dataclass
class _Ledger:
    """Accounting setup of one company: journals, accounts and taxes (as many2one pairs)."""

    company: Pair
    sale_journal: Pair
    purchase_journal: Pair
    bank_journal: Pair
    receivable: Pair
    payable: Pair
    income: Pair
    expense: Pair
    tax_received: Pair
    tax_paid: Pair
    bank: Pair
    sale_tax: Pair
    purchase_tax: Pair
    warehouse: Pair


@dataclass
class _InvoiceRequest:
    """A confirmed order to invoice: which quantities of which lines, and when."""

    moment: int
    company: int
    invoice_partner: Pair
    commercial: Pair
    lines: list[tuple[Record, int]]
    order: Record = field(default_factory=dict)


@dataclass
class _Move:
    """An accounting entry to create, before ids and names are given in date order."""

    moment: int
    kind: str  # out_invoice, out_refund, in_invoice, payment_in, payment_out
    ledger: _Ledger
    partner: Pair
    commercial: Pair
    state: str = "posted"
    #: product lines: (sale line record or None, product record, qty, price, discount,
    #: subtotal cents, tax cents)
    lines: list[tuple[Record | None, Record, int, float, float, int, int]] = field(
        default_factory=list
    )
    untaxed: int = 0
    tax: int = 0
    residual: int = 0
    payment_state: str = "not_paid"
    matching: str | bool = False
    ref: str | bool = False
    origin: str | bool = False
    user: Pair | bool = False
    due_day: int = 0
    #: the invoice a payment or credit note settles
    settles: _Move | None = None
    amount: int = 0
    record: Record | None = None


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------


def generate(
    scale: int = 1000, *, seed: int = 0, today: datetime.date | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Demo ``(dataset, server)`` with ``scale`` partners, deterministic for ``seed`` and ``today``.

    ``today`` defaults to the current UTC date; every generated date lies before it, except
    due dates, deadlines and validity dates, which may be in the future.
    """
    if scale < MIN_SCALE:
        raise ValueError(f"scale must be at least {MIN_SCALE}, got {scale}")
    if today is None:
        today = datetime.datetime.now(datetime.UTC).date()
    # The data holds no reference cycles: pausing the cyclic garbage collector while half a
    # million dicts are created halves the run time at 50k partners.
    with gc_paused():
        builder = _DemoBuilder(scale, seed, today)
        return builder.build(), builder.server()


class _DemoBuilder:
    """Builds the records model by model; each section draws from its own random stream."""

    def __init__(self, scale: int, seed: int, today: datetime.date) -> None:
        self.scale = scale
        self.seed = seed
        self.today = today
        self.clock = _Clock(today)
        self.records: dict[str, list[Record]] = {model: [] for model in _schema_fields()}
        self.setup_ts = self.clock.datetime(_SETUP_DAY * _DAY + 8 * 3600)
        # many2one pairs, by model then id
        self.pairs: dict[str, dict[int, Pair]] = {model: {} for model in _schema_fields()}
        self.odoobot: Pair = [1, "OdooBot"]

    def _rng(self, section: str) -> random.Random:
        # A string seed is hashed with SHA-512: stable across runs and Python versions.
        return random.Random(f"odoo-frames demo {self.seed} {section}")

    def _add(self, model: str, record: Record) -> Record:
        """Keep a record and the many2one pair other records use to point at it."""
        self.records[model].append(record)
        self.pairs[model][record["id"]] = [record["id"], record["display_name"]]
        return record

    # -- entry point ---------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        self._currencies_and_countries()
        self._companies_and_users()
        self._uoms_and_categories()
        self._stock_setup()
        self._accounting_setup()
        self._crm_setup()
        self._partners()
        self._products()
        self._sales()
        self._accounting()
        self._crm()
        self._quants()
        self._back_references()
        return {model: self._table(model) for model in _schema_fields()}

    def server(self) -> dict[str, Any]:
        api_key = hashlib.sha1(f"odoo-frames demo api key {self.seed}".encode()).hexdigest()
        return {
            "database": "demo",
            "server_version": "18.0",
            "server_version_info": [18, 0, 0, "final", 0, ""],
            "recorded_on": self.today.isoformat(),
            "users": [
                {
                    "login": "admin",
                    "password": "admin",
                    "uid": 2,
                    "api_key": api_key,
                    "tz": "Europe/Brussels",
                    "lang": "en_US",
                },
                {
                    "login": "demo",
                    "password": "demo",
                    "uid": 6,
                    "api_key": hashlib.sha1(
                        f"odoo-frames demo api key {self.seed} demo".encode()
                    ).hexdigest(),
                    "tz": "Europe/Brussels",
                    "lang": "en_US",
                },
            ],
            "companies": [{"id": cid, "name": name} for cid, name in _COMPANY_NAMES.items()],
            "installed_modules": list(_INSTALLED_MODULES),
            "languages": ["en_US"],
        }

    def _table(self, model: str) -> dict[str, Any]:
        records = sorted(self.records[model], key=lambda r: r["id"])
        expected = list(_schema_fields()[model])
        if records and list(records[0]) != expected:  # cheap guard against drift
            raise AssertionError(f"{model} records do not follow the schema fields")
        last = records[-1]["id"] if records else 0
        table = model.replace(".", "_")
        return {
            "next_id": last + 1,
            "sequence": {
                "name": f"{table}_id_seq",
                "last_value": max(last, 1),
                "is_called": bool(records),
            },
            "count": len(records),
            "records": records,
        }

    def _base(self, model: str, values: Record) -> Record:
        """A base-data record created at setup time."""
        values.setdefault("create_date", self.setup_ts)
        values.setdefault("write_date", self.setup_ts)
        return self._add(model, _record(model, values))

    # -- base data -----------------------------------------------------------------------

    def _currencies_and_countries(self) -> None:
        for cid, name, full, symbol, active, decimals, rounding, pos, unit, sub, iso in _CURRENCIES:
            self._base(
                "res.currency",
                {
                    "id": cid,
                    "display_name": name,
                    "name": name,
                    "full_name": full,
                    "symbol": symbol,
                    "active": active,
                    "decimal_places": decimals,
                    "rounding": rounding,
                    "position": pos,
                    "currency_unit_label": unit,
                    "currency_subunit_label": sub,
                    "iso_numeric": iso,
                },
            )
        self.usd = self.pairs["res.currency"][1]
        self.country_by_code: dict[str, Pair] = {}
        self.state_by_code: dict[tuple[str, str], Pair] = {}
        for cid, code, name, cur, phone, st_req, zip_req, vat, pos, fmt in _COUNTRIES:
            by_code = sorted(_STATES.get(code, ()), key=lambda s: (s[1], s[0]))
            self._base(
                "res.country",
                {
                    "id": cid,
                    "display_name": name,
                    "name": name,
                    "code": code,
                    "currency_id": self.pairs["res.currency"][cur],
                    "phone_code": phone,
                    "state_ids": [s[0] for s in by_code],
                    "state_required": st_req,
                    "zip_required": zip_req,
                    "vat_label": vat,
                    "name_position": pos,
                    "address_format": fmt,
                },
            )
            self.country_by_code[code] = self.pairs["res.country"][cid]
        for code, states in _STATES.items():
            country = self.country_by_code[code]
            for sid, scode, sname in states:
                self._base(
                    "res.country.state",
                    {
                        "id": sid,
                        "display_name": f"{sname} ({code})",
                        "name": sname,
                        "code": scode,
                        "country_id": country,
                        "create_uid": self.odoobot,
                        "write_uid": self.odoobot,
                    },
                )
                self.state_by_code[code, scode] = self.pairs["res.country.state"][sid]

    def _companies_and_users(self) -> None:
        us = self.country_by_code["US"]
        ca = self.state_by_code["US", "CA"]
        il = self.state_by_code["US", "IL"]
        # Base partners: the companies, the users' partners (ids as in real Odoo).
        base_partners: list[Record] = [
            {
                "id": 1,
                "name": _COMPANY_NAMES[1],
                "is_company": True,
                "email": "info@yourcompany.com",
                "phone": "+1 555-555-5556",
                "website": "http://www.example.com",
                "street": "250 Executive Park Blvd, Suite 3400",
                "zip": "94134",
                "city": "San Francisco",
                "state_id": ca,
                "country_id": us,
            },
            {
                "id": 2,
                "name": "OdooBot",
                "active": False,
                "email": "odoobot@example.com",
                "tz": "Europe/Brussels",
                "company_id": 1,
            },
            {
                "id": 3,
                "name": "Mitchell Admin",
                "complete_name": "YourCompany, Mitchell Admin",
                "email": "admin@yourcompany.example.com",
                "phone": "+1 555-555-5555",
                "street": "215 Vine St",
                "zip": "18503",
                "city": "Scranton",
                "state_id": self.state_by_code["US", "PA"],
                "country_id": us,
                "tz": "Europe/Brussels",
                "company_id": 1,
            },
            {"id": 4, "name": "Public user", "active": False},
            {"id": 5, "name": "Default User Template", "active": False},
            {"id": 6, "name": "Portal User Template", "active": False},
            {
                "id": 7,
                "name": "Marc Demo",
                "complete_name": "YourCompany, Marc Demo",
                "email": "mark.brown23@example.com",
                "phone": "(441)-695-2334",
                "street": "3575  Buena Vista Avenue",
                "zip": "97401",
                "city": "Eugene",
                "state_id": self.state_by_code["US", "OR"],
                "country_id": us,
                "tz": "Europe/Brussels",
                "company_id": 1,
            },
            {
                "id": 8,
                "name": "Joel Willis",
                "complete_name": "YourCompany, Joel Willis",
                "email": "joel.willis63@example.com",
                "phone": "(683)-556-5104",
                "street": "858 Lynn Street",
                "zip": "07002",
                "city": "Bayonne",
                "state_id": self.state_by_code["US", "NJ"],
                "country_id": us,
            },
            {
                "id": _COMPANY_PARTNERS[2],
                "name": _COMPANY_NAMES[2],
                "is_company": True,
                "email": "chicago@yourcompany.com",
                "phone": "+1 312 349 3030",
                "website": "http://www.example.com",
                "street": "90 Streets Avenue",
                "zip": "60610",
                "city": "Chicago",
                "state_id": il,
                "country_id": us,
            },
        ]
        for uid, _login, name, pid, *_rest, email in _USERS[7:]:
            base_partners.append(
                {
                    "id": pid,
                    "name": name,
                    "parent_id": 1,
                    "email": email,
                    "phone": f"+1 555-555-{5560 + uid}",
                    "function": "Sales Representative",
                    "street": "250 Executive Park Blvd, Suite 3400",
                    "zip": "94134",
                    "city": "San Francisco",
                    "state_id": ca,
                    "country_id": us,
                    "tz": "America/Los_Angeles",
                }
            )
        self.partner_created: dict[int, int] = {}
        for values in sorted(base_partners, key=lambda v: v["id"]):
            self._base_partner(values)

        for cid in (1, 2):
            pid = _COMPANY_PARTNERS[cid]
            self._base(
                "res.company",
                {
                    "id": cid,
                    "display_name": _COMPANY_NAMES[cid],
                    "name": _COMPANY_NAMES[cid],
                    "active": True,
                    "partner_id": self.pairs["res.partner"][pid],
                    "currency_id": self.usd,
                    "sequence": 0 if cid == 1 else 10,
                    "email": "info@yourcompany.com" if cid == 1 else "chicago@yourcompany.com",
                    "phone": "+1 555-555-5556" if cid == 1 else "+1 312 349 3030",
                    "account_fiscal_country_id": us,
                    "fiscalyear_last_day": 31,
                    "fiscalyear_last_month": "12",
                    "anglo_saxon_accounting": cid == 1,
                    "chart_template": "generic_coa",
                    "tax_calculation_rounding_method": "round_per_line",
                    "quotation_validity_days": 30,
                    "account_opening_date": f"{self.clock.day(_SETUP_DAY)[:4]}-01-01",
                    "user_ids": [
                        u[0] for u in sorted(_USERS, key=lambda u: (u[2], u[1])) if cid in u[6]
                    ],
                    # transit location: in _stock_setup; taxes, transfer account: in
                    # _accounting_setup
                },
            )
        self.companies = self.pairs["res.company"]
        for uid, login, name, pid, active, share, companies, email in _USERS:
            self._base(
                "res.users",
                {
                    "id": uid,
                    "display_name": name,
                    "name": name,
                    "login": login,
                    "email": email,
                    "active": active,
                    "partner_id": self.pairs["res.partner"][pid],
                    "company_id": self.companies[1],
                    "company_ids": list(companies),
                    "share": share,
                    "notification_type": "inbox" if uid == 1 else "email",
                    "create_uid": False if uid == 1 else self.odoobot,
                },
            )
            if uid in (2, 6):  # the users' own partners list them as salesperson
                self.records["res.partner"][pid - 1]["user_id"] = self.pairs["res.users"][uid]
        self.users = self.pairs["res.users"]

    def _base_partner(self, values: Record) -> Record:
        """A base partner (company or user's contact) created at setup time."""
        parent = self.pairs["res.partner"].get(values.get("parent_id") or 0)
        name = values["name"]
        complete = values.pop("complete_name", None) or (f"{parent[1]}, {name}" if parent else name)
        company = values.get("company_id")
        values.update(
            display_name=complete,
            complete_name=complete,
            type="contact",
            active=values.get("active", True),
            is_company=values.get("is_company", False),
            parent_id=parent or False,
            lang="en_US",
            commercial_partner_id=(
                self.pairs["res.partner"][parent[0]] if parent else [values["id"], complete]
            ),
            company_id=[company, _COMPANY_NAMES[company]] if company else False,
            property_account_receivable_id=[7, "121000 Account Receivable"],
            property_account_payable_id=[16, "211000 Account Payable"],
        )
        self.partner_created[values["id"]] = _SETUP_DAY * _DAY + 8 * 3600
        record = self._base("res.partner", values)
        record["commercial_partner_id"] = self.pairs["res.partner"][
            parent[0] if parent else values["id"]
        ]
        return record

    def _uoms_and_categories(self) -> None:
        for uid, name, factor, utype in _UOMS:
            ratio = factor if utype != "bigger" else 1 / factor
            self._base(
                "uom.uom",
                {
                    "id": uid,
                    "display_name": name,
                    "name": name,
                    "factor": factor,
                    "factor_inv": 1 / factor,
                    "rounding": 0.01,
                    "uom_type": utype,
                    "active": True,
                    "ratio": ratio,
                },
            )
        complete: dict[int, str] = {}
        for cid, name, parent, method in _CATEGORIES:
            complete[cid] = f"{complete[parent]} / {name}" if parent else name
            path = "".join(f"{c}/" for c in self._category_path(cid))
            self._base(
                "product.category",
                {
                    "id": cid,
                    "display_name": complete[cid],
                    "name": name,
                    "complete_name": complete[cid],
                    "parent_id": [parent, complete[parent]] if parent else False,
                    "child_id": _child_ids(_CATEGORIES, parent_column=2, parent=cid),
                    "parent_path": path,
                    "property_cost_method": method,
                    "property_valuation": "manual_periodic",
                    "property_account_income_categ_id": [27, "400000 Product Sales"],
                    "property_account_expense_categ_id": [33, "600000 Expenses"],
                },
            )

    @staticmethod
    def _category_path(cid: int) -> list[int]:
        """Ids from the root category down to ``cid``."""
        parents = {c[0]: c[2] for c in _CATEGORIES}
        path = [cid]
        parent = parents[cid]
        while parent is not None:
            path.insert(0, parent)
            parent = parents[parent]
        return path

    def _accounting_setup(self) -> None:
        accounts: dict[tuple[int, str], Pair] = {}
        company1_accounts = {code: (name, atype, rec) for _id, code, name, atype, rec in _ACCOUNTS}
        rows = [(aid, code, name, atype, rec, 1) for aid, code, name, atype, rec in _ACCOUNTS]
        rows += [
            (52 + i, code, *company1_accounts[code], 2)
            for i, code in enumerate(_COMPANY2_ACCOUNT_CODES)
        ]
        for aid, code, name, atype, rec, company in rows:
            self._base(
                "account.account",
                {
                    "id": aid,
                    "display_name": f"{code} {name}",
                    "name": name,
                    "code": code,
                    "account_type": atype,
                    "reconcile": rec,
                    "deprecated": False,
                    "company_ids": [company],
                    "create_uid": self.odoobot,
                },
            )
            accounts[company, code] = self.pairs["account.account"][aid]
        us = self.country_by_code["US"]
        for tid, use, company in (
            (1, "sale", 1),
            (2, "purchase", 1),
            (3, "sale", 2),
            (4, "purchase", 2),
        ):
            self._base(
                "account.tax",
                {
                    "id": tid,
                    "display_name": f"{_TAX_PERCENT:g}%",
                    "name": f"{_TAX_PERCENT:g}%",
                    "amount": _TAX_PERCENT,
                    "amount_type": "percent",
                    "type_tax_use": use,
                    "active": True,
                    "company_id": self.companies[company],
                    "country_id": us,
                    "sequence": 1,
                    "is_base_affected": True,
                    "tax_exigibility": "on_invoice",
                },
            )
        for jid, name, jtype, company, code, default, seq, color, dash, refund in _JOURNALS:
            self._base(
                "account.journal",
                {
                    "id": jid,
                    "display_name": name,
                    "name": name,
                    "code": code,
                    "type": jtype,
                    "active": True,
                    "company_id": self.companies[company],
                    "default_account_id": accounts[company, default] if default else False,
                    "suspense_account_id": (
                        accounts[company, "101402"] if jtype in ("bank", "cash") else False
                    ),
                    "sequence": seq,
                    "refund_sequence": refund,
                    "show_on_dashboard": dash,
                    "color": color,
                    "invoice_reference_type": "invoice",
                    "invoice_reference_model": "odoo",
                },
            )
        journals = self.pairs["account.journal"]
        taxes = self.pairs["account.tax"]
        self.ledgers: dict[int, _Ledger] = {}
        for company, (sale_j, purchase_j, bank_j), (sale_t, purchase_t) in (
            (1, (1, 2, 6), (1, 2)),
            (2, (9, 10, 12), (3, 4)),
        ):
            self.ledgers[company] = _Ledger(
                company=self.companies[company],
                sale_journal=journals[sale_j],
                purchase_journal=journals[purchase_j],
                bank_journal=journals[bank_j],
                receivable=accounts[company, "121000"],
                payable=accounts[company, "211000"],
                income=accounts[company, "400000"],
                expense=accounts[company, "600000"],
                tax_received=accounts[company, "251000"],
                tax_paid=accounts[company, "131000"],
                bank=accounts[company, "101401"],
                sale_tax=taxes[sale_t],
                purchase_tax=taxes[purchase_t],
                warehouse=self.pairs["stock.warehouse"][company],
            )
        for company, record in zip((1, 2), self.records["res.company"]):
            ledger = self.ledgers[company]
            record["account_sale_tax_id"] = ledger.sale_tax
            record["account_purchase_tax_id"] = ledger.purchase_tax
            record["transfer_account_id"] = accounts[1, "101701"] if company == 1 else False

    def _stock_setup(self) -> None:
        complete: dict[int, str] = {}
        paths: dict[int, str] = {}
        warehouses = {1: "YourCompany", 2: _COMPANY_NAMES[2]}
        for lid, name, parent, usage, company, wh, barcode, active, scrap, repl, posz in _LOCATIONS:
            complete[lid] = f"{complete[parent]}/{name}" if parent and usage != "view" else name
            paths[lid] = f"{paths[parent]}{lid}/" if parent else f"{lid}/"
            self._base(
                "stock.location",
                {
                    "id": lid,
                    "display_name": complete[lid],
                    "name": name,
                    "complete_name": complete[lid],
                    "active": active,
                    "usage": usage,
                    "location_id": [parent, complete[parent]] if parent else False,
                    "child_ids": [row[0] for row in _LOCATIONS if row[2] == lid],
                    "company_id": self.companies[company] if company else False,
                    "warehouse_id": [wh, warehouses[wh]] if wh else False,
                    "barcode": barcode,
                    "scrap_location": scrap,
                    "replenish_location": repl,
                    "posz": posz,
                    "parent_path": paths[lid],
                },
            )
        locations = self.pairs["stock.location"]
        for record in self.records["stock.location"]:  # children in complete_name order
            record["child_ids"].sort(key=lambda c: (_sort_key(locations[c][1]), c))
        for wid, view, code in ((1, 7, "WH"), (2, 27, "My Co")):
            offset = view + 1
            self._base(
                "stock.warehouse",
                {
                    "id": wid,
                    "display_name": warehouses[wid],
                    "name": warehouses[wid],
                    "code": code,
                    "active": True,
                    "company_id": self.companies[wid],
                    "partner_id": self.pairs["res.partner"][_COMPANY_PARTNERS[wid]],
                    "view_location_id": locations[view],
                    "lot_stock_id": locations[offset],
                    "wh_input_stock_loc_id": locations[offset + 1],
                    "wh_output_stock_loc_id": locations[offset + 3],
                    "wh_pack_stock_loc_id": locations[offset + 4],
                    "wh_qc_stock_loc_id": locations[offset + 2],
                    "reception_steps": "one_step",
                    "delivery_steps": "ship_only",
                    "sequence": 10,
                },
            )
        for company, transit in ((1, 13), (2, 23)):
            self.records["res.company"][company - 1]["internal_transit_location_id"] = locations[
                transit
            ]

    def _crm_setup(self) -> None:
        for sid, name, seq, won in _CRM_STAGES:
            self._base(
                "crm.stage",
                {
                    "id": sid,
                    "display_name": name,
                    "name": name,
                    "sequence": seq,
                    "is_won": won,
                    "create_uid": self.odoobot,
                    "write_uid": self.odoobot,
                },
            )
        for tid, name in enumerate(_CRM_TAGS, start=1):
            self._base(
                "crm.tag",
                {
                    "id": tid,
                    "display_name": name,
                    "name": name,
                    "color": tid,
                    "create_uid": self.odoobot,
                    "write_uid": self.odoobot,
                },
            )
        names = {t[0]: t[1] for t in _PARTNER_TAGS}
        for tid, name, color, parent in _PARTNER_TAGS:
            display = f"{names[parent]} / {name}" if parent else name
            self._base(
                "res.partner.category",
                {
                    "id": tid,
                    "display_name": display,
                    "name": name,
                    "color": color,
                    "parent_id": [parent, names[parent]] if parent else False,
                    "child_ids": _child_ids(_PARTNER_TAGS, parent_column=3, parent=tid),
                    "active": True,
                    "parent_path": f"{parent}/{tid}/" if parent else f"{tid}/",
                },
            )

    # -- partners --------------------------------------------------------------------------

    def _partners(self) -> None:
        rng = self._rng("partners")
        clock = self.clock
        locales = _LOCALES
        locale_cw = list(accumulate(loc.weight for loc in locales))
        salespeople = [self.users[u] for u in _SALESPEOPLE]
        sales_cw = list(accumulate(_SALESPEOPLE_WEIGHTS))
        receivable = [7, "121000 Account Receivable"]
        payable = [16, "211000 Account Payable"]
        tags = self.pairs["res.partner.category"]
        street_pools = {lang: (first, tuple(names)) for lang, (first, names) in _STREETS.items()}
        ascii_cache: dict[str, str] = {}

        def slug(text: str) -> str:
            if text not in ascii_cache:
                ascii_cache[text] = _ascii(text.replace(" ", ""))
            return ascii_cache[text]

        n_generated = self.scale - _FIRST_GENERATED_PARTNER + 1
        # Creation moments: 40 % of the customers exist at setup, the others arrive evenly.
        start = _SETUP_DAY * _DAY + 9 * 3600
        span = self.clock.now - start
        moments = sorted(
            start + int(rng.random() * 3 * _DAY)
            if rng.random() < 0.4
            else start + int(rng.random() * span)
            for _ in range(n_generated)
        )
        used_company_names: set[str] = set()
        self.commercial_ids: list[int] = []  # generated companies and individuals
        self.company_children: dict[int, list[int]] = {}
        self.invoice_address: dict[int, int] = {}
        self.delivery_address: dict[int, int] = {}
        self.vendor_ids: list[int] = []
        records = self.records["res.partner"]
        pairs = self.pairs["res.partner"]
        self.partner_names: dict[int, str] = {r["id"]: r["name"] for r in records}
        next_id = _FIRST_GENERATED_PARTNER
        last_id = self.scale

        def person(loc: _Locale) -> tuple[str, str, str]:
            lang = loc.languages[int(rng.random() * len(loc.languages))]
            first = _FIRST_NAMES[lang][int(rng.random() * len(_FIRST_NAMES[lang]))]
            last = _LAST_NAMES[lang][int(rng.random() * len(_LAST_NAMES[lang]))]
            return f"{first} {last}", f"{slug(first)}.{slug(last)}", lang

        def address(loc: _Locale, lang: str) -> tuple[str, str, str, Pair | bool]:
            city, state, zip_pattern = loc.cities[int(rng.random() * len(loc.cities))]
            number_first, streets = street_pools[lang]
            street = streets[int(rng.random() * len(streets))]
            number = 1 + int(rng.random() * 240)
            line = f"{number} {street}" if number_first else f"{street} {number}"
            state_pair = self.state_by_code[loc.code, state] if state else False
            return line, city, _fill(zip_pattern, rng), state_pair

        def messy(email: str) -> str | bool:
            """Real data is messy: some addresses are missing or capitalised."""
            r = rng.random()
            if r < 0.05:
                return False
            if r < 0.08:
                return email.title()
            return email

        while next_id <= last_id:
            loc = locales[_bisect(locale_cw, rng.random() * locale_cw[-1])]
            moment = moments[next_id - _FIRST_GENERATED_PARTNER]
            created = clock.datetime(moment)
            written = clock.datetime(min(clock.now, moment + int(rng.random() * 90 * _DAY)))
            tz = loc.tz if rng.random() < 0.4 else False
            country = self.country_by_code[loc.code]
            if rng.random() < 0.22:  # an individual customer
                name, handle, lang = person(loc)
                street, city, zip_code, state = address(loc, lang)
                pid = next_id
                next_id += 1
                provider = _MAIL_PROVIDERS[int(rng.random() * len(_MAIL_PROVIDERS))]
                pair = [pid, name]
                pairs[pid] = pair
                self.partner_names[pid] = name
                records.append(
                    {
                        "id": pid,
                        "display_name": name,
                        "create_date": created,
                        "write_date": written,
                        "name": name,
                        "complete_name": name,
                        "active": rng.random() > 0.02,
                        "is_company": False,
                        "type": "contact",
                        "parent_id": False,
                        "child_ids": [],
                        "commercial_partner_id": pair,
                        "company_id": False,
                        "ref": False,
                        "email": messy(f"{handle}{int(rng.random() * 100)}@{provider}"),
                        "phone": _fill(loc.phone, rng) if rng.random() < 0.7 else False,
                        "mobile": _fill(loc.phone, rng) if rng.random() < 0.5 else False,
                        "website": False,
                        "function": False,
                        "street": street,
                        "zip": zip_code,
                        "city": city,
                        "state_id": state,
                        "country_id": country,
                        "vat": False,
                        "lang": "en_US",
                        "tz": tz,
                        "user_id": (
                            salespeople[_bisect(sales_cw, rng.random() * sales_cw[-1])]
                            if rng.random() < 0.3
                            else False
                        ),
                        "category_id": [9] if rng.random() < 0.15 else [],
                        "customer_rank": 0,
                        "supplier_rank": 0,
                        "property_account_receivable_id": receivable,
                        "property_account_payable_id": payable,
                        "sale_order_ids": [],
                    }
                )
                self.partner_created[pid] = moment
                self.commercial_ids.append(pid)
                continue

            # A company and its contacts.
            lang = loc.languages[int(rng.random() * len(loc.languages))]
            for _attempt in range(6):
                if rng.random() < 0.45:
                    base = (
                        f"{_COMPANY_WORDS[int(rng.random() * len(_COMPANY_WORDS))]} "
                        f"{_COMPANY_NOUNS[int(rng.random() * len(_COMPANY_NOUNS))]}"
                    )
                else:
                    surname = _LAST_NAMES[lang][int(rng.random() * len(_LAST_NAMES[lang]))]
                    base = f"{surname} {_COMPANY_NOUNS[int(rng.random() * len(_COMPANY_NOUNS))]}"
                suffix = loc.suffixes[int(rng.random() * len(loc.suffixes))]
                name = f"{base} {suffix}".strip()
                if name not in used_company_names:
                    break
            else:
                name = f"{name} ({next_id})"
            used_company_names.add(name)
            domain = f"{slug(base)}{loc.tld}"
            street, city, zip_code, state = address(loc, lang)
            cid = next_id
            next_id += 1
            company_pair = [cid, name]
            pairs[cid] = company_pair
            self.partner_names[cid] = name
            archived = rng.random() < 0.02
            vendor = rng.random() < 0.08
            category: list[int] = []
            if vendor:
                category.append(6 if rng.random() < 0.5 else 7)
                self.vendor_ids.append(cid)
            r = rng.random()
            if r < 0.1:
                category.append(8)
            elif r < 0.25:
                category.append(10)
            elif r < 0.3:
                category.append(2)
            company_record = {
                "id": cid,
                "display_name": name,
                "create_date": created,
                "write_date": written,
                "name": name,
                "complete_name": name,
                "active": not archived,
                "is_company": True,
                "type": "contact",
                "parent_id": False,
                "child_ids": [],
                "commercial_partner_id": company_pair,
                "company_id": False,
                "ref": f"C{cid:06d}" if rng.random() < 0.25 else False,
                "email": messy(
                    f"{('info', 'contact', 'sales', 'office')[int(rng.random() * 4)]}@{domain}"
                ),
                "phone": _fill(loc.phone, rng) if rng.random() < 0.9 else False,
                "mobile": False,
                "website": f"https://www.{domain}" if rng.random() < 0.6 else False,
                "function": False,
                "street": street,
                "zip": zip_code,
                "city": city,
                "state_id": state,
                "country_id": country,
                "vat": _fill(loc.vat, rng) if loc.vat and rng.random() < 0.7 else False,
                "lang": "en_US",
                "tz": tz,
                "user_id": (
                    salespeople[_bisect(sales_cw, rng.random() * sales_cw[-1])]
                    if rng.random() < 0.6
                    else False
                ),
                "category_id": sorted(category, key=lambda t: _sort_key(tags[t][1])),
                "customer_rank": 0,
                "supplier_rank": 0,
                "property_account_receivable_id": receivable,
                "property_account_payable_id": payable,
                "sale_order_ids": [],
            }
            records.append(company_record)
            self.partner_created[cid] = moment
            self.commercial_ids.append(cid)
            children: list[int] = []
            n_children = _CHILD_COUNTS[int(rng.random() * len(_CHILD_COUNTS))]
            for index in range(n_children):
                if next_id > last_id:
                    break
                pid = next_id
                next_id += 1
                cname, handle, clang = person(loc)
                complete = f"{name}, {cname}"
                ctype = "contact"
                c_street, c_city, c_zip, c_state = street, city, zip_code, state
                if index == 1 and rng.random() < 0.25:
                    ctype = "invoice"
                    self.invoice_address[cid] = pid
                elif index == 2 and rng.random() < 0.3:
                    ctype = "delivery"
                    c_street, c_city, c_zip, c_state = address(loc, clang)
                    self.delivery_address[cid] = pid
                pair = [pid, complete]
                pairs[pid] = pair
                self.partner_names[pid] = cname
                child_moment = moments[pid - _FIRST_GENERATED_PARTNER]
                records.append(
                    {
                        "id": pid,
                        "display_name": complete,
                        "create_date": clock.datetime(child_moment),
                        "write_date": max(written, clock.datetime(child_moment)),
                        "name": cname,
                        "complete_name": complete,
                        "active": not archived and rng.random() > 0.03,
                        "is_company": False,
                        "type": ctype,
                        "parent_id": company_pair,
                        "child_ids": [],
                        "commercial_partner_id": company_pair,
                        "company_id": False,
                        "ref": False,
                        "email": messy(f"{handle}@{domain}"),
                        "phone": _fill(loc.phone, rng) if rng.random() < 0.75 else False,
                        "mobile": _fill(loc.phone, rng) if rng.random() < 0.35 else False,
                        "website": False,
                        "function": _JOB_TITLES[int(rng.random() * len(_JOB_TITLES))],
                        "street": c_street,
                        "zip": c_zip,
                        "city": c_city,
                        "state_id": c_state,
                        "country_id": country,
                        "vat": company_record["vat"],
                        "lang": "en_US",
                        "tz": tz,
                        "user_id": False,
                        "category_id": [],
                        "customer_rank": 0,
                        "supplier_rank": 0,
                        "property_account_receivable_id": receivable,
                        "property_account_payable_id": payable,
                        "sale_order_ids": [],
                    }
                )
                self.partner_created[pid] = child_moment
                children.append(pid)
            if children:
                self.company_children[cid] = children
                company_record["child_ids"] = sorted(
                    children, key=lambda c: (_sort_key(pairs[c][1]), -c)
                )
        # Company 1's salespeople are its contacts.
        company1 = records[0]
        company1["child_ids"] = sorted(
            (r["id"] for r in records if r["parent_id"] and r["parent_id"][0] == 1),
            key=lambda c: (_sort_key(pairs[c][1]), -c),
        )
        self.partner_by_id = {r["id"]: r for r in records}

    # -- products ----------------------------------------------------------------------------

    def _products(self) -> None:
        rng = self._rng("products")
        clock = self.clock
        specs = list(_CATALOGUE)
        wanted = min(max(self.scale // 100, len(specs)), 600)
        extra: list[_ProductSpec] = []
        for series in _SERIES:
            for item, categ, price, weight in _ITEMS:
                for material in _MATERIALS:
                    extra.append(
                        _ProductSpec(
                            f"{material} {item}{series}",
                            "",
                            categ,
                            price,
                            round(price * 0.55, 2),
                            weight=weight,
                        )
                    )
        rng.shuffle(extra)
        numbers = rng.sample(range(1000, 10000), len(extra))
        for spec, number in zip(extra[: wanted - len(specs)], numbers):
            factor = 0.8 + rng.random() * 0.6
            price = round(spec.price * factor, 0) - (0.01 if rng.random() < 0.3 else 0)
            specs.append(
                _ProductSpec(
                    spec.name,
                    f"FURN_{number}",
                    spec.categ,
                    price,
                    round(price * 0.55, 2),
                    weight=spec.weight,
                    policy="order" if rng.random() < 0.3 else "delivery",
                )
            )
        categories = self.pairs["product.category"]
        uoms = self.pairs["uom.uom"]
        created_day = _SETUP_DAY
        self.saleable: list[Record] = []  # product.product records sold in orders
        self.purchasable: list[Record] = []
        self.product_policy: dict[int, str] = {}
        self.product_uom: dict[int, int] = {}
        self.storable_products: list[Record] = []
        self.descriptions: dict[int, str] = {}
        variant_id = 1
        attribute_value = 1
        for tid, spec in enumerate(specs, start=1):
            created = clock.datetime(created_day * _DAY + 8 * 3600 + 60 * tid)
            tmpl_display = f"[{spec.code}] {spec.name}" if spec.code else spec.name
            tmpl_pair = [tid, tmpl_display]
            active = rng.random() > 0.02 or tid <= len(_CATALOGUE)
            taxes = [1, 3] if spec.sale_ok and spec.type != "combo" else []
            combos: list[tuple[tuple[str, float], ...]] = [()]
            for values in spec.variants:
                combos = [(*c, v) for c in combos for v in values]
            variant_ids: list[tuple[Any, str, int]] = []
            value_ids = {}
            for values in spec.variants:
                for value, _extra in values:
                    value_ids[value] = attribute_value
                    attribute_value += 1
            for index, combo in enumerate(combos):
                pid = variant_id
                variant_id += 1
                code = spec.code or (
                    f"{_ascii(spec.name)[:4].upper()}{index + 1:04d}" if combo else False
                )
                extra_price = sum(e for _v, e in combo)
                attrs = ", ".join(v for v, _e in combo)
                display = (
                    (f"[{code}] " if code else "") + spec.name + (f" ({attrs})" if attrs else "")
                )
                product = {
                    "id": pid,
                    "display_name": display,
                    "create_date": created,
                    "write_date": created,
                    "name": spec.name,
                    "default_code": code,
                    "barcode": _ean13(rng) if spec.storable and rng.random() < 0.5 else False,
                    "active": active,
                    "product_tmpl_id": tmpl_pair,
                    "categ_id": categories[spec.categ],
                    "type": spec.type,
                    "is_storable": spec.storable,
                    "list_price": spec.price,
                    "lst_price": round(spec.price + extra_price, 2),
                    "standard_price": spec.cost,
                    "volume": 0.0,
                    "weight": spec.weight,
                    "uom_id": uoms[spec.uom],
                    "sale_ok": spec.sale_ok,
                    "purchase_ok": spec.type != "combo",
                    "taxes_id": taxes,
                    "combination_indices": ",".join(str(value_ids[v]) for v, _e in combo),
                }
                self._add("product.product", product)
                variant_ids.append((code, spec.name, pid))
                self.product_policy[pid] = spec.policy
                self.product_uom[pid] = spec.uom
                if spec.description:
                    self.descriptions[pid] = spec.description
                if active and spec.sale_ok and spec.type != "combo":
                    self.saleable.append(product)
                if active and spec.type == "consu":
                    self.purchasable.append(product)
                if spec.storable and active:
                    self.storable_products.append(product)
            self._add(
                "product.template",
                {
                    "id": tid,
                    "display_name": tmpl_display,
                    "create_date": created,
                    "write_date": created,
                    "name": spec.name,
                    "default_code": spec.code or False,
                    "active": active,
                    "type": spec.type,
                    "is_storable": spec.storable,
                    "categ_id": categories[spec.categ],
                    "list_price": spec.price,
                    "sale_ok": spec.sale_ok,
                    "purchase_ok": spec.type != "combo",
                    "uom_id": uoms[spec.uom],
                    "uom_po_id": uoms[spec.uom],
                    "company_id": False,
                    "taxes_id": taxes,
                    "supplier_taxes_id": [2, 4] if spec.type != "combo" else [],
                    "product_variant_ids": [
                        v[2]
                        for v in sorted(
                            variant_ids, key=lambda v: (v[0] is False, v[0] or "", v[1], v[2])
                        )
                    ],
                    "invoice_policy": spec.policy,
                    "tracking": spec.tracking,
                    "sequence": 1,
                    "weight": spec.weight,
                    "volume": 0.0,
                    "sale_delay": 0,
                    "description_sale": spec.description or False,
                    "property_account_income_id": False,
                    "property_account_expense_id": False,
                    "color": 0,
                },
            )
        # Popularity: a few products sell much more than the others.
        weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(self.saleable))]
        rng.shuffle(weights)
        self.saleable_cw = list(accumulate(weights))

    # -- sales ---------------------------------------------------------------------------------

    def _sales(self) -> None:
        rng = self._rng("sales")
        clock = self.clock
        now = clock.now
        n_orders = round(self.scale * ORDERS_PER_PARTNER)
        # Customers in creation order; a few big ones order much more than the others.
        customers = sorted(self.commercial_ids, key=lambda c: self.partner_created[c])
        customer_since = [self.partner_created[c] for c in customers]
        customer_cw = list(accumulate(rng.paretovariate(1.6) for _ in customers))
        window_start = _WINDOW_START_DAY * _DAY
        span = now - window_start
        specs: list[tuple[int, int]] = []
        for _ in range(n_orders):
            # A growing business: twice as many orders a day at the end of the window as at
            # its start (inverse of the CDF of a linear density), in business hours (UTC).
            moment = window_start + int(span * ((1 + 3 * rng.random()) ** 0.5 - 1))
            moment = moment - moment % _DAY + 7 * 3600 + int(rng.random() * 11 * 3600)
            moment = min(moment, now - 1800)
            # only customers that exist by then can order
            known = max(1, bisect.bisect_left(customer_since, moment))
            cid = customers[_bisect(customer_cw, rng.random() * customer_cw[known - 1])]
            specs.append((max(moment, self.partner_created[cid] + 600), cid))
        specs.sort()

        partners = self.pairs["res.partner"]
        salespeople = [self.users[u] for u in _SALESPEOPLE]
        sales_cw = list(accumulate(_SALESPEOPLE_WEIGHTS))
        saleable = self.saleable
        saleable_cw = self.saleable_cw
        uoms = self.pairs["uom.uom"]
        orders = self.records["sale.order"]
        lines = self.records["sale.order.line"]
        order_pairs = self.pairs["sale.order"]
        policy = self.product_policy
        product_uom = self.product_uom
        descriptions = self.descriptions
        self.to_invoice: list[_InvoiceRequest] = []
        self.order_moments: dict[int, tuple[int, int]] = {}
        line_id = 1
        for index, (created_at, cid) in enumerate(specs):
            oid = index + 1
            name = f"S{oid:05d}"
            order_pair = [oid, name]
            order_pairs[oid] = order_pair
            age_days = (now - created_at) // _DAY
            r = rng.random()
            if age_days > 30:
                state = (
                    "sale" if r < 0.72 else "cancel" if r < 0.82 else "sent" if r < 0.9 else "draft"
                )
            else:
                state = (
                    "draft" if r < 0.35 else "sent" if r < 0.6 else "sale" if r < 0.95 else "cancel"
                )
            date_order = created_at
            if state == "sale":
                date_order = min(
                    now - 600,
                    created_at
                    + int(rng.random() * min(age_days, 10) * _DAY)
                    + int(rng.random() * 3600),
                )
            company_id = 2 if rng.random() < 0.12 else 1
            ledger = self.ledgers[company_id]
            children = self.company_children.get(cid)
            partner_id = cid
            if children and rng.random() < 0.35:
                partner_id = children[int(rng.random() * len(children))]
            partner = partners[partner_id]
            invoice_partner = partners[self.invoice_address.get(cid, partner_id)]
            shipping_partner = partners[self.delivery_address.get(cid, partner_id)]
            owner = (
                self.partner_by_id[cid]["user_id"]
                or salespeople[_bisect(sales_cw, rng.random() * sales_cw[-1])]
            )
            partner_name = self.partner_names[partner_id]
            sale_tax = ledger.sale_tax
            tax_ids = [sale_tax[0]]
            created = clock.datetime(created_at)
            order_lines: list[Record] = []
            untaxed = tax_total = 0
            n_lines = 1 + int(rng.random() * MAX_LINES_PER_ORDER)
            products = rng.choices(saleable, cum_weights=saleable_cw, k=n_lines)
            line_state = state
            common = {
                "order_id": order_pair,
                "state": line_state,
                "salesman_id": owner,
                "order_partner_id": partner,
                "currency_id": self.usd,
                "company_id": ledger.company,
            }
            if rng.random() < 0.06:
                title = _SECTION_TITLES[int(rng.random() * len(_SECTION_TITLES))]
                order_lines.append(
                    self._display_line(
                        line_id, name, partner_name, created, "line_section", title, common
                    )
                )
                line_id += 1
            for product in products:
                pid = product["id"]
                uom_id = product_uom[pid]
                price = product["lst_price"]
                quantities = _QUANTITIES_BY_UOM.get(uom_id) or _quantities_for(price)
                qty = quantities[int(rng.random() * len(quantities))]
                if rng.random() < 0.12:
                    price = round(price * (0.85 + rng.random() * 0.2), 2)
                discount = 0.0 if rng.random() < 0.8 else _DISCOUNTS[int(rng.random() * 8)]
                subtotal = _subtotal(qty, price, discount)
                tax = _tax(subtotal, _TAX_PERCENT)
                untaxed += subtotal
                tax_total += tax
                label = product["display_name"]
                description = descriptions.get(pid)
                line_name = f"{label}\n{description}" if description else label
                line = {
                    "id": line_id,
                    "display_name": f"{name} - {label} ({partner_name})",
                    "create_date": created,
                    "write_date": created,
                    "order_id": order_pair,
                    "sequence": 10,
                    "name": line_name,
                    "product_id": self.pairs["product.product"][pid],
                    "product_uom_qty": float(qty),
                    "product_uom": uoms[uom_id],
                    "price_unit": price,
                    "discount": discount,
                    "price_subtotal": _money(subtotal),
                    "price_tax": _money(tax),
                    "price_total": _money(subtotal + tax),
                    "tax_id": tax_ids,
                    "qty_delivered": 0.0,
                    "qty_invoiced": 0.0,
                    "qty_to_invoice": 0.0,
                    "invoice_status": "no",
                    "state": line_state,
                    "display_type": False,
                    "salesman_id": owner,
                    "order_partner_id": partner,
                    "currency_id": self.usd,
                    "company_id": ledger.company,
                    "is_downpayment": False,
                    "customer_lead": 0.0,
                    "invoice_lines": [],
                    "analytic_distribution": False,
                }
                line_id += 1
                order_lines.append(line)
            if rng.random() < 0.04:
                note = _NOTES[int(rng.random() * len(_NOTES))]
                order_lines.append(
                    self._display_line(
                        line_id, name, partner_name, created, "line_note", note, common
                    )
                )
                line_id += 1
            lines.extend(order_lines)

            last_event = date_order
            delivery_status: str | bool = False
            effective: str | bool = False
            goods = [
                ln
                for ln in order_lines
                if ln["product_id"] and self.product_by_id(ln["product_id"][0])["type"] == "consu"
            ]
            goods_ids = {ln["id"] for ln in goods}
            request: _InvoiceRequest | None = None
            if state == "sale":
                delivered_at = date_order + _DAY + int(rng.random() * 10 * _DAY)
                if goods:
                    delivery_status = "pending"
                    if delivered_at < now:
                        partial = rng.random() < (0.05 if age_days > 14 else 0.25)
                        done = [ln for ln in goods if not partial or rng.random() < 0.5]
                        if partial and len(done) in (0, len(goods)):
                            done = goods[: max(1, len(goods) // 2)]
                        for ln in done:
                            ln["qty_delivered"] = ln["product_uom_qty"]
                        delivery_status = "full" if len(done) == len(goods) else "partial"
                        effective = clock.datetime(delivered_at)
                        last_event = delivered_at
                for ln in order_lines:
                    product = ln["product_id"]
                    if (
                        product
                        and ln["id"] not in goods_ids
                        and policy[product[0]] == "delivery"
                        and delivered_at < now
                    ):
                        ln["qty_delivered"] = ln["product_uom_qty"]  # services done
                invoiceable = [
                    (
                        ln,
                        int(
                            ln["product_uom_qty"]
                            if policy[ln["product_id"][0]] == "order"
                            else ln["qty_delivered"]
                        ),
                    )
                    for ln in order_lines
                    if ln["product_id"]
                ]
                invoiceable = [(ln, q) for ln, q in invoiceable if q > 0]
                invoice_at = (delivered_at if effective else date_order) + int(
                    rng.random() * 6 * _DAY
                )
                if invoiceable and invoice_at < now and rng.random() < 0.88:
                    request = _InvoiceRequest(
                        invoice_at, company_id, invoice_partner, partners[cid], invoiceable
                    )
                    last_event = max(last_event, invoice_at)
            order = {
                "id": oid,
                "display_name": name,
                "create_date": created,
                "write_date": clock.datetime(max(last_event, created_at)),
                "name": name,
                "state": state,
                "date_order": clock.datetime(date_order),
                "validity_date": clock.day(created_at // _DAY + 30),
                "commitment_date": (
                    clock.datetime(date_order + (7 + int(rng.random() * 23)) * _DAY)
                    if rng.random() < 0.1
                    else False
                ),
                "partner_id": partner,
                "partner_invoice_id": invoice_partner,
                "partner_shipping_id": shipping_partner,
                "user_id": owner,
                "company_id": ledger.company,
                "currency_id": self.usd,
                "order_line": [ln["id"] for ln in order_lines],
                "amount_untaxed": _money(untaxed),
                "amount_tax": _money(tax_total),
                "amount_total": _money(untaxed + tax_total),
                "invoice_status": "no",
                "delivery_status": delivery_status,
                "client_order_ref": (
                    f"PO-{int(rng.random() * 90000) + 10000}" if rng.random() < 0.2 else False
                ),
                "origin": False,
                "opportunity_id": False,
                "tag_ids": sorted(rng.sample(range(1, 9), 1 + int(rng.random() * 2)))
                if rng.random() < 0.2
                else [],
                "warehouse_id": ledger.warehouse,
                "journal_id": False,
                "currency_rate": 1.0,
                "locked": state == "sale" and rng.random() < 0.05,
                "require_signature": True,
                "require_payment": True,
                "effective_date": effective,
                "picking_policy": "direct",
            }
            orders.append(order)
            for ln in order_lines:  # confirmation, delivery and invoicing touch the lines too
                ln["write_date"] = order["write_date"]
            self.order_moments[oid] = (created_at, date_order)
            if request is not None:
                request.order = order
                self.to_invoice.append(request)
        self.order_lines_by_order: dict[int, list[Record]] = {}
        for ln in lines:
            self.order_lines_by_order.setdefault(ln["order_id"][0], []).append(ln)

    def product_by_id(self, pid: int) -> Record:
        return self.records["product.product"][pid - 1]

    @staticmethod
    def _display_line(
        line_id: int,
        order_name: str,
        partner_name: str,
        created: str,
        display_type: str,
        text: str,
        common: Record,
    ) -> Record:
        """A section or note line: no product, no amounts."""
        return {
            "id": line_id,
            "display_name": f"{order_name} - {text} ({partner_name})",
            "create_date": created,
            "write_date": created,
            "order_id": common["order_id"],
            "sequence": 10,
            "name": text,
            "product_id": False,
            "product_uom_qty": 0.0,
            "product_uom": False,
            "price_unit": 0.0,
            "discount": 0.0,
            "price_subtotal": 0.0,
            "price_tax": 0.0,
            "price_total": 0.0,
            "tax_id": [],
            "qty_delivered": 0.0,
            "qty_invoiced": 0.0,
            "qty_to_invoice": 0.0,
            "invoice_status": "no",
            "state": common["state"],
            "display_type": display_type,
            "salesman_id": common["salesman_id"],
            "order_partner_id": common["order_partner_id"],
            "currency_id": common["currency_id"],
            "company_id": common["company_id"],
            "is_downpayment": False,
            "customer_lead": 0.0,
            "invoice_lines": [],
            "analytic_distribution": False,
        }

    # -- accounting ----------------------------------------------------------------------------

    def _accounting(self) -> None:
        rng = self._rng("accounting")
        now = self.clock.now
        moves: list[_Move] = []
        matching = 0
        for request in self.to_invoice:
            order = request.order
            invoice_at = request.moment
            ledger = self.ledgers[request.company]
            inv = _Move(
                invoice_at,
                "out_invoice",
                ledger,
                request.invoice_partner,
                request.commercial,
                ref=order["client_order_ref"],
                origin=order["name"],
                user=order["user_id"],
            )
            for line, qty in request.lines:
                price = line["price_unit"]
                discount = line["discount"]
                subtotal = _subtotal(qty, price, discount)
                tax = _tax(subtotal, _TAX_PERCENT)
                inv.lines.append(
                    (
                        line,
                        self.product_by_id(line["product_id"][0]),
                        qty,
                        price,
                        discount,
                        subtotal,
                        tax,
                    )
                )
                inv.untaxed += subtotal
                inv.tax += tax
            total = inv.untaxed + inv.tax
            inv.residual = total
            inv.due_day = invoice_at // _DAY + 30
            moves.append(inv)
            if now - invoice_at < 6 * _DAY and rng.random() < 0.5:
                inv.state = "draft"
                continue
            r = rng.random()
            settle_at = invoice_at + (3 + int(rng.random() * 45)) * _DAY + int(rng.random() * 3600)
            if r < 0.02 and invoice_at + 20 * _DAY < now:  # refunded in full
                matching += 1
                refund_at = invoice_at + (5 + int(rng.random() * 15)) * _DAY
                refund = _Move(
                    refund_at,
                    "out_refund",
                    ledger,
                    inv.partner,
                    inv.commercial,
                    user=inv.user,
                    settles=inv,
                    payment_state="paid",
                    matching=str(matching),
                    origin=inv.origin,
                )
                refund.lines = inv.lines
                refund.untaxed, refund.tax = inv.untaxed, inv.tax
                refund.due_day = refund_at // _DAY
                inv.payment_state, inv.residual, inv.matching = "reversed", 0, str(matching)
                moves.append(refund)
            elif r < 0.96 and settle_at < now:  # paid, sometimes in part
                matching += 1
                amount = total
                if rng.random() < 0.06:
                    amount = max(1, total * (2 + int(rng.random() * 6)) // 10)
                    inv.payment_state, inv.residual = "partial", total - amount
                    inv.matching = f"P{matching}"
                else:
                    inv.payment_state, inv.residual, inv.matching = "paid", 0, str(matching)
                moves.append(
                    _Move(
                        settle_at,
                        "payment_in",
                        ledger,
                        inv.commercial,
                        inv.commercial,
                        settles=inv,
                        amount=amount,
                        matching=inv.matching,
                    )
                )
        # Vendor bills for the goods the companies buy.
        vendors = [self.pairs["res.partner"][v] for v in self.vendor_ids] or [
            self.pairs["res.partner"][self.commercial_ids[0]]
        ]
        window = now - _WINDOW_START_DAY * _DAY
        for _ in range(max(3, round(self.scale * BILLS_PER_PARTNER))):
            vendor = vendors[int(rng.random() * len(vendors))]
            bill_at = _WINDOW_START_DAY * _DAY + int(rng.random() * window)
            bill_at = min(now - 3600, max(bill_at, self.partner_created[vendor[0]] + _DAY))
            ledger = self.ledgers[2 if rng.random() < 0.1 else 1]
            bill = _Move(
                bill_at,
                "in_invoice",
                ledger,
                vendor,
                vendor,
                ref=f"INV/{self.clock.date(bill_at)[:4]}/{int(rng.random() * 9000) + 1000}",
            )
            for product in rng.sample(
                self.purchasable, min(len(self.purchasable), 1 + int(rng.random() * 4))
            ):
                price = product["standard_price"]
                quantities = _quantities_for(price)
                qty = 5 * quantities[int(rng.random() * len(quantities))]
                subtotal = _subtotal(qty, price, 0.0)
                tax = _tax(subtotal, _TAX_PERCENT)
                bill.lines.append((None, product, qty, price, 0.0, subtotal, tax))
                bill.untaxed += subtotal
                bill.tax += tax
            bill.residual = bill.untaxed + bill.tax
            bill.due_day = bill_at // _DAY + 30
            moves.append(bill)
            pay_at = bill_at + (10 + int(rng.random() * 30)) * _DAY
            if now - bill_at < 4 * _DAY and rng.random() < 0.5:
                bill.state = "draft"
            elif pay_at < now and rng.random() < 0.9:
                matching += 1
                bill.payment_state, bill.residual, bill.matching = "paid", 0, str(matching)
                moves.append(
                    _Move(
                        pay_at,
                        "payment_out",
                        ledger,
                        vendor,
                        vendor,
                        settles=bill,
                        amount=bill.untaxed + bill.tax,
                        matching=bill.matching,
                    )
                )
        moves.sort(key=lambda m: m.moment)
        self._write_moves(moves)
        self._invoice_statuses()

    def _write_moves(self, moves: list[_Move]) -> None:
        """Give the entries ids and names in date order, then write them and their items."""
        clock = self.clock
        counters: dict[tuple[int, str], int] = {}
        self.ranks: dict[tuple[int, str], int] = {}
        self.next_item_id = 1
        for move_id, move in enumerate(moves, start=1):
            date = clock.date(move.moment)
            journal, prefix, digits = self._numbering(move, date)
            posted = move.state == "posted"
            number = 0
            name = "/"
            if posted:
                number = counters[journal[0], prefix] = counters.get((journal[0], prefix), 0) + 1
                name = f"{prefix}{number:0{digits}d}"
            if move.kind == "out_refund" and move.settles and move.settles.record:
                move.ref = f"Reversal of: {move.settles.record['name']}"
            # Odoo's display name of an entry: its number (or "Draft Invoice "), then the ref
            display = name if posted else _DRAFT_NAMES.get(move.kind, "Draft Entry ")
            if move.ref:
                display = f"{display} ({move.ref})"
            self.pairs["account.move"][move_id] = [move_id, display]
            is_invoice = move.kind in ("out_invoice", "out_refund", "in_invoice")
            if is_invoice and posted:
                rank = "supplier_rank" if move.kind == "in_invoice" else "customer_rank"
                key = (move.partner[0], rank)
                self.ranks[key] = self.ranks.get(key, 0) + 1
            common = {
                "move_id": self.pairs["account.move"][move_id],
                "move_name": name,
                "date": date,
                "ref": move.ref,
                "journal_id": journal,
                "company_id": move.ledger.company,
                "parent_state": move.state,
                "create_date": clock.datetime(move.moment),
                "write_date": clock.datetime(move.moment + 600),
                "partner_id": move.commercial,
            }
            if is_invoice:
                line_ids, invoice_line_ids = self._invoice_items(move, common, name)
                amount_total = move.untaxed + move.tax
                # signed in the company's point of view: customer invoices and vendor refunds
                # are positive
                signed = _money(amount_total) * (1 if move.kind == "out_invoice" else -1)
            else:
                line_ids = invoice_line_ids = self._payment_items(move, common)
                amount_total = move.amount
                signed = _money(amount_total)
            settled = move.settles.record if move.settles else None
            record = {
                "id": move_id,
                "display_name": display,
                "create_date": common["create_date"],
                "write_date": common["write_date"],
                "name": name,
                "ref": move.ref,
                "move_type": move.kind if is_invoice else "entry",
                "state": move.state,
                "date": date,
                "invoice_date": date if is_invoice and posted else False,
                "invoice_date_due": clock.day(move.due_day) if is_invoice else date,
                "partner_id": move.partner,
                "commercial_partner_id": move.commercial,
                "journal_id": journal,
                "company_id": move.ledger.company,
                "currency_id": self.usd,
                "amount_untaxed": _money(move.untaxed),
                "amount_tax": _money(move.tax),
                "amount_total": _money(amount_total),
                "amount_residual": _money(move.residual) if is_invoice else 0.0,
                "amount_total_signed": signed,
                "payment_state": move.payment_state if is_invoice else "not_paid",
                "invoice_origin": move.origin,
                "invoice_user_id": move.user,
                "line_ids": line_ids,
                "invoice_line_ids": invoice_line_ids,
                "reversed_entry_id": (
                    self.pairs["account.move"][settled["id"]]
                    if move.kind == "out_refund" and settled
                    else False
                ),
                "auto_post": "no",
                "posted_before": posted,
                "payment_reference": name if move.kind == "out_invoice" and posted else False,
                "narration": False,
                "sequence_number": number,
                "sequence_prefix": prefix if posted else "",
                "checked": posted,
            }
            move.record = record
            self.records["account.move"].append(record)

    @staticmethod
    def _numbering(move: _Move, date: str) -> tuple[Pair, str, int]:
        """Journal, sequence prefix and number of digits of an entry's name."""
        year = date[:4]
        if move.kind == "out_invoice":
            return move.ledger.sale_journal, f"INV/{year}/", 5
        if move.kind == "out_refund":
            return move.ledger.sale_journal, f"RINV/{year}/", 5
        if move.kind == "in_invoice":
            return move.ledger.purchase_journal, f"BILL/{year}/{date[5:7]}/", 4
        return move.ledger.bank_journal, f"BNK1/{year}/", 5

    def _invoice_items(self, move: _Move, common: Record, name: str) -> tuple[list[int], list[int]]:
        """Journal items of an invoice, credit note or bill: products, tax, payment term."""
        ledger = move.ledger
        purchase = move.kind == "in_invoice"
        # customer invoices credit income; credit notes and bills debit it (or expenses)
        sign = -1 if move.kind == "out_invoice" else 1
        account = ledger.expense if purchase else ledger.income
        tax = ledger.purchase_tax if purchase else ledger.sale_tax
        uoms = self.pairs["uom.uom"]
        products = self.pairs["product.product"]
        line_ids: list[int] = []
        for sale_line, product, qty, price, discount, subtotal, tax_cents in move.lines:
            item_id = self._item(
                common,
                label=sale_line["name"] if sale_line else product["display_name"],
                account=account,
                balance=sign * subtotal,
                display_type="product",
                product=products[product["id"]],
                quantity=float(qty),
                price=price,
                discount=discount,
                tax_ids=[tax[0]],
                subtotal=_money(subtotal),
                total=_money(subtotal + tax_cents),
                sale_lines=[sale_line["id"]] if sale_line else [],
                uom=uoms[self.product_uom[product["id"]]],
            )
            line_ids.append(item_id)
            if sale_line is not None:
                sale_line["invoice_lines"].append(item_id)
                sale_line["qty_invoiced"] += float(qty if move.kind == "out_invoice" else -qty)
        invoice_line_ids = list(line_ids)
        if move.tax:
            line_ids.append(
                self._item(
                    common,
                    label=tax[1],
                    account=ledger.tax_paid if purchase else ledger.tax_received,
                    balance=sign * move.tax,
                    display_type="tax",
                    tax_line=tax,
                )
            )
        posted = move.state == "posted"
        line_ids.append(
            self._item(
                common,
                label=name if move.kind == "out_invoice" and posted else "",
                account=ledger.payable if purchase else ledger.receivable,
                balance=-sign * (move.untaxed + move.tax),
                display_type="payment_term",
                maturity=self.clock.day(move.due_day),
                reconciled=posted and move.residual == 0,
                residual=-sign * move.residual,
                matching=move.matching,
            )
        )
        return line_ids, invoice_line_ids

    def _payment_items(self, move: _Move, common: Record) -> list[int]:
        """A bank statement line reconciled with the invoice (or bill) it pays."""
        assert move.settles is not None and move.settles.record is not None
        label = move.settles.record["name"]
        ledger = move.ledger
        amount = move.amount if move.kind == "payment_in" else -move.amount
        counterpart = ledger.receivable if move.kind == "payment_in" else ledger.payable
        return [
            self._item(
                common,
                label=label,
                account=ledger.bank,
                balance=amount,
                display_type="product",
                quantity=1.0,
                residual=amount,  # liquidity accounts keep their residual
                subtotal=_money(amount),
                total=_money(amount),
            ),
            self._item(
                common,
                label=label,
                account=counterpart,
                balance=-amount,
                display_type="product",
                quantity=1.0,
                reconciled=True,
                subtotal=_money(-amount),
                total=_money(-amount),
                matching=move.matching,
            ),
        ]

    def _item(
        self,
        common: Record,
        *,
        label: str,
        account: Pair,
        balance: int,
        display_type: str,
        product: Pair | bool = False,
        quantity: float = 0.0,
        price: float = 0.0,
        discount: float = 0.0,
        tax_ids: list[int] | None = None,
        tax_line: Pair | bool = False,
        maturity: str | bool = False,
        reconciled: bool = False,
        residual: int = 0,
        subtotal: float = 0.0,
        total: float = 0.0,
        sale_lines: list[int] | None = None,
        uom: Pair | bool = False,
        matching: str | bool = False,
    ) -> int:
        """Append a journal item (amounts in cents) and return its id."""
        item_id = self.next_item_id
        self.next_item_id += 1
        move_name = common["move_name"]
        ref = common["ref"]
        amount = _money(balance)
        self.records["account.move.line"].append(
            {
                "id": item_id,
                # Odoo: the entry's number, its ref in parentheses, then the label
                "display_name": " ".join(
                    part for part in (move_name, f"({ref})" if ref else "", label) if part
                ),
                "create_date": common["create_date"],
                "write_date": common["write_date"],
                "move_id": common["move_id"],
                "move_name": move_name,
                "date": common["date"],
                "name": label,
                "ref": ref,
                "account_id": account,
                "journal_id": common["journal_id"],
                "partner_id": common["partner_id"],
                "product_id": product,
                "quantity": quantity,
                "price_unit": price,
                "discount": discount,
                "debit": amount if amount > 0 else 0.0,
                "credit": -amount if amount < 0 else 0.0,
                "balance": amount,
                "amount_currency": amount,
                "currency_id": self.usd,
                "company_currency_id": self.usd,
                "company_id": common["company_id"],
                "tax_ids": tax_ids or [],
                "tax_line_id": tax_line,
                "display_type": display_type,
                "parent_state": common["parent_state"],
                "date_maturity": maturity,
                "reconciled": reconciled,
                "amount_residual": _money(residual),
                "price_subtotal": subtotal,
                "price_total": total,
                "sale_line_ids": sale_lines or [],
                "product_uom_id": uom,
                "matching_number": matching,
            }
        )
        return item_id

    def _invoice_statuses(self) -> None:
        """Quantities to invoice and invoice statuses of the sale lines and orders."""
        policy = self.product_policy
        for order in self.records["sale.order"]:
            lines = self.order_lines_by_order.get(order["id"], [])
            if order["state"] != "sale":
                continue
            statuses = []
            for line in lines:
                product = line["product_id"]
                qty = line["product_uom_qty"]
                invoiced = line["qty_invoiced"]
                if product:
                    basis = qty if policy[product[0]] == "order" else line["qty_delivered"]
                    line["qty_to_invoice"] = basis - invoiced
                if line["qty_to_invoice"]:
                    status = "to invoice"
                elif invoiced >= qty:
                    status = "invoiced"
                else:
                    status = "no"
                line["invoice_status"] = status
                if line["invoice_lines"]:
                    line["invoice_lines"].sort(key=lambda a: -a)  # newest entry first
                if not line["display_type"]:
                    statuses.append(status)
            if "to invoice" in statuses:
                order["invoice_status"] = "to invoice"
            elif statuses and all(s == "invoiced" for s in statuses):
                order["invoice_status"] = "invoiced"
            else:
                order["invoice_status"] = "no"

    # -- CRM -----------------------------------------------------------------------------------

    def _crm(self) -> None:
        rng = self._rng("crm")
        clock = self.clock
        now = clock.now
        partners = self.pairs["res.partner"]
        stages = self.pairs["crm.stage"]
        salespeople = [self.users[u] for u in _SALESPEOPLE]
        sales_cw = list(accumulate(_SALESPEOPLE_WEIGHTS))
        n_leads = round(self.scale * LEADS_PER_PARTNER)
        confirmed = [o for o in self.records["sale.order"] if o["state"] == "sale"]
        won_orders = rng.sample(confirmed, min(len(confirmed), n_leads // 5))
        specs: list[tuple[int, str, Record | None]] = []
        window_start = _WINDOW_START_DAY * _DAY
        for won in won_orders:
            created = self.order_moments[won["id"]][0] - (5 + int(rng.random() * 50)) * _DAY
            specs.append((max(created, window_start), "won", won))
        for _ in range(n_leads - len(specs)):
            r = rng.random()
            kind = "lost" if r < 0.2 else "lead" if r < 0.45 else "open"
            if kind == "lost":
                created = window_start + int(rng.random() * (now - window_start - 20 * _DAY))
            else:  # open leads are mostly recent
                created = now - int(rng.random() ** 2 * 240 * _DAY)
            specs.append((created, kind, None))
        # in office hours, and ids in creation order
        specs = sorted(
            (
                (moment - moment % _DAY + 8 * 3600 + int(rng.random() * 9 * 3600), kind, order)
                for moment, kind, order in specs
            ),
            key=lambda spec: spec[0],
        )
        leads = self.records["crm.lead"]
        for lead_id, (created_at, kind, order) in enumerate(specs, start=1):
            # the contact of a lead: a known customer, or a prospect typed in by hand
            source_id: int | None = None
            if order is not None:
                source_id = order["partner_id"][0]
            elif rng.random() < 0.45:
                source_id = self.commercial_ids[int(rng.random() * len(self.commercial_ids))]
            partner: Pair | bool = False
            if source_id is not None:
                partner = partners[source_id]
                source = self.partner_by_id[source_id]
                company = self.partner_by_id[source["commercial_partner_id"][0]]
                partner_name = company["name"] if company["is_company"] else False
                contact_name = False if source["is_company"] else source["name"]
                email, phone = source["email"], source["phone"]
                city, country, state = source["city"], source["country_id"], source["state_id"]
            else:
                loc = _LOCALES[int(rng.random() * len(_LOCALES))]
                lang = loc.languages[0]
                first = _FIRST_NAMES[lang][int(rng.random() * len(_FIRST_NAMES[lang]))]
                last = _LAST_NAMES[lang][int(rng.random() * len(_LAST_NAMES[lang]))]
                word = _COMPANY_WORDS[int(rng.random() * len(_COMPANY_WORDS))]
                noun = _COMPANY_NOUNS[int(rng.random() * len(_COMPANY_NOUNS))]
                partner_name = f"{word} {noun}" if rng.random() < 0.8 else False
                contact_name = f"{first} {last}"
                domain = _ascii(f"{word}{noun}".replace(" ", "")) + loc.tld
                email = f"{_ascii(first)}.{_ascii(last)}@{domain}" if rng.random() < 0.9 else False
                phone = _fill(loc.phone, rng) if rng.random() < 0.5 else False
                city_row = loc.cities[int(rng.random() * len(loc.cities))]
                city = city_row[0]
                country = self.country_by_code[loc.code]
                state = self.state_by_code[loc.code, city_row[1]] if city_row[1] else False
            need = _LEAD_NEEDS[int(rng.random() * len(_LEAD_NEEDS))].format(
                n=(5, 10, 12, 20, 25, 40, 60, 100)[int(rng.random() * 8)]
            )
            who = partner_name or contact_name or "Website"
            name = f"{who}: {need}"
            user = (
                salespeople[_bisect(sales_cw, rng.random() * sales_cw[-1])]
                if rng.random() < 0.85
                else False
            )
            if order is not None:
                user = order["user_id"]
            expected = (
                round(order["amount_untaxed"])
                if order is not None
                else int(rng.lognormvariate(8.8, 1.0)) // 100 * 100 + 500
            )
            lead_type = "lead" if kind == "lead" else "opportunity"
            active = kind != "lost"
            if kind == "won":
                stage, probability = stages[4], 100.0
                closed_at = self.order_moments[order["id"]][1] if order else created_at
            elif kind == "lost":
                stage = stages[1 + int(rng.random() * 3)]
                probability, closed_at = 0.0, created_at + (3 + int(rng.random() * 60)) * _DAY
            else:
                stage_index = 1 if kind == "lead" else 1 + int(rng.random() * 3)
                stage = stages[stage_index]
                base = {1: 10.0, 2: 30.0, 3: 60.0}[stage_index]
                probability = round(max(1.0, min(95.0, base + (rng.random() - 0.5) * 20)), 2)
                closed_at = 0
            closed_at = min(closed_at, now)
            automated = (
                probability
                if kind in ("won", "lost")
                else round(max(0.0, min(100.0, probability + (rng.random() - 0.5) * 10)), 2)
            )
            stage_update = min(now, created_at + int(rng.random() * 20 * _DAY))
            if closed_at:
                stage_update = closed_at
            converted = lead_type == "opportunity" and rng.random() < 0.5
            deadline_day = (
                created_at // _DAY + 14 + int(rng.random() * 90)
                if lead_type == "opportunity" and rng.random() < 0.7
                else 0
            )
            lead = {
                "id": lead_id,
                "display_name": name,
                "create_date": clock.datetime(created_at),
                "write_date": clock.datetime(max(stage_update, created_at)),
                "name": name,
                "active": active,
                "type": lead_type,
                "stage_id": stage,
                "user_id": user,
                "partner_id": partner,
                "partner_name": partner_name,
                "contact_name": contact_name,
                "email_from": email,
                "phone": phone,
                "city": city,
                "country_id": country,
                "state_id": state,
                "priority": ("0", "1", "1", "2", "3")[int(rng.random() * 5)],
                "probability": probability,
                "automated_probability": automated,
                "expected_revenue": float(expected) if lead_type == "opportunity" else 0.0,
                "prorated_revenue": (
                    round(expected * probability / 100, 2) if lead_type == "opportunity" else 0.0
                ),
                "recurring_revenue": 0.0,
                "date_deadline": clock.day(deadline_day) if deadline_day else False,
                "date_closed": clock.datetime(closed_at) if closed_at else False,
                "date_open": clock.datetime(created_at + 600) if user else False,
                "date_last_stage_update": clock.datetime(stage_update),
                "tag_ids": sorted(rng.sample(range(1, 9), 1 + int(rng.random() * 2)))
                if rng.random() < 0.6
                else [],
                "company_id": order["company_id"] if order else self.companies[1],
                "order_ids": [order["id"]] if order else [],
                "description": (
                    f"<p>Contact request about: {need.lower()}.</p>"
                    if rng.random() < 0.2
                    else False
                ),
                "color": 0,
                "date_conversion": (
                    clock.datetime(min(now, created_at + (1 + int(rng.random() * 10)) * _DAY))
                    if converted
                    else False
                ),
            }
            leads.append(lead)
            if order is not None:
                order["opportunity_id"] = [lead_id, name]

    # -- stock -----------------------------------------------------------------------------------

    def _quants(self) -> None:
        rng = self._rng("stock")
        clock = self.clock
        locations = self.pairs["stock.location"]
        products = self.pairs["product.product"]
        quants = self.records["stock.quant"]
        inventory_date = f"{self.today.year}-12-31"
        quant_id = 1
        for product in self.storable_products:
            places = [8]
            if rng.random() < 0.35:
                places.append(18)
            if rng.random() < 0.25:
                places.append(17)
            if rng.random() < 0.3:
                places.append(28)
            for location in places:
                company = 2 if location == 28 else 1
                quantity = float(int(rng.random() ** 2 * 500))
                if rng.random() < 0.01:
                    quantity = -float(1 + int(rng.random() * 5))  # oversold
                reserved = (
                    float(int(quantity * rng.random() * 0.5))
                    if quantity > 0 and rng.random() < 0.25
                    else 0.0
                )
                counted = rng.random() < 0.05
                counted_qty = max(0.0, quantity + int((rng.random() - 0.5) * 6)) if counted else 0.0
                moment = _SETUP_DAY * _DAY + int(rng.random() * (clock.now - _SETUP_DAY * _DAY))
                quants.append(
                    {
                        "id": quant_id,
                        "display_name": locations[location][1],
                        "create_date": clock.datetime(moment),
                        "write_date": clock.datetime(
                            min(clock.now, moment + int(rng.random() * 30 * _DAY))
                        ),
                        "product_id": products[product["id"]],
                        "location_id": locations[location],
                        "company_id": self.companies[company],
                        "quantity": quantity,
                        "reserved_quantity": reserved,
                        "inventory_quantity": counted_qty,
                        "inventory_diff_quantity": counted_qty - quantity if counted else 0.0,
                        "inventory_date": inventory_date,
                        "in_date": clock.datetime(moment),
                        "owner_id": False,
                        "user_id": self.users[2] if counted else False,
                        "inventory_quantity_set": counted,
                        "accounting_date": False,
                    }
                )
                quant_id += 1

    # -- relations seen from the other side ------------------------------------------------------

    def _back_references(self) -> None:
        partners = self.partner_by_id
        pairs = self.pairs["res.partner"]
        # res.partner.sale_order_ids in sale.order order (date_order desc, id desc)
        for order in sorted(
            self.records["sale.order"], key=lambda o: (o["date_order"], o["id"]), reverse=True
        ):
            partners[order["partner_id"][0]]["sale_order_ids"].append(order["id"])
        for (pid, rank), count in self.ranks.items():
            partners[pid][rank] = count
        for vendor in self.vendor_ids:
            partners[vendor]["supplier_rank"] = max(partners[vendor]["supplier_rank"], 1)
        # res.partner.category.partner_ids in res.partner order (complete_name, id desc)
        members: dict[int, list[int]] = {}
        for record in self.records["res.partner"]:
            for tag in record["category_id"]:
                members.setdefault(tag, []).append(record["id"])
        for category in self.records["res.partner.category"]:
            category["partner_ids"] = sorted(
                members.get(category["id"], []), key=lambda p: (_sort_key(pairs[p][1]), -p)
            )


def _quantities_for(price: float) -> tuple[int, ...]:
    """Quantities a line of a product sold by the unit at this price is drawn from."""
    for floor, quantities in _UNIT_QUANTITIES:
        if price >= floor:
            return quantities
    return _UNIT_QUANTITIES[-1][1]


def _bisect(cumulative: Sequence[float], value: float) -> int:
    """Index of the first cumulative weight above ``value`` (weighted choice)."""
    lo, hi = 0, len(cumulative) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cumulative[mid] > value:
            hi = mid
        else:
            lo = mid + 1
    return lo


#: How many contacts a generated company has (drawn uniformly from this list).
_CHILD_COUNTS = (0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6)
