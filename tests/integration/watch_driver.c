/* The watch state machine driver of the integration tests (see watch_driver.h). */
#include "watch_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kube/object.h>

void store_clear(store_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        kube_json_doc_free(s->e[i].doc);
    s->n = 0;
}

obj_entry_t *store_find(store_t *s, const char *key)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->e[i].key, key) == 0)
            return &s->e[i];
    return NULL;
}

void store_put(store_t *s, kube_json_doc_t *doc)
{
    char key[160];
    itest_key(kube_json_doc_root(doc), key, sizeof key);
    obj_entry_t *e = store_find(s, key);
    if (e) {
        kube_json_doc_free(e->doc);
        e->doc = kube_json_doc_ref(doc);
        return;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->e = realloc(s->e, s->cap * sizeof *s->e);
        ck_assert_ptr_nonnull(s->e);
    }
    snprintf(s->e[s->n].key, sizeof s->e[s->n].key, "%s", key);
    s->e[s->n].doc = kube_json_doc_ref(doc);
    s->n++;
}

void store_del(store_t *s, const kube_json_doc_t *doc)
{
    char key[160];
    itest_key(kube_json_doc_root(doc), key, sizeof key);
    obj_entry_t *e = store_find(s, key);
    ck_assert_msg(e != NULL, "DELETE of %s, which the cache does not hold", key);
    kube_json_doc_free(e->doc);
    *e = s->e[--s->n];
}

/* Deliver the machine's pending events to the cache, as a reflector's store does. */
void pump(driver_t *d)
{
    kube_watch_state_event_t ev;
    while (kube_watch_state_poll(d->ws, &ev) == KUBE_OK) {
        if (d->nlog == d->logcap) {
            d->logcap = d->logcap ? d->logcap * 2 : 256;
            d->log = realloc(d->log, d->logcap * sizeof *d->log);
            ck_assert_ptr_nonnull(d->log);
        }
        logged_t *l = &d->log[d->nlog++];
        memset(l, 0, sizeof *l);
        l->kind = ev.kind;
        if (ev.object) {
            itest_key(kube_json_doc_root(ev.object), l->key, sizeof l->key);
            const char *rv = kube_object_resource_version(kube_json_doc_root(ev.object));
            snprintf(l->rv, sizeof l->rv, "%s", rv ? rv : "");
        }
        switch (ev.kind) {
        case KUBE_WATCH_STATE_EVENT_INIT:
            /* a new INIT before INIT_DONE restarts the buffer (a failed initial list) */
            if (d->in_init)
                d->init_restarts++;
            d->in_init = 1;
            store_clear(&d->buffer);
            break;
        case KUBE_WATCH_STATE_EVENT_INIT_APPLY:
            ck_assert_msg(d->in_init, "INIT_APPLY outside an initial list");
            store_put(&d->buffer, ev.object);
            break;
        case KUBE_WATCH_STATE_EVENT_INIT_DONE:
            ck_assert_msg(d->in_init, "INIT_DONE without INIT");
            d->in_init = 0;
            store_clear(&d->cache);
            free(d->cache.e);
            d->cache = d->buffer;
            memset(&d->buffer, 0, sizeof d->buffer);
            break;
        case KUBE_WATCH_STATE_EVENT_APPLY:
            ck_assert_msg(!d->in_init, "APPLY during an initial list");
            store_put(&d->cache, ev.object);
            break;
        case KUBE_WATCH_STATE_EVENT_DELETE:
            ck_assert_msg(!d->in_init, "DELETE during an initial list");
            store_del(&d->cache, ev.object);
            break;
        }
        kube_watch_state_event_dispose(&ev);
    }
}

void driver_init(driver_t *d, const kube_watch_config_t *cfg)
{
    memset(d, 0, sizeof *d);
    ck_assert_int_eq(kube_watch_state_new(&d->ws, cfg, NULL), KUBE_OK);
    ck_assert_int_eq(kube_list_decoder_new(&d->ldec, 0, NULL), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_new(&d->wdec, 0, NULL), KUBE_OK);
}

void driver_free(driver_t *d)
{
    http_conn_close(d->conn);
    kube_watch_state_free(d->ws);
    kube_list_decoder_free(d->ldec);
    kube_watch_decoder_free(d->wdec);
    store_clear(&d->cache);
    store_clear(&d->buffer);
    free(d->cache.e);
    free(d->buffer.e);
    free(d->log);
}

static kube_error_t drain_list(driver_t *d)
{
    kube_json_doc_t *item;
    kube_error_t rc;
    while ((rc = kube_list_decoder_next(d->ldec, &item)) == KUBE_OK && item) {
        ck_assert_int_eq(kube_watch_state_on_list_item(d->ws, item), KUBE_OK);
        kube_json_doc_free(item);
        pump(d);
    }
    return rc;
}

static int list_cb(const char *data, size_t len, void *ud)
{
    driver_t *d = ud;
    kube_error_t rc = kube_list_decoder_feed(d->ldec, data, len);
    if (rc == KUBE_OK)
        rc = drain_list(d);
    if (rc != KUBE_OK && rc != KUBE_EAGAIN) {
        d->cb_err = rc;
        return 1;
    }
    return 0;
}

/* Feed the decoded events to the machine. Returns the first failure code (the stream
 * must then be dropped) or KUBE_OK / KUBE_EAGAIN. */
static kube_error_t drain_watch(driver_t *d)
{
    kube_watch_event_t ev;
    kube_error_t rc;
    while ((rc = kube_watch_decoder_next(d->wdec, &ev)) == KUBE_OK && ev.type != KUBE_WATCH_END) {
        if (ev.type == KUBE_WATCH_BOOKMARK)
            d->bookmarks++;
        if (ev.type == KUBE_WATCH_ERROR)
            d->errors++;
        kube_error_t r = kube_watch_state_on_watch_event(d->ws, &ev);
        kube_watch_event_dispose(&ev);
        pump(d);
        if (r != KUBE_OK)
            return r;
    }
    return rc;
}

static int watch_cb(const char *data, size_t len, void *ud)
{
    driver_t *d = ud;
    kube_error_t rc = kube_watch_decoder_feed(d->wdec, data, len);
    if (rc == KUBE_OK)
        rc = drain_watch(d);
    if (rc != KUBE_OK && rc != KUBE_EAGAIN) {
        d->cb_err = rc;
        return 1;
    }
    return 0;
}

static void close_watch(driver_t *d)
{
    http_conn_close(d->conn);
    d->conn = NULL;
}

/* One step: start the next request when none is in flight (a LIST page runs to its end),
 * or read from the open WATCH for up to timeout_ms. */
void step(driver_t *d, int timeout_ms)
{
    if (!kube_watch_state_in_flight(d->ws)) {
        kube_watch_request_t wr;
        ck_assert_int_eq(kube_watch_state_next_request(d->ws, &wr), KUBE_OK);
        kube_http_request_t req;
        kube_http_request_init(&req, NULL);
        ck_assert_int_eq(kube_watch_state_http_request(&req, &wr), KUBE_OK);
        snprintf(d->last_path, sizeof d->last_path, "%s", req.path);
        http_conn_t *c = http_open(itest_port, &req, NULL);
        kube_http_request_dispose(&req);
        if (!c) { /* the connection dropped before an answer */
            d->failures++;
            d->last_http_status = 0;
            d->last_failure = kube_watch_state_on_error(d->ws, KUBE_ETRANSPORT);
            pump(d);
            return;
        }
        if (http_conn_status(c) != 200) {
            kube_buf_t body;
            kube_buf_init(&body, NULL);
            http_conn_read_all(c, &body, 10000);
            const char *ct = http_conn_header(c, "Content-Type");
            kube_status_t *st = NULL;
            kube_error_t code = kube_status_classify(&st, http_conn_status(c), ct, body.ptr, body.size, NULL);
            d->failures++;
            d->last_http_status = http_conn_status(c);
            d->last_retry_after = st ? st->retry_after_seconds : 0;
            kube_status_free(st);
            http_conn_close(c);
            kube_buf_dispose(&body);
            d->last_failure = kube_watch_state_on_error(d->ws, code);
            pump(d);
            return;
        }
        if (wr.kind == KUBE_WATCH_REQUEST_LIST) {
            d->lists++;
            kube_list_decoder_reset(d->ldec);
            d->cb_err = KUBE_OK;
            int r;
            do {
                r = http_conn_read(c, list_cb, d, 30000);
            } while (r == HTTP_READ_DATA);
            http_conn_close(c);
            kube_error_t rc = d->cb_err;
            if (rc == KUBE_OK && r == HTTP_READ_EOF) {
                kube_list_decoder_finish(d->ldec);
                rc = drain_list(d);
            } else if (rc == KUBE_OK) {
                rc = KUBE_ETRANSPORT;
            }
            if (rc != KUBE_OK) {
                d->failures++;
                d->last_failure = kube_watch_state_on_error(d->ws, rc);
                pump(d);
                return;
            }
            ck_assert_int_eq(kube_watch_state_on_list_end(d->ws, kube_list_decoder_resource_version(d->ldec),
                                                          kube_list_decoder_continue(d->ldec)), KUBE_OK);
            pump(d);
            return;
        }
        d->watches++;
        kube_watch_decoder_reset(d->wdec);
        d->conn = c;
        return;
    }
    ck_assert_ptr_nonnull(d->conn);
    d->cb_err = KUBE_OK;
    int r = http_conn_read(d->conn, watch_cb, d, timeout_ms);
    if (r == HTTP_READ_STOPPED || d->cb_err != KUBE_OK) {
        /* an ERROR event (410 ...) or a decoder failure: drop the stream */
        kube_error_t rc = d->cb_err;
        close_watch(d);
        if (kube_watch_state_in_flight(d->ws)) {
            if (rc == KUBE_EPROTO || rc == KUBE_ERANGE || rc == KUBE_ENOMEM)
                kube_watch_state_on_error(d->ws, rc);
            else
                kube_watch_state_on_watch_end(d->ws);
        }
        d->last_failure = rc;
        pump(d);
        return;
    }
    if (r == HTTP_READ_EOF) {
        kube_watch_decoder_finish(d->wdec);
        kube_error_t rc = drain_watch(d);
        ck_assert_msg(rc == KUBE_OK || rc == KUBE_EAGAIN, "end of watch: %s", kube_error_name(rc));
        close_watch(d);
        ck_assert_int_eq(kube_watch_state_on_watch_end(d->ws), KUBE_OK);
        pump(d);
        return;
    }
    if (r == HTTP_READ_ERROR) { /* the stream broke (a cut connection, bad framing) */
        close_watch(d);
        d->failures++;
        d->last_failure = kube_watch_state_on_error(d->ws, KUBE_ETRANSPORT);
        pump(d);
        return;
    }
    ck_assert_msg(r == HTTP_READ_DATA || r == HTTP_READ_TIMEOUT, "watch read: %d", r);
}


void run_until(driver_t *d, cond_fn fn, const void *arg, int timeout_ms, const char *what)
{
    int64_t deadline = http_min_now_ms() + timeout_ms;
    while (!fn(d, arg)) {
        ck_assert_msg(http_min_now_ms() < deadline, "timed out waiting for %s (phase %d, %zu events)", what,
                      (int)kube_watch_state_phase(d->ws), d->nlog);
        step(d, 200);
    }
}

int cond_phase(driver_t *d, const void *arg)
{
    return kube_watch_state_phase(d->ws) == *(const kube_watch_phase_t *)arg && !kube_watch_state_in_flight(d->ws);
}

int cond_watching(driver_t *d, const void *arg)
{
    (void)arg;
    return kube_watch_state_phase(d->ws) == KUBE_WATCH_PHASE_WATCHING && d->conn != NULL;
}

int cond_nlog(driver_t *d, const void *arg)
{
    return d->nlog >= *(const size_t *)arg;
}

int cond_rv_changed(driver_t *d, const void *arg)
{
    const char *rv = kube_watch_state_resource_version(d->ws);
    return rv && strcmp(rv, (const char *)arg) != 0;
}
