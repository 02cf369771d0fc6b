#include <check.h>
#include <stdio.h>
#include <string.h>
#include <kube/watch.h>
#include "dec_fixture.h"
#include "failmalloc.h"

/* One line per event: TYPE name rv end-flag error; appended to a growing log. */
typedef struct evlog {
    char text[8192];
    size_t len;
    int events;
} evlog_t;

static void log_event(evlog_t *log, const kube_watch_event_t *ev)
{
    const kube_json_t *root = kube_json_doc_root(ev->object);
    const char *name = kube_json_string(kube_json_get(kube_json_get(root, "metadata"), "name"));
    int n = snprintf(log->text + log->len, sizeof log->text - log->len, "%s %s %s %d %s %s\n",
                     kube_watch_event_type_name(ev->type), name ? name : "-", ev->resource_version,
                     ev->initial_events_end, kube_error_name(ev->error),
                     ev->status ? ev->status->reason : "-");
    ck_assert(n > 0 && (size_t)n < sizeof log->text - log->len);
    log->len += (size_t)n;
    log->events++;
}

static kube_error_t drain(kube_watch_decoder_t *dec, evlog_t *log)
{
    kube_watch_event_t ev;
    kube_error_t rc;
    while ((rc = kube_watch_decoder_next(dec, &ev)) == KUBE_OK) {
        if (ev.type == KUBE_WATCH_END)
            return KUBE_OK;
        /* every object is a document of its own, rooted at the object */
        ck_assert_int_eq(kube_json_type(kube_json_doc_root(ev.object)), KUBE_JSON_OBJECT);
        log_event(log, &ev);
        kube_watch_event_dispose(&ev);
        ck_assert_ptr_null(ev.object);
    }
    ck_assert_int_eq(ev.type, KUBE_WATCH_END);
    ck_assert_ptr_null(ev.object);
    return rc;
}

/*
 * Feed data in chunks: cut at `split` (0: none) and then in pieces of `step`
 * bytes (0: the rest at once). Returns KUBE_OK when the stream decoded to its
 * end, else the first error.
 */
static kube_error_t run_stream(const char *data, size_t len, size_t split, size_t step, const kube_mem_t *mem,
                               evlog_t *log)
{
    kube_watch_decoder_t *dec = NULL;
    kube_error_t rc;
    size_t off = 0;

    memset(log, 0, sizeof *log);
    if ((rc = kube_watch_decoder_new(&dec, 0, mem)) != KUBE_OK)
        return rc;
    while (off < len) {
        size_t n = len - off;
        if (split && off < split)
            n = split - off;
        else if (step && n > step)
            n = step;
        rc = kube_watch_decoder_feed(dec, data + off, n);
        if (rc == KUBE_OK)
            rc = drain(dec, log);
        if (rc != KUBE_OK && rc != KUBE_EAGAIN)
            goto out;
        off += n;
    }
    kube_watch_decoder_finish(dec);
    rc = drain(dec, log);
out:
    kube_watch_decoder_free(dec);
    return rc;
}

START_TEST(all_event_types)
{
    size_t len;
    char *data = dec_fixture("watch/all_events.txt", &len);
    evlog_t log;
    ck_assert_int_eq(run_stream(data, len, 0, 0, NULL, &log), KUBE_OK);
    /* the ERROR object has no resourceVersion: "" prints as nothing between spaces */
    ck_assert_str_eq(log.text, "ADDED pod-a 101 0 OK -\n"
                               "ADDED pod-b 102 0 OK -\n"
                               "MODIFIED pod-a 103 0 OK -\n"
                               "BOOKMARK - 104 0 OK -\n"
                               "DELETED pod-b 105 0 OK -\n"
                               "BOOKMARK - 106 1 OK -\n"
                               "ERROR -  0 EGONE Expired\n");
    free(data);
}
END_TEST

/* Every split point and byte-by-byte feeding give exactly the same events. */
START_TEST(every_split_point)
{
    const char *fixtures[] = { "watch/all_events.txt", "watch/streaming_list.txt" };
    for (size_t f = 0; f < 2; f++) {
        size_t len;
        char *data = dec_fixture(fixtures[f], &len);
        evlog_t whole, part;
        ck_assert_int_eq(run_stream(data, len, 0, 0, NULL, &whole), KUBE_OK);
        ck_assert_int_ge(whole.events, 6);
        for (size_t k = 1; k < len; k++) {
            ck_assert_int_eq(run_stream(data, len, k, 0, NULL, &part), KUBE_OK);
            ck_assert_msg(strcmp(whole.text, part.text) == 0, "%s split at %zu differs", fixtures[f], k);
        }
        ck_assert_int_eq(run_stream(data, len, 0, 1, NULL, &part), KUBE_OK);
        ck_assert_str_eq(whole.text, part.text);
        ck_assert_int_eq(run_stream(data, len, 0, 7, NULL, &part), KUBE_OK);
        ck_assert_str_eq(whole.text, part.text);
        free(data);
    }
}
END_TEST

/* Fail the Nth allocation for every N until the run succeeds: ENOMEM, no leak, then success. */
START_TEST(out_of_memory_every_allocation)
{
    const char *fixtures[] = { "watch/all_events.txt", "watch/streaming_list.txt" };
    for (size_t f = 0; f < 2; f++) {
        size_t len;
        char *data = dec_fixture(fixtures[f], &len);
        failmalloc_t fm;
        kube_mem_t mem = failmalloc_mem(&fm);
        evlog_t ref, log;
        long n;
        ck_assert_int_eq(run_stream(data, len, 0, 0, NULL, &ref), KUBE_OK);
        for (n = 0;; n++) {
            failmalloc_reset(&fm, n);
            kube_error_t rc = run_stream(data, len, 0, 64, &mem, &log);
            ck_assert_int_eq(fm.live, 0);
            if (rc == KUBE_OK) {
                ck_assert_int_eq(fm.failed, 0);
                ck_assert_str_eq(log.text, ref.text);
                break;
            }
            ck_assert_int_eq(rc, KUBE_ENOMEM);
            ck_assert_int_eq(fm.failed, 1);
        }
        ck_assert_int_gt(n, 5);
        free(data);
    }
}
END_TEST

static kube_error_t decode_text(const char *text, evlog_t *log)
{
    return run_stream(text, strlen(text), 0, 0, NULL, log);
}

START_TEST(malformed_events)
{
    evlog_t log;
    static const struct {
        const char *text;
        const char *msg_part;
    } bad[] = {
        { "{\"type\":\"SYNC\",\"object\":{}}\n", "unknown event type \"SYNC\"" },
        { "{\"type\":\"ADDED\",\"object\":{\"a\":}}\n", "not valid JSON" },
        { "{\"type\":\"ADDED\"}\n", "no object" },
        { "{\"object\":{}}\n", "no type" },
        { "{}\n", "no type" },
        { "[1,2]\n", "not a JSON object" },
        { "{\"type\":\"ADDED\",\"object\":[1]}\n", "not a JSON object" },
        { "{\"type\":\"ADDED\",\"object\":{}} x\n", "bytes after" },
        { "{\"type\":\"ADDED\",\"object\":{}\n", "expected ',' or '}'" },
        { "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Pod\"}}\n", "not a Status" },
        { "{\"type\":ADDED,\"object\":{}}\n", "unknown event type" },
        { "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\"}}", "expected ',' or '}'" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(decode_text(bad[i].text, &log) == KUBE_EPROTO, "case %zu", i);
        ck_assert_msg(strstr(kube_error_last()->message, bad[i].msg_part) != NULL, "case %zu: %s", i,
                      kube_error_last()->message);
    }
    /* events before the bad line are delivered */
    ck_assert_int_eq(decode_text("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"resourceVersion\":\"1\"}}}\n"
                                 "{\"type\":\"NOPE\",\"object\":{}}\n", &log), KUBE_EPROTO);
    ck_assert_str_eq(log.text, "ADDED - 1 0 OK -\n");
    /* other members are ignored; member order does not matter */
    ck_assert_int_eq(decode_text("{\"object\":{\"metadata\":{\"resourceVersion\":\"9\"}}, \"extra\": [true, {\"x\": \"}\"}],"
                                 " \"type\" : \"MODIFIED\" }", &log), KUBE_OK);
    ck_assert_str_eq(log.text, "MODIFIED - 9 0 OK -\n");
    /* only blank lines: no events, clean end */
    ck_assert_int_eq(decode_text("\n\r\n  \n", &log), KUBE_OK);
    ck_assert_int_eq(log.events, 0);
}
END_TEST

START_TEST(errors_are_sticky_until_reset)
{
    kube_watch_decoder_t *dec;
    kube_watch_event_t ev;
    const char good[] = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"resourceVersion\":\"5\"}}}\n";
    ck_assert_int_eq(kube_watch_decoder_new(&dec, 0, NULL), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_feed(dec, "{\"type\":1}\n", 11), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_EPROTO);
    ck_assert_int_eq(kube_watch_decoder_feed(dec, good, strlen(good)), KUBE_EPROTO);
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_EPROTO);
    kube_watch_decoder_reset(dec);
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_EAGAIN);
    ck_assert_int_eq(kube_watch_decoder_feed(dec, good, strlen(good)), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_OK);
    ck_assert_int_eq(ev.type, KUBE_WATCH_ADDED);
    ck_assert_str_eq(ev.resource_version, "5");
    /* the object outlives the decoder and the event once referenced */
    kube_json_doc_t *keep = kube_json_doc_ref(ev.object);
    kube_watch_event_dispose(&ev);
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_EAGAIN);
    ck_assert_int_eq(kube_watch_decoder_finish(dec), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_feed(dec, good, strlen(good)), KUBE_EINVAL);
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_OK);
    ck_assert_int_eq(ev.type, KUBE_WATCH_END);
    kube_watch_decoder_free(dec);
    ck_assert_str_eq(kube_json_string(kube_json_pointer(kube_json_doc_root(keep), "/metadata/resourceVersion")), "5");
    kube_json_doc_free(keep);
    kube_watch_event_dispose(&ev);
    kube_watch_event_dispose(NULL);
    kube_watch_decoder_free(NULL);
    kube_watch_decoder_reset(NULL);
}
END_TEST

START_TEST(size_limit)
{
    kube_watch_decoder_t *dec;
    kube_watch_event_t ev;
    char big[300];
    const char small[] = "{\"type\":\"ADDED\",\"object\":{}}\n";
    memset(big, ' ', sizeof big);
    /* an unterminated event beyond the limit is refused at feed time, without buffering it */
    ck_assert_int_eq(kube_watch_decoder_new(&dec, 100, NULL), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_feed(dec, small, strlen(small)), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_feed(dec, big, 60), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_feed(dec, big, 60), KUBE_ERANGE);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "size limit"));
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_ERANGE);
    /* a complete line beyond the limit in one chunk is refused at next() */
    kube_watch_decoder_reset(dec);
    big[250] = '\n';
    ck_assert_int_eq(kube_watch_decoder_feed(dec, big, 251), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_ERANGE);
    /* exactly at the limit is fine */
    kube_watch_decoder_reset(dec);
    char line[101];
    memset(line, ' ', sizeof line);
    memcpy(line, small, strlen(small) - 1);
    line[100] = '\n';
    ck_assert_int_eq(kube_watch_decoder_feed(dec, line, 101), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_OK);
    ck_assert_int_eq(ev.type, KUBE_WATCH_ADDED);
    kube_watch_event_dispose(&ev);
    kube_watch_decoder_free(dec);
}
END_TEST

START_TEST(error_event_status)
{
    kube_watch_decoder_t *dec;
    kube_watch_event_t ev;
    const char line[] = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                        "\"status\":\"Failure\",\"message\":\"Timeout: Too large resource version: 9, current: 2\","
                        "\"reason\":\"Timeout\",\"code\":504}}\n";
    ck_assert_int_eq(kube_watch_decoder_new(&dec, 0, NULL), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_feed(dec, line, strlen(line)), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_OK);
    ck_assert_int_eq(ev.type, KUBE_WATCH_ERROR);
    ck_assert_int_eq(ev.error, KUBE_ETIMEDOUT);
    ck_assert_int_eq(ev.status->code, 504);
    ck_assert_int_eq(kube_status_error(ev.status, 0), KUBE_ETIMEDOUT);
    ck_assert_int_eq(kube_error_last()->http_status, 504);
    ck_assert_str_eq(kube_error_last()->message, "Timeout: Too large resource version: 9, current: 2");
    kube_watch_event_dispose(&ev);
    ck_assert_ptr_null(ev.status);
    kube_watch_decoder_free(dec);
    ck_assert_str_eq(kube_watch_event_type_name((kube_watch_event_type_t)42), "UNKNOWN");
    ck_assert_int_eq(kube_watch_decoder_new(NULL, 0, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_watch_decoder_next(NULL, &ev), KUBE_EINVAL);
    ck_assert_int_eq(kube_watch_decoder_feed(NULL, "x", 1), KUBE_EINVAL);
}
END_TEST

Suite *kube_test_watch_suite(void)
{
    Suite *s = suite_create("watch");
    TCase *tc = tcase_create("watch");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, all_event_types);
    tcase_add_test(tc, every_split_point);
    tcase_add_test(tc, out_of_memory_every_allocation);
    tcase_add_test(tc, malformed_events);
    tcase_add_test(tc, errors_are_sticky_until_reset);
    tcase_add_test(tc, size_limit);
    tcase_add_test(tc, error_event_status);
    suite_add_tcase(s, tc);
    return s;
}
