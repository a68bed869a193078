"""Cycles, their subjects and rater requests: states, proposals of raters, nominations."""
