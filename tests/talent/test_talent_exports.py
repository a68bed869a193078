"""``?format=csv|xlsx`` on ``GET /talent/nine-box`` (every employee of the list) and
``GET /agencies/{code}/professionalism-index`` (every employee's index): headers, rows,
filters and scope."""

import csv
import io

from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook

from asn_career.core.auth import Role
from asn_career.core.sheets import XLSX_MEDIA_TYPE
from asn_career.talent import rules
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.talent.test_ninebox_api import seed
from tests.talent.world import YEAR

NINE_BOX = "/api/v1/talent/nine-box"
INDEX = f"/api/v1/agencies/{AGENCY_A}/professionalism-index"
NINE_BOX_HEADER = [
    "nip", "name", "unit_code", "unit_name", "position", "performance", "potential",
    "potential_band", "box", "action", "insufficient_data", "last_year_box",
]  # fmt: skip
INDEX_HEADER = [
    "nip", "name", "unit_code", "unit_name", "qualification", "competency", "performance",
    "discipline", "total", "category",
]  # fmt: skip


def _csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel wants
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_nine_box_and_index_as_files(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    w = await seed(app)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    year = {"year": YEAR}

    got = await client.get(NINE_BOX, params={**year, "format": "csv"}, headers=hr)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    assert got.headers["content-disposition"] == (
        f'attachment; filename="nine-box-{AGENCY_A}-{YEAR}.csv"'
    )
    assert got.headers["cache-control"] == "no-store"
    text = got.content.decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == NINE_BOX_HEADER
    rows = _csv(got.content)
    assert len(rows) == 10  # all of them, not a page; the retired and agency B's are not
    assert [r["nip"] for r in rows] == sorted(r["nip"] for r in rows)
    star = next(r for r in rows if r["nip"] == w.nips["star"])
    assert star == {
        "nip": w.nips["star"], "name": "Pegawai star", "unit_code": "BIDANG",
        "unit_name": "Unit bidang", "position": "Jabatan staf", "performance": "above",
        "potential": star["potential"], "potential_band": "high", "box": "9",
        "action": rules.BOX_ACTIONS[9][1], "insufficient_data": "", "last_year_box": "8",
    }  # fmt: skip
    assert float(star["potential"]) >= 80
    idle = next(r for r in rows if r["nip"] == w.nips["idle"])
    assert (idle["box"], idle["action"], idle["insufficient_data"]) == ("", "", "no_position")

    # the list's filters hold; Accept picks XLSX
    xlsx = await client.get(
        NINE_BOX, params={**year, "box": 9}, headers=hr | {"Accept": XLSX_MEDIA_TYPE}
    )
    assert xlsx.status_code == 200, xlsx.text
    assert xlsx.headers["content-type"] == XLSX_MEDIA_TYPE
    assert xlsx.headers["vary"] == "Accept"
    sheet = _xlsx(xlsx.content)
    assert sheet[0] == NINE_BOX_HEADER
    assert len(sheet) == 2 and sheet[1][0] == w.nips["star"] and sheet[1][8] == 9
    # JSON stays the default
    assert (await client.get(NINE_BOX, params=year, headers=hr)).json()["items"]

    index = await client.get(INDEX, params={**year, "format": "xlsx"}, headers=hr)
    assert index.status_code == 200, index.text
    assert index.headers["content-disposition"] == (
        f'attachment; filename="professionalism-index-{AGENCY_A}-{YEAR}.xlsx"'
    )
    sheet = _xlsx(index.content)
    assert sheet[0] == INDEX_HEADER
    assert len(sheet) == 11
    one = (
        await client.get(
            f"/api/v1/employees/{w.nips['solid']}/professionalism-index",
            params=year, headers=hr,
        )
    ).json()  # fmt: skip
    solid = next(row for row in sheet if row[0] == w.nips["solid"])
    assert solid == [
        w.nips["solid"], "Pegawai solid", "BIDANG", "Unit bidang",
        one["qualification"]["points"], one["competency"]["points"],
        one["performance"]["points"], one["discipline"]["points"], one["total"],
        one["category_label"],
    ]  # fmt: skip
    as_csv = _csv((await client.get(INDEX, params={**year, "format": "csv"}, headers=hr)).content)
    assert list(as_csv[0]) == INDEX_HEADER and len(as_csv) == 10

    # scope: another agency's HR and employees get no file
    other = auth(Role.HR_OFFICER, AGENCY_B)
    assert (
        await client.get(
            NINE_BOX, params={**year, "agency": AGENCY_A, "format": "csv"}, headers=other
        )
    ).status_code == 404
    assert (
        await client.get(INDEX, params={**year, "format": "csv"}, headers=other)
    ).status_code == 404
    employee = auth(Role.EMPLOYEE, AGENCY_A, sub=w.nips["star"])
    for url in (NINE_BOX, INDEX):
        assert (
            await client.get(url, params={**year, "format": "csv"}, headers=employee)
        ).status_code == 403
    # agency B's own file holds only its employee
    mine = _csv(
        (await client.get(NINE_BOX, params={**year, "format": "csv"}, headers=other)).content
    )
    assert [r["nip"] for r in mine] == [w.nips["other"]]
