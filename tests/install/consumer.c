/* A downstream program: built against the installed headers and libraries only. */
#include <kube.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    kube_buf_t buf;
    if (strcmp(kube_version_string(), KUBE_VERSION_STRING) != 0) {
        fprintf(stderr, "header/library version mismatch: %s vs %s\n", KUBE_VERSION_STRING, kube_version_string());
        return 1;
    }
    if (kube_global_init(0) != 1)
        return 1;
    kube_buf_init(&buf, NULL);
    if (kube_buf_printf(&buf, "libkube %s", kube_version_string()) != KUBE_OK)
        return 1;
    printf("%s; %s\n", buf.ptr, kube_strerror(KUBE_ENOTFOUND));
    kube_buf_dispose(&buf);
    return kube_global_cleanup();
}
