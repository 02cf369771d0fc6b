/* Bearer-token authentication against kube-emulator --token: the Authorization header
 * set with kcore's header API, 401 through the Status decoder, token expiry, a
 * TokenRequest made with kcore's builder, and exec over WebSocket authenticated by the
 * bearer subprotocol (kcore's channel.h) alone. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <kube/channel.h>
#include <kube/object.h>
#include <kube/request.h>
#include <kube/websocket.h>

#include "itest.h"

#define TOKEN "itest-token-0123456789"

static void bearer(kube_http_request_t *r, const char *token)
{
    char v[600];
    snprintf(v, sizeof v, "Bearer %s", token);
    ck_assert_int_eq(kube_http_request_set_header(r, "Authorization", v), KUBE_OK);
}

static int get_ns_status(const char *token, kube_error_t *code)
{
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_get(&r, itest_res("namespaces"), NULL, "default", NULL), KUBE_OK);
    if (token)
        bearer(&r, token);
    http_resp_t resp;
    itest_call(&r, &resp);
    kube_error_clear();
    *code = kube_status_classify(NULL, resp.status, resp.content_type, resp.body.ptr, resp.body.size, NULL);
    int st = resp.status;
    http_resp_dispose(&resp);
    kube_http_request_dispose(&r);
    return st;
}

START_TEST(bearer_tokens)
{
    http_min_set_default_headers(NULL);
    kube_error_t code;
    /* no credentials, a wrong token: 401 Unauthorized */
    ck_assert_int_eq(get_ns_status(NULL, &code), 401);
    ck_assert_int_eq(code, KUBE_EUNAUTHORIZED);
    ck_assert_str_eq(kube_error_last()->message, "Unauthorized");
    ck_assert_str_eq(kube_error_last()->reason, "Unauthorized");
    ck_assert_int_eq(get_ns_status("wrong", &code), 401);
    ck_assert_int_eq(code, KUBE_EUNAUTHORIZED);
    /* the right one */
    ck_assert_int_eq(get_ns_status(TOKEN, &code), 200);
    ck_assert_int_eq(code, KUBE_OK);
    /* set_header replaces, it does not add a second Authorization */
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_get(&r, itest_res("namespaces"), NULL, "default", NULL), KUBE_OK);
    bearer(&r, "wrong");
    bearer(&r, TOKEN);
    kube_json_doc_free(itest_expect(&r, 200));

    /* tokens expire; a new one from the control API works */
    kube_json_doc_free(itest_control("POST", "/_emulator/tokens/expire", "{}", 200));
    ck_assert_int_eq(get_ns_status(TOKEN, &code), 401);
    kube_json_doc_t *t = itest_control("POST", "/_emulator/tokens", "{\"token\":\"" TOKEN "-2\"}", 200);
    ck_assert_str_eq(kube_json_string(kube_json_get(kube_json_doc_root(t), "token")), TOKEN "-2");
    kube_json_doc_free(t);
    ck_assert_int_eq(get_ns_status(TOKEN "-2", &code), 200);
    kube_http_request_dispose(&r);
}
END_TEST

START_TEST(token_request)
{
    kube_json_doc_free(itest_control("POST", "/_emulator/tokens", "{\"token\":\"" TOKEN "-2\"}", 200));
    http_min_set_default_headers("Authorization: Bearer " TOKEN "-2\r\n");
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    kube_token_request_params_t tp = KUBE_TOKEN_REQUEST_PARAMS_INIT;
    static const char *const aud[] = {"https://kubernetes.default.svc"};
    tp.audiences = aud;
    tp.audience_count = 1;
    tp.expiration_seconds = 3600;
    ck_assert_int_eq(kube_request_create_token(&r, "default", "default", &tp), KUBE_OK);
    kube_json_doc_t *d = itest_expect(&r, 201);
    const char *tok = kube_json_string(kube_json_pointer(kube_json_doc_root(d), "/status/token"));
    ck_assert_ptr_nonnull(tok);
    ck_assert_str_eq(kube_object_kind(kube_json_doc_root(d)), "TokenRequest");
    ck_assert_ptr_nonnull(kube_json_pointer(kube_json_doc_root(d), "/status/expirationTimestamp"));
    /* the service account's token authenticates too */
    kube_error_t code;
    http_min_set_default_headers(NULL);
    ck_assert_int_eq(get_ns_status(tok, &code), 200);
    /* a missing service account: 404 */
    http_min_set_default_headers("Authorization: Bearer " TOKEN "-2\r\n");
    ck_assert_int_eq(kube_request_create_token(&r, "default", "ghost", &tp), KUBE_OK);
    kube_status_free(itest_expect_error(&r, 404, KUBE_ENOTFOUND, "NotFound", "\"ghost\" not found"));
    kube_json_doc_free(d);
    kube_http_request_dispose(&r);
    http_min_set_default_headers(NULL);
}
END_TEST

static int mask_cb(uint8_t key[4], void *ud)
{
    (void)ud;
    uint64_t v = http_min_rand();
    memcpy(key, &v, 4);
    return 0;
}

/* exec with the token only in the bearer subprotocol; returns the HTTP status of the upgrade */
static int exec_with_subprotocol(const char *ns, const char *token, kube_buf_t *stdout_out)
{
    static const char *const argv[] = {"echo", "authenticated"};
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    ck_assert_int_eq(kube_request_exec(&req, ns, "p", argv, 2, NULL), KUBE_OK);
    uint8_t nonce[16];
    for (int i = 0; i < 16; i++)
        nonce[i] = (uint8_t)http_min_rand();
    char key[KUBE_WS_KEY_LEN + 1];
    ck_assert_int_eq(kube_websocket_client_key(key, nonce), KUBE_OK);
    size_t n;
    const char *const *offer = kube_channel_offer(0, &n);
    kube_buf_t bp;
    kube_buf_init(&bp, NULL);
    ck_assert_int_eq(kube_channel_bearer_protocol(&bp, token), KUBE_OK);
    const char *prot[3] = {offer[0], offer[1], bp.ptr};
    kube_buf_t hdr;
    kube_buf_init(&hdr, NULL);
    ck_assert_int_eq(kube_websocket_client_headers(&hdr, key, prot, 3), KUBE_OK);
    int fd = http_min_connect(itest_port);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(http_min_send(fd, itest_port, &req, hdr.ptr, 1), 0);
    kube_buf_t in;
    kube_buf_init(&in, NULL);
    kube_websocket_response_t resp;
    kube_error_t rc;
    while ((rc = kube_websocket_client_response(&resp, (const uint8_t *)in.ptr, in.size, key, prot, 3)) ==
           KUBE_EAGAIN) {
        char buf[2048];
        struct pollfd p = {fd, POLLIN, 0};
        ck_assert_int_gt(poll(&p, 1, 10000), 0);
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        ck_assert_int_gt(r, 0);
        kube_buf_put(&in, buf, (size_t)r);
    }
    int status = resp.status;
    if (rc == KUBE_OK) {
        /* the server never selects the bearer protocol */
        ck_assert_int_eq(resp.protocol, 0);
        kube_websocket_opts_t opts = KUBE_WEBSOCKET_OPTS_INIT;
        opts.mask = mask_cb;
        kube_websocket_t *ws;
        ck_assert_int_eq(kube_websocket_new(&ws, KUBE_WS_ROLE_CLIENT, &opts), KUBE_OK);
        kube_websocket_feed(ws, (const uint8_t *)in.ptr + resp.head_len, in.size - resp.head_len);
        int closed = 0;
        while (!closed) {
            kube_websocket_message_t m;
            kube_error_t nr;
            while ((nr = kube_websocket_next(ws, &m)) == KUBE_OK) {
                if (m.opcode == KUBE_WS_OP_CLOSE) {
                    closed = 1;
                    continue;
                }
                kube_channel_message_t cm;
                ck_assert_int_eq(kube_channel_decode(&cm, NULL, KUBE_CHANNEL_V5, m.opcode, m.data, m.len), KUBE_OK);
                if (cm.channel == KUBE_CHANNEL_STDOUT)
                    kube_buf_put(stdout_out, cm.data, cm.len);
            }
            ck_assert_int_eq(nr, KUBE_EAGAIN);
            if (closed)
                break;
            char buf[2048];
            struct pollfd p = {fd, POLLIN, 0};
            ck_assert_int_gt(poll(&p, 1, 10000), 0);
            ssize_t r = recv(fd, buf, sizeof buf, 0);
            ck_assert_int_gt(r, 0);
            ck_assert_int_eq(kube_websocket_feed(ws, (const uint8_t *)buf, (size_t)r), KUBE_OK);
        }
        const uint8_t *o;
        size_t on = kube_websocket_output(ws, &o);
        if (on)
            ck_assert_int_eq(send(fd, o, on, MSG_NOSIGNAL), (ssize_t)on);
        ck_assert_int_eq(kube_websocket_state(ws), KUBE_WS_STATE_CLOSED);
        kube_websocket_free(ws);
    } else {
        ck_assert_msg(rc == KUBE_EUNAUTHORIZED, "upgrade refused with HTTP %d (%s): %.300s", resp.status,
                      kube_error_name(rc), in.ptr + resp.head_len);
    }
    close(fd);
    kube_buf_dispose(&in);
    kube_buf_dispose(&hdr);
    kube_buf_dispose(&bp);
    kube_http_request_dispose(&req);
    return status;
}

START_TEST(websocket_bearer_subprotocol)
{
    http_min_set_default_headers("Authorization: Bearer " TOKEN "-3\r\n");
    kube_json_doc_free(itest_control("POST", "/_emulator/tokens", "{\"token\":\"" TOKEN "-3\"}", 200));
    char ns[64];
    itest_make_ns("auth", ns, sizeof ns);
    const char *pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":"
                      "{\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\"}]}}";
    kube_http_request_t r;
    kube_http_request_init(&r, NULL);
    ck_assert_int_eq(kube_request_create(&r, itest_res("pods"), ns, NULL, kube_body_bytes(pod, strlen(pod))), KUBE_OK);
    kube_json_doc_free(itest_expect(&r, 201));
    /* exec needs a running container: wait for the emulated kubelet */
    ck_assert_int_eq(kube_request_get(&r, itest_res("pods"), ns, "p", NULL), KUBE_OK);
    int64_t deadline = http_min_now_ms() + 10000;
    for (;;) {
        kube_json_doc_t *d = itest_expect(&r, 200);
        int running = kube_json_string_eq(kube_json_pointer(kube_json_doc_root(d), "/status/phase"), "Running");
        kube_json_doc_free(d);
        if (running)
            break;
        ck_assert_msg(http_min_now_ms() < deadline, "the pod never became Running");
        poll(NULL, 0, 50);
    }
    kube_http_request_dispose(&r);
    kube_buf_t out;
    kube_buf_init(&out, NULL);
    ck_assert_int_eq(exec_with_subprotocol(ns, TOKEN "-3", &out), 101);
    ck_assert_str_eq(out.ptr, "authenticated\n");
    kube_buf_clear(&out);
    ck_assert_int_eq(exec_with_subprotocol(ns, "not-a-valid-token", &out), 401);
    kube_buf_dispose(&out);
    http_min_set_default_headers(NULL);
}
END_TEST

static Suite *auth_suite(void)
{
    Suite *s = suite_create("integration-auth");
    TCase *tc = itest_tcase("auth", 60);
    tcase_add_test(tc, bearer_tokens);
    tcase_add_test(tc, token_request);
    tcase_add_test(tc, websocket_bearer_subprotocol);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    static const char *const args[] = {"--token", TOKEN, NULL};
    return itest_main(auth_suite(), args);
}
