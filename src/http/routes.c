/*
 * The route table: every URL the server answers, with its method, body cap,
 * authentication and allowed query parameters.  docs/openapi.yaml describes
 * each of them; a test fails when one is missing there.
 */
#include "http/handlers.h"
#include "http/internal.h"

#define KB 1024

const struct http_route http_routes[] = {
    {"GET", "/api/v1/health", 0, AUTH_NONE, NULL, h_health},
    {"GET", "/api/v1/stats", 0, AUTH_NONE, NULL, h_stats},
    {"GET", "/api/v1/parties", 0, AUTH_NONE, "limit,after,kind,group",
     h_parties},
    {"GET", "/api/v1/parties/{}", 0, AUTH_NONE, NULL, h_party},
    {"GET", "/api/v1/forums", 0, AUTH_NONE, "limit,after,kind", h_forums},
    {"GET", "/api/v1/forums/{}", 0, AUTH_NONE, NULL, h_forum},
    {"GET", "/api/v1/instruments", 0, AUTH_NONE, "limit,after,kind,forum",
     h_instruments},
    {"GET", "/api/v1/instruments/{}", 0, AUTH_NONE, NULL, h_instrument},
    {"GET", "/api/v1/norms", 0, AUTH_NONE, "limit,after", h_norms},
    {"GET", "/api/v1/norms/{}", 0, AUTH_NONE, NULL, h_norm},
    {"GET", "/api/v1/timeline", 0, AUTH_NONE, "limit,after", h_timeline},
    {"GET", "/api/v1/search", 0, AUTH_NONE, "q,limit", h_search},
    {"GET", "/api/v1/act-types", 0, AUTH_NONE, NULL, h_act_types},
    {"GET", "/api/v1/session", 0, AUTH_NONE, NULL, h_session_get},
    {"POST", "/api/v1/session", 4 * KB, AUTH_NONE, NULL, h_session_post},
    {"DELETE", "/api/v1/session", 0, AUTH_NONE, NULL, h_session_delete},
    {"GET", "/api/v1/tokens", 0, AUTH_REQUIRED, NULL, h_tokens_get},
    {"POST", "/api/v1/tokens", 4 * KB, AUTH_REQUIRED, NULL, h_tokens_post},
    {"DELETE", "/api/v1/tokens/{}", 0, AUTH_REQUIRED, NULL, h_token_delete},
    {"GET", "/api/v1/users", 0, AUTH_REQUIRED, NULL, h_users_get},
    {"POST", "/api/v1/users", 8 * KB, AUTH_REQUIRED, NULL, h_users_post},
    {"POST", "/api/v1/acts", 256 * KB, AUTH_REQUIRED, NULL, h_acts_post},
    {"GET", "/api/v1/log/checkpoint", 0, AUTH_NONE, NULL, h_log_checkpoint},
    {"GET", "/api/v1/log/key", 0, AUTH_NONE, NULL, h_log_key},
    {"GET", "/api/v1/log/entries", 0, AUTH_NONE, "start,end", h_log_entries},
    {"GET", "/api/v1/log/proof/inclusion", 0, AUTH_NONE, "index,leaf_hash,size",
     h_log_inclusion},
    {"GET", "/api/v1/log/proof/consistency", 0, AUTH_NONE, "from,to",
     h_log_consistency},
    {"GET", "/api/v1/keys", 0, AUTH_REQUIRED, NULL, h_keys_get},
    {"DELETE", "/api/v1/keys/{}", 0, AUTH_REQUIRED, NULL, h_key_delete},
    {NULL, NULL, 0, AUTH_NONE, NULL, NULL},
};
