"""A closed cycle with answers in every shape the reports must handle, built through
``tests/feedback/factory.py``.

- ``staff0``: self, the supervisor (head), four peers (shown), two public raters (merged
  into ``other``: two, still under three, so suppressed), a declined and a pending peer
  request.
- ``staff1``: self, the supervisor, two peers and one public rater (merged: ``other`` of
  three, shown).
- ``staff2``: self, the supervisor, three peers of whom one did not observe ``M1-b`` (that
  item's peer figure has two raters: suppressed, and left out of M.1's peer figure).
"""

import uuid
from dataclasses import dataclass, field

from fastapi import FastAPI

from tests.feedback.factory import ITEMS, FeedbackWorld, feedback_world

Scores = tuple[int | None, int | None, int | None, int | None]
"""Scores of the four items, in ``factory.ITEMS`` order (M1-a, M1-b, M2-a, BA1-a)."""


@dataclass
class Scenario:
    world: FeedbackWorld
    cycle_id: uuid.UUID
    answers: dict[tuple[str, str], Scores] = field(default_factory=dict)
    """(subject, rater key or public token) → scores."""
    comments: dict[tuple[str, str], str] = field(default_factory=dict)
    requests: dict[tuple[str, str], uuid.UUID] = field(default_factory=dict)

    def nip(self, key: str) -> str:
        return self.world.nip(key)

    async def answer(
        self,
        subject: str,
        rater: str,
        relationship: str,
        scores: Scores,
        comment: str | None = None,
    ) -> uuid.UUID:
        public = relationship == "public"
        request_id = await self.world.request(
            self.cycle_id,
            subject,
            None if public else rater,
            relationship,
            status="submitted",
            token=rater if public else None,
            answers={code: score for (code, _, _), score in zip(ITEMS, scores, strict=True)},
            comments={"M1-a": comment} if comment else None,
        )
        self.answers[(subject, rater)] = scores
        if comment:
            self.comments[(subject, rater)] = comment
        self.requests[(subject, rater)] = request_id
        return request_id


async def build_scenario(app: FastAPI, *, state: str = "closed") -> Scenario:
    world = await feedback_world(app, staff=8)
    cycle_id = await world.cycle(state=state)
    scenario = Scenario(world, cycle_id)
    for key in ("staff0", "staff1", "staff2"):
        await world.subject(cycle_id, key)
    a = scenario.answer
    # staff0
    await a("staff0", "staff0", "self", (5, 5, 4, 5), "Saya sudah bekerja keras")
    await a("staff0", "head", "supervisor", (3, 3, 4, 4), "Perlu lebih teliti")
    await a("staff0", "staff1", "peer", (3, 4, 4, 4), "Membantu rekan kerja")
    await a("staff0", "staff2", "peer", (3, 3, 4, 3))
    await a("staff0", "staff3", "peer", (4, 3, 5, 4), "Komunikasinya baik")
    await a("staff0", "staff4", "peer", (5, 5, 5, 5))  # lenient throughout
    await a("staff0", "token-0a", "public", (1, 1, 1, 1), "Pelayanan lambat sekali")
    await a("staff0", "token-0b", "public", (2, 2, 2, 2))
    await world.request(cycle_id, "staff0", "staff5", "peer", status="declined")
    await world.request(cycle_id, "staff0", "staff6", "peer", status="pending")
    # staff1
    await a("staff1", "staff1", "self", (3, 3, 3, 3))
    await a("staff1", "head", "supervisor", (4, 4, 3, 4))
    await a("staff1", "staff0", "peer", (4, 4, 4, 4), "Rapi dan tepat waktu")
    await a("staff1", "staff4", "peer", (5, 5, 5, 5))
    await a("staff1", "token-1a", "public", (4, 3, 4, 5), "Ramah kepada warga")
    # staff2
    await a("staff2", "staff2", "self", (4, 4, 2, 4))
    await a("staff2", "head", "supervisor", (4, 3, 4, 3))
    await a("staff2", "staff3", "peer", (4, 3, 4, 4))
    await a("staff2", "staff4", "peer", (5, 5, 5, 5))
    await a("staff2", "staff5", "peer", (3, None, 4, 4), "Kurang terlihat dalam rapat")
    return scenario
