"""``Athanor``: the REST API of an Athanor server as pandas DataFrames, for notebooks and scripts."""

from __future__ import annotations

import os
import re
from typing import Any, Callable, Dict, Generator, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import httpx
import numpy as np
import pandas as pd

from . import auth
from .errors import AthanorError, CheckFailed, NotFound, Unreachable, for_status
from .frames import flatten, scalars_from_jsonl, table

ExperimentRef = Union[str, int]
Runs = Optional[Sequence[Union[str, int]]]

DEFAULT_SERVER = "http://127.0.0.1:8080"
#: The server's cap on ``columns`` per runs request (``RunService.MAX_COLUMNS``); more are sent in batches.
MAX_COLUMNS_PER_REQUEST = 50
#: The server's page size cap (``athanor.query.paging.max-limit``).
PAGE_LIMIT = 1000
#: The server's cap on points per tensor or blob series (``athanor.query.sampling.max-points``).
MAX_POINTS = 10000

_RUN_COLUMNS = ["id", "name", "display_name", "status", "started_at", "last_event_at", "ended_at",
                "session_group", "session_status", "labels", "note", "color", "pinned"]
_RUN_FIELDS = {"id": "id", "path": "name", "displayName": "display_name", "status": "status",
               "startedAt": "started_at", "lastEventAt": "last_event_at", "endedAt": "ended_at",
               "sessionGroup": "session_group", "sessionStatus": "session_status", "labels": "labels",
               "note": "note", "color": "color", "pinned": "pinned"}
_RUN_TIMES = ["started_at", "last_event_at", "ended_at"]


def normalize(server: str) -> str:
    """The server's base URL as the CLI keys its login store: no trailing ``/`` nor ``/api/v1``."""
    url = server.strip()
    if "://" not in url:
        url = "http://" + url
    url = url.rstrip("/")
    if url.endswith("/api/v1"):
        url = url[: -len("/api/v1")]
    return url


def quote_name(name: str) -> str:
    """A tag or hparam name as the filter language reads it (the server's ``Names.quoteIfNeeded``)."""
    if name and (name[0].isalpha() or name[0] == "_") and re.fullmatch(r"[\w\-/:]+", name):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Bearer(httpx.Auth):
    """Asks the token source on every request, so long sessions outlive an access token."""

    def __init__(self, source: auth.TokenSource) -> None:
        self._source = source

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._source.token()
        if token:
            request.headers["Authorization"] = f"Bearer {token}"
        yield request


class Athanor:
    """A connection to one Athanor query service.

    ``url`` defaults to ``ATHANOR_SERVER``, else ``http://127.0.0.1:8080`` (as the CLI). With no
    ``token``: ``ATHANOR_TOKEN``, then client credentials from the environment
    (``ATHANOR_CLIENT_ID``, ``ATHANOR_CLIENT_SECRET_FILE``, ``ATHANOR_ISSUER``), then the login
    ``athanor login`` stored for this server (refreshed when needed); else no token.
    ``project`` (default ``ATHANOR_PROJECT``) disambiguates experiment names used in several projects.

    Experiments are named by name or id; runs by their path (the ``name`` column) or id.
    Use as a context manager, or call :meth:`close`, to release the connection pool.
    """

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, *, project: Optional[str] = None,
                 timeout: float = 120.0, environ: Optional[Mapping[str, str]] = None) -> None:
        env = os.environ if environ is None else environ
        self.url = normalize(url or env.get("ATHANOR_SERVER") or DEFAULT_SERVER)
        self.project = project if project is not None else (env.get("ATHANOR_PROJECT") or None)
        # Sign-in requests go through their own client: they must not carry the bearer token.
        self._sign_in = httpx.Client(timeout=httpx.Timeout(30.0, connect=10.0), follow_redirects=True)
        self._tokens = auth.resolve(self.url, token, env, self._announced_issuer, self._sign_in)
        self._http = httpx.Client(base_url=self.url, auth=_Bearer(self._tokens), follow_redirects=True,
                                  timeout=httpx.Timeout(timeout, connect=10.0),
                                  headers={"User-Agent": "athanor-client-python"})

    def close(self) -> None:
        self._http.close()
        self._sign_in.close()

    def __enter__(self) -> "Athanor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Athanor({self.url!r}, auth={self._tokens.origin or 'none'})"

    # ---- HTTP plumbing -------------------------------------------------------------------------

    def _announced_issuer(self) -> str:
        # Asked while a token is being fetched: through the sign-in client, which sends no token
        # (the API client would ask the token source again, inside its lock).
        try:
            answer = self._sign_in.get(self.url + "/api/v1/info")
        except httpx.TransportError as e:
            raise Unreachable(f"cannot reach the query service at {self.url} ({e})") from e
        if answer.status_code != 200:
            raise self._failure(answer)
        info = answer.json()
        issuer = (info.get("auth") or {}).get("issuer")
        if not issuer:
            raise AthanorError(f"{self.url} does not announce an issuer (auth off?); set ATHANOR_ISSUER")
        return str(issuer)

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as e:
            raise Unreachable(f"cannot reach the query service at {self.url} ({e}); is it running "
                              "(athanor up)?") from e
        if response.status_code != 200:
            raise self._failure(response)
        return response

    def _get(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Any:
        return self._send("GET", path, params=_params(params or {})).json()

    def _post(self, path: str, body: Mapping[str, Any]) -> Any:
        return self._send("POST", path, json=dict(body)).json()

    def _failure(self, response: httpx.Response) -> AthanorError:
        """The exception for an error answer, worded with the server's message when it sent one."""
        status = response.status_code
        request = f"{response.request.method} {response.request.url}"
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("message"):
            message = str(body["message"])
        else:
            text = response.text.strip()[:200]
            message = f"{request}: HTTP {status}" + (f" ({text})" if text else "")
            body = {}
        if status in (401, 403):
            message += f" (HTTP {status}; {self._auth_advice(status)})"
        return for_status(status, message, body)

    def _auth_advice(self, status: int) -> str:
        origin = self._tokens.origin
        if origin is None:
            return (f"the server needs a token: sign in with athanor login --server {self.url}, "
                    "or pass token= or set ATHANOR_TOKEN")
        if status == 403:
            return f"{origin} was accepted but lacks the role this needs; ask an admin of the project"
        return f"{origin} was not accepted (expired, revoked, or issued for another server)"

    def _pages(self, path: str, params: Mapping[str, Any], items: str = "items") -> Iterator[Dict[str, Any]]:
        """Every item of a paged list: after the ``next`` cursor where the list answers one (the runs
        listing: each page costs like the first), else at ``nextOffset``."""
        after: Optional[Dict[str, Any]] = {}
        while after is not None:
            page = self._get(path, {**params, **after, "limit": PAGE_LIMIT})
            if items != "items":
                page = page[items]
            yield from page["items"]
            if page.get("next"):
                after = {"cursor": page["next"]}
            elif page.get("nextOffset") is not None:
                after = {"offset": page["nextOffset"]}
            else:
                after = None

    # ---- names to ids --------------------------------------------------------------------------

    def _experiment(self, experiment: ExperimentRef) -> Dict[str, Any]:
        """The experiment by name (in ``project``, when set), else by id, like ``athanor``'s Resolver."""
        if isinstance(experiment, (int, np.integer)):
            return self._get(f"/api/v1/experiments/{int(experiment)}")
        wanted = str(experiment).strip()
        matches = list(self._pages("/api/v1/experiments", {"name": wanted, "project": self.project}))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            projects = ", ".join(m["project"] for m in matches)
            raise AthanorError(f"experiment '{wanted}' exists in {len(matches)} projects ({projects}); "
                               "choose one with Athanor(project=...)")
        if wanted.isdigit():
            try:
                found = self._get(f"/api/v1/experiments/{wanted}")
                if self.project is None or found.get("project") == self.project:
                    return found
            except NotFound:
                pass
        raise NotFound(f"experiment '{wanted}' not found" + (f" in project '{self.project}'" if self.project else "")
                       + f" on {self.url}", status=404, where="experiment")

    def _experiment_id(self, experiment: ExperimentRef) -> int:
        return int(self._experiment(experiment)["id"])

    def _run_names(self, experiment_id: int, runs: Runs, filter: Optional[str]) -> Dict[int, str]:
        """The selected runs, id to name: those passing ``filter``, narrowed to ``runs`` when given."""
        listed = {int(r["id"]): str(r["path"]) for r in
                  self._pages("/api/v1/runs", {"experiment": experiment_id, "filter": filter})}
        if runs is None:
            return listed
        ids = set(self._run_ids(experiment_id, runs, listed if filter is None else None))
        return {run_id: name for run_id, name in listed.items() if run_id in ids}

    def _run_ids(self, experiment_id: int, runs: Sequence[Union[str, int]],
                 known: Optional[Dict[int, str]] = None) -> List[int]:
        if isinstance(runs, (str, int)):
            raise TypeError("runs= takes a list of run names or ids")
        by_name = {name: run_id for run_id, name in (known if known is not None else self._run_names(
            experiment_id, None, None)).items()}
        ids = []
        for run in runs:
            if isinstance(run, (int, np.integer)):
                ids.append(int(run))
            elif run in by_name:
                ids.append(by_name[run])
            else:
                raise NotFound(f"run '{run}' not found in experiment {experiment_id}", status=404, where="run")
        return ids

    # ---- the API -------------------------------------------------------------------------------

    def experiments(self, project: Optional[str] = None, search: Optional[str] = None) -> pd.DataFrame:
        """Every experiment the caller may read: id, project, name, description, times, run count."""
        rows = [{"id": e["id"], "project": e["project"], "name": e["name"], "description": e.get("description"),
                 "created_at": e.get("createdAt"), "updated_at": e.get("updatedAt"), "run_count": e.get("runCount")}
                for e in self._pages("/api/v1/experiments", {"project": project, "search": search, "sort": "name"})]
        return table(rows, ["id", "project", "name", "description", "created_at", "updated_at", "run_count"],
                     ["created_at", "updated_at"])

    def runs(self, experiment: ExperimentRef, filter: Optional[str] = None,
             columns: Optional[Union[str, Sequence[str]]] = None) -> pd.DataFrame:
        """One row per run: name (its path), status, times, metadata, ``hparams.<name>`` columns and
        metric summaries.

        ``filter`` is the filter language of the web UI and CLI (``hparams.lr < 0.01 and
        metrics.val_acc@max >= 0.9``). ``columns`` are extra values in that language
        (``metrics.loss@min``, ``metrics.acc@step=100``), named as the server writes them back
        (``metrics.acc`` becomes ``metrics.acc@last``); by default every scalar tag's last value,
        as ``metrics.<tag>``.
        """
        experiment_id = self._experiment_id(experiment)
        if columns is None:
            tags = sorted(self._get(f"/api/v1/experiments/{experiment_id}/tags").get("scalars", {}))
            wanted = [f"metrics.{quote_name(tag)}@last" for tag in tags]
            rename = {f"metrics.{quote_name(tag)}@last": f"metrics.{tag}" for tag in tags}
        else:
            wanted = [columns] if isinstance(columns, str) else list(columns)
            rename = {}
        rows: Dict[int, Dict[str, Any]] = {}
        batches = [wanted[i:i + MAX_COLUMNS_PER_REQUEST] for i in range(0, len(wanted), MAX_COLUMNS_PER_REQUEST)]
        for batch in batches or [[]]:
            params = {"experiment": experiment_id, "filter": filter, "columns": ",".join(batch) or None}
            for run in self._pages("/api/v1/runs", params):
                row = rows.get(int(run["id"]))
                if row is None:
                    row = {column: run.get(field) for field, column in _RUN_FIELDS.items()}
                    flatten("hparams", run.get("hparams"), row)
                    rows[int(run["id"])] = row
                for key, value in (run.get("values") or {}).items():
                    row[rename.get(key, key)] = value
        frame = table(list(rows.values()), _RUN_COLUMNS, _RUN_TIMES)
        for column in frame.columns:
            if column.startswith("metrics.") or "@" in column:
                frame[column] = pd.to_numeric(frame[column].map(_nullable_number), errors="coerce")
        return frame

    def scalars(self, experiment: ExperimentRef, tags: Optional[Sequence[str]] = None, runs: Runs = None,
                filter: Optional[str] = None, step_min: Optional[int] = None,
                step_max: Optional[int] = None) -> pd.DataFrame:
        """Every scalar point, as a long DataFrame ``run, tag, step, wall_time, value`` (int64,
        float64, float64), streamed from the export endpoint (one consistent snapshot, never
        downsampled) — the shape tbparse gives. Pivot with
        ``df.pivot_table(index="step", columns=["run", "tag"], values="value")``.
        """
        experiment_id = self._experiment_id(experiment)
        body = {"experiment": experiment_id, "runs": self._run_ids(experiment_id, runs) if runs is not None else None,
                "filter": filter, "tags": list(tags) if tags is not None else None, "plugins": ["scalars"],
                "format": "jsonl", "stepMin": step_min, "stepMax": step_max}
        try:
            with self._http.stream("POST", "/api/v1/export", json=body,
                                   headers={"Accept": "application/x-ndjson"}) as response:
                if response.status_code != 200:
                    response.read()
                    raise self._failure(response)
                return scalars_from_jsonl(response.iter_lines())
        except httpx.TransportError as e:
            raise Unreachable(f"the export from {self.url} broke off ({e})") from e

    def _series(self, experiment: ExperimentRef, plugin: str, tags: Optional[Sequence[str]], runs: Runs,
                filter: Optional[str]) -> Iterator[Tuple[int, str, str]]:
        """(run id, run name, tag) for every series of ``plugin`` in the selection, in name order."""
        experiment_id = self._experiment_id(experiment)
        selected = self._run_names(experiment_id, runs, filter)
        by_tag: Mapping[str, List[int]] = self._get(f"/api/v1/experiments/{experiment_id}/tags").get(plugin, {})
        for tag in sorted(by_tag) if tags is None else tags:
            for run_id in sorted((r for r in by_tag.get(tag, []) if r in selected), key=lambda r: selected[r]):
                yield run_id, selected[run_id], tag

    def histograms(self, experiment: ExperimentRef, tags: Optional[Sequence[str]] = None, runs: Runs = None,
                   filter: Optional[str] = None, max_points: int = MAX_POINTS) -> pd.DataFrame:
        """Every histogram, one row per bucket: ``run, tag, step, wall_time, left, right, count``.

        The server answers at most ``max_points`` steps per request (its cap is 10,000), so a
        longer series is read in step windows until every step is in.
        """
        rows: Dict[str, List[Any]] = {c: [] for c in ["run", "tag", "step", "wall_time", "left", "right", "count"]}
        for run_id, run, tag in self._series(experiment, "histograms", tags, runs, filter):
            for point in self._every_point(f"/api/v1/runs/{run_id}/histograms", tag, max_points):
                for left, right, count in point["buckets"]:
                    for column, value in zip(rows, (run, tag, point["step"], point["wallTime"], left, right, count)):
                        rows[column].append(value)
        return pd.DataFrame({
            "run": pd.Series(rows["run"], dtype=object), "tag": pd.Series(rows["tag"], dtype=object),
            "step": np.asarray(rows["step"], dtype=np.int64),
            **{c: np.asarray([_nullable_number(v) for v in rows[c]], dtype=np.float64)
               for c in ["wall_time", "left", "right", "count"]}})

    def _every_point(self, path: str, tag: str, max_points: int, step_min: Optional[int] = None,
                     step_max: Optional[int] = None) -> List[Dict[str, Any]]:
        """Every point of a tensor series in a step range, in step order.

        A sampled answer (``method: even``) keeps the first and last step and evenly spaced ones
        between: those steps cut the range into windows of at most half ``max_points`` points each,
        read the same way.
        """
        series = self._get(path, {"tag": tag, "maxPoints": max_points, "stepMin": step_min, "stepMax": step_max})
        points: List[Dict[str, Any]] = series["points"]
        sampling = series.get("sampling") or {}
        if sampling.get("method") != "even" or len(points) < 2:
            return points
        steps = [int(p["step"]) for p in points]
        parts = max(2, -(-2 * int(sampling["pointsInRange"]) // max_points))
        bounds = sorted({steps[round(i * (len(steps) - 1) / parts)] for i in range(parts)} | {steps[-1] + 1})
        if len(bounds) < 3:
            return points  # cannot cut finer (one step holds more points than the cap)
        every: List[Dict[str, Any]] = []
        for low, high in zip(bounds, bounds[1:]):
            every.extend(self._every_point(path, tag, max_points, low, high - 1))
        return every

    def images(self, experiment: ExperimentRef, tags: Optional[Sequence[str]] = None, runs: Runs = None,
               filter: Optional[str] = None, max_points: int = 10, pil: Optional[bool] = None) -> pd.DataFrame:
        """Images, one row per image: ``run, tag, step, wall_time, index, image``.

        ``image`` holds the encoded bytes (PNG, JPEG… as logged), or ``PIL.Image`` objects when
        ``pil`` is true or, by default, when Pillow is installed. Each series gives at most
        ``max_points`` steps (default 10, as TensorBoard shows).
        """
        to_pil = _pil_opener(pil)
        rows: List[Dict[str, Any]] = []
        for run_id, run, tag in self._series(experiment, "images", tags, runs, filter):
            series = self._get(f"/api/v1/runs/{run_id}/blobs", {"tag": tag, "maxPoints": max_points})
            for point in series["points"]:
                images = [b for b in point["blobs"] if b.get("role") == "image"]
                for number, blob in enumerate(images):
                    data = self._send("GET", blob["url"]).content
                    rows.append({"run": run, "tag": tag, "step": point["step"], "wall_time": point["wallTime"],
                                 "index": number, "image": to_pil(data) if to_pil else data})
        frame = pd.DataFrame(rows, columns=["run", "tag", "step", "wall_time", "index", "image"])
        return frame.astype({"step": np.int64, "wall_time": np.float64, "index": np.int64})

    def hparams(self, experiment: ExperimentRef, filter: Optional[str] = None,
                metrics: Optional[Sequence[str]] = None) -> pd.DataFrame:
        """The hparams table (TensorBoard's HParams dashboard): one row per session (a run that logged
        hparams) with ``hparams.<name>`` and ``metrics.<tag>`` (last value) columns."""
        experiment_id = self._experiment_id(experiment)
        params = {"filter": filter, "metrics": ",".join(metrics) if metrics else None}
        rows = []
        for session in self._pages(f"/api/v1/experiments/{experiment_id}/hparams/sessions", params, "sessions"):
            row = {"run_id": session["runId"], "run": session["run"], "group": session.get("group"),
                   "status": session.get("status"), "session_status": session.get("sessionStatus"),
                   "started_at": session.get("startedAt")}
            flatten("hparams", session.get("hparams"), row)
            flatten("metrics", {k: _nullable_number(v) for k, v in (session.get("metrics") or {}).items()}, row)
            rows.append(row)
        return table(rows, ["run_id", "run", "group", "status", "session_status", "started_at"], ["started_at"])

    def hparams_info(self, experiment: ExperimentRef) -> Dict[str, Any]:
        """The hparams table's columns: each hparam (type, range, values) and metric, as the server says."""
        return self._get(f"/api/v1/experiments/{self._experiment_id(experiment)}/hparams")

    def check(self, experiment: ExperimentRef, *assertions: str, filter: Optional[str] = None,
              runs: Runs = None) -> Dict[str, Any]:
        """Checks assertions on the experiment's runs with the server's checks endpoint — the grammar of
        ``athanor check`` (``metrics.val_accuracy@last >= 0.9``, ``no nan in metrics.loss``).

        Returns the verdict when every assertion holds for every selected run; raises
        :class:`CheckFailed` (with the verdict) when one does not or no run was selected, and
        :class:`BadRequest` for an assertion the server cannot parse.
        """
        if not assertions:
            raise ValueError("check() needs at least one assertion")
        experiment_id = self._experiment_id(experiment)
        verdict = self._post("/api/v1/checks", {
            "experiment": experiment_id, "filter": filter, "assertions": list(assertions),
            "runs": self._run_ids(experiment_id, runs) if runs is not None else None})
        if "passed" not in verdict:
            raise AthanorError(f"the checks answer of {self.url} has no verdict; is it the Athanor query service?")
        if not verdict["passed"]:
            raise CheckFailed(_check_message(verdict), verdict)
        return verdict


def _params(params: Mapping[str, Any]) -> Dict[str, Any]:
    """Query parameters without the unset ones (the server reads an empty value as given)."""
    return {key: value for key, value in params.items() if value is not None}


def _nullable_number(value: Any) -> float:
    """A metric value as JSON has it (null, a number, or NaN/Infinity as strings) as a float."""
    if value is None:
        return float("nan")
    if isinstance(value, str):
        return {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}.get(value, float("nan"))
    return float(value)


def _pil_opener(pil: Optional[bool]) -> Optional[Callable[[bytes], Any]]:
    """``PIL.Image.open`` over bytes when asked for (or by default when Pillow is installed)."""
    if pil is False:
        return None
    try:
        import io

        from PIL import Image
    except ImportError:
        if pil:
            raise ImportError("images(pil=True) needs Pillow: pip install pillow") from None
        return None

    def open_image(data: bytes) -> Any:
        image = Image.open(io.BytesIO(data))
        image.load()
        return image
    return open_image


def _check_message(verdict: Mapping[str, Any]) -> str:
    """The failed assertions with the runs that failed them and the values seen, for the exception."""
    lines = [str(verdict.get("message") or "the check failed")]
    for assertion in verdict.get("assertions") or []:
        if assertion.get("passed"):
            continue
        failed = [r for r in assertion.get("results") or [] if not r.get("passed")]
        lines.append(f"  {assertion['assertion']}: failed for {assertion.get('failedRuns', len(failed))} run(s)")
        for result in failed[:10]:
            seen = ", ".join(f"{k} = {v}" for k, v in (result.get("values") or {}).items()) or "no value"
            detail = result.get("detail")
            lines.append(f"    {result.get('run')}: {seen}" + (f" ({detail})" if detail else ""))
        if len(failed) > 10:
            lines.append(f"    … and {len(failed) - 10} more")
    return "\n".join(lines)
