"""Turning the REST API's answers into pandas DataFrames.

The export is read line by line into typed column buffers (``array`` of int64/float64, interned
run and tag strings), and the DataFrame is built once at the end: a big experiment never needs
its whole body as one string nor a Python dict per point alive at once.
"""

from __future__ import annotations

import json
from array import array
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

SCALAR_COLUMNS = ["run", "tag", "step", "wall_time", "value"]

_NON_FINITE = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


def number(value: Any) -> float:
    """A number as the server writes it: JSON numbers, or NaN and the infinities as strings."""
    if isinstance(value, str):
        try:
            return _NON_FINITE[value]
        except KeyError:
            return float(value)
    if value is None:
        return float("nan")
    return float(value)


class ScalarColumns:
    """Column buffers for scalar points, filled one export record at a time."""

    def __init__(self) -> None:
        self._names: Dict[str, str] = {}
        self.run: List[str] = []
        self.tag: List[str] = []
        self.step = array("q")
        self.wall_time = array("d")
        self.value = array("d")

    def _intern(self, text: str) -> str:
        return self._names.setdefault(text, text)

    def add(self, record: Mapping[str, Any]) -> None:
        self.run.append(self._intern(record["run"]))
        self.tag.append(self._intern(record["tag"]))
        self.step.append(int(record["step"]))
        self.wall_time.append(number(record["wall_time"]))
        self.value.append(number(record["value"]))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({
            "run": pd.Series(self.run, dtype=object),
            "tag": pd.Series(self.tag, dtype=object),
            "step": np.frombuffer(self.step, dtype=np.int64) if self.step else np.empty(0, np.int64),
            "wall_time": np.frombuffer(self.wall_time, dtype=np.float64) if self.wall_time else np.empty(0),
            "value": np.frombuffer(self.value, dtype=np.float64) if self.value else np.empty(0),
        }, columns=SCALAR_COLUMNS)


def scalars_from_jsonl(lines: Iterable[str]) -> pd.DataFrame:
    """The scalar points of a JSON Lines export (other plugins' records are skipped)."""
    columns = ScalarColumns()
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        if record.get("plugin") == "scalars" and "value" in record:
            columns.add(record)
    return columns.frame()


def utc_times(values: Sequence[Optional[str]]) -> pd.Series:
    """ISO-8601 instants (nanoseconds, ``Z``) as timezone-aware UTC timestamps; None stays NaT."""
    # One unit for every time column (pandas would pick seconds or microseconds per column).
    return pd.to_datetime(pd.Series(list(values), dtype=object), utc=True, format="ISO8601").astype("datetime64[ns, UTC]")


def flatten(prefix: str, values: Optional[Mapping[str, Any]], into: Dict[str, Any]) -> None:
    """``{"lr": 0.1}`` into ``{"hparams.lr": 0.1}``: one column per key, as pandas users filter them."""
    for key, value in (values or {}).items():
        into[f"{prefix}.{key}"] = value


def table(rows: List[Dict[str, Any]], leading: Sequence[str], time_columns: Sequence[str]) -> pd.DataFrame:
    """Rows of dicts as a DataFrame: ``leading`` columns first (present even with no rows), the
    flattened ones after in sorted order, and the time columns as UTC timestamps."""
    extra = sorted({key for row in rows for key in row} - set(leading))
    frame = pd.DataFrame(rows, columns=list(leading) + extra)
    for column in time_columns:
        if column in frame.columns:
            frame[column] = utc_times(frame[column].tolist())
    return frame
