/* request_builder: requests are values.
 *
 * Builds a handful of Kubernetes API requests with libkube-core and prints
 * each one (method, path and query, headers, body) without sending anything:
 * a paginated list with a label selector, a watch, a server-side apply, a
 * JSON patch with a test operation, a merge patch computed from two versions
 * of an object, a delete with preconditions, an exec and a rollout restart.
 *
 * Build: part of the meson build (example-request_builder). Run it with no
 * arguments; it exits non-zero if any request fails to build.
 */
#include <stdio.h>
#include <string.h>

#include <kube/json.h>
#include <kube/params.h>
#include <kube/patch.h>
#include <kube/request.h>

static const kube_resource_t pods = {KUBE_RESOURCE_VERSION, "", "v1", "Pod", "pods", "pod",
                                     KUBE_SCOPE_NAMESPACED, NULL};
static const kube_resource_t deployments = {KUBE_RESOURCE_VERSION, "apps", "v1", "Deployment",
                                            "deployments", "deployment", KUBE_SCOPE_NAMESPACED, NULL};
static const kube_resource_t configmaps = {KUBE_RESOURCE_VERSION, "", "v1", "ConfigMap",
                                           "configmaps", "configmap", KUBE_SCOPE_NAMESPACED, NULL};

static int show(const char *title, kube_error_t rc, const kube_http_request_t *req)
{
    printf("== %s\n", title);
    if (rc != KUBE_OK) {
        printf("   error %s: %s\n\n", kube_error_name(rc), kube_error_last()->message);
        return 1;
    }
    printf("%s %s\n", req->method, req->path);
    for (size_t i = 0; i < req->header_count; i++)
        printf("%s: %s\n", req->headers[i].name, req->headers[i].value);
    if (req->flags & KUBE_HTTP_STREAM)
        printf("(streaming response)\n");
    if (req->flags & KUBE_HTTP_UPGRADE)
        printf("(WebSocket upgrade)\n");
    if (req->body)
        printf("\n%.*s\n", (int)req->body_len, req->body);
    printf("\n");
    return 0;
}

static kube_json_doc_t *parse(const char *text)
{
    kube_json_doc_t *doc = NULL;
    if (kube_json_parse(&doc, text, strlen(text), NULL) != KUBE_OK)
        return NULL;
    return doc;
}

int main(void)
{
    kube_http_request_t req;
    int failures = 0;
    kube_error_t rc;

    kube_http_request_init(&req, NULL);

    /* 1. First page of pods matching a set-based selector. */
    {
        kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
        lp.label_selector = "app in (web,api),!canary";
        lp.limit = 500;
        rc = kube_request_list(&req, &pods, "shop", &lp);
        failures += show("list pods, first page", rc, &req);
    }

    /* 2. A watch resuming from a known resourceVersion (bookmarks and the
     *    290 s timeout are the defaults). */
    rc = kube_request_watch(&req, &pods, NULL, NULL, "10245");
    failures += show("watch pods in all namespaces", rc, &req);

    /* 3. Server-side apply of a ConfigMap, forcing ownership. */
    {
        kube_patch_params_t pp = KUBE_PATCH_PARAMS_INIT;
        static const char cm[] = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                                 "\"metadata\":{\"name\":\"settings\"},\"data\":{\"mode\":\"fast\"}}";
        pp.field_manager = "request-builder-example";
        pp.force = 1;
        rc = kube_request_patch(&req, &configmaps, "shop", "settings", &pp, KUBE_PATCH_APPLY,
                                kube_body_bytes(cm, sizeof cm - 1));
        failures += show("server-side apply", rc, &req);
    }

    /* 4. A JSON patch guarded by a resourceVersion test. */
    {
        kube_json_patch_t *jp = NULL;
        kube_buf_t path;
        kube_buf_init(&path, NULL);
        rc = kube_json_patch_new(&jp, NULL);
        if (rc == KUBE_OK)
            rc = kube_json_patch_test(jp, "/metadata/resourceVersion", kube_body_string("812"));
        if (rc == KUBE_OK)
            rc = kube_buf_puts(&path, "/metadata/labels");
        if (rc == KUBE_OK)
            rc = kube_json_patch_pointer_append(&path, "app.kubernetes.io/version");
        if (rc == KUBE_OK)
            rc = kube_json_patch_add(jp, path.ptr, kube_body_string("1.4.2"));
        if (rc == KUBE_OK)
            rc = kube_request_patch(&req, &pods, "shop", "web-7d4b9", NULL, KUBE_PATCH_JSON,
                                    kube_json_patch_body(jp));
        failures += show("JSON patch with a test", rc, &req);
        kube_json_patch_free(jp);
        kube_buf_dispose(&path);
    }

    /* 5. A merge patch computed from the old and the new object. */
    {
        kube_json_doc_t *old_doc = parse("{\"metadata\":{\"labels\":{\"tier\":\"1\",\"old\":\"x\"}},"
                                         "\"data\":{\"a\":\"1\",\"b\":\"2\"}}");
        kube_json_doc_t *new_doc = parse("{\"metadata\":{\"labels\":{\"tier\":\"2\"}},"
                                         "\"data\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}");
        kube_buf_t diff;
        kube_buf_init(&diff, NULL);
        rc = old_doc && new_doc ? KUBE_OK : KUBE_EINVAL;
        if (rc == KUBE_OK)
            rc = kube_merge_patch_diff(&diff, kube_json_doc_root(old_doc), kube_json_doc_root(new_doc));
        if (rc == KUBE_OK)
            rc = kube_request_patch(&req, &configmaps, "shop", "settings", NULL, KUBE_PATCH_MERGE,
                                    kube_body_bytes(diff.ptr, diff.size));
        failures += show("merge patch from a diff", rc, &req);
        kube_buf_dispose(&diff);
        kube_json_doc_free(old_doc);
        kube_json_doc_free(new_doc);
    }

    /* 6. Delete with foreground propagation and a UID precondition. */
    {
        kube_delete_params_t dp = KUBE_DELETE_PARAMS_INIT;
        dp.propagation_policy = KUBE_PROPAGATION_FOREGROUND;
        dp.precondition_uid = "6f2c1e0a-5b7d-4c1a-9e3f-0d2b8a7c6e54";
        rc = kube_request_delete(&req, &deployments, "shop", "web", &dp);
        failures += show("delete with preconditions", rc, &req);
    }

    /* 7. Exec a shell command (the transport performs the WebSocket upgrade). */
    {
        static const char *const argv[] = {"sh", "-c", "echo hello from $(hostname)"};
        rc = kube_request_exec(&req, "shop", "web-7d4b9", argv, 3, NULL);
        failures += show("exec", rc, &req);
    }

    /* 8. kubectl rollout restart; kcore has no clock, so the time is passed in. */
    rc = kube_request_restart(&req, &deployments, "shop", "web", "2026-11-22T01:00:00Z");
    failures += show("rollout restart", rc, &req);

    /* 9. A validation error: watch timeouts must stay below 295 s. */
    {
        kube_watch_params_t wp = KUBE_WATCH_PARAMS_INIT;
        wp.timeout_seconds = 600;
        rc = kube_request_watch(&req, &pods, "shop", &wp, NULL);
        printf("== invalid watch timeout\n   %s: %s\n", kube_error_name(rc), kube_error_last()->message);
        if (rc != KUBE_EINVAL)
            failures++;
    }

    kube_http_request_dispose(&req);
    return failures ? 1 : 0;
}
