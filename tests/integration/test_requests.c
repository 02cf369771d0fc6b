/* The subresource and helper request builders of <kube/request.h> against kube-emulator:
 * selector encoding as the server decodes it, metadata-only answers, deletecollection,
 * delete preconditions, scale and status, eviction, TokenRequest, CSR approval, rollout
 * restart and cordon. The unit tests check the exact strings; this checks the server
 * understands them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kube/params.h>
#include <kube/patch.h>
#include <kube/request.h>
#include <kube/status.h>

#include "itest.h"

static const char *str_at(const kube_json_doc_t *doc, const char *ptr)
{
    return kube_json_string(kube_json_pointer(kube_json_doc_root(doc), ptr));
}

static kube_body_t text(const char *json)
{
    return kube_body_bytes(json, strlen(json));
}

/* Create an object from JSON text and expect 201; returns the stored object. */
static kube_json_doc_t *create(const char *res, const char *ns, const char *json)
{
    kube_http_request_t r;
    kube_json_doc_t *d;
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_create(&r, itest_res(res), ns, NULL, text(json)), KUBE_OK);
    d = itest_expect(&r, 201);
    kube_http_request_dispose(&r);
    return d;
}

static size_t list_count(const char *res, const char *ns, const kube_list_params_t *lp)
{
    kube_http_request_t r;
    kube_json_doc_t *d;
    size_t n;
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_list(&r, itest_res(res), ns, lp), KUBE_OK);
    d = itest_expect(&r, 200);
    n = kube_json_size(kube_json_pointer(kube_json_doc_root(d), "/items"));
    kube_json_doc_free(d);
    kube_http_request_dispose(&r);
    return n;
}

static void make_cm(const char *ns, const char *name, const char *labels)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\",\"labels\":%s},"
             "\"data\":{\"k\":\"v\"}}",
             name, labels);
    kube_json_doc_free(create("configmaps", ns, body));
}

START_TEST(selectors_metadata_and_deletecollection)
{
    char ns[64];
    kube_http_request_t r;
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    kube_delete_params_t dp = KUBE_DELETE_PARAMS_INIT;
    kube_json_doc_t *d;
    itest_make_ns("req-sel", ns, sizeof ns);
    make_cm(ns, "a", "{\"app\":\"web\",\"tier\":\"front\"}");
    make_cm(ns, "b", "{\"app\":\"api\"}");
    make_cm(ns, "c", "{\"app\":\"db\",\"canary\":\"true\"}");
    make_cm(ns, "d", "{}");
    /* Set-based selectors survive form encoding ("+" for spaces, %XX for the rest). */
    lp.label_selector = "app in (web,api)";
    ck_assert_uint_eq(list_count("configmaps", ns, &lp), 2);
    lp.label_selector = "app,!canary";
    ck_assert_uint_eq(list_count("configmaps", ns, &lp), 2);
    lp.label_selector = "app!=web,app notin (db)"; /* b, and d (no app label) */
    ck_assert_uint_eq(list_count("configmaps", ns, &lp), 2);
    lp.label_selector = NULL;
    lp.field_selector = "metadata.name=c";
    ck_assert_uint_eq(list_count("configmaps", ns, &lp), 1);
    lp.field_selector = NULL;
    /* Pages */
    lp.limit = 3;
    ck_assert_uint_eq(list_count("configmaps", ns, &lp), 3);
    lp.limit = 0;

    /* Metadata-only answers */
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_get_metadata(&r, itest_res("configmaps"), ns, "a", NULL), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(d, "/kind"), "PartialObjectMetadata");
    ck_assert_str_eq(str_at(d, "/metadata/labels/tier"), "front");
    ck_assert_ptr_null(kube_json_pointer(kube_json_doc_root(d), "/data"));
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_list_metadata(&r, itest_res("configmaps"), ns, NULL), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(d, "/kind"), "PartialObjectMetadataList");
    ck_assert_uint_eq(kube_json_size(kube_json_pointer(kube_json_doc_root(d), "/items")), 4);
    kube_json_doc_free(d);

    /* deletecollection with a selector and no body, then with DeleteOptions */
    lp.label_selector = "app in (web,api)";
    ck_assert_int_eq(kube_request_deletecollection(&r, itest_res("configmaps"), ns, NULL, &lp), KUBE_OK);
    ck_assert_ptr_null(r.body);
    kube_json_doc_free(itest_expect(&r, 200));
    ck_assert_uint_eq(list_count("configmaps", ns, NULL), 2);
    dp.propagation_policy = KUBE_PROPAGATION_BACKGROUND;
    dp.grace_period_seconds = 0;
    ck_assert_int_eq(kube_request_deletecollection(&r, itest_res("configmaps"), ns, &dp, NULL), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 200));
    ck_assert_uint_eq(list_count("configmaps", ns, NULL), 0);
    kube_http_request_dispose(&r);
}
END_TEST

START_TEST(delete_preconditions_and_dry_run)
{
    char ns[64];
    kube_http_request_t r;
    kube_delete_params_t dp = KUBE_DELETE_PARAMS_INIT;
    kube_json_doc_t *d;
    kube_status_t *st;
    itest_make_ns("req-del", ns, sizeof ns);
    make_cm(ns, "x", "{}");
    kube_http_request_init(&r, NULL);
    dp.precondition_uid = "00000000-0000-0000-0000-000000000000";
    ck_assert_int_eq(kube_request_delete(&r, itest_res("configmaps"), ns, "x", &dp), KUBE_OK);
    st = itest_expect_error(&r, 409, KUBE_ECONFLICT, "Conflict", "the UID in the precondition");
    kube_status_free(st);
    dp.precondition_uid = NULL;
    dp.precondition_resource_version = "1";
    ck_assert_int_eq(kube_request_delete(&r, itest_res("configmaps"), ns, "x", &dp), KUBE_OK);
    st = itest_expect_error(&r, 409, KUBE_ECONFLICT, "Conflict", "the ResourceVersion in the precondition (1) does not match");
    kube_status_free(st);
    dp.precondition_resource_version = NULL;
    dp.dry_run = 1;
    ck_assert_int_eq(kube_request_delete(&r, itest_res("configmaps"), ns, "x", &dp), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 200));
    ck_assert_int_eq(kube_request_get(&r, itest_res("configmaps"), ns, "x", NULL), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(d, "/metadata/name"), "x");
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_delete(&r, itest_res("configmaps"), ns, "x", NULL), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 200));
    ck_assert_int_eq(kube_request_get(&r, itest_res("configmaps"), ns, "x", NULL), KUBE_OK);
    st = itest_expect_error(&r, 404, KUBE_ENOTFOUND, "NotFound", NULL);
    kube_status_free(st);
    kube_http_request_dispose(&r);
}
END_TEST

START_TEST(scale_status_and_restart)
{
    char ns[64];
    kube_http_request_t r;
    kube_json_doc_t *d;
    const char *dep =
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
        "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
        "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
        "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}";
    itest_make_ns("req-scale", ns, sizeof ns);
    kube_json_doc_free(create("deployments", ns, dep));
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_get_scale(&r, itest_res("deployments"), ns, "web"), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(d, "/kind"), "Scale");
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_patch_scale(&r, itest_res("deployments"), ns, "web", NULL, KUBE_PATCH_MERGE,
                                              text("{\"spec\":{\"replicas\":3}}")),
                     KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 200));
    ck_assert_int_eq(kube_request_get(&r, itest_res("deployments"), ns, "web", NULL), KUBE_OK);
    d = itest_expect(&r, 200);
    {
        int64_t replicas = 0;
        ck_assert_int_eq(kube_json_int64(kube_json_pointer(kube_json_doc_root(d), "/spec/replicas"), &replicas),
                         KUBE_OK);
        ck_assert_int_eq(replicas, 3);
    }
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_patch_status(&r, itest_res("deployments"), ns, "web", NULL, KUBE_PATCH_MERGE,
                                               text("{\"status\":{\"observedGeneration\":7}}")),
                     KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 200));
    ck_assert_int_eq(kube_request_restart(&r, itest_res("deployments"), ns, "web", "2026-11-22T01:00:00Z"),
                     KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(d, "/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt"),
                     "2026-11-22T01:00:00Z");
    kube_json_doc_free(d);
    kube_http_request_dispose(&r);
}
END_TEST

START_TEST(eviction_and_token)
{
    char ns[64];
    kube_http_request_t r;
    kube_json_doc_t *d;
    kube_token_request_params_t tp = KUBE_TOKEN_REQUEST_PARAMS_INIT;
    static const char *const aud[] = {"vault"};
    kube_evict_params_t ep = KUBE_EVICT_PARAMS_INIT;
    itest_make_ns("req-evict", ns, sizeof ns);
    kube_json_doc_free(create("pods", ns,
                              "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
                              "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}"));
    kube_http_request_init(&r, NULL);
    ep.delete_options.grace_period_seconds = 0;
    ck_assert_int_eq(kube_request_evict(&r, ns, "p", &ep), KUBE_OK);
    d = itest_expect(&r, 201);
    ck_assert_str_eq(str_at(d, "/kind"), "Status");
    ck_assert_str_eq(str_at(d, "/status"), "Success");
    kube_json_doc_free(d);

    kube_json_doc_free(create("serviceaccounts", ns,
                              "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"builder\"}}"));
    tp.audiences = aud;
    tp.audience_count = 1;
    tp.expiration_seconds = 3600;
    ck_assert_int_eq(kube_request_create_token(&r, ns, "builder", &tp), KUBE_OK);
    d = itest_expect(&r, 201);
    ck_assert_str_eq(str_at(d, "/kind"), "TokenRequest");
    ck_assert_ptr_nonnull(str_at(d, "/status/token"));
    ck_assert_str_eq(str_at(d, "/spec/audiences/0"), "vault");
    kube_json_doc_free(d);
    kube_http_request_dispose(&r);
}
END_TEST

START_TEST(csr_approval_and_cordon)
{
    char name[64], body[1024];
    kube_http_request_t r;
    kube_json_doc_t *csr, *d;
    kube_csr_approval_params_t ap = KUBE_CSR_APPROVAL_PARAMS_INIT;
    kube_status_t *st;
    snprintf(name, sizeof name, "csr-%u", (unsigned)(http_min_rand() % 100000));
    snprintf(body, sizeof body,
             "{\"apiVersion\":\"certificates.k8s.io/v1\",\"kind\":\"CertificateSigningRequest\","
             "\"metadata\":{\"name\":\"%s\"},\"spec\":{\"request\":\"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K\","
             "\"signerName\":\"kubernetes.io/kube-apiserver-client\",\"usages\":[\"client auth\"]}}",
             name);
    csr = create("certificatesigningrequests", NULL, body);
    kube_http_request_init(&r, NULL);
    ap.last_update_time = "2026-11-22T01:00:00Z";
    ck_assert_int_eq(kube_request_approve_csr(&r, kube_json_doc_root(csr), &ap), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(d, "/status/conditions/0/type"), "Approved");
    ck_assert_str_eq(str_at(d, "/status/conditions/0/reason"), "KubeApprove");
    /* Approving again is refused client-side: decisions are final. */
    ck_assert_int_eq(kube_request_approve_csr(&r, kube_json_doc_root(d), NULL), KUBE_EEXISTS);
    kube_json_doc_free(d);
    kube_json_doc_free(csr);

    snprintf(name, sizeof name, "node-%u", (unsigned)(http_min_rand() % 100000));
    snprintf(body, sizeof body, "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"%s\"}}", name);
    kube_json_doc_free(create("nodes", NULL, body));
    ck_assert_int_eq(kube_request_cordon(&r, name), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert(kube_json_is_true(kube_json_pointer(kube_json_doc_root(d), "/spec/unschedulable")));
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_uncordon(&r, name), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert(!kube_json_is_true(kube_json_pointer(kube_json_doc_root(d), "/spec/unschedulable")));
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_cordon(&r, "no-such-node"), KUBE_OK);
    st = itest_expect_error(&r, 404, KUBE_ENOTFOUND, "NotFound", NULL);
    kube_status_free(st);
    kube_http_request_dispose(&r);
}
END_TEST

static Suite *requests_suite(void)
{
    Suite *s = suite_create("requests");
    TCase *tc = itest_tcase("requests", 30);
    tcase_add_test(tc, selectors_metadata_and_deletecollection);
    tcase_add_test(tc, delete_preconditions_and_dry_run);
    tcase_add_test(tc, scale_status_and_restart);
    tcase_add_test(tc, eviction_and_token);
    tcase_add_test(tc, csr_approval_and_cordon);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return itest_main(requests_suite(), NULL);
}
