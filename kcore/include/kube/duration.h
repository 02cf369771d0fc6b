/**
 * @file duration.h
 * @brief Go-style durations (`time.Duration`), the text form of metav1.Duration.
 *
 * Parsing follows Go's time.ParseDuration exactly: an optional sign, then one or
 * more decimal numbers, each with an optional fraction and a required unit
 * (`ns`, `us`, `µs` (U+00B5), `μs` (U+03BC), `ms`, `s`, `m`, `h`), such as
 * `300ms`, `-1.5h` or `2h45m`. `0` alone needs no unit. Fractions are computed
 * as Go computes them (in double precision), so results match to the
 * nanosecond. The range is that of int64 nanoseconds (about 292 years).
 *
 * Formatting follows Go's Duration.String(): `1h2m3.5s`, `0s`, `1.5µs`, `-1m0s`.
 *
 * Thread-safety: functions only; safe from any thread.
 * @since 0.1
 */
#ifndef KUBE_DURATION_H
#define KUBE_DURATION_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>

KUBE_BEGIN_DECL

/** @name Durations in nanoseconds
 * @{ */
#define KUBE_DURATION_NANOSECOND INT64_C(1)                       /**< 1ns */
#define KUBE_DURATION_MICROSECOND INT64_C(1000)                   /**< 1µs */
#define KUBE_DURATION_MILLISECOND INT64_C(1000000)                /**< 1ms */
#define KUBE_DURATION_SECOND INT64_C(1000000000)                  /**< 1s */
#define KUBE_DURATION_MINUTE (INT64_C(60) * KUBE_DURATION_SECOND) /**< 1m */
#define KUBE_DURATION_HOUR (INT64_C(60) * KUBE_DURATION_MINUTE)   /**< 1h */
/** @} */

/**
 * Parse a Go duration string into nanoseconds.
 *
 * @param[out] out_ns the duration; untouched on error.
 * @param s the text (need not be NUL-terminated); @p len its length.
 * @return KUBE_OK; KUBE_EINVAL for malformed text, a missing or unknown unit
 *         (kube_error_last() names the offset); KUBE_ERANGE when the value does not
 *         fit int64 nanoseconds.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_duration_parse(int64_t *out_ns, const char *s, size_t len);

/**
 * Append the Go text form of a duration (Duration.String()) to @p out.
 *
 * @param[out] out buffer to append to.
 * @param ns the duration in nanoseconds.
 * @return KUBE_OK; KUBE_EINVAL for a NULL buffer; KUBE_ENOMEM (buffer unchanged).
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_duration_format(kube_buf_t *out, int64_t ns);

KUBE_END_DECL

#endif /* KUBE_DURATION_H */
