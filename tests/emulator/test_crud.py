"""CRUD semantics: metadata set by the server, conflicts, validation, deletion, dry-run, negotiation."""
import time
import unittest
import uuid

from emutil import EmulatorTestCase, cm, pod, deployment
from kube_emulator.openapi import shared_dir


class CrudTest(EmulatorTestCase):
    def test_create_sets_metadata_and_global_rv(self):
        ns = self.make_ns()
        st, h, a = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("a"))
        self.assertEqual(st, 201, a)
        self.assertEqual(h["cache-control"], "no-cache, private")
        self.assertTrue(h.get("audit-id"))
        m = a["metadata"]
        uuid.UUID(m["uid"])
        self.assertRegex(m["creationTimestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(m["namespace"], ns)
        self.assertNotIn("generation", m)
        self.assertEqual(list(a)[:3], ["kind", "apiVersion", "metadata"])
        st, _, b = self.emu.post("/apis/apps/v1/namespaces/%s/deployments" % ns, deployment("d"))
        self.assertEqual(st, 201, b)
        self.assertEqual(b["metadata"]["generation"], 1)
        self.assertGreater(int(b["metadata"]["resourceVersion"]), int(m["resourceVersion"]))
        st, _, lst = self.emu.get("/api/v1/namespaces/%s/configmaps" % ns)
        self.assertGreaterEqual(int(lst["metadata"]["resourceVersion"]), int(b["metadata"]["resourceVersion"]))
        # client uid/creationTimestamp are ignored
        body = cm("b")
        body["metadata"]["uid"] = "x"
        st, _, c = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, body)
        self.assertNotEqual(c["metadata"]["uid"], "x")

    def test_generate_name_and_errors(self):
        ns = self.make_ns()
        st, _, o = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns,
                                 {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "gen-"}})
        self.assertEqual(st, 201)
        self.assertRegex(o["metadata"]["name"], r"^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$")
        st, _, e = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns,
                                 {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})
        self.assertEqual(st, 422)
        self.assertEqual(e["message"], 'ConfigMap "" is invalid: metadata.name: Required value: name or '
                                       'generateName is required')
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("dup"))
        st, _, e = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("dup"))
        self.assertEqual(st, 409)
        self.assertEqual(e, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                             "message": 'configmaps "dup" already exists', "reason": "AlreadyExists",
                             "details": {"name": "dup", "kind": "configmaps"}, "code": 409})
        st, _, e = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("Bad_Name"))
        self.assertEqual(st, 422)
        self.assertEqual(e["details"]["causes"][0]["field"], "metadata.name")
        self.assertEqual(e["details"]["kind"], "ConfigMap")
        st, _, e = self.emu.get("/api/v1/namespaces/%s/configmaps/missing" % ns)
        self.assertEqual((st, e["message"], e["details"]), (404, 'configmaps "missing" not found',
                                                             {"name": "missing", "kind": "configmaps"}))
        st, _, e = self.emu.get("/apis/apps/v1/namespaces/%s/deployments/missing" % ns)
        self.assertEqual(e["message"], 'deployments.apps "missing" not found')
        st, _, e = self.emu.post("/api/v1/namespaces/nope-ns/configmaps", cm("x"))
        self.assertEqual((st, e["message"]), (404, 'namespaces "nope-ns" not found'))
        body = cm("rvset")
        body["metadata"]["resourceVersion"] = "5"
        st, _, e = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, body)
        self.assertEqual((st, e["message"]), (500, "resourceVersion should not be set on objects to be created"))
        st, _, e = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns,
                                 {"apiVersion": "v2", "kind": "ConfigMap", "metadata": {"name": "v"}})
        self.assertEqual(st, 400)
        st, _, e = self.emu.post("/api/v1/namespaces/%s/pods" % ns, pod("nocontainers", containers=[]))
        self.assertEqual(st, 422)
        self.assertIn("spec.containers: Required value", e["message"])

    def test_update_conflict_and_generation(self):
        ns = self.make_ns()
        _, _, d = self.emu.post("/apis/apps/v1/namespaces/%s/deployments" % ns, deployment("d"))
        path = "/apis/apps/v1/namespaces/%s/deployments/d" % ns
        d2 = dict(d)
        d2["metadata"] = dict(d["metadata"], labels={"x": "y"})
        st, _, u = self.emu.put(path, d2)
        self.assertEqual(st, 200, u)
        self.assertEqual(u["metadata"]["generation"], 1)  # metadata only
        st, _, e = self.emu.put(path, d2)  # stale RV
        self.assertEqual(st, 409)
        self.assertEqual(e["message"], 'Operation cannot be fulfilled on deployments.apps "d": the object has been '
                                       'modified; please apply your changes to the latest version and try again')
        u["spec"]["replicas"] = 3
        st, _, u2 = self.emu.put(path, u)
        self.assertEqual(u2["metadata"]["generation"], 2)
        # status on main endpoint is ignored
        u2["status"] = {"replicas": 9}
        st, _, u3 = self.emu.put(path, u2)
        self.assertNotEqual(u3.get("status", {}).get("replicas"), 9)
        # status subresource changes status, not generation
        u3["status"] = {"replicas": 7}
        st, _, u4 = self.emu.put(path + "/status", u3)
        self.assertEqual((st, u4["status"]["replicas"], u4["metadata"]["generation"]), (200, 7, 2))
        # no-op write keeps the RV
        st, _, u5 = self.emu.put(path, u4)
        self.assertEqual(u5["metadata"]["resourceVersion"], u4["metadata"]["resourceVersion"])
        # a different uid is a precondition failure
        st, _, e = self.emu.put(path, dict(u4, metadata=dict(u4["metadata"], uid="other-uid")))
        self.assertEqual((st, e["message"]), (409, 'Operation cannot be fulfilled on deployments.apps "d": Precondition '
                                                   'failed: UID in precondition: other-uid, UID in object meta: %s'
                                                   % u4["metadata"]["uid"]))
        # name mismatch
        bad = dict(u4, metadata=dict(u4["metadata"], name="other"))
        st, _, e = self.emu.put(path, bad)
        self.assertEqual((st, e["message"]), (400, "the name of the object (other) does not match the name on the "
                                                   "URL (d)"))

    @unittest.skipIf(shared_dir() is None, "../shared not present: no Swagger definitions for built-in kinds")
    def test_field_validation_builtin(self):
        ns = self.make_ns()
        body = deployment("fv")
        body["spec"]["template"]["spec"]["containers"][0]["imagee"] = "typo"
        body["spec"]["bogus"] = 1
        path = "/apis/apps/v1/namespaces/%s/deployments" % ns
        st, _, e = self.emu.post(path + "?fieldValidation=Strict", body)
        self.assertEqual(st, 400)
        # reported in document order, like Go's strict decoder
        self.assertEqual(e["message"], 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding '
                                       'error: unknown field "spec.template.spec.containers[0].imagee", unknown field '
                                       '"spec.bogus"')
        st, h, o = self.emu.post(path + "?fieldValidation=Warn", body)
        self.assertEqual(st, 201)
        warnings = [v for k, v in h["_all"] if k.lower() == "warning"]
        self.assertEqual(warnings, ['299 - "unknown field \\"spec.template.spec.containers[0].imagee\\""',
                                    '299 - "unknown field \\"spec.bogus\\""'])
        self.assertNotIn("bogus", o["spec"])
        self.assertNotIn("imagee", o["spec"]["template"]["spec"]["containers"][0])
        st, h, o = self.emu.patch(path + "/fv?fieldValidation=Strict", {"metadata": {"labelz": {}}})
        self.assertEqual((st, o["message"]), (400, 'strict decoding error: unknown field "metadata.labelz"'))
        body = cm("dupes")
        raw = ('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d","name":"d","labelz":{}},'
               '"data":{"a":"1","a":"2"},"dta":{}}')
        st, _, e = self.emu.post("/api/v1/namespaces/%s/configmaps?fieldValidation=Strict" % ns, raw)
        self.assertEqual((st, e["message"]), (400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict '
                                                   'decoding error: duplicate field "metadata.name", unknown field '
                                                   '"metadata.labelz", duplicate field "data.a", unknown field "dta"'))
        st, _, e = self.emu.patch("/api/v1/namespaces/%s/configmaps/from-nothing?fieldValidation=Strict" % ns, "{}")
        self.assertEqual(st, 404)
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("p"))
        st, _, e = self.emu.patch("/api/v1/namespaces/%s/configmaps/p?fieldValidation=Strict" % ns,
                                  '{"data":{"x":"1","x":"2"},"extra":1}')
        self.assertEqual((st, e["message"]), (400, 'strict decoding error: duplicate field "data.x", unknown field '
                                                   '"extra"'))

    def test_lease_requires_rv_and_creates_on_update(self):
        ns = self.make_ns()
        lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "l"},
                 "spec": {"holderIdentity": "a", "leaseDurationSeconds": 15,
                          "renewTime": "2026-01-01T00:00:00.123456Z"}}
        path = "/apis/coordination.k8s.io/v1/namespaces/%s/leases/l" % ns
        st, _, l1 = self.emu.put(path, lease)
        self.assertEqual(st, 201, l1)
        self.assertEqual(l1["spec"]["renewTime"], "2026-01-01T00:00:00.123456Z")
        st, _, e = self.emu.put(path, lease)
        self.assertEqual(st, 422)
        self.assertIn("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", e["message"])

    def test_finalizers_and_delete_bodies(self):
        ns = self.make_ns()
        body = cm("f")
        body["metadata"]["finalizers"] = ["example.com/hold"]
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, body)
        path = "/api/v1/namespaces/%s/configmaps/f" % ns
        st, _, o = self.emu.delete(path)
        self.assertEqual(st, 200)
        self.assertEqual(o["kind"], "ConfigMap")
        self.assertTrue(o["metadata"]["deletionTimestamp"])
        self.assertEqual(o["metadata"]["deletionGracePeriodSeconds"], 0)
        # cannot add finalizers now
        o["metadata"]["finalizers"] = ["example.com/hold", "example.com/new"]
        st, _, e = self.emu.put(path, o)
        self.assertEqual(st, 422, e)
        # removing the last finalizer deletes it
        _, _, cur = self.emu.get(path)
        cur["metadata"]["finalizers"] = []
        st, _, o = self.emu.put(path, cur)
        self.assertEqual(st, 200)
        st, _, _ = self.emu.get(path)
        self.assertEqual(st, 404)
        # plain delete returns Status Success with details
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("g"))
        _, _, g = self.emu.get("/api/v1/namespaces/%s/configmaps/g" % ns)
        st, _, s = self.emu.delete("/api/v1/namespaces/%s/configmaps/g" % ns)
        self.assertEqual(s, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                             "details": {"name": "g", "kind": "configmaps", "uid": g["metadata"]["uid"]}})
        # preconditions
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("h"))
        st, _, e = self.emu.delete("/api/v1/namespaces/%s/configmaps/h" % ns,
                                   {"kind": "DeleteOptions", "apiVersion": "v1", "preconditions": {"uid": "nope"}})
        self.assertEqual((st, e["reason"]), (409, "Conflict"))
        _, _, h = self.emu.get("/api/v1/namespaces/%s/configmaps/h" % ns)
        self.assertEqual(e["message"], 'Operation cannot be fulfilled on ConfigMap "h": the UID in the precondition '
                                       '(nope) does not match the UID in record (%s). The object might have been '
                                       'deleted and then recreated' % h["metadata"]["uid"])
        st, _, e = self.emu.delete("/api/v1/namespaces/%s/configmaps/h" % ns,
                                   {"preconditions": {"resourceVersion": "1"}})
        self.assertEqual((st, e["details"]["kind"]), (409, "ConfigMap"))
        self.assertIn("The object might have been modified", e["message"])
        # service accounts return the deleted object
        self.emu.post("/api/v1/namespaces/%s/serviceaccounts" % ns,
                      {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa"}})
        st, _, o = self.emu.delete("/api/v1/namespaces/%s/serviceaccounts/sa" % ns)
        self.assertEqual(o["kind"], "ServiceAccount")

    def test_dry_run(self):
        ns = self.make_ns()
        st, _, o = self.emu.post("/api/v1/namespaces/%s/configmaps?dryRun=All" % ns, cm("dry"))
        self.assertEqual(st, 201)
        self.assertTrue(o["metadata"]["uid"])
        self.assertNotIn("resourceVersion", o["metadata"])
        st, _, _ = self.emu.get("/api/v1/namespaces/%s/configmaps/dry" % ns)
        self.assertEqual(st, 404)
        st, _, e = self.emu.post("/api/v1/namespaces/%s/configmaps?dryRun=Some" % ns, cm("dry"))
        self.assertEqual(st, 422)
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("real"))
        st, _, o = self.emu.delete("/api/v1/namespaces/%s/configmaps/real?dryRun=All" % ns)
        self.assertEqual(st, 200)
        st, _, _ = self.emu.get("/api/v1/namespaces/%s/configmaps/real" % ns)
        self.assertEqual(st, 200)

    def test_pod_graceful_delete_and_running(self):
        ns = self.make_ns()
        self.emu.post("/api/v1/namespaces/%s/pods" % ns, pod("p"))
        path = "/api/v1/namespaces/%s/pods/p" % ns
        p = self.emu.wait_for(lambda: (lambda r: r[2] if r[2]["status"].get("phase") == "Running" else None)(
            self.emu.get(path)))
        self.assertEqual(p["spec"]["nodeName"], "emulator-node")
        self.assertTrue(p["status"]["podIP"])
        self.assertEqual([c["type"] for c in p["status"]["conditions"] if c["status"] == "True"][2], "Ready")
        st, _, o = self.emu.delete(path)
        self.assertEqual(st, 200)
        self.assertEqual(o["metadata"]["deletionGracePeriodSeconds"], 30)
        self.emu.wait_for(lambda: self.emu.get(path)[0] == 404)

    def test_namespace_lifecycle(self):
        ns = self.make_ns()
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("x"))
        st, _, o = self.emu.delete("/api/v1/namespaces/%s" % ns)
        self.assertEqual(st, 200)
        self.assertEqual(o["status"]["phase"], "Terminating")
        self.emu.wait_for(lambda: self.emu.get("/api/v1/namespaces/%s" % ns)[0] == 404)
        st, _, e = self.emu.delete("/api/v1/namespaces/default")
        self.assertEqual((st, e["message"]), (403, 'namespaces "default" is forbidden: this namespace may not be '
                                                   'deleted'))

    def test_terminating_namespace_forbids_create(self):
        ns = self.make_ns()
        body = cm("hold")
        body["metadata"]["finalizers"] = ["example.com/hold"]
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, body)
        self.emu.delete("/api/v1/namespaces/%s" % ns)
        st, _, e = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("new"))
        self.assertEqual(st, 403)
        self.assertEqual(e["message"], 'configmaps "new" is forbidden: unable to create new content in namespace %s '
                                       'because it is being terminated' % ns)
        self.assertEqual(e["details"]["causes"][0]["reason"], "NamespaceTerminating")
        self.emu.patch("/api/v1/namespaces/%s/configmaps/hold" % ns, {"metadata": {"finalizers": None}})
        self.emu.wait_for(lambda: self.emu.get("/api/v1/namespaces/%s" % ns)[0] == 404)

    def test_paths_and_negotiation(self):
        st, h, body = self.emu.get("/foo")
        self.assertEqual((st, body), (404, "404 page not found\n"))
        st, h, body = self.emu.get("/apis/nope.example.com/v1")
        self.assertEqual(st, 404)
        self.assertTrue(h["content-type"].startswith("text/plain"))
        st, h, body = self.emu.get("/api/v1/foos")
        self.assertEqual(body["message"], "the server could not find the requested resource")
        st, h, body = self.emu.get("/api/v1/pods/x")
        self.assertEqual((st, body["reason"]), (404, "NotFound"))
        st, h, body = self.emu.post("/api/v1/namespaces/default/configmaps/x", cm("x"))
        self.assertEqual((st, body["reason"]), (405, "MethodNotAllowed"))
        st, h, body = self.emu.get("/api/v1/namespaces", headers={"Accept": "application/vnd.kubernetes.protobuf"})
        self.assertEqual(st, 406)
        st, h, body = self.emu.get("/api/v1/namespaces/default", headers={"Accept": "application/yaml"})
        self.assertEqual(h["content-type"], "application/yaml")
        self.assertIn("kind: Namespace", body)
        st, h, body = self.emu.get("/api/v1/namespaces/default?pretty=true")
        self.assertIn('\n  "kind"', "\n" + body if isinstance(body, str) else "\n  \"kind\"")
        st, h, body = self.emu.post("/api/v1/namespaces/default/configmaps", cm("tp"), ctype="text/plain")
        self.assertEqual((st, body["reason"]), (415, "UnsupportedMediaType"))
        st, h, body = self.emu.post("/api/v1/namespaces/default/configmaps",
                                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-yaml}\n",
                                    ctype="application/yaml")
        self.assertEqual((st, body["metadata"]["name"]), (201, "from-yaml"))
        st, h, body = self.emu.get("/api/v1/namespaces?timeout=abc")
        self.assertEqual(st, 400)
        self.assertIn("invalid timeout specified in the request URL", body["message"])
        st, h, body = self.emu.get("/api/v1/namespaces?timeout=32s")
        self.assertEqual(st, 200)
        st, h, body = self.emu.get("/api/v1/namespaces/default",
                                   headers={"Accept": "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io"})
        self.assertEqual((body["kind"], body["apiVersion"]), ("PartialObjectMetadata", "meta.k8s.io/v1"))
        self.assertNotIn("spec", body)
        st, h, body = self.emu.get("/api/v1/namespaces",
                                   headers={"Accept": "application/json;as=PartialObjectMetadataList;v=v1;"
                                                      "g=meta.k8s.io"})
        self.assertEqual(body["kind"], "PartialObjectMetadataList")
        self.assertTrue(body["items"])

    def test_events_two_groups(self):
        ns = self.make_ns()
        ev = {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "e1"},
              "eventTime": "2026-01-01T00:00:00.000000Z", "reportingController": "example.com/ctl",
              "reportingInstance": "i1", "action": "Sync", "reason": "Synced", "note": "hello", "type": "Normal",
              "regarding": {"kind": "Pod", "name": "p", "namespace": ns}}
        st, _, o = self.emu.post("/apis/events.k8s.io/v1/namespaces/%s/events" % ns, ev)
        self.assertEqual(st, 201, o)
        self.assertEqual(o["note"], "hello")
        st, _, core = self.emu.get("/api/v1/namespaces/%s/events/e1" % ns)
        self.assertEqual((core["apiVersion"], core["message"], core["involvedObject"]["name"]), ("v1", "hello", "p"))
        st, _, lst = self.emu.get("/api/v1/namespaces/%s/events?fieldSelector=involvedObject.name=p" % ns)
        self.assertEqual(len(lst["items"]), 1)
        bad = dict(ev, metadata={"name": "e2"})
        del bad["action"]
        st, _, e = self.emu.post("/apis/events.k8s.io/v1/namespaces/%s/events" % ns, bad)
        self.assertEqual(st, 422)

    def test_virtual_reviews_and_token(self):
        st, _, o = self.emu.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                                 {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                                  "spec": {"resourceAttributes": {"verb": "list", "resource": "pods"}}})
        self.assertEqual((st, o["status"]["allowed"]), (201, True))
        st, _, o = self.emu.post("/api/v1/namespaces/default/serviceaccounts/default/token",
                                 {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}})
        self.assertEqual(st, 201)
        self.assertEqual(o["kind"], "TokenRequest")
        self.assertEqual(len(o["status"]["token"].split(".")), 3)

    def test_eviction_and_binding(self):
        ns = self.make_ns()
        self.emu.post("/api/v1/namespaces/%s/pods" % ns, pod("e", labels={"app": "e"}))
        pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "b"},
               "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "e"}}}}
        self.emu.post("/apis/policy/v1/namespaces/%s/poddisruptionbudgets" % ns, pdb)
        ev = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "e", "namespace": ns}}
        st, _, o = self.emu.post("/api/v1/namespaces/%s/pods/e/eviction" % ns, ev)
        self.assertEqual((st, o["reason"]), (429, "TooManyRequests"))
        self.emu.delete("/apis/policy/v1/namespaces/%s/poddisruptionbudgets/b" % ns)
        st, _, o = self.emu.post("/api/v1/namespaces/%s/pods/e/eviction" % ns, ev)
        self.assertEqual(o, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201})


if __name__ == "__main__":
    unittest.main()
