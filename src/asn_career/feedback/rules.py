"""The rules of 360° feedback every path shares: states, rater groups, the scale, the
BerAKHLAK values. Pure: no I/O."""

from typing import Final, Literal

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
