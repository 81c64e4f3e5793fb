"""Trend reports over classified rejections: reason mix per period, owners and sources against the
rest, and alerts with statistical support.

Everything here is a pure function of a *rejections frame*: one row per rejection with the columns
``reason``, ``weak``, ``needs_review``, ``date`` (datetime or NaT), ``owner``, ``source`` and,
optionally, ``picklist_reason`` (the picklist value mapped to a label). Rendering lives in
:mod:`classifier.reports.rendering`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from classifier.reports.statistics import benjamini_hochberg, proportion_p_value
from classifier.taxonomy import Taxonomy

PERIODS = ("week", "month", "quarter")
NONE = "(none)"


@dataclass(frozen=True)
class AlertRules:
    """When a difference is worth a leader's time.

    A group needs ``min_n`` rejections (and so does the rest), its share must exceed the
    baseline by ``min_effect`` (absolute) and by Cohen's h >= ``min_h`` (so 20% against 10%
    counts, 62% against 52% does not), and the one-sided
    test's p-value, Benjamini-Hochberg-adjusted over every comparison in the report, must be
    below ``alpha``.
    """

    min_n: int = 30
    min_effect: float = 0.10
    min_h: float = 0.25
    alpha: float = 0.05


def cohens_h(p1: float, p2: float) -> float:
    """Effect size of two proportions: 0.2 small, 0.5 medium, 0.8 large.

    >>> round(cohens_h(0.2, 0.1), 2)
    0.28
    """
    return float(2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2)))


def period_label(dates: pd.Series, period: str = "month") -> pd.Series:
    """'2026-W43', '2026-10' or '2026-Q4' for each date; '' where the date is missing.

    >>> period_label(pd.Series(pd.to_datetime(["2026-10-30", None])), "quarter").tolist()
    ['2026-Q4', '']
    """
    if period not in PERIODS:
        raise ValueError(f"Got period {period!r} but expected one of {PERIODS}.")
    dates = pd.to_datetime(dates)
    valid = dates.notna()
    out = pd.Series("", index=dates.index, dtype=object)
    if not valid.any():
        return out
    d = dates[valid]
    if period == "month":
        out[valid] = d.dt.strftime("%Y-%m")
    elif period == "quarter":
        out[valid] = d.dt.year.astype(str) + "-Q" + d.dt.quarter.astype(str)
    else:
        iso = d.dt.isocalendar()
        out[valid] = iso["year"].astype(str) + "-W" + iso["week"].astype(int).map("{:02d}".format)
    return out


def _period_end(label: str, period: str) -> pd.Timestamp:
    if period == "month":
        return pd.Timestamp(label + "-01") + pd.offsets.MonthEnd(0)
    if period == "quarter":
        year, q = label.split("-Q")
        return pd.Timestamp(f"{year}-{int(q) * 3:02d}-01") + pd.offsets.MonthEnd(0)
    year, week = label.split("-W")
    return pd.Timestamp.fromisocalendar(int(year), int(week), 7)


def _year_before(label: str, period: str) -> str:
    year, rest = label.split("-", 1)
    return f"{int(year) - 1}-{rest}"


def reason_mix(frame: pd.DataFrame, taxonomy: Taxonomy, period: str = "month", until=None) -> list[dict]:
    """Per period: number of rejections, weak share, share of each reason, and whether it is complete."""
    labels = period_label(frame["date"], period)
    dated = frame[labels != ""]
    if dated.empty:
        return []
    last = pd.Timestamp(until) if until is not None else pd.to_datetime(dated["date"]).max()
    rows = []
    for name, group in dated.groupby(labels[labels != ""], sort=True):
        counts = group["reason"].value_counts()
        rows.append(
            {
                "period": name,
                "n": int(len(group)),
                "weak_share": round(float(group["weak"].mean()), 4),
                "shares": {label: round(float(counts.get(label, 0) / len(group)), 4) for label in taxonomy.labels},
                "complete": bool(last.normalize() >= _period_end(name, period)),
            }
        )
    return rows


def latest_comparison(periods: list[dict], period: str = "month") -> dict | None:
    """The latest complete period against the one before and the same period a year earlier."""
    complete = [p for p in periods if p["complete"]]
    if not complete:
        return None
    latest = complete[-1]
    by_name = {p["period"]: p for p in periods}
    names = [p["period"] for p in periods]
    before = periods[names.index(latest["period"]) - 1] if names.index(latest["period"]) > 0 else None
    year_ago = by_name.get(_year_before(latest["period"], period))

    def brief(p: dict | None) -> dict | None:
        return None if p is None else {"period": p["period"], "n": p["n"], "weak_share": p["weak_share"], "shares": p["shares"]}

    return {"latest": brief(latest), "previous": brief(before), "year_ago": brief(year_ago)}


def group_profiles(frame: pd.DataFrame, column: str, taxonomy: Taxonomy) -> list[dict]:
    """Per value of ``column`` (owner, source, ...): n, weak share and reason shares against the rest."""
    rows = []
    values = frame[column].replace("", NONE)
    for name, group in frame.groupby(values, sort=True):
        rest = frame[values != name]
        counts = group["reason"].value_counts()
        rest_counts = rest["reason"].value_counts()
        row = {
            "name": str(name),
            "n": int(len(group)),
            "weak_share": round(float(group["weak"].mean()), 4),
            "baseline_weak_share": round(float(rest["weak"].mean()), 4) if len(rest) else None,
            "shares": {label: round(float(counts.get(label, 0) / len(group)), 4) for label in taxonomy.labels},
            "baseline_shares": {
                label: round(float(rest_counts.get(label, 0) / len(rest)), 4) if len(rest) else None
                for label in taxonomy.labels
            },
        }
        if "picklist_mismatch" in frame:
            row["picklist_mismatch"] = round(float(group["picklist_mismatch"].mean()), 4)
        rows.append(row)
    return sorted(rows, key=lambda r: -r["n"])


def _metric_hits(frame: pd.DataFrame, metrics: list[str]) -> dict[str, np.ndarray]:
    hits = {"weak": frame["weak"].to_numpy(bool)}
    for metric in metrics:
        if metric == "picklist_mismatch":
            hits[metric] = frame["picklist_mismatch"].to_numpy(bool)
        elif metric != "weak":
            hits[metric] = (frame["reason"] == metric).to_numpy(bool)
    return hits


def _candidates(frame, scope, column, metrics, rules) -> list[dict]:
    """Each group of ``column`` against the rest of the frame, for every metric."""
    out = []
    values = frame[column].replace("", NONE).to_numpy(object)
    hits = _metric_hits(frame, metrics)
    for name in pd.unique(values):
        if name == NONE:
            continue
        inside = values == name
        n_in, n_out = int(inside.sum()), int((~inside).sum())
        if n_in < rules.min_n or n_out < rules.min_n:
            continue
        for metric in metrics:
            if metric == "picklist_mismatch" and scope != "owner":
                continue
            h = hits[metric]
            k_in, k_out = int(h[inside].sum()), int(h[~inside].sum())
            out.append(_candidate(scope, str(name), metric, k_in, n_in, k_out, n_out))
    return out


def _candidate(scope, subject, metric, k, n, k_base, n_base, compared_to=None) -> dict:
    return {
        "scope": scope,
        "subject": subject,
        "metric": metric,
        "share": round(k / n, 4) if n else 0.0,
        "baseline": round(k_base / n_base, 4) if n_base else 0.0,
        "n": n,
        "baseline_n": n_base,
        "p_value": proportion_p_value(k, n, k_base, n_base),
        "compared_to": compared_to,
    }


def _period_candidates(frame, period, metrics, rules, until) -> list[dict]:
    """The latest complete period against the one before and against the same period a year earlier."""
    labels = period_label(frame["date"], period)
    dated = frame[labels != ""]
    labels = labels[labels != ""]
    if dated.empty:
        return []
    last = pd.Timestamp(until) if until is not None else pd.to_datetime(dated["date"]).max()
    complete = sorted(p for p in labels.unique() if last.normalize() >= _period_end(p, period))
    if not complete:
        return []
    latest = complete[-1]
    ordered = sorted(labels.unique())
    position = ordered.index(latest)
    references = []
    if position > 0:
        references.append(ordered[position - 1])
    if _year_before(latest, period) in set(ordered) and _year_before(latest, period) not in references:
        references.append(_year_before(latest, period))
    hits = _metric_hits(dated, metrics)
    now = (labels == latest).to_numpy()
    out = []
    for reference in references:
        before = (labels == reference).to_numpy()
        if now.sum() < rules.min_n or before.sum() < rules.min_n:
            continue
        for metric in metrics:
            if metric == "picklist_mismatch":
                continue
            h = hits[metric]
            out.append(_candidate("period", latest, metric, int(h[now].sum()), int(now.sum()), int(h[before].sum()), int(before.sum()), reference))
    return out


def find_alerts(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    period: str = "month",
    by: tuple[str, ...] = ("owner", "source"),
    rules: AlertRules = AlertRules(),
    lang: str = "en",
    until=None,
) -> list[dict]:
    """Alerts: shares well above the rest of the team (or the earlier period), with statistical support.

    Every comparison (each group or period, each metric) is tested one-sided; the p-values are
    Benjamini-Hochberg-adjusted together, and an alert also needs ``rules.min_n`` cases and an
    effect of at least ``rules.min_effect`` and ``rules.min_h``.
    """
    metrics = ["weak", *taxonomy.labels]
    if "picklist_mismatch" in frame:
        metrics.append("picklist_mismatch")
    candidates = []
    for column in by:
        if column in frame:
            candidates += _candidates(frame, column, column, metrics, rules)
    if "date" in frame:
        candidates += _period_candidates(frame, period, metrics, rules, until)
    if not candidates:
        return []
    q_values = benjamini_hochberg([c["p_value"] for c in candidates])
    alerts = []
    for candidate, q in zip(candidates, q_values):
        effect = candidate["share"] - candidate["baseline"]
        if q < rules.alpha and effect >= rules.min_effect and cohens_h(candidate["share"], candidate["baseline"]) >= rules.min_h:
            candidate["q_value"] = float(q)
            candidate["p_value"] = float(candidate["p_value"])
            candidate["message"] = alert_message(candidate, taxonomy, lang)
            alerts.append(candidate)
    return sorted(alerts, key=lambda a: (a["q_value"], -(a["share"] - a["baseline"])))


_MESSAGES = {
    "en": {
        "owner": "{subject} rejects {share} of leads as {what}, the rest of the team {baseline} (n={n}).",
        "source": "Leads from {subject}: {share} rejected as {what}, other sources {baseline} (n={n}).",
        "period": "{subject}: {share} of rejections as {what}, up from {baseline} in {compared_to} (n={n}).",
        "other": "{subject}: {share} of rejections as {what}, the rest {baseline} (n={n}).",
        "weak": "a weak reason",
        "picklist": "{subject}: the picklist reason disagrees with the note in {share} of rejections, the rest of the team {baseline} (n={n}).",
    },
    "de": {
        "owner": "{subject} lehnt {share} der Leads als {what} ab, das übrige Team {baseline} (n={n}).",
        "source": "Leads aus {subject}: {share} abgelehnt als {what}, andere Quellen {baseline} (n={n}).",
        "period": "{subject}: {share} der Absagen als {what}, zuvor {baseline} in {compared_to} (n={n}).",
        "other": "{subject}: {share} der Absagen als {what}, der Rest {baseline} (n={n}).",
        "weak": "schwacher Grund",
        "picklist": "{subject}: Picklisten-Grund und Notiz widersprechen sich in {share} der Absagen, das übrige Team {baseline} (n={n}).",
    },
}


def _pct(x: float, lang: str) -> str:
    return f"{x:.0%}" if lang == "en" else f"{x * 100:.0f} %"


def alert_message(alert: dict, taxonomy: Taxonomy, lang: str = "en") -> str:
    """The alert as one plain sentence a leader can act on, in English or German."""
    texts = _MESSAGES.get(lang, _MESSAGES["en"])
    quote = ("'{}'" if lang == "en" else "„{}“").format
    what = texts["weak"] if alert["metric"] == "weak" else quote(taxonomy.title(alert["metric"], lang))
    template = texts["picklist"] if alert["metric"] == "picklist_mismatch" else texts.get(alert["scope"], texts["other"])
    return template.format(
        subject=alert["subject"],
        share=_pct(alert["share"], lang),
        baseline=_pct(alert["baseline"], lang),
        what=what,
        n=alert["n"],
        compared_to=alert.get("compared_to") or "",
    )
