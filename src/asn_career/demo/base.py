"""What every demo generator shares: the seed regions, deterministic ids and randomness,
and the shape of a domain generator (``DomainGenerator``) that the orchestrator runs."""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar

T = TypeVar("T")

Rows = dict[str, list[tuple[Any, ...]]]
"""One batch of generated rows: table → rows, each row in the order of the table's columns."""

# --- the seed regions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    code: str
    city: str  # "Tangerang Selatan"
    domain: str  # e-mail domain
    nik_prefix: str  # 4 digits: province + city
    kecamatan: tuple[str, ...]
    surnames: tuple[str, ...]  # regional family names, mixed in with Faker's
    universities: tuple[str, ...]


REGIONS: tuple[Region, ...] = (
    Region(
        "36.74",
        "Tangerang Selatan",
        "tangerangselatankota.go.id",
        "3674",
        ("Serpong", "Serpong Utara", "Pondok Aren", "Ciputat", "Ciputat Timur", "Pamulang", "Setu"),
        ("Hidayat", "Suryadi", "Maulana", "Rahmawati", "Syarif", "Fauzi"),
        (
            "UIN Syarif Hidayatullah Jakarta",
            "Universitas Pamulang",
            "Universitas Indonesia",
            "Universitas Muhammadiyah Jakarta",
            "Poltekkes Kemenkes Banten",
        ),
    ),
    Region(
        "53.71",
        "Kupang",
        "kupangkota.go.id",
        "5371",
        ("Alak", "Maulafa", "Oebobo", "Kota Raja", "Kelapa Lima", "Kota Lama"),
        ("Fanggidae", "Ndun", "Manafe", "Messakh", "Tanone", "Amalo", "Bessie", "Lay", "Nope"),
        (
            "Universitas Nusa Cendana",
            "Universitas Kristen Artha Wacana",
            "Universitas Katolik Widya Mandira",
            "Poltekkes Kemenkes Kupang",
            "Politeknik Negeri Kupang",
        ),
    ),
    Region(
        "36.73",
        "Serang",
        "serangkota.go.id",
        "3673",
        ("Serang", "Kasemen", "Walantaka", "Curug", "Cipocok Jaya", "Taktakan"),
        ("Sobari", "Jamaludin", "Hasanudin", "Nurhayati", "Supriatna"),
        (
            "Universitas Sultan Ageng Tirtayasa",
            "UIN Sultan Maulana Hasanuddin Banten",
            "Universitas Serang Raya",
            "Poltekkes Kemenkes Banten",
        ),
    ),
    Region(
        "21.72",
        "Tanjungpinang",
        "tanjungpinangkota.go.id",
        "2172",
        ("Bukit Bestari", "Tanjungpinang Timur", "Tanjungpinang Kota", "Tanjungpinang Barat"),
        ("Abdullah", "Rusli", "Zulkifli", "Syahrial", "Azhar"),
        (
            "Universitas Maritim Raja Ali Haji",
            "STISIPOL Raja Haji",
            "Politeknik Negeri Batam",
            "Poltekkes Kemenkes Tanjungpinang",
        ),
    ),
    Region(
        "12.71",
        "Medan",
        "pemkomedan.go.id",
        "1271",
        (
            "Medan Tuntungan",
            "Medan Johor",
            "Medan Amplas",
            "Medan Denai",
            "Medan Area",
            "Medan Kota",
            "Medan Maimun",
            "Medan Polonia",
            "Medan Baru",
            "Medan Selayang",
            "Medan Sunggal",
            "Medan Helvetia",
            "Medan Petisah",
            "Medan Barat",
            "Medan Timur",
            "Medan Perjuangan",
            "Medan Tembung",
            "Medan Deli",
            "Medan Labuhan",
            "Medan Marelan",
            "Medan Belawan",
        ),
        (
            "Siregar",
            "Nasution",
            "Lubis",
            "Harahap",
            "Simanjuntak",
            "Sitompul",
            "Sinaga",
            "Pane",
            "Hutagalung",
            "Tarigan",
            "Ginting",
        ),
        (
            "Universitas Sumatera Utara",
            "Universitas Negeri Medan",
            "UIN Sumatera Utara",
            "Universitas Muhammadiyah Sumatera Utara",
            "Poltekkes Kemenkes Medan",
        ),
    ),
)
REGION_INDEX = {region.code: i for i, region in enumerate(REGIONS)}


# --- deterministic ids and randomness --------------------------------------------------------


class Ids:
    """UUIDv8 ids from (counter, kind, agency, seed), as text: deterministic, distinct and
    ascending, which suits the B-tree indexes (and costs far less than ``uuid.UUID``).

    ``kinds`` gives each kind of row a tag of its own (a domain generator declares its
    kinds in ``id_tags``; tags are unique across generators, so ids never collide). The
    counter leads: btree_gist (the exclusion constraint on assignments) tells uuids apart by
    their first bytes, so a shared prefix would make its index degenerate.
    """

    def __init__(self, seed: int, agency_index: int, kinds: Mapping[str, int]) -> None:
        tag = (seed * 2654435761) & 0xFFFFFFFFFFFF
        self.suffixes = {
            kind: f"-{code:04x}-8{agency_index:03x}-8000-{tag:012x}" for kind, code in kinds.items()
        }
        self.counters = dict.fromkeys(kinds, 0)

    def new(self, kind: str) -> str:
        n = self.counters[kind] + 1
        self.counters[kind] = n
        return f"{n:08x}{self.suffixes[kind]}"


def randint(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint`` at a fraction of its cost (the generator calls it millions of times)."""
    return low + int(rng.random() * (high - low + 1))


def pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# --- domain generators -----------------------------------------------------------------------


@dataclass(frozen=True)
class Demo:
    """What one run asks for; everything generated follows from it."""

    employees_per_agency: int
    seed: int
    as_of: date


@dataclass(frozen=True)
class Fact(Generic[T]):
    """A typed key for what one domain generator leaves on an ``Agency`` for the later
    ones (the organisation for the profiles, say). Equal by name, so it survives pickling
    into a worker process."""

    name: str


@dataclass
class Agency:
    """One seed agency while it is generated: its region and the facts left so far."""

    region: Region
    facts: dict[Fact[Any], Any] = field(default_factory=dict)

    @property
    def index(self) -> int:
        return REGION_INDEX[self.region.code]

    def put(self, fact: Fact[T], value: T) -> None:
        self.facts[fact] = value

    def get(self, fact: Fact[T]) -> T:
        value: T = self.facts[fact]
        return value


class DomainGenerator:
    """The demo data of one domain. Subclasses override what they need:

    - ``setup`` loads small reference rows for an agency on the loader's connection, inside
      its transaction, before any batch (it may read ids the database assigns);
    - ``batches`` yields the bulk rows of an agency for ``tables``; it is pure and
      deterministic, and runs in a worker thread or process, after every generator's setup.
    """

    tables: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    """The tables ``batches`` fills, in load order (references first), with their COPY columns."""
    reference_tables: ClassVar[tuple[str, ...]] = ()
    """The tables ``setup`` fills (analysed after the load)."""
    id_tags: ClassVar[Mapping[str, int]] = {}
    """Kinds of row this generator makes ids for, each with a tag unique across generators."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo

    def new_ids(self, agency: Agency) -> Ids:
        return Ids(self.demo.seed, agency.index, self.id_tags)

    async def setup(self, conn: Any, agency: Agency) -> Mapping[str, int]:
        """Load the agency's reference rows; return the rows loaded per table."""
        return {}

    def batches(self, agency: Agency) -> Iterator[Rows]:
        return iter(())

    async def after_load(self, sessionmaker: Any, agencies: Sequence[Agency]) -> Mapping[str, int]:
        """Work done through the domain's own services once the bulk rows are committed
        (a 360° cycle opened, answered and published), so it passes every rule the API
        applies: ``after_load_agency`` for each agency; returns the rows made per table."""
        made: dict[str, int] = {}
        for agency in agencies:
            for table, rows in (await self.after_load_agency(sessionmaker, agency)).items():
                made[table] = made.get(table, 0) + rows
        return made

    async def after_load_agency(self, sessionmaker: Any, agency: Agency) -> Mapping[str, int]:
        return {}
