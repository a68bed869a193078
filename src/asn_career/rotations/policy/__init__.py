"""``GET|PUT /rotations/policy``: an agency's rotation policy and fit weights."""
