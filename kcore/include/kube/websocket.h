/**
 * @file websocket.h
 * @brief A sans-IO RFC 6455 WebSocket codec: handshake helpers and a frame
 *        encoder/decoder for the client and server roles.
 *
 * libkube speaks WebSocket for exec, attach and port-forward (channel.h builds
 * the Kubernetes channel protocols on top). This module does no I/O and has no
 * random number generator: the caller supplies the 16 nonce bytes of the
 * handshake key and, for the client role, the masking keys (a callback).
 *
 * Data flow of a connection (kube_websocket_t):
 * - bytes read from the socket go in with kube_websocket_feed();
 * - kube_websocket_next() hands out whole messages (fragments reassembled,
 *   control frames interleaved) or KUBE_EAGAIN when more bytes are needed; with
 *   KUBE_WS_OPT_FRAMES it hands out every data frame as soon as it is complete
 *   instead (streaming: out->fin marks the last frame of a message);
 * - kube_websocket_send(), _ping(), _pong() and _close() queue frames;
 *   automatic replies (a pong for every ping, the closing handshake's close
 *   frame) are queued too. kube_websocket_output() shows the queued bytes and
 *   kube_websocket_output_consume() drops the ones written to the socket.
 *
 * The decoder enforces RFC 6455: masking by role (a server receives masked
 * frames, a client unmasked ones), reserved bits clear (no extension is ever
 * negotiated), known opcodes, control frames unfragmented and at most 125 bytes,
 * continuation frames only inside a fragmented message, the 64-bit length's top
 * bit clear, close codes 1000-1003, 1007-1011 and 3000-4999, a close payload of
 * 0 or at least 2 bytes, UTF-8 text messages and close reasons, and a maximum
 * message size. A violation fails the connection: kube_websocket_next() returns
 * KUBE_EPROTO (kube_error_last() names the stream offset and the rule), a close
 * frame with the matching code (1002 protocol error, 1007 invalid data, 1009 too
 * big) is queued, and kube_websocket_error_close_code() reports that code.
 * Non-minimal length encodings are accepted (the RFC binds senders only).
 *
 * Thread-safety: a kube_websocket_t is not thread-safe; it may move between
 * threads but must not be used concurrently. The stateless helpers are safe from
 * any thread.
 * @since 0.1
 */
#ifndef KUBE_WEBSOCKET_H
#define KUBE_WEBSOCKET_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/** The GUID RFC 6455 appends to the key before hashing (section 1.3). */
#define KUBE_WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
/** Length of a Sec-WebSocket-Key value (base64 of 16 bytes), without the NUL. */
#define KUBE_WS_KEY_LEN 24
/** Length of a Sec-WebSocket-Accept value (base64 of a SHA-1 digest), without the NUL. */
#define KUBE_WS_ACCEPT_LEN 28
/** Default maximum size of a received message (16 MiB) when the options say 0. */
#define KUBE_WS_DEFAULT_MAX_MESSAGE ((size_t)16 * 1024 * 1024)

/** @name Close status codes (RFC 6455 section 7.4.1)
 * @{ */
#define KUBE_WS_CLOSE_NORMAL 1000          /**< normal closure */
#define KUBE_WS_CLOSE_GOING_AWAY 1001      /**< endpoint going away */
#define KUBE_WS_CLOSE_PROTOCOL_ERROR 1002  /**< protocol error */
#define KUBE_WS_CLOSE_UNSUPPORTED 1003     /**< unacceptable data type */
#define KUBE_WS_CLOSE_NO_STATUS 1005       /**< reported when a close frame carried no code; never sent */
#define KUBE_WS_CLOSE_ABNORMAL 1006        /**< connection lost without a close frame; never sent */
#define KUBE_WS_CLOSE_INVALID_DATA 1007    /**< data inconsistent with the message type (bad UTF-8) */
#define KUBE_WS_CLOSE_POLICY 1008          /**< policy violation */
#define KUBE_WS_CLOSE_TOO_BIG 1009         /**< message too big */
#define KUBE_WS_CLOSE_MANDATORY_EXT 1010   /**< client needed an extension */
#define KUBE_WS_CLOSE_INTERNAL_ERROR 1011  /**< unexpected condition on the server */
/** @} */

/** Which end of the connection this codec plays. */
typedef enum kube_websocket_role {
    KUBE_WS_ROLE_CLIENT = 0, /**< masks what it sends; receives unmasked frames */
    KUBE_WS_ROLE_SERVER = 1  /**< sends unmasked frames; receives masked frames */
} kube_websocket_role_t;

/** Frame opcodes (RFC 6455 section 5.2). */
typedef enum kube_websocket_opcode {
    KUBE_WS_OP_CONTINUATION = 0x0, /**< continuation of a fragmented message */
    KUBE_WS_OP_TEXT = 0x1,         /**< UTF-8 text */
    KUBE_WS_OP_BINARY = 0x2,       /**< binary data */
    KUBE_WS_OP_CLOSE = 0x8,        /**< close */
    KUBE_WS_OP_PING = 0x9,         /**< ping */
    KUBE_WS_OP_PONG = 0xA          /**< pong */
} kube_websocket_opcode_t;

/* ------------------------------------------------------------------------- */
/* Handshake                                                                  */
/* ------------------------------------------------------------------------- */

/**
 * Make a client's Sec-WebSocket-Key from 16 random bytes.
 *
 * @param[out] out receives the 24-character base64 key and a NUL.
 * @param nonce 16 bytes from the caller's cryptographic random source (kcore has none).
 * @return KUBE_OK; KUBE_EINVAL when a pointer is NULL.
 *
 * Ownership: nothing is retained. Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_client_key(char out[KUBE_WS_KEY_LEN + 1], const uint8_t nonce[16]);

/**
 * Compute Sec-WebSocket-Accept for a key: base64(SHA-1(key + KUBE_WS_GUID)).
 *
 * @param[out] out receives the 28-character value and a NUL.
 * @param key the client's Sec-WebSocket-Key (NUL-terminated); it must be the
 *            base64 encoding of 16 bytes (24 characters), as RFC 6455 requires.
 * @return KUBE_OK; KUBE_EINVAL for a NULL pointer or a key that is not 16 base64-encoded
 *         bytes (kube_error_last() names the offset).
 *
 * Ownership: nothing is retained. Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_accept_key(char out[KUBE_WS_ACCEPT_LEN + 1], const char *key);

/**
 * Append a client's upgrade request headers to @p out, one `Name: value\r\n` line
 * each: `Upgrade: websocket`, `Connection: Upgrade`, `Sec-WebSocket-Version: 13`,
 * `Sec-WebSocket-Key: <key>` and, when @p nprotocols > 0,
 * `Sec-WebSocket-Protocol: <p1>, <p2>, ...` in the given (preference) order.
 *
 * @param[out] out the buffer to append to (content kept on error).
 * @param key a key from kube_websocket_client_key().
 * @param protocols subprotocol names (RFC 7230 tokens), or NULL when @p nprotocols is 0.
 * @param nprotocols how many.
 * @return KUBE_OK; KUBE_EINVAL for a NULL argument, a key of the wrong length or a
 *         protocol name that is empty or not a token; KUBE_ENOMEM.
 *
 * A bearer-token subprotocol (channel.h) makes the buffer a secret: wipe it before
 * disposing. Thread-safety: safe from any thread for distinct buffers.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_client_headers(kube_buf_t *out, const char *key,
                                                       const char *const *protocols, size_t nprotocols);

/** What kube_websocket_client_response() found in the server's answer. A value output. */
typedef struct kube_websocket_response {
    unsigned int version; /**< KUBE_WEBSOCKET_RESPONSE_VERSION (set by the call) */
    int status;           /**< the HTTP status code, or 0 when not yet known */
    size_t head_len;      /**< bytes of the status line and headers, including the blank line */
    int protocol;         /**< index into the offered protocols of the one the server chose, or -1 */
} kube_websocket_response_t;

/** Current version of kube_websocket_response_t. */
#define KUBE_WEBSOCKET_RESPONSE_VERSION 1

/**
 * Parse and verify the server's answer to an upgrade request, from the raw bytes
 * read so far (HTTP/1.1 status line and headers).
 *
 * Checks: status 101, `Upgrade: websocket`, a `Connection` list containing
 * `Upgrade` (both case-insensitive), `Sec-WebSocket-Accept` equal to
 * kube_websocket_accept_key(@p key), no `Sec-WebSocket-Extensions`, and a
 * `Sec-WebSocket-Protocol` that is exactly one of the offered names (or absent).
 * Bytes after the head (out->head_len) already belong to the WebSocket stream:
 * feed them to kube_websocket_feed().
 *
 * @param[out] out filled on KUBE_OK and on errors after the status line was read.
 * @param data the bytes received so far; @p len their count.
 * @param key the key that was sent.
 * @param protocols the offered subprotocol names (NULL when @p nprotocols is 0).
 * @param nprotocols how many.
 * @return KUBE_OK (101 and every check passed); KUBE_EAGAIN when the head is not
 *         complete yet; KUBE_EPROTO for a malformed head (over 16 KiB, bad status
 *         line, header without a colon) or a failed check (kube_error_last() says
 *         which); for a status other than 101 the code of kube_error_from_http()
 *         (KUBE_EFORBIDDEN for 403, ...; KUBE_EPROTO for other 1xx-3xx) with
 *         out->status and out->head_len set so the caller can read the body;
 *         KUBE_EINVAL for NULL arguments.
 *
 * Ownership: nothing is retained. Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_client_response(kube_websocket_response_t *out,
                                                        const uint8_t *data, size_t len,
                                                        const char *key,
                                                        const char *const *protocols,
                                                        size_t nprotocols);

/**
 * Server side: choose a subprotocol. Scans the client's Sec-WebSocket-Protocol
 * list in the client's order and picks the first name in @p supported, as the
 * Kubernetes API server does.
 *
 * @param[out] index_out index into @p supported of the chosen name, or -1 when the
 *             client offered nothing (absent or empty header).
 * @param offered the client's header value (comma-separated; may be NULL).
 * @param supported names the server speaks; @p nsupported how many.
 * @return KUBE_OK; KUBE_EUNSUPPORTED when the client offered names but none is
 *         supported (a handshake failure); KUBE_EINVAL for a NULL @p index_out.
 *
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_select_protocol(int *index_out, const char *offered,
                                                        const char *const *supported, size_t nsupported);

/**
 * Server side: append the 101 response head for a client's key:
 * `HTTP/1.1 101 Switching Protocols`, `Upgrade: websocket`, `Connection: Upgrade`,
 * `Sec-WebSocket-Accept: ...`, `Sec-WebSocket-Protocol: <protocol>` when
 * @p protocol is not NULL, and the terminating blank line.
 *
 * @param[out] out buffer to append to (content kept on error).
 * @param key the client's Sec-WebSocket-Key.
 * @param protocol the chosen subprotocol, or NULL.
 * @return KUBE_OK; KUBE_EINVAL (NULL, bad key, protocol not a token); KUBE_ENOMEM.
 *
 * Thread-safety: safe from any thread for distinct buffers.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_server_response(kube_buf_t *out, const char *key, const char *protocol);

/* ------------------------------------------------------------------------- */
/* Frames                                                                     */
/* ------------------------------------------------------------------------- */

/**
 * Append one frame to @p out (stateless; no rule beyond the frame format is checked).
 *
 * @param[out] out buffer to append to (content kept on error).
 * @param opcode the frame opcode (any value 0-15 is written as given).
 * @param fin nonzero for the final fragment of a message.
 * @param mask_key a 4-byte masking key (client role), or NULL for an unmasked frame.
 * @param payload the payload (may be NULL when @p len is 0); @p len its size. The
 *        shortest of the 7-, 16- and 64-bit length forms is used.
 * @return KUBE_OK; KUBE_EINVAL for an opcode above 15 or a NULL payload with len > 0;
 *         KUBE_ENOMEM.
 *
 * Thread-safety: safe from any thread for distinct buffers.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_frame_encode(kube_buf_t *out, unsigned int opcode, int fin,
                                                     const uint8_t *mask_key,
                                                     const uint8_t *payload, size_t len);

/** A connection's codec state. Opaque. */
typedef struct kube_websocket kube_websocket_t;

/**
 * Supplies a fresh, unpredictable 4-byte masking key for every frame a client sends.
 * @return 0 on success; nonzero aborts the send, which then fails with KUBE_EUSER.
 */
typedef int (*kube_websocket_mask_cb)(uint8_t key[4], void *userdata);

/**
 * Option flag: hand out data frames as they complete, without reassembling
 * messages (for unbounded streams). Text is still checked for UTF-8 across frame
 * boundaries, and @ref kube_websocket_opts.max_message then bounds each frame.
 */
#define KUBE_WS_OPT_FRAMES 0x1u

/** Options for kube_websocket_new(). A versioned parameter struct. */
typedef struct kube_websocket_opts {
    unsigned int version;         /**< KUBE_WEBSOCKET_OPTS_VERSION */
    size_t max_message;           /**< largest message (with KUBE_WS_OPT_FRAMES: frame) accepted; 0: KUBE_WS_DEFAULT_MAX_MESSAGE */
    size_t max_frame;             /**< split sent messages into frames of at most this payload; 0: never split */
    unsigned int flags;           /**< KUBE_WS_OPT_* flags */
    kube_websocket_mask_cb mask;  /**< masking-key source; required for the client role */
    void *mask_userdata;          /**< passed to @ref mask */
    const kube_mem_t *mem;        /**< allocator (copied); NULL for the default */
} kube_websocket_opts_t;

/** Current version of kube_websocket_opts_t. */
#define KUBE_WEBSOCKET_OPTS_VERSION 1
/** Static initialiser with every default. */
#define KUBE_WEBSOCKET_OPTS_INIT { KUBE_WEBSOCKET_OPTS_VERSION, 0, 0, 0, NULL, NULL, NULL }

/** Where a connection is in its closing handshake. */
typedef enum kube_websocket_state {
    KUBE_WS_STATE_OPEN = 0,    /**< data flows both ways */
    KUBE_WS_STATE_CLOSING = 1, /**< we sent a close frame and wait for the peer's */
    KUBE_WS_STATE_CLOSED = 2,  /**< close frames went both ways: flush the output, then close the socket */
    KUBE_WS_STATE_FAILED = 3   /**< the peer broke the protocol: flush the output (a close frame), then close */
} kube_websocket_state_t;

/** A received message. A value output; the bytes are borrowed. */
typedef struct kube_websocket_message {
    unsigned int version;           /**< KUBE_WEBSOCKET_MESSAGE_VERSION (set by the call) */
    kube_websocket_opcode_t opcode; /**< TEXT, BINARY, CLOSE, PING or PONG (a data message's opcode also
                                         for its continuation frames) */
    const uint8_t *data;            /**< payload (for CLOSE: the reason, after the code); never NULL */
    size_t len;                     /**< payload length */
    uint16_t close_code;            /**< for CLOSE: the code, or KUBE_WS_CLOSE_NO_STATUS; else 0 */
    int fin;                        /**< 1 for a whole message or a message's last frame; 0 for a frame that
                                         more frames continue (only with KUBE_WS_OPT_FRAMES) */
} kube_websocket_message_t;

/** Current version of kube_websocket_message_t. */
#define KUBE_WEBSOCKET_MESSAGE_VERSION 1

/**
 * Create a codec for one connection, after a successful handshake.
 *
 * @param[out] out receives the codec; untouched on error.
 * @param role KUBE_WS_ROLE_CLIENT or KUBE_WS_ROLE_SERVER.
 * @param opts options, or NULL for the defaults (the client role needs opts->mask).
 * @return KUBE_OK; KUBE_EINVAL (NULL @p out, unknown role or options version, a
 *         client without a mask callback); KUBE_ENOMEM.
 *
 * Ownership: the caller owns *out; release with kube_websocket_free().
 * Thread-safety: see the file comment.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_new(kube_websocket_t **out, kube_websocket_role_t role,
                                            const kube_websocket_opts_t *opts);

/**
 * Free a codec and everything it holds. Accepts NULL.
 * @param ws the codec, or NULL. Ownership: consumed.
 * Thread-safety: not thread-safe; use a codec from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN void kube_websocket_free(kube_websocket_t *ws);

/**
 * Push bytes received from the peer (copied). Invalidates the last message's data.
 *
 * @param ws the codec.
 * @param data the bytes (copied; not retained).
 * @param len their count.
 * @return KUBE_OK; KUBE_EINVAL for a NULL codec or NULL data with len > 0;
 *         KUBE_ENOMEM (nothing was added).
 * Thread-safety: not thread-safe; use a codec from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_feed(kube_websocket_t *ws, const uint8_t *data, size_t len);

/**
 * Pull the next message out of the bytes fed so far.
 *
 * Fragmented messages are handed out once complete (with KUBE_WS_OPT_FRAMES:
 * frame by frame); control frames between fragments come out as they arrive. A PING queues the matching PONG; a CLOSE
 * queues the closing reply (echoing the code) unless a close was already sent,
 * and leaves the state KUBE_WS_STATE_CLOSED.
 *
 * @param ws the codec.
 * @param[out] out the message; out->data is borrowed and valid until the next
 *             kube_websocket_feed(), kube_websocket_next() or kube_websocket_free().
 * @return KUBE_OK; KUBE_EAGAIN when more bytes are needed (or, once closed, when no
 *         more messages can come); KUBE_EPROTO when the peer broke the protocol (see
 *         the file comment; returned again by every later call; bytes arriving after
 *         the peer's close frame also give KUBE_EPROTO once and are discarded);
 *         KUBE_ENOMEM (nothing was consumed: calling again after memory is freed
 *         continues correctly); KUBE_EINVAL for NULL arguments.
 * Thread-safety: not thread-safe; use a codec from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_next(kube_websocket_t *ws, kube_websocket_message_t *out);

/** Flag for kube_websocket_send(): more fragments of this message follow. */
#define KUBE_WS_SEND_MORE 0x1u

/**
 * Queue a data message (or one fragment of it) for sending.
 *
 * Pass the message's opcode (TEXT or BINARY) for every fragment; the codec writes
 * CONTINUATION frames itself. With KUBE_WS_SEND_MORE the message stays open and the
 * next call continues it (control frames may be queued in between). A message
 * longer than opts->max_frame is split into several frames. Text is not checked
 * for UTF-8: that is the caller's promise. The client role masks every frame with
 * a key from the mask callback.
 *
 * @param ws the codec.
 * @param opcode KUBE_WS_OP_TEXT or KUBE_WS_OP_BINARY.
 * @param data the payload (copied into the output queue).
 * @param len its length.
 * @param flags 0, or KUBE_WS_SEND_MORE.
 * @return KUBE_OK; KUBE_EINVAL (NULL codec, NULL data with len > 0, an opcode other
 *         than TEXT/BINARY, an opcode that differs from the open message's, or a
 *         close frame already sent/received or a failed connection); KUBE_EUSER when
 *         the mask callback failed; KUBE_ENOMEM. On error nothing was queued.
 * Thread-safety: not thread-safe; use a codec from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_send(kube_websocket_t *ws, kube_websocket_opcode_t opcode,
                                             const uint8_t *data, size_t len, unsigned int flags);

/**
 * Queue a PING with up to 125 bytes of application data.
 * @param ws the codec.
 * @param data the application data (copied; may be NULL when @p len is 0).
 * @param len its length, at most 125.
 * @return KUBE_OK; KUBE_EINVAL (NULL codec, payload over 125 bytes, after a close);
 *         KUBE_EUSER (mask callback); KUBE_ENOMEM.
 * Thread-safety: not thread-safe; use a codec from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_ping(kube_websocket_t *ws, const uint8_t *data, size_t len);

/**
 * Queue an unsolicited PONG (a heartbeat) with up to 125 bytes.
 * @param ws the codec.
 * @param data the application data (copied; may be NULL when @p len is 0).
 * @param len its length, at most 125.
 * @return as kube_websocket_ping().
 * Thread-safety: not thread-safe; use a codec from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_pong(kube_websocket_t *ws, const uint8_t *data, size_t len);

/**
 * Start (or finish) the closing handshake: queue a close frame. No data can be
 * sent afterwards; keep calling kube_websocket_next() until the state is
 * KUBE_WS_STATE_CLOSED.
 *
 * @param code a valid close code (1000-1003, 1007-1011, 3000-4999), or 0 for a
 *        close frame without a code (then @p reason must be NULL or empty).
 * @param reason NUL-terminated UTF-8 reason, or NULL; at most 123 bytes.
 * @return KUBE_OK; KUBE_EINVAL (NULL codec, invalid code, reason too long or not
 *         UTF-8, a close already sent); KUBE_EUSER (mask callback); KUBE_ENOMEM.
 * Thread-safety: not thread-safe; use a codec from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_websocket_close(kube_websocket_t *ws, uint16_t code, const char *reason);

/**
 * The bytes queued for the peer.
 *
 * @param[out] data_out receives a borrowed pointer, valid until the next call on @p ws
 *             other than kube_websocket_output() and kube_websocket_state().
 * @return how many bytes are queued (0 when none; *data_out is then NULL).
 * Thread-safety: not thread-safe; use a codec from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN size_t kube_websocket_output(const kube_websocket_t *ws, const uint8_t **data_out);

/**
 * Drop the first @p n queued bytes (those written to the socket). @p n larger than
 * what is queued drops everything.
 * @param ws the codec (NULL is ignored).
 * @param n how many bytes were written to the peer.
 * Thread-safety: not thread-safe; use a codec from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN void kube_websocket_output_consume(kube_websocket_t *ws, size_t n);

/**
 * The connection's state (see kube_websocket_state_t). KUBE_WS_STATE_FAILED for NULL.
 * @param ws the codec.
 * @return the state.
 * Thread-safety: not thread-safe; use a codec from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN kube_websocket_state_t kube_websocket_state(const kube_websocket_t *ws);

/**
 * The close code sent because the peer broke the protocol (1002, 1007 or 1009),
 * or 0 when the connection has not failed.
 * @param ws the codec.
 * @return 1002, 1007, 1009 or 0.
 * Thread-safety: not thread-safe; use a codec from one thread at a time.
 * @since 0.1
 */
KUBE_EXTERN uint16_t kube_websocket_error_close_code(const kube_websocket_t *ws);

/**
 * Whether @p code may appear in a close frame: 1000-1003, 1007-1011 or 3000-4999.
 * @param code the close code.
 * @return 1 or 0.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN int kube_websocket_close_code_valid(unsigned int code);

KUBE_END_DECL

#endif /* KUBE_WEBSOCKET_H */
