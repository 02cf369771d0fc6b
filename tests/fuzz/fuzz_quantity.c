/* Fuzz Quantity parsing: anything that parses prints a canonical form that parses
 * back to the same value and prints identically. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kube/quantity.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kube_quantity_t q, r;
    kube_buf_t a, b;
    int64_t v;
    if (kube_quantity_parse(&q, (const char *)data, size) != KUBE_OK)
        return 0;
    kube_buf_init(&a, NULL);
    kube_buf_init(&b, NULL);
    if (kube_quantity_format(&a, &q) != KUBE_OK)
        abort();
    if (kube_quantity_parse(&r, a.ptr, a.size) != KUBE_OK)
        abort();
    if (kube_quantity_cmp(&q, &r) != 0)
        abort();
    if (kube_quantity_format(&b, &r) != KUBE_OK || a.size != b.size || memcmp(a.ptr, b.ptr, a.size) != 0)
        abort();
    (void)kube_quantity_value(&q, &v);
    (void)kube_quantity_milli_value(&q, &v);
    (void)kube_quantity_scaled_value(&q, -9, &v);
    kube_buf_dispose(&a);
    kube_buf_dispose(&b);
    return 0;
}
