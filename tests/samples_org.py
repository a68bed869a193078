"""Organisation objects of agency A for the security walk (see tests/samples.py)."""

from fastapi import FastAPI
from httpx import AsyncClient


async def build_org_samples(
    app: FastAPI, client: AsyncClient, admin: dict[str, str]
) -> dict[str, str]:
    return {}
