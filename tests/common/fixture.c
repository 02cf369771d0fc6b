#include "fixture.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

char *kube_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    p = malloc((size_t)n + 1);
    if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        fclose(f);
        return NULL;
    }
    fclose(f);
    p[n] = '\0';
    *len = (size_t)n;
    return p;
}

char *kube_test_read_fixture(const char *name, size_t *len)
{
    char path[1024];
    char *p;
    snprintf(path, sizeof path, "%s/%s", KUBE_FIXTURES_DIR, name);
    p = kube_test_read_file(path, len);
    ck_assert_msg(p != NULL, "cannot read fixture %s", path);
    return p;
}
