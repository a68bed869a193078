"""Indonesian and English texts for problem titles; the language follows Accept-Language."""

from typing import Literal

Language = Literal["en", "id"]

TITLES: dict[int, dict[Language, str]] = {
    400: {"en": "Bad request", "id": "Permintaan tidak valid"},
    401: {"en": "Authentication required", "id": "Autentikasi diperlukan"},
    403: {"en": "Forbidden", "id": "Akses ditolak"},
    404: {"en": "Not found", "id": "Tidak ditemukan"},
    405: {"en": "Method not allowed", "id": "Metode tidak diizinkan"},
    409: {"en": "Conflict", "id": "Konflik"},
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
