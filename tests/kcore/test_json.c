#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kube/json.h>
#include <kube/error.h>
#include "failmalloc.h"

static kube_json_doc_t *parse_ok(const char *s)
{
    kube_json_doc_t *doc = NULL;
    kube_error_t rc = kube_json_parse(&doc, s, strlen(s), NULL);
    ck_assert_msg(rc == KUBE_OK, "parse of '%s' failed: %s", s, kube_error_last()->message);
    return doc;
}

static void parse_fails(const char *s, size_t len)
{
    kube_json_doc_t *doc = NULL;
    kube_error_t rc = kube_json_parse(&doc, s, len, NULL);
    ck_assert_msg(rc == KUBE_EINVAL, "parse of '%.*s' gave %d, want EINVAL", (int)len, s, rc);
    ck_assert_ptr_null(doc);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "offset"));
}

/* Parse @in, write it compactly, compare with @want. */
static void roundtrip(const char *in, const char *want, unsigned flags)
{
    kube_json_doc_t *doc = parse_ok(in);
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_json_write(&b, kube_json_doc_root(doc), flags), KUBE_OK);
    ck_assert_msg(strcmp(b.ptr, want) == 0, "'%s' wrote '%s', want '%s'", in, b.ptr, want);
    kube_buf_dispose(&b);
    kube_json_doc_free(doc);
}

START_TEST(every_value_kind)
{
    kube_json_doc_t *doc = parse_ok(" {\"n\":null,\"t\":true,\"f\":false,\"i\":-42,\"u\":18446744073709551615,"
                                    "\"r\":1.5,\"s\":\"h\\u00e9\",\"a\":[1,[2,{}],[]],\"o\":{\"k\":\"v\"}} ");
    const kube_json_t *r = kube_json_doc_root(doc);
    int64_t i;
    uint64_t u;
    double d;
    ck_assert_int_eq(kube_json_type(r), KUBE_JSON_OBJECT);
    ck_assert_uint_eq(kube_json_size(r), 9);
    ck_assert_int_eq(kube_json_type(kube_json_get(r, "n")), KUBE_JSON_NULL);
    ck_assert_int_eq(kube_json_is_true(kube_json_get(r, "t")), 1);
    ck_assert_int_eq(kube_json_type(kube_json_get(r, "f")), KUBE_JSON_BOOL);
    ck_assert_int_eq(kube_json_is_true(kube_json_get(r, "f")), 0);
    ck_assert_int_eq(kube_json_int64(kube_json_get(r, "i"), &i), KUBE_OK);
    ck_assert_int_eq(i, -42);
    ck_assert_int_eq(kube_json_type(kube_json_get(r, "u")), KUBE_JSON_UINT);
    ck_assert_int_eq(kube_json_uint64(kube_json_get(r, "u"), &u), KUBE_OK);
    ck_assert(u == UINT64_MAX);
    ck_assert_int_eq(kube_json_int64(kube_json_get(r, "u"), &i), KUBE_ERANGE);
    ck_assert_int_eq(kube_json_double(kube_json_get(r, "r"), &d), KUBE_OK);
    ck_assert(d == 1.5);
    ck_assert_int_eq(kube_json_int64(kube_json_get(r, "r"), &i), KUBE_EINVAL);
    ck_assert_str_eq(kube_json_string(kube_json_get(r, "s")), "h\xc3\xa9");
    ck_assert_uint_eq(kube_json_string_len(kube_json_get(r, "s")), 3);
    ck_assert(kube_json_string_eq(kube_json_get(r, "s"), "h\xc3\xa9"));
    ck_assert(!kube_json_string_eq(kube_json_get(r, "s"), "h"));
    ck_assert_uint_eq(kube_json_size(kube_json_get(r, "a")), 3);
    ck_assert_int_eq(kube_json_int64(kube_json_at(kube_json_at(kube_json_get(r, "a"), 1), 0), &i), KUBE_OK);
    ck_assert_int_eq(i, 2);
    ck_assert_int_eq(kube_json_type(kube_json_at(kube_json_at(kube_json_get(r, "a"), 1), 1)), KUBE_JSON_OBJECT);
    ck_assert_ptr_null(kube_json_at(kube_json_get(r, "a"), 3));
    ck_assert_str_eq(kube_json_string(kube_json_get(kube_json_get(r, "o"), "k")), "v");
    /* absent values chain */
    ck_assert_ptr_null(kube_json_get(kube_json_get(r, "missing"), "x"));
    ck_assert_ptr_null(kube_json_string(kube_json_get(r, "i")));
    ck_assert_int_eq(kube_json_type(NULL), KUBE_JSON_NONE);
    ck_assert_uint_eq(kube_json_size(NULL), 0);
    ck_assert_int_eq(kube_json_int64(NULL, &i), KUBE_EINVAL);
    ck_assert_int_eq(kube_json_double(kube_json_get(r, "s"), &d), KUBE_EINVAL);
    ck_assert_uint_gt(kube_json_doc_heap_size(doc), 0);
    kube_json_doc_free(doc);
    kube_json_doc_free(NULL);
    ck_assert_ptr_null(kube_json_doc_root(NULL));
}
END_TEST

START_TEST(scalar_roots_and_whitespace)
{
    roundtrip("  7 ", "7", 0);
    roundtrip("\"x\"", "\"x\"", 0);
    roundtrip("\t\r\ntrue\n", "true", 0);
    roundtrip("null", "null", 0);
    roundtrip("[ ]", "[]", 0);
    roundtrip("{ }", "{}", 0);
    roundtrip("[1 , 2 ,\n3]", "[1,2,3]", 0);
}
END_TEST

START_TEST(integers_at_the_edges)
{
    struct { const char *in; kube_json_type_t t; const char *out; } cases[] = {
        {"9223372036854775807", KUBE_JSON_INT, "9223372036854775807"},
        {"-9223372036854775808", KUBE_JSON_INT, "-9223372036854775808"},
        {"9223372036854775808", KUBE_JSON_UINT, "9223372036854775808"},
        {"18446744073709551615", KUBE_JSON_UINT, "18446744073709551615"},
        {"18446744073709551616", KUBE_JSON_REAL, "1.8446744073709552e+19"},
        {"-9223372036854775809", KUBE_JSON_REAL, "-9.223372036854776e+18"},
        {"0", KUBE_JSON_INT, "0"},
        {"-0", KUBE_JSON_INT, "0"},
        {"123456789012345678901234567890", KUBE_JSON_REAL, "1.2345678901234568e+29"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        kube_json_doc_t *doc = parse_ok(cases[k].in);
        ck_assert_int_eq(kube_json_type(kube_json_doc_root(doc)), cases[k].t);
        kube_json_doc_free(doc);
        roundtrip(cases[k].in, cases[k].out, 0);
    }
    {
        int64_t i;
        uint64_t u;
        kube_json_doc_t *doc = parse_ok("[-9223372036854775808, 9223372036854775807, -1, 2.0, 1e19, 1e30, 2.5]");
        const kube_json_t *a = kube_json_doc_root(doc);
        ck_assert_int_eq(kube_json_int64(kube_json_at(a, 0), &i), KUBE_OK);
        ck_assert(i == INT64_MIN);
        ck_assert_int_eq(kube_json_int64(kube_json_at(a, 1), &i), KUBE_OK);
        ck_assert(i == INT64_MAX);
        ck_assert_int_eq(kube_json_uint64(kube_json_at(a, 2), &u), KUBE_ERANGE);
        ck_assert_int_eq(kube_json_int64(kube_json_at(a, 3), &i), KUBE_OK);
        ck_assert_int_eq(i, 2);
        ck_assert_int_eq(kube_json_int64(kube_json_at(a, 4), &i), KUBE_ERANGE);
        ck_assert_int_eq(kube_json_uint64(kube_json_at(a, 4), &u), KUBE_OK);
        ck_assert(u == 10000000000000000000ull);
        ck_assert_int_eq(kube_json_uint64(kube_json_at(a, 5), &u), KUBE_ERANGE);
        ck_assert_int_eq(kube_json_uint64(kube_json_at(a, 6), &u), KUBE_EINVAL);
        kube_json_doc_free(doc);
    }
}
END_TEST

START_TEST(doubles_parse_exactly_and_write_shortest)
{
    struct { const char *in; double want; const char *out; } cases[] = {
        {"0.1", 0.1, "0.1"},
        {"-0.0", -0.0, "-0"},
        {"1.5e3", 1500.0, "1500"},
        {"5e-324", 4.9406564584124654e-324, "5e-324"},
        {"2.2250738585072014e-308", 2.2250738585072014e-308, "2.2250738585072014e-308"},
        {"1.7976931348623157e308", 1.7976931348623157e308, "1.7976931348623157e+308"},
        {"0.30000000000000004", 0.30000000000000004, "0.30000000000000004"},
        {"1e21", 1e21, "1e+21"},
        {"1e20", 1e20, "1e+20"},
        {"9007199254740992.0", 9007199254740992.0, "9007199254740992"},
        {"1889148814741910320.1", 1889148814741910272.0, "1.8891488147419103e+18"},
        {"0.000001", 0.000001, "0.000001"},
        {"0.0000001", 1e-7, "1e-7"},
        {"123.456", 123.456, "123.456"},
        {"1E2", 100.0, "100"},
        {"1e-400", 0.0, "0"},
        {"3.141592653589793238462643383279", 3.141592653589793, "3.141592653589793"},
        {"9007199254740993.0", 9007199254740992.0, "9007199254740992"},
        {"123456789.125", 123456789.125, "123456789.125"},
        {"0.1000000000000000055511151231257827021181583404541015625", 0.1, "0.1"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        kube_json_doc_t *doc = parse_ok(cases[k].in);
        double d = -1;
        ck_assert_int_eq(kube_json_type(kube_json_doc_root(doc)), KUBE_JSON_REAL);
        ck_assert_int_eq(kube_json_double(kube_json_doc_root(doc), &d), KUBE_OK);
        ck_assert_msg(memcmp(&d, &cases[k].want, sizeof d) == 0, "%s parsed as %.17g", cases[k].in, d);
        kube_json_doc_free(doc);
        roundtrip(cases[k].in, cases[k].out, 0);
    }
    /* out of range: JSON has no infinity (as Go's encoding/json) */
    parse_fails("1e400", 5);
    parse_fails("-1e400", 6);
    parse_fails("[1.8e308]", 9);
}
END_TEST

START_TEST(malformed_numbers_fail)
{
    const char *bad[] = {"01", "-", "-a", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.e5", "--1", "NaN",
                         "Infinity", "-Infinity", "[01]", "[1.]"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        parse_fails(bad[k], strlen(bad[k]));
}
END_TEST

START_TEST(string_escapes)
{
    roundtrip("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\"", 0);
    roundtrip("\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\"", "\"A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", 0);
    /* lone surrogates become U+FFFD, as Go does */
    roundtrip("\"\\ud800x\"", "\"\xef\xbf\xbdx\"", 0);
    roundtrip("\"\\udc00\"", "\"\xef\xbf\xbd\"", 0);
    roundtrip("\"\\ud800\\u0041\"", "\"\xef\xbf\xbd" "A\"", 0);
    roundtrip("\"\\ud800\\ud800\\udc00\"", "\"\xef\xbf\xbd\xf0\x90\x80\x80\"", 0);
    /* control characters, U+2028/2029 and (optionally) HTML characters are escaped */
    roundtrip("\"\\u0001\\u001f\\u007f\"", "\"\\u0001\\u001f\x7f\"", 0);
    roundtrip("\"\xe2\x80\xa8\xe2\x80\xa9\xe2\x82\xac\"", "\"\\u2028\\u2029\xe2\x82\xac\"", 0);
    roundtrip("\"<a&b>\"", "\"<a&b>\"", 0);
    roundtrip("\"<a&b>\"", "\"\\u003ca\\u0026b\\u003e\"", KUBE_JSON_WRITE_ESCAPE_HTML);
    /* an embedded NUL */
    {
        kube_json_doc_t *doc = parse_ok("[\"a\\u0000b\"]");
        const kube_json_t *s = kube_json_at(kube_json_doc_root(doc), 0);
        ck_assert_uint_eq(kube_json_string_len(s), 3);
        ck_assert_int_eq(memcmp(kube_json_string(s), "a\0b", 4), 0);
        kube_json_doc_free(doc);
        roundtrip("[\"a\\u0000b\"]", "[\"a\\u0000b\"]", 0);
    }
    /* long strings cross the 8-byte fast path */
    roundtrip("\"0123456789abcdef0123456789\\nabcdef0123456789abcdef\"",
              "\"0123456789abcdef0123456789\\nabcdef0123456789abcdef\"", 0);
}
END_TEST

START_TEST(invalid_strings_and_utf8_fail)
{
    const char *bad[] = {
        "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"a\nb\"", "\"\t\"", "\"\\",
        "\"\x80\"", "\"\xc0\xaf\"", "\"\xc1\xbf\"", "\"\xe0\x80\xaf\"", "\"\xed\xa0\x80\"",
        "\"\xf0\x80\x80\xaf\"", "\"\xf4\x90\x80\x80\"", "\"\xf5\x80\x80\x80\"", "\"\xff\"",
        "\"\xc3\"", "\"\xe2\x82\"", "\"\xf0\x9f\x98\"", "\"\xc3(\"", "{\"\xc3\":1}",
        "\"abc\\u00e9\xc3\"",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        parse_fails(bad[k], strlen(bad[k]));
    parse_fails("\"a\0b\"", 5);
}
END_TEST

START_TEST(structure_errors_and_trailing_bytes)
{
    const char *bad[] = {"", " ", "[", "]", "{", "}", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
                         "{a:1}", "{1:2}", "[1]]", "[1] x", "tru", "nul", "falsey", "[true false]",
                         "{\"a\":1 \"b\":2}", "\"a\" \"b\"", "[\"a\":1]", "{\"a\",1}"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        parse_fails(bad[k], strlen(bad[k]));
    {
        kube_json_doc_t *doc = NULL;
        kube_json_parse_opts_t o = KUBE_JSON_PARSE_OPTS_INIT;
        size_t used = 0;
        o.flags = KUBE_JSON_PARSE_ALLOW_TRAILING;
        ck_assert_int_eq(kube_json_parse(&doc, "[1] x", 5, &o), KUBE_OK);
        kube_json_doc_free(doc);
        ck_assert_int_eq(kube_json_parse_prefix(&doc, &used, "{\"a\":1}\n{\"b\":2}", 15, NULL), KUBE_OK);
        ck_assert_uint_eq(used, 7);
        ck_assert_ptr_nonnull(kube_json_get(kube_json_doc_root(doc), "a"));
        kube_json_doc_free(doc);
        doc = NULL;
        ck_assert_int_eq(kube_json_parse_prefix(&doc, &used, "{\"a\":", 5, NULL), KUBE_EINVAL);
        ck_assert_ptr_null(doc);
    }
    {
        /* the error names the offset */
        kube_json_doc_t *doc = NULL;
        ck_assert_int_eq(kube_json_parse(&doc, "[1,2,x]", 7, NULL), KUBE_EINVAL);
        ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "offset 5"));
    }
}
END_TEST

START_TEST(depth_limit)
{
    char buf[2100];
    kube_json_doc_t *doc = NULL;
    kube_json_parse_opts_t o = KUBE_JSON_PARSE_OPTS_INIT;
    size_t n = 1000;
    memset(buf, '[', n);
    memset(buf + n, ']', n);
    ck_assert_int_eq(kube_json_parse(&doc, buf, 2 * n, NULL), KUBE_OK);
    {
        kube_buf_t b;
        kube_buf_init(&b, NULL);
        ck_assert_int_eq(kube_json_write(&b, kube_json_doc_root(doc), 0), KUBE_OK);
        ck_assert_uint_eq(b.size, 2 * n);
        kube_buf_dispose(&b);
    }
    kube_json_doc_free(doc);
    doc = NULL;
    memset(buf, '[', n + 1);
    memset(buf + n + 1, ']', n + 1);
    ck_assert_int_eq(kube_json_parse(&doc, buf, 2 * n + 2, NULL), KUBE_EINVAL);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "deep"));
    o.max_depth = 2;
    ck_assert_int_eq(kube_json_parse(&doc, "[{\"a\":1}]", 9, &o), KUBE_OK);
    kube_json_doc_free(doc);
    doc = NULL;
    ck_assert_int_eq(kube_json_parse(&doc, "[{\"a\":[]}]", 10, &o), KUBE_EINVAL);
    ck_assert_ptr_null(doc);
}
END_TEST

static const char *sample =
    "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web-0\",\"namespace\":\"default\","
    "\"labels\":{\"app\":\"web\",\"app.kubernetes.io/name\":\"web\"},\"annotations\":{\"a/b\":\"x\",\"m~n\":\"y\"},"
    "\"resourceVersion\":\"42\",\"generation\":3},\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\","
    "\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}],\"env\":[{\"name\":\"X\",\"value\":\"1\\n2\"}]}],"
    "\"terminationGracePeriodSeconds\":30,\"ratio\":0.25,\"enabled\":true,\"nothing\":null}}";

START_TEST(every_truncation_fails_cleanly)
{
    size_t len = strlen(sample);
    for (size_t k = 0; k < len; k++) {
        kube_json_doc_t *doc = NULL;
        kube_error_t rc = kube_json_parse(&doc, sample, k, NULL);
        ck_assert_msg(rc == KUBE_EINVAL, "prefix of %zu bytes gave %d", k, rc);
        ck_assert_ptr_null(doc);
    }
}
END_TEST

START_TEST(failmalloc_parse_write_and_builder)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    size_t len = strlen(sample);
    long n;
    for (n = 0;; n++) {
        kube_json_doc_t *doc = NULL;
        kube_json_parse_opts_t o = KUBE_JSON_PARSE_OPTS_INIT;
        kube_error_t rc;
        o.mem = &mem;
        failmalloc_reset(&fm, n);
        rc = kube_json_parse(&doc, sample, len, &o);
        if (rc == KUBE_OK) {
            ck_assert_int_eq(fm.failed, 0);
            kube_json_doc_free(doc);
            ck_assert_int_eq(fm.live, 0);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_ptr_null(doc);
        ck_assert_int_eq(fm.live, 0);
    }
    ck_assert_int_ge(n, 2);
    /* writer: the buffer keeps its old content on failure */
    {
        kube_json_doc_t *doc = parse_ok(sample);
        for (n = 0;; n++) {
            kube_buf_t b;
            kube_error_t rc;
            failmalloc_reset(&fm, n);
            kube_buf_init(&b, &mem);
            ck_assert_int_eq(kube_buf_puts(&b, "prefix:"), n == 0 ? KUBE_ENOMEM : KUBE_OK);
            if (n == 0) {
                kube_buf_dispose(&b);
                continue;
            }
            rc = kube_json_write(&b, kube_json_doc_root(doc), KUBE_JSON_WRITE_PRETTY);
            if (rc == KUBE_OK) {
                ck_assert_uint_gt(b.size, len);
                kube_buf_dispose(&b);
                ck_assert_int_eq(fm.live, 0);
                break;
            }
            ck_assert_int_eq(rc, KUBE_ENOMEM);
            ck_assert_str_eq(b.ptr, "prefix:");
            kube_buf_dispose(&b);
            ck_assert_int_eq(fm.live, 0);
        }
        /* builder: copy, edit, freeze under every failure */
        for (n = 0;; n++) {
            kube_json_mut_doc_t *md = NULL;
            kube_json_mut_t *m;
            kube_json_doc_t *frozen = NULL;
            int ok = 0;
            failmalloc_reset(&fm, n);
            if (kube_json_mut_doc_new(&md, &mem) == KUBE_OK) {
                m = kube_json_mut_copy(md, kube_json_doc_root(doc));
                if (m && kube_json_mut_obj_set_str(m, "kind", "Service") == KUBE_OK &&
                    kube_json_mut_freeze(&frozen, m, &mem) == KUBE_OK) {
                    ok = 1;
                    ck_assert_str_eq(kube_json_string(kube_json_get(kube_json_doc_root(frozen), "kind")), "Service");
                    kube_json_doc_free(frozen);
                } else {
                    ck_assert_int_eq(kube_error_last()->code, KUBE_ENOMEM);
                }
                kube_json_mut_doc_free(md);
            }
            ck_assert_int_eq(fm.live, 0);
            if (ok)
                break;
        }
        kube_json_doc_free(doc);
    }
}
END_TEST

START_TEST(pretty_writer_matches_go)
{
    roundtrip("{\"a\":[1,{\"b\":null},[]],\"c\":{},\"d\":\"x\"}",
              "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    },\n    []\n  ],\n  \"c\": {},\n  \"d\": \"x\"\n}",
              KUBE_JSON_WRITE_PRETTY);
    roundtrip("[]", "[]", KUBE_JSON_WRITE_PRETTY);
    roundtrip("3", "3", KUBE_JSON_WRITE_PRETTY);
}
END_TEST

START_TEST(iterator_pointer_and_duplicates)
{
    kube_json_doc_t *doc = parse_ok(sample);
    const kube_json_t *r = kube_json_doc_root(doc), *v;
    kube_json_iter_t it;
    const char *key;
    size_t klen, n = 0;
    int64_t i;
    kube_json_iter_init(&it, kube_json_get(r, "metadata"));
    while ((v = kube_json_iter_next(&it, &key, &klen)) != NULL) {
        ck_assert_uint_eq(strlen(key), klen);
        n++;
    }
    ck_assert_uint_eq(n, 6);
    kube_json_iter_init(&it, kube_json_pointer(r, "/spec/containers"));
    ck_assert_ptr_nonnull(kube_json_iter_next(&it, NULL, NULL));
    ck_assert_ptr_null(kube_json_iter_next(&it, NULL, NULL));
    kube_json_iter_init(&it, kube_json_get(r, "kind"));
    ck_assert_ptr_null(kube_json_iter_next(&it, NULL, NULL));

    ck_assert_ptr_eq(kube_json_pointer(r, ""), r);
    ck_assert_str_eq(kube_json_string(kube_json_pointer(r, "/metadata/labels/app.kubernetes.io~1name")), "web");
    ck_assert_str_eq(kube_json_string(kube_json_pointer(r, "/metadata/annotations/a~1b")), "x");
    ck_assert_str_eq(kube_json_string(kube_json_pointer(r, "/metadata/annotations/m~0n")), "y");
    ck_assert_int_eq(kube_json_int64(kube_json_pointer(r, "/spec/containers/0/ports/0/containerPort"), &i), KUBE_OK);
    ck_assert_int_eq(i, 80);
    ck_assert_ptr_null(kube_json_pointer(r, "/spec/containers/1"));
    ck_assert_ptr_null(kube_json_pointer(r, "/spec/containers/01"));
    ck_assert_ptr_null(kube_json_pointer(r, "/spec/containers/-"));
    ck_assert_ptr_null(kube_json_pointer(r, "/metadata/annotations/m~2n"));
    ck_assert_ptr_null(kube_json_pointer(r, "metadata"));
    ck_assert_ptr_null(kube_json_pointer(r, "/kind/x"));
    kube_json_doc_free(doc);

    doc = parse_ok("{\"a\":1,\"a\":2,\"\":3}");
    ck_assert_int_eq(kube_json_int64(kube_json_get(kube_json_doc_root(doc), "a"), &i), KUBE_OK);
    ck_assert_int_eq(i, 2);
    ck_assert_int_eq(kube_json_int64(kube_json_pointer(kube_json_doc_root(doc), "/"), &i), KUBE_OK);
    ck_assert_int_eq(i, 3);
    ck_assert_ptr_nonnull(kube_json_getn(kube_json_doc_root(doc), "a\0", 1));
    kube_json_doc_free(doc);
}
END_TEST

START_TEST(equality)
{
    struct { const char *a, *b; int eq; } cases[] = {
        {"{\"a\":1,\"b\":[true,null]}", "{\"b\":[true,null],\"a\":1}", 1},
        {"{\"a\":1}", "{\"a\":1,\"b\":2}", 0},
        {"{\"a\":1,\"b\":2}", "{\"a\":1}", 0},
        {"[1,2]", "[2,1]", 0},
        {"1", "1.0", 1},
        {"1", "1.5", 0},
        {"18446744073709551615", "18446744073709551615", 1},
        {"18446744073709551615", "1.8446744073709552e19", 0},
        {"9223372036854775807", "9.223372036854775807e18", 0},
        {"0", "-0.0", 1},
        {"\"a\"", "\"a\"", 1},
        {"\"a\"", "\"b\"", 0},
        {"true", "false", 0},
        {"null", "false", 0},
        {"{\"a\":1,\"a\":2}", "{\"a\":2}", 1},
        {"[]", "{}", 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        kube_json_doc_t *a = parse_ok(cases[k].a), *b = parse_ok(cases[k].b);
        ck_assert_msg(kube_json_equal(kube_json_doc_root(a), kube_json_doc_root(b)) == cases[k].eq,
                      "%s vs %s", cases[k].a, cases[k].b);
        ck_assert_msg(kube_json_equal(kube_json_doc_root(b), kube_json_doc_root(a)) == cases[k].eq,
                      "%s vs %s", cases[k].b, cases[k].a);
        kube_json_doc_free(a);
        kube_json_doc_free(b);
    }
    ck_assert(kube_json_equal(NULL, NULL));
}
END_TEST

START_TEST(refcount)
{
    kube_json_doc_t *doc = parse_ok("{\"a\":\"b\"}");
    ck_assert_ptr_eq(kube_json_doc_ref(doc), doc);
    kube_json_doc_free(doc);
    /* still alive through the second reference */
    ck_assert_str_eq(kube_json_string(kube_json_get(kube_json_doc_root(doc), "a")), "b");
    kube_json_doc_free(doc);
    ck_assert_ptr_null(kube_json_doc_ref(NULL));
}
END_TEST

static void mut_written(const kube_json_mut_t *v, unsigned flags, const char *want)
{
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_json_mut_write(&b, v, flags), KUBE_OK);
    ck_assert_msg(strcmp(b.ptr, want) == 0, "wrote '%s', want '%s'", b.ptr, want);
    kube_buf_dispose(&b);
}

START_TEST(builder_operations)
{
    kube_json_mut_doc_t *md = NULL, *other = NULL;
    kube_json_mut_t *root, *arr, *x, *dup;
    kube_json_doc_t *frozen = NULL;
    kube_json_mut_iter_t it;
    const char *key;
    size_t klen;
    int64_t i;
    ck_assert_int_eq(kube_json_mut_doc_new(&md, NULL), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_doc_new(&other, NULL), KUBE_OK);
    root = kube_json_mut_obj(md);
    kube_json_mut_doc_set_root(md, root);
    ck_assert_ptr_eq(kube_json_mut_doc_root(md), root);
    ck_assert_int_eq(kube_json_mut_obj_set_str(root, "a", "x"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_int(root, "b", -7), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set_bool(root, "c", 1), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_obj_set(root, "d", kube_json_mut_null(md)), KUBE_OK);
    /* set replaces in place */
    ck_assert_int_eq(kube_json_mut_obj_set_str(root, "a", "y"), KUBE_OK);
    mut_written(root, 0, "{\"a\":\"y\",\"b\":-7,\"c\":true,\"d\":null}");
    ck_assert_uint_eq(kube_json_mut_size(root), 4);
    ck_assert(kube_json_mut_obj_remove(root, "b"));
    ck_assert(!kube_json_mut_obj_remove(root, "b"));
    ck_assert_ptr_null(kube_json_mut_obj_get(root, "b"));
    ck_assert(kube_json_mut_is_true(kube_json_mut_obj_get(root, "c")));
    ck_assert_str_eq(kube_json_mut_string(kube_json_mut_obj_get(root, "a")), "y");

    arr = kube_json_mut_arr(md);
    ck_assert_int_eq(kube_json_mut_arr_append(arr, kube_json_mut_int(md, 1)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(arr, kube_json_mut_int(md, 3)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_insert(arr, 1, kube_json_mut_int(md, 2)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_insert(arr, 0, kube_json_mut_real(md, 0.5)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_insert(arr, 4, kube_json_mut_uint(md, UINT64_MAX)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_insert(arr, 9, kube_json_mut_int(md, 9)), KUBE_EINVAL);
    mut_written(arr, 0, "[0.5,1,2,3,18446744073709551615]");
    x = kube_json_mut_arr_remove(arr, 0);
    ck_assert_int_eq(kube_json_mut_type(x), KUBE_JSON_REAL);
    ck_assert_ptr_null(kube_json_mut_arr_remove(arr, 4));
    ck_assert_int_eq(kube_json_mut_int64(kube_json_mut_at(arr, 2), &i), KUBE_OK);
    ck_assert_int_eq(i, 3);
    ck_assert_int_eq(kube_json_mut_obj_set(root, "arr", arr), KUBE_OK);
    /* an attached value, a foreign value and a cycle are refused */
    ck_assert_int_eq(kube_json_mut_obj_set(root, "again", arr), KUBE_EINVAL);
    ck_assert_int_eq(kube_json_mut_arr_append(arr, kube_json_mut_int(other, 1)), KUBE_EINVAL);
    {
        kube_json_mut_t *outer = kube_json_mut_arr(md), *inner = kube_json_mut_arr(md);
        ck_assert_int_eq(kube_json_mut_arr_append(outer, inner), KUBE_OK);
        ck_assert_int_eq(kube_json_mut_arr_append(inner, outer), KUBE_EINVAL);
        ck_assert_int_eq(kube_json_mut_arr_append(outer, outer), KUBE_EINVAL);
    }
    ck_assert_int_eq(kube_json_mut_arr_append(arr, x), KUBE_OK); /* removed values can be reused */
    /* invalid input */
    ck_assert_ptr_null(kube_json_mut_real(md, NAN));
    ck_assert_int_eq(kube_error_last()->code, KUBE_EINVAL);
    ck_assert_ptr_null(kube_json_mut_real(md, INFINITY));
    ck_assert_ptr_null(kube_json_mut_str(md, "\xc3"));
    ck_assert_int_eq(kube_json_mut_obj_set(root, "\xff", kube_json_mut_null(md)), KUBE_EINVAL);
    ck_assert_int_eq(kube_json_mut_obj_set(arr, "k", kube_json_mut_null(md)), KUBE_EINVAL);
    ck_assert_int_eq(kube_json_mut_arr_append(root, kube_json_mut_null(md)), KUBE_EINVAL);
    ck_assert_ptr_nonnull(kube_json_mut_strn(md, "a\0b", 3));

    mut_written(root, 0, "{\"a\":\"y\",\"c\":true,\"d\":null,\"arr\":[1,2,3,18446744073709551615,0.5]}");
    mut_written(root, KUBE_JSON_WRITE_PRETTY,
                "{\n  \"a\": \"y\",\n  \"c\": true,\n  \"d\": null,\n  \"arr\": [\n    1,\n    2,\n    3,\n"
                "    18446744073709551615,\n    0.5\n  ]\n}");
    /* iterator */
    kube_json_mut_iter_init(&it, root);
    ck_assert_ptr_eq(kube_json_mut_iter_next(&it, &key, &klen), kube_json_mut_obj_get(root, "a"));
    ck_assert_str_eq(key, "a");
    ck_assert_uint_eq(klen, 1);
    /* dup into another document, freeze, compare */
    dup = kube_json_mut_dup(other, root);
    ck_assert_ptr_nonnull(dup);
    ck_assert_int_eq(kube_json_mut_obj_set_str(root, "a", "changed"), KUBE_OK);
    mut_written(dup, 0, "{\"a\":\"y\",\"c\":true,\"d\":null,\"arr\":[1,2,3,18446744073709551615,0.5]}");
    ck_assert_int_eq(kube_json_mut_freeze(&frozen, dup, NULL), KUBE_OK);
    {
        kube_json_doc_t *want = parse_ok("{\"arr\":[1,2,3,18446744073709551615,0.5],\"d\":null,\"c\":true,\"a\":\"y\"}");
        ck_assert(kube_json_equal(kube_json_doc_root(frozen), kube_json_doc_root(want)));
        kube_json_doc_free(want);
    }
    /* copy an immutable value back in, edit it, write it */
    x = kube_json_mut_copy(md, kube_json_get(kube_json_doc_root(frozen), "arr"));
    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(kube_json_mut_arr_append(x, kube_json_mut_str(md, "end")), KUBE_OK);
    mut_written(x, 0, "[1,2,3,18446744073709551615,0.5,\"end\"]");
    kube_json_doc_free(frozen);
    ck_assert_ptr_null(kube_json_mut_copy(md, NULL));
    kube_json_mut_doc_free(md);
    kube_json_mut_doc_free(other);
    kube_json_mut_doc_free(NULL);
}
END_TEST

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = malloc((size_t)n + 1);
    if (fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

START_TEST(real_openapi_document_roundtrips)
{
    size_t len;
    char *text = read_file(KUBE_SHARED_DIR "/testdata/openapi/api__v1_openapi.json", &len);
    kube_json_doc_t *doc = NULL, *again = NULL;
    kube_json_mut_doc_t *md = NULL;
    kube_json_mut_t *m;
    kube_buf_t b, b2;
    if (!text) {
        fprintf(stderr, "skipping: %s absent\n", KUBE_SHARED_DIR);
        return;
    }
    ck_assert_int_eq(kube_json_parse(&doc, text, len, NULL), KUBE_OK);
    ck_assert_ptr_nonnull(kube_json_pointer(kube_json_doc_root(doc), "/components/schemas"));
    kube_buf_init(&b, NULL);
    kube_buf_init(&b2, NULL);
    ck_assert_int_eq(kube_json_write(&b, kube_json_doc_root(doc), KUBE_JSON_WRITE_PRETTY), KUBE_OK);
    ck_assert_int_eq(kube_json_parse(&again, b.ptr, b.size, NULL), KUBE_OK);
    ck_assert(kube_json_equal(kube_json_doc_root(doc), kube_json_doc_root(again)));
    /* builder path writes the same bytes */
    ck_assert_int_eq(kube_json_mut_doc_new(&md, NULL), KUBE_OK);
    m = kube_json_mut_copy(md, kube_json_doc_root(doc));
    ck_assert_int_eq(kube_json_mut_write(&b2, m, KUBE_JSON_WRITE_PRETTY), KUBE_OK);
    ck_assert_uint_eq(b.size, b2.size);
    ck_assert_int_eq(memcmp(b.ptr, b2.ptr, b.size), 0);
    kube_json_mut_doc_free(md);
    kube_json_doc_free(again);
    kube_json_doc_free(doc);
    kube_buf_dispose(&b);
    kube_buf_dispose(&b2);
    free(text);
}
END_TEST

/* strtod/snprintf follow LC_NUMERIC; the library must not. Runs when a locale with a
 * decimal comma is installed (LOCPATH may point at one made with localedef). */
START_TEST(numbers_ignore_the_locale)
{
    static const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8"};
    const char *got = NULL;
    for (size_t k = 0; k < sizeof names / sizeof names[0] && !got; k++)
        got = setlocale(LC_NUMERIC, names[k]);
    if (!got || strcmp(localeconv()->decimal_point, ",") != 0) {
        setlocale(LC_NUMERIC, "C");
        fprintf(stderr, "skipping numbers_ignore_the_locale: no locale with a decimal comma\n");
        return;
    }
    roundtrip("[3.141592653589793238462643383279,0.1,1.5e300,5e-324,1e21,2.5]",
              "[3.141592653589793,0.1,1.5e+300,5e-324,1e+21,2.5]", 0);
    parse_fails("1e400", 5);
    setlocale(LC_NUMERIC, "C");
}
END_TEST

Suite *kube_test_json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_value_kind);
    tcase_add_test(tc, scalar_roots_and_whitespace);
    tcase_add_test(tc, integers_at_the_edges);
    tcase_add_test(tc, doubles_parse_exactly_and_write_shortest);
    tcase_add_test(tc, malformed_numbers_fail);
    tcase_add_test(tc, string_escapes);
    tcase_add_test(tc, invalid_strings_and_utf8_fail);
    tcase_add_test(tc, structure_errors_and_trailing_bytes);
    tcase_add_test(tc, depth_limit);
    tcase_add_test(tc, every_truncation_fails_cleanly);
    tcase_add_test(tc, failmalloc_parse_write_and_builder);
    tcase_add_test(tc, pretty_writer_matches_go);
    tcase_add_test(tc, iterator_pointer_and_duplicates);
    tcase_add_test(tc, equality);
    tcase_add_test(tc, refcount);
    tcase_add_test(tc, builder_operations);
    tcase_add_test(tc, real_openapi_document_roundtrips);
    tcase_add_test(tc, numbers_ignore_the_locale);
    suite_add_tcase(s, tc);
    return s;
}
