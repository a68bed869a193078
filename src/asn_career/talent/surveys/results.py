"""A closed survey's results, built once at closing and frozen. Pure: no I/O.

Per Likert question: the mean and, overall only, how many gave each point of the scale;
per published breakdown group (``anonymity.publishable``): its respondents and its means.
The satisfaction index is the mean of every Likert answer on 0–100. Free-text answers are
never shown per group: overall only, when at least the minimum of respondents wrote one,
sorted (so their order says nothing about who answered when).
"""

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from asn_career.feedback.rules import SCALE_MAX, SCALE_MIN
from asn_career.talent.surveys.anonymity import publishable
from asn_career.talent.surveys.rules import BREAKDOWNS, QuestionSet, satisfaction_index


def _means(scores: NDArray[np.int64], mask: NDArray[np.bool_]) -> tuple[list[float], float]:
    chosen = scores[mask]
    means = [round(float(v), 3) for v in chosen.mean(axis=0)]
    return means, satisfaction_index(float(chosen.mean()))


def build_results(
    qs: QuestionSet,
    scores: NDArray[np.int64],
    labels: Mapping[str, Sequence[str]],
    label_names: Mapping[str, Mapping[str, str]],
    comments: Sequence[str],
    minimum: int,
) -> dict[str, Any]:
    """``scores``: respondents × Likert questions (``qs.likert`` order); ``labels``: per
    breakdown, each respondent's group key; ``label_names``: per breakdown, key → name."""
    n = int(scores.shape[0])
    codes = qs.likert_codes
    body: dict[str, Any] = {
        "respondents": n,
        "min_group_size": minimum,
        "published": n >= minimum,
        "overall": None,
        "breakdowns": [],
        "comments": [],
        "comments_withheld": 0,
    }
    if n < minimum:
        body["breakdowns"] = [{"name": b, "dropped": True, "groups": []} for b in BREAKDOWNS]
        body["comments_withheld"] = len(comments)
        return body
    everyone = np.ones(n, dtype=bool)
    means, index = _means(scores, everyone)
    body["overall"] = {
        "respondents": n,
        "satisfaction_index": index,
        "questions": [
            {
                "code": code,
                "mean": means[q],
                "distribution": [
                    int((scores[:, q] == point).sum()) for point in range(SCALE_MIN, SCALE_MAX + 1)
                ],
            }
            for q, code in enumerate(codes)
        ],
    }
    breakdowns, _ = publishable({b: labels[b] for b in BREAKDOWNS}, minimum)
    for b in breakdowns:
        groups = []
        for key, mask in sorted(b.groups.items(), key=lambda kv: (kv[0] == "other", kv[0])):
            g_means, g_index = _means(scores, mask)
            groups.append(
                {
                    "key": key,
                    "name": label_names.get(b.name, {}).get(key, key),
                    "respondents": int(mask.sum()),
                    "satisfaction_index": g_index,
                    "means": dict(zip(codes, g_means, strict=True)),
                }
            )
        body["breakdowns"].append({"name": b.name, "dropped": b.dropped, "groups": groups})
    written = sorted(c for c in comments if c)
    if len(written) >= minimum:
        body["comments"] = written
    else:
        body["comments_withheld"] = len(written)
    return body
