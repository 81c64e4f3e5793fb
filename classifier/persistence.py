"""Saving and loading models: a skops file (no pickle) plus a JSON card that is checked before loading.

A model file cannot run code when it is loaded: it is written with skops' secure format, and
before anything is built from it every object it names is checked against :data:`TRUSTED_TYPES`,
the project's own classes and the scikit-learn, NumPy and SciPy types the pipeline uses. A file
naming anything else (``os.system``, ``builtins.eval``, any other class) is refused. The card's
SHA-256 catches corruption only; it is not a signature. Old pickled models (format 1) are refused
too: retrain them, or convert one you trust with ``python -m classifier.persistence upgrade DIR``.

The vectorisers' vocabularies (about 150,000 terms) are stored as one JSON text each instead of
skops' node per entry: loading stays as fast as a pickle.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import zipfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from classifier.compact import CompactScorer
from classifier.errors import ModelError
from classifier.model import ReasonModel
from classifier.taxonomy import Taxonomy

MODEL_FILE = "model.skops"
LEGACY_MODEL_FILE = "model.joblib"  # format 1: a pickle, refused when loading
CARD_FILE = "card.json"
FORMAT_VERSION = 2
ENV_MODEL = "REJECTION_RADAR_MODEL"
RETRAIN_HINT = "retrain with `rejection-radar train training/data/corpus.csv --out DIR`"
UNTRUSTED_FIX = f"{RETRAIN_HINT}, and use only model files written by rejection-radar"
UPGRADE_HINT = "or, only if you trust where it came from, convert it with `python -m classifier.persistence upgrade DIR`"
_CHECKED = {"scikit-learn": 2, "numpy": 1, "spacy": 2}  # how many version parts must match
MAX_SCHEMA_BYTES = 64 << 20  # the description of the object tree; the bundled model's is about 0.2 MB

# Everything a model file may name. Nothing else is ever built from a model file.
PROJECT_TYPES = [
    "classifier.pipeline.TokenTfidfVectorizer",
    "classifier.pipeline.CharNgrams",
    "classifier.pipeline.word_ngrams",
    "classifier.pipeline.cue_pairs",
    "classifier.ngrams.CharNgrams",  # the analyzers' home since 2026-12-02; models saved before name classifier.pipeline
    "classifier.ngrams.word_ngrams",
    "classifier.ngrams.cue_pairs",
    "classifier.preprocess.NotePreprocessor",
]
SKLEARN_TYPES = [
    "sklearn.pipeline.Pipeline",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.svm._classes.LinearSVC",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.ensemble._voting.VotingClassifier",
    "sklearn.naive_bayes.ComplementNB",
    "sklearn.preprocessing._label.LabelEncoder",
    "sklearn.utils._bunch.Bunch",  # VotingClassifier.named_estimators_, a dict
]
# Plain data: builtins, and NumPy arrays and scalar types (arrays are read with allow_pickle=False).
DATA_TYPES = [
    *(f"builtins.{name}" for name in ("dict", "list", "tuple", "str", "int", "float", "bool", "NoneType")),
    *(f"numpy.{name}" for name in ("ndarray", "dtype", "float64", "float32", "int64", "int32", "intc", "bool_", "bool", "str_")),
    "scipy.sparse._csr.csr_matrix",
    "scipy.sparse._csr.csr_array",
]
TRUSTED_TYPES = frozenset(PROJECT_TYPES + SKLEARN_TYPES + DATA_TYPES)


def library_versions() -> dict[str, str]:
    """Versions of the libraries a saved model depends on."""
    names = ["rejection-radar", "scikit-learn", "numpy", "scipy", "spacy", "spacy-lookups-data", "joblib", "pandas", "skops"]
    versions = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks (model files, and exports the history has seen)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundled_model_dir() -> Path:
    """The default model shipped with the package (source checkout or ``pip install``)."""
    here = Path(__file__).resolve().parent.parent / "models" / "default"
    if (here / CARD_FILE).exists():
        return here
    return Path(sys.prefix) / "share" / "rejection-radar" / "models" / "default"


ENV_HOME = "REJECTION_RADAR_HOME"
DEFAULT_POINTER = "default"


def user_dir() -> Path:
    """This user's Rejection Radar folder (``$REJECTION_RADAR_HOME`` or the platform's app folder)."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env)
    if sys.platform.startswith("win"):
        return Path(os.environ.get("APPDATA") or Path.home()) / "rejection-radar"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "rejection-radar"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "rejection-radar"


def user_models_dir() -> Path:
    return user_dir() / "models"


_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}")


def check_model_name(name: str, example: str = "--name acme") -> str:
    """``name`` if it is a plain model name (letters, digits, ``-``, ``_``, ``.`` not first), else :class:`ModelError`.

    >>> check_model_name("acme-2025.q3")
    'acme-2025.q3'
    """
    if not _NAME.fullmatch(name or "") or name == "bundled":
        raise ModelError(
            f"{name!r} is not a model name: use letters, digits, '-', '_' and '.' (not first), at most 100 characters, "
            f"no path separators, and not 'bundled' (for example {example})."
        )
    return name


def looks_like_path(name: str | Path) -> bool:
    """A :class:`~pathlib.Path`, or text with a separator or a leading ``.`` or ``~`` (``./acme``, ``/m/acme``, ``models/acme``)."""
    if isinstance(name, Path):
        return True
    text = str(name)
    return any(sep and sep in text for sep in ("/", os.sep, os.altsep)) or text.startswith((".", "~"))


def resolve_model_dir(name: str | Path | None = None) -> Path:
    """A model directory from a path, the name of an installed model, or ``None`` for the default.

    A path must look like one (``./acme``, ``/abs/acme``, ``models/acme``): a plain ``acme`` is
    the installed model of that name, never a folder that happens to be in the current directory.
    The default is ``$REJECTION_RADAR_MODEL`` if set, else the model promoted with
    :func:`promote_model`, else the bundled model.
    """
    if name is not None:
        if looks_like_path(name):
            return Path(os.path.expanduser(str(name)))
        name = str(name)
        if name == "bundled":
            return bundled_model_dir()
        check_model_name(name, f"acme; a folder is given as a path like ./{name}")
        installed = user_models_dir() / name
        if installed.is_dir():
            return installed
        names = ", ".join(["bundled", *(p.name for p in _installed_dirs())])
        here = f"; to use the folder {name} in the current directory, write ./{name}" if Path(name).is_dir() else ""
        raise ModelError(f"no installed model named {name!r} (installed: {names}){here}; a model folder is given as a path like ./{name}.")
    env = os.environ.get(ENV_MODEL)
    if env:
        return resolve_model_dir(env)
    pointer = user_dir() / DEFAULT_POINTER
    if pointer.exists():
        chosen = pointer.read_text(encoding="utf-8").strip()
        try:
            check_model_name(chosen)
        except ModelError as e:
            raise ModelError(f"{pointer} names {chosen!r} as your default model, which is not a model name; delete {pointer} or promote a model again.") from e
        promoted = user_models_dir() / chosen
        if (promoted / CARD_FILE).exists():
            return promoted
    return bundled_model_dir()


def default_model_dir() -> Path:
    """Where the model comes from when none is named (see :func:`resolve_model_dir`)."""
    return resolve_model_dir(None)


def _installed_dirs() -> list[Path]:
    home = user_models_dir()
    if not home.is_dir():
        return []
    return [p for p in sorted(home.iterdir()) if p.is_dir() and not p.name.startswith(".")]


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (not resolved: a symlink counts as itself) is a direct child of ``folder``."""
    return path.parent.resolve() == folder.resolve() and path.name not in ("", ".", "..")


def _remove_tree(path: Path, home: Path) -> None:
    """Remove a model folder in ``home``; a symlink is unlinked, never followed. Refuses anything else."""
    import shutil

    if not _inside(path, home):
        raise ModelError(f"refusing to remove {path}: it is not in your models folder {home}.")
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def promote_model(directory: str | Path, name: str | None = None, *, force: bool = False) -> Path:
    """Copy a saved model into the user's models folder and make it the default; returns its new home.

    ``name`` (default: the directory's name) must be a plain name (:func:`check_model_name`).
    Only the card and the model file are copied; nothing outside the user's models folder is
    ever removed, and the bundled model is never touched. The model is checked (card,
    checksum, versions, and that it loads without running code) first, and refused when its
    card says it was worse than the model it replaces on the company's held-out notes, unless ``force``.
    """
    import shutil

    directory = Path(directory)
    name = check_model_name(name if name is not None else directory.resolve().name)
    card = read_card(directory)
    check_card(card, directory)
    _read_pipeline(directory / MODEL_FILE)  # refuse a file that would not load, before it becomes the default
    company = card.get("comparison", {}).get("company") or {}
    if company.get("before") and company.get("after") and not force:
        before, after = company["before"]["macro_f1"], company["after"]["macro_f1"]
        if after < before:
            raise ModelError(
                f"{directory} is worse on your held-out notes (macro-F1 {after:.3f} vs {before:.3f}); use --force to promote anyway."
            )
    home = user_models_dir()
    home.mkdir(parents=True, exist_ok=True)
    target = home / name
    if not (target.is_dir() and target.resolve() == directory.resolve()):
        tmp = home / f".{name}.tmp"
        _remove_tree(tmp, home)
        tmp.mkdir()
        for file in (MODEL_FILE, CARD_FILE):
            shutil.copyfile(directory / file, tmp / file)
        _remove_tree(target, home)
        os.replace(tmp, target)
    (user_dir() / DEFAULT_POINTER).write_text(name + "\n", encoding="utf-8")
    return target


def installed_models() -> list[dict]:
    """The bundled model and the user's models, each with its card (or the error reading it)."""
    entries = [("bundled", bundled_model_dir())] + [(p.name, p) for p in _installed_dirs()]
    try:
        default = default_model_dir().resolve()
    except ModelError:
        default = None
    out = []
    for name, path in entries:
        try:
            card, error = read_card(path), None
        except ModelError as e:
            card, error = {}, str(e)
        out.append({"name": name, "path": str(path), "default": path.resolve() == default, "card": card, "error": error})
    return out


def _vectorisers(pipeline, prefix: str = ""):
    """``(path, step)`` for every vectoriser in a pipeline, through Pipelines and FeatureUnions."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline

    children = pipeline.steps if isinstance(pipeline, Pipeline) else pipeline.transformer_list if isinstance(pipeline, FeatureUnion) else []
    for name, step in children:
        path = f"{prefix}{name}"
        if isinstance(step, CountVectorizer):
            yield path, step
        yield from _vectorisers(step, path + "/")


def _skops_io():
    """``skops.io``, imported without its scan of every scikit-learn module.

    On import, skops lists every scikit-learn estimator as trusted by default, which imports all
    of scikit-learn (about 1 s of each cold start). The list is empty here: every type a model may
    contain is named explicitly (:data:`TRUSTED_TYPES`), so the defaults are only narrower. If skops
    is already imported, or imports differently, this changes nothing (it is only slower).
    """
    if "skops.io" in sys.modules:
        return sys.modules["skops.io"]
    import sklearn.utils

    original = sklearn.utils.all_estimators
    sklearn.utils.all_estimators = lambda *args, **kwargs: []
    try:
        import skops.io
    finally:
        sklearn.utils.all_estimators = original
    return skops.io


def _derivable_bayes(pipeline) -> list:
    """The pipeline's complement naive Bayes member, if its log probabilities follow from its counts (``norm=False``)."""
    from sklearn.naive_bayes import ComplementNB

    from classifier.pipeline import bayes_part

    bayes, _ = bayes_part(pipeline.steps[-1][1]) if hasattr(pipeline, "steps") else (None, 0.0)
    return [bayes] if isinstance(bayes, ComplementNB) and not bayes.norm else []


def _bayes_log_prob(bayes):
    """``feature_log_prob_`` of a fitted ``ComplementNB(norm=False)`` from its counts, as its ``fit`` computes it."""
    import numpy as np

    complement = bayes.feature_all_ + bayes.alpha - bayes.feature_count_
    return -np.log(complement / complement.sum(axis=1, keepdims=True))


def write_pipeline(pipeline, path: str | Path) -> None:
    """Write a fitted pipeline with skops' secure format; each vocabulary is one JSON text.

    A naive Bayes member's log probabilities are left out (7 of 15 MB for the bundled model):
    :func:`_read_pipeline` derives them from its counts again, to the same bits.
    """
    sio = _skops_io()

    held = list(_vectorisers(pipeline))
    bayes = _derivable_bayes(pipeline)
    vocabularies, log_probs = {}, []
    try:
        for key, step in held:
            vocabularies[key] = json.dumps(step.__dict__.pop("vocabulary_"), ensure_ascii=False, separators=(",", ":"))
        log_probs = [member.__dict__.pop("feature_log_prob_") for member in bayes]
        sio.dump({"pipeline": pipeline, "vocabularies": vocabularies}, path, compression=zipfile.ZIP_LZMA)  # LZMA: a third smaller than deflate on the weights
    finally:
        for key, step in held:
            if key in vocabularies:
                step.vocabulary_ = json.loads(vocabularies[key])
        for member, log_prob in zip(bayes, log_probs):
            member.feature_log_prob_ = log_prob


def _schema_types(node, found: set[str]) -> set[str]:
    """Every ``module.name`` a skops schema asks to build or look up."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "__module__" in item or "__class__" in item:
                found.add(f"{item.get('__module__')}.{item.get('__class__')}")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _check_schema(path: Path) -> None:
    """Refuse a model file whose description names anything outside :data:`TRUSTED_TYPES` (nothing is built)."""
    fix = UNTRUSTED_FIX
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("schema.json")
            if info.file_size > MAX_SCHEMA_BYTES:
                raise ModelError(f"{path} is not a Rejection Radar model file (its description is {info.file_size:,} bytes); {fix}.")
            schema = json.loads(archive.read(info))
    except ModelError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RecursionError) as e:
        raise ModelError(f"{path} is not a Rejection Radar model file ({type(e).__name__}: {e}); {fix}.") from e
    untrusted = sorted(_schema_types(schema, set()) - TRUSTED_TYPES)
    if untrusted:
        raise ModelError(
            f"refusing to load {path}: it names {', '.join(untrusted[:5])}{' ...' if len(untrusted) > 5 else ''}, "
            f"which a Rejection Radar model never contains (it could run code); nothing was loaded. {fix[0].upper()}{fix[1:]}."
        )


def _read_pipeline(path: Path):
    """The pipeline in a model file, built only from :data:`TRUSTED_TYPES`; :class:`ModelError` otherwise."""
    from sklearn.pipeline import Pipeline

    from classifier.preprocess import NotePreprocessor

    fix = UNTRUSTED_FIX
    _check_schema(path)
    sio = _skops_io()
    try:
        saved = sio.load(path, trusted=sorted(TRUSTED_TYPES))
    except Exception as e:  # a checked file that still fails to load: say so in one line
        raise ModelError(f"cannot load {path} ({type(e).__name__}: {e}); {fix}.") from e
    if not (isinstance(saved, dict) and set(saved) == {"pipeline", "vocabularies"} and isinstance(saved["vocabularies"], dict)):
        raise ModelError(f"{path} loads but is not a Rejection Radar model (got {type(saved).__name__}); {fix}.")
    pipeline = saved["pipeline"]
    steps = getattr(pipeline, "named_steps", {}) if isinstance(pipeline, Pipeline) else {}
    if not (isinstance(steps.get("prep"), NotePreprocessor) and "features" in steps and hasattr(steps.get("clf"), "predict_proba")):
        raise ModelError(f"{path} loads but is not a Rejection Radar pipeline (prep, features, clf; got {type(pipeline).__name__}); {fix}.")
    vocabularies = dict(saved["vocabularies"])
    for key, step in _vectorisers(pipeline):
        text = vocabularies.pop(key, None)
        vocabulary = json.loads(text) if isinstance(text, str) else None
        if not (isinstance(vocabulary, dict) and all(type(v) is int for v in vocabulary.values())):
            raise ModelError(f"{path} loads but the vocabulary of step {key} is missing or malformed; {fix}.")
        step.vocabulary_ = vocabulary
    if vocabularies:
        raise ModelError(f"{path} loads but holds vocabularies for steps it does not have ({', '.join(vocabularies)}); {fix}.")
    import numpy as np

    for bayes in _derivable_bayes(pipeline):
        counts, totals = getattr(bayes, "feature_count_", None), getattr(bayes, "feature_all_", None)
        if not (isinstance(counts, np.ndarray) and isinstance(totals, np.ndarray) and counts.ndim == 2
                and totals.shape == counts.shape[1:] and counts.shape[0] == len(getattr(bayes, "classes_", ()))):
            raise ModelError(f"{path} loads but its naive Bayes counts are missing or malformed; {fix}.")
        if not hasattr(bayes, "feature_log_prob_"):
            with np.errstate(divide="ignore", invalid="ignore"):
                bayes.feature_log_prob_ = _bayes_log_prob(bayes)
    return pipeline


def save_model(model: ReasonModel, directory: str | Path) -> Path:
    """Write ``model.skops`` and ``card.json`` into ``directory``; returns the directory."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / (MODEL_FILE + ".tmp")
    write_pipeline(model.pipeline, tmp)
    os.replace(tmp, directory / MODEL_FILE)
    card = {k: v for k, v in model.card.items() if k != "path"}
    card.update(
        format_version=FORMAT_VERSION,
        model_file=MODEL_FILE,
        model_format="skops (secure format, trusted types only)",
        labels=model.labels,
        taxonomy=model.taxonomy.to_dict(),
        taxonomy_sha256=model.taxonomy.sha256,
        threshold=model.threshold,
        versions=library_versions(),
        model_sha256=file_sha256(directory / MODEL_FILE),
    )
    card.setdefault("created", datetime.now(timezone.utc).isoformat(timespec="seconds"))
    model.card = write_card(card, directory)
    return directory


def write_card(card: dict, directory: str | Path) -> dict:
    """Write ``card`` (less the runtime ``path``) as the ``card.json`` of ``directory``, atomically; returns it."""
    card = {k: v for k, v in card.items() if k != "path"}
    path = Path(directory) / CARD_FILE
    tmp = path.with_name(CARD_FILE + ".tmp")
    tmp.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return card


def read_card(directory: str | Path) -> dict:
    """The card of a saved model, with a clear error when it is missing or unreadable."""
    path = Path(directory) / CARD_FILE
    if not path.exists():
        raise ModelError(f"no model found in {directory} (missing {CARD_FILE}); {RETRAIN_HINT}.")
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
        raise ModelError(f"model card {path} is corrupt ({e}); {RETRAIN_HINT}.") from e
    if not isinstance(card, dict):
        raise ModelError(f"model card {path} is corrupt (not a JSON object); {RETRAIN_HINT}.")
    return card


def check_card(card: dict, directory: Path, *, format_version: int = FORMAT_VERSION) -> None:
    """Raise :class:`ModelError` when the model file or installed libraries do not match the card."""
    if card.get("format_version") == 1 and format_version != 1:
        raise ModelError(
            f"model in {directory} is an old pickled model (format 1), which could run code when loaded, so it is not loaded; "
            f"{RETRAIN_HINT}, {UPGRADE_HINT.replace('DIR', str(directory))}."
        )
    if card.get("format_version") != format_version:
        raise ModelError(f"model in {directory} has format {card.get('format_version')}, expected {format_version}; {RETRAIN_HINT}.")
    path = directory / (LEGACY_MODEL_FILE if format_version == 1 else MODEL_FILE)
    if not path.exists():
        raise ModelError(f"model file {path} is missing; {RETRAIN_HINT}.")
    if file_sha256(path) != card.get("model_sha256"):
        raise ModelError(f"model file {path} does not match the checksum in its card (corrupt or replaced); {RETRAIN_HINT}.")
    installed = library_versions()
    for name, parts in _CHECKED.items():
        saved = str(card.get("versions", {}).get(name, ""))
        if saved.split(".")[:parts] != installed[name].split(".")[:parts]:
            raise ModelError(
                f"model in {directory} was built with {name} {saved}, installed is {installed[name]}; {RETRAIN_HINT}."
            )


def load_model(directory: str | Path | None = None, *, light: bool = False) -> ReasonModel:
    """Load a model saved by :func:`save_model`; ``None`` loads the default model.

    The card is checked first (checksum, library versions) and the file is built only from
    :data:`TRUSTED_TYPES`, so a corrupt, mismatched or hostile model fails with a one-line
    :class:`ModelError` and nothing in it runs. ``light=True`` answers from the model's compact
    scorer (:mod:`classifier.compact`) when there is one: it classifies (one note or an export,
    the same probabilities) without importing scikit-learn; not for explaining or retraining.
    The scorer is derived from the model file once and kept in the user's cache folder
    (:func:`scorer_cache_path`).
    """
    directory = resolve_model_dir(directory)
    card = read_card(directory)
    check_card(card, directory)
    try:
        taxonomy = Taxonomy.from_dict(card["taxonomy"], str(directory / CARD_FILE))
    except KeyError as e:
        raise ModelError(f"model card {directory / CARD_FILE} has no taxonomy; {RETRAIN_HINT}.") from e
    scorer = _cached_scorer(card) if light else None
    if scorer is not None:
        _check_schema(directory / MODEL_FILE)  # a folder whose model file is hostile is refused by every command
    pipeline = None if scorer is not None else _read_pipeline(directory / MODEL_FILE)
    if light and scorer is None:
        _cache_scorer(pipeline, card)
    model = ReasonModel(pipeline=pipeline, taxonomy=taxonomy, threshold=float(card.get("threshold", 0.5)), card=card, scorer=scorer)
    model.card["path"] = str(directory)
    return model


CACHED_SCORERS = 4  # compact scorers kept in the cache folder (about 18 MB each)


def scorer_cache_path(card: dict) -> Path:
    """Where the compact scorer derived from the model with this card is kept (the user's cache folder)."""
    return user_dir() / "cache" / f"scorer-{str(card.get('model_sha256', ''))[:32]}.npz"


def _cached_scorer(card: dict) -> CompactScorer | None:
    """The compact scorer derived earlier from this very model file, or ``None`` (then the model file is read).

    A cache file that is unreadable, hostile or made from another model is never used: it is
    read without pickle, its sizes are checked first, and it must name the model's checksum.
    """
    path = scorer_cache_path(card)
    if not path.is_file():
        return None
    try:
        scorer = CompactScorer.load(path)
    except ModelError:
        return None
    if scorer.source != card.get("model_sha256") or scorer.classes != list(card.get("labels", [])):
        return None
    return scorer


def _cache_scorer(pipeline, card: dict) -> None:
    """Derive the compact scorer of a loaded pipeline and keep it for the next light load; best effort."""
    from classifier.scoring import compact_scorer

    scorer = compact_scorer(pipeline, source=str(card.get("model_sha256", "")))
    if scorer is None:  # a model shape with no compact form: light loads read the model file
        return
    path = scorer_cache_path(card)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scorer.save(tmp)
        os.replace(tmp, path)
    except OSError:  # a read-only home: every light load reads the model file, nothing else changes
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    older = sorted((p for p in path.parent.glob("scorer-*.npz") if p != path), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in older[CACHED_SCORERS - 1 :]:  # each retrained model adds one: keep the most recent few
        with contextlib.suppress(OSError):
            stale.unlink()


def upgrade_model(directory: str | Path) -> Path:
    """Rewrite an old pickled model (format 1) in the current format, keeping its card's figures.

    This unpickles ``model.joblib``, which runs whatever code it holds: call it only on a model
    you trust (the bundled model was converted this way). Predictions are unchanged.
    """
    import joblib

    directory = Path(directory)
    card = read_card(directory)
    check_card(card, directory, format_version=1)
    pipeline = joblib.load(directory / LEGACY_MODEL_FILE)
    taxonomy = Taxonomy.from_dict(card["taxonomy"], str(directory / CARD_FILE))
    model = ReasonModel(pipeline=pipeline, taxonomy=taxonomy, threshold=float(card["threshold"]), card=card)
    save_model(model, directory)
    (directory / LEGACY_MODEL_FILE).unlink()
    return directory


def describe_model(model: ReasonModel) -> str:
    """The model card in plain words: where it lives, figures, threshold, labels."""
    card = model.card
    lines = [
        f"model:     {card['path']}",
        f"created:   {card.get('created', '?')}   seed {card.get('seed', '?')}   trained on {card.get('n_train', '?')} notes",
        "libraries: " + ", ".join(f"{k} {v}" for k, v in card.get("versions", {}).items()),
        f"threshold: {model.threshold:.2f} (below it a note is marked needs_review)",
    ]
    if model.pipeline is not None:
        from classifier.pipeline import describe_classifier

        lines.append(f"learner:   {describe_classifier(model.pipeline.steps[-1][1])}")
    for name in ("cv", "cross_writer", "heldout", "real_phrases"):
        if name in card:
            part, conf = card[name], card[name].get("confident", {})
            lines.append(
                f"{name:12}  macro-F1 {part['macro_f1']:.3f}  weak-vs-valid F1 {part['weak_f1']:.3f}  "
                f"not flagged: accuracy {conf.get('accuracy', 0):.3f} on {conf.get('coverage', 0):.0%} of notes"
            )
    lines.append("labels:")
    lines += [f"  {r.label:24} {'weak ' if r.weak else 'valid'}  {r.description}" for r in model.taxonomy.reasons]
    return "\n".join(lines)


def format_installed(entries: list[dict]) -> str:
    """:func:`installed_models` as one line per model; ``*`` marks the default."""
    lines = []
    for entry in entries:
        card, mark = entry["card"], "*" if entry["default"] else " "
        if entry["error"]:
            lines.append(f"{mark} {entry['name']:20} {entry['error']}")
            continue
        held = card.get("heldout", {}).get("macro_f1")
        company = (card.get("comparison", {}).get("company") or {}).get("after") or {}
        figures = [f"cv macro-F1 {card['cv']['macro_f1']:.3f}" if "cv" in card else "", f"held-out {held:.3f}" if held else "",
                   f"your notes {company['macro_f1']:.3f}" if company else ""]
        lines.append(
            f"{mark} {entry['name']:20} {card.get('created', '?')[:10]}  {card.get('n_train', '?')} notes, "
            f"{len(card.get('labels', []))} labels  {'  '.join(f for f in figures if f)}  {entry['path']}"
        )
    return "\n".join(lines)


if __name__ == "__main__":  # python -m classifier.persistence upgrade DIR
    if len(sys.argv) != 3 or sys.argv[1] != "upgrade":
        sys.exit("usage: python -m classifier.persistence upgrade DIR   (converts a trusted format-1 model)")
    print(f"converted {upgrade_model(sys.argv[2])}")
