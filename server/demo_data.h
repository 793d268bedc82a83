#ifndef CAREERS_SERVER_DEMO_DATA_H_
#define CAREERS_SERVER_DEMO_DATA_H_

#include "absl/status/status.h"
#include "server/domain/consents.h"
#include "server/domain/profiles.h"
#include "server/store/database.h"

namespace careers {

// Loads db/demo: the directory rows by SQL, then the demo people, their
// action plans, the organisations they share their profiles with and their
// guardians, through the domain rules. Idempotent.
absl::Status LoadDemoData(store::Database& db, domain::Profiles& profiles,
                          domain::Consents& consents);

}  // namespace careers

#endif  // CAREERS_SERVER_DEMO_DATA_H_
