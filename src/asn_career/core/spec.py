"""The import/export spec of a record kind: the generic types each domain fills in beside
its rules (``org.spec``, ``profiles.employees.spec``, ``profiles.histories.spec``) and that
the file importer and the exporter read. Pure: no I/O.

A kind's spec names its columns (the API's field names, natural keys where the API takes
ids), which of them a file must have, their SIASN header names and value types, the natural
key of a record, and the per-row validation — the API's own schema and rules, so that a row
the API refuses the importer refuses too (``tests/imports/test_import_parity.py``).
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from asn_career.core.errors import ValidationProblem


@dataclass(frozen=True)
class Column:
    """One field of a kind: its native name, whether a file must have it, its SIASN
    names, and the value type (``text``, ``date``, ``int``, ``decimal``, ``bool``,
    ``list``, ``requirements``, ``nip``, ``rank``) or, for SIASN columns, the name of a
    SIASN vocabulary (``gender``, ``expectation`` …)."""

    name: str
    required: bool = False
    siasn: tuple[str, ...] = ()
    type: str = "text"
    siasn_type: str | None = None  # the type when the value comes from a SIASN column


@dataclass(frozen=True)
class OneOf:
    """A file must have at least one of ``fields``; when none is there the header check
    reports ``native`` (native mapping; ``None``: not required there) or ``siasn``."""

    fields: tuple[str, ...]
    siasn: str
    native: str | None = None


@dataclass(frozen=True)
class CellError:
    field: str | None  # the kind's field name; the file's header is looked up when reported
    value: Any
    message: str
    message_id: str | None = None  # the message in Indonesian, when the rule gives one
    type: str | None = None  # a schema error's type and context (the importer words them)
    context: Mapping[str, Any] | None = None
    where: str | None = None  # inside the field (``0.level``), for nested schema errors


class RowInvalid(Exception):
    """Every problem of one row, each at its field."""

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class RowContext:
    agency: str
    today: date
    siasn: bool


Validator = Callable[[dict[str, Any], RowContext], dict[str, Any]]
"""Converted fields of one row → the record to store (stored column names; natural keys
where the table holds ids), or ``RowInvalid``. Checks that need the database (a code
exists, a NIP belongs to the agency …) are not here: the importer runs them set-based."""


@dataclass(frozen=True)
class KindSpec:
    kind: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    """The fields that identify a record within the agency (an import updates by them)."""
    validate: Validator
    siasn_ignored: tuple[str, ...] = ()
    """SIASN columns of the usual export that this kind does not use (reported as ignored)."""
    siasn_required: tuple[str, ...] = ()
    """Required for ``siasn`` instead of the native required ones (by native name)."""
    one_of: tuple[OneOf, ...] = ()

    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}


# --- helpers of the validators ------------------------------------------------------------

PLACEHOLDER_ID = uuid.UUID(int=0)
"""Stands in for an id the API's schema requires where a file gives a code (never stored)."""


def pick(fields: Mapping[str, Any], *names: str) -> dict[str, Any]:
    """The given, non-empty ``names`` of a row (absent ones take the schema's default)."""
    return {name: fields[name] for name in names if fields.get(name) is not None}


def validated(model: type[BaseModel], data: dict[str, Any], fields: Mapping[str, Any]) -> Any:
    """``data`` validated by the API's schema; errors name the field and the raw value."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = [str(part) for part in err["loc"]]
            name = loc[0] if loc else None
            msg = err["msg"]
            where = ".".join(loc[1:]) or None
            message = f"{msg} ({where})" if where else msg
            errors.append(
                CellError(
                    name,
                    fields.get(name or ""),
                    message,
                    type=err["type"],
                    context=err.get("ctx"),
                    where=where,
                )
            )
        raise RowInvalid(errors) from exc


def problem_errors(exc: ValidationProblem, fields: Mapping[str, Any]) -> list[CellError]:
    """A domain rule's 422 as the row's cell errors (the last part of each ``loc``), with
    their Indonesian text: the entry's own (``msg_id``), else the problem's when it has one
    entry."""
    entries = exc.errors or []
    whole_id = exc.detail_id if len(entries) == 1 else None
    found = []
    for err in entries:
        loc = err.get("loc") or []
        name = str(loc[-1]) if loc else None
        message = str(err.get("msg", exc.detail))
        message_id = err.get("msg_id") or whole_id
        found.append(CellError(name, fields.get(name or ""), message, message_id))
    return found or [CellError(None, None, exc.detail or "invalid", exc.detail_id)]


def required(fields: Mapping[str, Any], name: str) -> Any:
    """A natural key the API takes in the path or as an id, which a row must give."""
    value = fields.get(name)
    if not value:
        raise RowInvalid([CellError(name, None, f"{name} is required", f"{name} wajib diisi")])
    return value
