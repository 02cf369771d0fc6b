/* Label selectors (apimachinery labels.Parse grammar) and field selectors (fields.ParseSelector). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kube/selector.h>

#include "alloc_int.h"

/* ======================================================================
 * Validation (apimachinery util/validation)
 * ====================================================================== */

static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] */
static int qualified_name_ok(const char *s, size_t n)
{
    if (n == 0 || !is_alnum((unsigned char)s[0]) || !is_alnum((unsigned char)s[n - 1]))
        return 0;
    for (size_t i = 1; i + 1 < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_alnum(c) && c != '-' && c != '_' && c != '.')
            return 0;
    }
    return 1;
}

/* DNS-1123 subdomain: lowercase labels [a-z0-9]([-a-z0-9]*[a-z0-9])? joined by '.', <= 253 */
static int dns_subdomain_ok(const char *s, size_t n)
{
    size_t i = 0;
    if (n == 0 || n > 253)
        return 0;
    while (i < n) {
        size_t start = i;
        while (i < n && s[i] != '.') {
            unsigned char c = (unsigned char)s[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                return 0;
            i++;
        }
        if (i == start || s[start] == '-' || s[i - 1] == '-')
            return 0;
        if (i < n) {
            i++; /* the dot */
            if (i == n)
                return 0;
        }
    }
    return 1;
}

/* A label key: [prefix/]name. Returns NULL when valid, else a reason. */
static const char *label_key_error(const char *k)
{
    size_t n = strlen(k);
    const char *slash = memchr(k, '/', n);
    const char *name = k;
    size_t nlen = n;
    if (slash) {
        size_t plen = (size_t)(slash - k);
        if (memchr(slash + 1, '/', n - plen - 1))
            return "a qualified name must be a name with an optional DNS subdomain prefix and '/'";
        if (plen == 0)
            return "prefix part must be non-empty";
        if (plen > 253)
            return "prefix part must be no more than 253 characters";
        if (!dns_subdomain_ok(k, plen))
            return "prefix part must be a lowercase RFC 1123 subdomain";
        name = slash + 1;
        nlen = n - plen - 1;
    }
    if (nlen == 0)
        return "name part must be non-empty";
    if (nlen > 63)
        return "name part must be no more than 63 characters";
    if (!qualified_name_ok(name, nlen))
        return "name part must consist of alphanumeric characters, '-', '_' or '.', "
               "and must start and end with an alphanumeric character";
    return NULL;
}

static const char *label_value_error(const char *v)
{
    size_t n = strlen(v);
    if (n == 0)
        return NULL;
    if (n > 63)
        return "must be no more than 63 characters";
    if (!qualified_name_ok(v, n))
        return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
               "and must start and end with an alphanumeric character";
    return NULL;
}

/* strconv.ParseInt(s, 10, 64) */
static int parse_int64(const char *s, int64_t *out)
{
    int neg = 0;
    uint64_t v = 0, limit;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    if (!*s)
        return 0;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        if (v > (limit - (uint64_t)(*s - '0')) / 10)
            return 0;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return 1;
}

/* ======================================================================
 * Label selector object
 * ====================================================================== */

typedef struct lreq {
    char *key;
    kube_label_op_t op;
    char **values;
    size_t nvalues;
    size_t seq; /* insertion order: ties between equal keys keep it */
} lreq_t;

struct kube_label_selector {
    kube_mem_t mem;
    int nothing;
    lreq_t *reqs;
    size_t n, cap;
};

static void lreq_dispose(const kube_mem_t *m, lreq_t *r)
{
    for (size_t i = 0; i < r->nvalues; i++)
        kube_mem__free(m, r->values[i]);
    kube_mem__free(m, r->values);
    kube_mem__free(m, r->key);
}

static kube_error_t selector_alloc(kube_label_selector_t **out, const kube_mem_t *mem)
{
    kube_mem_t m = kube_mem__pick(mem);
    kube_label_selector_t *s = (kube_label_selector_t *)kube_mem__calloc(&m, 1, sizeof *s);
    if (!s)
        return kube_error_setf(KUBE_ENOMEM, "label selector: out of memory");
    s->mem = m;
    *out = s;
    return KUBE_OK;
}

kube_error_t kube_label_selector_new(kube_label_selector_t **out, const kube_mem_t *mem)
{
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "label selector new: NULL argument");
    return selector_alloc(out, mem);
}

void kube_label_selector_free(kube_label_selector_t *sel)
{
    kube_mem_t m;
    if (!sel)
        return;
    m = sel->mem;
    for (size_t i = 0; i < sel->n; i++)
        lreq_dispose(&m, &sel->reqs[i]);
    kube_mem__free(&m, sel->reqs);
    kube_mem__free(&m, sel);
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Validate a requirement as apimachinery's NewRequirement. `where` prefixes messages. */
static kube_error_t validate_requirement(const char *where, const char *key, kube_label_op_t op,
                                         const char *const *values, size_t n)
{
    const char *why;
    if (!key)
        return kube_error_setf(KUBE_EINVAL, "%s: NULL key", where);
    if ((why = label_key_error(key)))
        return kube_error_setf(KUBE_EINVAL, "%s: invalid label key \"%.300s\": %s", where, key, why);
    if (n && !values)
        return kube_error_setf(KUBE_EINVAL, "%s: NULL values", where);
    switch (op) {
    case KUBE_LABEL_OP_IN:
    case KUBE_LABEL_OP_NOT_IN:
        if (n == 0)
            return kube_error_setf(KUBE_EINVAL, "%s: key \"%.300s\": for 'in', 'notin' operators, values set can't be empty",
                                   where, key);
        break;
    case KUBE_LABEL_OP_EQUALS:
    case KUBE_LABEL_OP_DOUBLE_EQUALS:
    case KUBE_LABEL_OP_NOT_EQUALS:
        if (n != 1)
            return kube_error_setf(KUBE_EINVAL, "%s: key \"%.300s\": exact-match compatibility requires one single value",
                                   where, key);
        break;
    case KUBE_LABEL_OP_EXISTS:
    case KUBE_LABEL_OP_DOES_NOT_EXIST:
        if (n != 0)
            return kube_error_setf(KUBE_EINVAL, "%s: key \"%.300s\": values set must be empty for exists and does not exist",
                                   where, key);
        break;
    case KUBE_LABEL_OP_GREATER_THAN:
    case KUBE_LABEL_OP_LESS_THAN: {
        int64_t dummy;
        if (n != 1)
            return kube_error_setf(KUBE_EINVAL, "%s: key \"%.300s\": for 'Gt', 'Lt' operators, exactly one value is required",
                                   where, key);
        if (!values[0] || !parse_int64(values[0], &dummy))
            return kube_error_setf(KUBE_EINVAL, "%s: key \"%.300s\": for 'Gt', 'Lt' operators, the value must be an integer",
                                   where, key);
        break;
    }
    default:
        return kube_error_setf(KUBE_EINVAL, "%s: unsupported operator %d", where, (int)op);
    }
    for (size_t i = 0; i < n; i++) {
        if (!values[i])
            return kube_error_setf(KUBE_EINVAL, "%s: NULL value", where);
        if ((why = label_value_error(values[i])))
            return kube_error_setf(KUBE_EINVAL, "%s: invalid label value \"%.300s\" for key \"%.300s\": %s", where,
                                   values[i], key, why);
    }
    return KUBE_OK;
}

static int cmp_lreq(const void *a, const void *b)
{
    const lreq_t *x = (const lreq_t *)a, *y = (const lreq_t *)b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Restore stable key order after appending (parsers append, then sort once:
 * O(n log n) whatever order the input is in). */
static void selector_sort(kube_label_selector_t *sel)
{
    if (sel->n > 1)
        qsort(sel->reqs, sel->n, sizeof *sel->reqs, cmp_lreq);
    for (size_t i = 0; i < sel->n; i++)
        sel->reqs[i].seq = i;
}

/* Add an already-validated requirement: appended (`append`, sort later with
 * selector_sort()) or inserted in stable key order. */
static kube_error_t selector_insert(kube_label_selector_t *sel, const char *key, size_t key_len, kube_label_op_t op,
                                    const char *const *values, size_t n, int append)
{
    const kube_mem_t *m = &sel->mem;
    lreq_t r;
    size_t pos, k = 0;

    if (sel->n == sel->cap) {
        size_t ncap = sel->cap ? sel->cap * 2 : 4;
        lreq_t *nr = (lreq_t *)kube_mem__realloc(m, sel->reqs, ncap * sizeof *nr);
        if (!nr)
            return kube_error_setf(KUBE_ENOMEM, "label selector: out of memory");
        sel->reqs = nr;
        sel->cap = ncap;
    }
    memset(&r, 0, sizeof r);
    r.op = op;
    r.key = kube_mem__strndup(m, key, key_len);
    if (!r.key)
        goto oom;
    if (n) {
        r.values = (char **)kube_mem__calloc(m, n, sizeof *r.values);
        if (!r.values)
            goto oom;
        for (size_t i = 0; i < n; i++) {
            char *v = kube_mem__strdup(m, values[i]);
            if (!v)
                goto oom;
            r.values[r.nvalues++] = v;
        }
        qsort(r.values, r.nvalues, sizeof *r.values, cmp_str_ptr);
        for (size_t i = 0; i < r.nvalues; i++) {
            if (k && strcmp(r.values[k - 1], r.values[i]) == 0)
                kube_mem__free(m, r.values[i]);
            else
                r.values[k++] = r.values[i];
        }
        r.nvalues = k;
    }
    r.seq = sel->n;
    pos = sel->n;
    while (!append && pos > 0 && strcmp(sel->reqs[pos - 1].key, r.key) > 0)
        pos--;
    memmove(&sel->reqs[pos + 1], &sel->reqs[pos], (sel->n - pos) * sizeof *sel->reqs);
    sel->reqs[pos] = r;
    sel->n++;
    return KUBE_OK;
oom:
    lreq_dispose(m, &r);
    return kube_error_setf(KUBE_ENOMEM, "label selector: out of memory");
}

kube_error_t kube_label_selector_add(kube_label_selector_t *sel, const char *key, kube_label_op_t op,
                                     const char *const *values, size_t n)
{
    kube_error_t rc;
    if (!sel)
        return kube_error_setf(KUBE_EINVAL, "label selector add: NULL selector");
    if ((rc = validate_requirement("label selector", key, op, values, n)))
        return rc;
    return selector_insert(sel, key, strlen(key), op, values, n, 0);
}

/* ======================================================================
 * Label selector lexer and parser (apimachinery labels/selector.go)
 * ====================================================================== */

typedef enum tok {
    T_ERROR,
    T_EOS,
    T_CLOSE_PAR,
    T_COMMA,
    T_DOES_NOT_EXIST,
    T_DOUBLE_EQUALS,
    T_EQUALS,
    T_GREATER,
    T_ID,
    T_IN,
    T_LESS,
    T_NOT_EQUALS,
    T_NOT_IN,
    T_OPEN_PAR
} tok_t;

typedef struct token {
    tok_t t;
    size_t start, len; /* byte range in the input */
} token_t;

typedef struct parser {
    const char *s;
    size_t pos;      /* next unread byte */
    token_t la;      /* lookahead token */
    int have_la;
} parser_t;

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_special(char c)
{
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

static tok_t keyword(const char *s, size_t n)
{
    static const struct { const char *lit; tok_t t; } map[] = {
        {")", T_CLOSE_PAR}, {",", T_COMMA}, {"!", T_DOES_NOT_EXIST}, {"==", T_DOUBLE_EQUALS},
        {"=", T_EQUALS}, {">", T_GREATER}, {"in", T_IN}, {"<", T_LESS}, {"!=", T_NOT_EQUALS},
        {"notin", T_NOT_IN}, {"(", T_OPEN_PAR},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strlen(map[i].lit) == n && memcmp(map[i].lit, s, n) == 0)
            return map[i].t;
    return T_ERROR;
}

static token_t lex(const char *s, size_t *pos)
{
    token_t tk;
    size_t p = *pos;
    while (is_ws(s[p]))
        p++;
    tk.start = p;
    if (!s[p]) {
        tk.t = T_EOS;
        tk.len = 0;
    } else if (is_special(s[p])) {
        /* Longest run of special symbols that still forms a token. */
        size_t best = 0, q = p;
        tok_t bt = T_ERROR;
        while (s[q] && is_special(s[q])) {
            tok_t t = keyword(s + p, q - p + 1);
            q++;
            if (t != T_ERROR) {
                bt = t;
                best = q - p;
            } else if (bt != T_ERROR) {
                break;
            }
        }
        if (bt == T_ERROR) {
            tk.t = T_ERROR;
            tk.len = q - p;
        } else {
            tk.t = bt;
            tk.len = best;
        }
    } else {
        size_t q = p;
        while (s[q] && !is_special(s[q]) && !is_ws(s[q]))
            q++;
        tk.len = q - p;
        tk.t = keyword(s + p, tk.len);
        if (tk.t == T_ERROR)
            tk.t = T_ID;
    }
    *pos = tk.start + tk.len;
    return tk;
}

/* In the "values" context, `in` and `notin` are identifiers. */
static token_t peek(parser_t *p, int values_ctx)
{
    token_t t;
    if (!p->have_la) {
        size_t q = p->pos;
        p->la = lex(p->s, &q);
        p->have_la = 1;
    }
    t = p->la;
    if (values_ctx && (t.t == T_IN || t.t == T_NOT_IN))
        t.t = T_ID;
    return t;
}

static token_t next(parser_t *p, int values_ctx)
{
    token_t t = peek(p, values_ctx);
    p->pos = p->la.start + p->la.len;
    p->have_la = 0;
    return t;
}

static kube_error_t perr(const parser_t *p, const token_t *t, const char *expected)
{
    if (t->t == T_EOS)
        return kube_error_setf(KUBE_EINVAL, "label selector: at offset %zu: found 'end of string', expected: %s",
                               t->start, expected);
    return kube_error_setf(KUBE_EINVAL, "label selector: at offset %zu: found '%.*s', expected: %s", t->start,
                           (int)(t->len > 200 ? 200 : t->len), p->s + t->start, expected);
}

/* A growable list of value slices used while parsing one requirement. */
typedef struct vlist {
    char **v;
    size_t n, cap;
} vlist_t;

static void vlist_dispose(const kube_mem_t *m, vlist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        kube_mem__free(m, l->v[i]);
    kube_mem__free(m, l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static kube_error_t vlist_push(const kube_mem_t *m, vlist_t *l, const char *s, size_t n)
{
    char *c;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 4;
        char **nv = (char **)kube_mem__realloc(m, l->v, ncap * sizeof *nv);
        if (!nv)
            return kube_error_setf(KUBE_ENOMEM, "label selector: out of memory");
        l->v = nv;
        l->cap = ncap;
    }
    c = kube_mem__strndup(m, s, n);
    if (!c)
        return kube_error_setf(KUBE_ENOMEM, "label selector: out of memory");
    l->v[l->n++] = c;
    return KUBE_OK;
}

static kube_error_t parse_values(parser_t *p, const kube_mem_t *m, vlist_t *vals)
{
    token_t t = next(p, 1);
    kube_error_t rc;
    if (t.t != T_OPEN_PAR)
        return perr(p, &t, "'('");
    t = peek(p, 1);
    if (t.t == T_CLOSE_PAR) {
        next(p, 1);
        return vlist_push(m, vals, "", 0);
    }
    if (t.t != T_ID && t.t != T_COMMA)
        return perr(p, &t, "',', ')' or identifier");
    for (;;) {
        t = next(p, 1);
        if (t.t == T_ID) {
            token_t t2;
            if ((rc = vlist_push(m, vals, p->s + t.start, t.len)))
                return rc;
            t2 = peek(p, 1);
            if (t2.t == T_COMMA)
                continue;
            if (t2.t == T_CLOSE_PAR)
                break;
            return perr(p, &t2, "',' or ')'");
        } else if (t.t == T_COMMA) {
            token_t t2;
            if (vals->n == 0 && (rc = vlist_push(m, vals, "", 0)))
                return rc;
            t2 = peek(p, 1);
            if (t2.t == T_CLOSE_PAR) {
                if ((rc = vlist_push(m, vals, "", 0)))
                    return rc;
                break;
            }
            if (t2.t == T_COMMA) {
                next(p, 1);
                if ((rc = vlist_push(m, vals, "", 0)))
                    return rc;
            }
        } else {
            return perr(p, &t, "',', or identifier");
        }
    }
    t = next(p, 1);
    if (t.t != T_CLOSE_PAR)
        return perr(p, &t, "')'");
    return KUBE_OK;
}

static kube_error_t parse_requirement(parser_t *p, kube_label_selector_t *sel)
{
    const kube_mem_t *m = &sel->mem;
    token_t t = next(p, 1), keytok;
    kube_label_op_t op = KUBE_LABEL_OP_EXISTS;
    int have_op = 0;
    vlist_t vals = {NULL, 0, 0};
    kube_error_t rc;
    char *key;
    char where[64];

    if (t.t == T_DOES_NOT_EXIST) {
        op = KUBE_LABEL_OP_DOES_NOT_EXIST;
        have_op = 1;
        t = next(p, 1);
    }
    if (t.t != T_ID)
        return perr(p, &t, "identifier");
    keytok = t;
    key = kube_mem__strndup(m, p->s + t.start, t.len);
    if (!key)
        return kube_error_setf(KUBE_ENOMEM, "label selector: out of memory");
    {
        const char *why = label_key_error(key);
        if (why) {
            rc = kube_error_setf(KUBE_EINVAL, "label selector: at offset %zu: invalid label key \"%.300s\": %s",
                                 keytok.start, key, why);
            goto done;
        }
    }
    t = peek(p, 1);
    if (t.t == T_EOS || t.t == T_COMMA) {
        have_op = 1; /* exists, or the `!key` read above */
    }
    if (!have_op) {
        t = next(p, 0);
        switch (t.t) {
        case T_IN: op = KUBE_LABEL_OP_IN; break;
        case T_EQUALS: op = KUBE_LABEL_OP_EQUALS; break;
        case T_DOUBLE_EQUALS: op = KUBE_LABEL_OP_DOUBLE_EQUALS; break;
        case T_GREATER: op = KUBE_LABEL_OP_GREATER_THAN; break;
        case T_LESS: op = KUBE_LABEL_OP_LESS_THAN; break;
        case T_NOT_IN: op = KUBE_LABEL_OP_NOT_IN; break;
        case T_NOT_EQUALS: op = KUBE_LABEL_OP_NOT_EQUALS; break;
        default:
            rc = perr(p, &t, "=, !=, ==, in, notin, >, <");
            goto done;
        }
        if (op == KUBE_LABEL_OP_IN || op == KUBE_LABEL_OP_NOT_IN) {
            if ((rc = parse_values(p, m, &vals)))
                goto done;
        } else {
            t = peek(p, 1);
            if (t.t == T_EOS || t.t == T_COMMA) {
                if ((rc = vlist_push(m, &vals, "", 0)))
                    goto done;
            } else {
                t = next(p, 1);
                if (t.t != T_ID) {
                    rc = perr(p, &t, "identifier");
                    goto done;
                }
                if ((rc = vlist_push(m, &vals, p->s + t.start, t.len)))
                    goto done;
            }
        }
    }
    snprintf(where, sizeof where, "label selector: at offset %zu", keytok.start);
    if ((rc = validate_requirement(where, key, op, (const char *const *)vals.v, vals.n)))
        goto done;
    rc = selector_insert(sel, key, strlen(key), op, (const char *const *)vals.v, vals.n, 1);
done:
    vlist_dispose(m, &vals);
    kube_mem__free(m, key);
    return rc;
}

kube_error_t kube_label_selector_parse(kube_label_selector_t **out, const char *str, const kube_mem_t *mem)
{
    kube_label_selector_t *sel;
    parser_t p;
    kube_error_t rc;

    if (!out || !str)
        return kube_error_setf(KUBE_EINVAL, "label selector parse: NULL argument");
    if ((rc = selector_alloc(&sel, mem)))
        return rc;
    p.s = str;
    p.pos = 0;
    p.have_la = 0;
    for (;;) {
        token_t t = peek(&p, 1);
        if (t.t == T_EOS)
            break;
        if (t.t != T_ID && t.t != T_DOES_NOT_EXIST) {
            rc = perr(&p, &t, "!, identifier, or 'end of string'");
            goto fail;
        }
        if ((rc = parse_requirement(&p, sel)))
            goto fail;
        t = next(&p, 1);
        if (t.t == T_EOS)
            break;
        if (t.t != T_COMMA) {
            rc = perr(&p, &t, "',' or 'end of string'");
            goto fail;
        }
        t = peek(&p, 1);
        if (t.t != T_ID && t.t != T_DOES_NOT_EXIST) {
            rc = perr(&p, &t, "identifier after ','");
            goto fail;
        }
    }
    selector_sort(sel);
    *out = sel;
    return KUBE_OK;
fail:
    kube_label_selector_free(sel);
    return rc;
}

kube_error_t kube_label_selector_format(kube_buf_t *out, const kube_label_selector_t *sel)
{
    kube_buf_t tmp;
    kube_error_t rc = KUBE_OK;
    if (!out || !sel)
        return kube_error_setf(KUBE_EINVAL, "label selector format: NULL argument");
    kube_buf_init(&tmp, &out->mem);
    for (size_t i = 0; i < sel->n && !rc; i++) {
        const lreq_t *r = &sel->reqs[i];
        if (i)
            rc = kube_buf_puts(&tmp, ",");
        if (!rc && r->op == KUBE_LABEL_OP_DOES_NOT_EXIST)
            rc = kube_buf_puts(&tmp, "!");
        if (!rc)
            rc = kube_buf_puts(&tmp, r->key);
        if (rc)
            break;
        switch (r->op) {
        case KUBE_LABEL_OP_EQUALS: rc = kube_buf_puts(&tmp, "="); break;
        case KUBE_LABEL_OP_DOUBLE_EQUALS: rc = kube_buf_puts(&tmp, "=="); break;
        case KUBE_LABEL_OP_NOT_EQUALS: rc = kube_buf_puts(&tmp, "!="); break;
        case KUBE_LABEL_OP_IN: rc = kube_buf_puts(&tmp, " in "); break;
        case KUBE_LABEL_OP_NOT_IN: rc = kube_buf_puts(&tmp, " notin "); break;
        case KUBE_LABEL_OP_GREATER_THAN: rc = kube_buf_puts(&tmp, ">"); break;
        case KUBE_LABEL_OP_LESS_THAN: rc = kube_buf_puts(&tmp, "<"); break;
        case KUBE_LABEL_OP_EXISTS:
        case KUBE_LABEL_OP_DOES_NOT_EXIST:
            continue;
        }
        if (!rc && (r->op == KUBE_LABEL_OP_IN || r->op == KUBE_LABEL_OP_NOT_IN))
            rc = kube_buf_puts(&tmp, "(");
        for (size_t j = 0; j < r->nvalues && !rc; j++) {
            if (j)
                rc = kube_buf_puts(&tmp, ",");
            if (!rc)
                rc = kube_buf_puts(&tmp, r->values[j]);
        }
        if (!rc && (r->op == KUBE_LABEL_OP_IN || r->op == KUBE_LABEL_OP_NOT_IN))
            rc = kube_buf_puts(&tmp, ")");
    }
    if (!rc && tmp.size)
        rc = kube_buf_put(out, tmp.ptr, tmp.size);
    else if (!rc)
        rc = kube_buf_put(out, "", 0);
    kube_buf_dispose(&tmp);
    return rc;
}

size_t kube_label_selector_count(const kube_label_selector_t *sel)
{
    return sel ? sel->n : 0;
}

int kube_label_selector_is_empty(const kube_label_selector_t *sel)
{
    return sel && !sel->nothing && sel->n == 0;
}

kube_error_t kube_label_selector_requirement(const kube_label_selector_t *sel, size_t index, const char **key_out,
                                             kube_label_op_t *op_out, const char *const **values_out, size_t *n_out)
{
    const lreq_t *r;
    if (!sel)
        return kube_error_setf(KUBE_EINVAL, "label selector requirement: NULL selector");
    if (index >= sel->n)
        return kube_error_setf(KUBE_ENOTFOUND, "label selector requirement %zu: only %zu", index, sel->n);
    r = &sel->reqs[index];
    if (key_out)
        *key_out = r->key;
    if (op_out)
        *op_out = r->op;
    if (values_out)
        *values_out = (const char *const *)r->values;
    if (n_out)
        *n_out = r->nvalues;
    return KUBE_OK;
}

/* ---- matching ---- */

typedef const char *(*label_get_fn)(const void *ctx, size_t n, const char *key);

static const char *json_label_get(const void *ctx, size_t n, const char *key)
{
    (void)n;
    return kube_json_string(kube_json_get((const kube_json_t *)ctx, key));
}

static const char *kv_label_get(const void *ctx, size_t n, const char *key)
{
    const kube_kv_t *kv = (const kube_kv_t *)ctx;
    for (size_t i = n; i-- > 0;)
        if (kv[i].key && strcmp(kv[i].key, key) == 0)
            return kv[i].value ? kv[i].value : "";
    return NULL;
}

static int has_value(const lreq_t *r, const char *v)
{
    size_t lo = 0, hi = r->nvalues;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->values[mid], v);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int req_matches(const lreq_t *r, label_get_fn get, const void *ctx, size_t n)
{
    const char *v = get(ctx, n, r->key);
    int64_t lv, rv;
    switch (r->op) {
    case KUBE_LABEL_OP_IN:
    case KUBE_LABEL_OP_EQUALS:
    case KUBE_LABEL_OP_DOUBLE_EQUALS:
        return v && has_value(r, v);
    case KUBE_LABEL_OP_NOT_IN:
    case KUBE_LABEL_OP_NOT_EQUALS:
        return !v || !has_value(r, v);
    case KUBE_LABEL_OP_EXISTS:
        return v != NULL;
    case KUBE_LABEL_OP_DOES_NOT_EXIST:
        return v == NULL;
    case KUBE_LABEL_OP_GREATER_THAN:
    case KUBE_LABEL_OP_LESS_THAN:
        if (!v || r->nvalues != 1 || !parse_int64(v, &lv) || !parse_int64(r->values[0], &rv))
            return 0;
        return r->op == KUBE_LABEL_OP_GREATER_THAN ? lv > rv : lv < rv;
    }
    return 0;
}

static int sel_matches(const kube_label_selector_t *sel, label_get_fn get, const void *ctx, size_t n)
{
    if (!sel || sel->nothing)
        return 0;
    for (size_t i = 0; i < sel->n; i++)
        if (!req_matches(&sel->reqs[i], get, ctx, n))
            return 0;
    return 1;
}

int kube_label_selector_matches(const kube_label_selector_t *sel, const kube_json_t *labels)
{
    if (kube_json_type(labels) != KUBE_JSON_OBJECT)
        labels = NULL;
    return sel_matches(sel, json_label_get, labels, 0);
}

int kube_label_selector_matches_object(const kube_label_selector_t *sel, const kube_json_t *obj)
{
    return kube_label_selector_matches(sel, kube_json_get(kube_json_get(obj, "metadata"), "labels"));
}

int kube_label_selector_matches_kv(const kube_label_selector_t *sel, const kube_kv_t *labels, size_t n)
{
    if (!labels)
        n = 0;
    return sel_matches(sel, kv_label_get, labels, n);
}

/* ---- LabelSelector JSON ---- */

static kube_error_t mut_oom(kube_json_mut_t *v)
{
    if (v)
        return KUBE_OK;
    return kube_error_last()->code ? kube_error_last()->code : kube_error_setf(KUBE_ENOMEM, "out of memory");
}

static kube_error_t add_expression(kube_json_mut_doc_t *doc, kube_json_mut_t **exprs, const char *key,
                                   const char *op, char *const *values, size_t n)
{
    kube_json_mut_t *e, *arr;
    kube_error_t rc;
    if (!*exprs) {
        *exprs = kube_json_mut_arr(doc);
        if ((rc = mut_oom(*exprs)))
            return rc;
    }
    e = kube_json_mut_obj(doc);
    if ((rc = mut_oom(e)))
        return rc;
    if ((rc = kube_json_mut_obj_set_str(e, "key", key)) || (rc = kube_json_mut_obj_set_str(e, "operator", op)))
        return rc;
    if (n) {
        arr = kube_json_mut_arr(doc);
        if ((rc = mut_oom(arr)))
            return rc;
        for (size_t i = 0; i < n; i++) {
            kube_json_mut_t *s = kube_json_mut_str(doc, values[i]);
            if ((rc = mut_oom(s)) || (rc = kube_json_mut_arr_append(arr, s)))
                return rc;
        }
        if ((rc = kube_json_mut_obj_set(e, "values", arr)))
            return rc;
    }
    return kube_json_mut_arr_append(*exprs, e);
}

kube_error_t kube_label_selector_to_json(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                         const kube_label_selector_t *sel)
{
    kube_json_mut_t *root, *labels = NULL, *exprs = NULL;
    kube_error_t rc;

    if (!out || !doc || !sel)
        return kube_error_setf(KUBE_EINVAL, "label selector to_json: NULL argument");
    if (sel->nothing)
        return kube_error_setf(KUBE_EINVAL, "label selector to_json: a match-nothing selector has no LabelSelector form");
    for (size_t i = 0; i < sel->n; i++)
        if (sel->reqs[i].op == KUBE_LABEL_OP_GREATER_THAN || sel->reqs[i].op == KUBE_LABEL_OP_LESS_THAN)
            return kube_error_setf(KUBE_EINVAL, "label selector to_json: \"%s\" isn't supported in label selectors "
                                   "(key \"%.300s\")", sel->reqs[i].op == KUBE_LABEL_OP_GREATER_THAN ? "gt" : "lt",
                                   sel->reqs[i].key);
    kube_error_clear();
    root = kube_json_mut_obj(doc);
    if ((rc = mut_oom(root)))
        return rc;
    for (size_t i = 0; i < sel->n; i++) {
        const lreq_t *r = &sel->reqs[i];
        switch (r->op) {
        case KUBE_LABEL_OP_EQUALS:
        case KUBE_LABEL_OP_DOUBLE_EQUALS:
            if (!labels) {
                labels = kube_json_mut_obj(doc);
                if ((rc = mut_oom(labels)))
                    return rc;
            }
            if (kube_json_mut_obj_get(labels, r->key))
                rc = add_expression(doc, &exprs, r->key, "In", r->values, r->nvalues);
            else
                rc = kube_json_mut_obj_set_str(labels, r->key, r->values[0]);
            break;
        case KUBE_LABEL_OP_IN:
            rc = add_expression(doc, &exprs, r->key, "In", r->values, r->nvalues);
            break;
        case KUBE_LABEL_OP_NOT_IN:
        case KUBE_LABEL_OP_NOT_EQUALS:
            rc = add_expression(doc, &exprs, r->key, "NotIn", r->values, r->nvalues);
            break;
        case KUBE_LABEL_OP_EXISTS:
            rc = add_expression(doc, &exprs, r->key, "Exists", NULL, 0);
            break;
        case KUBE_LABEL_OP_DOES_NOT_EXIST:
            rc = add_expression(doc, &exprs, r->key, "DoesNotExist", NULL, 0);
            break;
        default:
            rc = kube_error_setf(KUBE_EINVAL, "label selector to_json: bad operator");
            break;
        }
        if (rc)
            return rc;
    }
    if (labels && (rc = kube_json_mut_obj_set(root, "matchLabels", labels)))
        return rc;
    if (exprs && (rc = kube_json_mut_obj_set(root, "matchExpressions", exprs)))
        return rc;
    *out = root;
    return KUBE_OK;
}

kube_error_t kube_label_selector_from_json(kube_label_selector_t **out, const kube_json_t *ls,
                                           const kube_mem_t *mem)
{
    kube_label_selector_t *sel;
    const kube_json_t *ml, *me, *v;
    kube_json_iter_t it;
    const char *key;
    kube_error_t rc;
    size_t idx;

    if (!out)
        return kube_error_setf(KUBE_EINVAL, "label selector from_json: NULL argument");
    if (ls && kube_json_type(ls) != KUBE_JSON_NULL && kube_json_type(ls) != KUBE_JSON_OBJECT)
        return kube_error_setf(KUBE_EINVAL, "label selector from_json: not an object");
    if ((rc = selector_alloc(&sel, mem)))
        return rc;
    if (!ls || kube_json_type(ls) == KUBE_JSON_NULL) {
        sel->nothing = 1;
        *out = sel;
        return KUBE_OK;
    }
    ml = kube_json_get(ls, "matchLabels");
    me = kube_json_get(ls, "matchExpressions");
    if (ml && kube_json_type(ml) != KUBE_JSON_NULL) {
        if (kube_json_type(ml) != KUBE_JSON_OBJECT) {
            rc = kube_error_setf(KUBE_EINVAL, "label selector from_json: matchLabels: not an object");
            goto fail;
        }
        kube_json_iter_init(&it, ml);
        while ((v = kube_json_iter_next(&it, &key, NULL))) {
            const char *s = kube_json_string(v);
            if (!s) {
                rc = kube_error_setf(KUBE_EINVAL, "label selector from_json: matchLabels.%.300s: not a string", key);
                goto fail;
            }
            if ((rc = validate_requirement("label selector from_json: matchLabels", key, KUBE_LABEL_OP_EQUALS,
                                           &s, 1)) ||
                (rc = selector_insert(sel, key, strlen(key), KUBE_LABEL_OP_EQUALS, &s, 1, 1)))
                goto fail;
        }
    }
    if (me && kube_json_type(me) != KUBE_JSON_NULL) {
        if (kube_json_type(me) != KUBE_JSON_ARRAY) {
            rc = kube_error_setf(KUBE_EINVAL, "label selector from_json: matchExpressions: not an array");
            goto fail;
        }
        kube_json_iter_init(&it, me);
        idx = 0;
        while ((v = kube_json_iter_next(&it, NULL, NULL))) {
            const char *k = kube_json_string(kube_json_get(v, "key"));
            const char *opname = kube_json_string(kube_json_get(v, "operator"));
            const kube_json_t *vals = kube_json_get(v, "values");
            kube_label_op_t op;
            const char **arr = NULL;
            size_t n = 0;
            char where[96];

            if (!k || !opname) {
                rc = kube_error_setf(KUBE_EINVAL, "label selector from_json: matchExpressions[%zu].%s: missing or not a string",
                                     idx, k ? "operator" : "key");
                goto fail;
            }
            if (strcmp(opname, "In") == 0)
                op = KUBE_LABEL_OP_IN;
            else if (strcmp(opname, "NotIn") == 0)
                op = KUBE_LABEL_OP_NOT_IN;
            else if (strcmp(opname, "Exists") == 0)
                op = KUBE_LABEL_OP_EXISTS;
            else if (strcmp(opname, "DoesNotExist") == 0)
                op = KUBE_LABEL_OP_DOES_NOT_EXIST;
            else {
                rc = kube_error_setf(KUBE_EINVAL, "label selector from_json: matchExpressions[%zu].operator: "
                                     "\"%.100s\" is not a valid label selector operator", idx, opname);
                goto fail;
            }
            if (vals && kube_json_type(vals) != KUBE_JSON_NULL) {
                kube_json_iter_t vit;
                const kube_json_t *e;
                if (kube_json_type(vals) != KUBE_JSON_ARRAY) {
                    rc = kube_error_setf(KUBE_EINVAL, "label selector from_json: matchExpressions[%zu].values: not an array",
                                         idx);
                    goto fail;
                }
                n = kube_json_size(vals);
                arr = (const char **)kube_mem__calloc(&sel->mem, n ? n : 1, sizeof *arr);
                if (!arr) {
                    rc = kube_error_setf(KUBE_ENOMEM, "label selector: out of memory");
                    goto fail;
                }
                n = 0;
                kube_json_iter_init(&vit, vals);
                while ((e = kube_json_iter_next(&vit, NULL, NULL))) {
                    if (!(arr[n] = kube_json_string(e))) {
                        kube_mem__free(&sel->mem, (void *)arr);
                        rc = kube_error_setf(KUBE_EINVAL, "label selector from_json: matchExpressions[%zu].values[%zu]: "
                                             "not a string", idx, n);
                        goto fail;
                    }
                    n++;
                }
            }
            snprintf(where, sizeof where, "label selector from_json: matchExpressions[%zu]", idx);
            rc = validate_requirement(where, k, op, arr, n);
            if (!rc)
                rc = selector_insert(sel, k, strlen(k), op, arr, n, 1);
            kube_mem__free(&sel->mem, (void *)arr);
            if (rc)
                goto fail;
            idx++;
        }
    }
    selector_sort(sel);
    *out = sel;
    return KUBE_OK;
fail:
    kube_label_selector_free(sel);
    return rc;
}

/* ======================================================================
 * Field selectors (apimachinery fields/selector.go)
 * ====================================================================== */

typedef struct fterm {
    char *raw; /* the term's canonical text, for ordering */
    char *field;
    char *value;
    kube_field_op_t op;
} fterm_t;

struct kube_field_selector {
    kube_mem_t mem;
    fterm_t *terms;
    size_t n;
};

void kube_field_selector_free(kube_field_selector_t *sel)
{
    kube_mem_t m;
    if (!sel)
        return;
    m = sel->mem;
    for (size_t i = 0; i < sel->n; i++) {
        kube_mem__free(&m, sel->terms[i].raw);
        kube_mem__free(&m, sel->terms[i].field);
        kube_mem__free(&m, sel->terms[i].value);
    }
    kube_mem__free(&m, sel->terms);
    kube_mem__free(&m, sel);
}

static int cmp_fterm(const void *a, const void *b)
{
    return strcmp(((const fterm_t *)a)->raw, ((const fterm_t *)b)->raw);
}

/* Unescape a field selector value into dst (room for n+1 bytes). */
static kube_error_t unescape_value(char *dst, const char *src, size_t n, size_t base, const char *whole)
{
    size_t o = 0;
    int in_slash = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (in_slash) {
            if (c != '\\' && c != ',' && c != '=')
                return kube_error_setf(KUBE_EINVAL, "field selector \"%.300s\": at offset %zu: invalid escape sequence \"\\%c\"",
                                       whole, base + i - 1, c);
            dst[o++] = c;
            in_slash = 0;
            continue;
        }
        if (c == '\\')
            in_slash = 1;
        else if (c == ',' || c == '=')
            return kube_error_setf(KUBE_EINVAL, "field selector \"%.300s\": at offset %zu: invalid selector: "
                                   "unescaped '%c' in value", whole, base + i, c);
        else
            dst[o++] = c;
    }
    if (in_slash)
        return kube_error_setf(KUBE_EINVAL, "field selector \"%.300s\": at offset %zu: invalid escape sequence \"\\\"",
                               whole, base + n - 1);
    dst[o] = '\0';
    return KUBE_OK;
}

static kube_error_t parse_term(fterm_t *t, const kube_mem_t *m, const char *s, size_t start, size_t len)
{
    const char *term = s + start;
    size_t i, oplen = 0;
    kube_error_t rc;
    for (i = 0; i < len; i++) {
        if (i + 1 < len && term[i] == '!' && term[i + 1] == '=') {
            t->op = KUBE_FIELD_OP_NOT_EQUALS;
            oplen = 2;
        } else if (i + 1 < len && term[i] == '=' && term[i + 1] == '=') {
            t->op = KUBE_FIELD_OP_EQUALS;
            oplen = 2;
        } else if (term[i] == '=') {
            t->op = KUBE_FIELD_OP_EQUALS;
            oplen = 1;
        }
        if (oplen)
            break;
    }
    if (!oplen)
        return kube_error_setf(KUBE_EINVAL, "field selector \"%.300s\": at offset %zu: invalid selector: can't understand '%.*s'",
                               s, start, (int)(len > 200 ? 200 : len), term);
    t->field = kube_mem__strndup(m, term, i);
    t->value = (char *)kube_mem__malloc(m, len - i - oplen + 1);
    if (!t->field || !t->value)
        return kube_error_setf(KUBE_ENOMEM, "field selector: out of memory");
    if ((rc = unescape_value(t->value, term + i + oplen, len - i - oplen, start + i + oplen, s)))
        return rc;
    /* The canonical text of the term orders the terms, so printing is idempotent. */
    {
        kube_buf_t b;
        kube_buf_init(&b, m);
        if ((rc = kube_buf_puts(&b, t->field)) ||
            (rc = kube_buf_puts(&b, t->op == KUBE_FIELD_OP_NOT_EQUALS ? "!=" : "=")) ||
            (rc = kube_field_selector_escape(&b, t->value)) || (rc = kube_buf_detach(&t->raw, NULL, &b))) {
            kube_buf_dispose(&b);
            return rc;
        }
    }
    return KUBE_OK;
}

kube_error_t kube_field_selector_parse(kube_field_selector_t **out, const char *str, const kube_mem_t *mem)
{
    kube_mem_t m;
    kube_field_selector_t *sel;
    size_t nterms = 1, start = 0, i;
    int in_slash = 0;
    kube_error_t rc = KUBE_OK;

    if (!out || !str)
        return kube_error_setf(KUBE_EINVAL, "field selector parse: NULL argument");
    m = kube_mem__pick(mem);
    sel = (kube_field_selector_t *)kube_mem__calloc(&m, 1, sizeof *sel);
    if (!sel)
        return kube_error_setf(KUBE_ENOMEM, "field selector: out of memory");
    sel->mem = m;
    for (i = 0; str[i]; i++) {
        if (in_slash)
            in_slash = 0;
        else if (str[i] == '\\')
            in_slash = 1;
        else if (str[i] == ',')
            nterms++;
    }
    sel->terms = (fterm_t *)kube_mem__calloc(&m, nterms, sizeof *sel->terms);
    if (!sel->terms) {
        rc = kube_error_setf(KUBE_ENOMEM, "field selector: out of memory");
        goto fail;
    }
    in_slash = 0;
    for (i = 0;; i++) {
        int end = str[i] == '\0';
        if (!end && in_slash) {
            in_slash = 0;
            continue;
        }
        if (!end && str[i] == '\\') {
            in_slash = 1;
            continue;
        }
        if (end || str[i] == ',') {
            if (i > start) {
                rc = parse_term(&sel->terms[sel->n], &m, str, start, i - start);
                sel->n++;
                if (rc)
                    goto fail;
            }
            start = i + 1;
        }
        if (end)
            break;
    }
    qsort(sel->terms, sel->n, sizeof *sel->terms, cmp_fterm);
    *out = sel;
    return KUBE_OK;
fail:
    kube_field_selector_free(sel);
    return rc;
}

kube_error_t kube_field_selector_escape(kube_buf_t *out, const char *value)
{
    kube_buf_t tmp;
    kube_error_t rc = KUBE_OK;
    if (!out || !value)
        return kube_error_setf(KUBE_EINVAL, "field selector escape: NULL argument");
    kube_buf_init(&tmp, &out->mem);
    for (const char *p = value; *p && !rc; p++) {
        if (*p == '\\' || *p == ',' || *p == '=')
            rc = kube_buf_put(&tmp, "\\", 1);
        if (!rc)
            rc = kube_buf_put(&tmp, p, 1);
    }
    if (!rc)
        rc = kube_buf_put(out, tmp.ptr ? tmp.ptr : "", tmp.size);
    kube_buf_dispose(&tmp);
    return rc;
}

kube_error_t kube_field_selector_format(kube_buf_t *out, const kube_field_selector_t *sel)
{
    kube_buf_t tmp;
    kube_error_t rc = KUBE_OK;
    if (!out || !sel)
        return kube_error_setf(KUBE_EINVAL, "field selector format: NULL argument");
    kube_buf_init(&tmp, &out->mem);
    for (size_t i = 0; i < sel->n && !rc; i++) {
        const fterm_t *t = &sel->terms[i];
        if (i)
            rc = kube_buf_puts(&tmp, ",");
        if (!rc)
            rc = kube_buf_puts(&tmp, t->field);
        if (!rc)
            rc = kube_buf_puts(&tmp, t->op == KUBE_FIELD_OP_NOT_EQUALS ? "!=" : "=");
        if (!rc)
            rc = kube_field_selector_escape(&tmp, t->value);
    }
    if (!rc)
        rc = kube_buf_put(out, tmp.ptr ? tmp.ptr : "", tmp.size);
    kube_buf_dispose(&tmp);
    return rc;
}

size_t kube_field_selector_count(const kube_field_selector_t *sel)
{
    return sel ? sel->n : 0;
}

kube_error_t kube_field_selector_term(const kube_field_selector_t *sel, size_t index, const char **field_out,
                                      kube_field_op_t *op_out, const char **value_out)
{
    if (!sel)
        return kube_error_setf(KUBE_EINVAL, "field selector term: NULL selector");
    if (index >= sel->n)
        return kube_error_setf(KUBE_ENOTFOUND, "field selector term %zu: only %zu", index, sel->n);
    if (field_out)
        *field_out = sel->terms[index].field;
    if (op_out)
        *op_out = sel->terms[index].op;
    if (value_out)
        *value_out = sel->terms[index].value;
    return KUBE_OK;
}

/* Does the value at a dotted path equal `want`, with the server's field-set stringification? */
static int field_equals(const kube_json_t *obj, const char *path, const char *want)
{
    const kube_json_t *v = obj;
    const char *p = path;
    char num[32];
    const char *have = "";

    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        v = kube_json_getn(v, p, n);
        if (!v || !dot)
            break;
        p = dot + 1;
    }
    switch (kube_json_type(v)) {
    case KUBE_JSON_STRING:
        /* A string with an embedded NUL never equals a C string of another length. */
        return kube_json_string_len(v) == strlen(want) && strcmp(kube_json_string(v), want) == 0;
    case KUBE_JSON_BOOL:
        have = kube_json_is_true(v) ? "true" : "false";
        break;
    case KUBE_JSON_INT: {
        int64_t i = 0;
        kube_json_int64(v, &i);
        snprintf(num, sizeof num, "%lld", (long long)i);
        have = num;
        break;
    }
    case KUBE_JSON_UINT: {
        uint64_t u = 0;
        kube_json_uint64(v, &u);
        snprintf(num, sizeof num, "%llu", (unsigned long long)u);
        have = num;
        break;
    }
    default:
        have = "";
        break;
    }
    return strcmp(have, want) == 0;
}

int kube_field_selector_matches(const kube_field_selector_t *sel, const kube_json_t *obj)
{
    if (!sel)
        return 0;
    for (size_t i = 0; i < sel->n; i++) {
        int eq = field_equals(obj, sel->terms[i].field, sel->terms[i].value);
        if (sel->terms[i].op == KUBE_FIELD_OP_EQUALS ? !eq : eq)
            return 0;
    }
    return 1;
}
