"""The professionalism index of one employee and of an agency (per unit), and its chart."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.errors import NotFound
from asn_career.core.sheets import Download, bytes_download, rows_download
from asn_career.profiles.models import Employee
from asn_career.talent import charts, rules
from asn_career.talent.policy.service import TalentPolicyService
from asn_career.talent.professionalism.repository import ProfessionalismRepository
from asn_career.talent.professionalism.schemas import (
    ProfessionalismAgencyIndexOut,
    ProfessionalismCompetencyOut,
    ProfessionalismDisciplineOut,
    ProfessionalismEmployeeIndexOut,
    ProfessionalismIndexFiguresOut,
    ProfessionalismPerformanceOut,
    ProfessionalismQualificationOut,
    ProfessionalismUnitIndexOut,
)

FILE_COLUMNS = (
    "nip", "name", "unit_code", "unit_name", "qualification", "competency", "performance",
    "discipline", "total", "category",
)  # fmt: skip


class ProfessionalismService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = ProfessionalismRepository(session)
        self.agencies = TalentPolicyService(session, principal)

    async def employee(self, employee: Employee, year: int) -> ProfessionalismEmployeeIndexOut:
        row = await self.repository.employee(employee.agency_code, year, employee.id)
        if row is None:  # retired or dismissed
            raise NotFound()
        missing: list[Any] = []
        if row["level_code"] is None:
            missing.append("qualification")
        if row["predicate"] is None:
            missing.append("performance")
        worst = row["worst"]
        return ProfessionalismEmployeeIndexOut(
            nip=employee.nip,
            name=employee.name,
            year=year,
            total=row["total"],
            category=row["category"],
            category_label=rules.CATEGORY_LABELS[row["category"]],
            qualification=ProfessionalismQualificationOut(
                points=row["qualification"], education_level=row["level_code"]
            ),
            competency=ProfessionalismCompetencyOut(
                points=row["competency"],
                leadership=row["leadership"],
                functional=row["functional"],
                technical=row["technical"],
                seminar=row["seminar"],
                position_kind=row["kind"],
                technical_jp=row["technical_jp"],
                seminars=row["seminars"],
            ),
            performance=ProfessionalismPerformanceOut(
                points=row["performance"],
                score=row["score"],
                predicate=row["predicate"],
                from_predicate=row["score"] is None and row["predicate"] is not None,
            ),
            discipline=ProfessionalismDisciplineOut(
                points=row["discipline"],
                heaviest_sanction=rules.SEVERITY_ORDER[worst - 1] if worst else None,
            ),
            missing=missing,
        )

    async def agency(self, code: str, year: int) -> ProfessionalismAgencyIndexOut:
        code = await self.agencies.agency(code)
        row = await self.repository.aggregate(code, year)
        return ProfessionalismAgencyIndexOut(
            agency_code=code,
            year=year,
            agency=ProfessionalismIndexFiguresOut.model_validate(row.agency),
            units=[ProfessionalismUnitIndexOut.model_validate(u) for u in row.units],
        )

    async def agency_file(self, code: str, year: int, fmt: str) -> Download:
        """Every employee's index (by NIP) as a CSV or XLSX file; the category as its
        Indonesian label."""
        code = await self.agencies.agency(code)
        rows = await self.repository.per_employee(code, year)
        cells = [
            (r.nip, r.name, r.unit_code, r.unit_name, r.qualification, r.competency,
             r.performance, r.discipline, r.total, rules.CATEGORY_LABELS[r.category])
            for r in rows
        ]  # fmt: skip
        return await rows_download(
            f"professionalism-index-{code}-{year}.{fmt}", "IP ASN", FILE_COLUMNS, cells, fmt
        )

    async def agency_svg(self, code: str, year: int) -> Download:
        out = await self.agency(code, year)
        svg = charts.category_distribution_svg(
            {str(k): v for k, v in out.agency.categories.items()},
            title=f"Indeks Profesionalitas ASN {out.agency_code} — {year}",
            mean=float(out.agency.mean) if out.agency.mean is not None else None,
        )
        return bytes_download(
            f"professionalism-index-{out.agency_code}-{year}.svg", charts.SVG_MEDIA_TYPE, svg
        )
