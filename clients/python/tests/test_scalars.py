"""``scalars()`` gives every point of the export, bit for bit, with the documented dtypes."""

from __future__ import annotations

import struct
from typing import Any, Dict, List, Tuple

import numpy as np
import pytest

from athanor import BadRequest, NotFound


def bits(x: float) -> int:
    """A float's bit pattern, so NaN compares equal to NaN and -0.0 differs from 0.0."""
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def keyed(rows: List[Dict[str, Any]]) -> List[Tuple[str, str, int, int, int]]:
    return [(r["run"], r["tag"], int(r["step"]), bits(r["wall_time"]), bits(r["value"])) for r in rows]


def test_every_scalar_point_equals_the_export(client, experiment, export_csv_scalars):
    frame = client.scalars(experiment)
    assert list(frame.columns) == ["run", "tag", "step", "wall_time", "value"]
    assert len(frame) == len(export_csv_scalars) > 10000
    assert keyed(frame.to_dict("records")) == keyed(export_csv_scalars)


def test_scalar_dtypes_are_numeric(client, experiment):
    frame = client.scalars(experiment)
    assert frame["step"].dtype == np.int64
    assert frame["wall_time"].dtype == np.float64
    assert frame["value"].dtype == np.float64
    # The fixtures hold NaN and infinite values: they arrive as floats, not strings.
    assert frame["value"].isna().any() or np.isinf(frame["value"]).any()


def test_selection_by_tags_runs_and_filter(client, experiment, export_csv_scalars):
    first = export_csv_scalars[0]
    wanted = [r for r in export_csv_scalars if r["run"] == first["run"] and r["tag"] == first["tag"]]
    frame = client.scalars(experiment, tags=[first["tag"]], runs=[first["run"]])
    assert keyed(frame.to_dict("records")) == keyed(wanted)

    quoted = first["run"].replace("\\", "\\\\").replace('"', '\\"')
    by_filter = client.scalars(experiment, filter=f'path = "{quoted}"')
    assert set(by_filter["run"]) == {first["run"]}
    assert len(by_filter) == sum(1 for r in export_csv_scalars if r["run"] == first["run"])


def test_step_range(client, experiment, export_csv_scalars):
    frame = client.scalars(experiment, step_min=5, step_max=10)
    assert len(frame) == sum(1 for r in export_csv_scalars if 5 <= r["step"] <= 10) > 0
    assert frame["step"].between(5, 10).all()


def test_bad_filter_is_a_bad_request_with_the_servers_message(client, experiment):
    with pytest.raises(BadRequest) as raised:
        client.scalars(experiment, filter="hparams.lr << 1")
    assert raised.value.status == 400
    assert raised.value.where == "filter"
    assert raised.value.column == 13
    assert "expected a value" in str(raised.value)


def test_unknown_run_name_is_not_found(client, experiment):
    with pytest.raises(NotFound, match="no-such-run"):
        client.scalars(experiment, runs=["no-such-run"])


def test_empty_selection_is_an_empty_typed_frame(client, experiment):
    frame = client.scalars(experiment, tags=["no such tag at all"])
    assert len(frame) == 0
    assert frame["step"].dtype == np.int64 and frame["value"].dtype == np.float64
