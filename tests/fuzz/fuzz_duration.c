/* Fuzz Go duration parsing: a parsed duration prints as Go does and parses back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kube/duration.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t d, back;
    kube_buf_t b;
    if (kube_duration_parse(&d, (const char *)data, size) != KUBE_OK)
        return 0;
    kube_buf_init(&b, NULL);
    if (kube_duration_format(&b, d) != KUBE_OK)
        abort();
    if (kube_duration_parse(&back, b.ptr, b.size) != KUBE_OK || back != d)
        abort();
    kube_buf_dispose(&b);
    return 0;
}
