"""The catalogue as a file: exported by ``GET /exports/training_courses`` and imported by
``POST /imports`` (kind ``training_courses``) through the generic machinery."""

import csv
import io

from fastapi import FastAPI
from httpx import AsyncClient

from tests.conftest import AGENCY_A
from tests.feedback.factory import FeedbackWorld
from tests.imports.conftest import run_jobs, upload
from tests.training.courses.helpers import API, create_course


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


async def test_export_then_import_round_trip(
    client: AsyncClient, app: FastAPI, world: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    await create_course(
        client, hr_a, "SPBE-01", min_rank="III/a", max_rank="III/d",
        eligible_position_kinds=["pelaksana"],
        competencies=[{"code": "M.1", "target_level": 4}, {"code": "M.2", "target_level": 3}],
    )  # fmt: skip
    await create_course(client, hr_a, "S2-01", form="degree_study", hours_jp=300)
    exported = await client.get(
        "/api/v1/exports/training_courses", params={"agency": AGENCY_A}, headers=hr_a
    )
    assert exported.status_code == 200, exported.text
    rows = _rows(exported.content)
    assert [r["code"] for r in rows] == ["S2-01", "SPBE-01"]
    spbe = rows[1]
    assert spbe["competencies"] == "M.1:4;M.2:3" and spbe["eligible_position_kinds"] == "pelaksana"
    assert (spbe["min_rank"], spbe["max_rank"], spbe["hours_jp"]) == ("III/a", "III/d", "24.0")

    # Re-importing the export unchanged changes nothing.
    same = await _import(client, app, hr_a, exported.content)
    assert (same["inserted"], same["updated"], same["unchanged"]) == (0, 0, 2), same

    # A title changed, competencies replaced, a new course, and a row the API would refuse.
    spbe["title"] = "Pelatihan SPBE Lanjutan"
    spbe["competencies"] = "M.2:5"
    new = dict(spbe, code="SPBE-02", competencies="M.1:2", min_rank="", max_rank="")
    bad = dict(spbe, code="SPBE-03", min_rank="IV/a", max_rank="III/a")
    changed = await _import(client, app, hr_a, _csv([rows[0], spbe, new, bad]))
    assert (changed["inserted"], changed["updated"], changed["unchanged"]) == (1, 1, 1), changed
    errors = await client.get(f"/api/v1/imports/{changed['id']}/errors", headers=hr_a)
    assert [(e["row"], e["column"]) for e in errors.json()["items"]] == [(5, "max_rank")]

    listed = {c["code"]: c for c in (await client.get(API, headers=hr_a)).json()["items"]}
    assert set(listed) == {"S2-01", "SPBE-01", "SPBE-02"}
    assert listed["SPBE-01"]["title"] == "Pelatihan SPBE Lanjutan"
    assert listed["SPBE-01"]["competencies"] == [{"code": "M.2", "target_level": 5}]
    assert listed["SPBE-01"]["version"] == 2
    assert listed["SPBE-02"]["competencies"] == [{"code": "M.1", "target_level": 2}]
    assert listed["S2-01"]["form"] == "degree_study"


async def _import(
    client: AsyncClient, app: FastAPI, headers: dict[str, str], content: bytes
) -> dict[str, int | str]:
    response = await upload(
        client, headers, content, kind="training_courses", on_error="skip", mode="upsert"
    )
    assert response.status_code == 202, response.text
    await run_jobs(app)
    final = await client.get(response.headers["Location"], headers=headers)
    assert final.status_code == 200, final.text
    body = final.json()
    counts = body.get("counts") or body
    return {"id": body["id"], **{k: counts[k] for k in ("inserted", "updated", "unchanged")}}
