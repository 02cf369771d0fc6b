"""Patch semantics of kube-apiserver: JSON merge patch, JSON patch, strategic
merge patch and server-side apply with managedFields.

Pure functions on JSON-like values: inputs are deep-copied and never mutated,
errors are raised as ApiError exactly as kube-apiserver words them
(apiserver pkg/endpoints/handlers/patch.go, evanphx/json-patch v4,
apimachinery pkg/util/strategicpatch, structured-merge-diff v4 and
apimachinery pkg/util/managedfields).

Field sets (server-side apply) are Python sets of paths; a path is a tuple of
FieldsV1 keys such as ("f:spec", "f:template", "f:spec", "f:containers",
'k:{"name":"web"}', "f:image").
"""

import copy
import json

from .errors import ApiError
from ._builtin_schema import DEFS, KEY_DEFAULTS, KINDS

MAX_JSON_PATCH_OPERATIONS = 10000

# ---------------------------------------------------------------------------
# Type descriptors for the built-in kinds (from _builtin_schema)
#   ("def", name)                       struct (DEFS entry)
#   ("map", elem)                       map with element type
#   ("list", listType, keys, elem, strategy, mergeKey)
#   ("scalar",)                         leaf / atomic value
#   ("any",)                            no schema: dicts are structs, lists atomic
# ---------------------------------------------------------------------------

SCALAR = ("scalar",)
ANY = ("any",)


def root_type(gvk, schema=None):
    """The type descriptor of a kind's root object: built-in metadata, a CRD schema, or ANY."""
    if schema is not None:
        return schema_type(schema, root=True)
    group, version, kind = gvk
    gv = (group + "/" + version) if group else version
    name = KINDS.get(gv + "/" + kind)
    return ("def", name) if name else ANY


def _is_builtin(gvk):
    return root_type(gvk) != ANY


def _prop_type(spec):
    shape, ref, strategy, key, list_type, map_keys, map_type = spec
    elem = ("def", ref) if ref else SCALAR
    if shape == "o":
        return elem if ref else SCALAR
    if shape == "l":
        if not list_type and "merge" in strategy:
            list_type = "map" if key else "set"
            map_keys = [key] if key else []
        return ("list", list_type or "atomic", list(map_keys), elem, strategy, key)
    if shape == "m":
        if map_type == "atomic":
            return SCALAR
        return ("map", elem)
    return SCALAR


def field_type(t, name):
    """(type of field `name` inside a value of type t, declared-struct-field?)."""
    kind = t[0]
    if kind == "def":
        d = DEFS.get(t[1])
        if d is None:
            return ANY, True
        spec = d["p"].get(name)
        if spec is None:
            # Scalars are not listed in the metadata; unknown objects are free-form.
            return ANY, True
        return _prop_type(spec), True
    if kind == "map":
        return t[1], False
    if kind in ("oapi", "oapiroot"):
        return _oapi_field(t, name)
    if kind == "deduced":
        return DEDUCED, False
    return ANY, True


# Custom resources: types from the CRD's structural schema (smd builds the same from the OpenAPI schema).
DEDUCED = ("deduced",)


def schema_type(node, root=False):
    """The type descriptor of an OpenAPI v3 (structural) schema node."""
    node = node or {}
    if node.get("x-kubernetes-int-or-string"):
        return SCALAR
    typ = node.get("type")
    if typ == "array":
        items = node.get("items") if isinstance(node.get("items"), dict) else {}
        lt = node.get("x-kubernetes-list-type") or "atomic"
        return ("list", lt, list(node.get("x-kubernetes-list-map-keys") or []), schema_type(items), "", "")
    if typ == "object" or node.get("properties") or node.get("x-kubernetes-preserve-unknown-fields") \
            or isinstance(node.get("additionalProperties"), dict):
        if node.get("x-kubernetes-map-type") == "atomic":
            return SCALAR
        return ("oapiroot" if root else "oapi", _Node(node))
    if typ is None and not node:
        return DEDUCED
    return SCALAR


class _Node:
    """A schema node, hashable by identity so type tuples stay cheap to compare."""

    __slots__ = ("s",)

    def __init__(self, s):
        self.s = s


def _oapi_field(t, name):
    node = t[1].s
    if name == "metadata" and (t[0] == "oapiroot" or node.get("x-kubernetes-embedded-resource")):
        return ("def", "meta.v1.ObjectMeta"), True
    if name in ("apiVersion", "kind") and (t[0] == "oapiroot" or node.get("x-kubernetes-embedded-resource")):
        return SCALAR, True
    props = node.get("properties") or {}
    if name in props:
        return schema_type(props[name]), True
    ap = node.get("additionalProperties")
    if isinstance(ap, dict):
        return schema_type(ap), False
    return DEDUCED, False


def _is_atomic(t):
    if t[0] == "scalar":
        return True
    if t[0] == "def":
        d = DEFS.get(t[1])
        return bool(d and d["atomic"])
    return False


# ---------------------------------------------------------------------------
# RFC 7386 JSON merge patch
# ---------------------------------------------------------------------------

def merge_patch(obj, patch):
    """RFC 7386: objects merge recursively, null deletes, anything else replaces."""
    return _merge(copy.deepcopy(obj), patch)


def _merge(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if not isinstance(target, dict):
        target = {}
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = _merge(target.get(k), v)
    return target


# ---------------------------------------------------------------------------
# RFC 6902 JSON patch (evanphx/json-patch v4 semantics, as used by kube-apiserver)
# ---------------------------------------------------------------------------

class JSONPatchError(Exception):
    """A failed operation; the text is evanphx/json-patch's error string."""


def _invalid_patch():
    # handlers/patch.go: NewGenericServerResponse(422, "", GroupResource{}, "", err.Error(), 0, false)
    # -> reason Invalid, generic message, empty details (causes are only kept for unexpected responses).
    return ApiError(422, "Invalid", "the server rejected our request due to an error in our request", details={})


def json_patch(obj, ops):
    """Apply RFC 6902 operations; raises ApiError like kube-apiserver does."""
    if not isinstance(ops, list):
        raise ApiError(400, "BadRequest",
                       "json: cannot unmarshal %s into Go value of type jsonpatch.Patch" % _go_json_kind(ops))
    for op in ops:
        if not isinstance(op, dict):
            raise ApiError(400, "BadRequest",
                           "json: cannot unmarshal %s into Go value of type jsonpatch.Operation" % _go_json_kind(op))
    if len(ops) > MAX_JSON_PATCH_OPERATIONS:
        raise ApiError(413, "RequestEntityTooLarge",
                       "Request entity too large: The allowed maximum operations in a JSON patch is %d, got %d"
                       % (MAX_JSON_PATCH_OPERATIONS, len(ops)))
    try:
        return apply_json_patch(obj, ops)
    except JSONPatchError:
        raise _invalid_patch() from None


def _go_json_kind(v):
    if isinstance(v, dict):
        return "object"
    if isinstance(v, str):
        return "string"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if v is None:
        return "null"
    return "array"


def _decode_key(k):
    return k.replace("~1", "/").replace("~0", "~")


def _find(doc, path):
    """(container, key) like evanphx findObject; (None, None) when the parent is missing."""
    if not isinstance(path, str):
        return None, None
    split = path.split("/")
    if len(split) < 2:
        return None, None
    cur = doc
    for part in split[1:-1]:
        nxt = _get(cur, _decode_key(part))
        if not isinstance(nxt, (dict, list)):
            return None, None
        cur = nxt
    return cur, _decode_key(split[-1])


def _index(arr, key, extra=0):
    try:
        idx = int(key)
    except (TypeError, ValueError):
        raise JSONPatchError('strconv.Atoi: parsing "%s": invalid syntax' % key) from None
    n = len(arr) + extra
    if idx >= n or idx < -n:
        raise JSONPatchError("Unable to access invalid index: %d: invalid index referenced" % idx)
    if idx < 0:
        idx += n
    return idx


def _get(con, key):
    if isinstance(con, dict):
        return con.get(key)
    if isinstance(con, list):
        try:
            idx = int(key)
        except ValueError:
            return None
        if idx >= len(con) or idx < -len(con):
            return None
        return con[idx]
    return None


def _exists(con, key):
    if isinstance(con, dict):
        return key in con
    try:
        _index(con, key)
        return True
    except JSONPatchError:
        return False


def _add(con, key, val, path):
    if isinstance(con, dict):
        con[key] = val
        return
    if key == "-":
        con.append(val)
        return
    try:
        idx = _index(con, key, extra=1)
    except JSONPatchError as e:
        raise JSONPatchError("error in add for path: '%s': %s" % (path, e)) from None
    con.insert(idx, val)


def _remove(con, key, path, what="remove"):
    if isinstance(con, dict):
        if key not in con:
            raise JSONPatchError("error in %s for path: '%s': Unable to remove nonexistent key: %s: missing value"
                                 % (what, path, key))
        return con.pop(key)
    idx = _index(con, key)
    return con.pop(idx)


def apply_json_patch(obj, ops):
    """The raw RFC 6902 engine; raises JSONPatchError with json-patch's wording."""
    doc = copy.deepcopy(obj)
    for op in ops:
        kind = op.get("op")
        path = op.get("path")
        if kind not in ("add", "remove", "replace", "move", "copy", "test"):
            raise JSONPatchError("Unexpected kind: %s" % (kind if isinstance(kind, str) else "unknown"))
        if path is None:
            raise JSONPatchError("%s operation failed to decode path" % kind)
        if kind == "add":
            con, key = _find(doc, path)
            if con is None:
                raise JSONPatchError('add operation does not apply: doc is missing path: "%s": missing value' % path)
            _add(con, key, copy.deepcopy(op.get("value")), path)
        elif kind == "remove":
            con, key = _find(doc, path)
            if con is None:
                raise JSONPatchError('remove operation does not apply: doc is missing path: "%s": missing value' % path)
            _remove(con, key, path)
        elif kind == "replace":
            con, key = _find(doc, path)
            if con is None:
                raise JSONPatchError("replace operation does not apply: doc is missing path: %s: missing value" % path)
            if isinstance(con, list):
                if not _exists(con, key):
                    raise JSONPatchError("replace operation does not apply: doc is missing key: %s: missing value"
                                         % path)
                con[_index(con, key)] = copy.deepcopy(op.get("value"))
            else:
                con[key] = copy.deepcopy(op.get("value"))
        elif kind in ("move", "copy"):
            frm = op.get("from")
            if frm is None:
                raise JSONPatchError("%s operation failed to decode from" % kind)
            con, key = _find(doc, frm)
            if con is None:
                raise JSONPatchError("%s operation does not apply: doc is missing from path: %s: missing value"
                                     % (kind, frm))
            if not _exists(con, key):
                raise JSONPatchError("error in %s for path: '%s': missing value" % (kind, key))
            if kind == "move":
                val = _remove(con, key, key, "move")
            else:
                val = copy.deepcopy(_get(con, key))
            dcon, dkey = _find(doc, path)
            if dcon is None:
                raise JSONPatchError("%s operation does not apply: doc is missing destination path: %s: missing value"
                                     % (kind, path))
            _add(dcon, dkey, val, path)
        else:  # test
            con, key = _find(doc, path)
            if con is None:
                raise JSONPatchError("test operation does not apply: is missing path: %s: missing value" % path)
            if isinstance(con, list) and not _exists(con, key):
                raise JSONPatchError("error in test for path: '%s': Unable to access invalid index" % path)
            have = _get(con, key)
            want = op.get("value")
            if not _json_equal(have, want):
                raise JSONPatchError("testing value %s failed: test failed" % path)
    return doc


def _json_equal(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


# ---------------------------------------------------------------------------
# Strategic merge patch (apimachinery pkg/util/strategicpatch, MergeParallelList +
# IgnoreUnmatchedNulls as StrategicMergeMapPatch uses them)
# ---------------------------------------------------------------------------

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
DELETE_PRIMITIVE = "$deleteFromPrimitiveList/"
SET_ORDER = "$setElementOrder/"

# mergepatch errors the handler maps to 400 (interpretStrategicMergePatchError)
ERR_BAD_JSON_DOC = "invalid JSON document"
ERR_BAD_PRIMITIVE_LIST = "invalid patch format of primitive list"
ERR_BAD_RETAIN_KEYS = "invalid patch format of retainKeys"
ERR_BAD_SET_ORDER = "invalid patch format of setElementOrder list"


def strategic_merge_patch(obj, patch, gvk):
    """Apply a strategic merge patch to a built-in object (kube-apiserver semantics and errors)."""
    if not isinstance(patch, dict):
        raise _bad_request(ERR_BAD_JSON_DOC)
    orig = copy.deepcopy(obj) if isinstance(obj, dict) else {}
    return _smp_map(orig, copy.deepcopy(patch), root_type(gvk))


def _bad_request(msg):
    return ApiError(400, "BadRequest", msg)


def _plain_error(msg):
    """A Go error that is not an APIStatus: ErrorToAPIStatus makes it 500 with an empty reason."""
    return ApiError(500, "", msg)


def go_fmt(v):
    """Go's %v of a decoded JSON value."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dict):
        return "map[" + " ".join("%s:%s" % (k, go_fmt(v[k])) for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(go_fmt(x) for x in v) + "]"
    return str(v)


def _smp_field(t, k):
    """(child type, patch strategy, merge key) from the Go struct tags (atomic-ness is irrelevant to SMP)."""
    if t[0] == "def":
        d = DEFS.get(t[1])
        spec = d["p"].get(k) if d else None
        if spec is None:
            return ANY, "", ""
        shape, ref, strategy, key = spec[0], spec[1], spec[2], spec[3]
        strategies = [s for s in strategy.split(",") if s and s != "retainKeys"]
        strategy = strategies[0] if strategies else ""
        elem = ("def", ref) if ref else ANY
        if shape == "m":
            return ("map", elem), strategy, ""
        if shape == "l":
            return ("smplist", elem), strategy, key
        return elem, strategy, key
    if t[0] == "map":
        return t[1], "", ""
    return ANY, "", ""


def _no_merge_key(m, key):
    return _plain_error("map: %s does not contain declared merge key: %s" % (go_fmt(m), key))


def _smp_map(orig, patch, t):
    if DIRECTIVE in patch:
        d = patch[DIRECTIVE]
        if d == "replace":
            del patch[DIRECTIVE]
            return _strip_directives(patch)
        if d == "delete":
            return {}
        raise _plain_error("unknown patch type: %s in map: %s" % (go_fmt(d), go_fmt(patch)))
    if orig is None:
        orig = {}
    # $retainKeys: every patch key must be listed; keys of the original that are not listed are cleared
    if RETAIN_KEYS in patch:
        retain = patch.pop(RETAIN_KEYS)
        if not isinstance(retain, list):
            raise _bad_request(ERR_BAD_RETAIN_KEYS)
        for k, v in patch.items():
            if v is None or k.startswith(DELETE_PRIMITIVE) or k.startswith(SET_ORDER):
                continue
            if k not in retain:
                raise _bad_request(ERR_BAD_RETAIN_KEYS)
        for k in list(orig):
            if k not in retain:
                del orig[k]
    # $setElementOrder lists, merged together with their patch list
    for key in [k for k in patch if k.startswith(SET_ORDER)]:
        order = patch.pop(key)
        if not isinstance(order, list):
            raise _bad_request(ERR_BAD_SET_ORDER)
        field = key[len(SET_ORDER):]
        if not field:
            raise _bad_request(ERR_BAD_SET_ORDER)
        ft, strategy, mkey = _smp_field(t, field)
        in_orig, in_patch = field in orig, field in patch
        orig_list = orig.get(field) if in_orig else []
        patch_list = patch.get(field) if in_patch else []
        if (in_orig and not isinstance(orig_list, list)) or (in_patch and not isinstance(patch_list, list)):
            raise _plain_error("expected []interface{}")
        _validate_set_order(patch_list or [], order, mkey)
        if in_orig and not in_patch:
            merged = orig_list
        elif in_patch and not in_orig:
            merged = patch_list
        elif in_orig and in_patch:
            merged = _smp_slice_handler(orig_list, patch_list, ft, strategy, mkey, False)
        else:
            continue
        kind_map = _is_map_list(orig_list or [], patch_list or [])
        patch_items, server_only = _partition(merged, order, mkey if kind_map else "")
        orig[field] = _normalize_order(patch_items, server_only, order, orig_list or [], mkey if kind_map else "")
        patch.pop(field, None)
    for k, pv in patch.items():
        is_delete_list = False
        if k.startswith(DELETE_PRIMITIVE):
            k = k[len(DELETE_PRIMITIVE):]
            if not k:
                raise _bad_request(ERR_BAD_PRIMITIVE_LIST)
            is_delete_list = True
        if pv is None:
            orig.pop(k, None)
            continue
        if k not in orig:
            orig[k] = _strip_directives(pv)
            continue
        ov = orig[k]
        if type(ov) is not type(pv) and not (isinstance(ov, (int, float)) and isinstance(pv, (int, float))):
            orig[k] = _strip_directives(pv)
            continue
        ft, strategy, mkey = _smp_field(t, k)
        if isinstance(ov, dict):
            orig[k] = _strip_directives(pv) if strategy == "replace" else _smp_map(ov, pv, ft)
        elif isinstance(ov, list):
            orig[k] = _smp_slice_handler(ov, pv, ft, strategy, mkey, is_delete_list)
        else:
            orig[k] = pv
    return orig


def _strip_directives(v):
    if isinstance(v, dict):
        return {k: _strip_directives(x) for k, x in v.items()
                if k not in (DIRECTIVE, RETAIN_KEYS) and not k.startswith(SET_ORDER)
                and not k.startswith(DELETE_PRIMITIVE)}
    if isinstance(v, list):
        return [_strip_directives(x) for x in v if not (isinstance(x, dict) and x.get(DIRECTIVE) is not None
                                                         and set(x) <= {DIRECTIVE})]
    return v


def _is_map_list(a, b):
    for x in list(a) + list(b):
        return isinstance(x, dict)
    return False


def _smp_slice_handler(orig, patch, ft, strategy, mkey, is_delete_list):
    if strategy != "merge":
        return _strip_directives(patch)
    return _smp_merge_slice(orig, patch, ft[1] if ft[0] == "smplist" else ANY, mkey, is_delete_list)


def _smp_merge_slice(orig, patch, elem, mkey, is_delete_list):
    if not orig and not patch:
        return orig
    kinds = {isinstance(x, dict) for x in list(orig) + list(patch)}
    if any(isinstance(x, list) for x in list(orig) + list(patch)):
        raise _plain_error("lists of lists are not supported")
    if len(kinds) > 1:
        raise _plain_error("list contains more than one kind of element")
    is_map = kinds == {True}
    if not is_map:
        if is_delete_list:
            return [x for x in orig if x not in patch]
        merged = _dedup(list(orig) + list(patch))
        patch_items, server_only = _partition(merged, patch, "")
        return _normalize_order(patch_items, server_only, patch, orig, "")
    if not mkey:
        raise _plain_error("cannot merge lists without merge key for type map")
    # special elements: $patch delete / replace
    plain, replace = [], False
    cur = [x for x in orig]
    for v in patch:
        d = v.get(DIRECTIVE)
        if d is None:
            plain.append(v)
        elif d == "delete":
            if mkey not in v:
                raise _no_merge_key(v, mkey)
            cur = [x for x in cur if not (isinstance(x, dict) and x.get(mkey) == v[mkey])]
        elif d == "replace":
            replace = True
        elif d == "merge":
            raise _plain_error("merging lists cannot yet be specified in the patch")
        else:
            raise _plain_error("unknown patch type: %s in map: %s" % (go_fmt(d), go_fmt(v)))
    if replace:
        cur, plain = [_strip_directives(x) for x in plain], []
    merged = list(cur)
    for v in plain:
        if mkey not in v:
            raise _no_merge_key(v, mkey)
        idx = next((i for i, x in enumerate(merged) if isinstance(x, dict) and x.get(mkey) == v[mkey]), None)
        if idx is not None:
            merged[idx] = _smp_map(merged[idx], v, elem)
        else:
            merged.append(_smp_map({}, v, elem) if any(k.startswith("$") for k in v) else v)
    for x in merged:
        if mkey not in x:
            raise _no_merge_key(x, mkey)
    patch_items, server_only = _partition(merged, plain, mkey)
    return _normalize_order(patch_items, server_only, plain, cur, mkey)


def _dedup(s):
    """deduplicateScalars, including its swap-with-last reordering."""
    s = list(s)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if s[i] == s[j] and type(s[i]) is type(s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


def _ident(item, mkey):
    return item.get(mkey) if mkey and isinstance(item, dict) else item


def _smp_index(lst, item, mkey):
    want = _ident(item, mkey)
    for i, v in enumerate(lst):
        if _ident(v, mkey) == want and type(_ident(v, mkey)) is type(want):
            return i
    return -1


def _partition(items, by, mkey):
    inside, server_only = [], []
    for v in items:
        (inside if _smp_index(by, v, mkey) >= 0 else server_only).append(v)
    return inside, server_only


def _normalize_slice_order(to_sort, order, mkey):
    to_delete = []
    if mkey:
        to_delete = [x for x in to_sort if isinstance(x, dict) and x.get(DIRECTIVE) == "delete"]
        to_sort = [x for x in to_sort if not (isinstance(x, dict) and x.get(DIRECTIVE) == "delete")]
    # sort.SliceStable with "less = both known ? ii < ij : true": a stable insertion sort reproduces it
    out = []
    for x in to_sort:
        pos = len(out)
        while pos > 0:
            ii, ij = _smp_index(order, x, mkey), _smp_index(order, out[pos - 1], mkey)
            less = ii < ij if ii >= 0 and ij >= 0 else True
            if not less:
                break
            pos -= 1
        out.insert(pos, x)
    return out + to_delete


def _normalize_order(patch_items, server_only, patch_order, server_order, mkey):
    """normalizeElementOrder: patch items in patch order, server-only items in live order, interleaved."""
    right = _normalize_slice_order(patch_items, patch_order, mkey)
    left = _normalize_slice_order(server_only, server_order, mkey)
    out = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li, ri = _smp_index(server_order, left[i], mkey), _smp_index(server_order, right[j], mkey)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _validate_set_order(patch_list, order, mkey):
    if not order or not patch_list:
        return
    non_delete = [x for x in patch_list if not (mkey and isinstance(x, dict) and x.get(DIRECTIVE) == "delete")]
    pi = oi = 0
    while pi < len(non_delete) and oi < len(order):
        item = non_delete[pi]
        if isinstance(item, dict) and DIRECTIVE in item:
            pi += 1
            continue
        if mkey:
            if not isinstance(item, dict) or mkey not in item:
                raise _no_merge_key(item, mkey)
            if not isinstance(order[oi], dict) or mkey not in order[oi]:
                raise _no_merge_key(order[oi], mkey)
            equal = item[mkey] == order[oi][mkey]
        else:
            equal = item == order[oi]
        if equal:
            pi += 1
        oi += 1
    if pi < len(non_delete) and oi >= len(order):
        raise _plain_error("The order in patch list:\n%s\n doesn't match %s list:\n%s\n"
                           % (go_fmt(patch_list), SET_ORDER, go_fmt(order)))


# ---------------------------------------------------------------------------
# Field sets (structured-merge-diff) and FieldsV1
# ---------------------------------------------------------------------------

def _go_json(v):
    """encoding/json output: compact, sorted object keys, HTML characters escaped."""
    text = json.dumps(v, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _key_json(v):
    return _go_json(v)


def item_key(item, t):
    """The FieldsV1 path element of a list item of list type t (missing key fields take their schema
    default, as structured-merge-diff does: a container port without protocol is keyed with "TCP")."""
    list_type, keys = t[1], t[2]
    if list_type == "map":
        present = {}
        for k in sorted(keys):
            if isinstance(item, dict) and k in item:
                present[k] = item[k]
            else:
                found, default = _key_default(t[3], k)
                if found:
                    present[k] = default
        return "k:" + _go_json(present)
    return "v:" + _key_json(item)


def _key_default(elem, field):
    if elem[0] == "def":
        d = KEY_DEFAULTS.get(elem[1], {})
        if field in d:
            return True, d[field]
    elif elem[0] in ("oapi", "oapiroot"):
        prop = (elem[1].s.get("properties") or {}).get(field) or {}
        if "default" in prop:
            return True, prop["default"]
    return False, None


def fields_to_set(fields_v1):
    """Decode a FieldsV1 tree into a set of paths."""
    out = set()

    def walk(node, path):
        for k, v in node.items():
            if k == ".":
                out.add(path)
                continue
            p = path + (k,)
            if not v:
                out.add(p)
            else:
                walk(v, p)
    walk(fields_v1 or {}, ())
    return out


def set_to_fields(paths):
    """Encode a set of paths as a FieldsV1 tree (with "." for members that have children)."""
    root = {}
    for p in sorted(paths):
        node = root
        for el in p:
            node = node.setdefault(el, {})
    for p in paths:
        node = root
        for el in p:
            node = node[el]
        if any(k != "." for k in node):
            node["."] = {}
    return _sort_fields(root)


def _sort_fields(node):
    return {k: _sort_fields(node[k]) for k in sorted(node)}


def _smd_to_string(v):
    """structured-merge-diff value.ToString: %q for strings, %v otherwise."""
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return str(v)


def path_string(path):
    """fieldpath.Path.String(): .spec.containers[name="web"].image"""
    out = []
    for el in path:
        kind, rest = el[:2], el[2:]
        if kind == "f:":
            out.append("." + rest)
        elif kind == "k:":
            d = json.loads(rest)
            out.append("[" + ",".join("%s=%s" % (k, _smd_to_string(d[k])) for k in d) + "]")
        elif kind == "v:":
            out.append("[=" + _smd_to_string(json.loads(rest)) + "]")
        elif kind == "i:":
            out.append("[" + rest + "]")
    return "".join(out)


def _list_type(t):
    return t[1] if t[0] == "list" else "atomic"


def to_field_set(value, t, path=()):
    """smd ToFieldSet: leaves, map entries, list items, empty/null struct fields."""
    out = set()
    _tfs(value, t, path, out)
    return out


def _tfs(value, t, path, out):
    if _is_atomic(t) or value is None or not isinstance(value, (dict, list)):
        out.add(path)
        return
    if isinstance(value, dict):
        if t[0] == "list":
            out.add(path)
            return
        for k, v in value.items():
            ft, declared = field_type(t, k)
            p = path + ("f:" + k,)
            _tfs(v, ft, p, out)
            if v is None or (isinstance(v, dict) and not v) or not declared:
                out.add(p)
        return
    # list
    lt = _list_type(t)
    if lt == "atomic":
        out.add(path)
        return
    for item in value:
        p = path + (item_key(item, t),)
        if lt == "map":
            _tfs(item, t[3], p, out)
        out.add(p)


def _all_paths(value, t, path, out):
    """Every node of a newly added/removed subtree (compare semantics)."""
    out.add(path)
    if _is_atomic(t) or not isinstance(value, (dict, list)):
        return
    if isinstance(value, dict):
        if t[0] == "list":
            return
        for k, v in value.items():
            ft, _ = field_type(t, k)
            _all_paths(v, ft, path + ("f:" + k,), out)
        return
    lt = _list_type(t)
    if lt == "atomic":
        return
    for item in value:
        p = path + (item_key(item, t),)
        if lt == "map":
            _all_paths(item, t[3], p, out)
        else:
            out.add(p)


def compare(old, new, t):
    """(added, modified, removed) path sets between two values of type t."""
    added, modified, removed = set(), set(), set()
    _cmp(old, new, t, (), added, modified, removed)
    return added, modified, removed


def _cmp(old, new, t, path, added, modified, removed):
    if _is_atomic(t):
        if old != new:
            modified.add(path)
        return
    if isinstance(new, dict) and t[0] != "list":
        if old is None:
            old = {}
        if not isinstance(old, dict):
            modified.add(path)
            return
        for k in new:
            ft, _ = field_type(t, k)
            p = path + ("f:" + k,)
            if k not in old:
                _all_paths(new[k], ft, p, added)
            else:
                _cmp(old[k], new[k], ft, p, added, modified, removed)
        for k in old:
            if k not in new:
                ft, _ = field_type(t, k)
                _all_paths(old[k], ft, path + ("f:" + k,), removed)
        return
    if isinstance(new, list) and _list_type(t) != "atomic":
        if old is None:
            old = []
        if not isinstance(old, list):
            modified.add(path)
            return
        lt = _list_type(t)
        olds = {item_key(x, t): x for x in old}
        news = {item_key(x, t): x for x in new}
        for k, v in news.items():
            p = path + (k,)
            if k not in olds:
                if lt == "map":
                    _all_paths(v, t[3], p, added)
                else:
                    added.add(p)
            elif lt == "map":
                _cmp(olds[k], v, t[3], p, added, modified, removed)
        for k, v in olds.items():
            if k not in news:
                p = path + (k,)
                if lt == "map":
                    _all_paths(v, t[3], p, removed)
                else:
                    removed.add(p)
        return
    if isinstance(old, (dict, list)) and new is None and path:
        modified.add(path)
        return
    if old != new:
        modified.add(path)


# Fields the field manager never tracks (managedfields internal/stripmeta.go).
_STRIPPED = {
    ("f:apiVersion",), ("f:kind",), ("f:metadata",),
    ("f:metadata", "f:name"), ("f:metadata", "f:namespace"), ("f:metadata", "f:creationTimestamp"),
    ("f:metadata", "f:selfLink"), ("f:metadata", "f:uid"), ("f:metadata", "f:clusterName"),
    ("f:metadata", "f:generation"), ("f:metadata", "f:managedFields"), ("f:metadata", "f:resourceVersion"),
}


def _strip(paths, gvk, subresource, status_subresource=None):
    """Drop what the field manager never tracks, and what the endpoint resets (status on the main
    resource when a status subresource exists; everything but status on /status)."""
    out = set()
    if status_subresource is None:
        status_subresource = _is_builtin(gvk) and _has_status(gvk)
    builtin_status = status_subresource
    for p in paths:
        if p in _STRIPPED or (len(p) >= 2 and p[:2] == ("f:metadata", "f:managedFields")):
            continue
        if subresource == "status":
            if not p or p[0] != "f:status":
                continue
        elif subresource == "" and builtin_status and p and p[0] == "f:status":
            continue
        out.add(p)
    return out


def _has_status(gvk):
    t = root_type(gvk)
    d = DEFS.get(t[1]) if t[0] == "def" else None
    return bool(d and "status" in d["p"])


# Zero values of the built-in kinds' non-pointer structs: a create is compared
# against them (as kube compares against a new, empty typed object), so their
# paths are not "added" and carry no "." in FieldsV1.
_POD_TEMPLATE = {"metadata": {"creationTimestamp": None}, "spec": {"containers": None}}
_ZERO_SPEC = {
    "Pod": {"spec": {"containers": None}, "status": {}},
    "Deployment": {"spec": {"selector": None, "template": _POD_TEMPLATE, "strategy": {}}, "status": {}},
    "ReplicaSet": {"spec": {"selector": None, "template": _POD_TEMPLATE}, "status": {}},
    "StatefulSet": {"spec": {"selector": None, "template": _POD_TEMPLATE, "updateStrategy": {}}, "status": {}},
    "DaemonSet": {"spec": {"selector": None, "template": _POD_TEMPLATE, "updateStrategy": {}}, "status": {}},
    "Job": {"spec": {"template": _POD_TEMPLATE}, "status": {}},
    "CronJob": {"spec": {"jobTemplate": {"metadata": {"creationTimestamp": None},
                                         "spec": {"template": _POD_TEMPLATE}}}, "status": {}},
    "Service": {"spec": {}, "status": {"loadBalancer": {}}},
    "Namespace": {"spec": {}, "status": {}},
    "Node": {"spec": {}, "status": {"daemonEndpoints": {"kubeletEndpoint": {"Port": 0}}, "nodeInfo": {}}},
    "PersistentVolumeClaim": {"spec": {"resources": {}}, "status": {}},
    "PersistentVolume": {"spec": {}, "status": {}},
    "Lease": {"spec": {}},
}


def zero_object(gvk, like=None):
    """The empty typed object of a kind, as kube's field manager sees it before a create."""
    if not _is_builtin(gvk):
        return {}
    z = {"metadata": {"creationTimestamp": None}}
    z.update(copy.deepcopy(_ZERO_SPEC.get(gvk[2], {})))
    if like is not None:
        for k in ("spec", "status"):
            if k in like and k not in z and _field_is_struct(gvk, k):
                z[k] = {}
    return z


def _field_is_struct(gvk, name):
    ft, _ = field_type(root_type(gvk), name)
    return ft[0] == "def"


def _gv(gvk):
    return (gvk[0] + "/" + gvk[1]) if gvk[0] else gvk[1]


def _manager_key(e):
    return (e.get("manager", ""), e.get("operation", ""),
            e.get("apiVersion", "") if e.get("operation") == "Update" else "", e.get("subresource", ""))


def decode_managed_fields(entries):
    """managedFields list -> ordered dict {manager_key: (entry_without_fields, set)}."""
    out = {}
    for e in entries or []:
        if not isinstance(e, dict) or not e.get("manager") and not e.get("operation"):
            continue
        meta = {k: v for k, v in e.items() if k not in ("fieldsV1",)}
        out[_manager_key(e)] = (meta, fields_to_set(e.get("fieldsV1") or {}))
    return out


MAX_UPDATE_MANAGERS = 10
ANCIENT_CHANGES = "ancient-changes"


def cap_update_managers(managers, limit=MAX_UPDATE_MANAGERS):
    """capManagersManager: past `limit` Update entries, the oldest merge into "ancient-changes" per apiVersion."""
    updaters = [k for k, (meta, paths) in managers.items() if k[1] != "Apply"]
    if len(updaters) <= limit:
        return managers
    updaters.sort(key=lambda k: ((managers[k][0].get("time") or ""), json.dumps(list(k))))
    first_by_version = {}
    length = len(updaters)
    for k in updaters:
        if length <= limit:
            break
        meta, paths = managers[k]
        version = meta.get("apiVersion", "")
        bucket = (ANCIENT_CHANGES, "Update", version, "")
        if version in first_by_version:
            if bucket not in managers:
                first = first_by_version[version]
                fmeta, fpaths = managers.pop(first)
                managers[bucket] = ({"manager": ANCIENT_CHANGES, "operation": "Update", "apiVersion": version,
                                     "time": fmeta.get("time")}, fpaths)
            bmeta, bpaths = managers[bucket]
            managers[bucket] = (dict(bmeta, time=meta.get("time")), bpaths | paths)
            del managers[k]
            length -= 1
        else:
            first_by_version[version] = k
    return managers


def encode_managed_fields(managers):
    entries = []
    for key, (meta, paths) in managers.items():
        if not paths:
            continue
        e = {"manager": meta.get("manager", key[0]), "operation": meta.get("operation", key[1]),
             "apiVersion": meta.get("apiVersion", "")}
        if meta.get("time"):
            e["time"] = meta["time"]
        e["fieldsType"] = "FieldsV1"
        e["fieldsV1"] = set_to_fields(paths)
        if meta.get("subresource"):
            e["subresource"] = meta["subresource"]
        entries.append(e)
    # fieldmanager sorts by operation, then time, then manager name, then apiVersion
    entries.sort(key=lambda e: (e["operation"], e.get("time") or "", e["manager"], e["apiVersion"]))
    return entries


def _base_managers(old, new, subresource=""):
    """fieldmanager decodeLiveOrNew: the request's managedFields win when present and decodable (a list of
    only empty entries resets tracking); otherwise, and always for subresources, the live object's."""
    old_mf = ((old or {}).get("metadata") or {}).get("managedFields")
    if subresource:
        return decode_managed_fields(old_mf)
    mf = ((new or {}).get("metadata") or {}).get("managedFields")
    if isinstance(mf, list) and mf and all(isinstance(e, dict) and not e for e in mf):
        return {}
    managed = decode_managed_fields(mf) if isinstance(mf, list) else {}
    if not managed:
        return decode_managed_fields(old_mf)
    return managed


def _without_mf(obj):
    if not isinstance(obj, dict):
        return obj
    o = dict(obj)
    if isinstance(o.get("metadata"), dict):
        m = dict(o["metadata"])
        m.pop("managedFields", None)
        o["metadata"] = m
    return o


def _update_sets(managers, acting_key, compare_result, force_conflicts):
    """smd Updater.update: drop fields others lost; returns conflicts {key: set}."""
    added, modified, removed = compare_result
    changed = added | modified
    conflicts = {}
    for key, (meta, paths) in managers.items():
        if key == acting_key:
            continue
        c = paths & changed
        if c:
            conflicts[key] = c
    if conflicts and not force_conflicts:
        return conflicts
    for key, c in conflicts.items():
        meta, paths = managers[key]
        managers[key] = (meta, paths - c)
    for key, (meta, paths) in list(managers.items()):
        managers[key] = (meta, paths - removed)
    return conflicts


def track_update(old, new, manager, operation, now, subresource="", schema=None, status_subresource=None):
    """managedFields bookkeeping for create/update/non-apply patch; returns new with managedFields.

    schema: for custom resources, the version's openAPIV3Schema (list types, maps, atomic structs);
    status_subresource: whether /status exists (default: known for built-ins, False otherwise).
    """
    new = copy.deepcopy(new)
    gvk = _gvk_of(new)
    t = root_type(gvk, schema)
    managers = _base_managers(old, new, subresource)
    base = _without_mf(old) if old is not None else zero_object(gvk, new)
    a, m, r = compare(base, _without_mf(new), t)
    a, m, r = (_strip(x, gvk, subresource, status_subresource) for x in (a, m, r))
    key = (manager, operation, _gv(gvk) if operation == "Update" else "", subresource)
    _update_sets(managers, key, (a, m, r), True)
    meta, paths = managers.get(key, ({"manager": manager, "operation": operation, "apiVersion": _gv(gvk)}, set()))
    new_paths = paths | a | m
    meta = dict(meta)
    meta["apiVersion"] = _gv(gvk)
    if subresource:
        meta["subresource"] = subresource
    if new_paths != paths or a or m or r or key not in managers:
        meta["time"] = now
    managers[key] = (meta, new_paths)
    cap_update_managers(managers)
    new.setdefault("metadata", {})["managedFields"] = encode_managed_fields(managers)
    if not new["metadata"]["managedFields"]:
        del new["metadata"]["managedFields"]
    return new


def _gvk_of(obj):
    av = obj.get("apiVersion", "") or ""
    group, _, version = av.rpartition("/")
    return (group, version, obj.get("kind", ""))


# ---------------------------------------------------------------------------
# Server-side apply
# ---------------------------------------------------------------------------

def _apply_merge(live, config, t):
    """smd TypedValue.Merge(live, config): config wins, structs/maps merge, associative lists merge by key."""
    if _is_atomic(t) or not isinstance(config, (dict, list)) or config is None:
        return copy.deepcopy(config)
    if isinstance(config, dict):
        if t[0] == "list" or not isinstance(live, dict):
            live = {}
        out = copy.deepcopy(live)
        for k, v in config.items():
            ft, _ = field_type(t, k)
            out[k] = _apply_merge(live.get(k), v, ft) if k in live else copy.deepcopy(v)
        return out
    lt = _list_type(t)
    if lt == "atomic" or not isinstance(live, list):
        return copy.deepcopy(config)
    out = [copy.deepcopy(x) for x in live]
    idx = {item_key(x, t): i for i, x in enumerate(out)}
    for item in config:
        k = item_key(item, t)
        if k in idx:
            if lt == "map":
                out[idx[k]] = _apply_merge(out[idx[k]], item, t[3])
        else:
            idx[k] = len(out)
            out.append(copy.deepcopy(item))
    return out


def _remove_path(obj, path, t):
    """Delete the node at path (and its subtree) from obj in place."""
    if not path:
        return
    cur, ct = obj, t
    for el in path[:-1]:
        cur, ct = _step(cur, ct, el)
        if cur is None:
            return
    last = path[-1]
    if last.startswith("f:"):
        if isinstance(cur, dict):
            cur.pop(last[2:], None)
    elif isinstance(cur, list):
        for i, x in enumerate(cur):
            if item_key(x, ct) == last:
                del cur[i]
                break


def _step(cur, t, el):
    if el.startswith("f:"):
        if not isinstance(cur, dict):
            return None, ANY
        ft, _ = field_type(t, el[2:])
        return cur.get(el[2:]), ft
    if isinstance(cur, list) and t[0] == "list":
        for x in cur:
            if item_key(x, t) == el:
                return x, t[3]
    return None, ANY


def _conflict_error(conflicts, managers):
    items = []
    for key, paths in conflicts.items():
        meta = managers[key][0]
        for p in paths:
            items.append((key, _print_manager(meta), path_string(p)))
    items.sort(key=lambda x: (x[0][0], x[1], x[2]))
    causes = [{"reason": "FieldManagerConflict", "message": "conflict with %s" % m, "field": f} for _, m, f in items]
    if len(items) == 1:
        msg = "Apply failed with 1 conflict: conflict with %s: %s" % (items[0][1], items[0][2])
    else:
        lines = []
        by = {}
        order = []
        for key, m, f in items:
            if m not in by:
                by[m] = []
                order.append((manager_identifier(managers[key][0]), m))
            by[m].append(f)
        for _, m in sorted(order):
            lines.append("conflicts with %s:" % m)
            lines.extend("- %s" % f for f in by[m])
        msg = "Apply failed with %d conflicts: %s" % (len(items), "\n".join(lines))
    return ApiError(409, "Conflict", msg, details={"causes": causes})


def manager_identifier(meta):
    """managedfields BuildManagerIdentifier: the entry's JSON without fields, time and (for Apply) apiVersion."""
    ident = {"manager": meta.get("manager", ""), "operation": meta.get("operation", "")}
    if meta.get("operation") != "Apply" and meta.get("apiVersion"):
        ident["apiVersion"] = meta["apiVersion"]
    if meta.get("subresource"):
        ident["subresource"] = meta["subresource"]
    text = json.dumps(ident, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _print_manager(meta):
    s = '"%s"' % meta.get("manager", "")
    if meta.get("subresource"):
        s += ' with subresource "%s"' % meta["subresource"]
    if meta.get("operation") == "Update":
        s += " using %s" % meta.get("apiVersion", "")
    return s


def crd_options(crd, version):
    """Keyword arguments for apply()/track_update() on a custom resource of `crd` at `version`:
    {"schema": <openAPIV3Schema>, "status_subresource": bool}; {} when crd is None."""
    if not crd:
        return {}
    for v in (crd.get("spec") or {}).get("versions") or []:
        if v.get("name") == version:
            schema = (v.get("schema") or {}).get("openAPIV3Schema")
            status = "status" in (v.get("subresources") or {})
            return {"schema": schema, "status_subresource": status}
    return {}


LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
BEFORE_FIRST_APPLY = "before-first-apply"


def apply(live, applied, manager, force, gvk, now, schema=None, status_subresource=None, subresource=""):
    """Server-side apply of `applied` (the request body) onto `live` (None to create).

    schema / status_subresource as for track_update; subresource "status" for an apply to /status.
    Includes kube's field-manager wrappers: an untracked live object is first attributed to
    "before-first-apply"; manager "kubectl" may take over fields whose live values still equal the
    client-side-apply annotation (and keeps that annotation in sync).
    """
    t = root_type(gvk, schema)
    if live is not None and not (live.get("metadata") or {}).get("managedFields"):
        live = track_update(zero_object(gvk, live), live, BEFORE_FIRST_APPLY, "Update", now, subresource,
                            schema, status_subresource)
    try:
        out = _apply(live, applied, manager, force, gvk, now, t, status_subresource, subresource)
    except _Conflicts as c:
        if manager != "kubectl":
            raise c.error
        allowed = _allowed_from_last_applied(live, gvk, t)
        remaining = {k: {p for p in ps if p not in allowed} for k, ps in c.conflicts.items()}
        remaining = {k: ps for k, ps in remaining.items() if ps}
        if remaining:
            raise _conflict_error(remaining, c.managers) from None
        out = _apply(live, applied, manager, True, gvk, now, t, status_subresource, subresource)
    if manager == "kubectl" and live is not None and LAST_APPLIED in ((live.get("metadata") or {})
                                                                          .get("annotations") or {}):
        out["metadata"].setdefault("annotations", {})[LAST_APPLIED] = _build_last_applied(applied)
    return out


class _Conflicts(Exception):
    def __init__(self, conflicts, managers):
        super().__init__("conflicts")
        self.conflicts, self.managers = conflicts, managers
        self.error = _conflict_error(conflicts, managers)


def _allowed_from_last_applied(live, gvk, t):
    """lastAppliedManager: fields of the last-applied annotation whose live values still match it."""
    text = ((live or {}).get("metadata") or {}).get("annotations", {}).get(LAST_APPLIED)
    if not text:
        return set()
    try:
        last = json.loads(text)
    except ValueError:
        return set()
    if not isinstance(last, dict) or last.get("apiVersion") != _gv(gvk):
        return set()
    la_set = to_field_set(last, t)
    added, modified, removed = compare(last, _without_mf(live), t)
    return la_set - modified - added - removed


def _build_last_applied(applied):
    obj = copy.deepcopy(applied)
    meta = obj.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("annotations"), dict):
        meta["annotations"].pop(LAST_APPLIED, None)
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def _apply(live, applied, manager, force, gvk, now, t, status_subresource, subresource):
    config = copy.deepcopy(applied)
    if isinstance(config.get("metadata"), dict):
        config["metadata"].pop("managedFields", None)
    managers = _base_managers(live, live) if live is not None else {}
    base = _without_mf(live) if live is not None else zero_object(gvk, config)
    key = (manager, "Apply", "", subresource)
    last = managers.get(key, ({}, set()))[1]
    new_set = _strip(to_field_set(config, t), gvk, subresource, status_subresource)
    merged = _apply_merge(base, config, t)
    before = dict(managers)
    managers[key] = (dict(managers.get(key, ({"manager": manager, "operation": "Apply"}, set()))[0]), new_set)
    # prune: what this manager applied before, no longer applies and nobody else owns
    owned = set()
    for k, (_, paths) in managers.items():
        owned |= paths
    to_remove = [p for p in last if p not in owned and not any(o[:len(p)] == p and len(o) > len(p) for o in owned)]
    removed = []
    for p in sorted(to_remove, key=len):
        if any(p[:len(r)] == r for r in removed):
            continue  # an ancestor went with its whole subtree
        _remove_path(merged, p, t)
        removed.append(p)
    cmp_res = compare(base, merged, t)
    cmp_res = tuple(_strip(x, gvk, subresource, status_subresource) for x in cmp_res)
    conflicts = _update_sets(managers, key, cmp_res, force)
    if conflicts and not force:
        raise _Conflicts(conflicts, before)
    meta = managers[key][0]
    meta.update({"manager": manager, "operation": "Apply", "apiVersion": _gv(gvk)})
    if subresource:
        meta["subresource"] = subresource
    changed = merged != base or new_set != last or key not in before
    if changed or not meta.get("time"):
        meta["time"] = now
    managers[key] = (meta, new_set)
    cap_update_managers(managers)
    merged.setdefault("metadata", {})["managedFields"] = encode_managed_fields(managers)
    if live is None:
        for k in ("spec", "status"):
            if merged.get(k) == {} and k not in config:
                del merged[k]
        _drop_zero_nulls(merged, config)
    return _order_root(merged)


def _order_root(obj):
    """Go struct order at the root: kind, apiVersion, metadata, spec, status, then the rest."""
    head = [k for k in ("kind", "apiVersion", "metadata", "spec", "status") if k in obj]
    return {k: obj[k] for k in head + [k for k in obj if k not in head]}


def _drop_zero_nulls(merged, config):
    """Remove the zero-object placeholders (null lists/selectors) a create started from."""
    if not isinstance(merged, dict):
        return
    for k in list(merged):
        v = merged[k]
        if v is None and (not isinstance(config, dict) or k not in config):
            del merged[k]
        elif isinstance(v, dict):
            sub = config.get(k) if isinstance(config, dict) else None
            _drop_zero_nulls(v, sub if isinstance(sub, dict) else {})
            if v == {} and (not isinstance(config, dict) or k not in config):
                del merged[k]
