"""Demo data: five city governments, their organisation, and their staff with histories.

``seed_demo(settings, url, employees_per_agency=300, seed=1)`` loads, in one transaction,
the agencies of the seed regions (``36.74`` Kota Tangerang Selatan, ``53.71`` Kota Kupang
with Kecamatan Alak ``53.71.01``, ``36.73`` Kota Serang, ``21.72`` Kota Tanjungpinang,
``12.71`` Kota Medan) and, per agency, what each domain generator makes. Everything follows
from ``seed`` (and the reference date ``as_of``, today by default): the same seed gives the
same people. Bulk rows are generated in chunks in a worker thread (worker processes for
large loads) and streamed with ``COPY``, so a million employees load in minutes with flat
memory.

The package, one module per concern:

- ``base``: the seed regions, deterministic ids and randomness, and ``DomainGenerator``;
- ``org``: technical competencies, units, positions and their requirements;
- ``profiles``: employees and their histories;
- ``feedback``: a published 360° cycle per agency; ``training``: a course catalogue, last
  year's enrolments and requests (both through their domain's services, after the load);
- ``seed``: the orchestrator (``seed_demo``, ``DemoSummary``, ``DemoDataExists``, COPY).

Each domain's generator uses that domain's own rules and vocabularies (``org.ranks``,
``org.rules``, ``profiles.nip``, ``profiles.histories.rules``) and restates none of them.

To add a domain's demo data (360° cycles, a training catalogue, mentoring pools), write
``demo/<domain>.py`` with a ``DomainGenerator`` subclass and append it to ``seed.DOMAINS``
after the generators it depends on; no other module changes. The subclass declares:

- ``tables``: the tables its ``batches`` fill, with their COPY columns (references first);
- ``reference_tables``: the tables its ``setup`` fills;
- ``id_tags``: the kinds of row it makes ids for, with tags no other generator uses;

and overrides what it needs:

- ``async setup(conn, agency)``: small reference rows on the loader's connection, before
  any batch (a catalogue, a cycle); it returns the rows loaded per table;
- ``batches(agency)``: the bulk rows, pure and deterministic (it runs in a worker);
- ``async after_load_agency(sessionmaker, agency)``: once the bulk rows are committed, work
  done through the domain's own services (a cycle opened, answered and published), so it
  passes every rule the API applies; it returns the rows made per table.

What one generator makes for an agency and a later one needs goes on the ``Agency`` under a
typed ``Fact`` (the organisation leaves ``org.ORGANISATION``, which the profiles read).
"""

from asn_career.demo.base import REGIONS
from asn_career.demo.seed import (
    DEFAULT_EMPLOYEES_PER_AGENCY,
    DEFAULT_SEED,
    DOMAINS,
    DemoDataExists,
    DemoSummary,
    seed_demo,
)

__all__ = [
    "DEFAULT_EMPLOYEES_PER_AGENCY",
    "DEFAULT_SEED",
    "DOMAINS",
    "REGIONS",
    "DemoDataExists",
    "DemoSummary",
    "seed_demo",
]
