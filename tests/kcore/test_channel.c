#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <kube/channel.h>
#include <kube/error.h>
#include "failmalloc.h"

START_TEST(protocol_names)
{
    kube_channel_protocol_t p;
    static const char *all[] = {"v5.channel.k8s.io", "v4.channel.k8s.io", "v4.base64.channel.k8s.io",
                                "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io",
                                "base64.channel.k8s.io"};
    for (int i = 0; i < 7; i++) {
        ck_assert_str_eq(kube_channel_protocol_name((kube_channel_protocol_t)i), all[i]);
        ck_assert_int_eq(kube_channel_protocol_parse(&p, all[i]), KUBE_OK);
        ck_assert_int_eq(p, i);
    }
    ck_assert_ptr_null(kube_channel_protocol_name((kube_channel_protocol_t)7));
    ck_assert_int_eq(kube_channel_protocol_parse(&p, ""), KUBE_OK);
    ck_assert_int_eq(p, KUBE_CHANNEL_V1);
    ck_assert_int_eq(kube_channel_protocol_parse(&p, NULL), KUBE_OK);
    ck_assert_int_eq(p, KUBE_CHANNEL_V1);
    ck_assert_int_eq(kube_channel_protocol_parse(&p, "SPDY/3.1+portforward.k8s.io"), KUBE_EUNSUPPORTED);
    ck_assert_int_eq(kube_channel_protocol_parse(NULL, "v5.channel.k8s.io"), KUBE_EINVAL);
}
END_TEST

START_TEST(offer_and_bearer)
{
    size_t n = 0;
    const char *const *o = kube_channel_offer(0, &n);
    kube_buf_t b;
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(o[0], "v5.channel.k8s.io");
    ck_assert_str_eq(o[1], "v4.channel.k8s.io");
    o = kube_channel_offer(1, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(o[0], "v4.channel.k8s.io");
    ck_assert_str_eq(o[1], "v4.base64.channel.k8s.io");
    kube_buf_init(&b, NULL);
    /* base64url without padding: "abc?>" -> "YWJjPz4" ('+'/'/' would appear in std base64 of "?>"). */
    ck_assert_int_eq(kube_channel_bearer_protocol(&b, "abc?>"), KUBE_OK);
    ck_assert_str_eq(b.ptr, "base64url.bearer.authorization.k8s.io.YWJjPz4");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_channel_bearer_protocol(&b, "\xfb\xff"), KUBE_OK);
    ck_assert_str_eq(b.ptr, "base64url.bearer.authorization.k8s.io.-_8");
    /* The result is a valid header token list entry. */
    {
        char key[KUBE_WS_KEY_LEN + 1];
        const char *protos[3];
        kube_buf_t h;
        kube_buf_init(&h, NULL);
        kube_websocket_client_key(key, (const uint8_t *)"0123456789abcdef");
        protos[0] = o[0];
        protos[1] = o[1];
        protos[2] = b.ptr;
        ck_assert_int_eq(kube_websocket_client_headers(&h, key, protos, 3), KUBE_OK);
        ck_assert_ptr_nonnull(strstr(h.ptr, ", base64url.bearer.authorization.k8s.io.-_8\r\n"));
        kube_buf_dispose(&h);
    }
    /* The token is written into memory reserved up front: one allocation each, so no
     * realloc frees an unwiped copy of it. */
    {
        failmalloc_t fm;
        kube_mem_t mem = failmalloc_mem(&fm);
        kube_buf_t t, h;
        char key[KUBE_WS_KEY_LEN + 1];
        const char *protos[3] = {NULL, NULL, "v4.channel.k8s.io"};
        char longtok[600];
        memset(longtok, 'k', sizeof longtok - 1);
        longtok[sizeof longtok - 1] = 0;
        failmalloc_reset(&fm, -1);
        kube_buf_init(&t, &mem);
        ck_assert_int_eq(kube_channel_bearer_protocol(&t, longtok), KUBE_OK);
        ck_assert_int_eq(fm.calls, 1);
        kube_buf_init(&h, &mem);
        kube_websocket_client_key(key, (const uint8_t *)"0123456789abcdef");
        protos[0] = "v5.channel.k8s.io";
        protos[1] = t.ptr; /* the secret is not last: later appends must not realloc */
        ck_assert_int_eq(kube_websocket_client_headers(&h, key, protos, 3), KUBE_OK);
        ck_assert_int_eq(fm.calls, 2);
        kube_buf_dispose(&h);
        kube_buf_dispose(&t);
        ck_assert_int_eq(fm.live, 0);
    }
    ck_assert_int_eq(kube_channel_bearer_protocol(&b, ""), KUBE_EINVAL);
    ck_assert_int_eq(kube_channel_bearer_protocol(&b, NULL), KUBE_EINVAL);
    kube_buf_dispose(&b);
}
END_TEST

/* Encode then decode every channel on every protocol. */
START_TEST(round_trips)
{
    kube_buf_t b, scratch;
    kube_websocket_opcode_t op;
    kube_channel_message_t m;
    static const uint8_t payload[] = {0, 1, 2, 'h', 'i', 0xff, 0x80, '\n'};
    kube_buf_init(&b, NULL);
    kube_buf_init(&scratch, NULL);
    for (int p = 0; p < 7; p++) {
        int b64 = p == KUBE_CHANNEL_V4_BASE64 || p == KUBE_CHANNEL_V1_BASE64;
        for (unsigned ch = 0; ch < (b64 ? 80u : 256u); ch += (b64 ? 1 : 17)) {
            for (size_t len = 0; len <= sizeof payload; len++) {
                kube_buf_clear(&b);
                ck_assert_int_eq(kube_channel_encode(&b, &op, (kube_channel_protocol_t)p, ch, payload, len), KUBE_OK);
                ck_assert_int_eq(op, b64 ? KUBE_WS_OP_TEXT : KUBE_WS_OP_BINARY);
                ck_assert_int_eq(kube_channel_decode(&m, &scratch, (kube_channel_protocol_t)p, op,
                                                     (const uint8_t *)b.ptr, b.size),
                                 KUBE_OK);
                ck_assert_uint_eq(m.channel, ch);
                ck_assert_uint_eq(m.len, len);
                ck_assert_int_eq(memcmp(m.data, payload, len), 0);
            }
        }
    }
    /* Exact bytes. */
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_channel_encode(&b, &op, KUBE_CHANNEL_V5, KUBE_CHANNEL_STDIN, (const uint8_t *)"ls\n", 3),
                     KUBE_OK);
    ck_assert_uint_eq(b.size, 4);
    ck_assert_int_eq(memcmp(b.ptr, "\0ls\n", 4), 0);
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_channel_encode(&b, &op, KUBE_CHANNEL_V4_BASE64, KUBE_CHANNEL_STDIN,
                                         (const uint8_t *)"ls\n", 3),
                     KUBE_OK);
    ck_assert_str_eq(b.ptr, "0bHMK");
    /* The server's initial empty frame on stdout. */
    ck_assert_int_eq(kube_channel_decode(&m, NULL, KUBE_CHANNEL_V4, KUBE_WS_OP_BINARY, (const uint8_t *)"\x01", 1),
                     KUBE_OK);
    ck_assert_uint_eq(m.channel, 1);
    ck_assert_uint_eq(m.len, 0);
    ck_assert_int_eq(kube_channel_decode(&m, &scratch, KUBE_CHANNEL_V4_BASE64, KUBE_WS_OP_TEXT,
                                         (const uint8_t *)"1aGVsbG8=", 9),
                     KUBE_OK);
    ck_assert_uint_eq(m.channel, 1);
    ck_assert_uint_eq(m.len, 5);
    ck_assert_int_eq(memcmp(m.data, "hello", 5), 0);
    kube_buf_dispose(&b);
    kube_buf_dispose(&scratch);
}
END_TEST

START_TEST(resize_and_close)
{
    kube_buf_t b;
    kube_websocket_opcode_t op;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_channel_encode_resize(&b, &op, KUBE_CHANNEL_V5, 80, 24), KUBE_OK);
    ck_assert_int_eq(op, KUBE_WS_OP_BINARY);
    ck_assert_uint_eq(b.size, 1 + strlen("{\"Width\":80,\"Height\":24}"));
    ck_assert_int_eq(b.ptr[0], 4);
    ck_assert_str_eq(b.ptr + 1, "{\"Width\":80,\"Height\":24}");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_channel_encode_resize(&b, &op, KUBE_CHANNEL_V4_BASE64, 65535, 0), KUBE_OK);
    ck_assert_int_eq(op, KUBE_WS_OP_TEXT);
    /* base64 of {"Width":65535,"Height":0} */
    ck_assert_str_eq(b.ptr, "4eyJXaWR0aCI6NjU1MzUsIkhlaWdodCI6MH0=");
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_channel_encode_resize(&b, &op, KUBE_CHANNEL_V3, 1, 2), KUBE_OK);
    ck_assert_int_eq(kube_channel_encode_resize(&b, &op, KUBE_CHANNEL_V2, 1, 2), KUBE_EUNSUPPORTED);
    ck_assert_int_eq(kube_channel_encode_resize(&b, &op, KUBE_CHANNEL_V1, 1, 2), KUBE_EUNSUPPORTED);
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_channel_encode_close(&b, &op, KUBE_CHANNEL_V5, KUBE_CHANNEL_STDIN), KUBE_OK);
    ck_assert_int_eq(op, KUBE_WS_OP_BINARY);
    ck_assert_uint_eq(b.size, 2);
    ck_assert_int_eq((uint8_t)b.ptr[0], 255);
    ck_assert_int_eq(b.ptr[1], 0);
    ck_assert_int_eq(kube_channel_encode_close(&b, &op, KUBE_CHANNEL_V4, 0), KUBE_EUNSUPPORTED);
    ck_assert_int_eq(kube_channel_encode_close(&b, &op, KUBE_CHANNEL_V5, 255), KUBE_EINVAL);
    ck_assert_uint_eq(b.size, 2);
    kube_buf_dispose(&b);
}
END_TEST

START_TEST(decode_errors)
{
    kube_buf_t s;
    kube_channel_message_t m;
    kube_websocket_opcode_t op;
    kube_buf_init(&s, NULL);
    ck_assert_int_eq(kube_channel_decode(&m, NULL, KUBE_CHANNEL_V4, KUBE_WS_OP_BINARY, (const uint8_t *)"", 0),
                     KUBE_EPROTO);
    ck_assert_int_eq(kube_channel_decode(&m, NULL, KUBE_CHANNEL_V4, KUBE_WS_OP_TEXT, (const uint8_t *)"1a", 2),
                     KUBE_EPROTO);
    ck_assert_int_eq(kube_channel_decode(&m, &s, KUBE_CHANNEL_V4_BASE64, KUBE_WS_OP_BINARY,
                                         (const uint8_t *)"1aGk=", 5),
                     KUBE_EPROTO);
    ck_assert_int_eq(kube_channel_decode(&m, &s, KUBE_CHANNEL_V4_BASE64, KUBE_WS_OP_TEXT, (const uint8_t *)"1aGk", 4),
                     KUBE_EPROTO);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "offset"));
    ck_assert_int_eq(kube_channel_decode(&m, &s, KUBE_CHANNEL_V4_BASE64, KUBE_WS_OP_TEXT,
                                         (const uint8_t *)"/aGk=", 5),
                     KUBE_EPROTO);
    ck_assert_int_eq(kube_channel_decode(&m, NULL, KUBE_CHANNEL_V4_BASE64, KUBE_WS_OP_TEXT,
                                         (const uint8_t *)"1aGk=", 5),
                     KUBE_EINVAL);
    ck_assert_int_eq(kube_channel_decode(&m, NULL, (kube_channel_protocol_t)9, KUBE_WS_OP_BINARY,
                                         (const uint8_t *)"1", 1),
                     KUBE_EINVAL);
    ck_assert_int_eq(kube_channel_encode(&s, &op, KUBE_CHANNEL_V4_BASE64, 80, NULL, 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_channel_encode(&s, &op, KUBE_CHANNEL_V4, 256, NULL, 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_channel_encode(&s, &op, KUBE_CHANNEL_V4, 1, NULL, 3), KUBE_EINVAL);
    kube_buf_dispose(&s);
}
END_TEST

/* base64 decoding into a scratch buffer whose allocations fail: ENOMEM, then success. */
START_TEST(decode_out_of_memory)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    kube_buf_t scratch;
    kube_channel_message_t m;
    kube_channel_portforward_t *pf = NULL;
    kube_channel_port_message_t pm;
    static const uint16_t ports[] = {8080};
    failmalloc_reset(&fm, 0);
    kube_buf_init(&scratch, &mem);
    ck_assert_int_eq(kube_channel_decode(&m, &scratch, KUBE_CHANNEL_V4_BASE64, KUBE_WS_OP_TEXT,
                                         (const uint8_t *)"1aGVsbG8=", 9),
                     KUBE_ENOMEM);
    ck_assert_int_eq(fm.live, 0);
    ck_assert_int_eq(kube_channel_portforward_new(&pf, ports, 1, NULL), KUBE_OK);
    failmalloc_reset(&fm, 0); /* nothing is live: the failed decode allocated nothing */
    ck_assert_int_eq(kube_channel_portforward_decode(&pm, pf, &scratch, KUBE_CHANNEL_V4_BASE64, KUBE_WS_OP_TEXT,
                                                     (const uint8_t *)"0kB8=", 5),
                     KUBE_ENOMEM);
    fm.fail_at = -1;
    ck_assert_int_eq(kube_channel_decode(&m, &scratch, KUBE_CHANNEL_V4_BASE64, KUBE_WS_OP_TEXT,
                                         (const uint8_t *)"1aGVsbG8=", 9),
                     KUBE_OK);
    ck_assert_uint_eq(m.len, 5);
    /* 0x90 0x1f is port 8080: a header-only message */
    ck_assert_int_eq(kube_channel_portforward_decode(&pm, pf, &scratch, KUBE_CHANNEL_V4_BASE64, KUBE_WS_OP_TEXT,
                                                     (const uint8_t *)"0kB8=", 5),
                     KUBE_OK);
    ck_assert_uint_eq(pm.len, 0);
    ck_assert_uint_eq(pm.port, 8080);
    kube_channel_portforward_free(pf);
    kube_buf_dispose(&scratch);
    ck_assert_int_eq(fm.live, 0);
}
END_TEST

/* The exact Status payloads of apiserver-spec section 9. */
START_TEST(exit_status)
{
    int code = -7;
    const char *ok = "{\"metadata\":{},\"status\":\"Success\"}";
    const char *nonzero = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit "
                          "code: error executing command [sh -c exit 3], exit code 3\",\"reason\":\"NonZeroExitCode\","
                          "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}";
    const char *internal = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"container c not found\","
                           "\"reason\":\"InternalError\",\"code\":500}";
    const char *nocause = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"x\",\"reason\":\"NonZeroExitCode\","
                          "\"details\":{\"causes\":[{\"reason\":\"Other\",\"message\":\"3\"}]}}";
    const char *badcause = "{\"metadata\":{},\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\","
                           "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3x\"}]}}";
    const char *failure = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"something broke\"}";
    for (int p = 0; p < 3; p++) {
        kube_channel_protocol_t proto = (kube_channel_protocol_t)p; /* v5, v4, v4.base64 */
        code = -7;
        ck_assert_int_eq(kube_channel_exit_status(&code, proto, (const uint8_t *)ok, strlen(ok), NULL), KUBE_OK);
        ck_assert_int_eq(code, 0);
        ck_assert_int_eq(kube_channel_exit_status(&code, proto, (const uint8_t *)nonzero, strlen(nonzero), NULL),
                         KUBE_OK);
        ck_assert_int_eq(code, 3);
        ck_assert_int_eq(kube_channel_exit_status(&code, proto, (const uint8_t *)internal, strlen(internal), NULL),
                         KUBE_ESERVER);
        ck_assert_str_eq(kube_error_last()->message, "container c not found");
        ck_assert_str_eq(kube_error_last()->reason, "InternalError");
        ck_assert_int_eq(kube_channel_exit_status(&code, proto, (const uint8_t *)nocause, strlen(nocause), NULL),
                         KUBE_EPROTO);
        ck_assert_int_eq(kube_channel_exit_status(&code, proto, (const uint8_t *)badcause, strlen(badcause), NULL),
                         KUBE_EPROTO);
        ck_assert_int_eq(kube_channel_exit_status(&code, proto, (const uint8_t *)failure, strlen(failure), NULL),
                         KUBE_ERROR);
        ck_assert_str_eq(kube_error_last()->message, "something broke");
        ck_assert_int_eq(kube_channel_exit_status(&code, proto, (const uint8_t *)"oops", 4, NULL), KUBE_EPROTO);
    }
    /* Pre-v4: plain text errors, nothing on success. */
    code = -7;
    ck_assert_int_eq(kube_channel_exit_status(&code, KUBE_CHANNEL_V1, NULL, 0, NULL), KUBE_OK);
    ck_assert_int_eq(code, 0);
    ck_assert_int_eq(kube_channel_exit_status(&code, KUBE_CHANNEL_V3, (const uint8_t *)"exec failed: no sh", 18,
                                              NULL),
                     KUBE_ERROR);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "exec failed: no sh"));
    ck_assert_int_eq(kube_channel_exit_status(NULL, KUBE_CHANNEL_V4, NULL, 0, NULL), KUBE_EINVAL);
    /* Under failing allocations: ENOMEM, no leak, until it succeeds. */
    {
        failmalloc_t fm;
        kube_mem_t mem = failmalloc_mem(&fm);
        kube_error_t rc;
        long n = 0;
        do {
            failmalloc_reset(&fm, n++);
            rc = kube_channel_exit_status(&code, KUBE_CHANNEL_V5, (const uint8_t *)nonzero, strlen(nonzero), &mem);
            ck_assert(rc == KUBE_OK || rc == KUBE_ENOMEM);
            ck_assert_int_eq(fm.live, 0);
        } while (rc == KUBE_ENOMEM && n < 100);
        ck_assert_int_eq(rc, KUBE_OK);
        ck_assert_int_eq(code, 3);
        ck_assert_int_gt(n, 1);
    }
}
END_TEST

/* Exec over a real codec pair: the server writes stdout and status, the client decodes. */
static int mask4(uint8_t key[4], void *ud)
{
    (void)ud;
    memcpy(key, "\x11\x22\x33\x44", 4);
    return 0;
}

START_TEST(exec_over_websocket)
{
    kube_websocket_opts_t o = KUBE_WEBSOCKET_OPTS_INIT;
    kube_websocket_t *cl = NULL, *sv = NULL;
    kube_buf_t b, scratch;
    kube_websocket_opcode_t op;
    kube_websocket_message_t wm;
    kube_channel_message_t cm;
    const uint8_t *out;
    size_t n;
    int exit_code = -1;
    const char *status = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero "
                         "exit code: exit 7\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":"
                         "\"ExitCode\",\"message\":\"7\"}]}}";
    o.mask = mask4;
    ck_assert_int_eq(kube_websocket_new(&cl, KUBE_WS_ROLE_CLIENT, &o), KUBE_OK);
    ck_assert_int_eq(kube_websocket_new(&sv, KUBE_WS_ROLE_SERVER, NULL), KUBE_OK);
    kube_buf_init(&b, NULL);
    kube_buf_init(&scratch, NULL);
    for (int p = 0; p < 3; p++) {
        kube_channel_protocol_t proto = (kube_channel_protocol_t)p;
        /* client -> server: stdin */
        kube_buf_clear(&b);
        ck_assert_int_eq(kube_channel_encode(&b, &op, proto, KUBE_CHANNEL_STDIN, (const uint8_t *)"echo", 4), KUBE_OK);
        ck_assert_int_eq(kube_websocket_send(cl, op, (const uint8_t *)b.ptr, b.size, 0), KUBE_OK);
        n = kube_websocket_output(cl, &out);
        ck_assert_int_eq(kube_websocket_feed(sv, out, n), KUBE_OK);
        kube_websocket_output_consume(cl, n);
        ck_assert_int_eq(kube_websocket_next(sv, &wm), KUBE_OK);
        ck_assert_int_eq(kube_channel_decode(&cm, &scratch, proto, wm.opcode, wm.data, wm.len), KUBE_OK);
        ck_assert_uint_eq(cm.channel, KUBE_CHANNEL_STDIN);
        ck_assert_uint_eq(cm.len, 4);
        /* server -> client: stdout then status */
        kube_buf_clear(&b);
        ck_assert_int_eq(kube_channel_encode(&b, &op, proto, KUBE_CHANNEL_STDOUT, (const uint8_t *)"echo", 4),
                         KUBE_OK);
        ck_assert_int_eq(kube_websocket_send(sv, op, (const uint8_t *)b.ptr, b.size, 0), KUBE_OK);
        kube_buf_clear(&b);
        ck_assert_int_eq(kube_channel_encode(&b, &op, proto, KUBE_CHANNEL_ERROR, (const uint8_t *)status,
                                             strlen(status)),
                         KUBE_OK);
        ck_assert_int_eq(kube_websocket_send(sv, op, (const uint8_t *)b.ptr, b.size, 0), KUBE_OK);
        n = kube_websocket_output(sv, &out);
        ck_assert_int_eq(kube_websocket_feed(cl, out, n), KUBE_OK);
        kube_websocket_output_consume(sv, n);
        ck_assert_int_eq(kube_websocket_next(cl, &wm), KUBE_OK);
        ck_assert_int_eq(kube_channel_decode(&cm, &scratch, proto, wm.opcode, wm.data, wm.len), KUBE_OK);
        ck_assert_uint_eq(cm.channel, KUBE_CHANNEL_STDOUT);
        ck_assert_int_eq(memcmp(cm.data, "echo", 4), 0);
        ck_assert_int_eq(kube_websocket_next(cl, &wm), KUBE_OK);
        ck_assert_int_eq(kube_channel_decode(&cm, &scratch, proto, wm.opcode, wm.data, wm.len), KUBE_OK);
        ck_assert_uint_eq(cm.channel, KUBE_CHANNEL_ERROR);
        ck_assert_int_eq(kube_channel_exit_status(&exit_code, proto, cm.data, cm.len, NULL), KUBE_OK);
        ck_assert_int_eq(exit_code, 7);
    }
    kube_buf_dispose(&b);
    kube_buf_dispose(&scratch);
    kube_websocket_free(cl);
    kube_websocket_free(sv);
}
END_TEST

START_TEST(portforward)
{
    static const uint16_t ports[] = {8080, 9090};
    kube_channel_portforward_t *pf = NULL;
    kube_channel_port_message_t m;
    kube_buf_t b, scratch;
    kube_websocket_opcode_t op;
    kube_buf_init(&b, NULL);
    kube_buf_init(&scratch, NULL);
    ck_assert_int_eq(kube_channel_portforward_new(&pf, ports, 2, NULL), KUBE_OK);
    /* Port headers: 8080 = 0x1F90 little-endian on channel 0, whole. */
    ck_assert_int_eq(kube_channel_portforward_decode(&m, pf, NULL, KUBE_CHANNEL_V4, KUBE_WS_OP_BINARY,
                                                     (const uint8_t *)"\x00\x90\x1f", 3),
                     KUBE_OK);
    ck_assert_uint_eq(m.port_index, 0);
    ck_assert_uint_eq(m.port, 8080);
    ck_assert_int_eq(m.is_error, 0);
    ck_assert_uint_eq(m.len, 0);
    /* Error channel 1: header split over two messages, then text in the second. */
    ck_assert_int_eq(kube_channel_portforward_decode(&m, pf, NULL, KUBE_CHANNEL_V4, KUBE_WS_OP_BINARY,
                                                     (const uint8_t *)"\x01\x90", 2),
                     KUBE_OK);
    ck_assert_uint_eq(m.len, 0);
    ck_assert_int_eq(kube_channel_portforward_decode(&m, pf, NULL, KUBE_CHANNEL_V4, KUBE_WS_OP_BINARY,
                                                     (const uint8_t *)"\x01\x1f" "refused", 9),
                     KUBE_OK);
    ck_assert_int_eq(m.is_error, 1);
    ck_assert_uint_eq(m.len, 7);
    ck_assert_int_eq(memcmp(m.data, "refused", 7), 0);
    /* Data after the header passes through untouched, even bytes that look like a header. */
    ck_assert_int_eq(kube_channel_portforward_decode(&m, pf, NULL, KUBE_CHANNEL_V4, KUBE_WS_OP_BINARY,
                                                     (const uint8_t *)"\x00\x90\x1fxy", 5),
                     KUBE_OK);
    ck_assert_uint_eq(m.len, 4);
    ck_assert_int_eq(memcmp(m.data, "\x90\x1fxy", 4), 0);
    /* Second port (9090 = 0x2382) header with data in the same message, base64 form. */
    kube_channel_portforward_free(pf);
    ck_assert_int_eq(kube_channel_portforward_new(&pf, ports, 2, NULL), KUBE_OK);
    ck_assert_int_eq(kube_channel_encode(&b, &op, KUBE_CHANNEL_V4_BASE64, 2, (const uint8_t *)"\x82\x23" "GET", 5),
                     KUBE_OK);
    ck_assert_int_eq(kube_channel_portforward_decode(&m, pf, &scratch, KUBE_CHANNEL_V4_BASE64, op,
                                                     (const uint8_t *)b.ptr, b.size),
                     KUBE_OK);
    ck_assert_uint_eq(m.port_index, 1);
    ck_assert_uint_eq(m.port, 9090);
    ck_assert_uint_eq(m.len, 3);
    ck_assert_int_eq(memcmp(m.data, "GET", 3), 0);
    /* Wrong port in a header; a channel beyond the ports. */
    ck_assert_int_eq(kube_channel_portforward_decode(&m, pf, NULL, KUBE_CHANNEL_V4, KUBE_WS_OP_BINARY,
                                                     (const uint8_t *)"\x00\x91\x1f", 3),
                     KUBE_EPROTO);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "expected 8080"));
    ck_assert_int_eq(kube_channel_portforward_decode(&m, pf, NULL, KUBE_CHANNEL_V4, KUBE_WS_OP_BINARY,
                                                     (const uint8_t *)"\x04zz", 3),
                     KUBE_EPROTO);
    /* Client data goes to channel 2i without a header. */
    kube_buf_clear(&b);
    ck_assert_int_eq(kube_channel_portforward_encode(&b, &op, KUBE_CHANNEL_V4, 1, (const uint8_t *)"hi", 2), KUBE_OK);
    ck_assert_uint_eq(b.size, 3);
    ck_assert_int_eq(memcmp(b.ptr, "\x02hi", 3), 0);
    ck_assert_int_eq(kube_channel_portforward_encode(&b, &op, KUBE_CHANNEL_V4, 128, NULL, 0), KUBE_EINVAL);
    kube_channel_portforward_free(pf);
    kube_channel_portforward_free(NULL);
    /* Construction rules and OOM. */
    {
        static const uint16_t zero[] = {80, 0};
        uint16_t many[129];
        failmalloc_t fm;
        kube_mem_t mem = failmalloc_mem(&fm);
        kube_error_t rc;
        long n = 0;
        for (int i = 0; i < 129; i++)
            many[i] = (uint16_t)(i + 1);
        ck_assert_int_eq(kube_channel_portforward_new(&pf, zero, 2, NULL), KUBE_EINVAL);
        ck_assert_int_eq(kube_channel_portforward_new(&pf, many, 129, NULL), KUBE_EINVAL);
        ck_assert_int_eq(kube_channel_portforward_new(&pf, many, 0, NULL), KUBE_EINVAL);
        do {
            pf = NULL;
            failmalloc_reset(&fm, n++);
            rc = kube_channel_portforward_new(&pf, many, 128, &mem);
            if (rc) {
                ck_assert_int_eq(rc, KUBE_ENOMEM);
                ck_assert_ptr_null(pf);
                ck_assert_int_eq(fm.live, 0);
            }
        } while (rc == KUBE_ENOMEM);
        ck_assert_int_eq(rc, KUBE_OK);
        ck_assert_int_gt(n, 3);
        kube_channel_portforward_free(pf);
        ck_assert_int_eq(fm.live, 0);
    }
    kube_buf_dispose(&b);
    kube_buf_dispose(&scratch);
}
END_TEST

Suite *kube_test_channel_suite(void)
{
    Suite *s = suite_create("channel");
    TCase *tc = tcase_create("channel");
    tcase_add_test(tc, protocol_names);
    tcase_add_test(tc, offer_and_bearer);
    tcase_add_test(tc, round_trips);
    tcase_add_test(tc, resize_and_close);
    tcase_add_test(tc, decode_errors);
    tcase_add_test(tc, decode_out_of_memory);
    tcase_add_test(tc, exit_status);
    tcase_add_test(tc, exec_over_websocket);
    tcase_add_test(tc, portforward);
    suite_add_tcase(s, tc);
    return s;
}
