/* A tiny blocking HTTP/1.1 client over POSIX sockets, for the integration tests only.
 *
 * It sends a kube_http_request_t exactly as kcore built it (method, path and query,
 * headers, body) to 127.0.0.1:port, reads the status line and headers, and hands the
 * body (Content-Length, chunked or close-delimited) to a callback in RANDOM piece sizes,
 * so that kcore's decoders see arbitrary splits. Never installed; it is not the library
 * transport (that is kclient's). Not thread-safe; one connection, one thread. */
#ifndef KUBE_ITEST_HTTP_MIN_H
#define KUBE_ITEST_HTTP_MIN_H

#include <stddef.h>
#include <stdint.h>

#include <kube/buf.h>
#include <kube/request.h>

/* Seed the piece-size generator (the same seed gives the same splits). */
void http_min_seed(uint64_t seed);
/* A pseudo-random number from the same generator (for masking keys, nonces). */
uint64_t http_min_rand(void);

/* Receives a piece of the decoded body; return nonzero to stop reading (http_conn_read
 * then returns HTTP_READ_STOPPED). */
typedef int (*http_body_cb)(const char *data, size_t len, void *ud);

typedef struct http_conn http_conn_t;

enum {
    HTTP_READ_ERROR = -1,   /* socket error or malformed framing; http_min_error() says why */
    HTTP_READ_TIMEOUT = 0,  /* nothing more arrived within the timeout */
    HTTP_READ_DATA = 1,     /* some body bytes were delivered; the body goes on */
    HTTP_READ_EOF = 2,      /* the body is complete */
    HTTP_READ_STOPPED = 3   /* the callback asked to stop */
};

/* The last error of this module (static storage). */
const char *http_min_error(void);

/* Connect to 127.0.0.1:port; the socket fd, or -1. */
int http_min_connect(int port);

/* Write the request head (and body) on fd. extra_headers: raw "Name: value\r\n" lines
 * appended to the request's own headers, or NULL. keep_alive: 0 sends Connection: close.
 * Returns 0 or -1. */
int http_min_send(int fd, int port, const kube_http_request_t *req, const char *extra_headers,
                  int keep_alive);

/* Send @p req and read the response head. NULL on failure (http_min_error()). */
http_conn_t *http_open(int port, const kube_http_request_t *req, const char *extra_headers);
int http_conn_status(const http_conn_t *c);
/* First header called @p name (case-insensitive), or NULL. Borrowed. */
const char *http_conn_header(const http_conn_t *c, const char *name);
/* Deliver body bytes to cb in random pieces: waits at most timeout_ms for data, then
 * delivers everything that is already buffered. Returns one of HTTP_READ_*. */
int http_conn_read(http_conn_t *c, http_body_cb cb, void *ud, int timeout_ms);
/* Read the rest of the body into @p out (appended) until EOF or timeout_ms. HTTP_READ_*. */
int http_conn_read_all(http_conn_t *c, kube_buf_t *out, int timeout_ms);
void http_conn_close(http_conn_t *c);

/* A complete exchange. */
typedef struct http_resp {
    int status;
    char content_type[128];
    kube_buf_t body;
} http_resp_t;

/* Raw header lines ("Name: value\r\n") that http_do() adds to every request, or NULL. */
void http_min_set_default_headers(const char *lines);

/* Send @p req, read the whole answer (30 s limit). 0 or -1. Dispose out->body after. */
int http_do(int port, const kube_http_request_t *req, http_resp_t *out);
void http_resp_dispose(http_resp_t *r);

/* Monotonic milliseconds. */
int64_t http_min_now_ms(void);

#endif
