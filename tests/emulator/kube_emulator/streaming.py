"""Pod log, exec, attach and port-forward: the streaming subresources.

apiserver-spec.md section 9 is the specification.  The server (server.py)
finds the pod and authenticates; this module validates the options the way
kube-apiserver and the kubelet do, writes the whole response, and keeps the
per-pod state (logs, resize events, live sessions) in StreamingState.

What runs "inside" a container is scripted, never executed on the host:

- exec interprets argv: echo, cat, env, printenv, true, false, sleep N
  (at most SLEEP_LIMIT seconds), hostname, pwd, whoami, stty size, and
  sh/bash (-c SCRIPT, or an interactive shell reading lines from stdin) whose
  scripts are lists of those commands separated by `;`, `&&`, `||`, with
  `$VAR`, `${VAR}`, `$?` expansion and `exit N`.  An unknown program at the top
  level fails like containerd (InternalError Status "executable file not
  found in $PATH"); inside sh it prints `sh: 1: NAME: not found` to stderr and
  exits 127, as dash does.
- attach connects to the container's main process: it behaves like `cat`
  whose output is the container log.  Complete stdin lines are appended to
  the container's log; every attached client and every `log?follow=true`
  stream sees lines appended after it connected.  The session ends when the
  client closes, when the pod is deleted, or (only for containers with
  stdinOnce: true) when stdin is closed.
- port-forward: every port is an echo server.

Standard library only.
"""

import base64
import binascii
import bisect
import json
import queue
import re
import select
import shlex
import socket
import ssl
import threading
import time
from datetime import datetime, timezone

from . import websocket as ws
from .errors import ApiError
from .websocket import token_from_subprotocols  # noqa: F401  (part of this module's interface)

SLEEP_LIMIT = 300.0
POLL_INTERVAL = 0.2

V5 = "v5.channel.k8s.io"
V4 = "v4.channel.k8s.io"
V4_BASE64 = "v4.base64.channel.k8s.io"
V1 = "channel.k8s.io"
V1_BASE64 = "base64.channel.k8s.io"

# The kubelet's WebSocket protocols (remotecommand/websocket.go and
# portforward/websocket.go): name -> (base64 framing, Status JSON on channel 3).
# "" is what an empty Sec-WebSocket-Protocol negotiates to.  v5 is served by
# kube-apiserver itself (stream translator) for exec and attach only.
EXEC_PROTOCOLS = {
    "": (False, False),
    V1: (False, False),
    V1_BASE64: (True, False),
    V4: (False, True),
    V4_BASE64: (True, True),
    V5: (False, True),
}
PORTFORWARD_PROTOCOLS = {
    "": (False, False),
    V4: (False, False),
    V4_BASE64: (True, False),
}

STDIN, STDOUT, STDERR, ERROR, RESIZE = 0, 1, 2, 3, 4
CLOSE_CHANNEL = 255

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


# ---------------------------------------------------------------------------
# Query decoding, as apimachinery's parameter codec does it.

def parse_bool(values):
    """Spec section 0: absent -> False; "0"/"false" (any case) -> False; else True."""
    if not values:
        return False
    v = values[0]
    return not (v == "0" or v.lower() == "false")


def _first(query, name):
    values = query.get(name)
    if not values:
        return None
    return values[0]


def _bad_request(message):
    return ApiError(400, "BadRequest", message)


_INT_RE = re.compile(r"^[+-]?[0-9]+$")


def _parse_int64(query, name):
    raw = _first(query, name) if name in query else None
    if raw is None:
        return None
    if not _INT_RE.match(raw):
        raise _bad_request('strconv.ParseInt: parsing "%s": invalid syntax' % raw)
    value = int(raw)
    if not -(1 << 63) <= value < (1 << 63):
        raise _bad_request('strconv.ParseInt: parsing "%s": value out of range' % raw)
    return value


_RFC3339_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def parse_rfc3339(raw):
    """Seconds since the epoch (float) for an RFC 3339 time, or ValueError."""
    m = _RFC3339_RE.match(raw)
    if not m:
        raise ValueError(raw)
    year, mon, day, hh, mm, ss = (int(x) for x in m.groups()[:6])
    frac = m.group(7) or ""
    zone = m.group(8)
    dt = datetime(year, mon, day, hh, mm, ss, tzinfo=timezone.utc)
    seconds = dt.timestamp()
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        seconds -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    if frac:
        seconds += float("0" + frac)
    return seconds


def _parse_time(query, name):
    if name not in query:
        return None
    raw = _first(query, name) or ""
    if raw in ("", "null"):
        return 0.0  # metav1.Time zero value: a non-nil pointer, like upstream
    try:
        return parse_rfc3339(raw)
    except ValueError:
        raise _bad_request('parsing time "%s" as "2006-01-02T15:04:05Z07:00": cannot parse "%s" as "2006"'
                           % (raw, raw))


def format_rfc3339nano(ts_ns):
    """Go's time.RFC3339Nano in UTC: trailing zeros of the fraction trimmed."""
    secs, nanos = divmod(ts_ns, 1_000_000_000)
    base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs))
    if nanos:
        base += "." + ("%09d" % nanos).rstrip("0")
    return base + "Z"


def go_json(obj):
    """json.Marshal's bytes: compact, HTML-escaped like encoding/json."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return text.encode("utf-8")


def _invalid(kind, name, errors):
    """422 Invalid like apierrors.NewInvalid; errors = [(reason, field, body)]."""
    strs = ["%s: %s" % (field, body) for _, field, body in errors]
    agg = strs[0] if len(strs) == 1 else "[" + ", ".join(strs) + "]"
    causes = []
    for reason, field, body in errors:
        cause = {"reason": reason, "message": body}
        if field:
            cause["field"] = field
        causes.append(cause)
    return ApiError(422, "Invalid", '%s "%s" is invalid: %s' % (kind, name, agg),
                    details={"name": name, "kind": kind, "causes": causes})


# ---------------------------------------------------------------------------
# Pods and containers.

def _meta(pod):
    md = pod.get("metadata") or {}
    return md.get("namespace") or "default", md.get("name") or ""


def _names(containers):
    return [c.get("name", "") for c in containers or []]


def _container_spec(pod, name):
    spec = pod.get("spec") or {}
    for key in ("containers", "initContainers", "ephemeralContainers"):
        for c in spec.get(key) or []:
            if c.get("name") == name:
                return c
    return {}


def resolve_container(pod, requested):
    """The container a log/exec/attach request means (registry/core/pod/strategy.go)."""
    _, name = _meta(pod)
    spec = pod.get("spec") or {}
    if not requested:
        names = _names(spec.get("containers"))
        if len(names) == 1:
            return names[0]
        if not names:
            raise _bad_request("a container name must be specified for pod %s" % name)
        msg = "a container name must be specified for pod %s, choose one of: [%s]" % (name, " ".join(names))
        inits = _names(spec.get("initContainers"))
        if inits:
            msg += " or one of the init containers: [%s]" % " ".join(inits)
        raise _bad_request(msg)
    every = (_names(spec.get("containers")) + _names(spec.get("initContainers"))
             + _names(spec.get("ephemeralContainers")))
    if requested not in every:
        raise _bad_request("container %s is not valid for pod %s" % (requested, name))
    return requested


def _container_status(pod, container):
    """(status dict or None, whether the pod reports any container statuses)."""
    status = pod.get("status") or {}
    lists = [status.get(k) or [] for k in
             ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")]
    any_status = any(lists)
    for lst in lists:
        for cs in lst:
            if cs.get("name") == container:
                return cs, any_status
    return None, any_status


def _container_running(pod, container):
    """False when the pod's status says the container is not running.

    Pods without any container status (nothing reported yet) count as running.
    """
    cs, any_status = _container_status(pod, container)
    if cs is None:
        return not any_status or _is_ephemeral(pod, container)
    return bool((cs.get("state") or {}).get("running"))


def _is_ephemeral(pod, container):
    """Ephemeral containers without a status count as started: nothing in the
    emulator reports ephemeralContainerStatuses."""
    return container in _names((pod.get("spec") or {}).get("ephemeralContainers"))


def _first_container(pod):
    names = _names((pod.get("spec") or {}).get("containers"))
    return names[0] if names else None


# ---------------------------------------------------------------------------
# Shared state.

class _Line:
    __slots__ = ("seq", "ts_ns", "container", "previous", "text")

    def __init__(self, seq, ts_ns, container, previous, text):
        self.seq = seq
        self.ts_ns = ts_ns
        self.container = container
        self.previous = previous
        self.text = text


def _seq_of(entry):
    return entry.seq


class StreamingState:
    """Logs, resize events and live sessions of every pod; thread-safe.

    pod_lookup, if set (callable (namespace, name) -> pod dict or None), lets
    append_log resolve container None to the pod's first container right away;
    otherwise such lines are attributed to the first container when read.
    """

    def __init__(self, pod_lookup=None):
        self.pod_lookup = pod_lookup
        self._cond = threading.Condition()
        self._seq = 0
        self._logs = {}       # (ns, pod) -> [_Line]
        self._generation = {}  # (ns, pod) -> int, bumped by pod_deleted
        self._resizes = {}    # (ns, pod) -> {container: [{"Width", "Height"}]}
        self._sessions = {}   # (ns, pod) -> set of sessions
        self._stopped = False

    # -- logs -------------------------------------------------------------
    def append_log(self, namespace, pod_name, lines, container=None, previous=False, timestamp=None):
        """Append lines to a container's log (previous=True: to its previous,
        terminated instance).  timestamp: seconds since the epoch to stamp the
        lines with instead of now (lets tests exercise sinceSeconds/sinceTime).
        """
        if isinstance(lines, str):
            lines = [lines]
        if container is None and self.pod_lookup is not None:
            pod = self.pod_lookup(namespace, pod_name)
            if pod is not None:
                container = _first_container(pod)
        elif container is not None and self.pod_lookup is not None:
            pod = self.pod_lookup(namespace, pod_name)
            if pod is not None:
                resolve_container(pod, container)
        split = []
        for line in lines:
            if not isinstance(line, str):
                raise _bad_request("log lines must be strings")
            if line.endswith("\n"):
                line = line[:-1]
            split.extend(line.split("\n"))
        with self._cond:
            base = time.time_ns() if timestamp is None else int(timestamp * 1_000_000_000)
            entries = self._logs.setdefault((namespace, pod_name), [])
            for i, text in enumerate(split):
                self._seq += 1
                entries.append(_Line(self._seq, base + (i if timestamp is None else 0),
                                     container, bool(previous), text))
            self._cond.notify_all()
        return len(split)

    def _select(self, key, container, first, previous, after_seq=0):
        """Lines of one container instance with seq > after_seq (lock held)."""
        out = []
        entries = self._logs.get(key, ())
        start = bisect.bisect_right(entries, after_seq, key=_seq_of) if after_seq else 0
        for i in range(start, len(entries)):
            entry = entries[i]
            if entry.seq <= after_seq or entry.previous != previous:
                continue
            if entry.container == container or (entry.container is None and container == first):
                out.append(entry)
        return out

    def has_previous(self, namespace, pod_name, container, first):
        with self._cond:
            return bool(self._select((namespace, pod_name), container, first, True))

    # -- resize -----------------------------------------------------------
    def record_resize(self, namespace, pod_name, container, width, height):
        with self._cond:
            per_pod = self._resizes.setdefault((namespace, pod_name), {})
            per_pod.setdefault(container, []).append({"Width": width, "Height": height})
            self._cond.notify_all()

    def resizes(self, namespace, pod_name, container):
        with self._cond:
            return list(self._resizes.get((namespace, pod_name), {}).get(container, []))

    # -- sessions ---------------------------------------------------------
    def _register(self, key, session):
        with self._cond:
            if self._stopped:
                return False
            self._sessions.setdefault(key, set()).add(session)
            return True

    def _unregister(self, key, session):
        with self._cond:
            s = self._sessions.get(key)
            if s:
                s.discard(session)
                if not s:
                    del self._sessions[key]

    def generation(self, namespace, pod_name):
        with self._cond:
            return self._generation.get((namespace, pod_name), 0)

    def stopped(self):
        return self._stopped

    def pod_deleted(self, namespace, name):
        """End follow streams and sessions of the pod and forget its logs."""
        key = (namespace, name)
        with self._cond:
            self._generation[key] = self._generation.get(key, 0) + 1
            self._logs.pop(key, None)
            sessions = list(self._sessions.get(key, ()))
            self._cond.notify_all()
        for s in sessions:
            s.terminate()

    def shutdown(self):
        """Server stopping: end every follow stream and session."""
        with self._cond:
            self._stopped = True
            sessions = [s for group in self._sessions.values() for s in group]
            self._cond.notify_all()
        for s in sessions:
            s.terminate()

    def snapshot(self):
        """JSON-able summary for GET /_emulator/state.

        {"pods": {"ns/name": {"logLines": {container: n}, "previousLogLines":
        {container: n}, "resizes": {container: [{"Width", "Height"}]},
        "activeSessions": n}}}; container "" = lines appended without a
        container before the pod's first container was known.
        """
        with self._cond:
            pods = {}
            keys = set(self._logs) | set(self._resizes) | set(self._sessions)
            for key in sorted(keys):
                current, prev = {}, {}
                for entry in self._logs.get(key, ()):
                    target = prev if entry.previous else current
                    c = entry.container or ""
                    target[c] = target.get(c, 0) + 1
                pods["%s/%s" % key] = {
                    "logLines": current,
                    "previousLogLines": prev,
                    "resizes": {c: list(v) for c, v in self._resizes.get(key, {}).items()},
                    "activeSessions": len(self._sessions.get(key, ())),
                }
            return {"pods": pods}

    def wait(self, predicate, timeout):
        """Wait on the state's condition until predicate() (lock held) is true."""
        with self._cond:
            return self._cond.wait_for(predicate, timeout)


def control_append_log(state, pod, body):
    """POST /_emulator/pods/NS/NAME/log: {"lines": [...], "container": "c",
    "previous": false}; container defaults to the pod's first container,
    previous=true writes the previous (terminated) instance's log, which
    makes `log?previous=true` valid.  Returns the number of lines appended."""
    if not isinstance(body, dict):
        raise _bad_request("the body must be a JSON object")
    lines = body.get("lines")
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise _bad_request('"lines" must be a list of strings')
    container = body.get("container")
    if container is not None and not isinstance(container, str):
        raise _bad_request('"container" must be a string')
    container = resolve_container(pod, container) if container else _first_container(pod)
    ns, name = _meta(pod)
    return state.append_log(ns, name, lines, container, previous=bool(body.get("previous")))


# ---------------------------------------------------------------------------
# HTTP helpers.

def _client_gone(handler):
    """True if the client closed its side of the connection."""
    sock = handler.connection
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    if not readable:
        return False
    old = sock.gettimeout()
    try:
        sock.settimeout(0)
        data = sock.recv(1)
    except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError, socket.timeout):
        return False
    except (OSError, ValueError):
        return True
    finally:
        try:
            sock.settimeout(old)
        except OSError:
            pass
    return data == b""


def _write_plain(handler, code, text, headers=None):
    """A plain-text error as the kubelet writes it (passed through by the apiserver proxy)."""
    body = text.encode("utf-8")
    handler.send_response(code)
    handler.send_header("Content-Type", "text/plain; charset=utf-8")
    handler.send_header("X-Content-Type-Options", "nosniff")
    handler.send_header("Cache-Control", "no-cache, private")
    for k, v in (headers or {}).items():
        handler.send_header(k, v)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()


# ---------------------------------------------------------------------------
# Logs.

def serve_log(handler, pod, query, state):
    """GET pods/NAME/log: validate, then write the whole text/plain response."""
    ns, name = _meta(pod)
    requested = _first(query, "container") or ""
    follow = parse_bool(query.get("follow"))
    previous = parse_bool(query.get("previous"))
    timestamps = parse_bool(query.get("timestamps"))
    since_seconds = _parse_int64(query, "sinceSeconds")
    since_time = _parse_time(query, "sinceTime")
    tail_lines = _parse_int64(query, "tailLines")
    limit_bytes = _parse_int64(query, "limitBytes")

    errs = []  # ValidatePodLogOptions (core/validation)
    if tail_lines is not None and tail_lines < 0:
        errs.append(("FieldValueInvalid", "tailLines",
                     "Invalid value: %d: must be greater than or equal to 0" % tail_lines))
    if limit_bytes is not None and limit_bytes < 1:
        errs.append(("FieldValueInvalid", "limitBytes", "Invalid value: %d: must be greater than 0" % limit_bytes))
    if since_seconds is not None and since_time is not None:
        errs.append(("FieldValueForbidden", "",
                     "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"))
    elif since_seconds is not None and since_seconds < 1:
        errs.append(("FieldValueInvalid", "sinceSeconds",
                     "Invalid value: %d: must be greater than 0" % since_seconds))
    if errs:
        raise _invalid("PodLogOptions", name, errs)

    container = resolve_container(pod, requested)
    first = _first_container(pod)
    unscheduled = not (pod.get("spec") or {}).get("nodeName")

    # The kubelet's choice of container instance (kuberuntime/kubelet_pods.go
    # validateContainerLogStatus); its errors arrive as 400 BadRequest.
    use_previous = previous
    terminated = False
    if not unscheduled:
        cs, any_status = _container_status(pod, container)
        have_prev_lines = state.has_previous(ns, name, container, first)
        last_terminated = bool(((cs or {}).get("lastState") or {}).get("terminated")) or have_prev_lines
        st = (cs or {}).get("state") or {}
        if cs is None and any_status and not _is_ephemeral(pod, container):
            raise _bad_request('container "%s" in pod "%s" is not available' % (container, name))
        if previous:
            if not last_terminated:
                raise _bad_request('previous terminated container "%s" in pod "%s" not found' % (container, name))
        elif st.get("running"):
            pass
        elif st.get("terminated"):
            terminated = True
        elif st.get("waiting"):
            if last_terminated:
                use_previous = True
            else:
                reason = (st.get("waiting") or {}).get("reason") or ""
                if reason == "ErrImagePull":
                    detail = "image can't be pulled"
                elif reason == "ImagePullBackOff":
                    detail = "trying and failing to pull image"
                else:
                    detail = reason
                raise _bad_request('container "%s" in pod "%s" is waiting to start: %s' % (container, name, detail))

    key = (ns, name)
    with state._cond:
        start_gen = state._generation.get(key, 0)
        entries = [] if unscheduled else state._select(key, container, first, use_previous)
        last_seq = state._seq
    if tail_lines is not None:
        entries = entries[len(entries) - tail_lines:] if tail_lines else []
    since_ns = None
    if since_seconds is not None:
        since_ns = time.time_ns() - since_seconds * 1_000_000_000
    elif since_time is not None:
        since_ns = int(since_time * 1_000_000_000)
    if since_ns is not None:
        entries = [e for e in entries if e.ts_ns >= since_ns]

    remaining = limit_bytes  # None = unlimited

    def render(batch):
        nonlocal remaining
        parts = []
        for e in batch:
            text = e.text + "\n"
            if timestamps:
                text = format_rfc3339nano(e.ts_ns) + " " + text
            parts.append(text)
        data = "".join(parts).encode("utf-8")
        if remaining is not None:
            data = data[:remaining]
            remaining -= len(data)
        return data

    body = render(entries)
    stream = follow and not unscheduled and not use_previous and not terminated
    if _is_upgrade(handler, "websocket"):
        _serve_log_websocket(handler, state, body, stream, render, key, container, first, start_gen, last_seq,
                             lambda: remaining)
        return
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Cache-Control", "no-cache, private")
    if not stream:
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        return

    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()

    def chunk(data):
        if data:
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            handler.wfile.flush()

    try:
        chunk(body)
        while remaining is None or remaining > 0:
            def ready():
                return (state._seq > last_seq or state._stopped
                        or state._generation.get(key, 0) != start_gen)
            state.wait(ready, POLL_INTERVAL)
            with state._cond:
                if state._stopped or state._generation.get(key, 0) != start_gen:
                    break
                new = state._select(key, container, first, False, last_seq)
                last_seq = state._seq
            if new:
                chunk(render(new))
            elif _client_gone(handler):
                handler.close_connection = True
                return
        handler.wfile.write(b"0\r\n\r\n")
        handler.wfile.flush()
    except (OSError, ValueError):
        handler.close_connection = True


# The optional WebSocket form of a log (apiserver handlers/rest.go with
# wsstream.NewReader): each read is one message, no channel byte; binary
# frames, or text frames of base64 for base64.binary.k8s.io.
LOG_PROTOCOLS = {"": False, "binary.k8s.io": False, "base64.binary.k8s.io": True}


def _serve_log_websocket(handler, state, body, stream, render, key, container, first, start_gen, last_seq,
                         remaining):
    def choose(offered):
        for p in offered or [""]:
            if p in LOG_PROTOCOLS:
                return p
        return None
    protocol = _handshake(handler, choose)
    if protocol is None:
        return
    b64 = LOG_PROTOCOLS[protocol]
    sock = ws.WebSocket(handler.rfile, handler.wfile)
    gone = threading.Event()

    def reader():  # answers pings; client messages are ignored
        try:
            while True:
                sock.recv_message()
        except ws.ConnectionClosed:
            gone.set()
    t = threading.Thread(target=reader, daemon=True, name="ws-log-reader")
    t.start()

    def send(data):
        if data:
            if b64:
                sock.send_text(base64.b64encode(data))
            else:
                sock.send_binary(data)
    try:
        send(body)
        while stream and not gone.is_set() and (remaining() is None or remaining() > 0):
            state.wait(lambda: (state._seq > last_seq or state._stopped
                                or state._generation.get(key, 0) != start_gen), POLL_INTERVAL)
            with state._cond:
                if state._stopped or state._generation.get(key, 0) != start_gen:
                    break
                new = state._select(key, container, first, False, last_seq)
                last_seq = state._seq
            if new:
                send(render(new))
    except ws.ConnectionClosed:
        pass
    sock.send_close(ws.CLOSE_NORMAL)
    t.join(1.0)
    try:
        handler.connection.shutdown(socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass
    t.join(1.0)


# ---------------------------------------------------------------------------
# exec / attach / portforward: validation and handshake.

def _parse_ports(query):
    """PodPortForwardOptions.ports: comma lists or repeated (Convert_Slice_string_To_Slice_int32)."""
    ports = []
    for raw in query.get("ports") or []:
        for part in raw.split(","):
            if not re.fullmatch(r"[0-9]+", part):
                raise _bad_request('cannot convert to []int32: strconv.ParseUint: parsing "%s": invalid syntax' % part)
            value = int(part)
            if value > 65535:
                raise _bad_request('cannot convert to []int32: strconv.ParseUint: parsing "%s": value out of range'
                                   % part)
            ports.append(value)
    return ports


def _is_upgrade(handler, token):
    return (header_tokens(handler, "Upgrade", token)
            and header_tokens(handler, "Connection", "upgrade"))


def header_tokens(handler, name, token):
    for value in handler.headers.get_all(name) or []:
        if ws.header_has_token(value, token):
            return True
    return False


def choose_subprotocol(offered, subresource):
    """The subprotocol the server echoes, or None if none is acceptable.

    offered: the client's list in order, bearer-token entries removed.
    """
    if subresource == "portforward":
        table = PORTFORWARD_PROTOCOLS
    else:
        if V5 in offered:  # kube-apiserver's stream translator takes these requests
            return V5
        table = {k: v for k, v in EXEC_PROTOCOLS.items() if k != V5}
    for p in offered or [""]:
        if p in table:
            return p
    return None


def _handshake(handler, choose):
    """The RFC 6455 server handshake; returns the chosen subprotocol ("" for
    none) after writing 101, or None after writing the failure response."""
    version = handler.headers.get("Sec-WebSocket-Version", "")
    if version.strip() != "13":
        _write_plain(handler, 400, "Bad Request", {"Sec-WebSocket-Version": "13"})
        handler.close_connection = True
        return None
    key = handler.headers.get("Sec-WebSocket-Key", "").strip()
    try:
        if len(base64.b64decode(key, validate=True)) != 16:
            raise ValueError(key)
    except (ValueError, binascii.Error):
        _write_plain(handler, 400, "Bad Request")
        handler.close_connection = True
        return None
    offered = []
    for value in handler.headers.get_all("Sec-WebSocket-Protocol") or []:
        offered.extend(ws.strip_bearer_subprotocols(value))
    protocol = choose(offered)
    if protocol is None:
        # x/net/websocket: a failed subprotocol handshake is a bare 403
        handler.send_response(403)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        handler.close_connection = True
        return None
    handler.close_connection = True
    handler.send_response(101)
    handler.send_header("Upgrade", "websocket")
    handler.send_header("Connection", "Upgrade")
    handler.send_header("Sec-WebSocket-Accept", ws.accept_key(key))
    if protocol:
        handler.send_header("Sec-WebSocket-Protocol", protocol)
    handler.end_headers()
    handler.wfile.flush()
    return protocol


def serve_upgrade(handler, pod, query, subresource, state):
    """exec, attach or portforward over WebSocket: validate, handshake, run the session."""
    ns, name = _meta(pod)
    spec = pod.get("spec") or {}
    if subresource == "portforward":
        ports = _parse_ports(query)
        container = None
    else:
        container = resolve_container(pod, _first(query, "container") or "")
    if not spec.get("nodeName"):
        raise _bad_request("pod %s does not have a host assigned" % name)
    if not _is_upgrade(handler, "websocket"):
        if header_tokens(handler, "Upgrade", "SPDY/3.1"):
            raise _bad_request("kube-emulator does not serve SPDY/3.1 streams; use a WebSocket client "
                               "(v5.channel.k8s.io or v4.channel.k8s.io)")
        raise _bad_request("Upgrade request required")

    stdin = stdout = stderr = tty = False
    if subresource == "portforward":
        if not ports:
            _write_plain(handler, 400, 'query parameter "port" is required')
            return
        for p in ports:
            if p < 1:
                _write_plain(handler, 400, 'port "%d" must be > 0' % p)
                return
    else:
        stdin = parse_bool(query.get("stdin"))
        stdout = parse_bool(query.get("stdout"))
        stderr = parse_bool(query.get("stderr"))
        tty = parse_bool(query.get("tty"))
        if not (stdin or stdout or stderr):
            raise _bad_request("you must specify at least 1 of stdin, stdout, stderr")
        if tty and stderr:
            stderr = False  # kubelet NewOptions: a TTY merges stderr into stdout

    # The kubelet only execs/attaches into a running container (findContainer).
    # Its plain-text 500 reaches v4 and older clients as the HTTP answer; for v5,
    # kube-apiserver has already upgraded and reports its SPDY client's failure.
    upgrade_error = None
    if subresource != "portforward" and not _container_running(pod, container):
        upgrade_error = 'unable to upgrade connection: container not found ("%s")' % container
        offered = []
        for value in handler.headers.get_all("Sec-WebSocket-Protocol") or []:
            offered.extend(ws.strip_bearer_subprotocols(value))
        if V5 not in offered:
            _write_plain(handler, 500, 'container not found ("%s")' % container)
            return

    protocol = _handshake(handler, lambda offered: choose_subprotocol(offered, subresource))
    if protocol is None:
        return

    sock = ws.WebSocket(handler.rfile, handler.wfile)
    if subresource == "portforward":
        b64, _ = PORTFORWARD_PROTOCOLS[protocol]
        session = _PortForwardSession(state, ns, name, handler, sock, b64, ports)
    else:
        b64, status_json = EXEC_PROTOCOLS[protocol]
        session = _ExecSession(state, pod, container, handler, sock, b64, status_json, protocol == V5,
                               subresource, query.get("command") or [], stdin, stdout, stderr, tty)
        session.upgrade_error = upgrade_error
    session.run()


# ---------------------------------------------------------------------------
# Sessions.

class _Terminated(Exception):
    """The session was ended from outside (pod deleted, server stopping, client gone)."""


class _Interrupt(Exception):
    """^C typed on the session's TTY: SIGINT to the foreground program."""


class _Session:
    def __init__(self, state, ns, name, handler, sock, b64):
        self.state = state
        self.key = (ns, name)
        self.ns = ns
        self.name = name
        self.handler = handler
        self.sock = sock
        self.b64 = b64
        self.ended = threading.Event()      # client gone or terminated
        self.terminated = threading.Event()  # pod deleted / server stopping
        self.reader = None

    def write(self, channel, data):
        if self.ended.is_set():
            raise _Terminated()
        try:
            if self.b64:
                self.sock.send_text(str(channel).encode("ascii") + base64.b64encode(data))
            else:
                self.sock.send_binary(bytes([channel]) + data)
        except ws.ConnectionClosed:
            self.ended.set()
            raise _Terminated()

    def decode(self, opcode, data):
        """(channel, payload) of a client message, or None to ignore it."""
        if not data:
            return None
        channel = data[0]
        payload = data[1:]
        if self.b64:
            channel -= ord("0")
            if channel < 0:
                return None
            try:
                payload = base64.b64decode(payload, validate=True)
            except (binascii.Error, ValueError):
                return None
        return channel, payload

    def terminate(self):
        self.terminated.set()
        self.ended.set()
        self.on_terminate()
        # never block the caller (a DELETE of the pod) on a client that stopped reading
        self.sock.send_close(ws.CLOSE_NORMAL, timeout=0.5)
        self._shutdown_socket()

    def on_terminate(self):
        pass

    def _shutdown_socket(self):
        try:
            self.handler.connection.shutdown(socket.SHUT_RDWR)
        except (OSError, ValueError):
            pass

    def start_reader(self):
        self.reader = threading.Thread(target=self._read_loop, daemon=True,
                                       name="ws-reader-%s/%s" % self.key)
        self.reader.start()

    def _read_loop(self):
        try:
            while True:
                opcode, data = self.sock.recv_message()
                msg = self.decode(opcode, data)
                if msg is None:
                    continue
                if not self.on_message(*msg):
                    break
        except ws.ConnectionClosed:
            pass
        finally:
            self.ended.set()
            self.on_client_done()

    def on_message(self, channel, payload):
        return True

    def on_client_done(self):
        pass

    def finish(self):
        """Close the WebSocket: close frame, brief wait for the peer's, shutdown."""
        self.sock.send_close(ws.CLOSE_NORMAL)
        if self.reader is not None:
            self.reader.join(1.0)
        self._shutdown_socket()
        if self.reader is not None:
            self.reader.join(1.0)


class _ExecSession(_Session):
    def __init__(self, state, pod, container, handler, sock, b64, status_json, v5, subresource,
                 argv, stdin, stdout, stderr, tty):
        ns, name = _meta(pod)
        super().__init__(state, ns, name, handler, sock, b64)
        self.pod = pod
        self.container = container
        self.status_json = status_json
        self.v5 = v5
        self.subresource = subresource
        self.argv = list(argv)
        self.stdin_enabled = stdin
        self.stdout_enabled = stdout
        self.stderr_enabled = stderr
        self.tty = tty
        self.stdin = queue.Queue()
        self._stdin_buf = b""
        self._stdin_eof = False
        self.upgrade_error = None
        self._tty_line = b""
        self.interrupted = threading.Event()  # ^C on a TTY

    # -- client input -----------------------------------------------------
    def on_message(self, channel, payload):
        if channel == STDIN:
            if self.stdin_enabled and payload:
                if self.tty:
                    self._line_discipline(payload)
                else:
                    self.stdin.put(payload)
        elif channel == RESIZE:
            try:
                size = json.loads(payload.decode("utf-8"))
                width, height = int(size.get("Width", 0)), int(size.get("Height", 0))
            except (ValueError, AttributeError, TypeError):
                return True
            self.state.record_resize(self.ns, self.name, self.container, width, height)
        elif channel == CLOSE_CHANNEL and self.v5:
            if len(payload) != 1:
                return False  # any other length closes the connection
            if payload[0] == STDIN:
                if self._tty_line:  # an unterminated line typed before the close
                    self.stdin.put(self._tty_line)
                    self._tty_line = b""
                self.stdin.put(None)
        return True

    def on_client_done(self):
        self.stdin.put(None)

    def on_terminate(self):
        self.stdin.put(None)

    def _line_discipline(self, data):
        """A TTY in canonical mode: echo, CR -> NL, erase, ^D (EOF), ^C (SIGINT).

        The program reads whole lines, as behind a real pty; the echo goes to
        stdout, so what a raw-mode kubectl terminal shows is what a user typed.
        """
        echo = []

        def deliver(item):
            # echo first, so it precedes whatever the program prints in response
            flush()
            self.stdin.put(item)

        def flush():
            if echo and self.stdout_enabled:
                try:
                    self.write(STDOUT, b"".join(echo))
                except _Terminated:
                    pass
            echo.clear()

        for b in data:
            c = bytes([b])
            if c == b"\r":
                c = b"\n"
            if c == b"\n":
                self._tty_line += c
                echo.append(b"\r\n")
                line, self._tty_line = self._tty_line, b""
                deliver(line)
            elif c in (b"\x7f", b"\x08"):
                if self._tty_line:
                    self._tty_line = self._tty_line[:-1]
                    echo.append(b"\x08 \x08")
            elif c == b"\x04":
                if self._tty_line:
                    line, self._tty_line = self._tty_line, b""
                    deliver(line)
                else:
                    deliver(None)
            elif c == b"\x03":
                self._tty_line = b""
                echo.append(b"^C\r\n")
                flush()
                eof = False  # like a pty without NOFLSH, SIGINT discards unread input
                while True:
                    try:
                        eof = self.stdin.get_nowait() is None or eof
                    except queue.Empty:
                        break
                if eof:
                    self.stdin.put(None)
                self.interrupted.set()
            else:
                self._tty_line += c
                echo.append(c)
        flush()

    # -- the scripted process's I/O ---------------------------------------
    def read_stdin(self, timeout=None):
        """Next stdin bytes, b"" at EOF; raises _Terminated when the session ends."""
        if not self.stdin_enabled or self._stdin_eof:
            return b""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if self.terminated.is_set():
                raise _Terminated()
            self.check_interrupt()
            wait = POLL_INTERVAL if deadline is None else max(0.0, min(POLL_INTERVAL, deadline - time.monotonic()))
            try:
                data = self.stdin.get(timeout=wait)
            except queue.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    return None
                continue
            if data is None:
                self._stdin_eof = True
                return b""
            return data

    def read_line(self):
        """One stdin line (with its newline), the unterminated rest at EOF, or b"" at EOF."""
        while b"\n" not in self._stdin_buf:
            data = self.read_stdin()
            if not data:
                rest, self._stdin_buf = self._stdin_buf, b""
                return rest
            self._stdin_buf += data
        line, _, self._stdin_buf = self._stdin_buf.partition(b"\n")
        return line + b"\n"

    def out(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not data or not self.stdout_enabled:
            return
        if self.tty:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        self.write(STDOUT, data)

    def err(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if self.tty:
            self.out(data)
        elif self.stderr_enabled and data:
            self.write(STDERR, data)

    def sleep(self, seconds):
        deadline = time.monotonic() + min(max(seconds, 0.0), SLEEP_LIMIT)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if self.terminated.wait(min(left, POLL_INTERVAL)):
                raise _Terminated()
            self.check_interrupt()

    def check_interrupt(self):
        if self.interrupted.is_set():
            self.interrupted.clear()
            raise _Interrupt()

    # -- lifecycle --------------------------------------------------------
    def run(self):
        if not self.state._register(self.key, self):
            self.finish()
            return
        try:
            self.start_reader()
            # An attached client sees every log line appended after its session starts:
            # take the log position before the first frame tells it the session is up.
            with self.state._cond:
                attach_from = (self.state._seq, self.state._generation.get(self.key, 0))
            first = STDOUT if self.stdout_enabled else STDERR if self.stderr_enabled else ERROR
            self.write(first, b"")
            if self.upgrade_error:
                status = ("internal", self.upgrade_error)
            elif self.subresource == "attach":
                status = self._attach(*attach_from)
            else:
                status = _Shell(self).run_argv(self.argv)
            self._write_status(status)
        except _Terminated:
            pass
        finally:
            self.state._unregister(self.key, self)
            self.finish()

    def _write_status(self, result):
        """result: ("exit", code), ("error", message) for a failed exec, or
        ("internal", message) for an InternalError with exactly that cause."""
        kind, value = result
        if kind == "exit" and value == 0:
            status = {"metadata": {}, "status": "Success"}
            text = None
        elif kind == "exit":
            argv = "[" + " ".join(self.argv) + "]"
            if self.v5:  # kube-apiserver's translator re-wraps client-go's CodeExitError
                inner = "command terminated with exit code %d" % value
            else:
                inner = "error executing command %s, exit code %d" % (argv, value)
            message = "command terminated with non-zero exit code: " + inner
            status = {"metadata": {}, "status": "Failure", "message": message, "reason": "NonZeroExitCode",
                      "details": {"causes": [{"reason": "ExitCode", "message": str(value)}]}}
            text = message
        else:
            if kind == "internal":
                cause = value
            else:
                cause = "error executing command in container: " + value
                if self.v5:
                    cause = "Internal error occurred: " + cause
            message = "Internal error occurred: " + cause
            status = {"metadata": {}, "status": "Failure", "message": message, "reason": "InternalError",
                      "details": {"causes": [{"message": cause}]}, "code": 500}
            text = message
        if self.status_json:
            self.write(ERROR, go_json(status))
        elif text is not None:
            self.write(ERROR, text.encode("utf-8"))

    def _attach(self, last_seq, start_gen):
        """The container's main process: cat whose output is the container log after
        position @last_seq (taken before the session's first frame)."""
        state = self.state
        first = _first_container(self.pod)
        stdin_once = bool(_container_spec(self.pod, self.container).get("stdinOnce"))
        pending = b""
        while True:
            if self.terminated.is_set():
                raise _Terminated()
            if self.ended.is_set() and not self.stdin_enabled:
                raise _Terminated()
            with state._cond:
                if state._stopped or state._generation.get(self.key, 0) != start_gen:
                    raise _Terminated()
                new = state._select(self.key, self.container, first, False, last_seq)
                last_seq = state._seq
            for entry in new:
                self.out(entry.text + "\n")
            if self.stdin_enabled and not self._stdin_eof:
                try:
                    data = self.read_stdin(timeout=POLL_INTERVAL)
                except _Interrupt:  # the emulated main process ignores SIGINT
                    continue
                if data is None:
                    continue
                if data:
                    pending += data
                    *complete, pending = pending.split(b"\n")
                    if complete:
                        state.append_log(self.ns, self.name, [c.decode("utf-8", "replace") for c in complete],
                                         self.container)
                    continue
                # stdin closed: the main process sees EOF
                if pending:
                    state.append_log(self.ns, self.name, [pending.decode("utf-8", "replace")], self.container)
                    pending = b""
                if self.ended.is_set():
                    raise _Terminated()
                if stdin_once:  # the main process exits; show what it printed last
                    with state._cond:
                        new = state._select(self.key, self.container, first, False, last_seq)
                    for entry in new:
                        self.out(entry.text + "\n")
                    return ("exit", 0)
            else:
                if self.ended.is_set():
                    raise _Terminated()
                state.wait(lambda: state._seq > last_seq or state._stopped
                           or state._generation.get(self.key, 0) != start_gen, POLL_INTERVAL)


class _ShellExit(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


class _Shell:
    """The scripted container's programs (see the module docstring)."""

    def __init__(self, session):
        self.s = session
        self.last = 0
        self.env = self._environment()

    def _environment(self):
        s = self.s
        pod = s.pod
        env = {"PATH": DEFAULT_PATH, "HOSTNAME": s.name}
        if s.tty:
            env["TERM"] = "xterm"
        md = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        status = pod.get("status") or {}
        fields = {
            "metadata.name": md.get("name"), "metadata.namespace": md.get("namespace"),
            "metadata.uid": md.get("uid"), "spec.nodeName": spec.get("nodeName"),
            "spec.serviceAccountName": spec.get("serviceAccountName"),
            "status.podIP": status.get("podIP"), "status.hostIP": status.get("hostIP"),
        }
        for item in _container_spec(pod, s.container).get("env") or []:
            key = item.get("name")
            if not key:
                continue
            if "value" in item:
                env[key] = _expand_dependent(item.get("value") or "", env)
                continue
            ref = (item.get("valueFrom") or {}).get("fieldRef") or {}
            path = ref.get("fieldPath", "")
            m = re.fullmatch(r"metadata\.(labels|annotations)\['([^']*)'\]", path)
            if m:
                value = (md.get(m.group(1)) or {}).get(m.group(2))
            else:
                value = fields.get(path)
            if value is not None:
                env[key] = str(value)
        env["HOME"] = "/root"
        return env

    # -- entry points -----------------------------------------------------
    def run_argv(self, argv):
        if not argv:
            return ("error", "command must not be empty")
        prog = argv[0].rsplit("/", 1)[-1]
        if prog in ("sh", "bash", "ash", "dash"):
            try:
                return ("exit", self._shell(prog, argv[1:]))
            except _Interrupt:
                return ("exit", 130)
        if prog not in self.BUILTINS:
            return ("error", 'OCI runtime exec failed: exec failed: unable to start container process: '
                             'exec: "%s": executable file not found in $PATH: unknown' % argv[0])
        try:
            return ("exit", self.BUILTINS[prog](self, argv[1:]) & 0xFF)
        except _ShellExit as e:
            return ("exit", e.code & 0xFF)
        except _Interrupt:
            return ("exit", 130)

    def _shell(self, prog, args):
        if args and args[0] == "-c":
            if len(args) < 2:
                self.s.err("%s: 0: -c requires an argument\n" % prog)
                return 2
            try:
                return self.script(args[1], prog)
            except _ShellExit as e:
                return e.code & 0xFF
        # interactive: read commands from stdin; ^C abandons the current line or command
        try:
            while True:
                if self.s.tty:
                    self.s.out("# ")
                try:
                    line = self.s.read_line()
                    if not line:
                        return self.last
                    self.script(line.decode("utf-8", "replace"), prog)
                except _Interrupt:
                    self.s._stdin_buf = b""
                    self.last = 130
        except _ShellExit as e:
            return e.code & 0xFF

    def script(self, text, prog="sh"):
        """Run a script; returns its status (raises _ShellExit on `exit`)."""
        try:
            lex = shlex.shlex(self._expand(text), posix=True, punctuation_chars=";&|")
            lex.whitespace_split = True
            tokens = list(lex)
        except ValueError:
            self.s.err("%s: 1: Syntax error: Unterminated quoted string\n" % prog)
            self.last = 2
            return 2
        commands, ops, cur = [], [], []
        for tok in tokens:
            if tok in (";", "&&", "||", "|", "&", ";;"):
                if tok in ("|", "&", ";;"):
                    self.s.err("%s: 1: kube-emulator's scripted shell does not support '%s'\n" % (prog, tok))
                    self.last = 2
                    return 2
                commands.append(cur)
                ops.append(tok)
                cur = []
            else:
                cur.append(tok)
        commands.append(cur)
        op = ";"
        for i, argv in enumerate(commands):
            if argv and not (op == "&&" and self.last != 0) and not (op == "||" and self.last == 0):
                self.last = self._command(argv, prog)
            op = ops[i] if i < len(ops) else ";"
        return self.last

    def _expand(self, text):
        """$VAR, ${VAR} and $? outside single quotes."""
        out = []
        i, quote = 0, None
        while i < len(text):
            ch = text[i]
            if ch == "'" and quote != '"':
                quote = None if quote == "'" else "'"
            elif ch == '"' and quote != "'":
                quote = None if quote == '"' else '"'
            elif ch == "\\" and quote != "'" and i + 1 < len(text):
                out.append(text[i:i + 2])
                i += 2
                continue
            elif ch == "$" and quote != "'":
                m = re.match(r"\$(\?|[A-Za-z_][A-Za-z0-9_]*|\{([A-Za-z_][A-Za-z0-9_]*)\})", text[i:])
                if m:
                    # resolved per command (_substitute), so `X=1; echo $X` and `false; echo $?` work
                    out.append("\x00%s\x00" % (m.group(2) or m.group(1)))
                    i += m.end()
                    continue
            out.append(ch)
            i += 1
        return "".join(out)

    def _substitute(self, token):
        return re.sub("\x00([^\x00]*)\x00",
                      lambda m: str(self.last) if m.group(1) == "?" else self.env.get(m.group(1), ""), token)

    def _command(self, argv, prog):
        argv = [self._substitute(t) for t in argv]
        while argv and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", argv[0], re.S):
            k, _, v = argv.pop(0).partition("=")
            self.env[k] = v
        if not argv:
            return 0
        name = argv[0]
        if name == "exit":
            if len(argv) > 1:
                if not re.fullmatch(r"[0-9]+", argv[1]):
                    self.s.err("%s: 1: exit: Illegal number: %s\n" % (prog, argv[1]))
                    raise _ShellExit(2)
                raise _ShellExit(int(argv[1]) & 0xFF)
            raise _ShellExit(self.last)
        base = name.rsplit("/", 1)[-1]
        if base in ("sh", "bash", "ash", "dash"):
            return _Shell(self.s)._shell(base, argv[1:])
        fn = self.BUILTINS.get(base)
        if fn is None:
            self.s.err("%s: 1: %s: not found\n" % (prog, name))
            return 127
        return fn(self, argv[1:]) & 0xFF

    # -- programs ---------------------------------------------------------
    def _echo(self, args):
        newline = True
        if args and args[0] == "-n":
            newline = False
            args = args[1:]
        self.s.out(" ".join(args) + ("\n" if newline else ""))
        return 0

    def _cat(self, args):
        files = [a for a in args if a != "-"]
        if files:
            for f in files:
                if f == "/etc/hostname":
                    self.s.out(self.s.name + "\n")
                else:
                    self.s.err("cat: %s: No such file or directory\n" % f)
                    return 1
            return 0
        while True:
            data = self.s.read_stdin()
            if not data:
                return 0
            self.s.out(data)

    def _env(self, args):
        if args:
            return self._command(list(args), "env")
        for k, v in self.env.items():
            self.s.out("%s=%s\n" % (k, v))
        return 0

    def _printenv(self, args):
        if not args:
            return self._env([])
        code = 0
        for name in args:
            if name in self.env:
                self.s.out(self.env[name] + "\n")
            else:
                code = 1
        return code

    def _sleep(self, args):
        try:
            seconds = sum(float(a) for a in args) if args else None
        except ValueError:
            self.s.err("sleep: invalid time interval '%s'\n" % args[0])
            return 1
        if seconds is None:
            self.s.err("sleep: missing operand\n")
            return 1
        self.s.sleep(seconds)
        return 0

    def _stty(self, args):
        if not self.s.tty:
            self.s.err("stty: 'standard input': Inappropriate ioctl for device\n")
            return 1
        if args == ["size"]:
            sizes = self.s.state.resizes(self.s.ns, self.s.name, self.s.container)
            w, h = (sizes[-1]["Width"], sizes[-1]["Height"]) if sizes else (0, 0)
            self.s.out("%d %d\n" % (h, w))
        return 0

    BUILTINS = {
        "echo": _echo,
        "cat": _cat,
        "env": _env,
        "printenv": _printenv,
        "sleep": _sleep,
        "stty": _stty,
        "true": lambda self, args: 0,
        "false": lambda self, args: 1,
        "hostname": lambda self, args: self.s.out(self.s.name + "\n") or 0,
        "pwd": lambda self, args: self.s.out("/\n") or 0,
        "whoami": lambda self, args: self.s.out("root\n") or 0,
    }


def _expand_dependent(value, env):
    """$(VAR) references in an env value, as the kubelet expands them."""
    def repl(m):
        if m.group(0).startswith("$$"):
            return m.group(0)[1:]
        name = m.group(1)
        return env[name] if name in env else m.group(0)
    return re.sub(r"\$\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)", repl, value)


class _PortForwardSession(_Session):
    """Every forwarded port is an echo server."""

    def __init__(self, state, ns, name, handler, sock, b64, ports):
        super().__init__(state, ns, name, handler, sock, b64)
        self.ports = ports

    def on_message(self, channel, payload):
        if channel < 2 * len(self.ports) and channel % 2 == 0 and payload:
            try:
                self.write(channel, payload)
            except _Terminated:
                return False
        return True

    def run(self):
        if not self.state._register(self.key, self):
            self.finish()
            return
        try:
            for i, port in enumerate(self.ports):
                header = port.to_bytes(2, "little")
                self.write(2 * i, header)
                self.write(2 * i + 1, header)
            self._read_loop()
        except _Terminated:
            pass
        finally:
            self.state._unregister(self.key, self)
            self.finish()
