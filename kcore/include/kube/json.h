/**
 * @file json.h
 * @brief libkube's own JSON: an immutable parsed document, a mutable builder, a writer.
 *
 * Dynamic Kubernetes objects are JSON values of this module (brief.md section 2).
 *
 * - kube_json_parse() builds an immutable, reference-counted document
 *   (kube_json_doc_t) in one arena: values in a flat array, strings unescaped into
 *   the same block. UTF-8 is validated, integers stay exact (int64, or uint64 above
 *   INT64_MAX), doubles are parsed correctly rounded, nesting depth is limited.
 * - kube_json_t values are borrowed pointers into their document, valid while the
 *   document is alive. Every accessor accepts NULL and answers "absent", so lookups
 *   chain: `kube_json_string(kube_json_get(kube_json_get(obj, "metadata"), "name"))`.
 * - kube_json_mut_doc_t builds values for request bodies and patches; the writer
 *   serialises both kinds (compact, or pretty with two-space indent).
 *
 * Thread-safety: a kube_json_doc_t is immutable, so any number of threads may read
 * it at once; kube_json_doc_ref() and kube_json_doc_free() are atomic and may be
 * called from any thread. A kube_json_mut_doc_t is not thread-safe (one thread at
 * a time).
 * @since 0.1
 */
#ifndef KUBE_JSON_H
#define KUBE_JSON_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/** An immutable parsed JSON document; reference-counted. */
typedef struct kube_json_doc kube_json_doc_t;
/** A value inside an immutable document (borrowed; lives as long as its document). */
typedef struct kube_json kube_json_t;

/** The type of a JSON value. */
typedef enum kube_json_type {
    KUBE_JSON_NONE = 0, /**< absent: a NULL value pointer */
    KUBE_JSON_NULL,     /**< null */
    KUBE_JSON_BOOL,     /**< true or false */
    KUBE_JSON_INT,      /**< an integer that fits int64_t */
    KUBE_JSON_UINT,     /**< an integer above INT64_MAX that fits uint64_t */
    KUBE_JSON_REAL,     /**< any other number (fraction, exponent, or too large for 64 bits) */
    KUBE_JSON_STRING,   /**< a string */
    KUBE_JSON_ARRAY,    /**< an array */
    KUBE_JSON_OBJECT    /**< an object */
} kube_json_type_t;

/** Default nesting limit when kube_json_parse_opts_t.max_depth is 0. */
#define KUBE_JSON_DEFAULT_MAX_DEPTH 1000

/** Parse option flag: accept bytes after the value (only whitespace is accepted otherwise). */
#define KUBE_JSON_PARSE_ALLOW_TRAILING 0x1u

/** Options for kube_json_parse() and the YAML readers. A versioned parameter struct. */
typedef struct kube_json_parse_opts {
    unsigned int version;   /**< KUBE_JSON_PARSE_OPTS_VERSION */
    unsigned int max_depth; /**< nesting limit; 0 means KUBE_JSON_DEFAULT_MAX_DEPTH */
    unsigned int flags;     /**< KUBE_JSON_PARSE_* flags */
    const kube_mem_t *mem;  /**< allocator for the document (copied); NULL for the default */
} kube_json_parse_opts_t;

/** Current version of kube_json_parse_opts_t. */
#define KUBE_JSON_PARSE_OPTS_VERSION 1
/** Static initialiser with every default. */
#define KUBE_JSON_PARSE_OPTS_INIT { KUBE_JSON_PARSE_OPTS_VERSION, 0, 0, NULL }

/**
 * Parse JSON text into a new immutable document.
 *
 * @param[out] out receives the document (refcount 1); untouched on error.
 * @param data the text (need not be NUL-terminated); not retained.
 * @param len its length in bytes.
 * @param opts options, or NULL for the defaults.
 * @return KUBE_OK; KUBE_EINVAL for malformed JSON, invalid UTF-8, depth over the
 *         limit or trailing bytes (kube_error_last() names the byte offset and what
 *         was expected); KUBE_ENOMEM.
 *
 * Input rules (RFC 8259, strictly): no comments, no trailing commas, no NaN or
 * Infinity, no leading zeros, only space, tab, CR and LF as whitespace, no raw
 * control characters in strings. UTF-8 must be valid: overlong forms, surrogate
 * code points and values above U+10FFFF are rejected. A `\u` escape of a lone
 * UTF-16 surrogate becomes U+FFFD, as Go's encoding/json does (a proper pair
 * becomes its code point).
 *
 * Numbers: an integer without fraction or exponent is KUBE_JSON_INT when it fits
 * int64 (`-0` is the integer 0), KUBE_JSON_UINT when it fits uint64, otherwise a
 * KUBE_JSON_REAL. Other numbers are doubles, correctly rounded (an exact fast path;
 * otherwise strtod() on a copy, with the decimal point adapted to the current
 * LC_NUMERIC, so the host's locale does not matter). A number whose magnitude
 * overflows a double (1e400) is rejected with KUBE_EINVAL, as Go does; underflow
 * gives a subnormal or a signed zero.
 *
 * Memory: the document takes one copy of the input (strings are unescaped inside
 * it) plus 16 bytes per value: about 2.6 bytes of heap per input byte for a
 * Kubernetes list; three allocations per document.
 * Ownership: the caller owns *out; release with kube_json_doc_free().
 * Thread-safety: reentrant; the document may then be read from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_parse(kube_json_doc_t **out, const char *data, size_t len,
                                         const kube_json_parse_opts_t *opts);

/**
 * Parse the JSON value at the start of @p data and say where it ended, for streams
 * of concatenated or newline-delimited values. Bytes after the value are accepted
 * (KUBE_JSON_PARSE_ALLOW_TRAILING is implied).
 *
 * @param[out] out receives the document (refcount 1); untouched on error.
 * @param[out] consumed_out receives the offset just past the value (trailing
 *             whitespace not included); may be NULL; untouched on error.
 * @param data the text (need not be NUL-terminated); not retained.
 * @param len its length in bytes.
 * @param opts options, or NULL for the defaults.
 * @return KUBE_OK; KUBE_EINVAL as kube_json_parse() (a value cut short by the end of
 *         @p data is an error: a number at the very end is taken as complete);
 *         KUBE_ENOMEM.
 * Ownership: the caller owns *out; release with kube_json_doc_free().
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_parse_prefix(kube_json_doc_t **out, size_t *consumed_out,
                                                const char *data, size_t len,
                                                const kube_json_parse_opts_t *opts);

/** The root value of a document (borrowed). NULL for a NULL document. */
KUBE_EXTERN const kube_json_t *kube_json_doc_root(const kube_json_doc_t *doc);

/**
 * Take another reference to a document (atomic; any thread).
 * @return @p doc. Release each reference with kube_json_doc_free().
 */
KUBE_EXTERN kube_json_doc_t *kube_json_doc_ref(kube_json_doc_t *doc);

/** Drop one reference; the last one frees the document. Accepts NULL. Atomic. */
KUBE_EXTERN void kube_json_doc_free(kube_json_doc_t *doc);

/** Bytes of heap the document holds (for memory accounting); 0 for NULL. */
KUBE_EXTERN size_t kube_json_doc_heap_size(const kube_json_doc_t *doc);

/* ---- reading values (all accept NULL) ---- */

/** The type of @p v; KUBE_JSON_NONE for NULL. */
KUBE_EXTERN kube_json_type_t kube_json_type(const kube_json_t *v);

/** 1 if @p v is the literal true, else 0. */
KUBE_EXTERN int kube_json_is_true(const kube_json_t *v);

/**
 * The value as int64_t.
 * @return KUBE_OK; KUBE_EINVAL when @p v is absent or not an integer (a REAL with
 *         an integral value, such as 2.0, is accepted when it fits); KUBE_ERANGE when
 *         it does not fit. *out is untouched on error.
 */
KUBE_EXTERN kube_error_t kube_json_int64(const kube_json_t *v, int64_t *out);

/** The value as uint64_t; errors as kube_json_int64() (negative values are KUBE_ERANGE). */
KUBE_EXTERN kube_error_t kube_json_uint64(const kube_json_t *v, uint64_t *out);

/** Any number as a double (integers may round). @return KUBE_OK or KUBE_EINVAL (not a number). */
KUBE_EXTERN kube_error_t kube_json_double(const kube_json_t *v, double *out);

/**
 * The unescaped string, NUL-terminated (borrowed, valid while the document lives),
 * or NULL when @p v is not a string. A string may contain U+0000: use
 * kube_json_string_len() for its true length.
 */
KUBE_EXTERN const char *kube_json_string(const kube_json_t *v);

/** Length in bytes of a string value; 0 when not a string. */
KUBE_EXTERN size_t kube_json_string_len(const kube_json_t *v);

/** 1 when @p v is a string equal to the NUL-terminated @p s, else 0. */
KUBE_EXTERN int kube_json_string_eq(const kube_json_t *v, const char *s);

/** Number of elements (array) or members (object); 0 for anything else. */
KUBE_EXTERN size_t kube_json_size(const kube_json_t *v);

/**
 * The member @p key of an object (the last one if the key repeats), or NULL when
 * absent or when @p obj is not an object. Linear in the number of members.
 */
KUBE_EXTERN const kube_json_t *kube_json_get(const kube_json_t *obj, const char *key);

/** As kube_json_get() with a key of @p key_len bytes (may contain NUL). */
KUBE_EXTERN const kube_json_t *kube_json_getn(const kube_json_t *obj, const char *key, size_t key_len);

/** Element @p index of an array, or NULL. Linear in @p index; iterate for whole arrays. */
KUBE_EXTERN const kube_json_t *kube_json_at(const kube_json_t *arr, size_t index);

/**
 * Resolve an RFC 6901 JSON Pointer ("/metadata/labels/app.kubernetes.io~1name").
 * "" is @p v itself. @return the value or NULL when any step is absent or malformed.
 */
KUBE_EXTERN const kube_json_t *kube_json_pointer(const kube_json_t *v, const char *pointer);

/**
 * Deep equality (object member order ignored; numbers compared by exact value, so
 * the integer 2 equals the double 2.0 but 9007199254740993 does not equal
 * 9007199254740992.0; of a repeated member name only the last counts).
 * Recursion depth is the nesting depth of the values (bounded by the parse limit).
 * @return 1 when equal (two NULLs are equal), else 0.
 */
KUBE_EXTERN int kube_json_equal(const kube_json_t *a, const kube_json_t *b);

/** Iterator over an array's elements or an object's members. Fields are private. */
typedef struct kube_json_iter {
    const void *priv_ptr_[2];
    size_t priv_n_[2];
} kube_json_iter_t;

/** Start iterating @p container (an array or object; anything else yields nothing). */
KUBE_EXTERN void kube_json_iter_init(kube_json_iter_t *it, const kube_json_t *container);

/**
 * The next element or member value, or NULL at the end.
 * @param[out] key_out for objects, the member name (borrowed, NUL-terminated); may be NULL.
 * @param[out] key_len_out its length; may be NULL.
 */
KUBE_EXTERN const kube_json_t *kube_json_iter_next(kube_json_iter_t *it, const char **key_out,
                                                   size_t *key_len_out);

/* ---- writing ---- */

/** Writer flag: indent with two spaces and newlines (like Go's json.MarshalIndent "", "  "). */
#define KUBE_JSON_WRITE_PRETTY 0x1u

/**
 * Append the JSON text of @p v to @p buf. Doubles are written in the shortest form
 * that reads back to the same value; strings are escaped as Go's encoding/json does
 * (control characters, quote, backslash, U+2028, U+2029; `<`, `>`, `&` as \u003c...
 * only with KUBE_JSON_WRITE_ESCAPE_HTML).
 *
 * Output follows Go's encoding/json: compact with no spaces; `\n`, `\r`, `\t`,
 * `\b`, `\f` short escapes and `\u00XX` for other control characters; other
 * characters (including non-ASCII) as UTF-8. Doubles: Go's format (`1.5`, `1e+21`,
 * `1e-7`, `-0`), except that a double above 2^53 is written in exponent form
 * (`1.8446744073709552e+19`) so that libkube reads it back as the same double and
 * not as a different exact integer. The shortest digits are found among 15, 16 and
 * 17 significant digits (and fewer for subnormals); in rare halfway cases a longer
 * form than Go's may be chosen; it still reads back exactly. Integers are exact.
 * KUBE_JSON_WRITE_PRETTY indents like Go's json.MarshalIndent(v, "", "  ").
 *
 * @param buf the buffer to append to (its allocator is used).
 * @param v the value (borrowed).
 * @param flags KUBE_JSON_WRITE_* flags.
 * @return KUBE_OK; KUBE_EINVAL for NULL @p v; KUBE_ENOMEM (buf keeps its old content).
 * Thread-safety: reentrant; @p v may be shared, @p buf not.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_write(kube_buf_t *buf, const kube_json_t *v, unsigned int flags);

/** Writer flag: escape `<`, `>` and `&` as Go's default encoder does. */
#define KUBE_JSON_WRITE_ESCAPE_HTML 0x2u

/* ---- the mutable builder ---- */

/** A mutable document: an arena owning every value created in it. */
typedef struct kube_json_mut_doc kube_json_mut_doc_t;
/** A mutable value, owned by its kube_json_mut_doc_t. */
typedef struct kube_json_mut kube_json_mut_t;

/**
 * Create an empty mutable document.
 * @param[out] out receives it. @param mem allocator (copied) or NULL.
 * @return KUBE_OK or KUBE_ENOMEM. Ownership: release with kube_json_mut_doc_free().
 */
KUBE_EXTERN kube_error_t kube_json_mut_doc_new(kube_json_mut_doc_t **out, const kube_mem_t *mem);

/** Free the document and every value made in it. Accepts NULL. */
KUBE_EXTERN void kube_json_mut_doc_free(kube_json_mut_doc_t *doc);

/** The root value set with kube_json_mut_doc_set_root(), or NULL. */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_doc_root(const kube_json_mut_doc_t *doc);

/** Make @p root (a value of @p doc) the document's root. */
KUBE_EXTERN void kube_json_mut_doc_set_root(kube_json_mut_doc_t *doc, kube_json_mut_t *root);

/*
 * Value constructors: each returns a new detached value owned by @p doc, or NULL
 * on failure (KUBE_ENOMEM, or KUBE_EINVAL for invalid UTF-8 or a non-finite double;
 * kube_error_last() says which). Strings are copied.
 */
/** A new null. */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_null(kube_json_mut_doc_t *doc);
/** A new boolean (nonzero is true). */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_bool(kube_json_mut_doc_t *doc, int value);
/** A new signed integer. */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_int(kube_json_mut_doc_t *doc, int64_t value);
/** A new unsigned integer. */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_uint(kube_json_mut_doc_t *doc, uint64_t value);
/** A new double; NaN and infinities are rejected (KUBE_EINVAL). */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_real(kube_json_mut_doc_t *doc, double value);
/** A new string copied from a NUL-terminated UTF-8 string. */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_str(kube_json_mut_doc_t *doc, const char *s);
/** A new string copied from @p len bytes of UTF-8 (may contain NUL). */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_strn(kube_json_mut_doc_t *doc, const char *s, size_t len);
/** A new empty array. */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_arr(kube_json_mut_doc_t *doc);
/** A new empty object. */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_obj(kube_json_mut_doc_t *doc);
/** A deep copy of an immutable value (NULL @p v gives NULL with KUBE_EINVAL). */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_copy(kube_json_mut_doc_t *doc, const kube_json_t *v);
/** A deep copy of a mutable value of any mutable document, made in @p doc. */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_dup(kube_json_mut_doc_t *doc, const kube_json_mut_t *v);

/**
 * Set member @p key of @p obj to @p val, replacing an existing member of that name
 * (it keeps its position). @p val must be a detached value of the same document.
 * Linear in the number of members (members are a list, searched for the name).
 * @return KUBE_OK; KUBE_EINVAL (not an object, NULL val, invalid UTF-8 key); KUBE_ENOMEM.
 */
KUBE_EXTERN kube_error_t kube_json_mut_obj_set(kube_json_mut_t *obj, const char *key, kube_json_mut_t *val);
/** As kube_json_mut_obj_set() with a key of @p key_len bytes. */
KUBE_EXTERN kube_error_t kube_json_mut_obj_setn(kube_json_mut_t *obj, const char *key, size_t key_len,
                                                kube_json_mut_t *val);
/** Set member @p key to a new string (convenience). Errors as kube_json_mut_obj_set(). */
KUBE_EXTERN kube_error_t kube_json_mut_obj_set_str(kube_json_mut_t *obj, const char *key, const char *s);
/** Set member @p key to a new integer (convenience). Errors as kube_json_mut_obj_set(). */
KUBE_EXTERN kube_error_t kube_json_mut_obj_set_int(kube_json_mut_t *obj, const char *key, int64_t value);
/** Set member @p key to a new boolean (convenience). Errors as kube_json_mut_obj_set(). */
KUBE_EXTERN kube_error_t kube_json_mut_obj_set_bool(kube_json_mut_t *obj, const char *key, int value);
/** The member @p key of a mutable object, or NULL. */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_obj_get(const kube_json_mut_t *obj, const char *key);
/** Remove member @p key; @return 1 when removed, 0 when absent. The value stays owned by the
 * document, detached, and may be inserted again. */
KUBE_EXTERN int kube_json_mut_obj_remove(kube_json_mut_t *obj, const char *key);

/** Append @p val (detached, same document). @return KUBE_OK, KUBE_EINVAL or KUBE_ENOMEM. */
KUBE_EXTERN kube_error_t kube_json_mut_arr_append(kube_json_mut_t *arr, kube_json_mut_t *val);
/** Insert @p val before index @p index (== size appends). @return KUBE_OK, KUBE_EINVAL (index > size) or KUBE_ENOMEM. */
KUBE_EXTERN kube_error_t kube_json_mut_arr_insert(kube_json_mut_t *arr, size_t index, kube_json_mut_t *val);
/** Remove element @p index and return it detached (still owned by the document), or NULL. */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_arr_remove(kube_json_mut_t *arr, size_t index);
/** Element @p index of a mutable array, or NULL. */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_at(const kube_json_mut_t *arr, size_t index);

/** The type of a mutable value (KUBE_JSON_NONE for NULL). */
KUBE_EXTERN kube_json_type_t kube_json_mut_type(const kube_json_mut_t *v);
/** Elements or members of a mutable array or object; 0 otherwise. */
KUBE_EXTERN size_t kube_json_mut_size(const kube_json_mut_t *v);
/** A mutable string's bytes (NUL-terminated, borrowed) or NULL. */
KUBE_EXTERN const char *kube_json_mut_string(const kube_json_mut_t *v);
/** A mutable integer as int64_t; errors as kube_json_int64(). */
KUBE_EXTERN kube_error_t kube_json_mut_int64(const kube_json_mut_t *v, int64_t *out);
/** 1 if the mutable value is true. */
KUBE_EXTERN int kube_json_mut_is_true(const kube_json_mut_t *v);

/** Iterator over a mutable array or object. Fields are private. */
typedef struct kube_json_mut_iter {
    const void *priv_ptr_[2];
    size_t priv_n_[2];
} kube_json_mut_iter_t;
/** Start iterating a mutable container. Do not add or remove members while iterating. */
KUBE_EXTERN void kube_json_mut_iter_init(kube_json_mut_iter_t *it, const kube_json_mut_t *container);
/** Next value or NULL; @p key_out / @p key_len_out receive object member names (may be NULL). */
KUBE_EXTERN kube_json_mut_t *kube_json_mut_iter_next(kube_json_mut_iter_t *it, const char **key_out,
                                                     size_t *key_len_out);

/** Append the JSON text of a mutable value; flags and errors as kube_json_write(). */
KUBE_EXTERN kube_error_t kube_json_mut_write(kube_buf_t *buf, const kube_json_mut_t *v, unsigned int flags);

/**
 * Freeze a mutable value into a new immutable document (a deep copy: the mutable
 * document may be changed or freed afterwards).
 * @param[out] out the new document (refcount 1). @param mem allocator or NULL.
 * @return KUBE_OK, KUBE_EINVAL (NULL value) or KUBE_ENOMEM.
 */
KUBE_EXTERN kube_error_t kube_json_mut_freeze(kube_json_doc_t **out, const kube_json_mut_t *v,
                                              const kube_mem_t *mem);

KUBE_END_DECL

#endif /* KUBE_JSON_H */
