/* Incremental List decoder: finds item boundaries in `items` and parses each item alone. */
#include <kube/list.h>
#include <stdio.h>
#include <string.h>
#include "alloc_int.h"
#include "list_int.h"

/* ---- the resumable value scanner (shared with watch.c) ---- */

void kube_list__vscan_init(kube_list__vscan_t *vs)
{
    memset(vs, 0, sizeof *vs);
}

/*
 * Skip string bytes that are neither '"' nor '\\', eight at a time: most of a
 * Kubernetes object's bytes are inside strings. A word holds a quote or a
 * backslash exactly when (w ^ pattern) has a zero byte.
 */
static size_t skip_plain_string_bytes(const char *p, size_t i, size_t n)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    while (i + 8 <= n) {
        uint64_t w, q, b;
        memcpy(&w, p + i, 8);
        q = w ^ (ones * '"');
        b = w ^ (ones * '\\');
        if ((((q - ones) & ~q) | ((b - ones) & ~b)) & highs)
            break;
        i += 8;
    }
    while (i < n && p[i] != '"' && p[i] != '\\')
        i++;
    return i;
}

static int is_scalar_end(char c)
{
    return kube_list__is_ws(c) || c == ',' || c == ']' || c == '}';
}

size_t kube_list__vscan(kube_list__vscan_t *vs, const char *p, size_t n, int *done)
{
    size_t i = 0;

    *done = 0;
    if (!vs->started) {
        if (n == 0)
            return 0;
        vs->started = 1;
        if (p[0] == '{' || p[0] == '[')
            vs->depth = 1;
        else if (p[0] == '"')
            vs->in_str = 1;
        else
            vs->scalar = 1;
        i = 1;
    }
    if (vs->scalar) {
        for (; i < n; i++) {
            if (is_scalar_end(p[i])) {
                *done = 1;
                return i;
            }
        }
        return n;
    }
    while (i < n) {
        if (vs->in_str) {
            /* Skip ordinary string bytes quickly: only '"' and '\\' matter. */
            if (vs->esc) {
                vs->esc = 0;
                i++;
                continue;
            }
            i = skip_plain_string_bytes(p, i, n);
            if (i == n)
                break;
            if (p[i] == '\\') {
                vs->esc = 1;
                i++;
                continue;
            }
            vs->in_str = 0;
            i++;
            if (vs->depth == 0) {
                *done = 1;
                return i;
            }
            continue;
        }
        char c = p[i++];
        if (c == '"') {
            vs->in_str = 1;
        } else if (c == '{' || c == '[') {
            vs->depth++;
        } else if (c == '}' || c == ']') {
            if (--vs->depth == 0) {
                *done = 1;
                return i;
            }
        }
    }
    return n;
}

/* ---- the decoder ---- */

enum lstate {
    L_BEGIN,        /* expect '{' */
    L_FIRST_KEY,    /* after '{': a key or '}' */
    L_KEY_START,    /* after ',': a key */
    L_KEY,          /* inside a key */
    L_COLON,        /* expect ':' */
    L_VALUE,        /* expect a value's first byte */
    L_MEMBER,       /* inside a non-items member's value (captured whole) */
    L_ITEMS_OPEN,   /* after "items":[ : an item or ']' */
    L_ITEM_START,   /* after ',' in items: an item */
    L_ITEM,         /* inside an item (captured) */
    L_ITEMS_NEXT,   /* after an item: ',' or ']' */
    L_AFTER_MEMBER, /* ',' or '}' */
    L_DONE          /* after the closing '}' */
};

struct kube_list_decoder {
    kube_mem_t mem;
    size_t max_item;
    char *in;             /* bytes fed and not yet discarded */
    size_t len, cap;
    size_t pos;           /* next byte to look at */
    size_t cap_start;     /* first byte of the capture in progress */
    int capturing;
    int key_is_items;
    int saw_items;
    int finished;
    int complete;
    enum lstate state;
    kube_list__vscan_t vs;
    kube_error_t err;     /* sticky */
    char *rest;           /* "{" + the non-items members seen so far, comma-separated */
    size_t rest_len, rest_cap;
    kube_json_doc_t *head;/* rest parsed as an object */
    kube_status_t *status;
    size_t nitems;
};

kube_error_t kube_list_decoder_new(kube_list_decoder_t **out, size_t max_item_size, const kube_mem_t *mem)
{
    kube_mem_t m = kube_mem__pick(mem);
    kube_list_decoder_t *dec;

    if (!out)
        return kube_error_setf(KUBE_EINVAL, "kube_list_decoder_new: out is NULL");
    dec = kube_mem__calloc(&m, 1, sizeof *dec);
    if (!dec)
        return kube_error_setf(KUBE_ENOMEM, "list decoder: out of memory");
    dec->mem = m;
    dec->max_item = max_item_size ? max_item_size : KUBE_LIST_DEFAULT_MAX_ITEM_SIZE;
    dec->state = L_BEGIN;
    *out = dec;
    return KUBE_OK;
}

void kube_list_decoder_reset(kube_list_decoder_t *dec)
{
    if (!dec)
        return;
    kube_json_doc_free(dec->head);
    kube_status_free(dec->status);
    dec->head = NULL;
    dec->status = NULL;
    dec->len = dec->pos = dec->cap_start = 0;
    dec->capturing = dec->key_is_items = dec->saw_items = 0;
    dec->finished = dec->complete = 0;
    dec->state = L_BEGIN;
    dec->err = KUBE_OK;
    dec->rest_len = 0;
    dec->nitems = 0;
}

void kube_list_decoder_free(kube_list_decoder_t *dec)
{
    if (!dec)
        return;
    kube_list_decoder_reset(dec);
    kube_mem__free(&dec->mem, dec->in);
    kube_mem__free(&dec->mem, dec->rest);
    kube_mem_t m = dec->mem;
    kube_mem__free(&m, dec);
}

static kube_error_t fail(kube_list_decoder_t *dec, kube_error_t code)
{
    dec->err = code;
    return code;
}

/* Drop the bytes nobody needs any more: everything before the capture or the scan position. */
static void compact(kube_list_decoder_t *dec)
{
    size_t keep = dec->capturing ? dec->cap_start : dec->pos;
    if (keep == 0)
        return;
    memmove(dec->in, dec->in + keep, dec->len - keep);
    dec->len -= keep;
    dec->pos -= keep;
    if (dec->capturing)
        dec->cap_start -= keep;
}

kube_error_t kube_list_decoder_feed(kube_list_decoder_t *dec, const char *data, size_t len)
{
    if (!dec || (!data && len))
        return kube_error_setf(KUBE_EINVAL, "kube_list_decoder_feed: %s is NULL", dec ? "data" : "dec");
    if (dec->err)
        return dec->err;
    if (dec->finished)
        return kube_error_setf(KUBE_EINVAL, "list decoder: bytes fed after finish");
    if (len == 0)
        return KUBE_OK;
    if (dec->cap - dec->len < len)
        compact(dec);
    if (dec->cap - dec->len < len) {
        size_t need = dec->len + len, ncap = dec->cap ? dec->cap : 4096;
        if (need < len)
            return kube_error_setf(KUBE_ENOMEM, "list decoder: input too large");
        while (ncap < need)
            ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
        char *nin = kube_mem__realloc(&dec->mem, dec->in, ncap);
        if (!nin)
            return kube_error_setf(KUBE_ENOMEM, "list decoder: out of memory buffering %zu bytes", need);
        dec->in = nin;
        dec->cap = ncap;
    }
    memcpy(dec->in + dec->len, data, len);
    dec->len += len;
    return KUBE_OK;
}

kube_error_t kube_list_decoder_finish(kube_list_decoder_t *dec)
{
    if (!dec)
        return kube_error_setf(KUBE_EINVAL, "kube_list_decoder_finish: dec is NULL");
    dec->finished = 1;
    return KUBE_OK;
}

static kube_error_t json_error(kube_list_decoder_t *dec, kube_error_t rc, const char *what)
{
    if (rc == KUBE_EINVAL) {
        char why[512]; /* the parser's message lives in the buffer setf writes */
        snprintf(why, sizeof why, "%s", kube_error_last()->message);
        rc = kube_error_setf(KUBE_EPROTO, "list: %s is not valid JSON: %s", what, why);
    }
    return fail(dec, rc);
}

/* Append the captured member to `rest` and re-parse it, so kind/metadata are visible at once. */
static kube_error_t add_member(kube_list_decoder_t *dec)
{
    kube_json_parse_opts_t opts = KUBE_JSON_PARSE_OPTS_INIT;
    const char *m = dec->in + dec->cap_start;
    size_t n = dec->pos - dec->cap_start;
    size_t need = (dec->rest_len ? dec->rest_len : 1) + 1 + n + 1;
    kube_json_doc_t *doc = NULL;
    kube_error_t rc;

    if (need - 2 > dec->max_item)
        return fail(dec, kube_error_setf(KUBE_ERANGE, "list: the list's members other than items exceed %zu bytes",
                                         dec->max_item));
    if (need > dec->rest_cap) {
        size_t ncap = dec->rest_cap ? dec->rest_cap * 2 : 256;
        while (ncap < need)
            ncap *= 2;
        char *nr = kube_mem__realloc(&dec->mem, dec->rest, ncap);
        if (!nr)
            return fail(dec, kube_error_setf(KUBE_ENOMEM, "list decoder: out of memory"));
        dec->rest = nr;
        dec->rest_cap = ncap;
    }
    if (dec->rest_len == 0)
        dec->rest[dec->rest_len++] = '{';
    else
        dec->rest[dec->rest_len++] = ',';
    memcpy(dec->rest + dec->rest_len, m, n);
    dec->rest_len += n;
    dec->rest[dec->rest_len] = '}';
    opts.mem = &dec->mem;
    rc = kube_json_parse(&doc, dec->rest, dec->rest_len + 1, &opts);
    if (rc != KUBE_OK)
        return json_error(dec, rc, "a list member");
    kube_json_doc_free(dec->head);
    dec->head = doc;
    return KUBE_OK;
}

/* The closing brace was seen: a List is complete, a Status becomes its error. */
static kube_error_t finalize(kube_list_decoder_t *dec)
{
    const kube_json_t *root = kube_json_doc_root(dec->head);
    kube_error_t rc;

    if (kube_json_string_eq(kube_json_get(root, "kind"), "Status")) {
        rc = kube_status_from_json(&dec->status, root, &dec->mem);
        if (rc != KUBE_OK)
            return fail(dec, rc);
        rc = kube_status_error(dec->status, 0);
        if (rc == KUBE_OK)
            rc = kube_error_setf(KUBE_EPROTO, "list: the server sent a Status (%s) instead of a List",
                                 dec->status->status);
        return fail(dec, rc);
    }
    if (!dec->saw_items && kube_json_type(kube_json_get(root, "items")) != KUBE_JSON_NULL)
        return fail(dec, kube_error_setf(KUBE_EPROTO, "list: the body has no items array (not a List)"));
    dec->complete = 1;
    return KUBE_OK;
}

static kube_error_t bad_byte(kube_list_decoder_t *dec, const char *expected)
{
    return fail(dec, kube_error_setf(KUBE_EPROTO, "list: expected %s at byte %zu, found '%c' (0x%02x)", expected,
                                     dec->pos, dec->in[dec->pos] >= 0x20 && dec->in[dec->pos] < 0x7f
                                                   ? dec->in[dec->pos] : '?',
                                     (unsigned char)dec->in[dec->pos]));
}

static kube_error_t too_big(kube_list_decoder_t *dec)
{
    return fail(dec, kube_error_setf(KUBE_ERANGE, "list: item %zu exceeds the size limit of %zu bytes",
                                     dec->nitems, dec->max_item));
}

static kube_error_t at_eof(kube_list_decoder_t *dec, kube_json_doc_t **item_out)
{
    if (dec->state == L_DONE) {
        *item_out = NULL;
        return KUBE_OK;
    }
    if (dec->finished) {
        if (dec->state == L_BEGIN)
            return fail(dec, kube_error_setf(KUBE_EPROTO, "list: the body is empty"));
        return fail(dec, kube_error_setf(KUBE_EPROTO, "list: the body ended before the list was complete"));
    }
    return KUBE_EAGAIN;
}

kube_error_t kube_list_decoder_next(kube_list_decoder_t *dec, kube_json_doc_t **item_out)
{
    int done;
    size_t n;
    kube_error_t rc;

    if (!dec || !item_out)
        return kube_error_setf(KUBE_EINVAL, "kube_list_decoder_next: %s is NULL", dec ? "item_out" : "dec");
    *item_out = NULL;
    if (dec->err)
        return dec->err;

    while (dec->pos < dec->len) {
        char c = dec->in[dec->pos];
        switch (dec->state) {
        case L_BEGIN:
            if (kube_list__is_ws(c))
                break;
            if (c != '{')
                return bad_byte(dec, "'{' (a List object)");
            dec->state = L_FIRST_KEY;
            break;
        case L_FIRST_KEY:
        case L_KEY_START:
            if (kube_list__is_ws(c))
                break;
            if (c == '}' && dec->state == L_FIRST_KEY) {
                dec->state = L_DONE;
                dec->pos++;
                if ((rc = finalize(dec)) != KUBE_OK)
                    return rc;
                continue;
            }
            if (c != '"')
                return bad_byte(dec, "a member name");
            dec->capturing = 1;
            dec->cap_start = dec->pos;
            kube_list__vscan_init(&dec->vs);
            dec->state = L_KEY;
            continue; /* the scanner takes the opening quote */
        case L_KEY:
            /* The key is scanned as a string value starting at its opening quote. */
            n = kube_list__vscan(&dec->vs, dec->in + dec->pos, dec->len - dec->pos, &done);
            dec->pos += n;
            if (dec->pos - dec->cap_start > dec->max_item)
                return fail(dec, kube_error_setf(KUBE_ERANGE, "list: a member name exceeds the size limit of %zu bytes",
                                                 dec->max_item));
            if (!done)
                continue;
            dec->key_is_items = dec->pos - dec->cap_start == 7 && memcmp(dec->in + dec->cap_start, "\"items\"", 7) == 0;
            dec->state = L_COLON;
            continue;
        case L_COLON:
            if (kube_list__is_ws(c))
                break;
            if (c != ':')
                return bad_byte(dec, "':'");
            dec->state = L_VALUE;
            break;
        case L_VALUE:
            if (kube_list__is_ws(c))
                break;
            if (dec->key_is_items && c == '[') {
                dec->capturing = 0;
                dec->saw_items = 1;
                dec->state = L_ITEMS_OPEN;
                break;
            }
            kube_list__vscan_init(&dec->vs);
            dec->state = L_MEMBER;
            continue;
        case L_MEMBER:
            n = kube_list__vscan(&dec->vs, dec->in + dec->pos, dec->len - dec->pos, &done);
            dec->pos += n;
            if (dec->pos - dec->cap_start > dec->max_item)
                return fail(dec, kube_error_setf(KUBE_ERANGE, "list: a list member exceeds the size limit of %zu bytes",
                                                 dec->max_item));
            if (!done)
                continue;
            if ((rc = add_member(dec)) != KUBE_OK)
                return rc;
            dec->capturing = 0;
            dec->state = L_AFTER_MEMBER;
            continue;
        case L_ITEMS_OPEN:
        case L_ITEM_START:
            if (kube_list__is_ws(c))
                break;
            if (c == ']' && dec->state == L_ITEMS_OPEN) {
                dec->state = L_AFTER_MEMBER;
                break;
            }
            if (c != '{')
                return bad_byte(dec, "a list item (an object)");
            dec->capturing = 1;
            dec->cap_start = dec->pos;
            kube_list__vscan_init(&dec->vs);
            dec->state = L_ITEM;
            continue;
        case L_ITEM: {
            kube_json_parse_opts_t opts = KUBE_JSON_PARSE_OPTS_INIT;
            kube_json_doc_t *doc = NULL;
            n = kube_list__vscan(&dec->vs, dec->in + dec->pos, dec->len - dec->pos, &done);
            dec->pos += n;
            if (dec->pos - dec->cap_start > dec->max_item)
                return too_big(dec);
            if (!done)
                continue;
            opts.mem = &dec->mem;
            rc = kube_json_parse(&doc, dec->in + dec->cap_start, dec->pos - dec->cap_start, &opts);
            if (rc != KUBE_OK)
                return json_error(dec, rc, "a list item");
            dec->capturing = 0;
            dec->state = L_ITEMS_NEXT;
            dec->nitems++;
            *item_out = doc;
            return KUBE_OK;
        }
        case L_ITEMS_NEXT:
            if (kube_list__is_ws(c))
                break;
            if (c == ',')
                dec->state = L_ITEM_START;
            else if (c == ']')
                dec->state = L_AFTER_MEMBER;
            else
                return bad_byte(dec, "',' or ']' after a list item");
            break;
        case L_AFTER_MEMBER:
            if (kube_list__is_ws(c))
                break;
            if (c == ',') {
                dec->state = L_KEY_START;
                break;
            }
            if (c != '}')
                return bad_byte(dec, "',' or '}' after a list member");
            dec->state = L_DONE;
            dec->pos++;
            if ((rc = finalize(dec)) != KUBE_OK)
                return rc;
            continue;
        case L_DONE:
            if (!kube_list__is_ws(c))
                return bad_byte(dec, "the end of the body");
            break;
        }
        dec->pos++;
    }
    return at_eof(dec, item_out);
}

static const kube_json_t *head_get(const kube_list_decoder_t *dec, const char *key)
{
    return dec ? kube_json_get(kube_json_doc_root(dec->head), key) : NULL;
}

const char *kube_list_decoder_kind(const kube_list_decoder_t *dec)
{
    return kube_json_string(head_get(dec, "kind"));
}

const char *kube_list_decoder_api_version(const kube_list_decoder_t *dec)
{
    return kube_json_string(head_get(dec, "apiVersion"));
}

const kube_json_t *kube_list_decoder_metadata(const kube_list_decoder_t *dec)
{
    const kube_json_t *m = head_get(dec, "metadata");
    return kube_json_type(m) == KUBE_JSON_OBJECT ? m : NULL;
}

const char *kube_list_decoder_resource_version(const kube_list_decoder_t *dec)
{
    return kube_json_string(kube_json_get(kube_list_decoder_metadata(dec), "resourceVersion"));
}

const char *kube_list_decoder_continue(const kube_list_decoder_t *dec)
{
    const char *c = kube_json_string(kube_json_get(kube_list_decoder_metadata(dec), "continue"));
    return c && *c ? c : NULL;
}

int64_t kube_list_decoder_remaining_item_count(const kube_list_decoder_t *dec)
{
    int64_t n;
    if (kube_json_int64(kube_json_get(kube_list_decoder_metadata(dec), "remainingItemCount"), &n) != KUBE_OK
        || n < 0)
        return -1;
    return n;
}

size_t kube_list_decoder_item_count(const kube_list_decoder_t *dec)
{
    return dec ? dec->nitems : 0;
}

const kube_status_t *kube_list_decoder_status(const kube_list_decoder_t *dec)
{
    return dec ? dec->status : NULL;
}
