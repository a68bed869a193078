"""Rank (pangkat/golongan) order: pure, no I/O.

PNS ranks run ``I/a`` … ``IV/e`` (ordinals 1–17); PPPK golongan run ``I`` … ``XVII``
(ordinals 1–17). The two scales are separate: a PNS rank never compares with a PPPK one.
The same codes and ordinals are seeded into the ``ranks`` table by the organisation migration.
"""

from typing import Literal

Scale = Literal["pns", "pppk"]

RANKS_PNS: tuple[str, ...] = (
    "I/a", "I/b", "I/c", "I/d",
    "II/a", "II/b", "II/c", "II/d",
    "III/a", "III/b", "III/c", "III/d",
    "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
)  # fmt: skip
RANKS_PPPK: tuple[str, ...] = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip

_PNS = {code: i for i, code in enumerate(RANKS_PNS, start=1)}
_PPPK = {code: i for i, code in enumerate(RANKS_PPPK, start=1)}


def scale_of(code: str) -> Scale | None:
    """``"pns"`` or ``"pppk"`` for a known rank code, ``None`` otherwise."""
    if code in _PNS:
        return "pns"
    if code in _PPPK:
        return "pppk"
    return None


def ordinal(code: str) -> int:
    """Position of ``code`` within its scale, from 1; ``ValueError`` for an unknown code."""
    if code in _PNS:
        return _PNS[code]
    if code in _PPPK:
        return _PPPK[code]
    raise ValueError(f"unknown rank code: {code!r}")


def code_at(scale: Scale, ordinal: int) -> str:
    """The rank code at ``ordinal`` (from 1) of ``scale``: the inverse of ``ordinal``."""
    codes = RANKS_PNS if scale == "pns" else RANKS_PPPK
    if not 1 <= ordinal <= len(codes):
        raise ValueError(f"no {scale} rank at ordinal {ordinal}")
    return codes[ordinal - 1]


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as rank ``a`` is below, equal to or above ``b``.

    Raises ``ValueError`` for an unknown code or for ranks of different scales.
    """
    scale_a, scale_b = scale_of(a), scale_of(b)
    if scale_a is None or scale_b is None:
        raise ValueError(f"unknown rank code: {a if scale_a is None else b!r}")
    if scale_a != scale_b:
        raise ValueError(f"ranks {a!r} and {b!r} belong to different scales")
    oa, ob = ordinal(a), ordinal(b)
    return (oa > ob) - (oa < ob)


def in_range(code: str, min_rank: str | None, max_rank: str | None) -> bool:
    """Whether ``code`` lies within ``[min_rank, max_rank]`` (a missing bound is open).

    A bound of another scale than ``code`` means it does not fit.
    """
    scale = scale_of(code)
    if scale is None:
        raise ValueError(f"unknown rank code: {code!r}")
    for bound, ok in ((min_rank, (0, 1)), (max_rank, (-1, 0))):
        if bound is None:
            continue
        if scale_of(bound) != scale:
            return False
        if compare(code, bound) not in ok:
            return False
    return True
