"""Saving and loading models: a joblib pickle plus a JSON card that is checked before loading.

Model files are pickles and can run code when loaded: load only models you trust. Loading
verifies the pickle's SHA-256 against its card and the library versions it was built with.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from classifier.errors import ModelError
from classifier.model import ReasonModel
from classifier.taxonomy import Taxonomy

MODEL_FILE = "model.joblib"
CARD_FILE = "card.json"
FORMAT_VERSION = 1
ENV_MODEL = "REJECTION_RADAR_MODEL"
RETRAIN_HINT = "retrain with `rejection-radar train training/data/corpus.csv --out DIR`"
_CHECKED = {"scikit-learn": 2, "numpy": 1, "spacy": 2}  # how many version parts must match


def library_versions() -> dict[str, str]:
    """Versions of the libraries a pickled model depends on."""
    names = ["rejection-radar", "scikit-learn", "numpy", "scipy", "spacy", "spacy-lookups-data", "joblib", "pandas"]
    versions = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def file_sha256(path: str | Path) -> str:
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


def resolve_model_dir(name: str | Path | None = None) -> Path:
    """A model directory from a path, the name of an installed model, or ``None`` for the default.

    The default is ``$REJECTION_RADAR_MODEL`` if set, else the model promoted with
    :func:`promote_model`, else the bundled model.
    """
    if name is not None:
        path = Path(name)
        if path.exists() or os.sep in str(name) or "/" in str(name):
            return path
        installed = user_models_dir() / str(name)
        if installed.exists():
            return installed
        if str(name) == "bundled":
            return bundled_model_dir()
        return path
    env = os.environ.get(ENV_MODEL)
    if env:
        return resolve_model_dir(env)
    pointer = user_dir() / DEFAULT_POINTER
    if pointer.exists():
        promoted = user_models_dir() / pointer.read_text(encoding="utf-8").strip()
        if (promoted / CARD_FILE).exists():
            return promoted
    return bundled_model_dir()


def default_model_dir() -> Path:
    """Where the model comes from when none is named (see :func:`resolve_model_dir`)."""
    return resolve_model_dir(None)


def promote_model(directory: str | Path, name: str | None = None, *, force: bool = False) -> Path:
    """Copy a saved model into the user's models folder and make it the default; returns its new home.

    The bundled model is never touched. The model is checked (card, checksum, versions) first,
    and refused when its card says it was worse than the model it replaces on the company's
    held-out notes, unless ``force``.
    """
    import shutil

    directory = Path(directory)
    card = read_card(directory)
    check_card(card, directory)
    company = card.get("comparison", {}).get("company") or {}
    if company.get("before") and company.get("after") and not force:
        before, after = company["before"]["macro_f1"], company["after"]["macro_f1"]
        if after < before:
            raise ModelError(
                f"{directory} is worse on your held-out notes (macro-F1 {after:.3f} vs {before:.3f}); use --force to promote anyway."
            )
    name = name or directory.resolve().name
    target = user_models_dir() / name
    if target.resolve() != directory.resolve():
        tmp = user_models_dir() / f".{name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(directory, tmp)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    (user_dir() / DEFAULT_POINTER).write_text(name + "\n", encoding="utf-8")
    return target


def installed_models() -> list[dict]:
    """The bundled model and the user's models, each with its card (or the error reading it)."""
    entries = [("bundled", bundled_model_dir())]
    if user_models_dir().exists():
        entries += [(p.name, p) for p in sorted(user_models_dir().iterdir()) if p.is_dir() and not p.name.startswith(".")]
    default = default_model_dir().resolve()
    out = []
    for name, path in entries:
        try:
            card, error = read_card(path), None
        except ModelError as e:
            card, error = {}, str(e)
        out.append({"name": name, "path": str(path), "default": path.resolve() == default, "card": card, "error": error})
    return out


def save_model(model: ReasonModel, directory: str | Path) -> Path:
    """Write ``model.joblib`` and ``card.json`` into ``directory``; returns the directory."""
    import joblib

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / (MODEL_FILE + ".tmp")
    joblib.dump(model.pipeline, tmp, compress=3)
    os.replace(tmp, directory / MODEL_FILE)
    card = {k: v for k, v in model.card.items() if k != "path"}
    card.update(
        format_version=FORMAT_VERSION,
        labels=model.labels,
        taxonomy=model.taxonomy.to_dict(),
        taxonomy_sha256=model.taxonomy.sha256,
        threshold=model.threshold,
        versions=library_versions(),
        model_sha256=file_sha256(directory / MODEL_FILE),
    )
    card.setdefault("created", datetime.now(timezone.utc).isoformat(timespec="seconds"))
    (directory / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    model.card = card
    return directory


def read_card(directory: str | Path) -> dict:
    """The card of a saved model, with a clear error when it is missing or unreadable."""
    path = Path(directory) / CARD_FILE
    if not path.exists():
        raise ModelError(f"no model found in {directory} (missing {CARD_FILE}); {RETRAIN_HINT}.")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ModelError(f"model card {path} is corrupt ({e}); {RETRAIN_HINT}.") from e


def check_card(card: dict, directory: Path) -> None:
    """Raise :class:`ModelError` when the model file or installed libraries do not match the card."""
    path = directory / MODEL_FILE
    if not path.exists():
        raise ModelError(f"model file {path} is missing; {RETRAIN_HINT}.")
    if card.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"model in {directory} has format {card.get('format_version')}, expected {FORMAT_VERSION}; {RETRAIN_HINT}.")
    if file_sha256(path) != card.get("model_sha256"):
        raise ModelError(f"model file {path} does not match the checksum in its card (corrupt or replaced); {RETRAIN_HINT}.")
    installed = library_versions()
    for name, parts in _CHECKED.items():
        saved = str(card.get("versions", {}).get(name, ""))
        if saved.split(".")[:parts] != installed[name].split(".")[:parts]:
            raise ModelError(
                f"model in {directory} was built with {name} {saved}, installed is {installed[name]}; {RETRAIN_HINT}."
            )


def load_model(directory: str | Path | None = None) -> ReasonModel:
    """Load a model saved by :func:`save_model`; ``None`` loads the default model.

    The card is checked first (checksum, library versions), so a corrupt or mismatched
    model fails with a one-line :class:`ModelError` instead of a pickle traceback.
    """
    import joblib

    directory = resolve_model_dir(directory)
    card = read_card(directory)
    check_card(card, directory)
    try:
        pipeline = joblib.load(directory / MODEL_FILE)
    except Exception as e:  # a checked file that still fails to unpickle: say so in one line
        raise ModelError(f"cannot load {directory / MODEL_FILE} ({type(e).__name__}: {e}); {RETRAIN_HINT}.") from e
    taxonomy = Taxonomy.from_dict(card["taxonomy"], str(directory / CARD_FILE))
    model = ReasonModel(pipeline=pipeline, taxonomy=taxonomy, threshold=float(card.get("threshold", 0.5)), card=card)
    model.card["path"] = str(directory)
    return model


def describe_model(model: ReasonModel) -> str:
    """The model card in plain words: where it lives, figures, threshold, labels."""
    card = model.card
    lines = [
        f"model:     {card['path']}",
        f"created:   {card.get('created', '?')}   seed {card.get('seed', '?')}   trained on {card.get('n_train', '?')} notes",
        "libraries: " + ", ".join(f"{k} {v}" for k, v in card.get("versions", {}).items()),
        f"threshold: {model.threshold:.2f} (below it a note is marked needs_review)",
    ]
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
