"""Garbage collection through ownerReferences: background, foreground (blockOwnerDeletion), orphan."""
import time
import unittest

from emutil import EmulatorTestCase, cm


class GcTest(EmulatorTestCase):
    def owner_and_dependents(self, ns, name, n=2, block=True, finalizer=None):
        _, _, owner = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm(name))
        ref = {"apiVersion": "v1", "kind": "ConfigMap", "name": name, "uid": owner["metadata"]["uid"]}
        if block:
            ref["blockOwnerDeletion"] = True
        for i in range(n):
            body = cm("%s-dep%d" % (name, i))
            body["metadata"]["ownerReferences"] = [ref]
            if finalizer and i == 0:
                body["metadata"]["finalizers"] = [finalizer]
            st, _, _ = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, body)
            self.assertEqual(st, 201)
        return owner

    def names(self, ns):
        _, _, body = self.emu.get("/api/v1/namespaces/%s/configmaps" % ns)
        return sorted(o["metadata"]["name"] for o in body["items"])

    def test_background(self):
        ns = self.make_ns()
        self.owner_and_dependents(ns, "o")
        st, _, body = self.emu.delete("/api/v1/namespaces/%s/configmaps/o" % ns,
                                      {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"})
        self.assertEqual((st, body["status"]), (200, "Success"))
        self.emu.wait_for(lambda: self.names(ns) == [])

    def test_foreground_waits_for_blocking_dependents(self):
        ns = self.make_ns()
        self.owner_and_dependents(ns, "o", finalizer="example.com/hold")
        st, _, body = self.emu.delete("/api/v1/namespaces/%s/configmaps/o" % ns,
                                      {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground"})
        self.assertEqual(st, 200)
        self.assertIn("foregroundDeletion", body["metadata"]["finalizers"])
        self.assertTrue(body["metadata"]["deletionTimestamp"])
        # dep1 goes, dep0 is held by its finalizer, so the owner stays
        self.emu.wait_for(lambda: self.names(ns) == ["o", "o-dep0"])
        time.sleep(0.3)
        self.assertEqual(self.names(ns), ["o", "o-dep0"])
        self.emu.patch("/api/v1/namespaces/%s/configmaps/o-dep0" % ns, {"metadata": {"finalizers": None}})
        self.emu.wait_for(lambda: self.names(ns) == [])

    def test_foreground_non_blocking_dependent_does_not_block(self):
        ns = self.make_ns()
        self.owner_and_dependents(ns, "o", n=1, block=False, finalizer="example.com/hold")
        self.emu.delete("/api/v1/namespaces/%s/configmaps/o" % ns, {"propagationPolicy": "Foreground"})
        self.emu.wait_for(lambda: self.names(ns) == ["o-dep0"])

    def test_orphan(self):
        ns = self.make_ns()
        self.owner_and_dependents(ns, "o")
        st, _, body = self.emu.delete("/api/v1/namespaces/%s/configmaps/o?propagationPolicy=Orphan" % ns)
        self.assertEqual(st, 200)
        self.assertIn("orphan", body["metadata"]["finalizers"])
        self.emu.wait_for(lambda: self.names(ns) == ["o-dep0", "o-dep1"])
        _, _, dep = self.emu.get("/api/v1/namespaces/%s/configmaps/o-dep0" % ns)
        self.assertNotIn("ownerReferences", dep["metadata"])

    def test_delete_options_validation(self):
        ns = self.make_ns()
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("x"))
        st, _, e = self.emu.delete("/api/v1/namespaces/%s/configmaps/x" % ns,
                                   {"propagationPolicy": "Orphan", "orphanDependents": True})
        self.assertEqual(st, 422)
        st, _, e = self.emu.delete("/api/v1/namespaces/%s/configmaps/x" % ns, {"propagationPolicy": "Sideways"})
        self.assertEqual(st, 422)

    def test_cross_kind_and_watch_sees_cascade(self):
        ns = self.make_ns()
        _, _, d = self.emu.post("/apis/apps/v1/namespaces/%s/deployments" % ns, {
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
            "spec": {"selector": {"matchLabels": {"a": "b"}},
                     "template": {"metadata": {"labels": {"a": "b"}},
                                  "spec": {"containers": [{"name": "c", "image": "x:1"}]}}}})
        rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
              "metadata": {"name": "d-1", "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment",
                                                                "name": "d", "uid": d["metadata"]["uid"],
                                                                "controller": True, "blockOwnerDeletion": True}]},
              "spec": {"selector": {"matchLabels": {"a": "b"}},
                       "template": {"metadata": {"labels": {"a": "b"}},
                                    "spec": {"containers": [{"name": "c", "image": "x:1"}]}}}}
        _, _, r = self.emu.post("/apis/apps/v1/namespaces/%s/replicasets" % ns, rs)
        w = self.emu.watch("/apis/apps/v1/namespaces/%s/replicasets?watch=1&resourceVersion=%s&timeoutSeconds=5"
                           % (ns, r["metadata"]["resourceVersion"]))
        self.emu.delete("/apis/apps/v1/namespaces/%s/deployments/d" % ns)
        ev = w.next()
        self.assertEqual((ev["type"], ev["object"]["metadata"]["name"]), ("DELETED", "d-1"))
        w.close()


if __name__ == "__main__":
    unittest.main()
