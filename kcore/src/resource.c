/* Resource identity: descriptors, GroupVersion/GVK/GVR values, plurals, version ordering. */
#include <string.h>

#include <kube/resource.h>

#include "alloc_int.h"

kube_error_t kube_resource_api_version(kube_buf_t *out, const kube_resource_t *res)
{
    if (!out || !res || !res->group || !res->version || !res->version[0])
        return kube_error_setf(KUBE_EINVAL, "resource api_version: missing %s",
                               (!out || !res) ? "argument" : "group or version");
    if (res->group[0])
        return kube_buf_printf(out, "%s/%s", res->group, res->version);
    return kube_buf_puts(out, res->version);
}
