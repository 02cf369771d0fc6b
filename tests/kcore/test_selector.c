#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kube/selector.h>
#include <kube/json.h>
#include <kube/error.h>
#include "failmalloc.h"

/* ---- helpers ---- */

static char *fmt_label(const char *in)
{
    kube_label_selector_t *s = NULL;
    kube_buf_t b;
    char *r;
    kube_error_t rc = kube_label_selector_parse(&s, in, NULL);
    ck_assert_msg(rc == KUBE_OK, "parse(%s): %s", in, kube_error_last()->message);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_label_selector_format(&b, s), KUBE_OK);
    r = strdup(b.ptr);
    kube_buf_dispose(&b);
    kube_label_selector_free(s);
    return r;
}

static void expect_round(const char *in, const char *want)
{
    char *got = fmt_label(in);
    ck_assert_msg(strcmp(got, want) == 0, "format(parse(%s)) = '%s', want '%s'", in, got, want);
    /* Canonical text re-parses to itself. */
    char *again = fmt_label(got);
    ck_assert_msg(strcmp(again, got) == 0, "not canonical: '%s' -> '%s'", got, again);
    free(again);
    free(got);
}

static void expect_bad(const char *in)
{
    kube_label_selector_t *s = NULL;
    kube_error_t rc = kube_label_selector_parse(&s, in, NULL);
    ck_assert_msg(rc == KUBE_EINVAL, "parse(%s) = %d, want EINVAL", in, rc);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(kube_error_last()->code, KUBE_EINVAL);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "label selector"));
}

/* Set given as "k=v;k2=v2" pairs (';'-separated, no escaping needed in tests). */
static int match_set(const char *sel, const char *set)
{
    kube_label_selector_t *s = NULL;
    kube_kv_t kv[16];
    char buf[512];
    size_t n = 0;
    int m;
    ck_assert_int_eq(kube_label_selector_parse(&s, sel, NULL), KUBE_OK);
    strcpy(buf, set);
    for (char *p = buf; *p;) {
        char *semi = strchr(p, ';');
        char *eq = strchr(p, '=');
        if (semi)
            *semi = '\0';
        *eq = '\0';
        kv[n].key = p;
        kv[n].value = eq + 1;
        n++;
        if (!semi)
            break;
        p = semi + 1;
    }
    m = kube_label_selector_matches_kv(s, kv, n);
    kube_label_selector_free(s);
    return m;
}

/* ---- tests ---- */

START_TEST(label_parse_good)
{
    /* apimachinery TestSelectorParse good strings: printed without spaces. */
    expect_round("x=a,y=b,z=c", "x=a,y=b,z=c");
    expect_round("", "");
    expect_round("x!=a,y=b", "x!=a,y=b");
    expect_round("x=", "x=");
    expect_round("x= ", "x=");
    expect_round("x=,z= ", "x=,z=");
    expect_round("x= ,z= ", "x=,z=");
    expect_round("!x", "!x");
    expect_round("x>1", "x>1");
    expect_round("x>1,z<5", "x>1,z<5");
    /* TestSetSelectorParser cases. */
    expect_round("\rx", "x");
    expect_round("this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash");
    expect_round("this-is-another-dns.domain.com/key-with-dash in (so,what)",
                 "this-is-another-dns.domain.com/key-with-dash in (so,what)");
    expect_round("0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
                 "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)");
    expect_round("foo  in\t (abc)", "foo in (abc)");
    expect_round("x notin\n (abc)", "x notin (abc)");
    expect_round("x  notin\t\t\t(abc,def)", "x notin (abc,def)");
    expect_round("x in (abc,def)", "x in (abc,def)");
    expect_round("x in (abc,)", "x in (,abc)");
    expect_round("x in ()", "x in ()");
    expect_round("x notin (abc,,def),bar,z in (),w", "bar,w,x notin (,abc,def),z in ()");
    expect_round("x,y in (a)", "x,y in (a)");
    expect_round("x=a", "x=a");
    expect_round("x<7", "x<7");
    expect_round("x=a,y!=b,z in (h,i,j)", "x=a,y!=b,z in (h,i,j)");
    expect_round("x notin ( )", "x notin ()");
    expect_round("x notin (, a)", "x notin (,a)");
    expect_round("a ", "a");
    expect_round("a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)");
    expect_bad("a in (xyz abc)");
    /* Deterministic: sorted by key, values sorted and de-duplicated. */
    expect_round("x=a,a=x", "a=x,x=a");
    expect_round("a=x,x=a", "a=x,x=a");
    expect_round("k in (c,b,a,b)", "k in (a,b,c)");
    expect_round("notin=in", "notin=in");
    expect_round("x==a", "x==a");
    expect_round("z!=a,z,x=abc,y==jkl", "x=abc,y==jkl,z!=a,z");
    expect_bad("x>-3");
    expect_bad("y<+4");
    expect_round("x>03,y<4", "x>03,y<4");
    expect_round("app.kubernetes.io/name=nginx , tier in (frontend,backend)",
                 "app.kubernetes.io/name=nginx,tier in (backend,frontend)");
}
END_TEST

static const char *const bad_labels[] = {
    "x=a||y=b", "x==a==b", "!x=a", "x<a", "x,,y", ",x,y", "x nott in (y)", "a in (xyz),",
    "a in (xyz)b notin ()", "x in a", "x in (a", "x in (a,b", "x=(a,b)", "x in in", "=x", "x=a,",
    "(x)", "x in ((a))", "x=a=b", "!", "!!x", "x!", "x in (a b", "x notin", "x in", "x>", "x<",
    "x>1.5", "x>99999999999999999999", "x=-a", "x=a-", "-x", "x-", "x/y/z", "/x", "Example.com/x",
    "exa_mple.com/x", "x in (a),y in (b", ",", "x=a b", "x !x", ("x=" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
};

START_TEST(label_parse_bad)
{
    for (size_t i = 0; i < sizeof bad_labels / sizeof bad_labels[0]; i++)
        expect_bad(bad_labels[i]);
    char big[400];
    memset(big, 'a', 64);
    big[64] = '\0';
    expect_bad(big); /* name part over 63 */
    big[63] = '\0';
    expect_round(big, big);
    memset(big, 'a', 254);
    strcpy(big + 254, "/x");
    expect_bad(big); /* prefix over 253 */
    memset(big, 'a', 253);
    strcpy(big + 253, "/x");
    expect_round(big, big);
    /* Error detail names the offset and the token. */
    kube_label_selector_t *s = NULL;
    ck_assert_int_eq(kube_label_selector_parse(&s, "app in (a,b),tier=(x)", NULL), KUBE_EINVAL);
    ck_assert_msg(strstr(kube_error_last()->message, "offset 18") &&
                      strstr(kube_error_last()->message, "found '('"),
                  "%s", kube_error_last()->message);
    ck_assert_int_eq(kube_label_selector_parse(&s, "app=ok,-bad", NULL), KUBE_EINVAL);
    ck_assert_msg(strstr(kube_error_last()->message, "offset 7") && strstr(kube_error_last()->message, "-bad"),
                  "%s", kube_error_last()->message);
    ck_assert_int_eq(kube_label_selector_parse(&s, "a in (x", NULL), KUBE_EINVAL);
    ck_assert_msg(strstr(kube_error_last()->message, "end of string"), "%s", kube_error_last()->message);
    ck_assert_int_eq(kube_label_selector_parse(&s, NULL, NULL), KUBE_EINVAL);
    ck_assert_int_eq(kube_label_selector_parse(NULL, "x", NULL), KUBE_EINVAL);
}
END_TEST

START_TEST(label_matches)
{
    /* apimachinery TestSelectorMatches */
    ck_assert(match_set("", "x=y"));
    ck_assert(match_set("x=y", "x=y"));
    ck_assert(match_set("x=y,z=w", "x=y;z=w"));
    ck_assert(match_set("x!=y,z!=w", "x=z;z=a"));
    ck_assert(match_set("notin=in", "notin=in"));
    ck_assert(match_set("x", "x=z"));
    ck_assert(match_set("!x", "y=z"));
    ck_assert(match_set("x>1", "x=2"));
    ck_assert(match_set("x<1", "x=0"));
    ck_assert(!match_set("x=z", ""));
    ck_assert(!match_set("x=y", "x=z"));
    ck_assert(!match_set("x=y,z=w", "x=w;z=w"));
    ck_assert(!match_set("x!=y,z!=w", "x=z;z=w"));
    ck_assert(!match_set("x", "y=z"));
    ck_assert(!match_set("!x", "x=z"));
    ck_assert(!match_set("x>1", "x=0"));
    ck_assert(!match_set("x<1", "x=2"));
    ck_assert(match_set("foo=bar", "foo=bar;baz=blah"));
    ck_assert(match_set("baz=blah", "foo=bar;baz=blah"));
    ck_assert(match_set("foo=bar,baz=blah", "foo=bar;baz=blah"));
    ck_assert(!match_set("foo=blah", "foo=bar;baz=blah"));
    ck_assert(!match_set("baz=bar", "foo=bar;baz=blah"));
    ck_assert(!match_set("foo=bar,foobar=bar,baz=blah", "foo=bar;baz=blah"));
    /* TestRequirementSelectorMatching */
    ck_assert(match_set("x in (foo),y notin (alpha)", "x=foo;y=baz"));
    ck_assert(!match_set("x in (foo),y in (alpha)", "x=foo;y=baz"));
    ck_assert(match_set("x notin (),y", "y="));
    ck_assert(match_set("!x,y", "y="));
    ck_assert(!match_set("x notin (),!y", "y="));
    ck_assert(!match_set("x in ()", "y=baz"));
    ck_assert(match_set("z>1", "z=2"));
    ck_assert(!match_set("z>1", "z=v2"));
    ck_assert(!match_set("z>1", "y=5"));
    ck_assert(match_set("z<5", "z=-6"));
    ck_assert(match_set("z>5", "z=+6"));
    ck_assert(!match_set("z>5", "z=6.5"));
    /* Empty value semantics. */
    ck_assert(match_set("x=", "x="));
    ck_assert(!match_set("x=", "y="));
    ck_assert(match_set("x!=", "y="));
    /* The last pair wins for repeated keys. */
    ck_assert(match_set("x=2", "x=1;x=2"));
    /* NULL selector never matches; NULL kv is no labels. */
    ck_assert_int_eq(kube_label_selector_matches_kv(NULL, NULL, 0), 0);
    kube_label_selector_t *s;
    ck_assert_int_eq(kube_label_selector_parse(&s, "!x", NULL), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_matches_kv(s, NULL, 3), 1);
    kube_label_selector_free(s);
}
END_TEST

START_TEST(label_parse_many)
{
    /* 20,000 requirements in reverse key order: parsing stays fast (sorted once),
     * output is in key order, and equal keys keep their input order. */
    size_t n = 20000, cap = n * 16 + 64;
    char *in = malloc(cap), *p = in;
    kube_label_selector_t *s;
    const char *key;
    kube_label_op_t op;
    for (size_t i = n; i-- > 0;)
        p += sprintf(p, "k%05zu=v,", i);
    strcpy(p, "k00000!=w,!k00000");
    ck_assert_int_eq(kube_label_selector_parse(&s, in, NULL), KUBE_OK);
    ck_assert_uint_eq(kube_label_selector_count(s), n + 2);
    ck_assert_int_eq(kube_label_selector_requirement(s, 0, &key, &op, NULL, NULL), KUBE_OK);
    ck_assert_str_eq(key, "k00000");
    ck_assert_int_eq(op, KUBE_LABEL_OP_EQUALS);
    ck_assert_int_eq(kube_label_selector_requirement(s, 1, &key, &op, NULL, NULL), KUBE_OK);
    ck_assert_int_eq(op, KUBE_LABEL_OP_NOT_EQUALS);
    ck_assert_int_eq(kube_label_selector_requirement(s, 2, &key, &op, NULL, NULL), KUBE_OK);
    ck_assert_int_eq(op, KUBE_LABEL_OP_DOES_NOT_EXIST);
    ck_assert_int_eq(kube_label_selector_requirement(s, n + 1, &key, &op, NULL, NULL), KUBE_OK);
    ck_assert_str_eq(key, "k19999");
    /* A later add still lands in order. */
    ck_assert_int_eq(kube_label_selector_add(s, "k10000x", KUBE_LABEL_OP_EXISTS, NULL, 0), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_requirement(s, 10003, &key, &op, NULL, NULL), KUBE_OK);
    ck_assert_str_eq(key, "k10000x");
    kube_label_selector_free(s);
    free(in);
}
END_TEST

START_TEST(label_builder_and_accessors)
{
    kube_label_selector_t *s;
    const char *vals[] = {"b", "a", "b"};
    const char *one[] = {"1"};
    const char *bad[] = {"x y"};
    const char *key;
    kube_label_op_t op;
    const char *const *v;
    size_t n;
    kube_buf_t b;

    ck_assert_int_eq(kube_label_selector_new(&s, NULL), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_is_empty(s), 1);
    ck_assert_int_eq(kube_label_selector_add(s, "tier", KUBE_LABEL_OP_IN, vals, 3), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_add(s, "app", KUBE_LABEL_OP_EXISTS, NULL, 0), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_add(s, "n", KUBE_LABEL_OP_GREATER_THAN, one, 1), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_add(s, "x", KUBE_LABEL_OP_IN, NULL, 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_label_selector_add(s, "x", KUBE_LABEL_OP_EXISTS, one, 1), KUBE_EINVAL);
    ck_assert_int_eq(kube_label_selector_add(s, "x", KUBE_LABEL_OP_EQUALS, vals, 2), KUBE_EINVAL);
    ck_assert_int_eq(kube_label_selector_add(s, "x", KUBE_LABEL_OP_GREATER_THAN, vals, 1), KUBE_EINVAL);
    ck_assert_int_eq(kube_label_selector_add(s, "x", KUBE_LABEL_OP_EQUALS, bad, 1), KUBE_EINVAL);
    ck_assert_int_eq(kube_label_selector_add(s, "bad key", KUBE_LABEL_OP_EXISTS, NULL, 0), KUBE_EINVAL);
    ck_assert_int_eq(kube_label_selector_add(s, "x", (kube_label_op_t)99, NULL, 0), KUBE_EINVAL);
    ck_assert_uint_eq(kube_label_selector_count(s), 3);
    ck_assert_int_eq(kube_label_selector_is_empty(s), 0);
    ck_assert_int_eq(kube_label_selector_requirement(s, 2, &key, &op, &v, &n), KUBE_OK);
    ck_assert_str_eq(key, "tier");
    ck_assert_int_eq(op, KUBE_LABEL_OP_IN);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(v[0], "a");
    ck_assert_str_eq(v[1], "b");
    ck_assert_int_eq(kube_label_selector_requirement(s, 3, &key, &op, &v, &n), KUBE_ENOTFOUND);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_label_selector_format(&b, s), KUBE_OK);
    ck_assert_str_eq(b.ptr, "app,n>1,tier in (a,b)");
    kube_buf_dispose(&b);
    kube_label_selector_free(s);
    kube_label_selector_free(NULL);
}
END_TEST

START_TEST(label_parse_oom)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    for (long n = 0;; n++) {
        kube_label_selector_t *s = NULL;
        failmalloc_reset(&fm, n);
        kube_error_t rc = kube_label_selector_parse(&s, "x notin (abc,,def),bar,z in (),w,!q,k==v,n>3", &mem);
        if (rc == KUBE_OK) {
            kube_buf_t b;
            kube_buf_init(&b, NULL);
            ck_assert_int_eq(kube_label_selector_format(&b, s), KUBE_OK);
            ck_assert_str_eq(b.ptr, "bar,k==v,n>3,!q,w,x notin (,abc,def),z in ()");
            kube_buf_dispose(&b);
            kube_label_selector_free(s);
            ck_assert_int_eq(fm.live, 0);
            ck_assert_int_gt(n, 5);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_ptr_null(s);
        ck_assert_int_eq(fm.live, 0);
        ck_assert_int_lt(n, 500);
    }
}
END_TEST

/* ---- JSON: matching, LabelSelector conversion ---- */

static kube_json_doc_t *parse_json(const char *text)
{
    kube_json_doc_t *d = NULL;
    kube_error_t rc = kube_json_parse(&d, text, strlen(text), NULL);
    ck_assert_msg(rc == KUBE_OK, "json: %s", kube_error_last()->message);
    return d;
}

START_TEST(label_match_json)
{
    kube_json_doc_t *d = parse_json("{\"metadata\":{\"name\":\"p\",\"labels\":{\"app\":\"web\",\"tier\":\"fe\","
                                    "\"n\":\"7\",\"odd\":5}}}");
    const kube_json_t *obj = kube_json_doc_root(d);
    kube_label_selector_t *s;
    static const struct { const char *sel; int want; } cases[] = {
        {"app=web", 1}, {"app=web,tier in (fe,be)", 1}, {"app!=web", 0}, {"n>6", 1}, {"n<7", 0},
        {"odd", 0}, {"!odd", 1}, {"odd!=5", 1}, {"missing", 0}, {"!missing", 1}, {"", 1},
        {"tier notin (fe)", 0}, {"app in (web),n==7", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(kube_label_selector_parse(&s, cases[i].sel, NULL), KUBE_OK);
        ck_assert_msg(kube_label_selector_matches_object(s, obj) == cases[i].want, "%s", cases[i].sel);
        ck_assert_int_eq(kube_label_selector_matches(s, kube_json_get(kube_json_get(obj, "metadata"), "labels")),
                         cases[i].want);
        kube_label_selector_free(s);
    }
    /* No labels at all, or a non-object. */
    ck_assert_int_eq(kube_label_selector_parse(&s, "!app", NULL), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_matches(s, NULL), 1);
    ck_assert_int_eq(kube_label_selector_matches(s, kube_json_get(obj, "metadata")), 1);
    ck_assert_int_eq(kube_label_selector_matches_object(s, obj), 0);
    kube_label_selector_free(s);
    kube_json_doc_free(d);
}
END_TEST

static void expect_to_json(const char *sel, const char *want)
{
    kube_label_selector_t *s, *back;
    kube_json_mut_doc_t *doc;
    kube_json_mut_t *v;
    kube_json_doc_t *frozen;
    kube_buf_t b, b2, b3;
    ck_assert_int_eq(kube_label_selector_parse(&s, sel, NULL), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_doc_new(&doc, NULL), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_to_json(&v, doc, s), KUBE_OK);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_json_mut_write(&b, v, 0), KUBE_OK);
    ck_assert_msg(strcmp(b.ptr, want) == 0, "to_json(%s) = %s, want %s", sel, b.ptr, want);
    /* And back: same meaning (NotEquals comes back as NotIn). */
    ck_assert_int_eq(kube_json_mut_freeze(&frozen, v, NULL), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_from_json(&back, kube_json_doc_root(frozen), NULL), KUBE_OK);
    kube_buf_init(&b2, NULL);
    kube_buf_init(&b3, NULL);
    ck_assert_int_eq(kube_label_selector_to_json(&v, doc, back), KUBE_OK);
    ck_assert_int_eq(kube_json_mut_write(&b2, v, 0), KUBE_OK);
    ck_assert_str_eq(b2.ptr, b.ptr);
    kube_buf_dispose(&b);
    kube_buf_dispose(&b2);
    kube_buf_dispose(&b3);
    kube_json_doc_free(frozen);
    kube_json_mut_doc_free(doc);
    kube_label_selector_free(s);
    kube_label_selector_free(back);
}

START_TEST(label_selector_json)
{
    expect_to_json("", "{}");
    expect_to_json("app=web", "{\"matchLabels\":{\"app\":\"web\"}}");
    expect_to_json("app=web,tier in (fe,be),!legacy,env,x!=y,z notin (a)",
                   "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":["
                   "{\"key\":\"env\",\"operator\":\"Exists\"},"
                   "{\"key\":\"legacy\",\"operator\":\"DoesNotExist\"},"
                   "{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"be\",\"fe\"]},"
                   "{\"key\":\"x\",\"operator\":\"NotIn\",\"values\":[\"y\"]},"
                   "{\"key\":\"z\",\"operator\":\"NotIn\",\"values\":[\"a\"]}]}");
    expect_to_json("a=1,a==2", "{\"matchLabels\":{\"a\":\"1\"},\"matchExpressions\":["
                               "{\"key\":\"a\",\"operator\":\"In\",\"values\":[\"2\"]}]}");

    /* >, < have no LabelSelector form. */
    kube_label_selector_t *s;
    kube_json_mut_doc_t *doc;
    kube_json_mut_t *v = NULL;
    ck_assert_int_eq(kube_json_mut_doc_new(&doc, NULL), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_parse(&s, "n>1", NULL), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_to_json(&v, doc, s), KUBE_EINVAL);
    ck_assert_ptr_null(v);
    kube_label_selector_free(s);

    /* from_json: null/absent matches nothing; {} everything. */
    ck_assert_int_eq(kube_label_selector_from_json(&s, NULL, NULL), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_matches_kv(s, NULL, 0), 0);
    ck_assert_int_eq(kube_label_selector_is_empty(s), 0);
    ck_assert_int_eq(kube_label_selector_to_json(&v, doc, s), KUBE_EINVAL);
    kube_label_selector_free(s);
    kube_json_mut_doc_free(doc);

    kube_json_doc_t *d = parse_json("[null, {}, {\"matchLabels\":null,\"matchExpressions\":null},"
                                    "{\"matchLabels\":{\"app\":\"db\"},\"matchExpressions\":[{\"key\":\"t\","
                                    "\"operator\":\"NotIn\",\"values\":[\"x\",\"y\"]}]},"
                                    "{\"matchExpressions\":[{\"key\":\"t\",\"operator\":\"Gt\",\"values\":[\"1\"]}]},"
                                    "{\"matchExpressions\":[{\"key\":\"t\",\"operator\":\"In\",\"values\":[]}]},"
                                    "{\"matchExpressions\":[{\"key\":\"t\",\"operator\":\"Exists\",\"values\":[\"a\"]}]},"
                                    "{\"matchLabels\":{\"app\":1}},"
                                    "{\"matchLabels\":[]},"
                                    "{\"matchExpressions\":{}},"
                                    "{\"matchExpressions\":[{\"operator\":\"Exists\"}]},"
                                    "{\"matchLabels\":{\"bad key\":\"v\"}},"
                                    "{\"matchExpressions\":[{\"key\":\"t\",\"operator\":\"In\",\"values\":[1]}]},"
                                    "7]");
    const kube_json_t *root = kube_json_doc_root(d);
    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_label_selector_from_json(&s, kube_json_at(root, 0), NULL), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_matches_kv(s, NULL, 0), 0);
    kube_label_selector_free(s);
    for (size_t i = 1; i <= 2; i++) {
        ck_assert_int_eq(kube_label_selector_from_json(&s, kube_json_at(root, i), NULL), KUBE_OK);
        ck_assert_int_eq(kube_label_selector_is_empty(s), 1);
        ck_assert_int_eq(kube_label_selector_matches_kv(s, NULL, 0), 1);
        kube_label_selector_free(s);
    }
    ck_assert_int_eq(kube_label_selector_from_json(&s, kube_json_at(root, 3), NULL), KUBE_OK);
    ck_assert_int_eq(kube_label_selector_format(&b, s), KUBE_OK);
    ck_assert_str_eq(b.ptr, "app=db,t notin (x,y)");
    kube_label_selector_free(s);
    for (size_t i = 4; i <= 13; i++) {
        s = NULL;
        ck_assert_msg(kube_label_selector_from_json(&s, kube_json_at(root, i), NULL) == KUBE_EINVAL, "case %zu", i);
        ck_assert_ptr_null(s);
    }
    ck_assert_int_eq(kube_label_selector_from_json(&s, kube_json_at(root, 4), NULL), KUBE_EINVAL);
    ck_assert_ptr_nonnull(strstr(kube_error_last()->message, "matchExpressions[0].operator"));
    kube_buf_dispose(&b);
    kube_json_doc_free(d);
}
END_TEST

START_TEST(label_selector_json_oom)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    kube_json_doc_t *d = parse_json("{\"matchLabels\":{\"app\":\"db\",\"x\":\"y\"},\"matchExpressions\":["
                                    "{\"key\":\"t\",\"operator\":\"NotIn\",\"values\":[\"x\",\"y\"]},"
                                    "{\"key\":\"e\",\"operator\":\"Exists\"}]}");
    for (long n = 0;; n++) {
        kube_label_selector_t *s = NULL;
        failmalloc_reset(&fm, n);
        kube_error_t rc = kube_label_selector_from_json(&s, kube_json_doc_root(d), &mem);
        if (rc == KUBE_OK) {
            ck_assert_uint_eq(kube_label_selector_count(s), 4);
            kube_label_selector_free(s);
            ck_assert_int_eq(fm.live, 0);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_int_eq(fm.live, 0);
        ck_assert_int_lt(n, 200);
    }
    kube_json_doc_free(d);
}
END_TEST

/* ---- field selectors ---- */

static char *fmt_field(const char *in)
{
    kube_field_selector_t *s = NULL;
    kube_buf_t b;
    char *r;
    ck_assert_msg(kube_field_selector_parse(&s, in, NULL) == KUBE_OK, "parse(%s): %s", in,
                  kube_error_last()->message);
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_field_selector_format(&b, s), KUBE_OK);
    r = strdup(b.ptr);
    kube_buf_dispose(&b);
    kube_field_selector_free(s);
    return r;
}

static void expect_field(const char *in, const char *want)
{
    char *got = fmt_field(in);
    ck_assert_msg(strcmp(got, want) == 0, "field(%s) = '%s', want '%s'", in, got, want);
    free(got);
}

START_TEST(field_parse)
{
    /* apimachinery fields TestSelectorParse good strings round-trip. */
    expect_field("x=a,y=b,z=c", "x=a,y=b,z=c");
    expect_field("", "");
    expect_field("x!=a,y=b", "x!=a,y=b");
    expect_field("x=a||y\\=b", "x=a||y\\=b");
    expect_field("x=a\\=\\=b", "x=a\\=\\=b");
    /* Deterministic order, == printed as =, empty terms skipped. */
    expect_field("x=a,a=x", "a=x,x=a");
    expect_field("a=x,x=a", "a=x,x=a");
    expect_field("metadata.name==foo", "metadata.name=foo");
    expect_field(",,status.phase=Running,,", "status.phase=Running");
    expect_field("spec.nodeName=", "spec.nodeName=");
    expect_field("a=x\\,y", "a=x\\,y");
    expect_field("a=x\\\\y", "a=x\\\\y");
    expect_field("a=b!c", "a=b!c");
    expect_field("=v", "=v");

    static const char *const bad[] = {"x=a||y=b", "x==a==b", "x=a,b", "x in (a)", "x in (a,b,c)", "x",
                                      "x=\\", "x=\\a", "x=\\\\\\", "a=b=c", "a!=b,c"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kube_field_selector_t *s = NULL;
        ck_assert_msg(kube_field_selector_parse(&s, bad[i], NULL) == KUBE_EINVAL, "%s", bad[i]);
        ck_assert_ptr_null(s);
    }
    kube_field_selector_t *s;
    ck_assert_int_eq(kube_field_selector_parse(&s, "a=1,b", NULL), KUBE_EINVAL);
    ck_assert_msg(strstr(kube_error_last()->message, "offset 4") && strstr(kube_error_last()->message, "'b'"), "%s",
                  kube_error_last()->message);

    const char *f, *v;
    kube_field_op_t op;
    ck_assert_int_eq(kube_field_selector_parse(&s, "b!=x\\,y,a==1", NULL), KUBE_OK);
    ck_assert_uint_eq(kube_field_selector_count(s), 2);
    ck_assert_int_eq(kube_field_selector_term(s, 0, &f, &op, &v), KUBE_OK);
    ck_assert_str_eq(f, "a");
    ck_assert_int_eq(op, KUBE_FIELD_OP_EQUALS);
    ck_assert_str_eq(v, "1");
    ck_assert_int_eq(kube_field_selector_term(s, 1, &f, &op, &v), KUBE_OK);
    ck_assert_str_eq(f, "b");
    ck_assert_int_eq(op, KUBE_FIELD_OP_NOT_EQUALS);
    ck_assert_str_eq(v, "x,y");
    ck_assert_int_eq(kube_field_selector_term(s, 2, &f, &op, &v), KUBE_ENOTFOUND);
    kube_field_selector_free(s);
    kube_field_selector_free(NULL);

    kube_buf_t b;
    kube_buf_init(&b, NULL);
    ck_assert_int_eq(kube_field_selector_escape(&b, "a\\b,c=d!"), KUBE_OK);
    ck_assert_str_eq(b.ptr, "a\\\\b\\,c\\=d!");
    kube_buf_dispose(&b);
}
END_TEST

START_TEST(field_parse_oom)
{
    failmalloc_t fm;
    kube_mem_t mem = failmalloc_mem(&fm);
    for (long n = 0;; n++) {
        kube_field_selector_t *s = NULL;
        failmalloc_reset(&fm, n);
        kube_error_t rc = kube_field_selector_parse(&s, "status.phase!=Failed,metadata.name=a\\,b,spec.x==", &mem);
        if (rc == KUBE_OK) {
            ck_assert_uint_eq(kube_field_selector_count(s), 3);
            kube_field_selector_free(s);
            ck_assert_int_eq(fm.live, 0);
            break;
        }
        ck_assert_int_eq(rc, KUBE_ENOMEM);
        ck_assert_int_eq(fm.live, 0);
        ck_assert_int_lt(n, 100);
    }
}
END_TEST

START_TEST(field_match)
{
    kube_json_doc_t *d = parse_json(
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\",\"namespace\":\"prod\"},"
        "\"spec\":{\"nodeName\":\"node-a\",\"hostNetwork\":true,\"priority\":-5,\"big\":18446744073709551615},"
        "\"status\":{\"phase\":\"Running\",\"podIP\":null}}");
    const kube_json_t *pod = kube_json_doc_root(d);
    static const struct { const char *sel; int want; } cases[] = {
        {"", 1},
        {"metadata.name=web-1", 1},
        {"metadata.name=web-2", 0},
        {"metadata.name=web-1,metadata.namespace=prod", 1},
        {"metadata.namespace!=prod", 0},
        {"status.phase=Running", 1},
        {"status.phase!=Failed,status.phase!=Succeeded", 1},
        {"spec.nodeName=node-a", 1},
        {"spec.nodeName=", 0},
        {"spec.schedulerName=", 1},
        {"spec.schedulerName!=", 0},
        {"spec.hostNetwork=true", 1},
        {"spec.hostNetwork=false", 0},
        {"spec.priority=-5", 1},
        {"spec.big=18446744073709551615", 1},
        {"status.podIP=", 1},
        {"spec=", 1},
        {"involvedObject.kind=Pod", 0},
        {"kind=Pod", 1},
        {"metadata..name=web-1", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kube_field_selector_t *s;
        ck_assert_int_eq(kube_field_selector_parse(&s, cases[i].sel, NULL), KUBE_OK);
        ck_assert_msg(kube_field_selector_matches(s, pod) == cases[i].want, "%s", cases[i].sel);
        kube_field_selector_free(s);
    }
    kube_json_doc_free(d);
    d = parse_json("{\"kind\":\"Event\",\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"a,b\"},\"type\":\"Warning\"}");
    kube_field_selector_t *s;
    ck_assert_int_eq(kube_field_selector_parse(&s, "involvedObject.kind=Pod,involvedObject.name=a\\,b,type=Warning",
                                               NULL), KUBE_OK);
    ck_assert_int_eq(kube_field_selector_matches(s, kube_json_doc_root(d)), 1);
    ck_assert_int_eq(kube_field_selector_matches(NULL, kube_json_doc_root(d)), 0);
    kube_field_selector_free(s);
    kube_json_doc_free(d);
}
END_TEST

Suite *kube_test_selector_suite(void)
{
    Suite *s = suite_create("selector");
    TCase *tc = tcase_create("selector");
    tcase_add_test(tc, label_parse_good);
    tcase_add_test(tc, label_parse_bad);
    tcase_add_test(tc, label_matches);
    tcase_add_test(tc, label_parse_many);
    tcase_add_test(tc, label_builder_and_accessors);
    tcase_add_test(tc, label_parse_oom);
    tcase_add_test(tc, label_match_json);
    tcase_add_test(tc, label_selector_json);
    tcase_add_test(tc, label_selector_json_oom);
    tcase_add_test(tc, field_parse);
    tcase_add_test(tc, field_parse_oom);
    tcase_add_test(tc, field_match);
    suite_add_tcase(s, tc);
    return s;
}
