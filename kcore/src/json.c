/* libkube's JSON: parser into a flat immutable document, reader, writer, builder.
 *
 * Parser: the input is copied once into a padded block owned by the document;
 * strings are unescaped in place inside that block and NUL-terminated (the
 * closing quote becomes the NUL), so a string costs no allocation and no copy.
 * Values go to one growing array (16 bytes each). While a container is open its
 * `u.ofs` holds the index of its parent, so nesting needs no stack and no
 * recursion; on close it receives the subtree size.
 *
 * Numbers: integers without fraction or exponent stay exact (int64, uint64 above
 * INT64_MAX). Other numbers take an exact fast path (at most 19 significant digits,
 * mantissa <= 2^53, |power of ten| <= 22: one correctly rounded IEEE operation);
 * anything else goes to strtod() on a NUL-terminated copy, with the decimal point
 * adapted to the current LC_NUMERIC (so a host that called setlocale() still
 * parses correctly). Numbers whose magnitude overflows a double are rejected,
 * as Go's encoding/json does; underflow reads as (signed) zero or a subnormal.
 */
#include <kube/json.h>
#include <kube/error.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc_int.h"
#include "json_int.h"
#include "encoding_int.h"

typedef struct kube_json jv_t;

#define LEN_ONE KUBE_JSON__LEN_ONE
#define TYPE_OF(v) ((kube_json_type_t)((v)->tag & KUBE_JSON__TYPE_MASK))
#define LEN_OF(v) ((size_t)((v)->tag >> KUBE_JSON__LEN_SHIFT))
#define PAD 64 /* zero bytes after the copied input: sentinels for 8-byte loads */
_Static_assert(PAD >= KUBE_JSON__STR_PAD, "the parser's block must satisfy the writer's padding");

#if defined(__GNUC__)
#  define LIKELY(x) __builtin_expect(!!(x), 1)
#  define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#  define LIKELY(x) (x)
#  define UNLIKELY(x) (x)
#endif

/* ------------------------------------------------------------------------ */
/* UTF-8                                                                    */

size_t kube_json__utf8_seq(const unsigned char *s, const unsigned char *end)
{
    unsigned char c = s[0];
    size_t avail = (size_t)(end - s);
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0; /* continuation byte, or overlong 2-byte lead */
    if (c < 0xE0) {
        if (avail < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        return 2;
    }
    if (c < 0xF0) {
        if (avail < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0)
            return 0; /* UTF-16 surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (avail < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90)
            return 0; /* above U+10FFFF */
        return 4;
    }
    return 0;
}

static size_t utf8_put(unsigned char *d, uint32_t cp)
{
    if (cp < 0x80) {
        d[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (unsigned char)(0xC0 | (cp >> 6));
        d[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (unsigned char)(0xE0 | (cp >> 12));
        d[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (unsigned char)(0xF0 | (cp >> 18));
    d[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ------------------------------------------------------------------------ */
/* Locale-independent strtod for the slow path                              */

/* strtod() of @len bytes of a JSON number (or of "d.ddde±x" text made by this
 * file) whatever LC_NUMERIC says. Returns 0 on success, -1 on allocation failure. */
int kube_json__strtod(const kube_mem_t *mem, const char *s, size_t len, double *out)
{
    char local[128];
    char *b = local;
    const char *dp = ".";
    size_t dpl = 1, i, j, need;
    struct lconv *lc = localeconv();
    if (lc && lc->decimal_point && lc->decimal_point[0]) {
        dp = lc->decimal_point;
        dpl = strlen(dp);
    }
    need = len + dpl + 1;
    if (need > sizeof local) {
        b = (char *)kube_mem__malloc(mem, need);
        if (!b)
            return -1;
    }
    for (i = 0, j = 0; i < len; i++) {
        if (s[i] == '.') {
            memcpy(b + j, dp, dpl);
            j += dpl;
        } else {
            b[j++] = s[i];
        }
    }
    b[j] = '\0';
    *out = strtod(b, NULL);
    if (b != local)
        kube_mem__free(mem, b);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Parser                                                                   */

/* Bytes that end the fast scan of a string: '"', '\\', control bytes, non-ASCII. */
static const unsigned char str_special[256] = {
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
};

static const unsigned char is_ws[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1,
};

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Nonzero when the 8 bytes hold '"', '\\', a byte < 0x20 or a byte >= 0x80. */
static inline uint64_t swar_special(uint64_t w)
{
    uint64_t q = w ^ (ONES * '"');
    uint64_t b = w ^ (ONES * '\\');
    uint64_t t = ((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - ONES * 0x20) & ~w);
    return (t & HIGHS) | (w & HIGHS);
}

/* Index of the first flagged byte of a nonzero swar_* mask (the lowest flagged byte
 * is exact: borrows only propagate upwards), or 8 when the platform lacks the
 * builtin or is big-endian (callers then scan bytes). */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#  define SWAR_FIRST(m) ((size_t)(__builtin_ctzll(m) >> 3))
#  define SWAR_LE 1
#else
#  define SWAR_FIRST(m) ((size_t)0)
#  define SWAR_LE 0
#endif

typedef struct parser {
    kube_mem_t mem;
    unsigned char *buf; /* copy of the input + PAD zero bytes */
    unsigned char *end; /* buf + len */
    jv_t *vals;
    size_t cap;
    const char *err;    /* what went wrong */
    const unsigned char *err_at;
    int oom;
} parser_t;

static const double pow10_exact[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static inline int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int hex4(const unsigned char *s, uint32_t *out)
{
    int a = hexval(s[0]), b, c, d;
    if (a < 0)
        return -1;
    if ((b = hexval(s[1])) < 0 || (c = hexval(s[2])) < 0 || (d = hexval(s[3])) < 0)
        return -1;
    *out = (uint32_t)((a << 12) | (b << 8) | (c << 4) | d);
    return 0;
}

static const unsigned char *fail(parser_t *ps, const unsigned char *at, const char *what)
{
    ps->err = what;
    ps->err_at = at;
    return NULL;
}

/* Parse the string whose opening quote is at p[-1]; unescape in place. */
static const unsigned char *parse_string(parser_t *ps, unsigned char *p, jv_t *v)
{
    unsigned char *start = p, *dst;
    for (;;) {
        uint64_t w, m;
        for (;;) {
            memcpy(&w, p, 8);
            if ((m = swar_special(w)) != 0)
                break;
            p += 8;
        }
#if SWAR_LE
        {
            /* the flagged byte comes from the register, not a dependent load */
            size_t i = SWAR_FIRST(m);
            p += i;
            if (LIKELY((unsigned char)(w >> (8 * i)) == '"')) {
                *p = '\0';
                v->tag = KUBE_JSON_STRING | ((uint64_t)(p - start) << KUBE_JSON__LEN_SHIFT);
                v->u.s = (const char *)start;
                return p + 1;
            }
        }
#else
        while (!str_special[*p])
            p++;
#endif
        if (LIKELY(*p == '"')) {
            *p = '\0';
            v->tag = KUBE_JSON_STRING | ((uint64_t)(p - start) << KUBE_JSON__LEN_SHIFT);
            v->u.s = (const char *)start;
            return p + 1;
        }
        if (*p >= 0x80) {
            size_t n = kube_json__utf8_seq(p, ps->end);
            if (!n)
                return fail(ps, p, "invalid UTF-8 in string");
            p += n;
            continue;
        }
        if (*p == '\\')
            break;
        return fail(ps, p, p >= ps->end ? "unterminated string" : "control character in string");
    }
    /* Escapes: from here on, bytes move down to dst. */
    dst = p;
    for (;;) {
        unsigned char c;
        /* p at a backslash */
        c = p[1];
        switch (c) {
        case '"': *dst++ = '"'; p += 2; break;
        case '\\': *dst++ = '\\'; p += 2; break;
        case '/': *dst++ = '/'; p += 2; break;
        case 'b': *dst++ = '\b'; p += 2; break;
        case 'f': *dst++ = '\f'; p += 2; break;
        case 'n': *dst++ = '\n'; p += 2; break;
        case 'r': *dst++ = '\r'; p += 2; break;
        case 't': *dst++ = '\t'; p += 2; break;
        case 'u': {
            uint32_t cp, lo;
            if (hex4(p + 2, &cp))
                return fail(ps, p, "invalid \\u escape");
            p += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (p[0] == '\\' && p[1] == 'u' && !hex4(p + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                } else {
                    cp = 0xFFFD; /* lone high surrogate: as Go does */
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD; /* lone low surrogate */
            }
            dst += utf8_put(dst, cp);
            break;
        }
        default:
            return fail(ps, p, "invalid escape in string");
        }
        /* copy the plain run that follows */
        for (;;) {
            uint64_t w;
            for (;;) {
                memcpy(&w, p, 8);
                if (swar_special(w))
                    break;
                memcpy(dst, &w, 8);
                p += 8;
                dst += 8;
            }
            while (!str_special[*p])
                *dst++ = *p++;
            if (*p == '"') {
                size_t len = (size_t)(dst - start);
                *dst = '\0';
                v->tag = KUBE_JSON_STRING | ((uint64_t)len << KUBE_JSON__LEN_SHIFT);
                v->u.s = (const char *)start;
                return p + 1;
            }
            if (*p >= 0x80) {
                size_t n = kube_json__utf8_seq(p, ps->end);
                if (!n)
                    return fail(ps, p, "invalid UTF-8 in string");
                memmove(dst, p, n);
                dst += n;
                p += n;
                continue;
            }
            if (*p == '\\')
                break;
            return fail(ps, p, p >= ps->end ? "unterminated string" : "control character in string");
        }
    }
}

static const unsigned char *parse_number(parser_t *ps, const unsigned char *p, jv_t *v)
{
    const unsigned char *start = p;
    uint64_t m = 0;
    int neg = 0, sig = 0, overflow = 0, truncated = 0;
    long exp10 = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (*p == '0') {
        p++;
        if ((unsigned)(*p - '0') < 10)
            return fail(ps, p, "leading zero in number");
    } else if ((unsigned)(*p - '0') < 10) {
        do {
            unsigned d = (unsigned)(*p - '0');
            if (m < 1844674407370955161ull || (m == 1844674407370955161ull && d <= 5))
                m = m * 10 + d;
            else
                overflow = 1;
            sig++;
            p++;
        } while ((unsigned)(*p - '0') < 10);
    } else {
        return fail(ps, p, "invalid number");
    }
    if (LIKELY(*p != '.' && (*p | 0x20) != 'e')) {
        if (!overflow) {
            if (!neg) {
                if (m <= (uint64_t)INT64_MAX) {
                    v->tag = KUBE_JSON_INT;
                    v->u.i = (int64_t)m;
                } else {
                    v->tag = KUBE_JSON_UINT;
                    v->u.u = m;
                }
                return p;
            }
            if (m <= (uint64_t)INT64_MAX) {
                v->tag = KUBE_JSON_INT;
                v->u.i = -(int64_t)m;
                return p;
            }
            if (m == (uint64_t)INT64_MAX + 1) {
                v->tag = KUBE_JSON_INT;
                v->u.i = INT64_MIN;
                return p;
            }
        }
        goto slow; /* an integer beyond 64 bits: a REAL */
    }
    if (sig > 19)
        truncated = 1;
    if (*p == '.') {
        p++;
        if ((unsigned)(*p - '0') >= 10)
            return fail(ps, p, "expected a digit after the decimal point");
        do {
            unsigned d = (unsigned)(*p - '0');
            if (m == 0 && d == 0) {
                exp10--; /* leading zeros are not significant */
            } else if (sig < 19) {
                m = m * 10 + d;
                exp10--;
                sig++;
            } else {
                truncated = 1;
            }
            p++;
        } while ((unsigned)(*p - '0') < 10);
    }
    if ((*p | 0x20) == 'e') {
        int eneg = 0;
        long e = 0;
        p++;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        if ((unsigned)(*p - '0') >= 10)
            return fail(ps, p, "expected a digit in the exponent");
        do {
            if (e < 100000)
                e = e * 10 + (*p - '0');
            p++;
        } while ((unsigned)(*p - '0') < 10);
        exp10 += eneg ? -e : e;
    }
    if (!overflow && !truncated) {
        if (m == 0) {
            v->tag = KUBE_JSON_REAL;
            v->u.d = neg ? -0.0 : 0.0;
            return p;
        }
        if (m <= ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
            double d = (double)m;
            d = exp10 < 0 ? d / pow10_exact[-exp10] : d * pow10_exact[exp10];
            v->tag = KUBE_JSON_REAL;
            v->u.d = neg ? -d : d;
            return p;
        }
    }
slow:
    {
        double d;
        if (kube_json__strtod(&ps->mem, (const char *)start, (size_t)(p - start), &d)) {
            ps->oom = 1;
            return NULL;
        }
        if (isinf(d))
            return fail(ps, start, "number out of range");
        v->tag = KUBE_JSON_REAL;
        v->u.d = d;
    }
    return p;
}

static int grow_vals(parser_t *ps)
{
    size_t ncap = ps->cap + ps->cap / 2 + 64;
    jv_t *nv;
    if (ncap > SIZE_MAX / sizeof(jv_t))
        return -1;
    nv = (jv_t *)kube_mem__realloc(&ps->mem, ps->vals, ncap * sizeof(jv_t));
    if (!nv)
        return -1;
    ps->vals = nv;
    ps->cap = ncap;
    return 0;
}

static kube_error_t parse_doc(kube_json_doc_t **out, size_t *consumed, const char *data, size_t len,
                              const kube_json_parse_opts_t *opts)
{
    parser_t ps;
    kube_json_doc_t *doc = NULL;
    const unsigned char *p;
    unsigned char *q;
    jv_t *cur, *vend, *ctn = NULL;
    size_t depth = 0, max_depth = KUBE_JSON_DEFAULT_MAX_DEPTH, nvals;
    unsigned flags = 0;

    if (!out || (!data && len))
        return kube_error_setf(KUBE_EINVAL, "kube_json_parse: NULL argument");
    if (opts) {
        if (opts->max_depth)
            max_depth = opts->max_depth;
        flags = opts->flags;
    }
    memset(&ps, 0, sizeof ps);
    ps.mem = kube_mem__pick(opts ? opts->mem : NULL);
    if (len > SIZE_MAX - PAD)
        return kube_error_setf(KUBE_ENOMEM, "json: input too large");
    ps.buf = (unsigned char *)kube_mem__malloc(&ps.mem, len + PAD);
    if (!ps.buf)
        goto nomem;
    if (len)
        memcpy(ps.buf, data, len);
    memset(ps.buf + len, 0, PAD);
    ps.end = ps.buf + len;
    ps.cap = len / 10 + 16;
    ps.vals = (jv_t *)kube_mem__malloc(&ps.mem, ps.cap * sizeof(jv_t));
    if (!ps.vals)
        goto nomem;
    cur = ps.vals;
    vend = ps.vals + ps.cap;
    p = ps.buf;

#define SKIP_WS() do { while (is_ws[*p]) p++; } while (0)
#define NEED_VAL()                                                         \
    do {                                                                   \
        if (UNLIKELY(cur >= vend)) {                                       \
            size_t ci_ = (size_t)(cur - ps.vals);                          \
            size_t ti_ = ctn ? (size_t)(ctn - ps.vals) : 0;                \
            if (grow_vals(&ps))                                            \
                goto nomem;                                                \
            cur = ps.vals + ci_;                                           \
            vend = ps.vals + ps.cap;                                       \
            if (ctn)                                                       \
                ctn = ps.vals + ti_;                                       \
        }                                                                  \
    } while (0)
#define SCALAR(vp)                                                                  \
    do {                                                                            \
        switch (*p) {                                                               \
        case '"':                                                                   \
            q = (unsigned char *)p + 1;                                             \
            p = parse_string(&ps, q, (vp));                                         \
            break;                                                                  \
        case 't':                                                                   \
            if (memcmp(p, "true", 4)) { p = fail(&ps, p, "invalid literal"); break; } \
            (vp)->tag = KUBE_JSON_BOOL | KUBE_JSON__TRUE_BIT; (vp)->u.u = 0; p += 4; \
            break;                                                                  \
        case 'f':                                                                   \
            if (memcmp(p, "false", 5)) { p = fail(&ps, p, "invalid literal"); break; } \
            (vp)->tag = KUBE_JSON_BOOL; (vp)->u.u = 0; p += 5;                      \
            break;                                                                  \
        case 'n':                                                                   \
            if (memcmp(p, "null", 4)) { p = fail(&ps, p, "invalid literal"); break; } \
            (vp)->tag = KUBE_JSON_NULL; (vp)->u.u = 0; p += 4;                      \
            break;                                                                  \
        case '-': case '0': case '1': case '2': case '3': case '4':                 \
        case '5': case '6': case '7': case '8': case '9':                           \
            p = parse_number(&ps, p, (vp));                                         \
            break;                                                                  \
        default:                                                                    \
            p = fail(&ps, p, p >= ps.end ? "unexpected end of input, expected a value" \
                                         : "expected a value");                     \
        }                                                                           \
        if (!p)                                                                     \
            goto error;                                                             \
    } while (0)

    SKIP_WS();
    if (*p == '{')
        goto obj_begin;
    if (*p == '[')
        goto arr_begin;
    SCALAR(cur);
    cur++;
    goto doc_end;

arr_begin:
    if (++depth > max_depth) {
        fail(&ps, p, "nesting too deep");
        goto error;
    }
    NEED_VAL();
    cur->tag = KUBE_JSON_ARRAY;
    cur->u.ofs = ctn ? (size_t)(ctn - ps.vals) : 0;
    ctn = cur++;
    p++;
    SKIP_WS();
    if (*p == ']') {
        p++;
        goto ctn_end;
    }
arr_val:
    NEED_VAL();
    ctn->tag += LEN_ONE;
    if (*p == '{')
        goto obj_begin;
    if (*p == '[')
        goto arr_begin;
    SCALAR(cur);
    cur++;
arr_val_end:
    SKIP_WS();
    if (LIKELY(*p == ',')) {
        p++;
        SKIP_WS();
        goto arr_val;
    }
    if (*p == ']') {
        p++;
        goto ctn_end;
    }
    fail(&ps, p, p >= ps.end ? "unexpected end of input, expected ',' or ']'" : "expected ',' or ']'");
    goto error;

obj_begin:
    if (++depth > max_depth) {
        fail(&ps, p, "nesting too deep");
        goto error;
    }
    NEED_VAL();
    cur->tag = KUBE_JSON_OBJECT;
    cur->u.ofs = ctn ? (size_t)(ctn - ps.vals) : 0;
    ctn = cur++;
    p++;
    SKIP_WS();
    if (*p == '}') {
        p++;
        goto ctn_end;
    }
obj_key:
    if (UNLIKELY(*p != '"')) {
        fail(&ps, p, p >= ps.end ? "unexpected end of input, expected a member name"
                                 : "expected a string member name");
        goto error;
    }
    NEED_VAL();
    q = (unsigned char *)p + 1;
    if (!(p = parse_string(&ps, q, cur)))
        goto error;
    cur++;
    SKIP_WS();
    if (UNLIKELY(*p != ':')) {
        fail(&ps, p, p >= ps.end ? "unexpected end of input, expected ':'" : "expected ':'");
        goto error;
    }
    p++;
    SKIP_WS();
    NEED_VAL();
    ctn->tag += LEN_ONE;
    if (*p == '{')
        goto obj_begin;
    if (*p == '[')
        goto arr_begin;
    SCALAR(cur);
    cur++;
obj_val_end:
    SKIP_WS();
    if (LIKELY(*p == ',')) {
        p++;
        SKIP_WS();
        goto obj_key;
    }
    if (*p == '}') {
        p++;
        goto ctn_end;
    }
    fail(&ps, p, p >= ps.end ? "unexpected end of input, expected ',' or '}'" : "expected ',' or '}'");
    goto error;

ctn_end: {
        size_t parent = ctn->u.ofs;
        ctn->u.ofs = (size_t)(cur - ctn) - 1;
        if (--depth == 0)
            goto doc_end;
        ctn = ps.vals + parent;
        if (TYPE_OF(ctn) == KUBE_JSON_ARRAY)
            goto arr_val_end;
        goto obj_val_end;
    }

doc_end:
    if (p > ps.end) {
        fail(&ps, ps.end, "unexpected end of input");
        goto error;
    }
    if (consumed)
        *consumed = (size_t)(p - ps.buf);
    SKIP_WS();
    if (p != ps.end && !(flags & KUBE_JSON_PARSE_ALLOW_TRAILING)) {
        fail(&ps, p, "unexpected bytes after the value");
        goto error;
    }
#undef SKIP_WS
#undef NEED_VAL
#undef SCALAR

    nvals = (size_t)(cur - ps.vals);
    if (ps.cap - nvals > 64 + nvals / 16) {
        jv_t *nv = (jv_t *)kube_mem__realloc(&ps.mem, ps.vals, nvals * sizeof(jv_t));
        if (nv) {
            ps.vals = nv;
            ps.cap = nvals;
        }
    }
    doc = (kube_json_doc_t *)kube_mem__malloc(&ps.mem, sizeof *doc);
    if (!doc)
        goto nomem;
    atomic_init(&doc->refs, 1);
    doc->mem = ps.mem;
    doc->vals = ps.vals;
    doc->nvals = nvals;
    doc->str = (char *)ps.buf;
    doc->heap = sizeof *doc + ps.cap * sizeof(jv_t) + len + PAD;
    *out = doc;
    return KUBE_OK;

nomem:
    kube_mem__free(&ps.mem, ps.vals);
    kube_mem__free(&ps.mem, ps.buf);
    return kube_error_setf(KUBE_ENOMEM, "json: out of memory parsing %zu bytes", len);
error:
    if (ps.oom)
        goto nomem;
    {
        size_t off = ps.err_at ? (size_t)(ps.err_at - ps.buf) : 0;
        if (off > len)
            off = len;
        kube_error_setf(KUBE_EINVAL, "json: %s at offset %zu", ps.err ? ps.err : "syntax error", off);
    }
    kube_mem__free(&ps.mem, ps.vals);
    kube_mem__free(&ps.mem, ps.buf);
    return KUBE_EINVAL;
}

kube_error_t kube_json_parse(kube_json_doc_t **out, const char *data, size_t len,
                             const kube_json_parse_opts_t *opts)
{
    return parse_doc(out, NULL, data, len, opts);
}

kube_error_t kube_json_parse_prefix(kube_json_doc_t **out, size_t *consumed_out, const char *data,
                                    size_t len, const kube_json_parse_opts_t *opts)
{
    kube_json_parse_opts_t o = KUBE_JSON_PARSE_OPTS_INIT;
    size_t consumed = 0;
    kube_error_t rc;
    if (opts)
        o = *opts;
    o.flags |= KUBE_JSON_PARSE_ALLOW_TRAILING;
    rc = parse_doc(out, &consumed, data, len, &o);
    if (rc == KUBE_OK && consumed_out)
        *consumed_out = consumed;
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Documents                                                                */

const kube_json_t *kube_json_doc_root(const kube_json_doc_t *doc)
{
    return doc ? doc->vals : NULL;
}

kube_json_doc_t *kube_json_doc_ref(kube_json_doc_t *doc)
{
    if (doc)
        atomic_fetch_add_explicit(&doc->refs, 1, memory_order_relaxed);
    return doc;
}

void kube_json_doc_free(kube_json_doc_t *doc)
{
    kube_mem_t mem;
    if (!doc)
        return;
    if (atomic_fetch_sub_explicit(&doc->refs, 1, memory_order_acq_rel) != 1)
        return;
    mem = doc->mem;
    kube_mem__free(&mem, doc->vals);
    kube_mem__free(&mem, doc->str);
    kube_mem__free(&mem, doc);
}

size_t kube_json_doc_heap_size(const kube_json_doc_t *doc)
{
    return doc ? doc->heap : 0;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                  */

kube_json_type_t kube_json_type(const kube_json_t *v)
{
    return v ? TYPE_OF(v) : KUBE_JSON_NONE;
}

int kube_json_is_true(const kube_json_t *v)
{
    return v && (v->tag & (KUBE_JSON__TYPE_MASK | KUBE_JSON__TRUE_BIT)) ==
                    (KUBE_JSON_BOOL | KUBE_JSON__TRUE_BIT);
}

/* Shared number conversions for immutable and mutable values. */
static kube_error_t num_to_int64(kube_json_type_t t, int64_t i, uint64_t u, double d, int64_t *out)
{
    switch (t) {
    case KUBE_JSON_INT:
        *out = i;
        return KUBE_OK;
    case KUBE_JSON_UINT:
        (void)u;
        return kube_error_setf(KUBE_ERANGE, "json: integer %llu does not fit int64", (unsigned long long)u);
    case KUBE_JSON_REAL:
        if (d != floor(d))
            return kube_error_setf(KUBE_EINVAL, "json: %.17g is not an integer", d);
        if (d < -9223372036854775808.0 || d >= 9223372036854775808.0)
            return kube_error_setf(KUBE_ERANGE, "json: %.17g does not fit int64", d);
        *out = (int64_t)d;
        return KUBE_OK;
    default:
        return kube_error_setf(KUBE_EINVAL, "json: value is not a number");
    }
}

static kube_error_t num_to_uint64(kube_json_type_t t, int64_t i, uint64_t u, double d, uint64_t *out)
{
    switch (t) {
    case KUBE_JSON_INT:
        if (i < 0)
            return kube_error_setf(KUBE_ERANGE, "json: %lld is negative", (long long)i);
        *out = (uint64_t)i;
        return KUBE_OK;
    case KUBE_JSON_UINT:
        *out = u;
        return KUBE_OK;
    case KUBE_JSON_REAL:
        if (d != floor(d))
            return kube_error_setf(KUBE_EINVAL, "json: %.17g is not an integer", d);
        if (d < 0 || d >= 18446744073709551616.0)
            return kube_error_setf(KUBE_ERANGE, "json: %.17g does not fit uint64", d);
        *out = (uint64_t)d;
        return KUBE_OK;
    default:
        return kube_error_setf(KUBE_EINVAL, "json: value is not a number");
    }
}

kube_error_t kube_json_int64(const kube_json_t *v, int64_t *out)
{
    if (!v || !out)
        return kube_error_setf(KUBE_EINVAL, "json: value is absent");
    return num_to_int64(TYPE_OF(v), v->u.i, v->u.u, v->u.d, out);
}

kube_error_t kube_json_uint64(const kube_json_t *v, uint64_t *out)
{
    if (!v || !out)
        return kube_error_setf(KUBE_EINVAL, "json: value is absent");
    return num_to_uint64(TYPE_OF(v), v->u.i, v->u.u, v->u.d, out);
}

kube_error_t kube_json_double(const kube_json_t *v, double *out)
{
    if (!v || !out)
        return kube_error_setf(KUBE_EINVAL, "json: value is absent");
    switch (TYPE_OF(v)) {
    case KUBE_JSON_INT: *out = (double)v->u.i; return KUBE_OK;
    case KUBE_JSON_UINT: *out = (double)v->u.u; return KUBE_OK;
    case KUBE_JSON_REAL: *out = v->u.d; return KUBE_OK;
    default: return kube_error_setf(KUBE_EINVAL, "json: value is not a number");
    }
}

const char *kube_json_string(const kube_json_t *v)
{
    return v && TYPE_OF(v) == KUBE_JSON_STRING ? v->u.s : NULL;
}

size_t kube_json_string_len(const kube_json_t *v)
{
    return v && TYPE_OF(v) == KUBE_JSON_STRING ? LEN_OF(v) : 0;
}

int kube_json_string_eq(const kube_json_t *v, const char *s)
{
    size_t n;
    if (!v || !s || TYPE_OF(v) != KUBE_JSON_STRING)
        return 0;
    n = strlen(s);
    return LEN_OF(v) == n && memcmp(v->u.s, s, n) == 0;
}

size_t kube_json_size(const kube_json_t *v)
{
    if (!v)
        return 0;
    switch (TYPE_OF(v)) {
    case KUBE_JSON_ARRAY:
    case KUBE_JSON_OBJECT:
        return LEN_OF(v);
    default:
        return 0;
    }
}

const kube_json_t *kube_json_getn(const kube_json_t *obj, const char *key, size_t key_len)
{
    const jv_t *k, *found = NULL;
    size_t n;
    if (!obj || !key || TYPE_OF(obj) != KUBE_JSON_OBJECT)
        return NULL;
    n = LEN_OF(obj);
    k = obj + 1;
    while (n--) {
        const jv_t *val = k + 1;
        if (LEN_OF(k) == key_len && memcmp(k->u.s, key, key_len) == 0)
            found = val;
        k = kube_json__next(val);
    }
    return found;
}

const kube_json_t *kube_json_get(const kube_json_t *obj, const char *key)
{
    return key ? kube_json_getn(obj, key, strlen(key)) : NULL;
}

const kube_json_t *kube_json_at(const kube_json_t *arr, size_t index)
{
    const jv_t *e;
    if (!arr || TYPE_OF(arr) != KUBE_JSON_ARRAY || index >= LEN_OF(arr))
        return NULL;
    e = arr + 1;
    while (index--)
        e = kube_json__next(e);
    return e;
}

/* Does the pointer token [t, t+tl) (with ~0 ~1 escapes) equal the key? -1: bad escape. */
static int token_eq(const char *key, size_t klen, const char *t, size_t tl)
{
    size_t i = 0, j = 0;
    while (j < tl) {
        char c = t[j++];
        if (c == '~') {
            if (j >= tl)
                return -1;
            c = t[j++];
            if (c == '0')
                c = '~';
            else if (c == '1')
                c = '/';
            else
                return -1;
        }
        if (i >= klen || key[i] != c)
            return 0;
        i++;
    }
    return i == klen;
}

const kube_json_t *kube_json_pointer(const kube_json_t *v, const char *pointer)
{
    const char *p = pointer;
    if (!v || !pointer)
        return NULL;
    while (*p) {
        const char *t, *e;
        size_t tl;
        if (*p != '/')
            return NULL;
        t = p + 1;
        e = strchr(t, '/');
        if (!e)
            e = t + strlen(t);
        tl = (size_t)(e - t);
        if (TYPE_OF(v) == KUBE_JSON_OBJECT) {
            const jv_t *k = v + 1, *found = NULL;
            size_t n = LEN_OF(v);
            while (n--) {
                int r = token_eq(k->u.s, LEN_OF(k), t, tl);
                if (r < 0)
                    return NULL;
                if (r)
                    found = k + 1;
                k = kube_json__next(k + 1);
            }
            if (!found)
                return NULL;
            v = found;
        } else if (TYPE_OF(v) == KUBE_JSON_ARRAY) {
            size_t idx = 0, i;
            if (tl == 0 || (tl > 1 && t[0] == '0'))
                return NULL;
            for (i = 0; i < tl; i++) {
                if (t[i] < '0' || t[i] > '9')
                    return NULL;
                if (idx > (SIZE_MAX - 9) / 10)
                    return NULL;
                idx = idx * 10 + (size_t)(t[i] - '0');
            }
            v = kube_json_at(v, idx);
            if (!v)
                return NULL;
        } else {
            return NULL;
        }
        p = e;
    }
    return v;
}

static int num_equal(kube_json_type_t ta, int64_t ia, uint64_t ua, double da,
                     kube_json_type_t tb, int64_t ib, uint64_t ub, double db)
{
    if (ta == tb) {
        if (ta == KUBE_JSON_INT)
            return ia == ib;
        if (ta == KUBE_JSON_UINT)
            return ua == ub;
        return da == db;
    }
    if (ta == KUBE_JSON_REAL || tb == KUBE_JSON_REAL) {
        /* exact comparison of an integer with a double */
        double d = ta == KUBE_JSON_REAL ? da : db;
        kube_json_type_t ti = ta == KUBE_JSON_REAL ? tb : ta;
        if (d != floor(d))
            return 0;
        if (ti == KUBE_JSON_INT) {
            int64_t i = ta == KUBE_JSON_REAL ? ib : ia;
            if (d < -9223372036854775808.0 || d >= 9223372036854775808.0)
                return 0;
            return (int64_t)d == i;
        } else {
            uint64_t u = ta == KUBE_JSON_REAL ? ub : ua;
            if (d < 0 || d >= 18446744073709551616.0)
                return 0;
            return (uint64_t)d == u;
        }
    }
    return 0; /* INT vs UINT: a UINT is always above INT64_MAX */
}

static int is_num(kube_json_type_t t)
{
    return t == KUBE_JSON_INT || t == KUBE_JSON_UINT || t == KUBE_JSON_REAL;
}

int kube_json_equal(const kube_json_t *a, const kube_json_t *b)
{
    kube_json_type_t ta, tb;
    if (!a || !b)
        return a == b;
    ta = TYPE_OF(a);
    tb = TYPE_OF(b);
    if (is_num(ta) && is_num(tb))
        return num_equal(ta, a->u.i, a->u.u, a->u.d, tb, b->u.i, b->u.u, b->u.d);
    if (ta != tb)
        return 0;
    switch (ta) {
    case KUBE_JSON_NULL:
        return 1;
    case KUBE_JSON_BOOL:
        return kube_json_is_true(a) == kube_json_is_true(b);
    case KUBE_JSON_STRING:
        return LEN_OF(a) == LEN_OF(b) && memcmp(a->u.s, b->u.s, LEN_OF(a)) == 0;
    case KUBE_JSON_ARRAY: {
        size_t n = LEN_OF(a);
        const jv_t *x = a + 1, *y = b + 1;
        if (n != LEN_OF(b))
            return 0;
        while (n--) {
            if (!kube_json_equal(x, y))
                return 0;
            x = kube_json__next(x);
            y = kube_json__next(y);
        }
        return 1;
    }
    case KUBE_JSON_OBJECT: {
        /* Effective members (the last of a repeated name wins) must match both ways. */
        const jv_t *k;
        size_t n;
        for (k = a + 1, n = LEN_OF(a); n--; k = kube_json__next(k + 1)) {
            const jv_t *other = kube_json_getn(b, k->u.s, LEN_OF(k));
            if (!other || !kube_json_equal(kube_json_getn(a, k->u.s, LEN_OF(k)), other))
                return 0;
        }
        for (k = b + 1, n = LEN_OF(b); n--; k = kube_json__next(k + 1)) {
            if (!kube_json_getn(a, k->u.s, LEN_OF(k)))
                return 0;
        }
        return 1;
    }
    default:
        return 0;
    }
}

void kube_json_iter_init(kube_json_iter_t *it, const kube_json_t *container)
{
    kube_json_type_t t = kube_json_type(container);
    memset(it, 0, sizeof *it);
    if (t == KUBE_JSON_ARRAY || t == KUBE_JSON_OBJECT) {
        it->priv_ptr_[0] = container + 1;
        it->priv_n_[0] = LEN_OF(container);
        it->priv_n_[1] = t == KUBE_JSON_OBJECT;
    }
}

const kube_json_t *kube_json_iter_next(kube_json_iter_t *it, const char **key_out, size_t *key_len_out)
{
    const jv_t *v = (const jv_t *)it->priv_ptr_[0];
    if (!it->priv_n_[0])
        return NULL;
    it->priv_n_[0]--;
    if (it->priv_n_[1]) {
        if (key_out)
            *key_out = v->u.s;
        if (key_len_out)
            *key_len_out = LEN_OF(v);
        v++;
    }
    it->priv_ptr_[0] = kube_json__next(v);
    return v;
}

/* ------------------------------------------------------------------------ */
/* Writer                                                                   */

typedef struct writer {
    kube_buf_t *buf;
    char *p, *end;
    size_t old_size;
    unsigned flags;
    int tail_ok; /* strings may be read 8 bytes at a time past their end (document blocks are padded) */
} writer_t;

/* Make room for @n more bytes at w->p. */
static int w_reserve_slow(writer_t *w, size_t n)
{
    w->buf->size = (size_t)(w->p - w->buf->ptr);
    if (kube_buf_grow(w->buf, n + 256))
        return -1;
    w->p = w->buf->ptr + w->buf->size;
    w->end = w->buf->ptr + w->buf->asize - 1;
    return 0;
}

#define W_RESERVE(w, n)                                                  \
    do {                                                                 \
        if (UNLIKELY((size_t)((w)->end - (w)->p) < (size_t)(n)) &&       \
            w_reserve_slow((w), (n)))                                    \
            return -1;                                                   \
    } while (0)

static int w_init(writer_t *w, kube_buf_t *buf, unsigned flags)
{
    w->buf = buf;
    w->flags = flags;
    w->tail_ok = 0;
    w->old_size = buf->size;
    if (kube_buf_grow(buf, 256))
        return -1;
    w->p = buf->ptr + buf->size;
    w->end = buf->ptr + buf->asize - 1;
    return 0;
}

static kube_error_t w_finish(writer_t *w, int rc)
{
    if (rc) {
        w->buf->size = w->old_size;
        if (w->buf->ptr)
            w->buf->ptr[w->buf->size] = '\0';
        return kube_error_setf(KUBE_ENOMEM, "json: out of memory writing");
    }
    w->buf->size = (size_t)(w->p - w->buf->ptr);
    w->buf->ptr[w->buf->size] = '\0';
    return KUBE_OK;
}

/* 1: always escaped; 2: escaped with ESCAPE_HTML; 3: 0xE2 (maybe U+2028/2029). */
static const unsigned char esc_class[256] = {
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    0,0,1,0,0,0,2,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,2,0,2,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,3,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
};

static const char hex_digits[] = "0123456789abcdef";

/* Nonzero when the 8 bytes hold '<', '>' or '&'. */
static inline uint64_t swar_html(uint64_t w)
{
    uint64_t a = w ^ (ONES * '<'), b = w ^ (ONES * '>'), c = w ^ (ONES * '&');
    return (((a - ONES) & ~a) | ((b - ONES) & ~b) | ((c - ONES) & ~c)) & HIGHS;
}

/* One pass: 8 bytes at a time are checked and copied together; capacity for the
 * rest of the string (plus the closing quote) is always reserved, and re-reserved
 * before each escape, which can take up to 6 bytes for 1. */
static int w_str(writer_t *w, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str, *e = s + len;
    unsigned html = (w->flags & KUBE_JSON_WRITE_ESCAPE_HTML) ? 2 : 1;
    char *p;
    W_RESERVE(w, len + 2 + 8);
    p = w->p;
    *p++ = '"';
    while (s < e) {
        unsigned c, cls;
        if (SWAR_LE && (w->tail_ok || e - s >= 8)) {
            /* copy 8 bytes (the output has room), keep those before the first
             * byte that may need escaping or the end of the string */
            uint64_t x, m;
            size_t k = (size_t)(e - s), n;
            memcpy(&x, s, 8);
            m = swar_special(x) | (html == 2 ? swar_html(x) : 0);
            if (k < 8)
                m |= (uint64_t)0x80 << (8 * k);
            memcpy(p, &x, 8);
            n = m ? SWAR_FIRST(m) : 8;
            p += n;
            s += n;
            if (n)
                continue;
        } else if (e - s >= 8) {
            uint64_t x;
            memcpy(&x, s, 8);
            if (!swar_special(x) && (html == 1 || !swar_html(x))) {
                memcpy(p, &x, 8);
                p += 8;
                s += 8;
                continue;
            }
        }
        c = *s;
        cls = esc_class[c];
        if (LIKELY(!cls) || (cls == 2 && html == 1) ||
            (cls == 3 && !(e - s >= 3 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9)))) {
            *p++ = (char)c;
            s++;
            continue;
        }
        w->p = p;
        W_RESERVE(w, (size_t)(e - s) + 16);
        p = w->p;
        if (cls == 3) {
            memcpy(p, s[2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
            p += 6;
            s += 3;
            continue;
        }
        p[0] = '\\';
        switch (c) {
        case '"': p[1] = '"'; p += 2; break;
        case '\\': p[1] = '\\'; p += 2; break;
        case '\n': p[1] = 'n'; p += 2; break;
        case '\r': p[1] = 'r'; p += 2; break;
        case '\t': p[1] = 't'; p += 2; break;
        case '\b': p[1] = 'b'; p += 2; break;
        case '\f': p[1] = 'f'; p += 2; break;
        default:
            memcpy(p + 1, "u00", 3);
            p[4] = hex_digits[c >> 4];
            p[5] = hex_digits[c & 15];
            p += 6;
        }
        s++;
    }
    *p++ = '"';
    w->p = p;
    return 0;
}

/* Strings of up to 16 bytes with nothing to escape, from a padded document block:
 * two 8-byte loads, one check, two stores. Returns 1 when written (with a ':' after
 * it when @colon), 0 when the caller must take w_str(). */
static inline int w_str_short(writer_t *w, const char *str, size_t len, int colon)
{
#if SWAR_LE
    uint64_t a, b, ma, mb;
    char *p = w->p;
    if (len > 16 || !w->tail_ok || (size_t)(w->end - p) < 20 || (w->flags & KUBE_JSON_WRITE_ESCAPE_HTML))
        return 0;
    memcpy(&a, str, 8);
    memcpy(&b, str + 8, 8);
    ma = swar_special(a);
    mb = swar_special(b);
    if (len < 8) {
        ma &= ((uint64_t)1 << (8 * len)) - 1;
        mb = 0;
    } else if (len < 16) {
        mb &= ((uint64_t)1 << (8 * (len - 8))) - 1;
    }
    if (ma | mb)
        return 0;
    p[0] = '"';
    memcpy(p + 1, &a, 8);
    memcpy(p + 9, &b, 8);
    p[len + 1] = '"';
    p[len + 2] = ':';
    w->p = p + len + 2 + (colon != 0);
    return 1;
#else
    (void)w;
    (void)str;
    (void)len;
    (void)colon;
    return 0;
#endif
}

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static size_t u64_to_str(char *out, uint64_t u)
{
    char tmp[24];
    char *e = tmp + sizeof tmp, *q = e;
    size_t n;
    while (u >= 100) {
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        q -= 2;
        memcpy(q, digit_pairs + 2 * r, 2);
    }
    if (u >= 10) {
        q -= 2;
        memcpy(q, digit_pairs + 2 * u, 2);
    } else {
        *--q = (char)('0' + u);
    }
    n = (size_t)(e - q);
    memcpy(out, q, n);
    return n;
}

static size_t i64_to_str(char *out, int64_t i)
{
    if (i < 0) {
        *out = '-';
        return 1 + u64_to_str(out + 1, (uint64_t)0 - (uint64_t)i);
    }
    return u64_to_str(out, (uint64_t)i);
}

/* Format a finite double as Go's encoding/json does (shortest digits that read back
 * to the same value; exponent form below 1e-6 and from 1e21). @out has >= 40 bytes. */
static size_t fmt_double(char *out, double d)
{
    char tmp[48], digits[24], num[48];
    int prec, exp10 = 0, nd = 0, eneg = 0, i, shorter = 0;
    size_t n = 0;
    double ad = fabs(d);
    if (d == 0) {
        if (signbit(d)) {
            memcpy(out, "-0", 2);
            return 2;
        }
        out[0] = '0';
        return 1;
    }
    for (prec = 15; prec <= 17; prec++) {
        const char *s;
        double back;
        size_t k;
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, ad);
        /* digits and exponent, whatever the locale's decimal point looks like */
        nd = 0;
        s = tmp;
        while (*s && *s != 'e') {
            if (*s >= '0' && *s <= '9')
                digits[nd++] = *s;
            s++;
        }
        exp10 = 0;
        eneg = 0;
        if (*s == 'e') {
            s++;
            if (*s == '-' || *s == '+')
                eneg = *s++ == '-';
            while (*s >= '0' && *s <= '9')
                exp10 = exp10 * 10 + (*s++ - '0');
        }
        if (eneg)
            exp10 = -exp10;
        while (nd > 1 && digits[nd - 1] == '0')
            nd--;
        /* read back d.ddd e exp10 */
        k = 0;
        num[k++] = digits[0];
        if (nd > 1) {
            num[k++] = '.';
            memcpy(num + k, digits + 1, (size_t)nd - 1);
            k += (size_t)nd - 1;
        }
        k += (size_t)snprintf(num + k, sizeof num - k, "e%d", exp10);
        if (kube_json__strtod(kube_default_allocator(), num, k, &back) == 0 && back == ad) {
            /* 15 digits that read back, trailing zeros dropped, are the shortest form
             * for normal numbers; subnormals carry fewer digits, so search below. */
            if (prec == 15 && ad < DBL_MIN && nd > 1 && !shorter) {
                shorter = 1;
                prec = 0;
                continue;
            }
            break;
        }
        if (shorter && prec >= 15)
            shorter = 0;
    }
    if (signbit(d))
        out[n++] = '-';
    /* Exponent form as Go below 1e-6 and from 1e21; also above 2^53, where the
     * shortest digits in plain form would read back as a different exact integer
     * (Go prints those in plain form: reading them with Go gives the same double). */
    if (ad < 1e-6 || ad >= 1e21 || ad > 9007199254740992.0) {
        out[n++] = digits[0];
        if (nd > 1) {
            out[n++] = '.';
            memcpy(out + n, digits + 1, (size_t)nd - 1);
            n += (size_t)nd - 1;
        }
        out[n++] = 'e';
        if (exp10 < 0) {
            out[n++] = '-';
            n += u64_to_str(out + n, (uint64_t)-exp10);
        } else {
            out[n++] = '+';
            if (exp10 < 10)
                out[n++] = '0';
            n += u64_to_str(out + n, (uint64_t)exp10);
        }
        return n;
    }
    if (exp10 < 0) {
        out[n++] = '0';
        out[n++] = '.';
        for (i = -1; i > exp10; i--)
            out[n++] = '0';
        memcpy(out + n, digits, (size_t)nd);
        return n + (size_t)nd;
    }
    for (i = 0; i < nd || i <= exp10; i++) {
        if (i == exp10 + 1)
            out[n++] = '.';
        out[n++] = i < nd ? digits[i] : '0';
    }
    return n;
}

static int w_newline(writer_t *w, size_t depth)
{
    W_RESERVE(w, 2 * depth + 1);
    *w->p++ = '\n';
    memset(w->p, ' ', 2 * depth);
    w->p += 2 * depth;
    return 0;
}

static int w_scalar(writer_t *w, kube_json_type_t t, int is_true, int64_t i, uint64_t u, double d,
                    const char *s, size_t len)
{
    switch (t) {
    case KUBE_JSON_NULL:
        W_RESERVE(w, 4);
        memcpy(w->p, "null", 4);
        w->p += 4;
        return 0;
    case KUBE_JSON_BOOL:
        W_RESERVE(w, 5);
        if (is_true) {
            memcpy(w->p, "true", 4);
            w->p += 4;
        } else {
            memcpy(w->p, "false", 5);
            w->p += 5;
        }
        return 0;
    case KUBE_JSON_INT:
        W_RESERVE(w, 24);
        w->p += i64_to_str(w->p, i);
        return 0;
    case KUBE_JSON_UINT:
        W_RESERVE(w, 24);
        w->p += u64_to_str(w->p, u);
        return 0;
    case KUBE_JSON_REAL:
        W_RESERVE(w, 48);
        w->p += fmt_double(w->p, d);
        return 0;
    case KUBE_JSON_STRING:
        return w_str(w, s, len);
    default:
        return -1;
    }
}

/* Growable stack of small records for the non-recursive walks. */
typedef struct wstack {
    size_t *items;
    size_t n, cap;
    size_t local[128];
    const kube_mem_t *mem;
} wstack_t;

static void ws_init(wstack_t *st, const kube_mem_t *mem)
{
    st->items = st->local;
    st->n = 0;
    st->cap = sizeof st->local / sizeof st->local[0];
    st->mem = mem;
}

static int ws_push(wstack_t *st, size_t v)
{
    if (st->n == st->cap) {
        size_t ncap = st->cap * 2;
        size_t *ni;
        if (ncap > SIZE_MAX / sizeof(size_t))
            return -1;
        ni = (size_t *)kube_mem__malloc(st->mem, ncap * sizeof(size_t));
        if (!ni)
            return -1;
        memcpy(ni, st->items, st->n * sizeof(size_t));
        if (st->items != st->local)
            kube_mem__free(st->mem, st->items);
        st->items = ni;
        st->cap = ncap;
    }
    st->items[st->n++] = v;
    return 0;
}

static void ws_dispose(wstack_t *st)
{
    if (st->items != st->local)
        kube_mem__free(st->mem, st->items);
}

/* Stack records for the writer: remaining count << 1 | is_object. */
static int write_imm(writer_t *w, const jv_t *v, wstack_t *st)
{
    int pretty = (w->flags & KUBE_JSON_WRITE_PRETTY) != 0;
    for (;;) {
        kube_json_type_t t = TYPE_OF(v);
        if (t == KUBE_JSON_ARRAY || t == KUBE_JSON_OBJECT) {
            size_t n = LEN_OF(v);
            W_RESERVE(w, 2);
            if (n == 0) {
                *w->p++ = t == KUBE_JSON_OBJECT ? '{' : '[';
                *w->p++ = t == KUBE_JSON_OBJECT ? '}' : ']';
                v++;
                goto after;
            }
            *w->p++ = t == KUBE_JSON_OBJECT ? '{' : '[';
            if (ws_push(st, (n << 1) | (t == KUBE_JSON_OBJECT)))
                return -1;
            v++;
            goto element;
        }
        if (!(t == KUBE_JSON_STRING && w_str_short(w, v->u.s, LEN_OF(v), 0)) &&
            w_scalar(w, t, kube_json_is_true(v), v->u.i, v->u.u, v->u.d,
                     t == KUBE_JSON_STRING ? v->u.s : NULL, LEN_OF(v)))
            return -1;
        v++;
    after:
        for (;;) {
            size_t *top;
            if (st->n == 0)
                return 0;
            top = &st->items[st->n - 1];
            *top -= 2;
            if (*top >> 1) {
                W_RESERVE(w, 1);
                *w->p++ = ',';
                break;
            }
            st->n--;
            if (pretty && w_newline(w, st->n))
                return -1;
            W_RESERVE(w, 1);
            *w->p++ = (*top & 1) ? '}' : ']';
        }
    element:
        if (pretty && w_newline(w, st->n))
            return -1;
        if (st->items[st->n - 1] & 1) {
            if (pretty || !w_str_short(w, v->u.s, LEN_OF(v), 1)) {
                if (w_str(w, v->u.s, LEN_OF(v)))
                    return -1;
                W_RESERVE(w, 2);
                *w->p++ = ':';
                if (pretty)
                    *w->p++ = ' ';
            }
            v++;
        }
    }
}

kube_error_t kube_json_write(kube_buf_t *buf, const kube_json_t *v, unsigned int flags)
{
    writer_t w;
    wstack_t st;
    int rc;
    if (!buf || !v)
        return kube_error_setf(KUBE_EINVAL, "kube_json_write: NULL argument");
    if (w_init(&w, buf, flags))
        return kube_error_setf(KUBE_ENOMEM, "json: out of memory writing");
    w.tail_ok = 1; /* parsed and frozen documents pad their string blocks */
    ws_init(&st, &buf->mem);
    rc = write_imm(&w, v, &st);
    ws_dispose(&st);
    return w_finish(&w, rc);
}

/* ------------------------------------------------------------------------ */
/* Mutable documents                                                        */

struct kube_json_mut {
    kube_json_mut_doc_t *doc;
    kube_json_mut_t *parent; /* NULL while detached */
    kube_json_mut_t *next;   /* next sibling */
    const char *key;         /* member name while in an object */
    size_t key_len;
    size_t len;              /* string bytes, or child count */
    unsigned char type;
    unsigned char bval;
    union {
        int64_t i;
        uint64_t u;
        double d;
        char *s;
        struct {
            kube_json_mut_t *head, *tail;
        } c;
    } u;
};

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
} chunk_t;

#define CHUNK_HDR ((sizeof(chunk_t) + 15) & ~(size_t)15)

struct kube_json_mut_doc {
    kube_mem_t mem;
    chunk_t *chunks;
    kube_json_mut_t *root;
    size_t next_chunk;
};

kube_error_t kube_json_mut_doc_new(kube_json_mut_doc_t **out, const kube_mem_t *mem)
{
    kube_mem_t m = kube_mem__pick(mem);
    kube_json_mut_doc_t *d;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "kube_json_mut_doc_new: NULL out");
    d = (kube_json_mut_doc_t *)kube_mem__malloc(&m, sizeof *d);
    if (!d)
        return kube_error_setf(KUBE_ENOMEM, "json: out of memory creating a document");
    d->mem = m;
    d->chunks = NULL;
    d->root = NULL;
    d->next_chunk = 1024;
    *out = d;
    return KUBE_OK;
}

void kube_json_mut_doc_free(kube_json_mut_doc_t *doc)
{
    chunk_t *c, *n;
    kube_mem_t mem;
    if (!doc)
        return;
    mem = doc->mem;
    for (c = doc->chunks; c; c = n) {
        n = c->next;
        kube_mem__free(&mem, c);
    }
    kube_mem__free(&mem, doc);
}

static void *arena_alloc(kube_json_mut_doc_t *doc, size_t size)
{
    chunk_t *c = doc->chunks;
    void *p;
    size = (size + 7) & ~(size_t)7;
    if (!c || c->size - c->used < size) {
        size_t want = doc->next_chunk;
        if (size > SIZE_MAX - CHUNK_HDR) {
            kube_error_setf(KUBE_ENOMEM, "json: allocation too large");
            return NULL;
        }
        if (want < size + CHUNK_HDR)
            want = size + CHUNK_HDR;
        c = (chunk_t *)kube_mem__malloc(&doc->mem, want);
        if (!c) {
            kube_error_setf(KUBE_ENOMEM, "json: out of memory building a document");
            return NULL;
        }
        c->size = want;
        c->used = CHUNK_HDR;
        c->next = doc->chunks;
        doc->chunks = c;
        if (doc->next_chunk < 64 * 1024)
            doc->next_chunk *= 2;
    }
    p = (char *)c + c->used;
    c->used += size;
    return p;
}

static kube_json_mut_t *mut_new(kube_json_mut_doc_t *doc, kube_json_type_t t)
{
    kube_json_mut_t *v;
    if (!doc) {
        kube_error_setf(KUBE_EINVAL, "json: NULL document");
        return NULL;
    }
    v = (kube_json_mut_t *)arena_alloc(doc, sizeof *v);
    if (!v)
        return NULL;
    memset(v, 0, sizeof *v);
    v->doc = doc;
    v->type = (unsigned char)t;
    return v;
}

kube_json_mut_t *kube_json_mut_doc_root(const kube_json_mut_doc_t *doc)
{
    return doc ? doc->root : NULL;
}

void kube_json_mut_doc_set_root(kube_json_mut_doc_t *doc, kube_json_mut_t *root)
{
    if (doc && (!root || root->doc == doc))
        doc->root = root;
}

kube_json_mut_t *kube_json_mut_null(kube_json_mut_doc_t *doc)
{
    return mut_new(doc, KUBE_JSON_NULL);
}

kube_json_mut_t *kube_json_mut_bool(kube_json_mut_doc_t *doc, int value)
{
    kube_json_mut_t *v = mut_new(doc, KUBE_JSON_BOOL);
    if (v)
        v->bval = value != 0;
    return v;
}

kube_json_mut_t *kube_json_mut_int(kube_json_mut_doc_t *doc, int64_t value)
{
    kube_json_mut_t *v = mut_new(doc, KUBE_JSON_INT);
    if (v)
        v->u.i = value;
    return v;
}

kube_json_mut_t *kube_json_mut_uint(kube_json_mut_doc_t *doc, uint64_t value)
{
    kube_json_mut_t *v;
    if (value <= (uint64_t)INT64_MAX)
        return kube_json_mut_int(doc, (int64_t)value);
    v = mut_new(doc, KUBE_JSON_UINT);
    if (v)
        v->u.u = value;
    return v;
}

kube_json_mut_t *kube_json_mut_real(kube_json_mut_doc_t *doc, double value)
{
    kube_json_mut_t *v;
    if (!isfinite(value)) {
        kube_error_setf(KUBE_EINVAL, "json: NaN and infinities have no JSON form");
        return NULL;
    }
    v = mut_new(doc, KUBE_JSON_REAL);
    if (v)
        v->u.d = value;
    return v;
}

static char *arena_strndup(kube_json_mut_doc_t *doc, const char *s, size_t len)
{
    char *p;
    if (len == SIZE_MAX) {
        kube_error_setf(KUBE_ENOMEM, "json: string too large");
        return NULL;
    }
    p = (char *)arena_alloc(doc, len + 1);
    if (p) {
        if (len)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

kube_json_mut_t *kube_json_mut_strn(kube_json_mut_doc_t *doc, const char *s, size_t len)
{
    kube_json_mut_t *v;
    char *copy;
    if (!s && len) {
        kube_error_setf(KUBE_EINVAL, "json: NULL string");
        return NULL;
    }
    if (!kube_encoding__utf8_valid((const uint8_t *)s, len, NULL)) {
        kube_error_setf(KUBE_EINVAL, "json: string is not valid UTF-8");
        return NULL;
    }
    if (!(v = mut_new(doc, KUBE_JSON_STRING)))
        return NULL;
    if (!(copy = arena_strndup(doc, s ? s : "", len)))
        return NULL;
    v->u.s = copy;
    v->len = len;
    return v;
}

kube_json_mut_t *kube_json_mut_str(kube_json_mut_doc_t *doc, const char *s)
{
    if (!s) {
        kube_error_setf(KUBE_EINVAL, "json: NULL string");
        return NULL;
    }
    return kube_json_mut_strn(doc, s, strlen(s));
}

kube_json_mut_t *kube_json_mut_arr(kube_json_mut_doc_t *doc)
{
    return mut_new(doc, KUBE_JSON_ARRAY);
}

kube_json_mut_t *kube_json_mut_obj(kube_json_mut_doc_t *doc)
{
    return mut_new(doc, KUBE_JSON_OBJECT);
}

static int is_ctn(unsigned char t)
{
    return t == KUBE_JSON_ARRAY || t == KUBE_JSON_OBJECT;
}

/* Append a detached @child to @parent (which must be a container). */
static void link_append(kube_json_mut_t *parent, kube_json_mut_t *child)
{
    child->parent = parent;
    child->next = NULL;
    if (parent->u.c.tail)
        parent->u.c.tail->next = child;
    else
        parent->u.c.head = child;
    parent->u.c.tail = child;
    parent->len++;
}

/* Copy an immutable scalar into a new mutable value of @doc (strings are copied). */
static kube_json_mut_t *mut_from_imm_scalar(kube_json_mut_doc_t *doc, const jv_t *v)
{
    kube_json_mut_t *m = mut_new(doc, TYPE_OF(v));
    if (!m)
        return NULL;
    switch (TYPE_OF(v)) {
    case KUBE_JSON_BOOL: m->bval = kube_json_is_true(v); break;
    case KUBE_JSON_INT: m->u.i = v->u.i; break;
    case KUBE_JSON_UINT: m->u.u = v->u.u; break;
    case KUBE_JSON_REAL: m->u.d = v->u.d; break;
    case KUBE_JSON_STRING:
        if (!(m->u.s = arena_strndup(doc, v->u.s, LEN_OF(v))))
            return NULL;
        m->len = LEN_OF(v);
        break;
    default: break;
    }
    return m;
}

kube_json_mut_t *kube_json_mut_copy(kube_json_mut_doc_t *doc, const kube_json_t *v)
{
    kube_json_mut_t *root = NULL, *ctn = NULL;
    wstack_t st; /* remaining element counts of the open containers */
    if (!v || !doc) {
        kube_error_setf(KUBE_EINVAL, "kube_json_mut_copy: NULL argument");
        return NULL;
    }
    ws_init(&st, &doc->mem);
    for (;;) {
        const char *key = NULL;
        size_t key_len = 0;
        kube_json_mut_t *m;
        if (ctn && ctn->type == KUBE_JSON_OBJECT) {
            key = v->u.s;
            key_len = LEN_OF(v);
            v++;
        }
        m = mut_from_imm_scalar(doc, v);
        if (!m)
            goto fail;
        if (key) {
            if (!(m->key = arena_strndup(doc, key, key_len)))
                goto fail;
            m->key_len = key_len;
        }
        if (ctn)
            link_append(ctn, m);
        else
            root = m;
        if (is_ctn(m->type) && LEN_OF(v)) {
            if (ws_push(&st, LEN_OF(v)))
                goto nomem;
            ctn = m;
            v++;
            continue;
        }
        v++;
        /* close finished containers */
        for (;;) {
            if (!ctn)
                goto done;
            if (--st.items[st.n - 1])
                break;
            st.n--;
            ctn = ctn->parent;
            if (st.n == 0) {
                ctn = NULL;
                goto done;
            }
        }
    }
done:
    ws_dispose(&st);
    root->parent = NULL;
    return root;
nomem:
    kube_error_setf(KUBE_ENOMEM, "json: out of memory copying a value");
fail:
    ws_dispose(&st);
    return NULL;
}

/* Shallow copy of a mutable value's scalar content into @doc. */
static kube_json_mut_t *mut_clone_scalar(kube_json_mut_doc_t *doc, const kube_json_mut_t *v)
{
    kube_json_mut_t *m = mut_new(doc, (kube_json_type_t)v->type);
    if (!m)
        return NULL;
    m->bval = v->bval;
    switch (v->type) {
    case KUBE_JSON_STRING:
        if (!(m->u.s = arena_strndup(doc, v->u.s, v->len)))
            return NULL;
        m->len = v->len;
        break;
    case KUBE_JSON_ARRAY:
    case KUBE_JSON_OBJECT:
        break;
    default:
        m->u = v->u;
    }
    return m;
}

kube_json_mut_t *kube_json_mut_dup(kube_json_mut_doc_t *doc, const kube_json_mut_t *v)
{
    const kube_json_mut_t *src = v;
    kube_json_mut_t *root = NULL, *dst_ctn = NULL;
    if (!v || !doc) {
        kube_error_setf(KUBE_EINVAL, "kube_json_mut_dup: NULL argument");
        return NULL;
    }
    for (;;) {
        kube_json_mut_t *m = mut_clone_scalar(doc, src);
        if (!m)
            return NULL;
        if (dst_ctn) {
            if (dst_ctn->type == KUBE_JSON_OBJECT) {
                if (!(m->key = arena_strndup(doc, src->key, src->key_len)))
                    return NULL;
                m->key_len = src->key_len;
            }
            link_append(dst_ctn, m);
        } else {
            root = m;
        }
        if (is_ctn(src->type) && src->u.c.head) {
            dst_ctn = m;
            src = src->u.c.head;
            continue;
        }
        /* next sibling, or climb */
        for (;;) {
            if (src == v)
                return root;
            if (src->next) {
                src = src->next;
                break;
            }
            src = src->parent;
            dst_ctn = dst_ctn->parent;
        }
    }
}

static int mut_detached_ok(kube_json_mut_t *ctn, kube_json_mut_t *val)
{
    const kube_json_mut_t *a;
    if (!ctn || !val || val->doc != ctn->doc || val->parent || val == ctn->doc->root)
        return 0;
    for (a = ctn; a; a = a->parent) /* no cycles */
        if (a == val)
            return 0;
    return 1;
}

kube_error_t kube_json_mut_obj_setn(kube_json_mut_t *obj, const char *key, size_t key_len,
                                    kube_json_mut_t *val)
{
    kube_json_mut_t *m, *prev = NULL;
    if (!obj || obj->type != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "json: set on a value that is not an object");
    if (!key || !mut_detached_ok(obj, val))
        return kube_error_setf(KUBE_EINVAL, "json: set needs a key and a detached value of the same document");
    if (!kube_encoding__utf8_valid((const uint8_t *)key, key_len, NULL))
        return kube_error_setf(KUBE_EINVAL, "json: member name is not valid UTF-8");
    for (m = obj->u.c.head; m; prev = m, m = m->next) {
        if (m->key_len == key_len && memcmp(m->key, key, key_len) == 0) {
            /* replace in place */
            val->key = m->key;
            val->key_len = m->key_len;
            val->parent = obj;
            val->next = m->next;
            if (prev)
                prev->next = val;
            else
                obj->u.c.head = val;
            if (obj->u.c.tail == m)
                obj->u.c.tail = val;
            m->parent = NULL;
            m->next = NULL;
            m->key = NULL;
            m->key_len = 0;
            return KUBE_OK;
        }
    }
    if (!(val->key = arena_strndup(obj->doc, key, key_len)))
        return KUBE_ENOMEM;
    val->key_len = key_len;
    link_append(obj, val);
    return KUBE_OK;
}

kube_error_t kube_json_mut_obj_set(kube_json_mut_t *obj, const char *key, kube_json_mut_t *val)
{
    if (!key)
        return kube_error_setf(KUBE_EINVAL, "json: NULL member name");
    return kube_json_mut_obj_setn(obj, key, strlen(key), val);
}

kube_error_t kube_json_mut_obj_set_str(kube_json_mut_t *obj, const char *key, const char *s)
{
    kube_json_mut_t *v;
    if (!obj || obj->type != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "json: set on a value that is not an object");
    if (!(v = kube_json_mut_str(obj->doc, s)))
        return kube_error_last()->code;
    return kube_json_mut_obj_set(obj, key, v);
}

kube_error_t kube_json_mut_obj_set_int(kube_json_mut_t *obj, const char *key, int64_t value)
{
    kube_json_mut_t *v;
    if (!obj || obj->type != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "json: set on a value that is not an object");
    if (!(v = kube_json_mut_int(obj->doc, value)))
        return kube_error_last()->code;
    return kube_json_mut_obj_set(obj, key, v);
}

kube_error_t kube_json_mut_obj_set_bool(kube_json_mut_t *obj, const char *key, int value)
{
    kube_json_mut_t *v;
    if (!obj || obj->type != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "json: set on a value that is not an object");
    if (!(v = kube_json_mut_bool(obj->doc, value)))
        return kube_error_last()->code;
    return kube_json_mut_obj_set(obj, key, v);
}

kube_json_mut_t *kube_json_mut_obj_get(const kube_json_mut_t *obj, const char *key)
{
    kube_json_mut_t *m;
    size_t n;
    if (!obj || !key || obj->type != KUBE_JSON_OBJECT)
        return NULL;
    n = strlen(key);
    for (m = obj->u.c.head; m; m = m->next)
        if (m->key_len == n && memcmp(m->key, key, n) == 0)
            return m;
    return NULL;
}

/* Unlink child @m (preceded by @prev) from container @c. */
static void unlink_child(kube_json_mut_t *c, kube_json_mut_t *prev, kube_json_mut_t *m)
{
    if (prev)
        prev->next = m->next;
    else
        c->u.c.head = m->next;
    if (c->u.c.tail == m)
        c->u.c.tail = prev;
    c->len--;
    m->parent = NULL;
    m->next = NULL;
    m->key = NULL;
    m->key_len = 0;
}

int kube_json_mut_obj_remove(kube_json_mut_t *obj, const char *key)
{
    kube_json_mut_t *m, *prev = NULL;
    size_t n;
    if (!obj || !key || obj->type != KUBE_JSON_OBJECT)
        return 0;
    n = strlen(key);
    for (m = obj->u.c.head; m; prev = m, m = m->next) {
        if (m->key_len == n && memcmp(m->key, key, n) == 0) {
            unlink_child(obj, prev, m);
            return 1;
        }
    }
    return 0;
}

kube_error_t kube_json_mut_arr_append(kube_json_mut_t *arr, kube_json_mut_t *val)
{
    if (!arr || arr->type != KUBE_JSON_ARRAY)
        return kube_error_setf(KUBE_EINVAL, "json: append to a value that is not an array");
    if (!mut_detached_ok(arr, val))
        return kube_error_setf(KUBE_EINVAL, "json: append needs a detached value of the same document");
    link_append(arr, val);
    return KUBE_OK;
}

kube_error_t kube_json_mut_arr_insert(kube_json_mut_t *arr, size_t index, kube_json_mut_t *val)
{
    kube_json_mut_t *prev = NULL;
    size_t i;
    if (!arr || arr->type != KUBE_JSON_ARRAY)
        return kube_error_setf(KUBE_EINVAL, "json: insert into a value that is not an array");
    if (index > arr->len)
        return kube_error_setf(KUBE_EINVAL, "json: insert at %zu past the end (%zu)", index, arr->len);
    if (!mut_detached_ok(arr, val))
        return kube_error_setf(KUBE_EINVAL, "json: insert needs a detached value of the same document");
    if (index == arr->len) {
        link_append(arr, val);
        return KUBE_OK;
    }
    for (i = 0; i < index; i++)
        prev = prev ? prev->next : arr->u.c.head;
    val->parent = arr;
    if (prev) {
        val->next = prev->next;
        prev->next = val;
    } else {
        val->next = arr->u.c.head;
        arr->u.c.head = val;
    }
    arr->len++;
    return KUBE_OK;
}

kube_json_mut_t *kube_json_mut_arr_remove(kube_json_mut_t *arr, size_t index)
{
    kube_json_mut_t *m, *prev = NULL;
    if (!arr || arr->type != KUBE_JSON_ARRAY || index >= arr->len)
        return NULL;
    m = arr->u.c.head;
    while (index--) {
        prev = m;
        m = m->next;
    }
    unlink_child(arr, prev, m);
    return m;
}

kube_json_mut_t *kube_json_mut_at(const kube_json_mut_t *arr, size_t index)
{
    kube_json_mut_t *m;
    if (!arr || arr->type != KUBE_JSON_ARRAY || index >= arr->len)
        return NULL;
    m = arr->u.c.head;
    while (index--)
        m = m->next;
    return m;
}

kube_json_type_t kube_json_mut_type(const kube_json_mut_t *v)
{
    return v ? (kube_json_type_t)v->type : KUBE_JSON_NONE;
}

size_t kube_json_mut_size(const kube_json_mut_t *v)
{
    return v && is_ctn(v->type) ? v->len : 0;
}

const char *kube_json_mut_string(const kube_json_mut_t *v)
{
    return v && v->type == KUBE_JSON_STRING ? v->u.s : NULL;
}

kube_error_t kube_json_mut_int64(const kube_json_mut_t *v, int64_t *out)
{
    if (!v || !out)
        return kube_error_setf(KUBE_EINVAL, "json: value is absent");
    return num_to_int64((kube_json_type_t)v->type, v->u.i, v->u.u, v->u.d, out);
}

int kube_json_mut_is_true(const kube_json_mut_t *v)
{
    return v && v->type == KUBE_JSON_BOOL && v->bval;
}

void kube_json_mut_iter_init(kube_json_mut_iter_t *it, const kube_json_mut_t *container)
{
    memset(it, 0, sizeof *it);
    if (container && is_ctn(container->type))
        it->priv_ptr_[0] = container->u.c.head;
}

kube_json_mut_t *kube_json_mut_iter_next(kube_json_mut_iter_t *it, const char **key_out, size_t *key_len_out)
{
    kube_json_mut_t *m = (kube_json_mut_t *)it->priv_ptr_[0];
    if (!m)
        return NULL;
    it->priv_ptr_[0] = m->next;
    if (m->parent && m->parent->type == KUBE_JSON_OBJECT) {
        if (key_out)
            *key_out = m->key;
        if (key_len_out)
            *key_len_out = m->key_len;
    }
    return m;
}

static int write_mut(writer_t *w, const kube_json_mut_t *root)
{
    int pretty = (w->flags & KUBE_JSON_WRITE_PRETTY) != 0;
    const kube_json_mut_t *v = root;
    size_t depth = 0;
    for (;;) {
        if (is_ctn(v->type)) {
            W_RESERVE(w, 2);
            *w->p++ = v->type == KUBE_JSON_OBJECT ? '{' : '[';
            if (v->u.c.head) {
                depth++;
                v = v->u.c.head;
                goto element;
            }
            *w->p++ = v->type == KUBE_JSON_OBJECT ? '}' : ']';
        } else if (w_scalar(w, (kube_json_type_t)v->type, v->bval, v->u.i, v->u.u, v->u.d,
                            v->type == KUBE_JSON_STRING ? v->u.s : NULL, v->len)) {
            return -1;
        }
        for (;;) {
            if (v == root)
                return 0;
            if (v->next) {
                W_RESERVE(w, 1);
                *w->p++ = ',';
                v = v->next;
                break;
            }
            v = v->parent;
            depth--;
            if (pretty && w_newline(w, depth))
                return -1;
            W_RESERVE(w, 1);
            *w->p++ = v->type == KUBE_JSON_OBJECT ? '}' : ']';
        }
    element:
        if (pretty && w_newline(w, depth))
            return -1;
        if (v->parent->type == KUBE_JSON_OBJECT) {
            if (w_str(w, v->key, v->key_len))
                return -1;
            W_RESERVE(w, 2);
            *w->p++ = ':';
            if (pretty)
                *w->p++ = ' ';
        }
    }
}

kube_error_t kube_json_mut_write(kube_buf_t *buf, const kube_json_mut_t *v, unsigned int flags)
{
    writer_t w;
    if (!buf || !v)
        return kube_error_setf(KUBE_EINVAL, "kube_json_mut_write: NULL argument");
    if (w_init(&w, buf, flags))
        return kube_error_setf(KUBE_ENOMEM, "json: out of memory writing");
    return w_finish(&w, write_mut(&w, v));
}

/* Walk a mutable tree in document order without recursion; returns the next value
 * after @v (its first child, next sibling, or an ancestor's next sibling), or NULL
 * when the walk of @root is complete. *closed receives how many containers closed. */
static const kube_json_mut_t *mut_walk_next(const kube_json_mut_t *root, const kube_json_mut_t *v,
                                            size_t *closed)
{
    *closed = 0;
    if (is_ctn(v->type) && v->u.c.head)
        return v->u.c.head;
    for (;;) {
        if (v == root)
            return NULL;
        if (v->next)
            return v->next;
        v = v->parent;
        (*closed)++;
    }
}

kube_error_t kube_json_mut_freeze(kube_json_doc_t **out, const kube_json_mut_t *root, const kube_mem_t *mem)
{
    kube_mem_t m = kube_mem__pick(mem);
    const kube_json_mut_t *v;
    size_t nvals = 0, nstr = 0, closed, i, k;
    kube_json_doc_t *doc = NULL;
    jv_t *vals = NULL;
    char *str = NULL, *sp;
    wstack_t st;
    if (!out || !root)
        return kube_error_setf(KUBE_EINVAL, "kube_json_mut_freeze: NULL argument");
    for (v = root; v; v = mut_walk_next(root, v, &closed)) {
        nvals++;
        if (v != root && v->parent->type == KUBE_JSON_OBJECT) {
            nvals++;
            nstr += v->key_len + 1;
        }
        if (v->type == KUBE_JSON_STRING)
            nstr += v->len + 1;
    }
    if (nvals > SIZE_MAX / sizeof(jv_t))
        return kube_error_setf(KUBE_ENOMEM, "json: document too large");
    vals = (jv_t *)kube_mem__malloc(&m, nvals * sizeof(jv_t));
    str = (char *)kube_mem__calloc(&m, 1, nstr + 1 + KUBE_JSON__STR_PAD);
    doc = (kube_json_doc_t *)kube_mem__malloc(&m, sizeof *doc);
    if (!vals || !str || !doc) {
        kube_mem__free(&m, vals);
        kube_mem__free(&m, str);
        kube_mem__free(&m, doc);
        return kube_error_setf(KUBE_ENOMEM, "json: out of memory freezing a document");
    }
    ws_init(&st, &m);
    sp = str;
    i = 0;
    for (v = root; v; ) {
        const kube_json_mut_t *nx;
        jv_t *o;
        if (v != root && v->parent->type == KUBE_JSON_OBJECT) {
            o = &vals[i++];
            memcpy(sp, v->key, v->key_len);
            sp[v->key_len] = '\0';
            o->tag = KUBE_JSON_STRING | ((uint64_t)v->key_len << KUBE_JSON__LEN_SHIFT);
            o->u.s = sp;
            sp += v->key_len + 1;
        }
        o = &vals[i];
        switch (v->type) {
        case KUBE_JSON_BOOL:
            o->tag = KUBE_JSON_BOOL | (v->bval ? KUBE_JSON__TRUE_BIT : 0);
            o->u.u = 0;
            break;
        case KUBE_JSON_STRING:
            memcpy(sp, v->u.s, v->len);
            sp[v->len] = '\0';
            o->tag = KUBE_JSON_STRING | ((uint64_t)v->len << KUBE_JSON__LEN_SHIFT);
            o->u.s = sp;
            sp += v->len + 1;
            break;
        case KUBE_JSON_ARRAY:
        case KUBE_JSON_OBJECT:
            o->tag = v->type | ((uint64_t)v->len << KUBE_JSON__LEN_SHIFT);
            o->u.ofs = 0;
            break;
        case KUBE_JSON_NULL:
            o->tag = KUBE_JSON_NULL;
            o->u.u = 0;
            break;
        default:
            o->tag = v->type;
            o->u.u = v->u.u;
        }
        nx = mut_walk_next(root, v, &closed);
        if (is_ctn(v->type) && v->u.c.head) {
            if (ws_push(&st, i))
                goto nomem;
            i++;
        } else {
            i++;
            for (k = 0; k < closed || (!nx && st.n); k++) {
                size_t ci = st.items[--st.n];
                vals[ci].u.ofs = i - ci - 1;
            }
        }
        v = nx;
    }
    ws_dispose(&st);
    atomic_init(&doc->refs, 1);
    doc->mem = m;
    doc->vals = vals;
    doc->nvals = nvals;
    doc->str = str;
    doc->heap = sizeof *doc + nvals * sizeof(jv_t) + nstr + 1 + KUBE_JSON__STR_PAD;
    *out = doc;
    return KUBE_OK;
nomem:
    ws_dispose(&st);
    kube_mem__free(&m, vals);
    kube_mem__free(&m, str);
    kube_mem__free(&m, doc);
    return kube_error_setf(KUBE_ENOMEM, "json: out of memory freezing a document");
}

kube_json_mut_t *kube_json__mut_obj_getn(const kube_json_mut_t *obj, const char *key, size_t key_len)
{
    kube_json_mut_t *m;
    if (!obj || obj->type != KUBE_JSON_OBJECT)
        return NULL;
    for (m = obj->u.c.head; m; m = m->next)
        if (m->key_len == key_len && memcmp(m->key, key, key_len) == 0)
            return m;
    return NULL;
}

size_t kube_json__mut_strlen(const kube_json_mut_t *v)
{
    return v && v->type == KUBE_JSON_STRING ? v->len : 0;
}

double kube_json__mut_real(const kube_json_mut_t *v)
{
    return v && v->type == KUBE_JSON_REAL ? v->u.d : 0.0;
}

uint64_t kube_json__mut_uint(const kube_json_mut_t *v)
{
    return v && v->type == KUBE_JSON_UINT ? v->u.u : 0;
}

size_t kube_json__mut_count(const kube_json_mut_t *v)
{
    const kube_json_mut_t *w;
    size_t n = 0, closed;
    for (w = v; w; w = mut_walk_next(v, w, &closed))
        n++;
    return n;
}
