"""Unit tests for kube_emulator.tables: HumanDuration, kube-apiserver's printer
columns and cells for built-in kinds, CRD additionalPrinterColumns, the default
table, and includeObject."""

import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kube_emulator import tables as T  # noqa: E402

NOW = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


def ago(**kw):
    return (NOW - datetime.timedelta(**kw)).strftime("%Y-%m-%dT%H:%M:%SZ")


def res(group, version, kind, plural, namespaced=True, crd=None):
    return {"group": group, "version": version, "kind": kind, "plural": plural, "namespaced": namespaced, "crd": crd}


POD = res("", "v1", "Pod", "pods")


def shared_dir():
    d = os.environ.get("KUBE_SHARED_DIR")
    if d:
        return d
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")


def row(resource, obj, include="None"):
    t = T.to_table(resource, [obj], include, NOW)
    return t["rows"][0]


class HumanDuration(unittest.TestCase):
    CASES = [
        (-5, "<invalid>"), (-2, "<invalid>"), (-1, "0s"), (0, "0s"), (1, "1s"), (59, "59s"), (119, "119s"),
        (120, "2m"), (121, "2m1s"), (599, "9m59s"), (600, "10m"), (659, "10m"), (3599, "59m"),
        (3 * 3600 - 1, "179m"), (3 * 3600, "3h"), (3 * 3600 + 60, "3h1m"), (8 * 3600 - 60, "7h59m"),
        (8 * 3600, "8h"), (47 * 3600 + 3599, "47h"), (48 * 3600, "2d"), (50 * 3600, "2d2h"),
        (8 * 86400 - 3600, "7d23h"), (8 * 86400, "8d"), (729 * 86400, "729d"), (730 * 86400, "2y"),
        (733 * 86400, "2y3d"), (8 * 365 * 86400 - 86400, "7y364d"), (8 * 365 * 86400, "8y"), (20 * 365 * 86400, "20y"),
    ]

    def test_table(self):
        for seconds, want in self.CASES:
            with self.subTest(seconds=seconds):
                self.assertEqual(T.human_duration(datetime.timedelta(seconds=seconds)), want)

    def test_fractional_seconds_truncate(self):
        self.assertEqual(T.human_duration(datetime.timedelta(seconds=1.9)), "1s")
        self.assertEqual(T.human_duration(datetime.timedelta(seconds=-1.5)), "0s")

    def test_since_unknown(self):
        self.assertEqual(T.since(None, NOW), "<unknown>")
        self.assertEqual(T.since(ago(seconds=200), NOW), "3m20s")
        self.assertEqual(T.since(ago(days=2, hours=3), NOW), "2d3h")


def pod(phase="Running", **extra):
    p = {"metadata": {"name": "web-1", "namespace": "default", "creationTimestamp": ago(minutes=5),
                      "uid": "u1", "resourceVersion": "7"},
         "spec": {"containers": [{"name": "app", "image": "app:1"}], "nodeName": "node-1"},
         "status": {"phase": phase}}
    for k, v in extra.items():
        p[k] = v
    return p


class PodTable(unittest.TestCase):
    def test_columns(self):
        t = T.to_table(POD, [], "Metadata", NOW)
        cols = t["columnDefinitions"]
        self.assertEqual([(c["name"], c["type"], c["format"], c["priority"]) for c in cols], [
            ("Name", "string", "name", 0), ("Ready", "string", "", 0), ("Status", "string", "", 0),
            ("Restarts", "string", "", 0), ("Age", "string", "", 0), ("IP", "string", "", 1),
            ("Node", "string", "", 1), ("Nominated Node", "string", "", 1), ("Readiness Gates", "string", "", 1)])
        self.assertEqual(list(cols[0]), ["name", "type", "format", "description", "priority"])
        self.assertTrue(cols[0]["description"].startswith("Name must be unique within a namespace."))
        self.assertTrue(cols[4]["description"].startswith("CreationTimestamp is a timestamp"))
        self.assertEqual(cols[1]["description"], "The aggregate readiness state of this pod for accepting traffic.")
        self.assertEqual(t["kind"], "Table")
        self.assertEqual(t["apiVersion"], "meta.k8s.io/v1")
        self.assertEqual(t["rows"], [])

    def test_pending_without_statuses(self):
        p = pod("Pending")
        del p["spec"]["nodeName"]
        self.assertEqual(row(POD, p)["cells"], ["web-1", "0/1", "Pending", "0", "5m", "<none>", "<none>", "<none>",
                                                "<none>"])

    def test_running_ready_with_restarts_ago(self):
        p = pod()
        p["status"].update({
            "podIPs": [{"ip": "10.1.2.3"}], "podIP": "10.1.2.3",
            "containerStatuses": [{"name": "app", "ready": True, "restartCount": 3, "state": {"running": {}},
                                   "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(seconds=150)}}}]})
        r = row(POD, p)
        self.assertEqual(r["cells"], ["web-1", "1/1", "Running", "3 (2m30s ago)", "5m", "10.1.2.3", "node-1",
                                      "<none>", "<none>"])
        self.assertNotIn("conditions", r)

    def test_restarts_without_termination_time(self):
        p = pod()
        p["status"]["containerStatuses"] = [{"name": "app", "ready": False, "restartCount": 2,
                                             "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]
        self.assertEqual(row(POD, p)["cells"][1:4], ["0/1", "CrashLoopBackOff", "2"])

    def test_container_creating(self):
        p = pod("Pending")
        p["status"]["containerStatuses"] = [{"name": "app", "ready": False, "restartCount": 0,
                                             "state": {"waiting": {"reason": "ContainerCreating"}}}]
        self.assertEqual(row(POD, p)["cells"][2], "ContainerCreating")

    def test_succeeded_is_completed_with_row_condition(self):
        p = pod("Succeeded")
        p["status"]["containerStatuses"] = [{"name": "app", "ready": False, "restartCount": 0,
                                             "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]
        r = row(POD, p)
        self.assertEqual(r["cells"][1:3], ["0/1", "Completed"])
        self.assertEqual(r["conditions"], [{"type": "Completed", "status": "True", "reason": "Succeeded",
                                            "message": "The pod has completed successfully."}])

    def test_failed(self):
        p = pod("Failed")
        p["status"]["containerStatuses"] = [{"name": "app", "ready": False, "restartCount": 0,
                                             "state": {"terminated": {"exitCode": 2}}}]
        r = row(POD, p)
        self.assertEqual(r["cells"][2], "ExitCode:2")
        self.assertEqual(r["conditions"][0]["reason"], "Failed")

    def test_status_reason_wins(self):
        p = pod("Failed")
        p["status"]["reason"] = "Evicted"
        self.assertEqual(row(POD, p)["cells"][2], "Evicted")

    def test_init_containers(self):
        p = pod("Pending")
        p["spec"]["initContainers"] = [{"name": "i1"}, {"name": "i2"}]
        p["status"]["initContainerStatuses"] = [
            {"name": "i1", "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
            {"name": "i2", "restartCount": 0, "state": {"running": {}}}]
        self.assertEqual(row(POD, p)["cells"][2], "Init:1/2")
        p["status"]["initContainerStatuses"][1] = {"name": "i2", "restartCount": 4,
                                                   "state": {"waiting": {"reason": "CrashLoopBackOff"}}}
        self.assertEqual(row(POD, p)["cells"][2:4], ["Init:CrashLoopBackOff", "4"])
        p["status"]["initContainerStatuses"][1] = {"name": "i2", "restartCount": 0,
                                                   "state": {"terminated": {"exitCode": 3}}}
        self.assertEqual(row(POD, p)["cells"][2], "Init:ExitCode:3")

    def test_restartable_init_container_counts(self):
        p = pod()
        p["spec"]["initContainers"] = [{"name": "proxy", "restartPolicy": "Always"}]
        p["status"]["initContainerStatuses"] = [{"name": "proxy", "ready": True, "started": True, "restartCount": 1,
                                                 "state": {"running": {}}}]
        p["status"]["containerStatuses"] = [{"name": "app", "ready": True, "restartCount": 0,
                                             "state": {"running": {}}}]
        p["status"]["conditions"] = [{"type": "Initialized", "status": "True"}]
        self.assertEqual(row(POD, p)["cells"][1:4], ["2/2", "Running", "1"])

    def test_terminating(self):
        p = pod()
        p["metadata"]["deletionTimestamp"] = ago(seconds=1)
        self.assertEqual(row(POD, p)["cells"][2], "Terminating")
        p["status"]["reason"] = "NodeLost"
        self.assertEqual(row(POD, p)["cells"][2], "Unknown")

    def test_completed_with_running_container_shows_not_ready(self):
        p = pod()
        p["spec"]["containers"].append({"name": "b"})
        p["status"]["containerStatuses"] = [
            {"name": "app", "ready": True, "restartCount": 0, "state": {"running": {}}},
            {"name": "b", "ready": False, "restartCount": 0, "state": {"terminated": {"exitCode": 0,
                                                                                     "reason": "Completed"}}}]
        self.assertEqual(row(POD, p)["cells"][1:3], ["1/2", "NotReady"])
        p["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
        self.assertEqual(row(POD, p)["cells"][2], "Running")

    def test_pod_ip_from_legacy_field(self):
        p = pod()
        p["status"]["podIP"] = "10.9.8.7"
        self.assertEqual(row(POD, p)["cells"][5], "10.9.8.7")

    def test_readiness_gates_and_nominated_node(self):
        p = pod()
        p["spec"]["readinessGates"] = [{"conditionType": "a"}, {"conditionType": "b"}]
        p["status"]["conditions"] = [{"type": "a", "status": "True"}, {"type": "b", "status": "False"}]
        p["status"]["nominatedNodeName"] = "node-2"
        self.assertEqual(row(POD, p)["cells"][7:], ["node-2", "1/2"])

    def test_scheduling_gated(self):
        p = pod("Pending")
        p["status"]["conditions"] = [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]
        self.assertEqual(row(POD, p)["cells"][2], "SchedulingGated")


class IncludeObject(unittest.TestCase):
    def test_modes(self):
        p = pod()
        self.assertIsNone(row(POD, p, "None")["object"])
        meta = row(POD, p, "Metadata")["object"]
        self.assertEqual(meta, {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                "metadata": p["metadata"]})
        full = row(POD, p, "Object")["object"]
        self.assertEqual((full["kind"], full["apiVersion"], full["spec"]), ("Pod", "v1", p["spec"]))
        # default is Metadata
        self.assertEqual(T.to_table(POD, [p], "", NOW)["rows"][0]["object"]["kind"], "PartialObjectMetadata")
        self.assertEqual(list(row(POD, p, "Metadata")), ["cells", "object"])


class BuiltinKinds(unittest.TestCase):
    def test_deployment(self):
        d = {"metadata": {"name": "web", "creationTimestamp": ago(hours=2)},
             "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web", "tier": "fe"},
                                                  "matchExpressions": [{"key": "env", "operator": "In",
                                                                        "values": ["prod", "dev"]}]},
                      "template": {"spec": {"containers": [{"name": "a", "image": "a:1"},
                                                           {"name": "b", "image": "b:2"}]}}},
             "status": {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2}}
        t = T.to_table(res("apps", "v1", "Deployment", "deployments"), [d], "None", NOW)
        self.assertEqual([c["name"] for c in t["columnDefinitions"]],
                         ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"])
        self.assertEqual(t["rows"][0]["cells"], ["web", "2/3", 3, 2, "120m", "a,b", "a:1,b:2",
                                                 "app=web,env in (dev,prod),tier=fe"])

    def test_replicaset_and_statefulset(self):
        rs = {"metadata": {"name": "web-1", "creationTimestamp": ago(seconds=30)},
              "spec": {"replicas": 2, "selector": {"matchLabels": {"a": "b"}},
                       "template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}},
              "status": {"replicas": 2, "readyReplicas": 1}}
        self.assertEqual(row(res("apps", "v1", "ReplicaSet", "replicasets"), rs)["cells"],
                         ["web-1", 2, 2, 1, "30s", "c", "i", "a=b"])
        ss = {"metadata": {"name": "db", "creationTimestamp": ago(days=3)}, "spec": {"replicas": 3},
              "status": {"readyReplicas": 3}}
        self.assertEqual(row(res("apps", "v1", "StatefulSet", "statefulsets"), ss)["cells"],
                         ["db", "3/3", "3d", "", ""])

    def test_services(self):
        svc = res("", "v1", "Service", "services")
        cip = {"metadata": {"name": "s", "creationTimestamp": ago(minutes=1)},
               "spec": {"type": "ClusterIP", "clusterIP": "10.0.0.1", "clusterIPs": ["10.0.0.1"],
                        "ports": [{"port": 80, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}],
                        "selector": {"app": "x"}}}
        self.assertEqual(row(svc, cip)["cells"], ["s", "ClusterIP", "10.0.0.1", "<none>", "80/TCP,53/UDP", "60s",
                                                  "app=x"])
        np_ = {"metadata": {"name": "n"}, "spec": {"type": "NodePort", "clusterIPs": ["10.0.0.2"],
                                                   "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}]}}
        self.assertEqual(row(svc, np_)["cells"][1:5], ["NodePort", "10.0.0.2", "<none>", "80:30080/TCP"])
        self.assertEqual(row(svc, np_)["cells"][5:], ["<unknown>", "<none>"])
        lb = {"metadata": {"name": "l"}, "spec": {"type": "LoadBalancer", "clusterIPs": ["10.0.0.3"]}}
        self.assertEqual(row(svc, lb)["cells"][3:5], ["<pending>", "<none>"])
        lb["status"] = {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}
        self.assertEqual(row(svc, lb)["cells"][3], "1.2.3.4")
        en = {"metadata": {"name": "e"}, "spec": {"type": "ExternalName", "externalName": "example.com"}}
        self.assertEqual(row(svc, en)["cells"][1:4], ["ExternalName", "<none>", "example.com"])

    def test_configmap_secret_namespace_serviceaccount(self):
        cm = {"metadata": {"name": "c", "creationTimestamp": ago(seconds=5)}, "data": {"a": "1", "b": "2"},
              "binaryData": {"z": "AA=="}}
        t = T.to_table(res("", "v1", "ConfigMap", "configmaps"), [cm], "None", NOW)
        self.assertEqual([c["name"] for c in t["columnDefinitions"]], ["Name", "Data", "Age"])
        self.assertEqual(t["rows"][0]["cells"], ["c", 3, "5s"])
        sec = {"metadata": {"name": "s", "creationTimestamp": ago(seconds=5)}, "type": "Opaque", "data": {"a": "MQ=="}}
        self.assertEqual(row(res("", "v1", "Secret", "secrets"), sec)["cells"], ["s", "Opaque", 1, "5s"])
        ns = {"metadata": {"name": "default", "creationTimestamp": ago(days=10)}, "status": {"phase": "Active"}}
        self.assertEqual(row(res("", "v1", "Namespace", "namespaces", False), ns)["cells"],
                         ["default", "Active", "10d"])
        sa = {"metadata": {"name": "default", "creationTimestamp": ago(days=1)}}
        self.assertEqual(row(res("", "v1", "ServiceAccount", "serviceaccounts"), sa)["cells"], ["default", 0, "24h"])

    def test_node(self):
        node = {"metadata": {"name": "n1", "creationTimestamp": ago(days=400),
                             "labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "worker"}},
                "spec": {"unschedulable": True},
                "status": {"conditions": [{"type": "MemoryPressure", "status": "False"},
                                          {"type": "Ready", "status": "True"}],
                           "addresses": [{"type": "InternalIP", "address": "192.168.0.10"}],
                           "nodeInfo": {"kubeletVersion": "v1.32.0", "osImage": "Debian", "kernelVersion": "6.1",
                                        "containerRuntimeVersion": "containerd://1.7"}}}
        t = T.to_table(res("", "v1", "Node", "nodes", False), [node], "None", NOW)
        self.assertEqual([c["name"] for c in t["columnDefinitions"] if c["priority"] == 0],
                         ["Name", "Status", "Roles", "Age", "Version"])
        self.assertEqual(t["rows"][0]["cells"], ["n1", "Ready,SchedulingDisabled", "control-plane,worker", "400d",
                                                 "v1.32.0", "192.168.0.10", "<none>", "Debian", "6.1",
                                                 "containerd://1.7"])
        bare = {"metadata": {"name": "n2"}}
        self.assertEqual(row(res("", "v1", "Node", "nodes", False), bare)["cells"][:3], ["n2", "Unknown", "<none>"])

    def test_core_event(self):
        ev = {"metadata": {"name": "web-1.17abc", "creationTimestamp": ago(minutes=3)},
              "involvedObject": {"kind": "Pod", "name": "web-1", "fieldPath": "spec.containers{app}"},
              "reason": "Pulled", "message": "  Successfully pulled image  \n", "type": "Normal",
              "source": {"component": "kubelet", "host": "node-1"},
              "firstTimestamp": ago(minutes=3), "lastTimestamp": ago(seconds=20), "count": 4}
        t = T.to_table(res("", "v1", "Event", "events"), [ev], "None", NOW)
        self.assertEqual([c["name"] for c in t["columnDefinitions"]],
                         ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen",
                          "Count", "Name"])
        self.assertEqual(t["rows"][0]["cells"], ["20s", "Normal", "Pulled", "pod/web-1", "spec.containers{app}",
                                                 "kubelet, node-1", "Successfully pulled image", "3m", 4,
                                                 "web-1.17abc"])

    def test_events_k8s_io_event(self):
        ev = {"apiVersion": "events.k8s.io/v1", "kind": "Event",
              "metadata": {"name": "x.1", "creationTimestamp": ago(minutes=1)},
              "eventTime": "2024-05-01T11:59:00.000000Z", "reportingController": "ctl", "reportingInstance": "ctl-1",
              "action": "Sync", "reason": "Synced", "regarding": {"kind": "Deployment", "name": "web"},
              "note": "ok", "type": "Normal",
              "series": {"count": 7, "lastObservedTime": "2024-05-01T11:59:50.000000Z"}}
        self.assertEqual(row(res("events.k8s.io", "v1", "Event", "events"), ev)["cells"],
                         ["10s", "Normal", "Synced", "deployment/web", "", "ctl, ctl-1", "ok", "60s", 7, "x.1"])

    def test_job_and_cronjob(self):
        job = {"metadata": {"name": "j", "creationTimestamp": ago(minutes=4)},
               "spec": {"completions": 3, "selector": {"matchLabels": {"job": "j"}},
                        "template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}}},
               "status": {"succeeded": 1, "startTime": ago(minutes=4)}}
        jr = res("batch", "v1", "Job", "jobs")
        self.assertEqual(row(jr, job)["cells"], ["j", "Running", "1/3", "4m", "4m", "c", "busybox", "job=j"])
        job["status"].update({"succeeded": 3, "completionTime": ago(minutes=1),
                              "conditions": [{"type": "Complete", "status": "True"}]})
        self.assertEqual(row(jr, job)["cells"][1:4], ["Complete", "3/3", "3m"])
        del job["spec"]["completions"]
        job["spec"]["parallelism"] = 2
        self.assertEqual(row(jr, job)["cells"][2], "3/1 of 2")
        cj = {"metadata": {"name": "cj", "creationTimestamp": ago(hours=1)},
              "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}},
              "status": {"active": [{"name": "x"}], "lastScheduleTime": ago(minutes=2)}}
        self.assertEqual(row(res("batch", "v1", "CronJob", "cronjobs"), cj)["cells"],
                         ["cj", "*/5 * * * *", "<none>", "<unset>", 1, "2m", "60m", "", "", "<none>"])

    def test_lease(self):
        lease = {"metadata": {"name": "lock", "creationTimestamp": ago(seconds=10)},
                 "spec": {"holderIdentity": "pod-a", "leaseDurationSeconds": 15}}
        t = T.to_table(res("coordination.k8s.io", "v1", "Lease", "leases"), [lease], "None", NOW)
        self.assertEqual([c["name"] for c in t["columnDefinitions"]], ["Name", "Holder", "Age"])
        self.assertEqual(t["rows"][0]["cells"], ["lock", "pod-a", "10s"])

    def test_pvc_pv_daemonset_ingress(self):
        pvc = {"metadata": {"name": "data", "creationTimestamp": ago(days=2)},
               "spec": {"volumeName": "pv1", "storageClassName": "fast", "volumeMode": "Filesystem"},
               "status": {"phase": "Bound", "capacity": {"storage": "10Gi"},
                          "accessModes": ["ReadWriteMany", "ReadWriteOnce"]}}
        self.assertEqual(row(res("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"), pvc)["cells"],
                         ["data", "Bound", "pv1", "10Gi", "RWO,RWX", "fast", "<unset>", "2d", "Filesystem"])
        pv = {"metadata": {"name": "pv1"}, "spec": {"capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce"],
                                                    "persistentVolumeReclaimPolicy": "Retain",
                                                    "claimRef": {"namespace": "default", "name": "data"}},
              "status": {"phase": "Bound"}}
        self.assertEqual(row(res("", "v1", "PersistentVolume", "persistentvolumes", False), pv)["cells"][:7],
                         ["pv1", "10Gi", "RWO", "Retain", "Bound", "default/data", ""])
        ds = {"metadata": {"name": "agent"}, "spec": {"selector": {"matchLabels": {"a": "b"}},
                                                      "template": {"spec": {"nodeSelector": {"os": "linux"},
                                                                            "containers": [{"name": "a",
                                                                                            "image": "a"}]}}},
              "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2,
                         "updatedNumberScheduled": 3, "numberAvailable": 2}}
        self.assertEqual(row(res("apps", "v1", "DaemonSet", "daemonsets"), ds)["cells"],
                         ["agent", 3, 3, 2, 3, 2, "os=linux", "<unknown>", "a", "a", "a=b"])
        ing = {"metadata": {"name": "i"}, "spec": {"ingressClassName": "nginx", "rules": [{"host": "a.example"}],
                                                   "tls": [{"hosts": ["a.example"]}]}}
        self.assertEqual(row(res("networking.k8s.io", "v1", "Ingress", "ingresses"), ing)["cells"][:5],
                         ["i", "nginx", "a.example", "", "80, 443"])

    def test_default_table_for_kinds_without_printer(self):
        role = {"metadata": {"name": "reader", "creationTimestamp": "2024-04-30T10:00:00Z"}}
        t = T.to_table(res("rbac.authorization.k8s.io", "v1", "Role", "roles"), [role], "None", NOW)
        self.assertEqual([(c["name"], c["type"], c["format"]) for c in t["columnDefinitions"]],
                         [("Name", "string", "name"), ("Created At", "date", "")])
        self.assertEqual(t["rows"][0]["cells"], ["reader", "2024-04-30T10:00:00Z"])


class CustomResources(unittest.TestCase):
    def load_certificate_crd(self):
        path = os.path.join(shared_dir(), "testdata", "crds", "cert-manager.io_certificates.yaml")
        if not os.path.exists(path):
            self.skipTest("%s not found (set KUBE_SHARED_DIR)" % path)
        import yaml
        with open(path) as fh:
            return yaml.safe_load(fh)

    def test_cert_manager_printer_columns(self):
        crd = self.load_certificate_crd()
        r = res("cert-manager.io", "v1", "Certificate", "certificates", crd=crd)
        cert = {"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
                "metadata": {"name": "site", "namespace": "default", "creationTimestamp": ago(hours=5)},
                "spec": {"secretName": "site-tls", "issuerRef": {"name": "letsencrypt"}},
                "status": {"conditions": [{"type": "Issuing", "status": "False", "message": "no"},
                                          {"type": "Ready", "status": "True",
                                           "message": "Certificate is up to date and has not expired"}]}}
        t = T.to_table(r, [cert], "Object", NOW)
        self.assertEqual([(c["name"], c["type"], c["priority"]) for c in t["columnDefinitions"]],
                         [("Name", "string", 0), ("Ready", "string", 0), ("Secret", "string", 0),
                          ("Issuer", "string", 1), ("Status", "string", 1), ("Age", "date", 0)])
        self.assertEqual(t["columnDefinitions"][2]["description"],
                         "Custom resource definition column (in JSONPath format): .spec.secretName")
        self.assertTrue(t["columnDefinitions"][5]["description"].startswith("CreationTimestamp is a timestamp"))
        self.assertEqual(t["rows"][0]["cells"], ["site", "True", "site-tls", "letsencrypt",
                                                 "Certificate is up to date and has not expired", "5h"])
        self.assertEqual(t["rows"][0]["object"]["spec"], cert["spec"])
        # missing values are null cells
        bare = {"metadata": {"name": "new", "creationTimestamp": ago(seconds=3)}, "spec": {"secretName": "x"}}
        self.assertEqual(T.to_table(r, [bare], "None", NOW)["rows"][0]["cells"],
                         ["new", None, "x", None, None, "3s"])

    def test_default_age_column_and_typed_cells(self):
        crd = {"spec": {"versions": [{"name": "v1", "additionalPrinterColumns": []}]}}
        r = res("example.com", "v1", "Widget", "widgets", crd=crd)
        w = {"metadata": {"name": "w", "creationTimestamp": ago(minutes=90)}}
        t = T.to_table(r, [w], "None", NOW)
        self.assertEqual([(c["name"], c["type"]) for c in t["columnDefinitions"]], [("Name", "string"),
                                                                                    ("Age", "date")])
        self.assertEqual(t["rows"][0]["cells"], ["w", "90m"])
        crd = {"spec": {"versions": [{"name": "v1", "additionalPrinterColumns": [
            {"name": "Size", "type": "integer", "jsonPath": ".spec.size"},
            {"name": "Ratio", "type": "number", "jsonPath": ".spec.ratio"},
            {"name": "On", "type": "boolean", "jsonPath": ".spec.on"},
            {"name": "First", "type": "string", "jsonPath": ".spec.items[0].name"},
            {"name": "All", "type": "string", "jsonPath": ".spec.items[*].name"},
            {"name": "Obj", "type": "string", "jsonPath": ".spec.obj"},
            {"name": "Dotted", "type": "string", "jsonPath": ".metadata.labels['app.kubernetes.io/name']"},
            {"name": "Started", "type": "date", "jsonPath": ".status.started"}]}]}}
        r = res("example.com", "v1", "Widget", "widgets", crd=crd)
        w = {"metadata": {"name": "w", "labels": {"app.kubernetes.io/name": "demo"}},
             "spec": {"size": 3, "ratio": 0.5, "on": True, "items": [{"name": "a"}, {"name": "b"}],
                      "obj": {"k": 1}},
             "status": {"started": ago(seconds=42)}}
        self.assertEqual(T.to_table(r, [w], "None", NOW)["rows"][0]["cells"],
                         ["w", 3, 0.5, True, "a", "a", "map[k:1]", "demo", "42s"])

    def test_jsonpath(self):
        obj = {"a": {"b": [{"c": 1, "t": "x"}, {"c": 2, "t": "y"}]}}
        self.assertEqual(T.jsonpath_values(obj, ".a.b[1].c"), [2])
        self.assertEqual(T.jsonpath_values(obj, ".a.b[-1].c"), [2])
        self.assertEqual(T.jsonpath_values(obj, '.a.b[?(@.t=="x")].c'), [1])
        self.assertEqual(T.jsonpath_values(obj, "{.a.b[*].c}"), [1, 2])
        self.assertEqual(T.jsonpath_values(obj, ".a.missing"), [])


class MorePrinters(unittest.TestCase):
    def cells(self, group, kind, obj):
        return row(res(group, "v1", kind, kind.lower() + "s"), obj)["cells"]

    def names(self, group, kind):
        return [c["name"] for c in T.to_table(res(group, "v1", kind, "x"), [], "None", NOW)["columnDefinitions"]]

    def test_podtemplate(self):
        pt = {"metadata": {"name": "t"}, "template": {"metadata": {"labels": {"a": "b"}},
                                                     "spec": {"containers": [{"name": "c", "image": "i"}]}}}
        self.assertEqual(self.names("", "PodTemplate"), ["Name", "Containers", "Images", "Pod Labels"])
        self.assertEqual(self.cells("", "PodTemplate", pt), ["t", "c", "i", "a=b"])

    def test_resourcequota(self):
        rq = {"metadata": {"name": "q", "creationTimestamp": ago(seconds=9)},
              "status": {"hard": {"pods": "10", "limits.cpu": "4", "requests.cpu": "2"},
                         "used": {"pods": "3", "requests.cpu": "500m"}}}
        self.assertEqual(self.cells("", "ResourceQuota", rq),
                         ["q", "pods: 3/10, requests.cpu: 500m/2", "limits.cpu: 0/4", "9s"])

    def test_controllerrevision(self):
        cr = {"metadata": {"name": "web-7d9", "creationTimestamp": ago(seconds=9), "ownerReferences": [
            {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "uid": "u", "controller": True}]},
              "revision": 3}
        self.assertEqual(self.cells("apps", "ControllerRevision", cr), ["web-7d9", "statefulset.apps/web", 3, "9s"])

    def test_ingressclass_networkpolicy(self):
        ic = {"metadata": {"name": "nginx"}, "spec": {"controller": "k8s.io/ingress-nginx",
                                                      "parameters": {"apiGroup": "k8s.example.com",
                                                                     "kind": "IngressParameters", "name": "p"}}}
        self.assertEqual(self.cells("networking.k8s.io", "IngressClass", ic)[:3],
                         ["nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/p"])
        np_ = {"metadata": {"name": "deny"}, "spec": {"podSelector": {}}}
        self.assertEqual(self.cells("networking.k8s.io", "NetworkPolicy", np_)[:2], ["deny", "<none>"])
        np_["spec"]["podSelector"] = {"matchLabels": {"app": "db"}}
        self.assertEqual(self.cells("networking.k8s.io", "NetworkPolicy", np_)[1], "app=db")

    def test_storageclass_priorityclass(self):
        sc = {"metadata": {"name": "fast", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
              "provisioner": "csi.example.com"}
        self.assertEqual(self.cells("storage.k8s.io", "StorageClass", sc)[:5],
                         ["fast (default)", "csi.example.com", "Delete", "Immediate", False])
        pc = {"metadata": {"name": "high"}, "value": 1000, "globalDefault": True, "preemptionPolicy": "Never"}
        self.assertEqual(self.names("scheduling.k8s.io", "PriorityClass"),
                         ["Name", "Value", "Global-Default", "Age", "PreemptionPolicy"])
        self.assertEqual(self.cells("scheduling.k8s.io", "PriorityClass", pc), ["high", 1000, True, "<unknown>",
                                                                                "Never"])

    def test_componentstatus_and_apiservice(self):
        cs = {"metadata": {"name": "etcd-0"}, "conditions": [{"type": "Healthy", "status": "True", "message": "ok"}]}
        self.assertEqual(self.cells("", "ComponentStatus", cs), ["etcd-0", "Healthy", "ok", ""])
        api = {"metadata": {"name": "v1.apps"}, "spec": {}, "status": {"conditions": [
            {"type": "Available", "status": "True", "reason": "Local"}]}}
        self.assertEqual(self.cells("apiregistration.k8s.io", "APIService", api)[:3], ["v1.apps", "Local", "True"])
        api = {"metadata": {"name": "v1beta1.metrics.k8s.io"},
               "spec": {"service": {"namespace": "kube-system", "name": "metrics-server"}},
               "status": {"conditions": [{"type": "Available", "status": "False",
                                          "reason": "MissingEndpoints"}]}}
        self.assertEqual(self.cells("apiregistration.k8s.io", "APIService", api)[:3],
                         ["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (MissingEndpoints)"])


if __name__ == "__main__":
    unittest.main()
