/* Fuzz the watch decoder: the first byte picks a split point, the rest is the stream.
 * The stream is fed in two pieces (byte-wise when the split byte is odd), draining after
 * each, and must give the same events as when fed whole. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kube/watch.h>

static size_t run(const char *data, size_t len, size_t split, int bytewise, unsigned *types, size_t ntypes)
{
    kube_watch_decoder_t *dec;
    kube_watch_event_t ev;
    size_t count = 0, off = 0;
    if (kube_watch_decoder_new(&dec, 1 << 24, NULL) != KUBE_OK)
        abort();
    while (off < len) {
        size_t n = off < split ? split - off : len - off;
        if (bytewise)
            n = 1;
        if (kube_watch_decoder_feed(dec, data + off, n) != KUBE_OK)
            break;
        off += n;
        while (kube_watch_decoder_next(dec, &ev) == KUBE_OK && ev.type != KUBE_WATCH_END) {
            if (count < ntypes)
                types[count] = (unsigned)ev.type;
            count++;
            if (!ev.resource_version || (ev.type == KUBE_WATCH_ERROR) != (ev.status != NULL))
                abort();
            kube_watch_event_dispose(&ev);
        }
    }
    kube_watch_decoder_finish(dec);
    while (kube_watch_decoder_next(dec, &ev) == KUBE_OK && ev.type != KUBE_WATCH_END) {
        if (count < ntypes)
            types[count] = (unsigned)ev.type;
        count++;
        kube_watch_event_dispose(&ev);
    }
    kube_watch_decoder_free(dec);
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned a[64], b[64];
    size_t na, nb, split;
    if (size < 1)
        return 0;
    split = size > 1 ? data[0] % (size - 1) : 0;
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    na = run((const char *)data + 1, size - 1, 0, 0, a, 64);
    nb = run((const char *)data + 1, size - 1, split, data[0] & 1, b, 64);
    /* splitting never changes what is decoded (inputs stay below the size limit) */
    if (na != nb || memcmp(a, b, sizeof a) != 0)
        abort();
    return 0;
}
