/* Fuzz Status decoding and HTTP answer classification. The first byte picks the HTTP status
 * and the Content-Type; the rest is the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kube/status.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int codes[] = { 200, 400, 401, 403, 404, 409, 410, 422, 429, 500, 503, 504, 418, 302 };
    static const char *types[] = { NULL, "application/json", "text/plain", "application/json; charset=utf-8" };
    kube_status_t *st = NULL;
    const char *body;
    size_t len;
    if (size < 1)
        return 0;
    body = (const char *)data + 1;
    len = size - 1;
    if (kube_status_parse(&st, body, len, NULL) == KUBE_OK) {
        if (!st->status || !st->message || !st->reason || !st->details_name || !st->continue_token)
            abort();
        for (size_t i = 0; i < st->cause_count; i++)
            if (!st->causes[i].reason || !st->causes[i].message || !st->causes[i].field)
                abort();
        (void)kube_status_error(st, 0);
        (void)kube_status_is_gone(st);
        kube_status_free(st);
    }
    int code = codes[data[0] % (sizeof codes / sizeof codes[0])];
    kube_error_t rc = kube_status_classify(&st, code, types[(data[0] >> 4) % 4], body, len, NULL);
    if ((code < 400) != (rc == KUBE_OK) || (rc != KUBE_OK && rc != KUBE_ENOMEM && !st))
        abort();
    if (st && strlen(kube_error_last()->message) == 0)
        abort();
    kube_status_free(st);
    return 0;
}
