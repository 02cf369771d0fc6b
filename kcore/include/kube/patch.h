/**
 * @file patch.h
 * @brief Patch documents: content types of the four patch flavours, an RFC 6902
 *        JSON patch builder, and RFC 7386 merge-patch computation from two values.
 *
 * Send any of them with kube_request_patch() (<kube/request.h>):
 *
 * | kube_patch_type_t | Content-Type | body |
 * |---|---|---|
 * | KUBE_PATCH_MERGE | application/merge-patch+json | a JSON object (RFC 7386; `null` deletes) |
 * | KUBE_PATCH_JSON | application/json-patch+json | an array of operations (kube_json_patch_t) |
 * | KUBE_PATCH_STRATEGIC | application/strategic-merge-patch+json | a JSON object with optional `$patch` / `$setElementOrder` directives (built-in kinds only) |
 * | KUBE_PATCH_APPLY | application/apply-patch+yaml | the applied object as JSON (server-side apply; needs a field manager) |
 *
 * Thread-safety: the free functions are reentrant; a kube_json_patch_t is not
 * thread-safe (one thread at a time).
 * @since 0.1
 */
#ifndef KUBE_PATCH_H
#define KUBE_PATCH_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>
#include <kube/json.h>
#include <kube/params.h>
#include <kube/request.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/**
 * The media type a patch of @p type is sent with.
 * @param type the patch type.
 * @return a static string, or NULL for an unknown type.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_patch_content_type(kube_patch_type_t type);

/* ---- RFC 6902 JSON patch ---- */

/** An RFC 6902 JSON patch under construction (opaque). */
typedef struct kube_json_patch kube_json_patch_t;

/**
 * Create an empty JSON patch (`[]`).
 * @param[out] out receives the patch; untouched on error.
 * @param mem allocator (copied), or NULL for the default.
 * @return KUBE_OK, KUBE_EINVAL (NULL @p out) or KUBE_ENOMEM.
 * Ownership: the caller owns *out; release with kube_json_patch_free().
 * Thread-safety: reentrant; the new patch is used by one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_patch_new(kube_json_patch_t **out, const kube_mem_t *mem);

/**
 * Free a JSON patch. Accepts NULL.
 * @param patch the patch; invalid afterwards (bodies borrowed from it too).
 * Thread-safety: not thread-safe: one thread at a time per patch.
 * @since 0.1
 */
KUBE_EXTERN void kube_json_patch_free(kube_json_patch_t *patch);

/**
 * Append `{"op":"add","path":PATH,"value":VALUE}`.
 *
 * Paths are RFC 6901 JSON Pointers: "" or a sequence of "/segment", with `~`
 * written `~0` and `/` written `~1` inside a segment (build them with
 * kube_json_patch_pointer_append()); "-" as the last segment appends to an array.
 * On any error the patch is unchanged.
 *
 * @param patch the patch. @param path the target pointer (borrowed).
 * @param value the value (borrowed for the call; see kube_body_t).
 * @return KUBE_OK; KUBE_EINVAL (malformed pointer: not starting with '/', a `~`
 *         not followed by 0 or 1, invalid UTF-8; a NULL or empty value);
 *         KUBE_ENOMEM.
 * Thread-safety: not thread-safe: one thread at a time per patch.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_patch_add(kube_json_patch_t *patch, const char *path,
                                             kube_body_t value);

/**
 * Append `{"op":"remove","path":PATH}`.
 * @param patch the patch. @param path the pointer to remove.
 * @return KUBE_OK, KUBE_EINVAL (malformed pointer), KUBE_ENOMEM.
 * Thread-safety: not thread-safe: one thread at a time per patch.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_patch_remove(kube_json_patch_t *patch, const char *path);

/**
 * Append `{"op":"replace","path":PATH,"value":VALUE}`.
 * @param patch the patch. @param path the pointer. @param value the new value.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Thread-safety: not thread-safe: one thread at a time per patch.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_patch_replace(kube_json_patch_t *patch, const char *path,
                                                 kube_body_t value);

/**
 * Append `{"op":"move","from":FROM,"path":PATH}`.
 * @param patch the patch. @param from the source pointer. @param path the destination pointer.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Thread-safety: not thread-safe: one thread at a time per patch.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_patch_move(kube_json_patch_t *patch, const char *from,
                                              const char *path);

/**
 * Append `{"op":"copy","from":FROM,"path":PATH}`.
 * @param patch the patch. @param from the source pointer. @param path the destination pointer.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Thread-safety: not thread-safe: one thread at a time per patch.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_patch_copy(kube_json_patch_t *patch, const char *from,
                                              const char *path);

/**
 * Append `{"op":"test","path":PATH,"value":VALUE}`: the whole patch fails (HTTP
 * 422) unless the target equals VALUE. Put a test of metadata.resourceVersion
 * first for an optimistic-concurrency patch.
 * @param patch the patch. @param path the pointer. @param value the expected value.
 * @return KUBE_OK, KUBE_EINVAL, KUBE_ENOMEM.
 * Thread-safety: not thread-safe: one thread at a time per patch.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_patch_test(kube_json_patch_t *patch, const char *path,
                                              kube_body_t value);

/**
 * Number of operations in the patch.
 * @param patch the patch, or NULL.
 * @return the count (0 for NULL).
 * Thread-safety: not thread-safe: one thread at a time per patch.
 * @since 0.1
 */
KUBE_EXTERN size_t kube_json_patch_count(const kube_json_patch_t *patch);

/**
 * The patch as a request body: the JSON array text `[{"op":...},...]`.
 * @param patch the patch.
 * @return a KUBE_BODY_BYTES body whose bytes are borrowed from @p patch and stay
 *         valid until it next changes or is freed (a KUBE_BODY_NONE body for NULL).
 * Thread-safety: not thread-safe: one thread at a time per patch.
 * @since 0.1
 */
KUBE_EXTERN kube_body_t kube_json_patch_body(const kube_json_patch_t *patch);

/**
 * Append one escaped JSON Pointer segment to @p pointer: "/" followed by
 * @p segment with `~` as `~0` and `/` as `~1` ("app.kubernetes.io/name" gives
 * "/app.kubernetes.io~1name").
 * @param[out] pointer buffer appended to (caller-owned). @param segment the raw key.
 * @return KUBE_OK, KUBE_EINVAL (NULL argument), KUBE_ENOMEM (buffer unchanged).
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_patch_pointer_append(kube_buf_t *pointer, const char *segment);

/**
 * Append the RFC 6902 operations that turn @p from into @p to (what kube-rs users
 * get from json_patch::diff; mutating admission webhooks answer with it).
 * Objects are compared member by member (`remove` for members only in @p from,
 * in its order, then `add` or a recursive diff for the members of @p to, in its
 * order); arrays element by element over their common length, then `add` at the
 * end (`/-`) or `remove` from the last index down; any other change is a
 * `replace` of the value (of "" for the whole document). Equal values add
 * nothing. Duplicate keys: the last occurrence counts.
 *
 * @param patch the patch appended to (existing operations are kept, so a
 *        `test` can come first). On error it is left exactly as it was.
 * @param from the current value (borrowed). @param to the desired value (borrowed).
 * @return KUBE_OK; KUBE_EINVAL (NULL argument, nesting deeper than
 *         KUBE_JSON_DEFAULT_MAX_DEPTH); KUBE_ENOMEM.
 * Thread-safety: not thread-safe: one thread at a time per patch.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_json_patch_diff(kube_json_patch_t *patch, const kube_json_t *from,
                                              const kube_json_t *to);

/* ---- RFC 7386 merge patch ---- */

/**
 * Compute the RFC 7386 merge patch that turns @p from into @p to, and append its
 * JSON text to @p out. Applying the result to @p from (merge-patch semantics)
 * gives @p to: members only in @p from become `null`, changed members carry the
 * new value (objects recursively; arrays and scalars whole), equal members are
 * left out. "{}" means no change. When either side is not an object the patch
 * is @p to itself.
 *
 * Limits of the format (not of this function): a member whose new value is
 * `null` cannot be expressed (it is written as `null`, which deletes it; a new
 * `null` member absent from @p from is left out). Member order: the members of
 * @p to in their order, then the deletions in @p from's order. Duplicate keys:
 * the last occurrence counts, as in kube_json_get().
 *
 * @param[out] out buffer appended to (caller-owned).
 * @param from the current value (borrowed). @param to the desired value (borrowed).
 * @return KUBE_OK; KUBE_EINVAL (NULL argument); KUBE_ENOMEM (out keeps its old content).
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_merge_patch_diff(kube_buf_t *out, const kube_json_t *from,
                                               const kube_json_t *to);

KUBE_END_DECL

#endif /* KUBE_PATCH_H */
