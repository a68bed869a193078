"""Imports every domain's models so Alembic sees the whole schema."""


def load_all_models() -> None:
    from asn_career.core import idempotency_models as _idempotency  # noqa: F401
    from asn_career.core import outbox as _outbox  # noqa: F401
    from asn_career.core.apikeys import models as _apikeys  # noqa: F401
    from asn_career.core.audit import models as _audit  # noqa: F401
    from asn_career.core.jobs import models as _jobs  # noqa: F401
    from asn_career.core.ratelimit import models as _ratelimit  # noqa: F401
    from asn_career.feedback import models as _feedback  # noqa: F401
    from asn_career.imports.files import models as _imports  # noqa: F401
    from asn_career.imports.webhooks import models as _webhooks  # noqa: F401
    from asn_career.mentoring import models as _mentoring  # noqa: F401
    from asn_career.org import models as _org  # noqa: F401
    from asn_career.profiles import models as _profiles  # noqa: F401
    from asn_career.rotations import models as _rotations  # noqa: F401
    from asn_career.talent import models as _talent  # noqa: F401
    from asn_career.talent.surveys import models as _talent_surveys  # noqa: F401
    from asn_career.training import models as _training  # noqa: F401
    from asn_career.training.development_plans import models as _training_idp  # noqa: F401
