/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tn-attendee.h"
#include "tn-event.h"
#include "tn-user.h"

G_BEGIN_DECLS

/**
 * TnEventFilter:
 * @from: only events ending at or after this time (0: no limit)
 * @to: only events starting before this time (0: no limit)
 * @q: (nullable): full-text query
 * @category: (nullable): only this category
 * @tag: (nullable): only events with this tag
 * @status: (nullable): `scheduled` or `cancelled`
 * @limit: page size (0: the server's default)
 * @cursor: (nullable): the `next_cursor` of the previous page
 */
typedef struct
{
  gint64      from;
  gint64      to;
  const char *q;
  const char *category;
  const char *tag;
  const char *status;
  guint       limit;
  const char *cursor;
} TnEventFilter;

#define TN_TYPE_CLIENT (tn_client_get_type ())
G_DECLARE_FINAL_TYPE (TnClient, tn_client, TN, CLIENT, GObject)

TnClient   *tn_client_new                (const char           *base_url);
const char *tn_client_get_base_url       (TnClient             *self);
const char *tn_client_get_token          (TnClient             *self);
void        tn_client_set_token          (TnClient             *self,
                                          const char           *token);
void        tn_client_set_timeout        (TnClient             *self,
                                          guint                 seconds);

void        tn_client_login_async        (TnClient             *self,
                                          const char           *email,
                                          const char           *password,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
TnUser     *tn_client_login_finish       (TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        tn_client_logout_async       (TnClient             *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    tn_client_logout_finish      (TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        tn_client_me_async           (TnClient             *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
TnUser     *tn_client_me_finish          (TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        tn_client_list_events_async  (TnClient             *self,
                                          const TnEventFilter  *filter,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GPtrArray  *tn_client_list_events_finish (TnClient             *self,
                                          GAsyncResult         *result,
                                          char                **next_cursor,
                                          GError              **error);
void        tn_client_get_event_async    (TnClient             *self,
                                          const char           *id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
void        tn_client_create_event_async (TnClient             *self,
                                          TnEvent              *event,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
void        tn_client_update_event_async (TnClient             *self,
                                          TnEvent              *event,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
void        tn_client_cancel_event_async (TnClient             *self,
                                          const char           *id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
TnEvent    *tn_client_event_finish       (TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        tn_client_delete_event_async (TnClient             *self,
                                          const char           *id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    tn_client_delete_event_finish(TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        tn_client_get_rsvp_async     (TnClient             *self,
                                          const char           *event_id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
void        tn_client_set_rsvp_async     (TnClient             *self,
                                          const char           *event_id,
                                          TnRsvpStatus          status,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
TnAttendee *tn_client_attendee_finish    (TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);

void        tn_client_list_attendees_async  (TnClient            *self,
                                             const char          *event_id,
                                             const char          *status,
                                             const char          *q,
                                             guint                limit,
                                             const char          *cursor,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray  *tn_client_list_attendees_finish (TnClient            *self,
                                             GAsyncResult        *result,
                                             char               **next_cursor,
                                             GError             **error);
void        tn_client_add_guest_async       (TnClient            *self,
                                             const char          *event_id,
                                             const char          *name,
                                             const char          *email,
                                             const char          *ticket_type,
                                             const char          *note,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
void        tn_client_change_ticket_async   (TnClient            *self,
                                             const char          *event_id,
                                             const char          *attendee_id,
                                             gboolean             reissue,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);

G_END_DECLS
