/**
 * @file watch_state.h
 * @brief The pure watch state machine (kube-rs's `watcher`): which request next, which events out.
 *
 * The machine does no I/O and reads no clock. Its driver (kruntime's watcher,
 * a test, a custom loop) repeats:
 *
 * 1. kube_watch_state_next_request() says which request to make: a LIST page
 *    (limit, continue) or a WATCH (from a resourceVersion, or a streaming list
 *    with sendInitialEvents). The driver builds and sends it.
 * 2. What comes back is fed in: list items and the page end
 *    (kube_watch_state_on_list_item(), kube_watch_state_on_list_end()), watch
 *    events (kube_watch_state_on_watch_event()), the clean end of a watch
 *    stream (kube_watch_state_on_watch_end()), or a failure of the request
 *    (kube_watch_state_on_error(): an HTTP error, a transport error).
 * 3. After each of those, kube_watch_state_poll() hands out the events to
 *    deliver: INIT, INIT_APPLY(obj), INIT_DONE, APPLY(obj), DELETE(obj).
 *
 * Phases: EMPTY → INIT_PAGE(continue) … → INIT_LISTED(rv) → WATCHING(rv), or
 * with a streaming list EMPTY → INITIAL_WATCH → WATCHING(rv). The rules are
 * kube-rs's: a paginated initial list (500 per page by default); a streaming
 * list ends its initial phase at the bookmark annotated
 * `k8s.io/initial-events-end`; bookmarks and every event advance the
 * resourceVersion; a clean stream end or a watch failure resumes the watch from
 * the last resourceVersion without re-sending initial events (a resumed watch
 * emits APPLY/DELETE only); 410 Gone (an ERROR event or an HTTP 410, also on a
 * continue token) goes back to EMPTY and re-lists, announced by a new INIT.
 *
 * Return codes tell the driver what to do next: a failure code from an `on_`
 * function (anything but KUBE_OK, KUBE_EINVAL and KUBE_ENOMEM) means the
 * request failed and the driver should wait a backoff delay (<kube/backoff.h>)
 * before the next request; KUBE_EGONE additionally means a full re-list follows.
 *
 * Objects are reference-counted kube_json_doc_t passed through without copying:
 * the machine takes a reference to what it is given and hands one out with
 * each event.
 *
 * Thread-safety: a state machine is not thread-safe; it may move between
 * threads but must not be used concurrently.
 * @since 0.1
 */
#ifndef KUBE_WATCH_STATE_H
#define KUBE_WATCH_STATE_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/json.h>
#include <kube/params.h>
#include <kube/request.h>
#include <kube/resource.h>
#include <kube/watch.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/** How the initial state is fetched. */
typedef enum kube_watch_initial_list {
    KUBE_WATCH_LIST_WATCH = 0,     /**< paginated LIST, then WATCH from its resourceVersion (default) */
    KUBE_WATCH_STREAMING_LIST = 1  /**< WATCH with sendInitialEvents=true (Kubernetes 1.27+; needs bookmarks) */
} kube_watch_initial_list_t;

/** Consistency of the initial list (kube-rs ListSemantic). */
typedef enum kube_watch_list_semantic {
    KUBE_WATCH_MOST_RECENT = 0, /**< a consistent (quorum) read (default) */
    KUBE_WATCH_ANY = 1          /**< resourceVersion "0": may be served from a stale cache; ignored when paginating */
} kube_watch_list_semantic_t;

/** The default LIST page size (client-go's pager and kube-rs use 500). */
#define KUBE_WATCH_DEFAULT_PAGE_SIZE 500u
/** page_size value that lists everything in one request. */
#define KUBE_WATCH_NO_PAGING 0xffffffffu

/** Current version of kube_watch_config_t. */
#define KUBE_WATCH_CONFIG_VERSION 1

/** What to watch and how. A versioned parameter struct: start from KUBE_WATCH_CONFIG_INIT. */
typedef struct kube_watch_config {
    unsigned int version;                 /**< KUBE_WATCH_CONFIG_VERSION */
    /** The resource, passed through to each kube_watch_request_t (borrowed: it
     * must outlive the state machine; static descriptors do). May be NULL when
     * the driver builds its requests itself. */
    const kube_resource_t *resource;
    const char *ns;                       /**< namespace (copied); NULL or "" for all namespaces */
    const char *label_selector;           /**< label selector (copied) or NULL */
    const char *field_selector;           /**< field selector (copied) or NULL */
    unsigned int page_size;               /**< LIST limit; 0 for 500; KUBE_WATCH_NO_PAGING for one request */
    kube_watch_initial_list_t initial_list; /**< list+watch (default) or streaming list */
    kube_watch_list_semantic_t list_semantic; /**< MOST_RECENT (default) or ANY */
    int bookmarks;                        /**< request BOOKMARK events (default 1) */
    /** Server-side timeoutSeconds: 0 for KUBE_WATCH_DEFAULT_TIMEOUT (290) on
     * watches and none on lists; must stay below KUBE_WATCH_TIMEOUT_LIMIT (295). */
    unsigned int timeout_seconds;
} kube_watch_config_t;

/** Static initialiser with every default. */
#define KUBE_WATCH_CONFIG_INIT                                                                  \
    { KUBE_WATCH_CONFIG_VERSION, NULL, NULL, NULL, NULL, KUBE_WATCH_DEFAULT_PAGE_SIZE,          \
      KUBE_WATCH_LIST_WATCH, KUBE_WATCH_MOST_RECENT, 1, 0 }

/** The kind of request the machine wants next. */
typedef enum kube_watch_request_kind {
    KUBE_WATCH_REQUEST_LIST = 1, /**< GET the collection (a page) */
    KUBE_WATCH_REQUEST_WATCH = 2 /**< GET the collection with watch=true */
} kube_watch_request_kind_t;

/** Current version of kube_watch_request_t. */
#define KUBE_WATCH_REQUEST_VERSION 1

/**
 * The request to make next, described as parameters (the driver turns them
 * into HTTP with the request builders). Every string is borrowed from the state
 * machine and valid until its next call other than a read-only accessor.
 */
typedef struct kube_watch_request {
    unsigned int version;              /**< KUBE_WATCH_REQUEST_VERSION */
    kube_watch_request_kind_t kind;    /**< LIST or WATCH */
    const kube_resource_t *resource;   /**< the config's resource (may be NULL) */
    const char *ns;                    /**< namespace, or NULL for all namespaces */
    const char *label_selector;        /**< or NULL */
    const char *field_selector;        /**< or NULL */
    unsigned int limit;                /**< LIST: page size; 0 for no limit. WATCH: 0 */
    const char *continue_token;        /**< LIST: the continue token, or NULL for the first page */
    /** resourceVersion: NULL to omit it; "" to send it empty (a consistent
     * streaming list); "0" for any; otherwise the version to watch from. */
    const char *resource_version;
    const char *resource_version_match; /**< "NotOlderThan" or NULL */
    int send_initial_events;           /**< WATCH: sendInitialEvents=true (streaming list) */
    int allow_bookmarks;               /**< WATCH: allowWatchBookmarks=true */
    unsigned int timeout_seconds;      /**< timeoutSeconds, or 0 to omit */
} kube_watch_request_t;

/** Where the machine is. */
typedef enum kube_watch_phase {
    KUBE_WATCH_PHASE_EMPTY = 0,         /**< nothing known: the next request starts a (re-)list */
    KUBE_WATCH_PHASE_INIT_PAGE = 1,     /**< paginating through the initial LIST */
    KUBE_WATCH_PHASE_INITIAL_WATCH = 2, /**< receiving a streaming list's initial events */
    KUBE_WATCH_PHASE_INIT_LISTED = 3,   /**< initial state complete; next: WATCH from the resourceVersion */
    KUBE_WATCH_PHASE_WATCHING = 4       /**< a WATCH is streaming events */
} kube_watch_phase_t;

/** The kind of an event the machine emits (kube-rs `watcher::Event`). */
typedef enum kube_watch_state_event_kind {
    KUBE_WATCH_STATE_EVENT_INIT = 1,       /**< a (re-)list starts: stores begin a fresh buffer */
    KUBE_WATCH_STATE_EVENT_INIT_APPLY = 2, /**< an object of the initial list */
    KUBE_WATCH_STATE_EVENT_INIT_DONE = 3,  /**< the initial list is complete: stores swap buffers */
    KUBE_WATCH_STATE_EVENT_APPLY = 4,      /**< an object was added or modified while watching */
    KUBE_WATCH_STATE_EVENT_DELETE = 5      /**< an object was deleted while watching */
} kube_watch_state_event_kind_t;

/** Current version of kube_watch_state_event_t. */
#define KUBE_WATCH_STATE_EVENT_VERSION 1

/** An emitted event. Release with kube_watch_state_event_dispose(). */
typedef struct kube_watch_state_event {
    unsigned int version;               /**< KUBE_WATCH_STATE_EVENT_VERSION */
    kube_watch_state_event_kind_t kind; /**< the kind */
    /** INIT_APPLY, APPLY, DELETE: the object (a reference owned by the event;
     * keep it with kube_json_doc_ref() or steal it by setting the field to NULL).
     * NULL for INIT and INIT_DONE. */
    kube_json_doc_t *object;
} kube_watch_state_event_t;

/** The state machine (opaque). */
typedef struct kube_watch_state kube_watch_state_t;

/**
 * Create a state machine in phase EMPTY.
 *
 * @param[out] out receives it; untouched on error.
 * @param config the configuration (strings are copied; the resource pointer is kept).
 * @param mem allocator (copied), or NULL for the default.
 * @return KUBE_OK; KUBE_EINVAL (NULL out or config, unknown config version or
 *         enum value, a streaming list without bookmarks, a timeout of
 *         KUBE_WATCH_TIMEOUT_LIMIT or more); KUBE_ENOMEM.
 * Ownership: the caller owns *out; release with kube_watch_state_free().
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_state_new(kube_watch_state_t **out, const kube_watch_config_t *config,
                                              const kube_mem_t *mem);

/**
 * Free a state machine and the events it still holds. Accepts NULL.
 * @param ws the machine, or NULL.
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN void kube_watch_state_free(kube_watch_state_t *ws);

/**
 * The current phase.
 * @param ws the machine.
 * @return the phase (KUBE_WATCH_PHASE_EMPTY for NULL).
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_watch_phase_t kube_watch_state_phase(const kube_watch_state_t *ws);

/**
 * The resourceVersion the next WATCH resumes from (the last one seen), or NULL
 * when the machine has none (EMPTY, or during the initial list).
 * @param ws the machine.
 * @return borrowed; valid until the next non-accessor call on @p ws.
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_watch_state_resource_version(const kube_watch_state_t *ws);

/**
 * Whether a request is in flight (between kube_watch_state_next_request() and
 * the end of its results).
 * @param ws the machine.
 * @return 1 or 0.
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN int kube_watch_state_in_flight(const kube_watch_state_t *ws);

/**
 * Start the next request: describe it and mark it in flight. From EMPTY this
 * starts a (re-)list: the first LIST page, or the streaming WATCH; from
 * INIT_PAGE the next page; from INIT_LISTED a WATCH from the resourceVersion
 * (never with sendInitialEvents).
 *
 * @param ws the machine.
 * @param[out] req filled with the request; its strings are borrowed from @p ws.
 * @return KUBE_OK; KUBE_EAGAIN when a request is already in flight (feed its
 *         results, its end or its error first); KUBE_EINVAL for NULL arguments.
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_state_next_request(kube_watch_state_t *ws, kube_watch_request_t *req);

/**
 * Turn a request description into HTTP with the request builders
 * (kube_request_list() for LIST, kube_request_watch() for WATCH; see request.h
 * for the exact URLs).
 *
 * @param[in,out] out a request initialised with kube_http_request_init(); its
 *        content is replaced on success and left unchanged on error.
 * @param req a description from kube_watch_state_next_request() (borrowed for
 *        the call); its resource must be set.
 * @return KUBE_OK; KUBE_EINVAL (NULL arguments, no resource, an unknown kind,
 *         or what the builders reject, such as a namespace for a
 *         cluster-scoped resource); KUBE_ENOMEM.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_state_http_request(kube_http_request_t *out, const kube_watch_request_t *req);

/**
 * Feed one item of the LIST page in flight (as kube_list_decoder_next() hands
 * them out). Emits INIT first in a (re-)list, then INIT_APPLY(item).
 *
 * @param ws the machine.
 * @param item the item (borrowed: the machine takes its own reference).
 * @return KUBE_OK; KUBE_EINVAL (NULL arguments, no LIST in flight, or events
 *         not yet polled).
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_state_on_list_item(kube_watch_state_t *ws, kube_json_doc_t *item);

/**
 * The LIST page in flight ended successfully, with the list's metadata.
 * With a continue token the next request is the next page; without one the
 * initial list is complete: INIT_DONE is emitted (after INIT for an empty list)
 * and the phase becomes INIT_LISTED(rv).
 *
 * @param ws the machine.
 * @param resource_version the list's metadata.resourceVersion (copied), or NULL.
 * @param continue_token the list's metadata.continue (copied), or NULL/"" for the last page.
 * @return KUBE_OK; KUBE_EPROTO when the last page has no resourceVersion (the
 *         machine goes back to EMPTY; back off and re-list); KUBE_ENOMEM (nothing
 *         changed); KUBE_EINVAL (no LIST in flight, events not yet polled).
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_state_on_list_end(kube_watch_state_t *ws, const char *resource_version,
                                                      const char *continue_token);

/**
 * Feed one decoded event of the WATCH in flight.
 *
 * - INITIAL_WATCH (streaming list): ADDED/MODIFIED emit INIT_APPLY (after INIT
 *   for the first); the bookmark marked initial-events-end emits INIT_DONE and
 *   moves to WATCHING at its resourceVersion; other bookmarks and DELETED are
 *   ignored.
 * - WATCHING: ADDED/MODIFIED emit APPLY, DELETED emits DELETE, each advancing
 *   the resourceVersion; BOOKMARK advances it silently.
 * - ERROR with 410 (KUBE_EGONE): back to EMPTY. Other ERRORs leave the phase
 *   alone (the server ends the stream; the watch then resumes).
 *
 * @param ws the machine.
 * @param ev the event (borrowed; the machine takes its own object reference).
 * @return KUBE_OK; the ERROR event's code (ev->error: KUBE_EGONE, KUBE_ETIMEDOUT,
 *         ...), meaning back off before the next request; KUBE_EPROTO when an
 *         object while WATCHING has no resourceVersion (back to EMPTY);
 *         KUBE_ENOMEM (nothing changed); KUBE_EINVAL (NULL arguments, no WATCH in
 *         flight, events not yet polled, a KUBE_WATCH_END event).
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_state_on_watch_event(kube_watch_state_t *ws, const kube_watch_event_t *ev);

/**
 * The WATCH in flight ended cleanly (timeoutSeconds elapsed, or the server
 * closed the stream after an ERROR). WATCHING resumes from its resourceVersion
 * (phase INIT_LISTED); an unfinished streaming list starts over (EMPTY).
 * A call with nothing in flight does nothing.
 *
 * @param ws the machine.
 * @return KUBE_OK; KUBE_EINVAL for NULL.
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_state_on_watch_end(kube_watch_state_t *ws);

/**
 * The request in flight failed (an HTTP error status before any result, a
 * transport failure, a decoder error mid-stream). KUBE_EGONE, and any failure
 * during the initial list, go back to EMPTY (a partial initial list is never
 * continued: the re-list starts with INIT); a failed WATCH resumes from its
 * resourceVersion. A call with nothing in flight only returns @p error.
 *
 * @param ws the machine.
 * @param error the failure (a negative kube_error_t).
 * @return @p error, for the driver's backoff decision; KUBE_EINVAL for a NULL
 *         machine or an @p error that is not negative.
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_state_on_error(kube_watch_state_t *ws, kube_error_t error);

/**
 * Forget everything and go back to EMPTY (the next request re-lists). Events
 * not yet polled are dropped.
 * @param ws the machine.
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN void kube_watch_state_reset(kube_watch_state_t *ws);

/**
 * Pull the next emitted event.
 *
 * @param ws the machine.
 * @param[out] ev receives the event (always initialised).
 * @return KUBE_OK with an event; KUBE_EAGAIN when none is pending; KUBE_EINVAL
 *         for NULL arguments.
 * Ownership: the caller owns ev->object; release with kube_watch_state_event_dispose().
 * Thread-safety: Not thread-safe: use a machine from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_watch_state_poll(kube_watch_state_t *ws, kube_watch_state_event_t *ev);

/**
 * Release the object reference an event holds. Accepts NULL and disposed events.
 * @param ev the event.
 * Thread-safety: reentrant (events are independent of the machine).
 * @since 0.1
 */
KUBE_EXTERN void kube_watch_state_event_dispose(kube_watch_state_event_t *ev);

/**
 * The name of an emitted event kind ("INIT", "INIT_APPLY", "INIT_DONE",
 * "APPLY", "DELETE").
 * @param kind the kind.
 * @return static storage; "UNKNOWN" for values outside the enum.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_watch_state_event_kind_name(kube_watch_state_event_kind_t kind);

KUBE_END_DECL

#endif /* KUBE_WATCH_STATE_H */
