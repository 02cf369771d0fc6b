/* Resource identity: descriptors, GroupVersion/GVK/GVR values, plurals, version ordering. */
#include <stdlib.h>
#include <string.h>

#include <kube/resource.h>

#include "alloc_int.h"

/* ---- helpers ---- */

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int ascii_strcaseeq(const char *a, const char *b)
{
    while (*a && *b) {
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return 0;
        a++;
        b++;
    }
    return *a == *b;
}

/* Printable ASCII without space: what group, version and kind may hold here. */
static int name_byte_ok(unsigned char c)
{
    return c > 0x20 && c < 0x7f;
}

/* ---- descriptors ---- */

typedef struct resource_block {
    kube_resource_t res; /* first: kube_resource_free() casts back */
    kube_mem_t mem;
} resource_block_t;

kube_error_t kube_resource_api_version(kube_buf_t *out, const kube_resource_t *res)
{
    if (!out || !res)
        return kube_error_setf(KUBE_EINVAL, "resource api_version: NULL argument");
    if (!res->group || !res->version || !res->version[0])
        return kube_error_setf(KUBE_EINVAL, "resource api_version: missing %s",
                               !res->group ? "group" : "version");
    if (res->group[0])
        return kube_buf_printf(out, "%s/%s", res->group, res->version);
    return kube_buf_puts(out, res->version);
}

kube_error_t kube_resource_new(kube_resource_t **out, const kube_resource_t *desc, const kube_mem_t *mem)
{
    const char *fields[5];
    static const char *const names[5] = {"group", "version", "kind", "plural", "singular"};
    size_t lens[5], total = sizeof(resource_block_t);
    kube_mem_t m;
    resource_block_t *blk;
    char *p;
    const char **dst[5];

    if (!out || !desc)
        return kube_error_setf(KUBE_EINVAL, "resource new: NULL argument");
    if (desc->struct_version != KUBE_RESOURCE_VERSION)
        return kube_error_setf(KUBE_EINVAL, "resource new: struct_version %u, expected %u",
                               desc->struct_version, (unsigned)KUBE_RESOURCE_VERSION);
    if (desc->scope != KUBE_SCOPE_NAMESPACED && desc->scope != KUBE_SCOPE_CLUSTER)
        return kube_error_setf(KUBE_EINVAL, "resource new: invalid scope %d", (int)desc->scope);
    fields[0] = desc->group;
    fields[1] = desc->version;
    fields[2] = desc->kind;
    fields[3] = desc->plural;
    fields[4] = desc->singular ? desc->singular : "";
    for (int i = 0; i < 5; i++) {
        if (!fields[i])
            return kube_error_setf(KUBE_EINVAL, "resource new: %s is NULL", names[i]);
        if (i >= 1 && i <= 3 && !fields[i][0])
            return kube_error_setf(KUBE_EINVAL, "resource new: %s is empty", names[i]);
        lens[i] = strlen(fields[i]);
        total += lens[i] + 1;
    }
    m = kube_mem__pick(mem);
    blk = (resource_block_t *)kube_mem__malloc(&m, total);
    if (!blk)
        return kube_error_setf(KUBE_ENOMEM, "resource new: out of memory");
    blk->mem = m;
    blk->res.struct_version = KUBE_RESOURCE_VERSION;
    blk->res.scope = desc->scope;
    blk->res.codec = desc->codec;
    dst[0] = &blk->res.group;
    dst[1] = &blk->res.version;
    dst[2] = &blk->res.kind;
    dst[3] = &blk->res.plural;
    dst[4] = &blk->res.singular;
    p = (char *)(blk + 1);
    for (int i = 0; i < 5; i++) {
        memcpy(p, fields[i], lens[i] + 1);
        *dst[i] = p;
        p += lens[i] + 1;
    }
    *out = &blk->res;
    return KUBE_OK;
}

void kube_resource_free(kube_resource_t *res)
{
    resource_block_t *blk = (resource_block_t *)res;
    kube_mem_t m;
    if (!res)
        return;
    m = blk->mem;
    kube_mem__free(&m, blk);
}

/* ---- GroupVersion / GVK / GVR ---- */

kube_error_t kube_gv_parse(kube_gv_t *out, const char *s)
{
    const char *slash = NULL;
    size_t i, glen, vlen;
    const char *ver;

    if (!out || !s)
        return kube_error_setf(KUBE_EINVAL, "group version: NULL argument");
    if (!s[0])
        return kube_error_setf(KUBE_EINVAL, "group version \"\": empty");
    for (i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '/') {
            if (slash)
                return kube_error_setf(KUBE_EINVAL,
                                       "group version \"%.300s\": unexpected second '/' at offset %zu", s, i);
            slash = s + i;
        } else if (!name_byte_ok(c)) {
            return kube_error_setf(KUBE_EINVAL, "group version \"%.300s\": invalid byte 0x%02x at offset %zu",
                                   s, c, i);
        }
    }
    glen = slash ? (size_t)(slash - s) : 0;
    ver = slash ? slash + 1 : s;
    vlen = strlen(ver);
    if (!vlen)
        return kube_error_setf(KUBE_EINVAL, "group version \"%.300s\": empty version", s);
    if (glen > KUBE_GROUP_MAX_LEN)
        return kube_error_setf(KUBE_EINVAL, "group version: group longer than %d bytes", KUBE_GROUP_MAX_LEN);
    if (vlen > KUBE_NAME_MAX_LEN)
        return kube_error_setf(KUBE_EINVAL, "group version: version longer than %d bytes", KUBE_NAME_MAX_LEN);
    memcpy(out->group, s, glen);
    out->group[glen] = '\0';
    memcpy(out->version, ver, vlen + 1);
    return KUBE_OK;
}

static kube_error_t put_api_version(kube_buf_t *out, const char *group, const char *version)
{
    if (!version[0])
        return kube_error_setf(KUBE_EINVAL, "api version: empty version");
    if (group[0])
        return kube_buf_printf(out, "%s/%s", group, version);
    return kube_buf_puts(out, version);
}

kube_error_t kube_gv_format(kube_buf_t *out, const kube_gv_t *gv)
{
    if (!out || !gv)
        return kube_error_setf(KUBE_EINVAL, "group version format: NULL argument");
    return put_api_version(out, gv->group, gv->version);
}

kube_error_t kube_gvk_parse(kube_gvk_t *out, const char *api_version, const char *kind)
{
    kube_gv_t gv;
    kube_error_t rc;
    size_t klen;

    if (!out || !kind)
        return kube_error_setf(KUBE_EINVAL, "gvk: NULL argument");
    klen = strlen(kind);
    if (!klen)
        return kube_error_setf(KUBE_EINVAL, "gvk: empty kind");
    if (klen > KUBE_NAME_MAX_LEN)
        return kube_error_setf(KUBE_EINVAL, "gvk: kind longer than %d bytes", KUBE_NAME_MAX_LEN);
    for (size_t i = 0; i < klen; i++)
        if (!name_byte_ok((unsigned char)kind[i]) || kind[i] == '/')
            return kube_error_setf(KUBE_EINVAL, "gvk: invalid byte 0x%02x in kind at offset %zu",
                                   (unsigned char)kind[i], i);
    rc = kube_gv_parse(&gv, api_version);
    if (rc)
        return rc;
    memcpy(out->group, gv.group, sizeof out->group);
    memcpy(out->version, gv.version, sizeof out->version);
    memcpy(out->kind, kind, klen + 1);
    return KUBE_OK;
}

kube_error_t kube_gvr_parse(kube_gvr_t *out, const char *api_version, const char *resource)
{
    kube_gv_t gv;
    kube_error_t rc;
    size_t n;

    if (!out || !resource)
        return kube_error_setf(KUBE_EINVAL, "gvr: NULL argument");
    n = strlen(resource);
    if (!n)
        return kube_error_setf(KUBE_EINVAL, "gvr: empty resource");
    if (n > KUBE_NAME_MAX_LEN)
        return kube_error_setf(KUBE_EINVAL, "gvr: resource longer than %d bytes", KUBE_NAME_MAX_LEN);
    for (size_t i = 0; i < n; i++)
        if (!name_byte_ok((unsigned char)resource[i]) || resource[i] == '/')
            return kube_error_setf(KUBE_EINVAL, "gvr: invalid byte 0x%02x in resource at offset %zu",
                                   (unsigned char)resource[i], i);
    if ((rc = kube_gv_parse(&gv, api_version)))
        return rc;
    memcpy(out->group, gv.group, sizeof out->group);
    memcpy(out->version, gv.version, sizeof out->version);
    memcpy(out->resource, resource, n + 1);
    return KUBE_OK;
}

kube_error_t kube_gvr_api_version(kube_buf_t *out, const kube_gvr_t *gvr)
{
    if (!out || !gvr)
        return kube_error_setf(KUBE_EINVAL, "gvr api version: NULL argument");
    return put_api_version(out, gvr->group, gvr->version);
}

kube_error_t kube_gvk_api_version(kube_buf_t *out, const kube_gvk_t *gvk)
{
    if (!out || !gvk)
        return kube_error_setf(KUBE_EINVAL, "gvk api version: NULL argument");
    return put_api_version(out, gvk->group, gvk->version);
}

kube_error_t kube_gvk_format(kube_buf_t *out, const kube_gvk_t *gvk)
{
    if (!out || !gvk)
        return kube_error_setf(KUBE_EINVAL, "gvk format: NULL argument");
    return kube_buf_printf(out, "%s/%s, Kind=%s", gvk->group, gvk->version, gvk->kind);
}

kube_error_t kube_gvr_format(kube_buf_t *out, const kube_gvr_t *gvr)
{
    if (!out || !gvr)
        return kube_error_setf(KUBE_EINVAL, "gvr format: NULL argument");
    return kube_buf_printf(out, "%s/%s, Resource=%s", gvr->group, gvr->version, gvr->resource);
}

int kube_gvk_equal(const kube_gvk_t *a, const kube_gvk_t *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a->group, b->group) == 0 && strcmp(a->version, b->version) == 0 &&
           strcmp(a->kind, b->kind) == 0;
}

static kube_error_t copy_field(char *dst, size_t cap, const char *src, const char *what)
{
    size_t n;
    if (!src)
        return kube_error_setf(KUBE_EINVAL, "resource: %s is NULL", what);
    n = strlen(src);
    if (n >= cap)
        return kube_error_setf(KUBE_EINVAL, "resource: %s longer than %zu bytes", what, cap - 1);
    memcpy(dst, src, n + 1);
    return KUBE_OK;
}

kube_error_t kube_resource_gvk(kube_gvk_t *out, const kube_resource_t *res)
{
    kube_gvk_t g;
    kube_error_t rc;
    if (!out || !res)
        return kube_error_setf(KUBE_EINVAL, "resource gvk: NULL argument");
    if ((rc = copy_field(g.group, sizeof g.group, res->group, "group")) ||
        (rc = copy_field(g.version, sizeof g.version, res->version, "version")) ||
        (rc = copy_field(g.kind, sizeof g.kind, res->kind, "kind")))
        return rc;
    *out = g;
    return KUBE_OK;
}

kube_error_t kube_resource_gvr(kube_gvr_t *out, const kube_resource_t *res)
{
    kube_gvr_t g;
    kube_error_t rc;
    if (!out || !res)
        return kube_error_setf(KUBE_EINVAL, "resource gvr: NULL argument");
    if ((rc = copy_field(g.group, sizeof g.group, res->group, "group")) ||
        (rc = copy_field(g.version, sizeof g.version, res->version, "version")) ||
        (rc = copy_field(g.resource, sizeof g.resource, res->plural, "plural")))
        return rc;
    *out = g;
    return KUBE_OK;
}

/* ---- names ---- */

static int ends_with(const char *w, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

kube_error_t kube_resource_guess_plural(kube_buf_t *out, const char *kind)
{
    char small[KUBE_NAME_MAX_LEN + 1];
    char *w = small;
    size_t n;
    kube_error_t rc;
    kube_mem_t m;

    if (!out || !kind)
        return kube_error_setf(KUBE_EINVAL, "plural: NULL argument");
    n = strlen(kind);
    if (!n)
        return kube_error_setf(KUBE_EINVAL, "plural: empty kind");
    m = out->mem;
    if (n >= sizeof small) {
        w = (char *)kube_mem__malloc(&m, n + 1);
        if (!w)
            return kube_error_setf(KUBE_ENOMEM, "plural: out of memory");
    }
    for (size_t i = 0; i <= n; i++)
        w[i] = (char)ascii_lower((unsigned char)kind[i]);

    if (strcmp(w, "endpoints") == 0 || strcmp(w, "endpointslices") == 0)
        rc = kube_buf_puts(out, w);
    else if (strcmp(w, "nodemetrics") == 0)
        rc = kube_buf_puts(out, "nodes");
    else if (strcmp(w, "podmetrics") == 0)
        rc = kube_buf_puts(out, "pods");
    else if (ends_with(w, n, "s") || ends_with(w, n, "x") || ends_with(w, n, "z") ||
             ends_with(w, n, "ch") || ends_with(w, n, "sh"))
        rc = kube_buf_printf(out, "%s%s", w, "es");
    else if (n >= 2 && w[n - 1] == 'y' && !strchr("aeiou", w[n - 2]))
        rc = kube_buf_printf(out, "%.*sies", (int)(n - 1), w);
    else
        rc = kube_buf_printf(out, "%s%s", w, "s");
    if (w != small)
        kube_mem__free(&m, w);
    return rc;
}

kube_error_t kube_resource_singular(kube_buf_t *out, const char *kind)
{
    size_t n, old;
    kube_error_t rc;
    if (!out || !kind)
        return kube_error_setf(KUBE_EINVAL, "singular: NULL argument");
    n = strlen(kind);
    if (!n)
        return kube_error_setf(KUBE_EINVAL, "singular: empty kind");
    old = out->size;
    if ((rc = kube_buf_put(out, kind, n)))
        return rc;
    for (size_t i = old; i < out->size; i++)
        out->ptr[i] = (char)ascii_lower((unsigned char)out->ptr[i]);
    return KUBE_OK;
}

kube_error_t kube_resource_new_gvk(kube_resource_t **out, const kube_gvk_t *gvk, kube_scope_t scope,
                                   const kube_mem_t *mem)
{
    kube_buf_t plural, singular;
    kube_resource_t desc;
    kube_error_t rc;

    if (!out || !gvk)
        return kube_error_setf(KUBE_EINVAL, "resource new_gvk: NULL argument");
    if (!gvk->version[0] || !gvk->kind[0])
        return kube_error_setf(KUBE_EINVAL, "resource new_gvk: empty %s", gvk->version[0] ? "kind" : "version");
    kube_buf_init(&plural, mem);
    kube_buf_init(&singular, mem);
    rc = kube_resource_guess_plural(&plural, gvk->kind);
    if (!rc)
        rc = kube_resource_singular(&singular, gvk->kind);
    if (!rc) {
        desc.struct_version = KUBE_RESOURCE_VERSION;
        desc.group = gvk->group;
        desc.version = gvk->version;
        desc.kind = gvk->kind;
        desc.plural = plural.ptr;
        desc.singular = singular.ptr;
        desc.scope = scope;
        desc.codec = NULL;
        rc = kube_resource_new(out, &desc, mem);
    }
    kube_buf_dispose(&plural);
    kube_buf_dispose(&singular);
    return rc;
}

/* ---- well-known built-in resources ---- */

#define NS KUBE_SCOPE_NAMESPACED
#define CL KUBE_SCOPE_CLUSTER
#define R(g, v, k, p, s, sc) { KUBE_RESOURCE_VERSION, g, v, k, p, s, sc, NULL }
static const kube_resource_t builtins[] = {
    R("", "v1", "Pod", "pods", "pod", NS),
    R("", "v1", "Service", "services", "service", NS),
    R("", "v1", "ConfigMap", "configmaps", "configmap", NS),
    R("", "v1", "Secret", "secrets", "secret", NS),
    R("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", NS),
    R("", "v1", "Endpoints", "endpoints", "endpoints", NS),
    R("", "v1", "Event", "events", "event", NS),
    R("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", NS),
    R("", "v1", "ReplicationController", "replicationcontrollers", "replicationcontroller", NS),
    R("", "v1", "LimitRange", "limitranges", "limitrange", NS),
    R("", "v1", "ResourceQuota", "resourcequotas", "resourcequota", NS),
    R("", "v1", "PodTemplate", "podtemplates", "podtemplate", NS),
    R("", "v1", "Namespace", "namespaces", "namespace", CL),
    R("", "v1", "Node", "nodes", "node", CL),
    R("", "v1", "PersistentVolume", "persistentvolumes", "persistentvolume", CL),
    R("apps", "v1", "Deployment", "deployments", "deployment", NS),
    R("apps", "v1", "ReplicaSet", "replicasets", "replicaset", NS),
    R("apps", "v1", "StatefulSet", "statefulsets", "statefulset", NS),
    R("apps", "v1", "DaemonSet", "daemonsets", "daemonset", NS),
    R("apps", "v1", "ControllerRevision", "controllerrevisions", "controllerrevision", NS),
    R("batch", "v1", "Job", "jobs", "job", NS),
    R("batch", "v1", "CronJob", "cronjobs", "cronjob", NS),
    R("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", NS),
    R("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", NS),
    R("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "networkpolicy", NS),
    R("networking.k8s.io", "v1", "IngressClass", "ingressclasses", "ingressclass", CL),
    R("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", "endpointslice", NS),
    R("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", NS),
    R("coordination.k8s.io", "v1", "Lease", "leases", "lease", NS),
    R("events.k8s.io", "v1", "Event", "events", "event", NS),
    R("rbac.authorization.k8s.io", "v1", "Role", "roles", "role", NS),
    R("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding", NS),
    R("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", CL),
    R("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", CL),
    R("storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", CL),
    R("storage.k8s.io", "v1", "CSIDriver", "csidrivers", "csidriver", CL),
    R("storage.k8s.io", "v1", "CSINode", "csinodes", "csinode", CL),
    R("storage.k8s.io", "v1", "VolumeAttachment", "volumeattachments", "volumeattachment", CL),
    R("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", "priorityclass", CL),
    R("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", "runtimeclass", CL),
    R("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
      "customresourcedefinition", CL),
    R("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations",
      "mutatingwebhookconfiguration", CL),
    R("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations",
      "validatingwebhookconfiguration", CL),
    R("certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests",
      "certificatesigningrequest", CL),
};
#undef R
#undef NS
#undef CL

const kube_resource_t *kube_resource_builtin(const char *name)
{
    const char *dot;
    size_t n = sizeof builtins / sizeof builtins[0];
    if (!name || !name[0])
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const kube_resource_t *r = &builtins[i];
        if (strcmp(r->plural, name) == 0 || strcmp(r->singular, name) == 0 || ascii_strcaseeq(r->kind, name))
            return r;
    }
    dot = strchr(name, '.');
    if (dot) {
        size_t plen = (size_t)(dot - name);
        for (size_t i = 0; i < n; i++) {
            const kube_resource_t *r = &builtins[i];
            if (r->group[0] && strlen(r->plural) == plen && memcmp(r->plural, name, plen) == 0 &&
                strcmp(r->group, dot + 1) == 0)
                return r;
        }
    }
    return NULL;
}

const kube_resource_t *kube_resource_builtin_at(size_t index)
{
    return index < sizeof builtins / sizeof builtins[0] ? &builtins[index] : NULL;
}

/* ---- API version ordering ---- */

/* Decimal digits that fit 32 bits; *end receives the first byte after them. */
static int parse_u32(const char *s, size_t n, uint32_t *out)
{
    uint64_t v = 0;
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > UINT32_MAX)
            return 0;
    }
    *out = (uint32_t)v;
    return 1;
}

void kube_api_version_parse(kube_api_version_t *out, const char *v)
{
    size_t digits = 0;
    const char *rest;
    kube_api_version_t r = {KUBE_API_VERSION_NONCONFORMANT, 0, 0, 0};
    kube_api_stability_t st;

    if (!out)
        return;
    *out = r;
    if (!v || v[0] != 'v')
        return;
    v++;
    while (v[digits] >= '0' && v[digits] <= '9')
        digits++;
    if (!parse_u32(v, digits, &r.major))
        return;
    rest = v + digits;
    if (!*rest) {
        r.stability = KUBE_API_VERSION_STABLE;
        *out = r;
        return;
    }
    if (strncmp(rest, "alpha", 5) == 0) {
        st = KUBE_API_VERSION_ALPHA;
        rest += 5;
    } else if (strncmp(rest, "beta", 4) == 0) {
        st = KUBE_API_VERSION_BETA;
        rest += 4;
    } else {
        return;
    }
    if (*rest) {
        /* Rust's u32::from_str, which kube-rs uses, accepts one leading '+'. */
        if (*rest == '+')
            rest++;
        if (!parse_u32(rest, strlen(rest), &r.minor))
            return;
        r.has_minor = 1;
    }
    r.stability = st;
    *out = r;
}

static int cmp_u(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

static int cmp_minor(const kube_api_version_t *a, const kube_api_version_t *b)
{
    if (a->has_minor != b->has_minor)
        return a->has_minor ? 1 : -1;
    return cmp_u(a->minor, b->minor);
}

static int cmp_nonconformant(const char *a, const char *b)
{
    /* Reverse byte order: the smaller string ranks higher. */
    int c = strcmp(a ? a : "", b ? b : "");
    return c < 0 ? 1 : (c > 0 ? -1 : 0);
}

int kube_api_version_compare(const char *a, const char *b)
{
    kube_api_version_t va, vb;
    int c;
    kube_api_version_parse(&va, a);
    kube_api_version_parse(&vb, b);
    if (va.stability != vb.stability)
        return va.stability > vb.stability ? 1 : -1;
    if (va.stability == KUBE_API_VERSION_NONCONFORMANT)
        return cmp_nonconformant(a, b);
    if ((c = cmp_u(va.major, vb.major)))
        return c;
    return cmp_minor(&va, &vb);
}

int kube_api_version_generation_compare(const char *a, const char *b)
{
    kube_api_version_t va, vb;
    int c;
    kube_api_version_parse(&va, a);
    kube_api_version_parse(&vb, b);
    /* Nonconformant has major 0 and the lowest stability; compare major first. */
    if ((c = cmp_u(va.major, vb.major)))
        return c;
    if (va.stability != vb.stability)
        return va.stability > vb.stability ? 1 : -1;
    if (va.stability == KUBE_API_VERSION_NONCONFORMANT)
        return cmp_nonconformant(a, b);
    return cmp_minor(&va, &vb);
}

int kube_api_version_qsort_cmp(const void *a, const void *b)
{
    const char *sa = *(const char *const *)a;
    const char *sb = *(const char *const *)b;
    return -kube_api_version_compare(sa, sb);
}

size_t kube_api_version_preferred(const char *const *versions, size_t n)
{
    size_t best = (size_t)-1;
    if (!versions)
        return best;
    for (size_t i = 0; i < n; i++) {
        if (!versions[i])
            continue;
        if (best == (size_t)-1 || kube_api_version_compare(versions[i], versions[best]) > 0)
            best = i;
    }
    return best;
}
