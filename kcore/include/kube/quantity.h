/**
 * @file quantity.h
 * @brief resource.Quantity as apimachinery defines it: parse, canonical form,
 *        comparison, and conversion to integers.
 *
 * Grammar (apimachinery `quantity.go`): an optional sign, digits with an optional
 * decimal point, and a suffix: binary SI (`Ki Mi Gi Ti Pi Ei`), decimal SI
 * (`n u m` "" `k M G T P E`) or a decimal exponent (`e3`, `E-6`). Examples:
 * `100m`, `1.5Gi`, `2e3`, `1E`, `+1`, `0.1`, `-5Ki`. apimachinery's quirks are
 * kept: a bare sign, `.` and a suffix without digits (`Ki`) parse as zero;
 * `1.G` is 1G; whitespace is rejected.
 *
 * A quantity is value * 10^scale with an int64 value, plus the format its suffix
 * chose (the format of the canonical form). Like apimachinery, parsing rounds
 * non-zero values up (away from zero) to a multiple of 1n (10^-9), caps binary-SI
 * magnitudes at 2^63-1, and turns binary-SI magnitudes below 1 into decimal SI.
 * Precision limit: apimachinery falls back to arbitrary precision (inf.Dec) for
 * values whose significant digits do not fit 63 bits (for example
 * `9223372036854775808` or `12345678901.123456789`); libkube rejects those with
 * KUBE_ERANGE instead of rounding them. Binary-SI inputs with more than 400
 * significant digits are rejected the same way. Every value apimachinery keeps
 * in its int64 fast path, and every large value with few significant digits
 * (`1e100`, `12E`), is handled exactly.
 *
 * Canonical form (`Quantity.String()`): no fractional digits, the largest suffix
 * of the quantity's format that loses nothing: `1000m` is `1`, `1.5Gi` is
 * `1536Mi`, `0.5` is `500m`, `1024Ki` is `1Mi`, `1.5` is `1500m`. A binary-SI
 * quantity with magnitude below 1024, or not an integer, prints as decimal SI;
 * decimal SI beyond `E` or below `n` prints with an exponent (`1e21`). libkube
 * always prints the computed canonical form, where apimachinery echoes a few
 * already-parsed spellings verbatim (`+1` and `01` print as `1` here).
 *
 * Thread-safety: values and functions only; safe from any thread.
 * @since 0.1
 */
#ifndef KUBE_QUANTITY_H
#define KUBE_QUANTITY_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>

KUBE_BEGIN_DECL

/** The suffix family a quantity is written with. */
typedef enum kube_quantity_format {
    KUBE_QUANTITY_DECIMAL_SI = 0,      /**< `12M` (12 * 10^6), `500m` */
    KUBE_QUANTITY_BINARY_SI = 1,       /**< `12Mi` (12 * 2^20) */
    KUBE_QUANTITY_DECIMAL_EXPONENT = 2 /**< `12e6` */
} kube_quantity_format_t;

/** Current version of kube_quantity_t. */
#define KUBE_QUANTITY_VERSION 1

/** A quantity: value * 10^scale, printed in @ref format. A plain value; copy freely. */
typedef struct kube_quantity {
    unsigned int version;          /**< KUBE_QUANTITY_VERSION */
    int64_t value;                 /**< the mantissa */
    int32_t scale;                 /**< the power of ten */
    kube_quantity_format_t format; /**< the suffix family of the canonical form */
} kube_quantity_t;

/**
 * Parse a quantity string.
 *
 * @param[out] out the quantity; untouched on error.
 * @param s the text (need not be NUL-terminated); @p len its length.
 * @return KUBE_OK; KUBE_EINVAL for malformed text or an unknown suffix
 *         (kube_error_last() names the offset); KUBE_ERANGE for values beyond the
 *         precision described in the file comment or an exponent outside int32.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_quantity_parse(kube_quantity_t *out, const char *s, size_t len);

/**
 * Make a quantity of value * 10^scale (apimachinery's NewScaledQuantity; scale 0
 * is NewQuantity, scale -3 NewMilliQuantity).
 *
 * @param[out] out the quantity.
 * @param value the mantissa.
 * @param scale the power of ten.
 * @param format the format of its canonical form.
 * @return KUBE_OK; KUBE_EINVAL for a NULL @p out or an unknown format.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_quantity_init(kube_quantity_t *out, int64_t value, int32_t scale,
                                            kube_quantity_format_t format);

/**
 * Append the canonical form of @p q to @p out (see the file comment).
 *
 * @param[out] out buffer to append to.
 * @param q the quantity.
 * @return KUBE_OK; KUBE_EINVAL (NULL, unknown version or format); KUBE_ENOMEM
 *         (the buffer keeps its content).
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_quantity_format(kube_buf_t *out, const kube_quantity_t *q);

/**
 * Parse @p s and append its canonical form to @p out.
 * @param[out] out buffer to append to.
 * @param s the text (need not be NUL-terminated).
 * @param len its length.
 * @return the codes of kube_quantity_parse() and kube_quantity_format().
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_quantity_canonicalize(kube_buf_t *out, const char *s, size_t len);

/**
 * Compare two quantities by value (formats are ignored); exact.
 * @param a first quantity, or NULL.
 * @param b second quantity, or NULL.
 * @return -1, 0 or 1 (NULL sorts as zero).
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN int kube_quantity_cmp(const kube_quantity_t *a, const kube_quantity_t *b);

/**
 * The sign of @p q: -1, 0 or 1 (0 for NULL).
 * @param q the quantity, or NULL.
 * @return -1, 0 or 1.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN int kube_quantity_sign(const kube_quantity_t *q);

/**
 * ceil(q / 10^scale) rounded away from zero (apimachinery ScaledValue): the value
 * in units of 10^scale.
 *
 * @param[out] out the result; untouched on error.
 * @return KUBE_OK; KUBE_ERANGE when it does not fit int64 (apimachinery would
 *         silently overflow); KUBE_EINVAL for NULL pointers.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_quantity_scaled_value(const kube_quantity_t *q, int32_t scale, int64_t *out);

/**
 * The value rounded up away from zero to an integer (apimachinery Value(): `1500m`
 * is 2, `-1500m` is -2).
 * @param q the quantity.
 * @param[out] out the result; untouched on error.
 * @return as kube_quantity_scaled_value().
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_quantity_value(const kube_quantity_t *q, int64_t *out);

/**
 * ceil(q * 1000) away from zero (apimachinery MilliValue(): `0.0005` is 1).
 * @param q the quantity.
 * @param[out] out the result; untouched on error.
 * @return as kube_quantity_scaled_value().
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_quantity_milli_value(const kube_quantity_t *q, int64_t *out);

KUBE_END_DECL

#endif /* KUBE_QUANTITY_H */
