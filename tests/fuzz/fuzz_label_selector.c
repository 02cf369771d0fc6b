/* Label selector parser: parse, print, re-parse must print the same; LabelSelector JSON round trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kube/selector.h>

static char *cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const kube_kv_t labels[] = {{"app", "web"}, {"tier", "frontend"}, {"n", "42"}, {"x", ""}};
    kube_label_selector_t *sel = NULL, *again = NULL, *back = NULL;
    kube_buf_t b1, b2;
    char *s = cstr(data, size);

    if (kube_label_selector_parse(&sel, s, NULL) == KUBE_OK) {
        int m = kube_label_selector_matches_kv(sel, labels, 4);
        kube_buf_init(&b1, NULL);
        kube_buf_init(&b2, NULL);
        if (kube_label_selector_format(&b1, sel) != KUBE_OK)
            abort();
        if (kube_label_selector_parse(&again, b1.ptr, NULL) != KUBE_OK)
            abort();
        if (kube_label_selector_format(&b2, again) != KUBE_OK || strcmp(b1.ptr, b2.ptr) != 0)
            abort();
        if (kube_label_selector_matches_kv(again, labels, 4) != m)
            abort();
        /* Selectors without > and < survive the LabelSelector form with the same meaning. */
        kube_json_mut_doc_t *doc = NULL;
        kube_json_mut_t *v = NULL;
        kube_json_doc_t *frozen = NULL;
        if (kube_json_mut_doc_new(&doc, NULL) == KUBE_OK && kube_label_selector_to_json(&v, doc, sel) == KUBE_OK) {
            if (kube_json_mut_freeze(&frozen, v, NULL) != KUBE_OK)
                abort();
            if (kube_label_selector_from_json(&back, kube_json_doc_root(frozen), NULL) != KUBE_OK)
                abort();
            if (kube_label_selector_matches_kv(back, labels, 4) != m)
                abort();
        }
        kube_json_doc_free(frozen);
        kube_json_mut_doc_free(doc);
        kube_buf_dispose(&b1);
        kube_buf_dispose(&b2);
    }
    kube_label_selector_free(back);
    kube_label_selector_free(again);
    kube_label_selector_free(sel);
    free(s);
    return 0;
}
