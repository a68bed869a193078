"""Text that Postgres can store and people can trust: refused as bad input (422) rather
than failing as a 500 or showing other than it reads."""

import unicodedata

from pydantic import AfterValidator

from asn_career.core.i18n import BilingualValueError

_LAYOUT = frozenset("\t\n\r")
"""The only control characters a text may hold: a note keeps its line breaks."""


def storable(value: str) -> str:
    """NFC-normalised (one spelling of "é", so search and uniqueness hold), with neither
    NUL nor lone surrogates (Postgres holds neither), nor control characters, nor
    invisible formatting ones: a right-to-left override or a zero-width space makes
    ``"Siti\\u202eRahma"`` show as another name than the one stored."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BilingualValueError(
            "text must be valid Unicode", "teks harus berupa Unicode yang valid"
        ) from exc
    for character in value:
        category = unicodedata.category(character)
        if (category == "Cc" and character not in _LAYOUT) or category == "Cf":
            raise BilingualValueError(
                f"text must not contain control or invisible formatting characters "
                f"(U+{ord(character):04X})",
                f"teks tidak boleh memuat karakter kendali atau format tak terlihat "
                f"(U+{ord(character):04X})",
            )
    return unicodedata.normalize("NFC", value)


Storable = AfterValidator(storable)
"""Add to any ``Annotated[str, …]`` that reaches the database."""
