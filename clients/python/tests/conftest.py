"""Fixtures of the client's tests: a real Athanor server with the shared fixtures uploaded.

``ATHANOR_URL`` names the query service (the JUnit wrapper ``PythonClientTest`` starts the local
suite and sets it); ``ATHANOR_TEST_EXPERIMENT`` the experiment holding the shared fixtures
(default ``cli-fixtures``, as ``UploadedSuite`` uploads them). Without ``ATHANOR_URL`` the tests
that need a server skip and say so. Reference answers are fetched here with plain httpx, never
through the client under test.
"""

from __future__ import annotations

import csv
import io
import json
import os
from typing import Any, Dict, Iterator, List

import httpx
import pytest

from athanor import Athanor

SKIP_WHY = ("ATHANOR_URL is unset: these tests need a running Athanor with the shared fixtures uploaded; "
            "run them through ./mvnw -pl cli -am verify -Dtest=PythonClientTest (it starts the suite), or "
            "start one (./athanor up, ./athanor upload --logdir ../shared/fixtures/tfevents "
            "--experiment cli-fixtures) and set ATHANOR_URL=http://127.0.0.1:8080")


@pytest.fixture(scope="session")
def url() -> str:
    value = os.environ.get("ATHANOR_URL", "").strip()
    if not value:
        pytest.skip(SKIP_WHY)
    return value.rstrip("/")


@pytest.fixture(scope="session")
def experiment() -> str:
    return os.environ.get("ATHANOR_TEST_EXPERIMENT", "cli-fixtures")


@pytest.fixture(scope="session")
def rest(url: str) -> Iterator[httpx.Client]:
    """Plain HTTP to the same server, for reference answers independent of the client."""
    with httpx.Client(base_url=url, timeout=120.0) as client:
        yield client


@pytest.fixture(scope="session")
def experiment_id(rest: httpx.Client, experiment: str) -> int:
    items = rest.get("/api/v1/experiments", params={"name": experiment}).json()["items"]
    assert len(items) == 1, f"experiment {experiment} is not on the server (is the fixtures upload done?)"
    return int(items[0]["id"])


@pytest.fixture(scope="session")
def client(url: str) -> Iterator[Athanor]:
    # Auth off on the test suite: no token from the environment or a developer's own login.
    with Athanor(url, environ={}) as athanor:
        yield athanor


@pytest.fixture(scope="session")
def export_csv_scalars(rest: httpx.Client, experiment_id: int) -> List[Dict[str, Any]]:
    """Every scalar point of the experiment from the export endpoint as CSV (the client reads JSON
    Lines, so the two formats are checked against each other too)."""
    answer = rest.get("/api/v1/export", params={"experiment": experiment_id, "plugin": "scalars", "format": "csv"})
    assert answer.status_code == 200, answer.text
    rows = []
    for row in csv.DictReader(io.StringIO(answer.text)):
        if row["plugin"] == "scalars":
            rows.append({"run": row["run"], "tag": row["tag"], "step": int(row["step"]),
                         "wall_time": float(row["wall_time"]), "value": float(row["value"])})
    return rows


@pytest.fixture(scope="session")
def export_jsonl(rest: httpx.Client, experiment_id: int) -> List[Dict[str, Any]]:
    """Every record of the experiment's export (all plugins) as JSON Lines."""
    answer = rest.get("/api/v1/export", params={"experiment": experiment_id})
    assert answer.status_code == 200, answer.text
    return [json.loads(line) for line in answer.text.splitlines() if line.strip()]
