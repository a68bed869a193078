"""Matches as relationships: answers, sessions, feedback, levels before and after."""
