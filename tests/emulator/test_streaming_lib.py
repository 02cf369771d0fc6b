"""Helpers (no tests) for the streaming tests: an in-process server routing only the pod
streaming subresources to kube_emulator.streaming, and a small WebSocket
client (masked frames, fragmentation on demand) written from RFC 6455."""

import base64
import http.server
import json
import os
import socket
import struct
import threading
import urllib.parse

from kube_emulator import streaming
from kube_emulator.errors import ApiError

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0, 1, 2, 8, 9, 10


def make_pods():
    running = {"running": {"startedAt": "2024-05-01T10:00:00Z"}}
    return {
        "web": {
            "metadata": {"name": "web", "namespace": "default", "uid": "u-web", "labels": {"app": "web"}},
            "spec": {"nodeName": "node-1", "containers": [{
                "name": "app", "image": "busybox",
                "env": [{"name": "FOO", "value": "bar"},
                        {"name": "GREETING", "value": "hello $(FOO)"},
                        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                        {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}}]}]},
            "status": {"phase": "Running", "containerStatuses": [{"name": "app", "state": running}]},
        },
        "multi": {
            "metadata": {"name": "multi", "namespace": "default"},
            "spec": {"nodeName": "node-1",
                     "initContainers": [{"name": "init"}],
                     "containers": [{"name": "a"}, {"name": "b"}]},
            "status": {"containerStatuses": [{"name": "a", "state": running}, {"name": "b", "state": running}]},
        },
        "pending": {
            "metadata": {"name": "pending", "namespace": "default"},
            "spec": {"containers": [{"name": "app"}]},
            "status": {"phase": "Pending"},
        },
        "debugged": {
            "metadata": {"name": "debugged", "namespace": "default"},
            "spec": {"nodeName": "node-1", "containers": [{"name": "app"}],
                     "ephemeralContainers": [{"name": "debugger", "image": "busybox"}]},
            "status": {"containerStatuses": [{"name": "app", "state": running}]},
        },
        "pending-multi": {
            "metadata": {"name": "pending-multi", "namespace": "default"},
            "spec": {"containers": [{"name": "a"}, {"name": "b"}]},
        },
        "crashy": {
            "metadata": {"name": "crashy", "namespace": "default"},
            "spec": {"nodeName": "node-1", "containers": [{"name": "app"}]},
            "status": {"containerStatuses": [{
                "name": "app", "state": running,
                "lastState": {"terminated": {"exitCode": 1, "containerID": "containerd://x"}}}]},
        },
        "pulling": {
            "metadata": {"name": "pulling", "namespace": "default"},
            "spec": {"nodeName": "node-1", "containers": [{"name": "app"}]},
            "status": {"containerStatuses": [{"name": "app", "state": {"waiting": {"reason": "ErrImagePull"}}}]},
        },
        "once": {
            "metadata": {"name": "once", "namespace": "default"},
            "spec": {"nodeName": "node-1", "containers": [{"name": "app", "stdin": True, "stdinOnce": True}]},
        },
    }


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _route(self):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        srv = self.server
        try:
            if len(parts) != 7 or parts[:3] != ["api", "v1", "namespaces"] or parts[4] != "pods":
                raise ApiError(404, "NotFound", "the server could not find the requested resource")
            pod = srv.pods.get(parts[5])
            if pod is None:
                raise ApiError(404, "NotFound", 'pods "%s" not found' % parts[5], {"name": parts[5], "kind": "pods"})
            sub = parts[6]
            if sub == "log":
                streaming.serve_log(self, pod, query, srv.state)
            elif sub in ("exec", "attach", "portforward"):
                streaming.serve_upgrade(self, pod, query, sub, srv.state)
            else:
                raise ApiError(404, "NotFound", "the server could not find the requested resource")
        except ApiError as e:
            body = json.dumps(e.status()).encode()
            self.send_response(e.code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        finally:
            with srv.lock:
                srv.finished += 1

    do_GET = _route
    do_POST = _route


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        import sys
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return  # a test client hung up on a kept-alive connection
        super().handle_error(request, client_address)


class Server:
    def __init__(self):
        self.httpd = _HTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.pods = make_pods()
        self.httpd.state = streaming.StreamingState()
        self.httpd.lock = threading.Lock()
        self.httpd.finished = 0
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def state(self):
        return self.httpd.state

    @property
    def finished(self):
        with self.httpd.lock:
            return self.httpd.finished

    def close(self):
        self.httpd.state.shutdown()
        self.httpd.shutdown()
        self.httpd.server_close()


class HandshakeFailed(Exception):
    def __init__(self, status, headers, body):
        super().__init__("handshake failed: %d %r" % (status, body))
        self.status = status
        self.headers = headers
        self.body = body


def read_http_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(1)
        if not chunk:
            raise EOFError("connection closed during response head: %r" % data)
        data += chunk
    head = data.decode("latin-1").split("\r\n")
    status = int(head[0].split(" ")[1])
    headers = {}
    for line in head[1:]:
        if line:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
    return status, headers


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return data


class WSClient:
    def __init__(self, port, path, protocols=None, headers=None, key=None, timeout=10):
        self.key = key or base64.b64encode(os.urandom(16)).decode()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        lines = ["GET %s HTTP/1.1" % path, "Host: 127.0.0.1:%d" % port,
                 "Upgrade: websocket", "Connection: Upgrade",
                 "Sec-WebSocket-Key: " + self.key, "Sec-WebSocket-Version: 13"]
        if protocols is not None:
            lines.append("Sec-WebSocket-Protocol: " + ", ".join(protocols))
        for k, v in (headers or {}).items():
            lines.append("%s: %s" % (k, v))
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.status, self.headers = read_http_head(self.sock)
        if self.status != 101:
            n = int(self.headers.get("content-length", "0"))
            body = recv_exact(self.sock, n) if n else b""
            self.sock.close()
            raise HandshakeFailed(self.status, self.headers, body)
        self.protocol = self.headers.get("sec-websocket-protocol")

    def send_frame(self, opcode, payload, fin=True, mask=True):
        first = (0x80 if fin else 0) | opcode
        n = len(payload)
        mbit = 0x80 if mask else 0
        if n < 126:
            head = struct.pack("!BB", first, mbit | n)
        elif n < 65536:
            head = struct.pack("!BBH", first, mbit | 126, n)
        else:
            head = struct.pack("!BBQ", first, mbit | 127, n)
        if mask:
            key = os.urandom(4)
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
            head += key
        self.sock.sendall(head + payload)

    def send_channel(self, channel, data, text=False):
        if text:
            self.send_frame(OP_TEXT, str(channel).encode() + base64.b64encode(data))
        else:
            self.send_frame(OP_BINARY, bytes([channel]) + data)

    def close_stdin_v5(self):
        self.send_frame(OP_BINARY, bytes([255, 0]))

    def recv_frame(self):
        b1, b2 = recv_exact(self.sock, 2)
        if b2 & 0x80:
            raise AssertionError("server frame is masked")
        n = b2 & 0x7F
        if n == 126:
            (n,) = struct.unpack("!H", recv_exact(self.sock, 2))
        elif n == 127:
            (n,) = struct.unpack("!Q", recv_exact(self.sock, 8))
        return bool(b1 & 0x80), b1 & 0x0F, recv_exact(self.sock, n)

    def recv_data(self, text=False):
        """Next data frame as (channel, payload), skipping pongs; ('close', code) on close."""
        while True:
            fin, op, payload = self.recv_frame()
            if op == OP_PONG:
                continue
            if op == OP_CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                try:  # answer the closing handshake like a real client
                    self.send_frame(OP_CLOSE, payload[:2])
                except OSError:
                    pass
                return "close", code
            assert fin, "server fragmented a message"
            if text:
                assert op == OP_TEXT, op
                return payload[0] - ord("0"), base64.b64decode(payload[1:])
            assert op == OP_BINARY, op
            return payload[0], payload[1:]

    def collect(self, text=False):
        """All frames until the server's close: ([(channel, payload)], close code)."""
        frames = []
        while True:
            ch, payload = self.recv_data(text)
            if ch == "close":
                return frames, payload
            frames.append((ch, payload))

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def channel_bytes(frames, channel):
    return b"".join(p for c, p in frames if c == channel)


def http_get(port, path, timeout=10):
    """(status, headers, body) for a GET answered with Content-Length."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        sock.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
        status, headers = read_http_head(sock)
        body = recv_exact(sock, int(headers.get("content-length", "0")))
        return status, headers, body
    finally:
        sock.close()


class ChunkedReader:
    """Reads a chunked response incrementally from a raw socket."""

    def __init__(self, port, path, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
        self.status, self.headers = read_http_head(self.sock)

    def _line(self):
        data = b""
        while not data.endswith(b"\r\n"):
            c = self.sock.recv(1)
            if not c:
                raise EOFError("closed inside chunk header")
            data += c
        return data[:-2]

    def next_chunk(self):
        """Bytes of the next chunk; b"" for the terminating chunk."""
        size = int(self._line(), 16)
        data = recv_exact(self.sock, size) if size else b""
        recv_exact(self.sock, 2)
        return data

    def close(self):
        self.sock.close()
