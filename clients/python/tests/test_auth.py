"""With auth on and the real Keycloak: where the client finds its token, and how refusals read.

Run by ``PythonClientTest.theClientsAuthTestsPassWithKeycloak``, which starts Keycloak and a suite
with auth on, uploads a small sweep to project ``demo`` as the ``uploader-demo`` pod, and passes:
``ATHANOR_AUTH_URL``, ``ATHANOR_AUTH_EXPERIMENT``, ``ATHANOR_AUTH_ISSUER``, tokens of
``demo-reader`` (``ATHANOR_AUTH_READER_TOKEN``) and of ``other-reader`` who holds no role in demo
(``ATHANOR_AUTH_OTHER_TOKEN``), a config dir whose ``credentials.json`` the CLI's own
``TokenStore`` wrote with an expired access token (``ATHANOR_AUTH_CONFIG_DIR``), and the pod's
client id and secret file.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict

import httpx
import pytest

from athanor import Athanor, LoginRequired, NotFound, Unauthorized
from athanor.auth import parse_instant

ENV = {name: os.environ.get(f"ATHANOR_AUTH_{name}", "") for name in
       ["URL", "EXPERIMENT", "ISSUER", "READER_TOKEN", "OTHER_TOKEN", "CONFIG_DIR", "CLIENT_ID", "CLIENT_SECRET_FILE"]}

pytestmark = pytest.mark.skipif(not ENV["URL"], reason=(
    "ATHANOR_AUTH_URL is unset: the auth tests need a suite with auth on and Keycloak; "
    "PythonClientTest.theClientsAuthTestsPassWithKeycloak starts them and runs this file"))


def raw(path: str, token: str = "") -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(ENV["URL"] + path, headers=headers, timeout=60.0)


def connect(tmp_path: Path, **environ: str) -> Athanor:
    """A client seeing only the given variables (and an empty config dir unless one is given)."""
    environ.setdefault("ATHANOR_CONFIG_DIR", str(tmp_path))
    return Athanor(ENV["URL"], environ=environ)


def experiment_id(token: str) -> int:
    return int(raw(f"/api/v1/experiments?name={ENV['EXPERIMENT']}", ENV["READER_TOKEN"]).json()["items"][0]["id"])


def test_no_token_is_unauthorized_with_the_servers_message_and_what_to_do(tmp_path):
    server = raw("/api/v1/experiments")
    assert server.status_code == 401
    with connect(tmp_path) as client, pytest.raises(Unauthorized) as raised:
        client.experiments()
    assert raised.value.status == 401
    assert str(raised.value).startswith(server.json()["message"])
    assert "athanor login" in str(raised.value)


def test_a_token_the_server_does_not_accept_is_unauthorized(tmp_path):
    with Athanor(ENV["URL"], token="not-a-token", environ={}) as client, pytest.raises(Unauthorized) as raised:
        client.runs(ENV["EXPERIMENT"])
    assert "the token passed to Athanor()" in str(raised.value)


def test_a_reader_of_the_project_gets_its_runs_and_every_scalar(tmp_path):
    with Athanor(ENV["URL"], token=ENV["READER_TOKEN"], environ={}) as client:
        runs = client.runs(ENV["EXPERIMENT"])
        assert sorted(runs["name"]) == ["diverged", "good", "sweep/eval"]
        assert runs.set_index("name").at["good", "metrics.val_accuracy"] == pytest.approx(0.95)
        scalars = client.scalars(ENV["EXPERIMENT"])
    export = raw(f"/api/v1/export?experiment={experiment_id(ENV['READER_TOKEN'])}&plugin=scalars",
                 ENV["READER_TOKEN"]).text.splitlines()
    assert len(scalars) == len(export) > 0


def test_another_projects_reader_is_told_not_found(tmp_path):
    ident = experiment_id(ENV["READER_TOKEN"])
    server = raw(f"/api/v1/experiments/{ident}", ENV["OTHER_TOKEN"])
    assert server.status_code == 404
    with Athanor(ENV["URL"], token=ENV["OTHER_TOKEN"], environ={}) as client:
        with pytest.raises(NotFound, match=ENV["EXPERIMENT"]):
            client.runs(ENV["EXPERIMENT"])
        with pytest.raises(NotFound) as raised:
            client.scalars(ident)
        assert str(raised.value) == server.json()["message"]
        assert ENV["EXPERIMENT"] not in set(client.experiments()["name"])


def test_the_token_in_the_environment_is_used(tmp_path):
    with connect(tmp_path, ATHANOR_TOKEN=ENV["READER_TOKEN"]) as client:
        assert ENV["EXPERIMENT"] in set(client.experiments()["name"])


def test_the_stored_login_is_refreshed_and_written_back_for_the_cli(tmp_path):
    store = Path(ENV["CONFIG_DIR"]) / "credentials.json"
    key = ENV["URL"].rstrip("/")
    before: Dict = json.loads(store.read_text())["logins"][key]
    assert before["accessToken"] == "expired-access-token"
    with connect(tmp_path, ATHANOR_CONFIG_DIR=ENV["CONFIG_DIR"]) as client:
        assert "your login as demo-reader" in repr(client)
        assert sorted(client.runs(ENV["EXPERIMENT"])["name"]) == ["diverged", "good", "sweep/eval"]
    after: Dict = json.loads(store.read_text())["logins"][key]
    assert after["accessToken"] != "expired-access-token"
    assert parse_instant(after["accessExpiresAt"]) > datetime.now(timezone.utc)
    assert {k: after[k] for k in ("issuer", "clientId", "username")} == \
        {k: before[k] for k in ("issuer", "clientId", "username")}
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert raw("/api/v1/experiments", after["accessToken"]).status_code == 200


def test_a_stored_login_whose_refresh_token_is_refused_says_to_log_in_again(tmp_path):
    store = tmp_path / "credentials.json"
    key = ENV["URL"].rstrip("/")
    store.write_text(json.dumps({"logins": {key: {
        "issuer": ENV["ISSUER"], "clientId": "athanor-test", "username": "demo-reader",
        "accessToken": "expired", "accessExpiresAt": "2020-01-01T00:00:00Z", "refreshToken": "revoked"}}}))
    with connect(tmp_path) as client, pytest.raises(LoginRequired, match="athanor login --server"):
        client.experiments()


def test_client_credentials_from_the_environment(tmp_path):
    # The issuer from the server's /api/v1/info, then named explicitly as ATHANOR_ISSUER.
    for extra in ({}, {"ATHANOR_ISSUER": ENV["ISSUER"]}):
        with connect(tmp_path, ATHANOR_CLIENT_ID=ENV["CLIENT_ID"], ATHANOR_CLIENT_SECRET_FILE=ENV["CLIENT_SECRET_FILE"],
                     **extra) as client:
            assert sorted(client.runs(ENV["EXPERIMENT"])["name"]) == ["diverged", "good", "sweep/eval"]
    wrong = tmp_path / "wrong.secret"
    wrong.write_text("not-the-secret\n")
    with connect(tmp_path, ATHANOR_CLIENT_ID=ENV["CLIENT_ID"], ATHANOR_CLIENT_SECRET_FILE=str(wrong)) as client:
        with pytest.raises(LoginRequired, match="unauthorized_client|invalid_client"):
            client.experiments()
