"""Domain errors: what was given, what was expected, and how to fix it."""


class RadarError(Exception):
    """Base class for errors a user can fix (bad input, missing model)."""


class InputError(RadarError):
    """An input file, column or value cannot be used."""


class ModelError(RadarError):
    """A model is missing, corrupt, or does not match the installed libraries."""


def stop_on_sigterm() -> None:
    """Turn SIGTERM into ``SystemExit(143)``, so the work in hand is unwound (temporary output removed) as on Ctrl-C."""
    import signal
    import sys

    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
