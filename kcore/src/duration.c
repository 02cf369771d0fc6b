/* Go time.Duration text: ParseDuration and Duration.String(), to the nanosecond. */
#include <kube/duration.h>
#include <string.h>

#define U63 ((uint64_t)1 << 63)

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const struct {
    const char *name;
    uint64_t ns;
} units[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xc2\xb5s", 1000}, /* U+00B5 micro sign */
    {"\xce\xbcs", 1000}, /* U+03BC Greek small letter mu */
    {"ms", 1000000},
    {"s", 1000000000},
    {"m", 60ull * 1000000000},
    {"h", 3600ull * 1000000000},
};

kube_error_t kube_duration_parse(int64_t *out_ns, const char *s, size_t len)
{
    size_t i = 0;
    uint64_t d = 0;
    int neg = 0;
    if (!out_ns || (!s && len))
        return kube_error_setf(KUBE_EINVAL, "duration: NULL argument");
    if (len && (s[0] == '-' || s[0] == '+'))
        neg = s[i++] == '-';
    if (len - i == 1 && s[i] == '0') {
        *out_ns = 0;
        return KUBE_OK;
    }
    if (i == len)
        return kube_error_setf(KUBE_EINVAL, "duration: empty duration");
    while (i < len) {
        uint64_t v = 0, f = 0, unit = 0;
        double scale = 1;
        size_t start = i, ustart;
        int pre, post = 0, overflow = 0;
        if (!(s[i] == '.' || is_digit(s[i])))
            return kube_error_setf(KUBE_EINVAL, "duration: expected a number at offset %zu", i);
        /* integer part */
        for (; i < len && is_digit(s[i]); i++) {
            if (v > U63 / 10)
                return kube_error_setf(KUBE_ERANGE, "duration: number at offset %zu overflows", start);
            v = v * 10 + (uint64_t)(s[i] - '0');
            if (v > U63)
                return kube_error_setf(KUBE_ERANGE, "duration: number at offset %zu overflows", start);
        }
        pre = i != start;
        /* fraction: digits past int64 precision are ignored, as in Go */
        if (i < len && s[i] == '.') {
            size_t fstart = ++i;
            for (; i < len && is_digit(s[i]); i++) {
                uint64_t y;
                if (overflow)
                    continue;
                if (f > (U63 - 1) / 10) {
                    overflow = 1;
                    continue;
                }
                y = f * 10 + (uint64_t)(s[i] - '0');
                if (y > U63) {
                    overflow = 1;
                    continue;
                }
                f = y;
                scale *= 10;
            }
            post = i != fstart;
        }
        if (!pre && !post)
            return kube_error_setf(KUBE_EINVAL, "duration: number without digits at offset %zu", start);
        /* unit: everything up to the next number */
        ustart = i;
        while (i < len && s[i] != '.' && !is_digit(s[i]))
            i++;
        if (i == ustart)
            return kube_error_setf(KUBE_EINVAL, "duration: missing unit at offset %zu", ustart);
        for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
            if (strlen(units[u].name) == i - ustart && memcmp(units[u].name, s + ustart, i - ustart) == 0) {
                unit = units[u].ns;
                break;
            }
        }
        if (!unit)
            return kube_error_setf(KUBE_EINVAL, "duration: unknown unit \"%.*s\" at offset %zu",
                                   (int)(i - ustart > 16 ? 16 : i - ustart), s + ustart, ustart);
        if (v > U63 / unit)
            return kube_error_setf(KUBE_ERANGE, "duration: value at offset %zu overflows", start);
        v *= unit;
        if (f > 0) {
            /* Go: float64 keeps fractions of hours nanosecond-accurate */
            v += (uint64_t)((double)f * ((double)unit / scale));
            if (v > U63)
                return kube_error_setf(KUBE_ERANGE, "duration: value at offset %zu overflows", start);
        }
        d += v;
        if (d > U63)
            return kube_error_setf(KUBE_ERANGE, "duration: total overflows at offset %zu", start);
    }
    if (neg) {
        *out_ns = d == U63 ? INT64_MIN : -(int64_t)d;
        return KUBE_OK;
    }
    if (d > U63 - 1)
        return kube_error_setf(KUBE_ERANGE, "duration: total overflows");
    *out_ns = (int64_t)d;
    return KUBE_OK;
}

/* Write the fraction of v / 10^prec (without trailing zeros, and without the dot
 * when it is zero) ending at buf[w]; returns the new start and v / 10^prec. */
static size_t fmt_frac(char *buf, size_t w, uint64_t v, int prec, uint64_t *rest)
{
    int print = 0;
    for (int i = 0; i < prec; i++) {
        unsigned digit = (unsigned)(v % 10);
        print = print || digit != 0;
        if (print)
            buf[--w] = (char)('0' + digit);
        v /= 10;
    }
    if (print)
        buf[--w] = '.';
    *rest = v;
    return w;
}

static size_t fmt_int(char *buf, size_t w, uint64_t v)
{
    if (v == 0) {
        buf[--w] = '0';
        return w;
    }
    while (v > 0) {
        buf[--w] = (char)('0' + v % 10);
        v /= 10;
    }
    return w;
}

kube_error_t kube_duration_format(kube_buf_t *out, int64_t ns)
{
    char buf[40];
    size_t w = sizeof buf;
    uint64_t u = (uint64_t)ns;
    int neg = ns < 0;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "duration: NULL buffer");
    if (neg)
        u = 0 - u;
    if (u < 1000000000ull) {
        int prec = 0;
        buf[--w] = 's';
        if (u == 0) {
            buf[--w] = '0';
            return kube_buf_put(out, buf + w, sizeof buf - w);
        } else if (u < 1000ull) {
            prec = 0;
            buf[--w] = 'n';
        } else if (u < 1000000ull) {
            prec = 3;
            buf[--w] = '\xb5';
            buf[--w] = '\xc2';
        } else {
            prec = 6;
            buf[--w] = 'm';
        }
        w = fmt_frac(buf, w, u, prec, &u);
        w = fmt_int(buf, w, u);
    } else {
        buf[--w] = 's';
        w = fmt_frac(buf, w, u, 9, &u);
        w = fmt_int(buf, w, u % 60);
        u /= 60;
        if (u > 0) {
            buf[--w] = 'm';
            w = fmt_int(buf, w, u % 60);
            u /= 60;
            if (u > 0) {
                buf[--w] = 'h';
                w = fmt_int(buf, w, u);
            }
        }
    }
    if (neg)
        buf[--w] = '-';
    return kube_buf_put(out, buf + w, sizeof buf - w);
}
