"""Request semantics independent of HTTP: create, get, update, patch, delete, scale.

Every function here raises ApiError for failures and returns plain dicts; server.py
renders them. Controllers call the same functions, so GC and namespace deletion go
through exactly the rules clients see (finalizers, events, resourceVersions).
"""
import copy
import datetime
import json
import random
import re
import threading
import uuid

from .errors import ApiError
from .store import normalize, dumps

try:
    from . import patch as patchmod
except ImportError:  # pragma: no cover - written by another engineer in parallel
    patchmod = None
try:
    from . import schema as schemamod
except ImportError:  # pragma: no cover
    schemamod = None

GEN_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
DNS1123_SUB = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
SUB_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
           "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
           "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
             "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
             "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS_LABEL_KINDS = {"Namespace", "Service"}
UNDELETABLE_NAMESPACES = ("default", "kube-system", "kube-public")
CRD_FINALIZER = "customresourcecleanup.apiextensions.k8s.io"

_rand = random.Random()


def now_str(delta=0):
    t = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    if delta:
        t += datetime.timedelta(seconds=delta)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- errors
def _details(res, name, **extra):
    d = {"name": name}
    if res.group:
        d["group"] = res.group
    d["kind"] = res.plural
    d.update(extra)
    return d


def not_found(res, name):
    return ApiError(404, "NotFound", '%s "%s" not found' % (res.qualified(), name), _details(res, name))


def already_exists(res, name, msg=None):
    return ApiError(409, "AlreadyExists", msg or '%s "%s" already exists' % (res.qualified(), name),
                    _details(res, name))


def conflict(res, name, why):
    return ApiError(409, "Conflict", 'Operation cannot be fulfilled on %s "%s": %s' % (res.qualified(), name, why),
                    _details(res, name))


def _kind_conflict(res, name, why):
    d = {"name": name}
    if res.group:
        d["group"] = res.group
    d["kind"] = res.kind
    return ApiError(409, "Conflict", 'Operation cannot be fulfilled on %s "%s": %s' % (res.kind_qualified(), name, why),
                    d)


MODIFIED_MSG = "the object has been modified; please apply your changes to the latest version and try again"


def forbidden(res, name, why, causes=None):
    d = _details(res, name)
    if causes:
        d["causes"] = causes
    target = '%s "%s"' % (res.qualified(), name) if name else res.qualified()
    return ApiError(403, "Forbidden", "%s is forbidden: %s" % (target, why), d)


def bad_request(msg):
    return ApiError(400, "BadRequest", msg)


def field_error(kind, field, value=None, detail="", value_given=True, raw=None):
    """One cause dict in kube's field.Error shape."""
    reasons = {"Required": "FieldValueRequired", "Invalid": "FieldValueInvalid", "Forbidden": "FieldValueForbidden",
               "Unsupported": "FieldValueNotSupported", "Duplicate": "FieldValueDuplicate"}
    if kind == "Required":
        msg = "Required value" + (": " + detail if detail else "")
    elif kind == "Forbidden":
        msg = "Forbidden" + (": " + detail if detail else "")
    elif kind == "Unsupported":
        msg = "Unsupported value: %s: %s" % (json.dumps(value), detail)
    elif kind == "Duplicate":
        msg = "Duplicate value: %s" % json.dumps(value)
    else:
        msg = "Invalid value: %s" % (raw if raw is not None else json.dumps(value) if value_given else "null")
        if detail:
            msg += ": " + detail
    return {"reason": reasons[kind], "message": msg, "field": field}


def invalid(res, name, causes):
    parts = ["%s: %s" % (c["field"], c["message"]) for c in causes]
    agg = parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"
    d = {"name": name}
    if res.group:
        d["group"] = res.group
    d["kind"] = res.kind
    d["causes"] = causes
    return ApiError(422, "Invalid", '%s "%s" is invalid: %s' % (res.kind_qualified(), name, agg), d)


# ---------------------------------------------------------------- helpers
def get_path(obj, path):
    cur = obj
    for p in [x for x in path.lstrip(".").split(".") if x]:
        if not isinstance(cur, dict):
            return None
        cur = cur.get(p)
    return cur


def set_path(obj, path, value):
    parts = [x for x in path.lstrip(".").split(".") if x]
    cur = obj
    for p in parts[:-1]:
        if not isinstance(cur.get(p), dict):
            cur[p] = {}
        cur = cur[p]
    cur[parts[-1]] = value


def selector_string(sel):
    """LabelSelector dict -> the string form Scale.status.selector uses."""
    if not sel:
        return ""
    parts = ["%s=%s" % (k, v) for k, v in sorted((sel.get("matchLabels") or {}).items())]
    for e in sel.get("matchExpressions") or []:
        op = e.get("operator")
        vals = ",".join(sorted(e.get("values") or []))
        if op == "In":
            parts.append("%s in (%s)" % (e["key"], vals))
        elif op == "NotIn":
            parts.append("%s notin (%s)" % (e["key"], vals))
        elif op == "Exists":
            parts.append(e["key"])
        elif op == "DoesNotExist":
            parts.append("!" + e["key"])
    return ",".join(sorted(parts))


def _strip_for_compare(obj):
    o = copy.deepcopy(obj)
    meta = o.get("metadata", {})
    meta.pop("resourceVersion", None)
    for mf in meta.get("managedFields") or []:
        mf.pop("time", None)
    return o


def same_object(a, b):
    return _strip_for_compare(a) == _strip_for_compare(b)


def qos_class(pod):
    containers = (pod.get("spec") or {}).get("containers") or []
    any_set = False
    guaranteed = True
    for c in containers:
        r = c.get("resources") or {}
        lim, req = r.get("limits") or {}, r.get("requests") or {}
        if lim or req:
            any_set = True
        for k in ("cpu", "memory"):
            if k not in lim or (k in req and req[k] != lim[k]):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def manager_name(params, user_agent):
    fm = (params.get("fieldManager") or [""])[0]
    if fm:
        return fm
    ua = user_agent or ""
    return ua.split("/")[0][:128] if ua else ""


# ---------------------------------------------------------------- defaults
def _default_pod_spec(spec):
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    if "serviceAccountName" in spec or "serviceAccount" in spec:
        sa = spec.get("serviceAccountName") or spec.get("serviceAccount")
        spec["serviceAccountName"] = spec["serviceAccount"] = sa
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        if not isinstance(c, dict):
            continue
        c.setdefault("resources", {})
        c.setdefault("terminationMessagePath", "/dev/termination-log")
        c.setdefault("terminationMessagePolicy", "File")
        img = c.get("image", "")
        tag = img.rsplit("/", 1)[-1]
        latest = "@" not in tag and (":" not in tag or tag.endswith(":latest"))
        c.setdefault("imagePullPolicy", "Always" if latest else "IfNotPresent")
        for p in c.get("ports") or []:
            if isinstance(p, dict):
                p.setdefault("protocol", "TCP")


def _default_template(tmpl):
    if isinstance(tmpl, dict):
        tmpl.setdefault("metadata", {})
        spec = tmpl.setdefault("spec", {})
        if isinstance(spec, dict):
            _default_pod_spec(spec)


def apply_defaults(res, obj):
    kind = res.kind
    spec = obj.get("spec")
    if res.is_custom:
        return
    if kind == "Pod" and isinstance(spec, dict):
        _default_pod_spec(spec)
        spec.setdefault("serviceAccountName", "default")
        spec.setdefault("serviceAccount", spec["serviceAccountName"])
        spec.setdefault("enableServiceLinks", True)
        spec.setdefault("priority", 0)
        spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
        tol = spec.setdefault("tolerations", [])
        keys = {t.get("key") for t in tol if isinstance(t, dict)}
        for k in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
            if k not in keys:
                tol.append({"key": k, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300})
    elif kind == "Service" and isinstance(spec, dict):
        spec.setdefault("type", "ClusterIP")
        for p in spec.get("ports") or []:
            if isinstance(p, dict):
                p.setdefault("protocol", "TCP")
                p.setdefault("targetPort", p.get("port"))
        if spec.get("clusterIP") is None and spec["type"] != "ExternalName":
            n = _rand.randint(1, 65000)
            spec["clusterIP"] = "10.96.%d.%d" % (n // 254, n % 254 + 1)
        if spec.get("clusterIP") and spec.get("clusterIP") != "None":
            spec.setdefault("clusterIPs", [spec["clusterIP"]])
        spec.setdefault("sessionAffinity", "None")
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")
        spec.setdefault("internalTrafficPolicy", "Cluster")
    elif kind == "Secret":
        obj.setdefault("type", "Opaque")
        sd = obj.pop("stringData", None)
        if sd:
            import base64
            data = obj.setdefault("data", {})
            for k, v in sd.items():
                data[k] = base64.b64encode(str(v).encode()).decode()
    elif kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet") and isinstance(spec, dict):
        if kind != "DaemonSet":
            spec.setdefault("replicas", 1)
        spec.setdefault("revisionHistoryLimit", 10)
        _default_template(spec.get("template"))
        if kind == "Deployment":
            spec.setdefault("strategy", {"type": "RollingUpdate",
                                         "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}})
            spec.setdefault("progressDeadlineSeconds", 600)
        elif kind == "StatefulSet":
            spec.setdefault("podManagementPolicy", "OrderedReady")
            spec.setdefault("updateStrategy", {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
            spec.setdefault("persistentVolumeClaimRetentionPolicy",
                            {"whenDeleted": "Retain", "whenScaled": "Retain"})
        elif kind == "DaemonSet":
            spec.setdefault("updateStrategy", {"type": "RollingUpdate",
                                               "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})
        if kind == "ReplicaSet":
            spec.pop("revisionHistoryLimit", None)
    elif kind == "Job" and isinstance(spec, dict):
        spec.setdefault("parallelism", 1)
        spec.setdefault("completions", 1)
        spec.setdefault("backoffLimit", 6)
        spec.setdefault("completionMode", "NonIndexed")
        spec.setdefault("suspend", False)
        tmpl = spec.get("template")
        _default_template(tmpl)
    elif kind == "CronJob" and isinstance(spec, dict):
        spec.setdefault("concurrencyPolicy", "Allow")
        spec.setdefault("suspend", False)
        spec.setdefault("successfulJobsHistoryLimit", 3)
        spec.setdefault("failedJobsHistoryLimit", 1)
        jt = spec.get("jobTemplate")
        if isinstance(jt, dict) and isinstance(jt.get("spec"), dict):
            _default_template(jt["spec"].get("template"))
    elif kind == "Namespace":
        obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
        obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = obj["metadata"]["name"]


def initial_status(res, obj, old_status=None):
    """Status a create leaves on kinds whose status is written through /status only."""
    k = res.kind
    if k == "Pod":
        return {"phase": "Pending", "qosClass": qos_class(obj)}
    if k == "Namespace":
        return {"phase": "Active"}
    if k == "Service":
        return {"loadBalancer": {}}
    if k in ("PersistentVolume", "PersistentVolumeClaim"):
        return {"phase": "Pending"}
    if k == "Node":
        return old_status if old_status is not None else {}
    if k == "CustomResourceDefinition":
        return None
    return {}


# ---------------------------------------------------------------- validation
def validate(res, obj, name):
    causes = []
    if res.kind in ("Pod",):
        containers = (obj.get("spec") or {}).get("containers")
        if not containers:
            causes.append(field_error("Required", "spec.containers"))
        else:
            seen = set()
            for i, c in enumerate(containers):
                if not isinstance(c, dict):
                    continue
                if not c.get("name"):
                    causes.append(field_error("Required", "spec.containers[%d].name" % i))
                elif c["name"] in seen:
                    causes.append(field_error("Duplicate", "spec.containers[%d].name" % i, c["name"]))
                seen.add(c.get("name"))
                if not c.get("image"):
                    causes.append(field_error("Required", "spec.containers[%d].image" % i))
    if res.kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet") and not res.is_custom:
        spec = obj.get("spec") or {}
        sel = spec.get("selector")
        if not sel:
            causes.append(field_error("Required", "spec.selector"))
        else:
            labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
            from .selectors import match_labels, parse_label_selector
            try:
                ok = match_labels(parse_label_selector(selector_string(sel)), labels)
            except ApiError:
                ok = False
            if not ok:
                causes.append(field_error("Invalid", "spec.template.metadata.labels", labels,
                                          "`selector` does not match template `labels`"))
        if (spec.get("replicas") or 0) < 0:
            causes.append(field_error("Invalid", "spec.replicas", spec.get("replicas"),
                                      "must be greater than or equal to 0"))
    if res.kind == "Lease":
        ld = (obj.get("spec") or {}).get("leaseDurationSeconds")
        if ld is not None and (not isinstance(ld, int) or ld <= 0):
            causes.append(field_error("Invalid", "spec.leaseDurationSeconds", ld, "must be greater than 0"))
    if res.kind == "Event" and res.group == "events.k8s.io":
        for f, core in (("eventTime", "eventTime"), ("reportingController", "reportingComponent"),
                        ("reportingInstance", "reportingInstance"), ("action", "action"), ("reason", "reason")):
            if not obj.get(core):
                causes.append(field_error("Required", f))
        for f in ():
            if not obj.get(f):
                causes.append(field_error("Required", f))
    if causes:
        raise invalid(res, name, causes)


def validate_name(res, name):
    pattern, msg = (DNS1123_LABEL, LABEL_MSG) if res.kind in DNS_LABEL_KINDS and not res.is_custom \
        else (DNS1123_SUB, SUB_MSG)
    limit = 63 if pattern is DNS1123_LABEL else 253
    if res.kind in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding") or \
            (res.kind == "Event" and res.group == ""):
        # path-segment names (e.g. "system:controller:foo", events "x.17a...")
        if name in (".", "..") or "/" in name or "%" in name:
            raise invalid(res, name, [field_error("Invalid", "metadata.name", name,
                                                  'may not contain \'/\'' if "/" in name else
                                                  'may not be \'.\' or \'..\'')])
        return
    if len(name) > limit:
        raise invalid(res, name, [field_error("Invalid", "metadata.name", name,
                                              "must be no more than %d characters" % limit)])
    if not pattern.match(name):
        raise invalid(res, name, [field_error("Invalid", "metadata.name", name, msg)])


# ---------------------------------------------------------------- events.k8s.io conversion
_EV_MAP = [("involvedObject", "regarding"), ("message", "note"), ("source", "deprecatedSource"),
           ("firstTimestamp", "deprecatedFirstTimestamp"), ("lastTimestamp", "deprecatedLastTimestamp"),
           ("count", "deprecatedCount"), ("reportingComponent", "reportingController")]
_EV_V1_ORDER = ["kind", "apiVersion", "metadata", "eventTime", "series", "reportingController",
                "reportingInstance", "action", "reason", "regarding", "related", "note", "type",
                "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "deprecatedCount"]
_EV_CORE_ORDER = ["kind", "apiVersion", "metadata", "involvedObject", "reason", "message", "source",
                  "firstTimestamp", "lastTimestamp", "count", "type", "eventTime", "series", "action",
                  "related", "reportingComponent", "reportingInstance"]


def _ordered(d, order):
    out = {k: d[k] for k in order if k in d}
    out.update({k: v for k, v in d.items() if k not in out})
    return out


def event_to_v1(core):
    o = dict(core)
    o["apiVersion"] = "events.k8s.io/v1"
    for a, b in _EV_MAP:
        if a in o:
            v = o.pop(a)
            if a == "source" and not v:
                continue
            if a == "count" and not v:
                continue
            o[b] = v
    series = o.get("series")
    if isinstance(series, dict) and "lastObservedTime" not in series and "lastObservedTime" in series:
        pass
    return _ordered(o, _EV_V1_ORDER)


def event_to_core(v1):
    o = dict(v1)
    o["apiVersion"] = "v1"
    for a, b in _EV_MAP:
        if b in o:
            o[a] = o.pop(b)
    o.setdefault("involvedObject", {})
    o.setdefault("source", {})
    for k in ("firstTimestamp", "lastTimestamp"):
        o.setdefault(k, None)
    return _ordered(o, _EV_CORE_ORDER)


def to_served(res, obj):
    """Stored dict -> the representation of res's group/version."""
    if res.storage == ("", "events") and res.group == "events.k8s.io":
        return event_to_v1(obj)
    if res.is_custom and obj.get("apiVersion") != res.api_version:
        o = dict(obj)
        o["apiVersion"] = res.api_version
        return o
    return obj


def to_storage(res, obj):
    if res.storage == ("", "events") and res.group == "events.k8s.io":
        return event_to_core(obj)
    if res.is_custom and obj.get("apiVersion") == res.api_version and res.storage_api_version != res.api_version:
        # custom resources are kept in the CRD's storage version (conversion strategy None)
        obj["apiVersion"] = res.storage_api_version
    return obj


# ---------------------------------------------------------------- the Api
class Api:
    def __init__(self, registry, store, streaming=None):
        self.registry = registry
        self.store = store
        self.streaming = streaming
        self.lock = threading.RLock()   # serialises writes (read-modify-write atomicity)
        self.fieldcheck = None          # FieldChecker for built-in kinds (server.py sets it)

    def _check_builtin(self, res, obj, field_validation, prefix=True, extra=()):
        """Unknown fields (built-in kinds; removed) and duplicate fields (every kind):
        400 with Strict, warnings with Warn. CR unknown fields are schema.py's job."""
        if field_validation == "Ignore":
            return []
        from .fieldcheck import duplicate_messages
        if res.is_custom or self.fieldcheck is None:
            msgs = list(extra) + duplicate_messages(obj)
        else:
            msgs = list(extra) + self.fieldcheck.check(res.gvk(), obj)
        if msgs and field_validation == "Strict":
            head = '%s in version "%s" cannot be handled as a %s: ' % (res.kind, res.version, res.kind) \
                if prefix else ""
            raise bad_request(head + "strict decoding error: " + ", ".join(msgs))
        return msgs

    # -------- reads
    def get(self, res, ns, name):
        st = self.store.get(res.storage, ns if res.namespaced else "", name)
        if st is None:
            raise not_found(res, name)
        return st

    def get_obj(self, res, ns, name):
        return to_served(res, self.get(res, ns, name).obj)

    def namespace_check(self, res, ns, name, verb="create"):
        if not res.namespaced:
            return
        nsres = self.registry.lookup("", "v1", "namespaces")
        st = self.store.get(nsres.storage, "", ns)
        if st is None:
            raise ApiError(404, "NotFound", 'namespaces "%s" not found' % ns, {"name": ns, "kind": "namespaces"})
        if st.obj["metadata"].get("deletionTimestamp"):
            raise forbidden(res, name, "unable to create new content in namespace %s because it is being terminated"
                            % ns, [{"reason": "NamespaceTerminating",
                                    "message": "namespace %s is being terminated" % ns,
                                    "field": "metadata.namespace"}])

    def _check_type(self, res, body):
        if not isinstance(body, dict):
            raise bad_request("the body of the request was in an unknown format")
        # like the apiserver's typed decoder, a body without apiVersion/kind takes them from the URL
        if not body.get("apiVersion"):
            body["apiVersion"] = res.api_version
        if not body.get("kind"):
            body["kind"] = res.kind
        av, kind = body.get("apiVersion"), body.get("kind")
        if av != res.api_version or kind != res.kind:
            if kind != res.kind:
                raise bad_request("the API version in the data (%s) does not match the expected API version (%s)"
                                  % (av, res.api_version) if av != res.api_version else
                                  "the kind in the data (%s) does not match the expected kind (%s)" % (kind, res.kind))
            raise bad_request("the API version in the data (%s) does not match the expected API version (%s)"
                              % (av, res.api_version))

    def _crd_for(self, res):
        if not res.is_custom:
            return None
        crdres = self.registry.lookup("apiextensions.k8s.io", "v1", "customresourcedefinitions")
        st = self.store.get(crdres.storage, "", "%s.%s" % (res.plural, res.group))
        return st.obj if st else res.crd

    def _process_custom(self, res, obj, field_validation):
        crd = self._crd_for(res)
        if crd is None or schemamod is None:
            return obj, []
        for v in crd["spec"].get("versions", []):
            if v["name"] == res.version:
                sch = (v.get("schema") or {}).get("openAPIV3Schema") or {}
                return schemamod.process_custom_resource(obj, sch, field_validation, v.get("subresources") or {})
        return obj, []

    def _track(self, old, new, manager, operation, subresource="", res=None):
        if patchmod is None or not hasattr(patchmod, "track_update"):
            return new
        return patchmod.track_update(old, new, manager, operation, now_str(), subresource,
                                     **self._ssa_options(res))

    def _ssa_options(self, res):
        """The CRD schema and status-subresource flag that field ownership of a custom resource follows."""
        if res is None or not res.is_custom or not hasattr(patchmod, "crd_options"):
            return {}
        return patchmod.crd_options(self._crd_for(res), res.version)

    # -------- create
    def create(self, res, ns, body, params, user_agent="", dry_run=False, field_validation="Warn",
               manager=None, applied=None):
        """Returns (obj, warnings)."""
        self._check_type(res, body)
        body = copy.deepcopy(body)
        builtin_warnings = self._check_builtin(res, body, field_validation)
        obj = to_storage(res, body)
        meta = obj.get("metadata")
        if not isinstance(meta, dict):
            meta = obj["metadata"] = {}
        if res.namespaced:
            bns = meta.get("namespace")
            if bns and bns != ns:
                raise bad_request("the namespace of the provided object does not match the namespace sent on "
                                  "the request")
            meta["namespace"] = ns
        else:
            meta.pop("namespace", None)
        if meta.get("resourceVersion"):
            raise ApiError(500, "", "resourceVersion should not be set on objects to be created")
        warnings = list(builtin_warnings)
        if res.is_custom:
            crd = self._crd_for(res)
            if crd and crd["metadata"].get("deletionTimestamp"):
                raise forbidden(res, meta.get("name", ""), "create not allowed while custom resource "
                                "definition is terminating")
            obj, warnings = self._process_custom(res, obj, field_validation)
            meta = obj["metadata"]
            if "status" in res.subresources:
                obj.pop("status", None)
        name = meta.get("name")
        if not name and not meta.get("generateName"):
            raise invalid(res, "", [field_error("Required", "metadata.name", detail="name or generateName is "
                                                "required")])
        with self.lock:
            if res.namespaced:
                self.namespace_check(res, ns, name or meta.get("generateName", ""))
            tries = 8 if not name else 1
            for _ in range(tries):
                if not meta.get("name"):
                    meta["name"] = meta["generateName"][:58] + "".join(_rand.choice(GEN_ALPHABET) for _ in range(5))
                if self.store.get(res.storage, ns if res.namespaced else "", meta["name"]) is None:
                    break
                if name:
                    existing = self.store.get(res.storage, ns if res.namespaced else "", name)
                    if existing.obj["metadata"].get("deletionTimestamp"):
                        raise already_exists(res, name, 'object is being deleted: %s "%s" already exists'
                                             % (res.qualified(), name))
                    raise already_exists(res, name)
                meta.pop("name")
            else:
                raise ApiError(409, "AlreadyExists", '%s "%s" already exists, the server was not able to generate '
                               'a unique name for the object' % (res.qualified(), meta.get("generateName", "")),
                               dict(_details(res, meta.get("generateName", "")), retryAfterSeconds=1),
                               {"Retry-After": "1"})
            name = meta["name"]
            validate_name(res, name)
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = now_str()
            for k in ("deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"):
                meta.pop(k, None)
            if res.generation:
                meta["generation"] = 1
            else:
                meta.pop("generation", None)
            if res.status and not res.is_custom:
                st0 = initial_status(res, obj, obj.get("status"))
                if st0 is None:
                    obj.pop("status", None)
                else:
                    obj["status"] = st0
            apply_defaults(res, obj)
            if res.kind == "Pod":
                obj["status"] = initial_status(res, obj)
            if res.kind == "CustomResourceDefinition":
                obj = self._prepare_crd(obj)
            validate(res, obj, name)
            if manager is None:
                manager = manager_name(params, user_agent)
            if applied is not None:
                obj = applied(obj)
            elif manager:
                obj = self._track(None, obj, manager, "Update", res=res)
            obj = normalize(obj)
            if dry_run:
                obj["metadata"].pop("resourceVersion", None)
                return to_served(res, obj), warnings
            st = self.store.put(res.storage, ns if res.namespaced else "", name, obj, "ADDED")
            return to_served(res, st.obj), warnings

    def _prepare_crd(self, crd):
        if schemamod is not None:
            crd = schemamod.default_crd(crd)
            schemamod.validate_crd(crd)
        storage = [v["name"] for v in crd.get("spec", {}).get("versions", []) if v.get("storage")]
        crd["status"] = {"conditions": [], "acceptedNames": {"plural": "", "kind": ""},
                         "storedVersions": storage[:1]}
        return crd

    # -------- update
    def update(self, res, ns, name, body, params, user_agent="", dry_run=False, field_validation="Warn",
               subresource="", operation="Update", manager=None, precondition_rv=None, applied=None,
               patch_messages=None):
        """PUT semantics (also the tail of PATCH). Returns (code, obj, warnings)."""
        ns = ns if res.namespaced else ""
        track_sub = subresource
        if subresource == "scale":
            subresource = ""
        self._check_type(res, body)
        body = copy.deepcopy(body)
        builtin_warnings = self._check_builtin(res, body, field_validation, prefix=patch_messages is None,
                                               extra=patch_messages or ())
        new = to_storage(res, body)
        meta = new.get("metadata")
        if not isinstance(meta, dict):
            meta = new["metadata"] = {}
        if res.namespaced and meta.get("namespace") and meta["namespace"] != ns:
            raise bad_request("the namespace of the provided object does not match the namespace sent on the request")
        if meta.get("name") and meta["name"] != name:
            raise bad_request("the name of the object (%s) does not match the name on the URL (%s)"
                              % (meta["name"], name))
        meta["name"] = name
        if res.namespaced:
            meta["namespace"] = ns
        warnings = list(builtin_warnings)
        with self.lock:
            cur = self.store.get(res.storage, ns, name)
            if cur is None:
                if res.create_on_update and not subresource:
                    body2 = dict(body)
                    body2["metadata"] = dict(meta)
                    body2["metadata"].pop("resourceVersion", None)
                    obj, w = self.create(res, ns, body2, params, user_agent, dry_run, field_validation, manager)
                    return 201, obj, warnings + w
                raise not_found(res, name)
            old = cur.obj
            if meta.get("uid") and meta["uid"] != old["metadata"].get("uid"):
                raise conflict(res, name, "Precondition failed: UID in precondition: %s, UID in object meta: %s"
                               % (meta["uid"], old["metadata"].get("uid")))
            rv = meta.get("resourceVersion") or precondition_rv
            if rv:
                if rv != old["metadata"].get("resourceVersion"):
                    raise conflict(res, name, MODIFIED_MSG)
            elif res.require_rv and operation == "Update" and not subresource:
                raise invalid(res, name, [field_error("Invalid", "metadata.resourceVersion", 0,
                                                      "must be specified for an update", raw="0x0")])
            if res.is_custom and not subresource:
                new, warnings = self._process_custom(res, new, field_validation)
                meta = new["metadata"]
            if subresource == "status":
                merged = copy.deepcopy(old)
                if "status" in new:
                    merged["status"] = new["status"]
                else:
                    merged.pop("status", None)
                if not res.is_custom:
                    # built-in status strategies keep labels/annotations changes too
                    for k in ("labels", "annotations"):
                        if k in meta:
                            merged["metadata"][k] = meta[k]
                        else:
                            merged["metadata"].pop(k, None)
                new = merged
                meta = new["metadata"]
            elif subresource in ("ephemeralcontainers", "approval"):
                merged = copy.deepcopy(old)
                if subresource == "ephemeralcontainers":
                    merged.setdefault("spec", {})["ephemeralContainers"] = (new.get("spec") or {}).get(
                        "ephemeralContainers", [])
                else:
                    conds = copy.deepcopy((new.get("status") or {}).get("conditions", []))
                    for c in conds:
                        if isinstance(c, dict):
                            c.setdefault("lastUpdateTime", now_str())
                            if not c.get("lastTransitionTime"):
                                c["lastTransitionTime"] = now_str()
                    merged.setdefault("status", {})["conditions"] = conds
                new = merged
                meta = new["metadata"]
            else:
                if res.status:
                    if "status" in old:
                        new["status"] = copy.deepcopy(old["status"])
                    else:
                        new.pop("status", None)
                apply_defaults(res, new)
            # system fields are restored from storage
            ometa = old["metadata"]
            for k in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"):
                if k in ometa:
                    meta[k] = ometa[k]
                else:
                    meta.pop(k, None)
            meta.pop("selfLink", None)
            if res.kind == "Namespace":
                meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = name
            if ometa.get("deletionTimestamp"):
                newf = set(meta.get("finalizers") or []) - set(ometa.get("finalizers") or [])
                if newf:
                    raise invalid(res, name, [field_error(
                        "Forbidden", "metadata.finalizers",
                        detail="no new finalizers can be added if the object is being deleted, found new "
                               "finalizers %s" % json.dumps(sorted(newf)).replace(", ", " "))])
            if res.generation and not subresource:
                if self._spec_changed(res, old, new):
                    meta["generation"] = (ometa.get("generation") or 0) + 1
            if res.kind == "CustomResourceDefinition" and not subresource:
                if schemamod is not None:
                    new = schemamod.default_crd(new)
                    schemamod.validate_crd(new)
                new["status"] = copy.deepcopy(old.get("status")) or {}
                stored = new["status"].setdefault("storedVersions", [])
                for v in (new.get("spec") or {}).get("versions") or []:
                    if v.get("storage") and v.get("name") not in stored:
                        stored.append(v["name"])
                meta = new["metadata"]
            validate(res, new, name)
            if manager is None:
                manager = manager_name(params, user_agent)
            if applied is not None:
                new = applied(new)
            elif manager:
                if "managedFields" not in meta and ometa.get("managedFields"):
                    meta["managedFields"] = copy.deepcopy(ometa["managedFields"])
                new = self._track(old, new, manager, operation, track_sub, res=res)
            elif "managedFields" not in meta and ometa.get("managedFields"):
                meta["managedFields"] = copy.deepcopy(ometa["managedFields"])
            new = normalize(new)
            new["metadata"]["resourceVersion"] = ometa.get("resourceVersion")
            # finalizers emptied on a deleting object: the update deletes it
            if ometa.get("deletionTimestamp") and not new["metadata"].get("finalizers") \
                    and not (ometa.get("deletionGracePeriodSeconds") or 0) and not self._ns_spec_finalizers(res, new):
                if dry_run:
                    return 200, to_served(res, new), warnings
                self.store.put(res.storage, ns, name, new, "MODIFIED")
                self._remove(res, ns, name)
                return 200, to_served(res, new), warnings
            if same_object(old, new):
                return 200, to_served(res, old), warnings
            if dry_run:
                return 200, to_served(res, new), warnings
            st = self.store.put(res.storage, ns, name, new, "MODIFIED")
            return 200, to_served(res, st.obj), warnings

    @staticmethod
    def _ns_spec_finalizers(res, obj):
        return res.kind == "Namespace" and not res.group and bool((obj.get("spec") or {}).get("finalizers"))

    @staticmethod
    def _spec_changed(res, old, new):
        if res.is_custom:
            def body(o):
                return {k: v for k, v in o.items() if k not in ("metadata", "apiVersion", "kind") and
                        not (k == "status" and res.status)}
            return body(old) != body(new)
        return old.get("spec") != new.get("spec")

    def _remove(self, res, ns, name):
        st = self.store.remove(res.storage, ns, name)
        if st is not None and res.kind == "Pod" and self.streaming is not None and \
                hasattr(self.streaming, "pod_deleted"):
            try:
                self.streaming.pod_deleted(ns, name)
            except Exception:
                pass
        return st

    # -------- patch
    def patch(self, res, ns, name, ctype, raw, params, user_agent="", dry_run=False, field_validation="Warn",
              subresource=""):
        """Returns (code, obj, warnings)."""
        ns = ns if res.namespaced else ""
        ptype = (ctype or "").split(";")[0].strip().lower()
        force_p = params.get("force")
        force = bool(force_p) and force_p[0].lower() not in ("false", "0")
        if force_p is not None and ptype != "application/apply-patch+yaml":
            raise ApiError(422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be '
                           'specified for non-apply patch', {"group": "meta.k8s.io", "kind": "PatchOptions",
                                                              "causes": [{"reason": "FieldValueForbidden",
                                                                          "message": "Forbidden: may not be specified "
                                                                                     "for non-apply patch",
                                                                          "field": "force"}]})
        known = ("application/json-patch+json", "application/merge-patch+json",
                 "application/strategic-merge-patch+json", "application/apply-patch+yaml")
        if ptype not in known or (res.is_custom and ptype == "application/strategic-merge-patch+json"):
            accepted = [t for t in known if not (res.is_custom and "strategic" in t)]
            raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                           "accepted media types include: " + ", ".join(accepted))
        if patchmod is None:
            raise ApiError(500, "InternalError", "Internal error occurred: patch support is not available")
        if ptype == "application/apply-patch+yaml":
            return self._apply(res, ns, name, raw, params, user_agent, dry_run, field_validation, force,
                               subresource)
        from .fieldcheck import dup_hook, duplicate_messages
        try:
            p = json.loads(raw.decode("utf-8") if raw else "null", object_pairs_hook=dup_hook)
        except ValueError as e:
            raise bad_request("error decoding patch: %s" % e)
        patch_dups = duplicate_messages(p) if ptype != "application/json-patch+json" else []
        manager = manager_name(params, user_agent)
        with self.lock:
            cur = self.store.get(res.storage, ns, name)
            if cur is None:
                raise not_found(res, name)
            base = to_served(res, copy.deepcopy(cur.obj))
            if ptype == "application/json-patch+json":
                if not isinstance(p, list):
                    raise bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
                if len(p) > 10000:
                    raise ApiError(413, "RequestEntityTooLarge", "Request entity too large: The allowed operations "
                                   "in a JSON patch are limited to 10000, got %d" % len(p))
                new = patchmod.json_patch(base, p)
            elif ptype == "application/merge-patch+json":
                if not isinstance(p, dict):
                    raise bad_request("json: cannot unmarshal into Go value of type map[string]interface {}")
                new = patchmod.merge_patch(base, p)
            else:
                if not isinstance(p, dict):
                    raise bad_request("json: cannot unmarshal into Go value of type map[string]interface {}")
                new = patchmod.strategic_merge_patch(base, p, res.gvk())
            prv = None
            if isinstance(p, dict):
                prv = ((p.get("metadata") or {}) if isinstance(p.get("metadata"), dict) else {}).get("resourceVersion")
            if not isinstance(new, dict):
                raise bad_request("patch produced a non-object")
            nm = new.setdefault("metadata", {})
            if prv is None:
                nm["resourceVersion"] = cur.obj["metadata"].get("resourceVersion")
            return self.update(res, ns, name, _plain(new), params, user_agent, dry_run, field_validation,
                               subresource, "Update", manager, precondition_rv=None, patch_messages=patch_dups)

    def _apply(self, res, ns, name, raw, params, user_agent, dry_run, field_validation, force, subresource):
        import yaml
        fm = (params.get("fieldManager") or [""])[0]
        if not fm:
            raise ApiError(422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: '
                           'is required for apply patch',
                           {"group": "meta.k8s.io", "kind": "PatchOptions",
                            "causes": [{"reason": "FieldValueRequired", "message": "Required value: is required "
                                        "for apply patch", "field": "fieldManager"}]})
        try:
            applied = yaml.safe_load(raw.decode("utf-8")) if raw else None
        except Exception as e:
            raise bad_request("error decoding YAML: %s" % e)
        if not isinstance(applied, dict):
            raise bad_request("error decoding YAML: the apply patch must be an object")
        applied = _stringify_times(applied)
        if (applied.get("metadata") or {}).get("managedFields") is not None:
            raise bad_request("metadata.managedFields must be nil")
        if applied.get("apiVersion") != res.api_version or applied.get("kind") != res.kind:
            raise bad_request("Incorrect version specified in apply patch. Specified patch version: %s, expected: %s"
                              % (applied.get("apiVersion"), res.api_version))
        am = applied.setdefault("metadata", {})
        if am.get("name") and am["name"] != name:
            raise bad_request("the name of the object (%s) does not match the name on the URL (%s)"
                              % (am["name"], name))
        am["name"] = name
        if res.namespaced:
            if am.get("namespace") and am["namespace"] != ns:
                raise bad_request("the namespace of the provided object does not match the namespace sent on "
                                  "the request")
        gvk = res.gvk()
        with self.lock:
            cur = self.store.get(res.storage, ns, name)
            now = now_str()
            if cur is None:
                if subresource:
                    raise not_found(res, name)

                def do_apply(obj):
                    merged = patchmod.apply(None, _merge_system(obj, applied), fm, force, gvk, now)
                    return merged
                body = copy.deepcopy(applied)
                body["metadata"] = dict(am)
                body["metadata"].pop("resourceVersion", None)
                opts = self._ssa_options(res)
                obj, w = self.create(res, ns, body, params, user_agent, dry_run, field_validation, manager=fm,
                                     applied=lambda o: _apply_on_create(o, applied, fm, force, gvk, now, opts))
                return 201, obj, w
            live = to_served(res, copy.deepcopy(cur.obj))
            new = patchmod.apply(live, applied, fm, force, gvk, now, subresource=subresource,
                                 **self._ssa_options(res))
            if am.get("resourceVersion"):
                new["metadata"]["resourceVersion"] = am["resourceVersion"]
            else:
                new["metadata"]["resourceVersion"] = cur.obj["metadata"].get("resourceVersion")
            mf = new["metadata"].get("managedFields")
            return self.update(res, ns, name, new, params, user_agent, dry_run, field_validation, subresource,
                               "Apply", fm, applied=lambda o: _set_mf(o, mf))

    # -------- delete
    def delete(self, res, ns, name, opts, dry_run=False):
        """Returns (code, body)."""
        ns = ns if res.namespaced else ""
        opts = opts or {}
        with self.lock:
            cur = self.store.get(res.storage, ns, name)
            if cur is None:
                raise not_found(res, name)
            old = cur.obj
            ometa = old["metadata"]
            pre = opts.get("preconditions") or {}
            # BeforeDelete reports these with the Kind (not the resource) as the conflict's resource
            if pre.get("uid") and pre["uid"] != ometa.get("uid"):
                raise _kind_conflict(res, name, "the UID in the precondition (%s) does not match the UID in record "
                                     "(%s). The object might have been deleted and then recreated"
                                     % (pre["uid"], ometa.get("uid")))
            if pre.get("resourceVersion") and pre["resourceVersion"] != ometa.get("resourceVersion"):
                raise _kind_conflict(res, name, "the ResourceVersion in the precondition (%s) does not match the "
                                     "ResourceVersion in record (%s). The object might have been modified"
                                     % (pre["resourceVersion"], ometa.get("resourceVersion")))
            policy = opts.get("propagationPolicy")
            orphan = opts.get("orphanDependents")
            if policy is not None and orphan is not None:
                raise ApiError(422, "Invalid", 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: '
                               'Invalid value: "%s": orphanDependents and deletionPropagation cannot be both set'
                               % policy, {"group": "meta.k8s.io", "kind": "DeleteOptions"})
            if policy not in (None, "Orphan", "Foreground", "Background"):
                raise ApiError(422, "Invalid", 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: '
                               'Unsupported value: "%s": supported values: "Foreground", "Background", "Orphan", '
                               '"nil"' % policy, {"group": "meta.k8s.io", "kind": "DeleteOptions"})
            if orphan is True:
                policy = "Orphan"
            if res.kind == "Namespace" and not res.group and name in UNDELETABLE_NAMESPACES:
                raise forbidden(res, name, "this namespace may not be deleted")
            new = copy.deepcopy(old)
            meta = new["metadata"]
            fins = list(meta.get("finalizers") or [])
            if policy == "Foreground" and "foregroundDeletion" not in fins:
                fins.append("foregroundDeletion")
            if policy == "Orphan" and "orphan" not in fins:
                fins.append("orphan")
            if res.kind == "CustomResourceDefinition" and CRD_FINALIZER not in fins and \
                    not ometa.get("deletionTimestamp"):
                fins.append(CRD_FINALIZER)
            grace = 0
            if res.graceful:
                g = opts.get("gracePeriodSeconds")
                if g is None:
                    g = (old.get("spec") or {}).get("terminationGracePeriodSeconds", 30)
                if g is not None and g < 0:
                    g = 1
                phase = (old.get("status") or {}).get("phase")
                if not (old.get("spec") or {}).get("nodeName") or phase in ("Succeeded", "Failed"):
                    g = 0
                grace = g or 0
            if ometa.get("deletionTimestamp"):
                # already deleting: only a shorter grace period or new GC finalizers change anything
                changed = fins != list(ometa.get("finalizers") or [])
                if res.graceful and grace < (ometa.get("deletionGracePeriodSeconds") or 0):
                    meta["deletionGracePeriodSeconds"] = grace
                    meta["deletionTimestamp"] = now_str(grace)
                    changed = True
                if not fins and not (meta.get("deletionGracePeriodSeconds") or 0) and \
                        not self._ns_spec_finalizers(res, new):
                    if dry_run:
                        return 200, self._deleted_body(res, old)
                    st = self._remove(res, ns, name)
                    return 200, self._deleted_body(res, st.obj if st else old)
                if changed and not dry_run:
                    meta["finalizers"] = fins
                    st = self.store.put(res.storage, ns, name, normalize(new), "MODIFIED")
                    return 200, to_served(res, st.obj)
                return 200, to_served(res, old)
            pending = fins or grace > 0 or self._ns_spec_finalizers(res, new)
            if not pending:
                if dry_run:
                    return 200, self._deleted_body(res, old)
                st = self._remove(res, ns, name)
                return 200, self._deleted_body(res, st.obj)
            meta["deletionTimestamp"] = now_str(grace)
            meta["deletionGracePeriodSeconds"] = grace
            if fins:
                meta["finalizers"] = fins
            if meta.get("generation"):
                meta["generation"] += 1
            if res.kind == "Namespace" and not res.group:
                new.setdefault("status", {})["phase"] = "Terminating"
            if res.kind == "CustomResourceDefinition":
                conds = [c for c in (new.get("status") or {}).get("conditions", []) if c.get("type") != "Terminating"]
                conds.append({"type": "Terminating", "status": "True", "lastTransitionTime": now_str(),
                              "reason": "InstanceDeletionPending",
                              "message": "CustomResourceDefinition marked for deletion; deletion of instances "
                                         "will begin shortly"})
                new.setdefault("status", {})["conditions"] = conds
            new = normalize(new)
            if dry_run:
                return 200, to_served(res, new)
            st = self.store.put(res.storage, ns, name, new, "MODIFIED")
            return 200, to_served(res, st.obj)

    def _deleted_body(self, res, obj):
        if res.return_deleted:
            return to_served(res, obj)
        d = {"name": obj["metadata"]["name"]}
        if res.group:
            d["group"] = res.group
        d["kind"] = res.plural
        d["uid"] = obj["metadata"].get("uid", "")
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": d}

    # -------- scale
    def scale_paths(self, res):
        if res.is_custom:
            crd = self._crd_for(res)
            for v in crd["spec"]["versions"]:
                if v["name"] == res.version:
                    sc = (v.get("subresources") or {}).get("scale") or {}
                    return sc.get("specReplicasPath", ".spec.replicas"), \
                        sc.get("statusReplicasPath", ".status.replicas"), sc.get("labelSelectorPath")
        return ".spec.replicas", ".status.replicas", None

    def get_scale(self, res, ns, name):
        obj = self.get(res, ns, name).obj
        return self._scale_of(res, obj)

    def _scale_of(self, res, obj):
        sp, stp, selp = self.scale_paths(res)
        m = obj["metadata"]
        meta = {"name": m["name"]}
        if m.get("namespace"):
            meta["namespace"] = m["namespace"]
        for k in ("uid", "resourceVersion", "creationTimestamp"):
            if k in m:
                meta[k] = m[k]
        status = {"replicas": get_path(obj, stp) or 0}
        if res.is_custom:
            sel = get_path(obj, selp) if selp else None
            if sel:
                status["selector"] = sel
        else:
            sel = selector_string((obj.get("spec") or {}).get("selector"))
            if sel:
                status["selector"] = sel
        return {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": meta,
                "spec": {"replicas": get_path(obj, sp) or 0} if get_path(obj, sp) else {}, "status": status}

    def update_scale(self, res, ns, name, scale, params, user_agent="", dry_run=False):
        if not isinstance(scale, dict) or scale.get("kind") not in (None, "Scale"):
            raise bad_request("the kind in the data (%s) does not match the expected kind (Scale)"
                              % (scale or {}).get("kind"))
        replicas = (scale.get("spec") or {}).get("replicas", 0)
        if not isinstance(replicas, int) or replicas < 0:
            raise ApiError(422, "Invalid", 'Scale.autoscaling "%s" is invalid: spec.replicas: Invalid value: %s: '
                           'must be greater than or equal to 0' % (name, json.dumps(replicas)),
                           {"name": name, "group": "autoscaling", "kind": "Scale",
                            "causes": [{"reason": "FieldValueInvalid", "message": "Invalid value: %s: must be "
                                        "greater than or equal to 0" % json.dumps(replicas),
                                        "field": "spec.replicas"}]})
        with self.lock:
            cur = self.get(res, ns, name)
            obj = to_served(res, copy.deepcopy(cur.obj))
            srv = (scale.get("metadata") or {}).get("resourceVersion")
            if srv and srv != obj["metadata"]["resourceVersion"]:
                raise conflict(res, name, MODIFIED_MSG)
            sp, _, _ = self.scale_paths(res)
            set_path(obj, sp, replicas)
            manager = manager_name(params, user_agent)
            code, new, _ = self.update(res, ns, name, obj, params, user_agent, dry_run, "Ignore", "scale",
                                       "Update", manager)
            return self._scale_of(res, new)


def _plain(o):
    """Drop duplicate-key markers (a patch's duplicates are reported once, from the patch document)."""
    if isinstance(o, dict):
        return {k: _plain(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_plain(v) for v in o]
    return o


def _stringify_times(o):
    """YAML turns timestamps into datetime objects; JSON wants the original strings."""
    if isinstance(o, dict):
        return {str(k): _stringify_times(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_stringify_times(v) for v in o]
    if isinstance(o, datetime.datetime):
        if o.tzinfo is None:
            o = o.replace(tzinfo=datetime.timezone.utc)
        return o.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(o, datetime.date):
        return o.isoformat()
    return o


def _merge_system(obj, applied):
    return obj


def _apply_on_create(created, applied, manager, force, gvk, now, opts=None):
    """Create through apply: the created object (defaults, system metadata) gets the applier's managedFields."""
    result = patchmod.apply(None, applied, manager, force, gvk, now, **(opts or {}))
    mf = (result.get("metadata") or {}).get("managedFields")
    if mf is not None:
        created["metadata"]["managedFields"] = mf
    return created


def _set_mf(obj, mf):
    if mf is not None:
        obj["metadata"]["managedFields"] = mf
    return obj
