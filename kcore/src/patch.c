/* Patch documents: content types, the RFC 6902 JSON patch builder and the
 * RFC 7386 merge-patch diff. */
#include <kube/patch.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_int.h"
#include "request_int.h"

const char *kube_patch_content_type(kube_patch_type_t type)
{
    switch (type) {
    case KUBE_PATCH_MERGE: return "application/merge-patch+json";
    case KUBE_PATCH_JSON: return "application/json-patch+json";
    case KUBE_PATCH_STRATEGIC: return "application/strategic-merge-patch+json";
    case KUBE_PATCH_APPLY: return "application/apply-patch+yaml";
    default: return NULL;
    }
}

/* ------------------------------------------------------------------------ */
/* RFC 6902                                                                   */

struct kube_json_patch {
    kube_mem_t mem;
    kube_buf_t text; /* always a complete array: "[" ops "]" */
    size_t count;
};

kube_error_t kube_json_patch_new(kube_json_patch_t **out, const kube_mem_t *mem)
{
    kube_mem_t m = kube_mem__pick(mem);
    kube_json_patch_t *p;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "kube_json_patch_new: NULL out");
    p = (kube_json_patch_t *)kube_mem__malloc(&m, sizeof *p);
    if (!p)
        return kube_error_setf(KUBE_ENOMEM, "JSON patch: out of memory");
    p->mem = m;
    p->count = 0;
    kube_buf_init(&p->text, &m);
    if (kube_buf_puts(&p->text, "[]") != KUBE_OK) {
        kube_mem__free(&m, p);
        return KUBE_ENOMEM;
    }
    *out = p;
    return KUBE_OK;
}

void kube_json_patch_free(kube_json_patch_t *patch)
{
    kube_mem_t mem;
    if (!patch)
        return;
    mem = patch->mem;
    kube_buf_dispose(&patch->text);
    kube_mem__free(&mem, patch);
}

size_t kube_json_patch_count(const kube_json_patch_t *patch)
{
    return patch ? patch->count : 0;
}

kube_body_t kube_json_patch_body(const kube_json_patch_t *patch)
{
    kube_body_t none = {KUBE_BODY_NONE, NULL, 0, NULL, NULL};
    if (!patch)
        return none;
    return kube_body_bytes(patch->text.ptr, patch->text.size);
}

static kube_error_t check_pointer(const char *ptr, const char *what)
{
    if (!ptr)
        return kube_error_setf(KUBE_EINVAL, "JSON patch: %s is NULL", what);
    if (*ptr && *ptr != '/')
        return kube_error_setf(KUBE_EINVAL, "JSON patch: %s \"%s\" must be empty or start with '/'",
                               what, ptr);
    for (const char *p = ptr; *p; p++)
        if (*p == '~' && p[1] != '0' && p[1] != '1')
            return kube_error_setf(KUBE_EINVAL,
                                   "JSON patch: %s \"%s\": '~' must be followed by 0 or 1 (byte %zu)",
                                   what, ptr, (size_t)(p - ptr));
    return KUBE_OK;
}

static kube_error_t add_op(kube_json_patch_t *jp, const char *op, const char *from, const char *path,
                           const kube_body_t *value)
{
    kube_buf_t *b;
    size_t old;
    kube_error_t rc;
    if (!jp)
        return kube_error_setf(KUBE_EINVAL, "JSON patch: NULL patch");
    if ((rc = check_pointer(path, "path")))
        return rc;
    if (from && (rc = check_pointer(from, "from")))
        return rc;
    if (value && (value->kind == KUBE_BODY_NONE || (value->kind == KUBE_BODY_BYTES && value->len == 0)))
        return kube_error_setf(KUBE_EINVAL, "JSON patch: %s at \"%s\" needs a value", op, path);
    b = &jp->text;
    old = b->size;
    b->size--; /* drop the closing ']' */
    rc = jp->count ? kube_buf_put(b, ",", 1) : KUBE_OK;
    if (!rc)
        rc = kube_buf_printf(b, "{\"op\":\"%s\"", op);
    if (!rc && from) {
        rc = kube_buf_puts(b, ",\"from\":");
        if (!rc)
            rc = kube_request__json_string(b, from, strlen(from), "JSON patch from");
    }
    if (!rc)
        rc = kube_buf_puts(b, ",\"path\":");
    if (!rc)
        rc = kube_request__json_string(b, path, strlen(path), "JSON patch path");
    if (!rc && value) {
        rc = kube_buf_puts(b, ",\"value\":");
        if (!rc)
            rc = kube_body_write(b, *value);
    }
    if (!rc)
        rc = kube_buf_puts(b, "}]");
    if (rc) {
        /* Restore "...]" exactly as it was; the memory is still there. */
        b->size = old;
        b->ptr[old - 1] = ']';
        b->ptr[old] = '\0';
        return rc;
    }
    jp->count++;
    return KUBE_OK;
}

kube_error_t kube_json_patch_add(kube_json_patch_t *patch, const char *path, kube_body_t value)
{
    return add_op(patch, "add", NULL, path, &value);
}

kube_error_t kube_json_patch_remove(kube_json_patch_t *patch, const char *path)
{
    return add_op(patch, "remove", NULL, path, NULL);
}

kube_error_t kube_json_patch_replace(kube_json_patch_t *patch, const char *path, kube_body_t value)
{
    return add_op(patch, "replace", NULL, path, &value);
}

kube_error_t kube_json_patch_move(kube_json_patch_t *patch, const char *from, const char *path)
{
    if (!from)
        return kube_error_setf(KUBE_EINVAL, "JSON patch: from is NULL");
    return add_op(patch, "move", from, path, NULL);
}

kube_error_t kube_json_patch_copy(kube_json_patch_t *patch, const char *from, const char *path)
{
    if (!from)
        return kube_error_setf(KUBE_EINVAL, "JSON patch: from is NULL");
    return add_op(patch, "copy", from, path, NULL);
}

kube_error_t kube_json_patch_test(kube_json_patch_t *patch, const char *path, kube_body_t value)
{
    return add_op(patch, "test", NULL, path, &value);
}

kube_error_t kube_json_patch_pointer_append(kube_buf_t *pointer, const char *segment)
{
    size_t n, extra = 1;
    kube_error_t rc;
    if (!pointer || !segment)
        return kube_error_setf(KUBE_EINVAL, "kube_json_patch_pointer_append: NULL argument");
    n = strlen(segment);
    for (size_t i = 0; i < n; i++)
        extra += (segment[i] == '~' || segment[i] == '/') ? 2 : 1;
    rc = kube_buf_grow(pointer, extra);
    if (rc)
        return rc;
    pointer->ptr[pointer->size++] = '/';
    for (size_t i = 0; i < n; i++) {
        if (segment[i] == '~') {
            pointer->ptr[pointer->size++] = '~';
            pointer->ptr[pointer->size++] = '0';
        } else if (segment[i] == '/') {
            pointer->ptr[pointer->size++] = '~';
            pointer->ptr[pointer->size++] = '1';
        } else {
            pointer->ptr[pointer->size++] = segment[i];
        }
    }
    pointer->ptr[pointer->size] = '\0';
    return KUBE_OK;
}

/* ------------------------------------------------------------------------ */
/* RFC 7386 diff                                                              */

/* Objects with more members than this get a sorted index for lookups. */
#define INDEX_MIN 16

typedef struct member {
    const char *key;
    size_t len;
    const kube_json_t *value;
    size_t pos;
} member_t;

typedef struct obj_index {
    const kube_json_t *obj;
    member_t *m; /* NULL: use kube_json_getn() */
    size_t n;
} obj_index_t;

static int member_cmp(const void *a, const void *b)
{
    const member_t *x = (const member_t *)a, *y = (const member_t *)b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos ? 1 : 0;
}

static kube_error_t index_build(obj_index_t *ix, const kube_json_t *obj, const kube_mem_t *mem)
{
    kube_json_iter_t it;
    const kube_json_t *v;
    const char *k;
    size_t kl, i = 0;
    ix->obj = obj;
    ix->m = NULL;
    ix->n = kube_json_size(obj);
    if (ix->n <= INDEX_MIN)
        return KUBE_OK;
    ix->m = (member_t *)kube_mem__calloc(mem, ix->n, sizeof *ix->m);
    if (!ix->m)
        return kube_error_setf(KUBE_ENOMEM, "merge patch diff: out of memory");
    kube_json_iter_init(&it, obj);
    while (i < ix->n && (v = kube_json_iter_next(&it, &k, &kl)) != NULL) {
        ix->m[i].key = k;
        ix->m[i].len = kl;
        ix->m[i].value = v;
        ix->m[i].pos = i;
        i++;
    }
    ix->n = i;
    qsort(ix->m, ix->n, sizeof *ix->m, member_cmp);
    return KUBE_OK;
}

/* The value of the last member called key, or NULL. */
static const kube_json_t *index_get(const obj_index_t *ix, const char *key, size_t len)
{
    size_t lo = 0, hi;
    const member_t *found = NULL;
    if (!ix->m)
        return kube_json_getn(ix->obj, key, len);
    hi = ix->n;
    /* Find the first entry >= key, then walk to the last one equal to key. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const member_t *m = &ix->m[mid];
        size_t n = m->len < len ? m->len : len;
        int c = memcmp(m->key, key, n);
        if (c == 0)
            c = m->len < len ? -1 : m->len > len ? 1 : 0;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo < ix->n && ix->m[lo].len == len && memcmp(ix->m[lo].key, key, len) == 0)
        found = &ix->m[lo++];
    return found ? found->value : NULL;
}

static void index_free(obj_index_t *ix, const kube_mem_t *mem)
{
    kube_mem__free(mem, ix->m);
    ix->m = NULL;
}

static kube_error_t put_key(kube_buf_t *out, int *n, const char *k, size_t kl)
{
    kube_error_t rc = (*n)++ ? kube_buf_put(out, ",", 1) : KUBE_OK;
    if (!rc)
        rc = kube_request__json_string(out, k, kl, "object key");
    if (!rc)
        rc = kube_buf_put(out, ":", 1);
    return rc;
}

static kube_error_t diff_value(kube_buf_t *out, const kube_json_t *from, const kube_json_t *to,
                               const kube_mem_t *mem, unsigned int depth);

static kube_error_t diff_object(kube_buf_t *out, const kube_json_t *from, const kube_json_t *to,
                                const kube_mem_t *mem, unsigned int depth)
{
    obj_index_t fx, tx;
    kube_json_iter_t it;
    const kube_json_t *v;
    const char *k;
    size_t kl;
    int n = 0;
    kube_error_t rc = index_build(&fx, from, mem);
    if (rc)
        return rc;
    rc = index_build(&tx, to, mem);
    if (rc) {
        index_free(&fx, mem);
        return rc;
    }
    rc = kube_buf_put(out, "{", 1);
    kube_json_iter_init(&it, to);
    while (!rc && (v = kube_json_iter_next(&it, &k, &kl)) != NULL) {
        const kube_json_t *fv;
        if (index_get(&tx, k, kl) != v)
            continue; /* an earlier duplicate: the last one counts */
        fv = index_get(&fx, k, kl);
        if (!fv) {
            if (kube_json_type(v) == KUBE_JSON_NULL)
                continue;
            rc = put_key(out, &n, k, kl);
            if (!rc)
                rc = kube_json_write(out, v, 0);
        } else if (!kube_json_equal(fv, v)) {
            size_t mark = out->size, after;
            int mark_n = n;
            rc = put_key(out, &n, k, kl);
            after = out->size;
            if (!rc)
                rc = diff_value(out, fv, v, mem, depth + 1);
            if (!rc && out->size == after + 2 && memcmp(out->ptr + after, "{}", 2) == 0 &&
                kube_json_type(fv) == KUBE_JSON_OBJECT && kube_json_type(v) == KUBE_JSON_OBJECT) {
                /* Nothing to say for this member after all. */
                out->size = mark;
                out->ptr[mark] = '\0';
                n = mark_n;
            }
        }
    }
    kube_json_iter_init(&it, from);
    while (!rc && (v = kube_json_iter_next(&it, &k, &kl)) != NULL) {
        if (index_get(&fx, k, kl) != v || index_get(&tx, k, kl))
            continue;
        rc = put_key(out, &n, k, kl);
        if (!rc)
            rc = kube_buf_puts(out, "null");
    }
    if (!rc)
        rc = kube_buf_put(out, "}", 1);
    index_free(&fx, mem);
    index_free(&tx, mem);
    return rc;
}

static kube_error_t diff_value(kube_buf_t *out, const kube_json_t *from, const kube_json_t *to,
                               const kube_mem_t *mem, unsigned int depth)
{
    if (depth > KUBE_JSON_DEFAULT_MAX_DEPTH)
        return kube_error_setf(KUBE_EINVAL, "merge patch diff: nesting deeper than %d",
                               KUBE_JSON_DEFAULT_MAX_DEPTH);
    if (kube_json_type(from) != KUBE_JSON_OBJECT || kube_json_type(to) != KUBE_JSON_OBJECT)
        return kube_json_write(out, to, 0);
    return diff_object(out, from, to, mem, depth);
}

kube_error_t kube_merge_patch_diff(kube_buf_t *out, const kube_json_t *from, const kube_json_t *to)
{
    size_t old;
    kube_error_t rc;
    if (!out || !from || !to)
        return kube_error_setf(KUBE_EINVAL, "kube_merge_patch_diff: NULL argument");
    old = out->size;
    rc = diff_value(out, from, to, &out->mem, 0);
    if (rc && out->ptr) {
        out->size = old;
        out->ptr[old] = '\0';
    }
    return rc;
}

/* ---- RFC 6902 diff ---- */

typedef struct jdiff {
    kube_json_patch_t *jp;
    kube_buf_t ptr; /* the current JSON Pointer */
} jdiff_t;

/* Append one op whose path is the current pointer; @p value is NULL for remove. */
static kube_error_t jd_op(jdiff_t *d, const char *op, const kube_json_t *value)
{
    kube_buf_t *b = &d->jp->text;
    kube_error_t rc;
    b->size--; /* drop ']'; the caller restores the whole patch on error */
    rc = d->jp->count ? kube_buf_put(b, ",", 1) : KUBE_OK;
    if (!rc)
        rc = kube_buf_printf(b, "{\"op\":\"%s\",\"path\":", op);
    if (!rc)
        rc = kube_request__json_string(b, d->ptr.ptr ? d->ptr.ptr : "", d->ptr.size, "JSON pointer");
    if (!rc && value) {
        rc = kube_buf_puts(b, ",\"value\":");
        if (!rc)
            rc = kube_json_write(b, value, 0);
    }
    if (!rc)
        rc = kube_buf_puts(b, "}]");
    if (!rc)
        d->jp->count++;
    return rc;
}

static kube_error_t jd_push_key(jdiff_t *d, const char *k, size_t kl)
{
    kube_error_t rc = kube_buf_grow(&d->ptr, 1 + 2 * kl);
    if (rc)
        return rc;
    d->ptr.ptr[d->ptr.size++] = '/';
    for (size_t i = 0; i < kl; i++) {
        if (k[i] == '~' || k[i] == '/') {
            d->ptr.ptr[d->ptr.size++] = '~';
            d->ptr.ptr[d->ptr.size++] = k[i] == '~' ? '0' : '1';
        } else {
            d->ptr.ptr[d->ptr.size++] = k[i];
        }
    }
    d->ptr.ptr[d->ptr.size] = '\0';
    return KUBE_OK;
}

static kube_error_t jd_push_index(jdiff_t *d, size_t i)
{
    return kube_buf_printf(&d->ptr, "/%zu", i);
}

static void jd_pop(jdiff_t *d, size_t mark)
{
    d->ptr.size = mark;
    if (d->ptr.ptr)
        d->ptr.ptr[mark] = '\0';
}

static kube_error_t jd_value(jdiff_t *d, const kube_json_t *a, const kube_json_t *b, unsigned int depth);

static kube_error_t jd_object(jdiff_t *d, const kube_json_t *a, const kube_json_t *b, unsigned int depth)
{
    obj_index_t ax, bx;
    kube_json_iter_t it;
    const kube_json_t *v;
    const char *k;
    size_t kl, mark = d->ptr.size;
    kube_error_t rc = index_build(&ax, a, &d->jp->mem);
    if (rc)
        return rc;
    rc = index_build(&bx, b, &d->jp->mem);
    if (rc) {
        index_free(&ax, &d->jp->mem);
        return rc;
    }
    kube_json_iter_init(&it, a);
    while (!rc && (v = kube_json_iter_next(&it, &k, &kl)) != NULL) {
        if (index_get(&ax, k, kl) != v || index_get(&bx, k, kl))
            continue;
        rc = jd_push_key(d, k, kl);
        if (!rc)
            rc = jd_op(d, "remove", NULL);
        jd_pop(d, mark);
    }
    kube_json_iter_init(&it, b);
    while (!rc && (v = kube_json_iter_next(&it, &k, &kl)) != NULL) {
        const kube_json_t *av;
        if (index_get(&bx, k, kl) != v)
            continue;
        av = index_get(&ax, k, kl);
        rc = jd_push_key(d, k, kl);
        if (!rc)
            rc = av ? jd_value(d, av, v, depth + 1) : jd_op(d, "add", v);
        jd_pop(d, mark);
    }
    index_free(&ax, &d->jp->mem);
    index_free(&bx, &d->jp->mem);
    return rc;
}

static kube_error_t jd_array(jdiff_t *d, const kube_json_t *a, const kube_json_t *b, unsigned int depth)
{
    size_t na = kube_json_size(a), nb = kube_json_size(b), n = na < nb ? na : nb, mark = d->ptr.size;
    kube_json_iter_t ia, ib;
    const kube_json_t *va, *vb;
    kube_error_t rc = KUBE_OK;
    kube_json_iter_init(&ia, a);
    kube_json_iter_init(&ib, b);
    for (size_t i = 0; !rc && i < n; i++) {
        va = kube_json_iter_next(&ia, NULL, NULL);
        vb = kube_json_iter_next(&ib, NULL, NULL);
        if (kube_json_equal(va, vb))
            continue;
        rc = jd_push_index(d, i);
        if (!rc)
            rc = jd_value(d, va, vb, depth + 1);
        jd_pop(d, mark);
    }
    for (size_t i = n; !rc && i < nb; i++) {
        vb = kube_json_iter_next(&ib, NULL, NULL);
        rc = kube_buf_puts(&d->ptr, "/-");
        if (!rc)
            rc = jd_op(d, "add", vb);
        jd_pop(d, mark);
    }
    for (size_t i = na; !rc && i > n; i--) {
        rc = jd_push_index(d, i - 1);
        if (!rc)
            rc = jd_op(d, "remove", NULL);
        jd_pop(d, mark);
    }
    return rc;
}

static kube_error_t jd_value(jdiff_t *d, const kube_json_t *a, const kube_json_t *b, unsigned int depth)
{
    kube_json_type_t ta = kube_json_type(a), tb = kube_json_type(b);
    if (depth > KUBE_JSON_DEFAULT_MAX_DEPTH)
        return kube_error_setf(KUBE_EINVAL, "JSON patch diff: nesting deeper than %d",
                               KUBE_JSON_DEFAULT_MAX_DEPTH);
    if (ta == KUBE_JSON_OBJECT && tb == KUBE_JSON_OBJECT)
        return jd_object(d, a, b, depth);
    if (ta == KUBE_JSON_ARRAY && tb == KUBE_JSON_ARRAY)
        return jd_array(d, a, b, depth);
    if (kube_json_equal(a, b))
        return KUBE_OK;
    return jd_op(d, "replace", b);
}

kube_error_t kube_json_patch_diff(kube_json_patch_t *patch, const kube_json_t *from, const kube_json_t *to)
{
    jdiff_t d;
    size_t old_size, old_count;
    kube_error_t rc;
    if (!patch || !from || !to)
        return kube_error_setf(KUBE_EINVAL, "kube_json_patch_diff: NULL argument");
    old_size = patch->text.size;
    old_count = patch->count;
    d.jp = patch;
    kube_buf_init(&d.ptr, &patch->mem);
    rc = jd_value(&d, from, to, 0);
    kube_buf_dispose(&d.ptr);
    if (rc) {
        /* Restore "...]" as it was; the memory is still there. */
        patch->text.size = old_size;
        patch->text.ptr[old_size - 1] = ']';
        patch->text.ptr[old_size] = '\0';
        patch->count = old_count;
    }
    return rc;
}

