/* Integration-test harness: one kube-emulator process per test program, requests through
 * kcore's builders and http_min, JSON helpers. Test code only. */
#ifndef KUBE_ITEST_H
#define KUBE_ITEST_H

#include <check.h>

#include <kube/json.h>
#include <kube/request.h>
#include <kube/resource.h>
#include <kube/status.h>

#include "http_min.h"

/* The emulator's port (set by itest_main before the suite runs). */
extern int itest_port;

/* Start kube-emulator with @p emu_args (NULL-terminated), run @p suite, stop it.
 * Exits 77 (skip) when the emulator cannot start, saying why. */
int itest_main(Suite *suite, const char *const *emu_args);

/* A TCase with a timeout suited to emulator round trips. */
TCase *itest_tcase(const char *name, double timeout_seconds);

/* Send a kcore-built request, read the whole answer; fails the test on transport errors. */
void itest_call(const kube_http_request_t *req, http_resp_t *resp);

/* Parse a response body; fails the test unless it is JSON. Free with kube_json_doc_free(). */
kube_json_doc_t *itest_parse(const http_resp_t *resp);

/* Send and expect @p want_status; returns the parsed body (or NULL with want_parse 0). */
kube_json_doc_t *itest_expect(const kube_http_request_t *req, int want_status);

/* Send and expect a failure: the status decoder must map it to @p want_code, and
 * kube_error_last() must carry the server's message (checked to contain @p msg_part
 * when not NULL) and @p reason. Returns the decoded status (caller frees). */
kube_status_t *itest_expect_error(const kube_http_request_t *req, int want_http, kube_error_t want_code,
                                  const char *reason, const char *msg_part);

/* A control-API (or any raw path) call with an optional JSON body text. */
kube_json_doc_t *itest_control(const char *method, const char *path, const char *json_body,
                               int want_status);

/* GET /_emulator/state. */
kube_json_doc_t *itest_state(void);

/* Create a fresh namespace "<prefix>-<n>" with kcore's create builder; name written to out. */
void itest_make_ns(const char *prefix, char *out, size_t outlen);

/* Built-in resource descriptors (fails the test when unknown). */
const kube_resource_t *itest_res(const char *name);

/* Parse JSON text (fails the test on error). */
kube_json_doc_t *itest_json(const char *text);

/* "ns/name" of an object into out. */
void itest_key(const kube_json_t *obj, char *out, size_t outlen);

#endif
