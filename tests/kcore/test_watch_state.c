#include <check.h>
#include <stdio.h>
#include <string.h>
#include <kube/watch_state.h>
#include "dec_fixture.h"
#include "failmalloc.h"

/* What kube_watch_state_http_request() makes of the machine's requests (request.h URL rules). */
#define LIST_PAGE1 "/api/v1/namespaces/default/pods?labelSelector=app%3Ddemo&limit=2"
#define LIST_PAGE2 "/api/v1/namespaces/default/pods?labelSelector=app%3Ddemo&limit=2&continue=tok%2F%3D%2B"
#define WATCH_FROM_5 \
    "/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=290&labelSelector=app%3Ddemo" \
    "&allowWatchBookmarks=true&resourceVersion=5"
#define STREAMING \
    "/api/v1/pods?watch=true&timeoutSeconds=290&allowWatchBookmarks=true&sendInitialEvents=true" \
    "&resourceVersionMatch=NotOlderThan&resourceVersion="

static kube_json_doc_t *obj(const char *name, const char *rv)
{
    char text[256];
    kube_json_doc_t *doc = NULL;
    snprintf(text, sizeof text, "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"ns\",\"resourceVersion\":\"%s\"}}", name,
             rv);
    ck_assert_int_eq(kube_json_parse(&doc, text, strlen(text), NULL), KUBE_OK);
    return doc;
}

/* Decode one watch line into an event (through the real decoder). */
static void event(kube_watch_event_t *ev, const char *type, const char *name, const char *rv, int end_marker)
{
    char line[512];
    kube_watch_decoder_t *dec;
    if (strcmp(type, "ERROR") == 0)
        snprintf(line, sizeof line,
                 "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                 "\"status\":\"Failure\",\"message\":\"%s\",\"reason\":\"%s\",\"code\":%s}}\n",
                 name, strcmp(rv, "410") == 0 ? "Expired" : "Timeout", rv);
    else if (strcmp(type, "BOOKMARK") == 0)
        snprintf(line, sizeof line, "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
                 "\"metadata\":{\"resourceVersion\":\"%s\"%s}}}\n", rv,
                 end_marker ? ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}" : "");
    else
        snprintf(line, sizeof line, "{\"type\":\"%s\",\"object\":{\"metadata\":{\"name\":\"%s\",\"resourceVersion\":\"%s\"}}}\n",
                 type, name, rv);
    ck_assert_int_eq(kube_watch_decoder_new(&dec, 0, NULL), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_feed(dec, line, strlen(line)), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_next(dec, ev), KUBE_OK);
    kube_watch_decoder_free(dec);
}

/* Feed one watch event and dispose it; returns what the machine answered. */
static kube_error_t feed(kube_watch_state_t *ws, const char *type, const char *name, const char *rv, int end_marker)
{
    kube_watch_event_t ev;
    event(&ev, type, name, rv, end_marker);
    kube_error_t rc = kube_watch_state_on_watch_event(ws, &ev);
    kube_watch_event_dispose(&ev);
    return rc;
}

static kube_error_t item(kube_watch_state_t *ws, const char *name, const char *rv)
{
    kube_json_doc_t *doc = obj(name, rv);
    kube_error_t rc = kube_watch_state_on_list_item(ws, doc);
    kube_json_doc_free(doc);
    return rc;
}

/* All pending events as "KIND[:name]" joined by spaces. */
static const char *drain(kube_watch_state_t *ws)
{
    static char out[1024];
    kube_watch_state_event_t ev;
    size_t len = 0;
    out[0] = '\0';
    while (kube_watch_state_poll(ws, &ev) == KUBE_OK) {
        const char *name = kube_json_string(kube_json_pointer(kube_json_doc_root(ev.object), "/metadata/name"));
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s%s%s", len ? " " : "",
                                kube_watch_state_event_kind_name(ev.kind), name ? ":" : "", name ? name : "");
        kube_watch_state_event_dispose(&ev);
        ck_assert_ptr_null(ev.object);
    }
    return out;
}

static kube_watch_state_t *machine(const kube_watch_config_t *cfg)
{
    kube_watch_state_t *ws = NULL;
    ck_assert_int_eq(kube_watch_state_new(&ws, cfg, NULL), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_EMPTY);
    return ws;
}

START_TEST(paginated_list_then_watch_then_resume)
{
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    kube_watch_request_t req;
    cfg.ns = "ns";
    cfg.label_selector = "app=demo";
    cfg.page_size = 2;
    kube_watch_state_t *ws = machine(&cfg);

    /* page 1 */
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(req.kind, KUBE_WATCH_REQUEST_LIST);
    ck_assert_uint_eq(req.limit, 2);
    ck_assert_ptr_null(req.continue_token);
    ck_assert_ptr_null(req.resource_version);
    ck_assert_str_eq(req.ns, "ns");
    ck_assert_str_eq(req.label_selector, "app=demo");
    ck_assert_ptr_null(req.field_selector);
    ck_assert_uint_eq(req.timeout_seconds, 0);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_INIT_PAGE);
    ck_assert(kube_watch_state_in_flight(ws));
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_EAGAIN);
    ck_assert_int_eq(item(ws, "a", "10"), KUBE_OK);
    ck_assert_str_eq(drain(ws), "INIT INIT_APPLY:a");
    ck_assert_int_eq(item(ws, "b", "11"), KUBE_OK);
    ck_assert_str_eq(drain(ws), "INIT_APPLY:b");
    ck_assert_int_eq(kube_watch_state_on_list_end(ws, "50", "tok-1"), KUBE_OK);
    ck_assert_str_eq(drain(ws), "");
    ck_assert_ptr_null(kube_watch_state_resource_version(ws));

    /* page 2 (last) */
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(req.kind, KUBE_WATCH_REQUEST_LIST);
    ck_assert_str_eq(req.continue_token, "tok-1");
    ck_assert_int_eq(item(ws, "c", "12"), KUBE_OK);
    ck_assert_str_eq(drain(ws), "INIT_APPLY:c");
    ck_assert_int_eq(kube_watch_state_on_list_end(ws, "50", ""), KUBE_OK);
    ck_assert_str_eq(drain(ws), "INIT_DONE");
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_INIT_LISTED);
    ck_assert_str_eq(kube_watch_state_resource_version(ws), "50");

    /* watch from the list's resourceVersion, never with initial events */
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(req.kind, KUBE_WATCH_REQUEST_WATCH);
    ck_assert_str_eq(req.resource_version, "50");
    ck_assert_int_eq(req.send_initial_events, 0);
    ck_assert_int_eq(req.allow_bookmarks, 1);
    ck_assert_ptr_null(req.resource_version_match);
    ck_assert_uint_eq(req.timeout_seconds, KUBE_WATCH_DEFAULT_TIMEOUT);
    ck_assert_uint_eq(req.limit, 0);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_WATCHING);
    ck_assert_int_eq(feed(ws, "ADDED", "d", "51", 0), KUBE_OK);
    ck_assert_str_eq(drain(ws), "APPLY:d");
    ck_assert_int_eq(feed(ws, "MODIFIED", "a", "52", 0), KUBE_OK);
    ck_assert_str_eq(drain(ws), "APPLY:a");
    ck_assert_int_eq(feed(ws, "DELETED", "b", "53", 0), KUBE_OK);
    ck_assert_str_eq(drain(ws), "DELETE:b");
    ck_assert_str_eq(kube_watch_state_resource_version(ws), "53");
    /* bookmarks advance the version silently */
    ck_assert_int_eq(feed(ws, "BOOKMARK", "", "60", 0), KUBE_OK);
    ck_assert_str_eq(drain(ws), "");
    ck_assert_str_eq(kube_watch_state_resource_version(ws), "60");

    /* a clean end resumes from the last version; a resumed watch emits APPLY, not INIT_* */
    ck_assert_int_eq(kube_watch_state_on_watch_end(ws), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_INIT_LISTED);
    ck_assert_int_eq(kube_watch_state_on_watch_end(ws), KUBE_OK); /* nothing in flight: no-op */
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(req.kind, KUBE_WATCH_REQUEST_WATCH);
    ck_assert_str_eq(req.resource_version, "60");
    ck_assert_int_eq(req.send_initial_events, 0);
    ck_assert_int_eq(feed(ws, "ADDED", "e", "61", 0), KUBE_OK);
    ck_assert_str_eq(drain(ws), "APPLY:e");

    /* a transport failure also resumes from the last version */
    ck_assert_int_eq(kube_watch_state_on_error(ws, KUBE_ETRANSPORT), KUBE_ETRANSPORT);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_INIT_LISTED);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_str_eq(req.resource_version, "61");

    /* a non-410 ERROR event: back off, the stream ends, resume */
    ck_assert_int_eq(feed(ws, "ERROR", "Timeout: Too large resource version", "504", 0), KUBE_ETIMEDOUT);
    ck_assert_str_eq(kube_error_last()->message, "Timeout: Too large resource version");
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_WATCHING);
    ck_assert_int_eq(kube_watch_state_on_watch_end(ws), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_str_eq(req.resource_version, "61");

    /* 410 Gone: back to EMPTY, a full re-list announced by INIT */
    ck_assert_int_eq(feed(ws, "ERROR", "too old resource version: 61 (70)", "410", 0), KUBE_EGONE);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_EMPTY);
    ck_assert_ptr_null(kube_watch_state_resource_version(ws));
    ck_assert_int_eq(kube_watch_state_on_watch_end(ws), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(req.kind, KUBE_WATCH_REQUEST_LIST);
    ck_assert_ptr_null(req.continue_token);
    ck_assert_int_eq(kube_watch_state_on_list_end(ws, "80", NULL), KUBE_OK);
    ck_assert_str_eq(drain(ws), "INIT INIT_DONE"); /* an empty list still opens and closes the init */
    kube_watch_state_free(ws);
}
END_TEST

START_TEST(gone_continue_token_restarts_the_list)
{
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    kube_watch_request_t req;
    kube_watch_state_t *ws = machine(&cfg);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_uint_eq(req.limit, 500);
    ck_assert_int_eq(item(ws, "a", "1"), KUBE_OK);
    ck_assert_str_eq(drain(ws), "INIT INIT_APPLY:a");
    ck_assert_int_eq(kube_watch_state_on_list_end(ws, "5", "tok"), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_str_eq(req.continue_token, "tok");
    /* the continue token expired: HTTP 410 */
    ck_assert_int_eq(kube_watch_state_on_error(ws, KUBE_EGONE), KUBE_EGONE);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_EMPTY);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_ptr_null(req.continue_token);
    ck_assert_int_eq(item(ws, "a", "1"), KUBE_OK);
    ck_assert_str_eq(drain(ws), "INIT INIT_APPLY:a"); /* stores start a fresh buffer */
    /* any other failure mid-list also restarts it (a partial list is never continued) */
    ck_assert_int_eq(kube_watch_state_on_error(ws, KUBE_ETRANSPORT), KUBE_ETRANSPORT);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_EMPTY);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    /* a last page without a resourceVersion cannot be watched from */
    ck_assert_int_eq(kube_watch_state_on_list_end(ws, "", NULL), KUBE_EPROTO);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_EMPTY);
    ck_assert_str_eq(drain(ws), "");
    /* errors with nothing in flight are just handed back */
    ck_assert_int_eq(kube_watch_state_on_error(ws, KUBE_ETIMEDOUT), KUBE_ETIMEDOUT);
    ck_assert_int_eq(kube_watch_state_on_error(ws, KUBE_OK), KUBE_EINVAL);
    kube_watch_state_free(ws);
}
END_TEST

START_TEST(streaming_list)
{
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    kube_watch_request_t req;
    size_t len;
    char *data = dec_fixture("watch/streaming_list.txt", &len);
    kube_watch_decoder_t *dec;
    kube_watch_event_t ev;
    char log[512] = "";
    cfg.initial_list = KUBE_WATCH_STREAMING_LIST;
    cfg.field_selector = "spec.nodeName=n1";
    cfg.timeout_seconds = 60;
    kube_watch_state_t *ws = machine(&cfg);

    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(req.kind, KUBE_WATCH_REQUEST_WATCH);
    ck_assert_int_eq(req.send_initial_events, 1);
    ck_assert_int_eq(req.allow_bookmarks, 1);
    ck_assert_str_eq(req.resource_version, "");
    ck_assert_str_eq(req.resource_version_match, "NotOlderThan");
    ck_assert_str_eq(req.field_selector, "spec.nodeName=n1");
    ck_assert_ptr_null(req.ns);
    ck_assert_uint_eq(req.timeout_seconds, 60);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_INITIAL_WATCH);

    /* the recorded stream, through the decoder and the machine */
    ck_assert_int_eq(kube_watch_decoder_new(&dec, 0, NULL), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_feed(dec, data, len), KUBE_OK);
    while (kube_watch_decoder_next(dec, &ev) == KUBE_OK) {
        ck_assert_int_eq(kube_watch_state_on_watch_event(ws, &ev), KUBE_OK);
        kube_watch_event_dispose(&ev);
        strcat(log, drain(ws));
        strcat(log, "|");
    }
    kube_watch_decoder_free(dec);
    ck_assert_str_eq(log, "INIT INIT_APPLY:pod-a|INIT_APPLY:pod-b||INIT_DONE|APPLY:pod-a|DELETE:pod-b|");
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_WATCHING);
    ck_assert_str_eq(kube_watch_state_resource_version(ws), "112");

    /* resume: never re-send the initial events */
    ck_assert_int_eq(kube_watch_state_on_watch_end(ws), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(req.send_initial_events, 0);
    ck_assert_str_eq(req.resource_version, "112");
    ck_assert_ptr_null(req.resource_version_match);

    /* 410 goes back to a fresh streaming list */
    ck_assert_int_eq(kube_watch_state_on_error(ws, KUBE_EGONE), KUBE_EGONE);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(req.send_initial_events, 1);
    ck_assert_int_eq(feed(ws, "ADDED", "x", "200", 0), KUBE_OK);
    ck_assert_str_eq(drain(ws), "INIT INIT_APPLY:x");
    ck_assert_int_eq(feed(ws, "DELETED", "x", "201", 0), KUBE_OK); /* impossible here; ignored */
    ck_assert_str_eq(drain(ws), "");
    /* cut before the end bookmark: the streaming list starts over */
    ck_assert_int_eq(kube_watch_state_on_watch_end(ws), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_EMPTY);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(req.send_initial_events, 1);
    /* an end bookmark with no version is a protocol error */
    ck_assert_int_eq(feed(ws, "BOOKMARK", "", "", 1), KUBE_EPROTO);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_EMPTY);
    ck_assert_str_eq(drain(ws), "");
    /* an ERROR other than 410 during the initial events: back off; the stream's end restarts */
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(feed(ws, "ERROR", "slow", "504", 0), KUBE_ETIMEDOUT);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_INITIAL_WATCH);
    ck_assert_int_eq(kube_watch_state_on_watch_end(ws), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_EMPTY);
    kube_watch_state_free(ws);
    free(data);
}
END_TEST

START_TEST(objects_pass_through_without_copy)
{
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    kube_watch_request_t req;
    kube_watch_state_event_t ev;
    kube_watch_state_t *ws = machine(&cfg);
    kube_json_doc_t *doc = obj("a", "1");
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_on_list_item(ws, doc), KUBE_OK);
    kube_json_doc_free(doc); /* the machine holds its own reference */
    ck_assert_int_eq(kube_watch_state_poll(ws, &ev), KUBE_OK);
    ck_assert_int_eq(ev.kind, KUBE_WATCH_STATE_EVENT_INIT);
    ck_assert_ptr_null(ev.object);
    ck_assert_int_eq(kube_watch_state_poll(ws, &ev), KUBE_OK);
    ck_assert_int_eq(ev.kind, KUBE_WATCH_STATE_EVENT_INIT_APPLY);
    ck_assert_ptr_eq(ev.object, doc); /* the same document, not a copy */
    ck_assert_str_eq(kube_json_string(kube_json_pointer(kube_json_doc_root(ev.object), "/metadata/name")), "a");
    kube_watch_state_event_dispose(&ev);
    ck_assert_int_eq(kube_watch_state_poll(ws, &ev), KUBE_EAGAIN);

    /* events not polled block new input (the queue is fixed and never allocates) */
    doc = obj("b", "2");
    ck_assert_int_eq(kube_watch_state_on_list_item(ws, doc), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_on_list_item(ws, doc), KUBE_EINVAL);
    ck_assert_int_eq(kube_watch_state_on_list_end(ws, "3", NULL), KUBE_EINVAL);
    /* reset drops them (no leak under the leak checkers) and goes back to EMPTY */
    kube_watch_state_reset(ws);
    ck_assert_int_eq(kube_watch_state_poll(ws, &ev), KUBE_EAGAIN);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_EMPTY);
    ck_assert(!kube_watch_state_in_flight(ws));
    /* input that does not fit the phase */
    ck_assert_int_eq(kube_watch_state_on_list_item(ws, doc), KUBE_EINVAL);
    ck_assert_int_eq(kube_watch_state_on_list_end(ws, "1", NULL), KUBE_EINVAL);
    ck_assert_int_eq(feed(ws, "ADDED", "a", "1", 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(feed(ws, "ADDED", "a", "1", 0), KUBE_EINVAL); /* a LIST is in flight */
    kube_watch_event_t end;
    memset(&end, 0, sizeof end);
    ck_assert_int_eq(kube_watch_state_on_watch_event(ws, &end), KUBE_EINVAL);
    /* leave an event pending: free releases it */
    ck_assert_int_eq(kube_watch_state_on_list_item(ws, doc), KUBE_OK);
    kube_json_doc_free(doc);
    kube_watch_state_free(ws);
    kube_watch_state_free(NULL);
    kube_watch_state_reset(NULL);
    kube_watch_state_event_dispose(NULL);
}
END_TEST

START_TEST(watching_object_without_version)
{
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    kube_watch_request_t req;
    kube_watch_state_t *ws = machine(&cfg);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_on_list_end(ws, "5", NULL), KUBE_OK);
    ck_assert_str_eq(drain(ws), "INIT INIT_DONE");
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(feed(ws, "BOOKMARK", "", "", 0), KUBE_OK); /* ignored */
    ck_assert_str_eq(kube_watch_state_resource_version(ws), "5");
    ck_assert_int_eq(feed(ws, "ADDED", "a", "", 0), KUBE_EPROTO);
    ck_assert_int_eq(kube_watch_state_phase(ws), KUBE_WATCH_PHASE_EMPTY);
    ck_assert_str_eq(drain(ws), "");
    kube_watch_state_free(ws);
}
END_TEST

START_TEST(config_rules)
{
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    kube_watch_request_t req;
    kube_watch_state_t *ws = NULL;
    ck_assert_int_eq(kube_watch_state_new(NULL, &cfg, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_watch_state_new(&ws, NULL, NULL), KUBE_EINVAL);
    cfg.version = 7;
    ck_assert_int_eq(kube_watch_state_new(&ws, &cfg, NULL), KUBE_EINVAL);
    cfg.version = KUBE_WATCH_CONFIG_VERSION;
    cfg.initial_list = KUBE_WATCH_STREAMING_LIST;
    cfg.bookmarks = 0;
    ck_assert_int_eq(kube_watch_state_new(&ws, &cfg, NULL), KUBE_EINVAL);
    ck_assert_ptr_null(ws);
    cfg.initial_list = (kube_watch_initial_list_t)9;
    ck_assert_int_eq(kube_watch_state_new(&ws, &cfg, NULL), KUBE_EINVAL);
    cfg.initial_list = KUBE_WATCH_LIST_WATCH;
    cfg.list_semantic = (kube_watch_list_semantic_t)9;
    ck_assert_int_eq(kube_watch_state_new(&ws, &cfg, NULL), KUBE_EINVAL);

    /* Any + no paging: resourceVersion 0, NotOlderThan; bookmarks off */
    cfg.list_semantic = KUBE_WATCH_ANY;
    cfg.page_size = KUBE_WATCH_NO_PAGING;
    cfg.ns = "";
    ws = machine(&cfg);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_uint_eq(req.version, KUBE_WATCH_REQUEST_VERSION);
    ck_assert_uint_eq(req.limit, 0);
    ck_assert_str_eq(req.resource_version, "0");
    ck_assert_str_eq(req.resource_version_match, "NotOlderThan");
    ck_assert_ptr_null(req.ns);
    ck_assert_int_eq(kube_watch_state_on_list_end(ws, "9", NULL), KUBE_OK);
    drain(ws);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(req.allow_bookmarks, 0);
    kube_watch_state_free(ws);
    /* Any is ignored with paging (resourceVersion 0 cannot paginate) */
    cfg.page_size = 0;
    ws = machine(&cfg);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_uint_eq(req.limit, 500);
    ck_assert_ptr_null(req.resource_version);
    kube_watch_state_free(ws);
    ck_assert_str_eq(kube_watch_state_event_kind_name((kube_watch_state_event_kind_t)0), "UNKNOWN");
    ck_assert_int_eq(kube_watch_state_phase(NULL), KUBE_WATCH_PHASE_EMPTY);
    ck_assert_int_eq(kube_watch_state_next_request(NULL, &req), KUBE_EINVAL);
    ck_assert_int_eq(kube_watch_state_poll(NULL, NULL), KUBE_EINVAL);
}
END_TEST

/* The descriptions become HTTP through the request builders. */
START_TEST(http_requests)
{
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    kube_watch_request_t req;
    kube_http_request_t http;
    cfg.resource = kube_resource_builtin("pods");
    cfg.ns = "default";
    cfg.label_selector = "app=demo";
    cfg.page_size = 2;
    ck_assert_ptr_nonnull(cfg.resource);
    kube_watch_state_t *ws = machine(&cfg);
    kube_http_request_init(&http, NULL);

    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_ptr_eq(req.resource, cfg.resource);
    ck_assert_int_eq(kube_watch_state_http_request(&http, &req), KUBE_OK);
    ck_assert_str_eq(http.method, "GET");
    ck_assert_str_eq(http.path, LIST_PAGE1);
    ck_assert_int_eq(kube_watch_state_on_list_end(ws, "5", "tok/=+"), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_http_request(&http, &req), KUBE_OK);
    ck_assert_str_eq(http.path, LIST_PAGE2);
    ck_assert_int_eq(kube_watch_state_on_list_end(ws, "5", NULL), KUBE_OK);
    drain(ws);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_http_request(&http, &req), KUBE_OK);
    ck_assert_str_eq(http.path, WATCH_FROM_5);
    ck_assert(http.flags & KUBE_HTTP_STREAM);
    kube_watch_state_free(ws);

    cfg.initial_list = KUBE_WATCH_STREAMING_LIST;
    cfg.ns = NULL;
    cfg.label_selector = NULL;
    ws = machine(&cfg);
    ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
    ck_assert_int_eq(kube_watch_state_http_request(&http, &req), KUBE_OK);
    ck_assert_str_eq(http.path, STREAMING);

    /* no resource, unknown kind, a namespace for a cluster-scoped resource */
    req.resource = NULL;
    ck_assert_int_eq(kube_watch_state_http_request(&http, &req), KUBE_EINVAL);
    req.resource = kube_resource_builtin("nodes");
    req.ns = "default";
    ck_assert_int_eq(kube_watch_state_http_request(&http, &req), KUBE_EINVAL);
    req.kind = (kube_watch_request_kind_t)0;
    ck_assert_int_eq(kube_watch_state_http_request(&http, &req), KUBE_EINVAL);
    ck_assert_int_eq(kube_watch_state_http_request(NULL, &req), KUBE_EINVAL);
    ck_assert_str_eq(http.path, STREAMING); /* unchanged on error */
    kube_http_request_dispose(&http);
    kube_watch_state_free(ws);
    cfg.timeout_seconds = 295;
    ck_assert_int_eq(kube_watch_state_new(&ws, &cfg, NULL), KUBE_EINVAL);
}
END_TEST

START_TEST(out_of_memory_every_allocation)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    kube_watch_request_t req;
    long n;
    cfg.ns = "ns";
    cfg.label_selector = "a=b";
    cfg.field_selector = "c=d";
    for (n = 0;; n++) {
        kube_watch_state_t *ws = NULL;
        kube_error_t rc;
        failmalloc_reset(&fm, n);
        rc = kube_watch_state_new(&ws, &cfg, &mem);
        if (rc == KUBE_OK) {
            /* growth of the continue token and the resourceVersion may fail too; state stays put */
            ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
            rc = kube_watch_state_on_list_end(ws, "1", "a-continue-token-longer-than-thirty-two-bytes");
            if (rc == KUBE_OK)
                rc = kube_watch_state_next_request(ws, &req);
            if (rc == KUBE_OK)
                rc = kube_watch_state_on_list_end(ws, "123", NULL);
            if (rc == KUBE_OK) {
                ck_assert_str_eq(drain(ws), "INIT INIT_DONE");
                ck_assert_int_eq(kube_watch_state_next_request(ws, &req), KUBE_OK);
                rc = feed(ws, "BOOKMARK", "", "a-resource-version-longer-than-thirty-two-bytes", 0);
            }
            if (rc == KUBE_OK) {
                ck_assert_str_eq(kube_watch_state_resource_version(ws),
                                 "a-resource-version-longer-than-thirty-two-bytes");
                kube_watch_state_free(ws);
                ck_assert_int_eq(fm.live, 0);
                ck_assert_int_eq(fm.failed, 0);
                break;
            }
            ck_assert_int_eq(rc, KUBE_ENOMEM);
            ck_assert(kube_watch_state_in_flight(ws)); /* nothing changed: the result can be fed again */
            kube_watch_state_free(ws);
        } else {
            ck_assert_int_eq(rc, KUBE_ENOMEM);
            ck_assert_ptr_null(ws);
        }
        ck_assert_int_eq(fm.live, 0);
    }
    ck_assert_int_ge(n, 6);
}
END_TEST

Suite *kube_test_watch_state_suite(void)
{
    Suite *s = suite_create("watch_state");
    TCase *tc = tcase_create("watch_state");
    tcase_add_test(tc, paginated_list_then_watch_then_resume);
    tcase_add_test(tc, gone_continue_token_restarts_the_list);
    tcase_add_test(tc, streaming_list);
    tcase_add_test(tc, objects_pass_through_without_copy);
    tcase_add_test(tc, watching_object_without_version);
    tcase_add_test(tc, config_rules);
    tcase_add_test(tc, http_requests);
    tcase_add_test(tc, out_of_memory_every_allocation);
    suite_add_tcase(s, tc);
    return s;
}
