"""How a file's headers map to the columns of each import kind (declared by the domains
beside their rules: ``org.spec``, ``profiles.employees.spec``, ``profiles.histories.spec``),
and how their cells are read (SIASN's codes through ``imports.siasn.vocabulary``). Pure:
no I/O.

``native`` headers are the API's field names, with natural keys where the API takes ids
(``unit_code``, ``position_code``, ``nip``, ``parent_code``, ``reports_to_code``).
``siasn`` headers are BKN SIASN's names (``nipBaru``, ``tglLahir`` …); the native names
are accepted there too, so a SIASN export with a column added by hand still imports.
Headers match case-insensitively, ignoring spaces, underscores and hyphens.
"""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from asn_career.core.spec import Column, KindSpec
from asn_career.imports.siasn.vocabulary import VOCABULARIES, decode
from asn_career.org.spec import POSITIONS, UNITS
from asn_career.profiles.employees.spec import EMPLOYEES
from asn_career.profiles.histories.spec import (
    ASSIGNMENTS,
    COMPETENCIES,
    EDUCATION,
    PERFORMANCE,
    SANCTIONS,
    TRAININGS,
)
from asn_career.training.courses.spec import COURSES

MappingName = Literal["native", "siasn"]
KIND_COLUMNS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        UNITS,
        POSITIONS,
        EMPLOYEES,
        EDUCATION,
        ASSIGNMENTS,
        TRAININGS,
        PERFORMANCE,
        COMPETENCIES,
        SANCTIONS,
        COURSES,
    )
}
"""Every import kind's spec, as its domain declares it (``org.spec``, ``profiles.*.spec``)."""
KINDS = tuple(KIND_COLUMNS)


def normalise_header(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).lower()


# --- header resolution --------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderMap:
    """Where each field comes from: ``fields[i]`` is the field of header column ``i``
    (``None`` for unused columns); ``source`` names the file's header for each field."""

    fields: list[str | None]
    source: dict[str, str]
    siasn_fields: frozenset[str]
    unknown: list[str]
    ignored: list[str]

    @property
    def provided(self) -> frozenset[str]:
        return frozenset(self.source)


class HeaderProblem(ValueError):
    def __init__(self, message: str, message_id: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_id = message_id


def _lookup(kind: KindSpec, mapping: MappingName) -> dict[str, tuple[str, bool]]:
    """normalised header → (field, from a SIASN name)."""
    table: dict[str, tuple[str, bool]] = {}
    for column in kind.columns:
        table[normalise_header(column.name)] = (column.name, False)
    if mapping == "siasn":
        for column in kind.columns:
            for alias in column.siasn:
                table.setdefault(normalise_header(alias), (column.name, True))
    return table


def required_fields(kind: KindSpec, mapping: MappingName) -> list[str]:
    if mapping == "siasn" and kind.siasn_required:
        return list(kind.siasn_required)
    return [c.name for c in kind.columns if c.required]


def resolve_header(kind: KindSpec, mapping: MappingName, header: Sequence[str]) -> HeaderMap:
    """Map a file's header to fields; unknown columns are listed, duplicates and missing
    required columns refused."""
    lookup = _lookup(kind, mapping)
    ignored_names = (
        {normalise_header(n) for n in kind.siasn_ignored} if mapping == "siasn" else set()
    )
    fields: list[str | None] = []
    source: dict[str, str] = {}
    siasn_fields: set[str] = set()
    unknown: list[str] = []
    ignored: list[str] = []
    for name in header:
        key = normalise_header(name)
        found = lookup.get(key)
        if found is None:
            fields.append(None)
            if not key:
                continue
            (ignored if key in ignored_names else unknown).append(name)
            continue
        target, from_siasn = found
        if target in source:
            raise HeaderProblem(
                f"Columns {source[target]!r} and {name!r} both give {target}.",
                f"Kolom {source[target]!r} dan {name!r} sama-sama berisi {target}.",
            )
        fields.append(target)
        source[target] = name
        if from_siasn:
            siasn_fields.add(target)
    missing = [f for f in required_fields(kind, mapping) if f not in source]
    for one_of in kind.one_of:
        shown = one_of.siasn if mapping == "siasn" else one_of.native
        if shown is not None and not set(one_of.fields) & set(source):
            missing.append(shown)
    if missing:
        by_name = kind.by_name()
        described = []
        for name in missing:
            column = by_name.get(name)
            if mapping == "siasn" and column is not None and column.siasn:
                described.append(f"{column.siasn[0]} (or {name})")
            else:
                described.append(name)
        listed = ", ".join(described)
        raise HeaderProblem(
            f"Missing required columns for {kind.kind}: {listed}.",
            f"Kolom wajib untuk {kind.kind} tidak ada: {listed}.",
        )
    return HeaderMap(fields, source, frozenset(siasn_fields), unknown, ignored)


# --- values -------------------------------------------------------------------------------


class BadValue(ValueError):
    """A cell that cannot be read as its field's type; the message says what was expected,
    in English and in Indonesian."""

    def __init__(self, message: str, message_id: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_id = message_id


_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def text_of(value: Any) -> str | None:
    """A cell as trimmed text; empty → None; whole-number floats lose their ``.0``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def parse_date(value: Any, *, day_first: bool) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = text_of(value)
    if text is None:
        return None
    iso = _DATE_ISO.match(text[:10]) if len(text) in (10, 19, 20, 25) else None
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        dmy = _DATE_DMY.match(text) if day_first else None
        if dmy:
            return dt.date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    except ValueError as exc:
        raise BadValue(f"{text!r} is not a real date", f"{text!r} bukan tanggal yang ada") from exc
    expected = "DD-MM-YYYY or YYYY-MM-DD" if day_first else "YYYY-MM-DD"
    expected_id = expected.replace(" or ", " atau ")
    raise BadValue(
        f"{text!r} is not a date ({expected})", f"{text!r} bukan tanggal ({expected_id})"
    )


def parse_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = text_of(value)
    if text is None:
        return None
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    raise BadValue(f"{text!r} is not a whole number", f"{text!r} bukan bilangan bulat")


def parse_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    text = text_of(value)
    if text is None:
        return None
    text = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise BadValue(f"{text!r} is not a number", f"{text!r} bukan angka") from exc
    if not number.is_finite():
        raise BadValue(f"{text!r} is not a number", f"{text!r} bukan angka")
    return number


_TRUE = {"true", "1", "yes", "ya", "y", "t"}
_FALSE = {"false", "0", "no", "tidak", "n", "f"}


def parse_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = text_of(value)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise BadValue(f"{text!r} is not true/false", f"{text!r} bukan ya/tidak (true/false)")


def parse_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [t for v in value if (t := text_of(v)) is not None]
    text = text_of(value)
    if text is None:
        return []
    return [part.strip() for part in re.split(r"[;|]|,(?=\s*\S)", text) if part.strip()]


def parse_requirements(value: Any) -> list[dict[str, Any]]:
    """``M.1:3;T.2:2`` (or NDJSON ``[{"code": "M.1", "level": 3}]``) → [{code, level}]."""
    if value is None:
        return []
    if isinstance(value, list):
        items: list[dict[str, Any]] = []
        for item in value:
            if isinstance(item, dict):
                items.append(item)
            else:
                items.extend(parse_requirements(item))
        return items
    found = []
    for part in parse_list(value):
        code, sep, level = part.partition(":")
        if not sep:
            raise BadValue(
                f"{part!r} is not CODE:LEVEL (e.g. M.1:3)",
                f"{part!r} bukan KODE:LEVEL (mis. M.1:3)",
            )
        found.append({"code": code.strip(), "level": parse_int(level)})
    return found


def nip_text(value: Any) -> str | None:
    """NIP/NIK cells: text; a number in a workbook has lost its last digits already."""
    if isinstance(value, float):
        raise BadValue(
            "a number, not text: a spreadsheet keeps only 15 digits of numbers; "
            "format the column as text",
            "berupa angka, bukan teks: spreadsheet hanya menyimpan 15 digit angka; "
            "format kolomnya sebagai teks",
        )
    return text_of(value)


# --- SIASN vocabularies -------------------------------------------------------------------


def siasn_value(vocabulary: str, value: Any) -> Any:
    """A SIASN value in our vocabulary (``imports.siasn.vocabulary``); unknown words pass
    through, so the schema (the API's rules) reports them with their row and column."""
    text = text_of(value)
    if text is None:
        return None
    decoded = decode(vocabulary, text)
    return text if decoded is None else decoded


def convert(column: Column, value: Any, *, siasn: bool) -> Any:
    """A raw cell as the value the API schema expects (may raise ``BadValue``)."""
    kind = (column.siasn_type or column.type) if siasn else column.type
    if kind == "text":
        return text_of(value)
    if kind == "nip":
        return nip_text(value)
    if kind == "date":
        return parse_date(value, day_first=siasn)
    if kind == "int":
        return parse_int(value)
    if kind == "decimal":
        return parse_decimal(value)
    if kind == "bool":
        return parse_bool(value)
    if kind == "list":
        return parse_list(value)
    if kind == "requirements":
        return parse_requirements(value)
    if siasn and kind in VOCABULARIES:
        return siasn_value(kind, value)
    return text_of(value)


def mask_nik(value: Any) -> str:
    text = text_of(value) or ""
    return "*" * max(0, len(text) - 4) + text[-4:]


def shown_value(field_name: str, value: Any, limit: int = 200) -> str | None:
    """A cell as reported in an error: NIK masked, long text cut."""
    if field_name == "nik":
        return mask_nik(value) if value not in (None, "") else None
    text = text_of(value) if not isinstance(value, (list, dict)) else str(value)
    if text is None:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"


def row_values(
    header_map: HeaderMap, values: list[Any] | Mapping[str, Any], header_lookup: dict[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """Raw values by field for one row, and the NDJSON keys no field takes."""
    if isinstance(values, list):
        return {
            name: values[i] if i < len(values) else None
            for i, name in enumerate(header_map.fields)
            if name is not None
        }, []
    found: dict[str, Any] = {}
    extra: list[str] = []
    for key, value in values.items():
        target = header_lookup.get(normalise_header(key))
        if target is None:
            extra.append(key)
        else:
            found[target] = value
    return found, extra


def ndjson_lookup(kind: KindSpec, mapping: MappingName) -> dict[str, str]:
    return {key: target for key, (target, _) in _lookup(kind, mapping).items()}
