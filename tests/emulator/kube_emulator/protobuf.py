"""Decoding of the protobuf request bodies kubectl's typed commands send.

kubectl POSTs/PUTs these as application/vnd.kubernetes.protobuf (accepting JSON back):
SelfSubjectAccessReview, SelfSubjectRulesReview, SelfSubjectReview (auth can-i, whoami),
TokenRequest (create token), Eviction (drain), CertificateSigningRequest (certificate
approve/deny), and the objects of `kubectl create configmap|secret|namespace|serviceaccount|
role|clusterrole|rolebinding|clusterrolebinding|priorityclass|deployment|job|cronjob|service`.
Each kind has a schema of the field numbers (k8s.io/api generated.proto) for the fields those
commands set; anything else is 415 (README, Differences from kube-apiserver).
"""
from .errors import ApiError

MAGIC = b"k8s\x00"


def _varint(b, i):
    shift = result = 0
    while True:
        c = b[i]
        i += 1
        result |= (c & 0x7F) << shift
        if not c & 0x80:
            return result, i
        shift += 7


def fields(b):
    """[(field number, wire type, value)] of one message."""
    out = []
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(b, i)
        elif wt == 2:
            n, i = _varint(b, i)
            v = bytes(b[i:i + n])
            i += n
        elif wt == 1:
            v = bytes(b[i:i + 8])
            i += 8
        elif wt == 5:
            v = bytes(b[i:i + 4])
            i += 4
        else:
            raise ValueError("unsupported wire type %d" % wt)
        out.append((num, wt, v))
    return out


def _int(v):
    return v if v < (1 << 63) else v - (1 << 64)


def _msg(b, schema):
    """Decode one message with schema {field number: (json name, kind)}.

    Kinds: "str", "int", "bool" (Go non-pointer fields: always on the wire, so zero values are
    left out as JSON omitempty does), "ptrint"/"ptrbool" (pointers: a zero is kept), "bytes",
    "strlist", "map" (map<string,string>), "bytesmap", "qtymap" (map<string,Quantity>),
    "time", "intorstr", a nested schema dict, or [schema] for a repeated message.
    """
    out = {}
    for num, wt, v in fields(b):
        if num not in schema:
            continue
        name, kind = schema[num]
        if kind == "str":
            if v:
                out[name] = v.decode()
        elif kind == "strlist":
            out.setdefault(name, []).append(v.decode())
        elif kind in ("map", "bytesmap", "qtymap"):
            kv = {n: x for n, _, x in fields(v)}
            val = kv.get(2, b"")
            if kind == "bytesmap":
                import base64
                val = base64.b64encode(val).decode()
            elif kind == "qtymap":
                val = {n: x for n, _, x in fields(val)}.get(1, b"").decode()
            else:
                val = val.decode()
            out.setdefault(name, {})[kv.get(1, b"").decode()] = val
        elif kind == "bytes":
            import base64
            out[name] = base64.b64encode(v).decode()
        elif kind == "time":
            t = {n: x for n, _, x in fields(v)}
            import datetime
            if t.get(1):  # a zero time is Go's zero value: JSON null, left out here
                out[name] = datetime.datetime.fromtimestamp(t[1], datetime.timezone.utc).strftime(
                    "%Y-%m-%dT%H:%M:%SZ")
        elif kind == "intorstr":
            t = {n: x for n, _, x in fields(v)}
            out[name] = t.get(3, b"").decode() if t.get(1) == 1 else _int(t.get(2, 0))
        elif kind == "int":
            if v:
                out[name] = _int(v)
        elif kind == "ptrint":
            out[name] = _int(v)
        elif kind == "bool":
            if v:
                out[name] = True
        elif kind == "ptrbool":
            out[name] = bool(v)
        elif isinstance(kind, dict):
            out[name] = _msg(v, kind)
        elif isinstance(kind, list):
            out.setdefault(name, []).append(_msg(v, kind[0]))
    return out


OWNER_REF = {5: ("apiVersion", "str"), 1: ("kind", "str"), 3: ("name", "str"), 4: ("uid", "str"),
             6: ("controller", "ptrbool"), 7: ("blockOwnerDeletion", "ptrbool")}
META = {1: ("name", "str"), 2: ("generateName", "str"), 3: ("namespace", "str"), 5: ("uid", "str"),
        6: ("resourceVersion", "str"), 7: ("generation", "int"), 8: ("creationTimestamp", "time"),
        11: ("labels", "map"),
        12: ("annotations", "map"), 13: ("ownerReferences", [OWNER_REF]), 14: ("finalizers", "strlist")}
RESOURCE_ATTRS = {1: ("namespace", "str"), 2: ("verb", "str"), 3: ("group", "str"), 4: ("version", "str"),
                  5: ("resource", "str"), 6: ("subresource", "str"), 7: ("name", "str")}
NONRES_ATTRS = {1: ("path", "str"), 2: ("verb", "str")}
DELETE_OPTS = {1: ("gracePeriodSeconds", "ptrint"), 2: ("preconditions", {1: ("uid", "str"),
                                                                      2: ("resourceVersion", "str")}),
               3: ("orphanDependents", "ptrbool"), 4: ("propagationPolicy", "str"), 5: ("dryRun", "strlist")}
LABEL_SELECTOR = {1: ("matchLabels", "map"),
                  2: ("matchExpressions", [{1: ("key", "str"), 2: ("operator", "str"), 3: ("values", "strlist")}])}
POLICY_RULE = {1: ("verbs", "strlist"), 2: ("apiGroups", "strlist"), 3: ("resources", "strlist"),
               4: ("resourceNames", "strlist"), 5: ("nonResourceURLs", "strlist")}
SUBJECT = {1: ("kind", "str"), 2: ("apiGroup", "str"), 3: ("name", "str"), 4: ("namespace", "str")}
ROLE_REF = {1: ("apiGroup", "str"), 2: ("kind", "str"), 3: ("name", "str")}
CONTAINER_PORT = {1: ("name", "str"), 2: ("hostPort", "int"), 3: ("containerPort", "ptrint"), 4: ("protocol", "str"),
                  5: ("hostIP", "str")}
ENV_VAR = {1: ("name", "str"), 2: ("value", "str")}
CONTAINER = {1: ("name", "str"), 2: ("image", "str"), 3: ("command", "strlist"), 4: ("args", "strlist"),
             5: ("workingDir", "str"), 6: ("ports", [CONTAINER_PORT]), 7: ("env", [ENV_VAR]),
             8: ("resources", {1: ("limits", "qtymap"), 2: ("requests", "qtymap")}),
             13: ("terminationMessagePath", "str"), 14: ("imagePullPolicy", "str"), 16: ("stdin", "bool"),
             17: ("stdinOnce", "bool"), 18: ("tty", "bool"), 20: ("terminationMessagePolicy", "str")}
POD_SPEC = {2: ("containers", [CONTAINER]), 3: ("restartPolicy", "str"),
            4: ("terminationGracePeriodSeconds", "ptrint"), 5: ("activeDeadlineSeconds", "ptrint"),
            6: ("dnsPolicy", "str"), 7: ("nodeSelector", "map"), 8: ("serviceAccountName", "str"),
            10: ("nodeName", "str"), 19: ("schedulerName", "str"), 20: ("initContainers", [CONTAINER])}
POD_TEMPLATE = {1: ("metadata", META), 2: ("spec", POD_SPEC)}
DEPLOYMENT_SPEC = {1: ("replicas", "ptrint"), 2: ("selector", LABEL_SELECTOR), 3: ("template", POD_TEMPLATE),
                   4: ("strategy", {1: ("type", "str")}), 5: ("minReadySeconds", "int"),
                   6: ("revisionHistoryLimit", "ptrint"), 7: ("paused", "bool"),
                   9: ("progressDeadlineSeconds", "ptrint")}
JOB_SPEC = {1: ("parallelism", "ptrint"), 2: ("completions", "ptrint"), 3: ("activeDeadlineSeconds", "ptrint"),
            4: ("selector", LABEL_SELECTOR), 5: ("manualSelector", "ptrbool"), 6: ("template", POD_TEMPLATE),
            7: ("backoffLimit", "ptrint"), 8: ("ttlSecondsAfterFinished", "ptrint"), 9: ("completionMode", "str"),
            10: ("suspend", "ptrbool")}
CRONJOB_SPEC = {1: ("schedule", "str"), 2: ("startingDeadlineSeconds", "ptrint"), 3: ("concurrencyPolicy", "str"),
                4: ("suspend", "ptrbool"), 5: ("jobTemplate", {1: ("metadata", META), 2: ("spec", JOB_SPEC)}),
                6: ("successfulJobsHistoryLimit", "ptrint"), 7: ("failedJobsHistoryLimit", "ptrint"),
                8: ("timeZone", "str")}
SERVICE_PORT = {1: ("name", "str"), 2: ("protocol", "str"), 3: ("port", "ptrint"), 4: ("targetPort", "intorstr"),
                5: ("nodePort", "int"), 6: ("appProtocol", "str")}
SERVICE_SPEC = {1: ("ports", [SERVICE_PORT]), 2: ("selector", "map"), 3: ("clusterIP", "str"), 4: ("type", "str"),
                5: ("externalIPs", "strlist"), 7: ("sessionAffinity", "str"), 10: ("externalName", "str")}
SCHEMAS = {
    "SelfSubjectAccessReview": {1: ("metadata", META), 2: ("spec", {1: ("resourceAttributes", RESOURCE_ATTRS),
                                                                   2: ("nonResourceAttributes", NONRES_ATTRS)})},
    "SelfSubjectRulesReview": {1: ("metadata", META), 2: ("spec", {1: ("namespace", "str")})},
    "SelfSubjectReview": {1: ("metadata", META)},
    "TokenRequest": {1: ("metadata", META), 2: ("spec", {1: ("audiences", "strlist"), 4: ("expirationSeconds", "ptrint"),
                                                         3: ("boundObjectRef", {1: ("kind", "str"),
                                                                                2: ("apiVersion", "str"),
                                                                                3: ("name", "str"),
                                                                                4: ("uid", "str")})})},
    "Eviction": {1: ("metadata", META), 2: ("deleteOptions", DELETE_OPTS)},
    # kubectl certificate approve|deny (UpdateApproval)
    "CertificateSigningRequest": {
        1: ("metadata", META),
        2: ("spec", {1: ("request", "bytes"), 7: ("signerName", "str"), 8: ("expirationSeconds", "ptrint"),
                     5: ("usages", "strlist"), 2: ("username", "str"), 3: ("uid", "str"), 4: ("groups", "strlist")}),
        3: ("status", {1: ("conditions", [{1: ("type", "str"), 6: ("status", "str"), 2: ("reason", "str"),
                                           3: ("message", "str"), 4: ("lastUpdateTime", "time"),
                                           5: ("lastTransitionTime", "time")}]),
                       2: ("certificate", "bytes")})},
    # kubectl create role|clusterrole|rolebinding|clusterrolebinding|priorityclass|deployment|job|cronjob|service
    "Role": {1: ("metadata", META), 2: ("rules", [POLICY_RULE])},
    "ClusterRole": {1: ("metadata", META), 2: ("rules", [POLICY_RULE]),
                    3: ("aggregationRule", {1: ("clusterRoleSelectors", [LABEL_SELECTOR])})},
    "RoleBinding": {1: ("metadata", META), 2: ("subjects", [SUBJECT]), 3: ("roleRef", ROLE_REF)},
    "ClusterRoleBinding": {1: ("metadata", META), 2: ("subjects", [SUBJECT]), 3: ("roleRef", ROLE_REF)},
    "PriorityClass": {1: ("metadata", META), 2: ("value", "ptrint"), 3: ("globalDefault", "bool"),
                      4: ("description", "str"), 5: ("preemptionPolicy", "str")},
    "Deployment": {1: ("metadata", META), 2: ("spec", DEPLOYMENT_SPEC), 3: ("status", {})},
    "Job": {1: ("metadata", META), 2: ("spec", JOB_SPEC), 3: ("status", {})},
    "CronJob": {1: ("metadata", META), 2: ("spec", CRONJOB_SPEC), 3: ("status", {})},
    "Service": {1: ("metadata", META), 2: ("spec", SERVICE_SPEC), 3: ("status", {})},
    # kubectl create configmap|secret|namespace|serviceaccount
    "ConfigMap": {1: ("metadata", META), 4: ("immutable", "ptrbool"), 2: ("data", "map"), 3: ("binaryData", "bytesmap")},
    "Secret": {1: ("metadata", META), 5: ("immutable", "ptrbool"), 2: ("data", "bytesmap"), 4: ("stringData", "map"),
               3: ("type", "str")},
    "Namespace": {1: ("metadata", META), 2: ("spec", {1: ("finalizers", "strlist")})},
    "ServiceAccount": {1: ("metadata", META), 4: ("automountServiceAccountToken", "ptrbool")},
}


def decode(raw):
    """Protobuf envelope -> JSON-shaped dict for the kinds above; ApiError 415 otherwise."""
    if not raw.startswith(MAGIC):
        raise ApiError(400, "BadRequest", "provided input did not begin with the protobuf magic prefix")
    env = {}
    for num, wt, v in fields(raw[len(MAGIC):]):
        env[num] = v
    tm = {n: v for n, _, v in fields(env.get(1, b""))}
    api_version = tm.get(1, b"").decode()
    kind = tm.get(2, b"").decode()
    schema = SCHEMAS.get(kind)
    if schema is None:
        raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted "
                       "media types include: application/json, application/yaml")
    obj = {"kind": kind, "apiVersion": api_version}
    obj.update(_msg(env.get(2, b""), schema))
    return obj
