"""Numbers as a report prints them: one way per language, in tables and sentences alike."""

from __future__ import annotations


def percent(x: float | None, lang: str = "en") -> str:
    """'64%' in English, '64 %' in German (DIN 5008, with a plain space), '' for a missing share."""
    if x is None:
        return ""
    return f"{x:.0%}" if lang != "de" else f"{x * 100:.0f} %"


def count(n: int, lang: str = "en") -> str:
    """'1,812' in English, '1.812' in German."""
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "de" else text
