/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-sync-cycle.h"
#include "tn-error.h"

void
tn_sync_cycle_init (TnSyncCycle     *self,
                    gpointer         owner,
                    TnSyncCycleFunc  push,
                    guint            timeout_ms,
                    guint            probe_interval_ms)
{
  g_assert (self != NULL && push != NULL);

  *self = (TnSyncCycle) { 0 };
  self->owner = owner;
  self->push = push;
  self->timeout_ms = timeout_ms;
  self->probe_interval_ms = probe_interval_ms;
}

/* Runs a cycle now, or right after the one under way. */
void
tn_sync_cycle_run (TnSyncCycle *self)
{
  if (self->stopped)
    return;
  if (self->busy)
    {
      self->again = TRUE;
      return;
    }
  self->busy = TRUE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->push (self->owner);
}

/* The cycle is over. Returns whether the engine is to schedule its next
 * retry: not when stopped, nor when another cycle was asked for (it runs
 * now). */
gboolean
tn_sync_cycle_finish (TnSyncCycle *self)
{
  self->busy = FALSE;
  if (self->stopped)
    return FALSE;
  if (self->again)
    {
      self->again = FALSE;
      tn_sync_cycle_run (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
tn_sync_cycle_retry_cb (gpointer user_data)
{
  TnSyncCycle *self = user_data;

  self->retry_id = 0;
  tn_sync_cycle_run (self);
  return G_SOURCE_REMOVE;
}

void
tn_sync_cycle_cancel_retry (TnSyncCycle *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
}

/* Runs a cycle when @due (g_get_real_time() µs) has come. */
void
tn_sync_cycle_retry_at (TnSyncCycle *self,
                        gint64       due)
{
  gint64 delay_ms = MAX (0, (due - g_get_real_time ()) / 1000) + 1;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add ((guint) MIN (delay_ms, (gint64) G_MAXUINT), tn_sync_cycle_retry_cb, self);
}

static gboolean
tn_sync_cycle_probe_cb (gpointer user_data)
{
  TnSyncCycle *self = user_data;

  /* offline: a probe; online: catching up with the others */
  if (!self->busy)
    tn_sync_cycle_run (self);
  return G_SOURCE_CONTINUE;
}

void
tn_sync_cycle_restart_probe (TnSyncCycle *self)
{
  g_clear_handle_id (&self->probe_id, g_source_remove);
  if (self->started && !self->stopped)
    self->probe_id = g_timeout_add (self->probe_interval_ms, tn_sync_cycle_probe_cb, self);
}

/* Runs a first cycle now and one every probe interval. */
void
tn_sync_cycle_start (TnSyncCycle *self)
{
  if (self->started || self->stopped)
    return;
  self->started = TRUE;
  tn_sync_cycle_restart_probe (self);
  tn_sync_cycle_run (self);
}

/* For good: cancels the request under way and every timer. */
void
tn_sync_cycle_stop (TnSyncCycle *self)
{
  self->stopped = TRUE;
  g_clear_handle_id (&self->probe_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  if (self->request != NULL)
    g_cancellable_cancel (self->request);
  g_clear_object (&self->request);
}

static gboolean
tn_sync_cycle_request_timeout_cb (gpointer user_data)
{
  TnSyncCycle *self = user_data;

  self->request_timeout_id = 0;
  self->timed_out = TRUE;
  g_cancellable_cancel (self->request);
  return G_SOURCE_REMOVE;
}

/* A cancellable for the next request, cancelled after the timeout. */
GCancellable *
tn_sync_cycle_begin_request (TnSyncCycle *self)
{
  g_clear_object (&self->request);
  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  self->request = g_cancellable_new ();
  self->timed_out = FALSE;
  self->request_timeout_id = g_timeout_add (self->timeout_ms, tn_sync_cycle_request_timeout_cb, self);
  return self->request;
}

/* What the answer to the request means for the engine: cancelled by the
 * timeout or a network error is offline, cancelled otherwise is a stop. */
TnSyncOutcome
tn_sync_cycle_end_request (TnSyncCycle  *self,
                           const GError *error)
{
  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  if (self->stopped)
    return TN_SYNC_OUTCOME_STOPPED;
  if (error == NULL)
    return TN_SYNC_OUTCOME_OK;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return self->timed_out ? TN_SYNC_OUTCOME_OFFLINE : TN_SYNC_OUTCOME_STOPPED;
  if (g_error_matches (error, TN_ERROR, TN_ERROR_NETWORK))
    return TN_SYNC_OUTCOME_OFFLINE;
  return TN_SYNC_OUTCOME_REFUSED;
}
