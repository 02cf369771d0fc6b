/* Internal: the resumable JSON value scanner shared by the list and watch decoders. */
#ifndef KUBE_LIST_INT_H
#define KUBE_LIST_INT_H

#include <stddef.h>

/*
 * Finds where one JSON value ends without parsing it: tracks nesting depth and
 * string/escape state across calls, so a value may arrive in any number of
 * pieces. It does not validate: kube_json_parse() does that on the value's
 * bytes. Zero-initialise (or kube_list__vscan_init) before the value's first byte.
 */
typedef struct kube_list__vscan {
    size_t depth;          /* open objects/arrays */
    unsigned char started; /* the first byte has been seen */
    unsigned char in_str;  /* inside a string */
    unsigned char esc;     /* the previous byte was a backslash inside a string */
    unsigned char scalar;  /* a number or literal: ends at a delimiter */
} kube_list__vscan_t;

void kube_list__vscan_init(kube_list__vscan_t *vs);

/*
 * Consume up to n bytes of the value at p (p[0] must not be whitespace when the
 * value has not started). Returns how many bytes belong to the value and sets
 * *done when it ended: after the closing bracket or quote, or for a scalar
 * before the delimiter (whitespace , ] }) that ends it, which is not consumed.
 */
size_t kube_list__vscan(kube_list__vscan_t *vs, const char *p, size_t n, int *done);

/* 1 for JSON whitespace. */
static inline int kube_list__is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

#endif
