"""The evaluation's pure rules: trend, shares, the equity ratio, merit verdicts and their
thresholds as printed."""

from asn_career.talent.evaluation import rules


def test_trend_respects_each_units_tolerance() -> None:
    assert rules.trend(0.80, 0.70, "share") == "up"
    assert rules.trend(0.700, 0.702, "share") == "flat"
    assert rules.trend(50.0, 51.0, "index") == "down"
    assert rules.trend(50.0, 50.3, "index") == "flat"
    assert rules.trend(None, 0.5, "share") == "no_data"
    assert rules.trend(0.5, None, "share") == "no_data"


def test_share_and_equity_have_no_data_rather_than_zero() -> None:
    assert rules.share(3, 0) is None
    assert rules.share(0, 4) == 0.0
    assert rules.equity_ratio([12.0]) is None
    assert rules.equity_ratio([0.0, 0.0]) == 1.0
    assert rules.equity_ratio([10.0, 20.0, 15.0]) == 0.5


def test_verdicts_follow_the_better_direction() -> None:
    jp20 = next(i for i in rules.INDICATORS if i.code == "jp20")
    assert rules.verdict(jp20, 0.85) == "supports"
    assert rules.verdict(jp20, 0.6) == "inconclusive"
    assert rules.verdict(jp20, 0.4) == "contradicts"
    assert rules.verdict(jp20, None) == "no_data"
    tenure = next(i for i in rules.INDICATORS if i.code == "tenure")  # lower is better
    assert rules.verdict(tenure, 0.05) == "supports"
    assert rules.verdict(tenure, 0.3) == "contradicts"
    assert rules.threshold_text(jp20)[1] == "mendukung bila ≥ 80%, bertentangan bila ≤ 50%"
    gap = next(i for i in rules.INDICATORS if i.code == "competency_gap")
    assert rules.threshold_text(gap)[0] == "supports at ≤ 1, contradicts at ≥ 2"


def test_every_indicator_reads_a_figure_of_a_known_aspect() -> None:
    aspects = {code for code, _, _ in rules.ASPECTS}
    assert len(aspects) == 8
    for indicator in rules.INDICATORS:
        assert indicator.aspect in aspects and indicator.figure in rules.BY_CODE
    assert len(set(rules.FIGURE_CODES)) == len(rules.FIGURES)
