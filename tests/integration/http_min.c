/* A tiny blocking HTTP/1.1 client for the integration tests (see http_min.h). */
#include "http_min.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char g_err[512];
static uint64_t g_rng = 0x9e3779b97f4a7c15ull;

static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g_err, sizeof g_err, fmt, ap);
    va_end(ap);
    return -1;
}

const char *http_min_error(void) { return g_err; }

void http_min_seed(uint64_t seed) { g_rng = seed ? seed : 0x9e3779b97f4a7c15ull; }

uint64_t http_min_rand(void)
{
    /* xorshift64* */
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return g_rng * 0x2545F4914F6CDD1Dull;
}

int64_t http_min_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A random piece size: mostly small (1..16 bytes, splits inside tokens and UTF-8
 * sequences), sometimes medium, sometimes large. */
static size_t piece_size(size_t avail)
{
    uint64_t r = http_min_rand();
    size_t n;
    switch (r % 4) {
    case 0: n = 1 + (size_t)((r >> 8) % 16); break;
    case 1: n = 1 + (size_t)((r >> 8) % 512); break;
    case 2: n = 1 + (size_t)((r >> 8) % 8192); break;
    default: n = 1 + (size_t)((r >> 8) % 65536); break;
    }
    return n < avail ? n : avail;
}

int http_min_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return fail("socket: %s", strerror(errno));
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        int e = errno;
        close(fd);
        return fail("connect 127.0.0.1:%d: %s", port, strerror(e));
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return fail("send: %s", strerror(errno));
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int http_min_send(int fd, int port, const kube_http_request_t *req, const char *extra_headers,
                  int keep_alive)
{
    kube_buf_t head;
    kube_buf_init(&head, NULL);
    int rc = 0;
    if (!req->method || !req->path)
        return fail("empty request");
    rc |= kube_buf_printf(&head, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n", req->method, req->path, port);
    rc |= kube_buf_puts(&head, "User-Agent: libkube-integration/0.1\r\n");
    for (size_t i = 0; i < req->header_count; i++)
        rc |= kube_buf_printf(&head, "%s: %s\r\n", req->headers[i].name, req->headers[i].value);
    if (req->body || strcmp(req->method, "POST") == 0 || strcmp(req->method, "PUT") == 0 ||
        strcmp(req->method, "PATCH") == 0)
        rc |= kube_buf_printf(&head, "Content-Length: %zu\r\n", req->body_len);
    if (!keep_alive)
        rc |= kube_buf_puts(&head, "Connection: close\r\n");
    if (extra_headers)
        rc |= kube_buf_puts(&head, extra_headers);
    rc |= kube_buf_puts(&head, "\r\n");
    if (rc != 0) {
        kube_buf_dispose(&head);
        return fail("out of memory");
    }
    rc = write_all(fd, head.ptr, head.size);
    kube_buf_dispose(&head);
    if (rc == 0 && req->body_len > 0)
        rc = write_all(fd, req->body, req->body_len);
    return rc;
}

/* ---- the connection ---- */

enum { BODY_NONE, BODY_LENGTH, BODY_CHUNKED, BODY_CLOSE };
enum { CH_SIZE, CH_DATA, CH_DATA_CRLF, CH_TRAILER, CH_DONE };

#define MAX_HEADERS 64

struct http_conn {
    int fd;
    int status;
    char *head; /* header block storage */
    char *names[MAX_HEADERS];
    char *values[MAX_HEADERS];
    size_t nheaders;
    int mode;
    uint64_t remaining; /* BODY_LENGTH: body bytes; BODY_CHUNKED: bytes of the current chunk */
    int chstate;
    int eof;  /* socket EOF */
    int done; /* body complete */
    char *rb;
    size_t rlen, rpos, rcap;
};

/* Read more bytes into the buffer. 1: got some; 0: timeout; -1: error; 2: EOF. */
static int fill(http_conn_t *c, int timeout_ms)
{
    if (c->eof)
        return 2;
    if (c->rpos > 0 && c->rpos == c->rlen)
        c->rpos = c->rlen = 0;
    if (c->rpos > 0 && c->rcap - c->rlen < 16384) {
        memmove(c->rb, c->rb + c->rpos, c->rlen - c->rpos);
        c->rlen -= c->rpos;
        c->rpos = 0;
    }
    if (c->rcap - c->rlen < 16384) {
        size_t ncap = c->rcap ? c->rcap * 2 : 65536;
        char *n = realloc(c->rb, ncap);
        if (!n)
            return fail("out of memory");
        c->rb = n;
        c->rcap = ncap;
    }
    struct pollfd p = {c->fd, POLLIN, 0};
    int pr;
    do {
        pr = poll(&p, 1, timeout_ms);
    } while (pr < 0 && errno == EINTR);
    if (pr < 0)
        return fail("poll: %s", strerror(errno));
    if (pr == 0)
        return 0;
    ssize_t r;
    do {
        r = recv(c->fd, c->rb + c->rlen, c->rcap - c->rlen, 0);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return fail("recv: %s", strerror(errno));
    if (r == 0) {
        c->eof = 1;
        return 2;
    }
    c->rlen += (size_t)r;
    return 1;
}

static int remaining_ms(int64_t deadline)
{
    int64_t left = deadline - http_min_now_ms();
    return left < 0 ? 0 : (int)left;
}

static int parse_head(http_conn_t *c, size_t head_len)
{
    c->head = malloc(head_len + 1);
    if (!c->head)
        return fail("out of memory");
    memcpy(c->head, c->rb + c->rpos, head_len);
    c->head[head_len] = '\0';
    c->rpos += head_len;
    char *line = c->head, *end;
    end = strstr(line, "\r\n");
    *end = '\0';
    if (strncmp(line, "HTTP/1.", 7) != 0 || strlen(line) < 12)
        return fail("bad status line: %s", line);
    c->status = atoi(line + 9);
    line = end + 2;
    while (*line && strncmp(line, "\r\n", 2) != 0) {
        end = strstr(line, "\r\n");
        if (!end)
            break;
        *end = '\0';
        char *colon = strchr(line, ':');
        if (!colon)
            return fail("bad header line: %s", line);
        *colon = '\0';
        char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        if (c->nheaders < MAX_HEADERS) {
            c->names[c->nheaders] = line;
            c->values[c->nheaders] = v;
            c->nheaders++;
        }
        line = end + 2;
    }
    const char *te = http_conn_header(c, "Transfer-Encoding");
    const char *cl = http_conn_header(c, "Content-Length");
    if (c->status == 101 || c->status == 204 || c->status == 304 || (c->status >= 100 && c->status < 200)) {
        c->mode = BODY_NONE;
        c->done = 1;
    } else if (te && strcasecmp(te, "chunked") == 0) {
        c->mode = BODY_CHUNKED;
        c->chstate = CH_SIZE;
    } else if (cl) {
        c->mode = BODY_LENGTH;
        c->remaining = strtoull(cl, NULL, 10);
        if (c->remaining == 0)
            c->done = 1;
    } else {
        c->mode = BODY_CLOSE;
    }
    return 0;
}

http_conn_t *http_open(int port, const kube_http_request_t *req, const char *extra_headers)
{
    int fd = http_min_connect(port);
    if (fd < 0)
        return NULL;
    if (http_min_send(fd, port, req, extra_headers, 1) != 0) {
        close(fd);
        return NULL;
    }
    http_conn_t *c = calloc(1, sizeof *c);
    if (!c) {
        close(fd);
        fail("out of memory");
        return NULL;
    }
    c->fd = fd;
    int64_t deadline = http_min_now_ms() + 30000;
    for (;;) {
        if (c->rlen > c->rpos) {
            char *hend = NULL;
            /* search for the blank line */
            for (size_t i = c->rpos; i + 3 < c->rlen; i++)
                if (memcmp(c->rb + i, "\r\n\r\n", 4) == 0) {
                    hend = c->rb + i + 4;
                    break;
                }
            if (hend) {
                if (parse_head(c, (size_t)(hend - (c->rb + c->rpos))) != 0)
                    goto fail_;
                return c;
            }
        }
        int r = fill(c, remaining_ms(deadline));
        if (r == 0) {
            fail("timed out waiting for the response head of %s %s", req->method, req->path);
            goto fail_;
        }
        if (r == 2) {
            fail("connection closed before the response head of %s %s", req->method, req->path);
            goto fail_;
        }
        if (r < 0)
            goto fail_;
    }
fail_:
    http_conn_close(c);
    return NULL;
}

int http_conn_status(const http_conn_t *c) { return c->status; }

const char *http_conn_header(const http_conn_t *c, const char *name)
{
    for (size_t i = 0; i < c->nheaders; i++)
        if (strcasecmp(c->names[i], name) == 0)
            return c->values[i];
    return NULL;
}

/* Deliver n bytes from the buffer in random pieces. Returns 1 if the callback stopped. */
static int deliver(http_conn_t *c, size_t n, http_body_cb cb, void *ud)
{
    while (n > 0) {
        size_t k = piece_size(n);
        const char *p = c->rb + c->rpos;
        c->rpos += k;
        n -= k;
        if (c->mode == BODY_LENGTH || c->mode == BODY_CHUNKED)
            c->remaining -= k;
        if (cb(p, k, ud)) {
            /* the rest of this delivery stays buffered for the next read */
            return 1;
        }
    }
    return 0;
}

/* Process what is buffered. Returns HTTP_READ_* for a final answer, or 100 when it
 * needs more bytes. */
static int process(http_conn_t *c, http_body_cb cb, void *ud, int *delivered)
{
    for (;;) {
        if (c->done)
            return HTTP_READ_EOF;
        size_t avail = c->rlen - c->rpos;
        switch (c->mode) {
        case BODY_NONE:
            c->done = 1;
            return HTTP_READ_EOF;
        case BODY_LENGTH: {
            size_t n = avail < c->remaining ? avail : (size_t)c->remaining;
            if (n == 0)
                return c->eof ? (fail("connection closed with %llu body bytes missing",
                                      (unsigned long long)c->remaining), HTTP_READ_ERROR) : 100;
            *delivered = 1;
            int stop = deliver(c, n, cb, ud);
            if (c->remaining == 0)
                c->done = 1;
            if (stop)
                return HTTP_READ_STOPPED;
            continue;
        }
        case BODY_CLOSE:
            if (avail > 0) {
                *delivered = 1;
                if (deliver(c, avail, cb, ud))
                    return HTTP_READ_STOPPED;
                continue;
            }
            if (c->eof) {
                c->done = 1;
                return HTTP_READ_EOF;
            }
            return 100;
        case BODY_CHUNKED:
            break;
        }
        /* chunked */
        char *p = c->rb + c->rpos;
        char *crlf = NULL;
        if (c->chstate == CH_SIZE || c->chstate == CH_TRAILER || c->chstate == CH_DATA_CRLF) {
            for (size_t i = 0; i + 1 < avail; i++)
                if (p[i] == '\r' && p[i + 1] == '\n') {
                    crlf = p + i;
                    break;
                }
            if (!crlf) {
                if (c->eof)
                    return fail("connection closed inside chunked framing"), HTTP_READ_ERROR;
                if (avail > 4096)
                    return fail("chunk size line too long"), HTTP_READ_ERROR;
                return 100;
            }
        }
        switch (c->chstate) {
        case CH_SIZE: {
            char *endp;
            unsigned long long sz = strtoull(p, &endp, 16);
            if (endp == p)
                return fail("bad chunk size line"), HTTP_READ_ERROR;
            c->rpos += (size_t)(crlf - p) + 2;
            if (sz == 0) {
                c->chstate = CH_TRAILER;
            } else {
                c->remaining = sz;
                c->chstate = CH_DATA;
            }
            continue;
        }
        case CH_DATA: {
            size_t n = avail < c->remaining ? avail : (size_t)c->remaining;
            if (n == 0)
                return c->eof ? (fail("connection closed inside a chunk"), HTTP_READ_ERROR) : 100;
            *delivered = 1;
            int stop = deliver(c, n, cb, ud);
            if (c->remaining == 0)
                c->chstate = CH_DATA_CRLF;
            if (stop)
                return HTTP_READ_STOPPED;
            continue;
        }
        case CH_DATA_CRLF:
            if (crlf != p)
                return fail("chunk data not followed by CRLF"), HTTP_READ_ERROR;
            c->rpos += 2;
            c->chstate = CH_SIZE;
            continue;
        case CH_TRAILER:
            c->rpos += (size_t)(crlf - p) + 2;
            if (crlf == p) {
                c->chstate = CH_DONE;
                c->done = 1;
            }
            continue;
        default:
            c->done = 1;
            return HTTP_READ_EOF;
        }
    }
}

int http_conn_read(http_conn_t *c, http_body_cb cb, void *ud, int timeout_ms)
{
    int64_t deadline = http_min_now_ms() + timeout_ms;
    int delivered = 0;
    for (;;) {
        int r = process(c, cb, ud, &delivered);
        if (r != 100)
            return r == HTTP_READ_EOF || r == HTTP_READ_STOPPED || r == HTTP_READ_ERROR ? r : r;
        if (delivered)
            return HTTP_READ_DATA;
        int f = fill(c, remaining_ms(deadline));
        if (f == 0)
            return HTTP_READ_TIMEOUT;
        if (f < 0)
            return HTTP_READ_ERROR;
        /* f == 1 (data) or 2 (EOF): process again */
    }
}

static int append_cb(const char *data, size_t len, void *ud)
{
    return kube_buf_put((kube_buf_t *)ud, data, len) != KUBE_OK;
}

int http_conn_read_all(http_conn_t *c, kube_buf_t *out, int timeout_ms)
{
    int64_t deadline = http_min_now_ms() + timeout_ms;
    for (;;) {
        int r = http_conn_read(c, append_cb, out, remaining_ms(deadline));
        if (r != HTTP_READ_DATA)
            return r;
        if (http_min_now_ms() >= deadline)
            return HTTP_READ_TIMEOUT;
    }
}

void http_conn_close(http_conn_t *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    free(c->head);
    free(c->rb);
    free(c);
}

static const char *g_default_headers;

void http_min_set_default_headers(const char *lines) { g_default_headers = lines; }

int http_do(int port, const kube_http_request_t *req, http_resp_t *out)
{
    memset(out, 0, sizeof *out);
    kube_buf_init(&out->body, NULL);
    http_conn_t *c = http_open(port, req, g_default_headers);
    if (!c)
        return -1;
    out->status = c->status;
    const char *ct = http_conn_header(c, "Content-Type");
    snprintf(out->content_type, sizeof out->content_type, "%s", ct ? ct : "");
    int r = http_conn_read_all(c, &out->body, 30000);
    http_conn_close(c);
    if (r == HTTP_READ_TIMEOUT)
        return fail("timed out reading the body of %s %s", req->method, req->path);
    if (r != HTTP_READ_EOF)
        return -1;
    return 0;
}

void http_resp_dispose(http_resp_t *r)
{
    if (r)
        kube_buf_dispose(&r->body);
}
