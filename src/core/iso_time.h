/*
 * ISO 9660 dates and times: the 7-byte binary form of a directory record (ECMA-119 9.1.5) and the
 * 17-byte digit form of a volume descriptor (8.4.26.1), both written and parsed. Both record
 * local time together with its offset from GMT in 15-minute steps, -48 (west) to +52 (east).
 *
 * The calendar is the proleptic Gregorian one, computed here without libc's time functions, so
 * results never depend on the host's time zone. Which offset to record is the caller's choice.
 */
#ifndef OPENFSI_CORE_ISO_TIME_H
#define OPENFSI_CORE_ISO_TIME_H

#include <stdint.h>

#include "openfsi/time.h"

#define ISO_GMT_OFFSET_MIN (-48)
#define ISO_GMT_OFFSET_MAX 52

/*
 * Writes t (UTC) as the local time at gmt_offset_quarters, truncated to the second: years since
 * 1900, month, day, hour, minute, second, then the offset as a signed byte. An offset outside
 * -48..52 is clamped into it. A local time before 1900-01-01 00:00:00 is recorded as that, one
 * after 2155-12-31 23:59:59 as that.
 */
void iso_dir_record_date(fsi_time t, int gmt_offset_quarters, uint8_t out[7]);

/*
 * Writes t (UTC) as the local time at gmt_offset_quarters in the form "YYYYMMDDHHMMSScc" (cc:
 * hundredths of a second, truncated) and the offset as a signed byte. The offset is clamped as
 * above; a local time outside years 0001 to 9999 is recorded as the first or last hundredth of
 * that range.
 */
void iso_volume_date(fsi_time t, int gmt_offset_quarters, uint8_t out[17]);

/* Writes "not specified" (8.4.26.1): sixteen '0' digits and offset 0. */
void iso_volume_date_unset(uint8_t out[17]);

/*
 * Read a recorded date back as UTC into *t (which may be NULL, to validate only). Return 0, or
 * -1 without touching *t when a field is out of range: month 1-12, a day that exists in that
 * month, hour 0-23, minute and second 0-59, offset -48..52, year 0001-9999 and ASCII digits only
 * in the volume form. The "not specified" forms (all zeros) have month 0 and so return -1.
 */
int iso_dir_record_date_parse(const uint8_t in[7], fsi_time *t);
int iso_volume_date_parse(const uint8_t in[17], fsi_time *t);

#endif
