/**
 * @file timestamp.h
 * @brief RFC 3339 timestamps: metav1.Time (seconds, `2024-05-01T10:00:00Z`) and
 *        metav1.MicroTime (exactly 6 fractional digits), to and from Unix time.
 *
 * A timestamp is Unix time: seconds since 1970-01-01T00:00:00Z plus nanoseconds.
 * The calendar arithmetic is libkube's own (proleptic Gregorian, no leap seconds,
 * as Go's time package), so results never depend on the process's time zone or
 * the C library's time functions.
 *
 * Parsing follows Go's `time.Parse(time.RFC3339, s)`: `YYYY-MM-DDTHH:MM:SS`, an
 * optional `.` and fraction (any number of digits; digits past nanoseconds are
 * truncated), then `Z` or a `+hh:mm`/`-hh:mm` offset (hours 00-23, minutes
 * 00-59). The day must exist in its month; hour 24 and second 60 are rejected.
 * Output is always UTC with `Z`: metav1.Time drops the fraction,
 * metav1.MicroTime keeps 6 digits (truncated), and the RFC3339Nano form keeps
 * up to 9 digits without trailing zeros (the form of `kubectl logs --timestamps`).
 *
 * Thread-safety: values and functions only; safe from any thread.
 * @since 0.1
 */
#ifndef KUBE_TIMESTAMP_H
#define KUBE_TIMESTAMP_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>

KUBE_BEGIN_DECL

/** Current version of kube_timestamp_t. */
#define KUBE_TIMESTAMP_VERSION 1

/** An instant: Unix seconds plus nanoseconds (0-999999999). A plain value. */
typedef struct kube_timestamp {
    unsigned int version; /**< KUBE_TIMESTAMP_VERSION */
    int64_t seconds;      /**< seconds since 1970-01-01T00:00:00Z (negative before) */
    int32_t nanos;        /**< nanoseconds within the second, 0-999999999 */
} kube_timestamp_t;

/**
 * Parse an RFC 3339 timestamp with any fraction (metav1.Time accepts one).
 *
 * @param[out] out the instant; untouched on error.
 * @param s the text (need not be NUL-terminated); @p len its length.
 * @return KUBE_OK; KUBE_EINVAL for malformed text or a field out of range
 *         (kube_error_last() names the field and the offset); KUBE_EINVAL also
 *         for NULL pointers.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_timestamp_parse(kube_timestamp_t *out, const char *s, size_t len);

/**
 * Parse a metav1.MicroTime: as kube_timestamp_parse() but the fraction must be
 * present with exactly 6 digits (`2006-01-02T15:04:05.000000Z07:00`).
 * @param[out] out the instant; untouched on error.
 * @param s the text (need not be NUL-terminated).
 * @param len its length.
 * @return as kube_timestamp_parse().
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_timestamp_parse_micro(kube_timestamp_t *out, const char *s, size_t len);

/**
 * Append the metav1.Time form (`2024-05-01T10:00:00Z`; the fraction is dropped).
 *
 * @param[out] out buffer to append to.
 * @param ts the instant.
 * @return KUBE_OK; KUBE_ERANGE for a year outside 0000-9999; KUBE_EINVAL (NULL,
 *         nanos out of range); KUBE_ENOMEM (the buffer keeps its content).
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_timestamp_format(kube_buf_t *out, const kube_timestamp_t *ts);

/**
 * Append the metav1.MicroTime form (`2024-05-01T10:00:00.123456Z`; truncated).
 * @param[out] out buffer to append to.
 * @param ts the instant.
 * @return as kube_timestamp_format().
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_timestamp_format_micro(kube_buf_t *out, const kube_timestamp_t *ts);

/**
 * Append the RFC3339Nano form (`2024-05-01T10:00:00.1234Z`: up to 9 digits, no
 * trailing zeros, no fraction when it is zero).
 * @param[out] out buffer to append to.
 * @param ts the instant.
 * @return as kube_timestamp_format().
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_timestamp_format_nano(kube_buf_t *out, const kube_timestamp_t *ts);

/**
 * Make a timestamp from Unix seconds and nanoseconds; @p nanos may be outside
 * 0-999999999 (or negative) and is normalised into the seconds.
 *
 * @param[out] out the instant.
 * @param seconds Unix seconds.
 * @param nanos nanoseconds to add (any value).
 * @return KUBE_OK; KUBE_ERANGE when the normalised seconds overflow int64;
 *         KUBE_EINVAL for a NULL @p out.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_timestamp_from_unix(kube_timestamp_t *out, int64_t seconds, int64_t nanos);

/**
 * The instant as nanoseconds since the epoch.
 *
 * @param[out] out the result; untouched on error.
 * @return KUBE_OK; KUBE_ERANGE outside about 1677-2262 (int64 nanoseconds);
 *         KUBE_EINVAL for NULL pointers.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_timestamp_to_unix_nanos(const kube_timestamp_t *ts, int64_t *out);

/**
 * Compare two instants.
 * @param a first instant, or NULL.
 * @param b second instant, or NULL.
 * @return -1, 0 or 1 (NULL sorts first).
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN int kube_timestamp_cmp(const kube_timestamp_t *a, const kube_timestamp_t *b);

KUBE_END_DECL

#endif /* KUBE_TIMESTAMP_H */
