/* Object metadata on dynamic objects: accessors, keys, stripping, references, finalizer patches. */
#include <stdio.h>
#include <string.h>

#include <kube/object.h>

#include "alloc_int.h"
#include "json_int.h"

#define LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"

/* ---- typed objects' metadata views ---- */

static const char *kv_find(const kube_kv_t *kv, size_t n, const char *key)
{
    if (!kv || !key)
        return NULL;
    for (size_t i = n; i-- > 0;)
        if (kv[i].key && strcmp(kv[i].key, key) == 0)
            return kv[i].value ? kv[i].value : "";
    return NULL;
}

const char *kube_meta_view_label(const kube_meta_view_t *m, const char *key)
{
    return m ? kv_find(m->labels, m->labels_len, key) : NULL;
}

const char *kube_meta_view_annotation(const kube_meta_view_t *m, const char *key)
{
    return m ? kv_find(m->annotations, m->annotations_len, key) : NULL;
}

int kube_meta_view_has_finalizer(const kube_meta_view_t *m, const char *finalizer)
{
    if (!m || !finalizer || !m->finalizers)
        return 0;
    for (size_t i = 0; i < m->finalizers_len; i++)
        if (m->finalizers[i] && strcmp(m->finalizers[i], finalizer) == 0)
            return 1;
    return 0;
}

const kube_owner_ref_t *kube_meta_view_controller(const kube_meta_view_t *m)
{
    if (!m || !m->owner_refs)
        return NULL;
    for (size_t i = 0; i < m->owner_refs_len; i++)
        if (m->owner_refs[i].controller)
            return &m->owner_refs[i];
    return NULL;
}

/* ---- reading ---- */

const kube_json_t *kube_object_metadata(const kube_json_t *obj)
{
    const kube_json_t *m = kube_json_get(obj, "metadata");
    return kube_json_type(m) == KUBE_JSON_OBJECT ? m : NULL;
}

static const char *meta_str(const kube_json_t *obj, const char *key)
{
    return kube_json_string(kube_json_get(kube_object_metadata(obj), key));
}

const char *kube_object_name(const kube_json_t *obj)
{
    return meta_str(obj, "name");
}

const char *kube_object_name_any(const kube_json_t *obj)
{
    const char *n = kube_object_name(obj);
    return n ? n : kube_object_generate_name(obj);
}

const char *kube_object_generate_name(const kube_json_t *obj)
{
    return meta_str(obj, "generateName");
}

const char *kube_object_namespace(const kube_json_t *obj)
{
    return meta_str(obj, "namespace");
}

const char *kube_object_uid(const kube_json_t *obj)
{
    return meta_str(obj, "uid");
}

const char *kube_object_resource_version(const kube_json_t *obj)
{
    return meta_str(obj, "resourceVersion");
}

const char *kube_object_creation_timestamp(const kube_json_t *obj)
{
    return meta_str(obj, "creationTimestamp");
}

const char *kube_object_deletion_timestamp(const kube_json_t *obj)
{
    return meta_str(obj, "deletionTimestamp");
}

int kube_object_is_deleting(const kube_json_t *obj)
{
    return kube_object_deletion_timestamp(obj) != NULL;
}

const char *kube_object_api_version(const kube_json_t *obj)
{
    return kube_json_string(kube_json_get(obj, "apiVersion"));
}

const char *kube_object_kind(const kube_json_t *obj)
{
    return kube_json_string(kube_json_get(obj, "kind"));
}

int64_t kube_object_generation(const kube_json_t *obj)
{
    int64_t g = 0;
    if (kube_json_int64(kube_json_get(kube_object_metadata(obj), "generation"), &g) != KUBE_OK)
        return 0;
    return g;
}

kube_error_t kube_object_gvk(kube_gvk_t *out, const kube_json_t *obj)
{
    const char *av = kube_object_api_version(obj), *kind = kube_object_kind(obj);
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "object gvk: NULL argument");
    if (!av || !kind)
        return kube_error_setf(KUBE_ENOTFOUND, "object gvk: %s missing or not a string",
                               av ? "kind" : "apiVersion");
    return kube_gvk_parse(out, av, kind);
}

static const kube_json_t *meta_obj(const kube_json_t *obj, const char *key)
{
    const kube_json_t *v = kube_json_get(kube_object_metadata(obj), key);
    return kube_json_type(v) == KUBE_JSON_OBJECT ? v : NULL;
}

const kube_json_t *kube_object_labels(const kube_json_t *obj)
{
    return meta_obj(obj, "labels");
}

const kube_json_t *kube_object_annotations(const kube_json_t *obj)
{
    return meta_obj(obj, "annotations");
}

const char *kube_object_label(const kube_json_t *obj, const char *key)
{
    return key ? kube_json_string(kube_json_get(kube_object_labels(obj), key)) : NULL;
}

const char *kube_object_annotation(const kube_json_t *obj, const char *key)
{
    return key ? kube_json_string(kube_json_get(kube_object_annotations(obj), key)) : NULL;
}

const kube_json_t *kube_object_finalizers(const kube_json_t *obj)
{
    const kube_json_t *v = kube_json_get(kube_object_metadata(obj), "finalizers");
    return kube_json_type(v) == KUBE_JSON_ARRAY ? v : NULL;
}

/* Index of the first finalizer equal to name, or -1. */
static long finalizer_index(const kube_json_t *fins, const char *name)
{
    kube_json_iter_t it;
    const kube_json_t *v;
    long i = 0;
    kube_json_iter_init(&it, fins);
    while ((v = kube_json_iter_next(&it, NULL, NULL))) {
        if (kube_json_string_eq(v, name) && kube_json_string_len(v) == strlen(name))
            return i;
        i++;
    }
    return -1;
}

int kube_object_has_finalizer(const kube_json_t *obj, const char *finalizer)
{
    return finalizer && finalizer_index(kube_object_finalizers(obj), finalizer) >= 0;
}

static const kube_json_t *owner_refs(const kube_json_t *obj)
{
    const kube_json_t *v = kube_json_get(kube_object_metadata(obj), "ownerReferences");
    return kube_json_type(v) == KUBE_JSON_ARRAY ? v : NULL;
}

size_t kube_object_owner_ref_count(const kube_json_t *obj)
{
    return kube_json_size(owner_refs(obj));
}

static kube_error_t read_owner_ref(kube_owner_ref_t *out, const kube_json_t *e, size_t index)
{
    kube_owner_ref_t r;
    if (kube_json_type(e) != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "ownerReferences[%zu]: not an object", index);
    r.api_version = kube_json_string(kube_json_get(e, "apiVersion"));
    r.kind = kube_json_string(kube_json_get(e, "kind"));
    r.name = kube_json_string(kube_json_get(e, "name"));
    r.uid = kube_json_string(kube_json_get(e, "uid"));
    if (!r.api_version || !r.kind || !r.name || !r.uid)
        return kube_error_setf(KUBE_EINVAL, "ownerReferences[%zu].%s: missing or not a string", index,
                               !r.api_version ? "apiVersion" : !r.kind ? "kind" : !r.name ? "name" : "uid");
    r.controller = kube_json_is_true(kube_json_get(e, "controller"));
    r.block_owner_deletion = kube_json_is_true(kube_json_get(e, "blockOwnerDeletion"));
    *out = r;
    return KUBE_OK;
}

kube_error_t kube_object_owner_ref(kube_owner_ref_t *out, const kube_json_t *obj, size_t index)
{
    const kube_json_t *e;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "owner ref: NULL argument");
    e = kube_json_at(owner_refs(obj), index);
    if (!e)
        return kube_error_setf(KUBE_ENOTFOUND, "ownerReferences[%zu]: no such entry", index);
    return read_owner_ref(out, e, index);
}

kube_error_t kube_object_controller(kube_owner_ref_t *out, const kube_json_t *obj)
{
    kube_json_iter_t it;
    const kube_json_t *e;
    size_t i = 0;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "controller: NULL argument");
    kube_json_iter_init(&it, owner_refs(obj));
    while ((e = kube_json_iter_next(&it, NULL, NULL))) {
        if (kube_json_is_true(kube_json_get(e, "controller")))
            return read_owner_ref(out, e, i);
        i++;
    }
    return kube_error_setf(KUBE_ENOTFOUND, "ownerReferences: no controller");
}

/* ---- keys ---- */

kube_error_t kube_object_key_format(kube_buf_t *out, const char *ns, const char *name)
{
    if (!out || !name || !name[0])
        return kube_error_setf(KUBE_EINVAL, "object key: %s", (!out || !name) ? "NULL argument" : "empty name");
    if (ns && ns[0])
        return kube_buf_printf(out, "%s/%s", ns, name);
    return kube_buf_puts(out, name);
}

kube_error_t kube_object_key(kube_buf_t *out, const kube_json_t *obj)
{
    const char *name = kube_object_name(obj);
    if (!name || !name[0])
        return kube_error_setf(KUBE_EINVAL, "object key: object has no metadata.name");
    return kube_object_key_format(out, kube_object_namespace(obj), name);
}

kube_error_t kube_object_key_split(const char *key, size_t *ns_len_out, const char **name_out)
{
    const char *slash;
    if (!key)
        return kube_error_setf(KUBE_EINVAL, "object key split: NULL key");
    slash = strchr(key, '/');
    if (slash && strchr(slash + 1, '/'))
        return kube_error_setf(KUBE_EINVAL, "object key split: unexpected key format: \"%.300s\"", key);
    if ((slash && (slash == key || !slash[1])) || !key[0])
        return kube_error_setf(KUBE_EINVAL, "object key split: empty %s in \"%.300s\"",
                               slash && slash == key ? "namespace" : "name", key);
    if (ns_len_out)
        *ns_len_out = slash ? (size_t)(slash - key) : 0;
    if (name_out)
        *name_out = slash ? slash + 1 : key;
    return KUBE_OK;
}

/* ---- stripping ----
 *
 * Stores keep one stripped copy per object, so this is on the hot path of every
 * watch event. Rather than going through the mutable builder, the new document
 * is copied straight from the flat value array of the source (json_int.h): a
 * subtree is a contiguous run of values whose container offsets are relative,
 * so untouched subtrees are copied as runs and only the root, `metadata` and
 * `annotations` headers are rewritten. Strings are copied into one new block,
 * so the source document can be released. Two passes: measure, then write. */

/* Zero bytes after the string block: the JSON writer loads strings several bytes
 * at a time past their end and relies on every document's string block being
 * padded by KUBE_JSON__STR_PAD (json_int.h). */
#define STRIP_STR_PAD KUBE_JSON__STR_PAD

typedef struct strip_ctx {
    struct kube_json *out; /* NULL while measuring */
    size_t n;              /* values written (or counted) */
    char *sp;              /* next free byte of the string block */
    size_t nstr;           /* string bytes, NULs included */
    unsigned int flags;
} strip_ctx_t;

static int key_is(const struct kube_json *k, const char *s, size_t n)
{
    return kube_json__len(k) == n && memcmp(k->u.s, s, n) == 0;
}

static void put_range(strip_ctx_t *c, const struct kube_json *a, const struct kube_json *b)
{
    for (; a < b; a++, c->n++) {
        if (kube_json__type(a) == KUBE_JSON_STRING) {
            size_t len = kube_json__len(a);
            if (c->out) {
                memcpy(c->sp, a->u.s, len);
                c->sp[len] = '\0';
                c->out[c->n] = *a;
                c->out[c->n].u.s = c->sp;
                c->sp += len + 1;
            }
            c->nstr += len + 1;
        } else if (c->out) {
            c->out[c->n] = *a;
        }
    }
}

/* Levels: 0 the object, 1 its metadata, 2 metadata.annotations. */
static void put_object(strip_ctx_t *c, const struct kube_json *obj, int level)
{
    const struct kube_json *p = obj + 1, *end = kube_json__next(obj);
    size_t h = c->n, kept = 0;
    c->n++;
    while (p < end) {
        const struct kube_json *key = p, *val = p + 1, *nx = kube_json__next(val);
        int child = 0; /* 0: copy as is; -1: drop; 1, 2: descend */
        if (level == 0 && kube_json__type(val) == KUBE_JSON_OBJECT && key_is(key, "metadata", 8)) {
            child = 1;
        } else if (level == 1) {
            if ((c->flags & KUBE_OBJECT_STRIP_MANAGED_FIELDS) && key_is(key, "managedFields", 13))
                child = -1;
            else if ((c->flags & KUBE_OBJECT_STRIP_LAST_APPLIED) && kube_json__type(val) == KUBE_JSON_OBJECT &&
                     key_is(key, "annotations", 11) && kube_json_get(val, LAST_APPLIED))
                child = kube_json__len(val) == 1 ? -1 : 2;
        } else if (level == 2 && key_is(key, LAST_APPLIED, sizeof LAST_APPLIED - 1)) {
            child = -1;
        }
        if (child >= 0) {
            put_range(c, key, key + 1);
            if (child > 0)
                put_object(c, val, child);
            else
                put_range(c, val, nx);
            kept++;
        }
        p = nx;
    }
    if (c->out) {
        c->out[h].tag = KUBE_JSON_OBJECT | ((uint64_t)kept << KUBE_JSON__LEN_SHIFT);
        c->out[h].u.ofs = c->n - h - 1;
    }
}

kube_error_t kube_object_strip(kube_json_doc_t **out, const kube_json_t *obj, unsigned int flags,
                               const kube_mem_t *mem)
{
    strip_ctx_t c;
    kube_mem_t m;
    kube_json_doc_t *doc;
    struct kube_json *vals;
    char *str;

    if (!out || kube_json_type(obj) != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "object strip: %s", out ? "not a JSON object" : "NULL argument");
    if (flags & ~(KUBE_OBJECT_STRIP_MANAGED_FIELDS | KUBE_OBJECT_STRIP_LAST_APPLIED))
        return kube_error_setf(KUBE_EINVAL, "object strip: unknown flags 0x%x", flags);
    memset(&c, 0, sizeof c);
    c.flags = flags;
    put_object(&c, obj, 0);
    m = kube_mem__pick(mem);
    if (c.n > SIZE_MAX / sizeof *vals)
        return kube_error_setf(KUBE_ENOMEM, "object strip: document too large");
    vals = (struct kube_json *)kube_mem__malloc(&m, c.n * sizeof *vals);
    str = (char *)kube_mem__malloc(&m, c.nstr + 1 + STRIP_STR_PAD);
    doc = (kube_json_doc_t *)kube_mem__malloc(&m, sizeof *doc);
    if (!vals || !str || !doc) {
        kube_mem__free(&m, vals);
        kube_mem__free(&m, str);
        kube_mem__free(&m, doc);
        return kube_error_setf(KUBE_ENOMEM, "object strip: out of memory");
    }
    memset(str + c.nstr, 0, 1 + STRIP_STR_PAD);
    c.out = vals;
    c.sp = str;
    c.n = 0;
    c.nstr = 0;
    put_object(&c, obj, 0);
    atomic_init(&doc->refs, 1);
    doc->mem = m;
    doc->vals = vals;
    doc->nvals = c.n;
    doc->str = str;
    doc->heap = sizeof *doc + c.n * sizeof *vals + c.nstr + 1 + STRIP_STR_PAD;
    *out = doc;
    return KUBE_OK;
}

/* ---- references ---- */

/* The code a failed mutable-builder call recorded (they return NULL). */
static kube_error_t mut_err(void)
{
    kube_error_t c = kube_error_last()->code;
    return c ? c : kube_error_setf(KUBE_ENOMEM, "out of memory");
}

/* apiVersion and kind: from the descriptor if given, else from the object. */
static kube_error_t type_of(kube_buf_t *av, const char **kind, const kube_json_t *obj, const kube_resource_t *res)
{
    if (res) {
        *kind = res->kind;
        if (!*kind || !*kind[0])
            return kube_error_setf(KUBE_EINVAL, "reference: descriptor has no kind");
        return kube_resource_api_version(av, res);
    }
    *kind = kube_object_kind(obj);
    if (!*kind || !kube_object_api_version(obj))
        return kube_error_setf(KUBE_EINVAL, "reference: object has no %s and no descriptor was given",
                               *kind ? "apiVersion" : "kind");
    return kube_buf_puts(av, kube_object_api_version(obj));
}

static kube_error_t set_opt(kube_json_mut_t *o, const char *key, const char *val)
{
    return val ? kube_json_mut_obj_set_str(o, key, val) : KUBE_OK;
}

kube_error_t kube_object_reference(kube_json_mut_t **out, kube_json_mut_doc_t *doc, const kube_json_t *obj,
                                   const kube_resource_t *res, const char *field_path)
{
    kube_buf_t av;
    const char *kind = NULL;
    kube_json_mut_t *o;
    kube_error_t rc;

    if (!out || !doc || !obj)
        return kube_error_setf(KUBE_EINVAL, "object reference: NULL argument");
    if (!kube_object_name(obj))
        return kube_error_setf(KUBE_EINVAL, "object reference: object has no metadata.name");
    kube_buf_init(&av, NULL);
    if ((rc = type_of(&av, &kind, obj, res)))
        goto done;
    kube_error_clear();
    o = kube_json_mut_obj(doc);
    if (!o) {
        rc = mut_err();
        goto done;
    }
    if ((rc = kube_json_mut_obj_set_str(o, "apiVersion", av.ptr)) ||
        (rc = kube_json_mut_obj_set_str(o, "kind", kind)) ||
        (rc = kube_json_mut_obj_set_str(o, "name", kube_object_name(obj))) ||
        (rc = set_opt(o, "namespace", kube_object_namespace(obj))) ||
        (rc = set_opt(o, "uid", kube_object_uid(obj))) ||
        (rc = set_opt(o, "resourceVersion", kube_object_resource_version(obj))) ||
        (rc = set_opt(o, "fieldPath", field_path)))
        goto done;
    *out = o;
done:
    kube_buf_dispose(&av);
    return rc;
}

kube_error_t kube_object_owner_reference(kube_json_mut_t **out, kube_json_mut_doc_t *doc, const kube_json_t *owner,
                                         const kube_resource_t *res, unsigned int flags)
{
    kube_buf_t av;
    const char *kind = NULL;
    kube_json_mut_t *o;
    kube_error_t rc;

    if (!out || !doc || !owner)
        return kube_error_setf(KUBE_EINVAL, "owner reference: NULL argument");
    if (flags & ~(KUBE_OWNER_REF_CONTROLLER | KUBE_OWNER_REF_BLOCK_OWNER_DELETION))
        return kube_error_setf(KUBE_EINVAL, "owner reference: unknown flags 0x%x", flags);
    if (!kube_object_name(owner) || !kube_object_uid(owner))
        return kube_error_setf(KUBE_EINVAL, "owner reference: owner has no metadata.%s",
                               kube_object_name(owner) ? "uid" : "name");
    kube_buf_init(&av, NULL);
    if ((rc = type_of(&av, &kind, owner, res)))
        goto done;
    kube_error_clear();
    o = kube_json_mut_obj(doc);
    if (!o) {
        rc = mut_err();
        goto done;
    }
    if ((rc = kube_json_mut_obj_set_str(o, "apiVersion", av.ptr)) ||
        (rc = kube_json_mut_obj_set_str(o, "kind", kind)) ||
        (rc = kube_json_mut_obj_set_str(o, "name", kube_object_name(owner))) ||
        (rc = kube_json_mut_obj_set_str(o, "uid", kube_object_uid(owner))))
        goto done;
    if ((flags & KUBE_OWNER_REF_CONTROLLER) && (rc = kube_json_mut_obj_set_bool(o, "controller", 1)))
        goto done;
    if ((flags & KUBE_OWNER_REF_BLOCK_OWNER_DELETION) && (rc = kube_json_mut_obj_set_bool(o, "blockOwnerDeletion", 1)))
        goto done;
    *out = o;
done:
    kube_buf_dispose(&av);
    return rc;
}

/* ---- finalizer patches ---- */

static kube_json_mut_t *op_obj(kube_json_mut_doc_t *doc, const char *op, const char *path, kube_error_t *rc)
{
    kube_json_mut_t *o = kube_json_mut_obj(doc);
    if (!o) {
        *rc = mut_err();
        return NULL;
    }
    if ((*rc = kube_json_mut_obj_set_str(o, "op", op)) || (*rc = kube_json_mut_obj_set_str(o, "path", path)))
        return NULL;
    return o;
}

static kube_error_t finalizer_args(kube_json_mut_t **out, kube_json_mut_doc_t *doc, const kube_json_t *obj,
                                   const char *finalizer, kube_object_patch_kind_t kind, const char *what)
{
    const kube_json_t *f;
    if (!out || !doc || !obj || !finalizer)
        return kube_error_setf(KUBE_EINVAL, "finalizer %s patch: NULL argument", what);
    if (!finalizer[0])
        return kube_error_setf(KUBE_EINVAL, "finalizer %s patch: empty finalizer name", what);
    if (kind != KUBE_OBJECT_JSON_PATCH && kind != KUBE_OBJECT_MERGE_PATCH)
        return kube_error_setf(KUBE_EINVAL, "finalizer %s patch: unknown patch kind %d", what, (int)kind);
    f = kube_json_get(kube_object_metadata(obj), "finalizers");
    if (f && kube_json_type(f) != KUBE_JSON_ARRAY && kube_json_type(f) != KUBE_JSON_NULL)
        return kube_error_setf(KUBE_EINVAL, "finalizer %s patch: metadata.finalizers is not an array", what);
    return KUBE_OK;
}

/* {"metadata":{"finalizers":LIST,"resourceVersion":RV}} */
static kube_error_t merge_patch(kube_json_mut_t **out, kube_json_mut_doc_t *doc, const kube_json_t *obj,
                                kube_json_mut_t *list)
{
    kube_json_mut_t *root = kube_json_mut_obj(doc), *meta = kube_json_mut_obj(doc);
    kube_error_t rc;
    if (!root || !meta)
        return mut_err();
    if ((rc = kube_json_mut_obj_set(meta, "finalizers", list)) ||
        (rc = set_opt(meta, "resourceVersion", kube_object_resource_version(obj))) ||
        (rc = kube_json_mut_obj_set(root, "metadata", meta)))
        return rc;
    *out = root;
    return KUBE_OK;
}

kube_error_t kube_object_finalizer_add_patch(kube_json_mut_t **out, kube_json_mut_doc_t *doc, const kube_json_t *obj,
                                             const char *finalizer, kube_object_patch_kind_t kind)
{
    const kube_json_t *fins;
    kube_json_mut_t *patch, *t, *a, *v;
    kube_error_t rc;

    if ((rc = finalizer_args(out, doc, obj, finalizer, kind, "add")))
        return rc;
    fins = kube_object_finalizers(obj);
    if (finalizer_index(fins, finalizer) >= 0)
        return kube_error_setf(KUBE_EEXISTS, "finalizer add patch: \"%.200s\" is already present", finalizer);
    kube_error_clear();
    if (kind == KUBE_OBJECT_MERGE_PATCH) {
        kube_json_mut_t *list = fins ? kube_json_mut_copy(doc, fins) : kube_json_mut_arr(doc);
        kube_json_mut_t *s = kube_json_mut_str(doc, finalizer);
        if (!list || !s)
            return mut_err();
        if ((rc = kube_json_mut_arr_append(list, s)))
            return rc;
        return merge_patch(out, doc, obj, list);
    }
    patch = kube_json_mut_arr(doc);
    if (!patch)
        return mut_err();
    if (!(t = op_obj(doc, "test", "/metadata/finalizers", &rc)))
        return rc;
    v = fins ? kube_json_mut_copy(doc, fins) : kube_json_mut_null(doc);
    if (!v)
        return mut_err();
    if ((rc = kube_json_mut_obj_set(t, "value", v)) || (rc = kube_json_mut_arr_append(patch, t)))
        return rc;
    if (!(a = op_obj(doc, "add", fins ? "/metadata/finalizers/-" : "/metadata/finalizers", &rc)))
        return rc;
    if (fins) {
        v = kube_json_mut_str(doc, finalizer);
        if (!v)
            return mut_err();
    } else {
        kube_json_mut_t *s = kube_json_mut_str(doc, finalizer);
        v = kube_json_mut_arr(doc);
        if (!v || !s)
            return mut_err();
        if ((rc = kube_json_mut_arr_append(v, s)))
            return rc;
    }
    if ((rc = kube_json_mut_obj_set(a, "value", v)) || (rc = kube_json_mut_arr_append(patch, a)))
        return rc;
    *out = patch;
    return KUBE_OK;
}

kube_error_t kube_object_finalizer_remove_patch(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                                const kube_json_t *obj, const char *finalizer,
                                                kube_object_patch_kind_t kind)
{
    const kube_json_t *fins;
    long idx;
    kube_error_t rc;

    if ((rc = finalizer_args(out, doc, obj, finalizer, kind, "remove")))
        return rc;
    fins = kube_object_finalizers(obj);
    idx = finalizer_index(fins, finalizer);
    if (idx < 0)
        return kube_error_setf(KUBE_ENOTFOUND, "finalizer remove patch: \"%.200s\" is not present", finalizer);
    kube_error_clear();
    if (kind == KUBE_OBJECT_MERGE_PATCH) {
        kube_json_iter_t it;
        const kube_json_t *e;
        kube_json_mut_t *list = kube_json_mut_arr(doc);
        if (!list)
            return mut_err();
        kube_json_iter_init(&it, fins);
        while ((e = kube_json_iter_next(&it, NULL, NULL))) {
            kube_json_mut_t *c;
            if (kube_json_string_eq(e, finalizer) && kube_json_string_len(e) == strlen(finalizer))
                continue;
            if (!(c = kube_json_mut_copy(doc, e)))
                return mut_err();
            if ((rc = kube_json_mut_arr_append(list, c)))
                return rc;
        }
        if (kube_json_mut_size(list) == 0 && !(list = kube_json_mut_null(doc)))
            return mut_err();
        return merge_patch(out, doc, obj, list);
    } else {
        char path[48];
        kube_json_mut_t *patch = kube_json_mut_arr(doc), *t, *r, *v;
        if (!patch)
            return mut_err();
        snprintf(path, sizeof path, "/metadata/finalizers/%ld", idx);
        if (!(t = op_obj(doc, "test", path, &rc)))
            return rc;
        if (!(v = kube_json_mut_str(doc, finalizer)))
            return mut_err();
        if ((rc = kube_json_mut_obj_set(t, "value", v)) || (rc = kube_json_mut_arr_append(patch, t)))
            return rc;
        if (!(r = op_obj(doc, "remove", path, &rc)))
            return rc;
        if ((rc = kube_json_mut_arr_append(patch, r)))
            return rc;
        *out = patch;
        return KUBE_OK;
    }
}
