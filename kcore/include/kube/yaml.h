/**
 * @file yaml.h
 * @brief YAML (kubeconfig, CRDs, manifests) read into libkube JSON documents.
 *
 * YAML is parsed with libyaml and converted into the same immutable documents that
 * kube_json_parse() produces, following what Kubernetes itself does when it turns
 * YAML into JSON (sigs.k8s.io/yaml's YAMLToJSON, which resolves plain scalars with
 * go-yaml v2, the rules kubectl applies to `kubectl apply -f`):
 *
 * - Quoted and block (`|`, `>`) scalars are always strings.
 * - Plain `~`, `null`, `Null`, `NULL` and the empty scalar are null.
 * - Plain `true`/`false`, and also YAML 1.1's `y`, `yes`, `on`, `n`, `no`, `off`
 *   (in the lower, Capitalised and UPPER forms go-yaml v2 lists) are booleans.
 *   This is what Kubernetes does today (kubectl turns `on` into true); quote such
 *   values to keep them strings. `=` and every other word is a string.
 * - Integers as Go's strconv.ParseInt/ParseUint with base 0 after removing `_`:
 *   decimal, `0x1F` (31), `0o17` (15), `0b101` (5), and a leading zero is octal
 *   (`0755` is 493). They keep 64-bit exactness (int64, or uint64 above INT64_MAX).
 * - Floats matching `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` are doubles
 *   (`1e3` is 1000, `08` is 8); a float that overflows stays a string, as in go-yaml.
 *   `.inf`, `-.inf` and `.nan` have no JSON form: the parse fails with KUBE_EINVAL
 *   (Go's json.Marshal fails on them too).
 * - Timestamps stay strings. Tags: `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`
 *   force the type (a value that does not fit fails); `!!binary`, `!!timestamp`
 *   and application tags (`!Ref`) keep the text as a string.
 * - Mapping keys become strings: integers in decimal, booleans as "true"/"false",
 *   floats as Go's FormatFloat(f, 'g', -1, 32); a null, sequence or mapping key is
 *   an error. A repeated key keeps the last value (go-yaml's non-strict decoding).
 * - Anchors and aliases are expanded (an alias to a node that contains it is an
 *   error); at most 1,000,000 values may be created through aliases per document,
 *   against "billion laughs" inputs. Merge keys (`<<: *base`, or a sequence of
 *   mappings) copy the members that the mapping does not set itself (explicit keys
 *   win wherever they appear; the first mapping of a merge sequence wins).
 * - UTF-8, and UTF-16 with a byte-order mark, are accepted (libyaml detects them).
 * - Errors name the line and column (1-based) in kube_error_last().
 *
 * Memory: the documents are allocated with kube_json_parse_opts_t.mem; libyaml's
 * own short-lived parser state uses libc's malloc (libyaml has no allocator hooks).
 *
 * Thread-safety: the functions are reentrant; documents are immutable (see json.h).
 * @since 0.1
 */
#ifndef KUBE_YAML_H
#define KUBE_YAML_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/json.h>

KUBE_BEGIN_DECL

/**
 * Parse a YAML text that holds one document into a JSON document.
 *
 * Empty documents (no content, or only comments, or a `---` with nothing after it)
 * are ignored; when nothing else remains the result is a document whose root is
 * null (as go-yaml gives for empty input).
 *
 * @param[out] out receives the document (refcount 1); untouched on error.
 * @param data the YAML text (need not be NUL-terminated); not retained.
 * @param len its length in bytes.
 * @param opts max_depth (nesting limit), mem (allocator for the document);
 *        flags are ignored. NULL for the defaults.
 * @return KUBE_OK; KUBE_EINVAL for a YAML syntax error, more than one non-empty
 *         document, a value JSON cannot hold (.inf, .nan, a null or collection
 *         key), a tag the value does not fit, an alias problem, nesting over the
 *         limit, or invalid UTF-8 (kube_error_last() gives line:column);
 *         KUBE_ENOMEM.
 * Ownership: the caller owns *out; release with kube_json_doc_free().
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_yaml_parse(kube_json_doc_t **out, const char *data, size_t len,
                                         const kube_json_parse_opts_t *opts);

/**
 * Parse a multi-document YAML stream (documents separated by `---`) and hand each
 * document to @p cb in order.
 *
 * Documents that are empty or whose root is null are skipped, as kubectl does.
 * Parsing stops at the first error; documents already delivered stay delivered.
 *
 * @param data the YAML text; not retained.
 * @param len its length in bytes.
 * @param opts as for kube_yaml_parse(), or NULL.
 * @param cb called once per document; it receives ownership of @p doc (release it
 *        with kube_json_doc_free()), also when it returns nonzero. Returning nonzero
 *        stops the stream.
 * @param userdata passed to @p cb.
 * @return KUBE_OK after the whole stream; KUBE_EUSER when @p cb returned nonzero;
 *         KUBE_EINVAL (as kube_yaml_parse(), or NULL @p cb); KUBE_ENOMEM.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_yaml_parse_stream(const char *data, size_t len, const kube_json_parse_opts_t *opts,
                                                int (*cb)(kube_json_doc_t *doc, void *userdata),
                                                void *userdata);

KUBE_END_DECL

#endif /* KUBE_YAML_H */
