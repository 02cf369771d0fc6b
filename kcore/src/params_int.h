/* Internal helpers of the params module, shared with request.c. */
#ifndef KUBE_PARAMS_INT_H
#define KUBE_PARAMS_INT_H

#include <kube/params.h>

/* Check a fieldManager: NULL is fine; at most 128 bytes, no control characters.
 * @p type names the struct in the error message. */
kube_error_t kube_params__check_field_manager(const char *fm, const char *type);

/* Check a kube_get_params_t (version only: every resourceVersion is acceptable). */
kube_error_t kube_params__get_validate(const kube_get_params_t *p);

#endif
