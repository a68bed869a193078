"""The career evaluation on one seeded world (``world.py``): each figure against the data
built there, `no_data` where there is none, the merit evidence, scope; the side-by-side
report as JSON, CSV, XLSX and PDF."""

import io

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook

from asn_career.core.auth import Role
from asn_career.talent.evaluation import rules
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.talent.evaluation.world import API, YEAR, EvaluationWorld


def by_code(body: dict) -> dict:  # type: ignore[type-arg]
    return {f["code"]: f for f in body["figures"]}


async def test_evaluation_and_report(app: FastAPI, client: AsyncClient, auth: TokenFactory) -> None:
    world = await EvaluationWorld(app).setup()
    await world.survey(client, auth)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    got = await client.get(f"{API}/agencies/{AGENCY_A}/career-evaluation?year={YEAR}", headers=hr)
    assert got.status_code == 200, got.text
    body = got.json()
    f = by_code(body)
    assert list(f) == list(rules.FIGURE_CODES)
    for fig in body["figures"]:
        assert fig["definition_id"] and fig["definition_en"] and fig["sources"]

    # 20 JP: u1 (14 people) 24 JP each; u2 (10): the even ones 22, the odd ones 8
    assert f["jp20_share"]["value"] == pytest.approx(19 / 24, abs=1e-4)
    # last year: the even half had 20 JP
    assert f["jp20_share"]["previous_value"] == pytest.approx(12 / 24, abs=1e-4)
    assert f["jp20_share"]["trend"] == "up"
    assert f["jp20_share"]["counts"]["employees"] == 24
    # equity: by unit u1 mean 24, u2 mean 15 → 0.625; gender and rank groups are closer
    assert f["training_equity"]["counts"]["unit_ratio"] == pytest.approx(15 / 24, abs=1e-4)
    assert f["training_equity"]["value"] <= f["training_equity"]["counts"]["unit_ratio"]
    # competency gap: required 3, levels 1 + n % 3 → gaps 2, 1 (0 is no need)
    gap = f["competency_gap"]
    assert gap["status"] == "ok" and 1.0 <= gap["value"] <= 2.0
    # last year's end: the levels were assessed this year, so none was known then (gap 2
    # on the 21 positions held then that require M.1; the three movers held old ones)
    assert gap["previous_value"] == 2.0 and gap["counts"]["previous_needs"] == 21
    # rotation: 3 moves of 24 holders this year; everybody else since 2018
    assert f["rotation_rate"]["value"] == pytest.approx(3 / 24, abs=1e-4)
    assert f["rotation_rate"]["previous_value"] == 0
    assert f["tenure_past_max"]["counts"]["holding"] == 24
    # no 360° cycles, no mentoring programmes: no data, never 0
    for code in ("feedback_participation", "feedback_completion", "mentoring_coverage",
                 "mentoring_satisfaction"):  # fmt: skip
        assert f[code]["status"] == "no_data" and f[code]["value"] is None
        assert f[code]["trend"] == "no_data"
    # no SKP in this world, so no 9-box: the talent pool's promotion figure has no data
    assert f["talent_promotion_ratio"]["status"] == "no_data"
    assert f["talent_promotion_ratio"]["counts"] == {
        "top": 0, "top_promoted": 0, "rest": 0, "rest_promoted": 0,
    }  # fmt: skip
    assert f["placement_fit"]["status"] == "ok" and 0 <= f["placement_fit"]["value"] <= 1
    # last year's end: only the three movers fit (old positions require nothing)
    assert f["placement_fit"]["previous_value"] == pytest.approx(3 / 24, abs=1e-4)
    # the survey's frozen results feed the satisfaction figures
    results = (await client.get(f"{API}/surveys/{world.survey_id}/results", headers=hr)).json()
    assert f["employee_satisfaction"]["value"] == results["overall"]["satisfaction_index"]
    si = next(q for q in results["overall"]["questions"] if q["code"] == "sistem_informasi")
    assert f["information_system_satisfaction"]["value"] == si["mean"]
    assert f["employee_satisfaction"]["previous_value"] is None
    fair = [q["mean"] for q in results["overall"]["questions"]
            if q["code"] in ("promosi_adil", "rotasi_adil")]  # fmt: skip
    assert f["promotion_fairness"]["value"] == pytest.approx(sum(fair) / 2, abs=1e-3)

    merit = {m["code"]: m for m in body["merit"]}
    assert len(merit) == 8
    for code in ("perencanaan_kebutuhan", "pengadaan", "penggajian_penghargaan_disiplin"):
        assert not merit[code]["has_data"] and not merit[code]["indicators"]
    career = {i["code"]: i for i in merit["pengembangan_karier"]["indicators"]}
    assert career["jp20"]["verdict"] == "inconclusive"  # 0.79: between 0.5 and 0.8
    assert career["equal_access"]["verdict"] == "inconclusive"  # 0.625
    assert career["mentoring"]["verdict"] == "no_data"
    performance = merit["manajemen_kinerja"]
    assert not performance["has_data"]

    # scope: another agency's officer gets 404; employees may not read evaluations
    b_hr = auth(Role.HR_OFFICER, AGENCY_B)
    url = f"{API}/agencies/{AGENCY_A}/career-evaluation?year={YEAR}"
    assert (await client.get(url, headers=b_hr)).status_code == 404
    assert (await client.get(url, headers=auth(Role.EMPLOYEE, AGENCY_A))).status_code == 403

    # side by side: both agencies for an officer of both, only B's for B's officer
    both = auth(Role.HR_OFFICER, AGENCY_A, AGENCY_B)
    report_url = f"{API}/reports/career-evaluation?year={YEAR}"
    side = await client.get(f"{report_url}&agencies={AGENCY_A},{AGENCY_B}", headers=both)
    assert side.status_code == 200
    agencies = side.json()["agencies"]
    assert [a["agency_code"] for a in agencies] == [AGENCY_A, AGENCY_B]
    assert by_code(agencies[0]) == f
    assert by_code(agencies[1])["employee_satisfaction"]["status"] == "no_data"
    mine = (await client.get(report_url, headers=b_hr)).json()["agencies"]
    assert [a["agency_code"] for a in mine] == [AGENCY_B]
    hidden = await client.get(f"{report_url}&agencies={AGENCY_A},{AGENCY_B}", headers=b_hr)
    assert hidden.status_code == 404
    bad = await client.get(f"{report_url}&agencies=x;y", headers=both)
    assert bad.status_code == 422

    csv = await client.get(f"{report_url}&agencies={AGENCY_A}&format=csv", headers=both)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("agency_code,agency_name,year,section")
    assert any(",figure,,jp20_share," in line for line in lines)
    assert any(",merit,pengadaan,," in line and line.endswith("no_data") for line in lines)
    xlsx = await client.get(f"{report_url}&agencies={AGENCY_A}&format=xlsx", headers=both)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "agency_code" and len(rows) == len(lines)

    pdf = await client.get(f"{report_url}&agencies={AGENCY_A},{AGENCY_B}&format=pdf",
                           headers=both)  # fmt: skip
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    accept = await client.get(f"{report_url}&agencies={AGENCY_A}",
                              headers=both | {"Accept": "application/pdf"})  # fmt: skip
    assert accept.content.startswith(b"%PDF")
