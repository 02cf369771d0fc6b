/* Lists of 2,000 generated pods through kcore's list decoder (items handed out one by one
 * while the body arrives in random pieces), paged and unpaged, with selectors, and an
 * expired continue token; everything compared with GET /_emulator/state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kube/list.h>
#include <kube/object.h>
#include <kube/params.h>
#include <kube/request.h>
#include <kube/selector.h>

#include "itest.h"
#include "watch_driver.h"

#define NPODS 2000

typedef struct entry {
    char key[160];
    char rv[32];
} entry_t;

typedef struct collected {
    entry_t *e;
    size_t n, cap;
    kube_json_doc_t *first; /* the first item, kept past the decoder's life */
} collected_t;

static void add(collected_t *c, const kube_json_t *obj)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->e = realloc(c->e, c->cap * sizeof *c->e);
        ck_assert_ptr_nonnull(c->e);
    }
    itest_key(obj, c->e[c->n].key, sizeof c->e[c->n].key);
    const char *rv = kube_object_resource_version(obj);
    ck_assert_ptr_nonnull(rv);
    snprintf(c->e[c->n].rv, sizeof c->e[c->n].rv, "%s", rv);
    c->n++;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry_t *)a)->key, ((const entry_t *)b)->key);
}

static void collected_free(collected_t *c)
{
    free(c->e);
    kube_json_doc_free(c->first);
    memset(c, 0, sizeof *c);
}

typedef struct feed_ctx {
    kube_list_decoder_t *dec;
    collected_t *out;
    size_t max_buffered_items; /* most items seen complete in one drain */
    size_t pieces;
    kube_error_t err;
} feed_ctx_t;

static kube_error_t drain(feed_ctx_t *f)
{
    kube_json_doc_t *item;
    kube_error_t rc;
    size_t got = 0;
    while ((rc = kube_list_decoder_next(f->dec, &item)) == KUBE_OK && item) {
        const kube_json_t *obj = kube_json_doc_root(item);
        /* list items carry no kind, except in metadata-only lists */
        const char *kind = kube_object_kind(obj);
        ck_assert_msg(!kind || strcmp(kind, "PartialObjectMetadata") == 0, "item kind %s", kind);
        ck_assert_ptr_nonnull(kube_object_name(obj));
        add(f->out, obj);
        if (!f->out->first)
            f->out->first = item;
        else
            kube_json_doc_free(item);
        got++;
    }
    if (got > f->max_buffered_items)
        f->max_buffered_items = got;
    return rc;
}

static int feed_cb(const char *data, size_t len, void *ud)
{
    feed_ctx_t *f = ud;
    f->pieces++;
    kube_error_t rc = kube_list_decoder_feed(f->dec, data, len);
    if (rc != KUBE_OK) {
        f->err = rc;
        return 1;
    }
    rc = drain(f);
    if (rc != KUBE_OK && rc != KUBE_EAGAIN) {
        f->err = rc;
        return 1;
    }
    return 0;
}

/* One LIST request streamed through the decoder. Returns the HTTP status; the decoder's
 * final code in *final (KUBE_OK at a complete list). */
static int list_stream(kube_list_decoder_t *dec, const kube_http_request_t *req, collected_t *out,
                       kube_error_t *final, size_t *pieces)
{
    kube_list_decoder_reset(dec);
    http_conn_t *c = http_open(itest_port, req, NULL);
    ck_assert_msg(c != NULL, "%s %s: %s", req->method, req->path, http_min_error());
    int status = http_conn_status(c);
    feed_ctx_t f = {dec, out, 0, 0, KUBE_OK};
    int r;
    do {
        r = http_conn_read(c, feed_cb, &f, 30000);
    } while (r == HTTP_READ_DATA);
    http_conn_close(c);
    ck_assert_msg(r == HTTP_READ_EOF || (r == HTTP_READ_STOPPED && f.err != KUBE_OK), "reading %s: %d %s (decoder %s: %s)", req->path, r, http_min_error(),
                  kube_error_name(f.err), kube_error_last()->message);
    kube_error_t rc = f.err;
    if (rc == KUBE_OK) {
        ck_assert_int_eq(kube_list_decoder_finish(dec), KUBE_OK);
        rc = drain(&f);
    }
    *final = rc;
    if (pieces)
        *pieces = f.pieces;
    /* with random pieces, items come out while the body still arrives */
    if (*final == KUBE_OK && out->n > 50)
        ck_assert_msg(f.max_buffered_items < out->n, "all %zu items came out at once", out->n);
    return status;
}

/* The pods of /_emulator/state, sorted by key. */
static void state_pods(collected_t *out, kube_json_doc_t **state_out)
{
    kube_json_doc_t *st = itest_state();
    kube_json_iter_t it;
    kube_json_iter_init(&it, kube_json_get(kube_json_doc_root(st), "objects"));
    const kube_json_t *o;
    while ((o = kube_json_iter_next(&it, NULL, NULL)) != NULL)
        if (kube_json_string_eq(kube_json_get(o, "kind"), "Pod"))
            add(out, o);
    qsort(out->e, out->n, sizeof *out->e, cmp_entry);
    if (state_out)
        *state_out = st;
    else
        kube_json_doc_free(st);
}

static void assert_same(collected_t *got, collected_t *want)
{
    ck_assert_uint_eq(got->n, want->n);
    qsort(got->e, got->n, sizeof *got->e, cmp_entry);
    for (size_t i = 0; i < got->n; i++) {
        ck_assert_str_eq(got->e[i].key, want->e[i].key);
        ck_assert_str_eq(got->e[i].rv, want->e[i].rv);
    }
}

START_TEST(paged_list_matches_state)
{
    collected_t want = {0}, got = {0};
    state_pods(&want, NULL);
    ck_assert_uint_eq(want.n, NPODS);

    kube_list_decoder_t *dec;
    ck_assert_int_eq(kube_list_decoder_new(&dec, 0, NULL), KUBE_OK);
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    lp.limit = 500;
    char cont[1024] = "", list_rv[32] = "";
    int pages = 0;
    size_t pieces_total = 0;
    do {
        lp.continue_token = cont[0] ? cont : NULL;
        ck_assert_int_eq(kube_request_list(&req, itest_res("pods"), NULL, &lp), KUBE_OK);
        ck_assert_ptr_nonnull(strstr(req.path, "/api/v1/pods?limit=500"));
        size_t before = got.n, pieces = 0;
        kube_error_t final;
        int status = list_stream(dec, &req, &got, &final, &pieces);
        pieces_total += pieces;
        ck_assert_int_eq(status, 200);
        ck_assert_msg(final == KUBE_OK, "page %d: %s %s", pages, kube_error_name(final), kube_error_last()->message);
        pages++;
        ck_assert_uint_eq(got.n - before, 500);
        ck_assert_uint_eq(kube_list_decoder_item_count(dec), 500);
        ck_assert_str_eq(kube_list_decoder_kind(dec), "PodList");
        ck_assert_str_eq(kube_list_decoder_api_version(dec), "v1");
        /* one snapshot: every page carries the first page's resourceVersion */
        const char *rv = kube_list_decoder_resource_version(dec);
        ck_assert_ptr_nonnull(rv);
        if (pages == 1)
            snprintf(list_rv, sizeof list_rv, "%s", rv);
        else
            ck_assert_str_eq(rv, list_rv);
        int64_t remaining = kube_list_decoder_remaining_item_count(dec);
        const char *next = kube_list_decoder_continue(dec);
        if (pages < NPODS / 500) {
            ck_assert_ptr_nonnull(next);
            ck_assert_int_eq(remaining, NPODS - pages * 500);
            snprintf(cont, sizeof cont, "%s", next);
        } else {
            ck_assert_ptr_null(next);
            ck_assert_int_eq(remaining, -1);
            cont[0] = '\0';
        }
    } while (cont[0]);
    ck_assert_int_eq(pages, 4);
    ck_assert_uint_gt(pieces_total, 8);

    /* items come in key order across pages */
    for (size_t i = 1; i < got.n; i++)
        ck_assert_msg(strcmp(got.e[i - 1].key, got.e[i].key) < 0, "%s before %s", got.e[i - 1].key, got.e[i].key);
    /* an item document outlives its decoder */
    kube_list_decoder_free(dec);
    ck_assert_str_eq(kube_json_string(kube_json_pointer(kube_json_doc_root(got.first), "/status/phase")), "Running");
    kube_owner_ref_t owner;
    ck_assert_int_eq(kube_object_controller(&owner, kube_json_doc_root(got.first)), KUBE_OK);
    ck_assert_str_eq(owner.kind, "ReplicaSet");
    assert_same(&got, &want);
    collected_free(&got);
    collected_free(&want);
    kube_http_request_dispose(&req);
}
END_TEST

START_TEST(unpaged_list_matches_state)
{
    collected_t want = {0}, got = {0};
    state_pods(&want, NULL);
    kube_list_decoder_t *dec;
    ck_assert_int_eq(kube_list_decoder_new(&dec, 0, NULL), KUBE_OK);
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    ck_assert_int_eq(kube_request_list(&req, itest_res("pods"), NULL, NULL), KUBE_OK);
    ck_assert_str_eq(req.path, "/api/v1/pods");
    kube_error_t final;
    int64_t t0 = http_min_now_ms();
    ck_assert_int_eq(list_stream(dec, &req, &got, &final, NULL), 200);
    ck_assert_msg(final == KUBE_OK, "%s %s", kube_error_name(final), kube_error_last()->message);
    printf("unpaged list of %zu pods decoded in %lld ms\n", got.n, (long long)(http_min_now_ms() - t0));
    ck_assert_ptr_null(kube_list_decoder_continue(dec));
    ck_assert_int_eq(kube_list_decoder_remaining_item_count(dec), -1);
    ck_assert_uint_eq(kube_list_decoder_item_count(dec), NPODS);
    assert_same(&got, &want);

    /* one namespace, metadata only: same names and versions as the state's */
    const char *ns = "team-a";
    kube_list_decoder_t *mdec;
    ck_assert_int_eq(kube_list_decoder_new(&mdec, 0, NULL), KUBE_OK);
    collected_t meta = {0}, want_ns = {0};
    for (size_t i = 0; i < want.n; i++)
        if (strncmp(want.e[i].key, "team-a/", 7) == 0) {
            if (want_ns.n == want_ns.cap) {
                want_ns.cap = want_ns.cap ? want_ns.cap * 2 : 64;
                want_ns.e = realloc(want_ns.e, want_ns.cap * sizeof *want_ns.e);
            }
            want_ns.e[want_ns.n++] = want.e[i];
        }
    ck_assert_uint_gt(want_ns.n, 0);
    ck_assert_int_eq(kube_request_list_metadata(&req, itest_res("pods"), ns, NULL), KUBE_OK);
    ck_assert_int_eq(list_stream(mdec, &req, &meta, &final, NULL), 200);
    ck_assert_int_eq(final, KUBE_OK);
    ck_assert_str_eq(kube_list_decoder_kind(mdec), "PartialObjectMetadataList");
    ck_assert_ptr_null(kube_json_get(kube_json_doc_root(meta.first), "spec"));
    assert_same(&meta, &want_ns);

    kube_list_decoder_free(dec);
    kube_list_decoder_free(mdec);
    collected_free(&got);
    collected_free(&want);
    collected_free(&meta);
    free(want_ns.e);
    kube_http_request_dispose(&req);
}
END_TEST

/* Server-side selection equals kcore's own matching of the state's objects. */
static void check_selectors(const char *label_sel, const char *field_sel, const kube_json_t *objects, size_t min_hits)
{
    kube_label_selector_t *ls = NULL;
    kube_field_selector_t *fs = NULL;
    if (label_sel)
        ck_assert_msg(kube_label_selector_parse(&ls, label_sel, NULL) == KUBE_OK, "%s: %s", label_sel,
                      kube_error_last()->message);
    if (field_sel)
        ck_assert_msg(kube_field_selector_parse(&fs, field_sel, NULL) == KUBE_OK, "%s: %s", field_sel,
                      kube_error_last()->message);
    collected_t want = {0}, got = {0};
    kube_json_iter_t it;
    kube_json_iter_init(&it, objects);
    const kube_json_t *o;
    while ((o = kube_json_iter_next(&it, NULL, NULL)) != NULL) {
        if (!kube_json_string_eq(kube_json_get(o, "kind"), "Pod"))
            continue;
        if (ls && !kube_label_selector_matches_object(ls, o))
            continue;
        if (fs && !kube_field_selector_matches(fs, o))
            continue;
        add(&want, o);
    }
    qsort(want.e, want.n, sizeof *want.e, cmp_entry);

    kube_list_decoder_t *dec;
    ck_assert_int_eq(kube_list_decoder_new(&dec, 0, NULL), KUBE_OK);
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    lp.label_selector = label_sel;
    lp.field_selector = field_sel;
    lp.limit = 300;
    char cont[1024] = "";
    do {
        lp.continue_token = cont[0] ? cont : NULL;
        ck_assert_int_eq(kube_request_list(&req, itest_res("pods"), NULL, &lp), KUBE_OK);
        kube_error_t final;
        ck_assert_int_eq(list_stream(dec, &req, &got, &final, NULL), 200);
        ck_assert_int_eq(final, KUBE_OK);
        /* a selector hides the remaining count */
        ck_assert_int_eq(kube_list_decoder_remaining_item_count(dec), -1);
        const char *next = kube_list_decoder_continue(dec);
        snprintf(cont, sizeof cont, "%s", next ? next : "");
    } while (cont[0]);
    printf("selector [%s] [%s]: %zu pods (kcore: %zu)\n", label_sel ? label_sel : "", field_sel ? field_sel : "",
           got.n, want.n);
    ck_assert_uint_ge(want.n, min_hits);
    assert_same(&got, &want);
    kube_label_selector_free(ls);
    kube_field_selector_free(fs);
    kube_list_decoder_free(dec);
    collected_free(&got);
    collected_free(&want);
    kube_http_request_dispose(&req);
}

START_TEST(selectors_match_kcore)
{
    kube_json_doc_t *st;
    collected_t pods = {0};
    state_pods(&pods, &st);
    const kube_json_t *objects = kube_json_get(kube_json_doc_root(st), "objects");
    /* pick real values from the first pods */
    const kube_json_t *first = NULL;
    kube_json_iter_t it;
    kube_json_iter_init(&it, objects);
    const kube_json_t *o;
    while ((o = kube_json_iter_next(&it, NULL, NULL)) != NULL)
        if (kube_json_string_eq(kube_json_get(o, "kind"), "Pod")) {
            first = o;
            break;
        }
    ck_assert_ptr_nonnull(first);
    char app[64], node[128], sel[256], fsel[256];
    snprintf(app, sizeof app, "%s", kube_object_label(first, "app"));
    snprintf(node, sizeof node, "%s", kube_json_string(kube_json_pointer(first, "/spec/nodeName")));

    snprintf(sel, sizeof sel, "app=%s", app);
    check_selectors(sel, NULL, objects, 10);
    snprintf(sel, sizeof sel, "app in (%s,payments,search),security.istio.io/tlsMode", app);
    check_selectors(sel, NULL, objects, 1);
    snprintf(sel, sizeof sel, "app notin (%s),!security.istio.io/tlsMode", app);
    check_selectors(sel, NULL, objects, 100);
    check_selectors("app.kubernetes.io/managed-by==Helm,pod-template-hash", NULL, objects, NPODS);
    check_selectors("app.kubernetes.io/managed-by!=Helm", NULL, objects, 0);
    check_selectors(NULL, "metadata.namespace=team-b", objects, 10);
    snprintf(fsel, sizeof fsel, "spec.nodeName=%s", node);
    check_selectors(NULL, fsel, objects, 1);
    check_selectors(NULL, "status.phase=Running,metadata.namespace!=team-a", objects, 100);
    snprintf(sel, sizeof sel, "app!=%s", app);
    check_selectors(sel, "metadata.namespace=platform", objects, 10);
    kube_json_doc_free(st);
    collected_free(&pods);
}
END_TEST

START_TEST(expired_continue_token_is_gone)
{
    kube_list_decoder_t *dec;
    ck_assert_int_eq(kube_list_decoder_new(&dec, 0, NULL), KUBE_OK);
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    lp.limit = 500;
    collected_t got = {0};
    kube_error_t final;
    ck_assert_int_eq(kube_request_list(&req, itest_res("pods"), NULL, &lp), KUBE_OK);
    ck_assert_int_eq(list_stream(dec, &req, &got, &final, NULL), 200);
    ck_assert_int_eq(final, KUBE_OK);
    char cont[1024];
    snprintf(cont, sizeof cont, "%s", kube_list_decoder_continue(dec));

    /* a write, then compaction: the page-1 snapshot is gone */
    char ns[64];
    itest_make_ns("compact", ns, sizeof ns);
    kube_json_doc_free(itest_control("POST", "/_emulator/compact", "{}", 200));

    lp.continue_token = cont;
    ck_assert_int_eq(kube_request_list(&req, itest_res("pods"), NULL, &lp), KUBE_OK);
    collected_t none = {0};
    ck_assert_int_eq(list_stream(dec, &req, &none, &final, NULL), 410);
    ck_assert_msg(final == KUBE_EGONE, "decoder gave %s", kube_error_name(final));
    ck_assert_uint_eq(none.n, 0);
    const kube_status_t *st = kube_list_decoder_status(dec);
    ck_assert_ptr_nonnull(st);
    ck_assert_str_eq(st->reason, "Expired");
    ck_assert_int_eq(st->code, 410);
    ck_assert(kube_status_is_gone(st));
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "continue"));
    /* the error is sticky */
    kube_json_doc_t *item;
    ck_assert_int_eq(kube_list_decoder_next(dec, &item), KUBE_EGONE);
    kube_list_decoder_free(dec);
    collected_free(&got);
    kube_http_request_dispose(&req);
}
END_TEST

/* The watch state machine's initial state of 2,000 pods, both ways, equals the state. */
static void machine_initial_list(kube_watch_initial_list_t mode)
{
    collected_t want = {0};
    state_pods(&want, NULL);
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT; /* page size 500 */
    cfg.resource = itest_res("pods");
    cfg.initial_list = mode;
    driver_t *d = calloc(1, sizeof *d);
    driver_init(d, &cfg);
    int64_t t0 = http_min_now_ms();
    run_until(d, cond_watching, NULL, 60000, "the initial state of 2,000 pods");
    fprintf(stderr, "%s of %zu pods through the watch state machine: %lld ms\n",
           mode == KUBE_WATCH_STREAMING_LIST ? "streaming list" : "paginated list", d->cache.n,
           (long long)(http_min_now_ms() - t0));
    if (mode == KUBE_WATCH_STREAMING_LIST) {
        ck_assert_int_eq(d->lists, 0);
        ck_assert_int_eq(d->watches, 1);
    } else {
        ck_assert_int_eq(d->lists, NPODS / 500);
        ck_assert_int_eq(d->watches, 1);
    }
    ck_assert_int_eq(d->log[0].kind, KUBE_WATCH_STATE_EVENT_INIT);
    ck_assert_uint_eq(d->nlog, NPODS + 2);
    ck_assert_int_eq(d->log[NPODS + 1].kind, KUBE_WATCH_STATE_EVENT_INIT_DONE);
    ck_assert_uint_eq(d->cache.n, NPODS);
    for (size_t i = 0; i < want.n; i++) {
        obj_entry_t *e = store_find(&d->cache, want.e[i].key);
        ck_assert_msg(e != NULL, "the cache lacks %s", want.e[i].key);
        ck_assert_str_eq(kube_object_resource_version(kube_json_doc_root(e->doc)), want.e[i].rv);
    }
    /* and the watch that follows sees a change to one of them */
    char ns[160];
    snprintf(ns, sizeof ns, "%s", want.e[7].key);
    char *slash = strchr(ns, '/');
    *slash = '\0';
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    /* a value of its own per mode: a write that changes nothing sends no event */
    char patch[128];
    snprintf(patch, sizeof patch, "{\"metadata\":{\"labels\":{\"itest\":\"touched-%d\"}}}", (int)mode);
    ck_assert_int_eq(kube_request_patch(&r, itest_res("pods"), ns, slash + 1, NULL, KUBE_PATCH_MERGE,
                                        kube_body_bytes(patch, strlen(patch))), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 200));
    kube_http_request_dispose(&r);
    size_t n = NPODS + 3;
    run_until(d, cond_nlog, &n, 10000, "the APPLY of the patched pod");
    ck_assert_int_eq(d->log[NPODS + 2].kind, KUBE_WATCH_STATE_EVENT_APPLY);
    ck_assert_str_eq(d->log[NPODS + 2].key, want.e[7].key);
    char touched[32];
    snprintf(touched, sizeof touched, "touched-%d", (int)mode);
    ck_assert_str_eq(kube_object_label(kube_json_doc_root(store_find(&d->cache, want.e[7].key)->doc), "itest"),
                     touched);
    driver_free(d);
    free(d);
    collected_free(&want);
}

START_TEST(watch_machine_paginated_2000)
{
    machine_initial_list(KUBE_WATCH_LIST_WATCH);
}
END_TEST

START_TEST(watch_machine_streaming_2000)
{
    machine_initial_list(KUBE_WATCH_STREAMING_LIST);
}
END_TEST

static Suite *list_suite(void)
{
    Suite *s = suite_create("integration-list");
    TCase *tc = itest_tcase("list", 90);
    tcase_add_test(tc, paged_list_matches_state);
    tcase_add_test(tc, unpaged_list_matches_state);
    tcase_add_test(tc, selectors_match_kcore);
    tcase_add_test(tc, watch_machine_paginated_2000);
    tcase_add_test(tc, watch_machine_streaming_2000);
    tcase_add_test(tc, expired_continue_token_is_gone);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    static const char *const args[] = {"--generate", "pods=2000", NULL};
    return itest_main(list_suite(), args);
}
