"""Secrets (passwords, API keys, session ids) that never show up in text the library makes.

A :class:`Secret` wraps the value: its ``repr`` and ``str`` are a fixed mask, so a
secret held in a settings object, an attribute or a local variable prints as
``Secret('********')`` in reprs, logs and tracebacks formatted with locals. Only the
wire encoders call :meth:`Secret.reveal`, at the last moment.

:func:`redact` removes known secret values from free text (server messages, remote
tracebacks), as a second line of defence.

Example::

    >>> key = Secret("5e3d5d49")
    >>> key
    Secret('********')
    >>> key.reveal()
    '5e3d5d49'
    >>> redact("login with 5e3d5d49 failed", [key])
    'login with ******** failed'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

MASK: Final = "********"


class Secret:
    """A secret string whose repr and str never show the value."""

    __slots__ = ("__value",)

    def __init__(self, value: str) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError(f"a secret must be a string, not {type(value).__name__}")
        self.__value = value

    @classmethod
    def wrap(cls, value: str | Secret | None) -> Secret | None:
        """``None`` stays ``None`` and an empty string becomes ``None`` (no secret given)."""
        if value is None or isinstance(value, Secret):
            return value
        if value == "":
            return None
        return cls(value)

    def reveal(self) -> str:
        """The plain value: for the code that puts it on the wire, nothing else."""
        return self.__value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return self.__value == other.__value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("Secret", self.__value))

    def __bool__(self) -> bool:
        return bool(self.__value)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling would write the value in clear into whatever file or pipe receives it.
        raise TypeError("Secret objects cannot be pickled")


def redact(text: str, secrets: Iterable[Secret | None] = ()) -> str:
    """``text`` with every value of ``secrets`` masked.

    Values shorter than 4 characters are left alone: masking every "a" in a message
    would destroy it and such a password is no secret anyway.
    """
    values = {s.reveal() for s in secrets if s is not None}
    # Longest first, so that a secret containing another one is masked whole.
    for value in sorted(values, key=len, reverse=True):
        if len(value) >= 4 and value in text:
            text = text.replace(value, MASK)
    return text


class MaskedText(str):
    """A str for HTTP header values that carry a secret (``Cookie``, ``Authorization``).

    requests and http.client send the real characters; repr() and str() in reprs of
    dicts or tracebacks with locals show the mask.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(MASK)
