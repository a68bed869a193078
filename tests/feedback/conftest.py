"""Fixtures of the feedback tests: the shared feedback world (agencies A and B, a unit of
agency A with a head and staff reporting to them) and HR tokens of both agencies."""

import pytest
from fastapi import FastAPI

from asn_career.core.auth import Role
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.factory import FeedbackWorld, feedback_world


@pytest.fixture
async def world(app: FastAPI) -> FeedbackWorld:
    return await feedback_world(app, staff=6)


@pytest.fixture
def hr_a(auth: TokenFactory) -> dict[str, str]:
    return auth(Role.HR_OFFICER, AGENCY_A)


@pytest.fixture
def hr_b(auth: TokenFactory) -> dict[str, str]:
    return auth(Role.HR_OFFICER, AGENCY_B)
