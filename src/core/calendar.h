/*
 * The proleptic Gregorian calendar for the on-disc date formats (ISO 9660 in iso_time.c, UDF in
 * udf_time.c): seconds since 1970-01-01 00:00:00 to civil fields and back, with 64-bit arithmetic
 * so every fsi_time is in range, and without libc's time functions, so results never depend on
 * the host's time zone. No leap seconds, as in fsi_time. Time zones and clamping are the callers'.
 */
#ifndef OPENFSI_CORE_CALENDAR_H
#define OPENFSI_CORE_CALENDAR_H

#include <stdint.h>

#define CALENDAR_SECONDS_PER_DAY 86400

struct civil_time {
    int64_t year;
    int month;      /* 1-12 */
    int day;        /* 1-31 */
    int hour;       /* 0-23 */
    int minute;     /* 0-59 */
    int second;     /* 0-59 */
};

/* a / b rounded towards minus infinity (b > 0), so days and eras before 1970 come out right. */
int64_t calendar_floor_div(int64_t a, int64_t b);

int calendar_days_in_month(int64_t year, int month);

/* Days from 1970-01-01 to year-month-day (month 1-12; the day is not checked). */
int64_t calendar_days_from_civil(int64_t year, int month, int day);

/* Seconds since 1970 as civil fields, and back (the fields are not checked). */
void calendar_civil_from_seconds(int64_t seconds, struct civil_time *civil);
int64_t calendar_seconds_from_civil(const struct civil_time *civil);

/* 0 when the fields name a real day (of any year) and time of day, else -1. */
int calendar_check(const struct civil_time *civil);

#endif
