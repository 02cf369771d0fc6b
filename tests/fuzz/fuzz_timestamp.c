/* Fuzz RFC 3339 parsing (Time and MicroTime): a parsed instant within 0000-9999
 * prints in UTC and parses back to the same instant. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kube/timestamp.h>

static void round_trip(const kube_timestamp_t *t)
{
    kube_timestamp_t back;
    kube_buf_t b;
    kube_error_t rc;
    if (t->nanos < 0 || t->nanos > 999999999)
        abort();
    kube_buf_init(&b, NULL);
    rc = kube_timestamp_format_nano(&b, t);
    if (rc == KUBE_OK) {
        if (kube_timestamp_parse(&back, b.ptr, b.size) != KUBE_OK || kube_timestamp_cmp(t, &back) != 0)
            abort();
        kube_buf_clear(&b);
        if (kube_timestamp_format_micro(&b, t) != KUBE_OK || kube_timestamp_parse_micro(&back, b.ptr, b.size) != KUBE_OK)
            abort();
        kube_buf_clear(&b);
        if (kube_timestamp_format(&b, t) != KUBE_OK || b.size != 20)
            abort();
    } else if (rc != KUBE_ERANGE) {
        abort();
    }
    kube_buf_dispose(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kube_timestamp_t t;
    int64_t ns;
    if (kube_timestamp_parse(&t, (const char *)data, size) == KUBE_OK) {
        round_trip(&t);
        (void)kube_timestamp_to_unix_nanos(&t, &ns);
    }
    if (kube_timestamp_parse_micro(&t, (const char *)data, size) == KUBE_OK)
        round_trip(&t);
    return 0;
}
