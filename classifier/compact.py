"""A fitted model's weights as plain arrays, so notes are scored without scikit-learn.

``rejection-radar classify`` (one note or a whole export), ``report`` and ``challenge`` answer
from it: importing scikit-learn and rebuilding the pipeline from its skops file cost more than
a second. It is derived from a model file once and kept in the user's cache folder
(:func:`classifier.persistence.scorer_cache_path`), named after the model's checksum. The file holds, per
feature block, the terms in column order with their idf and their rows of the linear model's
weights (already scaled by the block's weight; followed by the naive Bayes model's log
probabilities where the model has one), then the intercept, the sigmoid calibration and the
naive Bayes model's share.
Only arrays of numbers and UTF-8 bytes are stored and they are read with ``allow_pickle=False``:
loading runs no code. A test holds the probabilities equal to the pipeline's;
:func:`classifier.scoring.compact_scorer` reads the arrays from a fitted pipeline.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from classifier.errors import ModelError
from classifier.features import TermColumns, Tokens, split_tokens, sublinear_tfidf
from classifier.ngrams import CharNgrams, word_ngrams

MAX_SCORER_BYTES = 512 << 20  # all arrays together; the bundled model's are 30 MB
_KINDS = ("words", "chars")


def sigmoid_probabilities(decision: np.ndarray, a: np.ndarray, b: np.ndarray, columns: np.ndarray, n_classes: int) -> np.ndarray:
    """Calibrated probabilities from a linear model's scores, as ``CalibratedClassifierCV(method="sigmoid")``.

    Per class the sigmoid ``1 / (1 + exp(a * score + b))``, then normalised per note.
    """
    proba = np.zeros((len(decision), n_classes))
    with np.errstate(over="ignore"):
        proba[:, columns] = 1.0 / (1.0 + np.exp(decision * a + b))
    total = proba.sum(axis=1, keepdims=True)
    proba = np.divide(proba, total, out=np.full_like(proba, 1 / n_classes), where=total != 0)
    proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
    return proba


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, as naive Bayes' ``predict_proba`` turns joint log likelihoods into probabilities."""
    scores = scores - scores.max(axis=1, keepdims=True)
    proba = np.exp(scores)
    return proba / proba.sum(axis=1, keepdims=True)


class Block:
    """One feature block: its term columns, idf and weight rows."""

    def __init__(self, kind: str, terms: list[str], idf: np.ndarray, weights: np.ndarray, char_range: tuple[int, int]):
        self.kind, self.char_range = kind, char_range
        self.idf, self.weights = idf, weights
        analyzer = CharNgrams(*char_range) if kind == "chars" else word_ngrams
        self.columns = TermColumns({term: i for i, term in enumerate(terms)}, analyzer)

    def scores(self, tokens: Tokens) -> np.ndarray:
        """This block's share of the linear scores of split notes (sublinear tf-idf, l2 norm), a row per note."""
        return sublinear_tfidf(self.columns.counts(tokens), self.idf) @ self.weights


class CompactScorer:
    """Probabilities of preprocessed notes from plain arrays; see the module docstring.

    ``prep`` holds the parameters of the pipeline's spaCy step (``cues``, ``concepts``,
    ``function_words``), for :func:`classifier.lemmas.prepare_notes`; ``source`` the SHA-256 of
    the model file the arrays were read from. With ``bayes_weight`` > 0 each block's weights
    hold the naive Bayes log probabilities after the linear model's columns.
    """

    def __init__(self, classes: list[str], blocks: list[Block], intercept: np.ndarray, a: np.ndarray, b: np.ndarray,
                 columns: np.ndarray, prep: dict, source: str = "", bayes_weight: float = 0.0):
        self.classes, self.blocks, self.intercept = classes, blocks, intercept
        self.a, self.b, self.columns, self.prep, self.source = a, b, columns, prep, source
        self.bayes_weight = bayes_weight

    def predict_proba(self, prepared: list[str]) -> np.ndarray:
        """Calibrated probabilities, one row per preprocessed note, columns in :attr:`classes` order."""
        tokens = split_tokens(prepared)
        width = len(self.intercept)
        scores = np.zeros((len(prepared), self.blocks[0].weights.shape[1] if self.blocks else width))
        for block in self.blocks:
            scores += block.scores(tokens)
        proba = sigmoid_probabilities(scores[:, :width] + self.intercept, self.a, self.b, self.columns, len(self.classes))
        if self.bayes_weight:
            proba = (1 - self.bayes_weight) * proba + self.bayes_weight * softmax(scores[:, width:])
        return proba

    def prepare(self, notes: list[str], with_texts: bool = False) -> tuple[list[str], ...]:
        """Model input and language of each note (and its reading text), by the spaCy step this model was trained with."""
        from classifier.lemmas import prepare_notes

        return prepare_notes(notes, **self.prep, with_texts=with_texts)

    def save(self, path: str | Path) -> None:
        """Write the arrays to ``path`` (a compressed ``.npz``, 18 MB for the bundled model)."""
        meta = {"classes": self.classes, "prep": self.prep, "source": self.source, "bayes_weight": self.bayes_weight,
                "blocks": [{"kind": b.kind, "char_range": list(b.char_range)} for b in self.blocks]}
        arrays = {"meta": _utf8(json.dumps(meta)), "intercept": self.intercept, "a": self.a, "b": self.b, "columns": self.columns}
        for i, block in enumerate(self.blocks):
            arrays[f"terms{i}"] = _utf8("\n".join(block.columns.vocabulary))  # built from the terms in column order
            arrays[f"idf{i}"], arrays[f"weights{i}"] = block.idf, block.weights
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> "CompactScorer":
        """Read a file written by :meth:`save`; :class:`ModelError` naming the file if it is not one."""
        fix = "remove the file: it is derived from the model again when needed"
        try:
            _check_sizes(path)
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                classes, n = [str(c) for c in meta["classes"]], len(meta["classes"])
                bayes_weight = float(meta.get("bayes_weight", 0.0))
                if not 0 <= bayes_weight < 1:
                    raise ValueError(f"bayes_weight {bayes_weight} is not in [0, 1)")
                width = 2 * n if bayes_weight else n
                blocks = []
                for i, info in enumerate(meta["blocks"]):
                    terms = bytes(data[f"terms{i}"]).decode("utf-8").split("\n")
                    idf, weights = data[f"idf{i}"].astype(np.float64), data[f"weights{i}"].astype(np.float64)
                    kind, char_range = info["kind"], tuple(int(x) for x in info["char_range"])
                    if kind not in _KINDS or (kind == "chars" and not 1 <= char_range[0] <= char_range[1] <= 20) or idf.shape != (len(terms),) or weights.shape != (len(terms), width):
                        raise ValueError(f"block {i} is malformed")
                    blocks.append(Block(kind, terms, idf, weights, char_range))
                scorer = cls(classes, blocks, data["intercept"].astype(np.float64), data["a"].astype(np.float64),
                             data["b"].astype(np.float64), data["columns"].astype(np.int64), dict(meta["prep"]), str(meta["source"]), bayes_weight)
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, zipfile.BadZipFile, RecursionError) as e:
            raise ModelError(f"{path} is not a Rejection Radar scorer file ({type(e).__name__}: {e}); {fix}.") from e
        width = scorer.intercept.shape
        if not (width == scorer.a.shape == scorer.b.shape == scorer.columns.shape and all(b.weights.shape[1] == (2 if scorer.bayes_weight else 1) * width[0] for b in blocks)
                and set(scorer.prep) == {"cues", "concepts", "function_words"} and ((0 <= scorer.columns) & (scorer.columns < n)).all()):
            raise ModelError(f"{path} is not a Rejection Radar scorer file (its arrays do not fit together); {fix}.")
        return scorer


def _check_sizes(path: str | Path) -> None:
    """Refuse, before reading any data, arrays of objects and arrays larger than :data:`MAX_SCORER_BYTES`
    (a crafted header could ask for terabytes)."""
    total = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            with archive.open(info) as member:
                version = np.lib.format.read_magic(member)
                read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                shape, _, dtype = read(member)
            if dtype.hasobject:
                raise ValueError(f"{info.filename} holds Python objects")
            total += int(np.prod(shape, dtype=object)) * dtype.itemsize
            if total > MAX_SCORER_BYTES:
                raise ValueError(f"its arrays would take more than {MAX_SCORER_BYTES >> 20} MB")


def _utf8(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
