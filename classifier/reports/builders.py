"""From a classified export to the ``report`` and ``challenge`` contents (pure functions, no printing)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from classifier.errors import InputError
from classifier.model import ReasonModel
from classifier.normalize import clean, redact
from classifier.taxonomy import Taxonomy
from classifier.reports.trends import AlertRules, find_alerts, group_profiles, latest_comparison, reason_mix

# The rejections frame every report and challenge list reads (rejections_frame, analyse_stream, History.frame).
FRAME_COLUMNS = ["id", "date", "owner", "source", "note", "is_rejection", "reason", "confidence", "weak", "needs_review", "note_lang"]


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
        "challenge": challenge_list(rejections, taxonomy, redact_notes=redact_notes, limit=top).to_dict("records"),
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
    limit: int | None = None,
) -> pd.DataFrame:
    """Weak rejections to reopen, newest first, with the question in the note's language and,
    for the taxonomy's follow-up labels (too_early, bad_timing), the ``follow_up`` date the note names.
    ``limit`` keeps only the newest so many (their notes alone are cleaned and read for dates)."""
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
    rows = rows.sort_values(["date", "id"], ascending=[False, True], na_position="last", kind="stable")
    if limit is not None:
        rows = rows.head(limit)
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


def _reused_predictions(export, model: ReasonModel) -> pd.DataFrame | None:
    """The prediction columns of a file written by ``classify``, or None when it has none to reuse."""
    from classifier.language import detect_language

    frame = export.frame
    if not ({"reason", "confidence", "weak"} <= set(frame.columns) and frame["reason"].isin(model.taxonomy.labels + [""]).all()):
        return None
    weak = frame["weak"].astype(str).str.lower().isin(["true", "1", "yes", "wahr"])
    notes = export.note_text()
    return pd.DataFrame(
        {
            "reason": frame["reason"],
            "confidence": pd.to_numeric(frame["confidence"], errors="coerce").fillna(0.0),
            "weak": weak,
            "needs_review": frame.get("needs_review", pd.Series("False", index=frame.index)).astype(str).str.lower() == "true",
            "note_lang": frame["note_lang"] if "note_lang" in frame else notes.map(lambda n: detect_language(clean(n))),
        }
    )


def analyse_export(export, model: ReasonModel, picklist_map: dict[str, str] | None = None, progress=None,
                   predictions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rejections frame of an export: classified with ``model``, or reusing the prediction
    columns when the export is the output of ``classify`` (or given as ``predictions``)."""
    if predictions is None:
        predictions = _reused_predictions(export, model)
    if predictions is None:
        predictions = model.classify(export.note_text().tolist(), progress=progress)
    picklist = None
    if "picklist" in export.roles:
        picklist = map_picklist(export.frame[export.roles["picklist"]], model, picklist_map)
    return rejections_frame(export, predictions, picklist)


_TEXT_COLUMNS = ("id", "note")  # one value per row: kept as text; every other text column becomes categorical


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with repeated text (owner, source, reason, language, group columns) as categoricals."""
    for column in frame.columns:
        if column not in _TEXT_COLUMNS and (frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])):
            frame[column] = frame[column].astype("category")
    return frame


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate compact parts, merging the categories of each categorical column."""
    from pandas.api.types import union_categoricals

    if len(parts) == 1:
        return parts[0]
    frame = pd.concat(parts, ignore_index=True)  # categoricals with different categories come out as object
    for column in parts[0].columns:
        if isinstance(parts[0][column].dtype, pd.CategoricalDtype):
            frame[column] = union_categoricals([p[column] for p in parts], ignore_order=True)
    return frame


def analyse_stream(reader, model: ReasonModel, picklist_map: dict[str, str] | None = None, by: Sequence[str] = (),
                   progress=None) -> pd.DataFrame:
    """:func:`analyse_export` over an export read in chunks (:func:`~classifier.exports.open_export`).

    Chunks are classified in the model's workers (:meth:`ReasonModel.classify_stream`) while the
    next is read; each becomes a compact frame (repeated text as categoricals) holding only what
    reports and challenge lists read, plus the export columns named in ``by``. A 1M-row export
    thus needs a few hundred MB, not the export's size several times over.
    """
    extra = [c for c in by if c not in ("owner", "source")]
    missing = [c for c in extra if c not in reader.columns]
    if missing:
        raise InputError(f"--by: no column {missing[0]!r}; columns are {', '.join(map(str, reader.columns))}.")

    def batches():
        for chunk in reader:
            reused = _reused_predictions(chunk, model)
            yield (chunk, reused), ([] if reused is not None else chunk.note_text().tolist())

    parts = []
    for (chunk, reused), predictions in model.classify_stream(batches()):
        part = analyse_export(chunk, model, picklist_map, predictions=reused if reused is not None else predictions)
        for column in extra:
            part[column] = chunk.frame[column].astype(str).to_numpy()
        parts.append(_compact(part.reset_index(drop=True)))
        if progress is not None:
            progress(len(part))
    if not parts:
        raise InputError(f"no data rows found in {reader.source}; check that this is the right export")
    return _concat(parts)


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

    Without ``by``, owner and source where the export has them. ``export`` is an export or an
    export reader (its ``roles`` and ``columns``); other columns must already be in ``frame``
    (:func:`analyse_stream` copies them) or in the export's frame, from where they are copied.
    """
    columns = list(getattr(export, "columns", None) or export.frame.columns)
    groups = []
    for name in by or ("owner", "source"):
        if name in ("owner", "source"):
            if name in export.roles:
                groups.append(name)
            elif by:
                raise InputError(f"--by {name}: no {name} column detected; name it with --{name}-column.")
        elif name in frame.columns or name in columns:
            if name not in frame.columns:
                frame[name] = export.frame[name].astype(str)
            groups.append(name)
        else:
            raise InputError(f"--by: no column {name!r}; columns are {', '.join(map(str, columns))}.")
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


def history_report(history, model: ReasonModel, *, period: str = "month", by: tuple[str, ...] = (), lang: str = "en",
                   since=None, until=None, min_n: int = 30, redact_notes: bool = True) -> dict:
    """:func:`export_report` over every rejection in a :class:`~classifier.history.History`, with the
    outcome section (:func:`~classifier.reports.outcomes.outcome_section`): did challenged leads come back?"""
    from classifier.drift import drift_check
    from classifier.reports.outcomes import outcome_section

    frame = history.frame()
    groups = tuple(g for g in (by or ("owner", "source")) if g in ("owner", "source"))
    if set(by) - {"owner", "source"}:
        raise InputError(f"--by {', '.join(sorted(set(by) - {'owner', 'source'}))}: the history keeps owner and source only")
    drift = drift_check(model, frame["note"].tolist(), float(frame["needs_review"].mean() or 0.0)) if len(frame) else None
    report = build_report(frame, model.taxonomy, period=period, by=groups, lang=lang, since=since, until=until,
                          rules=AlertRules(min_n=min_n), model_card=model.card, redact_notes=redact_notes, drift=drift)
    section, alerts = outcome_section(filter_period(frame, since, until), history.events_frame(), model.taxonomy, lang=lang, min_n=min_n)
    report["outcomes"] = section
    report["alerts"] += alerts
    return report
