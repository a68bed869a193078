"""Pure talent rules: the 9-box (PermenPANRB 3/2020) and the professionalism index
(IP ASN, PermenPANRB 38/2018). No I/O.

The SQL of ``ninebox/repository.py`` and ``professionalism/repository.py`` is built from
these constants (the ``*_sql`` helpers below), and ``tests/talent/test_parity.py`` sends
the same generated rows through the SQL and through these functions.

9-box
-----
- Performance axis: the annual SKP predicate of the year, as a level: Sangat Baik 3
  (above expectation), Baik 2 (as expected), anything else 1 (below). With the policy's
  ``two_year_average`` the levels of the year and the year before (those present; the year
  itself must be) are averaged and the mean is cut at 2.5 (above) and 1.5 (as expected).
- Potential axis, 0–100: the calibrated competency levels against the levels the NEXT-LEVEL
  position requires (the position the employee's position reports to; for a position at
  the top of its line, or whose superior states no requirements, the employee's own
  position): Σ min(level, required) / Σ required over the required competencies that were
  assessed; and, when 360° results count, the same over the ``others_calibrated_mean`` of
  the competency dimensions in the latest published 360° report. The two are weighted by
  the policy (the weights renormalised over the parts present). Cut at the policy's
  ``potential_medium_from`` and ``potential_high_from``.
- Box: ``BOX`` below, as in the domain document; boxes 7–9 form the succession group.

IP ASN
------
Qualification 25, competency 40, performance 30, discipline 5: see the functions.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Final, Literal

from asn_career.org.rules import PositionKind

# --- the 9-box -----------------------------------------------------------------------------

PerformanceSource = Literal["latest", "two_year_average"]
PERFORMANCE_SOURCES: Final = ("latest", "two_year_average")
Axis = Literal["below", "as_expected", "above"]
Band = Literal["low", "medium", "high"]

PREDICATE_LEVEL: Final[Mapping[str, int]] = {
    "sangat_baik": 3,
    "baik": 2,
    "butuh_perbaikan": 1,
    "kurang": 1,
    "sangat_kurang": 1,
}
"""SKP predicate → performance level: Sangat Baik above (3), Baik as expected (2), rest 1."""
ABOVE_FROM: Final = Decimal("2.5")
AS_EXPECTED_FROM: Final = Decimal("1.5")
"""Cut points on the (averaged) performance level."""

CALIBRATABLE_SOURCES: Final = ("assessment_center", "feedback_360", "supervisor", "self")
"""Sources of competency evidence the policy may count as calibrated: the assessment
sources of ``competency_assessments`` and ``feedback_360`` (published 360° reports)."""
FEEDBACK_SOURCE: Final = "feedback_360"


@dataclass(frozen=True)
class Policy:
    performance_source: str = "latest"
    potential_medium_from: int = 70
    potential_high_from: int = 90
    competency_weight: int = 70
    feedback_weight: int = 30
    calibrated_sources: tuple[str, ...] = ("assessment_center", FEEDBACK_SOURCE)

    @property
    def assessment_sources(self) -> tuple[str, ...]:
        """The calibrated sources read from ``competency_assessments``: 360° evidence comes
        from published reports, never from assessment rows of source ``feedback_360``."""
        return tuple(s for s in self.calibrated_sources if s != FEEDBACK_SOURCE)

    @property
    def uses_feedback(self) -> bool:
        return FEEDBACK_SOURCE in self.calibrated_sources and self.feedback_weight > 0


DEFAULT_POLICY: Final = Policy()


def talent_year(requested: int | None, today: date) -> int:
    """The year asked for, else the one the 9-box and the index show: last year, the last
    whole year whose annual SKP is rated."""
    return requested if requested is not None else today.year - 1


def policy_problems(policy: Policy) -> list[tuple[str, str, str]]:
    """(field, English, Indonesian) for each broken rule of a talent policy."""
    problems = []
    if not 0 < policy.potential_medium_from < policy.potential_high_from <= 100:
        problems.append((
            "potential_high_from",
            "0 < potential_medium_from < potential_high_from ≤ 100 must hold.",
            "Harus berlaku 0 < potential_medium_from < potential_high_from ≤ 100.",
        ))  # fmt: skip
    if policy.competency_weight + policy.feedback_weight <= 0:
        problems.append((
            "competency_weight", "At least one potential weight must be positive.",
            "Minimal satu bobot potensial harus positif.",
        ))  # fmt: skip
    if not policy.calibrated_sources:
        problems.append((
            "calibrated_sources", "Name at least one calibrated source.",
            "Sebutkan minimal satu sumber terkalibrasi.",
        ))  # fmt: skip
    return problems


def performance_level(predicates: Sequence[str | None], source: str) -> Decimal | None:
    """The performance level of a year: ``predicates`` are the annual predicates of the year
    and (for ``two_year_average``) the year before, the year itself first; ``None`` in the
    first place means the year has none."""
    if not predicates or predicates[0] is None:
        return None
    used = predicates[:1] if source == "latest" else [p for p in predicates[:2] if p is not None]
    levels = [PREDICATE_LEVEL[p] for p in used if p is not None]
    return (Decimal(sum(levels)) / len(levels)).quantize(Decimal("0.01"))


def performance_axis(level: Decimal) -> Axis:
    if level >= ABOVE_FROM:
        return "above"
    if level >= AS_EXPECTED_FROM:
        return "as_expected"
    return "below"


def coverage(pairs: Iterable[tuple[float, int]]) -> float | None:
    """Σ min(level, required) / Σ required over (level, required) pairs, 0–1; None when
    there is none."""
    met = need = 0.0
    for level, required in pairs:
        met += min(float(level), float(required))
        need += float(required)
    return met / need if need > 0 else None


def potential_score(
    competency: float | None, feedback: float | None, policy: Policy
) -> float | None:
    """0–100 from the two coverages (0–1); the weights renormalised over the parts present
    (360° counts only when the policy counts it). Unrounded: the bands compare this value,
    the responses show it to two decimals. The SQL does the same arithmetic in this order."""
    cw = policy.competency_weight
    fw = policy.feedback_weight if policy.uses_feedback else 0
    weight = (cw if competency is not None and cw > 0 else 0) + (
        fw if feedback is not None and fw > 0 else 0
    )
    if weight <= 0:
        return None
    value = 0.0
    value += competency * cw if competency is not None and cw > 0 else 0
    value += feedback * fw if feedback is not None and fw > 0 else 0
    return value / weight * 100


def potential_band(score: float, policy: Policy) -> Band:
    if score >= policy.potential_high_from:
        return "high"
    if score >= policy.potential_medium_from:
        return "medium"
    return "low"


BOX: Final[Mapping[tuple[str, str], int]] = {
    ("above", "high"): 9,
    ("as_expected", "high"): 8,
    ("above", "medium"): 7,
    ("below", "high"): 6,
    ("as_expected", "medium"): 5,
    ("above", "low"): 4,
    ("below", "medium"): 3,
    ("as_expected", "low"): 2,
    ("below", "low"): 1,
}
"""(performance, potential) → box, exactly as the domain document numbers them."""
SUCCESSION_BOXES: Final = (7, 8, 9)

BOX_ACTIONS: Final[Mapping[int, tuple[str, str]]] = {
    9: (
        "Promote and retain; succession pool for higher positions; reward.",
        "Dipromosikan dan dipertahankan; masuk kelompok rencana suksesi; diberikan penghargaan.",
    ),
    8: (
        "Retain; succession pool; rotation or job enrichment; performance coaching.",
        "Dipertahankan; masuk kelompok rencana suksesi; rotasi atau perluasan jabatan; "
        "bimbingan kinerja.",
    ),
    7: (
        "Retain; succession pool; rotation; competency development.",
        "Dipertahankan; masuk kelompok rencana suksesi; rotasi; pengembangan kompetensi.",
    ),
    6: (
        "Suitable placement; performance coaching and counselling.",
        "Penempatan yang sesuai; bimbingan kinerja; konseling kinerja.",
    ),
    5: (
        "Suitable placement; performance coaching; competency development.",
        "Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi.",
    ),
    4: (
        "Rotation; competency development.",
        "Rotasi; pengembangan kompetensi.",
    ),
    3: (
        "Performance coaching and counselling; competency development; suitable placement.",
        "Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang sesuai.",
    ),
    2: (
        "Performance coaching; competency development; suitable placement.",
        "Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai.",
    ),
    1: (
        "Handled under the discipline rules.",
        "Diproses sesuai ketentuan peraturan perundang-undangan tentang disiplin.",
    ),
}

INSUFFICIENT: Final[Mapping[str, tuple[str, str]]] = {
    "no_position": ("holds no current position", "tidak memangku jabatan"),
    "no_skp": (
        "no annual SKP rating for the year",
        "tidak ada penilaian SKP tahunan untuk tahun tersebut",
    ),
    "no_requirements": (
        "neither the next-level nor the own position states required competencies",
        "jabatan setingkat di atas maupun jabatan sendiri tidak mencantumkan standar kompetensi",
    ),
    "no_potential_data": (
        "no calibrated competency assessment or published 360° result on a required competency",
        "tidak ada asesmen kompetensi terkalibrasi atau hasil 360° terbit pada kompetensi "
        "yang dipersyaratkan",
    ),
}
"""Why an employee has no box, in the order they are checked."""


def box(performance: Axis | str, potential: Band | str) -> int:
    return BOX[(performance, potential)]


@dataclass(frozen=True)
class NineBoxResult:
    box: int | None
    reason: str | None
    performance_level: Decimal | None = None
    performance: str | None = None
    potential: float | None = None
    band: str | None = None


def nine_box(
    *,
    has_position: bool,
    predicates: Sequence[str | None],
    has_requirements: bool,
    competency: float | None,
    feedback: float | None,
    policy: Policy,
) -> NineBoxResult:
    """The whole rule for one employee (``tests/talent/test_parity.py`` pins the SQL to it)."""
    if not has_position:
        return NineBoxResult(None, "no_position")
    level = performance_level(predicates, policy.performance_source)
    if level is None:
        return NineBoxResult(None, "no_skp")
    axis = performance_axis(level)
    if not has_requirements:
        return NineBoxResult(None, "no_requirements", level, axis)
    score = potential_score(competency, feedback, policy)
    if score is None:
        return NineBoxResult(None, "no_potential_data", level, axis)
    band = potential_band(score, policy)
    return NineBoxResult(box(axis, band), None, level, axis, score, band)


def box_sql(performance: str, band: str) -> str:
    """``BOX`` as a SQL CASE over two text expressions."""
    whens = " ".join(
        f"WHEN {performance} = '{p}' AND {band} = '{b}' THEN {n}" for (p, b), n in BOX.items()
    )
    return f"(CASE {whens} END)"


def predicate_level_sql(predicate: str) -> str:
    whens = " ".join(f"WHEN '{p}' THEN {v}" for p, v in PREDICATE_LEVEL.items())
    return f"(CASE {predicate} {whens} END)"


# --- the professionalism index (IP ASN) ---------------------------------------------------

QUALIFICATION_POINTS: Final[Mapping[str, int]] = {
    "S3": 25,
    "S2": 20,
    "S1": 15,
    "D4": 15,
    "D3": 10,
    "D2": 5,
    "D1": 5,
    "SMA": 5,
    "SMP": 1,
    "SD": 1,
}
"""Highest education → points (of 25): S3 25, S2 20, S1/D4 15, D3 10, D1/D2/SMA 5, lower 1."""
QUALIFICATION_ORDER: Final = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
"""The ordinals of ``education_levels``: the highest recorded level counts."""

TRACK_POINTS: Final = 15
"""Leadership training matching a managerial position; functional training for fungsional;
technical training of at least ``TECHNICAL_MIN_JP`` JP: each 15."""
COMPETENCY_MAX: Final = 40
TECHNICAL_MIN_JP: Final = 20
RECENT_YEARS: Final = 2
"""Technical training and seminars count over the year asked and the year before."""
TECHNICAL_FORMS: Final = ("training", "technical_guidance", "e_learning")
SEMINAR_FORMS: Final = ("seminar", "workshop")
MANAGERIAL_KINDS: Final = (
    PositionKind.JPT_UTAMA,
    PositionKind.JPT_MADYA,
    PositionKind.JPT_PRATAMA,
    PositionKind.ADMINISTRATOR,
    PositionKind.PENGAWAS,
)
_END = "( |$|,|\\))"
LEADERSHIP_PATTERNS: Final[Mapping[str, str]] = {
    PositionKind.JPT_UTAMA: f"kepemimpinan nasional tingkat i{_END}|diklatpim tingkat i{_END}",
    PositionKind.JPT_MADYA: f"kepemimpinan nasional tingkat i{_END}|diklatpim tingkat i{_END}",
    PositionKind.JPT_PRATAMA: f"kepemimpinan nasional tingkat ii{_END}|diklatpim tingkat ii{_END}",
    PositionKind.ADMINISTRATOR: f"kepemimpinan administrator|diklatpim tingkat iii{_END}|"
    f"(^|\\()pka{_END}",
    PositionKind.PENGAWAS: f"kepemimpinan pengawas|diklatpim tingkat iv{_END}|(^|\\()pkp{_END}",
}
"""Lower-cased training titles that are the leadership training (PKN I/II, PKA, PKP, the old
Diklatpim I–IV) of each managerial kind: one regex, read by Python and Postgres alike."""
FUNCTIONAL_PATTERN: Final = "fungsional"
"""A training (not a seminar) whose title names a jabatan fungsional."""

PREDICATE_SCORE: Final[Mapping[str, int]] = {
    "sangat_baik": 95,
    "baik": 83,
    "butuh_perbaikan": 68,
    "kurang": 55,
    "sangat_kurang": 40,
}
"""An SKP without a score counts as the middle of its predicate's score band (the bands
the SKP scores follow: 91–100, 76–90, 61–75, 51–60, ≤ 50)."""
PERFORMANCE_BANDS: Final = ((90, 30), (75, 25), (60, 15), (50, 5))
"""(above this score, points): 91–100 → 30, 76–90 → 25, 61–75 → 15, 51–60 → 5, ≤ 50 → 1.
A score with decimals falls in the band above the whole number it exceeds (90.5 → 30)."""
PERFORMANCE_FLOOR: Final = 1
DISCIPLINE_POINTS: Final[Mapping[str | None, int]] = {
    None: 5,
    "light": 3,
    "medium": 2,
    "severe": 1,
}
"""The heaviest sanction begun in the last ``DISCIPLINE_YEARS`` years → points (of 5)."""
DISCIPLINE_YEARS: Final = 5
SEVERITY_ORDER: Final = ("light", "medium", "severe")

CATEGORIES: Final = (
    (91, "sangat_tinggi", "Sangat Tinggi"),
    (81, "tinggi", "Tinggi"),
    (71, "sedang", "Sedang"),
    (61, "rendah", "Rendah"),
    (0, "sangat_rendah", "Sangat Rendah"),
)
"""(from, code, label): 91–100 Sangat Tinggi, 81–90 Tinggi, 71–80 Sedang, 61–70 Rendah,
≤ 60 Sangat Rendah."""
CATEGORY_CODES: Final = tuple(c for _, c, _ in CATEGORIES)
CATEGORY_LABELS: Final = {c: label for _, c, label in CATEGORIES}


def qualification_points(level_code: str | None) -> int:
    """0 when no education is recorded (the dimension is then reported missing)."""
    return QUALIFICATION_POINTS.get(level_code or "", 0)


def is_leadership_training(title: str, kind: str | None) -> bool:
    pattern = LEADERSHIP_PATTERNS.get(kind or "")
    return pattern is not None and re.search(pattern, title.lower()) is not None


def is_functional_training(title: str, form: str) -> bool:
    return form in TECHNICAL_FORMS and FUNCTIONAL_PATTERN in title.lower()


ANY_LEADERSHIP_PATTERN: Final = "|".join(sorted(set(LEADERSHIP_PATTERNS.values())))


def is_technical_training(title: str, form: str) -> bool:
    """Classroom or e-learning training that is neither a leadership nor a functional one."""
    lowered = title.lower()
    return (
        form in TECHNICAL_FORMS
        and FUNCTIONAL_PATTERN not in lowered
        and re.search(ANY_LEADERSHIP_PATTERN, lowered) is None
    )


@dataclass(frozen=True)
class CompetencyParts:
    leadership: int
    functional: int
    technical: int
    seminar: int

    @property
    def total(self) -> int:
        return self.leadership + self.functional + self.technical + self.seminar


def track_parts(kind: str | None) -> int:
    """How many 15-point training parts apply to a position kind: technical always, and
    leadership (managerial) or functional (fungsional)."""
    return 2 if kind in MANAGERIAL_KINDS or kind == PositionKind.FUNGSIONAL else 1


def seminar_points(kind: str | None) -> int:
    """The seminar/workshop part is what remains of 40 after the parts that apply: 10 for a
    managerial or fungsional position, 25 for a pelaksana (so every position can reach 40)."""
    return COMPETENCY_MAX - TRACK_POINTS * track_parts(kind)


def competency_parts(
    kind: str | None,
    *,
    leadership: bool,
    functional: bool,
    technical_jp: float,
    seminars: int,
) -> CompetencyParts:
    """``leadership``: a leadership training of the position's managerial kind, ever;
    ``functional``: a functional training, ever (counts for a fungsional position);
    ``technical_jp``: JP of other classroom/e-learning training in the last two years;
    ``seminars``: seminars and workshops in the last two years."""
    return CompetencyParts(
        leadership=TRACK_POINTS if leadership and kind in MANAGERIAL_KINDS else 0,
        functional=TRACK_POINTS if functional and kind == PositionKind.FUNGSIONAL else 0,
        technical=TRACK_POINTS if technical_jp >= TECHNICAL_MIN_JP else 0,
        seminar=seminar_points(kind) if seminars > 0 else 0,
    )


def performance_points(score: float | Decimal | None, predicate: str | None) -> int:
    """0 without an annual SKP (reported missing)."""
    if score is None:
        if predicate is None:
            return 0
        score = PREDICATE_SCORE[predicate]
    for above, points in PERFORMANCE_BANDS:
        if score > above:
            return points
    return PERFORMANCE_FLOOR


def discipline_points(severities: Iterable[str]) -> int:
    worst = None
    for s in severities:
        if worst is None or SEVERITY_ORDER.index(s) > SEVERITY_ORDER.index(worst):
            worst = s
    return DISCIPLINE_POINTS[worst]


def category(total: int) -> str:
    for lowest, code, _ in CATEGORIES:
        if total >= lowest:
            return code
    return CATEGORY_CODES[-1]


@dataclass(frozen=True)
class IndexResult:
    qualification: int
    competency: CompetencyParts
    performance: int
    discipline: int
    missing: tuple[str, ...] = field(default=())

    @property
    def total(self) -> int:
        return self.qualification + self.competency.total + self.performance + self.discipline

    @property
    def category(self) -> str:
        return category(self.total)


def qualification_sql(level: str) -> str:
    whens = " ".join(f"WHEN '{c}' THEN {p}" for c, p in QUALIFICATION_POINTS.items())
    return f"(CASE {level} {whens} ELSE 0 END)"


def performance_points_sql(score: str, predicate: str) -> str:
    scored = " ".join(f"WHEN '{p}' THEN {s}" for p, s in PREDICATE_SCORE.items())
    value = f"coalesce({score}, (CASE {predicate} {scored} END))"
    bands = " ".join(f"WHEN {value} > {above} THEN {points}" for above, points in PERFORMANCE_BANDS)
    return f"(CASE WHEN {value} IS NULL THEN 0 {bands} ELSE {PERFORMANCE_FLOOR} END)"


def discipline_points_sql(worst_rank: str) -> str:
    """``worst_rank``: 1-based index of the heaviest severity in ``SEVERITY_ORDER`` or NULL."""
    whens = " ".join(
        f"WHEN {i + 1} THEN {DISCIPLINE_POINTS[s]}" for i, s in enumerate(SEVERITY_ORDER)
    )
    return f"(CASE {worst_rank} {whens} ELSE {DISCIPLINE_POINTS[None]} END)"


def severity_rank_sql(severity: str) -> str:
    whens = " ".join(f"WHEN '{s}' THEN {i + 1}" for i, s in enumerate(SEVERITY_ORDER))
    return f"(CASE {severity} {whens} END)"


def category_sql(total: str) -> str:
    whens = " ".join(f"WHEN {total} >= {lowest} THEN '{code}'" for lowest, code, _ in CATEGORIES)
    return f"(CASE {whens} END)"


def sql_list(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def managerial_leadership_sql(kind: str, title: str) -> str:
    """``is_leadership_training`` as SQL over the position kind and the training title."""
    whens = " ".join(
        f"WHEN {kind} = '{k}' THEN lower({title}) ~ '{p}'" for k, p in LEADERSHIP_PATTERNS.items()
    )
    return f"(CASE {whens} ELSE false END)"


def professionalism_index(
    *,
    year: int,
    position_kind: str | None,
    education: Iterable[tuple[str, int | None]],
    trainings: Iterable[tuple[str, str, float, date]],
    annual: tuple[float | Decimal | None, str] | None,
    sanctions: Iterable[tuple[str, date]],
) -> IndexResult:
    """One employee's index for a year, from their rows: education (level code, graduation
    year), trainings (title, form, JP, start date), the year's annual SKP (score,
    predicate) and sanctions (severity, start date). ``professionalism/repository.py`` does
    the same in SQL; ``tests/talent/test_parity.py`` pins the two together."""
    end = date(year, 12, 31)
    recent = date(year - RECENT_YEARS + 1, 1, 1)
    levels = [code for code, graduated in education if graduated is None or graduated <= year]
    best = max(levels, key=lambda c: QUALIFICATION_ORDER.index(c), default=None)
    leadership = functional = False
    technical_jp = 0.0
    seminars = 0
    for title, form, jp, start in trainings:
        if start > end:
            continue
        leadership = leadership or (
            form in TECHNICAL_FORMS and is_leadership_training(title, position_kind)
        )
        functional = functional or is_functional_training(title, form)
        if start >= recent:
            if is_technical_training(title, form):
                technical_jp += float(jp)
            if form in SEMINAR_FORMS:
                seminars += 1
    since = date(year - DISCIPLINE_YEARS + 1, 1, 1)
    severities = [s for s, start in sanctions if since <= start <= end]
    missing = []
    if best is None:
        missing.append("qualification")
    if annual is None:
        missing.append("performance")
    return IndexResult(
        qualification=qualification_points(best),
        competency=competency_parts(
            position_kind, leadership=leadership, functional=functional,
            technical_jp=technical_jp, seminars=seminars,
        ),
        performance=performance_points(*annual) if annual else 0,
        discipline=discipline_points(severities),
        missing=tuple(missing),
    )  # fmt: skip
