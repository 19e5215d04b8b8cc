/*
 * The tool's copy of big host files from a mapping (src/tool/host_copy.c): the bytes it writes
 * equal the file's from any offset, a window at a time; a file whose size is not the image's
 * fails, before or while it is copied; a file that shrinks under the mapping fails without a
 * SIGBUS; a file that grew fails at its end.
 */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "host_copy.h"

#define SIZE (20u * 1024 * 1024 + 12345)   /* more than two windows, not a whole page */

struct files {
    char source[64], output[64];
    uint8_t *data;
    int out;
};

static int setup(void **state)
{
    struct files *f = calloc(1, sizeof(*f));
    size_t i;
    int fd;

    snprintf(f->source, sizeof(f->source), "/tmp/openfsi-hostcopy-XXXXXX");
    snprintf(f->output, sizeof(f->output), "/tmp/openfsi-hostcopy-out-XXXXXX");
    f->data = malloc(SIZE);
    for (i = 0; i < SIZE; i++)
        f->data[i] = (uint8_t)(i * 131 + (i >> 12));
    fd = mkstemp(f->source);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, f->data, SIZE), SIZE);
    close(fd);
    f->out = mkstemp(f->output);
    assert_true(f->out >= 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct files *f = *state;
    close(f->out);
    unlink(f->source);
    unlink(f->output);
    free(f->data);
    free(f);
    return 0;
}

/* Copies [from, from + length) the way the tool's loop does; -1 at the first failure. */
static long long copy_range(struct files *f, uint64_t from, uint64_t length, uint64_t size,
                            char *message, size_t message_size)
{
    struct host_copy copy;
    uint64_t done = 0;

    host_copy_init(&copy);
    while (done < length) {
        long long n = host_copy_write(&copy, f->out, f->source, from + done, length - done, size,
                                      message, message_size);
        if (n <= 0) {
            host_copy_close(&copy);
            return -1;
        }
        assert_true((uint64_t)n <= length - done);
        done += (uint64_t)n;
    }
    host_copy_close(&copy);
    return (long long)done;
}

static uint8_t *output_bytes(struct files *f, size_t *length)
{
    off_t end = lseek(f->out, 0, SEEK_END);
    uint8_t *bytes = malloc((size_t)end + 1);
    assert_int_equal(pread(f->out, bytes, (size_t)end, 0), end);
    *length = (size_t)end;
    return bytes;
}

static void test_the_whole_file_and_a_part_from_an_odd_offset_are_copied_exactly(void **state)
{
    struct files *f = *state;
    char message[512] = "";
    uint8_t *bytes;
    size_t length;

    assert_int_equal(copy_range(f, 0, SIZE, SIZE, message, sizeof(message)), SIZE);
    assert_int_equal(copy_range(f, 4097, SIZE - 4097, SIZE, message, sizeof(message)),
                     SIZE - 4097);
    bytes = output_bytes(f, &length);
    assert_int_equal(length, 2 * (size_t)SIZE - 4097);
    assert_memory_equal(bytes, f->data, SIZE);
    assert_memory_equal(bytes + SIZE, f->data + 4097, SIZE - 4097);
    free(bytes);
}

static void test_a_file_of_another_size_fails_before_anything_is_written(void **state)
{
    struct files *f = *state;
    char message[512] = "";
    size_t length;

    assert_int_equal(copy_range(f, 0, SIZE, SIZE + 1, message, sizeof(message)), -1);
    assert_non_null(strstr(message, "ended early"));
    assert_non_null(strstr(message, f->source));
    assert_int_equal(copy_range(f, 0, SIZE - 1, SIZE - 1, message, sizeof(message)), -1);
    assert_non_null(strstr(message, "more bytes"));
    free(output_bytes(f, &length));
    assert_int_equal(length, 0);
    assert_int_equal(copy_range(f, 0, 100, 100, message, sizeof(message)), -1);  /* longer */
    assert_int_equal(copy_range(f, 0, 1, SIZE, message, sizeof(message)), 1);
}

static void test_a_file_that_shrinks_or_grows_while_it_is_copied_fails(void **state)
{
    struct files *f = *state;
    char message[512] = "";
    struct host_copy copy;
    long long n;
    int fd;

    /* Shrinks after its first window: the next window's write fails, without SIGBUS. */
    host_copy_init(&copy);
    n = host_copy_write(&copy, f->out, f->source, 0, SIZE, SIZE, message, sizeof(message));
    assert_true(n > 0 && n < (long long)SIZE);
    assert_int_equal(truncate(f->source, (off_t)n + 5000), 0);
    n = host_copy_write(&copy, f->out, f->source, (uint64_t)n, SIZE - (uint64_t)n, SIZE, message,
                        sizeof(message));
    assert_int_equal(n, -1);
    assert_non_null(strstr(message, "shrank"));
    host_copy_close(&copy);

    /* Grows after it was opened: its last window fails the check at its end. */
    fd = open(f->source, O_WRONLY | O_TRUNC);
    assert_int_equal(write(fd, f->data, SIZE), SIZE);
    close(fd);
    host_copy_init(&copy);
    n = host_copy_write(&copy, f->out, f->source, 0, 1, SIZE, message, sizeof(message));
    assert_int_equal(n, 1);
    fd = open(f->source, O_WRONLY | O_APPEND);
    assert_int_equal(write(fd, "x", 1), 1);
    close(fd);
    n = host_copy_write(&copy, f->out, f->source, SIZE - 100, 100, SIZE, message,
                        sizeof(message));
    assert_int_equal(n, -1);
    assert_non_null(strstr(message, "more bytes"));
    host_copy_close(&copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_the_whole_file_and_a_part_from_an_odd_offset_are_copied_exactly, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_a_file_of_another_size_fails_before_anything_is_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_file_that_shrinks_or_grows_while_it_is_copied_fails,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
