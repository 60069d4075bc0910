/* pk-fuzz.h: the libFuzzer entry point every fuzz target defines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each pk-fuzz-TARGET.c is linked twice: with libFuzzer's main in the
 * clang `-Dfuzzing=true` build, and with pk-fuzz-replay.c in every build,
 * which replays tests/fuzz/corpus/TARGET/ as a regression test. A target
 * asserts the invariants it checks with g_assert*(), so a broken
 * invariant is a crash that libFuzzer keeps.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
