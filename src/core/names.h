/*
 * Names of items in the tree and the identifiers they become on disc.
 *
 * Tree names are UTF-16 code units, as Windows and COM give them. This file holds the rules for
 * them: Windows-style case-insensitive identity (for lookups in a directory), which names an item
 * may have, the ISO 9660 and Joliet identifiers the children of one directory get (mapped,
 * shortened and made unique), and the order ECMA-119 9.3 puts directory records in. It does not
 * build directories or write records: the writers call it per directory.
 */
#ifndef OPENFSI_CORE_NAMES_H
#define OPENFSI_CORE_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "openfsi/status.h"

/* Longest item name, in UTF-16 units, Windows accepts in a path component. */
#define NAME_MAX_UNITS 255

/* Windows-style case-insensitive identity of names: the simple uppercase mapping Windows uses
   ([MS-UCODEREF] 3.1.5.3) for Basic Latin, Latin-1 Supplement, Latin Extended-A, Greek, Cyrillic,
   Armenian and fullwidth Latin letters; every other unit (surrogates included) is unchanged. */
uint16_t name_upcase_unit(uint16_t unit);
int name_equal_nocase(const uint16_t *a, size_t a_length, const uint16_t *b, size_t b_length);
uint32_t name_hash_nocase(const uint16_t *name, size_t length);

/* Whether a name may be used for an item, as Windows would accept it in a path component:
   1..255 units, no control characters (< 0x20), none of \ / : * ? " < > |, not "." or "..",
   no unpaired surrogates. FSI_OK or FSI_E_INVALID_NAME; FSI_E_INVALID_ARGUMENT when `name` is
   NULL but `length` is not 0. */
enum fsi_status name_check(const uint16_t *name, size_t length);

struct name_input {
    const uint16_t *name;
    uint16_t length;
    uint8_t is_directory;
};

/* An identifier as recorded on disc: d-characters for ISO 9660, UCS-2 big-endian bytes for Joliet. */
struct identifier {
    const uint8_t *bytes;
    uint8_t length;          /* in bytes */
};

/* ISO 9660 (ECMA-119) identifiers for the children of ONE directory, unique within it.
   Files are "NAME.EXT;1" (the '.' always present: "README.;1"), directories "NAME". Lowercase
   letters are uppercased, Latin-1 letters lose their accents (é becomes E), everything else that
   is not a d-character becomes '_'. The last '.' of a file name starts the extension; other dots
   become '_'. Level 1 allows 8 characters of name and 3 of extension (directories 8); levels 2 and
   3 allow 30 for name and extension together (directories 31). An empty name becomes "_".
   Identifiers that collide (files and directories alike, compared as a reader shows them, without
   ";1" or a bare '.') are made unique in input order: the first keeps its identifier, the others
   end their name part in "_N" (only d-characters, ECMA-119 7.4.1: no '~' as in 8.3 aliases).
   `level` is 1, 2 or 3; the bytes come from `arena`.
   FSI_E_TOO_MANY_NAMES when "_N" no longer fits (only for millions of collisions at level 1). */
enum fsi_status iso9660_identifiers(const struct name_input *children, size_t count, int level,
                                    struct arena *arena, struct identifier *out);

/* Joliet identifiers (UCS-2 big-endian) for the children of ONE directory, unique within it.
   Files and directories alike carry no version (no ";1"), as genisoimage and xorriso write them,
   so a name of up to 64 characters, Joliet's limit, is kept whole. Characters Joliet forbids
   (U+0000..U+001F * / : ; ? \) and each character outside the BMP become '_'. A longer name keeps
   its extension (the last '.', not leading, and what follows, when at most 16 characters) and
   loses the end of what precedes it, to 64 characters. Names equal ignoring case
   (name_upcase_unit) collide. A name recorded as it is (not shortened, nothing replaced) keeps
   its identifier against any altered name that maps onto it, whatever the input order; among
   the rest, as for ISO 9660, the first keeps its identifier and the others get "~N" before the
   extension. */
enum fsi_status joliet_identifiers(const struct name_input *children, size_t count,
                                   struct arena *arena, struct identifier *out);

/* Directory record order (ECMA-119 9.3): file name parts compared with the shorter padded with
   spaces, then extensions the same way, then version numbers, higher first. A directory
   identifier compares as a name without extension. iso9660_identifier_compare takes d-character
   bytes, joliet_identifier_compare UCS-2 big-endian identifiers. <0, 0 or >0 like strcmp. */
int iso9660_identifier_compare(const struct identifier *a, const struct identifier *b);
int joliet_identifier_compare(const struct identifier *a, const struct identifier *b);

#endif
