"""Row errors in Indonesian: a cell error's own Indonesian text (the domain rules give
one), else the schema error's type worded here. Pure: no I/O.

Row errors are stored in both languages and read in the caller's (``Accept-Language``).
"""

from collections.abc import Mapping
from typing import Any

from asn_career.core.spec import CellError

_SCHEMA_ID: dict[str, str] = {
    "missing": "wajib diisi",
    "enum": "harus salah satu dari {expected}",
    "literal_error": "harus salah satu dari {expected}",
    "greater_than": "harus lebih dari {gt}",
    "greater_than_equal": "paling kecil {ge}",
    "less_than": "harus kurang dari {lt}",
    "less_than_equal": "paling besar {le}",
    "string_too_short": "paling sedikit {min_length} karakter",
    "string_too_long": "paling banyak {max_length} karakter",
    "string_pattern_mismatch": "tidak sesuai pola {pattern}",
    "too_short": "paling sedikit {min_length} isian",
    "too_long": "paling banyak {max_length} isian",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "decimal_parsing": "harus angka",
    "decimal_type": "harus angka",
    "float_parsing": "harus angka",
    "decimal_max_digits": "paling banyak {max_digits} digit",
    "decimal_max_places": "paling banyak {decimal_places} angka di belakang koma",
    "bool_parsing": "harus ya/tidak (true/false)",
    "date_parsing": "harus tanggal YYYY-MM-DD",
    "date_from_datetime_parsing": "harus tanggal YYYY-MM-DD",
    "date_type": "harus tanggal YYYY-MM-DD",
    "string_type": "harus teks",
}


def _context(context: Mapping[str, Any] | None) -> dict[str, str]:
    return {key: str(value).replace(" or ", " atau ") for key, value in (context or {}).items()}


def cell_message_id(error: CellError) -> str | None:
    """The Indonesian text of a row's problem; ``None`` when there is none (the English
    one is shown then)."""
    if error.message_id is not None:
        return error.message_id
    template = _SCHEMA_ID.get(error.type or "")
    if template is None:
        return None
    try:
        text = template.format(**_context(error.context))
    except KeyError:
        return None
    return f"{text} ({error.where})" if error.where else text


def pick(message: str, message_id: str | None, lang: str) -> str:
    """The message in the caller's language (English when no Indonesian was stored)."""
    return message_id if lang == "id" and message_id else message
