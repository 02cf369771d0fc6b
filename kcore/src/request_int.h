/* Internal helpers of the request module, shared with patch.c. */
#ifndef KUBE_REQUEST_INT_H
#define KUBE_REQUEST_INT_H

#include <kube/buf.h>
#include <kube/request.h>

/* Append @p s (@p len bytes of UTF-8) as a JSON string literal, escaped as Go's
 * encoding/json does without HTML escaping. KUBE_EINVAL for invalid UTF-8
 * (@p what names the value in the message), KUBE_ENOMEM. On error @p b may hold
 * a partial literal: callers discard the buffer. */
kube_error_t kube_request__json_string(kube_buf_t *b, const char *s, size_t len, const char *what);

/* Append @p s form-urlencoded as kube-rs's form_urlencoded does (letters, digits
 * and "*-._" kept, space as '+', everything else %XX). */
kube_error_t kube_request__form_encode(kube_buf_t *b, const char *s, size_t len);

/* Append @p s percent-encoded as one URL path segment (Go's url.PathEscape). */
kube_error_t kube_request__path_escape(kube_buf_t *b, const char *s, size_t len);

#endif
