/* Run-time version reporting. */
#include <kube/version.h>

const char *kube_version_string(void)
{
    return KUBE_VERSION_STRING;
}

unsigned int kube_version_num(void)
{
    return KUBE_VERSION_NUM;
}

