/* Fuzz the watch state machine with arbitrary sequences of requests and results. Each input
 * byte is one step (a request, a list item or end, a watch event, a stream end, a failure,
 * a reset). Checked invariants, whatever the sequence:
 * - INIT_APPLY and INIT_DONE only come inside an INIT ... INIT_DONE bracket;
 * - APPLY and DELETE only come outside it, after an INIT_DONE (never initial events on resume);
 * - a new INIT only follows a return to EMPTY (a re-list);
 * - objects handed out are the documents that were fed in. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kube/watch_state.h>

static kube_json_doc_t *docs[4];

static int in_init, listed, saw_empty;

static void check_events(kube_watch_state_t *ws)
{
    kube_watch_state_event_t ev;
    while (kube_watch_state_poll(ws, &ev) == KUBE_OK) {
        switch (ev.kind) {
        case KUBE_WATCH_STATE_EVENT_INIT:
            if (!saw_empty && listed)
                abort(); /* a second init without a re-list */
            in_init = 1;
            saw_empty = 0;
            break;
        case KUBE_WATCH_STATE_EVENT_INIT_APPLY:
            if (!in_init || !ev.object)
                abort();
            break;
        case KUBE_WATCH_STATE_EVENT_INIT_DONE:
            if (!in_init)
                abort();
            in_init = 0;
            listed = 1;
            break;
        case KUBE_WATCH_STATE_EVENT_APPLY:
        case KUBE_WATCH_STATE_EVENT_DELETE:
            if (in_init || !listed || !ev.object)
                abort();
            break;
        default:
            abort();
        }
        if (ev.object) {
            int known = 0;
            for (int i = 0; i < 4; i++)
                known |= ev.object == docs[i];
            if (!known)
                abort();
        }
        kube_watch_state_event_dispose(&ev);
    }
}

static void make_event(kube_watch_event_t *ev, uint8_t b)
{
    static const char *rvs[] = { "", "7", "8", "99" };
    memset(ev, 0, sizeof *ev);
    ev->version = KUBE_WATCH_EVENT_VERSION;
    ev->type = (kube_watch_event_type_t)(1 + (b % 5));
    ev->object = docs[(b >> 3) & 3];
    ev->resource_version = rvs[(b >> 5) & 3];
    ev->initial_events_end = ev->type == KUBE_WATCH_BOOKMARK && (b & 0x80);
    ev->error = ev->type == KUBE_WATCH_ERROR ? ((b & 0x40) ? KUBE_EGONE : KUBE_ETIMEDOUT) : KUBE_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    kube_watch_state_t *ws;
    kube_watch_request_t req;

    if (size < 1)
        return 0;
    for (int i = 0; i < 4; i++) {
        char text[64];
        snprintf(text, sizeof text, "{\"metadata\":{\"name\":\"o%d\",\"resourceVersion\":\"%d\"}}", i, i);
        if (kube_json_parse(&docs[i], text, strlen(text), NULL) != KUBE_OK)
            abort();
    }
    cfg.initial_list = (data[0] & 1) ? KUBE_WATCH_STREAMING_LIST : KUBE_WATCH_LIST_WATCH;
    cfg.page_size = 1 + (data[0] >> 1);
    if (kube_watch_state_new(&ws, &cfg, NULL) != KUBE_OK)
        abort();
    in_init = listed = 0;
    saw_empty = 1;
    for (size_t i = 1; i < size; i++) {
        uint8_t b = data[i];
        kube_error_t rc = KUBE_OK;
        switch (b & 7) {
        case 0:
            rc = kube_watch_state_next_request(ws, &req);
            if (rc == KUBE_OK && req.kind == KUBE_WATCH_REQUEST_WATCH && req.send_initial_events && listed
                && !saw_empty)
                abort(); /* initial events requested again without a re-list */
            break;
        case 1:
            rc = kube_watch_state_on_list_item(ws, docs[(b >> 3) & 3]);
            break;
        case 2:
            rc = kube_watch_state_on_list_end(ws, (b & 8) ? "42" : "", (b & 16) ? "tok" : NULL);
            break;
        case 3:
        case 4: {
            kube_watch_event_t ev;
            make_event(&ev, b >> 3);
            rc = kube_watch_state_on_watch_event(ws, &ev);
            break;
        }
        case 5:
            rc = kube_watch_state_on_watch_end(ws);
            break;
        case 6:
            rc = kube_watch_state_on_error(ws, (b & 8) ? KUBE_EGONE : KUBE_ETRANSPORT);
            break;
        case 7:
            if (b & 8) {
                kube_watch_state_reset(ws);
                in_init = 0;
                saw_empty = 1;
            }
            break;
        }
        (void)rc;
        if (kube_watch_state_phase(ws) == KUBE_WATCH_PHASE_EMPTY)
            saw_empty = 1;
        if ((b & 7) != 7 || (b & 8) == 0)
            check_events(ws);
        const char *rv = kube_watch_state_resource_version(ws);
        if (rv && !*rv)
            abort(); /* never resume from an empty version */
    }
    kube_watch_state_free(ws);
    for (int i = 0; i < 4; i++)
        kube_json_doc_free(docs[i]);
    return 0;
}
