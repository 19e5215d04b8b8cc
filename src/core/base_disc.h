/*
 * An image written over a rewritable disc (fsi_image_options.base; base_disc.c): which sectors
 * below the new session are kept from the disc and which receive a copy of the session's head,
 * and what a head copy changes in the sector it copies.
 */
#ifndef OPENFSI_CORE_BASE_DISC_H
#define OPENFSI_CORE_BASE_DISC_H

#include "layout.h"

/* Reserves every sector below options.session_start: the head copies (CONTENT_ALIAS) where the
   disc has the same kind of structure, the rest kept (CONTENT_DISC). FSI_E_INCOMPATIBLE_SESSION
   when the disc lacks a place for them, FSI_E_DISC_READ when it cannot be read. */
enum fsi_status base_disc_reserve(struct fsi_image *image);

/* Turns the rendered copy of a head sector into what lies at `sector` (extent: its alias). */
void base_disc_adjust_alias(const struct fsi_image *image, const struct extent *extent,
                            uint32_t sector, uint8_t *data);

#endif
