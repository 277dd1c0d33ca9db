/* SPDX-License-Identifier: GPL-3.0-or-later */
/* recs-seed: a fresh database holding the synthetic community of
 * recs-eval and bench-recs (bench/recs-synth.c), written through the
 * storage interface as the server writes it, for the HTTP benchmark of
 * GET /api/v1/recommendations (bench/run --recs, docs/PERFORMANCE.md).
 *
 * The community's year is placed so that now is 80 % through it, as
 * bench-recs places it; the RSVPs given before now are kept (enough are
 * generated that --rsvps remain), each written with its own time. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "recs-synth.h"
#include "tn-attendee.h"
#include "tn-auth.h"
#include "tn-event.h"
#include "tn-server.h"
#include "tn-store.h"
#include "tn-time.h"
#include "tn-user.h"

#define DEFAULT_PASSWORD "bench-member-password"
/* Changes per batch (one transaction, one sync), as bench-seed. */
#define SEED_BATCH       1000
/* Lines of the queries file that bench/recs.lua rotates through. */
#define N_QUERIES        1000

typedef struct
{
  TnStore  *store;
  guint     done;
  GTimer   *timer;
  double    last_report;
} Batches;

/* Opens a batch every SEED_BATCH changes and commits the previous one. */
static gboolean
batch_step (Batches  *batches,
            GError  **error)
{
  if (batches->done > 0 && batches->done % SEED_BATCH == 0 &&
      !tn_store_commit_batch (batches->store, error))
    return FALSE;
  if (batches->done % SEED_BATCH == 0 && !tn_store_begin_batch (batches->store, error))
    return FALSE;
  batches->done++;
  return TRUE;
}

static gboolean
batch_finish (Batches  *batches,
              GError  **error)
{
  gboolean ok = TRUE;

  if (batches->done > 0 && tn_store_in_batch (batches->store))
    ok = tn_store_commit_batch (batches->store, error);
  batches->done = 0;
  return ok;
}

/* A UUID in the v4 layout from @rand, so that a seed gives the same ids
 * every time. */
static char *
random_uuid (GRand *rand)
{
  guint32 w[4];

  for (guint i = 0; i < G_N_ELEMENTS (w); i++)
    w[i] = g_rand_int (rand);
  w[1] = (w[1] & 0xffff0fffu) | 0x00004000u;
  w[2] = (w[2] & 0x3fffffffu) | 0x80000000u;
  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          w[0], w[1] >> 16, w[1] & 0xffff,
                          w[2] >> 16, w[2] & 0xffff, w[3]);
}

static void
progress (GTimer     *timer,
          const char *what,
          guint       done,
          guint       total)
{
  g_printerr ("recs-seed: %s %u/%u (%.0f s)\n", what, done, total, g_timer_elapsed (timer, NULL));
}

static TnRsvpStatus
rsvp_status (TnRecAnswer answer)
{
  switch (answer)
    {
    case TN_REC_GOING:
    /* Nobody can ask to wait: the synthetic events have no capacity, so
     * a member who waited in the community takes a seat here. */
    case TN_REC_WAITLISTED:
      return TN_RSVP_GOING;
    case TN_REC_INTERESTED:
      return TN_RSVP_INTERESTED;
    case TN_REC_MAYBE:
      return TN_RSVP_MAYBE;
    case TN_REC_NOT_GOING:
    default:
      return TN_RSVP_NOT_GOING;
    }
}

static TnEvent *
make_event (const TnRecEvent *rec,
            const char       *id,
            const char       *organizer_id)
{
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();

  tn_event_set_id (event, id);
  tn_event_set_title (event, rec->title);
  tn_event_set_description (event, rec->description);
  tn_event_set_category (event, rec->category);
  /* the generator may pick a tag twice; an event's tags are distinct */
  for (guint k = 0; rec->tags[k] != NULL; k++)
    if (!g_ptr_array_find_with_equal_func (tags, rec->tags[k], g_str_equal, NULL))
      g_ptr_array_add (tags, rec->tags[k]);
  g_ptr_array_add (tags, NULL);
  tn_event_set_tags (event, (const char * const *) tags->pdata);
  tn_event_set_starts_at (event, rec->starts_at);
  tn_event_set_ends_at (event, rec->ends_at);
  if (!isnan (rec->lat))
    tn_event_set_coordinates (event, rec->lat, rec->lon);
  /* not listed in the community: private here */
  tn_event_set_visibility (event, rec->listed ? TN_VISIBILITY_PUBLIC : TN_VISIBILITY_PRIVATE);
  tn_event_set_organizer (event, organizer_id);
  return g_steal_pointer (&event);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) store = NULL;
  g_autoptr(TnServer) server = NULL;
  g_autoptr(TnRecData) data = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GTimer) timer = NULL;
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) event_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) tokens = g_string_new (NULL);
  g_autoptr(GString) queries = g_string_new (NULL);
  g_autofree char *uri = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *password = NULL;
  g_autofree char *tokens_path = NULL;
  g_autofree char *queries_path = NULL;
  gint64 n_users = 50000, n_events = 100000, n_rsvps = 1000000, n_tokens = 5000, seed = 1;
  gint64 now;
  double t_generate, t_users, t_events, t_rsvps, t_follows, t_tokens;
  guint kept = 0, generated, profiles = 0, upcoming = 0, failed_rsvps = 0;
  Batches batches = { 0 };
  RecsSynthParams sp;
  const char *path;
  GOptionEntry entries[] = {
    { "users", 'u', 0, G_OPTION_ARG_INT64, &n_users, "Members (default 50000)", "N" },
    { "events", 'n', 0, G_OPTION_ARG_INT64, &n_events, "Events (default 100000)", "N" },
    { "rsvps", 'r', 0, G_OPTION_ARG_INT64, &n_rsvps, "RSVPs given before now (default 1000000)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Seed of the community (default 1, as bench-recs)", "SEED" },
    { "tokens", 't', 0, G_OPTION_ARG_FILENAME, &tokens_path,
      "Where to write bearer tokens of a sample of members, one a line", "FILE" },
    { "n-tokens", 'k', 0, G_OPTION_ARG_INT64, &n_tokens, "How many members get a token (default 5000)", "N" },
    { "queries", 'q', 0, G_OPTION_ARG_FILENAME, &queries_path,
      "Where to write query strings for the requests (\"\", ?near=…, ?category=…), one a line", "FILE" },
    { "password", 'p', 0, G_OPTION_ARG_STRING, &password,
      "Every member's password (default " DEFAULT_PASSWORD ")", "PASSWORD" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("PATH — a database of a synthetic community");
  g_option_context_set_summary (context,
                                "Creates a new SQLite database at PATH with the synthetic community of\n"
                                "bench-recs (members with homes and interests, events, follows, RSVPs\n"
                                "with their times) through TnStore, writes bearer tokens of a sample of\n"
                                "members, and prints key=value lines with the time each part took.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("recs-seed: %s\n", error->message);
      return 2;
    }
  if (argc != 2 || tokens_path == NULL || queries_path == NULL ||
      n_users < 10 || n_users > 10000000 || n_events < 1 || n_events > 10000000 ||
      n_rsvps < 0 || n_rsvps > 100000000 || n_tokens < 1 || n_tokens > n_users)
    {
      g_printerr ("recs-seed: give one PATH, --tokens FILE, --queries FILE and sensible sizes; see --help\n");
      return 2;
    }
  path = argv[1];
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("recs-seed: %s exists already; give the path of a new file\n", path);
      return 1;
    }
  if (password == NULL)
    password = g_strdup (DEFAULT_PASSWORD);

  uri = g_strconcat ("sqlite:", path, NULL);
  if (!tn_auth_init (&error) ||
      (store = tn_store_open (uri, &error)) == NULL ||
      !tn_store_migrate (store, &error) ||
      (hash = tn_auth_hash_password (password, &error)) == NULL)
    {
      g_printerr ("recs-seed: %s\n", error->message);
      return 1;
    }
  server = tn_server_new (store);
  batches.store = store;
  timer = g_timer_new ();

  /* The community, as bench-recs makes it, but with now at 80 % of its
   * year being the real now: the server recommends from the clock. */
  now = tn_time_now ();
  recs_synth_params_init (&sp);
  sp.users = (guint) n_users;
  sp.events = (guint) n_events;
  sp.seed = (guint32) seed;
  sp.start = now - (gint64) sp.days * 86400 * 8 / 10;
  /* about 75 % of the answers come before now: generate enough */
  sp.rsvps = generated = (guint) (n_rsvps / 0.74);
  data = recs_synth_generate (&sp);
  for (guint k = 0; k < data->rsvps->len; k++)
    if (g_array_index (data->rsvps, TnRecRsvp, k).at <= now && kept < (guint) n_rsvps)
      g_array_index (data->rsvps, TnRecRsvp, kept++) = g_array_index (data->rsvps, TnRecRsvp, k);
  g_array_set_size (data->rsvps, kept);
  for (guint e = 0; e < data->events->len; e++)
    {
      TnRecEvent *event = data->events->pdata[e];

      upcoming += event->listed && event->starts_at > now;
    }
  t_generate = g_timer_elapsed (timer, NULL);
  g_printerr ("recs-seed: %u users, %u events (%u listed and upcoming), %u RSVPs, %u follows generated (%.1f s)\n",
              data->users->len, data->events->len, upcoming, kept, data->follows->len, t_generate);

  /* Members, with their home and interests where they gave them. */
  rand = g_rand_new_with_seed ((guint32) seed);
  g_timer_start (timer);
  for (guint u = 0; u < data->users->len; u++)
    {
      TnRecUser *rec = data->users->pdata[u];
      g_autofree char *id = random_uuid (rand);
      g_autofree char *email = g_strdup_printf ("bench-member-%u@example.org", u + 1);
      g_autofree char *name = g_strdup_printf ("Bench Member %u", u + 1);
      g_autoptr(TnUser) user = NULL;
      gboolean has_home = !isnan (rec->home_lat);

      if (!batch_step (&batches, &error) ||
          (user = tn_store_create_user (store, id, email, name, hash, TN_ROLE_MEMBER, &error)) == NULL)
        goto failed;
      if (has_home || rec->interests[0] != NULL)
        {
          g_clear_object (&user);
          user = tn_store_update_profile (store, id, has_home, rec->home_lat, rec->home_lon,
                                          (const char * const *) rec->interests, &error);
          if (user == NULL)
            goto failed;
          profiles++;
        }
      g_ptr_array_add (users, g_steal_pointer (&user));
    }
  if (!batch_finish (&batches, &error))
    goto failed;
  t_users = g_timer_elapsed (timer, NULL);
  progress (timer, "members", users->len, data->users->len);

  /* Events, by their organizers. */
  g_timer_start (timer);
  for (guint e = 0; e < data->events->len; e++)
    {
      TnRecEvent *rec = data->events->pdata[e];
      g_autofree char *id = random_uuid (rand);
      TnUser *organizer = users->pdata[rec->organizer >= 0 ? (guint) rec->organizer : 0];
      g_autoptr(TnEvent) event = make_event (rec, id, tn_user_get_id (organizer));
      g_autoptr(TnEvent) stored = NULL;

      if (!batch_step (&batches, &error) ||
          !tn_event_validate (event, NULL, &error) ||
          (stored = tn_store_create_event (store, event, &error)) == NULL)
        {
          g_prefix_error (&error, "event %u: ", e);
          goto failed;
        }
      g_ptr_array_add (event_ids, g_steal_pointer (&id));
    }
  if (!batch_finish (&batches, &error))
    goto failed;
  t_events = g_timer_elapsed (timer, NULL);
  progress (timer, "events", event_ids->len, data->events->len);

  /* RSVPs, each given at its own time; going ones get a ticket. */
  g_timer_start (timer);
  for (guint k = 0; k < data->rsvps->len; k++)
    {
      TnRecRsvp *rsvp = &g_array_index (data->rsvps, TnRecRsvp, k);
      g_autoptr(TnAttendee) attendee = NULL;

      if (!batch_step (&batches, &error))
        goto failed;
      attendee = tn_store_set_rsvp (store, event_ids->pdata[rsvp->event], users->pdata[rsvp->user],
                                    rsvp_status (rsvp->answer), rsvp->at, &error);
      if (attendee == NULL)
        {
          /* would be a bug of this program or of the store: stop at a few */
          if (++failed_rsvps > 10)
            goto failed;
          g_printerr ("recs-seed: RSVP %u refused: %s\n", k, error->message);
          g_clear_error (&error);
        }
      if ((k + 1) % 100000 == 0)
        progress (timer, "RSVPs", k + 1, data->rsvps->len);
    }
  if (!batch_finish (&batches, &error))
    goto failed;
  t_rsvps = g_timer_elapsed (timer, NULL);
  progress (timer, "RSVPs", data->rsvps->len, data->rsvps->len);

  g_timer_start (timer);
  for (guint k = 0; k < data->follows->len; k++)
    {
      TnRecFollow *f = &g_array_index (data->follows, TnRecFollow, k);
      g_autoptr(TnFollow) follow = NULL;

      if (!batch_step (&batches, &error) ||
          (follow = tn_store_follow (store, tn_user_get_id (users->pdata[f->follower]),
                                     tn_user_get_id (users->pdata[f->followee]), now, &error)) == NULL)
        goto failed;
    }
  if (!batch_finish (&batches, &error))
    goto failed;
  t_follows = g_timer_elapsed (timer, NULL);
  progress (timer, "follows", data->follows->len, data->follows->len);

  /* Tokens of every n-th member, as the server issues them at sign-in. */
  g_timer_start (timer);
  for (gint64 t = 0; t < n_tokens; t++)
    {
      guint u = (guint) (t * (gint64) data->users->len / n_tokens);
      g_autofree char *token = NULL;

      if (!batch_step (&batches, &error) ||
          (token = tn_server_issue_token (server, tn_user_get_id (users->pdata[u]), NULL, &error)) == NULL)
        goto failed;
      g_string_append_printf (tokens, "%s\n", token);
    }
  if (!batch_finish (&batches, &error) ||
      !g_file_set_contents (tokens_path, tokens->str, (gssize) tokens->len, &error))
    goto failed;
  t_tokens = g_timer_elapsed (timer, NULL);

  /* Query strings: half plain (the member's home, if any), a quarter near
   * another member's home, a quarter in a category (some of them near a
   * home too). */
  for (guint q = 0; q < N_QUERIES; q++)
    {
      TnRecUser *other = data->users->pdata[g_rand_int_range (rand, 0, data->users->len)];
      TnRecEvent *event = data->events->pdata[g_rand_int_range (rand, 0, data->events->len)];
      gboolean near = q % 4 == 1 || (q % 8 == 3);
      gboolean category = q % 4 == 3;
      char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];

      while (near && isnan (other->home_lat))
        other = data->users->pdata[g_rand_int_range (rand, 0, data->users->len)];
      if (near)
        g_string_append_printf (queries, "?near=%s,%s",
                                g_ascii_formatd (lat, sizeof lat, "%.4f", other->home_lat),
                                g_ascii_formatd (lon, sizeof lon, "%.4f", other->home_lon));
      if (category)
        g_string_append_printf (queries, "%scategory=%s", near ? "&" : "?", event->category);
      g_string_append_c (queries, '\n');
    }
  if (!g_file_set_contents (queries_path, queries->str, (gssize) queries->len, &error))
    goto failed;

  g_print ("database=%s\n", path);
  g_print ("users=%u\n", data->users->len);
  g_print ("profiles=%u\n", profiles);
  g_print ("events=%u\n", data->events->len);
  g_print ("upcoming_listed=%u\n", upcoming);
  g_print ("rsvps=%u\n", kept - failed_rsvps);
  g_print ("rsvps_refused=%u\n", failed_rsvps);
  g_print ("follows=%u\n", data->follows->len);
  g_print ("tokens=%" G_GINT64_FORMAT "\n", n_tokens);
  g_print ("generate_seconds=%.2f\n", t_generate);
  g_print ("users_seconds=%.2f\n", t_users);
  g_print ("events_seconds=%.2f\n", t_events);
  g_print ("rsvps_seconds=%.2f\n", t_rsvps);
  g_print ("follows_seconds=%.2f\n", t_follows);
  g_print ("tokens_seconds=%.2f\n", t_tokens);
  g_print ("seconds=%.2f\n", t_users + t_events + t_rsvps + t_follows + t_tokens);
  return 0;

failed:
  g_printerr ("recs-seed: %s\n", error != NULL ? error->message : "failed");
  return 1;
}
