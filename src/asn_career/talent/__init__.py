"""Talent management and career-system evaluation."""
