"""Where the bearer token comes from, the same way the ``athanor`` CLI finds it.

In order: an explicit ``token``; the ``ATHANOR_TOKEN`` variable; client credentials from the
environment (``ATHANOR_CLIENT_ID`` with ``ATHANOR_CLIENT_SECRET_FILE``, and ``ATHANOR_ISSUER`` or
the issuer the server announces), the names ``athanor upload`` reads; the login ``athanor login``
stored for this server in ``<config dir>/credentials.json``; else no token (a server with auth off).

Tokens are asked for on every request, not once: a notebook outlives an access token (minutes in
Keycloak), so a stored login is refreshed with its refresh token when less than 30 seconds are
left — and written back, so the CLI sees the new tokens too — and client-credentials tokens are
fetched again before they expire.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Mapping, Optional

import httpx

from .errors import AthanorError, LoginRequired, Unreachable

#: A token with less than this left is renewed before use (the CLI's ``LoginTokens.MIN_REMAINING``).
MIN_REMAINING = timedelta(seconds=30)


class TokenSource:
    """Gives the bearer token to send now (or None), and says where it came from for messages."""

    origin: Optional[str] = None

    def token(self) -> Optional[str]:
        raise NotImplementedError


class NoToken(TokenSource):
    """No credentials found: requests go out without Authorization (a server with auth off)."""

    def token(self) -> Optional[str]:
        return None


class StaticToken(TokenSource):
    """A token given by the caller or in ``ATHANOR_TOKEN``; never renewed (its holder renews it)."""

    def __init__(self, token: str, origin: str) -> None:
        self._token = token.strip()
        self.origin = origin

    def token(self) -> Optional[str]:
        return self._token


def config_dir(environ: Mapping[str, str]) -> Path:
    """The CLI's config directory (``ConfigDir``): ``$ATHANOR_CONFIG_DIR``, ``$XDG_CONFIG_HOME/athanor``,
    else ``~/.config/athanor``."""
    own = environ.get("ATHANOR_CONFIG_DIR", "").strip()
    if own:
        return Path(own)
    xdg = environ.get("XDG_CONFIG_HOME", "").strip()
    if xdg:
        return Path(xdg) / "athanor"
    return Path.home() / ".config" / "athanor"


_INSTANT = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$")


def parse_instant(text: Optional[str]) -> Optional[datetime]:
    """An ISO-8601 instant as Java's ``Instant`` writes it (up to nanoseconds, ``Z``), UTC-aware."""
    if not text:
        return None
    match = _INSTANT.match(text.strip())
    if not match:
        raise ValueError(f"not an ISO-8601 instant: {text!r}")
    base, fraction, zone = match.groups()
    micros = (fraction or "").ljust(6, "0")[:6]
    stamp = datetime.fromisoformat(f"{base}.{micros}{'+00:00' if zone == 'Z' else zone}")
    return stamp.astimezone(timezone.utc)


def format_instant(moment: datetime) -> str:
    """The inverse of :func:`parse_instant`, in the form Jackson reads back into an ``Instant``."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def token_endpoint(issuer: str, http: httpx.Client) -> str:
    """The token endpoint of an OpenID issuer, by discovery (as the CLI's ``AuthorizationServer``)."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        answer = http.get(url)
    except httpx.HTTPError as e:
        raise Unreachable(f"cannot reach the sign-in server at {issuer} ({e})") from e
    if answer.status_code != 200:
        raise AthanorError(f"{url} answered HTTP {answer.status_code}; is {issuer} an OpenID issuer?",
                           status=answer.status_code)
    endpoint = answer.json().get("token_endpoint")
    if not endpoint:
        raise AthanorError(f"{url} names no token_endpoint")
    return str(endpoint)


def _request_tokens(endpoint: str, form: Mapping[str, str], http: httpx.Client) -> Dict[str, Any]:
    """POSTs a token request; an OAuth error comes back as ``{"error": …}`` for the caller to word."""
    try:
        answer = http.post(endpoint, data=dict(form))
    except httpx.HTTPError as e:
        raise Unreachable(f"cannot reach the token endpoint {endpoint} ({e})") from e
    try:
        body = answer.json()
    except ValueError:
        body = {}
    if answer.status_code != 200 or "access_token" not in body:
        body.setdefault("error", f"HTTP {answer.status_code}")
    return body


class StoredLogin(TokenSource):
    """The login ``athanor login`` keeps for one server, refreshed like the CLI's ``LoginTokens``.

    The file is shared with the CLI (``{"logins": {"<server URL>": {issuer, clientId, username,
    accessToken, accessExpiresAt, refreshToken, refreshExpiresAt}}}``), so a refresh is written
    back atomically with mode 0600, keeping every other login and field as it was.
    """

    def __init__(self, store: Path, server: str, http: httpx.Client) -> None:
        self._store = store
        self._server = server
        self._http = http
        self._lock = threading.Lock()
        login = self._read().get(server) or {}
        self.origin = f"your login as {login.get('username', '?')} (athanor login)"

    @staticmethod
    def find(store: Path, server: str, http: httpx.Client) -> Optional["StoredLogin"]:
        """The stored login for ``server``, or None when there is none."""
        if not store.is_file():
            return None
        source = StoredLogin(store, server, http)
        return source if source._read().get(server) else None

    def _read(self) -> Dict[str, Dict[str, Any]]:
        try:
            contents = json.loads(self._store.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as e:
            raise AthanorError(f"the login store {self._store} is not readable ({e}); "
                               "remove it and run athanor login again") from e
        logins = contents.get("logins") if isinstance(contents, dict) else None
        return logins if isinstance(logins, dict) else {}

    def token(self) -> Optional[str]:
        with self._lock:
            login = self._read().get(self._server)
            if not login:
                raise LoginRequired(f"your login to {self._server} is gone from {self._store}; "
                                    f"run: athanor login --server {self._server}", status=401)
            now = datetime.now(timezone.utc)
            expires = parse_instant(login.get("accessExpiresAt"))
            if expires is not None and expires > now + MIN_REMAINING:
                return str(login["accessToken"])
            return self._refresh(login, now)

    def _refresh(self, login: Dict[str, Any], now: datetime) -> str:
        refresh = login.get("refreshToken")
        refresh_expires = parse_instant(login.get("refreshExpiresAt"))
        if not refresh or (refresh_expires is not None and refresh_expires <= now):
            raise self._ended(login, "its refresh token has expired")
        fresh = _request_tokens(token_endpoint(str(login["issuer"]), self._http), {
            "grant_type": "refresh_token", "refresh_token": str(refresh), "client_id": str(login["clientId"]),
        }, self._http)
        if "access_token" not in fresh:
            detail = fresh.get("error_description")
            raise self._ended(login, f"Keycloak refused to refresh it: {fresh['error']}"
                                     + (f" ({detail})" if detail else ""))
        updated = dict(login)
        updated["accessToken"] = fresh["access_token"]
        updated["accessExpiresAt"] = format_instant(now + timedelta(seconds=int(fresh.get("expires_in", 60))))
        if fresh.get("refresh_token"):
            updated["refreshToken"] = fresh["refresh_token"]
            if fresh.get("refresh_expires_in"):
                updated["refreshExpiresAt"] = format_instant(now + timedelta(seconds=int(fresh["refresh_expires_in"])))
            else:
                updated.pop("refreshExpiresAt", None)
        self._write(updated)
        return str(updated["accessToken"])

    def _write(self, login: Dict[str, Any]) -> None:
        """Replaces this server's entry, atomically and owner-only like the CLI's ``TokenStore``."""
        try:
            contents = json.loads(self._store.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            contents = {}
        if not isinstance(contents, dict) or not isinstance(contents.get("logins"), dict):
            contents = {"logins": {}}
        contents["logins"][self._server] = login
        fd, temp = tempfile.mkstemp(prefix="credentials.json.tmp-", dir=str(self._store.parent))
        try:
            os.chmod(temp, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(contents, out, indent=2)
            os.replace(temp, self._store)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)

    def _ended(self, login: Mapping[str, Any], why: str) -> LoginRequired:
        return LoginRequired(f"your login to {self._server} as {login.get('username', '?')} has ended ({why}); "
                             f"run: athanor login --server {self._server}", status=401)


@dataclass
class _Issued:
    token: str
    expires: datetime


class ClientCredentials(TokenSource):
    """The client-credentials grant of a confidential client, as ``athanor upload --client-id`` uses.

    The secret file is re-read on every fetch so a rotated Kubernetes Secret is picked up; the
    token is kept until 30 seconds before it expires.
    """

    def __init__(self, client_id: str, secret_file: Path, issuer: Callable[[], str], http: httpx.Client) -> None:
        self._client_id = client_id
        self._secret_file = secret_file
        self._issuer = issuer
        self._http = http
        self._lock = threading.Lock()
        self._issued: Optional[_Issued] = None
        self._endpoint: Optional[str] = None
        self.origin = f"the client credentials of {client_id} (ATHANOR_CLIENT_ID)"

    def token(self) -> Optional[str]:
        with self._lock:
            now = datetime.now(timezone.utc)
            if self._issued is not None and self._issued.expires > now + MIN_REMAINING:
                return self._issued.token
            try:
                secret = self._secret_file.read_text(encoding="utf-8").strip()
            except OSError as e:
                raise AthanorError(f"ATHANOR_CLIENT_SECRET_FILE {self._secret_file} cannot be read: {e}") from e
            if self._endpoint is None:
                self._endpoint = token_endpoint(self._issuer(), self._http)
            fresh = _request_tokens(self._endpoint, {
                "grant_type": "client_credentials", "client_id": self._client_id, "client_secret": secret,
            }, self._http)
            if "access_token" not in fresh:
                detail = fresh.get("error_description")
                raise LoginRequired(f"{self._endpoint} refused the client credentials of {self._client_id}: "
                                    f"{fresh['error']}" + (f" ({detail})" if detail else ""), status=401)
            self._issued = _Issued(str(fresh["access_token"]),
                                   now + timedelta(seconds=int(fresh.get("expires_in", 60))))
            return self._issued.token


def resolve(server: str, token: Optional[str], environ: Mapping[str, str],
            announced_issuer: Callable[[], str], sign_in: httpx.Client) -> TokenSource:
    """Picks the token source for ``server`` (its normalized URL, the login store's key).

    ``announced_issuer`` asks the server's ``/api/v1/info`` for its issuer; it is only called when
    client credentials are configured without ``ATHANOR_ISSUER``. ``sign_in`` carries the token
    requests (the caller owns and closes it).
    """
    if token:
        return StaticToken(token, "the token passed to Athanor()")
    env_token = environ.get("ATHANOR_TOKEN", "").strip()
    if env_token:
        return StaticToken(env_token, "the token in ATHANOR_TOKEN")
    client_id = environ.get("ATHANOR_CLIENT_ID", "").strip()
    if client_id:
        secret_file = environ.get("ATHANOR_CLIENT_SECRET_FILE", "").strip()
        if not secret_file:
            raise AthanorError("ATHANOR_CLIENT_ID is set but ATHANOR_CLIENT_SECRET_FILE is not: "
                               "name the file holding the client's secret")
        issuer = environ.get("ATHANOR_ISSUER", "").strip()
        return ClientCredentials(client_id, Path(secret_file), (lambda: issuer) if issuer else announced_issuer,
                                 sign_in)
    stored = StoredLogin.find(config_dir(environ) / "credentials.json", server, sign_in)
    return stored if stored is not None else NoToken()
