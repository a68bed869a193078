"""Mentoring matching benchmark: 10,000 mentees × 2,000 mentors (capacities 1–5), the app's
whole run against a reference min-cost-flow solve of the full graph.

    .venv/bin/python benchmarks/mentoring_bench.py [--mentees 10000] [--mentors 2000]
        [--top-k 64] [--objective score|participation] [--seed 1]

Pure computation, no database. The pool is generated as the repository returns it (one
row per mentor or mentee: rank, years of service, unit and parent unit, field of study,
position kind and title, focus competencies or strengths, capacity): 60 units under 12
parents, 40 competencies (a mentee focuses on 1–3, a mentor is strong in 2–6), 15 career
families, 20 fields of study, PNS ranks II/a–III/d for mentees and III/b–IV/d for mentors,
each mentee's reporting line (1–3 mentors) forbidden and 1 % of pairs declined before.

- **App run**, timed as a whole: loading (the rows into the solver's arrays, by the
  service's own code), scoring (numpy, blocks of 512 mentees), solving (each mentee's
  ``--top-k`` candidates, OR-Tools min-cost flow, the repair pass), the greedy baseline,
  and explaining (parts and reasons in both languages for every match).
- **Reference**: the same instance's full eligible graph (every eligible pair), built
  beforehand and solved by the same OR-Tools ``SimpleMinCostFlow``; only the solve is
  timed (the bare solver).

Printed: both objectives (the integer costs the flow minimises) and whether they are
equal (the pruning loss otherwise), the app's total against the bare solver's time, the
optimum against the greedy baseline (score and matches), and the sizes.
"""

import argparse
import sys
import time
import uuid
from collections import namedtuple
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from asn_career.mentoring import matching, rules
from asn_career.mentoring.matchings.service import Pool, _reasons, _side

Row = namedtuple(
    "Row",
    "entry nip name unit_id position_id appointment_date scale ordinal parent_id kind title "
    "education",
)
TODAY = date(2026, 11, 24)


def generate(mentees: int, mentors: int, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    units = [uuid.UUID(int=i + 1) for i in range(60)]
    parents = [uuid.UUID(int=1000 + i // 5) for i in range(60)]
    families = [f"Jabatan Fungsional {i}" for i in range(15)]
    fields = [f"Bidang Studi {i}" for i in range(20)]

    def rows(n: int, mentor: bool) -> list[Row]:
        out = []
        ordinals = rng.integers(10, 17, n) if mentor else rng.integers(5, 13, n)
        for i in range(n):
            u = int(rng.integers(0, 60))
            competencies = rng.choice(
                40, size=int(rng.integers(2, 7) if mentor else rng.integers(1, 4)), replace=False
            )
            entry = SimpleNamespace(
                id=uuid.UUID(int=(2 << 64) + i if mentor else (1 << 64) + i),
                employee_id=uuid.UUID(int=(4 << 64) + i + (mentees if mentor else 0)),
                strengths=[int(c) for c in competencies] if mentor else [],
                focus=[] if mentor else [int(c) for c in competencies],
                capacity=int(rng.integers(1, 6)) if mentor else None,
            )
            family = families[int(rng.integers(0, 15))]
            level = "Ahli Madya" if mentor else "Ahli Pertama"
            years = int(rng.integers(12, 30) if mentor else rng.integers(1, 12))
            out.append(
                Row(
                    entry,
                    f"{'2' if mentor else '1'}{i:017d}",
                    f"Pegawai {i}",
                    units[u],
                    None,
                    date(TODAY.year - years, 1, 1),
                    "PNS",
                    int(ordinals[i]),
                    parents[u],
                    "fungsional",
                    f"{family} {level}",
                    fields[int(rng.integers(0, 20))] if rng.random() < 0.9 else None,
                )
            )
        return out

    return {"mentees": rows(mentees, False), "mentors": rows(mentors, True), "rng": rng}


def load(data: dict[str, Any], objective: str) -> Pool:
    """The rows into the solver's arrays, as ``MatchingService.pool`` does."""
    mentees, mentors, rng = data["mentees"], data["mentors"], data["rng"]
    wanted = sorted({c for r in mentees for c in r.entry.focus})
    columns = {cid: n for n, cid in enumerate(wanted)}
    family_of: dict[str, int] = {}

    def fam(kind: str | None, title: str | None) -> set[int]:
        f = rules.position_family(kind, title)
        return set() if f is None else {family_of.setdefault(f, len(family_of))}

    mentee_fams = [fam(r.kind, r.title) for r in mentees]
    mentor_fams = [fam(r.kind, r.title) for r in mentors]
    units: dict[Any, int] = {}
    fields: dict[str, int] = {}
    a = _side(
        mentees, "focus", columns, mentee_fams, len(family_of), lambda r: 0, TODAY, units, fields
    )
    b = _side(
        mentors,
        "strengths",
        columns,
        mentor_fams,
        len(family_of),
        lambda r: r.entry.capacity,
        TODAY,
        units,
        fields,
    )
    n, m = len(mentees), len(mentors)
    line = np.stack([np.repeat(np.arange(n), 2), rng.integers(0, m, 2 * n)], axis=1)
    declined = np.stack(
        [rng.integers(0, n, n * m // 100), rng.integers(0, m, n * m // 100)], axis=1
    )
    forbidden = np.unique(np.concatenate([line, declined]), axis=0).astype(np.int64)
    program = SimpleNamespace(unit_rule="preferred", seniority_basis="rank_steps")
    inst = matching.Instance(
        a,
        b,
        rules.ProgramRules(objective=objective),  # type: ignore[arg-type]
        rules.full_weights(dict(rules.DEFAULT_WEIGHTS)),
        forbidden,
    )
    return Pool(program, mentees, mentors, inst, set(), [str(c) for c in wanted], [])  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentees", type=int, default=10_000)
    parser.add_argument("--mentors", type=int, default=2_000)
    parser.add_argument("--top-k", type=int, default=64)
    parser.add_argument("--objective", choices=("score", "participation"), default="score")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    data = generate(args.mentees, args.mentors, args.seed)

    # The app's whole run.
    started = time.perf_counter()
    pool = load(data, args.objective)
    loaded = time.perf_counter()
    result = matching.match(pool.instance, top_k=args.top_k)
    solved = time.perf_counter()
    explained = matching.explain(pool.instance, result.mentees, result.mentors)
    reasons = [
        _reasons(why, pool.instance.weights, pool, i, j, pinned=False, kept=False)
        for why, i, j in zip(
            explained, result.mentees.tolist(), result.mentors.tolist(), strict=True
        )
    ]
    finished = time.perf_counter()
    app_seconds = finished - started

    # The same instance's pruned graph solved barely (the solver's share of the app run).
    inst = pool.instance
    n, m = len(pool.mentees), len(pool.mentors)
    participation = args.objective == "participation"
    pruned = matching.candidates(inst, top_k=args.top_k)
    pruned_graph = matching.flow_graph(n, m, pruned, inst.mentors.capacity, participation)
    t = time.perf_counter()
    matching.solve_graph(pruned_graph)
    pruned_solve = time.perf_counter() - t

    # The reference: the full eligible graph, solved barely by the same solver.
    full = matching.candidates(inst)
    full_graph = matching.flow_graph(n, m, full, inst.mentors.capacity, participation)
    t = time.perf_counter()
    reference = matching.solve_graph(full_graph)
    full_solve = time.perf_counter() - t

    def gains(scores: Any) -> int:
        return int(np.rint(np.asarray(scores, dtype=np.float64) * matching.SCALE).sum()) + len(
            scores
        )

    app_objective = gains(result.scores)
    chosen = reference.flows > 0
    reference_objective = gains(full.score[chosen])
    loss = reference_objective - app_objective
    print(
        f"instance: {n:,} mentees × {m:,} mentors, capacity {int(inst.mentors.capacity.sum()):,},"
        f" {full.eligible_edges:,} eligible pairs ({len(inst.forbidden):,} forbidden),"
        f" objective {args.objective}"
    )
    print(
        f"app run: {app_seconds:.2f} s (load {loaded - started:.2f}, score+solve+greedy "
        f"{solved - loaded:.2f}, explain {finished - solved:.2f}); top-{args.top_k}: "
        f"{result.candidate_edges:,} candidate pairs, {result.repaired} mentees repaired"
    )
    print(
        f"bare solver, full graph ({len(full.mentee):,} pairs): {full_solve:.2f} s;"
        f" on the app's pruned graph: {pruned_solve:.2f} s"
    )
    print(
        f"ratio app run / bare full-graph solve: {app_seconds / full_solve:.2f}"
        f" (goal <= 2); app run / bare pruned solve: {app_seconds / pruned_solve:.2f}"
    )
    print(
        f"objective (gain units): app {app_objective:,}, reference {reference_objective:,},"
        f" flow costs app {result.flow_cost:,} / reference {reference.cost:,}:"
        f" {'EQUAL' if loss == 0 else f'pruning loss {loss:,} ({loss / reference_objective:.4%})'}"
    )
    print(
        f"matched: optimum {result.matched:,}, reference {int(chosen.sum()):,}, greedy "
        f"{result.greedy_matched:,}; unmatched {len(result.unmatched):,}"
    )
    print(
        f"total score: optimum {result.total:.2f}, greedy {result.greedy_total:.2f},"
        f" ratio optimum/greedy {result.total / result.greedy_total:.4f}"
    )
    print(f"reasons written: {sum(len(r) for r in reasons):,} for {len(reasons):,} matches")


if __name__ == "__main__":
    main()
