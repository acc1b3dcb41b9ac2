"""Every exception odoo_frames raises, whatever the wire protocol.

XML-RPC fault codes, JSON-RPC ``error.data.name`` and JSON-2 HTTP statuses all map
to the same classes, and the message is Odoo's own message. Where a builtin
exception fits, the class also derives from it, so ``except PermissionError`` or
``except KeyError`` work as a Python user expects::

    OdooError                              base of everything below
     ├── ConfigurationError (ValueError)   bad settings, found before anything is sent
     │    └── DatabaseNotFound (LookupError)   .available lists the databases when known
     ├── ArgumentError (TypeError)         a call the chosen protocol cannot express
     ├── UsageError (ValueError)           a request odoo_frames refuses before any call
     │    ├── DomainError                  a malformed domain (arity, leaf, operator)
     │    └── FilterError                  a filter no domain can express, a value of the
     │         │                           wrong type for its field
     │         ├── QuerySyntaxError        frame.query("..."): where and why
     │         └── GroupByError            a grouping or aggregate Odoo cannot run
     ├── FieldNotFound (KeyError)          unknown field or path ("did you mean ...")
     ├── WritebackError (ValueError)       an edit that cannot be written back (readonly
     │                                     field, unknown column, duplicate key...); .problems
     ├── ApplyError (RuntimeError)         plan.apply() stopped early; .result says per row
     │    └── ConflictError                on_conflict="raise": records changed since read
     ├── RemoteError                       the server refused the call; .remote_type,
     │    │                                .remote_traceback, .model, .method, .protocol
     │    ├── AuthenticationError (PermissionError)   AccessDenied: login, password, API key
     │    │    └── SessionExpired          the web session ended and logging in again failed
     │    ├── AccessError (PermissionError)           access rights, record rules, private methods
     │    ├── UserError                    a business rule refused the operation
     │    │    ├── MissingError (LookupError)         the record does not exist (any more)
     │    │    ├── ValidationError (ValueError)       constraints, required fields
     │    │    └── ModelNotFound (KeyError)           unknown model ("did you mean ...")
     │    ├── ConcurrencyError             serialization failure, lock not available,
     │    │                                deadlock (read-only calls are retried)
     │    └── ServerError                  anything else: ValueError, TypeError, SQL errors...
     │         └── MethodNotFound (AttributeError)    the model has no such public method
     └── TransportError                    the request did not get an Odoo answer; .url
          ├── ConnectError (ConnectionError)          refused, reset, DNS, TLS
          ├── RequestTimeout (TimeoutError)           connect or read timeout
          └── ProtocolError                unexpected HTTP status or body; .status_code
               ├── ServerUnavailable       HTTP 502 / 503 / 504 (retried for reads)
               └── RateLimited             HTTP 429; .retry_after (retried for reads)

Over XML-RPC, fault code 2 covers UserError, ValidationError and MissingError alike:
the class is refined from Odoo's message where it is recognisable, otherwise the error
is a plain :class:`UserError` (the parent of both, so ``except UserError`` always works).

Example::

    try:
        odoo.call("res.partner", "write", [99999], {"name": "x"})
    except MissingError as e:       # also a LookupError
        print(e.remote_type)        # 'odoo.exceptions.MissingError'
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccessError",
    "ApplyError",
    "ArgumentError",
    "AuthenticationError",
    "ConcurrencyError",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "DatabaseNotFound",
    "DomainError",
    "FieldNotFound",
    "FilterError",
    "GroupByError",
    "MethodNotFound",
    "MissingError",
    "ModelNotFound",
    "OdooError",
    "ProtocolError",
    "QuerySyntaxError",
    "RateLimited",
    "RemoteError",
    "RequestTimeout",
    "ServerError",
    "ServerUnavailable",
    "SessionExpired",
    "TransportError",
    "UsageError",
    "UserError",
    "ValidationError",
    "WritebackError",
]


def _rebuild(cls: type[OdooError], message: str, state: dict[str, Any]) -> OdooError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class OdooError(Exception):
    """Base class of every exception raised by odoo_frames."""

    #: Whether the same request may succeed if sent again (connection reset, HTTP 503,
    #: serialization failure...). The retry policy only retries read-only calls.
    transient: bool = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        # KeyError would show repr(message) with quotes; every class prints the message.
        return self.message

    def with_hint(self, hint: str) -> None:
        """Append a sentence telling the user what happened next (retries, advice)."""
        self.message = f"{self.message}\n{hint}" if self.message else hint
        self.args = (self.message,)

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive the default pickling (multiprocessing).
        state = {k: v for k, v in self.__dict__.items() if k != "message"}
        state["message"] = self.message
        return (_rebuild, (type(self), self.message, state))


class ConfigurationError(OdooError, ValueError):
    """The connection settings are wrong or incomplete; the message says what to check."""


class DatabaseNotFound(ConfigurationError, LookupError):
    """The database does not exist on the server (or is not served to this client)."""

    def __init__(self, message: str, *, available: list[str] | None = None) -> None:
        super().__init__(message)
        #: The databases the server lists, or ``None`` when it does not list them.
        self.available = available


class ArgumentError(OdooError, TypeError):
    """The call cannot be expressed on this protocol (e.g. positional args on JSON-2)."""


class UsageError(OdooError, ValueError):
    """A request odoo_frames cannot turn into a correct call; found before anything is sent."""


class DomainError(UsageError):
    """A domain that is not well formed (wrong arity, bad leaf, unknown operator)."""


class FilterError(UsageError):
    """A filter that no Odoo domain can express, or a value of the wrong kind for its field."""


class QuerySyntaxError(FilterError):
    """A ``frame.query()`` string that cannot become an Odoo domain; says where and why."""

    def __init__(self, query: str, offset: int | None, reason: str) -> None:
        self.query = query
        self.offset = offset
        self.reason = reason
        where = ""
        if offset is not None:
            where = f" at column {offset + 1}:\n    {query}\n    {' ' * offset}^"
        super().__init__(f"cannot use query {query!r}: {reason}{where}")


class GroupByError(FilterError):
    """A grouping or aggregation Odoo cannot run on the server (raised before any call)."""


class FieldNotFound(OdooError, KeyError):
    """A field name the model does not have; the message suggests close names."""

    def __init__(
        self, model: str, name: str, suggestions: list[str] | tuple[str, ...] = ()
    ) -> None:
        self.model = model
        self.field = name
        self.suggestions = list(suggestions)
        hint = (
            f"; did you mean {' or '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else ""
        )
        super().__init__(f"{model} has no field {name!r}{hint}")


class RemoteError(OdooError):
    """The Odoo server answered the call with an error."""

    def __init__(
        self,
        message: str,
        *,
        remote_type: str = "",
        remote_traceback: str = "",
        arguments: list[Any] | None = None,
        context: dict[str, Any] | None = None,
        model: str | None = None,
        method: str | None = None,
        protocol: str | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(message)
        #: The Python class the server raised, e.g. ``"odoo.exceptions.AccessError"``.
        self.remote_type = remote_type
        #: The server's traceback text, when it sends one (secrets masked).
        self.remote_traceback = remote_traceback
        #: ``error.data.arguments`` (JSON-RPC) / ``arguments`` (JSON-2).
        self.arguments = arguments if arguments is not None else []
        #: ``error.data.context``, e.g. ``{"suggested_company": {...}}`` on record rules.
        self.context = context if context is not None else {}
        self.model = model
        self.method = method
        self.protocol = protocol
        self.http_status = http_status


class AuthenticationError(RemoteError, PermissionError):
    """Odoo refused the credentials (``odoo.exceptions.AccessDenied``, JSON-2 401)."""


class SessionExpired(AuthenticationError):
    """The web session expired and logging in again did not work."""


class AccessError(RemoteError, PermissionError):
    """Access rights or record rules forbid the operation (XML-RPC fault 4, JSON-2 403)."""


class UserError(RemoteError):
    """A business rule refused the operation (``odoo.exceptions.UserError``, fault 2, 422)."""


class MissingError(UserError, LookupError):
    """The record does not exist or was deleted (``odoo.exceptions.MissingError``, 404)."""


class ValidationError(UserError, ValueError):
    """A constraint refused the values (``odoo.exceptions.ValidationError``, 422)."""


class ModelNotFound(UserError, KeyError):
    """The model does not exist on the server; the message suggests close names."""

    def __init__(self, message: str, *, suggestions: list[str] | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.suggestions = suggestions if suggestions is not None else []


class ConcurrencyError(RemoteError):
    """Serialization failure, lock not available or deadlock on the server.

    The server already retried the transaction; read-only calls are retried again by
    the client with backoff.
    """

    transient = True


class ServerError(RemoteError):
    """Any other server error; :attr:`remote_type` and :attr:`remote_traceback` tell more."""


class MethodNotFound(ServerError, AttributeError):
    """The model has no public method of that name."""


class TransportError(OdooError):
    """The request did not reach Odoo or its answer was not an Odoo answer."""

    def __init__(self, message: str, *, url: str = "", transient: bool | None = None) -> None:
        super().__init__(message)
        self.url = url
        if transient is not None:
            # Per instance: a refused connection is transient, a TLS failure is not.
            self.transient = transient


class ConnectError(TransportError, ConnectionError):
    """Connection refused, reset or dropped; DNS or TLS failure."""

    transient = True


class RequestTimeout(TransportError, TimeoutError):
    """The server did not accept the connection or did not answer in time."""


class ProtocolError(TransportError):
    """The HTTP answer was not what the protocol expects (status, content type, body)."""

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        status_code: int | None = None,
        transient: bool | None = None,
    ) -> None:
        super().__init__(message, url=url, transient=transient)
        self.status_code = status_code


class ServerUnavailable(ProtocolError):
    """HTTP 502, 503 or 504: a proxy or the server is overloaded or restarting."""

    transient = True


class RateLimited(ProtocolError):
    """HTTP 429 Too Many Requests."""

    transient = True

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        status_code: int | None = 429,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, url=url, status_code=status_code)
        #: Seconds the server asked to wait (``Retry-After``), if it said.
        self.retry_after = retry_after


# --- write-back (odoo_frames.writeback / odoo_frames.apply) ---------------------------------


class WritebackError(OdooError, ValueError):
    """An edited DataFrame cannot be written back as asked; found before anything is written.

    Readonly, computed or related columns that changed, unknown columns, duplicate ids or
    keys, names that match no record or several: :attr:`problems` lists each one.
    """

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        #: One sentence per problem found (all of them, not only the first).
        self.problems = problems if problems is not None else [message]


class ApplyError(OdooError, RuntimeError):
    """``plan.apply()`` stopped before the end (connection lost, ``on_error="raise"``).

    :attr:`result` is the :class:`~odoo_frames.apply.ApplyResult` so far: what was
    written, what failed, what is unknown (sent, no answer) and what was not tried.
    Applying the plan again finishes the work without writing anything twice.
    """

    def __init__(self, message: str, *, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


class ConflictError(ApplyError):
    """``on_conflict="raise"``: records changed on the server since they were read.

    Nothing was written; :attr:`result` lists the conflicts.
    """
