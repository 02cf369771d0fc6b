#include <check.h>
#include <stdio.h>
#include <string.h>
#include <kube/list.h>
#include <kube/buf.h>
#include "dec_fixture.h"
#include "failmalloc.h"

typedef struct itemlog {
    char text[8192];
    size_t len;
    size_t items;
    /* set when the list metadata first became visible: the item count at that time */
    long meta_seen_after;
    int ended;
} itemlog_t;

static void logf_(itemlog_t *log, const char *fmt, const char *a, const char *b)
{
    int n = snprintf(log->text + log->len, sizeof log->text - log->len, fmt, a, b);
    ck_assert(n > 0 && (size_t)n < sizeof log->text - log->len);
    log->len += (size_t)n;
}

static kube_error_t drain(kube_list_decoder_t *dec, itemlog_t *log)
{
    kube_json_doc_t *item;
    kube_error_t rc;
    for (;;) {
        rc = kube_list_decoder_next(dec, &item);
        if (log->meta_seen_after < 0 && kube_list_decoder_resource_version(dec))
            log->meta_seen_after = (long)log->items;
        if (rc != KUBE_OK)
            return rc;
        if (!item)
            break;
        const kube_json_t *meta = kube_json_get(kube_json_doc_root(item), "metadata");
        const char *name = kube_json_string(kube_json_get(meta, "name"));
        const char *rv = kube_json_string(kube_json_get(meta, "resourceVersion"));
        logf_(log, "item %s %s\n", name ? name : "(null)", rv ? rv : "(null)");
        log->items++;
        kube_json_doc_free(item);
    }
    /* the end: the list's own members are final (logged once; trailing bytes may follow) */
    if (log->ended)
        return KUBE_OK;
    log->ended = 1;
    char rem[32];
    snprintf(rem, sizeof rem, "%lld", (long long)kube_list_decoder_remaining_item_count(dec));
    logf_(log, "end %s %s", kube_list_decoder_kind(dec) ? kube_list_decoder_kind(dec) : "-",
          kube_list_decoder_api_version(dec) ? kube_list_decoder_api_version(dec) : "-");
    logf_(log, " rv=%s continue=%s", kube_list_decoder_resource_version(dec) ? kube_list_decoder_resource_version(dec) : "-",
          kube_list_decoder_continue(dec) ? "yes" : "no");
    logf_(log, " remaining=%s%s\n", rem, "");
    ck_assert_uint_eq(kube_list_decoder_item_count(dec), log->items);
    /* after the end, next() keeps answering the end */
    ck_assert_int_eq(kube_list_decoder_next(dec, &item), KUBE_OK);
    ck_assert_ptr_null(item);
    return KUBE_OK;
}

static kube_error_t run_list(const char *data, size_t len, size_t split, size_t step, size_t max_item,
                             const kube_mem_t *mem, itemlog_t *log)
{
    kube_list_decoder_t *dec = NULL;
    kube_error_t rc = KUBE_EAGAIN;
    size_t off = 0;

    memset(log, 0, sizeof *log);
    log->meta_seen_after = -1;
    if ((rc = kube_list_decoder_new(&dec, max_item, mem)) != KUBE_OK)
        return rc;
    rc = KUBE_EAGAIN;
    while (off < len) {
        size_t n = len - off;
        if (split && off < split)
            n = split - off;
        else if (step && n > step)
            n = step;
        rc = kube_list_decoder_feed(dec, data + off, n);
        if (rc == KUBE_OK)
            rc = drain(dec, log);
        if (rc != KUBE_OK && rc != KUBE_EAGAIN)
            goto out;
        off += n;
    }
    if (rc == KUBE_EAGAIN) {
        kube_list_decoder_finish(dec);
        rc = drain(dec, log);
    }
out:
    kube_list_decoder_free(dec);
    return rc;
}

static const char three_expected[] =
    "item pod-a 150\nitem pod-b 151\nitem pod-c 152\n"
    "end PodList v1 rv=200 continue=yes remaining=7\n";

START_TEST(three_items_metadata_first)
{
    size_t len;
    char *data = dec_fixture("list/three_items.json", &len);
    itemlog_t log;
    ck_assert_int_eq(run_list(data, len, 0, 0, 0, NULL, &log), KUBE_OK);
    ck_assert_str_eq(log.text, three_expected);
    /* metadata came first, so it was visible before the first item */
    ck_assert_int_eq(log.meta_seen_after, 0);
    free(data);
}
END_TEST

START_TEST(metadata_last)
{
    size_t len;
    char *data = dec_fixture("list/metadata_last.json", &len);
    itemlog_t log;
    ck_assert_int_eq(run_list(data, len, 0, 0, 0, NULL, &log), KUBE_OK);
    ck_assert_str_eq(log.text, "item pod-a 150\nitem pod-b 151\nitem pod-c 152\n"
                               "end PodList v1 rv=201 continue=no remaining=-1\n");
    ck_assert_int_eq(log.meta_seen_after, 3);
    free(data);
}
END_TEST

START_TEST(every_split_point)
{
    const char *fixtures[] = { "list/three_items.json", "list/metadata_last.json", "list/pretty.json",
                               "list/empty.json", "list/status_gone.json" };
    const kube_error_t want[] = { KUBE_OK, KUBE_OK, KUBE_OK, KUBE_OK, KUBE_EGONE };
    for (size_t f = 0; f < sizeof fixtures / sizeof fixtures[0]; f++) {
        size_t len;
        char *data = dec_fixture(fixtures[f], &len);
        itemlog_t whole, part;
        ck_assert_int_eq(run_list(data, len, 0, 0, 0, NULL, &whole), want[f]);
        for (size_t k = 1; k < len; k++) {
            ck_assert_int_eq(run_list(data, len, k, 0, 0, NULL, &part), want[f]);
            ck_assert_msg(strcmp(whole.text, part.text) == 0, "%s split at %zu differs:\n%s", fixtures[f], k,
                          part.text);
        }
        ck_assert_int_eq(run_list(data, len, 0, 1, 0, NULL, &part), want[f]);
        ck_assert_str_eq(whole.text, part.text);
        free(data);
    }
}
END_TEST

START_TEST(pretty_and_empty)
{
    size_t len;
    char *data = dec_fixture("list/pretty.json", &len);
    itemlog_t log;
    ck_assert_int_eq(run_list(data, len, 0, 0, 0, NULL, &log), KUBE_OK);
    ck_assert_str_eq(log.text, three_expected);
    free(data);
    data = dec_fixture("list/empty.json", &len);
    ck_assert_int_eq(run_list(data, len, 0, 0, 0, NULL, &log), KUBE_OK);
    ck_assert_str_eq(log.text, "end ConfigMapList v1 rv=300 continue=no remaining=-1\n");
    free(data);
    /* "items": null is an empty list too */
    const char *nul = "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":null}";
    ck_assert_int_eq(run_list(nul, strlen(nul), 0, 0, 0, NULL, &log), KUBE_OK);
    ck_assert_str_eq(log.text, "end PodList - rv=1 continue=no remaining=-1\n");
}
END_TEST

START_TEST(status_instead_of_list)
{
    size_t len;
    char *data = dec_fixture("list/status_gone.json", &len);
    kube_list_decoder_t *dec;
    kube_json_doc_t *item;
    ck_assert_int_eq(kube_list_decoder_new(&dec, 0, NULL), KUBE_OK);
    for (size_t i = 0; i < len; i++) {
        ck_assert_int_eq(kube_list_decoder_feed(dec, data + i, 1), KUBE_OK);
        kube_error_t rc = kube_list_decoder_next(dec, &item);
        if (i + 1 < len)
            ck_assert_int_eq(rc, KUBE_EAGAIN);
        else
            ck_assert_int_eq(rc, KUBE_EGONE);
    }
    ck_assert_int_eq(kube_error_last()->code, KUBE_EGONE);
    ck_assert_int_eq(kube_error_last()->http_status, 410);
    ck_assert_str_eq(kube_error_last()->reason, "Expired");
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "continue parameter is too old"));
    const kube_status_t *st = kube_list_decoder_status(dec);
    ck_assert_ptr_nonnull(st);
    ck_assert(kube_status_is_gone(st));
    ck_assert_str_eq(st->continue_token,
                     "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoiZGVmYXVsdC9wb2QtYlx1MDAwMCJ9");
    /* sticky */
    ck_assert_int_eq(kube_list_decoder_next(dec, &item), KUBE_EGONE);
    ck_assert_int_eq(kube_list_decoder_feed(dec, " ", 1), KUBE_EGONE);
    /* reset makes it usable again */
    kube_list_decoder_reset(dec);
    ck_assert_ptr_null(kube_list_decoder_status(dec));
    ck_assert_int_eq(kube_list_decoder_feed(dec, "{\"items\":[{}]}", 14), KUBE_OK);
    ck_assert_int_eq(kube_list_decoder_next(dec, &item), KUBE_OK);
    ck_assert_ptr_nonnull(item);
    kube_json_doc_free(item);
    ck_assert_int_eq(kube_list_decoder_next(dec, &item), KUBE_OK);
    ck_assert_ptr_null(item);
    kube_list_decoder_free(dec);
    free(data);
}
END_TEST

START_TEST(malformed_lists)
{
    itemlog_t log;
    static const struct {
        const char *text;
        kube_error_t code;
        const char *msg_part;
    } bad[] = {
        { "", KUBE_EPROTO, "empty" },
        { "   ", KUBE_EPROTO, "empty" },
        { "[]", KUBE_EPROTO, "expected '{'" },
        { "{\"kind\":\"PodList\"}", KUBE_EPROTO, "no items" },
        { "{\"items\":[1]}", KUBE_EPROTO, "a list item" },
        { "{\"items\":[{\"a\":tru}]}", KUBE_EPROTO, "not valid JSON" },
        { "{\"items\":[{}] x", KUBE_EPROTO, "after a list member" },
        { "{\"items\":[{},]}", KUBE_EPROTO, "a list item" },
        { "{\"items\":[{}}", KUBE_EPROTO, "',' or ']'" },
        { "{\"items\":[{}]}x", KUBE_EPROTO, "the end of the body" },
        { "{\"items\":[{}]", KUBE_EPROTO, "ended before" },
        { "{\"items\":[{\"a\":\"b", KUBE_EPROTO, "ended before" },
        { "{\"items\" [{}]}", KUBE_EPROTO, "':'" },
        { "{items:[]}", KUBE_EPROTO, "member name" },
        { "{\"metadata\":{\"x\":1,},\"items\":[]}", KUBE_EPROTO, "not valid JSON" },
        { "{\"items\":5}", KUBE_EPROTO, "no items" },
        { "{\"kind\":\"Status\",\"status\":\"Success\",\"code\":200}", KUBE_EPROTO, "instead of a List" },
        { "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"message\":\"no\",\"code\":403}",
          KUBE_EFORBIDDEN, "no" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kube_error_t rc = run_list(bad[i].text, strlen(bad[i].text), 0, 0, 0, NULL, &log);
        ck_assert_msg(rc == bad[i].code, "case %zu: got %s", i, kube_error_name(rc));
        ck_assert_msg(strstr(kube_error_last()->message, bad[i].msg_part) != NULL, "case %zu: %s", i,
                      kube_error_last()->message);
    }
    /* items before the failure are delivered */
    const char *t = "{\"items\":[{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"1\"}},7]}";
    ck_assert_int_eq(run_list(t, strlen(t), 0, 0, 0, NULL, &log), KUBE_EPROTO);
    ck_assert_str_eq(log.text, "item a 1\n");
    /* unknown members, strings with brackets and escapes, nested arrays */
    t = "{\"x\":\"}]\\\"\",\"y\":[[],{}],\"z\":-1.5e3,\"w\":true,\"items\":[{\"s\":\"\\\\\",\"a\":[{\"b\":\"]\"}]}],"
        "\"metadata\":{\"resourceVersion\":\"3\",\"remainingItemCount\":0}}";
    ck_assert_int_eq(run_list(t, strlen(t), 0, 0, 0, NULL, &log), KUBE_OK);
    ck_assert_str_eq(log.text, "item (null) (null)\nend - - rv=3 continue=no remaining=0\n");
}
END_TEST

START_TEST(size_limit)
{
    itemlog_t log;
    const char *t = "{\"items\":[{\"a\":\"0123456789\"},{\"a\":\"0123456789012345678901234567890123456789\"}]}";
    ck_assert_int_eq(run_list(t, strlen(t), 0, 0, 30, NULL, &log), KUBE_ERANGE);
    ck_assert_uint_eq(log.items, 1);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "item 1 exceeds the size limit of 30"));
    ck_assert_int_eq(run_list(t, strlen(t), 0, 3, 30, NULL, &log), KUBE_ERANGE);
    t = "{\"metadata\":{\"annotations\":{\"a\":\"0123456789012345678901234567890123456789\"}},\"items\":[]}";
    ck_assert_int_eq(run_list(t, strlen(t), 0, 0, 30, NULL, &log), KUBE_ERANGE);
    ck_assert_int_eq(run_list(t, strlen(t), 0, 0, 100, NULL, &log), KUBE_OK);
}
END_TEST

START_TEST(out_of_memory_every_allocation)
{
    const char *fixtures[] = { "list/three_items.json", "list/metadata_last.json", "list/status_gone.json",
                               "list/pretty.json" };
    for (size_t f = 0; f < sizeof fixtures / sizeof fixtures[0]; f++) {
        size_t len;
        char *data = dec_fixture(fixtures[f], &len);
        failmalloc_t fm;
        kube_mem_t mem = failmalloc_mem(&fm);
        itemlog_t ref, log;
        kube_error_t want = run_list(data, len, 0, 0, 0, NULL, &ref);
        long n;
        for (n = 0;; n++) {
            failmalloc_reset(&fm, n);
            kube_error_t rc = run_list(data, len, 0, 100, 0, &mem, &log);
            ck_assert_int_eq(fm.live, 0);
            if (fm.failed == 0) {
                ck_assert_int_eq(rc, want);
                ck_assert_str_eq(log.text, ref.text);
                break;
            }
            ck_assert_msg(rc == KUBE_ENOMEM, "%s: N=%ld gave %s", fixtures[f], n, kube_error_name(rc));
        }
        ck_assert_int_gt(n, 3);
        free(data);
    }
}
END_TEST

/* 2,000 generated items fed in 4 KiB chunks: all arrive, and memory stays near one item. */
START_TEST(big_list_bounded_memory)
{
    kube_buf_t b;
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    kube_list_decoder_t *dec;
    kube_json_doc_t *item;
    size_t count = 0, off = 0, max_doc = 0;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_buf_puts(&b, "{\"kind\":\"ConfigMapList\",\"apiVersion\":\"v1\",\"metadata\":"
                                       "{\"resourceVersion\":\"777\"},\"items\":["), KUBE_OK);
    for (int i = 0; i < 2000; i++)
        ck_assert_int_eq(kube_buf_printf(&b, "%s{\"metadata\":{\"name\":\"cm-%05d\",\"namespace\":\"ns-%d\","
                                             "\"resourceVersion\":\"%d\"},\"data\":{\"key\":\"value %d with \\\"quotes\\\" "
                                             "and [brackets] {braces}\",\"n\":\"%d\"}}",
                                         i ? "," : "", i, i % 7, 1000 + i, i, i * 31), KUBE_OK);
    ck_assert_int_eq(kube_buf_puts(&b, "]}"), KUBE_OK);

    failmalloc_reset(&fm, -1);
    ck_assert_int_eq(kube_list_decoder_new(&dec, 0, &mem), KUBE_OK);
    while (off < b.size) {
        size_t n = b.size - off < 4096 ? b.size - off : 4096;
        ck_assert_int_eq(kube_list_decoder_feed(dec, b.ptr + off, n), KUBE_OK);
        off += n;
        kube_error_t rc;
        while ((rc = kube_list_decoder_next(dec, &item)) == KUBE_OK && item) {
            char want[32];
            snprintf(want, sizeof want, "cm-%05zu", count);
            ck_assert_str_eq(kube_json_string(kube_json_pointer(kube_json_doc_root(item), "/metadata/name")), want);
            if (kube_json_doc_heap_size(item) > max_doc)
                max_doc = kube_json_doc_heap_size(item);
            kube_json_doc_free(item);
            count++;
        }
        ck_assert(rc == KUBE_EAGAIN || (rc == KUBE_OK && off == b.size));
    }
    ck_assert_uint_eq(count, 2000);
    ck_assert_str_eq(kube_list_decoder_resource_version(dec), "777");
    /* the whole list is ~370 KB; the decoder never held more than a few chunks plus one item */
    ck_assert_uint_gt(b.size, 300000);
    ck_assert_msg(fm.peak_bytes < 4 * 4096 + 4 * max_doc + 8192, "peak %zu bytes", fm.peak_bytes);
    kube_list_decoder_free(dec);
    ck_assert_int_eq(fm.live, 0);
    kube_buf_dispose(&b);
}
END_TEST

START_TEST(argument_checks)
{
    kube_list_decoder_t *dec;
    kube_json_doc_t *item;
    ck_assert_int_eq(kube_list_decoder_new(NULL, 0, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_list_decoder_feed(NULL, "x", 1), KUBE_EINVAL);
    ck_assert_int_eq(kube_list_decoder_next(NULL, &item), KUBE_EINVAL);
    ck_assert_int_eq(kube_list_decoder_finish(NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_list_decoder_new(&dec, 0, NULL), KUBE_OK);
    ck_assert_int_eq(kube_list_decoder_feed(dec, NULL, 1), KUBE_EINVAL);
    ck_assert_int_eq(kube_list_decoder_feed(dec, NULL, 0), KUBE_OK);
    ck_assert_int_eq(kube_list_decoder_next(dec, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_list_decoder_next(dec, &item), KUBE_EAGAIN);
    ck_assert_ptr_null(kube_list_decoder_kind(dec));
    ck_assert_ptr_null(kube_list_decoder_metadata(dec));
    ck_assert_int_eq(kube_list_decoder_remaining_item_count(dec), -1);
    ck_assert_int_eq(kube_list_decoder_finish(dec), KUBE_OK);
    ck_assert_int_eq(kube_list_decoder_feed(dec, "{", 1), KUBE_EINVAL);
    kube_list_decoder_free(dec);
    kube_list_decoder_free(NULL);
    kube_list_decoder_reset(NULL);
    ck_assert_uint_eq(kube_list_decoder_item_count(NULL), 0);
    ck_assert_ptr_null(kube_list_decoder_status(NULL));
    ck_assert_ptr_null(kube_list_decoder_continue(NULL));
}
END_TEST

Suite *kube_test_list_suite(void)
{
    Suite *s = suite_create("list");
    TCase *tc = tcase_create("list");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, three_items_metadata_first);
    tcase_add_test(tc, metadata_last);
    tcase_add_test(tc, every_split_point);
    tcase_add_test(tc, pretty_and_empty);
    tcase_add_test(tc, status_instead_of_list);
    tcase_add_test(tc, malformed_lists);
    tcase_add_test(tc, size_limit);
    tcase_add_test(tc, out_of_memory_every_allocation);
    tcase_add_test(tc, big_list_bounded_memory);
    tcase_add_test(tc, argument_checks);
    suite_add_tcase(s, tc);
    return s;
}
