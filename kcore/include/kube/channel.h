/**
 * @file channel.h
 * @brief The Kubernetes channel protocols over WebSocket: exec/attach streams
 *        (`v5.channel.k8s.io`, `v4.channel.k8s.io`, the base64 variants and the
 *        legacy versions) and port-forward framing.
 *
 * Every WebSocket message carries one channel: binary protocols prefix the
 * payload with the channel byte; base64 protocols (`*.base64.channel.k8s.io`)
 * send text messages whose first character is the ASCII digit `'0' + channel`
 * followed by the standard base64 of the payload.
 *
 * exec/attach channels: 0 stdin (client to server), 1 stdout, 2 stderr,
 * 3 error/status (server to client), 4 resize (client to server, JSON
 * `{"Width":W,"Height":H}`), and in v5 the close channel 255: the message
 * `[255, ch]` half-closes channel ch (`[255, 0]` ends stdin). Completion arrives
 * on channel 3: v4 and later send a metav1.Status (kube_channel_exit_status()
 * turns it into an exit code); earlier versions send error text only.
 *
 * Port-forward (kubelet WebSocket form, `v4.channel.k8s.io` framing): for the
 * port at index i of the request's `ports=` list, channel 2i carries data both
 * ways and channel 2i+1 carries error text from the server. The server first
 * sends each port number as 2 little-endian bytes on both of its channels;
 * kube_channel_portforward_t strips and checks them.
 *
 * This module only frames payloads; send the bytes it produces with
 * kube_websocket_send() (websocket.h) using the opcode it reports. The request
 * (URL, `ports=` query) comes from request.h.
 *
 * Thread-safety: the stateless functions are safe from any thread;
 * kube_channel_portforward_t is not thread-safe (one thread at a time).
 * @since 0.1
 */
#ifndef KUBE_CHANNEL_H
#define KUBE_CHANNEL_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>
#include <kube/websocket.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/** @name exec/attach channel numbers
 * @{ */
#define KUBE_CHANNEL_STDIN 0   /**< client to server */
#define KUBE_CHANNEL_STDOUT 1  /**< server to client */
#define KUBE_CHANNEL_STDERR 2  /**< server to client */
#define KUBE_CHANNEL_ERROR 3   /**< server to client: the completion status */
#define KUBE_CHANNEL_RESIZE 4  /**< client to server: terminal size JSON */
#define KUBE_CHANNEL_CLOSE 255 /**< v5: `[255, ch]` half-closes channel ch */
/** @} */

/** The channel subprotocols, newest first. */
typedef enum kube_channel_protocol {
    KUBE_CHANNEL_V5 = 0,        /**< `v5.channel.k8s.io`: v4 plus the close channel */
    KUBE_CHANNEL_V4 = 1,        /**< `v4.channel.k8s.io`: Status JSON on channel 3 */
    KUBE_CHANNEL_V4_BASE64 = 2, /**< `v4.base64.channel.k8s.io`: v4 in base64 text messages */
    KUBE_CHANNEL_V3 = 3,        /**< `v3.channel.k8s.io`: adds resize; error text on channel 3 */
    KUBE_CHANNEL_V2 = 4,        /**< `v2.channel.k8s.io` */
    KUBE_CHANNEL_V1 = 5,        /**< `channel.k8s.io`, also what no subprotocol at all means */
    KUBE_CHANNEL_V1_BASE64 = 6  /**< `base64.channel.k8s.io` */
} kube_channel_protocol_t;

/**
 * The subprotocol name of @p protocol ("v5.channel.k8s.io", ...).
 * @param protocol the protocol.
 * @return a static string, or NULL for an unknown value.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_channel_protocol_name(kube_channel_protocol_t protocol);

/**
 * The protocol for the subprotocol the server chose.
 *
 * @param[out] out the protocol.
 * @param name the server's Sec-WebSocket-Protocol value; NULL or "" (no subprotocol)
 *        means KUBE_CHANNEL_V1, as for the API server.
 * @return KUBE_OK; KUBE_EUNSUPPORTED for a name that is no channel protocol;
 *         KUBE_EINVAL for a NULL @p out.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_channel_protocol_parse(kube_channel_protocol_t *out, const char *name);

/**
 * The subprotocols a client offers, in preference order, for exec/attach
 * (`v5.channel.k8s.io`, `v4.channel.k8s.io`) or for port-forward
 * (`v4.channel.k8s.io`, `v4.base64.channel.k8s.io`).
 *
 * @param portforward nonzero for the port-forward list.
 * @param[out] count_out receives the number of names.
 * @return a static array of static strings (never NULL). Pass it (plus a bearer
 *         protocol, if any) to kube_websocket_client_headers() and the same names
 *         to kube_websocket_client_response().
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN const char *const *kube_channel_offer(int portforward, size_t *count_out);

/**
 * Append the bearer-token subprotocol `base64url.bearer.authorization.k8s.io.<token
 * as unpadded base64url>` (how browsers, which cannot set Authorization on a
 * WebSocket, authenticate to the API server). Offer it in addition to the channel
 * protocols; the server never selects it.
 *
 * @param[out] out buffer to append to; it then holds a credential: wipe it before
 *             disposing and never log it. On error it is left as it was.
 * @param token the bearer token (NUL-terminated, not empty).
 * @return KUBE_OK; KUBE_EINVAL (NULL or empty token); KUBE_ENOMEM.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_channel_bearer_protocol(kube_buf_t *out, const char *token);

/**
 * Frame a payload for a channel: append the WebSocket message payload to @p out.
 *
 * @param[out] out buffer to append to (content kept on error).
 * @param[out] opcode_out the opcode to send it with (BINARY, or TEXT for base64).
 * @param protocol the negotiated protocol.
 * @param channel the channel number (0-79 for the base64 protocols, whose channel
 *        character must stay ASCII).
 * @param data the payload (NULL allowed when @p len is 0).
 * @param len its length.
 * @return KUBE_OK; KUBE_EINVAL (NULL arguments, unknown protocol, channel out of
 *         range); KUBE_ENOMEM.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_channel_encode(kube_buf_t *out, kube_websocket_opcode_t *opcode_out,
                                             kube_channel_protocol_t protocol, unsigned int channel,
                                             const uint8_t *data, size_t len);

/**
 * Frame a terminal resize for channel 4: `{"Width":W,"Height":H}`.
 *
 * @param[out] out buffer to append to (content kept on error).
 * @param[out] opcode_out the opcode to send it with.
 * @param protocol the negotiated protocol.
 * @param width terminal columns.
 * @param height terminal rows.
 * @return as kube_channel_encode(), plus KUBE_EUNSUPPORTED for v1 and v2, which
 *         have no resize channel.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_channel_encode_resize(kube_buf_t *out, kube_websocket_opcode_t *opcode_out,
                                                    kube_channel_protocol_t protocol, uint16_t width,
                                                    uint16_t height);

/**
 * Frame the v5 half-close of a channel: `[255, channel]` (`[255, 0]` ends stdin).
 *
 * @param[out] out buffer to append to (content kept on error).
 * @param[out] opcode_out the opcode to send it with (BINARY).
 * @param protocol the negotiated protocol.
 * @param channel the channel to half-close (0 for stdin).
 * @return KUBE_OK; KUBE_EUNSUPPORTED for protocols before v5 (close the WebSocket
 *         instead); KUBE_EINVAL (NULL arguments, channel above 254); KUBE_ENOMEM.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_channel_encode_close(kube_buf_t *out, kube_websocket_opcode_t *opcode_out,
                                                   kube_channel_protocol_t protocol, unsigned int channel);

/** A decoded channel message. A value output; the bytes are borrowed. */
typedef struct kube_channel_message {
    unsigned int version;  /**< KUBE_CHANNEL_MESSAGE_VERSION (set by the call) */
    unsigned int channel;  /**< the channel number */
    const uint8_t *data;   /**< the payload (never NULL) */
    size_t len;            /**< its length (0 for the server's initial empty frame) */
} kube_channel_message_t;

/** Current version of kube_channel_message_t. */
#define KUBE_CHANNEL_MESSAGE_VERSION 1

/**
 * Split a received WebSocket message into channel and payload.
 *
 * @param[out] out the message. out->data points into @p data (binary protocols)
 *             or into @p scratch (base64 protocols) and is valid while both are.
 * @param scratch a buffer for decoded base64 (cleared first); may be NULL for the
 *        binary protocols.
 * @param protocol the negotiated protocol.
 * @param opcode the WebSocket message's opcode.
 * @param data the WebSocket message payload; @p len its length.
 * @return KUBE_OK; KUBE_EPROTO for an empty message, a binary message under a base64
 *         protocol or the reverse, a channel character that is not in '0'..0x7F, or
 *         invalid base64 (kube_error_last() names the offset); KUBE_EINVAL (NULL
 *         arguments, unknown protocol, no scratch for a base64 protocol); KUBE_ENOMEM.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_channel_decode(kube_channel_message_t *out, kube_buf_t *scratch,
                                             kube_channel_protocol_t protocol, kube_websocket_opcode_t opcode,
                                             const uint8_t *data, size_t len);

/**
 * Turn the payload of the error channel (3) into an exit code.
 *
 * v4 and later: a metav1.Status. `"status":"Success"` gives 0; reason
 * `NonZeroExitCode` with a `details.causes` entry of reason `ExitCode` gives that
 * cause's message as the exit code; any other Status is a failure reported as an
 * error with the server's message. Earlier protocols send error text only: an
 * empty payload gives 0, text is a failure with that text as the message.
 *
 * @param[out] exit_code_out the command's exit code (on KUBE_OK).
 * @param protocol the negotiated protocol.
 * @param data the payload; @p len its length.
 * @param mem allocator for the temporary decode, or NULL.
 * @return KUBE_OK with the exit code; for a failure Status the code of
 *         kube_status_error() (KUBE_ESERVER for `InternalError`, KUBE_ENOTFOUND,
 *         ..., KUBE_ERROR when it maps to nothing) with kube_error_last() holding the
 *         message; KUBE_ERROR for pre-v4 error text (the text is the message);
 *         KUBE_EPROTO when a v4 payload is not a Status or `NonZeroExitCode` lacks a
 *         valid integer `ExitCode` cause; KUBE_EINVAL (NULL arguments); KUBE_ENOMEM.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_channel_exit_status(int *exit_code_out, kube_channel_protocol_t protocol,
                                                  const uint8_t *data, size_t len, const kube_mem_t *mem);

/* ---- port-forward ---- */

/** Port-forward demultiplexing state: which port headers have been seen. Opaque. */
typedef struct kube_channel_portforward kube_channel_portforward_t;

/**
 * Create port-forward state for the ports of a request, in the order of its
 * `ports=` list.
 *
 * @param[out] out receives the state; untouched on error.
 * @param ports the port numbers (1-65535); @p nports how many (1-128).
 * @param mem allocator (copied), or NULL.
 * @return KUBE_OK; KUBE_EINVAL (NULL arguments, no ports or more than 128, port 0);
 *         KUBE_ENOMEM.
 * Ownership: the caller owns *out; release with kube_channel_portforward_free().
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_channel_portforward_new(kube_channel_portforward_t **out, const uint16_t *ports,
                                                      size_t nports, const kube_mem_t *mem);

/**
 * Free port-forward state. Accepts NULL.
 * @param pf the state, or NULL. Ownership: consumed.
 * Thread-safety: one thread at a time per port-forward state.
 * @since 0.1
 */
KUBE_EXTERN void kube_channel_portforward_free(kube_channel_portforward_t *pf);

/** A decoded port-forward message. A value output; the bytes are borrowed. */
typedef struct kube_channel_port_message {
    unsigned int version; /**< KUBE_CHANNEL_PORT_MESSAGE_VERSION (set by the call) */
    size_t port_index;    /**< index of the port in the request's list */
    uint16_t port;        /**< the port number */
    int is_error;         /**< 1 for the error channel (text), 0 for data */
    const uint8_t *data;  /**< payload after any port header bytes (never NULL) */
    size_t len;           /**< its length; 0 when the message held only header bytes */
} kube_channel_port_message_t;

/** Current version of kube_channel_port_message_t. */
#define KUBE_CHANNEL_PORT_MESSAGE_VERSION 1

/**
 * Decode a received port-forward message: find the port and stream, strip the
 * 2-byte little-endian port header that starts each channel (it may arrive split
 * over messages) and check that it names the expected port.
 *
 * @param[out] out the message; out->data is borrowed as for kube_channel_decode().
 * @param pf the state.
 * @param scratch buffer for base64 decoding (may be NULL for binary protocols).
 * @param protocol KUBE_CHANNEL_V4, KUBE_CHANNEL_V4_BASE64 or KUBE_CHANNEL_V1.
 * @param opcode the WebSocket opcode; @p data, @p len the WebSocket payload.
 * @return KUBE_OK; KUBE_EPROTO (errors of kube_channel_decode(), a channel beyond
 *         the requested ports, a port header naming another port); KUBE_EINVAL;
 *         KUBE_ENOMEM.
 * Thread-safety: one thread at a time per port-forward state.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_channel_portforward_decode(kube_channel_port_message_t *out,
                                                         kube_channel_portforward_t *pf, kube_buf_t *scratch,
                                                         kube_channel_protocol_t protocol,
                                                         kube_websocket_opcode_t opcode, const uint8_t *data,
                                                         size_t len);

/**
 * Frame data for the port at @p port_index (its data channel, 2 * index). The
 * client sends no port header.
 *
 * @param[out] out buffer to append to (content kept on error).
 * @param[out] opcode_out the opcode to send it with.
 * @param protocol the negotiated protocol.
 * @param port_index index of the port in the request's list (0-127; 0-39 for base64).
 * @param data the bytes (NULL allowed when @p len is 0).
 * @param len their count.
 * @return as kube_channel_encode(); KUBE_EINVAL also for an index above 127.
 * Thread-safety: safe from any thread.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_channel_portforward_encode(kube_buf_t *out, kube_websocket_opcode_t *opcode_out,
                                                         kube_channel_protocol_t protocol, size_t port_index,
                                                         const uint8_t *data, size_t len);

KUBE_END_DECL

#endif /* KUBE_CHANNEL_H */
