"""Unknown-field detection for built-in kinds (fieldValidation Strict/Warn), like Go's strict decoder.

Uses the definitions of the Swagger 2.0 document (../shared/testdata/openapi/swagger.json or
--openapi). Unknown fields are removed from the object (the Go decoder drops them) and their
paths returned in kube-apiserver's spelling: `spec.template.spec.containers[0].imagee`.
Without a Swagger document nothing is checked (see README, Differences).
"""
import threading


class DupDict(dict):
    """A JSON object that had duplicate keys (json.loads object_pairs_hook=dup_hook)."""
    dups = ()


def dup_hook(pairs):
    d = {}
    dups = []
    for k, v in pairs:
        if k in d and k not in dups:
            dups.append(k)
        d[k] = v
    if dups:
        d = DupDict(d)
        d.dups = dups
    return d


def _join(path, k):
    return "%s.%s" % (path, k) if path else k


def duplicate_messages(value, path=""):
    """`duplicate field "a.b"` for every duplicated key (document order), for objects without a schema."""
    out = []
    if isinstance(value, dict):
        dups = getattr(value, "dups", ())
        for k, v in value.items():
            if k in dups:
                out.append('duplicate field "%s"' % _join(path, k))
            out.extend(duplicate_messages(v, _join(path, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(duplicate_messages(v, "%s[%d]" % (path, i)))
    return out


class FieldChecker:
    def __init__(self, openapi):
        self.openapi = openapi
        self.lock = threading.Lock()
        self._by_gvk = None
        self._defs = None

    def _load(self):
        with self.lock:
            if self._by_gvk is not None:
                return
            sw = self.openapi.swagger() or {}
            self._defs = sw.get("definitions", {})
            by = {}
            for name, d in self._defs.items():
                for g in d.get("x-kubernetes-group-version-kind") or []:
                    by[(g.get("group", ""), g.get("version", ""), g.get("kind", ""))] = name
            self._by_gvk = by

    def _resolve(self, node):
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 50:
            node = self._defs.get(node["$ref"].rsplit("/", 1)[-1], {})
            seen += 1
        return node if isinstance(node, dict) else {}

    def known(self, gvk):
        self._load()
        return tuple(gvk) in self._by_gvk

    def check(self, gvk, obj):
        """Remove unknown fields from obj (in place); return the messages in document order:
        `unknown field "spec.foo"` and `duplicate field "spec.bar"` (a field both unknown and
        duplicated counts as unknown, as for Go's typed decoder)."""
        self._load()
        name = self._by_gvk.get(tuple(gvk))
        if name is None:
            return duplicate_messages(obj)
        out = []
        self._walk(obj, self._defs[name], "", out)
        return out

    def prune_unknown(self, gvk, obj):
        return [m[len('unknown field "'):-1] for m in self.check(gvk, obj) if m.startswith("unknown field")]

    def _walk(self, value, schema, path, out):
        schema = self._resolve(schema)
        if isinstance(value, dict):
            props = schema.get("properties")
            addl = schema.get("additionalProperties")
            dups = getattr(value, "dups", ())
            if props is not None:
                for k in list(value.keys()):
                    if k in props:
                        if k in dups:
                            out.append('duplicate field "%s"' % _join(path, k))
                        self._walk(value[k], props[k], _join(path, k), out)
                    elif addl is None:
                        out.append('unknown field "%s"' % _join(path, k))
                        del value[k]
                    elif k in dups:
                        out.append('duplicate field "%s"' % _join(path, k))
            else:
                for k, v in value.items():
                    if k in dups:
                        out.append('duplicate field "%s"' % _join(path, k))
                    if isinstance(addl, dict):
                        self._walk(v, addl, _join(path, k), out)
                    else:
                        out.extend(duplicate_messages(v, _join(path, k)))
        elif isinstance(value, list):
            items = schema.get("items")
            for i, v in enumerate(value):
                if isinstance(items, dict):
                    self._walk(v, items, "%s[%d]" % (path, i), out)
                else:
                    out.extend(duplicate_messages(v, "%s[%d]" % (path, i)))
