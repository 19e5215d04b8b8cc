/*
 * The head of a disc or image file after a session is added to it at `session_start`: which
 * sectors to copy to the start so that readers that look only at sector 16 and sector 256 (as on
 * a single-session disc, or an image file grown by xorriso or growisofs) find the latest session.
 * The session's descriptors at session_start + 16 (the ISO 9660 volume descriptor set up to and
 * including its terminator, then the UDF volume recognition sequence BEA01 ... TEA01 if there is
 * one) go to sector 16 on; its UDF anchor at session_start + 256, if any, goes to sector 256,
 * and its file set descriptor to block 0 of a partition an earlier session began.
 *
 * It only says what to write; the caller writes it. It never reads a tree: it writes only over
 * sectors that hold the same kind of structure (descriptors at 16 on, an anchor at 256, a file
 * set descriptor at the partition's block 0), which a later session never refers to.
 */
#ifndef OPENFSI_SESSION_HEAD_H
#define OPENFSI_SESSION_HEAD_H

#include <stdint.h>

#include "openfsi/import.h"
#include "openfsi/status.h"

/* Sectors scanned for descriptors at most (from + 16), terminator and TEA01 included. */
#define FSI_SESSION_HEAD_MAX_DESCRIPTORS 64

struct fsi_session_head {
    uint32_t session_start;
    /* Sectors session_start + 16 ... to copy to 16 ... (at least 1). */
    uint32_t descriptors;
    /* Sectors after those, 16 + descriptors ..., that the disc's current head has as descriptors
       and the new one does not: written as zeros so no stale recognition sequence remains. */
    uint32_t stale;
    /* 1: the session's anchor at session_start + 256 is copied to 256 with its tag location
       made 256. Only done where sector 256 already holds an anchor (tag location 256), that is
       where the first session put its own: elsewhere sector 256 may be a file's data. */
    int copy_anchor;
    /* 1: the session has an anchor but sector 256 holds none, so it is not copied (UDF readers
       that look at 256 only will not find the session's UDF). */
    int anchor_not_copied;
    /* 1: sector 256 holds an earlier session's anchor and this session has none: zeroed. */
    int clear_anchor;
    /* 1: the session's UDF partition began in an earlier session, whose file set descriptor is
       at the partition's block 0: the session's own (file_set_from) is copied there with its
       tag location made 0, for readers that take the file set at block 0 whatever the logical
       volume descriptor says (pycdlib). */
    int copy_file_set;
    uint32_t file_set_from, file_set_to;
};

/*
 * What to write at the start of `disc` for the session at `session_start` (greater than 0).
 * FSI_E_NOT_FOUND when there are no descriptors at session_start + 16, FSI_E_CORRUPT_FILE_SYSTEM
 * when the ISO 9660 set has no terminator or the recognition sequence no TEA01 within
 * FSI_SESSION_HEAD_MAX_DESCRIPTORS sectors, FSI_E_INVALID_ARGUMENT when session_start is 0 or the
 * copies would reach the session's own descriptors, FSI_E_INCOMPATIBLE_SESSION when the
 * session has more descriptors than the start holds (what follows them there may be a file's
 * data), FSI_E_DISC_READ when a sector cannot be read.
 */
enum fsi_status fsi_session_head_sectors(const struct fsi_disc *disc, uint32_t session_start,
                                         struct fsi_session_head *head);

/* How many sectors the head writes, and the n-th of them (16 ... in order, then 256, then the
   partition's block 0). */
uint32_t fsi_session_head_count(const struct fsi_session_head *head);
uint32_t fsi_session_head_target(const struct fsi_session_head *head, uint32_t n);

/*
 * The 2048 bytes to write at `target` (one of fsi_session_head_target's): the session's sector
 * copied (a UDF anchor with its tag location and checksum made right for its new place), or
 * zeros. FSI_E_INVALID_ARGUMENT for another sector.
 */
enum fsi_status fsi_session_head_render(const struct fsi_disc *disc,
                                        const struct fsi_session_head *head, uint32_t target,
                                        uint8_t sector[2048]);

#endif
