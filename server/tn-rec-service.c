/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-rec-service.h"

struct _TnRecService
{
  GObject       parent_instance;

  TnStore      *store;
  TnRecModelSlot slot;              /* the model; empty until the first build */
  guint         refresh;            /* seconds between builds, at least */
  gboolean      started;

  /* Changes are counted; a model knows the count its data saw. */
  guint64       changes;
  guint64       model_changes;
  guint64       building_changes;
  gboolean      building;
  gint64        last_build_start;   /* monotonic µs, 0 = never */
  GSource      *timer;
  GMainContext *context;            /* the server's: timers and results */
  guint         builds;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TnRecService, tn_rec_service, G_TYPE_OBJECT)

static void tn_rec_service_schedule (TnRecService *self);

static void
tn_rec_service_dispose (GObject *object)
{
  TnRecService *self = TN_REC_SERVICE (object);

  tn_rec_service_stop (self);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tn_rec_service_parent_class)->dispose (object);
}

static void
tn_rec_service_finalize (GObject *object)
{
  TnRecService *self = TN_REC_SERVICE (object);

  tn_rec_model_slot_clear (&self->slot);
  G_OBJECT_CLASS (tn_rec_service_parent_class)->finalize (object);
}

static void
tn_rec_service_class_init (TnRecServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tn_rec_service_dispose;
  G_OBJECT_CLASS (klass)->finalize = tn_rec_service_finalize;
}

static void
tn_rec_service_init (TnRecService *self)
{
  tn_rec_model_slot_init (&self->slot);
  self->refresh = TN_REC_REFRESH_SECONDS_DEFAULT;
  self->cancellable = g_cancellable_new ();
  self->changes = 1;   /* no model yet: stale */
}

/**
 * tn_rec_service_new:
 * @store: where the community is
 *
 * Returns: (transfer full): a service that builds nothing until
 *   tn_rec_service_start()
 */
TnRecService *
tn_rec_service_new (TnStore *store)
{
  TnRecService *self;

  g_return_val_if_fail (TN_IS_STORE (store), NULL);

  self = g_object_new (TN_TYPE_REC_SERVICE, NULL);
  self->store = g_object_ref (store);
  return self;
}

/**
 * tn_rec_service_set_refresh:
 * @seconds: the least time between two builds' starts (at least 1)
 */
void
tn_rec_service_set_refresh (TnRecService *self,
                            guint         seconds)
{
  g_return_if_fail (TN_IS_REC_SERVICE (self));

  self->refresh = MAX (seconds, 1);
}

typedef struct
{
  TnStore *store;
  gint64   now;
} BuildData;

static void
build_data_free (BuildData *data)
{
  g_object_unref (data->store);
  g_free (data);
}

static void
build_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildData *build = task_data;
  g_autoptr(TnRecData) data = tn_rec_data_new ();
  g_autoptr(GError) error = NULL;
  TnRecParams params;

  if (!tn_store_load_rec_data (build->store, data, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  tn_rec_params_init (&params);
  /* one thread: the other core keeps serving requests */
  params.n_threads = 1;
  g_task_return_pointer (task, tn_rec_model_build (data, &params, build->now),
                         (GDestroyNotify) tn_rec_model_unref);
}

static void
build_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TnRecService *self = TN_REC_SERVICE (source);
  g_autoptr(GError) error = NULL;
  TnRecModel *model = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->building = FALSE;
  if (model == NULL)
    g_warning ("The recommendations could not be brought up to date: %s", error->message);
  else
    {
      tn_rec_model_slot_set (&self->slot, model);
      self->model_changes = self->building_changes;
      self->builds++;
      g_debug ("Recommendations: a model of %u events in %.2f s, %" G_GSIZE_FORMAT " bytes",
               tn_rec_model_get_n_events (model), tn_rec_model_get_build_seconds (model),
               tn_rec_model_get_memory_bytes (model));
      tn_rec_model_unref (model);
    }
  tn_rec_service_schedule (self);
}

static void
tn_rec_service_build (TnRecService *self)
{
  g_autoptr(GTask) task = NULL;
  BuildData *data = g_new0 (BuildData, 1);

  data->store = g_object_ref (self->store);
  data->now = g_get_real_time () / G_USEC_PER_SEC;
  self->building = TRUE;
  self->building_changes = self->changes;
  self->last_build_start = g_get_monotonic_time ();
  task = g_task_new (self, self->cancellable, build_done_cb, NULL);
  g_task_set_source_tag (task, tn_rec_service_build);
  g_task_set_task_data (task, data, (GDestroyNotify) build_data_free);
  g_task_run_in_thread (task, build_thread);
}

static gboolean
timer_cb (gpointer user_data)
{
  TnRecService *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  tn_rec_service_schedule (self);
  return G_SOURCE_REMOVE;
}

/* Starts a build when the model is stale, none runs and the last one
 * started a refresh interval ago; else sets a timer for that moment. */
static void
tn_rec_service_schedule (TnRecService *self)
{
  gint64 due;
  gint64 now = g_get_monotonic_time ();

  if (!self->started || self->building || self->timer != NULL ||
      self->changes == self->model_changes ||
      self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  due = self->last_build_start == 0 ? now : self->last_build_start + (gint64) self->refresh * G_USEC_PER_SEC;
  if (due <= now)
    {
      tn_rec_service_build (self);
      return;
    }
  self->timer = g_timeout_source_new ((guint) ((due - now + 999) / 1000));
  g_source_set_priority (self->timer, G_PRIORITY_LOW);
  g_source_set_static_name (self->timer, "turnout recommendations refresh");
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_attach (self->timer, self->context);
}

/**
 * tn_rec_service_stop:
 *
 * Builds nothing more: a build under way is cancelled (its thread may
 * still finish reading, but its model and any failure are dropped
 * silently) and no timer is left. For a server that stops: a running
 * build holds the service until its thread ends.
 */
void
tn_rec_service_stop (TnRecService *self)
{
  g_return_if_fail (TN_IS_REC_SERVICE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->timer != NULL)
    g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

/**
 * tn_rec_service_start:
 *
 * Builds the first model now (in a thread) and keeps it fresh after;
 * its timers and results run on the caller's thread-default context.
 */
void
tn_rec_service_start (TnRecService *self)
{
  g_return_if_fail (TN_IS_REC_SERVICE (self));

  self->started = TRUE;
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  tn_rec_service_schedule (self);
}

/**
 * tn_rec_service_note_change:
 *
 * Something was committed that a model may not know of yet.
 */
void
tn_rec_service_note_change (TnRecService *self)
{
  g_return_if_fail (TN_IS_REC_SERVICE (self));

  self->changes++;
  tn_rec_service_schedule (self);
}

/**
 * tn_rec_service_get_model:
 *
 * Returns: (transfer full) (nullable): the current model, %NULL while
 *   the first is being built; any thread may ask
 */
TnRecModel *
tn_rec_service_get_model (TnRecService *self)
{
  g_return_val_if_fail (TN_IS_REC_SERVICE (self), NULL);
  return tn_rec_model_slot_get (&self->slot);
}

gboolean
tn_rec_service_get_building (TnRecService *self)
{
  g_return_val_if_fail (TN_IS_REC_SERVICE (self), FALSE);
  return self->building;
}

/**
 * tn_rec_service_get_builds:
 *
 * Returns: how many models were built so far
 */
guint
tn_rec_service_get_builds (TnRecService *self)
{
  g_return_val_if_fail (TN_IS_REC_SERVICE (self), 0);
  return self->builds;
}
