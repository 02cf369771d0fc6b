/* Kubernetes value types: resource quantities, Go durations, RFC 3339 timestamps and
 * IntOrString percentages, parsed and printed in their canonical forms.
 *
 *   example-quantities [value ...]
 *
 * Each argument is tried as a quantity, a duration and a timestamp, in that order
 * (so "-1m" is minus one milli-unit, a valid quantity, not minus one minute).
 * Without arguments a few typical values are shown.
 */
#include <stdio.h>
#include <string.h>

#include <kube/buf.h>
#include <kube/duration.h>
#include <kube/error.h>
#include <kube/intorstr.h>
#include <kube/quantity.h>
#include <kube/timestamp.h>

static int show(const char *text)
{
    kube_buf_t out;
    kube_quantity_t q;
    kube_timestamp_t ts;
    int64_t ns, v;
    size_t len = strlen(text);
    kube_buf_init(&out, NULL);
    if (kube_quantity_parse(&q, text, len) == KUBE_OK && kube_quantity_format(&out, &q) == KUBE_OK) {
        printf("%-28s quantity   %-22s", text, out.ptr);
        if (kube_quantity_milli_value(&q, &v) == KUBE_OK)
            printf(" milli=%lld", (long long)v);
        if (kube_quantity_value(&q, &v) == KUBE_OK)
            printf(" value=%lld", (long long)v);
        else
            printf(" value=(%s)", kube_error_name(kube_error_last()->code));
        printf("\n");
    } else if (kube_duration_parse(&ns, text, len) == KUBE_OK && kube_duration_format(&out, ns) == KUBE_OK) {
        printf("%-28s duration   %-22s ns=%lld\n", text, out.ptr, (long long)ns);
    } else if (kube_timestamp_parse(&ts, text, len) == KUBE_OK && kube_timestamp_format(&out, &ts) == KUBE_OK) {
        size_t cut = out.size;
        kube_timestamp_format_micro(&out, &ts);
        printf("%-28s timestamp  %.*s  micro=%s unix=%lld.%09d\n", text, (int)cut, out.ptr, out.ptr + cut,
               (long long)ts.seconds, (int)ts.nanos);
    } else {
        printf("%-28s not a quantity, duration or timestamp\n", text);
        kube_buf_dispose(&out);
        return 1;
    }
    kube_buf_dispose(&out);
    return 0;
}

int main(int argc, char **argv)
{
    static const char *defaults[] = {
        "100m", "1.5Gi", "1024Ki", "0.5", "2e3", "1E", "+1", "-5Ki", "9Ei",
        "1h2m3.5s", "300ms", "1.5h", "-1m30s",
        "2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00.123456789Z",
    };
    int failed = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            failed |= show(argv[i]);
        return failed;
    }
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
        failed |= show(defaults[i]);

    /* maxUnavailable: "25%" of 10 replicas, rounded down and up. */
    {
        kube_intorstr_t pct;
        int64_t down = 0, up = 0;
        kube_intorstr_from_string(&pct, "25%");
        if (kube_intorstr_scaled_value(&down, &pct, 10, 0) != KUBE_OK ||
            kube_intorstr_scaled_value(&up, &pct, 10, 1) != KUBE_OK)
            return 1;
        printf("%-28s percent    of 10: down=%lld up=%lld\n", "25%", (long long)down, (long long)up);
    }

    /* Quantities compare by value, whatever their suffix. */
    {
        kube_quantity_t a, b;
        kube_quantity_parse(&a, "1Gi", 3);
        kube_quantity_parse(&b, "1000M", 5);
        printf("1Gi %s 1000M\n", kube_quantity_cmp(&a, &b) > 0 ? ">" : "<=");
    }
    return failed;
}
