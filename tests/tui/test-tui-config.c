/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "tn-tui-config.h"

/* door.ini and door-token: what is remembered, where, and how privately. */

/* A fresh folder per test, removed afterwards. Not
 * G_TEST_OPTION_ISOLATE_DIRS: with GLib 2.74 its g_set_user_dirs() leaks
 * the previous test's paths, which fails sanitizer builds. */
typedef struct
{
  char *root;
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->root = g_dir_make_tmp ("turnout-tui-config-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->dir = g_build_filename (fixture->root, "turnout", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *names[] = { "door.ini", "door-token", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_rmdir (fixture->root);
  g_free (fixture->dir);
  g_free (fixture->root);
}

static void
test_settings_round_trip (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *dir = fixture->dir;
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing stored yet is not an error. */
  g_assert_true (tn_tui_config_load (dir, &server, &email, &error));
  g_assert_no_error (error);
  g_assert_null (server);
  g_assert_null (email);

  g_assert_true (tn_tui_config_save (dir, "http://door.example:8080/", "sam@example.org", &error));
  g_assert_no_error (error);
  g_assert_true (tn_tui_config_load (dir, &server, &email, &error));
  g_assert_cmpstr (server, ==, "http://door.example:8080");
  g_assert_cmpstr (email, ==, "sam@example.org");
}

static void
test_settings_broken (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *dir = fixture->dir;
  g_autofree char *path = g_build_filename (dir, "door.ini", NULL);
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "this is [not a key file\n", -1, NULL));
  g_assert_false (tn_tui_config_load (dir, &server, &email, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (g_strstr_len (error->message, -1, "door.ini"));
}

static void
test_token (Fixture       *fixture,
            gconstpointer  data)
{
  const char *dir = fixture->dir;
  g_autofree char *path = g_build_filename (dir, "door-token", NULL);
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_null (tn_tui_config_load_token (dir, "http://a.example", &error));
  g_assert_no_error (error);

  g_assert_true (tn_tui_config_save_token (dir, "http://a.example/", "tn1_secret", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  token = tn_tui_config_load_token (dir, "http://a.example", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "tn1_secret");

  /* A token is only ever sent to the server that issued it. */
  other = tn_tui_config_load_token (dir, "http://b.example", &error);
  g_assert_no_error (error);
  g_assert_null (other);

  /* A mode loosened by hand is taken back. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_clear_pointer (&token, g_free);
  token = tn_tui_config_load_token (dir, "http://a.example", NULL);
  g_assert_cmpstr (token, ==, "tn1_secret");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (tn_tui_config_forget_token (dir, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (tn_tui_config_forget_token (dir, &error));
  g_assert_no_error (error);
}

static void
test_default_dir (void)
{
  g_autofree char *dir = tn_tui_config_get_default_dir ();
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "turnout", NULL);

  g_assert_cmpstr (dir, ==, expected);
}

static void
test_server_url (void)
{
  g_assert_true (tn_tui_config_is_server_url ("http://127.0.0.1:8080"));
  g_assert_true (tn_tui_config_is_server_url ("https://events.example.org/"));
  g_assert_true (tn_tui_config_is_server_url ("http://[::1]:8080"));
  g_assert_false (tn_tui_config_is_server_url ("127.0.0.1:8080"));
  g_assert_false (tn_tui_config_is_server_url ("ftp://example.org"));
  g_assert_false (tn_tui_config_is_server_url ("http://"));
  g_assert_false (tn_tui_config_is_server_url (""));
  g_assert_false (tn_tui_config_is_server_url (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tui/config/settings", Fixture, NULL,
              fixture_setup, test_settings_round_trip, fixture_teardown);
  g_test_add ("/tui/config/settings-broken", Fixture, NULL,
              fixture_setup, test_settings_broken, fixture_teardown);
  g_test_add ("/tui/config/token", Fixture, NULL,
              fixture_setup, test_token, fixture_teardown);
  g_test_add_func ("/tui/config/default-dir", test_default_dir);
  g_test_add_func ("/tui/config/server-url", test_server_url);

  return g_test_run ();
}
