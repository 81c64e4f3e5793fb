"""Monthly exports as `classify` writes them (prediction columns included, so no model is assumed)."""

from pathlib import Path

import pandas as pd

WEAK = {"too_early", "bad_timing", "no_budget", "not_decision_maker", "unreachable", "other"}
REASONS = ["too_early", "too_early", "no_budget", "not_decision_maker", "existing_solution", "bad_fit", "invalid_lead", "no_need"]
OWNERS = ["Anna Berg", "Ben Kraus", "Cem Yilmaz", "Dana Vogt"]
SOURCES = ["Webinar", "Paid Search", "Messe", "Referral"]
COLUMNS = ["Lead ID", "Lead Owner", "Lead Source", "Lead Status", "Description", "Close Date",
           "reason", "confidence", "reason_2", "weak", "needs_review", "challenge", "note_lang"]


def lead_row(lead: int, month: int, status: str = "Unqualified", rng=None) -> dict:
    reason = REASONS[lead % len(REASONS)]
    day = 1 + lead % 27
    return {"Lead ID": f"L{lead:05d}", "Lead Owner": OWNERS[lead % 4], "Lead Source": SOURCES[(lead // 4) % 4],
            "Lead Status": status, "Description": f"Notiz {lead}: {reason.replace('_', ' ')}", "Close Date": f"2026-{month:02d}-{day:02d}",
            "reason": reason, "confidence": 0.9, "reason_2": "other", "weak": reason in WEAK, "needs_review": False,
            "challenge": "", "note_lang": "de"}


def write(rows: list[dict], path: Path) -> Path:
    pd.DataFrame(rows, columns=COLUMNS).to_csv(path, index=False)
    return path
