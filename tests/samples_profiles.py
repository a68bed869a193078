"""Employees of agency A and their histories, for the security walk (see tests/samples.py)."""

from fastapi import FastAPI
from httpx import AsyncClient


async def build_profile_samples(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], org: dict[str, str]
) -> dict[str, str]:
    return {}
