"""Every kind once, with the rules that need the database checked set-based."""

import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, text

from asn_career.core.audit.models import AuditEntry
from asn_career.org.models import Position, PositionCompetency, Unit
from asn_career.org.rules import today_in_indonesia
from asn_career.profiles.histories.jobs import switch_current_positions
from asn_career.profiles.models import (
    Assignment,
    CompetencyAssessment,
    CurrentCompetency,
    Education,
    Employee,
    Performance,
    Sanction,
    Training,
)
from tests.conftest import AGENCY_A
from tests.imports.conftest import NIP_1, NIP_2, NIP_3, NIP_4, Importer, csv_bytes


async def rows_of(app: FastAPI, model: Any) -> list[Any]:
    async with app.state.sessionmaker() as session:
        return list((await session.scalars(select(model))).all())


async def with_employees(importer: Importer) -> None:
    result = await importer(
        csv_bytes(
            [
                ["nip", "name", "employment_type", "unit_code"],
                [NIP_1, "Budi Santoso", "", "BKPSDM"],
                [NIP_2, "Siti Aminah", "", "DINKES"],
                [NIP_3, "Rina Wati", "pppk", ""],
                [NIP_4, "Agus Salim", "", ""],
            ]
        )
    )
    assert result["status"] == "succeeded", await importer.errors(result)


async def errors_by_row(importer: Importer, result: dict[str, Any]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for error in await importer.errors(result):
        found.setdefault(error["row"], []).append(f"{error['column']}: {error['message']}")
    return found


# --- units --------------------------------------------------------------------------------


async def test_units_tree_by_parent_code_in_any_order(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    content = csv_bytes(
        [
            ["code", "name", "kind", "parent_code"],
            ["SEKSI-1", "Seksi Satu", "seksi", "BIDANG-2"],  # parent comes later in the file
            ["BIDANG-2", "Bidang Dua", "bidang", "BKPSDM"],
            ["DINKES", "Dinas Kesehatan Kota", "dinas", ""],  # existing: renamed
        ]
    )
    result = await importer(content, kind="units")
    assert result["status"] == "succeeded", await importer.errors(result)
    assert (result["counts"]["inserted"], result["counts"]["updated"]) == (2, 1)
    units = {u.code: u for u in await rows_of(app, Unit) if u.agency_code == AGENCY_A}
    root = units["BKPSDM"]
    assert units["BIDANG-2"].parent_id == root.id
    assert units["SEKSI-1"].path == [root.id, units["BIDANG-2"].id, units["SEKSI-1"].id]
    assert units["DINKES"].name == "Dinas Kesehatan Kota"
    again = await importer(content, kind="units")
    assert again["counts"]["unchanged"] == 3

    # moving BIDANG-2 under DINKES moves its sub-unit's path too
    moved = await importer(
        csv_bytes(
            [
                ["code", "name", "kind", "parent_code"],
                ["BIDANG-2", "Bidang Dua", "bidang", "DINKES"],
            ]
        ),
        kind="units",
    )
    assert moved["counts"]["updated"] == 1
    units = {u.code: u for u in await rows_of(app, Unit) if u.agency_code == AGENCY_A}
    assert units["SEKSI-1"].path == [
        units["DINKES"].id,
        units["BIDANG-2"].id,
        units["SEKSI-1"].id,
    ]


async def test_units_unknown_parent_cycles_and_bad_kinds(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    content = csv_bytes(
        [
            ["code", "name", "kind", "parent_code"],
            ["A1", "Satu", "bidang", "NOPE"],
            ["A2", "Dua", "bidang", "A3"],
            ["A3", "Tiga", "bidang", "A2"],
            ["A4", "Empat", "planet", ""],
            ["A5", "Lima", "seksi", "A1"],  # its parent row is refused
            ["BKPSDM", "Badan", "badan", "BIDANG-PK"],  # under its own child
        ]
    )
    result = await importer(content, kind="units", on_error="skip")
    errors = await errors_by_row(importer, result)
    assert set(errors) == {2, 3, 4, 5, 6, 7}
    assert "no unit with code NOPE" in errors[2][0]
    assert "cycle" in errors[3][0] and "cycle" in errors[4][0]
    assert errors[5][0].startswith("kind:")
    assert "cannot be imported" in errors[6][0]
    assert "cycle" in errors[7][0]
    assert result["counts"]["inserted"] == 0


# --- positions ----------------------------------------------------------------------------


async def test_positions_with_requirements_and_reporting_line(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    header = [
        "code", "title", "unit_code", "kind", "functional_level", "min_rank", "max_rank",
        "reports_to_code", "required_competencies", "preferred_education_fields", "is_shared",
    ]  # fmt: skip
    rows = [
        ["KABID", "Kepala Bidang", "BIDANG-PK", "administrator", "", "III/d", "IV/a",
         "KABAN", "M.1:3;M.2:3", "Manajemen;Hukum", "false"],
        ["ANALIS-2", "Analis Kebijakan", "BIDANG-PK", "fungsional", "ahli_pertama", "III/a",
         "III/b", "KABID", "T.1:2", "", ""],
    ]  # fmt: skip
    result = await importer(csv_bytes([header, *rows]), kind="positions")
    assert result["status"] == "succeeded", await importer.errors(result)
    assert result["counts"]["inserted"] == 2
    positions = {p.code: p for p in await rows_of(app, Position)}
    assert positions["KABID"].reports_to_position_id == positions["KABAN"].id
    assert positions["ANALIS-2"].reports_to_position_id == positions["KABID"].id
    assert positions["KABID"].preferred_education_fields == ["Manajemen", "Hukum"]
    required = [(r.position_id, r.level) for r in await rows_of(app, PositionCompetency)]
    assert sorted(level for pid, level in required if pid == positions["KABID"].id) == [3, 3]
    same = await importer(csv_bytes([header, *rows]), kind="positions")
    assert same["counts"]["unchanged"] == 2
    rows[0][8] = "M.1:4;M.2:3"
    changed = await importer(csv_bytes([header, *rows]), kind="positions")
    assert (changed["counts"]["updated"], changed["counts"]["unchanged"]) == (1, 1)
    levels = {
        r.level for r in await rows_of(app, PositionCompetency)
        if r.position_id == positions["KABID"].id
    }  # fmt: skip
    assert levels == {4, 3}


async def test_position_rules(app: FastAPI, imp_org: dict[str, Any], importer: Importer) -> None:
    header = ["code", "title", "unit_code", "kind", "functional_level", "min_rank",
              "max_rank", "reports_to_code", "required_competencies"]  # fmt: skip
    rows = [
        ["P1", "Satu", "NOPE", "pelaksana", "", "", "", "", ""],
        ["P2", "Dua", "BKPSDM", "fungsional", "", "", "", "", ""],
        ["P3", "Tiga", "BKPSDM", "pelaksana", "", "IV/a", "III/a", "", ""],
        ["P4", "Empat", "BKPSDM", "pelaksana", "", "", "", "P5", "X.9:1"],
        ["P5", "Lima", "BKPSDM", "pelaksana", "", "", "", "P4", "T.77:2"],
        ["P6", "Enam", "BKPSDM", "fungsional", "ahli_pertama", "III/a", "IV/b", "", ""],
    ]
    result = await importer(csv_bytes([header, *rows]), kind="positions")
    assert result["status"] == "failed"
    errors = await errors_by_row(importer, result)
    assert "no unit with code NOPE" in errors[2][0]
    assert "functional_level" in errors[3][0]
    assert "max_rank" in errors[4][0]
    assert any("required_competencies" in e for e in errors[5])
    assert any("unknown competency T.77" in e for e in errors[6])
    assert any("ahli pertama positions are III/a–III/b" in e for e in errors[7])


# --- histories ----------------------------------------------------------------------------


async def test_education(app: FastAPI, imp_org: dict[str, Any], importer: Importer) -> None:
    await with_employees(importer)
    content = csv_bytes(
        [
            ["nip", "level", "field", "institution", "graduation_year"],
            [NIP_1, "S1", "Ilmu Hukum", "Universitas Indonesia", "2008"],
            [NIP_1, "S2", "", "UGM", "2014"],
            [NIP_2, "S1", "Keperawatan", "", "1990"],  # birth year 1990: too early
            ["199999999999999999", "S1", "", "", ""],
        ]
    )
    result = await importer(content, kind="education", on_error="skip")
    errors = await errors_by_row(importer, result)
    assert set(errors) == {4, 5}
    assert "birth year + 5" in errors[4][0]
    assert "no employee with NIP" in errors[5][0]
    assert result["counts"]["inserted"] == 2
    again = await importer(content, kind="education", on_error="skip")
    assert again["counts"]["unchanged"] == 2
    stored = await rows_of(app, Education)
    assert {(e.level_code, e.field) for e in stored} == {("S1", "Ilmu Hukum"), ("S2", None)}


async def test_education_siasn(app: FastAPI, imp_org: dict[str, Any], importer: Importer) -> None:
    await with_employees(importer)
    content = csv_bytes(
        [
            ["nipBaru", "nama", "tkPendidikanTerakhir", "pendidikanTerakhirNama", "tahunLulus"],
            [NIP_1, "Budi", "S-1", "Ilmu Hukum", "2008"],
            [NIP_2, "Siti", "D-III", "Keperawatan", "2011"],
        ]
    )
    result = await importer(content, kind="education", mapping="siasn")
    assert result["counts"]["inserted"] == 2, await importer.errors(result)
    assert {e.level_code for e in await rows_of(app, Education)} == {"S1", "D3"}


async def test_assignments_keep_the_current_position(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    await with_employees(importer)
    content = csv_bytes(
        [
            ["nip", "position_code", "start_date", "end_date", "decree_number"],
            [NIP_1, "ANALIS", "2016-01-04", "2019-12-31", "800/1/2016"],
            [NIP_1, "KABAN", "2020-01-02", "", "800/7/2020"],
            [NIP_2, "GURU", "2019-04-01", "", ""],
            [NIP_4, "GURU", "2010-02-01", "", ""],  # shared: two holders are fine
        ]
    )
    result = await importer(content, kind="assignments")
    assert result["status"] == "succeeded", await importer.errors(result)
    assert result["counts"]["inserted"] == 4
    people = {e.nip: e for e in await rows_of(app, Employee)}
    assert people[NIP_1].position_id == uuid.UUID(imp_org["position:KABAN"])
    assert people[NIP_1].unit_id == uuid.UUID(imp_org[f"unit:{AGENCY_A}:BKPSDM"])
    assert people[NIP_2].position_id == uuid.UUID(imp_org["position:GURU"])
    again = await importer(content, kind="assignments")
    assert again["counts"]["unchanged"] == 4
    # closing the open one clears the current position, audited as an employee update
    closed = await importer(
        csv_bytes(
            [["nip", "position_code", "start_date", "end_date"],
             [NIP_1, "KABAN", "2020-01-02", "2024-12-31"]]
        ),
        kind="assignments",
    )  # fmt: skip
    assert closed["counts"]["updated"] == 1
    people = {e.nip: e for e in await rows_of(app, Employee)}
    assert people[NIP_1].position_id is None
    async with app.state.sessionmaker() as session:
        actions = (
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.entity_id == str(people[NIP_1].id))
            )
        ).all()
    assert actions.count("employee.updated") == 2  # position set, then cleared


async def test_assignment_rules(app: FastAPI, imp_org: dict[str, Any], importer: Importer) -> None:
    await with_employees(importer)
    await importer(
        csv_bytes([["nip", "position_code", "start_date"], [NIP_4, "KABAN", "2012-01-02"]]),
        kind="assignments",
    )
    content = csv_bytes(
        [
            ["nip", "position_code", "start_date", "end_date"],
            [NIP_1, "ANALIS", "2016-01-04", "2020-12-31"],
            [NIP_1, "GURU", "2020-06-01", ""],  # overlaps the row above
            [NIP_2, "KABAN", "2019-04-01", ""],  # held by NIP_4
            [NIP_2, "NOPE", "2019-04-01", ""],
            [NIP_2, "ANALIS", "2010-01-01", "2011-01-01"],  # before the appointment
            [NIP_4, "ANALIS", "2011-01-01", ""],  # overlaps the existing open KABAN
        ]
    )
    result = await importer(content, kind="assignments", on_error="skip")
    errors = await errors_by_row(importer, result)
    assert set(errors) == {3, 4, 5, 6, 7}, errors
    assert "row 2" in errors[3][0]
    assert "held by NIP " + NIP_4 in errors[4][0]
    assert "no position with code NOPE" in errors[5][0]
    assert "before the appointment" in errors[6][0]
    assert "overlaps primary assignment" in errors[7][0]
    assert result["counts"]["inserted"] == 1


async def test_assignments_siasn_history_without_end_dates(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    await with_employees(importer)
    content = csv_bytes(
        [
            ["nipBaru", "namaJabatan", "unorNama", "tmtJabatan", "nomorSk", "tanggalSk"],
            [NIP_1, "Analis SDM", "", "04-01-2016", "800/1", "28-12-2015"],
            [NIP_1, "Kepala Badan", "Badan Kepegawaian", "02-01-2020", "800/7", "30-12-2019"],
        ]
    )
    result = await importer(content, kind="assignments", mapping="siasn")
    assert result["status"] == "succeeded", await importer.errors(result)
    stored = sorted(await rows_of(app, Assignment), key=lambda a: a.start_date)
    assert [a.end_date.isoformat() if a.end_date else None for a in stored] == [
        "2020-01-01",
        None,
    ]
    people = {e.nip: e for e in await rows_of(app, Employee)}
    assert people[NIP_1].position_id == uuid.UUID(imp_org["position:KABAN"])


async def test_trainings_native_and_siasn(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    await with_employees(importer)
    native = csv_bytes(
        [
            ["nip", "title", "hours_jp", "start_date", "end_date", "provider", "form",
             "competencies"],
            [NIP_1, "Pelatihan SPBE", "24", "2024-03-04", "2024-03-06", "BPSDM Banten",
             "training", "M.1;T.1"],
            [NIP_2, "Seminar", "0", "2024-03-04", "", "", "seminar", ""],
            [NIP_2, "Webinar", "2", "2024-03-04", "", "", "e_learning", "Z.1"],
        ]
    )  # fmt: skip
    result = await importer(native, kind="trainings", on_error="skip")
    errors = await errors_by_row(importer, result)
    assert set(errors) == {3, 4}
    assert errors[3][0].startswith("hours_jp")
    assert result["counts"]["inserted"] == 1
    siasn = csv_bytes(
        [
            ["nipBaru", "namaKursus", "jumlahJam", "tahunKursus", "institusiPenyelenggara"],
            [NIP_1, "Diklat Kepemimpinan", "40,5", "2023", "LAN RI"],
        ]
    )
    result = await importer(siasn, kind="trainings", mapping="siasn")
    assert result["counts"]["inserted"] == 1, await importer.errors(result)
    stored = {t.title: t for t in await rows_of(app, Training)}
    assert str(stored["Diklat Kepemimpinan"].hours_jp) == "40.5"
    assert stored["Diklat Kepemimpinan"].start_date.isoformat() == "2023-01-01"
    assert stored["Diklat Kepemimpinan"].form == "training"
    assert len(stored["Pelatihan SPBE"].competency_ids) == 2
    assert (await importer(siasn, kind="trainings", mapping="siasn"))["counts"]["unchanged"] == 1


async def test_performance_with_siasn_skp_values(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    await with_employees(importer)
    content = csv_bytes(
        [
            ["nipBaru", "tahun", "hasilKinerjaNilai", "perilakuKerjaNilai", "kuadranKinerjaNilai"],
            [NIP_1, "2023", "DI ATAS EKSPEKTASI", "DI ATAS EKSPEKTASI", "SANGAT BAIK"],
            [NIP_2, "2023", "SESUAI EKSPEKTASI", "DI BAWAH EKSPEKTASI", "BAIK"],  # wrong
            [NIP_2, "2018", "SESUAI EKSPEKTASI", "SESUAI EKSPEKTASI", ""],  # before TMT 2019
        ]
    )
    result = await importer(content, kind="performance", mapping="siasn", on_error="skip")
    errors = await errors_by_row(importer, result)
    assert set(errors) == {3, 4}
    assert "disagrees with the matrix" in errors[3][0]
    assert "before the appointment" in errors[4][0]
    stored = await rows_of(app, Performance)
    assert [(p.year, p.period, p.predicate) for p in stored] == [(2023, "annual", "sangat_baik")]
    native = csv_bytes(
        [["nip", "year", "period", "results", "behaviour", "score"],
         [NIP_1, "2023", "annual", "above", "as_expected", "88.5"]]
    )  # fmt: skip
    updated = await importer(native, kind="performance")
    assert updated["counts"]["updated"] == 1
    stored = await rows_of(app, Performance)
    assert (stored[0].predicate, float(stored[0].score or 0)) == ("baik", 88.5)


async def test_competency_assessments_recompute_current_levels(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    await with_employees(importer)
    content = csv_bytes(
        [
            ["nip", "competency", "level", "source", "assessed_on"],
            [NIP_1, "M.1", "2", "self", "2024-05-01"],
            [NIP_1, "M.1", "4", "assessment_center", "2023-02-01"],
            [NIP_1, "T.1", "3", "supervisor", "2024-01-10"],
            [NIP_2, "M.9", "3", "self", "2024-01-10"],
            [NIP_2, "M.2", "6", "self", "2024-01-10"],
            [NIP_2, "M.2", "3", "self", "2999-01-10"],
        ]
    )
    result = await importer(content, kind="competencies", on_error="skip")
    errors = await errors_by_row(importer, result)
    assert set(errors) == {5, 6, 7}
    assert "unknown competency M.9" in errors[5][0]
    assert "future" in errors[7][0]
    current = {(c.competency_id, c.level, c.source) for c in await rows_of(app, CurrentCompetency)}
    assert len(current) == 2
    assert any(level == 4 and source == "assessment_center" for _, level, source in current)
    assert len(await rows_of(app, CompetencyAssessment)) == 3


async def test_sanctions(app: FastAPI, imp_org: dict[str, Any], importer: Importer) -> None:
    await with_employees(importer)
    content = csv_bytes(
        [
            ["nipBaru", "tingkatHukumanDisiplin", "jenisHukumanNama", "nomorSk", "tmtHukuman",
             "akhirHukumanTanggal"],
            [NIP_1, "Ringan", "Teguran lisan", "862/1", "02-05-2023", ""],
            [NIP_2, "Berat", "Penurunan jabatan", "862/2", "02-05-2023", "01-05-2023"],
        ]
    )  # fmt: skip
    result = await importer(content, kind="sanctions", mapping="siasn", on_error="skip")
    errors = await errors_by_row(importer, result)
    assert set(errors) == {3} and "before start_date" in errors[3][0]
    stored = await rows_of(app, Sanction)
    assert [(s.severity, s.kind) for s in stored] == [("light", "Teguran lisan")]
    again = await importer(content, kind="sanctions", mapping="siasn", on_error="skip")
    assert again["counts"]["unchanged"] == 1


async def test_histories_only_for_the_agencys_employees(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer, client: AsyncClient
) -> None:
    await with_employees(importer)
    async with app.state.sessionmaker() as session:
        await session.execute(text("UPDATE employees SET agency_code = '53.71' WHERE nip = :n"),
                              {"n": NIP_2})  # fmt: skip
        await session.commit()
    content = csv_bytes(
        [["nip", "severity", "kind", "start_date"], [NIP_2, "light", "x", "2024-01-01"]]
    )
    result = await importer(content, kind="sanctions")
    assert result["status"] == "failed"
    assert "no employee with NIP" in (await importer.errors(result))[0]["message"]


async def test_imports_emit_the_same_outbox_events_as_the_api_without_nik(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    from asn_career.core.outbox import OutboxEvent

    await importer(csv_bytes([["nip", "name", "nik"], [NIP_1, "Budi", "3674012609860001"]]))
    await importer(csv_bytes([["nip", "name"], [NIP_1, "Budi Santoso"]]))
    await importer(
        csv_bytes([["nip", "position_code", "start_date"], [NIP_1, "ANALIS", "2016-01-04"]]),
        kind="assignments",
    )
    events = await rows_of(app, OutboxEvent)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_type.setdefault(event.event_type, []).append(event.payload)
    created = by_type["employee.created"][0]
    assert created["nip"] == NIP_1 and created["changes"]["name"]["after"] == "Budi"
    assert "nik" not in created["changes"] and "3674012609860001" not in str(events[0].payload)
    updates = by_type["employee.updated"]
    assert any(u["changes"].get("name", {}).get("after") == "Budi Santoso" for u in updates)
    assert any("position_id" in u["changes"] for u in updates)  # the current position moved
    changed = by_type["assignment.changed"][0]
    assert changed["action"] == "created" and changed["nip"] == NIP_1
    assert all(e.agency_code == AGENCY_A for e in events)


async def test_an_imported_assignment_dated_ahead_waits_for_its_day(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer, admin: dict[str, str]
) -> None:
    """The importer applies the API's rule of the current assignment (started, not ended),
    refuses a start more than a year ahead, and audits by NIP."""
    await with_employees(importer)
    today = today_in_indonesia()
    ahead = today + timedelta(days=20)
    content = csv_bytes(
        [
            ["nip", "position_code", "start_date", "end_date"],
            [NIP_1, "ANALIS", "2016-01-04", (ahead - timedelta(days=1)).isoformat()],
            [NIP_1, "KABAN", ahead.isoformat(), ""],
            [NIP_2, "GURU", "9999-01-01", ""],
        ]
    )
    result = await importer(content, kind="assignments", on_error="skip")
    assert result["counts"]["inserted"] == 2
    [error] = await importer.errors(result)
    assert (error["row"], error["column"]) == (4, "start_date")
    people = {e.nip: e for e in await rows_of(app, Employee)}
    assert people[NIP_1].position_id == uuid.UUID(imp_org["position:ANALIS"])
    assert people[NIP_2].position_id is None
    assert await switch_current_positions(app.state.sessionmaker, ahead) == 1
    people = {e.nip: e for e in await rows_of(app, Employee)}
    assert people[NIP_1].position_id == uuid.UUID(imp_org["position:KABAN"])
    audit = await importer.client.get(
        "/api/v1/audit", params={"nip": NIP_1, "entity_type": "assignment"}, headers=admin
    )
    assert len(audit.json()["items"]) == 2
