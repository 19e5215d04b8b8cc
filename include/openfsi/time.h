/*
 * The engine's one time type: 100-nanosecond ticks since 1601-01-01 00:00:00 UTC, which is a
 * Windows FILETIME read as a signed number, so the COM shell passes times through unchanged. It
 * counts no leap seconds, like Unix time. How a time is recorded on a disc belongs to each format
 * (src/core/iso_time.h for ISO 9660), not here.
 */
#ifndef OPENFSI_TIME_H
#define OPENFSI_TIME_H

#include <stdint.h>

typedef int64_t fsi_time;

#define FSI_TIME_TICKS_PER_SECOND 10000000
/* 1970-01-01 00:00:00 UTC as an fsi_time. */
#define FSI_TIME_UNIX_EPOCH INT64_C(116444736000000000)

/*
 * Seconds and nanoseconds since 1970 as an fsi_time, truncated to whole ticks (towards the past).
 * nanoseconds may lie outside 0..999999999; it is carried into the seconds. A time beyond the
 * range of fsi_time (about years -27600 to 30800) saturates to INT64_MIN or INT64_MAX.
 */
fsi_time fsi_time_from_unix(int64_t seconds, int32_t nanoseconds);

/*
 * Whole seconds since 1970, rounded towards the past (so times before 1970 stay ordered), and the
 * rest in *nanoseconds (0..999999900; may be NULL).
 */
int64_t fsi_time_to_unix(fsi_time t, int32_t *nanoseconds);

#endif
