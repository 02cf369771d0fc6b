#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kube/admission.h>
#include <kube/json.h>
#include <kube/error.h>
#include "failmalloc.h"
#include "fixture.h"

static kube_json_doc_t *parse(const char *text)
{
    kube_json_doc_t *d = NULL;
    ck_assert_msg(kube_json_parse(&d, text, strlen(text), NULL) == KUBE_OK, "%s", kube_error_last()->message);
    return d;
}

START_TEST(request_create)
{
    size_t len;
    char *body = kube_test_read_fixture("admission/pod-create.json", &len);
    kube_json_doc_t *doc = NULL;
    kube_admission_request_t req;
    ck_assert_int_eq(kube_admission_review_parse(&doc, &req, body, len, NULL), KUBE_OK);
    free(body);
    ck_assert_uint_eq(req.struct_version, KUBE_ADMISSION_REQUEST_VERSION);
    ck_assert_str_eq(req.review_api_version, "admission.k8s.io/v1");
    ck_assert_str_eq(req.uid, "705ab4f5-6393-11e8-b7cc-42010a800002");
    ck_assert_str_eq(req.kind.group, "");
    ck_assert_str_eq(req.kind.version, "v1");
    ck_assert_str_eq(req.kind.kind, "Pod");
    ck_assert_str_eq(req.resource.resource, "pods");
    ck_assert_ptr_null(req.sub_resource);
    ck_assert_int_eq(req.has_request_kind, 1);
    ck_assert_str_eq(req.request_kind.kind, "Pod");
    ck_assert_int_eq(req.has_request_resource, 1);
    ck_assert_str_eq(req.name, "web-0");
    ck_assert_str_eq(req.ns, "prod");
    ck_assert_int_eq(req.operation, KUBE_ADMISSION_CREATE);
    ck_assert_str_eq(req.username, "system:serviceaccount:kube-system:replicaset-controller");
    ck_assert_str_eq(req.user_uid, "a2f1c3d4-0000-4000-8000-000000000001");
    ck_assert_uint_eq(kube_json_size(req.user_groups), 3);
    ck_assert_ptr_nonnull(kube_json_get(req.user_extra, "authentication.kubernetes.io/pod-name"));
    ck_assert_str_eq(kube_json_string(kube_json_pointer(req.object, "/metadata/labels/app")), "web");
    ck_assert_ptr_null(req.old_object);
    ck_assert_int_eq(req.dry_run, 0);
    ck_assert_str_eq(kube_json_string(kube_json_get(req.options, "fieldManager")), "kube-controller-manager");
    ck_assert_str_eq(kube_admission_op_name(req.operation), "CREATE");
    ck_assert_ptr_null(kube_admission_op_name((kube_admission_op_t)7));

    /* Mutating response with a JSON patch, a warning and an audit annotation. */
    kube_admission_response_t *resp;
    kube_json_mut_doc_t *pd;
    kube_json_mut_t *patch, *op;
    kube_buf_t b;
    ck_assert_int_eq(kube_admission_response_new(&resp, &req, NULL), KUBE_OK);
    ck_assert_int_eq(kube_admission_response_allowed(resp), 1);
    ck_assert_int_eq(kube_json_mut_doc_new(&pd, NULL), KUBE_OK);
    patch = kube_json_mut_arr(pd);
    op = kube_json_mut_obj(pd);
    ck_assert_int_eq(kube_json_mut_obj_set_str(op, "op", "add"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(op, "path", "/metadata/labels/injected"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(op, "value", "yes"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(patch, op), KUBE_OK);
    ck_assert_int_eq(kube_admission_response_set_patch(resp, op), KUBE_EINVAL);
    ck_assert_int_eq(kube_admission_response_set_patch(resp, patch), KUBE_OK);
    ck_assert_int_eq(kube_admission_response_add_warning(resp, "image tag is not pinned"), KUBE_OK);
    ck_assert_int_eq(kube_admission_response_set_audit_annotation(resp, "mutated", "labels"), KUBE_OK);
    ck_assert_int_eq(kube_admission_response_set_audit_annotation(resp, "mutated", "labels/injected"), KUBE_OK);
    ck_assert_int_eq(kube_admission_response_set_audit_annotation(resp, "", "x"), KUBE_EINVAL);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_admission_response_write(&b, resp), KUBE_OK);
    /* [{"op":"add","path":"/metadata/labels/injected","value":"yes"}] in base64 */
    ck_assert_str_eq(b.ptr,
                     "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{"
                     "\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\",\"allowed\":true,\"patchType\":\"JSONPatch\","
                     "\"patch\":\"W3sib3AiOiJhZGQiLCJwYXRoIjoiL21ldGFkYXRhL2xhYmVscy9pbmplY3RlZCIsInZhbHVlIjoieWVzIn1d\","
                     "\"auditAnnotations\":{\"mutated\":\"labels/injected\"},\"warnings\":[\"image tag is not pinned\"]}}");
    kube_buf_dispose(&b);

    /* Denying drops the patch. */
    ck_assert_int_eq(kube_admission_response_deny(resp, "pods must not run as root"), KUBE_OK);
    ck_assert_int_eq(kube_admission_response_allowed(resp), 0);
    ck_assert_int_eq(kube_admission_response_set_patch(resp, patch), KUBE_EINVAL);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_admission_response_write(&b, resp), KUBE_OK);
    ck_assert_str_eq(b.ptr,
                     "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{"
                     "\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\",\"allowed\":false,\"status\":{"
                     "\"status\":\"Failure\",\"message\":\"pods must not run as root\",\"reason\":\"Forbidden\",\"code\":403},"
                     "\"auditAnnotations\":{\"mutated\":\"labels/injected\"},\"warnings\":[\"image tag is not pinned\"]}}");
    kube_buf_dispose(&b);
    ck_assert_int_eq(kube_admission_response_set_status(resp, 422, "Invalid", "spec.replicas: too many"), KUBE_OK);
    ck_assert_int_eq(kube_admission_response_set_status(resp, 1000, NULL, NULL), KUBE_EINVAL);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_admission_response_write(&b, resp), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"status\":{\"status\":\"Failure\",\"message\":\"spec.replicas: too many\","
                                        "\"reason\":\"Invalid\",\"code\":422}"));
    kube_buf_dispose(&b);
    kube_admission_response_free(resp);
    kube_admission_response_free(NULL);
    kube_json_mut_doc_free(pd);
    kube_json_doc_free(doc);
}
END_TEST

START_TEST(request_update_and_delete)
{
    size_t len;
    char *body = kube_test_read_fixture("admission/deployment-scale-update.json", &len);
    kube_json_doc_t *doc = NULL;
    kube_admission_request_t req;
    ck_assert_int_eq(kube_admission_review_parse(&doc, &req, body, len, NULL), KUBE_OK);
    free(body);
    ck_assert_int_eq(req.operation, KUBE_ADMISSION_UPDATE);
    ck_assert_str_eq(req.kind.group, "autoscaling");
    ck_assert_str_eq(req.kind.kind, "Scale");
    ck_assert_str_eq(req.resource.group, "apps");
    ck_assert_str_eq(req.sub_resource, "scale");
    ck_assert_str_eq(req.request_resource.version, "v1beta1");
    ck_assert_str_eq(req.request_sub_resource, "scale");
    ck_assert_int_eq(req.dry_run, 1);
    ck_assert_ptr_null(req.user_uid);
    ck_assert_ptr_null(req.user_extra);
    int64_t replicas = 0;
    ck_assert_int_eq(kube_json_int64(kube_json_pointer(req.old_object, "/spec/replicas"), &replicas), KUBE_OK);
    ck_assert_int_eq(replicas, 3);

    kube_admission_response_t *resp;
    kube_buf_t b;
    ck_assert_int_eq(kube_admission_response_new(&resp, &req, NULL), KUBE_OK);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_admission_response_write(&b, resp), KUBE_OK);
    ck_assert_str_eq(b.ptr, "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{"
                            "\"uid\":\"0df28fbd-5f5f-11e8-bc74-36e6bb280816\",\"allowed\":true}}");
    kube_buf_dispose(&b);
    kube_admission_response_free(resp);
    kube_json_doc_free(doc);

    body = kube_test_read_fixture("admission/configmap-delete-v1beta1.json", &len);
    ck_assert_int_eq(kube_admission_review_parse(&doc, &req, body, len, NULL), KUBE_OK);
    free(body);
    ck_assert_int_eq(req.operation, KUBE_ADMISSION_DELETE);
    ck_assert_str_eq(req.review_api_version, "admission.k8s.io/v1beta1");
    ck_assert_ptr_null(req.object);
    ck_assert_ptr_nonnull(req.old_object);
    ck_assert_int_eq(req.has_request_kind, 0);
    ck_assert_int_eq(kube_admission_response_new(&resp, &req, NULL), KUBE_OK);
    ck_assert_int_eq(kube_admission_response_set_patch_json(resp, "[]", 2), KUBE_OK);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_admission_response_write(&b, resp), KUBE_OK);
    ck_assert_str_eq(b.ptr, "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"response\":{"
                            "\"uid\":\"c1\",\"allowed\":true,\"patchType\":\"JSONPatch\",\"patch\":\"W10=\"}}");
    kube_buf_dispose(&b);
    kube_admission_response_free(resp);
    kube_json_doc_free(doc);
}
END_TEST

START_TEST(request_errors)
{
    static const struct { const char *json; const char *needle; } bad[] = {
        {"[]", "not a JSON object"},
        {"{\"kind\":\"Review\",\"apiVersion\":\"admission.k8s.io/v1\"}", "kind"},
        {"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"v1\"}", "apiVersion"},
        {"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\"}", "request"},
        {"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{}}", "request.uid"},
        {"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\"}}",
         "request.kind"},
        {"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
         "\"kind\":{\"version\":\"v1\",\"kind\":\"Pod\"},\"resource\":{\"version\":\"v1\"}}}", "request.resource.resource"},
        {"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
         "\"kind\":{\"version\":\"v1\",\"kind\":\"Pod\"},\"resource\":{\"version\":\"v1\",\"resource\":\"pods\"},"
         "\"operation\":\"PATCH\"}}", "request.operation"},
        {"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
         "\"kind\":{\"version\":\"v1\",\"kind\":\"Pod\"},\"resource\":{\"version\":\"v1\",\"resource\":\"pods\"},"
         "\"operation\":\"CREATE\",\"dryRun\":\"yes\"}}", "request.dryRun"},
        {"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
         "\"kind\":{\"version\":\"v1\",\"kind\":\"Pod\"},\"resource\":{\"version\":\"v1\",\"resource\":\"pods\"},"
         "\"operation\":\"CREATE\",\"userInfo\":{\"groups\":\"x\"}}}", "userInfo.groups"},
        {"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
         "\"kind\":{\"version\":\"v1\",\"kind\":\"Pod\"},\"resource\":{\"version\":\"v1\",\"resource\":\"pods\"},"
         "\"operation\":\"CREATE\",\"namespace\":5}}", "request.namespace"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kube_json_doc_t *d = parse(bad[i].json);
        kube_admission_request_t req;
        ck_assert_msg(kube_admission_request_parse(&req, kube_json_doc_root(d)) == KUBE_EINVAL, "case %zu", i);
        ck_assert_msg(strstr(kube_error_last()->message, bad[i].needle), "case %zu: %s", i, kube_error_last()->message);
        kube_json_doc_free(d);
    }
    kube_json_doc_t *doc = NULL;
    kube_admission_request_t req;
    ck_assert_int_eq(kube_admission_review_parse(&doc, &req, "{not json", 9, NULL), KUBE_EINVAL);
    ck_assert_ptr_null(doc);
    ck_assert_int_eq(kube_admission_review_parse(&doc, &req, "{}", 2, NULL), KUBE_EINVAL);
    ck_assert_ptr_null(doc);

    kube_admission_response_t *resp;
    kube_buf_t b;
    ck_assert_int_eq(kube_admission_response_invalid(&resp, "cannot decode review", NULL), KUBE_OK);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_admission_response_write(&b, resp), KUBE_OK);
    ck_assert_str_eq(b.ptr, "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{"
                            "\"uid\":\"\",\"allowed\":false,\"status\":{\"status\":\"Failure\",\"message\":"
                            "\"cannot decode review\",\"reason\":\"InvalidRequest\",\"code\":400}}}");
    kube_buf_dispose(&b);
    kube_admission_response_free(resp);
    memset(&req, 0, sizeof req);
    ck_assert_int_eq(kube_admission_response_new(&resp, &req, NULL), KUBE_EINVAL);
}
END_TEST

START_TEST(admission_oom)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    size_t len;
    char *body = kube_test_read_fixture("admission/pod-create.json", &len);
    for (long n = 0;; n++) {
        kube_json_doc_t *doc = NULL;
        kube_admission_request_t req;
        kube_admission_response_t *resp = NULL;
        kube_buf_t b;
        kube_error_t rc;
        failmalloc_reset(&fm, n);
        kube_buf_init(&b, &mem);
        rc = kube_admission_review_parse(&doc, &req, body, len, &mem);
        if (!rc)
            rc = kube_admission_response_new(&resp, &req, &mem);
        if (!rc)
            rc = kube_admission_response_set_patch_json(resp, "[{\"op\":\"remove\",\"path\":\"/a\"}]", 29);
        if (!rc)
            rc = kube_admission_response_add_warning(resp, "w");
        if (!rc)
            rc = kube_admission_response_set_audit_annotation(resp, "k", "v");
        if (!rc)
            rc = kube_admission_response_write(&b, resp);
        kube_admission_response_free(resp);
        kube_json_doc_free(doc);
        if (rc == KUBE_OK) {
            ck_assert_ptr_nonnull(strstr(b.ptr, "\"warnings\":[\"w\"]"));
            kube_buf_dispose(&b);
            ck_assert_int_eq(fm.live, 0);
            break;
        }
        kube_buf_dispose(&b);
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_int_eq(fm.live, 0);
        ck_assert_int_lt(n, 500);
    }
    free(body);
}
END_TEST

START_TEST(conversion)
{
    size_t len;
    char *body = kube_test_read_fixture("admission/conversion.json", &len);
    kube_json_doc_t *doc = NULL;
    kube_conversion_request_t req;
    kube_conversion_response_t *resp;
    kube_json_iter_t it;
    const kube_json_t *o;
    kube_buf_t b;

    ck_assert_int_eq(kube_conversion_review_parse(&doc, &req, body, len, NULL), KUBE_OK);
    free(body);
    ck_assert_str_eq(req.uid, "705ab4f5-6393-11e8-b7cc-42010a800002");
    ck_assert_str_eq(req.desired_api_version, "example.com/v2");
    ck_assert_uint_eq(req.objects_len, 2);
    ck_assert_int_eq(kube_conversion_response_new(&resp, &req, NULL), KUBE_OK);
    kube_json_mut_doc_t *md = kube_conversion_response_doc(resp);
    kube_json_iter_init(&it, req.objects);
    /* v1 -> v2: rename spec.cronSpec to spec.schedule. */
    while ((o = kube_json_iter_next(&it, NULL, NULL))) {
        kube_json_mut_t *c = kube_json_mut_copy(md, o);
        kube_json_mut_t *spec = kube_json_mut_obj_get(c, "spec");
        kube_json_mut_t *cron = kube_json_mut_dup(md, kube_json_mut_obj_get(spec, "cronSpec"));
        ck_assert_int_eq(kube_json_mut_obj_set_str(c, "apiVersion", req.desired_api_version), KUBE_OK);
        ck_assert_int_eq(kube_json_mut_obj_remove(spec, "cronSpec"), 1);
        ck_assert_int_eq(kube_json_mut_obj_set(spec, "schedule", cron), KUBE_OK);
        ck_assert_int_eq(kube_conversion_response_add(resp, c), KUBE_OK);
    }
    ck_assert_int_eq(kube_conversion_response_add(resp, kube_json_mut_str(md, "x")), KUBE_EINVAL);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_conversion_response_write(&b, resp), KUBE_OK);
    ck_assert_str_eq(b.ptr,
                     "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\",\"response\":{"
                     "\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\",\"convertedObjects\":["
                     "{\"apiVersion\":\"example.com/v2\",\"kind\":\"CronTab\",\"metadata\":{\"name\":\"a\",\"namespace\":"
                     "\"default\",\"uid\":\"u-a\"},\"spec\":{\"image\":\"my-awesome-cron-image\",\"schedule\":\"* * * * */5\"}},"
                     "{\"apiVersion\":\"example.com/v2\",\"kind\":\"CronTab\",\"metadata\":{\"name\":\"b\",\"namespace\":"
                     "\"default\",\"uid\":\"u-b\"},\"spec\":{\"image\":\"nightly\",\"schedule\":\"0 0 * * *\"}}],"
                     "\"result\":{\"status\":\"Success\"}}}");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_conversion_response_fail(resp, "cannot convert b: unknown field"), KUBE_OK);
    ck_assert_int_eq(kube_conversion_response_write(&b, resp), KUBE_OK);
    ck_assert_str_eq(b.ptr,
                     "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\",\"response\":{"
                     "\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\",\"convertedObjects\":[],"
                     "\"result\":{\"status\":\"Failure\",\"message\":\"cannot convert b: unknown field\"}}}");
    kube_buf_dispose(&b);
    kube_conversion_response_free(resp);

    /* Objects already in the desired version are copied as they are. */
    ck_assert_int_eq(kube_conversion_response_new(&resp, &req, NULL), KUBE_OK);
    ck_assert_int_eq(kube_conversion_response_add_copy(resp, kube_json_at(req.objects, 1)), KUBE_OK);
    ck_assert_int_eq(kube_conversion_response_add_copy(resp, req.objects), KUBE_EINVAL);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_conversion_response_write(&b, resp), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"convertedObjects\":[{\"apiVersion\":\"example.com/v1\""));
    kube_buf_dispose(&b);
    kube_conversion_response_free(resp);
    kube_conversion_response_free(NULL);
    kube_json_doc_free(doc);

    ck_assert_int_eq(kube_conversion_response_invalid(&resp, "bad review", NULL), KUBE_OK);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_conversion_response_write(&b, resp), KUBE_OK);
    ck_assert_str_eq(b.ptr, "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\",\"response\":{"
                            "\"uid\":\"\",\"convertedObjects\":[],\"result\":{\"status\":\"Failure\",\"message\":"
                            "\"bad review\",\"reason\":\"InvalidRequest\"}}}");
    kube_buf_dispose(&b);
    kube_conversion_response_free(resp);

    static const char *const bad[] = {
        "{\"kind\":\"ConversionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{}}",
        "{\"kind\":\"ConversionReview\",\"apiVersion\":\"apiextensions.k8s.io/v1\"}",
        "{\"kind\":\"ConversionReview\",\"apiVersion\":\"apiextensions.k8s.io/v1\",\"request\":{\"uid\":\"u\"}}",
        ("{\"kind\":\"ConversionReview\",\"apiVersion\":\"apiextensions.k8s.io/v1\",\"request\":{\"uid\":\"u\","
        "\"desiredAPIVersion\":\"x/v1\",\"objects\":{}}}"),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        doc = NULL;
        ck_assert_int_eq(kube_conversion_review_parse(&doc, &req, bad[i], strlen(bad[i]), NULL), KUBE_EINVAL);
        ck_assert_ptr_null(doc);
    }
}
END_TEST

START_TEST(conversion_oom)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    size_t len;
    char *body = kube_test_read_fixture("admission/conversion.json", &len);
    for (long n = 0;; n++) {
        kube_json_doc_t *doc = NULL;
        kube_conversion_request_t req;
        kube_conversion_response_t *resp = NULL;
        kube_buf_t b;
        kube_error_t rc;
        failmalloc_reset(&fm, n);
        kube_buf_init(&b, &mem);
        rc = kube_conversion_review_parse(&doc, &req, body, len, &mem);
        if (!rc)
            rc = kube_conversion_response_new(&resp, &req, &mem);
        if (!rc)
            rc = kube_conversion_response_add_copy(resp, kube_json_at(req.objects, 0));
        if (!rc)
            rc = kube_conversion_response_write(&b, resp);
        kube_conversion_response_free(resp);
        kube_json_doc_free(doc);
        kube_buf_dispose(&b);
        if (rc == KUBE_OK) {
            ck_assert_int_eq(fm.live, 0);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_int_eq(fm.live, 0);
        ck_assert_int_lt(n, 500);
    }
    free(body);
}
END_TEST

Suite *kube_test_admission_suite(void)
{
    Suite *s = suite_create("admission");
    TCase *tc = tcase_create("admission");
    tcase_add_test(tc, request_create);
    tcase_add_test(tc, request_update_and_delete);
    tcase_add_test(tc, request_errors);
    tcase_add_test(tc, admission_oom);
    tcase_add_test(tc, conversion);
    tcase_add_test(tc, conversion_oom);
    suite_add_tcase(s, tc);
    return s;
}
