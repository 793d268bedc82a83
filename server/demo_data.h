#ifndef CAREERS_SERVER_DEMO_DATA_H_
#define CAREERS_SERVER_DEMO_DATA_H_

#include "absl/status/status.h"
#include "server/domain/booking.h"
#include "server/domain/consents.h"
#include "server/domain/profiles.h"
#include "server/store/database.h"

namespace careers {

// Loads db/demo: the directory rows by SQL, then the demo people, their
// action plans, the organisations they share their profiles with and their
// guardians, through the domain rules. Idempotent.
absl::Status LoadDemoData(store::Database& db, domain::Profiles& profiles,
                          domain::Consents& consents);

// Demo appointment types of SDS and Careers Wales and weekly hours for
// their advisers from `today` on, so slots can be searched and booked at
// once. Idempotent: types have fixed ids; an adviser who has rules keeps
// them.
absl::Status LoadDemoBooking(domain::Booking& booking, absl::CivilDay today);

}  // namespace careers

#endif  // CAREERS_SERVER_DEMO_DATA_H_
