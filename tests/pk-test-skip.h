/* pk-test-skip.h: skipping a test that cannot run here, except where
 * every test must run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

/* Skips the current test with @reason, as g_test_skip() does; but where
 * every test must run, it fails instead. build-aux/run-tests asks for
 * that in CI (CI=true), which installs every tool and runs as root, so a
 * skip there would leave a promise unproven while the suite stays green.
 * A developer without root still gets a skip. The caller returns after. */
static inline void
pk_test_skip (const char *reason)
{
  if (g_strcmp0 (g_getenv ("PK_TEST_REQUIRE_ALL"), "1") == 0)
    {
      g_test_message ("This test cannot run here, and every test must (PK_TEST_REQUIRE_ALL=1): %s",
                      reason);
      g_test_fail ();
      return;
    }
  g_test_skip (reason);
}
