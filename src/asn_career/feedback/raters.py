"""Proposing raters for the subjects of a cycle: pure, no I/O.

The repository loads the subjects, the agency's active employees who can rate them and the
requests already there (set-based); :func:`propose` decides, and the service stores.

For each subject it proposes
- **self**;
- **the supervisor**: the employee holding the position the subject's position reports to
  (of several holders, the least loaded);
- **direct reports**: employees whose position reports to the subject's position;
- **peers**: colleagues of the same unit and a similar level (``rules.similar_level``),
  neither the supervisor nor a direct report.

Peers and direct reports respect the cycle's cap of requests per rater, counting the
requests each rater already has; self and the supervisor do not (``rules.CAPPED_RELATIONSHIPS``).
They are handed out round by round, one per subject and round, so that every subject gets
its first peer before anyone gets a second; within a round each subject takes the
least-loaded eligible candidate. Ties are broken by a hash of the cycle id and the NIPs,
never by input order, so the same data always gives the same proposal.
"""

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from asn_career.feedback.rules import (
    ANONYMOUS_GROUPS,
    CAPPED_RELATIONSHIPS,
    LOAD_STATUSES,
    over_cap,
    similar_level,
)

KIND_LABELS: Final[dict[str, tuple[str, str]]] = {
    "jpt_utama": ("JPT Utama", "senior executive (JPT Utama)"),
    "jpt_madya": ("JPT Madya", "senior executive (JPT Madya)"),
    "jpt_pratama": ("JPT Pratama", "senior executive (JPT Pratama)"),
    "administrator": ("Administrator", "administrator"),
    "pengawas": ("Pengawas", "supervisor (pengawas)"),
    "fungsional": ("Fungsional", "functional"),
    "pelaksana": ("Pelaksana", "executive (pelaksana)"),
}
RELATIONSHIP_ORDER: Final[dict[str, int]] = {
    "self": 0,
    "supervisor": 1,
    "peer": 2,
    "subordinate": 3,
    "public": 4,
}


@dataclass(frozen=True)
class Person:
    """An employee as the proposal sees them. For a subject: the unit and position stored
    when they were added; for a candidate: their current ones."""

    id: uuid.UUID
    nip: str
    name: str
    unit_id: uuid.UUID | None = None
    unit_name: str | None = None
    position_id: uuid.UUID | None = None
    position_title: str | None = None
    position_kind: str | None = None
    reports_to_position_id: uuid.UUID | None = None
    reports_to_title: str | None = None
    rank_code: str | None = None


@dataclass(frozen=True)
class Existing:
    """A request already in the cycle."""

    subject_id: uuid.UUID
    rater_id: uuid.UUID | None
    relationship: str
    status: str


@dataclass(frozen=True)
class Reason:
    """Why: a stable code and the text in Indonesian and English."""

    code: str
    text_id: str
    text_en: str


@dataclass(frozen=True)
class Proposal:
    subject_id: uuid.UUID
    rater_id: uuid.UUID
    relationship: str
    reason: Reason


@dataclass(frozen=True)
class Shortfall:
    """A subject whose anonymous raters (peers and direct reports) stay below the cycle's
    minimum group size, so their feedback would be merged or suppressed in the report."""

    subject: Person
    peers: int
    subordinates: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class MissingSupervisor:
    subject: Person
    reason: Reason


@dataclass(frozen=True)
class Options:
    peers: int = 4
    subordinates: int = 4
    cap: int = 8
    min_group_size: int = 3


@dataclass(frozen=True)
class Plan:
    proposals: list[Proposal]
    below_minimum: list[Shortfall]
    without_supervisor: list[MissingSupervisor]

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(("self", "supervisor", "peer", "subordinate"), 0)
        for proposal in self.proposals:
            found[proposal.relationship] += 1
        return found


def tie_key(cycle_key: str, *nips: str) -> bytes:
    """The deterministic tie-break: a hash of the cycle id and the NIPs concerned."""
    text = "|".join((cycle_key, *nips)).encode()
    return hashlib.blake2b(text, digest_size=8).digest()


def _title(text: str | None, fallback_id: str) -> str:
    return text if text else fallback_id


# --- reasons ---------------------------------------------------------------------------


def self_reason() -> Reason:
    return Reason(
        "self",
        "Penilaian diri: pegawai menilai dirinya sendiri",
        "Self-assessment: the employee rates themselves",
    )


def supervisor_reason(subject: Person, supervisor: Person) -> Reason:
    own = _title(subject.position_title, "pegawai")
    superior = _title(supervisor.position_title, "atasan")
    return Reason(
        "direct_supervisor",
        f"Atasan langsung: memegang jabatan {superior} yang membawahkan jabatan {own}",
        f"Direct supervisor: holds the position {superior}, to which the position {own} reports",
    )


def report_reason(subject: Person, report: Person) -> Reason:
    own = _title(subject.position_title, "pegawai")
    below = _title(report.position_title, "bawahan")
    return Reason(
        "direct_report",
        f"Bawahan langsung: memegang jabatan {below} yang berada langsung di bawah jabatan {own}",
        f"Direct report: holds the position {below}, which reports directly to {own}",
    )


def peer_reason(subject: Person, peer: Person) -> Reason:
    unit = _title(subject.unit_name, "unit yang sama")
    if subject.position_kind is not None and subject.position_kind == peer.position_kind:
        label_id, label_en = KIND_LABELS.get(
            subject.position_kind, (subject.position_kind, subject.position_kind)
        )
        return Reason(
            "peer_same_kind",
            f"Rekan satu unit ({unit}) dengan jenis jabatan yang sama ({label_id})",
            f"Colleague in the same unit ({unit}) in the same kind of position ({label_en})",
        )
    return Reason(
        "peer_similar_rank",
        f"Rekan satu unit ({unit}) dengan pangkat setara ({peer.rank_code}; "
        f"pegawai yang dinilai {subject.rank_code})",
        f"Colleague in the same unit ({unit}) of a similar rank ({peer.rank_code}; "
        f"the employee {subject.rank_code})",
    )


# --- the proposal ----------------------------------------------------------------------


@dataclass
class _Subject:
    person: Person
    order: bytes
    asked: set[uuid.UUID] = field(default_factory=set)
    have: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    holders: list[Person] = field(default_factory=list)
    candidates: dict[str, list[Person]] = field(default_factory=dict)


class _Loads:
    def __init__(self, existing: Iterable[Existing]) -> None:
        self.load: dict[uuid.UUID, int] = defaultdict(int)
        for request in existing:
            if request.rater_id is not None and request.status in LOAD_STATUSES:
                self.load[request.rater_id] += 1

    def take(self, rater: uuid.UUID) -> None:
        self.load[rater] += 1


def _sorted(cycle_key: str, subject: Person, people: Iterable[Person]) -> list[Person]:
    return sorted(people, key=lambda p: (tie_key(cycle_key, subject.nip, p.nip), p.nip))


def _least_loaded(
    candidates: Sequence[Person], asked: set[uuid.UUID], loads: _Loads, cap: int | None
) -> Person | None:
    """The first candidate of least load not yet asked (and under ``cap`` when given);
    ``candidates`` are in tie-break order, so the first of equal load wins."""
    best: Person | None = None
    best_load = 0
    load = loads.load
    for candidate in candidates:
        if candidate.id in asked:
            continue
        current = load.get(candidate.id, 0)
        if cap is not None and over_cap(current, cap):
            continue
        if best is None or current < best_load:
            best, best_load = candidate, current
            if current == 0:
                break
    return best


def propose(
    cycle_key: str,
    subjects: Sequence[Person],
    pool: Sequence[Person],
    existing: Sequence[Existing],
    options: Options,
) -> Plan:
    """Raters for ``subjects`` from ``pool`` (the active employees who may rate), given the
    requests already in the cycle. Deterministic for the same sets, in any input order."""
    loads = _Loads(existing)
    states: dict[uuid.UUID, _Subject] = {
        s.id: _Subject(s, tie_key(cycle_key, s.nip)) for s in subjects
    }
    for request in existing:
        state = states.get(request.subject_id)
        if state is None:
            continue
        if request.rater_id is not None:
            state.asked.add(request.rater_id)
        if request.status != "declined":
            state.have[request.relationship] += 1

    by_unit: dict[uuid.UUID, list[Person]] = defaultdict(list)
    by_position: dict[uuid.UUID, list[Person]] = defaultdict(list)
    by_superior: dict[uuid.UUID, list[Person]] = defaultdict(list)
    for person in pool:
        if person.unit_id is not None:
            by_unit[person.unit_id].append(person)
        if person.position_id is not None:
            by_position[person.position_id].append(person)
        if person.reports_to_position_id is not None:
            by_superior[person.reports_to_position_id].append(person)

    for state in states.values():
        s = state.person
        holders = (
            [p for p in by_position.get(s.reports_to_position_id, ()) if p.id != s.id]
            if s.reports_to_position_id is not None
            else []
        )
        reports = (
            [p for p in by_superior.get(s.position_id, ()) if p.id != s.id]
            if s.position_id is not None
            else []
        )
        near = {p.id for p in holders} | {p.id for p in reports}
        peers = (
            [
                p
                for p in by_unit.get(s.unit_id, ())
                if p.id != s.id
                and p.id not in near
                and similar_level(s.position_kind, s.rank_code, p.position_kind, p.rank_code)
            ]
            if s.unit_id is not None
            else []
        )
        state.holders = _sorted(cycle_key, s, holders)
        state.candidates = {
            "subordinate": _sorted(cycle_key, s, reports),
            "peer": _sorted(cycle_key, s, peers),
        }

    order = sorted(states.values(), key=lambda st: (st.order, st.person.nip))
    proposals: list[Proposal] = []

    def add(state: _Subject, rater: Person, relationship: str, reason: Reason) -> None:
        proposals.append(Proposal(state.person.id, rater.id, relationship, reason))
        state.asked.add(rater.id)
        state.have[relationship] += 1
        loads.take(rater.id)

    for state in order:
        s = state.person
        if state.have["self"] == 0 and s.id not in state.asked:
            add(state, s, "self", self_reason())
    for state in order:
        if state.have["supervisor"] > 0:
            continue
        chosen = _least_loaded(state.holders, state.asked, loads, cap=None)
        if chosen is not None:
            add(state, chosen, "supervisor", supervisor_reason(state.person, chosen))

    wanted = {"subordinate": options.subordinates, "peer": options.peers}
    for relationship in ("subordinate", "peer"):
        assert relationship in CAPPED_RELATIONSHIPS
        want = wanted[relationship]
        active = [st for st in order if st.have[relationship] < want]
        while active:
            still = []
            for state in active:
                chosen = _least_loaded(
                    state.candidates[relationship], state.asked, loads, cap=options.cap
                )
                if chosen is None:
                    continue
                reason = (
                    report_reason(state.person, chosen)
                    if relationship == "subordinate"
                    else peer_reason(state.person, chosen)
                )
                add(state, chosen, relationship, reason)
                if state.have[relationship] < want:
                    still.append(state)
            active = still

    below = [
        _shortfall(state, loads, options)
        for state in order
        if sum(state.have[g] for g in ANONYMOUS_GROUPS if g != "public") < options.min_group_size
    ]
    missing = [
        MissingSupervisor(state.person, _no_supervisor_reason(state))
        for state in order
        if state.have["supervisor"] == 0
    ]
    proposals.sort(
        key=lambda p: (
            states[p.subject_id].person.nip,
            RELATIONSHIP_ORDER[p.relationship],
            p.rater_id.int,
        )
    )
    below.sort(key=lambda f: f.subject.nip)
    missing.sort(key=lambda m: m.subject.nip)
    return Plan(proposals, below, missing)


# --- why a subject falls short ---------------------------------------------------------


def _at_capacity(
    candidates: Sequence[Person], asked: set[uuid.UUID], loads: _Loads, cap: int
) -> int:
    return sum(
        1 for c in candidates if c.id not in asked and over_cap(loads.load.get(c.id, 0), cap)
    )


def _shortfall(state: _Subject, loads: _Loads, options: Options) -> Shortfall:
    s = state.person
    reasons: list[Reason] = []
    peers, reports = state.candidates["peer"], state.candidates["subordinate"]
    have_peers, have_reports = state.have["peer"], state.have["subordinate"]
    unit = _title(s.unit_name, "unit")
    if s.unit_id is None:
        reasons.append(
            Reason(
                "no_unit",
                "Unit kerja pegawai tidak tercatat, sehingga rekan satu unit tidak dapat dicari",
                "The employee's unit is not recorded, so no colleagues could be found",
            )
        )
    elif not peers:
        reasons.append(
            Reason(
                "no_peers",
                f"Tidak ada rekan aktif dengan jenjang setara di unit {unit}",
                f"No active colleague of a similar level in the unit {unit}",
            )
        )
    elif have_peers < options.peers:
        full = _at_capacity(peers, state.asked, loads, options.cap)
        if full:
            reasons.append(
                Reason(
                    "peers_at_capacity",
                    f"{full} dari {len(peers)} rekan setara di unit {unit} sudah menerima "
                    f"{options.cap} permintaan (batas per penilai)",
                    f"{full} of the {len(peers)} colleagues of a similar level in the unit "
                    f"{unit} already have {options.cap} requests (the cap per rater)",
                )
            )
        else:
            reasons.append(
                Reason(
                    "few_peers",
                    f"Hanya ada {len(peers)} rekan aktif dengan jenjang setara di unit {unit}",
                    f"Only {len(peers)} active colleagues of a similar level in the unit {unit}",
                )
            )
    title = _title(s.position_title, "pegawai")
    if s.position_id is None:
        reasons.append(
            Reason(
                "no_position",
                "Jabatan pegawai tidak tercatat, sehingga bawahan langsung tidak dapat dicari",
                "The employee's position is not recorded, so no direct reports could be found",
            )
        )
    elif not reports:
        reasons.append(
            Reason(
                "no_direct_reports",
                f"Tidak ada pegawai aktif yang jabatannya berada langsung di bawah jabatan {title}",
                f"No active employee holds a position reporting directly to {title}",
            )
        )
    elif options.subordinates == 0:
        reasons.append(
            Reason(
                "subordinates_not_requested",
                "Bawahan langsung tidak diminta menilai dalam pembuatan usulan ini",
                "Direct reports were not asked for in this proposal",
            )
        )
    elif have_reports < options.subordinates:
        full = _at_capacity(reports, state.asked, loads, options.cap)
        if full:
            reasons.append(
                Reason(
                    "subordinates_at_capacity",
                    f"{full} dari {len(reports)} bawahan langsung sudah menerima "
                    f"{options.cap} permintaan (batas per penilai)",
                    f"{full} of the {len(reports)} direct reports already have "
                    f"{options.cap} requests (the cap per rater)",
                )
            )
        else:
            reasons.append(
                Reason(
                    "few_direct_reports",
                    f"Hanya ada {len(reports)} bawahan langsung yang aktif",
                    f"Only {len(reports)} active direct reports",
                )
            )
    if not reasons or (have_peers >= options.peers and options.peers < options.min_group_size):
        reasons.append(
            Reason(
                "few_requested",
                f"Jumlah rekan yang diminta ({options.peers}) di bawah ukuran minimum kelompok "
                f"anonim ({options.min_group_size})",
                f"The peers asked for ({options.peers}) are fewer than the minimum anonymous "
                f"group size ({options.min_group_size})",
            )
        )
    return Shortfall(s, have_peers, have_reports, tuple(reasons))


def _no_supervisor_reason(state: _Subject) -> Reason:
    s = state.person
    title = _title(s.position_title, "pegawai")
    if s.position_id is None:
        return Reason(
            "no_position",
            "Jabatan pegawai tidak tercatat, sehingga atasan langsung tidak dapat dicari",
            "The employee's position is not recorded, so no supervisor could be found",
        )
    if s.reports_to_position_id is None:
        return Reason(
            "top_of_line",
            f"Jabatan {title} tidak berada di bawah jabatan lain dalam garis pelaporan",
            f"The position {title} reports to no other position",
        )
    superior = _title(s.reports_to_title, "atasan")
    if not state.holders:
        return Reason(
            "supervisor_vacant",
            f"Jabatan atasan ({superior}) kosong atau pemegangnya tidak aktif",
            f"The superior position ({superior}) is vacant or its holder is not active",
        )
    return Reason(
        "supervisor_already_asked",
        f"Pemegang jabatan atasan ({superior}) sudah diminta menilai dalam hubungan lain",
        f"The holder of the superior position ({superior}) is already asked in another role",
    )
