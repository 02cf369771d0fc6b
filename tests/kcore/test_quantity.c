/* Tables from apimachinery's quantity_test.go (TestQuantityParse, TestQuantityString,
 * TestQuantityParseEmit, TestNegativeValueRoundsAwayFromZero, TestScaledValue, ...). */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <kube/quantity.h>
#include <kube/error.h>

#define DSI KUBE_QUANTITY_DECIMAL_SI
#define BSI KUBE_QUANTITY_BINARY_SI
#define DEX KUBE_QUANTITY_DECIMAL_EXPONENT

static kube_quantity_t Q(int64_t v, int32_t s, kube_quantity_format_t f)
{
    kube_quantity_t q;
    ck_assert_int_eq(kube_quantity_init(&q, v, s, f), KUBE_OK);
    return q;
}

static kube_quantity_t P(const char *s)
{
    kube_quantity_t q;
    kube_error_t rc = kube_quantity_parse(&q, s, strlen(s));
    ck_assert_msg(rc == KUBE_OK, "parse %s: %d %s", s, rc, kube_error_last()->message);
    return q;
}

static const char *S(const kube_quantity_t *q)
{
    static char out[128];
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_quantity_format(&b, q), KUBE_OK);
    ck_assert_uint_lt(b.size, sizeof out);
    memcpy(out, b.ptr, b.size + 1);
    kube_buf_dispose(&b);
    return out;
}

typedef struct parse_case {
    const char *in;
    int64_t value;
    int32_t scale;
    kube_quantity_format_t format;
} parse_case_t;

static const parse_case_t parse_table[] = {
    {"0", 0, 0, DSI}, {"0n", 0, 0, DSI}, {"0u", 0, 0, DSI}, {"0m", 0, 0, DSI}, {"0Ki", 0, 0, BSI},
    {"0k", 0, 0, DSI}, {"0Mi", 0, 0, BSI}, {"0M", 0, 0, DSI}, {"0Gi", 0, 0, BSI}, {"0G", 0, 0, DSI},
    {"0Ti", 0, 0, BSI}, {"0T", 0, 0, DSI},
    {"1", 1, 0, DSI},
    {"1Ki", 1024, 0, BSI}, {"8Ki", 8 * 1024, 0, BSI}, {"7Mi", 7 * 1024 * 1024, 0, BSI},
    {"6Gi", 6LL * 1024 * 1024 * 1024, 0, BSI}, {"5Ti", 5LL * 1024 * 1024 * 1024 * 1024, 0, BSI},
    {"4Pi", 4LL * 1024 * 1024 * 1024 * 1024 * 1024, 0, BSI},
    {"3Ei", 3LL * 1024 * 1024 * 1024 * 1024 * 1024 * 1024, 0, BSI},
    {"10Ti", 10LL * 1024 * 1024 * 1024 * 1024, 0, BSI}, {"100Ti", 100LL * 1024 * 1024 * 1024 * 1024, 0, BSI},
    {"5n", 5, -9, DSI}, {"4u", 4, -6, DSI}, {"3m", 3, -3, DSI}, {"9", 9, 0, DSI}, {"8k", 8, 3, DSI},
    {"50k", 5, 4, DSI}, {"7M", 7, 6, DSI}, {"6G", 6, 9, DSI}, {"5T", 5, 12, DSI}, {"40T", 4, 13, DSI},
    {"300T", 3, 14, DSI}, {"2P", 2, 15, DSI}, {"1E", 1, 18, DSI},
    {"1E-3", 1, -3, DEX}, {"1e3", 1, 3, DEX}, {"1E6", 1, 6, DEX}, {"1e9", 1, 9, DEX}, {"1E12", 1, 12, DEX},
    {"1e15", 1, 15, DEX}, {"1E18", 1, 18, DEX},
    {"1e14", 1, 14, DEX}, {"1e13", 1, 13, DEX}, {"100.035k", 100035, 0, DSI},
    {"0.001", 1, -3, DSI}, {"0.0005k", 5, -1, DSI}, {"0.005", 5, -3, DSI}, {"0.05", 5, -2, DSI},
    {"0.5", 5, -1, DSI}, {"0.00050k", 5, -1, DSI}, {"0.00500", 5, -3, DSI}, {"0.05000", 5, -2, DSI},
    {"0.50000", 5, -1, DSI}, {"0.5e0", 5, -1, DEX}, {"0.5e-1", 5, -2, DEX}, {"0.5e-2", 5, -3, DEX},
    {"10.035M", 10035, 3, DSI},
    {"1.2e3", 12, 2, DEX}, {"1.3E+6", 13, 5, DEX}, {"1.40e9", 14, 8, DEX}, {"1.53E12", 153, 10, DEX},
    {"1.6e15", 16, 14, DEX}, {"1.7E18", 17, 17, DEX},
    {"9.01", 901, -2, DSI}, {"8.1k", 81, 2, DSI}, {"7.123456M", 7123456, 0, DSI},
    {"6.987654321G", 6987654321LL, 0, DSI}, {"5.444T", 5444, 9, DSI}, {"40.1T", 401, 11, DSI},
    {"300.2T", 3002, 11, DSI}, {"2.5P", 25, 14, DSI}, {"1.01E", 101, 16, DSI},
    /* Things that saturate/round */
    {"3.001n", 4, -9, DSI}, {"1.1E-9", 2, -9, DEX}, {"0.0000000001", 1, -9, DSI}, {"0.0000000005", 1, -9, DSI},
    {"0.00000000050", 1, -9, DSI}, {"0.5e-9", 1, -9, DEX}, {"0.9n", 1, -9, DSI},
    {"0.00000012345", 124, -9, DSI}, {"0.00000012354", 124, -9, DSI},
    {"9Ei", INT64_MAX, 0, BSI}, {"9223372036854775807Ki", INT64_MAX, 0, BSI}, {"12E", 12, 18, DSI},
    /* fractional binary */
    {"100.035Ki", 10243584, -2, BSI}, {"0.5Mi", 524288, 0, BSI}, {"0.05Gi", 536870912, -1, BSI},
    {"0.025Ti", 274877906944LL, -1, BSI},
    /* Things written by trolls */
    {"0.000000000001Ki", 2, -9, DSI}, {".001", 1, -3, DSI}, {".0001k", 100, -3, DSI}, {"1.", 1, 0, DSI},
    {"1.G", 1, 9, DSI},
};

START_TEST(parse_table_upstream)
{
    for (size_t i = 0; i < sizeof parse_table / sizeof *parse_table; i++) {
        const parse_case_t *c = &parse_table[i];
        kube_quantity_t want = Q(c->value, c->scale, c->format), got = P(c->in), neg, pos;
        char buf[64];
        ck_assert_msg(kube_quantity_cmp(&want, &got) == 0, "%s: got %s", c->in, S(&got));
        ck_assert_msg(got.format == c->format, "%s: format %d", c->in, got.format);
        /* The negative and the explicit '+' versions. */
        snprintf(buf, sizeof buf, "-%s", c->in);
        neg = P(buf);
        want.value = -want.value;
        ck_assert_msg(kube_quantity_cmp(&want, &neg) == 0, "%s", buf);
        ck_assert_int_eq(neg.format, c->format);
        snprintf(buf, sizeof buf, "+%s", c->in);
        pos = P(buf);
        ck_assert_int_eq(kube_quantity_cmp(&got, &pos), 0);
        ck_assert_int_eq(pos.format, c->format);
    }
}
END_TEST

START_TEST(parse_invalid)
{
    static const char *invalid[] = {"1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-",
                                    "1e4294967297", " 1", "1 ", "1e", "1ki", "1K", "1e3Ki", "1Kie3", "1n5",
                                    "1E2147483648", "1E-2147483648", "1\0"};
    kube_quantity_t q = Q(77, 0, DSI);
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        size_t len = strlen(invalid[i]) + (i == sizeof invalid / sizeof *invalid - 1);
        ck_assert_msg(kube_quantity_parse(&q, invalid[i], len) == KUBE_EINVAL, "%s parsed", invalid[i]);
        ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "offset"));
    }
    ck_assert_int_eq(q.value, 77);
    ck_assert_int_eq(kube_quantity_parse(&q, "", 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_quantity_parse(NULL, "1", 1), KUBE_EINVAL);
    /* Precision limits (apimachinery keeps these in inf.Dec). */
    ck_assert_int_eq(kube_quantity_parse(&q, "9223372036854775808", 19), KUBE_ERANGE);
    ck_assert_int_eq(kube_quantity_parse(&q, "12345678901.123456789", 21), KUBE_ERANGE);
    ck_assert_int_eq(kube_quantity_parse(&q, "10e2147483647", 13), KUBE_ERANGE);
    /* apimachinery quirks that parse as zero. */
    q = P("+");
    ck_assert_int_eq(q.value, 0);
    q = P(".");
    ck_assert_int_eq(q.value, 0);
    q = P("-.");
    ck_assert_int_eq(q.value, 0);
    q = P("Ki");
    ck_assert_int_eq(q.value, 0);
    ck_assert_int_eq(q.format, BSI);
    q = P("e3");
    ck_assert_int_eq(q.value, 0);
}
END_TEST

typedef struct string_case {
    int64_t value;
    int32_t scale;
    kube_quantity_format_t format;
    const char *expect, *alternate;
} string_case_t;

static const string_case_t string_table[] = {
    {1024 * 1024 * 1024, 0, BSI, "1Gi", "1024Mi"},
    {300 * 1024 * 1024, 0, BSI, "300Mi", "307200Ki"},
    {6 * 1024, 0, BSI, "6Ki", ""},
    {1001LL * 1024 * 1024 * 1024, 0, BSI, "1001Gi", "1025024Mi"},
    {1024LL * 1024 * 1024 * 1024, 0, BSI, "1Ti", "1024Gi"},
    {5, 0, BSI, "5", "5000m"},
    {500, -3, BSI, "500m", "0.5"},
    {1, 9, DSI, "1G", "1000M"},
    {1000, 6, DSI, "1G", "0.001T"},
    {1000000, 3, DSI, "1G", ""},
    {1000000000, 0, DSI, "1G", ""},
    {1, -3, DSI, "1m", "1000u"},
    {80, -3, DSI, "80m", ""},
    {1080, -3, DSI, "1080m", "1.08"},
    {108, -2, DSI, "1080m", "1080000000n"},
    {10800, -4, DSI, "1080m", ""},
    {300, 6, DSI, "300M", ""},
    {1, 12, DSI, "1T", ""},
    {1, 18, DSI, "1E", ""},
    {1, 21, DSI, "1e21", "1000E"},
    {5, 21, DSI, "5e21", "5000E"},
    {1, 24, DSI, "1e24", "1000000E"},
    {1, 70, BSI, "10e69", ""},
    {2, 70, BSI, "20e69", ""},
    {1, 72, BSI, "1e72", ""},
    {1234567, 6, DSI, "1234567M", ""},
    {1234567, -3, BSI, "1234567m", ""},
    {3, 3, DSI, "3k", ""},
    {1025, 0, BSI, "1025", ""},
    {0, 0, DSI, "0", ""},
    {0, 0, BSI, "0", ""},
    {1, 9, DEX, "1e9", ".001e12"},
    {1, -3, DEX, "1e-3", "0.001e0"},
    {1, -9, DEX, "1e-9", "1000e-12"},
    {80, -3, DEX, "80e-3", ""},
    {300, 6, DEX, "300e6", ""},
    {1, 12, DEX, "1e12", ""},
    {1, 3, DEX, "1e3", ""},
    {3, 3, DEX, "3e3", ""},
    {3, 3, DSI, "3k", ""},
    {0, 0, DEX, "0", "00"},
    {1, -9, DSI, "1n", ""},
    {80, -9, DSI, "80n", ""},
    {1080, -9, DSI, "1080n", ""},
    {108, -8, DSI, "1080n", ""},
    {10800, -10, DSI, "1080n", ""},
    {1, -6, DSI, "1u", ""},
    {80, -6, DSI, "80u", ""},
    {1080, -6, DSI, "1080u", ""},
};

START_TEST(string_table_upstream)
{
    for (size_t i = 0; i < sizeof string_table / sizeof *string_table; i++) {
        const string_case_t *c = &string_table[i];
        kube_quantity_t q = Q(c->value, c->scale, c->format), r;
        char want[64];
        ck_assert_msg(strcmp(S(&q), c->expect) == 0, "%zu: %s, want %s", i, S(&q), c->expect);
        r = P(c->expect);
        ck_assert_str_eq(S(&r), c->expect);
        if (*c->alternate) {
            r = P(c->alternate);
            ck_assert_msg(strcmp(S(&r), c->expect) == 0, "alternate %s: %s", c->alternate, S(&r));
        }
        if (c->value) {
            q.value = -q.value;
            snprintf(want, sizeof want, "-%s", c->expect);
            ck_assert_str_eq(S(&q), want);
        }
    }
    /* Below nano (only reachable from init), and BinarySI zero exponent. */
    {
        kube_quantity_t a = Q(1, -12, DSI), b = Q(1, -10, DSI), c = Q(2000, 0, BSI), d = Q(-2000, 0, BSI);
        ck_assert_str_eq(S(&a), "1e-12");
        ck_assert_str_eq(S(&b), "100e-12");
        ck_assert_str_eq(S(&c), "2000");
        ck_assert_str_eq(S(&d), "-2000");
    }
}
END_TEST

START_TEST(parse_emit)
{
    static const char *table[][2] = {
        {"1Ki", "1Ki"},       {"1Mi", "1Mi"},         {"1Gi", "1Gi"},           {"1024Mi", "1Gi"},
        {"1000M", "1G"},      {".001Ki", "1024m"},    {".000001Ki", "1024u"},   {".000000001Ki", "1024n"},
        {".000000000001Ki", "2n"},
        /* the brief's examples */
        {"100m", "100m"},     {"1.5Gi", "1536Mi"},    {"2e3", "2e3"},           {"1E", "1E"},
        {"+1", "1"},          {"0.1", "100m"},        {"-5Ki", "-5Ki"},         {"1000m", "1"},
        {"0.5", "500m"},      {"1024Ki", "1Mi"},      {"1.5", "1500m"},         {"01", "1"},
        {"8Ei", "9223372036854775807"},               {"1e100", "10e99"},       {"2000", "2k"},
        {"1.5Ki", "1536"},    {"62.5Ki", "64000"},    {"64000", "64k"},    {"1.1Ki", "1126400m"},  {"1023Ki", "1023Ki"},     {"0.5Ki", "512"},
    };
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        kube_quantity_t q = P(table[i][0]);
        char neg[64];
        ck_assert_msg(strcmp(S(&q), table[i][1]) == 0, "%s: %s, want %s", table[i][0], S(&q), table[i][1]);
        if (table[i][0][0] == '-')
            continue;
        snprintf(neg, sizeof neg, "-%s", table[i][0][0] == '+' ? table[i][0] + 1 : table[i][0]);
        q = P(neg);
        snprintf(neg, sizeof neg, "-%s", table[i][1]);
        ck_assert_str_eq(S(&q), neg);
        kube_buf_clear(&b);
        ck_assert_int_eq(kube_quantity_canonicalize(&b, table[i][0], strlen(table[i][0])), KUBE_OK);
        ck_assert_str_eq(b.ptr, table[i][1]);
    }
    ck_assert_int_eq(kube_quantity_canonicalize(&b, "x", 1), KUBE_EINVAL);
    kube_buf_dispose(&b);
}
END_TEST

START_TEST(values_round_away_from_zero)
{
    static const struct {
        const char *in;
        int64_t value, milli;
    } t[] = {
        {"-.484785E-7466", -1, -1},
        {".484785E-7466", 1, 1},
        {"-.484785E-1", -1, -49},
        {".484785E-1", 1, 49},
        {"-0.0005", -1, -1},
        {"0.0005", 1, 1},
        {"-1500m", -2, -1500},
        {"1500m", 2, 1500},
        {"-1", -1, -1000},
        {"1", 1, 1000},
        {"0", 0, 0},
        {"100m", 1, 100},
        {"1Gi", 1073741824LL, 1073741824000LL},
    };
    /* apimachinery keeps 10200547328.1073741824 (9.5000000001Gi) exactly in inf.Dec;
     * rounded to 1n it needs 20 significant digits, beyond libkube's int64 mantissa. */
    {
        kube_quantity_t q;
        int64_t v;
        ck_assert_int_eq(kube_quantity_parse(&q, "9.5000000001Gi", 14), KUBE_ERANGE);
        ck_assert_int_eq(kube_quantity_parse(&q, "9.500000001Gi", 13), KUBE_ERANGE);
        ck_assert_int_eq(kube_quantity_parse(&q, "0.3Gi", 5), KUBE_OK); /* 322122547.2 */
        ck_assert_str_eq(S(&q), "322122547200m");
        ck_assert_int_eq(kube_quantity_parse(&q, "-1.0000000001Gi", 15), KUBE_OK); /* -1073741824.1073741824 */
        ck_assert_str_eq(S(&q), "-1073741824107374183n"); /* rounded away from zero to 1n */
        ck_assert_int_eq(kube_quantity_value(&q, &v), KUBE_OK);
        ck_assert_int_eq(v, -1073741825LL);
        ck_assert_int_eq(kube_quantity_milli_value(&q, &v), KUBE_OK);
        ck_assert_int_eq(v, -1073741824108LL);
    }
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        kube_quantity_t q = P(t[i].in);
        int64_t v = 0, m = 0;
        ck_assert_int_eq(kube_quantity_value(&q, &v), KUBE_OK);
        ck_assert_int_eq(kube_quantity_milli_value(&q, &m), KUBE_OK);
        ck_assert_msg(v == t[i].value, "%s: value %lld", t[i].in, (long long)v);
        ck_assert_msg(m == t[i].milli, "%s: milli %lld", t[i].in, (long long)m);
    }
}
END_TEST

START_TEST(scaled_values_and_overflow)
{
    static const struct {
        int32_t from, to;
        int64_t expect;
    } t[] = {{-9, -9, 1}, {-9, -6, 1}, {-9, -3, 1}, {-9, 0, 1}, {-6, -9, 1000}, {-6, -6, 1}, {-6, -3, 1},
             {-6, 0, 1},  {-3, -9, 1000000}, {-3, -6, 1000}, {-3, -3, 1}, {-3, 0, 1}, {0, -9, 1000000000},
             {0, -6, 1000000}, {0, -3, 1000}, {0, 0, 1}, {2, -2, 10000}};
    int64_t v = 42;
    kube_quantity_t q;
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        q = Q(1, t[i].from, DSI);
        ck_assert_int_eq(kube_quantity_scaled_value(&q, t[i].to, &v), KUBE_OK);
        ck_assert_int_eq(v, t[i].expect);
    }
    /* Overflow is an error, not a wrapped value. */
    q = P("9223372036854775807");
    ck_assert_int_eq(kube_quantity_value(&q, &v), KUBE_OK);
    ck_assert_int_eq(v, INT64_MAX);
    v = 42;
    ck_assert_int_eq(kube_quantity_milli_value(&q, &v), KUBE_ERANGE);
    ck_assert_int_eq(v, 42);
    q = P("1e19");
    ck_assert_int_eq(kube_quantity_value(&q, &v), KUBE_ERANGE);
    q = P("1e100");
    ck_assert_int_eq(kube_quantity_value(&q, &v), KUBE_ERANGE);
    q = P("10E");
    ck_assert_int_eq(kube_quantity_milli_value(&q, &v), KUBE_ERANGE);
    ck_assert_int_eq(kube_quantity_value(&q, &v), KUBE_ERANGE);
    q = P("9E");
    ck_assert_int_eq(kube_quantity_value(&q, &v), KUBE_OK);
    ck_assert_int_eq(v, 9000000000000000000LL);
    q = Q(INT64_MIN, 0, DSI);
    ck_assert_int_eq(kube_quantity_value(&q, &v), KUBE_OK);
    ck_assert_int_eq(v, INT64_MIN);
    ck_assert_int_eq(kube_quantity_milli_value(&q, &v), KUBE_ERANGE);
    q = Q(5, -30, DSI);
    ck_assert_int_eq(kube_quantity_value(&q, &v), KUBE_OK);
    ck_assert_int_eq(v, 1);
    ck_assert_int_eq(kube_quantity_value(NULL, &v), KUBE_EINVAL);
    /* NewSet / NewMilliSet tables */
    q = Q(1000, 0, DSI);
    ck_assert_str_eq(S(&q), "1k");
    q = Q(1234000, 0, DSI);
    ck_assert_str_eq(S(&q), "1234k");
    q = Q(1024, 0, BSI);
    ck_assert_str_eq(S(&q), "1Ki");
    q = Q(1024 * 1024, 0, BSI);
    ck_assert_str_eq(S(&q), "1Mi");
    q = Q(1, -3, DSI);
    ck_assert_str_eq(S(&q), "1m");
    q = Q(1000, -3, DSI);
    ck_assert_str_eq(S(&q), "1");
    q = Q(1234000, -3, DSI);
    ck_assert_str_eq(S(&q), "1234");
    q = Q(1024, -3, BSI);
    ck_assert_str_eq(S(&q), "1024m");
    q = Q(1024 * 1024, -3, BSI);
    ck_assert_str_eq(S(&q), "1048576m");
    q = Q(1000000, -3, DEX);
    ck_assert_str_eq(S(&q), "1e3");
    q = Q(1000000, 0, DEX);
    ck_assert_str_eq(S(&q), "1e6");
    ck_assert_int_eq(kube_quantity_init(&q, 1, 0, (kube_quantity_format_t)9), KUBE_EINVAL);
    {
        kube_buf_t b;
        kube_buf_init(&b, NULL);
        q.format = (kube_quantity_format_t)9;
        ck_assert_int_eq(kube_quantity_format(&b, &q), KUBE_EINVAL);
        kube_buf_dispose(&b);
    }
}
END_TEST

START_TEST(compare)
{
    static const struct {
        const char *x, *y;
        int expect;
    } t[] = {{"0", "0", 0},          {"100m", "50m", 1},    {"50m", "100m", -1},   {"10000T", "100Gi", 1},
             {"1Ki", "1024", 0},     {"1k", "1000", 0},     {"1.5", "1500m", 0},   {"-1", "1", -1},
             {"-2", "-1", -1},       {"0", "-1n", 1},       {"1e100", "1E", 1},    {"1e-3", "1m", 0},
             {"999m", "1", -1},      {"1001m", "1", 1},     {"1Ei", "1E", 1},      {"12E", "1e19", 1}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        kube_quantity_t a = P(t[i].x), b = P(t[i].y);
        ck_assert_msg(kube_quantity_cmp(&a, &b) == t[i].expect, "%s vs %s", t[i].x, t[i].y);
        ck_assert_int_eq(kube_quantity_cmp(&b, &a), -t[i].expect);
    }
    /* TestQuantityCmpInt64AndDec */
    {
        static const struct {
            int64_t av;
            int32_t as;
            int64_t bv;
            int32_t bs;
            int cmp;
        } c[] = {{901, -2, 901, -2, 0},
                 {90, -1, 901, -2, -1},
                 {901, -2, 900, -2, 1},
                 {0, 1, 0, -1, 0},
                 {800, -3, 1, 0, -1},
                 {800, -3, 79, -2, 1},
                 {INT64_MAX, 0, 1, -1, 1},
                 {INT64_MAX, 1, 1, 0, 1},
                 {INT64_MAX, 1, 1, 1, 1},
                 {INT64_MAX, -16, 1, 3, -1},
                 {INT64_MIN, 0, 0, 0, -1},
                 {INT64_MIN, -18, -1, 0, -1},
                 {INT64_MIN, -19, -1, 0, 1},
                 {1000000000000000000LL, -17, 1, 1, 0},
                 {1000000000000000000LL, -17, -10, 0, 1},
                 {-1000000000000000000LL, -17, -10, 0, 0},
                 {1000000000000000000LL, -17, 1, 0, 1},
                 {1000000000000000001LL, -17, 1, 1, 1},
                 {999999999999999999LL, -17, 1, 1, -1}};
        for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
            kube_quantity_t a = Q(c[i].av, c[i].as, DSI), b = Q(c[i].bv, c[i].bs, DSI);
            ck_assert_msg(kube_quantity_cmp(&a, &b) == c[i].cmp, "row %zu", i);
            ck_assert_int_eq(kube_quantity_cmp(&b, &a), -c[i].cmp);
        }
    }
    ck_assert_int_eq(kube_quantity_cmp(NULL, NULL), 0);
    ck_assert_int_eq(kube_quantity_sign(NULL), 0);
}
END_TEST

Suite *kube_test_quantity_suite(void)
{
    Suite *s = suite_create("quantity");
    TCase *tc = tcase_create("quantity");
    tcase_add_test(tc, parse_table_upstream);
    tcase_add_test(tc, parse_invalid);
    tcase_add_test(tc, string_table_upstream);
    tcase_add_test(tc, parse_emit);
    tcase_add_test(tc, values_round_away_from_zero);
    tcase_add_test(tc, scaled_values_and_overflow);
    tcase_add_test(tc, compare);
    suite_add_tcase(s, tc);
    return s;
}
