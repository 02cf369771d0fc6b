/* Request builders: verb + resource + params -> kube_http_request_t, no I/O.
 * Query parameter order and validation follow kube-rs kube-core (request.rs,
 * params.rs, subresource.rs, util.rs). */
#include <kube/request.h>
#include <kube/patch.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "alloc_int.h"
#include "params_int.h"
#include "request_int.h"

#define MIME_JSON "application/json"
#define ACCEPT_LOG "application/json, */*"

/* ------------------------------------------------------------------------ */
/* encoding helpers                                                          */

static const char hex_upper[] = "0123456789ABCDEF";

static int form_keep(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' ||
           c == '-' || c == '.' || c == '_';
}

kube_error_t kube_request__form_encode(kube_buf_t *b, const char *s, size_t len)
{
    kube_error_t rc;
    if (len > SIZE_MAX / 3)
        return kube_error_setf(KUBE_ENOMEM, "query value of %zu bytes is too long", len);
    rc = kube_buf_grow(b, len * 3);
    if (rc)
        return rc;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (form_keep(c)) {
            b->ptr[b->size++] = (char)c;
        } else if (c == ' ') {
            b->ptr[b->size++] = '+';
        } else {
            b->ptr[b->size++] = '%';
            b->ptr[b->size++] = hex_upper[c >> 4];
            b->ptr[b->size++] = hex_upper[c & 15];
        }
    }
    b->ptr[b->size] = '\0';
    return KUBE_OK;
}

static int path_keep(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    switch (c) {
    case '-': case '.': case '_': case '~':
    case '$': case '&': case '+': case ':': case '=': case '@':
        return 1;
    default:
        return 0;
    }
}

kube_error_t kube_request__path_escape(kube_buf_t *b, const char *s, size_t len)
{
    kube_error_t rc;
    if (len > SIZE_MAX / 3)
        return kube_error_setf(KUBE_ENOMEM, "path segment of %zu bytes is too long", len);
    rc = kube_buf_grow(b, len * 3);
    if (rc)
        return rc;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (path_keep(c)) {
            b->ptr[b->size++] = (char)c;
        } else {
            b->ptr[b->size++] = '%';
            b->ptr[b->size++] = hex_upper[c >> 4];
            b->ptr[b->size++] = hex_upper[c & 15];
        }
    }
    b->ptr[b->size] = '\0';
    return KUBE_OK;
}

/* Length of the UTF-8 sequence at s[0..len), or 0 when it is invalid
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (len < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0)
            return 0; /* surrogate */
        *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90)
            return 0; /* above U+10FFFF */
        *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    return 0;
}

kube_error_t kube_request__json_string(kube_buf_t *b, const char *s, size_t len, const char *what)
{
    static const char hex_lower[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    kube_error_t rc;
    /* Worst case: every byte becomes \u00XX (6 bytes), plus the quotes. */
    if (len > (SIZE_MAX - 2) / 6)
        return kube_error_setf(KUBE_ENOMEM, "%s: string of %zu bytes is too long", what, len);
    rc = kube_buf_grow(b, len * 6 + 2);
    if (rc)
        return rc;
    b->ptr[b->size++] = '"';
    while (i < len) {
        unsigned char c = p[i];
        uint32_t cp;
        size_t n;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            b->ptr[b->size++] = (char)c;
            i++;
            continue;
        }
        if (c < 0x80) {
            char esc = 0;
            switch (c) {
            case '"': esc = '"'; break;
            case '\\': esc = '\\'; break;
            case '\b': esc = 'b'; break;
            case '\f': esc = 'f'; break;
            case '\n': esc = 'n'; break;
            case '\r': esc = 'r'; break;
            case '\t': esc = 't'; break;
            default: break;
            }
            b->ptr[b->size++] = '\\';
            if (esc) {
                b->ptr[b->size++] = esc;
            } else {
                memcpy(b->ptr + b->size, "u00", 3);
                b->size += 3;
                b->ptr[b->size++] = hex_lower[c >> 4];
                b->ptr[b->size++] = hex_lower[c & 15];
            }
            i++;
            continue;
        }
        n = utf8_seq(p + i, len - i, &cp);
        if (n == 0) {
            b->ptr[b->size] = '\0';
            return kube_error_setf(KUBE_EINVAL, "%s is not valid UTF-8 (byte %zu)", what, i);
        }
        if (cp == 0x2028 || cp == 0x2029) {
            memcpy(b->ptr + b->size, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
            b->size += 6;
        } else {
            memcpy(b->ptr + b->size, p + i, n);
            b->size += n;
        }
        i += n;
    }
    b->ptr[b->size++] = '"';
    b->ptr[b->size] = '\0';
    return KUBE_OK;
}

static kube_error_t json_str(kube_buf_t *b, const char *s, const char *what)
{
    return kube_request__json_string(b, s, strlen(s), what);
}

kube_error_t kube_body_write(kube_buf_t *out, kube_body_t body)
{
    size_t old = out ? out->size : 0;
    kube_error_t rc;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "kube_body_write: NULL buffer");
    switch (body.kind) {
    case KUBE_BODY_BYTES:
        if (!body.bytes && body.len)
            return kube_error_setf(KUBE_EINVAL, "body: NULL bytes with length %zu", body.len);
        return body.len ? kube_buf_put(out, body.bytes, body.len) : KUBE_OK;
    case KUBE_BODY_JSON:
        if (!body.json)
            return kube_error_setf(KUBE_EINVAL, "body: NULL JSON value");
        return kube_json_write(out, body.json, 0);
    case KUBE_BODY_JSON_MUT:
        if (!body.json_mut)
            return kube_error_setf(KUBE_EINVAL, "body: NULL mutable JSON value");
        return kube_json_mut_write(out, body.json_mut, 0);
    case KUBE_BODY_STRING:
        if (!body.bytes)
            return kube_error_setf(KUBE_EINVAL, "body: NULL string");
        rc = kube_request__json_string(out, (const char *)body.bytes, body.len, "body string");
        if (rc) {
            out->size = old;
            if (out->ptr)
                out->ptr[old] = '\0';
        }
        return rc;
    case KUBE_BODY_NONE:
    default:
        return kube_error_setf(KUBE_EINVAL, "body: no value (kind %d)", (int)body.kind);
    }
}

/* ------------------------------------------------------------------------ */
/* the request value                                                          */

void kube_http_request_init(kube_http_request_t *req, const kube_mem_t *mem)
{
    memset(req, 0, sizeof *req);
    req->version = KUBE_HTTP_REQUEST_VERSION;
    req->mem = kube_mem__pick(mem);
}

static void wipe_free(const kube_mem_t *mem, char *s)
{
    if (s) {
        kube_mem__wipe(s, strlen(s));
        kube_mem__free(mem, s);
    }
}

void kube_http_request_dispose(kube_http_request_t *req)
{
    kube_mem_t mem;
    if (!req)
        return;
    mem = req->mem;
    for (size_t i = 0; i < req->header_count; i++) {
        kube_mem__free(&mem, req->headers[i].name);
        wipe_free(&mem, req->headers[i].value);
    }
    kube_mem__free(&mem, req->headers);
    kube_mem__free(&mem, req->path);
    if (req->body) {
        kube_mem__wipe(req->body, req->body_len);
        kube_mem__free(&mem, req->body);
    }
    kube_http_request_init(req, &mem);
}

static int ascii_ieq(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

const char *kube_http_request_header(const kube_http_request_t *req, const char *name)
{
    if (!req || !name)
        return NULL;
    for (size_t i = 0; i < req->header_count; i++)
        if (ascii_ieq(req->headers[i].name, name))
            return req->headers[i].value;
    return NULL;
}

/* RFC 7230 token characters. */
static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static kube_error_t append_header(kube_http_request_t *req, const char *name, const char *value)
{
    char *n, *v;
    if (req->header_count == req->header_cap_) {
        size_t cap = req->header_cap_ ? req->header_cap_ * 2 : 4;
        kube_http_header_t *h =
            (kube_http_header_t *)kube_mem__realloc(&req->mem, req->headers, cap * sizeof *h);
        if (!h)
            return kube_error_setf(KUBE_ENOMEM, "request: out of memory for headers");
        req->headers = h;
        req->header_cap_ = cap;
    }
    n = kube_mem__strdup(&req->mem, name);
    v = n ? kube_mem__strdup(&req->mem, value) : NULL;
    if (!v) {
        kube_mem__free(&req->mem, n);
        return kube_error_setf(KUBE_ENOMEM, "request: out of memory for header %s", name);
    }
    req->headers[req->header_count].name = n;
    req->headers[req->header_count].value = v;
    req->header_count++;
    return KUBE_OK;
}

kube_error_t kube_http_request_set_header(kube_http_request_t *req, const char *name, const char *value)
{
    size_t i, j;
    int replaced = 0;
    if (!req || !name || !value || !*name)
        return kube_error_setf(KUBE_EINVAL, "kube_http_request_set_header: NULL or empty argument");
    for (const char *p = name; *p; p++)
        if (!is_tchar((unsigned char)*p))
            return kube_error_setf(KUBE_EINVAL, "header name \"%s\" has an invalid character", name);
    for (const char *p = value; *p; p++)
        if (*p == '\r' || *p == '\n')
            return kube_error_setf(KUBE_EINVAL, "header %s: value contains CR or LF", name);
    /* Replace the first header of that name in place, drop the others. */
    for (i = 0; i < req->header_count; i++) {
        if (ascii_ieq(req->headers[i].name, name)) {
            char *v = kube_mem__strdup(&req->mem, value);
            if (!v)
                return kube_error_setf(KUBE_ENOMEM, "request: out of memory for header %s", name);
            wipe_free(&req->mem, req->headers[i].value);
            req->headers[i].value = v;
            replaced = 1;
            break;
        }
    }
    if (!replaced)
        return append_header(req, name, value);
    for (j = i + 1; j < req->header_count;) {
        if (ascii_ieq(req->headers[j].name, name)) {
            kube_mem__free(&req->mem, req->headers[j].name);
            wipe_free(&req->mem, req->headers[j].value);
            memmove(&req->headers[j], &req->headers[j + 1],
                    (req->header_count - j - 1) * sizeof *req->headers);
            req->header_count--;
        } else {
            j++;
        }
    }
    return KUBE_OK;
}

/* ------------------------------------------------------------------------ */
/* building                                                                  */

/* A request under construction: built aside and moved into the caller's
 * request only on success, so errors leave it unchanged. */
typedef struct builder {
    kube_http_request_t *out;
    kube_http_request_t req;
    kube_buf_t url;
    kube_buf_t body;
    int nquery;
    int has_body;
} builder_t;

static kube_error_t b_start(builder_t *b, kube_http_request_t *out, const char *method)
{
    if (!out || out->version != KUBE_HTTP_REQUEST_VERSION)
        return kube_error_setf(KUBE_EINVAL,
                               "request: not initialised (call kube_http_request_init() first)");
    b->out = out;
    kube_http_request_init(&b->req, &out->mem);
    b->req.method = method;
    kube_buf_init(&b->url, &out->mem);
    kube_buf_init(&b->body, &out->mem);
    b->nquery = 0;
    b->has_body = 0;
    return KUBE_OK;
}

static void b_abort(builder_t *b)
{
    kube_http_request_dispose(&b->req);
    kube_buf_dispose(&b->url);
    if (b->body.ptr)
        kube_mem__wipe(b->body.ptr, b->body.size);
    kube_buf_dispose(&b->body);
}

/* Move path and body into the request and hand it to the caller. */
static kube_error_t b_finish(builder_t *b, kube_error_t rc)
{
    size_t len;
    if (rc == KUBE_OK)
        rc = kube_buf_detach(&b->req.path, &len, &b->url);
    if (rc == KUBE_OK && b->has_body)
        rc = kube_buf_detach(&b->req.body, &b->req.body_len, &b->body);
    if (rc != KUBE_OK) {
        b_abort(b);
        return rc;
    }
    kube_buf_dispose(&b->url);
    kube_buf_dispose(&b->body);
    kube_http_request_dispose(b->out);
    *b->out = b->req;
    return KUBE_OK;
}

static kube_error_t q_add(builder_t *b, const char *key, const char *value)
{
    kube_error_t rc = kube_buf_put(&b->url, b->nquery++ ? "&" : "?", 1);
    if (!rc)
        rc = kube_buf_puts(&b->url, key);
    if (!rc)
        rc = kube_buf_put(&b->url, "=", 1);
    if (!rc)
        rc = kube_request__form_encode(&b->url, value, strlen(value));
    return rc;
}

static kube_error_t q_add_u64(builder_t *b, const char *key, uint64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%" PRIu64, v);
    return q_add(b, key, num);
}

static kube_error_t q_add_i64(builder_t *b, const char *key, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%" PRId64, v);
    return q_add(b, key, num);
}

static kube_error_t seg_add(builder_t *b, const char *seg)
{
    kube_error_t rc = kube_buf_put(&b->url, "/", 1);
    if (!rc)
        rc = kube_request__path_escape(&b->url, seg, strlen(seg));
    return rc;
}

static kube_error_t check_name(const char *name, const char *what)
{
    if (!name || !*name)
        return kube_error_setf(KUBE_EINVAL, "%s: a non-empty name is required", what);
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return kube_error_setf(KUBE_EINVAL, "%s: \"%s\" is not a valid name", what, name);
    return KUBE_OK;
}

static int has_ns(const char *ns)
{
    return ns && *ns;
}

enum ns_mode { NS_ITEM, NS_COLLECTION_ANY };

/* {prefix}/{group}/{version}[/namespaces/{ns}]/{plural} */
static kube_error_t b_collection(builder_t *b, const kube_resource_t *res, const char *ns,
                                 enum ns_mode mode)
{
    kube_error_t rc;
    if (!res)
        return kube_error_setf(KUBE_EINVAL, "request: NULL resource");
    if (res->struct_version != KUBE_RESOURCE_VERSION)
        return kube_error_setf(KUBE_EINVAL, "resource: struct_version is %u (expected %d)",
                               res->struct_version, KUBE_RESOURCE_VERSION);
    if (!res->group || !res->version || !*res->version || !res->plural || !*res->plural)
        return kube_error_setf(KUBE_EINVAL,
                               "resource: group, version and plural must be set (version and "
                               "plural non-empty)");
    if (res->scope != KUBE_SCOPE_NAMESPACED && res->scope != KUBE_SCOPE_CLUSTER)
        return kube_error_setf(KUBE_EINVAL, "resource %s: unknown scope %d", res->plural,
                               (int)res->scope);
    if (res->scope == KUBE_SCOPE_CLUSTER && has_ns(ns))
        return kube_error_setf(KUBE_EINVAL,
                               "namespace \"%s\" given for the cluster-scoped resource %s", ns,
                               res->plural);
    if (res->scope == KUBE_SCOPE_NAMESPACED && mode == NS_ITEM && !has_ns(ns))
        return kube_error_setf(KUBE_EINVAL, "a namespace is required for the namespaced resource %s",
                               res->plural);
    if (has_ns(ns) && (rc = check_name(ns, "namespace")))
        return rc;
    if (*res->group) {
        rc = kube_buf_puts(&b->url, "/apis");
        if (!rc)
            rc = seg_add(b, res->group);
    } else {
        rc = kube_buf_puts(&b->url, "/api");
    }
    if (!rc)
        rc = seg_add(b, res->version);
    if (!rc && has_ns(ns)) {
        rc = kube_buf_puts(&b->url, "/namespaces");
        if (!rc)
            rc = seg_add(b, ns);
    }
    if (!rc)
        rc = seg_add(b, res->plural);
    return rc;
}

/* {collection}/{name}[/{sub}] */
static kube_error_t b_item(builder_t *b, const kube_resource_t *res, const char *ns, const char *name,
                           const char *sub)
{
    kube_error_t rc = check_name(name, "name");
    if (!rc && sub)
        rc = check_name(sub, "subresource");
    if (!rc)
        rc = b_collection(b, res, ns, NS_ITEM);
    if (!rc)
        rc = seg_add(b, name);
    if (!rc && sub)
        rc = seg_add(b, sub);
    return rc;
}

static kube_error_t b_accept(builder_t *b, const char *accept)
{
    return append_header(&b->req, "Accept", accept);
}

/* Serialise the body and set Content-Type. */
static kube_error_t b_body(builder_t *b, kube_body_t body, const char *content_type)
{
    kube_error_t rc;
    if (body.kind == KUBE_BODY_NONE || (body.kind == KUBE_BODY_BYTES && body.len == 0))
        return kube_error_setf(KUBE_EINVAL, "request %s: a body is required", b->req.method);
    rc = kube_body_write(&b->body, body);
    if (!rc)
        rc = append_header(&b->req, "Content-Type", content_type);
    if (!rc)
        b->has_body = 1;
    return rc;
}

/* A body already written into b->body. */
static kube_error_t b_body_written(builder_t *b, const char *content_type)
{
    b->has_body = 1;
    return append_header(&b->req, "Content-Type", content_type);
}

/* ------------------------------------------------------------------------ */
/* parameter mappings                                                         */

static const kube_list_params_t default_list = KUBE_LIST_PARAMS_INIT;
static const kube_get_params_t default_get = KUBE_GET_PARAMS_INIT;
static const kube_watch_params_t default_watch = KUBE_WATCH_PARAMS_INIT;
static const kube_post_params_t default_post = KUBE_POST_PARAMS_INIT;
static const kube_patch_params_t default_patch = KUBE_PATCH_PARAMS_INIT;
static const kube_delete_params_t default_delete = KUBE_DELETE_PARAMS_INIT;
static const kube_log_params_t default_log = KUBE_LOG_PARAMS_INIT;
static const kube_evict_params_t default_evict = KUBE_EVICT_PARAMS_INIT;
static const kube_attach_params_t default_attach = KUBE_ATTACH_PARAMS_INIT;
static const kube_token_request_params_t default_token = KUBE_TOKEN_REQUEST_PARAMS_INIT;

static const char *validation_str(kube_field_validation_t v)
{
    switch (v) {
    case KUBE_FIELD_VALIDATION_STRICT: return "Strict";
    case KUBE_FIELD_VALIDATION_WARN: return "Warn";
    case KUBE_FIELD_VALIDATION_IGNORE: return "Ignore";
    default: return NULL;
    }
}

static const char *propagation_str(kube_propagation_t p)
{
    switch (p) {
    case KUBE_PROPAGATION_ORPHAN: return "Orphan";
    case KUBE_PROPAGATION_BACKGROUND: return "Background";
    case KUBE_PROPAGATION_FOREGROUND: return "Foreground";
    default: return NULL;
    }
}

static kube_error_t q_list(builder_t *b, const kube_list_params_t *p)
{
    kube_error_t rc = KUBE_OK;
    if (p->field_selector)
        rc = q_add(b, "fieldSelector", p->field_selector);
    if (!rc && p->label_selector)
        rc = q_add(b, "labelSelector", p->label_selector);
    if (!rc && p->timeout_seconds)
        rc = q_add_u64(b, "timeoutSeconds", p->timeout_seconds);
    if (!rc && p->limit)
        rc = q_add_u64(b, "limit", p->limit);
    if (rc)
        return rc;
    if (p->continue_token)
        return q_add(b, "continue", p->continue_token);
    /* Without a continue token: RV "0" cannot be paginated by the watch cache,
     * so it (and its match) is dropped when a limit is set. */
    if (p->resource_version && (strcmp(p->resource_version, "0") != 0 || !p->limit)) {
        rc = q_add(b, "resourceVersion", p->resource_version);
        if (!rc && p->version_match == KUBE_VERSION_MATCH_NOT_OLDER_THAN)
            rc = q_add(b, "resourceVersionMatch", "NotOlderThan");
        else if (!rc && p->version_match == KUBE_VERSION_MATCH_EXACT)
            rc = q_add(b, "resourceVersionMatch", "Exact");
    }
    return rc;
}

static kube_error_t q_watch(builder_t *b, const kube_watch_params_t *p, const char *rv)
{
    kube_error_t rc = q_add(b, "watch", "true");
    if (!rc)
        rc = q_add_u64(b, "timeoutSeconds", p->timeout_seconds);
    if (!rc && p->field_selector)
        rc = q_add(b, "fieldSelector", p->field_selector);
    if (!rc && p->label_selector)
        rc = q_add(b, "labelSelector", p->label_selector);
    if (!rc && p->bookmarks)
        rc = q_add(b, "allowWatchBookmarks", "true");
    if (!rc && p->send_initial_events) {
        rc = q_add(b, "sendInitialEvents", "true");
        if (!rc)
            rc = q_add(b, "resourceVersionMatch", "NotOlderThan");
    }
    if (!rc && rv)
        rc = q_add(b, "resourceVersion", rv);
    return rc;
}

static kube_error_t q_post(builder_t *b, const kube_post_params_t *p)
{
    kube_error_t rc = KUBE_OK;
    if (p->dry_run)
        rc = q_add(b, "dryRun", "All");
    if (!rc && p->field_manager)
        rc = q_add(b, "fieldManager", p->field_manager);
    if (!rc && validation_str(p->field_validation))
        rc = q_add(b, "fieldValidation", validation_str(p->field_validation));
    return rc;
}

static kube_error_t q_patch(builder_t *b, const kube_patch_params_t *p)
{
    kube_error_t rc = KUBE_OK;
    if (p->dry_run)
        rc = q_add(b, "dryRun", "All");
    if (!rc && p->force)
        rc = q_add(b, "force", "true");
    if (!rc && p->field_manager)
        rc = q_add(b, "fieldManager", p->field_manager);
    if (!rc && validation_str(p->field_validation))
        rc = q_add(b, "fieldValidation", validation_str(p->field_validation));
    return rc;
}

/* DeleteOptions members in Go's field order; @p type_meta adds kind/apiVersion. */
static kube_error_t write_delete_options(kube_buf_t *o, const kube_delete_params_t *p, int type_meta)
{
    kube_error_t rc = kube_buf_put(o, "{", 1);
    int n = 0;
    const char *prop = propagation_str(p->propagation_policy);
#define SEP() (n++ ? kube_buf_put(o, ",", 1) : KUBE_OK)
    if (!rc && type_meta) {
        rc = kube_buf_puts(o, "\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\"");
        n = 1;
    }
    if (!rc && p->grace_period_seconds != KUBE_PARAM_UNSET) {
        rc = SEP();
        if (!rc)
            rc = kube_buf_printf(o, "\"gracePeriodSeconds\":%" PRId64, p->grace_period_seconds);
    }
    if (!rc && (p->precondition_uid || p->precondition_resource_version)) {
        int m = 0;
        rc = SEP();
        if (!rc)
            rc = kube_buf_puts(o, "\"preconditions\":{");
        if (!rc && p->precondition_uid) {
            m = 1;
            rc = kube_buf_puts(o, "\"uid\":");
            if (!rc)
                rc = json_str(o, p->precondition_uid, "kube_delete_params_t.precondition_uid");
        }
        if (!rc && p->precondition_resource_version) {
            rc = kube_buf_puts(o, m ? ",\"resourceVersion\":" : "\"resourceVersion\":");
            if (!rc)
                rc = json_str(o, p->precondition_resource_version,
                              "kube_delete_params_t.precondition_resource_version");
        }
        if (!rc)
            rc = kube_buf_put(o, "}", 1);
    }
    if (!rc && prop) {
        rc = SEP();
        if (!rc)
            rc = kube_buf_printf(o, "\"propagationPolicy\":\"%s\"", prop);
    }
    if (!rc && p->dry_run) {
        rc = SEP();
        if (!rc)
            rc = kube_buf_puts(o, "\"dryRun\":[\"All\"]");
    }
#undef SEP
    if (!rc)
        rc = kube_buf_put(o, "}", 1);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* core verbs                                                                 */

static kube_error_t get_impl(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                             const char *name, const char *sub, const kube_get_params_t *p,
                             const char *accept)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, "GET");
    if (rc)
        return rc;
    if (!p)
        p = &default_get;
    rc = kube_params__get_validate(p);
    if (!rc)
        rc = b_item(&b, res, ns, name, sub);
    if (!rc && p->resource_version)
        rc = q_add(&b, "resourceVersion", p->resource_version);
    if (!rc)
        rc = b_accept(&b, accept);
    return b_finish(&b, rc);
}

kube_error_t kube_request_get(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                              const char *name, const kube_get_params_t *params)
{
    return get_impl(req, res, ns, name, NULL, params, MIME_JSON);
}

kube_error_t kube_request_get_metadata(kube_http_request_t *req, const kube_resource_t *res,
                                       const char *ns, const char *name,
                                       const kube_get_params_t *params)
{
    return get_impl(req, res, ns, name, NULL, params, KUBE_ACCEPT_METADATA);
}

static kube_error_t list_impl(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                              const kube_list_params_t *p, const char *accept)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, "GET");
    if (rc)
        return rc;
    if (!p)
        p = &default_list;
    rc = kube_list_params_validate(p);
    if (!rc)
        rc = b_collection(&b, res, ns, NS_COLLECTION_ANY);
    if (!rc)
        rc = q_list(&b, p);
    if (!rc)
        rc = b_accept(&b, accept);
    return b_finish(&b, rc);
}

kube_error_t kube_request_list(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                               const kube_list_params_t *params)
{
    return list_impl(req, res, ns, params, MIME_JSON);
}

kube_error_t kube_request_list_metadata(kube_http_request_t *req, const kube_resource_t *res,
                                        const char *ns, const kube_list_params_t *params)
{
    return list_impl(req, res, ns, params, KUBE_ACCEPT_METADATA_LIST);
}

static kube_error_t watch_impl(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                               const kube_watch_params_t *p, const char *rv, const char *accept)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, "GET");
    if (rc)
        return rc;
    if (!p)
        p = &default_watch;
    rc = kube_watch_params_validate(p);
    if (!rc)
        rc = b_collection(&b, res, ns, NS_COLLECTION_ANY);
    if (!rc)
        rc = q_watch(&b, p, rv);
    if (!rc)
        rc = b_accept(&b, accept);
    b.req.flags |= KUBE_HTTP_STREAM;
    return b_finish(&b, rc);
}

kube_error_t kube_request_watch(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                                const kube_watch_params_t *params, const char *resource_version)
{
    return watch_impl(req, res, ns, params, resource_version, MIME_JSON);
}

kube_error_t kube_request_watch_metadata(kube_http_request_t *req, const kube_resource_t *res,
                                         const char *ns, const kube_watch_params_t *params,
                                         const char *resource_version)
{
    return watch_impl(req, res, ns, params, resource_version, KUBE_ACCEPT_METADATA);
}

/* POST (name NULL: the collection) or PUT (with name); optional subresource. */
static kube_error_t write_impl(kube_http_request_t *req, const char *method,
                               const kube_resource_t *res, const char *ns, const char *name,
                               const char *sub, const kube_post_params_t *p, kube_body_t body)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, method);
    if (rc)
        return rc;
    if (!p)
        p = &default_post;
    rc = kube_post_params_validate(p);
    if (!rc)
        rc = name || sub ? b_item(&b, res, ns, name, sub) : b_collection(&b, res, ns, NS_ITEM);
    if (!rc)
        rc = q_post(&b, p);
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    if (!rc)
        rc = b_body(&b, body, MIME_JSON);
    return b_finish(&b, rc);
}

kube_error_t kube_request_create(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                                 const kube_post_params_t *params, kube_body_t body)
{
    return write_impl(req, "POST", res, ns, NULL, NULL, params, body);
}

kube_error_t kube_request_update(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                                 const char *name, const kube_post_params_t *params, kube_body_t body)
{
    kube_error_t rc = check_name(name, "name");
    if (rc)
        return rc;
    return write_impl(req, "PUT", res, ns, name, NULL, params, body);
}

static kube_error_t patch_impl(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                               const char *name, const char *sub, const kube_patch_params_t *p,
                               kube_patch_type_t type, kube_body_t patch, const char *accept)
{
    builder_t b;
    const char *ctype = kube_patch_content_type(type);
    kube_error_t rc = b_start(&b, req, "PATCH");
    if (rc)
        return rc;
    if (!p)
        p = &default_patch;
    rc = kube_patch_params_validate(p, type);
    if (!rc)
        rc = b_item(&b, res, ns, name, sub);
    if (!rc)
        rc = q_patch(&b, p);
    if (!rc)
        rc = b_accept(&b, accept);
    if (!rc)
        rc = b_body(&b, patch, ctype);
    return b_finish(&b, rc);
}

kube_error_t kube_request_patch(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                                const char *name, const kube_patch_params_t *params,
                                kube_patch_type_t type, kube_body_t patch)
{
    return patch_impl(req, res, ns, name, NULL, params, type, patch, MIME_JSON);
}

kube_error_t kube_request_patch_metadata(kube_http_request_t *req, const kube_resource_t *res,
                                         const char *ns, const char *name,
                                         const kube_patch_params_t *params, kube_patch_type_t type,
                                         kube_body_t patch)
{
    return patch_impl(req, res, ns, name, NULL, params, type, patch, KUBE_ACCEPT_METADATA);
}

kube_error_t kube_request_delete(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                                 const char *name, const kube_delete_params_t *params)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, "DELETE");
    if (rc)
        return rc;
    if (!params)
        params = &default_delete;
    rc = kube_delete_params_validate(params);
    if (!rc)
        rc = b_item(&b, res, ns, name, NULL);
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    if (!rc)
        rc = write_delete_options(&b.body, params, 1);
    if (!rc)
        rc = b_body_written(&b, MIME_JSON);
    return b_finish(&b, rc);
}

kube_error_t kube_request_deletecollection(kube_http_request_t *req, const kube_resource_t *res,
                                           const char *ns, const kube_delete_params_t *params,
                                           const kube_list_params_t *lp)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, "DELETE");
    if (rc)
        return rc;
    if (!params)
        params = &default_delete;
    if (!lp)
        lp = &default_list;
    rc = kube_delete_params_validate(params);
    if (!rc)
        rc = kube_list_params_validate(lp);
    if (!rc)
        rc = b_collection(&b, res, ns, NS_ITEM);
    if (!rc && lp->field_selector)
        rc = q_add(&b, "fieldSelector", lp->field_selector);
    if (!rc && lp->label_selector)
        rc = q_add(&b, "labelSelector", lp->label_selector);
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    if (!rc && !kube_delete_params_is_default(params)) {
        rc = write_delete_options(&b.body, params, 1);
        if (!rc)
            rc = b_body_written(&b, MIME_JSON);
    }
    return b_finish(&b, rc);
}

/* ------------------------------------------------------------------------ */
/* subresources                                                               */

kube_error_t kube_request_get_subresource(kube_http_request_t *req, const kube_resource_t *res,
                                          const char *ns, const char *name, const char *subresource)
{
    kube_error_t rc = check_name(subresource, "subresource");
    if (rc)
        return rc;
    return get_impl(req, res, ns, name, subresource, NULL, MIME_JSON);
}

kube_error_t kube_request_create_subresource(kube_http_request_t *req, const kube_resource_t *res,
                                             const char *ns, const char *name, const char *subresource,
                                             const kube_post_params_t *params, kube_body_t body)
{
    kube_error_t rc = check_name(name, "name");
    if (!rc)
        rc = check_name(subresource, "subresource");
    if (rc)
        return rc;
    return write_impl(req, "POST", res, ns, name, subresource, params, body);
}

kube_error_t kube_request_update_subresource(kube_http_request_t *req, const kube_resource_t *res,
                                             const char *ns, const char *name, const char *subresource,
                                             const kube_post_params_t *params, kube_body_t body)
{
    kube_error_t rc = check_name(name, "name");
    if (!rc)
        rc = check_name(subresource, "subresource");
    if (rc)
        return rc;
    return write_impl(req, "PUT", res, ns, name, subresource, params, body);
}

kube_error_t kube_request_patch_subresource(kube_http_request_t *req, const kube_resource_t *res,
                                            const char *ns, const char *name, const char *subresource,
                                            const kube_patch_params_t *params, kube_patch_type_t type,
                                            kube_body_t patch)
{
    kube_error_t rc = check_name(subresource, "subresource");
    if (rc)
        return rc;
    return patch_impl(req, res, ns, name, subresource, params, type, patch, MIME_JSON);
}

kube_error_t kube_request_get_status(kube_http_request_t *req, const kube_resource_t *res,
                                     const char *ns, const char *name)
{
    return kube_request_get_subresource(req, res, ns, name, "status");
}

kube_error_t kube_request_update_status(kube_http_request_t *req, const kube_resource_t *res,
                                        const char *ns, const char *name,
                                        const kube_post_params_t *params, kube_body_t body)
{
    return kube_request_update_subresource(req, res, ns, name, "status", params, body);
}

kube_error_t kube_request_patch_status(kube_http_request_t *req, const kube_resource_t *res,
                                       const char *ns, const char *name,
                                       const kube_patch_params_t *params, kube_patch_type_t type,
                                       kube_body_t patch)
{
    return kube_request_patch_subresource(req, res, ns, name, "status", params, type, patch);
}

kube_error_t kube_request_get_scale(kube_http_request_t *req, const kube_resource_t *res,
                                    const char *ns, const char *name)
{
    return kube_request_get_subresource(req, res, ns, name, "scale");
}

kube_error_t kube_request_update_scale(kube_http_request_t *req, const kube_resource_t *res,
                                       const char *ns, const char *name,
                                       const kube_post_params_t *params, kube_body_t body)
{
    return kube_request_update_subresource(req, res, ns, name, "scale", params, body);
}

kube_error_t kube_request_patch_scale(kube_http_request_t *req, const kube_resource_t *res,
                                      const char *ns, const char *name,
                                      const kube_patch_params_t *params, kube_patch_type_t type,
                                      kube_body_t patch)
{
    return kube_request_patch_subresource(req, res, ns, name, "scale", params, type, patch);
}

/* ------------------------------------------------------------------------ */
/* pods                                                                        */

static const kube_resource_t pods_res = {KUBE_RESOURCE_VERSION, "", "v1", "Pod", "pods", "pod",
                                         KUBE_SCOPE_NAMESPACED, NULL};
static const kube_resource_t nodes_res = {KUBE_RESOURCE_VERSION, "", "v1", "Node", "nodes", "node",
                                          KUBE_SCOPE_CLUSTER, NULL};
static const kube_resource_t serviceaccounts_res = {KUBE_RESOURCE_VERSION, "", "v1",
                                                    "ServiceAccount", "serviceaccounts",
                                                    "serviceaccount", KUBE_SCOPE_NAMESPACED, NULL};
static const kube_resource_t csr_res = {KUBE_RESOURCE_VERSION, "certificates.k8s.io", "v1",
                                        "CertificateSigningRequest", "certificatesigningrequests",
                                        "certificatesigningrequest", KUBE_SCOPE_CLUSTER, NULL};

static kube_error_t q_log(builder_t *b, const kube_log_params_t *p, int with_container)
{
    kube_error_t rc = KUBE_OK;
    if (with_container && p->container)
        rc = q_add(b, "container", p->container);
    if (!rc && p->follow)
        rc = q_add(b, "follow", "true");
    if (!rc && p->limit_bytes != KUBE_PARAM_UNSET)
        rc = q_add_i64(b, "limitBytes", p->limit_bytes);
    if (!rc && p->pretty)
        rc = q_add(b, "pretty", "true");
    if (!rc && p->previous)
        rc = q_add(b, "previous", "true");
    if (!rc && p->since_seconds != KUBE_PARAM_UNSET)
        rc = q_add_i64(b, "sinceSeconds", p->since_seconds);
    else if (!rc && p->since_time)
        rc = q_add(b, "sinceTime", p->since_time);
    if (!rc && p->tail_lines != KUBE_PARAM_UNSET)
        rc = q_add_i64(b, "tailLines", p->tail_lines);
    if (!rc && p->timestamps)
        rc = q_add(b, "timestamps", "true");
    return rc;
}

kube_error_t kube_request_log(kube_http_request_t *req, const char *ns, const char *pod,
                              const kube_log_params_t *p)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, "GET");
    if (rc)
        return rc;
    if (!p)
        p = &default_log;
    rc = kube_log_params_validate(p);
    if (!rc)
        rc = b_item(&b, &pods_res, ns, pod, "log");
    if (!rc)
        rc = q_log(&b, p, 1);
    if (!rc)
        rc = b_accept(&b, ACCEPT_LOG);
    if (p->follow)
        b.req.flags |= KUBE_HTTP_STREAM;
    return b_finish(&b, rc);
}

kube_error_t kube_request_evict(kube_http_request_t *req, const char *ns, const char *pod,
                                const kube_evict_params_t *p)
{
    builder_t b;
    kube_buf_t *o;
    kube_error_t rc = b_start(&b, req, "POST");
    if (rc)
        return rc;
    if (!p)
        p = &default_evict;
    o = &b.body;
    rc = kube_evict_params_validate(p);
    if (!rc)
        rc = b_item(&b, &pods_res, ns, pod, "eviction");
    if (!rc)
        rc = q_post(&b, &p->post_options);
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    if (!rc)
        rc = kube_buf_puts(o, "{\"kind\":\"Eviction\",\"apiVersion\":\"policy/v1\",\"metadata\":{\"name\":");
    if (!rc)
        rc = json_str(o, pod, "pod name");
    if (!rc)
        rc = kube_buf_puts(o, ",\"namespace\":");
    if (!rc)
        rc = json_str(o, ns, "namespace");
    if (!rc)
        rc = kube_buf_put(o, "}", 1);
    if (!rc && !kube_delete_params_is_default(&p->delete_options)) {
        rc = kube_buf_puts(o, ",\"deleteOptions\":");
        if (!rc)
            rc = write_delete_options(o, &p->delete_options, 0);
    }
    if (!rc)
        rc = kube_buf_put(o, "}", 1);
    if (!rc)
        rc = b_body_written(&b, MIME_JSON);
    return b_finish(&b, rc);
}

static kube_error_t q_attach(builder_t *b, const kube_attach_params_t *p)
{
    kube_error_t rc = KUBE_OK;
    if (p->stdin_)
        rc = q_add(b, "stdin", "true");
    if (!rc && p->stdout_)
        rc = q_add(b, "stdout", "true");
    if (!rc && p->stderr_)
        rc = q_add(b, "stderr", "true");
    if (!rc && p->tty)
        rc = q_add(b, "tty", "true");
    if (!rc && p->container)
        rc = q_add(b, "container", p->container);
    return rc;
}

kube_error_t kube_request_exec(kube_http_request_t *req, const char *ns, const char *pod,
                               const char *const *argv, size_t argc, const kube_attach_params_t *p)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, "GET");
    if (rc)
        return rc;
    if (!p)
        p = &default_attach;
    rc = kube_attach_params_validate(p);
    if (!rc && (argc == 0 || !argv))
        rc = kube_error_setf(KUBE_EINVAL, "exec: a command is required (argc is 0)");
    for (size_t i = 0; !rc && i < argc; i++)
        if (!argv[i])
            rc = kube_error_setf(KUBE_EINVAL, "exec: argv[%zu] is NULL", i);
    if (!rc)
        rc = b_item(&b, &pods_res, ns, pod, "exec");
    if (!rc)
        rc = q_attach(&b, p);
    for (size_t i = 0; !rc && i < argc; i++)
        rc = q_add(&b, "command", argv[i]);
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    b.req.flags |= KUBE_HTTP_UPGRADE;
    return b_finish(&b, rc);
}

kube_error_t kube_request_attach(kube_http_request_t *req, const char *ns, const char *pod,
                                 const kube_attach_params_t *p)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, "GET");
    if (rc)
        return rc;
    if (!p)
        p = &default_attach;
    rc = kube_attach_params_validate(p);
    if (!rc)
        rc = b_item(&b, &pods_res, ns, pod, "attach");
    if (!rc)
        rc = q_attach(&b, p);
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    b.req.flags |= KUBE_HTTP_UPGRADE;
    return b_finish(&b, rc);
}

/* "80,443": at most 128 ports of 5 digits plus commas. */
#define PORT_LIST_MAX (KUBE_PORTFORWARD_MAX_PORTS * 6 + 1)

static void port_list(char *list, const uint16_t *ports, size_t count)
{
    size_t len = 0;
    list[0] = '\0';
    for (size_t i = 0; i < count; i++)
        len += (size_t)snprintf(list + len, PORT_LIST_MAX - len, i ? ",%u" : "%u",
                                (unsigned int)ports[i]);
}

kube_error_t kube_request_portforward(kube_http_request_t *req, const char *ns, const char *pod,
                                      const uint16_t *ports, size_t count)
{
    builder_t b;
    char list[PORT_LIST_MAX];
    kube_error_t rc = b_start(&b, req, "GET");
    if (rc)
        return rc;
    rc = kube_portforward_ports_validate(ports, count);
    if (!rc)
        rc = b_item(&b, &pods_res, ns, pod, "portforward");
    if (!rc) {
        port_list(list, ports, count);
        rc = q_add(&b, "ports", list);
    }
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    b.req.flags |= KUBE_HTTP_UPGRADE;
    return b_finish(&b, rc);
}

kube_error_t kube_request_get_ephemeral_containers(kube_http_request_t *req, const char *ns,
                                                   const char *pod)
{
    return get_impl(req, &pods_res, ns, pod, "ephemeralcontainers", NULL, MIME_JSON);
}

kube_error_t kube_request_update_ephemeral_containers(kube_http_request_t *req, const char *ns,
                                                      const char *pod,
                                                      const kube_post_params_t *params,
                                                      kube_body_t body)
{
    kube_error_t rc = check_name(pod, "pod");
    if (rc)
        return rc;
    return write_impl(req, "PUT", &pods_res, ns, pod, "ephemeralcontainers", params, body);
}

kube_error_t kube_request_patch_ephemeral_containers(kube_http_request_t *req, const char *ns,
                                                     const char *pod,
                                                     const kube_patch_params_t *params,
                                                     kube_patch_type_t type, kube_body_t patch)
{
    return patch_impl(req, &pods_res, ns, pod, "ephemeralcontainers", params, type, patch, MIME_JSON);
}

/* ------------------------------------------------------------------------ */
/* kubelet debug endpoints                                                    */

/* /{root}/{ns}/{pod}[/{uid}][/{container}] */
static kube_error_t b_kubelet_path(builder_t *b, const char *root, const char *ns, const char *pod,
                                   const char *uid, const char *container, int need_container)
{
    kube_error_t rc = check_name(ns, "namespace");
    if (!rc)
        rc = check_name(pod, "pod");
    if (!rc && uid)
        rc = check_name(uid, "pod_uid");
    if (!rc && need_container)
        rc = check_name(container, "container");
    if (!rc)
        rc = kube_buf_puts(&b->url, root);
    if (!rc)
        rc = seg_add(b, ns);
    if (!rc)
        rc = seg_add(b, pod);
    if (!rc && uid)
        rc = seg_add(b, uid);
    if (!rc && container)
        rc = seg_add(b, container);
    return rc;
}

/* The kubelet's own stream parameter names. */
static kube_error_t q_kubelet_streams(builder_t *b, const kube_attach_params_t *p)
{
    kube_error_t rc = KUBE_OK;
    if (p->stdin_)
        rc = q_add(b, "input", "1");
    if (!rc && p->stdout_)
        rc = q_add(b, "output", "1");
    if (!rc && p->stderr_)
        rc = q_add(b, "error", "1");
    if (!rc && p->tty)
        rc = q_add(b, "tty", "1");
    return rc;
}

static kube_error_t check_no_container(const char *container, const char *type)
{
    if (container)
        return kube_error_setf(KUBE_EINVAL,
                               "%s.container must be NULL for kubelet requests (the container is "
                               "an argument)",
                               type);
    return KUBE_OK;
}

kube_error_t kube_request_kubelet_logs(kube_http_request_t *req, const char *ns, const char *pod,
                                       const char *container, const kube_log_params_t *p)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, "GET");
    if (rc)
        return rc;
    if (!p)
        p = &default_log;
    rc = kube_log_params_validate(p);
    if (!rc)
        rc = check_no_container(p->container, "kube_log_params_t");
    if (!rc)
        rc = b_kubelet_path(&b, "/containerLogs", ns, pod, NULL, container, 1);
    if (!rc)
        rc = q_log(&b, p, 0);
    if (!rc)
        rc = b_accept(&b, ACCEPT_LOG);
    if (p->follow)
        b.req.flags |= KUBE_HTTP_STREAM;
    return b_finish(&b, rc);
}

static kube_error_t kubelet_stream(kube_http_request_t *req, int is_exec, const char *ns,
                                   const char *pod, const char *uid, const char *container,
                                   const char *const *argv, size_t argc,
                                   const kube_attach_params_t *p)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, "GET");
    if (rc)
        return rc;
    if (!p)
        p = &default_attach;
    rc = kube_attach_params_validate(p);
    if (!rc)
        rc = check_no_container(p->container, "kube_attach_params_t");
    if (!rc && is_exec && (argc == 0 || !argv))
        rc = kube_error_setf(KUBE_EINVAL, "exec: a command is required (argc is 0)");
    for (size_t i = 0; !rc && i < argc; i++)
        if (!argv[i])
            rc = kube_error_setf(KUBE_EINVAL, "exec: argv[%zu] is NULL", i);
    if (!rc)
        rc = b_kubelet_path(&b, is_exec ? "/exec" : "/attach", ns, pod, uid, container, 1);
    if (!rc)
        rc = q_kubelet_streams(&b, p);
    for (size_t i = 0; !rc && i < argc; i++)
        rc = q_add(&b, "command", argv[i]);
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    b.req.flags |= KUBE_HTTP_UPGRADE;
    return b_finish(&b, rc);
}

kube_error_t kube_request_kubelet_exec(kube_http_request_t *req, const char *ns, const char *pod,
                                       const char *pod_uid, const char *container,
                                       const char *const *argv, size_t argc,
                                       const kube_attach_params_t *params)
{
    return kubelet_stream(req, 1, ns, pod, pod_uid, container, argv, argc, params);
}

kube_error_t kube_request_kubelet_attach(kube_http_request_t *req, const char *ns, const char *pod,
                                         const char *pod_uid, const char *container,
                                         const kube_attach_params_t *params)
{
    return kubelet_stream(req, 0, ns, pod, pod_uid, container, NULL, 0, params);
}

kube_error_t kube_request_kubelet_portforward(kube_http_request_t *req, const char *ns,
                                              const char *pod, const char *pod_uid,
                                              const uint16_t *ports, size_t count)
{
    builder_t b;
    char list[PORT_LIST_MAX];
    kube_error_t rc = b_start(&b, req, "GET");
    if (rc)
        return rc;
    rc = kube_portforward_ports_validate(ports, count);
    if (!rc)
        rc = b_kubelet_path(&b, "/portForward", ns, pod, pod_uid, NULL, 0);
    if (!rc) {
        port_list(list, ports, count);
        rc = q_add(&b, "port", list);
    }
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    b.req.flags |= KUBE_HTTP_UPGRADE;
    return b_finish(&b, rc);
}

/* ------------------------------------------------------------------------ */
/* token request, CSR approval, restart, cordon, raw                          */

kube_error_t kube_request_create_token(kube_http_request_t *req, const char *ns,
                                       const char *service_account,
                                       const kube_token_request_params_t *p)
{
    builder_t b;
    kube_buf_t *o;
    kube_error_t rc = b_start(&b, req, "POST");
    if (rc)
        return rc;
    if (!p)
        p = &default_token;
    o = &b.body;
    rc = kube_token_request_params_validate(p);
    if (!rc)
        rc = b_item(&b, &serviceaccounts_res, ns, service_account, "token");
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    if (!rc)
        rc = kube_buf_puts(o, "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\","
                              "\"spec\":{\"audiences\":[");
    for (size_t i = 0; !rc && i < p->audience_count; i++) {
        if (i)
            rc = kube_buf_put(o, ",", 1);
        if (!rc)
            rc = json_str(o, p->audiences[i], "kube_token_request_params_t.audiences[]");
    }
    if (!rc)
        rc = kube_buf_put(o, "]", 1);
    if (!rc && p->expiration_seconds != KUBE_PARAM_UNSET)
        rc = kube_buf_printf(o, ",\"expirationSeconds\":%" PRId64, p->expiration_seconds);
    if (!rc && p->bound_object_kind) {
        rc = kube_buf_puts(o, ",\"boundObjectRef\":{\"kind\":");
        if (!rc)
            rc = json_str(o, p->bound_object_kind, "kube_token_request_params_t.bound_object_kind");
        if (!rc && p->bound_object_api_version) {
            rc = kube_buf_puts(o, ",\"apiVersion\":");
            if (!rc)
                rc = json_str(o, p->bound_object_api_version,
                              "kube_token_request_params_t.bound_object_api_version");
        }
        if (!rc)
            rc = kube_buf_puts(o, ",\"name\":");
        if (!rc)
            rc = json_str(o, p->bound_object_name, "kube_token_request_params_t.bound_object_name");
        if (!rc && p->bound_object_uid) {
            rc = kube_buf_puts(o, ",\"uid\":");
            if (!rc)
                rc = json_str(o, p->bound_object_uid, "kube_token_request_params_t.bound_object_uid");
        }
        if (!rc)
            rc = kube_buf_put(o, "}", 1);
    }
    if (!rc)
        rc = kube_buf_puts(o, "}}");
    if (!rc)
        rc = b_body_written(&b, MIME_JSON);
    return b_finish(&b, rc);
}

/* Copy @p csr into @p doc with the decision condition appended. */
static kube_error_t csr_with_condition(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                       const kube_json_t *csr, const kube_csr_approval_params_t *p)
{
    const kube_json_t *conds = kube_json_pointer(csr, "/status/conditions");
    const kube_json_t *c;
    kube_json_iter_t it;
    kube_json_mut_t *root, *status, *mconds, *cond;
    kube_error_t rc;

    if (conds && kube_json_type(conds) != KUBE_JSON_ARRAY && kube_json_type(conds) != KUBE_JSON_NULL)
        return kube_error_setf(KUBE_EINVAL, "CSR: status.conditions is not an array");
    kube_json_iter_init(&it, conds);
    while ((c = kube_json_iter_next(&it, NULL, NULL)) != NULL) {
        const kube_json_t *t = kube_json_get(c, "type");
        if (kube_json_string_eq(t, "Approved") || kube_json_string_eq(t, "Denied"))
            return kube_error_setf(KUBE_EEXISTS, "CSR %s: already %s",
                                   kube_json_string(kube_json_pointer(csr, "/metadata/name")),
                                   kube_json_string_eq(t, "Approved") ? "approved" : "denied");
    }
    root = kube_json_mut_copy(doc, csr);
    if (!root)
        return kube_error_last()->code ? kube_error_last()->code : KUBE_ENOMEM;
    status = kube_json_mut_obj_get(root, "status");
    if (!status || kube_json_mut_type(status) == KUBE_JSON_NULL) {
        if (!(status = kube_json_mut_obj(doc)))
            return KUBE_ENOMEM;
        if ((rc = kube_json_mut_obj_set(root, "status", status)))
            return rc;
    } else if (kube_json_mut_type(status) != KUBE_JSON_OBJECT) {
        return kube_error_setf(KUBE_EINVAL, "CSR: status is not an object");
    }
    mconds = kube_json_mut_obj_get(status, "conditions");
    if (!mconds || kube_json_mut_type(mconds) == KUBE_JSON_NULL) {
        if (!(mconds = kube_json_mut_arr(doc)))
            return KUBE_ENOMEM;
        if ((rc = kube_json_mut_obj_set(status, "conditions", mconds)))
            return rc;
    }
    if (!(cond = kube_json_mut_obj(doc)))
        return KUBE_ENOMEM;
    if ((rc = kube_json_mut_obj_set_str(cond, "type", p->deny ? "Denied" : "Approved")) ||
        (rc = kube_json_mut_obj_set_str(cond, "status", "True")) ||
        (rc = kube_json_mut_obj_set_str(cond, "reason",
                                        p->reason ? p->reason : p->deny ? "KubeDeny" : "KubeApprove")) ||
        (rc = kube_json_mut_obj_set_str(cond, "message",
                                        p->message ? p->message
                                        : p->deny  ? "This CSR was denied by libkube."
                                                   : "This CSR was approved by libkube.")))
        return rc;
    if (p->last_update_time && (rc = kube_json_mut_obj_set_str(cond, "lastUpdateTime",
                                                                p->last_update_time)))
        return rc;
    if ((rc = kube_json_mut_arr_append(mconds, cond)))
        return rc;
    *out = root;
    return KUBE_OK;
}

kube_error_t kube_request_approve_csr(kube_http_request_t *req, const kube_json_t *csr,
                                      const kube_csr_approval_params_t *p)
{
    static const kube_csr_approval_params_t def = KUBE_CSR_APPROVAL_PARAMS_INIT;
    builder_t b;
    kube_json_mut_doc_t *doc = NULL;
    kube_json_mut_t *root = NULL;
    const char *name;
    kube_error_t rc = b_start(&b, req, "PUT");
    if (rc)
        return rc;
    if (!p)
        p = &def;
    name = kube_json_string(kube_json_pointer(csr, "/metadata/name"));
    if (p->version == 0 || p->version > KUBE_CSR_APPROVAL_PARAMS_VERSION)
        rc = kube_error_setf(KUBE_EINVAL, "kube_csr_approval_params_t.version is %u (expected %d)",
                             p->version, KUBE_CSR_APPROVAL_PARAMS_VERSION);
    else if (kube_json_type(csr) != KUBE_JSON_OBJECT)
        rc = kube_error_setf(KUBE_EINVAL, "CSR: not a JSON object");
    else if (!name)
        rc = kube_error_setf(KUBE_EINVAL, "CSR: metadata.name is missing");
    if (!rc)
        rc = b_item(&b, &csr_res, NULL, name, "approval");
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    if (!rc)
        rc = kube_json_mut_doc_new(&doc, &req->mem);
    if (!rc)
        rc = csr_with_condition(&root, doc, csr, p);
    if (!rc)
        rc = kube_json_mut_write(&b.body, root, 0);
    if (!rc)
        rc = b_body_written(&b, MIME_JSON);
    kube_json_mut_doc_free(doc);
    return b_finish(&b, rc);
}

kube_error_t kube_request_restart(kube_http_request_t *req, const kube_resource_t *res, const char *ns,
                                  const char *name, const char *restarted_at)
{
    builder_t b;
    kube_buf_t *o;
    kube_error_t rc = b_start(&b, req, "PATCH");
    if (rc)
        return rc;
    o = &b.body;
    if (!restarted_at || !*restarted_at)
        rc = kube_error_setf(KUBE_EINVAL, "restart: restarted_at (an RFC 3339 time) is required");
    if (!rc)
        rc = b_item(&b, res, ns, name, NULL);
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    if (!rc)
        rc = kube_buf_puts(o, "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{"
                              "\"kubectl.kubernetes.io/restartedAt\":");
    if (!rc)
        rc = json_str(o, restarted_at, "restarted_at");
    if (!rc)
        rc = kube_buf_puts(o, "}}}}}");
    if (!rc)
        rc = b_body_written(&b, kube_patch_content_type(KUBE_PATCH_MERGE));
    return b_finish(&b, rc);
}

static kube_error_t set_unschedulable(kube_http_request_t *req, const char *node, int value)
{
    builder_t b;
    kube_error_t rc = b_start(&b, req, "PATCH");
    if (rc)
        return rc;
    rc = b_item(&b, &nodes_res, NULL, node, NULL);
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    if (!rc)
        rc = kube_buf_puts(&b.body, value ? "{\"spec\":{\"unschedulable\":true}}"
                                          : "{\"spec\":{\"unschedulable\":false}}");
    if (!rc)
        rc = b_body_written(&b, kube_patch_content_type(KUBE_PATCH_STRATEGIC));
    return b_finish(&b, rc);
}

kube_error_t kube_request_cordon(kube_http_request_t *req, const char *node)
{
    return set_unschedulable(req, node, 1);
}

kube_error_t kube_request_uncordon(kube_http_request_t *req, const char *node)
{
    return set_unschedulable(req, node, 0);
}

kube_error_t kube_request_raw(kube_http_request_t *req, const char *method, const char *path_and_query,
                              kube_body_t body, const char *content_type)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
    const char *m = NULL;
    builder_t b;
    kube_error_t rc;
    for (size_t i = 0; method && i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(method, methods[i]) == 0)
            m = methods[i];
    if (!m)
        return kube_error_setf(KUBE_EINVAL, "raw request: unsupported method \"%s\"",
                               method ? method : "(null)");
    if (!path_and_query || path_and_query[0] != '/')
        return kube_error_setf(KUBE_EINVAL, "raw request: the path must start with '/'");
    for (const char *p = path_and_query; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p == 0x7f)
            return kube_error_setf(KUBE_EINVAL,
                                   "raw request: the path has a space or control character at "
                                   "byte %zu",
                                   (size_t)(p - path_and_query));
    if (content_type)
        for (const char *p = content_type; *p; p++)
            if (*p == '\r' || *p == '\n')
                return kube_error_setf(KUBE_EINVAL, "raw request: CR or LF in the content type");
    rc = b_start(&b, req, m);
    if (rc)
        return rc;
    rc = kube_buf_puts(&b.url, path_and_query);
    if (!rc)
        rc = b_accept(&b, MIME_JSON);
    if (!rc && body.kind != KUBE_BODY_NONE && !(body.kind == KUBE_BODY_BYTES && body.len == 0))
        rc = b_body(&b, body, content_type ? content_type : MIME_JSON);
    return b_finish(&b, rc);
}
