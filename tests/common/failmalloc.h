/* A kube_mem_t for tests: counts live allocations and bytes, and can fail the Nth one. */
#ifndef KUBE_TEST_FAILMALLOC_H
#define KUBE_TEST_FAILMALLOC_H

#include <kube/sys/alloc.h>

typedef struct failmalloc {
    long fail_at;       /* 0-based index of the allocation that fails; -1: never */
    long calls;         /* allocations attempted (malloc, calloc, realloc) */
    long live;          /* blocks allocated and not yet freed */
    size_t live_bytes;  /* bytes in those blocks */
    size_t peak_bytes;  /* highest live_bytes seen */
    long failed;        /* allocations refused */
} failmalloc_t;

/* Reset the counters and fail allocation number fail_at (-1: never fail). */
void failmalloc_reset(failmalloc_t *fm, long fail_at);

/* The hooks, bound to fm (which must outlive every object allocated through them). */
kube_mem_t failmalloc_mem(failmalloc_t *fm);

#endif
