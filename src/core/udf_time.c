/* UDF timestamps (src/core/udf_time.h), with the shared calendar (calendar.h). */
#include "udf_time.h"
#include "byte_order.h"
#include "calendar.h"

#define SECONDS_PER_MINUTE 60
#define TICKS_PER_CENTISECOND 100000
#define TICKS_PER_HUNDRED_MICROSECONDS 1000
#define TICKS_PER_MICROSECOND 10
#define NANOSECONDS_PER_TICK 100
#define LAST_TICK_OF_SECOND (FSI_TIME_TICKS_PER_SECOND - 1)

static int clamp_offset(int offset_minutes)
{
    if (offset_minutes < UDF_TIMESTAMP_TIMEZONE_MIN)
        return UDF_TIMESTAMP_TIMEZONE_MIN;
    if (offset_minutes > UDF_TIMESTAMP_TIMEZONE_MAX)
        return UDF_TIMESTAMP_TIMEZONE_MAX;
    return offset_minutes;
}

void udf_put_timestamp(struct udf_timestamp *ts, fsi_time t, int offset_minutes)
{
    int offset = clamp_offset(offset_minutes);
    int64_t first = calendar_days_from_civil(1, 1, 1) * CALENDAR_SECONDS_PER_DAY;
    int64_t last = calendar_days_from_civil(9999, 12, 31) * CALENDAR_SECONDS_PER_DAY
                   + CALENDAR_SECONDS_PER_DAY - 1;
    int32_t nanoseconds;
    int64_t seconds, ticks;
    struct civil_time civil;

    if (!ts)
        return;
    /* Never overflows: an fsi_time is under 10^12 seconds from 1970. */
    seconds = fsi_time_to_unix(t, &nanoseconds) + (int64_t)offset * SECONDS_PER_MINUTE;
    ticks = nanoseconds / NANOSECONDS_PER_TICK;
    if (seconds < first) {
        seconds = first;
        ticks = 0;
    } else if (seconds > last) {
        seconds = last;
        ticks = LAST_TICK_OF_SECOND;
    }
    calendar_civil_from_seconds(seconds, &civil);

    put_le16(ts->type_and_timezone,
             (uint16_t)((UDF_TIMESTAMP_TYPE_LOCAL << UDF_TIMESTAMP_TYPE_SHIFT)
                        | ((unsigned)offset & UDF_TIMESTAMP_TIMEZONE_MASK)));
    put_le16(ts->year, (uint16_t)civil.year);
    ts->month[0] = (uint8_t)civil.month;
    ts->day[0] = (uint8_t)civil.day;
    ts->hour[0] = (uint8_t)civil.hour;
    ts->minute[0] = (uint8_t)civil.minute;
    ts->second[0] = (uint8_t)civil.second;
    ts->centiseconds[0] = (uint8_t)(ticks / TICKS_PER_CENTISECOND);
    ts->hundreds_of_microseconds[0] = (uint8_t)(ticks / TICKS_PER_HUNDRED_MICROSECONDS % 100);
    ts->microseconds[0] = (uint8_t)(ticks / TICKS_PER_MICROSECOND % 100);
}

int udf_get_timestamp(const struct udf_timestamp *ts, fsi_time *t)
{
    uint16_t type_and_timezone;
    int type, offset, year;
    int centiseconds, hundreds, micro;
    struct civil_time civil;
    int64_t seconds;
    int32_t nanoseconds;

    if (!ts)
        return 0;
    type_and_timezone = get_le16(ts->type_and_timezone);
    type = type_and_timezone >> UDF_TIMESTAMP_TYPE_SHIFT;
    offset = type_and_timezone & UDF_TIMESTAMP_TIMEZONE_MASK;
    if (offset > UDF_TIMESTAMP_TIMEZONE_MASK / 2)
        offset -= UDF_TIMESTAMP_TIMEZONE_MASK + 1;      /* 12-bit two's complement */
    if (type == UDF_TIMESTAMP_TYPE_UTC) {
        offset = 0;
    } else if (type == UDF_TIMESTAMP_TYPE_LOCAL) {
        if (offset == UDF_TIMESTAMP_TIMEZONE_UNSPECIFIED)
            offset = 0;
        else if (offset < UDF_TIMESTAMP_TIMEZONE_MIN || offset > UDF_TIMESTAMP_TIMEZONE_MAX)
            return 0;
    } else {
        return 0;
    }

    year = get_le16(ts->year);
    if (year >= 0x8000)
        year -= 0x10000;                                /* a signed 16-bit number */
    if (year < 1 || year > 9999)
        return 0;
    civil.year = year;
    civil.month = ts->month[0];
    civil.day = ts->day[0];
    civil.hour = ts->hour[0];
    civil.minute = ts->minute[0];
    civil.second = ts->second[0];
    centiseconds = ts->centiseconds[0];
    hundreds = ts->hundreds_of_microseconds[0];
    micro = ts->microseconds[0];
    if (calendar_check(&civil) != 0 || centiseconds > 99 || hundreds > 99 || micro > 99)
        return 0;

    seconds = calendar_seconds_from_civil(&civil) - (int64_t)offset * SECONDS_PER_MINUTE;
    nanoseconds = (int32_t)(centiseconds * 10000000 + hundreds * 100000 + micro * 1000);
    if (t)
        *t = fsi_time_from_unix(seconds, nanoseconds);
    return 1;
}
