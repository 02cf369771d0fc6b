/**
 * @file global.h
 * @brief Refcounted process-wide initialisation.
 *
 * kcore itself needs no global state; kube_global_init() exists so that an
 * application has one call to make for every layer it links. Each layer that
 * has process-wide setup (kclient: libcurl's global init, unless
 * KUBE_GLOBAL_NO_CURL) performs it on the first init and undoes it on the last
 * cleanup.
 *
 * Thread-safety: the counter is atomic, but init and cleanup must not race with
 * each other; call them from the main thread before and after other threads use
 * libkube.
 * @since 0.1
 */
#ifndef KUBE_GLOBAL_H
#define KUBE_GLOBAL_H

#include <kube/common.h>

KUBE_BEGIN_DECL

/** Flag: the application initialises libcurl itself; libkube must not call curl_global_init. */
#define KUBE_GLOBAL_NO_CURL 0x1u

/**
 * Initialise libkube (refcounted: every call needs a matching kube_global_cleanup()).
 *
 * @param flags KUBE_GLOBAL_* flags; only the first call's flags take effect.
 * @return the number of initialisations now in force (>= 1), or KUBE_EINVAL for
 *         unknown flags.
 */
KUBE_EXTERN int kube_global_init(unsigned int flags);

/**
 * Undo one kube_global_init().
 * @return the number of initialisations still in force (0 after the last), or
 *         KUBE_EINVAL when called more often than kube_global_init().
 */
KUBE_EXTERN int kube_global_cleanup(void);

/** The flags given to the first kube_global_init() in force, or 0 when not initialised. */
KUBE_EXTERN unsigned int kube_global_flags(void);

KUBE_END_DECL

#endif /* KUBE_GLOBAL_H */
