/* Request builders: exact method, path+query, headers and body for every verb,
 * both scopes, the core and named groups, escaping, every parameter mapping and
 * every validation error. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <kube/json.h>
#include <kube/patch.h>
#include <kube/request.h>
#include "failmalloc.h"

static const kube_resource_t pods = {KUBE_RESOURCE_VERSION, "", "v1", "Pod", "pods", "pod",
                                     KUBE_SCOPE_NAMESPACED, NULL};
static const kube_resource_t secrets = {KUBE_RESOURCE_VERSION, "", "v1", "Secret", "secrets",
                                        "secret", KUBE_SCOPE_NAMESPACED, NULL};
static const kube_resource_t nodes = {KUBE_RESOURCE_VERSION, "", "v1", "Node", "nodes", "node",
                                      KUBE_SCOPE_CLUSTER, NULL};
static const kube_resource_t namespaces = {KUBE_RESOURCE_VERSION, "", "v1", "Namespace",
                                           "namespaces", "namespace", KUBE_SCOPE_CLUSTER, NULL};
static const kube_resource_t deployments = {KUBE_RESOURCE_VERSION, "apps", "v1", "Deployment",
                                            "deployments", "deployment", KUBE_SCOPE_NAMESPACED, NULL};
static const kube_resource_t replicasets = {KUBE_RESOURCE_VERSION, "apps", "v1", "ReplicaSet",
                                            "replicasets", "replicaset", KUBE_SCOPE_NAMESPACED, NULL};
static const kube_resource_t roles = {KUBE_RESOURCE_VERSION, "rbac.authorization.k8s.io", "v1",
                                      "Role", "roles", "role", KUBE_SCOPE_NAMESPACED, NULL};
static const kube_resource_t crds = {KUBE_RESOURCE_VERSION, "apiextensions.k8s.io", "v1",
                                     "CustomResourceDefinition", "customresourcedefinitions",
                                     "customresourcedefinition", KUBE_SCOPE_CLUSTER, NULL};
static const kube_resource_t widgets = {KUBE_RESOURCE_VERSION, "example.com", "v1alpha1", "Widget",
                                        "widgets", "widget", KUBE_SCOPE_NAMESPACED, NULL};

#define ACCEPT_JSON "application/json"

static kube_http_request_t R;

static void setup(void)
{
    kube_http_request_init(&R, NULL);
}

static void teardown(void)
{
    kube_http_request_dispose(&R);
}

/* Assert method, path, Accept and (when body is non-NULL) Content-Type and body. */
static void expect(const char *method, const char *path)
{
    ck_assert_ptr_nonnull(R.method);
    ck_assert_str_eq(R.method, method);
    ck_assert_ptr_nonnull(R.path);
    ck_assert_str_eq(R.path, path);
}

static void expect_no_body(void)
{
    ck_assert_ptr_null(R.body);
    ck_assert_uint_eq(R.body_len, 0);
    ck_assert_ptr_null(kube_http_request_header(&R, "Content-Type"));
}

static void expect_body(const char *ctype, const char *body)
{
    ck_assert_ptr_nonnull(R.body);
    ck_assert_str_eq(kube_http_request_header(&R, "Content-Type"), ctype);
    ck_assert_uint_eq(R.body_len, strlen(body));
    ck_assert_str_eq(R.body, body);
}

static void expect_accept(const char *accept)
{
    ck_assert_str_eq(kube_http_request_header(&R, "accept"), accept);
}

/* The call failed with @p code and the message mentions @p needle; R is untouched. */
#define EXPECT_ERR(call, ecode, needle)                                              \
    do {                                                                            \
        ck_assert_int_eq((call), (ecode));                                           \
        ck_assert_int_eq(kube_error_last()->code, (ecode));                          \
        ck_assert_msg(strstr(kube_error_last()->message, (needle)) != NULL,         \
                      "message \"%s\" lacks \"%s\"", kube_error_last()->message, (needle)); \
    } while (0)

/* ---- URL shapes ---- */

START_TEST(url_shapes_for_scopes_and_groups)
{
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", NULL), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods");
    expect_accept(ACCEPT_JSON);
    expect_no_body();
    ck_assert_uint_eq(R.header_count, 1);
    ck_assert_uint_eq(R.flags, 0);
    ck_assert_int_eq(kube_request_list(&R, &pods, NULL, &lp), KUBE_OK);
    expect("GET", "/api/v1/pods");
    ck_assert_int_eq(kube_request_list(&R, &pods, "", &lp), KUBE_OK);
    expect("GET", "/api/v1/pods");
    ck_assert_int_eq(kube_request_list(&R, &nodes, NULL, NULL), KUBE_OK);
    expect("GET", "/api/v1/nodes");
    ck_assert_int_eq(kube_request_list(&R, &namespaces, NULL, NULL), KUBE_OK);
    expect("GET", "/api/v1/namespaces");
    ck_assert_int_eq(kube_request_list(&R, &deployments, "ns", NULL), KUBE_OK);
    expect("GET", "/apis/apps/v1/namespaces/ns/deployments");
    ck_assert_int_eq(kube_request_list(&R, &deployments, NULL, NULL), KUBE_OK);
    expect("GET", "/apis/apps/v1/deployments");
    ck_assert_int_eq(kube_request_list(&R, &crds, NULL, NULL), KUBE_OK);
    expect("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
    ck_assert_int_eq(kube_request_get(&R, &deployments, "ns", "mydeploy", NULL), KUBE_OK);
    expect("GET", "/apis/apps/v1/namespaces/ns/deployments/mydeploy");
    ck_assert_int_eq(kube_request_get(&R, &nodes, NULL, "node-1", NULL), KUBE_OK);
    expect("GET", "/api/v1/nodes/node-1");
    ck_assert_int_eq(kube_request_get(&R, &namespaces, NULL, "kube-system", NULL), KUBE_OK);
    expect("GET", "/api/v1/namespaces/kube-system");
    ck_assert_int_eq(kube_request_get_scale(&R, &deployments, "ns", "web"), KUBE_OK);
    expect("GET", "/apis/apps/v1/namespaces/ns/deployments/web/scale");
    ck_assert_int_eq(kube_request_create(&R, &roles, "ns", NULL, kube_body_bytes("{}", 2)), KUBE_OK);
    expect("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/ns/roles");
    ck_assert_int_eq(kube_request_get(&R, &widgets, "team-a", "w1", NULL), KUBE_OK);
    expect("GET", "/apis/example.com/v1alpha1/namespaces/team-a/widgets/w1");
}
END_TEST

/* Every verb for the four combinations of scope and group, exactly. */
START_TEST(every_verb_scope_and_group)
{
    static const struct {
        const kube_resource_t *res;
        const char *ns;
        const char *collection; /* the collection path */
    } cases[] = {
        {&pods, "ns", "/api/v1/namespaces/ns/pods"},
        {&nodes, NULL, "/api/v1/nodes"},
        {&deployments, "ns", "/apis/apps/v1/namespaces/ns/deployments"},
        {&crds, NULL, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"},
    };
    kube_body_t body = kube_body_bytes("{}", 2);
    char want[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const kube_resource_t *res = cases[i].res;
        const char *ns = cases[i].ns, *c = cases[i].collection;
        ck_assert_int_eq(kube_request_get(&R, res, ns, "x", NULL), KUBE_OK);
        snprintf(want, sizeof want, "%s/x", c);
        expect("GET", want);
        ck_assert_int_eq(kube_request_list(&R, res, ns, NULL), KUBE_OK);
        expect("GET", c);
        ck_assert_int_eq(kube_request_watch(&R, res, ns, NULL, "5"), KUBE_OK);
        snprintf(want, sizeof want, "%s?watch=true&timeoutSeconds=290&allowWatchBookmarks=true&resourceVersion=5", c);
        expect("GET", want);
        ck_assert_int_eq(kube_request_create(&R, res, ns, NULL, body), KUBE_OK);
        expect("POST", c);
        ck_assert_int_eq(kube_request_update(&R, res, ns, "x", NULL, body), KUBE_OK);
        snprintf(want, sizeof want, "%s/x", c);
        expect("PUT", want);
        ck_assert_int_eq(kube_request_patch(&R, res, ns, "x", NULL, KUBE_PATCH_MERGE, body), KUBE_OK);
        expect("PATCH", want);
        ck_assert_int_eq(kube_request_delete(&R, res, ns, "x", NULL), KUBE_OK);
        expect("DELETE", want);
        ck_assert_int_eq(kube_request_deletecollection(&R, res, ns, NULL, NULL), KUBE_OK);
        expect("DELETE", c);
        ck_assert_int_eq(kube_request_get_status(&R, res, ns, "x"), KUBE_OK);
        snprintf(want, sizeof want, "%s/x/status", c);
        expect("GET", want);
        ck_assert_int_eq(kube_request_patch_scale(&R, res, ns, "x", NULL, KUBE_PATCH_MERGE, body), KUBE_OK);
        snprintf(want, sizeof want, "%s/x/scale", c);
        expect("PATCH", want);
        ck_assert_int_eq(kube_request_get_metadata(&R, res, ns, "x", NULL), KUBE_OK);
        snprintf(want, sizeof want, "%s/x", c);
        expect("GET", want);
        expect_accept(KUBE_ACCEPT_METADATA);
    }
    /* all-namespaces list and watch of namespaced resources */
    ck_assert_int_eq(kube_request_watch(&R, &deployments, NULL, NULL, NULL), KUBE_OK);
    expect("GET", "/apis/apps/v1/deployments?watch=true&timeoutSeconds=290&allowWatchBookmarks=true");
    ck_assert_int_eq(kube_request_list_metadata(&R, &pods, NULL, NULL), KUBE_OK);
    expect("GET", "/api/v1/pods");
}
END_TEST

START_TEST(scope_and_name_errors)
{
    kube_resource_t bad = pods;
    EXPECT_ERR(kube_request_get(&R, &pods, NULL, "p", NULL), KUBE_EINVAL, "namespace is required");
    EXPECT_ERR(kube_request_get(&R, &pods, "", "p", NULL), KUBE_EINVAL, "namespace is required");
    EXPECT_ERR(kube_request_create(&R, &pods, NULL, NULL, kube_body_bytes("{}", 2)), KUBE_EINVAL,
               "namespace is required");
    EXPECT_ERR(kube_request_deletecollection(&R, &pods, NULL, NULL, NULL), KUBE_EINVAL,
               "namespace is required");
    EXPECT_ERR(kube_request_get(&R, &nodes, "ns", "n", NULL), KUBE_EINVAL, "cluster-scoped");
    EXPECT_ERR(kube_request_list(&R, &nodes, "ns", NULL), KUBE_EINVAL, "cluster-scoped");
    EXPECT_ERR(kube_request_get(&R, &pods, "ns", "", NULL), KUBE_EINVAL, "non-empty name");
    EXPECT_ERR(kube_request_get(&R, &pods, "ns", NULL, NULL), KUBE_EINVAL, "non-empty name");
    EXPECT_ERR(kube_request_get(&R, &pods, "ns", "..", NULL), KUBE_EINVAL, "not a valid name");
    EXPECT_ERR(kube_request_get(&R, &pods, ".", "p", NULL), KUBE_EINVAL, "namespace");
    EXPECT_ERR(kube_request_update(&R, &pods, "ns", "", NULL, kube_body_bytes("{}", 2)),
               KUBE_EINVAL, "non-empty name");
    EXPECT_ERR(kube_request_delete(&R, &pods, "ns", "", NULL), KUBE_EINVAL, "non-empty name");
    EXPECT_ERR(kube_request_patch(&R, &pods, "ns", "", NULL, KUBE_PATCH_MERGE,
                                  kube_body_bytes("{}", 2)),
               KUBE_EINVAL, "non-empty name");
    EXPECT_ERR(kube_request_get_subresource(&R, &pods, "ns", "p", ""), KUBE_EINVAL, "subresource");
    EXPECT_ERR(kube_request_list(&R, NULL, "ns", NULL), KUBE_EINVAL, "NULL resource");
    bad.struct_version = 0;
    EXPECT_ERR(kube_request_list(&R, &bad, "ns", NULL), KUBE_EINVAL, "struct_version");
    bad = pods;
    bad.plural = "";
    EXPECT_ERR(kube_request_list(&R, &bad, "ns", NULL), KUBE_EINVAL, "plural");
    bad = pods;
    bad.scope = (kube_scope_t)7;
    EXPECT_ERR(kube_request_list(&R, &bad, "ns", NULL), KUBE_EINVAL, "unknown scope");
    /* Errors leave the request as it was. */
    ck_assert_ptr_null(R.path);
    ck_assert_ptr_null(R.method);
}
END_TEST

START_TEST(path_segments_are_escaped)
{
    ck_assert_int_eq(kube_request_get(&R, &pods, "ns", "a/b c?d#e%f", NULL), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/a%2Fb%20c%3Fd%23e%25f");
    ck_assert_int_eq(kube_request_get(&R, &roles, "ns", "system:controller:x@y=z+w&v$~", NULL),
                     KUBE_OK);
    expect("GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/ns/roles/"
                  "system:controller:x@y=z+w&v$~");
    ck_assert_int_eq(kube_request_get(&R, &pods, "ns", "caf\xc3\xa9,;!", NULL), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/caf%C3%A9%2C%3B%21");
}
END_TEST

/* ---- get / list ---- */

START_TEST(get_with_resource_version)
{
    kube_get_params_t gp = KUBE_GET_PARAMS_INIT;
    gp.resource_version = "0";
    ck_assert_int_eq(kube_request_get(&R, &deployments, "ns", "mydeploy", &gp), KUBE_OK);
    expect("GET", "/apis/apps/v1/namespaces/ns/deployments/mydeploy?resourceVersion=0");
    gp.resource_version = "665";
    ck_assert_int_eq(kube_request_get_metadata(&R, &deployments, "ns", "mydeploy", &gp), KUBE_OK);
    expect("GET", "/apis/apps/v1/namespaces/ns/deployments/mydeploy?resourceVersion=665");
    expect_accept("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
    expect_no_body();
    gp.version = 0;
    EXPECT_ERR(kube_request_get(&R, &pods, "ns", "p", &gp), KUBE_EINVAL, "kube_get_params_t.version");
}
END_TEST

START_TEST(list_resource_version_rules)
{
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    /* match_any(): RV "0" + NotOlderThan */
    lp.resource_version = "0";
    lp.version_match = KUBE_VERSION_MATCH_NOT_OLDER_THAN;
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?resourceVersion=0&resourceVersionMatch=NotOlderThan");
    /* A limit drops RV "0" and its match. */
    lp.limit = 50;
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?limit=50");
    /* A continue token drops RV and match. */
    lp.continue_token = "1234";
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?limit=50&continue=1234");
    lp.resource_version = "9999";
    lp.version_match = KUBE_VERSION_MATCH_EXACT;
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?limit=50&continue=1234");
    /* A non-zero RV is kept with a limit. */
    lp.continue_token = NULL;
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?limit=50&resourceVersion=9999&resourceVersionMatch=Exact");
    lp.limit = 0;
    lp.resource_version = "500";
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?resourceVersion=500&resourceVersionMatch=Exact");
    lp.version_match = KUBE_VERSION_MATCH_UNSET;
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?resourceVersion=500");
    /* Validation */
    lp.resource_version = "0";
    lp.version_match = KUBE_VERSION_MATCH_EXACT;
    EXPECT_ERR(kube_request_list(&R, &pods, "ns", &lp), KUBE_EINVAL,
               "non-zero resource_version is required when using an Exact match");
    lp.limit = 10; /* validation happens before the mapping drops RV "0" */
    EXPECT_ERR(kube_request_list(&R, &pods, "ns", &lp), KUBE_EINVAL, "Exact match");
    lp.resource_version = NULL;
    lp.version_match = KUBE_VERSION_MATCH_NOT_OLDER_THAN;
    EXPECT_ERR(kube_request_list(&R, &pods, "ns", &lp), KUBE_EINVAL,
               "resource_version is required when using an explicit match");
    lp.version_match = (kube_version_match_t)9;
    EXPECT_ERR(kube_request_list(&R, &pods, "ns", &lp), KUBE_EINVAL, "version_match");
    ck_assert_str_eq(R.path, "/api/v1/namespaces/ns/pods?resourceVersion=500");
}
END_TEST

START_TEST(list_selectors_are_form_encoded)
{
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    lp.label_selector = "app in (a,b)";
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?labelSelector=app+in+%28a%2Cb%29");
    lp.label_selector = "!foo";
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?labelSelector=%21foo");
    lp.label_selector = "a=b,c!=d";
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?labelSelector=a%3Db%2Cc%21%3Dd");
    lp.label_selector = "app.kubernetes.io/name=x_y-z*~";
    lp.field_selector = "metadata.name=pod=1";
    lp.timeout_seconds = 30;
    lp.limit = 500;
    ck_assert_int_eq(kube_request_list(&R, &pods, NULL, &lp), KUBE_OK);
    expect("GET", "/api/v1/pods?fieldSelector=metadata.name%3Dpod%3D1"
                  "&labelSelector=app.kubernetes.io%2Fname%3Dx_y-z*%7E&timeoutSeconds=30&limit=500");
    lp.label_selector = "k=caf\xc3\xa9&\x01";
    lp.field_selector = NULL;
    lp.timeout_seconds = 0;
    lp.limit = 0;
    ck_assert_int_eq(kube_request_list(&R, &pods, "ns", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?labelSelector=k%3Dcaf%C3%A9%26%01");
}
END_TEST

START_TEST(list_metadata_accept)
{
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    lp.resource_version = "5";
    lp.version_match = KUBE_VERSION_MATCH_NOT_OLDER_THAN;
    ck_assert_int_eq(kube_request_list_metadata(&R, &deployments, "ns", &lp), KUBE_OK);
    expect("GET", "/apis/apps/v1/namespaces/ns/deployments?resourceVersion=5&resourceVersionMatch=NotOlderThan");
    expect_accept(KUBE_ACCEPT_METADATA_LIST);
    ck_assert_str_eq(KUBE_ACCEPT_METADATA_LIST,
                     "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
}
END_TEST

/* ---- watch ---- */

START_TEST(watch_mappings)
{
    kube_watch_params_t wp = KUBE_WATCH_PARAMS_INIT;
    ck_assert_int_eq(kube_request_watch(&R, &pods, "ns", NULL, "0"), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?watch=true&timeoutSeconds=290&allowWatchBookmarks=true&resourceVersion=0");
    expect_accept(ACCEPT_JSON);
    expect_no_body();
    ck_assert_uint_eq(R.flags, KUBE_HTTP_STREAM);
    ck_assert_int_eq(kube_request_watch(&R, &pods, NULL, &wp, "42"), KUBE_OK);
    expect("GET", "/api/v1/pods?watch=true&timeoutSeconds=290&allowWatchBookmarks=true&resourceVersion=42");
    ck_assert_int_eq(kube_request_watch(&R, &pods, "ns", &wp, NULL), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?watch=true&timeoutSeconds=290&allowWatchBookmarks=true");
    wp.send_initial_events = 1;
    ck_assert_int_eq(kube_request_watch(&R, &pods, "ns", &wp, "0"), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?watch=true&timeoutSeconds=290&allowWatchBookmarks=true"
                  "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=0");
    ck_assert_int_eq(kube_request_watch(&R, &pods, "ns", &wp, ""), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?watch=true&timeoutSeconds=290&allowWatchBookmarks=true"
                  "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=");
    wp.send_initial_events = 0;
    wp.bookmarks = 0;
    wp.field_selector = "metadata.name=pod=1";
    wp.label_selector = "app=web";
    wp.timeout_seconds = 0;
    ck_assert_int_eq(kube_request_watch(&R, &pods, "ns", &wp, "0"), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods?watch=true&timeoutSeconds=0"
                  "&fieldSelector=metadata.name%3Dpod%3D1&labelSelector=app%3Dweb&resourceVersion=0");
    ck_assert_int_eq(kube_request_watch_metadata(&R, &nodes, NULL, NULL, "7"), KUBE_OK);
    expect("GET", "/api/v1/nodes?watch=true&timeoutSeconds=290&allowWatchBookmarks=true&resourceVersion=7");
    expect_accept(KUBE_ACCEPT_METADATA);
    wp.timeout_seconds = 295;
    EXPECT_ERR(kube_request_watch(&R, &pods, "ns", &wp, ""), KUBE_EINVAL, "must be < 295s");
    wp.timeout_seconds = 294;
    wp.send_initial_events = 1;
    EXPECT_ERR(kube_request_watch(&R, &pods, "ns", &wp, ""), KUBE_EINVAL,
               "bookmarks must be set when using send_initial_events");
}
END_TEST

/* ---- writes ---- */

START_TEST(create_and_update)
{
    kube_post_params_t pp = KUBE_POST_PARAMS_INIT;
    char long_fm[130];
    ck_assert_int_eq(kube_request_create(&R, &secrets, "ns", &pp, kube_body_bytes("{\"a\":1}", 7)),
                     KUBE_OK);
    expect("POST", "/api/v1/namespaces/ns/secrets");
    expect_accept(ACCEPT_JSON);
    expect_body("application/json", "{\"a\":1}");
    ck_assert_uint_eq(R.header_count, 2);
    pp.dry_run = 1;
    pp.field_manager = "kubectl create";
    pp.field_validation = KUBE_FIELD_VALIDATION_STRICT;
    ck_assert_int_eq(kube_request_create(&R, &nodes, NULL, &pp, kube_body_bytes("{}", 2)), KUBE_OK);
    expect("POST", "/api/v1/nodes?dryRun=All&fieldManager=kubectl+create&fieldValidation=Strict");
    pp.field_manager = NULL;
    pp.field_validation = KUBE_FIELD_VALIDATION_WARN;
    ck_assert_int_eq(kube_request_update(&R, &deployments, "ns", "myds", &pp,
                                         kube_body_string("x")),
                     KUBE_OK);
    expect("PUT", "/apis/apps/v1/namespaces/ns/deployments/myds?dryRun=All&fieldValidation=Warn");
    expect_body("application/json", "\"x\"");
    pp.dry_run = 0;
    pp.field_validation = KUBE_FIELD_VALIDATION_IGNORE;
    ck_assert_int_eq(kube_request_update_status(&R, &crds, NULL, "mycrd.domain.io", &pp,
                                                kube_body_bytes("{}", 2)),
                     KUBE_OK);
    expect("PUT", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/mycrd.domain.io/status"
                  "?fieldValidation=Ignore");
    memset(long_fm, 'm', 129);
    long_fm[129] = '\0';
    pp.field_manager = long_fm;
    EXPECT_ERR(kube_request_create(&R, &pods, "ns", &pp, kube_body_bytes("{}", 2)), KUBE_EINVAL,
               "kube_post_params_t.field_manager is 129 bytes");
    long_fm[128] = '\0';
    ck_assert_int_eq(kube_request_create(&R, &pods, "ns", &pp, kube_body_bytes("{}", 2)), KUBE_OK);
    pp.field_manager = "a\nb";
    EXPECT_ERR(kube_request_create(&R, &pods, "ns", &pp, kube_body_bytes("{}", 2)), KUBE_EINVAL,
               "control character");
    pp.field_manager = NULL;
    pp.field_validation = (kube_field_validation_t)4;
    EXPECT_ERR(kube_request_create(&R, &pods, "ns", &pp, kube_body_bytes("{}", 2)), KUBE_EINVAL,
               "field_validation");
    EXPECT_ERR(kube_request_create(&R, &pods, "ns", NULL, kube_body_bytes("", 0)), KUBE_EINVAL,
               "a body is required");
    {
        kube_body_t none = {KUBE_BODY_NONE, NULL, 0, NULL, NULL};
        EXPECT_ERR(kube_request_create(&R, &pods, "ns", NULL, none), KUBE_EINVAL, "a body is required");
    }
    EXPECT_ERR(kube_request_create(&R, &pods, "ns", NULL, kube_body_json(NULL)), KUBE_EINVAL,
               "NULL JSON value");
    EXPECT_ERR(kube_request_create(&R, &pods, "ns", NULL, kube_body_string("\xff")), KUBE_EINVAL,
               "not valid UTF-8");
}
END_TEST

START_TEST(json_value_bodies)
{
    kube_json_doc_t *doc = NULL;
    kube_json_mut_doc_t *md = NULL;
    kube_json_mut_t *obj;
    const char *text = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"k\":\"v\"}}";
    ck_assert_int_eq(kube_json_parse(&doc, text, strlen(text), NULL), KUBE_OK);
    ck_assert_int_eq(kube_request_create(&R, &pods, "ns", NULL, kube_body_json(kube_json_doc_root(doc))),
                     KUBE_OK);
    expect_body("application/json", text);
    ck_assert_int_eq(kube_json_mut_doc_new(&md, NULL), KUBE_OK);
    obj = kube_json_mut_obj(md);
    ck_assert_int_eq(kube_json_mut_obj_set_int(obj, "replicas", 3), KUBE_OK);
    ck_assert_int_eq(kube_request_patch_scale(&R, &deployments, "ns", "web", NULL, KUBE_PATCH_MERGE,
                                              kube_body_json_mut(obj)),
                     KUBE_OK);
    expect("PATCH", "/apis/apps/v1/namespaces/ns/deployments/web/scale");
    expect_body("application/merge-patch+json", "{\"replicas\":3}");
    kube_json_mut_doc_free(md);
    kube_json_doc_free(doc);
}
END_TEST

START_TEST(patch_types_and_params)
{
    kube_patch_params_t pp = KUBE_PATCH_PARAMS_INIT;
    kube_body_t body = kube_body_bytes("{\"spec\":{}}", 11);
    ck_assert_int_eq(kube_request_patch(&R, &pods, "ns", "p", NULL, KUBE_PATCH_MERGE, body), KUBE_OK);
    expect("PATCH", "/api/v1/namespaces/ns/pods/p");
    expect_accept(ACCEPT_JSON);
    expect_body("application/merge-patch+json", "{\"spec\":{}}");
    ck_assert_int_eq(kube_request_patch(&R, &pods, "ns", "p", &pp, KUBE_PATCH_STRATEGIC, body), KUBE_OK);
    expect_body("application/strategic-merge-patch+json", "{\"spec\":{}}");
    ck_assert_int_eq(kube_request_patch(&R, &pods, "ns", "p", &pp, KUBE_PATCH_JSON,
                                        kube_body_bytes("[]", 2)),
                     KUBE_OK);
    expect_body("application/json-patch+json", "[]");
    EXPECT_ERR(kube_request_patch(&R, &pods, "ns", "p", &pp, KUBE_PATCH_APPLY, body), KUBE_EINVAL,
               "field_manager is required for KUBE_PATCH_APPLY");
    EXPECT_ERR(kube_request_patch(&R, &pods, "ns", "p", NULL, KUBE_PATCH_APPLY, body), KUBE_EINVAL,
               "field_manager is required");
    pp.field_manager = "";
    EXPECT_ERR(kube_request_patch(&R, &pods, "ns", "p", &pp, KUBE_PATCH_APPLY, body), KUBE_EINVAL,
               "field_manager is required");
    pp.field_manager = "my-operator";
    pp.force = 1;
    pp.dry_run = 1;
    pp.field_validation = KUBE_FIELD_VALIDATION_STRICT;
    ck_assert_int_eq(kube_request_patch(&R, &widgets, "ns", "w", &pp, KUBE_PATCH_APPLY, body), KUBE_OK);
    expect("PATCH", "/apis/example.com/v1alpha1/namespaces/ns/widgets/w"
                    "?dryRun=All&force=true&fieldManager=my-operator&fieldValidation=Strict");
    expect_body("application/apply-patch+yaml", "{\"spec\":{}}");
    EXPECT_ERR(kube_request_patch(&R, &pods, "ns", "p", &pp, KUBE_PATCH_MERGE, body), KUBE_EINVAL,
               "force only works with KUBE_PATCH_APPLY");
    EXPECT_ERR(kube_request_patch(&R, &pods, "ns", "p", &pp, (kube_patch_type_t)0, body), KUBE_EINVAL,
               "patch type 0 is unknown");
    pp.force = 0;
    pp.dry_run = 0;
    pp.field_validation = KUBE_FIELD_VALIDATION_UNSET;
    ck_assert_int_eq(kube_request_patch_status(&R, &nodes, NULL, "mynode", &pp, KUBE_PATCH_MERGE, body),
                     KUBE_OK);
    expect("PATCH", "/api/v1/nodes/mynode/status?fieldManager=my-operator");
    ck_assert_int_eq(kube_request_patch_metadata(&R, &pods, "ns", "mypod", NULL, KUBE_PATCH_MERGE, body),
                     KUBE_OK);
    expect("PATCH", "/api/v1/namespaces/ns/pods/mypod");
    expect_accept(KUBE_ACCEPT_METADATA);
    expect_body("application/merge-patch+json", "{\"spec\":{}}");
    ck_assert_int_eq(kube_request_patch_subresource(&R, &nodes, NULL, "mynode", "scale", NULL,
                                                    KUBE_PATCH_MERGE, body),
                     KUBE_OK);
    expect("PATCH", "/api/v1/nodes/mynode/scale");
    EXPECT_ERR(kube_request_patch(&R, &pods, "ns", "p", NULL, KUBE_PATCH_MERGE, kube_body_bytes(NULL, 0)),
               KUBE_EINVAL, "a body is required");
}
END_TEST

/* ---- deletes ---- */

START_TEST(delete_bodies)
{
    kube_delete_params_t dp = KUBE_DELETE_PARAMS_INIT;
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    ck_assert_int_eq(kube_request_delete(&R, &replicasets, "ns", "myrs", NULL), KUBE_OK);
    expect("DELETE", "/apis/apps/v1/namespaces/ns/replicasets/myrs");
    expect_accept(ACCEPT_JSON);
    expect_body("application/json", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\"}");
    dp.dry_run = 1;
    dp.grace_period_seconds = 0;
    dp.propagation_policy = KUBE_PROPAGATION_FOREGROUND;
    dp.precondition_uid = "u-1";
    dp.precondition_resource_version = "7";
    ck_assert_int_eq(kube_request_delete(&R, &nodes, NULL, "n1", &dp), KUBE_OK);
    expect("DELETE", "/api/v1/nodes/n1");
    expect_body("application/json",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,"
                "\"preconditions\":{\"uid\":\"u-1\",\"resourceVersion\":\"7\"},"
                "\"propagationPolicy\":\"Foreground\",\"dryRun\":[\"All\"]}");
    kube_delete_params_init(&dp, KUBE_DELETE_PARAMS_VERSION);
    dp.propagation_policy = KUBE_PROPAGATION_BACKGROUND;
    dp.precondition_resource_version = "8";
    ck_assert_int_eq(kube_request_delete(&R, &pods, "ns", "p", &dp), KUBE_OK);
    expect_body("application/json", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                                    "\"preconditions\":{\"resourceVersion\":\"8\"},"
                                    "\"propagationPolicy\":\"Background\"}");
    dp.precondition_resource_version = NULL;
    dp.propagation_policy = KUBE_PROPAGATION_ORPHAN;
    dp.grace_period_seconds = 30;
    ck_assert_int_eq(kube_request_delete(&R, &pods, "ns", "p", &dp), KUBE_OK);
    expect_body("application/json", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                                    "\"gracePeriodSeconds\":30,\"propagationPolicy\":\"Orphan\"}");
    /* deletecollection: only the selectors, and no body for default options */
    lp.label_selector = "app=myapp";
    lp.field_selector = "status.phase=Failed";
    lp.limit = 3;
    lp.continue_token = "x";
    ck_assert_int_eq(kube_request_deletecollection(&R, &replicasets, "ns", NULL, &lp), KUBE_OK);
    expect("DELETE", "/apis/apps/v1/namespaces/ns/replicasets?fieldSelector=status.phase%3DFailed"
                     "&labelSelector=app%3Dmyapp");
    expect_no_body();
    ck_assert_int_eq(kube_request_deletecollection(&R, &nodes, NULL, &dp, NULL), KUBE_OK);
    expect("DELETE", "/api/v1/nodes");
    expect_body("application/json", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                                    "\"gracePeriodSeconds\":30,\"propagationPolicy\":\"Orphan\"}");
    dp.grace_period_seconds = -2;
    EXPECT_ERR(kube_request_delete(&R, &pods, "ns", "p", &dp), KUBE_EINVAL,
               "grace_period_seconds is -2");
    dp.grace_period_seconds = KUBE_PARAM_UNSET;
    dp.propagation_policy = (kube_propagation_t)4;
    EXPECT_ERR(kube_request_deletecollection(&R, &pods, "ns", &dp, NULL), KUBE_EINVAL,
               "propagation_policy");
    kube_delete_params_init(&dp, KUBE_DELETE_PARAMS_VERSION);
    dp.precondition_uid = "\xc3";
    EXPECT_ERR(kube_request_delete(&R, &pods, "ns", "p", &dp), KUBE_EINVAL, "precondition_uid");
    lp.version_match = KUBE_VERSION_MATCH_EXACT;
    EXPECT_ERR(kube_request_deletecollection(&R, &pods, "ns", NULL, &lp), KUBE_EINVAL, "version_match");
}
END_TEST

/* ---- generic subresources ---- */

START_TEST(subresources)
{
    ck_assert_int_eq(kube_request_get_subresource(&R, &nodes, NULL, "mynode", "scale"), KUBE_OK);
    expect("GET", "/api/v1/nodes/mynode/scale");
    ck_assert_int_eq(kube_request_get_status(&R, &deployments, "ns", "web"), KUBE_OK);
    expect("GET", "/apis/apps/v1/namespaces/ns/deployments/web/status");
    ck_assert_int_eq(kube_request_create_subresource(&R, &pods, "ns", "sa", "token", NULL,
                                                     kube_body_bytes("{}", 2)),
                     KUBE_OK);
    expect("POST", "/api/v1/namespaces/ns/pods/sa/token");
    expect_body("application/json", "{}");
    ck_assert_int_eq(kube_request_update_subresource(&R, &nodes, NULL, "mynode", "status", NULL,
                                                     kube_body_bytes("{}", 2)),
                     KUBE_OK);
    expect("PUT", "/api/v1/nodes/mynode/status");
    ck_assert_int_eq(kube_request_update_scale(&R, &deployments, "ns", "web", NULL,
                                               kube_body_bytes("{}", 2)),
                     KUBE_OK);
    expect("PUT", "/apis/apps/v1/namespaces/ns/deployments/web/scale");
    ck_assert_int_eq(kube_request_get_subresource(&R, &pods, "ns", "p", "a/b"), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/p/a%2Fb");
    EXPECT_ERR(kube_request_create_subresource(&R, &pods, "ns", NULL, "token", NULL,
                                               kube_body_bytes("{}", 2)),
               KUBE_EINVAL, "non-empty name");
    EXPECT_ERR(kube_request_update_subresource(&R, &pods, "ns", "p", NULL, NULL,
                                               kube_body_bytes("{}", 2)),
               KUBE_EINVAL, "subresource");
}
END_TEST

/* ---- pods ---- */

START_TEST(logs)
{
    kube_log_params_t lp = KUBE_LOG_PARAMS_INIT;
    ck_assert_int_eq(kube_request_log(&R, "ns", "mypod", NULL), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/mypod/log");
    expect_accept("application/json, */*");
    ck_assert_uint_eq(R.flags, 0);
    lp.container = "nginx";
    lp.follow = 1;
    lp.limit_bytes = 10 * 1024 * 1024;
    lp.pretty = 1;
    lp.previous = 1;
    lp.since_seconds = 3600;
    lp.tail_lines = 4096;
    lp.timestamps = 1;
    ck_assert_int_eq(kube_request_log(&R, "ns", "mypod", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/mypod/log?container=nginx&follow=true"
                  "&limitBytes=10485760&pretty=true&previous=true&sinceSeconds=3600&tailLines=4096"
                  "&timestamps=true");
    ck_assert_uint_eq(R.flags, KUBE_HTTP_STREAM);
    kube_log_params_init(&lp, KUBE_LOG_PARAMS_VERSION);
    lp.since_time = "2024-05-01T10:00:00Z";
    lp.tail_lines = 0;
    ck_assert_int_eq(kube_request_log(&R, "ns", "mypod", &lp), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/mypod/log?sinceTime=2024-05-01T10%3A00%3A00Z&tailLines=0");
    lp.since_seconds = 5;
    EXPECT_ERR(kube_request_log(&R, "ns", "mypod", &lp), KUBE_EINVAL,
               "at most one of since_seconds and since_time");
    lp.since_time = NULL;
    lp.since_seconds = 0;
    EXPECT_ERR(kube_request_log(&R, "ns", "mypod", &lp), KUBE_EINVAL, "since_seconds is 0");
    lp.since_seconds = KUBE_PARAM_UNSET;
    lp.limit_bytes = 0;
    EXPECT_ERR(kube_request_log(&R, "ns", "mypod", &lp), KUBE_EINVAL, "limit_bytes is 0");
    lp.limit_bytes = KUBE_PARAM_UNSET;
    lp.tail_lines = -3;
    EXPECT_ERR(kube_request_log(&R, "ns", "mypod", &lp), KUBE_EINVAL, "tail_lines is -3");
    lp.tail_lines = KUBE_PARAM_UNSET;
    lp.container = "";
    EXPECT_ERR(kube_request_log(&R, "ns", "mypod", &lp), KUBE_EINVAL, "container is empty");
    EXPECT_ERR(kube_request_log(&R, NULL, "mypod", NULL), KUBE_EINVAL, "namespace is required");
}
END_TEST

START_TEST(evictions)
{
    kube_evict_params_t ep = KUBE_EVICT_PARAMS_INIT;
    ck_assert_int_eq(kube_request_evict(&R, "ns", "web-1", NULL), KUBE_OK);
    expect("POST", "/api/v1/namespaces/ns/pods/web-1/eviction");
    expect_body("application/json", "{\"kind\":\"Eviction\",\"apiVersion\":\"policy/v1\","
                                    "\"metadata\":{\"name\":\"web-1\",\"namespace\":\"ns\"}}");
    ep.delete_options.grace_period_seconds = 10;
    ep.delete_options.dry_run = 1;
    ep.post_options.dry_run = 1;
    ep.post_options.field_manager = "drain";
    ck_assert_int_eq(kube_request_evict(&R, "ns", "web-1", &ep), KUBE_OK);
    expect("POST", "/api/v1/namespaces/ns/pods/web-1/eviction?dryRun=All&fieldManager=drain");
    expect_body("application/json", "{\"kind\":\"Eviction\",\"apiVersion\":\"policy/v1\","
                                    "\"metadata\":{\"name\":\"web-1\",\"namespace\":\"ns\"},"
                                    "\"deleteOptions\":{\"gracePeriodSeconds\":10,\"dryRun\":[\"All\"]}}");
    ep.delete_options.grace_period_seconds = -7;
    EXPECT_ERR(kube_request_evict(&R, "ns", "web-1", &ep), KUBE_EINVAL, "grace_period_seconds");
    ep.delete_options.grace_period_seconds = 1;
    ep.post_options.version = 0;
    EXPECT_ERR(kube_request_evict(&R, "ns", "web-1", &ep), KUBE_EINVAL, "kube_post_params_t.version");
}
END_TEST

START_TEST(exec_attach)
{
    static const char *const argv[] = {"sh", "-c", "echo hi && ls /tmp"};
    kube_attach_params_t ap = KUBE_ATTACH_PARAMS_INIT;
    ck_assert_int_eq(kube_request_exec(&R, "ns", "p", argv, 3, NULL), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/p/exec?stdout=true&stderr=true&command=sh&command=-c"
                  "&command=echo+hi+%26%26+ls+%2Ftmp");
    ck_assert_uint_eq(R.flags, KUBE_HTTP_UPGRADE);
    expect_no_body();
    ap.stdin_ = 1;
    ap.stderr_ = 0;
    ap.tty = 1;
    ap.container = "main";
    ck_assert_int_eq(kube_request_exec(&R, "ns", "p", argv, 1, &ap), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/p/exec?stdin=true&stdout=true&tty=true&container=main"
                  "&command=sh");
    ck_assert_int_eq(kube_request_attach(&R, "ns", "p", &ap), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/p/attach?stdin=true&stdout=true&tty=true&container=main");
    ck_assert_uint_eq(R.flags, KUBE_HTTP_UPGRADE);
    ck_assert_int_eq(kube_request_attach(&R, "ns", "p", NULL), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/p/attach?stdout=true&stderr=true");
    ap.stderr_ = 1;
    EXPECT_ERR(kube_request_attach(&R, "ns", "p", &ap), KUBE_EINVAL, "tty and stderr_ cannot both be set");
    ap.stdin_ = ap.stdout_ = ap.stderr_ = ap.tty = 0;
    EXPECT_ERR(kube_request_exec(&R, "ns", "p", argv, 3, &ap), KUBE_EINVAL,
               "one of stdin_, stdout_ or stderr_ must be set");
    EXPECT_ERR(kube_request_exec(&R, "ns", "p", argv, 0, NULL), KUBE_EINVAL, "a command is required");
    {
        const char *const holes[] = {"ls", NULL};
        EXPECT_ERR(kube_request_exec(&R, "ns", "p", holes, 2, NULL), KUBE_EINVAL, "argv[1] is NULL");
    }
    ap = (kube_attach_params_t)KUBE_ATTACH_PARAMS_INIT;
    ap.container = "";
    EXPECT_ERR(kube_request_attach(&R, "ns", "p", &ap), KUBE_EINVAL, "container is empty");
}
END_TEST

START_TEST(port_forward)
{
    uint16_t ports[130];
    ports[0] = 80;
    ports[1] = 443;
    ck_assert_int_eq(kube_request_portforward(&R, "ns", "p", ports, 2), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/p/portforward?ports=80%2C443");
    ck_assert_uint_eq(R.flags, KUBE_HTTP_UPGRADE);
    ports[0] = 65535;
    ck_assert_int_eq(kube_request_portforward(&R, "ns", "p", ports, 1), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/p/portforward?ports=65535");
    for (int i = 0; i < 130; i++)
        ports[i] = (uint16_t)(60000 + i);
    ck_assert_int_eq(kube_request_portforward(&R, "ns", "p", ports, 128), KUBE_OK);
    ck_assert_uint_eq(strlen(R.path), strlen("/api/v1/namespaces/ns/pods/p/portforward?ports=") +
                                          128 * 5 + 127 * 3);
    EXPECT_ERR(kube_request_portforward(&R, "ns", "p", ports, 129), KUBE_EINVAL,
               "cannot be more than 128");
    EXPECT_ERR(kube_request_portforward(&R, "ns", "p", ports, 0), KUBE_EINVAL, "ports cannot be empty");
    EXPECT_ERR(kube_request_portforward(&R, "ns", "p", NULL, 1), KUBE_EINVAL, "ports cannot be empty");
    ports[5] = ports[2];
    EXPECT_ERR(kube_request_portforward(&R, "ns", "p", ports, 6), KUBE_EINVAL,
               "ports must be unique, found multiple 60002");
    ports[1] = 0;
    EXPECT_ERR(kube_request_portforward(&R, "ns", "p", ports, 3), KUBE_EINVAL, "ports[1] is 0");
}
END_TEST

START_TEST(ephemeral_containers)
{
    ck_assert_int_eq(kube_request_get_ephemeral_containers(&R, "ns", "p"), KUBE_OK);
    expect("GET", "/api/v1/namespaces/ns/pods/p/ephemeralcontainers");
    ck_assert_int_eq(kube_request_update_ephemeral_containers(&R, "ns", "p", NULL,
                                                              kube_body_bytes("{}", 2)),
                     KUBE_OK);
    expect("PUT", "/api/v1/namespaces/ns/pods/p/ephemeralcontainers");
    ck_assert_int_eq(kube_request_patch_ephemeral_containers(&R, "ns", "p", NULL, KUBE_PATCH_STRATEGIC,
                                                             kube_body_bytes("{}", 2)),
                     KUBE_OK);
    expect("PATCH", "/api/v1/namespaces/ns/pods/p/ephemeralcontainers");
    expect_body("application/strategic-merge-patch+json", "{}");
    EXPECT_ERR(kube_request_update_ephemeral_containers(&R, "ns", NULL, NULL, kube_body_bytes("{}", 2)),
               KUBE_EINVAL, "pod");
}
END_TEST

START_TEST(kubelet_debug)
{
    static const char *const ls[] = {"ls", "-l"};
    kube_attach_params_t ap = KUBE_ATTACH_PARAMS_INIT;
    kube_log_params_t lp = KUBE_LOG_PARAMS_INIT;
    uint16_t port = 1204;
    ap.stdin_ = 1;
    ck_assert_int_eq(kube_request_kubelet_attach(&R, "some-namespace", "some-name", "some-uid",
                                                 "some-container", &ap),
                     KUBE_OK);
    expect("GET", "/attach/some-namespace/some-name/some-uid/some-container?input=1&output=1&error=1");
    ck_assert_uint_eq(R.flags, KUBE_HTTP_UPGRADE);
    ap.stderr_ = 0;
    ap.tty = 1;
    ck_assert_int_eq(kube_request_kubelet_exec(&R, "some-namespace", "some-name", NULL, "some-container",
                                               ls, 2, &ap),
                     KUBE_OK);
    expect("GET", "/exec/some-namespace/some-name/some-container?input=1&output=1&tty=1&command=ls&command=-l");
    lp.tail_lines = 10;
    lp.follow = 1;
    lp.timestamps = 1;
    ck_assert_int_eq(kube_request_kubelet_logs(&R, "some-namespace", "some-name", "some-container", &lp),
                     KUBE_OK);
    expect("GET", "/containerLogs/some-namespace/some-name/some-container?follow=true&tailLines=10&timestamps=true");
    ck_assert_uint_eq(R.flags, KUBE_HTTP_STREAM);
    ck_assert_int_eq(kube_request_kubelet_portforward(&R, "some-namespace", "some-name", NULL, &port, 1),
                     KUBE_OK);
    expect("GET", "/portForward/some-namespace/some-name?port=1204");
    ck_assert_int_eq(kube_request_kubelet_portforward(&R, "ns", "p", "u/1", &port, 1), KUBE_OK);
    expect("GET", "/portForward/ns/p/u%2F1?port=1204");
    EXPECT_ERR(kube_request_kubelet_exec(&R, "ns", "p", NULL, "c", ls, 0, &ap), KUBE_EINVAL,
               "a command is required");
    EXPECT_ERR(kube_request_kubelet_exec(&R, "ns", "p", NULL, NULL, ls, 1, &ap), KUBE_EINVAL, "container");
    EXPECT_ERR(kube_request_kubelet_attach(&R, NULL, "p", NULL, "c", NULL), KUBE_EINVAL, "namespace");
    EXPECT_ERR(kube_request_kubelet_attach(&R, "ns", "p", "", "c", NULL), KUBE_EINVAL, "pod_uid");
    ap.container = "c";
    EXPECT_ERR(kube_request_kubelet_attach(&R, "ns", "p", NULL, "c", &ap), KUBE_EINVAL,
               "kube_attach_params_t.container must be NULL");
    lp.container = "c";
    EXPECT_ERR(kube_request_kubelet_logs(&R, "ns", "p", "c", &lp), KUBE_EINVAL,
               "kube_log_params_t.container must be NULL");
    EXPECT_ERR(kube_request_kubelet_portforward(&R, "ns", "p", NULL, &port, 0), KUBE_EINVAL,
               "ports cannot be empty");
}
END_TEST

/* ---- helpers ---- */

START_TEST(token_request)
{
    static const char *const aud[] = {"https://kubernetes.default.svc", "vault"};
    kube_token_request_params_t tp = KUBE_TOKEN_REQUEST_PARAMS_INIT;
    ck_assert_int_eq(kube_request_create_token(&R, "ns", "builder", NULL), KUBE_OK);
    expect("POST", "/api/v1/namespaces/ns/serviceaccounts/builder/token");
    expect_body("application/json", "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\","
                                    "\"spec\":{\"audiences\":[]}}");
    tp.audiences = aud;
    tp.audience_count = 2;
    tp.expiration_seconds = 3600;
    tp.bound_object_kind = "Pod";
    tp.bound_object_api_version = "v1";
    tp.bound_object_name = "web-1";
    tp.bound_object_uid = "1234";
    ck_assert_int_eq(kube_request_create_token(&R, "ns", "builder", &tp), KUBE_OK);
    expect_body("application/json",
                "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\",\"spec\":{"
                "\"audiences\":[\"https://kubernetes.default.svc\",\"vault\"],\"expirationSeconds\":3600,"
                "\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"web-1\",\"uid\":\"1234\"}}}");
    tp.expiration_seconds = 599;
    EXPECT_ERR(kube_request_create_token(&R, "ns", "builder", &tp), KUBE_EINVAL, "expiration_seconds is 599");
    tp.expiration_seconds = KUBE_PARAM_UNSET;
    tp.bound_object_name = NULL;
    EXPECT_ERR(kube_request_create_token(&R, "ns", "builder", &tp), KUBE_EINVAL, "bound_object_name");
    tp.bound_object_kind = NULL;
    EXPECT_ERR(kube_request_create_token(&R, "ns", "builder", &tp), KUBE_EINVAL, "bound_object_kind");
    tp.bound_object_uid = tp.bound_object_api_version = NULL;
    tp.audiences = NULL;
    EXPECT_ERR(kube_request_create_token(&R, "ns", "builder", &tp), KUBE_EINVAL, "audiences is NULL");
    {
        const char *const empty[] = {"a", ""};
        tp.audiences = empty;
        EXPECT_ERR(kube_request_create_token(&R, "ns", "builder", &tp), KUBE_EINVAL, "audiences[1]");
    }
}
END_TEST

static const kube_json_t *parse(kube_json_doc_t **doc, const char *text)
{
    ck_assert_int_eq(kube_json_parse(doc, text, strlen(text), NULL), KUBE_OK);
    return kube_json_doc_root(*doc);
}

START_TEST(csr_approval)
{
    kube_json_doc_t *csr_doc = NULL, *body = NULL, *want = NULL;
    kube_csr_approval_params_t ap = KUBE_CSR_APPROVAL_PARAMS_INIT;
    const kube_json_t *csr = parse(&csr_doc,
        "{\"apiVersion\":\"certificates.k8s.io/v1\",\"kind\":\"CertificateSigningRequest\","
        "\"metadata\":{\"name\":\"node-csr-1\",\"resourceVersion\":\"9\"},"
        "\"spec\":{\"signerName\":\"kubernetes.io/kubelet-serving\"},"
        "\"status\":{\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\"}]}}");
    ap.last_update_time = "2026-11-22T00:00:00Z";
    ck_assert_int_eq(kube_request_approve_csr(&R, csr, &ap), KUBE_OK);
    expect("PUT", "/apis/certificates.k8s.io/v1/certificatesigningrequests/node-csr-1/approval");
    ck_assert_str_eq(kube_http_request_header(&R, "Content-Type"), "application/json");
    ck_assert_int_eq(kube_json_parse(&body, R.body, R.body_len, NULL), KUBE_OK);
    parse(&want,
        "{\"apiVersion\":\"certificates.k8s.io/v1\",\"kind\":\"CertificateSigningRequest\","
        "\"metadata\":{\"name\":\"node-csr-1\",\"resourceVersion\":\"9\"},"
        "\"spec\":{\"signerName\":\"kubernetes.io/kubelet-serving\"},"
        "\"status\":{\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\"},"
        "{\"type\":\"Approved\",\"status\":\"True\",\"reason\":\"KubeApprove\","
        "\"message\":\"This CSR was approved by libkube.\",\"lastUpdateTime\":\"2026-11-22T00:00:00Z\"}]}}");
    ck_assert(kube_json_equal(kube_json_doc_root(body), kube_json_doc_root(want)));
    kube_json_doc_free(body);
    kube_json_doc_free(want);
    kube_json_doc_free(csr_doc);
    body = want = NULL;

    /* Deny a CSR without status; custom reason. */
    csr = parse(&csr_doc, "{\"metadata\":{\"name\":\"c2\"}}");
    ap.deny = 1;
    ap.reason = "Untrusted";
    ap.message = "no";
    ap.last_update_time = NULL;
    ck_assert_int_eq(kube_request_approve_csr(&R, csr, &ap), KUBE_OK);
    ck_assert_str_eq(R.body, "{\"metadata\":{\"name\":\"c2\"},\"status\":{\"conditions\":[{\"type\":"
                             "\"Denied\",\"status\":\"True\",\"reason\":\"Untrusted\",\"message\":\"no\"}]}}");
    kube_json_doc_free(csr_doc);

    csr = parse(&csr_doc, "{\"metadata\":{\"name\":\"c3\"},\"status\":{\"conditions\":[{\"type\":\"Denied\"}]}}");
    EXPECT_ERR(kube_request_approve_csr(&R, csr, NULL), KUBE_EEXISTS, "already denied");
    kube_json_doc_free(csr_doc);
    csr = parse(&csr_doc, "{\"metadata\":{\"name\":\"c3\"},\"status\":{\"conditions\":{}}}");
    EXPECT_ERR(kube_request_approve_csr(&R, csr, NULL), KUBE_EINVAL, "not an array");
    kube_json_doc_free(csr_doc);
    csr = parse(&csr_doc, "{\"metadata\":{}}");
    EXPECT_ERR(kube_request_approve_csr(&R, csr, NULL), KUBE_EINVAL, "metadata.name");
    kube_json_doc_free(csr_doc);
    csr = parse(&csr_doc, "[1]");
    EXPECT_ERR(kube_request_approve_csr(&R, csr, NULL), KUBE_EINVAL, "not a JSON object");
    kube_json_doc_free(csr_doc);
    EXPECT_ERR(kube_request_approve_csr(&R, NULL, NULL), KUBE_EINVAL, "not a JSON object");
}
END_TEST

START_TEST(restart_cordon)
{
    ck_assert_int_eq(kube_request_restart(&R, &deployments, "ns", "mydeploy", "2026-11-22T00:40:00Z"),
                     KUBE_OK);
    expect("PATCH", "/apis/apps/v1/namespaces/ns/deployments/mydeploy");
    expect_body("application/merge-patch+json",
                "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{"
                "\"kubectl.kubernetes.io/restartedAt\":\"2026-11-22T00:40:00Z\"}}}}}");
    EXPECT_ERR(kube_request_restart(&R, &deployments, "ns", "mydeploy", ""), KUBE_EINVAL, "restarted_at");
    ck_assert_int_eq(kube_request_cordon(&R, "node-1"), KUBE_OK);
    expect("PATCH", "/api/v1/nodes/node-1");
    expect_body("application/strategic-merge-patch+json", "{\"spec\":{\"unschedulable\":true}}");
    ck_assert_int_eq(kube_request_uncordon(&R, "node-1"), KUBE_OK);
    expect_body("application/strategic-merge-patch+json", "{\"spec\":{\"unschedulable\":false}}");
    EXPECT_ERR(kube_request_cordon(&R, ""), KUBE_EINVAL, "non-empty name");
}
END_TEST

START_TEST(raw_requests)
{
    kube_body_t none = {KUBE_BODY_NONE, NULL, 0, NULL, NULL};
    ck_assert_int_eq(kube_request_raw(&R, "GET", "/version", none, NULL), KUBE_OK);
    expect("GET", "/version");
    expect_no_body();
    expect_accept(ACCEPT_JSON);
    ck_assert_int_eq(kube_request_raw(&R, "POST", "/apis/x/v1/things?a=b", kube_body_bytes("a: 1", 4),
                                      "application/yaml"),
                     KUBE_OK);
    expect("POST", "/apis/x/v1/things?a=b");
    expect_body("application/yaml", "a: 1");
    EXPECT_ERR(kube_request_raw(&R, "TRACE", "/", none, NULL), KUBE_EINVAL, "unsupported method");
    EXPECT_ERR(kube_request_raw(&R, NULL, "/", none, NULL), KUBE_EINVAL, "unsupported method");
    EXPECT_ERR(kube_request_raw(&R, "GET", "version", none, NULL), KUBE_EINVAL, "must start with '/'");
    EXPECT_ERR(kube_request_raw(&R, "GET", "/a b", none, NULL), KUBE_EINVAL, "byte 2");
    EXPECT_ERR(kube_request_raw(&R, "PUT", "/a", kube_body_bytes("{}", 2), "x\r\ny"), KUBE_EINVAL,
               "content type");
}
END_TEST

START_TEST(headers_and_reuse)
{
    kube_http_request_t req;
    ck_assert_int_eq(kube_request_get(&R, &pods, "ns", "p", NULL), KUBE_OK);
    ck_assert_int_eq(kube_http_request_set_header(&R, "Authorization", "Bearer abc"), KUBE_OK);
    ck_assert_int_eq(kube_http_request_set_header(&R, "X-A", "1"), KUBE_OK);
    ck_assert_int_eq(kube_http_request_set_header(&R, "x-a", "2"), KUBE_OK);
    ck_assert_uint_eq(R.header_count, 3);
    ck_assert_str_eq(kube_http_request_header(&R, "X-a"), "2");
    ck_assert_str_eq(R.headers[2].name, "X-A");
    ck_assert_int_eq(kube_http_request_set_header(&R, "ACCEPT", "text/plain"), KUBE_OK);
    ck_assert_uint_eq(R.header_count, 3);
    ck_assert_str_eq(R.headers[0].value, "text/plain");
    ck_assert_ptr_null(kube_http_request_header(&R, "Missing"));
    ck_assert_ptr_null(kube_http_request_header(NULL, "Accept"));
    EXPECT_ERR(kube_http_request_set_header(&R, "Bad Name", "v"), KUBE_EINVAL, "invalid character");
    EXPECT_ERR(kube_http_request_set_header(&R, "", "v"), KUBE_EINVAL, "empty");
    EXPECT_ERR(kube_http_request_set_header(&R, "X", "a\r\nInjected: 1"), KUBE_EINVAL, "CR or LF");
    /* A new build replaces every header. */
    ck_assert_int_eq(kube_request_delete(&R, &pods, "ns", "p", NULL), KUBE_OK);
    ck_assert_uint_eq(R.header_count, 2);
    ck_assert_ptr_null(kube_http_request_header(&R, "Authorization"));
    /* An uninitialised request is rejected. */
    memset(&req, 0, sizeof req);
    EXPECT_ERR(kube_request_get(&req, &pods, "ns", "p", NULL), KUBE_EINVAL, "not initialised");
    kube_http_request_dispose(NULL);
}
END_TEST

/* ---- out of memory ---- */

typedef kube_error_t (*build_fn)(kube_http_request_t *req);

static kube_error_t build_list(kube_http_request_t *r)
{
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    lp.label_selector = "app in (a,b),tier!=db";
    lp.field_selector = "spec.nodeName=n1";
    lp.limit = 500;
    lp.resource_version = "77";
    lp.version_match = KUBE_VERSION_MATCH_NOT_OLDER_THAN;
    return kube_request_list(r, &deployments, "ns", &lp);
}

static kube_error_t build_delete(kube_http_request_t *r)
{
    kube_delete_params_t dp = KUBE_DELETE_PARAMS_INIT;
    dp.precondition_uid = "u";
    dp.propagation_policy = KUBE_PROPAGATION_FOREGROUND;
    return kube_request_delete(r, &pods, "ns", "p", &dp);
}

static kube_error_t build_exec(kube_http_request_t *r)
{
    static const char *const argv[] = {"sh", "-c", "a long command line with many words in it"};
    return kube_request_exec(r, "ns", "p", argv, 3, NULL);
}

static kube_error_t build_evict(kube_http_request_t *r)
{
    kube_evict_params_t ep = KUBE_EVICT_PARAMS_INIT;
    ep.delete_options.grace_period_seconds = 3;
    return kube_request_evict(r, "ns", "p", &ep);
}

static kube_error_t build_token(kube_http_request_t *r)
{
    static const char *const aud[] = {"a", "b"};
    kube_token_request_params_t tp = KUBE_TOKEN_REQUEST_PARAMS_INIT;
    tp.audiences = aud;
    tp.audience_count = 2;
    return kube_request_create_token(r, "ns", "sa", &tp);
}

static kube_json_doc_t *oom_doc;

static kube_error_t build_create_json(kube_http_request_t *r)
{
    return kube_request_create(r, &pods, "ns", NULL, kube_body_json(kube_json_doc_root(oom_doc)));
}

static kube_error_t build_csr(kube_http_request_t *r)
{
    return kube_request_approve_csr(r, kube_json_doc_root(oom_doc), NULL);
}

static kube_error_t build_patch_apply(kube_http_request_t *r)
{
    kube_patch_params_t pp = KUBE_PATCH_PARAMS_INIT;
    pp.field_manager = "m";
    pp.force = 1;
    return kube_request_patch(r, &widgets, "ns", "w", &pp, KUBE_PATCH_APPLY,
                              kube_body_bytes("{\"a\":1}", 7));
}

static void oom_loop(build_fn fn)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    for (long n = 0;; n++) {
        kube_http_request_t r;
        kube_error_t rc;
        failmalloc_reset(&fm, n);
        kube_http_request_init(&r, &mem);
        rc = fn(&r);
        if (rc == KUBE_OK) {
            ck_assert_ptr_nonnull(r.path);
            kube_http_request_dispose(&r);
            ck_assert_int_eq(fm.live, 0);
            ck_assert_int_gt(n, 0);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_ptr_null(r.path);
        ck_assert_uint_eq(r.header_count, 0);
        ck_assert_int_eq(fm.live, 0);
        ck_assert_int_lt(n, 1000);
    }
}

START_TEST(out_of_memory)
{
    const char *csr = "{\"metadata\":{\"name\":\"c\"},\"status\":{\"conditions\":[{\"type\":\"X\"}]}}";
    oom_loop(build_list);
    oom_loop(build_delete);
    oom_loop(build_exec);
    oom_loop(build_evict);
    oom_loop(build_token);
    oom_loop(build_patch_apply);
    ck_assert_int_eq(kube_json_parse(&oom_doc, csr, strlen(csr), NULL), KUBE_OK);
    oom_loop(build_create_json);
    oom_loop(build_csr);
    kube_json_doc_free(oom_doc);
    oom_doc = NULL;
}
END_TEST

/* A failed build keeps the previous request intact, with any allocator. */
START_TEST(failed_build_keeps_previous_request)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    kube_http_request_t r;
    failmalloc_reset(&fm, -1);
    kube_http_request_init(&r, &mem);
    ck_assert_int_eq(kube_request_get(&r, &pods, "ns", "first", NULL), KUBE_OK);
    for (long k = 0;; k++) {
        long base = fm.calls;
        kube_error_t rc;
        fm.fail_at = base + k;
        rc = build_list(&r);
        if (rc == KUBE_OK)
            break;
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_str_eq(r.path, "/api/v1/namespaces/ns/pods/first");
        ck_assert_uint_eq(r.header_count, 1);
    }
    ck_assert_str_eq(r.path, "/apis/apps/v1/namespaces/ns/deployments?fieldSelector=spec.nodeName%3Dn1"
                             "&labelSelector=app+in+%28a%2Cb%29%2Ctier%21%3Ddb&limit=500"
                             "&resourceVersion=77&resourceVersionMatch=NotOlderThan");
    fm.fail_at = fm.calls;
    ck_assert_int_eq(kube_request_get(&r, &pods, "ns", "first", NULL), KUBE_ENOMEM);
    ck_assert_str_eq(r.path, "/apis/apps/v1/namespaces/ns/deployments?fieldSelector=spec.nodeName%3Dn1"
                             "&labelSelector=app+in+%28a%2Cb%29%2Ctier%21%3Ddb&limit=500"
                             "&resourceVersion=77&resourceVersionMatch=NotOlderThan");
    ck_assert_str_eq(kube_http_request_header(&r, "Accept"), "application/json");
    kube_http_request_dispose(&r);
    ck_assert_int_eq(fm.live, 0);
}
END_TEST

Suite *kube_test_request_suite(void)
{
    Suite *s = suite_create("request");
    TCase *tc = tcase_create("request");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, url_shapes_for_scopes_and_groups);
    tcase_add_test(tc, every_verb_scope_and_group);
    tcase_add_test(tc, scope_and_name_errors);
    tcase_add_test(tc, path_segments_are_escaped);
    tcase_add_test(tc, get_with_resource_version);
    tcase_add_test(tc, list_resource_version_rules);
    tcase_add_test(tc, list_selectors_are_form_encoded);
    tcase_add_test(tc, list_metadata_accept);
    tcase_add_test(tc, watch_mappings);
    tcase_add_test(tc, create_and_update);
    tcase_add_test(tc, json_value_bodies);
    tcase_add_test(tc, patch_types_and_params);
    tcase_add_test(tc, delete_bodies);
    tcase_add_test(tc, subresources);
    tcase_add_test(tc, logs);
    tcase_add_test(tc, evictions);
    tcase_add_test(tc, exec_attach);
    tcase_add_test(tc, port_forward);
    tcase_add_test(tc, ephemeral_containers);
    tcase_add_test(tc, kubelet_debug);
    tcase_add_test(tc, token_request);
    tcase_add_test(tc, csr_approval);
    tcase_add_test(tc, restart_cordon);
    tcase_add_test(tc, raw_requests);
    tcase_add_test(tc, headers_and_reuse);
    tcase_add_test(tc, out_of_memory);
    tcase_add_test(tc, failed_build_keeps_previous_request);
    suite_add_tcase(s, tc);
    return s;
}
