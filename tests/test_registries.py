"""The registries are explicit lists, and what the code uses is on them.

Event types and API-key scopes are listed in ``asn_career.core.registry``, job kinds and
outbox consumers in ``asn_career.registry``. Nothing registers itself when imported, so
these tests read the source: every event type a call emits, every job kind a call submits,
every handler and consumer written, every scope a route asks for — each must be listed, and
each listed entry must be used.
"""

import ast
import functools
import importlib
import inspect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import func, literal, select

import asn_career
from asn_career import registry
from asn_career.config import Settings
from asn_career.core.auth import Role, authorize
from asn_career.core.jobs.service import JobService
from asn_career.core.outbox import (
    EventRow,
    OutboxEvent,
    UnknownEventType,
    emit,
    emit_many,
    emit_select,
)
from asn_career.core.registry import API_KEY_SCOPES, EVENT_TYPES
from asn_career.main import create_app
from tests.conftest import AGENCY_A

SRC = Path(asn_career.__file__).parent


# --- reading the source -----------------------------------------------------------------

Function = ast.FunctionDef | ast.AsyncFunctionDef


class Unresolved(Exception):
    """A value the scan cannot reduce to string literals."""


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)

    @classmethod
    def parse(cls, name: str, path: Path, text: str) -> "Module":
        module = cls(name, path, ast.parse(text, str(path)))
        for parent in ast.walk(module.tree):
            for child in ast.iter_child_nodes(parent):
                module.parents[child] = parent
        return module

    def where(self, node: ast.AST) -> str:
        path = self.path.relative_to(SRC.parent) if self.path.is_relative_to(SRC) else self.path
        return f"{path}:{getattr(node, 'lineno', '?')}"

    def above(self, node: ast.AST) -> Iterator[ast.AST]:
        while node in self.parents:
            node = self.parents[node]
            yield node

    def functions(self, node: ast.AST) -> Iterator[Function]:
        """The functions around ``node``, innermost first."""
        return (n for n in self.above(node) if isinstance(n, Function))

    def positional(self, function: Function) -> list[str]:
        """The positional parameters, less ``self``/``cls`` of a method."""
        names = [a.arg for a in [*function.args.posonlyargs, *function.args.args]]
        static = any(ast.unparse(d) == "staticmethod" for d in function.decorator_list)
        method = isinstance(self.parents.get(function), ast.ClassDef) and not static
        return names[1:] if method else names


def _binds(target: ast.expr, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target))


def _unpack(target: ast.expr, value: ast.expr, name: str) -> list[ast.expr]:
    """What ``target = value`` gives ``name``."""
    if isinstance(target, ast.Name):
        return [value] if target.id == name else []
    if isinstance(target, ast.Tuple) and _binds(target, name):
        if not isinstance(value, ast.Tuple) or len(value.elts) != len(target.elts):
            raise Unresolved(f"{name} is unpacked from a computed value")
        return [
            x for t, v in zip(target.elts, value.elts, strict=True) for x in _unpack(t, v, name)
        ]
    return []


def _bindings(body: ast.AST, name: str, *, nested: bool) -> list[ast.expr]:
    """What ``name`` is assigned in ``body`` (loop variables included)."""
    nodes = ast.walk(body) if nested else iter(getattr(body, "body", []))
    values: list[ast.expr] = []
    for node in nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                values.extend(_unpack(target, node.value, name))
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            values.extend(_unpack(node.target, node.value, name))
        elif isinstance(node, ast.For) and _binds(node.target, name):
            if not isinstance(node.iter, ast.Tuple | ast.List):
                raise Unresolved(f"{name} loops over a computed sequence")
            for item in node.iter.elts:
                values.extend(_unpack(node.target, item, name))
    return values


def _base_names(node: ast.ClassDef) -> set[str]:
    names = set()
    for base in node.bases:
        base = base.value if isinstance(base, ast.Subscript) else base
        if isinstance(base, ast.Name | ast.Attribute):
            names.add(base.id if isinstance(base, ast.Name) else base.attr)
    return names


@dataclass(frozen=True)
class Sink:
    """An argument that carries an event type or a job kind: the callee's name, the
    argument's position (after ``self``) and keyword, and the class of the receiver when
    the callee's name alone is too common (``JobService(…).submit``)."""

    name: str
    index: int | None
    keyword: str
    receiver: str | None = None

    def argument(self, call: ast.Call, module: Module) -> ast.expr | None:
        func = call.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if called != self.name:
            return None
        if self.receiver is not None:
            target = func.value if isinstance(func, ast.Attribute) else None
            if isinstance(target, ast.Name):  # jobs = JobService(…); jobs.submit(…)
                function = next(module.functions(call), None)
                bound = _bindings(function, target.id, nested=True) if function else []
                target = next((value for value in bound if isinstance(value, ast.Call)), None)
            if not (
                isinstance(target, ast.Call)
                and isinstance(target.func, ast.Name)
                and target.func.id == self.receiver
            ):
                return None
        for keyword in call.keywords:
            if keyword.arg == self.keyword:
                return keyword.value
        if self.index is None or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        return call.args[self.index] if self.index < len(call.args) else None


@dataclass
class Scan:
    values: dict[str, list[str]]
    """Each value found, with where."""
    problems: list[str]
    """Arguments the scan could not reduce to literals."""


class Source:
    """The modules of a package, read (never imported) to find what flows into sinks."""

    def __init__(self, modules: list[Module]) -> None:
        self.modules = modules
        self.classes: dict[str, list[ast.ClassDef]] = {}
        for module in modules:
            for node in ast.walk(module.tree):
                if isinstance(node, ast.ClassDef):
                    self.classes.setdefault(node.name, []).append(node)

    @classmethod
    def package(cls, root: Path) -> "Source":
        modules = []
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root.parent).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules.append(Module.parse(name, path, path.read_text()))
        return cls(modules)

    def family(self, name: str) -> set[str]:
        """A class with its bases and its subclasses, by name."""
        family, changed = {name}, True
        while changed:
            changed = False
            for cls, definitions in self.classes.items():
                for node in definitions:
                    bases = _base_names(node)
                    if (cls in family and bases - family) or (bases & family and cls not in family):
                        family |= bases | {cls}
                        changed = True
        return family & set(self.classes)

    def class_attribute(self, attr: str, module: Module, node: ast.AST) -> set[str]:
        """``self.attr``: the literals its class, their bases and subclasses set it to."""
        owner = next((p for p in module.above(node) if isinstance(p, ast.ClassDef)), None)
        if owner is None:
            raise Unresolved(f"self.{attr} outside a class")
        values: set[str] = set()
        defined = False
        for cls in self.family(owner.name):
            for definition in self.classes[cls]:
                for value in _bindings(definition, attr, nested=False):
                    defined = True
                    if not isinstance(value, ast.Constant) or not isinstance(
                        value.value, str | None
                    ):
                        raise Unresolved(f"{cls}.{attr} is not a literal")
                    if value.value is not None:
                        values.add(value.value)
        if not defined:
            raise Unresolved(f"no class around {owner.name} sets {attr}")
        return values

    def name(self, name: str, module: Module, node: ast.AST) -> set[str]:
        """A name: assigned in its functions, at module level, or imported."""
        for scope in [*module.functions(node), module.tree]:
            bound = _bindings(scope, name, nested=scope is not module.tree)
            if bound:
                return set().union(*(self.resolve(value, module) for value in bound))
        for statement in module.tree.body:
            if isinstance(statement, ast.ImportFrom) and statement.module:
                for alias in statement.names:
                    if (alias.asname or alias.name) == name:
                        return self.imported(statement.module, alias.name)
        raise Unresolved(name)

    def imported(self, module_name: str, name: str) -> set[str]:
        """A name another module defines: read from the source when it is here."""
        source = next((m for m in self.modules if m.name == module_name), None)
        if source is not None:
            return self.name(name, source, source.tree)
        value = getattr(importlib.import_module(module_name), name, None)
        if not isinstance(value, str):
            raise Unresolved(f"{module_name}.{name}")
        return {value}

    def resolve(self, expr: ast.expr, module: Module) -> set[str]:
        """Every string ``expr`` can be, as far as the source says."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str | None):
            return set() if expr.value is None else {expr.value}
        if isinstance(expr, ast.IfExp):
            return self.resolve(expr.body, module) | self.resolve(expr.orelse, module)
        if isinstance(expr, ast.JoinedStr):
            parts = [
                self.resolve(p.value if isinstance(p, ast.FormattedValue) else p, module)
                for p in expr.values
            ]
            return {"".join(combination) for combination in itertools.product(*parts)}
        if (
            isinstance(expr, ast.Attribute)
            and isinstance(expr.value, ast.Name)
            and expr.value.id in ("self", "cls")
        ):
            return self.class_attribute(expr.attr, module, expr)
        if isinstance(expr, ast.Name):
            return self.name(expr.id, module, expr)
        raise Unresolved(ast.unparse(expr))

    @staticmethod
    def passed_on(module: Module, expr: ast.expr) -> Sink | None:
        """When ``expr`` is a parameter of its function, the function passes it on: the
        calls to that function are then where the value comes from."""
        function = next(module.functions(expr), None)
        if not isinstance(expr, ast.Name) or function is None:
            return None
        positional = module.positional(function)
        if expr.id in positional:
            return Sink(function.name, positional.index(expr.id), expr.id)
        if expr.id in [a.arg for a in function.args.kwonlyargs]:
            return Sink(function.name, None, expr.id)
        return None

    def scan(self, seeds: set[Sink]) -> Scan:
        """Follow ``seeds``: literal arguments are collected, a parameter passed on makes
        its function a sink too, until no new sink appears."""
        sinks = set(seeds)
        while True:
            result, found = Scan({}, []), set()
            for module in self.modules:
                for call in (n for n in ast.walk(module.tree) if isinstance(n, ast.Call)):
                    for sink in sinks:
                        argument = sink.argument(call, module)
                        if argument is None:
                            continue
                        passed_on = self.passed_on(module, argument)
                        if passed_on is not None:
                            found.add(passed_on)
                            continue
                        try:
                            values = self.resolve(argument, module)
                        except Unresolved as exc:
                            result.problems.append(f"{module.where(call)}: {exc}")
                            continue
                        for value in values:
                            result.values.setdefault(value, []).append(module.where(call))
            if found <= sinks:
                return result
            sinks |= found

    def event_sinks(self) -> set[Sink]:
        """The public functions that take an ``event_type`` (``emit``, ``emit_select``, the
        importer's set-based ``emit_rows``…) and the dataclasses that carry one
        (``EventRow``)."""
        sinks = set()
        for module in self.modules:
            for node in ast.walk(module.tree):
                if isinstance(node, Function) and not node.name.startswith("_"):
                    positional = module.positional(node)
                    if "event_type" in positional:
                        sinks.add(Sink(node.name, positional.index("event_type"), "event_type"))
                if isinstance(node, ast.ClassDef) and any(
                    "dataclass" in ast.unparse(d) for d in node.decorator_list
                ):
                    fields = [
                        s.target.id
                        for s in node.body
                        if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
                    ]
                    if "event_type" in fields:
                        sinks.add(Sink(node.name, fields.index("event_type"), "event_type"))
        return sinks

    def called(self) -> set[str]:
        """The names of everything called somewhere (``f(…)``, ``x.f(…)``)."""
        return {
            node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            for module in self.modules
            for node in ast.walk(module.tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
        }

    def coroutines(self, *, first: str, returns: str | None = None) -> set[str]:
        """``module:function`` of each top-level coroutine function whose first parameter
        is annotated ``first`` (with ``returns``: its only parameter, and that return)."""
        found = set()
        for module in self.modules:
            for node in module.tree.body:
                if not isinstance(node, ast.AsyncFunctionDef) or not node.args.args:
                    continue
                annotation = node.args.args[0].annotation
                if annotation is None or ast.unparse(annotation) != first:
                    continue
                if returns is not None and (
                    len(node.args.args) != 1
                    or node.returns is None
                    or ast.unparse(node.returns) != returns
                ):
                    continue
                found.add(f"{module.name}:{node.name}")
        return found


SOURCE = Source.package(SRC)


@functools.cache
def _emitted() -> Scan:
    return SOURCE.scan(SOURCE.event_sinks())


def _submit_sink() -> set[Sink]:
    parameters = list(inspect.signature(JobService.submit).parameters)[1:]  # after self
    return {Sink("submit", parameters.index("kind"), "kind", JobService.__name__)}


@functools.cache
def _submitted() -> Scan:
    """Job kinds given to ``JobService(…).submit`` (directly, or through a parameter)."""
    return SOURCE.scan(_submit_sink())


def _named(function: object) -> str:
    return f"{getattr(function, '__module__', '?')}:{getattr(function, '__qualname__', '?')}"


# --- event types ------------------------------------------------------------------------


def test_every_emitted_event_type_is_registered() -> None:
    scan = _emitted()
    assert scan.problems == [], "emit event types the scan can read (literals, constants)"
    unregistered = {name: where for name, where in scan.values.items() if name not in EVENT_TYPES}
    assert unregistered == {}, "add them to asn_career.core.registry.EVENT_TYPES"


def test_every_registered_event_type_is_emitted() -> None:
    emitted = set(_emitted().values)
    assert set(EVENT_TYPES) - emitted == set()


def test_event_types_fit_the_outbox_and_say_what_they_announce() -> None:
    for name, description in EVENT_TYPES.items():
        assert re.fullmatch(r"[a-z][a-z_]*(\.[a-z][a-z_]*){1,2}", name), name  # domain[.thing].verb
        assert len(name) <= 64, name  # outbox_events.event_type is String(64)
        assert description.strip(), name


def test_the_scan_reads_constants_f_strings_loops_helpers_and_class_attributes() -> None:
    """The shapes the services and the importer emit with are all read; a type the scan
    cannot read is reported, not skipped."""
    source = Source([Module.parse("example", Path("example.py"), EXAMPLE)])
    scan = source.scan(source.event_sinks())
    assert sorted(scan.values) == [
        "cycle.created",
        "cycle.updated",
        "helper.used",
        "plan.changed",
        "training.planned",
    ]
    assert scan.problems == ["example.py:20: payload['type']"]


EXAMPLE = """
PLANNED = "training.planned"

async def emit(session, event_type, payload, agency_code): ...

class Base:
    event_type = None
    async def save(self, session):
        await emit(session, self.event_type, {}, "x")

class Plan(Base):
    event_type = "plan.changed"

async def loop(session, payload):
    for verb, _ in (("created", 1), ("updated", 2)):
        name = f"cycle.{verb}"
        await emit(session, name, {}, "x")
    await emit(session, PLANNED, {}, "x")
    await emit(session, None, {}, "x")
    await emit(session, payload["type"], {}, "x")

async def helper(session, *, event=None):
    await emit(session, event, {}, "x")

async def caller(session):
    await helper(session, event="helper.used")
"""


def test_the_scan_follows_job_kinds_into_job_service_submit() -> None:
    source = Source(
        [
            Module.parse("example.kinds", Path("kinds.py"), 'SYNC = "example.sync"\n'),
            Module.parse("example.service", Path("service.py"), SUBMITS),
        ]
    )
    scan = source.scan(_submit_sink())
    assert sorted(scan.values) == ["example.run", "example.sync"]
    assert scan.problems == []


SUBMITS = """
from example.kinds import SYNC

async def direct(session, queue):
    await JobService(session, None).submit(queue, "example.run", {}, None)

async def named(session, queue):
    jobs = JobService(session, None)
    await jobs.submit(queue, SYNC, {}, None)

async def other(service, queue):
    await service.submit(queue, "not.a.job", {}, None)
"""


async def test_emit_refuses_an_unregistered_event_type(app: FastAPI) -> None:
    """At run time too, whichever way the event is written; nothing reaches the outbox."""
    rows = select(literal(AGENCY_A).label("agency_code"), func.jsonb_build_object())
    async with app.state.sessionmaker() as session:
        with pytest.raises(UnknownEventType):
            await emit(session, "employee.vanished", {}, AGENCY_A)
        with pytest.raises(UnknownEventType):
            await emit_many(session, [EventRow("employee.vanished", {}, AGENCY_A)])
        with pytest.raises(UnknownEventType):
            await emit_select(session, "employee.vanished", rows)
        assert await session.scalar(select(func.count()).select_from(OutboxEvent)) == 0


# --- job kinds and outbox consumers -----------------------------------------------------


def test_every_submitted_job_kind_is_registered() -> None:
    scan = _submitted()
    assert scan.problems == [], "submit job kinds the scan can read (literals, constants)"
    unregistered = {k: where for k, where in scan.values.items() if k not in registry.JOB_KINDS}
    assert unregistered == {}, "add them to asn_career.registry.JOB_KINDS"
    assert set(registry.JOB_KINDS) - set(scan.values) == set(), "registered, never submitted"


def test_every_job_handler_is_registered_and_every_kind_has_one() -> None:
    written = SOURCE.coroutines(first="JobContext")
    listed = {_named(handler) for handler in registry.JOB_KINDS.values()}
    assert written == listed
    for kind, handler in registry.JOB_KINDS.items():
        assert inspect.iscoroutinefunction(handler), kind


def test_every_outbox_consumer_is_registered() -> None:
    """A consumer's shape (sessionmaker → events taken) that no code calls runs only if
    the worker is given it."""
    shaped = SOURCE.coroutines(first="async_sessionmaker[AsyncSession]", returns="int")
    called = SOURCE.called()
    uncalled = {name for name in shaped if name.partition(":")[2] not in called}
    listed = {_named(consumer) for consumer in registry.OUTBOX_CONSUMERS.values()}
    periodic = {_named(task.run) for task in registry.PERIODIC_TASKS.values()}
    assert uncalled - listed - periodic == set(), (
        "add them to asn_career.registry.OUTBOX_CONSUMERS (or PERIODIC_TASKS)"
    )
    assert listed <= shaped


def test_the_app_and_the_worker_take_their_work_from_the_registry(app: FastAPI) -> None:
    queue = app.state.job_queue
    assert queue.job_kinds == dict(registry.JOB_KINDS)
    assert "asn.run_job" in queue.app.tasks
    assert "asn.dispatch_outbox" in queue.app.tasks
    for name in registry.PERIODIC_TASKS:
        assert name in queue.app.tasks, name


# --- API-key scopes ---------------------------------------------------------------------


def _route_scopes(app: FastAPI) -> set[str]:
    """The scopes the routes ask for (``authorize``), from their dependency trees."""
    found: set[str] = set()

    def walk(dependant: Any) -> None:
        scope = getattr(dependant.call, "scope", None)
        if isinstance(scope, str):
            found.add(scope)
        for sub in dependant.dependencies:
            walk(sub)

    for context in iter_route_contexts(app.routes):
        dependant = getattr(context.original_route, "dependant", None)
        if dependant is not None:
            walk(dependant)
    return found


def test_every_route_scope_is_registered_and_every_registered_scope_is_used() -> None:
    used = _route_scopes(create_app(Settings(env="test", log_level="WARNING")))
    assert used - set(API_KEY_SCOPES) == set()
    assert set(API_KEY_SCOPES) - used == set(), "registered, asked for by no route"
    for scope, description in API_KEY_SCOPES.items():
        assert re.fullmatch(r"[a-z][a-z-]*:[a-z]+", scope), scope
        assert description.strip(), scope


def test_authorize_refuses_an_unregistered_scope() -> None:
    with pytest.raises(ValueError, match="'employees:fly' is not registered"):
        authorize(Role.ADMIN, scope="employees:fly")
