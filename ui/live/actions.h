/* actions.h — the live view's global actions: the keys no view took (quit, help, filter, mode,
 * pause, interval, the cgroup/host/column views, save, settings, baseline, back), each turned
 * into session changes and a reaction for top.c, as a view's own keys are. */
#ifndef CTP_ACTIONS_H
#define CTP_ACTIONS_H

#include "live/keys.h"
#include "live/session.h"
#include "live/view.h"

struct ctp_reaction ctp_action_run(struct ctp_session *s, enum ctp_action a);

#endif
