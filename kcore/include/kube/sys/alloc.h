/**
 * @file sys/alloc.h
 * @brief Allocator hooks (kube_mem_t) for libkube objects.
 *
 * Every root constructor takes an optional `const kube_mem_t *`; NULL means the
 * process default (see kube_set_allocator()). libkube copies the struct and
 * never keeps the pointer. Whatever libkube allocates with a given allocator it
 * frees with the same one: never mix allocators.
 *
 * Stability: the `sys/` API is stable within a minor release only.
 * @since 0.1
 */
#ifndef KUBE_SYS_ALLOC_H
#define KUBE_SYS_ALLOC_H

#include <kube/common.h>

KUBE_BEGIN_DECL

/** Allocator hooks. All five functions are required; they must be
 * thread-safe when objects using them are used from several threads.
 * `calloc` is never asked for a product that overflows size_t: libkube checks. */
typedef struct kube_mem {
    void *user_data;                                        /**< passed to every hook */
    void *(*malloc)(size_t size, void *user_data);          /**< like malloc(3) */
    void (*free)(void *ptr, void *user_data);               /**< like free(3); accepts NULL */
    void *(*calloc)(size_t nmemb, size_t size, void *user_data); /**< like calloc(3) */
    void *(*realloc)(void *ptr, size_t size, void *user_data);   /**< like realloc(3) */
} kube_mem_t;

/**
 * Replace the process-wide default allocator used when a constructor gets NULL.
 *
 * @param mem the hooks (copied), or NULL to restore libc's allocator.
 * @return KUBE_OK, or KUBE_EINVAL if a hook is missing.
 *
 * Thread-safety: not thread-safe; call before any other libkube call, while no
 * libkube object exists (objects remember the allocator they were made with).
 */
KUBE_EXTERN int kube_set_allocator(const kube_mem_t *mem);

/**
 * The process default allocator (libc's unless kube_set_allocator() replaced it).
 *
 * @return a borrowed pointer, valid until the next kube_set_allocator().
 * Thread-safety: safe to call concurrently (it is only read).
 */
KUBE_EXTERN const kube_mem_t *kube_default_allocator(void);

KUBE_END_DECL

#endif /* KUBE_SYS_ALLOC_H */
