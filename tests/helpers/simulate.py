"""Simulated CRM exports with and without planted effects, for the trend and alert tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from classifier.taxonomy import default_taxonomy

BASE_MIX = {
    "not_decision_maker": 0.10, "too_early": 0.12, "no_budget": 0.10, "bad_timing": 0.10, "unreachable": 0.12,
    "no_need": 0.12, "existing_solution": 0.10, "bad_fit": 0.08, "invalid_lead": 0.08, "duplicate_or_customer": 0.04,
    "other": 0.04,
}
OWNERS = ["Maria Schneider", "Tom Becker", "Jonas Wolf", "Lena Hofmann", "Ali Yilmaz", "Sophie Martin", "Jan Kowalski", "Eva Berg"]
SOURCES = ["Paid Search", "Organic Search", "Webinar", "Trade Show", "Referral"]


# The alerts that simulate_rejections(planted=True) must raise, and no others.
PLANTED = {
    ("owner", "Maria Schneider", "not_decision_maker"),
    ("source", "Webinar", "too_early"),
    ("period", "2026-Q3", "weak"),
    ("owner", "Tom Becker", "picklist_mismatch"),
}


def _draw(rng, mix: dict[str, float], size: int) -> np.ndarray:
    labels = list(mix)
    p = np.array([mix[l] for l in labels])
    return rng.choice(labels, size=size, p=p / p.sum())


def _boost(mix: dict[str, float], label: str, share: float) -> dict[str, float]:
    rest = {k: v for k, v in mix.items() if k != label}
    scale = (1 - share) / sum(rest.values())
    return {**{k: v * scale for k, v in rest.items()}, label: share}


def _with_weak_share(mix: dict[str, float], share: float) -> dict[str, float]:
    """``mix`` rescaled so the weak reasons together have ``share``, keeping their proportions."""
    weak = default_taxonomy().weak_labels
    total = sum(v for k, v in mix.items() if k in weak)
    return {k: v * (share / total if k in weak else (1 - share) / (1 - total)) for k, v in mix.items()}


def simulate_rejections(
    seed: int = 0,
    n: int = 2400,
    planted: bool = False,
    months: int = 12,
    owners: int | None = None,
    *,
    start: str = "2025-10-01",
    end: str | None = None,
    shift: str | None = None,
    shift_weak: float = 0.78,
    owner_shift: tuple[str, str, str] | None = None,
) -> pd.DataFrame:
    """A rejections frame (reason, weak, needs_review, date, owner, source, picklist_reason).

    With ``planted``: Maria Schneider rejects 35% as not_decision_maker, 'Webinar' leads are 40%
    too_early, the last quarter's weak share rises, and Tom Becker's picklist disagrees with his
    notes half the time. ``owners``: that many reps ("Rep 01", ...) instead of the eight names,
    for many small groups.

    Dates run from ``start`` over ``months`` months, or to ``end`` (inclusive) when given.
    Planted level shifts: from the date ``shift`` on, the weak share is ``shift_weak`` (58%
    before); ``owner_shift=(owner, label, date)``: from ``date`` on, that owner rejects 35% as
    ``label``.
    """
    rng = np.random.default_rng(seed)
    start = pd.Timestamp(start)
    span = 365 * months // 12 if end is None else (pd.Timestamp(end) - start).days + 1
    days = rng.integers(0, span, size=n)
    dates = start + pd.to_timedelta(days, unit="D")
    owners = rng.choice(OWNERS if owners is None else [f"Rep {i:02d}" for i in range(1, owners + 1)], size=n)
    sources = rng.choice(SOURCES, size=n)
    reasons = _draw(rng, BASE_MIX, n)
    if planted:
        maria = owners == "Maria Schneider"
        reasons[maria] = _draw(rng, _boost(BASE_MIX, "not_decision_maker", 0.35), int(maria.sum()))
        webinar = (sources == "Webinar") & ~maria
        reasons[webinar] = _draw(rng, _boost(BASE_MIX, "too_early", 0.40), int(webinar.sum()))
        late = (dates >= start + pd.DateOffset(months=months - 3)) & ~maria & ~webinar
        weak_mix = {k: v * (1.8 if k in default_taxonomy().weak_labels else 0.5) for k, v in BASE_MIX.items()}
        reasons[late] = _draw(rng, weak_mix, int(late.sum()))
    if shift is not None:
        after = dates >= pd.Timestamp(shift)
        reasons[after] = _draw(rng, _with_weak_share(BASE_MIX, shift_weak), int(after.sum()))
    if owner_shift is not None:
        who, label, since = owner_shift
        theirs = (owners == who) & (dates >= pd.Timestamp(since))
        reasons[theirs] = _draw(rng, _boost(BASE_MIX, label, 0.35), int(theirs.sum()))
    picklist = reasons.copy()
    flip = rng.random(n) < 0.05
    if planted:
        flip |= (owners == "Tom Becker") & (rng.random(n) < 0.5)
    picklist[flip] = _draw(rng, BASE_MIX, int(flip.sum()))
    weak = default_taxonomy().weak_labels
    return pd.DataFrame(
        {
            "reason": reasons,
            "weak": [r in weak for r in reasons],
            "needs_review": rng.random(n) < 0.03,
            "date": dates,
            "owner": owners,
            "source": sources,
            "picklist_reason": picklist,
            "picklist_mismatch": picklist != reasons,
        }
    )


PICKLIST = {
    "en": {
        "not_decision_maker": "Not the decision maker", "too_early": "Too early", "no_budget": "No budget",
        "bad_timing": "Bad timing", "unreachable": "Unable to reach", "no_need": "No need",
        "existing_solution": "Using a competitor", "bad_fit": "Not our target group", "invalid_lead": "Junk lead",
        "duplicate_or_customer": "Duplicate", "other": "Other",
    },
    "de": {
        "not_decision_maker": "Nicht der Entscheider", "too_early": "Zu früh", "no_budget": "Kein Budget",
        "bad_timing": "Falscher Zeitpunkt", "unreachable": "Nicht erreicht", "no_need": "Kein Bedarf",
        "existing_solution": "Nutzt Wettbewerber", "bad_fit": "Nicht Zielgruppe", "invalid_lead": "Ungültiger Lead",
        "duplicate_or_customer": "Dublette", "other": "Sonstiges",
    },
}


def write_export(frame: pd.DataFrame, path, lang: str = "en", seed: int = 0, open_rows: int = 40) -> None:
    """Write a rejections frame as a CRM export: notes drawn from the corpus for each reason.

    ``en``: Salesforce-like UTF-8 CSV with ISO dates and footer lines; ``de``: German Excel-like
    Windows-1252 semicolon CSV with dd.mm.yyyy dates. ``open_rows`` converted/open leads are
    mixed in and must be skipped by the analysis.
    """
    from training.corpus import load_corpus

    rng = np.random.default_rng(seed)
    corpus = load_corpus()
    corpus = corpus[corpus["lang"] == lang]
    by_label = {label: group["text"].tolist() for label, group in corpus.groupby("label")}
    notes = [by_label[r][rng.integers(len(by_label[r]))] for r in frame["reason"]]
    picklist = [PICKLIST[lang][r] for r in frame["picklist_reason"]]
    status = "Closed - Not Converted" if lang == "en" else "Disqualifiziert"
    rows = pd.DataFrame(
        {
            "id": [f"00Q{seed:03d}{i:09d}" for i in range(len(frame))],
            "owner": frame["owner"].to_numpy(),
            "source": frame["source"].to_numpy(),
            "status": status,
            "date": frame["date"].dt.strftime("%Y-%m-%d" if lang == "en" else "%d.%m.%Y").to_numpy(),
            "picklist": picklist,
            "note": notes,
        }
    )
    extra = rows.sample(open_rows, random_state=seed).assign(status="Converted" if lang == "en" else "Konvertiert")
    rows = pd.concat([rows, extra], ignore_index=True).sample(frac=1, random_state=seed)
    if lang == "en":
        rows.columns = ["Lead ID", "Lead Owner", "Lead Source", "Lead Status", "Last Modified Date", "Unqualified Reason", "Description"]
        text = rows.to_csv(index=False)
        text += '\n"Grand Totals (%d records)"\n"Confidential Information - Do Not Distribute"\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n' % len(rows)
        Path(path).write_text(text, encoding="utf-8")
    else:
        rows.columns = ["Lead-ID", "Lead-Inhaber", "Lead-Quelle", "Lead-Status", "Geändert am", "Ablehnungsgrund", "Beschreibung"]
        Path(path).write_bytes(rows.to_csv(index=False, sep=";").encode("cp1252", errors="replace"))
