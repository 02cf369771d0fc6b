/* Field selector parser: parse, print, re-parse must print the same and match the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kube/selector.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char pod[] = "{\"metadata\":{\"name\":\"web\",\"namespace\":\"prod\"},\"spec\":{\"nodeName\":\"a,b=c\","
                              "\"hostNetwork\":true,\"n\":5},\"status\":{\"phase\":\"Running\"}}";
    kube_field_selector_t *sel = NULL, *again = NULL;
    kube_json_doc_t *obj = NULL;
    kube_buf_t b1, b2;
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    if (kube_json_parse(&obj, pod, sizeof pod - 1, NULL) != KUBE_OK)
        abort();
    if (kube_field_selector_parse(&sel, s, NULL) == KUBE_OK) {
        int m = kube_field_selector_matches(sel, kube_json_doc_root(obj));
        kube_buf_init(&b1, NULL);
        kube_buf_init(&b2, NULL);
        if (kube_field_selector_format(&b1, sel) != KUBE_OK)
            abort();
        if (kube_field_selector_parse(&again, b1.ptr, NULL) != KUBE_OK)
            abort();
        if (kube_field_selector_format(&b2, again) != KUBE_OK || strcmp(b1.ptr, b2.ptr) != 0)
            abort();
        if (kube_field_selector_matches(again, kube_json_doc_root(obj)) != m)
            abort();
        kube_buf_dispose(&b1);
        kube_buf_dispose(&b2);
    }
    kube_field_selector_free(again);
    kube_field_selector_free(sel);
    kube_json_doc_free(obj);
    free(s);
    return 0;
}
