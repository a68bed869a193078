"""Training plans under a budget: proposed by the solver as a job, approved by HR in whole
or in part into planned enrolments."""
