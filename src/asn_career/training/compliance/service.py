"""The yearly 20 JP: JP per active employee of an agency from the training history, who is
below the minimum, coverage per unit, and the trend against the year before; as a JSON
page with the aggregate figures, or the whole list as a CSV or XLSX file."""

import os
from collections.abc import AsyncGenerator, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest
from asn_career.core.sheets import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    Download,
    csv_body,
    file_chunks,
    spool_xlsx,
)
from asn_career.org.service import AgencyService
from asn_career.training.compliance.repository import ComplianceRepository, Row
from asn_career.training.compliance.schemas import (
    FILE_COLUMNS,
    ComplianceOut,
    EmployeeCompliance,
    Trend,
    UnitCompliance,
    YearFigures,
)
from asn_career.training.rules import MIN_JP_PER_YEAR

BATCH = 1000


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _employee(row: Row) -> EmployeeCompliance:
    return EmployeeCompliance(
        nip=row.nip,
        name=row.name,
        unit_id=row.unit_id,
        unit_code=row.unit_code,
        unit_name=row.unit_name,
        jp=row.jp,
        previous_jp=row.previous_jp,
        below_minimum=row.jp < MIN_JP_PER_YEAR,
        shortfall_jp=max(0.0, MIN_JP_PER_YEAR - row.jp),
    )


def _cells(row: Row) -> tuple[Any, ...]:
    out = _employee(row)
    return (out.nip, out.name, out.unit_code, out.unit_name, out.jp, out.previous_jp,
            out.below_minimum, out.shortfall_jp)  # fmt: skip


class ComplianceService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = ComplianceRepository(session)

    async def agency(self, agency: str | None) -> str:
        return await AgencyService(self.session, self.principal).resolve(agency)

    async def report(
        self, agency: str, year: int, below_only: bool, page: PageRequest
    ) -> ComplianceOut:
        totals = await self.repository.totals(self.principal, agency, year)
        n = int(totals["employees"])
        figures = YearFigures(
            employees=n,
            below_minimum=int(totals["below"]),
            coverage=_share(n - int(totals["below"]), n),
            total_jp=totals["total_jp"],
            mean_jp=round(totals["total_jp"] / n, 2) if n else 0.0,
        )
        previous = YearFigures(
            employees=n,
            below_minimum=int(totals["previous_below"]),
            coverage=_share(n - int(totals["previous_below"]), n),
            total_jp=totals["previous_total_jp"],
            mean_jp=round(totals["previous_total_jp"] / n, 2) if n else 0.0,
        )
        units = [
            UnitCompliance(
                unit_id=u.unit_id,
                unit_code=u.unit_code,
                unit_name=u.unit_name,
                employees=u.employees,
                below_minimum=u.below,
                coverage=_share(u.employees - u.below, u.employees),
                previous_coverage=_share(u.employees - u.previous_below, u.employees),
                mean_jp=round(u.total_jp / u.employees, 2) if u.employees else 0.0,
            )
            for u in await self.repository.units(self.principal, agency, year)
        ]
        units.sort(key=lambda u: (u.coverage, u.unit_code or ""))
        rows, cursor = await self.repository.page(self.principal, agency, year, below_only, page)
        return ComplianceOut(
            agency_code=agency,
            year=year,
            min_jp=MIN_JP_PER_YEAR,
            figures=figures,
            previous=previous,
            trend=Trend(
                coverage_change=round(figures.coverage - previous.coverage, 4),
                mean_jp_change=round(figures.mean_jp - previous.mean_jp, 2),
                below_minimum_change=figures.below_minimum - previous.below_minimum,
            ),
            units=units,
            items=[_employee(r) for r in rows],
            next_cursor=cursor,
        )

    async def file(self, agency: str, year: int, below_only: bool, fmt: str) -> Download:
        """Every employee of the report, one row each (the list is read in one query)."""
        rows = await self.repository.everyone(self.principal, agency, year)
        if below_only:
            rows = [r for r in rows if r.jp < MIN_JP_PER_YEAR]
        done = 0

        async def batches() -> AsyncGenerator[Sequence[Sequence[Any]]]:
            nonlocal done
            for start in range(0, len(rows), BATCH):
                chunk = [_cells(r) for r in rows[start : start + BATCH]]
                done += len(chunk)
                yield chunk

        name = f"compliance-{agency}-{year}.{fmt}"
        if fmt == "csv":
            return Download(name, CSV_MEDIA_TYPE, csv_body(FILE_COLUMNS, batches()))
        spooled = await spool_xlsx("compliance", FILE_COLUMNS, batches(), lambda: done)
        size = os.fstat(spooled.fileno()).st_size
        return Download(name, XLSX_MEDIA_TYPE, file_chunks(spooled), size)
