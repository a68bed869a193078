"""Indonesian and English texts for problem titles; the language follows Accept-Language."""

from collections.abc import Mapping
from typing import Any, Literal

Language = Literal["en", "id"]

TITLES: dict[int, dict[Language, str]] = {
    400: {"en": "Bad request", "id": "Permintaan tidak valid"},
    401: {"en": "Authentication required", "id": "Autentikasi diperlukan"},
    403: {"en": "Forbidden", "id": "Akses ditolak"},
    404: {"en": "Not found", "id": "Tidak ditemukan"},
    405: {"en": "Method not allowed", "id": "Metode tidak diizinkan"},
    409: {"en": "Conflict", "id": "Konflik"},
    410: {"en": "Gone", "id": "Sudah tidak berlaku"},
    412: {"en": "Precondition failed", "id": "Prasyarat gagal"},
    413: {"en": "Request body too large", "id": "Isi permintaan terlalu besar"},
    415: {"en": "Unsupported media type", "id": "Jenis media tidak didukung"},
    422: {"en": "Validation failed", "id": "Validasi gagal"},
    428: {"en": "Precondition required", "id": "Prasyarat diperlukan"},
    429: {"en": "Too many requests", "id": "Terlalu banyak permintaan"},
    500: {"en": "Internal server error", "id": "Kesalahan internal server"},
    503: {"en": "Service unavailable", "id": "Layanan tidak tersedia"},
}

MESSAGES: dict[str, dict[Language, str]] = {
    "malformed_json": {
        "en": "The request body is not valid JSON.",
        "id": "Isi permintaan bukan JSON yang valid.",
    },
    "missing_credentials": {
        "en": "Send a bearer token or an API key.",
        "id": "Kirim token bearer atau kunci API.",
    },
    "invalid_token": {
        "en": "The token is invalid or expired.",
        "id": "Token tidak valid atau sudah kedaluwarsa.",
    },
    "invalid_api_key": {
        "en": "The API key is invalid or revoked.",
        "id": "Kunci API tidak valid atau sudah dicabut.",
    },
    "role_forbidden": {
        "en": "Your role may not perform this operation.",
        "id": "Peran Anda tidak boleh melakukan operasi ini.",
    },
    "scope_forbidden": {
        "en": "The API key lacks the scope for this operation.",
        "id": "Kunci API tidak memiliki cakupan untuk operasi ini.",
    },
    "agency_forbidden": {
        "en": "You may not act on this agency.",
        "id": "Anda tidak berwenang atas instansi ini.",
    },
    "not_found": {
        "en": "The resource does not exist or is outside your agencies.",
        "id": "Sumber daya tidak ada atau di luar instansi Anda.",
    },
    "route_not_found": {"en": "No such path.", "id": "Alamat tidak ditemukan."},
    "method_not_allowed": {
        "en": "This path does not accept that method.",
        "id": "Alamat ini tidak menerima metode tersebut.",
    },
    "stale_version": {
        "en": "The resource changed since you read it; fetch it again.",
        "id": "Sumber daya telah berubah sejak Anda membacanya; ambil ulang.",
    },
    "body_too_large": {
        "en": "The request body exceeds the configured limit.",
        "id": "Isi permintaan melebihi batas yang ditetapkan.",
    },
    "unsupported_media_type": {
        "en": "Send the body as application/json.",
        "id": "Kirim isi permintaan sebagai application/json.",
    },
    "upload_media_type": {
        "en": "Send the file as multipart/form-data, in a part named `file`.",
        "id": "Kirim berkas sebagai multipart/form-data, pada bagian bernama `file`.",
    },
    "validation_failed": {
        "en": "Some fields are invalid; see errors.",
        "id": "Beberapa isian tidak valid; lihat errors.",
    },
    "invalid_cursor": {
        "en": "The cursor is invalid or was altered.",
        "id": "Kursor tidak valid atau telah diubah.",
    },
    "idempotency_key_reused": {
        "en": "This Idempotency-Key was used with a different body.",
        "id": "Idempotency-Key ini sudah dipakai dengan isi yang berbeda.",
    },
    "idempotency_in_progress": {
        "en": "A request with this Idempotency-Key is still running.",
        "id": "Permintaan dengan Idempotency-Key ini masih berjalan.",
    },
    "rate_limited": {
        "en": "Too many requests; retry after the time in Retry-After.",
        "id": "Terlalu banyak permintaan; coba lagi setelah waktu pada Retry-After.",
    },
    "conflict": {
        "en": "The change conflicts with existing data.",
        "id": "Perubahan bertentangan dengan data yang ada.",
    },
    "database_not_configured": {
        "en": "No database is configured for this process.",
        "id": "Tidak ada basis data yang dikonfigurasi untuk proses ini.",
    },
    "job_not_found": {
        "en": "No such job, or it belongs to another agency.",
        "id": "Pekerjaan tidak ada, atau milik instansi lain.",
    },
    "invalid_data": {
        "en": "A value cannot be stored (out of range or not valid text).",
        "id": "Sebuah nilai tidak dapat disimpan (di luar rentang atau teks tidak valid).",
    },
    "internal_error": {
        "en": "An unexpected error occurred; quote the request id when reporting it.",
        "id": "Terjadi kesalahan tak terduga; sebutkan request id saat melaporkannya.",
    },
}


def negotiate(accept_language: str | None) -> Language:
    """Pick Indonesian when the caller prefers it, English otherwise."""
    if not accept_language:
        return "en"
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("id") or tag.startswith("in"):
            return "id"
        if tag.startswith("en"):
            return "en"
    return "en"


def title(status: int, lang: Language) -> str:
    return TITLES.get(status, TITLES[500 if status >= 500 else 400])[lang]


def message(code: str, lang: Language) -> str:
    entry = MESSAGES.get(code)
    return entry[lang] if entry else code


class BilingualValueError(ValueError):
    """A validator's refusal in both languages. Pydantic reports it as ``value_error`` with
    the English text (``str(error)``); an Indonesian caller reads ``message_id``."""

    def __init__(self, message: str, message_id: str) -> None:
        super().__init__(message)
        self.message_id = message_id


FIELD_ERRORS: dict[str, str] = {
    "missing": "Wajib diisi",
    "extra_forbidden": "Isian ini tidak dikenal",
    "json_invalid": "JSON tidak valid",
    "json_type": "Masukan JSON harus berupa teks",
    "invalid_key": "Kunci harus berupa teks",
    "frozen_field": "Isian ini tidak boleh diubah",
    "recursion_loop": "Struktur data tidak boleh merujuk dirinya sendiri",
    "recursion_depth_exceeded": "Struktur data terlalu dalam",
    "none_required": "Harus null",
    "model_type": "Harus berupa objek JSON",
    "model_attributes_type": "Harus berupa objek JSON",
    "dataclass_type": "Harus berupa objek JSON",
    "dict_type": "Harus berupa objek JSON",
    "mapping_type": "Harus berupa objek JSON",
    "list_type": "Harus berupa daftar (array JSON)",
    "tuple_type": "Harus berupa daftar (array JSON)",
    "set_type": "Harus berupa daftar (array JSON)",
    "frozen_set_type": "Harus berupa daftar (array JSON)",
    "iterable_type": "Harus berupa daftar (array JSON)",
    "too_short": "Paling sedikit {min_length} butir, bukan {actual_length}",
    "too_long": "Paling banyak {max_length} butir, bukan {actual_length}",
    "string_type": "Harus berupa teks",
    "string_unicode": "Harus berupa teks Unicode yang valid",
    "string_too_short": "Teks paling sedikit {min_length} karakter",
    "string_too_long": "Teks paling banyak {max_length} karakter",
    "string_pattern_mismatch": "Teks harus sesuai pola '{pattern}'",
    "string_not_ascii": "Teks hanya boleh berisi karakter ASCII",
    "bool_type": "Harus berupa boolean (true atau false)",
    "bool_parsing": "Harus berupa boolean (true atau false); nilai ini tidak dapat ditafsirkan",
    "int_type": "Harus berupa bilangan bulat",
    "int_parsing": "Harus berupa bilangan bulat; teks ini tidak dapat dibaca sebagai bilangan",
    "int_parsing_size": "Bilangan bulat terlalu besar",
    "int_from_float": "Harus berupa bilangan bulat, bukan pecahan",
    "float_type": "Harus berupa angka",
    "float_parsing": "Harus berupa angka; teks ini tidak dapat dibaca sebagai angka",
    "finite_number": "Harus berupa angka terhingga",
    "greater_than": "Nilai harus > {gt}",
    "greater_than_equal": "Nilai harus ≥ {ge}",
    "less_than": "Nilai harus < {lt}",
    "less_than_equal": "Nilai harus ≤ {le}",
    "multiple_of": "Nilai harus kelipatan {multiple_of}",
    "decimal_type": "Harus berupa angka desimal",
    "decimal_parsing": "Angka desimal tidak valid",
    "decimal_max_digits": "Angka desimal paling banyak {max_digits} digit",
    "decimal_max_places": "Angka desimal paling banyak {decimal_places} digit di belakang koma",
    "decimal_whole_digits": "Angka desimal paling banyak {whole_digits} digit sebelum koma",
    "bytes_type": "Harus berupa data biner",
    "bytes_too_short": "Data paling sedikit {min_length} bita",
    "bytes_too_long": "Data paling banyak {max_length} bita",
    "enum": "Nilai harus salah satu dari: {expected}",
    "literal_error": "Nilai harus salah satu dari: {expected}",
    "date_type": "Harus berupa tanggal",
    "date_parsing": "Tanggal tidak valid; gunakan format YYYY-MM-DD",
    "date_from_datetime_parsing": "Tanggal tidak valid; gunakan format YYYY-MM-DD",
    "date_from_datetime_inexact": "Tanggal tidak boleh memuat jam; gunakan format YYYY-MM-DD",
    "date_past": "Tanggal harus di masa lalu",
    "date_future": "Tanggal harus di masa depan",
    "time_type": "Harus berupa waktu",
    "time_parsing": "Waktu tidak valid; gunakan format HH:MM:SS",
    "datetime_type": "Harus berupa tanggal dan waktu",
    "datetime_parsing": "Tanggal dan waktu tidak valid; gunakan format ISO 8601, "
    "mis. 2024-01-31T08:00:00+07:00",
    "datetime_from_date_parsing": "Tanggal dan waktu tidak valid; gunakan format ISO 8601, "
    "mis. 2024-01-31T08:00:00+07:00",
    "datetime_object_invalid": "Tanggal dan waktu tidak valid",
    "datetime_past": "Waktu harus di masa lalu",
    "datetime_future": "Waktu harus di masa depan",
    "timezone_naive": "Waktu tidak boleh memuat zona waktu",
    "timezone_aware": "Waktu harus memuat zona waktu",
    "timezone_offset": "Selisih zona waktu harus {tz_expected} detik",
    "time_delta_type": "Harus berupa durasi",
    "time_delta_parsing": "Durasi tidak valid; gunakan format ISO 8601, mis. P1D",
    "uuid_type": "Harus berupa UUID",
    "uuid_parsing": "UUID tidak valid",
    "uuid_version": "UUID harus versi {expected_version}",
    "url_type": "Harus berupa URL",
    "url_parsing": "URL tidak valid",
    "url_syntax_violation": "URL melanggar aturan penulisan URL",
    "url_too_long": "URL paling panjang {max_length} karakter",
    "url_scheme": "Skema URL harus salah satu dari: {expected_schemes}",
    "union_tag_invalid": "Jenis '{tag}' (menurut {discriminator}) tidak dikenal; "
    "yang diterima: {expected_tags}",
    "union_tag_not_found": "Jenis tidak dapat ditentukan dari {discriminator}",
    "value_error": "Nilai tidak valid ({error})",
    "assertion_error": "Nilai tidak valid ({error})",
}
"""Indonesian texts of pydantic's error types, filled from the error's ``ctx``. English
stays as pydantic writes it. Types that only Python callers can meet (call arguments,
instances of a class, callables …) are absent: they keep pydantic's English."""

_CHOICES = frozenset({"expected", "expected_schemes", "expected_tags"})


def _shown(name: str, value: Any) -> str:
    """A ``ctx`` value as the Indonesian text shows it: a list of choices comma-separated
    (pydantic joins the last with "or"), an exception as its message."""
    text = str(value)
    if name in _CHOICES:
        return ", ".join(text.rsplit(" or ", 1))
    return text


def field_error(kind: str, ctx: Mapping[str, Any] | None) -> str | None:
    """The Indonesian ``msg`` of a pydantic error of type ``kind``, or None when the type
    has no Indonesian text. Our own validators raise ``BilingualValueError``."""
    error = (ctx or {}).get("error")
    if isinstance(error, BilingualValueError):
        return error.message_id
    template = FIELD_ERRORS.get(kind)
    if template is None:
        return None
    values = {name: _shown(name, value) for name, value in (ctx or {}).items()}
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError):
        return None
