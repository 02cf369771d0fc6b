/* CRUD, patches and errors of ConfigMaps and Deployments against kube-emulator, using only
 * kcore's request builders, JSON accessors and Status decoder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kube/object.h>
#include <kube/params.h>
#include <kube/patch.h>
#include <kube/request.h>
#include <kube/status.h>

#include "itest.h"

#define CM() itest_res("configmaps")
#define DEPLOY() itest_res("deployments")

static const kube_json_t *at(const kube_json_doc_t *doc, const char *ptr)
{
    return kube_json_pointer(kube_json_doc_root(doc), ptr);
}

static const char *str_at(const kube_json_doc_t *doc, const char *ptr)
{
    return kube_json_string(at(doc, ptr));
}

static kube_body_t kube_body_string_json(const char *json) { return kube_body_bytes(json, strlen(json)); }

static void req_init(kube_http_request_t *r) { kube_http_request_init(r, NULL); }

static kube_json_doc_t *get_cm(const char *ns, const char *name)
{
    kube_http_request_t r;
    req_init(&r);
    ck_assert_int_eq(kube_request_get(&r, CM(), ns, name, NULL), KUBE_OK);
    kube_json_doc_t *d = itest_expect(&r, 200);
    kube_http_request_dispose(&r);
    return d;
}

static kube_json_doc_t *create_cm_text(const char *ns, const char *json)
{
    kube_http_request_t r;
    req_init(&r);
    ck_assert_int_eq(kube_request_create(&r, CM(), ns, NULL, kube_body_bytes(json, strlen(json))), KUBE_OK);
    kube_json_doc_t *d = itest_expect(&r, 201);
    kube_http_request_dispose(&r);
    return d;
}

START_TEST(configmap_lifecycle)
{
    char ns[64];
    itest_make_ns("crud", ns, sizeof ns);

    /* create, with the body made by the mutable JSON builder */
    kube_json_mut_doc_t *md;
    ck_assert_int_eq(kube_json_mut_doc_new(&md, NULL), KUBE_OK);
    kube_json_mut_t *root = kube_json_mut_obj(md), *meta = kube_json_mut_obj(md), *data = kube_json_mut_obj(md),
                    *labels = kube_json_mut_obj(md);
    ck_assert_int_eq(kube_json_mut_obj_set_str(root, "apiVersion", "v1"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(root, "kind", "ConfigMap"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(meta, "name", "cfg"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(labels, "app", "demo"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(meta, "labels", labels), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(root, "metadata", meta), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(data, "greeting", "h\xc3\xa9llo \"w\" \\ \xe2\x9c\x93"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(root, "data", data), KUBE_OK);
    kube_http_request_t r;
    req_init(&r);
    ck_assert_int_eq(kube_request_create(&r, CM(), ns, NULL, kube_body_json_mut(root)), KUBE_OK);
    ck_assert_str_eq(r.method, "POST");
    kube_json_doc_t *created = itest_expect(&r, 201);
    kube_json_mut_doc_free(md);
    const kube_json_t *obj = kube_json_doc_root(created);
    ck_assert_str_eq(kube_object_name(obj), "cfg");
    ck_assert_str_eq(kube_object_namespace(obj), ns);
    ck_assert_str_eq(kube_object_label(obj, "app"), "demo");
    ck_assert_ptr_nonnull(kube_object_uid(obj));
    ck_assert_ptr_nonnull(kube_object_creation_timestamp(obj));
    ck_assert_str_eq(str_at(created, "/data/greeting"), "h\xc3\xa9llo \"w\" \\ \xe2\x9c\x93");
    char rv1[32];
    snprintf(rv1, sizeof rv1, "%s", kube_object_resource_version(obj));

    /* the same name again: 409 AlreadyExists */
    kube_status_t *st = itest_expect_error(&r, 409, KUBE_EEXISTS, "AlreadyExists", "configmaps \"cfg\" already exists");
    ck_assert(kube_status_is_already_exists(st));
    ck_assert_str_eq(st->details_name, "cfg");
    ck_assert_str_eq(st->details_kind, "configmaps");
    kube_status_free(st);

    /* get equals what create answered */
    kube_json_doc_t *got = get_cm(ns, "cfg");
    ck_assert(kube_json_equal(kube_json_doc_root(got), obj));

    /* get a missing one: 404 NotFound with the server's message */
    ck_assert_int_eq(kube_request_get(&r, CM(), ns, "nope", NULL), KUBE_OK);
    st = itest_expect_error(&r, 404, KUBE_ENOTFOUND, "NotFound", "configmaps \"nope\" not found");
    ck_assert(kube_status_is_not_found(st));
    kube_status_free(st);

    /* replace with the current resourceVersion: accepted, new RV */
    char body[512];
    snprintf(body, sizeof body,
             "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"%s\","
             "\"resourceVersion\":\"%s\"},\"data\":{\"greeting\":\"replaced\"}}", ns, rv1);
    ck_assert_int_eq(kube_request_update(&r, CM(), ns, "cfg", NULL, kube_body_bytes(body, strlen(body))), KUBE_OK);
    ck_assert_str_eq(r.method, "PUT");
    kube_json_doc_t *replaced = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(replaced, "/data/greeting"), "replaced");
    ck_assert_ptr_null(kube_object_label(kube_json_doc_root(replaced), "app")); /* PUT replaces everything */
    ck_assert_str_ne(kube_object_resource_version(kube_json_doc_root(replaced)), rv1);
    ck_assert_str_eq(kube_object_uid(kube_json_doc_root(replaced)), kube_object_uid(obj));

    /* replace again with the now stale resourceVersion: 409 Conflict */
    st = itest_expect_error(&r, 409, KUBE_ECONFLICT, "Conflict", "the object has been modified");
    ck_assert(kube_status_is_conflict(st));
    kube_status_free(st);

    /* delete with a wrong uid precondition: 409 Conflict, object kept */
    kube_delete_params_t dp = KUBE_DELETE_PARAMS_INIT;
    dp.precondition_uid = "00000000-0000-0000-0000-000000000000";
    ck_assert_int_eq(kube_request_delete(&r, CM(), ns, "cfg", &dp), KUBE_OK);
    st = itest_expect_error(&r, 409, KUBE_ECONFLICT, "Conflict",
                            "the UID in the precondition (00000000-0000-0000-0000-000000000000) does not match");
    kube_status_free(st);

    /* delete with the right uid: a Success Status */
    dp.precondition_uid = kube_object_uid(obj);
    ck_assert_int_eq(kube_request_delete(&r, CM(), ns, "cfg", &dp), KUBE_OK);
    ck_assert_str_eq(r.method, "DELETE");
    kube_json_doc_t *del = itest_expect(&r, 200);
    kube_status_t *ds = NULL;
    ck_assert_int_eq(kube_status_from_json(&ds, kube_json_doc_root(del), NULL), KUBE_OK);
    ck_assert(kube_status_is_success(ds));
    ck_assert_int_eq(kube_status_error(ds, 200), KUBE_OK);
    kube_status_free(ds);

    /* gone: get and delete are 404 */
    ck_assert_int_eq(kube_request_get(&r, CM(), ns, "cfg", NULL), KUBE_OK);
    kube_status_free(itest_expect_error(&r, 404, KUBE_ENOTFOUND, "NotFound", "\"cfg\" not found"));
    ck_assert_int_eq(kube_request_delete(&r, CM(), ns, "cfg", NULL), KUBE_OK);
    kube_status_free(itest_expect_error(&r, 404, KUBE_ENOTFOUND, "NotFound", "\"cfg\" not found"));

    /* creating in a namespace that does not exist is a 404 too */
    const char *nons = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}";
    ck_assert_int_eq(kube_request_create(&r, CM(), "no-such-ns", NULL, kube_body_bytes(nons, strlen(nons))),
                     KUBE_OK);
    kube_status_free(itest_expect_error(&r, 404, KUBE_ENOTFOUND, "NotFound", "no-such-ns"));

    kube_json_doc_free(created);
    kube_json_doc_free(got);
    kube_json_doc_free(replaced);
    kube_json_doc_free(del);
    kube_http_request_dispose(&r);
}
END_TEST

START_TEST(configmap_dry_run_and_validation)
{
    char ns[64];
    itest_make_ns("crud", ns, sizeof ns);
    kube_http_request_t r;
    req_init(&r);
    const char *cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"},\"data\":{}}";
    kube_post_params_t pp = KUBE_POST_PARAMS_INIT;
    pp.dry_run = 1;
    ck_assert_int_eq(kube_request_create(&r, CM(), ns, &pp, kube_body_bytes(cm, strlen(cm))), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(r.path, "dryRun=All"));
    kube_json_doc_t *d = itest_expect(&r, 201);
    ck_assert_str_eq(kube_object_name(kube_json_doc_root(d)), "dry");
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_get(&r, CM(), ns, "dry", NULL), KUBE_OK);
    kube_status_free(itest_expect_error(&r, 404, KUBE_ENOTFOUND, "NotFound", NULL));

    /* an invalid name: 422 Invalid with a cause for metadata.name */
    const char *bad = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Bad_Name\"}}";
    ck_assert_int_eq(kube_request_create(&r, CM(), ns, NULL, kube_body_bytes(bad, strlen(bad))), KUBE_OK);
    kube_status_t *st = itest_expect_error(&r, 422, KUBE_EINVALIDOBJ, "Invalid", "Bad_Name");
    ck_assert(kube_status_is_invalid(st));
    ck_assert_uint_ge(st->cause_count, 1);
    ck_assert_str_eq(st->causes[0].field, "metadata.name");
    ck_assert_str_eq(st->causes[0].reason, "FieldValueInvalid");
    ck_assert_str_eq(st->details_name, "Bad_Name");
    kube_status_free(st);

    /* a Deployment without a selector: 422 with the cause */
    const char *dep = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"broken\"},"
                      "\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"x\"}},\"spec\":{\"containers\":[]}}}}";
    ck_assert_int_eq(kube_request_create(&r, DEPLOY(), ns, NULL, kube_body_bytes(dep, strlen(dep))), KUBE_OK);
    st = itest_expect_error(&r, 422, KUBE_EINVALIDOBJ, "Invalid", "Deployment.apps \"broken\" is invalid");
    ck_assert_uint_ge(st->cause_count, 1);
    ck_assert_str_eq(st->causes[0].field, "spec.selector");
    ck_assert_str_eq(st->causes[0].reason, "FieldValueRequired");
    ck_assert_str_eq(st->causes[0].message, "Required value");
    ck_assert_str_eq(st->details_group, "apps");
    ck_assert_str_eq(st->details_kind, "Deployment");
    kube_status_free(st);
    kube_http_request_dispose(&r);
}
END_TEST

START_TEST(configmap_patches)
{
    char ns[64];
    itest_make_ns("patch", ns, sizeof ns);
    kube_json_doc_t *c = create_cm_text(ns, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
                                            "{\"name\":\"p\",\"labels\":{\"keep\":\"1\",\"drop\":\"1\"}},"
                                            "\"data\":{\"a\":\"1\",\"b\":\"2\"}}");
    kube_http_request_t r;
    req_init(&r);

    /* merge patch computed by kcore from the old and the wanted object */
    kube_json_doc_t *want = itest_json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
                                       "{\"name\":\"p\",\"labels\":{\"keep\":\"1\",\"new\":\"x\"}},"
                                       "\"data\":{\"a\":\"1\",\"b\":\"two\",\"c\":\"3\"}}");
    kube_json_doc_t *from = itest_json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
                                       "{\"name\":\"p\",\"labels\":{\"keep\":\"1\",\"drop\":\"1\"}},"
                                       "\"data\":{\"a\":\"1\",\"b\":\"2\"}}");
    kube_buf_t diff;
    kube_buf_init(&diff, NULL);
    ck_assert_int_eq(kube_merge_patch_diff(&diff, kube_json_doc_root(from), kube_json_doc_root(want)), KUBE_OK);
    ck_assert_int_eq(kube_request_patch(&r, CM(), ns, "p", NULL, KUBE_PATCH_MERGE,
                                        kube_body_bytes(diff.ptr, diff.size)), KUBE_OK);
    ck_assert_str_eq(kube_http_request_header(&r, "Content-Type"), "application/merge-patch+json");
    kube_json_doc_t *m = itest_expect(&r, 200);
    ck_assert(kube_json_equal(at(m, "/data"), kube_json_pointer(kube_json_doc_root(want), "/data")));
    ck_assert(kube_json_equal(at(m, "/metadata/labels"), kube_json_pointer(kube_json_doc_root(want),
                                                                            "/metadata/labels")));
    const char *rv = kube_object_resource_version(kube_json_doc_root(m));

    /* JSON patch guarded by a test of the resourceVersion */
    kube_json_patch_t *jp;
    ck_assert_int_eq(kube_json_patch_new(&jp, NULL), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_test(jp, "/metadata/resourceVersion", kube_body_string(rv)), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_replace(jp, "/data/a", kube_body_string("one")), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_remove(jp, "/data/c"), KUBE_OK);
    ck_assert_int_eq(kube_json_patch_add(jp, "/metadata/labels/app.kubernetes.io~1name", kube_body_string("p")),
                     KUBE_OK);
    ck_assert_int_eq(kube_request_patch(&r, CM(), ns, "p", NULL, KUBE_PATCH_JSON, kube_json_patch_body(jp)),
                     KUBE_OK);
    ck_assert_str_eq(kube_http_request_header(&r, "Content-Type"), "application/json-patch+json");
    kube_json_doc_t *j = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(j, "/data/a"), "one");
    ck_assert_ptr_null(at(j, "/data/c"));
    ck_assert_str_eq(kube_object_label(kube_json_doc_root(j), "app.kubernetes.io/name"), "p");

    /* the same patch again: its test of the old resourceVersion fails (422) */
    kube_status_t *st = itest_expect_error(&r, 422, KUBE_EINVALIDOBJ, "Invalid",
                                           "the server rejected our request due to an error in our request");
    kube_status_free(st);
    kube_json_patch_free(jp);

    /* strategic merge patch on a ConfigMap (maps merge) */
    const char *smp = "{\"data\":{\"s\":\"strategic\"}}";
    ck_assert_int_eq(kube_request_patch(&r, CM(), ns, "p", NULL, KUBE_PATCH_STRATEGIC,
                                        kube_body_bytes(smp, strlen(smp))), KUBE_OK);
    ck_assert_str_eq(kube_http_request_header(&r, "Content-Type"), "application/strategic-merge-patch+json");
    kube_json_doc_t *s = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(s, "/data/s"), "strategic");
    ck_assert_str_eq(str_at(s, "/data/a"), "one");

    /* patching a missing object is a 404 */
    ck_assert_int_eq(kube_request_patch(&r, CM(), ns, "missing", NULL, KUBE_PATCH_STRATEGIC,
                                        kube_body_bytes(smp, strlen(smp))), KUBE_OK);
    kube_status_free(itest_expect_error(&r, 404, KUBE_ENOTFOUND, "NotFound", "\"missing\" not found"));

    kube_buf_dispose(&diff);
    kube_json_doc_free(c);
    kube_json_doc_free(want);
    kube_json_doc_free(from);
    kube_json_doc_free(m);
    kube_json_doc_free(j);
    kube_json_doc_free(s);
    kube_http_request_dispose(&r);
}
END_TEST

static const char *manager_of(const kube_json_doc_t *doc, const char *field_key)
{
    /* the manager whose fieldsV1 has f:data/f:<field_key> */
    const kube_json_t *mf = at(doc, "/metadata/managedFields");
    kube_json_iter_t it;
    kube_json_iter_init(&it, mf);
    const kube_json_t *e;
    char key[128];
    snprintf(key, sizeof key, "f:%s", field_key);
    while ((e = kube_json_iter_next(&it, NULL, NULL)) != NULL) {
        const kube_json_t *data = kube_json_get(kube_json_get(kube_json_get(e, "fieldsV1"), "f:data"), key);
        if (data)
            return kube_json_string(kube_json_get(e, "manager"));
    }
    return NULL;
}

START_TEST(server_side_apply)
{
    char ns[64];
    itest_make_ns("ssa", ns, sizeof ns);
    kube_http_request_t r;
    req_init(&r);
    kube_patch_params_t pp = KUBE_PATCH_PARAMS_INIT;

    /* apply without a field manager is refused by kcore itself */
    const char *a1 = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"applied\"},"
                     "\"data\":{\"owned-by-a\":\"1\",\"shared\":\"a\"}}";
    ck_assert_int_eq(kube_request_patch(&r, CM(), ns, "applied", &pp, KUBE_PATCH_APPLY,
                                        kube_body_bytes(a1, strlen(a1))), KUBE_EINVAL);

    /* manager a creates the object */
    pp.field_manager = "manager-a";
    ck_assert_int_eq(kube_request_patch(&r, CM(), ns, "applied", &pp, KUBE_PATCH_APPLY,
                                        kube_body_bytes(a1, strlen(a1))), KUBE_OK);
    ck_assert_str_eq(kube_http_request_header(&r, "Content-Type"), "application/apply-patch+yaml");
    ck_assert_ptr_nonnull(strstr(r.path, "fieldManager=manager-a"));
    kube_json_doc_t *d1 = itest_expect(&r, 201);
    ck_assert_str_eq(manager_of(d1, "shared"), "manager-a");
    ck_assert_str_eq(str_at(d1, "/metadata/managedFields/0/operation"), "Apply");

    /* manager b claims "shared" with another value: 409 Conflict with a cause naming the field */
    const char *b1 = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"applied\"},"
                     "\"data\":{\"shared\":\"b\",\"owned-by-b\":\"2\"}}";
    pp.field_manager = "manager-b";
    ck_assert_int_eq(kube_request_patch(&r, CM(), ns, "applied", &pp, KUBE_PATCH_APPLY,
                                        kube_body_bytes(b1, strlen(b1))), KUBE_OK);
    kube_status_t *st = itest_expect_error(&r, 409, KUBE_ECONFLICT, "Conflict", "manager-a");
    ck_assert_uint_ge(st->cause_count, 1);
    ck_assert_str_eq(st->causes[0].reason, "FieldManagerConflict");
    ck_assert_str_eq(st->causes[0].field, ".data.shared");
    kube_status_free(st);

    /* the same with force: b takes the field over */
    pp.force = 1;
    ck_assert_int_eq(kube_request_patch(&r, CM(), ns, "applied", &pp, KUBE_PATCH_APPLY,
                                        kube_body_bytes(b1, strlen(b1))), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(r.path, "force=true"));
    kube_json_doc_t *d2 = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(d2, "/data/shared"), "b");
    ck_assert_str_eq(str_at(d2, "/data/owned-by-a"), "1");
    ck_assert_str_eq(manager_of(d2, "shared"), "manager-b");
    ck_assert_str_eq(manager_of(d2, "owned-by-a"), "manager-a");

    /* force is refused by kcore for other patch types */
    ck_assert_int_eq(kube_request_patch(&r, CM(), ns, "applied", &pp, KUBE_PATCH_MERGE,
                                        kube_body_bytes(b1, strlen(b1))), KUBE_EINVAL);

    kube_json_doc_free(d1);
    kube_json_doc_free(d2);
    kube_http_request_dispose(&r);
}
END_TEST

static const kube_json_t *container(const kube_json_doc_t *d, const char *name)
{
    kube_json_iter_t it;
    kube_json_iter_init(&it, at(d, "/spec/template/spec/containers"));
    const kube_json_t *c;
    while ((c = kube_json_iter_next(&it, NULL, NULL)) != NULL)
        if (kube_json_string_eq(kube_json_get(c, "name"), name))
            return c;
    return NULL;
}

START_TEST(deployment_lifecycle)
{
    char ns[64];
    itest_make_ns("deploy", ns, sizeof ns);
    kube_http_request_t r;
    req_init(&r);
    const char *dep = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
                      "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                      "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":"
                      "[{\"name\":\"main\",\"image\":\"nginx:1.27\"}]}}}}";
    ck_assert_int_eq(kube_request_create(&r, DEPLOY(), ns, NULL, kube_body_bytes(dep, strlen(dep))), KUBE_OK);
    ck_assert_str_eq(r.path + strlen(r.path) - strlen("/deployments"), "/deployments");
    ck_assert_ptr_nonnull(strstr(r.path, "/apis/apps/v1/namespaces/"));
    kube_json_doc_t *d = itest_expect(&r, 201);
    ck_assert_str_eq(kube_object_kind(kube_json_doc_root(d)), "Deployment");
    ck_assert_str_eq(kube_object_api_version(kube_json_doc_root(d)), "apps/v1");
    ck_assert_int_eq(kube_object_generation(kube_json_doc_root(d)), 1);
    kube_json_doc_free(d);

    /* strategic merge: containers merge by name (one changed, one added) */
    const char *smp = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"nginx:1.28\"},"
                      "{\"name\":\"sidecar\",\"image\":\"busybox:1.36\"}]}}}}";
    ck_assert_int_eq(kube_request_patch(&r, DEPLOY(), ns, "web", NULL, KUBE_PATCH_STRATEGIC,
                                        kube_body_bytes(smp, strlen(smp))), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_uint_eq(kube_json_size(at(d, "/spec/template/spec/containers")), 2);
    ck_assert_str_eq(kube_json_string(kube_json_get(container(d, "main"), "image")), "nginx:1.28");
    ck_assert_str_eq(kube_json_string(kube_json_get(container(d, "sidecar"), "image")), "busybox:1.36");
    ck_assert_int_eq(kube_object_generation(kube_json_doc_root(d)), 2);
    kube_json_doc_free(d);

    /* a merge patch replaces the list as a whole */
    const char *mp = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"only\",\"image\":\"redis:7\"}]}}}}";
    ck_assert_int_eq(kube_request_patch(&r, DEPLOY(), ns, "web", NULL, KUBE_PATCH_MERGE,
                                        kube_body_bytes(mp, strlen(mp))), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_uint_eq(kube_json_size(at(d, "/spec/template/spec/containers")), 1);
    ck_assert_ptr_nonnull(container(d, "only"));
    kube_json_doc_free(d);

    /* scale subresource */
    const char *sp = "{\"spec\":{\"replicas\":5}}";
    ck_assert_int_eq(kube_request_patch_scale(&r, DEPLOY(), ns, "web", NULL, KUBE_PATCH_MERGE,
                                              kube_body_bytes(sp, strlen(sp))), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_str_eq(kube_object_kind(kube_json_doc_root(d)), "Scale");
    int64_t n = 0;
    ck_assert_int_eq(kube_json_int64(at(d, "/spec/replicas"), &n), KUBE_OK);
    ck_assert_int_eq(n, 5);
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_get_scale(&r, DEPLOY(), ns, "web"), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_int_eq(kube_json_int64(at(d, "/spec/replicas"), &n), KUBE_OK);
    ck_assert_int_eq(n, 5);
    kube_json_doc_free(d);

    /* rollout restart: the template annotation kcore writes */
    ck_assert_int_eq(kube_request_restart(&r, DEPLOY(), ns, "web", "2026-11-22T01:00:00Z"), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(d, "/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt"),
                     "2026-11-22T01:00:00Z");

    /* replace with a stale resourceVersion: 409; with the current one: 200 */
    kube_buf_t body;
    kube_buf_init(&body, NULL);
    ck_assert_int_eq(kube_json_write(&body, kube_json_doc_root(d), 0), KUBE_OK);
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_patch(&r, DEPLOY(), ns, "web", NULL, KUBE_PATCH_MERGE,
                                        kube_body_string_json("{\"metadata\":{\"labels\":{\"touched\":\"1\"}}}")),
                     KUBE_OK);
    d = itest_expect(&r, 200);
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_update(&r, DEPLOY(), ns, "web", NULL, kube_body_bytes(body.ptr, body.size)),
                     KUBE_OK);
    kube_status_free(itest_expect_error(&r, 409, KUBE_ECONFLICT, "Conflict", "deployments.apps \"web\""));
    kube_buf_dispose(&body);

    /* metadata-only get */
    ck_assert_int_eq(kube_request_get_metadata(&r, DEPLOY(), ns, "web", NULL), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_str_eq(kube_object_kind(kube_json_doc_root(d)), "PartialObjectMetadata");
    ck_assert_str_eq(kube_object_label(kube_json_doc_root(d), "touched"), "1");
    ck_assert_ptr_null(at(d, "/spec"));
    kube_json_doc_free(d);

    /* delete (foreground): the object stays with a deletionTimestamp until GC finishes */
    kube_delete_params_t dp = KUBE_DELETE_PARAMS_INIT;
    dp.propagation_policy = KUBE_PROPAGATION_BACKGROUND;
    ck_assert_int_eq(kube_request_delete(&r, DEPLOY(), ns, "web", &dp), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(r.body, "\"propagationPolicy\":\"Background\""));
    d = itest_expect(&r, 200);
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_get(&r, DEPLOY(), ns, "web", NULL), KUBE_OK);
    kube_status_free(itest_expect_error(&r, 404, KUBE_ENOTFOUND, "NotFound", "deployments.apps \"web\" not found"));
    kube_http_request_dispose(&r);
}
END_TEST

START_TEST(unrouted_and_plain_text_errors)
{
    /* a 404 that is not a Status (plain text): the decoder synthesises one */
    kube_http_request_t r;
    req_init(&r);
    kube_body_t none = {KUBE_BODY_NONE, NULL, 0, NULL, NULL};
    ck_assert_int_eq(kube_request_raw(&r, "GET", "/no/such/path", none, NULL), KUBE_OK);
    http_resp_t resp;
    itest_call(&r, &resp);
    ck_assert_int_eq(resp.status, 404);
    kube_status_t *st = NULL;
    ck_assert_int_eq(kube_status_classify(&st, resp.status, resp.content_type, resp.body.ptr, resp.body.size,
                                          NULL), KUBE_ENOTFOUND);
    ck_assert_str_eq(st->reason, "NotFound");
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "404 page not found"));
    kube_status_free(st);
    http_resp_dispose(&resp);

    /* /version through the raw builder */
    ck_assert_int_eq(kube_request_raw(&r, "GET", "/version", none, NULL), KUBE_OK);
    kube_json_doc_t *v = itest_expect(&r, 200);
    ck_assert_str_eq(str_at(v, "/major"), "1");
    kube_json_doc_free(v);
    kube_http_request_dispose(&r);
}
END_TEST

START_TEST(subresources_and_helpers)
{
    char ns[64];
    itest_make_ns("sub", ns, sizeof ns);
    kube_http_request_t r;
    req_init(&r);

    /* deletecollection with a label selector removes exactly the matching objects */
    for (int i = 0; i < 5; i++) {
        char body[256];
        snprintf(body, sizeof body, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dc-%d\","
                 "\"labels\":{\"group\":\"%s\"}}}", i, i < 3 ? "x" : "y");
        kube_json_doc_free(create_cm_text(ns, body));
    }
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    lp.label_selector = "group=x";
    ck_assert_int_eq(kube_request_deletecollection(&r, CM(), ns, NULL, &lp), KUBE_OK);
    ck_assert_str_eq(r.method, "DELETE");
    ck_assert_ptr_null(r.body); /* default options: no body, as kube-rs */
    kube_json_doc_t *d = itest_expect(&r, 200);
    ck_assert_str_eq(kube_object_kind(kube_json_doc_root(d)), "ConfigMapList");
    ck_assert_uint_eq(kube_json_size(at(d, "/items")), 3);
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_list(&r, CM(), ns, NULL), KUBE_OK);
    d = itest_expect(&r, 200);
    size_t left = 0;
    kube_json_iter_t it;
    kube_json_iter_init(&it, at(d, "/items"));
    const kube_json_t *o;
    while ((o = kube_json_iter_next(&it, NULL, NULL)) != NULL)
        if (kube_object_label(o, "group")) {
            left++;
            ck_assert_str_eq(kube_object_label(o, "group"), "y");
        }
    ck_assert_uint_eq(left, 2);
    kube_json_doc_free(d);

    /* status subresource: a status patch lands, the main endpoint ignores status */
    const char *dep = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"st\"},"
                      "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"st\"}},"
                      "\"template\":{\"metadata\":{\"labels\":{\"app\":\"st\"}},\"spec\":{\"containers\":"
                      "[{\"name\":\"main\",\"image\":\"nginx:1.27\"}]}}}}";
    ck_assert_int_eq(kube_request_create(&r, DEPLOY(), ns, NULL, kube_body_bytes(dep, strlen(dep))), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 201));
    const char *sp = "{\"status\":{\"replicas\":1,\"readyReplicas\":1,\"observedGeneration\":1}}";
    ck_assert_int_eq(kube_request_patch_status(&r, DEPLOY(), ns, "st", NULL, KUBE_PATCH_MERGE,
                                               kube_body_bytes(sp, strlen(sp))), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(r.path, "/deployments/st/status"));
    d = itest_expect(&r, 200);
    int64_t n = 0;
    ck_assert_int_eq(kube_json_int64(at(d, "/status/readyReplicas"), &n), KUBE_OK);
    ck_assert_int_eq(n, 1);
    kube_json_doc_free(d);
    const char *main_sp = "{\"status\":{\"readyReplicas\":7}}";
    ck_assert_int_eq(kube_request_patch(&r, DEPLOY(), ns, "st", NULL, KUBE_PATCH_MERGE,
                                        kube_body_bytes(main_sp, strlen(main_sp))), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_int_eq(kube_json_int64(at(d, "/status/readyReplicas"), &n), KUBE_OK);
    ck_assert_int_eq(n, 1);
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_get_status(&r, DEPLOY(), ns, "st"), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_int_eq(kube_json_int64(at(d, "/status/replicas"), &n), KUBE_OK);
    ck_assert_int_eq(n, 1);
    kube_json_doc_free(d);

    /* a pod: ephemeral container added with a strategic patch, then evicted */
    const char *pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"ev\"},\"spec\":"
                      "{\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\"}]}}";
    ck_assert_int_eq(kube_request_create(&r, itest_res("pods"), ns, NULL, kube_body_bytes(pod, strlen(pod))), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 201));
    const char *eph = "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"debugger\",\"image\":\"busybox:1.36\","
                      "\"targetContainerName\":\"main\"}]}}";
    ck_assert_int_eq(kube_request_patch_ephemeral_containers(&r, ns, "ev", NULL, KUBE_PATCH_STRATEGIC,
                                                             kube_body_bytes(eph, strlen(eph))), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert_str_eq(kube_json_string(at(d, "/spec/ephemeralContainers/0/name")), "debugger");
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_evict(&r, ns, "ev", NULL), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(r.body, "\"kind\":\"Eviction\""));
    d = itest_expect(&r, 201);
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_get(&r, itest_res("pods"), ns, "ev", NULL), KUBE_OK);
    http_resp_t resp;
    itest_call(&r, &resp);
    /* gone, or going (graceful deletion) */
    ck_assert_msg(resp.status == 404 || strstr(resp.body.ptr, "deletionTimestamp") != NULL, "evicted pod: %d %.200s",
                  resp.status, resp.body.ptr);
    http_resp_dispose(&resp);

    /* cordon / uncordon the emulator's node */
    ck_assert_int_eq(kube_request_cordon(&r, "emulator-node"), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert(kube_json_is_true(at(d, "/spec/unschedulable")));
    kube_json_doc_free(d);
    ck_assert_int_eq(kube_request_uncordon(&r, "emulator-node"), KUBE_OK);
    d = itest_expect(&r, 200);
    ck_assert(!kube_json_is_true(at(d, "/spec/unschedulable")));
    kube_json_doc_free(d);

    /* get with resourceVersion=0 (any cached state) */
    kube_get_params_t gp = KUBE_GET_PARAMS_INIT;
    gp.resource_version = "0";
    ck_assert_int_eq(kube_request_get(&r, DEPLOY(), ns, "st", &gp), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(r.path, "resourceVersion=0"));
    kube_json_doc_free(itest_expect(&r, 200));
    kube_http_request_dispose(&r);
}
END_TEST

static const kube_resource_t blobs = {KUBE_RESOURCE_VERSION, "itest.example.com", "v1", "Blob", "blobs", "blob",
                                      KUBE_SCOPE_NAMESPACED, NULL};

/* Values that are hard to carry exactly: through kcore's builder and writer, the
 * server's decoder and encoder (Python's json here), and kcore's parser back. */
static kube_json_mut_t *tricky_spec(kube_json_mut_doc_t *md)
{
    kube_json_mut_t *spec = kube_json_mut_obj(md), *strs = kube_json_mut_obj(md), *nested = kube_json_mut_arr(md);
    ck_assert_int_eq(kube_json_mut_obj_set(spec, "i64min", kube_json_mut_int(md, INT64_MIN)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(spec, "i64max", kube_json_mut_int(md, INT64_MAX)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(spec, "u64max", kube_json_mut_uint(md, UINT64_MAX)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(spec, "p53plus1", kube_json_mut_int(md, 9007199254740993LL)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(spec, "tenth", kube_json_mut_real(md, 0.1)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(spec, "denormal", kube_json_mut_real(md, 5e-324)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(spec, "dblmax", kube_json_mut_real(md, 1.7976931348623157e308)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(spec, "third", kube_json_mut_real(md, -1.0 / 3.0)), KUBE_OK);
    static const char nul[] = "before\0after";
    ck_assert_int_eq(kube_json_mut_obj_set(strs, "nul", kube_json_mut_strn(md, nul, sizeof nul - 1)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(strs, "emoji", "smile \xf0\x9f\x98\x80 \xf0\x9d\x84\x9e"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(strs, "controls", "\x01\x08\t\n\f\r\x1f\x7f"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(strs, "separators", "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(strs, "punct", "\"quoted\" back\\slash /slash/ <html>&amp;"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(strs, "cjk \xe6\xbc\xa2\xe5\xad\x97 key", "\xe6\x97\xa5\xe6\x9c\xac"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(spec, "strings", strs), KUBE_OK);
    kube_json_mut_t *inner = kube_json_mut_arr(md), *deep = kube_json_mut_arr(md), *o = kube_json_mut_obj(md),
                    *vals = kube_json_mut_arr(md);
    ck_assert_int_eq(kube_json_mut_arr_append(deep, kube_json_mut_arr(md)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(inner, deep), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(nested, inner), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(nested, kube_json_mut_obj(md)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(vals, kube_json_mut_null(md)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(vals, kube_json_mut_bool(md, 1)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(vals, kube_json_mut_bool(md, 0)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(vals, kube_json_mut_int(md, 0)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(o, "a", vals), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(nested, o), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(spec, "nested", nested), KUBE_OK);
    return spec;
}

static void assert_exact_numbers(const kube_json_t *spec)
{
    int64_t i;
    uint64_t u;
    double dv;
    ck_assert_int_eq(kube_json_int64(kube_json_get(spec, "i64min"), &i), KUBE_OK);
    ck_assert(i == INT64_MIN);
    ck_assert_int_eq(kube_json_int64(kube_json_get(spec, "i64max"), &i), KUBE_OK);
    ck_assert(i == INT64_MAX);
    ck_assert_int_eq(kube_json_uint64(kube_json_get(spec, "u64max"), &u), KUBE_OK);
    ck_assert(u == UINT64_MAX);
    ck_assert_int_eq(kube_json_int64(kube_json_get(spec, "p53plus1"), &i), KUBE_OK);
    ck_assert(i == 9007199254740993LL);
    ck_assert_int_eq(kube_json_double(kube_json_get(spec, "tenth"), &dv), KUBE_OK);
    ck_assert(dv == 0.1);
    ck_assert_int_eq(kube_json_double(kube_json_get(spec, "denormal"), &dv), KUBE_OK);
    ck_assert(dv == 5e-324);
    ck_assert_int_eq(kube_json_double(kube_json_get(spec, "dblmax"), &dv), KUBE_OK);
    ck_assert(dv == 1.7976931348623157e308);
    ck_assert_int_eq(kube_json_double(kube_json_get(spec, "third"), &dv), KUBE_OK);
    ck_assert(dv == -1.0 / 3.0);
    const kube_json_t *nul = kube_json_pointer(spec, "/strings/nul");
    ck_assert_uint_eq(kube_json_string_len(nul), 12);
    ck_assert_int_eq(memcmp(kube_json_string(nul), "before\0after", 12), 0);
}

START_TEST(json_fidelity_through_the_server)
{
    char ns[64];
    itest_make_ns("json", ns, sizeof ns);
    kube_http_request_t r;
    req_init(&r);
    const char *crd = "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
                      "\"metadata\":{\"name\":\"blobs.itest.example.com\"},\"spec\":{\"group\":\"itest.example.com\","
                      "\"scope\":\"Namespaced\",\"names\":{\"plural\":\"blobs\",\"singular\":\"blob\",\"kind\":\"Blob\","
                      "\"listKind\":\"BlobList\"},\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,"
                      "\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true}}}]}}";
    ck_assert_int_eq(kube_request_create(&r, itest_res("customresourcedefinitions"), NULL, NULL,
                                         kube_body_bytes(crd, strlen(crd))), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 201));
    /* wait for Established */
    ck_assert_int_eq(kube_request_get(&r, itest_res("customresourcedefinitions"), NULL, "blobs.itest.example.com",
                                      NULL), KUBE_OK);
    int64_t deadline = http_min_now_ms() + 10000;
    for (;;) {
        kube_json_doc_t *d = itest_expect(&r, 200);
        int est = 0;
        kube_json_iter_t it;
        kube_json_iter_init(&it, at(d, "/status/conditions"));
        const kube_json_t *c;
        while ((c = kube_json_iter_next(&it, NULL, NULL)) != NULL)
            if (kube_json_string_eq(kube_json_get(c, "type"), "Established") &&
                kube_json_string_eq(kube_json_get(c, "status"), "True"))
                est = 1;
        kube_json_doc_free(d);
        if (est)
            break;
        ck_assert_msg(http_min_now_ms() < deadline, "the CRD never became Established");
    }

    kube_json_mut_doc_t *md;
    ck_assert_int_eq(kube_json_mut_doc_new(&md, NULL), KUBE_OK);
    kube_json_mut_t *root = kube_json_mut_obj(md), *meta = kube_json_mut_obj(md);
    ck_assert_int_eq(kube_json_mut_obj_set_str(root, "apiVersion", "itest.example.com/v1"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(root, "kind", "Blob"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_str(meta, "name", "b1"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(root, "metadata", meta), KUBE_OK);
    kube_json_mut_t *spec = tricky_spec(md);
    ck_assert_int_eq(kube_json_mut_obj_set(root, "spec", spec), KUBE_OK);
    kube_json_doc_t *sent;
    ck_assert_int_eq(kube_json_mut_freeze(&sent, spec, NULL), KUBE_OK);
    assert_exact_numbers(kube_json_doc_root(sent));

    ck_assert_int_eq(kube_request_create(&r, &blobs, ns, NULL, kube_body_json_mut(root)), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(r.path, "/apis/itest.example.com/v1/namespaces/"));
    kube_json_doc_t *created = itest_expect(&r, 201);
    ck_assert_msg(kube_json_equal(at(created, "/spec"), kube_json_doc_root(sent)), "create answer differs: %.2000s",
                  r.body);
    assert_exact_numbers(at(created, "/spec"));

    ck_assert_int_eq(kube_request_get(&r, &blobs, ns, "b1", NULL), KUBE_OK);
    kube_json_doc_t *got = itest_expect(&r, 200);
    ck_assert(kube_json_equal(at(got, "/spec"), kube_json_doc_root(sent)));
    assert_exact_numbers(at(got, "/spec"));

    /* the same values written back by kcore (a replace) survive a second round trip */
    kube_buf_t text;
    kube_buf_init(&text, NULL);
    ck_assert_int_eq(kube_json_write(&text, kube_json_doc_root(got), 0), KUBE_OK);
    ck_assert_int_eq(kube_request_update(&r, &blobs, ns, "b1", NULL, kube_body_bytes(text.ptr, text.size)), KUBE_OK);
    kube_json_doc_t *replaced = itest_expect(&r, 200);
    ck_assert(kube_json_equal(at(replaced, "/spec"), kube_json_doc_root(sent)));
    kube_buf_dispose(&text);

    kube_json_doc_free(sent);
    kube_json_doc_free(created);
    kube_json_doc_free(got);
    kube_json_doc_free(replaced);
    kube_json_mut_doc_free(md);
    kube_http_request_dispose(&r);
}
END_TEST

static Suite *crud_suite(void)
{
    Suite *s = suite_create("integration-crud");
    TCase *tc = itest_tcase("crud", 60);
    tcase_add_test(tc, configmap_lifecycle);
    tcase_add_test(tc, configmap_dry_run_and_validation);
    tcase_add_test(tc, configmap_patches);
    tcase_add_test(tc, server_side_apply);
    tcase_add_test(tc, deployment_lifecycle);
    tcase_add_test(tc, unrouted_and_plain_text_errors);
    tcase_add_test(tc, subresources_and_helpers);
    tcase_add_test(tc, json_fidelity_through_the_server);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return itest_main(crud_suite(), NULL);
}
