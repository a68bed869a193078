"""``/training/requests``: asking, deciding, withdrawing, reading and counting."""

import uuid
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.audit.models import AuditEntry
from asn_career.core.auth import Role
from asn_career.core.outbox import OutboxEvent
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.training.needs.world import YEAR, NeedsWorld

URL = "/api/v1/training/requests"


def body(**fields: Any) -> dict[str, Any]:
    return {
        "topic": "Sistem Pemerintahan Berbasis Elektronik",
        "competency": "M.1",
        "reason": "Unit kami mulai memakai SPBE dan saya belum pernah dilatih.",
        "year": YEAR,
        **fields,
    }


def employee(auth: TokenFactory, world: NeedsWorld, key: str) -> dict[str, str]:
    return auth(Role.EMPLOYEE, AGENCY_A, sub=world.nip(key))


def supervisor(auth: TokenFactory, world: NeedsWorld, key: str) -> dict[str, str]:
    return auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip(key))


async def ask(client: AsyncClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = await client.post(URL, json=body(**fields), headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_an_employee_asks_for_themselves(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    response = await client.post(URL, json=body(), headers=employee(auth, world, "staff0"))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["nip"] == world.nip("staff0") and created["status"] == "submitted"
    assert (created["competency_code"], created["agency_code"]) == ("M.1", AGENCY_A)
    assert response.headers["Location"].endswith(created["id"])
    assert response.headers["ETag"] == '"1"'
    course = await world.course(title="SPBE Dasar")
    from_catalogue = await ask(
        client, employee(auth, world, "staff0"), topic=None, course_id=str(course),
        nip=world.nip("staff0"),
    )  # fmt: skip
    assert from_catalogue["course_title"] == "SPBE Dasar" and from_catalogue["topic"] is None


async def test_hr_asks_for_anyone_of_the_agency(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    created = await ask(client, hr, nip=world.nip("staff3"))
    assert created["employee_id"] == str(world.id("staff3"))
    missing = await client.post(URL, json=body(), headers=hr)
    assert missing.status_code == 422
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    other = await client.post(URL, json=body(nip=world.nip("staff3")), headers=hr_b)
    assert other.status_code == 422
    assert other.json()["errors"][0]["loc"] == ["body", "nip"]


async def test_what_a_request_may_not_be(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    own = employee(auth, world, "staff0")
    for_another = await client.post(URL, json=body(nip=world.nip("staff1")), headers=own)
    assert for_another.status_code == 403
    course = await world.course()
    course_b = await world.course(agency=AGENCY_B)
    for wrong, field in (
        ({"topic": None}, "course_id"),  # neither
        ({"course_id": str(course)}, "course_id"),  # both
        ({"topic": None, "course_id": str(course_b)}, "course_id"),  # another agency's
        ({"topic": None, "course_id": str(uuid.uuid4())}, "course_id"),
        ({"competency": "T.999"}, "competency"),
        ({"competency": "X"}, "competency"),
        ({"reason": ""}, "reason"),
        ({"topic": "SPBE\u202e"}, "topic"),
        ({"extra": 1}, "extra"),
    ):
        response = await client.post(URL, json=body(**wrong), headers=own)
        assert response.status_code == 422, (wrong, response.text)
        assert response.json()["errors"][0]["loc"][-1] == field, (wrong, response.text)


async def test_the_direct_supervisor_endorses_and_a_decided_request_stays_decided(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    created = await ask(client, employee(auth, world, "staff5"))  # the clerk, under the chief
    url = f"{URL}/{created['id']}"
    assert (
        await client.post(f"{url}/endorse", headers=employee(auth, world, "staff5"))
    ).status_code == 403
    head = supervisor(auth, world, "head")  # sees the clerk through the chief, but is not theirs
    not_direct = await client.post(f"{url}/endorse", headers=head)
    assert not_direct.status_code == 403
    assert not_direct.json()["type"].endswith("/not-the-supervisor")
    outsider = supervisor(auth, world, "staff0")  # cannot see the clerk at all
    assert (await client.post(f"{url}/endorse", headers=outsider)).status_code == 404
    stale = await client.post(
        f"{url}/endorse", headers={**supervisor(auth, world, "staff4"), "If-Match": '"7"'}
    )
    assert stale.status_code == 412
    endorsed = await client.post(f"{url}/endorse", headers=supervisor(auth, world, "staff4"))
    assert endorsed.status_code == 200, endorsed.text
    assert endorsed.json()["status"] == "endorsed"
    assert endorsed.json()["decided_by"] == world.nip("staff4")
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    for action, payload in (("endorse", None), ("reject", {"reason": "Anggaran habis"})):
        again = await client.post(f"{url}/{action}", json=payload, headers=hr)
        assert again.status_code == 409, again.text
        assert again.json()["type"].endswith("/request-decided")
    withdraw = await client.post(f"{url}/withdraw", headers=employee(auth, world, "staff5"))
    assert withdraw.status_code == 409


async def test_a_rejection_needs_a_reason(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    created = await ask(client, employee(auth, world, "staff0"))
    url = f"{URL}/{created['id']}/reject"
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    for payload in (None, {}, {"reason": None}, {"reason": " "}):
        response = await client.post(url, json=payload, headers=hr)
        assert response.status_code == 422, (payload, response.text)
    rejected = await client.post(url, json={"reason": "Belum relevan tahun ini"}, headers=hr)
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["decision_reason"]) == (
        "rejected",
        "Belum relevan tahun ini",
    )
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    assert (await client.post(url, json={"reason": "x y z"}, headers=hr_b)).status_code == 404


async def test_the_requester_withdraws(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    created = await ask(client, employee(auth, world, "staff0"))
    url = f"{URL}/{created['id']}/withdraw"
    other = await client.post(url, headers=auth(Role.HR_OFFICER, AGENCY_A))
    assert other.status_code == 403
    assert other.json()["type"].endswith("/not-the-requester")
    done = await client.post(url, headers=employee(auth, world, "staff0"))
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
    assert (await client.post(url, headers=employee(auth, world, "staff0"))).status_code == 409
    endorse = await client.post(
        f"{URL}/{created['id']}/endorse", headers=supervisor(auth, world, "head")
    )
    assert endorse.status_code == 409


async def test_who_sees_which_requests(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    mine = await ask(client, employee(auth, world, "staff0"))
    clerk = await ask(client, employee(auth, world, "staff5"))
    await world.request("b", "M.1")

    async def listed(headers: dict[str, str], **params: Any) -> set[str]:
        response = await client.get(URL, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return {i["id"] for i in response.json()["items"]}

    assert await listed(employee(auth, world, "staff0")) == {mine["id"]}
    assert await listed(supervisor(auth, world, "staff4")) == {clerk["id"]}
    assert await listed(supervisor(auth, world, "head")) == {mine["id"], clerk["id"]}
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    assert await listed(hr) == {mine["id"], clerk["id"]}
    assert await listed(hr, unit_id=str(world.sub_unit)) == {clerk["id"]}
    assert await listed(hr, unit_id=str(world.base.unit_id)) == {mine["id"], clerk["id"]}
    assert await listed(hr, year=YEAR - 1) == set()
    assert await listed(hr, status="endorsed") == set()
    assert await listed(hr, agency=AGENCY_B) == set()
    assert len(await listed(auth(Role.ADMIN))) == 3
    assert await listed(auth(Role.HR_OFFICER, AGENCY_B), agency=AGENCY_A) == set()

    one = await client.get(f"{URL}/{mine['id']}", headers=hr)
    assert one.status_code == 200 and one.headers["ETag"] == '"1"'
    for headers in (auth(Role.HR_OFFICER, AGENCY_B), employee(auth, world, "staff1")):
        assert (await client.get(f"{URL}/{mine['id']}", headers=headers)).status_code == 404
    assert (await client.get(f"{URL}/{uuid.uuid4()}", headers=hr)).status_code == 404
    assert (await client.get(f"{URL}/{mine['id']}")).status_code == 401


async def test_pages_are_newest_first(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    made = [(await ask(client, hr, nip=world.nip(f"staff{n}")))["id"] for n in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(URL, params=params, headers=hr)).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == made[::-1]


async def test_summary_counts_per_topic_and_unit(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    course = await world.course(title="SPBE Dasar")
    await ask(client, hr, nip=world.nip("staff0"), topic="SPBE  dasar")
    await ask(client, hr, nip=world.nip("staff1"), topic=None, course_id=str(course))
    clerk = await ask(client, hr, nip=world.nip("staff5"), topic=None, course_id=str(course))
    await ask(client, hr, nip=world.nip("staff2"), topic="Manajemen Arsip")
    gone = await ask(client, hr, nip=world.nip("staff3"), topic="Manajemen Arsip")
    await client.post(f"{URL}/{clerk['id']}/endorse", headers=hr)
    await client.post(f"{URL}/{gone['id']}/withdraw", headers=employee(auth, world, "staff3"))
    response = await client.get(
        f"{URL}/summary", params={"agency": AGENCY_A, "year": YEAR}, headers=hr
    )
    assert response.status_code == 200, response.text
    summary = response.json()
    topics = {t["topic"]: t for t in summary["topics"]}
    assert list(topics) == ["spbe dasar", "manajemen arsip"]
    assert (topics["spbe dasar"]["total"], topics["spbe dasar"]["endorsed"]) == (3, 1)
    assert topics["spbe dasar"]["course_id"] is None  # a free topic among them
    assert topics["manajemen arsip"]["total"] == 1  # the withdrawn one is not counted
    units = {u["unit_id"]: u["total"] for u in summary["units"]}
    assert units == {str(world.base.unit_id): 3, str(world.sub_unit): 1}
    for headers in (auth(Role.HR_OFFICER, AGENCY_B), employee(auth, world, "staff0")):
        other = await client.get(f"{URL}/summary", params={"agency": AGENCY_A}, headers=headers)
        assert other.status_code == 403
    assert (await client.get(f"{URL}/summary", headers=hr)).status_code == 422


async def test_changes_are_audited_with_their_events(
    app: Any, client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    first = await ask(client, employee(auth, world, "staff0"))
    second = await ask(client, employee(auth, world, "staff1"))
    await client.post(f"{URL}/{first['id']}/endorse", headers=hr)
    await client.post(f"{URL}/{second['id']}/reject", json={"reason": "Belum perlu"}, headers=hr)
    async with app.state.sessionmaker() as session:
        events = (await session.scalars(select(OutboxEvent.event_type))).all()
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert sorted(e for e in events if e.startswith("training.")) == [
        "training.request.created",
        "training.request.created",
        "training.request.endorsed",
        "training.request.rejected",
    ]
    assert sorted(a for a in actions if a.startswith("training_request.")) == [
        "training_request.created",
        "training_request.created",
        "training_request.updated",
        "training_request.updated",
    ]


async def test_an_endorsed_request_raises_the_needs_priority(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)

    async def priority() -> float:
        response = await client.get(
            "/api/v1/training/needs",
            params={"agency": AGENCY_A, "nip": world.nip("staff0"), "competency": "M.1",
                    "year": YEAR},
            headers=hr,
        )  # fmt: skip
        value: float = response.json()["items"][0]["priority"]
        return value

    before = await priority()
    created = await ask(client, employee(auth, world, "staff0"))
    assert await priority() == before
    await client.post(f"{URL}/{created['id']}/endorse", headers=supervisor(auth, world, "head"))
    assert await priority() == before + 0.75


async def test_roles_and_credentials(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    assert (await client.post(URL, json=body())).status_code == 401
    assert (await client.get(URL)).status_code == 401
    created = await ask(client, employee(auth, world, "staff0"))
    reject = await client.post(
        f"{URL}/{created['id']}/reject", json={"reason": "Tidak"},
        headers=employee(auth, world, "staff0"),
    )  # fmt: skip
    assert reject.status_code == 403
