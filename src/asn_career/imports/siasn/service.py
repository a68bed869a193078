"""Sync employees from SIASN through OUR services, so the same rules, audit trail and
outbox events apply as for the API.

``sync_employee`` fetches ``data-utama`` and the histories, maps them (``siasn_mapping``),
creates or updates the employee, and adds the history records we do not have yet
(matched by natural key: education level and year, training title and start, SKP year and
period, assignment start). Each history record is written in a savepoint, so one that our
rules refuse (an overlap, an unknown position) is reported and the rest still land. It
flushes only; the caller's unit of work commits.

``sync_agency`` is THE agency sync, run by the ``siasn.sync`` job and by ``asn-career siasn
sync`` alike: every employee of the agency we hold (or the NIPs given, new ones included),
each in a transaction of its own, so one refused record never undoes the others and a
re-run after a failure changes nothing that already landed.
"""

import functools
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.core.errors import AppError, NotFound, ValidationProblem
from asn_career.imports.siasn import mapping
from asn_career.imports.siasn.client import SiasnClient, SiasnError
from asn_career.imports.siasn.repository import SiasnRepository
from asn_career.profiles.employees.service import EmployeeService
from asn_career.profiles.histories.service import (
    AssignmentService,
    EducationService,
    PerformanceService,
    TrainingService,
)
from asn_career.profiles.models import Employee


@dataclass
class SyncReport:
    nip: str
    created: bool = False
    changed_fields: list[str] = field(default_factory=list)
    added: dict[str, int] = field(
        default_factory=lambda: {"education": 0, "trainings": 0, "performance": 0, "assignments": 0}
    )
    unchanged: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    def problem(self, source: str, index: int | None, where: str, message: str) -> None:
        self.problems.append({"source": source, "index": index, "field": where, "message": message})


def _refusal(report: SyncReport, source: str, index: int, exc: AppError) -> None:
    message = exc.detail or exc.code
    where = ""
    if exc.errors:
        where = ".".join(str(p) for p in exc.errors[0].get("loc", [])[1:])
    report.problem(source, index, where, str(message))


def _invalid_siasn(exc: Exception) -> ValidationProblem:
    if isinstance(exc, ValidationError):
        errors = [
            {
                "loc": ["siasn", "data-utama", *[str(p) for p in err["loc"]]],
                "msg": err["msg"],
                "type": err["type"],
            }
            for err in exc.errors()
        ]
    elif isinstance(exc, mapping.SiasnMappingError):
        errors = [{"loc": ["siasn", "data-utama", exc.field], "msg": exc.message, "type": "siasn"}]
    else:
        errors = []
    return ValidationProblem(
        "The SIASN record cannot become a valid profile.",
        detail_id="Data SIASN tidak dapat menjadi profil yang valid.",
        errors=errors,
    )


_ATTRIBUTE = {"rank": "rank_code", "agency": "agency_code"}


def _agency_for(principal: Principal, agency: str | None) -> str:
    if agency is not None:
        return agency
    if len(principal.agencies) == 1:
        return next(iter(principal.agencies))
    raise ValidationProblem(
        "Say which agency the employee belongs to.",
        detail_id="Sebutkan instansi pegawai.",
        errors=[
            {
                "loc": ["agency"],
                "msg": "agency is required",
                "type": "missing",
                "msg_id": "wajib diisi",
            }
        ],
    )


async def sync_employee(
    session: AsyncSession,
    principal: Principal,
    client: SiasnClient,
    nip: str,
    *,
    agency: str | None = None,
) -> SyncReport:
    """Fetch ``nip`` from SIASN and upsert it with its histories; see the module doc."""
    report = SyncReport(nip=nip)
    employees = EmployeeService(session, principal)
    lookups = SiasnRepository(session)

    data = await client.data_utama(nip)
    try:
        existing: Employee | None = await employees.get_visible(nip)
    except NotFound:
        existing = None
    target_agency = existing.agency_code if existing else _agency_for(principal, agency)
    try:
        mapped = mapping.employee_from_data_utama(data, target_agency)
    except (ValidationError, mapping.SiasnMappingError) as exc:
        raise _invalid_siasn(exc) from exc
    if mapped.create.nip != nip:
        raise _invalid_siasn(mapping.SiasnMappingError("nipBaru", mapped.create.nip, "another NIP"))

    unit_id = None
    if mapped.unit_name:
        unit_id = await lookups.unit_id_by_name(target_agency, mapped.unit_name)
        if unit_id is None:
            report.problem("data-utama", None, "unorNama", f"no unit {mapped.unit_name!r}")

    if existing is None:
        create = mapped.create.model_copy(update={"unit_id": unit_id})
        employee = await employees.create(create)
        report.created = True
    else:
        update = mapping.employee_update(mapped.create, unit_id)
        attributes = {name: _ATTRIBUTE.get(name, name) for name in update.model_fields_set}
        before = {name: getattr(existing, attr) for name, attr in attributes.items()}
        employee = await employees.update(existing, update)
        report.changed_fields = sorted(
            name for name, attr in attributes.items() if getattr(employee, attr) != before[name]
        )

    await _education(session, principal, client, employee, lookups, report)
    await _trainings(session, principal, client, employee, lookups, report)
    await _performance(session, principal, client, employee, lookups, report)
    await _assignments(session, principal, client, employee, lookups, report)
    return report


def _mapping_problems(report: SyncReport, problems: list[mapping.MappingProblem]) -> None:
    for p in problems:
        report.problem(p.source, p.index, p.field, p.message)


NewRecord = tuple[int, Hashable, Callable[[], Awaitable[object]]]
"""A SIASN record: its index in SIASN's list, its key among ours, and how to create it."""


async def _add_new(
    session: AsyncSession,
    report: SyncReport,
    source: str,
    counter: str,
    have: set[Any],
    records: Iterable[NewRecord],
) -> None:
    """Create the records we do not hold yet, each in a savepoint: one our rules refuse is
    reported and the others still go in."""
    for index, key, create in records:
        if key in have:
            report.unchanged += 1
            continue
        try:
            async with session.begin_nested():
                await create()
        except AppError as exc:
            _refusal(report, source, index, exc)
            continue
        except ValidationError as exc:
            report.problem(source, index, "", str(exc.errors()[0]["msg"]))
            continue
        have.add(key)
        report.added[counter] += 1


async def _education(
    session: AsyncSession,
    principal: Principal,
    client: SiasnClient,
    employee: Employee,
    lookups: SiasnRepository,
    report: SyncReport,
) -> None:
    mapped = mapping.education(await client.rw_pendidikan(employee.nip))
    _mapping_problems(report, mapped.problems)
    create = functools.partial(EducationService(session, principal).create, employee)
    records = [
        (i, (item.level, item.graduation_year), functools.partial(create, item))
        for i, item in enumerate(mapped.items)
    ]
    have = await lookups.education_keys(employee.id)
    await _add_new(session, report, "rw-pendidikan", "education", have, records)


async def _trainings(
    session: AsyncSession,
    principal: Principal,
    client: SiasnClient,
    employee: Employee,
    lookups: SiasnRepository,
    report: SyncReport,
) -> None:
    mapped = mapping.trainings(
        await client.rw_kursus(employee.nip), await client.rw_diklat(employee.nip)
    )
    _mapping_problems(report, mapped.problems)
    create = functools.partial(TrainingService(session, principal).create, employee)
    records = [
        (i, (item.title.strip().lower(), item.start_date), functools.partial(create, item))
        for i, item in enumerate(mapped.items)
    ]
    have = await lookups.training_keys(employee.id)
    await _add_new(session, report, "rw-kursus", "trainings", have, records)


async def _performance(
    session: AsyncSession,
    principal: Principal,
    client: SiasnClient,
    employee: Employee,
    lookups: SiasnRepository,
    report: SyncReport,
) -> None:
    mapped = mapping.performance(await client.rw_skp(employee.nip))
    _mapping_problems(report, mapped.problems)
    for index, item in enumerate(mapped.items):
        if not item.agrees:
            report.problem(
                "rw-skp",
                index,
                "kuadranKinerja",
                f"SIASN says {item.siasn_quadrant!r}; the matrix gives another predicate",
            )
    create = functools.partial(PerformanceService(session, principal).create, employee)
    records = [
        (i, (item.create.year, item.create.period), functools.partial(create, item.create))
        for i, item in enumerate(mapped.items)
    ]
    have = await lookups.performance_keys(employee.id)
    await _add_new(session, report, "rw-skp", "performance", have, records)


async def _assignments(
    session: AsyncSession,
    principal: Principal,
    client: SiasnClient,
    employee: Employee,
    lookups: SiasnRepository,
    report: SyncReport,
) -> None:
    drafts, problems = mapping.assignments(await client.rw_jabatan(employee.nip))
    _mapping_problems(report, problems)
    have = await lookups.assignment_starts(employee.id)
    create = functools.partial(AssignmentService(session, principal).create, employee)
    records: list[NewRecord] = []
    for draft in drafts:
        if draft.start_date in have:
            report.unchanged += 1
            continue
        position_id = await lookups.position_id_by_title(
            employee.agency_code, draft.position_title, draft.unit_name
        )
        if position_id is None:
            report.problem(
                "rw-jabatan",
                draft.index,
                "namaJabatan",
                f"no position {draft.position_title!r} in {employee.agency_code}",
            )
            continue
        # The draft is built inside the savepoint: a schema error is this record's problem.
        records.append(
            (draft.index, draft.start_date, _deferred(create, draft.create, position_id))
        )
    await _add_new(session, report, "rw-jabatan", "assignments", have, records)


def _deferred(
    create: Callable[[Any], Awaitable[object]], build: Callable[[Any], Any], argument: Any
) -> Callable[[], Awaitable[object]]:
    async def run() -> object:
        return await create(build(argument))

    return run


# --- a whole agency --------------------------------------------------------------------------

SYNC_JOB_KIND = "siasn.sync"
MAX_REPORTED = 100
"""Failures and problems listed in a result (all are counted): an agency has thousands."""

ProgressCallback = Callable[[int, int], Awaitable[None]]


def sync_principal(agency: str) -> Principal:
    """Who an agency sync acts as (and the audit trail names): an integration scoped to that
    one agency, so an employee recorded under another agency is never taken over."""
    return Principal(subject="siasn-sync", role=Role.INTEGRATION, agencies=frozenset({agency}))


@dataclass
class AgencySyncResult:
    agency: str
    total: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    added: dict[str, int] = field(
        default_factory=lambda: {"education": 0, "trainings": 0, "performance": 0, "assignments": 0}
    )
    problem_count: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def add(self, report: SyncReport) -> None:
        if report.created:
            self.created += 1
        elif report.changed_fields:
            self.updated += 1
        else:
            self.unchanged += 1
        for name, count in report.added.items():
            self.added[name] += count
        self.problem_count += len(report.problems)
        room = MAX_REPORTED - len(self.problems)
        self.problems.extend({"nip": report.nip, **p} for p in report.problems[:room])

    def fail(self, nip: str, message: str) -> None:
        self.failed += 1
        if len(self.failures) < MAX_REPORTED:
            self.failures.append({"nip": nip, "message": message})

    def as_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "total": self.total,
            "synced": self.created + self.updated + self.unchanged,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "added": dict(self.added),
            "problem_count": self.problem_count,
            "failures": list(self.failures),
            "problems": list(self.problems),
        }


async def sync_agency(
    sessionmaker: async_sessionmaker[AsyncSession],
    client: SiasnClient,
    agency: str,
    nips: Sequence[str] = (),
    on_progress: ProgressCallback | None = None,
) -> AgencySyncResult:
    """Sync ``nips`` (default: every employee of ``agency`` we hold) one by one, reporting
    progress after each. A NIP that fails (unknown in SIASN, refused by our rules) is
    counted and listed; the office's credentials being refused ends the run."""
    async with unit_of_work(sessionmaker) as session:
        lookups = SiasnRepository(session)
        if not await lookups.agency_exists(agency):
            raise NotFound(
                f"Agency {agency} does not exist.", detail_id=f"Instansi {agency} tidak ada."
            )
        targets = list(dict.fromkeys(nips)) if nips else await lookups.agency_nips(agency)
    result = AgencySyncResult(agency=agency, total=len(targets))
    principal = sync_principal(agency)
    if on_progress is not None:
        await on_progress(0, result.total)
    for done, nip in enumerate(targets, start=1):
        try:
            async with unit_of_work(sessionmaker) as session:
                report = await sync_employee(session, principal, client, nip, agency=agency)
        except SiasnError as exc:
            if exc.path is None:  # a token refused: every other NIP would fail the same way
                raise
            result.fail(nip, exc.message)
        except AppError as exc:
            result.fail(nip, exc.detail or exc.code)
        except ValueError as exc:  # not a NIP
            result.fail(nip, str(exc))
        else:
            result.add(report)
        if on_progress is not None:
            await on_progress(done, result.total)
    return result
