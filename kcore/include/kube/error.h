/**
 * @file error.h
 * @brief libkube's error codes, their names and messages, and per-thread error detail.
 *
 * Every fallible libkube function returns a kube_error_t: KUBE_OK (0) or one of
 * the negative codes below. The codes come from one table, KUBE_ERROR_MAP, and
 * are never renumbered. The code is authoritative; kube_error_last() carries
 * human-readable detail (a message naming the field or the server's Status
 * message, the HTTP status and the Status reason) for the last failure on the
 * calling thread.
 *
 * Thread-safety: every function here is safe from any thread; the detail is
 * thread-local.
 * @since 0.1
 */
#ifndef KUBE_ERROR_H
#define KUBE_ERROR_H

#include <kube/common.h>

KUBE_BEGIN_DECL

/**
 * The error table: XX(NAME, value, "message"). Codes worth branching on only.
 * HTTP mapping (kube_error_from_http()): 400/422 EINVALIDOBJ, 401 EUNAUTHORIZED,
 * 403 EFORBIDDEN, 404 ENOTFOUND, 405/406/415/501 EUNSUPPORTED, 408/504 ETIMEDOUT,
 * 409 ECONFLICT (EEXISTS when the reason is AlreadyExists), 410 EGONE,
 * 429 ETHROTTLED, other 5xx ESERVER.
 */
#define KUBE_ERROR_MAP(XX)                                                              \
    XX(ERROR,        -1, "unexpected error")                                             \
    XX(ENOMEM,       -2, "out of memory")                                                \
    XX(EINVAL,       -3, "invalid argument")                                             \
    XX(EAGAIN,       -4, "more input is needed")                                         \
    XX(ENOTFOUND,    -5, "not found")                                                    \
    XX(EEXISTS,      -6, "already exists")                                               \
    XX(ECONFLICT,    -7, "conflict")                                                     \
    XX(EGONE,        -8, "resource version too old (gone), re-list")                     \
    XX(ETHROTTLED,   -9, "too many requests, retry later")                               \
    XX(EUNAUTHORIZED, -10, "unauthorized (no valid credentials)")                        \
    XX(EFORBIDDEN,   -11, "forbidden")                                                   \
    XX(EINVALIDOBJ,  -12, "the server rejected the request or object as invalid")       \
    XX(ETIMEDOUT,    -13, "timed out")                                                   \
    XX(ESERVER,      -14, "server error")                                                \
    XX(EUNSUPPORTED, -15, "not supported")                                               \
    XX(ETRANSPORT,   -16, "transport failure")                                           \
    XX(ETLS,         -17, "TLS failure")                                                 \
    XX(EPROTO,       -18, "malformed data from the peer")                                \
    XX(ERANGE,       -19, "value out of range")                                          \
    XX(EUSER,        -20, "a callback aborted the operation")                            \
    XX(ERECURSIVE,   -21, "libkube was re-entered from a callback")

/** Result of every fallible libkube call: KUBE_OK or a negative KUBE_E* code. */
typedef enum kube_error {
    KUBE_OK = 0, /**< success */
#define KUBE_ERROR_ENUM_(name, value, msg) KUBE_##name = value,
    KUBE_ERROR_MAP(KUBE_ERROR_ENUM_)
#undef KUBE_ERROR_ENUM_
    KUBE_ERROR_MIN_ = -21 /**< lowest code in use; not an error itself */
} kube_error_t;

/**
 * A static English message for a code ("unknown error" for values outside the table).
 * @return never NULL; static storage.
 */
KUBE_EXTERN const char *kube_strerror(int code);

/**
 * The code's name without the KUBE_ prefix ("ENOTFOUND"), or "UNKNOWN".
 * @return never NULL; static storage.
 */
KUBE_EXTERN const char *kube_error_name(int code);

/**
 * Whether retrying the same request later may succeed: ETHROTTLED, ETIMEDOUT,
 * ESERVER, ETRANSPORT and EAGAIN are retryable; everything else is not
 * (EGONE needs a re-list, not a retry).
 */
KUBE_EXTERN int kube_error_is_retryable(int code);

/**
 * The error code for an HTTP status and an optional metav1.Status reason.
 *
 * @param http_status the response status code.
 * @param reason the Status `reason` ("AlreadyExists", "Expired", ...), or NULL.
 * @return KUBE_OK for 1xx-3xx; otherwise the code from the table in KUBE_ERROR_MAP.
 *         A reason refines the status: "AlreadyExists" gives EEXISTS, "Expired" and
 *         "Gone" give EGONE, "Unauthorized" EUNAUTHORIZED, "Forbidden" EFORBIDDEN,
 *         "NotFound" ENOTFOUND, "Conflict" ECONFLICT, "Invalid" EINVALIDOBJ,
 *         "TooManyRequests" ETHROTTLED, "Timeout"/"ServerTimeout" ETIMEDOUT.
 */
KUBE_EXTERN kube_error_t kube_error_from_http(int http_status, const char *reason);

/** Error detail of the last failed libkube call on this thread. */
typedef struct kube_error_info {
    kube_error_t code;   /**< the code that call returned */
    int http_status;     /**< the HTTP status the server answered, or 0 */
    const char *reason;  /**< the Status reason ("NotFound"), or "" */
    const char *message; /**< what went wrong: names the field, or the server's Status message */
} kube_error_info_t;

/**
 * Detail of the last error set on the calling thread.
 *
 * @return a borrowed pointer to thread-local storage, valid until the next
 *         libkube call on this thread that fails or clears it. Never NULL: with
 *         no error, code is KUBE_OK and the strings are "".
 */
KUBE_EXTERN const kube_error_info_t *kube_error_last(void);

/** Reset this thread's error detail to KUBE_OK. */
KUBE_EXTERN void kube_error_clear(void);

/**
 * Record error detail for the calling thread and return @p code, so callers can
 * `return kube_error_setf(KUBE_EINVAL, "label selector: bad operator at %zu", i);`.
 * Used by libkube's layers and by applications that report through the same channel.
 * The message is truncated to 1023 bytes. Never put secrets in it.
 *
 * @return @p code.
 */
KUBE_EXTERN kube_error_t kube_error_setf(kube_error_t code, const char *fmt, ...) KUBE_PRINTF(2, 3);

/**
 * Record error detail from an HTTP answer: code, status, Status reason and message
 * (reason and message may be NULL; they are copied, truncated to 63 and 1023 bytes).
 *
 * @return @p code.
 */
KUBE_EXTERN kube_error_t kube_error_set_http(kube_error_t code, int http_status,
                                             const char *reason, const char *message);

KUBE_END_DECL

#endif /* KUBE_ERROR_H */
