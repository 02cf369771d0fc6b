"""The HTTP layer: routing, authentication, negotiation, list/watch streaming, control API."""
import base64
import copy
import datetime
import http.server
import json
import random
import re
import socket
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse
import uuid

from . import discovery
from . import openapi
from .api import Api, bad_request, now_str, to_served, manager_name, get_path
from .errors import ApiError
from .resources import Registry
from .selectors import (parse_label_selector, parse_field_selector, check_fields, match_labels,
                        match_fields)
from .store import Store, Expired, dumps, key_of

try:
    from . import streaming as streamingmod
except ImportError:  # pragma: no cover - another engineer's module
    streamingmod = None
try:
    from . import tables as tablesmod
except ImportError:  # pragma: no cover
    tablesmod = None

VERSION_INFO = {"major": "1", "minor": "32", "gitVersion": "v1.32.0",
                "gitCommit": "70d3cc986aa8221cd1dfb1121852688902d3bf53", "gitTreeState": "clean",
                "buildDate": "2024-12-11T17:59:15Z", "goVersion": "go1.23.3", "compiler": "gc",
                "platform": "linux/amd64"}
GENERIC_404 = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": "the server could not find the requested resource", "reason": "NotFound",
               "details": {}, "code": 404}
GENERIC_405 = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": "the server does not allow this method on the requested resource",
               "reason": "MethodNotAllowed", "details": {}, "code": 405}
REASONS = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
           406: "NotAcceptable", 409: "Conflict", 410: "Expired", 413: "RequestEntityTooLarge",
           415: "UnsupportedMediaType", 422: "Invalid", 429: "TooManyRequests", 500: "InternalError",
           503: "ServiceUnavailable", 504: "Timeout"}
GENERIC_MESSAGES = {
    400: "the server rejected our request for an unknown reason",
    401: "the server has asked for the client to provide credentials",
    403: "the server does not allow access to the requested resource",
    404: "the server could not find the requested resource",
    409: "the server reported a conflict",
    410: "the server no longer has the requested resource",
    422: "the server rejected our request due to an error in our request",
    429: "the server has received too many requests and has asked us to try again later",
    500: "an error on the server has prevented the request from succeeding",
    503: "the server is currently unable to handle the request",
    504: "the server was unable to return a response in the time allotted, but may still be processing the request",
}
DURATION_RE = re.compile(r"^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$")
DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)")
UNIT = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
CONTINUE_TOO_OLD = ("The provided continue parameter is too old to display a consistent list result. You can start a "
                    "new list without the continue parameter, or use the continue token in this response to "
                    "retrieve the remainder of the results. Continuing with the provided token results in an "
                    "inconsistent list - objects that were created, modified, or deleted between the time the first "
                    "chunk was returned and now may show up in the list.")
HEALTH_CHECKS = {
    "healthz": ["ping", "log", "etcd", "poststarthook/start-apiextensions-controllers",
                "poststarthook/crd-informer-synced"],
    "livez": ["ping", "log", "etcd", "poststarthook/start-apiextensions-controllers",
              "poststarthook/crd-informer-synced"],
    "readyz": ["ping", "log", "etcd", "etcd-readiness", "informer-sync", "shutdown",
               "poststarthook/start-apiextensions-controllers", "poststarthook/crd-informer-synced"],
}


class Dropped(Exception):
    """Raised to abandon a request without an answer (fault action 'drop')."""


class _Answered(Exception):
    """Raised after a fault has written the whole answer itself."""


def boolparam(q, name):
    v = q.get(name)
    if v is None:
        return False
    s = v[0].lower()
    return not (s == "0" or s == "false")


def parse_duration(s):
    if s in ("0",):
        return 0.0
    if not DURATION_RE.match(s or "x"):
        raise bad_request('invalid timeout specified in the request URL - time: invalid duration "%s"' % s)
    return sum(float(n or 0) * UNIT[u] for n, u in DURATION_PART.findall(s))


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def encode_continue(rv, start):
    return b64url(dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": start + "\x00"}).encode())


def decode_continue(tok):
    try:
        raw = base64.urlsafe_b64decode(tok + "=" * (-len(tok) % 4))
        d = json.loads(raw)
        if d.get("v") != "meta.k8s.io/v1" or not isinstance(d.get("rv"), int) or \
                not isinstance(d.get("start"), str):
            raise ValueError
        return d["rv"], d["start"]
    except Exception:
        raise bad_request("invalid continue token: continue key is not valid: continue key is not valid")


class Negotiated:
    """What the client's Accept header asked for."""

    def __init__(self, accept, streaming=False):
        self.mode = None   # json | yaml | table | meta
        self.meta_version = "v1"
        self.pretty_yaml = False
        entries = [e.strip() for e in (accept or "").split(",") if e.strip()] or ["application/json"]
        for e in entries:
            fields = [f.strip() for f in e.split(";")]
            mt = fields[0].lower()
            params = {}
            for f in fields[1:]:
                if "=" in f:
                    k, v = f.split("=", 1)
                    params[k.strip()] = v.strip()
            as_ = params.get("as")
            if mt in ("application/json", "*/*", "application/*", "application/yaml"):
                if as_ in ("Table",) and params.get("g") == "meta.k8s.io" and params.get("v") in ("v1", "v1beta1"):
                    self.mode, self.meta_version = "table", params["v"]
                    break
                if as_ in ("PartialObjectMetadata", "PartialObjectMetadataList") and \
                        params.get("g") == "meta.k8s.io" and params.get("v") in ("v1", "v1beta1"):
                    self.mode, self.meta_version = "meta", params["v"]
                    break
                if as_:
                    continue
                self.mode = "yaml" if (mt == "application/yaml" and not streaming) else "json"
                break
        if self.mode is None:
            raise ApiError(406, "NotAcceptable", "only the following media types are accepted: application/json, "
                           "application/yaml, application/vnd.kubernetes.protobuf")


class EmulatorServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, addr, ssl_context=None):
        self.ssl_context = ssl_context
        super().__init__(addr, Handler)
        self.registry = Registry()
        self.store = Store()
        self.streaming = streamingmod.StreamingState() if streamingmod else None
        self.api = Api(self.registry, self.store, self.streaming)
        self.tokens = {}            # token -> (user, groups)
        self.token_auth = False
        self.cert_auth = False
        self.faults = []
        self.faults_lock = threading.Lock()
        self.requests = []
        self.requests_lock = threading.Lock()
        self.openapi = openapi.OpenAPI(self.registry)
        from .fieldcheck import FieldChecker
        self.api.fieldcheck = FieldChecker(self.openapi)
        self.controllers = None
        self.host_display = "%s:%d" % (self.server_address[0], self.server_address[1])
        self._disc_cache = {}

    def get_request(self):
        sock, addr = super().get_request()
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, socket.timeout, BrokenPipeError, Dropped)):
            return
        super().handle_error(request, client_address)

    # ---- auth
    def authenticate(self, handler):
        """(user, groups) or None when credentials are required and invalid/missing."""
        if not self.token_auth and not self.cert_auth:
            return ("system:admin", ["system:masters", "system:authenticated"])
        token = None
        auth = handler.headers.get("Authorization", "")
        parts = auth.split(" ")
        if len(parts) == 2 and parts[0].lower() == "bearer" and parts[1]:
            token = parts[1]
        elif len(parts) > 2 and parts[0].lower() == "bearer":
            token = [p for p in parts[1:] if p][0] if [p for p in parts[1:] if p] else None
        if token is None and handler.headers.get("Upgrade", "").lower() == "websocket":
            fn = getattr(streamingmod, "token_from_subprotocols", None)
            if fn is None:
                try:
                    from .websocket import token_from_subprotocols as fn
                except ImportError:
                    fn = None
            if fn is not None:
                token = fn(handler.headers.get("Sec-WebSocket-Protocol", ""))
        if token is not None:
            return self.tokens.get(token)
        if self.cert_auth:
            try:
                cert = handler.connection.getpeercert()
            except Exception:
                cert = None
            if cert:
                user, groups = None, []
                for rdn in cert.get("subject", ()):
                    for k, v in rdn:
                        if k == "commonName":
                            user = v
                        elif k == "organizationName":
                            groups.append(v)
                if user:
                    return (user, groups + ["system:authenticated"])
        return None

    def add_token(self, token, user="emulator-user", groups=("system:masters",)):
        self.tokens[token] = (user, list(groups) + ["system:authenticated"])

    # ---- request log
    def log_request_entry(self, entry):
        with self.requests_lock:
            self.requests.append(entry)
            if len(self.requests) > 100000:
                del self.requests[:50000]

    def match_fault(self, method, path, verb):
        with self.faults_lock:
            for rule in self.faults:
                m = rule.get("match") or {}
                if m.get("method") and m["method"].upper() != method:
                    continue
                if m.get("verb") and m["verb"] != verb:
                    continue
                if m.get("path_regex") and not re.search(m["path_regex"], path):
                    continue
                if rule.get("count") is not None:
                    rule["count"] -= 1
                    if rule["count"] <= 0:
                        self.faults.remove(rule)
                return dict(rule)
        return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kube-emulator"
    sys_version = ""

    def log_message(self, fmt, *args):
        pass

    def send_response(self, code, message=None):
        # Go's net/http sends no Server header
        entry = getattr(self, "_log_entry", None)
        if entry is not None:
            entry["status"] = code
            entry["verb"] = getattr(self, "verb", "")
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def setup(self):
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            try:
                self.connection.do_handshake()
            except (ssl.SSLError, OSError):
                self.close_connection = True
                raise ConnectionError("tls handshake failed")

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (ConnectionError, ssl.SSLError, socket.timeout, BrokenPipeError, Dropped):
            self.close_connection = True

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_HEAD(self):
        self.dispatch("HEAD")

    def do_OPTIONS(self):
        self.dispatch("OPTIONS")

    # ---------------------------------------------------------------- plumbing
    def read_body(self):
        if getattr(self, "_body", None) is not None:
            return self._body
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self._body = self.rfile.read(n)
        elif self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                line = self.rfile.readline().strip()
                size = int(line.split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self._body = b"".join(chunks)
        else:
            self._body = b""
        return self._body

    def _drain_body(self):
        """Consume an unread request body so the next request on a kept-alive connection parses."""
        if self._body is not None or self.close_connection or getattr(self, "status_code", 0) == 101:
            return
        try:
            if int(self.headers.get("Content-Length") or 0) or \
                    self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                self.read_body()
        except (OSError, ValueError):
            self.close_connection = True

    def json_body(self, allow_empty=False):
        raw = self.read_body()
        if not raw.strip():
            if allow_empty:
                return None
            raise bad_request("the body of the request was in an unknown format")
        ctype = (self.headers.get("Content-Type") or "application/json").split(";")[0].strip().lower()
        if ctype == "application/vnd.kubernetes.protobuf":
            from . import protobuf
            return protobuf.decode(raw)
        if ctype not in ("application/json", "application/yaml", "*/*", ""):
            raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                           "accepted media types include: application/json, application/yaml, "
                           "application/vnd.kubernetes.protobuf")
        try:
            if ctype == "application/yaml":
                import yaml
                from .api import _stringify_times
                return _stringify_times(yaml.safe_load(raw.decode("utf-8")))
            from .fieldcheck import dup_hook
            return json.loads(raw.decode("utf-8"), object_pairs_hook=dup_hook)
        except ApiError:
            raise
        except Exception as e:
            raise bad_request("Object 'Kind' is missing in '%s'" % raw[:200].decode("utf-8", "replace")
                              if False else "couldn't get version/kind; json parse error: %s" % e)

    def base_headers(self):
        self.send_header("Audit-Id", self.audit_id)
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Kubernetes-Pf-Flowschema-Uid", "b6c0a1e5-0000-4000-8000-000000000001")
        self.send_header("X-Kubernetes-Pf-Prioritylevel-Uid", "b6c0a1e5-0000-4000-8000-000000000002")

    def send_bytes(self, code, body, ctype="application/json", headers=None, skip_base=False):
        if isinstance(body, str):
            body = body.encode()
        self.status_code = code
        if self.fault and self.fault.get("action") == "truncate" and len(body) > 1:
            self.send_response(code)
            self.base_headers()
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(code)
        if not skip_base:
            self.base_headers()
        for w in getattr(self, "warnings", []):
            self.send_header("Warning", '299 - %s' % json.dumps(w))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def pretty(self):
        return boolparam(self.query, "pretty")

    def send_obj(self, code, obj, headers=None, force_json=False):
        mode = "json" if force_json else getattr(self, "neg_mode", "json")
        if mode == "yaml":
            import yaml
            return self.send_bytes(code, yaml.safe_dump(obj, default_flow_style=False, sort_keys=False),
                                   "application/yaml", headers)
        if self.pretty():
            body = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
        else:
            body = dumps(obj) + "\n"
        self.send_bytes(code, body.encode(), "application/json", headers)

    def send_error_status(self, err):
        body = err.status()
        headers = dict(err.headers or {})
        ra = (err.details or {}).get("retryAfterSeconds") if isinstance(err.details, dict) else None
        if ra and "Retry-After" not in headers:
            headers["Retry-After"] = str(ra)
        self.send_obj(err.code, body, headers, force_json=True)

    def send_plain_404(self):
        self.status_code = 404
        self.send_response(404)
        self.base_headers()
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        body = b"404 page not found\n"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    # chunked writing for watches
    def start_chunked(self, code=200, ctype="application/json"):
        self.status_code = code
        self.send_response(code)
        self.base_headers()
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def write_chunk(self, data):
        if not data:
            return
        self.wfile.write(b"%x\r\n" % len(data) + bytes(data) + b"\r\n")
        self.wfile.flush()

    def client_gone(self):
        """True when the peer closed the connection (a watch client sends nothing while watching)."""
        import select
        sock = self.connection
        try:
            r, _, _ = select.select([sock], [], [], 0)
            if not r:
                return False
            if isinstance(sock, ssl.SSLSocket):
                return True
            return sock.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def end_chunked(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # ---------------------------------------------------------------- dispatch
    def dispatch(self, method):
        self.audit_id = self.headers.get("Audit-Id") or str(uuid.uuid4())
        self.status_code = 0
        self.warnings = []
        self._table_headers_sent = False
        self.fault = None
        self._body = None
        self.neg_mode = "json"
        url = urllib.parse.urlsplit(self.path)
        self.url_path = url.path
        self.query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        self.raw_query = url.query
        srv = self.server
        if self.url_path.startswith("/_emulator/") or self.url_path == "/_emulator":
            try:
                self.control(method)
            except ApiError as e:
                self.send_error_status(e)
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                self.send_error_status(bad_request("invalid control request: %s" % e))
            finally:
                self._drain_body()
            return
        # logged before the answer is written, so a client that got its answer finds the entry
        self._log_entry = {"method": method, "path": self.url_path, "query": self.raw_query, "status": 0,
                           "user_agent": self.headers.get("User-Agent", ""), "verb": "", "time": time.time()}
        srv.log_request_entry(self._log_entry)
        try:
            try:
                self.handle_request(method)
            except ApiError as e:
                if getattr(self, "_stream_started", False):
                    raise
                self.send_error_status(e)
            except _Answered:
                pass
            except (ConnectionError, ssl.SSLError, socket.timeout, Dropped):
                raise
            except Exception as e:  # a bug: answer like the apiserver does for unexpected errors
                import traceback
                traceback.print_exc(file=sys.stderr)
                if getattr(self, "_stream_started", False) or self.status_code:
                    self.close_connection = True
                    return
                self.send_error_status(ApiError(500, "InternalError", "Internal error occurred: %s" % e,
                                                {"causes": [{"message": str(e)}]}))
        except Dropped:
            self.status_code = 0
            self.close_connection = True
            raise
        finally:
            self._drain_body()
            if self.status_code:
                self._log_entry["status"] = self.status_code

    def apply_fault(self, method, verb):
        fault = self.server.match_fault(method, self.path, verb)
        if not fault:
            return
        action = fault.get("action", "status")
        if action == "delay":
            time.sleep((fault.get("delay_ms") or 0) / 1000.0)
            return
        if action == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            raise Dropped()
        if action == "status":
            code = int(fault.get("code") or 500)
            if fault.get("plain"):
                # like API Priority and Fairness / max-in-flight rejections: plain text, not a Status
                text = "Too many requests, please try again later.\n" if code == 429 else \
                    GENERIC_MESSAGES.get(code, "injected fault") + "\n"
                hdrs = {}
                if fault.get("retry_after") is not None:
                    hdrs["Retry-After"] = str(fault["retry_after"])
                self.send_bytes(code, text, "text/plain; charset=utf-8", hdrs)
                raise _Answered()
            headers = {}
            details = {}
            if fault.get("retry_after") is not None:
                headers["Retry-After"] = str(fault["retry_after"])
                details["retryAfterSeconds"] = int(fault["retry_after"])
            err = ApiError(code, REASONS.get(code, ""), GENERIC_MESSAGES.get(code, "injected fault"),
                           details or None, headers)
            raise err
        if action == "stall":
            epoch = self.server.store.watch_epoch   # before the headers: a close right after them counts
            self.start_chunked(200)
            limit = (fault.get("delay_ms") or 0) / 1000.0 or None
            t0 = time.time()
            with self.server.store.lock:
                while self.server.store.watch_epoch == epoch:
                    rem = None if limit is None else limit - (time.time() - t0)
                    if rem is not None and rem <= 0:
                        break
                    self.server.store.cond.wait(rem if rem is not None else 1.0)
            self.close_connection = True
            raise Dropped()
        if action == "truncate":
            self.fault = fault

    # ---------------------------------------------------------------- non-resource + routing
    def handle_request(self, method):
        path = self.url_path
        srv = self.server
        verb = {"GET": "get", "POST": "create", "PUT": "update", "PATCH": "patch",
                "DELETE": "delete"}.get(method, method.lower())
        route = None
        if path.startswith("/api/") or path.startswith("/apis/") or path in ("/api", "/apis"):
            route = self.parse_route(method, path)
            if route is not None and route.get("verb"):
                verb = route["verb"]
        self.verb = verb
        self.apply_fault(method, verb)
        if "timeout" in self.query and self.query["timeout"][0] != "":
            parse_duration(self.query["timeout"][0])
        user = srv.authenticate(self)
        if user is None:
            raise ApiError(401, "Unauthorized", "Unauthorized")
        self.user = self.impersonate(user)
        if path.startswith("/api/") or path.startswith("/apis/") or path in ("/api", "/apis"):
            return self.serve_api(method, path, route)
        if method not in ("GET", "HEAD"):
            if path in ("/", "/version", "/healthz", "/livez", "/readyz") or path.startswith("/openapi"):
                return self.send_obj(405, GENERIC_405, force_json=True)
            return self.send_plain_404()
        if path == "/":
            paths = ["/api", "/api/v1", "/apis", "/apis/", "/healthz", "/livez", "/readyz", "/version",
                     "/openapi/v2", "/openapi/v3", "/openapi/v3/"]
            for h in HEALTH_CHECKS["readyz"]:
                paths.append("/readyz/" + h)
            for h in HEALTH_CHECKS["livez"]:
                paths.append("/livez/" + h)
                paths.append("/healthz/" + h)
            for g, vs in srv.registry.group_versions().items():
                paths.append("/apis/" + g)
                for v in vs:
                    paths.append("/apis/%s/%s" % (g, v))
            return self.send_obj(200, {"paths": sorted(set(paths))}, force_json=True)
        if path == "/version":
            body = json.dumps(VERSION_INFO, indent=2) + "\n"
            return self.send_bytes(200, body, "application/json")
        for ep in ("healthz", "livez", "readyz"):
            if path == "/" + ep or path.startswith("/%s/" % ep):
                return self.serve_health(ep, path)
        if path.startswith("/openapi/"):
            return self.serve_openapi(path)
        return self.send_plain_404()

    def impersonate(self, user):
        """Impersonate-User/-Group/-Uid headers (every authenticated user may impersonate: no RBAC)."""
        iu = self.headers.get("Impersonate-User")
        groups = self.headers.get_all("Impersonate-Group") or []
        uid = self.headers.get("Impersonate-Uid")
        extras = [k for k in self.headers.keys() if k.lower().startswith("impersonate-extra-")]
        if iu is None:
            if groups or uid or extras:
                what = []
                if groups:
                    what.append("groups=%s" % json.dumps(groups).replace(", ", ","))
                if uid:
                    what.append("uid=%s" % uid)
                if extras:
                    what.append("extra")
                raise bad_request("requested [%s] without impersonating a user" % " ".join(what))
            return user
        groups = list(groups)
        if iu == "system:anonymous":
            if "system:unauthenticated" not in groups:
                groups.append("system:unauthenticated")
        elif "system:authenticated" not in groups and "system:unauthenticated" not in groups:
            groups.append("system:authenticated")
        return (iu, groups)

    def serve_health(self, ep, path):
        checks = HEALTH_CHECKS[ep]
        sub = path[len(ep) + 2:]
        if sub:
            if sub not in checks:
                return self.send_plain_404()
            return self.send_bytes(200, "ok", "text/plain; charset=utf-8")
        if "verbose" in self.query:
            excluded = set()
            for e in self.query.get("exclude", []):
                excluded.add(e)
            lines = []
            for c in checks:
                lines.append("[+]%s excluded: ok" % c if c in excluded else "[+]%s ok" % c)
            lines.append("%s check passed" % ep)
            return self.send_bytes(200, "\n".join(lines) + "\n", "text/plain; charset=utf-8")
        return self.send_bytes(200, "ok", "text/plain; charset=utf-8")

    def serve_openapi(self, path):
        srv = self.server
        accept = self.headers.get("Accept", "")
        if path == "/openapi/v2":
            doc = srv.openapi.v2()
            if doc is None:
                return self.send_plain_404()
            if "json" not in accept and accept not in ("", "*/*"):
                # client-go asks for the protobuf form only; the emulator has JSON only (README)
                return self.send_plain_404()
            return self.send_bytes(200, doc, "application/json")
        if path in ("/openapi/v3", "/openapi/v3/"):
            body, etag = srv.openapi.v3_index()
            return self.send_bytes(200, body, "application/json", {"Etag": etag})
        if path.startswith("/openapi/v3/"):
            gv = path[len("/openapi/v3/"):]
            res = srv.openapi.v3_doc(gv)
            if res is None:
                return self.send_plain_404()
            body, h = res
            want = (self.query.get("hash") or [None])[0]
            if want is not None and want != h:
                self.status_code = 301
                self.send_response(301)
                self.base_headers()
                self.send_header("Location", "/openapi/v3/%s?hash=%s" % (gv, h))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if "protobuf" in accept and "json" not in accept:
                raise ApiError(406, "NotAcceptable", "only the following media types are accepted: "
                               "application/json")
            headers = {"Etag": '"%s"' % h}
            if want is not None:
                headers["Expires"] = (datetime.datetime.now(datetime.timezone.utc) +
                                      datetime.timedelta(days=365)).strftime("%a, %d %b %Y %H:%M:%S GMT")
            self.send_response(200)
            self.status_code = 200
            self.send_header("Audit-Id", self.audit_id)
            self.send_header("Cache-Control", "public, immutable" if want is not None else "no-cache, private")
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        return self.send_plain_404()

    def parse_route(self, method, path):
        """Parse /api and /apis paths. Returns a dict, or None (plain 404); kind 'generic404' etc."""
        reg = self.server.registry
        parts = [p for p in path.split("/") if p]
        if not parts:
            return None
        if parts[0] == "api":
            if len(parts) == 1:
                return {"doc": "api"}
            if parts[1] != "v1":
                return None
            group, version, rest = "", "v1", parts[2:]
        else:
            if len(parts) == 1:
                return {"doc": "apis"}
            group = parts[1]
            if group not in reg.group_versions():
                return None
            if len(parts) == 2:
                return {"doc": "group", "group": group}
            version = parts[2]
            if not reg.served_group_version(group, version):
                return None
            rest = parts[3:]
        r = {"group": group, "version": version}
        if not rest:
            r["doc"] = "resources"
            return r
        watch_path = False
        if rest[0] == "watch":
            watch_path = True
            rest = rest[1:]
            if not rest:
                r["generic"] = 404
                return r
        ns = None
        if rest[0] == "namespaces" and len(rest) >= 3 and not (group == "" and len(rest) == 3 and
                                                                 rest[2] in ("status", "finalize")):
            ns = rest[1]
            rest = rest[2:]
        plural = rest[0]
        name = rest[1] if len(rest) > 1 else None
        sub = rest[2] if len(rest) > 2 else None
        extra = rest[3:]
        res = reg.lookup(group, version, plural)
        r.update(res=res, ns=ns, name=name, sub=sub, watch_path=watch_path)
        if res is None:
            r["generic"] = 404
            return r
        if ns is not None and not res.namespaced:
            if res.is_custom:
                return None  # the CR handler answers scope mismatches with the plain 404
            r["generic"] = 404
            return r
        if res.namespaced and ns is None and name is not None:
            r["generic"] = 404
            return r
        if sub is not None and (sub not in res.subresources or (extra and sub != "proxy")):
            r["generic"] = 404
            return r
        if watch_path:
            if sub is not None or method != "GET":
                r["generic"] = 404 if sub is not None else 405
                return r
            r["verb"] = "watch"
            return r
        if sub is None:
            if name is None:
                verb = {"GET": "list", "POST": "create", "DELETE": "deletecollection"}.get(method)
                if verb == "list" and boolparam(self.query, "watch"):
                    verb = "watch"
                if verb == "create" and res.namespaced and ns is None and res.verbs != ["create"]:
                    verb = None
            else:
                verb = {"GET": "get", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}.get(method)
            if verb is None or verb not in res.verbs:
                r["generic"] = 405
                return r
        else:
            sverbs = res.subresources[sub]["verbs"]
            verb = {"GET": "get", "PUT": "update", "PATCH": "patch", "DELETE": "delete", "POST": "create"}.get(method)
            if verb not in sverbs:
                r["generic"] = 405
                return r
        r["verb"] = verb
        return r

    # ---------------------------------------------------------------- resource API
    def serve_api(self, method, path, route):
        srv = self.server
        if route is None:
            return self.send_plain_404()
        accept = self.headers.get("Accept", "")
        if "doc" in route:
            if method not in ("GET", "HEAD"):
                return self.send_obj(405, GENERIC_405, force_json=True)
            doc = route["doc"]
            if doc in ("api", "apis"):
                if discovery.wants_aggregated(accept):
                    return self.send_aggregated(doc == "api")
                if doc == "api":
                    return self.send_obj(200, discovery.api_versions(srv.host_display), force_json=True)
                return self.send_obj(200, discovery.api_group_list(srv.registry), force_json=True)
            if doc == "group":
                return self.send_obj(200, discovery.api_group(srv.registry, route["group"]), force_json=True)
            return self.send_obj(200, discovery.resource_list(srv.registry, route["group"], route["version"]),
                                 force_json=True)
        if route.get("generic") == 404:
            return self.send_obj(404, GENERIC_404, force_json=True)
        if route.get("generic") == 405:
            return self.send_obj(405, GENERIC_405, force_json=True)
        res, ns, name, sub, verb = route["res"], route["ns"], route["name"], route["sub"], route["verb"]
        streaming_sub = sub in ("log", "exec", "attach", "portforward", "proxy")
        if not streaming_sub:
            neg = Negotiated(accept, streaming=(verb == "watch"))
            self.neg_mode = neg.mode
            self.neg = neg
        if verb == "watch":
            return self.serve_watch(res, ns, name if route.get("watch_path") else None)
        if verb == "list":
            return self.serve_list(res, ns)
        dry_run = self.dry_run()
        fv = self.field_validation()
        ua = self.headers.get("User-Agent", "")
        api = srv.api
        if sub is not None:
            return self.serve_subresource(res, ns, name, sub, verb, dry_run, fv)
        if verb == "get":
            st = api.get(res, ns, name)
            return self.send_single(res, st)
        if verb == "create":
            if res.verbs == ["create"]:
                return self.serve_virtual(res, ns)
            body = self.json_body()
            if res.kind == "CertificateSigningRequest" and isinstance(body.get("spec"), dict):
                # the requesting user is recorded by the server
                body["spec"]["username"], body["spec"]["groups"] = self.user[0], list(self.user[1])
            obj, warnings = api.create(res, ns or "", body, self.query, ua, dry_run, fv)
            self.warnings += warnings
            return self.send_result(201, res, obj)
        if verb == "update":
            body = self.json_body()
            code, obj, warnings = api.update(res, ns or "", name, body, self.query, ua, dry_run, fv)
            self.warnings += warnings
            return self.send_result(code, res, obj)
        if verb == "patch":
            raw = self.read_body()
            code, obj, warnings = api.patch(res, ns or "", name, self.headers.get("Content-Type", ""), raw,
                                            self.query, ua, dry_run, fv)
            self.warnings += warnings
            return self.send_result(code, res, obj)
        if verb == "delete":
            opts = self.delete_options()
            code, body = api.delete(res, ns or "", name, opts, dry_run or "All" in (opts.get("dryRun") or []))
            if body.get("kind") == "Status":
                return self.send_obj(code, body, force_json=True)
            return self.send_result(code, res, body)
        if verb == "deletecollection":
            return self.serve_deletecollection(res, ns)
        return self.send_obj(405, GENERIC_405, force_json=True)

    def send_aggregated(self, core):
        reg = self.server.registry
        key = (core, reg.generation)
        cached = self.server._disc_cache.get(key)
        if cached is None:
            cached = discovery.encode_with_etag(discovery.aggregated(reg, core))
            self.server._disc_cache = {k: v for k, v in self.server._disc_cache.items() if k[1] == reg.generation}
            self.server._disc_cache[key] = cached
        body, etag = cached
        inm = self.headers.get("If-None-Match")
        if inm and inm == etag:
            self.status_code = 304
            self.send_response(304)
            self.send_header("Audit-Id", self.audit_id)
            self.send_header("Cache-Control", "public")
            self.send_header("Etag", etag)
            self.send_header("Vary", "Accept")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.status_code = 200
        self.send_header("Audit-Id", self.audit_id)
        self.send_header("Cache-Control", "public")
        self.send_header("Etag", etag)
        self.send_header("Vary", "Accept")
        self.send_header("Content-Type", discovery.AGGREGATED_CT)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def dry_run(self):
        vals = self.query.get("dryRun")
        if not vals:
            return False
        for v in vals:
            if v != "All":
                raise ApiError(422, "Invalid", '%s "" is invalid: dryRun: Unsupported value: []string{"%s"}: '
                               'supported values: "All"' % ("CreateOptions.meta.k8s.io", v),
                               {"group": "meta.k8s.io", "kind": "CreateOptions"})
        return True

    def field_validation(self):
        v = (self.query.get("fieldValidation") or ["Warn"])[0] or "Warn"
        if v not in ("Ignore", "Warn", "Strict"):
            raise bad_request('fieldValidation must be one of "Ignore", "Warn", or "Strict", got %s' % v)
        return v

    def delete_options(self):
        body = self.json_body(allow_empty=True)
        if body is None:
            body = {}
            q = self.query
            if "gracePeriodSeconds" in q:
                try:
                    body["gracePeriodSeconds"] = int(q["gracePeriodSeconds"][0])
                except ValueError:
                    raise bad_request("invalid gracePeriodSeconds")
            if "propagationPolicy" in q:
                body["propagationPolicy"] = q["propagationPolicy"][0]
            if "orphanDependents" in q:
                body["orphanDependents"] = boolparam(q, "orphanDependents")
            if "dryRun" in q:
                body["dryRun"] = q["dryRun"]
            for k in ("uid", "resourceVersion"):
                if "preconditions." + k in q:
                    body.setdefault("preconditions", {})[k] = q["preconditions." + k][0]
        if not isinstance(body, dict):
            raise bad_request("the body of the request was in an unknown format")
        return body

    # ---------------------------------------------------------------- output shaping
    def table_for(self, res, objs, list_meta=None):
        if tablesmod is None:
            raise ApiError(406, "NotAcceptable", "only the following media types are accepted: application/json, "
                           "application/yaml")
        include = (self.query.get("includeObject") or ["Metadata"])[0] or "Metadata"
        if include not in ("None", "Metadata", "Object"):
            raise bad_request('includeObject must be one of "None", "Metadata", "Object"')
        tbl = tablesmod.to_table(res.info(), objs, include, datetime.datetime.now(datetime.timezone.utc))
        if getattr(self, "neg", None) is not None and self.neg.meta_version == "v1beta1":
            tbl["apiVersion"] = "meta.k8s.io/v1beta1"
        if list_meta is not None:
            md = tbl.setdefault("metadata", {})
            md.update(list_meta)
        return tbl

    def partial(self, obj):
        v = getattr(self, "neg", None)
        return {"kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/%s" % (v.meta_version if v else "v1"),
                "metadata": obj.get("metadata", {})}

    def send_single(self, res, st):
        mode = self.neg_mode
        if mode == "json" and not self.pretty() and not self.warnings and \
                not (res.group == "events.k8s.io") and st.api_version() == res.api_version:
            return self.send_bytes(200, st.enc, "application/json")
        obj = to_served(res, st.obj)
        return self.send_result(200, res, obj)

    def send_result(self, code, res, obj):
        mode = self.neg_mode
        if mode == "table":
            tbl = self.table_for(res, [obj])
            tbl.setdefault("metadata", {})["resourceVersion"] = obj.get("metadata", {}).get("resourceVersion", "")
            return self.send_obj(code, tbl, force_json=True)
        if mode == "meta":
            return self.send_obj(code, self.partial(obj), force_json=True)
        return self.send_obj(code, obj)

    # ---------------------------------------------------------------- list
    def list_params(self, res):
        q = self.query
        lsel = parse_label_selector((q.get("labelSelector") or [""])[0])
        fsel = parse_field_selector((q.get("fieldSelector") or [""])[0])
        check_fields(res, fsel)
        return lsel, fsel

    def matcher(self, res, ns, lsel, fsel):
        def match(obj):
            meta = obj.get("metadata", {})
            if ns is not None and meta.get("namespace") != ns:
                return False
            if lsel and not match_labels(lsel, meta.get("labels")):
                return False
            if fsel and not match_fields(res, fsel, obj):
                return False
            return True
        return match

    @staticmethod
    def _rv_int(v, what="list"):
        try:
            n = int(v)
            if n < 0:
                raise ValueError
            return n
        except ValueError:
            raise bad_request('invalid resource version: strconv.ParseUint: parsing "%s": invalid syntax' % v)

    def _list_options_invalid(self, field, value, detail, kind="Invalid"):
        cause = {"reason": "FieldValueForbidden" if kind == "Forbidden" else
                 ("FieldValueNotSupported" if kind == "Unsupported" else "FieldValueInvalid"),
                 "message": "%s: %s" % (kind if kind != "Invalid" else "Invalid value", detail) if kind != "Invalid"
                 else 'Invalid value: "%s": %s' % (value, detail), "field": field}
        return ApiError(422, "Invalid", 'ListOptions.meta.k8s.io "" is invalid: %s: %s' % (field, cause["message"]),
                        {"group": "meta.k8s.io", "kind": "ListOptions", "causes": [cause]})

    def wait_for_rv(self, n):
        store = self.server.store
        deadline = time.time() + 3.0
        with store.lock:
            while store.rv < n:
                rem = deadline - time.time()
                if rem <= 0:
                    raise ApiError(504, "Timeout", "Timeout: Too large resource version: %d, current: %d"
                                   % (n, store.rv),
                                   {"causes": [{"reason": "ResourceVersionTooLarge",
                                                "message": "Too large resource version"}],
                                    "retryAfterSeconds": 1}, {"Retry-After": "1"})
                store.cond.wait(rem)

    def serve_list(self, res, ns):
        srv = self.server
        store = srv.store
        q = self.query
        lsel, fsel = self.list_params(res)
        rv = (q.get("resourceVersion") or [None])[0]
        rvm = (q.get("resourceVersionMatch") or [None])[0] or None
        cont = (q.get("continue") or [""])[0]
        limit = 0
        if q.get("limit") and q["limit"][0]:
            try:
                limit = max(0, int(q["limit"][0]))
            except ValueError:
                raise bad_request('invalid limit "%s"' % q["limit"][0])
        if "sendInitialEvents" in q:
            raise self._list_options_invalid("sendInitialEvents", "", "sendInitialEvents is forbidden for list",
                                             "Forbidden")
        if rvm is not None:
            if rvm not in ("Exact", "NotOlderThan"):
                raise self._list_options_invalid("resourceVersionMatch", rvm, 'supported values: "Exact", '
                                                 '"NotOlderThan", ""', "Unsupported")
            if cont:
                raise self._list_options_invalid("resourceVersionMatch", rvm, "resourceVersionMatch is forbidden "
                                                 "when continue is provided", "Forbidden")
            if not rv:
                raise self._list_options_invalid("resourceVersionMatch", rvm, "resourceVersionMatch is forbidden "
                                                 "unless resourceVersion is provided", "Forbidden")
            if rvm == "Exact" and rv == "0":
                raise self._list_options_invalid("resourceVersionMatch", rvm, 'resourceVersionMatch "exact" is '
                                                 'forbidden for resourceVersion "0"', "Forbidden")
        if cont and rv not in (None, "", "0"):
            raise bad_request("specifying resource version is not allowed when using continue")
        prefix = (ns + "/") if (res.namespaced and ns is not None) else ""
        start = ""
        if cont:
            tok_rv, start = decode_continue(cont)
            if tok_rv == -1:
                list_rv, items = store.snapshot(res.storage)
            else:
                try:
                    items = store.snapshot_at(res.storage, tok_rv)
                    list_rv = tok_rv
                except (Expired, ValueError):
                    err = ApiError(410, "Expired", CONTINUE_TOO_OLD)
                    body = err.status()
                    body["metadata"] = {"continue": encode_continue(-1, start.rstrip("\x00"))}
                    return self.send_obj(410, body, force_json=True)
        elif rv not in (None, "", "0"):
            n = self._rv_int(rv)
            exact = rvm == "Exact" or (rvm is None and limit > 0)
            if n > store.rv:
                self.wait_for_rv(n)
            if exact:
                try:
                    items = store.snapshot_at(res.storage, n)
                except (Expired, ValueError):
                    raise ApiError(410, "Expired", "The resourceVersion for the provided list is too old.")
                list_rv = n
            else:
                list_rv, items = store.snapshot(res.storage)
        else:
            list_rv, items = store.snapshot(res.storage)
        # select the range for this namespace / continue position
        import bisect
        keys_start = prefix + start
        i = bisect.bisect_left(items, keys_start, key=lambda kv: kv[0]) if keys_start else 0
        match = self.matcher(res, ns if res.namespaced else None, lsel, fsel)
        selected = []
        more_after = None
        n_items = len(items)
        no_filter = not lsel and not fsel
        while i < n_items:
            k, st = items[i]
            if prefix and not k.startswith(prefix):
                break
            if no_filter or match(st.obj):
                if limit and len(selected) == limit:
                    more_after = i
                    break
                selected.append((k, st))
            i += 1
        meta = {"resourceVersion": str(list_rv)}
        if more_after is not None:
            last_key = selected[-1][0] if selected else keys_start
            rel = last_key[len(prefix):] if prefix else last_key
            meta["continue"] = encode_continue(list_rv, rel)
            if no_filter:
                remaining = 0
                j = more_after
                if prefix:
                    j2 = bisect.bisect_left(items, prefix + "\xff\xff", key=lambda kv: kv[0])
                    remaining = j2 - j
                else:
                    remaining = n_items - j
                meta["remainingItemCount"] = remaining
        self.send_list(res, meta, [st for _, st in selected])

    def send_list(self, res, meta, stored):
        mode = self.neg_mode
        if mode == "table":
            objs = [to_served(res, st.obj) for st in stored]
            tbl = self.table_for(res, objs, meta)
            if self.pretty() or len(stored) < 64:
                return self.send_obj(200, tbl, force_json=True)
            return self.send_bytes(200, self.splice_table(tbl, stored), "application/json")
        if mode == "meta":
            v = self.neg.meta_version
            items = [{"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/" + v,
                      "metadata": st.obj.get("metadata", {})} for st in stored]
            return self.send_obj(200, {"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/" + v,
                                       "metadata": meta, "items": items}, force_json=True)
        if mode == "yaml" or self.pretty():
            if res.is_custom:
                items = [to_served(res, st.obj) for st in stored]
            else:
                items = []
                for st in stored:
                    o = to_served(res, st.obj)
                    items.append({k: v for k, v in o.items() if k not in ("kind", "apiVersion")})
            return self.send_obj(200, {"kind": res.list_kind, "apiVersion": res.api_version, "metadata": meta,
                                       "items": items})
        head = ('{"kind":%s,"apiVersion":%s,"metadata":%s,"items":[' % (
            json.dumps(res.list_kind), json.dumps(res.api_version), dumps(meta))).encode()
        parts = [head]
        convert = res.group == "events.k8s.io"
        first = True
        for st in stored:
            if not first:
                parts.append(b",")
            first = False
            if res.is_custom:
                if st.api_version() == res.api_version:
                    parts.append(st.enc)
                else:
                    parts.append(dumps(to_served(res, st.obj)).encode())
            elif convert:
                o = to_served(res, st.obj)
                parts.append(dumps({k: v for k, v in o.items() if k not in ("kind", "apiVersion")}).encode())
            else:
                parts.append(b"{")
                parts.append(st.item_bytes())
        parts.append(b"]}\n")
        body = b"".join(parts)
        self.send_bytes(200, body, "application/json")

    ROW_MARK = "\u0000row\u0000"

    def splice_table(self, tbl, stored):
        """Encode a big Table quickly: each row's PartialObjectMetadata is spliced in from the object's
        cached metadata encoding instead of being encoded again."""
        rows = tbl.get("rows") or []
        spliced = []
        for row, st in zip(rows, stored):
            o = row.get("object")
            if isinstance(o, dict) and o.get("kind") == "PartialObjectMetadata" and set(o) == {
                    "kind", "apiVersion", "metadata"} and o["metadata"] == st.obj.get("metadata"):
                row["object"] = self.ROW_MARK
                spliced.append(b'{"kind":"PartialObjectMetadata","apiVersion":' + dumps(o["apiVersion"]).encode()
                               + b',"metadata":' + st.meta_bytes() + b"}")
            else:
                spliced.append(None)
        body = dumps(tbl).encode()
        mark = dumps(self.ROW_MARK).encode()
        parts = body.split(mark)
        out = [parts[0]]
        it = iter(x for x in spliced if x is not None)
        for p in parts[1:]:
            out.append(next(it))
            out.append(p)
        return b"".join(out) + b"\n"

    # ---------------------------------------------------------------- watch
    def event_bytes(self, res, etype, st, obj_override=None):
        mode = self.neg_mode
        if mode == "json" and obj_override is None and st.api_version() == res.api_version \
                and res.group != "events.k8s.io":
            return b'{"type":"' + etype.encode() + b'","object":' + st.enc + b'}\n'
        obj = obj_override if obj_override is not None else to_served(res, st.obj)
        if mode == "table":
            rv = (obj_override or st.obj)["metadata"].get("resourceVersion", "")
            obj = self.table_for(res, [obj])
            obj.setdefault("metadata", {})["resourceVersion"] = rv
            # like the apiserver's watch encoder: column definitions only in the first event (NoHeaders after)
            if getattr(self, "_table_headers_sent", False):
                obj["columnDefinitions"] = None
            self._table_headers_sent = True
        elif mode == "meta":
            obj = self.partial(obj)
        return dumps({"type": etype, "object": obj}).encode() + b"\n"

    def bookmark_bytes(self, res, rv, initial_end=False):
        meta = {"resourceVersion": str(rv)}
        if initial_end:
            meta["annotations"] = {"k8s.io/initial-events-end": "true"}
        if self.neg_mode == "meta":
            obj = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/" + self.neg.meta_version,
                   "metadata": meta}
        elif self.neg_mode == "table":
            obj = {"kind": "Table", "apiVersion": "meta.k8s.io/" + self.neg.meta_version, "metadata": meta,
                   "columnDefinitions": None, "rows": None}
        else:
            obj = {"kind": res.kind, "apiVersion": res.api_version, "metadata": meta}
        return dumps({"type": "BOOKMARK", "object": obj}).encode() + b"\n"

    def error_event(self, code, reason, message, details=None):
        st = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
              "reason": reason}
        if details:
            st["details"] = details
        st["code"] = code
        return dumps({"type": "ERROR", "object": st}).encode() + b"\n"

    def serve_watch(self, res, ns, name):
        srv = self.server
        store = srv.store
        q = self.query
        lsel, fsel = self.list_params(res)
        if name is not None:
            fsel = fsel + [("metadata.name", "=", name)]
        rv = (q.get("resourceVersion") or [None])[0]
        rvm = (q.get("resourceVersionMatch") or [None])[0] or None
        sie_given = "sendInitialEvents" in q
        sie = boolparam(q, "sendInitialEvents")
        bookmarks = boolparam(q, "allowWatchBookmarks")
        if sie_given and rvm != "NotOlderThan":
            raise self._list_options_invalid("sendInitialEvents", "", "sendInitialEvents is forbidden for watch "
                                             "unless resourceVersionMatch is set to NotOlderThan", "Forbidden")
        if rvm is not None:
            if not sie_given:
                raise self._list_options_invalid("resourceVersionMatch", rvm, "resourceVersionMatch is forbidden "
                                                 "for watch unless sendInitialEvents is provided", "Forbidden")
            if rvm != "NotOlderThan":
                raise self._list_options_invalid("resourceVersionMatch", rvm, 'supported values: "NotOlderThan"',
                                                 "Unsupported")
        timeout = None
        if q.get("timeoutSeconds") and q["timeoutSeconds"][0]:
            try:
                timeout = int(q["timeoutSeconds"][0])
            except ValueError:
                raise bad_request("invalid timeoutSeconds")
        if not timeout:
            timeout = random.uniform(1800, 3600)
        # WatchList gate (beta, on in 1.32): RV ""/"0" without rvMatch behaves like sendInitialEvents=true
        initial = rv in (None, "", "0") or sie
        annotate_end = sie or (rv in (None, "", "0") and not sie_given)
        from_now = False
        if sie_given and not sie:
            # sendInitialEvents=false: no synthetic events; RV ""/"0" start at the current state
            annotate_end = False
            initial = False
            from_now = rv in (None, "", "0")
        n = None
        if rv not in (None, "", "0"):
            n = self._rv_int(rv)
        # the namespace is checked on keys/events (no decoding); selectors need the object
        match = self.matcher(res, None, lsel, fsel)
        no_filter = not lsel and not fsel
        ns_only = ns if (res.namespaced and ns is not None) else None
        ns_prefix = (ns_only + "/") if ns_only is not None else ""
        deadline = time.time() + timeout
        self._stream_started = True
        epoch = store.watch_epoch   # before the headers: a watches/close right after them counts
        self.start_chunked(200)
        truncate = self.fault is not None and self.fault.get("action") == "truncate"
        if n is not None and n > store.rv:
            with store.lock:
                end = time.time() + 3.0
                while store.rv < n and time.time() < end:
                    store.cond.wait(end - time.time())
            if store.rv < n:
                self.write_chunk(self.error_event(504, "Timeout", "Timeout: Too large resource version: %d, "
                                                  "current: %d" % (n, store.rv),
                                                  {"causes": [{"reason": "ResourceVersionTooLarge",
                                                               "message": "Too large resource version"}],
                                                   "retryAfterSeconds": 1}))
                self.end_chunked()
                return
        with store.lock:
            if from_now:
                items, start_rv, pos = [], store.rv, store.position_now()
            elif initial and (sie or n is None):
                start_rv, items = store.snapshot(res.storage)
                if n is not None and n > start_rv:
                    start_rv = n
                pos = store.position_now()
            else:
                try:
                    pos = store.watch_position(n)
                except Expired:
                    compacted = store.compacted_rv
                    self.write_chunk(self.error_event(410, "Expired", "too old resource version: %d (%d)"
                                                      % (n, compacted)))
                    self.end_chunked()
                    return
                items = []
                start_rv = n
        out = []
        for k, st in items:
            if ns_prefix and not k.startswith(ns_prefix):
                continue
            if no_filter or match(st.obj):
                out.append(self.event_bytes(res, "ADDED", st))
                if len(out) >= 256:
                    self.write_chunk(b"".join(out))
                    out = []
        if bookmarks and annotate_end and initial:
            out.append(self.bookmark_bytes(res, start_rv, True))
        if out:
            if truncate:
                data = b"".join(out)
                self.wfile.write(b"%x\r\n" % len(data) + data[:len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.write_chunk(b"".join(out))
        last_rv = start_rv
        last_bookmark = time.time()
        storage = res.storage
        while True:
            now = time.time()
            if now >= deadline:
                break
            wait = min(deadline - now, 1.0 if bookmarks else 2.0)
            evs, pos, closed = store.wait_events(pos, wait, epoch)
            if not evs and not closed and self.client_gone():
                self.close_connection = True
                return
            if closed:
                if evs is None:
                    self.write_chunk(self.error_event(410, "Expired", "too old resource version: %d (%d)"
                                                      % (last_rv, store.compacted_rv)))
                self.close_connection = True
                try:
                    self.end_chunked()
                except OSError:
                    pass
                return
            out = []
            for ev in evs:
                if ev.storage != storage:
                    continue
                last_rv = ev.rv
                if ns_only is not None and ev.ns != ns_only:
                    continue
                if no_filter:
                    out.append(self.event_bytes(res, ev.type, ev.new))
                    continue
                new_m = match(ev.new.obj)
                old_m = ev.old is not None and match(ev.old.obj)
                if ev.type == "ADDED":
                    if new_m:
                        out.append(self.event_bytes(res, "ADDED", ev.new))
                elif ev.type == "MODIFIED":
                    if new_m and old_m:
                        out.append(self.event_bytes(res, "MODIFIED", ev.new))
                    elif new_m:
                        out.append(self.event_bytes(res, "ADDED", ev.new))
                    elif old_m:
                        o = copy.copy(to_served(res, ev.old.obj))
                        o["metadata"] = dict(o["metadata"], resourceVersion=str(ev.rv))
                        out.append(self.event_bytes(res, "DELETED", ev.old, o))
                elif ev.type == "DELETED":
                    if old_m:
                        out.append(self.event_bytes(res, "DELETED", ev.new))
            if evs:
                last_rv = max(last_rv or 0, evs[-1].rv)
            if bookmarks and time.time() - last_bookmark >= getattr(srv, "bookmark_interval", 60) and not out:
                out.append(self.bookmark_bytes(res, store.rv))
                last_bookmark = time.time()
            if out:
                self.write_chunk(b"".join(out))
        self.end_chunked()

    def serve_deletecollection(self, res, ns):
        srv = self.server
        lsel, fsel = self.list_params(res)
        opts = self.delete_options()
        dry = self.dry_run() or "All" in (opts.get("dryRun") or [])
        match = self.matcher(res, ns if res.namespaced else None, lsel, fsel)
        list_rv, items = srv.store.snapshot(res.storage)
        out = []
        for k, st in items:
            if not match(st.obj):
                continue
            m = st.obj["metadata"]
            try:
                code, body = srv.api.delete(res, m.get("namespace", ""), m["name"], opts, dry)
            except ApiError as e:
                if e.code == 404:
                    continue
                raise
            if body.get("kind") == "Status":
                out.append(to_served(res, st.obj))
            else:
                out.append(body)
        items_out = out if res.is_custom else [{k: v for k, v in o.items() if k not in ("kind", "apiVersion")}
                                               for o in out]
        return self.send_obj(200, {"kind": res.list_kind, "apiVersion": res.api_version,
                                   "metadata": {"resourceVersion": str(srv.store.rv)}, "items": items_out})

    # ---------------------------------------------------------------- subresources and virtual kinds
    def serve_subresource(self, res, ns, name, sub, verb, dry_run, fv):
        srv = self.server
        api = srv.api
        ua = self.headers.get("User-Agent", "")
        if sub in ("status", "ephemeralcontainers", "approval", "finalize"):
            realsub = "status" if sub == "finalize" else sub
            if verb == "get":
                return self.send_single(res, api.get(res, ns, name))
            if verb == "update":
                body = self.json_body()
                if sub == "finalize":
                    code, obj, w = self.finalize_namespace(res, name, body, dry_run)
                else:
                    code, obj, w = api.update(res, ns or "", name, body, self.query, ua, dry_run, fv,
                                              subresource=realsub)
                self.warnings += w
                return self.send_result(code, res, obj)
            if verb == "patch":
                code, obj, w = api.patch(res, ns or "", name, self.headers.get("Content-Type", ""), self.read_body(),
                                         self.query, ua, dry_run, fv, subresource=realsub)
                self.warnings += w
                return self.send_result(code, res, obj)
        if sub == "scale":
            if verb == "get":
                return self.send_obj(200, api.get_scale(res, ns, name))
            if verb == "update":
                return self.send_obj(200, api.update_scale(res, ns, name, self.json_body(), self.query, ua, dry_run))
            if verb == "patch":
                import copy as _c
                from . import patch as pm
                scale = api.get_scale(res, ns, name)
                ptype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
                raw = self.read_body()
                if ptype != "application/apply-patch+yaml":
                    try:
                        json.loads(raw or b"null")
                    except ValueError as e:
                        raise bad_request("error decoding patch: %s" % e)
                if ptype == "application/json-patch+json":
                    new = pm.json_patch(_c.deepcopy(scale), json.loads(raw))
                elif ptype == "application/merge-patch+json":
                    new = pm.merge_patch(_c.deepcopy(scale), json.loads(raw))
                elif ptype == "application/strategic-merge-patch+json":
                    new = pm.strategic_merge_patch(_c.deepcopy(scale), json.loads(raw), ("autoscaling", "v1", "Scale"))
                elif ptype == "application/apply-patch+yaml":
                    import yaml
                    applied = yaml.safe_load(raw.decode())
                    new = _c.deepcopy(scale)
                    if isinstance(applied, dict) and "spec" in applied:
                        new["spec"] = dict(new.get("spec", {}), **applied["spec"])
                else:
                    raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                                   "accepted media types include: application/json-patch+json, "
                                   "application/merge-patch+json, application/apply-patch+yaml")
                new.setdefault("metadata", {})["resourceVersion"] = scale["metadata"].get("resourceVersion") \
                    if not _patch_sets_rv(ptype, raw) else new["metadata"].get("resourceVersion")
                return self.send_obj(200, api.update_scale(res, ns, name, new, self.query, ua, dry_run))
        if res.kind == "Pod" and not res.group:
            return self.serve_pod_sub(res, ns, name, sub, verb, dry_run)
        if res.kind == "ServiceAccount" and sub == "token":
            return self.serve_token_request(res, ns, name)
        return self.send_obj(404, GENERIC_404, force_json=True)

    def finalize_namespace(self, res, name, body, dry_run):
        api = self.server.api
        with api.lock:
            cur = api.get(res, "", name)
            obj = copy.deepcopy(cur.obj)
            obj["spec"] = dict(obj.get("spec") or {}, finalizers=(body.get("spec") or {}).get("finalizers") or [])
            if dry_run:
                return 200, obj, []
            if not obj["spec"]["finalizers"] and obj["metadata"].get("deletionTimestamp") and \
                    not obj["metadata"].get("finalizers"):
                self.server.store.put(res.storage, "", name, obj)
                self.server.store.remove(res.storage, "", name)
                return 200, obj, []
            st = self.server.store.put(res.storage, "", name, obj)
            return 200, st.obj, []

    def serve_pod_sub(self, res, ns, name, sub, verb, dry_run):
        srv = self.server
        api = srv.api
        if sub in ("log", "exec", "attach", "portforward"):
            pod = api.get(res, ns, name).obj
            if srv.streaming is None or streamingmod is None:
                raise ApiError(500, "InternalError", "Internal error occurred: streaming is not available")
            self._stream_started = False
            if sub == "log":
                self.status_code = 200
                return streamingmod.serve_log(self, pod, self.query, srv.streaming)
            self.status_code = 101
            return streamingmod.serve_upgrade(self, pod, self.query, sub, srv.streaming)
        if sub == "proxy":
            raise ApiError(503, "ServiceUnavailable", "the emulator does not proxy to pods (no network backends)")
        if sub == "binding":
            body = self.json_body()
            target = (body.get("target") or {}).get("name")
            if not target:
                raise ApiError(422, "Invalid", 'Binding "%s" is invalid: target.name: Required value' % name,
                               {"name": name, "kind": "Binding",
                                "causes": [{"reason": "FieldValueRequired", "message": "Required value",
                                            "field": "target.name"}]})
            with api.lock:
                st = api.get(res, ns, name)
                pod = copy.deepcopy(st.obj)
                if (pod.get("spec") or {}).get("nodeName"):
                    raise ApiError(409, "Conflict", 'Operation cannot be fulfilled on pods/binding "%s": pod %s is '
                                   'already assigned to node "%s"' % (name, name, pod["spec"]["nodeName"]),
                                   {"name": name, "kind": "pods/binding"})
                pod["spec"]["nodeName"] = target
                if not dry_run:
                    srv.store.put(res.storage, ns, name, pod)
            return self.send_obj(201, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                                       "code": 201}, force_json=True)
        if sub == "eviction":
            body = self.json_body()
            pod = api.get(res, ns, name).obj
            pdbres = srv.registry.lookup("policy", "v1", "poddisruptionbudgets")
            labels = pod["metadata"].get("labels") or {}
            from .api import selector_string
            for st in srv.store.objects(pdbres.storage):
                pdb = st.obj
                if pdb["metadata"].get("namespace") != ns:
                    continue
                sel = (pdb.get("spec") or {}).get("selector")
                if not sel:
                    continue
                if match_labels(parse_label_selector(selector_string(sel)), labels):
                    allowed = (pdb.get("status") or {}).get("disruptionsAllowed", 0)
                    if not allowed:
                        raise ApiError(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's "
                                       "disruption budget.",
                                       {"causes": [{"reason": "DisruptionBudget",
                                                    "message": "The disruption budget %s needs %d healthy pods and "
                                                               "has %d currently" % (
                                                                   pdb["metadata"]["name"],
                                                                   (pdb.get("status") or {}).get("desiredHealthy", 0),
                                                                   (pdb.get("status") or {}).get("currentHealthy", 0))}]})
            opts = (body or {}).get("deleteOptions") or {}
            api.delete(res, ns, name, opts, dry_run)
            return self.send_obj(201, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                                       "code": 201}, force_json=True)
        return self.send_obj(404, GENERIC_404, force_json=True)

    def serve_token_request(self, res, ns, name):
        srv = self.server
        srv.api.get(res, ns, name)
        body = self.json_body(allow_empty=True) or {}
        spec = dict(body.get("spec") or {})
        exp = spec.get("expirationSeconds") or 3600
        spec.setdefault("audiences", ["https://kubernetes.default.svc.cluster.local"])
        spec["expirationSeconds"] = exp
        spec.setdefault("boundObjectRef", None)
        header = b64url(b'{"alg":"RS256","kid":"kube-emulator"}')
        claims = b64url(dumps({"aud": spec["audiences"], "exp": int(time.time()) + exp,
                               "iat": int(time.time()), "iss": "https://kubernetes.default.svc.cluster.local",
                               "sub": "system:serviceaccount:%s:%s" % (ns, name)}).encode())
        token = "%s.%s.%s" % (header, claims, b64url(uuid.uuid4().bytes))
        srv.add_token(token, "system:serviceaccount:%s:%s" % (ns, name),
                      ["system:serviceaccounts", "system:serviceaccounts:" + ns])
        out = {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
               "metadata": {"name": name, "namespace": ns, "creationTimestamp": None},
               "spec": spec, "status": {"token": token, "expirationTimestamp": now_str(exp)}}
        return self.send_obj(201, out, force_json=True)

    def serve_virtual(self, res, ns):
        """Create-only kinds: reviews and bindings."""
        srv = self.server
        body = self.json_body()
        if not isinstance(body, dict):
            raise bad_request("the body of the request was in an unknown format")
        user, groups = self.user
        out = copy.deepcopy(body)
        out["kind"], out["apiVersion"] = res.kind, res.api_version
        meta = out.setdefault("metadata", {})
        meta.setdefault("creationTimestamp", None)
        k = res.kind
        if k in ("SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview"):
            out["status"] = {"allowed": True, "reason": "the emulator authorizes every request"}
        elif k == "SelfSubjectRulesReview":
            out["status"] = {"resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
                             "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
                             "incomplete": False}
        elif k == "SelfSubjectReview":
            out["status"] = {"userInfo": {"username": user, "groups": groups}}
        elif k == "TokenReview":
            tok = (out.get("spec") or {}).get("token", "")
            info = srv.tokens.get(tok)
            out["status"] = {"authenticated": True, "user": {"username": info[0], "groups": info[1]},
                             "audiences": (out.get("spec") or {}).get("audiences") or []} if info else \
                {"user": {}, "error": "invalid bearer token"}
        elif k == "Binding":
            pods = srv.registry.lookup("", "v1", "pods")
            return self.serve_pod_sub(pods, ns, meta.get("name", ""), "binding", "create", self.dry_run()) \
                if False else self._binding_top(pods, ns, body)
        return self.send_obj(201, out, force_json=True)

    def _binding_top(self, pods, ns, body):
        self._body = dumps(body).encode()
        return self.serve_pod_sub(pods, ns, (body.get("metadata") or {}).get("name", ""), "binding", "create",
                                  self.dry_run())

    # ---------------------------------------------------------------- control API
    def control(self, method):
        srv = self.server
        path = self.url_path[len("/_emulator/"):].strip("/")
        parts = path.split("/")

        def ok(obj=None, code=200):
            self.send_bytes(code, dumps(obj if obj is not None else {"ok": True}) + "\n", "application/json",
                            skip_base=True)

        def body():
            raw = self.read_body()
            return json.loads(raw) if raw.strip() else None

        if path == "faults":
            if method == "POST":
                b = body()
                rules = b if isinstance(b, list) else (b.get("rules") if isinstance(b, dict) and "rules" in b
                                                       else [b])
                with srv.faults_lock:
                    for r in rules:
                        if not isinstance(r, dict) or r.get("action", "status") not in (
                                "status", "drop", "delay", "stall", "truncate"):
                            raise bad_request("invalid fault rule: %s" % json.dumps(r))
                        if r.get("match", {}).get("path_regex"):
                            re.compile(r["match"]["path_regex"])
                        srv.faults.append(dict(r))
                    return ok({"faults": srv.faults})
            if method == "DELETE":
                with srv.faults_lock:
                    srv.faults = []
                return ok()
            if method == "GET":
                with srv.faults_lock:
                    return ok({"faults": srv.faults})
        if path == "compact" and method == "POST":
            srv.store.compact()
            return ok({"compactedResourceVersion": str(srv.store.compacted_rv)})
        if path == "watches/close" and method == "POST":
            srv.store.close_watches()
            return ok()
        if path == "tokens/expire" and method == "POST":
            srv.tokens.clear()
            return ok()
        if path == "tokens" and method == "POST":
            b = body() or {}
            tok = b.get("token") or b64url(uuid.uuid4().bytes + uuid.uuid4().bytes)
            srv.add_token(tok, b.get("user", "emulator-user"), b.get("groups") or ["system:masters"])
            return ok({"token": tok})
        if path == "state" and method == "GET":
            encs = []
            with srv.store.lock:
                rv = srv.store.rv
                for storage in sorted(srv.store.all_storages()):
                    for k, st in sorted(srv.store.data.get(storage, {}).items()):
                        encs.append(st.enc)   # cached encodings: no per-object re-encoding
            snap = {}
            if srv.streaming is not None and hasattr(srv.streaming, "snapshot"):
                snap = srv.streaming.snapshot()
            body = b"".join([b'{"resourceVersion":"%d","objects":[' % rv, b",".join(encs),
                             b'],"streaming":', dumps(snap).encode(), b"}\n"])
            return self.send_bytes(200, body, "application/json", skip_base=True)
        if path == "requests":
            if method == "GET":
                with srv.requests_lock:
                    return ok({"requests": list(srv.requests)})
            if method == "DELETE":
                with srv.requests_lock:
                    srv.requests = []
                return ok()
        if len(parts) == 4 and parts[0] == "pods" and method == "POST" and parts[3] in ("log", "phase"):
            ns, name = parts[1], parts[2]
            pods = srv.registry.lookup("", "v1", "pods")
            b = body() or {}
            pod_st = srv.api.get(pods, ns, name)
            if parts[3] == "log":
                if srv.streaming is None:
                    raise ApiError(500, "InternalError", "streaming is not available")
                streamingmod.control_append_log(srv.streaming, pod_st.obj, b)
                return ok()
            obj = srv.controllers.set_pod_phase(ns, name, b.get("phase", "Running"), b.get("ready", True))
            return ok(obj)
        self.send_plain_404()


def _patch_sets_rv(ptype, raw):
    if ptype not in ("application/merge-patch+json", "application/strategic-merge-patch+json"):
        return False
    try:
        p = json.loads(raw)
        return isinstance(p, dict) and "resourceVersion" in (p.get("metadata") or {})
    except ValueError:
        return False
