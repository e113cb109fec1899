/* Handlers, one file per resource; the route table in routes.c names them. */
#ifndef DETENTE_HTTP_HANDLERS_H
#define DETENTE_HTTP_HANDLERS_H

#include "http/internal.h"

#define H(name) struct MHD_Response *name(struct http_req *r, int *status)

H(h_health);
H(h_stats);
H(h_parties);
H(h_party);
H(h_forums);
H(h_forum);
H(h_instruments);
H(h_instrument);
H(h_instrument_vote);
H(h_export);
H(h_translations);
H(h_norms);
H(h_norm);
H(h_timeline);
H(h_search);
H(h_act_types);
H(h_negotiations);
H(h_negotiation);
H(h_document);
H(h_document_diff);
H(h_document_amendments);
H(h_document_print);
H(h_document_text);
H(h_decision);
H(h_decision_votes);

H(h_session_get);
H(h_session_post);
H(h_session_delete);
H(h_tokens_get);
H(h_tokens_post);
H(h_token_delete);
H(h_users_get);
H(h_users_post);
H(h_acts_post);
H(h_acts_batch_post);

H(h_log_checkpoint);
H(h_log_key);
H(h_log_entries);
H(h_log_inclusion);
H(h_log_consistency);
H(h_keys_get);
H(h_key_get);
H(h_key_delete);
H(h_events);

#undef H
#endif
