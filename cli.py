"""rejection-radar: classify CRM rejection notes and challenge weak rejections.

The only module that talks to the terminal; everything else is the library in ``classifier``
and ``training``. Heavy libraries are imported inside commands so ``--help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata

import click

ROLE_OPTIONS = {
    "note": ("--text-column", "Column with the free-text note (default: detected)."),
    "id": ("--id-column", "Column with the record id."),
    "date": ("--date-column", "Column with the rejection date."),
    "owner": ("--owner-column", "Column with the owner / sales rep."),
    "source": ("--source-column", "Column with the lead source or campaign."),
    "status": ("--status-column", "Column with the lead status."),
    "picklist": ("--picklist-column", "Column with a picklist rejection reason."),
}


def _version() -> str:
    try:
        return metadata.version("rejection-radar")
    except metadata.PackageNotFoundError:
        return "dev"


class RadarGroup(click.Group):
    """Turns library errors into one-line messages with exit code 1."""

    def invoke(self, ctx):
        from classifier.errors import RadarError

        try:
            return super().invoke(ctx)
        except RadarError as e:
            raise click.ClickException(str(e)) from e
        except KeyboardInterrupt:
            click.echo("Interrupted; no output was written.", err=True)
            sys.exit(130)


def role_options(func):
    """Add ``--text-column`` and the other column-role overrides to a command."""
    for role, (flag, help_text) in reversed(ROLE_OPTIONS.items()):
        func = click.option(flag, f"{role}_column", metavar="COL", help=help_text)(func)
    return func


def _roles(kwargs: dict) -> dict[str, str]:
    return {role: kwargs.pop(f"{role}_column") for role in ROLE_OPTIONS if kwargs.get(f"{role}_column")}


def _exit_now() -> None:
    """End a finished command at once: tearing down lemma tables and caches takes 0.3 s or more.

    Only in a real process (not under a test runner that captures output), after flushing.
    """
    import os

    if sys.stdout is sys.__stdout__:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _notice(message: str) -> None:
    click.echo(message, err=True)


model_option = click.option(
    "--model",
    "model_dir",
    type=click.Path(file_okay=False),
    envvar="REJECTION_RADAR_MODEL",
    help="Model directory (default: $REJECTION_RADAR_MODEL, else the bundled model).",
)


def _load(model_dir):
    from classifier import load_model

    return load_model(model_dir)


@click.group(cls=RadarGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "--version", prog_name="rejection-radar")
def cli():
    """Sort CRM rejection notes into reasons and show which rejections to challenge.

    \b
    Example:
        rejection-radar classify examples/crm_export.csv -o classified.csv
        rejection-radar classify --text "nicht der Entscheider, Chef entscheidet"
    """


@cli.command()
@click.argument("export", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (.csv, .xlsx, .jsonl, .parquet). Default: CSV on stdout.")
@click.option("--text", "text", help="Classify this one note and print reason, confidence, weak and challenge.")
@click.option("-j", "--jobs", type=click.IntRange(1), help="Worker processes for large exports. Default: all cores.")
@click.option("--explain", "with_explanation", is_flag=True, help="Also show the words that decided each reason (an `explanation` column for files; slower).")
@model_option
@role_options
def classify(export, output, text, jobs, with_explanation, model_dir, **kwargs):
    """Add reason, confidence, reason_2, weak, needs_review and challenge columns to an export.

    EXPORT is a CSV or Excel export from your CRM, or - for CSV on stdin. Every input row
    comes out once, in order, with its original columns unchanged.

    \b
    Examples:
        rejection-radar classify hubspot_export.csv -o classified.xlsx
        rejection-radar classify leads.csv --text-column "Lost reason" > classified.csv
        rejection-radar classify --text "no budget until Q3"
    """
    roles = _roles(kwargs)
    if text is not None:
        if export:
            raise click.UsageError("give either EXPORT or --text, not both.")
        model = _load(model_dir)
        row = model.classify_one(text)
        weak = "weak" if row["weak"] else "valid"
        click.echo(f"{row['reason']}\t{row['confidence']:.2f}\t{weak}\t{row['challenge']}")
        if with_explanation:
            from classifier.explain import explain as explain_note
            from classifier.explain import explain_text

            result = explain_note(model, text)
            click.echo(explain_text(result, result["note_lang"]))
        _exit_now()
        return
    if not export:
        raise click.UsageError("missing EXPORT (a CSV/Excel file or -) or --text.")
    from classifier.io import TableWriter, open_export
    from classifier.output import add_predictions

    model = _load(model_dir)
    reader = open_export(export, roles=roles)
    for message in reader.notices:
        _notice(message)
    shown = len(reader.notices)
    total = empty = 0
    with TableWriter(output, forbid=[export]) as writer, model.workers(jobs):
        with click.progressbar(length=reader.total_rows or 0, label="classifying", file=sys.stderr) as bar:
            batches = ((chunk, chunk.note_text().tolist()) for chunk in reader)
            for chunk, predictions in model.classify_stream(batches):
                classified = add_predictions(chunk, model, predictions)
                if with_explanation:
                    classified["explanation"] = _explanations(model, chunk.note_text().tolist())
                writer.write(classified)
                total += len(classified)
                empty += int(chunk.is_empty_note().sum())
                bar.update(len(classified))
    for message in reader.notices[shown:] + list(writer.notices):
        _notice(message)
    if empty:
        _notice(f"{empty} notes carry no reason at all (empty, '-', 'n/a' ...): labelled other without the model")
    _notice(f"classified {total} rows" + (f" into {output}" if output else ""))
    _exit_now()


def _explanations(model, notes: list[str]) -> list[str]:
    """One compact line per note: the phrases for its reason and against the runner-up."""
    from classifier.explain import explain as explain_note

    cache: dict[str, str] = {}
    for note in notes:
        if note not in cache:
            result = explain_note(model, note, top=4)
            pro = ", ".join(f"{p} ({w:+.2f})" for p, w in result["for"])
            con = ", ".join(f"{p} ({w:+.2f})" for p, w in result["against"])
            cache[note] = f"{pro}" + (f" | against: {con}" if con else "")
    return [cache[n] for n in notes]


@cli.command()
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="models/my-model", show_default=True, help="Directory for the new model.")
@click.option("--with-default-corpus", "mode", flag_value="with", help="Add the bundled corpus to your notes (your notes weigh --weight times more) and compare with the current model first.")
@click.option("--only-my-data", "mode", flag_value="only", help="Train on your notes alone, and compare with the current model first.")
@click.option("--weight", type=click.FloatRange(min=1.0), default=3.0, show_default=True, help="How much one of your notes counts against one corpus note.")
@click.option("--seed", default=0, show_default=True, help="Random seed; the same seed gives the same model.")
@click.option("--taxonomy", "taxonomy_file", type=click.Path(exists=True, dir_okay=False), help="Your own labels (JSON or CSV); default: the bundled taxonomy.")
@click.option("--text-column", metavar="COL", help="Column with the note (default: text/note/...).")
@click.option("--label-column", metavar="COL", help="Column with the label (default: label).")
@click.option("--heldout", type=click.Path(exists=True, dir_okay=False), help="Labelled file never used for training; its figures go into the card.")
@model_option
def train(data, out_dir, mode, weight, seed, taxonomy_file, text_column, label_column, heldout, model_dir):
    """Train a reason model on labelled notes and write it with its card.

    DATA are CSV/Excel files with a text and a label column. Prints stratified 5-fold
    cross-validated macro-F1 and per-label precision/recall/F1. With --with-default-corpus or
    --only-my-data, DATA are your company's notes: 20% of them are held out to compare the new
    model with the current one (also on the independent test set) before it is written.

    \b
    Examples:
        rejection-radar train my_labels.csv --with-default-corpus --out models/acme
        rejection-radar train training/data/corpus.csv --out models/mine
    """
    import pandas as pd

    from classifier import load_taxonomy, save_model
    from training.corpus import files_sha256, read_labelled
    from training.evaluate import evaluate
    from training.retrain import retrain
    from training.train import train_model

    taxonomy = load_taxonomy(taxonomy_file)
    frame = pd.concat([read_labelled(p, text_column, label_column) for p in data], ignore_index=True)
    if mode:
        if mode == "with" and taxonomy_file and set(taxonomy.labels) != set(load_taxonomy().labels):
            raise click.UsageError("--with-default-corpus needs the bundled labels; with your own taxonomy use --only-my-data.")
        current = _load_current(model_dir)
        model = retrain(
            frame, current=current, with_default_corpus=mode == "with", weight=weight, taxonomy=taxonomy,
            seed=seed, progress=_notice,
        )
        model.card["corpus_sha256"] = files_sha256(data)
        click.echo(_format_comparison(model.card["comparison"]))
    else:
        groups = frame["source"].tolist() if "source" in frame.columns else None
        model = train_model(
            frame["text"].tolist(), frame["label"].tolist(), taxonomy=taxonomy, seed=seed, groups=groups,
            corpus_sha256=files_sha256(data), progress=_notice,
        )
    model.card["corpus_files"] = [click.format_filename(p) for p in data]
    click.echo(_format_scores(model.card["cv"], "5-fold cross-validation"))
    if heldout:
        test = read_labelled(heldout, text_column, label_column)
        model.card["heldout"] = evaluate(model, test["text"].tolist(), test["label"].tolist())
        click.echo(_format_scores(model.card["heldout"], f"held-out {click.format_filename(heldout)}"))
    save_model(model, out_dir)
    _notice(f"model written to {out_dir}" + (f"; make it your default with `rejection-radar promote {out_dir}`" if mode else ""))


def _load_current(model_dir):
    """The model to compare against; None (with a notice) when there is none."""
    from classifier import ModelError, load_model

    try:
        return load_model(model_dir)
    except ModelError as e:
        _notice(f"no current model to compare with ({e})")
        return None


def _format_comparison(comparison: dict) -> str:
    lines = []
    for name, title in (("company", "your held-out notes"), ("independent", "independent test set")):
        part = comparison.get(name)
        if not part:
            continue
        before, after = part["before"], part["after"]
        lines.append(f"{title} (n={part['n']}): before -> after")
        keys = [("macro_f1", "macro-F1"), ("weak_f1", "weak-vs-valid F1"), ("accuracy", "accuracy")]
        for key, label in keys:
            old = before[key] if before else None
            new = after[key] if after else None
            diff = f"{new - old:+.3f}" if old is not None and new is not None else ""
            lines.append(f"  {label:24} {_fmt(old):>7} -> {_fmt(new):>7}  {diff}")
        if after:
            lines.append(f"  {'per label (F1)':24}")
            for label, row in after["per_label"].items():
                if row["support"] == 0:
                    continue
                old = before["per_label"].get(label, {}).get("f1") if before else None
                diff = f"{row['f1'] - old:+.3f}" if old is not None else ""
                lines.append(f"    {label:22} {_fmt(old):>7} -> {_fmt(row['f1']):>7}  {diff}")
    return "\n".join(lines) if lines else "no held-out company notes to compare on (fewer than 20 notes)"


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}"


@cli.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--name", help="Name for the installed model (default: the directory's name).")
@click.option("--force", is_flag=True, help="Promote even if it is worse on your held-out notes.")
def promote(directory, name, force):
    """Make a trained model your default (the bundled model stays untouched).

    Refused when the model was worse than the model it replaces on your held-out notes,
    unless --force.

    \b
    Example:
        rejection-radar promote models/acme
    """
    from classifier.persistence import promote_model, read_card

    company = read_card(directory).get("comparison", {}).get("company")
    if company and company.get("before") and company.get("after"):
        before, after = company["before"]["macro_f1"], company["after"]["macro_f1"]
        if after < before and not force:
            raise click.ClickException(
                f"{directory} is worse on your held-out notes (macro-F1 {after:.3f} vs {before:.3f}); use --force to promote anyway."
            )
    target = promote_model(directory, name)
    _notice(f"{directory} is now your default model (installed as {target})")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def models(as_json):
    """List the installed models with their cards; * marks the default.

    \b
    Example:
        rejection-radar models
    """
    from classifier.persistence import installed_models

    entries = installed_models()
    if as_json:
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False, default=str))
        return
    for entry in entries:
        card = entry["card"]
        mark = "*" if entry["default"] else " "
        if entry["error"]:
            click.echo(f"{mark} {entry['name']:20} {entry['error']}")
            continue
        held = card.get("heldout", {}).get("macro_f1")
        company = (card.get("comparison", {}).get("company") or {}).get("after") or {}
        figures = [f"cv macro-F1 {card['cv']['macro_f1']:.3f}" if "cv" in card else "", f"held-out {held:.3f}" if held else "",
                   f"your notes {company['macro_f1']:.3f}" if company else ""]
        click.echo(
            f"{mark} {entry['name']:20} {card.get('created', '?')[:10]}  {card.get('n_train', '?')} notes, "
            f"{len(card.get('labels', []))} labels  {'  '.join(f for f in figures if f)}  {entry['path']}"
        )


@cli.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@model_option
@click.option("--text-column", metavar="COL", help="Column with the note.")
@click.option("--label-column", metavar="COL", help="Column with the true label (default: label).")
@click.option("--by", "by", multiple=True, metavar="COL", help="Also break figures down by this column (repeatable), e.g. --by register.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
def evaluate(data, model_dir, text_column, label_column, by, as_json):
    """Score a model on labelled notes it never saw in training.

    Prints accuracy, macro-F1, weak-vs-valid F1, per-label precision/recall/F1/support, the
    confusion pairs that cost most, the confusion matrix, the coverage/accuracy trade-off of
    the confidence, and the headline figures per language (the file's `lang` column, else
    the detected language) and per value of every --by column.

    \b
    Examples:
        rejection-radar evaluate training/data/independent_test.csv --by register
        rejection-radar evaluate my_labelled_notes.xlsx --json
    """
    from training.corpus import read_labelled
    from training.evaluate import evaluate as run_evaluation

    model = _load(model_dir)
    frame = read_labelled(data, text_column, label_column)
    missing = [c for c in by if c not in frame.columns]
    if missing:
        raise click.BadParameter(f"{click.format_filename(data)} has no column {missing[0]!r}; columns: {', '.join(map(str, frame.columns))}.", param_hint="--by")
    groups = {c: frame[c].tolist() for c in dict.fromkeys((["lang"] if "lang" in frame.columns else []) + list(by))}
    result = run_evaluation(model, frame["text"].tolist(), frame["label"].tolist(), by=groups)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(_format_scores(result, click.format_filename(data)))
    click.echo(_format_breakdown(result))
    click.echo(_format_confusion(result["confusion"]))


@cli.command()
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print the model card as JSON.")
def info(model_dir, as_json):
    """Show the model card: labels, weak flags, figures and where the model lives.

    \b
    Example:
        rejection-radar info
    """
    from classifier import load_model

    model = load_model(model_dir)
    card = model.card
    if as_json:
        click.echo(json.dumps(card, indent=2, ensure_ascii=False))
        return
    click.echo(f"model:     {card['path']}")
    click.echo(f"created:   {card.get('created', '?')}   seed {card.get('seed', '?')}   trained on {card.get('n_train', '?')} notes")
    versions = card.get("versions", {})
    click.echo("libraries: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    click.echo(f"threshold: {model.threshold:.2f} (below it a note is marked needs_review)")
    for name in ("cv", "heldout"):
        if name in card:
            part = card[name]
            conf = part.get("confident", {})
            click.echo(
                f"{name:9}  macro-F1 {part['macro_f1']:.3f}  weak-vs-valid F1 {part['weak_f1']:.3f}  "
                f"confident part: accuracy {conf.get('accuracy', 0):.3f} on {conf.get('coverage', 0):.0%} of notes"
            )
    click.echo("labels:")
    for reason in model.taxonomy.reasons:
        click.echo(f"  {reason.label:24} {'weak ' if reason.weak else 'valid'}  {reason.description}")


@cli.command()
@click.argument("note")
@click.option("--top", default=6, show_default=True, help="How many phrases to show on each side.")
@click.option("--lang", type=click.Choice(["en", "de"]), help="Wording (default: the note's language).")
@model_option
def explain(note, top, lang, model_dir):
    """Show the words and phrases that pushed a note to its reason, and against the runner-up.

    \b
    Example:
        rejection-radar explain "NDM, hängt an der Zentrale"
    """
    from classifier.explain import explain as explain_note
    from classifier.explain import explain_text

    result = explain_note(_load(model_dir), note, top=top)
    click.echo(explain_text(result, lang or result["note_lang"]))
    _exit_now()


@cli.command("review-queue")
@click.argument("export", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-n", "count", default=100, show_default=True, type=click.IntRange(1), help="How many notes to pick.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (.csv or .xlsx). Default: CSV on stdout.")
@click.option("--seed", default=0, show_default=True, help="Random seed for ties.")
@model_option
@role_options
def review_queue(export, count, output, seed, model_dir, **kwargs):
    """Pick the notes whose labels would teach the model most, label pre-filled to correct.

    Picks notes the model is unsure about (low confidence, top two reasons close), spread over
    the vocabulary instead of many near-copies. Correct the `label` column and pass the file
    to `train --with-default-corpus`.

    \b
    Example:
        rejection-radar review-queue export.csv -n 200 -o to_label.xlsx
    """
    import pandas as pd

    from classifier.io import write_table
    from training.review import review_queue as pick

    model = _load(model_dir)
    source = _read_export(export, _roles(kwargs))
    with model.workers():
        picks = pick(model, source.note_text().tolist(), count, seed=seed)
    frame = source.frame.iloc[picks.index].reset_index(drop=True)
    names = {c: c if c not in frame.columns else f"{c}_radar" for c in picks.columns}
    out = pd.concat([frame, picks.reset_index(drop=True).rename(columns=names)], axis=1)
    if source.roles.get("note") != "text":
        out.insert(len(frame.columns), "text", source.note_text().iloc[picks.index].to_numpy())
    write_table(out, output, forbid=[export])
    _notice(f"{len(out)} notes to label" + (f" written to {output}" if output else "") + "; correct the `label` column, then run train --with-default-corpus")


@cli.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (.csv or .xlsx). Default: CSV on stdout.")
@click.option("--taxonomy", "taxonomy_file", type=click.Path(exists=True, dir_okay=False), help="Your own labels (JSON or CSV).")
@click.option("--text-column", metavar="COL", help="Column with the note.")
@click.option("--label-column", metavar="COL", help="Column with the label (default: label).")
@click.option("--seed", default=0, show_default=True, help="Random seed for the folds.")
def audit(data, output, taxonomy_file, text_column, label_column, seed):
    """Find labels that are probably wrong, most suspicious first.

    Each note is predicted by a model that never saw it (5-fold cross-validation); a label is
    suspicious when that model gives it a low probability while another label is confident.
    Output: your columns (ids included) plus `suggested` and `score`.

    \b
    Example:
        rejection-radar audit my_labels.csv -o suspicious.csv
    """
    from classifier import load_taxonomy
    from classifier.io import write_table
    from training.audit import audit_labels
    from training.corpus import read_labelled

    frame = read_labelled(data, text_column, label_column)
    _notice(f"cross-validating {len(frame)} labelled notes")
    flagged = audit_labels(frame["text"].tolist(), frame["label"].tolist(), taxonomy=load_taxonomy(taxonomy_file), seed=seed)
    out = frame.loc[flagged.index].copy()
    for column in ("suggested", "p_given", "p_suggested", "score"):
        out[column] = flagged[column].to_numpy()
    write_table(out.reset_index(drop=True), output, forbid=[data])
    _notice(f"{len(out)} labels disagree with a confident out-of-fold prediction" + (f"; written to {output}" if output else ""))


REPORT_FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".json": "json", ".txt": "table"}


def _read_export(path, roles):
    """Read a whole export and say on stderr how it was read."""
    from classifier.io import read_export

    export = read_export(path, roles=roles)
    for message in export.notices:
        _notice(message)
    return export


def _analyse(export_path, roles, model_dir, picklist_map=None):
    """Read an export, classify it (or reuse a classified file's columns) and return the rejections frame."""
    from classifier.report import analyse_export

    model = _load(model_dir)
    export = _read_export(export_path, roles)
    mapping = _read_picklist_map(picklist_map) if picklist_map else None
    with click.progressbar(length=len(export.frame), label="classifying", file=sys.stderr) as bar, model.workers():
        frame = analyse_export(export, model, mapping, progress=bar.update)
    skipped = int((~frame["is_rejection"]).sum())
    if skipped:
        _notice(f"skipped {skipped} rows whose status says they are not rejections")
    return frame, model, export


def _read_picklist_map(path) -> dict[str, str]:
    from classifier.io import read_export

    export = read_export(path, require_note=False)
    columns = list(export.frame.columns)
    if len(columns) < 2:
        raise click.BadParameter(f"{path} needs two columns: picklist value and label.", param_hint="--picklist-map")
    return dict(zip(export.frame[columns[0]], export.frame[columns[1]].str.strip()))


def _write_text(text: str, output, source) -> None:
    from classifier.writers import write_text

    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    write_text(text, output, forbid=[source])
    _notice(f"report written to {output}")


@cli.command()
@click.argument("export", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--period", type=click.Choice(["week", "month", "quarter"]), default="month", show_default=True, help="Period for trends.")
@click.option("--by", "by", multiple=True, metavar="owner|source|COL", help="Compare groups of this role or column (repeatable). Default: owner and source when detected.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only rejections on or after this date (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only rejections up to this date; also ends the latest complete period.")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json", "html"]), help="Output format. Default: from -o's extension, else table.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file. Default: stdout.")
@click.option("--lang", type=click.Choice(["en", "de"]), default="en", show_default=True, help="Language of the report's wording.")
@click.option("--no-redact", is_flag=True, help="Keep e-mail addresses and phone numbers in quoted notes.")
@click.option("--picklist-map", type=click.Path(exists=True, dir_okay=False), help="CSV of picklist value,label to override how picklist values map to labels.")
@click.option("--min-n", default=30, show_default=True, help="Fewest rejections a rep, source or period needs before it can raise an alert.")
@model_option
@role_options
def report(export, period, by, since, until, fmt, output, lang, no_redact, picklist_map, min_n, model_dir, **kwargs):
    """Trends of rejection reasons, who and which sources drive weak rejections, and alerts.

    EXPORT is a raw CRM export (classified on the fly) or the output of `classify`.

    \b
    Examples:
        rejection-radar report last_quarter.csv
        rejection-radar report export.xlsx --period quarter --lang de -o report.html
        rejection-radar report classified.csv --format json > report.json
    """
    from pathlib import Path

    from classifier.drift import drift_check
    from classifier.render import to_html, to_markdown, to_table
    from classifier.report import build_report
    from classifier.trends import AlertRules

    roles = _roles(kwargs)
    frame, model, source_export = _analyse(export, roles, model_dir, picklist_map)
    groups = []
    for name in by or ("owner", "source"):
        if name in ("owner", "source"):
            if name in source_export.roles:
                groups.append(name)
            elif by:
                raise click.UsageError(f"--by {name}: no {name} column detected; name it with --{name}-column.")
        elif name in source_export.frame.columns:
            frame[name] = source_export.frame[name].astype(str)
            groups.append(name)
        else:
            raise click.BadParameter(f"no column {name!r}; columns are {', '.join(source_export.frame.columns)}.", param_hint="--by")
    if not fmt:
        fmt = REPORT_FORMATS.get(Path(output).suffix.lower(), "table") if output else "table"
    rejections = frame[frame["is_rejection"]]
    drift = drift_check(model, rejections["note"].tolist(), float(rejections["needs_review"].mean() or 0.0)) if len(rejections) else None
    result = build_report(
        frame, model.taxonomy, period=period, by=tuple(groups), lang=lang, since=since, until=until,
        rules=AlertRules(min_n=min_n), model_card=model.card, redact_notes=not no_redact, drift=drift,
    )
    if fmt == "json":
        text = json.dumps(result, ensure_ascii=False, indent=2, default=str)
    elif fmt == "markdown":
        text = to_markdown(result, model.taxonomy)
    elif fmt == "html":
        text = to_html(result, model.taxonomy)
    else:
        text = to_table(result, model.taxonomy, color=output is None and sys.stdout.isatty())
    _write_text(text, output, export)


@cli.command()
@click.argument("export", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (.csv or .xlsx). Default: CSV on stdout.")
@click.option("--owner", help="Only this owner's rejections.")
@click.option("--source", help="Only leads from this source.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only rejections on or after this date (YYYY-MM-DD).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True, help="Skip predictions less sure than this.")
@click.option("--redact", is_flag=True, help="Mask e-mail addresses and phone numbers in notes.")
@model_option
@role_options
def challenge(export, output, owner, source, since, min_confidence, redact, model_dir, **kwargs):
    """The weak rejections to reopen, newest first, each with the question the rep should have asked.

    For too_early and bad_timing notes that name a time ("Q3", "nächstes Jahr", "ab März"),
    `follow_up` gives the date to call again.

    \b
    Examples:
        rejection-radar challenge export.csv -o reopen.xlsx
        rejection-radar challenge export.csv --owner "Maria Schneider" --since 2026-10-01
    """
    from classifier.io import write_table
    from classifier.report import challenge_list

    roles = _roles(kwargs)
    frame, model, _ = _analyse(export, roles, model_dir)
    leads = challenge_list(
        frame, model.taxonomy, owner=owner, source=source, since=since, min_confidence=min_confidence, redact_notes=redact
    )
    write_table(leads, output, forbid=[export])
    _notice(f"{len(leads)} weak rejections to challenge" + (f" written to {output}" if output else ""))


def _format_scores(result: dict, title: str) -> str:
    lines = [
        f"{title}: n={result['n']}  accuracy {result['accuracy']:.3f}  macro-F1 {result['macro_f1']:.3f}  "
        f"weak-vs-valid F1 {result['weak_f1']:.3f}",
        f"  {'label':24} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>6}",
    ]
    for label, row in result["per_label"].items():
        lines.append(f"  {label:24} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f} {row['support']:6d}")
    conf = result.get("confident")
    if conf:
        lines.append(
            f"  confident part (confidence >= {conf['threshold']:.2f}): accuracy {conf['accuracy']:.3f} "
            f"on {conf['coverage']:.0%} of notes"
        )
    return "\n".join(lines)


def _format_breakdown(result: dict) -> str:
    """Per-group figures, the coverage/accuracy trade-off and the costliest confusions."""
    lines = []
    for column, groups in result.get("by", {}).items():
        lines.append(f"by {column}:")
        for value, row in groups.items():
            conf = row["confident"]
            lines.append(
                f"  {value:24} n={row['n']:<5d} accuracy {row['accuracy']:.3f}  macro-F1 {row['macro_f1']:.3f}  "
                f"weak-vs-valid F1 {row['weak_f1']:.3f}  not flagged: {conf['accuracy']:.3f} right on {conf['coverage']:.0%}"
            )
    if result.get("tradeoff"):
        lines.append("coverage/accuracy trade-off (keep the most confident notes, flag the rest for review):")
        lines += [f"  keep {row['coverage']:4.0%}  (confidence >= {row['threshold']:.2f}): accuracy {row['accuracy']:.3f}" for row in result["tradeoff"]]
    if result.get("costly_pairs"):
        lines.append("costliest confusions (true -> predicted):")
        lines += [f"  {p['n']:4d}  {p['true']} -> {p['predicted']}" for p in result["costly_pairs"]]
    return "\n".join(lines)


def _format_confusion(confusion: dict) -> str:
    labels = confusion["labels"]
    short = [label[:6] for label in labels]
    lines = ["confusion matrix (rows: true, columns: predicted)", " " * 24 + " ".join(f"{s:>6}" for s in short)]
    for label, row in zip(labels, confusion["matrix"]):
        lines.append(f"{label:24}" + " ".join(f"{v:6d}" for v in row))
    return "\n".join(lines)


if __name__ == "__main__":
    cli()
