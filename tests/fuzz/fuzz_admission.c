/* AdmissionReview / ConversionReview bodies: decode, answer, write. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kube/admission.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kube_json_doc_t *doc = NULL;
    kube_admission_request_t req;
    kube_conversion_request_t creq;
    kube_buf_t b;

    if (kube_admission_review_parse(&doc, &req, (const char *)data, size, NULL) == KUBE_OK) {
        kube_admission_response_t *resp = NULL;
        if (kube_admission_response_new(&resp, &req, NULL) != KUBE_OK)
            abort();
        kube_buf_init(&b, NULL);
        if (kube_admission_response_set_patch_json(resp, "[]", 2) != KUBE_OK ||
            kube_admission_response_add_warning(resp, req.uid) != KUBE_OK ||
            kube_admission_response_write(&b, resp) != KUBE_OK)
            abort();
        if (req.operation == KUBE_ADMISSION_DELETE && kube_admission_response_deny(resp, "no") != KUBE_OK)
            abort();
        kube_buf_dispose(&b);
        kube_admission_response_free(resp);
        kube_json_doc_free(doc);
    }
    doc = NULL;
    if (kube_conversion_review_parse(&doc, &creq, (const char *)data, size, NULL) == KUBE_OK) {
        kube_conversion_response_t *resp = NULL;
        kube_json_iter_t it;
        const kube_json_t *o;
        if (kube_conversion_response_new(&resp, &creq, NULL) != KUBE_OK)
            abort();
        kube_json_iter_init(&it, creq.objects);
        while ((o = kube_json_iter_next(&it, NULL, NULL)))
            if (kube_json_type(o) == KUBE_JSON_OBJECT && kube_conversion_response_add_copy(resp, o) != KUBE_OK)
                abort();
        kube_buf_init(&b, NULL);
        if (kube_conversion_response_write(&b, resp) != KUBE_OK)
            abort();
        kube_buf_dispose(&b);
        kube_conversion_response_free(resp);
        kube_json_doc_free(doc);
    }
    return 0;
}
