"""`--generate pods=N`: deterministic, realistic Deployment-owned pods.

Same shape as ../shared/bench/gen_podlist.py (the benchmark's reference): labels,
annotations, ownerReferences, two containers with env/mounts/resources/probes,
tolerations, status with conditions and containerStatuses, and managedFields for
kube-controller-manager and kubelet — about 9.7 KB of compact JSON per pod.
"""
import hashlib
import random

from .store import Stored, dumps

APPS = ["web-frontend", "checkout-api", "payments-worker", "search-indexer", "inventory-svc", "auth-gateway",
        "notification-dispatcher", "catalog-api", "recommendation-engine", "order-processor", "user-profile",
        "media-transcoder"]
TEAMS = ["team-a", "team-b", "commerce", "platform", "data-eng", "identity"]
SIDECARS = [("log-shipper", "fluent/fluent-bit:3.1.4", 2020),
            ("envoy", "envoyproxy/envoy:v1.31.2", 9901),
            ("otel-agent", "otel/opentelemetry-collector-contrib:0.110.0", 8888)]
ALNUM = "bcdfghjklmnpqrstvwxz2456789"
ENV_PLAIN = [("LOG_LEVEL", "info"), ("HTTP_PORT", "8080"),
             ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability.svc.cluster.local:4317"),
             ("FEATURE_FLAGS", "new-checkout,fast-search,beta-ui")]


class PodGenerator:
    def __init__(self, seed=3157):
        self.rng = random.Random(seed)

    def rs(self, n):
        return "".join(self.rng.choice(ALNUM) for _ in range(n))

    def uid(self):
        h = "%032x" % self.rng.getrandbits(128)
        return "%s-%s-4%s-a%s-%s" % (h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])

    @staticmethod
    def ts(day, sec):
        return "2026-10-%02dT%02d:%02d:%02dZ" % (day, (sec // 3600) % 24, (sec // 60) % 60, sec % 60)

    @staticmethod
    def keys(names):
        d = {".": {}}
        for n in names:
            d["f:" + n] = {}
        return d

    @staticmethod
    def probe(path, initial, period):
        return {"httpGet": {"path": path, "port": 8080, "scheme": "HTTP"}, "initialDelaySeconds": initial,
                "timeoutSeconds": 1, "periodSeconds": period, "successThreshold": 1, "failureThreshold": 3}

    def probe_fields(self):
        return {".": {}, "f:failureThreshold": {}, "f:httpGet": {".": {}, "f:path": {}, "f:port": {}, "f:scheme": {}},
                "f:initialDelaySeconds": {}, "f:periodSeconds": {}, "f:successThreshold": {}, "f:timeoutSeconds": {}}

    def container_fields(self, c):
        f = {".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {},
             "f:resources": {".": {}, "f:limits": self.keys(sorted(c["resources"]["limits"])),
                             "f:requests": self.keys(sorted(c["resources"]["requests"]))},
             "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}}
        if "env" in c:
            env = {".": {}}
            for e in c["env"]:
                k = 'k:{"name":"%s"}' % e["name"]
                if "value" in e:
                    env[k] = {".": {}, "f:name": {}, "f:value": {}}
                else:
                    src = next(iter(e["valueFrom"]))
                    inner = {".": {}}
                    for kk in e["valueFrom"][src]:
                        inner["f:" + kk] = {}
                    env[k] = {".": {}, "f:name": {}, "f:valueFrom": {".": {}, "f:" + src: inner}}
            f["f:env"] = env
        if "ports" in c:
            ports = {".": {}}
            for p in c["ports"]:
                ports['k:{"containerPort":%d,"protocol":"TCP"}' % p["containerPort"]] = {
                    ".": {}, "f:containerPort": {}, "f:name": {}, "f:protocol": {}}
            f["f:ports"] = ports
        if "livenessProbe" in c:
            f["f:livenessProbe"] = self.probe_fields()
            f["f:readinessProbe"] = self.probe_fields()
            f["f:securityContext"] = {".": {}, "f:allowPrivilegeEscalation": {}, "f:capabilities": {".": {}, "f:drop": {}},
                                      "f:readOnlyRootFilesystem": {}}
        vm = {".": {}}
        for m in c["volumeMounts"]:
            if m["name"].startswith("kube-api-access"):
                continue
            e = {".": {}, "f:mountPath": {}, "f:name": {}}
            if m.get("readOnly"):
                e["f:readOnly"] = {}
            vm['k:{"mountPath":"%s"}' % m["mountPath"]] = e
        f["f:volumeMounts"] = vm
        return f

    def env(self, app):
        rng = self.rng
        out = []
        for k in range(rng.randint(2, 6)):
            r = k % 7
            if r == 4:
                out.append({"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                                                            "fieldPath": "metadata.name"}}})
            elif r == 5:
                out.append({"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "%s-secrets" % app,
                                                                                  "key": "db-password"}}})
            elif r == 6:
                out.append({"name": "CACHE_URL_%d" % k, "valueFrom": {"configMapKeyRef": {
                    "name": "%s-config" % app, "key": "cache.url"}}})
            else:
                out.append({"name": ENV_PLAIN[r][0], "value": ENV_PLAIN[r][1]})
        return out

    def pod(self, i):
        rng = self.rng
        app = APPS[i % len(APPS)]
        ns = TEAMS[(i // len(APPS)) % len(TEAMS)]
        h = hashlib.sha1(("%s/%s/%d" % (ns, app, i // 50)).encode()).hexdigest()
        tmpl_hash = "".join(ALNUM[int(c, 16) % len(ALNUM)] for c in h[:10])
        rs_name = "%s-%s" % (app, tmpl_hash)
        name = "%s-%s" % (rs_name, self.rs(5))
        version = "1.%d.%d" % (rng.randint(0, 30), rng.randint(0, 20))
        day, t0 = rng.randint(1, 28), rng.randint(0, 86399)
        created, started = self.ts(day, t0), self.ts(day, t0 + 2)
        ready_t = self.ts(day, t0 + rng.randint(8, 40))
        node = "ip-10-0-%d-%d.eu-west-1.compute.internal" % (rng.randint(0, 63), rng.randint(1, 254))
        host_ip = "10.0.%d.%d" % (rng.randint(0, 63), rng.randint(1, 254))
        pod_ip = "10.%d.%d.%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
        rs_uid = self.uid()
        sa_vol = "kube-api-access-" + self.rs(5)
        image = "registry.example.com/%s/%s:%s" % (ns, app, version)
        labels = {"app": app, "app.kubernetes.io/name": app, "app.kubernetes.io/instance": "%s-%s" % (app, ns),
                  "app.kubernetes.io/version": version, "app.kubernetes.io/managed-by": "Helm",
                  "helm.sh/chart": "%s-%d.%d.%d" % (app, rng.randint(0, 5), rng.randint(0, 20), rng.randint(0, 9)),
                  "pod-template-hash": tmpl_hash}
        if rng.random() < 0.5:
            labels["security.istio.io/tlsMode"] = "istio"
        annotations = {"checksum/config": hashlib.sha256(name.encode()).hexdigest(),
                       "kubectl.kubernetes.io/restartedAt": self.ts(max(1, day - 1), t0),
                       "prometheus.io/scrape": "true", "prometheus.io/port": "9090", "prometheus.io/path": "/metrics",
                       "cluster-autoscaler.kubernetes.io/safe-to-evict": rng.choice(["true", "false"])}
        sa_mount = {"name": sa_vol, "readOnly": True, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}
        main = {"name": "app", "image": image,
                "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"},
                          {"name": "metrics", "containerPort": 9090, "protocol": "TCP"}],
                "env": self.env(app),
                "resources": {"limits": {"cpu": "%dm" % rng.choice([500, 1000, 2000]),
                                         "memory": "%dMi" % rng.choice([512, 1024, 2048])},
                              "requests": {"cpu": "%dm" % rng.choice([100, 250, 500]),
                                           "memory": "%dMi" % rng.choice([128, 256, 512])}},
                "volumeMounts": [{"name": "config", "readOnly": True, "mountPath": "/etc/%s" % app},
                                 {"name": "tmp", "mountPath": "/tmp"}, dict(sa_mount)],
                "livenessProbe": self.probe("/healthz", 10, 10), "readinessProbe": self.probe("/readyz", 5, 5),
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "imagePullPolicy": "IfNotPresent",
                "securityContext": {"capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": True,
                                    "allowPrivilegeEscalation": False}}
        sc_name, sc_image, _ = SIDECARS[i % len(SIDECARS)]
        side = {"name": sc_name, "image": sc_image,
                "resources": {"limits": {"cpu": "200m", "memory": "128Mi"},
                              "requests": {"cpu": "50m", "memory": "64Mi"}},
                "volumeMounts": [{"name": "tmp", "mountPath": "/var/log/app"}, dict(sa_mount)],
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "imagePullPolicy": "IfNotPresent"}
        spec = {
            "volumes": [
                {"name": "config", "configMap": {"name": "%s-config" % app, "defaultMode": 420}},
                {"name": "tmp", "emptyDir": {}},
                {"name": sa_vol, "projected": {"sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                    {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {
                        "apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}], "defaultMode": 420}}],
            "containers": [main, side], "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst", "serviceAccountName": app, "serviceAccount": app, "nodeName": node,
            "securityContext": {"runAsUser": 10001, "runAsNonRoot": True, "fsGroup": 2000},
            "schedulerName": "default-scheduler",
            "tolerations": [
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                 "tolerationSeconds": 300},
                {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                 "tolerationSeconds": 300}],
            "priority": 0, "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority"}
        conds = [{"type": t, "status": "True", "lastProbeTime": None, "lastTransitionTime": at}
                 for t, at in [("PodReadyToStartContainers", started), ("Initialized", created), ("Ready", ready_t),
                               ("ContainersReady", ready_t), ("PodScheduled", created)]]
        cstat = []
        for c in (main, side):
            restarts = rng.choice([0, 0, 0, 0, 1, 2])
            cs = {"name": c["name"], "state": {"running": {"startedAt": started}}, "lastState": {}, "ready": True,
                  "restartCount": restarts, "image": c["image"],
                  "imageID": c["image"].split(":")[0] + "@sha256:" + hashlib.sha256(c["image"].encode()).hexdigest(),
                  "containerID": "containerd://" + "%064x" % rng.getrandbits(256), "started": True}
            if restarts:
                cs["lastState"] = {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": created,
                                                  "finishedAt": started,
                                                  "containerID": "containerd://" + "%064x" % rng.getrandbits(256)}}
            cstat.append(cs)
        status = {"phase": "Running", "conditions": conds, "hostIP": host_ip, "hostIPs": [{"ip": host_ip}],
                  "podIP": pod_ip, "podIPs": [{"ip": pod_ip}], "startTime": created, "containerStatuses": cstat,
                  "qosClass": "Burstable"}
        kcm = {"f:metadata": {"f:annotations": self.keys(sorted(annotations)), "f:generateName": {},
                              "f:labels": self.keys(sorted(labels)),
                              "f:ownerReferences": {".": {}, 'k:{"uid":"%s"}' % rs_uid: {}}},
               "f:spec": {"f:containers": {'k:{"name":"%s"}' % c["name"]: self.container_fields(c)
                                           for c in (main, side)},
                          "f:dnsPolicy": {}, "f:enableServiceLinks": {}, "f:restartPolicy": {}, "f:schedulerName": {},
                          "f:securityContext": {".": {}, "f:fsGroup": {}, "f:runAsNonRoot": {}, "f:runAsUser": {}},
                          "f:serviceAccount": {}, "f:serviceAccountName": {}, "f:terminationGracePeriodSeconds": {},
                          "f:volumes": {
                              'k:{"name":"config"}': {".": {}, "f:configMap": {".": {}, "f:defaultMode": {},
                                                                               "f:name": {}}, "f:name": {}},
                              'k:{"name":"tmp"}': {".": {}, "f:emptyDir": {}, "f:name": {}}}}}
        cond_f = {'k:{"type":"%s"}' % c["type"]: {".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {},
                                                  "f:status": {}, "f:type": {}} for c in conds}
        kubelet = {"f:status": {"f:conditions": cond_f, "f:containerStatuses": {}, "f:hostIP": {}, "f:hostIPs": {},
                                "f:phase": {}, "f:podIP": {},
                                "f:podIPs": {".": {}, 'k:{"ip":"%s"}' % pod_ip: {".": {}, "f:ip": {}}},
                                "f:startTime": {}}}
        meta = {"name": name, "generateName": rs_name + "-", "namespace": ns, "uid": self.uid(),
                "resourceVersion": "", "creationTimestamp": created, "labels": labels, "annotations": annotations,
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs_name, "uid": rs_uid,
                                     "controller": True, "blockOwnerDeletion": True}],
                "managedFields": [
                    {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1",
                     "time": created, "fieldsType": "FieldsV1", "fieldsV1": kcm},
                    {"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": ready_t,
                     "fieldsType": "FieldsV1", "fieldsV1": kubelet, "subresource": "status"}]}
        return {"kind": "Pod", "apiVersion": "v1", "metadata": meta, "spec": spec, "status": status}


def generate_pods(store, n, seed=3157):
    """Load n pods straight into the store (no watch events); returns the namespaces used."""
    import gc
    gen = PodGenerator(seed)
    used = set()
    enabled = gc.isenabled()
    gc.disable()  # tens of thousands of nested dicts: cyclic GC passes would dominate
    try:
        _fill(store, gen, n, used)
    finally:
        if enabled:
            gc.enable()
        gc.freeze()  # the generated pods never become garbage cycles; keep later collections cheap
    return sorted(used)


def _fill(store, gen, n, used):
    with store.lock:
        for i in range(n):
            pod = gen.pod(i)
            rv = store.next_rv()
            pod["metadata"]["resourceVersion"] = str(rv)
            meta = pod["metadata"]
            st = Stored(None, rv, dumps(pod).encode())   # bytes only: decoded on first use
            store.put_silent(("", "pods"), meta["namespace"], meta["name"], st,
                             {"uid": meta["uid"], "ownerReferences": meta["ownerReferences"]})
            used.add(pod["metadata"]["namespace"])
        store.last_write[("", "pods")] = store.rv
        store.compacted_rv = store.rv
        store.snapshots.pop(("", "pods"), None)
