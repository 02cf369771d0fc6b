/* Fuzz target: kube_json_parse; on success the value must survive write -> parse
 * (compact and pretty) and builder copy -> freeze unchanged (kube_json_equal). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kube/json.h>

static void check_equal_after_write(const kube_json_t *v, unsigned flags)
{
    kube_buf_t b;
    kube_json_doc_t *again = NULL;
    kube_buf_init(&b, NULL);
    if (kube_json_write(&b, v, flags) != KUBE_OK)
        abort();
    if (kube_json_parse(&again, b.ptr, b.size, NULL) != KUBE_OK)
        abort();
    if (!kube_json_equal(v, kube_json_doc_root(again)))
        abort();
    kube_json_doc_free(again);
    kube_buf_dispose(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kube_json_doc_t *doc = NULL, *frozen = NULL;
    kube_json_mut_doc_t *md = NULL;
    kube_json_mut_t *m;
    kube_json_parse_opts_t opts = KUBE_JSON_PARSE_OPTS_INIT;
    size_t used = 0;
    opts.max_depth = 200;
    if (kube_json_parse(&doc, (const char *)data, size, &opts) != KUBE_OK) {
        /* a prefix parse must not crash either */
        if (kube_json_parse_prefix(&doc, &used, (const char *)data, size, &opts) == KUBE_OK) {
            if (used > size)
                abort();
            kube_json_doc_free(doc);
        }
        return 0;
    }
    check_equal_after_write(kube_json_doc_root(doc), 0);
    check_equal_after_write(kube_json_doc_root(doc), KUBE_JSON_WRITE_PRETTY | KUBE_JSON_WRITE_ESCAPE_HTML);
    if (kube_json_mut_doc_new(&md, NULL) != KUBE_OK)
        abort();
    m = kube_json_mut_copy(md, kube_json_doc_root(doc));
    if (!m || kube_json_mut_freeze(&frozen, m, NULL) != KUBE_OK)
        abort();
    if (!kube_json_equal(kube_json_doc_root(doc), kube_json_doc_root(frozen)))
        abort();
    kube_json_doc_free(frozen);
    kube_json_mut_doc_free(md);
    kube_json_doc_free(doc);
    return 0;
}
