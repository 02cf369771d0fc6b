/*
 * watch_replay: drive libkube's sans-IO watch machinery with a recorded conversation.
 *
 * The pure watch state machine says which request to make; this program "sends" it by
 * taking the next recorded response, pushes the body through the list or watch decoder
 * in small chunks (as a network would deliver it), feeds what comes out back into the
 * machine and prints the events a store or controller would see: INIT, INIT_APPLY,
 * INIT_DONE, APPLY and DELETE. The recording covers a paginated list, a watch with a
 * bookmark, a 410 Gone that forces a re-list, and a resumed watch. Time is simulated:
 * the backoff policy gets it as a parameter.
 *
 * Build: part of the examples (meson -Dexamples=true); run ./example-watch_replay.
 */
#include <stdio.h>
#include <string.h>
#include <kube/backoff.h>
#include <kube/list.h>
#include <kube/request.h>
#include <kube/resource.h>
#include <kube/watch.h>
#include <kube/watch_state.h>

/* One recorded HTTP exchange: the body the server answered (a List, or a watch stream). */
typedef struct exchange {
    int http_status;
    const char *body;
} exchange_t;

#define POD(name, rv) \
    "{\"metadata\":{\"name\":\"" name "\",\"namespace\":\"demo\",\"resourceVersion\":\"" rv "\"}," \
    "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}]}}"

static const exchange_t recording[] = {
    /* LIST page 1 (limit=2) */
    { 200, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"500\","
           "\"continue\":\"eyJydiI6NTAwLCJzdGFydCI6ImIifQ\",\"remainingItemCount\":1},"
           "\"items\":[" POD("alpha", "401") "," POD("bravo", "402") "]}" },
    /* LIST page 2 (the last) */
    { 200, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"500\"},"
           "\"items\":[" POD("charlie", "403") "]}" },
    /* WATCH from 500: changes, a bookmark, then the history is compacted */
    { 200, "{\"type\":\"ADDED\",\"object\":" POD("delta", "501") "}\n"
           "{\"type\":\"MODIFIED\",\"object\":" POD("alpha", "502") "}\n"
           "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"510\"}}}\n"
           "{\"type\":\"DELETED\",\"object\":" POD("bravo", "511") "}\n" },
    /* WATCH resumed from 511 after the clean end: too old by now */
    { 200, "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
           "\"status\":\"Failure\",\"message\":\"too old resource version: 511 (600)\",\"reason\":\"Expired\",\"code\":410}}\n" },
    /* the re-list */
    { 200, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"650\"},"
           "\"items\":[" POD("alpha", "502") "," POD("echo", "640") "]}" },
    /* and the watch that follows it */
    { 200, "{\"type\":\"ADDED\",\"object\":" POD("foxtrot", "651") "}\n" },
};

#define CHUNK 37 /* deliver bodies in small, arbitrary pieces */

static void print_events(kube_watch_state_t *ws)
{
    kube_watch_state_event_t ev;
    while (kube_watch_state_poll(ws, &ev) == KUBE_OK) {
        const kube_json_t *meta = kube_json_get(kube_json_doc_root(ev.object), "metadata");
        if (ev.object)
            printf("    event %-10s %s (rv %s)\n", kube_watch_state_event_kind_name(ev.kind),
                   kube_json_string(kube_json_get(meta, "name")),
                   kube_json_string(kube_json_get(meta, "resourceVersion")));
        else
            printf("    event %s\n", kube_watch_state_event_kind_name(ev.kind));
        kube_watch_state_event_dispose(&ev);
    }
}

/* Push a List body through the list decoder into the machine. */
static kube_error_t replay_list(kube_watch_state_t *ws, kube_list_decoder_t *dec, const char *body)
{
    size_t len = strlen(body), off = 0;
    kube_json_doc_t *item;
    kube_error_t rc = KUBE_EAGAIN;
    kube_list_decoder_reset(dec);
    while (off < len || rc == KUBE_EAGAIN) {
        size_t n = len - off < CHUNK ? len - off : CHUNK;
        if (n == 0)
            kube_list_decoder_finish(dec);
        else if ((rc = kube_list_decoder_feed(dec, body + off, n)) != KUBE_OK)
            return kube_watch_state_on_error(ws, rc);
        off += n;
        while ((rc = kube_list_decoder_next(dec, &item)) == KUBE_OK && item) {
            kube_watch_state_on_list_item(ws, item);
            kube_json_doc_free(item); /* the machine keeps its own reference */
            print_events(ws);
        }
        if (rc == KUBE_OK) /* the end of the list: its metadata is final */
            break;
        if (rc != KUBE_EAGAIN)
            return kube_watch_state_on_error(ws, rc);
    }
    printf("    list end: resourceVersion %s, continue %s\n", kube_list_decoder_resource_version(dec),
           kube_list_decoder_continue(dec) ? kube_list_decoder_continue(dec) : "(none)");
    rc = kube_watch_state_on_list_end(ws, kube_list_decoder_resource_version(dec), kube_list_decoder_continue(dec));
    print_events(ws);
    return rc;
}

/* Push a watch stream through the watch decoder into the machine. */
static kube_error_t replay_watch(kube_watch_state_t *ws, kube_watch_decoder_t *dec, const char *body)
{
    size_t len = strlen(body), off = 0;
    kube_watch_event_t ev;
    kube_error_t rc;
    kube_watch_decoder_reset(dec);
    for (;;) {
        size_t n = len - off < CHUNK ? len - off : CHUNK;
        if (n == 0)
            kube_watch_decoder_finish(dec);
        else if ((rc = kube_watch_decoder_feed(dec, body + off, n)) != KUBE_OK)
            return kube_watch_state_on_error(ws, rc);
        off += n;
        while ((rc = kube_watch_decoder_next(dec, &ev)) == KUBE_OK && ev.type != KUBE_WATCH_END) {
            printf("    wire  %-10s rv %s\n", kube_watch_event_type_name(ev.type), ev.resource_version);
            rc = kube_watch_state_on_watch_event(ws, &ev);
            kube_watch_event_dispose(&ev);
            print_events(ws);
            if (rc != KUBE_OK) {
                printf("    -> %s: %s\n", kube_error_name(rc), kube_error_last()->message);
                kube_watch_state_on_watch_end(ws);
                return rc;
            }
        }
        if (rc != KUBE_OK && rc != KUBE_EAGAIN)
            return kube_watch_state_on_error(ws, rc);
        if (n == 0)
            break;
    }
    printf("    stream ended cleanly\n");
    return kube_watch_state_on_watch_end(ws);
}

int main(void)
{
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    kube_watch_state_t *ws = NULL;
    kube_list_decoder_t *list = NULL;
    kube_watch_decoder_t *watch = NULL;
    kube_http_request_t http;
    kube_backoff_t backoff;
    uint64_t now_ms = 0;
    int status = 1;

    cfg.resource = kube_resource_builtin("pods");
    cfg.ns = "demo";
    cfg.page_size = 2;
    kube_http_request_init(&http, NULL);
    if (kube_watch_state_new(&ws, &cfg, NULL) != KUBE_OK || kube_list_decoder_new(&list, 0, NULL) != KUBE_OK
        || kube_watch_decoder_new(&watch, 0, NULL) != KUBE_OK || kube_backoff_init(&backoff, NULL, 2024) != KUBE_OK) {
        fprintf(stderr, "setup failed: %s\n", kube_error_last()->message);
        goto out;
    }

    for (size_t i = 0; i < sizeof recording / sizeof recording[0]; i++) {
        kube_watch_request_t req;
        kube_error_t rc;
        if (kube_watch_state_next_request(ws, &req) != KUBE_OK
            || kube_watch_state_http_request(&http, &req) != KUBE_OK) {
            fprintf(stderr, "request: %s\n", kube_error_last()->message);
            goto out;
        }
        printf("t=%6.1fs %s %s\n", (double)now_ms / 1000, http.method, http.path);
        if (req.kind == KUBE_WATCH_REQUEST_LIST)
            rc = replay_list(ws, list, recording[i].body);
        else
            rc = replay_watch(ws, watch, recording[i].body);
        now_ms += 1000;
        if (rc != KUBE_OK) {
            uint64_t delay = kube_backoff_next(&backoff, now_ms);
            printf("    %s: back off %.3f s%s\n", kube_error_name(rc), (double)delay / 1000,
                   rc == KUBE_EGONE ? ", then re-list" : "");
            now_ms += delay;
        }
    }
    printf("done: phase %d, resume from resourceVersion %s\n", (int)kube_watch_state_phase(ws),
           kube_watch_state_resource_version(ws) ? kube_watch_state_resource_version(ws) : "(none)");
    status = 0;
out:
    kube_http_request_dispose(&http);
    kube_watch_decoder_free(watch);
    kube_list_decoder_free(list);
    kube_watch_state_free(ws);
    return status;
}
