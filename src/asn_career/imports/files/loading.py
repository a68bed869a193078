"""Set-based loading of validated rows (the import's repository layer).

Validated rows are COPYed into a TEMP staging table on the import's own connection; then
per kind, all in SQL and all in the import's single transaction:

1. ``imp_res``: the staging rows with natural keys resolved to ids (NIP → employee of the
   agency, ``unit_code`` → unit, ``position_code`` → position, competency codes → ids);
2. checks that need the database (unknown keys, duplicates within the file, ``mode=insert``
   conflicts, tree/reporting cycles, overlapping primary assignments, a position's single
   holder …) write their findings into ``imp_err`` and the rows into ``imp_bad``;
3. ``imp_plan``: the good rows joined to the existing rows by natural key, with the old
   values and a ``changed`` flag (only columns present in the file are compared);
4. the audit rows (one per created or updated entity, NIK masked) with ``INSERT … SELECT``;
5. ONE upsert per kind: ``INSERT … SELECT … ON CONFLICT … DO UPDATE … WHERE (…) IS DISTINCT
   FROM (…)`` where the table has a unique natural key, else one statement that updates the
   changed rows and inserts the new ones;
6. what depends on it: unit paths, position requirements, ``employees.position_id`` for
   open primary assignments, current competency levels.

Counts come from ``imp_plan``; nothing is fetched row by row, except the good primary
assignments, which one ordered pass checks as the API would, one request after another.
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import literal_column, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.outbox import EVENT_TYPES, FORBIDDEN_KEYS
from asn_career.imports.files.kinds import Kind
from asn_career.org.repository import current_assignment
from asn_career.org.rules import today_in_indonesia
from asn_career.profiles.histories.rules import MIN_SCHOOL_AGE, best_assessment_order_sql

BAD = "NOT EXISTS (SELECT 1 FROM imp_bad b WHERE b.row_no = {r}.row_no)"


def good(alias: str = "r") -> str:
    return BAD.format(r=alias)


_CURRENT_ASSIGNMENT = str(
    current_assignment(
        literal_column("a.is_primary"),
        literal_column("a.start_date"),
        literal_column("a.end_date"),
        literal_column("$1::date"),
    ).compile(dialect=postgresql.dialect())  # type: ignore[no-untyped-call]
)
"""``org.rules.assignment_is_current`` over the alias ``a``, today as ``$1``: the SQL the
histories repository runs, rendered for this module's asyncpg statements."""


@dataclass(frozen=True)
class Key:
    column: str  # in the target table
    expr: str  # over the resolved row, ``{p}`` being its alias
    nullable: bool = False


@dataclass(frozen=True)
class Target:
    table: str
    entity: str  # audit entity type; actions are ``{entity}.created|updated``
    key: tuple[Key, ...]
    values: tuple[str, ...]  # written columns, same name in imp_res and the table
    conflict: str | None = None  # unique natural key → ON CONFLICT upsert
    virtual: tuple[tuple[str, str], ...] = ()  # (name, SQL over t): compared, not written
    insert_extra: tuple[tuple[str, str], ...] = ()  # (column, SQL over p) on insert only
    audit_created: tuple[tuple[str, str], ...] = ()  # extra (name, SQL over p) when created
    label: str = "p.row_no::text"  # the natural key as shown in duplicate errors
    label_field: str = "nip"
    masked: frozenset[str] = frozenset({"nik"})
    audit_names: dict[str, str] = field(default_factory=dict)  # column → name in the audit
    event: str | None = None  # outbox events: "employee" or "assignment" (as the services)


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def _cmp(key: Key, left: str, right: str) -> str:
    op = "IS NOT DISTINCT FROM" if key.nullable else "="
    return f"{left} {op} {right}"


class Loader:
    """One kind's load inside the import's transaction (see the module docstring)."""

    def __init__(
        self,
        session: AsyncSession,
        kind: Kind,
        agency: str,
        provided: frozenset[str],
        *,
        insert_only: bool,
        siasn: bool,
    ) -> None:
        self.session = session
        self.kind = kind
        self.agency = agency
        self.provided = provided
        self.insert_only = insert_only
        self.siasn = siasn
        self.spec = SPECS[kind.name]
        self._conn: Any = None

    async def conn(self) -> Any:
        """The asyncpg connection under the session (COPY and plain SQL)."""
        if self._conn is None:
            connection = await self.session.connection()
            raw = await connection.get_raw_connection()
            self._conn = raw.driver_connection
        assert self._conn is not None
        return self._conn

    # --- staging --------------------------------------------------------------------------

    async def begin(self) -> None:
        """No statement timeout for the import's own statements; one import per agency at
        a time; the staging tables, dropped at commit or rollback."""
        # Through the session first, so that its transaction has begun (the driver
        # starts it lazily) and the raw statements below run inside it.
        await self.session.execute(text("SET LOCAL statement_timeout = 0"))
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('asn-career:imports'), hashtext(:a))"),
            {"a": self.agency},
        )
        conn = await self.conn()
        columns = ", ".join(f"{name} {kind}" for name, kind in self.kind.staging)
        await conn.execute(
            f"CREATE TEMP TABLE imp_stage (row_no integer, id uuid, {columns}) ON COMMIT DROP"
        )
        await conn.execute(
            "CREATE TEMP TABLE imp_err (row_no integer, field text, value text, message text, "
            "message_id text) ON COMMIT DROP"
        )
        await conn.execute("CREATE TEMP TABLE imp_bad (row_no integer PRIMARY KEY) ON COMMIT DROP")

    async def copy(self, records: Sequence[tuple[Any, ...]]) -> None:
        if not records:
            return
        conn = await self.conn()
        names = ["row_no", "id", *(name for name, _ in self.kind.staging)]
        await conn.copy_records_to_table("imp_stage", records=records, columns=names)

    # --- checks ---------------------------------------------------------------------------

    async def check(self) -> int:
        """Resolve keys and run the database checks; returns how many rows failed them."""
        conn = await self.conn()
        await conn.execute("ANALYZE imp_stage")
        await self.spec.resolve(self)
        await conn.execute("ANALYZE imp_res")
        for statement in self.spec.checks(self):
            await self.flag(statement)
        await self._generic_checks()
        await self._cascade()
        for statement in self.spec.late_checks(self):
            await self.flag(statement)
        await self.spec.final_checks(self)
        await self._cascade()
        return int(await conn.fetchval("SELECT count(*) FROM imp_bad"))

    async def _cascade(self) -> None:
        for statement in self.spec.cascades(self):
            while await self.flag(statement):
                pass

    async def flag(self, statement: str) -> int:
        """Run one check (an ``INSERT INTO imp_err … SELECT``) and mark its rows bad."""
        conn = await self.conn()
        status = await conn.execute(statement, *self.spec.params(self, statement))
        found = int(status.rsplit(" ", 1)[-1])
        if found:
            await conn.execute(
                "INSERT INTO imp_bad SELECT DISTINCT row_no FROM imp_err WHERE row_no IS NOT NULL "
                "ON CONFLICT DO NOTHING"
            )
        return found

    async def _generic_checks(self) -> None:
        target = self.spec.target
        keys = ", ".join(k.expr.format(p="r") for k in target.key)
        label = target.label.replace("p.", "r.")
        await self.flag(
            f"""
            INSERT INTO imp_err
            SELECT row_no, '{target.label_field}', label,
                   'the same record (' || label || ') is also on row ' || first_row,
                   'data yang sama (' || label || ') juga ada di baris ' || first_row
            FROM (
                SELECT r.row_no, {label} AS label,
                       first_value(r.row_no) OVER (PARTITION BY {keys} ORDER BY r.row_no)
                           AS first_row
                FROM imp_res r WHERE {good()}
            ) d
            WHERE row_no <> first_row
            """  # noqa: S608 - built from constant specs
        )
        if self.insert_only:
            join = " AND ".join(_cmp(k, f"t.{k.column}", k.expr.format(p="r")) for k in target.key)
            await self.flag(
                f"""
                INSERT INTO imp_err
                SELECT r.row_no, '{target.label_field}', {label},
                       'already exists ({target.entity}); mode=insert only adds new records',
                       'sudah ada ({target.entity}); mode=insert hanya menambah data baru'
                FROM imp_res r JOIN {target.table} t ON {join}
                WHERE {good()}
                """  # noqa: S608
            )

    async def errors(
        self,
    ) -> AsyncIterator[tuple[int | None, str | None, str | None, str, str | None]]:
        """The checks' findings: row, field, value, message in English and in Indonesian."""
        conn = await self.conn()
        async with conn.transaction():  # a cursor needs a (sub)transaction
            async for row in conn.cursor(
                "SELECT row_no, field, value, message, message_id FROM imp_err "
                "ORDER BY row_no NULLS FIRST"
            ):
                yield row["row_no"], row["field"], row["value"], row["message"], row["message_id"]

    # --- apply ----------------------------------------------------------------------------

    def _compared(self) -> tuple[list[str], list[tuple[str, str]]]:
        target = self.spec.target
        wanted = self.spec.provided_columns(self)
        return (
            [c for c in target.values if c in wanted],
            [(n, e) for n, e in target.virtual if n in wanted],
        )

    async def apply(self, actor: dict[str, Any]) -> Counts:
        conn = await self.conn()
        target = self.spec.target
        values, virtual = self._compared()
        join = " AND ".join(_cmp(k, f"t.{k.column}", k.expr.format(p="r")) for k in target.key)
        olds = [f"t.{c} AS old_{c}" for c in values] + [f"({e}) AS old_{n}" for n, e in virtual]
        names = [*values, *(n for n, _ in virtual)]
        changed = (
            f"ROW({', '.join(f'q.old_{n}' for n in names)}) IS DISTINCT FROM "
            f"ROW({', '.join(f'q.{n}' for n in names)})"
            if names
            else "false"
        )
        await conn.execute(
            f"""
            CREATE TEMP TABLE imp_plan ON COMMIT DROP AS
            SELECT q.*, (q.existing_id IS NOT NULL AND {changed}) AS changed
            FROM (
                SELECT r.*, t.id AS existing_id{"".join(", " + o for o in olds)}
                FROM imp_res r LEFT JOIN {target.table} t ON {join}
                WHERE {good()}
            ) q
            """,  # noqa: S608
            *self.spec.params(self, join),
        )
        counts = await conn.fetchrow(
            "SELECT count(*) FILTER (WHERE existing_id IS NULL) AS inserted, "
            "count(*) FILTER (WHERE changed) AS updated, "
            "count(*) FILTER (WHERE existing_id IS NOT NULL AND NOT changed) AS unchanged "
            "FROM imp_plan"
        )
        await self._lock_existing()
        await self._audit(actor, values, virtual)
        await self._write(values)
        await self.spec.after(self, actor)
        assert counts is not None
        return Counts(counts["inserted"], counts["updated"], counts["unchanged"])

    async def _lock_existing(self) -> None:
        conn = await self.conn()
        table = self.spec.target.table
        await conn.execute(
            f"SELECT 1 FROM {table} t JOIN imp_plan p ON t.id = p.existing_id "  # noqa: S608
            "WHERE p.changed FOR UPDATE OF t"
        )

    def _shown(self, name: str, expr: str) -> str:
        if name in self.spec.target.masked:
            return f"CASE WHEN {expr} IS NULL THEN NULL ELSE '\"[masked]\"'::jsonb END"
        return f"to_jsonb({expr})"

    def _changes(self, verb: str, values: list[str], virtual: list[tuple[str, str]]) -> str:
        """SQL of the ``changes`` of one plan row ``p``: ``{field: {before, after}}`` as the
        audit trail writes it, NIK masked; ``''`` when an update compares no column."""
        target = self.spec.target
        audit_name = target.audit_names.get
        if verb == "created":
            created = [
                *target.audit_created,
                *((audit_name(c, c), f"p.{c}") for c in target.values),
                *((audit_name(n, n), f"p.{n}") for n, _ in target.virtual),
            ]
            rows = ", ".join(
                f"('{name}', to_jsonb({expr}), {self._shown(name, expr)})" for name, expr in created
            )
            return (
                "(SELECT coalesce(jsonb_object_agg(f.k, jsonb_build_object("  # noqa: S608
                "'before', NULL, 'after', f.shown)), '{}'::jsonb) "
                f"FROM (VALUES {rows}) AS f(k, raw, shown) "
                "WHERE f.raw IS NOT NULL AND f.raw <> 'null'::jsonb)"
            )
        updated = [(audit_name(c, c), c) for c in values]
        updated += [(audit_name(n, n), n) for n, _ in virtual]
        if not updated:
            return ""
        rows = ", ".join(
            f"('{name}', to_jsonb(p.old_{col}), to_jsonb(p.{col}), "
            f"{self._shown(name, f'p.old_{col}')}, {self._shown(name, f'p.{col}')})"
            for name, col in updated
        )
        return (
            "(SELECT coalesce(jsonb_object_agg(f.k, jsonb_build_object("  # noqa: S608
            "'before', f.old_shown, 'after', f.new_shown)), '{}'::jsonb) "
            f"FROM (VALUES {rows}) AS f(k, old, new, old_shown, new_shown) "
            "WHERE f.old IS DISTINCT FROM f.new)"
        )

    async def _audit(
        self, actor: dict[str, Any], values: list[str], virtual: list[tuple[str, str]]
    ) -> None:
        """One audit row per created or updated entity, and the outbox events the services
        would emit for them (the same ``changes`` without the NIK)."""
        conn = await self.conn()
        target = self.spec.target
        nip = dict(target.audit_created).get("nip", "NULL")  # the employee it concerns
        args = (
            self.agency,
            actor["actor"],
            actor["role"],
            actor["request_id"],
            actor["api_key_id"],
        )
        for verb, entity_id, where in (
            ("created", "p.id", "p.existing_id IS NULL"),
            ("updated", "p.existing_id", "p.changed"),
        ):
            changes = self._changes(verb, values, virtual)
            if not changes:
                continue
            await conn.execute(
                f"""
                INSERT INTO audit_log (actor, actor_role, action, entity_type, entity_id,
                                       agency_code, changes, request_id, api_key_id, nip)
                SELECT $2::text, $3::text, '{target.entity}.{verb}', '{target.entity}',
                       ({entity_id})::text, $1::text, {changes}, $4::text, $5::uuid, {nip}
                FROM imp_plan p WHERE {where}
                """,  # noqa: S608 - built from constant specs
                *args,
            )
            if target.event == "employee":
                event_type = f"employee.{verb}"
                payload = f"jsonb_build_object('employee_id', {entity_id}, 'nip', p.nip"
            elif target.event == "assignment":
                event_type = "assignment.changed"
                payload = (
                    f"jsonb_build_object('action', '{verb}', 'assignment_id', {entity_id}, "
                    "'employee_id', p.employee_id, 'nip', p.nip"
                )
            else:
                continue
            await emit_rows(
                self.session,
                event_type,
                f"SELECT CAST(:agency AS text) AS agency_code, "  # noqa: S608
                f"{payload}, 'changes', {changes} - 'nik') AS payload "
                f"FROM imp_plan p WHERE {where}",
                agency=self.agency,
            )

    async def _write(self, values: list[str]) -> None:
        conn = await self.conn()
        target = self.spec.target
        insert_cols = [
            "id",
            *(k.column for k in target.key),
            *target.values,
            *(c for c, _ in target.insert_extra),
        ]
        insert_exprs = [
            "p.id",
            *(k.expr.format(p="p") for k in target.key),
            *(f"p.{c}" for c in target.values),
            *(e for _, e in target.insert_extra),
        ]
        params = self.spec.params(self, " ".join(insert_exprs))
        if target.conflict:
            sets = [f"{c} = EXCLUDED.{c}" for c in values]
            distinct = (
                f"WHERE ROW({', '.join(f't.{c}' for c in values)}) IS DISTINCT FROM "
                f"ROW({', '.join(f'EXCLUDED.{c}' for c in values)})"
                if values
                else "WHERE false"
            )
            await conn.execute(
                f"""
                INSERT INTO {target.table} AS t ({", ".join(insert_cols)})
                SELECT {", ".join(insert_exprs)}
                FROM imp_plan p WHERE p.existing_id IS NULL OR p.changed
                ON CONFLICT {target.conflict} DO UPDATE
                SET {", ".join([*sets, "version = t.version + 1", "updated_at = now()"])}
                {distinct}
                """,  # noqa: S608
                *params,
            )
            return
        sets = [f"{c} = p.{c}" for c in values]
        await conn.execute(
            f"""
            WITH updated AS (
                UPDATE {target.table} t
                SET {", ".join([*sets, "version = t.version + 1", "updated_at = now()"])}
                FROM imp_plan p WHERE t.id = p.existing_id AND p.changed
                RETURNING t.id
            )
            INSERT INTO {target.table} ({", ".join(insert_cols)})
            SELECT {", ".join(insert_exprs)} FROM imp_plan p WHERE p.existing_id IS NULL
            """,  # noqa: S608
            *params,
        )


# --- kinds ------------------------------------------------------------------------------


async def emit_rows(session: AsyncSession, event_type: str, query: str, **params: Any) -> int:
    """Outbox events (``core.outbox``) from a textual query of ``(agency_code, payload)``
    rows over the staging tables, in one ``INSERT … SELECT`` with a fresh id per row (the
    SQL-text counterpart of ``core.outbox.emit_select``)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"event type {event_type!r} is not registered")
    stripped = "".join(f" - '{key}'" for key in sorted(FORBIDDEN_KEYS))
    statement = (
        "INSERT INTO outbox_events (id, event_type, agency_code, payload, occurred_at) "  # noqa: S608 - constant SQL from the specs
        f"SELECT gen_random_uuid(), :event_type, q.agency_code, q.payload{stripped}, now() "
        f"FROM ({query}) AS q"
    )
    result = await session.execute(
        text(statement),
        {"event_type": event_type, **params},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


class Spec:
    """SQL of one kind. ``$1`` is always the agency code; statements that need more
    parameters say so through ``params``."""

    target: Target
    provided_map: ClassVar[dict[str, tuple[str, ...]]] = {}

    def provided_columns(self, loader: Loader) -> set[str]:
        found: set[str] = set()
        for name in loader.provided:
            found.update(self.provided_map.get(name, (name,)))
        return found

    def params(self, loader: Loader, statement: str) -> tuple[Any, ...]:
        return (loader.agency,) if "$1" in statement else ()

    async def resolve(self, loader: Loader) -> None:
        raise NotImplementedError

    def checks(self, loader: Loader) -> list[str]:
        return []

    def late_checks(self, loader: Loader) -> list[str]:
        """Checks that need the duplicates removed first (overlaps, holders, cycles)."""
        return []

    def cascades(self, loader: Loader) -> list[str]:
        """Repeated until they find nothing: rows that depend on a bad row."""
        return []

    async def final_checks(self, loader: Loader) -> None:
        return None

    async def after(self, loader: Loader, actor: dict[str, Any]) -> None:
        return None


def _err(field_name: str, value: str, message: str, message_id: str, where: str) -> str:
    """A check that reports ``field`` of the rows matching ``where``; ``message`` and
    ``message_id`` are SQL text expressions, in English and in Indonesian."""
    return (
        f"INSERT INTO imp_err SELECT r.row_no, '{field_name}', {value}, {message}, "  # noqa: S608
        f"{message_id} FROM imp_res r WHERE {where}"
    )


_EMPLOYEE_JOIN = "LEFT JOIN employees e ON e.nip = s.nip AND e.agency_code = $1"
_UNKNOWN_NIP = _err(
    "nip",
    "r.nip",
    "'no employee with NIP ' || r.nip || ' in agency ' || $1",
    "'tidak ada pegawai dengan NIP ' || r.nip || ' di instansi ' || $1",
    "r.employee_id IS NULL",
)


class _HistorySpec(Spec):
    """Histories resolve the NIP to an employee of the agency."""

    extra_select = ""
    extra_join = ""

    async def resolve(self, loader: Loader) -> None:
        conn = await loader.conn()
        await conn.execute(
            f"""
            CREATE TEMP TABLE imp_res ON COMMIT DROP AS
            SELECT s.*, e.id AS employee_id, e.birth_date AS employee_birth_date,
                   e.appointment_date AS employee_appointment_date{self.extra_select}
            FROM imp_stage s {_EMPLOYEE_JOIN} {self.extra_join}
            """,  # noqa: S608
            *self.params(loader, "$1"),
        )

    def checks(self, loader: Loader) -> list[str]:
        return [_UNKNOWN_NIP]


def _history_target(
    table: str, entity: str, keys: tuple[Key, ...], values: tuple[str, ...], **extra: Any
) -> Target:
    return Target(
        table=table,
        entity=entity,
        key=(Key("employee_id", "{p}.employee_id"), *keys),
        values=values,
        audit_created=(
            ("nip", "p.nip"),
            *((k.column, k.expr.format(p="p")) for k in keys),
        ),
        **extra,
    )


# --- employees --------------------------------------------------------------------------


class EmployeeSpec(Spec):
    target = Target(
        table="employees",
        entity="employee",
        key=(Key("nip", "{p}.nip"),),
        values=(
            "name",
            "front_title",
            "back_title",
            "gender",
            "birth_date",
            "birth_place",
            "employment_type",
            "appointment_date",
            "rank_code",
            "status",
            "unit_id",
            "nik",
            "email",
        ),
        conflict="(nip)",
        event="employee",
        insert_extra=(("agency_code", "$1"),),
        audit_created=(("nip", "p.nip"), ("agency_code", "$1::text")),
        label="p.nip",
    )
    provided_map: ClassVar[dict[str, tuple[str, ...]]] = {
        "nip": (),
        "rank": ("rank_code",),
        "unit_code": ("unit_id",),
        "unit_name": ("unit_id",),
    }

    async def resolve(self, loader: Loader) -> None:
        conn = await loader.conn()
        await conn.execute(
            """
            CREATE TEMP TABLE imp_res ON COMMIT DROP AS
            SELECT s.*, coalesce(uc.id, CASE WHEN un.n = 1 THEN un.id END) AS unit_id,
                   uc.id AS unit_by_code, un.n AS units_named, e.agency_code AS current_agency
            FROM imp_stage s
            LEFT JOIN units uc ON uc.agency_code = $1 AND uc.code = s.unit_code
            LEFT JOIN LATERAL (
                SELECT count(*) AS n, (array_agg(u.id))[1] AS id FROM units u
                WHERE s.unit_code IS NULL AND s.unit_name IS NOT NULL
                  AND u.agency_code = $1 AND lower(u.name) = lower(s.unit_name)
            ) un ON true
            LEFT JOIN employees e ON e.nip = s.nip
            """,
            loader.agency,
        )

    def checks(self, loader: Loader) -> list[str]:
        return [
            _err(
                "unit_code",
                "r.unit_code",
                "'no unit with code ' || r.unit_code || ' in agency ' || $1",
                "'tidak ada unit dengan kode ' || r.unit_code || ' di instansi ' || $1",
                "r.unit_code IS NOT NULL AND r.unit_by_code IS NULL",
            ),
            _err(
                "unit_name",
                "r.unit_name",
                "CASE WHEN r.units_named = 0 THEN 'no unit named ' || r.unit_name || "
                "' in agency ' || $1 ELSE r.units_named || ' units are named ' || r.unit_name "
                "|| '; give unit_code instead' END",
                "CASE WHEN r.units_named = 0 THEN 'tidak ada unit bernama ' || r.unit_name || "
                "' di instansi ' || $1 ELSE 'ada ' || r.units_named || ' unit bernama ' || "
                "r.unit_name || '; isi unit_code' END",
                "r.unit_code IS NULL AND r.unit_name IS NOT NULL AND r.units_named <> 1",
            ),
            _err(
                "nip",
                "r.nip",
                "'an employee with NIP ' || r.nip || ' belongs to another agency; move them "
                "with PATCH /employees/{nip} first'",
                "'pegawai dengan NIP ' || r.nip || ' tercatat di instansi lain; pindahkan dulu "
                "dengan PATCH /employees/{nip}'",
                "r.current_agency IS NOT NULL AND r.current_agency <> $1",
            ),
        ]


# --- organisation -----------------------------------------------------------------------


class UnitSpec(Spec):
    target = Target(
        table="units",
        entity="unit",
        key=(Key("agency_code", "$1::text"), Key("code", "{p}.code")),
        values=("name", "kind", "parent_id", "path"),
        conflict="(agency_code, code)",
        audit_created=(("code", "p.code"),),
        label="p.code",
        label_field="code",
    )
    provided_map: ClassVar[dict[str, tuple[str, ...]]] = {
        "code": (),
        "parent_code": ("parent_id", "path"),
    }

    async def resolve(self, loader: Loader) -> None:
        conn = await loader.conn()
        moves = "parent_code" in loader.provided
        await conn.execute(
            f"""
            CREATE TEMP TABLE imp_res ON COMMIT DROP AS
            WITH f AS (
                SELECT s.*, coalesce(u.id, s.id) AS uid, u.parent_id AS old_parent
                FROM imp_stage s LEFT JOIN units u ON u.agency_code = $1 AND u.code = s.code
            ), firsts AS (
                SELECT DISTINCT ON (code) code, uid FROM f ORDER BY code, row_no
            )
            SELECT f.row_no, f.uid AS id, f.code, f.name, f.kind, f.parent_code,
                   {"coalesce(fp.uid, up.id)" if moves else "f.old_parent"} AS parent_id,
                   NULL::uuid[] AS path
            FROM f
            LEFT JOIN firsts fp ON fp.code = f.parent_code
            LEFT JOIN units up ON up.agency_code = $1 AND up.code = f.parent_code
            """,  # noqa: S608
            loader.agency,
        )

    def checks(self, loader: Loader) -> list[str]:
        return [
            _err(
                "parent_code",
                "r.parent_code",
                "'no unit with code ' || r.parent_code || ' in agency ' || $1 || "
                "' or in this file'",
                "'tidak ada unit dengan kode ' || r.parent_code || ' di instansi ' || $1 || "
                "' maupun di berkas ini'",
                "r.parent_code IS NOT NULL AND r.parent_id IS NULL",
            ),
        ]

    def cascades(self, loader: Loader) -> list[str]:
        return [
            _err(
                "parent_code",
                "r.parent_code",
                "'the parent unit ' || r.parent_code || ' is on a row that cannot be imported'",
                "'unit atasan ' || r.parent_code || ' ada di baris yang tidak dapat diimpor'",
                f"{good()} AND EXISTS (SELECT 1 FROM imp_res x WHERE x.id = r.parent_id "  # noqa: S608
                "AND NOT EXISTS (SELECT 1 FROM units u WHERE u.id = x.id) "
                f"AND NOT {good('x')})",
            )
        ]

    async def _paths(self, loader: Loader) -> None:
        """The agency's tree as it will be, paths from the roots; unreachable file rows
        are in a cycle."""
        conn = await loader.conn()
        await conn.execute(
            f"""
            CREATE TEMP TABLE imp_tree ON COMMIT DROP AS
            WITH RECURSIVE g AS (
                SELECT r.id, r.parent_id FROM imp_res r WHERE {good()}
                UNION ALL
                SELECT u.id, u.parent_id FROM units u
                WHERE u.agency_code = $1
                  AND NOT EXISTS (SELECT 1 FROM imp_res r WHERE r.id = u.id AND {good()})
            ), tree AS (
                SELECT g.id, ARRAY[g.id] AS path FROM g WHERE g.parent_id IS NULL
                UNION ALL
                SELECT g.id, tree.path || g.id FROM g JOIN tree ON g.parent_id = tree.id
            )
            SELECT id, path FROM tree
            """,  # noqa: S608
            loader.agency,
        )

    async def final_checks(self, loader: Loader) -> None:
        await self._paths(loader)
        await loader.flag(
            _err(
                "parent_code",
                "r.parent_code",
                "'unit ' || r.code || ' would be its own ancestor (a cycle in the tree)'",
                "'unit ' || r.code || ' akan menjadi atasannya sendiri (struktur melingkar)'",
                f"{good()} AND NOT EXISTS (SELECT 1 FROM imp_tree t WHERE t.id = r.id)",  # noqa: S608
            )
        )
        conn = await loader.conn()
        await conn.execute("UPDATE imp_res r SET path = t.path FROM imp_tree t WHERE t.id = r.id")

    async def after(self, loader: Loader, actor: dict[str, Any]) -> None:
        """Sub-units not in the file follow their moved ancestors."""
        if "parent_code" not in loader.provided:
            return
        conn = await loader.conn()
        await conn.execute(
            """
            UPDATE units u SET path = t.path, version = u.version + 1, updated_at = now()
            FROM imp_tree t
            WHERE u.id = t.id AND u.agency_code = $1 AND u.path IS DISTINCT FROM t.path
            """,
            loader.agency,
        )


_REQ_SIG = (
    "(SELECT string_agg(c.code || ':' || pc.level, ',' ORDER BY c.code) "
    "FROM position_competencies pc JOIN competencies c ON c.id = pc.competency_id "
    "WHERE pc.position_id = t.id)"
)


class PositionSpec(Spec):
    target = Target(
        table="positions",
        entity="position",
        key=(Key("agency_code", "$1::text"), Key("code", "{p}.code")),
        values=(
            "title",
            "unit_id",
            "kind",
            "functional_level",
            "min_rank",
            "max_rank",
            "reports_to_position_id",
            "preferred_education_fields",
            "is_shared",
        ),
        virtual=(("req_sig", _REQ_SIG),),
        conflict="(agency_code, code)",
        audit_created=(("code", "p.code"),),
        label="p.code",
        label_field="code",
        audit_names={"req_sig": "required_competencies"},
    )
    provided_map: ClassVar[dict[str, tuple[str, ...]]] = {
        "code": (),
        "unit_code": ("unit_id",),
        "reports_to_code": ("reports_to_position_id",),
        "required_competencies": ("req_sig",),
    }

    async def resolve(self, loader: Loader) -> None:
        conn = await loader.conn()
        reports = "reports_to_code" in loader.provided
        await conn.execute(
            f"""
            CREATE TEMP TABLE imp_res ON COMMIT DROP AS
            WITH f AS (
                SELECT s.*, coalesce(p.id, s.id) AS pid, p.reports_to_position_id AS old_reports
                FROM imp_stage s LEFT JOIN positions p ON p.agency_code = $1 AND p.code = s.code
            ), firsts AS (
                SELECT DISTINCT ON (code) code, pid FROM f ORDER BY code, row_no
            )
            SELECT f.row_no, f.pid AS id, f.code, f.title, u.id AS unit_id, f.unit_code, f.kind,
                   f.functional_level, f.min_rank, f.max_rank, f.reports_to_code,
                   {"coalesce(fp.pid, pp.id)" if reports else "f.old_reports"}
                       AS reports_to_position_id,
                   f.req_codes, f.req_levels,
                   (SELECT string_agg(x.c || ':' || x.l, ',' ORDER BY x.c)
                    FROM unnest(f.req_codes, f.req_levels) AS x(c, l)) AS req_sig,
                   f.preferred_education_fields::varchar[] AS preferred_education_fields,
                   f.is_shared
            FROM f
            LEFT JOIN units u ON u.agency_code = $1 AND u.code = f.unit_code
            LEFT JOIN firsts fp ON fp.code = f.reports_to_code
            LEFT JOIN positions pp ON pp.agency_code = $1 AND pp.code = f.reports_to_code
            """,  # noqa: S608
            loader.agency,
        )

    def checks(self, loader: Loader) -> list[str]:
        return [
            _err(
                "unit_code",
                "r.unit_code",
                "'no unit with code ' || r.unit_code || ' in agency ' || $1",
                "'tidak ada unit dengan kode ' || r.unit_code || ' di instansi ' || $1",
                "r.unit_id IS NULL",
            ),
            _err(
                "reports_to_code",
                "r.reports_to_code",
                "'no position with code ' || r.reports_to_code || ' in agency ' || $1 || "
                "' or in this file'",
                "'tidak ada jabatan dengan kode ' || r.reports_to_code || ' di instansi ' || "
                "$1 || ' maupun di berkas ini'",
                "r.reports_to_code IS NOT NULL AND r.reports_to_position_id IS NULL",
            ),
            _err(
                "reports_to_code",
                "r.reports_to_code",
                "'a position cannot report to itself'",
                "'jabatan tidak dapat menjadi atasannya sendiri'",
                "r.reports_to_position_id = r.id",
            ),
            """
            INSERT INTO imp_err
            SELECT r.row_no, 'required_competencies', x.c,
                   'unknown competency ' || x.c || ' for agency ' || $1,
                   'kompetensi ' || x.c || ' tidak dikenal untuk instansi ' || $1
            FROM imp_res r CROSS JOIN LATERAL unnest(r.req_codes) AS x(c)
            WHERE NOT EXISTS (
                SELECT 1 FROM competencies k
                WHERE k.code = x.c AND (k.agency_code IS NULL OR k.agency_code = $1)
            )
            """,
        ]

    def cascades(self, loader: Loader) -> list[str]:
        return [
            _err(
                "reports_to_code",
                "r.reports_to_code",
                "'the superior position ' || r.reports_to_code || ' is on a row that cannot "
                "be imported'",
                "'jabatan atasan ' || r.reports_to_code || ' ada di baris yang tidak dapat "
                "diimpor'",
                f"{good()} AND EXISTS (SELECT 1 FROM imp_res x WHERE x.id = "  # noqa: S608
                "r.reports_to_position_id AND NOT EXISTS (SELECT 1 FROM positions p "
                f"WHERE p.id = x.id) AND NOT {good('x')})",
            )
        ]

    def late_checks(self, loader: Loader) -> list[str]:
        return [
            f"""
            INSERT INTO imp_err
            SELECT r.row_no, 'reports_to_code', r.reports_to_code,
                   'position ' || r.code || ' would report to itself through its superiors '
                   || '(a cycle in the reporting line)',
                   'jabatan ' || r.code || ' akan menjadi atasannya sendiri melalui '
                   || 'atasan-atasannya (garis pelaporan melingkar)'
            FROM imp_res r
            WHERE {good()} AND r.id NOT IN (
                WITH RECURSIVE g AS (
                    SELECT r2.id, r2.reports_to_position_id AS up FROM imp_res r2
                    WHERE {good("r2")}
                    UNION ALL
                    SELECT p.id, p.reports_to_position_id FROM positions p
                    WHERE p.agency_code = $1
                      AND NOT EXISTS (SELECT 1 FROM imp_res r3 WHERE r3.id = p.id
                                      AND {good("r3")})
                ), line AS (
                    SELECT g.id FROM g WHERE g.up IS NULL
                    UNION
                    SELECT g.id FROM g JOIN line ON g.up = line.id
                )
                SELECT id FROM line
            )
            """  # noqa: S608
        ]

    async def after(self, loader: Loader, actor: dict[str, Any]) -> None:
        if "required_competencies" not in loader.provided:
            return
        conn = await loader.conn()
        # Separate statements: the parts of one statement share a snapshot, so an insert
        # would not see the delete before it.
        changed = "p.existing_id IS NULL OR p.req_sig IS DISTINCT FROM p.old_req_sig"
        await conn.execute(
            f"DELETE FROM position_competencies pc USING imp_plan p "  # noqa: S608
            f"WHERE pc.position_id = p.id AND ({changed})"
        )
        await conn.execute(
            f"""
            INSERT INTO position_competencies (position_id, competency_id, level)
            SELECT p.id, k.id, x.l
            FROM imp_plan p
            CROSS JOIN LATERAL unnest(p.req_codes, p.req_levels) AS x(c, l)
            JOIN competencies k ON k.code = x.c AND (k.agency_code IS NULL OR k.agency_code = $1)
            WHERE {changed}
            """,  # noqa: S608
            loader.agency,
        )
        await conn.execute(
            """
            UPDATE positions t SET version = t.version + 1, updated_at = now()
            FROM imp_plan p
            WHERE t.id = p.existing_id AND p.req_sig IS DISTINCT FROM p.old_req_sig
            """
        )


# --- the training catalogue ------------------------------------------------------------

_COMP_SIG = (
    "(SELECT string_agg(c.code || ':' || cc.target_level, ',' ORDER BY c.code) "
    "FROM training_course_competencies cc JOIN competencies c ON c.id = cc.competency_id "
    "WHERE cc.course_id = t.id)"
)


class CourseSpec(Spec):
    """``training_courses``: upserted by code within the agency; competencies and ranks
    checked here as ``training.courses.service`` checks them."""

    target = Target(
        table="training_courses",
        entity="training_course",
        key=(Key("agency_code", "$1::text"), Key("code", "{p}.code")),
        values=(
            "title",
            "description",
            "form",
            "provider",
            "hours_jp",
            "cost_per_participant",
            "fixed_cost_per_batch",
            "min_participants",
            "max_participants",
            "starts_on",
            "ends_on",
            "eligible_position_kinds",
            "min_rank",
            "max_rank",
            "reassess_on_completion",
            "active",
        ),
        virtual=(("comp_sig", _COMP_SIG),),
        conflict="(agency_code, code)",
        audit_created=(("code", "p.code"),),
        label="p.code",
        label_field="code",
        audit_names={"comp_sig": "competencies"},
    )
    provided_map: ClassVar[dict[str, tuple[str, ...]]] = {
        "code": (),
        "competencies": ("comp_sig",),
    }

    async def resolve(self, loader: Loader) -> None:
        conn = await loader.conn()
        await conn.execute(
            """
            CREATE TEMP TABLE imp_res ON COMMIT DROP AS
            SELECT s.row_no, coalesce(c.id, s.id) AS id, s.code, s.title, s.description,
                   s.form, s.provider, s.hours_jp, s.cost_per_participant,
                   s.fixed_cost_per_batch, s.min_participants, s.max_participants,
                   s.starts_on, s.ends_on,
                   s.eligible_position_kinds::varchar[] AS eligible_position_kinds,
                   s.min_rank, s.max_rank, s.comp_codes, s.comp_levels,
                   (SELECT string_agg(x.c || ':' || x.l, ',' ORDER BY x.c)
                    FROM unnest(s.comp_codes, s.comp_levels) AS x(c, l)) AS comp_sig,
                   s.reassess_on_completion, s.active,
                   lo.scale AS min_scale, lo.ordinal AS min_ordinal,
                   hi.scale AS max_scale, hi.ordinal AS max_ordinal
            FROM imp_stage s
            LEFT JOIN training_courses c ON c.agency_code = $1 AND c.code = s.code
            LEFT JOIN ranks lo ON lo.code = s.min_rank
            LEFT JOIN ranks hi ON hi.code = s.max_rank
            """,
            loader.agency,
        )

    def checks(self, loader: Loader) -> list[str]:
        return [
            _err(
                "min_rank",
                "r.min_rank",
                "'rank ' || r.min_rank || ' is unknown'",
                "'pangkat/golongan ' || r.min_rank || ' tidak dikenal'",
                "r.min_rank IS NOT NULL AND r.min_scale IS NULL",
            ),
            _err(
                "max_rank",
                "r.max_rank",
                "'rank ' || r.max_rank || ' is unknown'",
                "'pangkat/golongan ' || r.max_rank || ' tidak dikenal'",
                "r.max_rank IS NOT NULL AND r.max_scale IS NULL",
            ),
            _err(
                "max_rank",
                "r.max_rank",
                "'min_rank and max_rank are of different scales (PNS and PPPK)'",
                "'pangkat minimum dan maksimum berasal dari skala yang berbeda (PNS dan PPPK)'",
                "r.min_scale <> r.max_scale",
            ),
            _err(
                "max_rank",
                "r.max_rank",
                "'max_rank is below min_rank'",
                "'pangkat maksimum lebih rendah dari pangkat minimum'",
                "r.min_scale = r.max_scale AND r.min_ordinal > r.max_ordinal",
            ),
            """
            INSERT INTO imp_err
            SELECT r.row_no, 'competencies', x.c,
                   'competency ' || x.c || ' is not in the dictionary for agency ' || $1,
                   'kompetensi ' || x.c || ' tidak ada dalam kamus kompetensi instansi ' || $1
            FROM imp_res r CROSS JOIN LATERAL unnest(r.comp_codes) AS x(c)
            WHERE NOT EXISTS (
                SELECT 1 FROM competencies k
                WHERE k.code = x.c AND (k.agency_code IS NULL OR k.agency_code = $1)
            )
            """,
        ]

    async def after(self, loader: Loader, actor: dict[str, Any]) -> None:
        if "competencies" not in loader.provided:
            return
        conn = await loader.conn()
        # Separate statements: the parts of one statement share a snapshot.
        changed = "p.existing_id IS NULL OR p.comp_sig IS DISTINCT FROM p.old_comp_sig"
        await conn.execute(
            f"DELETE FROM training_course_competencies cc USING imp_plan p "  # noqa: S608
            f"WHERE cc.course_id = p.id AND ({changed})"
        )
        await conn.execute(
            f"""
            INSERT INTO training_course_competencies (course_id, competency_id, target_level)
            SELECT p.id, k.id, x.l
            FROM imp_plan p
            CROSS JOIN LATERAL unnest(p.comp_codes, p.comp_levels) AS x(c, l)
            JOIN competencies k ON k.code = x.c AND (k.agency_code IS NULL OR k.agency_code = $1)
            WHERE {changed}
            """,  # noqa: S608
            loader.agency,
        )
        await conn.execute(
            """
            UPDATE training_courses t SET version = t.version + 1, updated_at = now()
            FROM imp_plan p
            WHERE t.id = p.existing_id AND p.comp_sig IS DISTINCT FROM p.old_comp_sig
              AND t.updated_at <> now()
            """
        )  # once: a row whose values changed too got its new version (at now()) already


# --- histories --------------------------------------------------------------------------


_SCHOOL_AGE = f"{MIN_SCHOOL_AGE:d}"
_EARLIEST_GRADUATION = f"extract(year FROM r.employee_birth_date)::int + {_SCHOOL_AGE}"


class EducationSpec(_HistorySpec):
    target = _history_target(
        "employee_education",
        "education",
        (Key("level_code", "{p}.level_code"), Key("field", "{p}.field", nullable=True)),
        ("institution", "graduation_year"),
        label="p.nip || ' ' || p.level_code || coalesce(' ' || p.field, '')",
    )
    provided_map: ClassVar[dict[str, tuple[str, ...]]] = {"nip": (), "level": (), "field": ()}

    def checks(self, loader: Loader) -> list[str]:
        return [
            _UNKNOWN_NIP,
            # rules.graduation_year_bounds, set-based: not before birth year + MIN_SCHOOL_AGE
            _err(
                "graduation_year",
                "r.graduation_year::text",
                f"'graduation_year ' || r.graduation_year || ' is before birth year + "
                f"{_SCHOOL_AGE} (' || ({_EARLIEST_GRADUATION}) || ').'",
                f"'tahun lulus ' || r.graduation_year || ' sebelum tahun lahir + "
                f"{_SCHOOL_AGE} (' || ({_EARLIEST_GRADUATION}) || ').'",
                f"r.graduation_year < {_EARLIEST_GRADUATION}",
            ),
        ]


_HOLDERS = """
    SELECT a.employee_id, a.position_id, a.id FROM assignments a
    JOIN employees e ON e.id = a.employee_id
    WHERE a.end_date IS NULL AND a.is_primary AND e.agency_code = $1
"""


def _primary_refusals(rows: Sequence[Any]) -> list[tuple[int, str, str, str, str]]:
    """The ordered pass of ``AssignmentSpec.final_checks``, in the API's order of checks:
    an overlap with a primary assignment (stored, or accepted on an earlier row) first,
    then the position held by someone else (stored, or given on an earlier row)."""
    accepted: dict[Any, list[tuple[int, date, date | None]]] = {}
    holders: dict[Any, tuple[int, str]] = {}
    refusals: list[tuple[int, str, str, str, str]] = []
    for row in rows:
        start, end = row["start_date"], row["end_date"]
        earlier = next(
            (
                row_no
                for row_no, other_start, other_end in accepted.get(row["employee_id"], ())
                if (other_end is None or other_end >= start) and (end is None or other_start <= end)
            ),
            None,
        )
        holds = end is None and not row["is_shared"]
        given = holders.get(row["position_id"]) if holds else None
        if row["stored_id"] is not None:
            until = row["stored_end"].isoformat() if row["stored_end"] else None
            refusals.append((
                row["row_no"], "start_date", start.isoformat(),
                f"overlaps primary assignment {row['stored_id']} ({row['stored_start']} – "
                f"{until or 'open'}): primary assignments may not overlap",
                f"tumpang tindih dengan jabatan utama {row['stored_id']} "
                f"({row['stored_start']} – {until or 'sekarang'}): jabatan utama tidak boleh "
                "tumpang tindih",
            ))  # fmt: skip
        elif earlier is not None:
            refusals.append((
                row["row_no"], "start_date", start.isoformat(),
                f"overlaps the primary assignment on row {earlier}: primary assignments may "
                "not overlap",
                f"tumpang tindih dengan jabatan utama di baris {earlier}: jabatan utama tidak "
                "boleh tumpang tindih",
            ))  # fmt: skip
        elif row["holder_nip"] is not None:
            refusals.append((
                row["row_no"], "position_code", row["position_label"],
                f"the position is held by NIP {row['holder_nip']}; close that assignment "
                "first or mark the position shared",
                f"jabatan ini dipangku NIP {row['holder_nip']}; akhiri penugasan itu dulu atau "
                "tandai jabatan sebagai bersama",
            ))  # fmt: skip
        elif given is not None and given[1] != row["nip"]:
            refusals.append((
                row["row_no"], "position_code", row["position_label"],
                f"the position is also given to NIP {given[1]} on row {given[0]} (a position "
                "that is not shared has one holder)",
                f"jabatan ini juga diberikan kepada NIP {given[1]} di baris {given[0]} "
                "(jabatan yang tidak bersama hanya satu pemangku)",
            ))  # fmt: skip
        else:
            accepted.setdefault(row["employee_id"], []).append((row["row_no"], start, end))
            if holds:
                holders.setdefault(row["position_id"], (row["row_no"], row["nip"]))
    return refusals


class AssignmentSpec(_HistorySpec):
    target = _history_target(
        "assignments",
        "assignment",
        (Key("position_id", "{p}.position_id"), Key("start_date", "{p}.start_date")),
        ("end_date", "decree_number", "decree_date", "is_primary"),
        label="p.nip || ' ' || coalesce(p.position_code, p.position_title) || ' ' || p.start_date",
        event="assignment",
    )
    provided_map: ClassVar[dict[str, tuple[str, ...]]] = {
        "nip": (),
        "position_code": (),
        "position_title": (),
        "unit_name": (),
        "start_date": (),
    }

    def provided_columns(self, loader: Loader) -> set[str]:
        found = super().provided_columns(loader)
        return found | {"end_date"} if loader.siasn else found

    async def resolve(self, loader: Loader) -> None:
        conn = await loader.conn()
        # SIASN's position history has no end dates: an assignment ends the day before the
        # next one of the same person in the file starts.
        end = (
            "coalesce(s.end_date, lead(s.start_date) OVER "
            "(PARTITION BY s.nip ORDER BY s.start_date, s.row_no) - 1)"
            if loader.siasn
            else "s.end_date"
        )
        await conn.execute(
            f"""
            CREATE TEMP TABLE imp_res ON COMMIT DROP AS
            SELECT s.row_no, s.id, s.nip, s.position_code, s.position_title, s.unit_name,
                   s.start_date, {end} AS end_date, s.decree_number, s.decree_date,
                   coalesce(s.is_primary, true) AS is_primary,
                   e.id AS employee_id, e.appointment_date AS employee_appointment_date,
                   pos.id AS position_id, pos.is_shared, pos.n AS positions_found
            FROM imp_stage s
            LEFT JOIN employees e ON e.nip = s.nip AND e.agency_code = $1
            LEFT JOIN LATERAL (
                SELECT p.id, p.is_shared, count(*) OVER () AS n FROM positions p
                WHERE p.agency_code = $1 AND CASE
                    WHEN s.position_code IS NOT NULL THEN p.code = s.position_code
                    ELSE lower(p.title) = lower(s.position_title)
                         AND (s.unit_name IS NULL OR p.unit_id IN (
                             SELECT u.id FROM units u
                             WHERE u.agency_code = $1 AND lower(u.name) = lower(s.unit_name)))
                END
                LIMIT 1
            ) pos ON true
            """,  # noqa: S608
            loader.agency,
        )

    def checks(self, loader: Loader) -> list[str]:
        return [
            _UNKNOWN_NIP,
            _err(
                "position_code",
                "coalesce(r.position_code, r.position_title)",
                "CASE WHEN r.position_code IS NOT NULL THEN 'no position with code ' || "
                "r.position_code || ' in agency ' || $1 ELSE 'no position titled ' || "
                "r.position_title || coalesce(' in unit ' || r.unit_name, '') || ' in agency ' "
                "|| $1 END",
                "CASE WHEN r.position_code IS NOT NULL THEN 'tidak ada jabatan dengan kode ' || "
                "r.position_code || ' di instansi ' || $1 ELSE 'tidak ada jabatan bernama ' || "
                "r.position_title || coalesce(' di unit ' || r.unit_name, '') || ' di instansi ' "
                "|| $1 END",
                "r.position_id IS NULL",
            ),
            _err(
                "position_title",
                "r.position_title",
                "r.positions_found || ' positions are titled ' || r.position_title || "
                "'; give position_code (or unorNama) to choose'",
                "'ada ' || r.positions_found || ' jabatan bernama ' || r.position_title || "
                "'; isi position_code (atau unorNama) untuk memilih'",
                "r.position_code IS NULL AND r.positions_found > 1",
            ),
            _err(
                "start_date",
                "r.start_date::text",
                "'start_date ' || r.start_date || ' is before the appointment (TMT) ' || "
                "r.employee_appointment_date || '.'",
                "'tanggal mulai ' || r.start_date || ' sebelum TMT pengangkatan ' || "
                "r.employee_appointment_date || '.'",
                "r.start_date < r.employee_appointment_date",
            ),
            _err(
                "end_date",
                "r.end_date::text",
                "'end_date ' || r.end_date || ' is before start_date ' || r.start_date || '.'",
                "'tanggal selesai ' || r.end_date || ' sebelum tanggal mulai ' || r.start_date "
                "|| '.'",
                "r.end_date < r.start_date",
            ),
        ]

    async def final_checks(self, loader: Loader) -> None:
        """Overlapping primaries and a position's single holder, row by row in file order.

        The API refuses a request against what is stored when it arrives, so a row is
        checked only against the rows before it that were accepted: a row refused for
        another reason holds no position and overlaps nothing. Checking all rows at once
        would refuse a row that only meets a refused one (a chain the API accepts). The
        database side (assignments the file does not update) is one set-based query; the
        ordered pass then runs over the good primary rows in memory.
        """
        conn = await loader.conn()
        same = "x.employee_id = a.employee_id AND x.position_id = a.position_id "
        same += "AND x.start_date = a.start_date"
        rows = await conn.fetch(
            f"""
            SELECT r.row_no, r.employee_id, r.nip, r.position_id, r.is_shared,
                   coalesce(r.position_code, r.position_title) AS position_label,
                   r.start_date, r.end_date, stored.id AS stored_id,
                   stored.start_date AS stored_start, stored.end_date AS stored_end,
                   holder.nip AS holder_nip
            FROM imp_res r
            LEFT JOIN LATERAL (
                SELECT a.id, a.start_date, a.end_date FROM assignments a
                WHERE a.employee_id = r.employee_id AND a.is_primary
                  AND daterange(a.start_date, a.end_date, '[]')
                      && daterange(r.start_date, r.end_date, '[]')
                  AND NOT EXISTS (SELECT 1 FROM imp_res x WHERE {same} AND {good("x")})
                ORDER BY a.start_date, a.id LIMIT 1
            ) stored ON true
            LEFT JOIN LATERAL (
                SELECT e.nip FROM ({_HOLDERS}) h JOIN employees e ON e.id = h.employee_id
                JOIN assignments a ON a.id = h.id
                WHERE h.position_id = r.position_id AND h.employee_id <> r.employee_id
                  AND NOT EXISTS (
                      SELECT 1 FROM imp_res x WHERE {same} AND {good("x")}
                        AND (x.end_date IS NOT NULL OR NOT x.is_primary))
                ORDER BY e.nip LIMIT 1
            ) holder ON r.end_date IS NULL AND NOT r.is_shared
            WHERE r.is_primary AND {good()}
            ORDER BY r.row_no
            """,  # noqa: S608 - built from constants
            loader.agency,
        )
        refusals = _primary_refusals(rows)
        if refusals:
            await conn.executemany("INSERT INTO imp_err VALUES ($1, $2, $3, $4, $5)", refusals)
            await conn.execute(
                "INSERT INTO imp_bad SELECT DISTINCT row_no FROM imp_err "
                "WHERE row_no IS NOT NULL ON CONFLICT DO NOTHING"
            )

    async def after(self, loader: Loader, actor: dict[str, Any]) -> None:
        """``employees.position_id``/``unit_id`` follow the current primary assignment of
        everyone whose assignments changed, with an ``employee.updated`` audit row each."""
        conn = await loader.conn()
        await conn.execute(
            f"""
            CREATE TEMP TABLE imp_moves ON COMMIT DROP AS
            WITH touched AS (
                SELECT DISTINCT employee_id FROM imp_plan WHERE existing_id IS NULL OR changed
            ), current AS (
                SELECT DISTINCT ON (a.employee_id) a.employee_id, p.id AS position_id, p.unit_id
                FROM assignments a JOIN touched t ON t.employee_id = a.employee_id
                JOIN positions p ON p.id = a.position_id
                WHERE {_CURRENT_ASSIGNMENT}
                ORDER BY a.employee_id, a.start_date DESC
            )
            SELECT e.id, e.position_id AS old_position_id, e.unit_id AS old_unit_id,
                   c.position_id, coalesce(c.unit_id, e.unit_id) AS unit_id
            FROM employees e JOIN touched t ON t.employee_id = e.id
            LEFT JOIN current c ON c.employee_id = e.id
            WHERE (e.position_id, e.unit_id) IS DISTINCT FROM
                  (c.position_id, coalesce(c.unit_id, e.unit_id))
            """,  # noqa: S608 - the rule is built from org.repository.current_assignment
            today_in_indonesia(),
        )
        await conn.execute(
            """
            INSERT INTO audit_log (actor, actor_role, action, entity_type, entity_id,
                                   agency_code, changes, request_id, api_key_id, nip)
            SELECT $2::text, $3::text, 'employee.updated', 'employee', m.id::text, $1::text,
                   (SELECT coalesce(jsonb_object_agg(f.k, jsonb_build_object(
                                'before', f.old, 'after', f.new)), '{}'::jsonb)
                    FROM (VALUES ('position_id', to_jsonb(m.old_position_id),
                                  to_jsonb(m.position_id)),
                                 ('unit_id', to_jsonb(m.old_unit_id), to_jsonb(m.unit_id)))
                         AS f(k, old, new)
                    WHERE f.old IS DISTINCT FROM f.new),
                   $4::text, $5::uuid, e.nip
            FROM imp_moves m JOIN employees e ON e.id = m.id
            """,
            loader.agency,
            actor["actor"],
            actor["role"],
            actor["request_id"],
            actor["api_key_id"],
        )
        await emit_rows(
            loader.session,
            "employee.updated",
            """
            SELECT CAST(:agency AS text) AS agency_code,
                   jsonb_build_object('employee_id', m.id, 'nip', e.nip, 'changes',
                       (SELECT coalesce(jsonb_object_agg(f.k, jsonb_build_object(
                                    'before', f.old, 'after', f.new)), '{}'::jsonb)
                        FROM (VALUES ('position_id', to_jsonb(m.old_position_id),
                                      to_jsonb(m.position_id)),
                                     ('unit_id', to_jsonb(m.old_unit_id), to_jsonb(m.unit_id)))
                             AS f(k, old, new)
                        WHERE f.old IS DISTINCT FROM f.new)) AS payload
            FROM imp_moves m JOIN employees e ON e.id = m.id
            """,
            agency=loader.agency,
        )
        await conn.execute(
            """
            UPDATE employees e
            SET position_id = m.position_id, unit_id = m.unit_id,
                version = e.version + 1, updated_at = now()
            FROM imp_moves m WHERE e.id = m.id
            """
        )


class TrainingSpec(_HistorySpec):
    target = _history_target(
        "trainings",
        "training",
        (Key("title", "{p}.title"), Key("start_date", "{p}.start_date")),
        ("hours_jp", "end_date", "provider", "form", "competency_ids", "certificate_number"),
        label="p.nip || ' ' || p.title || ' ' || p.start_date",
    )
    provided_map: ClassVar[dict[str, tuple[str, ...]]] = {
        "nip": (),
        "title": (),
        "start_date": (),
        "year": (),
        "competencies": ("competency_ids",),
    }
    extra_select = """,
        coalesce((SELECT array_agg(k.id ORDER BY k.id) FROM competencies k
                  WHERE k.code = ANY(s.comp_codes)
                    AND (k.agency_code IS NULL OR k.agency_code = $1)), '{}') AS competency_ids"""

    def checks(self, loader: Loader) -> list[str]:
        return [
            _UNKNOWN_NIP,
            """
            INSERT INTO imp_err
            SELECT r.row_no, 'competencies', x.c,
                   'unknown competency ' || x.c || ' for agency ' || $1,
                   'kompetensi ' || x.c || ' tidak dikenal untuk instansi ' || $1
            FROM imp_res r CROSS JOIN LATERAL unnest(r.comp_codes) AS x(c)
            WHERE NOT EXISTS (
                SELECT 1 FROM competencies k
                WHERE k.code = x.c AND (k.agency_code IS NULL OR k.agency_code = $1)
            )
            """,
        ]


class PerformanceSpec(_HistorySpec):
    target = _history_target(
        "performance_ratings",
        "performance",
        (Key("year", "{p}.year"), Key("period", "{p}.period")),
        ("results", "behaviour", "predicate", "score"),
        conflict="(employee_id, year, period)",
        label="p.nip || ' ' || p.year || ' ' || p.period",
    )
    provided_map: ClassVar[dict[str, tuple[str, ...]]] = {
        "nip": (),
        "year": (),
        "period": (),
        "results": ("results", "predicate"),
        "behaviour": ("behaviour", "predicate"),
        "predicate": (),
    }

    def checks(self, loader: Loader) -> list[str]:
        return [
            _UNKNOWN_NIP,
            _err(
                "year",
                "r.year::text",
                "'year ' || r.year || ' is before the appointment (' || "
                "extract(year FROM r.employee_appointment_date) || ').'",
                "'tahun ' || r.year || ' sebelum tahun pengangkatan (' || "
                "extract(year FROM r.employee_appointment_date) || ').'",
                "r.year < extract(year FROM r.employee_appointment_date)",
            ),
        ]


class AssessmentSpec(_HistorySpec):
    target = _history_target(
        "competency_assessments",
        "competency_assessment",
        (
            Key("competency_id", "{p}.competency_id"),
            Key("source", "{p}.source"),
            Key("assessed_on", "{p}.assessed_on"),
        ),
        ("level", "notes"),
        label="p.nip || ' ' || p.competency || ' ' || p.source || ' ' || p.assessed_on",
    )
    provided_map: ClassVar[dict[str, tuple[str, ...]]] = {
        "nip": (),
        "competency": (),
        "source": (),
        "assessed_on": (),
    }
    extra_select = ", k.id AS competency_id"
    extra_join = (
        "LEFT JOIN competencies k ON k.code = s.competency "
        "AND (k.agency_code IS NULL OR k.agency_code = $1)"
    )

    def checks(self, loader: Loader) -> list[str]:
        return [
            _UNKNOWN_NIP,
            _err(
                "competency",
                "r.competency",
                "'unknown competency ' || r.competency || ' for agency ' || $1",
                "'kompetensi ' || r.competency || ' tidak dikenal untuk instansi ' || $1",
                "r.competency_id IS NULL",
            ),
        ]

    async def after(self, loader: Loader, actor: dict[str, Any]) -> None:
        """Current levels (latest of the most trusted source) of every pair touched."""
        conn = await loader.conn()
        await conn.execute(
            f"""
            WITH touched AS (
                SELECT DISTINCT employee_id, competency_id FROM imp_plan
                WHERE existing_id IS NULL OR changed
            ), best AS (
                SELECT DISTINCT ON (a.employee_id, a.competency_id)
                       a.employee_id, a.competency_id, a.level, a.source, a.assessed_on
                FROM competency_assessments a
                JOIN touched t USING (employee_id, competency_id)
                ORDER BY a.employee_id, a.competency_id, {best_assessment_order_sql("a")}
            )
            INSERT INTO employee_competency_levels
                (employee_id, competency_id, level, source, assessed_on)
            SELECT employee_id, competency_id, level, source, assessed_on FROM best
            ON CONFLICT (employee_id, competency_id) DO UPDATE
            SET level = EXCLUDED.level, source = EXCLUDED.source,
                assessed_on = EXCLUDED.assessed_on
            """  # noqa: S608 - the order comes from a constant tuple
        )


class SanctionSpec(_HistorySpec):
    target = _history_target(
        "sanctions",
        "sanction",
        (Key("kind", "{p}.kind"), Key("start_date", "{p}.start_date")),
        ("severity", "decree_number", "end_date", "reason"),
        label="p.nip || ' ' || p.kind || ' ' || p.start_date",
    )
    provided_map: ClassVar[dict[str, tuple[str, ...]]] = {"nip": (), "kind": (), "start_date": ()}


SPECS: dict[str, Spec] = {
    "units": UnitSpec(),
    "positions": PositionSpec(),
    "employees": EmployeeSpec(),
    "education": EducationSpec(),
    "assignments": AssignmentSpec(),
    "trainings": TrainingSpec(),
    "performance": PerformanceSpec(),
    "competencies": AssessmentSpec(),
    "sanctions": SanctionSpec(),
    "training_courses": CourseSpec(),
}
