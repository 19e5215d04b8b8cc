/*
 * The proleptic Gregorian calendar (src/core/calendar.h): days counted from 1970-01-01 with Howard
 * Hinnant's days_from_civil and civil_from_days, which count years from March so leap days come
 * last in a year.
 */
#include "calendar.h"

int64_t calendar_floor_div(int64_t a, int64_t b)
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

int calendar_days_in_month(int64_t year, int month)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

int64_t calendar_days_from_civil(int64_t year, int month, int day)
{
    int64_t era, year_of_era, day_of_year, day_of_era;

    year -= month <= 2;
    era = calendar_floor_div(year, 400);
    year_of_era = year - era * 400;                                     /* 0-399 */
    day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;   /* 0-365 */
    day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

static void civil_from_days(int64_t days, struct civil_time *civil)
{
    int64_t era, day_of_era, year_of_era, day_of_year, shifted_month;

    days += 719468;                                                     /* from 0000-03-01 */
    era = calendar_floor_div(days, 146097);
    day_of_era = days - era * 146097;                                   /* 0-146096 */
    year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    shifted_month = (5 * day_of_year + 2) / 153;                        /* 0 = March */
    civil->day = (int)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    civil->month = (int)(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
    civil->year = year_of_era + era * 400 + (civil->month <= 2);
}

void calendar_civil_from_seconds(int64_t seconds, struct civil_time *civil)
{
    int64_t days = calendar_floor_div(seconds, CALENDAR_SECONDS_PER_DAY);
    int64_t second_of_day = seconds - days * CALENDAR_SECONDS_PER_DAY;

    civil_from_days(days, civil);
    civil->hour = (int)(second_of_day / 3600);
    civil->minute = (int)(second_of_day / 60 % 60);
    civil->second = (int)(second_of_day % 60);
}

int64_t calendar_seconds_from_civil(const struct civil_time *civil)
{
    return calendar_days_from_civil(civil->year, civil->month, civil->day)
               * CALENDAR_SECONDS_PER_DAY
           + civil->hour * 3600 + civil->minute * 60 + civil->second;
}

int calendar_check(const struct civil_time *civil)
{
    if (civil->month < 1 || civil->month > 12)
        return -1;
    if (civil->day < 1 || civil->day > calendar_days_in_month(civil->year, civil->month))
        return -1;
    if (civil->hour < 0 || civil->hour > 23 || civil->minute < 0 || civil->minute > 59
        || civil->second < 0 || civil->second > 59)
        return -1;
    return 0;
}
