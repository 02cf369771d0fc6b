/* Fuzz Quantity parsing: anything that parses prints a canonical form that parses
 * back to the same value; after one round trip the printed form is stable. (Not
 * after zero: a binary-SI value without a binary suffix, such as 62.5Ki printed
 * as 64000, reads back as decimal SI and then prints as 64k, as in apimachinery.) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kube/quantity.h>

static void print_parse(kube_buf_t *out, kube_quantity_t *next, const kube_quantity_t *q)
{
    kube_buf_clear(out);
    if (kube_quantity_format(out, q) != KUBE_OK)
        abort();
    if (kube_quantity_parse(next, out->ptr, out->size) != KUBE_OK)
        abort();
    if (kube_quantity_cmp(q, next) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kube_quantity_t q, r, r2, r3;
    kube_buf_t a, b;
    int64_t v;
    if (kube_quantity_parse(&q, (const char *)data, size) != KUBE_OK)
        return 0;
    kube_buf_init(&a, NULL);
    kube_buf_init(&b, NULL);
    print_parse(&a, &r, &q);
    print_parse(&a, &r2, &r);
    print_parse(&b, &r3, &r2);
    if (a.size != b.size || memcmp(a.ptr, b.ptr, a.size) != 0)
        abort();
    (void)kube_quantity_value(&q, &v);
    (void)kube_quantity_milli_value(&q, &v);
    (void)kube_quantity_scaled_value(&q, -9, &v);
    kube_buf_dispose(&a);
    kube_buf_dispose(&b);
    return 0;
}
