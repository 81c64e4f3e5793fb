"""Build the bundled model and the README's accuracy section from its card.

Usage::

    python -m training.bundle [--dev ../shared/real_phrases/real_phrases_dev.csv] [--out models/default]
    python -m training.bundle --readme          # rewrite README.md's accuracy block from the card
    python -m training.bundle --rescore [--dev ...]  # score the bundled model again, without retraining

Training: ``training/data/corpus.csv`` with its writer batches as groups (so the review
threshold is chosen on notes of writers the model never saw, flagging at most 35% of the texts
written without a label), then scored on the independent
test set (per register and language), on the test slice of texts written without a label
(``unprompted_test.csv``, per voice and language) and, where given, on labelled real-world phrases (per
language). The README block between ``<!-- accuracy:start -->`` and ``<!-- accuracy:end -->`` is
generated from the card, so the two cannot disagree (a test checks it). ``--rescore`` re-scores
the saved model (after the test set grew) and rewrites only its card and the README block.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from classifier.persistence import bundled_model_dir

from .corpus import CORPUS_FILE, TEST_FILE, UNPROMPTED_FILE, data_path, files_sha256, load_corpus, written_without_a_label

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- accuracy:start -->\n)(.*?)(<!-- accuracy:end -->)", re.S)
# written after the features were chosen: the fresh slice and the stock wordings of round 11
FRESH = ("test_06_fresh_de", "test_07_fresh_en", "test_10_stock_de", "test_11_stock_en")
REGISTERS = {
    "rep_note": "rep notes (shorthand)",
    "buyer_quote": "buyer quotes",
    "formal": "rule and picklist language",
    "summary": "summaries and e-mail replies",
    "article": "texts about rejections (sales advice, stories)",
}


def build(out: str | Path, dev: str | None = None, seed: int = 0) -> dict:
    """Train the bundled model, score it, save it to ``out``; returns its card."""
    from classifier import save_model
    from training.train import train_model

    corpus = load_corpus()
    unprompted = written_without_a_label(corpus)
    model = train_model(
        corpus["text"], corpus["label"], seed=seed, groups=corpus["source"], review_on=unprompted if unprompted.any() else None,
        corpus_sha256=files_sha256([data_path(CORPUS_FILE)]), progress=lambda m: print(m, file=sys.stderr),
    )
    model.card["corpus_files"] = [f"training/data/{CORPUS_FILE}"]
    _score(model, dev)
    save_model(model, out)
    return model.card


def _score(model, dev: str | None) -> None:
    """Record the model's figures on the independent test set (and the ``dev`` file) in its card."""
    from training.evaluate import evaluate

    test = load_corpus(TEST_FILE)
    written = ["after the feature choice" if s in FRESH else "before" for s in test["source"]]
    by = {"lang": test["lang"].tolist(), "register": test["register"].tolist(), "written": written}
    model.card["heldout"] = evaluate(model, test["text"].tolist(), test["label"].tolist(), by=by)
    unprompted = load_corpus(UNPROMPTED_FILE)
    model.card["unprompted"] = evaluate(model, unprompted["text"].tolist(), unprompted["label"].tolist(),
                                        by={"lang": unprompted["lang"].tolist(), "voice": [_voice(r) for r in unprompted.itertuples()]})
    if dev:
        frame = pd.read_csv(dev, dtype=str, keep_default_na=False)
        model.card["real_phrases"] = evaluate(model, frame["text"].tolist(), frame["label"].tolist(), by={"lang": frame["lang"].tolist()})
        model.card["real_phrases"]["file"] = Path(dev).name


def _voice(row) -> str:
    """Whose voice a text of the unprompted slice is in: the writer's brief gave buyer, seller or public."""
    return "public" if "public" in row.source else "buyer" if row.register == "buyer_quote" else "seller"


def rescore(out: str | Path, dev: str | None = None) -> dict:
    """Score the saved model in ``out`` again and rewrite its card; the model file stays as it is."""
    from classifier import load_model
    from classifier.persistence import write_card

    model = load_model(out)
    _score(model, dev)
    return write_card(model.card, out)


def _row(name: str, n: int, part: dict) -> str:
    conf = part["confident"]
    return (
        f"| {name} | {n:,} | {part['macro_f1']:.3f} | {part['weak_f1']:.3f} | {part['accuracy']:.3f} | "
        f"{conf['accuracy']:.1%} right on {conf['coverage']:.0%} |"
    )


def accuracy_table(card: dict) -> str:
    """The README's accuracy table (markdown) from a model card."""
    lines = [
        "| data | notes | macro-F1 | weak-vs-valid F1 | accuracy | not flagged for review |",
        "|---|---|---|---|---|---|",
        _row("5-fold cross-validation on the training corpus", card["cv"]["n"], card["cv"]),
    ]
    if "cross_writer" in card:
        lines.append(_row("cross-writer validation (each writer batch unseen)", card["cross_writer"]["n"], card["cross_writer"]))
    held = card["heldout"]
    lines.append(_row("**independent test set, all registers**", held["n"], held))
    for register, title in REGISTERS.items():
        part = held.get("by", {}).get("register", {}).get(register)
        if part:
            lines.append(_row(f"&nbsp;&nbsp;test set: {title}", part["n"], part))
    fresh = held.get("by", {}).get("written", {}).get("after the feature choice")
    if fresh:
        lines.append(_row("&nbsp;&nbsp;test set: fresh slices, written after the features were chosen", fresh["n"], fresh))
    for key, title, short in (("unprompted", "texts written without a label, labelled by two annotators (test slice)", "texts written without a label"),
                              ("real_phrases", "real phrases from public pages (dev set)", "real phrases")):
        if key in card:
            lines.append(_row(f"**{title}**", card[key]["n"], card[key]))
            for column in ("voice", "lang"):
                lines += [_row(f"&nbsp;&nbsp;{short}, {value}", part["n"], part) for value, part in card[key].get("by", {}).get(column, {}).items()]
    return "\n".join(lines) + "\n"


def per_label_table(card: dict) -> str:
    """F1 per label on the independent test set and the real phrases, side by side."""
    held, real = card["heldout"]["per_label"], card.get("real_phrases", {}).get("per_label", {})
    lines = ["| label | test set F1 | real phrases F1 | real phrases recall |", "|---|---|---|---|"]
    for label, row in held.items():
        other = real.get(label)
        extra = f"{other['f1']:.3f} | {other['recall']:.3f}" if other else "- | -"
        lines.append(f"| {label} | {row['f1']:.3f} | {extra} |")
    return "\n".join(lines) + "\n"


def readme_block(card: dict) -> str:
    return accuracy_table(card) + "\nF1 per label:\n\n" + per_label_table(card)


def write_readme(card: dict, path: Path = README) -> None:
    text = path.read_text(encoding="utf-8")
    if not BLOCK.search(text):
        raise SystemExit(f"{path}: no <!-- accuracy:start --> ... <!-- accuracy:end --> block")
    path.write_text(BLOCK.sub(lambda m: m.group(1) + readme_block(card) + m.group(3), text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(bundled_model_dir()))
    parser.add_argument("--dev", help="labelled real-world phrases (text,label,lang) to score and record in the card")
    parser.add_argument("--readme", action="store_true", help="only rewrite README.md's accuracy block from the card in --out")
    parser.add_argument("--rescore", action="store_true", help="score the model in --out again (test set, --dev) without retraining")
    args = parser.parse_args(argv)
    if args.readme:
        from classifier.persistence import read_card

        card = read_card(args.out)
    elif args.rescore:
        card = rescore(args.out, args.dev)
    else:
        card = build(args.out, args.dev)
    write_readme(card)
    print(readme_block(card))
    return 0


if __name__ == "__main__":
    sys.exit(main())
