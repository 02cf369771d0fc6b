/* Patches from arbitrary input. Input: "<from JSON>\n<to JSON>\n<pointer>\n<segment>".
 * - kube_merge_patch_diff(from, to) is valid JSON; applied to from (RFC 7386) it gives to
 *   whenever to has no null object members (the format cannot express those); diff(to, to)
 *   is "{}" for objects; the RFC 6902 diff is valid JSON with one element per op and
 *   empty for equal values.
 * - a JSON patch op with the fuzzed pointer either fails with KUBE_EINVAL and leaves the
 *   patch unchanged, or yields valid JSON whose "path" reads back as the pointer;
 *   kube_json_patch_pointer_append() output is always a valid pointer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kube/json.h>
#include <kube/patch.h>

static int has_null_member(const kube_json_t *v)
{
    kube_json_iter_t it;
    const kube_json_t *c;
    if (kube_json_type(v) != KUBE_JSON_OBJECT)
        return 0;
    kube_json_iter_init(&it, v);
    while ((c = kube_json_iter_next(&it, NULL, NULL)) != NULL)
        if (kube_json_type(c) == KUBE_JSON_NULL || has_null_member(c))
            return 1;
    return 0;
}

static int has_duplicate_keys(const kube_json_t *v)
{
    kube_json_iter_t it;
    const kube_json_t *c;
    const char *k;
    size_t kl;
    if (kube_json_type(v) != KUBE_JSON_OBJECT && kube_json_type(v) != KUBE_JSON_ARRAY)
        return 0;
    kube_json_iter_init(&it, v);
    while ((c = kube_json_iter_next(&it, &k, &kl)) != NULL) {
        if (kube_json_type(v) == KUBE_JSON_OBJECT && kube_json_getn(v, k, kl) != c)
            return 1;
        if (has_duplicate_keys(c))
            return 1;
    }
    return 0;
}

static kube_json_mut_t *apply(kube_json_mut_doc_t *d, kube_json_mut_t *target, const kube_json_t *patch)
{
    kube_json_iter_t it;
    const kube_json_t *v;
    const char *k;
    size_t kl;
    if (kube_json_type(patch) != KUBE_JSON_OBJECT)
        return kube_json_mut_copy(d, patch);
    if (kube_json_mut_type(target) != KUBE_JSON_OBJECT)
        target = kube_json_mut_obj(d);
    if (!target)
        abort();
    kube_json_iter_init(&it, patch);
    while ((v = kube_json_iter_next(&it, &k, &kl)) != NULL) {
        if (memchr(k, '\0', kl))
            continue; /* the mutable API takes NUL-terminated keys */
        if (kube_json_type(v) == KUBE_JSON_NULL) {
            kube_json_mut_obj_remove(target, k);
        } else {
            kube_json_mut_t *cur = kube_json_mut_obj_get(target, k);
            kube_json_mut_t *nv = apply(d, cur, v);
            if (!nv)
                abort();
            if (nv != cur && kube_json_mut_obj_set(target, k, nv) != KUBE_OK)
                abort();
        }
    }
    return target;
}

static int has_nul_key(const kube_json_t *v)
{
    kube_json_iter_t it;
    const kube_json_t *c;
    const char *k;
    size_t kl;
    kube_json_iter_init(&it, v);
    while ((c = kube_json_iter_next(&it, &k, &kl)) != NULL) {
        if (kube_json_type(v) == KUBE_JSON_OBJECT && memchr(k, '\0', kl))
            return 1;
        if (has_nul_key(c))
            return 1;
    }
    return 0;
}

static void check_diff(const char *a, size_t alen, const char *b, size_t blen)
{
    kube_json_doc_t *from = NULL, *to = NULL, *patch = NULL, *result = NULL;
    kube_json_mut_doc_t *md = NULL;
    kube_buf_t out;
    if (kube_json_parse(&from, a, alen, NULL) != KUBE_OK)
        return;
    if (kube_json_parse(&to, b, blen, NULL) != KUBE_OK) {
        kube_json_doc_free(from);
        return;
    }
    kube_buf_init(&out, NULL);
    if (kube_merge_patch_diff(&out, kube_json_doc_root(from), kube_json_doc_root(to)) != KUBE_OK)
        abort();
    if (kube_json_parse(&patch, out.ptr, out.size, NULL) != KUBE_OK)
        abort();
    if (!has_null_member(kube_json_doc_root(to)) && !has_duplicate_keys(kube_json_doc_root(from)) &&
        !has_duplicate_keys(kube_json_doc_root(to)) && !has_nul_key(kube_json_doc_root(from)) &&
        !has_nul_key(kube_json_doc_root(to))) {
        kube_json_mut_t *applied;
        if (kube_json_mut_doc_new(&md, NULL) != KUBE_OK)
            abort();
        applied = apply(md, kube_json_mut_copy(md, kube_json_doc_root(from)), kube_json_doc_root(patch));
        if (kube_json_mut_freeze(&result, applied, NULL) != KUBE_OK)
            abort();
        if (!kube_json_equal(kube_json_doc_root(result), kube_json_doc_root(to)))
            abort();
        kube_json_doc_free(result);
        kube_json_mut_doc_free(md);
    }
    {
        /* The RFC 6902 diff is valid JSON, and empty for equal values. */
        kube_json_patch_t *jp = NULL;
        kube_json_doc_t *ops = NULL;
        kube_body_t body;
        if (kube_json_patch_new(&jp, NULL) != KUBE_OK ||
            kube_json_patch_diff(jp, kube_json_doc_root(from), kube_json_doc_root(to)) != KUBE_OK)
            abort();
        body = kube_json_patch_body(jp);
        if (kube_json_parse(&ops, (const char *)body.bytes, body.len, NULL) != KUBE_OK)
            abort();
        if (kube_json_size(kube_json_doc_root(ops)) != kube_json_patch_count(jp))
            abort();
        kube_json_doc_free(ops);
        kube_json_patch_free(jp);
        jp = NULL;
        if (kube_json_patch_new(&jp, NULL) != KUBE_OK ||
            kube_json_patch_diff(jp, kube_json_doc_root(to), kube_json_doc_root(to)) != KUBE_OK ||
            kube_json_patch_count(jp) != 0)
            abort();
        kube_json_patch_free(jp);
    }
    kube_buf_clear(&out);
    if (kube_merge_patch_diff(&out, kube_json_doc_root(to), kube_json_doc_root(to)) != KUBE_OK)
        abort();
    if (kube_json_type(kube_json_doc_root(to)) == KUBE_JSON_OBJECT && strcmp(out.ptr, "{}") != 0)
        abort();
    kube_buf_dispose(&out);
    kube_json_doc_free(patch);
    kube_json_doc_free(from);
    kube_json_doc_free(to);
}

static void check_pointer(const char *ptr, const char *segment)
{
    kube_json_patch_t *p = NULL;
    kube_json_doc_t *d = NULL;
    kube_body_t before, after;
    kube_buf_t built;
    kube_error_t rc;
    if (kube_json_patch_new(&p, NULL) != KUBE_OK)
        abort();
    if (kube_json_patch_remove(p, "/x") != KUBE_OK)
        abort();
    before = kube_json_patch_body(p);
    rc = kube_json_patch_replace(p, ptr, kube_body_string(segment));
    after = kube_json_patch_body(p);
    if (rc != KUBE_OK) {
        if (rc != KUBE_EINVAL || after.len != before.len || kube_json_patch_count(p) != 1)
            abort();
    } else {
        const kube_json_t *op;
        if (kube_json_parse(&d, (const char *)after.bytes, after.len, NULL) != KUBE_OK)
            abort();
        op = kube_json_at(kube_json_doc_root(d), 1);
        if (!kube_json_string_eq(kube_json_get(op, "path"), ptr) ||
            !kube_json_string_eq(kube_json_get(op, "value"), segment))
            abort();
        kube_json_doc_free(d);
    }
    kube_buf_init(&built, NULL);
    if (kube_json_patch_pointer_append(&built, segment) != KUBE_OK)
        abort();
    rc = kube_json_patch_remove(p, built.ptr);
    if (rc != KUBE_OK && rc != KUBE_EINVAL) /* EINVAL only for invalid UTF-8 */
        abort();
    kube_buf_dispose(&built);
    kube_json_patch_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), *parts[4];
    size_t lens[4];
    int n = 0;
    char *cur;
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    cur = s;
    while (n < 4) {
        char *nl = n < 3 ? memchr(cur, '\n', (size_t)(s + size - cur)) : NULL;
        parts[n] = cur;
        if (!nl) {
            lens[n] = (size_t)(s + size - cur);
            n++;
            break;
        }
        *nl = '\0';
        lens[n] = (size_t)(nl - cur);
        cur = nl + 1;
        n++;
    }
    if (n >= 2)
        check_diff(parts[0], lens[0], parts[1], lens[1]);
    if (n >= 4 && !memchr(parts[2], '\0', lens[2]) && !memchr(parts[3], '\0', lens[3]))
        check_pointer(parts[2], parts[3]);
    free(s);
    return 0;
}
