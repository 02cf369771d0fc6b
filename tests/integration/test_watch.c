/* kcore's pure watch state machine driven end to end against kube-emulator: paginated
 * initial list, watch from its resourceVersion, writes arriving as APPLY/DELETE, bookmarks,
 * resume after watches/close, 410 after compaction and the re-list, streaming lists and
 * server-side selectors checked against kcore's own selector matching. Every body arrives
 * in random pieces (http_min). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kube/list.h>
#include <kube/object.h>
#include <kube/request.h>
#include <kube/selector.h>
#include <kube/watch.h>
#include <kube/watch_state.h>

#include "itest.h"

#include "watch_driver.h"

/* ---- objects and the emulator's state ---- */

static void add_fault(const char *ns, const char *verb, const char *action, int code, int retry_after);

static void cm_create(const char *ns, const char *name, const char *tier, const char *value)
{
    char body[512];
    snprintf(body, sizeof body, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\","
             "\"labels\":{\"tier\":\"%s\"}},\"data\":{\"v\":\"%s\"}}", name, tier, value);
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_create(&r, itest_res("configmaps"), ns, NULL, kube_body_bytes(body, strlen(body))),
                     KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 201));
    kube_http_request_dispose(&r);
}

static void cm_patch(const char *ns, const char *name, const char *patch)
{
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_patch(&r, itest_res("configmaps"), ns, name, NULL, KUBE_PATCH_MERGE,
                                        kube_body_bytes(patch, strlen(patch))), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 200));
    kube_http_request_dispose(&r);
}

static void cm_delete(const char *ns, const char *name)
{
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_delete(&r, itest_res("configmaps"), ns, name, NULL), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 200));
    kube_http_request_dispose(&r);
}

/* The cache must hold exactly the state's ConfigMaps of ns that match the selectors
 * (matched by kcore), with the same resourceVersions. */
static void assert_cache_is_state(driver_t *d, const char *ns, const char *label_sel, const char *field_sel)
{
    kube_label_selector_t *ls = NULL;
    kube_field_selector_t *fs = NULL;
    if (label_sel)
        ck_assert_int_eq(kube_label_selector_parse(&ls, label_sel, NULL), KUBE_OK);
    if (field_sel)
        ck_assert_int_eq(kube_field_selector_parse(&fs, field_sel, NULL), KUBE_OK);
    kube_json_doc_t *st = itest_state();
    kube_json_iter_t it;
    kube_json_iter_init(&it, kube_json_get(kube_json_doc_root(st), "objects"));
    const kube_json_t *o;
    size_t want = 0;
    while ((o = kube_json_iter_next(&it, NULL, NULL)) != NULL) {
        if (!kube_json_string_eq(kube_json_get(o, "kind"), "ConfigMap"))
            continue;
        if (!kube_object_namespace(o) || strcmp(kube_object_namespace(o), ns) != 0)
            continue;
        if ((ls && !kube_label_selector_matches_object(ls, o)) || (fs && !kube_field_selector_matches(fs, o)))
            continue;
        want++;
        char key[160];
        itest_key(o, key, sizeof key);
        obj_entry_t *e = store_find(&d->cache, key);
        ck_assert_msg(e != NULL, "the cache lacks %s", key);
        ck_assert_str_eq(kube_object_resource_version(kube_json_doc_root(e->doc)), kube_object_resource_version(o));
        ck_assert_msg(kube_json_equal(kube_json_get(kube_json_doc_root(e->doc), "data"), kube_json_get(o, "data")),
                      "data of %s differs", key);
    }
    ck_assert_uint_eq(d->cache.n, want);
    kube_json_doc_free(st);
    kube_label_selector_free(ls);
    kube_field_selector_free(fs);
}

static size_t count_kind(const driver_t *d, size_t from, kube_watch_state_event_kind_t kind)
{
    size_t n = 0;
    for (size_t i = from; i < d->nlog; i++)
        n += d->log[i].kind == kind;
    return n;
}

static const logged_t *find_event(const driver_t *d, size_t from, kube_watch_state_event_kind_t kind, const char *key)
{
    for (size_t i = from; i < d->nlog; i++)
        if (d->log[i].kind == kind && strcmp(d->log[i].key, key) == 0)
            return &d->log[i];
    return NULL;
}

static const char *global_rv(char *out, size_t outlen)
{
    kube_json_doc_t *st = itest_state();
    snprintf(out, outlen, "%s", kube_json_string(kube_json_get(kube_json_doc_root(st), "resourceVersion")));
    kube_json_doc_free(st);
    return out;
}

START_TEST(list_watch_resume_relist)
{
    char ns[64], key[200], other[64];
    itest_make_ns("watch", ns, sizeof ns);
    itest_make_ns("other", other, sizeof other);
    for (int i = 0; i < 7; i++) {
        char name[16], v[16];
        snprintf(name, sizeof name, "cm-%d", i);
        snprintf(v, sizeof v, "%d", i);
        cm_create(ns, name, i % 2 ? "b" : "a", v);
    }
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    cfg.resource = itest_res("configmaps");
    cfg.ns = ns;
    cfg.page_size = 3;
    driver_t *d = calloc(1, sizeof *d);
    driver_init(d, &cfg);

    /* the paginated initial list: INIT, one INIT_APPLY per object, INIT_DONE */
    kube_watch_phase_t listed = KUBE_WATCH_PHASE_INIT_LISTED;
    run_until(d, cond_phase, &listed, 20000, "the initial list");
    ck_assert_int_eq(d->lists, 3); /* 3 + 3 + 1 */
    ck_assert_int_eq(d->log[0].kind, KUBE_WATCH_STATE_EVENT_INIT);
    ck_assert_uint_eq(count_kind(d, 0, KUBE_WATCH_STATE_EVENT_INIT_APPLY), 7);
    ck_assert_int_eq(d->log[d->nlog - 1].kind, KUBE_WATCH_STATE_EVENT_INIT_DONE);
    ck_assert_uint_eq(d->nlog, 9);
    assert_cache_is_state(d, ns, NULL, NULL);
    char list_rv[32];
    snprintf(list_rv, sizeof list_rv, "%s", kube_watch_state_resource_version(d->ws));

    /* the watch starts from the list's resourceVersion, with bookmarks, without initial events */
    run_until(d, cond_watching, NULL, 5000, "the watch");
    char want_rv[64];
    snprintf(want_rv, sizeof want_rv, "resourceVersion=%s", list_rv);
    ck_assert_ptr_nonnull(strstr(d->last_path, want_rv));
    ck_assert_ptr_nonnull(strstr(d->last_path, "watch=true"));
    ck_assert_ptr_nonnull(strstr(d->last_path, "allowWatchBookmarks=true"));
    ck_assert_ptr_null(strstr(d->last_path, "sendInitialEvents"));

    /* writes arrive as APPLY / DELETE, in order, each advancing the resourceVersion */
    size_t mark = d->nlog;
    cm_create(ns, "cm-new", "a", "new");
    cm_patch(ns, "cm-1", "{\"data\":{\"v\":\"changed\"}}");
    cm_delete(ns, "cm-2");
    size_t want = mark + 3;
    run_until(d, cond_nlog, &want, 10000, "three watch events");
    ck_assert_int_eq(d->log[mark].kind, KUBE_WATCH_STATE_EVENT_APPLY);
    snprintf(key, sizeof key, "%s/cm-new", ns);
    ck_assert_str_eq(d->log[mark].key, key);
    ck_assert_int_eq(d->log[mark + 1].kind, KUBE_WATCH_STATE_EVENT_APPLY);
    snprintf(key, sizeof key, "%s/cm-1", ns);
    ck_assert_str_eq(d->log[mark + 1].key, key);
    ck_assert_str_eq(kube_json_string(kube_json_pointer(kube_json_doc_root(store_find(&d->cache, key)->doc),
                                                        "/data/v")), "changed");
    ck_assert_int_eq(d->log[mark + 2].kind, KUBE_WATCH_STATE_EVENT_DELETE);
    snprintf(key, sizeof key, "%s/cm-2", ns);
    ck_assert_str_eq(d->log[mark + 2].key, key);
    ck_assert_str_eq(kube_watch_state_resource_version(d->ws), d->log[mark + 2].rv);
    ck_assert_int_gt(atoll(d->log[mark + 2].rv), atoll(list_rv));
    assert_cache_is_state(d, ns, NULL, NULL);

    /* a write elsewhere is not ours; the idle bookmark (1 s) still advances the version */
    char before[32], grv[32];
    snprintf(before, sizeof before, "%s", kube_watch_state_resource_version(d->ws));
    cm_create(other, "elsewhere", "a", "x");
    int bm = d->bookmarks;
    run_until(d, cond_rv_changed, before, 10000, "a bookmark");
    ck_assert_int_gt(d->bookmarks, bm);
    ck_assert_uint_eq(d->nlog, mark + 3); /* no event for it */
    ck_assert_str_eq(kube_watch_state_resource_version(d->ws), global_rv(grv, sizeof grv));

    /* watches/close: the stream ends; the watch resumes from the last version, no INIT again */
    char resume_rv[32];
    snprintf(resume_rv, sizeof resume_rv, "%s", kube_watch_state_resource_version(d->ws));
    int watches = d->watches;
    kube_json_doc_free(itest_control("POST", "/_emulator/watches/close", "{}", 200));
    run_until(d, cond_phase, &listed, 10000, "the end of the closed watch");
    ck_assert_str_eq(kube_watch_state_resource_version(d->ws), resume_rv);
    run_until(d, cond_watching, NULL, 5000, "the resumed watch");
    ck_assert_int_eq(d->watches, watches + 1);
    snprintf(want_rv, sizeof want_rv, "resourceVersion=%s", resume_rv);
    ck_assert_ptr_nonnull(strstr(d->last_path, want_rv));
    mark = d->nlog;
    cm_create(ns, "cm-after-close", "b", "z");
    want = mark + 1;
    run_until(d, cond_nlog, &want, 10000, "the event after the resume");
    step(d, 300); /* nothing else may come */
    ck_assert_uint_eq(d->nlog, mark + 1);
    ck_assert_int_eq(d->log[mark].kind, KUBE_WATCH_STATE_EVENT_APPLY);
    snprintf(key, sizeof key, "%s/cm-after-close", ns);
    ck_assert_str_eq(d->log[mark].key, key);
    ck_assert_int_eq(d->lists, 3); /* no re-list */
    assert_cache_is_state(d, ns, NULL, NULL);

    /* compaction while the watch is down: the resumed watch gets 410 and the machine re-lists */
    kube_json_doc_free(itest_control("POST", "/_emulator/watches/close", "{}", 200));
    run_until(d, cond_phase, &listed, 10000, "the end of the closed watch");
    cm_patch(ns, "cm-3", "{\"data\":{\"v\":\"while-down\"}}");
    cm_delete(ns, "cm-4");
    cm_create(ns, "cm-while-down", "a", "w");
    kube_json_doc_free(itest_control("POST", "/_emulator/compact", "{}", 200));
    mark = d->nlog;
    int errors = d->errors, lists = d->lists;
    kube_watch_phase_t empty = KUBE_WATCH_PHASE_EMPTY;
    run_until(d, cond_phase, &empty, 10000, "the 410");
    ck_assert_int_eq(d->errors, errors + 1);
    ck_assert_int_eq(d->last_failure, KUBE_EGONE);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "too old resource version"));
    ck_assert_int_eq(kube_error_last()->http_status, 410);
    run_until(d, cond_phase, &listed, 20000, "the re-list");
    ck_assert_int_eq(d->lists, lists + 3);
    ck_assert_int_eq(d->log[mark].kind, KUBE_WATCH_STATE_EVENT_INIT);
    ck_assert_int_eq(d->log[d->nlog - 1].kind, KUBE_WATCH_STATE_EVENT_INIT_DONE);
    ck_assert_uint_eq(count_kind(d, mark, KUBE_WATCH_STATE_EVENT_INIT_APPLY), 8);
    ck_assert_uint_eq(count_kind(d, mark, KUBE_WATCH_STATE_EVENT_APPLY), 0);
    ck_assert_uint_eq(count_kind(d, mark, KUBE_WATCH_STATE_EVENT_DELETE), 0);
    snprintf(key, sizeof key, "%s/cm-4", ns);
    ck_assert_ptr_null(find_event(d, mark, KUBE_WATCH_STATE_EVENT_INIT_APPLY, key));
    ck_assert_ptr_null(store_find(&d->cache, key));
    snprintf(key, sizeof key, "%s/cm-while-down", ns);
    ck_assert_ptr_nonnull(find_event(d, mark, KUBE_WATCH_STATE_EVENT_INIT_APPLY, key));
    assert_cache_is_state(d, ns, NULL, NULL);

    /* and it watches again from the new list's version */
    run_until(d, cond_watching, NULL, 5000, "the watch after the re-list");
    mark = d->nlog;
    cm_delete(ns, "cm-while-down");
    want = mark + 1;
    run_until(d, cond_nlog, &want, 10000, "the delete after the re-list");
    ck_assert_int_eq(d->log[mark].kind, KUBE_WATCH_STATE_EVENT_DELETE);
    assert_cache_is_state(d, ns, NULL, NULL);
    driver_free(d);
    free(d);
}
END_TEST

START_TEST(streaming_list_cut_short)
{
    /* the stream of initial events breaks halfway: the machine starts over with a new INIT */
    char ns[64];
    itest_make_ns("cut", ns, sizeof ns);
    for (int i = 0; i < 40; i++) {
        char name[16];
        snprintf(name, sizeof name, "c-%02d", i);
        cm_create(ns, name, "a", "0123456789012345678901234567890123456789");
    }
    add_fault(ns, "watch", "truncate", 0, 0);
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    cfg.resource = itest_res("configmaps");
    cfg.ns = ns;
    cfg.initial_list = KUBE_WATCH_STREAMING_LIST;
    driver_t *d = calloc(1, sizeof *d);
    driver_init(d, &cfg);
    kube_watch_phase_t watching = KUBE_WATCH_PHASE_WATCHING;
    int64_t deadline = http_min_now_ms() + 10000;
    while (kube_watch_state_phase(d->ws) != watching) {
        ck_assert_msg(http_min_now_ms() < deadline, "the streaming list never completed");
        step(d, 200);
    }
    ck_assert_int_eq(d->watches, 2);
    ck_assert_int_eq(d->failures, 1);
    ck_assert_int_eq(d->last_failure, KUBE_ETRANSPORT);
    /* the cut stream delivered part of the initial events: INIT, some INIT_APPLY, then INIT again */
    ck_assert_uint_eq(count_kind(d, 0, KUBE_WATCH_STATE_EVENT_INIT), 2);
    ck_assert_int_eq(d->init_restarts, 1);
    ck_assert_uint_eq(count_kind(d, 0, KUBE_WATCH_STATE_EVENT_INIT_DONE), 1);
    ck_assert_uint_gt(count_kind(d, 0, KUBE_WATCH_STATE_EVENT_INIT_APPLY), 40);
    assert_cache_is_state(d, ns, NULL, NULL);
    ck_assert_uint_eq(d->cache.n, 40);
    driver_free(d);
    free(d);
}
END_TEST

START_TEST(large_objects)
{
    /* objects near the API server's size limit, as list items and as watch events */
    char ns[64], key[200];
    itest_make_ns("large", ns, sizeof ns);
    size_t n = 900 * 1024;
    char *big = malloc(n + 1);
    ck_assert_ptr_nonnull(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + (http_min_rand() % 26));
    big[n] = '\0';
    kube_json_mut_doc_t *md;
    ck_assert_int_eq(kube_json_mut_doc_new(&md, NULL), KUBE_OK);
    kube_json_mut_t *root = kube_json_mut_obj(md), *meta = kube_json_mut_obj(md), *data = kube_json_mut_obj(md);
    kube_json_mut_obj_set_str(root, "apiVersion", "v1");
    kube_json_mut_obj_set_str(root, "kind", "ConfigMap");
    kube_json_mut_obj_set_str(meta, "name", "big-0");
    kube_json_mut_obj_set(root, "metadata", meta);
    kube_json_mut_obj_set_str(data, "blob", big);
    kube_json_mut_obj_set(root, "data", data);
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_create(&r, itest_res("configmaps"), ns, NULL, kube_body_json_mut(root)), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 201));

    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    cfg.resource = itest_res("configmaps");
    cfg.ns = ns;
    driver_t *d = calloc(1, sizeof *d);
    driver_init(d, &cfg);
    run_until(d, cond_watching, NULL, 20000, "the watch");
    snprintf(key, sizeof key, "%s/big-0", ns);
    obj_entry_t *e = store_find(&d->cache, key);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(kube_json_string(kube_json_pointer(kube_json_doc_root(e->doc), "/data/blob")), big);

    /* a second one arrives through the watch */
    kube_json_mut_obj_set_str(meta, "name", "big-1");
    big[0] = '#';
    kube_json_mut_obj_set_str(data, "blob", big);
    ck_assert_int_eq(kube_request_create(&r, itest_res("configmaps"), ns, NULL, kube_body_json_mut(root)), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 201));
    size_t want = d->nlog + 1;
    run_until(d, cond_nlog, &want, 20000, "the large APPLY");
    snprintf(key, sizeof key, "%s/big-1", ns);
    e = store_find(&d->cache, key);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(kube_json_string(kube_json_pointer(kube_json_doc_root(e->doc), "/data/blob")), big);
    assert_cache_is_state(d, ns, NULL, NULL);
    driver_free(d);
    free(d);
    kube_json_mut_doc_free(md);
    kube_http_request_dispose(&r);
    free(big);
}
END_TEST

START_TEST(streaming_list)
{
    char ns[64], key[200];
    itest_make_ns("stream", ns, sizeof ns);
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "s-%d", i);
        cm_create(ns, name, "a", "s");
    }
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    cfg.resource = itest_res("configmaps");
    cfg.ns = ns;
    cfg.initial_list = KUBE_WATCH_STREAMING_LIST;
    driver_t *d = calloc(1, sizeof *d);
    driver_init(d, &cfg);
    char grv[32];
    global_rv(grv, sizeof grv);
    kube_watch_phase_t watching = KUBE_WATCH_PHASE_WATCHING;
    int64_t deadline = http_min_now_ms() + 10000;
    while (kube_watch_state_phase(d->ws) != watching) {
        ck_assert_msg(http_min_now_ms() < deadline, "no initial-events-end bookmark");
        step(d, 200);
    }
    ck_assert_int_eq(d->lists, 0);
    ck_assert_int_eq(d->watches, 1);
    ck_assert_ptr_nonnull(strstr(d->last_path, "sendInitialEvents=true"));
    ck_assert_ptr_nonnull(strstr(d->last_path, "resourceVersionMatch=NotOlderThan"));
    ck_assert_int_eq(d->log[0].kind, KUBE_WATCH_STATE_EVENT_INIT);
    ck_assert_uint_eq(count_kind(d, 0, KUBE_WATCH_STATE_EVENT_INIT_APPLY), 5);
    ck_assert_int_eq(d->log[d->nlog - 1].kind, KUBE_WATCH_STATE_EVENT_INIT_DONE);
    ck_assert_int_ge(d->bookmarks, 1);
    /* the initial-events-end bookmark carried the list's version */
    ck_assert_int_ge(atoll(kube_watch_state_resource_version(d->ws)), atoll(grv));
    assert_cache_is_state(d, ns, NULL, NULL);

    /* the same stream goes on with APPLY/DELETE */
    size_t mark = d->nlog;
    cm_patch(ns, "s-0", "{\"data\":{\"v\":\"after\"}}");
    cm_delete(ns, "s-1");
    size_t want = mark + 2;
    run_until(d, cond_nlog, &want, 10000, "two events");
    ck_assert_int_eq(d->log[mark].kind, KUBE_WATCH_STATE_EVENT_APPLY);
    ck_assert_int_eq(d->log[mark + 1].kind, KUBE_WATCH_STATE_EVENT_DELETE);
    snprintf(key, sizeof key, "%s/s-1", ns);
    ck_assert_str_eq(d->log[mark + 1].key, key);
    ck_assert_int_eq(d->watches, 1);
    assert_cache_is_state(d, ns, NULL, NULL);

    /* a resumed watch never asks for initial events again */
    kube_json_doc_free(itest_control("POST", "/_emulator/watches/close", "{}", 200));
    kube_watch_phase_t listed = KUBE_WATCH_PHASE_INIT_LISTED;
    run_until(d, cond_phase, &listed, 10000, "the end of the closed watch");
    run_until(d, cond_watching, NULL, 5000, "the resumed watch");
    ck_assert_ptr_null(strstr(d->last_path, "sendInitialEvents"));
    mark = d->nlog;
    cm_create(ns, "s-new", "a", "n");
    want = mark + 1;
    run_until(d, cond_nlog, &want, 10000, "the event after the resume");
    step(d, 300);
    ck_assert_uint_eq(d->nlog, mark + 1);
    ck_assert_int_eq(d->log[mark].kind, KUBE_WATCH_STATE_EVENT_APPLY);
    assert_cache_is_state(d, ns, NULL, NULL);
    driver_free(d);
    free(d);
}
END_TEST

START_TEST(selectors_server_side)
{
    char ns[64], key[200];
    itest_make_ns("sel", ns, sizeof ns);
    for (int i = 0; i < 8; i++) {
        char name[16];
        snprintf(name, sizeof name, "x-%d", i);
        cm_create(ns, name, i % 2 ? "b" : "a", "x");
    }
    const char *lsel = "tier in (a),!excluded";
    const char *fsel = "metadata.name!=x-0";
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    cfg.resource = itest_res("configmaps");
    cfg.ns = ns;
    cfg.label_selector = lsel;
    cfg.field_selector = fsel;
    cfg.page_size = 2;
    driver_t *d = calloc(1, sizeof *d);
    driver_init(d, &cfg);
    run_until(d, cond_watching, NULL, 20000, "the watch");
    ck_assert_int_eq(d->lists, 2); /* x-2, x-4 | x-6 */
    ck_assert_uint_eq(count_kind(d, 0, KUBE_WATCH_STATE_EVENT_INIT_APPLY), 3);
    assert_cache_is_state(d, ns, lsel, fsel);

    /* b -> a: starts matching (APPLY); a -> b and a -> excluded: stop matching (DELETE) */
    size_t mark = d->nlog;
    cm_patch(ns, "x-1", "{\"metadata\":{\"labels\":{\"tier\":\"a\"}}}");
    cm_patch(ns, "x-2", "{\"metadata\":{\"labels\":{\"tier\":\"b\"}}}");
    cm_patch(ns, "x-4", "{\"metadata\":{\"labels\":{\"excluded\":\"yes\"}}}");
    cm_patch(ns, "x-3", "{\"data\":{\"x\":\"not matching, no event\"}}");
    cm_patch(ns, "x-0", "{\"data\":{\"x\":\"field selector excludes it\"}}");
    cm_patch(ns, "x-6", "{\"data\":{\"x\":\"matching\"}}");
    size_t want = mark + 4;
    run_until(d, cond_nlog, &want, 10000, "four events");
    step(d, 300);
    ck_assert_uint_eq(d->nlog, mark + 4);
    snprintf(key, sizeof key, "%s/x-1", ns);
    ck_assert_ptr_nonnull(find_event(d, mark, KUBE_WATCH_STATE_EVENT_APPLY, key));
    snprintf(key, sizeof key, "%s/x-2", ns);
    ck_assert_ptr_nonnull(find_event(d, mark, KUBE_WATCH_STATE_EVENT_DELETE, key));
    snprintf(key, sizeof key, "%s/x-4", ns);
    ck_assert_ptr_nonnull(find_event(d, mark, KUBE_WATCH_STATE_EVENT_DELETE, key));
    snprintf(key, sizeof key, "%s/x-6", ns);
    ck_assert_ptr_nonnull(find_event(d, mark, KUBE_WATCH_STATE_EVENT_APPLY, key));
    /* every object the machine handed out matches kcore's own selectors */
    kube_label_selector_t *ls;
    kube_field_selector_t *fs;
    ck_assert_int_eq(kube_label_selector_parse(&ls, lsel, NULL), KUBE_OK);
    ck_assert_int_eq(kube_field_selector_parse(&fs, fsel, NULL), KUBE_OK);
    for (size_t i = 0; i < d->cache.n; i++) {
        ck_assert(kube_label_selector_matches_object(ls, kube_json_doc_root(d->cache.e[i].doc)));
        ck_assert(kube_field_selector_matches(fs, kube_json_doc_root(d->cache.e[i].doc)));
    }
    kube_label_selector_free(ls);
    kube_field_selector_free(fs);
    assert_cache_is_state(d, ns, lsel, fsel);
    driver_free(d);
    free(d);
}
END_TEST

static void add_fault(const char *ns, const char *verb, const char *action, int code, int retry_after)
{
    char body[512];
    snprintf(body, sizeof body, "[{\"match\":{\"verb\":\"%s\",\"path_regex\":\"/namespaces/%s/configmaps\"},"
             "\"action\":\"%s\",\"code\":%d,\"retry_after\":%d,\"count\":1}]", verb, ns, action, code, retry_after);
    kube_json_doc_free(itest_control("POST", "/_emulator/faults", body, 200));
}

START_TEST(faults_during_list_and_watch)
{
    char ns[64];
    itest_make_ns("fault", ns, sizeof ns);
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "f-%d", i);
        cm_create(ns, name, "a", "f");
    }
    kube_watch_config_t cfg = KUBE_WATCH_CONFIG_INIT;
    cfg.resource = itest_res("configmaps");
    cfg.ns = ns;
    cfg.page_size = 2;
    driver_t *d = calloc(1, sizeof *d);
    driver_init(d, &cfg);

    /* a 503 with Retry-After on the first LIST: a retryable failure, nothing emitted */
    add_fault(ns, "list", "status", 503, 2);
    step(d, 200);
    ck_assert_int_eq(d->failures, 1);
    ck_assert_int_eq(d->last_http_status, 503);
    ck_assert_int_eq(d->last_retry_after, 2);
    ck_assert_int_eq(d->last_failure, KUBE_ESERVER);
    ck_assert(kube_error_is_retryable(d->last_failure));
    ck_assert_int_eq(kube_watch_state_phase(d->ws), KUBE_WATCH_PHASE_EMPTY);
    ck_assert_uint_eq(d->nlog, 0);

    /* a LIST page cut in half: the machine starts the initial list over, with a new INIT */
    add_fault(ns, "list", "truncate", 0, 0);
    step(d, 200);
    ck_assert_int_eq(d->failures, 2);
    ck_assert_int_eq(kube_watch_state_phase(d->ws), KUBE_WATCH_PHASE_EMPTY);
    kube_watch_phase_t listed = KUBE_WATCH_PHASE_INIT_LISTED;
    run_until(d, cond_phase, &listed, 10000, "the initial list after the faults");
    ck_assert_int_eq(d->lists, 4); /* the truncated page, then 2 + 2 + 1 */
    ck_assert_int_eq(d->init_restarts, d->log[0].kind == KUBE_WATCH_STATE_EVENT_INIT &&
                                           count_kind(d, 0, KUBE_WATCH_STATE_EVENT_INIT) == 2 ? 1 : 0);
    assert_cache_is_state(d, ns, NULL, NULL);

    /* a 429 on the WATCH: retryable, and the machine resumes the watch (no re-list) */
    add_fault(ns, "watch", "status", 429, 1);
    step(d, 200);
    ck_assert_int_eq(d->last_http_status, 429);
    ck_assert_int_eq(d->last_retry_after, 1);
    ck_assert_int_eq(d->last_failure, KUBE_ETHROTTLED);
    ck_assert_int_eq(kube_watch_state_phase(d->ws), KUBE_WATCH_PHASE_INIT_LISTED);
    /* a dropped connection: the same */
    add_fault(ns, "watch", "drop", 0, 0);
    step(d, 200);
    ck_assert_int_eq(d->last_failure, KUBE_ETRANSPORT);
    ck_assert_int_eq(kube_watch_state_phase(d->ws), KUBE_WATCH_PHASE_INIT_LISTED);
    run_until(d, cond_watching, NULL, 5000, "the watch after the faults");
    ck_assert_int_eq(d->lists, 4);
    size_t mark = d->nlog;
    cm_patch(ns, "f-0", "{\"data\":{\"v\":\"seen\"}}");
    size_t want = mark + 1;
    run_until(d, cond_nlog, &want, 10000, "the event after the faults");
    ck_assert_int_eq(d->log[mark].kind, KUBE_WATCH_STATE_EVENT_APPLY);

    /* a 410 answer (not in the stream) to the resumed WATCH: a full re-list */
    add_fault(ns, "watch", "status", 410, 0);
    kube_json_doc_free(itest_control("POST", "/_emulator/watches/close", "{}", 200));
    run_until(d, cond_phase, &listed, 10000, "the end of the closed watch");
    step(d, 200);
    ck_assert_int_eq(d->last_http_status, 410);
    ck_assert_int_eq(d->last_failure, KUBE_EGONE);
    ck_assert_int_eq(kube_watch_state_phase(d->ws), KUBE_WATCH_PHASE_EMPTY);
    mark = d->nlog;
    run_until(d, cond_watching, NULL, 10000, "the re-list and watch");
    ck_assert_int_eq(d->lists, 7);
    ck_assert_int_eq(d->log[mark].kind, KUBE_WATCH_STATE_EVENT_INIT);
    ck_assert_uint_eq(count_kind(d, mark, KUBE_WATCH_STATE_EVENT_INIT_APPLY), 5);
    assert_cache_is_state(d, ns, NULL, NULL);
    kube_json_doc_free(itest_control("DELETE", "/_emulator/faults", NULL, 200));
    driver_free(d);
    free(d);
}
END_TEST

typedef struct raw_watch {
    kube_watch_decoder_t *dec;
    char keys[8][200];
    int types[8];
    int n;
    int all_metadata;
} raw_watch_t;

static int raw_cb(const char *data, size_t len, void *ud)
{
    raw_watch_t *w = ud;
    ck_assert_int_eq(kube_watch_decoder_feed(w->dec, data, len), KUBE_OK);
    kube_watch_event_t ev;
    while (kube_watch_decoder_next(w->dec, &ev) == KUBE_OK && ev.type != KUBE_WATCH_END) {
        if (ev.type != KUBE_WATCH_BOOKMARK && w->n < 8) {
            const kube_json_t *o = kube_json_doc_root(ev.object);
            itest_key(o, w->keys[w->n], sizeof w->keys[w->n]);
            w->types[w->n] = (int)ev.type;
            if (!kube_json_string_eq(kube_json_get(o, "kind"), "PartialObjectMetadata") || kube_json_get(o, "data"))
                w->all_metadata = 0;
            ck_assert_str_eq(ev.resource_version, kube_object_resource_version(o));
            w->n++;
        }
        kube_watch_event_dispose(&ev);
    }
    return 0;
}

START_TEST(all_namespaces_metadata_watch)
{
    /* a watch across all namespaces (no namespace in the path), metadata only */
    char ns1[64], ns2[64], key[200];
    itest_make_ns("all", ns1, sizeof ns1);
    itest_make_ns("all", ns2, sizeof ns2);
    char grv[32];
    global_rv(grv, sizeof grv);
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    kube_watch_params_t wp = KUBE_WATCH_PARAMS_INIT;
    ck_assert_int_eq(kube_request_watch_metadata(&r, itest_res("configmaps"), NULL, &wp, grv), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(r.path, "/api/v1/configmaps?"));
    http_conn_t *c = http_open(itest_port, &r, NULL);
    ck_assert_msg(c != NULL, "%s", http_min_error());
    ck_assert_int_eq(http_conn_status(c), 200);
    cm_create(ns1, "m1", "a", "1");
    cm_create(ns2, "m2", "a", "2");
    cm_delete(ns1, "m1");
    raw_watch_t w;
    memset(&w, 0, sizeof w);
    w.all_metadata = 1;
    ck_assert_int_eq(kube_watch_decoder_new(&w.dec, 0, NULL), KUBE_OK);
    int64_t deadline = http_min_now_ms() + 10000;
    while (w.n < 3) {
        ck_assert_msg(http_min_now_ms() < deadline, "timed out (%d events)", w.n);
        int rr = http_conn_read(c, raw_cb, &w, 200);
        ck_assert(rr == HTTP_READ_DATA || rr == HTTP_READ_TIMEOUT);
    }
    ck_assert(w.all_metadata);
    snprintf(key, sizeof key, "%s/m1", ns1);
    ck_assert_str_eq(w.keys[0], key);
    ck_assert_int_eq(w.types[0], KUBE_WATCH_ADDED);
    snprintf(key, sizeof key, "%s/m2", ns2);
    ck_assert_str_eq(w.keys[1], key);
    ck_assert_int_eq(w.types[1], KUBE_WATCH_ADDED);
    ck_assert_int_eq(w.types[2], KUBE_WATCH_DELETED);
    kube_watch_decoder_free(w.dec);
    http_conn_close(c);
    kube_http_request_dispose(&r);
}
END_TEST

START_TEST(watch_from_future_version_times_out)
{
    /* a resourceVersion the server has not reached: 504 Timeout as an ERROR event */
    char grv[32], future[32];
    global_rv(grv, sizeof grv);
    snprintf(future, sizeof future, "%lld", atoll(grv) + 100000);
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_watch(&r, itest_res("configmaps"), "default", NULL, future), KUBE_OK);
    http_conn_t *c = http_open(itest_port, &r, NULL);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(http_conn_status(c), 200);
    kube_buf_t body;
    kube_buf_init(&body, NULL);
    ck_assert_int_eq(http_conn_read_all(c, &body, 10000), HTTP_READ_EOF);
    http_conn_close(c);
    kube_watch_decoder_t *dec;
    ck_assert_int_eq(kube_watch_decoder_new(&dec, 0, NULL), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_feed(dec, body.ptr, body.size), KUBE_OK);
    ck_assert_int_eq(kube_watch_decoder_finish(dec), KUBE_OK);
    kube_watch_event_t ev;
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_OK);
    ck_assert_int_eq(ev.type, KUBE_WATCH_ERROR);
    ck_assert_int_eq(ev.error, KUBE_ETIMEDOUT);
    ck_assert_ptr_nonnull(ev.status);
    ck_assert_str_eq(ev.status->reason, "Timeout");
    ck_assert_int_eq(ev.status->code, 504);
    ck_assert_int_eq(ev.status->retry_after_seconds, 1);
    ck_assert_uint_ge(ev.status->cause_count, 1);
    ck_assert_str_eq(ev.status->causes[0].reason, "ResourceVersionTooLarge");
    ck_assert_int_eq(kube_status_error(ev.status, 0), KUBE_ETIMEDOUT);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "Too large resource version"));
    ck_assert(kube_error_is_retryable(ev.error));
    kube_watch_event_dispose(&ev);
    ck_assert_int_eq(kube_watch_decoder_next(dec, &ev), KUBE_OK);
    ck_assert_int_eq(ev.type, KUBE_WATCH_END);
    kube_watch_decoder_free(dec);
    kube_buf_dispose(&body);
    kube_http_request_dispose(&r);
}
END_TEST

static kube_json_doc_t *list_one(const char *ns, const kube_list_params_t *lp, kube_error_t *code, char *rv_out)
{
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_list(&r, itest_res("configmaps"), ns, lp), KUBE_OK);
    http_resp_t resp;
    itest_call(&r, &resp);
    kube_list_decoder_t *dec;
    ck_assert_int_eq(kube_list_decoder_new(&dec, 0, NULL), KUBE_OK);
    ck_assert_int_eq(kube_list_decoder_feed(dec, resp.body.ptr, resp.body.size), KUBE_OK);
    ck_assert_int_eq(kube_list_decoder_finish(dec), KUBE_OK);
    kube_json_doc_t *item = NULL, *found = NULL;
    while ((*code = kube_list_decoder_next(dec, &item)) == KUBE_OK && item) {
        if (strcmp(kube_object_name(kube_json_doc_root(item)), "ver") == 0 && !found)
            found = item;
        else
            kube_json_doc_free(item);
    }
    if (rv_out && kube_list_decoder_resource_version(dec))
        snprintf(rv_out, 32, "%s", kube_list_decoder_resource_version(dec));
    kube_list_decoder_free(dec);
    http_resp_dispose(&resp);
    kube_http_request_dispose(&r);
    return found;
}

START_TEST(list_resource_version_semantics)
{
    char ns[64], rv1[32] = "", rv2[32] = "";
    itest_make_ns("rvm", ns, sizeof ns);
    cm_create(ns, "ver", "a", "one");
    kube_error_t code;
    kube_json_doc_t *d = list_one(ns, NULL, &code, rv1);
    ck_assert_int_eq(code, KUBE_OK);
    kube_json_doc_free(d);
    cm_patch(ns, "ver", "{\"data\":{\"v\":\"two\"}}");

    /* Exact at the old version: the old state */
    kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
    lp.resource_version = rv1;
    lp.version_match = KUBE_VERSION_MATCH_EXACT;
    d = list_one(ns, &lp, &code, rv2);
    ck_assert_int_eq(code, KUBE_OK);
    ck_assert_str_eq(rv2, rv1);
    ck_assert_str_eq(kube_json_string(kube_json_pointer(kube_json_doc_root(d), "/data/v")), "one");
    kube_json_doc_free(d);
    /* NotOlderThan the old version: the current state */
    lp.version_match = KUBE_VERSION_MATCH_NOT_OLDER_THAN;
    d = list_one(ns, &lp, &code, rv2);
    ck_assert_int_eq(code, KUBE_OK);
    ck_assert_str_eq(kube_json_string(kube_json_pointer(kube_json_doc_root(d), "/data/v")), "two");
    ck_assert_int_gt(atoll(rv2), atoll(rv1));
    kube_json_doc_free(d);
    /* after compaction, Exact at the old version is 410 Expired through the list decoder */
    kube_json_doc_free(itest_control("POST", "/_emulator/compact", "{}", 200));
    lp.version_match = KUBE_VERSION_MATCH_EXACT;
    d = list_one(ns, &lp, &code, NULL);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(code, KUBE_EGONE);
    /* kcore refuses Exact at "0" by itself */
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    lp.resource_version = "0";
    ck_assert_int_eq(kube_request_list(&r, itest_res("configmaps"), ns, &lp), KUBE_EINVAL);
    kube_http_request_dispose(&r);
}
END_TEST

/* Server-side label selection equals kcore's, for the operators the list tests lack. */
START_TEST(selector_operators_match_kcore)
{
    char ns[64];
    itest_make_ns("ops", ns, sizeof ns);
    for (int i = 0; i < 12; i++) {
        char body[384], name[16];
        snprintf(name, sizeof name, "o-%02d", i);
        snprintf(body, sizeof body, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\","
                 "\"labels\":{\"n\":\"%d\",\"example.com/parity\":\"%s\"%s}}}", name, i * 7 % 12,
                 i % 2 ? "odd" : "even", i % 3 ? "" : ",\"tri\":\"\"");
        kube_http_request_t r;
        kube_http_request_init(&r, NULL);
        ck_assert_int_eq(kube_request_create(&r, itest_res("configmaps"), ns, NULL, kube_body_bytes(body, strlen(body))),
                         KUBE_OK);
        kube_json_doc_free(itest_expect(&r, 201));
        kube_http_request_dispose(&r);
    }
    static const char *const sels[] = {
        "n>3,n<9", "n>10", "n<0", "example.com/parity=odd,n>5", "tri", "!tri", "tri=", "tri!=,n in (1,2,3,4)",
        "example.com/parity notin (odd),n!=0", "n in (10, 11)", "example.com/parity==even,!tri,n>1",
    };
    kube_json_doc_t *st = itest_state();
    for (size_t k = 0; k < sizeof sels / sizeof sels[0]; k++) {
        kube_label_selector_t *ls;
        ck_assert_msg(kube_label_selector_parse(&ls, sels[k], NULL) == KUBE_OK, "%s: %s", sels[k],
                      kube_error_last()->message);
        /* kcore's printed form is what we send: the server must read it the same way */
        kube_buf_t printed;
        kube_buf_init(&printed, NULL);
        ck_assert_int_eq(kube_label_selector_format(&printed, ls), KUBE_OK);
        char want[512] = "";
        kube_json_iter_t it;
        kube_json_iter_init(&it, kube_json_get(kube_json_doc_root(st), "objects"));
        const kube_json_t *o;
        while ((o = kube_json_iter_next(&it, NULL, NULL)) != NULL)
            if (kube_json_string_eq(kube_json_get(o, "kind"), "ConfigMap") && kube_object_namespace(o) &&
                strcmp(kube_object_namespace(o), ns) == 0 && kube_label_selector_matches_object(ls, o)) {
                strcat(want, kube_object_name(o));
                strcat(want, " ");
            }
        kube_list_params_t lp = KUBE_LIST_PARAMS_INIT;
        lp.label_selector = printed.ptr;
        kube_http_request_t r;
        kube_http_request_init(&r, NULL);
        ck_assert_int_eq(kube_request_list(&r, itest_res("configmaps"), ns, &lp), KUBE_OK);
        kube_json_doc_t *d = itest_expect(&r, 200);
        char got[512] = "";
        kube_json_iter_init(&it, kube_json_get(kube_json_doc_root(d), "items"));
        while ((o = kube_json_iter_next(&it, NULL, NULL)) != NULL) {
            strcat(got, kube_object_name(o));
            strcat(got, " ");
        }
        ck_assert_msg(strcmp(got, want) == 0, "selector \"%s\" (sent as \"%s\"): server [%s], kcore [%s]", sels[k],
                      printed.ptr, got, want);
        kube_json_doc_free(d);
        kube_http_request_dispose(&r);
        kube_buf_dispose(&printed);
        kube_label_selector_free(ls);
    }
    kube_json_doc_free(st);
}
END_TEST

static Suite *watch_suite(void)
{
    Suite *s = suite_create("integration-watch");
    TCase *tc = itest_tcase("watch", 90);
    tcase_add_test(tc, list_watch_resume_relist);
    tcase_add_test(tc, streaming_list);
    tcase_add_test(tc, large_objects);
    tcase_add_test(tc, streaming_list_cut_short);
    tcase_add_test(tc, selectors_server_side);
    tcase_add_test(tc, selector_operators_match_kcore);
    tcase_add_test(tc, all_namespaces_metadata_watch);
    tcase_add_test(tc, faults_during_list_and_watch);
    tcase_add_test(tc, watch_from_future_version_times_out);
    tcase_add_test(tc, list_resource_version_semantics);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    static const char *const args[] = {"--bookmark-interval", "1", NULL};
    return itest_main(watch_suite(), args);
}
