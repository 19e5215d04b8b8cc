/*
 * ISO 9660 dates (src/core/iso_time.h). Times are split into civil fields with the shared
 * proleptic Gregorian calendar (calendar.h), so every fsi_time is in range.
 */
#include "iso_time.h"
#include "calendar.h"

#define SECONDS_PER_QUARTER_HOUR 900
#define NANOSECONDS_PER_HUNDREDTH 10000000

static int clamp_offset(int gmt_offset_quarters)
{
    if (gmt_offset_quarters < ISO_GMT_OFFSET_MIN)
        return ISO_GMT_OFFSET_MIN;
    if (gmt_offset_quarters > ISO_GMT_OFFSET_MAX)
        return ISO_GMT_OFFSET_MAX;
    return gmt_offset_quarters;
}

/*
 * Local seconds since 1970 at the offset, kept within [first year, last year] with the
 * nanoseconds set to match a clamped end. Seconds never overflow: an fsi_time is under 10^12 s.
 */
static int64_t local_seconds(fsi_time t, int offset, int64_t first_year, int64_t last_year,
                             int32_t *nanoseconds)
{
    int64_t first = calendar_days_from_civil(first_year, 1, 1) * CALENDAR_SECONDS_PER_DAY;
    int64_t last = calendar_days_from_civil(last_year, 12, 31) * CALENDAR_SECONDS_PER_DAY
                   + CALENDAR_SECONDS_PER_DAY - 1;
    int64_t seconds = fsi_time_to_unix(t, nanoseconds) + (int64_t)offset * SECONDS_PER_QUARTER_HOUR;

    if (seconds < first) {
        *nanoseconds = 0;
        return first;
    }
    if (seconds > last) {
        *nanoseconds = 999999999;
        return last;
    }
    return seconds;
}

void iso_dir_record_date(fsi_time t, int gmt_offset_quarters, uint8_t out[7])
{
    int offset = clamp_offset(gmt_offset_quarters);
    int32_t nanoseconds;
    struct civil_time civil;

    calendar_civil_from_seconds(local_seconds(t, offset, 1900, 2155, &nanoseconds), &civil);
    out[0] = (uint8_t)(civil.year - 1900);
    out[1] = (uint8_t)civil.month;
    out[2] = (uint8_t)civil.day;
    out[3] = (uint8_t)civil.hour;
    out[4] = (uint8_t)civil.minute;
    out[5] = (uint8_t)civil.second;
    out[6] = (uint8_t)offset;       /* two's complement, -48 is 0xD0 */
}

static void put_digits(uint8_t *out, int64_t value, int count)
{
    while (count-- > 0) {
        out[count] = (uint8_t)('0' + value % 10);
        value /= 10;
    }
}

void iso_volume_date(fsi_time t, int gmt_offset_quarters, uint8_t out[17])
{
    int offset = clamp_offset(gmt_offset_quarters);
    int32_t nanoseconds;
    struct civil_time civil;

    calendar_civil_from_seconds(local_seconds(t, offset, 1, 9999, &nanoseconds), &civil);
    put_digits(out, civil.year, 4);
    put_digits(out + 4, civil.month, 2);
    put_digits(out + 6, civil.day, 2);
    put_digits(out + 8, civil.hour, 2);
    put_digits(out + 10, civil.minute, 2);
    put_digits(out + 12, civil.second, 2);
    put_digits(out + 14, nanoseconds / NANOSECONDS_PER_HUNDREDTH, 2);
    out[16] = (uint8_t)offset;
}

void iso_volume_date_unset(uint8_t out[17])
{
    int i;
    for (i = 0; i < 16; i++)
        out[i] = '0';
    out[16] = 0;
}

/* The recorded offset byte as a signed number in *offset; -1 when out of range. */
static int parse_offset(uint8_t byte, int *offset)
{
    *offset = byte < 0x80 ? byte : byte - 0x100;
    return *offset >= ISO_GMT_OFFSET_MIN && *offset <= ISO_GMT_OFFSET_MAX ? 0 : -1;
}

static fsi_time utc_from_local(const struct civil_time *civil, int offset, int32_t nanoseconds)
{
    int64_t seconds =
        calendar_seconds_from_civil(civil) - (int64_t)offset * SECONDS_PER_QUARTER_HOUR;
    return fsi_time_from_unix(seconds, nanoseconds);
}

int iso_dir_record_date_parse(const uint8_t in[7], fsi_time *t)
{
    struct civil_time civil;
    int offset;

    civil.year = 1900 + in[0];
    civil.month = in[1];
    civil.day = in[2];
    civil.hour = in[3];
    civil.minute = in[4];
    civil.second = in[5];
    if (calendar_check(&civil) != 0 || parse_offset(in[6], &offset) != 0)
        return -1;
    if (t)
        *t = utc_from_local(&civil, offset, 0);
    return 0;
}

/* The number written in `count` ASCII digits, or -1 if any is not a digit. */
static int parse_digits(const uint8_t *in, int count)
{
    int value = 0;
    while (count-- > 0) {
        if (*in < '0' || *in > '9')
            return -1;
        value = value * 10 + (*in++ - '0');
    }
    return value;
}

int iso_volume_date_parse(const uint8_t in[17], fsi_time *t)
{
    struct civil_time civil;
    int hundredths, offset;

    civil.year = parse_digits(in, 4);
    civil.month = parse_digits(in + 4, 2);
    civil.day = parse_digits(in + 6, 2);
    civil.hour = parse_digits(in + 8, 2);
    civil.minute = parse_digits(in + 10, 2);
    civil.second = parse_digits(in + 12, 2);
    hundredths = parse_digits(in + 14, 2);
    /* A non-digit makes its field -1, which the range checks refuse. */
    if (civil.year < 1 || hundredths < 0)
        return -1;
    if (calendar_check(&civil) != 0 || parse_offset(in[16], &offset) != 0)
        return -1;
    if (t)
        *t = utc_from_local(&civil, offset, hundredths * NANOSECONDS_PER_HUNDREDTH);
    return 0;
}
