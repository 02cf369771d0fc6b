/* The process default allocator and its replacement hook. */
#include <kube/sys/alloc.h>
#include <kube/error.h>
#include <stdlib.h>

static void *libc_malloc(size_t size, void *ud) { (void)ud; return malloc(size); }
static void libc_free(void *ptr, void *ud) { (void)ud; free(ptr); }
static void *libc_calloc(size_t n, size_t size, void *ud) { (void)ud; return calloc(n, size); }
static void *libc_realloc(void *ptr, size_t size, void *ud) { (void)ud; return realloc(ptr, size); }

static const kube_mem_t libc_mem = { NULL, libc_malloc, libc_free, libc_calloc, libc_realloc };
static kube_mem_t default_mem = { NULL, libc_malloc, libc_free, libc_calloc, libc_realloc };

int kube_set_allocator(const kube_mem_t *mem)
{
    if (!mem) {
        default_mem = libc_mem;
        return KUBE_OK;
    }
    if (!mem->malloc || !mem->free || !mem->calloc || !mem->realloc)
        return kube_error_setf(KUBE_EINVAL, "kube_set_allocator: every hook (malloc, free, calloc, realloc) is required");
    default_mem = *mem;
    return KUBE_OK;
}

const kube_mem_t *kube_default_allocator(void)
{
    return &default_mem;
}
