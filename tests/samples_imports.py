"""Import runs and webhook subscriptions of agency A for the security walk."""

from fastapi import FastAPI
from httpx import AsyncClient

from tests.conftest import AGENCY_A


async def build_import_samples(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], known: dict[str, str]
) -> dict[str, str]:
    samples: dict[str, str] = {}
    # exports: GET /exports/{kind}; naming agency A makes callers of agency B get 403
    samples["kind"] = f"employees?agency={AGENCY_A}"
    # webhooks: a subscription of agency A (an .invalid host: nothing is ever reached)
    webhook = await client.post(
        "/api/v1/webhooks",
        json={
            "url": "https://receiver.example.invalid/hooks/asn",
            "event_types": ["employee.created"],
            "agency": AGENCY_A,
        },
        headers=admin,
    )
    assert webhook.status_code == 201, webhook.text
    samples["webhook_id"] = webhook.json()["id"]
    # imports: one run of agency A (queued; the walk never runs the worker)
    upload = await client.post(
        "/api/v1/imports",
        data={"kind": "employees", "agency": AGENCY_A},
        files={"file": ("pegawai.csv", f"nip,name\n{known['nip']},Sampel\n".encode(), "text/csv")},
        headers=admin,
    )
    assert upload.status_code == 202, upload.text
    samples["import_id"] = upload.json()["id"]
    return samples
