/* json_object: read a Pod with libkube's JSON, then build and print a merge patch.
 *
 * Shows: kube_json_parse() into an immutable document, lookups that chain through
 * absent values (kube_json_get on NULL gives NULL), JSON Pointer, iteration, and the
 * mutable builder for a request body (a JSON merge patch that relabels the Pod and
 * removes an annotation), written compactly and pretty-printed.
 *
 * Build: part of the examples (meson -Dexamples=true); run: ./example-json_object */
#include <stdio.h>
#include <string.h>
#include <kube/json.h>
#include <kube/error.h>

static const char pod_json[] =
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-7d4b9c\","
    "\"namespace\":\"shop\",\"resourceVersion\":\"812734\",\"generation\":3,"
    "\"labels\":{\"app\":\"web\",\"app.kubernetes.io/version\":\"1.4.2\"},"
    "\"annotations\":{\"checksum/config\":\"5f1c\",\"deploy.example.com/owner\":\"team-a\"}},"
    "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.example.com/web:1.4.2\","
    "\"ports\":[{\"containerPort\":8080,\"protocol\":\"TCP\"}]},"
    "{\"name\":\"envoy\",\"image\":\"envoyproxy/envoy:v1.31.2\"}]},"
    "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.4.7.12\"}}";

int main(void)
{
    kube_json_doc_t *doc = NULL;
    kube_json_mut_doc_t *patch_doc = NULL;
    kube_json_mut_t *patch, *meta, *labels, *annotations;
    const kube_json_t *pod, *meta_v, *v;
    kube_json_iter_t it;
    kube_buf_t out;
    int64_t generation = 0, port = 0;
    const char *key;
    int rc = 1;

    if (kube_json_parse(&doc, pod_json, strlen(pod_json), NULL) != KUBE_OK) {
        fprintf(stderr, "parse: %s\n", kube_error_last()->message);
        return 1;
    }
    pod = kube_json_doc_root(doc);
    meta_v = kube_json_get(pod, "metadata");

    /* Lookups chain: a missing member anywhere gives NULL, never a crash. */
    printf("pod %s/%s (resourceVersion %s)\n", kube_json_string(kube_json_get(meta_v, "namespace")),
           kube_json_string(kube_json_get(meta_v, "name")),
           kube_json_string(kube_json_get(meta_v, "resourceVersion")));
    if (kube_json_int64(kube_json_get(meta_v, "generation"), &generation) == KUBE_OK)
        printf("generation %lld\n", (long long)generation);
    printf("no such field: %s\n", kube_json_string(kube_json_get(kube_json_get(pod, "nope"), "x")) ? "?" : "(absent)");
    if (kube_json_int64(kube_json_pointer(pod, "/spec/containers/0/ports/0/containerPort"), &port) == KUBE_OK)
        printf("first port %lld\n", (long long)port);

    printf("containers:\n");
    kube_json_iter_init(&it, kube_json_pointer(pod, "/spec/containers"));
    while ((v = kube_json_iter_next(&it, NULL, NULL)) != NULL)
        printf("  %s: %s\n", kube_json_string(kube_json_get(v, "name")), kube_json_string(kube_json_get(v, "image")));
    printf("labels:\n");
    kube_json_iter_init(&it, kube_json_get(meta_v, "labels"));
    while ((v = kube_json_iter_next(&it, &key, NULL)) != NULL)
        printf("  %s=%s\n", key, kube_json_string(v));

    /* A merge patch (RFC 7386): set a label, bump the version label, delete an
     * annotation (null), guarded by the resourceVersion we read. */
    if (kube_json_mut_doc_new(&patch_doc, NULL) != KUBE_OK)
        goto done;
    patch = kube_json_mut_obj(patch_doc);
    meta = kube_json_mut_obj(patch_doc);
    labels = kube_json_mut_obj(patch_doc);
    annotations = kube_json_mut_obj(patch_doc);
    if (!patch || !meta || !labels || !annotations)
        goto done;
    kube_json_mut_doc_set_root(patch_doc, patch);
    if (kube_json_mut_obj_set_str(labels, "tier", "frontend") != KUBE_OK ||
        kube_json_mut_obj_set_str(labels, "app.kubernetes.io/version", "1.4.3") != KUBE_OK ||
        kube_json_mut_obj_set(annotations, "checksum/config", kube_json_mut_null(patch_doc)) != KUBE_OK ||
        kube_json_mut_obj_set_str(meta, "resourceVersion",
                                  kube_json_string(kube_json_get(meta_v, "resourceVersion"))) != KUBE_OK ||
        kube_json_mut_obj_set(meta, "labels", labels) != KUBE_OK ||
        kube_json_mut_obj_set(meta, "annotations", annotations) != KUBE_OK ||
        kube_json_mut_obj_set(patch, "metadata", meta) != KUBE_OK) {
        fprintf(stderr, "builder: %s\n", kube_error_last()->message);
        goto done;
    }

    kube_buf_init(&out, NULL);
    if (kube_json_mut_write(&out, kube_json_mut_doc_root(patch_doc), 0) == KUBE_OK)
        printf("merge patch: %s\n", out.ptr);
    kube_buf_clear(&out);
    if (kube_json_mut_write(&out, kube_json_mut_doc_root(patch_doc), KUBE_JSON_WRITE_PRETTY) == KUBE_OK)
        printf("pretty:\n%s\n", out.ptr);
    kube_buf_dispose(&out);
    rc = 0;
done:
    kube_json_mut_doc_free(patch_doc);
    kube_json_doc_free(doc);
    return rc;
}
