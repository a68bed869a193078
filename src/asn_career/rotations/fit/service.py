"""Loading fit inputs for an agency (shared with rounds), candidates for a position, and
the placement-fit report."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest
from asn_career.org import ranks
from asn_career.org.models import Position
from asn_career.org.rules import today_in_indonesia
from asn_career.rotations import rules, scoring
from asn_career.rotations.eligibility.repository import EligibilityRepository
from asn_career.rotations.fit.repository import FitRepository
from asn_career.rotations.fit.schemas import (
    BetterPosition,
    CandidateOut,
    PartOut,
    PlacementFitOut,
)
from asn_career.rotations.policy.service import PolicyService

BETTER_SHOWN = 3


@dataclass
class Loaded:
    """Fit inputs and the rows they came from: ``people[i]`` (eligibility rows) and
    ``positions[j]``, in the order of the arrays."""

    inputs: scoring.FitInputs
    people: list[Any]
    positions: list[Any]
    person_index: dict[uuid.UUID, int]
    position_index: dict[uuid.UUID, int]
    policy: rules.Policy


@dataclass
class OwnPlacements:
    """Every holder of one of an agency's positions on a day against that position: pair
    ``t`` is ``inputs`` row ``t`` of the people and of the positions (the holder's own), and
    ``poor_education``/``poor_competency`` are ``scoring.poor_placement`` of those pairs.
    Only what the competency and education parts read is loaded; the other inputs are
    empty (rank open, no interests, no rating), so only those two parts are meaningful."""

    employee_ids: list[uuid.UUID]
    inputs: scoring.FitInputs
    poor_education: npt.NDArray[np.bool_]
    poor_competency: npt.NDArray[np.bool_]


def _rank(code: str | None) -> tuple[int, int]:
    scale = ranks.scale_of(code) if code else None
    if scale is None or code is None:
        return -1, 0
    return (0 if scale == "pns" else 1), ranks.ordinal(code)


def _range(low: str | None, high: str | None) -> tuple[int, int, int]:
    codes = [c for c in (low, high) if c and ranks.scale_of(c)]
    if not codes:
        return -1, 0, 99
    scale = 0 if ranks.scale_of(codes[0]) == "pns" else 1
    lo = ranks.ordinal(low) if low and ranks.scale_of(low) else 0
    hi = ranks.ordinal(high) if high and ranks.scale_of(high) else 99
    return scale, lo, hi


def parts_out(parts: Mapping[str, float], weights: Mapping[str, float]) -> list[PartOut]:
    w = scoring.normalised(weights)
    return [
        PartOut(name=name, score=round(float(parts[name]), 4), weight=round(w[name], 4),
                contribution=round(100 * w[name] * float(parts[name]), 2))
        for name in rules.FIT_PARTS
    ]  # fmt: skip


def fit_points(value: float) -> float:
    return round(100 * float(value), 2)


class FitService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = FitRepository(session)
        self.eligibility = EligibilityRepository(session)
        self.policies = PolicyService(session, principal)

    async def load(
        self,
        agency: str,
        policy: rules.Policy,
        today: date,
        *,
        employee_ids: Sequence[uuid.UUID] | None = None,
        position_ids: Sequence[uuid.UUID] | None = None,
        vacant_only: bool = False,
        people: list[Any] | None = None,
        positions: list[Any] | None = None,
    ) -> Loaded:
        """``people`` (eligibility rows) and ``positions`` (position rows) may be handed in
        when the caller has read them already."""
        if people is None:
            people = await self.eligibility.standings(
                agency, policy, today, employee_ids=employee_ids
            )
        if positions is None:
            positions = await self.repository.positions(agency, today, position_ids, vacant_only)
        pe = [p["employee_id"] for p in people]
        po = [p.id for p in positions]
        person_index = {e: i for i, e in enumerate(pe)}
        position_index = {p: j for j, p in enumerate(po)}
        requirements = await self.repository.requirements(po) if po else []
        comps = {c: k for k, c in enumerate(sorted({r.competency_id for r in requirements}))}
        wanted = {f.strip().lower() for p in positions for f in p.preferred_education_fields}
        fields = {f: k for k, f in enumerate(sorted(wanted))}
        kinds = {u: k for k, u in enumerate(sorted({p.unit_kind for p in positions}))}
        n, m = len(pe), len(po)
        levels = np.zeros((n, len(comps)), dtype=np.float32)
        education = np.zeros((n, len(fields)), dtype=np.bool_)
        worked = np.zeros((n, max(1, len(kinds))), dtype=np.bool_)
        performance = np.full(n, rules.NO_RATING_SCORE, dtype=np.float32)
        if pe:
            f = await self.repository.features(pe, list(comps), list(fields), list(kinds), today)
            if f["level_person"]:
                levels[f["level_person"], f["level_competency"]] = f["level_value"]
            if f["field_person"]:
                education[f["field_person"], f["field_index"]] = True
            if f["kind_person"]:
                worked[f["kind_person"], f["kind_index"]] = True
            score = rules.PREDICATE_SCORE
            for i, predicate in zip(f["predicate_person"] or (), f["predicate"] or (), strict=True):
                if predicate is not None:
                    performance[i] = score.get(predicate, rules.NO_RATING_SCORE)
        triples: list[tuple[int, int, float]] = []
        by_unit: dict[uuid.UUID, list[int]] = {}
        for j, p in enumerate(positions):
            by_unit.setdefault(p.unit_id, []).append(j)
        if pe and po:
            for e, target_position, target_unit in await self.repository.interests(pe):
                i = person_index[e]
                if target_position in position_index:
                    triples.append((i, position_index[target_position], 1.0))
                for j in by_unit.get(target_unit, []):
                    triples.append((i, j, rules.UNIT_INTEREST_SCORE))
        required = np.zeros((m, len(comps)), dtype=np.float32)
        for r in requirements:
            required[position_index[r.position_id], comps[r.competency_id]] = r.level
        preferred = np.zeros((m, len(fields)), dtype=np.bool_)
        for j, p in enumerate(positions):
            for f in p.preferred_education_fields:
                preferred[j, fields[f.strip().lower()]] = True
        rank_pairs = [_rank(p["rank_code"]) for p in people]
        range_rows = [_range(p.min_rank, p.max_rank) for p in positions]
        inputs = scoring.FitInputs(
            levels=levels, education=education,
            rank_scale=np.array([r[0] for r in rank_pairs], dtype=np.int64),
            rank_ordinal=np.array([r[1] for r in rank_pairs], dtype=np.int64),
            worked_kinds=worked, performance=performance,
            interest_employee=np.array([t[0] for t in triples], dtype=np.int64),
            interest_position=np.array([t[1] for t in triples], dtype=np.int64),
            interest_score=np.array([t[2] for t in triples], dtype=np.float32),
            required=required, preferred=preferred,
            range_scale=np.array([r[0] for r in range_rows], dtype=np.int64),
            range_low=np.array([r[1] for r in range_rows], dtype=np.int64),
            range_high=np.array([r[2] for r in range_rows], dtype=np.int64),
            unit_kind=np.array([kinds[p.unit_kind] for p in positions], dtype=np.int64),
        )  # fmt: skip
        return Loaded(inputs, people, positions, person_index, position_index, policy)

    async def own_placements(self, agency: str, as_of: date) -> OwnPlacements:
        """Everyone holding one of the agency's positions on ``as_of`` scored against it
        with what they had then (levels assessed, education finished), set-based (one
        statement, numpy): the figures of ``placement_fit`` for the whole agency at once."""
        row = await self.repository.own_positions(agency, as_of)
        employees = list(row["employee"] or ())
        n = len(employees)
        req_person = np.asarray(row["req_person"] or (), dtype=np.int64)
        req_competency = np.asarray(row["req_competency"] or (), dtype=np.int64)
        comps, req_column = np.unique(req_competency, return_inverse=True)
        k = len(comps)
        required = np.zeros((n, k), dtype=np.float32)
        required[req_person, np.asarray(req_column, dtype=np.int64).reshape(-1)] = np.asarray(
            row["req_level"] or (), dtype=np.float32
        )
        levels = np.zeros((n, k), dtype=np.float32)
        if row["level_person"]:
            column = np.searchsorted(comps, np.asarray(row["level_competency"], dtype=np.int64))
            levels[np.asarray(row["level_person"], dtype=np.int64), column] = np.asarray(
                row["level_value"], dtype=np.float32
            )
        fields = sorted(set(row["pref_field"] or ()))
        field_index = {f: c for c, f in enumerate(fields)}
        preferred = np.zeros((n, len(fields)), dtype=np.bool_)
        for t, f in zip(row["pref_person"] or (), row["pref_field"] or (), strict=True):
            preferred[t, field_index[f]] = True
        education = np.zeros((n, len(fields)), dtype=np.bool_)
        for t, f in zip(row["edu_person"] or (), row["edu_field"] or (), strict=True):
            education[t, field_index[f]] = True
        none = np.zeros(0, dtype=np.int64)
        inputs = scoring.FitInputs(
            levels=levels, education=education,
            rank_scale=np.full(n, -1, dtype=np.int64), rank_ordinal=np.zeros(n, dtype=np.int64),
            worked_kinds=np.zeros((n, 1), dtype=np.bool_),
            performance=np.full(n, rules.NO_RATING_SCORE, dtype=np.float32),
            interest_employee=none, interest_position=none,
            interest_score=np.zeros(0, dtype=np.float32),
            required=required, preferred=preferred,
            range_scale=np.full(n, -1, dtype=np.int64), range_low=np.zeros(n, dtype=np.int64),
            range_high=np.full(n, 99, dtype=np.int64), unit_kind=np.zeros(n, dtype=np.int64),
        )  # fmt: skip
        pairs = np.arange(n, dtype=np.int64)
        poor_education, poor_competency = scoring.poor_placement(inputs, pairs, pairs)
        return OwnPlacements(employees, inputs, poor_education, poor_competency)

    # --- candidates -------------------------------------------------------------------

    async def candidates(
        self, position: Position, eligible_only: bool, page: PageRequest
    ) -> tuple[list[CandidateOut], str | None]:
        """Everyone of the position's agency ranked by fit for it (not its holder; with
        ``eligible_only``, only the eligible whose rank is in range when the policy asks)."""
        policy = await self.policies.effective(position.agency_code)
        today = today_in_indonesia()
        loaded = await self.load(position.agency_code, policy, today, position_ids=[position.id])
        x = loaded.inputs
        if x.n == 0:
            return [], None
        i = np.arange(x.n, dtype=np.int64)
        j = np.zeros(x.n, dtype=np.int64)
        parts = scoring.pair_parts(x, i, j)
        fit = scoring.combine(parts, policy.weights)
        in_range = parts["rank"] > 0
        holder = loaded.positions[0].holder_id
        rows = []
        for t, person in enumerate(loaded.people):
            if person["employee_id"] == holder:
                continue
            eligible = not person["reasons"] and (
                bool(in_range[t]) or not policy.enforce_grade_range
            )
            if eligible_only and not eligible:
                continue
            rows.append((fit_points(fit[t]), person["nip"], t, eligible))
        rows.sort(key=lambda r: (-r[0], r[1]))
        after = page.after_values(float, str)
        if after is not None:
            rows = [r for r in rows if (-r[0], r[1]) > (-after[0], after[1])]
        chosen, cursor = page.cut(rows[: page.fetch_size], lambda r: (r[0], r[1]))
        out = []
        for points, _, t, eligible in chosen:
            person = loaded.people[t]
            out.append(CandidateOut(
                nip=person["nip"], name=person["name"], position_id=person["position_id"],
                position_title=person["position_title"], fit=points,
                parts=parts_out({k: v[t] for k, v in parts.items()}, policy.weights),
                eligible=eligible, reasons=list(person["reasons"]),
                rank_in_range=bool(in_range[t]), due=person["due"],
            ))  # fmt: skip
        return out, cursor

    # --- placement fit ----------------------------------------------------------------

    async def placement_fit(
        self, agency: str | None, page: PageRequest
    ) -> tuple[list[PlacementFitOut], str | None]:
        """Staff whose education or competencies fit their current position poorly, by NIP,
        each with up to three vacant positions that fit them better."""
        code = await self.policies.agency(agency)
        policy = await self.policies.effective(code)
        today = today_in_indonesia()
        loaded = await self.load(code, policy, today)
        x = loaded.inputs
        held = [(t, loaded.position_index[p["position_id"]]) for t, p in enumerate(loaded.people)
                if p["position_id"] in loaded.position_index]  # fmt: skip
        if not held:
            return [], None
        i = np.array([h[0] for h in held], dtype=np.int64)
        j = np.array([h[1] for h in held], dtype=np.int64)
        parts = scoring.pair_parts(x, i, j)
        fit = scoring.combine(parts, policy.weights)
        poor_education, poor_competency = scoring.poor_placement(x, i, j)
        rows = [
            (loaded.people[t]["nip"], s)
            for s, t in enumerate(i)
            if poor_education[s] or poor_competency[s]
        ]
        rows.sort()
        after = page.after_values(str)
        if after is not None:
            rows = [r for r in rows if r[0] > after[0]]
        chosen, cursor = page.cut(rows[: page.fetch_size], lambda r: (r[0],))
        vacant = [j2 for j2, p in enumerate(loaded.positions)
                  if p.holder_id is None and not p.is_shared]  # fmt: skip
        out = []
        for _, s in chosen:
            t = int(i[s])
            person = loaded.people[t]
            better: list[BetterPosition] = []
            if vacant:
                vi = np.full(len(vacant), t, dtype=np.int64)
                vj = np.array(vacant, dtype=np.int64)
                vparts = scoring.pair_parts(x, vi, vj)
                vfit = scoring.combine(vparts, policy.weights)
                order = np.lexsort((vj, -vfit))
                for o in order:
                    if vfit[o] <= fit[s] or not vparts["rank"][o] > 0:
                        continue
                    p = loaded.positions[int(vj[o])]
                    better.append(BetterPosition(
                        position_id=p.id, code=p.code, title=p.title, unit_name=p.unit_name,
                        fit=fit_points(vfit[o]),
                        parts=parts_out({k: v[o] for k, v in vparts.items()}, policy.weights),
                    ))  # fmt: skip
                    if len(better) == BETTER_SHOWN:
                        break
            own = loaded.positions[int(j[s])]
            out.append(PlacementFitOut(
                nip=person["nip"], name=person["name"], position_id=own.id,
                position_title=own.title, fit=fit_points(fit[s]),
                parts=parts_out({k: v[s] for k, v in parts.items()}, policy.weights),
                poor=[name for name, flag in (("education", poor_education[s]),
                      ("competency", poor_competency[s])) if flag],
                better=better,
            ))  # fmt: skip
        return out, cursor
