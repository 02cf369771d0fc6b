"""The kube-emulator command: --help, the ready line, --write-kubeconfig, --seed, --host, SIGTERM."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import yaml

from emutil import Emulator, PYTHON, SCRIPT

SEED = """apiVersion: v1
kind: Namespace
metadata: {name: seeded}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: seeds.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: seeds, kind: Seed}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
apiVersion: example.com/v1
kind: Seed
metadata: {name: s1, namespace: seeded}
spec: {size: 3}
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: from-list, namespace: seeded}
  data: {a: b}
"""


class CliTest(unittest.TestCase):
    def test_help_documents_every_option(self):
        out = subprocess.run([PYTHON, SCRIPT, "--help"], capture_output=True, text=True, check=True).stdout
        for opt in ("--host", "--port", "--write-kubeconfig", "--tls", "--token", "--seed", "--openapi",
                    "--generate", "--cert-dir", "--bookmark-interval", "ready <url>", "SIGTERM", "/_emulator/"):
            self.assertIn(opt, out)

    def test_ready_line_and_kubeconfig(self):
        emu = Emulator()
        try:
            self.assertRegex(emu.url, r"^http://127\.0\.0\.1:\d+$")
            cfg = yaml.safe_load(open(emu.kubeconfig))
            self.assertEqual(cfg["current-context"], "kube-emulator")
            self.assertEqual(cfg["clusters"][0]["cluster"]["server"], emu.url)
            self.assertEqual(cfg["contexts"][0]["context"]["namespace"], "default")
            self.assertEqual(oct(os.stat(emu.kubeconfig).st_mode & 0o777), "0o600")
            # exactly one line on stdout
            emu.proc.terminate()
            self.assertEqual(emu.proc.wait(10), 0)
            self.assertEqual(emu.proc.stdout.read(), b"")
        finally:
            emu.stop()

    def test_seed_directory_and_file(self):
        d = tempfile.mkdtemp()
        try:
            with open(os.path.join(d, "a.yaml"), "w") as f:
                f.write(SEED)
            single = os.path.join(d, "single.json")
            with open(single, "w") as f:
                json.dump({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "solo"}}, f)
            sub = os.path.join(d, "dir")
            os.mkdir(sub)
            shutil.copy(os.path.join(d, "a.yaml"), os.path.join(sub, "b.yml"))
            os.remove(os.path.join(d, "a.yaml"))
            emu = Emulator("--seed", sub, "--seed", single)
            try:
                st, _, s1 = emu.get("/apis/example.com/v1/namespaces/seeded/seeds/s1")
                self.assertEqual((st, s1["spec"]), (200, {"size": 3}))
                st, _, c = emu.get("/api/v1/namespaces/seeded/configmaps/from-list")
                self.assertEqual(c["data"], {"a": "b"})
                st, _, c = emu.get("/api/v1/namespaces/default/configmaps/solo")
                self.assertEqual(st, 200)
            finally:
                emu.stop()
        finally:
            shutil.rmtree(d)

    def test_bad_seed_fails_to_start(self):
        d = tempfile.mkdtemp()
        try:
            p = os.path.join(d, "bad.yaml")
            with open(p, "w") as f:
                f.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n")
            r = subprocess.run([PYTHON, SCRIPT, "--port", "0", "--seed", p], capture_output=True, text=True,
                               timeout=30)
            self.assertNotEqual(r.returncode, 0)
            self.assertNotIn("ready", r.stdout)
            self.assertIn("Bad_Name", r.stderr)
        finally:
            shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main()
