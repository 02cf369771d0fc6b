"""CustomResourceDefinitions: establishment, discovery, CR semantics, pruning, subresources, deletion."""
import copy
import json
import unittest

from emutil import EmulatorTestCase

AGG = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


def crd(group="example.com", plural="widgets", kind="Widget", scope="Namespaced", short=("wd",)):
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "%s.%s" % (plural, group)},
        "spec": {"group": group, "scope": scope,
                 "names": {"plural": plural, "kind": kind, "shortNames": list(short)},
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas",
                                                                        "statusReplicasPath": ".status.replicas",
                                                                        "labelSelectorPath": ".status.selector"}},
                               "additionalPrinterColumns": [{"name": "Size", "type": "integer",
                                                             "jsonPath": ".spec.size"}],
                               "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                                   "spec": {"type": "object", "properties": {
                                       "size": {"type": "integer", "default": 1},
                                       "replicas": {"type": "integer"},
                                       "color": {"type": "string"}}},
                                   "status": {"type": "object", "properties": {
                                       "replicas": {"type": "integer"}, "selector": {"type": "string"}}}}}}}]}}


def widget(name, **spec):
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": name}, "spec": spec}


class CrdTest(EmulatorTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, _, cls.created = cls.emu.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd())
        assert st == 201, cls.created
        cls.emu.wait_for(lambda: cls.emu.get("/apis/example.com/v1")[0] == 200)

    def test_create_response_and_establishment(self):
        c = self.created
        self.assertEqual(c["metadata"]["generation"], 1)
        self.assertEqual(c["status"]["storedVersions"], ["v1"])
        self.assertEqual(c["spec"]["names"]["singular"], "widget")
        self.assertEqual(c["spec"]["names"]["listKind"], "WidgetList")
        st, _, cur = self.emu.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
        conds = {x["type"]: x for x in cur["status"]["conditions"]}
        self.assertEqual((conds["NamesAccepted"]["status"], conds["NamesAccepted"]["reason"]), ("True", "NoConflicts"))
        self.assertEqual((conds["Established"]["status"], conds["Established"]["reason"],
                          conds["Established"]["message"]),
                         ("True", "InitialNamesAccepted", "the initial names have been accepted"))
        self.assertEqual(cur["status"]["acceptedNames"]["kind"], "Widget")

    def test_discovery(self):
        st, _, rl = self.emu.get("/apis/example.com/v1")
        res = {r["name"]: r for r in rl["resources"]}
        self.assertEqual(res["widgets"]["verbs"], ["delete", "deletecollection", "get", "list", "patch", "create",
                                                   "update", "watch"])
        self.assertEqual(res["widgets"]["shortNames"], ["wd"])
        self.assertIn("widgets/status", res)
        self.assertEqual(res["widgets/scale"]["kind"], "Scale")
        st, h, agg = self.emu.get("/apis", headers={"Accept": AGG})
        groups = [i["metadata"]["name"] for i in agg["items"]]
        self.assertIn("example.com", groups)

    def test_cr_crud_defaults_pruning_and_validation(self):
        ns = self.make_ns()
        base = "/apis/example.com/v1/namespaces/%s/widgets" % ns
        body = widget("w1", color="red")
        body["spec"]["unknown"] = 1
        st, h, e = self.emu.post(base + "?fieldValidation=Strict", body)
        self.assertEqual(st, 400, e)
        self.assertIn('unknown field "spec.unknown"', e["message"])
        st, h, o = self.emu.post(base + "?fieldValidation=Warn", body)
        self.assertEqual(st, 201, o)
        self.assertIn('unknown field \\"spec.unknown\\"', h.get("warning", ""))
        self.assertEqual(o["spec"], {"color": "red", "size": 1})
        self.assertEqual((o["kind"], o["apiVersion"], o["metadata"]["generation"]), ("Widget", "example.com/v1", 1))
        st, _, lst = self.emu.get(base)
        self.assertEqual((lst["kind"], lst["items"][0]["kind"]), ("WidgetList", "Widget"))
        st, _, e = self.emu.get(base + "/missing")
        self.assertEqual(e["message"], 'widgets.example.com "missing" not found')
        st, _, e = self.emu.post(base, widget("bad", size="big"))
        self.assertEqual(st, 422, e)
        # PUT without resourceVersion is rejected for custom resources
        nb = copy.deepcopy(o)
        del nb["metadata"]["resourceVersion"]
        st, _, e = self.emu.put(base + "/w1", nb)
        self.assertEqual(st, 422)
        # strategic merge patch is not supported for CRs
        st, _, e = self.emu.patch(base + "/w1", {"spec": {"color": "blue"}},
                                  ctype="application/strategic-merge-patch+json")
        self.assertEqual(st, 415)
        self.assertNotIn("strategic", e["message"])
        st, _, p = self.emu.patch(base + "/w1", {"spec": {"color": "blue"}})
        self.assertEqual((p["spec"]["color"], p["metadata"]["generation"]), ("blue", 2))

    def test_status_and_scale_subresources(self):
        ns = self.make_ns()
        base = "/apis/example.com/v1/namespaces/%s/widgets" % ns
        body = widget("s", replicas=1)
        body["status"] = {"replicas": 5}
        st, _, o = self.emu.post(base, body)
        self.assertNotIn("status", o)  # status ignored on create
        o["status"] = {"replicas": 2, "selector": "app=s"}
        o["metadata"]["labels"] = {"ignored": "yes"}
        st, _, s = self.emu.put(base + "/s/status", o)
        self.assertEqual(st, 200, s)
        self.assertEqual((s["status"]["replicas"], s["metadata"]["generation"]), (2, 1))
        self.assertNotIn("labels", s["metadata"])
        st, _, sc = self.emu.get(base + "/s/scale")
        self.assertEqual((sc["kind"], sc["apiVersion"], sc["spec"], sc["status"]),
                         ("Scale", "autoscaling/v1", {"replicas": 1}, {"replicas": 2, "selector": "app=s"}))
        st, _, sc2 = self.emu.patch(base + "/s/scale", {"spec": {"replicas": 4}})
        self.assertEqual((st, sc2["spec"]["replicas"]), (200, 4))
        st, _, cur = self.emu.get(base + "/s")
        self.assertEqual((cur["spec"]["replicas"], cur["metadata"]["generation"]), (4, 2))
        sc2["metadata"]["resourceVersion"] = "1"
        st, _, e = self.emu.put(base + "/s/scale", sc2)
        self.assertEqual(st, 409)

    def test_table_uses_printer_columns(self):
        ns = self.make_ns()
        base = "/apis/example.com/v1/namespaces/%s/widgets" % ns
        self.emu.post(base, widget("t", size=7))
        st, _, t = self.emu.get(base, headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
        self.assertEqual(t["kind"], "Table")
        self.assertEqual([c["name"] for c in t["columnDefinitions"]][:2], ["Name", "Size"])
        self.assertEqual(t["rows"][0]["cells"][:2], ["t", 7])

    def test_unknown_group_is_plain_404_and_name_conflict(self):
        st, h, body = self.emu.get("/apis/nothere.example.com/v1/foos")
        self.assertEqual((st, body), (404, "404 page not found\n"))
        other = crd(plural="widgets", group="example.com", kind="Widget")
        other["metadata"]["name"] = "widgets.example.com"
        st, _, e = self.emu.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", other)
        self.assertEqual(st, 409)
        st, _, e = self.emu.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                 dict(crd(), metadata={"name": "wrong.example.com"}))
        self.assertEqual(st, 422)
        # kind conflict with an existing CRD in the same group
        gizmos = crd(plural="gizmos", kind="Widget", short=())
        gizmos["spec"]["names"]["singular"] = "gizmo"
        st, _, c2 = self.emu.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", gizmos)
        self.assertEqual(st, 201, c2)
        path = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com"
        cur = self.emu.wait_for(lambda: (lambda c: c if c.get("status", {}).get("conditions") else None)(
            self.emu.get(path)[2]))
        conds = {x["type"]: x for x in cur["status"]["conditions"]}
        self.assertEqual((conds["NamesAccepted"]["status"], conds["NamesAccepted"]["reason"]),
                         ("False", "KindConflict"))
        st, _, _ = self.emu.get("/apis/example.com/v1/namespaces/default/gizmos")
        self.assertEqual(st, 404)
        self.emu.delete(path)

    def test_deletion_removes_instances_and_discovery(self):
        st, _, c = self.emu.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                 crd(group="del.example.com", plural="things", kind="Thing", short=()))
        self.emu.wait_for(lambda: self.emu.get("/apis/del.example.com/v1")[0] == 200)
        ns = self.make_ns()
        base = "/apis/del.example.com/v1/namespaces/%s/things" % ns
        held = {"apiVersion": "del.example.com/v1", "kind": "Thing", "metadata": {"name": "a"}, "spec": {}}
        st, _, a = self.emu.post(base, held)
        self.assertEqual(st, 201, a)
        w = self.emu.watch(base + "?watch=1&resourceVersion=%s&timeoutSeconds=5" % a["metadata"]["resourceVersion"])
        st, _, d = self.emu.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.del.example.com")
        self.assertEqual(st, 200)
        self.assertEqual(d["kind"], "CustomResourceDefinition")
        self.assertIn("customresourcecleanup.apiextensions.k8s.io", d["metadata"]["finalizers"])
        ev = w.next()
        self.assertEqual((ev["type"], ev["object"]["metadata"]["name"]), ("DELETED", "a"))
        w.close()
        self.emu.wait_for(lambda: self.emu.get("/apis/del.example.com/v1")[0] == 404)
        st, _, _ = self.emu.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.del.example.com")
        self.assertEqual(st, 404)

    def test_multiple_versions(self):
        mv = crd(group="mv.example.com", plural="multis", kind="Multi", short=())
        v1 = mv["spec"]["versions"][0]
        beta = dict(v1, name="v1beta1", storage=False)
        mv["spec"]["versions"] = [beta, v1]
        st, _, c = self.emu.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", mv)
        self.assertEqual(st, 201, c)
        self.emu.wait_for(lambda: self.emu.get("/apis/mv.example.com/v1beta1")[0] == 200)
        st, _, g = self.emu.get("/apis/mv.example.com")
        self.assertEqual([v["version"] for v in g["versions"]], ["v1", "v1beta1"])
        self.assertEqual(g["preferredVersion"]["version"], "v1")
        ns = self.make_ns()
        st, _, o = self.emu.post("/apis/mv.example.com/v1beta1/namespaces/%s/multis" % ns,
                                 {"apiVersion": "mv.example.com/v1beta1", "kind": "Multi", "metadata": {"name": "m"},
                                  "spec": {"size": 2}})
        self.assertEqual((st, o["apiVersion"]), (201, "mv.example.com/v1beta1"))
        st, _, o1 = self.emu.get("/apis/mv.example.com/v1/namespaces/%s/multis/m" % ns)
        self.assertEqual((o1["apiVersion"], o1["spec"]["size"]), ("mv.example.com/v1", 2))
        st, _, state = self.emu.get("/_emulator/state")
        stored = [x for x in state["objects"] if x["kind"] == "Multi"]
        self.assertEqual(stored[0]["apiVersion"], "mv.example.com/v1")  # kept in the storage version

    def test_cluster_scoped_crd(self):
        st, _, c = self.emu.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                 crd(group="cl.example.com", plural="globals", kind="Global", scope="Cluster",
                                     short=()))
        self.emu.wait_for(lambda: self.emu.get("/apis/cl.example.com/v1")[0] == 200)
        st, _, g = self.emu.post("/apis/cl.example.com/v1/globals", {"apiVersion": "cl.example.com/v1",
                                                                     "kind": "Global", "metadata": {"name": "g"}})
        self.assertEqual(st, 201, g)
        self.assertNotIn("namespace", g["metadata"])
        st, _, body = self.emu.get("/apis/cl.example.com/v1/namespaces/default/globals")
        self.assertEqual((st, body), (404, "404 page not found\n"))


if __name__ == "__main__":
    unittest.main()
