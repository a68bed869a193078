"""The rules of 360° feedback every path shares: states, rater groups, the scale, the
BerAKHLAK values. Pure: no I/O."""

from typing import Final, Literal

from asn_career.org import ranks

CycleState = Literal["draft", "open", "closed", "published"]
CYCLE_TRANSITIONS: Final[dict[str, tuple[str, str]]] = {
    # action: (from state, to state)
    "open": ("draft", "open"),
    "close": ("open", "closed"),
    "publish": ("closed", "published"),
}

Relationship = Literal["self", "supervisor", "peer", "subordinate", "public"]
RELATIONSHIPS: Final[tuple[str, ...]] = ("self", "supervisor", "peer", "subordinate", "public")
NAMED_GROUPS: Final[frozenset[str]] = frozenset({"self", "supervisor"})
"""Shown as such at any size: the subject knows who these are."""
ANONYMOUS_GROUPS: Final[tuple[str, ...]] = ("peer", "subordinate", "public")
"""Shown only with at least the cycle's ``min_group_size`` responses; smaller ones are
merged into ``other``, which is itself suppressed when still too small."""
MERGED_GROUP: Final = "other"

RequestStatus = Literal["nominated", "pending", "draft", "submitted", "declined"]
OPEN_REQUEST_STATUSES: Final[frozenset[str]] = frozenset({"pending", "draft"})

SCALE_MIN: Final = 1
SCALE_MAX: Final = 5
DEFAULT_MIN_GROUP_SIZE: Final = 3
DEFAULT_BLIND_SPOT_THRESHOLD: Final = 1.0

DimensionKind = Literal["competency", "value"]
BERAKHLAK_VALUES: Final[dict[str, tuple[str, str]]] = {
    # code: (Indonesian, English)
    "BA.1": ("Berorientasi Pelayanan", "Service oriented"),
    "BA.2": ("Akuntabel", "Accountable"),
    "BA.3": ("Kompeten", "Competent"),
    "BA.4": ("Harmonis", "Harmonious"),
    "BA.5": ("Loyal", "Loyal"),
    "BA.6": ("Adaptif", "Adaptive"),
    "BA.7": ("Kolaboratif", "Collaborative"),
}
"""The core values of ASN (SE MenPANRB 20/2021) as dimensions a questionnaire item measures."""


# --- questionnaires ----------------------------------------------------------------------

DEFAULT_QUESTIONNAIRE_CODE: Final = "BERAKHLAK-MANAJERIAL"
"""The shared questionnaire seeded by the migration (the seven values and ``M.1``–``M.8``)."""
QUESTIONNAIRE_CODE_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
ITEM_CODE_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
COMPETENCY_DIMENSION_PATTERN: Final = r"^(M|SK|T)\.[1-9][0-9]{0,3}$"
"""What a competency item measures: a managerial ``M.n``, socio-cultural ``SK.n`` or the
agency's technical ``T.n`` (the code must also exist in the dictionary for the agency)."""
SCALE_POINTS: Final[tuple[str, ...]] = tuple(str(n) for n in range(SCALE_MIN, SCALE_MAX + 1))
MAX_ITEMS: Final = 200


def is_value_code(code: str) -> bool:
    """``BA.1``–``BA.7``: a BerAKHLAK value an item may measure."""
    return code in BERAKHLAK_VALUES


# --- cycles ------------------------------------------------------------------------------

CYCLE_TRANSITION_EVENTS: Final[dict[str, str]] = {
    "open": "feedback.cycle.opened",
    "close": "feedback.cycle.closed",
    "publish": "feedback.cycle.published",
}
"""The outbox event each transition announces. The caller of the cycles service's
``transition`` names it (so ``tests/test_registries.py`` can read it at the call); the
service checks that it names this one."""

STRUCTURE_STATES: Final[frozenset[str]] = frozenset({"draft"})
"""States in which the cycle itself, its subjects and generated raters may change."""
RATER_STATES: Final[frozenset[str]] = frozenset({"draft", "open"})
"""States in which raters may be added, nominated, approved or replaced."""
STATE_NAMES_ID: Final[dict[str, str]] = {
    "draft": "draf",
    "open": "dibuka",
    "closed": "ditutup",
    "published": "diterbitkan",
}
"""A state as an Indonesian sentence says it: "siklus berstatus draf"."""
ACTION_NAMES_ID: Final[dict[str, str]] = {
    "open": "dibuka",
    "close": "ditutup",
    "publish": "diterbitkan",
}
MIN_GROUP_SIZE_RANGE: Final = (3, 20)
MAX_REQUESTS_PER_RATER: Final = 8
MAX_BLIND_SPOT_THRESHOLD: Final = 4.0
"""The widest gap a 1–5 scale allows."""


def transition_target(state: str, action: str) -> str | None:
    """The state ``action`` leads to from ``state``, or ``None`` when it is not allowed
    there (an unknown action included)."""
    step = CYCLE_TRANSITIONS.get(action)
    if step is None or step[0] != state:
        return None
    return step[1]


# --- rater requests ----------------------------------------------------------------------

HR_RELATIONSHIPS: Final[tuple[str, ...]] = ("self", "supervisor", "peer", "subordinate")
"""What HR may name when adding a rater; public raters come only through one-time links."""
CAPPED_RELATIONSHIPS: Final[frozenset[str]] = frozenset({"peer", "subordinate"})
"""The cap of requests per rater holds for these. Self is one request per person, and
the supervisor is asked about every direct report whatever the cap: nobody else can give
the supervisor's view. Both still count in a rater's load."""
LOAD_STATUSES: Final[frozenset[str]] = frozenset({"nominated", "pending", "draft", "submitted"})
"""The requests that make a rater's load: all but the declined ones."""
ANSWERED_STATUSES: Final[frozenset[str]] = frozenset({"draft", "submitted"})
"""Answers saved or submitted: such a request is never removed nor given to someone else."""
REPLACEABLE_STATUSES: Final[frozenset[str]] = frozenset({"pending", "declined"})
"""A rater who has not answered, or declined, may be replaced by HR."""
REMOVABLE_WHILE_OPEN: Final[frozenset[str]] = frozenset({"nominated", "pending"})

DEFAULT_PEERS: Final = 4
PEERS_RANGE: Final = (2, 8)
DEFAULT_SUBORDINATES: Final = 4
MAX_SUBORDINATES: Final = 8
MAX_NOMINATIONS: Final = 8
"""Peers a subject may name in one nomination."""


def relationship_fits(relationship: str, *, rater_is_subject: bool) -> bool:
    """Self is rated by the subject alone, and every other group by someone else."""
    return rater_is_subject == (relationship == "self")


def request_removable(cycle_state: str, status: str) -> bool:
    """Before open any unanswered request goes; while open only one not yet answered
    (pending or awaiting approval); never after close, nor a submitted one."""
    if cycle_state == "draft":
        return status not in ANSWERED_STATUSES
    if cycle_state == "open":
        return status in REMOVABLE_WHILE_OPEN
    return False


def over_cap(load: int, cap: int) -> bool:
    """Whether a rater with ``load`` requests may take no further capped request."""
    return load >= cap


PEER_RANK_STEPS: Final = 1
"""Peers' ranks may differ by this many steps of the same scale (``III/b`` and ``III/c``)."""


LevelKey = tuple[str, ...]


def _rank_key(rank: str | None, step: int = 0) -> LevelKey | None:
    scale = ranks.scale_of(rank) if rank is not None else None
    if rank is None or scale is None:
        return None
    return ("rank", scale, str(ranks.ordinal(rank) + step))


def level_keys(kind: str | None, rank: str | None) -> tuple[LevelKey, ...]:
    """What makes someone's level: their kind of position and their rank on its scale."""
    keys: list[LevelKey] = [("kind", kind)] if kind is not None else []
    rank_key = _rank_key(rank)
    return (*keys, rank_key) if rank_key is not None else tuple(keys)


def peer_keys(kind: str | None, rank: str | None) -> tuple[LevelKey, ...]:
    """The ``level_keys`` of colleagues of a similar level: the same kind of position (both
    ``pelaksana``, both ``pengawas``), or a rank of the same scale at most
    ``PEER_RANK_STEPS`` away (``III/b`` and ``III/c``)."""
    keys: list[LevelKey] = [("kind", kind)] if kind is not None else []
    for step in range(-PEER_RANK_STEPS, PEER_RANK_STEPS + 1):
        rank_key = _rank_key(rank, step)
        if rank_key is not None:
            keys.append(rank_key)
    return tuple(keys)


def similar_level(
    kind_a: str | None, rank_a: str | None, kind_b: str | None, rank_b: str | None
) -> bool:
    """Whether b is a peer of a similar level for a (``peer_keys`` meets ``level_keys``);
    symmetric."""
    return not set(peer_keys(kind_a, rank_a)).isdisjoint(level_keys(kind_b, rank_b))
