/*
 * UDF timestamps (ECMA-167 1/7.3, UDF 2.60 2.1.4) from and to fsi_time: type 1, local time with
 * its offset from UTC in minutes, down to the microsecond. The calendar is the proleptic
 * Gregorian one of calendar.h, independent of the host's time zone. Which offset to record is the
 * caller's choice.
 */
#ifndef OPENFSI_CORE_UDF_TIME_H
#define OPENFSI_CORE_UDF_TIME_H

#include "ecma167.h"
#include "openfsi/time.h"

/*
 * Records t (UTC) as type 1: the fields are the local time at offset_minutes (clamped into
 * -1440..1440), the timezone field the offset as 12-bit two's complement. Centiseconds, hundreds
 * of microseconds and microseconds come from t's 100 ns ticks (the last tick is dropped). A local
 * time before 0001-01-01 00:00:00 is recorded as that, one after 9999-12-31 23:59:59.999999 as
 * that.
 */
void udf_put_timestamp(struct udf_timestamp *ts, fsi_time t, int offset_minutes);

/*
 * Reads a timestamp back as UTC into *t (may be NULL, to validate only). Returns 1, or 0 without
 * touching *t when it cannot be read: a type other than 0 (UTC) or 1 (local), a type 1 offset
 * outside -1440..1440 (-2047, "not specified", is read as UTC), year outside 1..9999, a day or
 * time of day that does not exist, or a sub-second field above 99.
 */
int udf_get_timestamp(const struct udf_timestamp *ts, fsi_time *t);

#endif
