"""Discovery documents: legacy (/api, /apis, /api/v1, /apis/G, /apis/G/V) and aggregated v2."""
import hashlib
import json

AGGREGATED_CT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


def api_versions(server_address):
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}]}


def _group(name, versions):
    vs = [{"groupVersion": "%s/%s" % (name, v), "version": v} for v in versions]
    return {"name": name, "versions": vs, "preferredVersion": vs[0]}


def api_group_list(registry):
    return {"kind": "APIGroupList", "apiVersion": "v1",
            "groups": [_group(g, vs) for g, vs in registry.group_versions().items()]}


def api_group(registry, group):
    vs = registry.group_versions().get(group)
    if not vs:
        return None
    d = {"kind": "APIGroup", "apiVersion": "v1"}
    d.update(_group(group, vs))
    return d


def _api_resource(r):
    d = {"name": r.plural, "singularName": r.singular, "namespaced": r.namespaced, "kind": r.kind,
         "verbs": r.verbs}
    if r.short_names:
        d["shortNames"] = r.short_names
    if r.categories:
        d["categories"] = r.categories
    d["storageVersionHash"] = r.storage_version_hash
    return d


def _api_subresource(r, sub, info):
    d = {"name": "%s/%s" % (r.plural, sub), "singularName": "", "namespaced": r.namespaced}
    if info.get("group") or info.get("version"):
        d["group"] = info.get("group", "")
        d["version"] = info.get("version", "")
    d["kind"] = info.get("kind", "")
    d["verbs"] = info["verbs"]
    return d


def resource_list(registry, group, version):
    entries = []
    for r in registry.resources_in(group, version):
        entries.append(_api_resource(r))
        for sub, info in r.subresources.items():
            entries.append(_api_subresource(r, sub, info))
    entries.sort(key=lambda e: e["name"])
    d = {"kind": "APIResourceList"}
    if group:
        d["apiVersion"] = "v1"
    d["groupVersion"] = "%s/%s" % (group, version) if group else version
    d["resources"] = entries
    return d


def _disc_resource(r):
    d = {"resource": r.plural, "responseKind": {"group": "", "version": "", "kind": r.kind},
         "scope": "Namespaced" if r.namespaced else "Cluster", "singularResource": r.singular,
         "verbs": r.verbs}
    if r.short_names:
        d["shortNames"] = r.short_names
    if r.categories:
        d["categories"] = r.categories
    subs = []
    for sub in sorted(r.subresources):
        info = r.subresources[sub]
        rk = {"group": info.get("group", ""), "version": info.get("version", ""), "kind": info.get("kind", "")}
        subs.append({"subresource": sub, "responseKind": rk, "verbs": info["verbs"]})
    if subs:
        d["subresources"] = subs
    return d


def aggregated(registry, core):
    items = []
    if core:
        items.append({"metadata": {"creationTimestamp": None},
                      "versions": [{"version": "v1",
                                    "resources": [_disc_resource(r) for r in registry.resources_in("", "v1")],
                                    "freshness": "Current"}]})
    else:
        for g, vs in registry.group_versions().items():
            items.append({"metadata": {"name": g, "creationTimestamp": None},
                          "versions": [{"version": v,
                                        "resources": [_disc_resource(r) for r in registry.resources_in(g, v)],
                                        "freshness": "Current"} for v in vs]})
    return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {},
            "items": items}


def encode_with_etag(doc):
    body = json.dumps(doc, separators=(",", ":")).encode()
    return body, '"%s"' % hashlib.sha512(body).hexdigest().upper()


def wants_aggregated(accept):
    """True when the Accept header asks for APIGroupDiscoveryList v2 before anything else we serve."""
    for part in (accept or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        params = dict(f.split("=", 1) for f in fields[1:] if "=" in f)
        if fields[0] in ("application/json", "*/*", "application/*") and params.get("as") == "APIGroupDiscoveryList":
            if params.get("g") == "apidiscovery.k8s.io" and params.get("v") == "v2":
                return True
            continue
        if fields[0] in ("application/json", "*/*", "application/*", "application/yaml"):
            return False
    return False
