/* batchloop.h — batch mode entry point: repeated captures printed as tables on stdout. */
#ifndef CTP_BATCHLOOP_H
#define CTP_BATCHLOOP_H

#include "cli/options.h"

/* exit status: 0 ok, 1 capture/write failure, 2 bad options or unreadable baseline */
int ctp_batch_run(const struct ctp_options *o);

#endif
