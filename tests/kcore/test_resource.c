#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <kube/resource.h>
#include <kube/error.h>
#include "failmalloc.h"

static void expect_plural(const char *kind, const char *want)
{
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_resource_guess_plural(&b, kind), KUBE_OK);
    ck_assert_msg(strcmp(b.ptr, want) == 0, "plural(%s) = %s, want %s", kind, b.ptr, want);
    kube_buf_dispose(&b);
}

START_TEST(plural_guessing)
{
    /* kube-rs to_plural cases, applied to the lowercased kind. */
    expect_plural("Pod", "pods");
    expect_plural("Endpoints", "endpoints");
    expect_plural("EndpointSlices", "endpointslices");
    expect_plural("EndpointSlice", "endpointslices");
    expect_plural("NodeMetrics", "nodes");
    expect_plural("PodMetrics", "pods");
    expect_plural("Ingress", "ingresses");
    expect_plural("Box", "boxes");
    expect_plural("Quiz", "quizes");
    expect_plural("Batch", "batches");
    expect_plural("Mesh", "meshes");
    expect_plural("NetworkPolicy", "networkpolicies");
    expect_plural("Gateway", "gateways");
    expect_plural("Key", "keys");
    expect_plural("Toy", "toys");
    expect_plural("Guy", "guys");
    expect_plural("Y", "ys");
    expect_plural("Ay", "ays");
    expect_plural("By", "bies");
    expect_plural("CustomResourceDefinition", "customresourcedefinitions");
    expect_plural("Monkey", "monkeys");
    expect_plural("Proxy", "proxies");
    expect_plural("Stomach", "stomaches");
    /* A kind longer than the stack buffer. */
    char longk[200];
    memset(longk, 'B', sizeof longk - 2);
    longk[sizeof longk - 2] = 'Y';
    longk[sizeof longk - 1] = '\0';
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_resource_guess_plural(&b, longk), KUBE_OK);
    ck_assert_uint_eq(b.size, sizeof longk - 2 + 3);
    ck_assert_str_eq(b.ptr + b.size - 4, "bies");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_resource_guess_plural(&b, ""), KUBE_EINVAL);
    ck_assert_int_eq(kube_resource_guess_plural(&b, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_resource_singular(&b, "ClusterRoleBinding"), KUBE_OK);
    ck_assert_str_eq(b.ptr, "clusterrolebinding");
    ck_assert_int_eq(kube_resource_singular(&b, ""), KUBE_EINVAL);
    kube_buf_dispose(&b);
}
END_TEST

START_TEST(group_version_parse)
{
    kube_gv_t gv;
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_gv_parse(&gv, "v1"), KUBE_OK);
    ck_assert_str_eq(gv.group, "");
    ck_assert_str_eq(gv.version, "v1");
    ck_assert_int_eq(kube_gv_format(&b, &gv), KUBE_OK);
    ck_assert_str_eq(b.ptr, "v1");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_gv_parse(&gv, "apps/v1"), KUBE_OK);
    ck_assert_str_eq(gv.group, "apps");
    ck_assert_str_eq(gv.version, "v1");
    ck_assert_int_eq(kube_gv_format(&b, &gv), KUBE_OK);
    ck_assert_str_eq(b.ptr, "apps/v1");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_gv_parse(&gv, "example.com/v1alpha1"), KUBE_OK);
    ck_assert_str_eq(gv.group, "example.com");
    ck_assert_int_eq(kube_gv_parse(&gv, "/v1"), KUBE_OK);
    ck_assert_str_eq(gv.group, "");
    ck_assert_str_eq(gv.version, "v1");

    ck_assert_int_eq(kube_gv_parse(&gv, "a/b/c"), KUBE_EINVAL);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "offset 3"));
    ck_assert_int_eq(kube_gv_parse(&gv, ""), KUBE_EINVAL);
    ck_assert_int_eq(kube_gv_parse(&gv, "apps/"), KUBE_EINVAL);
    ck_assert_int_eq(kube_gv_parse(&gv, "apps/v 1"), KUBE_EINVAL);
    ck_assert_int_eq(kube_gv_parse(&gv, "apps/v\xc3\xa9" "1"), KUBE_EINVAL);
    ck_assert_int_eq(kube_gv_parse(&gv, NULL), KUBE_EINVAL);
    char big[300];
    memset(big, 'g', 254);
    strcpy(big + 254, "/v1");
    ck_assert_int_eq(kube_gv_parse(&gv, big), KUBE_EINVAL);
    big[253] = '/';
    big[254] = 'v';
    big[255] = '\0';
    ck_assert_int_eq(kube_gv_parse(&gv, big), KUBE_OK);
    ck_assert_uint_eq(strlen(gv.group), 253);
    memset(big, 'v', 64);
    big[64] = '\0';
    ck_assert_int_eq(kube_gv_parse(&gv, big), KUBE_EINVAL);
    big[63] = '\0';
    ck_assert_int_eq(kube_gv_parse(&gv, big), KUBE_OK);
    kube_buf_dispose(&b);
}
END_TEST

START_TEST(gvk_gvr)
{
    kube_gvk_t k, k2;
    kube_gvr_t r;
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_gvk_parse(&k, "apps/v1", "Deployment"), KUBE_OK);
    ck_assert_str_eq(k.group, "apps");
    ck_assert_str_eq(k.version, "v1");
    ck_assert_str_eq(k.kind, "Deployment");
    ck_assert_int_eq(kube_gvk_format(&b, &k), KUBE_OK);
    ck_assert_str_eq(b.ptr, "apps/v1, Kind=Deployment");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_gvk_api_version(&b, &k), KUBE_OK);
    ck_assert_str_eq(b.ptr, "apps/v1");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_gvk_parse(&k2, "v1", "Pod"), KUBE_OK);
    ck_assert_int_eq(kube_gvk_format(&b, &k2), KUBE_OK);
    ck_assert_str_eq(b.ptr, "/v1, Kind=Pod");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_gvk_equal(&k, &k2), 0);
    ck_assert_int_eq(kube_gvk_equal(&k, &k), 1);
    ck_assert_int_eq(kube_gvk_equal(NULL, NULL), 1);
    ck_assert_int_eq(kube_gvk_equal(&k, NULL), 0);
    ck_assert_int_eq(kube_gvk_parse(&k2, "v1", ""), KUBE_EINVAL);
    ck_assert_int_eq(kube_gvk_parse(&k2, "v1", "Po d"), KUBE_EINVAL);
    ck_assert_int_eq(kube_gvk_parse(&k2, "a/b/c", "Pod"), KUBE_EINVAL);
    ck_assert_int_eq(kube_gvk_parse(&k2, NULL, "Pod"), KUBE_EINVAL);

    ck_assert_int_eq(kube_gvr_parse(&r, "networking.k8s.io/v1", "ingresses"), KUBE_OK);
    ck_assert_str_eq(r.group, "networking.k8s.io");
    ck_assert_str_eq(r.resource, "ingresses");
    ck_assert_int_eq(kube_gvr_api_version(&b, &r), KUBE_OK);
    ck_assert_str_eq(b.ptr, "networking.k8s.io/v1");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_gvr_parse(&r, "v1", "pods/status"), KUBE_EINVAL);
    ck_assert_int_eq(kube_gvr_parse(&r, "v1", ""), KUBE_EINVAL);
    ck_assert_int_eq(kube_gvr_parse(&r, "a/b/c", "x"), KUBE_EINVAL);
    ck_assert_int_eq(kube_gvr_api_version(&b, NULL), KUBE_EINVAL);
    const kube_resource_t *dep = kube_resource_builtin("deployments");
    ck_assert_ptr_nonnull(dep);
    ck_assert_int_eq(kube_resource_gvr(&r, dep), KUBE_OK);
    ck_assert_int_eq(kube_gvr_format(&b, &r), KUBE_OK);
    ck_assert_str_eq(b.ptr, "apps/v1, Resource=deployments");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_resource_gvk(&k2, dep), KUBE_OK);
    ck_assert_int_eq(kube_gvk_equal(&k, &k2), 1);
    ck_assert_int_eq(kube_resource_api_version(&b, dep), KUBE_OK);
    ck_assert_str_eq(b.ptr, "apps/v1");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_resource_api_version(&b, kube_resource_builtin("pod")), KUBE_OK);
    ck_assert_str_eq(b.ptr, "v1");
    ck_assert_int_eq(kube_resource_api_version(&b, NULL), KUBE_EINVAL);
    kube_buf_dispose(&b);
}
END_TEST

START_TEST(builtins)
{
    const kube_resource_t *r;
    r = kube_resource_builtin("Pod");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->plural, "pods");
    ck_assert_int_eq(r->scope, KUBE_SCOPE_NAMESPACED);
    ck_assert_ptr_eq(kube_resource_builtin("pods"), r);
    ck_assert_ptr_eq(kube_resource_builtin("pod"), r);
    ck_assert_ptr_eq(kube_resource_builtin("POD"), r);
    r = kube_resource_builtin("nodes");
    ck_assert_int_eq(r->scope, KUBE_SCOPE_CLUSTER);
    r = kube_resource_builtin("events");
    ck_assert_str_eq(r->group, "");
    r = kube_resource_builtin("events.events.k8s.io");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->group, "events.k8s.io");
    r = kube_resource_builtin("deployments.apps");
    ck_assert_str_eq(r->kind, "Deployment");
    ck_assert_ptr_null(kube_resource_builtin("widgets"));
    ck_assert_ptr_null(kube_resource_builtin("deployments.batch"));
    ck_assert_ptr_null(kube_resource_builtin(""));
    ck_assert_ptr_null(kube_resource_builtin(NULL));
    /* Every entry is consistent: singular is the lowercased kind, and the guessed
     * plural is right for every built-in listed. */
    size_t i;
    for (i = 0; (r = kube_resource_builtin_at(i)); i++) {
        kube_buf_t b;
        kube_buf_init(&b, NULL);
        ck_assert_int_eq(kube_resource_singular(&b, r->kind), KUBE_OK);
        ck_assert_str_eq(b.ptr, r->singular);
        kube_buf_clear(&b);
        ck_assert_int_eq(kube_resource_guess_plural(&b, r->kind), KUBE_OK);
        ck_assert_msg(strcmp(b.ptr, r->plural) == 0, "%s: %s", r->kind, b.ptr);
        kube_buf_dispose(&b);
        ck_assert_uint_eq(r->struct_version, KUBE_RESOURCE_VERSION);
        ck_assert_ptr_null(r->codec);
    }
    ck_assert_uint_ge(i, 40);
}
END_TEST

START_TEST(dynamic_descriptor_oom)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    kube_gvk_t gvk;
    ck_assert_int_eq(kube_gvk_parse(&gvk, "example.com/v1", "Widget"), KUBE_OK);
    for (long n = 0;; n++) {
        kube_resource_t *res = NULL;
        failmalloc_reset(&fm, n);
        kube_error_t rc = kube_resource_new_gvk(&res, &gvk, KUBE_SCOPE_CLUSTER, &mem);
        if (rc == KUBE_OK) {
            ck_assert_str_eq(res->group, "example.com");
            ck_assert_str_eq(res->version, "v1");
            ck_assert_str_eq(res->kind, "Widget");
            ck_assert_str_eq(res->plural, "widgets");
            ck_assert_str_eq(res->singular, "widget");
            ck_assert_int_eq(res->scope, KUBE_SCOPE_CLUSTER);
            ck_assert_ptr_null(res->codec);
            kube_resource_free(res);
            ck_assert_int_eq(fm.live, 0);
            ck_assert_int_ge(n, 1);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_ptr_null(res);
        ck_assert_int_eq(fm.live, 0);
        ck_assert_int_lt(n, 50);
    }
    kube_resource_free(NULL);
}
END_TEST

START_TEST(dynamic_descriptor_copy)
{
    char group[] = "example.com", version[] = "v2", kind[] = "Widget", plural[] = "widgetz";
    kube_resource_t desc = {KUBE_RESOURCE_VERSION, group, version, kind, plural, NULL,
                            KUBE_SCOPE_NAMESPACED, NULL};
    kube_resource_t *res = NULL;
    ck_assert_int_eq(kube_resource_new(&res, &desc, NULL), KUBE_OK);
    group[0] = version[0] = kind[0] = plural[0] = 'X';
    ck_assert_str_eq(res->group, "example.com");
    ck_assert_str_eq(res->version, "v2");
    ck_assert_str_eq(res->kind, "Widget");
    ck_assert_str_eq(res->plural, "widgetz");
    ck_assert_str_eq(res->singular, "");
    kube_resource_free(res);

    desc.plural = "";
    ck_assert_int_eq(kube_resource_new(&res, &desc, NULL), KUBE_EINVAL);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "plural"));
    desc.plural = "x";
    desc.group = NULL;
    ck_assert_int_eq(kube_resource_new(&res, &desc, NULL), KUBE_EINVAL);
    desc.group = "";
    desc.struct_version = 7;
    ck_assert_int_eq(kube_resource_new(&res, &desc, NULL), KUBE_EINVAL);
    desc.struct_version = KUBE_RESOURCE_VERSION;
    desc.scope = (kube_scope_t)5;
    ck_assert_int_eq(kube_resource_new(&res, &desc, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_resource_new(NULL, &desc, NULL), KUBE_EINVAL);
}
END_TEST

START_TEST(version_parse)
{
    kube_api_version_t v;
    kube_api_version_parse(&v, "v1");
    ck_assert_int_eq(v.stability, KUBE_API_VERSION_STABLE);
    ck_assert_uint_eq(v.major, 1);
    kube_api_version_parse(&v, "v10");
    ck_assert_int_eq(v.stability, KUBE_API_VERSION_STABLE);
    ck_assert_uint_eq(v.major, 10);
    kube_api_version_parse(&v, "v1beta");
    ck_assert_int_eq(v.stability, KUBE_API_VERSION_BETA);
    ck_assert_int_eq(v.has_minor, 0);
    kube_api_version_parse(&v, "v2alpha1");
    ck_assert_int_eq(v.stability, KUBE_API_VERSION_ALPHA);
    ck_assert_uint_eq(v.major, 2);
    ck_assert_uint_eq(v.minor, 1);
    ck_assert_int_eq(v.has_minor, 1);
    kube_api_version_parse(&v, "v10beta12");
    ck_assert_int_eq(v.stability, KUBE_API_VERSION_BETA);
    ck_assert_uint_eq(v.major, 10);
    ck_assert_uint_eq(v.minor, 12);
    kube_api_version_parse(&v, "v1beta+3");
    ck_assert_int_eq(v.stability, KUBE_API_VERSION_BETA);
    ck_assert_uint_eq(v.minor, 3);
    static const char *const bad[] = {"", "foo", "v", "v-1", "valpha", "vbeta3", "vv1", "v1alpha1hi",
                                      "v1zeta3", "v4294967296", "v1beta4294967296", "v1beta+", "V1",
                                      "v1beta-1", "v1beta++1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kube_api_version_parse(&v, bad[i]);
        ck_assert_msg(v.stability == KUBE_API_VERSION_NONCONFORMANT, "%s", bad[i]);
    }
    kube_api_version_parse(&v, NULL);
    ck_assert_int_eq(v.stability, KUBE_API_VERSION_NONCONFORMANT);
    kube_api_version_parse(&v, "v4294967295");
    ck_assert_int_eq(v.stability, KUBE_API_VERSION_STABLE);
    ck_assert_uint_eq(v.major, 4294967295u);
}
END_TEST

START_TEST(version_priority)
{
    /* kube-rs's documented example, sorted by priority, highest first. */
    const char *v[] = {"v10beta3", "v2", "foo10", "v1", "v3beta1", "v11alpha2", "v11beta2", "v12alpha1", "foo1",
                       "v10"};
    const char *want[] = {"v10", "v2", "v1", "v11beta2", "v10beta3", "v3beta1", "v12alpha1", "v11alpha2", "foo1",
                          "foo10"};
    qsort(v, 10, sizeof v[0], kube_api_version_qsort_cmp);
    for (int i = 0; i < 10; i++)
        ck_assert_str_eq(v[i], want[i]);
    ck_assert_int_gt(kube_api_version_compare("v1", "v2beta1"), 0);
    ck_assert_int_gt(kube_api_version_compare("v1beta2", "v1beta1"), 0);
    ck_assert_int_gt(kube_api_version_compare("v1beta1", "v1beta"), 0);
    ck_assert_int_gt(kube_api_version_compare("v1beta1", "v1alpha1"), 0);
    ck_assert_int_gt(kube_api_version_compare("v1alpha1", "v1alpha"), 0);
    ck_assert_int_gt(kube_api_version_compare("v1alpha", "zzz"), 0);
    ck_assert_int_gt(kube_api_version_compare("bar", "foo"), 0);
    ck_assert_int_lt(kube_api_version_compare("foo10", "foo1"), 0);
    ck_assert_int_eq(kube_api_version_compare("v1", "v1"), 0);
    ck_assert_int_eq(kube_api_version_compare("v1beta+1", "v1beta1"), 0);
    ck_assert_int_lt(kube_api_version_compare("v1", "v2"), 0);

    const char *list[] = {"v1alpha1", NULL, "v1beta1", "v1", "v2beta1"};
    ck_assert_uint_eq(kube_api_version_preferred(list, 5), 3);
    ck_assert_uint_eq(kube_api_version_preferred(list, 3), 2);
    ck_assert_uint_eq(kube_api_version_preferred(list, 0), (size_t)-1);
    ck_assert_uint_eq(kube_api_version_preferred(NULL, 3), (size_t)-1);
    const char *ties[] = {"v1", "v1"};
    ck_assert_uint_eq(kube_api_version_preferred(ties, 2), 0);
}
END_TEST

START_TEST(version_generation)
{
    ck_assert_int_gt(kube_api_version_generation_compare("v2", "v1"), 0);
    ck_assert_int_gt(kube_api_version_generation_compare("v1", "v1beta1"), 0);
    ck_assert_int_lt(kube_api_version_generation_compare("v1", "v2beta1"), 0);
    ck_assert_int_lt(kube_api_version_generation_compare("v1", "v2alpha2"), 0);
    ck_assert_int_gt(kube_api_version_generation_compare("v1beta", "ver3"), 0);
    ck_assert_int_gt(kube_api_version_generation_compare("bar", "foo"), 0);
    ck_assert_int_gt(kube_api_version_generation_compare("v1beta2", "v1beta1"), 0);
    ck_assert_int_gt(kube_api_version_generation_compare("v1alpha1", "v1alpha"), 0);
    ck_assert_int_eq(kube_api_version_generation_compare("v3", "v3"), 0);
}
END_TEST

Suite *kube_test_resource_suite(void)
{
    Suite *s = suite_create("resource");
    TCase *tc = tcase_create("resource");
    tcase_add_test(tc, plural_guessing);
    tcase_add_test(tc, group_version_parse);
    tcase_add_test(tc, gvk_gvr);
    tcase_add_test(tc, builtins);
    tcase_add_test(tc, dynamic_descriptor_oom);
    tcase_add_test(tc, dynamic_descriptor_copy);
    tcase_add_test(tc, version_parse);
    tcase_add_test(tc, version_priority);
    tcase_add_test(tc, version_generation);
    suite_add_tcase(s, tc);
    return s;
}
