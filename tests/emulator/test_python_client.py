"""Real-client proof: python3-kubernetes (Debian package) list, watch from a resourceVersion, 410 recovery."""
import threading
import time
import unittest

from emutil import EmulatorTestCase, cm

try:
    import kubernetes
    from kubernetes import client, config, watch
    from kubernetes.client.rest import ApiException
except ImportError:  # pragma: no cover
    kubernetes = None


@unittest.skipIf(kubernetes is None, "python3-kubernetes is not installed: skipping the Python client suite")
class PythonClientTest(EmulatorTestCase):
    def setUp(self):
        self.api_client = config.new_client_from_config(config_file=self.emu.kubeconfig)
        self.core = client.CoreV1Api(self.api_client)

    def tearDown(self):
        self.api_client.close()

    def test_list_typed_and_paged(self):
        ns = self.make_ns("py")
        for i in range(3):
            self.core.create_namespaced_config_map(ns, client.V1ConfigMap(
                metadata=client.V1ObjectMeta(name="c%d" % i, labels={"n": str(i)}), data={"i": str(i)}))
        lst = self.core.list_namespaced_config_map(ns)
        self.assertEqual([c.metadata.name for c in lst.items], ["c0", "c1", "c2"])
        self.assertEqual(lst.items[1].data, {"i": "1"})
        page = self.core.list_namespaced_config_map(ns, limit=2)
        self.assertEqual(len(page.items), 2)
        rest = self.core.list_namespaced_config_map(ns, limit=2, _continue=page.metadata._continue)
        self.assertEqual([c.metadata.name for c in rest.items], ["c2"])
        sel = self.core.list_namespaced_config_map(ns, label_selector="n in (0,2)")
        self.assertEqual([c.metadata.name for c in sel.items], ["c0", "c2"])
        with self.assertRaises(ApiException) as cm_:
            self.core.read_namespaced_config_map("nope", ns)
        self.assertEqual(cm_.exception.status, 404)
        nodes = self.core.list_node()
        self.assertEqual(nodes.items[0].metadata.name, "emulator-node")

    def test_watch_from_resource_version(self):
        ns = self.make_ns("py")
        self.core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="before")))
        rv = self.core.list_namespaced_config_map(ns).metadata.resource_version

        def writer():
            time.sleep(0.3)
            self.core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="after")))
            self.core.patch_namespaced_config_map("after", ns, {"data": {"x": "1"}})
        t = threading.Thread(target=writer)
        t.start()
        seen = []
        w = watch.Watch()
        for ev in w.stream(self.core.list_namespaced_config_map, ns, resource_version=rv, timeout_seconds=5):
            seen.append((ev["type"], ev["object"].metadata.name))
            if len(seen) == 2:
                w.stop()
        t.join()
        self.assertEqual(seen, [("ADDED", "after"), ("MODIFIED", "after")])

    def test_410_recovery_by_relisting(self):
        ns = self.make_ns("py")
        self.core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="a")))
        old_rv = self.core.list_namespaced_config_map(ns).metadata.resource_version
        self.core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="b")))
        self.emu.post("/_emulator/compact", {})
        w = watch.Watch()
        with self.assertRaises(ApiException) as ctx:
            for ev in w.stream(self.core.list_namespaced_config_map, ns, resource_version=old_rv,
                               timeout_seconds=5):
                pass
        self.assertEqual(ctx.exception.status, 410)
        # relist gives the current state and a fresh RV that can be watched from
        lst = self.core.list_namespaced_config_map(ns)
        self.assertEqual([c.metadata.name for c in lst.items], ["a", "b"])
        got = []

        def writer():
            time.sleep(0.3)
            self.core.delete_namespaced_config_map("a", ns)
        t = threading.Thread(target=writer)
        t.start()
        for ev in w.stream(self.core.list_namespaced_config_map, ns, resource_version=lst.metadata.resource_version,
                           timeout_seconds=5):
            got.append((ev["type"], ev["object"].metadata.name))
            w.stop()
        t.join()
        self.assertEqual(got, [("DELETED", "a")])

    def test_apps_and_custom_objects(self):
        ns = self.make_ns("py")
        apps = client.AppsV1Api(self.api_client)
        dep = client.V1Deployment(
            metadata=client.V1ObjectMeta(name="d"),
            spec=client.V1DeploymentSpec(
                replicas=2, selector=client.V1LabelSelector(match_labels={"a": "b"}),
                template=client.V1PodTemplateSpec(metadata=client.V1ObjectMeta(labels={"a": "b"}),
                                                  spec=client.V1PodSpec(containers=[
                                                      client.V1Container(name="c", image="nginx:1.27")]))))
        apps.create_namespaced_deployment(ns, dep)
        sc = apps.read_namespaced_deployment_scale("d", ns)
        self.assertEqual(sc.spec.replicas, 2)
        apps.patch_namespaced_deployment_scale("d", ns, {"spec": {"replicas": 3}})
        self.assertEqual(apps.read_namespaced_deployment("d", ns).spec.replicas, 3)


if __name__ == "__main__":
    unittest.main()
