/* The refcounted process-wide init (kcore has no global state; higher layers hook in). */
#include <kube/global.h>
#include <kube/error.h>
#include <stdatomic.h>

static atomic_int init_count;
static unsigned int init_flags;

int kube_global_init(unsigned int flags)
{
    int n;
    if (flags & ~KUBE_GLOBAL_NO_CURL)
        return kube_error_setf(KUBE_EINVAL, "kube_global_init: unknown flags 0x%x", flags & ~KUBE_GLOBAL_NO_CURL);
    n = atomic_fetch_add(&init_count, 1) + 1;
    if (n == 1)
        init_flags = flags;
    return n;
}

int kube_global_cleanup(void)
{
    int n = atomic_load(&init_count);
    if (n <= 0)
        return kube_error_setf(KUBE_EINVAL, "kube_global_cleanup called without a matching kube_global_init");
    n = atomic_fetch_sub(&init_count, 1) - 1;
    if (n == 0)
        init_flags = 0;
    return n;
}

unsigned int kube_global_flags(void)
{
    return atomic_load(&init_count) > 0 ? init_flags : 0;
}
