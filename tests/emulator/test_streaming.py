"""exec, attach, port-forward over WebSocket and the WebSocket layer itself
(apiserver-spec.md section 9), against an in-process server that routes the
pod streaming subresources to kube_emulator.streaming."""

import base64
import json
import threading
import time
import unittest
import urllib.parse

from kube_emulator import streaming, websocket
from kube_emulator.errors import ApiError
from test_streaming_lib import (OP_BINARY, OP_CLOSE, OP_CONT, OP_PING, OP_PONG, OP_TEXT, HandshakeFailed,
                                Server, WSClient, channel_bytes, http_get)

V5 = ["v5.channel.k8s.io"]
V4 = ["v4.channel.k8s.io"]


def exec_path(pod, argv, **opts):
    q = [("command", a) for a in argv]
    params = {"stdout": "true", "stderr": "true"}
    params.update(opts)
    q += [(k, v) for k, v in params.items() if v is not None]
    return "/api/v1/namespaces/default/pods/%s/exec?%s" % (pod, urllib.parse.urlencode(q))


def status_of(frames):
    return json.loads(channel_bytes(frames, 3))


class StreamingCase(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.port = self.server.port
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        self.server.close()

    def ws(self, path, protocols=V5, **kw):
        c = WSClient(self.port, path, protocols, **kw)
        self.clients.append(c)
        return c

    def run_exec(self, argv, protocols=V5, pod="web", **opts):
        c = self.ws(exec_path(pod, argv, **opts), protocols)
        frames, code = c.collect()
        self.assertEqual(code, 1000)
        return frames


class HandshakeTest(StreamingCase):
    def test_accept_key_rfc6455_vector(self):
        # RFC 6455 section 1.3's worked example.
        self.assertEqual(websocket.accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")

    def test_handshake_response(self):
        c = self.ws(exec_path("web", ["true"]), V5, key="dGhlIHNhbXBsZSBub25jZQ==")
        self.assertEqual(c.status, 101)
        self.assertEqual(c.headers["upgrade"].lower(), "websocket")
        self.assertEqual(c.headers["connection"].lower(), "upgrade")
        self.assertEqual(c.headers["sec-websocket-accept"], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        self.assertEqual(c.protocol, "v5.channel.k8s.io")

    def negotiated(self, protocols, sub="exec"):
        path = exec_path("web", ["true"]) if sub == "exec" else \
            "/api/v1/namespaces/default/pods/web/portforward?ports=80"
        c = self.ws(path, protocols)
        return c.protocol

    def test_subprotocol_choice_scans_client_order(self):
        self.assertEqual(self.negotiated(["v4.base64.channel.k8s.io", "v4.channel.k8s.io"]),
                         "v4.base64.channel.k8s.io")
        self.assertEqual(self.negotiated(["v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io",
                                          "channel.k8s.io"]), "v4.channel.k8s.io")
        self.assertEqual(self.negotiated(["bogus", "base64.channel.k8s.io"]), "base64.channel.k8s.io")
        self.assertEqual(self.negotiated(["channel.k8s.io"]), "channel.k8s.io")
        # Anywhere in the list, v5 goes to kube-apiserver's stream translator.
        self.assertEqual(self.negotiated(["v4.channel.k8s.io", "v5.channel.k8s.io"]), "v5.channel.k8s.io")
        # No header: the binary channel protocol, no Sec-WebSocket-Protocol echoed.
        self.assertIsNone(self.negotiated(None))

    def test_bearer_subprotocol_is_never_negotiated(self):
        token = base64.urlsafe_b64encode(b"secret").rstrip(b"=").decode()
        self.assertEqual(self.negotiated(["base64url.bearer.authorization.k8s.io." + token, "v4.channel.k8s.io"]),
                         "v4.channel.k8s.io")

    def test_unsupported_subprotocols_are_forbidden(self):
        # x/net/websocket answers a failed protocol handshake with a bare 403.
        for protos in (["v3.channel.k8s.io"], ["bogus"]):
            with self.assertRaises(HandshakeFailed) as cm:
                self.negotiated(protos)
            self.assertEqual(cm.exception.status, 403)
        with self.assertRaises(HandshakeFailed):
            self.negotiated(["v5.channel.k8s.io"], "portforward")
        with self.assertRaises(HandshakeFailed):
            self.negotiated(["SPDY/3.1+portforward.k8s.io"], "portforward")

    def test_portforward_subprotocols(self):
        self.assertEqual(self.negotiated(["v4.base64.channel.k8s.io"], "portforward"), "v4.base64.channel.k8s.io")
        self.assertEqual(self.negotiated(["portforward.k8s.io", "v4.channel.k8s.io"], "portforward"),
                         "v4.channel.k8s.io")
        self.assertIsNone(self.negotiated(None, "portforward"))

    def test_wrong_websocket_version(self):
        import socket as _s
        from test_streaming_lib import read_http_head
        s = _s.create_connection(("127.0.0.1", self.port), timeout=5)
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n"
                   % exec_path("web", ["true"])).encode())
        status, headers = read_http_head(s)
        s.close()
        self.assertEqual(status, 400)
        self.assertEqual(headers["sec-websocket-version"], "13")

    def test_token_from_subprotocols(self):
        tok = base64.urlsafe_b64encode(b"my-token").rstrip(b"=").decode()
        self.assertEqual(streaming.token_from_subprotocols(
            "v4.channel.k8s.io, base64url.bearer.authorization.k8s.io." + tok), "my-token")
        self.assertIsNone(streaming.token_from_subprotocols("v4.channel.k8s.io"))
        self.assertIsNone(streaming.token_from_subprotocols(""))
        for bad in ("base64url.bearer.authorization.k8s.io." + tok,  # no other subprotocol
                    "v4.channel.k8s.io, base64url.bearer.authorization.k8s.io.!!!",
                    "v4.channel.k8s.io, base64url.bearer.authorization.k8s.io.%s, "
                    "base64url.bearer.authorization.k8s.io.%s" % (tok, tok)):
            with self.assertRaises(ApiError) as cm:
                streaming.token_from_subprotocols(bad)
            self.assertEqual(cm.exception.code, 401)


class ExecTest(StreamingCase):
    def test_echo_v5(self):
        c = self.ws(exec_path("web", ["echo", "hello", "world"]), V5)
        self.assertEqual(c.recv_data(), (1, b""))  # initial empty frame on stdout
        frames, code = c.collect()
        self.assertEqual(code, 1000)
        self.assertEqual(channel_bytes(frames, 1), b"hello world\n")
        self.assertEqual(channel_bytes(frames, 3), b'{"metadata":{},"status":"Success"}')
        self.assertEqual(frames[-1][0], 3)

    def test_echo_v4(self):
        frames = self.run_exec(["echo", "-n", "x"], V4)
        self.assertEqual(frames[0], (1, b""))
        self.assertEqual(channel_bytes(frames, 1), b"x")
        self.assertEqual(status_of(frames), {"metadata": {}, "status": "Success"})

    def test_exit_code_v4(self):
        frames = self.run_exec(["sh", "-c", "exit 3"], V4)
        self.assertEqual(channel_bytes(frames, 3),
                         b'{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: '
                         b'error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode",'
                         b'"details":{"causes":[{"reason":"ExitCode","message":"3"}]}}')

    def test_exit_code_v5(self):
        st = status_of(self.run_exec(["sh", "-c", "echo out; exit 42"]))
        self.assertEqual(st["reason"], "NonZeroExitCode")
        self.assertEqual(st["message"],
                         "command terminated with non-zero exit code: command terminated with exit code 42")
        self.assertEqual(st["details"], {"causes": [{"reason": "ExitCode", "message": "42"}]})
        self.assertEqual(status_of(self.run_exec(["sh", "-c", "exit 0"])), {"metadata": {}, "status": "Success"})

    def test_shell_script(self):
        frames = self.run_exec(["/bin/sh", "-c", "echo a; false && echo no; true || echo no2; echo $? ${FOO}; "
                                "X=1; echo \"$X\" '$X'; false; echo $?; exit 7; echo unreachable"])
        self.assertEqual(channel_bytes(frames, 1), b"a\n0 bar\n1 $X\n1\n")
        self.assertEqual(status_of(frames)["details"]["causes"][0]["message"], "7")

    def test_shell_errors(self):
        frames = self.run_exec(["sh", "-c", "nosuch arg"])
        self.assertEqual(channel_bytes(frames, 2), b"sh: 1: nosuch: not found\n")
        self.assertEqual(status_of(frames)["details"]["causes"][0]["message"], "127")
        frames = self.run_exec(["sh", "-c", "echo 'unterminated"])
        self.assertIn(b"Unterminated quoted string", channel_bytes(frames, 2))
        self.assertEqual(status_of(frames)["details"]["causes"][0]["message"], "2")
        frames = self.run_exec(["sh", "-c", "exit x"])
        self.assertEqual(channel_bytes(frames, 2), b"sh: 1: exit: Illegal number: x\n")

    def test_unknown_program_is_internal_error(self):
        frames = self.run_exec(["ls", "/"], V4)
        st = status_of(frames)
        self.assertEqual(st["reason"], "InternalError")
        self.assertEqual(st["code"], 500)
        self.assertEqual(st["message"], "Internal error occurred: error executing command in container: OCI runtime "
                         "exec failed: exec failed: unable to start container process: exec: \"ls\": executable file "
                         "not found in $PATH: unknown")
        self.assertEqual(st["details"]["causes"][0]["message"], st["message"][len("Internal error occurred: "):])

    def test_env_and_printenv(self):
        out = channel_bytes(self.run_exec(["env"]), 1).decode()
        lines = out.splitlines()
        self.assertEqual(lines[0], "PATH=" + streaming.DEFAULT_PATH)
        for want in ("HOSTNAME=web", "FOO=bar", "GREETING=hello bar", "POD_NAME=web", "APP=web", "HOME=/root"):
            self.assertIn(want, lines)
        self.assertNotIn("TERM=xterm", lines)
        frames = self.run_exec(["printenv", "FOO", "MISSING"])
        self.assertEqual(channel_bytes(frames, 1), b"bar\n")
        self.assertEqual(status_of(frames)["details"]["causes"][0]["message"], "1")

    def test_true_false_sleep_hostname(self):
        self.assertEqual(status_of(self.run_exec(["true"]))["status"], "Success")
        self.assertEqual(status_of(self.run_exec(["false"]))["details"]["causes"][0]["message"], "1")
        t0 = time.monotonic()
        self.assertEqual(status_of(self.run_exec(["sleep", "0.3"]))["status"], "Success")
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)
        self.assertEqual(channel_bytes(self.run_exec(["hostname"]), 1), b"web\n")

    def test_cat_v5_close_channel(self):
        c = self.ws(exec_path("web", ["cat"], stdin="true"), V5)
        self.assertEqual(c.recv_data(), (1, b""))
        c.send_channel(0, b"line one\n")
        self.assertEqual(c.recv_data(), (1, b"line one\n"))
        c.send_channel(0, b"two")
        self.assertEqual(c.recv_data(), (1, b"two"))
        c.close_stdin_v5()
        frames, code = c.collect()
        self.assertEqual(frames, [(3, b'{"metadata":{},"status":"Success"}')])
        self.assertEqual(code, 1000)

    def test_cat_v4_ends_when_client_closes(self):
        c = self.ws(exec_path("web", ["cat"], stdin="true"), V4)
        c.recv_data()
        c.send_channel(0, b"abc")
        self.assertEqual(c.recv_data(), (1, b"abc"))
        # [255, 0] means nothing before v5: cat keeps running
        c.close_stdin_v5()
        c.send_channel(0, b"def")
        self.assertEqual(c.recv_data(), (1, b"def"))
        c.send_frame(OP_CLOSE, b"\x03\xe8bye")
        self.assertEqual(c.recv_data(), ("close", 1000))
        deadline = time.monotonic() + 5
        while self.server.state.snapshot()["pods"].get("default/web", {}).get("activeSessions"):
            self.assertLess(time.monotonic(), deadline, "session did not end")
            time.sleep(0.05)

    def test_v4_base64_text_framing(self):
        c = self.ws(exec_path("web", ["cat"], stdin="true"), ["v4.base64.channel.k8s.io"])
        fin, op, payload = c.recv_frame()
        self.assertEqual((op, payload), (OP_TEXT, b"1"))
        c.send_channel(0, b"\x00\xffbin", text=True)
        fin, op, payload = c.recv_frame()
        self.assertEqual(op, OP_TEXT)
        self.assertEqual(payload, b"1" + base64.b64encode(b"\x00\xffbin"))
        c.send_frame(OP_CLOSE, b"\x03\xe8")
        self.assertEqual(c.recv_data(text=True), ("close", 1000))

    def test_base64_status(self):
        c = self.ws(exec_path("web", ["sh", "-c", "exit 5"]), ["v4.base64.channel.k8s.io"])
        frames, code = c.collect(text=True)
        self.assertEqual(json.loads(channel_bytes(frames, 3))["details"]["causes"][0]["message"], "5")

    def test_pre_v4_protocols_write_error_text_only(self):
        frames = self.run_exec(["echo", "hi"], ["channel.k8s.io"])
        self.assertEqual(channel_bytes(frames, 1), b"hi\n")
        self.assertNotIn(3, [ch for ch, _ in frames])
        frames = self.run_exec(["sh", "-c", "exit 4"], ["channel.k8s.io"])
        self.assertEqual(channel_bytes(frames, 3), b"command terminated with non-zero exit code: "
                                                   b"error executing command [sh -c exit 4], exit code 4")

    def test_tty_merges_stderr_and_translates_newlines(self):
        frames = self.run_exec(["sh", "-c", "echo out; nosuch"], tty="true")
        self.assertNotIn(2, [ch for ch, _ in frames])
        self.assertEqual(channel_bytes(frames, 1), b"out\r\nsh: 1: nosuch: not found\r\n")
        self.assertIn(b"TERM=xterm\r\n", channel_bytes(self.run_exec(["env"], tty="true"), 1))

    def test_initial_frame_on_lowest_writable_channel(self):
        self.assertEqual(self.run_exec(["true"], stdout="false")[0], (2, b""))
        self.assertEqual(self.run_exec(["true"], stdout="false", stderr="false", stdin="true")[0], (3, b""))
        # a TTY drops stderr, so stderr alone is not writable
        self.assertEqual(self.run_exec(["true"], stdout="false", tty="true")[0], (3, b""))
        # stdin without stdout/stderr; cat's output is discarded
        c = self.ws(exec_path("web", ["cat"], stdin="1", stdout="0", stderr="FALSE"), V5)
        c.send_channel(0, b"dropped")
        c.close_stdin_v5()
        frames, _ = c.collect()
        self.assertEqual(frames, [(3, b""), (3, b'{"metadata":{},"status":"Success"}')])

    def test_resize_recorded(self):
        c = self.ws(exec_path("web", ["sh"], stdin="true", tty="true"), V5)
        c.recv_data()
        c.send_channel(4, b'{"Width":80,"Height":24}')
        c.send_channel(4, b'{"Width":120,"Height":40}')
        c.send_channel(4, b"not json")
        c.send_channel(0, b"stty size\n")
        c.send_channel(0, b"exit 0\n")
        frames, _ = c.collect()
        self.assertIn(b"40 120\r\n", channel_bytes(frames, 1))
        self.assertEqual(status_of(frames)["status"], "Success")
        snap = self.server.state.snapshot()["pods"]["default/web"]
        self.assertEqual(snap["resizes"], {"app": [{"Width": 80, "Height": 24}, {"Width": 120, "Height": 40}]})

    def test_tty_line_discipline(self):
        c = self.ws(exec_path("web", ["sh"], stdin="true", tty="true"), V5)
        self.assertEqual(c.recv_data(), (1, b""))
        self.assertEqual(c.recv_data(), (1, b"# "))
        c.send_channel(0, b"echo hellp\x7fo\r")  # typed in raw mode: DEL erases, CR is Enter
        out = b""
        while not out.endswith(b"hello\r\n# "):
            ch, data = c.recv_data()
            self.assertEqual(ch, 1)
            out += data
        self.assertEqual(out, b"echo hellp\x08 \x08o\r\nhello\r\n# ")
        c.send_channel(0, b"sleep 30\r")
        time.sleep(0.3)
        c.send_channel(0, b"\x03")  # ^C interrupts the command, not the shell
        out = b""
        while not out.endswith(b"^C\r\n# "):
            out += c.recv_data()[1]
        c.send_channel(0, b"echo $?\r\x04")  # ^D on an empty line: EOF, the shell exits
        frames, _ = c.collect()
        self.assertEqual(channel_bytes(frames, 1), b"echo $?\r\n130\r\n# ")
        self.assertEqual(status_of(frames)["status"], "Success")  # the last command, echo, succeeded

    def test_interrupt_top_level_command(self):
        c = self.ws(exec_path("web", ["sleep", "30"], stdin="true", tty="true"), V5)
        c.recv_data()
        c.send_channel(0, b"\x03")
        frames, _ = c.collect()
        self.assertEqual(channel_bytes(frames, 1), b"^C\r\n")
        self.assertEqual(status_of(frames)["details"]["causes"][0]["message"], "130")

    def test_interactive_shell_without_tty(self):
        c = self.ws(exec_path("web", ["sh"], stdin="true"), V5)
        c.send_channel(0, b"echo one\nprintenv POD_NAME\n")
        c.close_stdin_v5()
        frames, _ = c.collect()
        self.assertEqual(channel_bytes(frames, 1), b"one\nweb\n")
        self.assertEqual(status_of(frames)["status"], "Success")

    def test_ping_answered_mid_session(self):
        c = self.ws(exec_path("web", ["cat"], stdin="true"), V5)
        c.recv_data()
        c.send_frame(OP_PING, b"are-you-there")
        fin, op, payload = c.recv_frame()
        self.assertEqual((op, payload), (OP_PONG, b"are-you-there"))
        c.send_frame(OP_PONG, b"unsolicited")  # ignored
        c.close_stdin_v5()
        frames, _ = c.collect()
        self.assertEqual(status_of(frames)["status"], "Success")

    def test_fragmented_message_with_interleaved_ping(self):
        c = self.ws(exec_path("web", ["cat"], stdin="true"), V5)
        c.recv_data()
        c.send_frame(OP_BINARY, b"\x00frag", fin=False)
        c.send_frame(OP_PING, b"p")
        c.send_frame(OP_CONT, b"ment", fin=False)
        c.send_frame(OP_CONT, b"ed", fin=True)
        fin, op, payload = c.recv_frame()
        self.assertEqual((op, payload), (OP_PONG, b"p"))
        self.assertEqual(c.recv_data(), (1, b"fragmented"))
        big = bytes(range(256)) * 300  # 16-bit and 64-bit length forms
        c.send_channel(0, big)
        got = b""
        while len(got) < len(big):
            ch, data = c.recv_data()
            self.assertEqual(ch, 1)
            got += data
        self.assertEqual(got, big)
        c.close_stdin_v5()
        c.collect()

    def test_protocol_errors_close_1002(self):
        cases = [
            lambda c: c.send_frame(OP_BINARY, b"\x00unmasked", mask=False),
            lambda c: c.send_frame(OP_CONT, b"stray"),
            lambda c: (c.send_frame(OP_BINARY, b"\x00a", fin=False), c.send_frame(OP_BINARY, b"\x00b")),
            lambda c: c.send_frame(OP_PING, b"x", fin=False),
            lambda c: c.send_frame(0x3, b""),
        ]
        for i, act in enumerate(cases):
            c = self.ws(exec_path("web", ["cat"], stdin="true"), V5)
            c.recv_data()
            act(c)
            frames, code = c.collect()
            self.assertEqual(code, 1002, "case %d" % i)
            self.assertEqual(frames, [], "case %d" % i)

    def test_invalid_utf8_text_closes_1007(self):
        c = self.ws(exec_path("web", ["cat"], stdin="true"), V5)
        c.recv_data()
        c.send_frame(OP_TEXT, b"\x00\xff\xfe")
        self.assertEqual(c.collect()[1], 1007)

    def test_v5_close_channel_bad_length_closes(self):
        c = self.ws(exec_path("web", ["cat"], stdin="true"), V5)
        c.recv_data()
        c.send_frame(OP_BINARY, bytes([255, 0, 1]))
        frames, code = c.collect()
        self.assertEqual(code, 1000)
        self.assertNotIn((1, b""), frames[1:])

    def test_pod_deleted_ends_session(self):
        c = self.ws(exec_path("web", ["sleep", "30"]), V5)
        c.recv_data()
        t0 = time.monotonic()
        self.server.state.pod_deleted("default", "web")
        frames, code = c.collect()
        self.assertEqual(code, 1000)
        self.assertLess(time.monotonic() - t0, 3)


    def test_pod_deleted_does_not_block_on_a_client_that_stopped_reading(self):
        c = self.ws(exec_path("web", ["cat"], stdin="true"), V5)
        c.sock.setsockopt(__import__("socket").SOL_SOCKET, __import__("socket").SO_RCVBUF, 4096)
        chunk = b"z" * 65536
        for _ in range(64):  # 4 MiB echoed back to a client that reads nothing
            c.send_channel(0, chunk)
        time.sleep(0.3)
        deleter = threading.Thread(target=self.server.state.pod_deleted, args=("default", "web"), daemon=True)
        deleter.start()
        deleter.join(2.0)
        self.assertFalse(deleter.is_alive(), "pod_deleted blocked on a stuck WebSocket client")


class AttachTest(StreamingCase):
    def attach_path(self, pod="web", **opts):
        params = {"stdout": "true", "stderr": "true"}
        params.update(opts)
        return "/api/v1/namespaces/default/pods/%s/attach?%s" % (pod, urllib.parse.urlencode(params))

    def test_attach_streams_new_log_lines(self):
        state = self.server.state
        state.append_log("default", "web", ["before attach"])
        c = self.ws(self.attach_path(), V5)
        self.assertEqual(c.recv_data(), (1, b""))
        state.append_log("default", "web", ["after one", "after two"])
        got = b""
        while got != b"after one\nafter two\n":
            ch, data = c.recv_data()
            self.assertEqual(ch, 1)
            got += data
        state.pod_deleted("default", "web")
        frames, code = c.collect()
        self.assertEqual(code, 1000)

    def test_attach_stdin_goes_to_the_log(self):
        c = self.ws(self.attach_path(stdin="true"), V4)
        c.recv_data()
        c.send_channel(0, b"typed li")
        c.send_channel(0, b"ne\nrest")
        self.assertEqual(c.recv_data(), (1, b"typed line\n"))
        snap = self.server.state.snapshot()["pods"]["default/web"]
        self.assertEqual(snap["logLines"], {"app": 1})
        c.send_frame(OP_CLOSE, b"\x03\xe8")
        self.assertEqual(c.recv_data(), ("close", 1000))

    def test_attach_stdin_once_ends_on_stdin_close(self):
        c = self.ws(self.attach_path(pod="once", stdin="true", tty="true"), V5)
        c.recv_data()
        c.send_channel(0, b"bye")
        c.close_stdin_v5()
        frames, code = c.collect()
        # the TTY echoes what was typed, then the main process prints it
        self.assertEqual(channel_bytes(frames, 1), b"byebye\r\n")
        self.assertEqual(status_of(frames), {"metadata": {}, "status": "Success"})


class PortForwardTest(StreamingCase):
    def pf(self, query, protocols=V4):
        return self.ws("/api/v1/namespaces/default/pods/web/portforward?" + query, protocols)

    def test_port_headers_and_echo(self):
        c = self.pf("ports=8080,9090&ports=53")
        headers = [c.recv_data() for _ in range(6)]
        self.assertEqual(headers, [(0, b"\x90\x1f"), (1, b"\x90\x1f"), (2, b"\x82\x23"), (3, b"\x82\x23"),
                                   (4, b"\x35\x00"), (5, b"\x35\x00")])
        c.send_channel(2, b"to 9090")
        self.assertEqual(c.recv_data(), (2, b"to 9090"))
        c.send_channel(0, b"to 8080")
        self.assertEqual(c.recv_data(), (0, b"to 8080"))
        c.send_channel(1, b"error channels are write-only")
        c.send_channel(9, b"no such channel")
        c.send_channel(4, b"x" * 70000)
        ch, data = c.recv_data()
        got = data
        while len(got) < 70000:
            got += c.recv_data()[1]
        self.assertEqual((ch, got), (4, b"x" * 70000))
        c.send_frame(OP_CLOSE, b"\x03\xe8")
        self.assertEqual(c.recv_data(), ("close", 1000))

    def test_base64_portforward(self):
        c = self.pf("ports=80", ["v4.base64.channel.k8s.io"])
        self.assertEqual([c.recv_data(text=True) for _ in range(2)], [(0, b"\x50\x00"), (1, b"\x50\x00")])
        c.send_channel(0, b"ping", text=True)
        self.assertEqual(c.recv_data(text=True), (0, b"ping"))

    def test_pod_deleted_ends_portforward(self):
        c = self.pf("ports=80")
        c.recv_data()
        c.recv_data()
        self.server.state.pod_deleted("default", "web")
        self.assertEqual(c.collect()[1], 1000)

    def test_port_validation(self):
        for query, status, msg in (
                ("ports=abc", 400, 'cannot convert to []int32: strconv.ParseUint: parsing "abc": invalid syntax'),
                ("ports=80,70000", 400,
                 'cannot convert to []int32: strconv.ParseUint: parsing "70000": value out of range'),
                ("ports=-1", 400, 'cannot convert to []int32: strconv.ParseUint: parsing "-1": invalid syntax')):
            with self.assertRaises(HandshakeFailed) as cm:
                self.pf(query)
            self.assertEqual(cm.exception.status, status)
            body = json.loads(cm.exception.body)
            self.assertEqual((body["reason"], body["message"]), ("BadRequest", msg))
        # the kubelet's own checks answer in plain text
        for query, msg in (("", b'query parameter "port" is required'), ("ports=0", b'port "0" must be > 0')):
            with self.assertRaises(HandshakeFailed) as cm:
                self.pf(query)
            self.assertEqual(cm.exception.status, 400)
            self.assertEqual(cm.exception.body, msg)
            self.assertTrue(cm.exception.headers["content-type"].startswith("text/plain"))


class ValidationTest(StreamingCase):
    def expect_status(self, path, code, message, protocols=V5, headers=None, plain_get=False):
        if plain_get:
            status, _, body = http_get(self.port, path)
        else:
            with self.assertRaises(HandshakeFailed) as cm:
                self.ws(path, protocols, headers=headers)
            status, body = cm.exception.status, cm.exception.body
        self.assertEqual(status, code)
        st = json.loads(body)
        self.assertEqual(st["kind"], "Status")
        self.assertEqual(st["message"], message)
        self.assertEqual(st["code"], code)
        return st

    def test_container_resolution(self):
        st = self.expect_status(exec_path("multi", ["true"]), 400,
                                "a container name must be specified for pod multi, choose one of: [a b] or one "
                                "of the init containers: [init]")
        self.assertEqual(st["reason"], "BadRequest")
        self.expect_status(exec_path("web", ["true"], container="nope"), 400, "container nope is not valid for pod web")
        # init containers are valid names (test_container_not_running: this one has exited)
        self.expect_status("/api/v1/namespaces/default/pods/multi/attach?stdout=1", 400,
                           "a container name must be specified for pod multi, choose one of: [a b] or one "
                           "of the init containers: [init]")

    def test_unscheduled_pod(self):
        self.expect_status(exec_path("pending", ["true"]), 400, "pod pending does not have a host assigned")
        self.expect_status("/api/v1/namespaces/default/pods/pending/portforward?ports=80", 400,
                           "pod pending does not have a host assigned")
        # the container is resolved first, as kube-apiserver does
        self.expect_status(exec_path("pending-multi", ["true"]), 400,
                           "a container name must be specified for pod pending-multi, choose one of: [a b]")

    def test_upgrade_required(self):
        self.expect_status(exec_path("web", ["true"]), 400, "Upgrade request required", plain_get=True)
        self.expect_status("/api/v1/namespaces/default/pods/web/portforward?ports=80", 400,
                           "Upgrade request required", plain_get=True)

    def test_spdy_is_refused_with_a_clear_message(self):
        import socket as _s
        from test_streaming_lib import read_http_head, recv_exact
        s = _s.create_connection(("127.0.0.1", self.port), timeout=5)
        s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nUpgrade: SPDY/3.1\r\nConnection: Upgrade\r\n"
                   "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n"
                   % exec_path("web", ["true"])).encode())
        status, headers = read_http_head(s)
        body = json.loads(recv_exact(s, int(headers["content-length"])))
        s.close()
        self.assertEqual(status, 400)
        self.assertIn("does not serve SPDY", body["message"])

    def test_no_stdio(self):
        self.expect_status(exec_path("web", ["true"], stdout="false", stderr="0"), 400,
                           "you must specify at least 1 of stdin, stdout, stderr")
        self.expect_status("/api/v1/namespaces/default/pods/web/attach", 400,
                           "you must specify at least 1 of stdin, stdout, stderr")

    def test_boolean_parsing(self):
        self.assertFalse(streaming.parse_bool(None))
        self.assertFalse(streaming.parse_bool([]))
        self.assertFalse(streaming.parse_bool(["0"]))
        self.assertFalse(streaming.parse_bool(["FaLsE"]))
        self.assertTrue(streaming.parse_bool([""]))
        self.assertTrue(streaming.parse_bool(["no"]))
        self.assertTrue(streaming.parse_bool(["1"]))
        # ?stdout with no value means true
        c = self.ws("/api/v1/namespaces/default/pods/web/exec?command=echo&command=v&stdout", V5)
        frames, _ = c.collect()
        self.assertEqual(channel_bytes(frames, 1), b"v\n")

    def test_container_not_running(self):
        # v4 and older: the kubelet's plain-text 500 before any upgrade
        with self.assertRaises(HandshakeFailed) as cm:
            self.ws(exec_path("multi", ["true"], container="init"), V4)
        self.assertEqual((cm.exception.status, cm.exception.body), (500, b'container not found ("init")'))
        # v5: kube-apiserver upgraded already and reports the failure on channel 3
        frames = self.run_exec(["true"], pod="multi", container="init")
        self.assertEqual(frames[0], (1, b""))
        st = status_of(frames)
        self.assertEqual(st, {"metadata": {}, "status": "Failure",
                              "message": 'Internal error occurred: unable to upgrade connection: container not found '
                                         '("init")',
                              "reason": "InternalError",
                              "details": {"causes": [{"message": 'unable to upgrade connection: container not found '
                                                                 '("init")'}]},
                              "code": 500})

    def test_ephemeral_container_without_status(self):
        frames = self.run_exec(["echo", "debug"], pod="debugged", container="debugger")
        self.assertEqual(channel_bytes(frames, 1), b"debug\n")
        status, _, body = http_get(self.port, "/api/v1/namespaces/default/pods/debugged/log?container=debugger")
        self.assertEqual((status, body), (200, b""))

    def test_empty_command(self):
        st = status_of(self.run_exec([], V4))
        self.assertEqual(st["reason"], "InternalError")


if __name__ == "__main__":
    unittest.main()
