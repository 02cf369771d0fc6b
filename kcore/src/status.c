/* metav1.Status decoding, its mapping to kube_error_t, and HTTP answer classification. */
#include <kube/status.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "alloc_int.h"

/* A status lives in one block: the public struct, the allocator, the causes, the strings. */
typedef struct status_block {
    kube_status_t pub;
    kube_mem_t mem;
} status_block_t;

typedef struct span {
    const char *p;
    size_t n;
} span_t;

/* Where the fields of a status come from before they are copied into their block. */
typedef struct status_src {
    span_t status, message, reason, name, group, kind, uid, cont;
    int code, has_details, retry_after;
    const kube_json_t *causes; /* a JSON array, or NULL */
} status_src_t;

static span_t span_str(const char *s)
{
    span_t sp = { s ? s : "", s ? strlen(s) : 0 };
    return sp;
}

static span_t span_json(const kube_json_t *v)
{
    span_t sp = { "", 0 };
    if (kube_json_type(v) == KUBE_JSON_STRING) {
        sp.p = kube_json_string(v);
        sp.n = kube_json_string_len(v);
    }
    return sp;
}

static int json_int(const kube_json_t *v)
{
    int64_t x;
    if (kube_json_int64(v, &x) != KUBE_OK || x < -2147483647 || x > 2147483647)
        return 0;
    return (int)x;
}

/* Copy a span into the string area at *cursor and return the NUL-terminated copy. */
static const char *put_span(char **cursor, span_t sp)
{
    char *s = *cursor;
    if (sp.n)
        memcpy(s, sp.p, sp.n);
    s[sp.n] = '\0';
    *cursor = s + sp.n + 1;
    return s;
}

static kube_error_t build_status(kube_status_t **out, const status_src_t *src, const kube_mem_t *mem_in)
{
    kube_mem_t mem = kube_mem__pick(mem_in);
    const span_t *fields[] = { &src->status, &src->message, &src->reason, &src->name,
                               &src->group, &src->kind, &src->uid, &src->cont };
    size_t ncauses = 0, strbytes = 0, i;
    kube_json_iter_t it;
    const kube_json_t *c;

    for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
        strbytes += fields[i]->n + 1;
    kube_json_iter_init(&it, kube_json_type(src->causes) == KUBE_JSON_ARRAY ? src->causes : NULL);
    while ((c = kube_json_iter_next(&it, NULL, NULL)) != NULL) {
        ncauses++;
        strbytes += span_json(kube_json_get(c, "reason")).n + 1;
        strbytes += span_json(kube_json_get(c, "message")).n + 1;
        strbytes += span_json(kube_json_get(c, "field")).n + 1;
    }

    size_t total = sizeof(status_block_t) + ncauses * sizeof(kube_status_cause_t) + strbytes;
    status_block_t *blk = kube_mem__malloc(&mem, total);
    if (!blk)
        return kube_error_setf(KUBE_ENOMEM, "status: out of memory (%zu bytes)", total);
    memset(blk, 0, sizeof *blk);
    blk->mem = mem;
    kube_status_cause_t *causes = (kube_status_cause_t *)(blk + 1);
    char *cursor = (char *)(causes + ncauses);
    kube_status_t *st = &blk->pub;

    st->version = KUBE_STATUS_VERSION;
    st->status = put_span(&cursor, src->status);
    st->message = put_span(&cursor, src->message);
    st->reason = put_span(&cursor, src->reason);
    st->details_name = put_span(&cursor, src->name);
    st->details_group = put_span(&cursor, src->group);
    st->details_kind = put_span(&cursor, src->kind);
    st->details_uid = put_span(&cursor, src->uid);
    st->continue_token = put_span(&cursor, src->cont);
    st->code = src->code;
    st->has_details = src->has_details;
    st->retry_after_seconds = src->retry_after;
    st->cause_count = ncauses;
    st->causes = ncauses ? causes : NULL;
    kube_json_iter_init(&it, kube_json_type(src->causes) == KUBE_JSON_ARRAY ? src->causes : NULL);
    for (i = 0; (c = kube_json_iter_next(&it, NULL, NULL)) != NULL; i++) {
        causes[i].reason = put_span(&cursor, span_json(kube_json_get(c, "reason")));
        causes[i].message = put_span(&cursor, span_json(kube_json_get(c, "message")));
        causes[i].field = put_span(&cursor, span_json(kube_json_get(c, "field")));
    }
    *out = st;
    return KUBE_OK;
}

kube_error_t kube_status_from_json(kube_status_t **out, const kube_json_t *obj, const kube_mem_t *mem)
{
    status_src_t src;
    const kube_json_t *kind, *details, *v;

    if (!out)
        return kube_error_setf(KUBE_EINVAL, "kube_status_from_json: out is NULL");
    if (kube_json_type(obj) != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EPROTO, "status: the body is not a JSON object");
    kind = kube_json_get(obj, "kind");
    if (kind && !kube_json_string_eq(kind, "Status"))
        return kube_error_setf(KUBE_EPROTO, "status: the object's kind is not Status");
    if (!kube_json_get(obj, "status") && !kube_json_get(obj, "code") && !kube_json_get(obj, "reason")
        && !kube_json_get(obj, "message"))
        return kube_error_setf(KUBE_EPROTO, "status: the object has none of status, code, reason, message");

    memset(&src, 0, sizeof src);
    src.status = span_json(kube_json_get(obj, "status"));
    src.message = span_json(kube_json_get(obj, "message"));
    src.reason = span_json(kube_json_get(obj, "reason"));
    src.code = json_int(kube_json_get(obj, "code"));
    src.cont = span_json(kube_json_get(kube_json_get(obj, "metadata"), "continue"));
    details = kube_json_get(obj, "details");
    if (kube_json_type(details) == KUBE_JSON_OBJECT) {
        src.has_details = 1;
        src.name = span_json(kube_json_get(details, "name"));
        src.group = span_json(kube_json_get(details, "group"));
        src.kind = span_json(kube_json_get(details, "kind"));
        src.uid = span_json(kube_json_get(details, "uid"));
        src.retry_after = json_int(kube_json_get(details, "retryAfterSeconds"));
        v = kube_json_get(details, "causes");
        src.causes = kube_json_type(v) == KUBE_JSON_ARRAY ? v : NULL;
    } else {
        src.name = src.group = src.kind = src.uid = span_str(NULL);
    }
    return build_status(out, &src, mem);
}

kube_error_t kube_status_parse(kube_status_t **out, const char *data, size_t len, const kube_mem_t *mem)
{
    kube_json_parse_opts_t opts = KUBE_JSON_PARSE_OPTS_INIT;
    kube_json_doc_t *doc = NULL;
    kube_error_t rc;

    if (!out || (!data && len))
        return kube_error_setf(KUBE_EINVAL, "kube_status_parse: %s is NULL", out ? "data" : "out");
    opts.mem = mem;
    rc = kube_json_parse(&doc, data ? data : "", len, &opts);
    if (rc == KUBE_EINVAL) {
        char why[512]; /* the parser's message lives in the buffer setf writes */
        snprintf(why, sizeof why, "%s", kube_error_last()->message);
        return kube_error_setf(KUBE_EPROTO, "status: the body is not valid JSON: %s", why);
    }
    if (rc != KUBE_OK)
        return rc;
    rc = kube_status_from_json(out, kube_json_doc_root(doc), mem);
    kube_json_doc_free(doc);
    return rc;
}

void kube_status_free(kube_status_t *status)
{
    if (status) {
        status_block_t *blk = (status_block_t *)status;
        kube_mem_t mem = blk->mem;
        kube_mem__free(&mem, blk);
    }
}

kube_error_t kube_status_error(const kube_status_t *status, int http_status)
{
    int code;
    kube_error_t err;

    if (!status)
        return kube_error_setf(KUBE_EINVAL, "kube_status_error: status is NULL");
    code = http_status >= 400 ? http_status : status->code;
    if (code < 400 && kube_status_is_success(status))
        return KUBE_OK;
    err = kube_error_from_http(code, status->reason[0] ? status->reason : NULL);
    if (err == KUBE_OK && kube_status_is_failure(status))
        err = KUBE_ERROR;
    if (err == KUBE_OK)
        return KUBE_OK;
    return kube_error_set_http(err, code, status->reason,
                               status->message[0] ? status->message : kube_strerror(err));
}

static int reason_is(const kube_status_t *st, const char *reason)
{
    return st && strcmp(st->reason, reason) == 0;
}

/* The code decides only when the server gave no reason (a reason is more specific). */
static int code_is(const kube_status_t *st, int code)
{
    return st && st->reason[0] == '\0' && st->code == code;
}

int kube_status_is_success(const kube_status_t *status)
{
    return status && strcmp(status->status, "Success") == 0;
}

int kube_status_is_failure(const kube_status_t *status)
{
    return status && strcmp(status->status, "Failure") == 0;
}

int kube_status_is_not_found(const kube_status_t *status)
{
    return reason_is(status, "NotFound") || code_is(status, 404);
}

int kube_status_is_already_exists(const kube_status_t *status)
{
    return reason_is(status, "AlreadyExists");
}

int kube_status_is_conflict(const kube_status_t *status)
{
    return reason_is(status, "Conflict") || code_is(status, 409);
}

int kube_status_is_forbidden(const kube_status_t *status)
{
    return reason_is(status, "Forbidden") || code_is(status, 403);
}

int kube_status_is_invalid(const kube_status_t *status)
{
    return reason_is(status, "Invalid") || code_is(status, 422);
}

int kube_status_is_unauthorized(const kube_status_t *status)
{
    return reason_is(status, "Unauthorized") || code_is(status, 401);
}

int kube_status_is_gone(const kube_status_t *status)
{
    return reason_is(status, "Expired") || reason_is(status, "Gone") || (status && status->code == 410);
}

int kube_status_is_too_many_requests(const kube_status_t *status)
{
    return reason_is(status, "TooManyRequests") || (status && status->code == 429);
}

/* ---- classification ---- */

typedef struct generic_answer {
    int code;
    const char *reason;
    const char *message;
} generic_answer_t;

/* The Status client-go synthesises for a body that is not one (NewGenericServerResponse). */
static const generic_answer_t generic_answers[] = {
    { 400, "BadRequest", "the server rejected our request for an unknown reason" },
    { 401, "Unauthorized", "the server has asked for the client to provide credentials" },
    { 403, "Forbidden", "the server does not allow access to the requested resource" },
    { 404, "NotFound", "the server could not find the requested resource" },
    { 405, "MethodNotAllowed", "the server does not allow this method on the requested resource" },
    { 406, "NotAcceptable", "the server was unable to respond with a content type that the client supports" },
    { 409, "Conflict", "the server reported a conflict" },
    { 410, "Gone", "the server reports that the requested resource version is gone" },
    { 413, "RequestEntityTooLarge", "the server has rejected the request because it is too large" },
    { 415, "UnsupportedMediaType", "the server does not support the media type sent in the request" },
    { 422, "Invalid", "the server rejected our request due to an error in our request" },
    { 429, "TooManyRequests", "the server has received too many requests and has asked us to try again later" },
    { 500, "InternalError", "an error on the server has prevented the request from succeeding" },
    { 503, "ServiceUnavailable", "the server is currently unable to handle the request" },
    { 504, "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request" },
};

static int is_json_media_type(const char *ct)
{
    size_t n;
    if (!ct)
        return 1;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    n = strcspn(ct, ";");
    while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    if (n == 0)
        return 1;
    if (n == 16 && strncasecmp(ct, "application/json", 16) == 0)
        return 1;
    return n > 5 && strncasecmp(ct + n - 5, "+json", 5) == 0;
}

/* The body's first line when it is short printable text, for the synthesised message. */
static span_t body_excerpt(const char *body, size_t len)
{
    span_t sp = { "", 0 };
    size_t i, n;
    while (len && (*body == ' ' || *body == '\t' || *body == '\r' || *body == '\n')) {
        body++;
        len--;
    }
    if (!len || *body == '<')
        return sp; /* nothing, or an HTML page from a proxy */
    for (n = 0; n < len && body[n] != '\n' && body[n] != '\r'; n++)
        ;
    while (n && (body[n - 1] == ' ' || body[n - 1] == '\t'))
        n--;
    if (n > 256)
        n = 256;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)body[i];
        if (ch < 0x20 && ch != '\t')
            return sp;
        if (ch == 0x7f)
            return sp;
    }
    sp.p = body;
    sp.n = n;
    return sp;
}

static kube_error_t synthesise(kube_status_t **out, int http_status, const char *body, size_t len,
                               const kube_mem_t *mem)
{
    const char *reason = "", *generic = NULL;
    char fallback[96], message[512];
    status_src_t src;
    span_t excerpt = body_excerpt(body, len);
    size_t i;

    for (i = 0; i < sizeof generic_answers / sizeof generic_answers[0]; i++) {
        if (generic_answers[i].code == http_status) {
            reason = generic_answers[i].reason;
            generic = generic_answers[i].message;
        }
    }
    if (!generic) {
        snprintf(fallback, sizeof fallback, "the server %s the request (HTTP %d)",
                 http_status >= 500 ? "failed to handle" : "rejected", http_status);
        generic = fallback;
    }
    if (excerpt.n)
        snprintf(message, sizeof message, "%s: %.*s", generic, (int)excerpt.n, excerpt.p);
    else
        snprintf(message, sizeof message, "%s", generic);

    memset(&src, 0, sizeof src);
    src.status = span_str("Failure");
    src.message = span_str(message);
    src.reason = span_str(reason);
    src.name = src.group = src.kind = src.uid = src.cont = span_str(NULL);
    src.code = http_status;
    return build_status(out, &src, mem);
}

kube_error_t kube_status_classify(kube_status_t **status_out, int http_status, const char *content_type,
                                  const char *body, size_t len, const kube_mem_t *mem)
{
    kube_status_t *st = NULL;
    kube_error_t rc = KUBE_EPROTO;

    if (status_out)
        *status_out = NULL;
    if (http_status < 100 || http_status > 599)
        return kube_error_setf(KUBE_EPROTO, "HTTP status %d is not a valid status code", http_status);
    if (http_status < 400)
        return KUBE_OK;
    if (!body)
        len = 0;
    if (len && is_json_media_type(content_type)) {
        rc = kube_status_parse(&st, body, len, mem);
        if (rc == KUBE_ENOMEM)
            return rc;
    }
    if (rc != KUBE_OK) {
        rc = synthesise(&st, http_status, body, len, mem);
        if (rc != KUBE_OK)
            return rc;
    }
    rc = kube_status_error(st, http_status);
    if (rc == KUBE_OK) /* a 4xx/5xx answer carrying a "Success" status is still a failure */
        rc = kube_error_set_http(kube_error_from_http(http_status, NULL), http_status, st->reason,
                                 st->message[0] ? st->message : "the server answered with an error status");
    if (status_out)
        *status_out = st;
    else
        kube_status_free(st);
    return rc;
}
