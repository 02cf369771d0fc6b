#include <check.h>
#include <string.h>
#include <kube/timestamp.h>
#include <kube/error.h>

static kube_timestamp_t P(const char *s)
{
    kube_timestamp_t t;
    kube_error_t rc = kube_timestamp_parse(&t, s, strlen(s));
    ck_assert_msg(rc == KUBE_OK, "%s: %d %s", s, rc, kube_error_last()->message);
    return t;
}

static const char *F(const kube_timestamp_t *t, int kind)
{
    static char out[64];
    kube_buf_t b;
    kube_error_t rc;
    kube_buf_init(&b, NULL);
    rc = kind == 0 ? kube_timestamp_format(&b, t) : kind == 6 ? kube_timestamp_format_micro(&b, t)
                                                               : kube_timestamp_format_nano(&b, t);
    ck_assert_int_eq(rc, KUBE_OK);
    memcpy(out, b.ptr, b.size + 1);
    kube_buf_dispose(&b);
    return out;
}

START_TEST(known_instants)
{
    static const struct {
        const char *in;
        int64_t secs;
        int32_t nanos;
        const char *utc;
    } t[] = {
        {"1970-01-01T00:00:00Z", 0, 0, "1970-01-01T00:00:00Z"},
        {"2024-05-01T10:00:00Z", 1714557600, 0, "2024-05-01T10:00:00Z"},
        {"2024-05-01T12:00:00+02:00", 1714557600, 0, "2024-05-01T10:00:00Z"},
        {"2024-05-01T05:30:00-04:30", 1714557600, 0, "2024-05-01T10:00:00Z"},
        {"2024-05-01T10:00:00-00:00", 1714557600, 0, "2024-05-01T10:00:00Z"},
        {"2000-02-29T23:59:59Z", 951868799, 0, "2000-02-29T23:59:59Z"},
        {"1900-03-01T00:00:00Z", -2203891200LL, 0, "1900-03-01T00:00:00Z"},
        {"1600-02-29T12:34:56Z", -11670953104LL, 0, "1600-02-29T12:34:56Z"},
        {"2262-04-11T23:47:16Z", 9223372036LL, 0, "2262-04-11T23:47:16Z"},
        {"1677-09-21T00:12:44Z", -9223372036LL, 0, "1677-09-21T00:12:44Z"},
        {"0000-01-01T00:00:00Z", -62167219200LL, 0, "0000-01-01T00:00:00Z"},
        {"9999-12-31T23:59:59.999999999Z", 253402300799LL, 999999999, "9999-12-31T23:59:59Z"},
        {"1969-12-31T23:59:59.5Z", -1, 500000000, "1969-12-31T23:59:59Z"},
        {"2024-05-01T10:00:00.123456789123Z", 1714557600, 123456789, "2024-05-01T10:00:00Z"},
        {"2024-01-01T00:30:00+01:00", 1704065400, 0, "2023-12-31T23:30:00Z"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        kube_timestamp_t ts = P(t[i].in);
        ck_assert_msg(ts.seconds == t[i].secs, "%s: %lld", t[i].in, (long long)ts.seconds);
        ck_assert_int_eq(ts.nanos, t[i].nanos);
        ck_assert_str_eq(F(&ts, 0), t[i].utc);
    }
}
END_TEST

START_TEST(parse_errors)
{
    static const char *bad[] = {
        "", "2024-05-01", "2024-05-01T10:00:00", "2024-05-01 10:00:00Z", "2024-05-01t10:00:00Z",
        "2024-05-01T10:00:00z", "2024-13-01T10:00:00Z", "2024-00-01T10:00:00Z", "2024-05-32T10:00:00Z",
        "2023-02-29T10:00:00Z", "2100-02-29T10:00:00Z", "2024-04-31T10:00:00Z", "2024-05-01T24:00:00Z",
        "2024-05-01T10:60:00Z", "2024-05-01T10:00:60Z", "2024-05-01T10:00:00+24:00", "2024-05-01T10:00:00+02:60",
        "2024-05-01T10:00:00+0200", "2024-05-01T10:00:00+02:00 ", "2024-05-01T10:00:00.Z",
        "2024-05-01T10:00:00ZZ", "2024/05/01T10:00:00Z", "+024-05-01T10:00:00Z", "2024-5-01T10:00:00Z",
        "2024-05-01T10:00:00,5Z", "2024-05-01T10:00:00 Z",
    };
    kube_timestamp_t ts = {KUBE_TIMESTAMP_VERSION, 42, 7};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(kube_timestamp_parse(&ts, bad[i], strlen(bad[i])) == KUBE_EINVAL, "%s parsed", bad[i]);
        ck_assert_msg(strstr(kube_error_last()->message, "offset") || strstr(kube_error_last()->message, "short"),
                      "%s: %s", bad[i], kube_error_last()->message);
    }
    ck_assert_int_eq(ts.seconds, 42);
    ck_assert_int_eq(kube_timestamp_parse(&ts, "2024-05-01T10:00:00+02:60", 25), KUBE_EINVAL);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "offset minute 60"));
    ck_assert_int_eq(kube_timestamp_parse(NULL, "x", 1), KUBE_EINVAL);
}
END_TEST

START_TEST(micro_time)
{
    kube_timestamp_t ts;
    ck_assert_int_eq(kube_timestamp_parse_micro(&ts, "2024-05-01T10:00:00.123456Z", 27), KUBE_OK);
    ck_assert_int_eq(ts.nanos, 123456000);
    ck_assert_str_eq(F(&ts, 6), "2024-05-01T10:00:00.123456Z");
    ck_assert_int_eq(kube_timestamp_parse_micro(&ts, "2024-05-01T12:00:00.000001+02:00", 32), KUBE_OK);
    ck_assert_str_eq(F(&ts, 6), "2024-05-01T10:00:00.000001Z");
    ck_assert_int_eq(kube_timestamp_parse_micro(&ts, "2024-05-01T10:00:00.12345Z", 26), KUBE_EINVAL);
    ck_assert_int_eq(kube_timestamp_parse_micro(&ts, "2024-05-01T10:00:00.1234567Z", 28), KUBE_EINVAL);
    ck_assert_int_eq(kube_timestamp_parse_micro(&ts, "2024-05-01T10:00:00Z", 20), KUBE_EINVAL);
    /* Formatting truncates. */
    ck_assert_int_eq(kube_timestamp_from_unix(&ts, 1714557600, 999999999), KUBE_OK);
    ck_assert_str_eq(F(&ts, 0), "2024-05-01T10:00:00Z");
    ck_assert_str_eq(F(&ts, 6), "2024-05-01T10:00:00.999999Z");
    ck_assert_str_eq(F(&ts, 9), "2024-05-01T10:00:00.999999999Z");
    ck_assert_int_eq(kube_timestamp_from_unix(&ts, 1714557600, 120000000), KUBE_OK);
    ck_assert_str_eq(F(&ts, 9), "2024-05-01T10:00:00.12Z");
    ck_assert_str_eq(F(&ts, 6), "2024-05-01T10:00:00.120000Z");
    ck_assert_int_eq(kube_timestamp_from_unix(&ts, 1714557600, 0), KUBE_OK);
    ck_assert_str_eq(F(&ts, 9), "2024-05-01T10:00:00Z");
    ck_assert_str_eq(F(&ts, 6), "2024-05-01T10:00:00.000000Z");
}
END_TEST

START_TEST(unix_conversions)
{
    kube_timestamp_t ts, a, b;
    int64_t ns = 0;
    kube_buf_t buf;
    ck_assert_int_eq(kube_timestamp_from_unix(&ts, 10, -1), KUBE_OK);
    ck_assert_int_eq(ts.seconds, 9);
    ck_assert_int_eq(ts.nanos, 999999999);
    ck_assert_int_eq(kube_timestamp_from_unix(&ts, 0, 2500000000LL), KUBE_OK);
    ck_assert_int_eq(ts.seconds, 2);
    ck_assert_int_eq(ts.nanos, 500000000);
    ck_assert_int_eq(kube_timestamp_from_unix(&ts, 0, -2500000000LL), KUBE_OK);
    ck_assert_int_eq(ts.seconds, -3);
    ck_assert_int_eq(ts.nanos, 500000000);
    ck_assert_int_eq(kube_timestamp_from_unix(&ts, INT64_MAX, 1000000000), KUBE_ERANGE);
    ck_assert_int_eq(kube_timestamp_from_unix(&ts, INT64_MIN, -1), KUBE_ERANGE);
    ck_assert_int_eq(kube_timestamp_from_unix(&ts, 1714557600, 5), KUBE_OK);
    ck_assert_int_eq(kube_timestamp_to_unix_nanos(&ts, &ns), KUBE_OK);
    ck_assert_int_eq(ns, 1714557600000000005LL);
    ts = P("2262-04-11T23:47:17Z");
    ck_assert_int_eq(kube_timestamp_to_unix_nanos(&ts, &ns), KUBE_ERANGE);
    ts = P("1677-09-21T00:12:44Z");
    ck_assert_int_eq(kube_timestamp_to_unix_nanos(&ts, &ns), KUBE_OK);
    ck_assert_int_eq(ns, -9223372036000000000LL);
    /* Years outside 0000-9999 cannot be written. */
    kube_buf_init(&buf, NULL);
    ck_assert_int_eq(kube_timestamp_from_unix(&ts, 253402300800LL, 0), KUBE_OK);
    ck_assert_int_eq(kube_timestamp_format(&buf, &ts), KUBE_ERANGE);
    ck_assert_int_eq(kube_timestamp_from_unix(&ts, -62167219201LL, 0), KUBE_OK);
    ck_assert_int_eq(kube_timestamp_format(&buf, &ts), KUBE_ERANGE);
    ts = P("0000-01-01T00:30:00+01:00");
    ck_assert_int_eq(kube_timestamp_format(&buf, &ts), KUBE_ERANGE);
    ts.nanos = -1;
    ck_assert_int_eq(kube_timestamp_format(&buf, &ts), KUBE_EINVAL);
    ck_assert_uint_eq(buf.size, 0);
    kube_buf_dispose(&buf);
    /* Ordering. */
    a = P("2024-05-01T10:00:00.5Z");
    b = P("2024-05-01T12:00:00.4+02:00");
    ck_assert_int_eq(kube_timestamp_cmp(&a, &b), 1);
    ck_assert_int_eq(kube_timestamp_cmp(&b, &a), -1);
    b = P("2024-05-01T10:00:00.500Z");
    ck_assert_int_eq(kube_timestamp_cmp(&a, &b), 0);
    ck_assert_int_eq(kube_timestamp_cmp(NULL, &b), -1);
}
END_TEST

/* Instants from 0000-01-01 to 9999-12-31 (every day of 1896-1904 and 1999-2001, then
 * every 97 days and an hour) format and parse back to themselves. */
static void round_trip_range(int64_t from, int64_t to, int64_t step)
{
    kube_buf_t b;
    int64_t prev_day = -1;
    kube_buf_init(&b, NULL);
    for (int64_t s = from; s <= to; s += step) {
        kube_timestamp_t ts, back;
        int64_t day;
        ck_assert_int_eq(kube_timestamp_from_unix(&ts, s, 7000), KUBE_OK);
        kube_buf_clear(&b);
        ck_assert_int_eq(kube_timestamp_format_nano(&b, &ts), KUBE_OK);
        ck_assert_int_eq(kube_timestamp_parse(&back, b.ptr, b.size), KUBE_OK);
        ck_assert_int_eq(kube_timestamp_cmp(&ts, &back), 0);
        day = (b.ptr[8] - '0') * 10 + (b.ptr[9] - '0');
        ck_assert(day != prev_day);
        prev_day = day;
    }
    kube_buf_dispose(&b);
}

START_TEST(calendar_round_trip)
{
    round_trip_range(-2335219200LL, -2082844800LL, 86400 + 1);  /* 1896-01-01 .. 1904-01-01 */
    round_trip_range(915148800LL, 1009843200LL, 86400 + 1);     /* 1999-01-01 .. 2002-01-01 */
    round_trip_range(-62167219200LL, 253402300799LL, 97 * 86400 + 3601);
}
END_TEST

Suite *kube_test_timestamp_suite(void)
{
    Suite *s = suite_create("timestamp");
    TCase *tc = tcase_create("timestamp");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, known_instants);
    tcase_add_test(tc, parse_errors);
    tcase_add_test(tc, micro_time);
    tcase_add_test(tc, unix_conversions);
    tcase_add_test(tc, calendar_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
