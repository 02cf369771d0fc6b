/**
 * @file list.h
 * @brief Incremental List response decoder: push body bytes in, pull items out one by one.
 *
 * A List response (`{"kind":"PodList","apiVersion":"v1","metadata":{...},"items":[...]}`)
 * can be hundreds of megabytes. The decoder scans the bytes as they arrive,
 * finds the boundaries of each element of `items` (tracking strings, escapes
 * and nesting, without building a DOM of the list), and parses each item on
 * its own into a reference-counted kube_json_doc_t as soon as its last byte has
 * arrived. Memory is bounded by the largest single item plus the bytes fed but
 * not yet consumed; the whole list never exists as one document.
 *
 * The list's own members (kind, apiVersion, metadata with resourceVersion,
 * continue and remainingItemCount) may come before or after `items`; they are
 * available as soon as they have been seen and are final when the decoder
 * reports the end of the list. A metav1.Status body arriving instead of a List
 * (a 410 for an expired continue token, say) is recognised and reported as its
 * error code.
 *
 * Usage, per response body:
 * @code
 * kube_list_decoder_feed(dec, chunk, n);          // for every chunk received
 * while ((rc = kube_list_decoder_next(dec, &item)) == KUBE_OK && item) {
 *     use(item);                                   // caller owns item
 *     kube_json_doc_free(item);
 * }
 * // rc == KUBE_EAGAIN: feed more (or kube_list_decoder_finish() at end of body)
 * // rc == KUBE_OK && item == NULL: the list is complete
 * @endcode
 *
 * Thread-safety: a decoder is not thread-safe; it may move between threads but
 * must not be used concurrently. The item documents it hands out are
 * immutable and may be shared across threads.
 * @since 0.1
 */
#ifndef KUBE_LIST_H
#define KUBE_LIST_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/json.h>
#include <kube/status.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/** An incremental List body decoder (opaque). */
typedef struct kube_list_decoder kube_list_decoder_t;

/** The item size limit used when kube_list_decoder_new() is given 0: 32 MiB. */
#define KUBE_LIST_DEFAULT_MAX_ITEM_SIZE ((size_t)32 * 1024 * 1024)

/**
 * Create a decoder for one List body.
 *
 * @param[out] out receives the decoder; untouched on error.
 * @param max_item_size the largest item (and the largest non-item member) in
 *        bytes that the decoder accepts; 0 for KUBE_LIST_DEFAULT_MAX_ITEM_SIZE.
 * @param mem allocator for the decoder and every document it produces (copied),
 *        or NULL for the default.
 * @return KUBE_OK; KUBE_EINVAL when @p out is NULL; KUBE_ENOMEM.
 * Ownership: the caller owns *out; release with kube_list_decoder_free().
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_list_decoder_new(kube_list_decoder_t **out, size_t max_item_size,
                                               const kube_mem_t *mem);

/**
 * Free a decoder and everything it still holds. Accepts NULL. Items already
 * handed out stay valid (they are separate documents).
 * @param dec the decoder, or NULL.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN void kube_list_decoder_free(kube_list_decoder_t *dec);

/**
 * Forget the current body and start over with an empty one (the allocator and
 * size limit are kept; buffers are reused).
 * @param dec the decoder.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN void kube_list_decoder_reset(kube_list_decoder_t *dec);

/**
 * Push body bytes in. The bytes are copied; no decoding happens until
 * kube_list_decoder_next(). Call kube_list_decoder_next() until it returns
 * KUBE_EAGAIN after each feed, so that memory stays bounded.
 *
 * @param dec the decoder.
 * @param data the bytes (borrowed for the call); may be NULL when @p len is 0.
 * @param len their number.
 * @return KUBE_OK; KUBE_EINVAL (NULL decoder, NULL data with a length, or
 *         bytes fed after kube_list_decoder_finish()); KUBE_ENOMEM (nothing was
 *         taken; the decoder is unchanged); or the error that stopped the
 *         decoder earlier (errors are sticky).
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_list_decoder_feed(kube_list_decoder_t *dec, const char *data, size_t len);

/**
 * Declare the end of the body: no more bytes will come. A truncated body then
 * makes kube_list_decoder_next() fail with KUBE_EPROTO instead of KUBE_EAGAIN.
 * @param dec the decoder.
 * @return KUBE_OK; KUBE_EINVAL for a NULL decoder.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_list_decoder_finish(kube_list_decoder_t *dec);

/**
 * Pull the next item out.
 *
 * @param dec the decoder.
 * @param[out] item_out receives the next item (a new document whose root is
 *        the item, refcount 1), or NULL when the list is complete.
 * @return KUBE_OK with an item; KUBE_OK with *item_out NULL at the end of the
 *         list (its metadata is then final; further calls answer the same);
 *         KUBE_EAGAIN when more bytes are needed; KUBE_EPROTO for a body that
 *         is not a List (malformed JSON, an item that is not an object, no
 *         `items`, bytes after the end, a truncated body after finish);
 *         KUBE_ERANGE when an item or member exceeds the size limit;
 *         KUBE_ENOMEM; or, when the body is a metav1.Status, the error that
 *         Status maps to (KUBE_EGONE for an expired continue token, ...) with
 *         kube_error_last() holding its message and kube_list_decoder_status()
 *         the decoded status. Every error is sticky: later calls return it again.
 * Ownership: the caller owns *item_out; release with kube_json_doc_free() (or
 * keep it: it does not depend on the decoder).
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_list_decoder_next(kube_list_decoder_t *dec, kube_json_doc_t **item_out);

/**
 * The list's `kind` ("PodList"), or NULL until seen.
 * @param dec the decoder.
 * @return borrowed; valid until the next feed, next, reset or free on @p dec.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_list_decoder_kind(const kube_list_decoder_t *dec);

/**
 * The list's `apiVersion` ("v1"), or NULL until seen.
 * @param dec the decoder.
 * @return borrowed; valid until the next feed, next, reset or free on @p dec.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_list_decoder_api_version(const kube_list_decoder_t *dec);

/**
 * The list's `metadata` object (ListMeta), or NULL until seen.
 * @param dec the decoder.
 * @return borrowed; valid until the next feed, next, reset or free on @p dec.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN const kube_json_t *kube_list_decoder_metadata(const kube_list_decoder_t *dec);

/**
 * `metadata.resourceVersion` of the list, or NULL until seen.
 * @param dec the decoder.
 * @return borrowed; valid until the next feed, next, reset or free on @p dec.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_list_decoder_resource_version(const kube_list_decoder_t *dec);

/**
 * `metadata.continue` of the list (the token for the next page), or NULL when
 * not seen or empty (the last page).
 * @param dec the decoder.
 * @return borrowed; valid until the next feed, next, reset or free on @p dec.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_list_decoder_continue(const kube_list_decoder_t *dec);

/**
 * `metadata.remainingItemCount`, or -1 when absent (the server sends it only
 * when more items remain and no selector was given).
 * @param dec the decoder.
 * @return the count, or -1.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN int64_t kube_list_decoder_remaining_item_count(const kube_list_decoder_t *dec);

/**
 * Number of items handed out so far by kube_list_decoder_next().
 * @param dec the decoder.
 * @return the count (0 for NULL).
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN size_t kube_list_decoder_item_count(const kube_list_decoder_t *dec);

/**
 * The Status the body carried instead of a List, once kube_list_decoder_next()
 * has reported it; NULL otherwise.
 * @param dec the decoder.
 * @return borrowed; valid until reset or free.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN const kube_status_t *kube_list_decoder_status(const kube_list_decoder_t *dec);

KUBE_END_DECL

#endif /* KUBE_LIST_H */
