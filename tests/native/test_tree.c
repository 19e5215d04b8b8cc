/*
 * The tree (include/openfsi/tree.h): adding, detached items, attaching, removing, new file data,
 * change points with rollback and lock-in, counts after every kind of change, path lookups, full
 * paths, snapshots, and how often callback sources are retained and released.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "openfsi/image.h"
#include "openfsi/tree.h"
#include "tree_internal.h"

/* ---- helpers ---- */

static size_t units_of(const char *ascii, uint16_t *out)
{
    size_t n = 0;
    while (ascii[n]) {
        out[n] = (uint8_t)ascii[n];
        n++;
    }
    return n;
}

static enum fsi_status try_dir(struct fsi_tree *tree, struct fsi_node *parent, const char *name,
                               struct fsi_node **out)
{
    uint16_t units[300];
    return fsi_tree_add_directory(tree, parent, units, units_of(name, units), out);
}

static enum fsi_status try_file(struct fsi_tree *tree, struct fsi_node *parent, const char *name,
                                struct fsi_node **out)
{
    uint16_t units[300];
    struct fsi_source none = { FSI_SOURCE_NONE };
    return fsi_tree_add_file(tree, parent, units, units_of(name, units), 0, &none, out);
}

static struct fsi_node *dir(struct fsi_tree *tree, struct fsi_node *parent, const char *name)
{
    struct fsi_node *node = NULL;
    assert_int_equal(try_dir(tree, parent, name, &node), FSI_OK);
    assert_non_null(node);
    return node;
}

static struct fsi_node *file(struct fsi_tree *tree, struct fsi_node *parent, const char *name)
{
    struct fsi_node *node = NULL;
    assert_int_equal(try_file(tree, parent, name, &node), FSI_OK);
    assert_non_null(node);
    return node;
}

static struct fsi_node *new_dir(struct fsi_tree *tree, const char *name)
{
    uint16_t units[300];
    struct fsi_node *node = NULL;
    assert_int_equal(fsi_tree_new_directory(tree, units, units_of(name, units), &node), FSI_OK);
    assert_non_null(node);
    return node;
}

static struct fsi_node *new_file(struct fsi_tree *tree, const char *name)
{
    uint16_t units[300];
    struct fsi_source none = { FSI_SOURCE_NONE };
    struct fsi_node *node = NULL;
    assert_int_equal(fsi_tree_new_file(tree, units, units_of(name, units), 0, &none, &node),
                     FSI_OK);
    assert_non_null(node);
    return node;
}

static struct fsi_node *find(struct fsi_tree *tree, struct fsi_node *parent, const char *name)
{
    uint16_t units[300];
    return fsi_tree_find(tree, parent, units, units_of(name, units));
}

static enum fsi_status lookup(struct fsi_tree *tree, struct fsi_node *from, const char *path,
                              struct fsi_node **out)
{
    uint16_t units[300];
    return fsi_tree_lookup(tree, from, units, units_of(path, units), out);
}

/* The full path of a node in ASCII (the tests use ASCII names only). */
static const char *path_of(const struct fsi_node *node)
{
    static char text[1024];
    uint16_t units[1024];
    size_t n = fsi_node_path(node, units, 1024), i;
    assert_true(n < sizeof(text));
    for (i = 0; i < n; i++)
        text[i] = (char)units[i];
    text[n] = 0;
    return text;
}

static void assert_counts(const struct fsi_tree *tree, size_t files, size_t directories)
{
    assert_int_equal(fsi_tree_file_count(tree), files);
    assert_int_equal(fsi_tree_directory_count(tree), directories);
}

/* The names of a directory's children in order, joined by ','. */
static const char *children_of(const struct fsi_node *node)
{
    static char text[4096];
    size_t at = 0, i, length, j;

    text[0] = 0;
    for (i = 0; i < fsi_node_child_count(node); i++) {
        const uint16_t *name = fsi_node_name(fsi_node_child(node, i), &length);
        if (i)
            text[at++] = ',';
        for (j = 0; j < length; j++)
            text[at++] = (char)name[j];
        assert_ptr_equal(fsi_node_parent(fsi_node_child(node, i)), node);
    }
    text[at] = 0;
    return text;
}

/*
 * The tree's inner consistency: every node with a parent is in the name table exactly once,
 * under the bucket of its (parent, name), and nothing else is; sibling indexes are right.
 */
static void assert_table_consistent(const struct fsi_tree *tree)
{
    size_t with_parent = 0, in_table = 0, b;
    const struct fsi_node *node, *other;

    for (node = tree->all_nodes; node; node = node->all_next) {
        if (node->parent) {
            with_parent++;
            assert_ptr_equal(node->parent->children[node->index], node);
            assert_ptr_equal(fsi_tree_find(tree, node->parent, node->name, node->name_length),
                             node);
        }
    }
    for (b = 0; b < tree->bucket_count; b++) {
        for (node = tree->buckets[b]; node; node = node->hash_next) {
            assert_non_null(node->parent);
            in_table++;
            assert_true(in_table <= with_parent);   /* also stops a looping chain */
            for (other = node->hash_next; other; other = other->hash_next)
                assert_ptr_not_equal(other, node);
        }
    }
    assert_int_equal(in_table, with_parent);
    assert_int_equal(tree->hashed_count, with_parent);
}

/* A callback source that counts its holds. */
struct counted {
    int retains;
    int releases;
};

static enum fsi_status counted_read(void *context, uint64_t offset, void *buffer, size_t length,
                                    size_t *done)
{
    (void)context;
    (void)offset;
    memset(buffer, 'x', length);
    *done = length;
    return FSI_OK;
}

static void counted_retain(void *context) { ((struct counted *)context)->retains++; }

static void counted_release(void *context) { ((struct counted *)context)->releases++; }

static const struct fsi_source_callbacks counted_callbacks = {
    counted_read, counted_release, counted_retain
};
static const struct fsi_source_callbacks release_only_callbacks = {
    counted_read, counted_release, NULL
};

static struct fsi_node *counted_file(struct fsi_tree *tree, struct fsi_node *parent,
                                     const char *name, struct counted *counted)
{
    uint16_t units[300];
    struct fsi_source source = fsi_source_callback(&counted_callbacks, counted);
    struct fsi_node *node = NULL;
    assert_int_equal(fsi_tree_add_file(tree, parent, units, units_of(name, units), 10, &source,
                                       &node),
                     FSI_OK);
    return node;
}

static void set_counted_data(struct fsi_tree *tree, struct fsi_node *node, uint64_t size,
                             struct counted *counted)
{
    struct fsi_source source = fsi_source_callback(&counted_callbacks, counted);
    assert_int_equal(fsi_tree_set_file_data(tree, node, size, &source), FSI_OK);
}

/* ---- adding ---- */

static void test_add_counts_files_and_directories_below_the_root(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a;
    (void)state;

    assert_counts(tree, 0, 0);
    a = dir(tree, root, "a");
    file(tree, a, "f1");
    file(tree, root, "f2");
    dir(tree, a, "b");
    assert_counts(tree, 2, 2);
    assert_true(fsi_node_is_attached(root));
    assert_true(fsi_node_is_attached(find(tree, a, "b")));
    assert_string_equal(children_of(a), "f1,b");
    fsi_tree_destroy(tree);
}

static void test_add_refuses_duplicates_in_any_case_bad_names_and_file_parents(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *f, *out = NULL;
    uint32_t point;
    (void)state;

    dir(tree, root, "Readme");
    f = file(tree, root, "data.bin");
    point = fsi_tree_change_point(tree);
    assert_int_equal(try_dir(tree, root, "README", &out), FSI_E_DUPLICATE_NAME);
    assert_int_equal(try_file(tree, root, "readme", &out), FSI_E_DUPLICATE_NAME);
    assert_int_equal(try_file(tree, root, "DATA.BIN", &out), FSI_E_DUPLICATE_NAME);
    assert_int_equal(try_file(tree, root, "a*b", &out), FSI_E_INVALID_NAME);
    assert_int_equal(try_dir(tree, root, "..", &out), FSI_E_INVALID_NAME);
    assert_int_equal(try_dir(tree, root, "", &out), FSI_E_INVALID_NAME);
    assert_int_equal(try_dir(tree, f, "x", &out), FSI_E_NOT_DIRECTORY);
    assert_int_equal(try_file(tree, f, "x", &out), FSI_E_NOT_DIRECTORY);
    assert_int_equal(try_dir(tree, NULL, "x", &out), FSI_E_INVALID_ARGUMENT);
    assert_null(out);
    assert_int_equal(fsi_tree_change_point(tree), point);
    assert_counts(tree, 1, 1);
    fsi_tree_destroy(tree);
}

static void test_add_refuses_a_parent_of_another_tree(void **state)
{
    struct fsi_tree *tree = fsi_tree_create(), *other = fsi_tree_create();
    struct fsi_node *out = NULL;
    (void)state;

    assert_int_equal(try_dir(tree, fsi_tree_root(other), "x", &out), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_attach(tree, fsi_tree_root(tree), new_dir(other, "d")),
                     FSI_E_INVALID_ARGUMENT);
    assert_counts(tree, 0, 0);
    assert_counts(other, 0, 0);
    fsi_tree_destroy(tree);
    fsi_tree_destroy(other);
}

/* ---- detached items ---- */

static void test_new_items_are_detached_uncounted_and_not_changes(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *d, *f, *out = (struct fsi_node *)1;
    uint16_t units[8];
    struct fsi_source none = { FSI_SOURCE_NONE };
    (void)state;

    d = new_dir(tree, "d");
    f = new_file(tree, "f");
    assert_false(fsi_node_is_attached(d));
    assert_false(fsi_node_is_attached(f));
    assert_null(fsi_node_parent(d));
    assert_true(fsi_node_is_directory(d));
    assert_false(fsi_node_is_directory(f));
    assert_counts(tree, 0, 0);
    assert_int_equal(fsi_tree_change_point(tree), 0);
    assert_null(find(tree, fsi_tree_root(tree), "d"));
    assert_int_equal(fsi_tree_new_directory(tree, units, units_of("a:b", units), &out),
                     FSI_E_INVALID_NAME);
    assert_null(out);
    assert_int_equal(fsi_tree_new_file(tree, units, units_of("ok", units), 5, &none, &out),
                     FSI_E_INVALID_ARGUMENT);   /* 5 bytes but no source */
    assert_int_equal(fsi_tree_new_file(tree, units, units_of("ok", units), 0, NULL, &out),
                     FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_new_directory(tree, units, 1, NULL), FSI_E_INVALID_ARGUMENT);
    /* Two detached items may have the same name: they are in no directory. */
    assert_non_null(new_dir(tree, "D"));
    fsi_tree_destroy(tree);
}

static void test_add_under_a_detached_directory_stays_detached(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *d = new_dir(tree, "d"), *sub, *f, *out = NULL;
    (void)state;

    sub = dir(tree, d, "sub");
    f = file(tree, sub, "f");
    assert_false(fsi_node_is_attached(sub));
    assert_false(fsi_node_is_attached(f));
    assert_ptr_equal(fsi_node_parent(f), sub);
    assert_ptr_equal(find(tree, d, "SUB"), sub);
    assert_int_equal(try_file(tree, d, "Sub", &out), FSI_E_DUPLICATE_NAME);
    assert_counts(tree, 0, 0);
    assert_int_equal(fsi_tree_change_point(tree), 2);   /* adds are changes wherever they go */
    fsi_tree_destroy(tree);
}

/* ---- attaching ---- */

static void test_attach_of_a_detached_directory_with_children_counts_them(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *d = new_dir(tree, "d"), *sub, *deep, *f;
    (void)state;

    file(tree, root, "first");
    sub = dir(tree, d, "sub");
    deep = dir(tree, sub, "deep");
    f = file(tree, deep, "f");
    file(tree, d, "g");
    assert_counts(tree, 1, 0);
    assert_int_equal(fsi_tree_attach(tree, root, d), FSI_OK);
    assert_counts(tree, 3, 3);
    assert_true(fsi_node_is_attached(d));
    assert_true(fsi_node_is_attached(f));
    assert_ptr_equal(find(tree, root, "D"), d);
    assert_string_equal(children_of(root), "first,d");
    assert_string_equal(path_of(f), "\\d\\sub\\deep\\f");
    /* Adding below it now counts. */
    file(tree, deep, "h");
    assert_counts(tree, 4, 3);
    fsi_tree_destroy(tree);
}

static void test_attach_into_a_detached_directory_keeps_both_detached(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *outer = new_dir(tree, "outer"), *f = new_file(tree, "f");
    (void)state;

    assert_int_equal(fsi_tree_attach(tree, outer, f), FSI_OK);
    assert_false(fsi_node_is_attached(f));
    assert_ptr_equal(fsi_node_parent(f), outer);
    assert_counts(tree, 0, 0);
    assert_int_equal(fsi_tree_attach(tree, fsi_tree_root(tree), outer), FSI_OK);
    assert_true(fsi_node_is_attached(f));
    assert_counts(tree, 1, 1);
    fsi_tree_destroy(tree);
}

static void test_attach_refuses_the_root_an_attached_node_and_a_file_parent(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a = dir(tree, root, "a"), *f;
    struct fsi_node *loose = new_dir(tree, "loose");
    (void)state;

    f = file(tree, root, "f");
    assert_int_equal(fsi_tree_attach(tree, a, root), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_attach(tree, a, f), FSI_E_INVALID_ARGUMENT);  /* has a parent */
    assert_int_equal(fsi_tree_attach(tree, f, loose), FSI_E_NOT_DIRECTORY);
    assert_int_equal(fsi_tree_attach(tree, NULL, loose), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_attach(tree, a, NULL), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_change_point(tree), 2);
    assert_false(fsi_node_is_attached(loose));
    assert_counts(tree, 1, 1);
    fsi_tree_destroy(tree);
}

static void test_attach_that_would_make_a_cycle_is_refused(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *d = new_dir(tree, "d"), *sub = dir(tree, d, "sub"), *deep;
    (void)state;

    deep = dir(tree, sub, "deep");
    assert_int_equal(fsi_tree_attach(tree, d, d), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_attach(tree, deep, d), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_attach(tree, sub, d), FSI_E_INVALID_ARGUMENT);
    assert_null(fsi_node_parent(d));
    assert_int_equal(fsi_node_child_count(deep), 0);
    fsi_tree_destroy(tree);
}

static void test_attach_refuses_a_duplicate_name_in_any_case(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *clash = new_file(tree, "NAME");
    (void)state;

    dir(tree, root, "name");
    assert_int_equal(fsi_tree_attach(tree, root, clash), FSI_E_DUPLICATE_NAME);
    assert_false(fsi_node_is_attached(clash));
    assert_int_equal(fsi_node_child_count(root), 1);
    assert_counts(tree, 0, 1);
    fsi_tree_destroy(tree);
}

/* ---- removing ---- */

static void test_remove_detaches_the_subtree_and_find_no_longer_finds_it(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a = dir(tree, root, "a"), *b, *f, *out;
    (void)state;

    b = dir(tree, a, "b");
    f = file(tree, b, "f");
    file(tree, root, "g");
    assert_counts(tree, 2, 2);
    assert_int_equal(fsi_tree_remove(tree, b, 1), FSI_OK);
    assert_counts(tree, 1, 1);
    assert_null(fsi_node_parent(b));
    assert_null(find(tree, a, "b"));
    assert_int_equal(lookup(tree, root, "a\\b\\f", &out), FSI_E_NOT_FOUND);
    assert_int_equal(fsi_node_child_count(a), 0);
    assert_false(fsi_node_is_attached(b));
    assert_false(fsi_node_is_attached(f));
    /* What is below the removed directory is still there, under it. */
    assert_ptr_equal(find(tree, b, "F"), f);
    assert_string_equal(path_of(f), "\\b\\f");
    /* The name is free again. */
    dir(tree, a, "B");
    assert_counts(tree, 1, 2);
    assert_table_consistent(tree);
    fsi_tree_destroy(tree);
}

static void test_remove_of_a_directory_with_children_needs_recursive(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a = dir(tree, root, "a"), *empty, *f;
    (void)state;

    empty = dir(tree, root, "empty");
    f = file(tree, a, "f");
    assert_int_equal(fsi_tree_remove(tree, a, 0), FSI_E_DIRECTORY_NOT_EMPTY);
    assert_ptr_equal(find(tree, root, "a"), a);
    assert_int_equal(fsi_tree_remove(tree, empty, 0), FSI_OK);
    assert_int_equal(fsi_tree_remove(tree, f, 0), FSI_OK);
    assert_int_equal(fsi_tree_remove(tree, a, 0), FSI_OK);
    assert_counts(tree, 0, 0);
    fsi_tree_destroy(tree);
}

static void test_remove_refuses_the_root_and_nodes_without_a_parent(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *loose = new_file(tree, "x"), *f;
    (void)state;

    f = file(tree, root, "f");
    assert_int_equal(fsi_tree_remove(tree, root, 1), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_remove(tree, loose, 1), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_remove(tree, NULL, 1), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_remove(tree, f, 0), FSI_OK);
    assert_int_equal(fsi_tree_remove(tree, f, 0), FSI_E_INVALID_ARGUMENT);  /* twice */
    assert_int_equal(fsi_tree_change_point(tree), 2);
    fsi_tree_destroy(tree);
}

static void test_a_removed_node_can_be_attached_again_elsewhere(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a = dir(tree, root, "a"), *b, *moved;
    (void)state;

    b = dir(tree, root, "b");
    moved = dir(tree, a, "moved");
    file(tree, moved, "f");
    assert_int_equal(fsi_tree_remove(tree, moved, 1), FSI_OK);
    assert_counts(tree, 0, 2);
    assert_int_equal(fsi_tree_attach(tree, b, moved), FSI_OK);
    assert_counts(tree, 1, 3);
    assert_ptr_equal(find(tree, b, "moved"), moved);
    assert_null(find(tree, a, "moved"));
    assert_string_equal(path_of(find(tree, moved, "f")), "\\b\\moved\\f");
    assert_table_consistent(tree);
    fsi_tree_destroy(tree);
}

static void test_remove_inside_a_detached_directory(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *d = new_dir(tree, "d"), *f = file(tree, d, "f");
    (void)state;

    assert_int_equal(fsi_tree_remove(tree, f, 0), FSI_OK);
    assert_null(fsi_node_parent(f));
    assert_null(find(tree, d, "f"));
    assert_counts(tree, 0, 0);
    fsi_tree_destroy(tree);
}

/* ---- change points ---- */

static void test_change_point_counts_changes_but_not_new_items_times_or_hidden(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *f, *loose;
    struct fsi_source none = { FSI_SOURCE_NONE };
    (void)state;

    assert_int_equal(fsi_tree_change_point(tree), 0);
    f = file(tree, root, "f");
    loose = new_dir(tree, "loose");
    fsi_node_set_times(f, 1, 2, 3);
    fsi_node_set_hidden(f, 1);
    assert_int_equal(fsi_tree_change_point(tree), 1);
    assert_int_equal(fsi_tree_attach(tree, root, loose), FSI_OK);
    assert_int_equal(fsi_tree_set_file_data(tree, f, 0, &none), FSI_OK);
    assert_int_equal(fsi_tree_remove(tree, loose, 0), FSI_OK);
    assert_int_equal(fsi_tree_change_point(tree), 4);
    fsi_tree_destroy(tree);
}

static void test_remove_then_rollback_restores_position(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *b;
    uint32_t point;
    (void)state;

    file(tree, root, "a");
    b = dir(tree, root, "b");
    file(tree, b, "inner");
    file(tree, root, "c");
    file(tree, root, "d");
    point = fsi_tree_change_point(tree);
    assert_int_equal(fsi_tree_remove(tree, b, 1), FSI_OK);
    assert_int_equal(fsi_tree_remove(tree, find(tree, root, "d"), 0), FSI_OK);
    assert_string_equal(children_of(root), "a,c");
    assert_counts(tree, 2, 0);
    assert_int_equal(fsi_tree_rollback(tree, point), FSI_OK);
    assert_string_equal(children_of(root), "a,b,c,d");
    assert_ptr_equal(fsi_node_child(root, 1), b);
    assert_ptr_equal(find(tree, root, "B"), b);
    assert_true(fsi_node_is_attached(find(tree, b, "inner")));
    assert_counts(tree, 4, 1);
    assert_int_equal(fsi_tree_change_point(tree), point);
    assert_table_consistent(tree);
    fsi_tree_destroy(tree);
}

static void test_rollback_of_adds_leaves_valid_detached_nodes(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a, *f;
    (void)state;

    a = dir(tree, root, "a");
    f = file(tree, a, "f");
    assert_int_equal(fsi_tree_rollback(tree, 0), FSI_OK);
    assert_counts(tree, 0, 0);
    assert_int_equal(fsi_node_child_count(root), 0);
    assert_null(find(tree, root, "a"));
    assert_null(fsi_node_parent(a));
    assert_null(fsi_node_parent(f));
    assert_int_equal(fsi_node_child_count(a), 0);
    assert_string_equal(path_of(f), "\\f");
    /* Both can be used again. */
    assert_int_equal(fsi_tree_attach(tree, root, f), FSI_OK);
    assert_int_equal(fsi_tree_attach(tree, root, a), FSI_OK);
    assert_string_equal(children_of(root), "f,a");
    assert_counts(tree, 1, 1);
    assert_table_consistent(tree);
    fsi_tree_destroy(tree);
}

static void test_rollback_undoes_mixed_changes_newest_first(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a, *b, *f, *loose, *out;
    struct fsi_source data1, data2;
    static const char bytes[] = "0123456789";
    uint32_t p0, p1, p2, p3, p4;
    (void)state;

    data1 = fsi_source_memory(bytes, 3);
    data2 = fsi_source_memory(bytes + 3, 7);
    a = dir(tree, root, "a");
    f = file(tree, a, "f");
    assert_int_equal(fsi_tree_set_file_data(tree, f, 3, &data1), FSI_OK);
    p0 = fsi_tree_change_point(tree);
    assert_counts(tree, 1, 1);

    loose = new_dir(tree, "loose");
    file(tree, loose, "inside");
    p1 = fsi_tree_change_point(tree);
    assert_int_equal(fsi_tree_attach(tree, a, loose), FSI_OK);
    p2 = fsi_tree_change_point(tree);
    assert_counts(tree, 2, 2);
    assert_int_equal(fsi_tree_set_file_data(tree, f, 7, &data2), FSI_OK);
    assert_int_equal(fsi_tree_remove(tree, a, 1), FSI_OK);
    p3 = fsi_tree_change_point(tree);
    assert_counts(tree, 0, 0);
    b = dir(tree, root, "b");
    assert_int_equal(fsi_tree_attach(tree, b, a), FSI_OK);
    p4 = fsi_tree_change_point(tree);
    assert_counts(tree, 2, 3);
    assert_string_equal(path_of(f), "\\b\\a\\f");

    assert_int_equal(fsi_tree_rollback(tree, p3), FSI_OK);
    assert_counts(tree, 0, 0);
    assert_null(fsi_node_parent(a));
    assert_null(fsi_node_parent(b));
    assert_int_equal(fsi_tree_rollback(tree, p2), FSI_OK);
    assert_counts(tree, 2, 2);
    assert_ptr_equal(fsi_node_child(root, 0), a);
    assert_int_equal(fsi_node_size(f), 3);
    assert_ptr_equal(fsi_node_source(f)->u.memory.data, bytes);
    assert_int_equal(lookup(tree, root, "a/loose/inside", &out), FSI_OK);
    assert_int_equal(fsi_tree_rollback(tree, p1), FSI_OK);
    assert_counts(tree, 1, 1);
    assert_null(fsi_node_parent(loose));
    assert_string_equal(children_of(loose), "inside");
    assert_int_equal(fsi_tree_rollback(tree, p0 - 1), FSI_OK);
    assert_int_equal(fsi_node_size(f), 0);
    assert_int_equal(fsi_node_source(f)->kind, FSI_SOURCE_NONE);
    assert_int_equal(fsi_tree_rollback(tree, 0), FSI_OK);
    assert_counts(tree, 0, 0);
    assert_int_equal(fsi_node_child_count(root), 0);
    /* Rolling back to now does nothing; later than now is refused. */
    assert_int_equal(fsi_tree_rollback(tree, 0), FSI_OK);
    assert_int_equal(fsi_tree_rollback(tree, p4), FSI_E_INVALID_ARGUMENT);
    assert_table_consistent(tree);
    fsi_tree_destroy(tree);
}

static void test_lock_in_forgets_earlier_changes_but_later_ones_roll_back(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a, *kept;
    uint32_t locked;
    (void)state;

    a = dir(tree, root, "a");
    kept = file(tree, a, "kept");
    assert_int_equal(fsi_tree_remove(tree, kept, 0), FSI_OK);
    fsi_tree_lock_in(tree);
    locked = fsi_tree_change_point(tree);
    assert_int_equal(locked, 3);
    file(tree, root, "later");
    assert_int_equal(fsi_tree_remove(tree, a, 1), FSI_OK);
    assert_int_equal(fsi_tree_rollback(tree, locked - 1), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_rollback(tree, 0), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_change_point(tree), locked + 2);
    assert_int_equal(fsi_tree_rollback(tree, locked), FSI_OK);
    assert_string_equal(children_of(root), "a");
    assert_counts(tree, 0, 1);
    /* The node detached by a locked-in change stays usable. */
    assert_null(fsi_node_parent(kept));
    assert_int_equal(fsi_tree_attach(tree, root, kept), FSI_OK);
    assert_counts(tree, 1, 1);
    fsi_tree_lock_in(tree);
    assert_int_equal(fsi_tree_rollback(tree, locked), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_rollback(tree, locked + 1), FSI_OK);
    assert_table_consistent(tree);
    fsi_tree_destroy(tree);
}

static void test_set_file_data_replaces_size_and_source_and_refuses_directories(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *d = dir(tree, root, "d"), *f;
    struct fsi_source host = fsi_source_host_file("/some/host/file");
    struct fsi_source bad = fsi_source_memory(NULL, 4);
    char path[32];
    (void)state;

    f = file(tree, root, "f");
    strcpy(path, "/a/host/path");
    host.u.host_path = path;
    assert_int_equal(fsi_tree_set_file_data(tree, f, 100, &host), FSI_OK);
    strcpy(path, "overwritten");
    assert_int_equal(fsi_node_size(f), 100);
    assert_int_equal(fsi_node_source(f)->kind, FSI_SOURCE_HOST_FILE);
    assert_string_equal(fsi_node_source(f)->u.host_path, "/a/host/path");
    assert_ptr_not_equal(fsi_node_source(f)->u.host_path, path);
    assert_int_equal(fsi_tree_set_file_data(tree, d, 0, &host), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_set_file_data(tree, f, 4, &bad), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_set_file_data(tree, f, 4, NULL), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_change_point(tree), 3);
    assert_int_equal(fsi_node_source(d)->kind, FSI_SOURCE_NONE);
    fsi_tree_destroy(tree);
}

/* ---- lookups ---- */

static void test_lookup_ignores_leading_trailing_and_repeated_separators(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a, *b, *f, *out = NULL;
    (void)state;

    a = dir(tree, root, "a");
    b = dir(tree, a, "Bee");
    f = file(tree, b, "f.txt");
    assert_int_equal(lookup(tree, root, "a\\bee\\F.TXT", &out), FSI_OK);
    assert_ptr_equal(out, f);
    assert_int_equal(lookup(tree, root, "\\\\a//BEE\\/f.txt\\", &out), FSI_OK);
    assert_ptr_equal(out, f);
    assert_int_equal(lookup(tree, root, "/a/", &out), FSI_OK);
    assert_ptr_equal(out, a);
    assert_int_equal(lookup(tree, a, "bee", &out), FSI_OK);
    assert_ptr_equal(out, b);
    assert_int_equal(lookup(tree, a, "", &out), FSI_OK);
    assert_ptr_equal(out, a);
    assert_int_equal(lookup(tree, a, "\\//", &out), FSI_OK);
    assert_ptr_equal(out, a);
    assert_int_equal(fsi_tree_lookup(tree, root, NULL, 0, &out), FSI_OK);
    assert_ptr_equal(out, root);
    fsi_tree_destroy(tree);
}

static void test_lookup_reports_not_found_not_directory_and_invalid_paths(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a = dir(tree, root, "a"), *out;
    (void)state;

    file(tree, a, "file");
    out = root;
    assert_int_equal(lookup(tree, root, "a\\missing", &out), FSI_E_NOT_FOUND);
    assert_null(out);
    assert_int_equal(lookup(tree, root, "missing\\a", &out), FSI_E_NOT_FOUND);
    assert_int_equal(lookup(tree, root, "a\\file\\x", &out), FSI_E_NOT_DIRECTORY);
    assert_int_equal(lookup(tree, find(tree, a, "file"), "x", &out), FSI_E_NOT_DIRECTORY);
    assert_int_equal(lookup(tree, root, "a\\..\\a", &out), FSI_E_INVALID_PATH);
    assert_int_equal(lookup(tree, root, "a\\.", &out), FSI_E_INVALID_PATH);
    assert_int_equal(lookup(tree, root, "a\\b?c", &out), FSI_E_INVALID_PATH);
    assert_int_equal(lookup(tree, root, "missing\\b:c", &out), FSI_E_INVALID_PATH);
    assert_int_equal(fsi_tree_lookup(tree, root, NULL, 3, &out), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_lookup(tree, NULL, NULL, 0, &out), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_tree_lookup(tree, root, NULL, 0, NULL), FSI_E_INVALID_ARGUMENT);
    fsi_tree_destroy(tree);
}

static void test_lookup_works_inside_a_detached_directory(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *d = new_dir(tree, "d"), *sub = dir(tree, d, "sub"), *f, *out;
    (void)state;

    f = file(tree, sub, "f");
    assert_int_equal(lookup(tree, d, "sub/f", &out), FSI_OK);
    assert_ptr_equal(out, f);
    assert_int_equal(lookup(tree, fsi_tree_root(tree), "d", &out), FSI_E_NOT_FOUND);
    fsi_tree_destroy(tree);
}

static void test_lookup_parent_gives_the_directory_and_the_unchecked_leaf(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a = dir(tree, root, "a"), *b, *parent;
    uint16_t path[64];
    size_t length, leaf_length;
    const uint16_t *leaf;
    (void)state;

    b = dir(tree, a, "b");
    file(tree, b, "file");
    length = units_of("/a//B/new*name/", path);
    assert_int_equal(fsi_tree_lookup_parent(tree, root, path, length, &parent, &leaf,
                                            &leaf_length),
                     FSI_OK);
    assert_ptr_equal(parent, b);
    assert_ptr_equal(leaf, path + 6);
    assert_int_equal(leaf_length, 8);
    length = units_of("top", path);
    assert_int_equal(fsi_tree_lookup_parent(tree, a, path, length, &parent, &leaf,
                                            &leaf_length),
                     FSI_OK);
    assert_ptr_equal(parent, a);
    assert_ptr_equal(leaf, path);
    assert_int_equal(leaf_length, 3);

    length = units_of("a\\missing\\x", path);
    assert_int_equal(fsi_tree_lookup_parent(tree, root, path, length, &parent, &leaf,
                                            &leaf_length),
                     FSI_E_NOT_FOUND);
    assert_null(parent);
    length = units_of("a\\b\\file\\x", path);
    assert_int_equal(fsi_tree_lookup_parent(tree, root, path, length, &parent, &leaf,
                                            &leaf_length),
                     FSI_E_NOT_DIRECTORY);
    length = units_of("a\\b|c\\x", path);
    assert_int_equal(fsi_tree_lookup_parent(tree, root, path, length, &parent, &leaf,
                                            &leaf_length),
                     FSI_E_INVALID_PATH);
    length = units_of("\\\\", path);
    assert_int_equal(fsi_tree_lookup_parent(tree, root, path, length, &parent, &leaf,
                                            &leaf_length),
                     FSI_E_INVALID_PATH);
    assert_int_equal(fsi_tree_lookup_parent(tree, root, path, 0, &parent, &leaf, &leaf_length),
                     FSI_E_INVALID_PATH);
    assert_int_equal(fsi_tree_lookup_parent(tree, root, path, 0, NULL, &leaf, &leaf_length),
                     FSI_E_INVALID_ARGUMENT);
    fsi_tree_destroy(tree);
}

/* ---- full paths ---- */

static void test_path_of_root_attached_and_detached_nodes(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a = dir(tree, root, "a"), *f;
    struct fsi_node *loose = new_dir(tree, "loose"), *inner;
    uint16_t small[4] = { 0, 0, 0, 0x7777 };
    (void)state;

    f = file(tree, a, "file.txt");
    inner = file(tree, dir(tree, loose, "sub"), "x");
    assert_string_equal(path_of(root), "\\");
    assert_string_equal(path_of(a), "\\a");
    assert_string_equal(path_of(f), "\\a\\file.txt");
    assert_string_equal(path_of(loose), "\\loose");
    assert_string_equal(path_of(inner), "\\loose\\sub\\x");
    /* A short buffer gets the beginning; the return is the whole length. */
    assert_int_equal(fsi_node_path(f, small, 3), 11);
    assert_int_equal(small[0], '\\');
    assert_int_equal(small[1], 'a');
    assert_int_equal(small[2], '\\');
    assert_int_equal(small[3], 0x7777);
    assert_int_equal(fsi_node_path(root, NULL, 0), 1);
    assert_int_equal(fsi_node_path(f, NULL, 0), 11);
    fsi_tree_destroy(tree);
}

/* ---- node properties ---- */

static void test_times_hidden_flag_and_source_read_back(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *f;
    struct counted counted = { 0, 0 };
    fsi_time c = 0, a = 0, m = 0;
    (void)state;

    f = counted_file(tree, fsi_tree_root(tree), "f", &counted);
    fsi_node_set_times(f, 10, 20, 30);
    fsi_node_times(f, &c, &a, &m);
    assert_true(c == 10 && a == 20 && m == 30);
    fsi_node_times(f, NULL, NULL, &m);
    assert_true(m == 30);
    assert_false(fsi_node_is_hidden(f));
    fsi_node_set_hidden(f, 7);
    assert_int_equal(fsi_node_is_hidden(f), 1);
    assert_int_equal(fsi_node_source(f)->kind, FSI_SOURCE_CALLBACK);
    assert_ptr_equal(fsi_node_source(f)->u.callback.context, &counted);
    assert_int_equal(fsi_node_size(f), 10);
    fsi_tree_destroy(tree);
    assert_int_equal(counted.releases, 1);
}

static void test_every_node_keeps_a_unique_id_below_the_limit(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *nodes[6];
    unsigned char seen[16] = { 0 };
    size_t i;
    (void)state;

    nodes[0] = dir(tree, fsi_tree_root(tree), "a");
    nodes[1] = file(tree, nodes[0], "b");
    nodes[2] = new_dir(tree, "c");
    assert_int_equal(fsi_tree_rollback(tree, 0), FSI_OK);
    nodes[3] = file(tree, fsi_tree_root(tree), "a");   /* the old "a" is detached */
    nodes[4] = file(tree, nodes[2], "d");
    nodes[5] = new_file(tree, "e");
    assert_int_equal(fsi_tree_root(tree)->id, 0);
    for (i = 0; i < 6; i++) {
        assert_true(nodes[i]->id > 0 && nodes[i]->id < tree_node_id_limit(tree));
        assert_false(seen[nodes[i]->id]);
        seen[nodes[i]->id] = 1;
    }
    assert_int_equal(tree_node_id_limit(tree), 7);
    fsi_tree_destroy(tree);
}

/* ---- snapshots ---- */

static void test_snapshot_copies_the_attached_tree_in_order(void **state)
{
    struct fsi_tree *tree = fsi_tree_create(), *copy = NULL;
    struct fsi_node *root = fsi_tree_root(tree), *a, *f, *out;
    struct fsi_source host = fsi_source_host_file("/host/data");
    uint16_t name[4];
    size_t i;
    int seen[8] = { 0 };
    (void)state;

    a = dir(tree, root, "a");
    dir(tree, a, "z");
    assert_int_equal(fsi_tree_add_file(tree, a, name, units_of("h", name), 5, &host, &f), FSI_OK);
    fsi_node_set_times(f, 1, 2, 3);
    fsi_node_set_hidden(f, 1);
    fsi_node_set_realtime(f, 1);
    file(tree, a, "b");
    file(tree, root, "top");
    file(tree, new_dir(tree, "loose"), "inside");
    assert_int_equal(fsi_tree_snapshot(tree, &copy), FSI_OK);
    assert_non_null(copy);
    assert_counts(copy, 3, 2);
    assert_int_equal(fsi_tree_change_point(copy), 0);
    assert_string_equal(children_of(fsi_tree_root(copy)), "a,top");
    assert_int_equal(lookup(copy, fsi_tree_root(copy), "a", &out), FSI_OK);
    assert_ptr_not_equal(out, a);
    assert_string_equal(children_of(out), "z,h,b");
    assert_int_equal(lookup(copy, fsi_tree_root(copy), "A\\H", &out), FSI_OK);
    assert_int_equal(fsi_node_size(out), 5);
    assert_true(fsi_node_is_hidden(out));
    assert_true(fsi_node_is_realtime(out));
    assert_true(fsi_node_is_attached(out));
    assert_true(out->modified == 3 && out->created == 1 && out->accessed == 2);
    assert_string_equal(fsi_node_source(out)->u.host_path, "/host/data");
    assert_ptr_not_equal(fsi_node_source(out)->u.host_path, fsi_node_source(f)->u.host_path);
    assert_string_equal(path_of(out), "\\a\\h");
    /* The copy's ids are 1..n. */
    assert_int_equal(tree_node_id_limit(copy), 6);
    for (out = fsi_tree_root(copy); out; out = tree_next_in_subtree(fsi_tree_root(copy), out))
        seen[out->id]++;
    for (i = 0; i < 6; i++)
        assert_int_equal(seen[i], 1);
    assert_table_consistent(copy);
    fsi_tree_destroy(copy);
    assert_table_consistent(tree);
    fsi_tree_destroy(tree);
}

static void test_snapshot_stays_as_it_was_when_the_original_changes(void **state)
{
    static const char bytes[] = "abcdef";
    struct fsi_tree *tree = fsi_tree_create(), *copy = NULL;
    struct fsi_node *root = fsi_tree_root(tree), *a, *f, *out;
    struct fsi_source memory = fsi_source_memory(bytes, 6);
    (void)state;

    a = dir(tree, root, "a");
    f = file(tree, a, "f");
    assert_int_equal(fsi_tree_snapshot(tree, &copy), FSI_OK);
    assert_int_equal(fsi_tree_set_file_data(tree, f, 6, &memory), FSI_OK);
    assert_int_equal(fsi_tree_remove(tree, a, 1), FSI_OK);
    file(tree, root, "new");
    fsi_node_set_hidden(f, 1);
    assert_int_equal(fsi_tree_rollback(tree, 1), FSI_OK);
    assert_counts(copy, 1, 1);
    assert_string_equal(children_of(fsi_tree_root(copy)), "a");
    assert_int_equal(lookup(copy, fsi_tree_root(copy), "a\\f", &out), FSI_OK);
    assert_int_equal(fsi_node_size(out), 0);
    assert_int_equal(fsi_node_source(out)->kind, FSI_SOURCE_NONE);
    assert_false(fsi_node_is_hidden(out));
    /* And the copy can change without touching the original. */
    assert_int_equal(fsi_tree_remove(copy, out, 0), FSI_OK);
    assert_counts(tree, 0, 1);
    fsi_tree_destroy(tree);
    assert_string_equal(children_of(fsi_tree_root(copy)), "a");
    fsi_tree_destroy(copy);
}

static void test_snapshot_retains_each_copied_callback_source_and_releases_it(void **state)
{
    struct fsi_tree *tree = fsi_tree_create(), *copy1 = NULL, *copy2 = NULL;
    struct fsi_node *root = fsi_tree_root(tree), *loose;
    struct counted shared = { 0, 0 }, detached = { 0, 0 };
    (void)state;

    counted_file(tree, root, "one", &shared);
    counted_file(tree, dir(tree, root, "d"), "two", &shared);
    loose = new_dir(tree, "loose");
    counted_file(tree, loose, "not copied", &detached);
    assert_int_equal(fsi_tree_snapshot(tree, &copy1), FSI_OK);
    assert_int_equal(shared.retains, 2);
    assert_int_equal(detached.retains, 0);
    assert_int_equal(fsi_tree_snapshot(tree, &copy2), FSI_OK);
    assert_int_equal(shared.retains, 4);
    fsi_tree_destroy(copy1);
    assert_int_equal(shared.releases, 2);
    fsi_tree_destroy(tree);
    assert_int_equal(shared.releases, 4);
    assert_int_equal(detached.releases, 1);
    fsi_tree_destroy(copy2);
    assert_int_equal(shared.releases, 6);
    assert_int_equal(shared.retains, 4);
}

static void test_snapshot_refuses_a_source_that_releases_but_cannot_be_retained(void **state)
{
    struct fsi_tree *tree = fsi_tree_create(), *copy = (struct fsi_tree *)1;
    struct counted counted = { 0, 0 };
    struct fsi_source source = fsi_source_callback(&release_only_callbacks, &counted);
    uint16_t name[2];
    (void)state;

    assert_int_equal(fsi_tree_add_file(tree, fsi_tree_root(tree), name, units_of("f", name), 1,
                                       &source, NULL),
                     FSI_OK);
    assert_int_equal(fsi_tree_snapshot(tree, &copy), FSI_E_INVALID_ARGUMENT);
    assert_null(copy);
    assert_int_equal(fsi_tree_snapshot(tree, NULL), FSI_E_INVALID_ARGUMENT);
    fsi_tree_destroy(tree);
    assert_int_equal(counted.releases, 1);
}

/* ---- releasing sources ---- */

static void test_destroy_releases_every_source_once_after_new_data_rollback_and_lock_in(
    void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *f, *g, *removed;
    struct counted first = { 0, 0 }, rolled_back = { 0, 0 }, locked = { 0, 0 };
    struct counted pending_old = { 0, 0 }, pending_new = { 0, 0 };
    struct counted removed_source = { 0, 0 }, added_then_undone = { 0, 0 }, loose = { 0, 0 };
    struct fsi_source source = fsi_source_callback(&counted_callbacks, &loose);
    struct fsi_node *unused;
    uint16_t name[8];
    uint32_t point;
    (void)state;

    f = counted_file(tree, root, "f", &first);
    removed = counted_file(tree, root, "removed", &removed_source);
    assert_int_equal(fsi_tree_new_file(tree, name, units_of("loose", name), 10, &source,
                                       &unused),
                     FSI_OK);
    point = fsi_tree_change_point(tree);
    set_counted_data(tree, f, 3, &rolled_back);
    g = counted_file(tree, root, "g", &added_then_undone);
    assert_int_equal(fsi_tree_rollback(tree, point), FSI_OK);
    /* The data set after the point is let go at once; the first data is back. */
    assert_int_equal(rolled_back.releases, 1);
    assert_int_equal(first.releases, 0);
    assert_ptr_equal(fsi_node_source(f)->u.callback.context, &first);
    assert_int_equal(added_then_undone.releases, 0);   /* g is detached, still usable */
    assert_ptr_equal(fsi_node_source(g)->u.callback.context, &added_then_undone);

    set_counted_data(tree, f, 4, &locked);
    assert_int_equal(fsi_tree_remove(tree, removed, 0), FSI_OK);
    fsi_tree_lock_in(tree);
    /* Locked in: the replaced first data is let go; the removed node keeps its own. */
    assert_int_equal(first.releases, 1);
    assert_int_equal(removed_source.releases, 0);
    assert_ptr_equal(fsi_node_source(removed)->u.callback.context, &removed_source);

    set_counted_data(tree, f, 5, &pending_old);
    set_counted_data(tree, f, 6, &pending_new);
    assert_int_equal(locked.releases, 0);
    fsi_tree_destroy(tree);
    assert_int_equal(first.releases, 1);
    assert_int_equal(rolled_back.releases, 1);
    assert_int_equal(locked.releases, 1);
    assert_int_equal(pending_old.releases, 1);
    assert_int_equal(pending_new.releases, 1);
    assert_int_equal(removed_source.releases, 1);
    assert_int_equal(added_then_undone.releases, 1);
    assert_int_equal(loose.releases, 1);
}

static uint32_t image_sectors(const struct fsi_tree *tree)
{
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    uint32_t sectors;

    fsi_image_options_init(&options, 0);
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    sectors = fsi_image_sector_count(image);
    fsi_image_destroy(image);
    return sectors;
}

static void test_images_see_only_attached_items_and_a_snapshot_gives_the_same_image(void **state)
{
    static const char bytes[5000] = "x";
    struct fsi_tree *tree = fsi_tree_create(), *copy = NULL, *plain = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *a, *big;
    struct fsi_source memory = fsi_source_memory(bytes, sizeof(bytes));
    uint16_t name[8];
    uint32_t expected;
    (void)state;

    /* The same attached tree made without any detour. */
    a = dir(plain, fsi_tree_root(plain), "a");
    assert_int_equal(fsi_tree_add_file(plain, a, name, units_of("big", name), sizeof(bytes),
                                       &memory, NULL),
                     FSI_OK);
    expected = image_sectors(plain);

    a = dir(tree, root, "a");
    assert_int_equal(fsi_tree_add_file(tree, a, name, units_of("big", name), sizeof(bytes),
                                       &memory, &big),
                     FSI_OK);
    file(tree, dir(tree, root, "gone"), "x");
    assert_int_equal(fsi_tree_remove(tree, find(tree, root, "gone"), 1), FSI_OK);
    assert_int_equal(fsi_tree_set_file_data(tree, new_file(tree, "loose"), sizeof(bytes),
                                            &memory),
                     FSI_OK);
    file(tree, dir(tree, root, "undone"), "y");
    assert_int_equal(fsi_tree_rollback(tree, 6), FSI_OK);
    assert_int_equal(image_sectors(tree), expected);
    assert_int_equal(fsi_tree_snapshot(tree, &copy), FSI_OK);
    assert_int_equal(image_sectors(copy), expected);
    fsi_tree_destroy(copy);
    fsi_tree_destroy(plain);
    fsi_tree_destroy(tree);
}

/* ---- scale ---- */

#define WIDE 100000

static void test_hundred_thousand_items_keep_counts_and_lookups_exact(void **state)
{
    struct fsi_tree *tree = fsi_tree_create(), *copy = NULL;
    struct fsi_node *root = fsi_tree_root(tree), *big, *out;
    char name[32];
    uint32_t point;
    size_t i;
    (void)state;

    big = dir(tree, root, "big");
    for (i = 0; i < WIDE; i++) {
        sprintf(name, "file%zu.dat", i);
        file(tree, i % 2 ? big : root, name);
    }
    assert_counts(tree, WIDE, 1);
    point = fsi_tree_change_point(tree);
    assert_int_equal(fsi_tree_remove(tree, big, 1), FSI_OK);
    assert_counts(tree, WIDE / 2, 0);
    for (i = WIDE; i >= 2; i -= 2) {   /* from the end: each removal is O(1) */
        sprintf(name, "FILE%zu.DAT", i - 2);
        assert_int_equal(fsi_tree_remove(tree, find(tree, root, name), 0), FSI_OK);
    }
    assert_counts(tree, 0, 0);
    assert_int_equal(fsi_tree_rollback(tree, point), FSI_OK);
    assert_counts(tree, WIDE, 1);
    assert_ptr_equal(fsi_node_child(root, 0), big);
    sprintf(name, "file%d.dat", WIDE - 2);
    assert_ptr_equal(fsi_node_child(root, WIDE / 2), find(tree, root, name));
    assert_int_equal(lookup(tree, root, "/big/file99999.dat", &out), FSI_OK);
    assert_int_equal(fsi_tree_snapshot(tree, &copy), FSI_OK);
    assert_counts(copy, WIDE, 1);
    assert_int_equal(lookup(copy, fsi_tree_root(copy), "big\\FILE77777.dat", &out), FSI_OK);
    assert_int_equal(tree_node_id_limit(copy), WIDE + 2);
    fsi_tree_destroy(copy);
    fsi_tree_destroy(tree);
}

#define DEEP 100000

static void test_a_very_deep_chain_moves_and_copies_without_recursion(void **state)
{
    struct fsi_tree *tree = fsi_tree_create(), *copy = NULL;
    struct fsi_node *top = new_dir(tree, "d"), *node = top, *out;
    size_t i;
    (void)state;

    for (i = 1; i < DEEP; i++)
        node = dir(tree, node, "d");
    file(tree, node, "leaf");
    assert_int_equal(fsi_tree_attach(tree, fsi_tree_root(tree), top), FSI_OK);
    assert_counts(tree, 1, DEEP);
    assert_int_equal(fsi_node_path(find(tree, node, "leaf"), NULL, 0), DEEP * 2 + 5);
    assert_int_equal(fsi_tree_snapshot(tree, &copy), FSI_OK);
    assert_counts(copy, 1, DEEP);
    out = fsi_tree_root(copy);
    for (i = 0; i < DEEP; i++) {
        assert_int_equal(fsi_node_child_count(out), 1);
        out = fsi_node_child(out, 0);
    }
    assert_int_equal(fsi_node_is_directory(fsi_node_child(out, 0)), 0);
    assert_int_equal(fsi_tree_remove(tree, top, 1), FSI_OK);
    assert_counts(tree, 0, 0);
    fsi_tree_destroy(copy);
    fsi_tree_destroy(tree);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_counts_files_and_directories_below_the_root),
        cmocka_unit_test(test_add_refuses_duplicates_in_any_case_bad_names_and_file_parents),
        cmocka_unit_test(test_add_refuses_a_parent_of_another_tree),
        cmocka_unit_test(test_new_items_are_detached_uncounted_and_not_changes),
        cmocka_unit_test(test_add_under_a_detached_directory_stays_detached),
        cmocka_unit_test(test_attach_of_a_detached_directory_with_children_counts_them),
        cmocka_unit_test(test_attach_into_a_detached_directory_keeps_both_detached),
        cmocka_unit_test(test_attach_refuses_the_root_an_attached_node_and_a_file_parent),
        cmocka_unit_test(test_attach_that_would_make_a_cycle_is_refused),
        cmocka_unit_test(test_attach_refuses_a_duplicate_name_in_any_case),
        cmocka_unit_test(test_remove_detaches_the_subtree_and_find_no_longer_finds_it),
        cmocka_unit_test(test_remove_of_a_directory_with_children_needs_recursive),
        cmocka_unit_test(test_remove_refuses_the_root_and_nodes_without_a_parent),
        cmocka_unit_test(test_a_removed_node_can_be_attached_again_elsewhere),
        cmocka_unit_test(test_remove_inside_a_detached_directory),
        cmocka_unit_test(test_change_point_counts_changes_but_not_new_items_times_or_hidden),
        cmocka_unit_test(test_remove_then_rollback_restores_position),
        cmocka_unit_test(test_rollback_of_adds_leaves_valid_detached_nodes),
        cmocka_unit_test(test_rollback_undoes_mixed_changes_newest_first),
        cmocka_unit_test(test_lock_in_forgets_earlier_changes_but_later_ones_roll_back),
        cmocka_unit_test(test_set_file_data_replaces_size_and_source_and_refuses_directories),
        cmocka_unit_test(test_lookup_ignores_leading_trailing_and_repeated_separators),
        cmocka_unit_test(test_lookup_reports_not_found_not_directory_and_invalid_paths),
        cmocka_unit_test(test_lookup_works_inside_a_detached_directory),
        cmocka_unit_test(test_lookup_parent_gives_the_directory_and_the_unchecked_leaf),
        cmocka_unit_test(test_path_of_root_attached_and_detached_nodes),
        cmocka_unit_test(test_times_hidden_flag_and_source_read_back),
        cmocka_unit_test(test_every_node_keeps_a_unique_id_below_the_limit),
        cmocka_unit_test(test_snapshot_copies_the_attached_tree_in_order),
        cmocka_unit_test(test_snapshot_stays_as_it_was_when_the_original_changes),
        cmocka_unit_test(test_snapshot_retains_each_copied_callback_source_and_releases_it),
        cmocka_unit_test(test_snapshot_refuses_a_source_that_releases_but_cannot_be_retained),
        cmocka_unit_test(
            test_destroy_releases_every_source_once_after_new_data_rollback_and_lock_in),
        cmocka_unit_test(test_images_see_only_attached_items_and_a_snapshot_gives_the_same_image),
        cmocka_unit_test(test_hundred_thousand_items_keep_counts_and_lookups_exact),
        cmocka_unit_test(test_a_very_deep_chain_moves_and_copies_without_recursion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
