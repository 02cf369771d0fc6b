/*
 * pod_table: read a PodList (or, with --watch, a watch stream) from standard input
 * and print it as a table, the way `kubectl get pods -A` would.
 *
 *   curl -s "$URL/api/v1/pods" | example-pod_table
 *   curl -sN "$URL/api/v1/pods?watch=1&timeoutSeconds=5" | example-pod_table --watch
 *
 * kcore is sans-IO: this program does the reading and hands the bytes to kcore's
 * list or watch decoder as they arrive. Items come out one by one as soon as their
 * bytes are complete, so the heap stays near the size of one pod however long the
 * list is; a counting allocator (kube_mem_t) shows it at the end.
 */
#include <kube.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Counting allocator: every allocation of the decoders and their documents goes here. */
typedef struct heap_count {
    size_t live;
    size_t peak;
} heap_count_t;

typedef union block {
    size_t size;
    max_align_t align;
} block_t;

static void *count_malloc(size_t size, void *ud)
{
    heap_count_t *hc = ud;
    block_t *b = malloc(sizeof *b + size);
    if (!b)
        return NULL;
    b->size = size;
    hc->live += size;
    if (hc->live > hc->peak)
        hc->peak = hc->live;
    return b + 1;
}

static void count_free(void *ptr, void *ud)
{
    heap_count_t *hc = ud;
    if (!ptr)
        return;
    block_t *b = (block_t *)ptr - 1;
    hc->live -= b->size;
    free(b);
}

static void *count_calloc(size_t n, size_t size, void *ud)
{
    void *p = count_malloc(n * size, ud);
    if (p)
        memset(p, 0, n * size);
    return p;
}

static void *count_realloc(void *ptr, size_t size, void *ud)
{
    heap_count_t *hc = ud;
    if (!ptr)
        return count_malloc(size, ud);
    block_t *b = (block_t *)ptr - 1;
    size_t old = b->size;
    block_t *nb = realloc(b, sizeof *nb + size);
    if (!nb)
        return NULL;
    nb->size = size;
    hc->live = hc->live - old + size;
    if (hc->live > hc->peak)
        hc->peak = hc->live;
    return nb + 1;
}

static void print_pod(const char *prefix, const kube_json_t *pod)
{
    const kube_json_t *status = kube_json_get(pod, "status");
    const char *phase = kube_json_string(kube_json_get(status, "phase"));
    const char *node = kube_json_string(kube_json_get(kube_json_get(pod, "spec"), "nodeName"));
    printf("%-10s %-16s %-44s %-10s %s\n", prefix, kube_object_namespace(pod) ? kube_object_namespace(pod) : "",
           kube_object_name(pod) ? kube_object_name(pod) : "", phase ? phase : "-", node ? node : "<none>");
}

static int fail(const char *what, kube_error_t rc)
{
    fprintf(stderr, "pod_table: %s: %s (%s)\n", what, kube_strerror(rc), kube_error_last()->message);
    return 1;
}

static int run_list(const kube_mem_t *mem, size_t *count)
{
    kube_list_decoder_t *dec = NULL;
    char chunk[64 * 1024];
    size_t n;
    int eof = 0, rc = 0;
    kube_error_t err = kube_list_decoder_new(&dec, 0, mem);
    if (err)
        return fail("list decoder", err);
    printf("%-10s %-16s %-44s %-10s %s\n", "", "NAMESPACE", "NAME", "STATUS", "NODE");
    for (;;) {
        kube_json_doc_t *item = NULL;
        err = kube_list_decoder_next(dec, &item);
        if (err == KUBE_EAGAIN) {
            if (eof) {
                rc = fail("list", kube_list_decoder_finish(dec));
                break;
            }
            n = fread(chunk, 1, sizeof chunk, stdin);
            if (n == 0) {
                eof = 1;
                kube_list_decoder_finish(dec);
            } else if ((err = kube_list_decoder_feed(dec, chunk, n)) != KUBE_OK) {
                rc = fail("list", err);
                break;
            }
            continue;
        }
        if (err) {
            rc = fail("list", err);
            break;
        }
        if (!item) {
            printf("-- %zu items, list resourceVersion %s\n", *count, kube_list_decoder_resource_version(dec));
            break;
        }
        print_pod("", kube_json_doc_root(item));
        kube_json_doc_free(item); /* a cache would keep it instead */
        (*count)++;
    }
    kube_list_decoder_free(dec);
    return rc;
}

static int run_watch(const kube_mem_t *mem, size_t *count)
{
    static const char *names[] = { "END", "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR" };
    kube_watch_decoder_t *dec = NULL;
    char chunk[64 * 1024];
    size_t n;
    int rc = 0;
    kube_error_t err = kube_watch_decoder_new(&dec, 0, mem);
    if (err)
        return fail("watch decoder", err);
    for (;;) {
        kube_watch_event_t ev;
        err = kube_watch_decoder_next(dec, &ev);
        if (err == KUBE_EAGAIN) {
            n = fread(chunk, 1, sizeof chunk, stdin);
            if (n == 0)
                kube_watch_decoder_finish(dec);
            else if ((err = kube_watch_decoder_feed(dec, chunk, n)) != KUBE_OK) {
                rc = fail("watch", err);
                break;
            }
            continue;
        }
        if (err) {
            rc = fail("watch", err);
            break;
        }
        if (ev.type == KUBE_WATCH_END) {
            kube_watch_event_dispose(&ev);
            break;
        }
        if (ev.type == KUBE_WATCH_BOOKMARK)
            printf("%-10s resourceVersion %s\n", names[ev.type], ev.resource_version);
        else if (ev.type == KUBE_WATCH_ERROR)
            printf("%-10s %s\n", names[ev.type], ev.status ? ev.status->message : "");
        else
            print_pod(names[ev.type], kube_json_doc_root(ev.object));
        (*count)++;
        kube_watch_event_dispose(&ev);
    }
    kube_watch_decoder_free(dec);
    return rc;
}

int main(int argc, char **argv)
{
    heap_count_t hc = { 0, 0 };
    kube_mem_t mem = { &hc, count_malloc, count_free, count_calloc, count_realloc };
    size_t count = 0;
    int watch = argc > 1 && strcmp(argv[1], "--watch") == 0;
    int rc;
    if (argc > 1 && !watch) {
        fprintf(stderr, "usage: %s [--watch] < podlist-or-watch-stream\n", argv[0]);
        return 2;
    }
    rc = watch ? run_watch(&mem, &count) : run_list(&mem, &count);
    fprintf(stderr, "pod_table: %zu %s, peak heap %zu KiB, %zu bytes still held\n", count,
            watch ? "events" : "pods", hc.peak / 1024, hc.live);
    return rc ? rc : hc.live != 0;
}
