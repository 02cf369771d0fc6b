/**
 * @file status.h
 * @brief metav1.Status: decoding, mapping to kube_error_t, and classification of HTTP answers.
 *
 * The API server reports failures (and a few successes) as a `metav1.Status`
 * object: `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
 * "message":"pods \"foo\" not found","reason":"NotFound","details":{"name":"foo",
 * "kind":"pods"},"code":404}`. The same object arrives as the body of a non-2xx
 * response and as the object of a watch `ERROR` event.
 *
 * kube_status_t is a plain read-only value: its strings are never NULL ("" when
 * the field was absent) and live as long as the status. Like kube-rs's `Status`,
 * predicates (kube_status_is_not_found(), ...) classify it, and
 * kube_status_error() turns it into the kube_error_t a call returns, recording
 * the server's message in kube_error_last().
 *
 * kube_status_classify() is the one place that decides whether an HTTP answer
 * is a failure: it decodes a Status body when there is one and synthesises one
 * otherwise (a plain-text `404 page not found`, an empty 503, an APF 429), so
 * callers always get a code, a reason and a readable message.
 *
 * Thread-safety: a kube_status_t is immutable after decoding; any number of
 * threads may read it. Functions keep no state besides the thread-local error
 * detail.
 * @since 0.1
 */
#ifndef KUBE_STATUS_H
#define KUBE_STATUS_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/json.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/** One entry of `details.causes`: a field-level reason (strings never NULL, "" when absent). */
typedef struct kube_status_cause {
    const char *reason;  /**< machine-readable cause ("FieldValueRequired") or "" */
    const char *message; /**< human-readable description or "" */
    const char *field;   /**< the field path ("spec.containers[0].name") or "" */
} kube_status_cause_t;

/** Current version of kube_status_t. */
#define KUBE_STATUS_VERSION 1

/**
 * A decoded metav1.Status. Read-only: every field belongs to the status and is
 * released with kube_status_free(). Strings are never NULL; absent fields are "".
 */
typedef struct kube_status {
    unsigned int version;        /**< KUBE_STATUS_VERSION */
    const char *status;          /**< "Success", "Failure" or "" */
    const char *message;         /**< the server's human-readable message, or "" */
    const char *reason;          /**< CamelCase reason ("NotFound", "Expired", ...) or "" */
    int code;                    /**< the HTTP status the server suggested; 0 when absent */
    int has_details;             /**< 1 when the body carried a `details` object */
    const char *details_name;    /**< details.name or "" */
    const char *details_group;   /**< details.group or "" */
    const char *details_kind;    /**< details.kind or "" */
    const char *details_uid;     /**< details.uid or "" */
    int retry_after_seconds;     /**< details.retryAfterSeconds; 0 when absent */
    size_t cause_count;          /**< number of entries in @ref causes */
    const kube_status_cause_t *causes; /**< details.causes (NULL when cause_count is 0) */
    const char *continue_token;  /**< metadata.continue (sent with some 410 answers) or "" */
} kube_status_t;

/**
 * Decode a metav1.Status from JSON text.
 *
 * The text must be a JSON object whose `kind` is "Status" or absent and which
 * carries at least one of `status`, `code`, `reason` or `message`.
 *
 * @param[out] out receives the status; untouched on error.
 * @param data the body bytes (need not be NUL-terminated); not retained.
 * @param len their length.
 * @param mem allocator (copied), or NULL for the default.
 * @return KUBE_OK; KUBE_EPROTO when the text is not JSON or not a Status
 *         (kube_error_last() says why); KUBE_EINVAL when @p out is NULL or
 *         @p data is NULL with a nonzero @p len; KUBE_ENOMEM.
 * Ownership: the caller owns *out; release with kube_status_free().
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_status_parse(kube_status_t **out, const char *data, size_t len,
                                           const kube_mem_t *mem);

/**
 * Decode a metav1.Status from an already parsed JSON value (a watch ERROR
 * event's object, a List body that turned out to be a Status).
 *
 * @param[out] out receives the status; untouched on error.
 * @param obj the value (borrowed; only read during the call).
 * @param mem allocator (copied), or NULL for the default.
 * @return KUBE_OK; KUBE_EPROTO when @p obj is not a Status object (rules as
 *         kube_status_parse()); KUBE_EINVAL when @p out is NULL; KUBE_ENOMEM.
 * Ownership: the caller owns *out; release with kube_status_free(). Strings are
 * copied, so *out does not depend on @p obj's document.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_status_from_json(kube_status_t **out, const kube_json_t *obj,
                                               const kube_mem_t *mem);

/**
 * Free a status. Accepts NULL.
 * @param status the status, or NULL. Ownership: consumed.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN void kube_status_free(kube_status_t *status);

/**
 * The libkube error code for a status, recording the detail for the caller.
 *
 * The code comes from kube_error_from_http() with the status's reason. The HTTP
 * status of the response is used when it is an error status (400 and above);
 * otherwise (a watch ERROR event arrives inside a 200 stream, or no response
 * code is known) the status's own `code` is used. A "Failure" status that maps
 * to no error gives KUBE_ERROR.
 *
 * @param status the decoded status (borrowed). NULL gives KUBE_EINVAL.
 * @param http_status the HTTP status of the response that carried it, or 0.
 * @return KUBE_OK for a "Success" status with no error code; otherwise the code
 *         (KUBE_ENOTFOUND, KUBE_EEXISTS, KUBE_ECONFLICT, KUBE_EGONE, ...), after
 *         kube_error_set_http() recorded the code, the HTTP status (or the
 *         status's code), the reason and the server's message in
 *         kube_error_last().
 * Thread-safety: reentrant (writes this thread's error detail).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_status_error(const kube_status_t *status, int http_status);

/**
 * Classify a status (kube-rs `Status::is_success`).
 * @param status the status (borrowed), or NULL.
 * @return 1 when `status` is "Success"; 0 otherwise, also for NULL.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN int kube_status_is_success(const kube_status_t *status);
/**
 * Classify a status (kube-rs `Status::is_failure`).
 * @param status the status (borrowed), or NULL.
 * @return 1 when `status` is "Failure"; 0 otherwise, also for NULL.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN int kube_status_is_failure(const kube_status_t *status);
/**
 * Classify a status (kube-rs `Status::is_not_found`).
 * @param status the status (borrowed), or NULL.
 * @return 1 for reason "NotFound", or no reason and code 404; 0 otherwise, also for NULL.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN int kube_status_is_not_found(const kube_status_t *status);
/**
 * Classify a status (kube-rs `Status::is_already_exists`).
 * @param status the status (borrowed), or NULL.
 * @return 1 for reason "AlreadyExists"; 0 otherwise, also for NULL.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN int kube_status_is_already_exists(const kube_status_t *status);
/**
 * Classify a status (kube-rs `Status::is_conflict`).
 * @param status the status (borrowed), or NULL.
 * @return 1 for reason "Conflict", or no reason and code 409; 0 otherwise, also for NULL.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN int kube_status_is_conflict(const kube_status_t *status);
/**
 * Classify a status (kube-rs `Status::is_forbidden`).
 * @param status the status (borrowed), or NULL.
 * @return 1 for reason "Forbidden", or no reason and code 403; 0 otherwise, also for NULL.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN int kube_status_is_forbidden(const kube_status_t *status);
/**
 * Classify a status (kube-rs `Status::is_invalid`).
 * @param status the status (borrowed), or NULL.
 * @return 1 for reason "Invalid", or no reason and code 422; 0 otherwise, also for NULL.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN int kube_status_is_invalid(const kube_status_t *status);
/**
 * Classify a status (a libkube addition to kube-rs's set).
 * @param status the status (borrowed), or NULL.
 * @return 1 for reason "Unauthorized", or no reason and code 401; 0 otherwise, also for NULL.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN int kube_status_is_unauthorized(const kube_status_t *status);
/**
 * Whether the resource version or continue token is too old (the caller must
 * re-list): reason "Expired" or "Gone", or code 410.
 * @param status the status (borrowed), or NULL.
 * @return 1 or 0 (0 for NULL).
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN int kube_status_is_gone(const kube_status_t *status);
/**
 * Classify a status (a libkube addition to kube-rs's set).
 * @param status the status (borrowed), or NULL.
 * @return 1 for reason "TooManyRequests", or code 429; 0 otherwise, also for NULL.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN int kube_status_is_too_many_requests(const kube_status_t *status);

/**
 * Classify a complete HTTP answer: success, or an error with its detail.
 *
 * - 1xx-3xx: KUBE_OK; the body is not looked at and *status_out is set to NULL.
 * - 400 and above with a JSON body (Content-Type `application/json`, or absent)
 *   that decodes as a Status: that status, mapped by kube_status_error().
 * - 400 and above otherwise (plain text such as `404 page not found`, an empty
 *   body, HTML from a proxy, JSON that is not a Status): a Status is synthesised
 *   as client-go does, with reason and a generic message for the HTTP code
 *   ("the server could not find the requested resource"), followed by the
 *   body's first line when it is printable text
 *   ("...: 404 page not found"); the code comes from kube_error_from_http().
 * - an HTTP status outside 100-599: KUBE_EPROTO.
 *
 * @param[out] status_out receives the decoded or synthesised status on
 *        failure (caller owns; kube_status_free()), NULL on success; may be NULL
 *        when the caller only wants the code.
 * @param http_status the response's status code.
 * @param content_type the Content-Type header value, or NULL.
 * @param body the body bytes (borrowed), may be NULL when @p len is 0.
 * @param len the body length.
 * @param mem allocator for *status_out (copied), or NULL for the default.
 * @return KUBE_OK for success; KUBE_EPROTO for an impossible HTTP status;
 *         KUBE_ENOMEM; otherwise the error code of the answer (KUBE_ENOTFOUND,
 *         KUBE_EFORBIDDEN, KUBE_ETHROTTLED, KUBE_ESERVER, ...), with
 *         kube_error_last() holding the HTTP status, reason and message.
 * Thread-safety: reentrant (writes this thread's error detail).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_status_classify(kube_status_t **status_out, int http_status,
                                              const char *content_type, const char *body,
                                              size_t len, const kube_mem_t *mem);

KUBE_END_DECL

#endif /* KUBE_STATUS_H */
