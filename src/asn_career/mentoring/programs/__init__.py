"""Mentoring programmes: period, weights, rules, default capacity, objective."""
