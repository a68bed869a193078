"""Training catalogue: degree study as a training form of the profile's history (a course
of that form writes it on completion), and a course's choice to mark its competencies for
reassessment when an enrolment completes.

Revision ID: 20261202_training_catalogue
Revises: 20261201_training
Create Date: 2026-11-24 16:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_training_catalogue"
down_revision: str | None = "20261201_training"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = (
    "form IN ('training', 'seminar', 'workshop', 'technical_guidance', 'coaching', "
    "'mentoring', 'e_learning', 'internship', 'secondment', 'benchmarking', 'self_study')"
)
_NEW = (
    "form IN ('training', 'seminar', 'workshop', 'technical_guidance', 'coaching', "
    "'mentoring', 'e_learning', 'internship', 'secondment', 'benchmarking', 'self_study', "
    "'degree_study')"
)


def upgrade() -> None:
    op.drop_constraint(op.f("ck_trainings_form_known"), "trainings", type_="check")
    op.create_check_constraint(op.f("ck_trainings_form_known"), "trainings", _NEW)
    op.add_column(
        "training_courses",
        sa.Column(
            "reassess_on_completion", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_column("training_courses", "reassess_on_completion")
    op.execute("DELETE FROM trainings WHERE form = 'degree_study'")
    op.drop_constraint(op.f("ck_trainings_form_known"), "trainings", type_="check")
    op.create_check_constraint(op.f("ck_trainings_form_known"), "trainings", _OLD)
