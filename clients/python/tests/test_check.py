"""``check()`` uses the server's checks endpoint: the CLI's grammar, raising on failure."""

from __future__ import annotations

import pytest

from athanor import BadRequest, CheckFailed


def test_check_passes_and_returns_the_verdict(client, experiment, export_csv_scalars):
    run = export_csv_scalars[0]["run"]
    tag = export_csv_scalars[0]["tag"]
    worst = max(r["value"] for r in export_csv_scalars if r["run"] == run and r["tag"] == tag)
    verdict = client.check(experiment, f'metrics."{tag}"@max <= {worst!r}', f'no nan in metrics."{tag}"', runs=[run])
    assert verdict["passed"] is True
    assert [r["run"] for r in verdict["runs"]] == [run]


def test_check_failure_raises_with_the_runs_and_values(client, experiment, export_csv_scalars):
    run = export_csv_scalars[0]["run"]
    tag = export_csv_scalars[0]["tag"]
    worst = max(r["value"] for r in export_csv_scalars if r["run"] == run and r["tag"] == tag)
    with pytest.raises(CheckFailed) as raised:
        client.check(experiment, f'metrics."{tag}"@max < {worst!r}', runs=[run])
    assert raised.value.verdict["passed"] is False
    assert run in str(raised.value)
    assert raised.value.verdict["assertions"][0]["failedRuns"] == 1


def test_check_with_no_run_selected_fails(client, experiment):
    with pytest.raises(CheckFailed):
        client.check(experiment, "metrics.loss@last < 1", filter='path = "no such run"')


def test_unparsable_assertion_is_a_bad_request(client, experiment):
    with pytest.raises(BadRequest) as raised:
        client.check(experiment, "metrics.loss@last <")
    assert raised.value.status == 400 and raised.value.message
