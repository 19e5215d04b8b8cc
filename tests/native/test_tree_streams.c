/*
 * Named streams of files (src/core/tree_streams.c): adding with names unique without regard to
 * case, refusals, removal (a removed stream keeps its file and can be put back), and snapshots
 * that copy a file's streams and share their sources.
 */
#include "image_test_util.h"

static void test_streams_are_added_unique_ignoring_case_and_removed(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *file = add_memory_file(tree, fsi_tree_root(tree), "f.txt", "abc", 3);
    struct fsi_node *dir = add_dir(tree, fsi_tree_root(tree), "d");
    struct fsi_source source = fsi_source_memory("stream!", 7);
    struct fsi_node *a = NULL, *b = NULL, *again = NULL;
    uint16_t name[16];
    size_t n;
    (void)state;

    n = ascii_units("Zone.Identifier", name);
    assert_int_equal(fsi_tree_add_stream(tree, file, name, n, 7, &source, &a), FSI_OK);
    assert_ptr_equal(fsi_node_stream_owner(a), file);
    assert_null(fsi_node_parent(a));
    n = ascii_units("ZONE.identifier", name);
    assert_int_equal(fsi_tree_add_stream(tree, file, name, n, 7, &source, &again),
                     FSI_E_DUPLICATE_NAME);
    assert_null(again);
    n = ascii_units("second", name);
    assert_int_equal(fsi_tree_add_stream(tree, file, name, n, 7, &source, &b), FSI_OK);
    assert_int_equal(fsi_node_stream_count(file), 2);
    assert_ptr_equal(fsi_node_find_stream(file, name, n), b);
    assert_int_equal(fsi_tree_add_stream(tree, dir, name, n, 7, &source, &again),
                     FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_add_stream(tree, a, name, n, 7, &source, &again),
                     FSI_E_INVALID_ARGUMENT);
    n = ascii_units("bad:name", name);
    assert_int_equal(fsi_tree_add_stream(tree, file, name, n, 7, &source, &again),
                     FSI_E_INVALID_NAME);
    assert_int_equal(fsi_tree_file_count(tree), 1);     /* streams are not files */

    assert_int_equal(fsi_tree_remove_stream(tree, a), FSI_OK);
    assert_int_equal(fsi_node_stream_count(file), 1);
    assert_ptr_equal(fsi_node_stream(file, 0), b);
    assert_null(fsi_node_stream_owner(a));
    assert_int_equal(fsi_tree_remove_stream(tree, a), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_remove_stream(tree, file), FSI_E_INVALID_ARGUMENT);
    fsi_tree_destroy(tree);
}

static void test_a_removed_stream_keeps_its_file_and_can_be_put_back(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *file = add_memory_file(tree, fsi_tree_root(tree), "f.txt", "abc", 3);
    struct fsi_node *dir = add_dir(tree, fsi_tree_root(tree), "d");
    struct fsi_source source = fsi_source_memory("xy", 2);
    struct fsi_node *a = NULL, *b = NULL, *again = NULL;
    uint16_t name[16];
    size_t n;
    (void)state;

    assert_null(fsi_node_stream_file(file));
    n = ascii_units("a", name);
    assert_int_equal(fsi_tree_add_stream(tree, file, name, n, 2, &source, &a), FSI_OK);
    n = ascii_units("b", name);
    assert_int_equal(fsi_tree_add_stream(tree, file, name, n, 2, &source, &b), FSI_OK);
    assert_ptr_equal(fsi_node_stream_file(a), file);
    {
        /* A stream's path is its file's, ':' and its name; cut short like any path. */
        uint16_t path[16];
        static const uint16_t expected[] = { '\\', 'f', '.', 't', 'x', 't', ':', 'a' };
        assert_int_equal(fsi_node_path(a, path, 16), 8);
        assert_memory_equal(path, expected, sizeof(expected));
        assert_int_equal(fsi_node_path(a, path, 5), 8);
        assert_memory_equal(path, expected, 5 * sizeof(uint16_t));
    }
    assert_int_equal(fsi_tree_restore_stream(tree, a), FSI_E_INVALID_ARGUMENT);  /* not removed */
    assert_int_equal(fsi_tree_remove_stream(tree, a), FSI_OK);
    assert_null(fsi_node_stream_owner(a));
    assert_ptr_equal(fsi_node_stream_file(a), file);
    /* Still a stream: it cannot become an item of a directory nor hold streams. */
    assert_int_equal(fsi_tree_attach(tree, dir, a), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_node_child_count(dir), 0);
    assert_int_equal(fsi_tree_add_stream(tree, a, name, n, 2, &source, &again),
                     FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_restore_stream(tree, a), FSI_OK);
    assert_int_equal(fsi_node_stream_count(file), 2);
    assert_ptr_equal(fsi_node_stream(file, 0), b);
    assert_ptr_equal(fsi_node_stream(file, 1), a);
    assert_ptr_equal(fsi_node_stream_owner(a), file);
    /* A new stream of the same name blocks the way back. */
    assert_int_equal(fsi_tree_remove_stream(tree, a), FSI_OK);
    n = ascii_units("A", name);
    assert_int_equal(fsi_tree_add_stream(tree, file, name, n, 2, &source, &again), FSI_OK);
    assert_int_equal(fsi_tree_restore_stream(tree, a), FSI_E_DUPLICATE_NAME);
    assert_int_equal(fsi_tree_restore_stream(tree, file), FSI_E_INVALID_ARGUMENT);
    fsi_tree_destroy(tree);
}

static int holds;

static enum fsi_status count_read(void *context, uint64_t offset, void *buffer, size_t length,
                                  size_t *done)
{
    (void)context;
    (void)offset;
    memset(buffer, 's', length);
    *done = length;
    return FSI_OK;
}

static void count_release(void *context) { (void)context; holds--; }
static void count_retain(void *context) { (void)context; holds++; }

static void test_snapshot_copies_streams_and_shares_their_sources(void **state)
{
    static const struct fsi_source_callbacks callbacks = { count_read, count_release,
                                                           count_retain };
    struct fsi_tree *tree = fsi_tree_create(), *copy = NULL;
    struct fsi_node *file = add_memory_file(tree, fsi_tree_root(tree), "f.txt", "abc", 3);
    struct fsi_source source = fsi_source_callback(&callbacks, NULL);
    struct fsi_node *stream = NULL, *copied_file;
    uint16_t name[8];
    size_t n = ascii_units("s1", name);
    (void)state;

    holds = 1;
    assert_int_equal(fsi_tree_add_stream(tree, file, name, n, 100, &source, &stream), FSI_OK);
    fsi_node_set_times(stream, 1, 2, 3);
    assert_int_equal(fsi_tree_snapshot(tree, &copy), FSI_OK);
    assert_int_equal(holds, 2);
    ascii_units("f.txt", name);
    copied_file = fsi_tree_find(copy, fsi_tree_root(copy), name, 5);
    assert_non_null(copied_file);
    assert_int_equal(fsi_node_stream_count(copied_file), 1);
    {
        fsi_time c, a, m;
        struct fsi_node *s = fsi_node_stream(copied_file, 0);
        assert_int_equal(fsi_node_size(s), 100);
        fsi_node_times(s, &c, &a, &m);
        assert_int_equal(m, 3);
        assert_ptr_equal(fsi_node_stream_owner(s), copied_file);
    }
    fsi_tree_destroy(copy);
    assert_int_equal(holds, 1);
    fsi_tree_destroy(tree);
    assert_int_equal(holds, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_streams_are_added_unique_ignoring_case_and_removed),
        cmocka_unit_test(test_a_removed_stream_keeps_its_file_and_can_be_put_back),
        cmocka_unit_test(test_snapshot_copies_streams_and_shares_their_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
