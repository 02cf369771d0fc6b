/* A driver for kcore's watch state machine over http_min (test code): it makes the
 * requests the machine asks for, feeds list items and watch events in random pieces, and
 * keeps a cache the way a reflector's store does (INIT starts a buffer, INIT_DONE swaps). */
#ifndef KUBE_ITEST_WATCH_DRIVER_H
#define KUBE_ITEST_WATCH_DRIVER_H

#include <kube/list.h>
#include <kube/watch.h>
#include <kube/watch_state.h>

#include "itest.h"

typedef struct obj_entry {
    char key[160];
    kube_json_doc_t *doc;
} obj_entry_t;

typedef struct store {
    obj_entry_t *e;
    size_t n, cap;
} store_t;

typedef struct logged {
    kube_watch_state_event_kind_t kind;
    char key[160];
    char rv[32];
} logged_t;

typedef struct driver {
    kube_watch_state_t *ws;
    kube_list_decoder_t *ldec;
    kube_watch_decoder_t *wdec;
    http_conn_t *conn; /* the open WATCH */
    store_t cache, buffer;
    int in_init;
    logged_t *log;
    size_t nlog, logcap;
    int lists, watches;      /* requests made */
    int bookmarks, errors;   /* watch events seen */
    kube_error_t last_failure;
    int failures;            /* requests that failed (HTTP error, transport, decoder) */
    int last_http_status;    /* of the last HTTP error answer; 0 for a dropped connection */
    int last_retry_after;    /* its Status details.retryAfterSeconds */
    int init_restarts;       /* INIT events that arrived while an initial list was open */
    char last_path[2048];
    kube_error_t cb_err;
} driver_t;

typedef int (*cond_fn)(driver_t *d, const void *arg);

void store_clear(store_t *s);
obj_entry_t *store_find(store_t *s, const char *key);
void store_put(store_t *s, kube_json_doc_t *doc);
void store_del(store_t *s, const kube_json_doc_t *doc);
/* Deliver the machine's pending events to the cache and the log. */
void pump(driver_t *d);
void driver_init(driver_t *d, const kube_watch_config_t *cfg);
void driver_free(driver_t *d);
/* Start the next request when none is in flight (a LIST page runs to its end), or read
 * from the open WATCH for up to timeout_ms. */
void step(driver_t *d, int timeout_ms);
/* Step until fn(d, arg) holds; fails the test after timeout_ms. */
void run_until(driver_t *d, cond_fn fn, const void *arg, int timeout_ms, const char *what);
int cond_phase(driver_t *d, const void *arg);      /* arg: kube_watch_phase_t*, nothing in flight */
int cond_watching(driver_t *d, const void *arg);   /* WATCHING with the stream open */
int cond_nlog(driver_t *d, const void *arg);       /* arg: size_t*, events logged */
int cond_rv_changed(driver_t *d, const void *arg); /* arg: the old resourceVersion */

#endif
