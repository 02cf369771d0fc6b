/* RFC 3339 timestamps with libkube's own calendar arithmetic (no TZ, no libc time). */
#include <kube/timestamp.h>
#include <inttypes.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return 29;
    return dm[m - 1];
}

/* n digits at s[off] into *v, within [lo, hi]. */
static kube_error_t field(const char *s, size_t off, size_t n, unsigned lo, unsigned hi, const char *name,
                          unsigned *v)
{
    unsigned x = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[off + i];
        if (c < '0' || c > '9')
            return kube_error_setf(KUBE_EINVAL, "timestamp: expected a digit of the %s at offset %zu", name, off + i);
        x = x * 10 + (unsigned)(c - '0');
    }
    if (x < lo || x > hi)
        return kube_error_setf(KUBE_EINVAL, "timestamp: %s %u out of range at offset %zu", name, x, off);
    *v = x;
    return KUBE_OK;
}

static kube_error_t sep(const char *s, size_t off, char want)
{
    if (s[off] != want)
        return kube_error_setf(KUBE_EINVAL, "timestamp: expected '%c' at offset %zu", want, off);
    return KUBE_OK;
}

static kube_error_t parse(kube_timestamp_t *out, const char *s, size_t len, int micro)
{
    unsigned year = 0, month = 1, day = 1, hour = 0, min = 0, sec = 0;
    int32_t nanos = 0;
    int64_t secs;
    size_t i = 19;
    kube_error_t rc;
    if (!out || (!s && len))
        return kube_error_setf(KUBE_EINVAL, "timestamp: NULL argument");
    if (len < 20)
        return kube_error_setf(KUBE_EINVAL, "timestamp: %zu bytes are too short for RFC 3339", len);
    if ((rc = field(s, 0, 4, 0, 9999, "year", &year)) || (rc = sep(s, 4, '-')) ||
        (rc = field(s, 5, 2, 1, 12, "month", &month)) || (rc = sep(s, 7, '-')) ||
        (rc = field(s, 8, 2, 1, days_in_month(year, month), "day", &day)) || (rc = sep(s, 10, 'T')) ||
        (rc = field(s, 11, 2, 0, 23, "hour", &hour)) || (rc = sep(s, 13, ':')) ||
        (rc = field(s, 14, 2, 0, 59, "minute", &min)) || (rc = sep(s, 16, ':')) ||
        (rc = field(s, 17, 2, 0, 59, "second", &sec)))
        return rc;
    if (i < len && s[i] == '.' && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9') {
        size_t start = ++i, n;
        int32_t scale = 100000000;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (scale) {
                nanos += (s[i] - '0') * scale;
                scale /= 10;
            }
            i++;
        }
        n = i - start;
        if (micro && n != 6)
            return kube_error_setf(KUBE_EINVAL, "timestamp: MicroTime needs 6 fractional digits at offset %zu, found %zu",
                                   start, n);
    } else if (micro) {
        return kube_error_setf(KUBE_EINVAL, "timestamp: MicroTime needs a fraction at offset %zu", i);
    }
    secs = days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
    if (len - i == 1 && s[i] == 'Z') {
        /* UTC */
    } else if (len - i == 6 && (s[i] == '+' || s[i] == '-')) {
        unsigned oh = 0, om = 0;
        int64_t off;
        if ((rc = field(s, i + 1, 2, 0, 23, "offset hour", &oh)) || (rc = sep(s, i + 3, ':')) ||
            (rc = field(s, i + 4, 2, 0, 59, "offset minute", &om)))
            return rc;
        off = (int64_t)(oh * 60 + om) * 60;
        secs -= s[i] == '-' ? -off : off;
    } else {
        return kube_error_setf(KUBE_EINVAL, "timestamp: expected 'Z' or a +hh:mm offset at offset %zu", i);
    }
    out->version = KUBE_TIMESTAMP_VERSION;
    out->seconds = secs;
    out->nanos = nanos;
    return KUBE_OK;
}

kube_error_t kube_timestamp_parse(kube_timestamp_t *out, const char *s, size_t len)
{
    return parse(out, s, len, 0);
}

kube_error_t kube_timestamp_parse_micro(kube_timestamp_t *out, const char *s, size_t len)
{
    return parse(out, s, len, 1);
}

/* digits: 0 none, 6 micro, 9 nano with trailing zeros trimmed */
static kube_error_t format(kube_buf_t *out, const kube_timestamp_t *ts, int digits)
{
    int64_t days, rem, y;
    unsigned m, d;
    char frac[16] = "";
    if (!out || !ts || ts->nanos < 0 || ts->nanos > 999999999)
        return kube_error_setf(KUBE_EINVAL, "timestamp: NULL or invalid timestamp");
    /* keep the day arithmetic far from overflow: years 0000-9999 only */
    if (ts->seconds < -62167219200LL || ts->seconds > 253402300799LL)
        return kube_error_setf(KUBE_ERANGE, "timestamp: year outside 0000-9999");
    days = ts->seconds / 86400;
    rem = ts->seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    civil_from_days(days, &y, &m, &d);
    if (digits == 6) {
        frac[0] = '.';
        for (int k = 0, v = ts->nanos / 1000, p = 100000; k < 6; k++, p /= 10)
            frac[1 + k] = (char)('0' + (v / p) % 10);
        frac[7] = 0;
    } else if (digits == 9 && ts->nanos) {
        int n = 9, v = ts->nanos;
        while (v % 10 == 0) {
            v /= 10;
            n--;
        }
        frac[0] = '.';
        for (int k = n - 1; k >= 0; k--) {
            frac[1 + k] = (char)('0' + v % 10);
            v /= 10;
        }
        frac[1 + n] = 0;
    }
    return kube_buf_printf(out, "%04d-%02u-%02uT%02u:%02u:%02u%sZ", (int)y, m, d, (unsigned)(rem / 3600),
                           (unsigned)(rem / 60 % 60), (unsigned)(rem % 60), frac);
}

kube_error_t kube_timestamp_format(kube_buf_t *out, const kube_timestamp_t *ts)
{
    return format(out, ts, 0);
}

kube_error_t kube_timestamp_format_micro(kube_buf_t *out, const kube_timestamp_t *ts)
{
    return format(out, ts, 6);
}

kube_error_t kube_timestamp_format_nano(kube_buf_t *out, const kube_timestamp_t *ts)
{
    return format(out, ts, 9);
}

kube_error_t kube_timestamp_from_unix(kube_timestamp_t *out, int64_t seconds, int64_t nanos)
{
    int64_t carry = nanos / 1000000000, rest = nanos % 1000000000;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "timestamp: NULL output");
    if (rest < 0) {
        rest += 1000000000;
        carry--;
    }
    if ((carry > 0 && seconds > INT64_MAX - carry) || (carry < 0 && seconds < INT64_MIN - carry))
        return kube_error_setf(KUBE_ERANGE, "timestamp: seconds overflow");
    out->version = KUBE_TIMESTAMP_VERSION;
    out->seconds = seconds + carry;
    out->nanos = (int32_t)rest;
    return KUBE_OK;
}

kube_error_t kube_timestamp_to_unix_nanos(const kube_timestamp_t *ts, int64_t *out)
{
    if (!ts || !out)
        return kube_error_setf(KUBE_EINVAL, "timestamp: NULL argument");
    /* seconds * 1e9 + nanos must fit int64 */
    if (ts->seconds > (INT64_MAX - ts->nanos) / 1000000000 || ts->seconds < INT64_MIN / 1000000000)
        return kube_error_setf(KUBE_ERANGE, "timestamp: outside the int64 nanosecond range");
    *out = ts->seconds * 1000000000 + ts->nanos;
    return KUBE_OK;
}

int kube_timestamp_cmp(const kube_timestamp_t *a, const kube_timestamp_t *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    if (a->seconds != b->seconds)
        return a->seconds < b->seconds ? -1 : 1;
    if (a->nanos != b->nanos)
        return a->nanos < b->nanos ? -1 : 1;
    return 0;
}
