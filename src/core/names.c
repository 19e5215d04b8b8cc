/*
 * Name rules (names.h): Windows case folding, the item name check, the ISO 9660 and Joliet
 * identifiers of one directory's children and the ECMA-119 9.3 order of directory records.
 *
 * Identifiers are made in passes over the children in input order. The first gives every child
 * whose name needs no change (Joliet: not shortened, no character replaced) its identifier; the
 * second gives the other children their mapped identifier unless an earlier child already holds
 * it; the last gives each child that lost a suffix ("_N" in ISO 9660, "~N" in Joliet) with the
 * lowest N (counted per lost identifier) that no identifier of the directory uses yet. So a
 * 64-character Joliet name is never displaced by a longer one shortened onto it. ISO 9660 maps
 * every name, so there the first two passes are one, in input order. A hash set of the
 * identifiers taken keeps every pass linear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byte_order.h"
#include "names.h"
#include "openfsi/tree.h"

static int is_high_surrogate(uint16_t unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
static int is_low_surrogate(uint16_t unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }
static int is_surrogate_pair(const uint16_t *units, size_t i, size_t count)
{
    return is_high_surrogate(units[i]) && i + 1 < count && is_low_surrogate(units[i + 1]);
}

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* ---- Case-insensitive identity ---- */

/* A run of units with one uppercase rule: add `delta`, or, for a run of case pairs that starts
   with a capital, map every second unit to the one before it. Taken from Windows 8's upper case
   table ([MS-UCODEREF] 3.1.5.3), so ı, ſ, µ and final ς keep their own identity as on Windows. */
struct case_range {
    uint16_t first, last;
    int16_t delta;
    uint8_t pairs;
};

static const struct case_range case_ranges[] = {
    { 0x00E0, 0x00F6, -0x20, 0 },                 /* à..ö */
    { 0x00F8, 0x00FE, -0x20, 0 },                 /* ø..þ */
    { 0x00FF, 0x00FF, 0x0178 - 0x00FF, 0 },       /* ÿ -> Ÿ */
    { 0x0100, 0x012F, 0, 1 },                     /* Latin Extended-A */
    { 0x0132, 0x0137, 0, 1 },
    { 0x0139, 0x0148, 0, 1 },
    { 0x014A, 0x0177, 0, 1 },
    { 0x0179, 0x017E, 0, 1 },
    { 0x0370, 0x0373, 0, 1 },                     /* Greek and Coptic */
    { 0x0376, 0x0377, 0, 1 },
    { 0x037B, 0x037D, 0x03FD - 0x037B, 0 },
    { 0x03AC, 0x03AC, 0x0386 - 0x03AC, 0 },
    { 0x03AD, 0x03AF, 0x0388 - 0x03AD, 0 },
    { 0x03B1, 0x03C1, -0x20, 0 },
    { 0x03C3, 0x03CB, -0x20, 0 },
    { 0x03CC, 0x03CC, 0x038C - 0x03CC, 0 },
    { 0x03CD, 0x03CE, 0x038E - 0x03CD, 0 },
    { 0x03D7, 0x03D7, 0x03CF - 0x03D7, 0 },
    { 0x03D8, 0x03EF, 0, 1 },
    { 0x03F2, 0x03F2, 0x03F9 - 0x03F2, 0 },
    { 0x03F7, 0x03F8, 0, 1 },
    { 0x03FA, 0x03FB, 0, 1 },
    { 0x0430, 0x044F, -0x20, 0 },                 /* Cyrillic */
    { 0x0450, 0x045F, -0x50, 0 },
    { 0x0460, 0x0481, 0, 1 },
    { 0x048A, 0x04BF, 0, 1 },
    { 0x04C1, 0x04CE, 0, 1 },
    { 0x04CF, 0x04CF, 0x04C0 - 0x04CF, 0 },
    { 0x04D0, 0x0523, 0, 1 },
    { 0x0561, 0x0586, -0x30, 0 },                 /* Armenian */
    { 0xFF41, 0xFF5A, -0x20, 0 },                 /* fullwidth a..z */
};

uint16_t name_upcase_unit(uint16_t unit)
{
    size_t i;

    if (unit < 0x80)
        return unit >= 'a' && unit <= 'z' ? (uint16_t)(unit - 0x20) : unit;
    if (unit < 0x00E0 || (unit > 0x0586 && unit < 0xFF41))
        return unit;
    for (i = 0; i < sizeof case_ranges / sizeof case_ranges[0]; i++) {
        const struct case_range *range = &case_ranges[i];
        if (unit < range->first)
            break;
        if (unit > range->last)
            continue;
        if (range->pairs)
            return (unit - range->first) & 1 ? (uint16_t)(unit - 1) : unit;
        return (uint16_t)(unit + range->delta);
    }
    return unit;
}

int name_equal_nocase(const uint16_t *a, size_t a_length, const uint16_t *b, size_t b_length)
{
    size_t i;

    if (a_length != b_length)
        return 0;
    for (i = 0; i < a_length; i++)
        if (a[i] != b[i] && name_upcase_unit(a[i]) != name_upcase_unit(b[i]))
            return 0;
    return 1;
}

/* FNV-1a over the two bytes of each unit, then a final mix so the low bits a table uses depend
   on every unit. */
#define HASH_BASIS 2166136261u
#define HASH_PRIME 16777619u

static uint32_t hash_unit(uint32_t hash, uint16_t unit)
{
    hash = (hash ^ (unit & 0xFF)) * HASH_PRIME;
    return (hash ^ (unit >> 8)) * HASH_PRIME;
}

static uint32_t hash_finish(uint32_t hash)
{
    hash ^= hash >> 16;
    hash *= 0x85EBCA6Bu;
    hash ^= hash >> 13;
    hash *= 0xC2B2AE35u;
    return hash ^ (hash >> 16);
}

uint32_t name_hash_nocase(const uint16_t *name, size_t length)
{
    uint32_t hash = HASH_BASIS;
    size_t i;

    for (i = 0; i < length; i++)
        hash = hash_unit(hash, name_upcase_unit(name[i]));
    return hash_finish(hash);
}

/* ---- Which names an item may have ---- */

int fsi_name_is_restricted_ansi(const uint16_t *name, size_t length)
{
    size_t i;

    for (i = 0; i < length; i++)
        if (name[i] < 32 || name[i] > 127)
            return 0;
    return 1;
}

enum fsi_status name_check(const uint16_t *name, size_t length)
{
    size_t i;

    if (!name && length)
        return FSI_E_INVALID_ARGUMENT;
    if (length == 0 || length > NAME_MAX_UNITS)
        return FSI_E_INVALID_NAME;
    if (name[0] == '.' && (length == 1 || (length == 2 && name[1] == '.')))
        return FSI_E_INVALID_NAME;
    for (i = 0; i < length; i++) {
        uint16_t unit = name[i];
        if (unit < 0x20 || (unit < 0x80 && strchr("\\/:*?\"<>|", unit)))
            return FSI_E_INVALID_NAME;
        if (is_surrogate_pair(name, i, length))
            i++;
        else if (is_high_surrogate(unit) || is_low_surrogate(unit))
            return FSI_E_INVALID_NAME;
    }
    return FSI_OK;
}

/* ---- The identifiers taken in one directory ---- */

struct taken_identifier {
    const uint8_t *key;             /* the identifier as a reader shows it (see identifier_builder) */
    size_t key_length;
    uint32_t hash;
    unsigned long next_suffix;      /* the first N to try when this identifier is lost again */
};

struct identifier_set {
    uint32_t *slots;                /* index into `entries` plus one; 0 is an empty slot */
    size_t mask;
    struct taken_identifier *entries;
    size_t count;
    int ucs2_nocase;                /* Joliet: keys are UCS-2 BE, equal ignoring case */
};

#define NOT_TAKEN ((size_t)-1)

static enum fsi_status set_init(struct identifier_set *set, size_t capacity, int ucs2_nocase)
{
    size_t slot_count = 16;

    memset(set, 0, sizeof *set);
    set->ucs2_nocase = ucs2_nocase;
    /* Slots hold 32-bit indices, and doubling slot_count must not wrap a 32-bit size_t. */
    if (capacity > UINT32_MAX / 4 || capacity > SIZE_MAX / 4 / sizeof *set->entries)
        return FSI_E_OUT_OF_MEMORY;
    while (slot_count < capacity * 2)
        slot_count *= 2;
    set->slots = calloc(slot_count, sizeof *set->slots);
    set->entries = malloc((capacity ? capacity : 1) * sizeof *set->entries);
    if (!set->slots || !set->entries)
        return FSI_E_OUT_OF_MEMORY;
    set->mask = slot_count - 1;
    return FSI_OK;
}

static void set_free(struct identifier_set *set)
{
    free(set->slots);
    free(set->entries);
}

static uint32_t key_hash(const struct identifier_set *set, const uint8_t *key, size_t length)
{
    uint32_t hash = HASH_BASIS;
    size_t i;

    if (set->ucs2_nocase) {
        for (i = 0; i + 1 < length; i += 2)
            hash = hash_unit(hash, name_upcase_unit(get_be16(key + i)));
    } else {
        for (i = 0; i < length; i++)
            hash = hash_unit(hash, key[i]);
    }
    return hash_finish(hash);
}

static int key_equal(const struct identifier_set *set, const struct taken_identifier *taken,
                     const uint8_t *key, size_t length)
{
    size_t i;

    if (taken->key_length != length)
        return 0;
    if (!set->ucs2_nocase)
        return memcmp(taken->key, key, length) == 0;
    for (i = 0; i + 1 < length; i += 2)
        if (name_upcase_unit(get_be16(taken->key + i)) != name_upcase_unit(get_be16(key + i)))
            return 0;
    return 1;
}

/* The index of the entry holding `key`, or NOT_TAKEN; `*slot` is where it is or would go. */
static size_t set_find(const struct identifier_set *set, const uint8_t *key, size_t length,
                       uint32_t hash, size_t *slot)
{
    size_t i = hash & set->mask;

    while (set->slots[i]) {
        const struct taken_identifier *taken = &set->entries[set->slots[i] - 1];
        if (taken->hash == hash && key_equal(set, taken, key, length)) {
            *slot = i;
            return set->slots[i] - 1;
        }
        i = (i + 1) & set->mask;
    }
    *slot = i;
    return NOT_TAKEN;
}

/* Room for every child was made in set_init, so this cannot fail. */
static void set_insert(struct identifier_set *set, size_t slot, const uint8_t *key, size_t length,
                       uint32_t hash)
{
    struct taken_identifier *taken = &set->entries[set->count];

    taken->key = key;
    taken->key_length = length;
    taken->hash = hash;
    taken->next_suffix = 1;
    set->slots[slot] = (uint32_t)++set->count;
}

/* ---- Making one directory's identifiers unique ---- */

#define IDENTIFIER_MAX_BYTES 128    /* Joliet: 64 UCS-2 characters */

/* Writes the identifier of `child` to `out`, ending its name part in "~N" when `suffix` N is not
   0, and sets its length and key length: the leading bytes a reader shows as the name, without
   ";1" or a '.' with nothing after it, so that a file and a directory that would look alike
   collide. `*altered` is set to 1 when the identifier is not the name as it was (shortened or
   with characters replaced) and the format lets unaltered names go first, else to 0.
   FSI_E_TOO_MANY_NAMES when "~N" does not fit. */
typedef enum fsi_status (*identifier_builder)(const struct name_input *child, int level,
                                              unsigned long suffix, uint8_t *out,
                                              size_t *length, size_t *key_length, int *altered);

static enum fsi_status assign_identifiers(const struct name_input *children, size_t count,
                                          int level, identifier_builder build, int ucs2_nocase,
                                          struct arena *arena, struct identifier *out)
{
    struct identifier_set set;
    uint8_t buffer[IDENTIFIER_MAX_BYTES];
    size_t i, length, key_length, slot, base;
    int altered, round;
    enum fsi_status status;

    if (count && (!children || !out))
        return FSI_E_INVALID_ARGUMENT;
    if (!arena)
        return FSI_E_INVALID_ARGUMENT;
    for (i = 0; i < count; i++)
        if (!children[i].name && children[i].length)
            return FSI_E_INVALID_ARGUMENT;

    status = set_init(&set, count, ucs2_nocase);
    if (status != FSI_OK)
        goto done;

    for (i = 0; i < count; i++) {
        out[i].bytes = NULL;
        out[i].length = 0;
    }
    /* Unaltered names first (round 0), then the altered ones (round 1); within a round first
       come, first served: each child takes its mapped identifier if it is still free. */
    for (round = 0; round < 2; round++) {
        for (i = 0; i < count; i++) {
            uint32_t hash;
            uint8_t *bytes;

            if (out[i].bytes)
                continue;
            status = build(&children[i], level, 0, buffer, &length, &key_length, &altered);
            if (status != FSI_OK)
                goto done;
            if (round == 0 && altered)
                continue;
            hash = key_hash(&set, buffer, key_length);
            if (set_find(&set, buffer, key_length, hash, &slot) != NOT_TAKEN)
                continue;
            bytes = arena_copy(arena, buffer, length);
            if (!bytes) {
                status = FSI_E_OUT_OF_MEMORY;
                goto done;
            }
            set_insert(&set, slot, bytes, key_length, hash);
            out[i].bytes = bytes;
            out[i].length = (uint8_t)length;
        }
    }

    /* The children that lost take "~N", N counting on from the last one given for the same lost
       identifier, so a thousand copies of one name cost a thousand probes, not half a million. */
    for (i = 0; i < count; i++) {
        unsigned long suffix;
        uint32_t hash;
        uint8_t *bytes;

        if (out[i].bytes)
            continue;
        status = build(&children[i], level, 0, buffer, &length, &key_length, &altered);
        if (status != FSI_OK)
            goto done;
        base = set_find(&set, buffer, key_length, key_hash(&set, buffer, key_length), &slot);
        for (suffix = set.entries[base].next_suffix;; suffix++) {
            status = build(&children[i], level, suffix, buffer, &length, &key_length, &altered);
            if (status != FSI_OK)
                goto done;
            hash = key_hash(&set, buffer, key_length);
            if (set_find(&set, buffer, key_length, hash, &slot) == NOT_TAKEN)
                break;
        }
        bytes = arena_copy(arena, buffer, length);
        if (!bytes) {
            status = FSI_E_OUT_OF_MEMORY;
            goto done;
        }
        set_insert(&set, slot, bytes, key_length, hash);
        set.entries[base].next_suffix = suffix + 1;
        out[i].bytes = bytes;
        out[i].length = (uint8_t)length;
    }

done:
    set_free(&set);
    return status;
}

/* The mangling suffix as text ("_N" for ISO 9660, whose d-characters have no '~'; "~N" for
   Joliet); its length. */
static size_t format_suffix(unsigned long suffix, char marker, char text[24])
{
    return suffix ? (size_t)sprintf(text, "%c%lu", marker, suffix) : 0;
}

/* The index of the last '.' in a name, or `length` when there is none. */
static size_t last_dot(const uint16_t *name, size_t length)
{
    size_t i = length;

    while (i > 0)
        if (name[--i] == '.')
            return i;
    return length;
}

/* ---- ISO 9660 ---- */

#define ISO_LEVEL1_NAME_MAX 8       /* ECMA-119 10.1: 8.3 names, 8-character directories */
#define ISO_LEVEL1_EXTENSION_MAX 3
#define ISO_FILE_MAX 30             /* ECMA-119 7.5.1: name and extension together */
#define ISO_DIRECTORY_MAX 31        /* ECMA-119 7.6.1 */
#define ISO_EXTENSION_KEPT 15       /* a long extension keeps this much when the name is long too */

/* U+00C0..U+00FF: Latin-1 letters lose their accents so "Café" stays readable as "CAFE"; letters
   with no one-letter ASCII form (Æ, ß, Þ) and the two signs × ÷ become '_'. */
static const char latin1_d_characters[64 + 1] =
    "AAAAAA_CEEEEIIIIDNOOOOO_OUUUUY__AAAAAA_CEEEEIIIIDNOOOOO_OUUUUY_Y";

static uint8_t d_character(uint16_t unit)
{
    if (unit >= 'a' && unit <= 'z')
        return (uint8_t)(unit - 'a' + 'A');
    if ((unit >= 'A' && unit <= 'Z') || (unit >= '0' && unit <= '9') || unit == '_')
        return (uint8_t)unit;
    if (unit >= 0xC0 && unit <= 0xFF)
        return (uint8_t)latin1_d_characters[unit - 0xC0];
    return '_';
}

/* Maps `count` units to d-characters (a surrogate pair is one character), writing the first
   `room` of them to `out`; returns how many the whole run maps to. */
static size_t map_d_characters(const uint16_t *units, size_t count, uint8_t *out, size_t room)
{
    size_t mapped = 0, i;

    for (i = 0; i < count; i++, mapped++) {
        if (mapped < room)
            out[mapped] = d_character(units[i]);
        if (is_surrogate_pair(units, i, count))
            i++;
    }
    return mapped;
}

static enum fsi_status build_iso9660(const struct name_input *child, int level,
                                     unsigned long suffix, uint8_t *out, size_t *length,
                                     size_t *key_length, int *altered)
{
    const uint16_t *name = child->name;
    size_t dot = child->is_directory ? child->length : last_dot(name, child->length);
    const uint16_t *extension = dot < child->length ? name + dot + 1 : name;
    size_t extension_units = dot < child->length ? child->length - dot - 1 : 0;
    size_t name_length = map_d_characters(name, dot, NULL, 0);
    size_t extension_length = map_d_characters(extension, extension_units, NULL, 0);
    size_t name_room, kept, position;
    char suffix_text[24];
    size_t suffix_length = format_suffix(suffix, '_', suffix_text);

    *altered = 0;               /* every name is mapped: input order alone decides collisions */

    if (child->is_directory) {
        name_room = level == 1 ? ISO_LEVEL1_NAME_MAX : ISO_DIRECTORY_MAX;
    } else if (level == 1) {
        extension_length = min_size(extension_length, ISO_LEVEL1_EXTENSION_MAX);
        name_room = ISO_LEVEL1_NAME_MAX;
    } else {
        size_t shown_name = name_length ? name_length : 1;
        if (shown_name + extension_length > ISO_FILE_MAX) {
            size_t extension_room = ISO_FILE_MAX - min_size(shown_name, ISO_FILE_MAX);
            if (extension_room < ISO_EXTENSION_KEPT)
                extension_room = ISO_EXTENSION_KEPT;
            extension_length = min_size(extension_length, extension_room);
        }
        /* A mangled name needs room for "~N"; take it from a long extension if need be. */
        if (suffix_length <= ISO_FILE_MAX && ISO_FILE_MAX - extension_length < suffix_length)
            extension_length = ISO_FILE_MAX - suffix_length;
        name_room = ISO_FILE_MAX - extension_length;
    }
    if (suffix_length > name_room)
        return FSI_E_TOO_MANY_NAMES;

    kept = min_size(name_length ? name_length : 1, name_room - suffix_length);
    if (name_length)
        map_d_characters(name, dot, out, kept);
    else if (kept)
        out[0] = '_';
    memcpy(out + kept, suffix_text, suffix_length);
    position = kept + suffix_length;
    *key_length = position;
    if (!child->is_directory) {
        out[position++] = '.';
        position += min_size(map_d_characters(extension, extension_units, out + position,
                                              extension_length), extension_length);
        if (extension_length)
            *key_length = position;
        memcpy(out + position, ";1", 2);
        position += 2;
    }
    *length = position;
    return FSI_OK;
}

enum fsi_status iso9660_identifiers(const struct name_input *children, size_t count, int level,
                                    struct arena *arena, struct identifier *out)
{
    if (level < 1 || level > 3)
        return FSI_E_INVALID_ARGUMENT;
    return assign_identifiers(children, count, level, build_iso9660, 0, arena, out);
}

/* ---- Joliet ---- */

#define JOLIET_MAX 64               /* characters in an identifier (no version is recorded) */
#define JOLIET_EXTENSION_KEPT 16    /* a longer "extension" is just part of the name */

static uint16_t joliet_character(uint16_t unit)
{
    if (unit < 0x20 || (unit < 0x80 && strchr("*/:;?\\", unit)))
        return '_';
    if (is_high_surrogate(unit) || is_low_surrogate(unit))
        return '_';
    return unit;
}

/* Maps `count` units to UCS-2 (a surrogate pair becomes one '_'), writing the first `room` of
   them to `out`; returns how many the whole run maps to. */
static size_t map_ucs2(const uint16_t *units, size_t count, uint16_t *out, size_t room)
{
    size_t mapped = 0, i;

    for (i = 0; i < count; i++, mapped++) {
        if (mapped < room)
            out[mapped] = joliet_character(units[i]);
        if (is_surrogate_pair(units, i, count))
            i++;
    }
    return mapped;
}

static enum fsi_status build_joliet(const struct name_input *child, int level,
                                    unsigned long suffix, uint8_t *out, size_t *length,
                                    size_t *key_length, int *altered)
{
    static const uint16_t underscore = '_';
    const uint16_t *name = child->length ? child->name : &underscore;
    size_t units = child->length ? child->length : 1;
    size_t dot = child->is_directory ? units : last_dot(name, units);
    size_t stem_length, extension_length, kept, i;
    uint16_t text[JOLIET_MAX];
    char suffix_text[24];
    size_t suffix_length = format_suffix(suffix, '~', suffix_text);

    (void)level;
    if (dot == 0)
        dot = units;                /* ".profile" is all name */
    extension_length = map_ucs2(name + dot, units - dot, NULL, 0);
    if (extension_length > JOLIET_EXTENSION_KEPT) {
        dot = units;
        extension_length = 0;
    }
    stem_length = map_ucs2(name, dot, NULL, 0);
    if (suffix_length > JOLIET_MAX - extension_length)
        return FSI_E_TOO_MANY_NAMES;

    kept = min_size(stem_length, JOLIET_MAX - extension_length - suffix_length);
    map_ucs2(name, dot, text, kept);
    for (i = 0; i < suffix_length; i++)
        text[kept + i] = (uint8_t)suffix_text[i];
    kept += suffix_length;
    map_ucs2(name + dot, units - dot, text + kept, extension_length);
    kept += extension_length;

    /* No ";1": files and directories alike are recorded as the name a reader shows. */
    *altered = suffix != 0 || kept != child->length;
    for (i = 0; i < kept; i++) {
        put_be16(out + 2 * i, text[i]);
        if (!*altered && text[i] != child->name[i])
            *altered = 1;
    }
    *length = *key_length = 2 * kept;
    return FSI_OK;
}

enum fsi_status joliet_identifiers(const struct name_input *children, size_t count,
                                   struct arena *arena, struct identifier *out)
{
    return assign_identifiers(children, count, 0, build_joliet, 1, arena, out);
}

/* ---- Directory record order (ECMA-119 9.3) ---- */

/* An identifier read as units of `width` bytes (1 for d-characters, 2 for UCS-2 BE) and split
   into name, extension (after the last '.' before ';') and version (after ';'). */
struct identifier_parts {
    const uint8_t *bytes;
    size_t width;
    size_t name_end, extension_start, extension_end;
    unsigned long version;
};

static unsigned unit_at(const struct identifier_parts *parts, size_t index)
{
    return parts->width == 2 ? get_be16(parts->bytes + 2 * index) : parts->bytes[index];
}

static void split_identifier(const struct identifier *id, size_t width,
                             struct identifier_parts *parts)
{
    size_t units = id->length / width, end = units, i;

    parts->bytes = id->bytes;
    parts->width = width;
    parts->version = 0;
    for (i = 0; i < units; i++) {
        if (unit_at(parts, i) == ';') {
            end = i;
            break;
        }
    }
    for (i = end + 1; i < units; i++) {
        unsigned unit = unit_at(parts, i);
        if (unit < '0' || unit > '9' || parts->version > 99999)
            break;
        parts->version = parts->version * 10 + (unit - '0');
    }
    parts->name_end = end;
    parts->extension_start = parts->extension_end = end;
    for (i = end; i > 0; i--) {
        if (unit_at(parts, i - 1) == '.') {
            parts->name_end = i - 1;
            parts->extension_start = i;
            break;
        }
    }
}

/* Compares two runs of units, the shorter padded on the right with spaces. */
static int compare_padded(const struct identifier_parts *a, size_t a_start, size_t a_end,
                          const struct identifier_parts *b, size_t b_start, size_t b_end)
{
    size_t a_length = a_end - a_start, b_length = b_end - b_start, i;

    for (i = 0; i < a_length || i < b_length; i++) {
        unsigned a_unit = i < a_length ? unit_at(a, a_start + i) : ' ';
        unsigned b_unit = i < b_length ? unit_at(b, b_start + i) : ' ';
        if (a_unit != b_unit)
            return a_unit < b_unit ? -1 : 1;
    }
    return 0;
}

static int compare_identifiers(const struct identifier *a, const struct identifier *b,
                               size_t width)
{
    struct identifier_parts pa, pb;
    size_t common;
    int order;

    split_identifier(a, width, &pa);
    split_identifier(b, width, &pb);
    order = compare_padded(&pa, 0, pa.name_end, &pb, 0, pb.name_end);
    if (!order)
        order = compare_padded(&pa, pa.extension_start, pa.extension_end,
                               &pb, pb.extension_start, pb.extension_end);
    if (!order && pa.version != pb.version)
        order = pa.version > pb.version ? -1 : 1;
    if (order)
        return order;
    /* Equal by 9.3 yet different ("A" and "A."): keep the order total. */
    common = min_size(a->length, b->length);
    order = common ? memcmp(a->bytes, b->bytes, common) : 0;
    if (!order && a->length != b->length)
        order = a->length < b->length ? -1 : 1;
    return order;
}

int iso9660_identifier_compare(const struct identifier *a, const struct identifier *b)
{
    return compare_identifiers(a, b, 1);
}

int joliet_identifier_compare(const struct identifier *a, const struct identifier *b)
{
    return compare_identifiers(a, b, 2);
}
