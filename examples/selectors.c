/* Label and field selectors: parse, print canonically, match label sets and objects,
 * and convert to the LabelSelector form used in Deployments and Services.
 *
 *   example-selectors ['label selector'] ['field selector']
 */
#include <stdio.h>
#include <string.h>

#include <kube/json.h>
#include <kube/object.h>
#include <kube/selector.h>

static const char pod_json[] =
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
    "\"metadata\":{\"name\":\"web-1\",\"namespace\":\"prod\",\"labels\":{\"app\":\"web\",\"tier\":\"frontend\"}},"
    "\"spec\":{\"nodeName\":\"node-a\"},\"status\":{\"phase\":\"Running\"}}";

static int fail(const char *what)
{
    const kube_error_info_t *e = kube_error_last();
    fprintf(stderr, "%s: %s (%s)\n", what, e->message, kube_error_name(e->code));
    return 1;
}

int main(int argc, char **argv)
{
    const char *label_text = argc > 1 ? argv[1] : "tier in (frontend, backend), app=web, !legacy";
    const char *field_text = argc > 2 ? argv[2] : "status.phase=Running,metadata.namespace!=kube-system";
    static const kube_kv_t sets[][2] = {
        {{"app", "web"}, {"tier", "frontend"}},
        {{"app", "web"}, {"legacy", "true"}},
        {{"app", "db"}, {"tier", "backend"}},
    };
    kube_label_selector_t *labels = NULL;
    kube_field_selector_t *fields = NULL;
    kube_json_doc_t *pod = NULL;
    kube_json_mut_doc_t *doc = NULL;
    kube_json_mut_t *ls = NULL;
    kube_buf_t buf;
    int rc = 1;

    kube_buf_init(&buf, NULL);
    if (kube_label_selector_parse(&labels, label_text, NULL) != KUBE_OK) {
        rc = fail("label selector");
        goto out;
    }
    if (kube_label_selector_format(&buf, labels) != KUBE_OK)
        goto out;
    printf("label selector: %s\n", buf.ptr);
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        printf("  {%s=%s, %s=%s}: %s\n", sets[i][0].key, sets[i][0].value, sets[i][1].key, sets[i][1].value,
               kube_label_selector_matches_kv(labels, sets[i], 2) ? "match" : "no match");

    if (kube_json_mut_doc_new(&doc, NULL) != KUBE_OK)
        goto out;
    kube_buf_clear(&buf);
    if (kube_label_selector_to_json(&ls, doc, labels) == KUBE_OK && kube_json_mut_write(&buf, ls, 0) == KUBE_OK)
        printf("as LabelSelector: %s\n", buf.ptr);

    if (kube_field_selector_parse(&fields, field_text, NULL) != KUBE_OK) {
        rc = fail("field selector");
        goto out;
    }
    kube_buf_clear(&buf);
    if (kube_field_selector_format(&buf, fields) != KUBE_OK)
        goto out;
    printf("field selector: %s\n", buf.ptr);
    if (kube_json_parse(&pod, pod_json, sizeof pod_json - 1, NULL) != KUBE_OK) {
        rc = fail("pod");
        goto out;
    }
    printf("  pod %s/%s: labels %s, fields %s\n", kube_object_namespace(kube_json_doc_root(pod)),
           kube_object_name(kube_json_doc_root(pod)),
           kube_label_selector_matches_object(labels, kube_json_doc_root(pod)) ? "match" : "no match",
           kube_field_selector_matches(fields, kube_json_doc_root(pod)) ? "match" : "no match");
    rc = 0;
out:
    kube_json_doc_free(pod);
    kube_json_mut_doc_free(doc);
    kube_field_selector_free(fields);
    kube_label_selector_free(labels);
    kube_buf_dispose(&buf);
    return rc;
}
