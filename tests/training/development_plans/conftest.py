import pytest
from fastapi import FastAPI

from tests.training.needs.world import NeedsWorld, needs_world


@pytest.fixture
async def world(app: FastAPI) -> NeedsWorld:
    return await needs_world(app)
