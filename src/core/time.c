/* Conversion between fsi_time and Unix time (include/openfsi/time.h). */
#include "openfsi/time.h"

#define SECONDS_FROM_1601_TO_1970 INT64_C(11644473600)
#define NANOSECONDS_PER_SECOND 1000000000
#define NANOSECONDS_PER_TICK 100

/*
 * a / b rounded towards minus infinity, with the remainder in 0..b-1 (b > 0). C division truncates
 * towards zero, which would put times before an epoch in the wrong second. Never multiplies, so
 * it holds for INT64_MIN too.
 */
static int64_t floor_div_mod(int64_t a, int64_t b, int64_t *remainder)
{
    int64_t q = a / b, r = a % b;
    if (r < 0) {
        r += b;
        q--;
    }
    *remainder = r;
    return q;
}

fsi_time fsi_time_from_unix(int64_t seconds, int32_t nanoseconds)
{
    /* Bounds on whole seconds since 1601 that keep seconds * ticks + ticks within int64_t. */
    const int64_t max_seconds = INT64_MAX / FSI_TIME_TICKS_PER_SECOND - 1;
    const int64_t min_seconds = INT64_MIN / FSI_TIME_TICKS_PER_SECOND;
    int64_t rest;
    int64_t carry = floor_div_mod(nanoseconds, NANOSECONDS_PER_SECOND, &rest);

    /* Checked before adding anything, so the sums below cannot overflow. */
    if (seconds > max_seconds)
        return INT64_MAX;
    if (seconds < min_seconds)
        return INT64_MIN;
    seconds += carry + SECONDS_FROM_1601_TO_1970;
    if (seconds > max_seconds)
        return INT64_MAX;
    if (seconds < min_seconds)
        return INT64_MIN;
    return seconds * FSI_TIME_TICKS_PER_SECOND + rest / NANOSECONDS_PER_TICK;
}

int64_t fsi_time_to_unix(fsi_time t, int32_t *nanoseconds)
{
    int64_t ticks;
    int64_t seconds = floor_div_mod(t, FSI_TIME_TICKS_PER_SECOND, &ticks);

    if (nanoseconds)
        *nanoseconds = (int32_t)(ticks * NANOSECONDS_PER_TICK);
    return seconds - SECONDS_FROM_1601_TO_1970;
}
