"""A programme's figures: coverage, load, sessions, satisfaction, growth; exports."""
