"""Real-client proof: kubectl v1.32 driven against the emulator.

Covers api-resources, get (table, -o json/yaml/name, -l, --field-selector, --chunk-size),
apply client-side and --server-side with a conflict, patch (strategic/merge/json), delete
--cascade (foreground/background/orphan), CRD + CR with kubectl wait, get -w (bounded),
scale, rollout restart, auth can-i/whoami, create configmap (protobuf body).
(logs/exec belong to test_kubectl_streaming.py; apply edge cases to test_kubectl_apply.py.)
"""
import base64
import json
import os
import shutil
import tempfile
import subprocess
import time
import unittest

import yaml

from emutil import EmulatorTestCase, needs_openapi

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: %d
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""

CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget, shortNames: [gd]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    additionalPrinterColumns:
    - {name: Color, type: string, jsonPath: .spec.color}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              color: {type: string}
              replicas: {type: integer}
          status:
            type: object
            properties:
              replicas: {type: integer}
"""


@unittest.skipIf(shutil.which("kubectl") is None, "kubectl is not on PATH: skipping the kubectl fidelity suite")
class KubectlTest(EmulatorTestCase):
    def k(self, *args, **kw):
        return self.emu.kubectl(*args, **kw)

    def ns(self):
        return self.make_ns("kc")

    def test_api_resources_and_version(self):
        out = self.k("api-resources").stdout
        lines = out.splitlines()
        self.assertTrue(lines[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"])
        for want in ("pods po v1 true Pod", "deployments deploy apps/v1 true Deployment",
                     "customresourcedefinitions crd,crds apiextensions.k8s.io/v1 false CustomResourceDefinition",
                     "leases coordination.k8s.io/v1 true Lease"):
            self.assertIn(want.split(), [l.split() for l in lines])
        out = self.k("api-resources", "--namespaced=false", "-o", "name").stdout.split()
        self.assertIn("nodes", out)
        self.assertNotIn("pods", out)
        v = json.loads(self.k("version", "-o", "json").stdout)
        self.assertEqual(v["serverVersion"]["gitVersion"], "v1.32.0")

    def test_get_output_formats_and_selectors(self):
        ns = self.ns()
        for i in range(4):
            self.k("-n", ns, "create", "configmap", "cm%d" % i, "--from-literal=k=v%d" % i)
            self.k("-n", ns, "label", "configmap", "cm%d" % i, "tier=%s" % ("web" if i % 2 else "db"))
        table = self.k("-n", ns, "get", "configmaps").stdout.splitlines()
        self.assertEqual(table[0].split(), ["NAME", "DATA", "AGE"])
        self.assertEqual([l.split()[0] for l in table[1:]], ["cm0", "cm1", "cm2", "cm3"])
        self.assertEqual(self.k("-n", ns, "get", "cm", "-l", "tier=web", "-o", "name").stdout.split(),
                         ["configmap/cm1", "configmap/cm3"])
        self.assertEqual(self.k("-n", ns, "get", "cm", "--field-selector", "metadata.name!=cm0", "-o",
                                "name").stdout.split(), ["configmap/cm1", "configmap/cm2", "configmap/cm3"])
        j = json.loads(self.k("-n", ns, "get", "cm", "cm2", "-o", "json").stdout)
        self.assertEqual(j["data"], {"k": "v2"})
        y = yaml.safe_load(self.k("-n", ns, "get", "cm", "-o", "yaml").stdout)
        self.assertEqual(y["kind"], "List")
        self.assertEqual(len(y["items"]), 4)
        chunked = self.k("-n", ns, "get", "cm", "--chunk-size=1", "-o", "name", "-v=6").stderr
        self.assertGreaterEqual(chunked.count("limit=1"), 4)
        out = self.k("-n", ns, "get", "cm", "--chunk-size=1").stdout.splitlines()
        self.assertEqual(len(out), 5)
        r = self.k("-n", ns, "get", "cm", "nope", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('configmaps "nope" not found', r.stderr)
        r = self.k("-n", ns, "get", "cm", "-l", "tier in web", check=False)
        self.assertNotEqual(r.returncode, 0)
        wide = self.k("get", "nodes", "-o", "wide").stdout
        self.assertIn("emulator-node", wide)

    @needs_openapi
    def test_apply_client_and_server_side_conflict(self):
        ns = self.ns()
        self.assertIn("created", self.k("-n", ns, "apply", "-f", "-", input=DEPLOY % 2).stdout)
        self.assertIn("unchanged", self.k("-n", ns, "apply", "-f", "-", input=DEPLOY % 2).stdout)
        self.assertIn("configured", self.k("-n", ns, "apply", "-f", "-", input=DEPLOY % 3).stdout)
        d = json.loads(self.k("-n", ns, "get", "deploy", "web", "-o", "json").stdout)
        self.assertEqual((d["spec"]["replicas"], d["metadata"]["generation"]), (3, 2))
        self.assertIn("kubectl.kubernetes.io/last-applied-configuration", d["metadata"]["annotations"])
        r = self.k("-n", ns, "apply", "--server-side", "--field-manager=other", "-f", "-", input=DEPLOY % 5,
                   check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas', r.stderr)
        r = self.k("-n", ns, "apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-",
                   input=DEPLOY % 5)
        self.assertIn("serverside-applied", r.stdout)
        d = json.loads(self.k("-n", ns, "get", "deploy", "web", "-o", "json", "--show-managed-fields").stdout)
        self.assertEqual(d["spec"]["replicas"], 5)
        self.assertIn(("other", "Apply"), [(m["manager"], m["operation"]) for m in d["metadata"]["managedFields"]])

    @needs_openapi
    def test_patch_types(self):
        ns = self.ns()
        self.k("-n", ns, "apply", "-f", "-", input=DEPLOY % 1)
        self.k("-n", ns, "patch", "deploy", "web", "--type", "strategic", "-p",
               '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}}}')
        d = json.loads(self.k("-n", ns, "get", "deploy", "web", "-o", "json").stdout)
        self.assertEqual(sorted(c["name"] for c in d["spec"]["template"]["spec"]["containers"]), ["nginx", "sidecar"])
        self.k("-n", ns, "patch", "deploy", "web", "--type", "merge", "-p", '{"metadata":{"labels":{"m":"1"}}}')
        self.k("-n", ns, "patch", "deploy", "web", "--type", "json", "-p",
               '[{"op":"test","path":"/metadata/labels/m","value":"1"},'
               '{"op":"replace","path":"/spec/replicas","value":4}]')
        d = json.loads(self.k("-n", ns, "get", "deploy", "web", "-o", "json").stdout)
        self.assertEqual((d["metadata"]["labels"]["m"], d["spec"]["replicas"]), ("1", 4))
        r = self.k("-n", ns, "patch", "deploy", "web", "--type", "json", "-p",
                   '[{"op":"test","path":"/spec/replicas","value":9}]', check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("the server rejected our request due to an error in our request", r.stderr)

    def owned_pair(self, ns, name):
        self.k("-n", ns, "create", "configmap", name)
        uid = self.k("-n", ns, "get", "cm", name, "-o", "jsonpath={.metadata.uid}").stdout
        dep = {"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": name + "-dep", "ownerReferences": [
                   {"apiVersion": "v1", "kind": "ConfigMap", "name": name, "uid": uid, "blockOwnerDeletion": True}]}}
        self.k("-n", ns, "create", "-f", "-", input=json.dumps(dep))

    @needs_openapi
    def test_delete_cascade(self):
        ns = self.ns()
        for n in ("bg", "fg", "or"):
            self.owned_pair(ns, n)
        self.k("-n", ns, "delete", "cm", "bg", "--cascade=background")
        self.k("-n", ns, "delete", "cm", "fg", "--cascade=foreground")
        self.k("-n", ns, "delete", "cm", "or", "--cascade=orphan")
        self.emu.wait_for(lambda: self.k("-n", ns, "get", "cm", "-o", "name").stdout.split() == ["configmap/or-dep"])
        refs = self.k("-n", ns, "get", "cm", "or-dep", "-o", "jsonpath={.metadata.ownerReferences}").stdout
        self.assertEqual(refs, "")

    @needs_openapi
    def test_crd_wait_and_custom_resources(self):
        ns = self.ns()
        self.k("apply", "-f", "-", input=CRD)
        self.k("wait", "--for=condition=Established", "crd/gadgets.example.com", "--timeout=20s")
        cr = "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {color: red, replicas: 1}\n"
        self.k("-n", ns, "apply", "-f", "-", input=cr)
        table = self.k("-n", ns, "get", "gadgets").stdout.splitlines()
        self.assertEqual(table[0].split(), ["NAME", "COLOR"])
        self.assertEqual(table[1].split(), ["g1", "red"])
        self.assertEqual(self.k("-n", ns, "get", "gd", "-o", "name").stdout.split(), ["gadget.example.com/g1"])
        self.k("-n", ns, "scale", "gadget", "g1", "--replicas=3")
        self.assertEqual(self.k("-n", ns, "get", "gd", "g1", "-o", "jsonpath={.spec.replicas}").stdout, "3")
        bad = "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g2}\nspec: {colour: red}\n"
        r = self.k("-n", ns, "apply", "-f", "-", input=bad, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('unknown field "spec.colour"', r.stderr)
        self.k("delete", "crd", "gadgets.example.com")
        self.emu.wait_for(lambda: "gadgets" not in self.k("api-resources", "-o", "name").stdout)

    def test_get_watch_bounded(self):
        ns = self.ns()
        self.k("-n", ns, "create", "configmap", "first")
        p = subprocess.Popen([shutil.which("kubectl"), "--kubeconfig", self.emu.kubeconfig, "-n", ns, "get", "cm",
                              "-w", "--output-watch-events", "--request-timeout=6s"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # wait until kubectl's watch request has reached the server
        self.emu.wait_for(lambda: any(r["path"] == "/api/v1/namespaces/%s/configmaps" % ns and "watch=true" in r["query"]
                                      for r in self.emu.get("/_emulator/requests")[2]["requests"]), timeout=20)
        time.sleep(0.2)
        self.k("-n", ns, "create", "configmap", "second")
        self.k("-n", ns, "delete", "configmap", "first")
        out, err = p.communicate(timeout=20)
        rows = [l.split()[:2] for l in out.splitlines()]
        self.assertEqual(rows[0], ["EVENT", "NAME"])
        self.assertIn(["ADDED", "first"], rows)
        self.assertIn(["ADDED", "second"], rows)
        self.assertIn(["DELETED", "first"], rows)

    @needs_openapi
    def test_scale_rollout_and_auth(self):
        ns = self.ns()
        self.k("-n", ns, "apply", "-f", "-", input=DEPLOY % 1)
        self.k("-n", ns, "scale", "deployment", "web", "--replicas=4")
        self.assertEqual(self.k("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout, "4")
        r = self.k("-n", ns, "scale", "deployment", "web", "--replicas=2", "--current-replicas=3", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.k("-n", ns, "rollout", "restart", "deployment/web")
        ann = self.k("-n", ns, "get", "deploy", "web", "-o",
                     "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}").stdout
        self.assertRegex(ann, r"^\d{4}-\d\d-\d\dT")
        self.assertEqual(self.k("auth", "can-i", "list", "pods").stdout.strip(), "yes")
        self.assertIn("system:admin", self.k("auth", "whoami").stdout)

    def test_drain_evicts(self):
        ns = self.ns()
        self.k("-n", ns, "run", "drainme", "--image=busybox:1.36", "--labels=drain=me")
        self.k("-n", ns, "wait", "--for=condition=Ready", "pod/drainme", "--timeout=20s")
        try:
            out = self.k("drain", "emulator-node", "--force", "--ignore-daemonsets", "--pod-selector=drain=me",
                         "--timeout=30s", timeout=60).stdout
            self.assertIn("pod/drainme evicted", out)
            self.assertIn("SchedulingDisabled", self.k("get", "node", "emulator-node").stdout)
        finally:
            self.k("uncordon", "emulator-node")
        self.assertIn("NotFound", self.k("-n", ns, "get", "pod", "drainme", check=False).stderr)

    @needs_openapi
    def test_certificate_approve(self):
        d = tempfile.mkdtemp()
        try:
            subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-nodes", "-keyout", os.path.join(d, "k"), "-subj", "/CN=bob", "-out",
                            os.path.join(d, "csr")], check=True, capture_output=True)
            req = base64.b64encode(open(os.path.join(d, "csr"), "rb").read()).decode()
        finally:
            shutil.rmtree(d)
        csr = {"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
               "metadata": {"name": "bob"}, "spec": {"request": req, "usages": ["client auth"],
                                                     "signerName": "kubernetes.io/kube-apiserver-client"}}
        self.k("create", "-f", "-", input=json.dumps(csr))
        row = self.k("get", "csr", "bob").stdout.splitlines()[1].split()
        self.assertEqual((row[3], row[-1]), ("system:admin", "Pending"))
        self.k("certificate", "approve", "bob")
        got = json.loads(self.k("get", "csr", "bob", "-o", "json").stdout)
        cond = got["status"]["conditions"][0]
        self.assertEqual((cond["type"], cond["status"], cond["reason"]), ("Approved", "True", "KubectlApprove"))
        self.assertRegex(cond["lastTransitionTime"], r"^20")

    def test_create_generators_and_delete_pod(self):
        ns = self.ns()
        self.k("-n", ns, "create", "secret", "generic", "s", "--from-literal=p=q")
        self.assertEqual(self.k("-n", ns, "get", "secret", "s", "-o", "jsonpath={.data.p}").stdout, "cQ==")
        # kubectl's typed generators send protobuf bodies
        self.k("-n", ns, "create", "deployment", "d1", "--image=nginx:1.27", "--replicas=3", "--port=80")
        d = json.loads(self.k("-n", ns, "get", "deploy", "d1", "-o", "json").stdout)
        self.assertEqual((d["spec"]["replicas"], d["spec"]["selector"], d["spec"]["template"]["spec"]["containers"][0]
                          ["ports"]), (3, {"matchLabels": {"app": "d1"}}, [{"containerPort": 80, "protocol": "TCP"}]))
        self.k("-n", ns, "create", "job", "j1", "--image=busybox", "--", "echo", "hi")
        self.assertEqual(self.k("-n", ns, "get", "job", "j1", "-o",
                                "jsonpath={.spec.template.spec.restartPolicy} {.spec.template.spec.containers[0].command}"
                                ).stdout, 'Never ["echo","hi"]')
        self.k("-n", ns, "create", "cronjob", "c1", "--image=busybox", "--schedule=*/5 * * * *")
        self.assertEqual(self.k("-n", ns, "get", "cronjob", "c1", "-o", "jsonpath={.spec.schedule}").stdout,
                         "*/5 * * * *")
        self.k("-n", ns, "create", "role", "r1", "--verb=get,list", "--resource=pods")
        self.k("-n", ns, "create", "rolebinding", "rb1", "--role=r1", "--user=bob")
        rb = json.loads(self.k("-n", ns, "get", "rolebinding", "rb1", "-o", "json").stdout)
        self.assertEqual((rb["roleRef"]["name"], rb["subjects"][0]["name"]), ("r1", "bob"))
        self.k("-n", ns, "create", "service", "clusterip", "s1", "--tcp=80:8080")
        svc = json.loads(self.k("-n", ns, "get", "svc", "s1", "-o", "json").stdout)
        self.assertEqual(svc["spec"]["ports"][0]["targetPort"], 8080)
        self.k("-n", ns, "run", "p1", "--image=busybox:1.36")
        self.k("-n", ns, "wait", "--for=condition=Ready", "pod/p1", "--timeout=20s")
        row = self.k("-n", ns, "get", "pod", "p1").stdout.splitlines()[1].split()
        self.assertEqual(row[:3], ["p1", "1/1", "Running"])
        self.k("-n", ns, "delete", "pod", "p1", "--timeout=20s")
        self.assertIn("NotFound", self.k("-n", ns, "get", "pod", "p1", check=False).stderr)


if __name__ == "__main__":
    unittest.main()
