"""Discovery (legacy and aggregated), /version, health endpoints, / paths, OpenAPI."""
import json
import os
import unittest

from emutil import EmulatorTestCase
from kube_emulator.resources import storage_version_hash
from kube_emulator.openapi import shared_dir

AGG = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


class StorageVersionHashTest(unittest.TestCase):
    def test_spec_examples(self):
        self.assertEqual(storage_version_hash("", "v1", "Pod"), "xPOwRZ+Yhw8=")
        self.assertEqual(storage_version_hash("apps", "v1", "Deployment"), "8aSe+NMegvE=")
        self.assertEqual(storage_version_hash("coordination.k8s.io", "v1", "Lease"), "gqkMMb/YqFM=")


class DiscoveryTest(EmulatorTestCase):
    def test_legacy_documents(self):
        st, _, api = self.emu.get("/api")
        self.assertEqual(api["kind"], "APIVersions")
        self.assertNotIn("apiVersion", api)
        self.assertEqual(api["versions"], ["v1"])
        self.assertEqual(api["serverAddressByClientCIDRs"][0]["clientCIDR"], "0.0.0.0/0")
        st, _, apis = self.emu.get("/apis")
        self.assertEqual((apis["kind"], apis["apiVersion"]), ("APIGroupList", "v1"))
        self.assertEqual(apis["groups"][0]["name"], "apiregistration.k8s.io")
        names = [g["name"] for g in apis["groups"]]
        self.assertNotIn("", names)
        for g in ("apps", "batch", "coordination.k8s.io", "events.k8s.io", "apiextensions.k8s.io",
                  "rbac.authorization.k8s.io", "policy", "certificates.k8s.io", "discovery.k8s.io"):
            self.assertIn(g, names)
        st, _, apps = self.emu.get("/apis/apps")
        self.assertEqual(apps, {"kind": "APIGroup", "apiVersion": "v1", "name": "apps",
                                "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
                                "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}})
        st, _, v1 = self.emu.get("/api/v1")
        self.assertEqual((v1["kind"], v1["groupVersion"]), ("APIResourceList", "v1"))
        self.assertNotIn("apiVersion", v1)
        pods = [r for r in v1["resources"] if r["name"] == "pods"][0]
        self.assertEqual(pods, {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod",
                                "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update",
                                          "watch"], "shortNames": ["po"], "categories": ["all"],
                                "storageVersionHash": "xPOwRZ+Yhw8="})
        names = [r["name"] for r in v1["resources"]]
        self.assertEqual(names, sorted(names))
        self.assertIn("pods/exec", names)
        ev = [r for r in v1["resources"] if r["name"] == "pods/eviction"][0]
        self.assertEqual((ev["group"], ev["version"], ev["kind"], ev["singularName"]), ("policy", "v1", "Eviction", ""))
        st, _, av1 = self.emu.get("/apis/apps/v1")
        self.assertEqual(av1["apiVersion"], "v1")
        dep = [r for r in av1["resources"] if r["name"] == "deployments"][0]
        self.assertEqual(dep["storageVersionHash"], "8aSe+NMegvE=")
        scale = [r for r in av1["resources"] if r["name"] == "deployments/scale"][0]
        self.assertEqual((scale["group"], scale["version"], scale["kind"]), ("autoscaling", "v1", "Scale"))
        st, _, coord = self.emu.get("/apis/coordination.k8s.io/v1")
        self.assertEqual([r["storageVersionHash"] for r in coord["resources"] if r["name"] == "leases"],
                         ["gqkMMb/YqFM="])

    def test_aggregated(self):
        for path, core in (("/api", True), ("/apis", False)):
            st, h, body = self.emu.get(path, headers={"Accept": AGG + ",application/json"})
            self.assertEqual(st, 200)
            self.assertEqual(h["content-type"], AGG)
            self.assertEqual(h["vary"], "Accept")
            etag = h["etag"]
            self.assertTrue(etag.startswith('"'))
            body = json.loads(body) if isinstance(body, str) else body
            self.assertEqual((body["kind"], body["apiVersion"]), ("APIGroupDiscoveryList", "apidiscovery.k8s.io/v2"))
            if core:
                self.assertEqual(body["items"][0]["metadata"], {"creationTimestamp": None})
                res = {r["resource"]: r for r in body["items"][0]["versions"][0]["resources"]}
                self.assertEqual(res["pods"]["scope"], "Namespaced")
                self.assertEqual(res["pods"]["responseKind"], {"group": "", "version": "", "kind": "Pod"})
                self.assertIn({"subresource": "exec", "responseKind": {"group": "", "version": "",
                                                                       "kind": "PodExecOptions"},
                               "verbs": ["create", "get"]}, res["pods"]["subresources"])
                self.assertEqual(res["nodes"]["scope"], "Cluster")
            else:
                self.assertEqual(body["items"][0]["metadata"]["name"], "apiregistration.k8s.io")
                apps = [i for i in body["items"] if i["metadata"]["name"] == "apps"][0]
                dep = [r for r in apps["versions"][0]["resources"] if r["resource"] == "deployments"][0]
                self.assertEqual(dep["subresources"][0]["responseKind"],
                                 {"group": "autoscaling", "version": "v1", "kind": "Scale"})
                self.assertEqual(apps["versions"][0]["freshness"], "Current")
            st, h, _ = self.emu.get(path, headers={"Accept": AGG, "If-None-Match": etag})
            self.assertEqual(st, 304)
        st, h, _ = self.emu.get("/apis", headers={"Accept": "application/json"})
        self.assertEqual(h["content-type"], "application/json")

    def test_version_health_and_root(self):
        st, h, body = self.emu.get("/version")
        raw = body if isinstance(body, str) else json.dumps(body)
        st, h, _ = self.emu.get("/version")
        self.assertEqual(st, 200)
        c = self.emu.conn()
        c.request("GET", "/version")
        text = c.getresponse().read().decode()
        self.assertTrue(text.startswith('{\n  "major": "1",\n  "minor": "32",'))
        self.assertNotIn("kind", json.loads(text))
        for ep in ("healthz", "livez", "readyz"):
            st, h, body = self.emu.get("/" + ep)
            self.assertEqual((st, body, h["content-type"]), (200, "ok", "text/plain; charset=utf-8"))
            self.assertEqual(h["x-content-type-options"], "nosniff")
            st, h, body = self.emu.get("/%s?verbose" % ep)
            self.assertTrue(body.startswith("[+]ping ok\n"))
            self.assertTrue(body.endswith("%s check passed\n" % ep))
        st, h, body = self.emu.get("/readyz?verbose&exclude=etcd")
        self.assertIn("[+]etcd excluded: ok", body)
        st, h, body = self.emu.get("/livez/ping")
        self.assertEqual(body, "ok")
        st, h, body = self.emu.get("/")
        self.assertIn("/apis/apps/v1", body["paths"])
        self.assertEqual(body["paths"], sorted(body["paths"]))

    @unittest.skipIf(shared_dir() is None, "../shared not present: no OpenAPI files to serve")
    def test_openapi(self):
        st, h, body = self.emu.get("/openapi/v2")
        self.assertEqual(st, 200)
        self.assertEqual(body["swagger"], "2.0")
        st, h, idx = self.emu.get("/openapi/v3")
        self.assertEqual(st, 200)
        self.assertIn("api/v1", idx["paths"])
        self.assertIn("apis/batch/v1", idx["paths"])
        url = idx["paths"]["apis/batch/v1"]["serverRelativeURL"]
        st, h, doc = self.emu.get(url)
        self.assertEqual(st, 200)
        self.assertEqual(h["cache-control"], "public, immutable")
        self.assertEqual(doc["openapi"], "3.0.0")
        self.assertIn("io.k8s.api.batch.v1.Job", doc["components"]["schemas"])
        self.assertIn("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", doc["components"]["schemas"])
        st, h, _ = self.emu.get("/openapi/v3/apis/batch/v1?hash=wrong")
        self.assertEqual(st, 301)
        self.assertEqual(h["location"], url)
        st, h, core = self.emu.get(idx["paths"]["api/v1"]["serverRelativeURL"])
        self.assertIn("io.k8s.api.core.v1.Pod", core["components"]["schemas"])
        st, _, _ = self.emu.get("/openapi/v3/apis/nope/v1")
        self.assertEqual(st, 404)


if __name__ == "__main__":
    unittest.main()
