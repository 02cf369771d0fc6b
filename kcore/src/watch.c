/* Watch stream decoder: newline-delimited {"type":..,"object":..} events. */
#include <kube/watch.h>
#include <stdio.h>
#include <string.h>
#include "alloc_int.h"
#include "list_int.h"

struct kube_watch_decoder {
    kube_mem_t mem;
    size_t max_event;
    char *in;         /* bytes fed and not yet discarded */
    size_t len, cap;
    size_t start;     /* first byte of the line being received */
    size_t scan;      /* where the newline search resumes */
    size_t tail;      /* bytes after the last newline fed */
    size_t nevents;   /* events handed out (for messages) */
    int finished;
    kube_error_t err; /* sticky */
};

static const struct {
    const char *raw; /* the type as it appears on the wire, quotes included */
    size_t len;
    kube_watch_event_type_t type;
} event_types[] = {
    { "\"ADDED\"", 7, KUBE_WATCH_ADDED },
    { "\"MODIFIED\"", 10, KUBE_WATCH_MODIFIED },
    { "\"DELETED\"", 9, KUBE_WATCH_DELETED },
    { "\"BOOKMARK\"", 10, KUBE_WATCH_BOOKMARK },
    { "\"ERROR\"", 7, KUBE_WATCH_ERROR },
};

const char *kube_watch_event_type_name(kube_watch_event_type_t type)
{
    switch (type) {
    case KUBE_WATCH_END: return "END";
    case KUBE_WATCH_ADDED: return "ADDED";
    case KUBE_WATCH_MODIFIED: return "MODIFIED";
    case KUBE_WATCH_DELETED: return "DELETED";
    case KUBE_WATCH_BOOKMARK: return "BOOKMARK";
    case KUBE_WATCH_ERROR: return "ERROR";
    }
    return "UNKNOWN";
}

static void event_clear(kube_watch_event_t *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->version = KUBE_WATCH_EVENT_VERSION;
    ev->type = KUBE_WATCH_END;
    ev->resource_version = "";
    ev->error = KUBE_OK;
}

void kube_watch_event_dispose(kube_watch_event_t *ev)
{
    if (!ev)
        return;
    kube_json_doc_free(ev->object);
    kube_status_free(ev->status);
    event_clear(ev);
}

kube_error_t kube_watch_decoder_new(kube_watch_decoder_t **out, size_t max_event_size, const kube_mem_t *mem)
{
    kube_mem_t m = kube_mem__pick(mem);
    kube_watch_decoder_t *dec;

    if (!out)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_decoder_new: out is NULL");
    dec = kube_mem__calloc(&m, 1, sizeof *dec);
    if (!dec)
        return kube_error_setf(KUBE_ENOMEM, "watch decoder: out of memory");
    dec->mem = m;
    dec->max_event = max_event_size ? max_event_size : KUBE_WATCH_DEFAULT_MAX_EVENT_SIZE;
    *out = dec;
    return KUBE_OK;
}

void kube_watch_decoder_reset(kube_watch_decoder_t *dec)
{
    if (!dec)
        return;
    dec->len = dec->start = dec->scan = dec->tail = dec->nevents = 0;
    dec->finished = 0;
    dec->err = KUBE_OK;
}

void kube_watch_decoder_free(kube_watch_decoder_t *dec)
{
    if (!dec)
        return;
    kube_mem_t m = dec->mem;
    kube_mem__free(&m, dec->in);
    kube_mem__free(&m, dec);
}

static kube_error_t too_big(kube_watch_decoder_t *dec)
{
    dec->err = kube_error_setf(KUBE_ERANGE, "watch: event %zu exceeds the size limit of %zu bytes", dec->nevents + 1,
                               dec->max_event);
    return dec->err;
}

kube_error_t kube_watch_decoder_feed(kube_watch_decoder_t *dec, const char *data, size_t len)
{
    size_t i, tail;

    if (!dec || (!data && len))
        return kube_error_setf(KUBE_EINVAL, "kube_watch_decoder_feed: %s is NULL", dec ? "data" : "dec");
    if (dec->err)
        return dec->err;
    if (dec->finished)
        return kube_error_setf(KUBE_EINVAL, "watch decoder: bytes fed after finish");
    if (len == 0)
        return KUBE_OK;
    /* Refuse to buffer an unterminated event beyond the limit. */
    for (i = len; i > 0 && data[i - 1] != '\n'; i--)
        ;
    tail = i ? len - i : dec->tail + len;
    if (tail > dec->max_event)
        return too_big(dec);

    if (dec->cap - dec->len < len && dec->start) {
        memmove(dec->in, dec->in + dec->start, dec->len - dec->start);
        dec->len -= dec->start;
        dec->scan -= dec->start;
        dec->start = 0;
    }
    if (dec->cap - dec->len < len) {
        size_t need = dec->len + len, ncap = dec->cap ? dec->cap : 4096;
        if (need < len)
            return kube_error_setf(KUBE_ENOMEM, "watch decoder: input too large");
        while (ncap < need)
            ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
        char *nin = kube_mem__realloc(&dec->mem, dec->in, ncap);
        if (!nin)
            return kube_error_setf(KUBE_ENOMEM, "watch decoder: out of memory buffering %zu bytes", need);
        dec->in = nin;
        dec->cap = ncap;
    }
    memcpy(dec->in + dec->len, data, len);
    dec->len += len;
    dec->tail = tail;
    return KUBE_OK;
}

kube_error_t kube_watch_decoder_finish(kube_watch_decoder_t *dec)
{
    if (!dec)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_decoder_finish: dec is NULL");
    dec->finished = 1;
    return KUBE_OK;
}

static size_t skip_ws(const char *p, size_t i, size_t n)
{
    while (i < n && kube_list__is_ws(p[i]))
        i++;
    return i;
}

static kube_error_t proto(kube_watch_decoder_t *dec, const char *what)
{
    return kube_error_setf(KUBE_EPROTO, "watch: event %zu: %s", dec->nevents + 1, what);
}

/* Find the raw bytes of the top-level "type" and "object" members of one event line. */
static kube_error_t split_event(kube_watch_decoder_t *dec, const char *p, size_t n, const char **type, size_t *type_len,
                                const char **obj, size_t *obj_len)
{
    kube_list__vscan_t vs;
    size_t i = skip_ws(p, 0, n), m;
    int done;

    *type = *obj = NULL;
    if (i == n || p[i] != '{')
        return proto(dec, "the line is not a JSON object");
    i = skip_ws(p, i + 1, n);
    if (i < n && p[i] == '}')
        return proto(dec, "the event has no type");
    for (;;) {
        size_t ks, klen, vstart;
        if (i == n || p[i] != '"')
            return proto(dec, "expected a member name");
        ks = i;
        kube_list__vscan_init(&vs);
        m = kube_list__vscan(&vs, p + i, n - i, &done);
        if (!done)
            return proto(dec, "unterminated member name");
        klen = m;
        i = skip_ws(p, i + m, n);
        if (i == n || p[i] != ':')
            return proto(dec, "expected ':'");
        i = skip_ws(p, i + 1, n);
        if (i == n)
            return proto(dec, "a member has no value");
        vstart = i;
        kube_list__vscan_init(&vs);
        m = kube_list__vscan(&vs, p + i, n - i, &done);
        if (!done)
            return proto(dec, "a member's value is truncated");
        i += m;
        if (klen == 6 && memcmp(p + ks, "\"type\"", 6) == 0) {
            *type = p + vstart;
            *type_len = m;
        } else if (klen == 8 && memcmp(p + ks, "\"object\"", 8) == 0) {
            *obj = p + vstart;
            *obj_len = m;
        }
        i = skip_ws(p, i, n);
        if (i < n && p[i] == ',') {
            i = skip_ws(p, i + 1, n);
            continue;
        }
        if (i < n && p[i] == '}')
            break;
        return proto(dec, "expected ',' or '}'");
    }
    if (skip_ws(p, i + 1, n) != n)
        return proto(dec, "bytes after the event object");
    if (!*type)
        return proto(dec, "the event has no type");
    if (!*obj)
        return proto(dec, "the event has no object");
    return KUBE_OK;
}

static kube_error_t decode_line(kube_watch_decoder_t *dec, const char *p, size_t n, kube_watch_event_t *ev)
{
    kube_json_parse_opts_t opts = KUBE_JSON_PARSE_OPTS_INIT;
    const char *type, *obj;
    size_t type_len = 0, obj_len = 0, i;
    kube_json_doc_t *doc = NULL;
    const kube_json_t *root, *meta;
    kube_watch_event_type_t t = KUBE_WATCH_END;
    kube_error_t rc;

    if ((rc = split_event(dec, p, n, &type, &type_len, &obj, &obj_len)) != KUBE_OK)
        return rc;
    for (i = 0; i < sizeof event_types / sizeof event_types[0]; i++) {
        if (type_len == event_types[i].len && memcmp(type, event_types[i].raw, type_len) == 0)
            t = event_types[i].type;
    }
    if (t == KUBE_WATCH_END)
        return kube_error_setf(KUBE_EPROTO, "watch: event %zu: unknown event type %.*s", dec->nevents + 1,
                               (int)(type_len > 64 ? 64 : type_len), type);
    opts.mem = &dec->mem;
    rc = kube_json_parse(&doc, obj, obj_len, &opts);
    if (rc == KUBE_EINVAL) {
        char why[512]; /* the parser's message lives in the buffer setf writes */
        snprintf(why, sizeof why, "%s", kube_error_last()->message);
        return kube_error_setf(KUBE_EPROTO, "watch: event %zu: the object is not valid JSON: %s", dec->nevents + 1, why);
    }
    if (rc != KUBE_OK)
        return rc;
    root = kube_json_doc_root(doc);
    if (kube_json_type(root) != KUBE_JSON_OBJECT) {
        kube_json_doc_free(doc);
        return proto(dec, "the event's object is not a JSON object");
    }
    if (t == KUBE_WATCH_ERROR) {
        rc = kube_status_from_json(&ev->status, root, &dec->mem);
        if (rc != KUBE_OK) {
            kube_json_doc_free(doc);
            if (rc == KUBE_EPROTO)
                return proto(dec, "the ERROR event's object is not a Status");
            return rc;
        }
        ev->error = kube_error_from_http(ev->status->code, ev->status->reason[0] ? ev->status->reason : NULL);
        if (ev->error == KUBE_OK)
            ev->error = KUBE_ERROR;
    }
    meta = kube_json_get(root, "metadata");
    ev->type = t;
    ev->object = doc;
    ev->resource_version = kube_json_string(kube_json_get(meta, "resourceVersion"));
    if (!ev->resource_version)
        ev->resource_version = "";
    ev->initial_events_end =
        t == KUBE_WATCH_BOOKMARK
        && kube_json_string_eq(kube_json_get(kube_json_get(meta, "annotations"), "k8s.io/initial-events-end"), "true");
    return KUBE_OK;
}

kube_error_t kube_watch_decoder_next(kube_watch_decoder_t *dec, kube_watch_event_t *ev)
{
    if (ev)
        event_clear(ev);
    if (!dec || !ev)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_decoder_next: %s is NULL", dec ? "ev" : "dec");
    if (dec->err)
        return dec->err;
    for (;;) {
        const char *nl = dec->scan < dec->len ? memchr(dec->in + dec->scan, '\n', dec->len - dec->scan) : NULL;
        size_t s = dec->start, e;
        kube_error_t rc;

        if (nl) {
            e = (size_t)(nl - dec->in);
            dec->start = dec->scan = e + 1;
        } else {
            dec->scan = dec->len;
            if (!dec->finished || dec->start == dec->len)
                return dec->finished ? KUBE_OK : KUBE_EAGAIN;
            e = dec->len; /* the last event, without a newline */
            dec->start = dec->len;
        }
        if (e - s > dec->max_event)
            return too_big(dec);
        while (e > s && kube_list__is_ws(dec->in[e - 1]))
            e--;
        while (s < e && kube_list__is_ws(dec->in[s]))
            s++;
        if (s == e)
            continue; /* a blank line (keep-alive) */
        rc = decode_line(dec, dec->in + s, e - s, ev);
        if (rc != KUBE_OK) {
            kube_watch_event_dispose(ev);
            dec->err = rc;
            return rc;
        }
        dec->nevents++;
        return KUBE_OK;
    }
}
