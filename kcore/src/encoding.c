/* Byte encodings kcore needs without linking a crypto or codec library: SHA-1
 * (RFC 3174, for the WebSocket handshake), base64 (RFC 4648, standard and URL
 * alphabets: handshake keys, bearer-token subprotocols, admission JSON patches)
 * and strict UTF-8 validation (RFC 3629). Internal to kcore; see encoding_int.h. */
#include <string.h>
#include "alloc_int.h"
#include "encoding_int.h"

/* ------------------------------------------------------------------------- */
/* SHA-1 (RFC 3174)                                                           */
/* ------------------------------------------------------------------------- */

static uint32_t rol32(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80], a, b, c, d, e, f, k, t;
    unsigned i;
    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
               (uint32_t)p[4 * i + 3];
    for (i = 16; i < 80; i++)
        w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    a = h[0];
    b = h[1];
    c = h[2];
    d = h[3];
    e = h[4];
    for (i = 0; i < 80; i++) {
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999u;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1u;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        t = rol32(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol32(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    kube_mem__wipe(w, sizeof w);
}

void kube_encoding__sha1_init(kube_encoding__sha1_t *ctx)
{
    ctx->h[0] = 0x67452301u;
    ctx->h[1] = 0xEFCDAB89u;
    ctx->h[2] = 0x98BADCFEu;
    ctx->h[3] = 0x10325476u;
    ctx->h[4] = 0xC3D2E1F0u;
    ctx->total = 0;
    ctx->fill = 0;
}

void kube_encoding__sha1_update(kube_encoding__sha1_t *ctx, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;
    ctx->total += len;
    while (len > 0) {
        size_t take = 64 - ctx->fill;
        if (take > len)
            take = len;
        memcpy(ctx->block + ctx->fill, p, take);
        ctx->fill += take;
        p += take;
        len -= take;
        if (ctx->fill == 64) {
            sha1_block(ctx->h, ctx->block);
            ctx->fill = 0;
        }
    }
}

void kube_encoding__sha1_final(kube_encoding__sha1_t *ctx, uint8_t digest[20])
{
    uint64_t bits = ctx->total * 8;
    uint8_t pad = 0x80, zero = 0, lenbytes[8];
    unsigned i;
    kube_encoding__sha1_update(ctx, &pad, 1);
    while (ctx->fill != 56)
        kube_encoding__sha1_update(ctx, &zero, 1);
    for (i = 0; i < 8; i++)
        lenbytes[i] = (uint8_t)(bits >> (56 - 8 * i));
    kube_encoding__sha1_update(ctx, lenbytes, 8);
    for (i = 0; i < 20; i++)
        digest[i] = (uint8_t)(ctx->h[i / 4] >> (24 - 8 * (i % 4)));
    kube_mem__wipe(ctx, sizeof *ctx);
}

/* ------------------------------------------------------------------------- */
/* base64 (RFC 4648)                                                          */
/* ------------------------------------------------------------------------- */

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t kube_encoding__base64_len(size_t len, unsigned flags)
{
    if (flags & KUBE_ENCODING__B64_NOPAD)
        return len / 3 * 4 + (len % 3 ? len % 3 + 1 : 0);
    return (len + 2) / 3 * 4;
}

void kube_encoding__base64_encode(char *dst, const uint8_t *src, size_t len, unsigned flags)
{
    const char *alpha = (flags & KUBE_ENCODING__B64_URL) ? b64_url : b64_std;
    int pad = !(flags & KUBE_ENCODING__B64_NOPAD);
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8 | src[i + 2];
        *dst++ = alpha[v >> 18];
        *dst++ = alpha[(v >> 12) & 63];
        *dst++ = alpha[(v >> 6) & 63];
        *dst++ = alpha[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)src[i] << 16;
        *dst++ = alpha[v >> 18];
        *dst++ = alpha[(v >> 12) & 63];
        if (pad) {
            *dst++ = '=';
            *dst++ = '=';
        }
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8;
        *dst++ = alpha[v >> 18];
        *dst++ = alpha[(v >> 12) & 63];
        *dst++ = alpha[(v >> 6) & 63];
        if (pad)
            *dst++ = '=';
    }
}

kube_error_t kube_encoding__base64_append(kube_buf_t *buf, const uint8_t *src, size_t len, unsigned flags)
{
    size_t n;
    kube_error_t rc;
    if (len > (SIZE_MAX / 4) * 3 - 3)
        return kube_error_setf(KUBE_ENOMEM, "base64: %zu bytes are too many to encode", len);
    n = kube_encoding__base64_len(len, flags);
    rc = kube_buf_grow(buf, n);
    if (rc)
        return rc;
    kube_encoding__base64_encode(buf->ptr + buf->size, src, len, flags);
    buf->size += n;
    buf->ptr[buf->size] = '\0';
    return KUBE_OK;
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

size_t kube_encoding__base64_decode(uint8_t *dst, const char *src, size_t len, size_t *bad_offset)
{
    size_t i, o = 0;
    if (len % 4 != 0) {
        *bad_offset = len;
        return (size_t)-1;
    }
    for (i = 0; i < len; i += 4) {
        int v[4], k, npad = 0;
        for (k = 0; k < 4; k++) {
            unsigned char c = (unsigned char)src[i + k];
            if (c == '=' && i + 4 == len && k >= 2) {
                v[k] = 0;
                npad++;
                continue;
            }
            if (npad) { /* data after '=' */
                *bad_offset = i + k;
                return (size_t)-1;
            }
            v[k] = b64_value(c);
            if (v[k] < 0) {
                *bad_offset = i + k;
                return (size_t)-1;
            }
        }
        /* "x=" followed by a non-pad byte was caught above; now check the unused bits. */
        if ((npad == 2 && (v[1] & 0xF)) || (npad == 1 && (v[2] & 0x3))) {
            *bad_offset = i + 3 - (size_t)npad;
            return (size_t)-1;
        }
        dst[o++] = (uint8_t)(v[0] << 2 | v[1] >> 4);
        if (npad < 2)
            dst[o++] = (uint8_t)((v[1] & 0xF) << 4 | v[2] >> 2);
        if (npad < 1)
            dst[o++] = (uint8_t)((v[2] & 0x3) << 6 | v[3]);
    }
    return o;
}

/* ------------------------------------------------------------------------- */
/* UTF-8                                                                      */
/* ------------------------------------------------------------------------- */

int kube_encoding__utf8_valid(const uint8_t *s, size_t len, size_t *bad_offset)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        size_t n;
        uint8_t lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0; /* no overlong forms */
            else if (c == 0xED)
                hi = 0x9F; /* no UTF-16 surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F; /* <= U+10FFFF */
        } else {
            if (bad_offset)
                *bad_offset = i;
            return 0;
        }
        for (size_t k = 1; k <= n; k++) {
            uint8_t cc;
            if (i + k >= len) {
                if (bad_offset)
                    *bad_offset = i;
                return 0;
            }
            cc = s[i + k];
            if (k == 1 ? (cc < lo || cc > hi) : (cc < 0x80 || cc > 0xBF)) {
                if (bad_offset)
                    *bad_offset = i;
                return 0;
            }
        }
        i += n + 1;
    }
    return 1;
}
