/**
 * @file params.h
 * @brief Per-call parameters of Kubernetes API requests (list, get, watch, post,
 *        patch, delete, log, evict, attach/exec, token request) and their validation.
 *
 * Each parameter set is a versioned transparent struct. Initialise it with its
 * `KUBE_*_PARAMS_INIT` macro or its `kube_*_params_init()` function, then set
 * the fields you need; the request builders of <kube/request.h> validate it and
 * map it to query parameters (or a body) exactly as kube-rs does:
 *
 * | struct | query / body |
 * |---|---|
 * | kube_list_params_t | fieldSelector, labelSelector, timeoutSeconds, limit, continue, resourceVersion, resourceVersionMatch |
 * | kube_get_params_t | resourceVersion |
 * | kube_watch_params_t | watch=true, timeoutSeconds, fieldSelector, labelSelector, allowWatchBookmarks, sendInitialEvents, resourceVersionMatch |
 * | kube_post_params_t | dryRun=All, fieldManager, fieldValidation |
 * | kube_patch_params_t | dryRun=All, force, fieldManager, fieldValidation |
 * | kube_delete_params_t | body: DeleteOptions |
 * | kube_log_params_t | container, follow, limitBytes, pretty, previous, sinceSeconds / sinceTime, tailLines, timestamps |
 * | kube_attach_params_t | stdin, stdout, stderr, tty, container |
 *
 * String fields are borrowed: they must stay valid for the duration of the
 * call that reads them and are never retained. NULL means "not set".
 * Optional integers use KUBE_PARAM_UNSET (-1) for "not set" where 0 is a
 * meaningful value.
 *
 * Validation failures return KUBE_EINVAL and record a kube_error_last()
 * message that names the field ("kube_watch_params_t.timeout_seconds must be < 295").
 *
 * Thread-safety: the structs are plain values; the functions are reentrant and
 * only read their arguments.
 * @since 0.1
 */
#ifndef KUBE_PARAMS_H
#define KUBE_PARAMS_H

#include <kube/common.h>
#include <kube/error.h>

KUBE_BEGIN_DECL

/** "Not set" for optional signed integer parameters where 0 is meaningful. */
#define KUBE_PARAM_UNSET (-1)

/** Longest fieldManager accepted (bytes), as the API server enforces. */
#define KUBE_FIELD_MANAGER_MAX_LEN 128

/** Watch timeout used by KUBE_WATCH_PARAMS_INIT (seconds; kube-rs's default). */
#define KUBE_WATCH_DEFAULT_TIMEOUT 290

/** Watch timeouts must stay below this many seconds (kubernetes/kubernetes#6513). */
#define KUBE_WATCH_TIMEOUT_LIMIT 295

/** How a list's resourceVersion is matched (`resourceVersionMatch`). */
typedef enum kube_version_match {
    KUBE_VERSION_MATCH_UNSET = 0,          /**< not sent: the server's default semantics */
    KUBE_VERSION_MATCH_NOT_OLDER_THAN = 1, /**< `NotOlderThan`: data at least as new as resourceVersion */
    KUBE_VERSION_MATCH_EXACT = 2           /**< `Exact`: data at exactly resourceVersion (not "0") */
} kube_version_match_t;

/** Server-side field validation directive (`fieldValidation`). */
typedef enum kube_field_validation {
    KUBE_FIELD_VALIDATION_UNSET = 0,  /**< not sent (the server defaults to Warn) */
    KUBE_FIELD_VALIDATION_STRICT = 1, /**< `Strict`: unknown or duplicate fields fail the request */
    KUBE_FIELD_VALIDATION_WARN = 2,   /**< `Warn`: they come back as Warning headers */
    KUBE_FIELD_VALIDATION_IGNORE = 3  /**< `Ignore`: they are dropped silently */
} kube_field_validation_t;

/** Garbage-collection policy of a delete (`propagationPolicy`). */
typedef enum kube_propagation {
    KUBE_PROPAGATION_UNSET = 0,      /**< not sent: the resource's default */
    KUBE_PROPAGATION_ORPHAN = 1,     /**< `Orphan`: dependents are kept */
    KUBE_PROPAGATION_BACKGROUND = 2, /**< `Background`: dependents are deleted afterwards */
    KUBE_PROPAGATION_FOREGROUND = 3  /**< `Foreground`: dependents are deleted first */
} kube_propagation_t;

/** The four PATCH flavours; each has its own Content-Type (see kube_patch_content_type()). */
typedef enum kube_patch_type {
    KUBE_PATCH_MERGE = 1,     /**< RFC 7386 JSON merge patch, `application/merge-patch+json` */
    KUBE_PATCH_JSON = 2,      /**< RFC 6902 JSON patch, `application/json-patch+json` */
    KUBE_PATCH_STRATEGIC = 3, /**< strategic merge patch (built-in kinds only), `application/strategic-merge-patch+json` */
    KUBE_PATCH_APPLY = 4      /**< server-side apply, `application/apply-patch+yaml` with a JSON body */
} kube_patch_type_t;

/* ---- list ---- */

/** Current version of kube_list_params_t. */
#define KUBE_LIST_PARAMS_VERSION 1

/**
 * Parameters of a list (and the selectors of a deletecollection).
 *
 * Mapping rules (kube-rs): with a continue token, resourceVersion and
 * resourceVersionMatch are not sent; resourceVersion "0" (and its match) is not
 * sent when a limit is set, because the API server's watch cache cannot
 * paginate. Validation: a version_match needs a resource_version, and
 * KUBE_VERSION_MATCH_EXACT needs one other than "0".
 */
typedef struct kube_list_params {
    unsigned int version;               /**< KUBE_LIST_PARAMS_VERSION */
    const char *label_selector;         /**< `labelSelector` ("app in (a,b),!canary"), or NULL */
    const char *field_selector;         /**< `fieldSelector` ("metadata.name=x"), or NULL */
    uint32_t timeout_seconds;           /**< `timeoutSeconds`; 0: not sent */
    uint32_t limit;                     /**< `limit` (page size); 0: not sent (no paging) */
    const char *continue_token;         /**< `continue` from the previous page, or NULL */
    const char *resource_version;       /**< `resourceVersion`, or NULL */
    kube_version_match_t version_match; /**< `resourceVersionMatch` */
} kube_list_params_t;

/** Static initialiser: no selectors, no paging, most recent data. */
#define KUBE_LIST_PARAMS_INIT \
    { KUBE_LIST_PARAMS_VERSION, NULL, NULL, 0, 0, NULL, NULL, KUBE_VERSION_MATCH_UNSET }

/**
 * Initialise @p params to the defaults of KUBE_LIST_PARAMS_INIT.
 * @param[out] params the struct to fill (caller-owned).
 * @param version KUBE_LIST_PARAMS_VERSION.
 * @return KUBE_OK, or KUBE_EINVAL for a NULL @p params or an unknown @p version.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_list_params_init(kube_list_params_t *params, unsigned int version);

/**
 * Check @p params against the kube-rs rules (see kube_list_params_t).
 * @param params the parameters (borrowed).
 * @return KUBE_OK or KUBE_EINVAL (NULL, bad version, version_match without
 *         resource_version, Exact with "0", unknown enum value).
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_list_params_validate(const kube_list_params_t *params);

/* ---- get ---- */

/** Current version of kube_get_params_t. */
#define KUBE_GET_PARAMS_VERSION 1

/** Parameters of a get: an optional resourceVersion ("0": any cached version). */
typedef struct kube_get_params {
    unsigned int version;         /**< KUBE_GET_PARAMS_VERSION */
    const char *resource_version; /**< `resourceVersion`, or NULL for the most recent */
} kube_get_params_t;

/** Static initialiser: most recent version. */
#define KUBE_GET_PARAMS_INIT { KUBE_GET_PARAMS_VERSION, NULL }

/**
 * Initialise @p params to KUBE_GET_PARAMS_INIT.
 * @param[out] params the struct to fill. @param version KUBE_GET_PARAMS_VERSION.
 * @return KUBE_OK or KUBE_EINVAL (NULL or unknown version).
 * Thread-safety: reentrant (only reads and writes @p params).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_get_params_init(kube_get_params_t *params, unsigned int version);

/* ---- watch ---- */

/** Current version of kube_watch_params_t. */
#define KUBE_WATCH_PARAMS_VERSION 1

/**
 * Parameters of a watch. The resourceVersion to start from is an argument of
 * kube_request_watch() itself.
 *
 * Rules (kube-rs): timeout_seconds must be below 295 (the default 290 is always
 * sent); send_initial_events (a streaming list) needs bookmarks and adds
 * `resourceVersionMatch=NotOlderThan`.
 */
typedef struct kube_watch_params {
    unsigned int version;        /**< KUBE_WATCH_PARAMS_VERSION */
    const char *label_selector;  /**< `labelSelector`, or NULL */
    const char *field_selector;  /**< `fieldSelector`, or NULL */
    uint32_t timeout_seconds;    /**< `timeoutSeconds`, always sent; KUBE_WATCH_DEFAULT_TIMEOUT by default */
    int bookmarks;               /**< nonzero: `allowWatchBookmarks=true` (default on) */
    int send_initial_events;     /**< nonzero: `sendInitialEvents=true` (streaming list) */
} kube_watch_params_t;

/** Static initialiser: no selectors, 290 s, bookmarks on, no initial events. */
#define KUBE_WATCH_PARAMS_INIT \
    { KUBE_WATCH_PARAMS_VERSION, NULL, NULL, KUBE_WATCH_DEFAULT_TIMEOUT, 1, 0 }

/**
 * Initialise @p params to KUBE_WATCH_PARAMS_INIT.
 * @param[out] params the struct to fill. @param version KUBE_WATCH_PARAMS_VERSION.
 * @return KUBE_OK or KUBE_EINVAL (NULL or unknown version).
 * Thread-safety: reentrant (only reads and writes @p params).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_params_init(kube_watch_params_t *params, unsigned int version);

/**
 * Check @p params: timeout_seconds < 295; send_initial_events requires bookmarks.
 * @param params the parameters (borrowed).
 * @return KUBE_OK or KUBE_EINVAL (also for NULL or a bad version).
 * Thread-safety: reentrant; only reads its arguments.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_params_validate(const kube_watch_params_t *params);

/* ---- post (create, update) ---- */

/** Current version of kube_post_params_t. */
#define KUBE_POST_PARAMS_VERSION 1

/** Parameters of a create (POST) or update (PUT). */
typedef struct kube_post_params {
    unsigned int version;                     /**< KUBE_POST_PARAMS_VERSION */
    int dry_run;                              /**< nonzero: `dryRun=All` */
    const char *field_manager;                /**< `fieldManager` (at most 128 printable bytes), or NULL */
    kube_field_validation_t field_validation; /**< `fieldValidation` */
} kube_post_params_t;

/** Static initialiser: a real write, no field manager, server-default validation. */
#define KUBE_POST_PARAMS_INIT { KUBE_POST_PARAMS_VERSION, 0, NULL, KUBE_FIELD_VALIDATION_UNSET }

/**
 * Initialise @p params to KUBE_POST_PARAMS_INIT.
 * @param[out] params the struct to fill. @param version KUBE_POST_PARAMS_VERSION.
 * @return KUBE_OK or KUBE_EINVAL (NULL or unknown version).
 * Thread-safety: reentrant (only reads and writes @p params).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_post_params_init(kube_post_params_t *params, unsigned int version);

/**
 * Check @p params: field_manager at most 128 bytes, no control characters;
 * field_validation a known value.
 * @return KUBE_OK or KUBE_EINVAL (also for NULL or a bad version).
 * Thread-safety: reentrant; only reads its arguments.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_post_params_validate(const kube_post_params_t *params);

/* ---- patch ---- */

/** Current version of kube_patch_params_t. */
#define KUBE_PATCH_PARAMS_VERSION 1

/** Parameters of a patch. */
typedef struct kube_patch_params {
    unsigned int version;                     /**< KUBE_PATCH_PARAMS_VERSION */
    int dry_run;                              /**< nonzero: `dryRun=All` */
    int force;                                /**< nonzero: `force=true` (server-side apply only) */
    const char *field_manager;                /**< `fieldManager`; required for KUBE_PATCH_APPLY */
    kube_field_validation_t field_validation; /**< `fieldValidation` */
} kube_patch_params_t;

/** Static initialiser: no dry run, no force, no manager. */
#define KUBE_PATCH_PARAMS_INIT { KUBE_PATCH_PARAMS_VERSION, 0, 0, NULL, KUBE_FIELD_VALIDATION_UNSET }

/**
 * Initialise @p params to KUBE_PATCH_PARAMS_INIT.
 * @param[out] params the struct to fill. @param version KUBE_PATCH_PARAMS_VERSION.
 * @return KUBE_OK or KUBE_EINVAL (NULL or unknown version).
 * Thread-safety: reentrant (only reads and writes @p params).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_patch_params_init(kube_patch_params_t *params, unsigned int version);

/**
 * Check @p params for a patch of @p type: field_manager at most 128 bytes and
 * no control characters; force only with KUBE_PATCH_APPLY; KUBE_PATCH_APPLY
 * needs a non-empty field_manager.
 * @param params the parameters (borrowed). @param type the patch type.
 * @return KUBE_OK or KUBE_EINVAL (also for NULL, a bad version or unknown type).
 * Thread-safety: reentrant; only reads its arguments.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_patch_params_validate(const kube_patch_params_t *params,
                                                    kube_patch_type_t type);

/* ---- delete ---- */

/** Current version of kube_delete_params_t. */
#define KUBE_DELETE_PARAMS_VERSION 1

/**
 * Options of a delete, sent as a `DeleteOptions` body:
 * `{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0,
 * "preconditions":{"uid":"..","resourceVersion":".."},"propagationPolicy":"Foreground","dryRun":["All"]}`
 * (only the fields that are set, in Go's field order).
 */
typedef struct kube_delete_params {
    unsigned int version;                   /**< KUBE_DELETE_PARAMS_VERSION */
    int dry_run;                            /**< nonzero: `"dryRun":["All"]` */
    int64_t grace_period_seconds;           /**< `gracePeriodSeconds` (>= 0; 0 deletes at once), or KUBE_PARAM_UNSET */
    kube_propagation_t propagation_policy;  /**< `propagationPolicy` */
    const char *precondition_uid;           /**< `preconditions.uid`, or NULL */
    const char *precondition_resource_version; /**< `preconditions.resourceVersion`, or NULL */
} kube_delete_params_t;

/** Static initialiser: the resource's defaults (an empty DeleteOptions). */
#define KUBE_DELETE_PARAMS_INIT \
    { KUBE_DELETE_PARAMS_VERSION, 0, KUBE_PARAM_UNSET, KUBE_PROPAGATION_UNSET, NULL, NULL }

/**
 * Initialise @p params to KUBE_DELETE_PARAMS_INIT.
 * @param[out] params the struct to fill. @param version KUBE_DELETE_PARAMS_VERSION.
 * @return KUBE_OK or KUBE_EINVAL (NULL or unknown version).
 * Thread-safety: reentrant (only reads and writes @p params).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_delete_params_init(kube_delete_params_t *params, unsigned int version);

/**
 * Check @p params: grace_period_seconds >= 0 or KUBE_PARAM_UNSET; a known
 * propagation policy.
 * @return KUBE_OK or KUBE_EINVAL (also for NULL or a bad version).
 * Thread-safety: reentrant; only reads its arguments.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_delete_params_validate(const kube_delete_params_t *params);

/**
 * Whether @p params are all defaults (then a deletecollection sends no body, as kube-rs does).
 * @return 1 when nothing is set (or @p params is NULL), else 0.
 * Thread-safety: reentrant; only reads its arguments.
 * @since 0.1
 */
KUBE_EXTERN int kube_delete_params_is_default(const kube_delete_params_t *params);

/* ---- log ---- */

/** Current version of kube_log_params_t. */
#define KUBE_LOG_PARAMS_VERSION 1

/** Parameters of a pod log request (`PodLogOptions`). */
typedef struct kube_log_params {
    unsigned int version;   /**< KUBE_LOG_PARAMS_VERSION */
    const char *container;  /**< `container`; NULL: the pod's only container */
    int follow;             /**< nonzero: `follow=true` (a stream that stays open) */
    int64_t limit_bytes;    /**< `limitBytes` (>= 1), or KUBE_PARAM_UNSET */
    int pretty;             /**< nonzero: `pretty=true` */
    int previous;           /**< nonzero: `previous=true` (the last terminated container) */
    int64_t since_seconds;  /**< `sinceSeconds` (>= 1), or KUBE_PARAM_UNSET */
    const char *since_time; /**< `sinceTime`, an RFC 3339 time ("2024-05-01T10:00:00Z"), or NULL */
    int64_t tail_lines;     /**< `tailLines` (>= 0), or KUBE_PARAM_UNSET */
    int timestamps;         /**< nonzero: `timestamps=true` */
} kube_log_params_t;

/** Static initialiser: the whole log of the only container, not followed. */
#define KUBE_LOG_PARAMS_INIT \
    { KUBE_LOG_PARAMS_VERSION, NULL, 0, KUBE_PARAM_UNSET, 0, 0, KUBE_PARAM_UNSET, NULL, KUBE_PARAM_UNSET, 0 }

/**
 * Initialise @p params to KUBE_LOG_PARAMS_INIT.
 * @param[out] params the struct to fill. @param version KUBE_LOG_PARAMS_VERSION.
 * @return KUBE_OK or KUBE_EINVAL (NULL or unknown version).
 * Thread-safety: reentrant (only reads and writes @p params).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_log_params_init(kube_log_params_t *params, unsigned int version);

/**
 * Check @p params: limit_bytes >= 1, since_seconds >= 1, tail_lines >= 0 (each
 * unless unset); at most one of since_seconds and since_time (the API server
 * rejects both); since_time and container non-empty when set.
 * @return KUBE_OK or KUBE_EINVAL (also for NULL or a bad version).
 * Thread-safety: reentrant; only reads its arguments.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_log_params_validate(const kube_log_params_t *params);

/* ---- evict ---- */

/** Current version of kube_evict_params_t. */
#define KUBE_EVICT_PARAMS_VERSION 1

/** Parameters of a pod eviction: DeleteOptions for the body and the POST query. */
typedef struct kube_evict_params {
    unsigned int version;                /**< KUBE_EVICT_PARAMS_VERSION */
    kube_delete_params_t delete_options; /**< the Eviction's `deleteOptions` (omitted when all default) */
    kube_post_params_t post_options;     /**< dryRun / fieldManager / fieldValidation of the POST */
} kube_evict_params_t;

/** Static initialiser: default delete and post options. */
#define KUBE_EVICT_PARAMS_INIT \
    { KUBE_EVICT_PARAMS_VERSION, KUBE_DELETE_PARAMS_INIT, KUBE_POST_PARAMS_INIT }

/**
 * Initialise @p params to KUBE_EVICT_PARAMS_INIT.
 * @param[out] params the struct to fill. @param version KUBE_EVICT_PARAMS_VERSION.
 * @return KUBE_OK or KUBE_EINVAL (NULL or unknown version).
 * Thread-safety: reentrant (only reads and writes @p params).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_evict_params_init(kube_evict_params_t *params, unsigned int version);

/**
 * Check both nested parameter sets (kube_delete_params_validate(), kube_post_params_validate()).
 * @return KUBE_OK or KUBE_EINVAL.
 * Thread-safety: reentrant; only reads its arguments.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_evict_params_validate(const kube_evict_params_t *params);

/* ---- attach / exec ---- */

/** Current version of kube_attach_params_t. */
#define KUBE_ATTACH_PARAMS_VERSION 1

/**
 * Streams of an attach or exec. Rules (kube-rs): at least one of stdin, stdout
 * and stderr; tty and stderr not both (a TTY merges stderr into stdout).
 */
typedef struct kube_attach_params {
    unsigned int version;  /**< KUBE_ATTACH_PARAMS_VERSION */
    const char *container; /**< `container`; NULL: the pod's only container */
    int stdin_;            /**< nonzero: `stdin=true` (default off) */
    int stdout_;           /**< nonzero: `stdout=true` (default on) */
    int stderr_;           /**< nonzero: `stderr=true` (default on) */
    int tty;               /**< nonzero: `tty=true` (default off) */
} kube_attach_params_t;

/** Static initialiser: stdout and stderr, no stdin, no TTY (the server's defaults). */
#define KUBE_ATTACH_PARAMS_INIT { KUBE_ATTACH_PARAMS_VERSION, NULL, 0, 1, 1, 0 }

/**
 * Initialise @p params to KUBE_ATTACH_PARAMS_INIT.
 * @param[out] params the struct to fill. @param version KUBE_ATTACH_PARAMS_VERSION.
 * @return KUBE_OK or KUBE_EINVAL (NULL or unknown version).
 * Thread-safety: reentrant (only reads and writes @p params).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_attach_params_init(kube_attach_params_t *params, unsigned int version);

/**
 * Check @p params: one stream at least; not tty together with stderr.
 * @return KUBE_OK or KUBE_EINVAL (also for NULL or a bad version).
 * Thread-safety: reentrant; only reads its arguments.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_attach_params_validate(const kube_attach_params_t *params);

/* ---- port-forward ---- */

/** Most ports one port-forward request may carry. */
#define KUBE_PORTFORWARD_MAX_PORTS 128

/**
 * Check a port list for port-forward: 1 to 128 ports, each 1..65535, no repeats.
 * @param ports the ports (borrowed). @param count how many.
 * @return KUBE_OK or KUBE_EINVAL (the message names the offending port).
 * Thread-safety: reentrant; only reads its arguments.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_portforward_ports_validate(const uint16_t *ports, size_t count);

/* ---- token request ---- */

/** Current version of kube_token_request_params_t. */
#define KUBE_TOKEN_REQUEST_PARAMS_VERSION 1

/** Shortest token lifetime the API server accepts (seconds). */
#define KUBE_TOKEN_MIN_EXPIRATION 600

/**
 * The spec of an `authentication.k8s.io/v1` TokenRequest for a service account.
 * The bound object is sent only when bound_object_kind is set (then name is required).
 */
typedef struct kube_token_request_params {
    unsigned int version;            /**< KUBE_TOKEN_REQUEST_PARAMS_VERSION */
    const char *const *audiences;    /**< `spec.audiences` (array of @p audience_count strings), or NULL */
    size_t audience_count;           /**< number of audiences */
    int64_t expiration_seconds;      /**< `spec.expirationSeconds` (>= 600), or KUBE_PARAM_UNSET */
    const char *bound_object_kind;   /**< `spec.boundObjectRef.kind` ("Pod", "Secret", "Node"), or NULL */
    const char *bound_object_api_version; /**< `spec.boundObjectRef.apiVersion` ("v1"), or NULL */
    const char *bound_object_name;   /**< `spec.boundObjectRef.name` */
    const char *bound_object_uid;    /**< `spec.boundObjectRef.uid`, or NULL */
} kube_token_request_params_t;

/** Static initialiser: the API server's default audience and lifetime, unbound. */
#define KUBE_TOKEN_REQUEST_PARAMS_INIT \
    { KUBE_TOKEN_REQUEST_PARAMS_VERSION, NULL, 0, KUBE_PARAM_UNSET, NULL, NULL, NULL, NULL }

/**
 * Initialise @p params to KUBE_TOKEN_REQUEST_PARAMS_INIT.
 * @param[out] params the struct to fill. @param version KUBE_TOKEN_REQUEST_PARAMS_VERSION.
 * @return KUBE_OK or KUBE_EINVAL (NULL or unknown version).
 * Thread-safety: reentrant (only reads and writes @p params).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_token_request_params_init(kube_token_request_params_t *params,
                                                        unsigned int version);

/**
 * Check @p params: expiration_seconds >= 600 when set; audiences non-NULL and
 * non-empty strings when audience_count > 0; a bound object needs a name.
 * @return KUBE_OK or KUBE_EINVAL (also for NULL or a bad version).
 * Thread-safety: reentrant; only reads its arguments.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_token_request_params_validate(const kube_token_request_params_t *params);

KUBE_END_DECL

#endif /* KUBE_PARAMS_H */
