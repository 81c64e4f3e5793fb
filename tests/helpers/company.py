"""A small company dataset written in a shorthand the bundled model has never seen."""

from __future__ import annotations

import numpy as np
import pandas as pd

SHORTHAND = {
    "not_decision_maker": ["NDM", "hängt an der Zentrale", "ZE entscheidet", "nur SB", "GF-Thema", "Freigabe Holding"],
    "too_early": ["Stufe 0", "Sondierung", "nur Radar", "Phase Null", "Lesezeichen"],
    "no_budget": ["KB", "Topf leer", "0 Euro frei", "Etat zu", "Rotstift"],
    "bad_timing": ["WV später", "Parkplatz", "nach Rollout", "on hold Umzug", "Wiedervorlage Herbst"],
    "unreachable": ["NE", "LVM", "AB voll", "tot gestellt", "Funkstille"],
    "no_need": ["KBD", "null Schmerz", "läuft rund", "kein Thema", "Abwinker"],
    "existing_solution": ["hat Zorbo", "Zorbo-Kunde", "Eigenbau Excel", "Zorbo verlängert", "Altsystem Pex"],
    "bad_fit": ["unter Schwelle", "Kleinstkunde", "Ausland-Nicht-DACH", "Branche rot", "B2C"],
    "invalid_lead": ["Quatsch-Lead", "Fakedaten", "Bewerber", "Mitbewerb spioniert", "Bouncer"],
    "duplicate_or_customer": ["Dubl.", "Bestand", "läuft bei KAM", "schon Opp", "Partnerkonto"],
    "other": ["s.o.", "vgl. Ticket", "raus", "TL-Entscheid", "erl."],
}
REPS = ["MK", "JS", "TB", "AH"]


def company_notes(n_per_label: int, seed: int) -> pd.DataFrame:
    """Notes built from the shorthand with prefixes, ticket numbers and case changes."""
    rng = np.random.default_rng(seed)
    rows = []
    for label, codes in SHORTHAND.items():
        for _ in range(n_per_label):
            code = codes[rng.integers(len(codes))]
            prefix = f"{rng.integers(1, 29):02d}.{rng.integers(1, 13):02d}. {REPS[rng.integers(len(REPS))]} - " if rng.random() < 0.5 else ""
            suffix = f" #{rng.integers(1000, 9999)}" if rng.random() < 0.4 else ""
            text = prefix + (code.upper() if rng.random() < 0.2 else code) + suffix
            rows.append({"text": text, "label": label})
    return pd.DataFrame(rows)
