"""Does challenging pay? Weak rejections put on a challenge list against those that were not.

A lead *came back* when a later export shows it reopened or converted (on or after the day it
was challenged, for challenged leads). Per reason, owner and source: how many challenged leads
came back and converted, against the weak rejections nobody challenged; per reason, a one-sided
two-proportion test (Bonferroni over the reasons tested) turns a difference into an alert.
"""

from __future__ import annotations

import pandas as pd

from classifier.reports.numbers import count
from classifier.reports.statistics import proportion_p_value
from classifier.taxonomy import Taxonomy

MESSAGES = {
    "en": "Of {n} challenged '{reason}' rejections, {back} were reopened and {converted} converted; "
          "of the {n_not} not challenged, {back_not} came back.",
    "de": "Von {n} hinterfragten Absagen „{reason}“ wurden {back} wieder aufgenommen und {converted} gewonnen; "
          "von den {n_not} nicht hinterfragten kamen {back_not} zurück.",
}


def _came_back(weak: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """``challenged``, ``back`` and ``converted`` per weak rejection (rows of ``weak``)."""
    first = events.groupby(["lead_key", "kind"])["on_date"].min().unstack() if len(events) else pd.DataFrame()
    def column(kind: str) -> pd.Series:
        values = first[kind].dropna() if kind in first else None
        if values is None or values.empty:
            return pd.Series(pd.NaT, index=weak.index, dtype="datetime64[ns]")
        return pd.to_datetime(weak["id"].astype(object).map(values.to_dict()))
    challenged_on = column("challenged")
    challenged = weak["id"].isin(first.index[first["challenged"].notna()] if "challenged" in first else [])
    out = pd.DataFrame({"challenged": challenged.to_numpy()}, index=weak.index)
    for kind in ("reopened", "converted"):
        on = column(kind)
        out[kind] = on.notna() & (~challenged | challenged_on.isna() | on.isna() | (on >= challenged_on))
    out["back"] = out["reopened"] | out["converted"]
    return out


def outcome_section(frame: pd.DataFrame, events: pd.DataFrame, taxonomy: Taxonomy, *, lang: str = "en",
                    min_n: int = 30, alpha: float = 0.05) -> tuple[dict, list[dict]]:
    """Outcome rows per reason, owner and source, and the alerts where challenged leads came back more often."""
    weak = frame[frame["weak"].astype(bool)]
    flags = _came_back(weak, events)
    data = pd.concat([weak[["reason", "owner", "source"]].astype(str), flags], axis=1)
    section = {}
    for key, column in (("by_reason", "reason"), ("by_owner", "owner"), ("by_source", "source")):
        rows = []
        for name, group in data.groupby(column, sort=True):
            yes, no = group[group["challenged"]], group[~group["challenged"]]
            rows.append({"name": str(name), "challenged": int(len(yes)), "came_back": int(yes["back"].sum()),
                         "converted": int(yes["converted"].sum()), "not_challenged": int(len(no)),
                         "not_challenged_came_back": int(no["back"].sum()),
                         "not_challenged_converted": int(no["converted"].sum())})
        section[key] = sorted(rows, key=lambda r: -r["challenged"])
    tested = [r for r in section["by_reason"] if r["challenged"] >= min_n and r["not_challenged"] >= min_n]
    alerts = []
    for r in tested:
        p = min(1.0, proportion_p_value(r["came_back"], r["challenged"], r["not_challenged_came_back"], r["not_challenged"]) * len(tested))
        if p < alpha:
            alerts.append({
                "scope": "outcome", "subject": r["name"], "metric": "came_back",
                "share": round(r["came_back"] / r["challenged"], 4),
                "baseline": round(r["not_challenged_came_back"] / r["not_challenged"], 4),
                "n": r["challenged"] + r["not_challenged"], "p_value": p,
                "message": MESSAGES.get(lang, MESSAGES["en"]).format(
                    n=count(r["challenged"], lang), reason=taxonomy.title(r["name"], lang), back=count(r["came_back"], lang),
                    converted=count(r["converted"], lang), n_not=count(r["not_challenged"], lang),
                    back_not=count(r["not_challenged_came_back"], lang)),
            })
    return section, alerts
