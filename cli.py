"""rejection-radar: the only module that talks to the terminal; a thin client of ``classifier`` and ``training``."""

from __future__ import annotations

import json
import os
import sys

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


class RadarGroup(click.Group):
    """Turns library errors into one-line messages with exit code 1."""

    def invoke(self, ctx):
        from classifier.errors import RadarError, stop_on_sigterm

        stop_on_sigterm()
        try:
            return super().invoke(ctx)
        except RadarError as e:
            from classifier.exports.text_safety import for_terminal  # file and member names: no escape sequences

            raise click.ClickException(for_terminal(str(e))) from e
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
    """End a finished command at once (teardown of lemma tables costs 0.3 s), but not under a test runner."""
    if sys.stdout is sys.__stdout__:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _notice(*messages: str) -> None:
    from classifier.exports.text_safety import for_terminal  # owner, source, header names: no escape sequences

    for message in messages:
        click.echo(for_terminal(str(message)), err=True)


def _check_output(ctx, param, value):
    if value is None:  # standard output: nothing to check (and no pandas import for classify --text)
        return None
    from classifier.exports.writer import check_output  # a missing or read-only folder fails before any work
    return check_output(value)


def output_option(help_text: str = "Output file (.csv or .xlsx). Default: CSV on stdout."):
    return click.option("-o", "--output", type=click.Path(dir_okay=False), callback=_check_output, help=help_text)


model_option = click.option("--model", "model_dir", type=click.Path(file_okay=False), envvar="REJECTION_RADAR_MODEL",
                            help="Model name or directory (default: $REJECTION_RADAR_MODEL, else your default model).")


db_option = click.option("--db", metavar="PATH|URL", is_flag=False, flag_value="default", default=None,
                         help="The rejection history: an SQLite file or SQLAlchemy URL; `--db` alone: the default file in the tool's folder.")


def _history(db):
    from classifier.history import History

    return History(None if db in (None, "default") else db)


def _load(model_dir, light: bool = False):
    from classifier.persistence import load_model
    return load_model(model_dir, light=light)


def _said(model, notices):
    """The model used and how the export was read, on stderr (once the export has opened)."""
    _notice(f"model: {model.card['path']} (trained {model.card.get('created', '?')[:10]})", *notices)


@click.group(cls=RadarGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rejection-radar", prog_name="rejection-radar")
def cli():
    """Sort CRM rejection notes into reasons and show which rejections to challenge.

    \b
    Example:
        rejection-radar classify examples/crm_export.csv -o classified.csv
        rejection-radar classify --text "nicht der Entscheider, Chef entscheidet"
    """


@cli.command()
@click.argument("export", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@output_option("Output file (.csv, .xlsx, .jsonl, .parquet). Default: CSV on stdout.")
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
        model = _load(model_dir, light=not with_explanation)  # one note: no scikit-learn import
        row = model.classify_one(text)
        click.echo(f"{row['reason']}\t{row['confidence']:.2f}\t{'weak' if row['weak'] else 'valid'}\t{row['challenge']}")
        if with_explanation:
            from classifier.explain import explain as explain_note, explain_text

            result = explain_note(model, text)
            click.echo(explain_text(result, result["note_lang"]))
        _exit_now()
        return
    if not export:
        raise click.UsageError("missing EXPORT (a CSV/Excel file or -) or --text.")
    from classifier.classify import classify_export, model_and_export

    model, reader = model_and_export(export, lambda: _load(model_dir, light=not with_explanation), roles)
    _said(model, reader.notices)
    with click.progressbar(length=reader.total_rows or 0, label="classifying", file=sys.stderr) as bar:
        result = classify_export(reader, model, output, jobs=jobs, explain=with_explanation, progress=bar.update, forbid=[export])
    _notice(*result.notices)
    if result.empty_notes:
        _notice(f"{result.empty_notes} notes carry no reason at all (empty, '-', 'n/a' ...): labelled other without the model")
    _notice(f"classified {result.rows} rows" + (f" into {output}" if output else ""))
    _exit_now()


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
    from classifier import load_taxonomy, save_model
    from training.evaluate import format_scores
    from training.retrain import format_comparison, train_files

    model = train_files(
        data, taxonomy=load_taxonomy(taxonomy_file), mode=mode, weight=weight, seed=seed, text_column=text_column, label_column=label_column,
        heldout=heldout, current=model_dir if mode else None, progress=_notice,
    )
    if mode:
        click.echo(format_comparison(model.card["comparison"]))
    click.echo(format_scores(model.card["cv"], "5-fold cross-validation"))
    if heldout:
        click.echo(format_scores(model.card["heldout"], f"held-out {click.format_filename(heldout)}"))
    save_model(model, out_dir)
    _notice(f"model written to {out_dir}" + (f"; make it your default with `rejection-radar promote {out_dir}`" if mode else ""))


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
    from classifier.persistence import promote_model

    target = promote_model(directory, name, force=force)
    _notice(f"{directory} is now your default model (installed as {target})")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def models(as_json):
    """List the installed models with their cards; * marks the default.

    \b
    Example:
        rejection-radar models
    """
    from classifier.persistence import format_installed, installed_models

    click.echo(json.dumps(installed_models(), indent=2, ensure_ascii=False, default=str) if as_json else format_installed(installed_models()))


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
    from training.evaluate import evaluate_file, format_breakdown, format_confusion, format_scores

    result = evaluate_file(data, _load(model_dir), text_column=text_column, label_column=label_column, by=by)
    text = "\n".join([format_scores(result, click.format_filename(data)), format_breakdown(result), format_confusion(result["confusion"])])
    click.echo(json.dumps(result, ensure_ascii=False) if as_json else text)


@cli.command()
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print the model card as JSON.")
def info(model_dir, as_json):
    """Show the model card: labels, weak flags, figures and where the model lives.

    \b
    Example:
        rejection-radar info
    """
    from classifier.persistence import describe_model

    model = _load(model_dir)
    click.echo(json.dumps(model.card, indent=2, ensure_ascii=False) if as_json else describe_model(model))


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
    from classifier.explain import explain as explain_note, explain_text

    result = explain_note(_load(model_dir), note, top=top)
    click.echo(explain_text(result, lang or result["note_lang"]))
    _exit_now()


@cli.command("review-queue")
@click.argument("export", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-n", "count", default=100, show_default=True, type=click.IntRange(1), help="How many notes to pick.")
@output_option()
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
    from classifier.exports import read_export, write_table
    from training.review import review_export

    model, source = _load(model_dir), read_export(export, roles=_roles(kwargs))
    _notice(*source.notices)
    with model.workers():
        out = review_export(model, source, count, seed=seed)
    write_table(out, output, forbid=[export])
    _notice(f"{len(out)} notes to label" + (f" written to {output}" if output else "") + "; correct the `label` column, then run train --with-default-corpus")


@cli.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@output_option()
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
    from classifier.exports import write_table
    from training.audit import audit_frame
    from training.corpus import read_labelled

    frame = read_labelled(data, text_column, label_column)
    _notice(f"cross-validating {len(frame)} labelled notes")
    out = audit_frame(frame, load_taxonomy(taxonomy_file), seed=seed)
    write_table(out, output, forbid=[data])
    _notice(f"{len(out)} labels disagree with a confident out-of-fold prediction" + (f"; written to {output}" if output else ""))




def _analyse(export_path, roles, model_dir, picklist_map=None, by=()):
    """Read an export in chunks, classify them (or reuse a classified file's columns): the rejections frame."""
    from classifier.classify import model_and_export
    from classifier.reports import analyse_stream, read_picklist_map

    mapping = read_picklist_map(picklist_map) if picklist_map else None
    model, reader = model_and_export(export_path, lambda: _load(model_dir, light=True), roles)
    with reader:
        _said(model, reader.notices)
        shown = len(reader.notices)
        with click.progressbar(length=reader.total_rows or 0, label="classifying", file=sys.stderr) as bar, model.workers():
            frame = analyse_stream(reader, model, mapping, by=by, progress=bar.update)
        _notice(*reader.notices[shown:])
    skipped = int((~frame["is_rejection"]).sum())
    if skipped:
        _notice(f"skipped {skipped} rows whose status says they are not rejections")
    return frame, model, reader


@cli.command()
@click.argument("export", type=click.Path(dir_okay=False, allow_dash=True), required=False)
@db_option
@click.option("--period", type=click.Choice(["week", "month", "quarter"]), default="month", show_default=True, help="Period for trends.")
@click.option("--by", "by", multiple=True, metavar="owner|source|COL", help="Compare groups of this role or column (repeatable). Default: owner and source when detected.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only rejections on or after this date (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only rejections up to this date; the period holding it counts up to that day ('to date').")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json", "html"]), help="Output format. Default: from -o's extension, else table.")
@output_option("Write the report to this file. Default: stdout.")
@click.option("--lang", type=click.Choice(["en", "de"]), default="en", show_default=True, help="Language of the report's wording.")
@click.option("--no-redact", is_flag=True, help="Keep e-mail addresses and phone numbers in quoted notes.")
@click.option("--picklist-map", type=click.Path(exists=True, dir_okay=False), help="CSV of picklist value,label to override how picklist values map to labels.")
@click.option("--min-n", default=30, show_default=True, help="Fewest rejections a rep, source or period needs before it can raise an alert.")
@click.option("--fail-on-alert", is_flag=True, help="Exit with code 3 when the report has alerts (for a scheduled job).")
@model_option
@role_options
def report(export, db, period, by, since, until, fmt, output, lang, no_redact, picklist_map, min_n, fail_on_alert, model_dir, **kwargs):
    """Trends of rejection reasons, who and which sources drive weak rejections, and alerts.

    EXPORT is a raw CRM export (classified on the fly) or the output of `classify`; with --db
    instead, every rejection ingested into the history, and whether challenged leads came back.

    \b
    Examples:
        rejection-radar report last_quarter.csv
        rejection-radar report export.xlsx --period quarter --lang de -o report.html
        rejection-radar report classified.csv --format json > report.json
    """
    from pathlib import Path

    from classifier.errors import InputError
    from classifier.exports.writer import write_text
    from classifier.reports import SUFFIXES, export_report, history_report, render

    options = dict(period=period, by=tuple(by), lang=lang, since=since, until=until, min_n=min_n, redact_notes=not no_redact)
    try:
        if (export is None) == (db is None):
            raise click.UsageError("give either an EXPORT file or --db (the history).")
        if db is not None:
            model = _load(model_dir)
            with _history(db) as history:
                result = history_report(history, model, **options)
        else:
            frame, model, source_export = _analyse(export, _roles(kwargs), model_dir, picklist_map, by=tuple(by))
            result = export_report(frame, source_export, model, **options)
    except InputError as e:
        if not str(e).startswith("--by"):
            raise
        raise click.BadParameter(str(e), param_hint="--by") from e
    fmt = fmt or (SUFFIXES.get(Path(output).suffix.lower(), "table") if output else "table")
    write_text(render(result, fmt, model.taxonomy, color=output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")), output, forbid=[e for e in [export] if e])
    _notice(*([f"report written to {output}"] if output else []))
    if fail_on_alert and result["alerts"]:
        sys.exit(3)


@cli.command()
@click.argument("export", type=click.Path(dir_okay=False, allow_dash=True), required=False)
@db_option
@output_option()
@click.option("--owner", help="Only this owner's rejections.")
@click.option("--source", help="Only leads from this source.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only rejections on or after this date (YYYY-MM-DD).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True, help="Skip predictions less sure than this.")
@click.option("--redact", is_flag=True, help="Mask e-mail addresses and phone numbers in notes.")
@model_option
@role_options
def challenge(export, db, output, owner, source, since, min_confidence, redact, model_dir, **kwargs):
    """The weak rejections to reopen, newest first, each with the question the rep should have asked.

    For too_early and bad_timing notes that name a time ("Q3", "nächstes Jahr", "ab März"),
    `follow_up` gives the date to call again.

    \b
    Examples:
        rejection-radar challenge export.csv -o reopen.xlsx
        rejection-radar challenge export.csv --owner "Maria Schneider" --since 2026-10-01
    """
    from classifier.exports import write_table
    from classifier.reports import challenge_list

    if (export is None) == (db is None):
        raise click.UsageError("give either an EXPORT file or --db (the history).")
    history = _history(db) if db is not None else None
    frame, model = (history.frame(), _load(model_dir)) if history else _analyse(export, _roles(kwargs), model_dir)[:2]
    leads = challenge_list(frame, model.taxonomy, owner=owner, source=source, since=since, min_confidence=min_confidence, redact_notes=redact)
    write_table(leads, output, forbid=[e for e in [export] if e])
    if history:  # what is on a challenge list, and since when, is what the outcome section compares
        _notice(f"recorded {history.record_challenges(leads['id'])} newly challenged leads in the history")
        history.close()
    _notice(f"{len(leads)} weak rejections to challenge" + (f" written to {output}" if output else ""))


@cli.command()
@click.argument("export", type=click.Path(exists=True, dir_okay=False))
@db_option
@model_option
@role_options
def ingest(export, db, model_dir, **kwargs):
    """Classify an export (or reuse a classified one) and store its rejections in the history.

    Re-ingesting the same file changes nothing; a later export updates the leads it names and
    records leads that came back (reopened or converted). Then `report --db`, `challenge --db`.

    \b
    Example:
        rejection-radar ingest leads_2026_03.csv --db
    """
    from classifier.history import ingest_export

    model = _load(model_dir, light=True)
    with _history(db) as history, click.progressbar(length=0, label="ingesting", file=sys.stderr) as bar:
        done = ingest_export(history, export, model, roles=_roles(kwargs), progress=bar.update)
        total = history.counts()
    _notice(f"{export} was ingested before; nothing changed" if done.already else
            f"{export}: {done.new} new and {done.updated} updated rejections, {done.outcomes} leads came back",
            f"{total['leads']} leads from {total['exports']} exports in {history.where}")


@cli.command()
@db_option
@model_option
def reclassify(db, model_dir):
    """Relabel every note in the history with the current model, so trends never mix two models.

    \b
    Example:
        rejection-radar reclassify --db --model acme
    """
    model = _load(model_dir, light=True)
    with _history(db) as history:
        notes, changed = history.reclassify(model)
    _notice(f"relabelled {notes} notes with the model of {model.card.get('created', '?')[:10]}; {changed} labels changed")


@cli.command()
@db_option
@click.option("--lead", help="Forget this lead's note and owner.")
@click.option("--older-than", metavar="24m|2y", help="Forget notes and owners of rejections older than this (months or years).")
def forget(db, lead, older_than):
    """Delete notes and personal fields from the history for good; counts and reasons stay.

    \b
    Examples:
        rejection-radar forget --db --lead 00Q5e00000AbCdEFG
        rejection-radar forget --db --older-than 24m
    """
    from classifier.history import retention_cutoff
    if (lead is None) == (older_than is None):
        raise click.UsageError("give --lead ID or --older-than 24m (months) / 2y (years).")
    cutoff = retention_cutoff(older_than) if older_than else None
    with _history(db) as history:
        done = history.forget(lead=lead, older_than=cutoff)
    _notice(f"forgot the notes and owners of {done} leads" + (f" rejected before {cutoff}" if cutoff else ""))


if __name__ == "__main__":
    cli()
