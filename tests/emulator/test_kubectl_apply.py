"""Real kubectl against a real kube-emulator process: client-side and server-side
apply (with a field-manager conflict and --force-conflicts), kubectl patch with
all three --type values (including a failing JSON-patch test), and `kubectl get`
table output for pods, deployments and a custom resource with printer columns.

Skipped with a message when kubectl is not on PATH."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

KUBECTL = shutil.which("kubectl")


def setUpModule():
    if KUBECTL is None:
        raise unittest.SkipTest("kubectl is not on PATH: skipping the kubectl apply/patch/get fidelity tests")
    from emutil import NEEDS_OPENAPI_REASON, shared_dir
    if shared_dir() is None:
        raise unittest.SkipTest(NEEDS_OPENAPI_REASON)


class KubectlTest(unittest.TestCase):
    emu = None

    @classmethod
    def setUpClass(cls):
        from emutil import Emulator
        cls.emu = Emulator()
        cls.home = tempfile.mkdtemp(prefix="kubectl-home-")
        cls.env = dict(os.environ, KUBECONFIG=cls.emu.kubeconfig, HOME=cls.home)
        cls.env.pop("KUBERNETES_SERVICE_HOST", None)

    @classmethod
    def tearDownClass(cls):
        if cls.emu is not None:
            cls.emu.stop()
        shutil.rmtree(cls.home, ignore_errors=True)

    def kubectl(self, *args, stdin=None, check=True):
        p = subprocess.run([KUBECTL, *args], input=stdin, capture_output=True, text=True, env=self.env, timeout=90)
        if check and p.returncode != 0:
            self.fail("kubectl %s failed (%d):\n%s%s" % (" ".join(args), p.returncode, p.stdout, p.stderr))
        return p

    def get_json(self, *args):
        return json.loads(self.kubectl("get", *args, "-o", "json", "--show-managed-fields").stdout)

    def apply_yaml(self, text, *flags, check=True):
        return self.kubectl("apply", *flags, "-f", "-", stdin=textwrap.dedent(text), check=check)


def deployment_yaml(name, replicas=2, image="nginx:1.25", env_b=True):
    env = '[{name: A, value: "1"}, {name: B, value: "2"}]' if env_b else '[{name: A, value: "1"}]'
    return """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: %s
      labels: {app: %s}
    spec:
      replicas: %d
      selector: {matchLabels: {app: %s}}
      template:
        metadata: {labels: {app: %s}}
        spec:
          containers:
          - name: nginx
            image: %s
            env: %s
    """ % (name, name, replicas, name, name, image, env)


class ClientSideApply(KubectlTest):
    def test_deployment_create_and_update(self):
        out = self.apply_yaml(deployment_yaml("csa"))
        self.assertIn("deployment.apps/csa created", out.stdout)
        d = self.get_json("deployment", "csa")
        last = json.loads(d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
        self.assertEqual(last["spec"]["template"]["spec"]["containers"][0]["image"], "nginx:1.25")
        self.assertEqual([e["manager"] for e in d["metadata"]["managedFields"]], ["kubectl-client-side-apply"])
        out = self.apply_yaml(deployment_yaml("csa", image="nginx:1.26", env_b=False))
        self.assertIn("deployment.apps/csa configured", out.stdout)
        d = self.get_json("deployment", "csa")
        c = d["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(c["image"], "nginx:1.26")
        self.assertEqual(c["env"], [{"name": "A", "value": "1"}])  # the removed env var is gone
        last = json.loads(d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
        self.assertEqual(last["spec"]["template"]["spec"]["containers"][0]["env"], [{"name": "A", "value": "1"}])
        out = self.apply_yaml(deployment_yaml("csa", image="nginx:1.26", env_b=False))
        self.assertIn("deployment.apps/csa unchanged", out.stdout)

    def test_configmap_removed_key(self):
        self.apply_yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: csa-cm}
        data: {a: "1", b: "2"}
        """)
        self.apply_yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: csa-cm}
        data: {a: "10"}
        """)
        cm = self.get_json("configmap", "csa-cm")
        self.assertEqual(cm["data"], {"a": "10"})
        last = json.loads(cm["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
        self.assertEqual(last["data"], {"a": "10"})


class ServerSideApply(KubectlTest):
    def test_conflict_and_force(self):
        out = self.apply_yaml(deployment_yaml("ssa"), "--server-side")
        self.assertIn("deployment.apps/ssa serverside-applied", out.stdout)
        d = self.get_json("deployment", "ssa")
        entry = [e for e in d["metadata"]["managedFields"] if e["manager"] == "kubectl"][0]
        self.assertEqual(entry["operation"], "Apply")
        self.assertIn("f:replicas", entry["fieldsV1"]["f:spec"])
        p = self.apply_yaml(deployment_yaml("ssa", replicas=5), "--server-side", "--field-manager=other", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas', p.stderr)
        self.assertEqual(self.get_json("deployment", "ssa")["spec"]["replicas"], 2)
        self.apply_yaml(deployment_yaml("ssa", replicas=5), "--server-side", "--field-manager=other",
                        "--force-conflicts")
        d = self.get_json("deployment", "ssa")
        self.assertEqual(d["spec"]["replicas"], 5)
        owners = {e["manager"]: e for e in d["metadata"]["managedFields"]}
        self.assertIn("f:replicas", owners["other"]["fieldsV1"]["f:spec"])
        self.assertNotIn("f:replicas", owners["kubectl"]["fieldsV1"]["f:spec"])

    def test_conflict_with_client_side_apply_manager(self):
        self.apply_yaml(deployment_yaml("mixed"))
        p = self.apply_yaml(deployment_yaml("mixed", replicas=3), "--server-side", "--field-manager=ssa-tool",
                            check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas', p.stderr)

    def test_reapply_port_without_protocol(self):
        text = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ports}
        spec:
          selector: {matchLabels: {app: ports}}
          template:
            metadata: {labels: {app: ports}}
            spec:
              containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
        """
        self.apply_yaml(text, "--server-side")
        self.apply_yaml(text, "--server-side")
        d = self.get_json("deployment", "ports")
        self.assertEqual(d["spec"]["template"]["spec"]["containers"][0]["ports"],
                         [{"containerPort": 80, "protocol": "TCP"}])

    def test_custom_resource_map_list_shared_by_managers(self):
        self.kubectl("apply", "-f", "-", stdin=textwrap.dedent("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gizmos.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: gizmos, singular: gizmo, kind: Gizmo}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      ports:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name]
                        items: {type: object, properties: {name: {type: string}, port: {type: integer}}}
        """))
        self.kubectl("wait", "--for=condition=Established", "crd/gizmos.example.com", "--timeout=30s")
        deadline = time.time() + 30
        while True:
            p = self.apply_yaml("""
            apiVersion: example.com/v1
            kind: Gizmo
            metadata: {name: g}
            spec: {ports: [{name: a, port: 1}]}
            """, "--server-side", check=False)
            if p.returncode == 0 or time.time() > deadline:
                break
            time.sleep(0.5)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.apply_yaml("""
        apiVersion: example.com/v1
        kind: Gizmo
        metadata: {name: g}
        spec: {ports: [{name: b, port: 2}]}
        """, "--server-side", "--field-manager=bob")
        g = self.get_json("gizmo", "g")
        self.assertEqual(g["spec"]["ports"], [{"name": "a", "port": 1}, {"name": "b", "port": 2}])
        owners = {e["manager"]: e["fieldsV1"] for e in g["metadata"]["managedFields"]}
        self.assertEqual(list(owners["bob"]["f:spec"]["f:ports"]), ['k:{"name":"b"}'])
        p = self.apply_yaml("""
        apiVersion: example.com/v1
        kind: Gizmo
        metadata: {name: g}
        spec: {ports: [{name: a, port: 9}]}
        """, "--server-side", "--field-manager=bob", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('conflict with "kubectl": .spec.ports[name="a"].port', p.stderr)

    def test_upgrade_from_client_side_apply(self):
        # kube's lastAppliedManager: manager "kubectl" takes over fields whose live values still match
        # the last-applied annotation, and the annotation is kept in sync.
        self.apply_yaml(deployment_yaml("upgrade"))
        self.apply_yaml(deployment_yaml("upgrade", replicas=4), "--server-side")
        d = self.get_json("deployment", "upgrade")
        self.assertEqual(d["spec"]["replicas"], 4)
        last = json.loads(d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
        self.assertEqual(last["spec"]["replicas"], 4)
        self.assertIn("kubectl", [e["manager"] for e in d["metadata"]["managedFields"]])

    def test_removing_a_field_from_the_config_removes_it(self):
        self.apply_yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: ssa-cm, labels: {a: "1", b: "2"}}
        data: {x: "1", y: "2"}
        """, "--server-side")
        self.apply_yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: ssa-cm, labels: {a: "1"}}
        data: {x: "1"}
        """, "--server-side")
        cm = self.get_json("configmap", "ssa-cm")
        self.assertEqual(cm["data"], {"x": "1"})
        self.assertEqual(cm["metadata"]["labels"], {"a": "1"})


class Patch(KubectlTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        subprocess.run([KUBECTL, "apply", "-f", "-"], input=textwrap.dedent(deployment_yaml("pt")), env=cls.env,
                       capture_output=True, text=True, check=True, timeout=90)

    def test_strategic(self):
        self.kubectl("patch", "deployment", "pt", "--type", "strategic", "-p",
                     '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}')
        d = self.get_json("deployment", "pt")
        names = [c["name"] for c in d["spec"]["template"]["spec"]["containers"]]
        self.assertEqual(names, ["sidecar", "nginx"])  # strategicpatch puts items the live list lacks first
        self.kubectl("patch", "deployment", "pt", "-p",
                     '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}')
        d = self.get_json("deployment", "pt")
        self.assertEqual([c["name"] for c in d["spec"]["template"]["spec"]["containers"]], ["nginx"])
        entry = [e for e in d["metadata"]["managedFields"] if e["manager"] == "kubectl-patch"]
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry[0]["operation"], "Update")

    def test_merge(self):
        self.kubectl("patch", "deployment", "pt", "--type", "merge", "-p",
                     '{"metadata":{"labels":{"extra":"yes"}},"spec":{"replicas":4}}')
        d = self.get_json("deployment", "pt")
        self.assertEqual(d["metadata"]["labels"]["extra"], "yes")
        self.assertEqual(d["spec"]["replicas"], 4)

    def test_json_and_failing_test_op(self):
        self.kubectl("patch", "deployment", "pt", "--type", "json", "-p",
                     '[{"op":"add","path":"/metadata/annotations","value":{"note":"x"}},'
                     '{"op":"test","path":"/metadata/annotations/note","value":"x"}]')
        self.assertEqual(self.get_json("deployment", "pt")["metadata"]["annotations"]["note"], "x")
        rv = self.get_json("deployment", "pt")["metadata"]["resourceVersion"]
        p = self.kubectl("patch", "deployment", "pt", "--type", "json", "-p",
                         '[{"op":"test","path":"/spec/replicas","value":99},'
                         '{"op":"replace","path":"/spec/replicas","value":7}]', check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("The request is invalid: the server rejected our request due to an error in our request",
                      p.stderr)
        d = self.get_json("deployment", "pt")
        self.assertNotEqual(d["spec"]["replicas"], 7)
        self.assertEqual(d["metadata"]["resourceVersion"], rv)

    def test_rollout_restart(self):
        self.kubectl("rollout", "restart", "deployment/pt")
        d = self.get_json("deployment", "pt")
        self.assertIn("kubectl.kubernetes.io/restartedAt", d["spec"]["template"]["metadata"]["annotations"])
        self.assertEqual([c["name"] for c in d["spec"]["template"]["spec"]["containers"]][0], "nginx")


class GetTables(KubectlTest):
    def header(self, text):
        return text.splitlines()[0].split()

    def test_pods(self):
        self.kubectl("create", "-f", "-", stdin=textwrap.dedent("""
        apiVersion: v1
        kind: Pod
        metadata: {name: tbl-pod}
        spec:
          containers: [{name: app, image: busybox}]
        """))
        out = self.kubectl("get", "pods", "tbl-pod").stdout
        self.assertEqual(self.header(out), ["NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        cells = out.splitlines()[1].split()
        self.assertEqual(cells[0], "tbl-pod")
        self.assertRegex(cells[1], r"^[01]/1$")
        self.assertIn(cells[2], ("Pending", "ContainerCreating", "Running"))
        self.assertEqual(cells[3], "0")
        self.assertRegex(cells[4], r"^\d+s$")
        wide = self.kubectl("get", "pods", "tbl-pod", "-o", "wide").stdout
        self.assertEqual(wide.splitlines()[0].split(),
                         ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE",
                          "READINESS", "GATES"])

    def test_deployments(self):
        self.apply_yaml(deployment_yaml("tbl-dep", replicas=3))
        out = self.kubectl("get", "deployments", "tbl-dep").stdout
        self.assertEqual(self.header(out), ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"])
        self.assertRegex(out.splitlines()[1], r"^tbl-dep\s+\d/3\s+\d+\s+\d+\s+\d+s")
        wide = self.kubectl("get", "deployments", "tbl-dep", "-o", "wide").stdout
        self.assertEqual(self.header(wide)[-3:], ["CONTAINERS", "IMAGES", "SELECTOR"])
        self.assertEqual(wide.splitlines()[1].split()[-3:], ["nginx", "nginx:1.25", "app=tbl-dep"])

    def test_custom_resource_printer_columns(self):
        self.kubectl("apply", "-f", "-", stdin=textwrap.dedent("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
          versions:
          - name: v1
            served: true
            storage: true
            additionalPrinterColumns:
            - {name: Size, type: integer, jsonPath: .spec.size}
            - {name: Color, type: string, jsonPath: .spec.color}
            - {name: Owner, type: string, jsonPath: .spec.owner, priority: 1}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: integer}
                      color: {type: string, default: blue}
                      owner: {type: string}
        """))
        self.kubectl("wait", "--for=condition=Established", "crd/gadgets.example.com", "--timeout=30s")
        deadline = time.time() + 30
        while True:
            p = self.apply_yaml("""
            apiVersion: example.com/v1
            kind: Gadget
            metadata: {name: g1}
            spec: {size: 3, owner: ann}
            """, check=False)
            if p.returncode == 0 or time.time() > deadline:
                break
            time.sleep(0.5)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = self.kubectl("get", "gadgets").stdout
        self.assertEqual(self.header(out), ["NAME", "SIZE", "COLOR", "AGE"])
        self.assertRegex(out.splitlines()[1], r"^g1\s+3\s+blue\s+\d+s$")
        wide = self.kubectl("get", "gadgets", "-o", "wide").stdout
        self.assertEqual(self.header(wide), ["NAME", "SIZE", "COLOR", "OWNER", "AGE"])
        self.assertEqual(wide.splitlines()[1].split()[:4], ["g1", "3", "blue", "ann"])
        # strict field validation from kubectl: unknown fields are rejected
        p = self.apply_yaml("""
        apiVersion: example.com/v1
        kind: Gadget
        metadata: {name: g2}
        spec: {size: 1, shape: round}
        """, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('strict decoding error: unknown field "spec.shape"', p.stderr)

    def test_cert_manager_certificate_columns(self):
        shared = os.environ.get("KUBE_SHARED_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                   "..", "..", "..", "shared")
        path = os.path.join(shared, "testdata", "crds", "cert-manager.io_certificates.yaml")
        if not os.path.exists(path):
            self.skipTest("%s not found (set KUBE_SHARED_DIR)" % path)
        self.kubectl("apply", "-f", path)
        self.kubectl("wait", "--for=condition=Established", "crd/certificates.cert-manager.io", "--timeout=30s")
        deadline = time.time() + 30
        while True:
            p = self.apply_yaml("""
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: site}
            spec:
              secretName: site-tls
              issuerRef: {name: letsencrypt}
              dnsNames: [example.com]
            """, check=False)
            if p.returncode == 0 or time.time() > deadline:
                break
            time.sleep(0.5)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = self.kubectl("get", "certificates").stdout
        self.assertEqual(self.header(out), ["NAME", "READY", "SECRET", "AGE"])
        self.assertRegex(out.splitlines()[1], r"^site\s+site-tls\s+\d+s$")
        wide = self.kubectl("get", "certificates", "-o", "wide").stdout
        self.assertEqual(self.header(wide), ["NAME", "READY", "SECRET", "ISSUER", "STATUS", "AGE"])
        self.assertEqual(wide.splitlines()[1].split()[:3], ["site", "site-tls", "letsencrypt"])
        p = self.apply_yaml("""
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata: {name: broken}
        spec: {secretName: x, usages: [teleport]}
        """, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('The Certificate "broken" is invalid', p.stderr)
        self.assertIn("spec.issuerRef: Required value", p.stderr)
        self.assertIn('spec.usages[0]: Unsupported value: "teleport"', p.stderr)


if __name__ == "__main__":
    unittest.main()
