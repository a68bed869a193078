"""Demo data of 360° feedback: a published cycle per agency, made through the feedback
services themselves, so it passes every rule the API applies.

Per agency, HR creates a cycle on the shared BerAKHLAK + managerial questionnaire, adds the
staff of two units as subjects (a public-facing one, with one-time links for citizens),
lets ``generate-raters`` propose the raters, and opens it. The raters then answer as real
raters do (below), each response checked by the answering rules
(``feedback.responses.rules.response_problems``) before it is stored in bulk; a few decline
or never answer. HR closes the cycle and publishes it, which computes and freezes every
report and writes the ``feedback_360`` assessments into the profiles.

How the raters answer: most within ±0.3 of the truth, one in eight clearly lenient and one
in eight severe; a third of the subjects rate themselves more than a point above what
others see (blind spots), one in ten below it (hidden strengths); a few raters give every
item the same score; raters who rarely see the subject at work mark items "not observed".
The reports' calibration and blind-spot detection have something to find because of this.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import insert, select, update

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.demo.base import Agency, DomainGenerator
from asn_career.feedback.cycles.schemas import CycleCreate, GenerateRaters, SubjectsAdd
from asn_career.feedback.cycles.service import CycleService, SubjectService
from asn_career.feedback.models import (
    Answer,
    Cycle,
    Questionnaire,
    QuestionnaireItem,
    Request,
)
from asn_career.feedback.reports.service import ReportService
from asn_career.feedback.responses.rules import GivenAnswer, ItemRule, response_problems
from asn_career.feedback.rules import DEFAULT_QUESTIONNAIRE_CODE, SCALE_MAX, SCALE_MIN
from asn_career.org.models import Competency, Unit
from asn_career.profiles.models import CurrentCompetency, Employee

SUBJECTS_PER_AGENCY = 120
"""At most this many subjects per agency: enough for every report and the summary to show
figures, few enough that ``make run`` starts in seconds."""
PUBLIC_FACING_KINDS = ("kecamatan", "kelurahan", "puskesmas", "uptd")
DECLINE_REASON = "Belum cukup lama bekerja sama sehingga belum dapat menilai secara adil."


@dataclass(frozen=True)
class DemoItem:
    id: int
    code: str
    dimension: str
    not_observed_allowed: bool
    comment_allowed: bool


LENIENT, SEVERE = 0.9, -0.9


def rater_leniency(rng: random.Random) -> float:
    """Most raters within ±0.3 of the truth; one in eight lenient, one in eight severe."""
    draw = rng.random()
    if draw < 0.125:
        return LENIENT + rng.gauss(0.0, 0.15)
    if draw < 0.25:
        return SEVERE + rng.gauss(0.0, 0.15)
    return rng.gauss(0.0, 0.2)


def self_view(rng: random.Random) -> float:
    """How far a subject's self-rating sits from what others see: a third inflate it by
    more than a point (blind spots), one in ten deflate it (hidden strengths)."""
    draw = rng.random()
    if draw < 0.33:
        return 1.2 + rng.random() * 0.5
    if draw < 0.43:
        return -1.2 - rng.random() * 0.4
    return rng.gauss(0.2, 0.25)


def true_levels(
    rng: random.Random, dimensions: Sequence[str], known: Mapping[str, int]
) -> dict[str, float]:
    """The subject's level on each dimension: their recorded competency level where there
    is one, otherwise around a personal mean."""
    personal = rng.gauss(3.4, 0.45)
    return {
        code: (known[code] + rng.gauss(0.0, 0.3)) if code in known else personal + rng.gauss(0, 0.4)
        for code in dimensions
    }


def answers(
    rng: random.Random,
    items: Sequence[DemoItem],
    levels: Mapping[str, float],
    bias: float,
    *,
    observes_little: bool,
) -> list[tuple[int, int | None]]:
    """One response: (item id, score or None for "not observed")."""
    if rng.random() < 0.03:  # straight-lining: the same score everywhere
        same = rng.choice((4, 4, 5, 3))
        return [(item.id, same) for item in items]
    given: list[tuple[int, int | None]] = []
    for item in items:
        if item.not_observed_allowed and rng.random() < (0.2 if observes_little else 0.03):
            given.append((item.id, None))
            continue
        score = round(levels[item.dimension] + bias + rng.gauss(0.0, 0.45))
        given.append((item.id, max(SCALE_MIN, min(SCALE_MAX, score))))
    return given


STRENGTHS = {
    "BA.1": "Selalu ramah dan sigap membantu masyarakat yang datang ke loket.",
    "BA.2": "Laporan kegiatannya selalu tepat waktu dan dapat dipertanggungjawabkan.",
    "BA.3": "Menguasai aturan kepegawaian dan mau berbagi ilmu dengan rekan kerja.",
    "BA.4": "Menjaga suasana kerja yang rukun, termasuk saat ada perbedaan pendapat.",
    "BA.5": "Menjaga nama baik instansi dan tidak pernah membocorkan data pegawai.",
    "BA.6": "Cepat menyesuaikan diri ketika aplikasi SIASN berganti versi.",
    "BA.7": "Aktif mengajak bidang lain bekerja sama dalam penyusunan rencana kerja.",
    "M.1": "Konsisten menolak gratifikasi dan menjadi contoh bagi tim.",
    "M.2": "Mudah diajak bekerja sama lintas bidang.",
    "M.3": "Menjelaskan kebijakan dengan bahasa yang mudah dipahami.",
    "M.4": "Fokus pada hasil dan menuntaskan pekerjaan sampai selesai.",
    "M.5": "Mengutamakan kepuasan masyarakat dalam setiap layanan.",
    "M.6": "Meluangkan waktu membimbing pegawai baru.",
    "M.7": "Memimpin tim dengan tenang saat ada perubahan struktur organisasi.",
    "M.8": "Berani mengambil keputusan dengan pertimbangan data yang jelas.",
}
IMPROVEMENTS = {
    "BA.1": "Perlu lebih sabar saat melayani pertanyaan yang berulang.",
    "BA.2": "Sebaiknya dokumen pendukung kegiatan diarsipkan lebih rapi.",
    "BA.3": "Perlu memperbarui pengetahuan tentang regulasi terbaru.",
    "BA.4": "Sesekali kurang terbuka menerima masukan dari rekan.",
    "BA.5": "Perlu lebih berhati-hati saat membagikan informasi internal.",
    "BA.6": "Masih ragu mencoba cara kerja baru yang berbasis aplikasi.",
    "BA.7": "Perlu lebih sering melibatkan tim dalam perencanaan.",
    "M.1": "Perlu lebih tegas menegakkan aturan di dalam tim.",
    "M.2": "Kadang menyelesaikan pekerjaan sendiri tanpa melibatkan tim.",
    "M.3": "Penyampaian arahan dalam rapat perlu lebih terstruktur.",
    "M.4": "Target kerja perlu dipantau lebih rutin agar tidak menumpuk di akhir tahun.",
    "M.5": "Waktu tunggu layanan masih bisa dipersingkat.",
    "M.6": "Perlu memberi umpan balik yang lebih rutin kepada staf.",
    "M.7": "Perlu menjelaskan alasan perubahan kepada staf lebih awal.",
    "M.8": "Keputusan sering tertunda menunggu arahan pimpinan.",
}


def comment(rng: random.Random, dimension: str, score: int | None) -> str | None:
    """A comment on one answer now and then, in the tone the score suggests."""
    if score is None or rng.random() > 0.08:
        return None
    pool = STRENGTHS if score >= 4 else IMPROVEMENTS
    return pool.get(dimension)


TABLES = ("feedback_cycles", "feedback_subjects", "feedback_requests", "feedback_answers")


class FeedbackGenerator(DomainGenerator):
    reference_tables: ClassVar[tuple[str, ...]] = (*TABLES, "feedback_reports")

    async def after_load_agency(self, sessionmaker: Any, agency: Agency) -> dict[str, int]:
        from asn_career.config import Settings
        from asn_career.feedback.public.schemas import PublicLinksCreate
        from asn_career.feedback.public.service import PublicLinkService

        code = agency.region.code
        rng = random.Random(f"{self.demo.seed}:feedback:{code}")  # noqa: S311 - demo data
        hr = Principal(subject="demo-hr", role=Role.HR_OFFICER, agencies=frozenset({code}))
        year = self.demo.as_of.year
        async with unit_of_work(sessionmaker) as session:
            office, public = await _subject_nips(session, code)
            if not office and not public:
                return {}
            cycles = CycleService(session, hr)
            questionnaire_id = await session.scalar(
                select(Questionnaire.id)
                .where(
                    Questionnaire.agency_code.is_(None),
                    Questionnaire.code == DEFAULT_QUESTIONNAIRE_CODE,
                )
                .order_by(Questionnaire.revision.desc())
                .limit(1)
            )
            assert questionnaire_id is not None, "the migrations seed the default questionnaire"
            cycle = await cycles.create(
                CycleCreate(
                    agency_code=code,
                    name=f"Umpan Balik 360° Tahun {year}",
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    questionnaire_id=questionnaire_id,
                    deadline=datetime.now(UTC) + timedelta(days=14),
                )
            )
            subjects = SubjectService(session, hr)
            if office:
                await subjects.add(cycle, SubjectsAdd(nips=office))
            if public:
                await subjects.add(cycle, SubjectsAdd(nips=public, public_facing=True))
            await subjects.generate_raters(cycle, GenerateRaters())
            if public:
                await PublicLinkService(session, hr, Settings()).create(
                    cycle,
                    PublicLinksCreate(
                        subjects=public[:50],
                        count=4,
                        base_url=f"https://karier.{agency.region.domain}/umpan-balik",
                    ),
                )
            await cycles.open(cycle)
            cycle_id = cycle.id
        async with unit_of_work(sessionmaker) as session:
            answers = await _answer(session, cycle_id, rng)
        async with unit_of_work(sessionmaker) as session:
            cycles = CycleService(session, hr)
            cycle = await cycles.get_visible(cycle_id)
            await cycles.close(cycle)
            await ReportService(session, hr).publish(cycle_id)
        return answers


async def _subject_nips(session: Any, agency_code: str) -> tuple[list[str], list[str]]:
    """Active staff of the agency, whole units at a time (so peers and direct reports are
    subjects too), at most ``SUBJECTS_PER_AGENCY``: those in public-facing units (a
    kecamatan, a puskesmas) apart, as they get one-time links for citizens."""
    root = Unit.__table__.alias("root")
    rows = (
        await session.execute(
            select(Employee.nip, root.c.kind)
            .join(Unit, Unit.id == Employee.unit_id)
            .join(root, root.c.id == Unit.path[1])
            .where(
                Employee.agency_code == agency_code,
                Employee.status == "active",
                Employee.position_id.is_not(None),
            )
            .order_by(root.c.code, Employee.nip)
            .limit(SUBJECTS_PER_AGENCY)
        )
    ).all()
    office = [nip for nip, kind in rows if kind not in PUBLIC_FACING_KINDS]
    public = [nip for nip, kind in rows if kind in PUBLIC_FACING_KINDS]
    return office, public


async def _answer(session: Any, cycle_id: uuid.UUID, rng: random.Random) -> dict[str, int]:
    """Every request of the open cycle answered as its rater would, or declined, or left
    open; each response checked by the answering rules before it is stored."""
    cycle = await session.get(Cycle, cycle_id)
    items = [
        item
        for item in await session.scalars(
            select(QuestionnaireItem)
            .where(QuestionnaireItem.questionnaire_id == cycle.questionnaire_id)
            .order_by(QuestionnaireItem.ordinal)
        )
    ]
    rules = [ItemRule(i.code, i.required, i.comment_allowed, i.not_observed_allowed) for i in items]
    demo_items = [
        DemoItem(i.id, i.code, i.dimension_code, i.not_observed_allowed, i.comment_allowed)
        for i in items
    ]
    requests = (
        await session.execute(
            select(
                Request.id, Request.subject_employee_id, Request.rater_employee_id,
                Request.relationship,
            )
            .where(Request.cycle_id == cycle_id, Request.status == "pending")
            .order_by(Request.subject_employee_id, Request.relationship, Request.id)
        )
    ).all()  # fmt: skip
    subjects = sorted({r.subject_employee_id for r in requests})
    known: dict[uuid.UUID, dict[str, int]] = {}
    for employee_id, competency, level in await session.execute(
        select(CurrentCompetency.employee_id, Competency.code, CurrentCompetency.level)
        .join(Competency, Competency.id == CurrentCompetency.competency_id)
        .where(CurrentCompetency.employee_id.in_(subjects))
    ):
        known.setdefault(employee_id, {})[competency] = level
    dimensions = sorted({item.dimension for item in demo_items})
    levels = {s: true_levels(rng, dimensions, known.get(s, {})) for s in subjects}
    selves = {s: self_view(rng) for s in subjects}
    by_id = {item.id: item for item in demo_items}
    leniency: dict[uuid.UUID | None, float] = {}
    rows: list[dict[str, Any]] = []
    submitted: list[uuid.UUID] = []
    declined: list[uuid.UUID] = []
    for request_id, subject, rater, relationship in requests:
        draw = rng.random()
        if (relationship == "public" and draw < 0.35) or (relationship != "self" and draw < 0.06):
            continue  # never answered
        if relationship not in ("self", "public") and draw < 0.09:
            declined.append(request_id)
            continue
        if relationship == "self":
            bias = selves[subject]
        elif relationship == "public":
            bias = rater_leniency(rng)
        else:
            bias = leniency.setdefault(rater, rater_leniency(rng))
        given = answers(
            rng, demo_items, levels[subject], bias, observes_little=relationship == "public"
        )
        response = [
            GivenAnswer(
                by_id[item_id].code, score, score is None,
                comment(rng, by_id[item_id].dimension, score)
                if relationship != "self" and by_id[item_id].comment_allowed else None,
            )
            for item_id, score in given
        ]  # fmt: skip
        problems = response_problems(rules, response, submit=True)
        assert not problems, problems  # the demo answers as the API would accept
        submitted.append(request_id)
        rows += [
            {
                "request_id": request_id,
                "item_id": item_id,
                "score": score,
                "comment": answer.comment,
            }
            for (item_id, score), answer in zip(given, response, strict=True)
        ]
    if rows:
        await session.execute(insert(Answer), rows)
    now = datetime.now(UTC)
    await session.execute(
        update(Request)
        .where(Request.id.in_(submitted))
        .values(status="submitted", submitted_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Request)
        .where(Request.id.in_(declined))
        .values(status="declined", decline_reason=DECLINE_REASON)
        .execution_options(synchronize_session=False)
    )
    return {"feedback_answers": len(rows)}
