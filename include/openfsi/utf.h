/*
 * UTF-8 <-> UTF-16 conversion for names and messages: the tree stores UTF-16 (as Windows does),
 * host paths and messages are UTF-8. Invalid input is replaced with U+FFFD, never rejected here;
 * callers that must refuse bad names check them (fsi_tree_add_* does).
 */
#ifndef OPENFSI_UTF_H
#define OPENFSI_UTF_H

#include <stddef.h>
#include <stdint.h>

/* Writes at most `capacity` units and returns how many the whole conversion needs. */
size_t fsi_utf8_to_utf16(const char *text, size_t length, uint16_t *out, size_t capacity);

/* Writes at most `capacity` bytes including a terminating NUL (when capacity > 0) and returns
   how many bytes the whole conversion needs without the NUL. */
size_t fsi_utf16_to_utf8(const uint16_t *text, size_t length, char *out, size_t capacity);

#endif
