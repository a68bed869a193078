"""Several agencies' career evaluations side by side, as JSON, a CSV/XLSX file, or a PDF
report with charts (``reports.pdf``)."""

import functools
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.errors import NotFound, field_problem
from asn_career.core.pagination import PageRequest
from asn_career.core.sheets import (
    Download,
    rows_download,
)
from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.talent import charts
from asn_career.talent.evaluation.service import EvaluationService
from asn_career.talent.ninebox.service import NineBoxService
from asn_career.talent.professionalism.service import ProfessionalismService
from asn_career.talent.reports.pdf import TalentCharts, render_evaluation_pdf
from asn_career.talent.reports.schemas import FILE_COLUMNS, CareerEvaluationReportOut

_CODE = AGENCY_CODE_PATTERN.removeprefix("^").removesuffix("$")
AGENCIES_PATTERN: Final = f"^{_CODE}(,{_CODE})*$"
"""``agencies``: agency codes separated by commas."""

MAX_AGENCIES: Final = 12
"""Agencies one report puts side by side (one page of columns)."""


def parse_agencies(raw: str | None) -> list[str] | None:
    """``a,b,c`` → the codes, in order, without repeats; None for every visible agency."""
    if raw is None or not raw.strip():
        return None
    codes: list[str] = []
    for part in raw.split(","):
        code = part.strip()
        if not re.fullmatch(AGENCY_CODE_PATTERN, code):
            raise field_problem(
                ["query", "agencies"],
                f"{code!r} is not an agency code",
                f"{code!r} bukan kode instansi",
                "agency_code",
            )
        if code not in codes:
            codes.append(code)
    return codes


class EvaluationReportService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.evaluations = EvaluationService(session, principal)

    async def report(self, year: int, agencies: list[str] | None) -> CareerEvaluationReportOut:
        """An agency named but not visible to the caller is a 404, as an unknown one is;
        without names, every agency the caller may see."""
        names = await self.evaluations.visible_agencies(agencies)
        if agencies is not None and len(names) < len(agencies):
            raise NotFound()
        if len(names) > MAX_AGENCIES:
            raise field_problem(
                ["query", "agencies"],
                f"at most {MAX_AGENCIES} agencies side by side: name them in `agencies`",
                f"paling banyak {MAX_AGENCIES} instansi berdampingan: sebutkan di `agencies`",
                "too_many_agencies",
            )
        order = agencies or sorted(names)
        out = []
        for code in order:
            out.append(await self.evaluations.evaluate(code, names[code], year))
        return CareerEvaluationReportOut(year=year, agencies=out)

    async def report_file(self, year: int, agencies: list[str] | None, fmt: str) -> Download:
        report = await self.report(year, agencies)
        rows: list[Sequence[Any]] = []
        for a in report.agencies:
            for f in a.figures:
                rows.append((a.agency_code, a.agency_name, year, "figure", "", f.code, f.name_id,
                             f.value, f.previous_value, f.trend))  # fmt: skip
            for aspect in a.merit:
                if not aspect.has_data:
                    rows.append((a.agency_code, a.agency_name, year, "merit", aspect.code, "",
                                 aspect.name_id, None, None, "no_data"))  # fmt: skip
                for i in aspect.indicators:
                    rows.append((a.agency_code, a.agency_name, year, "merit", aspect.code,
                                 i.code, i.text_id, i.value, None, i.verdict))  # fmt: skip
        return await rows_download(
            f"evaluasi-karier-{year}.{fmt}", "evaluasi", FILE_COLUMNS, rows, fmt
        )

    async def report_pdf(self, year: int, agencies: list[str] | None) -> bytes:
        report = await self.report(year, agencies)
        printed = datetime.now(UTC)
        talent = {a.agency_code: await self._talent_charts(a.agency_code, a.agency_name, year)
                  for a in report.agencies}  # fmt: skip
        return await anyio.to_thread.run_sync(
            functools.partial(render_evaluation_pdf, report, printed, talent)
        )

    async def _talent_charts(self, code: str, name: str, year: int) -> TalentCharts:
        """The 9-box grid and the IP ASN distribution of the agency, as the talent
        package draws them (``talent.charts``): of the report's year, or of the year
        before when no one has a box yet (the year's SKP not in), which the page says."""
        nine_box = NineBoxService(self.session, self.principal)
        boxes = await nine_box.agency_view(code, year, None, None, PageRequest(limit=1))
        if not any(b.count for b in boxes.boxes):
            earlier = await nine_box.agency_view(code, year - 1, None, None, PageRequest(limit=1))
            if any(b.count for b in earlier.boxes):
                boxes, year = earlier, year - 1
        index = await ProfessionalismService(self.session, self.principal).agency(code, year)
        nine = charts.nine_box_svg(
            {b.box: b.count for b in boxes.boxes},
            title=f"9-box {name} {year}",
            no_box=sum(i.count for i in boxes.insufficient_data),
        )
        mean = index.agency.mean
        ip = charts.category_distribution_svg(
            {str(k): v for k, v in index.agency.categories.items()},
            title=f"Indeks Profesionalitas ASN {year}",
            mean=float(mean) if mean is not None else None,
        )
        return TalentCharts(nine_box_svg=nine, index_svg=ip, employees=boxes.employees, year=year)
