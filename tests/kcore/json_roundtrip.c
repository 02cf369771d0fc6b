/* Differential-test helper (built by meson, not installed): read stdin, parse it as
 * JSON (default) or YAML (--yaml, one document), write compact JSON to stdout.
 * Exit status 0 on success, 1 when the input is rejected (message on stderr),
 * 2 on usage or I/O errors. --pretty writes indented output; --stream (YAML) writes
 * one compact document per line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kube/json.h>
#include <kube/yaml.h>
#include <kube/error.h>

static int emit(kube_json_doc_t *doc, void *ud)
{
    kube_buf_t b;
    unsigned flags = *(unsigned *)ud;
    int rc;
    kube_buf_init(&b, NULL);
    rc = kube_json_write(&b, kube_json_doc_root(doc), flags);
    if (rc == KUBE_OK) {
        fwrite(b.ptr, 1, b.size, stdout);
        fputc('\n', stdout);
    }
    kube_buf_dispose(&b);
    kube_json_doc_free(doc);
    return rc != KUBE_OK;
}

int main(int argc, char **argv)
{
    int yaml = 0, stream = 0;
    unsigned flags = 0;
    size_t cap = 1 << 16, len = 0, n;
    char *data = malloc(cap);
    kube_json_doc_t *doc = NULL;
    kube_error_t rc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--yaml") == 0)
            yaml = 1;
        else if (strcmp(argv[i], "--stream") == 0)
            yaml = stream = 1;
        else if (strcmp(argv[i], "--pretty") == 0)
            flags |= KUBE_JSON_WRITE_PRETTY;
        else {
            fprintf(stderr, "usage: json_roundtrip [--yaml|--stream] [--pretty] < input\n");
            return 2;
        }
    }
    while (data && (n = fread(data + len, 1, cap - len, stdin)) > 0) {
        len += n;
        if (len == cap) {
            char *nd = realloc(data, cap *= 2);
            if (!nd) {
                free(data);
                return 2;
            }
            data = nd;
        }
    }
    if (!data)
        return 2;
    if (stream) {
        rc = kube_yaml_parse_stream(data, len, NULL, emit, &flags);
        free(data);
        if (rc != KUBE_OK) {
            fprintf(stderr, "%s\n", kube_error_last()->message);
            return 1;
        }
        return 0;
    }
    rc = yaml ? kube_yaml_parse(&doc, data, len, NULL) : kube_json_parse(&doc, data, len, NULL);
    free(data);
    if (rc != KUBE_OK) {
        fprintf(stderr, "%s\n", kube_error_last()->message);
        return 1;
    }
    return emit(doc, &flags) ? 2 : 0;
}
