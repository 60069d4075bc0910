/* pk-field-error-row.h: an error shown right beneath the field it
 * concerns, until it is resolved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PK_TYPE_FIELD_ERROR_ROW (pk_field_error_row_get_type ())
G_DECLARE_FINAL_TYPE (PkFieldErrorRow, pk_field_error_row, PK, FIELD_ERROR_ROW, AdwActionRow)

/* Property "field": the row or entry the error concerns, placed right
 * above this row in the same list (set it in the .ui file).
 *
 * The row is hidden until it has a message. While it shows one, its
 * field is invalid for screen readers, which read the message as the
 * field's description, and a field typed into is drawn in the error
 * colour. */

/* Shows @message with @detail (may be NULL) beneath it, both plain text,
 * never markup; or hides the row and clears the field's error when
 * @message is NULL or empty. */
void pk_field_error_row_set_message (PkFieldErrorRow *self,
                                     const char      *message,
                                     const char      *detail);

G_END_DECLS
