"""An agency's career-system evaluation for a year: every figure with its definition,
value, last year's value, trend and sources, and the merit-system evidence they give.

Figures other domains compute come from those domains' own code: the 20 JP and the JP
that training equity compares from ``training.compliance``'s rows (one pass), the
competency gap from ``training.needs``' statement, mentoring from ``mentoring.summary``,
rotation and tenure from ``rotations.history`` (both years in one statement), placement
fit from ``rotations.fit.own_placements`` (set-based, scored by ``rotations.scoring``).
The rest are the evaluation's own aggregate statements (``evaluation.repository``).
"""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.mentoring.summary.repository import SummaryRepository
from asn_career.org.rules import today_in_indonesia
from asn_career.rotations.fit.service import FitService, OwnPlacements
from asn_career.rotations.history.repository import HistoryRepository
from asn_career.rotations.policy.service import PolicyService
from asn_career.talent.evaluation import rules
from asn_career.talent.evaluation.repository import EvaluationRepository
from asn_career.talent.evaluation.schemas import (
    CareerEvaluationOut,
    EvaluationFigure,
    EvaluationSource,
    MeritAspectOut,
    MeritIndicatorOut,
)
from asn_career.talent.policy.service import TalentPolicyService

Value = float | None


def _f(value: Any) -> Value:
    return None if value is None else round(float(value), 4)


def figure(
    code: str,
    value: Value,
    previous: Value,
    sources: Mapping[str, int | None],
    counts: dict[str, Any],
    note: str | None = None,
) -> EvaluationFigure:
    d = rules.BY_CODE[code]
    return EvaluationFigure(
        code=code,
        name_en=d.name_en,
        name_id=d.name_id,
        definition_en=d.definition_en,
        definition_id=d.definition_id,
        unit=d.unit,
        better=d.better,
        status="no_data" if value is None else "ok",
        value=value,
        previous_value=previous,
        trend=rules.trend(value, previous, d.unit),
        sources=[EvaluationSource(table=t, rows=n) for t, n in sources.items()],
        counts={k: float(v) for k, v in counts.items() if v is not None},
        note=note,
    )


def merit(figures: list[EvaluationFigure]) -> list[MeritAspectOut]:
    values = {f.code: f.value for f in figures}
    out = []
    for code, name_id, name_en in rules.ASPECTS:
        indicators = []
        for ind in (i for i in rules.INDICATORS if i.aspect == code):
            value = values.get(ind.figure)
            en, id_ = rules.threshold_text(ind)
            indicators.append(
                MeritIndicatorOut(
                    code=ind.code, figure=ind.figure, text_en=ind.text_en, text_id=ind.text_id,
                    value=value, verdict=rules.verdict(ind, value),
                    threshold_en=en, threshold_id=id_,
                )
            )  # fmt: skip
        out.append(
            MeritAspectOut(
                code=code,
                name_id=name_id,
                name_en=name_en,
                has_data=any(i.verdict != "no_data" for i in indicators),
                indicators=indicators,
                supported=sum(i.verdict == "supports" for i in indicators),
                contradicted=sum(i.verdict == "contradicts" for i in indicators),
            )
        )
    return out


def _jp20(agency: Mapping[str, Any]) -> EvaluationFigure:
    n = int(agency["n"])
    reached, previous = n - int(agency["below"]), n - int(agency["previous_below"])
    has_now, has_before = agency["total_jp"] > 0, agency["previous_total_jp"] > 0
    return figure(
        "jp20_share",
        rules.share(reached, n) if has_now else None,
        rules.share(previous, n) if has_before else None,
        {"employees": n, "trainings": None},
        {"employees": n, "reached": reached, "total_jp": agency["total_jp"],
         "previous_reached": previous},
        None if has_now else "no training recorded in the year",
    )  # fmt: skip


def _equity(rows: list[Any]) -> EvaluationFigure:
    now: list[float] = []
    before: list[float] = []
    counts: dict[str, Any] = {}
    for dim in ("unit", "gender", "rank_group"):
        means = [float(r["mean_jp"]) for r in rows if r["dim"] == dim]
        prev = [float(r["previous_mean_jp"]) for r in rows if r["dim"] == dim]
        ratio, prev_ratio = rules.equity_ratio(means), rules.equity_ratio(prev)
        counts[f"{dim}_groups"] = len(means)
        if ratio is not None:
            counts[f"{dim}_ratio"] = ratio
            now.append(ratio)
        if prev_ratio is not None:
            before.append(prev_ratio)
    trained = any(float(r["mean_jp"]) > 0 for r in rows if r["dim"] != "all")
    trained_before = any(float(r["previous_mean_jp"]) > 0 for r in rows if r["dim"] != "all")
    employees = sum(int(r["n"]) for r in rows if r["dim"] == "gender")
    return figure(
        "training_equity",
        min(now) if now and trained else None,
        min(before) if before and trained_before else None,
        {"employees": employees, "trainings": None, "units": None},
        counts,
        "the lowest of the unit, gender and rank-group ratios",
    )


class EvaluationService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = EvaluationRepository(session)
        self.mentoring = SummaryRepository(session)
        self.history = HistoryRepository(session)
        self.policies = PolicyService(session, principal)
        self.fit = FitService(session, principal)
        self.talent_policies = TalentPolicyService(session, principal)

    async def visible_agencies(self, codes: list[str] | None) -> dict[str, str]:
        return await self.repository.agency_names(self.principal, codes)

    async def evaluate(self, code: str, name: str, year: int) -> CareerEvaluationOut:
        active = await self.repository.active(code)
        steps: list[Callable[[], Any]] = [
            lambda: self._training(code, year),
            lambda: self._gap(code, year),
            lambda: self._feedback(code, year, active),
            lambda: self._mentoring(code, year, active),
            lambda: self._rotation(code, year),
            lambda: self._placement(code, year),
            lambda: self._talent(code, year),
            lambda: self._surveys(code, year),
        ]
        figures: list[EvaluationFigure] = []
        for step in steps:
            figures.extend(await step())
        order = {c: n for n, c in enumerate(rules.FIGURE_CODES)}
        figures.sort(key=lambda f: order[f.code])
        return CareerEvaluationOut(
            agency_code=code, agency_name=name, year=year, figures=figures,
            merit=merit(figures),
        )  # fmt: skip

    async def _training(self, code: str, year: int) -> list[EvaluationFigure]:
        """The 20 JP share and training equity, from one pass over compliance's JP."""
        rows = await self.repository.training_groups(self.principal, code, year)
        return [_jp20(next(r for r in rows if r["dim"] == "all")), _equity(rows)]

    async def _gap(self, code: str, year: int) -> list[EvaluationFigure]:
        by_year = await self.repository.competency_gap(
            self.principal, code, (year, year - 1), today_in_indonesia()
        )
        now, before = by_year[year], by_year[year - 1]
        return [
            figure(
                "competency_gap",
                _f(now["mean_gap"]),
                _f(before["mean_gap"]),
                {"employee_competency_levels": None, "competency_assessments": None,
                 "position_competencies": None, "assignments": None,
                 "performance_ratings": None, "career_interests": None},
                {"needs": now["needs"], "employees_with_needs": now["employees"],
                 "previous_needs": before["needs"]},
                "each year as of its last day (this year: today): the position held, the "
                "levels assessed and the SKP by then; targets are the career interests "
                "recorded by then, and this year also the approved rotation placements",
            )
        ]  # fmt: skip

    async def _feedback(self, code: str, year: int, active: int) -> list[EvaluationFigure]:
        by_year = await self.repository.feedback(code, year)
        now, before = by_year.get(year), by_year.get(year - 1)

        def part(r: Any) -> Value:
            return rules.share(int(r["subjects"]), active) if r else None

        def done(r: Any) -> Value:
            return rules.share(int(r["submitted"]), int(r["invited"])) if r else None

        cycles = int(now["cycles"]) if now else 0
        return [
            figure("feedback_participation", part(now), part(before),
                   {"feedback_cycles": cycles, "feedback_subjects": int(now["subjects"]) if now
                    else 0}, {"active_employees": active,
                              "subjects": int(now["subjects"]) if now else 0}),
            figure("feedback_completion", done(now), done(before),
                   {"feedback_requests": int(now["invited"]) if now else 0},
                   {"invited": int(now["invited"]) if now else 0,
                    "submitted": int(now["submitted"]) if now else 0}),
        ]  # fmt: skip

    async def _mentoring(self, code: str, year: int, active: int) -> list[EvaluationFigure]:
        programs = await self.repository.programs(code, year)
        every = [pid for y in (year, year - 1) for pid in programs.get(y, [])]
        coverage = await self.mentoring.coverage_of(every)
        satisfaction = await self.mentoring.satisfaction_of(every)
        result: dict[int, dict[str, Any]] = {}
        for y in (year, year - 1):
            matched = mentees = responses = 0
            rating_sum = 0.0
            for pid in programs.get(y, []):
                matched += int(coverage[pid].matched)
                mentees += int(coverage[pid].mentees)
                for s in satisfaction[pid]:
                    if s.side == "mentee" and s.responses:
                        responses += int(s.responses)
                        rating_sum += float(s.mean_rating) * int(s.responses)
            result[y] = {
                "programs": len(programs.get(y, [])),
                "coverage": rules.share(min(matched, active), active) if programs.get(y) else None,
                "satisfaction": round(rating_sum / responses, 3) if responses else None,
                "matched": matched,
                "mentees": mentees,
                "responses": responses,
            }
        now, before = result[year], result[year - 1]
        return [
            figure("mentoring_coverage", now["coverage"], before["coverage"],
                   {"mentoring_programs": now["programs"], "mentoring_mentees": now["mentees"]},
                   {"active_employees": active, "matched": now["matched"]}),
            figure("mentoring_satisfaction", now["satisfaction"], before["satisfaction"],
                   {"mentoring_feedback": now["responses"]}, {"ratings": now["responses"]}),
        ]  # fmt: skip

    async def _rotation(self, code: str, year: int) -> list[EvaluationFigure]:
        policy = await self.policies.effective(code)
        today = today_in_indonesia()
        periods = [
            (date(y, 1, 1), date(y, 12, 31), min(today, date(y, 12, 31))) for y in (year, year - 1)
        ]
        now, before = await self.history.figures_of_periods(code, periods, policy)

        def rate(f: Any) -> Value:
            return rules.share(int(f["moves"]), int(f["holding"]))

        def past(f: Any) -> Value:
            return rules.share(int(f["past_max"]), int(f["holding"]))

        return [
            figure("rotation_rate", rate(now), rate(before),
                   {"assignments": int(now["holding"])},
                   {"moves": now["moves"], "holding": now["holding"]}),
            figure("tenure_past_max", past(now), past(before),
                   {"assignments": int(now["holding"])},
                   {"past_max": now["past_max"], "holding": now["holding"],
                    "max_months": policy.max_months}),
        ]  # fmt: skip

    async def _placement(self, code: str, year: int) -> list[EvaluationFigure]:
        """As ``rotations.fit``'s placement-fit report judges a placement: neither the
        education (when the position states a preference) nor the competencies below
        ``rotations.rules.POOR_FIT``; at the year's end (or today), and at the end of the
        year before with the positions, levels and education of then."""
        today = today_in_indonesia()
        now = await self.fit.own_placements(code, min(today, date(year, 12, 31)))
        before = await self.fit.own_placements(code, min(today, date(year - 1, 12, 31)))

        def fit(own: OwnPlacements) -> Value:
            holders = len(own.employee_ids)
            poor = int((own.poor_education | own.poor_competency).sum())
            return rules.share(holders - poor, holders) if holders else None

        holders = len(now.employee_ids)
        return [
            figure(
                "placement_fit",
                fit(now),
                fit(before),
                {"assignments": holders, "employee_education": None,
                 "employee_competency_levels": None, "competency_assessments": None},
                {"holders": holders, "poor_education": int(now.poor_education.sum()),
                 "poor_competency": int(now.poor_competency.sum()),
                 "previous_holders": len(before.employee_ids)},
                "holders at the year's end (this year: today) and at the end of the year "
                "before, each with the levels assessed and the education finished by then",
            )
        ]  # fmt: skip

    async def _talent(self, code: str, year: int) -> list[EvaluationFigure]:
        policy = await self.talent_policies.effective(code)
        by_year = await self.repository.talent_promotion(policy, code, (year, year - 1))
        now, before = by_year[year], by_year[year - 1]

        def ratio(r: Any) -> Value:
            return rules.promotion_ratio(
                int(r["top_promoted"]), int(r["top"]), int(r["rest_promoted"]), int(r["rest"])
            )

        return [
            figure(
                "talent_promotion_ratio",
                ratio(now),
                ratio(before),
                {"assignments": None, "performance_ratings": None,
                 "competency_assessments": None, "feedback_reports": None},
                {k: int(now[k]) for k in ("top", "top_promoted", "rest", "rest_promoted")},
                "boxes of the year before (the agency's talent policy); no data without "
                "boxes in both groups, or without any promotion among the rest",
            )
        ]  # fmt: skip

    async def _surveys(self, code: str, year: int) -> list[EvaluationFigure]:
        found = await self.repository.surveys(code, year)

        def index(y: int) -> Value:
            r = found.get(y)
            overall = (r["results"] or {}).get("overall") if r else None
            return float(overall["satisfaction_index"]) if overall else None

        def mean_of(y: int, codes: tuple[str, ...]) -> Value:
            r = found.get(y)
            overall = (r["results"] or {}).get("overall") if r else None
            if not overall:
                return None
            means = [q["mean"] for q in overall["questions"] if q["code"] in codes]
            return round(sum(means) / len(means), 3) if means else None

        fairness, information = ("promosi_adil", "rotasi_adil"), ("sistem_informasi",)

        now = found.get(year)
        respondents = int((now["results"] or {}).get("respondents", 0)) if now else 0
        sources = {"surveys": 1 if now else 0, "survey_responses": respondents}
        counts = {"respondents": respondents}
        return [
            figure("employee_satisfaction", index(year), index(year - 1), sources, counts),
            figure("promotion_fairness", mean_of(year, fairness), mean_of(year - 1, fairness),
                   sources, counts),
            figure("information_system_satisfaction", mean_of(year, information),
                   mean_of(year - 1, information), sources, counts),
        ]  # fmt: skip
