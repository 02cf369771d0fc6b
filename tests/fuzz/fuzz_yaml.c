/* Fuzz target: kube_yaml_parse_stream and kube_yaml_parse; every document produced
 * must be written as JSON that parses back to an equal value. */
#include <stdint.h>
#include <stdlib.h>
#include <kube/json.h>
#include <kube/yaml.h>

static int check_doc(kube_json_doc_t *doc, void *ud)
{
    kube_buf_t b;
    kube_json_doc_t *again = NULL;
    (void)ud;
    kube_buf_init(&b, NULL);
    if (kube_json_write(&b, kube_json_doc_root(doc), 0) != KUBE_OK)
        abort();
    if (kube_json_parse(&again, b.ptr, b.size, NULL) != KUBE_OK)
        abort();
    if (!kube_json_equal(kube_json_doc_root(doc), kube_json_doc_root(again)))
        abort();
    kube_json_doc_free(again);
    kube_buf_dispose(&b);
    kube_json_doc_free(doc);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kube_json_parse_opts_t opts = KUBE_JSON_PARSE_OPTS_INIT;
    kube_json_doc_t *doc = NULL;
    opts.max_depth = 100;
    kube_yaml_parse_stream((const char *)data, size, &opts, check_doc, NULL);
    if (kube_yaml_parse(&doc, (const char *)data, size, &opts) == KUBE_OK)
        check_doc(doc, NULL);
    return 0;
}
