"""Alembic environment: async engine on asyncpg, metadata of every domain's models."""

import asyncio
import os
import warnings
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from asn_career.core.db import Base, async_url
from asn_career.models import load_all_models

# The trigram index is an expression with an operator class, which autogenerate cannot
# compare; it is created by hand in the profiles migration, and alembic check skips it.
warnings.filterwarnings("ignore", message=".*detected to include an operator clause.*")

load_all_models()
config = context.config
target_metadata = Base.metadata

# Tables owned by libraries, created by our migrations from their own SQL.
FOREIGN_TABLE_PREFIXES = ("procrastinate_",)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    return not (type_ == "table" and name and name.startswith(FOREIGN_TABLE_PREFIXES))


def database_url() -> str:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("ASN_CAREER_DATABASE_URL")
    if not url:
        raise RuntimeError("set ASN_CAREER_DATABASE_URL or sqlalchemy.url")
    return async_url(url).render_as_string(hide_password=False)


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        compare_type=True,
        compare_server_default=False,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_async_engine(database_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
