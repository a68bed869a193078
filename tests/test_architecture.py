"""The layer contracts see every integration subpackage: a router that imports a repository
in any of them breaks a contract (before the subpackages, ``webhooks_router.py`` could)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    shutil.copytree(ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("*.egg-info"))
    return tree


def test_the_contracts_hold_as_committed(pristine: Path) -> None:
    result = _lint(pristine)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("domain", "subpackage"),
    [
        ("imports", "files"),
        ("imports", "exports"),
        ("imports", "siasn"),
        ("imports", "webhooks"),
        ("feedback", "questionnaires"),
        ("feedback", "cycles"),
        ("feedback", "responses"),
        ("feedback", "public"),
        ("feedback", "reports"),
        ("feedback", "results"),
        ("training", "development_plans"),
        ("rotations", "moves"),
        ("rotations", "policy"),
        ("rotations", "eligibility"),
        ("rotations", "fit"),
        ("rotations", "rounds"),
        ("rotations", "relatives"),
        ("rotations", "history"),
        ("mentoring", "programs"),
        ("mentoring", "pools"),
        ("mentoring", "matchings"),
        ("mentoring", "matches"),
        ("mentoring", "summary"),
        ("talent", "surveys"),
        ("talent", "evaluation"),  # talent.reports has no repository: it reads evaluation's
        ("talent", "policy"),
        ("talent", "ninebox"),
        ("talent", "professionalism"),
    ],
)
def test_a_router_importing_a_repository_breaks_a_contract(
    pristine: Path, tmp_path: Path, domain: str, subpackage: str
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    package = tree / "src" / "asn_career" / domain / subpackage
    router = package / "router.py"
    if not router.exists():  # SIASN has no routes of its own: its command is the entry point
        router.write_text('"""A router added later."""\n')
    with router.open("a") as source:
        source.write(f"\nfrom asn_career.{domain}.{subpackage} import repository  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert f"asn_career.{domain}.{subpackage}.router" in result.stdout
