"""``runs()`` and ``experiments()``: one row per run whose metric summaries equal the export."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Dict, Tuple

import pandas as pd
import pytest

from athanor import BadRequest, NotFound


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def series(export_csv_scalars):
    points: Dict[Tuple[str, str], list] = defaultdict(list)
    for row in export_csv_scalars:
        points[(row["run"], row["tag"])].append((row["step"], row["value"]))
    return points


def test_runs_are_the_exports_runs_with_last_values(client, experiment, export_csv_scalars, export_jsonl, rest,
                                                    experiment_id):
    frame = client.runs(experiment)
    assert frame["name"].is_unique
    exported_runs = {record["run"] for record in export_jsonl}
    listed = rest.get("/api/v1/runs", params={"experiment": experiment_id, "limit": 1000}).json()
    assert set(frame["name"]) == {run["path"] for run in listed["items"]} >= exported_runs
    assert len(frame) == listed["total"]

    rows = frame.set_index("name")
    checked = 0
    for (run, tag), points in series(export_csv_scalars).items():
        last_step = max(step for step, _ in points)
        # The export lists a series' points in step order; at a repeated step the later one is last.
        last = [value for step, value in points if step == last_step][-1]
        assert same(rows.at[run, f"metrics.{tag}"], last), (run, tag)
        checked += 1
    assert checked > 50
    # A run without a tag has no value in that tag's column.
    present = {key for key in series(export_csv_scalars)}
    missing = [(run, c) for run in rows.index for c in rows.columns
               if c.startswith("metrics.") and (run, c[len("metrics."):]) not in present]
    assert missing and all(pd.isna(rows.at[run, c]) for run, c in missing)


def test_min_max_columns_equal_the_export(client, experiment, export_csv_scalars):
    points = series(export_csv_scalars)
    tags = sorted({tag for _, tag in points})[:30]
    columns = [f'metrics."{tag}"@min' for tag in tags] + [f'metrics."{tag}"@max' for tag in tags]
    frame = client.runs(experiment, columns=columns).set_index("name")
    assert len(columns) > 50, "more columns than the server takes in one request: sent in batches"
    checked = 0
    for (run, tag), values in points.items():
        if tag not in tags:
            continue
        finite = [v for _, v in values if not math.isnan(v)]
        key = next(c for c in frame.columns if c.endswith("@min") and c[len("metrics."):-len("@min")].strip('"') == tag)
        if finite:
            assert frame.at[run, key] == min(finite), (run, tag)
            assert frame.at[run, key.replace("@min", "@max")] == max(finite), (run, tag)
            checked += 1
    assert checked > 20


def test_run_columns_hparams_and_types(client, experiment, rest, experiment_id):
    frame = client.runs(experiment, columns=[])
    assert list(frame.columns[:13]) == ["id", "name", "display_name", "status", "started_at", "last_event_at",
                                        "ended_at", "session_group", "session_status", "labels", "note", "color",
                                        "pinned"]
    assert str(frame["started_at"].dtype) == "datetime64[ns, UTC]"
    assert not any(c.startswith("metrics.") for c in frame.columns)
    with_hparams = frame[frame["session_group"].notna()]
    assert len(with_hparams) >= 3
    for _, row in with_hparams.iterrows():
        reference = rest.get(f"/api/v1/runs/{row['id']}").json()["hparams"]
        assert reference
        for name, value in reference.items():
            assert row[f"hparams.{name}"] == value, (row["name"], name)


def test_filter_selects_runs(client, experiment):
    everything = client.runs(experiment, columns=[])
    some = client.runs(experiment, filter='path ~ "^generated/"', columns=[])
    assert 0 < len(some) < len(everything)
    assert set(some["name"]) == {n for n in everything["name"] if n.startswith("generated/")}


def test_bad_filter_and_bad_column_are_bad_requests(client, experiment):
    with pytest.raises(BadRequest) as raised:
        client.runs(experiment, filter="metrics.loss >")
    assert raised.value.where == "filter" and raised.value.column is not None
    with pytest.raises(BadRequest, match="columns"):
        client.runs(experiment, columns=["metrics.loss@sometimes"])


def test_unknown_experiment_is_not_found(client, rest):
    with pytest.raises(NotFound, match="no-such-experiment"):
        client.runs("no-such-experiment")
    server = rest.get("/api/v1/experiments/987654").json()
    with pytest.raises(NotFound) as raised:
        client.runs(987654)
    assert raised.value.status == 404 and str(raised.value) == server["message"]


def test_experiments_lists_the_fixtures(client, experiment, experiment_id):
    frame = client.experiments()
    row = frame[frame["name"] == experiment]
    assert len(row) == 1
    assert int(row["id"].iloc[0]) == experiment_id
    assert int(row["run_count"].iloc[0]) == len(client.runs(experiment, columns=[]))
    assert str(frame["created_at"].dtype) == "datetime64[ns, UTC]"
    # An experiment id works wherever a name does.
    assert client.runs(experiment_id, columns=[])["name"].tolist() == client.runs(experiment, columns=[])["name"].tolist()
