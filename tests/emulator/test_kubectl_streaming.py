"""Real clients against a kube-emulator process: kubectl logs/exec/attach
(WebSocket v5) and python3-kubernetes exec (v4) and port-forward.

kubectl tests skip when kubectl is not on PATH; python3-kubernetes tests
skip when the Debian package is not installed."""

import base64
import shutil
import subprocess
import threading
import time
import unittest
import warnings

from emutil import Emulator, EmulatorTestCase
from test_streaming_lib import HandshakeFailed, WSClient, channel_bytes

KUBECTL = shutil.which("kubectl")
try:
    import kubernetes  # noqa: F401
    from kubernetes import client as kclient
    from kubernetes import config as kconfig
    from kubernetes.stream import portforward, stream
    HAVE_PYK8S = True
except ImportError:
    HAVE_PYK8S = False

needs_kubectl = unittest.skipUnless(KUBECTL, "kubectl is not on PATH: kubectl streaming tests skipped")
needs_pyk8s = unittest.skipUnless(HAVE_PYK8S, "python3-kubernetes is not installed: its streaming tests skipped")


def pod_manifest(name, containers, init_containers=None):
    spec = {"containers": containers}
    if init_containers:
        spec["initContainers"] = init_containers
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


class StreamingClientsBase(EmulatorTestCase):
    def make_pod(self, ns, name, containers=None, init_containers=None):
        containers = containers or [{"name": "app", "image": "busybox:1.36",
                                     "env": [{"name": "FOO", "value": "bar"}]}]
        st, _, body = self.emu.post("/api/v1/namespaces/%s/pods" % ns,
                                    pod_manifest(name, containers, init_containers))
        self.assertEqual(st, 201, body)

        def scheduled():
            s, _, p = self.emu.get("/api/v1/namespaces/%s/pods/%s" % (ns, name))
            return s == 200 and (p.get("spec") or {}).get("nodeName") and \
                (p.get("status") or {}).get("phase") == "Running"
        self.emu.wait_for(scheduled, timeout=10)

    def append(self, ns, name, lines, container=None):
        body = {"lines": lines}
        if container:
            body["container"] = container
        st, _, resp = self.emu.post("/_emulator/pods/%s/%s/log" % (ns, name), body)
        self.assertEqual(st, 200, resp)

    def kubectl(self, ns, *args, **kw):
        return self.emu.kubectl("-n", ns, *args, **kw)


@needs_kubectl
class KubectlLogsTest(StreamingClientsBase):
    def test_logs_tail_timestamps(self):
        ns = self.make_ns("logs")
        self.make_pod(ns, "web")
        self.append(ns, "web", ["first", "second", "third"])
        self.assertEqual(self.kubectl(ns, "logs", "web").stdout, "first\nsecond\nthird\n")
        self.assertEqual(self.kubectl(ns, "logs", "web", "--tail=2").stdout, "second\nthird\n")
        out = self.kubectl(ns, "logs", "pod/web", "--tail=1", "--timestamps").stdout
        stamp, _, text = out.rstrip("\n").partition(" ")
        self.assertEqual(text, "third")
        self.assertRegex(stamp, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
        self.assertEqual(self.kubectl(ns, "logs", "web", "--limit-bytes=3").stdout, "fir")
        self.assertEqual(self.kubectl(ns, "logs", "web", "--since=1h").stdout.count("\n"), 3)

    def test_logs_multi_container_and_errors(self):
        ns = self.make_ns("logs")
        self.make_pod(ns, "two", [{"name": "a", "image": "x"}, {"name": "b", "image": "x"}])
        self.append(ns, "two", ["from b"], "b")
        self.assertEqual(self.kubectl(ns, "logs", "two", "-c", "b").stdout, "from b\n")
        p = self.kubectl(ns, "logs", "two", "-c", "zzz", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("container zzz is not valid for pod two", p.stderr)
        p = self.kubectl(ns, "logs", "two", "-c", "a", "--previous", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('previous terminated container "a" in pod "two" not found', p.stderr)

    def test_logs_follow(self):
        ns = self.make_ns("follow")
        self.make_pod(ns, "web")
        self.append(ns, "web", ["before"])
        proc = subprocess.Popen([KUBECTL, "--kubeconfig", self.emu.kubeconfig, "-n", ns, "logs", "-f", "web"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        killer = threading.Timer(30, proc.kill)
        killer.start()
        try:
            self.assertEqual(proc.stdout.readline(), "before\n")
            self.append(ns, "web", ["appended 1"])
            self.assertEqual(proc.stdout.readline(), "appended 1\n")
            self.append(ns, "web", ["appended 2", "appended 3"])
            self.assertEqual(proc.stdout.readline(), "appended 2\n")
            self.assertEqual(proc.stdout.readline(), "appended 3\n")
            # deleting the pod ends the stream and kubectl exits
            st, _, body = self.emu.delete("/api/v1/namespaces/%s/pods/web?gracePeriodSeconds=0" % ns)
            self.assertEqual(st, 200, body)
            self.assertEqual(proc.stdout.read(), "")
            self.assertEqual(proc.wait(20), 0, proc.stderr.read())
        finally:
            killer.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()


class ControlLogTest(StreamingClientsBase):
    def test_control_api_validation_and_previous(self):
        ns = self.make_ns("ctl")
        self.make_pod(ns, "two", [{"name": "a", "image": "x"}, {"name": "b", "image": "x"}])
        path = "/_emulator/pods/%s/two/log" % ns
        for body, msg in (({"lines": "not a list"}, '"lines" must be a list of strings'),
                          ({"lines": [1]}, '"lines" must be a list of strings'),
                          ({"lines": ["x"], "container": "zzz"}, "container zzz is not valid for pod two")):
            st, _, resp = self.emu.post(path, body)
            self.assertEqual(st, 400, resp)
            self.assertEqual(resp["message"], msg)
        st, _, resp = self.emu.post("/_emulator/pods/%s/nope/log" % ns, {"lines": ["x"]})
        self.assertEqual(st, 404, resp)
        self.append(ns, "two", ["to the first container"])
        self.append(ns, "two", ["to b"], "b")
        st, _, resp = self.emu.post(path, {"lines": ["crashed run"], "container": "b", "previous": True})
        self.assertEqual(st, 200, resp)
        log = "/api/v1/namespaces/%s/pods/two/log?container=" % ns
        self.assertEqual(self.emu.get(log + "a")[2], "to the first container\n")
        self.assertEqual(self.emu.get(log + "b")[2], "to b\n")
        self.assertEqual(self.emu.get(log + "b&previous=true")[2], "crashed run\n")
        st, _, resp = self.emu.get(log + "a&previous=true")
        self.assertEqual((st, resp["message"]), (400, 'previous terminated container "a" in pod "two" not found'))
        st, _, snap = self.emu.get("/_emulator/state")
        pods = snap["streaming"]["pods"]
        self.assertEqual(pods["%s/two" % ns]["logLines"], {"a": 1, "b": 1})
        self.assertEqual(pods["%s/two" % ns]["previousLogLines"], {"b": 1})
        if KUBECTL:
            self.assertEqual(self.kubectl(ns, "logs", "two", "-c", "b", "-p").stdout, "crashed run\n")


@needs_kubectl
class KubectlExecTest(StreamingClientsBase):
    def setUp(self):
        self.ns = self.make_ns("exec")
        self.make_pod(self.ns, "web")

    def test_exec_echo(self):
        p = self.kubectl(self.ns, "exec", "web", "--", "echo", "hi")
        self.assertEqual((p.stdout, p.returncode), ("hi\n", 0))

    def test_exec_stdin_cat(self):
        p = self.kubectl(self.ns, "exec", "-i", "web", "--", "cat", input="line 1\nline 2\n")
        self.assertEqual(p.stdout, "line 1\nline 2\n")

    def test_exit_code_propagates(self):
        p = self.kubectl(self.ns, "exec", "web", "--", "sh", "-c", "exit 3", check=False)
        self.assertEqual(p.returncode, 3)
        self.assertIn("command terminated with exit code 3", p.stderr)

    def test_stderr_and_env(self):
        p = self.kubectl(self.ns, "exec", "web", "-c", "app", "--", "sh", "-c", "echo $FOO; nosuch", check=False)
        self.assertEqual(p.stdout, "bar\n")
        self.assertIn("sh: 1: nosuch: not found", p.stderr)
        self.assertEqual(p.returncode, 127)
        env = self.kubectl(self.ns, "exec", "web", "--", "env").stdout.splitlines()
        self.assertIn("HOSTNAME=web", env)
        self.assertIn("FOO=bar", env)

    def test_unknown_program(self):
        p = self.kubectl(self.ns, "exec", "web", "--", "ls", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('exec: "ls": executable file not found in $PATH', p.stderr)

    def test_bad_container(self):
        p = self.kubectl(self.ns, "exec", "web", "-c", "nope", "--", "true", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("container nope is not valid for pod web", p.stderr)

    @unittest.skipUnless(shutil.which("script"), "script(1) is not installed: no pseudo-terminal for kubectl -t")
    def test_exec_interactive_tty(self):
        # script(1) gives kubectl a terminal, so it sends a TTY request with resize events
        cmd = "stty cols 100 rows 30; %s --kubeconfig %s -n %s exec -it web -- sh" % (
            KUBECTL, self.emu.kubeconfig, self.ns)
        proc = subprocess.Popen(["script", "-qfec", cmd, "/dev/null"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            time.sleep(1.0)
            for line in (b"stty size\r", b"echo $TERM\r", b"exit 4\r"):
                proc.stdin.write(line)
                proc.stdin.flush()
                time.sleep(0.4)
            out, _ = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, 4, out)
        self.assertIn(b"stty size\r\n30 100\r\n", out)
        self.assertIn(b"echo $TERM\r\nxterm\r\n", out)
        st, _, snap = self.emu.get("/_emulator/state")
        self.assertIn({"Width": 100, "Height": 30}, snap["streaming"]["pods"]["%s/web" % self.ns]["resizes"]["app"])

    def test_exec_into_exited_init_container(self):
        self.make_pod(self.ns, "withinit", init_containers=[{"name": "setup", "image": "busybox:1.36"}])
        p = self.kubectl(self.ns, "exec", "withinit", "-c", "setup", "--", "true", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('unable to upgrade connection: container not found ("setup")', p.stderr)

    def test_attach_streams_log_lines(self):
        proc = subprocess.Popen([KUBECTL, "--kubeconfig", self.emu.kubeconfig, "-n", self.ns, "attach", "web"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        killer = threading.Timer(30, proc.kill)
        killer.start()
        try:
            # attach shows only what the main process prints after attaching; keep appending until seen
            deadline = time.time() + 20
            got_list = []
            reader = threading.Thread(target=lambda: got_list.append(proc.stdout.readline()), daemon=True)
            reader.start()
            while not got_list and time.time() < deadline:
                self.append(self.ns, "web", ["attached line"])
                reader.join(0.3)
            got = got_list[0] if got_list else ""
            self.assertEqual(got, "attached line\n")
        finally:
            killer.cancel()
            proc.kill()
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()

    def test_port_forward_is_a_documented_gap(self):
        # kubectl port-forward needs SPDY (tunnelled or raw); the emulator says so instead of hanging.
        p = self.kubectl(self.ns, "port-forward", "pod/web", "0:80", check=False, timeout=30)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("does not serve SPDY", p.stderr)


@needs_pyk8s
class PythonClientStreamingTest(StreamingClientsBase):
    def setUp(self):
        # the client's own websocket objects are left to the garbage collector
        warnings.simplefilter("ignore", ResourceWarning)
        self.ns = self.make_ns("py")
        self.make_pod(self.ns, "web")
        cfg = kclient.Configuration()
        kconfig.load_kube_config(config_file=self.emu.kubeconfig, client_configuration=cfg)
        self.api_client = kclient.ApiClient(cfg)
        self.addCleanup(self.api_client.close)
        self.api = kclient.CoreV1Api(self.api_client)

    def test_exec_preloaded(self):
        out = stream(self.api.connect_get_namespaced_pod_exec, "web", self.ns, command=["echo", "hello", "v4"],
                     stderr=True, stdin=False, stdout=True, tty=False, _request_timeout=20)
        self.assertEqual(out, "hello v4\n")

    def test_exec_return_code_and_stdin(self):
        r = stream(self.api.connect_get_namespaced_pod_exec, "web", self.ns, command=["sh", "-c", "echo x; exit 3"],
                   stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
        r.run_forever(timeout=20)
        self.assertEqual(r.read_stdout(), "x\n")
        self.assertEqual(r.returncode, 3)
        r = stream(self.api.connect_get_namespaced_pod_exec, "web", self.ns, command=["cat"],
                   stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
        try:
            r.write_stdin("round trip\n")
            self.assertEqual(r.readline_stdout(timeout=20), "round trip")
        finally:
            r.close()

    def test_portforward_echo(self):
        pf = portforward(self.api.connect_get_namespaced_pod_portforward, "web", self.ns, ports="8080,9090")
        try:
            for port in (8080, 9090):
                s = pf.socket(port)
                s.settimeout(20)
                payload = ("to %d" % port).encode()
                s.sendall(payload)
                got = b""
                while len(got) < len(payload):
                    chunk = s.recv(100)
                    self.assertTrue(chunk, "port-forward socket closed")
                    got += chunk
                self.assertEqual(got, payload)
                self.assertIsNone(pf.error(port))
                s.close()
        finally:
            pf.close()

    def test_follow_log_with_watch(self):
        from kubernetes import watch
        self.append(self.ns, "web", ["start"])
        timer = threading.Timer(0.5, self.append, (self.ns, "web", ["next", "last"]))
        timer.start()
        self.addCleanup(timer.cancel)
        got = []
        w = watch.Watch()
        for line in w.stream(self.api.read_namespaced_pod_log, "web", self.ns, follow=True, _request_timeout=20):
            got.append(line)
            if len(got) == 3:
                w.stop()
        self.assertEqual(got, ["start", "next", "last"])

    def test_read_log(self):
        self.append(self.ns, "web", ["a", "b", "c"])
        self.assertEqual(self.api.read_namespaced_pod_log("web", self.ns, tail_lines=2), "b\nc\n")


class BearerSubprotocolTest(unittest.TestCase):
    """A browser-style WebSocket authenticates with the bearer-token subprotocol."""

    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator("--token", "s3cret")
        cls.emu.token = "s3cret"

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def test_bearer_subprotocol(self):
        st, _, body = self.emu.post("/api/v1/namespaces/default/pods",
                                    pod_manifest("web", [{"name": "app", "image": "x"}]))
        self.assertEqual(st, 201, body)
        self.emu.wait_for(lambda: (self.emu.get("/api/v1/namespaces/default/pods/web")[2].get("spec") or {})
                          .get("nodeName"))
        path = "/api/v1/namespaces/default/pods/web/exec?command=echo&command=ok&stdout=true"

        def proto(token):
            return "base64url.bearer.authorization.k8s.io." + \
                base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")
        c = WSClient(self.emu.port, path, [proto("s3cret"), "v4.channel.k8s.io"])
        try:
            self.assertEqual(c.protocol, "v4.channel.k8s.io")
            frames, code = c.collect()
            self.assertEqual(channel_bytes(frames, 1), b"ok\n")
        finally:
            c.close()
        with self.assertRaises(HandshakeFailed) as cm:
            WSClient(self.emu.port, path, [proto("wrong"), "v4.channel.k8s.io"])
        self.assertEqual(cm.exception.status, 401)


if __name__ == "__main__":
    unittest.main()
