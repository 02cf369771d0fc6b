#include <check.h>
#include <string.h>
#include <kube/buf.h>
#include <kube/error.h>
#include "failmalloc.h"

START_TEST(put_printf_detach)
{
    kube_buf_t b;
    char *out;
    size_t len;
    kube_buf_init(&b, NULL);
    ck_assert_ptr_null(b.ptr);
    ck_assert_int_eq(kube_buf_puts(&b, "abc"), KUBE_OK);
    ck_assert_int_eq(kube_buf_put(&b, "\0d", 2), KUBE_OK);
    ck_assert_uint_eq(b.size, 5);
    ck_assert_int_eq(memcmp(b.ptr, "abc\0d", 6), 0);
    ck_assert_int_eq(kube_buf_printf(&b, "-%d-%s", 42, "x"), KUBE_OK);
    ck_assert_uint_eq(b.size, 10);
    ck_assert_str_eq(b.ptr + 5, "-42-x");
    kube_buf_clear(&b);
    ck_assert_uint_eq(b.size, 0);
    ck_assert_str_eq(b.ptr, "");
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(kube_buf_puts(&b, "0123456789"), KUBE_OK);
    ck_assert_uint_eq(b.size, 10000);
    ck_assert_int_eq(kube_buf_detach(&out, &len, &b), KUBE_OK);
    ck_assert_uint_eq(len, 10000);
    ck_assert_ptr_null(b.ptr);
    ck_assert_int_eq(out[len], '\0');
    b.mem.free(out, b.mem.user_data);
    kube_buf_dispose(&b);
    kube_buf_dispose(NULL);
}
END_TEST

START_TEST(out_of_memory_leaves_buffer_unchanged)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    kube_buf_t b;
    failmalloc_reset(&fm, 1);
    kube_buf_init(&b, &mem);
    ck_assert_int_eq(kube_buf_puts(&b, "first"), KUBE_OK);
    /* Growing past 64 bytes needs the second allocation, which fails. */
    char big[200];
    memset(big, 'x', sizeof big);
    ck_assert_int_eq(kube_buf_put(&b, big, sizeof big), KUBE_ENOMEM);
    ck_assert_int_eq(kube_error_last()->code, KUBE_ENOMEM);
    ck_assert_uint_eq(b.size, 5);
    ck_assert_str_eq(b.ptr, "first");
    kube_buf_dispose(&b);
    ck_assert_int_eq(fm.live, 0);
}
END_TEST

Suite *kube_test_buf_suite(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("buf");
    tcase_add_test(tc, put_printf_detach);
    tcase_add_test(tc, out_of_memory_leaves_buffer_unchanged);
    suite_add_tcase(s, tc);
    return s;
}
