/* Tables from Go's time package tests (parseDurationTests, parseDurationErrorTests, durationTests). */
#include <check.h>
#include <string.h>
#include <kube/duration.h>
#include <kube/error.h>

#define NS KUBE_DURATION_NANOSECOND
#define US KUBE_DURATION_MICROSECOND
#define MS KUBE_DURATION_MILLISECOND
#define SEC KUBE_DURATION_SECOND
#define MIN KUBE_DURATION_MINUTE
#define HOUR KUBE_DURATION_HOUR

static const struct {
    const char *in;
    int64_t want;
} parse_ok[] = {
    {"0", 0}, {"5s", 5 * SEC}, {"30s", 30 * SEC}, {"1478s", 1478 * SEC},
    {"-5s", -5 * SEC}, {"+5s", 5 * SEC}, {"-0", 0}, {"+0", 0},
    {"5.0s", 5 * SEC}, {"5.6s", 5 * SEC + 600 * MS}, {"5.s", 5 * SEC}, {".5s", 500 * MS},
    {"1.0s", 1 * SEC}, {"1.00s", 1 * SEC}, {"1.004s", 1 * SEC + 4 * MS}, {"1.0040s", 1 * SEC + 4 * MS},
    {"100.00100s", 100 * SEC + 1 * MS},
    {"10ns", 10 * NS}, {"11us", 11 * US}, {"12\xc2\xb5s", 12 * US}, {"12\xce\xbcs", 12 * US},
    {"13ms", 13 * MS}, {"14s", 14 * SEC}, {"15m", 15 * MIN}, {"16h", 16 * HOUR},
    {"3h30m", 3 * HOUR + 30 * MIN}, {"10.5s4m", 4 * MIN + 10 * SEC + 500 * MS},
    {"-2m3.4s", -(2 * MIN + 3 * SEC + 400 * MS)},
    {"1h2m3s4ms5us6ns", 1 * HOUR + 2 * MIN + 3 * SEC + 4 * MS + 5 * US + 6 * NS},
    {"39h9m14.425s", 39 * HOUR + 9 * MIN + 14 * SEC + 425 * MS},
    {"52763797000ns", 52763797000 * NS},
    {"0.3333333333333333333h", 20 * MIN},
    {"9007199254740993ns", ((INT64_C(1) << 53) + 1) * NS},
    {"9223372036854775807ns", INT64_MAX},
    {"9223372036854775.807us", INT64_MAX},
    {"9223372036s854ms775us807ns", INT64_MAX},
    {"-9223372036854775808ns", INT64_MIN},
    {"-9223372036854775.808us", INT64_MIN},
    {"-9223372036s854ms775us808ns", INT64_MIN},
    {"-2562047h47m16.854775808s", INT64_MIN},
    {"0.100000000000000000000h", 6 * MIN},
    {"0.830103483285477580700h", 49 * MIN + 48 * SEC + 372539827 * NS},
    /* the brief's examples */
    {"1h2m3.5s", HOUR + 2 * MIN + 3 * SEC + 500 * MS}, {"300ms", 300 * MS}, {"1.5h", 90 * MIN}, {"-1m", -MIN},
};

static const struct {
    const char *in;
    kube_error_t rc;
} parse_err[] = {
    {"", KUBE_EINVAL}, {"3", KUBE_EINVAL}, {"-", KUBE_EINVAL}, {"s", KUBE_EINVAL}, {".", KUBE_EINVAL},
    {"-.", KUBE_EINVAL}, {".s", KUBE_EINVAL}, {"+.s", KUBE_EINVAL}, {"1d", KUBE_EINVAL},
    {"\x85\x85", KUBE_EINVAL}, {"\xff" "ff", KUBE_EINVAL}, {"hello \xff" "ff world", KUBE_EINVAL},
    {"1h ", KUBE_EINVAL}, {" 1h", KUBE_EINVAL}, {"1h-2m", KUBE_EINVAL}, {"1S", KUBE_EINVAL},
    {"9223372036854775810ns", KUBE_ERANGE}, {"9223372036854775808ns", KUBE_ERANGE},
    {"-9223372036854775809ns", KUBE_ERANGE}, {"9223372036854776us", KUBE_ERANGE}, {"3000000h", KUBE_ERANGE},
    {"9223372036854775.808us", KUBE_ERANGE}, {"9223372036854ms775us808ns", KUBE_ERANGE},
    {"99999999999999999999h", KUBE_ERANGE},
};

START_TEST(parse_table)
{
    for (size_t i = 0; i < sizeof parse_ok / sizeof *parse_ok; i++) {
        int64_t d = 12345;
        kube_error_t rc = kube_duration_parse(&d, parse_ok[i].in, strlen(parse_ok[i].in));
        ck_assert_msg(rc == KUBE_OK, "%s: %d", parse_ok[i].in, rc);
        ck_assert_msg(d == parse_ok[i].want, "%s: %lld", parse_ok[i].in, (long long)d);
    }
    for (size_t i = 0; i < sizeof parse_err / sizeof *parse_err; i++) {
        int64_t d = 12345;
        kube_error_t rc = kube_duration_parse(&d, parse_err[i].in, strlen(parse_err[i].in));
        ck_assert_msg(rc == parse_err[i].rc, "%s: %d", parse_err[i].in, rc);
        ck_assert_int_eq(d, 12345);
    }
    {
        int64_t d;
        ck_assert_int_eq(kube_duration_parse(&d, "1x", 2), KUBE_EINVAL);
        ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "offset 1"));
        ck_assert_int_eq(kube_duration_parse(NULL, "1s", 2), KUBE_EINVAL);
        /* length-delimited: bytes after len are not read */
        ck_assert_int_eq(kube_duration_parse(&d, "2sxyz", 2), KUBE_OK);
        ck_assert_int_eq(d, 2 * SEC);
    }
}
END_TEST

START_TEST(format_table)
{
    static const struct {
        const char *want;
        int64_t d;
    } t[] = {
        {"0s", 0}, {"1ns", 1 * NS}, {"1.1\xc2\xb5s", 1100 * NS}, {"2.2ms", 2200 * US}, {"3.3s", 3300 * MS},
        {"4m5s", 4 * MIN + 5 * SEC}, {"4m5.001s", 4 * MIN + 5001 * MS}, {"5h6m7.001s", 5 * HOUR + 6 * MIN + 7001 * MS},
        {"8m0.000000001s", 8 * MIN + 1 * NS}, {"2562047h47m16.854775807s", INT64_MAX},
        {"-2562047h47m16.854775808s", INT64_MIN},
        {"1h2m3.5s", HOUR + 2 * MIN + 3500 * MS}, {"1.5\xc2\xb5s", 1500 * NS}, {"1h0m0s", HOUR}, {"-1m0s", -MIN},
        {"999ns", 999}, {"1\xc2\xb5s", 1000}, {"-1ns", -1},
    };
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        int64_t back;
        kube_buf_clear(&b);
        ck_assert_int_eq(kube_duration_format(&b, t[i].d), KUBE_OK);
        ck_assert_str_eq(b.ptr, t[i].want);
        /* What Go prints, Go parses back. */
        ck_assert_int_eq(kube_duration_parse(&back, b.ptr, b.size), KUBE_OK);
        ck_assert_int_eq(back, t[i].d);
    }
    ck_assert_int_eq(kube_duration_format(NULL, 1), KUBE_EINVAL);
    kube_buf_dispose(&b);
}
END_TEST

Suite *kube_test_duration_suite(void)
{
    Suite *s = suite_create("duration");
    TCase *tc = tcase_create("duration");
    tcase_add_test(tc, parse_table);
    tcase_add_test(tc, format_table);
    suite_add_tcase(s, tc);
    return s;
}
