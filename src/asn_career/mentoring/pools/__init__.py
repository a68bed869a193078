"""The pools of a programme: mentors (opt-in or added by HR) and mentees."""
