/* GroupVersion parse -> print -> parse is the identity; version ordering is antisymmetric;
 * plural guessing never fails on a non-empty kind. Input: "<apiVersion>\n<kind-or-version>". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kube/resource.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), *second;
    kube_gv_t gv, gv2;
    kube_gvk_t gvk;
    kube_buf_t b;
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    second = strchr(s, '\n');
    if (second)
        *second++ = '\0';
    else
        second = s;

    if (kube_gv_parse(&gv, s) == KUBE_OK) {
        kube_buf_init(&b, NULL);
        if (kube_gv_format(&b, &gv) != KUBE_OK)
            abort();
        if (kube_gv_parse(&gv2, b.ptr) != KUBE_OK)
            abort();
        if (strcmp(gv.group, gv2.group) != 0 || strcmp(gv.version, gv2.version) != 0)
            abort();
        kube_buf_dispose(&b);
        if (kube_gvk_parse(&gvk, s, second) == KUBE_OK) {
            kube_resource_t *res = NULL;
            if (kube_resource_new_gvk(&res, &gvk, KUBE_SCOPE_NAMESPACED, NULL) != KUBE_OK)
                abort();
            kube_buf_init(&b, NULL);
            if (kube_resource_api_version(&b, res) != KUBE_OK)
                abort();
            if (kube_gv_parse(&gv2, b.ptr) != KUBE_OK || strcmp(gv2.version, gv.version) != 0)
                abort();
            kube_buf_dispose(&b);
            kube_resource_free(res);
        }
    }
    if (second[0]) {
        kube_buf_init(&b, NULL);
        if (kube_resource_guess_plural(&b, second) != KUBE_OK || b.size == 0)
            abort();
        kube_buf_dispose(&b);
    }
    int ab = kube_api_version_compare(s, second), ba = kube_api_version_compare(second, s);
    if ((ab > 0) != (ba < 0) || (ab == 0) != (ba == 0))
        abort();
    ab = kube_api_version_generation_compare(s, second);
    ba = kube_api_version_generation_compare(second, s);
    if ((ab > 0) != (ba < 0) || (ab == 0) != (ba == 0))
        abort();
    free(s);
    return 0;
}
