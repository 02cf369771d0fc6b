"""List: selectors, pagination with continue tokens, resourceVersion semantics."""
import base64
import json
import unittest

from emutil import EmulatorTestCase, cm, pod


class ListTest(EmulatorTestCase):
    def fill(self, ns, n=5):
        for i in range(n):
            st, _, _ = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns,
                                     cm("cm-%d" % i, labels={"i": str(i), "even": str(i % 2 == 0).lower(),
                                                             "tier": ["web", "db", "cache"][i % 3]}))
            self.assertEqual(st, 201)

    def names(self, path):
        st, _, body = self.emu.get(path)
        self.assertEqual(st, 200, body)
        return [o["metadata"]["name"] for o in body["items"]]

    def test_label_selectors(self):
        ns = self.make_ns()
        self.fill(ns)
        base = "/api/v1/namespaces/%s/configmaps?labelSelector=" % ns
        self.assertEqual(self.names(base + "even%3Dtrue"), ["cm-0", "cm-2", "cm-4"])
        self.assertEqual(self.names(base + "even!%3Dtrue"), ["cm-1", "cm-3"])
        self.assertEqual(self.names(base + "tier+in+(web,+db)"), ["cm-0", "cm-1", "cm-3", "cm-4"])
        self.assertEqual(self.names(base + "tier+notin+(web)"), ["cm-1", "cm-2", "cm-4"])
        self.assertEqual(self.names(base + "i>2"), ["cm-3", "cm-4"])
        self.assertEqual(self.names(base + "i<1"), ["cm-0"])
        self.assertEqual(self.names(base + "!nothere,tier==db"), ["cm-1", "cm-4"])
        self.assertEqual(self.names(base + "tier"), ["cm-0", "cm-1", "cm-2", "cm-3", "cm-4"])
        st, _, e = self.emu.get(base + "tier+in+web")
        self.assertEqual((st, e["reason"]), (400, "BadRequest"))
        st, _, e = self.emu.get(base + "a%3D%3D%3D")
        self.assertEqual(st, 400)

    def test_field_selectors(self):
        ns = self.make_ns()
        self.fill(ns, 3)
        base = "/api/v1/namespaces/%s/configmaps?fieldSelector=" % ns
        self.assertEqual(self.names(base + "metadata.name%3Dcm-1"), ["cm-1"])
        self.assertEqual(self.names(base + "metadata.name!%3Dcm-1"), ["cm-0", "cm-2"])
        st, _, e = self.emu.get(base + "spec.foo%3Dx")
        self.assertEqual((st, e["message"]), (400, "field label not supported: spec.foo"))
        self.emu.post("/api/v1/namespaces/%s/secrets" % ns, {"apiVersion": "v1", "kind": "Secret",
                                                             "metadata": {"name": "s"}, "type": "kubernetes.io/tls",
                                                             "data": {}})
        self.emu.post("/api/v1/namespaces/%s/secrets" % ns, {"apiVersion": "v1", "kind": "Secret",
                                                             "metadata": {"name": "o"}})
        self.assertEqual(self.names("/api/v1/namespaces/%s/secrets?fieldSelector=type%%3DOpaque" % ns), ["o"])
        self.emu.post("/api/v1/namespaces/%s/pods" % ns, pod("p"))
        self.emu.wait_for(lambda: self.names("/api/v1/pods?fieldSelector=status.phase%%3DRunning,"
                                             "metadata.namespace%%3D%s" % ns) == ["p"])
        self.assertEqual(self.names("/api/v1/pods?fieldSelector=spec.nodeName%%3Demulator-node,"
                                    "metadata.namespace%%3D%s" % ns), ["p"])

    def test_pagination(self):
        ns = self.make_ns()
        self.fill(ns, 5)
        path = "/api/v1/namespaces/%s/configmaps?limit=2" % ns
        st, _, p1 = self.emu.get(path)
        self.assertEqual([o["metadata"]["name"] for o in p1["items"]], ["cm-0", "cm-1"])
        self.assertEqual(p1["metadata"]["remainingItemCount"], 3)
        tok = p1["metadata"]["continue"]
        d = json.loads(base64.urlsafe_b64decode(tok + "=" * (-len(tok) % 4)))
        self.assertEqual(d, {"v": "meta.k8s.io/v1", "rv": int(p1["metadata"]["resourceVersion"]),
                             "start": "cm-1\u0000"})
        # a write between pages is not visible (snapshot)
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("cm-2a"))
        st, _, p2 = self.emu.get(path + "&continue=" + tok)
        self.assertEqual([o["metadata"]["name"] for o in p2["items"]], ["cm-2", "cm-3"])
        self.assertEqual(p2["metadata"]["resourceVersion"], p1["metadata"]["resourceVersion"])
        st, _, p3 = self.emu.get(path + "&continue=" + p2["metadata"]["continue"])
        self.assertEqual([o["metadata"]["name"] for o in p3["items"]], ["cm-4"])
        self.assertNotIn("continue", p3["metadata"])
        # selectors: no remainingItemCount
        st, _, s1 = self.emu.get(path + "&labelSelector=tier")
        self.assertNotIn("remainingItemCount", s1["metadata"])
        # bad token, token with RV
        st, _, e = self.emu.get(path + "&continue=garbage")
        self.assertEqual(st, 400)
        self.assertIn("invalid continue token", e["message"])
        st, _, e = self.emu.get(path + "&continue=%s&resourceVersion=5" % tok)
        self.assertEqual((st, e["message"]), (400, "specifying resource version is not allowed when using continue"))

    def test_continue_expired_after_compaction(self):
        ns = self.make_ns()
        self.fill(ns, 3)
        st, _, p1 = self.emu.get("/api/v1/namespaces/%s/configmaps?limit=1" % ns)
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("later"))
        self.emu.post("/_emulator/compact", {})
        st, _, e = self.emu.get("/api/v1/namespaces/%s/configmaps?limit=1&continue=%s"
                                % (ns, p1["metadata"]["continue"]))
        self.assertEqual((st, e["reason"]), (410, "Expired"))
        self.assertTrue(e["message"].startswith("The provided continue parameter is too old to display a consistent "
                                                "list result."))
        tok = e["metadata"]["continue"]
        d = json.loads(base64.urlsafe_b64decode(tok + "=" * (-len(tok) % 4)))
        self.assertEqual(d["rv"], -1)
        st, _, p = self.emu.get("/api/v1/namespaces/%s/configmaps?limit=10&continue=%s" % (ns, tok))
        self.assertEqual([o["metadata"]["name"] for o in p["items"]], ["cm-1", "cm-2", "later"])

    def test_resource_version_semantics(self):
        ns = self.make_ns()
        self.fill(ns, 2)
        base = "/api/v1/namespaces/%s/configmaps" % ns
        st, _, cur = self.emu.get(base)
        rv = int(cur["metadata"]["resourceVersion"])
        st, _, e = self.emu.get(base + "?resourceVersionMatch=Exact")
        self.assertEqual(st, 422)
        self.assertIn("resourceVersionMatch is forbidden unless resourceVersion is provided", e["message"])
        st, _, e = self.emu.get(base + "?resourceVersionMatch=Exact&resourceVersion=0")
        self.assertEqual(st, 422)
        st, _, e = self.emu.get(base + "?resourceVersion=abc")
        self.assertEqual(st, 400)
        st, _, ok = self.emu.get(base + "?resourceVersion=%d&resourceVersionMatch=NotOlderThan" % rv)
        self.assertEqual(st, 200)
        st, _, ok = self.emu.get(base + "?resourceVersion=%d&resourceVersionMatch=Exact" % rv)
        self.assertEqual((st, len(ok["items"])), (200, 2))
        st, h, e = self.emu.get(base + "?resourceVersion=%d" % (rv + 100000))
        self.assertEqual((st, e["reason"], h.get("retry-after")), (504, "Timeout", "1"))
        self.assertEqual(e["details"]["causes"][0]["reason"], "ResourceVersionTooLarge")
        st, _, e = self.emu.get(base + "?sendInitialEvents=true")
        self.assertEqual(st, 422)
        # namespace that does not exist: empty list
        st, _, empty = self.emu.get("/api/v1/namespaces/does-not-exist/configmaps")
        self.assertEqual((st, empty["items"]), (200, []))

    def test_list_items_without_type_meta_and_cross_namespace(self):
        ns = self.make_ns()
        self.fill(ns, 1)
        st, _, body = self.emu.get("/api/v1/namespaces/%s/configmaps" % ns)
        self.assertEqual((body["kind"], body["apiVersion"]), ("ConfigMapList", "v1"))
        self.assertNotIn("kind", body["items"][0])
        st, _, body = self.emu.get("/api/v1/configmaps?labelSelector=tier")
        self.assertIn(ns, [o["metadata"]["namespace"] for o in body["items"]])

    def test_big_table_matches_small_tables(self):
        # lists of 64+ rows splice cached metadata encodings into the Table; the result must not differ
        ns = self.make_ns()
        for i in range(70):
            self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("c%02d" % i, labels={"i": str(i)}))
        accept = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}
        st, _, big = self.emu.get("/api/v1/namespaces/%s/configmaps" % ns, headers=accept)
        self.assertEqual(len(big["rows"]), 70)
        for i in (0, 33, 69):
            st, _, one = self.emu.get("/api/v1/namespaces/%s/configmaps?fieldSelector=metadata.name%%3Dc%02d" % (ns, i),
                                      headers=accept)
            self.assertEqual(big["rows"][i], one["rows"][0])
        self.assertEqual(big["rows"][5]["object"]["kind"], "PartialObjectMetadata")
        self.assertEqual(big["rows"][5]["object"]["metadata"]["labels"], {"i": "5"})

    def test_deletecollection(self):
        ns = self.make_ns()
        self.fill(ns, 4)
        st, _, body = self.emu.delete("/api/v1/namespaces/%s/configmaps?labelSelector=even%%3Dtrue" % ns)
        self.assertEqual((st, body["kind"]), (200, "ConfigMapList"))
        self.assertEqual(sorted(o["metadata"]["name"] for o in body["items"]), ["cm-0", "cm-2"])
        self.assertEqual(self.names("/api/v1/namespaces/%s/configmaps" % ns), ["cm-1", "cm-3"])


if __name__ == "__main__":
    unittest.main()
