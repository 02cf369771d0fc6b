/**
 * @file request.h
 * @brief Requests are values: builders that turn a verb, a resource and its
 *        parameters into a kube_http_request_t (method, path with query,
 *        headers, body), with no I/O.
 *
 * The transport in libkube-client only executes a kube_http_request_t; tests
 * compare its strings exactly. URL layout (apiserver-spec section 1):
 *
 * | call | path |
 * |---|---|
 * | collection, core group, namespaced | `/api/v1/namespaces/NS/pods` |
 * | collection, named group | `/apis/apps/v1/namespaces/NS/deployments` |
 * | cluster scope, or all namespaces (list/watch) | `/api/v1/nodes`, `/api/v1/pods` |
 * | object | `.../pods/NAME` |
 * | subresource | `.../deployments/NAME/scale` |
 *
 * Query strings follow kube-rs's parameter order (see each builder) and are
 * encoded as application/x-www-form-urlencoded exactly as kube-rs's
 * form_urlencoded does: ASCII letters, digits and `*-._` stay, space becomes
 * `+`, every other byte becomes `%XX` (upper-case hex). So
 * `labelSelector=app in (a,b)` is sent as `labelSelector=app+in+%28a%2Cb%29`.
 * Unlike kube-rs, a path without parameters carries no trailing `?` and the
 * query never starts with `&`. Path segments (namespace, name, subresource)
 * are percent-encoded like Go's url.PathEscape: letters, digits, `-._~` and
 * `$&+:=@` stay, everything else (including `/`) becomes `%XX`.
 *
 * Headers: every request carries `Accept: application/json` (the
 * PartialObjectMetadata variants for the `_metadata` builders,
 * `application/json` plus the any-type wildcard for logs, as kubectl sends), and
 * `Content-Type` when it has a body
 * (`application/json`, or the patch type's media type).
 *
 * ## Common contract of every kube_request_*() builder
 * - @p req must have been initialised with kube_http_request_init(). On
 *   success its previous content is released and replaced; on error it is left
 *   unchanged.
 * - @p res is borrowed for the call. A NULL or empty @p ns means "no namespace":
 *   cluster-scoped resources take none (passing one is KUBE_EINVAL), namespaced
 *   resources need one for everything but list, watch and their metadata
 *   variants (which then span all namespaces).
 * - Names must be non-empty and not "." or ".."; kube_error_last() names the
 *   offending argument.
 * - NULL parameter pointers mean the defaults (the `_INIT` values).
 * - Returns KUBE_OK; KUBE_EINVAL for invalid arguments or parameters (the
 *   params.h validation rules); KUBE_ENOMEM.
 * - Thread-safety: reentrant; concurrent calls must use different @p req.
 *
 * @since 0.1
 */
#ifndef KUBE_REQUEST_H
#define KUBE_REQUEST_H

#include <string.h>

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>
#include <kube/json.h>
#include <kube/params.h>
#include <kube/resource.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/* ---- bodies ---- */

/** What a kube_body_t holds. */
typedef enum kube_body_kind {
    KUBE_BODY_NONE = 0,     /**< no body */
    KUBE_BODY_BYTES = 1,    /**< JSON text, sent as is (not validated) */
    KUBE_BODY_JSON = 2,     /**< an immutable JSON value, serialised compactly */
    KUBE_BODY_JSON_MUT = 3, /**< a mutable JSON value, serialised compactly */
    KUBE_BODY_STRING = 4    /**< a UTF-8 string, serialised as a JSON string (for patch values) */
} kube_body_kind_t;

/**
 * A JSON value handed to a builder, in one of several forms. Make one with
 * kube_body_bytes(), kube_body_json(), kube_body_json_mut() or kube_body_string().
 * Everything it points to is borrowed for the duration of the call only.
 */
typedef struct kube_body {
    kube_body_kind_t kind;           /**< which member is used */
    const void *bytes;               /**< KUBE_BODY_BYTES: JSON text; KUBE_BODY_STRING: the string */
    size_t len;                      /**< length of @ref bytes */
    const kube_json_t *json;         /**< KUBE_BODY_JSON: the value */
    const kube_json_mut_t *json_mut; /**< KUBE_BODY_JSON_MUT: the value */
} kube_body_t;

/** A body of @p len bytes of JSON text (borrowed; sent verbatim). @since 0.1 */
static inline kube_body_t kube_body_bytes(const void *data, size_t len)
{
    kube_body_t b = {KUBE_BODY_BYTES, data, len, NULL, NULL};
    return b;
}

/** A body serialised from an immutable JSON value (borrowed). @since 0.1 */
static inline kube_body_t kube_body_json(const kube_json_t *value)
{
    kube_body_t b = {KUBE_BODY_JSON, NULL, 0, value, NULL};
    return b;
}

/** A body serialised from a mutable JSON value (borrowed). @since 0.1 */
static inline kube_body_t kube_body_json_mut(const kube_json_mut_t *value)
{
    kube_body_t b = {KUBE_BODY_JSON_MUT, NULL, 0, NULL, value};
    return b;
}

/** The JSON string value of the NUL-terminated UTF-8 @p s (borrowed). @since 0.1 */
static inline kube_body_t kube_body_string(const char *s)
{
    kube_body_t b = {KUBE_BODY_STRING, s, s ? strlen(s) : 0, NULL, NULL};
    return b;
}

/**
 * Append the JSON text of @p body to @p out (compact).
 * @param[out] out buffer appended to (caller-owned).
 * @param body the value.
 * @return KUBE_OK; KUBE_EINVAL (KUBE_BODY_NONE, a NULL value, or a string that
 *         is not valid UTF-8); KUBE_ENOMEM (out keeps its old content).
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_body_write(kube_buf_t *out, kube_body_t body);

/* ---- the request value ---- */

/** One HTTP header; both strings are owned by the request. */
typedef struct kube_http_header {
    char *name;  /**< header name ("Accept") */
    char *value; /**< header value */
} kube_http_header_t;

/** Current version of kube_http_request_t. */
#define KUBE_HTTP_REQUEST_VERSION 1

/** Request flag: the response is an open-ended stream (watch, followed log). */
#define KUBE_HTTP_STREAM 0x1u
/** Request flag: the request must be upgraded to a WebSocket (exec, attach, portforward). */
#define KUBE_HTTP_UPGRADE 0x2u

/**
 * An HTTP request as a value. The struct is caller-owned storage; its contents
 * are allocated by libkube with the allocator given to kube_http_request_init().
 * Read the fields; change them only through the functions below.
 */
typedef struct kube_http_request {
    unsigned int version;        /**< KUBE_HTTP_REQUEST_VERSION */
    const char *method;          /**< "GET", "POST", "PUT", "PATCH" or "DELETE" (static storage), or NULL while empty */
    char *path;                  /**< path and query ("/api/v1/pods?limit=5"), or NULL while empty */
    kube_http_header_t *headers; /**< @ref header_count headers in order */
    size_t header_count;         /**< number of headers */
    char *body;                  /**< body bytes (NUL-terminated for convenience), or NULL when there is no body */
    size_t body_len;             /**< body length in bytes (0 for no body) */
    unsigned int flags;          /**< KUBE_HTTP_STREAM, KUBE_HTTP_UPGRADE */
    size_t header_cap_;          /**< private: allocated header slots */
    kube_mem_t mem;              /**< private: the allocator */
} kube_http_request_t;

/**
 * Initialise an empty request whose contents will be allocated with @p mem.
 * Never allocates; cannot fail.
 * @param[out] req caller-owned storage.
 * @param mem allocator (copied), or NULL for the default.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN void kube_http_request_init(kube_http_request_t *req, const kube_mem_t *mem);

/**
 * Release the request's contents (header values and the body are wiped first,
 * since they may carry credentials or Secret data) and leave it empty and
 * reusable. Accepts NULL.
 * @param req the request.
 * Thread-safety: not thread-safe for one request; reentrant across requests.
 * @since 0.1
 */
KUBE_EXTERN void kube_http_request_dispose(kube_http_request_t *req);

/**
 * The value of the first header called @p name (ASCII case-insensitive).
 * @return a borrowed string valid until @p req changes, or NULL when absent.
 * Thread-safety: not thread-safe for one request; reentrant across requests.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_http_request_header(const kube_http_request_t *req, const char *name);

/**
 * Set header @p name to @p value, replacing every header of that name (ASCII
 * case-insensitive) or appending a new one. For callers that add their own
 * headers (authentication, user agent, WebSocket negotiation).
 * @param req the request. @param name header name (copied). @param value value (copied).
 * @return KUBE_OK; KUBE_EINVAL (NULL, empty or malformed name, CR/LF in the
 *         value); KUBE_ENOMEM (request unchanged).
 * Thread-safety: not thread-safe for one request; reentrant across requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_http_request_set_header(kube_http_request_t *req, const char *name,
                                                      const char *value);

/* ---- core verbs ---- */

/**
 * GET one object: `GET {collection}/{name}[?resourceVersion=RV]`.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace or NULL.
 * @param name object name. @param params get parameters or NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_get(kube_http_request_t *req, const kube_resource_t *res,
                                          const char *ns, const char *name,
                                          const kube_get_params_t *params);

/**
 * List a collection: `GET {collection}?fieldSelector&labelSelector&timeoutSeconds&limit&continue&resourceVersion&resourceVersionMatch`
 * (each only when set; see kube_list_params_t for the resourceVersion rules).
 * A namespaced resource with no @p ns lists across all namespaces.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace or NULL. @param params or NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_list(kube_http_request_t *req, const kube_resource_t *res,
                                           const char *ns, const kube_list_params_t *params);

/**
 * Watch a collection: `GET {collection}?watch=true&timeoutSeconds=290[&fieldSelector][&labelSelector]
 * [&allowWatchBookmarks=true][&sendInitialEvents=true&resourceVersionMatch=NotOlderThan][&resourceVersion=RV]`.
 * Sets KUBE_HTTP_STREAM.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace or NULL (all namespaces).
 * @param params watch parameters or NULL.
 * @param resource_version where to start; NULL omits the parameter, "" sends it empty
 *        (a consistent read for streaming lists), "0" means any cached state.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_watch(kube_http_request_t *req, const kube_resource_t *res,
                                            const char *ns, const kube_watch_params_t *params,
                                            const char *resource_version);

/**
 * Create an object: `POST {collection}[?dryRun=All][&fieldManager=M][&fieldValidation=V]`
 * with the object as a JSON body.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace (required when namespaced).
 * @param params post parameters or NULL. @param body the object (see kube_body_t).
 * @return KUBE_OK, KUBE_EINVAL (also for KUBE_BODY_NONE), KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_create(kube_http_request_t *req, const kube_resource_t *res,
                                             const char *ns, const kube_post_params_t *params,
                                             kube_body_t body);

/**
 * Replace an object (HTTP PUT; the body should carry metadata.resourceVersion):
 * `PUT {collection}/{name}[?dryRun=All][&fieldManager=M][&fieldValidation=V]`.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param params post parameters or NULL. @param body the full object.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_update(kube_http_request_t *req, const kube_resource_t *res,
                                             const char *ns, const char *name,
                                             const kube_post_params_t *params, kube_body_t body);

/**
 * Patch an object: `PATCH {collection}/{name}[?dryRun=All][&force=true][&fieldManager=M][&fieldValidation=V]`
 * with `Content-Type` from @p type (kube_patch_content_type()). Server-side apply
 * (KUBE_PATCH_APPLY) sends JSON under `application/apply-patch+yaml` and needs
 * a field manager; `force` is only valid with it.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param params patch parameters or NULL (NULL is invalid for KUBE_PATCH_APPLY).
 * @param type patch type. @param patch the patch document.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_patch(kube_http_request_t *req, const kube_resource_t *res,
                                            const char *ns, const char *name,
                                            const kube_patch_params_t *params,
                                            kube_patch_type_t type, kube_body_t patch);

/**
 * Delete an object: `DELETE {collection}/{name}` with a DeleteOptions body
 * (`{"kind":"DeleteOptions","apiVersion":"v1",...}`, see kube_delete_params_t).
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param params delete options or NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_delete(kube_http_request_t *req, const kube_resource_t *res,
                                             const char *ns, const char *name,
                                             const kube_delete_params_t *params);

/**
 * Delete a collection: `DELETE {collection}[?fieldSelector=F][&labelSelector=L]`.
 * Only the selectors of @p list_params are used. The body is empty when
 * @p params are all defaults (kube-rs), a DeleteOptions otherwise.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace (required when namespaced).
 * @param params delete options or NULL. @param list_params selectors or NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_deletecollection(kube_http_request_t *req,
                                                       const kube_resource_t *res, const char *ns,
                                                       const kube_delete_params_t *params,
                                                       const kube_list_params_t *list_params);

/* ---- generic subresources ---- */

/**
 * GET a subresource: `GET {collection}/{name}/{subresource}`.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param subresource subresource name ("status", "scale"; one path segment).
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_get_subresource(kube_http_request_t *req,
                                                      const kube_resource_t *res, const char *ns,
                                                      const char *name, const char *subresource);

/**
 * POST to a subresource: `POST {collection}/{name}/{subresource}` with post
 * parameters and a JSON body.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param subresource subresource name. @param params or NULL. @param body the body.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_create_subresource(kube_http_request_t *req,
                                                         const kube_resource_t *res, const char *ns,
                                                         const char *name, const char *subresource,
                                                         const kube_post_params_t *params,
                                                         kube_body_t body);

/**
 * PUT a subresource: `PUT {collection}/{name}/{subresource}`.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param subresource subresource name. @param params or NULL. @param body the body.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_update_subresource(kube_http_request_t *req,
                                                         const kube_resource_t *res, const char *ns,
                                                         const char *name, const char *subresource,
                                                         const kube_post_params_t *params,
                                                         kube_body_t body);

/**
 * PATCH a subresource: `PATCH {collection}/{name}/{subresource}` (rules as kube_request_patch()).
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param subresource subresource name. @param params or NULL. @param type patch type.
 * @param patch the patch document.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_patch_subresource(kube_http_request_t *req,
                                                        const kube_resource_t *res, const char *ns,
                                                        const char *name, const char *subresource,
                                                        const kube_patch_params_t *params,
                                                        kube_patch_type_t type, kube_body_t patch);

/**
 * GET the `status` subresource (kube_request_get_subresource() with "status").
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_get_status(kube_http_request_t *req, const kube_resource_t *res,
                                                 const char *ns, const char *name);

/**
 * PUT the `status` subresource.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param params or NULL. @param body the object with its status.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_update_status(kube_http_request_t *req,
                                                    const kube_resource_t *res, const char *ns,
                                                    const char *name, const kube_post_params_t *params,
                                                    kube_body_t body);

/**
 * PATCH the `status` subresource.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param params or NULL. @param type patch type. @param patch the patch.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_patch_status(kube_http_request_t *req,
                                                   const kube_resource_t *res, const char *ns,
                                                   const char *name, const kube_patch_params_t *params,
                                                   kube_patch_type_t type, kube_body_t patch);

/**
 * GET the `scale` subresource (an autoscaling/v1 Scale).
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_get_scale(kube_http_request_t *req, const kube_resource_t *res,
                                                const char *ns, const char *name);

/**
 * PUT the `scale` subresource with a Scale body.
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param params or NULL. @param body the Scale.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_update_scale(kube_http_request_t *req,
                                                   const kube_resource_t *res, const char *ns,
                                                   const char *name, const kube_post_params_t *params,
                                                   kube_body_t body);

/**
 * PATCH the `scale` subresource (`{"spec":{"replicas":3}}` as a merge patch, typically).
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param params or NULL. @param type patch type. @param patch the patch.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_patch_scale(kube_http_request_t *req,
                                                  const kube_resource_t *res, const char *ns,
                                                  const char *name, const kube_patch_params_t *params,
                                                  kube_patch_type_t type, kube_body_t patch);

/* ---- metadata-only (PartialObjectMetadata) ---- */

/** Accept header of the metadata-only single-object and watch requests. */
#define KUBE_ACCEPT_METADATA "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"
/** Accept header of the metadata-only list request. */
#define KUBE_ACCEPT_METADATA_LIST "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"

/**
 * As kube_request_get(), answering a PartialObjectMetadata (Accept KUBE_ACCEPT_METADATA).
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param params or NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_get_metadata(kube_http_request_t *req,
                                                   const kube_resource_t *res, const char *ns,
                                                   const char *name, const kube_get_params_t *params);

/**
 * As kube_request_list(), answering a PartialObjectMetadataList (Accept KUBE_ACCEPT_METADATA_LIST).
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace or NULL. @param params or NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_list_metadata(kube_http_request_t *req,
                                                    const kube_resource_t *res, const char *ns,
                                                    const kube_list_params_t *params);

/**
 * As kube_request_watch(), with events carrying PartialObjectMetadata (Accept KUBE_ACCEPT_METADATA).
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace or NULL. @param params or NULL.
 * @param resource_version as for kube_request_watch().
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_watch_metadata(kube_http_request_t *req,
                                                     const kube_resource_t *res, const char *ns,
                                                     const kube_watch_params_t *params,
                                                     const char *resource_version);

/**
 * As kube_request_patch(), answering a PartialObjectMetadata (Accept KUBE_ACCEPT_METADATA).
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param params or NULL. @param type patch type. @param patch the patch.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_patch_metadata(kube_http_request_t *req,
                                                     const kube_resource_t *res, const char *ns,
                                                     const char *name,
                                                     const kube_patch_params_t *params,
                                                     kube_patch_type_t type, kube_body_t patch);

/* ---- pods: log, eviction, exec, attach, port-forward, ephemeral containers ---- */

/**
 * Read a pod's log: `GET /api/v1/namespaces/NS/pods/POD/log?container&follow&limitBytes&pretty&previous
 * &sinceSeconds|sinceTime&tailLines&timestamps` (each only when set), Accept
 * `application/json` plus the any-type wildcard (the log itself is text/plain). Sets
 * KUBE_HTTP_STREAM when following.
 * @param[out] req the request to fill (see the common contract). @param ns namespace (required). @param pod pod name. @param params or NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_log(kube_http_request_t *req, const char *ns, const char *pod,
                                          const kube_log_params_t *params);

/**
 * Evict a pod: `POST /api/v1/namespaces/NS/pods/POD/eviction[?dryRun=All][&fieldManager=M]` with a
 * policy/v1 Eviction body: `{"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":POD,
 * "namespace":NS}[,"deleteOptions":{...}]}` (deleteOptions only when not all default).
 * @param[out] req the request to fill (see the common contract). @param ns namespace (required). @param pod pod name. @param params or NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_evict(kube_http_request_t *req, const char *ns, const char *pod,
                                            const kube_evict_params_t *params);

/**
 * Run a command in a pod: `GET /api/v1/namespaces/NS/pods/POD/exec?[stdin=true][&stdout=true]
 * [&stderr=true][&tty=true][&container=C]&command=ARGV0&command=ARGV1...` (one `command` per
 * argument, in order). Sets KUBE_HTTP_UPGRADE: the transport negotiates the WebSocket.
 * @param[out] req the request to fill (see the common contract). @param ns namespace (required). @param pod pod name.
 * @param argv the command and its arguments (borrowed; @p argc strings, none NULL).
 * @param argc number of arguments (at least 1). @param params streams, or NULL for the defaults.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_exec(kube_http_request_t *req, const char *ns, const char *pod,
                                           const char *const *argv, size_t argc,
                                           const kube_attach_params_t *params);

/**
 * Attach to a pod's running container: `GET /api/v1/namespaces/NS/pods/POD/attach?...`
 * (stream parameters as for kube_request_exec()). Sets KUBE_HTTP_UPGRADE.
 * @param[out] req the request to fill (see the common contract). @param ns namespace (required). @param pod pod name. @param params or NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_attach(kube_http_request_t *req, const char *ns, const char *pod,
                                             const kube_attach_params_t *params);

/**
 * Forward ports of a pod: `GET /api/v1/namespaces/NS/pods/POD/portforward?ports=80%2C443`
 * (one comma-joined `ports` parameter, as kube-rs sends it). Sets KUBE_HTTP_UPGRADE.
 * @param[out] req the request to fill (see the common contract). @param ns namespace (required). @param pod pod name.
 * @param ports the ports (borrowed; 1..128, unique, non-zero). @param count how many.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_portforward(kube_http_request_t *req, const char *ns,
                                                  const char *pod, const uint16_t *ports,
                                                  size_t count);

/**
 * GET a pod's `ephemeralcontainers` subresource.
 * @param[out] req the request to fill (see the common contract). @param ns namespace (required). @param pod pod name.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_get_ephemeral_containers(kube_http_request_t *req,
                                                               const char *ns, const char *pod);

/**
 * PUT a pod's `ephemeralcontainers` subresource (the whole Pod with its
 * spec.ephemeralContainers).
 * @param[out] req the request to fill (see the common contract). @param ns namespace (required). @param pod pod name.
 * @param params or NULL. @param body the Pod.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_update_ephemeral_containers(kube_http_request_t *req,
                                                                  const char *ns, const char *pod,
                                                                  const kube_post_params_t *params,
                                                                  kube_body_t body);

/**
 * PATCH a pod's `ephemeralcontainers` subresource (kubectl debug sends a strategic merge patch).
 * @param[out] req the request to fill (see the common contract). @param ns namespace (required). @param pod pod name.
 * @param params or NULL. @param type patch type. @param patch the patch.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_patch_ephemeral_containers(kube_http_request_t *req,
                                                                 const char *ns, const char *pod,
                                                                 const kube_patch_params_t *params,
                                                                 kube_patch_type_t type,
                                                                 kube_body_t patch);

/* ---- kubelet debug endpoints (kube-rs kubelet_debug) ---- */

/**
 * Read a container's log from the kubelet directly (its debugging API, port 10250;
 * the transport picks the node's address): `GET /containerLogs/NS/POD/CONTAINER?follow&limitBytes
 * &pretty&previous&sinceSeconds|sinceTime&tailLines&timestamps`. Sets KUBE_HTTP_STREAM when following.
 * @param[out] req the request to fill (see the common contract). @param ns pod namespace.
 * @param pod pod name. @param container container name.
 * @param params log parameters or NULL; their `container` must be NULL (it is in the path).
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_kubelet_logs(kube_http_request_t *req, const char *ns,
                                                   const char *pod, const char *container,
                                                   const kube_log_params_t *params);

/**
 * Run a command through the kubelet directly: `GET /exec/NS/POD[/UID]/CONTAINER?[input=1]
 * [&output=1][&error=1][&tty=1]&command=ARGV0...` (the kubelet's own stream parameter
 * names). Sets KUBE_HTTP_UPGRADE.
 * @param[out] req the request to fill (see the common contract). @param ns pod namespace.
 * @param pod pod name. @param pod_uid the pod's UID (checked by the kubelet), or NULL.
 * @param container container name. @param argv command (@p argc strings). @param argc at least 1.
 * @param params streams or NULL; their `container` must be NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_kubelet_exec(kube_http_request_t *req, const char *ns,
                                                   const char *pod, const char *pod_uid,
                                                   const char *container, const char *const *argv,
                                                   size_t argc, const kube_attach_params_t *params);

/**
 * Attach through the kubelet directly: `GET /attach/NS/POD[/UID]/CONTAINER?...` (stream
 * parameters as for kube_request_kubelet_exec()). Sets KUBE_HTTP_UPGRADE.
 * @param[out] req the request to fill (see the common contract). @param ns pod namespace.
 * @param pod pod name. @param pod_uid the pod's UID, or NULL. @param container container name.
 * @param params streams or NULL; their `container` must be NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_kubelet_attach(kube_http_request_t *req, const char *ns,
                                                     const char *pod, const char *pod_uid,
                                                     const char *container,
                                                     const kube_attach_params_t *params);

/**
 * Forward ports through the kubelet directly: `GET /portForward/NS/POD[/UID]?port=80%2C443`.
 * Sets KUBE_HTTP_UPGRADE.
 * @param[out] req the request to fill (see the common contract). @param ns pod namespace.
 * @param pod pod name. @param pod_uid the pod's UID, or NULL.
 * @param ports the ports (1..128, unique, non-zero). @param count how many.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_kubelet_portforward(kube_http_request_t *req, const char *ns,
                                                          const char *pod, const char *pod_uid,
                                                          const uint16_t *ports, size_t count);

/* ---- other helpers ---- */

/**
 * Ask for a service account token: `POST /api/v1/namespaces/NS/serviceaccounts/SA/token` with
 * `{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{"audiences":[...]
 * [,"expirationSeconds":N][,"boundObjectRef":{"kind":..,"apiVersion":..,"name":..,"uid":..}]}}`.
 * @param[out] req the request to fill (see the common contract). @param ns namespace (required). @param service_account the account's name.
 * @param params token parameters or NULL.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_create_token(kube_http_request_t *req, const char *ns,
                                                   const char *service_account,
                                                   const kube_token_request_params_t *params);

/** Current version of kube_csr_approval_params_t. */
#define KUBE_CSR_APPROVAL_PARAMS_VERSION 1

/**
 * The condition added by kube_request_approve_csr(). kcore has no clock: pass
 * the time yourself if you want `lastUpdateTime` set.
 */
typedef struct kube_csr_approval_params {
    unsigned int version;         /**< KUBE_CSR_APPROVAL_PARAMS_VERSION */
    int deny;                     /**< nonzero: add a `Denied` condition instead of `Approved` */
    const char *reason;           /**< condition reason; NULL: "KubeApprove" / "KubeDeny" */
    const char *message;          /**< condition message; NULL: "This CSR was approved by libkube." / "... denied ..." */
    const char *last_update_time; /**< RFC 3339 time for `lastUpdateTime`, or NULL to omit it */
} kube_csr_approval_params_t;

/** Static initialiser: approve, default reason and message, no time. */
#define KUBE_CSR_APPROVAL_PARAMS_INIT { KUBE_CSR_APPROVAL_PARAMS_VERSION, 0, NULL, NULL, NULL }

/**
 * Approve (or deny) a CertificateSigningRequest: `PUT
 * /apis/certificates.k8s.io/v1/certificatesigningrequests/NAME/approval` with @p csr
 * (as last read from the server) plus a condition `{"type":"Approved"|"Denied",
 * "status":"True","reason":..,"message":..[,"lastUpdateTime":..]}` appended to
 * status.conditions. NAME is the CSR's metadata.name.
 * @param[out] req the request to fill (see the common contract). @param csr the CSR object (borrowed). @param params or NULL.
 * @return KUBE_OK; KUBE_EINVAL (not an object, no metadata.name, malformed
 *         status.conditions); KUBE_EEXISTS (the CSR already carries an
 *         Approved or Denied condition: approval decisions are final);
 *         KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_approve_csr(kube_http_request_t *req, const kube_json_t *csr,
                                                  const kube_csr_approval_params_t *params);

/**
 * Restart a workload's pods as `kubectl rollout restart` does: a merge patch
 * `{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":TIME}}}}}`
 * (Deployments, DaemonSets, StatefulSets, ReplicaSets; any resource with a pod template).
 * @param[out] req the request to fill (see the common contract). @param res resource. @param ns namespace. @param name object name.
 * @param restarted_at the annotation value, an RFC 3339 time (kcore has no clock).
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_restart(kube_http_request_t *req, const kube_resource_t *res,
                                              const char *ns, const char *name,
                                              const char *restarted_at);

/**
 * Mark a node unschedulable: `PATCH /api/v1/nodes/NODE` with the strategic merge
 * patch `{"spec":{"unschedulable":true}}` (as kube-rs and kubectl send it).
 * @param[out] req the request to fill (see the common contract). @param node node name.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_cordon(kube_http_request_t *req, const char *node);

/**
 * Mark a node schedulable again: as kube_request_cordon() with `false`.
 * @param[out] req the request to fill (see the common contract). @param node node name.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_uncordon(kube_http_request_t *req, const char *node);

/**
 * A request to any path (non-resource endpoints such as `/version`, proxies,
 * aggregated APIs): @p path_and_query is used verbatim.
 * @param[out] req the request to fill (see the common contract). @param method "GET", "POST", "PUT", "PATCH", "DELETE" or "HEAD".
 * @param path_and_query starts with '/'; no spaces or control characters.
 * @param body the body, or a KUBE_BODY_NONE body (zeroed struct) for none.
 * @param content_type Content-Type of the body; NULL means `application/json`.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Ownership: nothing passed in is retained; the contents of @p req belong to it
 *   (release with kube_http_request_dispose()).
 * Thread-safety: reentrant; concurrent calls need distinct requests.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_request_raw(kube_http_request_t *req, const char *method,
                                          const char *path_and_query, kube_body_t body,
                                          const char *content_type);

KUBE_END_DECL

#endif /* KUBE_REQUEST_H */
