/* exec and port-forward over WebSocket with kcore's RFC 6455 codec (client role, masking
 * keys from the test's generator) and channel codecs, and pod logs through the log request
 * builder, against kube-emulator's scripted container. Received bytes reach the codec in
 * random pieces. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <kube/channel.h>
#include <kube/object.h>
#include <kube/request.h>
#include <kube/websocket.h>

#include "itest.h"

static char g_ns[64];

static int mask_cb(uint8_t key[4], void *ud)
{
    (void)ud;
    uint64_t r = http_min_rand();
    memcpy(key, &r, 4);
    return 0;
}

typedef struct wsc {
    int fd;
    kube_websocket_t *ws;
    kube_channel_protocol_t proto;
    const char *proto_name;
    int got_close;
    uint16_t close_code;
    int pongs;
    kube_buf_t out[4];   /* channels 0..3 as received */
    int status_seen;
    kube_channel_portforward_t *pf;
    kube_buf_t pf_data[2], pf_err[2];
    kube_buf_t scratch; /* base64 protocols */
} wsc_t;

static void ws_flush(wsc_t *c)
{
    const uint8_t *p;
    size_t n;
    while ((n = kube_websocket_output(c->ws, &p)) > 0) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        ck_assert_msg(w > 0, "send: %s", strerror(errno));
        kube_websocket_output_consume(c->ws, (size_t)w);
    }
}

/* Upgrade: returns 0 and a connected codec, or the HTTP status of a refused upgrade
 * (with *code the kube_error_t the handshake check gave and body the answer's body). */
static int ws_open_with(wsc_t *c, const kube_http_request_t *req, const char *const *prot, size_t nprot,
                        kube_error_t *code, kube_buf_t *body)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < 4; i++)
        kube_buf_init(&c->out[i], NULL);
    for (int i = 0; i < 2; i++) {
        kube_buf_init(&c->pf_data[i], NULL);
        kube_buf_init(&c->pf_err[i], NULL);
    }
    ck_assert_uint_ne(req->flags & KUBE_HTTP_UPGRADE, 0);
    uint8_t nonce[16];
    for (int i = 0; i < 16; i++)
        nonce[i] = (uint8_t)http_min_rand();
    char key[KUBE_WS_KEY_LEN + 1];
    ck_assert_int_eq(kube_websocket_client_key(key, nonce), KUBE_OK);
    kube_buf_init(&c->scratch, NULL);
    kube_buf_t hdr;
    kube_buf_init(&hdr, NULL);
    ck_assert_int_eq(kube_websocket_client_headers(&hdr, key, prot, nprot), KUBE_OK);
    c->fd = http_min_connect(itest_port);
    ck_assert_msg(c->fd >= 0, "%s", http_min_error());
    ck_assert_int_eq(http_min_send(c->fd, itest_port, req, hdr.ptr, 1), 0);
    kube_buf_dispose(&hdr);

    kube_buf_t in;
    kube_buf_init(&in, NULL);
    kube_websocket_response_t resp;
    kube_error_t rc;
    int64_t deadline = http_min_now_ms() + 10000;
    for (;;) {
        rc = kube_websocket_client_response(&resp, (const uint8_t *)in.ptr, in.size, key, prot, nprot);
        if (rc != KUBE_EAGAIN)
            break;
        ck_assert_msg(http_min_now_ms() < deadline, "no upgrade answer");
        struct pollfd p = {c->fd, POLLIN, 0};
        ck_assert_int_ge(poll(&p, 1, 1000), 0);
        char buf[4096];
        ssize_t r = recv(c->fd, buf, 1 + http_min_rand() % sizeof buf, 0);
        ck_assert_msg(r > 0, "connection closed during the handshake");
        ck_assert_int_eq(kube_buf_put(&in, buf, (size_t)r), KUBE_OK);
    }
    if (rc != KUBE_OK) {
        ck_assert_msg(resp.status != 0 && resp.status != 101, "handshake failed: %s (%s)", kube_error_name(rc),
                      kube_error_last()->message);
        *code = rc;
        /* the refused upgrade's body (Content-Length) follows the head */
        kube_buf_put(body, in.ptr + resp.head_len, in.size - resp.head_len);
        struct pollfd p = {c->fd, POLLIN, 0};
        while (poll(&p, 1, 500) > 0) {
            char buf[4096];
            ssize_t r = recv(c->fd, buf, sizeof buf, 0);
            if (r <= 0)
                break;
            kube_buf_put(body, buf, (size_t)r);
            if (memchr(buf, '}', (size_t)r))
                break;
        }
        close(c->fd);
        kube_buf_dispose(&in);
        return resp.status;
    }
    ck_assert_int_eq(resp.status, 101);
    ck_assert_int_ge(resp.protocol, 0);
    c->proto_name = prot[resp.protocol];
    ck_assert_int_eq(kube_channel_protocol_parse(&c->proto, c->proto_name), KUBE_OK);
    kube_websocket_opts_t opts = KUBE_WEBSOCKET_OPTS_INIT;
    opts.mask = mask_cb;
    opts.max_frame = 1 + (size_t)(http_min_rand() % 64); /* our messages go out fragmented */
    ck_assert_int_eq(kube_websocket_new(&c->ws, KUBE_WS_ROLE_CLIENT, &opts), KUBE_OK);
    if (in.size > resp.head_len)
        ck_assert_int_eq(kube_websocket_feed(c->ws, (const uint8_t *)in.ptr + resp.head_len, in.size - resp.head_len),
                         KUBE_OK);
    kube_buf_dispose(&in);
    return 0;
}

static int ws_open(wsc_t *c, const kube_http_request_t *req, int portforward, kube_error_t *code, kube_buf_t *body)
{
    size_t nprot;
    const char *const *prot = kube_channel_offer(portforward, &nprot);
    return ws_open_with(c, req, prot, nprot, code, body);
}

static void handle_message(wsc_t *c, const kube_websocket_message_t *m)
{
    if (m->opcode == KUBE_WS_OP_PONG) {
        c->pongs++;
        return;
    }
    if (m->opcode == KUBE_WS_OP_PING)
        return;
    if (m->opcode == KUBE_WS_OP_CLOSE) {
        c->got_close = 1;
        c->close_code = m->close_code;
        return;
    }
    if (c->pf) {
        kube_channel_port_message_t pm;
        ck_assert_int_eq(kube_channel_portforward_decode(&pm, c->pf, &c->scratch, c->proto, m->opcode, m->data, m->len),
                         KUBE_OK);
        ck_assert_uint_lt(pm.port_index, 2);
        kube_buf_put(pm.is_error ? &c->pf_err[pm.port_index] : &c->pf_data[pm.port_index], pm.data, pm.len);
        return;
    }
    kube_channel_message_t cm;
    ck_assert_int_eq(kube_channel_decode(&cm, &c->scratch, c->proto, m->opcode, m->data, m->len), KUBE_OK);
    ck_assert_uint_lt(cm.channel, 4);
    kube_buf_put(&c->out[cm.channel], cm.data, cm.len);
    if (cm.channel == KUBE_CHANNEL_ERROR && cm.len > 0)
        c->status_seen = 1;
}

/* Read and decode for up to timeout_ms, or until done(c) holds. */
static void ws_pump(wsc_t *c, int (*done)(const wsc_t *), int timeout_ms)
{
    int64_t deadline = http_min_now_ms() + timeout_ms;
    /* bytes that came with the handshake (or an earlier read) may already hold messages */
    kube_websocket_message_t m0;
    kube_error_t rc0;
    while ((rc0 = kube_websocket_next(c->ws, &m0)) == KUBE_OK)
        handle_message(c, &m0);
    ck_assert_msg(rc0 == KUBE_EAGAIN, "websocket: %s %s", kube_error_name(rc0), kube_error_last()->message);
    while (!done(c)) {
        ws_flush(c);
        int64_t left = deadline - http_min_now_ms();
        ck_assert_msg(left > 0, "timed out; stdout so far: %.*s", (int)c->out[1].size, c->out[1].ptr ? c->out[1].ptr : "");
        struct pollfd p = {c->fd, POLLIN, 0};
        int pr = poll(&p, 1, (int)left);
        if (pr <= 0)
            continue;
        uint8_t buf[8192];
        ssize_t r = recv(c->fd, buf, sizeof buf, 0);
        ck_assert_msg(r > 0, "connection closed without a close frame");
        /* feed in random pieces */
        size_t off = 0;
        while (off < (size_t)r) {
            size_t k = 1 + (size_t)(http_min_rand() % 64);
            if (k > (size_t)r - off)
                k = (size_t)r - off;
            ck_assert_int_eq(kube_websocket_feed(c->ws, buf + off, k), KUBE_OK);
            off += k;
            kube_websocket_message_t m;
            kube_error_t rc;
            while ((rc = kube_websocket_next(c->ws, &m)) == KUBE_OK)
                handle_message(c, &m);
            ck_assert_msg(rc == KUBE_EAGAIN, "websocket: %s %s", kube_error_name(rc), kube_error_last()->message);
        }
    }
    ws_flush(c);
}

static void ws_send_channel(wsc_t *c, unsigned ch, const char *data, size_t len)
{
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    kube_websocket_opcode_t op;
    ck_assert_int_eq(kube_channel_encode(&b, &op, c->proto, ch, (const uint8_t *)data, len), KUBE_OK);
    ck_assert_int_eq(kube_websocket_send(c->ws, op, (const uint8_t *)b.ptr, b.size, 0), KUBE_OK);
    kube_buf_dispose(&b);
    ws_flush(c);
}

static void ws_free(wsc_t *c)
{
    if (c->ws && kube_websocket_state(c->ws) == KUBE_WS_STATE_OPEN)
        kube_websocket_close(c->ws, KUBE_WS_CLOSE_NORMAL, NULL);
    if (c->ws)
        ws_flush(c);
    kube_websocket_free(c->ws);
    kube_channel_portforward_free(c->pf);
    if (c->fd >= 0)
        close(c->fd);
    for (int i = 0; i < 4; i++)
        kube_buf_dispose(&c->out[i]);
    for (int i = 0; i < 2; i++) {
        kube_buf_dispose(&c->pf_data[i]);
        kube_buf_dispose(&c->pf_err[i]);
    }
    kube_buf_dispose(&c->scratch);
}

static int done_closed(const wsc_t *c) { return c->got_close; }

/* Run a command; returns the exit code decoded from the status channel (or the
 * kube_error_t of a failure Status in *err). */
static int run_exec(const char *const *argv, size_t argc, const char *stdin_data, kube_buf_t *stdout_out,
                    kube_error_t *err, const char **proto_out)
{
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    kube_attach_params_t ap = KUBE_ATTACH_PARAMS_INIT;
    ap.stdin_ = stdin_data != NULL;
    ck_assert_int_eq(kube_request_exec(&req, g_ns, "runner", argv, argc, &ap), KUBE_OK);
    wsc_t c;
    kube_error_t code;
    ck_assert_int_eq(ws_open(&c, &req, 0, &code, NULL), 0);
    if (proto_out)
        *proto_out = c.proto_name;
    if (stdin_data) {
        /* stdin in two pieces, a ping in between, then the v5 half-close of stdin */
        size_t half = strlen(stdin_data) / 2;
        ws_send_channel(&c, KUBE_CHANNEL_STDIN, stdin_data, half);
        ck_assert_int_eq(kube_websocket_ping(c.ws, (const uint8_t *)"itest", 5), KUBE_OK);
        ws_send_channel(&c, KUBE_CHANNEL_STDIN, stdin_data + half, strlen(stdin_data) - half);
        kube_buf_t b;
        kube_buf_init(&b, NULL);
        kube_websocket_opcode_t op;
        ck_assert_int_eq(kube_channel_encode_close(&b, &op, c.proto, KUBE_CHANNEL_STDIN), KUBE_OK);
        ck_assert_int_eq(kube_websocket_send(c.ws, op, (const uint8_t *)b.ptr, b.size, 0), KUBE_OK);
        kube_buf_dispose(&b);
        ws_flush(&c);
    }
    ws_pump(&c, done_closed, 15000);
    ck_assert(c.status_seen);
    if (stdin_data)
        ck_assert_int_ge(c.pongs, 1);
    ck_assert_int_eq(c.close_code, KUBE_WS_CLOSE_NORMAL);
    ck_assert_int_eq(kube_websocket_state(c.ws), KUBE_WS_STATE_CLOSED);
    int exit_code = -1;
    kube_error_clear();
    *err = kube_channel_exit_status(&exit_code, c.proto, (const uint8_t *)c.out[3].ptr, c.out[3].size, NULL);
    kube_buf_put(stdout_out, c.out[1].ptr ? c.out[1].ptr : "", c.out[1].size);
    ws_free(&c);
    kube_http_request_dispose(&req);
    return exit_code;
}

START_TEST(exec_echo)
{
    static const char *const argv[] = {"echo", "hi"};
    kube_buf_t out;
    kube_buf_init(&out, NULL);
    kube_error_t err;
    const char *proto = NULL;
    int code = run_exec(argv, 2, NULL, &out, &err, &proto);
    ck_assert_str_eq(proto, "v5.channel.k8s.io");
    ck_assert_int_eq(err, KUBE_OK);
    ck_assert_int_eq(code, 0);
    ck_assert_str_eq(out.ptr, "hi\n");
    kube_buf_dispose(&out);
}
END_TEST

START_TEST(exec_exit_code)
{
    static const char *const argv[] = {"sh", "-c", "echo before; exit 3"};
    kube_buf_t out;
    kube_buf_init(&out, NULL);
    kube_error_t err;
    int code = run_exec(argv, 3, NULL, &out, &err, NULL);
    ck_assert_msg(err == KUBE_OK, "%s: %s", kube_error_name(err), kube_error_last()->message);
    ck_assert_int_eq(code, 3);
    ck_assert_str_eq(out.ptr, "before\n");
    kube_buf_dispose(&out);
}
END_TEST

START_TEST(exec_cat_stdin_close)
{
    static const char *const argv[] = {"cat"};
    kube_buf_t out;
    kube_buf_init(&out, NULL);
    kube_error_t err;
    const char *text = "hello over stdin\nsecond line \xc3\xa9\n";
    int code = run_exec(argv, 1, text, &out, &err, NULL);
    ck_assert_int_eq(err, KUBE_OK);
    ck_assert_int_eq(code, 0);
    ck_assert_str_eq(out.ptr, text);
    kube_buf_dispose(&out);
}
END_TEST

START_TEST(exec_cat_large)
{
    /* 256 KiB through cat: many masked fragments out, large frames back */
    static const char *const argv[] = {"cat"};
    size_t n = 256 * 1024;
    char *text = malloc(n + 1);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < n; i++)
        text[i] = (i % 100 == 99) ? '\n' : (char)('!' + (http_min_rand() % 94));
    text[n] = '\0';
    kube_buf_t out;
    kube_buf_init(&out, NULL);
    kube_error_t err;
    int code = run_exec(argv, 1, text, &out, &err, NULL);
    ck_assert_int_eq(err, KUBE_OK);
    ck_assert_int_eq(code, 0);
    ck_assert_uint_eq(out.size, n);
    ck_assert_int_eq(memcmp(out.ptr, text, n), 0);
    kube_buf_dispose(&out);
    free(text);
}
END_TEST

static const char *g_want_stdout;
static int done_stdout(const wsc_t *c) { return c->out[1].ptr && strstr(c->out[1].ptr, g_want_stdout) != NULL; }

START_TEST(exec_tty_resize)
{
    /* an interactive shell on a TTY: the resize (channel 4) reaches `stty size` */
    static const char *const argv[] = {"sh"};
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    kube_attach_params_t ap = KUBE_ATTACH_PARAMS_INIT;
    ap.stdin_ = 1;
    ap.tty = 1;
    ap.stderr_ = 0;
    ck_assert_int_eq(kube_request_exec(&req, g_ns, "runner", argv, 1, &ap), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(req.path, "tty=true"));
    wsc_t c;
    kube_error_t code;
    ck_assert_int_eq(ws_open(&c, &req, 0, &code, NULL), 0);
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    kube_websocket_opcode_t op;
    ck_assert_int_eq(kube_channel_encode_resize(&b, &op, c.proto, 123, 45), KUBE_OK);
    ck_assert_int_eq(kube_websocket_send(c.ws, op, (const uint8_t *)b.ptr, b.size, 0), KUBE_OK);
    kube_buf_dispose(&b);
    ws_send_channel(&c, KUBE_CHANNEL_STDIN, "stty size\n", 10);
    g_want_stdout = "45 123";
    ws_pump(&c, done_stdout, 10000);
    ws_send_channel(&c, KUBE_CHANNEL_STDIN, "exit 5\n", 7);
    ws_pump(&c, done_closed, 10000);
    int exit_code = -1;
    ck_assert_int_eq(kube_channel_exit_status(&exit_code, c.proto, (const uint8_t *)c.out[3].ptr, c.out[3].size, NULL),
                     KUBE_OK);
    ck_assert_int_eq(exit_code, 5);
    /* the emulator recorded the size as sent */
    kube_json_doc_t *st = itest_state();
    char ptr[256];
    snprintf(ptr, sizeof ptr, "/streaming/pods/%s~1runner/resizes/main", g_ns);
    const kube_json_t *rs = kube_json_pointer(kube_json_doc_root(st), ptr);
    ck_assert_msg(kube_json_size(rs) >= 1, "no resize recorded at %s", ptr);
    int64_t w = 0, h = 0;
    ck_assert_int_eq(kube_json_int64(kube_json_get(kube_json_at(rs, 0), "Width"), &w), KUBE_OK);
    ck_assert_int_eq(kube_json_int64(kube_json_get(kube_json_at(rs, 0), "Height"), &h), KUBE_OK);
    ck_assert_int_eq(w, 123);
    ck_assert_int_eq(h, 45);
    kube_json_doc_free(st);
    ws_free(&c);
    kube_http_request_dispose(&req);
}
END_TEST

START_TEST(attach_stdin_to_log)
{
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    kube_attach_params_t ap = KUBE_ATTACH_PARAMS_INIT;
    ap.stdin_ = 1;
    ck_assert_int_eq(kube_request_attach(&req, g_ns, "runner", &ap), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(req.path, "/pods/runner/attach?"));
    wsc_t c;
    kube_error_t code;
    ck_assert_int_eq(ws_open(&c, &req, 0, &code, NULL), 0);
    /* a typed line becomes a log line, which every attached client sees */
    ws_send_channel(&c, KUBE_CHANNEL_STDIN, "typed via attach\n", 17);
    g_want_stdout = "typed via attach\n";
    ws_pump(&c, done_stdout, 10000);
    /* and so does a line appended through the control API */
    char path[256];
    snprintf(path, sizeof path, "/_emulator/pods/%s/runner/log", g_ns);
    kube_json_doc_free(itest_control("POST", path, "{\"lines\":[\"from the control api\"]}", 200));
    g_want_stdout = "from the control api\n";
    ws_pump(&c, done_stdout, 10000);
    /* our close ends the session: the server answers the close frame */
    ck_assert_int_eq(kube_websocket_close(c.ws, KUBE_WS_CLOSE_NORMAL, "bye"), KUBE_OK);
    ck_assert_int_eq(kube_websocket_state(c.ws), KUBE_WS_STATE_CLOSING);
    ws_pump(&c, done_closed, 10000);
    ck_assert_int_eq(kube_websocket_state(c.ws), KUBE_WS_STATE_CLOSED);
    ws_free(&c);
    /* the log holds the typed line */
    kube_log_params_t lp = KUBE_LOG_PARAMS_INIT;
    ck_assert_int_eq(kube_request_log(&req, g_ns, "runner", &lp), KUBE_OK);
    http_resp_t resp;
    itest_call(&req, &resp);
    ck_assert_int_eq(resp.status, 200);
    ck_assert_ptr_nonnull(strstr(resp.body.ptr, "typed via attach\nfrom the control api\n"));
    http_resp_dispose(&resp);
    kube_http_request_dispose(&req);
}
END_TEST

START_TEST(exec_failures)
{
    /* a program the container does not have: a failure Status on the error channel */
    static const char *const argv[] = {"no-such-program"};
    kube_buf_t out;
    kube_buf_init(&out, NULL);
    kube_error_t err;
    run_exec(argv, 1, NULL, &out, &err, NULL);
    ck_assert_int_eq(err, KUBE_ESERVER);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "executable file not found"));
    kube_buf_dispose(&out);

    /* a pod that does not exist: the upgrade is refused with a 404 Status */
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    static const char *const echo[] = {"echo"};
    ck_assert_int_eq(kube_request_exec(&req, g_ns, "ghost", echo, 1, NULL), KUBE_OK);
    wsc_t c;
    kube_error_t code;
    kube_buf_t body;
    kube_buf_init(&body, NULL);
    ck_assert_int_eq(ws_open(&c, &req, 0, &code, &body), 404);
    ck_assert_int_eq(code, KUBE_ENOTFOUND);
    ck_assert_int_eq(kube_status_classify(NULL, 404, "application/json", body.ptr, body.size, NULL), KUBE_ENOTFOUND);
    ck_assert_str_eq(kube_error_last()->message, "pods \"ghost\" not found");
    kube_buf_dispose(&body);
    for (int i = 0; i < 4; i++)
        kube_buf_dispose(&c.out[i]);
    for (int i = 0; i < 2; i++) {
        kube_buf_dispose(&c.pf_data[i]);
        kube_buf_dispose(&c.pf_err[i]);
    }
    kube_buf_dispose(&c.scratch);
    kube_http_request_dispose(&req);
}
END_TEST

static int done_closed_or_status(const wsc_t *c) { return c->got_close; }

START_TEST(exec_protocol_variants)
{
    /* every exec protocol the API server speaks, offered alone */
    static const char *const names[] = {"v4.channel.k8s.io", "v4.base64.channel.k8s.io", "channel.k8s.io",
                                        "base64.channel.k8s.io"};
    static const char *const argv[] = {"sh", "-c", "echo out; nosuchcmd"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        kube_http_request_t req;
        kube_http_request_init(&req, NULL);
        ck_assert_int_eq(kube_request_exec(&req, g_ns, "runner", argv, 3, NULL), KUBE_OK);
        wsc_t c;
        kube_error_t code;
        ck_assert_int_eq(ws_open_with(&c, &req, &names[i], 1, &code, NULL), 0);
        ck_assert_str_eq(c.proto_name, names[i]);
        ws_pump(&c, done_closed_or_status, 15000);
        ck_assert_msg(c.out[1].size == 4 && memcmp(c.out[1].ptr, "out\n", 4) == 0, "%s stdout: %.*s", names[i],
                      (int)c.out[1].size, c.out[1].ptr);
        ck_assert_msg(c.out[2].ptr && strstr(c.out[2].ptr, "nosuchcmd: not found"), "%s stderr: %.*s", names[i],
                      (int)c.out[2].size, c.out[2].ptr ? c.out[2].ptr : "");
        int exit_code = -1;
        kube_error_clear();
        kube_error_t rc = kube_channel_exit_status(&exit_code, c.proto, (const uint8_t *)c.out[3].ptr, c.out[3].size,
                                                   NULL);
        if (c.proto == KUBE_CHANNEL_V4 || c.proto == KUBE_CHANNEL_V4_BASE64) {
            ck_assert_msg(rc == KUBE_OK, "%s: %s %s", names[i], kube_error_name(rc), kube_error_last()->message);
            ck_assert_int_eq(exit_code, 127);
        } else {
            /* before v4 the error channel carries text only */
            ck_assert_int_eq(rc, KUBE_ERROR);
            ck_assert_msg(strstr(kube_error_last()->message, "exit code 127") != NULL, "%s: %s", names[i],
                          kube_error_last()->message);
        }
        /* v5's stdin close does not exist in these protocols */
        kube_buf_t b;
        kube_buf_init(&b, NULL);
        kube_websocket_opcode_t op;
        ck_assert_int_eq(kube_channel_encode_close(&b, &op, c.proto, KUBE_CHANNEL_STDIN), KUBE_EUNSUPPORTED);
        kube_buf_dispose(&b);
        ws_free(&c);
        kube_http_request_dispose(&req);
    }
}
END_TEST

static size_t g_pf_want;
static int done_pf(const wsc_t *c) { return c->pf_data[0].size >= g_pf_want && c->pf_data[1].size >= g_pf_want; }

START_TEST(portforward_echo)
{
    static const uint16_t ports[] = {8080, 9090};
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    ck_assert_int_eq(kube_request_portforward(&req, g_ns, "runner", ports, 2), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(req.path, "ports=8080%2C9090"));
    wsc_t c;
    kube_error_t code;
    size_t nprot;
    const char *const *prot = kube_channel_offer(1, &nprot);
    ck_assert_uint_ge(nprot, 2);
    /* _i: 0 offers kcore's list (the server picks v4.channel.k8s.io), 1 the base64 variant alone */
    ck_assert_int_eq(ws_open_with(&c, &req, _i == 0 ? prot : prot + 1, _i == 0 ? nprot : 1, &code, NULL), 0);
    ck_assert_str_eq(c.proto_name, _i == 0 ? "v4.channel.k8s.io" : "v4.base64.channel.k8s.io");
    ck_assert_int_eq(kube_channel_portforward_new(&c.pf, ports, 2, NULL), KUBE_OK);
    /* binary data, with bytes that look like port headers and channel numbers */
    char a[3000], b[700];
    for (size_t i = 0; i < sizeof a; i++)
        a[i] = (char)(http_min_rand() & 0xff);
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (char)(i % 7 == 0 ? 0x1f : 0x90);
    g_pf_want = sizeof b;
    for (int idx = 0; idx < 2; idx++) {
        const char *data = idx == 0 ? a : b;
        size_t len = idx == 0 ? sizeof a : sizeof b;
        kube_buf_t enc;
        kube_buf_init(&enc, NULL);
        kube_websocket_opcode_t op;
        ck_assert_int_eq(kube_channel_portforward_encode(&enc, &op, c.proto, (size_t)idx, (const uint8_t *)data, len),
                         KUBE_OK);
        ck_assert_int_eq(kube_websocket_send(c.ws, op, (const uint8_t *)enc.ptr, enc.size, 0), KUBE_OK);
        kube_buf_dispose(&enc);
    }
    ws_flush(&c);
    g_pf_want = sizeof b;
    ws_pump(&c, done_pf, 10000);
    while (c.pf_data[0].size < sizeof a) {
        g_pf_want = sizeof a;
        ws_pump(&c, done_pf, 10000);
    }
    ck_assert_uint_eq(c.pf_data[0].size, sizeof a);
    ck_assert_uint_eq(c.pf_data[1].size, sizeof b);
    ck_assert_int_eq(memcmp(c.pf_data[0].ptr, a, sizeof a), 0);
    ck_assert_int_eq(memcmp(c.pf_data[1].ptr, b, sizeof b), 0);
    ck_assert_uint_eq(c.pf_err[0].size, 0);
    ck_assert_uint_eq(c.pf_err[1].size, 0);
    ws_free(&c);
    kube_http_request_dispose(&req);
}
END_TEST

static int contains(const kube_buf_t *b, const char *s)
{
    return b->ptr && strstr(b->ptr, s) != NULL;
}

START_TEST(pod_logs)
{
    char path[256];
    snprintf(path, sizeof path, "/_emulator/pods/%s/runner/log", g_ns);
    kube_json_doc_free(itest_control("POST", path, "{\"lines\":[\"one\",\"two\",\"three\"]}", 200));
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    kube_log_params_t lp = KUBE_LOG_PARAMS_INIT;

    /* the whole log, as text */
    ck_assert_int_eq(kube_request_log(&req, g_ns, "runner", &lp), KUBE_OK);
    http_resp_t resp;
    itest_call(&req, &resp);
    ck_assert_int_eq(resp.status, 200);
    ck_assert_str_eq(resp.body.ptr, "one\ntwo\nthree\n");
    http_resp_dispose(&resp);

    /* tailLines */
    lp.tail_lines = 2;
    ck_assert_int_eq(kube_request_log(&req, g_ns, "runner", &lp), KUBE_OK);
    ck_assert_ptr_nonnull(strstr(req.path, "tailLines=2"));
    itest_call(&req, &resp);
    ck_assert_str_eq(resp.body.ptr, "two\nthree\n");
    http_resp_dispose(&resp);

    /* timestamps + limitBytes */
    lp.tail_lines = KUBE_PARAM_UNSET;
    lp.timestamps = 1;
    lp.limit_bytes = 10;
    ck_assert_int_eq(kube_request_log(&req, g_ns, "runner", &lp), KUBE_OK);
    itest_call(&req, &resp);
    ck_assert_uint_eq(resp.body.size, 10);
    ck_assert_msg(resp.body.ptr[4] == '-' && resp.body.ptr[7] == '-', "no timestamp: %s", resp.body.ptr);
    http_resp_dispose(&resp);

    /* follow: lines appended later arrive on the open stream */
    lp.timestamps = 0;
    lp.limit_bytes = KUBE_PARAM_UNSET;
    lp.follow = 1;
    ck_assert_int_eq(kube_request_log(&req, g_ns, "runner", &lp), KUBE_OK);
    ck_assert_uint_ne(req.flags & KUBE_HTTP_STREAM, 0);
    http_conn_t *c = http_open(itest_port, &req, NULL);
    ck_assert_msg(c != NULL, "%s", http_min_error());
    ck_assert_int_eq(http_conn_status(c), 200);
    kube_buf_t got;
    kube_buf_init(&got, NULL);
    int64_t deadline = http_min_now_ms() + 5000;
    while (!contains(&got, "three\n")) {
        ck_assert(http_min_now_ms() < deadline);
        http_conn_read_all(c, &got, 200);
    }
    kube_json_doc_free(itest_control("POST", path, "{\"lines\":[\"four\"]}", 200));
    deadline = http_min_now_ms() + 5000;
    while (!contains(&got, "four\n")) {
        ck_assert_msg(http_min_now_ms() < deadline, "followed log: %s", got.ptr);
        http_conn_read_all(c, &got, 200);
    }
    ck_assert_str_eq(got.ptr, "one\ntwo\nthree\nfour\n");
    kube_buf_dispose(&got);
    http_conn_close(c);

    /* a bad parameter combination is refused by kcore before any request */
    lp.follow = 0;
    lp.since_seconds = 10;
    lp.since_time = "2026-01-01T00:00:00Z";
    ck_assert_int_eq(kube_request_log(&req, g_ns, "runner", &lp), KUBE_EINVAL);

    /* the log of a missing pod is a 404 */
    kube_log_params_t lp2 = KUBE_LOG_PARAMS_INIT;
    ck_assert_int_eq(kube_request_log(&req, g_ns, "ghost", &lp2), KUBE_OK);
    kube_status_free(itest_expect_error(&req, 404, KUBE_ENOTFOUND, "NotFound", "pods \"ghost\" not found"));
    kube_http_request_dispose(&req);
}
END_TEST

/* A fresh namespace and pod for every test, Running (the emulated kubelet starts it at
 * once): logs and sessions of one test never leak into another, forked or not. */
static void setup_pod(void)
{
    itest_make_ns("stream", g_ns, sizeof g_ns);
    const char *pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"runner\"},\"spec\":"
                      "{\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\"}]}}";
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    ck_assert_int_eq(kube_request_create(&req, itest_res("pods"), g_ns, NULL, kube_body_bytes(pod, strlen(pod))),
                     KUBE_OK);
    kube_json_doc_free(itest_expect(&req, 201));
    ck_assert_int_eq(kube_request_get(&req, itest_res("pods"), g_ns, "runner", NULL), KUBE_OK);
    int64_t deadline = http_min_now_ms() + 10000;
    for (;;) {
        kube_json_doc_t *d = itest_expect(&req, 200);
        int running = kube_json_string_eq(kube_json_pointer(kube_json_doc_root(d), "/status/phase"), "Running");
        kube_json_doc_free(d);
        if (running)
            break;
        ck_assert_msg(http_min_now_ms() < deadline, "the pod never became Running");
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kube_http_request_dispose(&req);
}

static Suite *stream_suite(void)
{
    Suite *s = suite_create("integration-stream");
    TCase *tc = itest_tcase("stream", 60);
    /* checked fixture: runs before each test (in its process when forked) */
    tcase_add_checked_fixture(tc, setup_pod, NULL);
    tcase_add_test(tc, exec_echo);
    tcase_add_test(tc, exec_exit_code);
    tcase_add_test(tc, exec_cat_stdin_close);
    tcase_add_test(tc, exec_cat_large);
    tcase_add_test(tc, exec_failures);
    tcase_add_test(tc, exec_tty_resize);
    tcase_add_test(tc, attach_stdin_to_log);
    tcase_add_test(tc, exec_protocol_variants);
    tcase_add_loop_test(tc, portforward_echo, 0, 2);
    tcase_add_test(tc, pod_logs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return itest_main(stream_suite(), NULL);
}
