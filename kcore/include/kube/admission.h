/**
 * @file admission.h
 * @brief Webhook payloads: AdmissionReview (admission.k8s.io/v1) requests and
 *        responses with JSON-patch mutations, warnings and audit annotations, and
 *        CRD ConversionReview (apiextensions.k8s.io/v1) requests and responses.
 *
 * Types only, no server (as kube-rs `admission` and `conversion`): a webhook
 * server parses the request body with kube_admission_review_parse(), decides,
 * builds a response and writes it with kube_admission_response_write().
 *
 * Request views borrow from the review's JSON document: keep the document
 * alive while using them. Response objects are opaque and own their data.
 *
 * Thread-safety: parsing functions are reentrant; a response object must not be
 * used by two threads at once; distinct objects are independent.
 * @since 0.1
 */
#ifndef KUBE_ADMISSION_H
#define KUBE_ADMISSION_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>
#include <kube/json.h>
#include <kube/resource.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/** The operation an admission request is about. */
typedef enum kube_admission_op {
    KUBE_ADMISSION_CREATE = 0, /**< "CREATE" */
    KUBE_ADMISSION_UPDATE = 1, /**< "UPDATE" */
    KUBE_ADMISSION_DELETE = 2, /**< "DELETE" */
    KUBE_ADMISSION_CONNECT = 3 /**< "CONNECT" (exec, attach, port-forward, proxy) */
} kube_admission_op_t;

/** Current version of kube_admission_request_t. */
#define KUBE_ADMISSION_REQUEST_VERSION 1

/**
 * A decoded AdmissionReview request. Strings and JSON values are borrowed from
 * the review document (valid while it lives); absent strings are NULL, absent
 * values NULL. GVK/GVR values are copied inline.
 */
typedef struct kube_admission_request {
    unsigned int struct_version;       /**< KUBE_ADMISSION_REQUEST_VERSION */
    const char *review_api_version;    /**< the review's apiVersion ("admission.k8s.io/v1" or ".../v1beta1") */
    const char *uid;                   /**< request.uid: echo it in the response */
    kube_gvk_t kind;                   /**< request.kind: the object's kind as sent to the webhook */
    kube_gvr_t resource;               /**< request.resource */
    const char *sub_resource;          /**< request.subResource ("status", "scale"), or NULL */
    int has_request_kind;              /**< 1 when request.requestKind was sent */
    kube_gvk_t request_kind;           /**< request.requestKind (the kind of the original API request) */
    int has_request_resource;          /**< 1 when request.requestResource was sent */
    kube_gvr_t request_resource;       /**< request.requestResource */
    const char *request_sub_resource;  /**< request.requestSubResource, or NULL */
    const char *name;                  /**< request.name (may be NULL on CREATE with generateName) */
    const char *ns;                    /**< request.namespace, or NULL for cluster-scoped objects */
    kube_admission_op_t operation;     /**< request.operation */
    const kube_json_t *user_info;      /**< request.userInfo (object), or NULL */
    const char *username;              /**< userInfo.username, or NULL */
    const char *user_uid;              /**< userInfo.uid, or NULL */
    const kube_json_t *user_groups;    /**< userInfo.groups (array of strings), or NULL */
    const kube_json_t *user_extra;     /**< userInfo.extra (object of string arrays), or NULL */
    const kube_json_t *object;         /**< request.object (NULL for DELETE and CONNECT without one) */
    const kube_json_t *old_object;     /**< request.oldObject (UPDATE and DELETE), or NULL */
    int dry_run;                       /**< request.dryRun: 1 when side effects must be skipped */
    const kube_json_t *options;        /**< request.options (CreateOptions, UpdateOptions, ...), or NULL */
} kube_admission_request_t;

/**
 * Decode the request of an AdmissionReview value.
 *
 * Requires `kind: AdmissionReview`, an apiVersion of admission.k8s.io/v1 or
 * v1beta1, and a `request` object with a string uid, kind {group, version,
 * kind}, resource {group, version, resource} and an operation of CREATE,
 * UPDATE, DELETE or CONNECT; the other members are optional.
 *
 * @param[out] out receives borrowed views; untouched on error.
 * @param review the AdmissionReview object (borrowed).
 * @return KUBE_OK; KUBE_EINVAL (missing or mistyped member; kube_error_last()
 *         names it, e.g. "request.operation").
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_request_parse(kube_admission_request_t *out, const kube_json_t *review);

/**
 * Parse an AdmissionReview body (bytes as POSTed by the API server) and decode
 * its request.
 *
 * @param[out] doc_out receives the parsed document (refcount 1); the request's
 *             views borrow from it. Set on success only.
 * @param[out] out the decoded request; untouched on error.
 * @param data the body (not retained). @param len its length.
 * @param mem allocator for the document, or NULL.
 * @return KUBE_OK; KUBE_EINVAL (not JSON, or not a valid review); KUBE_ENOMEM.
 * Ownership: the caller owns *doc_out; release it with kube_json_doc_free()
 * after the last use of @p out.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_review_parse(kube_json_doc_t **doc_out, kube_admission_request_t *out,
                                                     const char *data, size_t len, const kube_mem_t *mem);

/**
 * The wire name of an operation.
 * @param op the operation.
 * @return "CREATE", "UPDATE", "DELETE" or "CONNECT" (static), or NULL for values out of range.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_admission_op_name(kube_admission_op_t op);

/** An admission response under construction (opaque). */
typedef struct kube_admission_response kube_admission_response_t;

/**
 * Start the response to @p req: allowed, uid copied from the request, the
 * review apiVersion of the request (v1 when it had none).
 *
 * @param[out] out receives the response; untouched on error.
 * @param req the decoded request (borrowed; only read during the call).
 * @param mem allocator (copied) or NULL.
 * @return KUBE_OK; KUBE_EINVAL (NULL argument or request without uid); KUBE_ENOMEM.
 * Ownership: release with kube_admission_response_free().
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_response_new(kube_admission_response_t **out,
                                                     const kube_admission_request_t *req, const kube_mem_t *mem);

/**
 * A response for a request that could not even be read (kube-rs
 * `AdmissionResponse::invalid`): not allowed, empty uid, status
 * `{"status":"Failure","message":MSG,"reason":"InvalidRequest","code":400}`,
 * review apiVersion admission.k8s.io/v1.
 * @param[out] out receives it. @param message the reason (copied).
 * @param mem allocator or NULL.
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_response_invalid(kube_admission_response_t **out, const char *message,
                                                         const kube_mem_t *mem);

/**
 * Free an admission response.
 * @param resp the response, or NULL (no-op); invalid afterwards.
 * @since 0.1
 */
KUBE_EXTERN void kube_admission_response_free(kube_admission_response_t *resp);

/**
 * Deny the request: allowed false and status `{"status":"Failure",
 * "message":MSG,"reason":"Forbidden","code":403}`; the API server shows the
 * message to the user. Any patch is dropped (only allowed responses may patch).
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM (response unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_response_deny(kube_admission_response_t *resp, const char *message);

/**
 * Set the response status explicitly (code, reason, message; reason and message
 * may be NULL to omit them). Does not change `allowed`.
 * @return KUBE_OK; KUBE_EINVAL (NULL resp, code outside 0..999); KUBE_ENOMEM (unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_response_set_status(kube_admission_response_t *resp, int code,
                                                            const char *reason, const char *message);

/**
 * Whether the response currently allows the request.
 * @param resp the response (NULL gives 0).
 * @return 1 when allowed, 0 when denied.
 * @since 0.1
 */
KUBE_EXTERN int kube_admission_response_allowed(const kube_admission_response_t *resp);

/**
 * Attach a JSON patch (RFC 6902 array) mutating the request's object: it is
 * serialised compactly, base64-encoded into `patch`, and `patchType` becomes
 * "JSONPatch". Replaces an earlier patch.
 * @param resp an allowed response.
 * @param patch an array value of any mutable document (read during the call).
 * @return KUBE_OK; KUBE_EINVAL (NULL, not an array, or the response denies);
 *         KUBE_ENOMEM (unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_response_set_patch(kube_admission_response_t *resp,
                                                           const kube_json_mut_t *patch);

/**
 * As kube_admission_response_set_patch() with the patch as JSON text (not
 * validated beyond being non-empty).
 * @return KUBE_OK; KUBE_EINVAL; KUBE_ENOMEM (unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_response_set_patch_json(kube_admission_response_t *resp, const char *json,
                                                                size_t len);

/**
 * Add a warning (shown by kubectl as "Warning: ..."); at most 120 characters
 * each is what the API server keeps.
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM (unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_response_add_warning(kube_admission_response_t *resp, const char *warning);

/**
 * Set an audit annotation (`auditAnnotations[key] = value`; the API server
 * prefixes keys with the webhook name). A repeated key replaces the value.
 * @return KUBE_OK; KUBE_EINVAL (NULL or empty key, NULL value); KUBE_ENOMEM (unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_response_set_audit_annotation(kube_admission_response_t *resp,
                                                                      const char *key, const char *value);

/**
 * Build the full AdmissionReview answer: `{"apiVersion": <the request's>,
 * "kind":"AdmissionReview","response":{"uid","allowed","status"?,"patchType"?,
 * "patch"?,"auditAnnotations"?,"warnings"?}}`.
 * @param[out] out a new object value owned by @p doc.
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_response_to_json(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                                         const kube_admission_response_t *resp);

/**
 * Append the AdmissionReview answer as compact JSON text (the HTTP response body).
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM (out unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_admission_response_write(kube_buf_t *out, const kube_admission_response_t *resp);

/* ---- CRD conversion webhooks ---- */

/** Current version of kube_conversion_request_t. */
#define KUBE_CONVERSION_REQUEST_VERSION 1

/** A decoded ConversionReview request; borrowed views into the review document. */
typedef struct kube_conversion_request {
    unsigned int struct_version;     /**< KUBE_CONVERSION_REQUEST_VERSION */
    const char *review_api_version;  /**< "apiextensions.k8s.io/v1" or ".../v1beta1" */
    const char *uid;                 /**< request.uid: echo it in the response */
    const char *desired_api_version; /**< request.desiredAPIVersion ("example.com/v2") */
    const kube_json_t *objects;      /**< request.objects: the array of objects to convert */
    size_t objects_len;              /**< number of objects */
} kube_conversion_request_t;

/**
 * Decode the request of a ConversionReview value (`kind: ConversionReview`,
 * apiextensions.k8s.io/v1 or v1beta1, request with a string uid and
 * desiredAPIVersion and an objects array).
 * @param[out] out borrowed views; untouched on error.
 * @param review the ConversionReview object (borrowed).
 * @return KUBE_OK; KUBE_EINVAL (kube_error_last() names the member).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_conversion_request_parse(kube_conversion_request_t *out, const kube_json_t *review);

/**
 * Parse a ConversionReview body and decode its request (see
 * kube_admission_review_parse() for ownership).
 * @return KUBE_OK; KUBE_EINVAL; KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_conversion_review_parse(kube_json_doc_t **doc_out, kube_conversion_request_t *out,
                                                      const char *data, size_t len, const kube_mem_t *mem);

/** A conversion response under construction (opaque). */
typedef struct kube_conversion_response kube_conversion_response_t;

/**
 * Start the response to @p req: uid copied, result Success, no converted
 * objects yet (kube-rs `ConversionResponse::for_request`).
 * @param[out] out receives it. @param req the request (read during the call).
 * @param mem allocator (copied) or NULL.
 * @return KUBE_OK; KUBE_EINVAL (NULL argument, no uid); KUBE_ENOMEM.
 * Ownership: release with kube_conversion_response_free().
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_conversion_response_new(kube_conversion_response_t **out,
                                                      const kube_conversion_request_t *req, const kube_mem_t *mem);

/**
 * A failure response for a request that could not be read: empty uid, result
 * `{"status":"Failure","message":MSG,"reason":"InvalidRequest"}`.
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_conversion_response_invalid(kube_conversion_response_t **out, const char *message,
                                                          const kube_mem_t *mem);

/**
 * Free a conversion response and its document.
 * @param resp the response, or NULL (no-op); invalid afterwards.
 * @since 0.1
 */
KUBE_EXTERN void kube_conversion_response_free(kube_conversion_response_t *resp);

/**
 * The mutable document converted objects are built in; values added with
 * kube_conversion_response_add() must come from it. Borrowed; owned by @p resp.
 * @since 0.1
 */
KUBE_EXTERN kube_json_mut_doc_t *kube_conversion_response_doc(kube_conversion_response_t *resp);

/**
 * Append a converted object (in request order). The object must be a detached
 * value of kube_conversion_response_doc(); ownership stays with that document.
 * @return KUBE_OK; KUBE_EINVAL (NULL, not an object); KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_conversion_response_add(kube_conversion_response_t *resp, kube_json_mut_t *obj);

/**
 * Append a deep copy of an immutable object (for objects already in the desired
 * version, or built elsewhere).
 * @return KUBE_OK; KUBE_EINVAL (NULL, not an object); KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_conversion_response_add_copy(kube_conversion_response_t *resp, const kube_json_t *obj);

/**
 * Mark the conversion failed: result `{"status":"Failure","message":MSG}` and
 * no converted objects in the answer (the API server rejects partial results).
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM (unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_conversion_response_fail(kube_conversion_response_t *resp, const char *message);

/**
 * Build the ConversionReview answer: `{"apiVersion": <the request's>,
 * "kind":"ConversionReview","response":{"uid","convertedObjects":[...],
 * "result":{"status":"Success"}}}` (or the failure result with an empty list).
 * @param[out] out a new object value owned by @p doc.
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_conversion_response_to_json(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                                          const kube_conversion_response_t *resp);

/**
 * Append the ConversionReview answer as compact JSON text.
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM (out unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_conversion_response_write(kube_buf_t *out, const kube_conversion_response_t *resp);

KUBE_END_DECL

#endif /* KUBE_ADMISSION_H */
