#include <check.h>
#include <string.h>
#include <kube/status.h>
#include "dec_fixture.h"
#include "failmalloc.h"

START_TEST(parse_not_found)
{
    size_t len;
    char *data = dec_fixture("status/not_found.json", &len);
    kube_status_t *st;
    ck_assert_int_eq(kube_status_parse(&st, data, len, NULL), KUBE_OK);
    ck_assert_uint_eq(st->version, KUBE_STATUS_VERSION);
    ck_assert_str_eq(st->status, "Failure");
    ck_assert_str_eq(st->message, "pods \"foo\" not found");
    ck_assert_str_eq(st->reason, "NotFound");
    ck_assert_int_eq(st->code, 404);
    ck_assert_int_eq(st->has_details, 1);
    ck_assert_str_eq(st->details_name, "foo");
    ck_assert_str_eq(st->details_kind, "pods");
    ck_assert_str_eq(st->details_group, "");
    ck_assert_str_eq(st->details_uid, "");
    ck_assert_str_eq(st->continue_token, "");
    ck_assert_uint_eq(st->cause_count, 0);
    ck_assert_ptr_null(st->causes);
    ck_assert(kube_status_is_failure(st));
    ck_assert(!kube_status_is_success(st));
    ck_assert(kube_status_is_not_found(st));
    ck_assert(!kube_status_is_conflict(st));
    ck_assert(!kube_status_is_gone(st));

    kube_error_clear();
    ck_assert_int_eq(kube_status_error(st, 404), KUBE_ENOTFOUND);
    ck_assert_int_eq(kube_error_last()->code, KUBE_ENOTFOUND);
    ck_assert_int_eq(kube_error_last()->http_status, 404);
    ck_assert_str_eq(kube_error_last()->reason, "NotFound");
    ck_assert_str_eq(kube_error_last()->message, "pods \"foo\" not found");
    kube_status_free(st);
    kube_status_free(NULL);
    free(data);
}
END_TEST

START_TEST(parse_invalid_with_causes)
{
    size_t len;
    char *data = dec_fixture("status/invalid.json", &len);
    kube_status_t *st;
    ck_assert_int_eq(kube_status_parse(&st, data, len, NULL), KUBE_OK);
    ck_assert_int_eq(st->code, 422);
    ck_assert(kube_status_is_invalid(st));
    ck_assert_uint_eq(st->cause_count, 2);
    ck_assert_str_eq(st->causes[0].reason, "FieldValueRequired");
    ck_assert_str_eq(st->causes[0].message, "Required value");
    ck_assert_str_eq(st->causes[0].field, "spec.containers[0].name");
    ck_assert_str_eq(st->causes[1].field, "spec.containers[0].image");
    ck_assert_int_eq(kube_status_error(st, 422), KUBE_EINVALIDOBJ);
    kube_status_free(st);
    free(data);

    data = dec_fixture("status/timeout.json", &len);
    ck_assert_int_eq(kube_status_parse(&st, data, len, NULL), KUBE_OK);
    ck_assert_int_eq(st->retry_after_seconds, 1);
    ck_assert_uint_eq(st->cause_count, 1);
    ck_assert_str_eq(st->causes[0].field, "");
    ck_assert_str_eq(st->details_name, "");
    /* inside a 200 watch stream the status's own code decides */
    ck_assert_int_eq(kube_status_error(st, 200), KUBE_ETIMEDOUT);
    ck_assert_int_eq(kube_error_last()->http_status, 504);
    kube_status_free(st);
    free(data);
}
END_TEST

static kube_status_t *parse_str(const char *s)
{
    kube_status_t *st = NULL;
    ck_assert_int_eq(kube_status_parse(&st, s, strlen(s), NULL), KUBE_OK);
    return st;
}

START_TEST(mapping_and_predicates)
{
    static const struct {
        const char *json;
        int http;
        kube_error_t want;
    } cases[] = {
        { "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"AlreadyExists\",\"code\":409}", 409, KUBE_EEXISTS },
        { "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409}", 409, KUBE_ECONFLICT },
        { "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410}", 0, KUBE_EGONE },
        { "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Gone\",\"code\":410}", 410, KUBE_EGONE },
        { "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}", 403, KUBE_EFORBIDDEN },
        { "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Unauthorized\",\"code\":401}", 401, KUBE_EUNAUTHORIZED },
        { "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"TooManyRequests\",\"code\":429}", 429, KUBE_ETHROTTLED },
        { "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"InternalError\",\"code\":500}", 500, KUBE_ESERVER },
        { "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":503}", 0, KUBE_ESERVER },
        { "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"?\"}", 0, KUBE_ERROR },
        { "{\"kind\":\"Status\",\"status\":\"Success\",\"code\":200}", 200, KUBE_OK },
        { "{\"status\":\"Success\"}", 0, KUBE_OK },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kube_status_t *st = parse_str(cases[i].json);
        ck_assert_msg(kube_status_error(st, cases[i].http) == cases[i].want, "case %zu", i);
        kube_status_free(st);
    }
    kube_status_t *st = parse_str("{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"AlreadyExists\",\"code\":409}");
    ck_assert(kube_status_is_already_exists(st));
    ck_assert(!kube_status_is_conflict(st)); /* a reason wins over the code */
    kube_status_free(st);
    st = parse_str("{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":409}");
    ck_assert(kube_status_is_conflict(st));
    kube_status_free(st);
    st = parse_str("{\"status\":\"Failure\",\"code\":403}");
    ck_assert(kube_status_is_forbidden(st));
    kube_status_free(st);
    st = parse_str("{\"status\":\"Failure\",\"code\":401}");
    ck_assert(kube_status_is_unauthorized(st));
    kube_status_free(st);
    st = parse_str("{\"status\":\"Failure\",\"code\":429}");
    ck_assert(kube_status_is_too_many_requests(st));
    kube_status_free(st);
    st = parse_str("{\"status\":\"Failure\",\"code\":404}");
    ck_assert(kube_status_is_not_found(st));
    /* a message-less failure still gives a readable message */
    ck_assert_int_eq(kube_status_error(st, 0), KUBE_ENOTFOUND);
    ck_assert_str_eq(kube_error_last()->message, kube_strerror(KUBE_ENOTFOUND));
    kube_status_free(st);
    ck_assert(!kube_status_is_not_found(NULL));
    ck_assert(!kube_status_is_success(NULL));
    ck_assert(!kube_status_is_gone(NULL));
    ck_assert(!kube_status_is_too_many_requests(NULL));
    ck_assert_int_eq(kube_status_error(NULL, 404), KUBE_EINVAL);
}
END_TEST

START_TEST(not_a_status)
{
    kube_status_t *st = NULL;
    static const char *bad[] = {
        "", "404 page not found", "[1]", "\"Status\"", "{\"kind\":\"Pod\",\"status\":{}}", "{\"metadata\":{}}",
        "{\"kind\":\"Status\"", "{\"kind\":\"Status\",\"code\":404} trailing",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(kube_status_parse(&st, bad[i], strlen(bad[i]), NULL) == KUBE_EPROTO, "case %zu", i);
        ck_assert_ptr_null(st);
    }
    ck_assert_int_eq(kube_status_parse(NULL, "{}", 2, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_status_parse(&st, NULL, 2, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_status_from_json(&st, NULL, NULL), KUBE_EPROTO);
    ck_assert_int_eq(kube_status_from_json(NULL, NULL, NULL), KUBE_EINVAL);
    /* wrong member types are ignored, not trusted */
    st = parse_str("{\"status\":1,\"message\":[\"x\"],\"code\":\"404\",\"details\":{\"causes\":{},\"name\":7}}");
    ck_assert_str_eq(st->status, "");
    ck_assert_str_eq(st->message, "");
    ck_assert_int_eq(st->code, 0);
    ck_assert_int_eq(st->has_details, 1);
    ck_assert_uint_eq(st->cause_count, 0);
    ck_assert_str_eq(st->details_name, "");
    kube_status_free(st);
    st = parse_str("{\"code\":99999999999}");
    ck_assert_int_eq(st->code, 0);
    kube_status_free(st);
}
END_TEST

START_TEST(classify_answers)
{
    kube_status_t *st;
    size_t len;
    char *data = dec_fixture("status/not_found.json", &len);

    ck_assert_int_eq(kube_status_classify(&st, 200, "application/json", "{}", 2, NULL), KUBE_OK);
    ck_assert_ptr_null(st);
    ck_assert_int_eq(kube_status_classify(&st, 201, NULL, NULL, 0, NULL), KUBE_OK);
    ck_assert_int_eq(kube_status_classify(NULL, 304, NULL, "x", 1, NULL), KUBE_OK);

    ck_assert_int_eq(kube_status_classify(&st, 404, "application/json", data, len, NULL), KUBE_ENOTFOUND);
    ck_assert_str_eq(st->details_name, "foo");
    ck_assert_str_eq(kube_error_last()->message, "pods \"foo\" not found");
    kube_status_free(st);
    ck_assert_int_eq(kube_status_classify(NULL, 404, "application/json; charset=utf-8", data, len, NULL),
                     KUBE_ENOTFOUND);

    /* plain text: the Go mux's 404 */
    const char *p404 = "404 page not found\n";
    ck_assert_int_eq(kube_status_classify(&st, 404, "text/plain; charset=utf-8", p404, strlen(p404), NULL),
                     KUBE_ENOTFOUND);
    ck_assert_str_eq(st->reason, "NotFound");
    ck_assert_int_eq(st->code, 404);
    ck_assert_str_eq(st->status, "Failure");
    ck_assert_str_eq(st->message, "the server could not find the requested resource: 404 page not found");
    ck_assert_str_eq(kube_error_last()->message, st->message);
    ck_assert_int_eq(kube_error_last()->http_status, 404);
    kube_status_free(st);
    /* the same text labelled as JSON is still understood */
    ck_assert_int_eq(kube_status_classify(&st, 404, "application/json", p404, strlen(p404), NULL), KUBE_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(st->message, "404 page not found"));
    kube_status_free(st);

    /* API Priority and Fairness: a plain-text 429 */
    const char *apf = "Too many requests, please try again later.\n";
    ck_assert_int_eq(kube_status_classify(&st, 429, "text/plain", apf, strlen(apf), NULL), KUBE_ETHROTTLED);
    ck_assert_str_eq(st->reason, "TooManyRequests");
    kube_status_free(st);
    /* empty 503, HTML from a proxy, an unknown 4xx and 5xx, binary junk */
    ck_assert_int_eq(kube_status_classify(&st, 503, NULL, NULL, 0, NULL), KUBE_ESERVER);
    ck_assert_str_eq(st->message, "the server is currently unable to handle the request");
    kube_status_free(st);
    const char *html = "<html><body>Bad Gateway</body></html>";
    ck_assert_int_eq(kube_status_classify(&st, 502, "text/html", html, strlen(html), NULL), KUBE_ESERVER);
    ck_assert_str_eq(st->message, "the server failed to handle the request (HTTP 502)");
    kube_status_free(st);
    ck_assert_int_eq(kube_status_classify(&st, 418, "text/plain", "teapot", 6, NULL), KUBE_ERROR);
    ck_assert_str_eq(st->message, "the server rejected the request (HTTP 418): teapot");
    kube_status_free(st);
    ck_assert_int_eq(kube_status_classify(&st, 400, "text/plain", "a\001b", 3, NULL), KUBE_EINVALIDOBJ);
    ck_assert_str_eq(st->message, "the server rejected our request for an unknown reason");
    kube_status_free(st);
    /* JSON that is not a Status */
    ck_assert_int_eq(kube_status_classify(&st, 409, "application/json", "{\"kind\":\"Pod\"}", 14, NULL),
                     KUBE_ECONFLICT);
    ck_assert_str_eq(st->reason, "Conflict");
    kube_status_free(st);
    /* a Success status on an error code is still an error */
    ck_assert_int_eq(kube_status_classify(&st, 500, NULL, "{\"status\":\"Success\"}", 20, NULL), KUBE_ESERVER);
    kube_status_free(st);
    /* YAML bodies are not parsed as JSON */
    ck_assert_int_eq(kube_status_classify(&st, 403, "application/yaml", "kind: Status", 12, NULL), KUBE_EFORBIDDEN);
    ck_assert_str_eq(st->message, "the server does not allow access to the requested resource: kind: Status");
    kube_status_free(st);
    /* impossible status codes */
    ck_assert_int_eq(kube_status_classify(&st, 0, NULL, NULL, 0, NULL), KUBE_EPROTO);
    ck_assert_ptr_null(st);
    ck_assert_int_eq(kube_status_classify(&st, 600, NULL, NULL, 0, NULL), KUBE_EPROTO);
    free(data);
}
END_TEST

START_TEST(out_of_memory_every_allocation)
{
    size_t len;
    char *data = dec_fixture("status/invalid.json", &len);
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    long n;
    for (n = 0;; n++) {
        kube_status_t *st = NULL;
        failmalloc_reset(&fm, n);
        kube_error_t rc = kube_status_parse(&st, data, len, &mem);
        if (rc == KUBE_OK) {
            ck_assert_uint_eq(st->cause_count, 2);
            kube_status_free(st);
            ck_assert_int_eq(fm.live, 0);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_ptr_null(st);
        ck_assert_int_eq(fm.live, 0);
    }
    ck_assert_int_gt(n, 0);
    for (n = 0;; n++) {
        kube_status_t *st = NULL;
        failmalloc_reset(&fm, n);
        kube_error_t rc = kube_status_classify(&st, 404, "text/plain", "404 page not found", 18, &mem);
        if (rc == KUBE_ENOTFOUND) {
            kube_status_free(st);
            ck_assert_int_eq(fm.live, 0);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_ptr_null(st);
        ck_assert_int_eq(fm.live, 0);
    }
    ck_assert_int_gt(n, 0);
    free(data);
}
END_TEST

Suite *kube_test_status_suite(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("status");
    tcase_add_test(tc, parse_not_found);
    tcase_add_test(tc, parse_invalid_with_causes);
    tcase_add_test(tc, mapping_and_predicates);
    tcase_add_test(tc, not_a_status);
    tcase_add_test(tc, classify_answers);
    tcase_add_test(tc, out_of_memory_every_allocation);
    suite_add_tcase(s, tc);
    return s;
}
