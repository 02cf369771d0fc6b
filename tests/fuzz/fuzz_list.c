/* Fuzz the list decoder: the first byte picks a split point, the rest is the body.
 * Fed whole and in two pieces (byte-wise when the split byte is odd), the decoder must hand
 * out the same number of items and reach the same result. */
#include <stdint.h>
#include <stdlib.h>
#include <kube/list.h>

static kube_error_t run(const char *data, size_t len, size_t split, int bytewise, size_t *items)
{
    kube_list_decoder_t *dec;
    kube_json_doc_t *item;
    kube_error_t rc = KUBE_EAGAIN;
    size_t off = 0;
    *items = 0;
    if (kube_list_decoder_new(&dec, 1 << 16, NULL) != KUBE_OK)
        abort();
    while (off < len) {
        size_t n = off < split ? split - off : len - off;
        if (bytewise)
            n = 1;
        if ((rc = kube_list_decoder_feed(dec, data + off, n)) != KUBE_OK)
            goto out;
        off += n;
        while ((rc = kube_list_decoder_next(dec, &item)) == KUBE_OK && item) {
            if (kube_json_type(kube_json_doc_root(item)) != KUBE_JSON_OBJECT)
                abort();
            kube_json_doc_free(item);
            ++*items;
        }
        if (rc != KUBE_OK && rc != KUBE_EAGAIN)
            goto out;
    }
    kube_list_decoder_finish(dec);
    while ((rc = kube_list_decoder_next(dec, &item)) == KUBE_OK && item) {
        kube_json_doc_free(item);
        ++*items;
    }
    (void)kube_list_decoder_kind(dec);
    (void)kube_list_decoder_continue(dec);
    (void)kube_list_decoder_remaining_item_count(dec);
out:
    kube_list_decoder_free(dec);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t na, nb, split;
    kube_error_t ra, rb;
    if (size < 1)
        return 0;
    split = size > 1 ? data[0] % (size - 1) : 0;
    ra = run((const char *)data + 1, size - 1, 0, 0, &na);
    rb = run((const char *)data + 1, size - 1, split, data[0] & 1, &nb);
    if (ra != rb || na != nb)
        abort();
    return 0;
}
