/* Request parameter structs: initialisation and the kube-rs validation rules.
 * The mapping to query strings and bodies lives in request.c. */
#include <kube/params.h>
#include <string.h>

#include "params_int.h"

/* Every struct is at version 1; a zeroed struct (version 0) is a caller bug. */
static kube_error_t check_version(const void *p, unsigned int version, unsigned int current,
                                  const char *type)
{
    if (!p)
        return kube_error_setf(KUBE_EINVAL, "%s: NULL parameters", type);
    if (version == 0 || version > current)
        return kube_error_setf(KUBE_EINVAL,
                               "%s.version is %u (expected %u): initialise with the _INIT macro "
                               "or the _init() function",
                               type, version, current);
    return KUBE_OK;
}

/* The body of every *_params_init(): check the caller's version, then copy the defaults. */
static kube_error_t init_from(void *params, const void *init, size_t size, unsigned int version,
                              unsigned int current, const char *type)
{
    kube_error_t rc = check_version(params, version, current, type);
    if (rc)
        return rc;
    memcpy(params, init, size);
    return KUBE_OK;
}

kube_error_t kube_params__check_field_manager(const char *fm, const char *type)
{
    size_t len;
    if (!fm)
        return KUBE_OK;
    len = strlen(fm);
    if (len > KUBE_FIELD_MANAGER_MAX_LEN)
        return kube_error_setf(KUBE_EINVAL, "%s.field_manager is %zu bytes long (at most %d)", type,
                               len, KUBE_FIELD_MANAGER_MAX_LEN);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)fm[i];
        if (c < 0x20 || c == 0x7f)
            return kube_error_setf(KUBE_EINVAL,
                                   "%s.field_manager has a control character at byte %zu", type, i);
    }
    return KUBE_OK;
}

static kube_error_t check_validation(kube_field_validation_t v, const char *type)
{
    if ((unsigned int)v > (unsigned int)KUBE_FIELD_VALIDATION_IGNORE)
        return kube_error_setf(KUBE_EINVAL, "%s.field_validation has an unknown value %d", type,
                               (int)v);
    return KUBE_OK;
}

/* ---- list ---- */

kube_error_t kube_list_params_init(kube_list_params_t *params, unsigned int version)
{
    static const kube_list_params_t init = KUBE_LIST_PARAMS_INIT;
    return init_from(params, &init, sizeof init, version, KUBE_LIST_PARAMS_VERSION, "kube_list_params_t");
}

kube_error_t kube_list_params_validate(const kube_list_params_t *p)
{
    kube_error_t rc = check_version(p, p ? p->version : 0, KUBE_LIST_PARAMS_VERSION,
                                    "kube_list_params_t");
    if (rc)
        return rc;
    if ((unsigned int)p->version_match > (unsigned int)KUBE_VERSION_MATCH_EXACT)
        return kube_error_setf(KUBE_EINVAL, "kube_list_params_t.version_match has an unknown value %d",
                               (int)p->version_match);
    if (p->resource_version) {
        if (p->version_match == KUBE_VERSION_MATCH_EXACT && strcmp(p->resource_version, "0") == 0)
            return kube_error_setf(KUBE_EINVAL,
                                   "kube_list_params_t.resource_version: a non-zero resource_version "
                                   "is required when using an Exact match");
    } else if (p->version_match != KUBE_VERSION_MATCH_UNSET) {
        return kube_error_setf(KUBE_EINVAL,
                               "kube_list_params_t.version_match: a resource_version is required "
                               "when using an explicit match");
    }
    return KUBE_OK;
}

/* ---- get ---- */

kube_error_t kube_get_params_init(kube_get_params_t *params, unsigned int version)
{
    static const kube_get_params_t init = KUBE_GET_PARAMS_INIT;
    return init_from(params, &init, sizeof init, version, KUBE_GET_PARAMS_VERSION, "kube_get_params_t");
}

kube_error_t kube_params__get_validate(const kube_get_params_t *p)
{
    return check_version(p, p ? p->version : 0, KUBE_GET_PARAMS_VERSION, "kube_get_params_t");
}

/* ---- watch ---- */

kube_error_t kube_watch_params_init(kube_watch_params_t *params, unsigned int version)
{
    static const kube_watch_params_t init = KUBE_WATCH_PARAMS_INIT;
    return init_from(params, &init, sizeof init, version, KUBE_WATCH_PARAMS_VERSION, "kube_watch_params_t");
}

kube_error_t kube_watch_params_validate(const kube_watch_params_t *p)
{
    kube_error_t rc = check_version(p, p ? p->version : 0, KUBE_WATCH_PARAMS_VERSION,
                                    "kube_watch_params_t");
    if (rc)
        return rc;
    if (p->timeout_seconds >= KUBE_WATCH_TIMEOUT_LIMIT)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_params_t.timeout_seconds is %u: it must be < %ds",
                               (unsigned int)p->timeout_seconds, KUBE_WATCH_TIMEOUT_LIMIT);
    if (p->send_initial_events && !p->bookmarks)
        return kube_error_setf(KUBE_EINVAL,
                               "kube_watch_params_t.bookmarks must be set when using send_initial_events");
    return KUBE_OK;
}

/* ---- post ---- */

kube_error_t kube_post_params_init(kube_post_params_t *params, unsigned int version)
{
    static const kube_post_params_t init = KUBE_POST_PARAMS_INIT;
    return init_from(params, &init, sizeof init, version, KUBE_POST_PARAMS_VERSION, "kube_post_params_t");
}

kube_error_t kube_post_params_validate(const kube_post_params_t *p)
{
    kube_error_t rc = check_version(p, p ? p->version : 0, KUBE_POST_PARAMS_VERSION,
                                    "kube_post_params_t");
    if (rc)
        return rc;
    rc = kube_params__check_field_manager(p->field_manager, "kube_post_params_t");
    if (rc)
        return rc;
    return check_validation(p->field_validation, "kube_post_params_t");
}

/* ---- patch ---- */

kube_error_t kube_patch_params_init(kube_patch_params_t *params, unsigned int version)
{
    static const kube_patch_params_t init = KUBE_PATCH_PARAMS_INIT;
    return init_from(params, &init, sizeof init, version, KUBE_PATCH_PARAMS_VERSION, "kube_patch_params_t");
}

kube_error_t kube_patch_params_validate(const kube_patch_params_t *p, kube_patch_type_t type)
{
    kube_error_t rc = check_version(p, p ? p->version : 0, KUBE_PATCH_PARAMS_VERSION,
                                    "kube_patch_params_t");
    if (rc)
        return rc;
    if (type < KUBE_PATCH_MERGE || type > KUBE_PATCH_APPLY)
        return kube_error_setf(KUBE_EINVAL, "patch type %d is unknown", (int)type);
    rc = kube_params__check_field_manager(p->field_manager, "kube_patch_params_t");
    if (rc)
        return rc;
    rc = check_validation(p->field_validation, "kube_patch_params_t");
    if (rc)
        return rc;
    if (p->force && type != KUBE_PATCH_APPLY)
        return kube_error_setf(KUBE_EINVAL,
                               "kube_patch_params_t.force only works with KUBE_PATCH_APPLY");
    if (type == KUBE_PATCH_APPLY && (!p->field_manager || !*p->field_manager))
        return kube_error_setf(KUBE_EINVAL,
                               "kube_patch_params_t.field_manager is required for KUBE_PATCH_APPLY");
    return KUBE_OK;
}

/* ---- delete ---- */

kube_error_t kube_delete_params_init(kube_delete_params_t *params, unsigned int version)
{
    static const kube_delete_params_t init = KUBE_DELETE_PARAMS_INIT;
    return init_from(params, &init, sizeof init, version, KUBE_DELETE_PARAMS_VERSION, "kube_delete_params_t");
}

kube_error_t kube_delete_params_validate(const kube_delete_params_t *p)
{
    kube_error_t rc = check_version(p, p ? p->version : 0, KUBE_DELETE_PARAMS_VERSION,
                                    "kube_delete_params_t");
    if (rc)
        return rc;
    if (p->grace_period_seconds < 0 && p->grace_period_seconds != KUBE_PARAM_UNSET)
        return kube_error_setf(KUBE_EINVAL,
                               "kube_delete_params_t.grace_period_seconds is %lld: it must be >= 0 "
                               "or KUBE_PARAM_UNSET",
                               (long long)p->grace_period_seconds);
    if ((unsigned int)p->propagation_policy > (unsigned int)KUBE_PROPAGATION_FOREGROUND)
        return kube_error_setf(KUBE_EINVAL,
                               "kube_delete_params_t.propagation_policy has an unknown value %d",
                               (int)p->propagation_policy);
    return KUBE_OK;
}

int kube_delete_params_is_default(const kube_delete_params_t *p)
{
    if (!p)
        return 1;
    return !p->dry_run && p->grace_period_seconds == KUBE_PARAM_UNSET &&
           p->propagation_policy == KUBE_PROPAGATION_UNSET && !p->precondition_uid &&
           !p->precondition_resource_version;
}

/* ---- log ---- */

kube_error_t kube_log_params_init(kube_log_params_t *params, unsigned int version)
{
    static const kube_log_params_t init = KUBE_LOG_PARAMS_INIT;
    return init_from(params, &init, sizeof init, version, KUBE_LOG_PARAMS_VERSION, "kube_log_params_t");
}

static kube_error_t check_optional_min(int64_t v, int64_t min, const char *field)
{
    if (v == KUBE_PARAM_UNSET || v >= min)
        return KUBE_OK;
    return kube_error_setf(KUBE_EINVAL,
                           "kube_log_params_t.%s is %lld: it must be >= %lld or KUBE_PARAM_UNSET",
                           field, (long long)v, (long long)min);
}

kube_error_t kube_log_params_validate(const kube_log_params_t *p)
{
    kube_error_t rc = check_version(p, p ? p->version : 0, KUBE_LOG_PARAMS_VERSION,
                                    "kube_log_params_t");
    if (rc)
        return rc;
    if ((rc = check_optional_min(p->limit_bytes, 1, "limit_bytes")) ||
        (rc = check_optional_min(p->since_seconds, 1, "since_seconds")) ||
        (rc = check_optional_min(p->tail_lines, 0, "tail_lines")))
        return rc;
    if (p->since_time && !*p->since_time)
        return kube_error_setf(KUBE_EINVAL, "kube_log_params_t.since_time is empty");
    if (p->since_time && p->since_seconds != KUBE_PARAM_UNSET)
        return kube_error_setf(KUBE_EINVAL,
                               "kube_log_params_t: at most one of since_seconds and since_time may "
                               "be set");
    if (p->container && !*p->container)
        return kube_error_setf(KUBE_EINVAL, "kube_log_params_t.container is empty");
    return KUBE_OK;
}

/* ---- evict ---- */

kube_error_t kube_evict_params_init(kube_evict_params_t *params, unsigned int version)
{
    static const kube_evict_params_t init = KUBE_EVICT_PARAMS_INIT;
    return init_from(params, &init, sizeof init, version, KUBE_EVICT_PARAMS_VERSION, "kube_evict_params_t");
}

kube_error_t kube_evict_params_validate(const kube_evict_params_t *p)
{
    kube_error_t rc = check_version(p, p ? p->version : 0, KUBE_EVICT_PARAMS_VERSION,
                                    "kube_evict_params_t");
    if (rc)
        return rc;
    rc = kube_delete_params_validate(&p->delete_options);
    if (rc)
        return rc;
    return kube_post_params_validate(&p->post_options);
}

/* ---- attach / exec ---- */

kube_error_t kube_attach_params_init(kube_attach_params_t *params, unsigned int version)
{
    static const kube_attach_params_t init = KUBE_ATTACH_PARAMS_INIT;
    return init_from(params, &init, sizeof init, version, KUBE_ATTACH_PARAMS_VERSION, "kube_attach_params_t");
}

kube_error_t kube_attach_params_validate(const kube_attach_params_t *p)
{
    kube_error_t rc = check_version(p, p ? p->version : 0, KUBE_ATTACH_PARAMS_VERSION,
                                    "kube_attach_params_t");
    if (rc)
        return rc;
    if (!p->stdin_ && !p->stdout_ && !p->stderr_)
        return kube_error_setf(KUBE_EINVAL,
                               "kube_attach_params_t: one of stdin_, stdout_ or stderr_ must be set");
    if (p->stderr_ && p->tty)
        return kube_error_setf(KUBE_EINVAL,
                               "kube_attach_params_t: tty and stderr_ cannot both be set (a TTY "
                               "merges stderr into stdout)");
    if (p->container && !*p->container)
        return kube_error_setf(KUBE_EINVAL, "kube_attach_params_t.container is empty");
    return KUBE_OK;
}

/* ---- port-forward ---- */

kube_error_t kube_portforward_ports_validate(const uint16_t *ports, size_t count)
{
    if (count == 0 || !ports)
        return kube_error_setf(KUBE_EINVAL, "port-forward: ports cannot be empty");
    if (count > KUBE_PORTFORWARD_MAX_PORTS)
        return kube_error_setf(KUBE_EINVAL,
                               "port-forward: %zu ports given; the number of ports cannot be more "
                               "than %d",
                               count, KUBE_PORTFORWARD_MAX_PORTS);
    for (size_t i = 0; i < count; i++) {
        if (ports[i] == 0)
            return kube_error_setf(KUBE_EINVAL, "port-forward: ports[%zu] is 0 (must be 1..65535)", i);
        for (size_t j = 0; j < i; j++)
            if (ports[j] == ports[i])
                return kube_error_setf(KUBE_EINVAL, "port-forward: ports must be unique, found "
                                                    "multiple %u",
                                       (unsigned int)ports[i]);
    }
    return KUBE_OK;
}

/* ---- token request ---- */

kube_error_t kube_token_request_params_init(kube_token_request_params_t *params, unsigned int version)
{
    static const kube_token_request_params_t init = KUBE_TOKEN_REQUEST_PARAMS_INIT;
    return init_from(params, &init, sizeof init, version, KUBE_TOKEN_REQUEST_PARAMS_VERSION, "kube_token_request_params_t");
}

kube_error_t kube_token_request_params_validate(const kube_token_request_params_t *p)
{
    kube_error_t rc = check_version(p, p ? p->version : 0, KUBE_TOKEN_REQUEST_PARAMS_VERSION,
                                    "kube_token_request_params_t");
    if (rc)
        return rc;
    if (p->expiration_seconds != KUBE_PARAM_UNSET && p->expiration_seconds < KUBE_TOKEN_MIN_EXPIRATION)
        return kube_error_setf(KUBE_EINVAL,
                               "kube_token_request_params_t.expiration_seconds is %lld: it must be "
                               ">= %d or KUBE_PARAM_UNSET",
                               (long long)p->expiration_seconds, KUBE_TOKEN_MIN_EXPIRATION);
    if (p->audience_count > 0 && !p->audiences)
        return kube_error_setf(KUBE_EINVAL,
                               "kube_token_request_params_t.audiences is NULL but audience_count is %zu",
                               p->audience_count);
    for (size_t i = 0; i < p->audience_count; i++)
        if (!p->audiences[i] || !*p->audiences[i])
            return kube_error_setf(KUBE_EINVAL,
                                   "kube_token_request_params_t.audiences[%zu] is NULL or empty", i);
    if (p->bound_object_kind && (!p->bound_object_name || !*p->bound_object_name))
        return kube_error_setf(KUBE_EINVAL,
                               "kube_token_request_params_t.bound_object_name is required with "
                               "bound_object_kind");
    if (!p->bound_object_kind &&
        (p->bound_object_name || p->bound_object_uid || p->bound_object_api_version))
        return kube_error_setf(KUBE_EINVAL,
                               "kube_token_request_params_t.bound_object_kind is required with a "
                               "bound object name, uid or apiVersion");
    return KUBE_OK;
}
