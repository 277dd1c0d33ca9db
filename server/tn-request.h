/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "tn-server.h"
#include "tn-user.h"

G_BEGIN_DECLS

#define TN_ROUTE_MAX_PARAMS 2

typedef struct _TnRequest TnRequest;

/* An answer only the main loop may give (tn_request_answer_on_main()). */
typedef void (*TnRequestMainFunc) (TnRequest  *req,
                                   const char *arg);

/* One request, from the route's point of view. Reference-counted, so a
 * handler that answers later (after work in a thread) keeps it alive. */
struct _TnRequest
{
  TnServer          *server;
  SoupServerMessage *msg;
  GHashTable        *query;        /* may be NULL */
  char              *params[TN_ROUTE_MAX_PARAMS];
  TnUser            *user;         /* NULL: anonymous or a door device */
  TnDevice          *device;       /* a door device's token is in use */
  char              *token_hash;   /* of the token in use, if any */
  gboolean           paused;
  gboolean           dispatched;   /* reached the routes, not only the early check */

  /* With a store that waits on the network the handler runs in a worker
   * thread (tn_server_run_in_worker()), which must not touch the message:
   * the answer is kept here and set on the main loop. */
  gboolean           on_worker;
  gboolean           answered;
  guint              reply_status;
  char              *reply_type;
  GBytes            *reply_body;
  GPtrArray         *reply_headers; /* name, value, name, value… */
  TnRequestMainFunc  on_main;      /* gives the answer, on the main loop */
  char              *on_main_arg;
};

TnRequest  *tn_request_new          (TnServer          *server,
                                     SoupServerMessage *msg,
                                     GHashTable        *query);
TnRequest  *tn_request_ref          (TnRequest         *req);
void        tn_request_unref        (TnRequest         *req);
void        tn_request_pause        (TnRequest         *req);
void        tn_request_resume       (TnRequest         *req);

void        tn_request_set_header   (TnRequest         *req,
                                     const char        *name,
                                     const char        *value);
void        tn_request_send_answer  (TnRequest         *req);
void        tn_request_answer_on_main (TnRequest       *req,
                                       TnRequestMainFunc func,
                                       const char       *arg);

void        tn_request_reply_json   (TnRequest         *req,
                                     guint              status,
                                     JsonNode          *node);
void        tn_request_reply_json_text (TnRequest      *req,
                                        guint           status,
                                        GString        *text);
void        tn_request_reply_text   (TnRequest         *req,
                                     guint              status,
                                     const char        *content_type,
                                     const char        *text);
void        tn_request_reply_empty  (TnRequest         *req,
                                     guint              status);
void        tn_request_reply_error  (TnRequest         *req,
                                     const GError      *error,
                                     JsonObject        *details);
void        tn_request_reply_error_literal (TnRequest  *req,
                                     TnError            code,
                                     const char        *message);
JsonObject *tn_request_read_object  (TnRequest         *req,
                                     GError           **error);
gboolean    tn_request_read_empty   (TnRequest         *req,
                                     GError           **error);
const char *tn_request_get_query    (TnRequest         *req,
                                     const char        *name);
const char *tn_request_get_header   (TnRequest         *req,
                                     const char        *name);
char       *tn_request_get_client_address (TnRequest  *req);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnRequest, tn_request_unref)

G_END_DECLS
