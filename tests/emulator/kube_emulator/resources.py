"""The resource registry: every resource the emulator serves, built-in or CRD.

A Resource describes one served group/version/resource: names, scope, verbs,
subresources and the per-kind behaviour the handlers need (status subresource,
generation rules, field selectors, graceful deletion...). Built-in resources are
listed in BUILTINS in kube-apiserver's discovery order; custom resources are
added and removed at run time by the CRD controller.
"""
import base64
import hashlib
import threading

ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
NO_DELCOL = ["create", "delete", "get", "list", "patch", "update", "watch"]
CRD_VERBS = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]
CRD_VERBS_TERMINATING = ["delete", "deletecollection", "get", "list", "watch"]
GPU = ["get", "patch", "update"]


def storage_version_hash(group, version, kind):
    """base64 of the first 8 bytes of sha256("group/version/Kind")."""
    digest = hashlib.sha256(("%s/%s/%s" % (group, version, kind)).encode()).digest()
    return base64.b64encode(digest[:8]).decode()


class Resource:
    """One served resource (plural) in one group/version."""

    def __init__(self, group, version, plural, kind, namespaced=True, singular=None,
                 short_names=None, categories=None, verbs=None, subresources=None,
                 status=False, generation=False, field_selectors=(), graceful=False,
                 return_deleted=False, require_rv=False, create_on_update=False,
                 storage=None, storage_gvk=None, crd=None, list_kind=None):
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
        self.singular = singular if singular is not None else kind.lower()
        self.short_names = short_names or []
        self.categories = categories or []
        self.verbs = list(verbs if verbs is not None else ALL_VERBS)
        # subresources: name -> {"verbs": [...], "group","version","kind"} (kind "" for none)
        self.subresources = subresources or {}
        self.status = status or "status" in self.subresources
        self.generation = generation          # bump metadata.generation on spec changes
        self.field_selectors = set(field_selectors)
        self.graceful = graceful              # pods: deletion grace period
        self.return_deleted = return_deleted  # DELETE returns the object, not a Status
        self.require_rv = require_rv          # PUT must carry metadata.resourceVersion
        self.create_on_update = create_on_update
        # storage key: resources sharing storage (core and events.k8s.io events) share it
        self.storage = storage or (group, plural)
        sg, sv, sk = storage_gvk or (group, version, kind)
        self.storage_version_hash = storage_version_hash(sg, sv, sk)
        self.storage_api_version = "%s/%s" % (sg, sv) if sg else sv
        self.crd = crd                        # the CRD dict for custom resources
        self.list_kind = list_kind or kind + "List"

    @property
    def api_version(self):
        return "%s/%s" % (self.group, self.version) if self.group else self.version

    @property
    def group_version(self):
        return self.api_version

    @property
    def is_custom(self):
        return self.crd is not None

    def qualified(self):
        """`plural[.group]`, as used in error messages."""
        return "%s.%s" % (self.plural, self.group) if self.group else self.plural

    def kind_qualified(self):
        return "%s.%s" % (self.kind, self.group) if self.group else self.kind

    def gvk(self):
        return (self.group, self.version, self.kind)

    def info(self):
        """The dict tables.py takes."""
        return {"group": self.group, "version": self.version, "kind": self.kind,
                "plural": self.plural, "namespaced": self.namespaced, "crd": self.crd}

    def __repr__(self):
        return "Resource(%s/%s)" % (self.api_version, self.plural)


def _sub(verbs, group="", version="", kind=""):
    return {"verbs": verbs, "group": group, "version": version, "kind": kind}


SCALE = _sub(GPU, "autoscaling", "v1", "Scale")

POD_FIELDS = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
              "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
              "status.nominatedNodeName", "spec.host"]
EVENT_FIELDS = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"]


def _builtins():
    R = Resource
    core = [
        R("", "v1", "bindings", "Binding", verbs=["create"]),
        R("", "v1", "componentstatuses", "ComponentStatus", namespaced=False, short_names=["cs"],
          verbs=["get", "list"]),
        R("", "v1", "configmaps", "ConfigMap", short_names=["cm"]),
        R("", "v1", "endpoints", "Endpoints", singular="endpoints", short_names=["ep"]),
        R("", "v1", "events", "Event", short_names=["ev"], field_selectors=EVENT_FIELDS),
        R("", "v1", "limitranges", "LimitRange", short_names=["limits"]),
        R("", "v1", "namespaces", "Namespace", namespaced=False, short_names=["ns"], verbs=NO_DELCOL,
          subresources={"finalize": _sub(["update"], kind="Namespace"), "status": _sub(GPU, kind="Namespace")},
          field_selectors=["status.phase"], return_deleted=True),
        R("", "v1", "nodes", "Node", namespaced=False, short_names=["no"],
          subresources={"proxy": _sub(["create", "delete", "get", "patch", "update"], kind="NodeProxyOptions"),
                        "status": _sub(GPU, kind="Node")},
          field_selectors=["spec.unschedulable"]),
        R("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", short_names=["pvc"],
          subresources={"status": _sub(GPU, kind="PersistentVolumeClaim")}, return_deleted=True),
        R("", "v1", "persistentvolumes", "PersistentVolume", namespaced=False, short_names=["pv"],
          subresources={"status": _sub(GPU, kind="PersistentVolume")}, return_deleted=True),
        R("", "v1", "pods", "Pod", short_names=["po"], categories=["all"],
          subresources={
              "attach": _sub(["create", "get"], kind="PodAttachOptions"),
              "binding": _sub(["create"], kind="Binding"),
              "ephemeralcontainers": _sub(GPU, kind="Pod"),
              "eviction": _sub(["create"], "policy", "v1", "Eviction"),
              "exec": _sub(["create", "get"], kind="PodExecOptions"),
              "log": _sub(["get"], kind="Pod"),
              "portforward": _sub(["create", "get"], kind="PodPortForwardOptions"),
              "proxy": _sub(["create", "delete", "get", "patch", "update"], kind="PodProxyOptions"),
              "status": _sub(GPU, kind="Pod")},
          field_selectors=POD_FIELDS, graceful=True, return_deleted=True),
        R("", "v1", "podtemplates", "PodTemplate"),
        R("", "v1", "replicationcontrollers", "ReplicationController", short_names=["rc"], categories=["all"],
          subresources={"scale": SCALE, "status": _sub(GPU, kind="ReplicationController")},
          generation=True, field_selectors=["status.replicas"]),
        R("", "v1", "resourcequotas", "ResourceQuota", short_names=["quota"],
          subresources={"status": _sub(GPU, kind="ResourceQuota")}),
        R("", "v1", "secrets", "Secret", field_selectors=["type"]),
        R("", "v1", "serviceaccounts", "ServiceAccount", short_names=["sa"],
          subresources={"token": _sub(["create"], "authentication.k8s.io", "v1", "TokenRequest")},
          return_deleted=True),
        R("", "v1", "services", "Service", short_names=["svc"], categories=["all"],
          subresources={"proxy": _sub(["create", "delete", "get", "patch", "update"], kind="ServiceProxyOptions"),
                        "status": _sub(GPU, kind="Service")},
          field_selectors=["spec.clusterIP", "spec.type"]),
    ]
    apps = []
    for plural, kind, short, scale in [("controllerrevisions", "ControllerRevision", [], False),
                                       ("daemonsets", "DaemonSet", ["ds"], False),
                                       ("deployments", "Deployment", ["deploy"], True),
                                       ("replicasets", "ReplicaSet", ["rs"], True),
                                       ("statefulsets", "StatefulSet", ["sts"], True)]:
        subs = {}
        if plural != "controllerrevisions":
            subs["status"] = _sub(GPU, kind=kind)
            if scale:
                subs["scale"] = SCALE
        apps.append(R("apps", "v1", plural, kind, short_names=short,
                      categories=[] if plural == "controllerrevisions" else ["all"],
                      subresources=subs, generation=plural != "controllerrevisions",
                      field_selectors=["status.replicas"] if plural == "replicasets" else ()))
    rest = [
        R("events.k8s.io", "v1", "events", "Event", short_names=["ev"], storage=("", "events"),
          storage_gvk=("", "v1", "Event"), field_selectors=EVENT_FIELDS),
        R("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", namespaced=False,
          verbs=["create"]),
        R("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", namespaced=False, verbs=["create"]),
        R("authorization.k8s.io", "v1", "localsubjectaccessreviews", "LocalSubjectAccessReview", verbs=["create"]),
        R("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", namespaced=False,
          verbs=["create"]),
        R("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", namespaced=False,
          verbs=["create"]),
        R("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", namespaced=False,
          verbs=["create"]),
        R("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", short_names=["hpa"],
          categories=["all"], subresources={"status": _sub(GPU, kind="HorizontalPodAutoscaler")},
          generation=True),
        R("batch", "v1", "cronjobs", "CronJob", short_names=["cj"], categories=["all"],
          subresources={"status": _sub(GPU, kind="CronJob")}, generation=True),
        R("batch", "v1", "jobs", "Job", categories=["all"], subresources={"status": _sub(GPU, kind="Job")},
          generation=True, field_selectors=["status.successful"]),
        R("certificates.k8s.io", "v1", "certificatesigningrequests", "CertificateSigningRequest",
          namespaced=False, short_names=["csr"],
          subresources={"approval": _sub(GPU, kind="CertificateSigningRequest"),
                        "status": _sub(GPU, kind="CertificateSigningRequest")},
          field_selectors=["spec.signerName"]),
        R("networking.k8s.io", "v1", "ingressclasses", "IngressClass", namespaced=False),
        R("networking.k8s.io", "v1", "ingresses", "Ingress", short_names=["ing"],
          subresources={"status": _sub(GPU, kind="Ingress")}, generation=True),
        R("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", short_names=["netpol"],
          generation=True),
        R("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", short_names=["pdb"],
          subresources={"status": _sub(GPU, kind="PodDisruptionBudget")}, generation=True),
        R("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", namespaced=False),
        R("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", namespaced=False),
        R("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
        R("rbac.authorization.k8s.io", "v1", "roles", "Role"),
        R("storage.k8s.io", "v1", "storageclasses", "StorageClass", namespaced=False, short_names=["sc"]),
        R("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", namespaced=False, short_names=["pc"]),
        R("coordination.k8s.io", "v1", "leases", "Lease", require_rv=True, create_on_update=True),
        R("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
          namespaced=False, short_names=["crd", "crds"], categories=["api-extensions"],
          subresources={"status": _sub(GPU, kind="CustomResourceDefinition")}, generation=True,
          require_rv=True),
        R("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice"),
    ]
    apireg = [R("apiregistration.k8s.io", "v1", "apiservices", "APIService", namespaced=False,
                categories=["api-extensions"], subresources={"status": _sub(GPU, kind="APIService")})]
    return core, apireg + apps + rest


# Group order in /apis (kube-apiserver's priority order, apiregistration first).
GROUP_ORDER = ["apiregistration.k8s.io", "apps", "events.k8s.io", "authentication.k8s.io",
               "authorization.k8s.io", "autoscaling", "batch", "certificates.k8s.io", "networking.k8s.io",
               "policy", "rbac.authorization.k8s.io", "storage.k8s.io", "scheduling.k8s.io",
               "coordination.k8s.io", "apiextensions.k8s.io", "discovery.k8s.io"]


class Registry:
    """All served resources, lookups by (group, version, plural) and by kind."""

    def __init__(self):
        self.lock = threading.RLock()
        core, named = _builtins()
        self.builtin = core + named
        self.custom = {}     # (group, version, plural) -> Resource
        self.generation = 0  # bumped on every change (discovery caches key on it)

    def all(self):
        with self.lock:
            return self.builtin + sorted(self.custom.values(), key=lambda r: (r.group, r.version, r.plural))

    def lookup(self, group, version, plural):
        with self.lock:
            for r in self.builtin:
                if r.group == group and r.version == version and r.plural == plural:
                    return r
            return self.custom.get((group, version, plural))

    def by_storage(self, storage):
        """Every resource served from this storage key (several versions of a CRD share one)."""
        return [r for r in self.all() if r.storage == storage]

    def for_kind(self, api_version, kind):
        group, _, version = api_version.rpartition("/")
        for r in self.all():
            if r.group == group and r.version == version and r.kind == kind:
                return r
        return None

    def group_versions(self):
        """Ordered {group: [versions...]} for named groups (core excluded)."""
        out = {}
        for g in GROUP_ORDER:
            out[g] = []
        for r in self.all():
            if r.group == "":
                continue
            out.setdefault(r.group, [])
            if r.version not in out[r.group]:
                out[r.group].append(r.version)
        for g, vs in out.items():
            vs.sort(key=version_sort_key)
        return {g: vs for g, vs in out.items() if vs}

    def served_group_version(self, group, version):
        return any(r.group == group and r.version == version for r in self.all())

    def resources_in(self, group, version):
        return sorted([r for r in self.all() if r.group == group and r.version == version], key=lambda r: r.plural)

    def set_custom(self, group, resources):
        """Replace all custom resources of one CRD (identified by group+plural)."""
        with self.lock:
            if resources:
                plural = resources[0].plural
            else:
                return
            for k in [k for k in self.custom if k[0] == group and k[2] == plural]:
                del self.custom[k]
            for r in resources:
                self.custom[(r.group, r.version, r.plural)] = r
            self.generation += 1

    def remove_custom(self, group, plural):
        with self.lock:
            for k in [k for k in self.custom if k[0] == group and k[2] == plural]:
                del self.custom[k]
            self.generation += 1


def version_sort_key(v):
    """Kube-aware version order: GA > beta > alpha, higher numbers first, then others by name."""
    import re
    m = re.match(r"^v(\d+)(?:(alpha|beta)(\d+))?$", v)
    if not m:
        return (3, 0, 0, v)
    major = int(m.group(1))
    if m.group(2) is None:
        return (0, -major, 0, v)
    return (1 if m.group(2) == "beta" else 2, -major, -int(m.group(3)), v)


def resources_for_crd(crd):
    """The Resource objects for each served version of an (accepted) CRD."""
    spec = crd.get("spec", {})
    names = (crd.get("status") or {}).get("acceptedNames") or spec.get("names", {})
    group = spec["group"]
    terminating = bool(crd.get("metadata", {}).get("deletionTimestamp"))
    storage_version = None
    for v in spec.get("versions", []):
        if v.get("storage"):
            storage_version = v["name"]
    out = []
    for v in spec.get("versions", []):
        if not v.get("served"):
            continue
        subs = {}
        sr = v.get("subresources") or {}
        if "scale" in sr:
            subs["scale"] = SCALE
        if "status" in sr:
            subs["status"] = _sub(GPU, kind=names.get("kind", ""))
        selectable = [f.get("jsonPath", "").lstrip(".") for f in v.get("selectableFields") or []]
        out.append(Resource(
            group, v["name"], names["plural"], names["kind"],
            namespaced=spec.get("scope") == "Namespaced",
            singular=names.get("singular") or names["kind"].lower(),
            short_names=names.get("shortNames") or [], categories=names.get("categories") or [],
            verbs=CRD_VERBS_TERMINATING if terminating else CRD_VERBS,
            subresources=subs, status="status" in sr, generation=True,
            field_selectors=selectable, require_rv=True,
            storage=(group, names["plural"]), storage_gvk=(group, storage_version, names["kind"]),
            crd=crd, list_kind=names.get("listKind") or names["kind"] + "List"))
    return out
