/* pk-copy-master.h: moving a master between SQLite and PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Copies the master at @from (a SQLite file or a postgresql:// address)
 * to @to (either as well), every table a master holds, ids and bytes
 * exactly as they are, in one transaction on @to: on any failure
 * nothing of the copy stays there. A file @to must not exist yet (a new
 * master is made there, and removed again if the copy fails); a
 * database @to must be empty or hold only an empty schema. Reports,
 * counts and exports of the copy equal those of @from. Returns the
 * number of signatures copied, or -1 with a PK_STORE_ERROR. */
gint64 pk_copy_master (const char  *from,
                       const char  *to,
                       GError     **error);

G_END_DECLS
