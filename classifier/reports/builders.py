"""From a classified export to the ``report`` and ``challenge`` contents (pure functions, no printing)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from classifier.errors import InputError
from classifier.model import ReasonModel
from classifier.normalize import clean, redact
from classifier.taxonomy import Taxonomy
from classifier.reports.trends import AlertRules, find_alerts, group_profiles, latest_comparison, reason_mix

FRAME_COLUMNS = ["id", "date", "owner", "source", "note", "reason", "confidence", "weak", "needs_review", "note_lang"]


def rejections_frame(export, predictions: pd.DataFrame, picklist_labels: pd.Series | None = None) -> pd.DataFrame:
    """One row per export row with the columns the trend functions read.

    ``predictions`` holds ``reason, confidence, weak, needs_review, note_lang`` (from
    :func:`classifier.classify_notes` or reused from a classified file); ``picklist_labels``
    is the picklist value of each row mapped to a label ('' where there is none).
    """
    frame = export.frame
    roles = export.roles

    def column(role: str) -> pd.Series:
        return frame[roles[role]].astype(str) if role in roles else pd.Series("", index=frame.index)

    out = pd.DataFrame(
        {
            "id": column("id"),
            "date": export.dates() if "date" in roles else pd.Series(pd.NaT, index=frame.index),
            "owner": column("owner").str.strip(),
            "source": column("source").str.strip(),
            "note": export.note_text(),
            "is_rejection": export.is_rejection().to_numpy(),
        },
        index=frame.index,
    )
    for name in ("reason", "confidence", "weak", "needs_review", "note_lang"):
        out[name] = predictions[name].to_numpy()
    if picklist_labels is not None:
        has = picklist_labels.to_numpy() != ""
        out["picklist_reason"] = picklist_labels.to_numpy()
        out["picklist_mismatch"] = has & (out["picklist_reason"].to_numpy() != out["reason"].to_numpy())
        out.loc[~has, "picklist_mismatch"] = False
    return out


def map_picklist(values: pd.Series, model: ReasonModel, mapping: dict[str, str] | None = None) -> pd.Series:
    """Each picklist value as a label: from ``mapping`` (value -> label) where given, else by
    classifying the value's own text ("Budget", "Kein Bedarf", "Not the right contact")."""
    mapping = {k.strip().lower(): v for k, v in (mapping or {}).items()}
    distinct = [v for v in pd.unique(values.astype(str)) if v.strip()]
    unmapped = [v for v in distinct if v.strip().lower() not in mapping]
    labels = dict(zip(unmapped, model.classify(unmapped)["reason"])) if unmapped else {}
    labels.update({v: mapping[v.strip().lower()] for v in distinct if v.strip().lower() in mapping})
    return values.astype(str).map(lambda v: labels.get(v, ""))


def filter_period(frame: pd.DataFrame, since=None, until=None) -> pd.DataFrame:
    """Rows with a date in ``[since, until]``; undated rows are kept only when no bound is given."""
    if since is None and until is None:
        return frame
    dates = pd.to_datetime(frame["date"])
    keep = dates.notna()
    if since is not None:
        keep &= dates >= pd.Timestamp(since)
    if until is not None:
        keep &= dates <= pd.Timestamp(until)
    return frame[keep]


def build_report(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    period: str = "month",
    by: Sequence[str] = ("owner", "source"),
    lang: str = "en",
    since=None,
    until=None,
    rules: AlertRules = AlertRules(),
    model_card: dict | None = None,
    top: int = 20,
    redact_notes: bool = True,
    drift: dict | None = None,
) -> dict:
    """The whole report as a JSON-ready dict: ``overview``, ``periods``, ``owners``, ``sources``,
    ``groups`` (other ``by`` columns), ``alerts`` and ``challenge`` (top leads to reopen)."""
    skipped = int((~frame["is_rejection"]).sum()) if "is_rejection" in frame else 0
    rejections = frame[frame["is_rejection"]] if "is_rejection" in frame else frame
    rejections = filter_period(rejections, since, until)
    dates = pd.to_datetime(rejections["date"])
    card = model_card or {}
    overview = {
        "rejections": int(len(rejections)),
        "skipped_not_rejections": skipped,
        "date_from": dates.min().date().isoformat() if dates.notna().any() else None,
        "date_to": dates.max().date().isoformat() if dates.notna().any() else None,
        "undated": int(dates.isna().sum()),
        "weak_share": round(float(rejections["weak"].mean()), 4) if len(rejections) else 0.0,
        "needs_review": int(rejections["needs_review"].sum()),
        "needs_review_share": round(float(rejections["needs_review"].mean()), 4) if len(rejections) else 0.0,
        "reason_counts": {label: int((rejections["reason"] == label).sum()) for label in taxonomy.labels},
        "period": period,
        "lang": lang,
        "drift": drift,
        "model": {
            "path": card.get("path"),
            "created": card.get("created"),
            "heldout_macro_f1": card.get("heldout", {}).get("macro_f1"),
        },
    }
    groups = {column: group_profiles(rejections, column, taxonomy) for column in by if column in rejections}
    has_picklist = "picklist_mismatch" in rejections and rejections["picklist_reason"].ne("").any()
    alert_frame = rejections if has_picklist else rejections.drop(columns=["picklist_mismatch"], errors="ignore")
    alerts = find_alerts(
        alert_frame, taxonomy, period=period, by=tuple(groups), rules=rules, lang=lang, until=until
    ) if len(rejections) else []
    periods = reason_mix(rejections, taxonomy, period, until, lang) if len(rejections) else []
    overview["latest_period"] = latest_comparison(periods, period, rules.min_n)
    shifts = [a for a in alerts if a["scope"] == "period" and a.get("since")]
    overview["level_shifts"] = [
        {key: a.get(key) for key in ("metric", "since", "since_label", "share", "baseline", "n", "message")} for a in shifts
    ]
    return {
        "overview": overview,
        "periods": periods,
        "owners": groups.get("owner", []),
        "sources": groups.get("source", []),
        "groups": {k: v for k, v in groups.items() if k not in ("owner", "source")},
        "alerts": alerts,
        "challenge": challenge_list(rejections, taxonomy, redact_notes=redact_notes).head(top).to_dict("records"),
    }


def challenge_list(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    owner: str | None = None,
    source: str | None = None,
    since=None,
    min_confidence: float = 0.0,
    redact_notes: bool = False,
) -> pd.DataFrame:
    """Weak rejections to reopen, newest first, with the question in the note's language and,
    for the taxonomy's follow-up labels (too_early, bad_timing), the ``follow_up`` date the note names."""
    from classifier.reports.follow_up import follow_up_dates

    rows = frame[frame["weak"].astype(bool)]
    if "is_rejection" in rows:
        rows = rows[rows["is_rejection"]]
    if owner:
        rows = rows[rows["owner"].str.casefold() == owner.casefold()]
    if source:
        rows = rows[rows["source"].str.casefold() == source.casefold()]
    if since is not None:
        rows = filter_period(rows, since=since)
    rows = rows[rows["confidence"].astype(float) >= min_confidence]
    rows = rows.sort_values("date", ascending=False, na_position="last", kind="stable")
    notes = rows["note"].map(clean)
    dates = pd.to_datetime(rows["date"])
    timed = rows["reason"].isin(taxonomy.follow_up_labels).to_numpy()
    follow = follow_up_dates(notes.tolist(), [d.date() if pd.notna(d) else None for d in dates])
    return pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "owner": rows["owner"].to_numpy(),
            "source": rows["source"].to_numpy(),
            "date": [d.date().isoformat() if pd.notna(d) else "" for d in dates],
            "note": (notes.map(redact) if redact_notes else notes).to_numpy(),
            "reason": rows["reason"].to_numpy(),
            "confidence": rows["confidence"].astype(float).round(2).to_numpy(),
            "question": [taxonomy.question(r, lg) for r, lg in zip(rows["reason"], rows["note_lang"])],
            "follow_up": [f.isoformat() if (f is not None and t) else "" for f, t in zip(follow, timed)],
        }
    )


def analyse_export(export, model: ReasonModel, picklist_map: dict[str, str] | None = None, progress=None) -> pd.DataFrame:
    """The rejections frame of an export: classified with ``model``, or reusing the prediction
    columns when the export is the output of ``classify``."""
    from classifier.language import detect_language

    frame = export.frame
    if {"reason", "confidence", "weak"} <= set(frame.columns) and frame["reason"].isin(model.taxonomy.labels + [""]).all():
        weak = frame["weak"].astype(str).str.lower().isin(["true", "1", "yes", "wahr"])
        notes = export.note_text()
        predictions = pd.DataFrame(
            {
                "reason": frame["reason"],
                "confidence": pd.to_numeric(frame["confidence"], errors="coerce").fillna(0.0),
                "weak": weak,
                "needs_review": frame.get("needs_review", pd.Series("False", index=frame.index)).astype(str).str.lower() == "true",
                "note_lang": frame["note_lang"] if "note_lang" in frame else notes.map(lambda n: detect_language(clean(n))),
            }
        )
    else:
        predictions = model.classify(export.note_text().tolist(), progress=progress)
    picklist = None
    if "picklist" in export.roles:
        picklist = map_picklist(frame[export.roles["picklist"]], model, picklist_map)
    return rejections_frame(export, predictions, picklist)


def read_picklist_map(path) -> dict[str, str]:
    """A two-column file (picklist value, label) as a dict, for ``--picklist-map``."""
    from classifier.exports import read_export

    export = read_export(path, require_note=False)
    columns = list(export.frame.columns)
    if len(columns) < 2:
        raise InputError(f"{path} needs two columns: picklist value and label (--picklist-map).")
    return dict(zip(export.frame[columns[0]], export.frame[columns[1]].str.strip()))


def group_columns(frame: pd.DataFrame, export, by: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The columns to compare groups on: ``owner``/``source`` roles or any export column.

    Without ``by``, owner and source where the export has them. Other columns are copied into
    ``frame`` (as text) so the report can group on them.
    """
    groups = []
    for name in by or ("owner", "source"):
        if name in ("owner", "source"):
            if name in export.roles:
                groups.append(name)
            elif by:
                raise InputError(f"--by {name}: no {name} column detected; name it with --{name}-column.")
        elif name in export.frame.columns:
            frame[name] = export.frame[name].astype(str)
            groups.append(name)
        else:
            raise InputError(f"--by: no column {name!r}; columns are {', '.join(map(str, export.frame.columns))}.")
    return tuple(groups)


def export_report(
    frame: pd.DataFrame,
    export,
    model: ReasonModel,
    *,
    period: str = "month",
    by: tuple[str, ...] = (),
    lang: str = "en",
    since=None,
    until=None,
    min_n: int = 30,
    redact_notes: bool = True,
) -> dict:
    """:func:`build_report` for a classified export (:func:`analyse_export`): groups from
    :func:`group_columns`, alerts at ``min_n`` rejections, and the model's drift check."""
    from classifier.drift import drift_check

    groups = group_columns(frame, export, by)
    rejections = frame[frame["is_rejection"]]
    drift = drift_check(model, rejections["note"].tolist(), float(rejections["needs_review"].mean() or 0.0)) if len(rejections) else None
    return build_report(
        frame, model.taxonomy, period=period, by=groups, lang=lang, since=since, until=until,
        rules=AlertRules(min_n=min_n), model_card=model.card, redact_notes=redact_notes, drift=drift,
    )
