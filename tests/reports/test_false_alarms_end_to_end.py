"""No planted effect, no alert: the whole path (written export, reading, classification, report)."""

import json

import pytest
from click.testing import CliRunner

from cli import cli
from simulate import simulate_rejections, write_export


@pytest.mark.parametrize("lang", ["en", "de"])
def test_null_exports_raise_no_alert_end_to_end(tmp_path, lang):
    # Misclassifications are the model's, not the reps': they must not turn into owner alerts.
    exports_with_alerts = []
    for seed in (21, 22, 23):
        path = tmp_path / f"{lang}_{seed}.csv"
        write_export(simulate_rejections(seed, planted=False), path, lang, seed=seed)
        result = CliRunner().invoke(cli, ["report", str(path), "--period", "quarter", "--format", "json"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["overview"]["rejections"] == 2400  # the 40 converted rows are skipped, every rejection read
        if report["alerts"]:
            exports_with_alerts.append((seed, [a["message"] for a in report["alerts"]]))
    assert len(exports_with_alerts) <= 1, exports_with_alerts
