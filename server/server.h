#ifndef CAREERS_SERVER_SERVER_H_
#define CAREERS_SERVER_SERVER_H_

#include "server/config.h"

namespace careers {

// Runs careers-server as configured: a one-off command (migrate, load demo
// data, roll back), or serving until SIGTERM/SIGINT, then draining. Returns
// the process exit code. SIGTERM and SIGINT must be blocked in every thread
// before it is called (main does it first thing).
int RunServer(const Config& config);

}  // namespace careers

#endif  // CAREERS_SERVER_SERVER_H_
