#include <check.h>
#include <string.h>
#include <kube/intorstr.h>
#include <kube/json.h>
#include <kube/error.h>

START_TEST(from_json)
{
    const char *text = "[80, \"http\", \"25%\", 2147483647, -2147483648, 2147483648, 1.5, null, true, {}, "
                       "18446744073709551615, -2147483649, \"\"]";
    kube_json_doc_t *doc = NULL;
    const kube_json_t *root;
    kube_intorstr_t v;
    kube_buf_t b;
    ck_assert_int_eq(kube_json_parse(&doc, text, strlen(text), NULL), KUBE_OK);
    root = kube_json_doc_root(doc);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 0)), KUBE_OK);
    ck_assert_int_eq(v.type, KUBE_INTORSTR_INT);
    ck_assert_int_eq(v.int_value, 80);
    ck_assert_int_eq(kube_intorstr_format(&b, &v), KUBE_OK);
    ck_assert_str_eq(b.ptr, "80");
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 1)), KUBE_OK);
    ck_assert_int_eq(v.type, KUBE_INTORSTR_STRING);
    ck_assert_str_eq(v.str_value, "http");
    ck_assert_uint_eq(v.str_len, 4);
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_intorstr_format(&b, &v), KUBE_OK);
    ck_assert_str_eq(b.ptr, "http");
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 3)), KUBE_OK);
    ck_assert_int_eq(v.int_value, INT32_MAX);
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 4)), KUBE_OK);
    ck_assert_int_eq(v.int_value, INT32_MIN);
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 5)), KUBE_ERANGE);
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 6)), KUBE_EINVAL);
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 7)), KUBE_EINVAL);
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 8)), KUBE_EINVAL);
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 9)), KUBE_EINVAL);
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 10)), KUBE_ERANGE);
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 11)), KUBE_ERANGE);
    ck_assert_int_eq(kube_intorstr_from_json(&v, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_intorstr_from_json(NULL, root), KUBE_EINVAL);
    ck_assert_int_eq(kube_intorstr_from_json(&v, kube_json_at(root, 12)), KUBE_OK);
    ck_assert_uint_eq(v.str_len, 0);
    kube_buf_dispose(&b);
    kube_json_doc_free(doc);
}
END_TEST

START_TEST(to_json)
{
    kube_json_mut_doc_t *doc = NULL;
    kube_json_mut_t *arr;
    kube_intorstr_t a, s;
    kube_buf_t b;
    ck_assert_int_eq(kube_json_mut_doc_new(&doc, NULL), KUBE_OK);
    arr = kube_json_mut_arr(doc);
    ck_assert_ptr_nonnull(arr);
    ck_assert_int_eq(kube_intorstr_from_int(&a, -7), KUBE_OK);
    ck_assert_int_eq(kube_intorstr_from_string(&s, "50%"), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(arr, kube_intorstr_to_json(doc, &a)), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_arr_append(arr, kube_intorstr_to_json(doc, &s)), KUBE_OK);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_json_mut_write(&b, arr, 0), KUBE_OK);
    ck_assert_str_eq(b.ptr, "[-7,\"50%\"]");
    ck_assert_ptr_null(kube_intorstr_to_json(doc, NULL));
    ck_assert_int_eq(kube_intorstr_from_string(&s, NULL), KUBE_EINVAL);
    kube_buf_dispose(&b);
    kube_json_mut_doc_free(doc);
}
END_TEST

/* apimachinery intstr_test.go TestGetScaledValueFromIntOrPercent, plus rounding of negatives. */
START_TEST(scaled_value)
{
    static const struct {
        int is_int;
        int32_t i;
        const char *s;
        int64_t total;
        int round_up;
        kube_error_t rc;
        int64_t want;
    } t[] = {
        {1, 123, NULL, 0, 0, KUBE_OK, 123},
        {0, 0, "90%", 100, 1, KUBE_OK, 90},
        {0, 0, "90%", 95, 1, KUBE_OK, 86},
        {0, 0, "90%", 95, 0, KUBE_OK, 85},
        {0, 0, "%", 0, 0, KUBE_EINVAL, 0},
        {0, 0, "90#", 0, 0, KUBE_EINVAL, 0},
        {0, 0, "#%", 0, 0, KUBE_EINVAL, 0},
        {0, 0, "90", 0, 0, KUBE_EINVAL, 0},
        {0, 0, "", 10, 0, KUBE_EINVAL, 0},
        {0, 0, " 5%", 10, 0, KUBE_EINVAL, 0},
        {0, 0, "25%", 10, 1, KUBE_OK, 3},
        {0, 0, "25%", 10, 0, KUBE_OK, 2},
        {0, 0, "+25%", 10, 0, KUBE_OK, 2},
        {0, 0, "-25%", 10, 1, KUBE_OK, -2},
        {0, 0, "-25%", 10, 0, KUBE_OK, -3},
        {0, 0, "0%", 10, 1, KUBE_OK, 0},
        {0, 0, "100%", 7, 0, KUBE_OK, 7},
        {0, 0, "150%", 3, 1, KUBE_OK, 5},
        {0, 0, "9223372036854775807%", 1, 0, KUBE_OK, 92233720368547758},
        {0, 0, "9223372036854775808%", 1, 0, KUBE_EINVAL, 0},
        {0, 0, "9223372036854775807%", 2, 0, KUBE_ERANGE, 0},
        {0, 0, "-2%", INT64_MIN / 2, 0, KUBE_ERANGE, 0},
    };
    for (size_t k = 0; k < sizeof t / sizeof *t; k++) {
        kube_intorstr_t v;
        int64_t out = -99;
        if (t[k].is_int)
            kube_intorstr_from_int(&v, t[k].i);
        else
            kube_intorstr_from_string(&v, t[k].s);
        ck_assert_msg(kube_intorstr_scaled_value(&out, &v, t[k].total, t[k].round_up) == t[k].rc, "row %zu", k);
        if (t[k].rc == KUBE_OK)
            ck_assert_msg(out == t[k].want, "row %zu: %lld", k, (long long)out);
        else
            ck_assert_int_eq(out, -99);
    }
    {
        kube_intorstr_t v;
        int64_t out;
        kube_intorstr_from_string(&v, "90");
        ck_assert_int_eq(kube_intorstr_scaled_value(&out, &v, 5, 0), KUBE_EINVAL);
        ck_assert_str_eq(kube_error_last()->message,
                         "invalid value for IntOrString: invalid type: string is not a percentage");
        ck_assert_int_eq(kube_intorstr_scaled_value(&out, NULL, 5, 0), KUBE_EINVAL);
    }
}
END_TEST

Suite *kube_test_intorstr_suite(void)
{
    Suite *s = suite_create("intorstr");
    TCase *tc = tcase_create("intorstr");
    tcase_add_test(tc, from_json);
    tcase_add_test(tc, to_json);
    tcase_add_test(tc, scaled_value);
    suite_add_tcase(s, tc);
    return s;
}
