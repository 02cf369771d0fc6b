/* AdmissionReview and ConversionReview payloads for webhook servers. */
#include <stdio.h>
#include <string.h>

#include <kube/admission.h>

#include "alloc_int.h"
#include "encoding_int.h"

#define ADMISSION_V1 "admission.k8s.io/v1"
#define ADMISSION_V1BETA1 "admission.k8s.io/v1beta1"
#define CONVERSION_V1 "apiextensions.k8s.io/v1"
#define CONVERSION_V1BETA1 "apiextensions.k8s.io/v1beta1"

/* ---- helpers ---- */

static kube_error_t mut_err(void)
{
    kube_error_t c = kube_error_last()->code;
    return c ? c : kube_error_setf(KUBE_ENOMEM, "out of memory");
}

/* Replace *field with a copy of s (NULL clears); unchanged on ENOMEM. */
static kube_error_t set_str(const kube_mem_t *m, char **field, const char *s)
{
    char *c = NULL;
    if (s && !(c = kube_mem__strdup(m, s)))
        return kube_error_setf(KUBE_ENOMEM, "admission: out of memory");
    kube_mem__free(m, *field);
    *field = c;
    return KUBE_OK;
}

static kube_error_t copy_bounded(char *dst, size_t cap, const kube_json_t *v, const char *path, int required)
{
    const char *s = kube_json_string(v);
    size_t n;
    if (!v || kube_json_type(v) == KUBE_JSON_NULL) {
        if (required)
            return kube_error_setf(KUBE_EINVAL, "%s: missing", path);
        dst[0] = '\0';
        return KUBE_OK;
    }
    if (!s)
        return kube_error_setf(KUBE_EINVAL, "%s: not a string", path);
    n = kube_json_string_len(v);
    if (n >= cap || strlen(s) != n)
        return kube_error_setf(KUBE_EINVAL, "%s: longer than %zu bytes or holds NUL", path, cap - 1);
    if (required && !n)
        return kube_error_setf(KUBE_EINVAL, "%s: empty", path);
    memcpy(dst, s, n + 1);
    return KUBE_OK;
}

static kube_error_t read_gvk(kube_gvk_t *out, const kube_json_t *v, const char *path)
{
    char p[96];
    kube_error_t rc;
    if (kube_json_type(v) != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "%s: missing or not an object", path);
    snprintf(p, sizeof p, "%s.group", path);
    if ((rc = copy_bounded(out->group, sizeof out->group, kube_json_get(v, "group"), p, 0)))
        return rc;
    snprintf(p, sizeof p, "%s.version", path);
    if ((rc = copy_bounded(out->version, sizeof out->version, kube_json_get(v, "version"), p, 1)))
        return rc;
    snprintf(p, sizeof p, "%s.kind", path);
    return copy_bounded(out->kind, sizeof out->kind, kube_json_get(v, "kind"), p, 1);
}

static kube_error_t read_gvr(kube_gvr_t *out, const kube_json_t *v, const char *path)
{
    char p[96];
    kube_error_t rc;
    if (kube_json_type(v) != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "%s: missing or not an object", path);
    snprintf(p, sizeof p, "%s.group", path);
    if ((rc = copy_bounded(out->group, sizeof out->group, kube_json_get(v, "group"), p, 0)))
        return rc;
    snprintf(p, sizeof p, "%s.version", path);
    if ((rc = copy_bounded(out->version, sizeof out->version, kube_json_get(v, "version"), p, 1)))
        return rc;
    snprintf(p, sizeof p, "%s.resource", path);
    return copy_bounded(out->resource, sizeof out->resource, kube_json_get(v, "resource"), p, 1);
}

/* An optional string member: NULL when absent or null, EINVAL when another type. */
static kube_error_t opt_str(const char **out, const kube_json_t *obj, const char *key, const char *path)
{
    const kube_json_t *v = kube_json_get(obj, key);
    *out = NULL;
    if (!v || kube_json_type(v) == KUBE_JSON_NULL)
        return KUBE_OK;
    if (!(*out = kube_json_string(v)))
        return kube_error_setf(KUBE_EINVAL, "%s.%s: not a string", path, key);
    return KUBE_OK;
}

static const kube_json_t *opt_val(const kube_json_t *obj, const char *key)
{
    const kube_json_t *v = kube_json_get(obj, key);
    return kube_json_type(v) == KUBE_JSON_NULL ? NULL : v;
}

static kube_error_t check_review(const kube_json_t *review, const char *kind, const char *v1, const char *v1beta1,
                                 const char **api_version)
{
    const char *av = kube_json_string(kube_json_get(review, "apiVersion"));
    if (kube_json_type(review) != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "%s: not a JSON object", kind);
    if (!kube_json_string_eq(kube_json_get(review, "kind"), kind))
        return kube_error_setf(KUBE_EINVAL, "%s: kind: expected \"%s\"", kind, kind);
    if (!av || (strcmp(av, v1) != 0 && strcmp(av, v1beta1) != 0))
        return kube_error_setf(KUBE_EINVAL, "%s: apiVersion: expected \"%s\" or \"%s\"", kind, v1, v1beta1);
    *api_version = av;
    return KUBE_OK;
}

/* ---- admission requests ---- */

static const char *const op_names[] = {"CREATE", "UPDATE", "DELETE", "CONNECT"};

const char *kube_admission_op_name(kube_admission_op_t op)
{
    return (unsigned)op < 4 ? op_names[op] : NULL;
}

kube_error_t kube_admission_request_parse(kube_admission_request_t *out, const kube_json_t *review)
{
    kube_admission_request_t r;
    const kube_json_t *req, *v;
    const char *op;
    kube_error_t rc;
    int i;

    if (!out)
        return kube_error_setf(KUBE_EINVAL, "AdmissionReview: NULL argument");
    memset(&r, 0, sizeof r);
    r.struct_version = KUBE_ADMISSION_REQUEST_VERSION;
    if ((rc = check_review(review, "AdmissionReview", ADMISSION_V1, ADMISSION_V1BETA1, &r.review_api_version)))
        return rc;
    req = kube_json_get(review, "request");
    if (kube_json_type(req) != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "AdmissionReview: request: missing or not an object");
    r.uid = kube_json_string(kube_json_get(req, "uid"));
    if (!r.uid || !r.uid[0])
        return kube_error_setf(KUBE_EINVAL, "AdmissionReview: request.uid: missing or not a string");
    if ((rc = read_gvk(&r.kind, kube_json_get(req, "kind"), "AdmissionReview: request.kind")) ||
        (rc = read_gvr(&r.resource, kube_json_get(req, "resource"), "AdmissionReview: request.resource")) ||
        (rc = opt_str(&r.sub_resource, req, "subResource", "AdmissionReview: request")) ||
        (rc = opt_str(&r.request_sub_resource, req, "requestSubResource", "AdmissionReview: request")) ||
        (rc = opt_str(&r.name, req, "name", "AdmissionReview: request")) ||
        (rc = opt_str(&r.ns, req, "namespace", "AdmissionReview: request")))
        return rc;
    if ((v = opt_val(req, "requestKind"))) {
        if ((rc = read_gvk(&r.request_kind, v, "AdmissionReview: request.requestKind")))
            return rc;
        r.has_request_kind = 1;
    }
    if ((v = opt_val(req, "requestResource"))) {
        if ((rc = read_gvr(&r.request_resource, v, "AdmissionReview: request.requestResource")))
            return rc;
        r.has_request_resource = 1;
    }
    op = kube_json_string(kube_json_get(req, "operation"));
    if (!op)
        return kube_error_setf(KUBE_EINVAL, "AdmissionReview: request.operation: missing or not a string");
    for (i = 0; i < 4; i++)
        if (strcmp(op, op_names[i]) == 0)
            break;
    if (i == 4)
        return kube_error_setf(KUBE_EINVAL, "AdmissionReview: request.operation: unknown operation \"%.40s\"", op);
    r.operation = (kube_admission_op_t)i;
    if ((v = opt_val(req, "userInfo"))) {
        if (kube_json_type(v) != KUBE_JSON_OBJECT)
            return kube_error_setf(KUBE_EINVAL, "AdmissionReview: request.userInfo: not an object");
        r.user_info = v;
        if ((rc = opt_str(&r.username, v, "username", "AdmissionReview: request.userInfo")) ||
            (rc = opt_str(&r.user_uid, v, "uid", "AdmissionReview: request.userInfo")))
            return rc;
        r.user_groups = opt_val(v, "groups");
        if (r.user_groups && kube_json_type(r.user_groups) != KUBE_JSON_ARRAY)
            return kube_error_setf(KUBE_EINVAL, "AdmissionReview: request.userInfo.groups: not an array");
        r.user_extra = opt_val(v, "extra");
        if (r.user_extra && kube_json_type(r.user_extra) != KUBE_JSON_OBJECT)
            return kube_error_setf(KUBE_EINVAL, "AdmissionReview: request.userInfo.extra: not an object");
    }
    r.object = opt_val(req, "object");
    r.old_object = opt_val(req, "oldObject");
    r.options = opt_val(req, "options");
    if ((v = opt_val(req, "dryRun"))) {
        if (kube_json_type(v) != KUBE_JSON_BOOL)
            return kube_error_setf(KUBE_EINVAL, "AdmissionReview: request.dryRun: not a boolean");
        r.dry_run = kube_json_is_true(v);
    }
    *out = r;
    return KUBE_OK;
}

/* Parse a review body for one of the *_review_parse() functions; @kind names it in errors. */
static kube_error_t parse_review_doc(kube_json_doc_t **doc, const char *kind, int have_out, const char *data,
                                     size_t len, const kube_mem_t *mem)
{
    kube_json_parse_opts_t opts = KUBE_JSON_PARSE_OPTS_INIT;
    if (!have_out || (!data && len))
        return kube_error_setf(KUBE_EINVAL, "%s: NULL argument", kind);
    opts.mem = mem;
    return kube_json_parse(doc, data ? data : "", len, &opts);
}

kube_error_t kube_admission_review_parse(kube_json_doc_t **doc_out, kube_admission_request_t *out, const char *data,
                                         size_t len, const kube_mem_t *mem)
{
    kube_json_doc_t *doc = NULL;
    kube_error_t rc;
    if ((rc = parse_review_doc(&doc, "AdmissionReview", doc_out && out, data, len, mem)))
        return rc;
    if ((rc = kube_admission_request_parse(out, kube_json_doc_root(doc)))) {
        kube_json_doc_free(doc);
        return rc;
    }
    *doc_out = doc;
    return KUBE_OK;
}

/* ---- admission responses ---- */

struct kube_admission_response {
    kube_mem_t mem;
    kube_json_mut_doc_t *doc; /* holds warnings and audit annotations */
    kube_json_mut_t *warnings;
    kube_json_mut_t *audit;
    char *api_version;
    char *uid;
    int allowed;
    int has_status;
    int code;
    char *reason;
    char *message;
    char *patch_b64;
};

static kube_error_t response_alloc(kube_admission_response_t **out, const char *api_version, const char *uid,
                                   const kube_mem_t *mem)
{
    kube_mem_t m = kube_mem__pick(mem);
    kube_admission_response_t *r = (kube_admission_response_t *)kube_mem__calloc(&m, 1, sizeof *r);
    kube_error_t rc;
    if (!r)
        return kube_error_setf(KUBE_ENOMEM, "admission response: out of memory");
    r->mem = m;
    r->allowed = 1;
    if ((rc = set_str(&r->mem, &r->api_version, api_version)) || (rc = set_str(&r->mem, &r->uid, uid)) ||
        (rc = kube_json_mut_doc_new(&r->doc, &r->mem))) {
        kube_admission_response_free(r);
        return rc;
    }
    *out = r;
    return KUBE_OK;
}

kube_error_t kube_admission_response_new(kube_admission_response_t **out, const kube_admission_request_t *req,
                                         const kube_mem_t *mem)
{
    if (!out || !req)
        return kube_error_setf(KUBE_EINVAL, "admission response: NULL argument");
    if (!req->uid || !req->uid[0])
        return kube_error_setf(KUBE_EINVAL, "admission response: the request has no uid");
    return response_alloc(out, req->review_api_version ? req->review_api_version : ADMISSION_V1, req->uid, mem);
}

void kube_admission_response_free(kube_admission_response_t *resp)
{
    kube_mem_t m;
    if (!resp)
        return;
    m = resp->mem;
    kube_json_mut_doc_free(resp->doc);
    kube_mem__free(&m, resp->api_version);
    kube_mem__free(&m, resp->uid);
    kube_mem__free(&m, resp->reason);
    kube_mem__free(&m, resp->message);
    kube_mem__free(&m, resp->patch_b64);
    kube_mem__free(&m, resp);
}

/* Set status fields atomically: copy first, then swap. */
/* Replace two owned strings (NULL sources clear them), all or nothing: on ENOMEM
 * both slots keep their old values. @what names the object in the error. */
static kube_error_t replace_pair(const kube_mem_t *mem, char **slot_a, const char *a, char **slot_b, const char *b,
                                 const char *what)
{
    char *na = NULL, *nb = NULL;
    if ((a && !(na = kube_mem__strdup(mem, a))) || (b && !(nb = kube_mem__strdup(mem, b)))) {
        kube_mem__free(mem, na);
        return kube_error_setf(KUBE_ENOMEM, "%s: out of memory", what);
    }
    kube_mem__free(mem, *slot_a);
    kube_mem__free(mem, *slot_b);
    *slot_a = na;
    *slot_b = nb;
    return KUBE_OK;
}

static kube_error_t set_status(kube_admission_response_t *r, int code, const char *reason, const char *message)
{
    kube_error_t rc = replace_pair(&r->mem, &r->reason, reason, &r->message, message, "admission response");
    if (rc)
        return rc;
    r->code = code;
    r->has_status = 1;
    return KUBE_OK;
}

kube_error_t kube_admission_response_invalid(kube_admission_response_t **out, const char *message,
                                             const kube_mem_t *mem)
{
    kube_admission_response_t *r;
    kube_error_t rc;
    if (!out || !message)
        return kube_error_setf(KUBE_EINVAL, "admission response invalid: NULL argument");
    if ((rc = response_alloc(&r, ADMISSION_V1, "", mem)))
        return rc;
    r->allowed = 0;
    if ((rc = set_status(r, 400, "InvalidRequest", message))) {
        kube_admission_response_free(r);
        return rc;
    }
    *out = r;
    return KUBE_OK;
}

kube_error_t kube_admission_response_deny(kube_admission_response_t *resp, const char *message)
{
    kube_error_t rc;
    if (!resp || !message)
        return kube_error_setf(KUBE_EINVAL, "admission response deny: NULL argument");
    if ((rc = set_status(resp, 403, "Forbidden", message)))
        return rc;
    resp->allowed = 0;
    kube_mem__free(&resp->mem, resp->patch_b64);
    resp->patch_b64 = NULL;
    return KUBE_OK;
}

kube_error_t kube_admission_response_set_status(kube_admission_response_t *resp, int code, const char *reason,
                                                const char *message)
{
    if (!resp)
        return kube_error_setf(KUBE_EINVAL, "admission response status: NULL argument");
    if (code < 0 || code > 999)
        return kube_error_setf(KUBE_EINVAL, "admission response status: code %d out of range", code);
    return set_status(resp, code, reason, message);
}

int kube_admission_response_allowed(const kube_admission_response_t *resp)
{
    return resp ? resp->allowed : 0;
}

kube_error_t kube_admission_response_set_patch_json(kube_admission_response_t *resp, const char *json, size_t len)
{
    kube_buf_t b;
    kube_error_t rc;
    char *p;
    if (!resp || !json || !len)
        return kube_error_setf(KUBE_EINVAL, "admission response patch: %s", json && len ? "NULL response" : "empty patch");
    if (!resp->allowed)
        return kube_error_setf(KUBE_EINVAL, "admission response patch: a denied request cannot be patched");
    kube_buf_init(&b, &resp->mem);
    if ((rc = kube_encoding__base64_append(&b, (const uint8_t *)json, len, 0)) || (rc = kube_buf_detach(&p, NULL, &b))) {
        kube_buf_dispose(&b);
        return rc;
    }
    kube_mem__free(&resp->mem, resp->patch_b64);
    resp->patch_b64 = p;
    return KUBE_OK;
}

kube_error_t kube_admission_response_set_patch(kube_admission_response_t *resp, const kube_json_mut_t *patch)
{
    kube_buf_t b;
    kube_error_t rc;
    if (!resp || !patch)
        return kube_error_setf(KUBE_EINVAL, "admission response patch: NULL argument");
    if (kube_json_mut_type(patch) != KUBE_JSON_ARRAY)
        return kube_error_setf(KUBE_EINVAL, "admission response patch: a JSON patch is an array");
    kube_buf_init(&b, &resp->mem);
    rc = kube_json_mut_write(&b, patch, 0);
    if (!rc)
        rc = kube_admission_response_set_patch_json(resp, b.ptr, b.size);
    kube_buf_dispose(&b);
    return rc;
}

kube_error_t kube_admission_response_add_warning(kube_admission_response_t *resp, const char *warning)
{
    kube_json_mut_t *s;
    if (!resp || !warning)
        return kube_error_setf(KUBE_EINVAL, "admission response warning: NULL argument");
    kube_error_clear();
    if (!resp->warnings) {
        kube_json_mut_t *a = kube_json_mut_arr(resp->doc);
        if (!a)
            return mut_err();
        resp->warnings = a;
    }
    if (!(s = kube_json_mut_str(resp->doc, warning)))
        return mut_err();
    return kube_json_mut_arr_append(resp->warnings, s);
}

kube_error_t kube_admission_response_set_audit_annotation(kube_admission_response_t *resp, const char *key,
                                                          const char *value)
{
    if (!resp || !key || !key[0] || !value)
        return kube_error_setf(KUBE_EINVAL, "admission response audit annotation: %s",
                               key && !key[0] ? "empty key" : "NULL argument");
    kube_error_clear();
    if (!resp->audit) {
        kube_json_mut_t *o = kube_json_mut_obj(resp->doc);
        if (!o)
            return mut_err();
        resp->audit = o;
    }
    return kube_json_mut_obj_set_str(resp->audit, key, value);
}

kube_error_t kube_admission_response_to_json(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                             const kube_admission_response_t *resp)
{
    kube_json_mut_t *root, *r, *st, *c;
    kube_error_t rc;
    if (!out || !doc || !resp)
        return kube_error_setf(KUBE_EINVAL, "admission response to_json: NULL argument");
    kube_error_clear();
    if (!(root = kube_json_mut_obj(doc)) || !(r = kube_json_mut_obj(doc)))
        return mut_err();
    if ((rc = kube_json_mut_obj_set_str(root, "apiVersion", resp->api_version)) ||
        (rc = kube_json_mut_obj_set_str(root, "kind", "AdmissionReview")) ||
        (rc = kube_json_mut_obj_set_str(r, "uid", resp->uid)) ||
        (rc = kube_json_mut_obj_set_bool(r, "allowed", resp->allowed)))
        return rc;
    if (resp->has_status) {
        if (!(st = kube_json_mut_obj(doc)))
            return mut_err();
        if ((rc = kube_json_mut_obj_set_str(st, "status", resp->allowed ? "Success" : "Failure")) ||
            (resp->message && (rc = kube_json_mut_obj_set_str(st, "message", resp->message))) ||
            (resp->reason && (rc = kube_json_mut_obj_set_str(st, "reason", resp->reason))) ||
            (resp->code && (rc = kube_json_mut_obj_set_int(st, "code", resp->code))) ||
            (rc = kube_json_mut_obj_set(r, "status", st)))
            return rc;
    }
    if (resp->patch_b64 && resp->allowed) {
        if ((rc = kube_json_mut_obj_set_str(r, "patchType", "JSONPatch")) ||
            (rc = kube_json_mut_obj_set_str(r, "patch", resp->patch_b64)))
            return rc;
    }
    if (resp->audit && kube_json_mut_size(resp->audit)) {
        if (!(c = kube_json_mut_dup(doc, resp->audit)))
            return mut_err();
        if ((rc = kube_json_mut_obj_set(r, "auditAnnotations", c)))
            return rc;
    }
    if (resp->warnings && kube_json_mut_size(resp->warnings)) {
        if (!(c = kube_json_mut_dup(doc, resp->warnings)))
            return mut_err();
        if ((rc = kube_json_mut_obj_set(r, "warnings", c)))
            return rc;
    }
    if ((rc = kube_json_mut_obj_set(root, "response", r)))
        return rc;
    *out = root;
    return KUBE_OK;
}

/* Build with to_json in a scratch document and append the text. */
typedef kube_error_t (*to_json_fn)(kube_json_mut_t **, kube_json_mut_doc_t *, const void *);

static kube_error_t write_via(kube_buf_t *out, const void *resp, const kube_mem_t *mem, to_json_fn fn)
{
    kube_json_mut_doc_t *doc;
    kube_json_mut_t *v;
    kube_error_t rc;
    if ((rc = kube_json_mut_doc_new(&doc, mem)))
        return rc;
    rc = fn(&v, doc, resp);
    if (!rc)
        rc = kube_json_mut_write(out, v, 0);
    kube_json_mut_doc_free(doc);
    return rc;
}

static kube_error_t admission_to_json_thunk(kube_json_mut_t **out, kube_json_mut_doc_t *doc, const void *resp)
{
    return kube_admission_response_to_json(out, doc, (const kube_admission_response_t *)resp);
}

kube_error_t kube_admission_response_write(kube_buf_t *out, const kube_admission_response_t *resp)
{
    if (!out || !resp)
        return kube_error_setf(KUBE_EINVAL, "admission response write: NULL argument");
    return write_via(out, resp, &resp->mem, admission_to_json_thunk);
}

/* ---- conversion ---- */

kube_error_t kube_conversion_request_parse(kube_conversion_request_t *out, const kube_json_t *review)
{
    kube_conversion_request_t r;
    const kube_json_t *req;
    kube_error_t rc;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "ConversionReview: NULL argument");
    memset(&r, 0, sizeof r);
    r.struct_version = KUBE_CONVERSION_REQUEST_VERSION;
    if ((rc = check_review(review, "ConversionReview", CONVERSION_V1, CONVERSION_V1BETA1, &r.review_api_version)))
        return rc;
    req = kube_json_get(review, "request");
    if (kube_json_type(req) != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "ConversionReview: request: missing or not an object");
    r.uid = kube_json_string(kube_json_get(req, "uid"));
    if (!r.uid || !r.uid[0])
        return kube_error_setf(KUBE_EINVAL, "ConversionReview: request.uid: missing or not a string");
    r.desired_api_version = kube_json_string(kube_json_get(req, "desiredAPIVersion"));
    if (!r.desired_api_version || !r.desired_api_version[0])
        return kube_error_setf(KUBE_EINVAL, "ConversionReview: request.desiredAPIVersion: missing or not a string");
    r.objects = kube_json_get(req, "objects");
    if (kube_json_type(r.objects) != KUBE_JSON_ARRAY)
        return kube_error_setf(KUBE_EINVAL, "ConversionReview: request.objects: missing or not an array");
    r.objects_len = kube_json_size(r.objects);
    *out = r;
    return KUBE_OK;
}

kube_error_t kube_conversion_review_parse(kube_json_doc_t **doc_out, kube_conversion_request_t *out, const char *data,
                                          size_t len, const kube_mem_t *mem)
{
    kube_json_doc_t *doc = NULL;
    kube_error_t rc;
    if ((rc = parse_review_doc(&doc, "ConversionReview", doc_out && out, data, len, mem)))
        return rc;
    if ((rc = kube_conversion_request_parse(out, kube_json_doc_root(doc)))) {
        kube_json_doc_free(doc);
        return rc;
    }
    *doc_out = doc;
    return KUBE_OK;
}

struct kube_conversion_response {
    kube_mem_t mem;
    kube_json_mut_doc_t *doc;
    kube_json_mut_t *objects;
    char *api_version;
    char *uid;
    int failed;
    char *message;
    char *reason;
};

static kube_error_t conversion_alloc(kube_conversion_response_t **out, const char *api_version, const char *uid,
                                     const kube_mem_t *mem)
{
    kube_mem_t m = kube_mem__pick(mem);
    kube_conversion_response_t *r = (kube_conversion_response_t *)kube_mem__calloc(&m, 1, sizeof *r);
    kube_error_t rc;
    if (!r)
        return kube_error_setf(KUBE_ENOMEM, "conversion response: out of memory");
    r->mem = m;
    if ((rc = set_str(&r->mem, &r->api_version, api_version)) || (rc = set_str(&r->mem, &r->uid, uid)) ||
        (rc = kube_json_mut_doc_new(&r->doc, &r->mem)))
        goto fail;
    kube_error_clear();
    if (!(r->objects = kube_json_mut_arr(r->doc))) {
        rc = mut_err();
        goto fail;
    }
    *out = r;
    return KUBE_OK;
fail:
    kube_conversion_response_free(r);
    return rc;
}

kube_error_t kube_conversion_response_new(kube_conversion_response_t **out, const kube_conversion_request_t *req,
                                          const kube_mem_t *mem)
{
    if (!out || !req)
        return kube_error_setf(KUBE_EINVAL, "conversion response: NULL argument");
    if (!req->uid || !req->uid[0])
        return kube_error_setf(KUBE_EINVAL, "conversion response: the request has no uid");
    return conversion_alloc(out, req->review_api_version ? req->review_api_version : CONVERSION_V1, req->uid, mem);
}

static kube_error_t conversion_fail(kube_conversion_response_t *r, const char *message, const char *reason)
{
    kube_error_t rc = replace_pair(&r->mem, &r->message, message, &r->reason, reason, "conversion response");
    if (rc)
        return rc;
    r->failed = 1;
    return KUBE_OK;
}

kube_error_t kube_conversion_response_invalid(kube_conversion_response_t **out, const char *message,
                                              const kube_mem_t *mem)
{
    kube_conversion_response_t *r;
    kube_error_t rc;
    if (!out || !message)
        return kube_error_setf(KUBE_EINVAL, "conversion response invalid: NULL argument");
    if ((rc = conversion_alloc(&r, CONVERSION_V1, "", mem)))
        return rc;
    if ((rc = conversion_fail(r, message, "InvalidRequest"))) {
        kube_conversion_response_free(r);
        return rc;
    }
    *out = r;
    return KUBE_OK;
}

void kube_conversion_response_free(kube_conversion_response_t *resp)
{
    kube_mem_t m;
    if (!resp)
        return;
    m = resp->mem;
    kube_json_mut_doc_free(resp->doc);
    kube_mem__free(&m, resp->api_version);
    kube_mem__free(&m, resp->uid);
    kube_mem__free(&m, resp->message);
    kube_mem__free(&m, resp->reason);
    kube_mem__free(&m, resp);
}

kube_json_mut_doc_t *kube_conversion_response_doc(kube_conversion_response_t *resp)
{
    return resp ? resp->doc : NULL;
}

kube_error_t kube_conversion_response_add(kube_conversion_response_t *resp, kube_json_mut_t *obj)
{
    if (!resp || !obj)
        return kube_error_setf(KUBE_EINVAL, "conversion response add: NULL argument");
    if (kube_json_mut_type(obj) != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "conversion response add: not an object");
    return kube_json_mut_arr_append(resp->objects, obj);
}

kube_error_t kube_conversion_response_add_copy(kube_conversion_response_t *resp, const kube_json_t *obj)
{
    kube_json_mut_t *c;
    if (!resp || !obj)
        return kube_error_setf(KUBE_EINVAL, "conversion response add: NULL argument");
    if (kube_json_type(obj) != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "conversion response add: not an object");
    kube_error_clear();
    if (!(c = kube_json_mut_copy(resp->doc, obj)))
        return mut_err();
    return kube_json_mut_arr_append(resp->objects, c);
}

kube_error_t kube_conversion_response_fail(kube_conversion_response_t *resp, const char *message)
{
    if (!resp || !message)
        return kube_error_setf(KUBE_EINVAL, "conversion response fail: NULL argument");
    return conversion_fail(resp, message, NULL);
}

kube_error_t kube_conversion_response_to_json(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                              const kube_conversion_response_t *resp)
{
    kube_json_mut_t *root, *r, *res, *objs;
    kube_error_t rc;
    if (!out || !doc || !resp)
        return kube_error_setf(KUBE_EINVAL, "conversion response to_json: NULL argument");
    kube_error_clear();
    if (!(root = kube_json_mut_obj(doc)) || !(r = kube_json_mut_obj(doc)) || !(res = kube_json_mut_obj(doc)))
        return mut_err();
    objs = resp->failed ? kube_json_mut_arr(doc) : kube_json_mut_dup(doc, resp->objects);
    if (!objs)
        return mut_err();
    if ((rc = kube_json_mut_obj_set_str(root, "apiVersion", resp->api_version)) ||
        (rc = kube_json_mut_obj_set_str(root, "kind", "ConversionReview")) ||
        (rc = kube_json_mut_obj_set_str(r, "uid", resp->uid)) ||
        (rc = kube_json_mut_obj_set(r, "convertedObjects", objs)) ||
        (rc = kube_json_mut_obj_set_str(res, "status", resp->failed ? "Failure" : "Success")))
        return rc;
    if (resp->failed) {
        if ((rc = kube_json_mut_obj_set_str(res, "message", resp->message)) ||
            (resp->reason && (rc = kube_json_mut_obj_set_str(res, "reason", resp->reason))))
            return rc;
    }
    if ((rc = kube_json_mut_obj_set(r, "result", res)) || (rc = kube_json_mut_obj_set(root, "response", r)))
        return rc;
    *out = root;
    return KUBE_OK;
}

static kube_error_t conversion_to_json_thunk(kube_json_mut_t **out, kube_json_mut_doc_t *doc, const void *resp)
{
    return kube_conversion_response_to_json(out, doc, (const kube_conversion_response_t *)resp);
}

kube_error_t kube_conversion_response_write(kube_buf_t *out, const kube_conversion_response_t *resp)
{
    if (!out || !resp)
        return kube_error_setf(KUBE_EINVAL, "conversion response write: NULL argument");
    return write_via(out, resp, &resp->mem, conversion_to_json_thunk);
}
