/*
 * IConnectionPointContainer as a part embedded in an object that raises events (the file system
 * image raises DFileSystemImageEvents and DFileSystemImageImportEvents). Sinks are IDispatch
 * objects; connection_points_fire() calls each with IDispatch::Invoke, outside the lock.
 */
#ifndef OPENFSI_COM_CONNECTION_POINTS_H
#define OPENFSI_COM_CONNECTION_POINTS_H

#include "module.h"

#define CONNECTION_POINTS_MAX 2

struct connection_points;

struct connection_point {
    IConnectionPoint IConnectionPoint_iface;
    struct connection_points *owner;
    const IID *iid;
    IDispatch **sinks;          /* the sink of cookie N sits at N - 1; NULL when unadvised */
    DWORD sink_slots;
};

struct connection_points {
    IConnectionPointContainer IConnectionPointContainer_iface;
    IUnknown *outer;
    CRITICAL_SECTION lock;
    struct connection_point points[CONNECTION_POINTS_MAX];
    size_t count;
};

/* `iids` is a NULL-terminated list of at most CONNECTION_POINTS_MAX event interfaces. */
void connection_points_init(struct connection_points *cp, IUnknown *outer,
                            const IID *const *iids);
void connection_points_cleanup(struct connection_points *cp);

/* Invokes `member` with `params` on every sink advised for `iid`; their results are ignored. */
void connection_points_fire(struct connection_points *cp, const IID *iid, DISPID member,
                            DISPPARAMS *params);

#endif
