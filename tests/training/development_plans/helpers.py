"""Shared by the development-plan tests: URLs, callers, and reading a PDF's text."""

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from httpx import AsyncClient

from asn_career.core.auth import Role
from tests.conftest import AGENCY_A, TokenFactory
from tests.training.needs.world import YEAR, NeedsWorld

API = "/api/v1"


def plans_of(nip: str) -> str:
    return f"{API}/employees/{nip}/development-plans"


def plan_url(plan_id: str, action: str = "") -> str:
    return f"{API}/development-plans/{plan_id}" + (f"/{action}" if action else "")


def as_employee(auth: TokenFactory, world: NeedsWorld, key: str) -> dict[str, str]:
    return auth(Role.EMPLOYEE, AGENCY_A, sub=world.nip(key))


def as_supervisor(auth: TokenFactory, world: NeedsWorld, key: str) -> dict[str, str]:
    return auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip(key))


def plan_body(**fields: Any) -> dict[str, Any]:
    return {
        "year": YEAR,
        "goals": [{"text": "Menguasai aplikasi umum SPBE untuk layanan kepegawaian."}],
        "needs": [{"competency": "M.1", "current_level": 2, "required_level": 3}],
        "activities": [
            {"kind": "coaching", "title": "Coaching oleh atasan langsung", "competency": "M.1",
             "planned_jp": 8, "target_quarter": 2}
        ],
        **fields,
    }  # fmt: skip


async def create_plan(
    client: AsyncClient, nip: str, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    response = await client.post(plans_of(nip), json=plan_body(**fields), headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def pdf_text(pdf: bytes) -> str | None:
    """The PDF's text through poppler's ``pdftotext``; None when it is not installed."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(  # noqa: S603 - a fixed tool on a file of ours
            [tool, "-layout", str(path), "-"], capture_output=True, check=True, text=True
        )
    return done.stdout
