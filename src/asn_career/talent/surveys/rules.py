"""The rules of career-management surveys. Pure: no I/O.

A survey asks a versioned question set: Likert items (1–5, every one required) and one
optional free-text question. Question sets live here, in code, by (code, version): a survey
pins the version it was created with, so its answers always mean what its questions said.

Who answered is kept apart from what was answered (``talent.surveys.models``): the
respondent is a keyed hash of (survey, employee), the same server-side-digest approach as
the 360° public tokens (``feedback.public.tokens``), keyed with the server's secret so a
copy of the table alone cannot be checked against a list of employees.
"""

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from typing import Final, Literal

from asn_career.feedback.rules import MERGED_GROUP, SCALE_MAX, SCALE_MIN

SurveyState = Literal["draft", "open", "closed"]
STATES: Final[tuple[str, ...]] = ("draft", "open", "closed")
TRANSITIONS: Final[dict[str, tuple[str, str]]] = {
    "open": ("draft", "open"),
    "close": ("open", "closed"),
}
"""action → (the state it needs, the state it leaves)."""

DEFAULT_MIN_GROUP_SIZE: Final = 5
MIN_GROUP_SIZE_RANGE: Final = (5, 20)
"""A figure needs at least this many respondents behind it (never fewer than five)."""

MAX_COMMENT_LENGTH: Final = 2000
OTHER: Final = MERGED_GROUP
"""Groups too small to show on their own are merged under this name (as in 360°)."""
UNKNOWN: Final = "unknown"

BREAKDOWNS: Final[tuple[str, ...]] = ("unit", "gender", "rank_group")


@dataclass(frozen=True)
class Question:
    code: str
    kind: Literal["likert", "text"]
    aspect: str
    text_id: str
    text_en: str


@dataclass(frozen=True)
class QuestionSet:
    code: str
    version: int
    title_id: str
    title_en: str
    questions: tuple[Question, ...]

    @property
    def likert(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind == "likert")

    @property
    def likert_codes(self) -> tuple[str, ...]:
        return tuple(q.code for q in self.likert)


def _l(code: str, aspect: str, text_id: str, text_en: str) -> Question:
    return Question(code, "likert", aspect, text_id, text_en)


CAREER_V1: Final = QuestionSet(
    code="karier",
    version=1,
    title_id="Survei Kepuasan Pegawai terhadap Manajemen Karier",
    title_en="Employee satisfaction with career management",
    questions=(
        _l("promosi_adil", "promotion", "Promosi jabatan di instansi ini dilakukan secara adil "
           "dan berdasarkan kompetensi serta kinerja.",
           "Promotions here are fair and based on competence and performance."),
        _l("rotasi_adil", "rotation", "Rotasi dan mutasi pegawai dilakukan secara adil dan "
           "terbuka.", "Rotations and transfers are fair and transparent."),
        _l("akses_pelatihan", "training", "Saya memiliki kesempatan yang sama untuk mengikuti "
           "pelatihan dan pengembangan kompetensi.",
           "I have an equal chance to take part in training and competency development."),
        _l("jalur_karier", "career_path", "Saya memahami jalur karier saya dan syarat untuk "
           "naik ke jabatan berikutnya.",
           "I understand my career path and what the next position requires."),
        _l("umpan_balik", "feedback", "Saya menerima umpan balik yang berguna tentang kinerja "
           "dan kompetensi saya.", "I receive useful feedback on my performance and competencies."),
        _l("mentoring", "mentoring", "Saya mendapat bimbingan atau mentoring yang membantu "
           "pengembangan karier saya.", "I get guidance or mentoring that helps my career."),
        _l("sistem_informasi", "information_system", "Sistem informasi kepegawaian mudah "
           "diakses dan datanya tentang saya akurat.",
           "The HR information system is easy to use and its data about me is accurate."),
        Question("saran", "text", "open", "Saran Anda untuk perbaikan manajemen karier "
                 "(opsional).", "Your suggestions for career management (optional)."),
    ),
)  # fmt: skip

QUESTION_SETS: Final[dict[tuple[str, int], QuestionSet]] = {
    (CAREER_V1.code, CAREER_V1.version): CAREER_V1,
}
DEFAULT_QUESTION_SET: Final = CAREER_V1.code


def latest_version(code: str) -> int | None:
    versions = [v for (c, v) in QUESTION_SETS if c == code]
    return max(versions) if versions else None


def question_set(code: str, version: int) -> QuestionSet | None:
    return QUESTION_SETS.get((code, version))


def answer_problem(qs: QuestionSet, scores: dict[str, int]) -> tuple[str, str, str] | None:
    """Why ``scores`` do not answer ``qs`` (English, Indonesian, code), or None: every
    Likert item exactly once, each on the 1–5 scale."""
    expected = set(qs.likert_codes)
    unknown = sorted(set(scores) - expected)
    if unknown:
        return (
            f"unknown question(s): {', '.join(unknown)}",
            f"pertanyaan tidak dikenal: {', '.join(unknown)}",
            "unknown_question",
        )
    missing = sorted(expected - set(scores))
    if missing:
        return (
            f"every question needs an answer; missing: {', '.join(missing)}",
            f"setiap pertanyaan wajib dijawab; belum dijawab: {', '.join(missing)}",
            "missing_answer",
        )
    if any(not SCALE_MIN <= s <= SCALE_MAX for s in scores.values()):
        return (
            f"answers are on the {SCALE_MIN}–{SCALE_MAX} scale",
            f"jawaban berada pada skala {SCALE_MIN}–{SCALE_MAX}",
            "out_of_scale",
        )
    return None


def transition_problem(action: str, state: str) -> str | None:
    """The state ``action`` needs when ``state`` is not it, else None."""
    needed, _ = TRANSITIONS[action]
    return None if state == needed else needed


def respondent_key(app_secret: str) -> bytes:
    """The key of respondent hashes, derived from the server's secret for this use only."""
    return hashlib.sha256(b"asn-career survey respondent|" + app_secret.encode()).digest()


def respondent_hash(key: bytes, survey_id: uuid.UUID, employee_id: uuid.UUID) -> bytes:
    """HMAC-SHA256 of (survey, employee): the same person gives the same hash in the same
    survey only, and nothing in the hash names them without the server's key."""
    return hmac.new(key, survey_id.bytes + employee_id.bytes, hashlib.sha256).digest()


def rank_group(rank_code: str | None, employment_type: str | None) -> str:
    """The rank group a response is counted under: golongan I–IV for PNS (``III/b`` → III),
    ``PPPK`` for government employees on contract, ``unknown`` without a rank."""
    if employment_type == "pppk":
        return "PPPK"
    if rank_code and "/" in rank_code:
        return rank_code.split("/", 1)[0]
    return UNKNOWN


def satisfaction_index(mean_score: float) -> float:
    """A mean on the 1–5 scale as 0–100 (1 → 0, 3 → 50, 5 → 100)."""
    return round((mean_score - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * 100, 1)


def rank_group_sql(rank_code: str, employment_type: str) -> str:
    """``rank_group`` as a SQL expression over two column names (the evaluation groups
    training hours by it); ``tests/talent/surveys`` pins it to the Python rule."""
    return (
        f"CASE WHEN {employment_type} = 'pppk' THEN 'PPPK' "
        f"WHEN {rank_code} LIKE '%/%' THEN split_part({rank_code}, '/', 1) "
        f"ELSE '{UNKNOWN}' END"
    )
