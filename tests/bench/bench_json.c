/* JSON parse/write benchmark driver for tests/bench/run (not a test: nothing here is timed
 * by meson). Usage: bench_json FILE [REPS]
 * Prints one JSON object: parse and write throughput (best of REPS), the heap the parse
 * needs (peak live bytes through counting kube_mem_t hooks, per input byte) and the
 * number of allocations per list item. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kube/json.h>
#include <kube/error.h>

typedef struct counter {
    size_t live, peak;
    long allocs;
} counter_t;

typedef union hdr {
    size_t size;
    max_align_t align;
} hdr_t;

static void *c_malloc(size_t n, void *ud)
{
    counter_t *c = ud;
    hdr_t *h = malloc(sizeof *h + n);
    if (!h)
        return NULL;
    h->size = n;
    c->live += n;
    c->allocs++;
    if (c->live > c->peak)
        c->peak = c->live;
    return h + 1;
}

static void c_free(void *p, void *ud)
{
    counter_t *c = ud;
    hdr_t *h;
    if (!p)
        return;
    h = (hdr_t *)p - 1;
    c->live -= h->size;
    free(h);
}

static void *c_calloc(size_t n, size_t s, void *ud)
{
    void *p = c_malloc(n * s, ud);
    if (p)
        memset(p, 0, n * s);
    return p;
}

static void *c_realloc(void *p, size_t n, void *ud)
{
    counter_t *c = ud;
    hdr_t *h, *nh;
    size_t old;
    if (!p)
        return c_malloc(n, ud);
    h = (hdr_t *)p - 1;
    old = h->size;
    nh = realloc(h, sizeof *nh + n);
    if (!nh)
        return NULL;
    nh->size = n;
    c->live = c->live - old + n;
    c->allocs++;
    if (c->live > c->peak)
        c->peak = c->live;
    return nh + 1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    FILE *f;
    long n;
    char *text;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    double best_parse = 1e9, best_write = 1e9;
    counter_t cnt = {0, 0, 0};
    kube_mem_t mem = {&cnt, c_malloc, c_free, c_calloc, c_realloc};
    kube_json_parse_opts_t opts = KUBE_JSON_PARSE_OPTS_INIT;
    kube_json_doc_t *doc = NULL;
    kube_buf_t out;
    size_t items, out_size = 0, events = 0, event_bytes = 0;
    double best_events = 1e9;

    if (argc < 2) {
        fprintf(stderr, "usage: bench_json FILE [REPS [EVENTS.ndjson]]\n");
        return 2;
    }
    if (!(f = fopen(argv[1], "rb"))) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)n + 1);
    if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    fclose(f);

    /* heap accounting run */
    opts.mem = &mem;
    if (kube_json_parse(&doc, text, (size_t)n, &opts) != KUBE_OK) {
        fprintf(stderr, "parse failed: %s\n", kube_error_last()->message);
        return 1;
    }
    items = kube_json_size(kube_json_get(kube_json_doc_root(doc), "items"));
    kube_json_doc_free(doc);

    for (int r = 0; r < reps; r++) {
        double t0 = now_s(), dt;
        if (kube_json_parse(&doc, text, (size_t)n, NULL) != KUBE_OK)
            return 1;
        dt = now_s() - t0;
        if (dt < best_parse)
            best_parse = dt;
        if (r + 1 < reps)
            kube_json_doc_free(doc);
    }
    kube_buf_init(&out, NULL);
    for (int r = 0; r < reps; r++) {
        double t0, dt;
        kube_buf_dispose(&out);
        t0 = now_s();
        if (kube_json_write(&out, kube_json_doc_root(doc), 0) != KUBE_OK)
            return 1;
        dt = now_s() - t0;
        if (dt < best_write)
            best_write = dt;
        out_size = out.size;
    }
    if (argc > 3) {
        /* per watch event: one document per line, parsed and freed in turn */
        FILE *g = fopen(argv[3], "rb");
        long m;
        char *ev;
        if (!g)
            return 1;
        fseek(g, 0, SEEK_END);
        m = ftell(g);
        fseek(g, 0, SEEK_SET);
        ev = malloc((size_t)m + 1);
        if (!ev || fread(ev, 1, (size_t)m, g) != (size_t)m)
            return 1;
        fclose(g);
        for (int r = 0; r < reps; r++) {
            double t0 = now_s(), dt;
            const char *q = ev, *e = ev + m;
            events = 0;
            while (q < e) {
                const char *nl = memchr(q, '\n', (size_t)(e - q));
                size_t l = nl ? (size_t)(nl - q) : (size_t)(e - q);
                kube_json_doc_t *d = NULL;
                if (l) {
                    if (kube_json_parse(&d, q, l, NULL) != KUBE_OK)
                        return 1;
                    kube_json_doc_free(d);
                    events++;
                }
                q += l + 1;
            }
            dt = now_s() - t0;
            if (dt < best_events)
                best_events = dt;
        }
        event_bytes = (size_t)m;
        free(ev);
    }
    printf("{\"event_bytes\":%zu,\"events\":%zu,\"events_s\":%.6f,", event_bytes, events,
           best_events < 1e9 ? best_events : 0.0);
    printf("\"bytes\":%ld,\"items\":%zu,\"parse_s\":%.6f,\"parse_mb_per_s\":%.1f,"
           "\"heap_bytes_per_input_byte\":%.3f,\"heap_peak_bytes\":%zu,\"allocs\":%ld,"
           "\"allocs_per_object\":%.5f,\"write_s\":%.6f,\"write_mb_per_s\":%.1f,\"out_bytes\":%zu}\n",
           n, items, best_parse, (double)n / best_parse / 1e6, (double)cnt.peak / (double)n, cnt.peak,
           cnt.allocs, items ? (double)cnt.allocs / (double)items : 0.0, best_write,
           (double)out_size / best_write / 1e6, out_size);
    kube_buf_dispose(&out);
    kube_json_doc_free(doc);
    free(text);
    return 0;
}
