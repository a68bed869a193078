"""Demo data: what `asn-career seed-demo` loads obeys the domain's rules, and a seed
always gives the same people."""

import asyncio
import hashlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import psycopg
import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from asn_career import cli
from asn_career.config import get_settings
from asn_career.core.db import libpq_url
from asn_career.demo import DOMAINS, REGIONS, DemoDataExists, seed_demo
from asn_career.demo.base import Agency, Demo
from asn_career.demo.org import (
    MANAGERIAL,
    ORGANISATION,
    SOCIO_CULTURAL,
    TECHNICAL,
    OrgGenerator,
)
from asn_career.demo.profiles import (
    GENERAL_TECHNICAL,
    LEADERSHIP_TRAININGS,
    SEMINARS,
    TRAININGS,
    NamePools,
    ProfilesGenerator,
)
from asn_career.demo.seed import copy_text
from asn_career.org import ranks
from asn_career.org.rules import UnitKind, position_shape_violations
from asn_career.profiles.histories.rules import current_level
from asn_career.profiles.nip import disagreements, parse_nip
from asn_career.talent import rules as talent_rules

AS_OF = date(2026, 6, 30)
PER_AGENCY = 20
SEED = 7

# PermenPANRB 6/2022, from the domain document: (results, behaviour) → predicate code.
MATRIX = {
    ("above", "below"): "kurang",
    ("above", "as_expected"): "baik",
    ("above", "above"): "sangat_baik",
    ("as_expected", "below"): "kurang",
    ("as_expected", "as_expected"): "baik",
    ("as_expected", "above"): "baik",
    ("below", "below"): "sangat_kurang",
    ("below", "as_expected"): "butuh_perbaikan",
    ("below", "above"): "butuh_perbaikan",
}


@pytest.fixture(scope="module")
def seeded_url(server_url: str, template_database: str) -> Iterator[str]:
    """One seeded database for the read-only checks of this module (seeding takes a second)."""
    name = f"asn_demo_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    asyncio.run(seed_demo(None, url, employees_per_agency=PER_AGENCY, seed=SEED, as_of=AS_OF))
    yield url
    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def db(seeded_url: str) -> AsyncIterator[Any]:
    conn = await asyncpg.connect(libpq_url(seeded_url))
    try:
        yield conn
    finally:
        await conn.close()


def _generated_nips(seed: int, names: NamePools | None = None) -> list[str]:
    """The NIPs the generator makes, without a database."""
    return [row[1] for row in _generated_tables(seed, PER_AGENCY, names)["employees"]]


# sha256 of every generated table (name, then its COPY text) for seed 7, 150 employees per
# agency, as of AS_OF: measured before demo.py was split by domain and kept equal since,
# measured again when the staff got the education, trainings, SKP and sanctions that give
# the professionalism index an office's spread (the data changed on purpose then).
FINGERPRINT = "be4ea1611c028ba2ee0c0c460f9524f35a7e68aebe6a8a8bb2892354053557ac"


def _generated_tables(
    seed: int, per_agency: int, names: NamePools | None = None
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the generators make (organisation and people), without a database: the
    competencies get made-up ids, as the database would assign them."""
    demo = Demo(per_agency, seed, AS_OF)
    organisation, profiles = OrgGenerator(demo), ProfilesGenerator(demo, names)
    national = {code: i for i, code in enumerate((*MANAGERIAL, SOCIO_CULTURAL), start=1)}
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for offset, region in enumerate(REGIONS):
        agency = Agency(region)
        technical = {code: 100 + 10 * offset + i for i, (code, *_) in enumerate(TECHNICAL)}
        org = organisation.organisation(agency, {**national, **technical})
        agency.put(ORGANISATION, org)
        tables.setdefault("units", []).extend(org.units)
        tables.setdefault("positions", []).extend(org.position_rows())
        tables.setdefault("position_competencies", []).extend(org.requirement_rows())
        for chunk in profiles.employee_chunks(agency, org, chunk_size=97):
            for table, rows in chunk.items():
                tables.setdefault(table, []).extend(rows)
    return tables


def test_the_generated_rows_keep_their_fingerprint() -> None:
    """A refactoring of the generator keeps the data: same seed, same rows, same order."""
    digest = hashlib.sha256()
    for table, rows in sorted(_generated_tables(SEED, 150).items()):
        digest.update(table.encode())
        digest.update(copy_text(rows))
    assert digest.hexdigest() == FINGERPRINT


def test_the_demo_trainings_count_as_the_index_reads_them() -> None:
    """Each kind of demo training is what the professionalism index takes it for: the
    leadership training of its own managerial kind (old and new title), a functional
    training for every fungsional position, technical training and seminars."""
    for kind, (title, old_title, *_) in LEADERSHIP_TRAININGS.items():
        for name in (title, old_title):
            assert talent_rules.is_leadership_training(name, kind), name
            assert not talent_rules.is_technical_training(name, "training"), name
    for title, _provider in TRAININGS.values():
        assert talent_rules.is_technical_training(title, "training"), title
    for title, form, *_ in GENERAL_TECHNICAL:
        assert talent_rules.is_technical_training(title, form), title
    assert {form for _, form, *_ in SEMINARS} == set(talent_rules.SEMINAR_FORMS)
    tables = _generated_tables(SEED, PER_AGENCY)
    kinds = {row[0]: row[5] for row in tables["positions"]}
    fungsional = {row[0] for row in tables["employees"] if kinds.get(row[14]) == "fungsional"}
    functional = [row for row in tables["trainings"] if row[1] in fungsional and
                  talent_rules.is_functional_training(row[2], row[7])]  # fmt: skip
    assert functional


def test_the_organisation_follows_the_org_rules() -> None:
    """Every generated position passes the API's own shape checks (kind, level, ranks)."""
    tables = _generated_tables(SEED, PER_AGENCY)
    assert {row[4] for row in tables["units"]} <= set(UnitKind)
    for row in tables["positions"]:
        _, _, _, code, _, kind, level, min_rank, max_rank, *_ = row
        assert position_shape_violations(kind, level, min_rank, max_rank) == [], code


def test_domain_generators_tag_their_ids_apart() -> None:
    demo = Demo(1, SEED, AS_OF)
    tags = [tag for make in DOMAINS for tag in make(demo).id_tags.values()]
    assert len(tags) == len(set(tags))
    kinds = [kind for make in DOMAINS for kind in make(demo).id_tags]
    assert len(kinds) == len(set(kinds))


async def test_five_agencies_with_kecamatan_alak(db: Any) -> None:
    agencies = await db.fetch("SELECT code, name, region_code FROM agencies ORDER BY code")
    assert [(a["code"], a["name"]) for a in agencies] == [
        ("12.71", "Pemerintah Kota Medan"),
        ("21.72", "Pemerintah Kota Tanjungpinang"),
        ("36.73", "Pemerintah Kota Serang"),
        ("36.74", "Pemerintah Kota Tangerang Selatan"),
        ("53.71", "Pemerintah Kota Kupang"),
    ]
    assert all(a["region_code"] == a["code"] for a in agencies)
    alak = await db.fetchrow(
        "SELECT id, name, kind, parent_id FROM units WHERE agency_code = '53.71' "
        "AND code = '53.71.01'"
    )
    assert alak is not None
    assert (alak["name"], alak["kind"], alak["parent_id"]) == ("Kecamatan Alak", "kecamatan", None)
    kelurahan = await db.fetchval(
        "SELECT count(*) FROM units WHERE parent_id = $1 AND kind = 'kelurahan'", alak["id"]
    )
    assert kelurahan == 12
    # every agency has the units the issue names, schools and puskesmas included
    for kind in ("badan", "dinas", "bagian", "sekolah", "puskesmas", "kecamatan", "kelurahan"):
        per_agency = await db.fetchval(
            "SELECT count(DISTINCT agency_code) FROM units WHERE kind = $1", kind
        )
        assert per_agency == 5, kind
    # a unit's path runs from its root down to itself
    broken = await db.fetchval(
        "SELECT count(*) FROM units u LEFT JOIN units p ON p.id = u.parent_id "
        "WHERE u.path[array_length(u.path, 1)] <> u.id "
        "OR (u.parent_id IS NULL AND array_length(u.path, 1) <> 1) "
        "OR (u.parent_id IS NOT NULL AND u.path[1:array_length(u.path, 1) - 1] <> p.path)"
    )
    assert broken == 0


async def test_positions_state_kind_ranks_and_requirements(db: Any) -> None:
    positions = await db.fetch(
        "SELECT p.id, p.kind, p.functional_level, p.min_rank, p.max_rank, p.is_shared, "
        "p.reports_to_position_id, p.agency_code, s.agency_code AS superior_agency, "
        "(SELECT count(*) FROM position_competencies pc WHERE pc.position_id = p.id) AS needs "
        "FROM positions p LEFT JOIN positions s ON s.id = p.reports_to_position_id"
    )
    kinds = {p["kind"] for p in positions}
    assert {"jpt_pratama", "administrator", "pengawas", "fungsional", "pelaksana"} <= kinds
    for p in positions:
        assert (p["functional_level"] is not None) == (p["kind"] == "fungsional")
        assert ranks.scale_of(p["min_rank"]) == ranks.scale_of(p["max_rank"])
        assert ranks.compare(p["min_rank"], p["max_rank"]) <= 0
        # managerial posts hold one person; fungsional and pelaksana ones are shared, except
        # a school's head (a teacher with the extra task)
        if p["kind"] == "pelaksana" or p["functional_level"] != "ahli_madya":
            assert p["is_shared"] == (p["kind"] in ("fungsional", "pelaksana"))
        assert p["needs"] >= 10  # M.1–M.8, SK.1 and at least one technical competency
        if p["reports_to_position_id"] is not None:
            assert p["superior_agency"] == p["agency_code"]
    # managerial levels per kind, as the domain document gives them
    levels = await db.fetch(
        "SELECT p.kind, min(pc.level) AS low, max(pc.level) AS high FROM positions p "
        "JOIN position_competencies pc ON pc.position_id = p.id "
        "JOIN competencies c ON c.id = pc.competency_id AND c.code LIKE 'M.%' "
        "WHERE p.kind <> 'fungsional' GROUP BY p.kind"
    )
    expected = {"jpt_pratama": 4, "administrator": 3, "pengawas": 2, "pelaksana": 1}
    assert {row["kind"]: (row["low"], row["high"]) for row in levels} == {
        kind: (level, level) for kind, level in expected.items()
    }
    technical = await db.fetchval(
        "SELECT count(*) FROM competencies WHERE kind = 'technical' AND agency_code = '36.74'"
    )
    assert technical == len(TECHNICAL)


async def test_every_nip_is_valid_and_agrees_with_the_profile(db: Any) -> None:
    employees = await db.fetch(
        "SELECT nip, employment_type, birth_date, gender, appointment_date FROM employees"
    )
    assert len(employees) == 5 * PER_AGENCY
    assert len({e["nip"] for e in employees}) == len(employees)
    assert {e["employment_type"] for e in employees} == {"pns", "pppk"}
    for e in employees:
        info = parse_nip(e["nip"], e["employment_type"])
        assert info.employment_type == e["employment_type"]
        assert not disagreements(
            info,
            birth_date=e["birth_date"],
            gender=e["gender"],
            appointment_date=e["appointment_date"],
        ), e["nip"]
        assert e["appointment_date"] <= AS_OF


async def test_assignments_are_consistent(db: Any) -> None:
    # each active employee holds exactly one open primary assignment, their position
    wrong = await db.fetch(
        "SELECT e.nip FROM employees e WHERE e.status = 'active' AND (e.position_id IS NULL "
        "OR (SELECT count(*) FROM assignments a WHERE a.employee_id = e.id AND a.is_primary "
        "AND a.end_date IS NULL) <> 1 OR NOT EXISTS (SELECT 1 FROM assignments a "
        "WHERE a.employee_id = e.id AND a.is_primary AND a.end_date IS NULL "
        "AND a.position_id = e.position_id))"
    )
    assert wrong == []
    # the open assignment's unit is the employee's unit
    units = await db.fetchval(
        "SELECT count(*) FROM employees e JOIN positions p ON p.id = e.position_id "
        "WHERE e.unit_id IS DISTINCT FROM p.unit_id"
    )
    assert units == 0
    # retired and dismissed people hold nothing
    holding = await db.fetchval(
        "SELECT count(*) FROM employees e WHERE e.status IN ('retired', 'dismissed') AND "
        "(e.position_id IS NOT NULL OR EXISTS (SELECT 1 FROM assignments a "
        "WHERE a.employee_id = e.id AND a.end_date IS NULL))"
    )
    assert holding == 0
    # a position holds one person unless it is shared
    crowded = await db.fetch(
        "SELECT a.position_id FROM assignments a JOIN positions p ON p.id = a.position_id "
        "WHERE a.is_primary AND a.end_date IS NULL AND NOT p.is_shared "
        "GROUP BY a.position_id HAVING count(*) > 1"
    )
    assert crowded == []
    # dates: within the career, in order
    early = await db.fetchval(
        "SELECT count(*) FROM assignments a JOIN employees e ON e.id = a.employee_id "
        "WHERE a.start_date < e.appointment_date OR a.start_date > $1 "
        "OR a.decree_date > a.start_date",
        AS_OF,
    )
    assert early == 0
    # some careers have earlier, closed posts
    closed = await db.fetchval("SELECT count(*) FROM assignments WHERE end_date IS NOT NULL")
    assert closed > 0


async def test_ranks_fit_scale_and_position(db: Any) -> None:
    rows = await db.fetch(
        "SELECT e.nip, e.employment_type, e.rank_code, r.scale, p.min_rank, p.max_rank "
        "FROM employees e JOIN ranks r ON r.code = e.rank_code "
        "LEFT JOIN positions p ON p.id = e.position_id"
    )
    assert len(rows) == 5 * PER_AGENCY
    for row in rows:
        assert row["scale"] == row["employment_type"], row["nip"]
        if row["min_rank"] is not None:
            assert ranks.in_range(row["rank_code"], row["min_rank"], row["max_rank"]), row["nip"]


async def test_skp_predicates_follow_the_matrix(db: Any) -> None:
    rows = await db.fetch("SELECT results, behaviour, predicate, score FROM performance_ratings")
    assert rows
    for row in rows:
        assert MATRIX[(row["results"], row["behaviour"])] == row["predicate"]
        assert 0 <= row["score"] <= 100


async def test_current_competency_levels_follow_source_precedence(db: Any) -> None:
    """The stored current levels are the histories' rule applied to the stored assessments
    (in the order recorded: one transaction, so by id)."""
    recorded: dict[tuple[Any, int], list[tuple[str, date, int]]] = {}
    for row in await db.fetch(
        "SELECT employee_id, competency_id, source, assessed_on, level "
        "FROM competency_assessments ORDER BY created_at, id"
    ):
        key = (row["employee_id"], row["competency_id"])
        recorded.setdefault(key, []).append((row["source"], row["assessed_on"], row["level"]))
    expected = {key: current_level(given) for key, given in recorded.items()}
    current = {
        (row["employee_id"], row["competency_id"]): (
            row["level"],
            row["source"],
            row["assessed_on"],
        )
        for row in await db.fetch(
            "SELECT employee_id, competency_id, level, source, assessed_on "
            "FROM employee_competency_levels"
        )
    }
    assert expected
    assert current == expected
    sources = await db.fetch("SELECT DISTINCT source FROM competency_assessments")
    assert len(sources) >= 3


async def test_histories_are_there(db: Any) -> None:
    counts = {
        table: await db.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608 - our names
        for table in ("employee_education", "trainings", "career_interests")
    }
    assert counts["employee_education"] >= 5 * PER_AGENCY
    assert counts["trainings"] > 0
    this_year = await db.fetchval(
        "SELECT count(*) FROM trainings WHERE extract(year FROM start_date) = $1", AS_OF.year
    )
    last_year = await db.fetchval(
        "SELECT count(*) FROM trainings WHERE extract(year FROM start_date) = $1", AS_OF.year - 1
    )
    assert this_year > 0
    assert last_year > 0
    future = await db.fetchval(
        "SELECT count(*) FROM trainings t JOIN employees e ON e.id = t.employee_id "
        "WHERE t.start_date > $1 OR t.start_date < e.appointment_date",
        AS_OF,
    )
    assert future == 0


async def test_a_published_360_cycle_per_agency(db: Any) -> None:
    """Made through the feedback services: every subject has a frozen report, raters
    answered, declined or left it, and the calibrated results reached the profiles."""
    cycles = await db.fetch(
        "SELECT c.agency_code, c.state, "
        "(SELECT count(*) FROM feedback_subjects s WHERE s.cycle_id = c.id) AS subjects, "
        "(SELECT count(*) FROM feedback_reports r WHERE r.cycle_id = c.id) AS reports, "
        "(SELECT count(*) FROM feedback_cycle_statistics t WHERE t.cycle_id = c.id) AS stats "
        "FROM feedback_cycles c"
    )
    assert sorted(row["agency_code"] for row in cycles) == sorted(r.code for r in REGIONS)
    for row in cycles:
        assert row["state"] == "published"
        assert row["subjects"] > 0 and row["reports"] == row["subjects"] and row["stats"] == 1
    statuses = {
        row["status"]: row["n"]
        for row in await db.fetch("SELECT status, count(*) AS n FROM feedback_requests GROUP BY 1")
    }
    left = statuses.get("declined", 0) + statuses.get("pending", 0)
    assert statuses["submitted"] > left > 0  # not everyone answers
    relationships = await db.fetch("SELECT DISTINCT relationship FROM feedback_requests")
    assert {"self", "supervisor", "peer"} <= {row["relationship"] for row in relationships}
    scores = await db.fetchval(
        "SELECT count(DISTINCT score) FROM feedback_answers WHERE score IS NOT NULL"
    )
    assert scores >= 4  # lenient and severe raters use the whole scale
    written = await db.fetchval(
        "SELECT count(*) FROM competency_assessments WHERE source = 'feedback_360' "
        "AND created_at > now() - interval '1 day'"
    )
    assert written > 0


async def test_a_training_catalogue_with_last_years_participants(db: Any) -> None:
    """Made through the training services: this year's catalogue with the SPBE course,
    last year's courses completed into the training histories, requests decided both
    ways, so a plan can be drafted at once."""
    for region in REGIONS:
        titles = [
            row["title"]
            for row in await db.fetch(
                "SELECT title FROM training_courses WHERE agency_code = $1 AND "
                "extract(year FROM starts_on) = $2",
                region.code,
                AS_OF.year,
            )
        ]
        assert any("SPBE" in title for title in titles), region.code
    states = {
        row["state"]: row["n"]
        for row in await db.fetch("SELECT state, count(*) AS n FROM training_enrolments GROUP BY 1")
    }
    assert states["completed"] > states.get("cancelled", 0) > 0 and states["no_show"] > 0
    in_history = await db.fetchval(
        "SELECT count(*) FROM training_enrolments e JOIN trainings t ON t.id = e.training_id "
        "WHERE e.state = 'completed' AND extract(year FROM t.start_date) = $1",
        AS_OF.year - 1,
    )
    assert in_history == states["completed"]
    decided = {
        row["status"] for row in await db.fetch("SELECT DISTINCT status FROM training_requests")
    }
    assert {"submitted", "endorsed", "rejected"} <= decided


async def test_development_plans_drafted_and_some_approved(db: Any) -> None:
    """Made through the development-plan service: per agency a plan drafted from a 360°
    report's suggestions and plans for the most pressing needs, drafts and approved ones."""
    rows = await db.fetch(
        "SELECT p.agency_code, p.status, p.approved_at, p.drafted_from, "
        "(SELECT count(*) FROM training_development_plan_activities a WHERE a.plan_id = p.id) "
        "AS activities FROM training_development_plans p WHERE p.year = $1",
        AS_OF.year,
    )
    for region in REGIONS:
        mine = [r for r in rows if r["agency_code"] == region.code]
        assert {r["status"] for r in mine} == {"draft", "approved"}, region.code
        assert all(r["activities"] > 0 for r in mine), region.code
        assert all((r["status"] == "approved") == (r["approved_at"] is not None) for r in mine)
    drafted = [json.loads(r["drafted_from"]) for r in rows]
    assert any(d["feedback_suggestions"] > 0 for d in drafted)


async def test_a_rotation_policy_a_relationship_and_a_draft_round_per_agency(db: Any) -> None:
    """Made through the rotations services: placements explained in both languages."""
    codes = {r.code for r in REGIONS if r.code.count(".") == 1}
    policies = await db.fetch("SELECT agency_code, weights FROM rotation_policies")
    assert {p["agency_code"] for p in policies} >= codes
    rounds = await db.fetch(
        "SELECT id, agency_code, status, objective, greedy_objective FROM rotation_rounds"
    )
    assert {r["agency_code"] for r in rounds} >= codes
    for r in rounds:
        assert r["status"] == "draft"
        assert r["objective"] >= r["greedy_objective"]
    placed = await db.fetchval(
        "SELECT count(*) FROM rotation_round_placements WHERE employee_id IS NOT NULL"
    )
    assert placed > 0
    explained = await db.fetchval(
        "SELECT bool_and(explanation ? 'en' AND explanation ? 'id') FROM rotation_round_placements"
    )
    assert explained
    assert await db.fetchval("SELECT count(*) FROM rotation_relatives") >= len(codes)


async def test_a_running_mentoring_programme_per_agency(db: Any) -> None:
    """Made through the mentoring services: a published matching whose pairs keep the rules,
    answers both ways, and sessions."""
    programmes = await db.fetch(
        "SELECT p.agency_code, p.starts_on, p.ends_on, r.status, "
        "(SELECT count(*) FROM mentoring_matches m WHERE m.matching_id = r.id) AS matches "
        "FROM mentoring_programs p JOIN mentoring_matchings r ON r.program_id = p.id"
    )
    assert sorted(row["agency_code"] for row in programmes) == sorted(r.code for r in REGIONS)
    for row in programmes:
        assert row["status"] == "published" and row["matches"] > 0
        assert row["starts_on"] < AS_OF < row["ends_on"]  # running
    states = dict(await db.fetch("SELECT state, count(*) FROM mentoring_matches GROUP BY 1"))
    assert states["active"] > 0 and states.get("declined", 0) > 0
    assert await db.fetchval("SELECT count(*) FROM mentoring_sessions") > 0
    # The rules held: nobody with themself, never the supervisor, senior enough.
    broken = await db.fetchval(
        """
        SELECT count(*) FROM mentoring_matches m
        JOIN mentoring_mentors mo ON mo.id = m.mentor_id
        JOIN mentoring_mentees me ON me.id = m.mentee_id
        JOIN employees a ON a.id = mo.employee_id JOIN employees b ON b.id = me.employee_id
        JOIN ranks ra ON ra.code = a.rank_code JOIN ranks rb ON rb.code = b.rank_code
        JOIN positions pb ON pb.id = b.position_id
        WHERE a.id = b.id OR pb.reports_to_position_id = a.position_id
           OR ra.scale <> rb.scale OR ra.ordinal - rb.ordinal < 2
        """
    )
    assert broken == 0


async def test_the_same_seed_gives_the_same_people(db: Any) -> None:
    names = NamePools.from_faker(SEED)
    first = _generated_nips(SEED, names)
    assert first == _generated_nips(SEED, names)
    assert first != _generated_nips(SEED + 1)
    stored = await db.fetch("SELECT nip FROM employees")
    assert sorted(first) == sorted(row["nip"] for row in stored)


async def test_seeding_twice_is_refused(database_url: str) -> None:
    await seed_demo(None, database_url, employees_per_agency=1, seed=SEED)
    with pytest.raises(DemoDataExists):
        await seed_demo(None, database_url, employees_per_agency=1, seed=SEED)
    conn = await asyncpg.connect(libpq_url(database_url))
    try:
        assert await conn.fetchval("SELECT count(*) FROM employees") == 5
    finally:
        await conn.close()


def test_seed_demo_command_loads_once_then_refuses(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASN_CAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("ASN_CAREER_LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(cli.app, ["seed-demo", "--employees-per-agency", "2", "--seed", "3"])
        assert first.exit_code == 0, first.output
        again = runner.invoke(cli.app, ["seed-demo", "--employees-per-agency", "2"])
        assert again.exit_code == 1
    finally:
        get_settings.cache_clear()


async def test_the_api_reads_the_demo_data(database_url: str, client: Any, admin: Any) -> None:
    """The demo speaks the API's vocabulary: its profiles and histories read back cleanly."""
    await seed_demo(None, database_url, employees_per_agency=3, seed=SEED, as_of=AS_OF)
    conn = await asyncpg.connect(libpq_url(database_url))
    try:
        nips = [
            row["nip"]
            for row in await conn.fetch(
                "SELECT e.nip FROM employees e WHERE EXISTS (SELECT 1 FROM performance_ratings p "
                "WHERE p.employee_id = e.id) ORDER BY e.nip LIMIT 4"
            )
        ]
        position = await conn.fetchval("SELECT id FROM positions ORDER BY code LIMIT 1")
    finally:
        await conn.close()
    assert nips
    paths = ["/api/v1/agencies", "/api/v1/employees?agency=53.71", f"/api/v1/positions/{position}"]
    for nip in nips:
        paths += [f"/api/v1/employees/{nip}", f"/api/v1/employees/{nip}/career-summary"]
        paths += [
            f"/api/v1/employees/{nip}/{history}"
            for history in (
                "education",
                "assignments",
                "competencies",
                "trainings",
                "performance",
                "interests",
                "sanctions",
            )
        ]
    for path in paths:
        response = await client.get(path, headers=admin)
        assert response.status_code == 200, (path, response.text)


async def test_a_closed_survey_per_agency_with_results(db: Any) -> None:
    """Made through the survey service: opened, answered once by each respondent, closed;
    the frozen results show overall (every group shown has the minimum behind it)."""
    rows = await db.fetch(
        "SELECT s.agency_code, s.state, s.results, "
        "(SELECT count(*) FROM survey_respondents r WHERE r.survey_id = s.id) AS respondents, "
        "(SELECT count(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses "
        "FROM surveys s"
    )
    assert sorted(row["agency_code"] for row in rows) == sorted(r.code for r in REGIONS)
    for row in rows:
        results = json.loads(row["results"])
        assert row["state"] == "closed" and row["respondents"] == row["responses"]
        assert results["respondents"] == row["responses"] >= results["min_group_size"]
        assert results["published"] and results["overall"]["satisfaction_index"] > 0
        for breakdown in results["breakdowns"]:
            assert all(g["respondents"] >= results["min_group_size"] for g in breakdown["groups"])
