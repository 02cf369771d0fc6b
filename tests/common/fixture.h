/* Reading test input files (fixtures, shared testdata) into memory. */
#ifndef KUBE_TEST_FIXTURE_H
#define KUBE_TEST_FIXTURE_H

#include <stddef.h>

/* The whole file, NUL-terminated, in malloc'd memory (free() it); *len gets its size.
 * NULL when the file cannot be opened or read. */
char *kube_test_read_file(const char *path, size_t *len);

/* kube_test_read_file() of KUBE_FIXTURES_DIR/name; fails the current Check test when missing. */
char *kube_test_read_fixture(const char *name, size_t *len);

#endif
