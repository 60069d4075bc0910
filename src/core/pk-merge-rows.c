/* pk-merge-rows.c: a batch's rows made ready for the master
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Before a row goes into the master it is decrypted, its details are
 * read and its signer key is hashed: work that needs no master. For a
 * file read ahead (pk-merge-ahead.c) the second thread does it while
 * the merging thread writes the file before, copying each row out of
 * the reader; the merging thread then only runs the statements. Past
 * PK_MERGE_ROWS_AHEAD_BYTES, and for a file read when it is merged,
 * the rows are made ready one at a time on the merging thread, by the
 * same code, so that memory stays bounded by the file's own size.
 *
 * A row that cannot be made ready (a wrong key, malformed details, a
 * malformed row in the reader) ends the rows: its error is raised when
 * the merge reaches it, after the rows before it, as if the merging
 * thread had read it itself.
 */
#define G_LOG_DOMAIN "pk-merge"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pk-crypto.h"
#include "pk-export.h"
#include "pk-merge-private.h"
#include "pk-signer-key.h"

/* Decrypted details held ahead per file; a batch of 10,000 rows holds
 * about 3 MiB. */
#define PK_MERGE_ROWS_AHEAD_BYTES (32 * 1024 * 1024)

struct _PkMergeRows {
  PkBatchReader    *reader;
  PkCoordinatorKey *key;
  /* Session keys by key id, unsealed once per file; the ids sealed to
   * another coordinator. */
  GHashTable       *keys;
  GHashTable       *foreign;
  /* Of PkMergeRow, made ready ahead; their strings in @strings. */
  GArray           *ready;
  GStringChunk     *strings;
  guint             next;
  /* The reader gave its last row (or failed, with @error) while rows
   * were made ready ahead. */
  gboolean          ended;
  GError           *error;
  /* The row made ready on the merging thread, pointing into the
   * reader. */
  PkMergeRow        current;
};

void
_pk_merge_row_clear (PkMergeRow *row)
{
  g_clear_pointer (&row->plain, g_bytes_unref);
}

gboolean
_pk_merge_row_read_signer (PkMergeRow  *row,
                           GError     **error)
{
  g_autoptr(PkSignature) sig = NULL;
  /* Borrowed field pointers into the payload: never freed. */
  PkSignature view = { 0 };
  const char *fields[PK_N_FIELDS];
  const PkSignature *details = &view;
  g_autofree char *signer_key = NULL;

  /* The quick, checked reading of the fields; a payload it does not
   * take goes through the strict reader, which refuses it. */
  if (pk_export_peek_fields (g_bytes_get_data (row->plain, NULL), g_bytes_get_size (row->plain), fields))
    for (guint f = 0; f < PK_N_FIELDS; f++)
      view.fields[f] = (char *) fields[f];
  else if (!pk_signature_deserialize ((sig = pk_signature_new ()), row->plain, NULL))
    {
      g_set_error_literal (error, PK_BATCH_ERROR, PK_BATCH_ERROR_INVALID,
                           _("A row's signer details are malformed"));
      return FALSE;
    }
  else
    details = sig;

  row->rule = PK_SIGNER_RULE_NONE;
  signer_key = pk_signer_key (details, &row->rule);
  row->has_signer = signer_key != NULL;
  if (row->has_signer)
    crypto_generichash (row->signer_hash, sizeof row->signer_hash, (const guint8 *) signer_key,
                        strlen (signer_key), NULL, 0);
  return TRUE;
}

PkMergeRows *
_pk_merge_rows_new (PkBatchReader    *reader,
                    PkCoordinatorKey *key)
{
  PkMergeRows *self = g_new0 (PkMergeRows, 1);

  self->reader = reader;
  self->key = key;
  self->keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) pk_session_key_free);
  self->foreign = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->ready = g_array_new (FALSE, TRUE, sizeof (PkMergeRow));
  g_array_set_clear_func (self->ready, (GDestroyNotify) _pk_merge_row_clear);
  self->strings = g_string_chunk_new (65536);
  return self;
}

PkBatchReader *
_pk_merge_rows_get_reader (PkMergeRows *self)
{
  return self->reader;
}

/* The session key a row's payload is encrypted under, unsealed once per
 * file; a key sealed to another coordinator is remembered in @foreign
 * and gives NULL without an error (the row is kept sealed, see
 * pk_merge_keep_sealed()). */
static gboolean
pk_merge_rows_session_key (PkMergeRows   *self,
                           gint64         key_id,
                           PkSessionKey **out_key,
                           GError       **error)
{
  PkSessionKey *key = g_hash_table_lookup (self->keys, &key_id);

  *out_key = key;
  if (key != NULL || g_hash_table_contains (self->foreign, &key_id))
    return TRUE;
  if (self->key == NULL)
    {
      g_set_error_literal (error, PK_BATCH_ERROR, PK_BATCH_ERROR_NO_KEY,
                           _("The batch is encrypted; give the coordinator's secret key with --key"));
      return FALSE;
    }
  key = pk_session_key_unseal (pk_batch_reader_get_sealed_key (self->reader, key_id),
                               self->key->public_key, self->key->secret_key, NULL);
  if (key == NULL)
    g_hash_table_add (self->foreign, g_memdup2 (&key_id, sizeof key_id));
  else
    g_hash_table_insert (self->keys, g_memdup2 (&key_id, sizeof key_id), key);
  *out_key = key;
  return TRUE;
}

/* Reads the reader's next row into @out: FALSE at the end (@error
 * unset) or on the row's error. */
static gboolean
pk_merge_rows_make_ready (PkMergeRows  *self,
                          PkMergeRow   *out,
                          GError      **error)
{
  PkSessionKey *key = NULL;

  if (!pk_batch_reader_next_row (self->reader, &out->row, error))
    return FALSE;
  out->plain = NULL;
  out->has_signer = FALSE;
  if (out->row.key_id != 0 && !pk_merge_rows_session_key (self, out->row.key_id, &key, error))
    return FALSE;
  /* Kept sealed: stored as it came. */
  if (out->row.key_id != 0 && key == NULL)
    return TRUE;
  if (key != NULL)
    {
      g_autoptr(GBytes) stored = g_bytes_new_static (out->row.payload, out->row.payload_length);

      out->plain = pk_crypto_decrypt_payload (key, stored, out->row.uuid, NULL);
      if (out->plain == NULL)
        {
          g_set_error_literal (error, PK_BATCH_ERROR, PK_BATCH_ERROR_WRONG_KEY,
                               _("A row could not be decrypted with the coordinator's key"));
          return FALSE;
        }
    }
  else
    out->plain = g_bytes_new (out->row.payload, out->row.payload_length);
  return _pk_merge_row_read_signer (out, error);
}

static const char *
pk_merge_rows_copy (PkMergeRows *self,
                    const char  *text)
{
  return text != NULL ? g_string_chunk_insert (self->strings, text) : NULL;
}

void
_pk_merge_rows_read_ahead (PkMergeRows *self)
{
  gsize held = 0;

  while (held < PK_MERGE_ROWS_AHEAD_BYTES)
    {
      PkMergeRow row = { 0 };
      PkBatchRow *r = &row.row;

      if (!pk_merge_rows_make_ready (self, &row, &self->error))
        {
          _pk_merge_row_clear (&row);
          self->ended = TRUE;
          return;
        }
      /* Out of the reader, which moves on to the next row. */
      r->uuid = pk_merge_rows_copy (self, r->uuid);
      r->source = pk_merge_rows_copy (self, r->source);
      r->lang = pk_merge_rows_copy (self, r->lang);
      r->consent_hash = pk_merge_rows_copy (self, r->consent_hash);
      r->sheet_serial = pk_merge_rows_copy (self, r->sheet_serial);
      r->sensitive_consent_hash = pk_merge_rows_copy (self, r->sensitive_consent_hash);
      if (row.plain == NULL)
        r->payload = (const guint8 *) g_string_chunk_insert_len (self->strings, (const char *) r->payload,
                                                                  r->payload_length);
      else
        r->payload = NULL;
      held += r->payload_length + 256;
      g_array_append_val (self->ready, row);
    }
}

gboolean
_pk_merge_rows_next (PkMergeRows        *self,
                     const PkMergeRow  **out,
                     GError            **error)
{
  _pk_merge_row_clear (&self->current);
  if (self->next < self->ready->len)
    {
      *out = &g_array_index (self->ready, PkMergeRow, self->next++);
      return TRUE;
    }
  if (self->ended)
    {
      if (self->error != NULL)
        g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  *out = &self->current;
  return pk_merge_rows_make_ready (self, &self->current, error);
}

gboolean
_pk_merge_rows_any_foreign_only (PkMergeRows *self)
{
  return g_hash_table_size (self->foreign) > 0 && g_hash_table_size (self->keys) == 0;
}

void
_pk_merge_rows_rewind (PkMergeRows *self)
{
  _pk_merge_row_clear (&self->current);
  g_array_set_size (self->ready, 0);
  g_string_chunk_clear (self->strings);
  g_clear_error (&self->error);
  self->next = 0;
  self->ended = FALSE;
  pk_batch_reader_rewind (self->reader);
}

void
_pk_merge_rows_free (PkMergeRows *self)
{
  if (self == NULL)
    return;
  _pk_merge_row_clear (&self->current);
  g_array_unref (self->ready);
  g_string_chunk_free (self->strings);
  g_hash_table_unref (self->keys);
  g_hash_table_unref (self->foreign);
  g_clear_error (&self->error);
  pk_batch_reader_free (self->reader);
  g_free (self);
}
