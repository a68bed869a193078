"""Demo data of training, made through the training services so it passes every rule the
API applies: per agency a course catalogue for this year (the SPBE course among them), the
same core courses as run last year with their participants (most completed, so their
trainings are in the profiles' histories; one cancelled, one absent), and employees'
requests, some endorsed by HR and some rejected with a reason; and a few individual
development plans drafted from the needs, the 360° reports and interests, every other one
approved by the employee's direct supervisor. A new user can draft a plan at once
(``POST /training/plans``, ``POST /employees/{nip}/development-plans/draft``)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Final

from sqlalchemy import func, select

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.demo.base import Agency, DomainGenerator
from asn_career.feedback.models import Report
from asn_career.profiles.models import Employee
from asn_career.training.courses.schemas import CourseCompetencyIn, CourseCreate
from asn_career.training.courses.service import CourseService
from asn_career.training.development_plans.schemas import DevelopmentPlanDraftRequest
from asn_career.training.development_plans.service import DevelopmentPlanService
from asn_career.training.enrolments.schemas import EnrolmentComplete, EnrolmentCreate
from asn_career.training.enrolments.service import EnrolmentService
from asn_career.training.needs.service import NeedsService
from asn_career.training.requests.schemas import TrainingRequestCreate, TrainingRequestDecision
from asn_career.training.requests.service import TrainingRequestService


@dataclass(frozen=True)
class DemoCourse:
    code: str
    title: str
    form: str
    provider: str
    hours_jp: int
    cost_per_participant: int
    fixed_cost_per_batch: int
    min_participants: int
    max_participants: int
    lifts: tuple[tuple[str, int], ...]
    month: int
    """The month it starts; it runs ``days`` days."""
    days: int
    eligible_position_kinds: tuple[str, ...] = ()
    ran_last_year: bool = False


CATALOGUE: tuple[DemoCourse, ...] = (
    DemoCourse("SPBE", "Pelatihan Sistem Pemerintahan Berbasis Elektronik (SPBE) dan Aplikasi "
               "Umum", "training", "Kementerian PANRB", 24, 1_500_000, 6_000_000, 10, 30,
               (("T.6", 3),), 3, 3, ran_last_year=True),
    DemoCourse("SIASN", "Bimbingan Teknis Manajemen ASN dan Pemutakhiran Data SIASN",
               "technical_guidance", "Kantor Regional BKN", 16, 750_000, 3_000_000, 8, 40,
               (("T.2", 3),), 4, 2, ran_last_year=True),
    DemoCourse("RENGGAR", "Pelatihan Perencanaan dan Penganggaran Daerah (SIPD)", "training",
               "BPSDM Provinsi", 32, 2_000_000, 8_000_000, 10, 30, (("T.3", 3),), 5, 4,
               ran_last_year=True),
    DemoCourse("PBJ", "Pelatihan Pengadaan Barang/Jasa Pemerintah Tingkat Dasar", "training",
               "LKPP", 40, 2_500_000, 5_000_000, 10, 35, (("T.9", 3),), 6, 5),
    DemoCourse("HUKUM", "Pelatihan Penyusunan Produk Hukum Daerah", "training",
               "Kanwil Kementerian Hukum", 24, 1_750_000, 4_000_000, 8, 25, (("T.1", 3),), 7, 3),
    DemoCourse("APIP", "Pelatihan Pengawasan Intern bagi APIP", "training", "BPKP Perwakilan",
               30, 2_250_000, 5_000_000, 8, 25, (("T.7", 3),), 8, 4),
    DemoCourse("LAYANAN", "E-learning Pelayanan Publik Prima", "e_learning", "LAN (ASN Unggul)",
               10, 150_000, 0, 1, 500, (("M.5", 3),), 2, 30, ran_last_year=True),
    DemoCourse("KOMUNIKASI", "Seminar Komunikasi Efektif di Lingkungan Kerja", "seminar",
               "BKPSDM", 8, 250_000, 2_000_000, 20, 100, (("M.3", 3),), 9, 1),
    DemoCourse("COACHING", "Coaching Pengambilan Keputusan bagi Pejabat Pengawas", "coaching",
               "BKPSDM", 12, 1_000_000, 0, 1, 10, (("M.8", 4),), 10, 30,
               eligible_position_kinds=("pengawas", "administrator")),
    DemoCourse("PKP", "Pelatihan Kepemimpinan Pengawas (PKP)", "training", "BPSDM Provinsi",
               120, 18_000_000, 0, 10, 30, (("M.1", 4), ("M.2", 4), ("M.4", 4)), 5, 60,
               eligible_position_kinds=("pengawas",)),
)  # fmt: skip

REQUESTS: tuple[tuple[str | None, str | None, str, str], ...] = (
    # course code, free topic, competency, why
    ("SPBE", None, "T.6", "Unit kami mulai memakai aplikasi umum SPBE tahun ini dan saya belum "
     "pernah mendapat pelatihannya."),
    ("SIASN", None, "T.2", "Saya mengelola data kepegawaian dan perlu memahami pemutakhiran "
     "data di SIASN."),
    (None, "Pengelolaan arsip elektronik SRIKANDI", "T.6", "Persuratan kantor kami beralih ke "
     "SRIKANDI dan belum ada yang dilatih."),
    ("PBJ", None, "T.9", "Saya ditunjuk menjadi pejabat pengadaan tetapi belum bersertifikat."),
    (None, "Analisis data kepegawaian dengan spreadsheet", "T.2", "Untuk menyusun laporan "
     "kebutuhan pegawai yang selama ini dikerjakan manual."),
)  # fmt: skip
PLANS_FROM_360: Final = 1
PLANS_FOR_NEEDS: Final = 2
REJECTION = "Anggaran pelatihan tahun ini sudah teralokasi; diusulkan kembali tahun depan."


class TrainingGenerator(DomainGenerator):
    reference_tables: ClassVar[tuple[str, ...]] = (
        "training_courses",
        "training_course_competencies",
        "training_enrolments",
        "training_requests",
        "training_development_plans",
        "training_development_plan_needs",
        "training_development_plan_activities",
    )

    async def after_load_agency(self, sessionmaker: Any, agency: Agency) -> dict[str, int]:
        code = agency.region.code
        rng = random.Random(f"{self.demo.seed}:training:{code}")  # noqa: S311 - demo data
        hr = Principal(subject="demo-hr", role=Role.HR_OFFICER, agencies=frozenset({code}))
        year = self.demo.as_of.year
        async with unit_of_work(sessionmaker) as session:
            staff = await _staff(session, code, appointed_before=date(year - 1, 1, 1))
            if not staff:
                return {}
            courses = CourseService(session, hr)
            current: dict[str, Any] = {}
            for course in CATALOGUE:
                current[course.code] = await courses.create(_course(code, course, year))
            last_year = [
                await courses.create(_course(code, course, year - 1))
                for course in CATALOGUE
                if course.ran_last_year
            ]
            enrolments = EnrolmentService(session, hr)
            enrolled = 0
            for offered in last_year:
                start = offered.starts_on or date(year - 1, 1, 1)
                people = rng.sample(staff, min(len(staff), rng.randint(6, 12)))
                for n, nip in enumerate(people):
                    row = await enrolments.create(
                        EnrolmentCreate(course_id=offered.id, nip=nip, year=year - 1)
                    )
                    enrolled += 1
                    entry = await enrolments.get(row.id)
                    if n == 0:
                        await enrolments.cancel(entry)
                        continue
                    entry = await enrolments.get((await enrolments.enrol(entry)).id)
                    if n == 1:
                        await enrolments.no_show(entry)
                        continue
                    await enrolments.complete(
                        entry,
                        EnrolmentComplete(
                            completed_on=offered.ends_on or start,
                            certificate_number=f"{offered.code}/{n:03d}",
                        ),
                    )
            requests = TrainingRequestService(session, hr)
            asked = 0
            for n, (course_code, topic, competency, why) in enumerate(REQUESTS * 2):
                request = await requests.create(
                    TrainingRequestCreate(
                        nip=rng.choice(staff),
                        course_id=current[course_code].id if course_code else None,
                        topic=topic,
                        competency=competency,
                        reason=why,
                        year=year,
                    )
                )
                asked += 1
                if n % 3 == 0:
                    await requests.decide(request, True, TrainingRequestDecision())
                elif n % 3 == 1:
                    await requests.decide(request, False, TrainingRequestDecision(reason=REJECTION))
            drafted = await _development_plans(session, hr, staff, year)
        return {
            "training_courses": len(CATALOGUE) + len(last_year),
            "training_enrolments": enrolled,
            "training_requests": asked,
            "training_development_plans": drafted,
        }


def _course(agency_code: str, course: DemoCourse, year: int) -> CourseCreate:
    starts = date(year, course.month, 5)
    return CourseCreate(
        agency_code=agency_code,
        code=f"{course.code}-{year}",
        title=f"{course.title} Tahun {year}",
        form=course.form,
        provider=course.provider,
        hours_jp=Decimal(course.hours_jp),
        cost_per_participant=Decimal(course.cost_per_participant),
        fixed_cost_per_batch=Decimal(course.fixed_cost_per_batch),
        min_participants=course.min_participants,
        max_participants=course.max_participants,
        starts_on=starts,
        ends_on=starts + timedelta(days=course.days - 1),
        eligible_position_kinds=list(course.eligible_position_kinds),
        competencies=[CourseCompetencyIn(code=c, target_level=lvl) for c, lvl in course.lifts],
        reassess_on_completion=True,
    )


async def _staff(session: Any, agency_code: str, *, appointed_before: date) -> list[str]:
    """Active employees with a position, appointed before last year (so last year's
    trainings fall after their appointment), in NIP order."""
    rows = await session.scalars(
        select(Employee.nip)
        .where(
            Employee.agency_code == agency_code,
            Employee.status == "active",
            Employee.position_id.is_not(None),
            Employee.appointment_date < appointed_before,
        )
        .order_by(Employee.nip)
        .limit(400)
    )
    return list(rows)


async def _development_plans(session: Any, hr: Principal, staff: list[str], year: int) -> int:
    """Plans drafted as HR drafts them: for an employee whose published 360° report suggests
    what to develop, and for those with the most pressing needs (the needs computation's
    priorities summed); every other one approved by the employee's direct supervisor (by HR
    when nobody holds the superior position)."""
    agency = next(iter(hr.agencies))
    rated = list(
        await session.scalars(
            select(Employee.id)
            .join(Report, Report.subject_employee_id == Employee.id)
            .where(
                Employee.agency_code == agency,
                Employee.nip.in_(staff),
                func.jsonb_array_length(Report.body["develop_next"]) > 0,
            )
            .order_by(Employee.nip)
            .limit(PLANS_FROM_360)
        )
    )
    pressing: dict[Any, float] = {}
    for need in await NeedsService(session, hr).for_plan(agency, year):
        pressing[need.employee_id] = pressing.get(need.employee_id, 0.0) + need.priority
    ranked = sorted(pressing, key=lambda e: (-pressing[e], str(e)))
    chosen = rated + [e for e in ranked if e not in rated][:PLANS_FOR_NEEDS]
    employees = {
        e.id: e for e in await session.scalars(select(Employee).where(Employee.id.in_(chosen)))
    }
    plans = DevelopmentPlanService(session, hr)
    for n, employee_id in enumerate(chosen):
        plan = await plans.draft(employees[employee_id], DevelopmentPlanDraftRequest(year=year))
        if n % 2 == 1:
            continue
        supervisor = await plans.supervisor_nip(employee_id)
        approver = (
            Principal(subject=supervisor, role=Role.SUPERVISOR, agencies=hr.agencies)
            if supervisor is not None
            else hr
        )
        await DevelopmentPlanService(session, approver).approve(plan)
    return len(chosen)
