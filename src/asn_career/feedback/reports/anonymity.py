"""Which rater group each response is shown under, and when a figure may be shown at all.

Pure and vectorised over every subject of a cycle. The rules (``feedback.rules``):

- self and supervisor are shown as such, whatever their number;
- an anonymous group (peer, subordinate, public) with at least ``min_group_size``
  responses is shown on its own;
- the anonymous groups with fewer (but some) responses are merged into ``other``, shown
  when the merged responses reach the minimum and suppressed otherwise;
- a figure of an anonymous group (``other`` included) is shown only when at least the
  minimum of raters stand behind that very figure: an item that some raters marked "not
  observed" can fall below it while its group is shown, and is then suppressed, and left out
  of every figure built on it (the dimension's, the overall one);
- ``overall`` is built from shown figures only, so subtracting the shown groups from it
  recovers nothing.

Every figure a report holds is thereby a sum of shown (group, item) cells, each with at
least the minimum of anonymous raters: no difference of two figures isolates fewer.
"""

from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from asn_career.feedback.rules import MERGED_GROUP, RELATIONSHIPS

IntArray = NDArray[np.int64]

GROUPS: Final[tuple[str, ...]] = (*RELATIONSHIPS, MERGED_GROUP)
"""Display groups by index: self, supervisor, peer, subordinate, public, other."""
SELF, SUPERVISOR, PEER, SUBORDINATE, PUBLIC, OTHER = range(6)
ANONYMOUS: Final = (PEER, SUBORDINATE, PUBLIC)
ANONYMOUS_SHOWN: Final = (PEER, SUBORDINATE, PUBLIC, OTHER)
"""Display groups whose figures need the minimum of raters."""
NOT_SELF: Final = (SUPERVISOR, PEER, SUBORDINATE, PUBLIC, OTHER)
SUPPRESSED: Final = -1
RELATIONSHIP_INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(RELATIONSHIPS)}


def display_groups(responded: IntArray, min_group_size: int) -> IntArray:
    """Per (subject, relationship): the display group its responses count under, or
    ``SUPPRESSED``. ``responded`` is subjects × 5 (``RELATIONSHIPS`` order)."""
    counts = np.asarray(responded, dtype=np.int64)
    shown = np.tile(np.arange(len(RELATIONSHIPS), dtype=np.int64), (counts.shape[0], 1))
    anonymous = np.zeros(len(RELATIONSHIPS), dtype=bool)
    anonymous[list(ANONYMOUS)] = True
    small = anonymous & (counts > 0) & (counts < min_group_size)
    merged = np.where(small, counts, 0).sum(axis=1, keepdims=True)
    other = np.where(merged >= min_group_size, OTHER, SUPPRESSED)
    shown = np.where(small, other, shown)
    shown = np.where(anonymous & (counts == 0), SUPPRESSED, shown)
    return shown


def merged_into_other(responded: IntArray, min_group_size: int) -> NDArray[np.bool_]:
    """Per subject: whether any anonymous group was merged (so an ``other`` figure, shown or
    suppressed, belongs in the report)."""
    counts = np.asarray(responded, dtype=np.int64)[:, list(ANONYMOUS)]
    return np.asarray(((counts > 0) & (counts < min_group_size)).any(axis=1), dtype=np.bool_)


def thresholds(min_group_size: int) -> IntArray:
    """Per display group: the raters a figure needs to be shown."""
    needed = np.ones(len(GROUPS), dtype=np.int64)
    needed[list(ANONYMOUS_SHOWN)] = min_group_size
    return needed


def shown_cells(count: NDArray[Any], min_group_size: int) -> NDArray[np.bool_]:
    """Which (…, group) cells may be shown: ``count`` has the display groups on its last
    axis; a cell needs at least one rater, and the minimum for anonymous groups."""
    counts = np.asarray(count)
    return np.asarray((counts > 0) & (counts >= thresholds(min_group_size)), dtype=np.bool_)
