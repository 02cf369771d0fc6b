"""Test helpers: start a kube-emulator process on port 0, talk HTTP to it, stop it."""
import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "kube-emulator")
PYTHON = "/usr/bin/python3"

# kubectl validates every manifest it creates or applies against the server's OpenAPI
# document, and the emulator serves OpenAPI from ../shared/testdata/openapi. Without
# ../shared those kubectl calls fail before reaching the emulator's own behaviour.
from kube_emulator.openapi import shared_dir  # noqa: E402

NEEDS_OPENAPI_REASON = ("../shared is not present (set KUBE_SHARED_DIR): kubectl validates manifests "
                        "against the OpenAPI documents the emulator serves from ../shared/testdata/openapi")
needs_openapi = unittest.skipIf(shared_dir() is None, NEEDS_OPENAPI_REASON)


class Emulator:
    """A running kube-emulator process."""

    def __init__(self, *args, env=None):
        self.dir = tempfile.mkdtemp(prefix="emu-test-")
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        cmd = [PYTHON, SCRIPT, "--port", "0", "--write-kubeconfig", self.kubeconfig] + list(args)
        e = dict(os.environ)
        e.update(env or {})
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("ready "):
            err = self.proc.stderr.read().decode()
            self.proc.kill()
            raise RuntimeError("emulator did not start: %r %s" % (line, err))
        self.url = line.split()[1]
        u = urllib.parse.urlsplit(self.url)
        self.host, self.port, self.tls = u.hostname, u.port, u.scheme == "https"
        self.ssl_ctx = None
        self.token = None
        # drain stderr so the process never blocks on a full pipe
        self.stderr = []
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()

    def _drain(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode(errors="replace"))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self._drainer.join(5)
        self.proc.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def conn(self, timeout=30):
        if self.tls:
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout, context=self.ssl_ctx)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, ctype="application/json", timeout=30):
        """Returns (status, headers dict (lower-case keys), parsed JSON or text)."""
        c = self.conn(timeout)
        h = {"Accept": "application/json", "User-Agent": "emutil/1.0 (tests)"}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        h.update(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode()
            h["Content-Type"] = ctype
        c.request(method, path, data, h)
        r = c.getresponse()
        raw = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        hdrs["_all"] = r.getheaders()
        c.close()
        try:
            parsed = json.loads(raw) if raw.strip() and "json" in hdrs.get("content-type", "") else raw.decode()
        except ValueError:
            parsed = raw.decode(errors="replace")
        return r.status, hdrs, parsed

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body, ctype="application/merge-patch+json", **kw):
        return self.request("PATCH", path, body, ctype=ctype, **kw)

    def delete(self, path, body=None, **kw):
        return self.request("DELETE", path, body, **kw)

    def watch(self, path, timeout=10):
        """Open a watch; returns a WatchStream reading newline-delimited events."""
        return WatchStream(self, path, timeout)

    def kubectl(self, *args, timeout=60, input=None, check=True):
        exe = shutil.which("kubectl")
        p = subprocess.run([exe, "--kubeconfig", self.kubeconfig] + list(args), capture_output=True,
                           timeout=timeout, input=input, text=True)
        if check and p.returncode != 0:
            raise AssertionError("kubectl %s failed (%d): %s%s" % (" ".join(args), p.returncode, p.stdout,
                                                                   p.stderr))
        return p

    def wait_for(self, fn, timeout=10, interval=0.05):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            last = fn()
            if last:
                return last
            time.sleep(interval)
        raise AssertionError("condition not met within %ss (last=%r)" % (timeout, last))


class WatchStream:
    def __init__(self, emu, path, timeout):
        self.c = emu.conn(timeout)
        h = {"Accept": "application/json"}
        if emu.token:
            h["Authorization"] = "Bearer " + emu.token
        self.c.request("GET", path, headers=h)
        self.resp = self.c.getresponse()
        self.status = self.resp.status
        self.headers = {k.lower(): v for k, v in self.resp.getheaders()}

    def next(self):
        """The next event dict, or None at end of stream."""
        line = self.resp.readline()
        if not line:
            return None
        return json.loads(line)

    def events(self, n):
        out = []
        for _ in range(n):
            ev = self.next()
            if ev is None:
                break
            out.append(ev)
        return out

    def close(self):
        try:
            self.c.sock.shutdown(2)
        except Exception:
            pass
        self.c.close()


class EmulatorTestCase(unittest.TestCase):
    """One emulator per test class; tests use their own namespaces."""
    emulator_args = ()

    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(*cls.emulator_args)

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    _ns_counter = 0

    def make_ns(self, prefix="t"):
        EmulatorTestCase._ns_counter += 1
        name = "%s-%d-%d" % (prefix, os.getpid() % 1000, EmulatorTestCase._ns_counter)
        st, _, body = self.emu.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                                           "metadata": {"name": name}})
        self.assertEqual(st, 201, body)
        return name


def cm(name, data=None, labels=None):
    m = {"name": name}
    if labels:
        m["labels"] = labels
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": m, "data": data or {"k": "v"}}


def pod(name, labels=None, containers=None):
    m = {"name": name}
    if labels:
        m["labels"] = labels
    return {"apiVersion": "v1", "kind": "Pod", "metadata": m,
            "spec": {"containers": containers if containers is not None else [{"name": "c", "image": "busybox:1.36"}]}}


def deployment(name, replicas=1):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}}
