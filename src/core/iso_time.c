/*
 * ISO 9660 dates (src/core/iso_time.h). Times are split into civil fields by counting days from
 * 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil and
 * civil_from_days), with 64-bit arithmetic so every fsi_time is in range.
 */
#include "iso_time.h"

#define SECONDS_PER_DAY 86400
#define SECONDS_PER_QUARTER_HOUR 900
#define NANOSECONDS_PER_HUNDREDTH 10000000

struct civil_time {
    int64_t year;
    int month;      /* 1-12 */
    int day;        /* 1-31 */
    int hour;
    int minute;
    int second;
};

/* Division rounded towards minus infinity, so days and eras before 1970 come out right. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && (a < 0) != (b < 0))
        q--;
    return q;
}

static int is_leap_year(int64_t year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

static int days_in_month(int64_t year, int month)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

/* Days from 1970-01-01 to year-month-day. The year is counted from March so leap days come last. */
static int64_t days_from_civil(int64_t year, int month, int day)
{
    int64_t era, year_of_era, day_of_year, day_of_era;

    year -= month <= 2;
    era = floor_div(year, 400);
    year_of_era = year - era * 400;                                     /* 0-399 */
    day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;   /* 0-365 */
    day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

static void civil_from_days(int64_t days, struct civil_time *civil)
{
    int64_t era, day_of_era, year_of_era, day_of_year, shifted_month;

    days += 719468;                                                     /* from 0000-03-01 */
    era = floor_div(days, 146097);
    day_of_era = days - era * 146097;                                   /* 0-146096 */
    year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    shifted_month = (5 * day_of_year + 2) / 153;                        /* 0 = March */
    civil->day = (int)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    civil->month = (int)(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
    civil->year = year_of_era + era * 400 + (civil->month <= 2);
}

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
    int64_t first = days_from_civil(first_year, 1, 1) * SECONDS_PER_DAY;
    int64_t last = days_from_civil(last_year, 12, 31) * SECONDS_PER_DAY + SECONDS_PER_DAY - 1;
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

static void civil_from_seconds(int64_t seconds, struct civil_time *civil)
{
    int64_t days = floor_div(seconds, SECONDS_PER_DAY);
    int64_t second_of_day = seconds - days * SECONDS_PER_DAY;

    civil_from_days(days, civil);
    civil->hour = (int)(second_of_day / 3600);
    civil->minute = (int)(second_of_day / 60 % 60);
    civil->second = (int)(second_of_day % 60);
}

/* 0 when the fields name a real day and time of day; neither form records leap seconds. */
static int check_civil(const struct civil_time *civil)
{
    if (civil->month < 1 || civil->month > 12)
        return -1;
    if (civil->day < 1 || civil->day > days_in_month(civil->year, civil->month))
        return -1;
    if (civil->hour < 0 || civil->hour > 23 || civil->minute < 0 || civil->minute > 59
        || civil->second < 0 || civil->second > 59)
        return -1;
    return 0;
}

static int64_t seconds_from_civil(const struct civil_time *civil)
{
    return days_from_civil(civil->year, civil->month, civil->day) * SECONDS_PER_DAY
           + civil->hour * 3600 + civil->minute * 60 + civil->second;
}

void iso_dir_record_date(fsi_time t, int gmt_offset_quarters, uint8_t out[7])
{
    int offset = clamp_offset(gmt_offset_quarters);
    int32_t nanoseconds;
    struct civil_time civil;

    civil_from_seconds(local_seconds(t, offset, 1900, 2155, &nanoseconds), &civil);
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

    civil_from_seconds(local_seconds(t, offset, 1, 9999, &nanoseconds), &civil);
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
    int64_t seconds = seconds_from_civil(civil) - (int64_t)offset * SECONDS_PER_QUARTER_HOUR;
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
    if (check_civil(&civil) != 0 || parse_offset(in[6], &offset) != 0)
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
    if (check_civil(&civil) != 0 || parse_offset(in[16], &offset) != 0)
        return -1;
    if (t)
        *t = utc_from_local(&civil, offset, hundredths * NANOSECONDS_PER_HUNDREDTH);
    return 0;
}
