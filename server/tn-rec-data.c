/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "tn-rec-data.h"

static void
rec_event_free (gpointer data)
{
  TnRecEvent *event = data;

  g_free (event->id);
  g_free (event->category);
  g_strfreev (event->tags);
  g_free (event->title);
  g_free (event->description);
  g_free (event);
}

static void
rec_user_free (gpointer data)
{
  TnRecUser *user = data;

  g_free (user->id);
  g_strfreev (user->interests);
  g_free (user);
}

/**
 * tn_rec_data_new:
 *
 * Returns: (transfer full): an empty community
 */
TnRecData *
tn_rec_data_new (void)
{
  TnRecData *data = g_new0 (TnRecData, 1);

  data->events = g_ptr_array_new_with_free_func (rec_event_free);
  data->users = g_ptr_array_new_with_free_func (rec_user_free);
  data->rsvps = g_array_new (FALSE, FALSE, sizeof (TnRecRsvp));
  data->follows = g_array_new (FALSE, FALSE, sizeof (TnRecFollow));
  /* the keys are the ids the arrays own */
  data->event_index = g_hash_table_new (g_str_hash, g_str_equal);
  data->user_index = g_hash_table_new (g_str_hash, g_str_equal);
  return data;
}

void
tn_rec_data_free (TnRecData *data)
{
  if (data == NULL)
    return;
  g_hash_table_unref (data->event_index);
  g_hash_table_unref (data->user_index);
  g_ptr_array_unref (data->events);
  g_ptr_array_unref (data->users);
  g_array_unref (data->rsvps);
  g_array_unref (data->follows);
  g_free (data);
}

static char **
copy_strv (const char * const *strv)
{
  return strv != NULL ? g_strdupv ((char **) strv) : g_new0 (char *, 1);
}

/**
 * tn_rec_data_add_user:
 *
 * Adds a user, or replaces the one with the same id in place.
 *
 * Returns: the user's index
 */
guint32
tn_rec_data_add_user (TnRecData          *data,
                      const char         *id,
                      double              home_lat,
                      double              home_lon,
                      const char * const *interests)
{
  TnRecUser *user;
  gint found;

  g_return_val_if_fail (data != NULL && id != NULL, 0);

  found = tn_rec_data_find_user (data, id);
  if (found >= 0)
    {
      user = data->users->pdata[found];
      user->home_lat = home_lat;
      user->home_lon = home_lon;
      g_strfreev (user->interests);
      user->interests = copy_strv (interests);
      return (guint32) found;
    }
  user = g_new0 (TnRecUser, 1);
  user->id = g_strdup (id);
  user->home_lat = home_lat;
  user->home_lon = home_lon;
  user->interests = copy_strv (interests);
  g_ptr_array_add (data->users, user);
  g_hash_table_insert (data->user_index, user->id, GUINT_TO_POINTER (data->users->len));
  return data->users->len - 1;
}

/**
 * tn_rec_data_add_event:
 * @event: the event; its strings are copied
 *
 * Adds an event, or replaces the one with the same id in place.
 *
 * Returns: the event's index
 */
guint32
tn_rec_data_add_event (TnRecData        *data,
                       const TnRecEvent *event)
{
  TnRecEvent *copy;
  gint found;

  g_return_val_if_fail (data != NULL && event != NULL && event->id != NULL, 0);

  copy = g_new0 (TnRecEvent, 1);
  *copy = *event;
  copy->id = g_strdup (event->id);
  copy->category = g_strdup (event->category != NULL ? event->category : "");
  copy->tags = copy_strv ((const char * const *) event->tags);
  copy->title = g_strdup (event->title != NULL ? event->title : "");
  copy->description = g_strdup (event->description != NULL ? event->description : "");

  found = tn_rec_data_find_event (data, event->id);
  if (found >= 0)
    {
      TnRecEvent *old = data->events->pdata[found];

      g_hash_table_remove (data->event_index, old->id);
      data->events->pdata[found] = copy;
      rec_event_free (old);
      g_hash_table_insert (data->event_index, copy->id, GINT_TO_POINTER (found + 1));
      return (guint32) found;
    }
  g_ptr_array_add (data->events, copy);
  g_hash_table_insert (data->event_index, copy->id, GUINT_TO_POINTER (data->events->len));
  return data->events->len - 1;
}

/**
 * tn_rec_data_find_user:
 *
 * Returns: the user's index, or -1
 */
gint
tn_rec_data_find_user (TnRecData  *data,
                       const char *id)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (data->user_index, id)) - 1;
}

/**
 * tn_rec_data_find_event:
 *
 * Returns: the event's index, or -1
 */
gint
tn_rec_data_find_event (TnRecData  *data,
                        const char *id)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (data->event_index, id)) - 1;
}

/**
 * tn_rec_data_add_rsvp:
 *
 * Returns: %FALSE (and adds nothing) when the user or the event is not
 *   in @data
 */
gboolean
tn_rec_data_add_rsvp (TnRecData   *data,
                      const char  *user_id,
                      const char  *event_id,
                      gint64       at,
                      TnRecAnswer  answer,
                      gboolean     checked_in)
{
  gint user = tn_rec_data_find_user (data, user_id);
  gint event = tn_rec_data_find_event (data, event_id);
  TnRecRsvp rsvp = { 0 };

  if (user < 0 || event < 0)
    return FALSE;
  rsvp.user = (guint32) user;
  rsvp.event = (guint32) event;
  rsvp.at = at;
  rsvp.answer = (guint8) answer;
  rsvp.checked_in = checked_in ? 1 : 0;
  g_array_append_val (data->rsvps, rsvp);
  return TRUE;
}

/**
 * tn_rec_data_add_follow:
 *
 * Returns: %FALSE (and adds nothing) when either user is not in @data or
 *   both are the same
 */
gboolean
tn_rec_data_add_follow (TnRecData  *data,
                        const char *follower_id,
                        const char *followee_id)
{
  gint follower = tn_rec_data_find_user (data, follower_id);
  gint followee = tn_rec_data_find_user (data, followee_id);
  TnRecFollow follow;

  if (follower < 0 || followee < 0 || follower == followee)
    return FALSE;
  follow.follower = (guint32) follower;
  follow.followee = (guint32) followee;
  g_array_append_val (data->follows, follow);
  return TRUE;
}
