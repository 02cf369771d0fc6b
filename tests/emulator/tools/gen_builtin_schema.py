#!/usr/bin/env python3
"""Regenerates kube_emulator/_builtin_schema.py from a Kubernetes swagger.json.

Usage: gen_builtin_schema.py ../shared/testdata/openapi/swagger.json kube_emulator/_builtin_schema.py \
           [../shared/testdata/openapi/api__v1_openapi.json ../shared/testdata/openapi/apis__apps__v1_openapi.json]

The optional OpenAPI v3 documents supply the defaults of associative-list key fields (for example a
container port's protocol "TCP"), which the v2 document lacks; server-side apply uses them in k: keys.
"""
import json, sys, pprint
SW = sys.argv[1]; OUT = sys.argv[2]; V3 = sys.argv[3:]
d = json.load(open(SW)); D = d['definitions']
GROUPS = {"", "apps", "batch", "networking.k8s.io", "coordination.k8s.io", "events.k8s.io", "policy",
          "rbac.authorization.k8s.io", "autoscaling", "apiextensions.k8s.io", "certificates.k8s.io",
          "discovery.k8s.io", "authorization.k8s.io", "authentication.k8s.io", "storage.k8s.io",
          "scheduling.k8s.io", "admissionregistration.k8s.io", "node.k8s.io"}
PFX = ["io.k8s.api.", "io.k8s.apimachinery.pkg.apis.", "io.k8s.apiextensions-apiserver.pkg.apis.", "io.k8s.apimachinery.pkg."]
def short(n):
    for p in PFX:
        if n.startswith(p): return n[len(p):]
    return n
def is_obj(ref):
    dd = D[ref]
    return dd.get('type', 'object') == 'object' and ('properties' in dd)
kinds = {}
for n, dd in D.items():
    for g in dd.get('x-kubernetes-group-version-kind', []):
        if g['group'] in GROUPS and not n.endswith('List') and 'properties' in dd:
            gv = (g['group'] + '/' if g['group'] else '') + g['version']
            kinds[gv + '/' + g['kind']] = short(n)
out = {}
todo = [n for n in D if short(n) in set(kinds.values())]
seen = set()
while todo:
    n = todo.pop()
    if n in seen: continue
    seen.add(n)
    dd = D[n]
    props = {}
    for f, p in dd.get('properties', {}).items():
        ref = None; shape = 's'
        if '$ref' in p:
            r = p['$ref'].split('/')[-1]
            if is_obj(r): ref = r; shape = 'o'
        elif p.get('type') == 'array':
            shape = 'l'
            it = p.get('items', {})
            if '$ref' in it and is_obj(it['$ref'].split('/')[-1]): ref = it['$ref'].split('/')[-1]
        elif 'additionalProperties' in p:
            shape = 'm'
            ap = p['additionalProperties']
            if '$ref' in ap and is_obj(ap['$ref'].split('/')[-1]): ref = ap['$ref'].split('/')[-1]
        meta = [p.get('x-kubernetes-patch-strategy', ''), p.get('x-kubernetes-patch-merge-key', ''),
                p.get('x-kubernetes-list-type', ''), p.get('x-kubernetes-list-map-keys', []),
                p.get('x-kubernetes-map-type', '')]
        if shape == 's' and not any(meta): continue
        if ref: todo.append(ref)
        props[f] = [shape, short(ref) if ref else ''] + meta
    out[short(n)] = {"atomic": dd.get('x-kubernetes-map-type') == 'atomic', "p": props}
key_defaults = {}
for fn in V3:
    S = json.load(open(fn))['components']['schemas']
    for n, dd in S.items():
        for f, p in dd.get('properties', {}).items():
            keys = p.get('x-kubernetes-list-map-keys')
            it = p.get('items') or {}
            ref = it.get('$ref') or ((it.get('allOf') or [{}])[0].get('$ref'))
            if not keys or not ref:
                continue
            ref = ref.split('/')[-1]
            for k in keys:
                kp = S.get(ref, {}).get('properties', {}).get(k, {})
                if 'default' in kp:
                    key_defaults.setdefault(short(ref), {})[k] = kp['default']
with open(OUT, 'w') as fh:
    fh.write('"""Patch and field-ownership metadata of the built-in kinds (generated data).\n\n'
             'Derived from the Kubernetes OpenAPI v2 document (kube-rs/k8s-pb swagger.json, v1.36, the copy in\n'
             '../shared/testdata/openapi/swagger.json) by keeping, per definition, only the fields that refer to\n'
             'other object definitions or carry x-kubernetes-patch-strategy / patch-merge-key / list-type /\n'
             'list-map-keys / map-type. Each field is [shape, ref, patchStrategy, patchMergeKey, listType,\n'
             'listMapKeys, mapType] with shape o=object, l=list, m=map, s=scalar. patch.py uses it for\n'
             'strategic merge patches and server-side-apply FieldsV1 (k:/v: keys, atomic lists and maps).\n'
             'Regenerate with tests/emulator/tools/gen_builtin_schema.py.\n"""\n\n')
    fh.write('KINDS = ' + pprint.pformat(kinds, width=110, compact=True) + '\n\n')
    fh.write('DEFS = ' + pprint.pformat(out, width=110, compact=True) + '\n')
    fh.write('\n# Defaults of associative-list key fields (OpenAPI v3), used when an item omits them.\n')
    fh.write('KEY_DEFAULTS = ' + pprint.pformat(key_defaults, width=110, compact=True) + '\n')
print(len(kinds), len(out))
