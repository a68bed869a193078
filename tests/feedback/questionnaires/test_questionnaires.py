"""Questionnaires: the seeded default, revisions by code, items checked against the
dictionary, who sees and writes which, and no change once a cycle uses one."""

from collections import Counter
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from asn_career.core.auth import Role
from asn_career.feedback.questionnaires.schemas import ItemCreate
from asn_career.feedback.rules import BERAKHLAK_VALUES, DEFAULT_QUESTIONNAIRE_CODE
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.cycles.helpers import QUESTIONNAIRES, audit, create_cycle, item
from tests.feedback.factory import FeedbackWorld


def body(agency: str | None = AGENCY_A, code: str = "UMPAN-BALIK", **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "agency_code": agency,
        "code": code,
        "title_id": "Umpan balik pelayanan",
        "title_en": "Service feedback",
        "items": [item("M1-a", "M.1"), item("BA1-a", "BA.1", "value")],
    }
    values.update(fields)
    return values


async def test_the_default_questionnaire_is_seeded_for_everyone(
    client: AsyncClient, world: FeedbackWorld, auth: TokenFactory
) -> None:
    employee_b = auth(Role.EMPLOYEE, AGENCY_B, sub=world.nip("b"))
    listed = await client.get(f"{QUESTIONNAIRES}?code={DEFAULT_QUESTIONNAIRE_CODE}",
                              headers=employee_b)  # fmt: skip
    assert listed.status_code == 200
    [summary] = listed.json()["items"]
    assert (summary["agency_code"], summary["revision"], summary["item_count"]) == (None, 1, 30)
    assert summary["in_use"] is False
    one = await client.get(f"{QUESTIONNAIRES}/{summary['id']}", headers=employee_b)
    items = one.json()["items"]
    assert [i["ordinal"] for i in items] == list(range(1, 31))
    per_dimension = Counter(i["dimension_code"] for i in items)
    assert per_dimension == {
        code: 2 for code in [*BERAKHLAK_VALUES, *(f"M.{n}" for n in range(1, 9))]
    }
    assert {i["dimension_kind"] for i in items if i["dimension_code"].startswith("BA.")} == {
        "value"
    }
    for entry in items:
        # The seeded items pass the same checks as a posted one, and every anchor differs.
        ItemCreate.model_validate({k: entry[k] for k in ItemCreate.model_fields})
        texts = [entry["anchors"][str(p)]["id"] for p in range(1, 6)]
        assert len(set(texts)) == 5 and all(t[0].isupper() for t in texts)
    integrity = next(i for i in items if i["code"] == "M1-a")
    assert integrity["text_id"] == "Bertindak jujur dan konsisten antara perkataan dan perbuatan"
    assert integrity["anchors"]["5"]["en"].startswith("Is a model of honesty")


async def test_hr_creates_revisions_of_a_code(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], hr_b: dict[str, str],
    app: FastAPI,
) -> None:  # fmt: skip
    first = await client.post(QUESTIONNAIRES, json=body(), headers=hr_a)
    assert first.status_code == 201, first.text
    created = first.json()
    assert first.headers["location"] == f"/api/v1/feedback/questionnaires/{created['id']}"
    assert (created["revision"], created["item_count"], created["in_use"]) == (1, 2, False)
    assert [i["code"] for i in created["items"]] == ["M1-a", "BA1-a"]
    assert created["items"][0]["anchors"]["3"] == {
        "id": "Perilaku tingkat 3",
        "en": "Behaviour at level 3",
    }
    second = await client.post(
        QUESTIONNAIRES, json=body(title_id="Umpan balik pelayanan 2027"), headers=hr_a
    )
    assert second.json()["revision"] == 2
    revisions = await client.get(f"{QUESTIONNAIRES}?code=UMPAN-BALIK", headers=hr_a)
    assert [q["revision"] for q in revisions.json()["items"]] == [2, 1]
    # Another agency numbers its own revisions of the same code.
    own_b = await client.post(QUESTIONNAIRES, json=body(AGENCY_B), headers=hr_b)
    assert own_b.json()["revision"] == 1
    assert len(await audit(app, "feedback_questionnaire.created")) == 3


async def test_who_sees_and_who_writes(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], hr_b: dict[str, str],
    admin: dict[str, str], auth: TokenFactory,
) -> None:  # fmt: skip
    own = (await client.post(QUESTIONNAIRES, json=body(), headers=hr_a)).json()
    url = f"{QUESTIONNAIRES}/{own['id']}"
    assert (await client.get(url)).status_code == 401
    assert (await client.post(QUESTIONNAIRES, json=body())).status_code == 401
    assert (await client.get(url, headers=hr_b)).status_code == 404
    assert (await client.patch(url, json={"title_id": "x"}, headers=hr_b)).status_code == 404
    listed_b = await client.get(QUESTIONNAIRES, headers=hr_b)
    assert own["id"] not in listed_b.text
    employee = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nip("staff0"))
    assert (await client.get(url, headers=employee)).status_code == 200
    assert (await client.post(QUESTIONNAIRES, json=body(), headers=employee)).status_code == 403
    assert (await client.patch(url, json={"title_id": "x"}, headers=employee)).status_code == 403
    assert (await client.post(QUESTIONNAIRES, json=body(AGENCY_B), headers=hr_a)).status_code == 403
    shared = await client.post(QUESTIONNAIRES, json=body(None, "BERSAMA"), headers=hr_a)
    assert shared.status_code == 403
    by_admin = await client.post(QUESTIONNAIRES, json=body(None, "BERSAMA"), headers=admin)
    assert by_admin.status_code == 201 and by_admin.json()["agency_code"] is None
    unknown = await client.post(QUESTIONNAIRES, json=body("36.99"), headers=admin)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["type"] == "agency_not_found"
    seen_by_b = await client.get(f"{QUESTIONNAIRES}/{by_admin.json()['id']}", headers=hr_b)
    assert seen_by_b.status_code == 200
    filtered = await client.get(f"{QUESTIONNAIRES}?agency={AGENCY_A}", headers=admin)
    assert {q["agency_code"] for q in filtered.json()["items"]} == {None, AGENCY_A}


async def test_items_measure_what_the_dictionary_holds(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], admin: dict[str, str]
) -> None:
    technical = await client.post(
        "/api/v1/competencies",
        json={"agency_code": AGENCY_A, "name_id": "Pengelolaan Arsip", "name_en": "Records",
              "descriptors": {n: {"id": f"Tingkat {n}", "en": f"Level {n}"} for n in "12345"}},
        headers=admin,
    )  # fmt: skip
    assert technical.status_code == 201, technical.text
    code = technical.json()["code"]
    ok = await client.post(QUESTIONNAIRES, json=body(items=[item("T-a", code)]), headers=hr_a)
    assert ok.status_code == 201, ok.text
    # Agency B's questionnaire cannot measure agency A's technical competency.
    foreign = await client.post(
        QUESTIONNAIRES, json=body(AGENCY_B, items=[item("T-a", code)]), headers=admin
    )
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["type"] == "unknown_competency"
    problems = await client.post(
        QUESTIONNAIRES,
        json=body(items=[item("A", "M.9"), item("B", "M.1", "value"), item("A", "BA.2", "value")]),
        headers={**hr_a, "Accept-Language": "id"},
    )
    assert problems.status_code == 422
    assert [(e["loc"], e["type"]) for e in problems.json()["errors"]] == [
        (["body", "items"], "duplicate_item_code"),
        (["body", "items", 0, "dimension_code"], "unknown_competency"),
        (["body", "items", 1, "dimension_code"], "unknown_value"),
    ]
    assert problems.json()["errors"][1]["msg"] == (
        "kompetensi M.9 tidak ada dalam kamus kompetensi instansi ini"
    )
    no_fifth = item()
    del no_fifth["anchors"]["5"]
    missing = await client.post(QUESTIONNAIRES, json=body(items=[no_fifth]), headers=hr_a)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["loc"][-1] == "5"
    value_code = await client.post(
        QUESTIONNAIRES, json=body(items=[item("X", "BA.8", "value")]), headers=hr_a
    )
    assert value_code.status_code == 422
    assert (await client.post(QUESTIONNAIRES, json=body(items=[]), headers=hr_a)).status_code == 422


async def test_an_unused_questionnaire_changes_and_a_used_one_never(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], app: FastAPI
) -> None:
    created = (await client.post(QUESTIONNAIRES, json=body(), headers=hr_a)).json()
    url = f"{QUESTIONNAIRES}/{created['id']}"
    stale = await client.patch(url, json={"title_id": "Baru"}, headers={**hr_a, "If-Match": '"5"'})
    assert stale.status_code == 412
    changed = await client.patch(
        url,
        json={"title_en": "Service feedback, revised", "items": [item("M2-a", "M.2")]},
        headers={**hr_a, "If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"2"'
    assert [i["code"] for i in changed.json()["items"]] == ["M2-a"]
    assert changed.json()["title_en"] == "Service feedback, revised"
    [row] = await audit(app, "feedback_questionnaire.updated")
    assert row.changes["items"] == {"before": ["M1-a", "BA1-a"], "after": ["M2-a"]}

    await create_cycle(client, hr_a, created["id"])
    read = await client.get(url, headers=hr_a)
    assert read.json()["in_use"] is True
    refused = await client.patch(
        url, json={"title_id": "Lagi"}, headers={**hr_a, "Accept-Language": "id"}
    )
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/questionnaire-in-use")
    assert "revisi baru" in refused.json()["detail"]
    after = await client.get(url, headers=hr_a)
    assert after.json() == read.json()
    # A new revision is the way to change it.
    revised = await client.post(QUESTIONNAIRES, json=body(), headers=hr_a)
    assert revised.json()["revision"] == 2
