/* events.h — the live event stream (Server-Sent Events, GET /api/v1/events).
 *
 * The hub knows every connected stream. A stream holds no thread while it waits: when
 * it has nothing to send, its content reader suspends the libmicrohttpd connection,
 * and the hub resumes it when the store's commit hook reports new events or when the
 * heartbeat timer fires (then the stream writes ": heartbeat"). Each stream reads its
 * events from the store itself (event_list_after with its caller's roles), so a
 * stream only ever sends committed events its caller may see, in id order, and a
 * client that reconnects with Last-Event-ID misses nothing.
 *
 * Ownership: the server makes the hub (event_hub_new) when it starts, calls
 * event_hub_stop before stopping libmicrohttpd (every stream then ends, so the stop is
 * not held up by open streams), and event_hub_free after.
 */
#ifndef HAMYAR_HTTP_EVENTS_H
#define HAMYAR_HTTP_EVENTS_H

#include <stdint.h>

struct event_hub;
struct store;

/* Starts the heartbeat thread; heartbeat_s 0 means 15 s. NULL on failure (logged). */
struct event_hub *event_hub_new(struct store *store, unsigned heartbeat_s);
/* Ends every stream and refuses new ones (503). Idempotent. */
void event_hub_stop(struct event_hub *hub);
/* Releases the hub; libmicrohttpd must already be stopped. NULL is ignored. */
void event_hub_free(struct event_hub *hub);

/* A store_commit_hook: `cls` is the hub. Wakes the streams behind last_event_id. */
void event_hub_commit_hook(void *cls, int64_t last_event_id);

/* Streams connected now. */
unsigned event_hub_clients(struct event_hub *hub);

#endif
