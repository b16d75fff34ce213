"""``histograms()``, ``images()`` and ``hparams()`` against the REST endpoints and the export."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest


def test_histograms_hold_every_exported_point_and_the_servers_buckets(client, experiment, export_jsonl, rest):
    frame = client.histograms(experiment)
    assert list(frame.columns) == ["run", "tag", "step", "wall_time", "left", "right", "count"]
    assert frame["step"].dtype == np.int64 and frame["count"].dtype == np.float64
    exported = Counter((r["run"], r["tag"]) for r in export_jsonl if r["plugin"] == "histograms")
    seen = Counter({key: len(group) for key, group in frame.groupby(["run", "tag"])["step"].unique().items()})
    assert seen == exported and len(exported) >= 10

    run, tag = sorted(exported)[0]
    run_id = client.runs(experiment, columns=[]).set_index("name").at[run, "id"]
    reference = rest.get(f"/api/v1/runs/{run_id}/histograms", params={"tag": tag, "maxPoints": 10000}).json()
    mine = frame[(frame["run"] == run) & (frame["tag"] == tag)]
    expected = [(p["step"], p["wallTime"], *bucket) for p in reference["points"] for bucket in p["buckets"]]
    assert list(mine[["step", "wall_time", "left", "right", "count"]].itertuples(index=False, name=None)) == expected


def test_a_series_longer_than_a_request_is_read_in_windows(client, experiment):
    everything = client.histograms(experiment)
    assert everything.groupby(["run", "tag"])["step"].nunique().max() > 7
    windowed = client.histograms(experiment, max_points=7)
    assert windowed.equals(everything)


def test_histograms_of_chosen_tags_and_runs(client, experiment):
    everything = client.histograms(experiment)
    run, tag = everything.iloc[0]["run"], everything.iloc[0]["tag"]
    chosen = client.histograms(experiment, tags=[tag], runs=[run])
    assert set(zip(chosen["run"], chosen["tag"])) == {(run, tag)}
    assert len(chosen) == len(everything[(everything["run"] == run) & (everything["tag"] == tag)])


def test_images_are_the_blob_endpoints_bytes(client, experiment, export_jsonl, rest, experiment_id):
    frame = client.images(experiment, max_points=10000, pil=False)
    assert list(frame.columns) == ["run", "tag", "step", "wall_time", "index", "image"]
    exported = [r for r in export_jsonl if r["plugin"] == "images"]
    # An image record's blobs are width, height, then the encoded images.
    assert len(frame) == sum(len(r["blob_bytes"]) - 2 for r in exported) >= 10
    lengths = {(r["run"], r["tag"], r["step"], i): n for r in exported for i, n in enumerate(r["blob_bytes"][2:])}
    runs = client.runs(experiment, columns=[]).set_index("name")["id"]
    for row in frame.itertuples():
        assert isinstance(row.image, bytes)
        assert len(row.image) == lengths[(row.run, row.tag, row.step, row.index)]
    for row in frame.head(5).itertuples():
        answer = rest.get(f"/api/v1/runs/{runs[row.run]}/blobs/data",
                          params={"tag": row.tag, "step": row.step, "index": row.index + 2})
        assert answer.status_code == 200 and answer.content == row.image


def test_images_as_pil_have_the_logged_size(client, experiment, rest):
    pytest.importorskip("PIL", reason="Pillow is not installed in this Python; images() then gives bytes")
    frame = client.images(experiment, pil=True)
    runs = client.runs(experiment, columns=[]).set_index("name")["id"]
    assert len(frame) > 0
    for row in frame.head(5).itertuples():
        size = [int(rest.get(f"/api/v1/runs/{runs[row.run]}/blobs/data",
                             params={"tag": row.tag, "step": row.step, "index": i}).content) for i in (0, 1)]
        assert list(row.image.size) == size


def test_hparams_are_the_sessions_endpoints(client, experiment, rest, experiment_id):
    frame = client.hparams(experiment)
    reference = rest.get(f"/api/v1/experiments/{experiment_id}/hparams/sessions", params={"limit": 1000}).json()
    sessions = reference["sessions"]["items"]
    assert len(frame) == len(sessions) >= 3
    assert frame["run"].tolist() == [s["run"] for s in sessions]
    for row, session in zip(frame.to_dict("records"), sessions):
        for name, value in session["hparams"].items():
            assert row[f"hparams.{name}"] == value
        for key, value in session["metrics"].items():
            assert (np.isnan(row[f"metrics.{key}"]) if value is None else row[f"metrics.{key}"] == value)
    info = client.hparams_info(experiment)
    assert {h["name"] for h in info["hparams"]} == {c[len("hparams."):] for c in frame.columns if c.startswith("hparams.")}


def test_hparams_filter(client, experiment):
    every = client.hparams(experiment)
    some = client.hparams(experiment, filter="hparams.learning_rate > 0")
    assert 0 < len(some) < len(every)
    assert (some["hparams.learning_rate"] > 0).all()
