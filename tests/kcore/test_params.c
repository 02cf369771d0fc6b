/* Parameter structs: defaults, versioning and every validation rule. */
#include <check.h>
#include <string.h>
#include <kube/params.h>

#define EXPECT_ERR(call, needle)                                                      \
    do {                                                                              \
        ck_assert_int_eq((call), KUBE_EINVAL);                                        \
        ck_assert_int_eq(kube_error_last()->code, KUBE_EINVAL);                       \
        ck_assert_msg(strstr(kube_error_last()->message, (needle)) != NULL,           \
                      "message \"%s\" lacks \"%s\"", kube_error_last()->message, (needle)); \
    } while (0)

START_TEST(defaults_match_the_init_macros)
{
    kube_list_params_t lp;
    kube_get_params_t gp;
    kube_watch_params_t wp;
    kube_post_params_t pp;
    kube_patch_params_t pa;
    kube_delete_params_t dp;
    kube_log_params_t lg;
    kube_evict_params_t ep;
    kube_attach_params_t ap;
    kube_token_request_params_t tp;
    memset(&wp, 0xAA, sizeof wp);
    ck_assert_int_eq(kube_list_params_init(&lp, KUBE_LIST_PARAMS_VERSION), KUBE_OK);
    ck_assert_ptr_null(lp.label_selector);
    ck_assert_uint_eq(lp.limit, 0);
    ck_assert_int_eq(lp.version_match, KUBE_VERSION_MATCH_UNSET);
    ck_assert_int_eq(kube_get_params_init(&gp, KUBE_GET_PARAMS_VERSION), KUBE_OK);
    ck_assert_ptr_null(gp.resource_version);
    ck_assert_int_eq(kube_watch_params_init(&wp, KUBE_WATCH_PARAMS_VERSION), KUBE_OK);
    ck_assert_uint_eq(wp.timeout_seconds, 290);
    ck_assert_int_eq(wp.bookmarks, 1);
    ck_assert_int_eq(wp.send_initial_events, 0);
    ck_assert_ptr_null(wp.field_selector);
    ck_assert_int_eq(kube_post_params_init(&pp, KUBE_POST_PARAMS_VERSION), KUBE_OK);
    ck_assert_int_eq(pp.dry_run, 0);
    ck_assert_int_eq(kube_patch_params_init(&pa, KUBE_PATCH_PARAMS_VERSION), KUBE_OK);
    ck_assert_int_eq(pa.force, 0);
    ck_assert_int_eq(kube_delete_params_init(&dp, KUBE_DELETE_PARAMS_VERSION), KUBE_OK);
    ck_assert_int_eq(dp.grace_period_seconds, KUBE_PARAM_UNSET);
    ck_assert(kube_delete_params_is_default(&dp));
    ck_assert(kube_delete_params_is_default(NULL));
    ck_assert_int_eq(kube_log_params_init(&lg, KUBE_LOG_PARAMS_VERSION), KUBE_OK);
    ck_assert_int_eq(lg.tail_lines, KUBE_PARAM_UNSET);
    ck_assert_int_eq(lg.since_seconds, KUBE_PARAM_UNSET);
    ck_assert_int_eq(lg.limit_bytes, KUBE_PARAM_UNSET);
    ck_assert_int_eq(kube_evict_params_init(&ep, KUBE_EVICT_PARAMS_VERSION), KUBE_OK);
    ck_assert_uint_eq(ep.delete_options.version, KUBE_DELETE_PARAMS_VERSION);
    ck_assert_uint_eq(ep.post_options.version, KUBE_POST_PARAMS_VERSION);
    ck_assert_int_eq(kube_attach_params_init(&ap, KUBE_ATTACH_PARAMS_VERSION), KUBE_OK);
    ck_assert_int_eq(ap.stdin_, 0);
    ck_assert_int_eq(ap.stdout_, 1);
    ck_assert_int_eq(ap.stderr_, 1);
    ck_assert_int_eq(ap.tty, 0);
    ck_assert_int_eq(kube_token_request_params_init(&tp, KUBE_TOKEN_REQUEST_PARAMS_VERSION), KUBE_OK);
    ck_assert_int_eq(tp.expiration_seconds, KUBE_PARAM_UNSET);
    /* Every default validates. */
    ck_assert_int_eq(kube_list_params_validate(&lp), KUBE_OK);
    ck_assert_int_eq(kube_watch_params_validate(&wp), KUBE_OK);
    ck_assert_int_eq(kube_post_params_validate(&pp), KUBE_OK);
    ck_assert_int_eq(kube_patch_params_validate(&pa, KUBE_PATCH_MERGE), KUBE_OK);
    ck_assert_int_eq(kube_delete_params_validate(&dp), KUBE_OK);
    ck_assert_int_eq(kube_log_params_validate(&lg), KUBE_OK);
    ck_assert_int_eq(kube_evict_params_validate(&ep), KUBE_OK);
    ck_assert_int_eq(kube_attach_params_validate(&ap), KUBE_OK);
    ck_assert_int_eq(kube_token_request_params_validate(&tp), KUBE_OK);
}
END_TEST

START_TEST(versions_are_checked)
{
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    kube_watch_params_t wp;
    EXPECT_ERR(kube_list_params_init(&lp, 2), "kube_list_params_t.version is 2");
    EXPECT_ERR(kube_list_params_init(NULL, 1), "NULL parameters");
    EXPECT_ERR(kube_watch_params_init(&wp, 0), "kube_watch_params_t.version is 0");
    EXPECT_ERR(kube_get_params_init(NULL, 1), "kube_get_params_t");
    EXPECT_ERR(kube_post_params_init(NULL, 1), "kube_post_params_t");
    EXPECT_ERR(kube_patch_params_init(NULL, 1), "kube_patch_params_t");
    EXPECT_ERR(kube_delete_params_init(NULL, 1), "kube_delete_params_t");
    EXPECT_ERR(kube_log_params_init(NULL, 1), "kube_log_params_t");
    EXPECT_ERR(kube_evict_params_init(NULL, 1), "kube_evict_params_t");
    EXPECT_ERR(kube_attach_params_init(NULL, 1), "kube_attach_params_t");
    EXPECT_ERR(kube_token_request_params_init(NULL, 1), "kube_token_request_params_t");
    memset(&lp, 0, sizeof lp);
    EXPECT_ERR(kube_list_params_validate(&lp), "initialise with the _INIT macro");
    EXPECT_ERR(kube_list_params_validate(NULL), "NULL parameters");
    EXPECT_ERR(kube_watch_params_validate(NULL), "kube_watch_params_t");
    EXPECT_ERR(kube_post_params_validate(NULL), "kube_post_params_t");
    EXPECT_ERR(kube_patch_params_validate(NULL, KUBE_PATCH_MERGE), "kube_patch_params_t");
    EXPECT_ERR(kube_delete_params_validate(NULL), "kube_delete_params_t");
    EXPECT_ERR(kube_log_params_validate(NULL), "kube_log_params_t");
    EXPECT_ERR(kube_evict_params_validate(NULL), "kube_evict_params_t");
    EXPECT_ERR(kube_attach_params_validate(NULL), "kube_attach_params_t");
    EXPECT_ERR(kube_token_request_params_validate(NULL), "kube_token_request_params_t");
}
END_TEST

START_TEST(list_rules)
{
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    lp.version_match = KUBE_VERSION_MATCH_EXACT;
    EXPECT_ERR(kube_list_params_validate(&lp), "a resource_version is required when using an explicit match");
    lp.resource_version = "0";
    EXPECT_ERR(kube_list_params_validate(&lp), "a non-zero resource_version is required when using an Exact match");
    lp.resource_version = "10";
    ck_assert_int_eq(kube_list_params_validate(&lp), KUBE_OK);
    lp.version_match = KUBE_VERSION_MATCH_NOT_OLDER_THAN;
    lp.resource_version = "0";
    ck_assert_int_eq(kube_list_params_validate(&lp), KUBE_OK);
    lp.version_match = KUBE_VERSION_MATCH_UNSET;
    lp.timeout_seconds = 3600; /* list timeouts are not limited (kube-rs) */
    ck_assert_int_eq(kube_list_params_validate(&lp), KUBE_OK);
}
END_TEST

START_TEST(watch_rules)
{
    kube_watch_params_t wp = KUBE_WATCH_PARAMS_INIT;
    wp.timeout_seconds = 294;
    ck_assert_int_eq(kube_watch_params_validate(&wp), KUBE_OK);
    wp.timeout_seconds = 295;
    EXPECT_ERR(kube_watch_params_validate(&wp), "kube_watch_params_t.timeout_seconds is 295: it must be < 295s");
    wp.timeout_seconds = 100000;
    EXPECT_ERR(kube_watch_params_validate(&wp), "must be < 295s");
    wp.timeout_seconds = 10;
    wp.send_initial_events = 1;
    ck_assert_int_eq(kube_watch_params_validate(&wp), KUBE_OK);
    wp.bookmarks = 0;
    EXPECT_ERR(kube_watch_params_validate(&wp), "bookmarks must be set when using send_initial_events");
}
END_TEST

START_TEST(post_patch_rules)
{
    char fm[200];
    kube_post_params_t pp = KUBE_POST_PARAMS_INIT;
    kube_patch_params_t pa = KUBE_PATCH_PARAMS_INIT;
    memset(fm, 'x', sizeof fm);
    fm[128] = '\0';
    pp.field_manager = fm;
    pa.field_manager = fm;
    ck_assert_int_eq(kube_post_params_validate(&pp), KUBE_OK);
    ck_assert_int_eq(kube_patch_params_validate(&pa, KUBE_PATCH_APPLY), KUBE_OK);
    fm[128] = 'x';
    fm[129] = '\0';
    EXPECT_ERR(kube_post_params_validate(&pp), "kube_post_params_t.field_manager is 129 bytes long (at most 128)");
    EXPECT_ERR(kube_patch_params_validate(&pa, KUBE_PATCH_MERGE), "kube_patch_params_t.field_manager is 129");
    pp.field_manager = "tab\there";
    EXPECT_ERR(kube_post_params_validate(&pp), "control character at byte 3");
    pp.field_manager = "m\x7f";
    EXPECT_ERR(kube_post_params_validate(&pp), "control character at byte 1");
    pp.field_manager = "kubectl-client-side-apply \xc3\xa9";
    ck_assert_int_eq(kube_post_params_validate(&pp), KUBE_OK);
    pp.field_validation = (kube_field_validation_t)-1;
    EXPECT_ERR(kube_post_params_validate(&pp), "field_validation has an unknown value -1");
    pa.field_manager = NULL;
    EXPECT_ERR(kube_patch_params_validate(&pa, KUBE_PATCH_APPLY), "field_manager is required for KUBE_PATCH_APPLY");
    pa.field_manager = "mgr";
    pa.force = 1;
    ck_assert_int_eq(kube_patch_params_validate(&pa, KUBE_PATCH_APPLY), KUBE_OK);
    EXPECT_ERR(kube_patch_params_validate(&pa, KUBE_PATCH_STRATEGIC), "force only works with KUBE_PATCH_APPLY");
    EXPECT_ERR(kube_patch_params_validate(&pa, KUBE_PATCH_JSON), "force only works");
    EXPECT_ERR(kube_patch_params_validate(&pa, (kube_patch_type_t)5), "patch type 5 is unknown");
    pa.force = 0;
    pa.field_validation = (kube_field_validation_t)9;
    EXPECT_ERR(kube_patch_params_validate(&pa, KUBE_PATCH_MERGE), "kube_patch_params_t.field_validation");
}
END_TEST

START_TEST(delete_evict_rules)
{
    kube_delete_params_t dp = KUBE_DELETE_PARAMS_INIT;
    kube_evict_params_t ep = KUBE_EVICT_PARAMS_INIT;
    dp.grace_period_seconds = 0;
    ck_assert_int_eq(kube_delete_params_validate(&dp), KUBE_OK);
    ck_assert(!kube_delete_params_is_default(&dp));
    dp.grace_period_seconds = -2;
    EXPECT_ERR(kube_delete_params_validate(&dp), "grace_period_seconds is -2: it must be >= 0");
    dp.grace_period_seconds = KUBE_PARAM_UNSET;
    dp.propagation_policy = (kube_propagation_t)8;
    EXPECT_ERR(kube_delete_params_validate(&dp), "propagation_policy has an unknown value 8");
    dp.propagation_policy = KUBE_PROPAGATION_UNSET;
    dp.dry_run = 1;
    ck_assert(!kube_delete_params_is_default(&dp));
    dp.dry_run = 0;
    dp.precondition_uid = "u";
    ck_assert(!kube_delete_params_is_default(&dp));
    dp.precondition_uid = NULL;
    dp.precondition_resource_version = "1";
    ck_assert(!kube_delete_params_is_default(&dp));
    dp.precondition_resource_version = NULL;
    dp.propagation_policy = KUBE_PROPAGATION_ORPHAN;
    ck_assert(!kube_delete_params_is_default(&dp));
    ep.delete_options.propagation_policy = (kube_propagation_t)9;
    EXPECT_ERR(kube_evict_params_validate(&ep), "propagation_policy");
    ep.delete_options.propagation_policy = KUBE_PROPAGATION_BACKGROUND;
    ep.post_options.field_validation = (kube_field_validation_t)6;
    EXPECT_ERR(kube_evict_params_validate(&ep), "kube_post_params_t.field_validation");
}
END_TEST

START_TEST(log_attach_rules)
{
    kube_log_params_t lg = KUBE_LOG_PARAMS_INIT;
    kube_attach_params_t ap = KUBE_ATTACH_PARAMS_INIT;
    lg.tail_lines = 0;
    lg.limit_bytes = 1;
    lg.since_seconds = 1;
    ck_assert_int_eq(kube_log_params_validate(&lg), KUBE_OK);
    lg.since_time = "2024-01-01T00:00:00Z";
    EXPECT_ERR(kube_log_params_validate(&lg), "at most one of since_seconds and since_time");
    lg.since_seconds = KUBE_PARAM_UNSET;
    ck_assert_int_eq(kube_log_params_validate(&lg), KUBE_OK);
    lg.since_time = "";
    EXPECT_ERR(kube_log_params_validate(&lg), "since_time is empty");
    lg.since_time = NULL;
    lg.limit_bytes = -5;
    EXPECT_ERR(kube_log_params_validate(&lg), "limit_bytes is -5: it must be >= 1");
    lg.limit_bytes = KUBE_PARAM_UNSET;
    lg.since_seconds = -9;
    EXPECT_ERR(kube_log_params_validate(&lg), "since_seconds is -9");
    lg.since_seconds = KUBE_PARAM_UNSET;
    lg.tail_lines = -2;
    EXPECT_ERR(kube_log_params_validate(&lg), "tail_lines is -2: it must be >= 0");
    /* attach */
    ap.stdin_ = 1;
    ap.stdout_ = 0;
    ap.stderr_ = 0;
    ck_assert_int_eq(kube_attach_params_validate(&ap), KUBE_OK);
    ap.tty = 1;
    ck_assert_int_eq(kube_attach_params_validate(&ap), KUBE_OK);
    ap.stderr_ = 1;
    EXPECT_ERR(kube_attach_params_validate(&ap), "tty and stderr_ cannot both be set");
    ap.tty = 0;
    ap.stdin_ = ap.stderr_ = 0;
    EXPECT_ERR(kube_attach_params_validate(&ap), "one of stdin_, stdout_ or stderr_ must be set");
}
END_TEST

START_TEST(port_rules)
{
    uint16_t ports[129];
    for (int i = 0; i < 129; i++)
        ports[i] = (uint16_t)(i + 1);
    ck_assert_int_eq(kube_portforward_ports_validate(ports, 1), KUBE_OK);
    ck_assert_int_eq(kube_portforward_ports_validate(ports, 128), KUBE_OK);
    EXPECT_ERR(kube_portforward_ports_validate(ports, 129), "129 ports given");
    EXPECT_ERR(kube_portforward_ports_validate(ports, 0), "ports cannot be empty");
    ports[3] = 0;
    EXPECT_ERR(kube_portforward_ports_validate(ports, 10), "ports[3] is 0");
    ports[3] = 1;
    EXPECT_ERR(kube_portforward_ports_validate(ports, 10), "found multiple 1");
    ports[3] = 65535;
    ck_assert_int_eq(kube_portforward_ports_validate(ports, 10), KUBE_OK);
}
END_TEST

START_TEST(token_rules)
{
    static const char *const aud[] = {"api"};
    kube_token_request_params_t tp = KUBE_TOKEN_REQUEST_PARAMS_INIT;
    tp.expiration_seconds = 600;
    tp.audiences = aud;
    tp.audience_count = 1;
    ck_assert_int_eq(kube_token_request_params_validate(&tp), KUBE_OK);
    tp.expiration_seconds = 0;
    EXPECT_ERR(kube_token_request_params_validate(&tp), "expiration_seconds is 0: it must be >= 600");
    tp.expiration_seconds = KUBE_PARAM_UNSET;
    tp.bound_object_uid = "x";
    EXPECT_ERR(kube_token_request_params_validate(&tp), "bound_object_kind is required");
    tp.bound_object_kind = "Secret";
    EXPECT_ERR(kube_token_request_params_validate(&tp), "bound_object_name is required");
    tp.bound_object_name = "s";
    ck_assert_int_eq(kube_token_request_params_validate(&tp), KUBE_OK);
}
END_TEST

Suite *kube_test_params_suite(void)
{
    Suite *s = suite_create("params");
    TCase *tc = tcase_create("params");
    tcase_add_test(tc, defaults_match_the_init_macros);
    tcase_add_test(tc, versions_are_checked);
    tcase_add_test(tc, list_rules);
    tcase_add_test(tc, watch_rules);
    tcase_add_test(tc, post_patch_rules);
    tcase_add_test(tc, delete_evict_rules);
    tcase_add_test(tc, log_attach_rules);
    tcase_add_test(tc, port_rules);
    tcase_add_test(tc, token_rules);
    suite_add_tcase(s, tc);
    return s;
}
