/* The pure watch state machine: kube-rs's watcher as a step function over what came back. */
#include <kube/watch_state.h>
#include <string.h>
#include "alloc_int.h"

#define QUEUE_CAP 2 /* no input emits more than two events (INIT + one more) */

struct kube_watch_state {
    kube_mem_t mem;
    const kube_resource_t *resource;
    char *ns, *label_selector, *field_selector;
    unsigned int limit; /* 0: no limit */
    kube_watch_initial_list_t initial_list;
    kube_watch_list_semantic_t list_semantic;
    int bookmarks;
    unsigned int timeout_seconds;

    kube_watch_phase_t phase;
    int in_flight;
    int init_emitted; /* INIT was emitted for the current (re-)list */
    char *rv;         /* resourceVersion: of the list pages during INIT_PAGE, the resume point after */
    size_t rv_cap;
    int has_rv;
    char *cont;       /* continue token of the next page */
    size_t cont_cap;
    int has_cont;

    kube_watch_state_event_t queue[QUEUE_CAP];
    size_t qhead, qlen;
};

static char *dup_opt(const kube_mem_t *mem, const char *s, int *oom)
{
    char *d;
    if (!s || !*s)
        return NULL;
    d = kube_mem__strdup(mem, s);
    if (!d)
        *oom = 1;
    return d;
}

kube_error_t kube_watch_state_new(kube_watch_state_t **out, const kube_watch_config_t *config, const kube_mem_t *mem)
{
    kube_mem_t m = kube_mem__pick(mem);
    kube_watch_state_t *ws;
    int oom = 0;

    if (!out || !config)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_state_new: %s is NULL", out ? "config" : "out");
    if (config->version != KUBE_WATCH_CONFIG_VERSION)
        return kube_error_setf(KUBE_EINVAL, "watch config: unknown version %u (expected %u)", config->version,
                               KUBE_WATCH_CONFIG_VERSION);
    if (config->initial_list != KUBE_WATCH_LIST_WATCH && config->initial_list != KUBE_WATCH_STREAMING_LIST)
        return kube_error_setf(KUBE_EINVAL, "watch config: unknown initial_list %d", (int)config->initial_list);
    if (config->list_semantic != KUBE_WATCH_MOST_RECENT && config->list_semantic != KUBE_WATCH_ANY)
        return kube_error_setf(KUBE_EINVAL, "watch config: unknown list_semantic %d", (int)config->list_semantic);
    if (config->timeout_seconds >= KUBE_WATCH_TIMEOUT_LIMIT)
        return kube_error_setf(KUBE_EINVAL, "watch config: timeout_seconds must be below %d (got %u)",
                               KUBE_WATCH_TIMEOUT_LIMIT, config->timeout_seconds);
    if (config->initial_list == KUBE_WATCH_STREAMING_LIST && !config->bookmarks)
        return kube_error_setf(KUBE_EINVAL,
                               "watch config: a streaming list needs bookmarks (its end is an annotated bookmark)");

    ws = kube_mem__calloc(&m, 1, sizeof *ws);
    if (!ws)
        return kube_error_setf(KUBE_ENOMEM, "watch state: out of memory");
    ws->mem = m;
    ws->ns = dup_opt(&m, config->ns, &oom);
    ws->label_selector = dup_opt(&m, config->label_selector, &oom);
    ws->field_selector = dup_opt(&m, config->field_selector, &oom);
    if (oom) {
        kube_watch_state_free(ws);
        return kube_error_setf(KUBE_ENOMEM, "watch state: out of memory");
    }
    ws->resource = config->resource;
    if (config->page_size == KUBE_WATCH_NO_PAGING)
        ws->limit = 0;
    else
        ws->limit = config->page_size ? config->page_size : KUBE_WATCH_DEFAULT_PAGE_SIZE;
    ws->initial_list = config->initial_list;
    ws->list_semantic = config->list_semantic;
    ws->bookmarks = config->bookmarks ? 1 : 0;
    ws->timeout_seconds = config->timeout_seconds;
    ws->phase = KUBE_WATCH_PHASE_EMPTY;
    *out = ws;
    return KUBE_OK;
}

static void drop_events(kube_watch_state_t *ws)
{
    while (ws->qlen) {
        kube_watch_state_event_dispose(&ws->queue[ws->qhead]);
        ws->qhead = (ws->qhead + 1) % QUEUE_CAP;
        ws->qlen--;
    }
    ws->qhead = 0;
}

void kube_watch_state_free(kube_watch_state_t *ws)
{
    if (!ws)
        return;
    drop_events(ws);
    kube_mem__free(&ws->mem, ws->ns);
    kube_mem__free(&ws->mem, ws->label_selector);
    kube_mem__free(&ws->mem, ws->field_selector);
    kube_mem__free(&ws->mem, ws->rv);
    kube_mem__free(&ws->mem, ws->cont);
    kube_mem_t m = ws->mem;
    kube_mem__free(&m, ws);
}

kube_watch_phase_t kube_watch_state_phase(const kube_watch_state_t *ws)
{
    return ws ? ws->phase : KUBE_WATCH_PHASE_EMPTY;
}

const char *kube_watch_state_resource_version(const kube_watch_state_t *ws)
{
    if (!ws || !ws->has_rv)
        return NULL;
    if (ws->phase != KUBE_WATCH_PHASE_INIT_LISTED && ws->phase != KUBE_WATCH_PHASE_WATCHING)
        return NULL;
    return ws->rv;
}

int kube_watch_state_in_flight(const kube_watch_state_t *ws)
{
    return ws ? ws->in_flight : 0;
}

/* Back to EMPTY: the next request re-lists from scratch. */
static void to_empty(kube_watch_state_t *ws)
{
    ws->phase = KUBE_WATCH_PHASE_EMPTY;
    ws->in_flight = 0;
    ws->init_emitted = 0;
    ws->has_rv = 0;
    ws->has_cont = 0;
}

void kube_watch_state_reset(kube_watch_state_t *ws)
{
    if (!ws)
        return;
    drop_events(ws);
    to_empty(ws);
}

/* Copy s into a growing buffer. Nothing changes on failure. */
static kube_error_t set_str(kube_watch_state_t *ws, char **buf, size_t *cap, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n > *cap) {
        size_t ncap = *cap ? *cap : 32;
        while (ncap < n)
            ncap *= 2;
        char *nb = kube_mem__realloc(&ws->mem, *buf, ncap);
        if (!nb)
            return kube_error_setf(KUBE_ENOMEM, "watch state: out of memory");
        *buf = nb;
        *cap = ncap;
    }
    memcpy(*buf, s, n);
    return KUBE_OK;
}

static void push(kube_watch_state_t *ws, kube_watch_state_event_kind_t kind, kube_json_doc_t *obj)
{
    kube_watch_state_event_t *ev = &ws->queue[(ws->qhead + ws->qlen) % QUEUE_CAP];
    ev->version = KUBE_WATCH_STATE_EVENT_VERSION;
    ev->kind = kind;
    ev->object = obj ? kube_json_doc_ref(obj) : NULL;
    ws->qlen++;
}

/* INIT opens every (re-)list, emitted lazily with its first result. */
static void ensure_init(kube_watch_state_t *ws)
{
    if (!ws->init_emitted) {
        push(ws, KUBE_WATCH_STATE_EVENT_INIT, NULL);
        ws->init_emitted = 1;
    }
}

static void fill_common(const kube_watch_state_t *ws, kube_watch_request_t *req, kube_watch_request_kind_t kind)
{
    memset(req, 0, sizeof *req);
    req->version = KUBE_WATCH_REQUEST_VERSION;
    req->kind = kind;
    req->resource = ws->resource;
    req->ns = ws->ns;
    req->label_selector = ws->label_selector;
    req->field_selector = ws->field_selector;
}

static void fill_list(const kube_watch_state_t *ws, kube_watch_request_t *req)
{
    fill_common(ws, req, KUBE_WATCH_REQUEST_LIST);
    req->limit = ws->limit;
    req->continue_token = ws->has_cont ? ws->cont : NULL;
    /* resourceVersion "0" cannot paginate (the apiserver cache ignores limit), so
     * like kube-rs the Any semantic only applies to an unpaginated list. */
    if (ws->list_semantic == KUBE_WATCH_ANY && ws->limit == 0) {
        req->resource_version = "0";
        req->resource_version_match = "NotOlderThan";
    }
    req->timeout_seconds = ws->timeout_seconds;
}

static void fill_watch(const kube_watch_state_t *ws, kube_watch_request_t *req, int initial)
{
    fill_common(ws, req, KUBE_WATCH_REQUEST_WATCH);
    req->allow_bookmarks = ws->bookmarks;
    req->timeout_seconds = ws->timeout_seconds ? ws->timeout_seconds : KUBE_WATCH_DEFAULT_TIMEOUT;
    if (initial) {
        req->send_initial_events = 1;
        req->resource_version = ws->list_semantic == KUBE_WATCH_ANY ? "0" : "";
        req->resource_version_match = "NotOlderThan";
    } else {
        req->resource_version = ws->rv;
    }
}

kube_error_t kube_watch_state_next_request(kube_watch_state_t *ws, kube_watch_request_t *req)
{
    if (!ws || !req)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_state_next_request: %s is NULL", ws ? "req" : "ws");
    if (ws->in_flight)
        return kube_error_setf(KUBE_EAGAIN, "watch state: a request is in flight; feed its results first");
    switch (ws->phase) {
    case KUBE_WATCH_PHASE_INIT_PAGE:
        fill_list(ws, req);
        break;
    case KUBE_WATCH_PHASE_INIT_LISTED:
        ws->phase = KUBE_WATCH_PHASE_WATCHING;
        fill_watch(ws, req, 0);
        break;
    case KUBE_WATCH_PHASE_EMPTY:
    case KUBE_WATCH_PHASE_INITIAL_WATCH: /* only ever in flight; restart if not */
    case KUBE_WATCH_PHASE_WATCHING:
    default:
        to_empty(ws);
        if (ws->initial_list == KUBE_WATCH_STREAMING_LIST) {
            ws->phase = KUBE_WATCH_PHASE_INITIAL_WATCH;
            fill_watch(ws, req, 1);
        } else {
            ws->phase = KUBE_WATCH_PHASE_INIT_PAGE;
            fill_list(ws, req);
        }
        break;
    }
    ws->in_flight = 1;
    return KUBE_OK;
}

kube_error_t kube_watch_state_http_request(kube_http_request_t *out, const kube_watch_request_t *req)
{
    if (!out || !req)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_state_http_request: %s is NULL", out ? "req" : "out");
    if (!req->resource)
        return kube_error_setf(KUBE_EINVAL, "watch request: no resource (set kube_watch_config_t.resource)");
    if (req->kind == KUBE_WATCH_REQUEST_LIST) {
        kube_list_params_t p = KUBE_LIST_PARAMS_INIT;
        p.label_selector = req->label_selector;
        p.field_selector = req->field_selector;
        p.timeout_seconds = req->timeout_seconds;
        p.limit = req->limit;
        p.continue_token = req->continue_token;
        p.resource_version = req->resource_version;
        p.version_match = req->resource_version_match ? KUBE_VERSION_MATCH_NOT_OLDER_THAN : KUBE_VERSION_MATCH_UNSET;
        return kube_request_list(out, req->resource, req->ns, &p);
    }
    if (req->kind == KUBE_WATCH_REQUEST_WATCH) {
        kube_watch_params_t p = KUBE_WATCH_PARAMS_INIT;
        p.label_selector = req->label_selector;
        p.field_selector = req->field_selector;
        p.timeout_seconds = req->timeout_seconds ? req->timeout_seconds : KUBE_WATCH_DEFAULT_TIMEOUT;
        p.bookmarks = req->allow_bookmarks;
        p.send_initial_events = req->send_initial_events;
        return kube_request_watch(out, req->resource, req->ns, &p, req->resource_version);
    }
    return kube_error_setf(KUBE_EINVAL, "watch request: unknown kind %d", (int)req->kind);
}

static kube_error_t check_input(kube_watch_state_t *ws, const char *fn)
{
    if (ws->qlen)
        return kube_error_setf(KUBE_EINVAL, "%s: poll the pending events first", fn);
    return KUBE_OK;
}

kube_error_t kube_watch_state_on_list_item(kube_watch_state_t *ws, kube_json_doc_t *item)
{
    if (!ws || !item)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_state_on_list_item: %s is NULL", ws ? "item" : "ws");
    if (check_input(ws, "kube_watch_state_on_list_item"))
        return KUBE_EINVAL;
    if (!ws->in_flight || ws->phase != KUBE_WATCH_PHASE_INIT_PAGE)
        return kube_error_setf(KUBE_EINVAL, "watch state: a list item arrived with no LIST in flight");
    ensure_init(ws);
    push(ws, KUBE_WATCH_STATE_EVENT_INIT_APPLY, item);
    return KUBE_OK;
}

kube_error_t kube_watch_state_on_list_end(kube_watch_state_t *ws, const char *resource_version,
                                          const char *continue_token)
{
    int more = continue_token && *continue_token;
    int have_rv = resource_version && *resource_version;

    if (!ws)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_state_on_list_end: ws is NULL");
    if (check_input(ws, "kube_watch_state_on_list_end"))
        return KUBE_EINVAL;
    if (!ws->in_flight || ws->phase != KUBE_WATCH_PHASE_INIT_PAGE)
        return kube_error_setf(KUBE_EINVAL, "watch state: a list ended with no LIST in flight");
    if (more) {
        if (set_str(ws, &ws->cont, &ws->cont_cap, continue_token) != KUBE_OK)
            return KUBE_ENOMEM;
        ws->has_cont = 1;
        ws->in_flight = 0;
        return KUBE_OK;
    }
    if (!have_rv) {
        to_empty(ws);
        return kube_error_setf(KUBE_EPROTO,
                               "watch state: the list has no metadata.resourceVersion (does the resource support watch?)");
    }
    if (set_str(ws, &ws->rv, &ws->rv_cap, resource_version) != KUBE_OK)
        return KUBE_ENOMEM;
    ws->has_rv = 1;
    ws->has_cont = 0;
    ensure_init(ws);
    push(ws, KUBE_WATCH_STATE_EVENT_INIT_DONE, NULL);
    ws->phase = KUBE_WATCH_PHASE_INIT_LISTED;
    ws->in_flight = 0;
    return KUBE_OK;
}

static kube_error_t on_error_event(kube_watch_state_t *ws, const kube_watch_event_t *ev)
{
    kube_error_t code = ev->error < 0 ? ev->error : KUBE_ERROR;
    if (code == KUBE_EGONE)
        to_empty(ws);
    /* Record the server's message; the code stays the one the decoder mapped. */
    if (ev->status && kube_status_error(ev->status, 0) == code)
        return code;
    return kube_error_set_http(code, ev->status ? ev->status->code : 0, ev->status ? ev->status->reason : "",
                               ev->status && ev->status->message[0] ? ev->status->message
                                                                     : "watch: the server sent an ERROR event");
}

kube_error_t kube_watch_state_on_watch_event(kube_watch_state_t *ws, const kube_watch_event_t *ev)
{
    if (!ws || !ev)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_state_on_watch_event: %s is NULL", ws ? "ev" : "ws");
    if (check_input(ws, "kube_watch_state_on_watch_event"))
        return KUBE_EINVAL;
    if (ev->type == KUBE_WATCH_END)
        return kube_error_setf(KUBE_EINVAL, "watch state: KUBE_WATCH_END is not an event (use on_watch_end)");
    if (!ws->in_flight
        || (ws->phase != KUBE_WATCH_PHASE_INITIAL_WATCH && ws->phase != KUBE_WATCH_PHASE_WATCHING))
        return kube_error_setf(KUBE_EINVAL, "watch state: a watch event arrived with no WATCH in flight");
    if (ev->type == KUBE_WATCH_ERROR)
        return on_error_event(ws, ev);
    if (ev->type != KUBE_WATCH_BOOKMARK && !ev->object)
        return kube_error_setf(KUBE_EINVAL, "watch state: a %s event without an object",
                               kube_watch_event_type_name(ev->type));

    if (ws->phase == KUBE_WATCH_PHASE_INITIAL_WATCH) {
        switch (ev->type) {
        case KUBE_WATCH_ADDED:
        case KUBE_WATCH_MODIFIED:
            ensure_init(ws);
            push(ws, KUBE_WATCH_STATE_EVENT_INIT_APPLY, ev->object);
            return KUBE_OK;
        case KUBE_WATCH_BOOKMARK:
            if (!ev->initial_events_end)
                return KUBE_OK;
            if (!ev->resource_version || !*ev->resource_version) {
                to_empty(ws);
                return kube_error_setf(KUBE_EPROTO, "watch state: the initial-events-end bookmark has no resourceVersion");
            }
            if (set_str(ws, &ws->rv, &ws->rv_cap, ev->resource_version) != KUBE_OK)
                return KUBE_ENOMEM;
            ws->has_rv = 1;
            ensure_init(ws);
            push(ws, KUBE_WATCH_STATE_EVENT_INIT_DONE, NULL);
            ws->phase = KUBE_WATCH_PHASE_WATCHING;
            return KUBE_OK;
        default: /* DELETED cannot happen during the initial events (Kubernetes says so); ignore it */
            return KUBE_OK;
        }
    }

    /* WATCHING */
    if (!ev->resource_version || !*ev->resource_version) {
        if (ev->type == KUBE_WATCH_BOOKMARK)
            return KUBE_OK;
        to_empty(ws);
        return kube_error_setf(KUBE_EPROTO, "watch state: a %s object has no metadata.resourceVersion",
                               kube_watch_event_type_name(ev->type));
    }
    if (set_str(ws, &ws->rv, &ws->rv_cap, ev->resource_version) != KUBE_OK)
        return KUBE_ENOMEM;
    ws->has_rv = 1;
    if (ev->type == KUBE_WATCH_DELETED)
        push(ws, KUBE_WATCH_STATE_EVENT_DELETE, ev->object);
    else if (ev->type != KUBE_WATCH_BOOKMARK)
        push(ws, KUBE_WATCH_STATE_EVENT_APPLY, ev->object);
    return KUBE_OK;
}

kube_error_t kube_watch_state_on_watch_end(kube_watch_state_t *ws)
{
    if (!ws)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_state_on_watch_end: ws is NULL");
    if (!ws->in_flight)
        return KUBE_OK;
    if (ws->phase == KUBE_WATCH_PHASE_WATCHING) {
        ws->phase = KUBE_WATCH_PHASE_INIT_LISTED; /* resume from the last resourceVersion */
        ws->in_flight = 0;
    } else {
        to_empty(ws); /* a streaming list cut short starts over */
    }
    return KUBE_OK;
}

kube_error_t kube_watch_state_on_error(kube_watch_state_t *ws, kube_error_t error)
{
    if (!ws || error >= 0)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_state_on_error: %s",
                               ws ? "the error is not a negative code" : "ws is NULL");
    if (!ws->in_flight)
        return error;
    if (error != KUBE_EGONE && ws->phase == KUBE_WATCH_PHASE_WATCHING) {
        ws->phase = KUBE_WATCH_PHASE_INIT_LISTED;
        ws->in_flight = 0;
    } else {
        to_empty(ws);
    }
    return error;
}

kube_error_t kube_watch_state_poll(kube_watch_state_t *ws, kube_watch_state_event_t *ev)
{
    if (ev)
        memset(ev, 0, sizeof *ev);
    if (!ws || !ev)
        return kube_error_setf(KUBE_EINVAL, "kube_watch_state_poll: %s is NULL", ws ? "ev" : "ws");
    if (!ws->qlen)
        return KUBE_EAGAIN;
    *ev = ws->queue[ws->qhead];
    memset(&ws->queue[ws->qhead], 0, sizeof ws->queue[ws->qhead]);
    ws->qhead = (ws->qhead + 1) % QUEUE_CAP;
    ws->qlen--;
    return KUBE_OK;
}

void kube_watch_state_event_dispose(kube_watch_state_event_t *ev)
{
    if (!ev)
        return;
    kube_json_doc_free(ev->object);
    ev->object = NULL;
}

const char *kube_watch_state_event_kind_name(kube_watch_state_event_kind_t kind)
{
    switch (kind) {
    case KUBE_WATCH_STATE_EVENT_INIT: return "INIT";
    case KUBE_WATCH_STATE_EVENT_INIT_APPLY: return "INIT_APPLY";
    case KUBE_WATCH_STATE_EVENT_INIT_DONE: return "INIT_DONE";
    case KUBE_WATCH_STATE_EVENT_APPLY: return "APPLY";
    case KUBE_WATCH_STATE_EVENT_DELETE: return "DELETE";
    }
    return "UNKNOWN";
}
