"""Decoding of the few protobuf request bodies kubectl sends.

kubectl's typed clients POST SelfSubjectAccessReview, SelfSubjectRulesReview,
SelfSubjectReview, TokenRequest and Eviction (auth can-i, auth whoami, create token,
drain) and ConfigMap, Secret, Namespace, ServiceAccount (create configmap|secret|
namespace|serviceaccount) as application/vnd.kubernetes.protobuf, accepting JSON back. The emulator decodes those bodies into the JSON shape; every
other protobuf body gets 415 (see README, Differences from kube-apiserver).
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


def _msg(b, schema):
    """Decode with schema {num: (json name, kind)}; kind: 'str', 'int', 'bool', [schema] repeated, dict nested,
    ('strlist',)."""
    out = {}
    for num, wt, v in fields(b):
        if num not in schema:
            continue
        name, kind = schema[num]
        if kind == "str":
            out[name] = v.decode()
        elif kind == "strlist":
            out.setdefault(name, []).append(v.decode())
        elif kind in ("map", "bytesmap"):
            kv = {n: x for n, _, x in fields(v)}
            val = kv.get(2, b"")
            if kind == "bytesmap":
                import base64
                val = base64.b64encode(val).decode()
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
        elif kind == "int":
            out[name] = v if v < (1 << 63) else v - (1 << 64)
        elif kind == "bool":
            out[name] = bool(v)
        elif isinstance(kind, dict):
            out[name] = _msg(v, kind)
        elif isinstance(kind, list):
            out.setdefault(name, []).append(_msg(v, kind[0]))
    return out


OWNER_REF = {5: ("apiVersion", "str"), 1: ("kind", "str"), 3: ("name", "str"), 4: ("uid", "str"),
             6: ("controller", "bool"), 7: ("blockOwnerDeletion", "bool")}
META = {1: ("name", "str"), 2: ("generateName", "str"), 3: ("namespace", "str"), 5: ("uid", "str"),
        6: ("resourceVersion", "str"), 7: ("generation", "int"), 8: ("creationTimestamp", "time"),
        11: ("labels", "map"),
        12: ("annotations", "map"), 13: ("ownerReferences", [OWNER_REF]), 14: ("finalizers", "strlist")}
RESOURCE_ATTRS = {1: ("namespace", "str"), 2: ("verb", "str"), 3: ("group", "str"), 4: ("version", "str"),
                  5: ("resource", "str"), 6: ("subresource", "str"), 7: ("name", "str")}
NONRES_ATTRS = {1: ("path", "str"), 2: ("verb", "str")}
DELETE_OPTS = {1: ("gracePeriodSeconds", "int"), 2: ("preconditions", {1: ("uid", "str"),
                                                                      2: ("resourceVersion", "str")}),
               3: ("orphanDependents", "bool"), 4: ("propagationPolicy", "str"), 5: ("dryRun", "strlist")}
SCHEMAS = {
    "SelfSubjectAccessReview": {1: ("metadata", META), 2: ("spec", {1: ("resourceAttributes", RESOURCE_ATTRS),
                                                                   2: ("nonResourceAttributes", NONRES_ATTRS)})},
    "SelfSubjectRulesReview": {1: ("metadata", META), 2: ("spec", {1: ("namespace", "str")})},
    "SelfSubjectReview": {1: ("metadata", META)},
    "TokenRequest": {1: ("metadata", META), 2: ("spec", {1: ("audiences", "strlist"), 4: ("expirationSeconds", "int"),
                                                         3: ("boundObjectRef", {1: ("kind", "str"),
                                                                                2: ("apiVersion", "str"),
                                                                                3: ("name", "str"),
                                                                                4: ("uid", "str")})})},
    "Eviction": {1: ("metadata", META), 2: ("deleteOptions", DELETE_OPTS)},
    # kubectl certificate approve|deny (UpdateApproval)
    "CertificateSigningRequest": {
        1: ("metadata", META),
        2: ("spec", {1: ("request", "bytes"), 7: ("signerName", "str"), 8: ("expirationSeconds", "int"),
                     5: ("usages", "strlist"), 2: ("username", "str"), 3: ("uid", "str"), 4: ("groups", "strlist")}),
        3: ("status", {1: ("conditions", [{1: ("type", "str"), 6: ("status", "str"), 2: ("reason", "str"),
                                           3: ("message", "str"), 4: ("lastUpdateTime", "time"),
                                           5: ("lastTransitionTime", "time")}]),
                       2: ("certificate", "bytes")})},
    # kubectl create configmap|secret|namespace|serviceaccount
    "ConfigMap": {1: ("metadata", META), 4: ("immutable", "bool"), 2: ("data", "map"), 3: ("binaryData", "bytesmap")},
    "Secret": {1: ("metadata", META), 5: ("immutable", "bool"), 2: ("data", "bytesmap"), 4: ("stringData", "map"),
               3: ("type", "str")},
    "Namespace": {1: ("metadata", META), 2: ("spec", {1: ("finalizers", "strlist")})},
    "ServiceAccount": {1: ("metadata", META), 4: ("automountServiceAccountToken", "bool")},
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
