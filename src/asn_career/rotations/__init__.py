"""Placement and rotation: atomic moves, the agency's rotation policy, eligibility with
every reason, fit scores broken into named parts, rotation rounds solved exactly and
compared with a greedy baseline, and the history of moves."""
