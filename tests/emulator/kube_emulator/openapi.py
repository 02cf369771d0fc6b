"""OpenAPI documents: /openapi/v2 (Swagger JSON file) and /openapi/v3 per group-version.

The v3 documents for api/v1 and apis/apps/v1 are the upstream files in
../shared/testdata/openapi; the other built-in group-versions are converted from
swagger.json (paths under /apis/G/V plus every definition they reference);
custom resources get a document generated from their CRD schema.
"""
import copy
import hashlib
import json
import os
import threading


def shared_dir():
    d = os.environ.get("KUBE_SHARED_DIR")
    if d and os.path.isdir(d):
        return d
    here = os.path.dirname(os.path.abspath(__file__))
    for cand in (os.path.join(here, "..", "..", "..", "..", "shared"),
                 os.path.join(here, "..", "..", "..", "shared")):
        if os.path.isdir(cand):
            return os.path.normpath(cand)
    return None


def _refs(node, out):
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str):
            out.add(r.rsplit("/", 1)[-1])
        for v in node.values():
            _refs(v, out)
    elif isinstance(node, list):
        for v in node:
            _refs(v, out)


def _rewrite_refs(node):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                out[k] = v.replace("#/definitions/", "#/components/schemas/")
            else:
                out[k] = _rewrite_refs(v)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


class OpenAPI:
    def __init__(self, registry, v2_file=None):
        self.registry = registry
        self.v2_file = v2_file
        self.lock = threading.Lock()
        self._v2_bytes = None
        self._swagger = None
        self._docs = {}   # gv -> (registry generation, bytes, hash)

    def _shared(self, name):
        d = shared_dir()
        if d is None:
            return None
        p = os.path.join(d, "testdata", "openapi", name)
        return p if os.path.exists(p) else None

    def v2(self):
        with self.lock:
            if self._v2_bytes is None:
                path = self.v2_file or self._shared("swagger.json")
                if path is None:
                    return None
                with open(path, "rb") as f:
                    self._v2_bytes = f.read()
            return self._v2_bytes

    def swagger(self):
        if self._swagger is None:
            b = self.v2()
            self._swagger = json.loads(b) if b else {}
        return self._swagger

    def group_versions(self):
        gvs = ["api/v1"]
        for g, vs in self.registry.group_versions().items():
            for v in vs:
                gvs.append("apis/%s/%s" % (g, v))
        return gvs

    def v3_index(self):
        paths = {}
        for gv in self.group_versions():
            doc = self.v3_doc(gv)
            if doc is not None:
                paths[gv] = {"serverRelativeURL": "/openapi/v3/%s?hash=%s" % (gv, doc[1])}
        body = json.dumps({"paths": paths}, separators=(",", ":")).encode()
        return body, '"%s"' % hashlib.sha512(body).hexdigest().upper()[:64]

    def v3_doc(self, gv):
        """(bytes, hash) or None."""
        if gv not in self.group_versions():
            return None
        gen = self.registry.generation
        with self.lock:
            cached = self._docs.get(gv)
            if cached and (cached[0] == gen or not self._is_custom_gv(gv)):
                return cached[1], cached[2]
        body = self._build(gv)
        if body is None:
            return None
        h = hashlib.sha512(body).hexdigest().upper()[:128]
        with self.lock:
            self._docs[gv] = (gen, body, h)
        return body, h

    def _is_custom_gv(self, gv):
        parts = gv.split("/")
        if len(parts) != 3:
            return False
        return any(r.is_custom for r in self.registry.resources_in(parts[1], parts[2]))

    def _build(self, gv):
        fname = {"api/v1": "api__v1_openapi.json", "apis/apps/v1": "apis__apps__v1_openapi.json"}.get(gv)
        if fname:
            p = self._shared(fname)
            if p:
                with open(p, "rb") as f:
                    return f.read()
        parts = gv.split("/")
        group, version = ("", "v1") if parts[0] == "api" else (parts[1], parts[2])
        if self._is_custom_gv(gv):
            return self._build_custom(group, version)
        sw = self.swagger()
        if not sw:
            return None
        prefix = "/" + gv + "/"
        paths = {}
        names = set()
        gparams = sw.get("parameters", {})
        for p, item in sw.get("paths", {}).items():
            if not (p.startswith(prefix) or p == "/" + gv + "/"):
                continue
            paths[p] = self._convert_path(item, gparams)
            _refs(item, names)
        schemas = {}
        todo = list(names)
        defs = sw.get("definitions", {})
        while todo:
            n = todo.pop()
            if n in schemas or n not in defs:
                continue
            schemas[n] = _rewrite_refs(defs[n])
            more = set()
            _refs(defs[n], more)
            todo.extend(more - set(schemas))
        doc = {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.32.0"}, "paths": paths,
               "components": {"schemas": schemas}}
        return json.dumps(doc, separators=(",", ":")).encode()

    @staticmethod
    def _convert_param(p, gparams):
        if "$ref" in p:
            p = gparams.get(p["$ref"].rsplit("/", 1)[-1], {})
        if p.get("in") == "body":
            return None, {"content": {"application/json": {"schema": _rewrite_refs(p.get("schema", {}))}},
                          "required": bool(p.get("required"))}
        q = {"name": p.get("name"), "in": p.get("in"), "description": p.get("description", "")}
        if p.get("required"):
            q["required"] = True
        sch = {k: p[k] for k in ("type", "uniqueItems", "items") if k in p}
        q["schema"] = sch
        return q, None

    def _convert_path(self, item, gparams):
        out = {}
        common = []
        for p in item.get("parameters", []):
            q, _ = self._convert_param(p, gparams)
            if q:
                common.append(q)
        if common:
            out["parameters"] = common
        for method, op in item.items():
            if method == "parameters" or not isinstance(op, dict):
                continue
            nop = {k: v for k, v in op.items() if k not in ("parameters", "responses", "consumes", "produces",
                                                            "schemes")}
            params = []
            for p in op.get("parameters", []):
                q, body = self._convert_param(p, gparams)
                if q:
                    params.append(q)
                if body:
                    nop["requestBody"] = body
            if params:
                nop["parameters"] = params
            resp = {}
            for code, r in (op.get("responses") or {}).items():
                rr = {"description": r.get("description", "")}
                if "schema" in r:
                    rr["content"] = {"application/json": {"schema": _rewrite_refs(r["schema"])}}
                resp[code] = rr
            nop["responses"] = resp
            out[method] = nop
        return out

    def _build_custom(self, group, version):
        schemas = {}
        paths = {}
        for r in self.registry.resources_in(group, version):
            if not r.is_custom:
                continue
            crd = r.crd
            sch = {}
            for v in crd["spec"]["versions"]:
                if v["name"] == version:
                    sch = copy.deepcopy((v.get("schema") or {}).get("openAPIV3Schema") or {})
            rg = ".".join(reversed(group.split(".")))
            name = "%s.%s.%s" % (rg, version, r.kind)
            props = sch.setdefault("properties", {})
            props.setdefault("apiVersion", {"type": "string"})
            props.setdefault("kind", {"type": "string"})
            props["metadata"] = {"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
            sch["x-kubernetes-group-version-kind"] = [{"group": group, "version": version, "kind": r.kind}]
            schemas[name] = sch
            gvk = {"group": group, "version": version, "kind": r.kind}
            params = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in
                      ("dryRun", "fieldManager", "fieldValidation")]
            base = "/apis/%s/%s/%s%s" % (group, version, "namespaces/{namespace}/" if r.namespaced else "", r.plural)
            ref = {"$ref": "#/components/schemas/" + name}
            paths[base + "/{name}"] = {
                "get": {"operationId": "read" + r.kind, "x-kubernetes-action": "get",
                        "x-kubernetes-group-version-kind": gvk,
                        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": ref}}}}},
                "put": {"operationId": "replace" + r.kind, "x-kubernetes-action": "put",
                        "x-kubernetes-group-version-kind": gvk, "parameters": params,
                        "requestBody": {"content": {"application/json": {"schema": ref}}},
                        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": ref}}}}},
                "patch": {"operationId": "patch" + r.kind, "x-kubernetes-action": "patch",
                          "x-kubernetes-group-version-kind": gvk, "parameters": params + [
                              {"name": "force", "in": "query", "schema": {"type": "boolean"}}],
                          "requestBody": {"content": {"application/merge-patch+json": {"schema": {"type": "object"}}}},
                          "responses": {"200": {"description": "OK",
                                                "content": {"application/json": {"schema": ref}}}}},
            }
        sw = self.swagger()
        defs = sw.get("definitions", {}) if sw else {}
        todo = ["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]
        while todo:
            n = todo.pop()
            if n in schemas or n not in defs:
                continue
            schemas[n] = _rewrite_refs(defs[n])
            more = set()
            _refs(defs[n], more)
            todo.extend(more - set(schemas))
        doc = {"openapi": "3.0.0", "info": {"title": "Kubernetes CRD Swagger", "version": "v0.1.0"},
               "paths": paths, "components": {"schemas": schemas}}
        return json.dumps(doc, separators=(",", ":")).encode()
