/* pk-report.h: totals of a store (usually a coordinator's master)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pk-store.h"

G_BEGIN_DECLS

/* A JSON object (documented in docs/batch-format.md, "Report"):
 * signatures, distinct, duplicates, batches; by_kiosk, by_event,
 * by_day (UTC), by_source, by_language (arrays of {key, signatures,
 * duplicates}, by_kiosk with name and fingerprint); duplicates_list
 * (each duplicate with its kept signature and both origins);
 * paper_lines_twice (every transcription of a paper line that more than
 * one batch holds); rejected_files; and paper_count_only, the
 * signatures tallied on paper sheets without transcription, kept apart
 * from every other total.
 * Every list is sorted, so equal stores give equal reports. */
JsonNode *pk_report_build   (PkStore  *store,
                             GError  **error);
/* The same report as text for a terminal, translated. */
char     *pk_report_to_text (JsonNode *report);
/* The report's totals in one translated line for the coordinator's
 * window ("5 distinct signers (7 signatures, 2 duplicates) from 3
 * batches"), or "No batch merged yet." */
char     *pk_report_summary (JsonNode *report);
/* The notes under that line, one a line, translated: files rejected,
 * signatures counted on paper only, sheets counted and paper lines
 * transcribed in more than one batch. NULL when there is nothing to
 * note. */
char     *pk_report_notes   (JsonNode *report);

G_END_DECLS
