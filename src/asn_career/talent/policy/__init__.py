"""``GET|PUT /talent/policy``: an agency's talent policy (9-box inputs and cut points)."""
