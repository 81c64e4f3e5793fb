"""Render a report dict (:func:`classifier.reports.builders.build_report`) as a terminal table, Markdown or HTML."""

from __future__ import annotations

import html
import io

from classifier.exports.text_safety import for_terminal, markdown_text
from classifier.reports.numbers import count, percent
from classifier.taxonomy import Taxonomy

WORDS = {
    "en": {
        "title": "Rejection Radar report",
        "overview": "Overview",
        "rejections": "Rejections analysed",
        "skipped": "Rows skipped (not rejections)",
        "range": "Date range",
        "weak": "Weak rejections",
        "review": "Notes needing review",
        "model": "Model",
        "latest": "Current period",
        "vs": "weak {latest} against {previous} in {before}",
        "year": "and {year} a year earlier",
        "alerts": "Alerts",
        "no_alerts": "No statistically supported differences.",
        "no_dates": "no dates (no date column found)",
        "outcomes": "Did challenging pay? (weak rejections, by reason)",
        "outcome_head": ("Reason", "challenged", "came back", "converted", "not challenged", "came back"),
        "no_periods": "Empty: the export has no date column, so rejections cannot be put into periods. Name the column with --date-column.",
        "periods": "Reasons per period",
        "period": "Period",
        "weak_share": "weak share",
        "owners": "Owners against the rest of the team",
        "sources": "Lead sources against the other sources",
        "name": "Name",
        "team": "rest",
        "top_reason": "Top reason",
        "challenge": "Leads to challenge",
        "note": "Note",
        "reason": "Reason",
        "question": "Question",
        "date": "Date",
        "owner": "Owner",
        "follow_up": "Call again",
        "drift": "Many notes look unlike the model's training data ({review} need review, the model card expects {review_base}; {oov} unseen words, expected {oov_base}). Label the most useful ones with `rejection-radar review-queue` and retrain.",
        "mix_chart": "Reasons per period",
        "weak_chart": "Weak share over time",
        "shift": "since {since}",
        "owner_chart": "Weak share per owner (line: whole team)",
        "source_chart": "Weak share per lead source (line: all sources)",
    },
    "de": {
        "title": "Rejection-Radar-Bericht",
        "overview": "Überblick",
        "rejections": "Ausgewertete Absagen",
        "skipped": "Übersprungene Zeilen (keine Absagen)",
        "range": "Zeitraum",
        "weak": "Schwache Absagen",
        "review": "Zu prüfende Notizen",
        "model": "Modell",
        "latest": "Aktueller Zeitraum",
        "vs": "schwach {latest} gegenüber {previous} in {before}",
        "year": "und {year} ein Jahr zuvor",
        "alerts": "Auffälligkeiten",
        "no_alerts": "Keine statistisch belegten Unterschiede.",
        "no_dates": "keine Daten (keine Datumsspalte gefunden)",
        "outcomes": "Hat das Hinterfragen gelohnt? (schwache Absagen, je Grund)",
        "outcome_head": ("Grund", "hinterfragt", "zurück", "gewonnen", "nicht hinterfragt", "zurück"),
        "no_periods": "Leer: Der Export hat keine Datumsspalte, daher lassen sich die Absagen keinem Zeitraum zuordnen. Nennen Sie die Spalte mit --date-column.",
        "periods": "Gründe je Zeitraum",
        "period": "Zeitraum",
        "weak_share": "Anteil schwach",
        "owners": "Vertriebler im Vergleich zum übrigen Team",
        "sources": "Lead-Quellen im Vergleich zu den anderen",
        "name": "Name",
        "team": "Rest",
        "top_reason": "Häufigster Grund",
        "challenge": "Leads zum Nachfassen",
        "note": "Notiz",
        "reason": "Grund",
        "question": "Frage",
        "date": "Datum",
        "owner": "Vertriebler",
        "follow_up": "Wiedervorlage",
        "drift": "Viele Notizen ähneln den Trainingsdaten des Modells wenig ({review} zu prüfen, laut Modellkarte erwartet {review_base}; {oov} unbekannte Wörter, erwartet {oov_base}). Die nützlichsten mit `rejection-radar review-queue` labeln und neu trainieren.",
        "mix_chart": "Gründe je Zeitraum",
        "weak_chart": "Anteil schwacher Absagen über die Zeit",
        "shift": "seit {since}",
        "owner_chart": "Anteil schwacher Absagen je Vertriebler (Linie: ganzes Team)",
        "source_chart": "Anteil schwacher Absagen je Quelle (Linie: alle Quellen)",
    },
}


def _words(report: dict) -> dict:
    return WORDS.get(report["overview"].get("lang", "en"), WORDS["en"])


def _overview_rows(report: dict) -> list[tuple[str, str]]:
    o, w = report["overview"], _words(report)
    model, lang = o["model"], o.get("lang", "en")
    rows = [
        (w["rejections"], count(o["rejections"], lang)),
        (w["skipped"], count(o["skipped_not_rejections"], lang)),
        (w["range"], f"{o['date_from']} – {o['date_to']}" if o["date_from"] else w["no_dates"] if o["rejections"] else "–"),
        (w["weak"], percent(o["weak_share"], lang)),
        (w["review"], f"{count(o['needs_review'], lang)} ({percent(o['needs_review_share'], lang)})"),
        (w["model"], f"{model.get('created') or '?'} (held-out macro-F1 {model.get('heldout_macro_f1') or '?'})"),
    ]
    latest = o.get("latest_period")
    if latest and latest["previous"]:
        text = f"{latest['latest'].get('label', latest['latest']['period'])}: " + w["vs"].format(
            latest=percent(latest["latest"]["weak_share"], lang), previous=percent(latest["previous"]["weak_share"], lang),
            before=latest["previous"].get("label", latest["previous"]["period"]),
        )
        if latest["year_ago"]:
            text += " " + w["year"].format(year=percent(latest["year_ago"]["weak_share"], lang))
        rows.insert(4, (w["latest"], text))
    return rows


def drift_hint(report: dict) -> str | None:
    """The drift sentence when the notes drift from the training data, else None."""
    drift = report["overview"].get("drift")
    if not drift or not drift.get("drifting"):
        return None
    lang = report["overview"].get("lang", "en")
    return _words(report)["drift"].format(
        review=percent(drift["needs_review_share"], lang),
        review_base=percent(drift["expected_needs_review_share"], lang),
        oov=percent(drift["unseen_word_share"], lang),
        oov_base=percent(drift["expected_unseen_word_share"], lang),
    )


def _outcome_rows(report: dict, taxonomy: Taxonomy) -> list[tuple[str, ...]]:
    """The outcome section's rows (history reports only): reason, challenged, back, converted, not challenged, back."""
    lang = report["overview"]["lang"]
    return [(taxonomy.title(r["name"], lang), count(r["challenged"], lang), count(r["came_back"], lang), count(r["converted"], lang),
             count(r["not_challenged"], lang), count(r["not_challenged_came_back"], lang))
            for r in report.get("outcomes", {}).get("by_reason", [])]


def _undated(report: dict) -> bool:
    """Whether the period sections are empty because the export has no dates."""
    return not report["periods"] and not report["overview"]["date_from"] and report["overview"]["rejections"] > 0


def _top_reason(shares: dict, taxonomy: Taxonomy, lang: str) -> str:
    label = max(shares, key=shares.get)
    return f"{taxonomy.title(label, lang)} {percent(shares[label], lang)}"


def to_markdown(report: dict, taxonomy: Taxonomy) -> str:
    """The report as Markdown for a wiki page or a ticket; every piece of data is escaped (:func:`markdown_text`)."""
    w, lang = _words(report), report["overview"]["lang"]
    md = markdown_text
    out = [f"# {w['title']}", "", f"## {w['overview']}", "", "| | |", "|---|---|"]
    out += [f"| {k} | {md(v)} |" for k, v in _overview_rows(report)]
    if drift_hint(report):
        out += ["", f"> {drift_hint(report)}"]
    out += ["", f"## {w['alerts']}", ""]
    out += [f"- {md(a['message'])} (p={a['p_value']:.2g})" for a in report["alerts"]] or [w["no_alerts"]]
    labels = taxonomy.labels
    if _undated(report):
        out += ["", f"## {w['periods']}", "", w["no_periods"]]
    else:
        out += ["", f"## {w['periods']}", "", f"| {w['period']} | n | {w['weak_share']} | " + " | ".join(md(taxonomy.title(l, lang)) for l in labels) + " |"]
        out.append("|---" * (len(labels) + 3) + "|")
    for p in report["periods"]:
        out.append(f"| {md(p.get('label', p['period']))} | {p['n']} | {percent(p['weak_share'], lang)} | " + " | ".join(percent(p["shares"][l], lang) for l in labels) + " |")
    for key in ("owners", "sources"):
        if report[key]:
            out += ["", f"## {w[key]}", "", f"| {w['name']} | n | {w['weak_share']} | {w['team']} | {w['top_reason']} |", "|---|---|---|---|---|"]
            for g in report[key]:
                out.append(f"| {md(g['name'])} | {g['n']} | {percent(g['weak_share'], lang)} | {percent(g['baseline_weak_share'], lang)} | {md(_top_reason(g['shares'], taxonomy, lang))} |")
    if _outcome_rows(report, taxonomy):
        out += ["", f"## {w['outcomes']}", "", "| " + " | ".join(w["outcome_head"]) + " |", "|---" * 6 + "|"]
        out += ["| " + " | ".join(md(c) for c in row) + " |" for row in _outcome_rows(report, taxonomy)]
    if report["challenge"]:
        out += ["", f"## {w['challenge']}", "", f"| {w['date']} | {w['owner']} | {w['note']} | {w['reason']} | {w['question']} |", "|---|---|---|---|---|"]
        for c in report["challenge"]:
            out.append(f"| {md(c['date'])} | {md(c['owner'])} | {md(c['note'])} | {md(taxonomy.title(c['reason'], lang))} | {md(c['question'])} |")
    return "\n".join(out) + "\n"


def to_table(report: dict, taxonomy: Taxonomy, color: bool = False, width: int = 100) -> str:
    """A plain-text report for the terminal, laid out by rich (column widths, wide characters).

    ``color`` adds bold headings and red alerts; never set it when ``NO_COLOR`` is set or
    stdout is not a terminal (the CLI checks both). Data (names, periods, label titles, alert
    sentences) reaches the terminal without control characters or escape sequences
    (:func:`for_terminal`), each on one line, and is never read as rich markup.
    """
    from rich.console import Console
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    w, lang = _words(report), report["overview"]["lang"]
    console = Console(file=io.StringIO(), width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, emoji=False, markup=False)

    def t(text) -> Text:
        return Text(for_terminal(str(text), one_line=True))

    def table(*headers: str, right: tuple[int, ...] = ()) -> Table:
        grid = Table(box=None, pad_edge=False, padding=(0, 1), show_edge=False, header_style="bold" if color else "")
        for i, h in enumerate(headers):
            grid.add_column(h, justify="right" if i in right else "left", overflow="fold")
        return grid

    def section(title: str, body) -> None:
        console.print()
        console.print(Text(title, style="bold" if color else ""))
        console.print(Padding(body, (0, 0, 0, 2)))

    console.print(Text(w["title"], style="bold" if color else ""))
    overview = table("", "")
    overview.show_header = False
    for key, value in _overview_rows(report):
        overview.add_row(Text(key), t(value))
    console.print()
    console.print(Padding(overview, (0, 0, 0, 2)))
    if drift_hint(report):
        console.print()
        console.print(Padding(Text(drift_hint(report), style="yellow" if color else ""), (0, 0, 0, 2)))
    alerts = Table.grid(padding=(0, 1))
    for a in report["alerts"]:
        alerts.add_row(Text("!", style="bold red" if color else ""), t(a["message"]))
    section(w["alerts"], alerts if report["alerts"] else Text(w["no_alerts"]))
    periods = table(w["period"], "n", w["weak_share"], w["top_reason"], right=(1, 2))
    for p in report["periods"]:
        periods.add_row(t(p.get("label", p["period"])), count(p["n"], lang), percent(p["weak_share"], lang),
                        t(_top_reason(p["shares"], taxonomy, lang)))
    section(w["periods"], Text(w["no_periods"]) if _undated(report) else periods)
    for key in ("owners", "sources"):
        if report[key]:
            groups = table(w["name"], "n", w["weak_share"], w["team"], w["top_reason"], right=(1, 2, 3))
            for g in report[key]:
                groups.add_row(t(g["name"]), count(g["n"], lang), percent(g["weak_share"], lang),
                               percent(g["baseline_weak_share"], lang), t(_top_reason(g["shares"], taxonomy, lang)))
            section(w[key], groups)
    if _outcome_rows(report, taxonomy):
        outcome = table(*w["outcome_head"], right=(1, 2, 3, 4, 5))
        for row in _outcome_rows(report, taxonomy):
            outcome.add_row(*(t(c) for c in row))
        section(w["outcomes"], outcome)
    text = console.file.getvalue()
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _svg(fig) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def weak_shift(report: dict) -> dict | None:
    """The level-shift alert on the weak share, if the report has one."""
    return next((a for a in report["alerts"] if a["scope"] == "period" and a.get("since") and a["metric"] == "weak"), None)


def _mark_shift(ax, report: dict, periods: list[str], w: dict) -> None:
    """Shade the weak-share chart from the start of a level shift to the end, with a line at the start."""
    shift = weak_shift(report)
    if not shift or shift["since"] not in periods:
        return
    start = periods.index(shift["since"]) - 0.5
    ax.axvspan(start, len(periods) - 0.5, color="#c0392b", alpha=0.10, linewidth=0, gid="level-shift")
    ax.axvline(start, color="#c0392b", linestyle="--", linewidth=1, gid="level-shift-start")
    ax.text(start, 0.95, " " + w["shift"].format(since=shift["since"]), va="top", ha="left", fontsize=8, color="#c0392b")


def charts(report: dict, taxonomy: Taxonomy) -> dict[str, str]:
    """SVG charts: reason mix per period, weak share over time, owners and sources against the team."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9, "svg.fonttype": "path", "text.parse_math": False})  # "$" in a name is text
    w, lang = _words(report), report["overview"]["lang"]
    out = {}
    periods = report["periods"]
    if periods:
        names = [p.get("label", p["period"]) for p in periods]
        fig, ax = plt.subplots(figsize=(9, 3.6))
        bottom = [0.0] * len(periods)
        cmap = plt.get_cmap("tab20")
        for i, label in enumerate(taxonomy.labels):
            values = [p["shares"][label] for p in periods]
            ax.bar(names, values, bottom=bottom, label=taxonomy.title(label, lang), color=cmap(i), hatch="//" if taxonomy[label].weak else None, edgecolor="white", linewidth=0.3)
            bottom = [b + v for b, v in zip(bottom, values)]
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: percent(v, lang)))
        ax.legend(fontsize=7, ncol=1, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
        ax.set_title(w["mix_chart"])
        ax.tick_params(axis="x", rotation=45)
        out["mix"] = _svg(fig)
        fig, ax = plt.subplots(figsize=(9, 2.6))
        ax.plot(names, [p["weak_share"] for p in periods], marker="o", color="#c0392b")
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: percent(v, lang)))
        ax.set_title(w["weak_chart"])
        _mark_shift(ax, report, [p["period"] for p in periods], w)
        ax.grid(axis="y", alpha=0.3)
        ax.tick_params(axis="x", rotation=45)
        out["weak"] = _svg(fig)
    overall = report["overview"]["weak_share"]
    for key, title in (("owners", "owner_chart"), ("sources", "source_chart")):
        groups = report[key][:25]
        if not groups:
            continue
        fig, ax = plt.subplots(figsize=(9, 0.3 * len(groups) + 1))
        names = [g["name"] for g in groups][::-1]
        values = [g["weak_share"] for g in groups][::-1]
        alerted = {a["subject"] for a in report["alerts"] if a["scope"] == key[:-1]}
        ax.barh(range(len(names)), values, color=["#c0392b" if n in alerted else "#7f8c8d" for n in names])
        # by position, so two names alike once cleaned keep their own bars; no control character reaches the font
        ax.set_yticks(range(len(names)), [for_terminal(str(n), one_line=True) for n in names])
        ax.axvline(overall, color="black", linestyle="--", linewidth=1)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: percent(v, lang)))
        ax.set_title(w[title])
        out[key] = _svg(fig)
    return out


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:62rem;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.85rem}td,th{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6}.alert{background:#fdecea;border-left:4px solid #c0392b;padding:.4rem .6rem;margin:.3rem 0}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}figure,table,.alert{page-break-inside:avoid}}
"""


def to_html(report: dict, taxonomy: Taxonomy) -> str:
    """One self-contained HTML page (inline CSS and SVG, no scripts or external resources)."""
    w, lang = _words(report), report["overview"]["lang"]
    e = html.escape
    svgs = charts(report, taxonomy)
    parts = [
        f"<!DOCTYPE html><html lang='{e(lang)}'><head><meta charset='utf-8'><title>{e(w['title'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(w['title'])}</h1><h2>{e(w['overview'])}</h2><table>",
    ]
    parts += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in _overview_rows(report)]
    parts.append("</table>")
    if drift_hint(report):
        parts.append(f"<p class='alert'>{e(drift_hint(report))}</p>")
    parts.append(f"<h2>{e(w['alerts'])}</h2>")
    parts += [f"<div class='alert'>{e(a['message'])} <small>(p={a['p_value']:.2g})</small></div>" for a in report["alerts"]] or [f"<p>{e(w['no_alerts'])}</p>"]
    parts.append(f"<h2>{e(w['periods'])}</h2>")
    if _undated(report):
        parts.append(f"<p>{e(w['no_periods'])}</p>")
    for key in ("mix", "weak"):
        if key in svgs:
            shift = weak_shift(report) if key == "weak" else None
            caption = f"<figcaption class='shift'>{e(shift['message'])}</figcaption>" if shift else ""
            parts.append(f"<figure class='chart' id='chart-{key}'>{svgs[key]}{caption}</figure>")
    for key in ("owners", "sources"):
        if report[key]:
            parts.append(f"<h2>{e(w[key])}</h2>")
            if key in svgs:
                parts.append(f"<figure class='chart' id='chart-{key}'>{svgs[key]}</figure>")
            parts.append(f"<table><tr><th>{e(w['name'])}</th><th>n</th><th>{e(w['weak_share'])}</th><th>{e(w['team'])}</th><th>{e(w['top_reason'])}</th></tr>")
            for g in report[key]:
                parts.append(
                    f"<tr><td>{e(g['name'])}</td><td>{g['n']}</td><td>{percent(g['weak_share'], lang)}</td>"
                    f"<td>{percent(g['baseline_weak_share'], lang)}</td><td>{e(_top_reason(g['shares'], taxonomy, lang))}</td></tr>"
                )
            parts.append("</table>")
    if _outcome_rows(report, taxonomy):
        parts.append(f"<h2>{e(w['outcomes'])}</h2><table><tr>" + "".join(f"<th>{e(h)}</th>" for h in w["outcome_head"]) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in _outcome_rows(report, taxonomy)]
        parts.append("</table>")
    if report["challenge"]:
        parts.append(f"<h2>{e(w['challenge'])}</h2><table><tr><th>{e(w['date'])}</th><th>{e(w['owner'])}</th><th>{e(w['note'])}</th><th>{e(w['reason'])}</th><th>{e(w['question'])}</th><th>{e(w['follow_up'])}</th></tr>")
        for c in report["challenge"]:
            parts.append(
                f"<tr><td>{e(c['date'])}</td><td>{e(c['owner'])}</td><td>{e(c['note'])}</td>"
                f"<td>{e(taxonomy.title(c['reason'], lang))}</td><td>{e(c['question'])}</td><td>{e(c['follow_up'])}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
