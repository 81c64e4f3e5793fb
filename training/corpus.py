"""The labelled corpus: where it lives, how to read labelled files, and its quality checks."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from classifier.errors import InputError
from classifier.taxonomy import Taxonomy, default_taxonomy

CORPUS_FILE = "corpus.csv"
TEST_FILE = "independent_test.csv"
UNPROMPTED_FILE = "unprompted_test.csv"  # round 14's test slice: texts written without a label, labelled by two annotators
UNPROMPTED = "unprompted"  # in the name of every batch written without a label and labelled afterwards (rounds 14-17)
MIN_PER_LABEL_LANG = 200
NEAR_DUPLICATE = 0.8
LABEL_COLUMNS = ("label", "reason", "category", "grund", "kategorie")
TEXT_COLUMNS = ("text", "note", "notes", "notiz", "comment", "kommentar", "description", "beschreibung")


def data_path(name: str = CORPUS_FILE) -> Path:
    """Path of a file shipped in ``training/data``."""
    return Path(str(resources.files("training").joinpath("data", name)))


def load_corpus(name: str = CORPUS_FILE) -> pd.DataFrame:
    """The bundled corpus (``corpus.csv``) or independent test set (``independent_test.csv``)."""
    return pd.read_csv(data_path(name), dtype=str, keep_default_na=False)


def written_without_a_label(corpus: pd.DataFrame) -> pd.Series:
    """Which corpus notes come from the batches written without a label (rounds 14-17), by their ``source``."""
    return corpus["source"].str.contains(UNPROMPTED)


def written_for_a_label(corpus: pd.DataFrame) -> pd.DataFrame:
    """The corpus without the batches written without a label (rounds 14-17): the 20,719 notes it held before."""
    return corpus[~written_without_a_label(corpus)]


def files_sha256(paths: Sequence[str | Path]) -> str:
    """One SHA-256 over the bytes of several files, in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def _pick(columns: Sequence[str], wanted: str | None, candidates: Sequence[str], role: str, source: str) -> str:
    if wanted:
        if wanted not in columns:
            raise InputError(f"{source}: no column {wanted!r}; columns are {', '.join(map(repr, columns))}.")
        return wanted
    lowered = {c.strip().lower(): c for c in columns}
    for name in candidates:
        if name in lowered:
            return lowered[name]
    flag = "--text-column" if role == "text" else "--label-column"
    raise InputError(f"{source}: no {role} column found among {', '.join(map(repr, columns))}; name it with {flag}.")


def read_labelled(path: str | Path, text_column: str | None = None, label_column: str | None = None) -> pd.DataFrame:
    """Read a labelled CSV/XLSX export into a frame with ``text`` and ``label`` (plus its other columns)."""
    from classifier.exports import read_export

    roles = {"note": text_column} if text_column else None
    export = read_export(path, roles=roles, require_note=False)
    frame = export.frame
    label = _pick(list(frame.columns), label_column, LABEL_COLUMNS, "label", str(path))
    text = text_column or export.roles.get("note") or _pick(list(frame.columns), None, TEXT_COLUMNS, "text", str(path))
    if text == label:
        raise InputError(f"{path}: text and label columns are both {text!r}; name them with --text-column and --label-column.")
    out = frame.rename(columns={text: "text", label: "label"}) if (text, label) != ("text", "label") else frame.copy()
    out["label"] = out["label"].str.strip()
    missing = out["label"] == ""
    if missing.any():
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(missing)[:5])
        raise InputError(f"{path}: {int(missing.sum())} rows have no label (data rows {rows}...); label or remove them.")
    return out


def _trigram_sets(texts: Sequence[str]):
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(analyzer="char", ngram_range=(3, 3), lowercase=True, binary=True)
    return vec.fit_transform([" ".join(t.split()) for t in texts]).astype(np.float32)


def near_duplicates(texts: Sequence[str], threshold: float = NEAR_DUPLICATE) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, jaccard)`` of texts whose character 3-gram Jaccard similarity is >= ``threshold``."""
    if len(texts) < 2:
        return []
    grams = _trigram_sets(texts)
    sizes = np.asarray(grams.sum(axis=1)).ravel()
    inter = (grams @ grams.T).tocoo()
    pairs = []
    for i, j, shared in zip(inter.row, inter.col, inter.data):
        if i < j:
            union = sizes[i] + sizes[j] - shared
            if union and shared / union >= threshold:
                pairs.append((int(i), int(j), round(float(shared / union), 3)))
    return pairs


def check_corpus(
    frame: pd.DataFrame,
    taxonomy: Taxonomy | None = None,
    min_per_label_lang: int = MIN_PER_LABEL_LANG,
    langs: Sequence[str] = ("de", "en"),
) -> list[str]:
    """Problems with a labelled corpus: unknown labels, too few notes per label and language,
    exact duplicates, and near-duplicates within a label. An empty list means it passes."""
    taxonomy = taxonomy or default_taxonomy()
    problems = []
    unknown = sorted(set(frame["label"]) - set(taxonomy.labels))
    if unknown:
        problems.append(f"unknown labels: {', '.join(unknown)}")
    if "secondary_label" in frame:
        bad = sorted(set(frame["secondary_label"]) - set(taxonomy.labels) - {""})
        if bad:
            problems.append(f"unknown secondary labels: {', '.join(bad)}")
    counts = frame.groupby(["label", "lang"]).size()
    for label in taxonomy.labels:
        for lang in langs:
            n = int(counts.get((label, lang), 0))
            if n < min_per_label_lang:
                problems.append(f"{label}/{lang}: {n} notes, need {min_per_label_lang}")
    normalised = frame["text"].str.strip()
    dupes = normalised[normalised.duplicated(keep=False)]
    if len(dupes):
        problems.append(f"{dupes.nunique()} exact duplicate texts, e.g. {dupes.iloc[0]!r}")
    for label, group in frame.groupby("label"):
        texts = group["text"].tolist()
        for i, j, sim in near_duplicates(texts)[:3]:
            problems.append(f"near-duplicate in {label} (Jaccard {sim}): {texts[i]!r} ~ {texts[j]!r}")
    return problems


def near_copies(texts: Sequence[str], reference: Sequence[str], threshold: float = NEAR_DUPLICATE) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, jaccard)``: ``texts[i]`` is within ``threshold`` (character 3-gram Jaccard, case and
    white space ignored) of ``reference[j]``. Only pairs across the two sets are compared."""
    from sklearn.feature_extraction.text import CountVectorizer

    test, train = _normalised(texts), _normalised(reference)
    if not test or not train:
        return []
    vec = CountVectorizer(analyzer="char", ngram_range=(3, 3), binary=True).fit(test + train)
    a, b = vec.transform(test).astype(np.float32), vec.transform(train).astype(np.float32)
    size_a, size_b = np.asarray(a.sum(axis=1)).ravel(), np.asarray(b.sum(axis=1)).ravel()
    shared = (a @ b.T).tocoo()
    jaccard = shared.data / np.maximum(size_a[shared.row] + size_b[shared.col] - shared.data, 1)
    keep = jaccard >= threshold
    return [(int(i), int(j), round(float(v), 3)) for i, j, v in zip(shared.row[keep], shared.col[keep], jaccard[keep])]


def overlapping(test_texts: Sequence[str], train_texts: Sequence[str], threshold: float = NEAR_DUPLICATE) -> np.ndarray:
    """Boolean mask over ``test_texts``: exact or near (3-gram Jaccard >= threshold) copies of a training text."""
    hit = np.zeros(len(test_texts), dtype=bool)
    hit[[i for i, _, _ in near_copies(test_texts, train_texts, threshold)]] = True
    exact = set(_normalised(train_texts))
    return hit | np.array([t in exact for t in _normalised(test_texts)], dtype=bool)


def _normalised(texts: Sequence[str]) -> list[str]:
    return [" ".join(str(t).lower().split()) for t in texts]
