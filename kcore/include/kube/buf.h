/**
 * @file buf.h
 * @brief kube_buf_t: a growable byte buffer that libkube fills for the caller.
 *
 * Strings libkube produces (JSON text, URLs, printed selectors) come back in a
 * caller-owned kube_buf_t. The content is always NUL-terminated (the NUL is not
 * counted in `size`), so it can be used as a C string when it holds text.
 *
 * Ownership: the caller owns the struct; release the memory with
 * kube_buf_dispose(). Thread-safety: not thread-safe; one buffer, one thread at a time.
 * @since 0.1
 */
#ifndef KUBE_BUF_H
#define KUBE_BUF_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/** A growable, NUL-terminated byte buffer. Read `ptr` and `size`; do not write the fields. */
typedef struct kube_buf {
    char *ptr;      /**< the bytes (NUL-terminated), or NULL while empty and unallocated */
    size_t size;    /**< bytes in use, without the terminating NUL */
    size_t asize;   /**< bytes allocated */
    kube_mem_t mem; /**< the allocator the memory came from */
} kube_buf_t;

/**
 * Initialise an empty buffer that will allocate with @p mem (NULL: the default allocator).
 * Never allocates; cannot fail.
 */
KUBE_EXTERN void kube_buf_init(kube_buf_t *buf, const kube_mem_t *mem);

/** Free the buffer's memory and leave it empty (re-usable). Accepts NULL. */
KUBE_EXTERN void kube_buf_dispose(kube_buf_t *buf);

/** Make room for @p extra more bytes. @return KUBE_OK or KUBE_ENOMEM (buffer unchanged). */
KUBE_EXTERN kube_error_t kube_buf_grow(kube_buf_t *buf, size_t extra);

/** Append @p len bytes. @return KUBE_OK or KUBE_ENOMEM (buffer unchanged). */
KUBE_EXTERN kube_error_t kube_buf_put(kube_buf_t *buf, const void *data, size_t len);

/** Append a NUL-terminated string. @return KUBE_OK or KUBE_ENOMEM (buffer unchanged). */
KUBE_EXTERN kube_error_t kube_buf_puts(kube_buf_t *buf, const char *str);

/** Append printf-formatted text. @return KUBE_OK, KUBE_ENOMEM or KUBE_EINVAL (bad format); unchanged on error. */
KUBE_EXTERN kube_error_t kube_buf_printf(kube_buf_t *buf, const char *fmt, ...) KUBE_PRINTF(2, 3);

/** Drop the content but keep the memory. */
KUBE_EXTERN void kube_buf_clear(kube_buf_t *buf);

/**
 * Take the bytes out of the buffer: *out receives the NUL-terminated memory
 * (caller frees it with the buffer's allocator, i.e. `buf->mem.free`) and the
 * buffer is left empty. An empty buffer yields an allocated "".
 * @return KUBE_OK or KUBE_ENOMEM.
 */
KUBE_EXTERN kube_error_t kube_buf_detach(char **out, size_t *len_out, kube_buf_t *buf);

KUBE_END_DECL

#endif /* KUBE_BUF_H */
