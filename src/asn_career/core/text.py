"""Text that Postgres can store: refused as bad input (422) rather than failing as a 500."""

from pydantic import AfterValidator


def storable(value: str) -> str:
    """Postgres text holds neither NUL characters nor lone surrogates."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode") from exc
    return value


Storable = AfterValidator(storable)
"""Add to any ``Annotated[str, …]`` that reaches the database."""
