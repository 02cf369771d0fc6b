/* intstr.IntOrString and GetScaledValueFromIntOrPercent. */
#include <kube/intorstr.h>
#include <inttypes.h>
#include <string.h>

kube_error_t kube_intorstr_from_json(kube_intorstr_t *out, const kube_json_t *v)
{
    int64_t i;
    kube_error_t rc;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "IntOrString: NULL output");
    switch (kube_json_type(v)) {
    case KUBE_JSON_STRING:
        out->version = KUBE_INTORSTR_VERSION;
        out->type = KUBE_INTORSTR_STRING;
        out->int_value = 0;
        out->str_value = kube_json_string(v);
        out->str_len = kube_json_string_len(v);
        return KUBE_OK;
    case KUBE_JSON_INT:
        rc = kube_json_int64(v, &i);
        if (rc)
            return rc;
        if (i < INT32_MIN || i > INT32_MAX)
            return kube_error_setf(KUBE_ERANGE, "IntOrString: %" PRId64 " does not fit int32", i);
        out->version = KUBE_INTORSTR_VERSION;
        out->type = KUBE_INTORSTR_INT;
        out->int_value = (int32_t)i;
        out->str_value = NULL;
        out->str_len = 0;
        return KUBE_OK;
    case KUBE_JSON_UINT:
        return kube_error_setf(KUBE_ERANGE, "IntOrString: integer does not fit int32");
    default:
        return kube_error_setf(KUBE_EINVAL, "IntOrString: expected an integer or a string");
    }
}

kube_error_t kube_intorstr_from_int(kube_intorstr_t *out, int32_t value)
{
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "IntOrString: NULL output");
    out->version = KUBE_INTORSTR_VERSION;
    out->type = KUBE_INTORSTR_INT;
    out->int_value = value;
    out->str_value = NULL;
    out->str_len = 0;
    return KUBE_OK;
}

kube_error_t kube_intorstr_from_string(kube_intorstr_t *out, const char *s)
{
    if (!out || !s)
        return kube_error_setf(KUBE_EINVAL, "IntOrString: NULL argument");
    out->version = KUBE_INTORSTR_VERSION;
    out->type = KUBE_INTORSTR_STRING;
    out->int_value = 0;
    out->str_value = s;
    out->str_len = strlen(s);
    return KUBE_OK;
}

kube_error_t kube_intorstr_format(kube_buf_t *out, const kube_intorstr_t *v)
{
    if (!out || !v)
        return kube_error_setf(KUBE_EINVAL, "IntOrString: NULL argument");
    if (v->type == KUBE_INTORSTR_INT)
        return kube_buf_printf(out, "%" PRId32, v->int_value);
    if (v->type == KUBE_INTORSTR_STRING && v->str_value)
        return kube_buf_put(out, v->str_value, v->str_len);
    return kube_error_setf(KUBE_EINVAL, "IntOrString: unknown type %d", (int)v->type);
}

kube_json_mut_t *kube_intorstr_to_json(kube_json_mut_doc_t *doc, const kube_intorstr_t *v)
{
    if (!doc || !v)
        return NULL;
    if (v->type == KUBE_INTORSTR_INT)
        return kube_json_mut_int(doc, v->int_value);
    if (v->type == KUBE_INTORSTR_STRING && v->str_value)
        return kube_json_mut_strn(doc, v->str_value, v->str_len);
    return NULL;
}

/* Go strconv.Atoi: optional sign, decimal digits, int64 range. */
static int atoi64(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i == n)
        return 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        if (v > (UINT64_MAX - 9) / 10)
            return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > (uint64_t)INT64_MAX + (uint64_t)neg)
            return 0;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 1;
}

/* floor or ceil of a / 100 for any int64 a. */
static int64_t div100(int64_t a, int round_up)
{
    int64_t q = a / 100, r = a % 100;
    if (r != 0 && ((r > 0) == !!round_up))
        q += round_up ? 1 : -1;
    return q;
}

kube_error_t kube_intorstr_scaled_value(int64_t *out, const kube_intorstr_t *v, int64_t total, int round_up)
{
    int64_t pct, prod;
    if (!out || !v)
        return kube_error_setf(KUBE_EINVAL, "nil value for IntOrString");
    if (v->type == KUBE_INTORSTR_INT) {
        *out = v->int_value;
        return KUBE_OK;
    }
    if (v->type != KUBE_INTORSTR_STRING || !v->str_value)
        return kube_error_setf(KUBE_EINVAL, "invalid value for IntOrString: invalid type: neither int nor percentage");
    if (v->str_len == 0 || v->str_value[v->str_len - 1] != '%')
        return kube_error_setf(KUBE_EINVAL, "invalid value for IntOrString: invalid type: string is not a percentage");
    if (!atoi64(v->str_value, v->str_len - 1, &pct))
        return kube_error_setf(KUBE_EINVAL, "invalid value for IntOrString: invalid value \"%.*s\"",
                               (int)(v->str_len > 64 ? 64 : v->str_len), v->str_value);
    if (pct != 0 && total != 0) {
        if ((pct == -1 && total == INT64_MIN) || (total == -1 && pct == INT64_MIN) ||
            (pct > 0 ? (total > 0 ? pct > INT64_MAX / total : total < INT64_MIN / pct)
                     : (total > 0 ? pct < INT64_MIN / total : pct != 0 && total < INT64_MAX / pct)))
            return kube_error_setf(KUBE_ERANGE, "IntOrString: %s of %" PRId64 " overflows", "percentage", total);
    }
    prod = pct * total;
    *out = div100(prod, round_up);
    return KUBE_OK;
}
