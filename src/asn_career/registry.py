"""The work the worker runs: every job kind with its handler, every outbox consumer.

A domain adds its background work here, one line each: a job kind (the name
``JobService.submit`` is given) → its handler, written in the domain's ``jobs.py``; an outbox
consumer → its dispatcher; a periodic task → its schedule and function. The app
(``main.create_app``) and ``asn-career worker`` hand these to ``JobQueue``; nothing is
registered by importing a module. Webhook event types and
API-key scopes are names that core checks itself, so they are listed lower, in
``asn_career.core.registry``. ``tests/test_registries.py`` fails when a job is submitted
under an unlisted kind, or a handler, consumer or periodic task is written but not listed
here.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from asn_career.core.jobs.runner import JobHandler, PeriodicTask
from asn_career.core.outbox import OutboxDispatcher
from asn_career.feedback.cycles import jobs as feedback_cycles
from asn_career.feedback.cycles.service import GENERATE_JOB_KIND as FEEDBACK_GENERATE_RATERS
from asn_career.feedback.reports import jobs as feedback_reports
from asn_career.feedback.reports.service import PUBLISH_JOB_KIND as FEEDBACK_PUBLISH
from asn_career.imports.files import jobs as file_imports
from asn_career.imports.files.service import JOB_KIND as FILE_IMPORT
from asn_career.imports.siasn import jobs as siasn
from asn_career.imports.siasn.service import SYNC_JOB_KIND as SIASN_SYNC
from asn_career.imports.webhooks import delivery as webhook_delivery
from asn_career.mentoring.matchings import jobs as mentoring_matchings
from asn_career.mentoring.matchings.service import JOB_KIND as MENTORING_MATCH
from asn_career.profiles.histories import jobs as histories
from asn_career.rotations.rounds import jobs as rotation_rounds
from asn_career.rotations.rounds.service import JOB_KIND as ROTATION_ROUND
from asn_career.training.plans import jobs as training_plans
from asn_career.training.plans.service import JOB_KIND as TRAINING_PLAN

JOB_KINDS: Final[Mapping[str, JobHandler]] = MappingProxyType(
    {
        FILE_IMPORT: file_imports.run_import_job,  # "imports.run": one recorded file import
        SIASN_SYNC: siasn.sync_agency_job,  # "siasn.sync": an agency's employees from SIASN
        # "feedback.generate_raters": rater proposals for a cycle of many subjects
        FEEDBACK_GENERATE_RATERS: feedback_cycles.generate_raters_job,
        FEEDBACK_PUBLISH: feedback_reports.publish_cycle_job,  # "feedback.publish": a cycle
        TRAINING_PLAN: training_plans.solve_plan_job,  # "training.plan": one plan solved
        ROTATION_ROUND: rotation_rounds.solve_round_job,  # "rotations.round": a large round
        MENTORING_MATCH: mentoring_matchings.solve_matching_job,  # "mentoring.match": a big run
    }
)
"""Job kind → handler; a queue submits and runs only these."""

OUTBOX_CONSUMERS: Final[Mapping[str, OutboxDispatcher]] = MappingProxyType(
    {
        "webhooks": webhook_delivery.dispatch,  # fan events out to subscriptions, deliver
    }
)
"""Consumer name → dispatcher, run every minute by the worker's ``asn.dispatch_outbox``."""

PERIODIC_TASKS: Final[Mapping[str, PeriodicTask]] = MappingProxyType(
    {
        # Hourly, so a day missed while the worker was down is caught up on its own.
        "profiles.switch_current_positions": PeriodicTask(
            "7 * * * *", histories.switch_current_positions
        ),
    }
)
"""Periodic maintenance of the domains: name → schedule (cron, UTC) and what it runs."""
