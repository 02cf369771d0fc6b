#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kube/object.h>
#include <kube/json.h>
#include <kube/error.h>
#include "failmalloc.h"
#include "fixture.h"

static kube_json_doc_t *load(const char *name)
{
    size_t len;
    char *text = kube_test_read_fixture(name, &len);
    kube_json_doc_t *d = NULL;
    ck_assert_int_eq(kube_json_parse(&d, text, len, NULL), KUBE_OK);
    free(text);
    return d;
}

static kube_json_doc_t *parse(const char *text)
{
    kube_json_doc_t *d = NULL;
    ck_assert_msg(kube_json_parse(&d, text, strlen(text), NULL) == KUBE_OK, "%s", kube_error_last()->message);
    return d;
}

static void expect_mut_json(const kube_json_mut_t *v, const char *want)
{
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_json_mut_write(&b, v, 0), KUBE_OK);
    ck_assert_msg(strcmp(b.ptr, want) == 0, "got  %s\nwant %s", b.ptr, want);
    kube_buf_dispose(&b);
}

START_TEST(accessors)
{
    kube_json_doc_t *d = load("object/pod.json");
    const kube_json_t *pod = kube_json_doc_root(d);
    kube_gvk_t gvk;
    kube_owner_ref_t ref;
    kube_json_iter_t it;
    const char *key;
    const kube_json_t *v;
    int n = 0;

    ck_assert_str_eq(kube_object_name(pod), "web-7d4b9c8f5-x2x9k");
    ck_assert_str_eq(kube_object_generate_name(pod), "web-7d4b9c8f5-");
    ck_assert_str_eq(kube_object_name_any(pod), "web-7d4b9c8f5-x2x9k");
    ck_assert_str_eq(kube_object_namespace(pod), "prod");
    ck_assert_str_eq(kube_object_uid(pod), "0b6f2c3e-6a1d-4c2e-9f0a-1c2d3e4f5a6b");
    ck_assert_str_eq(kube_object_resource_version(pod), "48213");
    ck_assert_int_eq(kube_object_generation(pod), 3);
    ck_assert_str_eq(kube_object_creation_timestamp(pod), "2026-11-21T10:15:30Z");
    ck_assert_str_eq(kube_object_deletion_timestamp(pod), "2026-11-22T00:00:00Z");
    ck_assert_int_eq(kube_object_is_deleting(pod), 1);
    ck_assert_str_eq(kube_object_api_version(pod), "v1");
    ck_assert_str_eq(kube_object_kind(pod), "Pod");
    ck_assert_int_eq(kube_object_gvk(&gvk, pod), KUBE_OK);
    ck_assert_str_eq(gvk.group, "");
    ck_assert_str_eq(gvk.kind, "Pod");
    ck_assert_str_eq(kube_object_label(pod, "app"), "web");
    ck_assert_str_eq(kube_object_label(pod, "app.kubernetes.io/part-of"), "shop");
    ck_assert_ptr_null(kube_object_label(pod, "nope"));
    ck_assert_ptr_null(kube_object_label(pod, NULL));
    ck_assert_str_eq(kube_object_annotation(pod, "prometheus.io/scrape"), "true");
    kube_json_iter_init(&it, kube_object_labels(pod));
    while ((v = kube_json_iter_next(&it, &key, NULL))) {
        ck_assert_ptr_nonnull(kube_json_string(v));
        n++;
    }
    ck_assert_int_eq(n, 3);
    ck_assert_uint_eq(kube_json_size(kube_object_annotations(pod)), 2);
    ck_assert_int_eq(kube_object_has_finalizer(pod, "example.com/cleanup"), 1);
    ck_assert_int_eq(kube_object_has_finalizer(pod, "foregroundDeletion"), 1);
    ck_assert_int_eq(kube_object_has_finalizer(pod, "example.com"), 0);
    ck_assert_int_eq(kube_object_has_finalizer(pod, NULL), 0);
    ck_assert_uint_eq(kube_json_size(kube_object_finalizers(pod)), 2);

    ck_assert_uint_eq(kube_object_owner_ref_count(pod), 2);
    ck_assert_int_eq(kube_object_owner_ref(&ref, pod, 0), KUBE_OK);
    ck_assert_str_eq(ref.kind, "Shop");
    ck_assert_int_eq(ref.controller, 0);
    ck_assert_int_eq(ref.block_owner_deletion, 0);
    ck_assert_int_eq(kube_object_owner_ref(&ref, pod, 2), KUBE_ENOTFOUND);
    ck_assert_int_eq(kube_object_controller(&ref, pod), KUBE_OK);
    ck_assert_str_eq(ref.api_version, "apps/v1");
    ck_assert_str_eq(ref.kind, "ReplicaSet");
    ck_assert_str_eq(ref.name, "web-7d4b9c8f5");
    ck_assert_str_eq(ref.uid, "5c1b2a3d-0000-4000-8000-abcdefabcdef");
    ck_assert_int_eq(ref.controller, 1);
    ck_assert_int_eq(ref.block_owner_deletion, 1);

    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_object_key(&b, pod), KUBE_OK);
    ck_assert_str_eq(b.ptr, "prod/web-7d4b9c8f5-x2x9k");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_object_key_format(&b, "", "node-a"), KUBE_OK);
    ck_assert_str_eq(b.ptr, "node-a");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_object_key_format(&b, NULL, "n"), KUBE_OK);
    ck_assert_str_eq(b.ptr, "n");
    ck_assert_int_eq(kube_object_key_format(&b, "ns", ""), KUBE_EINVAL);
    ck_assert_int_eq(kube_object_key(&b, NULL), KUBE_EINVAL);
    size_t nslen = 99;
    const char *nm = NULL;
    ck_assert_int_eq(kube_object_key_split("prod/web", &nslen, &nm), KUBE_OK);
    ck_assert_uint_eq(nslen, 4);
    ck_assert_str_eq(nm, "web");
    ck_assert_int_eq(kube_object_key_split("node-a", &nslen, &nm), KUBE_OK);
    ck_assert_uint_eq(nslen, 0);
    ck_assert_str_eq(nm, "node-a");
    static const char *const badkeys[] = {"", "/x", "x/", "a/b/c", "/"};
    for (size_t i = 0; i < sizeof badkeys / sizeof badkeys[0]; i++)
        ck_assert_msg(kube_object_key_split(badkeys[i], &nslen, &nm) == KUBE_EINVAL, "%s", badkeys[i]);
    ck_assert_int_eq(kube_object_key_split(NULL, NULL, NULL), KUBE_EINVAL);
    kube_buf_dispose(&b);
    kube_json_doc_free(d);
}
END_TEST

START_TEST(absent_and_malformed)
{
    kube_json_doc_t *d = parse("[{}, {\"metadata\":7}, {\"metadata\":{\"name\":1,\"generation\":\"3\","
                               "\"labels\":[],\"finalizers\":{},\"deletionTimestamp\":null,"
                               "\"ownerReferences\":[5,{\"apiVersion\":\"v1\",\"kind\":\"X\",\"name\":\"n\"},"
                               "{\"apiVersion\":\"v1\",\"kind\":\"X\",\"name\":\"n\",\"uid\":\"u\",\"controller\":\"true\"}]},"
                               "\"apiVersion\":\"a/b/c\",\"kind\":\"K\"},"
                               "{\"metadata\":{\"generation\":99999999999999999999,\"ownerReferences\":["
                               "{\"controller\":true}]},\"kind\":\"K\"}]");
    const kube_json_t *root = kube_json_doc_root(d);
    kube_owner_ref_t ref;
    kube_gvk_t gvk;
    for (size_t i = 0; i < 4; i++) {
        const kube_json_t *o = kube_json_at(root, i);
        ck_assert_ptr_null(kube_object_name(o));
        ck_assert_ptr_null(kube_object_namespace(o));
        ck_assert_int_eq(kube_object_generation(o), 0);
        ck_assert_ptr_null(kube_object_labels(o));
        ck_assert_ptr_null(kube_object_finalizers(o));
        ck_assert_int_eq(kube_object_is_deleting(o), 0);
        ck_assert_int_eq(kube_object_has_finalizer(o, "x"), 0);
    }
    ck_assert_ptr_null(kube_object_name(NULL));
    ck_assert_ptr_null(kube_object_name_any(NULL));
    {
        kube_json_doc_t *g = parse("{\"metadata\":{\"generateName\":\"web-\"}}");
        ck_assert_str_eq(kube_object_name_any(kube_json_doc_root(g)), "web-");
        kube_json_doc_free(g);
    }
    ck_assert_int_eq(kube_object_generation(NULL), 0);
    ck_assert_int_eq(kube_object_gvk(&gvk, kube_json_at(root, 0)), KUBE_ENOTFOUND);
    ck_assert_int_eq(kube_object_gvk(&gvk, kube_json_at(root, 2)), KUBE_EINVAL);
    ck_assert_int_eq(kube_object_gvk(&gvk, kube_json_at(root, 3)), KUBE_ENOTFOUND);
    ck_assert_uint_eq(kube_object_owner_ref_count(kube_json_at(root, 2)), 3);
    ck_assert_int_eq(kube_object_owner_ref(&ref, kube_json_at(root, 2), 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_object_owner_ref(&ref, kube_json_at(root, 2), 1), KUBE_EINVAL);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "ownerReferences[1].uid"));
    ck_assert_int_eq(kube_object_owner_ref(&ref, kube_json_at(root, 2), 2), KUBE_OK);
    ck_assert_int_eq(ref.controller, 0);
    ck_assert_int_eq(kube_object_controller(&ref, kube_json_at(root, 2)), KUBE_ENOTFOUND);
    ck_assert_int_eq(kube_object_controller(&ref, kube_json_at(root, 3)), KUBE_EINVAL);
    kube_json_doc_free(d);
}
END_TEST

START_TEST(strip)
{
    kube_json_doc_t *d = load("object/pod.json"), *s1, *s2, *s3;
    const kube_json_t *pod = kube_json_doc_root(d);
    ck_assert_int_eq(kube_object_strip(&s1, pod, KUBE_OBJECT_STRIP_MANAGED_FIELDS, NULL), KUBE_OK);
    const kube_json_t *r1 = kube_json_doc_root(s1);
    ck_assert_ptr_null(kube_json_get(kube_object_metadata(r1), "managedFields"));
    ck_assert_ptr_nonnull(kube_object_annotation(r1, "kubectl.kubernetes.io/last-applied-configuration"));
    ck_assert(kube_json_equal(kube_json_get(pod, "spec"), kube_json_get(r1, "spec")));
    ck_assert(kube_json_equal(kube_json_get(pod, "status"), kube_json_get(r1, "status")));
    ck_assert_str_eq(kube_object_name(r1), kube_object_name(pod));
    ck_assert_uint_eq(kube_json_size(kube_object_metadata(r1)), kube_json_size(kube_object_metadata(pod)) - 1);
    ck_assert(kube_json_doc_heap_size(s1) < kube_json_doc_heap_size(d));

    ck_assert_int_eq(kube_object_strip(&s2, pod, KUBE_OBJECT_STRIP_MANAGED_FIELDS | KUBE_OBJECT_STRIP_LAST_APPLIED,
                                       NULL), KUBE_OK);
    const kube_json_t *r2 = kube_json_doc_root(s2);
    ck_assert_ptr_null(kube_object_annotation(r2, "kubectl.kubernetes.io/last-applied-configuration"));
    ck_assert_str_eq(kube_object_annotation(r2, "prometheus.io/scrape"), "true");
    ck_assert_uint_eq(kube_json_size(kube_object_annotations(r2)), 1);

    /* Stripping what is not there is a plain copy; the only annotation going drops the map. */
    kube_json_doc_t *d2 = parse("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"annotations\":"
                                "{\"kubectl.kubernetes.io/last-applied-configuration\":\"{}\"}},\"data\":{\"a\":\"1\"}}");
    ck_assert_int_eq(kube_object_strip(&s3, kube_json_doc_root(d2), KUBE_OBJECT_STRIP_LAST_APPLIED, NULL), KUBE_OK);
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_json_write(&b, kube_json_doc_root(s3), 0), KUBE_OK);
    ck_assert_str_eq(b.ptr, "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"1\"}}");
    kube_buf_dispose(&b);
    kube_json_doc_free(s3);
    ck_assert_int_eq(kube_object_strip(&s3, kube_json_doc_root(d2), 0, NULL), KUBE_OK);
    ck_assert(kube_json_equal(kube_json_doc_root(s3), kube_json_doc_root(d2)));
    kube_json_doc_free(s3);

    ck_assert_int_eq(kube_object_strip(&s3, kube_json_doc_root(d2), 0x80, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_object_strip(&s3, kube_json_get(kube_json_doc_root(d2), "kind"), 0, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_object_strip(&s3, NULL, 0, NULL), KUBE_EINVAL);
    kube_json_doc_free(d2);
    kube_json_doc_free(s1);
    kube_json_doc_free(s2);
    kube_json_doc_free(d);
}
END_TEST

/* The reference result built with the public mutable API: copy, remove, freeze. */
static kube_json_doc_t *strip_reference(const kube_json_t *obj, unsigned int flags)
{
    kube_json_mut_doc_t *md;
    kube_json_mut_t *root, *meta, *ann;
    kube_json_doc_t *out;
    ck_assert_int_eq(kube_json_mut_doc_new(&md, NULL), KUBE_OK);
    root = kube_json_mut_copy(md, obj);
    meta = kube_json_mut_obj_get(root, "metadata");
    if (kube_json_mut_type(meta) == KUBE_JSON_OBJECT) {
        if (flags & KUBE_OBJECT_STRIP_MANAGED_FIELDS)
            kube_json_mut_obj_remove(meta, "managedFields");
        ann = kube_json_mut_obj_get(meta, "annotations");
        if ((flags & KUBE_OBJECT_STRIP_LAST_APPLIED) && kube_json_mut_type(ann) == KUBE_JSON_OBJECT &&
            kube_json_mut_obj_remove(ann, "kubectl.kubernetes.io/last-applied-configuration") &&
            kube_json_mut_size(ann) == 0)
            kube_json_mut_obj_remove(meta, "annotations");
    }
    ck_assert_int_eq(kube_json_mut_freeze(&out, root, NULL), KUBE_OK);
    kube_json_mut_doc_free(md);
    return out;
}

START_TEST(strip_matches_reference)
{
    static const char *const docs[] = {
        "{}",
        "{\"metadata\":null}",
        "{\"metadata\":{}}",
        ("{\"a\":[1,{\"metadata\":{\"managedFields\":1}}],\"metadata\":{\"managedFields\":[{\"x\":{\"y\":[1,2]}}],"
        "\"name\":\"n\\u0000x\",\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{}\",\"b\":\"\"}},"
        "\"spec\":{\"metadata\":{\"managedFields\":[]}},\"z\":\"\\u00e9\"}"),
        ("{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{}\"},\"managedFields\":[]},"
        "\"metadata2\":{\"managedFields\":[]}}"),
        "{\"metadata\":{\"annotations\":[],\"managedFields\":{}},\"n\":-1.5e3,\"t\":true,\"f\":false,\"u\":18446744073709551615}",
    };
    kube_json_doc_t *pods = load("object/pod.json");
    for (size_t i = 0; i <= sizeof docs / sizeof docs[0]; i++) {
        kube_json_doc_t *src = i < sizeof docs / sizeof docs[0] ? parse(docs[i]) : kube_json_doc_ref(pods);
        for (unsigned flags = 0; flags < 4; flags++) {
            kube_json_doc_t *got, *want = strip_reference(kube_json_doc_root(src), flags);
            kube_buf_t a, b;
            ck_assert_int_eq(kube_object_strip(&got, kube_json_doc_root(src), flags, NULL), KUBE_OK);
            kube_buf_init(&a, NULL);
            kube_buf_init(&b, NULL);
            ck_assert_int_eq(kube_json_write(&a, kube_json_doc_root(got), 0), KUBE_OK);
            ck_assert_int_eq(kube_json_write(&b, kube_json_doc_root(want), 0), KUBE_OK);
            ck_assert_msg(a.size == b.size && memcmp(a.ptr, b.ptr, a.size) == 0, "doc %zu flags %u:\n got  %s\n want %s",
                          i, flags, a.ptr, b.ptr);
            ck_assert(kube_json_equal(kube_json_doc_root(got), kube_json_doc_root(want)));
            /* Never larger than the builder's copy, give or take the string block padding. */
            ck_assert_uint_le(kube_json_doc_heap_size(got), kube_json_doc_heap_size(want) + 32);
            kube_buf_dispose(&a);
            kube_buf_dispose(&b);
            kube_json_doc_free(want);
            kube_json_doc_free(got);
        }
        kube_json_doc_free(src);
    }
    /* The stripped copy outlives the source document. */
    kube_json_doc_t *copy;
    ck_assert_int_eq(kube_object_strip(&copy, kube_json_doc_root(pods), KUBE_OBJECT_STRIP_MANAGED_FIELDS, NULL),
                     KUBE_OK);
    kube_json_doc_free(pods);
    ck_assert_str_eq(kube_object_label(kube_json_doc_root(copy), "app"), "web");
    ck_assert_str_eq(kube_json_string(kube_json_pointer(kube_json_doc_root(copy), "/spec/containers/0/image")),
                     "nginx:1.27");
    kube_json_doc_free(copy);
}
END_TEST

START_TEST(strip_oom)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    kube_json_doc_t *d = load("object/pod.json");
    for (long n = 0;; n++) {
        kube_json_doc_t *s = NULL;
        failmalloc_reset(&fm, n);
        kube_error_t rc = kube_object_strip(&s, kube_json_doc_root(d),
                                            KUBE_OBJECT_STRIP_MANAGED_FIELDS | KUBE_OBJECT_STRIP_LAST_APPLIED, &mem);
        if (rc == KUBE_OK) {
            ck_assert_str_eq(kube_object_name(kube_json_doc_root(s)), "web-7d4b9c8f5-x2x9k");
            kube_json_doc_free(s);
            ck_assert_int_eq(fm.live, 0);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_ptr_null(s);
        ck_assert_int_eq(fm.live, 0);
        ck_assert_int_lt(n, 1000);
    }
    kube_json_doc_free(d);
}
END_TEST

START_TEST(references)
{
    kube_json_doc_t *d = load("object/pod.json");
    const kube_json_t *pod = kube_json_doc_root(d);
    kube_json_mut_doc_t *doc;
    kube_json_mut_t *v = NULL;
    static const kube_resource_t shops = {KUBE_RESOURCE_VERSION, "example.com", "v1", "Shop", "shops", "shop",
                                          KUBE_SCOPE_NAMESPACED, NULL};
    ck_assert_int_eq(kube_json_mut_doc_new(&doc, NULL), KUBE_OK);
    ck_assert_int_eq(kube_object_reference(&v, doc, pod, NULL, "spec.containers{web}"), KUBE_OK);
    expect_mut_json(v, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web-7d4b9c8f5-x2x9k\",\"namespace\":\"prod\","
                       "\"uid\":\"0b6f2c3e-6a1d-4c2e-9f0a-1c2d3e4f5a6b\",\"resourceVersion\":\"48213\","
                       "\"fieldPath\":\"spec.containers{web}\"}");
    ck_assert_int_eq(kube_object_owner_reference(&v, doc, pod, NULL,
                                                 KUBE_OWNER_REF_CONTROLLER | KUBE_OWNER_REF_BLOCK_OWNER_DELETION),
                     KUBE_OK);
    expect_mut_json(v, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web-7d4b9c8f5-x2x9k\","
                       "\"uid\":\"0b6f2c3e-6a1d-4c2e-9f0a-1c2d3e4f5a6b\",\"controller\":true,\"blockOwnerDeletion\":true}");
    ck_assert_int_eq(kube_object_owner_reference(&v, doc, pod, NULL, 0), KUBE_OK);
    expect_mut_json(v, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web-7d4b9c8f5-x2x9k\","
                       "\"uid\":\"0b6f2c3e-6a1d-4c2e-9f0a-1c2d3e4f5a6b\"}");
    ck_assert_int_eq(kube_object_owner_reference(&v, doc, pod, NULL, 4), KUBE_EINVAL);

    /* A list item without apiVersion/kind: the descriptor supplies them. */
    kube_json_doc_t *item = parse("{\"metadata\":{\"name\":\"s1\",\"uid\":\"u-1\"}}");
    v = NULL;
    ck_assert_int_eq(kube_object_reference(&v, doc, kube_json_doc_root(item), NULL, NULL), KUBE_EINVAL);
    ck_assert_ptr_null(v);
    ck_assert_int_eq(kube_object_reference(&v, doc, kube_json_doc_root(item), &shops, NULL), KUBE_OK);
    expect_mut_json(v, "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Shop\",\"name\":\"s1\",\"uid\":\"u-1\"}");
    ck_assert_int_eq(kube_object_owner_reference(&v, doc, kube_json_doc_root(item), &shops, KUBE_OWNER_REF_CONTROLLER),
                     KUBE_OK);
    expect_mut_json(v, "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Shop\",\"name\":\"s1\",\"uid\":\"u-1\","
                       "\"controller\":true}");
    kube_json_doc_free(item);
    item = parse("{\"apiVersion\":\"v1\",\"kind\":\"X\",\"metadata\":{\"name\":\"s1\"}}");
    ck_assert_int_eq(kube_object_owner_reference(&v, doc, kube_json_doc_root(item), NULL, 0), KUBE_EINVAL);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "uid"));
    kube_json_doc_free(item);
    kube_json_mut_doc_free(doc);
    kube_json_doc_free(d);
}
END_TEST

START_TEST(finalizer_patches)
{
    kube_json_doc_t *d = load("object/pod.json");
    const kube_json_t *pod = kube_json_doc_root(d);
    kube_json_doc_t *bare = parse("{\"metadata\":{\"name\":\"x\",\"resourceVersion\":\"7\"}}");
    kube_json_doc_t *one = parse("{\"metadata\":{\"name\":\"x\",\"finalizers\":[\"a/b\"]}}");
    kube_json_doc_t *bad = parse("{\"metadata\":{\"name\":\"x\",\"finalizers\":\"a/b\"}}");
    kube_json_mut_doc_t *doc;
    kube_json_mut_t *v = NULL;
    ck_assert_int_eq(kube_json_mut_doc_new(&doc, NULL), KUBE_OK);

    ck_assert_int_eq(kube_object_finalizer_add_patch(&v, doc, kube_json_doc_root(bare), "x.io/f",
                                                     KUBE_OBJECT_JSON_PATCH), KUBE_OK);
    expect_mut_json(v, "[{\"op\":\"test\",\"path\":\"/metadata/finalizers\",\"value\":null},"
                       "{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"x.io/f\"]}]");
    ck_assert_int_eq(kube_object_finalizer_add_patch(&v, doc, pod, "x.io/f", KUBE_OBJECT_JSON_PATCH), KUBE_OK);
    expect_mut_json(v, "[{\"op\":\"test\",\"path\":\"/metadata/finalizers\",\"value\":[\"example.com/cleanup\","
                       "\"foregroundDeletion\"]},{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"x.io/f\"}]");
    ck_assert_int_eq(kube_object_finalizer_add_patch(&v, doc, pod, "x.io/f", KUBE_OBJECT_MERGE_PATCH), KUBE_OK);
    expect_mut_json(v, "{\"metadata\":{\"finalizers\":[\"example.com/cleanup\",\"foregroundDeletion\",\"x.io/f\"],"
                       "\"resourceVersion\":\"48213\"}}");
    ck_assert_int_eq(kube_object_finalizer_add_patch(&v, doc, kube_json_doc_root(bare), "x.io/f",
                                                     KUBE_OBJECT_MERGE_PATCH), KUBE_OK);
    expect_mut_json(v, "{\"metadata\":{\"finalizers\":[\"x.io/f\"],\"resourceVersion\":\"7\"}}");
    v = NULL;
    ck_assert_int_eq(kube_object_finalizer_add_patch(&v, doc, pod, "foregroundDeletion", KUBE_OBJECT_JSON_PATCH),
                     KUBE_EEXISTS);
    ck_assert_ptr_null(v);

    ck_assert_int_eq(kube_object_finalizer_remove_patch(&v, doc, pod, "foregroundDeletion", KUBE_OBJECT_JSON_PATCH),
                     KUBE_OK);
    expect_mut_json(v, "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/1\",\"value\":\"foregroundDeletion\"},"
                       "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/1\"}]");
    ck_assert_int_eq(kube_object_finalizer_remove_patch(&v, doc, pod, "example.com/cleanup", KUBE_OBJECT_MERGE_PATCH),
                     KUBE_OK);
    expect_mut_json(v, "{\"metadata\":{\"finalizers\":[\"foregroundDeletion\"],\"resourceVersion\":\"48213\"}}");
    ck_assert_int_eq(kube_object_finalizer_remove_patch(&v, doc, kube_json_doc_root(one), "a/b",
                                                        KUBE_OBJECT_MERGE_PATCH), KUBE_OK);
    expect_mut_json(v, "{\"metadata\":{\"finalizers\":null}}");
    v = NULL;
    ck_assert_int_eq(kube_object_finalizer_remove_patch(&v, doc, kube_json_doc_root(bare), "a/b",
                                                        KUBE_OBJECT_JSON_PATCH), KUBE_ENOTFOUND);
    ck_assert_ptr_null(v);
    ck_assert_int_eq(kube_object_finalizer_add_patch(&v, doc, kube_json_doc_root(bad), "a/c",
                                                     KUBE_OBJECT_JSON_PATCH), KUBE_EINVAL);
    ck_assert_int_eq(kube_object_finalizer_add_patch(&v, doc, pod, "", KUBE_OBJECT_JSON_PATCH), KUBE_EINVAL);
    ck_assert_int_eq(kube_object_finalizer_add_patch(&v, doc, pod, "q", (kube_object_patch_kind_t)9), KUBE_EINVAL);
    ck_assert_int_eq(kube_object_finalizer_remove_patch(&v, NULL, pod, "q", KUBE_OBJECT_JSON_PATCH), KUBE_EINVAL);
    kube_json_mut_doc_free(doc);
    kube_json_doc_free(bare);
    kube_json_doc_free(one);
    kube_json_doc_free(bad);
    kube_json_doc_free(d);
}
END_TEST

START_TEST(builders_oom)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    kube_json_doc_t *d = load("object/pod.json");
    const kube_json_t *pod = kube_json_doc_root(d);
    for (int which = 0; which < 5; which++) {
        for (long n = 0;; n++) {
            kube_json_mut_doc_t *doc = NULL;
            kube_json_mut_t *v = NULL;
            kube_error_t rc;
            failmalloc_reset(&fm, n);
            rc = kube_json_mut_doc_new(&doc, &mem);
            if (rc == KUBE_OK) {
                switch (which) {
                case 0: rc = kube_object_reference(&v, doc, pod, NULL, "x"); break;
                case 1: rc = kube_object_owner_reference(&v, doc, pod, NULL, KUBE_OWNER_REF_CONTROLLER); break;
                case 2: rc = kube_object_finalizer_add_patch(&v, doc, pod, "z", KUBE_OBJECT_JSON_PATCH); break;
                case 3: rc = kube_object_finalizer_add_patch(&v, doc, pod, "z", KUBE_OBJECT_MERGE_PATCH); break;
                default: rc = kube_object_finalizer_remove_patch(&v, doc, pod, "foregroundDeletion",
                                                                KUBE_OBJECT_MERGE_PATCH); break;
                }
            }
            kube_json_mut_doc_free(doc);
            if (rc == KUBE_OK) {
                ck_assert_int_eq(fm.live, 0);
                break;
            }
            ck_assert_int_eq(rc, KUBE_ENOMEM);
            ck_assert_int_eq(fm.live, 0);
            ck_assert_int_lt(n, 500);
        }
    }
    kube_json_doc_free(d);
}
END_TEST

START_TEST(meta_view)
{
    static const kube_kv_t labels[] = {{"app", "web"}, {"tier", "fe"}, {"app", "api"}};
    static const kube_kv_t ann[] = {{"a", NULL}};
    static const char *const fins[] = {"x.io/a", "x.io/b"};
    static const kube_owner_ref_t owners[] = {{"v1", "K", "n1", "u1", 0, 0}, {"apps/v1", "ReplicaSet", "rs", "u2", 1, 1}};
    kube_meta_view_t m;
    memset(&m, 0, sizeof m);
    m.struct_version = KUBE_META_VIEW_VERSION;
    ck_assert_ptr_null(kube_meta_view_label(&m, "app"));
    ck_assert_int_eq(kube_meta_view_has_finalizer(&m, "x.io/a"), 0);
    ck_assert_ptr_null(kube_meta_view_controller(&m));
    m.labels = labels;
    m.labels_len = 3;
    m.annotations = ann;
    m.annotations_len = 1;
    m.finalizers = fins;
    m.finalizers_len = 2;
    m.owner_refs = owners;
    m.owner_refs_len = 1;
    ck_assert_str_eq(kube_meta_view_label(&m, "app"), "api");
    ck_assert_str_eq(kube_meta_view_label(&m, "tier"), "fe");
    ck_assert_ptr_null(kube_meta_view_label(&m, "nope"));
    ck_assert_ptr_null(kube_meta_view_label(&m, NULL));
    ck_assert_str_eq(kube_meta_view_annotation(&m, "a"), "");
    ck_assert_int_eq(kube_meta_view_has_finalizer(&m, "x.io/b"), 1);
    ck_assert_int_eq(kube_meta_view_has_finalizer(&m, "x.io"), 0);
    ck_assert_ptr_null(kube_meta_view_controller(&m));
    m.owner_refs_len = 2;
    ck_assert_ptr_eq(kube_meta_view_controller(&m), &owners[1]);
    ck_assert_ptr_null(kube_meta_view_label(NULL, "app"));
    ck_assert_int_eq(kube_meta_view_has_finalizer(NULL, "x"), 0);
    ck_assert_ptr_null(kube_meta_view_controller(NULL));
}
END_TEST

Suite *kube_test_object_suite(void)
{
    Suite *s = suite_create("object");
    TCase *tc = tcase_create("object");
    tcase_add_test(tc, accessors);
    tcase_add_test(tc, absent_and_malformed);
    tcase_add_test(tc, strip);
    tcase_add_test(tc, strip_oom);
    tcase_add_test(tc, strip_matches_reference);
    tcase_add_test(tc, references);
    tcase_add_test(tc, finalizer_patches);
    tcase_add_test(tc, builders_oom);
    tcase_add_test(tc, meta_view);
    suite_add_tcase(s, tc);
    return s;
}
