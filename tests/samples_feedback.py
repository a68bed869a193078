"""360° feedback objects of agency A for the security walk (see tests/samples.py).

Keys are the path parameter names of the feedback routes: ``questionnaire_id`` (agency A's
own questionnaire, so that no other agency may see it), ``cycle_id`` (a draft cycle of
agency A whose subject is the profiles sample ``nip``) and ``request_id`` (that subject's
self-assessment request). Created through the API.
"""

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from httpx import AsyncClient

from tests.conftest import AGENCY_A

ANCHORS = {
    str(n): {"id": f"Perilaku tingkat {n}", "en": f"Behaviour at level {n}"} for n in range(1, 6)
}


async def build_feedback_samples(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], samples: dict[str, str]
) -> dict[str, str]:
    questionnaire = await client.post(
        "/api/v1/feedback/questionnaires",
        json={
            "agency_code": AGENCY_A,
            "code": "SAMPEL-360",
            "title_id": "Kuesioner sampel",
            "title_en": "Sample questionnaire",
            "items": [
                {
                    "code": "M1-a",
                    "text_id": "Bertindak jujur",
                    "text_en": "Acts honestly",
                    "dimension_kind": "competency",
                    "dimension_code": "M.1",
                    "anchors": ANCHORS,
                }
            ],
        },
        headers=admin,
    )
    assert questionnaire.status_code == 201, questionnaire.text
    deadline = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    cycle = await client.post(
        "/api/v1/feedback/cycles",
        json={
            "agency_code": AGENCY_A,
            "name": "Umpan balik 360° sampel",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "questionnaire_id": questionnaire.json()["id"],
            "deadline": deadline,
        },
        headers=admin,
    )
    assert cycle.status_code == 201, cycle.text
    cycle_id = cycle.json()["id"]
    subjects = await client.post(
        f"/api/v1/feedback/cycles/{cycle_id}/subjects",
        json={"nips": [samples["nip"]]},
        headers=admin,
    )
    assert subjects.status_code == 200, subjects.text
    request = await client.post(
        f"/api/v1/feedback/cycles/{cycle_id}/requests",
        json={"subject_nip": samples["nip"], "rater_nip": samples["nip"], "relationship": "self"},
        headers=admin,
    )
    assert request.status_code == 201, request.text
    return {
        "questionnaire_id": questionnaire.json()["id"],
        "cycle_id": cycle_id,
        "request_id": request.json()["id"],
    }
