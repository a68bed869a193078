"""A client generated from the committed OpenAPI document, as an integrator would make one
(openapi-python-client), comes out without a warning and with typed errors."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


def test_a_generated_client_has_no_warnings_and_typed_problems(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603
        [str(GENERATOR), "generate", "--path", str(ROOT / "openapi" / "openapi.json"),
         "--meta", "none", "--output-path", str(tmp_path / "client")],
        # Its post-generation hook formats with ruff, which the same environment holds.
        env={**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    listing = (tmp_path / "client" / "api" / "employees" / "employees_list.py").read_text()
    for status in (400, 401, 403, 422):
        assert f"response_{status} = ProblemDetail.from_dict" in listing
    field_error = (tmp_path / "client" / "models" / "field_error.py").read_text()
    assert "loc: list[int | str]" in field_error and "msg: str" in field_error
