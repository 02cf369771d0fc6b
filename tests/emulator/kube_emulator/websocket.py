"""RFC 6455 WebSocket server side, on top of an http.server request handler.

Used by streaming.py for exec, attach and port-forward.  Only what the
Kubernetes streaming protocols need: the opening handshake, frame parsing
(client frames must be masked), fragmented messages with control frames in
between, ping/pong, the closing handshake.  No extensions (permessage-deflate
is never negotiated; kube-apiserver does not negotiate it either).

Standard library only.
"""

import base64
import hashlib
import struct
import threading

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONT = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA

CLOSE_NORMAL = 1000
CLOSE_PROTOCOL_ERROR = 1002
CLOSE_INVALID_DATA = 1007
CLOSE_TOO_BIG = 1009

# Upper bound for one (reassembled) client message; bigger ones close 1009.
MAX_MESSAGE = 64 * 1024 * 1024

BEARER_PREFIX = "base64url.bearer.authorization.k8s.io."


def accept_key(key):
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 section 4.2.2)."""
    digest = hashlib.sha1((key.strip() + GUID).encode("ascii")).digest()
    return base64.b64encode(digest).decode("ascii")


def split_header_list(value):
    """A comma-separated header value as a list of trimmed, non-empty tokens."""
    if not value:
        return []
    return [p.strip() for p in value.split(",") if p.strip()]


def header_has_token(value, token):
    return token.lower() in [p.lower() for p in split_header_list(value)]


class ProtocolError(Exception):
    """The peer broke RFC 6455; carries the close code to answer with."""

    def __init__(self, code, reason):
        super().__init__(reason)
        self.code = code
        self.reason = reason


class ConnectionClosed(Exception):
    """The peer closed (close frame received) or the transport ended."""


def encode_frame(opcode, payload, fin=True):
    """A server frame (never masked, RFC 6455 section 5.1)."""
    first = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", first, n)
    elif n < 65536:
        header = struct.pack("!BBH", first, 126, n)
    else:
        header = struct.pack("!BBQ", first, 127, n)
    return header + payload


class WebSocket:
    """One server-side WebSocket over a request handler's rfile/wfile.

    send() is thread-safe; recv_message() must be called from one reader
    thread only.  Pings are answered inside recv_message().
    """

    def __init__(self, rfile, wfile):
        self.rfile = rfile
        self.wfile = wfile
        self._wlock = threading.Lock()
        self.close_sent = False
        self.close_received = False
        self.broken = False

    # -- sending ----------------------------------------------------------
    def _write(self, data):
        with self._wlock:
            if self.broken:
                raise ConnectionClosed("connection broken")
            if self.close_sent:
                raise ConnectionClosed("close frame already sent")
            try:
                self.wfile.write(data)
                self.wfile.flush()
            except (OSError, ValueError) as e:
                self.broken = True
                raise ConnectionClosed(str(e)) from e

    def send(self, opcode, payload):
        self._write(encode_frame(opcode, bytes(payload)))

    def send_binary(self, payload):
        self.send(OP_BINARY, payload)

    def send_text(self, text):
        self.send(OP_TEXT, text.encode("utf-8") if isinstance(text, str) else text)

    def send_close(self, code=CLOSE_NORMAL, reason="", timeout=None):
        """Send a close frame once; later sends raise ConnectionClosed.

        With a timeout, gives up (returning False) when another thread's write
        holds the connection that long, e.g. to a client that stopped reading.
        """
        payload = b"" if code is None else struct.pack("!H", code) + reason.encode("utf-8")[:123]
        if not self._wlock.acquire(timeout=-1 if timeout is None else timeout):
            return False
        try:
            if self.close_sent or self.broken:
                return True
            self.close_sent = True
            try:
                self.wfile.write(encode_frame(OP_CLOSE, payload))
                self.wfile.flush()
            except (OSError, ValueError):
                self.broken = True
            return True
        finally:
            self._wlock.release()

    # -- receiving --------------------------------------------------------
    def _read_exact(self, n):
        chunks = []
        remaining = n
        while remaining > 0:
            try:
                chunk = self.rfile.read(remaining)
            except (OSError, ValueError) as e:
                raise ConnectionClosed(str(e)) from e
            if not chunk:
                raise ConnectionClosed("unexpected end of stream")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _read_frame(self):
        b1, b2 = self._read_exact(2)
        fin = bool(b1 & 0x80)
        if b1 & 0x70:
            raise ProtocolError(CLOSE_PROTOCOL_ERROR, "reserved bits set without a negotiated extension")
        opcode = b1 & 0x0F
        masked = bool(b2 & 0x80)
        length = b2 & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._read_exact(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._read_exact(8))
            if length >> 63:
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, "invalid payload length")
        if opcode in (OP_CLOSE, OP_PING, OP_PONG):
            if not fin:
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, "fragmented control frame")
            if length > 125:
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, "control frame payload too long")
        elif opcode not in (OP_CONT, OP_TEXT, OP_BINARY):
            raise ProtocolError(CLOSE_PROTOCOL_ERROR, "unknown opcode %d" % opcode)
        if not masked:
            raise ProtocolError(CLOSE_PROTOCOL_ERROR, "client frame is not masked")
        if length > MAX_MESSAGE:
            raise ProtocolError(CLOSE_TOO_BIG, "message too big")
        mask = self._read_exact(4)
        payload = self._read_exact(length)
        if length:
            payload = unmask(payload, mask)
        return fin, opcode, payload

    def recv_message(self):
        """The next complete data message as (opcode, bytes).

        Answers pings, ignores pongs.  On a close frame it answers with a
        close frame (echoing the status code) and raises ConnectionClosed.
        Protocol violations close with the right code and raise
        ConnectionClosed too.
        """
        opcode = None
        parts = []
        size = 0
        try:
            while True:
                fin, op, payload = self._read_frame()
                if op == OP_PING:
                    try:
                        self.send(OP_PONG, payload)
                    except ConnectionClosed:
                        pass
                    continue
                if op == OP_PONG:
                    continue
                if op == OP_CLOSE:
                    self.close_received = True
                    if len(payload) == 1:
                        raise ProtocolError(CLOSE_PROTOCOL_ERROR, "invalid close payload")
                    code = CLOSE_NORMAL
                    if len(payload) >= 2:
                        (code,) = struct.unpack("!H", payload[:2])
                        try:
                            payload[2:].decode("utf-8")
                        except UnicodeDecodeError:
                            raise ProtocolError(CLOSE_INVALID_DATA, "invalid close reason")
                    self.send_close(code if len(payload) >= 2 else None)
                    raise ConnectionClosed("peer closed with %d" % code)
                if op == OP_CONT:
                    if opcode is None:
                        raise ProtocolError(CLOSE_PROTOCOL_ERROR, "continuation frame without a message")
                else:
                    if opcode is not None:
                        raise ProtocolError(CLOSE_PROTOCOL_ERROR, "new message inside a fragmented message")
                    opcode = op
                parts.append(payload)
                size += len(payload)
                if size > MAX_MESSAGE:
                    raise ProtocolError(CLOSE_TOO_BIG, "message too big")
                if fin:
                    data = b"".join(parts)
                    if opcode == OP_TEXT:
                        try:
                            data.decode("utf-8")
                        except UnicodeDecodeError:
                            raise ProtocolError(CLOSE_INVALID_DATA, "text message is not UTF-8")
                    return opcode, data
        except ProtocolError as e:
            self.send_close(e.code, e.reason)
            self.broken = True
            raise ConnectionClosed(e.reason) from e


def unmask(payload, mask):
    """XOR payload with the 4-byte mask, fast for large payloads."""
    n = len(payload)
    key = int.from_bytes((mask * (n // 4 + 1))[:n], "big")
    return (int.from_bytes(payload, "big") ^ key).to_bytes(n, "big")


def token_from_subprotocols(header_value):
    """The bearer token carried in a WebSocket subprotocol, or None.

    Browsers cannot set Authorization on a WebSocket, so Kubernetes accepts
    `base64url.bearer.authorization.k8s.io.<base64url-nopad(token)>` as one
    of the offered subprotocols (apiserver
    pkg/authentication/request/websocket/protocol.go).  Like kube-apiserver,
    raises ApiError 401 when the entry is malformed, repeated, or the only
    subprotocol offered.
    """
    from .errors import ApiError

    token = None
    others = 0
    for entry in split_header_list(header_value):
        if not entry.startswith(BEARER_PREFIX):
            others += 1
            continue
        if token is not None:
            raise ApiError(401, "Unauthorized", "Unauthorized")
        encoded = entry[len(BEARER_PREFIX):]
        try:
            if "=" in encoded:
                raise ValueError("padding")
            raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4), altchars=b"-_", validate=True)
            token = raw.decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise ApiError(401, "Unauthorized", "Unauthorized")
    if token is None or token == "":
        return None
    if others == 0:
        raise ApiError(401, "Unauthorized", "Unauthorized")
    return token


def strip_bearer_subprotocols(header_value):
    """The offered subprotocols without the bearer-token entries, in order."""
    return [p for p in split_header_list(header_value) if not p.startswith(BEARER_PREFIX)]
