/* kube_buf_t: the growable buffer libkube hands produced bytes back in. */
#include <kube/buf.h>
#include <kube/error.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "alloc_int.h"

void kube_buf_init(kube_buf_t *buf, const kube_mem_t *mem)
{
    buf->ptr = NULL;
    buf->size = 0;
    buf->asize = 0;
    buf->mem = kube_mem__pick(mem);
}

void kube_buf_dispose(kube_buf_t *buf)
{
    if (!buf)
        return;
    kube_mem__free(&buf->mem, buf->ptr);
    buf->ptr = NULL;
    buf->size = 0;
    buf->asize = 0;
}

kube_error_t kube_buf_grow(kube_buf_t *buf, size_t extra)
{
    size_t need, cap;
    char *p;
    if (extra > SIZE_MAX - buf->size - 1)
        return kube_error_setf(KUBE_ENOMEM, "buffer size overflow");
    need = buf->size + extra + 1;
    if (need <= buf->asize)
        return KUBE_OK;
    cap = buf->asize ? buf->asize : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = (char *)kube_mem__realloc(&buf->mem, buf->ptr, cap);
    if (!p)
        return kube_error_setf(KUBE_ENOMEM, "out of memory growing a buffer to %zu bytes", cap);
    buf->ptr = p;
    buf->asize = cap;
    return KUBE_OK;
}

kube_error_t kube_buf_put(kube_buf_t *buf, const void *data, size_t len)
{
    kube_error_t rc = kube_buf_grow(buf, len);
    if (rc)
        return rc;
    if (len)
        memcpy(buf->ptr + buf->size, data, len);
    buf->size += len;
    buf->ptr[buf->size] = '\0';
    return KUBE_OK;
}

kube_error_t kube_buf_puts(kube_buf_t *buf, const char *str)
{
    return kube_buf_put(buf, str, strlen(str));
}

kube_error_t kube_buf_printf(kube_buf_t *buf, const char *fmt, ...)
{
    va_list ap;
    int n;
    kube_error_t rc;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return kube_error_setf(KUBE_EINVAL, "kube_buf_printf: invalid format");
    if ((rc = kube_buf_grow(buf, (size_t)n)) != KUBE_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->size += (size_t)n;
    return KUBE_OK;
}

void kube_buf_clear(kube_buf_t *buf)
{
    buf->size = 0;
    if (buf->ptr)
        buf->ptr[0] = '\0';
}

kube_error_t kube_buf_detach(char **out, size_t *len_out, kube_buf_t *buf)
{
    kube_error_t rc = kube_buf_grow(buf, 0);
    if (rc)
        return rc;
    *out = buf->ptr;
    if (len_out)
        *len_out = buf->size;
    buf->ptr = NULL;
    buf->size = 0;
    buf->asize = 0;
    return KUBE_OK;
}
