"""Trend reports over classified rejections: reason mix per period (the running one "to date"),
owners and sources against the rest, level shifts over the periods (for the team and for each
owner and source), and alerts with statistical support.

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
from classifier.reports.numbers import count, percent

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


def _period_start(label: str, period: str) -> pd.Timestamp:
    if period == "month":
        return pd.Timestamp(label + "-01")
    if period == "quarter":
        year, q = label.split("-Q")
        return pd.Timestamp(f"{year}-{int(q) * 3 - 2:02d}-01")
    year, week = label.split("-W")
    return pd.Timestamp.fromisocalendar(int(year), int(week), 1)


_MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "de": ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
}


def to_date_label(name: str, last, lang: str = "en") -> str:
    """A running period's label: '2026-Q4 to 28 Dec', German '2026-Q4 bis 28. Dez.'.

    >>> to_date_label("2026-Q4", pd.Timestamp("2026-12-28"), "de")
    '2026-Q4 bis 28. Dez.'
    """
    last = pd.Timestamp(last)
    month = _MONTHS.get(lang, _MONTHS["en"])[last.month - 1]
    return f"{name} bis {last.day}. {month}" if lang == "de" else f"{name} to {last.day} {month}"


def _last_date(dated: pd.DataFrame, until) -> pd.Timestamp:
    return (pd.Timestamp(until) if until is not None else pd.to_datetime(dated["date"]).max()).normalize()


def reason_mix(frame: pd.DataFrame, taxonomy: Taxonomy, period: str = "month", until=None, lang: str = "en") -> list[dict]:
    """Per period: number of rejections, weak share, share of each reason, and whether it is complete.

    A period still running on the last date (``until``, else the newest rejection) has
    ``to_date`` (that date) and a ``label`` such as '2026-Q4 to 28 Dec'; other periods are
    labelled by their name.
    """
    labels = period_label(frame["date"], period)
    dated = frame[labels != ""]
    if dated.empty:
        return []
    last = _last_date(dated, until)
    rows = []
    for name, group in dated.groupby(labels[labels != ""], sort=True):
        counts = group["reason"].value_counts()
        complete = bool(last >= _period_end(name, period))
        running = not complete and _period_start(name, period) <= last
        rows.append(
            {
                "period": name,
                "label": to_date_label(name, last, lang) if running else name,
                "n": int(len(group)),
                "weak_share": round(float(group["weak"].mean()), 4),
                "shares": {label: round(float(counts.get(label, 0) / len(group)), 4) for label in taxonomy.labels},
                "complete": complete,
                "to_date": last.date().isoformat() if running else None,
            }
        )
    return rows


def latest_comparison(periods: list[dict], period: str = "month", min_n: int = 30) -> dict | None:
    """The current period against the one before and the same period a year earlier.

    The current period is the one still running when it has ``min_n`` rejections (shares are
    rates, so a period to date compares fairly), else the latest complete period.
    """
    running = [p for p in periods if p.get("to_date") and p["n"] >= min_n]
    complete = [p for p in periods if p["complete"]]
    if not running and not complete:
        return None
    latest = running[-1] if running else complete[-1]
    by_name = {p["period"]: p for p in periods}
    names = [p["period"] for p in periods]
    before = periods[names.index(latest["period"]) - 1] if names.index(latest["period"]) > 0 else None
    year_ago = by_name.get(_year_before(latest["period"], period))

    def brief(p: dict | None) -> dict | None:
        if p is None:
            return None
        return {"period": p["period"], "label": p.get("label", p["period"]), "n": p["n"], "weak_share": p["weak_share"],
                "shares": p["shares"], "to_date": p.get("to_date")}

    return {"latest": brief(latest), "previous": brief(before), "year_ago": brief(year_ago)}


def _group_codes(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, list[str]]:
    """Each row's group number in ``column`` (empty values are the group ``(none)``) and the group names,
    in order of first appearance."""
    values = frame[column].astype(object).fillna("")
    values = values.where(values != "", NONE).to_numpy(object)
    codes, names = pd.factorize(values)
    return codes.astype(np.int64), [str(n) for n in names]


def group_profiles(frame: pd.DataFrame, column: str, taxonomy: Taxonomy) -> list[dict]:
    """Per value of ``column`` (owner, source, ...): n, weak share and reason shares against the rest."""
    codes, names = _group_codes(frame, column)
    groups = len(names)
    labels = list(taxonomy.labels)
    reason = pd.Categorical(frame["reason"].astype(object), categories=labels).codes.astype(np.int64)
    known = reason >= 0
    n = np.bincount(codes, minlength=groups)
    weak = np.bincount(codes, weights=frame["weak"].to_numpy(bool).astype(float), minlength=groups)
    by_reason = np.bincount(codes[known] * len(labels) + reason[known], minlength=groups * len(labels)).reshape(groups, len(labels))
    mismatch = (np.bincount(codes, weights=frame["picklist_mismatch"].to_numpy(bool).astype(float), minlength=groups)
                if "picklist_mismatch" in frame else None)
    total, total_weak, total_reason = int(n.sum()), float(weak.sum()), by_reason.sum(axis=0)
    rows = []
    for g in sorted(range(groups), key=lambda i: names[i]):
        size, rest = int(n[g]), total - int(n[g])
        row = {
            "name": names[g],
            "n": size,
            "weak_share": round(float(weak[g] / size), 4),
            "baseline_weak_share": round(float((total_weak - weak[g]) / rest), 4) if rest else None,
            "shares": {label: round(float(by_reason[g, j] / size), 4) for j, label in enumerate(labels)},
            "baseline_shares": {
                label: round(float((total_reason[j] - by_reason[g, j]) / rest), 4) if rest else None
                for j, label in enumerate(labels)
            },
        }
        if mismatch is not None:
            row["picklist_mismatch"] = round(float(mismatch[g] / size), 4)
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
    codes, names = _group_codes(frame, column)
    n = np.bincount(codes, minlength=len(names))
    hits = {metric: np.bincount(codes, weights=h.astype(float), minlength=len(names)) for metric, h in _metric_hits(frame, metrics).items()}
    total = int(n.sum())
    for g, name in enumerate(names):
        if name == NONE:
            continue
        n_in, n_out = int(n[g]), total - int(n[g])
        if n_in < rules.min_n or n_out < rules.min_n:
            continue
        for metric in metrics:
            if metric == "picklist_mismatch" and scope != "owner":
                continue
            k_in = int(round(hits[metric][g]))
            k_out = int(round(hits[metric].sum())) - k_in
            out.append(_candidate(scope, name, metric, k_in, n_in, k_out, n_out))
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


def _series(frame: pd.DataFrame, period: str, rules: AlertRules, until) -> tuple[list[str], np.ndarray, pd.Timestamp | None]:
    """The periods compared over time and each row's position in them (-1: not compared).

    Complete periods count, and so does the period still running on the last date once it has
    ``rules.min_n`` rejections; periods starting after the last date do not.
    """
    labels = period_label(frame["date"], period)
    position = np.full(len(frame), -1)
    dated = frame[labels != ""]
    if dated.empty:
        return [], position, None
    last = _last_date(dated, until)
    counts = labels[labels != ""].value_counts()
    names = []
    for name in sorted(counts.index):
        if last >= _period_end(name, period):
            names.append(name)
        elif _period_start(name, period) <= last and counts[name] >= rules.min_n:
            names.append(name)
    index = {name: i for i, name in enumerate(names)}
    position = labels.map(lambda x: index.get(x, -1)).to_numpy(int)
    return names, position, last


def _log_likelihood(k: np.ndarray, n: np.ndarray) -> np.ndarray:
    from scipy.special import xlogy

    p = np.divide(k, n, out=np.zeros_like(k, dtype=float), where=n > 0)
    return xlogy(k, p) + xlogy(n - k, 1 - p)


def _best_start(k_t: np.ndarray, n_t: np.ndarray, min_n: int) -> tuple[int | None, int]:
    """The start of the most likely upward level shift in a per-period series of ``k_t`` hits out
    of ``n_t``, and the number of starts tried (both sides need ``min_n`` cases).

    The start is the split with the highest likelihood of a two-level model among the splits where
    the later level is higher (a one-sided change-point search).
    """
    cum_k, cum_n = np.cumsum(k_t), np.cumsum(n_t)
    total_k, total_n = cum_k[-1], cum_n[-1]
    starts = np.arange(1, len(n_t))
    k_before, n_before = cum_k[:-1], cum_n[:-1]
    k_after, n_after = total_k - k_before, total_n - n_before
    eligible = (n_before >= min_n) & (n_after >= min_n)
    tried = int(eligible.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        rising = eligible & (k_after * n_before > k_before * n_after)
    if not rising.any():
        return None, tried
    ll = _log_likelihood(k_before.astype(float), n_before.astype(float)) + _log_likelihood(k_after.astype(float), n_after.astype(float))
    ll[~rising] = -np.inf
    return int(starts[int(np.argmax(ll))]), tried


def _per_period(hits: np.ndarray, position: np.ndarray, periods: int) -> tuple[np.ndarray, np.ndarray]:
    keep = position >= 0
    n_t = np.bincount(position[keep], minlength=periods)
    k_t = np.bincount(position[keep], weights=hits[keep].astype(float), minlength=periods)
    return k_t, n_t


def _shift_fields(names: list[str], start: int, period: str, last, lang: str) -> dict:
    running = last is not None and last < _period_end(names[-1], period)
    since = names[start]
    return {
        "since": since,
        "since_date": _period_start(since, period).date().isoformat(),
        "since_label": to_date_label(since, last, lang) if running and start == len(names) - 1 else since,
        "periods": len(names) - start,
        "baseline_periods": start,
        "period": period,
        "to_date": last.date().isoformat() if running else None,
        "compared_to": None,
    }


def _level_shift_candidates(dated, names, position, last, period, metrics, rules, lang) -> list[dict]:
    """Per metric, the start of a sustained rise: the run of periods from the start to the end
    against every period before it (one-sided two-proportion test, Bonferroni over the starts tried)."""
    if len(names) < 2:
        return []
    hits = _metric_hits(dated, metrics)
    out = []
    for metric in metrics:
        if metric == "picklist_mismatch":
            continue
        k_t, n_t = _per_period(hits[metric], position, len(names))
        start, tried = _best_start(k_t, n_t, rules.min_n)
        if start is None:
            continue
        k_b, n_b, k_a, n_a = int(k_t[:start].sum()), int(n_t[:start].sum()), int(k_t[start:].sum()), int(n_t[start:].sum())
        candidate = _candidate("period", names[start], metric, k_a, n_a, k_b, n_b)
        candidate["p_value"] = min(1.0, candidate["p_value"] * tried)
        candidate.update(_shift_fields(names, start, period, last, lang))
        out.append(candidate)
    return out


def _group_shift_candidates(dated, column, names, position, last, period, metrics, rules, lang) -> list[dict]:
    """Per group of ``column`` and metric: the start of a rise in the group's own share.

    Two one-sided tests must both hold (an intersection-union test, so its p-value is the larger
    of the two): from the start on, the group's share is above its own share before, and above
    the rest of the team's share over the same periods. A team-wide shift is so one period alert,
    not an alert for every rep. The effect is the smaller of the two differences; Bonferroni over
    the starts tried. Scope ``owner_shift``, ``source_shift``, ...
    """
    if len(names) < 2:
        return []
    codes, group_names = _group_codes(dated, column)
    groups, periods = len(group_names), len(names)
    valid = position >= 0
    cell = codes[valid] * periods + position[valid]
    n_gt = np.bincount(cell, minlength=groups * periods).reshape(groups, periods)
    hits = {metric: np.bincount(cell, weights=h[valid].astype(float), minlength=groups * periods).reshape(groups, periods)
            for metric, h in _metric_hits(dated, metrics).items()}
    out = []
    for g, name in enumerate(group_names):
        if name == NONE or int(n_gt[g].sum()) < 2 * rules.min_n:
            continue
        for metric in metrics:
            if metric == "picklist_mismatch":
                continue
            k_t, n_t = np.rint(hits[metric][g]).astype(np.int64), n_gt[g]
            start, tried = _best_start(k_t, n_t, rules.min_n)
            if start is None:
                continue
            r_t, m_t = np.rint(hits[metric].sum(axis=0)).astype(np.int64) - k_t, n_gt.sum(axis=0) - n_t
            k1, n1, k0, n0 = int(k_t[start:].sum()), int(n_t[start:].sum()), int(k_t[:start].sum()), int(n_t[:start].sum())
            r1, m1 = int(r_t[start:].sum()), int(m_t[start:].sum())
            candidate = _candidate(f"{column}_shift", name, metric, k1, n1, k0, n0)
            if m1 == 0:
                continue
            p_team = proportion_p_value(k1, n1, r1, m1)
            candidate["p_value"] = min(1.0, max(candidate["p_value"], p_team) * tried)
            candidate["team_share"] = round(r1 / m1, 4)
            candidate["effect"] = round(min(candidate["share"] - candidate["baseline"], candidate["share"] - r1 / m1), 4)
            candidate.update(_shift_fields(names, start, period, last, lang))
            out.append(candidate)
    return out


def _year_ago_candidates(dated, names, position, last, period, metrics, rules, lang) -> list[dict]:
    """The current period (running, with ``min_n`` cases, else the latest complete one) against the
    same period a year earlier: what a seasonal business compares."""
    if not names:
        return []
    latest = names[-1]
    ordered = names
    references = []
    if _year_before(latest, period) in set(ordered) and _year_before(latest, period) not in references:
        references.append(_year_before(latest, period))
    hits = _metric_hits(dated, metrics)
    now = position == len(names) - 1
    running = last < _period_end(latest, period)
    out = []
    for reference in references:
        before = position == names.index(reference)
        if now.sum() < rules.min_n or before.sum() < rules.min_n:
            continue
        for metric in metrics:
            if metric == "picklist_mismatch":
                continue
            h = hits[metric]
            candidate = _candidate("period", latest, metric, int(h[now].sum()), int(now.sum()), int(h[before].sum()), int(before.sum()), reference)
            candidate["label"] = to_date_label(latest, last, lang) if running else latest
            candidate["to_date"] = last.date().isoformat() if running else None
            out.append(candidate)
    return out


def _period_candidates(frame, period, metrics, rules, until, lang="en", by=()) -> list[dict]:
    """Level shifts of the whole team, of each group in ``by``, and the current period against a year earlier."""
    names, position, last = _series(frame, period, rules, until)
    if not names:
        return []
    out = _level_shift_candidates(frame, names, position, last, period, metrics, rules, lang)
    for column in by:
        if column in frame:
            out += _group_shift_candidates(frame, column, names, position, last, period, metrics, rules, lang)
    return out + _year_ago_candidates(frame, names, position, last, period, metrics, rules, lang)


def _covered_by_shift(alert: dict, alerts: list[dict]) -> bool:
    """An alert that a level shift already explains: a year-ago alert when a shift of the same
    metric started after the year-ago period and runs through the current one; a group against
    the team when the same group has a shift alert on the same metric (which says since when)."""
    if alert["scope"] != "period" and not alert.get("since"):
        return any(a["scope"] == f"{alert['scope']}_shift" and a["subject"] == alert["subject"] and a["metric"] == alert["metric"] for a in alerts)
    if alert["scope"] != "period" or not alert.get("compared_to"):
        return False
    return any(
        a["scope"] == "period" and a.get("since") and a["metric"] == alert["metric"] and alert["compared_to"] < a["since"] <= alert["subject"]
        for a in alerts
    )


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
    """Alerts: shares well above the rest of the team, level shifts (since when a share is higher
    than before, for the team and for each group) and the current period against a year earlier,
    with statistical support.

    Every comparison (each group, shift or period, each metric) is tested one-sided; the p-values are
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
        candidates += _period_candidates(frame, period, metrics, rules, until, lang, tuple(c for c in by if c in frame))
    if not candidates:
        return []
    q_values = benjamini_hochberg([c["p_value"] for c in candidates])
    alerts = []
    for candidate, q in zip(candidates, q_values):
        effect = candidate.get("effect", candidate["share"] - candidate["baseline"])
        if q < rules.alpha and effect >= rules.min_effect and cohens_h(candidate["share"], candidate["baseline"]) >= rules.min_h:
            candidate["q_value"] = float(q)
            candidate["p_value"] = float(candidate["p_value"])
            candidate["message"] = alert_message(candidate, taxonomy, lang)
            alerts.append(candidate)
    alerts = [a for a in alerts if not _covered_by_shift(a, alerts)]
    return sorted(alerts, key=lambda a: (a["q_value"], -(a["share"] - a["baseline"])))


_MESSAGES = {
    "en": {
        "owner": "{subject} rejects {share} of leads as {what}, the rest of the team {baseline} (n={n}).",
        "source": "Leads from {subject}: {share} rejected as {what}, other sources {baseline} (n={n}).",
        "period": "{subject}: {share} of rejections as {what}, up from {baseline} in {compared_to} (n={n}).",
        "other": "{subject}: {share} of rejections as {what}, the rest {baseline} (n={n}).",
        "weak": "a weak reason",
        "picklist": "{subject}: the picklist reason disagrees with the note in {share} of rejections, the rest of the team {baseline} (n={n}).",
        "shift_weak": "{when} the weak share is {share}, against {baseline} in {span} (n={n}).",
        "shift_reason": "{when} {share} of rejections are {what}, against {baseline} in {span} (n={n}).",
        "owner_shift": "{when} {subject} rejects {share} as {what}, before {baseline} (n={n}).",
        "source_shift": "{when} leads from {subject}: {share} rejected as {what}, before {baseline} (n={n}).",
        "other_shift": "{when} {subject}: {share} of rejections as {what}, before {baseline} (n={n}).",
        "since": "Since {since}",
        "in": "In {since}",
        "span_one": "the {unit} before",
        "span_many": "the {count} {units} before",
        "units": {"week": ("week", "weeks"), "month": ("month", "months"), "quarter": ("quarter", "quarters")},
        "numbers": ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"],
    },
    "de": {
        "owner": "{subject} lehnt {share} der Leads als {what} ab, das übrige Team {baseline} (n={n}).",
        "source": "Leads aus {subject}: {share} abgelehnt als {what}, andere Quellen {baseline} (n={n}).",
        "period": "{subject}: {share} der Absagen als {what}, zuvor {baseline} in {compared_to} (n={n}).",
        "other": "{subject}: {share} der Absagen als {what}, der Rest {baseline} (n={n}).",
        "weak": "schwacher Grund",
        "picklist": "{subject}: Picklisten-Grund und Notiz widersprechen sich in {share} der Absagen, das übrige Team {baseline} (n={n}).",
        "shift_weak": "{when} liegt der Anteil schwacher Absagen bei {share}, gegenüber {baseline} {span} (n={n}).",
        "shift_reason": "{when} sind {share} der Absagen {what}, gegenüber {baseline} {span} (n={n}).",
        "owner_shift": "{when} lehnt {subject} {share} als {what} ab, zuvor {baseline} (n={n}).",
        "source_shift": "{when} Leads aus {subject}: {share} abgelehnt als {what}, zuvor {baseline} (n={n}).",
        "other_shift": "{when} {subject}: {share} der Absagen als {what}, zuvor {baseline} (n={n}).",
        "since": "Seit {since}",
        "in": "Im Zeitraum {since}",
        "span_one": "{unit} davor",
        "span_many": "in den {count} {units} davor",
        "units": {"week": ("in der Woche", "Wochen"), "month": ("im Monat", "Monaten"), "quarter": ("im Quartal", "Quartalen")},
        "numbers": ["", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"],
    },
}


def _span(alert: dict, texts: dict) -> str:
    """'the nine months before' / 'in den neun Monaten davor'."""
    periods = alert.get("baseline_periods", 1)
    one, many = texts["units"][alert.get("period", "month")]
    if periods == 1:
        return texts["span_one"].format(unit=one)
    number = texts["numbers"][periods] if periods < len(texts["numbers"]) else str(periods)
    return texts["span_many"].format(count=number, units=many)


def alert_message(alert: dict, taxonomy: Taxonomy, lang: str = "en") -> str:
    """The alert as one plain sentence a leader can act on, in English or German."""
    texts = _MESSAGES.get(lang, _MESSAGES["en"])
    quote = ("'{}'" if lang == "en" else "„{}“").format
    what = texts["weak"] if alert["metric"] == "weak" else quote(taxonomy.title(alert["metric"], lang))
    if alert.get("since"):
        label = alert.get("since_label") or alert["since"]
        when = (texts["in"] if label != alert["since"] else texts["since"]).format(since=label)
        if alert["scope"] == "period":
            template = texts["shift_weak"] if alert["metric"] == "weak" else texts["shift_reason"]
        else:
            template = texts.get(alert["scope"], texts["other_shift"])
        return template.format(
            when=when, subject=alert["subject"], share=percent(alert["share"], lang), baseline=percent(alert["baseline"], lang),
            what=what, n=count(alert["n"], lang), span=_span(alert, texts),
        )
    template = texts["picklist"] if alert["metric"] == "picklist_mismatch" else texts.get(alert["scope"], texts["other"])
    return template.format(
        subject=alert.get("label") or alert["subject"],
        share=percent(alert["share"], lang),
        baseline=percent(alert["baseline"], lang),
        what=what,
        n=count(alert["n"], lang),
        compared_to=alert.get("compared_to") or "",
    )
