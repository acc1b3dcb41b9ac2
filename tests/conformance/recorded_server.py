"""A server that answers with the recordings themselves: the replay harness' own test.

Every recorded step is queued under its (endpoint, request body); a request pops the
first matching step and gets its recorded status, headers and body. Replaying the corpus
against it must therefore pass entirely, which checks the replayer (bodies sent
verbatim, content types, cookie jars per session) and the comparison rules without the
sandbox. It also polices the replayer: a cookie where none belongs, or a web step sent
without the session it names, is answered with HTTP 599 and an explanation.

Example::

    with RecordedServer(load_cases(), load_scenarios()) as server:
        Replayer(server.url, reset=server.reset).run_case(case).passed   # True
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import xmlrpc.client
from collections import defaultdict, deque
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

Step = dict[str, Any]


def request_body(step: Step) -> str:
    """The body the replayer sends for ``step`` (README section 3)."""
    request = step["request"]
    if "body" in request:
        return str(request["body"])
    if step["protocol"] == "xmlrpc":
        return str(step["raw_request"])
    return json.dumps(request)


def _response_body(step: Step) -> str:
    response = step["response"]
    if isinstance(response, dict) and "__non_json_body__" in response:
        return str(response["__non_json_body__"])
    if step["protocol"] != "xmlrpc":
        return json.dumps(response)
    if "raw_response" in step and "/raw_response" not in (step.get("truncated") or {}):
        return str(step["raw_response"])
    if "fault" in response:
        fault = xmlrpc.client.Fault(**response["fault"])
        return xmlrpc.client.dumps(fault, methodresponse=True)
    return xmlrpc.client.dumps((response["result"],), methodresponse=True, allow_none=True)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class RecordedServer:
    """Serves the recorded answers on 127.0.0.1 (free port) from a background thread."""

    def __init__(self, cases: list[Step], scenarios: list[Step]) -> None:
        self._queues: dict[tuple[str, str], deque[tuple[str, Step]]] = defaultdict(deque)
        for case in cases:
            self._queues[(case["endpoint"], request_body(case))].append(("cases", case))
        for scenario in scenarios:
            for step in scenario["steps"]:
                key = (step["endpoint"], request_body(step))
                self._queues[key].append((scenario["id"], step))
        self._sids = (f"sid{n:06d}" for n in itertools.count(1))
        self._known_sids: set[str] = set()
        #: (cases or scenario id, session identity) -> the sid it used last
        self._session_sid: dict[tuple[str, str], str] = {}
        self.resets = 0
        self._lock = threading.Lock()
        self._server = make_server(
            "127.0.0.1", 0, self._app, threaded=True, request_handler=_QuietHandler
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> RecordedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()

    def reset(self) -> None:
        self.resets += 1

    # -- WSGI -------------------------------------------------------------------

    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self._lock:
            response = self._answer(request)
        return response(environ, start_response)

    def _answer(self, request: Request) -> Response:
        key = (request.path, request.get_data(as_text=True))
        queue = self._queues.get(key)
        if not queue:
            if request.path == "/web/session/authenticate":
                return self._login(request)
            return Response(f"no recording for {request.path}", status=599)
        owner, step = queue.popleft()
        problem = self._check_cookies(request, owner, step)
        if problem:
            return Response(f"{step['id']}: {problem}", status=599)
        headers = step.get("response_headers") or {}
        response = Response(_response_body(step), status=step["http_status"])
        response.headers["Content-Type"] = headers.get("Content-Type", "")
        for cookie in re.split(r",\s*(?=[^;,=\s]+=)", headers.get("Set-Cookie", "")):
            if cookie.strip():
                sid = next(self._sids)
                self._known_sids.add(sid)
                response.headers.add("Set-Cookie", cookie.replace("<redacted>", sid))
        return response

    def _login(self, request: Request) -> Response:
        """The replayer's own session logins (not recorded cases)."""
        payload = json.loads(request.get_data(as_text=True))
        if request.cookies:
            return Response("a login must start from an empty cookie jar", status=599)
        sid = next(self._sids)
        self._known_sids.add(sid)
        body = {"jsonrpc": "2.0", "id": payload.get("id"), "result": {"uid": 2}}
        response = Response(json.dumps(body), content_type="application/json; charset=utf-8")
        response.headers.add("Set-Cookie", f"session_id={sid}; HttpOnly; Path=/")
        return response

    def _check_cookies(self, request: Request, owner: str, step: Step) -> str | None:
        sid = request.cookies.get("session_id")
        spec = step.get("session")
        needs_session = (
            step["protocol"] == "web"
            and spec is not None
            and step["endpoint"] != "/web/session/authenticate"
        )
        if not needs_session or spec is None:
            return f"unexpected cookie {sid}" if request.cookies else None
        if sid is None or sid not in self._known_sids:
            return f"no session cookie for {spec}"
        identity = (owner, str(spec.get("name") or json.dumps(spec, sort_keys=True)))
        self._session_sid[identity] = sid
        for (other_owner, other), other_sid in self._session_sid.items():
            if other_owner == owner and other != identity[1] and other_sid == sid:
                return f"session {identity[1]} shares its cookie with session {other}"
        return None
