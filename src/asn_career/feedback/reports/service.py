"""Reports: the frozen report, HR's preview of a closed cycle, the cycle summary, and
publishing (closed → published) as the ``feedback.publish`` job.

**Publishing always runs as a job.** ``POST /feedback/cycles/{id}/publish`` checks the
state, records the job and answers 202 with its ``Location``; the job computes every
report of the cycle in one pass (``ReportRepository.load``: a few statements and one binary
COPY of the scores, then numpy), stores them frozen, writes the competency assessments
(source ``feedback_360``) and the current levels as the profiles keep them, moves the cycle
to ``published`` and emits the events, all in one transaction. One code path for every
size: a small cycle's job is done in well under a second, a 10,000-subject one in seconds
(``benchmarks/feedback_bench.py``), and a request never holds a connection that long.

**Events.** ``feedback.cycle.published`` once per cycle (counts only) and
``feedback.report.published`` once per subject (cycle, employee id and NIP: enough to tell
the person their report is ready; never a score).

The cycles helper's ``feedback/cycles/service.py`` owns the other transitions; the publish
transition here reads the same table (``rules.CYCLE_TRANSITIONS["publish"]``).
"""

import functools
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Final

import anyio
import numpy as np
import orjson
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asn_career.core.auth import HR_ROLES, Principal
from asn_career.core.db import unit_of_work
from asn_career.core.errors import Conflict, NotFound
from asn_career.core.i18n import Language
from asn_career.core.jobs.models import Job
from asn_career.core.jobs.runner import JobQueue
from asn_career.core.jobs.service import JobService
from asn_career.core.observability import current_request_id
from asn_career.core.outbox import emit_select
from asn_career.feedback.cycles.service import CycleService
from asn_career.feedback.models import Cycle
from asn_career.feedback.reports import summary as statistics_summary
from asn_career.feedback.reports.analysis import Analysis, analyse
from asn_career.feedback.reports.bodies import BodyBuilder, paused_collector
from asn_career.feedback.reports.pdf import render_report_pdf
from asn_career.feedback.reports.repository import ReportRepository
from asn_career.feedback.reports.schemas import (
    CycleSummaryOut,
    Heatmap,
    Leniency,
    Reliability,
    ReportOut,
)
from asn_career.feedback.rules import CYCLE_TRANSITIONS, RELATIONSHIPS
from asn_career.profiles.histories.repository import HistoryRepository
from asn_career.profiles.histories.rules import today_in_indonesia

PUBLISH_JOB_KIND: Final = "feedback.publish"
REPORT_EVENT: Final = "feedback.report.published"
ASSESSMENT_SOURCE: Final = "feedback_360"
ASSESSMENT_NOTES: Final = (
    "Umpan balik 360°: rata-rata penilai lain setelah kalibrasi, dibulatkan ({cycle})."
)
PROGRESS_BATCH: Final = 2_000

Progress = Callable[[int, int | None], Awaitable[None]]


def _not_closed(cycle: Cycle, doing_en: str, doing_id: str) -> Conflict:
    return Conflict(
        f"The cycle is {cycle.state}: {doing_en} only once it is closed.",
        detail_id=f"Siklus berstatus {cycle.state}: {doing_id} hanya setelah siklus ditutup.",
        code="feedback_cycle_not_closed",
    )


def body_json(body: dict[str, Any]) -> str:
    return orjson.dumps(body).decode()


class ReportService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = ReportRepository(session)

    async def visible_cycle(self, cycle_id: uuid.UUID, *, lock: bool = False) -> Cycle:
        cycle = await self.repository.cycle(self.principal, cycle_id, lock=lock)
        if cycle is None:
            raise NotFound()
        return cycle

    async def analysis(self, cycle: Cycle) -> Analysis:
        return analyse(await self.repository.load(cycle))

    # --- one report -----------------------------------------------------------------------

    async def report_json(self, cycle: Cycle, nip: str) -> str:
        """The report of ``nip`` as JSON text: frozen once published; HR's live preview
        (``preview: true``) of a closed cycle. Nothing while the cycle is open: a preview
        between two responses would let their difference be read."""
        employee_id = await self.repository.subject(self.principal, cycle.id, nip)
        if employee_id is None:
            raise NotFound()
        if cycle.state == "published":
            body = await self.repository.frozen_body(cycle.id, employee_id)
            if body is None:
                raise NotFound()
            return body
        if self.principal.role not in HR_ROLES:
            raise Conflict(
                "The report is not published yet.",
                detail_id="Laporan belum diterbitkan.",
                code="feedback_report_not_published",
            )
        if cycle.state != "closed":
            raise _not_closed(cycle, "a report can be previewed", "laporan dapat dipratinjau")
        analysis = await self.analysis(cycle)
        index = next(
            n for n, s in enumerate(analysis.data.subjects) if s.employee_id == employee_id
        )
        with paused_collector():
            builder = BodyBuilder(analysis, only=[index])
            return body_json(builder.body(index, preview=True, published_at=None))

    async def report_pdf(self, cycle: Cycle, nip: str, language: Language) -> bytes:
        """The same report as a printable PDF, drawn off the event loop (about 0.2 s of
        CPU: charts and text of fifteen dimensions)."""
        report = ReportOut.model_validate_json(await self.report_json(cycle, nip))
        agency_name = await self.repository.agency_name(cycle.agency_code)
        return await anyio.to_thread.run_sync(
            functools.partial(render_report_pdf, report, language, agency_name=agency_name)
        )

    # --- the summary ----------------------------------------------------------------------

    async def summary(self, cycle: Cycle) -> CycleSummaryOut:
        rows = await self.repository.completion(cycle.id)
        units = await self.repository.subjects_by_unit(cycle.id)

        def empty() -> dict[str, int]:
            return {"invited": 0, "submitted": 0, "declined": 0, "open": 0}

        total = empty()
        by_unit: dict[uuid.UUID | None, dict[str, int]] = {u.unit_id: empty() for u in units}
        by_group = {name: empty() for name in RELATIONSHIPS}
        for row in rows:
            column = row.status if row.status in ("submitted", "declined") else "open"
            for counts in (
                total,
                by_unit.setdefault(row.unit_id, empty()),
                by_group[row.relationship],
            ):
                counts["invited"] += row.count
                counts[column] += row.count
        statistics: dict[str, Any] = dict.fromkeys(STATISTICS)
        available = cycle.state in ("closed", "published")
        frozen = (
            await self.repository.frozen_statistics(cycle.id)
            if cycle.state == "published"
            else None
        )
        if frozen is not None:
            statistics = frozen
        elif available:
            statistics = _statistics(await self.analysis(cycle))
        return CycleSummaryOut.model_validate(
            {
                "cycle_id": cycle.id,
                "state": cycle.state,
                "min_group_size": cycle.min_group_size,
                "subjects": sum(int(u.n) for u in units),
                "completion": total,
                "completion_by_unit": [
                    {
                        "unit_id": u.unit_id,
                        "unit_name": u.unit_name,
                        "subjects": int(u.n),
                        **by_unit[u.unit_id],
                    }
                    for u in units
                ],
                "completion_by_group": [
                    {"group": name, **counts}
                    for name, counts in by_group.items()
                    if counts["invited"]
                ],
                "reminders_due": await self.repository.reminders_due(cycle.id, datetime.now(UTC)),
                "statistics_available": available,
                **statistics,
            }
        )

    # --- publishing -----------------------------------------------------------------------

    async def submit_publish(self, queue: JobQueue, cycle_id: uuid.UUID) -> Job:
        """Check the transition and record the publishing job (run once this commits)."""
        cycle = await self.visible_cycle(cycle_id, lock=True)
        _check_publishable(cycle)
        if await self.repository.publish_running(cycle.id):
            raise Conflict(
                "This cycle is being published already; follow the job that does it.",
                detail_id="Siklus ini sedang diterbitkan; ikuti pekerjaan yang sedang berjalan.",
                code="feedback_publish_running",
            )
        params = {"cycle_id": str(cycle.id), "actor": self.principal.as_job_params()}
        return await JobService(self.session, self.principal).submit(
            queue, PUBLISH_JOB_KIND, params, cycle.agency_code
        )

    async def publish(
        self, cycle_id: uuid.UUID, progress: Progress | None = None
    ) -> dict[str, Any]:
        """Closed → published: every report frozen, assessments written, events emitted."""
        cycle = await self.visible_cycle(cycle_id, lock=True)
        _check_publishable(cycle)
        published_at = datetime.now(UTC)
        analysis, bodies = await self.build_reports(cycle, published_at, progress)
        subjects = len(bodies)
        await self.repository.store_reports(cycle.id, bodies, published_at)
        await self.repository.store_statistics(cycle.id, _statistics(analysis), published_at)
        assessments = await self._write_assessments(cycle, analysis)

        reports = len(bodies)
        await CycleService(self.session, self.principal).transition(
            cycle,
            "publish",
            event="feedback.cycle.published",
            at=published_at,
            payload={"reports": reports, "assessments": assessments},
        )
        await emit_select(self.session, REPORT_EVENT, self.repository.report_events(cycle.id))
        if progress is not None:
            await progress(subjects, subjects)
        return {"cycle_id": str(cycle.id), "reports": reports, "assessments": assessments}

    async def build_reports(
        self, cycle: Cycle, published_at: datetime | None, progress: Progress | None = None
    ) -> tuple[Analysis, list[tuple[uuid.UUID, str]]]:
        """Every report of the cycle as JSON text, in one pass: the cycle's data in a few
        statements and one COPY, numpy over all of it, then the bodies."""
        data = await self.repository.load(cycle)
        subjects = len(data.subjects)
        if progress is not None:
            await progress(0, subjects)
        analysis = analyse(data)
        bodies: list[tuple[uuid.UUID, str]] = []
        with paused_collector():
            builder = BodyBuilder(analysis)
            for s, body in builder.bodies(published_at):
                bodies.append((data.subjects[s].employee_id, body_json(body)))
                if progress is not None and (s + 1) % PROGRESS_BATCH == 0:
                    await progress(s + 1, subjects)
        return analysis, bodies

    async def _write_assessments(self, cycle: Cycle, analysis: Analysis) -> int:
        """A ``feedback_360`` assessment per subject and competency dimension that at least
        the cycle's minimum of others rated (a supervisor alone is not a 360° result): the
        others' calibrated mean as the report shows it, rounded half up and clamped to 1–5,
        assessed on the publishing day (Indonesian time); then the current levels, by the
        profiles' own statement."""
        data = analysis.data
        histories = HistoryRepository(self.session)
        competency_ids = await histories.competency_ids(
            [d.code for d in data.dimensions if d.kind == "competency"], cycle.agency_code
        )
        dims = [(d, competency_ids[x.code]) for d, x in enumerate(data.dimensions)
                if x.kind == "competency" and x.code in competency_ids]  # fmt: skip
        if not dims:
            return 0
        columns = np.array([d for d, _ in dims], dtype=np.int64)
        ids = np.array([c for _, c in dims], dtype=np.int64)
        figures = analysis.dimension_overall
        rated = figures.count[:, columns] >= cycle.min_group_size
        calibrated = np.round(np.where(rated, figures.calibrated[:, columns], 3.0), 2)
        levels = np.clip(np.floor(calibrated + 0.5), 1, 5).astype(np.int64)
        s_index, d_index = np.nonzero(rated)
        employees = [data.subjects[s].employee_id for s in s_index.tolist()]
        rows = list(
            zip(employees, ids[d_index].tolist(), levels[s_index, d_index].tolist(), strict=True)
        )
        await self.repository.lock_employees(sorted(set(employees)))
        written = await self.repository.insert_assessments(
            rows,
            assessed_on=today_in_indonesia(),
            notes=ASSESSMENT_NOTES.format(cycle=cycle.name),
            principal=self.principal,
            agency_code=cycle.agency_code,
            request_id=current_request_id(),
        )
        await histories.refresh_current_levels((e, c) for e, c, _ in rows)
        return written


STATISTICS: Final = ("straight_lined", "leniency", "reliability", "heatmap")


def _statistics(analysis: Analysis) -> dict[str, Any]:
    """The summary's statistics, as JSON values (stored frozen when published)."""
    return {
        "straight_lined": statistics_summary.straight_lined(analysis),
        "leniency": Leniency.model_validate(statistics_summary.leniency(analysis)).model_dump(
            mode="json"
        ),
        "reliability": Reliability.model_validate(
            statistics_summary.reliability(analysis)
        ).model_dump(mode="json"),
        "heatmap": Heatmap.model_validate(statistics_summary.heatmap(analysis)).model_dump(
            mode="json"
        ),
    }


def _check_publishable(cycle: Cycle) -> None:
    source, _ = CYCLE_TRANSITIONS["publish"]
    if cycle.state == "published":
        raise Conflict(
            "The cycle is published already; its reports are frozen.",
            detail_id="Siklus sudah diterbitkan; laporannya sudah dibekukan.",
            code="feedback_cycle_published",
        )
    if cycle.state != source:
        raise _not_closed(cycle, "it can be published", "siklus dapat diterbitkan")


async def publish_cycle(
    sessionmaker: async_sessionmaker[AsyncSession],
    params: dict[str, Any],
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The job's work, in one transaction, as the HR officer who asked for it."""
    principal = Principal.from_job_params(params["actor"])
    async with unit_of_work(sessionmaker) as session:
        return await ReportService(session, principal).publish(
            uuid.UUID(str(params["cycle_id"])), progress
        )
