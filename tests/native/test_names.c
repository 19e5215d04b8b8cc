/* Name rules (src/core/names.h): case folding, the name check, ISO 9660 and Joliet identifiers
   of one directory, and the ECMA-119 9.3 record order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/core/byte_order.h"
#include "../../src/core/names.h"
#include "openfsi/utf.h"

static size_t to_utf16(const char *utf8, uint16_t *out, size_t capacity)
{
    size_t n = fsi_utf8_to_utf16(utf8, strlen(utf8), out, capacity);
    assert_true(n <= capacity);
    return n;
}

/* A directory's children, built up by a test, and the identifiers they get. */
#define MAX_CHILDREN 200

struct directory {
    uint16_t names[MAX_CHILDREN][NAME_MAX_UNITS + 1];
    struct name_input children[MAX_CHILDREN];
    struct identifier ids[MAX_CHILDREN];
    size_t count;
    struct arena arena;
};

static int directory_setup(void **state)
{
    struct directory *dir = calloc(1, sizeof *dir);
    if (!dir)
        return -1;
    arena_init(&dir->arena);
    *state = dir;
    return 0;
}

static int directory_teardown(void **state)
{
    struct directory *dir = *state;
    arena_free(&dir->arena);
    free(dir);
    return 0;
}

static void add_units(struct directory *dir, const uint16_t *units, size_t length, int is_directory)
{
    assert_true(dir->count < MAX_CHILDREN && length <= NAME_MAX_UNITS + 1);
    memcpy(dir->names[dir->count], units, length * sizeof *units);
    dir->children[dir->count].name = dir->names[dir->count];
    dir->children[dir->count].length = (uint16_t)length;
    dir->children[dir->count].is_directory = (uint8_t)is_directory;
    dir->count++;
}

static void add(struct directory *dir, const char *utf8, int is_directory)
{
    uint16_t units[NAME_MAX_UNITS + 1];
    add_units(dir, units, to_utf16(utf8, units, NAME_MAX_UNITS + 1), is_directory);
}

static void add_file(struct directory *dir, const char *utf8) { add(dir, utf8, 0); }
static void add_directory(struct directory *dir, const char *utf8) { add(dir, utf8, 1); }

static void iso9660_text(const struct identifier *id, char *text)
{
    memcpy(text, id->bytes, id->length);
    text[id->length] = '\0';
}

static void joliet_text(const struct identifier *id, char *text, size_t capacity)
{
    uint16_t units[64];
    size_t i;

    assert_true(id->length % 2 == 0 && id->length <= 128);
    for (i = 0; i < id->length / 2u; i++)
        units[i] = get_be16(id->bytes + 2 * i);
    assert_true(fsi_utf16_to_utf8(units, id->length / 2u, text, capacity) < capacity);
}

static void expect_iso9660(struct directory *dir, int level, const char *const *expected)
{
    char text[256];
    size_t i;

    assert_int_equal(iso9660_identifiers(dir->children, dir->count, level, &dir->arena, dir->ids),
                     FSI_OK);
    for (i = 0; i < dir->count; i++) {
        iso9660_text(&dir->ids[i], text);
        assert_string_equal(text, expected[i]);
    }
}

static void expect_joliet(struct directory *dir, const char *const *expected)
{
    char text[512];
    size_t i;

    assert_int_equal(joliet_identifiers(dir->children, dir->count, &dir->arena, dir->ids), FSI_OK);
    for (i = 0; i < dir->count; i++) {
        joliet_text(&dir->ids[i], text, sizeof text);
        assert_string_equal(text, expected[i]);
    }
}

/* The name part of a level 1 identifier ("NAME" of "NAME.EXT;1", or a directory's whole). */
static size_t iso9660_name_length(const struct identifier *id)
{
    size_t i = 0;
    while (i < id->length && id->bytes[i] != '.')
        i++;
    return i;
}

/* ---- Case-insensitive identity ---- */

static void test_upcase_maps_latin_greek_and_cyrillic_letters(void **state)
{
    (void)state;
    assert_int_equal(name_upcase_unit('a'), 'A');
    assert_int_equal(name_upcase_unit('z'), 'Z');
    assert_int_equal(name_upcase_unit('A'), 'A');
    assert_int_equal(name_upcase_unit('1'), '1');
    assert_int_equal(name_upcase_unit(0x00E9), 0x00C9);    /* é -> É */
    assert_int_equal(name_upcase_unit(0x00FF), 0x0178);    /* ÿ -> Ÿ */
    assert_int_equal(name_upcase_unit(0x00F7), 0x00F7);    /* ÷ has no case */
    assert_int_equal(name_upcase_unit(0x0101), 0x0100);    /* ā -> Ā */
    assert_int_equal(name_upcase_unit(0x0142), 0x0141);    /* ł -> Ł */
    assert_int_equal(name_upcase_unit(0x017E), 0x017D);    /* ž -> Ž */
    assert_int_equal(name_upcase_unit(0x03B1), 0x0391);    /* α -> Α */
    assert_int_equal(name_upcase_unit(0x03CE), 0x038F);    /* ώ -> Ώ */
    assert_int_equal(name_upcase_unit(0x0436), 0x0416);    /* ж -> Ж */
    assert_int_equal(name_upcase_unit(0x0451), 0x0401);    /* ё -> Ё */
    assert_int_equal(name_upcase_unit(0x0491), 0x0490);    /* ґ -> Ґ */
    assert_int_equal(name_upcase_unit(0xFF41), 0xFF21);    /* fullwidth a -> A */
}

static void test_upcase_leaves_surrogates_and_caseless_units_alone(void **state)
{
    (void)state;
    assert_int_equal(name_upcase_unit(0xD83D), 0xD83D);
    assert_int_equal(name_upcase_unit(0xDCBF), 0xDCBF);
    assert_int_equal(name_upcase_unit(0x4E2D), 0x4E2D);    /* 中 */
    /* As in Windows' table: dotless ı, long ſ, µ and final ς keep their own identity. */
    assert_int_equal(name_upcase_unit(0x0131), 0x0131);
    assert_int_equal(name_upcase_unit(0x017F), 0x017F);
    assert_int_equal(name_upcase_unit(0x00B5), 0x00B5);
    assert_int_equal(name_upcase_unit(0x03C2), 0x03C2);
}

static void test_nocase_equality_and_hash_ignore_case_only(void **state)
{
    static const char *const equal_pairs[][2] = {
        { "Readme.TXT", "README.txt" },
        { "Café", "CAFÉ" },
        { "Привет", "ПРИВЕТ" },
        { "Ελλάδα", "ΕΛΛΆΔΑ" },
        { "disc 💿", "DISC 💿" },
    };
    uint16_t a[32], b[32];
    size_t i, a_length, b_length;
    (void)state;

    for (i = 0; i < sizeof equal_pairs / sizeof equal_pairs[0]; i++) {
        a_length = to_utf16(equal_pairs[i][0], a, 32);
        b_length = to_utf16(equal_pairs[i][1], b, 32);
        assert_true(name_equal_nocase(a, a_length, b, b_length));
        assert_int_equal(name_hash_nocase(a, a_length), name_hash_nocase(b, b_length));
    }

    a_length = to_utf16("abc", a, 32);
    b_length = to_utf16("abd", b, 32);
    assert_false(name_equal_nocase(a, a_length, b, b_length));
    assert_int_not_equal(name_hash_nocase(a, a_length), name_hash_nocase(b, b_length));
    assert_false(name_equal_nocase(a, a_length, b, 2));                 /* "abc" vs "ab" */
    a_length = to_utf16("💿", a, 32);                                    /* U+1F4BF */
    b_length = to_utf16("📀", b, 32);                                    /* U+1F4C0 */
    assert_false(name_equal_nocase(a, a_length, b, b_length));
    assert_true(name_equal_nocase(NULL, 0, NULL, 0));
}

/* ---- Which names an item may have ---- */

static void test_name_check_accepts_ordinary_names(void **state)
{
    static const char *const names[] = {
        "readme.txt", "a", ".profile", "...", "My Documents", "archive.tar.gz", "Café ÿ 中文 💿",
        "a;b", "[brackets] & {braces} #1 ~tilde",
    };
    uint16_t name[NAME_MAX_UNITS + 1];
    size_t i;
    (void)state;

    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_int_equal(name_check(name, to_utf16(names[i], name, NAME_MAX_UNITS)), FSI_OK);
    for (i = 0; i < NAME_MAX_UNITS; i++)
        name[i] = 'x';
    assert_int_equal(name_check(name, NAME_MAX_UNITS), FSI_OK);
}

static void test_name_check_refuses_what_windows_refuses(void **state)
{
    static const char *const forbidden = "\\/:*?\"<>|";
    uint16_t name[NAME_MAX_UNITS + 1];
    uint16_t control[] = { 'a', 0x1F, 'b' };
    uint16_t nul[] = { 'a', 0x00 };
    uint16_t lone_high[] = { 'a', 0xD83D };
    uint16_t lone_low[] = { 0xDCBF, 'a' };
    uint16_t reversed[] = { 0xDCBF, 0xD83D };
    size_t i;
    (void)state;

    for (i = 0; i <= NAME_MAX_UNITS; i++)
        name[i] = 'x';
    assert_int_equal(name_check(name, 0), FSI_E_INVALID_NAME);
    assert_int_equal(name_check(NULL, 0), FSI_E_INVALID_NAME);
    assert_int_equal(name_check(name, NAME_MAX_UNITS + 1), FSI_E_INVALID_NAME);
    assert_int_equal(name_check(name, to_utf16(".", name, 4)), FSI_E_INVALID_NAME);
    assert_int_equal(name_check(name, to_utf16("..", name, 4)), FSI_E_INVALID_NAME);
    for (i = 0; forbidden[i]; i++) {
        name[0] = 'a';
        name[1] = (uint8_t)forbidden[i];
        name[2] = 'b';
        assert_int_equal(name_check(name, 3), FSI_E_INVALID_NAME);
    }
    assert_int_equal(name_check(control, 3), FSI_E_INVALID_NAME);
    assert_int_equal(name_check(nul, 2), FSI_E_INVALID_NAME);
    assert_int_equal(name_check(lone_high, 2), FSI_E_INVALID_NAME);
    assert_int_equal(name_check(lone_low, 2), FSI_E_INVALID_NAME);
    assert_int_equal(name_check(reversed, 2), FSI_E_INVALID_NAME);
    assert_int_equal(name_check(NULL, 3), FSI_E_INVALID_ARGUMENT);
}

/* ---- ISO 9660 mapping ---- */

static void test_level1_truncates_to_8_3_and_keeps_extension(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "Readme.txt");
    add_file(dir, "Longfilename.html");
    add_file(dir, "Long file name one.txt");
    add_directory(dir, "My Documents");
    add_directory(dir, "bin");
    expect_iso9660(dir, 1, (const char *const[]){
        "README.TXT;1", "LONGFILE.HTM;1", "LONG_FIL.TXT;1", "MY_DOCUM", "BIN" });
}

static void test_lowercase_is_uppercased_and_other_characters_become_underscore(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "a b-c+d.txt");
    add_file(dir, "x~1.DoC");
    add_file(dir, "Résumé.txt");        /* Latin-1 letters lose their accents */
    add_file(dir, "Straße.doc");        /* ß has no one-letter ASCII form */
    add_file(dir, "中文.txt");
    add_file(dir, "💿.txt");            /* one character, one '_' */
    expect_iso9660(dir, 2, (const char *const[]){
        "A_B_C_D.TXT;1", "X_1.DOC;1", "RESUME.TXT;1", "STRA_E.DOC;1", "__.TXT;1", "_.TXT;1" });
}

static void test_only_the_last_dot_of_a_file_starts_the_extension(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "archive.tar.gz");
    add_directory(dir, "v1.2");
    expect_iso9660(dir, 1, (const char *const[]){ "ARCHIVE_.GZ;1", "V1_2" });
    expect_iso9660(dir, 2, (const char *const[]){ "ARCHIVE_TAR.GZ;1", "V1_2" });
}

static void test_file_without_extension_keeps_the_dot(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "README");
    add_file(dir, "Makefile.");
    expect_iso9660(dir, 1, (const char *const[]){ "README.;1", "MAKEFILE.;1" });
}

static void test_name_that_maps_to_nothing_becomes_underscore(void **state)
{
    struct directory *dir = *state;
    add_file(dir, ".txt");
    add_file(dir, ".profile");
    expect_iso9660(dir, 1, (const char *const[]){ "_.TXT;1", "_.PRO;1" });
    expect_iso9660(dir, 3, (const char *const[]){ "_.TXT;1", "_.PROFILE;1" });
}

static void test_level2_allows_30_characters_for_files_and_31_for_directories(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "This is a rather long file name.txt");
    add_file(dir, "x.abcdefghijklmnopqrstuvwxyz0123456789");
    add_file(dir, "Annual report for the board of directors.backup-of-yesterday");
    add_directory(dir, "A directory with a very long name indeed");
    expect_iso9660(dir, 2, (const char *const[]){
        "THIS_IS_A_RATHER_LONG_FILE_.TXT;1",
        "X.ABCDEFGHIJKLMNOPQRSTUVWXYZ012;1",
        "ANNUAL_REPORT_F.BACKUP_OF_YESTE;1",
        "A_DIRECTORY_WITH_A_VERY_LONG_NA" });
    expect_iso9660(dir, 1, (const char *const[]){
        "THIS_IS_.TXT;1", "X.ABC;1", "ANNUAL_R.BAC;1", "A_DIRECT" });
}

static void test_level3_names_follow_level2_limits(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "This is a rather long file name.txt");
    add_directory(dir, "A directory with a very long name indeed");
    expect_iso9660(dir, 3, (const char *const[]){
        "THIS_IS_A_RATHER_LONG_FILE_.TXT;1", "A_DIRECTORY_WITH_A_VERY_LONG_NA" });
}

/* ---- ISO 9660 collisions ---- */

static void test_names_that_collide_after_mapping_get_numbered_suffixes(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "a b.txt");
    add_file(dir, "a_b.txt");
    add_file(dir, "Long file name one.txt");
    add_file(dir, "Long file name two.txt");
    add_file(dir, "readme.txt");
    add_file(dir, "README.TXT");
    expect_iso9660(dir, 1, (const char *const[]){
        "A_B.TXT;1", "A_B_1.TXT;1", "LONG_FIL.TXT;1", "LONG_F_1.TXT;1",
        "README.TXT;1", "README_1.TXT;1" });
}

static void test_more_than_9_and_99_collisions_shorten_the_name_for_the_number(void **state)
{
    struct directory *dir = *state;
    char name[32], text[32];
    size_t i;

    for (i = 0; i < 120; i++) {
        snprintf(name, sizeof name, "Holiday photo %03u.jpg", (unsigned)i);
        add_file(dir, name);
    }
    assert_int_equal(iso9660_identifiers(dir->children, dir->count, 1, &dir->arena, dir->ids),
                     FSI_OK);
    iso9660_text(&dir->ids[0], text);
    assert_string_equal(text, "HOLIDAY_.JPG;1");
    iso9660_text(&dir->ids[1], text);
    assert_string_equal(text, "HOLIDA_1.JPG;1");
    iso9660_text(&dir->ids[9], text);
    assert_string_equal(text, "HOLIDA_9.JPG;1");
    iso9660_text(&dir->ids[10], text);
    assert_string_equal(text, "HOLID_10.JPG;1");
    iso9660_text(&dir->ids[99], text);
    assert_string_equal(text, "HOLID_99.JPG;1");
    iso9660_text(&dir->ids[100], text);
    assert_string_equal(text, "HOLI_100.JPG;1");
    iso9660_text(&dir->ids[119], text);
    assert_string_equal(text, "HOLI_119.JPG;1");
    for (i = 0; i < dir->count; i++) {
        assert_int_equal(iso9660_name_length(&dir->ids[i]), 8);
        assert_int_equal(dir->ids[i].length, 14);
    }
}

static void test_level2_collisions_number_past_9_without_shortening(void **state)
{
    static const char *const names[] = {
        "a-b.txt", "a b.txt", "a+b.txt", "a,b.txt", "a=b.txt", "a@b.txt",
        "a#b.txt", "a$b.txt", "a%b.txt", "a&b.txt", "a!b.txt", "a'b.txt",
    };
    struct directory *dir = *state;
    size_t i;

    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        add_file(dir, names[i]);
    expect_iso9660(dir, 2, (const char *const[]){
        "A_B.TXT;1", "A_B_1.TXT;1", "A_B_2.TXT;1", "A_B_3.TXT;1", "A_B_4.TXT;1", "A_B_5.TXT;1",
        "A_B_6.TXT;1", "A_B_7.TXT;1", "A_B_8.TXT;1", "A_B_9.TXT;1", "A_B_10.TXT;1",
        "A_B_11.TXT;1" });
}

static void test_level2_mangling_takes_room_from_a_long_extension(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "x.abcdefghijklmnopqrstuvwxyz0123456789");
    add_file(dir, "X.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    expect_iso9660(dir, 2, (const char *const[]){
        "X.ABCDEFGHIJKLMNOPQRSTUVWXYZ012;1", "_1.ABCDEFGHIJKLMNOPQRSTUVWXYZ01;1" });
}

static void test_files_and_directories_share_one_namespace(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "data");
    add_directory(dir, "DATA");
    add_file(dir, "Data.txt");            /* "DATA.TXT" does not look like "DATA" */
    add_directory(dir, "docs");
    add_file(dir, "Docs.");
    expect_iso9660(dir, 1, (const char *const[]){
        "DATA.;1", "DATA_1", "DATA.TXT;1", "DOCS", "DOCS_1.;1" });
}

static void test_mangled_names_skip_numbers_other_names_hold(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "Long file one.txt");
    add_file(dir, "Long file two.txt");
    add_file(dir, "Long fxxx one.txt");
    add_file(dir, "Long fxxx two.txt");
    add_file(dir, "Long file three.txt");
    expect_iso9660(dir, 1, (const char *const[]){
        "LONG_FIL.TXT;1", "LONG_F_1.TXT;1", "LONG_FXX.TXT;1", "LONG_F_2.TXT;1",
        "LONG_F_3.TXT;1" });
}

static void test_iso9660_refuses_bad_arguments(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "a.txt");
    assert_int_equal(iso9660_identifiers(dir->children, 1, 0, &dir->arena, dir->ids),
                     FSI_E_INVALID_ARGUMENT);
    assert_int_equal(iso9660_identifiers(dir->children, 1, 4, &dir->arena, dir->ids),
                     FSI_E_INVALID_ARGUMENT);
    assert_int_equal(iso9660_identifiers(NULL, 1, 1, &dir->arena, dir->ids),
                     FSI_E_INVALID_ARGUMENT);
    assert_int_equal(joliet_identifiers(dir->children, 1, &dir->arena, NULL),
                     FSI_E_INVALID_ARGUMENT);
    assert_int_equal(iso9660_identifiers(NULL, 0, 1, &dir->arena, NULL), FSI_OK);
    assert_int_equal(joliet_identifiers(NULL, 0, &dir->arena, NULL), FSI_OK);
}

/* ---- Joliet ---- */

static void test_joliet_records_no_version_on_files_or_directories(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "Read me.txt");
    add_file(dir, "Makefile");
    add_directory(dir, "My Docs");
    add_file(dir, "Résumé 中文.txt");
    expect_joliet(dir, (const char *const[]){
        "Read me.txt", "Makefile", "My Docs", "Résumé 中文.txt" });
    assert_int_equal(dir->ids[0].length, 2 * 11);
    assert_int_equal(dir->ids[1].length, 2 * 8);
}

/* `digits` characters of '0'..'9' repeated, then `tail`, into `out`. */
static void long_name(char *out, size_t capacity, size_t digits, const char *tail)
{
    size_t i;

    assert_true(digits + strlen(tail) < capacity);
    for (i = 0; i < digits; i++)
        out[i] = (char)('0' + i % 10);
    strcpy(out + digits, tail);
}

static void test_joliet_keeps_a_64_character_name_whole(void **state)
{
    struct directory *dir = *state;
    char file[128], directory[128], bare[128];

    long_name(file, sizeof file, 60, ".txt");           /* 64 with the extension */
    long_name(directory, sizeof directory, 64, "");
    long_name(bare, sizeof bare, 64, "");
    bare[0] = 'f';                                       /* a 64-character file, no extension */
    add_file(dir, file);
    add_directory(dir, directory);
    add_file(dir, bare);
    expect_joliet(dir, (const char *const[]){ file, directory, bare });
    assert_int_equal(dir->ids[0].length, 128);
    assert_int_equal(dir->ids[1].length, 128);
    assert_int_equal(dir->ids[2].length, 128);
}

static void test_joliet_shortens_a_65_character_name_to_64_keeping_the_extension(void **state)
{
    struct directory *dir = *state;
    char file[128], directory[128], expected_file[128], expected_directory[128];

    long_name(file, sizeof file, 61, ".txt");
    long_name(directory, sizeof directory, 65, "");
    long_name(expected_file, sizeof expected_file, 60, ".txt");
    long_name(expected_directory, sizeof expected_directory, 64, "");
    add_file(dir, file);
    add_directory(dir, directory);
    expect_joliet(dir, (const char *const[]){ expected_file, expected_directory });
    assert_int_equal(dir->ids[0].length, 128);
    assert_int_equal(dir->ids[1].length, 128);
}

static void test_joliet_keeps_64_characters_and_the_extension(void **state)
{
    struct directory *dir = *state;
    const char *seventy = "0123456789012345678901234567890123456789012345678901234567890123456789";
    char name[128];

    snprintf(name, sizeof name, "%s.txt", seventy);
    add_file(dir, name);
    add_directory(dir, seventy);
    /* An "extension" of more than 16 characters is just part of the name. */
    add_file(dir, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbb");
    expect_joliet(dir, (const char *const[]){
        "012345678901234567890123456789012345678901234567890123456789.txt",
        "0123456789012345678901234567890123456789012345678901234567890123",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbb" });
    assert_int_equal(dir->ids[0].length, 128);
    assert_int_equal(dir->ids[1].length, 128);
    assert_int_equal(dir->ids[2].length, 128);
}

static void test_joliet_long_names_that_collide_after_shortening_get_tilde_before_extension(
    void **state)
{
    struct directory *dir = *state;
    add_file(dir, "0123456789012345678901234567890123456789012345678901234567890123456789.txt");
    add_file(dir, "0123456789012345678901234567890123456789012345678901234567890123456788.txt");
    expect_joliet(dir, (const char *const[]){
        "012345678901234567890123456789012345678901234567890123456789.txt",
        "0123456789012345678901234567890123456789012345678901234567~1.txt" });
}

static void test_joliet_collisions_at_64_characters_stay_within_64(void **state)
{
    struct directory *dir = *state;
    char whole[128], longer[128], other[128], upper[128], directory[128], directory_longer[128];
    char tilde1[128], tilde2[128], tilde3[128], directory_tilde1[128];

    long_name(whole, sizeof whole, 60, ".txt");          /* exactly 64: kept whole */
    long_name(longer, sizeof longer, 61, ".txt");        /* 65: shortened onto `whole` */
    long_name(other, sizeof other, 62, ".txt");          /* 66: the same again */
    long_name(upper, sizeof upper, 60, ".TXT");          /* `whole` ignoring case */
    long_name(directory, sizeof directory, 64, "");
    long_name(directory_longer, sizeof directory_longer, 70, "");
    long_name(tilde1, sizeof tilde1, 58, "~1.txt");
    long_name(tilde2, sizeof tilde2, 58, "~2.txt");
    long_name(tilde3, sizeof tilde3, 58, "~3.TXT");
    long_name(directory_tilde1, sizeof directory_tilde1, 62, "~1");
    add_file(dir, whole);
    add_file(dir, longer);
    add_file(dir, other);
    add_file(dir, upper);
    add_directory(dir, directory);
    add_directory(dir, directory_longer);
    expect_joliet(dir, (const char *const[]){
        whole, tilde1, tilde2, tilde3, directory, directory_tilde1 });
    assert_int_equal(dir->ids[1].length, 128);
    assert_int_equal(dir->ids[3].length, 128);
    assert_int_equal(dir->ids[5].length, 128);
}

static void test_joliet_a_name_kept_whole_wins_over_an_earlier_shortened_one(void **state)
{
    struct directory *dir = *state;
    char longer[128], whole[128], tilde1[128];

    long_name(longer, sizeof longer, 62, ".txt");        /* 66: shortens onto `whole`... */
    long_name(whole, sizeof whole, 60, ".txt");          /* ...which comes later, at 64 */
    long_name(tilde1, sizeof tilde1, 58, "~1.txt");
    add_file(dir, longer);
    add_file(dir, whole);
    add_file(dir, "a*b.txt");                           /* replaced characters alter it too */
    add_file(dir, "a_b.txt");
    expect_joliet(dir, (const char *const[]){ tilde1, whole, "a_b~1.txt", "a_b.txt" });
}

static void test_joliet_replaces_forbidden_characters(void **state)
{
    static const uint16_t name[] = { 'a', '*', 'b', ':', 'c', ';', 'd', '?', 'e', '\\', 'f', '/',
                                     'g', 0x01, 'h' };
    struct directory *dir = *state;
    add_units(dir, name, sizeof name / sizeof name[0], 0);
    add_file(dir, "<a|b> \"c\".txt");          /* allowed in Joliet */
    expect_joliet(dir, (const char *const[]){ "a_b_c_d_e_f_g_h", "<a|b> \"c\".txt" });
}

static void test_joliet_replaces_each_surrogate_pair_with_one_underscore(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "disc 💿.txt");
    add_directory(dir, "💿📀");
    expect_joliet(dir, (const char *const[]){ "disc _.txt", "__" });
    assert_int_equal(dir->ids[0].length, 2 * 10);
}

static void test_joliet_names_equal_ignoring_case_collide(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "Readme.txt");
    add_file(dir, "README.TXT");
    add_file(dir, "readme.txt");
    add_directory(dir, "Файл");
    add_directory(dir, "ФАЙЛ");
    add_file(dir, "café");
    add_file(dir, "CAFÉ");
    add_file(dir, "notes");
    add_directory(dir, "Notes");            /* a file and a directory look alike too */
    add_file(dir, ".profile");
    add_file(dir, ".PROFILE");              /* a leading dot is not an extension */
    expect_joliet(dir, (const char *const[]){
        "Readme.txt", "README~1.TXT", "readme~2.txt", "Файл", "ФАЙЛ~1", "café",
        "CAFÉ~1", "notes", "Notes~1", ".profile", ".PROFILE~1" });
}

static void test_joliet_mangled_names_skip_names_taken_later(void **state)
{
    struct directory *dir = *state;
    add_file(dir, "readme.txt");
    add_file(dir, "README.txt");
    add_file(dir, "readme~1.txt");
    expect_joliet(dir, (const char *const[]){ "readme.txt", "README~2.txt", "readme~1.txt" });
}

/* ---- Many children ---- */

#define MANY_CHILDREN 100000

static int compare_iso9660_for_qsort(const void *a, const void *b)
{
    return iso9660_identifier_compare(a, b);
}

static int compare_joliet_for_qsort(const void *a, const void *b)
{
    return joliet_identifier_compare(a, b);
}

static void assert_all_distinct(struct identifier *ids, size_t count,
                                int (*compare)(const void *, const void *))
{
    size_t i;

    qsort(ids, count, sizeof *ids, compare);
    for (i = 1; i < count; i++) {
        assert_true(compare(&ids[i - 1], &ids[i]) < 0);
        assert_false(ids[i - 1].length == ids[i].length &&
                     memcmp(ids[i - 1].bytes, ids[i].bytes, ids[i].length) == 0);
    }
}

static void test_hundred_thousand_children_get_distinct_identifiers(void **state)
{
    /* Longer than 64 characters, so that every name collides once shortened in every format. */
    static const char pattern[] =
        "Quarterly report of the sales department for the board, number %06u.pdf";
    uint16_t *units = malloc(MANY_CHILDREN * 80 * sizeof *units);
    struct name_input *children = malloc(MANY_CHILDREN * sizeof *children);
    struct identifier *ids = malloc(MANY_CHILDREN * sizeof *ids);
    struct arena arena;
    char name[96];
    size_t i;
    (void)state;

    assert_non_null(units);
    assert_non_null(children);
    assert_non_null(ids);
    arena_init(&arena);
    for (i = 0; i < MANY_CHILDREN; i++) {
        snprintf(name, sizeof name, pattern, (unsigned)i);
        children[i].name = units + i * 80;
        children[i].length = (uint16_t)to_utf16(name, units + i * 80, 80);
        children[i].is_directory = i % 10 == 9;
    }

    assert_int_equal(iso9660_identifiers(children, MANY_CHILDREN, 1, &arena, ids), FSI_OK);
    for (i = 0; i < MANY_CHILDREN; i++) {
        assert_true(iso9660_name_length(&ids[i]) <= 8);
        assert_true(ids[i].length <= (children[i].is_directory ? 8 : 14));
    }
    assert_all_distinct(ids, MANY_CHILDREN, compare_iso9660_for_qsort);

    assert_int_equal(iso9660_identifiers(children, MANY_CHILDREN, 2, &arena, ids), FSI_OK);
    for (i = 0; i < MANY_CHILDREN; i++)
        assert_true(ids[i].length <= (children[i].is_directory ? 31 : 33));
    assert_all_distinct(ids, MANY_CHILDREN, compare_iso9660_for_qsort);

    assert_int_equal(joliet_identifiers(children, MANY_CHILDREN, &arena, ids), FSI_OK);
    for (i = 0; i < MANY_CHILDREN; i++)
        assert_true(ids[i].length <= 128);
    assert_all_distinct(ids, MANY_CHILDREN, compare_joliet_for_qsort);

    arena_free(&arena);
    free(ids);
    free(children);
    free(units);
}

/* ---- Record order (ECMA-119 9.3) ---- */

static struct identifier iso9660_id(const char *text)
{
    struct identifier id;
    id.bytes = (const uint8_t *)text;
    id.length = (uint8_t)strlen(text);
    return id;
}

static struct identifier joliet_id(const char *utf8, uint8_t *bytes)
{
    uint16_t units[64];
    size_t length = to_utf16(utf8, units, 64), i;
    struct identifier id;

    for (i = 0; i < length; i++)
        put_be16(bytes + 2 * i, units[i]);
    id.bytes = bytes;
    id.length = (uint8_t)(2 * length);
    return id;
}

static int iso9660_order(const char *a, const char *b)
{
    struct identifier ia = iso9660_id(a), ib = iso9660_id(b);
    int order = iso9660_identifier_compare(&ia, &ib);
    /* Every ordering is antisymmetric. */
    assert_int_equal(order < 0, iso9660_identifier_compare(&ib, &ia) > 0);
    return order;
}

static int joliet_order(const char *a, const char *b)
{
    uint8_t a_bytes[128], b_bytes[128];
    struct identifier ia = joliet_id(a, a_bytes), ib = joliet_id(b, b_bytes);
    int order = joliet_identifier_compare(&ia, &ib);
    assert_int_equal(order < 0, joliet_identifier_compare(&ib, &ia) > 0);
    return order;
}

static void test_iso9660_order_pads_names_and_extensions_with_spaces(void **state)
{
    (void)state;
    assert_true(iso9660_order("A.;1", "AB.;1") < 0);        /* "A " < "AB" */
    assert_true(iso9660_order("A.;1", "A.B;1") < 0);        /* same name, " " < "B" */
    assert_true(iso9660_order("A.B;1", "A_1") < 0);         /* "A  " < "A_1" */
    assert_true(iso9660_order("AB.;1", "A_1") < 0);         /* 'B' < '_' */
    assert_true(iso9660_order("A.ZZZ;1", "AB.A;1") < 0);    /* names decide before extensions */
    assert_true(iso9660_order("A", "AB") < 0);              /* directories compare as names */
    assert_true(iso9660_order("Z9", "ZA") < 0);             /* '9' < 'A' */
    assert_int_equal(iso9660_order("README.TXT;1", "README.TXT;1"), 0);
}

static void test_iso9660_order_puts_higher_versions_first(void **state)
{
    (void)state;
    assert_true(iso9660_order("A.B;2", "A.B;1") < 0);
    assert_true(iso9660_order("A.B;10", "A.B;9") < 0);
    assert_true(iso9660_order("A.B;1", "A.C;2") < 0);       /* extensions decide before versions */
}

static void test_iso9660_order_sorts_a_directory(void **state)
{
    const char *shuffled[] = { "B.;1", "A_1", "A.B;1", "AB.;1", "A.;1", "A.B;2" };
    const char *sorted[] = { "A.;1", "A.B;2", "A.B;1", "AB.;1", "A_1", "B.;1" };
    struct identifier ids[6];
    uint8_t dot = 0, dotdot = 1;
    struct identifier self = { &dot, 1 }, parent = { &dotdot, 1 };
    char text[16];
    size_t i;
    (void)state;

    for (i = 0; i < 6; i++)
        ids[i] = iso9660_id(shuffled[i]);
    qsort(ids, 6, sizeof ids[0], compare_iso9660_for_qsort);
    for (i = 0; i < 6; i++) {
        iso9660_text(&ids[i], text);
        assert_string_equal(text, sorted[i]);
    }
    /* The "." and ".." records (identifiers 0x00 and 0x01) sort first. */
    assert_true(iso9660_identifier_compare(&self, &parent) < 0);
    assert_true(iso9660_identifier_compare(&parent, &ids[0]) < 0);
}

static void test_joliet_order_compares_16_bit_units_padded_with_spaces(void **state)
{
    (void)state;
    /* Identifiers as recorded, without a version. */
    assert_true(joliet_order("a.txt", "a b.txt") < 0);      /* "a  " < "a b" */
    assert_true(joliet_order("a", "a.txt") < 0);            /* same name, " " < "t" */
    assert_true(joliet_order("a.txt", "a_1") < 0);          /* "a  " < "a_1" */
    assert_true(joliet_order("z.txt", "é.txt") < 0);        /* 0x007A < 0x00E9 */
    assert_true(joliet_order("ÿ", "Ā") < 0);                /* 0x00FF < 0x0100 */
    assert_true(joliet_order("B", "a") < 0);                /* case matters: 'B' < 'a' */
    assert_true(joliet_order("a.b.c", "a.b.d") < 0);        /* the last '.' starts the extension */
    assert_int_equal(joliet_order("Файл.txt", "Файл.txt"), 0);
    /* A versioned identifier (another writer's) still orders by ECMA-119 9.3. */
    assert_true(joliet_order("notes.txt;2", "notes.txt;1") < 0);
    assert_true(joliet_order("a.txt;1", "a b.txt;1") < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upcase_maps_latin_greek_and_cyrillic_letters),
        cmocka_unit_test(test_upcase_leaves_surrogates_and_caseless_units_alone),
        cmocka_unit_test(test_nocase_equality_and_hash_ignore_case_only),
        cmocka_unit_test(test_name_check_accepts_ordinary_names),
        cmocka_unit_test(test_name_check_refuses_what_windows_refuses),
#define WITH_DIRECTORY(test) cmocka_unit_test_setup_teardown(test, directory_setup, directory_teardown)
        WITH_DIRECTORY(test_level1_truncates_to_8_3_and_keeps_extension),
        WITH_DIRECTORY(test_lowercase_is_uppercased_and_other_characters_become_underscore),
        WITH_DIRECTORY(test_only_the_last_dot_of_a_file_starts_the_extension),
        WITH_DIRECTORY(test_file_without_extension_keeps_the_dot),
        WITH_DIRECTORY(test_name_that_maps_to_nothing_becomes_underscore),
        WITH_DIRECTORY(test_level2_allows_30_characters_for_files_and_31_for_directories),
        WITH_DIRECTORY(test_level3_names_follow_level2_limits),
        WITH_DIRECTORY(test_names_that_collide_after_mapping_get_numbered_suffixes),
        WITH_DIRECTORY(test_more_than_9_and_99_collisions_shorten_the_name_for_the_number),
        WITH_DIRECTORY(test_level2_collisions_number_past_9_without_shortening),
        WITH_DIRECTORY(test_level2_mangling_takes_room_from_a_long_extension),
        WITH_DIRECTORY(test_files_and_directories_share_one_namespace),
        WITH_DIRECTORY(test_mangled_names_skip_numbers_other_names_hold),
        WITH_DIRECTORY(test_iso9660_refuses_bad_arguments),
        WITH_DIRECTORY(test_joliet_records_no_version_on_files_or_directories),
        WITH_DIRECTORY(test_joliet_keeps_a_64_character_name_whole),
        WITH_DIRECTORY(test_joliet_shortens_a_65_character_name_to_64_keeping_the_extension),
        WITH_DIRECTORY(test_joliet_keeps_64_characters_and_the_extension),
        WITH_DIRECTORY(test_joliet_long_names_that_collide_after_shortening_get_tilde_before_extension),
        WITH_DIRECTORY(test_joliet_collisions_at_64_characters_stay_within_64),
        WITH_DIRECTORY(test_joliet_a_name_kept_whole_wins_over_an_earlier_shortened_one),
        WITH_DIRECTORY(test_joliet_replaces_forbidden_characters),
        WITH_DIRECTORY(test_joliet_replaces_each_surrogate_pair_with_one_underscore),
        WITH_DIRECTORY(test_joliet_names_equal_ignoring_case_collide),
        WITH_DIRECTORY(test_joliet_mangled_names_skip_names_taken_later),
#undef WITH_DIRECTORY
        cmocka_unit_test(test_hundred_thousand_children_get_distinct_identifiers),
        cmocka_unit_test(test_iso9660_order_pads_names_and_extensions_with_spaces),
        cmocka_unit_test(test_iso9660_order_puts_higher_versions_first),
        cmocka_unit_test(test_iso9660_order_sorts_a_directory),
        cmocka_unit_test(test_joliet_order_compares_16_bit_units_padded_with_spaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
