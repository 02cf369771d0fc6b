/**
 * @file intorstr.h
 * @brief intstr.IntOrString: a JSON value that is an int32 or a string (ports,
 *        `maxUnavailable: 25%`), and the percentage helper of apimachinery.
 *
 * Thread-safety: values and functions only; safe from any thread.
 * @since 0.1
 */
#ifndef KUBE_INTORSTR_H
#define KUBE_INTORSTR_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>
#include <kube/json.h>

KUBE_BEGIN_DECL

/** Which member an IntOrString holds. */
typedef enum kube_intorstr_type {
    KUBE_INTORSTR_INT = 0,   /**< int_value is set */
    KUBE_INTORSTR_STRING = 1 /**< str_value is set */
} kube_intorstr_type_t;

/** Current version of kube_intorstr_t. */
#define KUBE_INTORSTR_VERSION 1

/** An IntOrString. A plain value; the string is borrowed. */
typedef struct kube_intorstr {
    unsigned int version;      /**< KUBE_INTORSTR_VERSION */
    kube_intorstr_type_t type; /**< which member is set */
    int32_t int_value;         /**< the integer (type INT) */
    const char *str_value;     /**< the string (type STRING; borrowed, NUL-terminated), else NULL */
    size_t str_len;            /**< its length in bytes */
} kube_intorstr_t;

/**
 * Read an IntOrString from a JSON value: an integer that fits int32, or a string.
 *
 * @param[out] out the value; out->str_value borrows from @p v's document.
 * @param v the JSON value.
 * @return KUBE_OK; KUBE_ERANGE for an integer outside int32; KUBE_EINVAL for any
 *         other JSON type (including non-integral numbers), an absent value or a
 *         NULL @p out.
 * Thread-safety: safe from any thread (for distinct outputs).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_intorstr_from_json(kube_intorstr_t *out, const kube_json_t *v);

/**
 * An IntOrString holding an integer.
 * @param[out] out the value.
 * @param value the integer.
 * @return KUBE_OK; KUBE_EINVAL for a NULL @p out.
 * Thread-safety: safe from any thread (for distinct outputs).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_intorstr_from_int(kube_intorstr_t *out, int32_t value);

/**
 * An IntOrString holding a string (borrowed: @p s must outlive @p out).
 * @param[out] out the value.
 * @param s the string (borrowed, NUL-terminated).
 * @return KUBE_OK; KUBE_EINVAL for NULL arguments.
 * Thread-safety: safe from any thread (for distinct outputs).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_intorstr_from_string(kube_intorstr_t *out, const char *s);

/**
 * Append the text form (IntOrString.String()): the decimal integer or the string.
 * @param[out] out buffer to append to.
 * @param v the value.
 * @return KUBE_OK; KUBE_EINVAL (NULL, unknown type); KUBE_ENOMEM.
 * Thread-safety: safe from any thread (for distinct outputs).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_intorstr_format(kube_buf_t *out, const kube_intorstr_t *v);

/**
 * The value as a JSON value in a mutable document (a number or a string), for
 * request bodies and patches.
 *
 * @param doc the mutable document that will own the value.
 * @param v the value (a string is copied into @p doc).
 * @return the new value (owned by @p doc), or NULL on allocation failure or NULL
 *         arguments.
 * Thread-safety: safe from any thread (for distinct outputs).
 * @since 0.1
 */
KUBE_EXTERN kube_json_mut_t *kube_intorstr_to_json(kube_json_mut_doc_t *doc, const kube_intorstr_t *v);

/**
 * apimachinery's GetScaledValueFromIntOrPercent: an integer is returned as is; a
 * string must be a percentage (`"25%"`, an optionally signed decimal integer and
 * `%`) and yields ceil (@p round_up) or floor of percent * @p total / 100,
 * computed exactly.
 *
 * @param[out] out the result; untouched on error.
 * @param v the value; @p total the 100% amount; @p round_up nonzero to round up.
 * @return KUBE_OK; KUBE_EINVAL for a string that is not a percentage (the message
 *         says "invalid value for IntOrString", as upstream) or NULL arguments;
 *         KUBE_ERANGE when the result overflows int64.
 * Thread-safety: safe from any thread (for distinct outputs).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_intorstr_scaled_value(int64_t *out, const kube_intorstr_t *v, int64_t total,
                                                    int round_up);

KUBE_END_DECL

#endif /* KUBE_INTORSTR_H */
