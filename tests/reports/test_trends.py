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


# --- the current period and level shifts ----------------------------------------------------------------------


def _index(label: str, period: str) -> int:
    year, rest = label.split("-Q") if period == "quarter" else label.split("-")
    return int(year) * (4 if period == "quarter" else 12) + int(rest)


def _weak_shift(alerts):
    return next((a for a in alerts if a["scope"] == "period" and a.get("since") and a["metric"] == "weak"), None)


@pytest.mark.parametrize("period", ["month", "quarter"])
@pytest.mark.parametrize("end", ["2026-12-28", "2026-12-31"])  # mid-period, exactly at a period's end
@pytest.mark.parametrize("shift", ["2026-10-01", "2026-08-01", "2026-06-15"])
def test_a_planted_level_shift_is_found_where_it_starts(period, end, shift):
    truth = period_label(pd.Series([pd.Timestamp(shift)]), period)[0]
    for seed in range(5):
        frame = simulate_rejections(seed, start="2026-01-01", end=end, shift=shift)
        alert = _weak_shift(find_alerts(frame, default_taxonomy(), period=period))
        assert alert is not None, (seed, shift)
        assert abs(_index(alert["since"], period) - _index(truth, period)) <= 1, (seed, alert["message"])
        assert alert["subject"] == alert["since"] and alert["share"] - alert["baseline"] >= 0.1


def test_false_alarm_rate_with_a_running_period():
    # Monthly and weekly, exports ending mid-period: the current period and every start of a shift are tested.
    for period in ("month", "week"):
        exports_with_alerts = sum(
            bool(find_alerts(simulate_rejections(seed, start="2026-01-01", end="2026-12-28"), default_taxonomy(), period=period))
            for seed in range(60)
        )
        assert exports_with_alerts <= 3, period


def test_a_team_wide_shift_is_one_alert_not_one_per_rep():
    groups = []
    for seed in range(20):
        alerts = find_alerts(simulate_rejections(seed, start="2026-01-01", end="2026-12-28", shift="2026-10-01"), default_taxonomy(), period="month")
        groups += [a["message"] for a in alerts if a["scope"] in ("owner_shift", "source_shift")]
    assert len(groups) <= 2, groups  # chance only: BH keeps it near 5% of exports


def test_an_owner_whose_share_rose_recently_is_named_with_the_start():
    for seed in range(5):
        frame = simulate_rejections(seed, start="2026-01-01", end="2026-12-28", owner_shift=("Jonas Wolf", "no_budget", "2026-09-01"))
        alerts = find_alerts(frame, default_taxonomy(), period="month")
        found = [a for a in alerts if a["scope"] == "owner_shift"]
        assert [(a["subject"], a["metric"]) for a in found] == [("Jonas Wolf", "no_budget")], [a["message"] for a in alerts]
        assert abs(_index(found[0]["since"], "month") - _index("2026-09", "month")) <= 1
        assert found[0]["message"].startswith(f"Since {found[0]['since']} Jonas Wolf rejects ")
        assert "as 'no budget', before " in found[0]["message"]
        assert not [a for a in alerts if a["scope"] == "owner"]  # a recent rise, not a year-long difference


def test_level_shift_alerts_carry_the_json_contract_fields():
    frame = simulate_rejections(3, start="2026-01-01", end="2026-12-28", shift="2026-10-01")
    alert = _weak_shift(find_alerts(frame, default_taxonomy(), period="month"))
    for key in ("scope", "subject", "since", "metric", "share", "baseline", "n", "p_value", "message"):
        assert key in alert
    assert alert["scope"] == "period" and alert["since_date"] == alert["since"] + "-01"
    assert alert["baseline_periods"] + alert["periods"] == 12 and alert["to_date"] == "2026-12-28"


def test_level_shift_messages_in_english_and_german():
    alert = {"scope": "period", "subject": "2026-10", "since": "2026-10", "metric": "weak", "share": 0.56, "baseline": 0.36,
             "n": 1812, "baseline_periods": 9, "period": "month"}
    assert alert_message(alert, default_taxonomy(), "en") == (
        "Since 2026-10 the weak share is 56%, against 36% in the nine months before (n=1,812)."
    )
    assert alert_message(alert, default_taxonomy(), "de") == (
        "Seit 2026-10 liegt der Anteil schwacher Absagen bei 56 %, gegenüber 36 % in den neun Monaten davor (n=1.812)."
    )
    running = {**alert, "subject": "2026-Q4", "since": "2026-Q4", "since_label": "2026-Q4 to 28 Dec", "period": "quarter",
               "baseline_periods": 1, "metric": "too_early"}
    assert alert_message(running, default_taxonomy(), "en") == (
        "In 2026-Q4 to 28 Dec 56% of rejections are 'too early', against 36% in the quarter before (n=1,812)."
    )
    owner = {"scope": "owner_shift", "subject": "Jonas Weber", "since": "2026-09", "metric": "no_budget", "share": 0.31,
             "baseline": 0.08, "n": 90}
    assert alert_message(owner, default_taxonomy(), "en") == "Since 2026-09 Jonas Weber rejects 31% as 'no budget', before 8% (n=90)."
    assert alert_message(owner, default_taxonomy(), "de") == "Seit 2026-09 lehnt Jonas Weber 31 % als „kein Budget“ ab, zuvor 8 % (n=90)."


def test_the_running_period_is_labelled_to_date_and_counts_once_it_has_min_n():
    from classifier.reports.trends import latest_comparison

    frame = simulate_rejections(2, start="2026-01-01", end="2026-12-28")
    mix = reason_mix(frame, default_taxonomy(), "quarter", lang="en")
    assert mix[-1]["label"] == "2026-Q4 to 28 Dec" and mix[-1]["to_date"] == "2026-12-28" and not mix[-1]["complete"]
    assert reason_mix(frame, default_taxonomy(), "quarter", lang="de")[-1]["label"] == "2026-Q4 bis 28. Dez."
    assert [p["label"] for p in mix[:-1]] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    comparison = latest_comparison(mix, "quarter", min_n=30)
    assert comparison["latest"]["label"] == "2026-Q4 to 28 Dec" and comparison["previous"]["period"] == "2026-Q3"
    early = reason_mix(frame[frame["date"] <= "2026-10-02"], default_taxonomy(), "quarter")  # a few days of Q4
    assert early[-1]["n"] < 30 and latest_comparison(early, "quarter", min_n=30)["latest"]["period"] == "2026-Q3"
