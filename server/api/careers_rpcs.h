#ifndef CAREERS_SERVER_API_CAREERS_RPCS_H_
#define CAREERS_SERVER_API_CAREERS_RPCS_H_

#include <memory>

#include "server/api/rpc_table.h"
#include "server/domain/booking.h"
#include "server/domain/change_feed.h"
#include "server/domain/consents.h"
#include "server/domain/directory.h"
#include "server/domain/experiences.h"
#include "server/domain/profiles.h"
#include "server/domain/skills.h"

namespace careers::api {

// The domain objects the careers.v1 services are answered by.
struct CareersDomain {
  domain::Profiles& profiles;
  domain::Directory& directory;
  domain::Consents& consents;
  domain::Booking& booking;
  domain::Experiences& experiences;
  domain::Skills& skills;
  domain::ChangeFeed& changes;
};

// The careers.v1 services.
std::vector<const google::protobuf::ServiceDescriptor*> CareersServices();

// Each service's RPCs bound to the domain functions that serve them, one
// line each (for tables of some services, as in tests).
void BindProfileService(RpcTable& table, domain::Profiles& profiles);
void BindDirectoryService(RpcTable& table, domain::Directory& directory);
void BindConsentService(RpcTable& table, domain::Consents& consents);
void BindBookingService(RpcTable& table, domain::Booking& booking);
void BindSkillsService(RpcTable& table, domain::Experiences& experiences,
                       domain::Skills& skills);
// ListChanges; WatchChanges is a stream (api/change_streams.h).
void BindChangeService(RpcTable& table, domain::ChangeFeed& changes);

// Every careers.v1 RPC bound to the domain function that serves it: one
// line each. What an RPC may do, and to what, is its method option in the
// protos (read by the CallRunner and the access policy).
std::unique_ptr<RpcTable> CareersRpcs(const CareersDomain& domain);

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_CAREERS_RPCS_H_
