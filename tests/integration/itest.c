/* Integration-test harness (see itest.h). */
#include "itest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kube/error.h>
#include <kube/object.h>

#ifndef ITEST_PYTHON
#define ITEST_PYTHON "/usr/bin/python3"
#endif
#ifndef ITEST_EMULATOR
#error "ITEST_EMULATOR must name tests/emulator/kube-emulator"
#endif

int itest_port;

static pid_t g_emu_pid = -1;
static pid_t g_owner_pid = -1;
static int g_emu_stdout = -1;
static char g_dir[256];
static char g_log[300];

static void dump_log(void)
{
    FILE *f = fopen(g_log, "r");
    if (!f)
        return;
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f) && n++ < 60)
        fprintf(stderr, "  emulator: %s", line);
    fclose(f);
}

static void emu_stop(void)
{
    if (g_emu_pid <= 0 || getpid() != g_owner_pid)
        return;
    kill(g_emu_pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 200; i++) { /* 10 s */
        pid_t r = waitpid(g_emu_pid, &status, WNOHANG);
        if (r == g_emu_pid)
            goto reaped;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "itest: the emulator ignored SIGTERM; killing it\n");
    kill(g_emu_pid, SIGKILL);
    waitpid(g_emu_pid, &status, 0);
reaped:
    g_emu_pid = -1;
    if (g_emu_stdout >= 0)
        close(g_emu_stdout);
    char kc[300];
    snprintf(kc, sizeof kc, "%s/kubeconfig", g_dir);
    unlink(kc);
    unlink(g_log);
    rmdir(g_dir);
}

static void skip(const char *why)
{
    printf("SKIP: %s\n", why);
    fprintf(stderr, "SKIP: %s\n", why);
    dump_log();
    exit(77);
}

static void emu_start(const char *const *args)
{
    if (access(ITEST_PYTHON, X_OK) != 0)
        skip("the emulator cannot start: " ITEST_PYTHON " is not installed");
    /* python3-yaml is the emulator's one dependency beyond the standard library */
    char probe[512];
    snprintf(probe, sizeof probe, "'%s' -c 'import yaml' >/dev/null 2>&1", ITEST_PYTHON);
    if (system(probe) != 0)
        skip("the emulator cannot start: python3-yaml is not installed (apt-get install python3-yaml)");
    snprintf(g_dir, sizeof g_dir, "/tmp/kube-itest-XXXXXX");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        exit(1);
    }
    snprintf(g_log, sizeof g_log, "%s/emulator.log", g_dir);
    char kubeconfig[300];
    snprintf(kubeconfig, sizeof kubeconfig, "%s/kubeconfig", g_dir);
    const char *argv[40];
    size_t n = 0;
    argv[n++] = ITEST_PYTHON;
    argv[n++] = ITEST_EMULATOR;
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--write-kubeconfig";
    argv[n++] = kubeconfig;
    for (size_t i = 0; args && args[i] && n < 39; i++)
        argv[n++] = args[i];
    argv[n] = NULL;

    int pfd[2];
    if (pipe(pfd) != 0) {
        perror("pipe");
        exit(1);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        /* the emulator dies with the test program, even when that is killed */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        dup2(pfd[1], 1);
        int lf = open(g_log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (lf >= 0)
            dup2(lf, 2);
        close(pfd[0]);
        close(pfd[1]);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(pfd[1]);
    g_emu_pid = pid;
    g_owner_pid = getpid();
    g_emu_stdout = pfd[0];
    atexit(emu_stop);

    char line[256];
    size_t len = 0;
    int64_t deadline = http_min_now_ms() + 60000;
    while (len < sizeof line - 1) {
        int64_t left = deadline - http_min_now_ms();
        if (left <= 0) {
            fprintf(stderr, "itest: FAIL: the emulator did not print its ready line within 60 s\n");
            dump_log();
            exit(1);
        }
        struct pollfd p = {pfd[0], POLLIN, 0};
        int pr = poll(&p, 1, (int)left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            continue;
        ssize_t r = read(pfd[0], line + len, 1);
        if (r <= 0) {
            int status = 0;
            waitpid(pid, &status, 0);
            g_emu_pid = -1;
            /* python3 and python3-yaml are there: a dying emulator is a failure, not a skip */
            fprintf(stderr, "itest: FAIL: the emulator exited before it was ready (status %d):\n",
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            dump_log();
            exit(1);
        }
        if (line[len] == '\n')
            break;
        len++;
    }
    line[len] = '\0';
    const char *colon = strrchr(line, ':');
    if (strncmp(line, "ready http://127.0.0.1:", 23) != 0 || !colon) {
        fprintf(stderr, "itest: unexpected first line from the emulator: %s\n", line);
        dump_log();
        exit(1);
    }
    itest_port = atoi(colon + 1);
    fprintf(stderr, "itest: emulator pid %d at %s\n", (int)pid, line + 6);
}

int itest_main(Suite *suite, const char *const *emu_args)
{
    uint64_t seed;
    const char *s = getenv("ITEST_SEED");
    if (s && *s)
        seed = strtoull(s, NULL, 0);
    else
        seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    http_min_seed(seed);
    printf("itest: chunk-split seed %llu (ITEST_SEED=%llu reproduces it)\n", (unsigned long long)seed,
           (unsigned long long)seed);
    fflush(stdout);
    signal(SIGPIPE, SIG_IGN);
    emu_start(emu_args);
    SRunner *sr = srunner_create(suite);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (failed)
        dump_log();
    emu_stop();
    return failed == 0 ? 0 : 1;
}

TCase *itest_tcase(const char *name, double timeout_seconds)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, timeout_seconds);
    return tc;
}

void itest_call(const kube_http_request_t *req, http_resp_t *resp)
{
    int rc = http_do(itest_port, req, resp);
    ck_assert_msg(rc == 0, "%s %s: %s", req->method, req->path, http_min_error());
}

kube_json_doc_t *itest_json(const char *text)
{
    kube_json_doc_t *doc = NULL;
    kube_error_t rc = kube_json_parse(&doc, text, strlen(text), NULL);
    ck_assert_msg(rc == KUBE_OK, "not JSON (%s): %.300s", kube_error_last()->message, text);
    return doc;
}

kube_json_doc_t *itest_parse(const http_resp_t *resp)
{
    kube_json_doc_t *doc = NULL;
    kube_error_t rc = kube_json_parse(&doc, resp->body.ptr ? resp->body.ptr : "", resp->body.size, NULL);
    ck_assert_msg(rc == KUBE_OK, "HTTP %d body is not JSON (%s): %.300s", resp->status,
                  kube_error_last()->message, resp->body.ptr ? resp->body.ptr : "");
    return doc;
}

kube_json_doc_t *itest_expect(const kube_http_request_t *req, int want_status)
{
    http_resp_t resp;
    itest_call(req, &resp);
    ck_assert_msg(resp.status == want_status, "%s %s: HTTP %d (want %d): %.600s", req->method, req->path,
                  resp.status, want_status, resp.body.ptr ? resp.body.ptr : "");
    /* a success answer is a success for the status decoder too */
    ck_assert_int_eq(kube_status_classify(NULL, resp.status, resp.content_type, resp.body.ptr,
                                          resp.body.size, NULL), KUBE_OK);
    kube_json_doc_t *doc = itest_parse(&resp);
    http_resp_dispose(&resp);
    return doc;
}

kube_status_t *itest_expect_error(const kube_http_request_t *req, int want_http, kube_error_t want_code,
                                  const char *reason, const char *msg_part)
{
    http_resp_t resp;
    itest_call(req, &resp);
    ck_assert_msg(resp.status == want_http, "%s %s: HTTP %d (want %d): %.600s", req->method, req->path,
                  resp.status, want_http, resp.body.ptr ? resp.body.ptr : "");
    kube_status_t *st = NULL;
    kube_error_clear();
    kube_error_t rc = kube_status_classify(&st, resp.status, resp.content_type, resp.body.ptr, resp.body.size,
                                           NULL);
    const kube_error_info_t *e = kube_error_last();
    ck_assert_msg(rc == want_code, "%s %s: status decoder gave %s, want %s (body %.400s)", req->method,
                  req->path, kube_error_name(rc), kube_error_name(want_code), resp.body.ptr);
    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(e->code, want_code);
    ck_assert_int_eq(e->http_status, want_http);
    if (reason) {
        ck_assert_str_eq(st->reason, reason);
        ck_assert_str_eq(e->reason, reason);
    }
    /* the server's own message reaches kube_error_last() unchanged */
    ck_assert_str_ne(st->message, "");
    ck_assert_str_eq(e->message, st->message);
    if (msg_part)
        ck_assert_msg(strstr(e->message, msg_part) != NULL, "message \"%s\" lacks \"%s\"", e->message,
                      msg_part);
    /* and it is the message of the JSON body */
    kube_json_doc_t *doc = itest_parse(&resp);
    ck_assert_str_eq(kube_json_string(kube_json_get(kube_json_doc_root(doc), "message")), st->message);
    kube_json_doc_free(doc);
    http_resp_dispose(&resp);
    return st;
}

kube_json_doc_t *itest_control(const char *method, const char *path, const char *json_body, int want_status)
{
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    kube_body_t body = {KUBE_BODY_NONE, NULL, 0, NULL, NULL};
    if (json_body)
        body = kube_body_bytes(json_body, strlen(json_body));
    ck_assert_int_eq(kube_request_raw(&req, method, path, body, NULL), KUBE_OK);
    http_resp_t resp;
    itest_call(&req, &resp);
    ck_assert_msg(resp.status == want_status, "%s %s: HTTP %d (want %d): %.400s", method, path, resp.status,
                  want_status, resp.body.ptr ? resp.body.ptr : "");
    kube_json_doc_t *doc = NULL;
    if (resp.body.size > 0 && strstr(resp.content_type, "json"))
        doc = itest_parse(&resp);
    http_resp_dispose(&resp);
    kube_http_request_dispose(&req);
    return doc;
}

kube_json_doc_t *itest_state(void)
{
    kube_json_doc_t *doc = itest_control("GET", "/_emulator/state", NULL, 200);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

const kube_resource_t *itest_res(const char *name)
{
    const kube_resource_t *r = kube_resource_builtin(name);
    ck_assert_msg(r != NULL, "no built-in resource %s", name);
    return r;
}

void itest_make_ns(const char *prefix, char *out, size_t outlen)
{
    static unsigned counter;
    snprintf(out, outlen, "%s-%d-%u-%u", prefix, (int)(getpid() % 100000), ++counter,
             (unsigned)(http_min_rand() % 1000));
    char body[300];
    snprintf(body, sizeof body, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\"}}", out);
    kube_http_request_t req;
    kube_http_request_init(&req, NULL);
    ck_assert_int_eq(kube_request_create(&req, itest_res("namespaces"), NULL, NULL,
                                         kube_body_bytes(body, strlen(body))), KUBE_OK);
    kube_json_doc_t *doc = itest_expect(&req, 201);
    ck_assert_str_eq(kube_object_name(kube_json_doc_root(doc)), out);
    kube_json_doc_free(doc);
    kube_http_request_dispose(&req);
}

void itest_key(const kube_json_t *obj, char *out, size_t outlen)
{
    const kube_json_t *meta = kube_json_get(obj, "metadata");
    const char *ns = kube_json_string(kube_json_get(meta, "namespace"));
    const char *name = kube_json_string(kube_json_get(meta, "name"));
    snprintf(out, outlen, "%s/%s", ns ? ns : "", name ? name : "?");
}
