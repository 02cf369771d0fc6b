/**
 * @file watch.h
 * @brief Watch stream decoder: push body bytes in, pull watch events out.
 *
 * A watch response body is a sequence of JSON objects, one per line:
 * `{"type":"ADDED","object":{...}}\n`. The decoder takes the bytes in any
 * pieces (an event may be split at any byte, a chunk may hold many events),
 * accepts `\r\n` and blank lines, and hands out one event at a time. Each
 * event's object is parsed on its own into a reference-counted
 * kube_json_doc_t whose root is the object, so a store can keep it without
 * copying. ERROR events carry the decoded metav1.Status and the libkube error
 * it maps to (KUBE_EGONE for 410 Expired: the caller must re-list). BOOKMARK
 * events expose their resourceVersion and whether they carry the
 * `k8s.io/initial-events-end: "true"` annotation that ends a streaming list.
 *
 * Usage, per watch response:
 * @code
 * kube_watch_decoder_feed(dec, chunk, n);            // for every chunk received
 * while (kube_watch_decoder_next(dec, &ev) == KUBE_OK && ev.type != KUBE_WATCH_END) {
 *     handle(&ev);
 *     kube_watch_event_dispose(&ev);
 * }
 * // at the end of the body: kube_watch_decoder_finish(dec), then drain again.
 * @endcode
 *
 * Thread-safety: a decoder is not thread-safe; it may move between threads but
 * must not be used concurrently. Event objects are immutable documents that
 * may be shared across threads.
 * @since 0.1
 */
#ifndef KUBE_WATCH_H
#define KUBE_WATCH_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/json.h>
#include <kube/status.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/** The type of a watch event. */
typedef enum kube_watch_event_type {
    KUBE_WATCH_END = 0,      /**< not an event: the stream is over (after kube_watch_decoder_finish()) */
    KUBE_WATCH_ADDED = 1,    /**< "ADDED": the object was created (or starts matching) */
    KUBE_WATCH_MODIFIED = 2, /**< "MODIFIED": the object changed */
    KUBE_WATCH_DELETED = 3,  /**< "DELETED": the object's last state; resourceVersion is the deletion's */
    KUBE_WATCH_BOOKMARK = 4, /**< "BOOKMARK": every event up to resource_version has been sent */
    KUBE_WATCH_ERROR = 5     /**< "ERROR": the object is a metav1.Status; the server ends the stream */
} kube_watch_event_type_t;

/** Current version of kube_watch_event_t. */
#define KUBE_WATCH_EVENT_VERSION 1

/**
 * One decoded watch event, filled by kube_watch_decoder_next(). The caller owns
 * what it references and releases it with kube_watch_event_dispose().
 */
typedef struct kube_watch_event {
    unsigned int version;          /**< KUBE_WATCH_EVENT_VERSION */
    kube_watch_event_type_t type;  /**< the event type */
    /** The event's object as its own document (root = the object); owned by the
     * event. Take it with kube_json_doc_ref(), or steal it (set the field to NULL
     * before kube_watch_event_dispose()). NULL for KUBE_WATCH_END. */
    kube_json_doc_t *object;
    /** The object's metadata.resourceVersion, "" when absent; borrowed from
     * @ref object (valid while that document lives). Never NULL. */
    const char *resource_version;
    /** 1 for a BOOKMARK whose metadata.annotations["k8s.io/initial-events-end"]
     * is "true" (the end of a streaming list's initial events); else 0. */
    int initial_events_end;
    /** ERROR only: the decoded Status (owned by the event); NULL otherwise. */
    kube_status_t *status;
    /** ERROR only: the code the Status maps to (KUBE_EGONE for 410, KUBE_ETIMEDOUT
     * for 504 Timeout, ...; KUBE_ERROR when it maps to nothing); KUBE_OK otherwise.
     * Call kube_status_error(ev.status, 0) to also record its message. */
    kube_error_t error;
} kube_watch_event_t;

/** An incremental watch stream decoder (opaque). */
typedef struct kube_watch_decoder kube_watch_decoder_t;

/** The event size limit used when kube_watch_decoder_new() is given 0: 32 MiB. */
#define KUBE_WATCH_DEFAULT_MAX_EVENT_SIZE ((size_t)32 * 1024 * 1024)

/**
 * Create a decoder for one watch stream.
 *
 * @param[out] out receives the decoder; untouched on error.
 * @param max_event_size the longest event line in bytes that is accepted; 0 for
 *        KUBE_WATCH_DEFAULT_MAX_EVENT_SIZE.
 * @param mem allocator for the decoder and every document and status it
 *        produces (copied), or NULL for the default.
 * @return KUBE_OK; KUBE_EINVAL when @p out is NULL; KUBE_ENOMEM.
 * Ownership: the caller owns *out; release with kube_watch_decoder_free().
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_decoder_new(kube_watch_decoder_t **out, size_t max_event_size,
                                                const kube_mem_t *mem);

/**
 * Free a decoder. Accepts NULL. Events already handed out stay valid.
 * @param dec the decoder, or NULL.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN void kube_watch_decoder_free(kube_watch_decoder_t *dec);

/**
 * Forget the current stream (buffered bytes, end-of-stream, a sticky error) so
 * the decoder can take the next watch response. Buffers are kept for reuse.
 * @param dec the decoder.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN void kube_watch_decoder_reset(kube_watch_decoder_t *dec);

/**
 * Push stream bytes in (copied; decoding happens in kube_watch_decoder_next()).
 * Drain with kube_watch_decoder_next() until KUBE_EAGAIN after each feed.
 *
 * @param dec the decoder.
 * @param data the bytes (borrowed for the call); may be NULL when @p len is 0.
 * @param len their number.
 * @return KUBE_OK; KUBE_EINVAL (NULL decoder, NULL data with a length, bytes
 *         after kube_watch_decoder_finish()); KUBE_ERANGE when the event being
 *         received grows past the size limit (sticky); KUBE_ENOMEM (nothing was
 *         taken; the decoder is unchanged); or the sticky error that stopped
 *         the decoder earlier.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_decoder_feed(kube_watch_decoder_t *dec, const char *data, size_t len);

/**
 * Declare the end of the stream. A last event without a trailing newline is
 * then decoded; after it kube_watch_decoder_next() reports KUBE_WATCH_END.
 * @param dec the decoder.
 * @return KUBE_OK; KUBE_EINVAL for a NULL decoder.
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_decoder_finish(kube_watch_decoder_t *dec);

/**
 * Pull the next event out.
 *
 * @param dec the decoder.
 * @param[out] ev filled with the event (always initialised, also on error: type
 *        KUBE_WATCH_END and no references). Release with kube_watch_event_dispose().
 * @return KUBE_OK with an event, or with ev->type == KUBE_WATCH_END once the
 *         stream was finished and fully consumed; KUBE_EAGAIN when more bytes
 *         are needed; KUBE_EPROTO for a line that is not a watch event
 *         (malformed JSON, no type or object, an object that is not a JSON
 *         object, an ERROR whose object is not a Status, an unknown type; the
 *         message says which); KUBE_ERANGE for an event over the size limit;
 *         KUBE_ENOMEM. Errors are sticky until kube_watch_decoder_reset().
 * Thread-safety: Not thread-safe: use a decoder from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_decoder_next(kube_watch_decoder_t *dec, kube_watch_event_t *ev);

/**
 * Release what an event owns (its object reference and status) and reset it to
 * KUBE_WATCH_END. Accepts NULL and already disposed events.
 * @param ev the event.
 * Thread-safety: reentrant (events are independent of the decoder).
 * @since 0.1
 */
KUBE_EXTERN void kube_watch_event_dispose(kube_watch_event_t *ev);

/**
 * The wire name of an event type ("ADDED", ..., "END" for KUBE_WATCH_END).
 * @param type the type.
 * @return static storage; "UNKNOWN" for values outside the enum.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_watch_event_type_name(kube_watch_event_type_t type);

KUBE_END_DECL

#endif /* KUBE_WATCH_H */
