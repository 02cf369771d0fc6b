/* Internal allocation helpers: every kcore allocation goes through a kube_mem_t. */
#ifndef KUBE_ALLOC_INT_H
#define KUBE_ALLOC_INT_H

#include <kube/sys/alloc.h>
#include <stdint.h>
#include <string.h>

/* Copy the allocator a constructor was given, or the process default. */
static inline kube_mem_t kube_mem__pick(const kube_mem_t *mem)
{
    return mem ? *mem : *kube_default_allocator();
}

static inline void *kube_mem__malloc(const kube_mem_t *mem, size_t size)
{
    return mem->malloc(size ? size : 1, mem->user_data);
}

static inline void *kube_mem__calloc(const kube_mem_t *mem, size_t nmemb, size_t size)
{
    /* The user's allocator is not trusted to check the product for overflow. */
    if (size && nmemb > SIZE_MAX / size)
        return NULL;
    return mem->calloc(nmemb ? nmemb : 1, size ? size : 1, mem->user_data);
}

static inline void *kube_mem__realloc(const kube_mem_t *mem, void *ptr, size_t size)
{
    return mem->realloc(ptr, size ? size : 1, mem->user_data);
}

static inline void kube_mem__free(const kube_mem_t *mem, void *ptr)
{
    if (ptr)
        mem->free(ptr, mem->user_data);
}

static inline char *kube_mem__strndup(const kube_mem_t *mem, const char *s, size_t len)
{
    char *p = (char *)kube_mem__malloc(mem, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

static inline char *kube_mem__strdup(const kube_mem_t *mem, const char *s)
{
    return kube_mem__strndup(mem, s, strlen(s));
}

/* Overwrite a secret before its memory is freed; the volatile stores are not elided. */
static inline void kube_mem__wipe(void *ptr, size_t len)
{
    volatile unsigned char *p = (volatile unsigned char *)ptr;
    while (len--)
        *p++ = 0;
}

#endif
