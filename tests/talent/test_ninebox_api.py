"""``GET /talent/nine-box``, ``GET /employees/{nip}/nine-box`` and ``GET /talent/succession``
over one seeded organisation: boxes, reasons for none, units, movement, paging, SVG,
succession by rotation fit, 401/403/404."""

import io
import xml.etree.ElementTree as ET
from datetime import date

from fastapi import FastAPI
from fpdf import FPDF
from httpx import AsyncClient

from asn_career.core.auth import Role
from asn_career.core.pdf import add_fonts
from asn_career.talent import rules
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.talent.world import YEAR, World, talent_world

NINE_BOX = "/api/v1/talent/nine-box"
SUCCESSION = "/api/v1/talent/succession"


async def seed(app: FastAPI) -> World:
    w = await talent_world(app)
    await w.person(
        "star",
        "staf",
        skp={YEAR: "sangat_baik", YEAR - 1: "baik"},
        levels={"M.1": 2, "M.2": 2},
        feedback={"M.1": 2.0, "M.2": 2.0},
    )
    await w.person("solid", "analis", skp={YEAR: "baik"}, levels={"M.1": 2, "M.2": 2})
    await w.person("medium", "kasi", skp={YEAR: "sangat_baik"}, levels={"M.1": 3, "M.2": 2})
    await w.person("weak", "staf", skp={YEAR: "kurang"}, levels={"M.1": 1, "M.2": 1})
    await w.person(
        "hidden",
        "staf",
        skp={YEAR: "baik"},
        levels={"M.1": 2, "M.2": 1},
        feedback={"M.1": 2.0, "M.2": 2.0},
    )
    await w.person("top", "head", skp={YEAR: "baik"}, levels={"M.1": 4, "M.2": 4})
    await w.person("self_only", "staf", skp={YEAR: "baik"}, levels={"M.1": (2, "self")})
    await w.person("no_skp", "staf", levels={"M.1": 2, "M.2": 2})
    await w.person("idle", None, skp={YEAR: "baik"})
    await w.person("bare", "bare", skp={YEAR: "baik"}, levels={"M.1": 2})
    await w.person(
        "gone", "staf", skp={YEAR: "sangat_baik"}, levels={"M.1": 2, "M.2": 2}, status="retired"
    )
    await w.person("other", "b", skp={YEAR: "baik"}, levels={"M.1": 1})
    return w


EXPECTED = {"star": 9, "top": 8, "medium": 7, "hidden": 5, "solid": 2, "weak": 1}
REASONS = {
    "self_only": "no_potential_data",
    "no_skp": "no_skp",
    "idle": "no_position",
    "bare": "no_requirements",
}


async def test_agency_and_employee_nine_box(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    w = await seed(app)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    got = await client.get(NINE_BOX, params={"year": YEAR, "limit": 50}, headers=hr)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["employees"] == 10  # the retired one and agency B's are not counted
    counts = {b["box"]: b["count"] for b in body["boxes"]}
    assert counts == {b: (1 if b in EXPECTED.values() else 0) for b in range(1, 10)}
    assert [b["box"] for b in body["boxes"]] == list(range(9, 0, -1))
    assert body["boxes"][0]["action"]["id"].startswith("Dipromosikan")
    reasons = {r["reason"]: r["count"] for r in body["insufficient_data"]}
    assert reasons == {"no_position": 1, "no_skp": 1, "no_requirements": 1, "no_potential_data": 1}
    by_nip = {row["nip"]: row for row in body["items"]}
    for key, box in EXPECTED.items():
        assert by_nip[w.nips[key]]["box"] == box, key
    for key, reason in REASONS.items():
        assert by_nip[w.nips[key]]["box"] is None
        assert by_nip[w.nips[key]]["insufficient_data"] == reason
    assert by_nip[w.nips["star"]]["last_year_box"] == 8
    assert {"from_box": "8", "to_box": "9", "count": 1} in body["movement"]
    units = {u["unit_code"]: u for u in body["units"]}
    assert units["BIDANG"]["total"] == 8 and units["SETDA"]["boxes"]["8"] == 1

    # paging by NIP and filters
    first = await client.get(NINE_BOX, params={"year": YEAR, "limit": 4}, headers=hr)
    second = await client.get(
        NINE_BOX,
        params={"year": YEAR, "limit": 4, "cursor": first.json()["next_cursor"]},
        headers=hr,
    )
    nips = [r["nip"] for r in first.json()["items"] + second.json()["items"]]
    assert nips == sorted(by_nip)[:8]
    only9 = await client.get(NINE_BOX, params={"year": YEAR, "box": 9}, headers=hr)
    assert [r["nip"] for r in only9.json()["items"]] == [w.nips["star"]]
    setda = await client.get(
        NINE_BOX, params={"year": YEAR, "unit_id": str(w.units["setda"])}, headers=hr
    )
    assert len(setda.json()["items"]) == 10  # the secretariat holds the division
    bidang = await client.get(
        NINE_BOX, params={"year": YEAR, "unit_id": str(w.units["bidang"])}, headers=hr
    )
    assert len(bidang.json()["items"]) == 8

    # one employee: both axes with their inputs
    one = await client.get(
        f"/api/v1/employees/{w.nips['hidden']}/nine-box", params={"year": YEAR}, headers=hr
    )
    assert one.status_code == 200, one.text
    h = one.json()
    assert h["box"] == 5 and h["action"]["en"].startswith("Suitable placement")
    assert h["performance"]["predicate"] == "baik" and h["performance"]["axis"] == "as_expected"
    assert h["potential"]["target_position_id"] == str(w.positions["kasi"])
    assert h["potential"]["competency_coverage"] == 0.75
    assert h["potential"]["feedback_coverage"] == 1.0
    assert h["potential"]["score"] == "82.50" and h["potential"]["band"] == "medium"
    none = await client.get(
        f"/api/v1/employees/{w.nips['bare']}/nine-box", params={"year": YEAR}, headers=hr
    )
    assert none.json()["insufficient_data"] == "no_requirements"
    assert none.json()["reason_id"] == rules.INSUFFICIENT["no_requirements"][1]

    # SVG, and the same SVG inside a PDF
    svg = await client.get(
        NINE_BOX, params={"year": YEAR}, headers=hr | {"Accept": "image/svg+xml"}
    )
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)  # noqa: S314 - our own response
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Kotak 9" in texts and "Potensial" in texts and "Kinerja (predikat SKP)" in texts
    pdf = FPDF()
    add_fonts(pdf)
    pdf.add_page()
    pdf.image(io.BytesIO(svg.content), x=15, y=15, w=150)
    assert bytes(pdf.output()).startswith(b"%PDF")

    # security
    assert (await client.get(NINE_BOX, params={"year": YEAR})).status_code == 401
    employee = auth(Role.EMPLOYEE, AGENCY_A)
    assert (await client.get(NINE_BOX, params={"year": YEAR}, headers=employee)).status_code == 403
    other = auth(Role.HR_OFFICER, AGENCY_B)
    assert (
        await client.get(NINE_BOX, params={"agency": AGENCY_A, "year": YEAR}, headers=other)
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/employees/{w.nips['star']}/nine-box", headers=other)
    ).status_code == 404


async def test_two_year_average_policy_and_succession(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    w = await seed(app)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    # succession: the vacant administrator post; boxes 7–9 by fit, never the holder
    pool = await client.get(SUCCESSION, params={"year": YEAR}, headers=hr)
    assert pool.status_code == 200, pool.text
    [kabid] = pool.json()["items"]
    assert kabid["code"] == "KABID" and kabid["why"] == "vacant"
    assert {c["nip"] for c in kabid["candidates"]} == {w.nips[k] for k in ("star", "medium", "top")}
    fits = [c["fit"] for c in kabid["candidates"]]
    assert fits == sorted(fits, reverse=True)
    head = await client.get(
        SUCCESSION, params={"year": YEAR, "position_id": str(w.positions["head"])}, headers=hr
    )
    [item] = head.json()["items"]
    assert item["why"] == "asked" and item["holder_nip"] == w.nips["top"]
    assert {c["nip"] for c in item["candidates"]} == {w.nips["star"], w.nips["medium"]}
    # the fit is the rotation fit of the same pair
    candidates = await client.get(
        f"/api/v1/positions/{w.positions['head']}/candidates",
        params={"eligible_only": "false", "limit": 50},
        headers=hr,
    )
    rotation_fit = {c["nip"]: c["fit"] for c in candidates.json()["items"]}
    for c in item["candidates"]:
        assert abs(c["fit"] - rotation_fit[c["nip"]]) < 0.01
    elsewhere = await client.get(
        SUCCESSION, params={"position_id": str(w.positions["b"])}, headers=hr
    )
    assert elsewhere.status_code == 404

    # two years averaged: star's Sangat Baik + Baik = 2.5 → above; 2024 alone stays as it was
    put = await client.put(
        f"/api/v1/talent/policy?agency={AGENCY_A}",
        json={"performance_source": "two_year_average"},
        headers=hr | {"If-Match": '"0"'},
    )
    assert put.status_code == 200, put.text
    one = await client.get(
        f"/api/v1/employees/{w.nips['star']}/nine-box", params={"year": YEAR}, headers=hr
    )
    assert one.json()["performance"]["level"] == "2.50"
    assert one.json()["performance"]["previous_predicate"] == "baik"
    assert one.json()["box"] == 9
    # without 360° as a calibrated source, hidden's potential is the assessment's alone
    await client.put(
        f"/api/v1/talent/policy?agency={AGENCY_A}",
        json={"calibrated_sources": ["assessment_center"], "potential_medium_from": 80},
        headers=hr,
    )
    hidden = await client.get(
        f"/api/v1/employees/{w.nips['hidden']}/nine-box", params={"year": YEAR}, headers=hr
    )
    assert hidden.json()["potential"]["score"] == "75.00"
    assert hidden.json()["potential"]["feedback_coverage"] is None
    assert hidden.json()["box"] == 2


def test_the_box_numbers_are_the_domain_documents() -> None:
    assert rules.box("above", "high") == 9 and rules.box("below", "low") == 1
    assert rules.box("as_expected", "high") == 8 and rules.box("above", "medium") == 7
    assert rules.box("below", "high") == 6 and rules.box("as_expected", "medium") == 5
    assert rules.box("above", "low") == 4 and rules.box("below", "medium") == 3
    assert rules.box("as_expected", "low") == 2
    assert sorted(rules.BOX.values()) == list(range(1, 10))
    assert set(rules.BOX_ACTIONS) == set(range(1, 10))
    assert date(YEAR, 1, 1).year == YEAR
