"""Mentoring: programmes of an agency, their pools of mentors and mentees, matchings solved
over the whole pool and published by HR, and the relationships that follow (sessions,
feedback, competency levels before and after)."""
