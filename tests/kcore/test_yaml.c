#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kube/json.h>
#include <kube/yaml.h>
#include <kube/error.h>
#include "failmalloc.h"
#include "fixture.h"

/* Parse YAML and compare its compact JSON with @want. */
static void yaml_is(const char *yaml, const char *want)
{
    kube_json_doc_t *doc = NULL;
    kube_buf_t b;
    kube_error_t rc = kube_yaml_parse(&doc, yaml, strlen(yaml), NULL);
    ck_assert_msg(rc == KUBE_OK, "yaml '%s' failed: %s", yaml, kube_error_last()->message);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_json_write(&b, kube_json_doc_root(doc), 0), KUBE_OK);
    ck_assert_msg(strcmp(b.ptr, want) == 0, "yaml '%s' gave %s, want %s", yaml, b.ptr, want);
    kube_buf_dispose(&b);
    kube_json_doc_free(doc);
}

static void yaml_fails(const char *yaml, const char *msg_part)
{
    kube_json_doc_t *doc = NULL;
    kube_error_t rc = kube_yaml_parse(&doc, yaml, strlen(yaml), NULL);
    ck_assert_msg(rc == KUBE_EINVAL, "yaml '%s' gave %d, want EINVAL", yaml, rc);
    ck_assert_ptr_null(doc);
    ck_assert_msg(strstr(kube_error_last()->message, msg_part) != NULL, "message '%s' lacks '%s'",
                  kube_error_last()->message, msg_part);
}

START_TEST(kubernetes_scalar_rules)
{
    /* go-yaml v2 as sigs.k8s.io/yaml uses it */
    yaml_is("a: on", "{\"a\":true}");
    yaml_is("a: yes", "{\"a\":true}");
    yaml_is("a: y", "{\"a\":true}");
    yaml_is("a: No", "{\"a\":false}");
    yaml_is("a: OFF", "{\"a\":false}");
    yaml_is("a: oN", "{\"a\":\"oN\"}");
    yaml_is("a: =", "{\"a\":\"=\"}");
    yaml_is("a: 0755", "{\"a\":493}");
    yaml_is("a: 0o17", "{\"a\":15}");
    yaml_is("a: 0x1F", "{\"a\":31}");
    yaml_is("a: 0b101", "{\"a\":5}");
    yaml_is("a: -0x10", "{\"a\":-16}");
    yaml_is("a: 1_000", "{\"a\":1000}");
    yaml_is("a: 08", "{\"a\":8}");
    yaml_is("a: 1e3", "{\"a\":1000}");
    yaml_is("a: 1.5", "{\"a\":1.5}");
    yaml_is("a: .5", "{\"a\":0.5}");
    yaml_is("a: -1.", "{\"a\":-1}");
    yaml_is("a: +7", "{\"a\":7}");
    yaml_is("a: 1e400", "{\"a\":\"1e400\"}");
    yaml_is("a: 9223372036854775807", "{\"a\":9223372036854775807}");
    yaml_is("a: -9223372036854775808", "{\"a\":-9223372036854775808}");
    yaml_is("a: 18446744073709551615", "{\"a\":18446744073709551615}");
    yaml_is("a: 18446744073709551616", "{\"a\":1.8446744073709552e+19}");
    yaml_is("a: ~", "{\"a\":null}");
    yaml_is("a: null", "{\"a\":null}");
    yaml_is("a: NULL", "{\"a\":null}");
    yaml_is("a:", "{\"a\":null}");
    yaml_is("a: 2024-01-02", "{\"a\":\"2024-01-02\"}");
    yaml_is("a: 1.2.3", "{\"a\":\"1.2.3\"}");
    yaml_is("a: 0x", "{\"a\":\"0x\"}");
    yaml_is("a: 12abc", "{\"a\":\"12abc\"}");
    yaml_is("a: -x", "{\"a\":\"-x\"}");
    /* go-yaml v2 resolves keys too: a bare y key is the boolean true */
    yaml_is("y: 1\nn: 2", "{\"true\":1,\"false\":2}");
    /* quoted and block scalars are strings */
    yaml_is("a: \"on\"\nb: '123'\nc: |\n  x\n  y\nd: >-\n  p\n  q\n", "{\"a\":\"on\",\"b\":\"123\",\"c\":\"x\\ny\\n\",\"d\":\"p q\"}");
    yaml_is("a: \"\\u00e9\\t\\x41\"", "{\"a\":\"\xc3\xa9\\tA\"}");
    /* tags */
    yaml_is("a: !!str 123\nb: !!int \"42\"\nc: !!float 1\nd: !!bool \"true\"\ne: !!null ''\nf: !Ref x\ng: !!binary aGk=",
            "{\"a\":\"123\",\"b\":42,\"c\":1,\"d\":true,\"e\":null,\"f\":\"x\",\"g\":\"aGk=\"}");
    yaml_fails("a: !!int abc", "!!int");
    yaml_fails("a: .inf", "no JSON form");
    yaml_fails("a: -.Inf", "no JSON form");
    yaml_fails("a: .nan", "no JSON form");
}
END_TEST

START_TEST(keys_structure_and_documents)
{
    yaml_is("1: a\ntrue: b\n1.5: c\n0x10: d\n1e6: e\n", "{\"1\":\"a\",\"true\":\"b\",\"1.5\":\"c\",\"16\":\"d\",\"1e+06\":\"e\"}");
    yaml_is("1e40: a\n-1e40: b", "{\".inf\":\"a\",\"-.inf\":\"b\"}");
    yaml_fails("~: a", "null mapping key");
    yaml_fails("? [a]\n: b", "mapping key");
    yaml_is("a: 1\na: 2", "{\"a\":2}");
    yaml_is("- [1, {b: c}]\n- {}\n- []\n", "[[1,{\"b\":\"c\"}],{},[]]");
    yaml_is("", "null");
    yaml_is("# only a comment\n", "null");
    yaml_is("---\n", "null");
    yaml_is("---\n---\na: 1\n---\n", "{\"a\":1}");
    yaml_is("plain text", "\"plain text\"");
    yaml_fails("a: 1\n---\nb: 2\n", "one document");
    yaml_fails("a: [1, 2", "line");
    yaml_fails("a: b: c", "line 1 column");
    yaml_fails("a:\n  - b\n c: d", "line");
    yaml_fails("a: \"\\ud800\"", "line");
}
END_TEST

START_TEST(anchors_aliases_and_merge)
{
    yaml_is("a: &x {p: 1, q: [2]}\nb: *x\nc: &s str\nd: *s", "{\"a\":{\"p\":1,\"q\":[2]},\"b\":{\"p\":1,\"q\":[2]},\"c\":\"str\",\"d\":\"str\"}");
    yaml_is("base: &b {x: 1, z: 2}\nobj:\n  <<: *b\n  z: 3\n", "{\"base\":{\"x\":1,\"z\":2},\"obj\":{\"x\":1,\"z\":3}}");
    yaml_is("base: &b {x: 1, z: 2}\nobj:\n  z: 3\n  <<: *b\n", "{\"base\":{\"x\":1,\"z\":2},\"obj\":{\"z\":3,\"x\":1}}");
    yaml_is("a: &a {x: 1}\nb: &b {x: 2, z: 3}\nc:\n  <<: [*a, *b]\n", "{\"a\":{\"x\":1},\"b\":{\"x\":2,\"z\":3},\"c\":{\"x\":1,\"z\":3}}");
    yaml_is("c:\n  <<: {k: v}\n", "{\"c\":{\"k\":\"v\"}}");
    yaml_is("c:\n  \"<<\": {k: v}\n", "{\"c\":{\"<<\":{\"k\":\"v\"}}}");
    yaml_is("a: &x 1\nb: *x\nc: &x [2]\nd: *x", "{\"a\":1,\"b\":1,\"c\":[2],\"d\":[2]}");
    {
        /* many anchors and aliases: looked up through a hash table */
        kube_buf_t y;
        kube_json_doc_t *doc = NULL;
        int64_t v = 0;
        kube_buf_init(&y, NULL);
        for (int i = 0; i < 5000; i++)
            ck_assert_int_eq(kube_buf_printf(&y, "a%d: &n%d %d\n", i, i, i), KUBE_OK);
        for (int i = 0; i < 5000; i++)
            ck_assert_int_eq(kube_buf_printf(&y, "b%d: *n%d\n", i, 4999 - i), KUBE_OK);
        ck_assert_int_eq(kube_yaml_parse(&doc, y.ptr, y.size, NULL), KUBE_OK);
        ck_assert_int_eq(kube_json_int64(kube_json_get(kube_json_doc_root(doc), "b10"), &v), KUBE_OK);
        ck_assert_int_eq(v, 4989);
        ck_assert_uint_eq(kube_json_size(kube_json_doc_root(doc)), 10000);
        kube_json_doc_free(doc);
        kube_buf_dispose(&y);
    }
    yaml_fails("a: *nope", "unknown anchor");
    yaml_fails("a: &x [1, *x]", "contains itself");
    yaml_fails("c:\n  <<: 5\n", "merge");
    /* billion laughs */
    yaml_fails("a: &a [x,x,x,x,x,x,x,x,x,x]\n"
               "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
               "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
               "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
               "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
               "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
               "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n", "aliases expand");
}
END_TEST

typedef struct collected {
    int n;
    int stop_after;
    char names[8][32];
} collected_t;

static int collect(kube_json_doc_t *doc, void *ud)
{
    collected_t *c = ud;
    const char *name = kube_json_string(kube_json_pointer(kube_json_doc_root(doc), "/metadata/name"));
    snprintf(c->names[c->n % 8], sizeof c->names[0], "%s", name ? name : "?");
    c->n++;
    kube_json_doc_free(doc);
    return c->stop_after && c->n >= c->stop_after;
}

START_TEST(streams)
{
    const char *s = "---\n# empty\n---\nmetadata: {name: one}\n---\nnull\n---\n~\n...\n---\nmetadata:\n  name: two\n---\n";
    collected_t c;
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(kube_yaml_parse_stream(s, strlen(s), NULL, collect, &c), KUBE_OK);
    ck_assert_int_eq(c.n, 2);
    ck_assert_str_eq(c.names[0], "one");
    ck_assert_str_eq(c.names[1], "two");
    memset(&c, 0, sizeof c);
    c.stop_after = 1;
    ck_assert_int_eq(kube_yaml_parse_stream(s, strlen(s), NULL, collect, &c), KUBE_EUSER);
    ck_assert_int_eq(c.n, 1);
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(kube_yaml_parse_stream("a: 1\n---\nb: [\n", 14, NULL, collect, &c), KUBE_EINVAL);
    ck_assert_int_eq(c.n, 1);
    ck_assert_int_eq(kube_yaml_parse_stream("", 0, NULL, NULL, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_yaml_parse_stream("", 0, NULL, collect, &c), KUBE_OK);
}
END_TEST

START_TEST(depth_limit_and_failmalloc)
{
    kube_json_parse_opts_t o = KUBE_JSON_PARSE_OPTS_INIT;
    kube_json_doc_t *doc = NULL;
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    const char *y = "apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: cm\n  labels: {a: b}\n"
                    "data:\n  k: v\n  n: \"1\"\ncopy: *m\nlist: [1, 2.5, true, ~]\n";
    long n;
    o.max_depth = 2;
    ck_assert_int_eq(kube_yaml_parse(&doc, "a: {b: 1}", 9, &o), KUBE_OK);
    kube_json_doc_free(doc);
    doc = NULL;
    ck_assert_int_eq(kube_yaml_parse(&doc, "a: {b: [1]}", 11, &o), KUBE_EINVAL);
    ck_assert_ptr_null(doc);
    o.max_depth = 0;
    o.mem = &mem;
    for (n = 0;; n++) {
        kube_error_t rc;
        failmalloc_reset(&fm, n);
        rc = kube_yaml_parse(&doc, y, strlen(y), &o);
        if (rc == KUBE_OK) {
            ck_assert_str_eq(kube_json_string(kube_json_pointer(kube_json_doc_root(doc), "/copy/labels/a")), "b");
            kube_json_doc_free(doc);
            ck_assert_int_eq(fm.live, 0);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_int_eq(fm.live, 0);
    }
    ck_assert_int_gt(n, 3);
}
END_TEST

START_TEST(utf16_kubeconfig)
{
    size_t len;
    char *text = kube_test_read_file(KUBE_SHARED_DIR "/testdata/kubeconfig/kube-rs_kubeconfig_utf16le.yaml", &len);
    kube_json_doc_t *doc = NULL;
    const kube_json_t *r;
    if (!text) {
        fprintf(stderr, "skipping utf16_kubeconfig: %s absent\n", KUBE_SHARED_DIR);
        return;
    }
    ck_assert_uint_ge(len, 2);
    ck_assert((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE);
    ck_assert_int_eq(kube_yaml_parse(&doc, text, len, NULL), KUBE_OK);
    r = kube_json_doc_root(doc);
    ck_assert_int_eq(kube_json_type(r), KUBE_JSON_OBJECT);
    ck_assert_int_eq(kube_json_type(kube_json_get(r, "clusters")), KUBE_JSON_ARRAY);
    ck_assert_ptr_nonnull(kube_json_string(kube_json_get(r, "current-context")));
    kube_json_doc_free(doc);
    free(text);
}
END_TEST

START_TEST(real_crds_parse)
{
    static const char *files[] = {"cert-manager.io_certificates.yaml", "kube.rs_admittests.yaml",
                                  "monitoring.coreos.com_prometheusrules.yaml"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        char path[512];
        size_t len;
        char *text;
        kube_json_doc_t *doc = NULL;
        snprintf(path, sizeof path, "%s/testdata/crds/%s", KUBE_SHARED_DIR, files[k]);
        if (!(text = kube_test_read_file(path, &len))) {
            fprintf(stderr, "skipping %s: absent\n", path);
            continue;
        }
        ck_assert_msg(kube_yaml_parse(&doc, text, len, NULL) == KUBE_OK, "%s: %s", files[k],
                      kube_error_last()->message);
        ck_assert(kube_json_string_eq(kube_json_get(kube_json_doc_root(doc), "kind"), "CustomResourceDefinition"));
        ck_assert_int_eq(kube_json_type(kube_json_pointer(kube_json_doc_root(doc), "/spec/versions/0/name")),
                         KUBE_JSON_STRING);
        kube_json_doc_free(doc);
        free(text);
    }
}
END_TEST

Suite *kube_test_yaml_suite(void)
{
    Suite *s = suite_create("yaml");
    TCase *tc = tcase_create("yaml");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, kubernetes_scalar_rules);
    tcase_add_test(tc, keys_structure_and_documents);
    tcase_add_test(tc, anchors_aliases_and_merge);
    tcase_add_test(tc, streams);
    tcase_add_test(tc, depth_limit_and_failmalloc);
    tcase_add_test(tc, utf16_kubeconfig);
    tcase_add_test(tc, real_crds_parse);
    suite_add_tcase(s, tc);
    return s;
}
