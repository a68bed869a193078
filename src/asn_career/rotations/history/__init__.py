"""``GET /rotations/history``: the moves of an agency and its rotation figures."""
