/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-seed: fills a fresh database with many varied events for the
 * benchmark, through the storage interface like the server itself. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tn-attendee.h"
#include "tn-auth.h"
#include "tn-event.h"
#include "tn-server.h"
#include "tn-store.h"
#include "tn-time.h"
#include "tn-user.h"

#define DEFAULT_EVENTS    10000
#define DEFAULT_SEED      20261123
#define DEFAULT_PASSWORD  "bench-organizer-password"
#define ORGANIZER_EMAIL   "bench-organizer@example.org"

typedef struct
{
  const char *name;
  const char *topics[4];
  const char *tags[5];
} Category;

static const Category categories[] = {
  { "music",     { "Jazz", "Choir", "Synth", "Folk" },
                 { "live", "jazz", "acoustic", "electronic", "open-mic" } },
  { "tech",      { "Rust", "GNOME", "Linux", "Home Automation" },
                 { "rust", "linux", "open-source", "hardware", "python" } },
  { "sports",    { "Running", "Climbing", "Cycling", "Volleyball" },
                 { "running", "climbing", "cycling", "team", "5k" } },
  { "arts",      { "Sketching", "Pottery", "Printmaking", "Street Art" },
                 { "drawing", "ceramics", "gallery", "painting", "craft" } },
  { "food",      { "Sourdough", "Ramen", "Vegan Cooking", "Café Crawl" },
                 { "cooking", "vegan", "baking", "tasting", "café" } },
  { "community", { "Neighbourhood", "Repair Café", "Garden", "Clean-up" },
                 { "volunteer", "repair", "garden", "neighbours", "swap" } },
  { "education", { "Spanish", "Statistics", "History", "Astronomy" },
                 { "language", "lecture", "science", "study-group", "kids" } },
  { "outdoors",  { "Forest", "River", "Birdwatching", "Night Sky" },
                 { "hiking", "nature", "birds", "camping", "outdoor" } },
  { "film",      { "Noir", "Documentary", "Anime", "Short Film" },
                 { "cinema", "screening", "documentary", "subtitles", "q-and-a" } },
  { "games",     { "Board Game", "Chess", "Tabletop RPG", "Retro Gaming" },
                 { "board-games", "chess", "rpg", "tournament", "casual" } },
  { "wellness",  { "Yoga", "Meditation", "Breathwork", "Tai Chi" },
                 { "yoga", "mindfulness", "relax", "morning", "gentle" } },
  { "business",  { "Founders", "Freelancer", "Product", "Co-op" },
                 { "startup", "networking", "career", "pitch", "finance" } },
};

static const char * const general_tags[] = {
  "free", "family", "beginner", "advanced", "evening", "weekend",
  "accessible", "bring-a-friend", "english", "deutsch",
};

static const char * const adjectives[] = {
  "Friday", "Sunday", "Monthly", "Open", "Late", "Early-Bird", "Winter",
  "Summer", "Beginners’", "Advanced", "Community", "Neighbourhood", "Big",
  "Tiny", "Rainy-Day", "Midweek",
};

static const char * const formats[] = {
  "Night", "Meetup", "Workshop", "Jam", "Talk", "Festival", "Session",
  "Club", "Social", "Masterclass", "Marathon", "Hack Day", "Walk",
};

static const char * const sentences[] = {
  "Everyone is welcome, whatever your level.",
  "We start with a short introduction and then split into small groups.",
  "Bring a friend, a notebook and something to drink.",
  "The room is step-free; tell us if you need anything else to take part.",
  "Doors open half an hour early for coffee and a chat.",
  "There is a small library of shared equipment you can borrow.",
  "Snacks are provided; vegetarian and vegan options are marked.",
  "We finish with a round of questions and plans for next time.",
  "Children are welcome with an adult.",
  "Please arrive on time: we lock the side entrance at the start.",
  "Photos may be taken; say so at the door if you prefer not to appear.",
  "Il y aura aussi un petit groupe francophone — bienvenue à tous !",
  "Auf Wunsch gibt es eine kurze Einführung auf Deutsch.",
  "The session is recorded for members who cannot come in person.",
  "Tickets are limited, so RSVP early if you plan to come.",
  "Last time we were forty people; this time we booked a bigger room.",
};

typedef struct
{
  const char *name;
  double      lat;
  double      lon;
} Venue;

static const Venue venues[] = {
  { "Community Hall, 12 Elm Street",         52.5200, 13.4050 },
  { "Riverside Park, north gate",            52.5145, 13.3501 },
  { "Central Library, room 3",               52.5079, 13.3908 },
  { "Café Lindenblüte, upstairs",            52.4986, 13.4180 },
  { "Makerspace Kreuzberg",                  52.4970, 13.4110 },
  { "Old Brewery Courtyard",                 52.5290, 13.4130 },
  { "Sports Centre, hall B",                 52.5400, 13.3770 },
  { "Observatory Hill",                      52.4570, 13.3190 },
  { "Gallery Zwölf",                         52.5260, 13.3930 },
  { "Harbour Warehouse 7",                   52.5010, 13.4480 },
  { "School of Music, small auditorium",     52.5130, 13.3280 },
  { "Allotment Gardens “Sonnenschein”",      52.4750, 13.4410 },
  { "Co-working Loft, 5th floor",            52.5230, 13.4020 },
  { "Town Square",                           52.5170, 13.3890 },
  { "Forest Lodge trailhead",                52.4330, 13.2310 },
  { "University Hall, lecture room 101",     52.5120, 13.3260 },
  { "Cinema Paradiso",                       52.4890, 13.4240 },
  { "Boathouse on the lake",                 52.4790, 13.1790 },
  { "Board Game Café Meeple",                52.5360, 13.4230 },
  { "Yoga Studio Ananda",                    52.5450, 13.4130 },
};

static const gint64 capacities[] = { -1, 12, 20, 30, 50, 80, 120, 250, 500, 1500 };

/* Changes per batch (one transaction, one sync) while seeding. */
#define SEED_BATCH 1000

/* A UUID in the v4 layout from @rand, so that a seed gives the same
 * database every time. */
static char *
random_uuid (GRand *rand)
{
  guint32 w[4];

  for (guint i = 0; i < G_N_ELEMENTS (w); i++)
    w[i] = g_rand_int (rand);
  w[1] = (w[1] & 0xffff0fffu) | 0x00004000u;   /* version 4 */
  w[2] = (w[2] & 0x3fffffffu) | 0x80000000u;   /* RFC 4122 variant */
  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          w[0], w[1] >> 16, w[1] & 0xffff,
                          w[2] >> 16, w[2] & 0xffff, w[3]);
}

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static TnEvent *
random_event (GRand      *rand,
              guint       index,
              gint64      first_day,
              const char *organizer_id)
{
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  g_autoptr(GString) description = g_string_new (NULL);
  g_autofree char *id = random_uuid (rand);
  g_autofree char *title = NULL;
  const Category *category = &PICK (rand, categories);
  const char *topic = PICK (rand, category->topics);
  guint n_sentences = g_rand_int_range (rand, 2, 7);
  guint n_tags = g_rand_int_range (rand, 0, 6);
  gint64 starts_at;
  guint roll;

  tn_event_set_id (event, id);
  title = g_strdup_printf ("%s %s %s #%u", PICK (rand, adjectives), topic, PICK (rand, formats), index + 1);
  tn_event_set_title (event, title);

  g_string_append_printf (description, "%s, a %s for the %s crowd. ",
                          topic, PICK (rand, formats), category->name);
  for (guint i = 0; i < n_sentences; i++)
    g_string_append_printf (description, "%s%s", i > 0 ? " " : "", PICK (rand, sentences));
  tn_event_set_description (event, description->str);

  /* Over the coming year, between 08:00 and 21:45, one to six hours long. */
  starts_at = first_day + (gint64) g_rand_int_range (rand, 0, 365) * 86400 +
              g_rand_int_range (rand, 8, 22) * 3600 + g_rand_int_range (rand, 0, 4) * 900;
  tn_event_set_starts_at (event, starts_at);
  tn_event_set_ends_at (event, starts_at + g_rand_int_range (rand, 1, 7) * 3600);

  if (g_rand_int_range (rand, 0, 10) > 0)
    {
      const Venue *venue = &PICK (rand, venues);

      tn_event_set_location (event, venue->name);
      /* A few hundred metres around the venue: distinct points for geo queries. */
      tn_event_set_coordinates (event,
                                venue->lat + g_rand_double_range (rand, -0.003, 0.003),
                                venue->lon + g_rand_double_range (rand, -0.003, 0.003));
    }

  tn_event_set_capacity (event, PICK (rand, capacities));
  tn_event_set_category (event, category->name);
  for (guint i = 0; i < n_tags; i++)
    {
      const char *tag = i % 2 == 0 ? PICK (rand, category->tags) : PICK (rand, general_tags);

      if (!g_ptr_array_find_with_equal_func (tags, tag, g_str_equal, NULL))
        g_ptr_array_add (tags, (gpointer) tag);
    }
  g_ptr_array_add (tags, NULL);
  tn_event_set_tags (event, (const char * const *) tags->pdata);

  /* Mostly public, as a real community's calendar. */
  roll = g_rand_int_range (rand, 0, 100);
  tn_event_set_visibility (event, roll < 90 ? TN_VISIBILITY_PUBLIC
                                            : roll < 95 ? TN_VISIBILITY_UNLISTED : TN_VISIBILITY_PRIVATE);
  tn_event_set_waitlist (event, g_rand_boolean (rand));
  if (g_rand_int_range (rand, 0, 10) < 3)
    {
      tn_event_set_price (event, g_rand_int_range (rand, 5, 51));
      tn_event_set_currency (event, "EUR");
    }
  tn_event_set_organizer (event, organizer_id);

  return g_steal_pointer (&event);
}

/* An event for the RSVP benchmark: public, tomorrow, with @capacity and a
 * waitlist. */
static char *
create_rsvp_event (TnStore     *store,
                   GRand       *rand,
                   const char  *title,
                   gint64       capacity,
                   const char  *organizer_id,
                   GError     **error)
{
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autoptr(TnEvent) stored = NULL;
  g_autofree char *id = random_uuid (rand);
  gint64 starts_at = tn_time_now () + 86400;

  tn_event_set_id (event, id);
  tn_event_set_title (event, title);
  tn_event_set_description (event, "The event of bench/run's RSVP cases.");
  tn_event_set_starts_at (event, starts_at);
  tn_event_set_ends_at (event, starts_at + 3 * 3600);
  tn_event_set_capacity (event, capacity);
  tn_event_set_category (event, "community");
  tn_event_set_visibility (event, TN_VISIBILITY_PUBLIC);
  tn_event_set_waitlist (event, TRUE);
  tn_event_set_organizer (event, organizer_id);
  if (!tn_event_validate (event, NULL, error) ||
      (stored = tn_store_create_event (store, event, error)) == NULL)
    return NULL;
  return g_strdup (tn_event_get_id (stored));
}

/* The check-in case's event, on now, with @n_guests going guests added as
 * an organizer adds them (tn_store_add_guest, in batches); their ticket
 * codes go one a line to @codes_path. */
static char *
create_checkin_event (TnStore     *store,
                      GRand       *rand,
                      gint64       n_guests,
                      const char  *organizer_id,
                      const char  *codes_path,
                      GError     **error)
{
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autoptr(TnEvent) stored = NULL;
  g_autoptr(GString) codes = g_string_new (NULL);
  g_autofree char *id = random_uuid (rand);
  gint64 now = tn_time_now ();

  tn_event_set_id (event, id);
  tn_event_set_title (event, "Bench check-in: the doors are open");
  tn_event_set_description (event, "The event of bench/run's check-in case.");
  tn_event_set_starts_at (event, now - 3600);
  tn_event_set_ends_at (event, now + 6 * 3600);
  tn_event_set_category (event, "community");
  tn_event_set_visibility (event, TN_VISIBILITY_PUBLIC);
  tn_event_set_organizer (event, organizer_id);
  if ((stored = tn_store_create_event (store, event, error)) == NULL)
    return NULL;

  for (gint64 i = 0; i < n_guests; i++)
    {
      g_autoptr(TnAttendee) guest = tn_attendee_new ();
      g_autoptr(TnAttendee) added = NULL;
      g_autofree char *email = g_strdup_printf ("bench-guest-%" G_GINT64_FORMAT "@example.org", i + 1);
      g_autofree char *name = g_strdup_printf ("Bench Guest %" G_GINT64_FORMAT, i + 1);

      tn_attendee_set_event_id (guest, id);
      tn_attendee_set_name (guest, name);
      tn_attendee_set_email (guest, email);
      tn_attendee_set_status (guest, TN_RSVP_GOING);
      if (i % SEED_BATCH == 0 && !tn_store_begin_batch (store, error))
        return NULL;
      added = tn_store_add_guest (store, guest, now, error);
      if (added == NULL)
        return NULL;
      if ((i % SEED_BATCH == SEED_BATCH - 1 || i == n_guests - 1) && !tn_store_commit_batch (store, error))
        return NULL;
      g_string_append_printf (codes, "%s\n", tn_attendee_get_ticket_code (added));
    }
  if (!g_file_set_contents (codes_path, codes->str, (gssize) codes->len, error))
    return NULL;
  return g_strdup (id);
}

/* @n_users members, each with a bearer token issued as the server issues
 * them (tn_server_issue_token), one token a line in @tokens_path. They share
 * one password hash: hashing is deliberately slow and none of them logs in. */
static gboolean
create_users (TnStore     *store,
              GRand       *rand,
              gint64       n_users,
              const char  *password_hash,
              const char  *tokens_path,
              GError     **error)
{
  g_autoptr(TnServer) server = tn_server_new (store);
  g_autoptr(GString) tokens = g_string_new (NULL);

  for (gint64 i = 0; i < n_users; i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *email = g_strdup_printf ("bench-member-%" G_GINT64_FORMAT "@example.org", i + 1);
      g_autofree char *name = g_strdup_printf ("Bench Member %" G_GINT64_FORMAT, i + 1);
      g_autoptr(TnUser) user = NULL;
      g_autofree char *token = NULL;

      id = random_uuid (rand);
      if (i % SEED_BATCH == 0 && !tn_store_begin_batch (store, error))
        return FALSE;
      user = tn_store_create_user (store, id, email, name, password_hash, TN_ROLE_MEMBER, error);
      if (user == NULL ||
          (token = tn_server_issue_token (server, id, NULL, error)) == NULL)
        {
          g_prefix_error (error, "member %" G_GINT64_FORMAT ": ", i + 1);
          return FALSE;
        }
      if ((i % SEED_BATCH == SEED_BATCH - 1 || i == n_users - 1) && !tn_store_commit_batch (store, error))
        return FALSE;
      g_string_append_printf (tokens, "%s\n", token);
    }
  return g_file_set_contents (tokens_path, tokens->str, (gssize) tokens->len, error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) store = NULL;
  g_autoptr(TnUser) organizer = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GTimer) timer = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *organizer_id = NULL;
  g_autofree char *event_id = NULL;
  g_autofree char *password = NULL;
  g_autofree char *tokens_path = NULL;
  g_autofree char *rsvp_event_id = NULL;
  g_autofree char *waitlist_event_id = NULL;
  g_autofree char *checkin_event_id = NULL;
  g_autofree char *codes_path = NULL;
  gint64 n_guests = 0;
  gint64 n_events = DEFAULT_EVENTS;
  gint64 n_users = 0;
  double users_seconds = 0;
  gint64 seed = DEFAULT_SEED;
  gint64 today;
  const char *path;
  gboolean networked;
  GOptionEntry entries[] = {
    { "events", 'n', 0, G_OPTION_ARG_INT64, &n_events, "How many events to create (default 10000)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Seed of the random content (default 20261123)", "SEED" },
    { "users", 'u', 0, G_OPTION_ARG_INT64, &n_users,
      "Also create N members with a bearer token each (default 0)", "N" },
    { "tokens", 't', 0, G_OPTION_ARG_FILENAME, &tokens_path,
      "Where to write the members' tokens, one a line (with --users)", "FILE" },
    { "guests", 'g', 0, G_OPTION_ARG_INT64, &n_guests,
      "Also create an event on now with N going guests, for check-in (default 0)", "N" },
    { "codes", 'c', 0, G_OPTION_ARG_FILENAME, &codes_path,
      "Where to write the guests' ticket codes, one a line (with --guests)", "FILE" },
    { "password", 'p', 0, G_OPTION_ARG_STRING, &password,
      "The organizer's password (default " DEFAULT_PASSWORD ")", "PASSWORD" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("PATH|URI — create a fresh benchmark database");
  g_option_context_set_summary (context,
                                "Creates a new SQLite database at PATH (or fills the empty PostgreSQL\n"
                                "database of a postgresql:// URI) with one organizer ("
                                ORGANIZER_EMAIL ") and N events\n"
                                "over the coming year (with --users M: M members with a token each and\n"
                                "two events to answer), then prints key=value lines: the event id to\n"
                                "fetch, the organizer's credentials and the time taken.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-seed: %s\n", error->message);
      return 2;
    }
  if (argc != 2 || n_events < 1 || n_events > G_MAXINT32)
    {
      g_printerr ("bench-seed: give one PATH or URI and 1 ≤ N; see --help\n");
      return 2;
    }
  if (n_users < 0 || n_users > TN_EVENT_CAPACITY_MAX || (n_users > 0) != (tokens_path != NULL))
    {
      g_printerr ("bench-seed: --users N (0 to 1,000,000) and --tokens FILE go together; see --help\n");
      return 2;
    }
  path = argv[1];
  networked = g_str_has_prefix (path, "postgresql://") || g_str_has_prefix (path, "postgres://");
  if (!networked && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("bench-seed: %s exists already; give the path of a new file\n", path);
      return 1;
    }
  if (password == NULL)
    password = g_strdup (DEFAULT_PASSWORD);
  if (strlen (password) < TN_USER_PASSWORD_MIN)
    {
      g_printerr ("bench-seed: the password must be at least %d characters long\n", TN_USER_PASSWORD_MIN);
      return 2;
    }

  /* A URI is the store's own (an empty database: the organizer's address
   * is taken otherwise); a path is SQLite's. */
  uri = networked ? g_strdup (path) : g_strconcat ("sqlite:", path, NULL);
  if (!tn_auth_init (&error) ||
      (store = tn_store_open (uri, &error)) == NULL ||
      !tn_store_migrate (store, &error))
    {
      g_printerr ("bench-seed: %s\n", error->message);
      return 1;
    }

  rand = g_rand_new_with_seed ((guint32) seed);
  organizer_id = random_uuid (rand);
  hash = tn_auth_hash_password (password, &error);
  if (hash != NULL)
    organizer = tn_store_create_user (store, organizer_id, ORGANIZER_EMAIL, "Bench Organizer",
                                      hash, TN_ROLE_ORGANIZER, &error);
  if (organizer == NULL)
    {
      g_printerr ("bench-seed: cannot create the organizer: %s\n", error->message);
      return 1;
    }

  /* Through the store's batches (group commit), as the server writes. */
  timer = g_timer_new ();
  today = tn_time_now ();
  today -= today % 86400;
  for (gint64 i = 0; i < n_events; i++)
    {
      g_autoptr(TnEvent) event = random_event (rand, (guint) i, today, organizer_id);
      g_autoptr(TnEvent) stored = NULL;

      if ((i % SEED_BATCH == 0 && !tn_store_begin_batch (store, &error)) ||
          !tn_event_validate (event, NULL, &error) ||
          (stored = tn_store_create_event (store, event, &error)) == NULL ||
          ((i % SEED_BATCH == SEED_BATCH - 1 || i == n_events - 1) && !tn_store_commit_batch (store, &error)))
        {
          g_printerr ("bench-seed: event %" G_GINT64_FORMAT ": %s\n", i + 1, error->message);
          return 1;
        }
      /* The event to fetch: a public one half-way through. */
      if (event_id == NULL && i >= n_events / 2 &&
          tn_event_get_visibility (stored) == TN_VISIBILITY_PUBLIC)
        event_id = g_strdup (tn_event_get_id (stored));
    }
  g_timer_stop (timer);

  /* The RSVP cases' events: one where everybody gets a seat, one where
   * nearly everybody lands on the waitlist. */
  if (n_users > 0)
    {
      g_autoptr(GTimer) users_timer = g_timer_new ();

      rsvp_event_id = create_rsvp_event (store, rand, "Bench RSVP: room for everybody",
                                         TN_EVENT_CAPACITY_MAX, organizer_id, &error);
      if (rsvp_event_id != NULL)
        waitlist_event_id = create_rsvp_event (store, rand, "Bench RSVP: ten seats and a waitlist",
                                               10, organizer_id, &error);
      if (waitlist_event_id == NULL ||
          !create_users (store, rand, n_users, hash, tokens_path, &error))
        {
          g_printerr ("bench-seed: %s\n", error->message);
          return 1;
        }
      users_seconds = g_timer_elapsed (users_timer, NULL);
    }

  if (n_guests > 0)
    {
      if (codes_path == NULL)
        {
          g_printerr ("bench-seed: --guests needs --codes FILE\n");
          return 2;
        }
      checkin_event_id = create_checkin_event (store, rand, n_guests, organizer_id, codes_path, &error);
      if (checkin_event_id == NULL)
        {
          g_printerr ("bench-seed: %s\n", error->message);
          return 1;
        }
    }

  if (event_id == NULL)
    {
      g_printerr ("bench-seed: no public event was created; use more events\n");
      return 1;
    }

  if (networked)
    {
      g_autofree char *shown = tn_store_uri_for_messages (path);

      g_print ("database=%s\n", shown);
    }
  else
    g_print ("database=%s\n", path);
  g_print ("events=%" G_GINT64_FORMAT "\n", n_events);
  g_print ("seconds=%.2f\n", g_timer_elapsed (timer, NULL));
  g_print ("organizer_email=%s\n", ORGANIZER_EMAIL);
  g_print ("organizer_password=%s\n", password);
  g_print ("event_id=%s\n", event_id);
  if (n_users > 0)
    {
      g_print ("users=%" G_GINT64_FORMAT "\n", n_users);
      g_print ("users_seconds=%.2f\n", users_seconds);
      g_print ("tokens=%s\n", tokens_path);
      g_print ("rsvp_event_id=%s\n", rsvp_event_id);
      g_print ("waitlist_event_id=%s\n", waitlist_event_id);
    }
  if (n_guests > 0)
    {
      g_print ("guests=%" G_GINT64_FORMAT "\n", n_guests);
      g_print ("checkin_event_id=%s\n", checkin_event_id);
    }
  return 0;
}
