"""``GET /rotations/eligibility``: who may rotate now, with every reason, and who is due."""
