"""Unknown-field detection for built-in kinds (fieldValidation Strict/Warn), like Go's strict decoder.

Uses the definitions of the Swagger 2.0 document (../shared/testdata/openapi/swagger.json or
--openapi). Unknown fields are removed from the object (the Go decoder drops them) and their
paths returned in kube-apiserver's spelling: `spec.template.spec.containers[0].imagee`.
Without a Swagger document nothing is checked (see README, Differences).
"""
import threading


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

    def prune_unknown(self, gvk, obj):
        """Remove unknown fields from obj (in place); return their paths. [] when the kind is unknown."""
        self._load()
        name = self._by_gvk.get(tuple(gvk))
        if name is None:
            return []
        out = []
        self._walk(obj, self._defs[name], "", out)
        return out

    def _walk(self, value, schema, path, out):
        schema = self._resolve(schema)
        if isinstance(value, dict):
            props = schema.get("properties")
            addl = schema.get("additionalProperties")
            if props is not None:
                for k in list(value.keys()):
                    if k in props:
                        self._walk(value[k], props[k], "%s.%s" % (path, k) if path else k, out)
                    elif addl is None:
                        out.append("%s.%s" % (path, k) if path else k)
                        del value[k]
            elif isinstance(addl, dict):
                for k, v in value.items():
                    self._walk(v, addl, "%s.%s" % (path, k) if path else k, out)
        elif isinstance(value, list):
            items = schema.get("items")
            if isinstance(items, dict):
                for i, v in enumerate(value):
                    self._walk(v, items, "%s[%d]" % (path, i), out)
