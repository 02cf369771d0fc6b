"""Authentication: --tls (generated CA, server and client certificates) and --token."""
import base64
import os
import shutil
import ssl
import tempfile
import unittest

import yaml

from emutil import Emulator, EmulatorTestCase


def ssl_from_kubeconfig(path, with_client=True):
    cfg = yaml.safe_load(open(path))
    cluster = cfg["clusters"][0]["cluster"]
    user = cfg["users"][0]["user"]
    d = tempfile.mkdtemp()
    ca = os.path.join(d, "ca.crt")
    open(ca, "wb").write(base64.b64decode(cluster["certificate-authority-data"]))
    ctx = ssl.create_default_context(cafile=ca)
    if with_client and "client-certificate-data" in user:
        crt, key = os.path.join(d, "c.crt"), os.path.join(d, "c.key")
        open(crt, "wb").write(base64.b64decode(user["client-certificate-data"]))
        open(key, "wb").write(base64.b64decode(user["client-key-data"]))
        ctx.load_cert_chain(crt, key)
    shutil.rmtree(d)
    return ctx, cfg


class TlsTest(EmulatorTestCase):
    emulator_args = ("--tls",)

    def test_client_certificate_user(self):
        self.assertTrue(self.emu.url.startswith("https://127.0.0.1:"))
        ctx, cfg = ssl_from_kubeconfig(self.emu.kubeconfig)
        self.assertEqual(cfg["clusters"][0]["cluster"]["server"], self.emu.url)
        self.emu.ssl_ctx = ctx
        st, _, body = self.emu.post("/apis/authentication.k8s.io/v1/selfsubjectreviews",
                                    {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
        self.assertEqual(st, 201, body)
        self.assertEqual(body["status"]["userInfo"]["username"], "emulator-admin")
        self.assertIn("system:masters", body["status"]["userInfo"]["groups"])

    def test_no_client_certificate_is_401(self):
        ctx, _ = ssl_from_kubeconfig(self.emu.kubeconfig, with_client=False)
        self.emu.ssl_ctx = ctx
        try:
            st, _, body = self.emu.get("/api/v1/namespaces")
        finally:
            self.emu.ssl_ctx = None
        self.assertEqual((st, body["reason"]), (401, "Unauthorized"))

    def test_server_certificate_names(self):
        ctx, _ = ssl_from_kubeconfig(self.emu.kubeconfig)
        import http.client
        c = http.client.HTTPSConnection("localhost", self.emu.port, context=ctx, timeout=10)
        c.request("GET", "/version")
        self.assertEqual(c.getresponse().status, 200)
        c.close()

    @unittest.skipIf(shutil.which("kubectl") is None, "kubectl is not on PATH")
    def test_kubectl_over_tls(self):
        out = self.emu.kubectl("auth", "whoami").stdout
        self.assertIn("emulator-admin", out)
        self.assertIn("default", self.emu.kubectl("get", "ns", "-o", "name").stdout)


class TokenTest(EmulatorTestCase):
    emulator_args = ("--token", "sekret")

    def test_bearer_tokens(self):
        st, _, body = self.emu.get("/api/v1/namespaces")
        self.assertEqual(body, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                "message": "Unauthorized", "reason": "Unauthorized", "code": 401})
        st, _, body = self.emu.get("/api/v1/namespaces", headers={"Authorization": "Bearer wrong"})
        self.assertEqual(st, 401)
        st, _, body = self.emu.get("/api/v1/namespaces", headers={"Authorization": "bearer sekret"})
        self.assertEqual(st, 200)
        cfg = yaml.safe_load(open(self.emu.kubeconfig))
        self.assertEqual(cfg["users"][0]["user"]["token"], "sekret")
        # websocket bearer subprotocol authenticates too (checked before the handshake)
        b64 = base64.urlsafe_b64encode(b"sekret").rstrip(b"=").decode()
        st, _, body = self.emu.get("/api/v1/namespaces", headers={
            "Upgrade": "websocket", "Connection": "Upgrade",
            "Sec-WebSocket-Protocol": "v4.channel.k8s.io, base64url.bearer.authorization.k8s.io.%s" % b64})
        self.assertEqual(st, 200)
        # a TokenRequest token authenticates as the service account
        self.emu.token = "sekret"
        st, _, tr = self.emu.post("/api/v1/namespaces/default/serviceaccounts/default/token",
                                  {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}})
        self.emu.token = tr["status"]["token"]
        st, _, who = self.emu.post("/apis/authentication.k8s.io/v1/selfsubjectreviews",
                                   {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
        self.emu.token = None
        self.assertEqual(who["status"]["userInfo"]["username"], "system:serviceaccount:default:default")



class TlsTokenTest(EmulatorTestCase):
    # kubectl (client-go) never sends a bearer token over plain http, so tokens are shown with --tls
    emulator_args = ("--tls", "--token", "sekret")

    @unittest.skipIf(shutil.which("kubectl") is None, "kubectl is not on PATH")
    def test_kubectl_with_token(self):
        self.assertIn("namespace/default", self.emu.kubectl("get", "ns", "-o", "name").stdout)
        cfg = yaml.safe_load(open(self.emu.kubeconfig))
        self.assertEqual(cfg["users"][0]["user"]["token"], "sekret")
        ctx, _ = ssl_from_kubeconfig(self.emu.kubeconfig, with_client=False)
        self.emu.ssl_ctx = ctx
        self.emu.token = "sekret"
        st, _, _ = self.emu.get("/api/v1/namespaces")
        self.assertEqual(st, 200)
        self.emu.token = "wrong"
        st, _, _ = self.emu.get("/api/v1/namespaces")
        self.assertEqual(st, 401)


class ImpersonationTest(EmulatorTestCase):
    def whoami(self, headers):
        return self.emu.post("/apis/authentication.k8s.io/v1/selfsubjectreviews",
                             {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"},
                             headers=headers)

    def test_impersonation_headers(self):
        st, _, body = self.whoami({"Impersonate-User": "bob", "Impersonate-Group": "devs"})
        self.assertEqual(body["status"]["userInfo"], {"username": "bob", "groups": ["devs", "system:authenticated"]})
        st, _, body = self.whoami({"Impersonate-User": "system:anonymous"})
        self.assertEqual(body["status"]["userInfo"]["groups"], ["system:unauthenticated"])
        st, _, body = self.whoami({"Impersonate-Group": "devs"})
        self.assertEqual(st, 400)
        self.assertIn("without impersonating a user", body["message"])

    @unittest.skipIf(shutil.which("kubectl") is None, "kubectl is not on PATH")
    def test_kubectl_as(self):
        out = self.emu.kubectl("auth", "whoami", "--as", "alice").stdout
        self.assertIn("alice", out)


class SignalTest(unittest.TestCase):
    def test_sigterm_stops_cleanly(self):
        emu = Emulator()
        emu.proc.terminate()
        self.assertEqual(emu.proc.wait(10), 0)
        emu.stop()


if __name__ == "__main__":
    unittest.main()
