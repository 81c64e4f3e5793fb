"""Tests for "is this share really higher than the rest?", with a correction for many comparisons."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def proportion_p_value(k1: int, n1: int, k2: int, n2: int) -> float:
    """One-sided p-value that share ``k1/n1`` exceeds ``k2/n2``.

    Fisher's exact test when an expected cell count is below 5, else the pooled two-proportion
    z-test.

    >>> round(proportion_p_value(40, 100, 10, 100), 6) < 0.001
    True
    >>> proportion_p_value(10, 100, 10, 100) > 0.4
    True
    """
    from scipy.stats import fisher_exact, norm

    if n1 == 0 or n2 == 0:
        return 1.0
    pooled = (k1 + k2) / (n1 + n2)
    expected = min(n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled))
    if expected < 5:
        return float(fisher_exact([[k1, n1 - k1], [k2, n2 - k2]], alternative="greater")[1])
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    return float(norm.sf((k1 / n1 - k2 / n2) / se))


def benjamini_hochberg(p_values: Sequence[float]) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order.

    >>> benjamini_hochberg([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    p = np.asarray(p_values, dtype=float)
    if not len(p):
        return p
    order = np.argsort(p)
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty_like(p)
    out[order] = np.minimum(adjusted, 1.0)
    return out
