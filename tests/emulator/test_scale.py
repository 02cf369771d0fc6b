"""The scale subresource of built-in workloads (deployments, replicasets, statefulsets)."""
import unittest

from emutil import EmulatorTestCase, deployment


class ScaleTest(EmulatorTestCase):
    def test_deployment_scale(self):
        ns = self.make_ns()
        _, _, d = self.emu.post("/apis/apps/v1/namespaces/%s/deployments" % ns, deployment("d", 2))
        path = "/apis/apps/v1/namespaces/%s/deployments/d/scale" % ns
        st, _, sc = self.emu.get(path)
        self.assertEqual(st, 200)
        self.assertEqual(sc, {"kind": "Scale", "apiVersion": "autoscaling/v1",
                              "metadata": {"name": "d", "namespace": ns, "uid": d["metadata"]["uid"],
                                           "resourceVersion": d["metadata"]["resourceVersion"],
                                           "creationTimestamp": d["metadata"]["creationTimestamp"]},
                              "spec": {"replicas": 2}, "status": {"replicas": 0, "selector": "app=d"}})
        sc["spec"]["replicas"] = 5
        st, _, sc2 = self.emu.put(path, sc)
        self.assertEqual((st, sc2["spec"]["replicas"]), (200, 5))
        _, _, d2 = self.emu.get("/apis/apps/v1/namespaces/%s/deployments/d" % ns)
        self.assertEqual((d2["spec"]["replicas"], d2["metadata"]["generation"]), (5, 2))
        st, _, e = self.emu.put(path, sc)  # stale resourceVersion
        self.assertEqual((st, e["reason"]), (409, "Conflict"))
        st, _, sc3 = self.emu.patch(path, {"spec": {"replicas": 1}})
        self.assertEqual(sc3["spec"]["replicas"], 1)
        st, _, sc4 = self.emu.patch(path, [{"op": "replace", "path": "/spec/replicas", "value": 3}],
                                    ctype="application/json-patch+json")
        self.assertEqual(sc4["spec"]["replicas"], 3)
        st, _, e = self.emu.patch(path, {"spec": {"replicas": -1}})
        self.assertEqual(st, 422)

    def test_statefulset_and_replicaset_scale(self):
        ns = self.make_ns()
        for kind, plural in (("StatefulSet", "statefulsets"), ("ReplicaSet", "replicasets")):
            body = deployment("w", 1)
            body["kind"] = kind
            st, _, o = self.emu.post("/apis/apps/v1/namespaces/%s/%s" % (ns, plural), body)
            self.assertEqual(st, 201, o)
            st, _, sc = self.emu.patch("/apis/apps/v1/namespaces/%s/%s/w/scale" % (ns, plural),
                                       {"spec": {"replicas": 6}})
            self.assertEqual((st, sc["spec"]["replicas"]), (200, 6))
        st, _, _ = self.emu.get("/apis/apps/v1/namespaces/%s/daemonsets/x/scale" % ns)
        self.assertEqual(st, 404)

    def test_status_subresource_of_builtin(self):
        ns = self.make_ns()
        _, _, d = self.emu.post("/apis/apps/v1/namespaces/%s/deployments" % ns, deployment("s", 1))
        path = "/apis/apps/v1/namespaces/%s/deployments/s/status" % ns
        st, _, p = self.emu.patch(path, {"status": {"replicas": 1, "readyReplicas": 1}, "spec": {"replicas": 9}})
        self.assertEqual(st, 200, p)
        self.assertEqual((p["status"]["readyReplicas"], p["spec"]["replicas"], p["metadata"]["generation"]),
                         (1, 1, 1))
        mf = [(m["manager"], m.get("subresource")) for m in p["metadata"].get("managedFields", [])]
        self.assertIn("status", [s for _, s in mf])


if __name__ == "__main__":
    unittest.main()
