/* pk-cli.h: the coordinator's and volunteer's subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pk-sheets.h"

G_BEGIN_DECLS

/* Exit codes shared by every subcommand. */
enum {
  PK_EXIT_OK        = 0,
  PK_EXIT_FAILURE   = 1,  /* any other error; nothing was written */
  PK_EXIT_USAGE     = 2,  /* invalid input or arguments */
  PK_EXIT_DUPLICATE = 3,  /* already signed; nothing was written */
  PK_EXIT_BAD_FILE  = 4,  /* a batch file failed verification */
  PK_EXIT_SYNC_INCOMPLETE = 5,  /* sync ran, but some signatures failed or were unreadable */
  PK_EXIT_UNCONFIRMED = 6,  /* export: the file is whole and in place, but the disk did not
                             * confirm that it survives a power loss */
};

typedef int (*PkCommandFunc) (int argc, char **argv);

typedef struct {
  const char    *name;
  const char    *summary;  /* N_() string, shown by --help */
  PkCommandFunc  run;
} PkCommand;

/* NULL when @name is no subcommand. */
const PkCommand *pk_cli_lookup   (const char *name);
/* Tells on stderr that @word is no subcommand, naming the nearest one
 * when it looks like a typo of it; returns PK_EXIT_USAGE. */
int              pk_cli_unknown_command (const char *word);
/* Prints "petition-kiosk VERSION" for --version; returns PK_EXIT_OK. */
int              pk_cli_print_version (void);
/* The subcommand list for the main --help, translated. */
char            *pk_cli_describe (void);

/* Parses @entries for subcommand @name with a GOptionContext whose
 * --help names it; prints the error and returns FALSE on bad usage. */
gboolean         pk_cli_parse    (const char    *name,
                                  const char    *parameter_string,
                                  const char    *summary,
                                  GOptionEntry  *entries,
                                  int           *argc,
                                  char        ***argv);
/* Prints "petition-kiosk NAME: message" to stderr. */
void             pk_cli_error    (const char    *name,
                                  const char    *format,
                                  ...) G_GNUC_PRINTF (2, 3);
/* For the commands that only read a master (count, report, export):
 * FALSE, having said so, when @location is a file path with no file
 * there, for reading must not create one. An address of a PostgreSQL
 * server is looked at when it is opened. */
gboolean         pk_cli_check_master_exists (const char  *name,
                                             const char  *location);

/* What `sheets` and `flyers` check alike once their options are parsed:
 * nothing left in @argv but the command, @lang (if given) a language of
 * the kiosk, and @paper_name (if given) a paper size, read into
 * *@paper. FALSE, having said why, on bad usage. */
gboolean         pk_cli_check_print_options (const char  *name,
                                             int          argc,
                                             char       **argv,
                                             const char  *lang,
                                             const char  *paper_name,
                                             PkPaper     *paper);

int pk_cmd_sign  (int argc, char **argv);
int pk_cmd_count (int argc, char **argv);
int pk_cmd_sync  (int argc, char **argv);
int pk_cmd_qr     (int argc, char **argv);
int pk_cmd_sheets (int argc, char **argv);
int pk_cmd_flyers (int argc, char **argv);
int pk_cmd_import (int argc, char **argv);

int pk_cmd_keygen      (int argc, char **argv);
int pk_cmd_sign_petition   (int argc, char **argv);
int pk_cmd_pin_coordinator (int argc, char **argv);
int pk_cmd_close_batch (int argc, char **argv);
int pk_cmd_verify      (int argc, char **argv);
int pk_cmd_merge       (int argc, char **argv);
int pk_cmd_report      (int argc, char **argv);
int pk_cmd_export      (int argc, char **argv);
int pk_cmd_copy_master (int argc, char **argv);

G_END_DECLS
