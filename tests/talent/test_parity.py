"""One definition each of the 9-box and of the professionalism index: hypothesis sends the
same generated rows through the repositories' SQL and through ``talent.rules``, and both
must give the same box (or reason) and the same points (as
``tests/profiles/histories/test_current_level.py`` pins the current level)."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asn_career.feedback.models import Cycle, Report
from asn_career.profiles.models import (
    Assignment,
    CompetencyAssessment,
    Education,
    Employee,
    Performance,
    Sanction,
    Training,
)
from asn_career.talent import rules
from asn_career.talent.ninebox.repository import NineBoxRepository
from asn_career.talent.professionalism.repository import ProfessionalismRepository
from tests.conftest import AGENCY_A
from tests.talent.world import POSITIONS, RATING, REQUIRED, YEAR, World, talent_world

PREDICATES = tuple(rules.PREDICATE_LEVEL)
HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
async def world(app: FastAPI) -> World:
    return await talent_world(app)


def _employee(world: World, position: str | None) -> Employee:
    return Employee(
        id=uuid.uuid4(),
        nip=f"198503042010031{uuid.uuid4().int % 1000:03d}",
        name="Uji",
        gender="M",
        birth_date=date(1985, 3, 4),
        employment_type="pns",
        appointment_date=date(2010, 3, 1),
        status="active",
        agency_code=AGENCY_A,
        unit_id=world.units["bidang"],
        position_id=world.positions[position] if position else None,
    )


policies = st.builds(
    lambda source, medium, gap, cw, fw, sources: rules.Policy(
        performance_source=source,
        potential_medium_from=medium,
        potential_high_from=min(100, medium + gap),
        competency_weight=cw,
        feedback_weight=fw,
        calibrated_sources=tuple(sources),
    ),
    st.sampled_from(rules.PERFORMANCE_SOURCES),
    st.integers(1, 90),
    st.integers(1, 30),
    st.integers(0, 100),
    st.integers(1, 100),
    st.lists(st.sampled_from(rules.CALIBRATABLE_SOURCES), min_size=1, max_size=4, unique=True),
)
assessments = st.lists(
    st.tuples(
        st.sampled_from(("M.1", "M.2", "M.3", "M.1", "M.2")),  # mostly required ones
        st.integers(1, 4),  # around the requirements, where capping does not hide a change
        st.sampled_from(("assessment_center", "assessment_center", "feedback_360", "self")),
        st.dates(min_value=date(2024, 6, 1), max_value=date(2026, 3, 31)),
    ),
    max_size=8,
    unique_by=lambda a: (a[0], a[3]),  # no two of one competency on one day: no ties
)
means = st.dictionaries(
    st.sampled_from(("M.1", "M.2", "M.3")),
    st.decimals(min_value=1, max_value=5, places=2).map(float),
    max_size=3,
)


@HYPOTHESIS
@given(
    position=st.sampled_from(("staf", "analis", "head", "bare", None)),
    this_year=st.one_of(st.none(), st.sampled_from(PREDICATES)),
    last_year=st.one_of(st.none(), st.sampled_from(PREDICATES)),
    rows=assessments,
    feedback=means,
    policy=policies,
)
async def test_nine_box_sql_and_rule_agree(
    app: FastAPI,
    world: World,
    position: str | None,
    this_year: str | None,
    last_year: str | None,
    rows: list[tuple[str, int, str, date]],
    feedback: dict[str, float],
    policy: rules.Policy,
) -> None:
    e = _employee(world, position)
    async with app.state.sessionmaker() as session:
        session.add(e)
        await session.flush()
        for year, predicate in ((YEAR, this_year), (YEAR - 1, last_year)):
            if predicate:
                results, behaviour = RATING[predicate]
                session.add(
                    Performance(
                        employee_id=e.id,
                        year=year,
                        period="annual",
                        results=results,
                        behaviour=behaviour,
                        predicate=predicate,
                    )
                )
        for code, level, source, on in rows:
            session.add(
                CompetencyAssessment(
                    employee_id=e.id,
                    competency_id=world.competencies[code],
                    level=level,
                    source=source,
                    assessed_on=on,
                )
            )
        if feedback:
            await _report(session, world, e, feedback)
        await session.flush()
        [got] = [
            r
            for r in await NineBoxRepository(session).employee_rows(policy, AGENCY_A, YEAR, e.id)
            if r["yr"] == YEAR
        ]
        await session.rollback()
    # the rule, on the same rows
    target = _target(position)
    required = REQUIRED.get(target or "", {})
    end = date(YEAR, 12, 31)
    latest: dict[str, tuple[date, int]] = {}
    for code, level, source, on in rows:
        calibrated = source in policy.assessment_sources and on <= end and code in required
        if calibrated and (code not in latest or on > latest[code][0]):
            latest[code] = (on, level)
    competency = rules.coverage((lvl, required[c]) for c, (_, lvl) in latest.items())
    fb = rules.coverage((m, required[c]) for c, m in feedback.items() if c in required)
    expected = rules.nine_box(
        has_position=position is not None,
        predicates=[this_year, last_year],
        has_requirements=target is not None,
        competency=competency,
        feedback=fb if policy.uses_feedback else None,
        policy=policy,
    )
    assert (got["box"], got["reason"]) == (expected.box, expected.reason)
    if expected.potential is not None:
        assert got["potential"] == pytest.approx(expected.potential, abs=1e-9)
    if expected.performance_level is not None:
        assert got["performance_level"] == expected.performance_level


def _target(position: str | None) -> str | None:
    """The next-level position as the docs define it: the superior when it states a standard,
    else the own position when it does."""
    if position is None:
        return None
    boss = POSITIONS[position][3]
    if boss and REQUIRED.get(boss):
        return boss
    return position if REQUIRED.get(position) else None


async def _report(session: Any, world: World, e: Employee, means: dict[str, float]) -> None:
    published = datetime(2025, 6, 1, tzinfo=UTC)
    cycle = Cycle(
        agency_code=AGENCY_A,
        name="360",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        questionnaire_id=world.questionnaire,
        deadline=published,
        state="published",
        published_at=published,
    )
    session.add(cycle)
    await session.flush()
    body = {
        "dimensions": [
            {"kind": "competency", "code": c, "others_calibrated_mean": m} for c, m in means.items()
        ]
    }
    session.add(
        Report(cycle_id=cycle.id, subject_employee_id=e.id, body=body, published_at=published)
    )


TITLES = (
    ("Pelatihan Kepemimpinan Administrator", "training"),
    ("Pelatihan Kepemimpinan Pengawas", "training"),
    ("Pelatihan Kepemimpinan Nasional Tingkat II", "training"),
    ("Diklatpim Tingkat IV", "training"),
    ("Pelatihan Kepemimpinan Pengawas", "seminar"),
    ("Diklat Fungsional Auditor", "training"),
    ("Pelatihan Jabatan Fungsional Analis Kebijakan", "e_learning"),
    ("Pelatihan Pengadaan Barang/Jasa", "training"),
    ("Bimbingan Teknis SPBE", "technical_guidance"),
    ("Seminar Nasional Reformasi Birokrasi", "seminar"),
    ("Workshop Penyusunan SKP", "workshop"),
    ("Coaching Kepemimpinan", "coaching"),
)


@HYPOTHESIS
@given(
    position=st.sampled_from(("head", "kabid", "kasi", "staf", "analis", None)),
    education=st.lists(
        st.tuples(
            st.sampled_from(rules.QUALIFICATION_ORDER),
            st.one_of(st.none(), st.integers(2000, 2027)),
        ),
        max_size=3,
    ),
    trainings=st.lists(
        st.tuples(
            st.sampled_from(TITLES),
            st.sampled_from((4, 8, 10, 12, 20)),
            st.dates(min_value=date(2022, 6, 1), max_value=date(2026, 3, 31)),
        ),
        max_size=6,
    ),
    annual=st.one_of(
        st.none(),
        st.tuples(
            st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
            st.sampled_from(PREDICATES),
        ),
    ),
    sanctions=st.lists(
        st.tuples(
            st.sampled_from(rules.SEVERITY_ORDER),
            st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 6, 30)),
        ),
        max_size=3,
    ),
)
async def test_index_sql_and_rule_agree(
    app: FastAPI,
    world: World,
    position: str | None,
    education: list[tuple[str, int | None]],
    trainings: list[tuple[tuple[str, str], int, date]],
    annual: tuple[Decimal | None, str] | None,
    sanctions: list[tuple[str, date]],
) -> None:
    e = _employee(world, position)
    async with app.state.sessionmaker() as session:
        session.add(e)
        await session.flush()
        if position:
            session.add(
                Assignment(
                    employee_id=e.id,
                    position_id=world.positions[position],
                    start_date=date(2020, 1, 1),
                )
            )
        for code, graduated in education:
            session.add(Education(employee_id=e.id, level_code=code, graduation_year=graduated))
        for (title, form), jp, start in trainings:
            session.add(
                Training(
                    employee_id=e.id, title=title, form=form, hours_jp=Decimal(jp), start_date=start
                )
            )
        if annual:
            results, behaviour = RATING[annual[1]]
            session.add(
                Performance(
                    employee_id=e.id,
                    year=YEAR,
                    period="annual",
                    results=results,
                    behaviour=behaviour,
                    predicate=annual[1],
                    score=annual[0],
                )
            )
        for severity, start in sanctions:
            session.add(
                Sanction(employee_id=e.id, severity=severity, kind="Hukuman", start_date=start)
            )
        await session.flush()
        got = await ProfessionalismRepository(session).employee(AGENCY_A, YEAR, e.id)
        await session.rollback()
    kind = POSITIONS[position][1] if position else None
    expected = rules.professionalism_index(
        year=YEAR,
        position_kind=kind,
        education=education,
        trainings=[(t, f, float(jp), s) for (t, f), jp, s in trainings],
        annual=(annual[0], annual[1]) if annual else None,
        sanctions=sanctions,
    )
    assert got is not None
    c = expected.competency
    assert (
        got["qualification"],
        got["leadership"],
        got["functional"],
        got["technical"],
        got["seminar"],
        got["performance"],
        got["discipline"],
    ) == (
        expected.qualification,
        c.leadership,
        c.functional,
        c.technical,
        c.seminar,
        expected.performance,
        expected.discipline,
    )
    assert got["total"] == expected.total and got["category"] == expected.category


async def test_the_latest_calibrated_assessment_counts(app: FastAPI, world: World) -> None:
    """Of three on M.1, the latest by the year's end counts (level 2 of 2025-03), not the
    earlier 1 nor the 2026 one; the self-assessment of 5 never does."""
    e = _employee(world, "staf")
    rows = [
        (1, "assessment_center", date(2023, 7, 1)),
        (2, "assessment_center", date(2025, 3, 1)),
        (1, "assessment_center", date(2026, 1, 5)),
        (5, "self", date(2025, 6, 1)),
    ]
    async with app.state.sessionmaker() as session:
        session.add(e)
        await session.flush()
        session.add(
            Performance(
                employee_id=e.id,
                year=YEAR,
                period="annual",
                results="as_expected",
                behaviour="as_expected",
                predicate="baik",
            )
        )
        for level, source, on in rows:
            session.add(
                CompetencyAssessment(
                    employee_id=e.id,
                    competency_id=world.competencies["M.1"],
                    level=level,
                    source=source,
                    assessed_on=on,
                )
            )
        await session.flush()
        got = await NineBoxRepository(session).employee_rows(
            rules.DEFAULT_POLICY, AGENCY_A, YEAR, e.id
        )
        await session.rollback()
    by_year = {r["yr"]: r for r in got}
    assert by_year[YEAR]["competency"] == 1.0 and by_year[YEAR]["competency_assessed"] == 1
    assert by_year[YEAR - 1]["competency"] == 0.5  # 2024: only the 2023 assessment
