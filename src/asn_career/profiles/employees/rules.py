"""Pure rules of the employee profile: rank ranges for the search, the JP entitlement."""

from asn_career.org import ranks

TRAINING_ENTITLEMENT_JP = 20
"""Hours of lessons (JP) of competency development each ASN is entitled to per year."""


def rank_codes_between(rank_min: str | None, rank_max: str | None) -> list[str] | None:
    """The codes from ``rank_min`` to ``rank_max`` (inclusive) within one scale.

    ``None`` when neither bound is given. A single bound runs to the end of its scale.
    ``ValueError`` for an unknown code, bounds of different scales, or min above max.
    """
    if rank_min is None and rank_max is None:
        return None
    scales = {code: ranks.scale_of(code) for code in (rank_min, rank_max) if code is not None}
    for code, scale in scales.items():
        if scale is None:
            raise ValueError(f"unknown rank {code!r}")
    if len(set(scales.values())) > 1:
        raise ValueError(f"rank_min {rank_min} and rank_max {rank_max} are of different scales")
    scale = next(iter(scales.values()))
    codes = ranks.RANKS_PNS if scale == "pns" else ranks.RANKS_PPPK
    low = ranks.ordinal(rank_min) if rank_min is not None else 1
    high = ranks.ordinal(rank_max) if rank_max is not None else len(codes)
    if low > high:
        raise ValueError(f"rank_min {rank_min} is above rank_max {rank_max}")
    return list(codes[low - 1 : high])
