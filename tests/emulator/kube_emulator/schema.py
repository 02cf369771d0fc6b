"""Structural-schema semantics of CustomResourceDefinitions, as kube-apiserver's
apiextensions-apiserver applies them: defaulting, pruning (with unknown-field
reporting for fieldValidation), OpenAPI v3 value validation, and CRD
validation/defaulting on create.

Sources read: apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go,
pkg/apiserver/schema/defaulting, pkg/apiserver/validation/validation.go
(kubeOpenAPIResultToFieldErrors), kube-openapi pkg/validation/errors,
pkg/apis/apiextensions/validation, and apimachinery pkg/util/validation/field.
Pure functions: inputs are deep-copied, errors raised as ApiError.
"""

import copy
import json
import re

from .errors import ApiError

# ---------------------------------------------------------------------------
# field.Error / field.ErrorList formatting
# ---------------------------------------------------------------------------

_TYPE_TEXT = {
    "FieldValueRequired": "Required value",
    "FieldValueInvalid": "Invalid value",
    "FieldValueTypeInvalid": "Invalid value",
    "FieldValueNotSupported": "Unsupported value",
    "FieldValueForbidden": "Forbidden",
    "FieldValueTooLong": "Too long",
    "FieldValueTooMany": "Too many",
    "FieldValueDuplicate": "Duplicate value",
    "FieldValueNotFound": "Not found",
}

_OMIT = object()


def go_value(v):
    """How field.Error prints a bad value (%v for simple types, %q for strings, %#v otherwise)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _go_float(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dict):
        return "map[string]interface {}{" + ", ".join(
            "%s:%s" % (json.dumps(k), _go_iface(v[k])) for k in sorted(v)) + "}"
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(_go_iface(x) for x in v) + "}"
    return str(v)


def _go_iface(v):
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return "%d" % v
    if isinstance(v, float):
        return _go_float(v)
    if v is None:
        return "interface {}(nil)"
    return go_value(v)


def _go_float(f):
    if f.is_integer() and abs(f) < 1e21:
        return str(int(f))
    return repr(f)


class FieldError:
    """One apimachinery field.Error."""

    def __init__(self, typ, field, value=_OMIT, detail=""):
        self.type, self.field, self.value, self.detail = typ, field, value, detail

    def body(self):
        text = _TYPE_TEXT[self.type]
        if self.type in ("FieldValueRequired", "FieldValueForbidden", "FieldValueTooLong") or self.value is _OMIT:
            s = text
        else:
            s = "%s: %s" % (text, go_value(self.value))
        if self.detail:
            s += ": " + self.detail
        return s

    def error(self):
        return "%s: %s" % (self.field, self.body())

    def cause(self):
        return {"reason": self.type, "message": self.body(), "field": self.field}


def aggregate(errs):
    """field.ErrorList.ToAggregate().Error(): one message, or [a, b] deduplicated."""
    msgs = []
    for e in errs:
        m = e.error()
        if m not in msgs:
            msgs.append(m)
    if len(msgs) == 1:
        return msgs[0]
    return "[" + ", ".join(msgs) + "]"


def invalid_error(kind, group, name, errs):
    """apierrors.NewInvalid(GroupKind, name, errs)."""
    qualified = kind + ("." + group if group else "")
    msg = '%s "%s" is invalid' % (qualified, name)
    if errs:
        msg += ": " + aggregate(errs)
    details = {"name": name}
    if group:
        details["group"] = group
    details["kind"] = kind
    details["causes"] = [e.cause() for e in errs]
    return ApiError(422, "Invalid", msg, details=details)


# ---------------------------------------------------------------------------
# defaulting (structuraldefaulting.Default) and pruning
# ---------------------------------------------------------------------------

def _props(s):
    return (s or {}).get("properties") or {}


def _additional(s):
    ap = (s or {}).get("additionalProperties")
    if isinstance(ap, dict):
        return ap
    return None


def _nullable(s):
    return bool((s or {}).get("nullable"))


def apply_defaults(x, s):
    """Fill in `default` values (deep) into x in place, following properties, items, additionalProperties."""
    if not s:
        return
    if isinstance(x, dict):
        for k, prop in _props(s).items():
            if "default" not in prop:
                continue
            if k not in x or (x[k] is None and not _nullable(prop)):
                x[k] = copy.deepcopy(prop["default"])
        ap = _additional(s)
        for k, v in x.items():
            if k in _props(s):
                apply_defaults(v, _props(s)[k])
            elif ap is not None:
                apply_defaults(v, ap)
    elif isinstance(x, list):
        items = s.get("items")
        if isinstance(items, dict):
            for v in x:
                apply_defaults(v, items)


def drop_non_nullable_nulls(x, s):
    """PruneNonNullableNullsWithoutDefaults: a null for a non-nullable field without default is dropped."""
    if not s:
        return
    if isinstance(x, dict):
        ap = _additional(s)
        for k in list(x):
            prop = _props(s).get(k, ap)
            if prop is None:
                continue
            if x[k] is None and not _nullable(prop) and "default" not in prop:
                del x[k]
            else:
                drop_non_nullable_nulls(x[k], prop)
    elif isinstance(x, list) and isinstance(s.get("items"), dict):
        for v in x:
            drop_non_nullable_nulls(v, s["items"])


# ObjectMeta's JSON fields; anything else under metadata is dropped (and reported).
OBJECT_META_FIELDS = {
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
    "ownerReferences", "finalizers", "managedFields",
}


def _coerce_meta(meta, path, pruned):
    if not isinstance(meta, dict):
        return meta
    for k in list(meta):
        if k not in OBJECT_META_FIELDS:
            pruned.append(path + "." + k)
            del meta[k]
    return meta


def prune(x, s, is_root=True):
    """Remove fields the structural schema does not specify; returns the sorted unknown-field paths."""
    pruned = []
    if is_root and isinstance(x, dict):
        for k in list(x):
            if k in ("apiVersion", "kind"):
                continue
            if k == "metadata":
                _coerce_meta(x[k], "metadata", pruned)
                continue
            _prune_key(x, k, s, "", pruned)
    else:
        _prune(x, s, "", pruned)
    return sorted(pruned)


def _join(prefix, key):
    return key if not prefix else prefix + "." + key


def _prune_key(x, k, s, prefix, pruned):
    props = _props(s)
    if k in props:
        _prune(x[k], props[k], _join(prefix, k), pruned)
    elif _additional(s) is not None:
        _prune(x[k], _additional(s), _join(prefix, k), pruned)
    elif (s or {}).get("x-kubernetes-preserve-unknown-fields"):
        pass
    else:
        pruned.append(_join(prefix, k))
        del x[k]


def _prune(x, s, prefix, pruned):
    if s is None:
        return
    if isinstance(x, dict):
        if s.get("type") not in (None, "object") and not s.get("x-kubernetes-preserve-unknown-fields"):
            return
        embedded = s.get("x-kubernetes-embedded-resource")
        for k in list(x):
            if embedded and k in ("apiVersion", "kind"):
                continue
            if embedded and k == "metadata":
                _coerce_meta(x[k], _join(prefix, "metadata"), pruned)
                if "metadata" in _props(s):
                    _prune(x[k], _props(s)["metadata"], _join(prefix, "metadata"), pruned)
                continue
            _prune_key(x, k, s, prefix, pruned)
    elif isinstance(x, list):
        items = s.get("items")
        if isinstance(items, dict):
            for i, v in enumerate(x):
                _prune(v, items, "%s[%d]" % (prefix, i), pruned)


# ---------------------------------------------------------------------------
# value validation (kube-openapi validate + kubeOpenAPIResultToFieldErrors)
# ---------------------------------------------------------------------------

def _json_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "integer" if v.is_integer() else "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _num(v):
    return _go_float(float(v)) if isinstance(v, float) else str(v)


def validate(x, s, path="", errs=None):
    """Validate x against the OpenAPI v3 schema s; returns a list of FieldError."""
    if errs is None:
        errs = []
    if not s:
        return errs
    name = path or "."
    typ = s.get("type")
    if s.get("x-kubernetes-int-or-string"):
        allowed = ("integer", "string")
    elif typ:
        allowed = (typ,)
    else:
        allowed = None
    actual = _json_type(x)
    if x is None:
        if _nullable(s) or allowed is None:
            return errs
        errs.append(FieldError("FieldValueTypeInvalid", path, "null",
                               '%s in body must be of type %s: "null"' % (name, ",".join(allowed))))
        return errs
    if allowed is not None:
        ok = actual in allowed or (actual == "integer" and "number" in allowed)
        if not ok:
            errs.append(FieldError("FieldValueTypeInvalid", path, actual,
                                   '%s in body must be of type %s: "%s"' % (name, ",".join(allowed), actual)))
            return errs
    if "enum" in s and s["enum"] is not None:
        if not any(_json_eq(x, e) for e in s["enum"]):
            vals = [e if isinstance(e, str) else json.dumps(e, separators=(",", ":")) for e in s["enum"]]
            errs.append(FieldError("FieldValueNotSupported", path, x,
                                   "supported values: " + ", ".join(json.dumps(v, ensure_ascii=False)
                                                                    for v in vals)))
    if actual in ("integer", "number"):
        if s.get("minimum") is not None:
            lo = s["minimum"]
            if s.get("exclusiveMinimum") and not x > lo:
                errs.append(FieldError("FieldValueInvalid", path, x,
                                       "%s in body should be greater than %s" % (name, _num(lo))))
            elif x < lo:
                errs.append(FieldError("FieldValueInvalid", path, x,
                                       "%s in body should be greater than or equal to %s" % (name, _num(lo))))
        if s.get("maximum") is not None:
            hi = s["maximum"]
            if s.get("exclusiveMaximum") and not x < hi:
                errs.append(FieldError("FieldValueInvalid", path, x,
                                       "%s in body should be less than %s" % (name, _num(hi))))
            elif x > hi:
                errs.append(FieldError("FieldValueInvalid", path, x,
                                       "%s in body should be less than or equal to %s" % (name, _num(hi))))
        if s.get("multipleOf"):
            m = s["multipleOf"]
            if (x / m) != int(x / m):
                errs.append(FieldError("FieldValueInvalid", path, x,
                                       "%s in body should be a multiple of %s" % (name, _num(m))))
        fmt = s.get("format")
        if actual == "integer" and fmt in ("int32", "int64"):
            bits = 31 if fmt == "int32" else 63
            if not -(1 << bits) <= x < (1 << bits):
                errs.append(FieldError("FieldValueInvalid", path, x,
                                       "%s in body must be of type %s: \"%s\"" % (name, fmt, _num(x))))
    if actual == "string":
        n = len(x)
        if s.get("maxLength") is not None and n > s["maxLength"]:
            errs.append(FieldError("FieldValueTooLong", path, x, "may not be longer than %d" % s["maxLength"]))
        if s.get("minLength") is not None and n < s["minLength"]:
            errs.append(FieldError("FieldValueInvalid", path, x,
                                   "%s in body should be at least %d chars long" % (name, s["minLength"])))
        fmt = s.get("format")
        if fmt in _FORMATS and not _FORMATS[fmt](x):
            errs.append(FieldError("FieldValueTypeInvalid", path, x,
                                   '%s in body must be of type %s: %s' % (name, fmt, json.dumps(x))))
        if s.get("pattern"):
            try:
                if not re.search(s["pattern"], x):
                    errs.append(FieldError("FieldValueInvalid", path, x,
                                           "%s in body should match '%s'" % (name, s["pattern"])))
            except re.error:
                pass
    if actual == "array":
        if s.get("maxItems") is not None and len(x) > s["maxItems"]:
            errs.append(FieldError("FieldValueTooMany", path, len(x), "must have at most %d items" % s["maxItems"]))
        if s.get("minItems") is not None and len(x) < s["minItems"]:
            errs.append(FieldError("FieldValueInvalid", path, len(x),
                                   "%s in body should have at least %d items" % (name, s["minItems"])))
        if s.get("uniqueItems"):
            seen = []
            for v in x:
                if any(_json_eq(v, w) for w in seen):
                    errs.append(FieldError("FieldValueDuplicate", path, v))
                    break
                seen.append(v)
        items = s.get("items")
        if isinstance(items, dict):
            for i, v in enumerate(x):
                validate(v, items, "%s[%d]" % (path, i), errs)
    _validate_composition(x, s, path, name, errs)
    if actual == "object":
        for req in s.get("required") or []:
            if req not in x:
                errs.append(FieldError("FieldValueRequired", _join(path, req)))
        if s.get("maxProperties") is not None and len(x) > s["maxProperties"]:
            errs.append(FieldError("FieldValueTooMany", path, len(x),
                                   "must have at most %d items" % s["maxProperties"]))
        if s.get("minProperties") is not None and len(x) < s["minProperties"]:
            errs.append(FieldError("FieldValueInvalid", path, len(x),
                                   "%s in body should have at least %d properties" % (name, s["minProperties"])))
        props = _props(s)
        ap = _additional(s)
        for k in sorted(x):
            if k in props:
                validate(x[k], props[k], _join(path, k), errs)
            elif ap is not None:
                validate(x[k], ap, _join(path, k), errs)
    return errs


def _validate_composition(x, s, path, name, errs):
    """allOf / anyOf / oneOf / not (kube-openapi schemaPropsValidator): composite errors carry an empty value."""
    for branch in s.get("allOf") or []:
        validate(x, branch, path, errs)
    any_of = s.get("anyOf") or []
    if any_of and not s.get("x-kubernetes-int-or-string"):
        results = [validate(x, b, path, []) for b in any_of]
        if all(results):
            errs.append(FieldError("FieldValueInvalid", path, "",
                                   "%s must validate at least one schema (anyOf)" % name))
            errs.extend(min(results, key=len))
    one_of = s.get("oneOf") or []
    if one_of:
        results = [validate(x, b, path, []) for b in one_of]
        ok = sum(1 for r in results if not r)
        if ok == 0:
            errs.append(FieldError("FieldValueInvalid", path, "",
                                   "%s must validate one and only one schema (oneOf). Found none valid" % name))
            errs.extend(min(results, key=len))
        elif ok > 1:
            errs.append(FieldError("FieldValueInvalid", path, "",
                                   "%s must validate one and only one schema (oneOf). Found %d valid alternatives"
                                   % (name, ok)))
    if isinstance(s.get("not"), dict) and not validate(x, s["not"], path, []):
        errs.append(FieldError("FieldValueInvalid", path, "", "%s must not validate the schema (not)" % name))


def _is_ipv4(v):
    import ipaddress
    try:
        ipaddress.IPv4Address(v)
        return True
    except ValueError:
        return False


def _is_ipv6(v):
    import ipaddress
    try:
        ipaddress.IPv6Address(v)
        return True
    except ValueError:
        return False


def _is_datetime(v):
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", v))


def _is_byte(v):
    import base64
    import binascii
    try:
        base64.b64decode(v, validate=True)
        return True
    except (binascii.Error, ValueError):
        return False


# The string formats kube-openapi's strfmt checks for CRDs (a subset: the ones real CRDs use).
_FORMATS = {
    "ipv4": _is_ipv4,
    "ipv6": _is_ipv6,
    "date-time": _is_datetime,
    "date": lambda v: bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)),
    "uuid": lambda v: bool(re.fullmatch(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                                        r"[0-9a-fA-F]{12}", v)),
    "byte": _is_byte,
}


def _json_eq(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


# ---------------------------------------------------------------------------
# entry points
# ---------------------------------------------------------------------------

def _root_schema(version_schema):
    """Accept a CRD version entry ({"schema": {"openAPIV3Schema": ...}}), its schema, or the bare schema."""
    s = version_schema or {}
    if "schema" in s and isinstance(s["schema"], dict):
        s = s["schema"]
    if "openAPIV3Schema" in s:
        s = s["openAPIV3Schema"]
    return s


def process_custom_resource(obj, version_schema, field_validation="Strict", subresources=None):
    """Default, prune and validate a custom resource body; returns (obj, warnings).

    fieldValidation Strict: unknown fields -> 400 `strict decoding error: unknown field "spec.foo", ...`;
    Warn: returned as warnings `unknown field "spec.foo"`; Ignore: silently pruned.
    Invalid values -> 422 `Kind.group "name" is invalid: ...` with field causes.
    """
    obj = copy.deepcopy(obj)
    s = _root_schema(version_schema)
    apply_defaults(obj, s)
    drop_non_nullable_nulls(obj, s)
    pruned = prune(obj, s)
    warnings = []
    if pruned:
        msgs = ['unknown field "%s"' % p for p in pruned]
        if field_validation == "Strict":
            raise ApiError(400, "BadRequest", "strict decoding error: " + ", ".join(msgs))
        if field_validation == "Warn":
            warnings = msgs
    body = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
    check_schema = dict(s)
    check_schema["properties"] = {k: v for k, v in _props(s).items() if k not in ("apiVersion", "kind", "metadata")}
    check_schema["required"] = [r for r in (s.get("required") or []) if r not in ("apiVersion", "kind", "metadata")]
    errs = validate(body, check_schema, "")
    if errs:
        av = obj.get("apiVersion", "") or ""
        group = av.rpartition("/")[0]
        raise invalid_error(obj.get("kind", ""), group, (obj.get("metadata") or {}).get("name", ""), errs)
    return obj, warnings


def default_values(obj, version_schema):
    """Only the defaulting step (kube also defaults when reading from storage)."""
    obj = copy.deepcopy(obj)
    s = _root_schema(version_schema)
    apply_defaults(obj, s)
    drop_non_nullable_nulls(obj, s)
    return obj


_CRD_KIND = ("CustomResourceDefinition", "apiextensions.k8s.io")


def validate_crd(crd):
    """The apiextensions create validation that clients notice; raises 422 Invalid."""
    errs = []
    meta = crd.get("metadata") or {}
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    name = meta.get("name", "")
    group = spec.get("group", "") or ""
    plural = names.get("plural", "") or ""
    if name != "%s.%s" % (plural, group):
        errs.append(FieldError("FieldValueInvalid", "metadata.name", name,
                               'must be spec.names.plural+"."+spec.group'))
    if not group:
        errs.append(FieldError("FieldValueRequired", "spec.group"))
    elif len(group.split(".")) < 2:
        errs.append(FieldError("FieldValueInvalid", "spec.group", group, "should be a domain with at least one dot"))
    elif not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", group):
        errs.append(FieldError("FieldValueInvalid", "spec.group", group,
                               "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                               "'-' or '.', and must start and end with an alphanumeric character (e.g. "
                               "'example.com', regex used for validation is "
                               "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"))
    if not plural:
        errs.append(FieldError("FieldValueRequired", "spec.names.plural"))
    if not names.get("kind"):
        errs.append(FieldError("FieldValueRequired", "spec.names.kind"))
    scope = spec.get("scope")
    if not scope:
        errs.append(FieldError("FieldValueRequired", "spec.scope"))
    elif scope not in ("Cluster", "Namespaced"):
        errs.append(FieldError("FieldValueNotSupported", "spec.scope", scope,
                               'supported values: "Cluster", "Namespaced"'))
    versions = spec.get("versions") or []
    if not versions:
        errs.append(FieldError("FieldValueInvalid", "spec.versions", _go_versions(versions),
                               "must have exactly one version marked as storage version"))
    else:
        if sum(1 for v in versions if v.get("storage")) != 1:
            errs.append(FieldError("FieldValueInvalid", "spec.versions", _go_versions(versions),
                                   "must have exactly one version marked as storage version"))
        seen = set()
        for i, v in enumerate(versions):
            if v.get("name") in seen:
                errs.append(FieldError("FieldValueInvalid", "spec.versions[%d].name" % i, v.get("name"),
                                       "must be unique"))
            seen.add(v.get("name"))
            if not (_root_schema(v) if isinstance(v.get("schema"), dict) else None):
                errs.append(FieldError("FieldValueRequired", "spec.versions[%d].schema.openAPIV3Schema" % i,
                                       detail="schemas are required"))
    if errs:
        raise invalid_error(_CRD_KIND[0], _CRD_KIND[1], name, errs)


class _GoRepr:
    """A value field.Error prints verbatim (Go's %#v of a struct slice)."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


def _go_versions(versions):
    # field.Invalid prints the versions slice with %#v; a short Go-like rendering of it
    return _GoRepr("[]apiextensions.CustomResourceDefinitionVersion{" + ", ".join(
        'apiextensions.CustomResourceDefinitionVersion{Name:"%s", Served:%s, Storage:%s, ...}'
        % (v.get("name", ""), "true" if v.get("served") else "false", "true" if v.get("storage") else "false")
        for v in versions) + "}")


def default_crd(crd):
    """apiextensions v1 defaulting plus the create-time status reset."""
    crd = copy.deepcopy(crd)
    spec = crd.setdefault("spec", {})
    names = spec.setdefault("names", {})
    kind = names.get("kind", "") or ""
    if not names.get("singular"):
        names["singular"] = kind.lower()
    if not names.get("listKind") and kind:
        names["listKind"] = kind + "List"
    conv = spec.get("conversion")
    if not conv:
        spec["conversion"] = {"strategy": "None"}
    elif conv.get("strategy") == "Webhook":
        wh = conv.setdefault("webhook", {})
        cc = wh.get("clientConfig") or {}
        if cc.get("service") and cc["service"].get("port") is None:
            cc["service"]["port"] = 443
    storage = next((v.get("name") for v in spec.get("versions") or [] if v.get("storage")), None)
    crd["status"] = {"conditions": [], "acceptedNames": {"plural": "", "kind": ""},
                     "storedVersions": [storage] if storage else []}
    return crd
