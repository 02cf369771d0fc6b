/**
 * @file backoff.h
 * @brief Retry backoff as a pure function of time: exponential with jitter, reset after health.
 *
 * The policy of kube-runtime's `DefaultBackoff` and client-go's reflector
 * (`NewExponentialBackoffManager(800ms, 30s, 2min, 2.0, 1.0)`): the base delay
 * starts at 800 ms and doubles after every failure up to 30 s; jitter adds a
 * uniformly random share of the base on top (with the default jitter of 1.0 a
 * delay lies in [base, 2 × base], so at the plateau in [30 s, 60 s], exactly as
 * kube-rs and client-go behave; set `jitter` lower for a tighter bound); and
 * when more than 120 s have passed since the previous failure (the operation
 * was healthy that long) the next failure starts again at 800 ms.
 *
 * Nothing here reads a clock or a global random source: the caller passes the
 * time (any monotonic milliseconds) and seeds the generator, so tests drive
 * time explicitly and results are reproducible.
 *
 * Thread-safety: a kube_backoff_t is plain caller-owned data; it may move
 * between threads but must not be used concurrently.
 * @since 0.1
 */
#ifndef KUBE_BACKOFF_H
#define KUBE_BACKOFF_H

#include <kube/common.h>
#include <kube/error.h>

KUBE_BEGIN_DECL

/** Current version of kube_backoff_config_t. */
#define KUBE_BACKOFF_CONFIG_VERSION 1

/** Backoff parameters. A versioned parameter struct: start from KUBE_BACKOFF_CONFIG_INIT. */
typedef struct kube_backoff_config {
    unsigned int version;    /**< KUBE_BACKOFF_CONFIG_VERSION */
    uint64_t initial_ms;     /**< the first base delay (default 800) */
    uint64_t max_ms;         /**< the largest base delay (default 30000) */
    double factor;           /**< growth per failure, at least 1 (default 2.0) */
    double jitter;           /**< random share of the base added on top, 0 to 1 (default 1.0) */
    uint64_t reset_after_ms; /**< quiet time after which the backoff restarts; 0 never (default 120000) */
} kube_backoff_config_t;

/** Static initialiser with kube-runtime's DefaultBackoff parameters. */
#define KUBE_BACKOFF_CONFIG_INIT { KUBE_BACKOFF_CONFIG_VERSION, 800, 30000, 2.0, 1.0, 120000 }

/** Current version of kube_backoff_t. */
#define KUBE_BACKOFF_VERSION 1

/**
 * Backoff state: caller-owned storage set up by kube_backoff_init(); no
 * dispose is needed. The fields are private: use the functions.
 */
typedef struct kube_backoff {
    unsigned int version;         /**< KUBE_BACKOFF_VERSION */
    kube_backoff_config_t config; /**< private: the parameters */
    uint64_t base_ms;             /**< private: the base of the next delay */
    uint64_t last_failure_ms;     /**< private: the time of the last kube_backoff_next() */
    int has_failure;              /**< private: kube_backoff_next() was called since the last reset */
    unsigned int attempts;        /**< private: failures since the last reset */
    uint64_t rng;                 /**< private: the jitter generator's state */
} kube_backoff_t;

/**
 * Set up a backoff.
 *
 * @param[out] b the storage to initialise.
 * @param config the parameters (copied), or NULL for KUBE_BACKOFF_CONFIG_INIT.
 * @param seed seeds the jitter generator (any value; equal seeds give equal delays).
 * @return KUBE_OK; KUBE_EINVAL (NULL @p b, unknown config version, initial_ms 0,
 *         max_ms below initial_ms, factor below 1 or not finite, jitter outside
 *         0 to 1).
 * Thread-safety: Not thread-safe: use a backoff from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_backoff_init(kube_backoff_t *b, const kube_backoff_config_t *config, uint64_t seed);

/**
 * A failure happened at @p now_ms: how long to wait before retrying.
 *
 * If more than reset_after_ms passed since the previous failure, the backoff
 * first restarts from initial_ms. The delay is the current base plus jitter
 * (base + U × jitter × base, U uniform in [0, 1]); the base then grows by
 * factor, up to max_ms.
 *
 * @param b the backoff.
 * @param now_ms the current time in milliseconds (any monotonic origin; a time
 *        earlier than the previous call counts as no time passed).
 * @return the delay in milliseconds (0 for a NULL @p b).
 * Thread-safety: Not thread-safe: use a backoff from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN uint64_t kube_backoff_next(kube_backoff_t *b, uint64_t now_ms);

/**
 * Report that the operation is working at @p now_ms. Once more than
 * reset_after_ms have passed since the last failure, the backoff restarts (the
 * next failure waits initial_ms again). Calling it is optional:
 * kube_backoff_next() applies the same rule; it lets a driver see the reset.
 *
 * @param b the backoff.
 * @param now_ms the current time in milliseconds.
 * @return 1 when the backoff is (now) at its initial state, 0 while failures
 *         are still counted (and for a NULL @p b).
 * Thread-safety: Not thread-safe: use a backoff from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN int kube_backoff_healthy(kube_backoff_t *b, uint64_t now_ms);

/**
 * Restart the backoff at once (the next failure waits initial_ms). The jitter
 * generator keeps its state.
 * @param b the backoff (NULL does nothing).
 * Thread-safety: Not thread-safe: use a backoff from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN void kube_backoff_reset(kube_backoff_t *b);

/**
 * Failures counted since the last reset.
 * @param b the backoff.
 * @return the count (0 for NULL).
 * Thread-safety: Not thread-safe: use a backoff from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN unsigned int kube_backoff_attempts(const kube_backoff_t *b);

KUBE_END_DECL

#endif /* KUBE_BACKOFF_H */
