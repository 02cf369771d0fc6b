#include <check.h>
#include <string.h>
#include <kube/error.h>
#include <kube/global.h>
#include <kube/version.h>

START_TEST(every_code_has_a_name_and_message)
{
    int seen = 0;
#define XX(name, value, msg)                                              \
    ck_assert_str_eq(kube_error_name(value), #name);                      \
    ck_assert_str_eq(kube_strerror(value), msg);                          \
    ck_assert_int_lt(value, 0);                                           \
    seen++;
    KUBE_ERROR_MAP(XX)
#undef XX
    ck_assert_int_eq(seen, -KUBE_ERROR_MIN_);
    ck_assert_str_eq(kube_error_name(KUBE_OK), "OK");
    ck_assert_str_eq(kube_error_name(-999), "UNKNOWN");
    ck_assert_str_eq(kube_strerror(-999), "unknown error");
    ck_assert_str_eq(kube_strerror(KUBE_ENOTFOUND), "not found");
}
END_TEST

START_TEST(http_status_and_reason_map_to_codes)
{
    ck_assert_int_eq(kube_error_from_http(200, NULL), KUBE_OK);
    ck_assert_int_eq(kube_error_from_http(201, "Created"), KUBE_OK);
    ck_assert_int_eq(kube_error_from_http(400, NULL), KUBE_EINVALIDOBJ);
    ck_assert_int_eq(kube_error_from_http(401, NULL), KUBE_EUNAUTHORIZED);
    ck_assert_int_eq(kube_error_from_http(403, NULL), KUBE_EFORBIDDEN);
    ck_assert_int_eq(kube_error_from_http(404, NULL), KUBE_ENOTFOUND);
    ck_assert_int_eq(kube_error_from_http(405, NULL), KUBE_EUNSUPPORTED);
    ck_assert_int_eq(kube_error_from_http(409, NULL), KUBE_ECONFLICT);
    ck_assert_int_eq(kube_error_from_http(409, "AlreadyExists"), KUBE_EEXISTS);
    ck_assert_int_eq(kube_error_from_http(409, "Conflict"), KUBE_ECONFLICT);
    ck_assert_int_eq(kube_error_from_http(410, "Expired"), KUBE_EGONE);
    ck_assert_int_eq(kube_error_from_http(410, NULL), KUBE_EGONE);
    ck_assert_int_eq(kube_error_from_http(422, "Invalid"), KUBE_EINVALIDOBJ);
    ck_assert_int_eq(kube_error_from_http(429, NULL), KUBE_ETHROTTLED);
    ck_assert_int_eq(kube_error_from_http(500, NULL), KUBE_ESERVER);
    ck_assert_int_eq(kube_error_from_http(503, "ServiceUnavailable"), KUBE_ESERVER);
    ck_assert_int_eq(kube_error_from_http(504, NULL), KUBE_ETIMEDOUT);
    ck_assert_int_eq(kube_error_from_http(500, "ServerTimeout"), KUBE_ETIMEDOUT);
    ck_assert_int_eq(kube_error_from_http(418, NULL), KUBE_ERROR);
}
END_TEST

START_TEST(retryable_classification)
{
    ck_assert(kube_error_is_retryable(KUBE_ETHROTTLED));
    ck_assert(kube_error_is_retryable(KUBE_ESERVER));
    ck_assert(kube_error_is_retryable(KUBE_ETRANSPORT));
    ck_assert(kube_error_is_retryable(KUBE_ETIMEDOUT));
    ck_assert(!kube_error_is_retryable(KUBE_EGONE));
    ck_assert(!kube_error_is_retryable(KUBE_ENOTFOUND));
    ck_assert(!kube_error_is_retryable(KUBE_OK));
}
END_TEST

START_TEST(thread_local_detail)
{
    char longmsg[2000];
    kube_error_clear();
    ck_assert_int_eq(kube_error_last()->code, KUBE_OK);
    ck_assert_str_eq(kube_error_last()->message, "");
    ck_assert_int_eq(kube_error_setf(KUBE_EINVAL, "field %s: bad", "spec.replicas"), KUBE_EINVAL);
    ck_assert_int_eq(kube_error_last()->code, KUBE_EINVAL);
    ck_assert_str_eq(kube_error_last()->message, "field spec.replicas: bad");
    ck_assert_int_eq(kube_error_last()->http_status, 0);
    ck_assert_int_eq(kube_error_set_http(KUBE_ENOTFOUND, 404, "NotFound", "pods \"x\" not found"), KUBE_ENOTFOUND);
    ck_assert_int_eq(kube_error_last()->http_status, 404);
    ck_assert_str_eq(kube_error_last()->reason, "NotFound");
    ck_assert_str_eq(kube_error_last()->message, "pods \"x\" not found");
    memset(longmsg, 'a', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    kube_error_set_http(KUBE_ESERVER, 500, NULL, longmsg);
    ck_assert_uint_eq(strlen(kube_error_last()->message), 1023);
    ck_assert_str_eq(kube_error_last()->reason, "");
    /* Wrapping the previous message is allowed (the buffers overlap). */
    kube_error_setf(KUBE_EINVAL, "inner %d", 7);
    kube_error_setf(KUBE_EPROTO, "outer: %s", kube_error_last()->message);
    ck_assert_str_eq(kube_error_last()->message, "outer: inner 7");
    kube_error_set_http(KUBE_ENOTFOUND, 404, kube_error_last()->message + 7, kube_error_last()->message);
    ck_assert_str_eq(kube_error_last()->message, "outer: inner 7");
    ck_assert_str_eq(kube_error_last()->reason, "inner 7");
    kube_error_clear();
    ck_assert_int_eq(kube_error_last()->code, KUBE_OK);
}
END_TEST

START_TEST(global_init_is_refcounted)
{
    ck_assert_int_eq(kube_global_flags(), 0);
    ck_assert_int_eq(kube_global_init(KUBE_GLOBAL_NO_CURL), 1);
    ck_assert_int_eq(kube_global_init(0), 2);
    ck_assert_uint_eq(kube_global_flags(), KUBE_GLOBAL_NO_CURL);
    ck_assert_int_eq(kube_global_cleanup(), 1);
    ck_assert_int_eq(kube_global_cleanup(), 0);
    ck_assert_int_eq(kube_global_cleanup(), KUBE_EINVAL);
    ck_assert_int_eq(kube_global_init(0x80), KUBE_EINVAL);
    ck_assert_int_eq(kube_global_flags(), 0);
}
END_TEST

START_TEST(version_matches_headers)
{
    ck_assert_str_eq(kube_version_string(), KUBE_VERSION_STRING);
    ck_assert_uint_eq(kube_version_num(), KUBE_VERSION_NUM);
    ck_assert(KUBE_VERSION_CHECK(0, 0, 1));
    ck_assert(!KUBE_VERSION_CHECK(99, 0, 0));
}
END_TEST

Suite *kube_test_error_suite(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("error");
    tcase_add_test(tc, every_code_has_a_name_and_message);
    tcase_add_test(tc, http_status_and_reason_map_to_codes);
    tcase_add_test(tc, retryable_classification);
    tcase_add_test(tc, thread_local_detail);
    tcase_add_test(tc, global_init_is_refcounted);
    tcase_add_test(tc, version_matches_headers);
    suite_add_tcase(s, tc);
    return s;
}
