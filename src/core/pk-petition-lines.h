/* pk-petition-lines.h: the first pass over a petition file, line by line;
 * internal to pk-petition.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one group of a petition file. */
#define PK_PETITION_GROUP "Petition"

/* Where each key of [Petition] was found, so that errors can name the
 * line. */
typedef struct {
  GHashTable *key_lines;  /* "Key" or "Key[ll]" → line number */
} PkPetitionLines;

/* Reads @data (@length bytes) line by line as GKeyFile will, and fills
 * @map. Fails with PK_PETITION_ERROR and the line's number on a syntax
 * error, a group other than one [Petition], an unknown key, or a key
 * given twice. */
gboolean pk_petition_lines_scan  (const char       *data,
                                  gsize             length,
                                  PkPetitionLines  *map,
                                  GError          **error);
/* The line @key ("Title" or "Title[ko]") was on; 0 if absent. */
guint    pk_petition_lines_of    (PkPetitionLines  *map,
                                  const char       *key);
void     pk_petition_lines_clear (PkPetitionLines  *map);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkPetitionLines, pk_petition_lines_clear)

G_END_DECLS
