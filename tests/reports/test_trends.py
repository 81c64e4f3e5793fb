"""Alerts must find planted effects and stay quiet on exports without them."""

import numpy as np
import pandas as pd
import pytest

from classifier.reports.statistics import benjamini_hochberg, proportion_p_value
from classifier.taxonomy import default_taxonomy
from classifier.reports.trends import AlertRules, alert_message, find_alerts, group_profiles, period_label, reason_mix
from simulate import PLANTED, simulate_rejections



def _alerts(frame, **kwargs):
    return find_alerts(frame, default_taxonomy(), period="quarter", until="2026-09-30", **kwargs)


@pytest.mark.parametrize("seed", range(5))
def test_planted_effects_raise_exactly_those_alerts(seed):
    alerts = _alerts(simulate_rejections(100 + seed, planted=True))
    assert {(a["scope"], a["subject"], a["metric"]) for a in alerts} == PLANTED


def test_false_alarm_rate_on_exports_without_effects():
    exports_with_alerts = sum(bool(_alerts(simulate_rejections(seed))) for seed in range(60))
    assert exports_with_alerts <= 3  # at most 5% of 60 null exports


def test_false_alarm_rate_with_many_small_groups():
    # 60 reps of about 40 rejections: ~700 comparisons per export, where only the correction for
    # many comparisons keeps chance differences out (without it nearly every export alerts).
    exports_with_alerts = sum(bool(_alerts(simulate_rejections(seed, owners=60), by=("owner",))) for seed in range(60))
    assert exports_with_alerts <= 3


def _two_owner_frame(k_a: int, n_a: int, k_b: int, n_b: int, metric: str = "no_budget", extra_owners: int = 0) -> pd.DataFrame:
    """Owner A has ``k_a`` of ``n_a`` rejections as ``metric``, the team ``k_b`` of ``n_b``."""
    rows = [("A", metric)] * k_a + [("A", "no_need")] * (n_a - k_a)
    team = [f"T{i}" for i in range(max(1, extra_owners))]
    rows += [(team[i % len(team)], metric) for i in range(k_b)]
    rows += [(team[i % len(team)], "no_need") for i in range(n_b - k_b)]
    frame = pd.DataFrame(rows, columns=["owner", "reason"])
    frame["weak"] = frame["reason"].isin(default_taxonomy().weak_labels)
    return frame


def test_raw_p_below_alpha_but_corrected_above_raises_no_alert():
    frame = _two_owner_frame(12, 40, 200, 1200, extra_owners=20)
    assert proportion_p_value(12, 40, 200, 1200) < 0.05  # significant on its own ...
    alerts = find_alerts(frame, default_taxonomy(), by=("owner",))
    assert not [a for a in alerts if a["subject"] == "A"]  # ... but not among ~250 comparisons


def test_only_the_minimum_effect_blocks_a_tiny_but_certain_difference():
    frame = _two_owner_frame(400, 5000, 100, 5000)  # 8% against 2%: p ~ 1e-40, Cohen's h 0.29
    assert not find_alerts(frame, default_taxonomy(), by=("owner",))
    looser = find_alerts(frame, default_taxonomy(), by=("owner",), rules=AlertRules(min_effect=0.05))
    assert ("A", "no_budget") in {(a["subject"], a["metric"]) for a in looser}


def test_a_clear_difference_in_a_small_group_is_found():
    frame = _two_owner_frame(20, 40, 120, 1200, extra_owners=20)  # 50% against 10%
    alerts = find_alerts(frame, default_taxonomy(), by=("owner",))
    assert ("A", "no_budget") in {(a["subject"], a["metric"]) for a in alerts}


def test_alerts_carry_the_json_contract_fields():
    alert = _alerts(simulate_rejections(7, planted=True))[0]
    for key in ("scope", "subject", "metric", "share", "baseline", "n", "p_value", "message"):
        assert key in alert
    assert alert["share"] > alert["baseline"] and alert["p_value"] < 0.05


def test_small_groups_raise_no_alert():
    frame = simulate_rejections(3, planted=True)
    assert not [a for a in _alerts(frame, rules=AlertRules(min_n=10_000)) if a["scope"] != "period"]


def test_alert_messages_in_english_and_german():
    alert = {"scope": "owner", "subject": "Maria", "metric": "not_decision_maker", "share": 0.38, "baseline": 0.09, "n": 120}
    assert alert_message(alert, default_taxonomy(), "en") == (
        "Maria rejects 38% of leads as 'not the decision maker', the rest of the team 9% (n=120)."
    )
    assert "38 %" in alert_message(alert, default_taxonomy(), "de") and "„nicht der Entscheider“" in alert_message(alert, default_taxonomy(), "de")


def test_reason_mix_marks_incomplete_periods():
    frame = simulate_rejections(1)
    mix = reason_mix(frame, default_taxonomy(), "month", until="2026-09-15")
    assert mix[-1]["period"] == "2026-09" and not mix[-1]["complete"] and mix[-2]["complete"]
    assert all(abs(sum(p["shares"].values()) - 1) < 1e-3 for p in mix)
    assert sum(p["n"] for p in mix) == len(frame)


def test_group_profiles_compare_with_the_rest():
    frame = pd.DataFrame({"owner": ["a"] * 4 + ["b"] * 4, "reason": ["other"] * 4 + ["no_need"] * 4, "weak": [True] * 4 + [False] * 4})
    profiles = {p["name"]: p for p in group_profiles(frame, "owner", default_taxonomy())}
    assert profiles["a"]["weak_share"] == 1.0 and profiles["a"]["baseline_weak_share"] == 0.0


def test_period_labels():
    dates = pd.Series(pd.to_datetime(["2026-01-01", "2026-12-31", None]))
    assert period_label(dates, "week").tolist() == ["2026-W01", "2026-W53", ""]
    assert period_label(dates, "month").tolist() == ["2026-01", "2026-12", ""]


def test_proportion_tests_and_bh():
    assert proportion_p_value(30, 100, 10, 100) < 0.001
    assert proportion_p_value(2, 5, 1, 50) < 0.05  # small counts use Fisher's exact test
    assert proportion_p_value(10, 100, 30, 100) > 0.99  # one-sided: lower is not an alert
    q = benjamini_hochberg([0.001, 0.5, 0.04, 0.03])
    assert np.all(q >= [0.001, 0.5, 0.04, 0.03]) and q[0] == pytest.approx(0.004)


def test_latest_period_against_previous_and_a_year_earlier():
    from classifier.reports.trends import latest_comparison

    frame = simulate_rejections(5, n=3000, months=15)  # 2025-10 .. 2026-12
    periods = reason_mix(frame, default_taxonomy(), "month", until="2026-11-30")
    comparison = latest_comparison(periods, "month")
    assert comparison["latest"]["period"] == "2026-11"
    assert comparison["previous"]["period"] == "2026-10"
    assert comparison["year_ago"]["period"] == "2025-11"
