/* resource.Quantity: parse, canonical form, compare, integer conversions (apimachinery semantics). */
#include <kube/quantity.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MAX_BIN_DIGITS 400
#define KEEP_DIGITS 40 /* leading digits kept for decimal inputs; more never fit 63 bits */

static const char int64_max_digits[] = "9223372036854775807";

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int valid_format(kube_quantity_format_t f)
{
    return f == KUBE_QUANTITY_DECIMAL_SI || f == KUBE_QUANTITY_BINARY_SI || f == KUBE_QUANTITY_DECIMAL_EXPONENT;
}

/* Interpret a suffix. Returns 0 and sets base2 (1 for binary), exp and format; -1 when unknown. */
static int interpret_suffix(const char *s, size_t n, int *base2, int64_t *exp, kube_quantity_format_t *fmt)
{
    *base2 = 0;
    *fmt = KUBE_QUANTITY_DECIMAL_SI;
    if (n == 0) {
        *exp = 0;
        return 0;
    }
    if (n == 1) {
        switch (s[0]) {
        case 'n': *exp = -9; return 0;
        case 'u': *exp = -6; return 0;
        case 'm': *exp = -3; return 0;
        case 'k': *exp = 3; return 0;
        case 'M': *exp = 6; return 0;
        case 'G': *exp = 9; return 0;
        case 'T': *exp = 12; return 0;
        case 'P': *exp = 15; return 0;
        case 'E': *exp = 18; return 0;
        default: return -1;
        }
    }
    if (n == 2 && s[1] == 'i') {
        *base2 = 1;
        *fmt = KUBE_QUANTITY_BINARY_SI;
        switch (s[0]) {
        case 'K': *exp = 10; return 0;
        case 'M': *exp = 20; return 0;
        case 'G': *exp = 30; return 0;
        case 'T': *exp = 40; return 0;
        case 'P': *exp = 50; return 0;
        case 'E': *exp = 60; return 0;
        default: return -1;
        }
    }
    if (s[0] == 'e' || s[0] == 'E') {
        size_t i = 1;
        int neg = 0;
        int64_t v = 0;
        if (s[i] == '+' || s[i] == '-')
            neg = s[i++] == '-';
        if (i == n)
            return -1;
        for (; i < n; i++) {
            if (!is_digit(s[i]))
                return -1;
            v = v * 10 + (s[i] - '0');
            if (v > INT32_MAX) /* [-MaxInt32, MaxInt32], as apimachinery */
                return -1;
        }
        *exp = neg ? -v : v;
        *fmt = KUBE_QUANTITY_DECIMAL_EXPONENT;
        return 0;
    }
    return -1;
}

/* Parse up to 19 ASCII digits. */
static uint64_t digits_u64(const char *d, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (uint64_t)(d[i] - '0');
    return v;
}

/* Whether digits d (K of them, no leading or trailing zeros) * 10^scale > INT64_MAX. */
static int exceeds_int64(const char *d, size_t K, int64_t scale)
{
    int64_t idigits = (int64_t)K + scale;
    char ip[20];
    if (idigits > 19)
        return 1;
    if (idigits < 19)
        return 0;
    for (size_t i = 0; i < 19; i++)
        ip[i] = i < K ? d[i] : '0';
    ip[19] = 0;
    {
        int c = memcmp(ip, int64_max_digits, 19);
        if (c != 0)
            return c > 0;
    }
    return K > 19; /* equal integer part: anything after it is a non-zero fraction */
}

/*
 * Finish a parse from significant digits d (K logical digits, the first min(K, cap)
 * present; first and last non-zero) times 10^scale: round up to 1n, cap binary
 * values, check the int64 precision.
 */
static kube_error_t finish(kube_quantity_t *out, const char *d, size_t K, int64_t scale, int neg, int binary,
                           kube_quantity_format_t fmt)
{
    uint64_t m;
    if (binary && exceeds_int64(d, K, scale)) {
        out->version = KUBE_QUANTITY_VERSION;
        out->value = neg ? -INT64_MAX : INT64_MAX;
        out->scale = 0;
        out->format = fmt;
        return KUBE_OK;
    }
    if (scale < -9) {
        int64_t drop = -9 - scale;
        if (drop >= (int64_t)K) {
            m = 1;
        } else {
            size_t keep = K - (size_t)drop;
            if (keep > 19)
                goto range;
            m = digits_u64(d, keep) + 1; /* the dropped digits end in a non-zero one: round up */
        }
        scale = -9;
    } else {
        if (K > 19)
            goto range;
        m = digits_u64(d, K);
    }
    if (m > (uint64_t)INT64_MAX)
        goto range;
    while (m % 10 == 0) {
        m /= 10;
        scale++;
    }
    if (scale > INT32_MAX || scale < INT32_MIN)
        return kube_error_setf(KUBE_ERANGE, "quantity: exponent out of range");
    if (fmt == KUBE_QUANTITY_BINARY_SI) {
        /* 0 < |v| < 1: shown as decimal SI, as apimachinery does */
        int nd = 0;
        for (uint64_t t = m; t; t /= 10)
            nd++;
        if (nd + scale <= 0)
            fmt = KUBE_QUANTITY_DECIMAL_SI;
    }
    out->version = KUBE_QUANTITY_VERSION;
    out->value = neg ? -(int64_t)m : (int64_t)m;
    out->scale = (int32_t)scale;
    out->format = fmt;
    return KUBE_OK;
range:
    return kube_error_setf(KUBE_ERANGE, "quantity: more significant digits than the 63 bits libkube keeps");
}

kube_error_t kube_quantity_parse(kube_quantity_t *out, const char *s, size_t len)
{
    size_t i = 0, num_start, num_end, den_start, den_end, suf_start, K, first, last, total, k;
    int neg = 0, base2;
    int64_t exp, scale;
    kube_quantity_format_t fmt;
    char d[MAX_BIN_DIGITS + 32];

    if (!out || (!s && len))
        return kube_error_setf(KUBE_EINVAL, "quantity: NULL argument");
    if (len == 0)
        return kube_error_setf(KUBE_EINVAL, "quantity: empty string");
    if (s[0] == '+' || s[0] == '-')
        neg = s[i++] == '-';
    num_start = i;
    while (i < len && is_digit(s[i]))
        i++;
    num_end = den_start = den_end = i;
    if (i < len && s[i] == '.') {
        den_start = ++i;
        while (i < len && is_digit(s[i]))
            i++;
        den_end = i;
    }
    suf_start = i;
    while (i < len && s[i] && strchr("eEinumkKMGTP", s[i]))
        i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < len && is_digit(s[i]))
        i++;
    if (i != len)
        return kube_error_setf(KUBE_EINVAL, "quantity: unexpected character at offset %zu", i);
    if (interpret_suffix(s + suf_start, len - suf_start, &base2, &exp, &fmt) != 0)
        return kube_error_setf(KUBE_EINVAL, "quantity: unknown suffix \"%.*s\" at offset %zu",
                               (int)(len - suf_start > 32 ? 32 : len - suf_start), s + suf_start, suf_start);

    /* The digits num ++ den, as positions 0..total-1. */
    total = (num_end - num_start) + (den_end - den_start);
#define DIGIT(p) ((p) < num_end - num_start ? s[num_start + (p)] : s[den_start + (p) - (num_end - num_start)])
    for (first = 0; first < total && DIGIT(first) == '0'; first++)
        ;
    if (first == total) { /* zero */
        out->version = KUBE_QUANTITY_VERSION;
        out->value = 0;
        out->scale = 0;
        out->format = fmt;
        return KUBE_OK;
    }
    for (last = total - 1; DIGIT(last) == '0'; last--)
        ;
    K = last - first + 1;
    /* value = digits[first..last] * 10^(trailing zeros - fraction digits) */
    scale = (int64_t)(total - 1 - last) - (int64_t)(den_end - den_start);

    if (!base2) {
        for (k = 0; k < K && k < KEEP_DIGITS; k++)
            d[k] = DIGIT(first + k);
        return finish(out, d, K, scale + exp, neg, 0, fmt);
    }

    /* Binary SI: multiply the digits by 2^exp exactly (little-endian digit values). */
    if (K > MAX_BIN_DIGITS)
        return kube_error_setf(KUBE_ERANGE, "quantity: %zu significant digits are too many for a binary suffix", K);
    {
        uint8_t v[MAX_BIN_DIGITS + 32] = {0};
        size_t n = K;
        for (k = 0; k < K; k++)
            v[k] = (uint8_t)(DIGIT(last - k) - '0');
        for (int64_t t = 0; t < exp; t++) {
            unsigned carry = 0;
            for (k = 0; k < n; k++) {
                unsigned x = v[k] * 2u + carry;
                v[k] = (uint8_t)(x % 10);
                carry = x / 10;
            }
            if (carry)
                v[n++] = (uint8_t)carry;
        }
        /* strip trailing zeros (low digits) into the scale */
        k = 0;
        while (v[k] == 0) {
            k++;
            scale++;
        }
        K = n - k;
        for (size_t j = 0; j < K; j++)
            d[j] = (char)('0' + v[n - 1 - j]);
    }
#undef DIGIT
    return finish(out, d, K, scale, neg, 1, fmt);
}

kube_error_t kube_quantity_init(kube_quantity_t *out, int64_t value, int32_t scale, kube_quantity_format_t format)
{
    if (!out || !valid_format(format))
        return kube_error_setf(KUBE_EINVAL, "quantity: NULL output or unknown format");
    out->version = KUBE_QUANTITY_VERSION;
    out->value = value;
    out->scale = scale;
    out->format = format;
    return KUBE_OK;
}

static uint64_t magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Decimal digits of m (m > 0), without trailing zeros; returns the count and adds
 * the stripped zeros to *exp. */
static size_t sig_digits(char d[24], uint64_t m, int64_t *exp)
{
    char tmp[24];
    size_t n = 0;
    while (m % 10 == 0) {
        m /= 10;
        (*exp)++;
    }
    while (m) {
        tmp[n++] = (char)('0' + m % 10);
        m /= 10;
    }
    for (size_t i = 0; i < n; i++)
        d[i] = tmp[n - 1 - i];
    d[n] = 0;
    return n;
}

static int cmp_magnitude(uint64_t ma, int64_t sa, uint64_t mb, int64_t sb)
{
    char da[24], db[24];
    size_t na, nb;
    int64_t ea = sa, eb = sb;
    if (!ma || !mb)
        return ma ? 1 : mb ? -1 : 0;
    na = sig_digits(da, ma, &ea);
    nb = sig_digits(db, mb, &eb);
    if ((int64_t)na + ea != (int64_t)nb + eb)
        return (int64_t)na + ea > (int64_t)nb + eb ? 1 : -1;
    for (size_t i = 0; i < na || i < nb; i++) {
        char a = i < na ? da[i] : '0', b = i < nb ? db[i] : '0';
        if (a != b)
            return a > b ? 1 : -1;
    }
    return 0;
}

int kube_quantity_sign(const kube_quantity_t *q)
{
    if (!q || q->value == 0)
        return 0;
    return q->value < 0 ? -1 : 1;
}

int kube_quantity_cmp(const kube_quantity_t *a, const kube_quantity_t *b)
{
    int sa = kube_quantity_sign(a), sb = kube_quantity_sign(b), c;
    if (sa != sb)
        return sa > sb ? 1 : -1;
    if (sa == 0)
        return 0;
    c = cmp_magnitude(magnitude(a->value), a->scale, magnitude(b->value), b->scale);
    return sa > 0 ? c : -c;
}

static const uint64_t pow10_u64[20] = {1ull,
                                       10ull,
                                       100ull,
                                       1000ull,
                                       10000ull,
                                       100000ull,
                                       1000000ull,
                                       10000000ull,
                                       100000000ull,
                                       1000000000ull,
                                       10000000000ull,
                                       100000000000ull,
                                       1000000000000ull,
                                       10000000000000ull,
                                       100000000000000ull,
                                       1000000000000000ull,
                                       10000000000000000ull,
                                       100000000000000000ull,
                                       1000000000000000000ull,
                                       10000000000000000000ull};

kube_error_t kube_quantity_scaled_value(const kube_quantity_t *q, int32_t scale, int64_t *out)
{
    uint64_t m, r;
    int64_t delta;
    int neg;
    if (!q || !out)
        return kube_error_setf(KUBE_EINVAL, "quantity: NULL argument");
    m = magnitude(q->value);
    neg = q->value < 0;
    if (m == 0) {
        *out = 0;
        return KUBE_OK;
    }
    delta = (int64_t)q->scale - scale;
    if (delta >= 0) {
        if (delta > 19 || m > UINT64_MAX / pow10_u64[delta])
            goto range;
        r = m * pow10_u64[delta];
    } else if (-delta > 19) {
        r = 1; /* |q| < 10^scale: rounds away from zero to one unit */
    } else {
        uint64_t p = pow10_u64[-delta];
        r = m / p + (m % p != 0);
    }
    if (r > (uint64_t)INT64_MAX + (uint64_t)neg)
        goto range;
    *out = neg ? (int64_t)(0 - r) : (int64_t)r;
    return KUBE_OK;
range:
    return kube_error_setf(KUBE_ERANGE, "quantity: value does not fit int64 in units of 10^%d", (int)scale);
}

kube_error_t kube_quantity_value(const kube_quantity_t *q, int64_t *out)
{
    return kube_quantity_scaled_value(q, 0, out);
}

kube_error_t kube_quantity_milli_value(const kube_quantity_t *q, int64_t *out)
{
    return kube_quantity_scaled_value(q, -3, out);
}

static int64_t floor3(int64_t e)
{
    int64_t r = e % 3;
    if (r < 0)
        r += 3;
    return e - r;
}

kube_error_t kube_quantity_format(kube_buf_t *out, const kube_quantity_t *q)
{
    static const char *const bin_suffix[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    static const char *const dec_suffix[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
    kube_quantity_format_t fmt;
    uint64_t m;
    int neg;
    char digits[24];
    size_t nd;
    int64_t e;
    if (!out || !q || q->version != KUBE_QUANTITY_VERSION || !valid_format(q->format))
        return kube_error_setf(KUBE_EINVAL, "quantity: NULL or invalid quantity");
    if (q->value == 0)
        return kube_buf_puts(out, "0");
    m = magnitude(q->value);
    neg = q->value < 0;
    fmt = q->format;
    if (fmt == KUBE_QUANTITY_BINARY_SI) {
        /* |q| < 1024 prints as decimal SI; so does a non-integer or a value past 63 bits. */
        if (cmp_magnitude(m, q->scale, 1024, 0) < 0) {
            fmt = KUBE_QUANTITY_DECIMAL_SI;
        } else {
            uint64_t n;
            if (q->scale >= 0) {
                if (q->scale > 19 || m > UINT64_MAX / pow10_u64[q->scale] ||
                    m * pow10_u64[q->scale] > (uint64_t)INT64_MAX + (uint64_t)neg) {
                    fmt = KUBE_QUANTITY_DECIMAL_EXPONENT;
                    goto decimal;
                }
                n = m * pow10_u64[q->scale];
            } else {
                if (q->scale < -19 || m % pow10_u64[-q->scale] != 0) {
                    fmt = KUBE_QUANTITY_DECIMAL_SI;
                    goto decimal;
                }
                n = m / pow10_u64[-q->scale];
            }
            {
                int k = 0;
                while (n % 1024 == 0 && k < 6) {
                    n /= 1024;
                    k++;
                }
                return kube_buf_printf(out, "%s%" PRIu64 "%s", neg ? "-" : "", n, bin_suffix[k]);
            }
        }
    }
decimal:
    e = q->scale;
    nd = sig_digits(digits, m, &e);
    {
        int64_t e3 = floor3(e);
        int zeros = (int)(e - e3);
        const char *suffix = NULL;
        char expbuf[32];
        if (fmt == KUBE_QUANTITY_DECIMAL_SI && e3 >= -9 && e3 <= 18)
            suffix = dec_suffix[(e3 + 9) / 3];
        else if (e3 == 0)
            suffix = "";
        if (!suffix) {
            snprintf(expbuf, sizeof expbuf, "e%" PRId64, e3);
            suffix = expbuf;
        }
        (void)nd;
        return kube_buf_printf(out, "%s%s%.*s%s", neg ? "-" : "", digits, zeros, "00", suffix);
    }
}

kube_error_t kube_quantity_canonicalize(kube_buf_t *out, const char *s, size_t len)
{
    kube_quantity_t q;
    kube_error_t rc = kube_quantity_parse(&q, s, len);
    if (rc)
        return rc;
    return kube_quantity_format(out, &q);
}
