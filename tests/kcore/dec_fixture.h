/* Test helper for the decoder suites: read a fixture file (tests may do I/O; kcore may not). */
#ifndef KUBE_TEST_DEC_FIXTURE_H
#define KUBE_TEST_DEC_FIXTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file tests/fixtures/<rel>, NUL-terminated; free() it. Fails the test if missing. */
static inline char *dec_fixture(const char *rel, size_t *len_out)
{
    char path[1024];
    FILE *f;
    long n;
    char *buf;
    snprintf(path, sizeof path, "%s/%s", KUBE_FIXTURES_DIR, rel);
    f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open fixture %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len_out = (size_t)n;
    return buf;
}

#endif
