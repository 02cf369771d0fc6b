/* Internal layout of libkube's JSON values (never installed).
 *
 * An immutable document is a flat array of 16-byte values in document order
 * (pre-order). A container records its element count in the tag and the number of
 * values in its subtree in `u.ofs`, so its next sibling is `v + 1 + v->u.ofs`.
 * An object's members are stored as key (a STRING value) then value. Strings point
 * into one block owned by the document (unescaped, NUL-terminated). */
#ifndef KUBE_JSON_INT_H
#define KUBE_JSON_INT_H

#include <kube/json.h>
#include <stdatomic.h>

struct kube_json {
    uint64_t tag; /* bits 0-3: kube_json_type_t; bit 4: true; bits 8-63: length/count */
    union {
        int64_t i;
        uint64_t u;
        double d;
        const char *s;
        size_t ofs; /* containers: values in the subtree, excluding this one */
    } u;
};

#define KUBE_JSON__TYPE_MASK 0x0Fu
#define KUBE_JSON__TRUE_BIT 0x10u
#define KUBE_JSON__LEN_SHIFT 8
#define KUBE_JSON__LEN_ONE ((uint64_t)1 << KUBE_JSON__LEN_SHIFT)

/* Readable bytes every document's string block must have after its last string:
 * the writer loads 16 bytes from a string's start and 8 bytes at a time up to its
 * end. Code that builds a kube_json_doc by hand must pad its string block so. */
#define KUBE_JSON__STR_PAD 16

struct kube_json_doc {
    atomic_size_t refs;
    kube_mem_t mem;
    struct kube_json *vals; /* vals[0] is the root */
    size_t nvals;
    char *str;       /* the block strings point into */
    size_t heap;     /* bytes allocated for this document */
};

static inline kube_json_type_t kube_json__type(const struct kube_json *v)
{
    return (kube_json_type_t)(v->tag & KUBE_JSON__TYPE_MASK);
}

static inline size_t kube_json__len(const struct kube_json *v)
{
    return (size_t)(v->tag >> KUBE_JSON__LEN_SHIFT);
}

/* The value after @v and its whole subtree. */
static inline const struct kube_json *kube_json__next(const struct kube_json *v)
{
    kube_json_type_t t = kube_json__type(v);
    return v + 1 + ((t == KUBE_JSON_ARRAY || t == KUBE_JSON_OBJECT) ? v->u.ofs : 0);
}

/* Length of the valid UTF-8 sequence at @s (1-4), or 0 when it is invalid (overlong,
 * surrogate, above U+10FFFF, truncated). Reads at most 4 bytes and stops at the
 * first invalid byte, so it never reads past @end. */
size_t kube_json__utf8_seq(const unsigned char *s, const unsigned char *end);

/* strtod() of @len bytes of decimal text whatever LC_NUMERIC says (the text uses
 * '.'). Returns 0, or -1 when a temporary copy could not be allocated. */
int kube_json__strtod(const kube_mem_t *mem, const char *s, size_t len, double *out);

/* Mutable-value internals for the YAML reader. */
kube_json_mut_t *kube_json__mut_obj_getn(const kube_json_mut_t *obj, const char *key, size_t key_len);
size_t kube_json__mut_strlen(const kube_json_mut_t *v);
double kube_json__mut_real(const kube_json_mut_t *v);
uint64_t kube_json__mut_uint(const kube_json_mut_t *v);
/* Values in the subtree of @v, @v included. */
size_t kube_json__mut_count(const kube_json_mut_t *v);

#endif
