"""Training plan benchmark: the plan under a budget for 15,000 employees × 200 courses with
generated needs, against the greedy baseline (value per cost) and the solver's proven bound.

    .venv/bin/python benchmarks/training_bench.py [--employees 15000] [--courses 200]
        [--time-limit 55] [--seed 1] [--budget-share 0.25] [--fair]
        [--restricted-size 10000] [--log]

Pure computation (``asn_career.training.planning.plan``), no database: the needs a real
agency gives are generated (50 units, 80 competencies, 2–5 needs per person with a gap of
1–3 levels and a priority of 0.5–3, 40 % of people below 20 JP, three position kinds, four
rank groups), and so is the catalogue (each course lifts 1–3 competencies to level 3–5;
8–40 JP; IDR 0.5–5 million per participant and 0–20 million per batch; batches of 5–15 to
25–40 people; 1–5 days somewhere in the year, so courses clash; 30 % restricted to one
position kind, 20 % to a rank range). The budget is ``--budget-share`` of what sending
every candidate once to their best course would cost. ``--fair`` adds the fairness rules
(below 20 JP first, no second course before a larger gap, a unit share of 10 %, one person
per unit at least) and a 60 JP cap per person.

The time limit covers everything: generating the candidates, the greedy plan, building
the model and solving. Printed: objective, proven bound, gap, greedy objective, the ratios
objective/greedy and bound/objective, the model's size and the seconds taken. Goal:
within 60 s, objective ≥ greedy, gap to the bound under 1 %.
"""

import argparse
import json
import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from asn_career.training.planning import PlanCourse, PlanOptions, candidates, plan
from asn_career.training.rules import Need

KINDS = ("structural", "functional", "executor")
RANKS = ("II/a", "II/c", "III/a", "III/c", "IV/a")


def generate(
    employees: int, n_courses: int, seed: int
) -> tuple[list[Need], list[PlanCourse], dict[tuple[uuid.UUID, int], float]]:
    rnd = random.Random(seed)
    units = [uuid.UUID(int=rnd.getrandbits(128)) for _ in range(50)]
    comps = list(range(1, 81))
    needs: list[Need] = []
    levels: dict[tuple[uuid.UUID, int], float] = {}
    for _ in range(employees):
        eid = uuid.UUID(int=rnd.getrandbits(128))
        unit = rnd.choice(units)
        gender = rnd.choice("FM")
        rank = rnd.choice(RANKS)
        kind = rnd.choices(KINDS, weights=(2, 5, 3))[0]
        hours = rnd.choice([0.0, 4.0, 8.0, 16.0]) if rnd.random() < 0.4 else rnd.uniform(20, 60)
        for comp in rnd.sample(comps, rnd.randint(2, 5)):
            required = rnd.randint(2, 5)
            gap = rnd.randint(1, min(3, required - 1))
            levels[(eid, comp)] = required - gap
            needs.append(
                Need(eid, comp, float(gap), round(rnd.uniform(0.5, 3.0), 2), unit, gender,
                     rank, kind, hours)
            )  # fmt: skip
    courses: list[PlanCourse] = []
    for _ in range(n_courses):
        start = date(2027, 1, 4) + timedelta(days=rnd.randint(0, 330))
        mn = rnd.randint(5, 15)
        kinds = frozenset({rnd.choice(KINDS)}) if rnd.random() < 0.3 else frozenset()
        ranks = None
        if rnd.random() < 0.2:
            lo = rnd.randint(0, 3)
            ranks = frozenset(RANKS[lo : lo + 2])
        courses.append(
            PlanCourse(
                id=uuid.UUID(int=rnd.getrandbits(128)),
                cost_per_participant=rnd.randint(5, 50) * 100_000.0,
                fixed_cost_per_batch=rnd.randint(0, 20) * 1_000_000.0,
                min_participants=mn,
                max_participants=rnd.randint(max(25, mn), 40),
                hours_jp=float(rnd.choice([8, 12, 16, 24, 32, 40])),
                lifts={c: rnd.randint(3, 5) for c in rnd.sample(comps, rnd.randint(1, 3))},
                starts_on=start,
                ends_on=start + timedelta(days=rnd.randint(0, 4)),
                eligible_position_kinds=kinds,
                eligible_ranks=ranks,
            )
        )
    return needs, courses, levels


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--employees", type=int, default=15_000)
    ap.add_argument("--courses", type=int, default=200)
    ap.add_argument("--time-limit", type=float, default=55.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--budget-share", type=float, default=0.25)
    ap.add_argument("--fair", action="store_true")
    ap.add_argument("--restricted-size", type=int, default=10_000)
    ap.add_argument("--log", action="store_true", help="HiGHS's log")
    args = ap.parse_args()

    t0 = time.monotonic()
    needs, courses, levels = generate(args.employees, args.courses, args.seed)
    gen_s = time.monotonic() - t0
    _, cands = candidates(needs, courses, levels)
    best: dict[int, float] = {}
    for c in cands:
        pc = courses[c.course]
        cost = pc.cost_per_participant + pc.fixed_cost_per_batch / pc.min_participants
        best[c.person] = min(best.get(c.person, cost), cost)
    budget = round(args.budget_share * sum(best.values()), -5)
    options = PlanOptions(
        time_limit_s=args.time_limit, restricted_size=args.restricted_size, log=args.log
    )
    if args.fair:
        options = PlanOptions(
            time_limit_s=args.time_limit, below_20jp_first=True,
            no_second_before_larger_gap=True, max_unit_share=0.1, min_per_unit=1,
            max_hours_per_person=60.0, restricted_size=args.restricted_size, log=args.log,
        )  # fmt: skip
    t1 = time.monotonic()
    r = plan(needs, courses, budget, options, current_levels=levels)
    wall = time.monotonic() - t1
    out = {
        "employees": args.employees,
        "courses": args.courses,
        "needs": len(needs),
        "fair": args.fair,
        "budget": budget,
        "generate_s": round(gen_s, 1),
        "plan_s": round(wall, 1),
        "status": r.status,
        "model": r.model_size,
        "objective": round(r.objective, 2),
        "bound": round(r.bound, 2),
        "gap": r.gap,
        "greedy_objective": round(r.greedy_objective, 2),
        "objective_over_greedy": r.objective / r.greedy_objective if r.greedy_objective else None,
        "bound_over_objective": r.bound / r.objective if r.objective else None,
        "lexicographic_proven": r.lexicographic_proven,
        "budget_used": r.figures["budget_used"],
        "people_reached": r.figures["people_reached"],
        "people_with_needs": r.figures["people_with_needs"],
        "enrolments": r.figures["enrolments"],
        "jp_coverage": [r.figures["jp_coverage_before"], r.figures["jp_coverage_after"]],
        "gini_hours": [r.figures["gini_hours_before"], r.figures["gini_hours_after"]],
    }
    print(json.dumps(out, indent=2))
    ok = wall <= 60 and r.objective >= r.greedy_objective - 1e-6 and r.gap < 0.01
    verdict = "met" if ok else "MISSED"
    print(f"goal (≤ 60 s, objective ≥ greedy, gap < 1 %): {verdict}")


if __name__ == "__main__":
    main()
