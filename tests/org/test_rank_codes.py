"""``ranks.code_at`` is the inverse of ``ranks.ordinal`` on both scales."""

import pytest

from asn_career.org import ranks
from asn_career.org.ranks import Scale


@pytest.mark.parametrize("scale", ["pns", "pppk"])
def test_code_at_inverts_ordinal(scale: Scale) -> None:
    codes = ranks.RANKS_PNS if scale == "pns" else ranks.RANKS_PPPK
    for number in range(1, len(codes) + 1):
        code = ranks.code_at(scale, number)
        assert (ranks.scale_of(code), ranks.ordinal(code)) == (scale, number)
    for outside in (0, len(codes) + 1):
        with pytest.raises(ValueError, match=r"no .* rank at ordinal"):
            ranks.code_at(scale, outside)
