/*
 * The route table: every URL the server answers, with its method, body cap,
 * authentication and allowed query parameters.  docs/openapi.yaml describes
 * each of them; a test fails when one is missing there.
 */
#include "http/handlers.h"
#include "http/internal.h"

#define KB 1024

/* A signed note, as C2SP tlog-checkpoint clients read it. */
static const char *const note[] = {"text/plain", NULL};
static const char *const stream[] = {"text/event-stream", NULL};
static const char *const zip[] = {"application/zip", NULL};
/* A page for the browser to print. */
static const char *const html[] = {"text/html", NULL};
/* A list: JSON, or CSV (RFC 4180) by Accept or ?format=csv. */
static const char *const table[] = {"application/json", "text/csv", NULL};

const struct http_route http_routes[] = {
    {"GET", "/api/v1/health", 0, AUTH_NONE, NULL, h_health, true, NULL, NULL},
    {"GET", "/api/v1/stats", 0, AUTH_NONE, NULL, h_stats, true, NULL, NULL},
    {"GET", "/api/v1/parties", 0, AUTH_NONE,
     "limit,after,kind,group,q,member_of", h_parties, true, NULL, table},
    {"GET", "/api/v1/parties/{}", 0, AUTH_NONE, NULL, h_party, true, NULL,
     NULL},
    {"GET", "/api/v1/forums", 0, AUTH_NONE, "limit,after,kind", h_forums, true,
     NULL, table},
    {"GET", "/api/v1/forums/{}", 0, AUTH_NONE, NULL, h_forum, true, NULL, NULL},
    {"GET", "/api/v1/instruments", 0, AUTH_NONE, "limit,after,kind,forum",
     h_instruments, true, NULL, table},
    {"GET", "/api/v1/instruments/{}/vote", 0, AUTH_NONE, NULL,
     h_instrument_vote, true, NULL, table},
    /* an id, or a symbol (slashes and all), which redirects to the id */
    {"GET", "/api/v1/instruments/{*}", 0, AUTH_NONE, "format", h_instrument,
     true, NULL, NULL},
    {"GET", "/api/v1/negotiations", 0, AUTH_NONE, NULL, h_negotiations, true,
     NULL, table},
    {"GET", "/api/v1/negotiations/{}", 0, AUTH_NONE, NULL, h_negotiation, true,
     NULL, NULL},
    {"GET", "/api/v1/documents/{}", 0, AUTH_NONE, "revision", h_document, true,
     NULL, NULL},
    {"GET", "/api/v1/documents/{}/diff", 0, AUTH_NONE, "from,to",
     h_document_diff, true, NULL, NULL},
    {"GET", "/api/v1/documents/{}/amendments", 0, AUTH_NONE, NULL,
     h_document_amendments, true, NULL, table},
    {"GET", "/api/v1/documents/{}/print", 0, AUTH_NONE, "revision",
     h_document_print, true, NULL, html},
    {"GET", "/api/v1/documents/{}/text", 0, AUTH_NONE, "revision",
     h_document_text, true, NULL, note},
    {"GET", "/api/v1/decisions/{}", 0, AUTH_NONE, NULL, h_decision, true, NULL,
     NULL},
    {"GET", "/api/v1/decisions/{}/votes", 0, AUTH_NONE, NULL, h_decision_votes,
     true, NULL, table},
    {"GET", "/api/v1/norms", 0, AUTH_NONE, "limit,after", h_norms, true, NULL,
     table},
    {"GET", "/api/v1/norms/{}", 0, AUTH_NONE, NULL, h_norm, true, NULL, NULL},
    {"GET", "/api/v1/timeline", 0, AUTH_NONE, "limit,after", h_timeline, true,
     NULL, table},
    {"GET", "/api/v1/search", 0, AUTH_NONE, "q,limit", h_search, true, NULL,
     table},
    {"GET", "/api/v1/translations", 0, AUTH_NONE, "lang", h_translations, true,
     NULL, NULL},
    {"GET", "/api/v1/export", 0, AUTH_NONE, "format", h_export, false, NULL,
     zip},
    {"GET", "/api/v1/act-types", 0, AUTH_NONE, NULL, h_act_types, true, NULL,
     NULL},
    {"GET", "/api/v1/session", 0, AUTH_NONE, NULL, h_session_get, false, NULL,
     NULL},
    {"POST", "/api/v1/session", 4 * KB, AUTH_NONE, NULL, h_session_post, false,
     NULL, NULL},
    {"DELETE", "/api/v1/session", 0, AUTH_NONE, NULL, h_session_delete, false,
     NULL, NULL},
    {"GET", "/api/v1/tokens", 0, AUTH_REQUIRED, NULL, h_tokens_get, false, NULL,
     NULL},
    {"POST", "/api/v1/tokens", 4 * KB, AUTH_REQUIRED, NULL, h_tokens_post,
     false, NULL, NULL},
    {"DELETE", "/api/v1/tokens/{}", 0, AUTH_REQUIRED, NULL, h_token_delete,
     false, NULL, NULL},
    {"GET", "/api/v1/users", 0, AUTH_REQUIRED, NULL, h_users_get, false, NULL,
     NULL},
    {"POST", "/api/v1/users", 8 * KB, AUTH_REQUIRED, NULL, h_users_post, false,
     NULL, NULL},
    {"POST", "/api/v1/acts", 256 * KB, AUTH_REQUIRED, NULL, h_acts_post, false,
     NULL, NULL},
    {"POST", "/api/v1/acts/batch", 4096 * KB, AUTH_REQUIRED, NULL,
     h_acts_batch_post, false, NULL, NULL},
    {"GET", "/api/v1/log/checkpoint", 0, AUTH_NONE, NULL, h_log_checkpoint,
     false, NULL, note},
    {"GET", "/api/v1/log/key", 0, AUTH_NONE, NULL, h_log_key, false, NULL,
     NULL},
    {"GET", "/api/v1/log/entries", 0, AUTH_NONE, "start,end", h_log_entries,
     false, NULL, table},
    {"GET", "/api/v1/log/proof/inclusion", 0, AUTH_NONE, "index,leaf_hash,size",
     h_log_inclusion, true, NULL, NULL},
    {"GET", "/api/v1/log/proof/consistency", 0, AUTH_NONE, "from,to",
     h_log_consistency, true, NULL, NULL},
    {"GET", "/api/v1/keys", 0, AUTH_REQUIRED, NULL, h_keys_get, false, NULL,
     NULL},
    {"GET", "/api/v1/keys/{}", 0, AUTH_NONE, NULL, h_key_get, true, NULL, NULL},
    {"DELETE", "/api/v1/keys/{}", 0, AUTH_REQUIRED, NULL, h_key_delete, false,
     NULL, NULL},
    {"GET", "/api/v1/events", 0, AUTH_NONE, "last_event_id", h_events, false,
     NULL, stream},
    {NULL, NULL, 0, AUTH_NONE, NULL, NULL, false, NULL, NULL},
};
