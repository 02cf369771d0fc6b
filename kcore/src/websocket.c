/* The sans-IO RFC 6455 codec: handshake helpers, frame encoder and decoder,
 * SHA-1, base64 and UTF-8 validation come from encoding.c (kcore links no crypto library). */
#include <kube/websocket.h>
#include <stdio.h>
#include <string.h>
#include "alloc_int.h"
#include "encoding_int.h"


/* Length of the UTF-8 sequence a lead byte starts (0 for a byte that cannot lead). */
static size_t utf8_seq_len(uint8_t c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

/* Whether the m bytes are the start of some valid sequence (m < its length). */
static int utf8_prefix_ok(const uint8_t *p, size_t m)
{
    uint8_t tmp[4];
    size_t need = utf8_seq_len(p[0]), bad;
    if (!need || m >= need)
        return 0;
    memcpy(tmp, p, m);
    for (size_t k = m; k < need; k++) /* pad with the lowest byte allowed at that position */
        tmp[k] = (uint8_t)(k == 1 ? (p[0] == 0xE0 ? 0xA0 : p[0] == 0xF0 ? 0x90 : 0x80) : 0x80);
    return kube_encoding__utf8_valid(tmp, need, &bad);
}

/* Validate text that continues across frames: pend holds an incomplete trailing
 * sequence of the previous frame. Returns 1 when valid so far (and, at fin, complete). */
static int utf8_stream(uint8_t pend[4], size_t *npend, const uint8_t *p, size_t n, int fin)
{
    size_t i = 0, end = n, bad;
    if (*npend) {
        uint8_t tmp[4];
        size_t need = utf8_seq_len(pend[0]), m = *npend;
        memcpy(tmp, pend, m);
        while (m < need && i < n)
            tmp[m++] = p[i++];
        if (m < need) {
            if (!utf8_prefix_ok(tmp, m))
                return 0;
            memcpy(pend, tmp, m);
            *npend = m;
            return !fin;
        }
        if (!kube_encoding__utf8_valid(tmp, need, &bad))
            return 0;
        *npend = 0;
    }
    for (size_t k = 1; k <= 3 && k <= n - i; k++) {
        uint8_t c = p[n - k];
        if ((c & 0xC0) == 0x80)
            continue;
        if (utf8_seq_len(c) > k)
            end = n - k;
        break;
    }
    if (!kube_encoding__utf8_valid(p + i, end - i, &bad))
        return 0;
    if (end < n) {
        if (!utf8_prefix_ok(p + end, n - end))
            return 0;
        memcpy(pend, p + end, n - end);
        *npend = n - end;
        return !fin;
    }
    return 1;
}

/* ------------------------------------------------------------------------- */
/* Handshake                                                                  */
/* ------------------------------------------------------------------------- */

static int is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int is_token(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!is_tchar((unsigned char)*s))
            return 0;
    return 1;
}

kube_error_t kube_websocket_client_key(char out[KUBE_WS_KEY_LEN + 1], const uint8_t nonce[16])
{
    if (!out || !nonce)
        return kube_error_setf(KUBE_EINVAL, "websocket key: NULL argument");
    kube_encoding__base64_encode(out, nonce, 16, 0);
    out[KUBE_WS_KEY_LEN] = '\0';
    return KUBE_OK;
}

static kube_error_t check_key(const char *key)
{
    uint8_t raw[18];
    size_t len, bad = 0;
    if (!key)
        return kube_error_setf(KUBE_EINVAL, "websocket key: NULL");
    len = strlen(key);
    if (len != KUBE_WS_KEY_LEN)
        return kube_error_setf(KUBE_EINVAL, "websocket key: %zu characters, want %d", len, KUBE_WS_KEY_LEN);
    if (kube_encoding__base64_decode(raw, key, len, &bad) != 16)
        return kube_error_setf(KUBE_EINVAL, "websocket key: not the base64 of 16 bytes (offset %zu)", bad);
    return KUBE_OK;
}

kube_error_t kube_websocket_accept_key(char out[KUBE_WS_ACCEPT_LEN + 1], const char *key)
{
    kube_encoding__sha1_t ctx;
    uint8_t digest[20];
    kube_error_t rc;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "websocket accept: NULL output");
    rc = check_key(key);
    if (rc)
        return rc;
    kube_encoding__sha1_init(&ctx);
    kube_encoding__sha1_update(&ctx, key, KUBE_WS_KEY_LEN);
    kube_encoding__sha1_update(&ctx, KUBE_WS_GUID, sizeof KUBE_WS_GUID - 1);
    kube_encoding__sha1_final(&ctx, digest);
    kube_encoding__base64_encode(out, digest, 20, 0);
    out[KUBE_WS_ACCEPT_LEN] = '\0';
    return KUBE_OK;
}

kube_error_t kube_websocket_client_headers(kube_buf_t *out, const char *key, const char *const *protocols,
                                           size_t nprotocols)
{
    size_t i, old;
    kube_error_t rc;
    if (!out || (nprotocols && !protocols))
        return kube_error_setf(KUBE_EINVAL, "websocket headers: NULL argument");
    rc = check_key(key);
    if (rc)
        return rc;
    for (i = 0; i < nprotocols; i++)
        if (!is_token(protocols[i]))
            return kube_error_setf(KUBE_EINVAL, "websocket headers: protocol %zu is not an HTTP token", i);
    /* Reserve everything first: a bearer-token protocol must not be left behind in a
     * block that a later realloc frees without wiping. */
    {
        size_t need = 160;
        for (i = 0; i < nprotocols; i++) {
            size_t pl = strlen(protocols[i]);
            if (pl > SIZE_MAX / 2 - need)
                return kube_error_setf(KUBE_ENOMEM, "websocket headers: protocols too long");
            need += pl + 2;
        }
        rc = kube_buf_grow(out, need);
        if (rc)
            return rc;
    }
    old = out->size;
    rc = kube_buf_printf(out,
                         "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                         "Sec-WebSocket-Key: %s\r\n",
                         key);
    for (i = 0; !rc && i < nprotocols; i++)
        rc = kube_buf_printf(out, "%s%s", i ? ", " : "Sec-WebSocket-Protocol: ", protocols[i]);
    if (!rc && nprotocols)
        rc = kube_buf_puts(out, "\r\n");
    if (rc) {
        if (out->ptr) {
            kube_mem__wipe(out->ptr + old, out->size - old);
            out->size = old;
            out->ptr[old] = '\0';
        }
        return rc;
    }
    return KUBE_OK;
}

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int span_ieq(const char *a, size_t alen, const char *b)
{
    size_t i;
    if (strlen(b) != alen)
        return 0;
    for (i = 0; i < alen; i++)
        if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* Trim HTTP optional whitespace around [*s, *s + *len). */
static void trim_ows(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* Whether the comma-separated list contains the token (case-insensitive). */
static int list_has_token(const char *v, size_t vlen, const char *token)
{
    size_t i = 0;
    while (i <= vlen) {
        size_t j = i;
        const char *item;
        size_t ilen;
        while (j < vlen && v[j] != ',')
            j++;
        item = v + i;
        ilen = j - i;
        trim_ows(&item, &ilen);
        if (span_ieq(item, ilen, token))
            return 1;
        i = j + 1;
    }
    return 0;
}

#define WS_MAX_HEAD 16384

typedef struct hdr_span {
    const char *v;
    size_t len;
    int count;
} hdr_span_t;

kube_error_t kube_websocket_client_response(kube_websocket_response_t *out, const uint8_t *data, size_t len,
                                            const char *key, const char *const *protocols, size_t nprotocols)
{
    const char *s = (const char *)data, *p, *end, *line_end;
    size_t head = 0, i;
    int status;
    hdr_span_t upgrade = {0}, connection = {0}, accept = {0}, protocol = {0}, extensions = {0};
    char want[KUBE_WS_ACCEPT_LEN + 1];
    kube_error_t rc;

    if (!out || (len && !data) || (nprotocols && !protocols))
        return kube_error_setf(KUBE_EINVAL, "websocket response: NULL argument");
    out->version = KUBE_WEBSOCKET_RESPONSE_VERSION;
    out->status = 0;
    out->head_len = 0;
    out->protocol = -1;
    rc = kube_websocket_accept_key(want, key);
    if (rc)
        return rc;
    for (i = 0; i + 3 < len && i < WS_MAX_HEAD; i++) {
        if (s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == '\r' && s[i + 3] == '\n') {
            head = i + 4;
            break;
        }
    }
    if (!head) {
        if (len >= WS_MAX_HEAD + 3)
            return kube_error_setf(KUBE_EPROTO, "websocket response: no end of headers within %d bytes",
                                   WS_MAX_HEAD);
        return KUBE_EAGAIN;
    }
    end = s + head - 2; /* the final CRLF */
    /* Status line: HTTP/1.x SP 3DIGIT [SP reason] */
    line_end = s;
    while (line_end < end && line_end[0] != '\r')
        line_end++;
    if (line_end - s < 12 || memcmp(s, "HTTP/1.", 7) != 0 || s[7] < '0' || s[7] > '9' || s[8] != ' ' ||
        s[9] < '1' || s[9] > '5' || s[10] < '0' || s[10] > '9' || s[11] < '0' || s[11] > '9' ||
        (line_end - s > 12 && s[12] != ' '))
        return kube_error_setf(KUBE_EPROTO, "websocket response: malformed status line");
    status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
    out->status = status;
    out->head_len = head;
    if (status != 101) {
        kube_error_t code = kube_error_from_http(status, NULL);
        char msg[64];
        if (code == KUBE_OK)
            code = KUBE_EPROTO;
        snprintf(msg, sizeof msg, "websocket handshake refused: HTTP status %d", status);
        return kube_error_set_http(code, status, NULL, msg);
    }
    for (p = line_end + 2; p < end; p = line_end + 2) {
        const char *colon, *val;
        size_t nlen, vlen;
        hdr_span_t *slot = NULL;
        line_end = p;
        while (line_end < end && line_end[0] != '\r')
            line_end++;
        if (line_end + 1 >= s + head || line_end[1] != '\n')
            return kube_error_setf(KUBE_EPROTO, "websocket response: bare CR at offset %zu", (size_t)(line_end - s));
        colon = memchr(p, ':', (size_t)(line_end - p));
        if (!colon || colon == p)
            return kube_error_setf(KUBE_EPROTO, "websocket response: header line without a name at offset %zu",
                                   (size_t)(p - s));
        nlen = (size_t)(colon - p);
        val = colon + 1;
        vlen = (size_t)(line_end - val);
        trim_ows(&val, &vlen);
        if (span_ieq(p, nlen, "upgrade"))
            slot = &upgrade;
        else if (span_ieq(p, nlen, "connection"))
            slot = &connection;
        else if (span_ieq(p, nlen, "sec-websocket-accept"))
            slot = &accept;
        else if (span_ieq(p, nlen, "sec-websocket-protocol"))
            slot = &protocol;
        else if (span_ieq(p, nlen, "sec-websocket-extensions"))
            slot = &extensions;
        if (slot) {
            slot->v = val;
            slot->len = vlen;
            slot->count++;
        }
    }
    if (upgrade.count != 1 || !span_ieq(upgrade.v, upgrade.len, "websocket"))
        return kube_error_setf(KUBE_EPROTO, "websocket response: missing or wrong Upgrade header");
    if (!connection.count || !list_has_token(connection.v, connection.len, "upgrade"))
        return kube_error_setf(KUBE_EPROTO, "websocket response: Connection header lacks Upgrade");
    if (accept.count != 1 || accept.len != KUBE_WS_ACCEPT_LEN || memcmp(accept.v, want, KUBE_WS_ACCEPT_LEN) != 0)
        return kube_error_setf(KUBE_EPROTO, "websocket response: Sec-WebSocket-Accept does not match the key");
    if (extensions.count)
        return kube_error_setf(KUBE_EPROTO, "websocket response: the server chose an extension none was offered");
    if (protocol.count > 1)
        return kube_error_setf(KUBE_EPROTO, "websocket response: more than one Sec-WebSocket-Protocol header");
    if (protocol.count == 1) {
        for (i = 0; i < nprotocols; i++) {
            if (protocols[i] && strlen(protocols[i]) == protocol.len &&
                memcmp(protocols[i], protocol.v, protocol.len) == 0) {
                out->protocol = (int)i;
                break;
            }
        }
        if (out->protocol < 0)
            return kube_error_setf(KUBE_EPROTO, "websocket response: the server chose a subprotocol that was not offered");
    }
    return KUBE_OK;
}

kube_error_t kube_websocket_select_protocol(int *index_out, const char *offered, const char *const *supported,
                                            size_t nsupported)
{
    size_t i = 0, vlen, k;
    int any = 0;
    if (!index_out)
        return kube_error_setf(KUBE_EINVAL, "websocket select: NULL output");
    *index_out = -1;
    if (!offered)
        return KUBE_OK;
    vlen = strlen(offered);
    while (i <= vlen) {
        size_t j = i;
        const char *item;
        size_t ilen;
        while (j < vlen && offered[j] != ',')
            j++;
        item = offered + i;
        ilen = j - i;
        trim_ows(&item, &ilen);
        if (ilen) {
            any = 1;
            for (k = 0; k < nsupported; k++) {
                if (supported && supported[k] && strlen(supported[k]) == ilen &&
                    memcmp(supported[k], item, ilen) == 0) {
                    *index_out = (int)k;
                    return KUBE_OK;
                }
            }
        }
        i = j + 1;
    }
    if (any)
        return kube_error_setf(KUBE_EUNSUPPORTED, "websocket: none of the offered subprotocols is supported");
    return KUBE_OK;
}

kube_error_t kube_websocket_server_response(kube_buf_t *out, const char *key, const char *protocol)
{
    char acc[KUBE_WS_ACCEPT_LEN + 1];
    size_t old;
    kube_error_t rc;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "websocket server response: NULL buffer");
    rc = kube_websocket_accept_key(acc, key);
    if (rc)
        return rc;
    if (protocol && !is_token(protocol))
        return kube_error_setf(KUBE_EINVAL, "websocket server response: protocol is not an HTTP token");
    old = out->size;
    rc = kube_buf_printf(out,
                         "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Accept: %s\r\n%s%s%s\r\n",
                         acc, protocol ? "Sec-WebSocket-Protocol: " : "", protocol ? protocol : "",
                         protocol ? "\r\n" : "");
    if (rc && out->ptr) {
        out->size = old;
        out->ptr[old] = '\0';
    }
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Frames                                                                     */
/* ------------------------------------------------------------------------- */

int kube_websocket_close_code_valid(unsigned int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
}

/* Write a frame header; returns its size (2 to 14 bytes). */
static size_t frame_header(uint8_t *h, unsigned opcode, int fin, const uint8_t *mask_key, size_t len)
{
    size_t n = 2;
    h[0] = (uint8_t)((fin ? 0x80 : 0) | (opcode & 0xF));
    if (len < 126) {
        h[1] = (uint8_t)len;
    } else if (len <= 0xFFFF) {
        h[1] = 126;
        h[2] = (uint8_t)(len >> 8);
        h[3] = (uint8_t)len;
        n = 4;
    } else {
        uint64_t l = (uint64_t)len;
        h[1] = 127;
        for (int i = 0; i < 8; i++)
            h[2 + i] = (uint8_t)(l >> (56 - 8 * i));
        n = 10;
    }
    if (mask_key) {
        h[1] |= 0x80;
        memcpy(h + n, mask_key, 4);
        n += 4;
    }
    return n;
}

static void mask_copy(uint8_t *dst, const uint8_t *src, size_t len, const uint8_t key[4])
{
    for (size_t i = 0; i < len; i++)
        dst[i] = src[i] ^ key[i & 3];
}

kube_error_t kube_websocket_frame_encode(kube_buf_t *out, unsigned int opcode, int fin, const uint8_t *mask_key,
                                         const uint8_t *payload, size_t len)
{
    uint8_t h[14];
    size_t hn;
    kube_error_t rc;
    if (!out || opcode > 15 || (len && !payload))
        return kube_error_setf(KUBE_EINVAL, "websocket frame: invalid argument");
    if (len > SIZE_MAX - 15)
        return kube_error_setf(KUBE_ENOMEM, "websocket frame: payload too large");
    hn = frame_header(h, opcode, fin, mask_key, len);
    rc = kube_buf_grow(out, hn + len);
    if (rc)
        return rc;
    memcpy(out->ptr + out->size, h, hn);
    if (mask_key)
        mask_copy((uint8_t *)out->ptr + out->size + hn, payload, len, mask_key);
    else if (len)
        memcpy(out->ptr + out->size + hn, payload, len);
    out->size += hn + len;
    out->ptr[out->size] = '\0';
    return KUBE_OK;
}

struct kube_websocket {
    kube_mem_t mem;
    kube_websocket_role_t role;
    size_t max_message;
    size_t max_frame;
    unsigned flags;
    kube_websocket_mask_cb mask;
    void *mask_ud;

    uint8_t *in;        /* received bytes; in[in_pos, in_len) are not consumed yet */
    size_t in_len, in_cap, in_pos;
    uint64_t in_offset; /* stream offset of in[0] */

    uint8_t *msg;       /* fragments of the message being reassembled */
    size_t msg_len, msg_cap;
    int frag_open;
    unsigned frag_opcode;
    int msg_handed_out; /* the last message returned lives in msg */
    uint8_t u8_pend[4]; /* frames mode: incomplete UTF-8 sequence ending the previous text frame */
    size_t u8_npend;

    kube_buf_t out;     /* queued output; out.ptr[out_off, out.size) not yet written */
    size_t out_off;

    int send_open;      /* a sent message awaits its final fragment */
    unsigned send_opcode;
    int close_sent, close_received, after_close_reported;
    kube_websocket_state_t state;
    uint16_t error_code;
};

kube_error_t kube_websocket_new(kube_websocket_t **out, kube_websocket_role_t role, const kube_websocket_opts_t *opts)
{
    kube_websocket_opts_t def = KUBE_WEBSOCKET_OPTS_INIT;
    kube_mem_t mem;
    kube_websocket_t *ws;
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "websocket: NULL output");
    if (role != KUBE_WS_ROLE_CLIENT && role != KUBE_WS_ROLE_SERVER)
        return kube_error_setf(KUBE_EINVAL, "websocket: unknown role %d", (int)role);
    if (!opts)
        opts = &def;
    if (opts->version != KUBE_WEBSOCKET_OPTS_VERSION)
        return kube_error_setf(KUBE_EINVAL, "websocket: options version %u, want %d", opts->version,
                               KUBE_WEBSOCKET_OPTS_VERSION);
    if (role == KUBE_WS_ROLE_CLIENT && !opts->mask)
        return kube_error_setf(KUBE_EINVAL, "websocket: the client role needs a masking-key callback");
    mem = kube_mem__pick(opts->mem);
    ws = (kube_websocket_t *)kube_mem__calloc(&mem, 1, sizeof *ws);
    if (!ws)
        return kube_error_setf(KUBE_ENOMEM, "websocket: out of memory");
    ws->mem = mem;
    ws->role = role;
    ws->max_message = opts->max_message ? opts->max_message : KUBE_WS_DEFAULT_MAX_MESSAGE;
    ws->max_frame = opts->max_frame;
    ws->flags = opts->flags;
    ws->mask = opts->mask;
    ws->mask_ud = opts->mask_userdata;
    kube_buf_init(&ws->out, &mem);
    ws->state = KUBE_WS_STATE_OPEN;
    *out = ws;
    return KUBE_OK;
}

void kube_websocket_free(kube_websocket_t *ws)
{
    if (!ws)
        return;
    kube_mem__free(&ws->mem, ws->in);
    kube_mem__free(&ws->mem, ws->msg);
    kube_buf_dispose(&ws->out);
    kube_mem__free(&ws->mem, ws);
}

static void in_compact(kube_websocket_t *ws)
{
    if (ws->in_pos) {
        memmove(ws->in, ws->in + ws->in_pos, ws->in_len - ws->in_pos);
        ws->in_len -= ws->in_pos;
        ws->in_offset += ws->in_pos;
        ws->in_pos = 0;
    }
    if (ws->msg_handed_out) {
        ws->msg_len = 0;
        ws->msg_handed_out = 0;
    }
}

kube_error_t kube_websocket_feed(kube_websocket_t *ws, const uint8_t *data, size_t len)
{
    if (!ws || (len && !data))
        return kube_error_setf(KUBE_EINVAL, "websocket feed: invalid argument");
    in_compact(ws);
    if (!len)
        return KUBE_OK;
    if (len > SIZE_MAX - ws->in_len)
        return kube_error_setf(KUBE_ENOMEM, "websocket feed: input too large");
    if (ws->in_len + len > ws->in_cap) {
        size_t cap = ws->in_cap ? ws->in_cap : 256;
        uint8_t *p;
        while (cap < ws->in_len + len)
            cap = cap > SIZE_MAX / 2 ? ws->in_len + len : cap * 2;
        p = (uint8_t *)kube_mem__realloc(&ws->mem, ws->in, cap);
        if (!p)
            return kube_error_setf(KUBE_ENOMEM, "websocket feed: out of memory buffering %zu bytes", ws->in_len + len);
        ws->in = p;
        ws->in_cap = cap;
    }
    memcpy(ws->in + ws->in_len, data, len);
    ws->in_len += len;
    return KUBE_OK;
}

static void out_compact(kube_websocket_t *ws)
{
    if (ws->out_off) {
        memmove(ws->out.ptr, ws->out.ptr + ws->out_off, ws->out.size - ws->out_off);
        ws->out.size -= ws->out_off;
        ws->out.ptr[ws->out.size] = '\0';
        ws->out_off = 0;
    }
}

/* Reserve room for a control frame (at most 14 + 125 bytes) and fetch its masking
 * key, so that queueing it afterwards cannot fail. */
static kube_error_t reserve_control(kube_websocket_t *ws, uint8_t key[4])
{
    kube_error_t rc;
    if (ws->role == KUBE_WS_ROLE_CLIENT && ws->mask(key, ws->mask_ud) != 0)
        return kube_error_setf(KUBE_EUSER, "websocket: the masking-key callback failed");
    out_compact(ws);
    rc = kube_buf_grow(&ws->out, 14 + 125);
    return rc;
}

/* Queue a frame into reserved space. */
static void put_frame(kube_websocket_t *ws, unsigned opcode, int fin, const uint8_t *key, const uint8_t *payload,
                      size_t len)
{
    uint8_t *dst = (uint8_t *)ws->out.ptr + ws->out.size;
    const uint8_t *mk = ws->role == KUBE_WS_ROLE_CLIENT ? key : NULL;
    size_t hn = frame_header(dst, opcode, fin, mk, len);
    if (mk)
        mask_copy(dst + hn, payload, len, mk);
    else if (len)
        memcpy(dst + hn, payload, len);
    ws->out.size += hn + len;
    ws->out.ptr[ws->out.size] = '\0';
}

static kube_error_t ws_fail(kube_websocket_t *ws, uint16_t code, uint64_t offset, const char *what)
{
    ws->state = KUBE_WS_STATE_FAILED;
    ws->error_code = code;
    if (!ws->close_sent) {
        uint8_t key[4] = {0, 0, 0, 0};
        uint8_t payload[2];
        payload[0] = (uint8_t)(code >> 8);
        payload[1] = (uint8_t)code;
        /* Best effort: without memory or a masking key the peer just sees the socket close. */
        if (reserve_control(ws, key) == KUBE_OK) {
            put_frame(ws, KUBE_WS_OP_CLOSE, 1, key, payload, 2);
            ws->close_sent = 1;
        }
    }
    return kube_error_setf(KUBE_EPROTO, "websocket: %s (frame at stream offset %llu; closing with %u)", what,
                           (unsigned long long)offset, (unsigned)code);
}

kube_error_t kube_websocket_next(kube_websocket_t *ws, kube_websocket_message_t *out)
{
    if (!ws || !out)
        return kube_error_setf(KUBE_EINVAL, "websocket next: NULL argument");
    out->fin = 1;
    in_compact(ws);
    if (ws->state == KUBE_WS_STATE_FAILED)
        return kube_error_setf(KUBE_EPROTO, "websocket: the connection failed earlier (close code %u)",
                               (unsigned)ws->error_code);
    if (ws->close_received) {
        if (ws->in_len && !ws->after_close_reported) {
            ws->after_close_reported = 1;
            ws->in_offset += ws->in_len;
            ws->in_len = 0;
            return kube_error_setf(KUBE_EPROTO, "websocket: the peer sent bytes after its close frame");
        }
        ws->in_offset += ws->in_len;
        ws->in_len = 0;
        return KUBE_EAGAIN;
    }
    for (;;) {
        const uint8_t *f;
        size_t avail = ws->in_len - ws->in_pos, hn = 2;
        uint64_t off = ws->in_offset + ws->in_pos, plen;
        unsigned fin, rsv, op, masked, len7;
        uint8_t *payload;
        const uint8_t *mkey;

        if (avail < 2)
            return KUBE_EAGAIN;
        f = ws->in + ws->in_pos;
        fin = f[0] >> 7;
        rsv = (f[0] >> 4) & 7;
        op = f[0] & 0xF;
        masked = f[1] >> 7;
        len7 = f[1] & 0x7F;
        if (rsv)
            return ws_fail(ws, KUBE_WS_CLOSE_PROTOCOL_ERROR, off, "reserved bits set without an extension");
        if (op != 0 && op != 1 && op != 2 && op != 8 && op != 9 && op != 10)
            return ws_fail(ws, KUBE_WS_CLOSE_PROTOCOL_ERROR, off, "reserved opcode");
        if ((op & 8) && !fin)
            return ws_fail(ws, KUBE_WS_CLOSE_PROTOCOL_ERROR, off, "fragmented control frame");
        if ((op & 8) && len7 > 125)
            return ws_fail(ws, KUBE_WS_CLOSE_PROTOCOL_ERROR, off, "control frame payload over 125 bytes");
        if (ws->role == KUBE_WS_ROLE_SERVER && !masked)
            return ws_fail(ws, KUBE_WS_CLOSE_PROTOCOL_ERROR, off, "unmasked frame from a client");
        if (ws->role == KUBE_WS_ROLE_CLIENT && masked)
            return ws_fail(ws, KUBE_WS_CLOSE_PROTOCOL_ERROR, off, "masked frame from a server");
        if (op == 0 && !ws->frag_open)
            return ws_fail(ws, KUBE_WS_CLOSE_PROTOCOL_ERROR, off, "continuation frame outside a fragmented message");
        if ((op == 1 || op == 2) && ws->frag_open)
            return ws_fail(ws, KUBE_WS_CLOSE_PROTOCOL_ERROR, off, "new data message inside a fragmented one");
        if (len7 == 126)
            hn += 2;
        else if (len7 == 127)
            hn += 8;
        if (masked)
            hn += 4;
        if (avail < hn)
            return KUBE_EAGAIN;
        if (len7 == 126) {
            plen = (uint64_t)f[2] << 8 | f[3];
        } else if (len7 == 127) {
            plen = 0;
            for (int i = 0; i < 8; i++)
                plen = plen << 8 | f[2 + i];
            if (plen >> 63)
                return ws_fail(ws, KUBE_WS_CLOSE_PROTOCOL_ERROR, off, "64-bit payload length with the top bit set");
        } else {
            plen = len7;
        }
        if (!(op & 8) && (plen > ws->max_message ||
                          (op == 0 && !(ws->flags & KUBE_WS_OPT_FRAMES) && plen > ws->max_message - ws->msg_len)))
            return ws_fail(ws, KUBE_WS_CLOSE_TOO_BIG, off, "message larger than the configured maximum");
        if (avail - hn < plen)
            return KUBE_EAGAIN;
        payload = ws->in + ws->in_pos + hn;
        mkey = masked ? payload - 4 : NULL;

        if (op & 8) {
            uint8_t key[4] = {0, 0, 0, 0};
            size_t n = (size_t)plen;
            int reply = (op == KUBE_WS_OP_CLOSE || op == KUBE_WS_OP_PING) && !ws->close_sent;
            if (reply) {
                kube_error_t rc = reserve_control(ws, key);
                if (rc)
                    return rc;
            }
            if (mkey)
                mask_copy(payload, payload, n, mkey);
            out->version = KUBE_WEBSOCKET_MESSAGE_VERSION;
            out->opcode = (kube_websocket_opcode_t)op;
            out->close_code = 0;
            out->data = payload;
            out->len = n;
            if (op == KUBE_WS_OP_CLOSE) {
                size_t bad;
                uint16_t code = KUBE_WS_CLOSE_NO_STATUS;
                if (n == 1)
                    return ws_fail(ws, KUBE_WS_CLOSE_PROTOCOL_ERROR, off, "close payload of one byte");
                if (n >= 2) {
                    code = (uint16_t)(payload[0] << 8 | payload[1]);
                    if (!kube_websocket_close_code_valid(code))
                        return ws_fail(ws, KUBE_WS_CLOSE_PROTOCOL_ERROR, off, "invalid close code");
                    if (!kube_encoding__utf8_valid(payload + 2, n - 2, &bad))
                        return ws_fail(ws, KUBE_WS_CLOSE_INVALID_DATA, off, "close reason is not UTF-8");
                    out->data = payload + 2;
                    out->len = n - 2;
                }
                out->close_code = code;
                ws->close_received = 1;
                if (reply) {
                    uint8_t echo[2];
                    echo[0] = (uint8_t)(code >> 8);
                    echo[1] = (uint8_t)code;
                    put_frame(ws, KUBE_WS_OP_CLOSE, 1, key, echo, code == KUBE_WS_CLOSE_NO_STATUS ? 0 : 2);
                    ws->close_sent = 1;
                }
                ws->state = KUBE_WS_STATE_CLOSED;
                ws->send_open = 0;
            } else if (op == KUBE_WS_OP_PING && reply) {
                put_frame(ws, KUBE_WS_OP_PONG, 1, key, payload, n);
            }
            ws->in_pos += hn + n;
            return KUBE_OK;
        }

        if (ws->flags & KUBE_WS_OPT_FRAMES) {
            /* Streaming: hand out each data frame as it completes. */
            size_t n = (size_t)plen;
            unsigned mop = op ? op : ws->frag_opcode;
            if (mkey)
                mask_copy(payload, payload, n, mkey);
            if (mop == KUBE_WS_OP_TEXT && !utf8_stream(ws->u8_pend, &ws->u8_npend, payload, n, (int)fin))
                return ws_fail(ws, KUBE_WS_CLOSE_INVALID_DATA, off, "text message is not UTF-8");
            ws->in_pos += hn + n;
            if (op != 0)
                ws->frag_opcode = op;
            ws->frag_open = !fin;
            out->version = KUBE_WEBSOCKET_MESSAGE_VERSION;
            out->opcode = (kube_websocket_opcode_t)mop;
            out->data = payload;
            out->len = n;
            out->close_code = 0;
            out->fin = (int)fin;
            return KUBE_OK;
        }

        if (fin && op != 0) {
            size_t n = (size_t)plen, bad;
            if (mkey)
                mask_copy(payload, payload, n, mkey);
            if (op == KUBE_WS_OP_TEXT && !kube_encoding__utf8_valid(payload, n, &bad))
                return ws_fail(ws, KUBE_WS_CLOSE_INVALID_DATA, off, "text message is not UTF-8");
            ws->in_pos += hn + n;
            out->version = KUBE_WEBSOCKET_MESSAGE_VERSION;
            out->opcode = (kube_websocket_opcode_t)op;
            out->data = payload;
            out->len = n;
            out->close_code = 0;
            return KUBE_OK;
        }

        /* A fragment: append to the reassembly buffer (reserve first, then commit). */
        {
            size_t n = (size_t)plen, need = ws->msg_len + n;
            if (need > ws->msg_cap) {
                size_t cap = ws->msg_cap ? ws->msg_cap : 256;
                uint8_t *p;
                while (cap < need)
                    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
                p = (uint8_t *)kube_mem__realloc(&ws->mem, ws->msg, cap);
                if (!p)
                    return kube_error_setf(KUBE_ENOMEM, "websocket: out of memory reassembling a %zu-byte message",
                                           need);
                ws->msg = p;
                ws->msg_cap = cap;
            }
            if (mkey)
                mask_copy(ws->msg + ws->msg_len, payload, n, mkey);
            else if (n)
                memcpy(ws->msg + ws->msg_len, payload, n);
            ws->msg_len = need;
            ws->in_pos += hn + n;
            if (op != 0) {
                ws->frag_open = 1;
                ws->frag_opcode = op;
            }
            if (fin) {
                size_t bad;
                ws->frag_open = 0;
                if (ws->frag_opcode == KUBE_WS_OP_TEXT && !kube_encoding__utf8_valid(ws->msg, ws->msg_len, &bad))
                    return ws_fail(ws, KUBE_WS_CLOSE_INVALID_DATA, off, "text message is not UTF-8");
                ws->msg_handed_out = 1;
                out->version = KUBE_WEBSOCKET_MESSAGE_VERSION;
                out->opcode = (kube_websocket_opcode_t)ws->frag_opcode;
                out->data = ws->msg_len ? ws->msg : (const uint8_t *)"";
                out->len = ws->msg_len;
                out->close_code = 0;
                return KUBE_OK;
            }
        }
    }
}

static kube_error_t sendable(const kube_websocket_t *ws)
{
    if (ws->state == KUBE_WS_STATE_FAILED)
        return kube_error_setf(KUBE_EINVAL, "websocket: the connection has failed");
    if (ws->close_sent || ws->close_received)
        return kube_error_setf(KUBE_EINVAL, "websocket: cannot send after the closing handshake started");
    return KUBE_OK;
}

kube_error_t kube_websocket_send(kube_websocket_t *ws, kube_websocket_opcode_t opcode, const uint8_t *data, size_t len,
                                 unsigned int flags)
{
    size_t chunk, nframes, total, old_size, done = 0, i;
    kube_error_t rc;
    if (!ws || (len && !data))
        return kube_error_setf(KUBE_EINVAL, "websocket send: invalid argument");
    if (opcode != KUBE_WS_OP_TEXT && opcode != KUBE_WS_OP_BINARY)
        return kube_error_setf(KUBE_EINVAL, "websocket send: opcode %d is not TEXT or BINARY", (int)opcode);
    if (ws->send_open && (unsigned)opcode != ws->send_opcode)
        return kube_error_setf(KUBE_EINVAL, "websocket send: opcode differs from the open message's");
    rc = sendable(ws);
    if (rc)
        return rc;
    chunk = ws->max_frame ? ws->max_frame : len;
    nframes = len && chunk ? (len + chunk - 1) / chunk : 1;
    if (nframes > (SIZE_MAX - len) / 14)
        return kube_error_setf(KUBE_ENOMEM, "websocket send: message too large");
    total = len + nframes * 14;
    out_compact(ws);
    rc = kube_buf_grow(&ws->out, total);
    if (rc)
        return rc;
    old_size = ws->out.size;
    for (i = 0; i < nframes; i++) {
        size_t n = len - done < chunk ? len - done : chunk;
        uint8_t key[4] = {0, 0, 0, 0};
        unsigned op = (ws->send_open || i > 0) ? KUBE_WS_OP_CONTINUATION : (unsigned)opcode;
        int fin = (i == nframes - 1) && !(flags & KUBE_WS_SEND_MORE);
        if (ws->role == KUBE_WS_ROLE_CLIENT && ws->mask(key, ws->mask_ud) != 0) {
            ws->out.size = old_size;
            ws->out.ptr[old_size] = '\0';
            return kube_error_setf(KUBE_EUSER, "websocket send: the masking-key callback failed");
        }
        put_frame(ws, op, fin, key, n ? data + done : NULL, n);
        done += n;
    }
    ws->send_open = (flags & KUBE_WS_SEND_MORE) != 0;
    ws->send_opcode = (unsigned)opcode;
    return KUBE_OK;
}

static kube_error_t send_control(kube_websocket_t *ws, unsigned op, const uint8_t *data, size_t len)
{
    uint8_t key[4] = {0, 0, 0, 0};
    kube_error_t rc;
    if (!ws || (len && !data) || len > 125)
        return kube_error_setf(KUBE_EINVAL, "websocket: control payload must be at most 125 bytes");
    rc = sendable(ws);
    if (rc)
        return rc;
    rc = reserve_control(ws, key);
    if (rc)
        return rc;
    put_frame(ws, op, 1, key, data, len);
    return KUBE_OK;
}

kube_error_t kube_websocket_ping(kube_websocket_t *ws, const uint8_t *data, size_t len)
{
    return send_control(ws, KUBE_WS_OP_PING, data, len);
}

kube_error_t kube_websocket_pong(kube_websocket_t *ws, const uint8_t *data, size_t len)
{
    return send_control(ws, KUBE_WS_OP_PONG, data, len);
}

kube_error_t kube_websocket_close(kube_websocket_t *ws, uint16_t code, const char *reason)
{
    uint8_t payload[125], key[4] = {0, 0, 0, 0};
    size_t rlen = reason ? strlen(reason) : 0, bad;
    kube_error_t rc;
    if (!ws)
        return kube_error_setf(KUBE_EINVAL, "websocket close: NULL codec");
    if (ws->state == KUBE_WS_STATE_FAILED || ws->close_sent)
        return kube_error_setf(KUBE_EINVAL, "websocket close: a close frame was already sent");
    if (code == 0 && rlen)
        return kube_error_setf(KUBE_EINVAL, "websocket close: a reason needs a code");
    if (code != 0 && !kube_websocket_close_code_valid(code))
        return kube_error_setf(KUBE_EINVAL, "websocket close: %u is not a valid close code", (unsigned)code);
    if (rlen > 123)
        return kube_error_setf(KUBE_EINVAL, "websocket close: reason of %zu bytes exceeds 123", rlen);
    if (!kube_encoding__utf8_valid((const uint8_t *)(reason ? reason : ""), rlen, &bad))
        return kube_error_setf(KUBE_EINVAL, "websocket close: reason is not UTF-8 at byte %zu", bad);
    rc = reserve_control(ws, key);
    if (rc)
        return rc;
    if (code) {
        payload[0] = (uint8_t)(code >> 8);
        payload[1] = (uint8_t)code;
        if (rlen)
            memcpy(payload + 2, reason, rlen);
    }
    put_frame(ws, KUBE_WS_OP_CLOSE, 1, key, payload, code ? rlen + 2 : 0);
    ws->close_sent = 1;
    ws->send_open = 0;
    ws->state = ws->close_received ? KUBE_WS_STATE_CLOSED : KUBE_WS_STATE_CLOSING;
    return KUBE_OK;
}

size_t kube_websocket_output(const kube_websocket_t *ws, const uint8_t **data_out)
{
    size_t n = ws ? ws->out.size - ws->out_off : 0;
    if (data_out)
        *data_out = n ? (const uint8_t *)ws->out.ptr + ws->out_off : NULL;
    return n;
}

void kube_websocket_output_consume(kube_websocket_t *ws, size_t n)
{
    if (!ws)
        return;
    if (n >= ws->out.size - ws->out_off) {
        ws->out_off = 0;
        ws->out.size = 0;
        if (ws->out.ptr)
            ws->out.ptr[0] = '\0';
        return;
    }
    ws->out_off += n;
}

kube_websocket_state_t kube_websocket_state(const kube_websocket_t *ws)
{
    return ws ? ws->state : KUBE_WS_STATE_FAILED;
}

uint16_t kube_websocket_error_close_code(const kube_websocket_t *ws)
{
    return ws ? ws->error_code : 0;
}
