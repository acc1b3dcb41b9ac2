"""Version profiles: everything the sandbox does differently for Odoo 17.0, 18.0 and 19.0.

One small frozen value per version, in the spirit of sqlglot's dialects: code that
differs between versions asks the profile instead of comparing version numbers.

Example::

    >>> profile("19.0").jsonrpc_error_code
    0
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class VersionProfile:
    series: str
    version_info: tuple[int, int, int, str, int, str]
    #: ``error.code`` of JSON-RPC error envelopes: 200 up to 18.0, 0 from 18.1 on.
    jsonrpc_error_code: int
    #: fields_get names the default aggregate ``group_operator`` (<= 17.0) or ``aggregator``.
    aggregator_key: str
    #: fields_get knows ``groupable`` (17.2+).
    has_groupable: bool
    #: ``formatted_read_group`` exists (19.0).
    has_formatted_read_group: bool
    #: ``read_group`` is still callable (deprecated in 19 but present).
    has_read_group: bool
    #: JSON-2 API ``/json/2/<model>/<method>`` and ``/web/version`` (19.0).
    has_json2: bool
    #: name of name_search's second parameter: ``args`` (<= 18.0, recorded) or ``domain`` (19).
    name_search_domain_arg: str
    #: name of default_get's parameter: ``fields_list`` (<= 18) or ``fields`` (19).
    default_get_arg: str
    #: the ``any`` / ``not any`` domain operators exist (17+).
    has_any_operator: bool
    #: recordset results over RPC become id lists (18+); before, ``copy`` returns an int.
    copy_returns_list: bool
    # --- wire details used by the protocol layer (app.py, jsonrpc.py, web.py, json2.py) ---
    #: ``type=`` of JSON-RPC routes, quoted in the wrong-Content-Type error: ``json`` (<= 18.0)
    #: or ``jsonrpc`` (renamed in 18.1).
    json_route_type: str = "json"
    #: HTTP status of that wrong-Content-Type HTML page: 400 (<= 18.0), 415 (19.0).
    content_type_error_status: int = 400
    #: default target of ``/web/session/logout``: ``/web`` (17.0), ``/odoo`` (17.2+).
    logout_redirect: str = "/odoo"
    #: ``serialize_exception`` puts ``debug`` last (19.0) instead of second (<= 18.0).
    error_debug_last: bool = False

    @property
    def server_version(self) -> str:
        return self.series

    @property
    def major(self) -> int:
        return self.version_info[0]


#: 18.0, the default version; 17.0 and 19.0 are told by what they do differently.
_PROFILE_18 = VersionProfile(
    series="18.0",
    version_info=(18, 0, 0, "final", 0, ""),
    jsonrpc_error_code=200,
    aggregator_key="aggregator",
    has_groupable=True,
    has_formatted_read_group=False,
    has_read_group=True,
    has_json2=False,
    name_search_domain_arg="args",
    default_get_arg="fields_list",
    has_any_operator=True,
    copy_returns_list=True,
)

PROFILES: dict[str, VersionProfile] = {
    "17.0": replace(
        _PROFILE_18,
        series="17.0",
        version_info=(17, 0, 0, "final", 0, ""),
        aggregator_key="group_operator",
        has_groupable=False,
        copy_returns_list=False,
        logout_redirect="/web",
    ),
    "18.0": _PROFILE_18,
    "19.0": replace(
        _PROFILE_18,
        series="19.0",
        version_info=(19, 0, 0, "final", 0, ""),
        jsonrpc_error_code=0,
        has_formatted_read_group=True,
        has_json2=True,
        name_search_domain_arg="domain",
        default_get_arg="fields",
        json_route_type="jsonrpc",
        content_type_error_status=415,
        error_debug_last=True,
    ),
}

DEFAULT_VERSION = "18.0"


def profile(version: str | int | float = DEFAULT_VERSION) -> VersionProfile:
    """The profile for ``"17.0"``, ``"18"``, ``18``, ``19.0``...; ValueError for others."""
    key = str(version)
    if "." not in key:
        key += ".0"
    try:
        return PROFILES[key]
    except KeyError:
        known = ", ".join(PROFILES)
        raise ValueError(f"unknown Odoo version {version!r}: the sandbox knows {known}") from None
