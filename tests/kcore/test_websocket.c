#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kube/websocket.h>
#include <kube/error.h>
#include "failmalloc.h"
#include "encoding_int.h"

/* ---- helpers ---- */

static int mask_counter(uint8_t key[4], void *ud)
{
    unsigned *n = (unsigned *)ud;
    (*n)++;
    key[0] = (uint8_t)(*n * 37u);
    key[1] = (uint8_t)(*n * 91u + 1);
    key[2] = (uint8_t)(*n * 13u + 7);
    key[3] = (uint8_t)(*n * 201u + 3);
    return 0;
}

static int mask_rfc(uint8_t key[4], void *ud)
{
    (void)ud;
    key[0] = 0x37;
    key[1] = 0xfa;
    key[2] = 0x21;
    key[3] = 0x3d;
    return 0;
}

static int mask_fail(uint8_t key[4], void *ud)
{
    (void)key;
    (void)ud;
    return 1;
}

static unsigned mask_state;

static kube_websocket_t *mk(kube_websocket_role_t role, size_t max_message, size_t max_frame, const kube_mem_t *mem)
{
    kube_websocket_opts_t o = KUBE_WEBSOCKET_OPTS_INIT;
    kube_websocket_t *ws = NULL;
    o.max_message = max_message;
    o.max_frame = max_frame;
    o.mask = mask_counter;
    o.mask_userdata = &mask_state;
    o.mem = mem;
    ck_assert_int_eq(kube_websocket_new(&ws, role, &o), KUBE_OK);
    return ws;
}

static void hex(char *dst, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(dst + 2 * i, "%02x", p[i]);
    dst[2 * n] = 0;
}

/* Records messages as "OP:payload" lines (payload printed as-is; CLOSE adds its code). */
typedef struct rec {
    char text[200000];
    size_t len;
} rec_t;

static void rec_add(rec_t *r, const kube_websocket_message_t *m)
{
    int n = snprintf(r->text + r->len, sizeof r->text - r->len, "%d/%u/%zu:", (int)m->opcode,
                     (unsigned)m->close_code, m->len);
    r->len += (size_t)n;
    ck_assert_uint_lt(r->len + m->len + 2, sizeof r->text);
    memcpy(r->text + r->len, m->data, m->len);
    r->len += m->len;
    r->text[r->len++] = '\n';
    r->text[r->len] = 0;
}

/* Drain every message; returns the final code (EAGAIN normally). */
static kube_error_t drain(kube_websocket_t *ws, rec_t *r)
{
    kube_websocket_message_t m;
    kube_error_t rc;
    while ((rc = kube_websocket_next(ws, &m)) == KUBE_OK)
        rec_add(r, &m);
    return rc;
}

/* Move the queued output of a into b's input. */
static void pump(kube_websocket_t *from, kube_websocket_t *to)
{
    const uint8_t *p;
    size_t n = kube_websocket_output(from, &p);
    if (n) {
        ck_assert_int_eq(kube_websocket_feed(to, p, n), KUBE_OK);
        kube_websocket_output_consume(from, n);
    }
}

/* ---- SHA-1, base64, UTF-8 ---- */

static void sha1_hex(char out[41], const void *data, size_t len)
{
    kube_encoding__sha1_t c;
    uint8_t d[20];
    kube_encoding__sha1_init(&c);
    kube_encoding__sha1_update(&c, data, len);
    kube_encoding__sha1_final(&c, d);
    hex(out, d, 20);
}

START_TEST(sha1_vectors)
{
    char h[41];
    kube_encoding__sha1_t c;
    uint8_t d[20];
    sha1_hex(h, "", 0);
    ck_assert_str_eq(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    sha1_hex(h, "abc", 3);
    ck_assert_str_eq(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
    sha1_hex(h, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
    ck_assert_str_eq(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    sha1_hex(h, "The quick brown fox jumps over the lazy dog", 43);
    ck_assert_str_eq(h, "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
    /* One million 'a', fed in uneven pieces. */
    kube_encoding__sha1_init(&c);
    {
        char a[997];
        size_t left = 1000000;
        memset(a, 'a', sizeof a);
        while (left) {
            size_t n = left < sizeof a ? left : sizeof a;
            kube_encoding__sha1_update(&c, a, n);
            left -= n;
        }
    }
    kube_encoding__sha1_final(&c, d);
    hex(h, d, 20);
    ck_assert_str_eq(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}
END_TEST

START_TEST(base64_vectors)
{
    static const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *std[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    static const char *nopad[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    char out[64];
    uint8_t dec[64];
    size_t bad;
    for (int i = 0; i < 7; i++) {
        size_t n = strlen(in[i]);
        ck_assert_uint_eq(kube_encoding__base64_len(n, 0), strlen(std[i]));
        kube_encoding__base64_encode(out, (const uint8_t *)in[i], n, 0);
        out[strlen(std[i])] = 0;
        ck_assert_str_eq(out, std[i]);
        ck_assert_uint_eq(kube_encoding__base64_len(n, KUBE_ENCODING__B64_NOPAD), strlen(nopad[i]));
        kube_encoding__base64_encode(out, (const uint8_t *)in[i], n, KUBE_ENCODING__B64_NOPAD);
        out[strlen(nopad[i])] = 0;
        ck_assert_str_eq(out, nopad[i]);
        ck_assert_uint_eq(kube_encoding__base64_decode(dec, std[i], strlen(std[i]), &bad), n);
        ck_assert_int_eq(memcmp(dec, in[i], n), 0);
    }
    /* URL alphabet */
    {
        const uint8_t b[] = {0xfb, 0xff, 0xbf};
        kube_encoding__base64_encode(out, b, 3, KUBE_ENCODING__B64_URL);
        out[4] = 0;
        ck_assert_str_eq(out, "-_-_");
        kube_encoding__base64_encode(out, b, 3, 0);
        ck_assert_int_eq(memcmp(out, "+/+/", 4), 0);
    }
    /* Rejections: length, alphabet, padding position, non-zero unused bits. */
    ck_assert_uint_eq(kube_encoding__base64_decode(dec, "Zg=", 3, &bad), (size_t)-1);
    ck_assert_uint_eq(kube_encoding__base64_decode(dec, "Z-==", 4, &bad), (size_t)-1);
    ck_assert_uint_eq(bad, 1);
    ck_assert_uint_eq(kube_encoding__base64_decode(dec, "Zg==Zg==", 8, &bad), (size_t)-1);
    ck_assert_uint_eq(kube_encoding__base64_decode(dec, "Z===", 4, &bad), (size_t)-1);
    ck_assert_uint_eq(kube_encoding__base64_decode(dec, "Zh==", 4, &bad), (size_t)-1);
    ck_assert_uint_eq(kube_encoding__base64_decode(dec, "Zm9=", 4, &bad), (size_t)-1);
    ck_assert_uint_eq(kube_encoding__base64_decode(dec, "Zg=a", 4, &bad), (size_t)-1);
}
END_TEST

START_TEST(utf8_validation)
{
    size_t bad;
    ck_assert(kube_encoding__utf8_valid((const uint8_t *)"", 0, &bad));
    ck_assert(kube_encoding__utf8_valid((const uint8_t *)"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80", 15, &bad));
    ck_assert(kube_encoding__utf8_valid((const uint8_t *)"\xf4\x8f\xbf\xbf", 4, &bad));
    ck_assert(kube_encoding__utf8_valid((const uint8_t *)"\xed\x9f\xbf", 3, &bad));
    ck_assert(!kube_encoding__utf8_valid((const uint8_t *)"ab\xc0\xaf", 4, &bad)); /* overlong */
    ck_assert_uint_eq(bad, 2);
    ck_assert(!kube_encoding__utf8_valid((const uint8_t *)"\xe0\x80\xaf", 3, &bad));
    ck_assert(!kube_encoding__utf8_valid((const uint8_t *)"\xed\xa0\x80", 3, &bad)); /* surrogate */
    ck_assert(!kube_encoding__utf8_valid((const uint8_t *)"\xf4\x90\x80\x80", 4, &bad)); /* > U+10FFFF */
    ck_assert(!kube_encoding__utf8_valid((const uint8_t *)"\xf5\x80\x80\x80", 4, &bad));
    ck_assert(!kube_encoding__utf8_valid((const uint8_t *)"x\xe2\x82", 3, &bad)); /* truncated */
    ck_assert_uint_eq(bad, 1);
    ck_assert(!kube_encoding__utf8_valid((const uint8_t *)"\x80", 1, &bad));
    ck_assert(!kube_encoding__utf8_valid((const uint8_t *)"\xc3\x28", 2, &bad));
}
END_TEST

/* ---- handshake ---- */

static const char *good_response =
    "HTTP/1.1 101 Switching Protocols\r\n"
    "upgrade: WebSocket\r\n"
    "Connection: keep-alive, Upgrade\r\n"
    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
    "Sec-WebSocket-Protocol: v4.channel.k8s.io\r\n"
    "\r\n"
    "\x81\x02hi";

START_TEST(handshake_rfc_example)
{
    char key[KUBE_WS_KEY_LEN + 1], acc[KUBE_WS_ACCEPT_LEN + 1];
    ck_assert_int_eq(kube_websocket_client_key(key, (const uint8_t *)"the sample nonce"), KUBE_OK);
    ck_assert_str_eq(key, "dGhlIHNhbXBsZSBub25jZQ==");
    ck_assert_int_eq(kube_websocket_accept_key(acc, key), KUBE_OK);
    ck_assert_str_eq(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    ck_assert_int_eq(kube_websocket_accept_key(acc, "short"), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_accept_key(acc, "dGhlIHNhbXBsZSBub25jZQ=a"), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_accept_key(acc, "dGhlIHNhbXBsZSBub25jZQ!="), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_accept_key(acc, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_client_key(NULL, (const uint8_t *)"0123456789abcdef"), KUBE_EINVAL);
}
END_TEST

START_TEST(handshake_client_headers)
{
    kube_buf_t b;
    const char *protos[] = {"v5.channel.k8s.io", "v4.channel.k8s.io"};
    const char *bad[] = {"v5.channel.k8s.io", "has space"};
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_websocket_client_headers(&b, "dGhlIHNhbXBsZSBub25jZQ==", protos, 2), KUBE_OK);
    ck_assert_str_eq(b.ptr, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            "Sec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io\r\n");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_websocket_client_headers(&b, "dGhlIHNhbXBsZSBub25jZQ==", NULL, 0), KUBE_OK);
    ck_assert_ptr_null(strstr(b.ptr, "Protocol"));
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_websocket_client_headers(&b, "dGhlIHNhbXBsZSBub25jZQ==", bad, 2), KUBE_EINVAL);
    ck_assert_uint_eq(b.size, 0);
    ck_assert_int_eq(kube_websocket_client_headers(&b, "bogus", protos, 2), KUBE_EINVAL);
    kube_buf_dispose(&b);
}
END_TEST

START_TEST(handshake_client_response)
{
    const char *protos[] = {"v5.channel.k8s.io", "v4.channel.k8s.io"};
    const char *key = "dGhlIHNhbXBsZSBub25jZQ==";
    kube_websocket_response_t r;
    size_t total = strlen(good_response), head = total - 4;
    /* Incomplete at every split before the blank line; complete afterwards. */
    for (size_t k = 0; k <= total; k++) {
        kube_error_t rc = kube_websocket_client_response(&r, (const uint8_t *)good_response, k, key, protos, 2);
        if (k < head) {
            ck_assert_int_eq(rc, KUBE_EAGAIN);
        } else {
            ck_assert_int_eq(rc, KUBE_OK);
            ck_assert_int_eq(r.status, 101);
            ck_assert_uint_eq(r.head_len, head);
            ck_assert_int_eq(r.protocol, 1);
        }
    }
}
END_TEST

static kube_error_t check_resp(const char *text, int *proto)
{
    const char *protos[] = {"v5.channel.k8s.io", "v4.channel.k8s.io"};
    kube_websocket_response_t r;
    kube_error_t rc = kube_websocket_client_response(&r, (const uint8_t *)text, strlen(text),
                                                     "dGhlIHNhbXBsZSBub25jZQ==", protos, 2);
    if (proto)
        *proto = r.protocol;
    return rc;
}

START_TEST(handshake_client_response_failures)
{
    int proto;
    const char *ok_accept = "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
    char buf[1024];
    /* No protocol header: accepted, protocol -1. */
    snprintf(buf, sizeof buf, "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n%s\r\n", ok_accept);
    ck_assert_int_eq(check_resp(buf, &proto), KUBE_OK);
    ck_assert_int_eq(proto, -1);
    /* Wrong accept. */
    ck_assert_int_eq(check_resp("HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOoX\r\n\r\n", NULL),
                     KUBE_EPROTO);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "Accept"));
    /* Missing Upgrade, wrong Connection. */
    snprintf(buf, sizeof buf, "HTTP/1.1 101 OK\r\nConnection: Upgrade\r\n%s\r\n", ok_accept);
    ck_assert_int_eq(check_resp(buf, NULL), KUBE_EPROTO);
    snprintf(buf, sizeof buf, "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: close\r\n%s\r\n", ok_accept);
    ck_assert_int_eq(check_resp(buf, NULL), KUBE_EPROTO);
    /* A protocol that was not offered; two protocol headers; an extension. */
    snprintf(buf, sizeof buf,
             "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n%sSec-WebSocket-Protocol: "
             "v3.channel.k8s.io\r\n\r\n", ok_accept);
    ck_assert_int_eq(check_resp(buf, NULL), KUBE_EPROTO);
    snprintf(buf, sizeof buf,
             "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n%sSec-WebSocket-Protocol: "
             "v4.channel.k8s.io\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n", ok_accept);
    ck_assert_int_eq(check_resp(buf, NULL), KUBE_EPROTO);
    snprintf(buf, sizeof buf,
             "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n%s"
             "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n", ok_accept);
    ck_assert_int_eq(check_resp(buf, NULL), KUBE_EPROTO);
    /* Refusals map through the HTTP status. */
    ck_assert_int_eq(check_resp("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n{}", NULL),
                     KUBE_EFORBIDDEN);
    ck_assert_int_eq(kube_error_last()->http_status, 403);
    ck_assert_int_eq(check_resp("HTTP/1.1 400 Bad Request\r\n\r\n", NULL), KUBE_EINVALIDOBJ);
    ck_assert_int_eq(check_resp("HTTP/1.1 200 OK\r\n\r\n", NULL), KUBE_EPROTO);
    /* Malformed heads. */
    ck_assert_int_eq(check_resp("HTTP/2 101\r\n\r\n", NULL), KUBE_EPROTO);
    ck_assert_int_eq(check_resp("HTTP/1.1 1x1 OK\r\n\r\n", NULL), KUBE_EPROTO);
    ck_assert_int_eq(check_resp("HTTP/1.1 101 OK\r\nno colon here\r\n\r\n", NULL), KUBE_EPROTO);
    {
        char *big = malloc(20000);
        memset(big, 'a', 20000);
        memcpy(big, "HTTP/1.1 101 OK\r\nX: ", 20);
        big[19999] = 0;
        ck_assert_int_eq(check_resp(big, NULL), KUBE_EPROTO);
        free(big);
    }
}
END_TEST

START_TEST(handshake_server_side)
{
    const char *supported[] = {"v4.channel.k8s.io", "v5.channel.k8s.io", "v4.base64.channel.k8s.io"};
    int idx = 7;
    kube_buf_t b;
    /* The client's order wins. */
    ck_assert_int_eq(kube_websocket_select_protocol(&idx, "v5.channel.k8s.io, v4.channel.k8s.io", supported, 3),
                     KUBE_OK);
    ck_assert_int_eq(idx, 1);
    ck_assert_int_eq(kube_websocket_select_protocol(&idx, " x , v4.base64.channel.k8s.io", supported, 3), KUBE_OK);
    ck_assert_int_eq(idx, 2);
    ck_assert_int_eq(kube_websocket_select_protocol(&idx, NULL, supported, 3), KUBE_OK);
    ck_assert_int_eq(idx, -1);
    ck_assert_int_eq(kube_websocket_select_protocol(&idx, " , ", supported, 3), KUBE_OK);
    ck_assert_int_eq(idx, -1);
    ck_assert_int_eq(kube_websocket_select_protocol(&idx, "v3.channel.k8s.io", supported, 3), KUBE_EUNSUPPORTED);
    ck_assert_int_eq(idx, -1);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_websocket_server_response(&b, "dGhlIHNhbXBsZSBub25jZQ==", "v5.channel.k8s.io"), KUBE_OK);
    ck_assert_str_eq(b.ptr, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                            "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n");
    /* What the server writes, the client accepts. */
    {
        const char *offered[] = {"v5.channel.k8s.io"};
        kube_websocket_response_t r;
        ck_assert_int_eq(kube_websocket_client_response(&r, (const uint8_t *)b.ptr, b.size,
                                                        "dGhlIHNhbXBsZSBub25jZQ==", offered, 1),
                         KUBE_OK);
        ck_assert_int_eq(r.protocol, 0);
        ck_assert_uint_eq(r.head_len, b.size);
    }
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_websocket_server_response(&b, "dGhlIHNhbXBsZSBub25jZQ==", NULL), KUBE_OK);
    ck_assert_ptr_null(strstr(b.ptr, "Sec-WebSocket-Protocol"));
    ck_assert_int_eq(kube_websocket_server_response(&b, "dGhlIHNhbXBsZSBub25jZQ==", "a b"), KUBE_EINVAL);
    kube_buf_dispose(&b);
}
END_TEST

/* ---- frames: RFC 6455 section 5.7 ---- */

START_TEST(rfc_examples_encode)
{
    static const uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
    kube_buf_t b;
    char h[64];
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_TEXT, 1, NULL, (const uint8_t *)"Hello", 5), KUBE_OK);
    hex(h, (const uint8_t *)b.ptr, b.size);
    ck_assert_str_eq(h, "810548656c6c6f");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_TEXT, 1, key, (const uint8_t *)"Hello", 5), KUBE_OK);
    hex(h, (const uint8_t *)b.ptr, b.size);
    ck_assert_str_eq(h, "818537fa213d7f9f4d5158");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_TEXT, 0, NULL, (const uint8_t *)"Hel", 3), KUBE_OK);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_CONTINUATION, 1, NULL, (const uint8_t *)"lo", 2),
                     KUBE_OK);
    hex(h, (const uint8_t *)b.ptr, b.size);
    ck_assert_str_eq(h, "010348656c80026c6f");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_PING, 1, NULL, (const uint8_t *)"Hello", 5), KUBE_OK);
    hex(h, (const uint8_t *)b.ptr, b.size);
    ck_assert_str_eq(h, "890548656c6c6f");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_PONG, 1, key, (const uint8_t *)"Hello", 5), KUBE_OK);
    hex(h, (const uint8_t *)b.ptr, b.size);
    ck_assert_str_eq(h, "8a8537fa213d7f9f4d5158");
    kube_buf_clear(&b);
    {
        uint8_t *p = calloc(1, 65536);
        ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_BINARY, 1, NULL, p, 256), KUBE_OK);
        ck_assert_uint_eq(b.size, 260);
        hex(h, (const uint8_t *)b.ptr, 4);
        ck_assert_str_eq(h, "827e0100");
        kube_buf_clear(&b);
        ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_BINARY, 1, NULL, p, 65536), KUBE_OK);
        ck_assert_uint_eq(b.size, 65536 + 10);
        hex(h, (const uint8_t *)b.ptr, 10);
        ck_assert_str_eq(h, "827f0000000000010000");
        free(p);
    }
    ck_assert_int_eq(kube_websocket_frame_encode(&b, 16, 1, NULL, NULL, 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, 1, 1, NULL, NULL, 3), KUBE_EINVAL);
    kube_buf_dispose(&b);
}
END_TEST

START_TEST(rfc_examples_decode)
{
    kube_websocket_t *cl = mk(KUBE_WS_ROLE_CLIENT, 0, 0, NULL), *sv = mk(KUBE_WS_ROLE_SERVER, 0, 0, NULL);
    rec_t *r = calloc(1, sizeof *r);
    const uint8_t *out;
    char h[64];
    /* Unmasked frames reach a client. */
    ck_assert_int_eq(kube_websocket_feed(cl, (const uint8_t *)"\x81\x05Hello\x01\x03Hel\x89\x05Hello\x80\x02lo", 23),
                     KUBE_OK);
    ck_assert_int_eq(drain(cl, r), KUBE_EAGAIN);
    ck_assert_str_eq(r->text, "1/0/5:Hello\n9/0/5:Hello\n1/0/5:Hello\n");
    /* The ping was answered (masked, from a client). */
    ck_assert_uint_eq(kube_websocket_output(cl, &out), 11);
    ck_assert_int_eq(out[0], 0x8a);
    ck_assert_int_eq(out[1], 0x85);
    /* Masked frames reach a server. */
    r->len = 0;
    r->text[0] = 0;
    ck_assert_int_eq(kube_websocket_feed(sv, (const uint8_t *)"\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11),
                     KUBE_OK);
    ck_assert_int_eq(kube_websocket_feed(sv, (const uint8_t *)"\x8a\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11),
                     KUBE_OK);
    ck_assert_int_eq(drain(sv, r), KUBE_EAGAIN);
    ck_assert_str_eq(r->text, "1/0/5:Hello\n10/0/5:Hello\n");
    ck_assert_uint_eq(kube_websocket_output(sv, &out), 0);
    ck_assert_ptr_null(out);
    /* The RFC's masked example is exactly what a client with that key sends. */
    {
        kube_websocket_opts_t o = KUBE_WEBSOCKET_OPTS_INIT;
        kube_websocket_t *c2 = NULL;
        size_t n;
        o.mask = mask_rfc;
        ck_assert_int_eq(kube_websocket_new(&c2, KUBE_WS_ROLE_CLIENT, &o), KUBE_OK);
        ck_assert_int_eq(kube_websocket_send(c2, KUBE_WS_OP_TEXT, (const uint8_t *)"Hello", 5, 0), KUBE_OK);
        n = kube_websocket_output(c2, &out);
        hex(h, out, n);
        ck_assert_str_eq(h, "818537fa213d7f9f4d5158");
        kube_websocket_free(c2);
    }
    kube_websocket_free(cl);
    kube_websocket_free(sv);
    free(r);
}
END_TEST

/* Every payload length class, both directions. */
START_TEST(size_classes)
{
    static const size_t sizes[] = {0, 1, 125, 126, 127, 65535, 65536, 65537, 200000};
    uint8_t *data = malloc(200000);
    for (size_t i = 0; i < 200000; i++)
        data[i] = (uint8_t)(i * 7 + 3);
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        for (int dir = 0; dir < 2; dir++) {
            kube_websocket_t *cl = mk(KUBE_WS_ROLE_CLIENT, 0, 0, NULL), *sv = mk(KUBE_WS_ROLE_SERVER, 0, 0, NULL);
            kube_websocket_t *from = dir ? sv : cl, *to = dir ? cl : sv;
            kube_websocket_message_t m;
            const uint8_t *o;
            size_t n, hdr = sizes[s] < 126 ? 2 : sizes[s] < 65536 ? 4 : 10;
            ck_assert_int_eq(kube_websocket_send(from, KUBE_WS_OP_BINARY, data, sizes[s], 0), KUBE_OK);
            n = kube_websocket_output(from, &o);
            ck_assert_uint_eq(n, sizes[s] + hdr + (dir ? 0 : 4));
            pump(from, to);
            ck_assert_int_eq(kube_websocket_next(to, &m), KUBE_OK);
            ck_assert_int_eq(m.opcode, KUBE_WS_OP_BINARY);
            ck_assert_uint_eq(m.len, sizes[s]);
            ck_assert_int_eq(memcmp(m.data, data, sizes[s]), 0);
            ck_assert_int_eq(kube_websocket_next(to, &m), KUBE_EAGAIN);
            kube_websocket_free(cl);
            kube_websocket_free(sv);
        }
    }
    free(data);
}
END_TEST

/* Fragmented sending with a ping in the middle; reassembly on the other side. */
START_TEST(fragmentation_with_pings)
{
    kube_websocket_t *cl = mk(KUBE_WS_ROLE_CLIENT, 0, 10, NULL), *sv = mk(KUBE_WS_ROLE_SERVER, 0, 0, NULL);
    rec_t *r = calloc(1, sizeof *r);
    const char *part1 = "0123456789abcdefghijklmnopqrstuvwxy"; /* 35 bytes: 4 frames */
    const char *part2 = "Z\xc3\xa9!";
    ck_assert_int_eq(kube_websocket_send(cl, KUBE_WS_OP_TEXT, (const uint8_t *)part1, 35, KUBE_WS_SEND_MORE), KUBE_OK);
    ck_assert_int_eq(kube_websocket_ping(cl, (const uint8_t *)"p1", 2), KUBE_OK);
    /* A different opcode cannot continue the open message. */
    ck_assert_int_eq(kube_websocket_send(cl, KUBE_WS_OP_BINARY, (const uint8_t *)"x", 1, 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_send(cl, KUBE_WS_OP_TEXT, (const uint8_t *)part2, 4, 0), KUBE_OK);
    ck_assert_int_eq(kube_websocket_send(cl, KUBE_WS_OP_BINARY, (const uint8_t *)"", 0, 0), KUBE_OK);
    pump(cl, sv);
    ck_assert_int_eq(drain(sv, r), KUBE_EAGAIN);
    ck_assert_str_eq(r->text, "9/0/2:p1\n1/0/39:0123456789abcdefghijklmnopqrstuvwxyZ\xc3\xa9!\n2/0/0:\n");
    /* The server answered the ping; the client sees the pong. */
    pump(sv, cl);
    r->len = 0;
    ck_assert_int_eq(drain(cl, r), KUBE_EAGAIN);
    ck_assert_str_eq(r->text, "10/0/2:p1\n");
    kube_websocket_free(cl);
    kube_websocket_free(sv);
    free(r);
}
END_TEST

/* A fragmented message with control frames between fragments, as raw bytes. */
START_TEST(interleaved_control_frames)
{
    kube_websocket_t *cl = mk(KUBE_WS_ROLE_CLIENT, 0, 0, NULL);
    rec_t *r = calloc(1, sizeof *r);
    static const uint8_t s[] = {0x02, 0x02, 'a', 'b', 0x89, 0x00, 0x00, 0x01, 'c', 0x8a, 0x01, 'x',
                                0x80, 0x00, 0x81, 0x00};
    ck_assert_int_eq(kube_websocket_feed(cl, s, sizeof s), KUBE_OK);
    ck_assert_int_eq(drain(cl, r), KUBE_EAGAIN);
    ck_assert_str_eq(r->text, "9/0/0:\n10/0/1:x\n2/0/3:abc\n1/0/0:\n");
    kube_websocket_free(cl);
    free(r);
}
END_TEST

/* Each RFC violation fails the connection with the right close code. */
typedef struct violation {
    kube_websocket_role_t role;
    const char *bytes;
    size_t len;
    uint16_t code;
    size_t max_message;
} violation_t;

#define V(role, lit, code) {role, lit, sizeof lit - 1, code, 0}
START_TEST(protocol_violations)
{
    static const violation_t cases[] = {
        V(KUBE_WS_ROLE_CLIENT, "\xc1\x00", 1002),           /* RSV1 */
        V(KUBE_WS_ROLE_CLIENT, "\xa1\x00", 1002),           /* RSV2 */
        V(KUBE_WS_ROLE_CLIENT, "\x91\x00", 1002),           /* RSV3 */
        V(KUBE_WS_ROLE_CLIENT, "\x83\x00", 1002),           /* opcode 3 */
        V(KUBE_WS_ROLE_CLIENT, "\x87\x00", 1002),           /* opcode 7 */
        V(KUBE_WS_ROLE_CLIENT, "\x8b\x00", 1002),           /* opcode 0xB */
        V(KUBE_WS_ROLE_CLIENT, "\x8f\x00", 1002),           /* opcode 0xF */
        V(KUBE_WS_ROLE_CLIENT, "\x09\x00", 1002),           /* fragmented ping */
        V(KUBE_WS_ROLE_CLIENT, "\x89\x7e\x00\x7e", 1002),   /* ping of 126 bytes */
        V(KUBE_WS_ROLE_CLIENT, "\x81\x81\x00\x00\x00\x00" "a", 1002), /* masked frame to a client */
        V(KUBE_WS_ROLE_SERVER, "\x81\x01\x61", 1002),        /* unmasked frame to a server */
        V(KUBE_WS_ROLE_CLIENT, "\x80\x01\x61", 1002),        /* continuation with nothing open */
        V(KUBE_WS_ROLE_CLIENT, "\x01\x01\x61\x81\x01\x62", 1002), /* new message inside a fragmented one */
        V(KUBE_WS_ROLE_CLIENT, "\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x01", 1002), /* 64-bit top bit */
        V(KUBE_WS_ROLE_CLIENT, "\x88\x01\x03", 1002),        /* close payload of one byte */
        V(KUBE_WS_ROLE_CLIENT, "\x88\x02\x03\xe7", 1002),    /* close code 999 */
        V(KUBE_WS_ROLE_CLIENT, "\x88\x02\x03\xec", 1002),    /* 1004 */
        V(KUBE_WS_ROLE_CLIENT, "\x88\x02\x03\xed", 1002),    /* 1005 */
        V(KUBE_WS_ROLE_CLIENT, "\x88\x02\x03\xee", 1002),    /* 1006 */
        V(KUBE_WS_ROLE_CLIENT, "\x88\x02\x03\xf4", 1002),    /* 1012 */
        V(KUBE_WS_ROLE_CLIENT, "\x88\x02\x03\xf7", 1002),    /* 1015 */
        V(KUBE_WS_ROLE_CLIENT, "\x88\x02\x0b\xb7", 1002),    /* 2999 */
        V(KUBE_WS_ROLE_CLIENT, "\x88\x02\x13\x88", 1002),    /* 5000 */
        V(KUBE_WS_ROLE_CLIENT, "\x88\x04\x03\xe8\xc0\xaf", 1007), /* reason not UTF-8 */
        V(KUBE_WS_ROLE_CLIENT, "\x81\x02\xc3\x28", 1007),    /* text not UTF-8 */
        V(KUBE_WS_ROLE_CLIENT, "\x01\x01\xe2\x80\x01\x82", 1007), /* fragmented text, sequence split and bad */
        V(KUBE_WS_ROLE_CLIENT, "\x01\x01\xe2\x80\x00", 1007), /* fragmented text ending mid-sequence */
        {KUBE_WS_ROLE_CLIENT, "\x82\x0b", 2, 1009, 10},      /* too big, refused from the header alone */
        {KUBE_WS_ROLE_CLIENT, "\x02\x06" "abcdef\x80\x05", 10, 1009, 10}, /* too big across fragments */
        {KUBE_WS_ROLE_CLIENT, "\x82\x7f\x00\x00\x00\x01\x00\x00\x00\x00", 10, 1009, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        kube_websocket_t *ws = mk(cases[i].role, cases[i].max_message, 0, NULL);
        kube_websocket_message_t m;
        const uint8_t *o;
        size_t n;
        kube_error_t rc;
        ck_assert_int_eq(kube_websocket_feed(ws, (const uint8_t *)cases[i].bytes, cases[i].len), KUBE_OK);
        do
            rc = kube_websocket_next(ws, &m);
        while (rc == KUBE_OK);
        ck_assert_msg(rc == KUBE_EPROTO, "case %zu: got %d", i, rc);
        ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "stream offset"));
        ck_assert_msg(kube_websocket_error_close_code(ws) == cases[i].code, "case %zu: close %u", i,
                      kube_websocket_error_close_code(ws));
        ck_assert_int_eq(kube_websocket_state(ws), KUBE_WS_STATE_FAILED);
        /* A close frame with that code is queued (masked for a client). */
        n = kube_websocket_output(ws, &o);
        ck_assert_uint_eq(n, cases[i].role == KUBE_WS_ROLE_CLIENT ? 8 : 4);
        ck_assert_int_eq(o[0], 0x88);
        if (cases[i].role == KUBE_WS_ROLE_SERVER) {
            ck_assert_int_eq(o[2] << 8 | o[3], cases[i].code);
        } else {
            ck_assert_int_eq((o[6] ^ o[2]) << 8 | (o[7] ^ o[3]), cases[i].code);
        }
        /* The failure sticks; nothing more can be sent. */
        ck_assert_int_eq(kube_websocket_next(ws, &m), KUBE_EPROTO);
        ck_assert_int_eq(kube_websocket_send(ws, KUBE_WS_OP_TEXT, (const uint8_t *)"x", 1, 0), KUBE_EINVAL);
        ck_assert_int_eq(kube_websocket_close(ws, 1000, NULL), KUBE_EINVAL);
        kube_websocket_free(ws);
    }
}
END_TEST

START_TEST(close_handshake)
{
    kube_websocket_t *cl = mk(KUBE_WS_ROLE_CLIENT, 0, 0, NULL), *sv = mk(KUBE_WS_ROLE_SERVER, 0, 0, NULL);
    rec_t *r = calloc(1, sizeof *r);
    const uint8_t *o;
    /* Client initiates. */
    ck_assert_int_eq(kube_websocket_close(cl, 4000, "bye \xc3\xa9"), KUBE_OK);
    ck_assert_int_eq(kube_websocket_state(cl), KUBE_WS_STATE_CLOSING);
    ck_assert_int_eq(kube_websocket_send(cl, KUBE_WS_OP_TEXT, (const uint8_t *)"x", 1, 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_close(cl, 1000, NULL), KUBE_EINVAL);
    pump(cl, sv);
    ck_assert_int_eq(drain(sv, r), KUBE_EAGAIN);
    ck_assert_str_eq(r->text, "8/4000/6:bye \xc3\xa9\n");
    ck_assert_int_eq(kube_websocket_state(sv), KUBE_WS_STATE_CLOSED);
    /* The server echoed the code. */
    ck_assert_uint_eq(kube_websocket_output(sv, &o), 4);
    ck_assert_int_eq(o[2] << 8 | o[3], 4000);
    ck_assert_int_eq(kube_websocket_send(sv, KUBE_WS_OP_TEXT, (const uint8_t *)"x", 1, 0), KUBE_EINVAL);
    pump(sv, cl);
    r->len = 0;
    ck_assert_int_eq(drain(cl, r), KUBE_EAGAIN);
    ck_assert_str_eq(r->text, "8/4000/0:\n");
    ck_assert_int_eq(kube_websocket_state(cl), KUBE_WS_STATE_CLOSED);
    /* No second close from the client. */
    ck_assert_uint_eq(kube_websocket_output(cl, &o), 0);
    /* Bytes after the close: reported once, then EAGAIN. */
    ck_assert_int_eq(kube_websocket_feed(cl, (const uint8_t *)"\x81\x01x", 3), KUBE_OK);
    ck_assert_int_eq(drain(cl, r), KUBE_EPROTO);
    ck_assert_int_eq(drain(cl, r), KUBE_EAGAIN);
    kube_websocket_free(cl);
    kube_websocket_free(sv);

    /* An empty close reports 1005 and is answered with an empty close. */
    cl = mk(KUBE_WS_ROLE_CLIENT, 0, 0, NULL);
    r->len = 0;
    ck_assert_int_eq(kube_websocket_feed(cl, (const uint8_t *)"\x88\x00", 2), KUBE_OK);
    ck_assert_int_eq(drain(cl, r), KUBE_EAGAIN);
    ck_assert_str_eq(r->text, "8/1005/0:\n");
    ck_assert_uint_eq(kube_websocket_output(cl, &o), 6);
    ck_assert_int_eq(o[0], 0x88);
    ck_assert_int_eq(o[1], 0x80);
    kube_websocket_free(cl);

    /* Argument checks. */
    sv = mk(KUBE_WS_ROLE_SERVER, 0, 0, NULL);
    ck_assert_int_eq(kube_websocket_close(sv, 1005, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_close(sv, 0, "reason"), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_close(sv, 1000, "\xff"), KUBE_EINVAL);
    {
        char longr[130];
        memset(longr, 'r', 124);
        longr[124] = 0;
        ck_assert_int_eq(kube_websocket_close(sv, 1000, longr), KUBE_EINVAL);
        longr[123] = 0;
        ck_assert_int_eq(kube_websocket_close(sv, 1000, longr), KUBE_OK);
        ck_assert_uint_eq(kube_websocket_output(sv, &o), 2 + 125);
    }
    kube_websocket_free(sv);
    sv = mk(KUBE_WS_ROLE_SERVER, 0, 0, NULL);
    ck_assert_int_eq(kube_websocket_close(sv, 0, NULL), KUBE_OK);
    ck_assert_uint_eq(kube_websocket_output(sv, &o), 2);
    kube_websocket_free(sv);
    free(r);
}
END_TEST

START_TEST(api_misuse)
{
    kube_websocket_t *ws = NULL;
    kube_websocket_opts_t o = KUBE_WEBSOCKET_OPTS_INIT;
    kube_websocket_message_t m;
    uint8_t big[126] = {0};
    ck_assert_int_eq(kube_websocket_new(&ws, KUBE_WS_ROLE_CLIENT, NULL), KUBE_EINVAL); /* no mask */
    ck_assert_int_eq(kube_websocket_new(NULL, KUBE_WS_ROLE_SERVER, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_new(&ws, (kube_websocket_role_t)7, NULL), KUBE_EINVAL);
    o.version = 99;
    ck_assert_int_eq(kube_websocket_new(&ws, KUBE_WS_ROLE_SERVER, &o), KUBE_EINVAL);
    ck_assert_ptr_null(ws);
    ws = mk(KUBE_WS_ROLE_SERVER, 0, 0, NULL);
    ck_assert_int_eq(kube_websocket_ping(ws, big, 126), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_pong(ws, big, 125), KUBE_OK);
    ck_assert_int_eq(kube_websocket_send(ws, KUBE_WS_OP_PING, big, 1, 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_send(ws, KUBE_WS_OP_TEXT, NULL, 1, 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_feed(ws, NULL, 1), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_next(ws, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_next(NULL, &m), KUBE_EINVAL);
    ck_assert_int_eq(kube_websocket_state(NULL), KUBE_WS_STATE_FAILED);
    ck_assert_uint_eq(kube_websocket_output(NULL, NULL), 0);
    kube_websocket_output_consume(NULL, 3);
    /* Partial consumption of the output. */
    {
        const uint8_t *p;
        ck_assert_uint_eq(kube_websocket_output(ws, &p), 127);
        kube_websocket_output_consume(ws, 100);
        ck_assert_uint_eq(kube_websocket_output(ws, &p), 27);
        ck_assert_int_eq(kube_websocket_ping(ws, NULL, 0), KUBE_OK);
        ck_assert_uint_eq(kube_websocket_output(ws, &p), 29);
        ck_assert_int_eq(p[27], 0x89);
        kube_websocket_output_consume(ws, 1000);
        ck_assert_uint_eq(kube_websocket_output(ws, &p), 0);
    }
    kube_websocket_free(ws);
    kube_websocket_free(NULL);
    ck_assert(kube_websocket_close_code_valid(1000));
    ck_assert(kube_websocket_close_code_valid(4999));
    ck_assert(!kube_websocket_close_code_valid(1005));
    ck_assert(!kube_websocket_close_code_valid(65535));

    /* A failing mask callback: nothing queued, KUBE_EUSER. */
    o.version = KUBE_WEBSOCKET_OPTS_VERSION;
    o.mask = mask_fail;
    ck_assert_int_eq(kube_websocket_new(&ws, KUBE_WS_ROLE_CLIENT, &o), KUBE_OK);
    ck_assert_int_eq(kube_websocket_send(ws, KUBE_WS_OP_TEXT, (const uint8_t *)"x", 1, 0), KUBE_EUSER);
    ck_assert_int_eq(kube_websocket_ping(ws, NULL, 0), KUBE_EUSER);
    ck_assert_int_eq(kube_websocket_close(ws, 1000, NULL), KUBE_EUSER);
    ck_assert_uint_eq(kube_websocket_output(ws, NULL), 0);
    /* A ping that cannot be answered is left unconsumed. */
    ck_assert_int_eq(kube_websocket_feed(ws, (const uint8_t *)"\x89\x00", 2), KUBE_OK);
    ck_assert_int_eq(kube_websocket_next(ws, &m), KUBE_EUSER);
    kube_websocket_free(ws);
}
END_TEST

/* A stream with every kind of frame, for the split tests. */
static size_t build_stream(uint8_t *buf, size_t cap)
{
    kube_buf_t b;
    static const uint8_t k1[4] = {1, 2, 3, 4}, k2[4] = {0xaa, 0x55, 0x0f, 0xf0};
    uint8_t mid[300];
    size_t n;
    for (size_t i = 0; i < sizeof mid; i++)
        mid[i] = (uint8_t)i;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_TEXT, 1, k1, (const uint8_t *)"Hello", 5), KUBE_OK);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_BINARY, 0, k2, mid, 200), KUBE_OK);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_PING, 1, k1, (const uint8_t *)"pp", 2), KUBE_OK);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_CONTINUATION, 0, k1, mid + 200, 0), KUBE_OK);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_CONTINUATION, 1, k2, mid + 200, 100), KUBE_OK);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_TEXT, 0, k2, (const uint8_t *)"\xe2\x82", 2), KUBE_OK);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_CONTINUATION, 1, k1, (const uint8_t *)"\xac", 1),
                     KUBE_OK);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_PONG, 1, k2, NULL, 0), KUBE_OK);
    ck_assert_int_eq(kube_websocket_frame_encode(&b, KUBE_WS_OP_CLOSE, 1, k1, (const uint8_t *)"\x03\xe8" "ok", 4),
                     KUBE_OK);
    n = b.size;
    ck_assert_uint_le(n, cap);
    memcpy(buf, b.ptr, n);
    kube_buf_dispose(&b);
    return n;
}

static void expected_stream(rec_t *r)
{
    kube_websocket_message_t m = {KUBE_WEBSOCKET_MESSAGE_VERSION, KUBE_WS_OP_TEXT, (const uint8_t *)"Hello", 5, 0, 1};
    uint8_t mid[300];
    for (size_t i = 0; i < sizeof mid; i++)
        mid[i] = (uint8_t)i;
    r->len = 0;
    rec_add(r, &m);
    m.opcode = KUBE_WS_OP_PING;
    m.data = (const uint8_t *)"pp";
    m.len = 2;
    rec_add(r, &m);
    m.opcode = KUBE_WS_OP_BINARY;
    m.data = mid;
    m.len = 300;
    rec_add(r, &m);
    m.opcode = KUBE_WS_OP_TEXT;
    m.data = (const uint8_t *)"\xe2\x82\xac";
    m.len = 3;
    rec_add(r, &m);
    m.opcode = KUBE_WS_OP_PONG;
    m.len = 0;
    rec_add(r, &m);
    m.opcode = KUBE_WS_OP_CLOSE;
    m.data = (const uint8_t *)"ok";
    m.len = 2;
    m.close_code = 1000;
    rec_add(r, &m);
}

START_TEST(every_split_offset)
{
    uint8_t s[1024];
    size_t n = build_stream(s, sizeof s);
    rec_t *want = calloc(1, sizeof *want), *got = calloc(1, sizeof *got);
    expected_stream(want);
    for (size_t k = 0; k <= n; k++) {
        kube_websocket_t *sv = mk(KUBE_WS_ROLE_SERVER, 0, 0, NULL);
        got->len = 0;
        ck_assert_int_eq(kube_websocket_feed(sv, s, k), KUBE_OK);
        ck_assert_int_eq(drain(sv, got), KUBE_EAGAIN);
        ck_assert_int_eq(kube_websocket_feed(sv, s + k, n - k), KUBE_OK);
        ck_assert_int_eq(drain(sv, got), KUBE_EAGAIN);
        ck_assert_uint_eq(got->len, want->len);
        ck_assert_int_eq(memcmp(got->text, want->text, want->len), 0);
        ck_assert_int_eq(kube_websocket_state(sv), KUBE_WS_STATE_CLOSED);
        kube_websocket_free(sv);
    }
    /* Byte by byte. */
    {
        kube_websocket_t *sv = mk(KUBE_WS_ROLE_SERVER, 0, 0, NULL);
        got->len = 0;
        for (size_t i = 0; i < n; i++) {
            ck_assert_int_eq(kube_websocket_feed(sv, s + i, 1), KUBE_OK);
            ck_assert_int_eq(drain(sv, got), KUBE_EAGAIN);
        }
        ck_assert_uint_eq(got->len, want->len);
        ck_assert_int_eq(memcmp(got->text, want->text, want->len), 0);
        kube_websocket_free(sv);
    }
    free(want);
    free(got);
}
END_TEST

/* Out of memory at every allocation: ENOMEM, no leak; and a retry continues correctly. */
START_TEST(failmalloc_loop)
{
    uint8_t s[1024];
    size_t n = build_stream(s, sizeof s);
    rec_t *want = calloc(1, sizeof *want), *got = calloc(1, sizeof *got);
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    int completed = 0;
    expected_stream(want);
    for (long fail_at = 0; !completed && fail_at < 1000; fail_at++) {
        kube_websocket_opts_t o = KUBE_WEBSOCKET_OPTS_INIT;
        kube_websocket_t *ws = NULL;
        kube_error_t rc;
        int saw_enomem = 0;
        failmalloc_reset(&fm, fail_at);
        o.mem = &mem;
        o.max_frame = 7;
        rc = kube_websocket_new(&ws, KUBE_WS_ROLE_SERVER, &o);
        if (rc) {
            ck_assert_int_eq(rc, KUBE_ENOMEM);
            ck_assert_int_eq(fm.live, 0);
            continue;
        }
        got->len = 0;
        /* Sending under the same allocator: all or nothing. */
        rc = kube_websocket_send(ws, KUBE_WS_OP_BINARY, s, 20, 0);
        if (rc == KUBE_ENOMEM) {
            saw_enomem = 1;
            ck_assert_uint_eq(kube_websocket_output(ws, NULL), 0);
        } else {
            ck_assert_int_eq(rc, KUBE_OK);
            ck_assert_uint_eq(kube_websocket_output(ws, NULL), 20 + 3 * 2);
            kube_websocket_output_consume(ws, 26);
        }
        /* Feed in 5-byte steps; on ENOMEM, retry the same step without the failure. */
        for (size_t i = 0; i < n; i += 5) {
            size_t step = n - i < 5 ? n - i : 5;
            rc = kube_websocket_feed(ws, s + i, step);
            if (rc == KUBE_ENOMEM) {
                saw_enomem = 1;
                fm.fail_at = -1;
                rc = kube_websocket_feed(ws, s + i, step);
            }
            ck_assert_int_eq(rc, KUBE_OK);
            for (;;) {
                kube_websocket_message_t m;
                rc = kube_websocket_next(ws, &m);
                if (rc == KUBE_ENOMEM) {
                    saw_enomem = 1;
                    fm.fail_at = -1;
                    continue;
                }
                if (rc != KUBE_OK)
                    break;
                rec_add(got, &m);
            }
            ck_assert_int_eq(rc, KUBE_EAGAIN);
        }
        ck_assert_uint_eq(got->len, want->len);
        ck_assert_int_eq(memcmp(got->text, want->text, want->len), 0);
        kube_websocket_free(ws);
        ck_assert_int_eq(fm.live, 0);
        if (!saw_enomem)
            completed = 1;
    }
    ck_assert(completed);
    free(want);
    free(got);
}
END_TEST

static kube_websocket_t *mk_frames(kube_websocket_role_t role, size_t max_message)
{
    kube_websocket_opts_t o = KUBE_WEBSOCKET_OPTS_INIT;
    kube_websocket_t *ws = NULL;
    o.flags = KUBE_WS_OPT_FRAMES;
    o.max_message = max_message;
    o.mask = mask_counter;
    o.mask_userdata = &mask_state;
    ck_assert_int_eq(kube_websocket_new(&ws, role, &o), KUBE_OK);
    return ws;
}

/* Records frames as "OP/fin/len:payload" lines. */
static kube_error_t drain_frames(kube_websocket_t *ws, rec_t *r)
{
    kube_websocket_message_t m;
    kube_error_t rc;
    while ((rc = kube_websocket_next(ws, &m)) == KUBE_OK) {
        int n = snprintf(r->text + r->len, sizeof r->text - r->len, "%d/%d/%zu:", (int)m.opcode, m.fin, m.len);
        r->len += (size_t)n;
        memcpy(r->text + r->len, m.data, m.len);
        r->len += m.len;
        r->text[r->len++] = '\n';
        r->text[r->len] = 0;
    }
    return rc;
}

START_TEST(frames_mode_every_split)
{
    uint8_t s[1024];
    size_t n = build_stream(s, sizeof s);
    rec_t *want = calloc(1, sizeof *want), *got = calloc(1, sizeof *got);
    uint8_t mid[300];
    for (size_t i = 0; i < sizeof mid; i++)
        mid[i] = (uint8_t)i;
    /* Expected: every data frame on its own, continuation frames under the message's opcode. */
    want->len = (size_t)snprintf(want->text, sizeof want->text, "1/1/5:Hello\n2/0/200:");
    memcpy(want->text + want->len, mid, 200);
    want->len += 200;
    want->len += (size_t)snprintf(want->text + want->len, 64, "\n9/1/2:pp\n2/0/0:\n2/1/100:");
    memcpy(want->text + want->len, mid + 200, 100);
    want->len += 100;
    want->len += (size_t)snprintf(want->text + want->len, 128, "\n1/0/2:\xe2\x82\n1/1/1:\xac\n10/1/0:\n8/1/2:ok\n");
    for (size_t k = 0; k <= n; k++) {
        kube_websocket_t *sv = mk_frames(KUBE_WS_ROLE_SERVER, 0);
        got->len = 0;
        ck_assert_int_eq(kube_websocket_feed(sv, s, k), KUBE_OK);
        ck_assert_int_eq(drain_frames(sv, got), KUBE_EAGAIN);
        ck_assert_int_eq(kube_websocket_feed(sv, s + k, n - k), KUBE_OK);
        ck_assert_int_eq(drain_frames(sv, got), KUBE_EAGAIN);
        ck_assert_uint_eq(got->len, want->len);
        ck_assert_int_eq(memcmp(got->text, want->text, want->len), 0);
        kube_websocket_free(sv);
    }
    free(want);
    free(got);
}
END_TEST

static kube_error_t feed_frames(kube_websocket_t *ws, const char *bytes, size_t len)
{
    rec_t *r = calloc(1, sizeof *r);
    kube_error_t rc;
    ck_assert_int_eq(kube_websocket_feed(ws, (const uint8_t *)bytes, len), KUBE_OK);
    rc = drain_frames(ws, r);
    free(r);
    return rc;
}

START_TEST(frames_mode_utf8_across_frames)
{
    kube_websocket_t *ws;
    /* U+1F600 split 1|2|1 over three frames, then a valid whole message. */
    ws = mk_frames(KUBE_WS_ROLE_CLIENT, 0);
    ck_assert_int_eq(feed_frames(ws, "\x01\x02" "a\xf0" "\x00\x02\x9f\x98" "\x80\x02\x80z" "\x81\x00", 14),
                     KUBE_EAGAIN);
    kube_websocket_free(ws);
    /* A sequence that turns bad in the next frame: fails there, with 1007. */
    ws = mk_frames(KUBE_WS_ROLE_CLIENT, 0);
    ck_assert_int_eq(feed_frames(ws, "\x01\x01\xe2", 3), KUBE_EAGAIN);
    ck_assert_int_eq(feed_frames(ws, "\x80\x01\x28", 3), KUBE_EPROTO);
    ck_assert_int_eq(kube_websocket_error_close_code(ws), 1007);
    kube_websocket_free(ws);
    /* A prefix that can never be valid fails at once (fail fast). */
    ws = mk_frames(KUBE_WS_ROLE_CLIENT, 0);
    ck_assert_int_eq(feed_frames(ws, "\x01\x02" "a\xe0" "\x00\x01\x80", 7), KUBE_EPROTO);
    ck_assert_int_eq(kube_websocket_error_close_code(ws), 1007);
    kube_websocket_free(ws);
    /* The message ends inside a sequence. */
    ws = mk_frames(KUBE_WS_ROLE_CLIENT, 0);
    ck_assert_int_eq(feed_frames(ws, "\x01\x01\xf0" "\x00\x01\x9f" "\x80\x01\x98", 9), KUBE_EPROTO);
    ck_assert_int_eq(kube_websocket_error_close_code(ws), 1007);
    kube_websocket_free(ws);
    /* An unfinished sequence in a single final frame. */
    ws = mk_frames(KUBE_WS_ROLE_CLIENT, 0);
    ck_assert_int_eq(feed_frames(ws, "\x81\x02" "a\xc3", 4), KUBE_EPROTO);
    kube_websocket_free(ws);
    /* max_message bounds each frame, not the message. */
    ws = mk_frames(KUBE_WS_ROLE_CLIENT, 10);
    ck_assert_int_eq(feed_frames(ws, "\x02\x08" "abcdefgh" "\x80\x08" "abcdefgh", 20), KUBE_EAGAIN);
    ck_assert_int_eq(feed_frames(ws, "\x82\x0b" "abcdefghijk", 13), KUBE_EPROTO);
    ck_assert_int_eq(kube_websocket_error_close_code(ws), 1009);
    kube_websocket_free(ws);
}
END_TEST

Suite *kube_test_websocket_suite(void)
{
    Suite *s = suite_create("websocket");
    TCase *tc = tcase_create("websocket");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, sha1_vectors);
    tcase_add_test(tc, base64_vectors);
    tcase_add_test(tc, utf8_validation);
    tcase_add_test(tc, handshake_rfc_example);
    tcase_add_test(tc, handshake_client_headers);
    tcase_add_test(tc, handshake_client_response);
    tcase_add_test(tc, handshake_client_response_failures);
    tcase_add_test(tc, handshake_server_side);
    tcase_add_test(tc, rfc_examples_encode);
    tcase_add_test(tc, rfc_examples_decode);
    tcase_add_test(tc, size_classes);
    tcase_add_test(tc, fragmentation_with_pings);
    tcase_add_test(tc, interleaved_control_frames);
    tcase_add_test(tc, protocol_violations);
    tcase_add_test(tc, close_handshake);
    tcase_add_test(tc, api_misuse);
    tcase_add_test(tc, every_split_offset);
    tcase_add_test(tc, failmalloc_loop);
    tcase_add_test(tc, frames_mode_every_split);
    tcase_add_test(tc, frames_mode_utf8_across_frames);
    suite_add_tcase(s, tc);
    return s;
}
