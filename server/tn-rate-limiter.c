/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An in-memory rate limiter keyed by strings (e-mail addresses, client
 * addresses).
 *
 * The algorithm is a token bucket in its GCRA form ("generic cell rate
 * algorithm"): a limit of N per window W is a bucket of N tokens that
 * refills one token every T = W / N. Each key keeps one number, its
 * theoretical arrival time (TAT): the moment its bucket is full again. An
 * attempt at `now` is allowed when, after taking its token, the bucket
 * would be full again within W, that is when max (TAT, now) + T - now <= W;
 * it then moves TAT on by T.
 *
 * Why a token bucket rather than a sliding-window log:
 * - one gint64 per key whatever the configured limit, so the memory bound
 *   is max-keys entries of constant size (a log keeps N timestamps per
 *   key, and N is configurable);
 * - an idle key (TAT <= now: its bucket is full) can be forgotten without
 *   changing any future answer, so expiry loses nothing;
 * - the wait until the next allowed attempt is exact: Retry-After is true.
 * Over any long stretch a key gets at most N attempts per W. Unlike a
 * strict window, after a burst of N the next token comes after T, not
 * after W (5 per 15 minutes: a burst of 5, then one every 3 minutes); the
 * long-run rate, which is what bounds password guessing, is the same.
 *
 * Memory: entries sit in a queue, least recently checked first. Each check
 * drops idle entries from the head, and a new key when the table is full
 * evicts the least recently checked one, so a flood of distinct keys
 * cannot grow the table past max-keys. Eviction forgets a key's history;
 * the cap is meant to be far above the number of keys active within one
 * window.
 *
 * Not thread-safe: use it from one thread (the server's main context).
 * Time is passed in (monotonic microseconds) so tests control it. */
#include "config.h"

#include "tn-rate-limiter.h"

typedef struct
{
  char   *key;
  gint64  tat;    /* theoretical arrival time: the bucket is full from then on */
  GList   link;   /* in TnRateLimiter.order; data is the entry */
} Entry;

struct _TnRateLimiter
{
  GObject parent_instance;

  guint       limit;
  gint64      window;     /* microseconds */
  guint       max_keys;
  GHashTable *entries;    /* key (owned by the entry) → Entry */
  GQueue      order;      /* of Entry.link, least recently checked first */
  GMutex      lock;       /* of entries and order: requests may run in
                             threads (a networked store) */
};

enum
{
  PROP_0,
  PROP_LIMIT,
  PROP_WINDOW,
  PROP_MAX_KEYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TnRateLimiter, tn_rate_limiter, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->key);
  g_free (entry);
}

/* The refill interval T; never 0, so every attempt costs something. */
static gint64
interval (TnRateLimiter *self)
{
  return MAX (self->window / self->limit, 1);
}

static void
remove_entry (TnRateLimiter *self,
              Entry         *entry)
{
  g_assert (entry != NULL);

  g_queue_unlink (&self->order, &entry->link);
  g_hash_table_remove (self->entries, entry->key);   /* frees the entry */
}

/* Drops entries from the head whose buckets are full again. */
static void
expire_idle (TnRateLimiter *self,
             gint64         now)
{
  while (self->order.head != NULL)
    {
      Entry *head = self->order.head->data;

      if (head->tat > now)
        break;
      remove_entry (self, head);
    }
}

static void
tn_rate_limiter_finalize (GObject *object)
{
  TnRateLimiter *self = (TnRateLimiter *) object;

  /* The links live inside the entries the table frees. */
  g_queue_init (&self->order);
  g_hash_table_unref (self->entries);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tn_rate_limiter_parent_class)->finalize (object);
}

static void
tn_rate_limiter_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TnRateLimiter *self = TN_RATE_LIMITER (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;
    case PROP_WINDOW:
      g_value_set_int64 (value, self->window);
      break;
    case PROP_MAX_KEYS:
      g_value_set_uint (value, self->max_keys);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_rate_limiter_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TnRateLimiter *self = TN_RATE_LIMITER (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      tn_rate_limiter_set_limit (self, g_value_get_uint (value));
      break;
    case PROP_WINDOW:
      self->window = g_value_get_int64 (value);
      break;
    case PROP_MAX_KEYS:
      tn_rate_limiter_set_max_keys (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_rate_limiter_class_init (TnRateLimiterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tn_rate_limiter_finalize;
  object_class->get_property = tn_rate_limiter_get_property;
  object_class->set_property = tn_rate_limiter_set_property;

  properties[PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW] =
    g_param_spec_int64 ("window", NULL, NULL, 1, G_MAXINT64, G_USEC_PER_SEC,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_KEYS] =
    g_param_spec_uint ("max-keys", NULL, NULL, 1, G_MAXUINT, TN_RATE_LIMITER_MAX_KEYS_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tn_rate_limiter_init (TnRateLimiter *self)
{
  self->limit = 1;
  self->window = G_USEC_PER_SEC;
  self->max_keys = TN_RATE_LIMITER_MAX_KEYS_DEFAULT;
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
  g_queue_init (&self->order);
  g_mutex_init (&self->lock);
}

/**
 * tn_rate_limiter_new:
 * @limit: attempts allowed per window, at least 1
 * @window_usec: the window, in microseconds
 *
 * Returns: (transfer full): a limiter allowing @limit attempts per
 *   @window_usec for each key
 */
TnRateLimiter *
tn_rate_limiter_new (guint  limit,
                     gint64 window_usec)
{
  g_return_val_if_fail (limit > 0, NULL);
  g_return_val_if_fail (window_usec > 0, NULL);

  return g_object_new (TN_TYPE_RATE_LIMITER, "limit", limit, "window", window_usec, NULL);
}

guint
tn_rate_limiter_get_limit (TnRateLimiter *self)
{
  g_return_val_if_fail (TN_IS_RATE_LIMITER (self), 0);
  return self->limit;
}

/* A new limit applies to the next attempts; what keys have spent stays. */
void
tn_rate_limiter_set_limit (TnRateLimiter *self,
                           guint          limit)
{
  g_return_if_fail (TN_IS_RATE_LIMITER (self));
  g_return_if_fail (limit > 0);

  if (self->limit == limit)
    return;
  self->limit = limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIMIT]);
}

gint64
tn_rate_limiter_get_window (TnRateLimiter *self)
{
  g_return_val_if_fail (TN_IS_RATE_LIMITER (self), 0);
  return self->window;
}

guint
tn_rate_limiter_get_max_keys (TnRateLimiter *self)
{
  g_return_val_if_fail (TN_IS_RATE_LIMITER (self), 0);
  return self->max_keys;
}

/* Lowering the cap evicts the least recently checked keys at once. */
void
tn_rate_limiter_set_max_keys (TnRateLimiter *self,
                              guint          max_keys)
{
  g_return_if_fail (TN_IS_RATE_LIMITER (self));
  g_return_if_fail (max_keys > 0);

  if (self->max_keys == max_keys)
    return;
  g_mutex_lock (&self->lock);
  self->max_keys = max_keys;
  while (g_hash_table_size (self->entries) > max_keys)
    remove_entry (self, self->order.head->data);
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_KEYS]);
}

/**
 * tn_rate_limiter_get_n_keys:
 *
 * Returns: how many keys the limiter remembers now
 */
guint
tn_rate_limiter_get_n_keys (TnRateLimiter *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (TN_IS_RATE_LIMITER (self), 0);
  locker = g_mutex_locker_new (&self->lock);
  return g_hash_table_size (self->entries);
}

/**
 * tn_rate_limiter_check:
 * @key: what is limited, such as a lower-cased e-mail address
 * @now_usec: the time now, monotonic, in microseconds
 * @out_retry_after: (out) (optional): when refused, the seconds to wait
 *   until an attempt is allowed again (at least 1); 0 when allowed
 *
 * Counts an attempt for @key if it is within the limit. A refused attempt
 * is not counted: it does not push the next allowed one further away.
 *
 * Returns: %TRUE when the attempt is allowed
 */
gboolean
tn_rate_limiter_check (TnRateLimiter *self,
                       const char    *key,
                       gint64         now_usec,
                       guint         *out_retry_after)
{
  g_autoptr(GMutexLocker) locker = NULL;
  Entry *entry;
  gint64 t, tat, wait;

  g_return_val_if_fail (TN_IS_RATE_LIMITER (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);

  if (out_retry_after != NULL)
    *out_retry_after = 0;

  expire_idle (self, now_usec);

  entry = g_hash_table_lookup (self->entries, key);
  if (entry == NULL)
    {
      if (g_hash_table_size (self->entries) >= self->max_keys)
        remove_entry (self, self->order.head->data);
      entry = g_new0 (Entry, 1);
      entry->key = g_strdup (key);
      entry->tat = now_usec;
      entry->link.data = entry;
      g_hash_table_insert (self->entries, entry->key, entry);
    }
  else
    g_queue_unlink (&self->order, &entry->link);
  /* Refused keys move to the tail too: a key under attack is the last
   * one to be evicted. */
  g_queue_push_tail_link (&self->order, &entry->link);

  t = interval (self);
  tat = MAX (entry->tat, now_usec) + t;
  if (tat - now_usec <= self->window)
    {
      entry->tat = tat;
      return TRUE;
    }

  wait = tat - self->window - now_usec;
  if (out_retry_after != NULL)
    *out_retry_after = (guint) MIN (MAX ((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1),
                                    G_MAXUINT);
  return FALSE;
}

/**
 * tn_rate_limiter_reset:
 * @key: a key
 *
 * Forgets the attempts of @key, as after a successful sign-in.
 */
void
tn_rate_limiter_reset (TnRateLimiter *self,
                       const char    *key)
{
  g_autoptr(GMutexLocker) locker = NULL;
  Entry *entry;

  g_return_if_fail (TN_IS_RATE_LIMITER (self));
  g_return_if_fail (key != NULL);

  locker = g_mutex_locker_new (&self->lock);
  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL)
    remove_entry (self, entry);
}
