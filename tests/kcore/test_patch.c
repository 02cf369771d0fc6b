/* Patches: content types, the RFC 6902 builder, and the RFC 7386 diff (exact
 * output, plus a property check: applying the diff to the old value gives the
 * new one, over generated pairs). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kube/json.h>
#include <kube/patch.h>
#include "failmalloc.h"

#define EXPECT_ERR(call, ecode, needle)                                              \
    do {                                                                            \
        ck_assert_int_eq((call), (ecode));                                           \
        ck_assert_msg(strstr(kube_error_last()->message, (needle)) != NULL,         \
                      "message \"%s\" lacks \"%s\"", kube_error_last()->message, (needle)); \
    } while (0)

static kube_json_doc_t *parse(const char *text)
{
    kube_json_doc_t *d = NULL;
    ck_assert_int_eq(kube_json_parse(&d, text, strlen(text), NULL), KUBE_OK);
    return d;
}

static const char *patch_text(const kube_json_patch_t *p)
{
    kube_body_t b = kube_json_patch_body(p);
    ck_assert_int_eq(b.kind, KUBE_BODY_BYTES);
    ck_assert_uint_eq(strlen((const char *)b.bytes), b.len);
    return (const char *)b.bytes;
}

START_TEST(content_types)
{
    ck_assert_str_eq(kube_patch_content_type(KUBE_PATCH_MERGE), "application/merge-patch+json");
    ck_assert_str_eq(kube_patch_content_type(KUBE_PATCH_JSON), "application/json-patch+json");
    ck_assert_str_eq(kube_patch_content_type(KUBE_PATCH_STRATEGIC), "application/strategic-merge-patch+json");
    ck_assert_str_eq(kube_patch_content_type(KUBE_PATCH_APPLY), "application/apply-patch+yaml");
    ck_assert_ptr_null(kube_patch_content_type((kube_patch_type_t)0));
    ck_assert_ptr_null(kube_patch_content_type((kube_patch_type_t)5));
}
END_TEST

START_TEST(json_patch_ops)
{
    kube_json_patch_t *p = NULL;
    kube_json_doc_t *d = parse("{\"b\":[1,true,null]}");
    kube_json_mut_doc_t *md = NULL;
    kube_json_mut_t *mv;
    kube_buf_t ptr;
    ck_assert_int_eq(kube_json_patch_new(&p, NULL), KUBE_OK);
    ck_assert_str_eq(patch_text(p), "[]");
    ck_assert_uint_eq(kube_json_patch_count(p), 0);
    ck_assert_int_eq(kube_json_patch_test(p, "/metadata/resourceVersion", kube_body_string("42")), KUBE_OK);
    kube_buf_init(&ptr, NULL);
    ck_assert_int_eq(kube_buf_puts(&ptr, "/metadata/labels"), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_pointer_append(&ptr, "app.kubernetes.io/name"), KUBE_OK);
    ck_assert_str_eq(ptr.ptr, "/metadata/labels/app.kubernetes.io~1name");
    ck_assert_int_eq(kube_json_patch_add(p, ptr.ptr, kube_body_string("we\"b\n")), KUBE_OK);
    kube_buf_clear(&ptr);
    ck_assert_int_eq(kube_json_patch_pointer_append(&ptr, "a~b/c~1"), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_pointer_append(&ptr, ""), KUBE_OK);
    ck_assert_str_eq(ptr.ptr, "/a~0b~1c~01/");
    ck_assert_int_eq(kube_json_patch_remove(p, ptr.ptr), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_replace(p, "/spec/replicas", kube_body_bytes("3", 1)), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_move(p, "/a", "/b"), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_copy(p, "/b", "/spec/containers/-"), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_add(p, "", kube_body_json(kube_json_doc_root(d))), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_doc_new(&md, NULL), KUBE_OK);
    mv = kube_json_mut_bool(md, 0);
    ck_assert_int_eq(kube_json_patch_add(p, "/x", kube_body_json_mut(mv)), KUBE_OK);
    ck_assert_uint_eq(kube_json_patch_count(p), 8);
    ck_assert_str_eq(patch_text(p),
        "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"42\"},"
        "{\"op\":\"add\",\"path\":\"/metadata/labels/app.kubernetes.io~1name\",\"value\":\"we\\\"b\\n\"},"
        "{\"op\":\"remove\",\"path\":\"/a~0b~1c~01/\"},"
        "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3},"
        "{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/b\"},"
        "{\"op\":\"copy\",\"from\":\"/b\",\"path\":\"/spec/containers/-\"},"
        "{\"op\":\"add\",\"path\":\"\",\"value\":{\"b\":[1,true,null]}},"
        "{\"op\":\"add\",\"path\":\"/x\",\"value\":false}]");
    /* The text is valid JSON. */
    {
        kube_json_doc_t *check = parse(patch_text(p));
        ck_assert_uint_eq(kube_json_size(kube_json_doc_root(check)), 8);
        kube_json_doc_free(check);
    }
    kube_buf_dispose(&ptr);
    kube_json_mut_doc_free(md);
    kube_json_doc_free(d);
    kube_json_patch_free(p);
    kube_json_patch_free(NULL);
}
END_TEST

START_TEST(json_patch_errors_leave_it_unchanged)
{
    kube_json_patch_t *p = NULL;
    kube_body_t none = {KUBE_BODY_NONE, NULL, 0, NULL, NULL};
    kube_body_t b;
    ck_assert_int_eq(kube_json_patch_new(&p, NULL), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_remove(p, "/a"), KUBE_OK);
    EXPECT_ERR(kube_json_patch_remove(p, "a"), KUBE_EINVAL, "must be empty or start with '/'");
    EXPECT_ERR(kube_json_patch_remove(p, "/a~2"), KUBE_EINVAL, "'~' must be followed by 0 or 1 (byte 2)");
    EXPECT_ERR(kube_json_patch_remove(p, "/a~"), KUBE_EINVAL, "'~' must be followed");
    EXPECT_ERR(kube_json_patch_remove(p, NULL), KUBE_EINVAL, "path is NULL");
    EXPECT_ERR(kube_json_patch_move(p, NULL, "/a"), KUBE_EINVAL, "from is NULL");
    EXPECT_ERR(kube_json_patch_copy(p, "x", "/a"), KUBE_EINVAL, "from \"x\"");
    EXPECT_ERR(kube_json_patch_add(p, "/a", none), KUBE_EINVAL, "needs a value");
    EXPECT_ERR(kube_json_patch_test(p, "/a", kube_body_bytes("", 0)), KUBE_EINVAL, "needs a value");
    EXPECT_ERR(kube_json_patch_replace(p, "/a", kube_body_string("\xc0\x80")), KUBE_EINVAL, "UTF-8");
    EXPECT_ERR(kube_json_patch_replace(p, "/\xff", kube_body_string("x")), KUBE_EINVAL, "UTF-8");
    EXPECT_ERR(kube_json_patch_add(p, "/a", kube_body_json(NULL)), KUBE_EINVAL, "NULL JSON value");
    EXPECT_ERR(kube_json_patch_add(NULL, "/a", kube_body_string("x")), KUBE_EINVAL, "NULL patch");
    ck_assert_str_eq(patch_text(p), "[{\"op\":\"remove\",\"path\":\"/a\"}]");
    ck_assert_uint_eq(kube_json_patch_count(p), 1);
    b = kube_json_patch_body(NULL);
    ck_assert_int_eq(b.kind, KUBE_BODY_NONE);
    ck_assert_uint_eq(kube_json_patch_count(NULL), 0);
    EXPECT_ERR(kube_json_patch_new(NULL, NULL), KUBE_EINVAL, "NULL out");
    EXPECT_ERR(kube_json_patch_pointer_append(NULL, "x"), KUBE_EINVAL, "NULL argument");
    kube_json_patch_free(p);
}
END_TEST

START_TEST(json_patch_out_of_memory)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    for (long n = 0;; n++) {
        kube_json_patch_t *p = NULL;
        kube_error_t rc;
        int ops = 0;
        failmalloc_reset(&fm, n);
        rc = kube_json_patch_new(&p, &mem);
        while (rc == KUBE_OK && ops < 40) {
            rc = kube_json_patch_add(p, "/metadata/annotations/some.long.annotation~1key",
                                     kube_body_string("a value long enough to make the buffer grow"));
            if (rc == KUBE_OK)
                ops++;
        }
        if (p) {
            /* After a failure the patch still holds the complete earlier ops. */
            kube_json_doc_t *d = parse(patch_text(p));
            ck_assert_uint_eq(kube_json_size(kube_json_doc_root(d)), (size_t)ops);
            kube_json_doc_free(d);
        }
        kube_json_patch_free(p);
        ck_assert_int_eq(fm.live, 0);
        if (rc == KUBE_OK)
            break;
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_int_lt(n, 1000);
    }
}
END_TEST

/* ---- merge diff ---- */

static void expect_diff(const char *from, const char *to, const char *want)
{
    kube_json_doc_t *a = parse(from), *b = parse(to);
    kube_buf_t out;
    kube_buf_init(&out, NULL);
    ck_assert_int_eq(kube_buf_puts(&out, ">"), KUBE_OK);
    ck_assert_int_eq(kube_merge_patch_diff(&out, kube_json_doc_root(a), kube_json_doc_root(b)), KUBE_OK);
    ck_assert_str_eq(out.ptr + 1, want);
    kube_buf_dispose(&out);
    kube_json_doc_free(a);
    kube_json_doc_free(b);
}

START_TEST(merge_diff_exact)
{
    expect_diff("{}", "{}", "{}");
    expect_diff("{\"a\":1}", "{\"a\":1}", "{}");
    expect_diff("{\"a\":1}", "{\"a\":2}", "{\"a\":2}");
    expect_diff("{\"a\":1,\"b\":2}", "{\"b\":2}", "{\"a\":null}");
    expect_diff("{\"a\":1}", "{\"a\":1,\"c\":[1,2]}", "{\"c\":[1,2]}");
    expect_diff("{\"a\":[1,2]}", "{\"a\":[1,2,3]}", "{\"a\":[1,2,3]}");
    expect_diff("{\"a\":[1,2]}", "{\"a\":[1,2]}", "{}");
    expect_diff("{\"m\":{\"labels\":{\"x\":\"1\",\"y\":\"2\"},\"name\":\"n\"}}",
                "{\"m\":{\"labels\":{\"x\":\"1\",\"z\":\"3\"},\"name\":\"n\"}}",
                "{\"m\":{\"labels\":{\"z\":\"3\",\"y\":null}}}");
    expect_diff("{\"a\":{\"b\":1}}", "{\"a\":5}", "{\"a\":5}");
    expect_diff("{\"a\":5}", "{\"a\":{\"b\":1}}", "{\"a\":{\"b\":1}}");
    expect_diff("{\"a\":1}", "[1]", "[1]");
    expect_diff("[1]", "{\"a\":1}", "{\"a\":1}");
    expect_diff("\"x\"", "null", "null");
    /* A new null member cannot be expressed; an empty nested diff disappears. */
    expect_diff("{}", "{\"a\":null}", "{}");
    expect_diff("{\"x\":{}}", "{\"x\":{\"a\":null}}", "{}");
    expect_diff("{\"a\":1}", "{\"a\":null}", "{\"a\":null}");
    /* Member order: to's order, then deletions in from's order. */
    expect_diff("{\"d1\":1,\"k\":1,\"d2\":2}", "{\"n2\":2,\"k\":2,\"n1\":1}",
                "{\"n2\":2,\"k\":2,\"n1\":1,\"d1\":null,\"d2\":null}");
    /* Numbers compare by value, objects ignore order. */
    expect_diff("{\"a\":1.0,\"o\":{\"x\":1,\"y\":2}}", "{\"a\":1,\"o\":{\"y\":2,\"x\":1}}", "{}");
    /* Keys and strings are re-escaped. */
    expect_diff("{}", "{\"a\\\"b\":\"\\u2028\\t\"}", "{\"a\\\"b\":\"\\u2028\\t\"}");
    /* Duplicates: the last occurrence counts. */
    expect_diff("{\"a\":1,\"a\":2}", "{\"a\":2}", "{}");
    expect_diff("{\"a\":2}", "{\"a\":1,\"a\":2}", "{}");
}
END_TEST

START_TEST(merge_diff_large_objects)
{
    /* More than 16 members: the sorted index path, including duplicates. */
    char from[4096], to[4096], want[4096];
    size_t f = 0, t = 0;
    f += (size_t)snprintf(from + f, sizeof from - f, "{");
    t += (size_t)snprintf(to + t, sizeof to - t, "{");
    for (int i = 0; i < 40; i++) {
        f += (size_t)snprintf(from + f, sizeof from - f, "%s\"k%02d\":%d", i ? "," : "", i, i);
        if (i % 5 != 0)
            t += (size_t)snprintf(to + t, sizeof to - t, "%s\"k%02d\":%d", t > 1 ? "," : "", i,
                                  i % 3 == 0 ? i + 100 : i);
    }
    t += (size_t)snprintf(to + t, sizeof to - t, ",\"new\":true,\"k01\":1}");
    snprintf(from + f, sizeof from - f, ",\"k39\":39}");
    strcpy(want, "{\"k03\":103,\"k06\":106,\"k09\":109,\"k12\":112,\"k18\":118,\"k21\":121,"
                 "\"k24\":124,\"k27\":127,\"k33\":133,\"k36\":136,\"k39\":139,\"new\":true,"
                 "\"k00\":null,\"k05\":null,\"k10\":null,\"k15\":null,\"k20\":null,\"k25\":null,"
                 "\"k30\":null,\"k35\":null}");
    expect_diff(from, to, want);
}
END_TEST

/* A test-side RFC 7386 apply, to check diff(from, to) applied to from == to. */
static kube_json_mut_t *merge_apply(kube_json_mut_doc_t *d, kube_json_mut_t *target,
                                    const kube_json_t *patch)
{
    kube_json_iter_t it;
    const kube_json_t *v;
    const char *k;
    if (kube_json_type(patch) != KUBE_JSON_OBJECT)
        return kube_json_mut_copy(d, patch);
    if (kube_json_mut_type(target) != KUBE_JSON_OBJECT)
        target = kube_json_mut_obj(d);
    kube_json_iter_init(&it, patch);
    while ((v = kube_json_iter_next(&it, &k, NULL)) != NULL) {
        if (kube_json_type(v) == KUBE_JSON_NULL) {
            kube_json_mut_obj_remove(target, k);
        } else {
            kube_json_mut_t *cur = kube_json_mut_obj_get(target, k);
            kube_json_mut_t *nv = merge_apply(d, cur, v);
            if (nv != cur) /* an object patched in place is already attached */
                ck_assert_int_eq(kube_json_mut_obj_set(target, k, nv), KUBE_OK);
        }
    }
    return target;
}

static unsigned int rng_state = 12345;
static unsigned int rnd(unsigned int n)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 16) % n;
}

static void gen_value(kube_buf_t *b, int depth, int allow_null)
{
    static const char *const keys[] = {"a", "b", "c", "d", "e/f", "~g"};
    unsigned int kind = rnd(depth > 3 ? 4 : 7);
    switch (kind) {
    case 0: kube_buf_printf(b, "%u", rnd(3)); break;
    case 1: kube_buf_puts(b, rnd(2) ? "\"s\"" : "\"t\""); break;
    case 2: kube_buf_puts(b, allow_null && rnd(2) ? "null" : "true"); break;
    case 3: {
        unsigned int n = rnd(4);
        kube_buf_puts(b, "[");
        for (unsigned int i = 0; i < n; i++) {
            if (i)
                kube_buf_puts(b, ",");
            gen_value(b, depth + 2, allow_null);
        }
        kube_buf_puts(b, "]");
        break;
    }
    default: {
        unsigned int n = rnd(5), used = 0;
        kube_buf_puts(b, "{");
        for (unsigned int i = 0; i < 6 && n; i++) {
            if (rnd(2))
                continue;
            kube_buf_printf(b, "%s\"%s\":", used++ ? "," : "", keys[i]);
            gen_value(b, depth + 1, allow_null);
            n--;
        }
        kube_buf_puts(b, "}");
    }
    }
}

START_TEST(merge_diff_property)
{
    for (int round = 0; round < 500; round++) {
        kube_buf_t a, b, p;
        kube_json_doc_t *da, *db, *dp, *result = NULL;
        kube_json_mut_doc_t *md = NULL;
        kube_json_mut_t *applied;
        kube_buf_init(&a, NULL);
        kube_buf_init(&b, NULL);
        kube_buf_init(&p, NULL);
        kube_buf_puts(&a, "{\"x\":");
        gen_value(&a, 0, 1);
        kube_buf_puts(&a, ",\"y\":");
        gen_value(&a, 0, 1);
        kube_buf_puts(&a, "}");
        kube_buf_puts(&b, "{\"x\":");
        gen_value(&b, 0, 0);
        kube_buf_puts(&b, ",\"z\":");
        gen_value(&b, 0, 0);
        kube_buf_puts(&b, "}");
        da = parse(a.ptr);
        db = parse(b.ptr);
        ck_assert_int_eq(kube_merge_patch_diff(&p, kube_json_doc_root(da), kube_json_doc_root(db)), KUBE_OK);
        dp = parse(p.ptr);
        ck_assert_int_eq(kube_json_mut_doc_new(&md, NULL), KUBE_OK);
        applied = merge_apply(md, kube_json_mut_copy(md, kube_json_doc_root(da)), kube_json_doc_root(dp));
        ck_assert_int_eq(kube_json_mut_freeze(&result, applied, NULL), KUBE_OK);
        ck_assert_msg(kube_json_equal(kube_json_doc_root(result), kube_json_doc_root(db)),
                      "from %s to %s: patch %s", a.ptr, b.ptr, p.ptr);
        /* And the diff of equal values is empty. */
        kube_buf_clear(&p);
        ck_assert_int_eq(kube_merge_patch_diff(&p, kube_json_doc_root(db), kube_json_doc_root(result)), KUBE_OK);
        ck_assert_str_eq(p.ptr, "{}");
        kube_json_doc_free(result);
        kube_json_mut_doc_free(md);
        kube_json_doc_free(dp);
        kube_json_doc_free(da);
        kube_json_doc_free(db);
        kube_buf_dispose(&a);
        kube_buf_dispose(&b);
        kube_buf_dispose(&p);
    }
}
END_TEST

START_TEST(merge_diff_errors_and_oom)
{
    kube_json_doc_t *a = NULL, *b = NULL;
    kube_buf_t out;
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    char big_a[2048], big_b[2048];
    size_t fa = 0, fb = 0;
    fa += (size_t)snprintf(big_a, sizeof big_a, "{\"spec\":{");
    fb += (size_t)snprintf(big_b, sizeof big_b, "{\"spec\":{");
    for (int i = 0; i < 30; i++) {
        fa += (size_t)snprintf(big_a + fa, sizeof big_a - fa, "%s\"key%d\":\"value %d\"", i ? "," : "", i, i);
        fb += (size_t)snprintf(big_b + fb, sizeof big_b - fb, "%s\"key%d\":\"value %d\"", i ? "," : "", i,
                               i * 7);
    }
    snprintf(big_a + fa, sizeof big_a - fa, "}}");
    snprintf(big_b + fb, sizeof big_b - fb, "}}");
    a = parse(big_a);
    b = parse(big_b);
    kube_buf_init(&out, NULL);
    EXPECT_ERR(kube_merge_patch_diff(NULL, kube_json_doc_root(a), kube_json_doc_root(b)), KUBE_EINVAL, "NULL");
    EXPECT_ERR(kube_merge_patch_diff(&out, NULL, kube_json_doc_root(b)), KUBE_EINVAL, "NULL");
    EXPECT_ERR(kube_merge_patch_diff(&out, kube_json_doc_root(a), NULL), KUBE_EINVAL, "NULL");
    kube_buf_dispose(&out);
    for (long n = 0;; n++) {
        kube_error_t rc;
        failmalloc_reset(&fm, n);
        kube_buf_init(&out, &mem);
        ck_assert_int_eq(kube_buf_puts(&out, "keep"), n == 0 ? KUBE_ENOMEM : KUBE_OK);
        if (n == 0) {
            kube_buf_dispose(&out);
            continue;
        }
        rc = kube_merge_patch_diff(&out, kube_json_doc_root(a), kube_json_doc_root(b));
        if (rc == KUBE_OK) {
            {
                const char *head = "keep{\"spec\":{\"key1\":\"value 7\",";
                ck_assert(strncmp(out.ptr, head, strlen(head)) == 0);
            }
            kube_buf_dispose(&out);
            ck_assert_int_eq(fm.live, 0);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_str_eq(out.ptr, "keep");
        kube_buf_dispose(&out);
        ck_assert_int_eq(fm.live, 0);
        ck_assert_int_lt(n, 1000);
    }
    kube_json_doc_free(a);
    kube_json_doc_free(b);
}
END_TEST

/* ---- RFC 6902 diff ---- */

static void expect_jdiff(const char *from, const char *to, const char *want)
{
    kube_json_doc_t *a = parse(from), *b = parse(to);
    kube_json_patch_t *p = NULL;
    ck_assert_int_eq(kube_json_patch_new(&p, NULL), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_diff(p, kube_json_doc_root(a), kube_json_doc_root(b)), KUBE_OK);
    ck_assert_str_eq(patch_text(p), want);
    kube_json_patch_free(p);
    kube_json_doc_free(a);
    kube_json_doc_free(b);
}

START_TEST(json_patch_diff_exact)
{
    expect_jdiff("{\"a\":1}", "{\"a\":1}", "[]");
    expect_jdiff("1", "2", "[{\"op\":\"replace\",\"path\":\"\",\"value\":2}]");
    expect_jdiff("{\"a\":1,\"b\":2}", "{\"b\":3,\"c\":{\"d\":null}}",
                 "[{\"op\":\"remove\",\"path\":\"/a\"},{\"op\":\"replace\",\"path\":\"/b\",\"value\":3},"
                 "{\"op\":\"add\",\"path\":\"/c\",\"value\":{\"d\":null}}]");
    expect_jdiff("{\"metadata\":{\"labels\":{\"app.kubernetes.io/name\":\"x\",\"a~b\":\"1\"}}}",
                 "{\"metadata\":{\"labels\":{\"app.kubernetes.io/name\":\"y\"}}}",
                 "[{\"op\":\"remove\",\"path\":\"/metadata/labels/a~0b\"},"
                 "{\"op\":\"replace\",\"path\":\"/metadata/labels/app.kubernetes.io~1name\",\"value\":\"y\"}]");
    expect_jdiff("{\"l\":[1,{\"x\":1},3]}", "{\"l\":[1,{\"x\":2},3,4,5]}",
                 "[{\"op\":\"replace\",\"path\":\"/l/1/x\",\"value\":2},"
                 "{\"op\":\"add\",\"path\":\"/l/-\",\"value\":4},{\"op\":\"add\",\"path\":\"/l/-\",\"value\":5}]");
    expect_jdiff("[1,2,3,4]", "[0,2]",
                 "[{\"op\":\"replace\",\"path\":\"/0\",\"value\":0},"
                 "{\"op\":\"remove\",\"path\":\"/3\"},{\"op\":\"remove\",\"path\":\"/2\"}]");
    expect_jdiff("{\"a\":[1]}", "{\"a\":{\"0\":1}}",
                 "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":{\"0\":1}}]");
    expect_jdiff("{\"a\":null}", "{\"a\":false}", "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":false}]");
    expect_jdiff("{\"a\":1.0}", "{\"a\":1}", "[]");
}
END_TEST

/* A test-side RFC 6902 applier for the ops kube_json_patch_diff() emits. */
static kube_json_mut_t *jp_apply(kube_json_mut_doc_t *d, kube_json_mut_t *root, const kube_json_t *patch)
{
    kube_json_iter_t it;
    const kube_json_t *op;
    kube_json_iter_init(&it, patch);
    while ((op = kube_json_iter_next(&it, NULL, NULL)) != NULL) {
        const char *kind = kube_json_string(kube_json_get(op, "op"));
        const char *path = kube_json_string(kube_json_get(op, "path"));
        const kube_json_t *value = kube_json_get(op, "value");
        kube_json_mut_t *parent = NULL, *cur = root;
        char seg[256];
        const char *p = path;
        ck_assert_ptr_nonnull(kind);
        ck_assert_ptr_nonnull(path);
        if (!*path) {
            ck_assert_str_eq(kind, "replace");
            root = kube_json_mut_copy(d, value);
            continue;
        }
        while (*p) {
            size_t n = 0;
            ck_assert_int_eq(*p, '/');
            p++;
            while (*p && *p != '/') {
                if (*p == '~') {
                    seg[n++] = p[1] == '0' ? '~' : '/';
                    p += 2;
                } else {
                    seg[n++] = *p++;
                }
            }
            seg[n] = '\0';
            parent = cur;
            if (*p) {
                cur = kube_json_mut_type(parent) == KUBE_JSON_OBJECT ? kube_json_mut_obj_get(parent, seg)
                                                                     : kube_json_mut_at(parent, (size_t)atol(seg));
                ck_assert_ptr_nonnull(cur);
            }
        }
        if (kube_json_mut_type(parent) == KUBE_JSON_OBJECT) {
            if (strcmp(kind, "remove") == 0)
                ck_assert_int_eq(kube_json_mut_obj_remove(parent, seg), 1);
            else
                ck_assert_int_eq(kube_json_mut_obj_set(parent, seg, kube_json_mut_copy(d, value)), KUBE_OK);
        } else {
            ck_assert_int_eq(kube_json_mut_type(parent), KUBE_JSON_ARRAY);
            if (strcmp(kind, "add") == 0 && strcmp(seg, "-") == 0) {
                ck_assert_int_eq(kube_json_mut_arr_append(parent, kube_json_mut_copy(d, value)), KUBE_OK);
            } else {
                size_t i = (size_t)atol(seg);
                if (strcmp(kind, "add") != 0)
                    ck_assert_ptr_nonnull(kube_json_mut_arr_remove(parent, i));
                if (strcmp(kind, "remove") != 0)
                    ck_assert_int_eq(kube_json_mut_arr_insert(parent, i, kube_json_mut_copy(d, value)), KUBE_OK);
            }
        }
    }
    return root;
}

START_TEST(json_patch_diff_property)
{
    for (int round = 0; round < 500; round++) {
        kube_buf_t a, b;
        kube_json_doc_t *da, *db, *dp, *result = NULL;
        kube_json_mut_doc_t *md = NULL;
        kube_json_patch_t *p = NULL;
        kube_json_mut_t *applied;
        kube_buf_init(&a, NULL);
        kube_buf_init(&b, NULL);
        gen_value(&a, 0, 1);
        gen_value(&b, 0, 1);
        da = parse(a.ptr);
        db = parse(b.ptr);
        ck_assert_int_eq(kube_json_patch_new(&p, NULL), KUBE_OK);
        ck_assert_int_eq(kube_json_patch_diff(p, kube_json_doc_root(da), kube_json_doc_root(db)), KUBE_OK);
        dp = parse(patch_text(p));
        ck_assert_int_eq(kube_json_mut_doc_new(&md, NULL), KUBE_OK);
        applied = jp_apply(md, kube_json_mut_copy(md, kube_json_doc_root(da)), kube_json_doc_root(dp));
        ck_assert_int_eq(kube_json_mut_freeze(&result, applied, NULL), KUBE_OK);
        ck_assert_msg(kube_json_equal(kube_json_doc_root(result), kube_json_doc_root(db)),
                      "from %s to %s: patch %s", a.ptr, b.ptr, patch_text(p));
        kube_json_doc_free(result);
        kube_json_mut_doc_free(md);
        kube_json_doc_free(dp);
        kube_json_patch_free(p);
        kube_json_doc_free(da);
        kube_json_doc_free(db);
        kube_buf_dispose(&a);
        kube_buf_dispose(&b);
    }
}
END_TEST

START_TEST(json_patch_diff_errors_and_oom)
{
    kube_json_doc_t *a = parse("{\"spec\":{\"replicas\":1,\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}}},"
                               "\"list\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}}");
    kube_json_doc_t *b = parse("{\"spec\":{\"replicas\":3,\"template\":{\"metadata\":{\"labels\":{\"c\":\"d\"}}},"
                               "\"list\":[0]},\"status\":{}}");
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    kube_json_patch_t *p = NULL;
    ck_assert_int_eq(kube_json_patch_new(&p, NULL), KUBE_OK);
    EXPECT_ERR(kube_json_patch_diff(NULL, kube_json_doc_root(a), kube_json_doc_root(b)), KUBE_EINVAL, "NULL");
    EXPECT_ERR(kube_json_patch_diff(p, NULL, kube_json_doc_root(b)), KUBE_EINVAL, "NULL");
    EXPECT_ERR(kube_json_patch_diff(p, kube_json_doc_root(a), NULL), KUBE_EINVAL, "NULL");
    kube_json_patch_free(p);
    for (long n = 1;; n++) {
        kube_error_t rc;
        char *before;
        failmalloc_reset(&fm, -1);
        p = NULL;
        ck_assert_int_eq(kube_json_patch_new(&p, &mem), KUBE_OK);
        ck_assert_int_eq(kube_json_patch_test(p, "/metadata/resourceVersion", kube_body_string("5")), KUBE_OK);
        before = strdup(patch_text(p));
        fm.fail_at = fm.calls + n - 1;
        rc = kube_json_patch_diff(p, kube_json_doc_root(a), kube_json_doc_root(b));
        if (rc == KUBE_OK) {
            ck_assert_uint_eq(kube_json_patch_count(p), 1 + 1 + 1 + 1 + 1 + 19 + 1);
            free(before);
            kube_json_patch_free(p);
            ck_assert_int_eq(fm.live, 0);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_str_eq(patch_text(p), before);
        ck_assert_uint_eq(kube_json_patch_count(p), 1);
        free(before);
        kube_json_patch_free(p);
        ck_assert_int_eq(fm.live, 0);
        ck_assert_int_lt(n, 1000);
    }
    kube_json_doc_free(a);
    kube_json_doc_free(b);
}
END_TEST

Suite *kube_test_patch_suite(void)
{
    Suite *s = suite_create("patch");
    TCase *tc = tcase_create("patch");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, content_types);
    tcase_add_test(tc, json_patch_ops);
    tcase_add_test(tc, json_patch_errors_leave_it_unchanged);
    tcase_add_test(tc, json_patch_out_of_memory);
    tcase_add_test(tc, merge_diff_exact);
    tcase_add_test(tc, merge_diff_large_objects);
    tcase_add_test(tc, merge_diff_property);
    tcase_add_test(tc, merge_diff_errors_and_oom);
    tcase_add_test(tc, json_patch_diff_exact);
    tcase_add_test(tc, json_patch_diff_property);
    tcase_add_test(tc, json_patch_diff_errors_and_oom);
    suite_add_tcase(s, tc);
    return s;
}
