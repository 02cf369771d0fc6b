/* The error table, its names and messages, and the thread-local error detail. */
#include <kube/error.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *kube_strerror(int code)
{
    switch (code) {
    case KUBE_OK: return "success";
#define XX(name, value, msg) case value: return msg;
    KUBE_ERROR_MAP(XX)
#undef XX
    default: return "unknown error";
    }
}

const char *kube_error_name(int code)
{
    switch (code) {
    case KUBE_OK: return "OK";
#define XX(name, value, msg) case value: return #name;
    KUBE_ERROR_MAP(XX)
#undef XX
    default: return "UNKNOWN";
    }
}

int kube_error_is_retryable(int code)
{
    switch (code) {
    case KUBE_ETHROTTLED:
    case KUBE_ETIMEDOUT:
    case KUBE_ESERVER:
    case KUBE_ETRANSPORT:
    case KUBE_EAGAIN:
        return 1;
    default:
        return 0;
    }
}

static int reason_is(const char *reason, const char *want)
{
    return reason && strcmp(reason, want) == 0;
}

kube_error_t kube_error_from_http(int http_status, const char *reason)
{
    if (http_status >= 100 && http_status < 400)
        return KUBE_OK;
    /* A Status reason is more specific than the HTTP code that carries it. */
    if (reason_is(reason, "AlreadyExists")) return KUBE_EEXISTS;
    if (reason_is(reason, "Expired") || reason_is(reason, "Gone")) return KUBE_EGONE;
    if (reason_is(reason, "Unauthorized")) return KUBE_EUNAUTHORIZED;
    if (reason_is(reason, "Forbidden")) return KUBE_EFORBIDDEN;
    if (reason_is(reason, "NotFound")) return KUBE_ENOTFOUND;
    if (reason_is(reason, "Conflict")) return KUBE_ECONFLICT;
    if (reason_is(reason, "Invalid") || reason_is(reason, "BadRequest")) return KUBE_EINVALIDOBJ;
    if (reason_is(reason, "TooManyRequests")) return KUBE_ETHROTTLED;
    if (reason_is(reason, "Timeout") || reason_is(reason, "ServerTimeout")) return KUBE_ETIMEDOUT;
    switch (http_status) {
    case 400: case 422: return KUBE_EINVALIDOBJ;
    case 401: return KUBE_EUNAUTHORIZED;
    case 403: return KUBE_EFORBIDDEN;
    case 404: return KUBE_ENOTFOUND;
    case 405: case 406: case 415: case 501: return KUBE_EUNSUPPORTED;
    case 408: case 504: return KUBE_ETIMEDOUT;
    case 409: return KUBE_ECONFLICT;
    case 410: return KUBE_EGONE;
    case 429: return KUBE_ETHROTTLED;
    default:
        return http_status >= 500 ? KUBE_ESERVER : KUBE_ERROR;
    }
}

/* Fixed-size thread-local storage: setting an error never allocates and so never fails. */
typedef struct error_slot {
    kube_error_info_t info;
    char reason[64];
    char message[1024];
} error_slot_t;

static _Thread_local error_slot_t slot;

static error_slot_t *current_slot(void)
{
    if (!slot.info.reason) {
        slot.info.reason = slot.reason;
        slot.info.message = slot.message;
    }
    return &slot;
}

const kube_error_info_t *kube_error_last(void)
{
    return &current_slot()->info;
}

void kube_error_clear(void)
{
    error_slot_t *s = current_slot();
    s->info.code = KUBE_OK;
    s->info.http_status = 0;
    s->reason[0] = '\0';
    s->message[0] = '\0';
}

kube_error_t kube_error_setf(kube_error_t code, const char *fmt, ...)
{
    error_slot_t *s = current_slot();
    /* Format into a scratch buffer first: the arguments may point into this
     * thread's slot (a caller wrapping kube_error_last()->message). */
    char scratch[sizeof s->message];
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(scratch, sizeof scratch, fmt, ap) < 0)
        scratch[0] = '\0';
    va_end(ap);
    s->info.code = code;
    s->info.http_status = 0;
    s->reason[0] = '\0';
    memcpy(s->message, scratch, sizeof scratch);
    return code;
}

static void copy_trunc(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memmove(dst, src, n); /* src may be this slot's own text */
    dst[n] = '\0';
}

kube_error_t kube_error_set_http(kube_error_t code, int http_status, const char *reason, const char *message)
{
    error_slot_t *s = current_slot();
    s->info.code = code;
    s->info.http_status = http_status;
    copy_trunc(s->reason, sizeof s->reason, reason);
    copy_trunc(s->message, sizeof s->message, message);
    return code;
}
