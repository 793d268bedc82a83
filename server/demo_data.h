#ifndef CAREERS_SERVER_DEMO_DATA_H_
#define CAREERS_SERVER_DEMO_DATA_H_

#include "absl/status/status.h"
#include "server/domain/profiles.h"
#include "server/store/database.h"

namespace careers {

// Loads db/demo: the directory rows by SQL, then the demo people and their
// action plans through the domain rules, as an admin would create them.
// Idempotent: people who already exist are left alone.
absl::Status LoadDemoData(store::Database& db, domain::Profiles& profiles);

}  // namespace careers

#endif  // CAREERS_SERVER_DEMO_DATA_H_
