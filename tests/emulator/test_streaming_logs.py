"""GET pods/NAME/log (apiserver-spec.md section 9) and StreamingState,
against an in-process server that routes the pod streaming subresources to
kube_emulator.streaming."""

import base64
import json
import re
import socket
import threading
import time
import unittest

from kube_emulator import streaming
from test_streaming_lib import (OP_BINARY, OP_PING, OP_PONG, OP_TEXT, ChunkedReader, HandshakeFailed, Server, WSClient,
                                http_get)

LOG = "/api/v1/namespaces/default/pods/%s/log"
TS_RE = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z) (.*)$")


class LogCase(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.state = self.server.state

    def tearDown(self):
        self.server.close()

    def get(self, pod, query=""):
        path = LOG % pod + ("?" + query if query else "")
        return http_get(self.server.port, path)

    def text(self, pod, query=""):
        status, headers, body = self.get(pod, query)
        self.assertEqual(status, 200, body)
        return body.decode()

    def error(self, pod, query, code):
        status, headers, body = self.get(pod, query)
        self.assertEqual(status, code, body)
        self.assertEqual(headers["content-type"], "application/json")
        return json.loads(body)


class LogTest(LogCase):
    def test_plain_log(self):
        self.state.append_log("default", "web", ["one", "two\n", "three\nfour"])
        status, headers, body = self.get("web")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "text/plain")
        self.assertEqual(headers["cache-control"], "no-cache, private")
        self.assertEqual(body, b"one\ntwo\nthree\nfour\n")
        self.assertEqual(self.text("web", "container=app"), "one\ntwo\nthree\nfour\n")

    def test_containers_are_separate(self):
        self.state.append_log("default", "multi", ["from a"], "a")
        self.state.append_log("default", "multi", ["from b"], "b")
        self.assertEqual(self.text("multi", "container=a"), "from a\n")
        self.assertEqual(self.text("multi", "container=b"), "from b\n")
        # the pod reports statuses but none for "init": the kubelet's answer
        self.assertEqual(self.error("multi", "container=init", 400)["message"],
                         'container "init" in pod "multi" is not available')
        # container None means the first container
        self.state.append_log("default", "multi", ["default"])
        self.assertEqual(self.text("multi", "container=a"), "from a\ndefault\n")

    def test_pod_lookup_resolves_default_container(self):
        pods = self.server.httpd.pods
        self.state.pod_lookup = lambda ns, name: pods.get(name)
        self.state.append_log("default", "multi", ["x"])
        self.assertEqual(self.state.snapshot()["pods"]["default/multi"]["logLines"], {"a": 1})
        with self.assertRaises(streaming.ApiError) as cm:
            self.state.append_log("default", "multi", ["x"], "zzz")
        self.assertEqual(cm.exception.message, "container zzz is not valid for pod multi")

    def test_tail_lines(self):
        self.state.append_log("default", "web", ["l%d" % i for i in range(10)])
        self.assertEqual(self.text("web", "tailLines=3"), "l7\nl8\nl9\n")
        self.assertEqual(self.text("web", "tailLines=0"), "")
        self.assertEqual(self.text("web", "tailLines=100").count("\n"), 10)

    def test_timestamps(self):
        before = time.time()
        self.state.append_log("default", "web", ["alpha", "beta"])
        lines = self.text("web", "timestamps=true").splitlines()
        self.assertEqual(len(lines), 2)
        stamps = []
        for line, want in zip(lines, ["alpha", "beta"]):
            m = TS_RE.match(line)
            self.assertIsNotNone(m, line)
            self.assertEqual(m.group(3), want)
            self.assertFalse(m.group(1).endswith("0Z"), "RFC3339Nano trims trailing zeros: " + line)
            stamps.append(streaming.parse_rfc3339(m.group(1)))
        self.assertLessEqual(stamps[0], stamps[1])
        self.assertLess(abs(stamps[0] - before), 5)
        self.assertEqual(streaming.format_rfc3339nano(1714557600_000000000), "2024-05-01T10:00:00Z")
        self.assertEqual(streaming.format_rfc3339nano(1714557600_120000000), "2024-05-01T10:00:00.12Z")

    def test_since_seconds_and_since_time(self):
        now = time.time()
        self.state.append_log("default", "web", ["old"], timestamp=now - 3600)
        self.state.append_log("default", "web", ["recent"], timestamp=now - 30)
        self.state.append_log("default", "web", ["new"])
        self.assertEqual(self.text("web", "sinceSeconds=60"), "recent\nnew\n")
        self.assertEqual(self.text("web", "sinceSeconds=7200"), "old\nrecent\nnew\n")
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 600))
        self.assertEqual(self.text("web", "sinceTime=" + since), "recent\nnew\n")
        # tail applies first, then the time filter (the kubelet reads the tail, then skips old lines)
        self.assertEqual(self.text("web", "tailLines=2&sinceSeconds=10"), "new\n")

    def test_limit_bytes(self):
        self.state.append_log("default", "web", ["0123456789", "abcdef"])
        self.assertEqual(self.text("web", "limitBytes=4"), "0123")
        self.assertEqual(self.text("web", "limitBytes=13"), "0123456789\nab")
        full = self.text("web", "timestamps=1")
        self.assertTrue(TS_RE.match(full.splitlines()[0]))
        self.assertEqual(self.text("web", "limitBytes=40&timestamps=1"), full[:40])

    def test_previous(self):
        st = self.error("web", "previous=true", 400)
        self.assertEqual(st["reason"], "BadRequest")
        self.assertEqual(st["message"], 'previous terminated container "app" in pod "web" not found')
        # a recorded previous instance makes previous=true valid
        self.state.append_log("default", "web", ["crashed"], previous=True)
        self.state.append_log("default", "web", ["current"])
        self.assertEqual(self.text("web", "previous=true"), "crashed\n")
        self.assertEqual(self.text("web"), "current\n")
        # so does lastState.terminated in the pod status
        self.assertEqual(self.text("crashy", "previous=true"), "")
        # previous=false is not previous
        self.assertEqual(self.text("web", "previous=false"), "current\n")

    def test_waiting_container(self):
        st = self.error("pulling", "", 400)
        self.assertEqual(st["message"], 'container "app" in pod "pulling" is waiting to start: image can\'t be pulled')

    def test_unscheduled_pod_has_empty_log(self):
        self.state.append_log("default", "pending", ["never shown"])
        self.assertEqual(self.text("pending"), "")
        self.assertEqual(self.text("pending", "follow=true"), "")

    def test_validation_422(self):
        st = self.error("web", "tailLines=-1", 422)
        self.assertEqual(st["reason"], "Invalid")
        self.assertEqual(st["message"],
                         'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0')
        self.assertEqual(st["details"], {"name": "web", "kind": "PodLogOptions", "causes": [
            {"reason": "FieldValueInvalid", "message": "Invalid value: -1: must be greater than or equal to 0",
             "field": "tailLines"}]})
        st = self.error("web", "limitBytes=0&sinceSeconds=1&sinceTime=2024-01-01T00:00:00Z", 422)
        self.assertEqual(st["message"],
                         'PodLogOptions "web" is invalid: [limitBytes: Invalid value: 0: must be greater than 0, '
                         ': Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified]')
        self.assertNotIn("field", st["details"]["causes"][1])
        st = self.error("web", "sinceSeconds=0", 422)
        self.assertEqual(st["message"],
                         'PodLogOptions "web" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0')

    def test_decode_errors_400(self):
        st = self.error("web", "tailLines=ten", 400)
        self.assertEqual(st["message"], 'strconv.ParseInt: parsing "ten": invalid syntax')
        st = self.error("web", "sinceTime=yesterday", 400)
        self.assertTrue(st["message"].startswith('parsing time "yesterday" as "2006-01-02T15:04:05Z07:00"'))

    def test_container_errors(self):
        st = self.error("multi", "", 400)
        self.assertEqual(st["message"], "a container name must be specified for pod multi, choose one of: [a b] "
                                        "or one of the init containers: [init]")
        st = self.error("web", "container=nope", 400)
        self.assertEqual(st["message"], "container nope is not valid for pod web")


class FollowTest(LogCase):
    def follow(self, pod="web", query="follow=true"):
        r = ChunkedReader(self.server.port, LOG % pod + "?" + query)
        self.addCleanup(r.close)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers["transfer-encoding"], "chunked")
        self.assertEqual(r.headers["content-type"], "text/plain")
        return r

    def read_until(self, reader, want):
        got = b""
        while len(got) < len(want):
            chunk = reader.next_chunk()
            self.assertNotEqual(chunk, b"", "stream ended early after %r" % got)
            got += chunk
        self.assertEqual(got, want)

    def test_follow_receives_appended_lines(self):
        self.state.append_log("default", "web", ["existing"])
        r = self.follow()
        self.read_until(r, b"existing\n")
        threading.Timer(0.1, self.state.append_log, ("default", "web", ["later 1", "later 2"])).start()
        self.read_until(r, b"later 1\nlater 2\n")
        # another container's lines are not this stream's
        self.state.append_log("default", "web", ["previous instance"], previous=True)
        self.state.append_log("default", "web", ["last"])
        self.read_until(r, b"last\n")
        self.state.pod_deleted("default", "web")
        self.assertEqual(r.next_chunk(), b"")  # terminating chunk: the response is complete

    def test_fan_out_to_many_followers(self):
        self.state.append_log("default", "web", ["l%d" % i for i in range(20000)])
        readers = [self.follow(query="follow=true&tailLines=0") for _ in range(50)]
        t0 = time.monotonic()
        self.state.append_log("default", "web", ["broadcast"])
        for r in readers:
            self.read_until(r, b"broadcast\n")
        self.assertLess(time.monotonic() - t0, 5.0)

    def test_follow_with_tail_and_timestamps(self):
        self.state.append_log("default", "web", ["a", "b", "c"])
        r = self.follow(query="follow=1&tailLines=1&timestamps=true")
        first = r.next_chunk().decode()
        self.assertTrue(TS_RE.match(first.rstrip("\n")), first)
        self.assertTrue(first.endswith(" c\n"))
        self.state.append_log("default", "web", ["d"])
        self.assertTrue(r.next_chunk().decode().endswith(" d\n"))

    def test_follow_limit_bytes_ends_stream(self):
        r = self.follow(query="follow=true&limitBytes=5")
        self.state.append_log("default", "web", ["abc"])
        self.read_until(r, b"abc\n")
        self.state.append_log("default", "web", ["defgh"])
        self.read_until(r, b"d")
        self.assertEqual(r.next_chunk(), b"")

    def test_follow_ends_on_shutdown(self):
        r = self.follow()
        self.state.shutdown()
        self.assertEqual(r.next_chunk(), b"")

    def test_follow_of_previous_instance_does_not_block(self):
        self.state.append_log("default", "crashy", ["old run"], previous=True)
        self.assertEqual(self.text("crashy", "follow=true&previous=true"), "old run\n")

    def test_client_disconnect_releases_handler(self):
        before = self.server.finished
        r = self.follow()
        r.sock.shutdown(socket.SHUT_RDWR)
        r.close()
        deadline = time.monotonic() + 5
        while self.server.finished == before:
            self.assertLess(time.monotonic(), deadline, "follow handler still running after disconnect")
            time.sleep(0.05)


class WebSocketLogTest(LogCase):
    """The optional WebSocket form of a log: one message per read, no channel byte."""

    def ws(self, query, protocols):
        c = WSClient(self.server.port, LOG % "web" + "?" + query, protocols)
        self.addCleanup(c.close)
        return c

    def test_binary_follow(self):
        self.state.append_log("default", "web", ["one", "two"])
        c = self.ws("follow=true", ["binary.k8s.io"])
        self.assertEqual(c.protocol, "binary.k8s.io")
        fin, op, payload = c.recv_frame()
        self.assertEqual((op, payload), (OP_BINARY, b"one\ntwo\n"))
        self.state.append_log("default", "web", ["three"])
        self.assertEqual(c.recv_frame()[1:], (OP_BINARY, b"three\n"))
        c.send_frame(OP_PING, b"hb")
        self.assertEqual(c.recv_frame()[1:], (OP_PONG, b"hb"))
        self.state.pod_deleted("default", "web")
        self.assertEqual(c.recv_data(), ("close", 1000))

    def test_base64_without_follow(self):
        self.state.append_log("default", "web", ["x"])
        c = self.ws("tailLines=1", ["bogus", "base64.binary.k8s.io"])
        self.assertEqual(c.recv_frame()[1:], (OP_TEXT, base64.b64encode(b"x\n")))
        self.assertEqual(c.recv_data(), ("close", 1000))

    def test_no_protocol_and_unsupported_protocol(self):
        self.state.append_log("default", "web", ["y"])
        c = self.ws("", None)
        self.assertIsNone(c.protocol)
        self.assertEqual(c.recv_frame()[1:], (OP_BINARY, b"y\n"))
        with self.assertRaises(HandshakeFailed) as cm:
            self.ws("", ["v4.channel.k8s.io"])
        self.assertEqual(cm.exception.status, 403)
        with self.assertRaises(HandshakeFailed) as cm:
            self.ws("tailLines=-1", ["binary.k8s.io"])
        self.assertEqual(cm.exception.status, 422)


class StateTest(unittest.TestCase):
    def test_snapshot_and_pod_deleted(self):
        st = streaming.StreamingState()
        st.append_log("ns", "p", ["1", "2"], "c")
        st.append_log("ns", "p", ["x"], "c", previous=True)
        st.record_resize("ns", "p", "c", 80, 24)
        snap = st.snapshot()
        self.assertEqual(snap, {"pods": {"ns/p": {"logLines": {"c": 2}, "previousLogLines": {"c": 1},
                                                  "resizes": {"c": [{"Width": 80, "Height": 24}]},
                                                  "activeSessions": 0}}})
        json.dumps(snap)
        st.pod_deleted("ns", "p")
        self.assertEqual(st.snapshot()["pods"]["ns/p"]["logLines"], {})
        self.assertEqual(st.generation("ns", "p"), 1)

    def test_thread_safety(self):
        st = streaming.StreamingState()
        threads = [threading.Thread(target=lambda: [st.append_log("ns", "p", ["l"], "c") for _ in range(200)])
                   for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(st.snapshot()["pods"]["ns/p"]["logLines"], {"c": 1600})


if __name__ == "__main__":
    unittest.main()
