"""The webhook event types and API-key scopes: every one a domain uses, listed here.

A domain that emits a new event or protects a route with a new scope adds one line here,
with a sentence for the integrators who will see it. These names live in ``core`` (as data,
importing nothing) because core checks them itself: ``outbox.emit`` refuses an unlisted
event type, ``auth.authorize`` an unlisted scope as the router is defined, and an API key
can be granted only listed scopes — without building the app. Job kinds and outbox
consumers bind names to the domains' code, so they are listed one layer up, in
``asn_career.registry``. ``tests/test_registries.py`` fails when code emits an event or
asks for a scope that is not here, or when an entry here is used nowhere.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

EVENT_TYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # profiles
        "employee.created": "An employee profile was created (API or import).",
        "employee.updated": "An employee's profile changed; `changes` holds before/after.",
        "assignment.changed": "An assignment was created, updated or deleted (`action`).",
        # feedback
        "feedback.cycle.opened": "A 360° cycle opened: its raters may answer until the deadline.",
        "feedback.cycle.closed": "A 360° cycle closed: no more answers nor raters.",
        "feedback.request.created": "A rater was asked about a subject in a 360° cycle "
        "(`origin`: generated, hr or nomination).",
        "feedback.reminders.due": "Raters of a 360° cycle were reminded: per rater NIP, the "
        "number of open requests (no subjects, no answers).",
        "feedback.cycle.published": "A 360° cycle was published: its reports are frozen and "
        "readable; counts of reports and competency assessments written, no scores.",
        "feedback.report.published": "A subject's 360° report can be read (one per subject "
        "of a published cycle): cycle, employee id and NIP, never a score.",
        # training
        "training.request.created": "An employee asked for training (a catalogue course or a "
        "free topic, the competency and why).",
        "training.request.endorsed": "A supervisor or HR endorsed a training request: it "
        "raises the priority of the need it names.",
        "training.request.rejected": "A supervisor or HR rejected a training request, with "
        "a reason.",
        "training.plan.proposed": "A training plan was solved and proposed: agency, year, "
        "budget, objective, proven bound, greedy baseline and the number of items.",
        "training.plan.approved": "HR approved a training plan, in whole or in part: the "
        "number of items approved, each now a planned enrolment.",
        "training.course.created": "A course was added to an agency's training catalogue.",
        "training.course.updated": "A course of the training catalogue changed.",
        "training.course.deleted": "A course nothing used yet was removed from the catalogue.",
        "training.enrolment.planned": "An employee was put down for a course (planned).",
        "training.enrolment.enrolled": "A planned enrolment was confirmed (enrolled).",
        "training.enrolment.completed": "An employee completed a course: it joined their "
        "training history with its JP.",
        "training.enrolment.cancelled": "A planned or enrolled enrolment was cancelled.",
        "training.enrolment.no_show": "An enrolled employee did not attend the course.",
        # training: development plans
        "training.development_plan.created": "An individual development plan (IDP) was "
        "started for an employee and year, by hand or drafted from needs, 360° and interests.",
        "training.development_plan.updated": "A draft development plan changed (goals, needs, "
        "activities), or HR reopened an approved one as a new revision.",
        "training.development_plan.approved": "The supervisor (or HR) approved a development "
        "plan: it is fixed and printable.",
        # rotations
        "rotation.policy.updated": "An agency's rotation policy (months in a position, "
        "retirement buffer, grade range, fit weights) changed.",
        "rotation.relative.recorded": "A close relationship between two employees was "
        "recorded (a conflict of interest for placements).",
        "rotation.relative.deleted": "A recorded close relationship was removed.",
        "rotation.round.proposed": "A rotation round was solved: the optimal proposal, its "
        "total fit and the greedy baseline's.",
        "rotation.round.approved": "HR approved a rotation round's proposal.",
        "rotation.round.rejected": "HR rejected a rotation round's proposal.",
        "rotation.round.enacted": "A rotation round was enacted: its moves were made on the "
        "effective date (each also emits assignment.changed).",
        # mentoring
        "mentoring.program.created": "A mentoring programme was set up: period, weights and rules.",
        "mentoring.program.updated": "A mentoring programme's period, weights or rules changed.",
        "mentoring.mentor.added": "A mentor joined a programme (opted in, or added by HR).",
        "mentoring.mentor.updated": "A mentor's capacity, strengths or availability changed.",
        "mentoring.mentee.enrolled": "A mentee enrolled in a programme with goals and focus "
        "competencies.",
        "mentoring.mentee.updated": "A mentee's goals or focus competencies changed.",
        "mentoring.matching.proposed": "A matching run was solved: matches, total score, "
        "greedy baseline, unmatched mentees (for HR's review).",
        "mentoring.matching.published": "HR published a matching run: its matches are now "
        "proposed to the mentors and mentees.",
        "mentoring.match.accepted": "A mentor or mentee accepted a proposed match.",
        "mentoring.match.declined": "A mentor or mentee declined a proposed match; the pair "
        "is never proposed again in the programme.",
        "mentoring.match.activated": "Both sides accepted: the mentoring relationship began.",
        "mentoring.match.completed": "A mentoring relationship was completed.",
        "mentoring.match.ended": "A mentoring relationship ended early.",
        # talent: surveys
        "survey.created": "A career-management survey was set up (draft).",
        "survey.opened": "A survey opened: employees may answer it.",
        "survey.closed": "A survey closed: its anonymous results are frozen and readable.",
        # talent
        "talent.policy.updated": "An agency's talent policy changed: performance source, "
        "potential cut points and weights, calibrated competency sources.",
    }
)
"""Outbox event type → what it announces; webhook subscriptions may name only these."""

API_KEY_SCOPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # core
        "api-keys:admin": "Manage API keys.",
        "audit:read": "Read the audit log.",
        "jobs:read": "Read background jobs and their progress.",
        # org
        "org:read": "Read agencies, units, positions, competencies and reference data.",
        "org:write": "Change agencies, units, positions and competencies.",
        # profiles
        "employees:read": "Read employee profiles and their histories.",
        "employees:write": "Change employee profiles and their histories.",
        # imports
        "imports:read": "Read file imports and their results.",
        "imports:write": "Start file imports.",
        "exports:read": "Export data as CSV or XLSX.",
        "webhooks:admin": "Manage webhook subscriptions and read their deliveries.",
        # feedback
        "feedback:read": "Read 360° questionnaires, cycles, progress and published reports.",
        "feedback:write": "Run 360° cycles: questionnaires, subjects, raters and publishing.",
        # training
        "training:read": "Read training needs, courses, requests, plans and enrolments.",
        "training:write": "Change courses, requests, plans and enrolments.",
        # rotations
        "rotations:read": "Read rotation policies, eligibility, fit, rounds and history.",
        "rotations:write": "Move employees, change rotation policies and relatives, run, "
        "approve and enact rotation rounds.",
        # mentoring
        "mentoring:read": "Read mentoring programmes, pools, matchings, matches and summaries.",
        "mentoring:write": "Run mentoring programmes: pools, matchings, publishing, matches.",
        # talent: surveys and career evaluation
        "surveys:read": "Read surveys and the anonymous results of closed ones.",
        "surveys:write": "Set up, open and close career-management surveys.",
        "surveys:respond": "Answer a survey as the employee the credentials belong to.",
        "evaluation:read": "Read career-system evaluations of agencies, alone or side by side.",
        # talent
        "talent:read": "Read the talent policy, 9-box, succession pool and professionalism index.",
        "talent:write": "Change the agency's talent policy.",
    }
)
"""API-key scope → what it allows; ``authorize(scope=…)`` and API keys take only these."""
