#include "failmalloc.h"
#include <stdlib.h>
#include <string.h>

/* Each block carries its size in front so frees can be accounted. */
typedef union header {
    size_t size;
    max_align_t align;
} header_t;

void failmalloc_reset(failmalloc_t *fm, long fail_at)
{
    memset(fm, 0, sizeof *fm);
    fm->fail_at = fail_at;
}

static int refuse(failmalloc_t *fm)
{
    long n = fm->calls++;
    if (fm->fail_at >= 0 && n == fm->fail_at) {
        fm->failed++;
        return 1;
    }
    return 0;
}

static void account(failmalloc_t *fm, long blocks, size_t add, size_t sub)
{
    fm->live += blocks;
    fm->live_bytes = fm->live_bytes + add - sub;
    if (fm->live_bytes > fm->peak_bytes)
        fm->peak_bytes = fm->live_bytes;
}

static void *fm_malloc(size_t size, void *ud)
{
    failmalloc_t *fm = ud;
    header_t *h;
    if (refuse(fm) || !(h = malloc(sizeof *h + size)))
        return NULL;
    h->size = size;
    account(fm, 1, size, 0);
    return h + 1;
}

static void fm_free(void *ptr, void *ud)
{
    failmalloc_t *fm = ud;
    header_t *h;
    if (!ptr)
        return;
    h = (header_t *)ptr - 1;
    account(fm, -1, 0, h->size);
    free(h);
}

static void *fm_calloc(size_t n, size_t size, void *ud)
{
    void *p = fm_malloc(n * size, ud);
    if (p)
        memset(p, 0, n * size);
    return p;
}

static void *fm_realloc(void *ptr, size_t size, void *ud)
{
    failmalloc_t *fm = ud;
    header_t *h, *nh;
    if (!ptr)
        return fm_malloc(size, ud);
    if (refuse(fm))
        return NULL;
    h = (header_t *)ptr - 1;
    size_t old = h->size;
    if (!(nh = realloc(h, sizeof *nh + size)))
        return NULL;
    nh->size = size;
    account(fm, 0, size, old);
    return nh + 1;
}

kube_mem_t failmalloc_mem(failmalloc_t *fm)
{
    kube_mem_t m = { fm, fm_malloc, fm_free, fm_calloc, fm_realloc };
    return m;
}
