/* YAML into libkube JSON documents, with Kubernetes' (sigs.k8s.io/yaml + go-yaml v2)
 * scalar rules. libyaml produces events; values are built in a mutable document
 * (an explicit stack, no recursion on input depth) and frozen per YAML document. */
#include <kube/yaml.h>
#include <kube/error.h>
#include <yaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "alloc_int.h"
#include "json_int.h"
#include "encoding_int.h"

#define ALIAS_VALUE_LIMIT 1000000u

typedef struct anchor {
    char *name;
    kube_json_mut_t *val;
    size_t count;
    int done;
} anchor_t;

typedef struct frame {
    kube_json_mut_t *ctn;
    int is_map;
    int have_key;
    int merge;          /* the pending key is "<<" */
    const char *key;    /* pending key (arena memory of the mutable document) */
    size_t key_len;
    size_t anchor;      /* index + 1 of the anchor naming this container, or 0 */
    yaml_mark_t mark;
} frame_t;

typedef struct yctx {
    kube_mem_t mem;
    const kube_json_parse_opts_t *opts;
    size_t max_depth;
    kube_json_mut_doc_t *md;
    frame_t *frames;
    size_t nframes, cap_frames;
    anchor_t *anchors;
    size_t nanchors, cap_anchors;
    size_t *htab;       /* anchor name -> index + 1 (open addressing; the latest definition) */
    size_t hcap;
    size_t alias_values;
    kube_json_mut_t *root;
} yctx_t;

static kube_error_t yerr(yaml_mark_t mark, const char *fmt, ...) KUBE_PRINTF(2, 3);

static kube_error_t yerr(yaml_mark_t mark, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return kube_error_setf(KUBE_EINVAL, "yaml: line %zu column %zu: %s", mark.line + 1, mark.column + 1, msg);
}

static kube_error_t ynomem(void)
{
    return kube_error_setf(KUBE_ENOMEM, "yaml: out of memory");
}

static void reset_doc_state(yctx_t *c)
{
    size_t i;
    for (i = 0; i < c->nanchors; i++)
        kube_mem__free(&c->mem, c->anchors[i].name);
    c->nanchors = 0;
    if (c->htab)
        memset(c->htab, 0, c->hcap * sizeof *c->htab);
    c->nframes = 0;
    c->alias_values = 0;
    c->root = NULL;
    kube_json_mut_doc_free(c->md);
    c->md = NULL;
}

/* ---- scalar resolution (go-yaml v2's resolve, as sigs.k8s.io/yaml uses it) ---- */

static int str_in(const char *s, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, s, n) == 0)
            return 1;
    return 0;
}

static const char *const yaml_true[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
                                        "on", "On", "ON", NULL};
static const char *const yaml_false[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE",
                                         "off", "Off", "OFF", NULL};
static const char *const yaml_null[] = {"~", "null", "Null", "NULL", NULL};
static const char *const yaml_inf[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                                       "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL};

/* Go's strconv.ParseInt/ParseUint with base 0 (underscores already removed).
 * Returns 1 with *neg and *mag set when @s is an integer whose magnitude fits 64 bits. */
static int go_parse_int(const char *s, size_t n, int *neg, uint64_t *mag)
{
    size_t i = 0;
    unsigned base = 10;
    uint64_t v = 0;
    *neg = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        *neg = s[i++] == '-';
    if (i >= n)
        return 0;
    if (s[i] == '0' && i + 1 < n) {
        char p = (char)(s[i + 1] | 0x20);
        if (p == 'x') {
            base = 16;
            i += 2;
        } else if (p == 'o') {
            base = 8;
            i += 2;
        } else if (p == 'b') {
            base = 2;
            i += 2;
        } else {
            base = 8;
            i += 1;
        }
        if (i >= n)
            return 0;
    }
    for (; i < n; i++) {
        unsigned d;
        char ch = s[i];
        if (ch >= '0' && ch <= '9')
            d = (unsigned)(ch - '0');
        else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
            d = (unsigned)((ch | 0x20) - 'a' + 10);
        else
            return 0;
        if (d >= base)
            return 0;
        if (v > (UINT64_MAX - d) / base)
            return 0;
        v = v * base + d;
    }
    *mag = v;
    return 1;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int yaml_float_syntax(const char *s, size_t n)
{
    size_t i = 0, d = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, d++;
        if (!d)
            return 0;
    } else {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, d++;
        if (!d)
            return 0;
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
        }
    }
    if (i < n && (s[i] | 0x20) == 'e') {
        i++;
        d = 0;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, d++;
        if (!d)
            return 0;
    }
    return i == n;
}

enum { R_FAIL = -1, R_STR = 0, R_NULL, R_BOOL, R_INT, R_FLOAT, R_NONFINITE };

/* Resolve a plain scalar. On R_INT: *neg, *mag. On R_FLOAT: *d. On R_BOOL: *b. */
static int resolve_plain(yctx_t *c, const char *s, size_t n, int *b, int *neg, uint64_t *mag, double *d)
{
    char local[128], *t = local;
    size_t i, k;
    int r = R_STR;
    char h;
    if (n == 0)
        return R_NULL;
    if (str_in(s, n, yaml_null))
        return R_NULL;
    if (str_in(s, n, yaml_true)) {
        *b = 1;
        return R_BOOL;
    }
    if (str_in(s, n, yaml_false)) {
        *b = 0;
        return R_BOOL;
    }
    if (str_in(s, n, yaml_inf))
        return R_NONFINITE;
    h = s[0];
    if (!((h >= '0' && h <= '9') || h == '+' || h == '-' || h == '.'))
        return R_STR;
    /* go-yaml removes underscores before trying numbers */
    if (n >= sizeof local) {
        t = (char *)kube_mem__malloc(&c->mem, n + 1);
        if (!t)
            return R_FAIL;
    }
    for (i = 0, k = 0; i < n; i++)
        if (s[i] != '_')
            t[k++] = s[i];
    t[k] = '\0';
    if (h != '.' && go_parse_int(t, k, neg, mag)) {
        if (!*neg || *mag <= (uint64_t)INT64_MAX + 1) {
            r = R_INT;
            goto out;
        }
    }
    if (yaml_float_syntax(t, k)) {
        if (kube_json__strtod(&c->mem, t, k, d)) {
            r = R_FAIL;
            goto out;
        }
        if (!isinf(*d))
            r = R_FLOAT; /* an overflowing float stays a string, as in go-yaml */
    }
out:
    if (t != local)
        kube_mem__free(&c->mem, t);
    return r;
}

static kube_json_mut_t *mk_int(yctx_t *c, int neg, uint64_t mag)
{
    if (!neg)
        return kube_json_mut_uint(c->md, mag);
    if (mag == (uint64_t)INT64_MAX + 1)
        return kube_json_mut_int(c->md, INT64_MIN);
    return kube_json_mut_int(c->md, -(int64_t)mag);
}

#define TAG_PREFIX "tag:yaml.org,2002:"

/* Build the value of a scalar event. */
static kube_error_t scalar_value(yctx_t *c, const yaml_event_t *ev, kube_json_mut_t **out)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    const char *tag = (const char *)ev->data.scalar.tag;
    int b = 0, neg = 0, r;
    uint64_t mag = 0;
    double d = 0;
    kube_json_mut_t *v = NULL;
    yaml_mark_t mk = ev->start_mark;

    if (!kube_encoding__utf8_valid((const uint8_t *)s, n, NULL))
        return yerr(mk, "invalid UTF-8 in a scalar");
    if (tag && strcmp(tag, "!") != 0) {
        const char *t = strncmp(tag, TAG_PREFIX, sizeof TAG_PREFIX - 1) == 0 ? tag + sizeof TAG_PREFIX - 1 : NULL;
        if (t && strcmp(t, "str") == 0) {
            v = kube_json_mut_strn(c->md, s, n);
        } else if (t && (strcmp(t, "int") == 0 || strcmp(t, "float") == 0 || strcmp(t, "bool") == 0 ||
                         strcmp(t, "null") == 0)) {
            r = resolve_plain(c, s, n, &b, &neg, &mag, &d);
            if (r == R_FAIL)
                return ynomem();
            if (strcmp(t, "int") == 0 && r == R_INT) {
                v = mk_int(c, neg, mag);
            } else if (strcmp(t, "float") == 0 && (r == R_INT || r == R_FLOAT)) {
                if (r == R_INT)
                    d = neg ? -(double)mag : (double)mag;
                v = kube_json_mut_real(c->md, d);
            } else if (strcmp(t, "bool") == 0 && r == R_BOOL) {
                v = kube_json_mut_bool(c->md, b);
            } else if (strcmp(t, "null") == 0 && r == R_NULL) {
                v = kube_json_mut_null(c->md);
            } else {
                return yerr(mk, "cannot decode \"%.*s\" as !!%s", (int)(n > 64 ? 64 : n), s, t);
            }
        } else if (t && (strcmp(t, "seq") == 0 || strcmp(t, "map") == 0)) {
            return yerr(mk, "a scalar cannot have the tag !!%s", t);
        } else {
            /* !!binary, !!timestamp, application tags: the text as a string */
            v = kube_json_mut_strn(c->md, s, n);
        }
    } else if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || tag) {
        v = kube_json_mut_strn(c->md, s, n);
    } else {
        r = resolve_plain(c, s, n, &b, &neg, &mag, &d);
        switch (r) {
        case R_FAIL: return ynomem();
        case R_NULL: v = kube_json_mut_null(c->md); break;
        case R_BOOL: v = kube_json_mut_bool(c->md, b); break;
        case R_INT: v = mk_int(c, neg, mag); break;
        case R_FLOAT: v = kube_json_mut_real(c->md, d); break;
        case R_NONFINITE:
            return yerr(mk, "\"%.*s\" (infinity or NaN) has no JSON form", (int)n, s);
        default: v = kube_json_mut_strn(c->md, s, n); break;
        }
    }
    if (!v)
        return kube_error_last()->code == KUBE_EINVAL ? yerr(mk, "%s", kube_error_last()->message) : ynomem();
    *out = v;
    return KUBE_OK;
}

/* Go's strconv.FormatFloat(f, 'g', -1, 32). */
static void format_float32_key(char *out, size_t cap, double d)
{
    float f = (float)d;
    char tmp[64];
    int p, exp10;
    if (f == 0) {
        snprintf(out, cap, "%s", signbit(f) ? "-0" : "0");
        return;
    }
    if (isinf(f)) { /* beyond float32: Go gives +Inf/-Inf, which sigs.k8s.io/yaml names so */
        snprintf(out, cap, "%s", f < 0 ? "-.inf" : ".inf");
        return;
    }
    for (p = 1; p <= 9; p++) {
        double back = 0;
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, (double)f);
        for (char *q = tmp; *q; q++)
            if (*q == ',')
                *q = '.';
        if (kube_json__strtod(kube_default_allocator(), tmp, strlen(tmp), &back) == 0 && (float)back == f)
            break;
    }
    exp10 = strchr(tmp, 'e') ? atoi(strchr(tmp, 'e') + 1) : 0;
    if (exp10 < -4 || exp10 >= 6)
        snprintf(out, cap, "%.*e", p - 1, (double)f);
    else
        snprintf(out, cap, "%.*f", p - 1 - exp10 > 0 ? p - 1 - exp10 : 0, (double)f);
    /* the locale's decimal point, if not '.', back to '.' */
    for (char *q = out; *q; q++)
        if (*q == ',')
            *q = '.';
}

/* Turn a resolved key value into member-name text (stored in the arena). */
static kube_error_t key_text(yctx_t *c, kube_json_mut_t *k, yaml_mark_t mk, const char **key, size_t *len)
{
    char buf[64];
    kube_json_mut_t *s;
    int64_t i;
    switch (kube_json_mut_type(k)) {
    case KUBE_JSON_STRING:
        *key = kube_json_mut_string(k);
        *len = kube_json__mut_strlen(k);
        return KUBE_OK;
    case KUBE_JSON_INT:
        kube_json_mut_int64(k, &i);
        snprintf(buf, sizeof buf, "%lld", (long long)i);
        break;
    case KUBE_JSON_UINT:
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)kube_json__mut_uint(k));
        break;
    case KUBE_JSON_BOOL:
        snprintf(buf, sizeof buf, "%s", kube_json_mut_is_true(k) ? "true" : "false");
        break;
    case KUBE_JSON_REAL:
        format_float32_key(buf, sizeof buf, kube_json__mut_real(k));
        break;
    case KUBE_JSON_NULL:
        return yerr(mk, "a null mapping key has no JSON form");
    default:
        return yerr(mk, "a sequence or mapping cannot be a mapping key in JSON");
    }
    if (!(s = kube_json_mut_str(c->md, buf)))
        return ynomem();
    *key = kube_json_mut_string(s);
    *len = strlen(buf);
    return KUBE_OK;
}

/* Merge the members of @src (an object, or an array of objects) that @dst lacks. */
static kube_error_t merge_into(yctx_t *c, kube_json_mut_t *dst, kube_json_mut_t *src, yaml_mark_t mk)
{
    kube_json_mut_iter_t it;
    kube_json_mut_t *m;
    const char *k;
    size_t kl;
    if (kube_json_mut_type(src) == KUBE_JSON_ARRAY) {
        kube_json_mut_iter_init(&it, src);
        while ((m = kube_json_mut_iter_next(&it, NULL, NULL)) != NULL) {
            kube_error_t rc;
            if (kube_json_mut_type(m) != KUBE_JSON_OBJECT)
                return yerr(mk, "a merge key (<<) needs a mapping or a sequence of mappings");
            if ((rc = merge_into(c, dst, m, mk)) != KUBE_OK)
                return rc;
        }
        return KUBE_OK;
    }
    if (kube_json_mut_type(src) != KUBE_JSON_OBJECT)
        return yerr(mk, "a merge key (<<) needs a mapping or a sequence of mappings");
    kube_json_mut_iter_init(&it, src);
    while ((m = kube_json_mut_iter_next(&it, &k, &kl)) != NULL) {
        kube_json_mut_t *copy;
        if (kube_json__mut_obj_getn(dst, k, kl))
            continue;
        if (!(copy = kube_json_mut_dup(c->md, m)))
            return ynomem();
        if (kube_json_mut_obj_setn(dst, k, kl, copy) != KUBE_OK)
            return ynomem();
    }
    return KUBE_OK;
}

/* A complete value: becomes the root, an element, a key or a member value. */
static kube_error_t attach(yctx_t *c, kube_json_mut_t *v, yaml_mark_t mk, int is_merge_key)
{
    frame_t *f;
    kube_error_t rc;
    if (c->nframes == 0) {
        c->root = v;
        return KUBE_OK;
    }
    f = &c->frames[c->nframes - 1];
    if (!f->is_map) {
        if (kube_json_mut_arr_append(f->ctn, v) != KUBE_OK)
            return ynomem();
        return KUBE_OK;
    }
    if (!f->have_key) {
        f->have_key = 1;
        f->merge = is_merge_key;
        if (is_merge_key)
            return KUBE_OK;
        return key_text(c, v, mk, &f->key, &f->key_len);
    }
    f->have_key = 0;
    if (f->merge) {
        f->merge = 0;
        return merge_into(c, f->ctn, v, mk);
    }
    rc = kube_json_mut_obj_setn(f->ctn, f->key, f->key_len, v);
    if (rc != KUBE_OK)
        return rc == KUBE_ENOMEM ? ynomem() : yerr(mk, "%s", kube_error_last()->message);
    return KUBE_OK;
}

static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603ull & SIZE_MAX;
    while (*s)
        h = (h ^ (unsigned char)*s++) * (1099511628211ull & SIZE_MAX);
    return h;
}

/* The slot of @name in the hash table (holding it, or the empty slot to use). */
static size_t *anchor_slot(yctx_t *c, const char *name)
{
    size_t i = name_hash(name) & (c->hcap - 1);
    while (c->htab[i] && strcmp(c->anchors[c->htab[i] - 1].name, name) != 0)
        i = (i + 1) & (c->hcap - 1);
    return &c->htab[i];
}

static kube_error_t index_anchor(yctx_t *c, size_t idx)
{
    if ((c->nanchors + 1) * 2 > c->hcap) {
        size_t ncap = c->hcap ? c->hcap * 2 : 64, i, *old = c->htab, ocap = c->hcap;
        size_t *nt = (size_t *)kube_mem__calloc(&c->mem, ncap, sizeof *nt);
        if (!nt)
            return ynomem();
        c->htab = nt;
        c->hcap = ncap;
        for (i = 0; i < ocap; i++)
            if (old[i])
                *anchor_slot(c, c->anchors[old[i] - 1].name) = old[i];
        kube_mem__free(&c->mem, old);
    }
    *anchor_slot(c, c->anchors[idx].name) = idx + 1;
    return KUBE_OK;
}

static kube_error_t add_anchor(yctx_t *c, const yaml_char_t *name, kube_json_mut_t *v, int done, size_t *idx)
{
    kube_error_t rc;
    anchor_t *a;
    if (c->nanchors == c->cap_anchors) {
        size_t ncap = c->cap_anchors ? c->cap_anchors * 2 : 16;
        anchor_t *na = (anchor_t *)kube_mem__realloc(&c->mem, c->anchors, ncap * sizeof *na);
        if (!na)
            return ynomem();
        c->anchors = na;
        c->cap_anchors = ncap;
    }
    a = &c->anchors[c->nanchors];
    if (!(a->name = kube_mem__strdup(&c->mem, (const char *)name)))
        return ynomem();
    a->val = v;
    a->done = done;
    a->count = 0; /* counted when first referenced, so unused anchors cost nothing */
    if ((rc = index_anchor(c, c->nanchors)) != KUBE_OK) {
        kube_mem__free(&c->mem, a->name);
        return rc;
    }
    c->nanchors++;
    if (idx)
        *idx = c->nanchors;
    return KUBE_OK;
}

static kube_error_t on_alias(yctx_t *c, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    kube_json_mut_t *copy;
    anchor_t *a = NULL;
    size_t slot = c->hcap ? *anchor_slot(c, name) : 0;
    if (slot)
        a = &c->anchors[slot - 1];
    if (!a)
        return yerr(ev->start_mark, "unknown anchor '%s' referenced", name);
    if (!a->done)
        return yerr(ev->start_mark, "anchor '%s' value contains itself", name);
    if (!a->count)
        a->count = kube_json__mut_count(a->val);
    c->alias_values += a->count;
    if (c->alias_values > ALIAS_VALUE_LIMIT)
        return yerr(ev->start_mark, "aliases expand to more than %u values", ALIAS_VALUE_LIMIT);
    if (!(copy = kube_json_mut_dup(c->md, a->val)))
        return ynomem();
    return attach(c, copy, ev->start_mark, 0);
}

static kube_error_t on_start(yctx_t *c, const yaml_event_t *ev, int is_map)
{
    frame_t *f;
    kube_json_mut_t *v;
    const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    const char *tag = (const char *)(is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag);
    if (tag && strncmp(tag, TAG_PREFIX, sizeof TAG_PREFIX - 1) == 0) {
        const char *t = tag + sizeof TAG_PREFIX - 1;
        if (strcmp(t, is_map ? "map" : "seq") != 0 && !(is_map && strcmp(t, "omap") == 0) &&
            !(is_map && strcmp(t, "set") == 0))
            return yerr(ev->start_mark, "a %s cannot have the tag !!%s", is_map ? "mapping" : "sequence", t);
    }
    if (c->nframes >= c->max_depth)
        return yerr(ev->start_mark, "nesting deeper than %zu", c->max_depth);
    if (c->nframes == c->cap_frames) {
        size_t ncap = c->cap_frames ? c->cap_frames * 2 : 32;
        frame_t *nf = (frame_t *)kube_mem__realloc(&c->mem, c->frames, ncap * sizeof *nf);
        if (!nf)
            return ynomem();
        c->frames = nf;
        c->cap_frames = ncap;
    }
    v = is_map ? kube_json_mut_obj(c->md) : kube_json_mut_arr(c->md);
    if (!v)
        return ynomem();
    f = &c->frames[c->nframes++];
    memset(f, 0, sizeof *f);
    f->ctn = v;
    f->is_map = is_map;
    f->mark = ev->start_mark;
    if (anchor) {
        kube_error_t rc = add_anchor(c, anchor, v, 0, &f->anchor);
        if (rc)
            return rc;
    }
    return KUBE_OK;
}

static kube_error_t on_end(yctx_t *c, const yaml_event_t *ev)
{
    frame_t f = c->frames[--c->nframes];
    if (f.anchor) {
        anchor_t *a = &c->anchors[f.anchor - 1];
        a->done = 1;
    }
    (void)ev;
    return attach(c, f.ctn, f.mark, 0);
}

static kube_error_t on_scalar(yctx_t *c, const yaml_event_t *ev)
{
    kube_json_mut_t *v = NULL;
    kube_error_t rc;
    int merge = 0;
    if (c->nframes && c->frames[c->nframes - 1].is_map && !c->frames[c->nframes - 1].have_key &&
        ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.length == 2 &&
        memcmp(ev->data.scalar.value, "<<", 2) == 0 &&
        (!ev->data.scalar.tag || strcmp((const char *)ev->data.scalar.tag, TAG_PREFIX "merge") == 0))
        merge = 1;
    if (merge) {
        if (!(v = kube_json_mut_null(c->md)))
            return ynomem();
    } else if ((rc = scalar_value(c, ev, &v)) != KUBE_OK) {
        return rc;
    }
    if (ev->data.scalar.anchor && (rc = add_anchor(c, ev->data.scalar.anchor, v, 1, NULL)) != KUBE_OK)
        return rc;
    return attach(c, v, ev->start_mark, merge);
}

typedef kube_error_t (*doc_fn)(yctx_t *c, kube_json_doc_t *doc, void *ud);

static kube_error_t run(const char *data, size_t len, const kube_json_parse_opts_t *opts, doc_fn on_doc,
                        void *ud)
{
    yctx_t c;
    yaml_parser_t parser;
    kube_error_t rc = KUBE_OK;
    int done = 0;
    memset(&c, 0, sizeof c);
    c.opts = opts;
    c.mem = kube_mem__pick(opts ? opts->mem : NULL);
    c.max_depth = opts && opts->max_depth ? opts->max_depth : KUBE_JSON_DEFAULT_MAX_DEPTH;
    if (!data && len)
        return kube_error_setf(KUBE_EINVAL, "yaml: NULL data");
    if (!yaml_parser_initialize(&parser))
        return ynomem();
    yaml_parser_set_input_string(&parser, (const unsigned char *)(data ? data : ""), len);
    while (!done && rc == KUBE_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            if (parser.error == YAML_MEMORY_ERROR)
                rc = ynomem();
            else if (parser.context)
                rc = yerr(parser.problem_mark, "%s %s", parser.problem ? parser.problem : "syntax error",
                          parser.context);
            else
                rc = yerr(parser.problem_mark, "%s", parser.problem ? parser.problem : "syntax error");
            break;
        }
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            reset_doc_state(&c);
            rc = kube_json_mut_doc_new(&c.md, &c.mem);
            break;
        case YAML_DOCUMENT_END_EVENT:
            if (c.root && kube_json_mut_type(c.root) != KUBE_JSON_NULL) {
                kube_json_doc_t *doc = NULL;
                rc = kube_json_mut_freeze(&doc, c.root, &c.mem);
                if (rc == KUBE_OK) {
                    reset_doc_state(&c);
                    rc = on_doc(&c, doc, ud);
                }
            }
            reset_doc_state(&c);
            break;
        case YAML_MAPPING_START_EVENT:
            rc = on_start(&c, &ev, 1);
            break;
        case YAML_SEQUENCE_START_EVENT:
            rc = on_start(&c, &ev, 0);
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            rc = on_end(&c, &ev);
            break;
        case YAML_SCALAR_EVENT:
            rc = on_scalar(&c, &ev);
            break;
        case YAML_ALIAS_EVENT:
            rc = on_alias(&c, &ev);
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    reset_doc_state(&c);
    kube_mem__free(&c.mem, c.frames);
    kube_mem__free(&c.mem, c.anchors);
    kube_mem__free(&c.mem, c.htab);
    yaml_parser_delete(&parser);
    return rc;
}

typedef struct one_doc {
    kube_json_doc_t *doc;
} one_doc_t;

static kube_error_t keep_one(yctx_t *c, kube_json_doc_t *doc, void *ud)
{
    one_doc_t *o = (one_doc_t *)ud;
    (void)c;
    if (o->doc) {
        kube_json_doc_free(doc);
        return kube_error_setf(KUBE_EINVAL, "yaml: expected one document, found more (use kube_yaml_parse_stream)");
    }
    o->doc = doc;
    return KUBE_OK;
}

kube_error_t kube_yaml_parse(kube_json_doc_t **out, const char *data, size_t len, const kube_json_parse_opts_t *opts)
{
    one_doc_t o = {NULL};
    kube_error_t rc;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "kube_yaml_parse: NULL out");
    rc = run(data, len, opts, keep_one, &o);
    if (rc != KUBE_OK) {
        kube_json_doc_free(o.doc);
        return rc;
    }
    if (!o.doc) {
        /* nothing but empty documents: a null root, as go-yaml gives */
        kube_json_mut_doc_t *md = NULL;
        kube_json_mut_t *n;
        rc = kube_json_mut_doc_new(&md, opts ? opts->mem : NULL);
        if (rc != KUBE_OK)
            return rc;
        n = kube_json_mut_null(md);
        rc = n ? kube_json_mut_freeze(&o.doc, n, opts ? opts->mem : NULL) : ynomem();
        kube_json_mut_doc_free(md);
        if (rc != KUBE_OK)
            return rc;
    }
    *out = o.doc;
    return KUBE_OK;
}

typedef struct stream_cb {
    int (*cb)(kube_json_doc_t *doc, void *userdata);
    void *userdata;
} stream_cb_t;

static kube_error_t deliver(yctx_t *c, kube_json_doc_t *doc, void *ud)
{
    stream_cb_t *s = (stream_cb_t *)ud;
    (void)c;
    if (s->cb(doc, s->userdata))
        return kube_error_setf(KUBE_EUSER, "yaml: the document callback stopped the stream");
    return KUBE_OK;
}

kube_error_t kube_yaml_parse_stream(const char *data, size_t len, const kube_json_parse_opts_t *opts,
                                    int (*cb)(kube_json_doc_t *doc, void *userdata), void *userdata)
{
    stream_cb_t s;
    if (!cb)
        return kube_error_setf(KUBE_EINVAL, "kube_yaml_parse_stream: NULL callback");
    s.cb = cb;
    s.userdata = userdata;
    return run(data, len, opts, deliver, &s);
}
