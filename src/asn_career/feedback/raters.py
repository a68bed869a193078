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
least-loaded eligible candidate. A last pass evens out what the rounds leave: a request
moves to an eligible candidate with at least two requests fewer, until no such move is
left. Ties are broken by a hash of the cycle id and the NIPs, never by input order, so the
same data always gives the same proposal.
"""

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from asn_career.feedback.rules import (
    ANONYMOUS_GROUPS,
    CAPPED_RELATIONSHIPS,
    LOAD_STATUSES,
    LevelKey,
    level_keys,
    over_cap,
    peer_keys,
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
#
# Internally every person is a small integer (their index in ``people``): loads are a list
# and the sets hold ints, which costs far less than hashing UUIDs millions of times.


@dataclass
class _Subject:
    index: int
    person: Person
    order: int
    asked: set[int] = field(default_factory=set)
    have: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    holders: list[int] = field(default_factory=list)
    candidates: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class _Pick:
    state: _Subject
    rater: int
    relationship: str


PEER_WINDOW: Final = 200
"""Colleagues of one level in one unit looked at per subject. A larger group (a school of
a thousand teachers filed as one unit) is seen through a window of this many, placed by the
subject's hash, so that the work grows with the subjects, not with their square."""


def _window(bucket: list[int], start: int) -> list[int]:
    if len(bucket) <= PEER_WINDOW:
        return bucket
    offset = start % len(bucket)
    window = bucket[offset : offset + PEER_WINDOW]
    return window + bucket[: PEER_WINDOW - len(window)]


def _key(cycle_key: str, nip: str) -> int:
    return int.from_bytes(tie_key(cycle_key, nip), "big")


class _Proposer:
    def __init__(
        self,
        cycle_key: str,
        subjects: Sequence[Person],
        pool: Sequence[Person],
        existing: Sequence[Existing],
        options: Options,
    ) -> None:
        self.options = options
        people: dict[uuid.UUID, Person] = {p.id: p for p in pool}
        for subject in subjects:
            people.setdefault(subject.id, subject)
        self.people = sorted(people.values(), key=lambda p: p.nip)
        self.index = {p.id: i for i, p in enumerate(self.people)}
        self.hashes = [_key(cycle_key, p.nip) for p in self.people]
        self.load = [0] * len(self.people)
        for request in existing:
            rater = self.index.get(request.rater_id) if request.rater_id else None
            if rater is not None and request.status in LOAD_STATUSES:
                self.load[rater] += 1
        unique = {s.id: s for s in subjects}
        self.states = {
            sid: _Subject(self.index[sid], s, _key(cycle_key, "subject:" + s.nip))
            for sid, s in unique.items()
        }
        for request in existing:
            state = self.states.get(request.subject_id)
            if state is None:
                continue
            if request.rater_id is not None:
                state.asked.add(self._index_of(request.rater_id))
            if request.status != "declined":
                state.have[request.relationship] += 1
        self._candidates(pool)
        self.order = sorted(self.states.values(), key=lambda st: (st.order, st.person.nip))
        self.picks: list[_Pick] = []

    def _index_of(self, person_id: uuid.UUID) -> int:
        """An index for anyone named by an existing request, even outside the pool."""
        found = self.index.get(person_id)
        if found is None:
            found = self.index[person_id] = -1 - len(self.index)
        return found

    def _candidates(self, pool: Sequence[Person]) -> None:
        by_level: dict[tuple[uuid.UUID, LevelKey], list[int]] = defaultdict(list)
        by_position: dict[uuid.UUID, list[int]] = defaultdict(list)
        by_superior: dict[uuid.UUID, list[int]] = defaultdict(list)
        for person in pool:
            i = self.index[person.id]
            if person.unit_id is not None:
                for key in level_keys(person.position_kind, person.rank_code):
                    by_level[(person.unit_id, key)].append(i)
            if person.position_id is not None:
                by_position[person.position_id].append(i)
            if person.reports_to_position_id is not None:
                by_superior[person.reports_to_position_id].append(i)
        hashes = self.hashes
        for bucket in by_level.values():
            bucket.sort(key=lambda i: (hashes[i], i))
        for state in self.states.values():
            s, me = state.person, state.index
            holders = (
                [i for i in by_position.get(s.reports_to_position_id, ()) if i != me]
                if s.reports_to_position_id is not None
                else []
            )
            reports = (
                [i for i in by_superior.get(s.position_id, ()) if i != me]
                if s.position_id is not None
                else []
            )
            near = {me, *holders, *reports}
            peers: dict[int, None] = {}
            if s.unit_id is not None:
                for key in peer_keys(s.position_kind, s.rank_code):
                    for i in _window(by_level.get((s.unit_id, key), []), state.order):
                        if i not in near:
                            peers[i] = None
            state.holders = self._ordered(state, holders)
            state.candidates = {
                "subordinate": self._ordered(state, reports),
                "peer": self._ordered(state, list(peers)),
            }

    def _ordered(self, state: _Subject, candidates: list[int]) -> list[int]:
        """The tie-break order for this subject: the candidate's hash of the cycle and NIP,
        mixed with the subject's, so that subjects do not all favour the same colleague."""
        hashes, mine = self.hashes, state.order
        return sorted(candidates, key=lambda i: (hashes[i] ^ mine, i))

    def add(self, state: _Subject, rater: int, relationship: str) -> None:
        self.picks.append(_Pick(state, rater, relationship))
        state.asked.add(rater)
        state.have[relationship] += 1
        self.load[rater] += 1

    def least_loaded(self, state: _Subject, candidates: list[int], cap: int | None) -> int | None:
        """The first candidate of least load not yet asked (and under ``cap`` when given);
        ``candidates`` are in tie-break order, so the first of equal load wins."""
        best, best_load = None, 0
        load, asked = self.load, state.asked
        for candidate in candidates:
            current = load[candidate]
            if (best is not None and current >= best_load) or candidate in asked:
                continue
            if cap is not None and over_cap(current, cap):
                continue
            best, best_load = candidate, current
        return best

    def run(self) -> None:
        for state in self.order:
            if state.have["self"] == 0 and state.index not in state.asked:
                self.add(state, state.index, "self")
        for state in self.order:
            if state.have["supervisor"] > 0:
                continue
            chosen = self.least_loaded(state, state.holders, cap=None)
            if chosen is not None:
                self.add(state, chosen, "supervisor")
        wanted = {"subordinate": self.options.subordinates, "peer": self.options.peers}
        for relationship in ("subordinate", "peer"):
            assert relationship in CAPPED_RELATIONSHIPS
            want = wanted[relationship]
            active = [st for st in self.order if st.have[relationship] < want]
            while active:
                still = []
                for state in active:
                    chosen = self.least_loaded(
                        state, state.candidates[relationship], cap=self.options.cap
                    )
                    if chosen is None:
                        continue
                    self.add(state, chosen, relationship)
                    if state.have[relationship] < want:
                        still.append(state)
                active = still
        self.rebalance()

    def rebalance(self) -> None:
        """Even out what the rounds leave: a peer or direct-report request moves from its
        rater to an eligible candidate of the same subject with at least two requests
        fewer, until no such move is left. Each move lowers the sum of squared loads, so
        this ends; at the end no single move makes the spread fairer. (Near the end of the
        rounds a subject may find the least-loaded colleagues already asked, or itself.)"""
        load, cap = self.load, self.options.cap
        moved = True
        while moved:
            moved = False
            for pick in self.picks:
                if pick.relationship not in CAPPED_RELATIONSHIPS:
                    continue
                limit = load[pick.rater] - 2
                best, best_load = None, limit + 1
                asked = pick.state.asked
                for candidate in pick.state.candidates[pick.relationship]:
                    other = load[candidate]
                    if other < best_load and candidate not in asked and not over_cap(other, cap):
                        best, best_load = candidate, other
                if best is not None:
                    asked.discard(pick.rater)
                    asked.add(best)
                    load[pick.rater] -= 1
                    load[best] += 1
                    pick.rater = best
                    moved = True

    def reason(self, pick: _Pick) -> Reason:
        subject, rater = pick.state.person, self.people[pick.rater]
        if pick.relationship == "self":
            return self_reason()
        if pick.relationship == "supervisor":
            return supervisor_reason(subject, rater)
        if pick.relationship == "subordinate":
            return report_reason(subject, rater)
        return peer_reason(subject, rater)

    def at_capacity(self, state: _Subject, relationship: str) -> int:
        cap = self.options.cap
        return sum(
            1
            for c in state.candidates[relationship]
            if c not in state.asked and over_cap(self.load[c], cap)
        )


def propose(
    cycle_key: str,
    subjects: Sequence[Person],
    pool: Sequence[Person],
    existing: Sequence[Existing],
    options: Options,
) -> Plan:
    """Raters for ``subjects`` from ``pool`` (the active employees who may rate), given the
    requests already in the cycle. Deterministic for the same sets, in any input order."""
    proposer = _Proposer(cycle_key, subjects, pool, existing, options)
    proposer.run()
    proposals = [
        Proposal(p.state.person.id, proposer.people[p.rater].id, p.relationship, proposer.reason(p))
        for p in proposer.picks
    ]
    anonymous = [g for g in ANONYMOUS_GROUPS if g != "public"]
    below = [
        _shortfall(proposer, state)
        for state in proposer.order
        if sum(state.have[g] for g in anonymous) < options.min_group_size
    ]
    missing = [
        MissingSupervisor(state.person, _no_supervisor_reason(state))
        for state in proposer.order
        if state.have["supervisor"] == 0
    ]
    nips = {s.id: s.nip for s in subjects}
    proposals.sort(
        key=lambda p: (nips[p.subject_id], RELATIONSHIP_ORDER[p.relationship], p.rater_id.int)
    )
    below.sort(key=lambda f: f.subject.nip)
    missing.sort(key=lambda m: m.subject.nip)
    return Plan(proposals, below, missing)


# --- why a subject falls short ---------------------------------------------------------


def _shortfall(proposer: _Proposer, state: _Subject) -> Shortfall:
    s, options = state.person, proposer.options
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
        full = proposer.at_capacity(state, "peer")
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
        full = proposer.at_capacity(state, "subordinate")
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
