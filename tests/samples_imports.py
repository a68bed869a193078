"""Import runs and webhook subscriptions of agency A for the security walk."""

from fastapi import FastAPI
from httpx import AsyncClient


async def build_import_samples(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], known: dict[str, str]
) -> dict[str, str]:
    return {}
