/**
 * @file selector.h
 * @brief Label selectors (apimachinery `labels.Parse` grammar, matching,
 *        LabelSelector objects) and field selectors (`fields.ParseSelector`).
 *
 * Label selector strings follow apimachinery exactly: comma-separated
 * requirements, all of which must hold:
 *
 * | form              | meaning                                        |
 * |-------------------|------------------------------------------------|
 * | `k=v`, `k==v`     | label k exists and equals v                    |
 * | `k!=v`            | label k is absent or differs from v            |
 * | `k in (a,b)`      | label k exists and is one of a, b              |
 * | `k notin (a,b)`   | label k is absent or none of a, b              |
 * | `k`               | label k exists                                 |
 * | `!k`              | label k does not exist                         |
 * | `k>5`, `k<5`      | label k exists and, as an int64, is greater/less|
 *
 * Whitespace (space, tab, CR, LF) may surround every token; `in`/`notin`
 * need it before their '(' only where the key would otherwise run on. Values
 * may be empty (`k=`, `k in (a,,b)`). Keys are qualified names: an optional
 * DNS-subdomain prefix (≤ 253 bytes, lowercase) and '/', then a name of at most
 * 63 bytes matching `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`. Values are at
 * most 63 bytes of the same alphabet, or empty. Values of a requirement are
 * kept sorted and de-duplicated, and requirements are kept sorted by key
 * (stable), so printing yields apimachinery's canonical `String()` form.
 *
 * Field selectors: comma-separated `field=value`, `field==value` and
 * `field!=value`; in values, `\`, `,` and `=` are escaped with a backslash.
 * Terms are kept sorted by their canonical text (`==` as `=`, values escaped
 * canonically). apimachinery sorts the terms as written, which gives the same
 * order except around `==` and redundant escapes, where its printing is not
 * idempotent; here print(parse(print(s))) == print(s) always holds.
 *
 * Errors: parsing returns KUBE_EINVAL and kube_error_last() names the byte
 * offset and the offending token, e.g. `label selector: at offset 4: found
 * '(', expected: identifier`.
 *
 * Thread-safety: a parsed selector is immutable after construction (the
 * `_add` builders excepted), so any number of threads may match with it at
 * once; `_add` and `_free` need exclusive access.
 * @since 0.1
 */
#ifndef KUBE_SELECTOR_H
#define KUBE_SELECTOR_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>
#include <kube/json.h>
#include <kube/object.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/** A parsed label selector (opaque). */
typedef struct kube_label_selector kube_label_selector_t;

/** Label requirement operators (apimachinery `selection.Operator`). */
typedef enum kube_label_op {
    KUBE_LABEL_OP_EQUALS = 0,         /**< `k=v` */
    KUBE_LABEL_OP_DOUBLE_EQUALS,      /**< `k==v` (same meaning as `=`) */
    KUBE_LABEL_OP_NOT_EQUALS,         /**< `k!=v` */
    KUBE_LABEL_OP_IN,                 /**< `k in (...)` */
    KUBE_LABEL_OP_NOT_IN,             /**< `k notin (...)` */
    KUBE_LABEL_OP_EXISTS,             /**< `k` */
    KUBE_LABEL_OP_DOES_NOT_EXIST,     /**< `!k` */
    KUBE_LABEL_OP_GREATER_THAN,       /**< `k>n` */
    KUBE_LABEL_OP_LESS_THAN           /**< `k<n` */
} kube_label_op_t;

/**
 * Parse a label selector string.
 *
 * "" (or only whitespace) gives the empty selector, which matches everything.
 *
 * @param[out] out receives the selector; untouched on error.
 * @param str the selector text (NUL-terminated; borrowed).
 * @param mem allocator (copied) or NULL for the default.
 * @return KUBE_OK; KUBE_EINVAL (syntax error, invalid key or value, wrong value
 *         count, non-integer for `>`/`<`; kube_error_last() names the offset
 *         and the token); KUBE_ENOMEM.
 * Ownership: the caller owns *out; release with kube_label_selector_free().
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_label_selector_parse(kube_label_selector_t **out, const char *str,
                                                   const kube_mem_t *mem);

/**
 * Make an empty selector (matches everything) to fill with kube_label_selector_add().
 * @param[out] out receives it. @param mem allocator (copied) or NULL.
 * @return KUBE_OK or KUBE_ENOMEM.
 * Ownership: release with kube_label_selector_free().
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_label_selector_new(kube_label_selector_t **out, const kube_mem_t *mem);

/**
 * Add one requirement, validated as apimachinery's `NewRequirement`: EXISTS and
 * DOES_NOT_EXIST take no values, the (double) equals and not-equals operators
 * and `>`/`<` exactly one (an int64 for `>`/`<`), IN and NOT_IN at least one;
 * keys and values must be valid (see the file comment). Values are copied,
 * sorted and de-duplicated; the requirement is inserted in key order.
 *
 * @param sel the selector. @param key the label key (copied).
 * @param op the operator. @param values the values (copied; may be NULL when @p n is 0).
 * @param n number of values.
 * @return KUBE_OK; KUBE_EINVAL (invalid requirement; the selector is
 *         unchanged); KUBE_ENOMEM (unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_label_selector_add(kube_label_selector_t *sel, const char *key, kube_label_op_t op,
                                                 const char *const *values, size_t n);

/**
 * Free a label selector and everything it owns.
 * @param sel the selector, or NULL (no-op); invalid afterwards.
 * Thread-safety: needs exclusive access to @p sel.
 * @since 0.1
 */
KUBE_EXTERN void kube_label_selector_free(kube_label_selector_t *sel);

/**
 * Append the canonical text of @p sel to @p out (apimachinery `String()`):
 * requirements in key order joined by ",", `k=v`, `k==v`, `k!=v`,
 * `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>n`, `k<n`; values sorted.
 * The empty selector and the match-nothing selector print as "".
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM (out unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_label_selector_format(kube_buf_t *out, const kube_label_selector_t *sel);

/**
 * Number of requirements.
 * @param sel the selector (NULL gives 0).
 * @return the count; 0 for the empty and the match-nothing selector.
 * @since 0.1
 */
KUBE_EXTERN size_t kube_label_selector_count(const kube_label_selector_t *sel);

/**
 * Whether the selector matches everything.
 * @param sel the selector (NULL gives 0).
 * @return 1 when @p sel has no requirements and is not the match-nothing selector, else 0.
 * @since 0.1
 */
KUBE_EXTERN int kube_label_selector_is_empty(const kube_label_selector_t *sel);

/**
 * Read requirement @p index (in key order).
 * @param[out] key_out the key (borrowed from @p sel; may be NULL).
 * @param[out] op_out the operator (may be NULL).
 * @param[out] values_out the sorted values (borrowed; may be NULL).
 * @param[out] n_out number of values (may be NULL).
 * @return KUBE_OK; KUBE_ENOTFOUND (index out of range); KUBE_EINVAL (NULL sel).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_label_selector_requirement(const kube_label_selector_t *sel, size_t index,
                                                         const char **key_out, kube_label_op_t *op_out,
                                                         const char *const **values_out, size_t *n_out);

/**
 * Match against a labels object (`metadata.labels`: a JSON object of strings).
 * NULL or a non-object counts as no labels; non-string members count as absent.
 * @return 1 when every requirement holds, else 0 (a match-nothing selector
 *         never matches; a NULL selector never matches).
 * @since 0.1
 */
KUBE_EXTERN int kube_label_selector_matches(const kube_label_selector_t *sel, const kube_json_t *labels);

/**
 * Match a dynamic object's `metadata.labels`.
 * @param sel the selector (borrowed). @param obj the object (borrowed; NULL counts as no labels).
 * @return 1 when every requirement holds, else 0 (as kube_label_selector_matches()).
 * @since 0.1
 */
KUBE_EXTERN int kube_label_selector_matches_object(const kube_label_selector_t *sel, const kube_json_t *obj);

/**
 * As kube_label_selector_matches() on a plain array of @p n key/value pairs
 * (a typed object's kube_meta_view_t labels, or a caller's set). When a key
 * repeats, the last pair wins.
 * @since 0.1
 */
KUBE_EXTERN int kube_label_selector_matches_kv(const kube_label_selector_t *sel, const kube_kv_t *labels,
                                               size_t n);

/**
 * Convert to a LabelSelector object value (`{"matchLabels":{...},
 * "matchExpressions":[{"key","operator","values"}]}`), as apimachinery's
 * ParseToLabelSelector: `=`/`==` go to matchLabels (a second equality on the
 * same key becomes an `In` expression so the meaning is kept); `in`, `notin`,
 * exists and `!k` become In, NotIn, Exists and DoesNotExist expressions;
 * `!=` becomes NotIn with its one value (as kube-rs does). Empty members are
 * omitted, so the empty selector gives `{}`.
 *
 * @param[out] out the new object value owned by @p doc; untouched on error.
 * @param doc the mutable document. @param sel the selector.
 * @return KUBE_OK; KUBE_EINVAL (NULL argument, `>`/`<` requirements, which a
 *         LabelSelector cannot express, or a match-nothing selector); KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_label_selector_to_json(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                                     const kube_label_selector_t *sel);

/**
 * Convert a LabelSelector object value into a selector, as apimachinery's
 * LabelSelectorAsSelector: NULL, absent or JSON null gives the match-nothing
 * selector; `{}` (no matchLabels, no matchExpressions) matches everything;
 * operators In, NotIn, Exists and DoesNotExist are accepted.
 *
 * @param[out] out the selector; untouched on error.
 * @param ls the LabelSelector value (borrowed), or NULL.
 * @param mem allocator (copied) or NULL.
 * @return KUBE_OK; KUBE_EINVAL (not an object, wrong member types, unknown
 *         operator, invalid key or value; kube_error_last() names the JSON path);
 *         KUBE_ENOMEM.
 * Ownership: release with kube_label_selector_free().
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_label_selector_from_json(kube_label_selector_t **out, const kube_json_t *ls,
                                                       const kube_mem_t *mem);

/* ---- field selectors ---- */

/** A parsed field selector (opaque). */
typedef struct kube_field_selector kube_field_selector_t;

/** Field selector operators. */
typedef enum kube_field_op {
    KUBE_FIELD_OP_EQUALS = 0,    /**< `f=v` or `f==v` */
    KUBE_FIELD_OP_NOT_EQUALS = 1 /**< `f!=v` */
} kube_field_op_t;

/**
 * Parse a field selector string (apimachinery `fields.ParseSelector`): terms
 * split at unescaped commas, empty terms skipped, each split at its first
 * `!=`, `==` or `=`; the value is unescaped (`\\`, `\,`, `\=`; any other escape,
 * a trailing backslash and an unescaped `,` or `=` in a value are errors).
 * Field names are not validated; the server decides which it supports.
 *
 * @param[out] out the selector; untouched on error.
 * @param str the text (borrowed). @param mem allocator (copied) or NULL.
 * @return KUBE_OK; KUBE_EINVAL (kube_error_last() names the term and offset);
 *         KUBE_ENOMEM.
 * Ownership: release with kube_field_selector_free().
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_field_selector_parse(kube_field_selector_t **out, const char *str,
                                                   const kube_mem_t *mem);

/**
 * Free a field selector.
 * @param sel the selector, or NULL (no-op); invalid afterwards.
 * @since 0.1
 */
KUBE_EXTERN void kube_field_selector_free(kube_field_selector_t *sel);

/**
 * Append the canonical text: terms in sorted order joined by ",", values
 * escaped (`\` `,` `=`), `==` printed as `=`.
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM (out unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_field_selector_format(kube_buf_t *out, const kube_field_selector_t *sel);

/**
 * Number of terms.
 * @param sel the selector (NULL gives 0).
 * @return the count (0 for the empty selector, which matches everything).
 * @since 0.1
 */
KUBE_EXTERN size_t kube_field_selector_count(const kube_field_selector_t *sel);

/**
 * Read term @p index.
 * @param[out] field_out the field path (borrowed; may be NULL).
 * @param[out] op_out the operator (may be NULL).
 * @param[out] value_out the unescaped value (borrowed; may be NULL).
 * @return KUBE_OK; KUBE_ENOTFOUND (index out of range); KUBE_EINVAL (NULL sel).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_field_selector_term(const kube_field_selector_t *sel, size_t index,
                                                  const char **field_out, kube_field_op_t *op_out,
                                                  const char **value_out);

/**
 * Match a dynamic object: each term's field is a dotted path into @p obj
 * (`metadata.name`, `status.phase`, `involvedObject.kind`); its value is the
 * string there, `true`/`false` for booleans, the decimal text for integers,
 * and "" when absent, null or any other type (as the server's field sets do).
 * `f=v` holds when the value equals v, `f!=v` when it differs.
 * @return 1 when every term holds (the empty selector matches everything), else 0.
 * @since 0.1
 */
KUBE_EXTERN int kube_field_selector_matches(const kube_field_selector_t *sel, const kube_json_t *obj);

/**
 * Append @p value escaped for a field selector (`\` → `\\`, `,` → `\,`,
 * `=` → `\=`), as apimachinery's `fields.EscapeValue`.
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM (out unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_field_selector_escape(kube_buf_t *out, const char *value);

KUBE_END_DECL

#endif /* KUBE_SELECTOR_H */
